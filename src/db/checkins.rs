//! The `checkin` table: check-ins, their concerns, hours and expenses.

use super::derived::Scope;
use super::sql::{Json, Reader, Row, Touch, Tx, ValueRef, damaged};
use crate::domain::checkin::{Checkin, Party, With};
use crate::domain::money::{Hours, Money};
use crate::domain::shape::{Outline, Shape};
use crate::error::{Error, Result};
use chrono::NaiveDate;
use std::collections::HashMap;

pub const COLUMNS: &str = "id, request_id, party, partner_id, held_on, status, concern, resolved_on, resolution, hours, \
     expenses_cents, expense_note, note, next_due";

pub fn from_row(row: &Row<'_>) -> Result<Checkin> {
    let party: Party = row.get("party")?;
    let partner_id: Option<i64> = row.get("partner_id")?;
    let with = With::from_parts(party, partner_id).ok_or_else(|| {
        let held = partner_id.map_or(ValueRef::Null, ValueRef::Integer);
        damaged("partner_id", held, &format!("the partner of a check-in with the {party} (or none)"))
    })?;
    Ok(Checkin {
        id: row.get("id")?,
        request_id: row.get("request_id")?,
        with,
        held_on: row.get("held_on")?,
        status: row.get("status")?,
        concern: row.get("concern")?,
        resolved_on: row.get("resolved_on")?,
        resolution: row.get("resolution")?,
        hours: row.get("hours")?,
        expenses: row.get("expenses_cents")?,
        expense_note: row.get("expense_note")?,
        note: row.get("note")?,
        next_due: row.get("next_due")?,
    })
}

/// Records a check-in (its `id` is ignored); returns the new id.
pub fn insert(tx: &Tx<'_>, c: &Checkin) -> Result<i64> {
    let id = tx.query_row(
        "INSERT INTO checkin (request_id, party, partner_id, held_on, status, concern, resolved_on, resolution, \
         hours, expenses_cents, expense_note, note, next_due) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13) RETURNING id",
        &[
            &c.request_id,
            &c.with.party(),
            &c.with.partner_id(),
            &c.held_on,
            &c.status,
            &c.concern,
            &c.resolved_on,
            &c.resolution,
            &c.hours,
            &c.expenses,
            &c.expense_note,
            &c.note,
            &c.next_due,
        ],
        |row| row.get("id"),
    )?;
    tx.touched(Touch::Request(c.request_id));
    Ok(id)
}

pub fn find(conn: &Reader, id: i64) -> Result<Option<Checkin>> {
    conn.query_opt(&format!("SELECT {COLUMNS} FROM checkin WHERE id = ?1"), &[&id], from_row)
}

/// The check-in, or the sentence saying there is none.
pub fn get(conn: &Reader, id: i64) -> Result<Checkin> {
    find(conn, id)?
        .ok_or_else(|| Error::NotFound(format!("there is no check-in {id}; `engage checkin list` shows the check-ins")))
}

/// Check-ins of one request, or of every request, oldest first.
pub fn list(conn: &Reader, request_id: Option<i64>) -> Result<Vec<Checkin>> {
    match request_id {
        Some(id) => conn.query_map(
            &format!("SELECT {COLUMNS} FROM checkin WHERE request_id = ?1 ORDER BY held_on, id"),
            &[&id],
            from_row,
        ),
        None => {
            conn.query_map(&format!("SELECT {COLUMNS} FROM checkin ORDER BY request_id, held_on, id"), &[], from_row)
        }
    }
}

/// Marks the concern raised at a check-in as resolved.
pub fn resolve(tx: &Tx<'_>, id: i64, on: NaiveDate, resolution: Option<&str>) -> Result<()> {
    let request: Option<i64> = tx.query_opt(
        "UPDATE checkin SET resolved_on = ?2, resolution = ?3 WHERE id = ?1 RETURNING request_id",
        &[&id, &on, &resolution],
        |row| row.get("request_id"),
    )?;
    if let Some(request) = request {
        tx.touched(Touch::Request(request));
    }
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
    /// Its shape (src/domain/shape.rs): a one-off or a notice has no check-ins due.
    pub shape: Shape,
}

