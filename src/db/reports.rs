//! Queries for `engage report`: the reminders shown on a day, and what the summary,
//! participation and compensation reports read. Each reads the derived tables where they exist
//! (src/db/derived.rs) and the indexes made for it, so a network of a million partners answers in
//! a fraction of a second.

use super::derived::{self, Scope, item_from_row, tally_from_row};
use super::opt_date;
use crate::domain::compensation::Account;
use crate::domain::dates::{from_sql, iso};
use crate::domain::kinds::{Community, PartnerStatus, RequestStatus, Way};
use crate::domain::money::{Hours, Money};
use crate::domain::partner::Partner;
use crate::domain::reminder::Item;
use crate::domain::report::{Months, Network, Period, RequestFigures};
use crate::domain::request::Pay;
use crate::error::{Error, Result};
use chrono::NaiveDate;
use rusqlite::{Connection, params};
use std::collections::{BTreeMap, HashMap};

/// The reminders shown on `as_of`, most overdue first: what the morning reminder reads, and all
/// it reads.
pub fn due(conn: &Connection, as_of: NaiveDate) -> Result<Vec<Item>> {
    let mut stmt = conn.prepare_cached(
        "SELECT kind, request_id, partner_id, checkin_id, shown_from, due_on, title, name, count, total, \
         amount_cents, since, detail FROM reminder WHERE shown_from <= ?1",
    )?;
    let mut rows = stmt.query([iso(as_of)])?;
    let mut out = Vec::new();
    while let Some(row) = rows.next()? {
        out.push(item_from_row(row)?);
    }
    out.sort_by(|a, b| {
        (a.due_on, a.kind, a.request_id, a.partner_id, a.checkin_id).cmp(&(
            b.due_on,
            b.kind,
            b.request_id,
            b.partner_id,
            b.checkin_id,
        ))
    });
    Ok(out)
}

fn date(text: String) -> Result<NaiveDate> {
    from_sql(&text).map_err(Error::Failed)
}

fn word<T: std::str::FromStr<Err = String>>(text: String) -> Result<T> {
    text.parse::<T>().map_err(|why| Error::Failed(format!("the database holds a damaged request: {why}")))
}

/// Every request with its tally, by id.
pub fn requests(conn: &Connection) -> Result<Vec<RequestFigures>> {
    let mut stmt = conn.prepare_cached(
        "SELECT r.id, r.status, r.way, r.created_on, r.region, r.community, r.ends_on, r.closed_on, \
         t.invited, t.responded, t.interested, t.selected, t.first_decided_on, t.hours, t.owed_cents, \
         t.paid_cents, t.outstanding_cents, t.expenses_cents, t.reimbursed_cents \
         FROM request r JOIN request_tally t ON t.request_id = r.id ORDER BY r.id",
    )?;
    let mut rows = stmt.query([])?;
    let mut out = Vec::new();
    while let Some(row) = rows.next()? {
        let community: Option<String> = row.get(5)?;
        out.push(RequestFigures {
            id: row.get(0)?,
            status: word(row.get(1)?)?,
            way: word(row.get(2)?)?,
            created_on: date(row.get(3)?)?,
            region: row.get(4)?,
            community: community.map(word).transpose()?,
            ends_on: opt_date(row.get(6)?)?,
            closed_on: opt_date(row.get(7)?)?,
            tally: tally_from_row(row, 8)?,
        });
    }
    Ok(out)
}

/// The partners by status who joined by the end of the period (or have no joining day), and
/// those who joined during it.
pub fn network(conn: &Connection, period: &Period) -> Result<Network> {
    let mut by_status = conn
        .prepare_cached("SELECT count(*) FROM partner WHERE status = ?1 AND (joined_on IS NULL OR joined_on <= ?2)")?;
    let mut joined =
        conn.prepare_cached("SELECT count(*) FROM partner WHERE status = ?1 AND joined_on >= ?2 AND joined_on <= ?3")?;
    let to = iso(period.to);
    let from = period.from.map(iso).unwrap_or_default();
    let mut n = Network::default();
    for status in PartnerStatus::ALL {
        let count: i64 = by_status.query_row(params![status.as_str(), to], |row| row.get(0))?;
        let new: i64 = joined.query_row(params![status.as_str(), from, to], |row| row.get(0))?;
        let count = u64::try_from(count).unwrap_or(0);
        match status {
            PartnerStatus::Active => n.active = count,
            PartnerStatus::Paused => n.paused = count,
            PartnerStatus::Withdrawn => n.withdrawn = count,
            PartnerStatus::Forgotten => n.forgotten = count,
        }
        n.new += u64::try_from(new).unwrap_or(0);
    }
    Ok(n)
}

