//! The derived tables: `reminder` (what is due on each request), `request_tally` (what each
//! request adds up to), `account_tally` (each partner's account on each request, as its statement
//! adds it up) and `partner_count` (how many partners have each status and joining day), kept
//! current so that the morning reminder and the reports read a few short rows instead of working
//! through every invitation, check-in and partner.
//!
//! How they stay current: every write goes through `Db::write`, and every write query in db/
//! notes on its transaction what it touched ([`Touch`]). Before committing, `Db::write` calls
//! [`refresh`] with that record:
//!
//! - a request touched (it, or its invitations, scores, decisions, check-ins, payments, closing):
//!   the request is worked out again;
//! - a partner touched (their name, status, commitments, record check, benefits): every request
//!   the partner was invited to, answered, was decided on or checked in on is worked out again;
//! - a setting: the rules read settings, so every request is worked out again;
//! - partners counted by status and joining day moved: `partner_count` moves by as much (a new
//!   partner, an edit of status or joining day, a forgetting; the sign-up import notes its new
//!   partners' counts once, at its end).
//!
//! Working a request out again replaces all of its reminders, its tally and its accounts from the
//! tables, so a request is never half refreshed, and the refresh commits or rolls back with the
//! change itself. Reminders keep days (`shown_from`, `due_on`), not how overdue they are: that is
//! counted when they are shown, so they do not go stale as days pass. [`verify`] compares the four
//! tables
//! with a fresh computation row by row, with each row's count (`engage db check` runs it), and
//! [`rebuild`] starts them over.

mod facts;
mod store;

pub use facts::{Derived, compute, settings};
pub use store::{
    account_count, accounts, each_account, each_request_days, each_tally, figures_from_row, item_from_row,
    reminders_of, reminders_shown_by, stored, tallies,
};

use super::closing::DatedAccount;
use super::partners;
use super::sql::{Dialect, Json, Reader, ToSql, Tx};
use crate::domain::reminder::Item;
use crate::domain::report::RequestFigures;
use crate::error::Result;
use std::collections::{BTreeMap, BTreeSet};

/// Which requests a query covers.
#[derive(Debug, Clone, Copy)]
pub enum Scope<'a> {
    All,
    Requests(&'a [i64]),
}

/// The ids a [`Scope`] binds, if it binds any.
pub struct Ids<'a>(pub Option<Json<&'a [i64]>>);

impl Ids<'_> {
    pub fn as_params(&self) -> Vec<&dyn ToSql> {
        match &self.0 {
            Some(ids) => vec![ids],
            None => Vec::new(),
        }
    }
}

impl<'a> Scope<'a> {
    /// The condition limiting `column` to the scope's requests (their ids bound as parameter
    /// `?param`), and what to bind.
    pub fn limit(self, dialect: Dialect, column: &str, param: usize) -> (String, Ids<'a>) {
        match self {
            Scope::All => ("1 = 1".to_string(), Ids(None)),
            Scope::Requests(ids) => (dialect.in_ids(column, param), Ids(Some(Json(ids)))),
        }
    }
}

/// Brings the derived tables up to date with what the transaction noted it touched (see the
/// module's comment); `Db::write` calls it before it commits.
pub fn refresh(tx: &Tx<'_>) -> Result<()> {
    let touched = tx.take_touched();
    partners::index_unindexed(tx, touched.unindexed_run, &touched.unindexed)?;
    let mut counts: Vec<_> = touched.counts.into_iter().filter(|(_, by)| *by != 0).collect();
    counts.sort();
    for ((status, joined_on), by) in counts {
        partners::count(tx, status, joined_on, by)?;
    }
    if touched.settings {
        return work_out_all(tx).map(|_| ());
    }
    let mut requests = touched.requests;
    if !touched.partners.is_empty() {
        requests.extend(requests_of(tx, &touched.partners)?);
    }
    if requests.is_empty() {
        return Ok(());
    }
    let ids: Vec<i64> = requests.into_iter().collect();
    store::replace(tx, &ids, &compute(tx, Scope::Requests(&ids))?)
}

