//! `engage select roster`: the requester's contact sheet, the selected partners only.

use crate::app::{Ctx, Exit};
use crate::db::{invitations, partners, requests, selection};
use crate::domain::plural;
use crate::domain::selection::Outcome;
use crate::error::Result;
use crate::output::{Column, Listing, Value};

pub(super) fn roster(request_id: i64, ctx: &mut Ctx<'_>) -> Result<Exit> {
    let db = ctx.open_db()?;
    let request = requests::get(db.conn(), request_id)?;
    let mut listing = Listing::new(&[
        Column::id("partner_id").leave_out(1),
        Column::text("name"),
        Column::text("pronouns").leave_out(2),
        Column::email("email"),
        Column::phone("phone"),
        Column::word("preferred_contact").leave_out(3),
        Column::text("languages").leave_out(4),
        Column::text("accessibility_needs"),
        Column::text("availability").leave_out(5),
    ]);
    // Contact details only for the engagement signed up for (docs/rules.md, rule 7): the selected
    // partners of this engagement, and nobody else.
    for d in selection::decisions(db.conn(), request_id)?.into_iter().filter(|d| d.outcome == Outcome::Selected) {
        let p = partners::get(db.conn(), d.partner_id)?;
        let answered = invitations::find(db.conn(), request_id, d.partner_id)?.and_then(|i| i.availability);
        listing.push(vec![
            Value::Int(p.id),
            Value::text(p.name()),
            Value::opt_text(p.pronouns.clone()),
            Value::opt_text(p.email.clone()),
            Value::opt_text(p.phone.clone()),
            Value::opt_text(p.preferred_contact.clone()),
            Value::List(p.languages.clone()),
            Value::opt_text(p.accessibility_needs.clone()),
            Value::opt_text(answered.or(p.availability.clone())),
        ]);
    }
    ctx.print_listing(
        &listing,
        &format!(
            "Request {request_id} has nobody selected yet; `engage select decide {request_id} --select IDS` chooses."
        ),
    )?;
    if !listing.is_empty() {
        ctx.note(&format!(
            "Roster of request {request_id} ({}): {}, for {} at {} only.",
            request.title,
            plural(listing.rows.len(), "selected partner", "selected partners"),
            request.contact_name,
            request.organization
        ))?;
    }
    Ok(Exit::Done)
}
