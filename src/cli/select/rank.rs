//! `engage select rank`: the interested candidates ranked, with the reasons in words.

use super::pool::{Pool, criteria_words, load, score_list};
use crate::app::{Ctx, Exit};
use crate::db::requests;
use crate::domain::plural;
use crate::domain::selection::{Commitments, Outcome, commitments, why};
use crate::error::Result;
use crate::output::{Column, Format, Listing, Value};

pub(super) fn rank_cmd(request_id: i64, ctx: &mut Ctx<'_>) -> Result<Exit> {
    let db = ctx.open_db()?;
    let request = requests::get(db.conn(), request_id)?;
    let pool = load(db.conn(), request, ctx.today)?;
    let decided = pool.candidates.iter().any(|c| c.outcome.is_some());
    let listing = if ctx.format == Format::Table { rank_table(&pool, decided) } else { rank_listing(&pool) };
    ctx.print_listing(
        &listing,
        &format!(
            "Nobody has said they are interested in request {request_id} yet; \
             `engage recruit respond {request_id} PARTNER --interested` records it."
        ),
    )?;
    if !pool.candidates.is_empty() {
        let r = &pool.request;
        let excluded = pool.standings.iter().filter(|s| s.excluded_by.is_some()).count();
        let unscored = pool.standings.iter().filter(|s| !s.missing.is_empty()).count();
        let mut line = format!(
            "Request {}: {} for {}; criteria {}; ties go to fewer engagements in the last 12 months.",
            r.id,
            plural(pool.candidates.len(), "candidate", "candidates"),
            plural(r.seats as usize, "seat", "seats"),
            criteria_words(&r.criteria),
        );
        if excluded > 0 {
            line.push_str(&format!(
                " {} excluded by a required criterion.",
                plural(excluded, "candidate is", "candidates are")
            ));
        }
        ctx.note(&line)?;
        if unscored > 0 {
            ctx.note(&format!(
                "{} not fully scored: `engage select score {id} PARTNER --score CRITERION=N`, or `engage select {id}` on a terminal.",
                plural(unscored, "candidate is", "candidates are"),
                id = r.id
            ))?;
        }
    }
    Ok(Exit::Done)
}

/// The table: what a coordinator reads across, with the reasons in words.
fn rank_table(pool: &Pool, decided: bool) -> Listing {
    let all = [
        Column::id("rank"),
        Column::id("partner_id").leave_out(2),
        Column::text("name"),
        Column::number("total"),
        Column::text("scores").leave_out(1),
        Column::text("why"),
        Column::word("decision"),
    ];
    let columns = if decided { &all[..] } else { &all[..6] };
    let mut listing = Listing::new(columns);
    for (s, c) in pool.ranked() {
        let mut row = vec![
            s.rank.map_or(Value::text("excluded"), |r| Value::Int(i64::from(r))),
            Value::Int(c.id()),
            Value::text(c.partner.name()),
            Value::text(format!("{}/{}", s.total, s.max_total)),
            Value::List(score_list(c, &pool.request.criteria)),
            Value::text(why(c, s, &pool.rules)),
        ];
        if decided {
            row.push(Value::opt_text(c.outcome.map(Outcome::words)));
        }
        listing.push(row);
    }
    listing
}

/// CSV and JSON: every fact in a column of its own.
fn rank_listing(pool: &Pool) -> Listing {
    let mut listing = Listing::new(&[
        "rank",
        "partner_id",
        "name",
        "total",
        "max_total",
        "scores",
        "excluded_by",
        "missing",
        "experienced",
        "completed_engagements",
        "engagements_12_months",
        "active_engagements",
        "conflict",
        "commitments",
        "commitments_signed_on",
        "record_check_on",
        "decision",
        "why",
    ]);
    for (s, c) in pool.ranked() {
        let state = match commitments(
            c.partner.commitments_signed_on,
            pool.rules.check_on,
            pool.rules.commitments_valid_days,
        ) {
            Commitments::Missing => "missing",
            Commitments::Valid { .. } => "valid",
            Commitments::Expired { .. } => "expired",
        };
        listing.push(vec![
            Value::opt_int(s.rank.map(i64::from)),
            Value::Int(c.id()),
            Value::text(c.partner.name()),
            Value::Int(i64::from(s.total)),
            Value::Int(i64::from(s.max_total)),
            Value::List(score_list(c, &pool.request.criteria)),
            Value::opt_text(s.excluded_by.clone()),
            Value::List(s.missing.clone()),
            Value::Bool(pool.rules.experienced(c)),
            Value::Int(i64::from(c.completed)),
            Value::Int(i64::from(c.recent)),
            Value::Int(i64::from(c.active)),
            Value::opt_text(c.conflict.clone()),
            Value::text(state),
            Value::opt_date(c.partner.commitments_signed_on),
            Value::opt_date(c.partner.record_check_on),
            Value::opt_text(c.outcome.map(Outcome::as_str)),
            Value::text(why(c, s, &pool.rules)),
        ]);
    }
    listing
}
