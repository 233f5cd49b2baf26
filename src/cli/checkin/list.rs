//! `engage checkin list`: the check-ins of one request or all, or only the open concerns.

use super::rows::{COLUMNS, Names, row};
use crate::app::{Ctx, Exit};
use crate::db::{checkins, requests};
use crate::error::Result;
use crate::output::Listing;

pub(super) fn list(request: Option<i64>, open: bool, ctx: &mut Ctx<'_>) -> Result<Exit> {
    let db = ctx.open_db()?;
    if let Some(id) = request {
        requests::get(db.conn(), id)?;
    }
    let mut names = Names::new(db.conn());
    let mut listing = Listing::new(COLUMNS);
    for c in checkins::list(db.conn(), request)? {
        if open && c.open_concern().is_none() {
            continue;
        }
        let name = names.of(c.request_id, c.with)?;
        listing.push(row(&c, &name).into_iter().map(|(_, v)| v).collect());
    }
    let empty = match (request, open) {
        (Some(id), false) => {
            format!("No check-ins on request {id} yet. `engage checkin {id} --partner P` records one.")
        }
        (Some(id), true) => format!("No open concern on request {id}."),
        (None, false) => "No check-ins yet. `engage checkin REQ --partner P` records one.".to_string(),
        (None, true) => "No open concern.".to_string(),
    };
    ctx.print_listing(&listing, &empty)?;
    Ok(Exit::Done)
}
