//! `engage db`: where the database is, whether it is healthy, and backups.

use crate::db::{Db, Erasure, derived, sqlite};
use crate::error::{Error, Result};
use crate::files;
use crate::output;
use crate::{Ctx, Exit};
use clap::Subcommand;
use std::fs;
use std::path::{Path, PathBuf};

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
    let shown = ctx.db_path.display().to_string();
    check_file(repair, ctx).map_err(|e| match e {
        // The general sentence says to run `engage db check`: this is it.
        Error::Database { source, .. } if sqlite::is_damaged(&source) => Error::db(
            format!("{shown} is damaged: SQLite cannot read all of it; restore a backup made before the damage"),
            source,
        ),
        other => other,
    })
}

fn check_file(repair: bool, ctx: &mut Ctx<'_>) -> Result<Exit> {
    let mut db = ctx.open_db()?;
    report_erasure(&mut db, ctx)?;
    let problems = db.problems()?;
    let mut stale = derived::verify(db.conn())?;
    if repair && !stale.is_empty() && problems.is_empty() {
        let n = stale.len();
        db.write(derived::rebuild)?;
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

/// A forgetting whose erased text another connection kept in the file's bytes: opening the
/// database finished it if it could; the check waits a little longer, and says which it is.
fn report_erasure(db: &mut Db, ctx: &mut Ctx<'_>) -> Result<()> {
    let finished = match db.erasure() {
        Erasure::Nothing => return Ok(()),
        Erasure::Finished => true,
        Erasure::HeldBack => db.finish_erasure(crate::db::ERASURE_WAIT)?,
    };
    if finished {
        ctx.note(&format!(
            "Finished the erasure of `recruit forget`: the erased text is gone from the bytes of {} and {}.",
            db.path().display(),
            db.wal_path().display()
        ))
    } else {
        ctx.warn(&db.erasure_held_back())
    }
}

fn backup(ctx: &mut Ctx<'_>, file: &Path, force: bool) -> Result<Exit> {
    let target = files::check(file, files::BACKUP, force, &files::Keep { database: &ctx.db_path, inputs: &[] })?;
    let db = ctx.open_db()?;
    let copy = target.create()?;
    db.backup_to(copy.temporary_path(), copy.label())?;
    copy.finish()?;
    let bytes = fs::metadata(file).map(|m| m.len()).unwrap_or(0);
    ctx.note(&format!("Backed up {} to {} ({bytes} bytes).", db.path().display(), file.display()))?;
    Ok(Exit::Done)
}
