//! `engage db check`: SQLite's integrity and foreign-key checks, and the derived tables compared
//! with the tables they come from (`--repair` works them out again).

use crate::app::{Ctx, Exit};
use crate::db::{Db, Erasure, derived, sqlite};
use crate::error::{Error, Result};
use crate::output;

pub(super) fn check(repair: bool, ctx: &mut Ctx<'_>) -> Result<Exit> {
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
    if problems.is_empty() && stale.is_empty() && db.on_server() {
        let ok = format!(
            "ok: the reminders, tallies and partner counts of {} are current (the server keeps its own pages and \
             foreign keys whole)",
            db.path().display()
        );
        writeln!(ctx.out, "{}", output::wrap_sentence(&ok, ctx.table_style().width, 2))?;
        return Ok(Exit::Done);
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
