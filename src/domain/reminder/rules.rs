//! The rules: every reminder a request has, from its facts alone (the table in the module's
//! comment above says when each kind is due).

use super::{
    AHEAD_DAYS, Decided, Detail, Facts, Item, Kind, Lack, Owing, RECRUITMENT_AHEAD_DAYS, Settings, minus, plus,
};
use crate::domain::checkin::{self, CheckinStatus, Chosen, Concern, Underway, With};
use crate::domain::compensation::Standing;
use crate::domain::kinds::{PartnerStatus, RequestStatus};
use crate::domain::selection::{Commitments, Outcome, Step, commitments};
use crate::domain::shape::Shape;
use chrono::NaiveDate;

/// The day an engagement starts for a partner selected on `decided_on`.
pub fn start_for(starts_on: Option<NaiveDate>, decided_on: NaiveDate) -> NaiveDate {
    starts_on.map_or(decided_on, |s| s.max(decided_on))
}

/// Every reminder a request has, whatever the day.
pub fn of(f: &Facts, s: &Settings) -> Vec<Item> {
    use RequestStatus::*;
    let mut out = Vec::new();
    if f.status == Submitted {
        let due = plus(f.created_on, u64::from(s.review_within_days));
        let mut item = Item::new(Kind::RequestAwaitingReview, f, due, due);
        item.since = Some(f.created_on);
        if f.shape == Shape::Notice {
            item.detail = Some(Detail::Notice);
        }
        out.push(item);
    }
    if !f.shape.selects() {
        out.extend(notice(f));
        out.sort();
        return out;
    }
    let undecided = matches!(f.status, Submitted | Recruiting | Selecting) && f.decisions.is_empty();
    if undecided && f.interested < f.seats {
        let mut item = Item::new(Kind::RecruitmentShort, f, minus(f.respond_by, RECRUITMENT_AHEAD_DAYS), f.respond_by);
        item.count = Some(i64::from(f.interested));
        item.total = Some(i64::from(f.seats));
        out.push(item);
    }
    if undecided {
        let mut item = Item::new(Kind::SelectionDue, f, plus(f.respond_by, 1), f.select_by);
        item.count = Some(i64::from(f.interested));
        item.since = Some(f.respond_by);
        out.push(item);
    }
    if f.status != Cancelled {
        let untold: Vec<&Decided> = f.decisions.iter().filter(|d| d.decision.notified_on.is_none()).collect();
        if let Some(first) = untold.iter().map(|d| d.decision.decided_on).min() {
            let mut item = Item::new(Kind::NotifyDue, f, first, first);
            item.count = Some(untold.len() as i64);
            out.push(item);
        }
    }
    let selected: Vec<&Decided> = f
        .decisions
        .iter()
        .filter(|d| d.decision.outcome == Outcome::Selected && d.partner_status != PartnerStatus::Forgotten)
        .collect();
    if f.status == Active {
        for d in &selected {
            let partner_id = d.decision.partner_id;
            let start = start_for(f.starts_on, d.decision.decided_on);
            let open: Vec<Step> =
                Step::ALL.iter().copied().filter(|step| d.decision.step_on(*step).is_none()).collect();
            if !open.is_empty() {
                let mut item =
                    Item::new(Kind::OnboardingDue, f, minus(start, AHEAD_DAYS), start).partner(partner_id, &d.name);
                item.detail = Some(Detail::Onboarding { open });
                out.push(item);
            }
            if let Some(item) = commitments_item(f, s, d, start) {
                out.push(item);
            }
        }
        let underway = Underway {
            starts_on: f.starts_on,
            ends_on: f.ends_on,
            created_on: f.created_on,
            every_days: f.checkin_every_days,
        };
        // A one-off has no check-ins (src/domain/shape.rs): none is ever due.
        let checks_in = f.shape.checks_in();
        let chosen: Vec<Chosen> = f
            .decisions
            .iter()
            .filter(|d| d.decision.outcome == Outcome::Selected)
            .map(|d| Chosen {
                partner_id: d.decision.partner_id,
                decided_on: d.decision.decided_on,
                forgotten: d.partner_status == PartnerStatus::Forgotten,
            })
            .collect();
        let latest = |with: With| f.latest.iter().find(|c| c.with == with);
        for due in checkin::checkins_due(&underway, &chosen, latest).into_iter().filter(|_| checks_in) {
            let name = selected.iter().find(|d| Some(d.decision.partner_id) == due.with.partner_id());
            let mut item =
                Item::new(Kind::CheckinDue, f, due.due_on, due.due_on).with(due.with, name.map(|d| d.name.as_str()), f);
            // The last check-in, or before the first, the day the engagement started for them.
            item.since = Some(due.last.unwrap_or(due.since));
            item.detail = Some(Detail::Checkin { first: due.last.is_none() });
            out.push(item);
        }
        // About the loop's own steps only: money is followed by payment_due and reimbursement_due.
        if let Some(end) = end_of(f).filter(|_| f.loop_open) {
            let day_after = plus(end, 1);
            let mut item = Item::new(Kind::CloseDue, f, day_after, day_after);
            item.since = Some(end);
            out.push(item);
        }
    }
    for (c, name) in &f.open_concerns {
        let Some(due) = c.concern_due_on(s.concern_followup_days) else { continue };
        let mut item = Item::new(Kind::ConcernOpen, f, due, due).with(c.with, name.as_deref(), f);
        item.checkin_id = Some(c.id);
        item.since = Some(c.held_on);
        let concern = c.open_concern().unwrap_or(Concern::Other);
        item.detail = Some(Detail::Concern { concern, serious: c.status == CheckinStatus::Serious });
        out.push(item);
    }
    let end = end_of(f).or(f.closed_on);
    if let (Some(end), true) = (end, matches!(f.status, Active | Closed)) {
        let due = plus(end, u64::from(s.payment_within_days));
        // Every account is paid for its hours, whatever became of the partner: selected, withdrew
        // (paid for the hours logged), or decided otherwise after being paid.
        for a in f.accounts.iter().filter(|a| !a.forgotten) {
            let standing = a.standing(f.pay);
            if !standing.settled() {
                let mut item = Item::new(Kind::PaymentDue, f, due, due).partner(a.partner_id, &a.name);
                item.since = Some(end);
                let (amount, standing) = match standing {
                    Standing::NoHours => (f.pay.hourly().unwrap_or_default(), Owing::NoHours),
                    Standing::Offered => (a.owed(f.pay), Owing::Offered),
                    _ => (a.owed(f.pay), Owing::Owed),
                };
                item.amount = Some(amount);
                item.detail = Some(Detail::Payment { standing });
                out.push(item);
            }
            let outstanding = a.expenses_outstanding();
            if outstanding.cents() > 0 {
                let mut item = Item::new(Kind::ReimbursementDue, f, due, due).partner(a.partner_id, &a.name);
                item.since = Some(end);
                item.amount = Some(outstanding);
                out.push(item);
            }
        }
    }
    out.sort();
    out
}

