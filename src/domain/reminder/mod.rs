//! The morning reminder (`report reminders`): what is due on each request, worked out
//! from the facts of the request alone, with dates that do not depend on the day they are worked
//! out. Each reminder is shown from `shown_from` and due on `due_on`; `days_overdue` is counted at
//! report time from `due_on`, so a reminder shown early (a selection still to make, onboarding
//! before the start) reads "due in 3 days".
//!
//! The rules, one per kind:
//!
//! | kind | when, on a request | shown from | due on |
//! | --- | --- | --- | --- |
//! | `request_awaiting_review` | still submitted (an inform notice: not sent yet) | created + `review_within_days` | the same |
//! | `recruitment_short` | not decided yet, fewer interested candidates than seats | `respond_by` − 3 | `respond_by` |
//! | `selection_due` | not decided yet | `respond_by` + 1 | `select_by` |
//! | `notify_due` | decisions not told yet (not cancelled) | the earliest untold decision | the same |
//! | `onboarding_due` | active; a selected partner not welcomed, oriented or introduced | start − 7 | start |
//! | `commitments_missing` | active; commitments not valid at the start, lapsing during the engagement, or a required record check missing, lapsed by the start (`record_check_valid_days`) or lapsing during the engagement | due − 7 | start, or the day they lapse |
//! | `checkin_due` | active; see [`checkin::checkins_due`] | due | the next check-in |
//! | `concern_open` | any request; see [`Checkin::concern_due_on`] | due | conduct or serious: the day raised; others + `concern_followup_days` |
//! | `close_due` | active, `ends_on` passed, a step of closing the loop not done (money is not one); an inform notice once sent, past `ends_on` or else `respond_by` | `ends_on` + 1 | the same |
//! | `payment_due` | active or closed; a partner with an account (selected, withdrew, paid before a later decision) owed and not paid or declined | end + `payment_within_days` | the same |
//! | `reimbursement_due` | the same; expenses logged since the last reimbursement | end + `payment_within_days` | the same |
//!
//! A reminder carries what its message says (the request's title, the name of the person or
//! organization it is about, a count, an amount, a date, and its [`Detail`]), so showing the
//! reminders reads nothing else; the store keeps those current with the rest (src/db/derived).
//! A reminder is one per request, kind and whom it is about ([`Item::key`]).
//!
//! The rules are in rules.rs, the messages in message.rs.
//!
//! "Start" is the day the engagement starts for the partner: `starts_on`, or the day they were
//! selected if later or when there is no `starts_on`. "End" is `ends_on` (for a one-off without one, its
//! `starts_on`), or the day the request closed. Forgotten partners have no reminders but their open concerns.
//!
//! The request's [`Shape`] narrows the rules: an inform notice has only `request_awaiting_review`
//! (to send it) and `close_due` (once sent); a one-off has no `checkin_due`.

mod message;
mod rules;

pub use message::{ago, days_overdue, due_words, message};
pub use rules::{of, start_for};

use super::checkin::{Concern, Party, With};
use super::kinds::{PartnerStatus, RequestStatus, vocabulary};
use super::money::Money;
use super::request::Pay;
use super::selection::{Decision, Step};
use super::shape::Shape;
use super::{checkin::Checkin, compensation::Account};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

vocabulary!(
    /// What a reminder is about, in the order of an engagement's life.
    Kind, "a kind of reminder" {
        RequestAwaitingReview => "request_awaiting_review": "Requests awaiting review",
        RecruitmentShort => "recruitment_short": "Recruitment short of candidates",
        SelectionDue => "selection_due": "Selections due",
        NotifyDue => "notify_due": "Outcomes to tell the candidates",
        OnboardingDue => "onboarding_due": "Onboarding due",
        CommitmentsMissing => "commitments_missing": "Commitments and record checks missing",
        CheckinDue => "checkin_due": "Check-ins due",
        ConcernOpen => "concern_open": "Open concerns",
        CloseDue => "close_due": "Engagements to close",
        PaymentDue => "payment_due": "Compensation to pay",
        ReimbursementDue => "reimbursement_due": "Expenses to reimburse",
    }
);

/// How many days before a start onboarding, commitments and a short recruitment are reminded.
pub const AHEAD_DAYS: u64 = 7;
/// How many days before `respond_by` a short recruitment is reminded.
pub const RECRUITMENT_AHEAD_DAYS: u64 = 3;

/// The settings the rules read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Settings {
    pub review_within_days: u32,
    pub commitments_valid_days: u32,
    pub record_check_valid_days: u32,
    pub payment_within_days: u32,
    pub concern_followup_days: u32,
}

/// A decision with what the rules need of its partner.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decided {
    pub decision: Decision,
    /// The partner's name, as [`crate::domain::partner::Partner::name`] gives it.
    pub name: String,
    pub partner_status: PartnerStatus,
    pub commitments_signed_on: Option<NaiveDate>,
    pub record_check_on: Option<NaiveDate>,
}

