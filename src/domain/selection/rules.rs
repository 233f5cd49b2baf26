//! The rules a choice is weighed against: seats, exclusions, conflicts of interest, the mix of
//! newer and experienced partners, fair shares, commitments and record checks.

use super::{Candidate, Choice, Standing, id_list};
use crate::domain::and_list;
use crate::domain::criteria::Criterion;
use crate::domain::dates::iso;
use crate::domain::kinds::PartnerStatus;
use crate::domain::plural;
use crate::domain::request::MIN_PARTNERS;
use chrono::NaiveDate;
use std::fmt;

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
    /// A partner is experienced after `experienced_after` completed engagements (docs/rules.md,
    /// rule 4).
    pub fn experienced(&self, c: &Candidate) -> bool {
        c.completed >= self.experienced_after
    }
}

/// The day the commitments must be valid on: the start of the engagement, or today.
pub fn check_day(today: NaiveDate, starts_on: Option<NaiveDate>) -> NaiveDate {
    starts_on.filter(|s| *s > today).unwrap_or(today)
}

/// Where a partner stands with the Patient Partner Commitments (docs/rules.md, rule 6).
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

/// A signature is valid for `valid_days` days, the same arithmetic as
/// [`Partner::commitments_valid_on`].
pub fn commitments(signed_on: Option<NaiveDate>, on: NaiveDate, valid_days: u32) -> Commitments {
    let Some(signed_on) = signed_on else { return Commitments::Missing };
    let expires_on = crate::domain::dates::days_after_or_last(signed_on, u64::from(valid_days));
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
    /// More partners than seats, without `--force` (rule 2).
    MoreThanSeats { selected: usize, seats: u32 },
    /// A required criterion scored 0 (rule 13).
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