/// The active requests, on which check-ins fall due, by id.
pub fn underway(conn: &Reader) -> Result<Vec<Underway>> {
    conn.query_map(
        "SELECT id, title, contact_name, starts_on, ends_on, created_on, checkin_every_days, checkin_every_given, \
         way, hours_estimate FROM request WHERE status = 'active' ORDER BY id",
        &[],
        |row| {
            let outline = Outline {
                way: row.get("way")?,
                starts_on: row.get("starts_on")?,
                ends_on: row.get("ends_on")?,
                hours_estimate: row.get("hours_estimate")?,
                checkin_every_days: row.get::<u32>("checkin_every_days")?.max(1),
                checkin_every_given: row.get("checkin_every_given")?,
            };
            Ok(Underway {
                shape: Shape::of(&outline),
                id: row.get("id")?,
                title: row.get("title")?,
                contact_name: row.get("contact_name")?,
                starts_on: row.get("starts_on")?,
                ends_on: row.get("ends_on")?,
                created_on: row.get("created_on")?,
                checkin_every_days: row.get::<u32>("checkin_every_days")?.max(1),
            })
        },
    )
}

/// The latest check-in with each person (partner, requester, team) on each active request.
pub fn latest_on_active_requests(conn: &Reader) -> Result<Vec<Checkin>> {
    latest_on_active(conn, Scope::All)
}

/// The latest check-in with each person on each active request in scope, by request and id: the
/// last held, not the last typed (a check-in may be back-filled).
pub fn latest_on_active(conn: &Reader, scope: Scope<'_>) -> Result<Vec<Checkin>> {
    let (condition, ids) = scope.limit(conn.dialect(), "r.id", 1);
    // The latest is decided on four columns of each check-in, and only the latest are read
    // whole: SQLite's `row_number() OVER (PARTITION BY ...)` sorted the whole rows (0.1 s for the
    // 21,302 check-ins on a million partners' 3,686 active requests, where these take 0.01 s).
    let mut latest: HashMap<(i64, String, Option<i64>), (NaiveDate, i64)> = HashMap::new();
    conn.each(
        &format!(
            "SELECT c.id, c.request_id, c.party, c.partner_id, c.held_on FROM checkin c \
             JOIN request r ON r.id = c.request_id WHERE r.status = 'active' AND {condition}"
        ),
        &ids.as_params(),
        |row| {
            let with = (row.get("request_id")?, row.get::<String>("party")?, row.get::<Option<i64>>("partner_id")?);
            let held = (row.get::<NaiveDate>("held_on")?, row.get::<i64>("id")?);
            let last = latest.entry(with).or_insert(held);
            if *last < held {
                *last = held;
            }
            Ok(())
        },
    )?;
    let mut wanted: Vec<i64> = latest.into_values().map(|(_, id)| id).collect();
    wanted.sort_unstable();
    conn.query_map(
        &format!("SELECT {COLUMNS} FROM checkin WHERE {} ORDER BY request_id, id", conn.dialect().in_ids("id", 1)),
        &[&Json(&wanted[..])],
        from_row,
    )
}

/// Check-ins whose concern is not resolved, on any request, oldest first.
pub fn open_concerns(conn: &Reader) -> Result<Vec<Checkin>> {
    conn.query_map(
        &format!("SELECT {COLUMNS} FROM checkin WHERE status != 'good' AND resolved_on IS NULL ORDER BY held_on, id"),
        &[],
        from_row,
    )
}

/// A partner's hours and expenses logged across their check-ins on a request.
pub fn logged(conn: &Reader, request_id: i64, partner_id: i64) -> Result<(Hours, Money)> {
    conn.query_row(
        "SELECT CAST(coalesce(sum(hours), 0) AS BIGINT) AS hours, \
         CAST(coalesce(sum(expenses_cents), 0) AS BIGINT) AS expenses_cents \
         FROM checkin WHERE request_id = ?1 AND partner_id = ?2",
        &[&request_id, &partner_id],
        |row| Ok((row.get("hours")?, row.get("expenses_cents")?)),
    )
}

