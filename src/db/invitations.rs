//! The `invitation` table: invitations to requests and the partners' responses.

use super::sql::{Json, Reader, Row, Touch, Tx, ValueRef};
use super::{closing, events, partners, requests};
use crate::domain::compensation::Account;
use crate::domain::kinds::{Community, RequestStatus, Response};
use crate::domain::money::Money;
use crate::domain::partner::Partner;
use crate::domain::request::{Pay, Request};
use crate::error::{Error, Result};
use chrono::NaiveDate;
use std::collections::{HashMap, HashSet};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Invitation {
    pub request_id: i64,
    pub partner_id: i64,
    pub invited_on: Option<NaiveDate>,
    pub response: Option<Response>,
    pub responded_on: Option<NaiveDate>,
    pub statement: Option<String>,
    pub availability: Option<String>,
    pub conflict: Option<String>,
}

const COLUMNS: &str = "request_id, partner_id, invited_on, response, responded_on, statement, availability, conflict";

fn from_row(row: &Row<'_>) -> Result<Invitation> {
    Ok(Invitation {
        request_id: row.get("request_id")?,
        partner_id: row.get("partner_id")?,
        invited_on: row.get("invited_on")?,
        response: row.get("response")?,
        responded_on: row.get("responded_on")?,
        statement: row.get("statement")?,
        availability: row.get("availability")?,
        conflict: row.get("conflict")?,
    })
}

/// Records an invitation; a partner already invited keeps the first date. Returns whether it is new.
pub fn invite(tx: &Tx<'_>, request_id: i64, partner_id: i64, on: NaiveDate) -> Result<bool> {
    let changed = tx.execute(
        "INSERT INTO invitation (request_id, partner_id, invited_on) VALUES (?1, ?2, ?3) \
         ON CONFLICT (request_id, partner_id) DO UPDATE SET invited_on = excluded.invited_on \
         WHERE invitation.invited_on IS NULL",
        &[&request_id, &partner_id, &on],
    )?;
    tx.touched(Touch::Request(request_id));
    Ok(changed > 0)
}

pub use crate::domain::response::Answer;

/// Records a response, with or without an invitation before it; a later answer replaces an earlier
/// one, keeping any statement, availability or conflict it does not repeat.
pub fn respond(tx: &Tx<'_>, request_id: i64, partner_id: i64, answer: &Answer) -> Result<()> {
    tx.execute(
        "INSERT INTO invitation (request_id, partner_id, response, responded_on, statement, availability, conflict) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) \
         ON CONFLICT (request_id, partner_id) DO UPDATE SET response = excluded.response, \
         responded_on = excluded.responded_on, statement = coalesce(excluded.statement, invitation.statement), \
         availability = coalesce(excluded.availability, invitation.availability), \
         conflict = coalesce(excluded.conflict, invitation.conflict)",
        &[
            &request_id,
            &partner_id,
            &answer.response,
            &answer.on,
            &answer.statement,
            &answer.availability,
            &answer.conflict,
        ],
    )?;
    tx.touched(Touch::Request(request_id));
    Ok(())
}

pub fn find(conn: &Reader, request_id: i64, partner_id: i64) -> Result<Option<Invitation>> {
    conn.query_opt(
        &format!("SELECT {COLUMNS} FROM invitation WHERE request_id = ?1 AND partner_id = ?2"),
        &[&request_id, &partner_id],
        from_row,
    )
}

/// Everyone invited to or answering a request, by partner id.
pub fn for_request(conn: &Reader, request_id: i64) -> Result<Vec<Invitation>> {
    conn.query_map(
        &format!("SELECT {COLUMNS} FROM invitation WHERE request_id = ?1 ORDER BY partner_id"),
        &[&request_id],
        from_row,
    )
}

/// The candidates: partners who said they are interested, by partner id.
pub fn interested(conn: &Reader, request_id: i64) -> Result<Vec<Invitation>> {
    Ok(for_request(conn, request_id)?.into_iter().filter(|i| i.response == Some(Response::Interested)).collect())
}

/// A partner's invitations and responses across requests, newest request first.
pub fn for_partner(conn: &Reader, partner_id: i64) -> Result<Vec<Invitation>> {
    conn.query_map(
        &format!("SELECT {COLUMNS} FROM invitation WHERE partner_id = ?1 ORDER BY request_id DESC"),
        &[&partner_id],
        from_row,
    )
}

/// How `recruit invite` and `message invitation` narrow a request's match.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Narrow {
    pub topic: Option<String>,
    pub region: Option<String>,
    pub community: Option<Community>,
    /// Only partners who speak this language ([`Partner::speaks`]).
    pub language: Option<String>,
    /// At most this many: the least recently engaged.
    pub limit: Option<usize>,
}

