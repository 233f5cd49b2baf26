//! The append-only event log.

use super::sql::{Reader, Row, Tx};
use crate::domain::Stamp;
use crate::error::Result;

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
    tx: &Tx<'_>,
    stamp: &Stamp,
    kind: &str,
    request_id: Option<i64>,
    partner_id: Option<i64>,
    detail: &str,
) -> Result<()> {
    tx.execute(
        "INSERT INTO event (at, actor, request_id, partner_id, kind, detail) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        &[&stamp.at, &stamp.by, &request_id, &partner_id, &kind, &detail],
    )?;
    Ok(())
}

fn from_row(row: &Row<'_>) -> Result<Event> {
    Ok(Event {
        id: row.get("id")?,
        at: row.get("at")?,
        actor: row.get("actor")?,
        request_id: row.get("request_id")?,
        partner_id: row.get("partner_id")?,
        kind: row.get("kind")?,
        detail: row.get("detail")?,
    })
}

/// Everything that happened to a request, oldest first.
pub fn for_request(conn: &Reader, request_id: i64) -> Result<Vec<Event>> {
    conn.query_map(
        "SELECT id, at, actor, request_id, partner_id, kind, detail FROM event WHERE request_id = ?1 ORDER BY id",
        &[&request_id],
        from_row,
    )
}
