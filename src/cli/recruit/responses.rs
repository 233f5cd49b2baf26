//! `engage recruit responses REQ`: the invitations and responses of a request.

use crate::app::{Ctx, Exit};
use crate::cli::parse_id;
use crate::db::{invitations, partners, requests};
use crate::domain::kinds::Response;
use crate::error::Result;
use crate::output::{Column, Listing, Value};

#[derive(Debug, clap::Args)]
pub struct ResponsesArgs {
    /// The request's id
    #[arg(value_parser = parse_id)]
    pub request: i64,
}

pub fn run(a: ResponsesArgs, ctx: &mut Ctx<'_>) -> Result<Exit> {
    let request_id = a.request;
    let db = ctx.open_db()?;
    let request = requests::get(db.conn(), request_id)?;
    let mut listing = Listing::new(&[
        Column::id("partner_id"),
        Column::text("name"),
        Column::date("invited_on").leave_out(1),
        Column::word("response"),
        Column::date("responded_on").leave_out(2),
        Column::text("statement"),
        Column::text("availability").leave_out(4),
        Column::text("conflict").leave_out(3),
    ]);
    let mut counts = (0, 0, 0);
    for i in invitations::for_request(db.conn(), request.id)? {
        let p = partners::get(db.conn(), i.partner_id)?;
        match i.response {
            Some(Response::Interested) => counts.0 += 1,
            Some(Response::Declined) => counts.1 += 1,
            None => counts.2 += 1,
        }
        listing.push(vec![
            Value::Int(p.id),
            Value::text(p.name()),
            Value::opt_date(i.invited_on),
            Value::opt_text(i.response.map(|r| r.as_str())),
            Value::opt_date(i.responded_on),
            Value::opt_text(i.statement),
            Value::opt_text(i.availability),
            Value::opt_text(i.conflict),
        ]);
    }
    ctx.print_listing(&listing, &format!("Nobody has been invited to request {request_id} yet."))?;
    if !listing.is_empty() {
        ctx.note(&format!(
            "Request {request_id}: {} interested, {} declined, {} not answered; {} seat{}.",
            counts.0,
            counts.1,
            counts.2,
            request.seats,
            if request.seats == 1 { "" } else { "s" }
        ))?;
    }
    Ok(Exit::Done)
}
