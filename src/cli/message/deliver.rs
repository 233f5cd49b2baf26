//! What becomes of the drafts: printed, written to an outbox as .eml files, or sent through
//! SMTP, each delivery recording what its message stands for.

use super::SendArgs as Args;
use super::plan::{Draft, Plan, Target, text_setting};
use crate::app::{Ctx, Exit};
use crate::correspondence::draft::{self, Letterhead, Reach};
use crate::correspondence::mail::Sender;
use crate::correspondence::smtp::{Answer, Mailer, Settings};
use crate::correspondence::{Kind, outbox};
use crate::db::messages::steps::{self, Column};
use crate::db::messages::{self, Entry, Status, Via};
use crate::db::{Db, events, invitations, requests, selection, settings};
use crate::db::{Reader, Tx};
use crate::domain::Stamp;
use crate::domain::dates::iso;
use crate::domain::kinds::RequestStatus;
use crate::domain::plural;
use crate::error::{Error, Result};
use crate::output::{Format, Listing, Value};
use chrono::TimeZone;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// What to call each person who is phoned instead of e-mailed.
pub(super) fn call_list(plan: &Plan, kind: Kind, drafts: &[Draft]) -> Listing {
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

pub(super) fn to_of(t: &Target) -> String {
    match &t.reach {
        Reach::Email(address) => address.clone(),
        Reach::Phone(phone) => phone.clone().unwrap_or_default(),
        Reach::Nowhere => String::new(),
    }
}

pub(super) fn print_drafts(ctx: &mut Ctx<'_>, plan: &Plan, kind: Kind, drafts: &[Draft]) -> Result<()> {
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
pub(super) struct Job<'a> {
    pub(super) kind: Kind,
    pub(super) plan: &'a Plan,
    /// Everyone the kind is for on this request (not only those written to this time).
    pub(super) everyone: Vec<Option<i64>>,
    /// Some of them are called instead.
    pub(super) phoned: bool,
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
pub(super) fn date_of(stamp: &Stamp) -> std::time::SystemTime {
    let naive = chrono::NaiveDateTime::parse_from_str(&stamp.at, "%Y-%m-%dT%H:%M:%S")
        .unwrap_or_else(|_| stamp.today.and_hms_opt(0, 0, 0).unwrap_or_default());
    match chrono::Local.from_local_datetime(&naive).earliest() {
        Some(local) => local.into(),
        None => chrono::Utc.from_utc_datetime(&naive).into(),
    }
}

pub(super) fn sender(conn: &Reader, letterhead: &Letterhead, flag: &str) -> Result<Sender> {
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

pub(super) fn write_outbox(
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

pub(super) fn send_all(
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