/// Everything about one request that its reminders follow from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Facts {
    pub request_id: i64,
    pub title: String,
    pub organization: String,
    pub contact_name: String,
    pub status: RequestStatus,
    pub created_on: NaiveDate,
    pub respond_by: NaiveDate,
    pub select_by: NaiveDate,
    pub starts_on: Option<NaiveDate>,
    pub ends_on: Option<NaiveDate>,
    pub closed_on: Option<NaiveDate>,
    pub seats: u32,
    pub pay: Pay,
    pub record_check_required: bool,
    pub checkin_every_days: u32,
    /// Which steps of the flow the request goes through (src/domain/shape.rs): a notice has no
    /// recruitment, selection, onboarding, check-ins or pay; a one-off no check-ins.
    pub shape: Shape,
    /// Interested candidates: partners who said they are interested and have not left the network.
    pub interested: u32,
    pub decisions: Vec<Decided>,
    /// The latest check-in with each person, when the request is active.
    pub latest: Vec<Checkin>,
    /// Check-ins whose concern is still open, with the partner's name for those with a partner.
    pub open_concerns: Vec<(Checkin, Option<String>)>,
    /// The accounts on the request (selected partners, those who withdrew, and those paid before a
    /// later decision, with their names and benefits), when the request is active or closed.
    pub accounts: Vec<Account>,
    /// Some step of closing the loop is not done: outcomes, told back, thanks, the two surveys.
    pub loop_open: bool,
}

/// One reminder, as it is kept: its dates and what its message says.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Item {
    pub kind: Kind,
    pub request_id: i64,
    pub partner_id: Option<i64>,
    pub checkin_id: Option<i64>,
    pub shown_from: NaiveDate,
    pub due_on: NaiveDate,
    pub title: String,
    /// Whom it is about: the partner, the requester's point of contact, or the organization.
    pub name: Option<String>,
    /// Candidates interested, decisions untold.
    pub count: Option<i64>,
    /// Out of how many: the seats.
    pub total: Option<i64>,
    /// Money owed (the hourly rate when no hours are logged), expenses to reimburse.
    pub amount: Option<Money>,
    /// The other day the message names: the last check-in, the day a concern was raised or a
    /// signature lapses, the day the request was submitted, responses closed or it ended.
    pub since: Option<NaiveDate>,
    /// What else the message says, by kind.
    pub detail: Option<Detail>,
    /// The party of a check-in or a concern: with a partner, the requester or the team.
    pub party: Option<Party>,
}

impl Item {
    /// What makes a reminder one: its request, its kind and whom it is about (the partner, the
    /// party of a check-in, the check-in of a concern). The reminder table's key.
    pub fn key(&self) -> (i64, Kind, Option<i64>, Option<i64>, Option<Party>) {
        (self.request_id, self.kind, self.partner_id, self.checkin_id, self.party)
    }
}

/// What a reminder's message says besides its dates, names and amounts, by kind; kept as JSON.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Detail {
    /// `onboarding_due`: the steps still open, in [`Step::ALL`] order.
    Onboarding { open: Vec<Step> },
    /// `commitments_missing`: what is missing, in the order found.
    Commitments { missing: Vec<Lack> },
    /// `checkin_due`: whether there was no check-in yet since the engagement started for them.
    Checkin { first: bool },
    /// `concern_open`: the kind of concern, and whether the check-in was serious.
    Concern { concern: Concern, serious: bool },
    /// `payment_due`: how the payment stands.
    Payment { standing: Owing },
    /// `request_awaiting_review` and `close_due` of an inform request: a notice to send, or to
    /// close once it went out.
    Notice,
}

vocabulary!(
    /// What a `commitments_missing` reminder is about.
    Lack, "what is missing of a partner's commitments" {
        CommitmentsMissing => "commitments_missing": "the Patient Partner Commitments are not signed",
        CommitmentsLapsed => "commitments_lapsed": "the signature lapsed before the engagement starts",
        CommitmentsLapse => "commitments_lapse": "the signature lapses during the engagement",
        RecordCheck => "record_check": "a required criminal record check is not on file",
        RecordCheckLapsed => "record_check_lapsed": "the record check lapsed before the engagement starts",
        RecordCheckLapse => "record_check_lapse": "the record check lapses during the engagement",
    }
);

vocabulary!(
    /// How a `payment_due` reminder's payment stands.
    Owing, "how a payment stands" {
        NoHours => "no_hours": "paid by the hour and no hours logged",
        Offered => "offered": "payment may affect their benefits: offered, not assumed",
        Owed => "owed": "owed",
    }
);

// A reminder's day is kept in the reminder table: it stays a day the database can read back, even
// for an engagement that ends on 9999-12-31.
pub(crate) fn plus(day: NaiveDate, days: u64) -> NaiveDate {
    super::dates::days_after_or_last(day, days)
}

pub(crate) fn minus(day: NaiveDate, days: u64) -> NaiveDate {
    super::dates::days_before_or_first(day, days)
}

impl Item {
    pub(crate) fn new(kind: Kind, f: &Facts, shown_from: NaiveDate, due_on: NaiveDate) -> Item {
        Item {
            kind,
            request_id: f.request_id,
            partner_id: None,
            checkin_id: None,
            shown_from,
            due_on,
            title: f.title.clone(),
            name: Some(f.organization.clone()),
            count: None,
            total: None,
            amount: None,
            since: None,
            detail: None,
            party: None,
        }
    }

    pub(crate) fn partner(mut self, id: i64, name: &str) -> Item {
        self.partner_id = Some(id);
        self.name = Some(name.to_string());
        self
    }

    /// Who a check-in or concern is with: a partner by name, the requester's point of contact, or
    /// the team (no name).
    pub(crate) fn with(mut self, with: With, partner_name: Option<&str>, f: &Facts) -> Item {
        self.partner_id = with.partner_id();
        self.party = Some(with.party());
        self.name = match with {
            With::Partner(id) => Some(partner_name.map_or_else(|| format!("partner {id}"), str::to_string)),
            With::Requester => Some(f.contact_name.clone()),
            With::Team => None,
        };
        self
    }
}
