//! Closing the loop: the request's closing steps, the selected partners (read from `decision`,
//! which `engage select decide` writes), and the accounts of everyone who took part: their
//! compensation and reimbursements.

use super::derived;
use crate::domain::compensation::{Account, Method};
use crate::domain::dates::{from_sql, iso};
use crate::domain::kinds::PartnerStatus;
use crate::domain::money::Money;
use crate::domain::partner::Partner;
use crate::domain::request::Closing;
use crate::error::{Error, Result};
use chrono::NaiveDate;
use rusqlite::{Connection, OptionalExtension, params};

/// A partner selected for a request, and when.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Selected {
    pub request_id: i64,
    pub partner_id: i64,
    pub decided_on: NaiveDate,
    /// The name to address them by (`partner 9` once forgotten).
    pub name: String,
    pub forgotten: bool,
}

fn selected_where(conn: &Connection, condition: &str, params: impl rusqlite::Params) -> Result<Vec<Selected>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT d.request_id, d.partner_id, d.decided_on, p.first_name, p.last_name, p.preferred_name, p.status \
         FROM decision d JOIN request r ON r.id = d.request_id JOIN partner p ON p.id = d.partner_id \
         WHERE d.outcome = 'selected' AND {condition} ORDER BY d.request_id, d.partner_id"
    ))?;
    let mut rows = stmt.query(params)?;
    let mut out = Vec::new();
    while let Some(row) = rows.next()? {
        let decided_on: String = row.get(2)?;
        let status: String = row.get(6)?;
        let partner = Partner {
            id: row.get(1)?,
            first_name: row.get(3)?,
            last_name: row.get(4)?,
            preferred_name: row.get(5)?,
            ..Partner::default()
        };
        out.push(Selected {
            request_id: row.get(0)?,
            partner_id: partner.id,
            decided_on: from_sql(&decided_on).map_err(Error::Failed)?,
            name: partner.name(),
            forgotten: status == PartnerStatus::Forgotten.as_str(),
        });
    }
    Ok(out)
}

/// The partners selected for a request, by partner id.
pub fn selected(conn: &Connection, request_id: i64) -> Result<Vec<Selected>> {
    selected_where(conn, "d.request_id = ?1", [request_id])
}

/// The partners selected for every active request.
pub fn selected_on_active_requests(conn: &Connection) -> Result<Vec<Selected>> {
    selected_where(conn, "r.status = 'active'", [])
}

/// Whether the partner takes part in the request: selected, or selected and then withdrew (the
/// hours of their last weeks are still logged).
pub fn takes_part(conn: &Connection, request_id: i64, partner_id: i64) -> Result<bool> {
    Ok(conn
        .prepare_cached(
            "SELECT 1 FROM decision WHERE request_id = ?1 AND partner_id = ?2 \
             AND (outcome = 'selected' OR outcome = 'withdrew')",
        )?
        .query_row(params![request_id, partner_id], |_| Ok(()))
        .optional()?
        .is_some())
}

/// A partner's account on a request: hours and expenses logged, what was paid and reimbursed.
/// None when they have none (never selected, or decided otherwise before anything was logged).
pub fn account(conn: &Connection, request_id: i64, partner_id: i64) -> Result<Option<Account>> {
    Ok(derived::accounts_on(conn, request_id, Some(partner_id))?.pop())
}

/// The accounts on a request, by partner id.
pub fn accounts(conn: &Connection, request_id: i64) -> Result<Vec<Account>> {
    derived::accounts_on(conn, request_id, None)
}

/// Records a payment: the method, the day, and the amount owed at that moment.
pub fn pay(
    conn: &Connection,
    request_id: i64,
    partner_id: i64,
    method: Method,
    on: NaiveDate,
    paid: Money,
) -> Result<()> {
    conn.execute(
        "INSERT INTO compensation (request_id, partner_id, method, declined, paid_on, paid_cents) \
         VALUES (?1, ?2, ?3, 0, ?4, ?5) \
         ON CONFLICT (request_id, partner_id) DO UPDATE SET method = excluded.method, declined = 0, \
         paid_on = excluded.paid_on, paid_cents = excluded.paid_cents",
        params![request_id, partner_id, method.as_str(), iso(on), paid.cents()],
    )?;
    Ok(())
}

/// Records that the partner declined compensation.
pub fn decline(conn: &Connection, request_id: i64, partner_id: i64) -> Result<()> {
    conn.execute(
        "INSERT INTO compensation (request_id, partner_id, declined) VALUES (?1, ?2, 1) \
         ON CONFLICT (request_id, partner_id) DO UPDATE SET method = NULL, declined = 1, paid_on = NULL, \
         paid_cents = NULL",
        params![request_id, partner_id],
    )?;
    Ok(())
}

/// Records a reimbursement of the partner's expenses: one more row, so a partner reimbursed
/// monthly keeps each.
pub fn reimburse(conn: &Connection, request_id: i64, partner_id: i64, on: NaiveDate, amount: Money) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO reimbursement (request_id, partner_id, reimbursed_on, cents) VALUES (?1, ?2, ?3, ?4)",
    )?
    .execute(params![request_id, partner_id, iso(on), amount.cents()])?;
    Ok(())
}

/// Writes the request's closing steps and closing day.
pub fn set_closing(conn: &Connection, request_id: i64, c: &Closing) -> Result<()> {
    conn.execute(
        "UPDATE request SET outcomes = ?2, loop_closed_on = ?3, thanked_on = ?4, partner_survey_on = ?5, \
         requester_survey_on = ?6, closed_on = ?7 WHERE id = ?1",
        params![
            request_id,
            c.outcomes,
            c.loop_closed_on.map(iso),
            c.thanked_on.map(iso),
            c.partner_survey_on.map(iso),
            c.requester_survey_on.map(iso),
            c.closed_on.map(iso),
        ],
    )?;
    Ok(())
}
