//! `engage db`: where the database is, whether it is healthy, and backups.

use crate::db::{Db, derived};
use crate::error::{Error, Result};
use crate::output;
use crate::{Ctx, Exit};
use clap::Subcommand;
use rusqlite::Connection;
use rusqlite::backup::Backup;
use std::fs::{self, OpenOptions};
use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::time::Duration;

#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(subcommand)]
    pub command: DbCommand,
}

#[derive(Debug, Subcommand)]
pub enum DbCommand {
    /// Print the database file's path (from --db, ENGAGE_DB or the default)
    #[command(after_help = "Example:\n  engage db path")]
    Path,
    /// Check the file: SQLite's integrity_check and foreign_key_check, and that the reminders
    /// and tallies kept for the reports match the tables; exit 1 on any problem
    #[command(after_help = "\
Examples:
  engage db check && echo healthy
  engage db check --repair      # work the reminders, tallies and partner counts out again if they differ")]
    Check {
        /// When the reminders or tallies differ from what the tables say, work them out again
        #[arg(long)]
        repair: bool,
    },
    /// Copy the database to FILE while others keep using it (SQLite's online backup); the copy is
    /// readable by its owner only
    #[command(
        after_help = "Examples:\n  engage db backup ~/backups/engage-$(date +%F).db\n  engage db backup /media/usb/engage.db --force"
    )]
    Backup {
        /// Where to write the copy
        file: PathBuf,
        /// Replace FILE if it exists
        #[arg(long)]
        force: bool,
    },
}

pub fn run(args: Args, ctx: &mut Ctx<'_>) -> Result<Exit> {
    match args.command {
        DbCommand::Path => {
            writeln!(ctx.out, "{}", ctx.db_path.display())?;
            Ok(Exit::Done)
        }
        DbCommand::Check { repair } => check(repair, ctx),
        DbCommand::Backup { file, force } => backup(ctx, &file, force),
    }
}

fn check(repair: bool, ctx: &mut Ctx<'_>) -> Result<Exit> {
    let mut db = ctx.open_db()?;
    let problems = problems(db.conn())?;
    let mut stale = derived::verify(db.conn())?;
    if repair && !stale.is_empty() && problems.is_empty() {
        let n = stale.len();
        db.write(|tx| {
            derived::rebuild(tx)?;
            crate::db::partners::recount_all(tx)
        })?;
        ctx.note(&format!(
            "Worked the reminders, tallies and partner counts out again from the tables ({n} difference{} found).",
            if n == 1 { "" } else { "s" }
        ))?;
        stale = derived::verify(db.conn())?;
    }
    if problems.is_empty() && stale.is_empty() {
        let ok = format!(
            "ok: {} passed integrity_check and foreign_key_check, and its reminders, tallies and partner counts are current",
            db.path().display()
        );
        writeln!(ctx.out, "{}", output::wrap_sentence(&ok, ctx.table_style().width, 2))?;
        return Ok(Exit::Done);
    }
    for p in problems.iter().chain(&stale) {
        writeln!(ctx.out, "{}", output::wrap_sentence(&p.to_string(), ctx.table_style().width, 2))?;
    }
    if problems.is_empty() {
        return Err(Error::Failed(format!(
            "{}: the reminders and tallies kept for the reports differ from the tables in {} place{}; \
             `engage db check --repair` works them out again",
            db.path().display(),
            stale.len(),
            if stale.len() == 1 { "" } else { "s" }
        )));
    }
    let n = problems.len() + stale.len();
    Err(Error::Failed(format!(
        "{} has {n} problem{}; restore a backup or ask for help before changing anything",
        db.path().display(),
        if n == 1 { "" } else { "s" }
    )))
}

/// What integrity_check and foreign_key_check report; empty when the file is healthy.
pub fn problems(conn: &Connection) -> Result<Vec<String>> {
    let mut out = Vec::new();
    let mut stmt = conn.prepare("PRAGMA integrity_check")?;
    for line in stmt.query_map([], |row| row.get::<_, String>(0))? {
        let line = line?;
        if line != "ok" {
            out.push(format!("integrity: {line}"));
        }
    }
    let mut stmt = conn.prepare("PRAGMA foreign_key_check")?;
    let rows = stmt.query_map([], |row| {
        Ok(format!(
            "foreign key: {} row {} points to a missing {}",
            row.get::<_, String>(0)?,
            row.get::<_, Option<i64>>(1)?.map_or("?".to_string(), |r| r.to_string()),
            row.get::<_, String>(2)?
        ))
    })?;
    for row in rows {
        out.push(row?);
    }
    Ok(out)
}

fn backup(ctx: &mut Ctx<'_>, file: &Path, force: bool) -> Result<Exit> {
    if file.exists() && !force {
        return Err(Error::Refused(format!(
            "{} already exists; choose another name or pass --force to replace it",
            file.display()
        )));
    }
    let db = ctx.open_db()?;
    if fs::canonicalize(file).ok() == fs::canonicalize(db.path()).ok() && file.exists() {
        return Err(Error::Invalid(format!("{} is the database itself; choose another file", file.display())));
    }
    // Written beside the target and renamed into place: a failed backup leaves no half file.
    let name = file.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let partial = file.with_file_name(format!(".{name}.engage-partial"));
    let result = copy_to(&db, &partial).and_then(|()| {
        fs::rename(&partial, file).map_err(|e| Error::io(format!("could not write {}", file.display()), e))
    });
    if result.is_err() {
        let _ = fs::remove_file(&partial);
    }
    result?;
    let bytes = fs::metadata(file).map(|m| m.len()).unwrap_or(0);
    ctx.note(&format!("Backed up {} to {} ({bytes} bytes).", db.path().display(), file.display()))?;
    Ok(Exit::Done)
}

fn copy_to(db: &Db, partial: &Path) -> Result<()> {
    let _ = fs::remove_file(partial);
    OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(partial)
        .map_err(|e| Error::io(format!("could not create {}", partial.display()), e))?;
    // An existing file keeps its mode when replaced; make sure the copy is owner-only regardless.
    fs::set_permissions(partial, fs::Permissions::from_mode(0o600))
        .map_err(|e| Error::io(format!("could not protect {}", partial.display()), e))?;
    let mut target =
        Connection::open(partial).map_err(|e| Error::db(format!("could not open {}", partial.display()), e))?;
    {
        let backup = Backup::new(db.conn(), &mut target)?;
        backup.run_to_completion(1024, Duration::from_millis(0), None)?;
    }
    target.close().map_err(|(_, e)| Error::db(format!("could not finish {}", partial.display()), e))?;
    Ok(())
}
