//! `engage close reimburse`: a partner's expenses logged since the last reimbursement, paid back.

use super::settle::{REIMBURSED, print_account_line, record_reimbursement};
use crate::app::{Ctx, Exit};
use crate::db::{partners, requests};
use crate::domain::dates::{DateArg, iso, step_day};
use crate::error::{Error, Result};

pub(super) fn reimburse(request_id: i64, partner_id: i64, on: Option<DateArg>, ctx: &mut Ctx<'_>) -> Result<Exit> {
    let today = ctx.today;
    let on = step_day("--on", on, today, REIMBURSED, None).map_err(Error::Invalid)?;
    let mut db = ctx.open_db()?;
    let request = requests::get(db.conn(), request_id)?;
    let stamp = ctx.stamp.clone();
    let name = partners::get(db.conn(), partner_id)?.name();
    let amount = db.write(|tx| record_reimbursement(tx, &stamp, &request, partner_id, on))?;
    ctx.note(&format!(
        "Recorded: partner {partner_id} ({name}) was reimbursed {amount} of expenses on {} for request {request_id}.",
        iso(on)
    ))?;
    print_account_line(ctx, db.conn(), &request, partner_id)
}
