//! The server's schema versions, kept as SQLite's are: numbered migrations applied in one
//! transaction, the version in the one row of `engage_schema` (SQLite keeps it in
//! `PRAGMA user_version`), a database newer than this engage refused, and a database that is not
//! engage's refused and left untouched.
//!
//! The numbers are SQLite's: the server's first migration builds the whole schema as SQLite's
//! migrations 1 to 5 leave a file, so a server's schema version 5 is a file's, and a migration
//! appended to SQLite's list is appended here with the same number (a test holds the two lists
//! to the same latest version and the same tables).

use crate::db::pg::Address;
use crate::db::pg::connect::server_error;
use crate::domain::settings::SETTINGS;
use crate::domain::text::in_sentence;
use crate::error::{Error, Result};
use postgres::GenericClient;
use postgres::error::SqlState;

/// The schema version the server's first migration brings a new database to.
pub const FIRST: i64 = 5;

/// Migration `FIRST + N` is `MIGRATIONS[N]`. Append; never edit one that has shipped. Migration 6
/// drops the derived `reminder` table and makes it again: no server holds a network yet (the
/// commands do not run on one), and when they do an upgrade works the derived tables out again,
/// as SQLite's does (`db::derived::rebuild`).
pub const MIGRATIONS: &[&str] = &[
    include_str!("../../../migrations/pg/0005_schema.sql"),
    include_str!("../../../migrations/pg/0006_reminder_key.sql"),
    include_str!("../../../migrations/pg/0007_request_owner.sql"),
    include_str!("../../../migrations/pg/0008_checkin_cadence_given.sql"),
    include_str!("../../../migrations/pg/0009_languages.sql"),
    include_str!("../../../migrations/pg/0010_partner_search.sql"),
    include_str!("../../../migrations/pg/0011_account_tally.sql"),
    include_str!("../../../migrations/pg/0012_partner_reachable.sql"),
    include_str!("../../../migrations/pg/0013_report_figures.sql"),
    include_str!("../../../migrations/pg/0014_search_index_lighter.sql"),
];

/// Held while a database is migrated, so that two engages starting at once do not both migrate
/// it: engage's mark, "enga" in ASCII, as in a SQLite file's header.
const MIGRATION_LOCK: i64 = 0x656E_6761;

pub fn latest() -> i64 {
    FIRST + MIGRATIONS.len() as i64 - 1
}

/// What the database is, read without writing to it: its schema version when it is engage's (0
/// for one with no tables at all), or a refusal that names it and says what it is.
pub fn identify(client: &mut impl GenericClient, shown: &str) -> Result<i64> {
    let read = |e: postgres::Error| server_error(format!("could not read what {shown} holds"), &e);
    let untouched = "engage leaves it untouched";
    let schema: Option<String> =
        client.query_one("SELECT current_schema()", &[]).and_then(|row| row.try_get(0)).map_err(read)?;
    let Some(schema) = schema else {
        return Err(Error::Failed(format!(
            "{shown} has no schema for engage's tables: none of the schemas its search_path names exists; create one \
             (CREATE SCHEMA public) or set the role's search_path"
        )));
    };
    let tables: Vec<String> = client
        .query(
            "SELECT c.relname FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace \
             WHERE n.nspname = $1 AND c.relkind IN ('r', 'p', 'v', 'm', 'f') ORDER BY c.relname",
            &[&schema],
        )
        .map_err(read)?
        .iter()
        .map(|row| row.try_get(0))
        .collect::<std::result::Result<_, _>>()
        .map_err(read)?;
    if tables.is_empty() {
        return Ok(0);
    }
    if !tables.iter().any(|t| t == "engage_schema") {
        let mut names: Vec<String> = tables.iter().take(5).map(|t| in_sentence(t, 40)).collect();
        if tables.len() > 5 {
            names.push("…".to_string());
        }
        return Err(Error::Refused(format!(
            "{shown} is not an engage database: its schema {schema} holds another program's tables ({}); {untouched}",
            names.join(", ")
        )));
    }
    let versions: Vec<i64> = client
        .query("SELECT version FROM engage_schema", &[])
        .map_err(read)?
        .iter()
        .map(|row| row.try_get(0))
        .collect::<std::result::Result<_, _>>()
        .map_err(read)?;
    let [found] = versions[..] else {
        return Err(Error::Refused(format!(
            "{shown} has {} rows in its engage_schema table, where engage keeps one: it is damaged or not engage's, \
             and {untouched}",
            versions.len()
        )));
    };
    if found > latest() {
        return Err(Error::NewerDatabase { path: shown.to_string(), found, known: latest() });
    }
    if found < FIRST {
        return Err(Error::Refused(format!(
            "{shown} has the schema version {found}, which no engage writes on a server: it is damaged or not \
             engage's, and {untouched}"
        )));
    }
    Ok(found)
}

/// Brings the database to this engage's schema, in one transaction: a new one is created whole,
/// with the settings' defaults; one this engage already knows is left as it is.
pub fn migrate(client: &mut postgres::Client, address: &Address) -> Result<()> {
    let shown = &address.to_string();
    if identify(client, shown)? == latest() {
        return Ok(());
    }
    let begin = |e: postgres::Error| server_error(format!("could not upgrade {shown}"), &e);
    let mut tx = client.transaction().map_err(begin)?;
    tx.execute("SELECT pg_advisory_xact_lock($1)", &[&MIGRATION_LOCK]).map_err(begin)?;
    // Another engage may have migrated while this one waited for the lock.
    let found = identify(&mut tx, shown)?;
    if found == latest() {
        return Ok(());
    }
    let done = if found == 0 { 0 } else { (found - FIRST + 1) as usize };
    for (index, sql) in MIGRATIONS.iter().enumerate().skip(done) {
        tx.batch_execute(sql).map_err(|e| refused_upgrade(address, FIRST + index as i64, &e))?;
    }
    // A newer engage's settings get their defaults; what a network agreed to stays.
    for s in SETTINGS {
        tx.execute(
            "INSERT INTO setting (key, value) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING",
            &[&s.key, &s.default],
        )
        .map_err(begin)?;
    }
    tx.execute(
        "INSERT INTO engage_schema (id, version) VALUES (1, $1) ON CONFLICT (id) DO UPDATE SET version = excluded.version",
        &[&latest()],
    )
    .map_err(begin)?;
    tx.commit().map_err(begin)?;
    Ok(())
}

fn refused_upgrade(address: &Address, version: i64, e: &postgres::Error) -> Error {
    let shown = address.to_string();
    if e.code() == Some(&SqlState::INSUFFICIENT_PRIVILEGE) {
        let said = e.as_db_error().map(|db| db.message().to_string()).unwrap_or_default();
        return Error::Failed(format!(
            "could not create engage's tables in {shown} ({said}); nothing was changed: make {} the database's owner \
             (ALTER DATABASE {} OWNER TO {}, as the server's administrator), as the README's \"A team on one network\" \
             shows",
            address.user, address.dbname, address.user
        ));
    }
    server_error(format!("could not upgrade {shown} to schema version {version}; nothing was changed"), e)
}
