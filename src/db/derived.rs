//! The derived tables, `reminder` (what is due on each request) and `request_tally` (what each
//! request adds up to), kept current so that the morning reminder and the summary read a few
//! short rows instead of working through every invitation and check-in.
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
//! - the sign-up import's one event (no request, no partner): an import changes only partners'
//!   own details, and of those reminders use only a partner's name and whether payment may affect
//!   their benefits (offered, not assumed); both are read again for every partner the reminders
//!   name ([`refresh_partners`]);
//! - any other event with neither (a setting changed): everything is worked out again.
//!
//! Working a request out again replaces all of its reminders and its tally from the tables, so a
//! request is never half refreshed, and the refresh commits or rolls back with the change itself.
//! Reminders keep days (`shown_from`, `due_on`), not how overdue they are: that is counted when
//! they are shown, so they do not go stale as days pass. [`verify`] compares both tables with a
//! fresh computation (`engage db check` runs it) and [`rebuild`] starts them over.

use super::{checkins, opt_date};
use crate::domain::compensation::{Account, Method, Totals};
use crate::domain::dates::{from_sql, iso};
use crate::domain::kinds::{Community, Way};
use crate::domain::kinds::{PartnerStatus, RequestStatus};
use crate::domain::money::{Hours, Money};
use crate::domain::partner::Partner;
use crate::domain::reminder::{self, Decided, Facts, Item, Kind, Settings};
use crate::domain::report::{RequestFigures, Tally};
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
    let mut imported = false;
    {
        let mut stmt = conn.prepare_cached("SELECT request_id, partner_id, kind FROM event WHERE id > ?1")?;
        let mut rows = stmt.query([mark])?;
        while let Some(row) = rows.next()? {
            let request: Option<i64> = row.get(0)?;
            let partner: Option<i64> = row.get(1)?;
            let kind: String = row.get(2)?;
            requests.extend(request);
            partners.extend(partner);
            if request.is_none() && partner.is_none() {
                if kind == IMPORT_EVENT {
                    imported = true;
                } else {
                    everything = true;
                }
            }
        }
    }
    if everything {
        rebuild(conn)?;
        return Ok(());
    }
    if imported {
        refresh_partners(conn)?;
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

/// Replaces the reminders and tallies of these requests with what their facts say now.
pub fn refresh(conn: &Connection, requests: &[i64]) -> Result<()> {
    let Derived { reminders: items, tallies } = compute(conn, Scope::Requests(requests))?;
    let mut delete = conn.prepare_cached("DELETE FROM reminder WHERE request_id = ?1")?;
    let mut forget = conn.prepare_cached("DELETE FROM request_tally WHERE request_id = ?1")?;
    for id in requests {
        delete.execute([id])?;
        forget.execute([id])?;
    }
    insert(conn, &items)?;
    insert_tallies(conn, &tallies)
}

/// Works every request out again; returns how many reminders there are.
pub fn rebuild(conn: &Connection) -> Result<usize> {
    let Derived { reminders: items, tallies } = compute(conn, Scope::All)?;
    conn.execute("DELETE FROM reminder", [])?;
    conn.execute("DELETE FROM request_tally", [])?;
    insert(conn, &items)?;
    insert_tallies(conn, &tallies)?;
    Ok(items.len())
}

fn insert_tallies(conn: &Connection, tallies: &[RequestFigures]) -> Result<()> {
    let mut stmt = conn.prepare_cached(
        "INSERT INTO request_tally (request_id, status, way, created_on, region, community, ends_on, closed_on, \
         invited, responded, interested, selected, first_decided_on, hours, owed_cents, paid_cents, \
         outstanding_cents, expenses_cents, reimbursed_cents) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19)",
    )?;
    for r in tallies {
        let t = &r.tally;
        stmt.execute(params![
            r.id,
            r.status.as_str(),
            r.way.as_str(),
            iso(r.created_on),
            r.region,
            r.community.map(Community::as_str),
            r.ends_on.map(iso),
            r.closed_on.map(iso),
            t.invited,
            t.responded,
            t.interested,
            t.selected,
            t.first_decided_on.map(iso),
            t.money.hours.hundredths(),
            t.money.owed.cents(),
            t.money.paid.cents(),
            t.money.outstanding.cents(),
            t.money.expenses.cents(),
            t.money.reimbursed.cents(),
        ])?;
    }
    Ok(())
}

/// Every request's tally, by request id.
pub fn tallies(conn: &Connection) -> Result<Vec<RequestFigures>> {
    let mut stmt = conn.prepare_cached(
        "SELECT request_id, status, way, created_on, region, community, ends_on, closed_on, invited, responded, \
         interested, selected, first_decided_on, hours, owed_cents, paid_cents, outstanding_cents, expenses_cents, \
         reimbursed_cents FROM request_tally ORDER BY request_id",
    )?;
    let mut rows = stmt.query([])?;
    let mut out = Vec::new();
    while let Some(row) = rows.next()? {
        out.push(figures_from_row(row)?);
    }
    Ok(out)
}

fn stored_word<T>(row: &Row<'_>, at: usize, parse: impl Fn(&str) -> Option<T>) -> Result<Option<T>> {
    match row.get_ref(at)?.as_str_or_null().map_err(rusqlite::Error::from)? {
        None => Ok(None),
        Some(text) => parse(text).map(Some).ok_or_else(|| damaged(format!("'{text}' is not a word engage stores"))),
    }
}

fn stored_date(row: &Row<'_>, at: usize) -> Result<Option<NaiveDate>> {
    match row.get_ref(at)?.as_str_or_null().map_err(rusqlite::Error::from)? {
        None => Ok(None),
        Some(text) => from_sql(text).map(Some).map_err(damaged),
    }
}

fn required<T>(value: Option<T>, what: &str) -> Result<T> {
    value.ok_or_else(|| damaged(format!("a tally without its {what}")))
}

/// A row of `request_tally`, read without allocating more than the region: a summary reads
/// every request's.
pub fn figures_from_row(row: &Row<'_>) -> Result<RequestFigures> {
    Ok(RequestFigures {
        id: row.get(0)?,
        status: required(stored_word(row, 1, RequestStatus::from_stored)?, "status")?,
        way: required(stored_word(row, 2, Way::from_stored)?, "way")?,
        created_on: required(stored_date(row, 3)?, "day")?,
        region: row.get(4)?,
        community: stored_word(row, 5, Community::from_stored)?,
        ends_on: stored_date(row, 6)?,
        closed_on: stored_date(row, 7)?,
        tally: Tally {
            invited: row.get(8)?,
            responded: row.get(9)?,
            interested: row.get(10)?,
            selected: row.get(11)?,
            first_decided_on: stored_date(row, 12)?,
            money: Totals {
                hours: Hours(row.get(13)?),
                owed: Money(row.get(14)?),
                paid: Money(row.get(15)?),
                outstanding: Money(row.get(16)?),
                expenses: Money(row.get(17)?),
                reimbursed: Money(row.get(18)?),
            },
        },
    })
}

/// Reads again the name of every partner the reminders name, and whether payment may affect
/// their benefits: what a sign-up import may have changed.
pub fn refresh_partners(conn: &Connection) -> Result<()> {
    let ids: Vec<i64> = conn
        .prepare("SELECT DISTINCT partner_id FROM reminder WHERE partner_id IS NOT NULL")?
        .query_map([], |row| row.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    let mut read = conn.prepare_cached(
        "SELECT first_name, last_name, preferred_name, payment_affects_benefits FROM partner WHERE id = ?1",
    )?;
    let mut rename = conn.prepare_cached("UPDATE reminder SET name = ?2 WHERE partner_id = ?1 AND name IS NOT ?2")?;
    let mut standing = conn.prepare_cached(
        "UPDATE reminder SET detail = ?2 WHERE partner_id = ?1 AND kind = 'payment_due' AND detail != 'no_hours' \
         AND detail != ?2",
    )?;
    for id in ids {
        let (first_name, last_name, preferred_name, affects): (Option<String>, Option<String>, Option<String>, bool) =
            read.query_row([id], |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?, row.get(3)?)))?;
        let partner = Partner { id, first_name, last_name, preferred_name, ..Partner::default() };
        rename.execute(params![id, partner.name()])?;
        standing.execute(params![id, if affects { "offered" } else { "owed" }])?;
    }
    Ok(())
}

