//! Check-ins while an engagement runs (docs/rules.md, rules 8 and 9: check in regularly, and leave
//! no concern open silently): with whom, how it is going, concerns
//! and when they are followed up, and when the next check-in is due.

use super::kinds::vocabulary;
use super::money::{Hours, Money};
use chrono::NaiveDate;
use std::fmt;
use std::str::FromStr;

vocabulary!(
    /// Who a check-in was with.
    Party, "a party to a check-in" {
        Partner => "partner": "a selected patient partner",
        Requester => "requester": "the requester's point of contact",
        Team => "team": "the whole team",
    }
);

vocabulary!(
    /// How it is going.
    CheckinStatus, "a check-in status" {
        Good => "good": "going well",
        Concerns => "concerns": "a concern to follow up",
        Serious => "serious": "a serious concern: followed up from today",
    }
);

vocabulary!(
    /// The kind of a concern raised at a check-in.
    Concern, "a kind of concern" {
        Barrier => "barrier": "something in the way of taking part (access, schedule, technology, cost)",
        Conduct => "conduct": "someone's conduct: goes to the engagement leader at once",
        Wellbeing => "wellbeing": "the partner's wellbeing",
        Other => "other": "anything else",
    }
);

/// Who a check-in was with, as one value: a partner has an id, the others do not.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum With {
    Partner(i64),
    Requester,
    Team,
}

impl With {
    pub fn party(self) -> Party {
        match self {
            With::Partner(_) => Party::Partner,
            With::Requester => Party::Requester,
            With::Team => Party::Team,
        }
    }

    pub fn partner_id(self) -> Option<i64> {
        match self {
            With::Partner(id) => Some(id),
            _ => None,
        }
    }

    pub fn from_parts(party: Party, partner_id: Option<i64>) -> Option<With> {
        match (party, partner_id) {
            (Party::Partner, Some(id)) => Some(With::Partner(id)),
            (Party::Requester, None) => Some(With::Requester),
            (Party::Team, None) => Some(With::Team),
            _ => None,
        }
    }
}

impl fmt::Display for With {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            With::Partner(id) => write!(f, "partner {id}"),
            With::Requester => f.write_str("the requester"),
            With::Team => f.write_str("the team"),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Checkin {
    pub id: i64,
    pub request_id: i64,
    pub with: With,
    pub held_on: NaiveDate,
    pub status: CheckinStatus,
    pub concern: Option<Concern>,
    pub resolved_on: Option<NaiveDate>,
    pub resolution: Option<String>,
    pub hours: Hours,
    pub expenses: Money,
    pub expense_note: Option<String>,
    pub note: Option<String>,
    pub next_due: Option<NaiveDate>,
}

impl Checkin {
    /// The concern raised at this check-in while it is not resolved.
    pub fn open_concern(&self) -> Option<Concern> {
        if self.status == CheckinStatus::Good || self.resolved_on.is_some() {
            return None;
        }
        Some(self.concern.unwrap_or(Concern::Other))
    }

    /// When an open concern becomes a reminder (rule 9, no concern left open silently): a conduct
    /// concern, or any serious one, from the day it was raised; the others after `followup_days`.
    pub fn concern_due_on(&self, followup_days: u32) -> Option<NaiveDate> {
        let concern = self.open_concern()?;
        if concern == Concern::Conduct || self.status == CheckinStatus::Serious {
            Some(self.held_on)
        } else {
            Some(add_days(self.held_on, followup_days))
        }
    }
}

/// The day `days` after `day`, at most the last day the database keeps.
pub fn add_days(day: NaiveDate, days: u32) -> NaiveDate {
    super::dates::days_after_or_last(day, u64::from(days))
}

/// What the flags `--status` and `--concern` come to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StatusReading {
    Settled(CheckinStatus, Option<Concern>),
    /// A status of concerns or serious, without the kind of concern: ask, or name the flag.
    KindMissing(CheckinStatus),
}

/// Without a status a check-in went well, unless a concern was named: then it has concerns. A
/// concern with `good` contradicts itself and is refused; a concern status needs its kind, which
/// decides how soon it is followed up.
pub fn read_status(status: Option<CheckinStatus>, concern: Option<Concern>) -> Result<StatusReading, String> {
    match (status, concern) {
        (None, None) | (Some(CheckinStatus::Good), None) => Ok(StatusReading::Settled(CheckinStatus::Good, None)),
        (None, Some(c)) => Ok(StatusReading::Settled(CheckinStatus::Concerns, Some(c))),
        (Some(CheckinStatus::Good), Some(c)) => Err(format!(
            "--concern {c} does not go with --status good; a concern is raised with --status concerns or serious"
        )),
        (Some(s), Some(c)) => Ok(StatusReading::Settled(s, Some(c))),
        (Some(s), None) => Ok(StatusReading::KindMissing(s)),
    }
}

