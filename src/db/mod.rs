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
pub mod forgotten;
pub mod invitations;
pub mod messages;
pub mod migrate;
pub mod partners;
pub mod pg;
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

/// How long `recruit forget` and `db check` wait for another connection's read to end before
/// saying that erased text is not yet gone from the file's bytes.
pub const ERASURE_WAIT: Duration = Duration::from_secs(1);

pub struct Db {
    conn: Connection,
    path: PathBuf,
    erasure: Erasure,
}

/// What opening the database did about a forgetting whose erased text was still in its bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Erasure {
    /// None was pending.
    Nothing,
    /// One was pending and is now finished: the text is gone from the file and its -wal.
    Finished,
    /// One is pending still: another connection's open read holds the old pages.
    HeldBack,
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
        // A file that is not engage's, or from a newer engage, is refused before anything is
        // written to it, not even the journal mode: it is left byte for byte as it was.
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
        let mut db = Db { conn, path: path.to_path_buf(), erasure: Erasure::Nothing };
        migrate::migrate(&mut db.conn, &shown)?;
        db.finish_pending_erasure()?;
        Ok(db)
    }

    /// A forgetting whose erased text is still in the file's bytes is finished by the next engage
    /// that can: without waiting, so a command beside a long report is not slowed.
    fn finish_pending_erasure(&mut self) -> Result<()> {
        if forgotten::pending(&self.conn)?.is_some() {
            self.erasure = if self.finish_erasure(Duration::ZERO)? { Erasure::Finished } else { Erasure::HeldBack };
        }
        Ok(())
    }

    /// Whether opening the file found a forgetting's erasure pending, and finished it.
    pub fn erasure(&self) -> Erasure {
        self.erasure
    }

    /// Copies the write-ahead log into the database file and truncates it, waiting at most `wait`
    /// for other connections' reads to end. With secure_delete on, the text a forgetting erased is
    /// then gone from the bytes of both files; the pending mark is cleared. Returns `false`, and
    /// leaves the mark, when another connection's open read still needs the old pages.
    pub fn finish_erasure(&mut self, wait: Duration) -> Result<bool> {
        self.conn.busy_timeout(wait)?;
        let checkpoint = self.conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |row| row.get::<_, i64>(0));
        self.conn.busy_timeout(BUSY_TIMEOUT)?;
        let held_back = match checkpoint {
            Ok(busy) => busy != 0,
            Err(e)
                if matches!(
                    e.sqlite_error_code(),
                    Some(rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked)
                ) =>
            {
                true
            }
            Err(e) => return Err(name_the_file(&self.path.display().to_string(), e.into())),
        };
        // The checkpoint said it truncated the -wal; the file itself is the proof.
        let wal = self.wal_path();
        if held_back || std::fs::metadata(&wal).is_ok_and(|m| m.len() > 0) {
            return Ok(false);
        }
        if forgotten::pending(&self.conn)?.is_some() {
            // This deletion goes to the emptied -wal; it names nobody.
            self.write(|tx| forgotten::clear_pending(tx))?;
        }
        Ok(true)
    }

    /// What to say when another connection holds an erasure back, and what will finish it.
    pub fn erasure_held_back(&self) -> String {
        format!(
            "another engage or sqlite3 is still reading {}, so the erased text stays in the bytes of that file and \
             of {} until it closes: run `engage db check` after it has, and the erasure is finished",
            self.path.display(),
            self.wal_path().display()
        )
    }

    /// The database's write-ahead log: `engage.db-wal` beside `engage.db`.
    pub fn wal_path(&self) -> PathBuf {
        let mut name = self.path.file_name().map(|n| n.to_os_string()).unwrap_or_default();
        name.push("-wal");
        self.path.with_file_name(name)
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
        Ok(Db { conn, path: path.to_path_buf(), erasure: Erasure::Nothing })
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

/// The file's schema version (0 for a new file), refusing a file that is not SQLite, is another
/// program's, or was written by a newer engage.
fn known_version(conn: &Connection, shown: &str) -> Result<i64> {
    migrate::identify(conn, shown).map_err(|e| match e {
        Error::Database { source, .. } => first_read(shown, source),
        other => other,
    })
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
