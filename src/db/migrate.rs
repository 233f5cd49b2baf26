//! Numbered schema upgrades by `PRAGMA user_version`, each applied in one transaction.

use crate::db::settings;
use crate::error::{Error, Result};
use rusqlite::{Connection, TransactionBehavior};

/// Migration N is `MIGRATIONS[N - 1]`. Append; never edit one that has shipped.
pub const MIGRATIONS: &[&str] = &[
    include_str!("../../schema.sql"),
    // Correspondence: survey links and the message delivery log.
    include_str!("migrations/messages.sql"),
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
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    // Another engage may have migrated while this one waited for the lock.
    let found = version(&tx)?;
    refuse_newer(found, shown_path)?;
    for (index, sql) in MIGRATIONS.iter().enumerate().skip(found as usize) {
        tx.execute_batch(sql)
            .map_err(|e| Error::db(format!("could not upgrade {shown_path} to schema version {}", index + 1), e))?;
    }
    settings::seed_defaults(&tx)?;
    tx.pragma_update(None, "user_version", latest())?;
    tx.commit()?;
    Ok(())
}
