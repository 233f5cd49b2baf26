//! The sign-up import's bulk path on a server: the same queue as SQLite's (`sqlite::bulk`), but
//! the ids come from the table's identity sequence, reserved a block at a time, and a batch goes
//! to the server in one `COPY … FROM STDIN (FORMAT binary)`, each value bound to its column's type
//! as a statement's parameters are.
//!
//! The ids are the ones SQLite gives, one after the other from the last: the table is locked
//! against other writers' inserts from the first reservation to the commit (`SHARE ROW
//! EXCLUSIVE`: their INSERT waits, and so does another import's reservation), so nobody takes an
//! id from the sequence meanwhile, and `finish` gives the block's unused ids back. Without that,
//! every import left a gap of up to 1024 ids and the partners of the next had ids no file has
//! (1025 where a file says 6), which `recruit respond`, `select decide` and every other command
//! naming a partner would then take.

use crate::db::sql::{Tx, ValueRef};
use crate::db::sqlite::bulk::Held;
use crate::error::{Error, Result};
use postgres::types::Type;
use std::collections::VecDeque;

/// Rows written by one COPY: about a megabyte of sign-ups held at a time.
const BATCH: usize = 2048;

/// Ids reserved from the sequence at a time.
const RESERVED: i64 = 1024;

pub struct Bulk<'c> {
    tx: &'c Tx<'c>,
    table: String,
    ids: VecDeque<i64>,
    /// The last id handed out, to move the sequence back to when the import is done.
    last: Option<i64>,
    width: usize,
    text: Vec<u8>,
    values: Vec<Held>,
    /// The COPY, and the types of its columns.
    copy: String,
    types: Vec<Type>,
}

impl<'c> Bulk<'c> {
    pub fn new(tx: &'c Tx<'c>, table: &str, columns: &[&str]) -> Result<Bulk<'c>> {
        let width = columns.len() + 1;
        let names = format!("id, {}", columns.join(", "));
        let types = server(tx)?.column_types(&format!("SELECT {names} FROM {table} LIMIT 0"))?;
        Ok(Bulk {
            tx,
            table: table.to_string(),
            ids: VecDeque::new(),
            last: None,
            width,
            text: Vec::with_capacity(BATCH * 400),
            values: Vec::with_capacity(BATCH * width),
            copy: format!("COPY {table} ({names}) FROM STDIN (FORMAT binary)"),
            types,
        })
    }

    fn next_id(&mut self) -> Result<i64> {
        if self.ids.is_empty() {
            if self.last.is_none() {
                self.tx.execute(&format!("LOCK TABLE {} IN SHARE ROW EXCLUSIVE MODE", self.table), &[])?;
            }
            let ids: Vec<i64> = self.tx.query_map(
                "SELECT nextval(pg_get_serial_sequence(?1, 'id')) AS id FROM generate_series(1, ?2) ORDER BY 1",
                &[&self.table.as_str(), &RESERVED],
                |row| row.get("id"),
            )?;
            self.ids.extend(ids);
        }
        let id = self.ids.pop_front().unwrap_or_default();
        self.last = Some(id);
        Ok(id)
    }

    pub fn push(&mut self, text: &[u8], laid: &[Held], more: &[ValueRef<'_>]) -> Result<i64> {
        let id = self.next_id()?;
        let base = self.text.len() as u32;
        self.text.extend_from_slice(text);
        self.values.push(Held::Int(id));
        self.values.extend(laid.iter().map(|value| match *value {
            Held::Text(start, end) => Held::Text(base + start, base + end),
            other => other,
        }));
        for value in more {
            let value = crate::db::sqlite::bulk::hold(&mut self.text, *value);
            self.values.push(value);
        }
        if self.values.len() == BATCH * self.width {
            self.flush()?;
        }
        Ok(id)
    }

    pub fn flush(&mut self) -> Result<()> {
        let text = self.text.as_slice();
        let value = |v: Held| match v {
            Held::Null => ValueRef::Null,
            Held::Int(i) => ValueRef::Integer(i),
            Held::Text(start, end) => {
                let bytes = &text[start as usize..end as usize];
                std::str::from_utf8(bytes).map_or(ValueRef::Blob(bytes), ValueRef::Text)
            }
        };
        if !self.values.is_empty() {
            let values: Vec<ValueRef<'_>> = self.values.iter().map(|&v| value(v)).collect();
            server(self.tx)?.copy_in(&self.copy, &self.types, &values)?;
        }
        self.values.clear();
        self.text.clear();
        Ok(())
    }

    pub fn finish(mut self) -> Result<()> {
        self.flush()?;
        // The reserved ids left unused go back: the next partner's id follows the last imported,
        // as in a file. The table is locked, so no id past the last was taken by anyone else.
        if let (Some(last), false) = (self.last, self.ids.is_empty()) {
            self.tx.query_row(
                "SELECT setval(pg_get_serial_sequence(?1, 'id'), ?2) AS id",
                &[&self.table.as_str(), &last],
                |row| row.get::<i64>("id"),
            )?;
        }
        Ok(())
    }
}

/// The server's connection of the transaction (this bulk path is the server's only).
fn server<'a>(tx: &'a Tx<'_>) -> Result<&'a crate::db::pg::backend::Conn> {
    tx.server().ok_or_else(|| Error::Failed("engage used the server's bulk path on a file".to_string()))
}
