//! The SQLite backend: what only SQLite has. Opening a file (its pragmas: write-ahead logging,
//! foreign keys, a busy timeout, secure delete), running engage's typed statements on it, its
//! transactions, its checks, checkpoint and online backup, its error codes said in words, and
//! the bulk insert of the sign-up import ([`bulk`]). Nothing outside db/ sees rusqlite.

pub mod bulk;

use crate::db::sql::{Access, Param, Row as SqlRow, ToSql, Value, ValueRef, damaged};
use crate::error::{Error, Result};
use rusqlite::types::{ToSqlOutput, Value as SqliteValue, ValueRef as SqliteRef};
use rusqlite::{Connection, OpenFlags, OptionalExtension};
use std::cell::Cell;
use std::path::Path;
use std::time::Duration;

/// How long a command waits for another engage's write to finish before giving up.
pub const BUSY_TIMEOUT: Duration = Duration::from_secs(60);

/// Statements kept prepared per connection: the derived tables' refresh alone uses a score.
const STATEMENTS_KEPT: usize = 96;

/// Opens a file for reading and writing, refusing one that is not engage's before anything is
/// written to it (not even the journal mode), and sets the pragmas every write relies on. The
/// file must exist (`Db::open` creates it, owner-only).
pub fn open(path: &Path, shown: &str) -> Result<(Connection, i64)> {
    let flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let conn = Connection::open_with_flags(path, flags)
        .map_err(|e| Error::db(format!("could not open the database {shown}"), e))?;
    conn.busy_timeout(BUSY_TIMEOUT)?;
    conn.set_prepared_statement_cache_capacity(STATEMENTS_KEPT);
    let version = known_version(&conn, shown).map_err(|e| name_the_file(shown, e))?;
    let mode: String = conn
        .query_row("PRAGMA journal_mode = WAL", [], |row| row.get(0))
        .map_err(|e| name_the_file(shown, first_read(shown, e)))?;
    if !mode.eq_ignore_ascii_case("wal") {
        return Err(Error::Failed(format!(
            "{shown} cannot use write-ahead logging (journal mode stays {mode}); keep the database on a local disk"
        )));
    }
    conn.execute_batch("PRAGMA foreign_keys = ON; PRAGMA synchronous = NORMAL; PRAGMA secure_delete = ON;")?;
    Ok((conn, version))
}

/// Opens an existing file for reading only: nothing is written, not even the journal mode.
pub fn open_read_only(path: &Path, shown: &str) -> Result<(Connection, i64)> {
    let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let conn = Connection::open_with_flags(path, flags)
        .map_err(|e| Error::db(format!("could not open the database {shown}"), e))?;
    conn.busy_timeout(BUSY_TIMEOUT)?;
    conn.set_prepared_statement_cache_capacity(STATEMENTS_KEPT);
    let version = known_version(&conn, shown)?;
    Ok((conn, version))
}

/// The file's schema version (0 for a new file), refusing a file that is not SQLite, is another
/// program's, or was written by a newer engage.
fn known_version(conn: &Connection, shown: &str) -> Result<i64> {
    crate::db::migrate::identify(conn, shown).map_err(|e| match e {
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
pub fn name_the_file(shown: &str, e: Error) -> Error {
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

/// Whether SQLite found the file's pages damaged.
pub fn is_damaged(e: &rusqlite::Error) -> bool {
    e.sqlite_error_code() == Some(rusqlite::ErrorCode::DatabaseCorrupt)
}

/// An engage value bound to a statement: no copy of its text or bytes.
struct Bind<'a>(&'a dyn ToSql);

fn borrowed(v: ValueRef<'_>) -> SqliteRef<'_> {
    match v {
        ValueRef::Null => SqliteRef::Null,
        ValueRef::Integer(i) => SqliteRef::Integer(i),
        ValueRef::Real(r) => SqliteRef::Real(r),
        ValueRef::Text(t) => SqliteRef::Text(t.as_bytes()),
        ValueRef::Blob(b) => SqliteRef::Blob(b),
    }
}

impl rusqlite::ToSql for Bind<'_> {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        Ok(match self.0.to_sql() {
            Param::Borrowed(v) => ToSqlOutput::Borrowed(borrowed(v)),
            Param::Owned(v) => ToSqlOutput::Owned(match v {
                Value::Null => SqliteValue::Null,
                Value::Integer(i) => SqliteValue::Integer(i),
                Value::Real(r) => SqliteValue::Real(r),
                Value::Text(t) => SqliteValue::Text(t),
                Value::Blob(b) => SqliteValue::Blob(b),
            }),
        })
    }
}

