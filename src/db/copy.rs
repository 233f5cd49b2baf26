//! `engage db copy`: a whole network from one database to another (a file to a server, a server
//! to a file), every table, in one transaction on the copy, and checked before it commits: each
//! table's rows counted and summed on both sides, and the derived tables compared with a
//! computation from scratch, as `db check` does.

use super::sql::{Reader, ToSql, Tx, ValueRef};
use super::{Db, derived, partners};
use crate::error::{Error, Result};
use xxhash_rust::xxh3::Xxh3;

/// engage's tables in an order that copies every row after the rows it refers to.
pub const TABLES: &[&str] = &[
    "setting",
    "request",
    "criterion",
    "partner",
    "invitation",
    "score",
    "decision",
    "checkin",
    "compensation",
    "reimbursement",
    "message",
    "event",
    "forgotten_identity",
    "identity_key",
    "erasure_pending",
    "reminder",
    "request_tally",
    "account_tally",
    "partner_count",
];

/// What was copied: rows per table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Copied {
    pub tables: Vec<(String, u64)>,
}

impl Copied {
    pub fn rows(&self) -> u64 {
        self.tables.iter().map(|(_, n)| n).sum()
    }
}

/// A table's rows counted, and summed: the sum of a hash of each row's values, so that the
/// comparison does not depend on the order either engine returns rows in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Tally {
    pub rows: u64,
    pub sum: u64,
}

/// The tables the database holds besides its schema version, checked against [`TABLES`]: a table
/// engage's copy does not know would be left behind.
fn tables(conn: &Reader, shown: &str) -> Result<()> {
    let found: Vec<String> = conn.query_map(conn.dialect().tables_sql(), &[], |row| row.get("name"))?;
    for name in &found {
        // The search index and its shadow tables are the file's own, made again from the
        // partners copied in.
        if name == "partner_search" || name.starts_with("partner_search_") {
            continue;
        }
        if !TABLES.contains(&name.as_str()) {
            return Err(Error::Failed(format!(
                "{shown} has a table {name} that this engage's copy does not know; nothing was copied: copy it with \
                 the engage that made it"
            )));
        }
    }
    if let Some(missing) = TABLES.iter().find(|t| !found.iter().any(|f| f == *t)) {
        return Err(Error::Failed(format!(
            "{shown} has no {missing} table, which every engage database of this version has; nothing was copied"
        )));
    }
    Ok(())
}

/// A table's columns, in their order.
fn columns(conn: &Reader, table: &str) -> Result<Vec<String>> {
    conn.query_map(conn.dialect().columns_sql(), &[&table], |row| row.get("name"))
}

/// Counts and sums a table's rows.
pub fn tally(conn: &Reader, table: &str, columns: &[String]) -> Result<Tally> {
    let mut tally = Tally::default();
    conn.each(&format!("SELECT {} FROM {table}", columns.join(", ")), &[], |row| {
        let mut hash = Xxh3::new();
        for column in columns {
            match row.value(column)? {
                ValueRef::Null => hash.update(&[0]),
                ValueRef::Integer(i) => {
                    hash.update(&[1]);
                    hash.update(&i.to_le_bytes());
                }
                ValueRef::Real(r) => {
                    hash.update(&[2]);
                    hash.update(&r.to_le_bytes());
                }
                ValueRef::Text(t) => {
                    hash.update(&[3]);
                    hash.update(&(t.len() as u64).to_le_bytes());
                    hash.update(t.as_bytes());
                }
                ValueRef::Blob(b) => {
                    hash.update(&[4]);
                    hash.update(&(b.len() as u64).to_le_bytes());
                    hash.update(b);
                }
            }
        }
        tally.rows += 1;
        tally.sum = tally.sum.wrapping_add(hash.digest());
        Ok(())
    })?;
    Ok(tally)
}