/// Every request these partners were invited to, answered, were decided on or checked in on.
fn requests_of(conn: &Reader, partners: &BTreeSet<i64>) -> Result<BTreeSet<i64>> {
    let ids: Vec<i64> = partners.iter().copied().collect();
    let (condition, _) = Scope::Requests(&ids).limit(conn.dialect(), "partner_id", 1);
    let ids = Json(ids.as_slice());
    let found = conn.query_map(
        &format!(
            "SELECT request_id FROM invitation WHERE {condition} \
             UNION SELECT request_id FROM decision WHERE {condition} \
             UNION SELECT request_id FROM checkin WHERE {condition}"
        ),
        &[&ids],
        |row| row.get::<i64>("request_id"),
    )?;
    Ok(found.into_iter().collect())
}

/// Works every request's reminders and tally out again; returns how many reminders there are.
fn work_out_all(tx: &Tx<'_>) -> Result<usize> {
    let derived = compute(tx, Scope::All)?;
    store::replace_all(tx, &derived)?;
    Ok(derived.reminders.len())
}

/// Starts the derived tables over: every reminder and tally worked out again, every partner
/// counted again. Returns how many reminders there are.
pub fn rebuild(tx: &Tx<'_>) -> Result<usize> {
    let n = work_out_all(tx)?;
    partners::recount_all(tx)?;
    partners::reindex_all(tx)?;
    Ok(n)
}

/// How many times: `once`, `twice`, `3 times`.
fn times(n: usize) -> String {
    match n {
        1 => "once".to_string(),
        2 => "twice".to_string(),
        n => format!("{n} times"),
    }
}

/// Each distinct row and how many times it is there.
fn counted<T: Ord>(rows: impl IntoIterator<Item = T>) -> BTreeMap<T, usize> {
    let mut out = BTreeMap::new();
    for row in rows {
        *out.entry(row).or_insert(0) += 1;
    }
    out
}

/// The differences between the derived tables and what the tables say now, one line each; empty
/// when they are current. Rows are compared with their counts: a row kept twice is found.
pub fn verify(conn: &Reader) -> Result<Vec<String>> {
    let Derived { reminders, tallies: fresh_tallies, accounts: fresh_accounts } = compute(conn, Scope::All)?;
    let fresh = counted(reminders);
    let (kept, mut unreadable) = store::reminders_readable(conn)?;
    let kept = counted(kept);
    let describe = |i: &Item| {
        let mut words = format!("{} on request {}", i.kind, i.request_id);
        if let Some(p) = i.partner_id {
            words.push_str(&format!(", partner {p}"));
        }
        if let Some(c) = i.checkin_id {
            words.push_str(&format!(", check-in {c}"));
        }
        // A check-in due with the requester or the team is told apart by its party alone.
        if let (Some(party), None, None) = (i.party, i.partner_id, i.checkin_id) {
            words.push_str(&format!(", with the {party}"));
        }
        words.push_str(&format!(", due {}", crate::domain::dates::iso(i.due_on)));
        words
    };
    let mut out = Vec::new();
    out.append(&mut unreadable);
    for (item, n) in &kept {
        match fresh.get(item) {
            None => out.push(format!("reminders: kept but no longer due: {}", describe(item))),
            Some(due) if due != n => {
                out.push(format!("reminders: kept {} but due {}: {}", times(*n), times(*due), describe(item)))
            }
            Some(_) => {}
        }
    }
    out.extend(
        fresh
            .keys()
            .filter(|i| !kept.contains_key(*i))
            .map(|i| format!("reminders: due but not kept: {}", describe(i))),
    );
    let fresh_tallies: BTreeMap<RequestFigures, usize> = counted(fresh_tallies);
    let (kept_tallies, mut unreadable) = store::tallies_readable(conn)?;
    out.append(&mut unreadable);
    let kept_tallies: BTreeMap<RequestFigures, usize> = counted(kept_tallies);
    let stale: BTreeSet<i64> = kept_tallies
        .iter()
        .filter(|(r, n)| fresh_tallies.get(*r) != Some(n))
        .chain(fresh_tallies.iter().filter(|(r, n)| kept_tallies.get(*r) != Some(n)))
        .map(|(r, _)| r.id)
        .collect();
    out.extend(stale.into_iter().map(|id| format!("tallies: request {id} does not add up to what is kept")));
    let (kept_accounts, mut unreadable) = store::accounts_readable(conn)?;
    out.append(&mut unreadable);
    out.extend(differing_accounts(kept_accounts, fresh_accounts));
    out.extend(differing_counts(conn)?);
    out.extend(partners::search_index_differs(conn)?);
    Ok(out)
}

