//! The `reminder` table: what is due on each request, kept current so that the morning reminder
//! reads a few rows instead of working through every check-in.
//!
//! How it stays current: every write goes through `Db::write`, which notes the last event before
//! the command runs and, before committing, calls [`refresh_since`]. Every change engage makes is
//! logged as an event naming its request and, when it concerns one, its partner (the event log is
//! the SPEC's record of every change), so the events written in the transaction name everything
//! the transaction touched:
//!
//! - an event with a request: that request is worked out again;
//! - an event with a partner: every request the partner was invited to, answered, was decided on
//!   or checked in on is worked out again (a partner's status, commitments and record check count
//!   on each of them);
//! - the sign-up import's one event (no request, no partner): nothing, because an import changes
//!   only partners' own details, and what a reminder shows of a partner (the name, whether payment
//!   may affect their benefits) is read from the partner when the reminder is shown;
//! - any other event with neither (a setting changed): everything is worked out again.
//!
//! Working a request out again replaces all of its reminders from the tables, so a request is
//! never half refreshed, and the refresh commits or rolls back with the change itself. Reminders
//! keep dates only (`shown_from`, `due_on`); how overdue they are is counted when they are shown,
//! so the store does not go stale as days pass. [`verify`] compares the store with a fresh
//! computation (`engage db check` runs it) and [`rebuild`] starts it over.

use super::{checkins, opt_date};
use crate::domain::compensation::{Account, Method};
use crate::domain::dates::{from_sql, iso};
use crate::domain::kinds::{PartnerStatus, RequestStatus};
use crate::domain::money::{Hours, Money};
use crate::domain::reminder::{self, Decided, Facts, Item, Kind, Settings};
use crate::domain::request::Pay;
use crate::domain::selection::Decision;
use crate::error::{Error, Result};
use chrono::NaiveDate;
use rusqlite::{Connection, Row, params};
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// The kind of event the sign-up import logs (src/csvio/import.rs); see the module's comment.
pub const IMPORT_EVENT: &str = "import";

/// Which requests to work out.
#[derive(Debug, Clone, Copy)]
pub enum Scope<'a> {
    All,
    Requests(&'a [i64]),
}

/// The last event written so far: what a transaction's own events come after.
pub fn mark(conn: &Connection) -> Result<i64> {
    Ok(conn.query_row("SELECT coalesce(max(id), 0) FROM event", [], |row| row.get(0))?)
}

/// Works out again every request the events after `mark` name (see the module's comment).
pub fn refresh_since(conn: &Connection, mark: i64) -> Result<()> {
    let mut requests: BTreeSet<i64> = BTreeSet::new();
    let mut partners: BTreeSet<i64> = BTreeSet::new();
    let mut everything = false;
    {
        let mut stmt = conn.prepare_cached("SELECT request_id, partner_id, kind FROM event WHERE id > ?1")?;
        let mut rows = stmt.query([mark])?;
        while let Some(row) = rows.next()? {
            let request: Option<i64> = row.get(0)?;
            let partner: Option<i64> = row.get(1)?;
            let kind: String = row.get(2)?;
            requests.extend(request);
            partners.extend(partner);
            if request.is_none() && partner.is_none() && kind != IMPORT_EVENT {
                everything = true;
            }
        }
    }
    if everything {
        rebuild(conn)?;
        return Ok(());
    }
    if !partners.is_empty() {
        let mut stmt = conn.prepare_cached(
            "SELECT request_id FROM invitation WHERE partner_id = ?1 \
             UNION SELECT request_id FROM decision WHERE partner_id = ?1 \
             UNION SELECT request_id FROM checkin WHERE partner_id = ?1",
        )?;
        for partner in &partners {
            let ids = stmt.query_map([partner], |row| row.get::<_, i64>(0))?;
            for id in ids {
                requests.insert(id?);
            }
        }
    }
    if requests.is_empty() {
        return Ok(());
    }
    let ids: Vec<i64> = requests.into_iter().collect();
    refresh(conn, &ids)
}

