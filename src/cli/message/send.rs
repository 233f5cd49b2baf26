//! `engage message KIND REQ`: one message per person, drafted from what engage knows, printed
//! (the default; nothing changes), written to an outbox folder (`--outbox DIR`) or sent
//! (`--send`). What a message stands for is recorded with its delivery, in one transaction, and
//! only for the messages that went.

use crate::cli::parse_id;
use crate::correspondence::draft::{self, Letterhead, PartnerFacts, Reach, RosterEntry, Who};
use crate::correspondence::mail::{Ids, Letter, Sender};
use crate::correspondence::smtp::{Answer, Mailer, Settings};
use crate::correspondence::template::{self, RenderError, Source, Template};
use crate::correspondence::{Kind, Language, outbox};
use crate::db::messages::steps::{self, Column};
use crate::db::messages::{self, Entry, Status, Via};
use crate::db::{Db, closing, events, invitations, partners, requests, selection, settings};
use crate::db::{Reader, Tx};
use crate::domain::Stamp;
use crate::domain::dates::iso;
use crate::domain::kinds::{PartnerStatus, RequestStatus, Way};
use crate::domain::request::Request;
use crate::domain::selection::{Outcome, check_day};
use crate::error::{Error, Result};
use crate::output::{Format, Listing, Value};
use crate::{Ctx, Exit};
use chrono::TimeZone;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

#[derive(Debug, Clone, clap::Args)]
pub struct Args {
    /// The request's id
    #[arg(value_parser = parse_id)]
    pub request: i64,
    /// Only this partner (repeatable)
    #[arg(long = "partner", value_name = "P", value_parser = parse_id)]
    pub partners: Vec<i64>,
    /// Send the messages through the mail server of the smtp_* settings
    #[arg(long, conflicts_with = "outbox")]
    pub send: bool,
    /// Write one .eml file per message into this folder, for your own mail program
    #[arg(long, value_name = "DIR")]
    pub outbox: Option<PathBuf>,
    /// With --send or --outbox: show what would go, and change nothing
    #[arg(long)]
    pub dry_run: bool,
    /// Write to everyone again, also to those who had this message (or whose delivery is unknown)
    #[arg(long)]
    pub again: bool,
    /// Use this template instead of the built-in one (`engage message template KIND` prints it)
    #[arg(long, value_name = "FILE")]
    pub template: Option<PathBuf>,
    /// Replace .eml files already in the outbox
    #[arg(long, requires = "outbox")]
    pub force: bool,
}

/// One person a message is for, and where they stand.
struct Target {
    who: Who,
    /// Their name with the last name, as shown in lists and in `To`.
    name: String,
    reach: Reach,
    /// Why they are not written to this time: they had it, or its delivery is unknown.
    had: Option<String>,
}

impl Target {
    fn partner_id(&self) -> Option<i64> {
        self.who.partner_id()
    }

    fn label(&self) -> String {
        match self.partner_id() {
            Some(id) => format!("partner {id} ({})", self.name),
            None => format!("{} (the requester's point of contact)", self.name),
        }
    }
}

/// A message ready to go.
struct Draft {
    target: usize,
    subject: String,
    body: String,
}

