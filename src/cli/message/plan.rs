//! Whom a kind of message is for on a request, where each stands, and their drafts rendered
//! from the template: everything gathered before anything goes.

use super::SendArgs as Args;
use crate::correspondence::draft::{self, Letterhead, PartnerFacts, Reach, RosterEntry, Who};
use crate::correspondence::template::{self, RenderError, Source, Templates};
use crate::correspondence::{Kind, Language};
use crate::db::Reader;
use crate::db::messages::{self, Status};
use crate::db::{closing, invitations, partners, selection, settings};
use crate::domain::dates::iso;
use crate::domain::kinds::{PartnerStatus, RequestStatus, Way};
use crate::domain::request::Request;
use crate::domain::selection::{Outcome, check_day};
use crate::error::{Error, Result};
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// One person a message is for, and where they stand.
pub(super) struct Target {
    pub(super) who: Who,
    /// Their name with the last name, as shown in lists and in `To`.
    pub(super) name: String,
    pub(super) reach: Reach,
    /// Why they are not written to this time: they had it, or its delivery is unknown.
    pub(super) had: Option<String>,
}

impl Target {
    pub(super) fn partner_id(&self) -> Option<i64> {
        self.who.partner_id()
    }

    pub(super) fn label(&self) -> String {
        match self.partner_id() {
            Some(id) => format!("partner {id} ({})", self.name),
            None => format!("{} (the requester's point of contact)", self.name),
        }
    }
}

/// A message ready to go.
pub(super) struct Draft {
    pub(super) target: usize,
    pub(super) subject: String,
    pub(super) body: String,
}

/// Everything the command gathered before anything goes.
pub(super) struct Plan {
    pub(super) request: Request,
    pub(super) targets: Vec<Target>,
    /// Partners the rules leave out, with why, for a note.
    pub(super) left_out: Vec<(i64, &'static str)>,
    pub(super) letterhead: Letterhead,
    pub(super) roster: Vec<RosterEntry>,
    /// The language of the requester's point of contact: the network's `default_language`.
    pub(super) requester_language: Language,
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

/// The templates of this command, one per language: `--template FILE` for everyone, else for
/// each language the coordinator's own in the templates folder (`KIND-WAY.fr.txt`, `KIND.fr.txt`;
/// in English also `KIND-WAY.txt`, `KIND.txt`), else the built-in one for the request's way. The
/// path returned is the coordinator's template the messages come from, when there is one.
pub(super) fn choose_templates(
    a: &Args,
    kind: Kind,
    way: Way,
    templates_dir: Option<&Path>,
) -> Result<(Templates, Option<PathBuf>)> {
    if let Some(path) = &a.template {
        let templates = Templates::read([(Language::En, read_template(path)?)]).map_err(Error::Invalid)?;
        return Ok((templates, Some(path.clone())));
    }
    let mut sources = Vec::with_capacity(Language::ALL.len());
    let mut own = None;
    for lang in Language::ALL {
        match templates_dir.and_then(|dir| template::in_folder(dir, kind, way, *lang)) {
            Some(path) => {
                sources.push((*lang, read_template(&path)?));
                own.get_or_insert(path);
            }
            None => sources.push((*lang, template::built_in(kind, way, *lang))),
        }
    }
    Ok((Templates::read(sources).map_err(Error::Invalid)?, own))
}

pub(super) fn text_setting(conn: &Reader, key: &str) -> Result<Option<String>> {
    Ok(Some(settings::get(conn, key)?).filter(|v| !v.trim().is_empty()))
}

pub(super) fn check_request(kind: Kind, request: &Request) -> Result<()> {
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
    let language = partner.writes_in(settings::default_language(conn)?);
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
        language,
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

pub(super) fn gather(conn: &Reader, kind: Kind, request: Request, today: chrono::NaiveDate) -> Result<Plan> {
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
    let requester_language = settings::default_language(conn)?;
    Ok(Plan { request, targets, left_out, letterhead, roster, requester_language })
}

/// The partners named with `--partner`, each checked to be among this message's recipients.
pub(super) fn narrow(
    conn: &Reader,
    plan: &mut Plan,
    kind: Kind,
    partners: &[i64],
    today: chrono::NaiveDate,
) -> Result<()> {
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

/// Each message in its recipient's language, from that language's template.
pub(super) fn render(plan: &Plan, kind: Kind, templates: &Templates, going: &[usize]) -> Result<Vec<Draft>> {
    let mut drafts = Vec::with_capacity(going.len());
    for &i in going {
        let target = &plan.targets[i];
        let language = target.who.language(plan.requester_language);
        let template = templates.get(language);
        match templates.render_for(
            kind,
            &plan.request,
            &plan.letterhead,
            &target.who,
            &plan.roster,
            plan.requester_language,
        ) {
            Ok(r) => drafts.push(Draft { target: i, subject: r.subject, body: r.body }),
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
