//! Numbered schema upgrades by `PRAGMA user_version`, each applied in one transaction.

use crate::db::{derived, settings};
use crate::error::{Error, Result};
use rusqlite::{Connection, OptionalExtension, TransactionBehavior};

/// Migration N is `MIGRATIONS[N - 1]`. Append; never edit one that has shipped.
pub const MIGRATIONS: &[&str] = &[
    include_str!("../../schema.sql"),
    // Privacy: keyed identity hashes of the forgotten, their key, the pending erasure mark;
    // tracking columns taken out of the extra answers already imported.
    include_str!("../../migrations/privacy.sql"),
    // Money across redecisions: `withdrew`, `decision.engaged`, one row per reimbursement.
    include_str!("../../migrations/withdrew_and_reimbursements.sql"),
];

pub fn latest() -> i64 {
    MIGRATIONS.len() as i64
}

fn version(conn: &Connection) -> Result<i64> {
    Ok(conn.query_row("PRAGMA user_version", [], |row| row.get(0))?)
}

/// A file written by a newer engage is refused: this one does not know its schema.
pub fn refuse_newer(found: i64, shown_path: &str) -> Result<()> {
    if found > latest() {
        return Err(Error::NewerDatabase { path: shown_path.to_string(), found, known: latest() });
    }
    Ok(())
}

pub fn migrate(conn: &mut Connection, shown_path: &str) -> Result<()> {
    let found = version(conn)?;
    refuse_newer(found, shown_path)?;
    if found == latest() {
        return Ok(());
    }
    // A migration may rebuild a table others refer to (SQLite changes a CHECK that way): foreign
    // keys are off while it runs and checked, every one, before it commits (SQLite's "twelve
    // steps"). The pragma cannot change inside a transaction, so it is set around it.
    conn.pragma_update(None, "foreign_keys", false)?;
    let upgraded = upgrade(conn, shown_path);
    conn.pragma_update(None, "foreign_keys", true)?;
    upgraded
}

fn upgrade(conn: &mut Connection, shown_path: &str) -> Result<()> {
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    // Another engage may have migrated while this one waited for the lock.
    let found = version(&tx)?;
    refuse_newer(found, shown_path)?;
    if found == latest() {
        return Ok(());
    }
    for (index, sql) in MIGRATIONS.iter().enumerate().skip(found as usize) {
        tx.execute_batch(sql)
            .map_err(|e| Error::db(format!("could not upgrade {shown_path} to schema version {}", index + 1), e))?;
    }
    let broken: Option<String> = tx.query_row("PRAGMA foreign_key_check", [], |row| row.get(0)).optional()?;
    if let Some(table) = broken {
        return Err(Error::Failed(format!(
            "could not upgrade {shown_path}: a row of its {table} table refers to one that is not there; nothing \
             was changed, run `engage db check` with the engage that wrote it"
        )));
    }
    settings::seed_defaults(&tx)?;
    // What the derived tables hold follows from the schema too (who has an account on a
    // request): an upgraded file works them out again.
    if found > 0 {
        derived::rebuild(&tx)?;
    }
    tx.pragma_update(None, "user_version", latest())?;
    tx.commit()?;
    Ok(())
}
