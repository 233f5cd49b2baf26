//! The SQLite file's numbered schema upgrades by `PRAGMA user_version`, each applied in one
//! transaction, and the check that a file is engage's before anything is written to it. (A server
//! backend keeps a list of its own, versioned the same way.)

use crate::db::sql::{Reader, Tx};
use crate::db::{derived, settings, sqlite};
use crate::domain::text::in_sentence;
use crate::error::{Error, Result};
use rusqlite::Connection;

/// engage's mark in the header of its files (`PRAGMA application_id`): "enga" in ASCII. SQLite
/// keeps a list of these so that programs can tell their files apart; a file with another mark is
/// another program's.
pub const APPLICATION_ID: i32 = 0x656E_6761;

/// Migration N is `MIGRATIONS[N - 1]`. Append; never edit one that has shipped.
pub const MIGRATIONS: &[&str] = &[
    include_str!("../../schema.sql"),
    // 2: the mark of an engage file, on the files of schema version 1 (which had none) and on every
    // new one. Files of version 1 are recognised by their tables instead (`identify`).
    "PRAGMA application_id = 1701734241;",
    // 3: privacy: keyed identity hashes of the forgotten, their key, the pending erasure mark;
    // tracking columns taken out of the extra answers already imported.
    include_str!("../../migrations/privacy.sql"),
    // 4: money across redecisions: `withdrew`, `decision.engaged`, one row per reimbursement.
    include_str!("../../migrations/withdrew_and_reimbursements.sql"),
    // 5: correspondence: survey links and the message delivery log.
    include_str!("../../migrations/messages.sql"),
    // 6: the reminders' key (request, kind, whom) and their typed detail (JSON); the derived
    // tables kept by the write path.
    include_str!("../../migrations/reminder_key.sql"),
    // 7: each request's owner, the coordinator responsible for it.
    include_str!("../../migrations/request_owner.sql"),
    // 8: whether a request's check-in cadence was given for it (a one-off has none unless it was).
    include_str!("../../migrations/checkin_cadence_given.sql"),
    // 9: the two languages: a partner's language of correspondence, a request's French title and
    // description.
    include_str!("../../migrations/languages.sql"),
    // 10: the partner search index (full text, trigrams), kept by the write path.
    include_str!("../../migrations/partner_search.sql"),
    // 11: every account as its statement adds it up, kept by the write path (`account_tally`).
    include_str!("../../migrations/account_tally.sql"),
    // 12: the partners an invitation can reach, by region, topics and community type
    // (`invitations::matching`).
    include_str!("../../migrations/partner_reachable.sql"),
    // 13: what the reports read, kept or indexed: each request's domain and level in its tally,
    // the engaged partners' index that answers alone, payments and reimbursements by the day, and
    // the partners' names in id order for participation (`partner_card`).
    include_str!("../../migrations/report_figures.sql"),
    // 14: the search index made again lighter to write: no column sizes, segments merged twelve
    // at a time.
    include_str!("../../migrations/search_index_lighter.sql"),
];

/// The tables every engage file has had since schema version 1.
const ENGAGE_TABLES: [&str; 5] = ["setting", "request", "partner", "invitation", "event"];

pub fn latest() -> i64 {
    MIGRATIONS.len() as i64
}

fn version(conn: &Connection) -> Result<i64> {
    sqlite::user_version(conn)
}

/// A file written by a newer engage is refused: this one does not know its schema.
pub fn refuse_newer(found: i64, shown_path: &str) -> Result<()> {
    if found > latest() {
        return Err(Error::NewerDatabase { path: shown_path.to_string(), found, known: latest() });
    }
    Ok(())
}

