//! `engage recruit show PARTNER`: a partner with their contact details and engagement history.

use super::record;
use crate::app::{Ctx, Exit};
use crate::cli::parse_id;
use crate::db::partners;
use crate::error::Result;

#[derive(Debug, clap::Args)]
pub struct ShowArgs {
    /// The partner's id
    #[arg(value_parser = parse_id)]
    pub partner: i64,
}

pub fn run(a: ShowArgs, ctx: &mut Ctx<'_>) -> Result<Exit> {
    let id = a.partner;
    let db = ctx.open_db()?;
    let p = partners::get(db.conn(), id)?;
    let record = record(db.conn(), &p)?;
    ctx.print_record(&record)?;
    Ok(Exit::Done)
}
