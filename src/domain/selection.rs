//! Selection (SPEC rules 2–6 and 13): ranking the candidates on the request's criteria, and the
//! rules that apply when partners are chosen. Pure functions over the facts a command gathers, so
//! every rule is tested here without a database.

use super::criteria::{Criterion, MAX_SCORE};
use super::dates::iso;
use super::kinds::{PartnerStatus, vocabulary};
use super::partner::Partner;
use super::request::MIN_PARTNERS;
use super::{and_list, text};
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

/// A partner who said they are interested in a request, with what selection weighs.
#[derive(Debug, Clone, Default)]
pub struct Candidate {
    pub partner: Partner,
    /// From the response to this request.
    pub statement: Option<String>,
    pub availability: Option<String>,
    pub conflict: Option<String>,
    /// Criterion name → 0..3.
    pub scores: BTreeMap<String, u8>,
    /// Selected on requests that have closed: the measure of experience (rule 4).
    pub completed: u32,
    /// Selected on other requests decided in the last 12 months (rule 5).
    pub recent: u32,
    /// Selected on other requests under way now (rule 5).
    pub active: u32,
    /// The decision already made for this request, if any.
    pub outcome: Option<Outcome>,
}

impl Candidate {
    pub fn id(&self) -> i64 {
        self.partner.id
    }
}

/// What the decision-time rules need to know besides the candidates: the request's seats and
/// record check, the day commitments must be valid on, and the network's settings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rules {
    pub request_id: i64,
    pub seats: u32,
    pub record_check_required: bool,
    /// The engagement's first day, or today once it has started or when it has no date: partners
    /// sign the commitments before they start.
    pub check_on: NaiveDate,
    pub experienced_after: u32,
    pub max_active_per_partner: u32,
    pub commitments_valid_days: u32,
}

impl Rules {
    /// Rule 4: a partner is experienced after `experienced_after` completed engagements.
    pub fn experienced(&self, c: &Candidate) -> bool {
        c.completed >= self.experienced_after
    }
}

/// The day the commitments must be valid on: the start of the engagement, or today.
pub fn check_day(today: NaiveDate, starts_on: Option<NaiveDate>) -> NaiveDate {
    starts_on.filter(|s| *s > today).unwrap_or(today)
}

/// Where a partner stands with the Patient Partner Commitments (rule 6).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Commitments {
    Missing,
    /// Valid on the day checked; no longer valid from `expires_on`.
    Valid {
        signed_on: NaiveDate,
        expires_on: NaiveDate,
    },
    /// Not valid on the day checked: it stopped being valid on `expires_on`.
    Expired {
        signed_on: NaiveDate,
        expires_on: NaiveDate,
    },
}

/// A signature is valid for `valid_days` days, the same arithmetic as [`Partner::commitments_valid_on`].
pub fn commitments(signed_on: Option<NaiveDate>, on: NaiveDate, valid_days: u32) -> Commitments {
    let Some(signed_on) = signed_on else { return Commitments::Missing };
    let expires_on = super::dates::days_after_or_last(signed_on, u64::from(valid_days));
    if on < expires_on {
        Commitments::Valid { signed_on, expires_on }
    } else {
        Commitments::Expired { signed_on, expires_on }
    }
}

impl Commitments {
    /// `signed 2026-11-20, valid until 2028-11-19`, `not signed`, `signed …, expired 2026-01-05`.
    pub fn state(&self) -> String {
        match self {
            Commitments::Missing => "not signed".to_string(),
            Commitments::Valid { signed_on, expires_on } => {
                let last = expires_on.pred_opt().unwrap_or(*expires_on);
                format!("signed {}, valid until {}", iso(*signed_on), iso(last))
            }
            Commitments::Expired { signed_on, expires_on } => {
                format!("signed {}, expired {}", iso(*signed_on), iso(*expires_on))
            }
        }
    }
}

impl fmt::Display for Commitments {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "commitments {}", self.state())
    }
}

