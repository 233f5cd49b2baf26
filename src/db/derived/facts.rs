//! What the derived tables follow from: each request's facts, read from the tables in a few
//! queries for every request in scope at once, then the rules of src/domain/reminder and the
//! tally of src/domain/report.

use super::Scope;
use crate::db::closing::{self, DatedAccount};
use crate::db::sql::Reader;
use crate::db::{checkins, partners::name_in, requests::pay_in, settings::get_number};
use crate::domain::kinds::{Community, Domain, Level, Way};
use crate::domain::reminder::{self, Decided, Facts, Item, Settings};
use crate::domain::report::{RequestFigures, Tally};
use crate::domain::request::Closing;
use crate::domain::selection::Decision;
use crate::domain::shape::{Outline, Shape};
use crate::error::Result;
use std::collections::{BTreeMap, HashMap};

/// What the derived tables hold for some requests: their reminders, each one's tally, and its
/// accounts.
pub struct Derived {
    pub reminders: Vec<Item>,
    pub tallies: Vec<RequestFigures>,
    /// By request and partner.
    pub accounts: Vec<DatedAccount>,
}

/// The settings the rules read.
pub fn settings(conn: &Reader) -> Result<Settings> {
    Ok(Settings {
        review_within_days: get_number(conn, "review_within_days")?,
        commitments_valid_days: get_number(conn, "commitments_valid_days")?,
        record_check_valid_days: get_number(conn, "record_check_valid_days")?,
        payment_within_days: get_number(conn, "payment_within_days")?,
        concern_followup_days: get_number(conn, "concern_followup_days")?,
    })
}

/// What the summary counts a request's engagements by, kept beside its tally.
struct Reach {
    way: Way,
    region: Option<String>,
    community: Option<Community>,
    domain: Option<Domain>,
    level: Option<Level>,
}

