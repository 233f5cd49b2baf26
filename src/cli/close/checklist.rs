//! `engage close REQ`: the closing checklist. The steps given as flags are laid over the
//! request's, and it closes when the loop is closed (or with `--force`), or keeps them with
//! `--keep-open`; on a terminal each step, payment and reimbursement is asked for.

use super::StepArgs;
use super::settle::{paid_after, record_declined, record_payment, record_reimbursement, reimbursed_after};
use crate::app::{Ctx, Exit};
use crate::cli::{check_text, checked_answer};
use crate::db::Reader;
use crate::db::{checkins, closing, events, requests};
use crate::domain::closing::{self as steps, Item, Step};
use crate::domain::compensation::{Account, Method, Standing};
use crate::domain::dates::{DateArg, Follows, iso, parse_date_arg, step_day};
use crate::domain::kinds::RequestStatus;
use crate::domain::request::{Closing, Pay, Request};
use crate::domain::shape::Shape;
use crate::domain::text::{Kind, optional};
use crate::error::{Error, Result};
use crate::output::{Column, Listing, Value};
use crate::prompt::{Answer, OrFlag, Prompter, ask, ask_optional};
use chrono::NaiveDate;

/// A payment, a refusal of payment or a reimbursement decided at the closing checklist.
#[derive(Debug, Clone, Copy)]
enum Action {
    Pay(i64, Method, NaiveDate),
    Decline(i64),
    Reimburse(i64, NaiveDate),
}

