//! Queries for `engage report`: the reminders shown on a day, and what the summary,
//! participation and compensation reports read. Each reads the derived tables where they exist
//! (src/db/derived.rs) and the indexes made for it, so a network of a million partners answers in
//! a fraction of a second.

use super::derived;
use super::partners::name_in;
use super::requests::pay_in;
use super::sql::{Reader, Row, ValueRef};
use crate::domain::compensation::Account;
use crate::domain::dates::parse_iso_date;
use crate::domain::kinds::{Community, PartnerStatus, RequestStatus, Way};
use crate::domain::money::Hours;
use crate::domain::reminder::Item;
use crate::domain::report::{Months, Network, Period};
use crate::domain::request::Pay;
use crate::error::Result;
use chrono::NaiveDate;
use std::collections::BTreeMap;

/// The reminders shown on `as_of`, most overdue first: what the morning reminder reads, and all
/// it reads.
pub fn due(conn: &Reader, as_of: NaiveDate) -> Result<Vec<Item>> {
    let mut out = derived::reminders_shown_by(conn, as_of)?;
    out.sort_by(|a, b| {
        (a.due_on, a.kind, a.request_id, a.partner_id, a.checkin_id)
            .cmp(&(b.due_on, b.kind, b.request_id, b.partner_id, b.checkin_id))
            .then_with(|| a.cmp(b))
    });
    Ok(out)
}

/// The partners by status who joined by the end of the period (or have no joining day), and
/// those who joined during it, from the counts kept by status and joining day (`partner_count`).
pub fn network(conn: &Reader, period: &Period) -> Result<Network> {
    let to = crate::domain::dates::iso(period.to);
    let from = period.from.map(crate::domain::dates::iso);
    let mut n = Network::default();
    conn.each("SELECT status, joined_on, partners FROM partner_count WHERE partners != 0", &[], |row| {
        let joined_on = match row.value("joined_on")? {
            ValueRef::Text(text) => text,
            _ => "",
        };
        let dated = !joined_on.is_empty();
        if dated && joined_on > to.as_str() {
            return Ok(());
        }
        let partners = u64::try_from(row.get::<i64>("partners")?).unwrap_or(0);
        // From the first record: everyone with a joining day by the end joined in the period.
        if dated && from.as_deref().is_none_or(|from| joined_on >= from) {
            n.new += partners;
        }
        match row.get::<PartnerStatus>("status")? {
            PartnerStatus::Active => n.active += partners,
            PartnerStatus::Paused => n.paused += partners,
            PartnerStatus::Withdrawn => n.withdrawn += partners,
            PartnerStatus::Forgotten => n.forgotten += partners,
        }
        Ok(())
    })?;
    Ok(n)
}

/// (request, partner) for every partner with an account on a request (selected, withdrew, or
/// decided otherwise after hours or money were logged for them), handed to `f` as read: from the
/// index that holds them alone.
pub fn each_seat(conn: &Reader, mut f: impl FnMut(i64, i64)) -> Result<()> {
    conn.each_streamed("SELECT request_id, partner_id FROM decision WHERE engaged = 1", &[], |row| {
        f(row.get("request_id")?, row.get("partner_id")?);
        Ok(())
    })
}

/// (partner, request) for every expression of interest, handed to `f` as read.
pub fn each_interest(conn: &Reader, mut f: impl FnMut(i64, i64)) -> Result<()> {
    conn.each_streamed("SELECT partner_id, request_id FROM invitation WHERE response = 'interested'", &[], |row| {
        f(row.get("partner_id")?, row.get("request_id")?);
        Ok(())
    })
}

/// What was paid in each month of the period (compensation, then reimbursements), and the first
/// day anything was paid at all, from what was paid on each day: the database adds up the
/// payments of a day on the indexes by the day (`compensation_by_day`, `reimbursement_by_day`).
pub fn paid_by_month(conn: &Reader, period: &Period) -> Result<(Months, Option<NaiveDate>)> {
    // Days compared as the text they are stored as (YYYY-MM-DD sorts as days do).
    let from = period.from.map(crate::domain::dates::iso).unwrap_or_default();
    let to = crate::domain::dates::iso(period.to);
    let mut months = Months::new();
    let mut first: Option<String> = None;
    conn.each(
        "SELECT paid_on AS day, CAST(sum(paid_cents) AS BIGINT) AS cents, 0 AS reimbursed FROM compensation \
         WHERE paid_on IS NOT NULL GROUP BY paid_on \
         UNION ALL SELECT reimbursed_on, CAST(sum(cents) AS BIGINT), 1 FROM reimbursement GROUP BY reimbursed_on",
        &[],
        |row| {
            let ValueRef::Text(day) = row.value("day")? else { return Ok(()) };
            if first.as_deref().is_none_or(|f| day < f) {
                first = Some(day.to_string());
            }
            if day < from.as_str() || day > to.as_str() {
                return Ok(());
            }
            let amount: Option<i64> = row.get("cents")?;
            let reimbursed: bool = row.get("reimbursed")?;
            let month = day.get(..7).unwrap_or(day);
            let m = match months.get_mut(month) {
                Some(m) => m,
                None => months.entry(month.to_string()).or_default(),
            };
            if reimbursed {
                m.1.0 += amount.unwrap_or(0);
            } else {
                m.0.0 += amount.unwrap_or(0);
            }
            Ok(())
        },
    )?;
    let first = match first {
        Some(day) => {
            Some(parse_iso_date(&day).ok_or_else(|| super::sql::damaged("paid_on", ValueRef::Text(&day), "a date"))?)
        }
        None => None,
    };
    Ok((months, first))
}

