//! `engage request show`: one request with its criteria and its timeline.

use super::view::record;
use crate::app::{Ctx, Exit};
use crate::db::requests;
use crate::error::Result;

pub(super) fn show(id: i64, ctx: &mut Ctx<'_>) -> Result<Exit> {
    let db = ctx.open_db()?;
    let request = requests::get(db.conn(), id)?;
    let record = record(db.conn(), &request)?;
    ctx.print_record(&record)?;
    Ok(Exit::Done)
}