/// `account_tally` against a fresh computation, account by account (a request and a partner).
fn differing_accounts(kept: Vec<DatedAccount>, fresh: Vec<DatedAccount>) -> Vec<String> {
    let key = |a: &DatedAccount| (a.request_id, a.account.partner_id);
    let mut fresh: BTreeMap<(i64, i64), DatedAccount> = fresh.into_iter().map(|a| (key(&a), a)).collect();
    let mut kept_times: BTreeMap<(i64, i64), usize> = BTreeMap::new();
    let mut out = BTreeSet::new();
    for a in kept {
        let k = key(&a);
        let n = kept_times.entry(k).or_insert(0);
        *n += 1;
        match fresh.get(&k) {
            None => {
                out.insert((k, "is kept but is no account"));
            }
            Some(f) if *f != a || *n > 1 => {
                out.insert((k, "does not add up to what is kept"));
            }
            Some(_) => {}
        }
    }
    fresh.retain(|k, _| !kept_times.contains_key(k));
    out.extend(fresh.into_keys().map(|k| (k, "is not kept")));
    out.into_iter()
        .map(|((request, partner), what)| {
            format!("accounts: the account of partner {partner} on request {request} {what}")
        })
        .collect()
}

/// `partner_count` against a fresh count, row by row.
fn differing_counts(conn: &Reader) -> Result<Vec<String>> {
    let kept = partners::counted(conn)?;
    let fresh = partners::counted_afresh(conn)?;
    let as_map = |rows: Vec<(String, String, i64)>| -> BTreeMap<(String, String), (i64, usize)> {
        let mut out: BTreeMap<(String, String), (i64, usize)> = BTreeMap::new();
        for (status, joined_on, n) in rows {
            let entry = out.entry((status, joined_on)).or_insert((0, 0));
            entry.0 += n;
            entry.1 += 1;
        }
        out
    };
    let (kept, fresh) = (as_map(kept), as_map(fresh));
    let keys: BTreeSet<&(String, String)> = kept.keys().chain(fresh.keys()).collect();
    let mut out = Vec::new();
    for key in keys {
        let (k, rows) = kept.get(key).copied().unwrap_or((0, 0));
        let (f, _) = fresh.get(key).copied().unwrap_or((0, 0));
        if k != f || rows > 1 {
            let (status, joined_on) = key;
            let joined =
                if joined_on.is_empty() { "on a day not known".to_string() } else { format!("on {joined_on}") };
            let twice = if rows > 1 { format!(" in {rows} rows") } else { String::new() };
            out.push(format!(
                "partner counts: {k} {status} partners who joined {joined} are counted{twice}, and the network has {f}"
            ));
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db::{Db, checkins, partners, settings};
    use crate::domain::checkin::{Checkin, CheckinStatus, Concern, With};
    use crate::domain::dates::parse_iso_date;
    use crate::domain::kinds::PartnerStatus;
    use crate::domain::money::{Hours, Money};
    use crate::domain::reminder::Kind;

    /// Request 1, active, with partner 1 selected; the derived tables worked out.
    fn network() -> (tempfile::TempDir, Db) {
        let dir = tempfile::tempdir().unwrap();
        let mut db = Db::open(&dir.path().join("engage.db")).unwrap();
        db.write(|tx| {
            tx.sqlite().unwrap().execute_batch(
                "INSERT INTO request (title, organization, contact_name, contact_email, way, respond_by, select_by, \
                 seats, pay_basis, pay_cents, checkin_every_days, created_on, status, starts_on, ends_on) VALUES \
                 ('A', 'O', 'N', 'n@example.org', 'involve', '2026-10-01', '2026-10-08', 2, 'way', 4000, 30, \
                 '2026-09-01', 'active', '2026-10-15', '2027-03-31'); \
                 INSERT INTO partner (first_name, joined_on) VALUES ('Ana', '2026-09-02'); \
                 INSERT INTO invitation (request_id, partner_id, response) VALUES (1, 1, 'interested'); \
                 INSERT INTO decision (request_id, partner_id, outcome, decided_on, notified_on, engaged) \
                 VALUES (1, 1, 'selected', '2026-10-08', '2026-10-09', 1);",
            )?;
            rebuild(tx).map(|_| ())
        })
        .unwrap();
        (dir, db)
    }

    fn kinds(db: &Db) -> Vec<(Kind, Option<i64>)> {
        stored(db.conn()).unwrap().into_iter().map(|i| (i.kind, i.partner_id)).collect()
    }

    #[test]
    fn writes_that_log_no_event_still_keep_the_derived_tables_current() {
        let (_dir, mut db) = network();
        assert!(verify(db.conn()).unwrap().is_empty());
        assert!(!kinds(&db).contains(&(Kind::ConcernOpen, Some(1))));
        // Through the write queries alone, without an event: what they touched is what is refreshed.
        let concern = Checkin {
            id: 0,
            request_id: 1,
            with: With::Partner(1),
            held_on: parse_iso_date("2026-11-02").unwrap(),
            status: CheckinStatus::Serious,
            concern: Some(Concern::Wellbeing),
            resolved_on: None,
            resolution: None,
            hours: Hours(300),
            expenses: Money(0),
            expense_note: None,
            note: None,
            next_due: None,
        };
        db.write(|tx| checkins::insert(tx, &concern)).unwrap();
        assert!(kinds(&db).contains(&(Kind::ConcernOpen, Some(1))));
        assert_eq!(tallies(db.conn()).unwrap()[0].tally.money.hours, Hours(300));
        assert!(verify(db.conn()).unwrap().is_empty());
        // A partner's own details: their name on every reminder that names them.
        db.write(|tx| {
            let mut ana = partners::get(tx, 1)?;
            ana.preferred_name = Some("Annie".into());
            ana.status = PartnerStatus::Paused;
            partners::update(tx, &ana)
        })
        .unwrap();
        assert!(
            stored(db.conn())
                .unwrap()
                .iter()
                .filter(|i| i.partner_id == Some(1))
                .all(|i| i.name.as_deref() == Some("Annie"))
        );
        assert!(verify(db.conn()).unwrap().is_empty());
        // A setting: every request again.
        db.write(|tx| settings::set(tx, "concern_followup_days", "3")).unwrap();
        assert!(verify(db.conn()).unwrap().is_empty());
        assert_eq!(partners::counted(db.conn()).unwrap(), vec![("paused".into(), "2026-09-02".into(), 1)]);
    }

    #[test]
    fn a_row_kept_twice_is_found() {
        let (_dir, mut db) = network();
        db.write(|tx| {
            tx.sqlite().unwrap().execute_batch(
                "DROP INDEX reminder_key; \
                 INSERT INTO reminder SELECT * FROM reminder WHERE kind = 'onboarding_due'; \
                 UPDATE partner_count SET partners = 2;",
            )?;
            Ok(())
        })
        .unwrap();
        assert_eq!(
            verify(db.conn()).unwrap(),
            vec![
                "reminders: kept twice but due once: onboarding_due on request 1, partner 1, due 2026-10-15"
                    .to_string(),
                "partner counts: 2 active partners who joined on 2026-09-02 are counted, and the network has 1"
                    .to_string(),
            ]
        );
        db.write(rebuild).unwrap();
        assert!(verify(db.conn()).unwrap().is_empty());
    }

    /// The accounts kept, against the accounts read from the tables now.
    fn accounts_agree(db: &Db) {
        let fresh = crate::db::closing::dated_accounts_in(db.conn(), Scope::All).unwrap();
        assert_eq!(accounts(db.conn()).unwrap(), fresh);
        assert!(verify(db.conn()).unwrap().is_empty(), "{:?}", verify(db.conn()).unwrap());
    }

    #[test]
    fn the_accounts_kept_follow_every_write_that_changes_an_account() {
        use crate::db::{closing, selection};
        use crate::domain::compensation::Method;
        use crate::domain::selection::Outcome;
        let (_dir, mut db) = network();
        accounts_agree(&db);
        let day = |d: &str| parse_iso_date(d).unwrap();
        let kept = |db: &Db| accounts(db.conn()).unwrap().into_iter().map(|a| a.account).collect::<Vec<_>>();
        let hours = Checkin {
            id: 0,
            request_id: 1,
            with: With::Partner(1),
            held_on: day("2026-11-02"),
            status: CheckinStatus::Good,
            concern: None,
            resolved_on: None,
            resolution: None,
            hours: Hours(250),
            expenses: Money(1_200),
            expense_note: None,
            note: None,
            next_due: None,
        };
        db.write(|tx| checkins::insert(tx, &hours)).unwrap();
        db.write(|tx| checkins::insert(tx, &hours)).unwrap();
        assert_eq!((kept(&db)[0].hours, kept(&db)[0].expenses), (Hours(500), Money(2_400)));
        accounts_agree(&db);
        db.write(|tx| closing::pay(tx, 1, 1, Method::Cheque, day("2026-11-20"), Money(20_000))).unwrap();
        db.write(|tx| closing::reimburse(tx, 1, 1, day("2026-11-21"), Money(2_400))).unwrap();
        assert_eq!(kept(&db)[0].paid, Some(Money(20_000)));
        assert_eq!(kept(&db)[0].reimbursed, Some(Money(2_400)));
        accounts_agree(&db);
        // The partner's own details, through the partner alone: their name on their account.
        db.write(|tx| {
            let mut ana = partners::get(tx, 1)?;
            ana.preferred_name = Some("Annie".into());
            ana.payment_affects_benefits = true;
            partners::update(tx, &ana)
        })
        .unwrap();
        assert_eq!((kept(&db)[0].name.as_str(), kept(&db)[0].affects_benefits), ("Annie", true));
        accounts_agree(&db);
        // Decided again after hours were logged: the account stays, with its new outcome.
        db.write(|tx| selection::decide(tx, 1, 1, Outcome::Waitlisted, None, day("2026-11-22"))).unwrap();
        accounts_agree(&db);
        // Forgotten: the name kept is no longer theirs.
        db.write(|tx| partners::forget(tx, 1)).unwrap();
        assert!(kept(&db)[0].forgotten);
        assert!(!kept(&db)[0].name.contains("Annie"), "{:?}", kept(&db)[0].name);
        accounts_agree(&db);
    }

    #[test]
    fn db_check_finds_an_account_kept_wrong_or_not_kept() {
        let (_dir, mut db) = network();
        db.write(|tx| {
            tx.sqlite().unwrap().execute_batch(
                "UPDATE account_tally SET hours = hours + 100; \
                 INSERT INTO account_tally SELECT request_id, 2, decided_on, outcome, name, affects_benefits, \
                 forgotten, hours, expenses_cents, method, declined, paid_on, paid_cents, reimbursed_on, \
                 reimbursed_cents FROM account_tally;",
            )?;
            Ok(())
        })
        .unwrap();
        assert_eq!(
            verify(db.conn()).unwrap(),
            vec![
                "accounts: the account of partner 1 on request 1 does not add up to what is kept".to_string(),
                "accounts: the account of partner 2 on request 1 is kept but is no account".to_string(),
            ]
        );
        db.write(|tx| tx.execute("DELETE FROM account_tally", &[]).map(|_| ())).unwrap();
        assert_eq!(
            verify(db.conn()).unwrap(),
            vec!["accounts: the account of partner 1 on request 1 is not kept".to_string()]
        );
        db.write(rebuild).unwrap();
        accounts_agree(&db);
    }

    #[test]
    fn the_reminder_table_keeps_a_reminder_once() {
        let (_dir, mut db) = network();
        let doubled = db.write(|tx| {
            tx.execute("INSERT INTO reminder SELECT * FROM reminder WHERE kind = 'onboarding_due'", &[]).map(|_| ())
        });
        let Err(crate::error::Error::Database { source, .. }) = doubled else { panic!("the key refuses a second row") };
        assert!(source.to_string().contains("UNIQUE constraint failed"), "{source}");
    }
}
