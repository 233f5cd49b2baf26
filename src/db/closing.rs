//! Closing the loop: the request's closing steps, the selected partners (read from `decision`,
//! which `engage select decide` writes), and the accounts of everyone who took part: their
//! compensation and reimbursements. The accounts are read here and only here: statements,
//! payments, reminders, tallies and the compensation report all add up the same rows.

use super::derived::Scope;
use super::partners::name_in;
use super::sql::{Json, Reader, ToSql, Touch, Tx};
use crate::domain::compensation::{Account, Method};
use crate::domain::kinds::PartnerStatus;
use crate::domain::money::{Hours, Money};
use crate::domain::request::Closing;
use crate::error::Result;
use chrono::NaiveDate;
use std::collections::{BTreeMap, HashMap};

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

fn selected_where(conn: &Reader, condition: &str, params: &[&dyn ToSql]) -> Result<Vec<Selected>> {
    conn.query_map(
        &format!(
            "SELECT d.request_id, d.partner_id, d.decided_on, p.first_name, p.last_name, p.preferred_name, p.status \
             FROM decision d JOIN request r ON r.id = d.request_id JOIN partner p ON p.id = d.partner_id \
             WHERE d.outcome = 'selected' AND {condition} ORDER BY d.request_id, d.partner_id"
        ),
        params,
        |row| {
            let partner_id: i64 = row.get("partner_id")?;
            Ok(Selected {
                request_id: row.get("request_id")?,
                partner_id,
                decided_on: row.get("decided_on")?,
                name: name_in(row, partner_id, ["first_name", "last_name", "preferred_name"])?,
                forgotten: row.get::<PartnerStatus>("status")? == PartnerStatus::Forgotten,
            })
        },
    )
}

/// The partners selected for a request, by partner id.
pub fn selected(conn: &Reader, request_id: i64) -> Result<Vec<Selected>> {
    selected_where(conn, "d.request_id = ?1", &[&request_id])
}

/// (request, partner, decided on) of the partners selected for every active request, by request
/// and partner: the decisions alone (`checkin due` reads the few partners it names apart).
pub fn chosen_on_active_requests(conn: &Reader) -> Result<Vec<(i64, i64, NaiveDate)>> {
    conn.query_map(
        "SELECT d.request_id, d.partner_id, d.decided_on FROM decision d JOIN request r ON r.id = d.request_id \
         WHERE d.outcome = 'selected' AND r.status = 'active' ORDER BY d.request_id, d.partner_id",
        &[],
        |row| Ok((row.get("request_id")?, row.get("partner_id")?, row.get("decided_on")?)),
    )
}

/// Whether the partner takes part in the request: selected, or selected and then withdrew (the
/// hours of their last weeks are still logged).
pub fn takes_part(conn: &Reader, request_id: i64, partner_id: i64) -> Result<bool> {
    Ok(conn
        .query_opt(
            "SELECT 1 AS yes FROM decision WHERE request_id = ?1 AND partner_id = ?2 \
             AND (outcome = 'selected' OR outcome = 'withdrew')",
            &[&request_id, &partner_id],
            |_| Ok(()),
        )?
        .is_some())
}

/// A partner's account on a request: hours and expenses logged, what was paid and reimbursed.
/// None when they have none (never selected, or decided otherwise before anything was logged).
pub fn account(conn: &Reader, request_id: i64, partner_id: i64) -> Result<Option<Account>> {
    Ok(read_accounts(conn, Of::Request(request_id, Some(partner_id)))?.remove(&request_id).and_then(|mut a| a.pop()))
}

/// The accounts on a request, by partner id: what `engage close` and its statement read.
pub fn accounts(conn: &Reader, request_id: i64) -> Result<Vec<Account>> {
    Ok(read_accounts(conn, Of::Request(request_id, None))?.remove(&request_id).unwrap_or_default())
}

/// The accounts on the requests in scope, by request: what payment and reimbursement reminders
/// follow from, what the tallies and the compensation report add up. An account is a partner's
/// while `decision.engaged` is 1: selected, withdrew, or decided otherwise after hours or money
/// were logged for them.
pub fn accounts_in(conn: &Reader, scope: Scope<'_>) -> Result<BTreeMap<i64, Vec<Account>>> {
    read_accounts(conn, Of::Scope(scope))
}

