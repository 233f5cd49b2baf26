//! The rows of the derived tables `reminder`, `request_tally` and `account_tally`: written from what
//! [`super::compute`] works out, read by the reports and by `engage db check`.

use super::Scope;
use crate::db::closing::DatedAccount;
use crate::db::sql::{Json, Reader, Row, Tx};
use crate::domain::compensation::{Account, Totals};
use crate::domain::reminder::{Detail, Item};
use crate::domain::report::{RequestDays, RequestFigures, Tally};
use crate::error::Result;
use chrono::NaiveDate;

use super::Derived;

const REMINDER_COLUMNS: &str = "kind, request_id, partner_id, checkin_id, party, shown_from, due_on, title, name, \
     count, total, amount_cents, since, detail";

const TALLY_COLUMNS: &str = "request_id, status, way, created_on, region, community, domain, level, ends_on, closed_on, invited, \
     responded, interested, selected, first_decided_on, hours, owed_cents, paid_cents, outstanding_cents, \
     expenses_cents, reimbursed_cents";

/// Replaces the reminders and tallies of these requests with what was worked out for them.
pub(super) fn replace(tx: &Tx<'_>, requests: &[i64], derived: &Derived) -> Result<()> {
    let (condition, ids) = Scope::Requests(requests).limit(tx.dialect(), "request_id", 1);
    tx.execute(&format!("DELETE FROM reminder WHERE {condition}"), &ids.as_params())?;
    tx.execute(&format!("DELETE FROM request_tally WHERE {condition}"), &ids.as_params())?;
    tx.execute(&format!("DELETE FROM account_tally WHERE {condition}"), &ids.as_params())?;
    insert(tx, derived)
}

/// Replaces every reminder and tally.
pub(super) fn replace_all(tx: &Tx<'_>, derived: &Derived) -> Result<()> {
    tx.execute("DELETE FROM reminder", &[])?;
    tx.execute("DELETE FROM request_tally", &[])?;
    tx.execute("DELETE FROM account_tally", &[])?;
    insert(tx, derived)
}

fn insert(tx: &Tx<'_>, derived: &Derived) -> Result<()> {
    let reminder = format!(
        "INSERT INTO reminder ({REMINDER_COLUMNS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)"
    );
    for i in &derived.reminders {
        let detail = i.detail.as_ref().map(Json);
        tx.execute(
            &reminder,
            &[
                &i.kind,
                &i.request_id,
                &i.partner_id,
                &i.checkin_id,
                &i.party,
                &i.shown_from,
                &i.due_on,
                &i.title,
                &i.name,
                &i.count,
                &i.total,
                &i.amount,
                &i.since,
                &detail,
            ],
        )?;
    }
    let tally = format!(
        "INSERT INTO request_tally ({TALLY_COLUMNS}) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21)"
    );
    for r in &derived.tallies {
        let t = &r.tally;
        tx.execute(
            &tally,
            &[
                &r.id,
                &r.status,
                &r.way,
                &r.created_on,
                &r.region,
                &r.community,
                &r.domain,
                &r.level,
                &r.ends_on,
                &r.closed_on,
                &t.invited,
                &t.responded,
                &t.interested,
                &t.selected,
                &t.first_decided_on,
                &t.money.hours,
                &t.money.owed,
                &t.money.paid,
                &t.money.outstanding,
                &t.money.expenses,
                &t.money.reimbursed,
            ],
        )?;
    }
    let account = format!(
        "INSERT INTO account_tally ({ACCOUNT_COLUMNS}) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)"
    );
    for d in &derived.accounts {
        let a = &d.account;
        tx.execute(
            &account,
            &[
                &d.request_id,
                &a.partner_id,
                &d.decided_on,
                &a.outcome,
                &a.name,
                &a.affects_benefits,
                &a.forgotten,
                &a.hours,
                &a.expenses,
                &a.method,
                &a.declined,
                &a.paid_on,
                &a.paid,
                &a.reimbursed_on,
                &a.reimbursed,
            ],
        )?;
    }
    Ok(())
}