/// Everything the command gathered before anything goes.
struct Plan {
    request: Request,
    targets: Vec<Target>,
    /// Partners the rules leave out, with why, for a note.
    left_out: Vec<(i64, &'static str)>,
    letterhead: Letterhead,
    roster: Vec<RosterEntry>,
}

const MAX_TEMPLATE_BYTES: u64 = 1 << 20;

fn read_template(path: &Path) -> Result<Source> {
    let shown = path.display();
    let meta = std::fs::metadata(path)
        .map_err(|e| Error::Invalid(format!("--template {shown} cannot be read ({e}); give a template file")))?;
    if !meta.is_file() {
        return Err(Error::Invalid(format!("--template {shown} is not a file; give a template file")));
    }
    if meta.len() > MAX_TEMPLATE_BYTES {
        return Err(Error::Invalid(format!("--template {shown} is larger than 1 MB; a template is a letter")));
    }
    let bytes = std::fs::read(path).map_err(|e| Error::Invalid(format!("--template {shown} cannot be read ({e})")))?;
    let text = String::from_utf8(bytes)
        .map_err(|_| Error::Invalid(format!("--template {shown} is not UTF-8 text; save it as UTF-8")))?;
    Ok(Source { name: format!("the template {shown}"), text })
}

/// The template of this command: `--template FILE`, else one in the templates folder, else the
/// built-in one for the request's way.
fn choose_template(a: &Args, kind: Kind, way: Way, templates_dir: Option<&Path>) -> Result<(Source, Option<PathBuf>)> {
    if let Some(path) = &a.template {
        return Ok((read_template(path)?, Some(path.clone())));
    }
    if let Some(path) = templates_dir.and_then(|dir| template::in_folder(dir, kind, way, Language::En)) {
        return Ok((read_template(&path)?, Some(path)));
    }
    Ok((template::built_in(kind, way, Language::En), None))
}

fn text_setting(conn: &Reader, key: &str) -> Result<Option<String>> {
    Ok(Some(settings::get(conn, key)?).filter(|v| !v.trim().is_empty()))
}

fn check_request(kind: Kind, request: &Request) -> Result<()> {
    let id = request.id;
    if request.status == RequestStatus::Cancelled {
        return Err(Error::Refused(format!("request {id} was cancelled; nothing more is written about it")));
    }
    if request.way == Way::Inform && kind != Kind::Invitation {
        return Err(Error::Refused(format!(
            "request {id} is an inform notice: it has no selection, so no {kind} message; `engage message invitation {id}` \
             sends the notice"
        )));
    }
    if kind == Kind::Invitation && request.status.is_final() {
        return Err(Error::Refused(format!("request {id} is {}; it takes no more invitations", request.status)));
    }
    Ok(())
}

fn facts(conn: &Reader, request: &Request, partner_id: i64, today: chrono::NaiveDate) -> Result<PartnerFacts> {
    let partner = partners::get(conn, partner_id)?;
    let decision = selection::find_decision(conn, request.id, partner_id)?;
    // Those who took part have an account: the selected, and those who withdrew part-way.
    let selected = decision.as_ref().is_some_and(|d| matches!(d.outcome, Outcome::Selected | Outcome::Withdrew));
    let valid_days = settings::get_number(conn, "commitments_valid_days")?;
    let commitments_valid = partner.commitments_valid_on(check_day(today, request.starts_on), valid_days);
    let account = if selected { closing::account(conn, request.id, partner_id)? } else { None };
    Ok(PartnerFacts {
        record_check_on_file: partner.record_check_on.is_some(),
        partner,
        decision,
        account,
        commitments_valid,
    })
}

/// Why a person already had this kind of message, from what is recorded and the delivery log.
fn had_it(kind: Kind, request: &Request, who: &Who, log: &HashMap<Option<i64>, Status>) -> Option<String> {
    if let Some(status) = log.get(&who.partner_id()) {
        if status.delivered() {
            let how = if *status == Status::Written { "written to the outbox" } else { "sent" };
            return Some(format!("had it ({how})"));
        }
        if status.may_have_gone() {
            return Some("its delivery is unknown (the connection was lost); --again sends it anyway".to_string());
        }
    }
    let c = &request.closing;
    let recorded = match (kind, who) {
        (Kind::Outcome, Who::Partner(f)) => f.decision.as_ref().and_then(|d| d.notified_on),
        (Kind::Welcome, Who::Partner(f)) => f.decision.as_ref().and_then(|d| d.welcomed_on),
        (Kind::Thanks, _) => c.thanked_on,
        (Kind::LoopClosed, _) => c.loop_closed_on,
        (Kind::Survey, Who::Partner(_)) => c.partner_survey_on,
        (Kind::Survey, Who::Requester) => c.requester_survey_on,
        _ => None,
    };
    recorded.map(|on| format!("already recorded on {}", iso(on)))
}

fn gather(conn: &Reader, kind: Kind, request: Request, today: chrono::NaiveDate) -> Result<Plan> {
    let network = settings::get(conn, "network_name")?;
    let letterhead = Letterhead {
        network,
        coordinator: text_setting(conn, "coordinator")?,
        coordinator_email: text_setting(conn, "coordinator_email")?.or(text_setting(conn, "smtp_from")?),
    };
    let log = messages::standing(conn, request.id, kind)?;
    let mut targets = Vec::new();
    let mut left_out = Vec::new();
    let add_partner = |facts: PartnerFacts, targets: &mut Vec<Target>, left_out: &mut Vec<(i64, &'static str)>| {
        if let Some(why) = draft::left_out(kind, &facts) {
            left_out.push((facts.partner.id, why));
            return;
        }
        let name = facts.partner.name();
        let reach = draft::reach(&facts.partner);
        let who = Who::Partner(Box::new(facts));
        let had = had_it(kind, &request, &who, &log);
        targets.push(Target { who, name, reach, had });
    };
    match kind {
        Kind::Invitation => {
            let matching = invitations::matching(conn, &request, &invitations::Narrow::default())?;
            let mut ids: Vec<i64> = matching.already.iter().copied().collect();
            ids.sort_unstable();
            for id in ids {
                // Invited before (by `recruit invite` or an earlier message): they had it.
                let facts = facts(conn, &request, id, today)?;
                let invited = invitations::find(conn, request.id, id)?.and_then(|i| i.invited_on);
                if draft::left_out(kind, &facts).is_some() || invited.is_none() {
                    continue;
                }
                let name = facts.partner.name();
                let reach = draft::reach(&facts.partner);
                let who = Who::Partner(Box::new(facts));
                let had = had_it(kind, &request, &who, &log)
                    .or_else(|| invited.map(|on| format!("already invited on {}", iso(on))));
                targets.push(Target { who, name, reach, had });
            }
            for p in matching.partners {
                let facts = facts(conn, &request, p.id, today)?;
                add_partner(facts, &mut targets, &mut left_out);
            }
        }
        Kind::Outcome => {
            let decisions = selection::decisions(conn, request.id)?;
            if decisions.is_empty() {
                return Err(Error::Refused(format!(
                    "request {} has no decision yet, so there is no outcome to tell; `engage select decide {} --select IDS` \
                     makes it",
                    request.id, request.id
                )));
            }
            for d in decisions {
                add_partner(facts(conn, &request, d.partner_id, today)?, &mut targets, &mut left_out);
            }
        }
        Kind::Welcome | Kind::Thanks | Kind::LoopClosed | Kind::Survey | Kind::Roster => {
            // A partner who withdrew part-way is thanked and told what came of the work (the
            // welcome and the roster are for the selected: `draft::left_out`, and below).
            let selected: Vec<i64> = selection::decisions(conn, request.id)?
                .into_iter()
                .filter(|d| matches!(d.outcome, Outcome::Selected | Outcome::Withdrew))
                .map(|d| d.partner_id)
                .collect();
            if selected.is_empty() {
                return Err(Error::Refused(format!(
                    "request {} has nobody selected yet; `engage select decide {} --select IDS` chooses",
                    request.id, request.id
                )));
            }
            if kind != Kind::Roster {
                for id in &selected {
                    add_partner(facts(conn, &request, *id, today)?, &mut targets, &mut left_out);
                }
            }
            if matches!(kind, Kind::Survey | Kind::Roster) {
                let who = Who::Requester;
                let had = had_it(kind, &request, &who, &log);
                let reach = Reach::Email(request.contact_email.clone());
                targets.push(Target { who, name: request.contact_name.clone(), reach, had });
            }
        }
    }
    let mut roster = Vec::new();
    if kind == Kind::Roster {
        for d in selection::decisions(conn, request.id)?.into_iter().filter(|d| d.outcome == Outcome::Selected) {
            let p = partners::get(conn, d.partner_id)?;
            if matches!(p.status, PartnerStatus::Forgotten | PartnerStatus::Withdrawn) {
                continue;
            }
            let answered = invitations::find(conn, request.id, p.id)?.and_then(|i| i.availability);
            roster.push(RosterEntry {
                partner_id: p.id,
                name: p.name(),
                pronouns: p.pronouns.clone(),
                email: p.email.clone(),
                phone: p.phone.clone(),
                preferred_contact: p.preferred_contact.clone(),
                languages: p.languages.clone(),
                accessibility_needs: p.accessibility_needs.clone(),
                availability: answered.or(p.availability.clone()),
            });
        }
    }
    Ok(Plan { request, targets, left_out, letterhead, roster })
}

/// The partners named with `--partner`, each checked to be among this message's recipients.
fn narrow(conn: &Reader, plan: &mut Plan, kind: Kind, partners: &[i64], today: chrono::NaiveDate) -> Result<()> {
    if partners.is_empty() {
        return Ok(());
    }
    let id = plan.request.id;
    if kind == Kind::Roster {
        return Err(Error::Invalid(format!(
            "the roster goes only to request {id}'s point of contact; --partner does not apply to it"
        )));
    }
    for p in partners {
        if plan.targets.iter().any(|t| t.partner_id() == Some(*p)) {
            continue;
        }
        let mut why = plan.left_out.iter().find(|(left, _)| left == p).map(|(_, why)| *why);
        if why.is_none() && partners::find(conn, *p)?.is_some() {
            why = draft::left_out(kind, &facts(conn, &plan.request, *p, today)?);
        }
        let why = match (why, kind) {
            (Some(why), _) => why,
            (None, Kind::Invitation) => "does not match the request's topics, region and community type",
            (None, Kind::Outcome) => "has no decision on this request",
            (None, _) => "was not selected for this request",
        };
        partners::get(conn, *p)?;
        return Err(Error::Refused(format!("{} of request {id} does not go to partner {p}, who {why}", kind.words())));
    }
    plan.targets.retain(|t| t.partner_id().is_some_and(|id| partners.contains(&id)));
    Ok(())
}

fn render(plan: &Plan, kind: Kind, template: &Template, going: &[usize]) -> Result<Vec<Draft>> {
    let mut drafts = Vec::with_capacity(going.len());
    for &i in going {
        let target = &plan.targets[i];
        let values = draft::values(kind, &plan.request, &plan.letterhead, &target.who, &plan.roster, Language::En);
        match template.render(&values) {
            Ok((subject, body)) => drafts.push(Draft { target: i, subject, body }),
            Err(RenderError::Missing(missing)) => {
                let whom = if missing.iter().all(|m| m.starts_with("request.") || m == "survey_url") {
                    format!("request {}", plan.request.id)
                } else {
                    format!("the message to {}", target.label())
                };
                return Err(Error::Invalid(template::missing_sentence(
                    &template.name,
                    &missing,
                    &whom,
                    plan.request.id,
                )));
            }
            Err(RenderError::Failed(why)) => return Err(Error::Invalid(why)),
        }
    }
    Ok(drafts)
}

/// What to call each person who is phoned instead of e-mailed.
fn call_list(plan: &Plan, kind: Kind, drafts: &[Draft]) -> Listing {
    let mut listing = Listing::new(&["partner_id", "name", "phone", "tell"]);
    for d in drafts {
        let t = &plan.targets[d.target];
        if let Reach::Phone(phone) = &t.reach {
            listing.push(vec![
                Value::opt_int(t.partner_id()),
                Value::text(&t.name),
                Value::opt_text(phone.clone()),
                Value::text(draft::call_note(kind, &plan.request, &t.who)),
            ]);
        }
    }
    listing
}

fn to_of(t: &Target) -> String {
    match &t.reach {
        Reach::Email(address) => address.clone(),
        Reach::Phone(phone) => phone.clone().unwrap_or_default(),
        Reach::Nowhere => String::new(),
    }
}

fn print_drafts(ctx: &mut Ctx<'_>, plan: &Plan, kind: Kind, drafts: &[Draft]) -> Result<()> {
    let id = plan.request.id;
    match ctx.format {
        Format::Table => {
            for d in drafts.iter().filter(|d| matches!(plan.targets[d.target].reach, Reach::Email(_))) {
                let t = &plan.targets[d.target];
                let name = outbox::file_name(id, kind, t.partner_id());
                writeln!(ctx.out, "=== {} ===", name.trim_end_matches(".eml"))?;
                writeln!(ctx.out, "To: {} <{}>\nSubject: {}\n\n{}", t.name, to_of(t), d.subject, d.body)?;
            }
            let calls = call_list(plan, kind, drafts);
            if !calls.is_empty() {
                writeln!(ctx.out, "=== call list: they prefer the phone ===")?;
                ctx.print_listing(&calls, "")?;
            }
        }
        Format::Json | Format::Csv => {
            let mut listing = Listing::new(&["kind", "request_id", "partner_id", "channel", "to", "subject", "body"]);
            for d in drafts {
                let t = &plan.targets[d.target];
                listing.push(vec![
                    Value::text(kind.as_str()),
                    Value::Int(id),
                    Value::opt_int(t.partner_id()),
                    Value::text(if matches!(t.reach, Reach::Email(_)) { "email" } else { "phone" }),
                    Value::text(to_of(t)),
                    Value::text(&d.subject),
                    Value::text(&d.body),
                ]);
            }
            ctx.print_listing(&listing, "")?;
        }
    }
    Ok(())
}

/// What goes out in one command: the kind, the plan, and who the kind is for.
struct Job<'a> {
    kind: Kind,
    plan: &'a Plan,
    /// Everyone the kind is for on this request (not only those written to this time).
    everyone: Vec<Option<i64>>,
    /// Some of them are called instead.
    phoned: bool,
}