/// A candidate's place in the ranking.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Standing {
    pub partner_id: i64,
    /// From 1; candidates equal on total and on engagements in the last 12 months share a rank;
    /// none for an excluded candidate.
    pub rank: Option<u32>,
    /// Score × weight, summed over the criteria scored.
    pub total: u32,
    /// What a candidate scoring 3 everywhere would have.
    pub max_total: u32,
    /// The required criterion scored 0 that excludes the candidate.
    pub excluded_by: Option<String>,
    /// Criteria not scored yet, in the request's order.
    pub missing: Vec<String>,
}

pub fn max_total(criteria: &[Criterion]) -> u32 {
    criteria.iter().map(|c| u32::from(MAX_SCORE) * u32::from(c.weight)).sum()
}

/// Ranks the candidates (rule 5, rule 13): the weighted total, highest first; a required criterion
/// scored 0 excludes; ties go to the candidate with fewer engagements in the last 12 months, then
/// to the lower partner id so the order is stable. Excluded candidates come last, unranked.
pub fn rank(criteria: &[Criterion], candidates: &[Candidate]) -> Vec<Standing> {
    let max = max_total(criteria);
    let mut rows: Vec<(Standing, u32)> = candidates
        .iter()
        .map(|c| {
            let mut total = 0;
            let mut excluded_by = None;
            let mut missing = Vec::new();
            for criterion in criteria {
                match c.scores.get(&criterion.name) {
                    Some(score) => {
                        total += u32::from(*score) * u32::from(criterion.weight);
                        if *score == 0 && criterion.required && excluded_by.is_none() {
                            excluded_by = Some(criterion.name.clone());
                        }
                    }
                    None => missing.push(criterion.name.clone()),
                }
            }
            (Standing { partner_id: c.id(), rank: None, total, max_total: max, excluded_by, missing }, c.recent)
        })
        .collect();
    rows.sort_by(|(a, a_recent), (b, b_recent)| {
        a.excluded_by
            .is_some()
            .cmp(&b.excluded_by.is_some())
            .then(b.total.cmp(&a.total))
            .then(a_recent.cmp(b_recent))
            .then(a.partner_id.cmp(&b.partner_id))
    });
    let mut previous: Option<(u32, u32)> = None;
    let mut rank = 0;
    for (position, (standing, recent)) in rows.iter_mut().enumerate() {
        if standing.excluded_by.is_some() {
            continue;
        }
        if previous != Some((standing.total, *recent)) {
            rank = position as u32 + 1;
            previous = Some((standing.total, *recent));
        }
        standing.rank = Some(rank);
    }
    rows.into_iter().map(|(standing, _)| standing).collect()
}