const ACCOUNT_COLUMNS: &str = "request_id, partner_id, decided_on, outcome, name, affects_benefits, forgotten, hours, \
     expenses_cents, method, declined, paid_on, paid_cents, reimbursed_on, reimbursed_cents";

/// Every account kept, by request and partner.
pub fn accounts(conn: &Reader) -> Result<Vec<DatedAccount>> {
    let mut out = Vec::new();
    each_account(conn, |a| out.push(a))?;
    Ok(out)
}

/// Every account kept, by request and partner, handed to `f` as read rather than held.
pub fn each_account(conn: &Reader, mut f: impl FnMut(DatedAccount)) -> Result<()> {
    conn.each_streamed(
        &format!("SELECT {ACCOUNT_COLUMNS} FROM account_tally ORDER BY request_id, partner_id"),
        &[],
        |row| {
            f(account_from_row(row)?);
            Ok(())
        },
    )
}

/// How many accounts are kept.
pub fn account_count(conn: &Reader) -> Result<i64> {
    conn.query_value("SELECT count(*) FROM account_tally", &[])
}

/// A row of `account_tally`.
pub fn account_from_row(row: &Row<'_>) -> Result<DatedAccount> {
    // Read in the order of ACCOUNT_COLUMNS, so that each column is found where the last one ended.
    let request_id = row.get("request_id")?;
    let partner_id = row.get("partner_id")?;
    let decided_on = row.get("decided_on")?;
    let outcome = row.get("outcome")?;
    let name = row.get("name")?;
    let affects_benefits = row.get("affects_benefits")?;
    let forgotten = row.get("forgotten")?;
    let hours = row.get("hours")?;
    let expenses = row.get("expenses_cents")?;
    let method = row.get("method")?;
    let declined = row.get("declined")?;
    let paid_on = row.get("paid_on")?;
    let paid = row.get("paid_cents")?;
    let reimbursed_on = row.get("reimbursed_on")?;
    let reimbursed = row.get("reimbursed_cents")?;
    Ok(DatedAccount {
        request_id,
        decided_on,
        account: Account {
            partner_id,
            name,
            affects_benefits,
            outcome,
            forgotten,
            hours,
            expenses,
            method,
            declined,
            paid_on,
            paid,
            reimbursed_on,
            reimbursed,
        },
    })
}

pub(super) fn accounts_readable(conn: &Reader) -> Result<(Vec<DatedAccount>, Vec<String>)> {
    readable(
        conn,
        &format!("SELECT {ACCOUNT_COLUMNS} FROM account_tally ORDER BY request_id, partner_id"),
        "accounts",
        account_from_row,
    )
}

/// Every request's tally, by request id.
pub fn tallies(conn: &Reader) -> Result<Vec<RequestFigures>> {
    let mut out = Vec::new();
    each_tally(conn, |r| {
        out.push(r);
        Ok(())
    })?;
    Ok(out)
}

/// Every request's tally, by request id, handed to `f` as it is read rather than held.
pub fn each_tally(conn: &Reader, mut f: impl FnMut(RequestFigures) -> Result<()>) -> Result<()> {
    conn.each_streamed(&format!("SELECT {TALLY_COLUMNS} FROM request_tally ORDER BY request_id"), &[], |row| {
        f(figures_from_row(row)?)
    })
}

/// Every request's days (received, first decided, ends, closed) with its status and how many
/// were selected, by request id, handed to `f` as read: the few columns of the tally that say
/// whether it is an engagement in a period.
pub fn each_request_days(conn: &Reader, mut f: impl FnMut(RequestDays)) -> Result<()> {
    conn.each_streamed(
        "SELECT request_id, status, selected, created_on, first_decided_on, ends_on, closed_on FROM request_tally \
         ORDER BY request_id",
        &[],
        |row| {
            f(RequestDays {
                id: row.get("request_id")?,
                status: row.get("status")?,
                selected: row.get("selected")?,
                created_on: row.get("created_on")?,
                first_decided_on: row.get("first_decided_on")?,
                ends_on: row.get("ends_on")?,
                closed_on: row.get("closed_on")?,
            });
            Ok(())
        },
    )
}

