//! What a payment, a refusal of payment or a reimbursement records and checks, whether it comes
//! from `close pay`, `close reimburse` or the closing checklist.

use crate::app::{Ctx, Exit};
use crate::db::{Reader, Tx};
use crate::db::{checkins, closing, events, partners};
use crate::domain::compensation::{Account, Method, Standing};
use crate::domain::dates::{DateArg, Follows, iso, step_day};
use crate::domain::money::Money;
use crate::domain::request::{Pay, Request};
use crate::error::{Error, Result};
use crate::output::compensation::{STATEMENT, statement_row};
use crate::output::{Format, Record};
use chrono::NaiveDate;

/// What a payment follows: the request, and the last check-in that logged the partner's hours.
pub(super) fn paid_after(request: &Request, partner_id: i64, worked: Option<NaiveDate>) -> Follows {
    request.recorded("a payment comes after the request is recorded").later(worked.map(|day| Follows {
        day,
        what: format!("partner {partner_id}'s hours were last logged"),
        why: "a payment comes after the work it pays for",
    }))
}

/// What a reimbursement follows: the request, and the last check-in that logged expenses.
pub(super) fn reimbursed_after(request: &Request, partner_id: i64, spent: Option<NaiveDate>) -> Follows {
    request.recorded("a reimbursement comes after the request is recorded").later(spent.map(|day| Follows {
        day,
        what: format!("partner {partner_id}'s expenses were last logged"),
        why: "a reimbursement comes after the expenses it pays back",
    }))
}

pub(super) const PAID: &str = "record a payment once it is made";

pub(super) const REIMBURSED: &str = "record a reimbursement once it is made";

/// The partner must have an account on the request (selected, withdrew, or decided otherwise
/// after hours or money were logged) to be compensated for it.
fn selected_account(conn: &Reader, request: &Request, partner_id: i64) -> Result<Account> {
    partners::get(conn, partner_id)?;
    closing::account(conn, request.id, partner_id)?.ok_or_else(|| {
        Error::Refused(format!(
            "partner {partner_id} is not selected for request {}; compensation is for the partners selected for it",
            request.id
        ))
    })
}

fn already_paid(request_id: i64, a: &Account) -> Option<Error> {
    let (on, paid) = (a.paid_on?, a.paid.unwrap_or_default());
    let how = a.method.map(|m| format!(" {}", m.words())).unwrap_or_default();
    Some(Error::Refused(format!(
        "partner {} was already paid {paid}{how} on {} for request {request_id}; nothing changed",
        a.partner_id,
        iso(on)
    )))
}

/// `14 hours at $40.00/hour`, `honorarium`.
pub(super) fn basis(pay: Pay, a: &Account, plain: bool) -> String {
    match pay.hourly() {
        Some(rate) if plain => format!("{} at {}/hour", a.hours.counted(), rate.plain()),
        Some(rate) => format!("{} at {rate}/hour", a.hours.counted()),
        None => "honorarium".to_string(),
    }
}

/// Pays the partner what they are owed now; returns the amount and the account it paid.
pub(super) fn record_payment(
    tx: &Tx<'_>,
    stamp: &crate::domain::Stamp,
    request: &Request,
    partner_id: i64,
    method: Method,
    on: NaiveDate,
) -> Result<(Money, Account)> {
    let a = selected_account(tx, request, partner_id)?;
    if let Some(refusal) = already_paid(request.id, &a) {
        return Err(refusal);
    }
    match a.standing(request.pay) {
        Standing::NothingOwed => {
            return Err(Error::Refused(format!(
                "request {} offers {}; there is nothing to pay partner {partner_id}",
                request.id,
                request.pay.describe(request.way)
            )));
        }
        Standing::NoHours => {
            return Err(Error::Refused(format!(
                "partner {partner_id} has no hours logged on request {}, so nothing is owed yet at {}/hour; log them \
                 first with `engage checkin {} --partner {partner_id} --hours H`",
                request.id,
                request.pay.hourly().unwrap_or_default(),
                request.id
            )));
        }
        _ => {}
    }
    let worked = checkins::last_logged(tx, request.id, partner_id)?.0;
    let follows = paid_after(request, partner_id, worked);
    step_day("--paid-on", Some(DateArg::On(on)), stamp.today, PAID, Some(&follows)).map_err(Error::Invalid)?;
    let owed = a.owed(request.pay);
    closing::pay(tx, request.id, partner_id, method, on, owed)?;
    let detail = format!("{method} {} on {} ({})", owed.plain(), iso(on), basis(request.pay, &a, true));
    events::log(tx, stamp, "compensation_paid", Some(request.id), Some(partner_id), &detail)?;
    Ok((owed, a))
}

/// Returns whether anything changed (a partner who had declined already is left alone).
pub(super) fn record_declined(
    tx: &Tx<'_>,
    stamp: &crate::domain::Stamp,
    request: &Request,
    partner_id: i64,
) -> Result<bool> {
    let a = selected_account(tx, request, partner_id)?;
    if let Some(refusal) = already_paid(request.id, &a) {
        return Err(refusal);
    }
    if a.declined {
        return Ok(false);
    }
    closing::decline(tx, request.id, partner_id)?;
    let detail = format!("declined ({} offered)", a.owed(request.pay).plain());
    events::log(tx, stamp, "compensation_declined", Some(request.id), Some(partner_id), &detail)?;
    Ok(true)
}

/// Reimburses the expenses the partner logged since their last reimbursement; returns the amount.
pub(super) fn record_reimbursement(
    tx: &Tx<'_>,
    stamp: &crate::domain::Stamp,
    request: &Request,
    partner_id: i64,
    on: NaiveDate,
) -> Result<Money> {
    let a = selected_account(tx, request, partner_id)?;
    let outstanding = a.expenses_outstanding();
    if let (Some(done), 0) = (a.reimbursed_on, outstanding.cents()) {
        return Err(Error::Refused(format!(
            "partner {partner_id}'s expenses of {} for request {} were all reimbursed, the last on {}; nothing \
             changed (expenses logged at a later check-in are the next to reimburse)",
            a.expenses,
            request.id,
            iso(done)
        )));
    }
    if a.expenses.cents() == 0 {
        return Err(Error::Refused(format!(
            "partner {partner_id} has no expenses logged on request {}; there is nothing to reimburse \
             (`engage checkin {} --partner {partner_id} --expenses DOLLARS` logs them)",
            request.id, request.id
        )));
    }
    let spent = checkins::last_logged(tx, request.id, partner_id)?.1;
    let follows = reimbursed_after(request, partner_id, spent);
    step_day("--on", Some(DateArg::On(on)), stamp.today, REIMBURSED, Some(&follows)).map_err(Error::Invalid)?;
    closing::reimburse(tx, request.id, partner_id, on, outstanding)?;
    let detail = format!("{} on {}", outstanding.plain(), iso(on));
    events::log(tx, stamp, "expenses_reimbursed", Some(request.id), Some(partner_id), &detail)?;
    Ok(outstanding)
}

/// After a payment or reimbursement, scripts asking for CSV or JSON get the partner's statement line.
pub(super) fn print_account_line(ctx: &mut Ctx<'_>, conn: &Reader, request: &Request, partner_id: i64) -> Result<Exit> {
    if let Some(a) = closing::account(conn, request.id, partner_id)?.filter(|_| ctx.format != Format::Table) {
        let mut r = Record::default();
        for (key, value) in STATEMENT.iter().copied().zip(statement_row(request.id, request.pay, &a)) {
            r.field(key, value);
        }
        ctx.print_record(&r)?;
    }
    Ok(Exit::Done)
}
