//! The `request` and `criterion` tables.

use super::sql::{Json, Reader, Row, ToSql, Touch, Tx, ValueRef, damaged};
use crate::domain::criteria::Criterion;
use crate::domain::kinds::{Domain, Level, RequestStatus};
use crate::domain::money::Money;
use crate::domain::request::{Closing, Pay, Request};
use crate::error::{Error, Result};

const COLUMNS: &str = "id, title, description, title_fr, description_fr, organization, contact_name, contact_email, contact_phone, \
     way, domain, level, topics, region, community, format, location, starts_on, ends_on, respond_by, \
     select_by, hours_estimate, seats, pay_basis, pay_cents, expenses_reimbursed, record_check_required, \
     supports, checkin_every_days, checkin_every_given, status, status_reason, created_on, outcomes, loop_closed_on, thanked_on, \
     partner_survey_on, requester_survey_on, closed_on, partner_survey_url, requester_survey_url, owner";

/// How a request pays, from its `pay_basis` and `pay_cents` columns (named as the query names them).
pub fn pay_in(row: &Row<'_>, basis: &str, cents: &str) -> Result<Pay> {
    let amount: Money = row.get(cents)?;
    let text: String = row.get(basis)?;
    Pay::from_sql(&text, amount.cents())
        .ok_or_else(|| damaged(basis, ValueRef::Text(&text), "a pay basis (way, rate or honorarium)"))
}

/// Reads one request with everything that belongs to it.
fn read(conn: &Reader, row: &Row<'_>) -> Result<Request> {
    let id: i64 = row.get("id")?;
    Ok(Request {
        id,
        title: row.get("title")?,
        description: row.get("description")?,
        title_fr: row.get("title_fr")?,
        description_fr: row.get("description_fr")?,
        organization: row.get("organization")?,
        owner: row.get("owner")?,
        contact_name: row.get("contact_name")?,
        contact_email: row.get("contact_email")?,
        contact_phone: row.get("contact_phone")?,
        way: row.get("way")?,
        domain: row.get("domain")?,
        level: row.get("level")?,
        topics: row.get("topics")?,
        region: row.get("region")?,
        community: row.get("community")?,
        format: row.get("format")?,
        location: row.get("location")?,
        starts_on: row.get("starts_on")?,
        ends_on: row.get("ends_on")?,
        respond_by: row.get("respond_by")?,
        select_by: row.get("select_by")?,
        hours_estimate: row.get("hours_estimate")?,
        seats: row.get("seats")?,
        pay: pay_in(row, "pay_basis", "pay_cents")?,
        expenses_reimbursed: row.get("expenses_reimbursed")?,
        record_check_required: row.get("record_check_required")?,
        supports: row.get("supports")?,
        checkin_every_days: row.get("checkin_every_days")?,
        checkin_every_given: row.get("checkin_every_given")?,
        status: row.get("status")?,
        status_reason: row.get("status_reason")?,
        created_on: row.get("created_on")?,
        criteria: criteria(conn, id)?,
        partner_survey_url: row.get("partner_survey_url")?,
        requester_survey_url: row.get("requester_survey_url")?,
        closing: Closing {
            outcomes: row.get("outcomes")?,
            loop_closed_on: row.get("loop_closed_on")?,
            thanked_on: row.get("thanked_on")?,
            partner_survey_on: row.get("partner_survey_on")?,
            requester_survey_on: row.get("requester_survey_on")?,
            closed_on: row.get("closed_on")?,
        },
    })
}

pub fn find(conn: &Reader, id: i64) -> Result<Option<Request>> {
    let found =
        conn.query_opt(&format!("SELECT {COLUMNS} FROM request WHERE id = ?1"), &[&id], |row| read(conn, row))?;
    Ok(found)
}

/// The request, or the sentence saying there is none.
pub fn get(conn: &Reader, id: i64) -> Result<Request> {
    find(conn, id)?
        .ok_or_else(|| Error::NotFound(format!("there is no request {id}; `engage request list` shows the requests")))
}

#[derive(Debug, Default, Clone)]
pub struct Filter {
    pub statuses: Vec<RequestStatus>,
    pub organization: Option<String>,
    /// Only requests in this domain and at this level (Health Quality Ontario's framework).
    pub domain: Option<Domain>,
    pub level: Option<Level>,
    /// Only the requests this coordinator owns (as written, case aside).
    pub owner: Option<String>,
}