/// What a file is, read without writing to it: its schema version when it is engage's (0 for a
/// new, empty file), or a refusal that names it and says what it is. The first read of a file
/// that is not SQLite at all fails here too (the caller words that).
pub fn identify(conn: &Connection, shown: &str) -> Result<i64> {
    let mark: i32 = conn.query_row("PRAGMA application_id", [], |row| row.get(0))?;
    let found = version(conn)?;
    let tables: Vec<String> = conn
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY rowid")?
        .query_map([], |row| row.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    let objects: i64 = conn.query_row("SELECT count(*) FROM sqlite_master", [], |row| row.get(0))?;
    let untouched = "engage leaves it untouched";
    if mark != APPLICATION_ID && mark != 0 {
        return Err(Error::Refused(format!(
            "{shown} is not an engage database: it is marked as another program's file (SQLite application_id \
             {:#010x}); {untouched}",
            mark as u32
        )));
    }
    if mark == 0 && objects == 0 && found == 0 {
        return Ok(0);
    }
    let engage_tables = ENGAGE_TABLES.iter().all(|t| tables.iter().any(|name| name == t));
    if mark == 0 && !engage_tables {
        let mut names: Vec<String> = tables.iter().take(5).map(|t| in_sentence(t, 40)).collect();
        if tables.len() > 5 {
            names.push("…".to_string());
        }
        let held = if names.is_empty() {
            "it holds no tables of engage's".to_string()
        } else {
            format!("it holds another program's tables ({})", names.join(", "))
        };
        return Err(Error::Refused(format!("{shown} is not an engage database: {held}; {untouched}")));
    }
    if found > latest() {
        return Err(Error::NewerDatabase { path: shown.to_string(), found, known: latest() });
    }
    // Only schema version 1 was ever written without the mark.
    let known = if mark == 0 { found == 1 } else { found >= 1 };
    if !known {
        return Err(Error::Refused(format!(
            "{shown} has the schema version {found}, which no engage writes: it is damaged or not engage's, and \
             {untouched}"
        )));
    }
    Ok(found)
}

pub fn migrate(reader: &Reader, shown_path: &str) -> Result<()> {
    let conn = reader.sqlite()?;
    let found = version(conn)?;
    refuse_newer(found, shown_path)?;
    if found == latest() {
        return Ok(());
    }
    // A migration may rebuild a table others refer to (SQLite changes a CHECK that way): foreign
    // keys are off while it runs and checked, every one, before it commits (SQLite's "twelve
    // steps"). The pragma cannot change inside a transaction, so it is set around it.
    conn.pragma_update(None, "foreign_keys", false)?;
    let upgraded = upgrade(reader, shown_path);
    conn.pragma_update(None, "foreign_keys", true)?;
    upgraded
}

fn upgrade(reader: &Reader, shown_path: &str) -> Result<()> {
    let tx = Tx::begin(reader)?;
    let conn = tx.sqlite()?;
    // Another engage may have migrated while this one waited for the lock.
    let found = version(conn)?;
    refuse_newer(found, shown_path)?;
    if found == latest() {
        return tx.rollback();
    }
    for (index, sql) in MIGRATIONS.iter().enumerate().skip(found as usize) {
        conn.execute_batch(sql).map_err(|e| {
            Error::db(format!("could not upgrade {shown_path} to schema version {}", index + 1), without_sql(e))
        })?;
    }
    if let Some(table) = sqlite::broken_foreign_key(conn)? {
        return Err(Error::Failed(format!(
            "could not upgrade {shown_path}: a row of its {table} table refers to one that is not there; nothing \
             was changed, run `engage db check` with the engage that wrote it"
        )));
    }
    settings::seed_defaults(&tx)?;
    // What the derived tables hold follows from the schema too (who has an account on a
    // request): an upgraded file works them out again, the partner counts with them.
    if found > 0 {
        derived::rebuild(&tx)?;
    }
    conn.pragma_update(None, "user_version", latest())?;
    tx.commit()
}

/// SQLite's reason without the statement it was running: a migration is the whole schema, which
/// would otherwise be printed as the cause.
fn without_sql(e: rusqlite::Error) -> rusqlite::Error {
    match e {
        rusqlite::Error::SqlInputError { error, msg, .. } => rusqlite::Error::SqliteFailure(error, Some(msg)),
        other => other,
    }
}