/// Copies every table of `from` into `to`, which must hold no network yet (a new database, or
/// one with nothing but its settings), in one transaction on `to` that is checked before it
/// commits; on any difference nothing is kept.
pub fn copy(from: &Db, to: &mut Db) -> Result<Copied> {
    let (shown_from, shown_to) = (from.path().display().to_string(), to.path().display().to_string());
    tables(from.conn(), &shown_from)?;
    tables(to.conn(), &shown_to)?;
    let mut layout = Vec::new();
    for table in TABLES {
        let here = columns(from.conn(), table)?;
        let mut there = columns(to.conn(), table)?;
        let mut sorted = here.clone();
        sorted.sort();
        there.sort();
        if sorted != there {
            return Err(Error::Failed(format!(
                "the {table} table of {shown_from} has other columns than that of {shown_to} ({} and {}); nothing was \
                 copied",
                here.join(", "),
                there.join(", ")
            )));
        }
        layout.push((*table, here));
    }
    to.write(|tx| {
        for (table, _) in &layout {
            if *table != "setting" && tx.query_opt(&format!("SELECT 1 AS found FROM {table} LIMIT 1"), &[], |_| Ok(()))?.is_some()
            {
                return Err(Error::Refused(format!(
                    "{shown_to} already holds a network (its {table} table has rows); engage copies only into a new \
                     or empty database, so nothing was copied"
                )));
            }
        }
        // The copy's own default settings give way to the network's.
        tx.execute("DELETE FROM setting", &[])?;
        let mut copied = Vec::new();
        for (table, columns) in &layout {
            let rows = copy_table(from.conn(), tx, table, columns)?;
            copied.push((table.to_string(), rows));
        }
        // A file's search index, from the partners copied in.
        partners::reindex_all(tx)?;
        // A server hands out the next ids from each table's sequence: past the copied ones.
        for (table, columns) in &layout {
            if let Some(sql) = tx.dialect().move_ids_past_sql(table, columns) {
                tx.query_opt(&sql, &[], |_| Ok(()))?;
            }
        }
        // The planner learns the tables' sizes now, for the checks below and the first commands.
        let names: Vec<&str> = layout.iter().map(|(table, _)| *table).collect();
        if let Some(sql) = tx.dialect().after_bulk_load_sql(&names) {
            tx.execute(&sql, &[])?;
        }
        for (table, columns) in &layout {
            let (here, there) = (tally(from.conn(), table, columns)?, tally(tx, table, columns)?);
            if here != there {
                return Err(Error::Failed(format!(
                    "the copy of the {table} table differs from {shown_from}'s ({} rows there, {} in the copy, or their \
                     values); nothing was copied",
                    here.rows, there.rows
                )));
            }
        }
        let stale = derived::verify(tx)?;
        if let Some(first) = stale.first() {
            return Err(Error::Failed(format!(
                "the copy's reminders, tallies or partner counts differ from its tables in {} place{} ({first}); \
                 nothing was copied: run `engage db check --repair` on {shown_from} first",
                stale.len(),
                if stale.len() == 1 { "" } else { "s" }
            )));
        }
        Ok(Copied { tables: copied })
    })
}

/// Rows inserted per statement.
const BATCH: usize = 50;

fn copy_table(from: &Reader, tx: &Tx<'_>, table: &str, columns: &[String]) -> Result<u64> {
    let width = columns.len();
    let statement = |rows: usize| {
        let values: Vec<String> = (0..rows)
            .map(|r| {
                let row: Vec<String> = (1..=width).map(|c| format!("?{}", r * width + c)).collect();
                format!("({})", row.join(", "))
            })
            .collect();
        format!("INSERT INTO {table} ({}) VALUES {}", columns.join(", "), values.join(", "))
    };
    let full = statement(BATCH);
    let one = statement(1);
    let mut held: Vec<super::sql::Value> = Vec::with_capacity(BATCH * width);
    let mut count = 0u64;
    let flush = |held: &mut Vec<super::sql::Value>| -> Result<()> {
        if held.len() == BATCH * width {
            let params: Vec<&dyn ToSql> = held.iter().map(|v| v as &dyn ToSql).collect();
            tx.execute(&full, &params)?;
        } else {
            for row in held.chunks(width) {
                let params: Vec<&dyn ToSql> = row.iter().map(|v| v as &dyn ToSql).collect();
                tx.execute(&one, &params)?;
            }
        }
        held.clear();
        Ok(())
    };
    from.each(&format!("SELECT {} FROM {table}", columns.join(", ")), &[], |row| {
        for column in columns {
            held.push(owned(row.value(column)?));
        }
        count += 1;
        if held.len() == BATCH * width {
            flush(&mut held)?;
        }
        Ok(())
    })?;
    flush(&mut held)?;
    Ok(count)
}

fn owned(v: ValueRef<'_>) -> super::sql::Value {
    use super::sql::Value;
    match v {
        ValueRef::Null => Value::Null,
        ValueRef::Integer(i) => Value::Integer(i),
        ValueRef::Real(r) => Value::Real(r),
        ValueRef::Text(t) => Value::Text(t.to_string()),
        ValueRef::Blob(b) => Value::Blob(b.to_vec()),
    }
}
