//! `engage select notify`: the decisions marked as told, and whom to tell.

use super::pool::HAPPENED;
use crate::app::{Ctx, Exit};
use crate::db::{events, partners, requests, selection};
use crate::domain::dates::{DateArg, Follows, iso, step_day};
use crate::domain::plural;
use crate::domain::selection::tally;
use crate::error::{Error, Result};
use crate::output::{Column, Format, Listing, Value};

pub(super) fn notify(request_id: i64, on: Option<DateArg>, dry_run: bool, ctx: &mut Ctx<'_>) -> Result<Exit> {
    let today = ctx.today;
    let on = step_day("--on", on, today, HAPPENED, None).map_err(Error::Invalid)?;
    let mut db = ctx.open_db()?;
    let stamp = ctx.stamp.clone();
    let told = db.write_or_rollback(dry_run, |tx| {
        let request = requests::get(tx, request_id)?;
        let decisions = selection::decisions(tx, request_id)?;
        if decisions.is_empty() {
            return Err(Error::Refused(format!(
                "request {request_id} has no decision yet; `engage select decide {request_id} --select IDS` makes it"
            )));
        }
        let decided = decisions.iter().filter(|d| d.notified_on.is_none()).map(|d| d.decided_on).max();
        let follows =
            request.recorded("candidates are told after the request is recorded").later(decided.map(|day| Follows {
                day,
                what: "the decision".to_string(),
                why: "candidates are told after it is made",
            }));
        step_day("--on", Some(DateArg::On(on)), today, HAPPENED, Some(&follows)).map_err(Error::Invalid)?;
        let told = selection::notify(tx, request.id, on)?;
        for (partner_id, outcome) in &told {
            events::log(tx, &stamp, "notified", Some(request.id), Some(*partner_id), outcome.as_str())?;
        }
        if !told.is_empty() {
            let detail = format!("told on {}: {}", iso(on), tally(told.iter().map(|(_, o)| *o)));
            events::log(tx, &stamp, "notified", Some(request.id), None, &detail)?;
        }
        Ok(told)
    })?;
    let mut listing = Listing::new(&[
        Column::id("partner_id"),
        Column::text("name"),
        Column::email("email"),
        Column::phone("phone"),
        Column::word("preferred_contact").leave_out(1),
        Column::word("outcome"),
    ]);
    for (partner_id, outcome) in &told {
        let p = partners::get(db.conn(), *partner_id)?;
        listing.push(vec![
            Value::Int(p.id),
            Value::text(p.name()),
            Value::opt_text(p.email.clone()),
            Value::opt_text(p.phone.clone()),
            Value::opt_text(p.preferred_contact.clone()),
            Value::text(outcome.as_str()),
        ]);
    }
    if !told.is_empty() || ctx.format != Format::Table {
        ctx.print_listing(&listing, "")?;
    }
    if told.is_empty() {
        ctx.note(&format!("Every candidate of request {request_id} was already told; nothing changed."))?;
    } else {
        let verb = if dry_run { "Would mark" } else { "Marked" };
        ctx.note(&format!(
            "{verb} {} of request {request_id} as told on {} ({}).",
            plural(told.len(), "decision", "decisions"),
            iso(on),
            tally(told.iter().map(|(_, o)| *o))
        ))?;
    }
    Ok(Exit::Done)
}