/// Replaces the reminders of these requests with what their facts say now.
pub fn refresh(conn: &Connection, requests: &[i64]) -> Result<()> {
    let items = compute(conn, Scope::Requests(requests))?;
    let mut delete = conn.prepare_cached("DELETE FROM reminder WHERE request_id = ?1")?;
    for id in requests {
        delete.execute([id])?;
    }
    insert(conn, &items)
}

/// Works every request out again; returns how many reminders there are.
pub fn rebuild(conn: &Connection) -> Result<usize> {
    let items = compute(conn, Scope::All)?;
    conn.execute("DELETE FROM reminder", [])?;
    insert(conn, &items)?;
    Ok(items.len())
}

fn insert(conn: &Connection, items: &[Item]) -> Result<()> {
    let mut stmt = conn.prepare_cached(
        "INSERT INTO reminder (kind, request_id, partner_id, checkin_id, shown_from, due_on, count, amount_cents, \
         since, detail) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
    )?;
    for i in items {
        stmt.execute(params![
            i.kind.as_str(),
            i.request_id,
            i.partner_id,
            i.checkin_id,
            iso(i.shown_from),
            iso(i.due_on),
            i.count,
            i.amount.map(Money::cents),
            i.since.map(iso),
            i.detail,
        ])?;
    }
    Ok(())
}

/// The differences between the store and what the tables say now, one line each; empty when
/// the store is current.
pub fn verify(conn: &Connection) -> Result<Vec<String>> {
    let fresh: BTreeSet<Item> = compute(conn, Scope::All)?.into_iter().collect();
    let kept: BTreeSet<Item> = stored(conn)?.into_iter().collect();
    let describe = |i: &Item| {
        let mut words = format!("{} on request {}", i.kind, i.request_id);
        if let Some(p) = i.partner_id {
            words.push_str(&format!(", partner {p}"));
        }
        if let Some(c) = i.checkin_id {
            words.push_str(&format!(", check-in {c}"));
        }
        words.push_str(&format!(", due {}", iso(i.due_on)));
        words
    };
    let mut out: Vec<String> =
        kept.difference(&fresh).map(|i| format!("reminders: kept but no longer due: {}", describe(i))).collect();
    out.extend(fresh.difference(&kept).map(|i| format!("reminders: due but not kept: {}", describe(i))));
    Ok(out)
}

/// Every reminder in the store.
pub fn stored(conn: &Connection) -> Result<Vec<Item>> {
    let mut stmt = conn.prepare(
        "SELECT kind, request_id, partner_id, checkin_id, shown_from, due_on, count, amount_cents, since, detail \
         FROM reminder",
    )?;
    let mut rows = stmt.query([])?;
    let mut out = Vec::new();
    while let Some(row) = rows.next()? {
        out.push(item_from_row(row)?);
    }
    Ok(out)
}

fn damaged(why: String) -> Error {
    Error::Failed(format!("the database holds a damaged reminder: {why}; `engage db check --repair` rebuilds them"))
}

fn item_from_row(row: &Row<'_>) -> Result<Item> {
    let kind: String = row.get(0)?;
    let shown_from: String = row.get(4)?;
    let due_on: String = row.get(5)?;
    Ok(Item {
        kind: kind.parse::<Kind>().map_err(damaged)?,
        request_id: row.get(1)?,
        partner_id: row.get(2)?,
        checkin_id: row.get(3)?,
        shown_from: from_sql(&shown_from).map_err(damaged)?,
        due_on: from_sql(&due_on).map_err(damaged)?,
        count: row.get(6)?,
        amount: row.get::<_, Option<i64>>(7)?.map(Money),
        since: opt_date(row.get(8)?)?,
        detail: row.get(9)?,
    })
}

/// The settings the rules read.
pub fn settings(conn: &Connection) -> Result<Settings> {
    use super::settings::get_number;
    Ok(Settings {
        review_within_days: get_number(conn, "review_within_days")?,
        commitments_valid_days: get_number(conn, "commitments_valid_days")?,
        payment_within_days: get_number(conn, "payment_within_days")?,
        concern_followup_days: get_number(conn, "concern_followup_days")?,
    })
}

