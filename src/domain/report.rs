//! What the reports count (`report summary`, `participation`, `compensation`), defined
//! once: the period, what counts as an engagement in it, each request's tally, rates, the median
//! and the fair share of rule 5 of docs/rules.md (share opportunities fairly).

use super::compensation::{self, Account, Totals};
use super::dates::iso;
use super::kinds::{Community, Domain, Level, RequestStatus, Way};
use super::money::{Hours, Money};
use super::request::Pay;
use chrono::{Datelike, NaiveDate};
use std::collections::BTreeMap;

/// The days a report covers: from `from` (or the first record) to `to`, both included.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Period {
    pub from: Option<NaiveDate>,
    pub to: NaiveDate,
}

impl Period {
    /// A period from the flags; a start after the end is refused with the sentence to show.
    pub fn new(from: Option<NaiveDate>, to: NaiveDate) -> Result<Period, String> {
        match from {
            Some(f) if f > to => Err(format!(
                "--from {} is after --to {}; a period starts on or before the day it ends",
                iso(f),
                iso(to)
            )),
            _ => Ok(Period { from, to }),
        }
    }

    pub fn contains(&self, day: NaiveDate) -> bool {
        day <= self.to && self.from.is_none_or(|f| day >= f)
    }

    /// Whether something that ran from `start` to `end` (still running without one) ran during
    /// the period.
    pub fn overlaps(&self, start: NaiveDate, end: Option<NaiveDate>) -> bool {
        start <= self.to
            && match (self.from, end) {
                (Some(f), Some(e)) => e >= f,
                _ => true,
            }
    }

    /// `2026-01-01 to 2026-11-23`, `up to 2026-11-23`.
    pub fn words(&self) -> String {
        match self.from {
            Some(f) => format!("{} to {}", iso(f), iso(self.to)),
            None => format!("up to {}", iso(self.to)),
        }
    }

    /// The months the period spans, as `YYYY-MM`, from `first` when it has no start.
    pub fn months(&self, first: Option<NaiveDate>) -> Vec<String> {
        let Some(start) = self.from.or(first) else { return Vec::new() };
        let mut out = Vec::new();
        let (mut y, mut m) = (start.year(), start.month());
        let (end_y, end_m) = (self.to.year(), self.to.month());
        while (y, m) <= (end_y, end_m) {
            out.push(format!("{y:04}-{m:02}"));
            if m == 12 {
                y += 1;
                m = 1;
            } else {
                m += 1;
            }
        }
        out
    }
}

/// `YYYY-MM` of a day.
pub fn month_of(day: NaiveDate) -> String {
    format!("{:04}-{:02}", day.year(), day.month())
}

/// An engagement is a request, not cancelled, with partners selected. It runs from the first
/// decision (the day partners were engaged) to `ends_on`, or the day it closed; without either
/// it is still running.
pub fn engagement_span(
    first_decided_on: Option<NaiveDate>,
    ends_on: Option<NaiveDate>,
    closed_on: Option<NaiveDate>,
) -> Option<(NaiveDate, Option<NaiveDate>)> {
    let start = first_decided_on?;
    Some((start, ends_on.or(closed_on)))
}

/// What each request adds up to, kept current with the reminders so that a summary of a large
/// network reads one short row per request.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord)]
pub struct Tally {
    /// Invitations sent.
    pub invited: u32,
    /// Invitations answered.
    pub responded: u32,
    /// Responses saying they are interested (with or without an invitation).
    pub interested: u32,
    /// Partners selected.
    pub selected: u32,
    /// The first decision made.
    pub first_decided_on: Option<NaiveDate>,
    /// The selected partners' hours, owed, paid, still outstanding, expenses and reimbursements,
    /// as `engage close statement` adds them up.
    pub money: Totals,
}

impl Tally {
    pub fn with_accounts(mut self, accounts: &[Account], pay: Pay) -> Tally {
        self.selected = accounts.len() as u32;
        self.money = compensation::totals(accounts, pay);
        self
    }
}

/// `part` of `whole` as a percentage with one decimal, when there is a whole.
pub fn percent(part: u64, whole: u64) -> Option<f64> {
    if whole == 0 {
        return None;
    }
    Some((part as f64 * 1000.0 / whole as f64).round() / 10.0)
}

/// The median, with one decimal (the mean of the two middle values for an even count).
pub fn median(values: &mut [i64]) -> Option<f64> {
    if values.is_empty() {
        return None;
    }
    values.sort_unstable();
    let n = values.len();
    let middle = if n % 2 == 1 { values[n / 2] as f64 } else { (values[n / 2 - 1] + values[n / 2]) as f64 / 2.0 };
    Some((middle * 10.0).round() / 10.0)
}

