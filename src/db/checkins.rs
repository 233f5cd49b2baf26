//! The `checkin` table: check-ins, their concerns, hours and expenses.

use super::opt_date;
use crate::domain::checkin::{Checkin, CheckinStatus, Concern, Party, With};
use crate::domain::dates::{from_sql, iso};
use crate::domain::money::{Hours, Money};
use crate::error::{Error, Result};
use chrono::NaiveDate;
use rusqlite::{Connection, OptionalExtension, Row, params};

pub const COLUMNS: &str = "id, request_id, party, partner_id, held_on, status, concern, resolved_on, resolution, hours, \
     expenses_cents, expense_note, note, next_due";

fn damaged(why: String) -> Error {
    Error::Failed(format!("the database holds a damaged check-in: {why}"))
}

pub fn from_row(row: &Row<'_>) -> Result<Checkin> {
    let party: String = row.get("party")?;
    let party = party.parse::<Party>().map_err(damaged)?;
    let partner_id: Option<i64> = row.get("partner_id")?;
    let with = With::from_parts(party, partner_id)
        .ok_or_else(|| damaged(format!("party {party} with partner {partner_id:?}")))?;
    let status: String = row.get("status")?;
    let concern: Option<String> = row.get("concern")?;
    let held_on: String = row.get("held_on")?;
    Ok(Checkin {
        id: row.get("id")?,
        request_id: row.get("request_id")?,
        with,
        held_on: from_sql(&held_on).map_err(Error::Failed)?,
        status: status.parse::<CheckinStatus>().map_err(damaged)?,
        concern: concern.map(|c| c.parse::<Concern>()).transpose().map_err(damaged)?,
        resolved_on: opt_date(row.get("resolved_on")?)?,
        resolution: row.get("resolution")?,
        hours: Hours(row.get("hours")?),
        expenses: Money(row.get("expenses_cents")?),
        expense_note: row.get("expense_note")?,
        note: row.get("note")?,
        next_due: opt_date(row.get("next_due")?)?,
    })
}

fn collect(conn: &Connection, sql: &str, params: impl rusqlite::Params) -> Result<Vec<Checkin>> {
    let mut stmt = conn.prepare_cached(sql)?;
    let mut rows = stmt.query(params)?;
    let mut out = Vec::new();
    while let Some(row) = rows.next()? {
        out.push(from_row(row)?);
    }
    Ok(out)
}

/// Records a check-in (its `id` is ignored); returns the new id.
pub fn insert(conn: &Connection, c: &Checkin) -> Result<i64> {
    conn.prepare_cached(
        "INSERT INTO checkin (request_id, party, partner_id, held_on, status, concern, resolved_on, resolution, \
         hours, expenses_cents, expense_note, note, next_due) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
    )?
    .execute(params![
        c.request_id,
        c.with.party().as_str(),
        c.with.partner_id(),
        iso(c.held_on),
        c.status.as_str(),
        c.concern.map(Concern::as_str),
        c.resolved_on.map(iso),
        c.resolution,
        c.hours.hundredths(),
        c.expenses.cents(),
        c.expense_note,
        c.note,
        c.next_due.map(iso),
    ])?;
    Ok(conn.last_insert_rowid())
}

pub fn find(conn: &Connection, id: i64) -> Result<Option<Checkin>> {
    let mut stmt = conn.prepare_cached(&format!("SELECT {COLUMNS} FROM checkin WHERE id = ?1"))?;
    let found = stmt.query_row([id], |row| Ok(from_row(row))).optional()?;
    found.transpose()
}

/// The check-in, or the sentence saying there is none.
pub fn get(conn: &Connection, id: i64) -> Result<Checkin> {
    find(conn, id)?
        .ok_or_else(|| Error::NotFound(format!("there is no check-in {id}; `engage checkin list` shows the check-ins")))
}

/// Check-ins of one request, or of every request, oldest first.
pub fn list(conn: &Connection, request_id: Option<i64>) -> Result<Vec<Checkin>> {
    match request_id {
        Some(id) => {
            collect(conn, &format!("SELECT {COLUMNS} FROM checkin WHERE request_id = ?1 ORDER BY held_on, id"), [id])
        }
        None => collect(conn, &format!("SELECT {COLUMNS} FROM checkin ORDER BY request_id, held_on, id"), []),
    }
}