/// The `JOIN` limiting a query to the scope's requests (none for all of them); `compute` fills
/// `temp.reminder_scope` first.
fn scoped(scope: Scope<'_>, column: &str) -> String {
    match scope {
        Scope::All => String::new(),
        Scope::Requests(_) => format!("JOIN temp.reminder_scope AS scope ON scope.request_id = {column}"),
    }
}

fn date(text: String) -> Result<NaiveDate> {
    from_sql(&text).map_err(Error::Failed)
}

/// Every reminder of the requests in scope, worked out from the tables.
pub fn compute(conn: &Connection, scope: Scope<'_>) -> Result<Vec<Item>> {
    if let Scope::Requests(ids) = scope {
        conn.execute_batch(
            "CREATE TEMP TABLE IF NOT EXISTS reminder_scope (request_id INTEGER PRIMARY KEY); \
             DELETE FROM temp.reminder_scope;",
        )?;
        let mut add = conn.prepare_cached("INSERT OR IGNORE INTO temp.reminder_scope (request_id) VALUES (?1)")?;
        for id in ids {
            add.execute([id])?;
        }
    }
    let settings = settings(conn)?;
    let mut facts: BTreeMap<i64, Facts> = BTreeMap::new();
    {
        let sql = format!(
            "SELECT r.id, r.status, r.created_on, r.respond_by, r.select_by, r.starts_on, r.ends_on, r.closed_on, \
             r.seats, r.pay_basis, r.pay_cents, r.record_check_required, r.checkin_every_days FROM request r {}",
            scoped(scope, "r.id")
        );
        let mut stmt = conn.prepare_cached(&sql)?;
        let mut rows = stmt.query([])?;
        while let Some(row) = rows.next()? {
            let id: i64 = row.get(0)?;
            let status: String = row.get(1)?;
            let basis: String = row.get(9)?;
            let seats: i64 = row.get(8)?;
            let every: i64 = row.get(12)?;
            facts.insert(
                id,
                Facts {
                    request_id: id,
                    status: status.parse::<RequestStatus>().map_err(Error::Failed)?,
                    created_on: date(row.get(2)?)?,
                    respond_by: date(row.get(3)?)?,
                    select_by: date(row.get(4)?)?,
                    starts_on: opt_date(row.get(5)?)?,
                    ends_on: opt_date(row.get(6)?)?,
                    closed_on: opt_date(row.get(7)?)?,
                    seats: u32::try_from(seats).unwrap_or(u32::MAX),
                    pay: Pay::from_sql(&basis, row.get(10)?).ok_or_else(|| {
                        Error::Failed(format!("the database holds a request with pay basis '{basis}'"))
                    })?,
                    record_check_required: row.get(11)?,
                    checkin_every_days: u32::try_from(every).unwrap_or(1).max(1),
                    interested: 0,
                    decisions: Vec::new(),
                    latest: Vec::new(),
                    open_concerns: Vec::new(),
                    accounts: Vec::new(),
                },
            );
        }
    }
    {
        // Interested candidates of requests not decided yet: less those who left or were forgotten.
        let sql = format!(
            "SELECT i.request_id, count(*) FROM request r {} JOIN invitation i ON i.request_id = r.id \
             JOIN partner p ON p.id = i.partner_id \
             WHERE r.status IN ('submitted', 'recruiting', 'selecting') AND i.response = 'interested' \
             AND p.status != 'withdrawn' AND p.status != 'forgotten' GROUP BY i.request_id",
            scoped(scope, "r.id")
        );
        let mut stmt = conn.prepare_cached(&sql)?;
        let mut rows = stmt.query([])?;
        while let Some(row) = rows.next()? {
            let count: i64 = row.get(1)?;
            if let Some(f) = facts.get_mut(&row.get(0)?) {
                f.interested = u32::try_from(count).unwrap_or(u32::MAX);
            }
        }
    }
    {
        // Every decision of a request not decided yet (there should be none), and of the others
        // those not told yet and the selected: the decisions a reminder can follow from.
        let sql = format!(
            "SELECT d.request_id, d.partner_id, d.outcome, d.decided_on, d.notified_on, d.welcomed_on, \
             d.oriented_on, d.introduced_on, p.status, p.commitments_signed_on, p.record_check_on \
             FROM request r {} JOIN decision d ON d.request_id = r.id JOIN partner p ON p.id = d.partner_id \
             WHERE r.status != 'cancelled' AND (r.status NOT IN ('active', 'closed') OR d.notified_on IS NULL \
             OR d.outcome = 'selected') ORDER BY d.request_id, d.partner_id",
            scoped(scope, "r.id")
        );
        let mut stmt = conn.prepare_cached(&sql)?;
        let mut rows = stmt.query([])?;
        while let Some(row) = rows.next()? {
            let request_id: i64 = row.get(0)?;
            let outcome: String = row.get(2)?;
            let status: String = row.get(8)?;
            let decided = Decided {
                decision: Decision {
                    request_id,
                    partner_id: row.get(1)?,
                    outcome: outcome.parse().map_err(Error::Failed)?,
                    reason: None,
                    decided_on: date(row.get(3)?)?,
                    notified_on: opt_date(row.get(4)?)?,
                    welcomed_on: opt_date(row.get(5)?)?,
                    oriented_on: opt_date(row.get(6)?)?,
                    introduced_on: opt_date(row.get(7)?)?,
                },
                partner_status: status.parse::<PartnerStatus>().map_err(Error::Failed)?,
                commitments_signed_on: opt_date(row.get(9)?)?,
                record_check_on: opt_date(row.get(10)?)?,
            };
            if let Some(f) = facts.get_mut(&request_id) {
                f.decisions.push(decided);
            }
        }
    }
    {
        // The latest check-in with each person on each active request.
        let sql = format!(
            "SELECT {} FROM (SELECT c.*, row_number() OVER (PARTITION BY c.request_id, c.party, c.partner_id \
             ORDER BY c.held_on DESC, c.id DESC) AS latest FROM request r {} JOIN checkin c ON c.request_id = r.id \
             WHERE r.status = 'active') WHERE latest = 1",
            checkins::COLUMNS,
            scoped(scope, "r.id")
        );
        let mut stmt = conn.prepare_cached(&sql)?;
        let mut rows = stmt.query([])?;
        while let Some(row) = rows.next()? {
            let c = checkins::from_row(row)?;
            if let Some(f) = facts.get_mut(&c.request_id) {
                f.latest.push(c);
            }
        }
    }
    {
        let sql = format!(
            "SELECT {} FROM checkin c {} WHERE c.status != 'good' AND c.resolved_on IS NULL ORDER BY c.id",
            checkins::COLUMNS.split(", ").map(|column| format!("c.{}", column.trim())).collect::<Vec<_>>().join(", "),
            scoped(scope, "c.request_id")
        );
        let mut stmt = conn.prepare_cached(&sql)?;
        let mut rows = stmt.query([])?;
        while let Some(row) = rows.next()? {
            let c = checkins::from_row(row)?;
            if let Some(f) = facts.get_mut(&c.request_id) {
                f.open_concerns.push(c);
            }
        }
    }
    accounts(conn, scope, &mut facts)?;
    let mut items = Vec::new();
    for f in facts.values() {
        items.extend(reminder::of(f, &settings));
    }
    Ok(items)
}