/// The fair share of rule 5 (share opportunities fairly): the period's seats shared equally among
/// the partners who said they were interested. A partner with at least twice their fair share, and
/// two engagements or more, is over-used; one who said they were interested and has never been
/// selected is named too.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct FairShare {
    /// Engagements per interested partner, if seats were shared equally.
    pub share: f64,
}

impl FairShare {
    pub fn new(seats: u64, candidates: u64) -> FairShare {
        FairShare { share: if candidates == 0 { 0.0 } else { seats as f64 / candidates as f64 } }
    }

    /// A partner's engagements against their fair share: 1.0 is exactly their share.
    pub fn ratio(&self, engagements: u64) -> Option<f64> {
        if self.share == 0.0 {
            return None;
        }
        Some((engagements as f64 / self.share * 100.0).round() / 100.0)
    }

    /// `over-used`, `never selected`, or nothing.
    pub fn note(&self, engagements: u64, interested: u64, ever_selected: bool) -> Option<&'static str> {
        if engagements >= 2 && self.share > 0.0 && engagements as f64 >= 2.0 * self.share {
            Some("over-used")
        } else if interested > 0 && !ever_selected {
            Some("never selected")
        } else {
            None
        }
    }
}

/// The buckets of the participation distribution: engagements per partner, 5 and more together.
pub const BUCKETS: &[&str] = &["0", "1", "2", "3", "4", "5+"];

pub fn bucket(engagements: u64) -> usize {
    (engagements as usize).min(BUCKETS.len() - 1)
}

/// A request with what the summary reads of it: the row of `request_tally`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct RequestFigures {
    pub id: i64,
    pub status: RequestStatus,
    pub way: Way,
    pub created_on: NaiveDate,
    pub region: Option<String>,
    pub community: Option<Community>,
    /// Health Quality Ontario's domain and level (docs/rules.md, rule 12), when given.
    pub domain: Option<Domain>,
    pub level: Option<Level>,
    pub ends_on: Option<NaiveDate>,
    pub closed_on: Option<NaiveDate>,
    pub tally: Tally,
}

impl RequestFigures {
    /// When the engagement ran, if the request is one (not cancelled, partners selected).
    pub fn span(&self) -> Option<(NaiveDate, Option<NaiveDate>)> {
        self.days().span()
    }

    pub fn engaged_in(&self, period: &Period) -> bool {
        self.days().engaged_in(period)
    }

    pub fn days(&self) -> RequestDays {
        RequestDays {
            id: self.id,
            status: self.status,
            selected: self.tally.selected,
            created_on: self.created_on,
            first_decided_on: self.tally.first_decided_on,
            ends_on: self.ends_on,
            closed_on: self.closed_on,
        }
    }
}

/// Of a request's tally, what says whether it was received in a period and whether it is an
/// engagement in it: all that the participation and compensation reports read of it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RequestDays {
    pub id: i64,
    pub status: RequestStatus,
    pub selected: u32,
    pub created_on: NaiveDate,
    pub first_decided_on: Option<NaiveDate>,
    pub ends_on: Option<NaiveDate>,
    pub closed_on: Option<NaiveDate>,
}

impl RequestDays {
    /// When the engagement ran, if the request is one (not cancelled, partners selected).
    pub fn span(&self) -> Option<(NaiveDate, Option<NaiveDate>)> {
        if self.status == RequestStatus::Cancelled || self.selected == 0 {
            return None;
        }
        engagement_span(self.first_decided_on, self.ends_on, self.closed_on)
    }

    pub fn engaged_in(&self, period: &Period) -> bool {
        self.span().is_some_and(|(start, end)| period.overlaps(start, end))
    }
}

/// Partners in the network by status (those who joined by the end of the period, or with no
/// joining day), and those who joined during it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Network {
    pub active: u64,
    pub paused: u64,
    pub withdrawn: u64,
    pub forgotten: u64,
    pub new: u64,
}

/// Engagements and the partners' seats in them, for a way, a community type or a region.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Share {
    pub engagements: u64,
    pub seats: u64,
    pub hours: Hours,
    pub owed: Money,
    pub paid: Money,
}

impl Share {
    fn add(&mut self, r: &RequestFigures) {
        self.engagements += 1;
        self.seats += u64::from(r.tally.selected);
        self.hours.0 += r.tally.money.hours.0;
        self.owed.0 += r.tally.money.owed.0;
        self.paid.0 += r.tally.money.paid.0;
    }
}

