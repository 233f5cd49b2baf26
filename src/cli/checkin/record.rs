//! `engage checkin REQ`: a check-in recorded from flags, or asked for on a terminal.

use super::RecordArgs;
use super::rows::row;
use crate::app::{Ctx, Exit};
use crate::cli::{check_text, checked_answer, flag_list, parse_dollars, parse_hour_count};
use crate::db::Reader;
use crate::db::{checkins, closing, events, partners, requests, settings};
use crate::domain::checkin::{self, Checkin, CheckinStatus, Concern, StatusReading, With, read_status};
use crate::domain::dates::{DateArg, iso, step_day};
use crate::domain::kinds::PartnerStatus;
use crate::domain::request::Request;
use crate::domain::text::{Kind, optional};
use crate::error::{Error, Result};
use crate::output::{Format, Record};
use crate::prompt::{OrFlag, Prompter, ask_optional};

/// What a check-in's day may not be after, and why.
const HELD: &str = "a check-in is recorded once it has been held";

/// Who the flags name, if anyone.
fn with_from_flags(a: &RecordArgs) -> Option<With> {
    match (a.partner, a.requester, a.team) {
        (Some(id), _, _) => Some(With::Partner(id)),
        (None, true, _) => Some(With::Requester),
        (None, false, true) => Some(With::Team),
        (None, false, false) => None,
    }
}

/// Hours and expenses belong to one partner.
fn check_per_partner(with: With, a: &RecordArgs) -> Result<()> {
    if with.partner_id().is_some() {
        return Ok(());
    }
    let Some(given) = flag_list(&[
        ("--hours", a.hours.is_some()),
        ("--expenses", a.expenses.is_some()),
        ("--expense-note", a.expense_note.is_some()),
    ]) else {
        return Ok(());
    };
    Err(Error::Invalid(format!(
        "{} {} logged per partner, not for {with}; give {} with --partner P",
        given.names,
        given.are(),
        given.them()
    )))
}

fn kind_missing(status: CheckinStatus) -> Error {
    Error::Missing(format!(
        "--status {status} needs --concern {}: say what kind of concern it is (a conduct concern goes to the \
         engagement leader at once)",
        Concern::choices()
    ))
}

