//! A choice weighed against the rules and recorded in one transaction: every candidate gets a
//! decision, the warnings go to the log, the request becomes active. What `select decide` and
//! the guided `engage select REQ` share.

use super::pool::{Pool, load, no_candidates, refuse_final, shown};
use crate::app::Ctx;
use crate::db::{Reader, Tx};
use crate::db::{closing, events, requests, selection};
use crate::domain::Stamp;
use crate::domain::and_list;
use crate::domain::dates::iso;
use crate::domain::kinds::RequestStatus;
use crate::domain::plural;
use crate::domain::selection::{Choice, Decision, Flag, Outcome, check, check_ids, id_list, tally};
use crate::error::{Error, Result};
use chrono::NaiveDate;

/// What `decide` did, for the sentences after it.
pub(super) struct Decided {
    pub(super) pool: Pool,
    pub(super) choice: Choice,
    pub(super) flags: Vec<Flag>,
    pub(super) again: bool,
}

/// A decision as asked for, before the earlier one is read.
#[derive(Clone)]
pub(super) struct Asked {
    pub(super) choice: Choice,
    /// Only `--withdraw` was given: everyone else keeps their outcome.
    pub(super) keep_the_rest: bool,
    pub(super) redecide: bool,
    /// Make a partner with hours, expenses or money logged waitlisted or not selected.
    pub(super) deselect_logged: bool,
}

/// The partners a choice would take out of an engagement they have hours, expenses or money in
/// (selected or withdrew before, waitlisted or not selected now), with what is logged for them.
pub(super) fn logged_deselections(
    conn: &Reader,
    pool: &Pool,
    earlier: &[Decision],
    choice: &Choice,
) -> Result<Vec<(i64, Outcome, Vec<String>)>> {
    let mut out = Vec::new();
    for d in earlier.iter().filter(|d| d.outcome.took_part()) {
        let now = choice.outcome_of(d.partner_id);
        if now.took_part() || pool.candidate(d.partner_id).is_none() {
            continue;
        }
        let words = closing::account(conn, pool.request.id, d.partner_id)?.map(|a| a.money_words()).unwrap_or_default();
        if !words.is_empty() {
            out.push((d.partner_id, now, words));
        }
    }
    Ok(out)
}

/// `partner 4 (Ana Silva) has 14 hours logged and $560.00 paid; partner 5 …`.
pub(super) fn logged_words(pool: &Pool, logged: &[(i64, Outcome, Vec<String>)]) -> String {
    let parts: Vec<String> = logged
        .iter()
        .map(|(id, _, words)| {
            let name = pool.candidate(*id).map(|c| shown(&c.partner.name())).unwrap_or_else(|| format!("partner {id}"));
            let words: Vec<&str> = words.iter().map(String::as_str).collect();
            format!("partner {id} ({name}) has {}", and_list(&words))
        })
        .collect();
    parts.join("; ")
}

/// The sentence refusing to make partners with money logged waitlisted or not selected.
fn logged_refusal(pool: &Pool, logged: &[(i64, Outcome, Vec<String>)]) -> String {
    let ids: Vec<i64> = logged.iter().map(|(id, _, _)| *id).collect();
    format!(
        "{} on request {}, and that stays in every statement and report whatever the decision: pass --withdraw {} \
         to record that {} left part-way (paid for the hours logged, and told so), or --force to decide it all the \
         same",
        logged_words(pool, logged),
        pool.request.id,
        ids.iter().map(i64::to_string).collect::<Vec<_>>().join(","),
        if ids.len() == 1 { "they" } else { "they each" },
    )
}

/// A partner who withdrew stays so, unless chosen again.
pub(super) fn keep_withdrawn(choice: &mut Choice, pool: &Pool, earlier: &[Decision]) {
    for d in earlier.iter().filter(|d| d.outcome == Outcome::Withdrew) {
        let id = d.partner_id;
        if pool.candidate(id).is_some() && choice.outcome_of(id) == Outcome::NotSelected {
            choice.withdrew.push(id);
        }
    }
}

/// Weighs the choice against the rules and records it, in one transaction: every candidate gets a
/// decision, the warnings go to the log, the request becomes active.
pub(super) fn decide_in(
    tx: &Tx<'_>,
    stamp: &Stamp,
    request_id: i64,
    today: NaiveDate,
    asked: Asked,
) -> Result<Decided> {
    let Asked { mut choice, keep_the_rest, redecide, deselect_logged } = asked;
    let request = requests::get(tx, request_id)?;
    refuse_final(&request, "its decision is history")?;
    let pool = load(tx, request, today)?;
    if pool.candidates.is_empty() {
        return Err(no_candidates(request_id));
    }
    let earlier = selection::decisions(tx, request_id)?;
    let before = |id: i64| earlier.iter().find(|d| d.partner_id == id).map(|d| d.outcome);
    if keep_the_rest {
        // Only withdrawals: everyone else keeps the outcome they have.
        let kept = |outcome: Outcome| -> Vec<i64> {
            earlier
                .iter()
                .filter(|d| d.outcome == outcome && pool.candidate(d.partner_id).is_some())
                .map(|d| d.partner_id)
                .filter(|id| !choice.withdrew.contains(id))
                .collect()
        };
        choice.selected = kept(Outcome::Selected);
        choice.waitlisted = kept(Outcome::Waitlisted);
    }
    check_ids(&choice, &pool.candidates, request_id).map_err(Error::Invalid)?;
    for id in &choice.withdrew {
        match before(*id) {
            Some(outcome) if outcome.took_part() => {}
            found => {
                let now = found.map_or("has no decision".to_string(), |o| format!("is {}", o.words()));
                return Err(Error::Refused(format!(
                    "partner {id} {now} in request {request_id}; --withdraw is for a selected partner who leaves \
                     part-way"
                )));
            }
        }
    }
    if !earlier.is_empty() && !redecide && !keep_the_rest {
        let first = earlier.iter().map(|d| d.decided_on).min().unwrap_or(today);
        return Err(Error::Refused(format!(
            "request {request_id} was decided on {} ({}); pass --redecide to make the decision again",
            iso(first),
            tally(earlier.iter().map(|d| d.outcome))
        )));
    }
    keep_withdrawn(&mut choice, &pool, &earlier);
    let mut flags =
        check(&choice, &pool.candidates, &pool.standings, &pool.rules).map_err(|r| Error::Refused(r.to_string()))?;
    let logged = logged_deselections(tx, &pool, &earlier, &choice)?;
    if !logged.is_empty() && !deselect_logged {
        return Err(Error::Refused(logged_refusal(&pool, &logged)));
    }
    for (id, now, words) in &logged {
        let words: Vec<&str> = words.iter().map(String::as_str).collect();
        flags.push(Flag {
            partner_id: Some(*id),
            text: format!(
                "partner {id} is {} now; their {} stay on request {request_id}'s statement and in every report",
                now.words(),
                and_list(&words)
            ),
        });
    }
    record(tx, stamp, &pool, &choice, &flags, &earlier, today, keep_the_rest)?;
    Ok(Decided { pool, choice, flags, again: !earlier.is_empty() })
}

