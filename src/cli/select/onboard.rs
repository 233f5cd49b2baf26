//! `engage select onboard`: a selected partner's onboarding steps, or where they stand.

use super::pool::{HAPPENED, refuse_final};
use crate::app::{Ctx, Exit};
use crate::db::{events, partners, requests, selection, settings};
use crate::domain::dates::{DateArg, Follows, iso, step_day};
use crate::domain::request::Request;
use crate::domain::selection::{Commitments, Decision, Outcome, Step, check_day, commitments};
use crate::error::{Error, Result};
use crate::output::{Column, Format, Record, Value};
use chrono::NaiveDate;

pub(super) struct OnboardFlags {
    pub(super) commitments_signed: Option<DateArg>,
    pub(super) record_check: Option<DateArg>,
    pub(super) welcomed: Option<DateArg>,
    pub(super) oriented: Option<DateArg>,
    pub(super) introduced: Option<DateArg>,
}

/// Where a selected partner stands: each step's date, and what is still to do.
fn onboarding_record(
    request: &Request,
    p: &crate::domain::partner::Partner,
    d: &Decision,
    rules_on: (NaiveDate, u32),
) -> Record {
    let (check_on, valid_days) = rules_on;
    let state = commitments(p.commitments_signed_on, check_on, valid_days);
    let mut to_do: Vec<String> = Vec::new();
    if !matches!(state, Commitments::Valid { .. }) {
        to_do.push("commitments".to_string());
    }
    if request.record_check_required && p.record_check_on.is_none() {
        to_do.push("record check".to_string());
    }
    for step in Step::ALL {
        if d.step_on(*step).is_none() {
            to_do.push(step.as_str().to_string());
        }
    }
    let mut record = Record::default();
    record
        .field("request_id", Value::Int(request.id))
        .field("partner_id", Value::Int(p.id))
        .field("name", Value::text(p.name()))
        .field(Column::word("outcome"), Value::text(d.outcome.as_str()))
        .field("decided_on", Value::Date(d.decided_on))
        .field("notified_on", Value::opt_date(d.notified_on))
        .field(Column::word("commitments"), Value::text(state.state()))
        .field("commitments_signed_on", Value::opt_date(p.commitments_signed_on))
        .field("record_check_required", Value::Bool(request.record_check_required))
        .field("record_check_on", Value::opt_date(p.record_check_on))
        .field("welcomed_on", Value::opt_date(d.welcomed_on))
        .field("oriented_on", Value::opt_date(d.oriented_on))
        .field("introduced_on", Value::opt_date(d.introduced_on))
        .field("still_to_do", Value::List(to_do));
    record
}

pub(super) fn onboard(request_id: i64, partner_id: i64, f: OnboardFlags, ctx: &mut Ctx<'_>) -> Result<Exit> {
    let today = ctx.today;
    let resolve = |flag: &str, d: Option<DateArg>| {
        d.map(|d| step_day(flag, Some(d), today, HAPPENED, None).map_err(Error::Invalid)).transpose()
    };
    let commitments_signed = resolve("--commitments-signed", f.commitments_signed)?;
    let record_check = resolve("--record-check", f.record_check)?;
    let steps: Vec<(Step, NaiveDate)> = [
        (Step::Welcomed, resolve("--welcomed", f.welcomed)?),
        (Step::Oriented, resolve("--oriented", f.oriented)?),
        (Step::Introduced, resolve("--introduced", f.introduced)?),
    ]
    .into_iter()
    .filter_map(|(step, on)| on.map(|on| (step, on)))
    .collect();
    let mut db = ctx.open_db()?;
    let request = requests::get(db.conn(), request_id)?;
    let partner = partners::get(db.conn(), partner_id)?;
    let decision = selection::find_decision(db.conn(), request_id, partner_id)?;
    let decision = match decision {
        Some(d) if d.outcome == Outcome::Selected => d,
        Some(d) => {
            return Err(Error::Refused(format!(
                "partner {partner_id} is {} in request {request_id}; only selected partners are onboarded",
                d.outcome.words()
            )));
        }
        None => {
            return Err(Error::Refused(format!(
                "partner {partner_id} has no decision in request {request_id}; only selected partners are onboarded"
            )));
        }
    };
    let valid_days = settings::get_number(db.conn(), "commitments_valid_days")?;
    let check_on = check_day(today, request.starts_on);
    let nothing_given = commitments_signed.is_none() && record_check.is_none() && steps.is_empty();
    if nothing_given {
        ctx.print_record(&onboarding_record(&request, &partner, &decision, (check_on, valid_days)))?;
        return Ok(Exit::Done);
    }
    refuse_final(&request, "its partners are not onboarded any more")?;
    let follows = request.recorded("onboarding comes after the request is recorded").later(Some(Follows {
        day: decision.decided_on,
        what: format!("partner {partner_id} was selected"),
        why: "onboarding comes after the decision",
    }));
    for (step, on) in &steps {
        let flag = format!("--{}", step.as_str());
        step_day(&flag, Some(DateArg::On(*on)), today, HAPPENED, Some(&follows)).map_err(Error::Invalid)?;
    }
    let stamp = ctx.stamp.clone();
    let mut done: Vec<String> = Vec::new();
    if let Some(on) = commitments_signed {
        done.push(format!("commitments signed {}", iso(on)));
    }
    if let Some(on) = record_check {
        done.push(format!("record check {}", iso(on)));
    }
    for (step, on) in &steps {
        done.push(format!("{} {}", step.words(), iso(*on)));
    }
    let detail = done.join(", ");
    db.write(|tx| {
        if let Some(on) = commitments_signed {
            selection::set_commitments_signed(tx, partner_id, on)?;
        }
        if let Some(on) = record_check {
            selection::set_record_check(tx, partner_id, on)?;
        }
        for (step, on) in &steps {
            selection::set_step(tx, request_id, partner_id, *step, *on)?;
        }
        events::log(tx, &stamp, "onboarding", Some(request_id), Some(partner_id), &detail)
    })?;
    let partner = partners::get(db.conn(), partner_id)?;
    let decision = selection::find_decision(db.conn(), request_id, partner_id)?.unwrap_or(decision);
    let record = onboarding_record(&request, &partner, &decision, (check_on, valid_days));
    let to_do = match record.fields.iter().find(|(k, _)| *k == "still_to_do") {
        Some((_, Value::List(items))) if !items.is_empty() => format!(" Still to do: {}.", items.join(", ")),
        _ => " Onboarding is complete.".to_string(),
    };
    ctx.note(&format!(
        "Onboarding of partner {partner_id} ({}) in request {request_id}: {detail}.{to_do}",
        partner.name()
    ))?;
    if request.record_check_required && partner.record_check_on.is_none() {
        ctx.warn(&format!(
            "request {request_id} requires a criminal record check and partner {partner_id} has none on file \
             (`engage select onboard {request_id} {partner_id} --record-check DATE`)"
        ))?;
    }
    if let Commitments::Expired { .. } = commitments(partner.commitments_signed_on, check_on, valid_days) {
        ctx.warn(&format!(
            "partner {partner_id}'s signature of the Patient Partner Commitments is not valid on {}; they sign again before they start",
            iso(check_on)
        ))?;
    }
    if ctx.format != Format::Table {
        ctx.print_record(&record)?;
    }
    Ok(Exit::Done)
}
