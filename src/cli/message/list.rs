//! `engage message list REQ`: the delivery log of a request.

use crate::app::{Ctx, Exit};
use crate::cli::parse_id;
use crate::db::{messages, requests};
use crate::error::Result;
use crate::output::{Listing, Value};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The request's id
    #[arg(value_parser = parse_id)]
    pub request: i64,
}

pub fn run(a: Args, ctx: &mut Ctx<'_>) -> Result<Exit> {
    let db = ctx.open_db()?;
    let request = requests::get(db.conn(), a.request)?;
    let mut listing =
        Listing::new(&["at", "kind", "partner_id", "to", "subject", "via", "status", "reason", "message_id"]);
    let rows = messages::for_request(db.conn(), request.id)?;
    let mut unknown = 0;
    for m in &rows {
        if m.status.may_have_gone() && !m.status.delivered() {
            unknown += 1;
        }
        let at = m.answered_at.as_deref().unwrap_or(&m.queued_at).replace('T', " ");
        listing.push(vec![
            Value::text(at),
            Value::text(m.kind.as_str()),
            Value::opt_int(m.partner_id),
            Value::opt_text(m.recipient.clone().or_else(|| m.partner_id.map(|_| "(forgotten)".to_string()))),
            Value::opt_text(m.subject.clone()),
            Value::text(&m.via),
            // A message still queued is one whose answer engage never heard: as unknown as a lost one.
            Value::text(if m.status == messages::Status::Queued { "unknown" } else { m.status.as_str() }),
            Value::opt_text(m.reason.clone()),
            Value::text(&m.message_id),
        ]);
    }
    ctx.print_listing(
        &listing,
        &format!("No message went for request {} yet; `engage message KIND {}` drafts one.", request.id, request.id),
    )?;
    if unknown > 0 {
        ctx.warn(&format!(
            "{unknown} message{} of request {} may or may not have arrived (the connection was lost while {} handed over); \
             {} not sent again without --again",
            if unknown == 1 { "" } else { "s" },
            request.id,
            if unknown == 1 { "it was" } else { "they were" },
            if unknown == 1 { "it is" } else { "they are" },
        ))?;
    }
    Ok(Exit::Done)
}
