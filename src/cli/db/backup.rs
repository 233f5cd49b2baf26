//! `engage db backup`: SQLite's online backup into a file readable by its owner only.

use crate::app::{Ctx, Exit};
use crate::db::Db;
use crate::error::{Error, Result};
use crate::files;
use rusqlite::Connection;
use rusqlite::backup::Backup;
use std::fs;
use std::path::Path;
use std::time::Duration;

pub(super) fn backup(ctx: &mut Ctx<'_>, file: &Path, force: bool) -> Result<Exit> {
    let target = files::check(file, files::BACKUP, force, &files::Keep { database: &ctx.db_path, inputs: &[] })?;
    let db = ctx.open_db()?;
    let copy = target.create()?;
    copy_to(&db, copy.temporary_path(), copy.label())?;
    copy.finish()?;
    let bytes = fs::metadata(file).map(|m| m.len()).unwrap_or(0);
    ctx.note(&format!("Backed up {} to {} ({bytes} bytes).", db.path().display(), file.display()))?;
    Ok(Exit::Done)
}

/// SQLite's online backup into `partial`, a file `files` made owner-only.
fn copy_to(db: &Db, partial: &Path, shown: &str) -> Result<()> {
    let mut target = Connection::open(partial).map_err(|e| Error::db(format!("could not write {shown}"), e))?;
    {
        let backup = Backup::new(db.conn(), &mut target)?;
        backup.run_to_completion(1024, Duration::from_millis(0), None)?;
    }
    target.close().map_err(|(_, e)| Error::db(format!("could not write {shown}"), e))?;
    Ok(())
}