/// The partners a request's invitation goes to, least recently engaged first.
#[derive(Debug, Clone, Default)]
pub struct Matching {
    /// Their names, contact details, languages, status and consent
    /// ([`partners::CONTACT_COLUMNS`]); [`partners::find`] reads the whole partner.
    pub partners: Vec<Partner>,
    /// When each of them was last selected, for any request.
    pub last_engaged: HashMap<i64, String>,
    /// Partners invited to or answering the request already; never matched again.
    pub already: HashSet<i64>,
}

/// Who an invitation can reach at all (rule 7): active, consented to be contacted, with an
/// e-mail. The `partner_reachable` index holds exactly these partners.
const REACHABLE: &str = "status = 'active' AND consent = 1 AND email IS NOT NULL";

/// Past this many distinct regions the reachable partners are read in one pass instead of a
/// region at a time: a network whose sign-ups typed their region freely has a seek for each.
const REGIONS_ONE_BY_ONE: usize = 1_000;

/// Active partners who consented to be contacted (rule 7), with an e-mail, not yet invited, who
/// share a topic, the region and the community type of the request (and of `narrow`).
///
/// The match is decided on the `partner_reachable` index: its distinct regions are found one
/// seek each, only the entries of the regions that match are read, the topics are decided once
/// for each distinct list, and the contact details are read for the partners that matched alone.
pub fn matching(conn: &Reader, request: &Request, narrow: &Narrow) -> Result<Matching> {
    // The request's own topics, region and community type; the flags narrow the match further.
    let topics: Vec<String> = request.topics.iter().map(|t| t.to_lowercase()).collect();
    let regions: Vec<String> =
        [request.region.as_ref(), narrow.region.as_ref()].into_iter().flatten().map(|r| r.to_lowercase()).collect();
    let communities: Vec<Community> = [request.community, narrow.community].into_iter().flatten().collect();
    let topic = narrow.topic.as_ref().map(|t| t.to_lowercase());
    let already: HashSet<i64> = for_request(conn, request.id)?.into_iter().map(|i| i.partner_id).collect();
    // A region matches when it contains every region asked for; a partner without one has "".
    let region_matches = |region: &str| {
        let region = region.to_lowercase();
        regions.iter().all(|r| region.contains(r.as_str()))
    };
    // A list of topics matches when one of them shares a topic with the request, and one holds
    // `--topic`. Partners share lists (`["discharge"]`), so each distinct one is decided once.
    // Neighbours often share a list too: it is compared with the one before it first.
    let mut decided: HashMap<String, bool> = HashMap::new();
    let mut previous: (String, bool) = (String::new(), false);
    let mut ids: Vec<i64> = Vec::new();
    let mut consider = |row: &Row<'_>| -> Result<()> {
        let raw = match row.value("topics")? {
            ValueRef::Text(t) => t,
            _ => "",
        };
        if previous.0 != raw {
            let shared = match decided.get(raw) {
                Some(yes) => *yes,
                None => {
                    let partner_topics: Vec<String> =
                        row.get::<Vec<String>>("topics")?.iter().map(|t| t.to_lowercase()).collect();
                    let shares = topics.is_empty()
                        || partner_topics
                            .iter()
                            .any(|pt| topics.iter().any(|t| pt.contains(t.as_str()) || t.contains(pt.as_str())));
                    let holds = topic.as_ref().is_none_or(|t| partner_topics.iter().any(|pt| pt.contains(t.as_str())));
                    decided.insert(raw.to_string(), shares && holds);
                    shares && holds
                }
            };
            raw.clone_into(&mut previous.0);
            previous.1 = shared;
        }
        if !previous.1 {
            return Ok(());
        }
        if !communities.is_empty() {
            let community: Option<Community> = row.get("community")?;
            if !communities.iter().all(|c| community == Some(*c)) {
                return Ok(());
            }
        }
        let id: i64 = row.get("id")?;
        if !already.contains(&id) {
            ids.push(id);
        }
        Ok(())
    };
    if let Some(found) = reachable_regions(conn)? {
        let of_region = format!("SELECT id, topics, community FROM partner WHERE {REACHABLE} AND region = ?1");
        for region in found.iter().filter(|r| region_matches(r)) {
            conn.each(&of_region, &[region], &mut consider)?;
        }
        if region_matches("") {
            let without = format!("SELECT id, topics, community FROM partner WHERE {REACHABLE} AND region IS NULL");
            conn.each(&without, &[], &mut consider)?;
        }
    } else {
        let all = format!("SELECT id, region, topics, community FROM partner WHERE {REACHABLE}");
        conn.each(&all, &[], |row| {
            let region: Option<String> = row.get("region")?;
            if region_matches(region.as_deref().unwrap_or_default()) {
                consider(row)?;
            }
            Ok(())
        })?;
    }
    // When each of them was last selected: the least recently engaged are invited first
    // (docs/rules.md, rule 5: share opportunities fairly). The engagements are read in the order
    // their partial index keeps them and the latest day of each matched partner is kept here: a
    // GROUP BY partner_id went by the partner index and sought each decision's row (0.8 s at a
    // million partners, 0.07 s).
    let matched_ids: HashSet<i64> = ids.iter().copied().collect();
    let mut last_engaged: HashMap<i64, String> = HashMap::new();
    conn.each("SELECT partner_id, decided_on FROM decision WHERE engaged = 1", &[], |row| {
        let partner: i64 = row.get("partner_id")?;
        if !matched_ids.contains(&partner) {
            return Ok(());
        }
        let ValueRef::Text(day) = row.value("decided_on")? else {
            return Ok(());
        };
        match last_engaged.get_mut(&partner) {
            Some(last) if last.as_str() >= day => {}
            Some(last) => day.clone_into(last),
            None => {
                last_engaged.insert(partner, day.to_string());
            }
        }
        Ok(())
    })?;
    // Least recently engaged first, then the longest in the network; only these rows are read,
    // and with a limit only as many as it takes (a chunk at a time, as `--language` may pass some
    // over).
    // Each key looked up once (66,043 partners sorted by lookups in the comparison took 0.05 s).
    let mut order: Vec<(Option<&str>, i64)> =
        ids.iter().map(|id| (last_engaged.get(id).map(String::as_str), *id)).collect();
    order.sort_unstable();
    let ids: Vec<i64> = order.into_iter().map(|(_, id)| id).collect();
    let partners = contacts_in_order(conn, &ids, narrow)?;
    let kept: HashSet<i64> = partners.iter().map(|p| p.id).collect();
    last_engaged.retain(|id, _| kept.contains(id));
    Ok(Matching { partners, last_engaged, already })
}