pub fn list(conn: &Reader, filter: &Filter) -> Result<Vec<Request>> {
    let org = filter.organization.as_ref().map(|o| o.to_lowercase());
    let mut out = Vec::new();
    // The statuses narrow in SQL (by `request_by_status`), so only the requests listed have their
    // criteria read; the same condition holds a JSON array of words as of ids.
    let statuses: Vec<&str> = filter.statuses.iter().map(|s| s.as_str()).collect();
    let wanted = Json(&statuses[..]);
    let (condition, params): (String, Vec<&dyn ToSql>) = if statuses.is_empty() {
        ("1 = 1".to_string(), Vec::new())
    } else {
        (conn.dialect().in_words("status", 1), vec![&wanted])
    };
    conn.each(&format!("SELECT {COLUMNS} FROM request WHERE {condition} ORDER BY id"), &params, |row| {
        let request = read(conn, row)?;
        if let Some(owner) = &filter.owner {
            if !same_owner(&request.owner, owner) {
                return Ok(());
            }
        }
        if let Some(org) = &org {
            if !request.organization.to_lowercase().contains(org.as_str()) {
                return Ok(());
            }
        }
        if filter.domain.is_some_and(|d| request.domain != Some(d))
            || filter.level.is_some_and(|l| request.level != Some(l))
        {
            return Ok(());
        }
        out.push(request);
        Ok(())
    })?;
    Ok(out)
}

/// The ids of the requests this coordinator owns (case aside).
pub fn owned_by(conn: &Reader, owner: &str) -> Result<std::collections::HashSet<i64>> {
    let mut ids = std::collections::HashSet::new();
    conn.each("SELECT id, owner FROM request", &[], |row| {
        let theirs: String = row.get("owner")?;
        if same_owner(&theirs, owner) {
            ids.insert(row.get("id")?);
        }
        Ok(())
    })?;
    Ok(ids)
}

/// Two names of one coordinator: case and the spaces around aside, the same on either backend.
fn same_owner(a: &str, b: &str) -> bool {
    a.trim().to_lowercase() == b.trim().to_lowercase()
}

/// The columns of a request's pay, as one value of the field list.
struct PayColumns {
    basis: &'static str,
    amount: Money,
}

/// A request's fields a coordinator edits, column by column: what the insert and the update
/// write, so no value can be bound to the wrong column.
fn edited<'a>(r: &'a Request, pay: &'a PayColumns) -> [(&'static str, &'a dyn ToSql); 32] {
    [
        ("owner", &r.owner),
        ("title", &r.title),
        ("description", &r.description),
        ("title_fr", &r.title_fr),
        ("description_fr", &r.description_fr),
        ("organization", &r.organization),
        ("contact_name", &r.contact_name),
        ("contact_email", &r.contact_email),
        ("contact_phone", &r.contact_phone),
        ("way", &r.way),
        ("domain", &r.domain),
        ("level", &r.level),
        ("topics", &r.topics),
        ("region", &r.region),
        ("community", &r.community),
        ("format", &r.format),
        ("location", &r.location),
        ("starts_on", &r.starts_on),
        ("ends_on", &r.ends_on),
        ("respond_by", &r.respond_by),
        ("select_by", &r.select_by),
        ("hours_estimate", &r.hours_estimate),
        ("seats", &r.seats),
        ("pay_basis", &pay.basis),
        ("pay_cents", &pay.amount),
        ("expenses_reimbursed", &r.expenses_reimbursed),
        ("record_check_required", &r.record_check_required),
        ("supports", &r.supports),
        ("checkin_every_days", &r.checkin_every_days),
        ("checkin_every_given", &r.checkin_every_given),
        ("partner_survey_url", &r.partner_survey_url),
        ("requester_survey_url", &r.requester_survey_url),
    ]
}

