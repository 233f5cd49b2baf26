//! Many rows into one table, many to a statement: the sign-up import's path for new partners.
//! One INSERT per row paid SQLite's statement overhead for every partner; a statement of 64 rows
//! pays it once for all of them.
//!
//! The rows' values are laid out in one buffer ([`Held`] spans of its bytes), so a row made on
//! another thread is copied as one short run of memory. The ids are given here, counting up from
//! the table's highest: a row's id is known when it is queued, before it is written. That is safe
//! only because SQLite's write transaction (IMMEDIATE) keeps every other writer out until it ends;
//! a server backend takes its ids from the table's sequence instead.

use crate::db::sql::{Tx, ValueRef};
use crate::error::Result;
use rusqlite::types::{ToSqlOutput, ValueRef as SqliteRef};
use rusqlite::{Connection, Statement};

/// A column value held in a buffer: text as the span of its bytes.
#[derive(Debug, Clone, Copy)]
pub enum Held {
    Null,
    Int(i64),
    Text(u32, u32),
}

/// Appends a value to `text`, returning how it is held there.
pub fn hold(text: &mut Vec<u8>, value: ValueRef<'_>) -> Held {
    match value {
        ValueRef::Null => Held::Null,
        ValueRef::Integer(i) => Held::Int(i),
        ValueRef::Real(r) => Held::Int(r as i64),
        ValueRef::Text(t) => span(text, t.as_bytes()),
        ValueRef::Blob(b) => span(text, b),
    }
}

fn span(text: &mut Vec<u8>, bytes: &[u8]) -> Held {
    let start = text.len() as u32;
    text.extend_from_slice(bytes);
    Held::Text(start, text.len() as u32)
}

fn held(text: &[u8], value: Held) -> ToSqlOutput<'_> {
    ToSqlOutput::Borrowed(match value {
        Held::Null => SqliteRef::Null,
        Held::Int(i) => SqliteRef::Integer(i),
        Held::Text(start, end) => SqliteRef::Text(&text[start as usize..end as usize]),
    })
}

/// Rows written by one statement: 64 rows of 31 values stay well under SQLite's limit.
const BATCH: usize = 64;

/// Queued rows of one table, written a batch at a time. [`Bulk::flush`] must run before anything
/// reads a queued row back, and [`Bulk::finish`] before the transaction ends.
pub struct Bulk<'c> {
    next_id: i64,
    width: usize,
    text: Vec<u8>,
    values: Vec<Held>,
    /// The statements for a full batch and for one row, held for the whole import (returning a
    /// statement of two thousand values to the cache clears them all each time).
    full: Statement<'c>,
    one: Statement<'c>,
}

impl<'c> Bulk<'c> {
    /// Rows of `table` with an `id` and these columns.
    pub fn new(tx: &'c Tx<'_>, table: &str, columns: &[&str]) -> Result<Bulk<'c>> {
        let conn: &'c Connection = tx.sqlite()?;
        let next_id: i64 =
            conn.query_row(&format!("SELECT coalesce(max(id), 0) + 1 FROM {table}"), [], |r| r.get(0))?;
        let width = columns.len() + 1;
        Ok(Bulk {
            next_id,
            width,
            text: Vec::with_capacity(BATCH * 400),
            values: Vec::with_capacity(BATCH * width),
            full: conn.prepare(&batch_sql(table, columns, BATCH))?,
            one: conn.prepare(&batch_sql(table, columns, 1))?,
        })
    }

    /// Queues a row: the values laid out in `text` (spans of it), then `more`. Returns its id.
    pub fn push(&mut self, text: &[u8], laid: &[Held], more: &[ValueRef<'_>]) -> Result<i64> {
        let id = self.next_id;
        self.next_id += 1;
        let base = self.text.len() as u32;
        self.text.extend_from_slice(text);
        self.values.push(Held::Int(id));
        self.values.extend(laid.iter().map(|value| match *value {
            Held::Text(start, end) => Held::Text(base + start, base + end),
            other => other,
        }));
        for value in more {
            let value = hold(&mut self.text, *value);
            self.values.push(value);
        }
        debug_assert_eq!(self.values.len() % self.width, 0, "a row of the wrong width");
        if self.values.len() == BATCH * self.width {
            self.flush()?;
        }
        Ok(id)
    }

    /// Writes the queued rows: a full batch in one statement, what is left (before a row is read
    /// back, or at the end) row by row, so that only two statements are ever prepared.
    pub fn flush(&mut self) -> Result<()> {
        let text = self.text.as_slice();
        if self.values.len() == BATCH * self.width {
            self.full.execute(rusqlite::params_from_iter(self.values.iter().map(|&v| held(text, v))))?;
        } else {
            for row in self.values.chunks(self.width) {
                self.one.execute(rusqlite::params_from_iter(row.iter().map(|&v| held(text, v))))?;
            }
        }
        self.values.clear();
        self.text.clear();
        Ok(())
    }

    /// Writes what is still queued: the one way to be done, so no queued row is left unwritten.
    pub fn finish(mut self) -> Result<()> {
        self.flush()
    }
}

/// The INSERT of `n` rows.
pub(crate) fn batch_sql(table: &str, columns: &[&str], n: usize) -> String {
    let columns: Vec<&str> = std::iter::once("id").chain(columns.iter().copied()).collect();
    let width = columns.len();
    let rows: Vec<String> = (0..n)
        .map(|r| {
            let row: Vec<String> = (1..=width).map(|c| format!("?{}", r * width + c)).collect();
            format!("({})", row.join(", "))
        })
        .collect();
    format!("INSERT INTO {table} ({}) VALUES {}", columns.join(", "), rows.join(", "))
}