/// The next check-in: the day given, which must come after this one, or the request's cadence.
pub fn next_due(held_on: NaiveDate, every_days: u32, given: Option<NaiveDate>) -> Result<NaiveDate, String> {
    match given {
        Some(next) if next <= held_on => Err(format!(
            "--next {} is not after the check-in on {}; the next check-in comes after this one",
            super::dates::iso(next),
            super::dates::iso(held_on)
        )),
        Some(next) => Ok(next),
        None => super::dates::days_after(held_on, u64::from(every_days)).ok_or_else(|| {
            format!(
                "--on {} leaves no day for the next check-in: {every_days} days later is after {}, the last day engage keeps; pass --next DATE",
                super::dates::iso(held_on),
                super::dates::iso(super::dates::last_day())
            )
        }),
    }
}

/// When the next check-in with someone is due: from their last check-in (its next due date), or,
/// before the first, one cadence after `since` (the start of the engagement for them).
pub fn checkin_due_on(last: Option<&Checkin>, since: NaiveDate, every_days: u32) -> NaiveDate {
    match last {
        Some(c) => c.next_due.unwrap_or_else(|| add_days(c.held_on, every_days)),
        None => add_days(since, every_days),
    }
}

/// An engagement under way, as far as its check-ins go.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Underway {
    pub starts_on: Option<NaiveDate>,
    pub ends_on: Option<NaiveDate>,
    pub created_on: NaiveDate,
    pub every_days: u32,
}

/// A partner selected for an engagement, and when.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Chosen {
    pub partner_id: i64,
    pub decided_on: NaiveDate,
    pub forgotten: bool,
}

/// Someone due a check-in on an engagement under way.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CheckinDue {
    pub with: With,
    pub due_on: NaiveDate,
    /// The day of the last check-in with them, if any.
    pub last: Option<NaiveDate>,
    /// When the engagement started for them, the day the first check-in counts from.
    pub since: NaiveDate,
}

/// Who is due a check-in on an engagement under way, and when (rule 8, check in regularly): each
/// selected partner (not forgotten) one cadence after their last check-in, or after the engagement
/// started for them (`starts_on`, or the day they were selected if later); the requester likewise,
/// from `starts_on` or the first selection; the team only once a team check-in has set its rhythm.
/// A check-in that would fall after `ends_on` is not due: closing the loop takes over. `engage
/// checkin due` and the morning reminders both ask this.
pub fn checkins_due<'c>(
    e: &Underway,
    chosen: &[Chosen],
    latest: impl Fn(With) -> Option<&'c Checkin>,
) -> Vec<CheckinDue> {
    let first_decided = chosen.iter().map(|s| s.decided_on).min();
    let mut people: Vec<(With, NaiveDate)> = Vec::new();
    for s in chosen.iter().filter(|s| !s.forgotten) {
        let since = e.starts_on.map_or(s.decided_on, |start| start.max(s.decided_on));
        people.push((With::Partner(s.partner_id), since));
    }
    people.push((With::Requester, e.starts_on.or(first_decided).unwrap_or(e.created_on)));
    if latest(With::Team).is_some() {
        people.push((With::Team, e.created_on));
    }
    let mut out = Vec::new();
    for (with, since) in people {
        let last = latest(with);
        let due_on = checkin_due_on(last, since, e.every_days);
        if e.ends_on.is_some_and(|end| due_on > end) {
            continue;
        }
        out.push(CheckinDue { with, due_on, last: last.map(|c| c.held_on), since });
    }
    out
}