/// Every account (selected, withdrew, or paid before a later decision), by request, each by
/// partner: as kept in `account_tally`, one short row each, held in one list in that order.
pub struct Accounts {
    /// The request of each account, beside it.
    requests: Vec<i64>,
    accounts: Vec<Account>,
}

impl Accounts {
    /// The accounts on a request, by partner; none when it has none.
    pub fn of(&self, request: i64) -> Option<&[Account]> {
        let start = self.requests.partition_point(|r| *r < request);
        let end = start + self.requests[start..].partition_point(|r| *r == request);
        (end > start).then(|| &self.accounts[start..end])
    }
}

/// Every account, read in one pass into lists made once to their size.
pub fn accounts(conn: &Reader) -> Result<Accounts> {
    let count = usize::try_from(derived::account_count(conn)?).unwrap_or(0);
    let mut out = Accounts { requests: Vec::with_capacity(count), accounts: Vec::with_capacity(count) };
    derived::each_account(conn, |a| {
        out.requests.push(a.request_id);
        out.accounts.push(a.account);
    })?;
    Ok(out)
}

/// What the compensation and participation reports say of a request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestInfo {
    pub id: i64,
    pub title: String,
    pub organization: String,
    pub way: Way,
    pub status: RequestStatus,
    pub pay: Pay,
    pub created_on: NaiveDate,
}

/// Every request's title, organization, way, status and pay, by id.
pub struct RequestInfos(Vec<RequestInfo>);

impl RequestInfos {
    pub fn get(&self, id: i64) -> Option<&RequestInfo> {
        self.0.binary_search_by_key(&id, |r| r.id).ok().map(|at| &self.0[at])
    }
}

/// Every request's title, organization, way, status and pay, by id, read in id order into one
/// list made once to its size.
pub fn request_info(conn: &Reader) -> Result<RequestInfos> {
    let count: i64 = conn.query_value("SELECT count(*) FROM request", &[])?;
    let mut out = Vec::with_capacity(usize::try_from(count).unwrap_or(0));
    conn.each_streamed(
        "SELECT id, title, organization, way, status, pay_basis, pay_cents, created_on FROM request ORDER BY id",
        &[],
        |row| {
            out.push(RequestInfo {
                id: row.get("id")?,
                title: row.get("title")?,
                organization: row.get("organization")?,
                way: row.get("way")?,
                status: row.get("status")?,
                pay: pay_in(row, "pay_basis", "pay_cents")?,
                created_on: row.get("created_on")?,
            });
            Ok(())
        },
    )?;
    Ok(RequestInfos(out))
}

/// The largest partner id given so far (0 for none) and how many partners there are (as the
/// network's counts keep it, without counting the rows): what the reports that count by partner
/// size their counts by.
pub fn partner_ids(conn: &Reader) -> Result<(i64, i64)> {
    let last = conn.query_value("SELECT coalesce(max(id), 0) FROM partner", &[])?;
    let count = conn.query_value("SELECT CAST(coalesce(sum(partners), 0) AS BIGINT) FROM partner_count", &[])?;
    Ok((last, count))
}

/// What the participation report says of a partner.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PartnerInfo {
    pub name: String,
    pub status: PartnerStatus,
    pub region: Option<String>,
    pub community: Option<Community>,
}