/// The last days a partner's hours and expenses were logged on a request: what a payment and a
/// reimbursement follow.
pub fn last_logged(conn: &Reader, request_id: i64, partner_id: i64) -> Result<(Option<NaiveDate>, Option<NaiveDate>)> {
    conn.query_row(
        "SELECT max(held_on) FILTER (WHERE hours > 0) AS worked, max(held_on) FILTER (WHERE expenses_cents > 0) AS spent \
         FROM checkin WHERE request_id = ?1 AND partner_id = ?2",
        &[&request_id, &partner_id],
        |row| Ok((row.get("worked")?, row.get("spent")?)),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db::Db;
    use crate::domain::checkin::{CheckinStatus, Concern};
    use crate::domain::dates::parse_iso_date;

    fn d(s: &str) -> NaiveDate {
        parse_iso_date(s).unwrap()
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
        let mut db = Db::open(&dir.path().join("engage.db")).unwrap();
        db.write(|tx| {
            tx.sqlite().unwrap().execute_batch(
                "INSERT INTO request (title, organization, contact_name, contact_email, way, respond_by, select_by, \
                 seats, pay_basis, pay_cents, checkin_every_days, created_on, status) VALUES \
                 ('A', 'O', 'N', 'n@example.org', 'involve', '2026-10-01', '2026-10-08', 2, 'way', 4000, 30, '2026-09-01', 'active'), \
                 ('B', 'O', 'N', 'n@example.org', 'involve', '2026-10-01', '2026-10-08', 2, 'way', 4000, 30, '2026-09-01', 'recruiting'); \
                 INSERT INTO partner (first_name) VALUES ('Ana'), ('Bo');",
            )?;
            Ok(())
        })
        .unwrap();
        (dir, db)
    }

    #[test]
    fn the_latest_check_in_is_the_last_held_not_the_last_typed() {
        let (_dir, mut db) = network();
        let mut add = |c: Checkin| db.write(|tx| insert(tx, &c)).unwrap();
        let late = add(checkin(1, With::Partner(1), "2026-11-10"));
        add(checkin(1, With::Partner(1), "2026-10-10")); // back-filled afterwards
        let requester = add(checkin(1, With::Requester, "2026-11-01"));
        let bo = add(checkin(1, With::Partner(2), "2026-11-02"));
        add(checkin(2, With::Requester, "2026-11-03")); // not active
        let conn = db.conn();
        let latest: Vec<i64> = latest_on_active_requests(conn).unwrap().iter().map(|c| c.id).collect();
        assert_eq!(latest, vec![late, requester, bo]);
    }

    #[test]
    fn hours_and_expenses_sum_per_partner_and_concerns_stay_open_until_resolved() {
        let (_dir, mut db) = network();
        let mut add = |c: Checkin| db.write(|tx| insert(tx, &c)).unwrap();
        add(checkin(1, With::Partner(1), "2026-10-10"));
        let mut worried = checkin(1, With::Partner(1), "2026-11-10");
        worried.status = CheckinStatus::Concerns;
        worried.concern = Some(Concern::Barrier);
        worried.hours = Hours(275);
        let concern = add(worried);
        add(checkin(1, With::Partner(2), "2026-11-10"));
        let conn = db.conn();
        assert_eq!(logged(conn, 1, 1).unwrap(), (Hours(375), Money(500)));
        assert_eq!(logged(conn, 1, 2).unwrap(), (Hours(100), Money(250)));
        assert_eq!(logged(conn, 2, 1).unwrap(), (Hours(0), Money(0)));
        assert_eq!(open_concerns(conn).unwrap().iter().map(|c| c.id).collect::<Vec<_>>(), vec![concern]);
        db.write(|tx| resolve(tx, concern, d("2026-11-12"), Some("ramp installed"))).unwrap();
        let conn = db.conn();
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