/// Marks the concern raised at a check-in as resolved.
pub fn resolve(conn: &Connection, id: i64, on: NaiveDate, resolution: Option<&str>) -> Result<()> {
    conn.execute(
        "UPDATE checkin SET resolved_on = ?2, resolution = ?3 WHERE id = ?1",
        params![id, iso(on), resolution],
    )?;
    Ok(())
}

/// What `checkin due` needs of a request under way.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Underway {
    pub id: i64,
    pub title: String,
    pub contact_name: String,
    pub starts_on: Option<NaiveDate>,
    pub ends_on: Option<NaiveDate>,
    pub created_on: NaiveDate,
    pub checkin_every_days: u32,
}

/// The active requests, on which check-ins fall due, by id.
pub fn underway(conn: &Connection) -> Result<Vec<Underway>> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, title, contact_name, starts_on, ends_on, created_on, checkin_every_days FROM request \
         WHERE status = 'active' ORDER BY id",
    )?;
    let mut rows = stmt.query([])?;
    let mut out = Vec::new();
    while let Some(row) = rows.next()? {
        let created_on: String = row.get(5)?;
        let every: i64 = row.get(6)?;
        out.push(Underway {
            id: row.get(0)?,
            title: row.get(1)?,
            contact_name: row.get(2)?,
            starts_on: opt_date(row.get(3)?)?,
            ends_on: opt_date(row.get(4)?)?,
            created_on: from_sql(&created_on).map_err(Error::Failed)?,
            checkin_every_days: u32::try_from(every).unwrap_or(1).max(1),
        });
    }
    Ok(out)
}

/// The latest check-in with each person (partner, requester, team) on each active request.
pub fn latest_on_active_requests(conn: &Connection) -> Result<Vec<Checkin>> {
    collect(
        conn,
        &format!(
            "SELECT {COLUMNS} FROM (SELECT c.*, row_number() OVER (PARTITION BY c.request_id, c.party, c.partner_id \
             ORDER BY c.held_on DESC, c.id DESC) AS latest FROM checkin c JOIN request r ON r.id = c.request_id \
             WHERE r.status = 'active') WHERE latest = 1 ORDER BY request_id, id"
        ),
        [],
    )
}

/// Check-ins whose concern is not resolved, on any request, oldest first.
pub fn open_concerns(conn: &Connection) -> Result<Vec<Checkin>> {
    collect(
        conn,
        &format!("SELECT {COLUMNS} FROM checkin WHERE status != 'good' AND resolved_on IS NULL ORDER BY held_on, id"),
        [],
    )
}

/// A partner's hours and expenses logged across their check-ins on a request.
pub fn logged(conn: &Connection, request_id: i64, partner_id: i64) -> Result<(Hours, Money)> {
    let (hours, cents) = conn
        .prepare_cached(
            "SELECT coalesce(sum(hours), 0), coalesce(sum(expenses_cents), 0) FROM checkin \
             WHERE request_id = ?1 AND partner_id = ?2",
        )?
        .query_row(params![request_id, partner_id], |row| Ok((row.get(0)?, row.get(1)?)))?;
    Ok((Hours(hours), Money(cents)))
}