/// What is recorded when the delivery of a message to `target` is logged as delivered.
// Each kind records its own step, some only when it was not recorded yet: a match of ifs.
#[allow(clippy::collapsible_match)]
fn record_step(tx: &Tx<'_>, stamp: &Stamp, job: &Job<'_>, target: &Target, via: &str) -> Result<()> {
    let (kind, everyone, phoned) = (job.kind, &job.everyone, job.phoned);
    let request = &job.plan.request;
    let on = stamp.today;
    let id = request.id;
    match (kind, target.partner_id()) {
        (Kind::Invitation, Some(p)) => {
            invitations::invite(tx, id, p, on)?;
            events::log(tx, stamp, "invited", Some(id), Some(p), &format!("invitation {via}"))?;
            let current = requests::get(tx, id)?;
            if current.status == RequestStatus::Submitted {
                requests::move_to(tx, stamp, &current, RequestStatus::Recruiting, None)?;
            }
        }
        (Kind::Outcome, Some(p)) => {
            if steps::told(tx, id, p, on)? {
                let outcome = selection::find_decision(tx, id, p)?.map(|d| d.outcome.as_str()).unwrap_or_default();
                events::log(tx, stamp, "notified", Some(id), Some(p), &format!("{outcome}, {via}"))?;
            }
        }
        (Kind::Welcome, Some(p)) => {
            if steps::welcomed(tx, id, p, on)? {
                events::log(tx, stamp, "onboarding", Some(id), Some(p), &format!("welcomed {}, {via}", iso(on)))?;
            }
        }
        (Kind::Roster, None) => {
            events::log(
                tx,
                stamp,
                "roster_sent",
                Some(id),
                None,
                &format!("to the requester's point of contact, {via}"),
            )?;
        }
        (Kind::Thanks | Kind::LoopClosed | Kind::Survey, who) => {
            // A closing step is the request's: recorded once everyone it is for has had the
            // message, and nobody is still to be called.
            let log = messages::standing(tx, id, kind)?;
            let column = match (kind, who) {
                (Kind::Thanks, _) => Column::Thanked,
                (Kind::LoopClosed, _) => Column::LoopClosed,
                (_, Some(_)) => Column::PartnerSurvey,
                (_, None) => Column::RequesterSurvey,
            };
            let group: Vec<&Option<i64>> = everyone.iter().filter(|p| p.is_some() == who.is_some()).collect();
            let all_had_it = group.iter().all(|p| log.get(p).is_some_and(|s| s.delivered()));
            if all_had_it && !(who.is_some() && phoned) && steps::closing(tx, id, column, on)? {
                let detail = format!("{} {} ({via})", column.key(), iso(on));
                events::log(tx, stamp, "closing_steps", Some(id), None, &detail)?;
            }
        }
        _ => {}
    }
    Ok(())
}

