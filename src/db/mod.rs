//! The one way to the database: `Db::open` sets the pragmas and migrates; writes go through
//! `Db::write`, an IMMEDIATE transaction, so a cron report beside an interactive session waits its
//! turn instead of failing with "database is locked".
//!
//! Queries are plain functions in one file per group of tables, over engage's typed SQL
//! ([`sql`]): those that read take a [`Reader`] (what [`Db::conn`] gives), those that write a
//! [`Tx`] (what [`Db::write`] gives its closure; it reads too). Each write notes on its `Tx` what
//! it touched, and `Db::write` brings the derived tables up to date from that note before it
//! commits ([`derived`]). What only SQLite has is in [`sqlite`], what only the server has in [`pg`]:
//! `--db postgres://…` opens the same network there, under the same `Reader` and `Tx`.

pub mod checkins;
pub mod closing;
pub mod copy;
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
pub mod sql;
pub mod sqlite;
pub mod status;

pub use sql::{Reader, Touch, Tx};

use crate::error::{Error, Result};
use sql::Backend;
use std::fs::{DirBuilder, OpenOptions};
use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt};
use std::path::{Path, PathBuf};
use std::time::Duration;

/// How long `recruit forget` and `db check` wait for another connection's read to end before
/// saying that erased text is not yet gone from the file's bytes.
pub const ERASURE_WAIT: Duration = Duration::from_secs(1);

pub struct Db {
    reader: Reader,
    path: PathBuf,
    erasure: Erasure,
}

