//! The `score` and `decision` tables, and the counts of a partner's engagements that selection
//! weighs (docs/rules.md, rules 4 and 5: a mix of newer and experienced partners, and a fair
//! share of opportunities).

use super::sql::{Reader, Row, Touch, Tx};
use crate::domain::Stamp;
use crate::domain::selection::{Decision, Outcome, Step};
use crate::error::Result;
use chrono::NaiveDate;
use std::collections::{BTreeMap, HashMap};

/// Every score given on a request: partner id → criterion → 0..3.
pub fn scores(conn: &Reader, request_id: i64) -> Result<HashMap<i64, BTreeMap<String, u8>>> {
    let mut out: HashMap<i64, BTreeMap<String, u8>> = HashMap::new();
    conn.each("SELECT partner_id, criterion, score FROM score WHERE request_id = ?1", &[&request_id], |row| {
        out.entry(row.get("partner_id")?).or_default().insert(row.get("criterion")?, row.get("score")?);
        Ok(())
    })?;
    Ok(out)
}

/// Records a score, replacing an earlier one on the same criterion.
pub fn set_score(
    tx: &Tx<'_>,
    stamp: &Stamp,
    request_id: i64,
    partner_id: i64,
    criterion: &str,
    score: u8,
) -> Result<()> {
    tx.execute(
        "INSERT INTO score (request_id, partner_id, criterion, score, scored_by, scored_at) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6) \
         ON CONFLICT (request_id, partner_id, criterion) DO UPDATE SET score = excluded.score, \
         scored_by = excluded.scored_by, scored_at = excluded.scored_at",
        &[&request_id, &partner_id, &criterion, &score, &stamp.by, &stamp.at],
    )?;
    tx.touched(Touch::Request(request_id));
    Ok(())
}

/// The criteria of a request that have been scored at least once, in the order of their bytes.
///
/// Sorted here, not by ORDER BY: a server orders text by its database's collation (in English,
/// `équité` before `fluency` and `lived_experience` before `lived-experience`), a file by code
/// point, and the refusal that names them says them the same on both.
pub fn scored_criteria(conn: &Reader, request_id: i64) -> Result<Vec<String>> {
    let mut names: Vec<String> =
        conn.query_map("SELECT DISTINCT criterion FROM score WHERE request_id = ?1", &[&request_id], |row| {
            row.get("criterion")
        })?;
    names.sort_unstable();
    Ok(names)
}

/// A partner's engagements on requests other than the one being decided.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Engagements {
    /// Selected on a request that has closed.
    pub completed: u32,
    /// Selected on a request decided on or after the day given, unless it was cancelled.
    pub recent: u32,
    /// Selected on a request under way now.
    pub active: u32,
}

pub fn engagements(conn: &Reader, partner_id: i64, other_than: i64, since: NaiveDate) -> Result<Engagements> {
    let (completed, recent, active): (i64, i64, i64) = conn.query_row(
        "SELECT count(*) FILTER (WHERE r.status = 'closed') AS completed, \
         count(*) FILTER (WHERE d.decided_on >= ?3 AND r.status != 'cancelled') AS recent, \
         count(*) FILTER (WHERE r.status = 'active') AS active \
         FROM decision d JOIN request r ON r.id = d.request_id \
         WHERE d.partner_id = ?1 AND d.outcome = 'selected' AND d.request_id != ?2",
        &[&partner_id, &other_than, &since],
        |row| Ok((row.get("completed")?, row.get("recent")?, row.get("active")?)),
    )?;
    let n = |v: i64| u32::try_from(v).unwrap_or(u32::MAX);
    Ok(Engagements { completed: n(completed), recent: n(recent), active: n(active) })
}

const DECISION_COLUMNS: &str =
    "request_id, partner_id, outcome, reason, decided_on, notified_on, welcomed_on, oriented_on, introduced_on";

fn decision_from_row(row: &Row<'_>) -> Result<Decision> {
    Ok(Decision {
        request_id: row.get("request_id")?,
        partner_id: row.get("partner_id")?,
        outcome: row.get("outcome")?,
        reason: row.get("reason")?,
        decided_on: row.get("decided_on")?,
        notified_on: row.get("notified_on")?,
        welcomed_on: row.get("welcomed_on")?,
        oriented_on: row.get("oriented_on")?,
        introduced_on: row.get("introduced_on")?,
    })
}

/// The decisions of a request, by partner id.
pub fn decisions(conn: &Reader, request_id: i64) -> Result<Vec<Decision>> {
    conn.query_map(
        &format!("SELECT {DECISION_COLUMNS} FROM decision WHERE request_id = ?1 ORDER BY partner_id"),
        &[&request_id],
        decision_from_row,
    )
}

pub fn find_decision(conn: &Reader, request_id: i64, partner_id: i64) -> Result<Option<Decision>> {
    conn.query_opt(
        &format!("SELECT {DECISION_COLUMNS} FROM decision WHERE request_id = ?1 AND partner_id = ?2"),
        &[&request_id, &partner_id],
        decision_from_row,
    )
}

