//! The `invitation` table: invitations to requests and the partners' responses.

use super::{events, opt_date, partners, requests};
use crate::domain::dates::iso;
use crate::domain::kinds::{Community, RequestStatus, Response};
use crate::domain::partner::Partner;
use crate::domain::request::Request;
use crate::error::{Error, Result};
use chrono::NaiveDate;
use rusqlite::{Connection, OptionalExtension, Row, params};
use std::collections::{HashMap, HashSet};

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

/// How `recruit invite` and `message invitation` narrow a request's match.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Narrow {
    pub topic: Option<String>,
    pub region: Option<String>,
    pub community: Option<Community>,
}

/// The partners a request's invitation goes to, least recently engaged first.
#[derive(Debug, Clone, Default)]
pub struct Matching {
    pub partners: Vec<Partner>,
    /// When each partner was last selected, for any request.
    pub last_engaged: HashMap<i64, String>,
    /// Partners invited to or answering the request already; never matched again.
    pub already: HashSet<i64>,
}

/// Active partners who consented to be contacted (docs/rules.md, rule 7), with an e-mail, not yet
/// invited, who share a topic, the region and the community type of the request (and of `narrow`).
pub fn matching(conn: &Connection, request: &Request, narrow: &Narrow) -> Result<Matching> {
    // The request's own topics, region and community type; the flags narrow the match further.
    let topics: Vec<String> = request.topics.iter().map(|t| t.to_lowercase()).collect();
    let regions: Vec<String> =
        [request.region.as_ref(), narrow.region.as_ref()].into_iter().flatten().map(|r| r.to_lowercase()).collect();
    let communities: Vec<Community> = [request.community, narrow.community].into_iter().flatten().collect();
    let topic = narrow.topic.as_ref().map(|t| t.to_lowercase());
    let already: HashSet<i64> = for_request(conn, request.id)?.into_iter().map(|i| i.partner_id).collect();
    // When each partner was last selected: the least recently engaged are invited first
    // (docs/rules.md, rule 5: share opportunities fairly).
    let mut last_engaged: HashMap<i64, String> = HashMap::new();
    {
        let mut stmt =
            conn.prepare("SELECT partner_id, max(decided_on) FROM decision WHERE engaged = 1 GROUP BY partner_id")?;
        let mut rows = stmt.query([])?;
        while let Some(row) = rows.next()? {
            last_engaged.insert(row.get(0)?, row.get(1)?);
        }
    }
    let mut matched: Vec<Partner> = Vec::new();
    {
        let mut stmt = conn.prepare(&format!(
            "SELECT {} FROM partner WHERE status = 'active' AND consent = 1 AND email IS NOT NULL",
            partners::COLUMNS
        ))?;
        let mut rows = stmt.query([])?;
        while let Some(row) = rows.next()? {
            let p = partners::from_row(row)?;
            if already.contains(&p.id) {
                continue;
            }
            let partner_topics: Vec<String> = p.topics.iter().map(|t| t.to_lowercase()).collect();
            if !topics.is_empty()
                && !partner_topics
                    .iter()
                    .any(|pt| topics.iter().any(|t| pt.contains(t.as_str()) || t.contains(pt.as_str())))
            {
                continue;
            }
            if let Some(t) = &topic {
                if !partner_topics.iter().any(|pt| pt.contains(t.as_str())) {
                    continue;
                }
            }
            let region = p.region.as_ref().map(|r| r.to_lowercase()).unwrap_or_default();
            if !regions.iter().all(|r| region.contains(r.as_str())) {
                continue;
            }
            if !communities.iter().all(|c| p.community == Some(*c)) {
                continue;
            }
            matched.push(p);
        }
    }
    matched.sort_by(|x, y| last_engaged.get(&x.id).cmp(&last_engaged.get(&y.id)).then(x.id.cmp(&y.id)));
    Ok(Matching { partners: matched, last_engaged, already })
}

/// The request, refusing those whose recruitment is over.
pub fn open_request(conn: &Connection, id: i64) -> Result<Request> {
    let request = requests::get(conn, id)?;
    if request.status.is_final() {
        return Err(Error::Refused(format!(
            "request {id} is {}; it takes no more invitations or responses",
            request.status
        )));
    }
    Ok(request)
}

/// Records a response and its event; a request still `submitted` starts recruiting.
pub fn record_response(
    tx: &Connection,
    stamp: &crate::domain::Stamp,
    request: &Request,
    partner_id: i64,
    answer: &Answer,
) -> Result<()> {
    respond(tx, request.id, partner_id, answer)?;
    let conflict = if answer.conflict.is_some() { ", conflict declared" } else { "" };
    events::log(tx, stamp, "response", Some(request.id), Some(partner_id), &format!("{}{conflict}", answer.response))?;
    if request.status == RequestStatus::Submitted {
        let current = requests::get(tx, request.id)?;
        if current.status == RequestStatus::Submitted {
            requests::move_to(tx, stamp, &current, RequestStatus::Recruiting, None)?;
        }
    }
    Ok(())
}

/// A request a partner was invited to or answered, with what came of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HistoryEntry {
    pub request_id: i64,
    pub title: String,
    pub request_status: String,
    pub invited_on: Option<NaiveDate>,
    pub response: Option<String>,
    pub responded_on: Option<NaiveDate>,
    pub outcome: Option<String>,
    pub decided_on: Option<NaiveDate>,
}

/// A partner's engagement history: every request they were invited to or answered, and the
/// decision, newest request first.
pub fn history(conn: &Connection, partner_id: i64) -> Result<Vec<HistoryEntry>> {
    let mut stmt = conn.prepare_cached(
        "SELECT i.request_id, r.title, r.status, i.invited_on, i.response, i.responded_on, d.outcome, d.decided_on \
         FROM invitation i JOIN request r ON r.id = i.request_id \
         LEFT JOIN decision d ON d.request_id = i.request_id AND d.partner_id = i.partner_id \
         WHERE i.partner_id = ?1 ORDER BY i.request_id DESC",
    )?;
    let mut rows = stmt.query([partner_id])?;
    let mut out = Vec::new();
    while let Some(row) = rows.next()? {
        out.push(HistoryEntry {
            request_id: row.get(0)?,
            title: row.get(1)?,
            request_status: row.get(2)?,
            invited_on: opt_date(row.get(3)?)?,
            response: row.get(4)?,
            responded_on: opt_date(row.get(5)?)?,
            outcome: row.get(6)?,
            decided_on: opt_date(row.get(7)?)?,
        });
    }
    Ok(out)
}