/// Every reminder and the tally of the requests in scope, worked out from the tables.
pub fn compute(conn: &Reader, scope: Scope<'_>) -> Result<Derived> {
    let settings = settings(conn)?;
    let dialect = conn.dialect();
    let mut facts: BTreeMap<i64, Facts> = BTreeMap::new();
    let mut reach: HashMap<i64, Reach> = HashMap::new();
    let (condition, ids) = scope.limit(dialect, "r.id", 1);
    conn.each(
        &format!(
            "SELECT r.id, r.status, r.created_on, r.respond_by, r.select_by, r.starts_on, r.ends_on, r.closed_on, \
             r.seats, r.pay_basis, r.pay_cents, r.record_check_required, r.checkin_every_days, r.title, \
             r.organization, r.contact_name, r.way, r.region, r.community, r.domain, r.level, r.hours_estimate, r.checkin_every_given, \
             r.outcomes IS NOT NULL AS has_outcomes, r.loop_closed_on, r.thanked_on, r.partner_survey_on, \
             r.requester_survey_on FROM request r WHERE {condition}"
        ),
        &ids.as_params(),
        |row| {
            let id: i64 = row.get("id")?;
            reach.insert(
                id,
                Reach {
                    way: row.get("way")?,
                    region: row.get("region")?,
                    community: row.get("community")?,
                    domain: row.get("domain")?,
                    level: row.get("level")?,
                },
            );
            let outline = Outline {
                way: row.get("way")?,
                starts_on: row.get("starts_on")?,
                ends_on: row.get("ends_on")?,
                hours_estimate: row.get("hours_estimate")?,
                checkin_every_days: row.get::<u32>("checkin_every_days")?.max(1),
                checkin_every_given: row.get("checkin_every_given")?,
            };
            let shape = Shape::of(&outline);
            // The loop's own steps, those that apply to the request's shape (money is not one).
            let steps = Closing {
                outcomes: row.get::<bool>("has_outcomes")?.then(String::new),
                loop_closed_on: row.get("loop_closed_on")?,
                thanked_on: row.get("thanked_on")?,
                partner_survey_on: row.get("partner_survey_on")?,
                requester_survey_on: row.get("requester_survey_on")?,
                closed_on: None,
            };
            let f = Facts {
                request_id: id,
                title: row.get("title")?,
                organization: row.get("organization")?,
                contact_name: row.get("contact_name")?,
                status: row.get("status")?,
                created_on: row.get("created_on")?,
                respond_by: row.get("respond_by")?,
                select_by: row.get("select_by")?,
                starts_on: row.get("starts_on")?,
                ends_on: row.get("ends_on")?,
                closed_on: row.get("closed_on")?,
                seats: row.get("seats")?,
                pay: pay_in(row, "pay_basis", "pay_cents")?,
                record_check_required: row.get("record_check_required")?,
                checkin_every_days: outline.checkin_every_days,
                shape,
                interested: 0,
                decisions: Vec::new(),
                latest: Vec::new(),
                open_concerns: Vec::new(),
                accounts: Vec::new(),
                loop_open: crate::domain::closing::loop_open(&steps, shape.engages_partners()),
            };
            facts.insert(id, f);
            Ok(())
        },
    )?;
    // Interested candidates of requests not decided yet: less those who left or were forgotten.
    conn.each(
        &format!(
            "SELECT i.request_id, count(*) AS interested FROM request r JOIN invitation i ON i.request_id = r.id \
             JOIN partner p ON p.id = i.partner_id \
             WHERE r.status IN ('submitted', 'recruiting', 'selecting') AND i.response = 'interested' \
             AND p.status != 'withdrawn' AND p.status != 'forgotten' AND {condition} GROUP BY i.request_id"
        ),
        &ids.as_params(),
        |row| {
            if let Some(f) = facts.get_mut(&row.get("request_id")?) {
                f.interested = row.get::<u32>("interested")?;
            }
            Ok(())
        },
    )?;
    // Every decision of a request not decided yet (there should be none), and of the others
    // those not told yet and the selected: the decisions a reminder can follow from.
    conn.each(
        &format!(
            "SELECT d.request_id, d.partner_id, d.outcome, d.decided_on, d.notified_on, d.welcomed_on, \
             d.oriented_on, d.introduced_on, p.status, p.commitments_signed_on, p.record_check_on, \
             p.first_name, p.last_name, p.preferred_name \
             FROM request r JOIN decision d ON d.request_id = r.id JOIN partner p ON p.id = d.partner_id \
             WHERE r.status != 'cancelled' AND (r.status NOT IN ('active', 'closed') OR d.notified_on IS NULL \
             OR d.outcome = 'selected') AND {condition} ORDER BY d.request_id, d.partner_id"
        ),
        &ids.as_params(),
        |row| {
            let request_id: i64 = row.get("request_id")?;
            let partner_id: i64 = row.get("partner_id")?;
            let decided = Decided {
                decision: Decision {
                    request_id,
                    partner_id,
                    outcome: row.get("outcome")?,
                    reason: None,
                    decided_on: row.get("decided_on")?,
                    notified_on: row.get("notified_on")?,
                    welcomed_on: row.get("welcomed_on")?,
                    oriented_on: row.get("oriented_on")?,
                    introduced_on: row.get("introduced_on")?,
                },
                partner_status: row.get("status")?,
                commitments_signed_on: row.get("commitments_signed_on")?,
                record_check_on: row.get("record_check_on")?,
                name: name_in(row, partner_id, ["first_name", "last_name", "preferred_name"])?,
            };
            if let Some(f) = facts.get_mut(&request_id) {
                f.decisions.push(decided);
            }
            Ok(())
        },
    )?;
    for c in checkins::latest_on_active(conn, scope)? {
        if let Some(f) = facts.get_mut(&c.request_id) {
            f.latest.push(c);
        }
    }
    let (concern_condition, concern_ids) = scope.limit(dialect, "c.request_id", 1);
    let columns: Vec<String> = checkins::COLUMNS.split(", ").map(|c| format!("c.{}", c.trim())).collect();
    conn.each(
        &format!(
            "SELECT {}, p.first_name AS p_first, p.last_name AS p_last, p.preferred_name AS p_preferred \
             FROM checkin c LEFT JOIN partner p ON p.id = c.partner_id \
             WHERE c.status != 'good' AND c.resolved_on IS NULL AND {concern_condition} ORDER BY c.id",
            columns.join(", "),
        ),
        &concern_ids.as_params(),
        |row| {
            let c = checkins::from_row(row)?;
            let name =
                c.with.partner_id().map(|id| name_in(row, id, ["p_first", "p_last", "p_preferred"])).transpose()?;
            if let Some(f) = facts.get_mut(&c.request_id) {
                f.open_concerns.push((c, name));
            }
            Ok(())
        },
    )?;
    let mut tallies: BTreeMap<i64, Tally> = facts.keys().map(|id| (*id, Tally::default())).collect();
    let (invited_condition, invited_ids) = scope.limit(dialect, "i.request_id", 1);
    conn.each(
        &format!(
            "SELECT i.request_id, count(*) FILTER (WHERE i.invited_on IS NOT NULL) AS invited, \
             count(*) FILTER (WHERE i.invited_on IS NOT NULL AND i.response IS NOT NULL) AS responded, \
             count(*) FILTER (WHERE i.response = 'interested') AS interested FROM invitation i \
             WHERE {invited_condition} GROUP BY i.request_id"
        ),
        &invited_ids.as_params(),
        |row| {
            if let Some(t) = tallies.get_mut(&row.get("request_id")?) {
                t.invited = row.get("invited")?;
                t.responded = row.get("responded")?;
                t.interested = row.get("interested")?;
            }
            Ok(())
        },
    )?;
    let (decided_condition, decided_ids) = scope.limit(dialect, "d.request_id", 1);
    conn.each(
        &format!(
            "SELECT d.request_id, min(d.decided_on) AS first_decided_on FROM decision d WHERE {decided_condition} \
             GROUP BY d.request_id"
        ),
        &decided_ids.as_params(),
        |row| {
            if let Some(t) = tallies.get_mut(&row.get("request_id")?) {
                t.first_decided_on = row.get("first_decided_on")?;
            }
            Ok(())
        },
    )?;
    let accounts = closing::dated_accounts_in(conn, scope)?;
    for a in &accounts {
        if let Some(f) = facts.get_mut(&a.request_id) {
            f.accounts.push(a.account.clone());
        }
    }
    let mut items = Vec::new();
    let mut out_tallies = Vec::with_capacity(facts.len());
    for f in facts.values() {
        items.extend(reminder::of(f, &settings));
        let tally = tallies.get(&f.request_id).copied().unwrap_or_default().with_accounts(&f.accounts, f.pay);
        let Some(Reach { way, region, community, domain, level }) = reach.remove(&f.request_id) else { continue };
        out_tallies.push(RequestFigures {
            id: f.request_id,
            status: f.status,
            way,
            created_on: f.created_on,
            region,
            community,
            domain,
            level,
            ends_on: f.ends_on,
            closed_on: f.closed_on,
            tally,
        });
    }
    Ok(Derived { reminders: items, tallies: out_tallies, accounts })
}