fn plural(n: u32, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// `new (0 completed engagements)`, `experienced (2 completed engagements)`.
pub fn experience(c: &Candidate, rules: &Rules) -> String {
    let word = if rules.experienced(c) { "experienced" } else { "new" };
    format!("{word} ({})", plural(c.completed, "completed engagement", "completed engagements"))
}

/// The facts behind a candidate's place, in the words of the rules: experience, fair share,
/// conflict, commitments and record check.
pub fn why(c: &Candidate, standing: &Standing, rules: &Rules) -> String {
    let mut parts = Vec::new();
    if let Some(criterion) = &standing.excluded_by {
        parts.push(format!("excluded: 0 on required {criterion}"));
    }
    if !standing.missing.is_empty() {
        let missing: Vec<&str> = standing.missing.iter().map(String::as_str).collect();
        parts.push(format!("not scored on {}", and_list(&missing)));
    }
    parts.push(experience(c, rules));
    parts.push(format!("{} in the last 12 months", plural(c.recent, "engagement", "engagements")));
    parts.push(format!("{} now", plural(c.active, "active engagement", "active engagements")));
    if c.conflict.is_some() {
        parts.push("conflict of interest declared".to_string());
    }
    parts.push(commitments(c.partner.commitments_signed_on, rules.check_on, rules.commitments_valid_days).to_string());
    if rules.record_check_required {
        parts.push(record_check(&c.partner, true));
    }
    if c.partner.status != PartnerStatus::Active {
        parts.push(format!("{} in the network", c.partner.status));
    }
    parts.join("; ")
}

/// `record check on file (2026-01-05)`, `no record check on file`.
pub fn record_check(p: &Partner, required: bool) -> String {
    match (p.record_check_on, required) {
        (Some(on), _) => format!("record check on file ({})", iso(on)),
        (None, true) => "no record check on file (required)".to_string(),
        (None, false) => "no record check on file".to_string(),
    }
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

/// The ids of a choice that name nobody who can take that place: usage errors (exit 2), before any
/// rule is weighed.
pub fn check_ids(choice: &Choice, candidates: &[Candidate], request_id: i64) -> Result<(), String> {
    if choice.selected.is_empty() && choice.withdrew.is_empty() {
        return Err("no partner is selected; give the ids of the partners to select, such as 4,9".to_string());
    }
    let ids: Vec<i64> = candidates.iter().map(Candidate::id).collect();
    let named = choice.selected.iter().chain(&choice.waitlisted).chain(&choice.withdrew).chain(choice.reasons.keys());
    for id in named {
        if !ids.contains(id) {
            return Err(format!(
                "partner {id} is not an interested candidate for request {request_id}; the candidates are {}",
                id_list(&ids)
            ));
        }
    }
    if let Some(both) = choice.selected.iter().find(|id| choice.waitlisted.contains(id)) {
        return Err(format!("partner {both} is both selected and waitlisted; give each partner one outcome"));
    }
    let elsewhere = |id: &&i64| choice.selected.contains(id) || choice.waitlisted.contains(id);
    if let Some(both) = choice.withdrew.iter().find(elsewhere) {
        let other = if choice.selected.contains(both) { "selected" } else { "waitlisted" };
        return Err(format!("partner {both} is both {other} and withdrawing; give each partner one outcome"));
    }
    Ok(())
}

/// A rule that refuses a choice (exit 1; nothing is recorded).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// Rule 2: more partners than seats, without `--force`.
    MoreThanSeats { selected: usize, seats: u32 },
    /// Rule 13: a required criterion scored 0.
    Excluded { partner_id: i64, criterion: String },
    /// A declared conflict of interest needs a reason to be selected.
    ConflictWithoutReason { partner_id: i64 },
}

impl fmt::Display for Refusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Refusal::MoreThanSeats { selected, seats } => write!(
                f,
                "{selected} partners are selected for {seats} seat{}; select at most {seats}, or pass --force to select more partners than seats",
                if *seats == 1 { "" } else { "s" }
            ),
            Refusal::Excluded { partner_id, criterion } => write!(
                f,
                "partner {partner_id} is excluded: 0 on {criterion}, a required criterion; an excluded candidate is neither selected nor waitlisted (rescore with `engage select score` if the 0 was a mistake)"
            ),
            Refusal::ConflictWithoutReason { partner_id } => write!(
                f,
                "partner {partner_id} declared a conflict of interest; selecting them needs a reason: --reason {partner_id}='why the conflict does not stand in the way'"
            ),
        }
    }
}

/// A warning of the rules about a choice: shown before it is recorded, and kept in the event log,
/// so it names partners by id only.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Flag {
    pub partner_id: Option<i64>,
    pub text: String,
}

impl Flag {
    fn request(text: String) -> Flag {
        Flag { partner_id: None, text }
    }

    fn partner(partner_id: i64, text: String) -> Flag {
        Flag { partner_id: Some(partner_id), text }
    }
}