impl Action {
    /// The same change on an account in memory, to see what would still be missing.
    fn apply_to(self, accounts: &mut [Account], pay: Pay) {
        for a in accounts.iter_mut() {
            match self {
                Action::Pay(id, method, on) if a.partner_id == id => {
                    a.paid = Some(a.owed(pay));
                    a.paid_on = Some(on);
                    a.method = Some(method);
                    a.declined = false;
                }
                Action::Decline(id) if a.partner_id == id => a.declined = true,
                Action::Reimburse(id, on) if a.partner_id == id => {
                    a.reimbursed = Some(a.expenses.max(a.reimbursed.unwrap_or_default()));
                    a.reimbursed_on = Some(on);
                }
                _ => {}
            }
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Ending {
    /// Close when every step is done, else refuse and change nothing.
    Close,
    /// Close, recording what is missing in the event log.
    Force,
    /// Record what was given; leave the request open.
    KeepOpen,
}

/// The closing steps the flags give, checked before the database is opened.
fn steps_from_flags(s: &StepArgs, today: NaiveDate) -> Result<Closing> {
    let date = |flag: &str, d: Option<DateArg>, what: &str| -> Result<Option<NaiveDate>> {
        d.map(|d| step_day(flag, Some(d), today, what, None).map_err(Error::Invalid)).transpose()
    };
    let outcomes = match &s.outcomes {
        Some(text) => {
            let text = optional(text).ok_or_else(|| Error::Invalid("--outcomes cannot be empty".to_string()))?;
            check_text("--outcomes", Some(&text), Kind::Note)?;
            Some(text)
        }
        None => None,
    };
    let [loop_closed, thanked, partner_survey, requester_survey] = DATED_STEPS.map(|(flag, future, _)| (flag, future));
    Ok(Closing {
        outcomes,
        loop_closed_on: date(loop_closed.0, s.loop_closed, loop_closed.1)?,
        thanked_on: date(thanked.0, s.thanked, thanked.1)?,
        partner_survey_on: date(partner_survey.0, s.partner_survey, partner_survey.1)?,
        requester_survey_on: date(requester_survey.0, s.requester_survey, requester_survey.1)?,
        closed_on: None,
    })
}

/// A dated closing step: its flag, what its day may not be after, and its day in a closing.
type DatedStep = (&'static str, &'static str, fn(&Closing) -> Option<NaiveDate>);

const DATED_STEPS: [DatedStep; 4] = [
    ("--loop-closed", "record the outcomes told back once they are", |c| c.loop_closed_on),
    ("--thanked", "record the thanks once they are given", |c| c.thanked_on),
    ("--partner-survey", "record the survey once it is sent", |c| c.partner_survey_on),
    ("--requester-survey", "record the survey once it is sent", |c| c.requester_survey_on),
];

/// Closing steps follow the request: none is dated before it was recorded.
const AFTER_THE_REQUEST: &str = "a closing step comes after the request is recorded";

/// The steps given are not before the request was recorded.
fn check_step_days(given: &Closing, request: &Request, today: NaiveDate) -> Result<()> {
    let recorded = request.recorded(AFTER_THE_REQUEST);
    for (flag, future, day) in DATED_STEPS {
        if let Some(on) = day(given) {
            step_day(flag, Some(DateArg::On(on)), today, future, Some(&recorded)).map_err(Error::Invalid)?;
        }
    }
    Ok(())
}

/// The closing with the steps given laid over it; returns what changed, for the event log.
fn merge(current: &Closing, given: &Closing) -> (Closing, Vec<String>) {
    let mut merged = current.clone();
    let mut changes = Vec::new();
    if let Some(text) = &given.outcomes {
        if current.outcomes.as_ref() != Some(text) {
            changes.push(if current.outcomes.is_some() { "outcomes replaced" } else { "outcomes" }.to_string());
            merged.outcomes = Some(text.clone());
        }
    }
    let dates = [
        ("loop_closed_on", current.loop_closed_on, given.loop_closed_on, &mut merged.loop_closed_on),
        ("thanked_on", current.thanked_on, given.thanked_on, &mut merged.thanked_on),
        ("partner_survey_on", current.partner_survey_on, given.partner_survey_on, &mut merged.partner_survey_on),
        (
            "requester_survey_on",
            current.requester_survey_on,
            given.requester_survey_on,
            &mut merged.requester_survey_on,
        ),
    ];
    for (key, before, after, slot) in dates {
        if let Some(after) = after {
            if before != Some(after) {
                changes.push(steps::change(key, before, after));
                *slot = Some(after);
            }
        }
    }
    (merged, changes)
}

pub(super) fn close(request_id: i64, flags: StepArgs, ctx: &mut Ctx<'_>) -> Result<Exit> {
    let today = ctx.today;
    let given = steps_from_flags(&flags, today)?;
    let mut db = ctx.open_db()?;
    let request = requests::get(db.conn(), request_id)?;
    check_step_days(&given, &request, today)?;
    match request.status {
        RequestStatus::Cancelled => {
            return Err(Error::Refused(format!(
                "request {request_id} was cancelled; a cancelled request is not closed"
            )));
        }
        RequestStatus::Active | RequestStatus::Closed => {}
        // A notice is done once it has gone out (src/domain/shape.rs).
        RequestStatus::Recruiting if !Shape::of_request(&request).selects() => {}
        RequestStatus::Submitted if !Shape::of_request(&request).selects() => {
            return Err(Error::Refused(format!(
                "request {request_id} is an inform request whose notice has not gone out yet; send it first \
                 (`engage message invitation {request_id} --send`, or `engage recruit invite {request_id}`), or \
                 cancel it: `engage request cancel {request_id} --reason R`"
            )));
        }
        status => {
            return Err(Error::Refused(format!(
                "request {request_id} is {status}; only an active request is closed (one that will not go ahead is \
                 cancelled: `engage request cancel {request_id} --reason R`)"
            )));
        }
    }
    let already_closed = request.status == RequestStatus::Closed;
    let mut ending = match (flags.force, flags.keep_open) {
        _ if already_closed => Ending::KeepOpen,
        (true, _) => Ending::Force,
        (_, true) => Ending::KeepOpen,
        _ => Ending::Close,
    };
    let (mut wanted, mut changes) = merge(&request.closing, &given);
    let mut actions = Vec::new();
    let mut concerns_said = false;
    if !already_closed && !flags.force && !flags.keep_open && ctx.interactive() {
        let mut accounts = closing::accounts(db.conn(), request.id)?;
        if let Some(p) = ctx.prompter() {
            let chosen =
                checklist_at_terminal(p, db.conn(), &request, &mut wanted, &mut accounts, &mut actions, today)?;
            let Some(chosen) = chosen else {
                ctx.note("Nothing was recorded.")?;
                return Ok(Exit::Done);
            };
            ending = chosen;
            concerns_said = true;
            changes = merge(&request.closing, &wanted).1;
        }
    }
    let stamp = ctx.stamp.clone();
    let items = db.write(|tx| {
        // A checklist may stay open on a terminal for a while: write only over what it was shown.
        let current = requests::get(tx, request.id)?;
        if current.status != request.status || current.closing != request.closing {
            return Err(Error::Refused(format!(
                "request {request_id} changed while this was being answered (another engage wrote to it); nothing \
                 was changed, run `engage close {request_id}` again"
            )));
        }
        if !changes.is_empty() {
            closing::set_closing(tx, request.id, &wanted)?;
            events::log(tx, &stamp, "closing_steps", Some(request.id), None, &changes.join(", "))?;
        }
        for action in &actions {
            match *action {
                Action::Pay(partner_id, method, on) => {
                    record_payment(tx, &stamp, &request, partner_id, method, on)?;
                }
                Action::Decline(partner_id) => {
                    record_declined(tx, &stamp, &request, partner_id)?;
                }
                Action::Reimburse(partner_id, on) => {
                    record_reimbursement(tx, &stamp, &request, partner_id, on)?;
                }
            }
        }
        let accounts = closing::accounts(tx, request.id)?;
        let partners = Shape::of_request(&request).engages_partners();
        let items = steps::checklist(request.id, &wanted, request.pay, &accounts, partners);
        let missing = steps::missing(&items);
        match ending {
            Ending::KeepOpen => return Ok(items),
            Ending::Close if !missing.is_empty() => return Err(Error::Refused(steps::refusal(request.id, &items))),
            Ending::Close | Ending::Force => {}
        }
        requests::move_to(tx, &stamp, &request, RequestStatus::Closed, None)?;
        closing::set_closing(tx, request.id, &Closing { closed_on: Some(today), ..wanted.clone() })?;
        if missing.is_empty() {
            events::log(tx, &stamp, "closed", Some(request.id), None, "every closing step done")?;
        } else {
            events::log(tx, &stamp, "closed_with_steps_missing", Some(request.id), None, &steps::log_missing(&items))?;
        }
        Ok(items)
    })?;
    let missing = steps::missing(&items);
    let recorded = if changes.is_empty() && actions.is_empty() {
        String::new()
    } else {
        let mut all = changes.clone();
        all.extend(actions.iter().map(|a| match a {
            Action::Pay(id, method, _) => format!("partner {id} paid {}", method.words()),
            Action::Decline(id) => format!("partner {id} declined compensation"),
            Action::Reimburse(id, _) => format!("partner {id}'s expenses reimbursed"),
        }));
        format!("recorded {}; ", all.join(", "))
    };
    let steps_missing = format!("{} step{}", missing.len(), if missing.len() == 1 { "" } else { "s" });
    let open = format!("{steps_missing} still open");
    if already_closed {
        let on = request.closing.closed_on.map(iso).unwrap_or_default();
        ctx.note(&format!("Request {request_id} was closed on {on}; {recorded}{open}."))?;
    } else if ending == Ending::KeepOpen {
        ctx.note(&format!(
            "Request {request_id} stays open: {recorded}{open}. `engage close {request_id}` closes it when every step is done."
        ))?;
    } else {
        if !missing.is_empty() {
            let list: Vec<&str> = missing.iter().map(|i| i.missing.as_str()).collect();
            ctx.warn(&format!(
                "request {request_id} closed with {steps_missing} not done, kept in the event log: {}",
                list.join("; ")
            ))?;
        }
        ctx.note(&format!("Closed request {request_id} ({}) on {}.", request.title, iso(today)))?;
        let unsettled = steps::unsettled(&items);
        if !unsettled.is_empty() {
            let list: Vec<&str> = unsettled.iter().map(|i| i.missing.as_str()).collect();
            ctx.note(&format!(
                "Still to settle, and in the morning reminder (payment_due, reimbursement_due) until it is: {}.",
                list.join("; ")
            ))?;
        }
        if !concerns_said {
            for concern in open_concerns(db.conn(), request_id)? {
                ctx.warn(&concern)?;
            }
        }
    }
    let accounts = closing::accounts(db.conn(), request_id)?;
    ctx.print_listing(&checklist_listing(&items, &accounts), "")?;
    Ok(Exit::Done)
}

fn checklist_listing(items: &[Item], accounts: &[Account]) -> Listing {
    let mut listing = Listing::new(&[
        Column::word("step"),
        Column::id("partner_id").leave_out(1),
        Column::text("name"),
        Column::word("done"),
        Column::date("on"),
        Column::text("detail").leave_out(2),
    ]);
    for i in items {
        let name =
            i.step.partner_id().and_then(|id| accounts.iter().find(|a| a.partner_id == id)).map(|a| a.name.clone());
        listing.push(vec![
            Value::text(i.step.key()),
            Value::opt_int(i.step.partner_id()),
            Value::opt_text(name),
            Value::Bool(i.done),
            Value::opt_date(i.on),
            Value::text(&i.detail),
        ]);
    }
    listing
}

/// A day asked at the checklist: not after today, not before what the step follows.
fn day_answer(text: &str, today: NaiveDate, follows: &Follows) -> std::result::Result<NaiveDate, String> {
    let day = parse_date_arg(text)?;
    step_day("", Some(day), today, "give the day it happened", Some(follows))
}

fn ask_day(p: &mut dyn Prompter, prompt: &str, today: NaiveDate, follows: &Follows) -> Answer<Option<NaiveDate>> {
    ask_optional(p, prompt, |text| day_answer(text, today, follows))
}

fn ask_day_or_today(p: &mut dyn Prompter, prompt: &str, today: NaiveDate, follows: &Follows) -> Answer<NaiveDate> {
    ask(p, prompt, Some("today"), |text| day_answer(text, today, follows))
}

/// The open concerns of a request's check-ins, as warnings.
fn open_concerns(conn: &Reader, request_id: i64) -> Result<Vec<String>> {
    Ok(checkins::list(conn, Some(request_id))?
        .into_iter()
        .filter_map(|c| {
            c.open_concern().map(|kind| {
                format!(
                    "the {kind} concern raised at check-in {} is still open; `engage checkin resolve {}` when it is",
                    c.id, c.id
                )
            })
        })
        .collect())
}

/// On a terminal: each closing step, done or asked for; then what to do, the open concerns said
/// first. `None`: the coordinator chose to change nothing.
fn checklist_at_terminal(
    p: &mut dyn Prompter,
    conn: &Reader,
    request: &Request,
    wanted: &mut Closing,
    accounts: &mut [Account],
    actions: &mut Vec<Action>,
    today: NaiveDate,
) -> Result<Option<Ending>> {
    let id = request.id;
    let partners = Shape::of_request(request).engages_partners();
    p.say(&format!("Closing request {id}: {} ({}).", request.title, request.organization))?;
    match &wanted.outcomes {
        Some(text) => p.say(&format!("[x] outcomes: {text}"))?,
        None => {
            p.say("What came of the engagement, to tell back to the partners?")?;
            wanted.outcomes = ask_optional(p, "Outcomes (empty to leave open)", |s| checked_answer(s, Kind::Note))
                .or_flag("--outcomes T")?;
        }
    }
    let dated: [(&str, &str, &str, &mut Option<NaiveDate>); 4] = [
        (
            "outcomes told back to the partners",
            "Outcomes told back to the partners on",
            "--loop-closed DATE",
            &mut wanted.loop_closed_on,
        ),
        ("partners thanked", "Partners thanked on", "--thanked DATE", &mut wanted.thanked_on),
        (
            "survey sent to the partners",
            "Survey sent to the partners on",
            "--partner-survey DATE",
            &mut wanted.partner_survey_on,
        ),
        (
            "survey sent to the requester",
            "Survey sent to the requester on",
            "--requester-survey DATE",
            &mut wanted.requester_survey_on,
        ),
    ];
    // Nobody was engaged by a notice: only the requester's survey is asked for.
    let dated: Vec<_> =
        dated.into_iter().filter(|(_, _, flag, _)| partners || flag.starts_with("--requester")).collect();
    if dated.iter().any(|(_, _, _, slot)| slot.is_none()) {
        p.say("Give each day as YYYY-MM-DD or today; leave it empty if it is not done yet.")?;
    }
    let recorded = request.recorded(AFTER_THE_REQUEST);
    for (done, asked, flag, slot) in dated {
        match slot {
            Some(on) => p.say(&format!("[x] {done} on {}", iso(*on)))?,
            None => *slot = ask_day(p, asked, today, &recorded).or_flag(flag)?,
        }
    }
    let pay = request.pay;
    let methods = Method::ALL;
    for a in accounts.iter() {
        let who = format!("partner {} ({})", a.partner_id, a.name);
        let owed = a.owed(pay);
        let pay_flag = format!("`engage close pay {id} {} --method M` (or --declined)", a.partner_id);
        let pay_instead = |e: crate::prompt::Unanswered| e.into_error(None, format!("record it with {pay_flag}"));
        match a.standing(pay) {
            Standing::Paid | Standing::Declined | Standing::NothingOwed => {
                let item = steps::checklist(id, wanted, pay, std::slice::from_ref(a), true);
                let detail = item.iter().find(|i| i.step == Step::Compensation(a.partner_id)).map(|i| i.detail.clone());
                p.say(&format!("[x] {who}: {}", detail.unwrap_or_default()))?;
            }
            Standing::NoHours => {
                p.say(&format!(
                    "[ ] {who}: no hours logged at {}/hour; `engage checkin {id} --partner {} --hours H` logs them",
                    pay.hourly().unwrap_or_default(),
                    a.partner_id
                ))?;
                let items = vec!["leave open".to_string(), "declined".to_string()];
                if p.choose(&format!("Partner {}'s compensation", a.partner_id), &items, 0).map_err(pay_instead)? == 1 {
                    actions.push(Action::Decline(a.partner_id));
                }
            }
            standing @ (Standing::Owed | Standing::Offered) => {
                let basis = super::settle::basis(pay, a, false);
                // The explanation is its own line; the question stays short enough for one.
                let (line, prompt) = if standing == Standing::Offered {
                    (
                        format!(
                            "[ ] {who}: {owed} ({basis}) to offer, not assumed: payment may affect their benefits."
                        ),
                        format!("Partner {}'s choice", a.partner_id),
                    )
                } else {
                    (format!("[ ] {who}: {owed} owed ({basis})."), format!("Partner {}'s compensation", a.partner_id))
                };
                p.say(&line)?;
                let mut items = vec!["leave open".to_string()];
                items.extend(methods.iter().map(|m| format!("paid {}", m.words())));
                items.push("declined".to_string());
                let chosen = p.choose(&prompt, &items, 0).map_err(pay_instead)?;
                if chosen == items.len() - 1 {
                    actions.push(Action::Decline(a.partner_id));
                } else if let Some(method) = chosen.checked_sub(1).and_then(|i| methods.get(i)) {
                    let worked = checkins::last_logged(conn, id, a.partner_id)?.0;
                    let follows = paid_after(request, a.partner_id, worked);
                    let on = ask_day_or_today(p, "Paid on", today, &follows).map_err(pay_instead)?;
                    actions.push(Action::Pay(a.partner_id, *method, on));
                }
            }
        }
        let outstanding = a.expenses_outstanding();
        if a.expenses.cents() > 0 {
            match a.reimbursed_on {
                Some(on) if outstanding.cents() == 0 => {
                    p.say(&format!("[x] {who}: expenses of {} reimbursed, the last on {}", a.expenses, iso(on)))?
                }
                _ => {
                    let instead = |e: crate::prompt::Unanswered| {
                        e.into_error(None, format!("record it with `engage close reimburse {id} {}`", a.partner_id))
                    };
                    p.say(&format!("[ ] {who}: expenses of {outstanding}."))?;
                    if p.confirm(&format!("Partner {}'s expenses reimbursed?", a.partner_id), false).map_err(instead)? {
                        let spent = checkins::last_logged(conn, id, a.partner_id)?.1;
                        let follows = reimbursed_after(request, a.partner_id, spent);
                        let on = ask_day_or_today(p, "Reimbursed on", today, &follows).map_err(instead)?;
                        actions.push(Action::Reimburse(a.partner_id, on));
                    }
                }
            }
        }
    }
    for action in actions.iter() {
        action.apply_to(accounts, pay);
    }
    let items = steps::checklist(id, wanted, pay, accounts, partners);
    let missing = steps::missing(&items);
    let unsettled = steps::unsettled(&items);
    if !unsettled.is_empty() {
        p.say(&format!("To settle, before or after closing ({}):", unsettled.len()))?;
        for i in &unsettled {
            p.say(&format!("  - {}", i.missing))?;
        }
    }
    // An open concern is said before the request is closed, not after.
    for concern in open_concerns(conn, id)? {
        p.say(&format!("warning: {concern}"))?;
    }
    let keep = "keep the request open, recording these answers".to_string();
    let nothing = "change nothing".to_string();
    let (choices, endings) = if missing.is_empty() {
        p.say("Every closing step is done.")?;
        (vec![format!("close request {id} now"), keep, nothing], [Ending::Close, Ending::KeepOpen])
    } else {
        p.say(&format!("Still open ({}):", missing.len()))?;
        for i in &missing {
            p.say(&format!("  - {}", i.missing))?;
        }
        (
            vec![keep, "close anyway: the missing steps go into the event log".to_string(), nothing],
            [Ending::KeepOpen, Ending::Force],
        )
    };
    let chosen = p.choose("What now?", &choices, 0).map_err(|e| {
        e.into_error(None, format!("give the steps as flags: `engage close {id} --outcomes T --thanked DATE ...`"))
    })?;
    Ok(endings.get(chosen).copied())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn merging_steps_records_only_what_changed() {
        let current = Closing { thanked_on: Some(d("2026-11-20")), ..Closing::default() };
        let given = Closing {
            outcomes: Some("checklist adopted".into()),
            thanked_on: Some(d("2026-11-20")),
            partner_survey_on: Some(d("2026-11-23")),
            ..Closing::default()
        };
        let (merged, changes) = merge(&current, &given);
        assert_eq!(changes, vec!["outcomes", "partner_survey_on 2026-11-23"]);
        assert_eq!(merged.thanked_on, Some(d("2026-11-20")));
        assert_eq!(merged.outcomes.as_deref(), Some("checklist adopted"));
        let later = Closing { thanked_on: Some(d("2026-11-22")), ..Closing::default() };
        assert_eq!(merge(&merged, &later).1, vec!["thanked_on 2026-11-20 → 2026-11-22"]);
    }

    #[test]
    fn step_dates_cannot_be_in_the_future() {
        let flags = StepArgs { thanked: Some(DateArg::On(d("2026-11-24"))), ..StepArgs::default() };
        assert_eq!(
            steps_from_flags(&flags, d("2026-11-23")).unwrap_err().to_string(),
            "--thanked 2026-11-24 is after today (2026-11-23); record the thanks once they are given"
        );
        let empty = StepArgs { outcomes: Some("  ".into()), ..StepArgs::default() };
        assert_eq!(steps_from_flags(&empty, d("2026-11-23")).unwrap_err().to_string(), "--outcomes cannot be empty");
    }
}
