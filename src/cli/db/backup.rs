//! `engage db backup`: SQLite's online backup into a file readable by its owner only.

use crate::app::{Ctx, Exit};
use crate::error::{Error, Result};
use crate::files;
use std::fs;
use std::path::Path;

pub(super) fn backup(ctx: &mut Ctx<'_>, file: &Path, force: bool) -> Result<Exit> {
    if ctx.on_server() {
        return Err(Error::Failed(format!(
            "{} is on a PostgreSQL server, which engage does not back up itself: use the server's pg_dump, or \
             `engage db copy {} FILE` for a copy in an engage file",
            ctx.db_display(),
            ctx.db_display()
        )));
    }
    let target = files::check(file, files::BACKUP, force, &files::Keep { database: &ctx.db_path, inputs: &[] })?;
    let db = ctx.open_db()?;
    let copy = target.create()?;
    db.backup_to(copy.temporary_path(), copy.label())?;
    copy.finish()?;
    let bytes = fs::metadata(file).map(|m| m.len()).unwrap_or(0);
    ctx.note(&format!("Backed up {} to {} ({bytes} bytes).", db.path().display(), file.display()))?;
    Ok(Exit::Done)
}
