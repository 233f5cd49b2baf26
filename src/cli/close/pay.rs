//! `engage close pay`: how a partner was recognized (paying what they are owed), or that they
//! declined.

use super::settle::{PAID, basis, print_account_line, record_declined, record_payment};
use crate::app::{Ctx, Exit};
use crate::db::{partners, requests};
use crate::domain::compensation::Method;
use crate::domain::dates::{DateArg, iso, step_day};
use crate::error::{Error, Result};

pub(super) fn pay(
    request_id: i64,
    partner_id: i64,
    method: Option<Method>,
    declined: bool,
    paid_on: Option<DateArg>,
    ctx: &mut Ctx<'_>,
) -> Result<Exit> {
    let today = ctx.today;
    let on = step_day("--paid-on", paid_on, today, PAID, None).map_err(Error::Invalid)?;
    let method = match (method, declined) {
        (_, true) => None,
        (Some(m), false) => Some(m),
        (None, false) => {
            return Err(Error::Missing(
                "close pay needs --method e-transfer, cheque, gift-card or donation, or --declined".to_string(),
            ));
        }
    };
    let mut db = ctx.open_db()?;
    let request = requests::get(db.conn(), request_id)?;
    let stamp = ctx.stamp.clone();
    let name = partners::get(db.conn(), partner_id)?.name();
    match method {
        Some(method) => {
            let (paid, a) = db.write(|tx| record_payment(tx, &stamp, &request, partner_id, method, on))?;
            ctx.note(&format!(
                "Recorded: partner {partner_id} ({name}) was paid {paid} {} on {} for request {request_id} ({}).",
                method.words(),
                iso(on),
                basis(request.pay, &a, false)
            ))?;
        }
        None => {
            let changed = db.write(|tx| record_declined(tx, &stamp, &request, partner_id))?;
            if changed {
                ctx.note(&format!(
                    "Recorded: partner {partner_id} ({name}) declined compensation for request {request_id}."
                ))?;
            } else {
                ctx.note(&format!(
                    "Partner {partner_id} ({name}) had already declined compensation for request {request_id}; nothing changed."
                ))?;
            }
        }
    }
    print_account_line(ctx, db.conn(), &request, partner_id)
}