/// The `Date` of the messages: the command's moment (the pinned day at midnight with
/// `ENGAGE_TODAY`), in local time.
fn date_of(stamp: &Stamp) -> std::time::SystemTime {
    let naive = chrono::NaiveDateTime::parse_from_str(&stamp.at, "%Y-%m-%dT%H:%M:%S")
        .unwrap_or_else(|_| stamp.today.and_hms_opt(0, 0, 0).unwrap_or_default());
    match chrono::Local.from_local_datetime(&naive).earliest() {
        Some(local) => local.into(),
        None => chrono::Utc.from_utc_datetime(&naive).into(),
    }
}

fn sender(conn: &Reader, letterhead: &Letterhead, flag: &str) -> Result<Sender> {
    let from = text_setting(conn, "smtp_from")?.ok_or_else(|| {
        Error::Missing(format!(
            "{flag} needs the address messages are from: set smtp_from (`engage config set smtp_from network@example.org`)"
        ))
    })?;
    let reply_to = text_setting(conn, "coordinator_email")?
        .filter(|c| !c.eq_ignore_ascii_case(&from))
        .map(|address| (letterhead.coordinator.clone(), address));
    let sender = Sender { name: letterhead.network.clone(), address: from, reply_to };
    sender.check().map_err(Error::Invalid)?;
    Ok(sender)
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

pub fn run(kind: Kind, a: Args, ctx: &mut Ctx<'_>) -> Result<Exit> {
    let mut db = ctx.open_db()?;
    let request = requests::get(db.conn(), a.request)?;
    check_request(kind, &request)?;
    let (source, template_path) = choose_template(&a, kind, request.way, ctx.templates_dir.as_deref())?;
    let template = Template::read(&source).map_err(Error::Invalid)?;
    let mut plan = gather(db.conn(), kind, request, ctx.today)?;
    // Who the kind is for, before --partner narrows who is written to now: a closing step waits
    // for all of them, and for anyone still to be called.
    let everyone: Vec<Option<i64>> = plan.targets.iter().map(Target::partner_id).collect();
    let phoned = plan.targets.iter().any(|t| t.partner_id().is_some() && !matches!(t.reach, Reach::Email(_)));
    narrow(db.conn(), &mut plan, kind, &a.partners, ctx.today)?;
    let id = plan.request.id;
    for (p, why) in &plan.left_out {
        ctx.note(&format!("Not written to: partner {p} {why}."))?;
    }
    if !a.again {
        let had: Vec<&Target> = plan.targets.iter().filter(|t| t.had.is_some()).collect();
        // A few are named; a whole network that had it is counted.
        if had.len() > 10 {
            let unknown = had.iter().filter(|t| t.had.as_deref().is_some_and(|h| h.contains("unknown"))).count();
            ctx.note(&format!(
                "Not again: {} had {} already{}; --again writes to them too.",
                plural(had.len(), "person", "people"),
                kind.words(),
                if unknown > 0 { format!(" ({unknown} of them with a delivery unknown)") } else { String::new() }
            ))?;
        } else {
            for t in had {
                ctx.note(&format!("Not again: {} {}.", t.label(), t.had.as_deref().unwrap_or_default()))?;
            }
        }
    }
    for t in plan.targets.iter().filter(|t| t.reach == Reach::Nowhere) {
        ctx.warn(&format!("{} has no e-mail or phone on file; nothing can reach them", t.label()))?;
    }
    let going: Vec<usize> = (0..plan.targets.len())
        .filter(|&i| (a.again || plan.targets[i].had.is_none()) && plan.targets[i].reach != Reach::Nowhere)
        .collect();
    let drafts = render(&plan, kind, &template, &going)?;
    if drafts.is_empty() {
        ctx.note(&format!("Nobody is left to write {} of request {id} to; nothing changed.", kind.words()))?;
        return Ok(Exit::Done);
    }
    if !a.send && a.outbox.is_none() {
        print_drafts(ctx, &plan, kind, &drafts)?;
        let emails = drafts.iter().filter(|d| matches!(plan.targets[d.target].reach, Reach::Email(_))).count();
        ctx.note(&format!(
            "{} of {} for request {id}{}; nothing was sent or recorded: --send e-mails them, --outbox DIR writes them as files.",
            plural(emails, "draft", "drafts"),
            kind.words(),
            match drafts.len() - emails {
                0 => String::new(),
                calls => format!(", and {} to call", plural(calls, "partner", "partners")),
            }
        ))?;
        return Ok(Exit::Done);
    }
    let emails: Vec<&Draft> =
        drafts.iter().filter(|d| matches!(plan.targets[d.target].reach, Reach::Email(_))).collect();
    let sender = sender(db.conn(), &plan.letterhead, if a.send { "--send" } else { "--outbox" })?;
    let stamp = ctx.stamp.clone();
    let date = date_of(&stamp);
    let mut ids = Ids::new();
    // Every message is built before any goes: an address a message cannot hold stops the command here.
    let mut built = Vec::with_capacity(emails.len());
    for d in emails.iter().copied() {
        let t = &plan.targets[d.target];
        let message_id = ids.next(sender.domain());
        let to = to_of(t);
        let letter =
            Letter { to_name: &t.name, to_address: &to, subject: &d.subject, body: &d.body, message_id: &message_id };
        let message = sender.build(&letter, date).map_err(Error::Invalid)?;
        built.push((d, message_id, to, message));
    }
    let calls = call_list(&plan, kind, &drafts);
    let job = Job { kind, plan: &plan, everyone, phoned };
    let result = if built.is_empty() {
        // Only partners to call: no server to reach, no file to write.
        Ok(Exit::Done)
    } else if let Some(dir) = &a.outbox {
        write_outbox(ctx, &mut db, &a, dir, template_path.as_deref(), &job, &built)
    } else {
        send_all(ctx, &mut db, &a, &job, &built)
    }?;
    if !calls.is_empty() {
        if ctx.format == Format::Table {
            writeln!(ctx.out, "Call list: they prefer the phone")?;
        }
        ctx.print_listing(&calls, "")?;
        let record = match kind {
            Kind::Outcome => format!("`engage select notify {id}` records the calls"),
            Kind::Welcome => format!("`engage select onboard {id} PARTNER --welcomed DATE` records each call"),
            Kind::Thanks => format!("`engage close {id} --thanked DATE --keep-open` records the thanks"),
            Kind::LoopClosed => format!("`engage close {id} --loop-closed DATE --keep-open` records it"),
            Kind::Survey => format!("`engage close {id} --partner-survey DATE --keep-open` records it"),
            Kind::Invitation => format!("`engage recruit respond {id} PARTNER` records their answer"),
            Kind::Roster => String::new(),
        };
        ctx.note(&format!(
            "{} to call: nothing is recorded for them until you do; {record}.",
            plural(calls.rows.len(), "partner prefers the phone and is", "partners prefer the phone and are")
        ))?;
    }
    Ok(result)
}

fn write_outbox(
    ctx: &mut Ctx<'_>,
    db: &mut Db,
    a: &Args,
    dir: &Path,
    template_path: Option<&Path>,
    job: &Job<'_>,
    built: &[(&Draft, String, String, lettre::Message)],
) -> Result<Exit> {
    let (kind, plan) = (job.kind, job.plan);
    let id = plan.request.id;
    let names: Vec<String> =
        built.iter().map(|(d, ..)| outbox::file_name(id, kind, plan.targets[d.target].partner_id())).collect();
    let db_folder = db.path().parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new(".")).to_path_buf();
    let template_folder =
        template_path.and_then(|p| p.parent()).filter(|p| !p.as_os_str().is_empty()).map(Path::to_path_buf);
    let mut guarded: Vec<&Path> = vec![&db_folder];
    if let Some(t) = &template_folder {
        guarded.push(t);
    }
    outbox::prepare(dir, &guarded, &names, a.force, a.dry_run).map_err(Error::Invalid)?;
    let mut listing = Listing::new(&["partner_id", "name", "to", "subject", "file"]);
    for ((d, _, to, _), name) in built.iter().zip(&names) {
        let t = &plan.targets[d.target];
        listing.push(vec![
            Value::opt_int(t.partner_id()),
            Value::text(&t.name),
            Value::text(to),
            Value::text(&d.subject),
            Value::text(dir.join(name).display().to_string()),
        ]);
    }
    if a.dry_run {
        ctx.print_listing(&listing, "")?;
        ctx.note(&format!(
            "Would write {} to {}; nothing was written or recorded.",
            plural(built.len(), "file", "files"),
            dir.display()
        ))?;
        return Ok(Exit::Done);
    }
    let stamp = ctx.stamp.clone();
    let mut written: Vec<PathBuf> = Vec::new();
    // The files first, then what they stand for, in one transaction that only writes the
    // database; when either fails, neither stays.
    let result = (|| -> Result<()> {
        for ((_, _, _, message), name) in built.iter().zip(&names) {
            let path = outbox::write(dir, name, &message.formatted()).map_err(|e| {
                Error::io(format!("could not write {}; nothing was recorded", dir.join(name).display()), e)
            })?;
            written.push(path);
        }
        db.write(|tx| record_written(tx, &stamp, job, built))
    })();
    if let Err(e) = result {
        // Nothing was recorded, so nothing stays written either.
        for path in &written {
            let _ = std::fs::remove_file(path);
        }
        return Err(e);
    }
    ctx.print_listing(&listing, "")?;
    ctx.note(&format!(
        "Wrote {} of {} for request {id} to {}: open each in your mail program and send it. Recorded as sent.",
        plural(built.len(), "message", "messages"),
        kind.words(),
        dir.display()
    ))?;
    Ok(Exit::Done)
}