/// Records a candidate's outcome. Deciding again keeps what still holds: an unchanged outcome
/// keeps its date, its notification and (unless a new one is given) its reason; a changed outcome
/// is dated `on` and must be told again; onboarding steps stay only with a partner still selected
/// (or who withdrew, as their history). The partner has an account on the request (`engaged`)
/// while selected or withdrew, and keeps it whatever a later decision says once hours, expenses
/// or money were logged for them: money paid never leaves a report.
pub fn decide(
    tx: &Tx<'_>,
    request_id: i64,
    partner_id: i64,
    outcome: Outcome,
    reason: Option<&str>,
    on: NaiveDate,
) -> Result<()> {
    tx.execute(
        "INSERT INTO decision (request_id, partner_id, outcome, reason, decided_on, engaged) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6) \
         ON CONFLICT (request_id, partner_id) DO UPDATE SET \
           outcome = excluded.outcome, \
           reason = CASE WHEN excluded.reason IS NOT NULL THEN excluded.reason \
                         WHEN decision.outcome = excluded.outcome THEN decision.reason END, \
           decided_on = CASE WHEN decision.outcome = excluded.outcome THEN decision.decided_on \
                             ELSE excluded.decided_on END, \
           notified_on = CASE WHEN decision.outcome = excluded.outcome THEN decision.notified_on END, \
           welcomed_on = CASE WHEN excluded.engaged = 1 THEN decision.welcomed_on END, \
           oriented_on = CASE WHEN excluded.engaged = 1 THEN decision.oriented_on END, \
           introduced_on = CASE WHEN excluded.engaged = 1 THEN decision.introduced_on END, \
           engaged = CASE WHEN excluded.engaged = 1 THEN 1 \
             WHEN decision.engaged = 1 AND (\
               EXISTS (SELECT 1 FROM checkin c WHERE c.request_id = decision.request_id \
                       AND c.partner_id = decision.partner_id AND (c.hours > 0 OR c.expenses_cents > 0)) \
               OR EXISTS (SELECT 1 FROM compensation k WHERE k.request_id = decision.request_id \
                          AND k.partner_id = decision.partner_id AND k.paid_on IS NOT NULL) \
               OR EXISTS (SELECT 1 FROM reimbursement m WHERE m.request_id = decision.request_id \
                          AND m.partner_id = decision.partner_id)) THEN 1 \
             ELSE 0 END",
        &[&request_id, &partner_id, &outcome, &reason, &on, &outcome.took_part()],
    )?;
    tx.touched(Touch::Request(request_id));
    Ok(())
}

/// Marks every decision of the request not yet told as told on `on`; returns who, by partner id.
pub fn notify(tx: &Tx<'_>, request_id: i64, on: NaiveDate) -> Result<Vec<(i64, Outcome)>> {
    let mut told = tx.query_map(
        "UPDATE decision SET notified_on = ?2 WHERE request_id = ?1 AND notified_on IS NULL \
         RETURNING partner_id, outcome",
        &[&request_id, &on],
        |row| Ok((row.get("partner_id")?, row.get("outcome")?)),
    )?;
    tx.touched(Touch::Request(request_id));
    told.sort_unstable();
    Ok(told)
}

pub fn set_step(tx: &Tx<'_>, request_id: i64, partner_id: i64, step: Step, on: NaiveDate) -> Result<()> {
    let sql = match step {
        Step::Welcomed => "UPDATE decision SET welcomed_on = ?3 WHERE request_id = ?1 AND partner_id = ?2",
        Step::Oriented => "UPDATE decision SET oriented_on = ?3 WHERE request_id = ?1 AND partner_id = ?2",
        Step::Introduced => "UPDATE decision SET introduced_on = ?3 WHERE request_id = ?1 AND partner_id = ?2",
    };
    tx.execute(sql, &[&request_id, &partner_id, &on])?;
    tx.touched(Touch::Request(request_id));
    Ok(())
}

/// The partner signed the Patient Partner Commitments (valid across engagements).
pub fn set_commitments_signed(tx: &Tx<'_>, partner_id: i64, on: NaiveDate) -> Result<()> {
    tx.execute("UPDATE partner SET commitments_signed_on = ?2 WHERE id = ?1", &[&partner_id, &on])?;
    tx.touched(Touch::Partner(partner_id));
    Ok(())
}