/// The distinct regions of the partners an invitation can reach, one seek each; `None` past
/// [`REGIONS_ONE_BY_ONE`] of them.
fn reachable_regions(conn: &Reader) -> Result<Option<Vec<String>>> {
    let mut found: Vec<String> = Vec::new();
    let mut after = String::new();
    let first = format!("SELECT region FROM partner WHERE {REACHABLE} AND region >= ?1 ORDER BY region LIMIT 1");
    let next_region = format!("SELECT region FROM partner WHERE {REACHABLE} AND region > ?1 ORDER BY region LIMIT 1");
    while found.len() <= REGIONS_ONE_BY_ONE {
        let seek = if found.is_empty() { &first } else { &next_region };
        let next: Vec<String> = conn.query_map(seek, &[&after], |row| row.get("region"))?;
        let Some(region) = next.into_iter().next() else { return Ok(Some(found)) };
        after.clone_from(&region);
        found.push(region);
    }
    Ok(None)
}

/// The contact details of the partners `ids` (in the order given), of those who speak
/// `narrow.language`, and with `narrow.limit` only as many as it takes: a chunk at a time, as the
/// language may pass some over.
fn contacts_in_order(conn: &Reader, ids: &[i64], narrow: &Narrow) -> Result<Vec<Partner>> {
    let wanted = narrow.limit.unwrap_or(usize::MAX);
    let chunk = narrow.limit.map_or(ids.len(), |n| n.max(1_000)).max(1);
    let of_ids = format!("SELECT {} FROM partner WHERE {}", partners::CONTACT_COLUMNS, conn.dialect().in_ids("id", 1));
    let mut partners: Vec<Partner> = Vec::new();
    for some in ids.chunks(chunk) {
        let place: HashMap<i64, usize> = some.iter().enumerate().map(|(at, id)| (*id, at)).collect();
        // Sought in the table's order, each page is read once.
        let mut in_order = some.to_vec();
        in_order.sort_unstable();
        let mut read: Vec<(usize, Partner)> = Vec::with_capacity(some.len());
        conn.each(&of_ids, &[&Json(&in_order[..])], |row| {
            let p = partners::contact_from_row(row)?;
            if let Some(at) = place.get(&p.id).filter(|_| narrow.language.as_deref().is_none_or(|l| p.speaks(l))) {
                read.push((*at, p));
            }
            Ok(())
        })?;
        read.sort_by_key(|(at, _)| *at);
        // Collected where they lie: a network's worth of partners is not held twice.
        let read: Vec<Partner> = read.into_iter().map(|(_, p)| p).collect();
        if partners.is_empty() {
            partners = read;
        } else {
            partners.extend(read);
        }
        if partners.len() >= wanted {
            partners.truncate(wanted);
            break;
        }
    }
    Ok(partners)
}

