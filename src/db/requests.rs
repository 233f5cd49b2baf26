//! The `request` and `criterion` tables.

use super::{list_from_sql, list_to_sql, opt_date};
use crate::domain::criteria::Criterion;
use crate::domain::dates::{from_sql, iso};
use crate::domain::kinds::RequestStatus;
use crate::domain::money::Hours;
use crate::domain::request::{Closing, Pay, Request};
use crate::error::{Error, Result};
use rusqlite::{Connection, OptionalExtension, Row, params};

const COLUMNS: &str = "id, title, description, organization, contact_name, contact_email, contact_phone, \
     way, domain, level, topics, region, community, format, location, starts_on, ends_on, respond_by, \
     select_by, hours_estimate, seats, pay_basis, pay_cents, expenses_reimbursed, record_check_required, \
     supports, checkin_every_days, status, status_reason, created_on, outcomes, loop_closed_on, thanked_on, \
     partner_survey_on, requester_survey_on, closed_on, partner_survey_url, requester_survey_url";

fn word<T: std::str::FromStr<Err = String>>(text: Option<String>) -> Result<Option<T>> {
    text.map(|t| t.parse::<T>().map_err(|why| Error::Failed(format!("the database holds a damaged request: {why}"))))
        .transpose()
}

fn date(text: String) -> Result<chrono::NaiveDate> {
    from_sql(&text).map_err(Error::Failed)
}

/// Reads one request with everything that belongs to it.
fn read(conn: &Connection, row: &Row<'_>) -> Result<Request> {
    let id: i64 = row.get("id")?;
    let pay_basis: String = row.get("pay_basis")?;
    let pay = Pay::from_sql(&pay_basis, row.get("pay_cents")?)
        .ok_or_else(|| Error::Failed(format!("the database holds a request with pay basis '{pay_basis}'")))?;
    let way: String = row.get("way")?;
    let status: String = row.get("status")?;
    let topics: String = row.get("topics")?;
    let seats: i64 = row.get("seats")?;
    let checkin_every_days: i64 = row.get("checkin_every_days")?;
    Ok(Request {
        id,
        title: row.get("title")?,
        description: row.get("description")?,
        // Not stored yet: the column and `--title-fr` / `--description-fr` come with the French wiring.
        title_fr: None,
        description_fr: None,
        organization: row.get("organization")?,
        contact_name: row.get("contact_name")?,
        contact_email: row.get("contact_email")?,
        contact_phone: row.get("contact_phone")?,
        way: way.parse().map_err(Error::Failed)?,
        domain: word(row.get("domain")?)?,
        level: word(row.get("level")?)?,
        topics: list_from_sql(&topics)?,
        region: row.get("region")?,
        community: word(row.get("community")?)?,
        format: word(row.get("format")?)?,
        location: row.get("location")?,
        starts_on: opt_date(row.get("starts_on")?)?,
        ends_on: opt_date(row.get("ends_on")?)?,
        respond_by: date(row.get("respond_by")?)?,
        select_by: date(row.get("select_by")?)?,
        hours_estimate: row.get::<_, Option<i64>>("hours_estimate")?.map(Hours),
        seats: u32::try_from(seats).unwrap_or(0),
        pay,
        expenses_reimbursed: row.get("expenses_reimbursed")?,
        record_check_required: row.get("record_check_required")?,
        supports: row.get("supports")?,
        checkin_every_days: u32::try_from(checkin_every_days).unwrap_or(1),
        status: status.parse::<RequestStatus>().map_err(Error::Failed)?,
        status_reason: row.get("status_reason")?,
        created_on: date(row.get("created_on")?)?,
        criteria: criteria(conn, id)?,
        partner_survey_url: row.get("partner_survey_url")?,
        requester_survey_url: row.get("requester_survey_url")?,
        closing: Closing {
            outcomes: row.get("outcomes")?,
            loop_closed_on: opt_date(row.get("loop_closed_on")?)?,
            thanked_on: opt_date(row.get("thanked_on")?)?,
            partner_survey_on: opt_date(row.get("partner_survey_on")?)?,
            requester_survey_on: opt_date(row.get("requester_survey_on")?)?,
            closed_on: opt_date(row.get("closed_on")?)?,
        },
    })
}