/// Records the choice; with `only_withdrawals`, the decisions of the others are left as they are.
#[allow(clippy::too_many_arguments)]
fn record(
    tx: &Tx<'_>,
    stamp: &Stamp,
    pool: &Pool,
    choice: &Choice,
    flags: &[Flag],
    earlier: &[Decision],
    today: NaiveDate,
    only_withdrawals: bool,
) -> Result<()> {
    let id = pool.request.id;
    for c in &pool.candidates {
        let outcome = choice.outcome_of(c.id());
        let reason = choice.reasons.get(&c.id()).map(String::as_str);
        if only_withdrawals && !choice.withdrew.contains(&c.id()) && reason.is_none() {
            continue;
        }
        selection::decide(tx, id, c.id(), outcome, reason, today)?;
        // The reason itself may say something personal: the log only says there is one.
        let mut detail = outcome.as_str().to_string();
        if reason.is_some() {
            detail.push_str(", with a reason");
        }
        if c.conflict.is_some() {
            detail.push_str(", conflict of interest declared");
        }
        events::log(tx, stamp, "decision", Some(id), Some(c.id()), &detail)?;
    }
    // A partner decided earlier who is no longer a candidate (declined since, left the network)
    // keeps no place; one who took part with hours or money logged left part-way: withdrew.
    for d in earlier.iter().filter(|d| pool.candidate(d.partner_id).is_none()) {
        let logged = d.outcome.took_part()
            && closing::account(tx, id, d.partner_id)?.is_some_and(|a| !a.money_words().is_empty());
        let now = if logged { Outcome::Withdrew } else { Outcome::NotSelected };
        if d.outcome == now || d.outcome == Outcome::Withdrew {
            continue;
        }
        selection::decide(tx, id, d.partner_id, now, Some("no longer an interested candidate"), today)?;
        let detail = format!("{}, no longer a candidate", now.as_str());
        events::log(tx, stamp, "decision", Some(id), Some(d.partner_id), &detail)?;
    }
    for f in flags {
        events::log(tx, stamp, "decision_warning", Some(id), f.partner_id, &f.text)?;
    }
    let mut summary = format!("selected {}", id_list(&choice.selected));
    if !choice.waitlisted.is_empty() {
        summary.push_str(&format!("; waitlisted {}", id_list(&choice.waitlisted)));
    }
    if !choice.withdrew.is_empty() {
        summary.push_str(&format!("; withdrew {}", id_list(&choice.withdrew)));
    }
    let others = others(pool, choice);
    summary.push_str(&format!("; {others} not selected; {}", plural(pool.request.seats as usize, "seat", "seats")));
    if choice.force && choice.selected.len() > pool.request.seats as usize {
        summary.push_str(" (--force)");
    }
    events::log(tx, stamp, if earlier.is_empty() { "decided" } else { "redecided" }, Some(id), None, &summary)?;
    let current = requests::get(tx, id)?;
    if current.status != RequestStatus::Active {
        requests::move_to(tx, stamp, &current, RequestStatus::Active, None)?;
    }
    Ok(())
}

/// The candidates neither selected, waitlisted nor withdrawn.
pub(super) fn others(pool: &Pool, choice: &Choice) -> usize {
    pool.candidates.iter().filter(|c| choice.outcome_of(c.id()) == Outcome::NotSelected).count()
}

pub(super) fn report_decided(d: &Decided, ctx: &mut Ctx<'_>) -> Result<()> {
    let id = d.pool.request.id;
    let mut line = format!(
        "Decided request {id}{}: selected {}",
        if d.again { " again" } else { "" },
        id_list(&d.choice.selected)
    );
    if !d.choice.waitlisted.is_empty() {
        line.push_str(&format!("; waitlisted {}", id_list(&d.choice.waitlisted)));
    }
    if !d.choice.withdrew.is_empty() {
        line.push_str(&format!("; withdrew {}", id_list(&d.choice.withdrew)));
    }
    line.push_str(&format!("; {} not selected. The request is active.", others(&d.pool, &d.choice)));
    ctx.note(&line)?;
    ctx.note(&format!(
        "Next: tell every candidate the outcome (`engage select notify {id}`), and onboard the selected \
         (`engage select onboard {id} PARTNER`)."
    ))
}