/// The accounts of the partners selected on active and closed requests that have an end: what
/// payment and reimbursement reminders follow from.
fn accounts(conn: &Connection, scope: Scope<'_>, facts: &mut BTreeMap<i64, Facts>) -> Result<()> {
    let mut logged: HashMap<(i64, i64), (Hours, Money)> = HashMap::new();
    {
        let sql = format!(
            "SELECT c.request_id, c.partner_id, sum(c.hours), sum(c.expenses_cents) FROM checkin c {} \
             WHERE c.partner_id IS NOT NULL GROUP BY c.request_id, c.partner_id",
            scoped(scope, "c.request_id")
        );
        let mut stmt = conn.prepare_cached(&sql)?;
        let mut rows = stmt.query([])?;
        while let Some(row) = rows.next()? {
            logged.insert((row.get(0)?, row.get(1)?), (Hours(row.get(2)?), Money(row.get(3)?)));
        }
    }
    let sql = format!(
        "SELECT d.request_id, d.partner_id, k.method, coalesce(k.declined, 0), k.paid_on, k.paid_cents, \
         k.reimbursed_on, k.reimbursed_cents FROM request r {} JOIN decision d ON d.request_id = r.id \
         LEFT JOIN compensation k ON k.request_id = d.request_id AND k.partner_id = d.partner_id \
         WHERE d.outcome = 'selected' AND r.status IN ('active', 'closed') \
         AND (r.ends_on IS NOT NULL OR r.closed_on IS NOT NULL) ORDER BY d.request_id, d.partner_id",
        scoped(scope, "r.id")
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    let mut rows = stmt.query([])?;
    while let Some(row) = rows.next()? {
        let request_id: i64 = row.get(0)?;
        let partner_id: i64 = row.get(1)?;
        let method: Option<String> = row.get(2)?;
        let (hours, expenses) = logged.get(&(request_id, partner_id)).copied().unwrap_or_default();
        let account = Account {
            partner_id,
            hours,
            expenses,
            method: method
                .map(|m| m.parse::<Method>())
                .transpose()
                .map_err(|why| Error::Failed(format!("the database holds a damaged compensation: {why}")))?,
            declined: row.get(3)?,
            paid_on: opt_date(row.get(4)?)?,
            paid: row.get::<_, Option<i64>>(5)?.map(Money),
            reimbursed_on: opt_date(row.get(6)?)?,
            reimbursed: row.get::<_, Option<i64>>(7)?.map(Money),
            ..Account::default()
        };
        if let Some(f) = facts.get_mut(&request_id) {
            f.accounts.push(account);
        }
    }
    Ok(())
}

/// A reminder to show, with what its message says about the request and the partner.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Due {
    pub item: Item,
    pub about: reminder::About,
}

