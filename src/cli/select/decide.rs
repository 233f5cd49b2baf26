//! `engage select decide`: the selected, the waitlisted and the withdrawn, with their reasons.

use super::decision::{Asked, decide_in, report_decided};
use crate::app::{Ctx, Exit};
use crate::cli::check_text;
use crate::db::{partners, selection};
use crate::domain::text::Kind;
use crate::error::{Error, Result};
use crate::output::{Column, Listing, Value};

pub(super) fn decide(
    request_id: i64,
    mut asked: Asked,
    reasons: Vec<(i64, String)>,
    ctx: &mut Ctx<'_>,
) -> Result<Exit> {
    for (id, reason) in reasons {
        check_text(&format!("--reason for partner {id}"), Some(&reason), Kind::Note)?;
        if asked.choice.reasons.insert(id, reason).is_some() {
            return Err(Error::Invalid(format!("--reason is given twice for partner {id}; give one reason each")));
        }
    }
    let mut db = ctx.open_db()?;
    let stamp = ctx.stamp.clone();
    let today = ctx.today;
    let decided = db.write(|tx| decide_in(tx, &stamp, request_id, today, asked.clone()))?;
    for f in &decided.flags {
        ctx.warn(&f.text)?;
    }
    report_decided(&decided, ctx)?;
    let mut listing = Listing::new(&[
        Column::id("partner_id"),
        Column::text("name"),
        Column::word("outcome"),
        Column::text("reason"),
    ]);
    for d in selection::decisions(db.conn(), request_id)? {
        let name = partners::get(db.conn(), d.partner_id)?.name();
        listing.push(vec![
            Value::Int(d.partner_id),
            Value::text(name),
            Value::text(d.outcome.as_str()),
            Value::opt_text(d.reason),
        ]);
    }
    ctx.print_listing(&listing, "")?;
    Ok(Exit::Done)
}
