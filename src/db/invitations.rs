//! The `invitation` table: invitations to requests and the partners' responses.

use super::opt_date;
use crate::domain::dates::iso;
use crate::domain::kinds::Response;
use crate::error::{Error, Result};
use chrono::NaiveDate;
use rusqlite::{Connection, OptionalExtension, Row, params};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Invitation {
    pub request_id: i64,
    pub partner_id: i64,
    pub invited_on: Option<NaiveDate>,
    pub response: Option<Response>,
    pub responded_on: Option<NaiveDate>,
    pub statement: Option<String>,
    pub availability: Option<String>,
    pub conflict: Option<String>,
}

const COLUMNS: &str = "request_id, partner_id, invited_on, response, responded_on, statement, availability, conflict";

fn from_row(row: &Row<'_>) -> Result<Invitation> {
    let response: Option<String> = row.get("response")?;
    Ok(Invitation {
        request_id: row.get("request_id")?,
        partner_id: row.get("partner_id")?,
        invited_on: opt_date(row.get("invited_on")?)?,
        response: response.map(|r| r.parse::<Response>()).transpose().map_err(Error::Failed)?,
        responded_on: opt_date(row.get("responded_on")?)?,
        statement: row.get("statement")?,
        availability: row.get("availability")?,
        conflict: row.get("conflict")?,
    })
}

/// Records an invitation; a partner already invited keeps the first date. Returns whether it is new.
pub fn invite(conn: &Connection, request_id: i64, partner_id: i64, on: NaiveDate) -> Result<bool> {
    let changed = conn
        .prepare_cached(
            "INSERT INTO invitation (request_id, partner_id, invited_on) VALUES (?1, ?2, ?3) \
             ON CONFLICT (request_id, partner_id) DO UPDATE SET invited_on = excluded.invited_on \
             WHERE invited_on IS NULL",
        )?
        .execute(params![request_id, partner_id, iso(on)])?;
    Ok(changed > 0)
}

/// What a partner answered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Answer {
    pub response: Response,
    pub on: NaiveDate,
    pub statement: Option<String>,
    pub availability: Option<String>,
    pub conflict: Option<String>,
}

/// Records a response, with or without an invitation before it; a later answer replaces an earlier
/// one, keeping any statement, availability or conflict it does not repeat.
pub fn respond(conn: &Connection, request_id: i64, partner_id: i64, answer: &Answer) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO invitation (request_id, partner_id, response, responded_on, statement, availability, conflict) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) \
         ON CONFLICT (request_id, partner_id) DO UPDATE SET response = excluded.response, \
         responded_on = excluded.responded_on, statement = coalesce(excluded.statement, statement), \
         availability = coalesce(excluded.availability, availability), conflict = coalesce(excluded.conflict, conflict)",
    )?
    .execute(params![
        request_id,
        partner_id,
        answer.response.as_str(),
        iso(answer.on),
        answer.statement,
        answer.availability,
        answer.conflict,
    ])?;
    Ok(())
}

pub fn find(conn: &Connection, request_id: i64, partner_id: i64) -> Result<Option<Invitation>> {
    let mut stmt =
        conn.prepare_cached(&format!("SELECT {COLUMNS} FROM invitation WHERE request_id = ?1 AND partner_id = ?2"))?;
    let found = stmt.query_row(params![request_id, partner_id], |row| Ok(from_row(row))).optional()?;
    found.transpose()
}

/// Everyone invited to or answering a request, by partner id.
pub fn for_request(conn: &Connection, request_id: i64) -> Result<Vec<Invitation>> {
    let mut stmt =
        conn.prepare_cached(&format!("SELECT {COLUMNS} FROM invitation WHERE request_id = ?1 ORDER BY partner_id"))?;
    let mut rows = stmt.query([request_id])?;
    let mut out = Vec::new();
    while let Some(row) = rows.next()? {
        out.push(from_row(row)?);
    }
    Ok(out)
}

/// The candidates: partners who said they are interested, by partner id.
pub fn interested(conn: &Connection, request_id: i64) -> Result<Vec<Invitation>> {
    Ok(for_request(conn, request_id)?.into_iter().filter(|i| i.response == Some(Response::Interested)).collect())
}

/// A partner's invitations and responses across requests, newest request first.
pub fn for_partner(conn: &Connection, partner_id: i64) -> Result<Vec<Invitation>> {
    let mut stmt = conn
        .prepare_cached(&format!("SELECT {COLUMNS} FROM invitation WHERE partner_id = ?1 ORDER BY request_id DESC"))?;
    let mut rows = stmt.query([partner_id])?;
    let mut out = Vec::new();
    while let Some(row) = rows.next()? {
        out.push(from_row(row)?);
    }
    Ok(out)
}
