//! What is decided for a candidate: the outcome, the decision with its onboarding steps, and a
//! choice as the coordinator makes it.

use crate::domain::and_list;
use chrono::NaiveDate;
use std::collections::BTreeMap;
use std::fmt;
use std::str::FromStr;

/// What was decided for a candidate.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Outcome {
    #[default]
    Selected,
    Waitlisted,
    NotSelected,
    /// Selected, then left part-way: paid for the hours logged, and told as such.
    Withdrew,
}

impl Outcome {
    pub const ALL: &'static [Outcome] =
        &[Outcome::Selected, Outcome::Waitlisted, Outcome::NotSelected, Outcome::Withdrew];

    /// As stored and printed in CSV and JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Selected => "selected",
            Outcome::Waitlisted => "waitlisted",
            Outcome::NotSelected => "not_selected",
            Outcome::Withdrew => "withdrew",
        }
    }

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

impl fmt::Display for Outcome {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Outcome {
    type Err = String;
    fn from_str(text: &str) -> Result<Self, String> {
        Outcome::ALL
            .iter()
            .copied()
            .find(|o| o.as_str() == text)
            .ok_or_else(|| format!("'{text}' is not an outcome; use selected, waitlisted, not_selected or withdrew"))
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

/// The onboarding steps recorded for a selected partner in one engagement (the commitments and the
/// record check belong to the partner, across engagements).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    Welcomed,
    Oriented,
    Introduced,
}

impl Step {
    pub const ALL: &'static [Step] = &[Step::Welcomed, Step::Oriented, Step::Introduced];

    pub fn as_str(self) -> &'static str {
        match self {
            Step::Welcomed => "welcomed",
            Step::Oriented => "oriented",
            Step::Introduced => "introduced",
        }
    }

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
