//! What every select subcommand weighs: a request's candidates with their standings in ranked
//! order and the rules, and the few steps several subcommands take (scores saved, a final
//! request refused, names made safe for the terminal).

use crate::db::{Reader, Tx};
use crate::db::{events, invitations, partners, requests, selection, settings};
use crate::domain::Stamp;
use crate::domain::criteria::Criterion;
use crate::domain::kinds::{PartnerStatus, RequestStatus};
use crate::domain::request::Request;
use crate::domain::selection::{Candidate, Outcome, Rules, Standing, check_day, rank};
use crate::domain::{and_list, text};
use crate::error::{Error, Result};
use chrono::{Months, NaiveDate};
use std::collections::BTreeMap;

/// Everything selection weighs for one request: its candidates, their standings (in ranked
/// order) and the rules.
pub(super) struct Pool {
    pub(super) request: Request,
    pub(super) candidates: Vec<Candidate>,
    pub(super) standings: Vec<Standing>,
    pub(super) rules: Rules,
}

impl Pool {
    pub(super) fn candidate(&self, partner_id: i64) -> Option<&Candidate> {
        self.candidates.iter().find(|c| c.id() == partner_id)
    }

    /// Candidates in ranked order, each with their standing.
    pub(super) fn ranked(&self) -> impl Iterator<Item = (&Standing, &Candidate)> {
        self.standings.iter().filter_map(|s| self.candidate(s.partner_id).map(|c| (s, c)))
    }

    pub(super) fn ids(&self) -> Vec<i64> {
        self.candidates.iter().map(Candidate::id).collect()
    }
}

/// Partners who said they are interested, less those who left the network or were forgotten.
pub(super) fn is_candidate(p: &crate::domain::partner::Partner) -> bool {
    !matches!(p.status, PartnerStatus::Withdrawn | PartnerStatus::Forgotten)
}

pub(super) fn load(conn: &Reader, request: Request, today: NaiveDate) -> Result<Pool> {
    let since = today.checked_sub_months(Months::new(12)).unwrap_or(today);
    let mut scores = selection::scores(conn, request.id)?;
    let outcomes: BTreeMap<i64, Outcome> =
        selection::decisions(conn, request.id)?.into_iter().map(|d| (d.partner_id, d.outcome)).collect();
    let mut candidates = Vec::new();
    for invitation in invitations::interested(conn, request.id)? {
        let partner = partners::get(conn, invitation.partner_id)?;
        if !is_candidate(&partner) {
            continue;
        }
        let counts = selection::engagements(conn, partner.id, request.id, since)?;
        candidates.push(Candidate {
            scores: scores.remove(&partner.id).unwrap_or_default(),
            outcome: outcomes.get(&partner.id).copied(),
            partner,
            statement: invitation.statement,
            availability: invitation.availability,
            conflict: invitation.conflict,
            completed: counts.completed,
            recent: counts.recent,
            active: counts.active,
        });
    }
    let rules = Rules {
        request_id: request.id,
        seats: request.seats,
        record_check_required: request.record_check_required,
        check_on: check_day(today, request.starts_on),
        experienced_after: settings::get_number(conn, "experienced_after")?,
        max_active_per_partner: settings::get_number(conn, "max_active_per_partner")?,
        commitments_valid_days: settings::get_number(conn, "commitments_valid_days")?,
    };
    let standings = rank(&request.criteria, &candidates);
    Ok(Pool { request, candidates, standings, rules })
}

pub(super) fn refuse_final(request: &Request, what: &str) -> Result<()> {
    if request.status.is_final() {
        return Err(Error::Refused(format!("request {} is {}; {what}", request.id, request.status)));
    }
    Ok(())
}

pub(super) fn no_candidates(request_id: i64) -> Error {
    Error::Refused(format!(
        "nobody has said they are interested in request {request_id} yet; \
         `engage recruit respond {request_id} PARTNER --interested` records an expression of interest"
    ))
}

/// `experience (required), speaking, listening (weight 2)`.
pub(super) fn criteria_words(criteria: &[Criterion]) -> String {
    let words: Vec<String> = criteria
        .iter()
        .map(|c| match (c.required, c.weight) {
            (true, 1) => format!("{} (required)", c.name),
            (true, w) => format!("{} (required, weight {w})", c.name),
            (false, 1) => c.name.clone(),
            (false, w) => format!("{} (weight {w})", c.name),
        })
        .collect();
    and_list(&words.iter().map(String::as_str).collect::<Vec<_>>())
}

/// Moves a request still recruiting to `selecting` once scoring starts.
fn start_selecting(tx: &Tx<'_>, stamp: &Stamp, request_id: i64) -> Result<bool> {
    let current = requests::get(tx, request_id)?;
    if matches!(current.status, RequestStatus::Submitted | RequestStatus::Recruiting) {
        requests::move_to(tx, stamp, &current, RequestStatus::Selecting, None)?;
        return Ok(true);
    }
    Ok(false)
}

/// Records scores for one candidate and logs which criteria were scored, not the scores: a
/// judgement of a person stays out of the log.
pub(super) fn save_scores(
    tx: &Tx<'_>,
    stamp: &Stamp,
    request_id: i64,
    partner_id: i64,
    scores: &[(String, u8)],
) -> Result<bool> {
    for (criterion, score) in scores {
        selection::set_score(tx, stamp, request_id, partner_id, criterion, *score)?;
    }
    let names: Vec<&str> = scores.iter().map(|(n, _)| n.as_str()).collect();
    events::log(tx, stamp, "scored", Some(request_id), Some(partner_id), &names.join(", "))?;
    start_selecting(tx, stamp, request_id)
}

pub(super) fn score_list(c: &Candidate, criteria: &[Criterion]) -> Vec<String> {
    criteria.iter().filter_map(|cr| c.scores.get(&cr.name).map(|s| format!("{}={s}", cr.name))).collect()
}

/// Text from the network or a coordinator, made safe for the terminal.
pub(super) fn shown(text: &str) -> String {
    text::for_terminal(text).into_owned()
}

/// What a step's day may not be after, and why.
pub(super) const HAPPENED: &str = "record a step on or after the day it happened";