/// Weighs a choice against the rules of the field: refusals first (more than seats without
/// `--force`, an excluded candidate, a conflict of interest without a reason), then the warnings
/// (fewer than two, all new or all experienced, a partner at `max_active_per_partner`, missing or
/// expired commitments, a missing record check, criteria left unscored).
pub fn check(
    choice: &Choice,
    candidates: &[Candidate],
    standings: &[Standing],
    rules: &Rules,
) -> Result<Vec<Flag>, Refusal> {
    let find = |id: i64| candidates.iter().find(|c| c.id() == id);
    let standing = |id: i64| standings.iter().find(|s| s.partner_id == id);
    let chosen: Vec<&Candidate> = choice.selected.iter().filter_map(|id| find(*id)).collect();
    let count = chosen.len();
    if count > rules.seats as usize && !choice.force {
        return Err(Refusal::MoreThanSeats { selected: count, seats: rules.seats });
    }
    for id in choice.selected.iter().chain(&choice.waitlisted) {
        if let Some(criterion) = standing(*id).and_then(|s| s.excluded_by.clone()) {
            return Err(Refusal::Excluded { partner_id: *id, criterion });
        }
    }
    for c in &chosen {
        let has_reason = choice.reasons.get(&c.id()).is_some_and(|r| !r.trim().is_empty());
        if c.conflict.is_some() && !has_reason {
            return Err(Refusal::ConflictWithoutReason { partner_id: c.id() });
        }
    }

    let mut flags = Vec::new();
    if count < MIN_PARTNERS as usize {
        flags.push(Flag::request(format!(
            "only {count} partner is selected: always try to include at least two patient partners"
        )));
    }
    if count > rules.seats as usize {
        flags.push(Flag::request(format!(
            "{count} partners are selected for {} seat{} (--force)",
            rules.seats,
            if rules.seats == 1 { "" } else { "s" }
        )));
    }
    if count >= MIN_PARTNERS as usize {
        let experienced = chosen.iter().filter(|c| rules.experienced(c)).count();
        let all = if experienced == 0 {
            Some("new")
        } else if experienced == count {
            Some("experienced")
        } else {
            None
        };
        if let Some(all) = all {
            let who = if count == 2 {
                "both selected partners".to_string()
            } else {
                format!("all {count} selected partners")
            };
            flags.push(Flag::request(format!(
                "{who} are {all}: mix newer and experienced partners so knowledge is passed on"
            )));
        }
    }
    for c in &chosen {
        let id = c.id();
        if c.active >= rules.max_active_per_partner {
            flags.push(Flag::partner(
                id,
                format!(
                    "partner {id} is already in {} (max_active_per_partner is {}): share opportunities fairly",
                    plural(c.active, "active engagement", "active engagements"),
                    rules.max_active_per_partner
                ),
            ));
        }
        match commitments(c.partner.commitments_signed_on, rules.check_on, rules.commitments_valid_days) {
            Commitments::Valid { .. } => {}
            Commitments::Missing => flags.push(Flag::partner(
                id,
                format!("partner {id} has not signed the Patient Partner Commitments; they sign before they start"),
            )),
            Commitments::Expired { expires_on, .. } => flags.push(Flag::partner(
                id,
                format!(
                    "partner {id}'s signature of the Patient Partner Commitments is not valid on {} (it expired {}); they sign again before they start",
                    iso(rules.check_on),
                    iso(expires_on)
                ),
            )),
        }
        if rules.record_check_required && c.partner.record_check_on.is_none() {
            flags.push(Flag::partner(
                id,
                format!(
                    "request {} requires a criminal record check and partner {id} has none on file",
                    rules.request_id
                ),
            ));
        }
        if c.partner.status != PartnerStatus::Active {
            flags.push(Flag::partner(id, format!("partner {id} is {} in the network", c.partner.status)));
        }
        if let Some(s) = standing(id).filter(|s| !s.missing.is_empty()) {
            let missing: Vec<&str> = s.missing.iter().map(String::as_str).collect();
            flags
                .push(Flag::partner(id, format!("partner {id} is selected without a score on {}", and_list(&missing))));
        }
    }
    Ok(flags)
}

/// `4,9, 12` → [4, 9, 12]; repeats are dropped.
pub fn parse_ids(text: &str) -> Result<Vec<i64>, String> {
    let mut ids = Vec::new();
    for item in text.split(',').map(str::trim).filter(|i| !i.is_empty()) {
        match item.parse::<i64>() {
            Ok(id) if id >= 1 => {
                if !ids.contains(&id) {
                    ids.push(id);
                }
            }
            _ => {
                return Err(format!("'{item}' is not a partner id; give ids separated by commas, such as 4,9"));
            }
        }
    }
    if ids.is_empty() {
        return Err(format!("'{}' names no partner; give ids separated by commas, such as 4,9", text.trim()));
    }
    Ok(ids)
}