pub(super) fn record(request_id: i64, mut a: RecordArgs, ctx: &mut Ctx<'_>) -> Result<Exit> {
    let today = ctx.today;
    // Everything the flags alone can tell is checked before the database is opened.
    let held_on = step_day("--on", a.on, today, HELD, None).map_err(Error::Invalid)?;
    let next = a.next.map(|d| d.resolve(today));
    if next.is_some() {
        checkin::next_due(held_on, 1, next).map_err(Error::Invalid)?;
    }
    // With no flag for what the form asks, a terminal walks through the whole form; with flags,
    // it asks only for what is required and missing (who, and the kind of a concern).
    let guided = with_from_flags(&a).is_none()
        && a.status.is_none()
        && a.concern.is_none()
        && a.hours.is_none()
        && a.expenses.is_none()
        && a.expense_note.is_none()
        && a.note.is_none();
    let mut with = with_from_flags(&a);
    if let Some(w) = with {
        check_per_partner(w, &a)?;
    }
    if a.expense_note.is_some() && a.expenses.is_none() {
        return Err(Error::Invalid(
            "--expense-note says what --expenses were for; pass --expenses DOLLARS with it".to_string(),
        ));
    }
    let reading = read_status(a.status, a.concern).map_err(Error::Invalid)?;
    check_text("--note", a.note.as_deref(), Kind::Note)?;
    check_text("--expense-note", a.expense_note.as_deref(), Kind::Note)?;
    a.note = a.note.as_deref().and_then(optional);
    a.expense_note = a.expense_note.as_deref().and_then(optional);
    if !ctx.interactive() {
        if with.is_none() {
            return Err(Error::Missing(
                "checkin needs --partner P, --requester or --team: say who the check-in was with".to_string(),
            ));
        }
        if let StatusReading::KindMissing(status) = reading {
            return Err(kind_missing(status));
        }
    }
    let mut db = ctx.open_db()?;
    let request = requests::get(db.conn(), request_id)?;
    let recorded = request.recorded("a check-in is held once the request is recorded");
    step_day("--on", Some(DateArg::On(held_on)), today, HELD, Some(&recorded)).map_err(Error::Invalid)?;
    let (mut status, mut concern) = match reading {
        StatusReading::Settled(s, c) => (s, c),
        StatusReading::KindMissing(s) => (s, None),
    };
    let mut asked = false;
    if let Some(p) = ctx.prompter() {
        let before = (with, status, concern);
        let answers = ask_missing(p, db.conn(), &request, &mut a, with, (status, concern), guided)?;
        asked = guided || before != (Some(answers.0), answers.1, answers.2);
        with = Some(answers.0);
        status = answers.1;
        concern = answers.2;
    }
    let with = with.ok_or_else(|| {
        Error::Missing("checkin needs --partner P, --requester or --team: say who the check-in was with".to_string())
    })?;
    check_per_partner(with, &a)?;
    if status != CheckinStatus::Good && concern.is_none() {
        return Err(kind_missing(status));
    }
    let name = check_with(db.conn(), &request, with, &a)?;
    let next_due = checkin::next_due(held_on, request.checkin_every_days, next).map_err(Error::Invalid)?;
    let mut new = Checkin {
        id: 0,
        request_id: request.id,
        with,
        held_on,
        status,
        concern,
        resolved_on: None,
        resolution: None,
        hours: a.hours.unwrap_or_default(),
        expenses: a.expenses.unwrap_or_default(),
        expense_note: a.expense_note.clone(),
        note: a.note.clone(),
        next_due: Some(next_due),
    };
    if let Some(p) = ctx.prompter().filter(|_| asked) {
        p.say(&format!("Check-in with {}: {}.", describe_with(with, &name), summary(&new, false)))?;
        let confirmed = p.confirm("Record this check-in?", true).map_err(|e| {
            e.into_error(None, "give --partner P, --requester or --team to record it without questions")
        })?;
        if !confirmed {
            ctx.note("Nothing was recorded.")?;
            return Ok(Exit::Done);
        }
    }
    let stamp = ctx.stamp.clone();
    new.id = db.write(|tx| {
        // Checked again where it is written: a payment or a decision another engage recorded
        // while the form was answered counts.
        check_with(tx, &requests::get(tx, request.id)?, with, &a)?;
        let id = checkins::insert(tx, &new)?;
        let detail = format!("check-in {id} with {}: {}", with.party(), summary(&new, true));
        events::log(tx, &stamp, "checkin", Some(request.id), with.partner_id(), &detail)?;
        Ok(id)
    })?;
    if request.status.is_final() {
        ctx.warn(&format!(
            "request {} is {}; the check-in is kept for its history, and its hours and expenses still count",
            request.id, request.status
        ))?;
    }
    ctx.note(&format!(
        "Recorded check-in {} with {} on request {} ({}): {}.",
        new.id,
        describe_with(with, &name),
        request.id,
        request.title,
        summary(&new, false)
    ))?;
    if let Some(kind) = new.open_concern() {
        let followup = settings::get_number(db.conn(), "concern_followup_days")?;
        let due_on = new.concern_due_on(followup).unwrap_or(held_on);
        let reminder = format!("is a reminder from {} until `engage checkin resolve {}`", iso(due_on), new.id);
        if kind == Concern::Conduct {
            ctx.warn(&format!("a conduct concern goes to the engagement leader; this one {reminder}"))?;
        } else {
            ctx.note(&format!("The {kind} concern {reminder}."))?;
        }
    }
    if ctx.format == Format::Table {
        writeln!(ctx.out, "{}", new.id)?;
    } else {
        let mut r = Record::default();
        for (key, value) in row(&new, &name).into_iter() {
            r.field(key, value);
        }
        ctx.print_record(&r)?;
    }
    Ok(Exit::Done)
}

