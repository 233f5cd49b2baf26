//! The append-only event log.

use crate::domain::Stamp;
use crate::error::Result;
use rusqlite::{Connection, params};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Event {
    pub id: i64,
    pub at: String,
    pub actor: String,
    pub request_id: Option<i64>,
    pub partner_id: Option<i64>,
    pub kind: String,
    pub detail: String,
}

pub fn log(
    conn: &Connection,
    stamp: &Stamp,
    kind: &str,
    request_id: Option<i64>,
    partner_id: Option<i64>,
    detail: &str,
) -> Result<()> {
    conn.execute(
        "INSERT INTO event (at, actor, request_id, partner_id, kind, detail) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![stamp.at, stamp.by, request_id, partner_id, kind, detail],
    )?;
    Ok(())
}

fn from_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<Event> {
    Ok(Event {
        id: row.get(0)?,
        at: row.get(1)?,
        actor: row.get(2)?,
        request_id: row.get(3)?,
        partner_id: row.get(4)?,
        kind: row.get(5)?,
        detail: row.get(6)?,
    })
}

/// Everything that happened to a request, oldest first.
pub fn for_request(conn: &Connection, request_id: i64) -> Result<Vec<Event>> {
    let mut stmt = conn.prepare(
        "SELECT id, at, actor, request_id, partner_id, kind, detail FROM event WHERE request_id = ?1 ORDER BY id",
    )?;
    let rows = stmt.query_map([request_id], from_row)?;
    Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
}