/// The network's work in a period, at a glance.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Summary {
    /// Requests received in the period, by status today, then by way.
    pub received: u64,
    pub pipeline: BTreeMap<RequestStatus, BTreeMap<Way, u64>>,
    /// Of those, decided, and the median days from receiving a request to its first decision.
    pub decided: u64,
    pub median_days_to_selection: Option<f64>,
    pub invited: u64,
    pub responded: u64,
    pub interested: u64,
    pub selected: u64,
    pub network: Network,
    /// Engagements that ran during the period, and the partners engaged in them.
    pub engagements: u64,
    pub partners_engaged: u64,
    pub by_way: BTreeMap<Way, Share>,
    /// Their hours and money, as their statements add them up.
    pub money: Totals,
    /// Partners engaged or interested in the period, by their number of engagements in it.
    pub distribution: [u64; 6],
    /// Engagements by the request's community type and region (`None`: not given).
    pub by_community: BTreeMap<Option<Community>, Share>,
    pub by_region: BTreeMap<Option<String>, Share>,
    /// Engagements by the request's domain and level of partnering (`None`: not given).
    pub by_domain: BTreeMap<Option<Domain>, Share>,
    pub by_level: BTreeMap<Option<Level>, Share>,
    /// Compensation and reimbursements paid in each month of the period.
    pub months: Vec<(String, Money, Money)>,
}

/// A value for each id: in a vector indexed by the id while the ids are dense (as row ids are),
/// in a sorted map for those far past the rest or below zero, so that a report over a million
/// partners adds up in place rather than in a hash map. It grows as ids come, so they need not
/// be known first; an id never given a value reads as the default.
pub struct PerId<T> {
    dense: Vec<T>,
    /// How many times a value was asked for: the vector grows to an id only while the id is
    /// within four times as many (plus a margin), so a stray large id cannot make it huge.
    asked: usize,
    /// Only ids below zero or past the vector's end.
    sparse: BTreeMap<i64, T>,
}

impl<T: Default + Clone> Default for PerId<T> {
    fn default() -> PerId<T> {
        PerId { dense: Vec::new(), asked: 0, sparse: BTreeMap::new() }
    }
}

impl<T: Default + Clone> PerId<T> {
    /// For ids known to run up to `last` among `count` (the largest row id of their table and
    /// its rows): the vector is made that long at once, so that ids coming in no order are not
    /// kept aside while it grows; unless the ids are far from dense (a row id set by hand), when
    /// it grows as they come instead.
    pub fn up_to(last: i64, count: i64) -> PerId<T> {
        let dense = usize::try_from(last).ok().filter(|l| *l <= usize::try_from(count).unwrap_or(0) * 4 + 4096);
        let len = dense.map_or(0, |l| l + 1);
        PerId { dense: vec![T::default(); len], asked: len, ..PerId::default() }
    }

    /// The value of `id`, to change in place.
    pub fn at(&mut self, id: i64) -> &mut T {
        self.asked += 1;
        let Ok(i) = usize::try_from(id) else { return self.sparse.entry(id).or_default() };
        if i >= self.dense.len() {
            if i > self.asked.saturating_mul(4) + 4096 {
                return self.sparse.entry(id).or_default();
            }
            let from = self.dense.len();
            self.dense.resize(i + 1, T::default());
            // What the map held for the ids the vector now covers moves into it.
            let moved: Vec<i64> = self.sparse.range(from as i64..=id).map(|(k, _)| *k).collect();
            for k in moved {
                if let Some(v) = self.sparse.remove(&k) {
                    self.dense[k as usize] = v;
                }
            }
        }
        &mut self.dense[i]
    }

    /// The value of `id`, if it was ever given one (or was passed over by one given later).
    pub fn get(&self, id: i64) -> Option<&T> {
        match usize::try_from(id).ok().and_then(|i| self.dense.get(i)) {
            Some(v) => Some(v),
            None => self.sparse.get(&id),
        }
    }

    /// Every id with its value, by id (ids below the largest never given a value among them,
    /// with the default).
    pub fn iter(&self) -> impl Iterator<Item = (i64, &T)> {
        let end = self.dense.len() as i64;
        self.sparse
            .range(..0)
            .map(|(k, v)| (*k, v))
            .chain(self.dense.iter().enumerate().map(|(i, v)| (i as i64, v)))
            .chain(self.sparse.range(end.max(0)..).map(|(k, v)| (*k, v)))
    }
}

/// Which ids are marked.
#[derive(Default)]
pub struct Marks(PerId<bool>);

impl Marks {
    pub fn mark(&mut self, id: i64) {
        *self.0.at(id) = true;
    }

    pub fn has(&self, id: i64) -> bool {
        self.0.get(id) == Some(&true)
    }
}