fn insert(conn: &Connection, items: &[Item]) -> Result<()> {
    let mut stmt = conn.prepare_cached(
        "INSERT INTO reminder (kind, request_id, partner_id, checkin_id, shown_from, due_on, title, name, count, \
         total, amount_cents, since, detail) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
    )?;
    for i in items {
        stmt.execute(params![
            i.kind.as_str(),
            i.request_id,
            i.partner_id,
            i.checkin_id,
            iso(i.shown_from),
            iso(i.due_on),
            i.title,
            i.name,
            i.count,
            i.total,
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
    let Derived { reminders: items, tallies: fresh_tallies } = compute(conn, Scope::All)?;
    let fresh: BTreeSet<Item> = items.into_iter().collect();
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
    let fresh_tallies: BTreeSet<RequestFigures> = fresh_tallies.into_iter().collect();
    let kept_tallies: BTreeSet<RequestFigures> = tallies(conn)?.into_iter().collect();
    let stale: BTreeSet<i64> = kept_tallies.symmetric_difference(&fresh_tallies).map(|r| r.id).collect();
    out.extend(stale.into_iter().map(|id| format!("tallies: request {id} does not add up to what is kept")));
    if super::partners::counted(conn)? != super::partners::counted_afresh(conn)? {
        out.push(
            "partner counts: the partners counted by status and joining day are not what the network holds".into(),
        );
    }
    Ok(out)
}

/// Every reminder in the store.
pub fn stored(conn: &Connection) -> Result<Vec<Item>> {
    let mut stmt = conn.prepare(
        "SELECT kind, request_id, partner_id, checkin_id, shown_from, due_on, title, name, count, total, \
         amount_cents, since, detail FROM reminder",
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

pub fn item_from_row(row: &Row<'_>) -> Result<Item> {
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
        title: row.get(6)?,
        name: row.get(7)?,
        count: row.get(8)?,
        total: row.get(9)?,
        amount: row.get::<_, Option<i64>>(10)?.map(Money),
        since: opt_date(row.get(11)?)?,
        detail: row.get(12)?,
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

/// What the derived tables hold for some requests: their reminders, and each one's tally.
pub struct Derived {
    pub reminders: Vec<Item>,
    pub tallies: Vec<RequestFigures>,
}

/// Every reminder and the tally of the requests in scope, worked out from the tables.
pub fn compute(conn: &Connection, scope: Scope<'_>) -> Result<Derived> {
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
    let mut reach: HashMap<i64, (Way, Option<String>, Option<Community>)> = HashMap::new();
    {
        let sql = format!(
            "SELECT r.id, r.status, r.created_on, r.respond_by, r.select_by, r.starts_on, r.ends_on, r.closed_on, \
             r.seats, r.pay_basis, r.pay_cents, r.record_check_required, r.checkin_every_days, r.title, \
             r.organization, r.contact_name, r.way, r.region, r.community, \
             (r.outcomes IS NULL OR r.loop_closed_on IS NULL OR r.thanked_on IS NULL OR r.partner_survey_on IS NULL \
              OR r.requester_survey_on IS NULL) FROM request r {}",
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
            reach.insert(
                id,
                (
                    required(stored_word(row, 16, Way::from_stored)?, "way")?,
                    row.get(17)?,
                    stored_word(row, 18, Community::from_stored)?,
                ),
            );
            facts.insert(
                id,
                Facts {
                    request_id: id,
                    title: row.get(13)?,
                    organization: row.get(14)?,
                    contact_name: row.get(15)?,
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
                    loop_open: row.get(19)?,
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
             d.oriented_on, d.introduced_on, p.status, p.commitments_signed_on, p.record_check_on, \
             p.first_name, p.last_name, p.preferred_name \
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
                name: name_in(row, row.get(1)?, [11, 12, 13])?,
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
        let columns: Vec<String> = checkins::COLUMNS.split(", ").map(|c| format!("c.{}", c.trim())).collect();
        let sql = format!(
            "SELECT {}, p.first_name AS p_first, p.last_name AS p_last, p.preferred_name AS p_preferred \
             FROM checkin c {} LEFT JOIN partner p ON p.id = c.partner_id \
             WHERE c.status != 'good' AND c.resolved_on IS NULL ORDER BY c.id",
            columns.join(", "),
            scoped(scope, "c.request_id")
        );
        let mut stmt = conn.prepare_cached(&sql)?;
        let mut rows = stmt.query([])?;
        while let Some(row) = rows.next()? {
            let c = checkins::from_row(row)?;
            let name =
                c.with.partner_id().map(|id| name_in(row, id, ["p_first", "p_last", "p_preferred"])).transpose()?;
            if let Some(f) = facts.get_mut(&c.request_id) {
                f.open_concerns.push((c, name));
            }
        }
    }
    let mut tallies: BTreeMap<i64, Tally> = facts.keys().map(|id| (*id, Tally::default())).collect();
    {
        let sql = format!(
            "SELECT i.request_id, count(*) FILTER (WHERE i.invited_on IS NOT NULL), \
             count(*) FILTER (WHERE i.invited_on IS NOT NULL AND i.response IS NOT NULL), \
             count(*) FILTER (WHERE i.response = 'interested') FROM invitation i {} GROUP BY i.request_id",
            scoped(scope, "i.request_id")
        );
        let mut stmt = conn.prepare_cached(&sql)?;
        let mut rows = stmt.query([])?;
        while let Some(row) = rows.next()? {
            if let Some(t) = tallies.get_mut(&row.get(0)?) {
                t.invited = row.get(1)?;
                t.responded = row.get(2)?;
                t.interested = row.get(3)?;
            }
        }
    }
    {
        let sql = format!(
            "SELECT d.request_id, min(d.decided_on) FROM decision d {} GROUP BY d.request_id",
            scoped(scope, "d.request_id")
        );
        let mut stmt = conn.prepare_cached(&sql)?;
        let mut rows = stmt.query([])?;
        while let Some(row) = rows.next()? {
            if let Some(t) = tallies.get_mut(&row.get(0)?) {
                t.first_decided_on = opt_date(row.get(1)?)?;
            }
        }
    }
    for (id, accounts) in accounts(conn, scope)? {
        if let Some(f) = facts.get_mut(&id) {
            f.accounts = accounts;
        }
    }
    let mut items = Vec::new();
    let mut out_tallies = Vec::with_capacity(facts.len());
    for f in facts.values() {
        items.extend(reminder::of(f, &settings));
        let tally = tallies.get(&f.request_id).copied().unwrap_or_default().with_accounts(&f.accounts, f.pay);
        let Some((way, region, community)) = reach.get(&f.request_id).cloned() else { continue };
        out_tallies.push(RequestFigures {
            id: f.request_id,
            status: f.status,
            way,
            created_on: f.created_on,
            region,
            community,
            ends_on: f.ends_on,
            closed_on: f.closed_on,
            tally,
        });
    }
    Ok(Derived { reminders: items, tallies: out_tallies })
}

/// A partner's name as messages show it, from their first, last and preferred names in `row`.
fn name_in<I: rusqlite::RowIndex + Copy>(
    row: &Row<'_>,
    id: i64,
    [first, last, preferred]: [I; 3],
) -> rusqlite::Result<String> {
    let partner = Partner {
        id,
        first_name: row.get(first)?,
        last_name: row.get(last)?,
        preferred_name: row.get(preferred)?,
        ..Partner::default()
    };
    Ok(partner.name())
}

/// The accounts on the requests in scope, by request: what payment and reimbursement reminders
/// follow from, what the tallies and the compensation report add up. An account is a partner's
/// while `decision.engaged` is 1: selected, withdrew, or decided otherwise after hours or money
/// were logged for them.
pub fn accounts(conn: &Connection, scope: Scope<'_>) -> Result<BTreeMap<i64, Vec<Account>>> {
    read_accounts(conn, Of::Scope(scope))
}

/// The accounts on one request (of one partner, when given), by partner id: what `engage close`
/// and its statement read.
pub fn accounts_on(conn: &Connection, request_id: i64, partner_id: Option<i64>) -> Result<Vec<Account>> {
    Ok(read_accounts(conn, Of::Request(request_id, partner_id))?.remove(&request_id).unwrap_or_default())
}

/// Whose accounts are read.
#[derive(Debug, Clone, Copy)]
enum Of<'a> {
    Scope(Scope<'a>),
    Request(i64, Option<i64>),
}

impl Of<'_> {
    /// The `JOIN` and the `WHERE` condition limiting a query on `table` (its alias) to these
    /// accounts, and their parameters.
    fn limit(self, table: &str) -> (String, String, Vec<i64>) {
        match self {
            Of::Scope(scope) => (scoped(scope, &format!("{table}.request_id")), "1".to_string(), Vec::new()),
            Of::Request(request, None) => (String::new(), format!("{table}.request_id = ?1"), vec![request]),
            Of::Request(request, Some(partner)) => {
                (String::new(), format!("{table}.request_id = ?1 AND {table}.partner_id = ?2"), vec![request, partner])
            }
        }
    }
}

fn read_accounts(conn: &Connection, of: Of<'_>) -> Result<BTreeMap<i64, Vec<Account>>> {
    let mut logged: HashMap<(i64, i64), (Hours, Money)> = HashMap::new();
    {
        let (join, condition, params) = of.limit("c");
        let sql = format!(
            "SELECT c.request_id, c.partner_id, sum(c.hours), sum(c.expenses_cents) FROM checkin c {join} \
             WHERE c.partner_id IS NOT NULL AND {condition} GROUP BY c.request_id, c.partner_id"
        );
        let mut stmt = conn.prepare_cached(&sql)?;
        let mut rows = stmt.query(rusqlite::params_from_iter(params))?;
        while let Some(row) = rows.next()? {
            logged.insert((row.get(0)?, row.get(1)?), (Hours(row.get(2)?), Money(row.get(3)?)));
        }
    }
    let mut reimbursed: HashMap<(i64, i64), (Option<String>, Money)> = HashMap::new();
    {
        let (join, condition, params) = of.limit("m");
        let sql = format!(
            "SELECT m.request_id, m.partner_id, max(m.reimbursed_on), sum(m.cents) FROM reimbursement m {join} \
             WHERE {condition} GROUP BY m.request_id, m.partner_id"
        );
        let mut stmt = conn.prepare_cached(&sql)?;
        let mut rows = stmt.query(rusqlite::params_from_iter(params))?;
        while let Some(row) = rows.next()? {
            reimbursed.insert((row.get(0)?, row.get(1)?), (row.get(2)?, Money(row.get(3)?)));
        }
    }
    let (join, condition, params) = of.limit("d");
    let sql = format!(
        "SELECT d.request_id, d.partner_id, d.outcome, k.method, coalesce(k.declined, 0), k.paid_on, k.paid_cents, \
         p.first_name, p.last_name, p.preferred_name, p.payment_affects_benefits, p.status \
         FROM decision d {join} JOIN partner p ON p.id = d.partner_id \
         LEFT JOIN compensation k ON k.request_id = d.request_id AND k.partner_id = d.partner_id \
         WHERE d.engaged = 1 AND {condition} ORDER BY d.request_id, d.partner_id"
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    let mut rows = stmt.query(rusqlite::params_from_iter(params))?;
    let mut out: BTreeMap<i64, Vec<Account>> = BTreeMap::new();
    while let Some(row) = rows.next()? {
        let request_id: i64 = row.get(0)?;
        let partner_id: i64 = row.get(1)?;
        let outcome: String = row.get(2)?;
        let method: Option<String> = row.get(3)?;
        let status: String = row.get(11)?;
        let (hours, expenses) = logged.get(&(request_id, partner_id)).copied().unwrap_or_default();
        let (reimbursed_on, reimbursed) = match reimbursed.remove(&(request_id, partner_id)) {
            Some((on, amount)) => (opt_date(on)?, Some(amount)),
            None => (None, None),
        };
        out.entry(request_id).or_default().push(Account {
            partner_id,
            name: name_in(row, partner_id, [7, 8, 9])?,
            affects_benefits: row.get(10)?,
            outcome: outcome.parse().map_err(Error::Failed)?,
            forgotten: status == PartnerStatus::Forgotten.as_str(),
            hours,
            expenses,
            method: method
                .map(|m| m.parse::<Method>())
                .transpose()
                .map_err(|why| Error::Failed(format!("the database holds a damaged compensation: {why}")))?,
            declined: row.get(4)?,
            paid_on: opt_date(row.get(5)?)?,
            paid: row.get::<_, Option<i64>>(6)?.map(Money),
            reimbursed_on,
            reimbursed,
        });
    }
    Ok(out)
}