/// How many times a write transaction on a server is run again when other coordinators' writes
/// keep coming first, before engage says so.
const CONFLICT_RETRIES: u32 = 40;

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
    /// Opens the database `path` names: a file, or a server's database (`postgres://…`, its
    /// password from `secrets`), migrated to this engage's schema.
    pub fn open_with(path: &Path, secrets: &pg::Secrets<'_>) -> Result<Db> {
        match pg::Location::of(path)? {
            pg::Location::File(file) => Db::open(&file),
            pg::Location::Server(address) => {
                let client = pg::open(&address, secrets)?;
                let reader = Reader::new(Backend::Server(Box::new(pg::backend::Conn::new(client, &address))));
                Ok(Db { reader, path: PathBuf::from(address.to_string()), erasure: Erasure::Nothing })
            }
        }
    }

    /// Opens the database that `path` names for reading only, as [`Db::open_read_only`] does a
    /// file: a server's database must exist and have this engage's schema, and the session only
    /// reads.
    pub fn open_read_only_with(path: &Path, secrets: &pg::Secrets<'_>) -> Result<Db> {
        match pg::Location::of(path)? {
            pg::Location::File(file) => Db::open_read_only(&file),
            pg::Location::Server(address) => {
                let mut client = pg::connect(&address, secrets)?;
                let shown = address.to_string();
                let version = pg::migrate::identify(&mut client, &shown)?;
                if version == 0 {
                    return Err(Error::NotFound(format!(
                        "there is no network in {shown} yet; check --db or ENGAGE_DB, or run any command that writes (`engage db check`) to create engage's tables there"
                    )));
                }
                if version < pg::migrate::latest() {
                    return Err(Error::Failed(format!(
                        "{shown} has schema version {version} and this engage reads version {}; reports only read, so run `engage db check` once to upgrade it",
                        pg::migrate::latest()
                    )));
                }
                let conn = pg::backend::Conn::new(client, &address);
                conn.batch("SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY")?;
                Ok(Db {
                    reader: Reader::new(Backend::Server(Box::new(conn))),
                    path: PathBuf::from(shown),
                    erasure: Erasure::Nothing,
                })
            }
        }
    }

    /// Whether the database is on a PostgreSQL server.
    pub fn on_server(&self) -> bool {
        self.reader.server().is_some()
    }

    /// Opens the database file at `path`, creating it (and its folders) on first use with a file
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
        // A file that is not engage's, or from a newer engage, is refused before anything is
        // written to it: it is left byte for byte as it was.
        let (conn, _) = sqlite::open(path, &shown)?;
        let mut db =
            Db { reader: Reader::new(Backend::Sqlite(conn)), path: path.to_path_buf(), erasure: Erasure::Nothing };
        migrate::migrate(&db.reader, &shown)?;
        db.finish_pending_erasure()?;
        Ok(db)
    }

    /// A forgetting whose erased text is still in the file's bytes is finished by the next engage
    /// that can: without waiting, so a command beside a long report is not slowed.
    fn finish_pending_erasure(&mut self) -> Result<()> {
        if forgotten::pending(&self.reader)?.is_some() {
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
    ///
    /// On a server there is no file of engage's: the server reclaims the erased rows' space
    /// itself (autovacuum), and the mark is cleared.
    pub fn finish_erasure(&mut self, wait: Duration) -> Result<bool> {
        if self.on_server() {
            if forgotten::pending(&self.reader)?.is_some() {
                self.write(forgotten::clear_pending)?;
            }
            return Ok(true);
        }
        let truncated = sqlite::checkpoint(self.reader.sqlite()?, wait, &self.path.display().to_string())?;
        // The checkpoint said it truncated the -wal; the file itself is the proof.
        let wal = self.wal_path();
        if !truncated || std::fs::metadata(&wal).is_ok_and(|m| m.len() > 0) {
            return Ok(false);
        }
        if forgotten::pending(&self.reader)?.is_some() {
            // This deletion goes to the emptied -wal; it names nobody.
            self.write(forgotten::clear_pending)?;
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
        let (conn, version) = sqlite::open_read_only(path, &shown)?;
        if version < migrate::latest() {
            return Err(Error::Failed(format!(
                "{shown} has schema version {version} and this engage reads version {}; reports only read, so \
                 run `engage db check` once to upgrade it",
                migrate::latest()
            )));
        }
        Ok(Db { reader: Reader::new(Backend::Sqlite(conn)), path: path.to_path_buf(), erasure: Erasure::Nothing })
    }

    /// The database, for reading: every query that only reads takes it (a [`Tx`] reads too).
    pub fn conn(&self) -> &Reader {
        &self.reader
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// What SQLite's integrity_check and foreign_key_check report; empty when the file is healthy.
    /// A server keeps its own pages and foreign keys whole: nothing to report there.
    pub fn problems(&self) -> Result<Vec<String>> {
        if self.on_server() {
            return Ok(Vec::new());
        }
        sqlite::problems(self.reader.sqlite()?)
    }

    /// A copy of the database at `partial` (a file `files` made owner-only), made while others
    /// keep using it: SQLite's online backup.
    pub fn backup_to(&self, partial: &Path, shown: &str) -> Result<()> {
        sqlite::backup(self.reader.sqlite()?, partial, shown)
    }

    /// Runs `work` in an IMMEDIATE transaction and commits when it succeeds; on an error nothing
    /// it did is kept. Before committing, the derived tables are brought up to date from what the
    /// transaction noted it touched ([`derived::refresh`]).
    ///
    /// `work` only reads and writes the database (nothing printed, nothing asked): a backend that
    /// runs writers side by side may run it again when another writer's change came first.
    pub fn write<T>(&mut self, work: impl FnMut(&Tx<'_>) -> Result<T>) -> Result<T> {
        self.write_or_rollback(false, work)
    }

    /// The same, but with `dry_run` the transaction is rolled back at the end: the preview runs
    /// the very code that would write.
    pub fn write_or_rollback<T>(&mut self, dry_run: bool, mut work: impl FnMut(&Tx<'_>) -> Result<T>) -> Result<T> {
        if let Some(server) = self.reader.server() {
            // SERIALIZABLE: a transaction whose reads another coordinator's commit made stale is
            // refused by the server and run again here, from its first read, so it decides on
            // what is there now (and a rule then refuses what no longer holds).
            server.take_conflict();
            for attempt in 0..CONFLICT_RETRIES {
                let result = self.attempt(dry_run, &mut work);
                let conflict = self.reader.server().is_some_and(|s| s.take_conflict());
                if result.is_ok() || !conflict {
                    return result;
                }
                // Writers that collided start again at different moments.
                let mut jitter = [0u8; 1];
                let _ = getrandom::fill(&mut jitter);
                std::thread::sleep(Duration::from_millis(u64::from(attempt.min(8)) * 5 + u64::from(jitter[0] % 20)));
            }
            return Err(Error::Failed(format!(
                "other coordinators kept changing the same records of {} at the same moment ({CONFLICT_RETRIES} tries); nothing was changed, run the command again",
                self.path.display()
            )));
        }
        let result = self.attempt(dry_run, &mut work);
        result.map_err(|e| sqlite::name_the_file(&self.path.display().to_string(), e))
    }

    fn attempt<T>(&self, dry_run: bool, work: &mut impl FnMut(&Tx<'_>) -> Result<T>) -> Result<T> {
        (|| {
            let tx = Tx::begin(&self.reader)?;
            let value = work(&tx)?;
            if dry_run {
                tx.rollback()?;
            } else {
                // What is due follows from what this transaction wrote, in the same transaction.
                derived::refresh(&tx)?;
                tx.commit()?;
            }
            Ok(value)
        })()
    }
}