/// Money paid in each month (`YYYY-MM`): compensation, then reimbursements.
pub type Months = BTreeMap<String, (Money, Money)>;

/// Adds up the summary as its figures are read, each once and none of them held: every request
/// (its tally row) first, then every selected partner's seat and every expression of interest,
/// then the network's counts and what was paid.
pub struct Summing {
    period: Period,
    s: Summary,
    days_to_selection: Vec<i64>,
    received: Marks,
    engaged: Marks,
    /// The partner of each seat on an engagement in the period.
    seats: Vec<i64>,
    /// The partners interested in a request received in the period.
    candidates: Vec<i64>,
}

impl Summing {
    pub fn new(period: Period) -> Summing {
        Summing {
            period,
            s: Summary::default(),
            days_to_selection: Vec::new(),
            received: Marks::default(),
            engaged: Marks::default(),
            seats: Vec::new(),
            candidates: Vec::new(),
        }
    }

    /// A request with its tally; every request comes before any seat or interest.
    pub fn request(&mut self, r: &RequestFigures) {
        let s = &mut self.s;
        if self.period.contains(r.created_on) {
            self.received.mark(r.id);
            s.received += 1;
            *s.pipeline.entry(r.status).or_default().entry(r.way).or_default() += 1;
            s.invited += u64::from(r.tally.invited);
            s.responded += u64::from(r.tally.responded);
            s.interested += u64::from(r.tally.interested);
            s.selected += u64::from(r.tally.selected);
            if let Some(decided) = r.tally.first_decided_on {
                s.decided += 1;
                self.days_to_selection.push((decided - r.created_on).num_days());
            }
        }
        if r.engaged_in(&self.period) {
            self.engaged.mark(r.id);
            s.engagements += 1;
            s.by_way.entry(r.way).or_default().add(r);
            s.by_community.entry(r.community).or_default().add(r);
            match s.by_region.get_mut(&r.region) {
                Some(share) => share.add(r),
                None => s.by_region.entry(r.region.clone()).or_default().add(r),
            }
            s.by_domain.entry(r.domain).or_default().add(r);
            s.by_level.entry(r.level).or_default().add(r);
            s.money.add(r.tally.money);
        }
    }

    /// A partner selected (with an account) on a request.
    pub fn seat(&mut self, request: i64, partner: i64) {
        if self.engaged.has(request) {
            self.seats.push(partner);
        }
    }

    /// A partner who said they were interested in a request.
    pub fn interest(&mut self, partner: i64, request: i64) {
        if self.received.has(request) {
            self.candidates.push(partner);
        }
    }

    /// The summary, with the network's counts, what was paid in each month of the period and the
    /// first day anything was paid.
    pub fn finish(mut self, network: Network, paid: &Months, first_paid: Option<NaiveDate>) -> Summary {
        let mut s = self.s;
        s.network = network;
        s.median_days_to_selection = median(&mut self.days_to_selection);
        // Partners by their engagements in the period, and those interested but not engaged:
        // sorted lists rather than hash maps, as a large network has hundreds of thousands of each.
        self.seats.sort_unstable();
        let mut counts: Vec<(i64, u64)> = Vec::new();
        for partner in self.seats {
            match counts.last_mut() {
                Some((p, n)) if *p == partner => *n += 1,
                _ => counts.push((partner, 1)),
            }
        }
        s.partners_engaged = counts.len() as u64;
        for (_, n) in &counts {
            s.distribution[bucket(*n)] += 1;
        }
        self.candidates.sort_unstable();
        self.candidates.dedup();
        let never = self.candidates.iter().filter(|p| counts.binary_search_by_key(*p, |(id, _)| *id).is_err()).count();
        s.distribution[0] += never as u64;
        let mut months: Months =
            self.period.months(first_paid).into_iter().map(|m| (m, (Money(0), Money(0)))).collect();
        for (month, (p, r)) in paid {
            let m = months.entry(month.clone()).or_default();
            m.0.0 += p.0;
            m.1.0 += r.0;
        }
        s.months = months.into_iter().map(|(m, (p, r))| (m, p, r)).collect();
        s
    }
}

/// One partner's line in the participation report.
#[derive(Debug, Clone, PartialEq)]
pub struct Participant {
    pub partner_id: i64,
    pub name: String,
    /// The partner's status as written (`active`), or nothing for a partner without a row.
    pub status: &'static str,
    pub region: Option<String>,
    pub community: Option<Community>,
    pub invitations: u64,
    pub interested: u64,
    pub engagements: u64,
    pub hours: Hours,
    pub last_engaged: Option<NaiveDate>,
    pub share_percent: Option<f64>,
    pub fair_share: Option<f64>,
    pub note: Option<&'static str>,
}