/// Name, status, region and community type of each of these partners (in increasing id order),
/// by id order, however many they are. When they are many among the partners from the first to
/// the last of them (a report over a large network), every partner between is read in id order
/// (in a file from the index of these columns alone, `partner_card`; on a server streamed by key,
/// which beats binding 265,000 ids) and those not asked for are passed over; when they are few,
/// they are read in one statement with the ids bound as one parameter.
pub fn partner_info(conn: &Reader, ids: &[i64], mut f: impl FnMut(i64, PartnerInfo)) -> Result<()> {
    let (Some(first), Some(last)) = (ids.first(), ids.last()) else { return Ok(()) };
    let read = |row: &Row<'_>, id: i64| -> Result<PartnerInfo> {
        Ok(PartnerInfo {
            name: name_in(row, id, ["first_name", "last_name", "preferred_name"])?,
            status: row.get("status")?,
            region: row.get("region")?,
            community: row.get("community")?,
        })
    };
    // In the order `read` reads them, so that each column is found where the last one ended.
    const COLUMNS: &str = "id, first_name, last_name, preferred_name, status, region, community";
    let between = u64::try_from(last.saturating_sub(*first)).unwrap_or(u64::MAX);
    if between / 8 <= ids.len() as u64 {
        let mut at = 0;
        return conn.each_streamed(
            &format!("SELECT {COLUMNS} FROM partner WHERE id >= ?1 AND id <= ?2 ORDER BY id"),
            &[first, last],
            |row| {
                let id: i64 = row.get("id")?;
                while ids.get(at).is_some_and(|wanted| *wanted < id) {
                    at += 1;
                }
                if ids.get(at) == Some(&id) {
                    f(id, read(row, id)?);
                }
                Ok(())
            },
        );
    }
    let wanted = super::sql::Json(ids);
    conn.each(
        &format!("SELECT {COLUMNS} FROM partner WHERE {} ORDER BY id", conn.dialect().in_ids("id", 1)),
        &[&wanted],
        |row| {
            let id: i64 = row.get("id")?;
            f(id, read(row, id)?);
            Ok(())
        },
    )
}

/// (request, partner, decided on, hours) of every partner engaged (with an account on the
/// request), handed to `f` as read, with their hours on it from their check-ins: for when each
/// was last engaged (a partner who withdrew, or was paid before a later decision, was engaged all
/// the same) and what they gave. Read from the accounts kept (`account_tally`).
pub fn each_engagement(conn: &Reader, mut f: impl FnMut(i64, i64, NaiveDate, Hours)) -> Result<()> {
    conn.each_streamed("SELECT request_id, partner_id, decided_on, hours FROM account_tally", &[], |row| {
        f(row.get("request_id")?, row.get("partner_id")?, row.get("decided_on")?, row.get("hours")?);
        Ok(())
    })
}

/// (partner, request) of every invitation sent, in no order.
pub fn each_invitation(conn: &Reader, mut f: impl FnMut(i64, i64)) -> Result<()> {
    conn.each_streamed("SELECT partner_id, request_id FROM invitation WHERE invited_on IS NOT NULL", &[], |row| {
        f(row.get("partner_id")?, row.get("request_id")?);
        Ok(())
    })
}

/// A partner's year as the compensation report's `--year` lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PartnerYear {
    pub partner_id: i64,
    pub name: String,
    pub affects_benefits: bool,
    pub year: crate::domain::compensation::Year,
}

/// Every partner paid or reimbursed from `from` to `to` (the days the money was paid), by id:
/// their payments (one per engagement, `compensation.paid_on`) and reimbursements
/// (`reimbursement.reimbursed_on`) in those days, whatever year the engagement ran.
pub fn partner_years(conn: &Reader, from: NaiveDate, to: NaiveDate) -> Result<BTreeMap<i64, PartnerYear>> {
    let mut out: BTreeMap<i64, PartnerYear> = BTreeMap::new();
    conn.each(
        "SELECT m.partner_id, m.cents, m.reimbursed, p.first_name, p.last_name, p.preferred_name, \
         p.payment_affects_benefits FROM (\
           SELECT partner_id, paid_cents AS cents, 0 AS reimbursed FROM compensation \
           WHERE paid_on >= ?1 AND paid_on <= ?2 AND paid_cents > 0 \
           UNION ALL SELECT partner_id, cents, 1 FROM reimbursement WHERE reimbursed_on >= ?1 AND reimbursed_on <= ?2\
         ) AS m JOIN partner AS p ON p.id = m.partner_id ORDER BY m.partner_id",
        &[&from, &to],
        |row| {
            let id: i64 = row.get("partner_id")?;
            let amount: crate::domain::money::Money = row.get("cents")?;
            let reimbursed: bool = row.get("reimbursed")?;
            let entry = match out.get_mut(&id) {
                Some(entry) => entry,
                None => out.entry(id).or_insert(PartnerYear {
                    partner_id: id,
                    name: name_in(row, id, ["first_name", "last_name", "preferred_name"])?,
                    affects_benefits: row.get("payment_affects_benefits")?,
                    year: Default::default(),
                }),
            };
            if reimbursed {
                entry.year.reimburse(amount);
            } else {
                entry.year.pay(amount);
            }
            Ok(())
        },
    )?;
    Ok(out)
}
