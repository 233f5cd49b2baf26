//! `engage db copy FROM TO`: a whole network from a file to a server or back, checked.

use crate::app::{Ctx, Exit};
use crate::db::{Db, copy, pg};
use crate::error::{Error, Result};
use std::path::Path;

pub(super) fn copy(ctx: &mut Ctx<'_>, from: &Path, to: &Path) -> Result<Exit> {
    let (shown_from, shown_to) = (shown(from)?, shown(to)?);
    if shown_from == shown_to || same_file(from, to) {
        return Err(Error::Invalid(format!(
            "db copy copies a network from one database to another, and {shown_from} is both; give two databases"
        )));
    }
    let secrets = ctx.secrets();
    let source = Db::open_read_only_with(from, &secrets)?;
    let mut target = Db::open_with(to, &secrets)?;
    let copied = copy::copy(&source, &mut target)?;
    let tables = copied.tables.iter().filter(|(_, n)| *n > 0).count();
    ctx.note(&format!(
        "Copied {} rows in {tables} tables from {shown_from} to {shown_to}, and checked the copy: every table has the \
         same rows as the original, and its reminders, tallies and partner counts are current.",
        copied.rows()
    ))?;
    Ok(Exit::Done)
}

/// A database as sentences name it: a file's path, or a server's address without its password.
fn shown(location: &Path) -> Result<String> {
    Ok(match pg::Location::of(location)? {
        pg::Location::File(path) => path.display().to_string(),
        pg::Location::Server(address) => address.to_string(),
    })
}

fn same_file(a: &Path, b: &Path) -> bool {
    matches!((a.canonicalize(), b.canonicalize()), (Ok(a), Ok(b)) if a == b)
}
