//! `engage config list`: every setting with its value, its default and what it does.

use super::{COLUMNS, item};
use crate::app::{Ctx, Exit};
use crate::db::settings as stored;
use crate::domain::settings::SETTINGS;
use crate::error::Result;
use crate::output::Listing;

pub(super) fn list(ctx: &mut Ctx<'_>) -> Result<Exit> {
    let db = ctx.open_db()?;
    let mut listing = Listing::new(COLUMNS);
    for s in SETTINGS {
        listing.push(item(s, stored::get(db.conn(), s.key)?));
    }
    ctx.print_listing(&listing, "")?;
    Ok(Exit::Done)
}