/// The last days a partner's hours and expenses were logged on a request: what a payment and a
/// reimbursement follow.
pub fn last_logged(
    conn: &Connection,
    request_id: i64,
    partner_id: i64,
) -> Result<(Option<NaiveDate>, Option<NaiveDate>)> {
    let (worked, spent): (Option<String>, Option<String>) = conn
        .prepare_cached(
            "SELECT max(held_on) FILTER (WHERE hours > 0), max(held_on) FILTER (WHERE expenses_cents > 0) \
             FROM checkin WHERE request_id = ?1 AND partner_id = ?2",
        )?
        .query_row(params![request_id, partner_id], |row| Ok((row.get(0)?, row.get(1)?)))?;
    Ok((opt_date(worked)?, opt_date(spent)?))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db::Db;

    fn d(s: &str) -> NaiveDate {
        from_sql(s).unwrap()
    }

    fn checkin(request_id: i64, with: With, held_on: &str) -> Checkin {
        Checkin {
            id: 0,
            request_id,
            with,
            held_on: d(held_on),
            status: CheckinStatus::Good,
            concern: None,
            resolved_on: None,
            resolution: None,
            hours: Hours(100),
            expenses: Money(250),
            expense_note: None,
            note: None,
            next_due: None,
        }
    }

    /// Requests 1 (active) and 2 (recruiting), partners 1 and 2 selected for request 1.
    fn network() -> (tempfile::TempDir, Db) {
        let dir = tempfile::tempdir().unwrap();
        let db = Db::open(&dir.path().join("engage.db")).unwrap();
        db.conn()
            .execute_batch(
                "INSERT INTO request (title, organization, contact_name, contact_email, way, respond_by, select_by, \
                 seats, pay_basis, pay_cents, checkin_every_days, created_on, status) VALUES \
                 ('A', 'O', 'N', 'n@example.org', 'involve', '2026-10-01', '2026-10-08', 2, 'way', 4000, 30, '2026-09-01', 'active'), \
                 ('B', 'O', 'N', 'n@example.org', 'involve', '2026-10-01', '2026-10-08', 2, 'way', 4000, 30, '2026-09-01', 'recruiting'); \
                 INSERT INTO partner (first_name) VALUES ('Ana'), ('Bo');",
            )
            .unwrap();
        (dir, db)
    }

    #[test]
    fn the_latest_check_in_is_the_last_held_not_the_last_typed() {
        let (_dir, db) = network();
        let conn = db.conn();
        let late = insert(conn, &checkin(1, With::Partner(1), "2026-11-10")).unwrap();
        insert(conn, &checkin(1, With::Partner(1), "2026-10-10")).unwrap(); // back-filled afterwards
        let requester = insert(conn, &checkin(1, With::Requester, "2026-11-01")).unwrap();
        let bo = insert(conn, &checkin(1, With::Partner(2), "2026-11-02")).unwrap();
        insert(conn, &checkin(2, With::Requester, "2026-11-03")).unwrap(); // not active
        let latest: Vec<i64> = latest_on_active_requests(conn).unwrap().iter().map(|c| c.id).collect();
        assert_eq!(latest, vec![late, requester, bo]);
    }

    #[test]
    fn hours_and_expenses_sum_per_partner_and_concerns_stay_open_until_resolved() {
        let (_dir, db) = network();
        let conn = db.conn();
        insert(conn, &checkin(1, With::Partner(1), "2026-10-10")).unwrap();
        let mut worried = checkin(1, With::Partner(1), "2026-11-10");
        worried.status = CheckinStatus::Concerns;
        worried.concern = Some(Concern::Barrier);
        worried.hours = Hours(275);
        let concern = insert(conn, &worried).unwrap();
        insert(conn, &checkin(1, With::Partner(2), "2026-11-10")).unwrap();
        assert_eq!(logged(conn, 1, 1).unwrap(), (Hours(375), Money(500)));
        assert_eq!(logged(conn, 1, 2).unwrap(), (Hours(100), Money(250)));
        assert_eq!(logged(conn, 2, 1).unwrap(), (Hours(0), Money(0)));
        assert_eq!(open_concerns(conn).unwrap().iter().map(|c| c.id).collect::<Vec<_>>(), vec![concern]);
        resolve(conn, concern, d("2026-11-12"), Some("ramp installed")).unwrap();
        assert!(open_concerns(conn).unwrap().is_empty());
        let resolved = get(conn, concern).unwrap();
        assert_eq!(
            (resolved.resolved_on, resolved.resolution.as_deref()),
            (Some(d("2026-11-12")), Some("ramp installed"))
        );
        assert_eq!(
            get(conn, 99).unwrap_err().to_string(),
            "there is no check-in 99; `engage checkin list` shows the check-ins"
        );
    }
}