/// The participation report: its partners, most engaged first, and what it adds up to.
pub struct Participation {
    pub partners: Vec<Participant>,
    pub seats: u64,
    pub engagements: u64,
    pub fair: FairShare,
    pub distribution: [u64; 6],
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn a_period_runs_from_its_first_to_its_last_day() {
        let p = Period::new(Some(d("2026-01-01")), d("2026-03-31")).unwrap();
        assert!(p.contains(d("2026-01-01")) && p.contains(d("2026-03-31")));
        assert!(!p.contains(d("2025-12-31")) && !p.contains(d("2026-04-01")));
        assert!(p.overlaps(d("2025-06-01"), Some(d("2026-01-01"))));
        assert!(!p.overlaps(d("2025-06-01"), Some(d("2025-12-31"))));
        assert!(p.overlaps(d("2025-06-01"), None));
        assert!(!p.overlaps(d("2026-04-01"), None));
        assert_eq!(p.months(None), vec!["2026-01", "2026-02", "2026-03"]);
        assert_eq!(p.words(), "2026-01-01 to 2026-03-31");
        let all = Period::new(None, d("2026-02-10")).unwrap();
        assert_eq!(all.months(Some(d("2025-12-15"))), vec!["2025-12", "2026-01", "2026-02"]);
        assert_eq!(all.words(), "up to 2026-02-10");
        assert_eq!(
            Period::new(Some(d("2026-04-01")), d("2026-03-31")).unwrap_err(),
            "--from 2026-04-01 is after --to 2026-03-31; a period starts on or before the day it ends"
        );
    }

    #[test]
    fn a_value_per_id_dense_or_far_past_the_rest() {
        let mut per: PerId<u32> = PerId::default();
        *per.at(3) += 1;
        *per.at(3) += 1;
        // Far past what was asked for: kept aside, not in a vector of ten million.
        *per.at(10_000_000) += 5;
        *per.at(-2) += 7;
        assert!(per.dense.len() < 10_000);
        assert_eq!(per.get(3), Some(&2));
        assert_eq!(per.get(10_000_000), Some(&5));
        assert_eq!(per.get(-2), Some(&7));
        assert_eq!(per.get(4), None);
        // Once the vector grows past an id kept aside, its value moves into it.
        *per.at(10_000) += 4;
        assert!(per.sparse.contains_key(&10_000));
        for _ in 0..1500 {
            per.at(1);
        }
        *per.at(10_000) += 1;
        assert_eq!(per.get(10_000), Some(&5));
        assert!(per.sparse.keys().all(|k| *k < 0 || *k >= per.dense.len() as i64));
        let set: Vec<(i64, u32)> = per.iter().filter(|(_, v)| **v > 0).map(|(k, v)| (k, *v)).collect();
        assert_eq!(set, vec![(-2, 7), (3, 2), (10_000, 5), (10_000_000, 5)]);
        let mut known: PerId<u8> = PerId::up_to(1_000, 900);
        *known.at(999) += 1;
        *known.at(1) += 1;
        assert!(known.sparse.is_empty() && known.dense.len() == 1_001);
        // A largest id far past the rows there are is not a vector that long.
        let stray: PerId<u8> = PerId::up_to(1 << 40, 10);
        assert!(stray.dense.is_empty());
        let mut marks = Marks::default();
        marks.mark(7);
        marks.mark(1 << 40);
        assert!(marks.has(7) && marks.has(1 << 40) && !marks.has(6) && !marks.has(8) && !marks.has(-1));
    }

    #[test]
    fn medians_rates_and_fair_shares() {
        assert_eq!(median(&mut [9, 3, 5]), Some(5.0));
        assert_eq!(median(&mut [9, 3, 5, 4]), Some(4.5));
        assert_eq!(median(&mut []), None);
        assert_eq!(percent(1, 3), Some(33.3));
        assert_eq!(percent(2, 3), Some(66.7));
        assert_eq!(percent(1, 0), None);
        // 4 seats among 8 interested partners: half an engagement each.
        let fair = FairShare::new(4, 8);
        assert_eq!(fair.ratio(1), Some(2.0));
        assert_eq!(fair.note(2, 2, true), Some("over-used"));
        assert_eq!(fair.note(1, 1, true), None);
        assert_eq!(fair.note(0, 3, false), Some("never selected"));
        assert_eq!(fair.note(0, 3, true), None);
        assert_eq!(bucket(0), 0);
        assert_eq!(bucket(7), 5);
    }
}
