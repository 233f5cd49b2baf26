//! Queries for `engage report`: the reminders shown on a day, and what the summary,
//! participation and compensation reports read. Each reads the derived tables where they exist
//! (src/db/derived.rs) and the indexes made for it, so a network of a million partners answers in
//! a fraction of a second.

use super::derived::{self, Scope, item_from_row};
use crate::domain::compensation::Account;
use crate::domain::dates::{from_sql, iso};
use crate::domain::kinds::{Community, PartnerStatus, RequestStatus, Way};
use crate::domain::money::Hours;
use crate::domain::partner::Partner;
use crate::domain::reminder::Item;
use crate::domain::report::{Months, Network, Period, RequestFigures};
use crate::domain::request::Pay;
use crate::error::{Error, Result};
use chrono::NaiveDate;
use rusqlite::Connection;
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
    derived::tallies(conn)
}

/// The partners by status who joined by the end of the period (or have no joining day), and
/// those who joined during it, from the counts kept by status and joining day (`partner_count`).
pub fn network(conn: &Connection, period: &Period) -> Result<Network> {
    let to = iso(period.to);
    let from = period.from.map(iso);
    let mut n = Network::default();
    for (status, joined_on, partners) in super::partners::counted(conn)? {
        let partners = u64::try_from(partners).unwrap_or(0);
        let dated = !joined_on.is_empty();
        if dated && joined_on > to {
            continue;
        }
        // From the first record: everyone with a joining day by the end joined in the period.
        if dated && from.as_deref().is_none_or(|from| joined_on.as_str() >= from) {
            n.new += partners;
        }
        match status.parse::<PartnerStatus>().map_err(Error::Failed)? {
            PartnerStatus::Active => n.active += partners,
            PartnerStatus::Paused => n.paused += partners,
            PartnerStatus::Withdrawn => n.withdrawn += partners,
            PartnerStatus::Forgotten => n.forgotten += partners,
        }
    }
    Ok(n)
}

/// (request, partner) for every partner with an account on a request: selected, withdrew, or
/// decided otherwise after hours or money were logged for them.
pub fn selected(conn: &Connection) -> Result<Vec<(i64, i64)>> {
    let mut stmt = conn.prepare_cached("SELECT request_id, partner_id FROM decision WHERE engaged = 1")?;
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
/// day anything was paid at all, in one pass over the payments.
pub fn paid_by_month(conn: &Connection, period: &Period) -> Result<(Months, Option<NaiveDate>)> {
    let mut stmt = conn.prepare_cached(
        "SELECT paid_on, paid_cents, 0 FROM compensation WHERE paid_on IS NOT NULL \
         UNION ALL SELECT reimbursed_on, cents, 1 FROM reimbursement",
    )?;
    let mut rows = stmt.query([])?;
    // Days compared as the text they are stored as (YYYY-MM-DD sorts as days do).
    let from = period.from.map(iso).unwrap_or_default();
    let to = iso(period.to);
    let mut months = Months::new();
    let mut first: Option<String> = None;
    while let Some(row) = rows.next()? {
        let Some(day) = row.get_ref(0)?.as_str_or_null().map_err(rusqlite::Error::from)? else { continue };
        if first.as_deref().is_none_or(|f| day < f) {
            first = Some(day.to_string());
        }
        if day < from.as_str() || day > to.as_str() {
            continue;
        }
        let amount: Option<i64> = row.get(1)?;
        let reimbursed: bool = row.get(2)?;
        let month = day.get(..7).unwrap_or(day);
        let m = match months.get_mut(month) {
            Some(m) => m,
            None => months.entry(month.to_string()).or_default(),
        };
        if reimbursed {
            m.1.0 += amount.unwrap_or(0);
        } else {
            m.0.0 += amount.unwrap_or(0);
        }
    }
    let first = first.map(|f| from_sql(&f).map_err(Error::Failed)).transpose()?;
    Ok((months, first))
}

/// Every account (selected, withdrew, or paid before a later decision), by request.
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

/// (request, partner, decided on) of every partner engaged (with an account on the request), for
/// when each was last engaged: a partner who withdrew, or was paid before a later decision, was
/// engaged all the same.
pub fn selections(conn: &Connection) -> Result<Vec<(i64, i64, NaiveDate)>> {
    let mut stmt = conn.prepare_cached("SELECT request_id, partner_id, decided_on FROM decision WHERE engaged = 1")?;
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