/// Every account of the requests in scope with the day its partner was decided on, by request
/// and partner: what `account_tally` keeps.
pub fn dated_accounts_in(conn: &Reader, scope: Scope<'_>) -> Result<Vec<DatedAccount>> {
    read_dated_accounts(conn, Of::Scope(scope))
}

/// An account on a request, and the day its partner was decided on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DatedAccount {
    pub request_id: i64,
    pub decided_on: NaiveDate,
    pub account: Account,
}

/// Whose accounts are read.
#[derive(Debug, Clone, Copy)]
enum Of<'a> {
    Scope(Scope<'a>),
    Request(i64, Option<i64>),
}

/// A limit's parameter: the ids of a scope, or a request and partner.
enum Bound<'a> {
    Ids(Option<Json<&'a [i64]>>),
    Request(i64, Option<i64>),
}

impl Bound<'_> {
    fn params(&self) -> Vec<&dyn ToSql> {
        match self {
            Bound::Ids(None) => Vec::new(),
            Bound::Ids(Some(ids)) => vec![ids],
            Bound::Request(request, None) => vec![request],
            Bound::Request(request, Some(partner)) => vec![request, partner],
        }
    }
}

impl<'a> Of<'a> {
    /// The condition limiting a query on `table` (its alias) to these accounts, and its
    /// parameters.
    fn limit(self, conn: &Reader, table: &str) -> (String, Bound<'a>) {
        match self {
            Of::Scope(scope) => {
                let (condition, ids) = scope.limit(conn.dialect(), &format!("{table}.request_id"), 1);
                (condition, Bound::Ids(ids.0))
            }
            Of::Request(request, None) => (format!("{table}.request_id = ?1"), Bound::Request(request, None)),
            Of::Request(request, Some(partner)) => {
                (format!("{table}.request_id = ?1 AND {table}.partner_id = ?2"), Bound::Request(request, Some(partner)))
            }
        }
    }
}

fn read_accounts(conn: &Reader, of: Of<'_>) -> Result<BTreeMap<i64, Vec<Account>>> {
    let mut out: BTreeMap<i64, Vec<Account>> = BTreeMap::new();
    for a in read_dated_accounts(conn, of)? {
        out.entry(a.request_id).or_default().push(a.account);
    }
    Ok(out)
}

fn read_dated_accounts(conn: &Reader, of: Of<'_>) -> Result<Vec<DatedAccount>> {
    let mut logged: HashMap<(i64, i64), (Hours, Money)> = HashMap::new();
    let (condition, bound) = of.limit(conn, "c");
    conn.each(
        &format!(
            "SELECT c.request_id, c.partner_id, CAST(sum(c.hours) AS BIGINT) AS hours, \
             CAST(sum(c.expenses_cents) AS BIGINT) AS expenses_cents FROM checkin c \
             WHERE c.partner_id IS NOT NULL AND {condition} GROUP BY c.request_id, c.partner_id"
        ),
        &bound.params(),
        |row| {
            let key = (row.get("request_id")?, row.get("partner_id")?);
            logged.insert(key, (row.get("hours")?, row.get("expenses_cents")?));
            Ok(())
        },
    )?;
    let mut reimbursed: HashMap<(i64, i64), (Option<NaiveDate>, Money)> = HashMap::new();
    let (condition, bound) = of.limit(conn, "m");
    conn.each(
        &format!(
            "SELECT m.request_id, m.partner_id, max(m.reimbursed_on) AS reimbursed_on, \
             CAST(sum(m.cents) AS BIGINT) AS cents FROM reimbursement m \
             WHERE {condition} GROUP BY m.request_id, m.partner_id"
        ),
        &bound.params(),
        |row| {
            let key = (row.get("request_id")?, row.get("partner_id")?);
            reimbursed.insert(key, (row.get("reimbursed_on")?, row.get("cents")?));
            Ok(())
        },
    )?;
    let (condition, bound) = of.limit(conn, "d");
    let mut out: Vec<DatedAccount> = Vec::new();
    conn.each(
        &format!(
            "SELECT d.request_id, d.partner_id, d.decided_on, d.outcome, k.method, coalesce(k.declined, 0) AS declined, k.paid_on, \
             k.paid_cents, p.first_name, p.last_name, p.preferred_name, p.payment_affects_benefits, p.status \
             FROM decision d JOIN partner p ON p.id = d.partner_id \
             LEFT JOIN compensation k ON k.request_id = d.request_id AND k.partner_id = d.partner_id \
             WHERE d.engaged = 1 AND {condition} ORDER BY d.request_id, d.partner_id"
        ),
        &bound.params(),
        |row| {
            let request_id: i64 = row.get("request_id")?;
            let partner_id: i64 = row.get("partner_id")?;
            let (hours, expenses) = logged.get(&(request_id, partner_id)).copied().unwrap_or_default();
            let (reimbursed_on, reimbursed) = match reimbursed.remove(&(request_id, partner_id)) {
                Some((on, amount)) => (on, Some(amount)),
                None => (None, None),
            };
            let account = Account {
                partner_id,
                outcome: row.get("outcome")?,
                method: row.get::<Option<Method>>("method")?,
                declined: row.get("declined")?,
                paid_on: row.get("paid_on")?,
                paid: row.get("paid_cents")?,
                name: name_in(row, partner_id, ["first_name", "last_name", "preferred_name"])?,
                affects_benefits: row.get("payment_affects_benefits")?,
                forgotten: row.get::<PartnerStatus>("status")? == PartnerStatus::Forgotten,
                hours,
                expenses,
                reimbursed_on,
                reimbursed,
            };
            out.push(DatedAccount { request_id, decided_on: row.get("decided_on")?, account });
            Ok(())
        },
    )?;
    Ok(out)
}

