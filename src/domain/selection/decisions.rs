//! What is decided for a candidate: the outcome, the decision with its onboarding steps, and a
//! choice as the coordinator makes it.

use crate::domain::and_list;
use crate::domain::kinds::vocabulary;
use chrono::NaiveDate;
use std::collections::BTreeMap;
use std::fmt;
use std::str::FromStr;

vocabulary!(
    /// What was decided for a candidate.
    Outcome, "an outcome" {
        Selected => "selected": "chosen to take part",
        Waitlisted => "waitlisted": "on the waiting list, asked if a seat opens",
        NotSelected => "not_selected": "not chosen this time",
        Withdrew => "withdrew": "selected, then left part-way: paid for the hours logged, and told as such",
    }
);

// Selected, as a new decision is. (The vocabulary! macro that defines Outcome has no #[default].)
#[allow(clippy::derivable_impls)]
impl Default for Outcome {
    fn default() -> Outcome {
        Outcome::Selected
    }
}

impl Outcome {
    /// As said in a sentence.
    pub fn words(self) -> &'static str {
        match self {
            Outcome::Selected => "selected",
            Outcome::Waitlisted => "waitlisted",
            Outcome::NotSelected => "not selected",
            Outcome::Withdrew => "withdrew",
        }
    }

    /// Takes part in the engagement: selected, or selected and then withdrew (their account and
    /// their check-ins go on).
    pub fn took_part(self) -> bool {
        matches!(self, Outcome::Selected | Outcome::Withdrew)
    }
}

/// The outcome for one candidate, and the onboarding of the selected.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decision {
    pub request_id: i64,
    pub partner_id: i64,
    pub outcome: Outcome,
    pub reason: Option<String>,
    pub decided_on: NaiveDate,
    pub notified_on: Option<NaiveDate>,
    pub welcomed_on: Option<NaiveDate>,
    pub oriented_on: Option<NaiveDate>,
    pub introduced_on: Option<NaiveDate>,
}

impl Decision {
    pub fn step_on(&self, step: Step) -> Option<NaiveDate> {
        match step {
            Step::Welcomed => self.welcomed_on,
            Step::Oriented => self.oriented_on,
            Step::Introduced => self.introduced_on,
        }
    }
}

vocabulary!(
    /// The onboarding steps recorded for a selected partner in one engagement (the commitments and
    /// the record check belong to the partner, across engagements).
    Step, "an onboarding step" {
        Welcomed => "welcomed": "welcomed to the engagement",
        Oriented => "oriented": "oriented to the work and the team",
        Introduced => "introduced": "introduced to the team",
    }
);

impl Step {
    pub fn words(self) -> &'static str {
        match self {
            Step::Welcomed => "welcomed",
            Step::Oriented => "oriented",
            Step::Introduced => "introduced to the team",
        }
    }
}

/// `2 selected, 1 waitlisted, 9 not selected` (and `1 withdrew` when someone did).
pub fn tally(outcomes: impl IntoIterator<Item = Outcome>) -> String {
    let mut counts = [0usize; 4];
    for o in outcomes {
        counts[o as usize] += 1;
    }
    Outcome::ALL
        .iter()
        .zip(counts)
        .filter(|(o, n)| **o != Outcome::Withdrew || *n > 0)
        .map(|(o, n)| format!("{n} {}", o.words()))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Who is selected, who is waitlisted, who withdrew, and why; every other candidate is not
/// selected.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Choice {
    pub selected: Vec<i64>,
    pub waitlisted: Vec<i64>,
    /// Partners selected earlier who left part-way.
    pub withdrew: Vec<i64>,
    /// Partner id → the reason recorded with their decision.
    pub reasons: BTreeMap<i64, String>,
    /// Select more partners than seats.
    pub force: bool,
}

impl Choice {
    pub fn outcome_of(&self, partner_id: i64) -> Outcome {
        if self.selected.contains(&partner_id) {
            Outcome::Selected
        } else if self.waitlisted.contains(&partner_id) {
            Outcome::Waitlisted
        } else if self.withdrew.contains(&partner_id) {
            Outcome::Withdrew
        } else {
            Outcome::NotSelected
        }
    }
}

/// `4, 9 and 12`.
pub fn id_list(ids: &[i64]) -> String {
    let words: Vec<String> = ids.iter().map(i64::to_string).collect();
    and_list(&words.iter().map(String::as_str).collect::<Vec<_>>())
}