/// Days past due: positive when overdue, 0 on the day, negative when still to come.
pub fn days_overdue(due_on: NaiveDate, today: NaiveDate) -> i64 {
    (today - due_on).num_days()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn checkin(status: CheckinStatus, concern: Option<Concern>) -> Checkin {
        Checkin {
            id: 1,
            request_id: 1,
            with: With::Partner(4),
            held_on: d("2026-11-02"),
            status,
            concern,
            resolved_on: None,
            resolution: None,
            hours: Hours(0),
            expenses: Money(0),
            expense_note: None,
            note: None,
            next_due: Some(d("2026-12-02")),
        }
    }

    #[test]
    fn status_and_concern_read_as_documented() {
        use CheckinStatus::*;
        assert_eq!(read_status(None, None), Ok(StatusReading::Settled(Good, None)));
        assert_eq!(
            read_status(None, Some(Concern::Barrier)),
            Ok(StatusReading::Settled(Concerns, Some(Concern::Barrier)))
        );
        assert_eq!(
            read_status(Some(Serious), Some(Concern::Conduct)),
            Ok(StatusReading::Settled(Serious, Some(Concern::Conduct)))
        );
        assert_eq!(read_status(Some(Concerns), None), Ok(StatusReading::KindMissing(Concerns)));
        assert_eq!(
            read_status(Some(Good), Some(Concern::Wellbeing)).unwrap_err(),
            "--concern wellbeing does not go with --status good; a concern is raised with --status concerns or serious"
        );
    }

    #[test]
    fn the_next_check_in_follows_the_cadence_or_the_date_given() {
        assert_eq!(next_due(d("2026-11-02"), 30, None), Ok(d("2026-12-02")));
        assert_eq!(next_due(d("2026-11-02"), 14, Some(d("2026-11-09"))), Ok(d("2026-11-09")));
        assert_eq!(
            next_due(d("2026-11-02"), 30, Some(d("2026-11-02"))).unwrap_err(),
            "--next 2026-11-02 is not after the check-in on 2026-11-02; the next check-in comes after this one"
        );
    }

    #[test]
    fn conduct_and_serious_concerns_are_due_at_once_the_others_after_the_follow_up() {
        let conduct = checkin(CheckinStatus::Concerns, Some(Concern::Conduct));
        assert_eq!(conduct.concern_due_on(7), Some(d("2026-11-02")));
        let barrier = checkin(CheckinStatus::Concerns, Some(Concern::Barrier));
        assert_eq!(barrier.concern_due_on(7), Some(d("2026-11-09")));
        let serious = checkin(CheckinStatus::Serious, Some(Concern::Wellbeing));
        assert_eq!(serious.concern_due_on(7), Some(d("2026-11-02")));
        let resolved = Checkin { resolved_on: Some(d("2026-11-05")), ..conduct.clone() };
        assert_eq!(resolved.concern_due_on(7), None);
        assert_eq!(checkin(CheckinStatus::Good, None).concern_due_on(7), None);
    }

    #[test]
    fn check_ins_fall_due_from_the_last_one_or_from_the_start() {
        let last = checkin(CheckinStatus::Good, None);
        assert_eq!(checkin_due_on(Some(&last), d("2026-01-01"), 30), d("2026-12-02"));
        let without_next = Checkin { next_due: None, ..last };
        assert_eq!(checkin_due_on(Some(&without_next), d("2026-01-01"), 14), d("2026-11-16"));
        assert_eq!(checkin_due_on(None, d("2026-11-01"), 30), d("2026-12-01"));
        assert_eq!(days_overdue(d("2026-11-20"), d("2026-11-23")), 3);
        assert_eq!(days_overdue(d("2026-11-30"), d("2026-11-23")), -7);
    }

    #[test]
    fn partners_the_requester_and_the_team_fall_due_from_their_own_start() {
        let e = Underway {
            starts_on: Some(d("2026-10-01")),
            ends_on: Some(d("2026-12-15")),
            created_on: d("2026-08-01"),
            every_days: 30,
        };
        let chosen = [
            Chosen { partner_id: 4, decided_on: d("2026-09-20"), forgotten: false },
            // Selected after the start: the engagement starts for them when they were selected.
            Chosen { partner_id: 5, decided_on: d("2026-10-10"), forgotten: false },
            Chosen { partner_id: 6, decided_on: d("2026-09-20"), forgotten: true },
        ];
        let mut last = checkin(CheckinStatus::Good, None);
        last.with = With::Partner(4);
        last.held_on = d("2026-11-02");
        last.next_due = Some(d("2026-12-20")); // after ends_on: closing takes over
        let due = checkins_due(&e, &chosen, |with| (with == With::Partner(4)).then_some(&last));
        assert_eq!(
            due,
            vec![
                CheckinDue { with: With::Partner(5), due_on: d("2026-11-09"), last: None, since: d("2026-10-10") },
                CheckinDue { with: With::Requester, due_on: d("2026-10-31"), last: None, since: d("2026-10-01") },
            ]
        );
        // Without a start date the requester counts from the first selection; a team check-in
        // sets the team's rhythm.
        let open = Underway { starts_on: None, ends_on: None, ..e };
        let mut team = checkin(CheckinStatus::Good, None);
        team.with = With::Team;
        team.next_due = Some(d("2026-11-16"));
        let due = checkins_due(&open, &chosen[..1], |with| (with == With::Team).then_some(&team));
        assert_eq!(
            due.iter().map(|c| (c.with, c.due_on)).collect::<Vec<_>>(),
            vec![
                (With::Partner(4), d("2026-10-20")),
                (With::Requester, d("2026-10-20")),
                (With::Team, d("2026-11-16"))
            ]
        );
    }

    #[test]
    fn who_a_check_in_was_with_round_trips() {
        for with in [With::Partner(4), With::Requester, With::Team] {
            assert_eq!(With::from_parts(with.party(), with.partner_id()), Some(with));
        }
        assert_eq!(With::from_parts(Party::Partner, None), None);
        assert_eq!(With::from_parts(Party::Team, Some(3)), None);
        assert_eq!(With::Partner(4).to_string(), "partner 4");
    }
}
