//! engage's typed SQL: the one way db/ talks to a database, written once for every backend.
//!
//! - [`Reader`] runs queries that only read: what `Db::conn()` gives, and all a report needs. It
//!   refuses a statement that would write.
//! - [`Tx`] is a write transaction (`Db::write`): the same queries, `execute`, and the record of
//!   what the transaction touched ([`Touch`]), from which `Db::write` brings the derived tables up
//!   to date before it commits.
//! - Parameters are `&[&dyn ToSql]`, bound to `?1`, `?2`, … in SQL text both engines run; rows are
//!   read by column name into engage's own types ([`FromSql`]); statements are prepared once per
//!   connection and kept.
//!
//! What differs between engines is in one place: [`Backend`] (how a statement is run and a row is
//! read) and [`Dialect`] (the few SQL fragments that cannot be written the same for both).

mod dialect;
mod value;

pub use dialect::Dialect;
pub use value::{FromSql, Json, Param, ToSql, Unreadable, Value, ValueRef, damaged};

use crate::db::{pg, sqlite};
use crate::domain::kinds::PartnerStatus;
use crate::error::{Error, Result};
use chrono::NaiveDate;
use std::cell::{Cell, RefCell};
use std::collections::{BTreeSet, HashMap};
use std::ops::Deref;

/// The connection under a [`Reader`]: the only part of this layer that knows the engine.
pub(crate) enum Backend {
    Sqlite(rusqlite::Connection),
    /// Boxed: the server's client is larger than SQLite's connection.
    Server(Box<pg::backend::Conn>),
}

/// Whether a statement may write: only inside a [`Tx`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Access {
    Read,
    Write,
}

/// A connection that reads.
pub struct Reader {
    backend: Backend,
}

impl Reader {
    pub(crate) fn new(backend: Backend) -> Reader {
        Reader { backend }
    }

    /// The SQLite connection, for what only SQLite has (its pragmas, its backup, the bulk insert);
    /// on a server, engage's mistake said in a sentence.
    pub(crate) fn sqlite(&self) -> Result<&rusqlite::Connection> {
        match &self.backend {
            Backend::Sqlite(conn) => Ok(conn),
            Backend::Server(conn) => Err(Error::Failed(format!(
                "engage tried to use what only an SQLite file has on the PostgreSQL server at {}; nothing was changed",
                conn.shown()
            ))),
        }
    }

    /// The server's connection, when this is one.
    pub(crate) fn server(&self) -> Option<&pg::backend::Conn> {
        match &self.backend {
            Backend::Sqlite(_) => None,
            Backend::Server(conn) => Some(conn),
        }
    }

    pub fn dialect(&self) -> Dialect {
        match self.backend {
            Backend::Sqlite(_) => Dialect::Sqlite,
            Backend::Server(_) => Dialect::Server,
        }
    }

