//! `engage recruit show PARTNER`: a partner with their contact details and engagement history.

use super::record;
use crate::db::partners;
use crate::error::Result;
use crate::{Ctx, Exit};

pub fn run(id: i64, ctx: &mut Ctx<'_>) -> Result<Exit> {
    let db = ctx.open_db()?;
    let p = partners::get(db.conn(), id)?;
    let record = record(db.conn(), &p)?;
    ctx.print_record(&record)?;
    Ok(Exit::Done)
}