/// (request, partner) for every partner selected.
pub fn selected(conn: &Connection) -> Result<Vec<(i64, i64)>> {
    let mut stmt = conn.prepare_cached("SELECT request_id, partner_id FROM decision WHERE outcome = 'selected'")?;
    let rows = stmt.query_map([], |row| Ok((row.get(0)?, row.get(1)?)))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// (partner, request) for every expression of interest.
pub fn interested(conn: &Connection) -> Result<Vec<(i64, i64)>> {
    let mut stmt =
        conn.prepare_cached("SELECT partner_id, request_id FROM invitation WHERE response = 'interested'")?;
    let rows = stmt.query_map([], |row| Ok((row.get(0)?, row.get(1)?)))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// What was paid in each month of the period (compensation, then reimbursements), and the first
/// day anything was paid at all.
pub fn paid_by_month(conn: &Connection, period: &Period) -> Result<(Months, Option<NaiveDate>)> {
    let from = period.from.map(iso).unwrap_or_default();
    let to = iso(period.to);
    let mut months = Months::new();
    let mut first: Option<NaiveDate> = None;
    for (column, cents, reimbursed) in [("paid_on", "paid_cents", false), ("reimbursed_on", "reimbursed_cents", true)] {
        let mut stmt = conn.prepare_cached(&format!(
            "SELECT substr({column}, 1, 7), min({column}), sum({cents}) FROM compensation \
             WHERE {column} >= ?1 AND {column} <= ?2 GROUP BY 1"
        ))?;
        let mut rows = stmt.query(params![from, to])?;
        while let Some(row) = rows.next()? {
            let month: String = row.get(0)?;
            let day = date(row.get(1)?)?;
            first = Some(first.map_or(day, |f| f.min(day)));
            let amount = Money(row.get(2)?);
            let m = months.entry(month).or_default();
            if reimbursed {
                m.1.0 += amount.0;
            } else {
                m.0.0 += amount.0;
            }
        }
    }
    Ok((months, first))
}

/// The accounts of every selected partner, by request.
pub fn accounts(conn: &Connection) -> Result<BTreeMap<i64, Vec<Account>>> {
    derived::accounts(conn, Scope::All)
}

/// What the compensation and participation reports say of a request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestInfo {
    pub id: i64,
    pub title: String,
    pub organization: String,
    pub way: Way,
    pub status: RequestStatus,
    pub pay: Pay,
    pub created_on: NaiveDate,
}

/// Every request's title, organization, way, status and pay, by id.
pub fn request_info(conn: &Connection) -> Result<HashMap<i64, RequestInfo>> {
    let mut stmt = conn
        .prepare_cached("SELECT id, title, organization, way, status, pay_basis, pay_cents, created_on FROM request")?;
    let mut rows = stmt.query([])?;
    let mut out = HashMap::new();
    while let Some(row) = rows.next()? {
        let basis: String = row.get(5)?;
        let id: i64 = row.get(0)?;
        out.insert(
            id,
            RequestInfo {
                id,
                title: row.get(1)?,
                organization: row.get(2)?,
                way: word(row.get(3)?)?,
                status: word(row.get(4)?)?,
                pay: Pay::from_sql(&basis, row.get(6)?)
                    .ok_or_else(|| Error::Failed(format!("the database holds a request with pay basis '{basis}'")))?,
                created_on: date(row.get(7)?)?,
            },
        );
    }
    Ok(out)
}

/// What the participation report says of a partner.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PartnerInfo {
    pub name: String,
    pub status: PartnerStatus,
    pub region: Option<String>,
    pub community: Option<Community>,
}

/// Name, status, region and community type of each of these partners.
pub fn partner_info(conn: &Connection, ids: impl IntoIterator<Item = i64>) -> Result<HashMap<i64, PartnerInfo>> {
    let mut stmt = conn.prepare_cached(
        "SELECT first_name, last_name, preferred_name, status, region, community FROM partner WHERE id = ?1",
    )?;
    let mut out = HashMap::new();
    for id in ids {
        let row = stmt.query_row([id], |row| {
            Ok((
                row.get::<_, Option<String>>(0)?,
                row.get::<_, Option<String>>(1)?,
                row.get::<_, Option<String>>(2)?,
                row.get::<_, String>(3)?,
                row.get::<_, Option<String>>(4)?,
                row.get::<_, Option<String>>(5)?,
            ))
        })?;
        let (first_name, last_name, preferred_name, status, region, community) = row;
        let name = Partner { id, first_name, last_name, preferred_name, ..Partner::default() }.name();
        out.insert(
            id,
            PartnerInfo {
                name,
                status: status.parse().map_err(Error::Failed)?,
                region,
                community: community.map(|c| c.parse()).transpose().map_err(Error::Failed)?,
            },
        );
    }
    Ok(out)
}

/// Each partner's hours on each request, from their check-ins.
pub fn hours(conn: &Connection) -> Result<HashMap<(i64, i64), Hours>> {
    let mut stmt = conn.prepare_cached(
        "SELECT request_id, partner_id, sum(hours) FROM checkin WHERE partner_id IS NOT NULL \
         GROUP BY request_id, partner_id",
    )?;
    let mut rows = stmt.query([])?;
    let mut out = HashMap::new();
    while let Some(row) = rows.next()? {
        out.insert((row.get(0)?, row.get(1)?), Hours(row.get(2)?));
    }
    Ok(out)
}

/// (request, partner, decided on) of every partner selected, for when each was last engaged.
pub fn selections(conn: &Connection) -> Result<Vec<(i64, i64, NaiveDate)>> {
    let mut stmt =
        conn.prepare_cached("SELECT request_id, partner_id, decided_on FROM decision WHERE outcome = 'selected'")?;
    let mut rows = stmt.query([])?;
    let mut out = Vec::new();
    while let Some(row) = rows.next()? {
        out.push((row.get(0)?, row.get(1)?, date(row.get(2)?)?));
    }
    Ok(out)
}

/// (partner, request, invited on) of every invitation sent.
pub fn invitations(conn: &Connection) -> Result<Vec<(i64, i64)>> {
    let mut stmt = conn.prepare_cached("SELECT partner_id, request_id FROM invitation WHERE invited_on IS NOT NULL")?;
    let rows = stmt.query_map([], |row| Ok((row.get(0)?, row.get(1)?)))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}
