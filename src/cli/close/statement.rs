//! `engage close statement`: per partner, hours, rate, owed, paid, method, expenses and
//! reimbursements, with totals.

use crate::app::{Ctx, Exit};
use crate::db::{closing, requests};
use crate::domain::compensation::{self};
use crate::error::Result;
use crate::output::compensation::{STATEMENT, statement_row, total_line, totals_fields};
use crate::output::{Format, Listing, Record, Value};

pub(super) fn statement(request_id: i64, ctx: &mut Ctx<'_>) -> Result<Exit> {
    let db = ctx.open_db()?;
    let request = requests::get(db.conn(), request_id)?;
    let accounts = closing::accounts(db.conn(), request_id)?;
    let pay = request.pay;
    let totals = compensation::totals(&accounts, pay);
    let mut listing = Listing::new(STATEMENT);
    for a in &accounts {
        listing.push(statement_row(request.id, pay, a));
    }
    let expenses = if request.expenses_reimbursed { "expenses reimbursed" } else { "expenses not reimbursed" };
    let heading = format!(
        "Request {request_id}: {} for {}; {}; {expenses}.",
        request.title,
        request.organization,
        pay.describe(request.way)
    );
    if ctx.format == Format::Json {
        let mut r = Record::default();
        r.field("request_id", Value::Int(request.id))
            .field("title", Value::text(&request.title))
            .field("organization", Value::text(&request.organization))
            .field("way", Value::text(request.way.as_str()))
            .field("status", Value::text(request.status.as_str()))
            .field("pay_basis", Value::text(pay.basis()))
            .field("rate", Value::opt_money(pay.hourly()))
            .field("honorarium", Value::opt_money(pay.honorarium()))
            .field("expenses_reimbursed", Value::Bool(request.expenses_reimbursed));
        for (_, key, value) in totals_fields(&totals) {
            r.field(key, value);
        }
        r.section("partners", listing);
        ctx.print_record(&r)?;
        return Ok(Exit::Done);
    }
    if !accounts.is_empty() {
        // A finance office reads the total on the statement's last line.
        let mut total = total_line(STATEMENT, &totals, 2);
        total[0] = Value::Int(request.id);
        listing.push(total);
    }
    if ctx.format == Format::Table {
        ctx.note(&heading)?;
    }
    ctx.print_listing(
        &listing,
        &format!("No partner is selected for request {request_id}; there is nothing to compensate."),
    )?;
    Ok(Exit::Done)
}
