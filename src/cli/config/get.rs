//! `engage config get`: one setting's value, bare for a shell, or as `config list` shows it.

use super::{COLUMNS, item, known};
use crate::app::{Ctx, Exit};
use crate::db::settings as stored;
use crate::error::Result;
use crate::output::{Format, Record};

pub(super) fn get(key: &str, ctx: &mut Ctx<'_>) -> Result<Exit> {
    let setting = known(key)?;
    let db = ctx.open_db()?;
    let value = stored::get(db.conn(), setting.key)?;
    // A script in a shell reads the bare value; CSV and JSON are the shape of one of
    // `config list`'s items.
    if ctx.format == Format::Table {
        writeln!(ctx.out, "{value}")?;
    } else {
        let mut record = Record::default();
        for (key, v) in COLUMNS.iter().copied().zip(item(setting, value)) {
            record.field(key, v);
        }
        ctx.print_record(&record)?;
    }
    Ok(Exit::Done)
}
