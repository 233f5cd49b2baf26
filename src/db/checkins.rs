//! The `checkin` table: check-ins, their concerns, hours and expenses.

use super::opt_date;
use crate::domain::checkin::{Checkin, CheckinStatus, Concern, Party, With};
use crate::domain::dates::{from_sql, iso};
use crate::domain::money::{Hours, Money};
use crate::error::{Error, Result};
use chrono::NaiveDate;
use rusqlite::{Connection, OptionalExtension, Row, params};

const COLUMNS: &str = "id, request_id, party, partner_id, held_on, status, concern, resolved_on, resolution, hours, \
     expenses_cents, expense_note, note, next_due";

fn damaged(why: String) -> Error {
    Error::Failed(format!("the database holds a damaged check-in: {why}"))
}

fn from_row(row: &Row<'_>) -> Result<Checkin> {
    let party: String = row.get("party")?;
    let party = party.parse::<Party>().map_err(damaged)?;
    let partner_id: Option<i64> = row.get("partner_id")?;
    let with = With::from_parts(party, partner_id)
        .ok_or_else(|| damaged(format!("party {party} with partner {partner_id:?}")))?;
    let status: String = row.get("status")?;
    let concern: Option<String> = row.get("concern")?;
    let held_on: String = row.get("held_on")?;
    Ok(Checkin {
        id: row.get("id")?,
        request_id: row.get("request_id")?,
        with,
        held_on: from_sql(&held_on).map_err(Error::Failed)?,
        status: status.parse::<CheckinStatus>().map_err(damaged)?,
        concern: concern.map(|c| c.parse::<Concern>()).transpose().map_err(damaged)?,
        resolved_on: opt_date(row.get("resolved_on")?)?,
        resolution: row.get("resolution")?,
        hours: Hours(row.get("hours")?),
        expenses: Money(row.get("expenses_cents")?),
        expense_note: row.get("expense_note")?,
        note: row.get("note")?,
        next_due: opt_date(row.get("next_due")?)?,
    })
}

fn collect(conn: &Connection, sql: &str, params: impl rusqlite::Params) -> Result<Vec<Checkin>> {
    let mut stmt = conn.prepare_cached(sql)?;
    let mut rows = stmt.query(params)?;
    let mut out = Vec::new();
    while let Some(row) = rows.next()? {
        out.push(from_row(row)?);
    }
    Ok(out)
}

/// Records a check-in (its `id` is ignored); returns the new id.
pub fn insert(conn: &Connection, c: &Checkin) -> Result<i64> {
    conn.prepare_cached(
        "INSERT INTO checkin (request_id, party, partner_id, held_on, status, concern, resolved_on, resolution, \
         hours, expenses_cents, expense_note, note, next_due) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
    )?
    .execute(params![
        c.request_id,
        c.with.party().as_str(),
        c.with.partner_id(),
        iso(c.held_on),
        c.status.as_str(),
        c.concern.map(Concern::as_str),
        c.resolved_on.map(iso),
        c.resolution,
        c.hours.hundredths(),
        c.expenses.cents(),
        c.expense_note,
        c.note,
        c.next_due.map(iso),
    ])?;
    Ok(conn.last_insert_rowid())
}

pub fn find(conn: &Connection, id: i64) -> Result<Option<Checkin>> {
    let mut stmt = conn.prepare_cached(&format!("SELECT {COLUMNS} FROM checkin WHERE id = ?1"))?;
    let found = stmt.query_row([id], |row| Ok(from_row(row))).optional()?;
    found.transpose()
}

/// The check-in, or the sentence saying there is none.
pub fn get(conn: &Connection, id: i64) -> Result<Checkin> {
    find(conn, id)?
        .ok_or_else(|| Error::NotFound(format!("there is no check-in {id}; `engage checkin list` shows the check-ins")))
}

/// Check-ins of one request, or of every request, oldest first.
pub fn list(conn: &Connection, request_id: Option<i64>) -> Result<Vec<Checkin>> {
    match request_id {
        Some(id) => {
            collect(conn, &format!("SELECT {COLUMNS} FROM checkin WHERE request_id = ?1 ORDER BY held_on, id"), [id])
        }
        None => collect(conn, &format!("SELECT {COLUMNS} FROM checkin ORDER BY request_id, held_on, id"), []),
    }
}

/// Marks the concern raised at a check-in as resolved.
pub fn resolve(conn: &Connection, id: i64, on: NaiveDate, resolution: Option<&str>) -> Result<()> {
    conn.execute(
        "UPDATE checkin SET resolved_on = ?2, resolution = ?3 WHERE id = ?1",
        params![id, iso(on), resolution],
    )?;
    Ok(())
}

/// The latest check-in with each person (partner, requester, team) on each active request.
pub fn latest_on_active_requests(conn: &Connection) -> Result<Vec<Checkin>> {
    collect(
        conn,
        &format!(
            "SELECT {COLUMNS} FROM (SELECT c.*, row_number() OVER (PARTITION BY c.request_id, c.party, c.partner_id \
             ORDER BY c.held_on DESC, c.id DESC) AS latest FROM checkin c JOIN request r ON r.id = c.request_id \
             WHERE r.status = 'active') WHERE latest = 1 ORDER BY request_id, id"
        ),
        [],
    )
}

/// Check-ins whose concern is not resolved, on any request, oldest first.
pub fn open_concerns(conn: &Connection) -> Result<Vec<Checkin>> {
    collect(
        conn,
        &format!("SELECT {COLUMNS} FROM checkin WHERE status != 'good' AND resolved_on IS NULL ORDER BY held_on, id"),
        [],
    )
}

/// A partner's hours and expenses logged across their check-ins on a request.
pub fn logged(conn: &Connection, request_id: i64, partner_id: i64) -> Result<(Hours, Money)> {
    let (hours, cents) = conn
        .prepare_cached(
            "SELECT coalesce(sum(hours), 0), coalesce(sum(expenses_cents), 0) FROM checkin \
             WHERE request_id = ?1 AND partner_id = ?2",
        )?
        .query_row(params![request_id, partner_id], |row| Ok((row.get(0)?, row.get(1)?)))?;
    Ok((Hours(hours), Money(cents)))
}