/// The reminders shown on `as_of`, most overdue first.
pub fn due(conn: &Connection, as_of: NaiveDate) -> Result<Vec<Due>> {
    let mut stmt = conn.prepare_cached(
        "SELECT m.kind, m.request_id, m.partner_id, m.checkin_id, m.shown_from, m.due_on, m.count, m.amount_cents, \
         m.since, m.detail, r.title, r.organization, r.contact_name, r.created_on, r.seats, r.respond_by, \
         r.select_by, r.starts_on, r.ends_on, r.closed_on, r.pay_basis, r.pay_cents, p.first_name, p.last_name, \
         p.preferred_name, coalesce(p.payment_affects_benefits, 0) \
         FROM reminder m JOIN request r ON r.id = m.request_id LEFT JOIN partner p ON p.id = m.partner_id \
         WHERE m.shown_from <= ?1",
    )?;
    let mut rows = stmt.query([iso(as_of)])?;
    let mut out = Vec::new();
    while let Some(row) = rows.next()? {
        let item = item_from_row(row)?;
        let basis: String = row.get(20)?;
        let partner = crate::domain::partner::Partner {
            id: item.partner_id.unwrap_or(0),
            first_name: row.get(22)?,
            last_name: row.get(23)?,
            preferred_name: row.get(24)?,
            ..Default::default()
        };
        let seats: i64 = row.get(14)?;
        let about = reminder::About {
            title: row.get(10)?,
            organization: row.get(11)?,
            contact_name: row.get(12)?,
            created_on: date(row.get(13)?)?,
            seats: u32::try_from(seats).unwrap_or(u32::MAX),
            respond_by: date(row.get(15)?)?,
            select_by: date(row.get(16)?)?,
            starts_on: opt_date(row.get(17)?)?,
            ends_on: opt_date(row.get(18)?)?,
            closed_on: opt_date(row.get(19)?)?,
            pay: Pay::from_sql(&basis, row.get(21)?)
                .ok_or_else(|| Error::Failed(format!("the database holds a request with pay basis '{basis}'")))?,
            partner_name: item.partner_id.map(|_| partner.name()),
            affects_benefits: row.get(25)?,
        };
        out.push(Due { item, about });
    }
    out.sort_by(|a, b| {
        (a.item.due_on, a.item.kind, a.item.request_id, a.item.partner_id, a.item.checkin_id).cmp(&(
            b.item.due_on,
            b.item.kind,
            b.item.request_id,
            b.item.partner_id,
            b.item.checkin_id,
        ))
    });
    Ok(out)
}
