//! The one way to the database: `Db::open` sets the pragmas and migrates; writes go through
//! `Db::write`, an IMMEDIATE transaction, so a cron report beside an interactive session waits its
//! turn instead of failing with "database is locked".
//!
//! Queries are plain functions over `&Connection` in one file per group of tables; a
//! `Transaction` derefs to a `Connection`, so the command composes them inside its transaction.

pub mod checkins;
pub mod closing;
pub mod derived;
pub mod events;
pub mod invitations;
pub mod messages;
pub mod migrate;
pub mod partners;
pub mod reports;
pub mod requests;
pub mod selection;
pub mod settings;

use crate::error::{Error, Result};
use rusqlite::{Connection, OpenFlags, Transaction, TransactionBehavior};
use std::fs::{DirBuilder, OpenOptions};
use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt};
use std::path::{Path, PathBuf};
use std::time::Duration;

/// How long a command waits for another engage's write to finish before giving up.
const BUSY_TIMEOUT: Duration = Duration::from_secs(60);

pub struct Db {
    conn: Connection,
    path: PathBuf,
}

impl Db {
    /// Opens the database at `path`, creating it (and its folders) on first use with a file
    /// readable by its owner only, and migrating it to this engage's schema.
    pub fn open(path: &Path) -> Result<Db> {
        let shown = path.display().to_string();
        if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
            if !parent.exists() {
                DirBuilder::new()
                    .recursive(true)
                    .mode(0o700)
                    .create(parent)
                    .map_err(|e| Error::io(format!("could not create the folder {}", parent.display()), e))?;
            }
        }
        if !path.exists() {
            // SQLite would create the file with the umask's mode; create it 0600 first. Its -wal and
            // -shm files take the same mode from it.
            match OpenOptions::new().write(true).create_new(true).mode(0o600).open(path) {
                Ok(_) => {}
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {}
                Err(e) => return Err(Error::io(format!("could not create the database {shown}"), e)),
            }
        }
        let flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let conn = Connection::open_with_flags(path, flags)
            .map_err(|e| Error::db(format!("could not open the database {shown}"), e))?;
        conn.busy_timeout(BUSY_TIMEOUT)?;
        // A file from a newer engage is refused before anything is written to it, not even the
        // journal mode: an older engage leaves it byte for byte as it was.
        known_version(&conn, &shown).map_err(|e| name_the_file(&shown, e))?;
        let mode: String = conn
            .query_row("PRAGMA journal_mode = WAL", [], |row| row.get(0))
            .map_err(|e| name_the_file(&shown, first_read(&shown, e)))?;
        if !mode.eq_ignore_ascii_case("wal") {
            return Err(Error::Failed(format!(
                "{shown} cannot use write-ahead logging (journal mode stays {mode}); keep the database on a local disk"
            )));
        }
        conn.execute_batch("PRAGMA foreign_keys = ON; PRAGMA synchronous = NORMAL; PRAGMA secure_delete = ON;")?;
        let mut db = Db { conn, path: path.to_path_buf() };
        migrate::migrate(&mut db.conn, &shown)?;
        Ok(db)
    }

    /// Opens an existing database for reading only, as reports do: a missing file is not created,
    /// an older schema is not upgraded, and nothing is written, so a cron report leaves the file
    /// as it found it.
    pub fn open_read_only(path: &Path) -> Result<Db> {
        let shown = path.display().to_string();
        if !path.exists() {
            return Err(Error::NotFound(format!(
                "there is no database at {shown}; check --db or ENGAGE_DB (`engage db path` shows the file in use)"
            )));
        }
        let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let conn = Connection::open_with_flags(path, flags)
            .map_err(|e| Error::db(format!("could not open the database {shown}"), e))?;
        conn.busy_timeout(BUSY_TIMEOUT)?;
        let version = known_version(&conn, &shown)?;
        if version < migrate::latest() {
            return Err(Error::Failed(format!(
                "{shown} has schema version {version} and this engage reads version {}; reports only read, so \
                 run `engage db check` once to upgrade it",
                migrate::latest()
            )));
        }
        Ok(Db { conn, path: path.to_path_buf() })
    }

    pub fn conn(&self) -> &Connection {
        &self.conn
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Runs `work` in an IMMEDIATE transaction and commits when it succeeds; on an error nothing
    /// it did is kept.
    pub fn write<T>(&mut self, work: impl FnOnce(&Transaction<'_>) -> Result<T>) -> Result<T> {
        self.write_or_rollback(false, work)
    }

    /// The same, but with `dry_run` the transaction is rolled back at the end: the preview runs
    /// the very code that would write.
    pub fn write_or_rollback<T>(
        &mut self,
        dry_run: bool,
        work: impl FnOnce(&Transaction<'_>) -> Result<T>,
    ) -> Result<T> {
        let result = (|| {
            let tx = self.conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
            let mark = derived::mark(&tx)?;
            let value = work(&tx)?;
            if dry_run {
                tx.rollback()?;
            } else {
                // What is due follows from what this transaction wrote, in the same transaction.
                derived::refresh_since(&tx, mark)?;
                tx.commit()?;
            }
            Ok(value)
        })();
        result.map_err(|e| name_the_file(&self.path.display().to_string(), e))
    }
}

/// The file's schema version, refusing a file that is not SQLite or was written by a newer engage.
fn known_version(conn: &Connection, shown: &str) -> Result<i64> {
    let found: i64 = conn.query_row("PRAGMA user_version", [], |row| row.get(0)).map_err(|e| first_read(shown, e))?;
    migrate::refuse_newer(found, shown)?;
    Ok(found)
}

/// An error on the first read of a file, saying so when it is not SQLite at all.
fn first_read(shown: &str, e: rusqlite::Error) -> Error {
    match e.sqlite_error_code() {
        Some(rusqlite::ErrorCode::NotADatabase) => {
            Error::db(format!("{shown} is not an engage database (it is not an SQLite file)"), e)
        }
        _ => Error::from(e),
    }
}

/// A full disk or a file that cannot be written, said with the database's name: the coordinator
/// has to know which disk to make room on, or which file to copy somewhere writable.
fn name_the_file(shown: &str, e: Error) -> Error {
    let Error::Database { context, source } = e else { return e };
    // SQLite cannot grow its shared-memory file (-shm) when the disk has no room left.
    let shm_full = source.sqlite_error().is_some_and(|f| f.extended_code == rusqlite::ffi::SQLITE_IOERR_SHMSIZE);
    match source.sqlite_error_code() {
        Some(rusqlite::ErrorCode::DiskFull) => full(shown, source),
        _ if shm_full => full(shown, source),
        // SQLite writes a -wal and a -shm file beside the database, even to read it.
        Some(rusqlite::ErrorCode::ReadOnly | rusqlite::ErrorCode::CannotOpen) => Error::db(
            format!("{shown} cannot be written: the file, its folder or its disk is read-only; nothing was changed"),
            source,
        ),
        _ => Error::Database { context, source },
    }
}

fn full(shown: &str, source: rusqlite::Error) -> Error {
    Error::db(format!("the disk holding {shown} is full; nothing was changed"), source)
}

/// `Option<String>` columns holding dates.
pub fn opt_date(text: Option<String>) -> Result<Option<chrono::NaiveDate>> {
    text.map(|t| crate::domain::dates::from_sql(&t).map_err(Error::Failed)).transpose()
}

/// JSON list columns.
pub fn list_from_sql(text: &str) -> Result<Vec<String>> {
    serde_json::from_str(text).map_err(|_| Error::Failed(format!("the database holds '{text}' where a list belongs")))
}

pub fn list_to_sql(items: &[String]) -> String {
    serde_json::to_string(items).unwrap_or_else(|_| "[]".to_string())
}
