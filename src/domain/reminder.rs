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
//! | `request_awaiting_review` | still submitted | created + `review_within_days` | the same |
//! | `recruitment_short` | not decided yet, fewer interested candidates than seats | `respond_by` − 3 | `respond_by` |
//! | `selection_due` | not decided yet | `respond_by` + 1 | `select_by` |
//! | `notify_due` | decisions not told yet (not cancelled) | the earliest untold decision | the same |
//! | `onboarding_due` | active; a selected partner not welcomed, oriented or introduced | start − 7 | start |
//! | `commitments_missing` | active; commitments not valid at the start, lapsing during the engagement, or a required record check missing | due − 7 | start, or the day they lapse |
//! | `checkin_due` | active; see [`checkin::checkins_due`] | due | the next check-in |
//! | `concern_open` | any request; see [`Checkin::concern_due_on`] | due | conduct or serious: the day raised; others + `concern_followup_days` |
//! | `close_due` | active, `ends_on` passed, a step of closing the loop not done (money is not one) | `ends_on` + 1 | the same |
//! | `payment_due` | active or closed; a partner with an account (selected, withdrew, paid before a later decision) owed and not paid or declined | end + `payment_within_days` | the same |
//! | `reimbursement_due` | the same; expenses logged since the last reimbursement | end + `payment_within_days` | the same |
//!
//! A reminder carries what its message says (the request's title, the name of the person or
//! organization it is about, a count, an amount, a date), so showing the reminders reads nothing
//! else; the store keeps those current with the rest (src/db/derived.rs).
//!
//! "Start" is the day the engagement starts for the partner: `starts_on`, or the day they were
//! selected if later or when there is no `starts_on`. "End" is `ends_on`, or the day the request
//! closed. Forgotten partners have no reminders but their open concerns.

use super::checkin::{self, Checkin, CheckinStatus, Chosen, Underway, With};
use super::compensation::{Account, Standing};
use super::kinds::{PartnerStatus, RequestStatus, vocabulary};
use super::money::Money;
use super::request::Pay;
use super::selection::{Commitments, Decision, Outcome, Step, commitments};
use chrono::NaiveDate;
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
    /// Words the message picks from: the steps open, the party, the concern, the standing.
    pub detail: Option<String>,
}

// A reminder's day is kept in the reminder table: it stays a day the database can read back, even
// for an engagement that ends on 9999-12-31.
fn plus(day: NaiveDate, days: u64) -> NaiveDate {
    super::dates::days_after_or_last(day, days)
}

fn minus(day: NaiveDate, days: u64) -> NaiveDate {
    super::dates::days_before_or_first(day, days)
}

impl Item {
    fn new(kind: Kind, f: &Facts, shown_from: NaiveDate, due_on: NaiveDate) -> Item {
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
        }
    }

    fn partner(mut self, id: i64, name: &str) -> Item {
        self.partner_id = Some(id);
        self.name = Some(name.to_string());
        self
    }

    /// Who a check-in or concern is with: a partner by name, the requester's point of contact, or
    /// the team (no name).
    fn with(mut self, with: With, partner_name: Option<&str>, f: &Facts) -> Item {
        self.partner_id = with.partner_id();
        self.name = match with {
            With::Partner(id) => Some(partner_name.map_or_else(|| format!("partner {id}"), str::to_string)),
            With::Requester => Some(f.contact_name.clone()),
            With::Team => None,
        };
        self
    }
}

/// The day an engagement starts for a partner selected on `decided_on`.
pub fn start_for(starts_on: Option<NaiveDate>, decided_on: NaiveDate) -> NaiveDate {
    starts_on.map_or(decided_on, |s| s.max(decided_on))
}