pub fn find(conn: &Connection, id: i64) -> Result<Option<Request>> {
    let sql = format!("SELECT {COLUMNS} FROM request WHERE id = ?1");
    let mut stmt = conn.prepare(&sql)?;
    let mut rows = stmt.query([id])?;
    match rows.next()? {
        Some(row) => Ok(Some(read(conn, row)?)),
        None => Ok(None),
    }
}

/// The request, or the sentence saying there is none.
pub fn get(conn: &Connection, id: i64) -> Result<Request> {
    find(conn, id)?
        .ok_or_else(|| Error::NotFound(format!("there is no request {id}; `engage request list` shows the requests")))
}

#[derive(Debug, Default, Clone)]
pub struct Filter {
    pub statuses: Vec<RequestStatus>,
    pub organization: Option<String>,
}

pub fn list(conn: &Connection, filter: &Filter) -> Result<Vec<Request>> {
    let sql = format!("SELECT {COLUMNS} FROM request ORDER BY id");
    let mut stmt = conn.prepare(&sql)?;
    let mut rows = stmt.query([])?;
    let org = filter.organization.as_ref().map(|o| o.to_lowercase());
    let mut out = Vec::new();
    while let Some(row) = rows.next()? {
        let request = read(conn, row)?;
        if !filter.statuses.is_empty() && !filter.statuses.contains(&request.status) {
            continue;
        }
        if let Some(org) = &org {
            if !request.organization.to_lowercase().contains(org.as_str()) {
                continue;
            }
        }
        out.push(request);
    }
    Ok(out)
}

fn opt_iso(d: Option<chrono::NaiveDate>) -> Option<String> {
    d.map(iso)
}

/// Inserts the request and its criteria; returns the new id.
pub fn insert(conn: &Connection, r: &Request) -> Result<i64> {
    conn.execute(
        "INSERT INTO request (title, description, organization, contact_name, contact_email, contact_phone, \
         way, domain, level, topics, region, community, format, location, starts_on, ends_on, respond_by, \
         select_by, hours_estimate, seats, pay_basis, pay_cents, expenses_reimbursed, record_check_required, \
         supports, checkin_every_days, status, status_reason, created_on, partner_survey_url, \
         requester_survey_url) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, \
         ?21, ?22, ?23, ?24, ?25, ?26, ?27, ?28, ?29, ?30, ?31)",
        params![
            r.title,
            r.description,
            r.organization,
            r.contact_name,
            r.contact_email,
            r.contact_phone,
            r.way.as_str(),
            r.domain.map(|d| d.as_str()),
            r.level.map(|l| l.as_str()),
            list_to_sql(&r.topics),
            r.region,
            r.community.map(|c| c.as_str()),
            r.format.map(|f| f.as_str()),
            r.location,
            opt_iso(r.starts_on),
            opt_iso(r.ends_on),
            iso(r.respond_by),
            iso(r.select_by),
            r.hours_estimate.map(|h| h.hundredths()),
            r.seats,
            r.pay.basis(),
            r.pay.amount().cents(),
            r.expenses_reimbursed,
            r.record_check_required,
            r.supports,
            r.checkin_every_days,
            r.status.as_str(),
            r.status_reason,
            iso(r.created_on),
            r.partner_survey_url,
            r.requester_survey_url,
        ],
    )?;
    let id = conn.last_insert_rowid();
    replace_criteria(conn, id, &r.criteria)?;
    Ok(id)
}