    fn run(
        &self,
        access: Access,
        sql: &str,
        params: &[&dyn ToSql],
        each: &mut dyn FnMut(&Row<'_>) -> Result<bool>,
    ) -> Result<()> {
        match &self.backend {
            Backend::Sqlite(conn) => sqlite::run(conn, access, sql, params, each),
            Backend::Server(conn) => conn.run(access, sql, params, each),
        }
    }

    fn execute_as(&self, access: Access, sql: &str, params: &[&dyn ToSql]) -> Result<usize> {
        match &self.backend {
            Backend::Sqlite(conn) => sqlite::execute(conn, access, sql, params),
            Backend::Server(conn) => conn.execute(access, sql, params),
        }
    }

    /// The first row's `f`, or `None` when there is no row.
    fn first<T>(
        &self,
        access: Access,
        sql: &str,
        params: &[&dyn ToSql],
        f: impl FnOnce(&Row<'_>) -> Result<T>,
    ) -> Result<Option<T>> {
        let mut f = Some(f);
        let mut out = None;
        self.run(access, sql, params, &mut |row| {
            if let Some(f) = f.take() {
                out = Some(f(row)?);
            }
            Ok(false)
        })?;
        Ok(out)
    }

    fn all<T>(
        &self,
        access: Access,
        sql: &str,
        params: &[&dyn ToSql],
        mut f: impl FnMut(&Row<'_>) -> Result<T>,
    ) -> Result<Vec<T>> {
        let mut out = Vec::new();
        self.run(access, sql, params, &mut |row| {
            out.push(f(row)?);
            Ok(true)
        })?;
        Ok(out)
    }

    /// The one row the query returns; a query that returns none is engage's mistake.
    pub fn query_row<T>(&self, sql: &str, params: &[&dyn ToSql], f: impl FnOnce(&Row<'_>) -> Result<T>) -> Result<T> {
        self.first(Access::Read, sql, params, f)?.ok_or_else(|| no_row(sql))
    }

    /// The first row, if there is one.
    pub fn query_opt<T>(
        &self,
        sql: &str,
        params: &[&dyn ToSql],
        f: impl FnOnce(&Row<'_>) -> Result<T>,
    ) -> Result<Option<T>> {
        self.first(Access::Read, sql, params, f)
    }

    /// Every row, each made into a `T`.
    pub fn query_map<T>(
        &self,
        sql: &str,
        params: &[&dyn ToSql],
        f: impl FnMut(&Row<'_>) -> Result<T>,
    ) -> Result<Vec<T>> {
        self.all(Access::Read, sql, params, f)
    }

    /// Every row, handed to `f` as it is read.
    pub fn each(&self, sql: &str, params: &[&dyn ToSql], mut f: impl FnMut(&Row<'_>) -> Result<()>) -> Result<()> {
        self.run(Access::Read, sql, params, &mut |row| f(row).map(|()| true))
    }

    /// The same for a query of very many rows whose `f` only reads the row (it runs no query of
    /// its own): a server hands each row on as it comes instead of holding them all first.
    pub fn each_streamed(
        &self,
        sql: &str,
        params: &[&dyn ToSql],
        mut f: impl FnMut(&Row<'_>) -> Result<()>,
    ) -> Result<()> {
        let mut each = |row: &Row<'_>| f(row).map(|()| true);
        match &self.backend {
            Backend::Sqlite(conn) => sqlite::run(conn, Access::Read, sql, params, &mut each),
            Backend::Server(conn) => conn.stream(Access::Read, sql, params, &mut each),
        }
    }

    /// The value of the one column of the one row (a count, a sum).
    pub fn query_value<T: FromSql>(&self, sql: &str, params: &[&dyn ToSql]) -> Result<T> {
        self.query_row(sql, params, |row| row.first())
    }
}

fn no_row(sql: &str) -> Error {
    Error::Failed(format!("engage expected a row from the database and found none (for `{}`)", first_words(sql)))
}

fn first_words(sql: &str) -> String {
    let words: Vec<&str> = sql.split_whitespace().take(8).collect();
    words.join(" ")
}

/// A row, read by column name.
pub struct Row<'r> {
    inner: RowOf<'r>,
}

/// The backend's row under a [`Row`].
enum RowOf<'r> {
    Sqlite(sqlite::Row<'r>),
    Server(pg::backend::Row<'r>),
}

impl<'r> Row<'r> {
    pub(crate) fn sqlite(row: sqlite::Row<'r>) -> Row<'r> {
        Row { inner: RowOf::Sqlite(row) }
    }

    pub(crate) fn pg(row: pg::backend::Row<'r>) -> Row<'r> {
        Row { inner: RowOf::Server(row) }
    }

    /// The column's value as engage's type `T`; a value `T` cannot be read from is a damaged file,
    /// said in one sentence ([`damaged`]).
    pub fn get<T: FromSql>(&self, column: &str) -> Result<T> {
        let value = self.value(column)?;
        T::from_sql(value).map_err(|u| damaged(column, value, u.expected))
    }

    /// The column's value as it is held, borrowed from the row.
    pub fn value(&self, column: &str) -> Result<ValueRef<'_>> {
        match &self.inner {
            RowOf::Sqlite(row) => row.value(column),
            RowOf::Server(row) => row.value(column),
        }
    }

    /// The first column, for a query of one value.
    fn first<T: FromSql>(&self) -> Result<T> {
        let (column, value) = match &self.inner {
            RowOf::Sqlite(row) => row.first()?,
            RowOf::Server(row) => row.first()?,
        };
        T::from_sql(value).map_err(|u| damaged(&column, value, u.expected))
    }
}

/// What a write changed, as the derived tables see it: noted by the write queries in db/ on
/// their [`Tx`] as they write.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Touch {
    /// Something of the request, or of its invitations, scores, decisions, check-ins, payments
    /// or closing: its reminders and its tally are worked out again.
    Request(i64),
    /// A partner's own details (name, status, commitments, record check, benefits): every request
    /// they are invited to, answered, were decided on or checked in on is worked out again.
    Partner(i64),
    /// A setting: the rules read settings, so everything is worked out again.
    Settings,
    /// `by` partners more (or fewer) have this status and joining day: the network's counts
    /// (`partner_count`) move by as much.
    Counted { status: PartnerStatus, joined_on: Option<NaiveDate>, by: i64 },
    /// The partner is not in the search index (new, or taken out before a write): they are put
    /// in it, as they are then, when the transaction ends.
    Unindexed(i64),
}

/// Everything a transaction touched so far.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Touched {
    pub requests: BTreeSet<i64>,
    pub partners: BTreeSet<i64>,
    pub settings: bool,
    pub counts: HashMap<(PartnerStatus, Option<NaiveDate>), i64>,
    /// Partners out of the search index until the transaction ends: a run of ids (the partners
    /// an import inserts, one after another, without a set of a million ids) and the others.
    pub unindexed_run: Option<(i64, i64)>,
    pub unindexed: BTreeSet<i64>,
}

impl Touched {
    /// Whether the partner is out of the search index until the transaction ends.
    pub fn is_unindexed(&self, id: i64) -> bool {
        self.unindexed_run.is_some_and(|(first, last)| (first..=last).contains(&id)) || self.unindexed.contains(&id)
    }
}

impl Touched {
    fn note(&mut self, touch: Touch) {
        match touch {
            Touch::Request(id) => {
                self.requests.insert(id);
            }
            Touch::Partner(id) => {
                self.partners.insert(id);
            }
            Touch::Settings => self.settings = true,
            Touch::Counted { status, joined_on, by } => *self.counts.entry((status, joined_on)).or_default() += by,
            Touch::Unindexed(id) => match self.unindexed_run {
                _ if self.is_unindexed(id) => {}
                Some((first, last)) if id == last + 1 => self.unindexed_run = Some((first, id)),
                None => self.unindexed_run = Some((id, id)),
                Some(_) => {
                    self.unindexed.insert(id);
                }
            },
        }
    }
}

/// A write transaction: every write engage makes goes through one (`Db::write`), which commits
/// it, or rolls it back on an error (and when dropped unfinished).
pub struct Tx<'c> {
    reader: &'c Reader,
    touched: RefCell<Touched>,
    open: Cell<bool>,
}

impl<'c> Tx<'c> {
    /// Begins a transaction that writes from its first statement (SQLite's IMMEDIATE), so that
    /// two engages wait for each other at the start instead of failing half-way; on a server, a
    /// SERIALIZABLE one, which `Db::write` runs again when another's change came first.
    pub(crate) fn begin(reader: &'c Reader) -> Result<Tx<'c>> {
        match &reader.backend {
            Backend::Sqlite(conn) => sqlite::begin(conn)?,
            Backend::Server(conn) => conn.begin()?,
        }
        Ok(Tx { reader, touched: RefCell::new(Touched::default()), open: Cell::new(true) })
    }

    pub(crate) fn commit(self) -> Result<()> {
        self.open.set(false);
        match &self.reader.backend {
            Backend::Sqlite(conn) => sqlite::commit(conn),
            Backend::Server(conn) => conn.commit(),
        }
    }

    pub(crate) fn rollback(self) -> Result<()> {
        self.open.set(false);
        match &self.reader.backend {
            Backend::Sqlite(conn) => sqlite::rollback(conn),
            Backend::Server(conn) => conn.rollback(),
        }
    }

    /// Notes what a write query changed (see [`Touch`]).
    pub fn touched(&self, touch: Touch) {
        self.touched.borrow_mut().note(touch);
    }

    /// Whether the partner is out of the search index until the transaction ends.
    pub fn is_unindexed(&self, id: i64) -> bool {
        self.touched.borrow().is_unindexed(id)
    }

    /// What the transaction touched so far, taken: the record starts over.
    pub(crate) fn take_touched(&self) -> Touched {
        std::mem::take(&mut *self.touched.borrow_mut())
    }

    /// Runs a statement that writes; returns how many rows it changed.
    pub fn execute(&self, sql: &str, params: &[&dyn ToSql]) -> Result<usize> {
        self.reader.execute_as(Access::Write, sql, params)
    }

    /// The one row a statement returns (an `INSERT … RETURNING id`).
    pub fn query_row<T>(&self, sql: &str, params: &[&dyn ToSql], f: impl FnOnce(&Row<'_>) -> Result<T>) -> Result<T> {
        self.reader.first(Access::Write, sql, params, f)?.ok_or_else(|| no_row(sql))
    }

    pub fn query_opt<T>(
        &self,
        sql: &str,
        params: &[&dyn ToSql],
        f: impl FnOnce(&Row<'_>) -> Result<T>,
    ) -> Result<Option<T>> {
        self.reader.first(Access::Write, sql, params, f)
    }

    /// Every row a statement returns (an `UPDATE … RETURNING`).
    pub fn query_map<T>(
        &self,
        sql: &str,
        params: &[&dyn ToSql],
        f: impl FnMut(&Row<'_>) -> Result<T>,
    ) -> Result<Vec<T>> {
        self.reader.all(Access::Write, sql, params, f)
    }
}

impl Deref for Tx<'_> {
    type Target = Reader;

    fn deref(&self) -> &Reader {
        self.reader
    }
}

impl Drop for Tx<'_> {
    fn drop(&mut self) {
        if self.open.get() {
            // An error (or a panic) left it unfinished: nothing it did is kept.
            let _ = match &self.reader.backend {
                Backend::Sqlite(conn) => sqlite::rollback(conn),
                Backend::Server(conn) => conn.rollback(),
            };
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db::Db;

    fn fresh() -> (tempfile::TempDir, Db) {
        let dir = tempfile::tempdir().unwrap();
        let db = Db::open(&dir.path().join("engage.db")).unwrap();
        (dir, db)
    }

    #[test]
    fn the_reader_refuses_a_statement_that_writes() {
        let (_dir, db) = fresh();
        let err = db
            .conn()
            .query_opt("DELETE FROM setting RETURNING key", &[], |row| row.get::<String>("key"))
            .unwrap_err()
            .to_string();
        assert_eq!(
            err,
            "engage tried to write outside a write transaction (`DELETE FROM setting RETURNING key`); nothing was changed"
        );
        assert!(db.conn().query_value::<i64>("SELECT count(*) FROM setting", &[]).unwrap() > 0);
    }

    #[test]
    fn rows_are_read_by_column_name_in_any_order() {
        let (_dir, db) = fresh();
        let (b, a): (i64, String) =
            db.conn().query_row("SELECT 'x' AS a, 2 AS b", &[], |row| Ok((row.get("b")?, row.get("a")?))).unwrap();
        assert_eq!((b, a.as_str()), (2, "x"));
        let missing = db.conn().query_row("SELECT 1 AS a", &[], |row| row.get::<i64>("b")).unwrap_err();
        assert_eq!(missing.to_string(), "engage read a column b that its query does not select");
        let no_row =
            db.conn().query_row("SELECT key FROM setting WHERE key = 'none'", &[], |row| row.get::<String>("key"));
        assert!(no_row.unwrap_err().to_string().starts_with("engage expected a row from the database and found none"));
    }

    #[test]
    fn a_transaction_left_unfinished_keeps_nothing_and_one_that_fails_neither() {
        let (_dir, mut db) = fresh();
        let count =
            |db: &Db| db.conn().query_value::<i64>("SELECT count(*) FROM setting WHERE key = 'x'", &[]).unwrap();
        {
            let tx = Tx::begin(db.conn()).unwrap();
            tx.execute("INSERT INTO setting (key, value) VALUES ('x', '1')", &[]).unwrap();
        }
        assert_eq!(count(&db), 0);
        let failed: Result<()> = db.write(|tx| {
            tx.execute("INSERT INTO setting (key, value) VALUES ('x', '1')", &[])?;
            Err(Error::Refused("no".into()))
        });
        assert!(failed.is_err());
        assert_eq!(count(&db), 0);
        db.write(|tx| tx.execute("INSERT INTO setting (key, value) VALUES ('x', '1')", &[]).map(|_| ())).unwrap();
        assert_eq!(count(&db), 1);
    }

    #[test]
    fn a_transaction_records_what_its_writes_touched() {
        let (_dir, db) = fresh();
        let tx = Tx::begin(db.conn()).unwrap();
        tx.touched(Touch::Request(3));
        tx.touched(Touch::Partner(7));
        tx.touched(Touch::Request(3));
        tx.touched(Touch::Counted { status: PartnerStatus::Active, joined_on: None, by: 2 });
        tx.touched(Touch::Counted { status: PartnerStatus::Active, joined_on: None, by: -1 });
        let touched = tx.take_touched();
        assert_eq!(touched.requests.into_iter().collect::<Vec<_>>(), vec![3]);
        assert_eq!(touched.partners.into_iter().collect::<Vec<_>>(), vec![7]);
        assert!(!touched.settings);
        assert_eq!(touched.counts.get(&(PartnerStatus::Active, None)), Some(&1));
        assert_eq!(tx.take_touched(), Touched::default());
    }
}