/// Records a payment: the method, the day, and the amount owed at that moment.
pub fn pay(tx: &Tx<'_>, request_id: i64, partner_id: i64, method: Method, on: NaiveDate, paid: Money) -> Result<()> {
    tx.execute(
        "INSERT INTO compensation (request_id, partner_id, method, declined, paid_on, paid_cents) \
         VALUES (?1, ?2, ?3, 0, ?4, ?5) \
         ON CONFLICT (request_id, partner_id) DO UPDATE SET method = excluded.method, declined = 0, \
         paid_on = excluded.paid_on, paid_cents = excluded.paid_cents",
        &[&request_id, &partner_id, &method, &on, &paid],
    )?;
    tx.touched(Touch::Request(request_id));
    Ok(())
}

/// Records that the partner declined compensation.
pub fn decline(tx: &Tx<'_>, request_id: i64, partner_id: i64) -> Result<()> {
    tx.execute(
        "INSERT INTO compensation (request_id, partner_id, declined) VALUES (?1, ?2, 1) \
         ON CONFLICT (request_id, partner_id) DO UPDATE SET method = NULL, declined = 1, paid_on = NULL, \
         paid_cents = NULL",
        &[&request_id, &partner_id],
    )?;
    tx.touched(Touch::Request(request_id));
    Ok(())
}

/// Records a reimbursement of the partner's expenses: one more row, so a partner reimbursed
/// monthly keeps each.
pub fn reimburse(tx: &Tx<'_>, request_id: i64, partner_id: i64, on: NaiveDate, amount: Money) -> Result<()> {
    tx.execute(
        "INSERT INTO reimbursement (request_id, partner_id, reimbursed_on, cents) VALUES (?1, ?2, ?3, ?4)",
        &[&request_id, &partner_id, &on, &amount],
    )?;
    tx.touched(Touch::Request(request_id));
    Ok(())
}

/// Writes the request's closing steps and closing day.
pub fn set_closing(tx: &Tx<'_>, request_id: i64, c: &Closing) -> Result<()> {
    tx.execute(
        "UPDATE request SET outcomes = ?2, loop_closed_on = ?3, thanked_on = ?4, partner_survey_on = ?5, \
         requester_survey_on = ?6, closed_on = ?7 WHERE id = ?1",
        &[
            &request_id,
            &c.outcomes,
            &c.loop_closed_on,
            &c.thanked_on,
            &c.partner_survey_on,
            &c.requester_survey_on,
            &c.closed_on,
        ],
    )?;
    tx.touched(Touch::Request(request_id));
    Ok(())
}