/// `12=lived experience of discharge` → (12, the text).
pub fn parse_reason(text: &str) -> Result<(i64, String), String> {
    let shape = || {
        format!(
            "'{}' is not PARTNER='reason'; give a partner id, '=' and the reason, for example 12='lived experience of discharge'",
            text.trim()
        )
    };
    let (id, reason) = text.split_once('=').ok_or_else(shape)?;
    let id = id.trim().parse::<i64>().ok().filter(|id| *id >= 1).ok_or_else(shape)?;
    let reason = text::optional(reason).ok_or_else(shape)?;
    Ok((id, reason))
}

/// Reads a score typed at a prompt or after `CRITERION=`: 0 to 3.
pub fn parse_score_value(text: &str) -> Result<u8, String> {
    match text.trim().parse::<u8>() {
        Ok(n) if n <= MAX_SCORE => Ok(n),
        _ => Err(format!("'{}' is not a score; a score is 0 (not met), 1, 2 or 3 (strongly met)", text.trim())),
    }
}

/// `experience=3` → ("experience", 3).
pub fn parse_score(text: &str) -> Result<(String, u8), String> {
    let (name, score) = text.split_once('=').ok_or_else(|| {
        format!("'{}' is not CRITERION=SCORE; give a criterion, '=' and 0 to 3, for example experience=3", text.trim())
    })?;
    let name = name.trim().to_lowercase();
    if name.is_empty() {
        return Err(format!("'{}' names no criterion; for example experience=3", text.trim()));
    }
    let score = parse_score_value(score).map_err(|why| format!("{name}: {why}"))?;
    Ok((name, score))
}