/// `partner 4 (Ana Silva)`, `the requester (Lee Wong)`, `the team`.
fn describe_with(with: With, name: &str) -> String {
    match with {
        With::Team => with.to_string(),
        _ => format!("{with} ({name})"),
    }
}

/// `concerns (conduct); 2.5 hours; $32.50 expenses; next check-in due 2026-12-23`. For the event
/// log, amounts are plain and nothing but ids, kinds and amounts appears.
fn summary(c: &Checkin, for_log: bool) -> String {
    let mut parts = vec![match c.concern {
        Some(kind) => format!("{} ({kind})", c.status),
        None => c.status.to_string(),
    }];
    if c.hours.hundredths() > 0 {
        parts.push(format!("{} hour{}", c.hours, if c.hours.hundredths() == 100 { "" } else { "s" }));
    }
    if c.expenses.cents() > 0 {
        parts.push(if for_log {
            format!("expenses {}", c.expenses.plain())
        } else {
            format!("{} expenses", c.expenses)
        });
    }
    if let Some(next) = c.next_due {
        parts.push(format!("next check-in due {}", iso(next)));
    }
    parts.join("; ")
}

/// Checks that the check-in can be recorded with this person; returns their name.
fn check_with(conn: &Reader, request: &Request, with: With, a: &RecordArgs) -> Result<String> {
    let partner_id = match with {
        With::Requester => return Ok(request.contact_name.clone()),
        With::Team => return Ok("the team".to_string()),
        With::Partner(id) => id,
    };
    let partner = partners::get(conn, partner_id)?;
    if partner.status == PartnerStatus::Forgotten {
        return Err(Error::Refused(format!("partner {partner_id} was forgotten; there is no one to check in with")));
    }
    if !closing::takes_part(conn, request.id, partner_id)? {
        return Err(Error::Refused(format!(
            "partner {partner_id} is not selected for request {}; check-ins are with the partners selected for it \
             (`engage checkin {} --requester` or `--team` for the others)",
            request.id, request.id
        )));
    }
    let logging_expenses = a.expenses.is_some_and(|m| m.cents() > 0);
    if logging_expenses && !request.expenses_reimbursed {
        return Err(Error::Refused(format!(
            "request {} does not reimburse expenses; `engage request edit {} --expenses` changes that",
            request.id, request.id
        )));
    }
    let account = closing::account(conn, request.id, partner_id)?.unwrap_or_default();
    if a.hours.is_some_and(|h| h.hundredths() > 0) && request.pay.hourly().is_some() {
        if let (Some(paid_on), Some(paid)) = (account.paid_on, account.paid) {
            return Err(Error::Refused(format!(
                "partner {partner_id} was already paid {paid} for request {} on {}; hours logged now would not be \
                 paid, so log hours before `engage close pay`",
                request.id,
                iso(paid_on)
            )));
        }
    }
    // Expenses logged after a reimbursement are the next to reimburse: a six-month co-design has
    // monthly expenses (docs/rules.md, rule 10: close the loop).
    Ok(partner.name())
}

