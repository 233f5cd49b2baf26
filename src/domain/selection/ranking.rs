//! The ranking of the candidates on the request's criteria, and the facts behind each place in
//! the words of the rules.

use super::{Candidate, Rules, commitments};
use crate::domain::criteria::{Criterion, MAX_SCORE};
use crate::domain::dates::iso;
use crate::domain::kinds::PartnerStatus;
use crate::domain::partner::Partner;
use crate::domain::{and_list, plural};

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

/// Ranks the candidates (docs/rules.md, rules 5 and 13): the weighted total, highest first; a
/// required criterion scored 0 excludes; ties go to the candidate with fewer engagements in the
/// last 12 months, then to the lower partner id so the order is stable. Excluded candidates come
/// last, unranked.
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