/// Scores name criteria of the request, each once.
pub fn check_scores(scores: &[(String, u8)], criteria: &[Criterion], request_id: i64) -> Result<(), String> {
    for (i, (name, _)) in scores.iter().enumerate() {
        if !criteria.iter().any(|c| &c.name == name) {
            let names: Vec<&str> = criteria.iter().map(|c| c.name.as_str()).collect();
            return Err(format!(
                "request {request_id} has no criterion '{name}'; its criteria are {}",
                and_list(&names)
            ));
        }
        if scores[..i].iter().any(|(other, _)| other == name) {
            return Err(format!("criterion '{name}' is scored twice; give each criterion one score"));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::criteria::parse_list;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn candidate(id: i64, scores: &[(&str, u8)]) -> Candidate {
        Candidate {
            partner: Partner { id, commitments_signed_on: Some(d("2026-06-01")), ..Partner::default() },
            scores: scores.iter().map(|(n, s)| (n.to_string(), *s)).collect(),
            ..Candidate::default()
        }
    }

    fn rules() -> Rules {
        Rules {
            request_id: 3,
            seats: 2,
            record_check_required: false,
            check_on: d("2026-11-23"),
            experienced_after: 1,
            max_active_per_partner: 3,
            commitments_valid_days: 730,
        }
    }

    fn choose(selected: &[i64], waitlisted: &[i64]) -> Choice {
        Choice { selected: selected.to_vec(), waitlisted: waitlisted.to_vec(), ..Choice::default() }
    }

    #[test]
    fn ranks_by_weighted_total_and_excludes_on_a_required_zero() {
        let criteria = parse_list("experience!,speaking,listening:2").unwrap();
        let candidates = vec![
            candidate(1, &[("experience", 3), ("speaking", 3), ("listening", 1)]), // 3+3+2 = 8
            candidate(2, &[("experience", 1), ("speaking", 1), ("listening", 3)]), // 1+1+6 = 8
            candidate(3, &[("experience", 0), ("speaking", 3), ("listening", 3)]), // excluded
            candidate(4, &[("experience", 3), ("speaking", 3), ("listening", 3)]), // 12
            candidate(5, &[("experience", 2)]),                                    // 2, two missing
        ];
        let ranked = rank(&criteria, &candidates);
        let got: Vec<(i64, Option<u32>, u32)> = ranked.iter().map(|s| (s.partner_id, s.rank, s.total)).collect();
        assert_eq!(got, vec![(4, Some(1), 12), (1, Some(2), 8), (2, Some(2), 8), (5, Some(4), 2), (3, None, 9)]);
        assert_eq!(ranked[4].excluded_by.as_deref(), Some("experience"));
        assert_eq!(ranked[3].missing, vec!["speaking".to_string(), "listening".to_string()]);
        assert!(ranked.iter().all(|s| s.max_total == 12));
    }

    #[test]
    fn ties_go_to_fewer_engagements_in_the_last_12_months() {
        let criteria = parse_list("experience,speaking").unwrap();
        let mut busy = candidate(1, &[("experience", 2), ("speaking", 2)]);
        busy.recent = 2;
        let mut quiet = candidate(2, &[("experience", 3), ("speaking", 1)]);
        quiet.recent = 0;
        let ranked = rank(&criteria, &[busy, quiet]);
        let got: Vec<(i64, Option<u32>)> = ranked.iter().map(|s| (s.partner_id, s.rank)).collect();
        assert_eq!(got, vec![(2, Some(1)), (1, Some(2))]);
    }

    #[test]
    fn commitments_expire_as_the_partner_rule_says() {
        let signed = Some(d("2025-01-01"));
        assert_eq!(
            commitments(signed, d("2026-12-31"), 730),
            Commitments::Valid { signed_on: d("2025-01-01"), expires_on: d("2027-01-01") }
        );
        assert_eq!(
            commitments(signed, d("2027-01-01"), 730),
            Commitments::Expired { signed_on: d("2025-01-01"), expires_on: d("2027-01-01") }
        );
        assert_eq!(commitments(None, d("2027-01-01"), 730), Commitments::Missing);
        let p = Partner { commitments_signed_on: signed, ..Partner::default() };
        for day in ["2026-12-31", "2027-01-01"] {
            let valid = matches!(commitments(signed, d(day), 730), Commitments::Valid { .. });
            assert_eq!(valid, p.commitments_valid_on(d(day), 730), "{day}");
        }
        assert_eq!(check_day(d("2026-11-23"), Some(d("2027-01-10"))), d("2027-01-10"));
        assert_eq!(check_day(d("2026-11-23"), Some(d("2026-01-10"))), d("2026-11-23"));
        assert_eq!(check_day(d("2026-11-23"), None), d("2026-11-23"));
    }

    #[test]
    fn more_than_seats_is_refused_without_force() {
        let cs = vec![candidate(1, &[]), candidate(2, &[]), candidate(3, &[])];
        let mut choice = choose(&[1, 2, 3], &[]);
        assert_eq!(
            check(&choice, &cs, &[], &rules()).unwrap_err().to_string(),
            "3 partners are selected for 2 seats; select at most 2, or pass --force to select more partners than seats"
        );
        choice.force = true;
        let flags = check(&choice, &cs, &[], &rules()).unwrap();
        assert!(flags.iter().any(|f| f.text == "3 partners are selected for 2 seats (--force)"));
    }

    #[test]
    fn fewer_than_two_warns() {
        let cs = vec![candidate(1, &[])];
        let flags = check(&choose(&[1], &[]), &cs, &[], &rules()).unwrap();
        assert_eq!(flags[0].text, "only 1 partner is selected: always try to include at least two patient partners");
        assert_eq!(flags[0].partner_id, None);
    }

    #[test]
    fn all_new_or_all_experienced_warns_and_a_mix_does_not() {
        let mut cs = vec![candidate(1, &[]), candidate(2, &[])];
        let mix = |flags: &[Flag]| flags.iter().any(|f| f.text.contains("mix newer and experienced"));
        let flags = check(&choose(&[1, 2], &[]), &cs, &[], &rules()).unwrap();
        assert_eq!(
            flags[0].text,
            "both selected partners are new: mix newer and experienced partners so knowledge is passed on"
        );
        cs[0].completed = 1;
        assert!(!mix(&check(&choose(&[1, 2], &[]), &cs, &[], &rules()).unwrap()));
        cs[1].completed = 4;
        let flags = check(&choose(&[1, 2], &[]), &cs, &[], &rules()).unwrap();
        assert_eq!(
            flags[0].text,
            "both selected partners are experienced: mix newer and experienced partners so knowledge is passed on"
        );
        // One partner alone is not a mix to judge.
        assert!(!mix(&check(&choose(&[1], &[]), &cs, &[], &rules()).unwrap()));
    }

    #[test]
    fn a_partner_at_the_active_limit_warns() {
        let mut cs = vec![candidate(1, &[]), candidate(2, &[])];
        cs[0].completed = 1;
        cs[1].active = 3;
        let flags = check(&choose(&[1, 2], &[]), &cs, &[], &rules()).unwrap();
        assert_eq!(
            flags,
            vec![Flag {
                partner_id: Some(2),
                text: "partner 2 is already in 3 active engagements (max_active_per_partner is 3): share opportunities fairly"
                    .to_string()
            }]
        );
        cs[1].active = 2;
        assert!(check(&choose(&[1, 2], &[]), &cs, &[], &rules()).unwrap().is_empty());
    }

    #[test]
    fn missing_or_expired_commitments_and_a_missing_record_check_are_flagged() {
        let mut cs = vec![candidate(1, &[]), candidate(2, &[])];
        cs[0].completed = 1;
        cs[0].partner.commitments_signed_on = None;
        cs[1].partner.commitments_signed_on = Some(d("2024-11-01"));
        let mut r = rules();
        r.record_check_required = true;
        cs[1].partner.record_check_on = Some(d("2026-10-01"));
        let texts: Vec<String> =
            check(&choose(&[1, 2], &[]), &cs, &[], &r).unwrap().into_iter().map(|f| f.text).collect();
        assert_eq!(
            texts,
            vec![
                "partner 1 has not signed the Patient Partner Commitments; they sign before they start",
                "request 3 requires a criminal record check and partner 1 has none on file",
                "partner 2's signature of the Patient Partner Commitments is not valid on 2026-11-23 (it expired 2026-11-01); they sign again before they start",
            ]
        );
    }

    #[test]
    fn a_declared_conflict_needs_a_reason_to_be_selected_but_not_waitlisted() {
        let mut cs = vec![candidate(1, &[]), candidate(2, &[]), candidate(3, &[])];
        cs[1].conflict = Some("works on the unit".into());
        cs[2].conflict = Some("sister on the board".into());
        cs[0].completed = 1;
        let mut choice = choose(&[1, 2], &[3]);
        assert_eq!(
            check(&choice, &cs, &[], &rules()).unwrap_err().to_string(),
            "partner 2 declared a conflict of interest; selecting them needs a reason: --reason 2='why the conflict does not stand in the way'"
        );
        choice.reasons.insert(2, "  ".into());
        assert!(check(&choice, &cs, &[], &rules()).is_err());
        choice.reasons.insert(2, "works on another unit than the one redesigned".into());
        assert!(check(&choice, &cs, &[], &rules()).unwrap().is_empty());
    }

    #[test]
    fn an_excluded_candidate_is_neither_selected_nor_waitlisted() {
        let criteria = parse_list("experience!").unwrap();
        let cs = vec![
            candidate(1, &[("experience", 2)]),
            candidate(2, &[("experience", 3)]),
            candidate(3, &[("experience", 0)]),
        ];
        let standings = rank(&criteria, &cs);
        let refusal = check(&choose(&[1, 2], &[3]), &cs, &standings, &rules()).unwrap_err();
        assert_eq!(refusal, Refusal::Excluded { partner_id: 3, criterion: "experience".into() });
        assert!(refusal.to_string().starts_with("partner 3 is excluded: 0 on experience, a required criterion"));
    }

    #[test]
    fn selecting_an_unscored_candidate_warns() {
        let criteria = parse_list("experience,speaking,listening").unwrap();
        let mut cs = vec![
            candidate(1, &[("experience", 2)]),
            candidate(2, &[("experience", 2), ("speaking", 1), ("listening", 1)]),
        ];
        cs[1].completed = 1;
        let standings = rank(&criteria, &cs);
        let flags = check(&choose(&[1, 2], &[]), &cs, &standings, &rules()).unwrap();
        assert_eq!(flags[0].text, "partner 1 is selected without a score on speaking and listening");
    }

    #[test]
    fn ids_must_name_candidates_each_with_one_outcome() {
        let cs = vec![candidate(4, &[]), candidate(9, &[])];
        assert_eq!(
            check_ids(&choose(&[4, 7], &[]), &cs, 3).unwrap_err(),
            "partner 7 is not an interested candidate for request 3; the candidates are 4 and 9"
        );
        assert_eq!(
            check_ids(&choose(&[4], &[4]), &cs, 3).unwrap_err(),
            "partner 4 is both selected and waitlisted; give each partner one outcome"
        );
        let mut with_reason = choose(&[4], &[]);
        with_reason.reasons.insert(12, "x".into());
        assert!(check_ids(&with_reason, &cs, 3).unwrap_err().starts_with("partner 12 is not"));
        assert!(check_ids(&choose(&[], &[9]), &cs, 3).unwrap_err().starts_with("no partner is selected"));
        assert!(check_ids(&choose(&[4], &[9]), &cs, 3).is_ok());
    }

    #[test]
    fn reads_ids_reasons_and_scores() {
        assert_eq!(parse_ids(" 4, 9,4 ,12,"), Ok(vec![4, 9, 12]));
        assert_eq!(parse_ids("4,x").unwrap_err(), "'x' is not a partner id; give ids separated by commas, such as 4,9");
        assert_eq!(parse_ids(" ").unwrap_err(), "'' names no partner; give ids separated by commas, such as 4,9");
        assert_eq!(parse_reason("12= lived experience = yes"), Ok((12, "lived experience = yes".to_string())));
        assert!(parse_reason("twelve=x").unwrap_err().contains("is not PARTNER='reason'"));
        assert!(parse_reason("12=  ").is_err());
        assert_eq!(parse_score(" Experience=3"), Ok(("experience".to_string(), 3)));
        assert_eq!(
            parse_score("experience=4").unwrap_err(),
            "experience: '4' is not a score; a score is 0 (not met), 1, 2 or 3 (strongly met)"
        );
        assert!(parse_score("experience").unwrap_err().contains("is not CRITERION=SCORE"));
        let criteria = parse_list("experience,speaking").unwrap();
        assert_eq!(
            check_scores(&[("speak".into(), 2)], &criteria, 3).unwrap_err(),
            "request 3 has no criterion 'speak'; its criteria are experience and speaking"
        );
        assert!(check_scores(&[("speaking".into(), 2), ("speaking".into(), 1)], &criteria, 3).is_err());
    }

    #[test]
    fn why_says_what_the_rules_weigh() {
        let criteria = parse_list("experience!,speaking").unwrap();
        let mut c = candidate(1, &[("experience", 0)]);
        c.recent = 1;
        c.active = 2;
        c.conflict = Some("x".into());
        let standing = &rank(&criteria, std::slice::from_ref(&c))[0];
        let mut r = rules();
        r.record_check_required = true;
        assert_eq!(
            why(&c, standing, &r),
            "excluded: 0 on required experience; not scored on speaking; new (0 completed engagements); \
             1 engagement in the last 12 months; 2 active engagements now; conflict of interest declared; \
             commitments signed 2026-06-01, valid until 2028-05-30; no record check on file (required)"
        );
    }

    #[test]
    fn tallies_outcomes() {
        assert_eq!(
            tally([Outcome::Selected, Outcome::NotSelected, Outcome::Selected]),
            "2 selected, 0 waitlisted, 1 not selected"
        );
        assert_eq!("not_selected".parse::<Outcome>(), Ok(Outcome::NotSelected));
        assert_eq!(
            tally([Outcome::Selected, Outcome::Withdrew, Outcome::NotSelected]),
            "1 selected, 0 waitlisted, 1 not selected, 1 withdrew"
        );
        assert_eq!("withdrew".parse::<Outcome>(), Ok(Outcome::Withdrew));
        assert!(Outcome::Withdrew.took_part() && !Outcome::Waitlisted.took_part());
    }
}