/// Writes every field a coordinator can edit.
pub fn update(conn: &Connection, r: &Request) -> Result<()> {
    conn.execute(
        "UPDATE request SET title = ?2, description = ?3, organization = ?4, contact_name = ?5, \
         contact_email = ?6, contact_phone = ?7, way = ?8, domain = ?9, level = ?10, topics = ?11, region = ?12, \
         community = ?13, format = ?14, location = ?15, starts_on = ?16, ends_on = ?17, respond_by = ?18, \
         select_by = ?19, hours_estimate = ?20, seats = ?21, pay_basis = ?22, pay_cents = ?23, \
         expenses_reimbursed = ?24, record_check_required = ?25, supports = ?26, checkin_every_days = ?27, \
         partner_survey_url = ?28, requester_survey_url = ?29 WHERE id = ?1",
        params![
            r.id,
            r.title,
            r.description,
            r.organization,
            r.contact_name,
            r.contact_email,
            r.contact_phone,
            r.way.as_str(),
            r.domain.map(|d| d.as_str()),
            r.level.map(|l| l.as_str()),
            list_to_sql(&r.topics),
            r.region,
            r.community.map(|c| c.as_str()),
            r.format.map(|f| f.as_str()),
            r.location,
            opt_iso(r.starts_on),
            opt_iso(r.ends_on),
            iso(r.respond_by),
            iso(r.select_by),
            r.hours_estimate.map(|h| h.hundredths()),
            r.seats,
            r.pay.basis(),
            r.pay.amount().cents(),
            r.expenses_reimbursed,
            r.record_check_required,
            r.supports,
            r.checkin_every_days,
            r.partner_survey_url,
            r.requester_survey_url,
        ],
    )?;
    replace_criteria(conn, r.id, &r.criteria)
}

pub fn set_status(conn: &Connection, id: i64, status: RequestStatus, reason: Option<&str>) -> Result<()> {
    conn.execute(
        "UPDATE request SET status = ?2, status_reason = ?3 WHERE id = ?1",
        params![id, status.as_str(), reason],
    )?;
    Ok(())
}

pub fn criteria(conn: &Connection, request_id: i64) -> Result<Vec<Criterion>> {
    let mut stmt =
        conn.prepare_cached("SELECT name, weight, required FROM criterion WHERE request_id = ?1 ORDER BY position")?;
    let rows = stmt.query_map([request_id], |row| {
        Ok(Criterion { name: row.get(0)?, weight: row.get(1)?, required: row.get(2)? })
    })?;
    Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
}

/// Criteria kept by name are updated in place, so the scores that name them stay valid.
fn replace_criteria(conn: &Connection, request_id: i64, criteria: &[Criterion]) -> Result<()> {
    let existing: Vec<String> = conn
        .prepare_cached("SELECT name FROM criterion WHERE request_id = ?1")?
        .query_map([request_id], |row| row.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    for name in existing.iter().filter(|name| !criteria.iter().any(|c| &c.name == *name)) {
        conn.execute("DELETE FROM criterion WHERE request_id = ?1 AND name = ?2", params![request_id, name])?;
    }
    let mut insert = conn.prepare_cached(
        "INSERT INTO criterion (request_id, position, name, weight, required) VALUES (?1, ?2, ?3, ?4, ?5) \
         ON CONFLICT (request_id, name) DO UPDATE SET position = excluded.position, weight = excluded.weight, \
         required = excluded.required",
    )?;
    for (position, c) in criteria.iter().enumerate() {
        insert.execute(params![request_id, position as i64, c.name, c.weight, c.required])?;
    }
    Ok(())
}

/// Whether the request exists at all, without reading it.
pub fn exists(conn: &Connection, id: i64) -> Result<bool> {
    Ok(conn.query_row("SELECT 1 FROM request WHERE id = ?1", [id], |_| Ok(())).optional()?.is_some())
}

/// Moves a request along its life and logs the move.
pub fn move_to(
    conn: &Connection,
    stamp: &crate::domain::Stamp,
    request: &Request,
    to: RequestStatus,
    reason: Option<&str>,
) -> Result<()> {
    if !request.status.can_move_to(to) {
        return Err(Error::Refused(format!("request {} is {}; it cannot become {}", request.id, request.status, to)));
    }
    set_status(conn, request.id, to, reason)?;
    let detail = match reason {
        Some(reason) => format!("{} → {}: {reason}", request.status, to),
        None => format!("{} → {}", request.status, to),
    };
    super::events::log(conn, stamp, "status_changed", Some(request.id), None, &detail)
}