/// The request, refusing those whose recruitment is over.
pub fn open_request(conn: &Reader, id: i64) -> Result<Request> {
    let request = requests::get(conn, id)?;
    if request.status.is_final() {
        return Err(Error::Refused(format!(
            "request {id} is {}; it takes no more invitations or responses",
            request.status
        )));
    }
    Ok(request)
}

/// Records a response and its event; a request still `submitted` starts recruiting.
pub fn record_response(
    tx: &Tx<'_>,
    stamp: &crate::domain::Stamp,
    request: &Request,
    partner_id: i64,
    answer: &Answer,
) -> Result<()> {
    respond(tx, request.id, partner_id, answer)?;
    let conflict = if answer.conflict.is_some() { ", conflict declared" } else { "" };
    events::log(tx, stamp, "response", Some(request.id), Some(partner_id), &format!("{}{conflict}", answer.response))?;
    if request.status == RequestStatus::Submitted {
        let current = requests::get(tx, request.id)?;
        if current.status == RequestStatus::Submitted {
            requests::move_to(tx, stamp, &current, RequestStatus::Recruiting, None)?;
        }
    }
    Ok(())
}

/// A request a partner was invited to or answered, with what came of it: the decision, and for
/// those who took part their account and their check-ins.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HistoryEntry {
    pub request_id: i64,
    pub title: String,
    pub request_status: String,
    pub invited_on: Option<NaiveDate>,
    pub response: Option<String>,
    pub responded_on: Option<NaiveDate>,
    pub outcome: Option<String>,
    pub decided_on: Option<NaiveDate>,
    /// Hours and expenses logged, paid, reimbursed: their account on the request, if they have one.
    pub account: Option<Account>,
    /// What the account is owed, at the request's pay.
    pub owed: Option<Money>,
    /// Check-ins held with them on the request.
    pub checkins: u32,
    /// Concerns raised at those check-ins, and how many are still open.
    pub concerns: u32,
    pub open_concerns: u32,
}

/// A partner's engagement history: every request they were invited to or answered, the
/// decision, their account and check-ins, newest request first.
pub fn history(conn: &Reader, partner_id: i64) -> Result<Vec<HistoryEntry>> {
    let mut entries: Vec<(HistoryEntry, Pay)> = conn.query_map(
        "SELECT i.request_id, r.title, r.status AS request_status, r.pay_basis, r.pay_cents, i.invited_on, \
         i.response, i.responded_on, d.outcome, d.decided_on, \
         (SELECT count(*) FROM checkin c WHERE c.request_id = i.request_id AND c.partner_id = i.partner_id) \
         AS checkins, \
         (SELECT count(*) FROM checkin c WHERE c.request_id = i.request_id AND c.partner_id = i.partner_id \
         AND c.status != 'good') AS concerns, \
         (SELECT count(*) FROM checkin c WHERE c.request_id = i.request_id AND c.partner_id = i.partner_id \
         AND c.status != 'good' AND c.resolved_on IS NULL) AS open_concerns \
         FROM invitation i JOIN request r ON r.id = i.request_id \
         LEFT JOIN decision d ON d.request_id = i.request_id AND d.partner_id = i.partner_id \
         WHERE i.partner_id = ?1 ORDER BY i.request_id DESC",
        &[&partner_id],
        |row| {
            Ok((
                HistoryEntry {
                    request_id: row.get("request_id")?,
                    title: row.get("title")?,
                    request_status: row.get("request_status")?,
                    invited_on: row.get("invited_on")?,
                    response: row.get("response")?,
                    responded_on: row.get("responded_on")?,
                    outcome: row.get("outcome")?,
                    decided_on: row.get("decided_on")?,
                    account: None,
                    owed: None,
                    checkins: row.get("checkins")?,
                    concerns: row.get("concerns")?,
                    open_concerns: row.get("open_concerns")?,
                },
                requests::pay_in(row, "pay_basis", "pay_cents")?,
            ))
        },
    )?;
    for (entry, pay) in &mut entries {
        entry.account = closing::account(conn, entry.request_id, partner_id)?;
        entry.owed = entry.account.as_ref().map(|a| a.owed(*pay));
    }
    Ok(entries.into_iter().map(|(entry, _)| entry).collect())
}