fn bound<'a>(params: &'a [&'a dyn ToSql]) -> impl rusqlite::Params + 'a {
    rusqlite::params_from_iter(params.iter().map(|p| Bind(*p)))
}

/// A statement that writes, through a reader: engage's mistake, refused before it runs.
fn refuse_write(stmt: &rusqlite::Statement<'_>, access: Access, sql: &str) -> Result<()> {
    if access == Access::Read && !stmt.readonly() {
        return Err(Error::Failed(format!(
            "engage tried to write outside a write transaction (`{}`); nothing was changed",
            sql.split_whitespace().take(6).collect::<Vec<_>>().join(" ")
        )));
    }
    Ok(())
}

/// Runs a query, handing each row to `each` until it says to stop.
pub(crate) fn run(
    conn: &Connection,
    access: Access,
    sql: &str,
    params: &[&dyn ToSql],
    each: &mut dyn FnMut(&SqlRow<'_>) -> Result<bool>,
) -> Result<()> {
    let mut stmt = conn.prepare_cached(sql)?;
    refuse_write(&stmt, access, sql)?;
    let names: Vec<String> = stmt.column_names().map(str::to_string).collect();
    let mut rows = stmt.query(bound(params))?;
    while let Some(row) = rows.next()? {
        let row = SqlRow::sqlite(Row { row, names: &names, next: Cell::new(0) });
        if !each(&row)? {
            break;
        }
    }
    Ok(())
}

pub(crate) fn execute(conn: &Connection, access: Access, sql: &str, params: &[&dyn ToSql]) -> Result<usize> {
    let mut stmt = conn.prepare_cached(sql)?;
    refuse_write(&stmt, access, sql)?;
    Ok(stmt.execute(bound(params))?)
}

/// A row of a statement, with its columns' names.
pub(crate) struct Row<'r> {
    row: &'r rusqlite::Row<'r>,
    names: &'r [String],
    /// The column after the last one read: columns are mostly read in the order selected.
    next: Cell<usize>,
}

impl Row<'_> {
    fn index(&self, column: &str) -> Result<usize> {
        let next = self.next.get();
        let at = if self.names.get(next).is_some_and(|n| n == column) {
            next
        } else {
            self.names
                .iter()
                .position(|n| n == column)
                .ok_or_else(|| Error::Failed(format!("engage read a column {column} that its query does not select")))?
        };
        self.next.set(at + 1);
        Ok(at)
    }

    fn at(&self, at: usize, column: &str) -> Result<ValueRef<'_>> {
        Ok(match self.row.get_ref(at)? {
            SqliteRef::Null => ValueRef::Null,
            SqliteRef::Integer(i) => ValueRef::Integer(i),
            SqliteRef::Real(r) => ValueRef::Real(r),
            SqliteRef::Text(t) => match std::str::from_utf8(t) {
                Ok(text) => ValueRef::Text(text),
                Err(_) => return Err(damaged(column, ValueRef::Blob(t), "text")),
            },
            SqliteRef::Blob(b) => ValueRef::Blob(b),
        })
    }

    pub(crate) fn value(&self, column: &str) -> Result<ValueRef<'_>> {
        let at = self.index(column)?;
        self.at(at, column)
    }

    pub(crate) fn first(&self) -> Result<(String, ValueRef<'_>)> {
        let name = self.names.first().cloned().unwrap_or_default();
        Ok((name.clone(), self.at(0, &name)?))
    }
}

pub(crate) fn begin(conn: &Connection) -> Result<()> {
    conn.execute_batch("BEGIN IMMEDIATE")?;
    Ok(())
}

pub(crate) fn commit(conn: &Connection) -> Result<()> {
    conn.execute_batch("COMMIT")?;
    Ok(())
}

pub(crate) fn rollback(conn: &Connection) -> Result<()> {
    if !conn.is_autocommit() {
        conn.execute_batch("ROLLBACK")?;
    }
    Ok(())
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

/// Copies the write-ahead log into the database file and truncates it, waiting at most `wait`
/// for other connections' reads to end; `false` when another connection's open read still needs
/// the old pages.
pub fn checkpoint(conn: &Connection, wait: Duration, shown: &str) -> Result<bool> {
    conn.busy_timeout(wait)?;
    let checkpoint = conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |row| row.get::<_, i64>(0));
    conn.busy_timeout(BUSY_TIMEOUT)?;
    match checkpoint {
        Ok(busy) => Ok(busy == 0),
        Err(e)
            if matches!(
                e.sqlite_error_code(),
                Some(rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked)
            ) =>
        {
            Ok(false)
        }
        Err(e) => Err(name_the_file(shown, e.into())),
    }
}

/// SQLite's online backup of `conn` into the file at `partial` (one `files` made owner-only).
pub fn backup(conn: &Connection, partial: &Path, shown: &str) -> Result<()> {
    let mut target = Connection::open(partial).map_err(|e| Error::db(format!("could not write {shown}"), e))?;
    {
        let backup = rusqlite::backup::Backup::new(conn, &mut target)?;
        backup.run_to_completion(1024, Duration::from_millis(0), None)?;
    }
    target.close().map_err(|(_, e)| Error::db(format!("could not write {shown}"), e))?;
    Ok(())
}

/// The schema version (`PRAGMA user_version`).
pub fn user_version(conn: &Connection) -> Result<i64> {
    Ok(conn.query_row("PRAGMA user_version", [], |row| row.get(0))?)
}

/// The first table a row of refers to a missing row from, after a migration.
pub fn broken_foreign_key(conn: &Connection) -> Result<Option<String>> {
    Ok(conn.query_row("PRAGMA foreign_key_check", [], |row| row.get(0)).optional()?)
}