/// The day the engagement ends: `ends_on`, or for a one-off without one, the day it is held.
fn end_of(f: &Facts) -> Option<NaiveDate> {
    f.ends_on.or(f.starts_on.filter(|_| f.shape == Shape::OneOff))
}

/// What an inform notice is reminded of once it has gone out: closing, the day after it ran
/// (`ends_on`, or else the day responses were due), while a step of its loop is open.
fn notice(f: &Facts) -> Vec<Item> {
    let mut out = Vec::new();
    if f.status == RequestStatus::Recruiting && f.loop_open {
        let end = f.ends_on.unwrap_or(f.respond_by);
        let mut item = Item::new(Kind::CloseDue, f, plus(end, 1), plus(end, 1));
        item.since = Some(end);
        item.detail = Some(Detail::Notice);
        out.push(item);
    }
    out
}

/// The commitments and record check of a selected partner (rule 6): due at the start when the
/// signature is missing or lapsed by then, or when a required record check is missing; due the
/// day the signature lapses when that falls during the engagement.
fn commitments_item(f: &Facts, s: &Settings, d: &Decided, start: NaiveDate) -> Option<Item> {
    let mut missing: Vec<Lack> = Vec::new();
    let mut due = None;
    let mut lapses = None;
    match commitments(d.commitments_signed_on, start, s.commitments_valid_days) {
        Commitments::Missing => {
            missing.push(Lack::CommitmentsMissing);
            due = Some(start);
        }
        Commitments::Expired { expires_on, .. } => {
            missing.push(Lack::CommitmentsLapsed);
            lapses = Some(expires_on);
            due = Some(start);
        }
        Commitments::Valid { expires_on, .. } => {
            if f.ends_on.is_none_or(|end| expires_on <= end) {
                missing.push(Lack::CommitmentsLapse);
                lapses = Some(expires_on);
                due = Some(expires_on);
            }
        }
    }
    // A record check expires like a signature (SPEC §10): `record_check_valid_days` after it.
    let mut check_lapses = None;
    if f.record_check_required {
        match commitments(d.record_check_on, start, s.record_check_valid_days) {
            Commitments::Missing => {
                missing.push(Lack::RecordCheck);
                due = Some(due.map_or(start, |day: NaiveDate| day.min(start)));
            }
            Commitments::Expired { expires_on, .. } => {
                missing.push(Lack::RecordCheckLapsed);
                check_lapses = Some(expires_on);
                due = Some(due.map_or(start, |day: NaiveDate| day.min(start)));
            }
            Commitments::Valid { expires_on, .. } => {
                if f.ends_on.is_none_or(|end| expires_on <= end) {
                    missing.push(Lack::RecordCheckLapse);
                    check_lapses = Some(expires_on);
                    due = Some(due.map_or(expires_on, |day: NaiveDate| day.min(expires_on)));
                }
            }
        }
    }
    let due = due?;
    let lapses = match (lapses, check_lapses) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    };
    let mut item =
        Item::new(Kind::CommitmentsMissing, f, minus(due, AHEAD_DAYS), due).partner(d.decision.partner_id, &d.name);
    item.since = lapses;
    item.detail = Some(Detail::Commitments { missing });
    Some(item)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::checkin::{Checkin, Party};
    use crate::domain::compensation::Account;
    use crate::domain::money::{Hours, Money};
    use crate::domain::request::Pay;
    use crate::domain::selection::Decision;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    const SETTINGS: Settings = Settings {
        review_within_days: 5,
        commitments_valid_days: 730,
        record_check_valid_days: 1095,
        payment_within_days: 30,
        concern_followup_days: 7,
    };

    fn facts(status: RequestStatus) -> Facts {
        Facts {
            request_id: 3,
            title: "Discharge co-design".to_string(),
            organization: "Fraser Health".to_string(),
            contact_name: "Lee Wong".to_string(),
            status,
            created_on: d("2026-11-01"),
            respond_by: d("2026-11-15"),
            select_by: d("2026-11-22"),
            starts_on: Some(d("2026-12-01")),
            ends_on: Some(d("2027-03-31")),
            closed_on: None,
            seats: 2,
            pay: Pay::WayRate(Money(5_000)),
            record_check_required: false,
            checkin_every_days: 30,
            shape: Shape::Whole,
            interested: 0,
            decisions: Vec::new(),
            latest: Vec::new(),
            open_concerns: Vec::new(),
            accounts: Vec::new(),
            loop_open: true,
        }
    }

    fn selected(partner_id: i64, decided_on: &str) -> Decided {
        Decided {
            decision: Decision {
                request_id: 3,
                partner_id,
                outcome: Outcome::Selected,
                reason: None,
                decided_on: d(decided_on),
                notified_on: Some(d(decided_on)),
                welcomed_on: Some(d(decided_on)),
                oriented_on: Some(d(decided_on)),
                introduced_on: Some(d(decided_on)),
            },
            name: format!("Partner {partner_id}"),
            partner_status: PartnerStatus::Active,
            commitments_signed_on: Some(d(decided_on)),
            record_check_on: None,
        }
    }

    fn kinds(items: &[Item]) -> Vec<(Kind, Option<i64>, NaiveDate, NaiveDate)> {
        items.iter().map(|i| (i.kind, i.partner_id, i.shown_from, i.due_on)).collect()
    }

    #[test]
    fn a_new_request_awaits_review_then_falls_short_then_needs_selecting() {
        let items = of(&facts(RequestStatus::Submitted), &SETTINGS);
        assert_eq!(
            kinds(&items),
            vec![
                (Kind::RequestAwaitingReview, None, d("2026-11-06"), d("2026-11-06")),
                (Kind::RecruitmentShort, None, d("2026-11-12"), d("2026-11-15")),
                (Kind::SelectionDue, None, d("2026-11-16"), d("2026-11-22")),
            ]
        );
        assert_eq!((items[1].count, items[1].total), (Some(0), Some(2)));
        let enough = Facts { interested: 2, ..facts(RequestStatus::Recruiting) };
        assert_eq!(kinds(&of(&enough, &SETTINGS)), vec![(Kind::SelectionDue, None, d("2026-11-16"), d("2026-11-22"))]);
        assert_eq!(of(&enough, &SETTINGS)[0].count, Some(2));
        assert!(of(&facts(RequestStatus::Cancelled), &SETTINGS).is_empty());
    }

    #[test]
    fn a_decision_is_told_onboarded_and_signed_for() {
        let mut f = facts(RequestStatus::Active);
        let mut ana = selected(1, "2026-11-20");
        ana.decision.notified_on = None;
        ana.decision.oriented_on = None;
        ana.decision.introduced_on = None;
        ana.commitments_signed_on = None;
        let mut ben = selected(2, "2026-11-20");
        ben.decision.outcome = Outcome::NotSelected;
        ben.decision.notified_on = None;
        f.decisions = vec![ana, ben];
        f.record_check_required = true;
        f.ends_on = None;
        let items: Vec<Item> =
            of(&f, &SETTINGS).into_iter().filter(|i| i.kind != Kind::CheckinDue && i.kind != Kind::CloseDue).collect();
        assert_eq!(
            kinds(&items),
            vec![
                (Kind::NotifyDue, None, d("2026-11-20"), d("2026-11-20")),
                (Kind::OnboardingDue, Some(1), d("2026-11-24"), d("2026-12-01")),
                (Kind::CommitmentsMissing, Some(1), d("2026-11-24"), d("2026-12-01")),
            ]
        );
        assert_eq!(items[0].count, Some(2));
        assert_eq!(items[1].detail, Some(Detail::Onboarding { open: vec![Step::Oriented, Step::Introduced] }));
        assert_eq!(
            items[2].detail,
            Some(Detail::Commitments { missing: vec![Lack::CommitmentsMissing, Lack::RecordCheck] })
        );
    }

    #[test]
    fn a_signature_lapsing_during_the_engagement_is_due_the_day_it_lapses() {
        let mut f = facts(RequestStatus::Active);
        let mut ana = selected(1, "2026-11-20");
        ana.commitments_signed_on = Some(d("2025-03-01")); // lapses 2027-03-01, before ends_on
        let mut ben = selected(2, "2026-11-20");
        ben.commitments_signed_on = Some(d("2024-11-01")); // lapsed 2026-11-01, before the start
        f.decisions = vec![ana, ben];
        let items: Vec<Item> = of(&f, &SETTINGS).into_iter().filter(|i| i.kind == Kind::CommitmentsMissing).collect();
        assert_eq!(
            kinds(&items),
            vec![
                (Kind::CommitmentsMissing, Some(1), d("2027-02-22"), d("2027-03-01")),
                (Kind::CommitmentsMissing, Some(2), d("2026-11-24"), d("2026-12-01")),
            ]
        );
        let missing = |lack: Lack| Some(Detail::Commitments { missing: vec![lack] });
        assert_eq!((items[0].since, items[0].detail.clone()), (Some(d("2027-03-01")), missing(Lack::CommitmentsLapse)));
        assert_eq!(
            (items[1].since, items[1].detail.clone()),
            (Some(d("2026-11-01")), missing(Lack::CommitmentsLapsed))
        );
    }

    #[test]
    fn a_record_check_lapsing_before_or_during_the_engagement_is_missing() {
        let mut f = facts(RequestStatus::Active);
        f.record_check_required = true;
        let mut ana = selected(1, "2026-11-20");
        ana.record_check_on = Some(d("2024-06-01")); // lapses 2027-06-01, after ends_on 2027-03-31
        let mut ben = selected(2, "2026-11-20");
        ben.record_check_on = Some(d("2024-03-01")); // lapses 2027-03-01, during the engagement
        let mut cy = selected(3, "2026-11-20");
        cy.record_check_on = Some(d("2023-11-01")); // lapsed 2026-10-31, before the start
        f.decisions = vec![ana, ben, cy];
        let items: Vec<Item> = of(&f, &SETTINGS).into_iter().filter(|i| i.kind == Kind::CommitmentsMissing).collect();
        assert_eq!(
            kinds(&items),
            vec![
                (Kind::CommitmentsMissing, Some(2), d("2027-02-22"), d("2027-03-01")),
                (Kind::CommitmentsMissing, Some(3), d("2026-11-24"), d("2026-12-01")),
            ]
        );
        let missing = |lack: Lack| Some(Detail::Commitments { missing: vec![lack] });
        assert_eq!((items[0].since, items[0].detail.clone()), (Some(d("2027-03-01")), missing(Lack::RecordCheckLapse)));
        assert_eq!(
            (items[1].since, items[1].detail.clone()),
            (Some(d("2026-10-31")), missing(Lack::RecordCheckLapsed))
        );
        let said = super::super::message(&items[0], d("2027-02-22"));
        assert!(
            said.contains("their criminal record check lapses on 2027-03-01 (in 7 days), during the engagement"),
            "{said}"
        );
        assert!(said.ends_with("`engage select onboard 3 2 --record-check DATE`"), "{said}");
    }

    #[test]
    fn the_end_brings_closing_then_payment_and_reimbursement() {
        let mut f = facts(RequestStatus::Active);
        f.decisions = vec![selected(1, "2026-11-20"), selected(2, "2026-11-20"), selected(4, "2026-11-20")];
        f.accounts = vec![
            Account { partner_id: 1, hours: Hours(4_000), expenses: Money(3_250), ..Account::default() },
            Account { partner_id: 2, ..Account::default() },
            Account { partner_id: 4, hours: Hours(100), declined: true, ..Account::default() },
        ];
        let items: Vec<Item> = of(&f, &SETTINGS).into_iter().filter(|i| i.kind != Kind::CheckinDue).collect();
        assert_eq!(
            kinds(&items),
            vec![
                (Kind::CloseDue, None, d("2027-04-01"), d("2027-04-01")),
                (Kind::PaymentDue, Some(1), d("2027-04-30"), d("2027-04-30")),
                (Kind::PaymentDue, Some(2), d("2027-04-30"), d("2027-04-30")),
                (Kind::ReimbursementDue, Some(1), d("2027-04-30"), d("2027-04-30")),
            ]
        );
        let standing = |standing: Owing| Some(Detail::Payment { standing });
        assert_eq!((items[1].amount, items[1].detail.clone()), (Some(Money(200_000)), standing(Owing::Owed)));
        // No hours logged: the message names the hourly rate.
        assert_eq!((items[2].amount, items[2].detail.clone()), (Some(Money(5_000)), standing(Owing::NoHours)));
        assert_eq!(items[3].amount, Some(Money(3_250)));
        // Once closed, payment stays due; closing does not.
        f.status = RequestStatus::Closed;
        f.closed_on = Some(d("2027-04-02"));
        assert_eq!(
            of(&f, &SETTINGS).iter().map(|i| i.kind).collect::<Vec<_>>(),
            vec![Kind::PaymentDue, Kind::PaymentDue, Kind::ReimbursementDue]
        );
    }

    #[test]
    fn closing_is_due_for_the_loop_and_money_for_everyone_who_took_part() {
        use crate::domain::compensation::Method;
        let mut f = facts(RequestStatus::Active);
        f.decisions = vec![selected(1, "2026-11-20")];
        f.accounts = vec![
            // Withdrew after 6 hours: owed for them.
            Account { partner_id: 1, outcome: Outcome::Withdrew, hours: Hours(600), ..Account::default() },
            // Withdrew before any hours: nothing owed.
            Account { partner_id: 2, outcome: Outcome::Withdrew, ..Account::default() },
            // Paid, then not selected: settled, and expenses logged since the reimbursement are due.
            Account {
                partner_id: 3,
                outcome: Outcome::NotSelected,
                hours: Hours(1_400),
                method: Some(Method::Cheque),
                paid_on: Some(d("2027-01-10")),
                paid: Some(Money(70_000)),
                expenses: Money(5_250),
                reimbursed_on: Some(d("2027-01-10")),
                reimbursed: Some(Money(3_250)),
                ..Account::default()
            },
            Account { partner_id: 4, hours: Hours(100), forgotten: true, ..Account::default() },
        ];
        f.loop_open = false;
        let items: Vec<Item> = of(&f, &SETTINGS).into_iter().filter(|i| i.kind != Kind::CheckinDue).collect();
        assert_eq!(
            kinds(&items),
            vec![
                (Kind::PaymentDue, Some(1), d("2027-04-30"), d("2027-04-30")),
                (Kind::ReimbursementDue, Some(3), d("2027-04-30"), d("2027-04-30")),
            ]
        );
        assert_eq!(items[0].amount, Some(Money(30_000)));
        assert_eq!(items[1].amount, Some(Money(2_000)));
        f.loop_open = true;
        assert!(of(&f, &SETTINGS).iter().any(|i| i.kind == Kind::CloseDue));
    }

    #[test]
    fn an_inform_notice_is_reminded_to_go_out_then_to_close_and_of_nothing_else() {
        let mut f = Facts { shape: Shape::Notice, ends_on: None, starts_on: None, ..facts(RequestStatus::Submitted) };
        let items = of(&f, &SETTINGS);
        assert_eq!(kinds(&items), vec![(Kind::RequestAwaitingReview, None, d("2026-11-06"), d("2026-11-06"))]);
        assert_eq!(items[0].detail, Some(Detail::Notice));
        // Sent: nothing to recruit, select or tell; closing once responses were due.
        f.status = RequestStatus::Recruiting;
        let items = of(&f, &SETTINGS);
        assert_eq!(kinds(&items), vec![(Kind::CloseDue, None, d("2026-11-16"), d("2026-11-16"))]);
        assert_eq!((items[0].since, items[0].detail.clone()), (Some(d("2026-11-15")), Some(Detail::Notice)));
        f.ends_on = Some(d("2026-12-31"));
        assert_eq!(kinds(&of(&f, &SETTINGS)), vec![(Kind::CloseDue, None, d("2027-01-01"), d("2027-01-01"))]);
        f.loop_open = false;
        assert!(of(&f, &SETTINGS).is_empty());
        f.status = RequestStatus::Closed;
        assert!(of(&f, &SETTINGS).is_empty());
    }

    #[test]
    fn a_one_off_goes_from_selection_to_closing_without_check_ins() {
        let mut f = Facts { shape: Shape::OneOff, ..facts(RequestStatus::Active) };
        f.ends_on = Some(d("2026-12-01"));
        f.starts_on = Some(d("2026-12-01"));
        f.decisions = vec![selected(1, "2026-11-20")];
        f.accounts = vec![Account { partner_id: 1, ..Account::default() }];
        let items = of(&f, &SETTINGS);
        assert!(items.iter().all(|i| i.kind != Kind::CheckinDue), "{items:?}");
        assert_eq!(
            items.iter().map(|i| i.kind).collect::<Vec<_>>(),
            vec![Kind::CloseDue, Kind::PaymentDue],
            "closing and pay stay"
        );
        // Without an end a whole engagement is due its check-ins; a one-off never is.
        f.ends_on = None;
        assert!(of(&f, &SETTINGS).iter().all(|i| i.kind != Kind::CheckinDue));
        f.shape = Shape::Whole;
        assert!(of(&f, &SETTINGS).iter().any(|i| i.kind == Kind::CheckinDue));
    }

    #[test]
    fn concerns_are_followed_up_on_any_request() {
        let mut f = facts(RequestStatus::Closed);
        let concern = Checkin {
            id: 7,
            request_id: 3,
            with: With::Partner(1),
            held_on: d("2026-12-10"),
            status: CheckinStatus::Concerns,
            concern: Some(Concern::Barrier),
            resolved_on: None,
            resolution: None,
            hours: Hours(0),
            expenses: Money(0),
            expense_note: None,
            note: None,
            next_due: None,
        };
        let conduct = Checkin { id: 8, concern: Some(Concern::Conduct), with: With::Requester, ..concern.clone() };
        f.open_concerns = vec![(concern, Some("Ana Silva".to_string())), (conduct, None)];
        let items = of(&f, &SETTINGS);
        assert_eq!(
            items.iter().map(|i| (i.kind, i.checkin_id, i.due_on, i.party, i.detail.clone())).collect::<Vec<_>>(),
            vec![
                (
                    Kind::ConcernOpen,
                    Some(8),
                    d("2026-12-10"),
                    Some(Party::Requester),
                    Some(Detail::Concern { concern: Concern::Conduct, serious: false })
                ),
                (
                    Kind::ConcernOpen,
                    Some(7),
                    d("2026-12-17"),
                    Some(Party::Partner),
                    Some(Detail::Concern { concern: Concern::Barrier, serious: false })
                ),
            ]
        );
    }
}