/// Every reminder a request has, whatever the day.
pub fn of(f: &Facts, s: &Settings) -> Vec<Item> {
    use RequestStatus::*;
    let mut out = Vec::new();
    let undecided = matches!(f.status, Submitted | Recruiting | Selecting) && f.decisions.is_empty();
    if f.status == Submitted {
        let due = plus(f.created_on, u64::from(s.review_within_days));
        let mut item = Item::new(Kind::RequestAwaitingReview, f, due, due);
        item.since = Some(f.created_on);
        out.push(item);
    }
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
            let open: Vec<&str> = Step::ALL
                .iter()
                .filter(|step| d.decision.step_on(**step).is_none())
                .map(|step| step.as_str())
                .collect();
            if !open.is_empty() {
                let mut item =
                    Item::new(Kind::OnboardingDue, f, minus(start, AHEAD_DAYS), start).partner(partner_id, &d.name);
                item.detail = Some(open.join(","));
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
        for due in checkin::checkins_due(&underway, &chosen, latest) {
            let name = selected.iter().find(|d| Some(d.decision.partner_id) == due.with.partner_id());
            let mut item =
                Item::new(Kind::CheckinDue, f, due.due_on, due.due_on).with(due.with, name.map(|d| d.name.as_str()), f);
            // The last check-in, or before the first, the day the engagement started for them.
            item.since = Some(due.last.unwrap_or(due.since));
            let first = if due.last.is_none() { ",first" } else { "" };
            item.detail = Some(format!("{}{first}", due.with.party().as_str()));
            out.push(item);
        }
        // About the loop's own steps only: money is followed by payment_due and reimbursement_due.
        if let Some(end) = f.ends_on.filter(|_| f.loop_open) {
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
        let concern = c.open_concern().map_or("other", |k| k.as_str());
        let serious = if c.status == CheckinStatus::Serious { ",serious" } else { "" };
        item.detail = Some(format!("{},{concern}{serious}", c.with.party().as_str()));
        out.push(item);
    }
    let end = f.ends_on.or(f.closed_on);
    if let (Some(end), true) = (end, matches!(f.status, Active | Closed)) {
        let due = plus(end, u64::from(s.payment_within_days));
        // Every account is paid for its hours, whatever became of the partner: selected, withdrew
        // (paid for the hours logged), or decided otherwise after being paid.
        for a in f.accounts.iter().filter(|a| !a.forgotten) {
            let standing = a.standing(f.pay);
            if !standing.settled() {
                let mut item = Item::new(Kind::PaymentDue, f, due, due).partner(a.partner_id, &a.name);
                item.since = Some(end);
                let (amount, word) = match standing {
                    Standing::NoHours => (f.pay.hourly().unwrap_or_default(), "no_hours"),
                    Standing::Offered => (a.owed(f.pay), "offered"),
                    _ => (a.owed(f.pay), "owed"),
                };
                item.amount = Some(amount);
                item.detail = Some(word.to_string());
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

/// The commitments and record check of a selected partner (rule 6): due at the start when the
/// signature is missing or lapsed by then, or when a required record check is missing; due the
/// day the signature lapses when that falls during the engagement.
fn commitments_item(f: &Facts, s: &Settings, d: &Decided, start: NaiveDate) -> Option<Item> {
    let mut problems: Vec<&str> = Vec::new();
    let mut due = None;
    let mut lapses = None;
    match commitments(d.commitments_signed_on, start, s.commitments_valid_days) {
        Commitments::Missing => {
            problems.push("commitments_missing");
            due = Some(start);
        }
        Commitments::Expired { expires_on, .. } => {
            problems.push("commitments_lapsed");
            lapses = Some(expires_on);
            due = Some(start);
        }
        Commitments::Valid { expires_on, .. } => {
            if f.ends_on.is_none_or(|end| expires_on <= end) {
                problems.push("commitments_lapse");
                lapses = Some(expires_on);
                due = Some(expires_on);
            }
        }
    }
    if f.record_check_required && d.record_check_on.is_none() {
        problems.push("record_check");
        due = Some(due.map_or(start, |day: NaiveDate| day.min(start)));
    }
    let due = due?;
    let mut item =
        Item::new(Kind::CommitmentsMissing, f, minus(due, AHEAD_DAYS), due).partner(d.decision.partner_id, &d.name);
    item.since = lapses;
    item.detail = Some(problems.join(","));
    Some(item)
}

fn plural(n: i64, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// What to do, in a sentence or two, ending with the command that does it.
pub fn message(i: &Item, as_of: NaiveDate) -> String {
    use crate::domain::dates::iso;
    let id = i.request_id;
    let on = format!("{} (request {id})", i.title);
    let partner = i.partner_id.unwrap_or(0);
    let name = i.name.clone().unwrap_or_default();
    let words: Vec<&str> = i.detail.as_deref().map(|d| d.split(',').collect()).unwrap_or_default();
    let has = |w: &str| words.contains(&w);
    let count = i.count.unwrap_or(0);
    let amount = i.amount.unwrap_or_default();
    let since = i.since.unwrap_or(i.due_on);
    let dated = |day: NaiveDate| format!("{} ({})", iso(day), ago(day, as_of));
    let who = |party: &str| match party {
        "requester" => format!("{name} (the requester)"),
        "team" => "the team".to_string(),
        _ => name.clone(),
    };
    match i.kind {
        Kind::RequestAwaitingReview => format!(
            "Review request {id}, {} for {name}: submitted {} and no invitation sent yet. `engage recruit invite \
             {id}` invites partners; `engage request cancel {id} --reason R` if it will not go ahead.",
            i.title,
            dated(since)
        ),
        Kind::RecruitmentShort => format!(
            "Recruit more for {on}: {} for {}, responses due {}. `engage recruit invite {id} --topic T` invites more \
             partners.",
            plural(count, "candidate interested", "candidates interested"),
            plural(i.total.unwrap_or(0), "seat", "seats"),
            dated(i.due_on)
        ),
        Kind::SelectionDue => format!(
            "Select partners for {on}: responses closed {}, select by {}; {}. `engage select {id}` scores and \
             chooses.",
            iso(since),
            dated(i.due_on),
            if count == 0 {
                "nobody has said they are interested yet".to_string()
            } else {
                plural(count, "interested candidate", "interested candidates")
            }
        ),
        Kind::NotifyDue => format!(
            "Tell the candidates of {on} the outcome: {} not told yet, decided {}. `engage select notify {id}` \
             lists whom to tell and marks them told.",
            plural(count, "decision", "decisions"),
            dated(i.due_on)
        ),
        Kind::OnboardingDue => {
            let open: Vec<Step> = Step::ALL.iter().copied().filter(|s| words.contains(&s.as_str())).collect();
            let steps: Vec<&str> = open.iter().map(|s| s.words()).collect();
            let flags: Vec<String> = open.iter().map(|s| format!("--{} DATE", s.as_str())).collect();
            format!(
                "Onboard {name} for {on}, starting for them {}: not yet {}. `engage select onboard {id} {partner} {}`",
                dated(i.due_on),
                crate::domain::and_list(&steps),
                flags.join(" ")
            )
        }
        Kind::CommitmentsMissing => {
            let mut clauses = Vec::new();
            let lapse = iso(since);
            if has("commitments_missing") {
                clauses.push("the Patient Partner Commitments are not signed".to_string());
            }
            if has("commitments_lapsed") {
                clauses.push(format!("their signature of the Patient Partner Commitments lapsed on {lapse}"));
            }
            if has("commitments_lapse") {
                clauses.push(format!("their signature of the Patient Partner Commitments lapses on {lapse}"));
            }
            if has("record_check") {
                clauses.push("no criminal record check is on file, and the request requires one".to_string());
            }
            let mut flags = Vec::new();
            if words.iter().any(|w| w.starts_with("commitments")) {
                flags.push("--commitments-signed DATE");
            }
            if has("record_check") {
                flags.push("--record-check DATE");
            }
            if words == ["commitments_lapse"] {
                return format!(
                    "{name} on {on}: their signature of the Patient Partner Commitments lapses on {}, during the \
                     engagement. `engage select onboard {id} {partner} {}`",
                    dated(since),
                    flags.join(" ")
                );
            }
            format!(
                "{name} on {on}, starting for them {}: {}. `engage select onboard {id} {partner} {}`",
                dated(i.due_on),
                clauses.join("; "),
                flags.join(" ")
            )
        }
        Kind::CheckinDue => {
            let party = words.first().copied().unwrap_or("partner");
            let flag = match party {
                "requester" => "--requester".to_string(),
                "team" => "--team".to_string(),
                _ => format!("--partner {partner}"),
            };
            let last = if has("first") {
                format!("no check-in yet since the engagement started for them on {}", iso(since))
            } else {
                format!("last check-in {}, on {}", ago(since, as_of), iso(since))
            };
            format!("Check in with {} on {on}: {last}. `engage checkin {id} {flag}`", who(party))
        }
        Kind::ConcernOpen => {
            let party = words.first().copied().unwrap_or("partner");
            let kind = words.get(1).copied().unwrap_or("other");
            let checkin = i.checkin_id.unwrap_or(0);
            let serious = if has("serious") { "serious " } else { "" };
            let leader = if kind == "conduct" { "; a conduct concern goes to the engagement leader" } else { "" };
            format!(
                "Follow up the {serious}{kind} concern raised with {} on {on} {} (check-in {checkin}){leader}. \
                 `engage checkin resolve {checkin} --note T` once it is resolved.",
                who(party),
                ago(since, as_of)
            )
        }
        Kind::CloseDue => {
            format!("Close the loop on {on}: it ended {}. `engage close {id}` shows what is left to do.", dated(since))
        }
        Kind::PaymentDue => {
            let end = iso(since);
            if has("no_hours") {
                format!(
                    "Log {name}'s hours on {on}, which ended {end}: paid at {amount}/hour and none logged. \
                     `engage checkin {id} --partner {partner} --hours H`, or `engage close pay {id} {partner} \
                     --declined` if they declined."
                )
            } else if has("offered") {
                format!(
                    "Offer {name} {amount} for {on}, which ended {end}: payment may affect their benefits, so ask \
                     how they want to be recognized. `engage close pay {id} {partner} --method M` or `--declined`."
                )
            } else {
                format!(
                    "Pay {name} {amount} for {on}, which ended {end}. `engage close pay {id} {partner} --method M` \
                     or `--declined`."
                )
            }
        }
        Kind::ReimbursementDue => {
            format!("Reimburse {name}'s expenses of {amount} for {on}. `engage close reimburse {id} {partner}`")
        }
    }
}

/// Days past due: positive when overdue, 0 on the day, negative when still to come.
pub fn days_overdue(due_on: NaiveDate, as_of: NaiveDate) -> i64 {
    checkin::days_overdue(due_on, as_of)
}

/// `34 days overdue`, `due today`, `due in 3 days`.
pub fn due_words(days_overdue: i64) -> String {
    match days_overdue {
        0 => "due today".to_string(),
        1 => "1 day overdue".to_string(),
        d if d > 0 => format!("{d} days overdue"),
        -1 => "due tomorrow".to_string(),
        d => format!("due in {} days", -d),
    }
}

/// `today`, `yesterday`, `34 days ago`, `in 3 days`: how far a day is from `as_of`.
pub fn ago(day: NaiveDate, as_of: NaiveDate) -> String {
    match (as_of - day).num_days() {
        0 => "today".to_string(),
        1 => "yesterday".to_string(),
        -1 => "tomorrow".to_string(),
        n if n > 0 => format!("{n} days ago"),
        n => format!("in {} days", -n),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::checkin::Concern;
    use crate::domain::money::Hours;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    const SETTINGS: Settings = Settings {
        review_within_days: 5,
        commitments_valid_days: 730,
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
        assert_eq!(items[1].detail.as_deref(), Some("oriented,introduced"));
        assert_eq!(items[2].detail.as_deref(), Some("commitments_missing,record_check"));
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
        assert_eq!((items[0].since, items[0].detail.as_deref()), (Some(d("2027-03-01")), Some("commitments_lapse")));
        assert_eq!((items[1].since, items[1].detail.as_deref()), (Some(d("2026-11-01")), Some("commitments_lapsed")));
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
        assert_eq!((items[1].amount, items[1].detail.as_deref()), (Some(Money(200_000)), Some("owed")));
        // No hours logged: the message names the hourly rate.
        assert_eq!((items[2].amount, items[2].detail.as_deref()), (Some(Money(5_000)), Some("no_hours")));
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
            items.iter().map(|i| (i.kind, i.checkin_id, i.due_on, i.detail.as_deref())).collect::<Vec<_>>(),
            vec![
                (Kind::ConcernOpen, Some(8), d("2026-12-10"), Some("requester,conduct")),
                (Kind::ConcernOpen, Some(7), d("2026-12-17"), Some("partner,barrier")),
            ]
        );
    }

    #[test]
    fn days_read_as_words() {
        assert_eq!(due_words(34), "34 days overdue");
        assert_eq!(due_words(1), "1 day overdue");
        assert_eq!(due_words(0), "due today");
        assert_eq!(due_words(-1), "due tomorrow");
        assert_eq!(due_words(-3), "due in 3 days");
        assert_eq!(ago(d("2026-10-20"), d("2026-11-23")), "34 days ago");
        assert_eq!(ago(d("2026-11-22"), d("2026-11-23")), "yesterday");
        assert_eq!(ago(d("2026-11-26"), d("2026-11-23")), "in 3 days");
    }
}