/// On a terminal: who, and the kind of a concern, when the flags do not say; in the guided form
/// (no flags) also how it is going, and for a partner hours and expenses, and a note.
fn ask_missing(
    p: &mut dyn Prompter,
    conn: &Reader,
    request: &Request,
    a: &mut RecordArgs,
    with: Option<With>,
    (status, concern): (CheckinStatus, Option<Concern>),
    guided: bool,
) -> Result<(With, CheckinStatus, Option<Concern>)> {
    let with = match with {
        Some(w) => w,
        None => {
            let mut people = Vec::new();
            let mut items = Vec::new();
            for s in closing::selected(conn, request.id)?.into_iter().filter(|s| !s.forgotten) {
                people.push(With::Partner(s.partner_id));
                items.push(format!("partner {}: {}", s.partner_id, s.name));
            }
            people.push(With::Requester);
            items.push(format!("the requester: {} ({})", request.contact_name, request.organization));
            people.push(With::Team);
            items.push("the whole team".to_string());
            let chosen =
                p.choose("Who was the check-in with?", &items, 0).or_flag("--partner P, --requester or --team")?;
            people.get(chosen).copied().unwrap_or(With::Team)
        }
    };
    let status = if guided {
        let items: Vec<String> = CheckinStatus::ALL.iter().map(|s| format!("{s}: {}", s.about())).collect();
        let chosen = p.choose("How is it going?", &items, 0).or_flag("--status S")?;
        CheckinStatus::ALL.get(chosen).copied().unwrap_or(CheckinStatus::Good)
    } else {
        status
    };
    let concern = match (status, concern) {
        (CheckinStatus::Good, _) => None,
        (_, Some(c)) => Some(c),
        (_, None) => {
            let items: Vec<String> = Concern::ALL.iter().map(|c| format!("{c}: {}", c.about())).collect();
            let chosen = p.choose("What kind of concern?", &items, Concern::ALL.len() - 1).or_flag("--concern KIND")?;
            Concern::ALL.get(chosen).copied()
        }
    };
    if !guided {
        return Ok((with, status, concern));
    }
    if with.partner_id().is_some() {
        a.hours = ask_optional(p, "Hours worked since the last check-in (empty for none)", parse_hour_count)
            .or_flag("--hours H")?;
        if request.expenses_reimbursed {
            a.expenses = ask_optional(p, "Expenses to reimburse, in dollars (empty for none)", parse_dollars)
                .or_flag("--expenses DOLLARS")?;
        }
        if a.expenses.is_some_and(|m| m.cents() > 0) {
            a.expense_note =
                ask_optional(p, "What were the expenses for? (empty to skip)", |s| checked_answer(s, Kind::Note))
                    .or_flag("--expense-note T")?;
        }
    }
    a.note = ask_optional(p, "Note (empty to skip)", |s| checked_answer(s, Kind::Note)).or_flag("--note T")?;
    Ok((with, status, concern))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::money::{Hours, Money};
    use chrono::NaiveDate;

    #[test]
    fn hours_and_expenses_go_with_a_partner_only() {
        let a = RecordArgs { hours: Some(Hours(200)), expenses: Some(Money(500)), ..RecordArgs::default() };
        assert!(check_per_partner(With::Partner(4), &a).is_ok());
        assert_eq!(
            check_per_partner(With::Requester, &a).unwrap_err().to_string(),
            "--hours and --expenses are logged per partner, not for the requester; give them with --partner P"
        );
        let b = RecordArgs { hours: Some(Hours(200)), ..RecordArgs::default() };
        assert_eq!(
            check_per_partner(With::Team, &b).unwrap_err().to_string(),
            "--hours is logged per partner, not for the team; give it with --partner P"
        );
        assert!(check_per_partner(With::Team, &RecordArgs::default()).is_ok());
    }

    #[test]
    fn a_check_in_sums_itself_up_without_personal_data_for_the_log() {
        let c = Checkin {
            id: 7,
            request_id: 3,
            with: With::Partner(4),
            held_on: NaiveDate::from_ymd_opt(2026, 11, 23).unwrap(),
            status: CheckinStatus::Concerns,
            concern: Some(Concern::Conduct),
            resolved_on: None,
            resolution: None,
            hours: Hours(250),
            expenses: Money(3_250),
            expense_note: Some("parking at the hospital".into()),
            note: Some("Ana raised something about a team member".into()),
            next_due: NaiveDate::from_ymd_opt(2026, 12, 23),
        };
        assert_eq!(summary(&c, true), "concerns (conduct); 2.5 hours; expenses 32.50; next check-in due 2026-12-23");
        assert_eq!(summary(&c, false), "concerns (conduct); 2.5 hours; $32.50 expenses; next check-in due 2026-12-23");
    }
}