/// What the outbox's files stand for: each message logged as written, the step it records, and
/// the event.
fn record_written(
    tx: &Tx<'_>,
    stamp: &Stamp,
    job: &Job<'_>,
    built: &[(&Draft, String, String, lettre::Message)],
) -> Result<()> {
    let (kind, plan) = (job.kind, job.plan);
    let id = plan.request.id;
    for (d, message_id, to, _) in built {
        let t = &plan.targets[d.target];
        let entry = Entry {
            request_id: id,
            partner_id: t.partner_id(),
            kind,
            via: Via::Outbox,
            recipient: to,
            subject: &d.subject,
            message_id,
        };
        messages::log(tx, &entry, Status::Written, &stamp.at)?;
        record_step(tx, stamp, job, t, "written to the outbox")?;
    }
    let detail = format!("{kind}: {} written to the outbox", plural(built.len(), "message", "messages"));
    events::log(tx, stamp, "messages", Some(id), None, &detail)
}

fn send_all(
    ctx: &mut Ctx<'_>,
    db: &mut Db,
    a: &Args,
    job: &Job<'_>,
    built: &[(&Draft, String, String, lettre::Message)],
) -> Result<Exit> {
    let (kind, plan) = (job.kind, job.plan);
    let id = plan.request.id;
    let conn = db.conn();
    let settings = Settings::new(
        &settings::get(conn, "smtp_host")?,
        &settings::get(conn, "smtp_port")?,
        &settings::get(conn, "smtp_security")?,
        &settings::get(conn, "smtp_user")?,
        &settings::get(conn, "smtp_from")?,
        ctx.smtp_password.as_ref(),
    )
    .map_err(Error::Missing)?;
    if a.dry_run {
        let mut listing = Listing::new(&["partner_id", "name", "to", "subject"]);
        for (d, _, to, _) in built {
            let t = &plan.targets[d.target];
            listing.push(vec![
                Value::opt_int(t.partner_id()),
                Value::text(&t.name),
                Value::text(to),
                Value::text(&d.subject),
            ]);
        }
        ctx.print_listing(&listing, "")?;
        ctx.note(&format!(
            "Would send {} of {} for request {id} through {}; nothing was sent or recorded.",
            plural(built.len(), "message", "messages"),
            kind.words(),
            settings.describe()
        ))?;
        return Ok(Exit::Done);
    }
    let mailer = Mailer::connect(&settings).map_err(Error::Failed)?;
    let stamp = ctx.stamp.clone();
    let mut listing = Listing::new(&["partner_id", "name", "to", "status", "reason"]);
    let mut counts: HashMap<&'static str, usize> = HashMap::new();
    let mut problems: Vec<String> = Vec::new();
    let mut not_tried = 0;
    let mut unreachable: Option<String> = None;
    for (d, message_id, to, message) in built {
        let t = &plan.targets[d.target];
        if unreachable.is_some() {
            not_tried += 1;
            listing.push(vec![
                Value::opt_int(t.partner_id()),
                Value::text(&t.name),
                Value::text(to),
                Value::text("not sent"),
                Value::Null,
            ]);
            continue;
        }
        let entry = Entry {
            request_id: id,
            partner_id: t.partner_id(),
            kind,
            via: Via::Smtp,
            recipient: to,
            subject: &d.subject,
            message_id,
        };
        // Logged before it is handed over: if engage stops now, the message shows as unknown.
        let row = db.write(|tx| messages::log(tx, &entry, Status::Queued, &stamp.at))?;
        let answer = mailer.send(message);
        let (status, reason) = match &answer {
            Answer::Sent => (Status::Sent, None),
            Answer::Refused(why) => (Status::Refused, Some(why.clone())),
            Answer::Unknown(why) => (Status::Unknown, Some(why.clone())),
            Answer::NotHandedOver(why) | Answer::Unreachable(why) => (Status::Failed, Some(why.clone())),
        };
        db.write(|tx| {
            messages::answer(tx, row, status, reason.as_deref(), &stamp.at)?;
            if status.delivered() {
                record_step(tx, &stamp, job, t, "e-mailed")?;
            }
            Ok(())
        })?;
        *counts.entry(status.as_str()).or_default() += 1;
        listing.push(vec![
            Value::opt_int(t.partner_id()),
            Value::text(&t.name),
            Value::text(to),
            Value::text(status.as_str()),
            Value::opt_text(reason.clone()),
        ]);
        match answer {
            Answer::Sent => {}
            Answer::Refused(why) => problems.push(format!("{} <{to}> was refused by the server: {why}", t.label())),
            Answer::Unknown(why) => problems.push(format!(
                "the delivery to {} <{to}> is unknown: the connection was lost while it was handed over ({why}); it is \
                 not sent again without --again, so check with them first",
                t.label()
            )),
            Answer::NotHandedOver(why) => problems.push(format!("{} <{to}> was not sent: {why}", t.label())),
            Answer::Unreachable(why) => unreachable = Some(why),
        }
    }
    mailer.close();
    let sent = counts.get("sent").copied().unwrap_or(0);
    let detail = format!(
        "{kind} by e-mail: {}",
        ["sent", "refused", "unknown", "failed"]
            .iter()
            .filter_map(|s| counts.get(s).map(|n| format!("{n} {s}")))
            .collect::<Vec<_>>()
            .join(", ")
    );
    db.write(|tx| events::log(tx, &stamp, "messages", Some(id), None, &detail))?;
    ctx.print_listing(&listing, "")?;
    for p in &problems {
        ctx.warn(p)?;
    }
    if let Some(why) = &unreachable {
        ctx.warn(&format!(
            "the mail server could not be reached any more ({why}); {} not sent: `engage message {kind} {id} --send` sends \
             {} later",
            plural(not_tried + counts.get("failed").copied().unwrap_or(0), "message was", "messages were"),
            if not_tried + counts.get("failed").copied().unwrap_or(0) == 1 { "it" } else { "them" }
        ))?;
    }
    ctx.note(&format!(
        "Sent {} of {} {} of request {id} through {}.",
        sent,
        built.len(),
        if built.len() == 1 { "message" } else { "messages" },
        settings.describe()
    ))?;
    Ok(if sent == built.len() { Exit::Done } else { Exit::Partial })
}