/// A row of `request_tally`, read without allocating more than the region: a summary reads
/// every request's.
pub fn figures_from_row(row: &Row<'_>) -> Result<RequestFigures> {
    Ok(RequestFigures {
        id: row.get("request_id")?,
        status: row.get("status")?,
        way: row.get("way")?,
        created_on: row.get("created_on")?,
        region: row.get("region")?,
        community: row.get("community")?,
        domain: row.get("domain")?,
        level: row.get("level")?,
        ends_on: row.get("ends_on")?,
        closed_on: row.get("closed_on")?,
        tally: Tally {
            invited: row.get("invited")?,
            responded: row.get("responded")?,
            interested: row.get("interested")?,
            selected: row.get("selected")?,
            first_decided_on: row.get("first_decided_on")?,
            money: Totals {
                hours: row.get("hours")?,
                owed: row.get("owed_cents")?,
                paid: row.get("paid_cents")?,
                outstanding: row.get("outstanding_cents")?,
                expenses: row.get("expenses_cents")?,
                reimbursed: row.get("reimbursed_cents")?,
            },
        },
    })
}

/// What `engage db check` reads of a derived table: the rows engage can read, and a line for
/// each it cannot (a value changed behind engage's back), by its request.
pub(super) fn readable<T>(
    conn: &Reader,
    sql: &str,
    what: &str,
    read: impl Fn(&Row<'_>) -> Result<T>,
) -> Result<(Vec<T>, Vec<String>)> {
    let mut rows = Vec::new();
    let mut unreadable = Vec::new();
    conn.each(sql, &[], |row| {
        match read(row) {
            Ok(value) => rows.push(value),
            Err(_) => {
                let request = row.get::<i64>("request_id").map_or("?".to_string(), |id| id.to_string());
                unreadable.push(format!("{what}: a row of request {request} holds a value engage cannot read"));
            }
        }
        Ok(())
    })?;
    Ok((rows, unreadable))
}

pub(super) fn reminders_readable(conn: &Reader) -> Result<(Vec<Item>, Vec<String>)> {
    readable(conn, &format!("SELECT {REMINDER_COLUMNS} FROM reminder"), "reminders", item_from_row)
}

pub(super) fn tallies_readable(conn: &Reader) -> Result<(Vec<RequestFigures>, Vec<String>)> {
    readable(
        conn,
        &format!("SELECT {TALLY_COLUMNS} FROM request_tally ORDER BY request_id"),
        "tallies",
        figures_from_row,
    )
}

/// Every reminder in the store.
pub fn stored(conn: &Reader) -> Result<Vec<Item>> {
    conn.query_map(&format!("SELECT {REMINDER_COLUMNS} FROM reminder"), &[], item_from_row)
}

/// The reminders shown on `as_of` (whatever their order).
pub fn reminders_shown_by(conn: &Reader, as_of: NaiveDate) -> Result<Vec<Item>> {
    conn.query_map(&format!("SELECT {REMINDER_COLUMNS} FROM reminder WHERE shown_from <= ?1"), &[&as_of], item_from_row)
}

/// Every reminder of one request, shown or still to come (whatever their order).
pub fn reminders_of(conn: &Reader, request_id: i64) -> Result<Vec<Item>> {
    conn.query_map(
        &format!("SELECT {REMINDER_COLUMNS} FROM reminder WHERE request_id = ?1"),
        &[&request_id],
        item_from_row,
    )
}

pub fn item_from_row(row: &Row<'_>) -> Result<Item> {
    let detail: Option<Json<Detail>> = row.get("detail")?;
    Ok(Item {
        kind: row.get("kind")?,
        request_id: row.get("request_id")?,
        partner_id: row.get("partner_id")?,
        checkin_id: row.get("checkin_id")?,
        party: row.get("party")?,
        shown_from: row.get("shown_from")?,
        due_on: row.get("due_on")?,
        title: row.get("title")?,
        name: row.get("name")?,
        count: row.get("count")?,
        total: row.get("total")?,
        amount: row.get("amount_cents")?,
        since: row.get("since")?,
        detail: detail.map(|Json(d)| d),
    })
}