/// The partner's criminal record check was done.
pub fn set_record_check(tx: &Tx<'_>, partner_id: i64, on: NaiveDate) -> Result<()> {
    tx.execute("UPDATE partner SET record_check_on = ?2 WHERE id = ?1", &[&partner_id, &on])?;
    tx.touched(Touch::Partner(partner_id));
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db::Db;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    /// A fresh database with request 1 (criterion `experience`), partner 1 interested.
    fn fresh() -> (tempfile::TempDir, Db) {
        let dir = tempfile::tempdir().unwrap();
        let mut db = Db::open(&dir.path().join("t.db")).unwrap();
        db.write(|tx| {
            tx.sqlite().unwrap().execute_batch(
                "INSERT INTO request (id, title, organization, contact_name, contact_email, way, respond_by, \
                 select_by, seats, pay_basis, pay_cents, checkin_every_days, status, created_on) VALUES \
                 (1, 'T', 'O', 'N', 'n@example.org', 'consult', '2026-12-01', '2026-12-08', 2, 'way', 2500, 30, \
                 'selecting', '2026-11-01'); \
                 INSERT INTO criterion VALUES (1, 0, 'experience', 1, 1); \
                 INSERT INTO partner (id, first_name) VALUES (1, 'Ana'); \
                 INSERT INTO invitation (request_id, partner_id, response) VALUES (1, 1, 'interested');",
            )?;
            Ok(())
        })
        .unwrap();
        (dir, db)
    }

    #[test]
    fn deciding_again_keeps_what_still_holds() {
        let (_dir, mut db) = fresh();
        db.write(|c| {
            decide(c, 1, 1, Outcome::Selected, Some("first"), d("2026-11-20")).unwrap();
            assert_eq!(notify(c, 1, d("2026-11-21")).unwrap(), vec![(1, Outcome::Selected)]);
            assert!(notify(c, 1, d("2026-11-22")).unwrap().is_empty());
            set_step(c, 1, 1, Step::Welcomed, d("2026-11-22")).unwrap();

            decide(c, 1, 1, Outcome::Selected, None, d("2026-11-25")).unwrap();
            let same = find_decision(c, 1, 1).unwrap().unwrap();
            assert_eq!(
                (same.reason.as_deref(), same.decided_on, same.notified_on, same.welcomed_on),
                (Some("first"), d("2026-11-20"), Some(d("2026-11-21")), Some(d("2026-11-22")))
            );

            decide(c, 1, 1, Outcome::Waitlisted, None, d("2026-11-25")).unwrap();
            let changed = find_decision(c, 1, 1).unwrap().unwrap();
            assert_eq!(
                (changed.outcome, changed.reason, changed.decided_on, changed.notified_on, changed.welcomed_on),
                (Outcome::Waitlisted, None, d("2026-11-25"), None, None)
            );
            Ok(())
        })
        .unwrap();
    }

    #[test]
    fn engagements_leave_out_the_request_being_decided() {
        let (_dir, mut db) = fresh();
        db.write(|c| {
        c.sqlite().unwrap().execute_batch(
            "INSERT INTO request (id, title, organization, contact_name, contact_email, way, respond_by, select_by, \
             seats, pay_basis, pay_cents, checkin_every_days, status, created_on) VALUES \
             (2, 'Old', 'O', 'N', 'n@example.org', 'consult', '2025-01-01', '2025-01-08', 2, 'way', 0, 30, 'closed', '2024-12-01'), \
             (3, 'Now', 'O', 'N', 'n@example.org', 'consult', '2026-06-01', '2026-06-08', 2, 'way', 0, 30, 'active', '2026-05-01'), \
             (4, 'Off', 'O', 'N', 'n@example.org', 'consult', '2026-06-01', '2026-06-08', 2, 'way', 0, 30, 'cancelled', '2026-05-01'); \
             INSERT INTO invitation (request_id, partner_id, response) VALUES (2, 1, 'interested'), (3, 1, 'interested'), (4, 1, 'interested');",
        )
        .unwrap();
        decide(c, 1, 1, Outcome::Selected, None, d("2026-11-20")).unwrap();
        decide(c, 2, 1, Outcome::Selected, None, d("2025-01-08")).unwrap();
        decide(c, 3, 1, Outcome::Selected, None, d("2026-06-08")).unwrap();
        decide(c, 4, 1, Outcome::Selected, None, d("2026-06-08")).unwrap();
        assert_eq!(engagements(c, 1, 1, d("2025-11-23")).unwrap(), Engagements { completed: 1, recent: 1, active: 1 });
        decide(c, 3, 1, Outcome::NotSelected, None, d("2026-06-09")).unwrap();
        assert_eq!(engagements(c, 1, 1, d("2025-11-23")).unwrap(), Engagements { completed: 1, recent: 0, active: 0 });
        Ok(())
        })
        .unwrap();
    }

    #[test]
    fn scores_are_replaced_and_listed() {
        let (_dir, mut db) = fresh();
        let stamp = Stamp { by: "me".into(), at: "2026-11-23T00:00:00".into(), today: d("2026-11-23") };
        db.write(|c| {
            set_score(c, &stamp, 1, 1, "experience", 2).unwrap();
            set_score(c, &stamp, 1, 1, "experience", 3).unwrap();
            assert_eq!(scores(c, 1).unwrap()[&1]["experience"], 3);
            assert_eq!(scored_criteria(c, 1).unwrap(), vec!["experience".to_string()]);
            // A score names a criterion of the request.
            assert!(set_score(c, &stamp, 1, 1, "speaking", 2).is_err());
            Ok(())
        })
        .unwrap();
    }
}