/// Inserts the request and its criteria; returns the new id.
pub fn insert(tx: &Tx<'_>, r: &Request) -> Result<i64> {
    let pay = PayColumns { basis: r.pay.basis(), amount: r.pay.amount() };
    let mut fields = edited(r, &pay).to_vec();
    fields.extend([
        ("status", &r.status as &dyn ToSql),
        ("status_reason", &r.status_reason),
        ("created_on", &r.created_on),
    ]);
    let columns: Vec<&str> = fields.iter().map(|(column, _)| *column).collect();
    let placeholders: Vec<String> = (1..=fields.len()).map(|i| format!("?{i}")).collect();
    let values: Vec<&dyn ToSql> = fields.iter().map(|(_, value)| *value).collect();
    let id = tx.query_row(
        &format!("INSERT INTO request ({}) VALUES ({}) RETURNING id", columns.join(", "), placeholders.join(", ")),
        &values,
        |row| row.get("id"),
    )?;
    tx.touched(Touch::Request(id));
    replace_criteria(tx, id, &r.criteria)?;
    Ok(id)
}

/// Writes every field a coordinator can edit.
pub fn update(tx: &Tx<'_>, r: &Request) -> Result<()> {
    let pay = PayColumns { basis: r.pay.basis(), amount: r.pay.amount() };
    let fields = edited(r, &pay);
    let set: Vec<String> = fields.iter().enumerate().map(|(i, (column, _))| format!("{column} = ?{}", i + 2)).collect();
    let values: Vec<&dyn ToSql> = std::iter::once(&r.id as &dyn ToSql).chain(fields.iter().map(|(_, v)| *v)).collect();
    tx.execute(&format!("UPDATE request SET {} WHERE id = ?1", set.join(", ")), &values)?;
    tx.touched(Touch::Request(r.id));
    replace_criteria(tx, r.id, &r.criteria)
}

pub fn set_status(tx: &Tx<'_>, id: i64, status: RequestStatus, reason: Option<&str>) -> Result<()> {
    tx.execute("UPDATE request SET status = ?2, status_reason = ?3 WHERE id = ?1", &[&id, &status, &reason])?;
    tx.touched(Touch::Request(id));
    Ok(())
}

pub fn criteria(conn: &Reader, request_id: i64) -> Result<Vec<Criterion>> {
    conn.query_map(
        "SELECT name, weight, required FROM criterion WHERE request_id = ?1 ORDER BY position",
        &[&request_id],
        |row| Ok(Criterion { name: row.get("name")?, weight: row.get("weight")?, required: row.get("required")? }),
    )
}

/// Criteria kept by name are updated in place, so the scores that name them stay valid.
fn replace_criteria(tx: &Tx<'_>, request_id: i64, criteria: &[Criterion]) -> Result<()> {
    let existing: Vec<String> =
        tx.query_map("SELECT name FROM criterion WHERE request_id = ?1", &[&request_id], |row| row.get("name"))?;
    for name in existing.iter().filter(|name| !criteria.iter().any(|c| &c.name == *name)) {
        tx.execute("DELETE FROM criterion WHERE request_id = ?1 AND name = ?2", &[&request_id, name])?;
    }
    for (position, c) in criteria.iter().enumerate() {
        tx.execute(
            "INSERT INTO criterion (request_id, position, name, weight, required) VALUES (?1, ?2, ?3, ?4, ?5) \
             ON CONFLICT (request_id, name) DO UPDATE SET position = excluded.position, weight = excluded.weight, \
             required = excluded.required",
            &[&request_id, &position, &c.name, &c.weight, &c.required],
        )?;
    }
    tx.touched(Touch::Request(request_id));
    Ok(())
}

/// Whether the request exists at all, without reading it.
pub fn exists(conn: &Reader, id: i64) -> Result<bool> {
    Ok(conn.query_opt("SELECT 1 AS found FROM request WHERE id = ?1", &[&id], |_| Ok(()))?.is_some())
}

/// Moves a request along its life and logs the move.
pub fn move_to(
    tx: &Tx<'_>,
    stamp: &crate::domain::Stamp,
    request: &Request,
    to: RequestStatus,
    reason: Option<&str>,
) -> Result<()> {
    if !request.status.can_move_to(to) {
        return Err(Error::Refused(format!("request {} is {}; it cannot become {}", request.id, request.status, to)));
    }
    set_status(tx, request.id, to, reason)?;
    let detail = match reason {
        Some(reason) => format!("{} → {}: {reason}", request.status, to),
        None => format!("{} → {}", request.status, to),
    };
    super::events::log(tx, stamp, "status_changed", Some(request.id), None, &detail)
}
