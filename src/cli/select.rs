//! `engage select`: scoring candidates against the request's criteria, deciding fairly,
//! notifying everyone and onboarding the selected.
//!
//! The candidates are the partners who said they are interested (`recruit respond --interested`),
//! less those who left the network or were forgotten. The rules themselves are in
//! `domain::selection`; this file gathers the facts, asks, records and logs.

use super::{check_text, checked_answer, parse_date, parse_id};
use crate::db::{Db, closing, events, invitations, partners, requests, selection, settings};
use crate::db::{Reader, Tx};
use crate::domain::Stamp;
use crate::domain::criteria::Criterion;
use crate::domain::dates::{DateArg, Follows, iso, step_day};
use crate::domain::kinds::{PartnerStatus, RequestStatus, Response};
use crate::domain::request::Request;
use crate::domain::selection::{
    Candidate, Choice, Commitments, Decision, Flag, Outcome, Refusal, Rules, Standing, Step, check, check_day,
    check_ids, check_scores, commitments, experience, id_list, parse_ids, parse_reason, parse_score, parse_score_value,
    rank, record_check, tally, why,
};
use crate::domain::text::Kind;
use crate::domain::{and_list, text};
use crate::error::{Error, Result};
use crate::output::{Column, Format, Listing, Record, Value};
use crate::prompt::{Prompter, Unanswered, ask, ask_optional};
use crate::{Ctx, Exit};
use chrono::{Months, NaiveDate};
use clap::Subcommand;
use std::collections::BTreeMap;

#[derive(Debug, clap::Args)]
#[command(args_conflicts_with_subcommands = true, subcommand_negates_reqs = true)]
#[command(after_help = "\
Examples:
  engage select 3                       # guided, on a terminal: score, rank, choose
  engage select score 3 12 --score experience=3 --score speaking=2
  engage select rank 3
  engage select decide 3 --select 12,15 --waitlist 9 --reason 12='lived experience of discharge'
  engage select notify 3
  engage select onboard 3 12 --commitments-signed 2026-11-20 --welcomed today
  engage select roster 3 --format csv > roster.csv

The guided flow shows each candidate's facts, asks a score per criterion (scores already given are
the defaults, so it can be left with q and resumed), ranks, lets you choose the selected and the
waitlisted, shows every warning of the rules and records the decision with reasons.")]
pub struct Args {
    /// The request to select for (guided, on a terminal)
    #[arg(value_parser = parse_id, required = true)]
    pub request: Option<i64>,
    #[command(subcommand)]
    pub command: Option<SelectCommand>,
}

/// Partner ids as `--select` and `--waitlist` take them: `4,9,12`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ids(pub Vec<i64>);

fn parse_id_list(text: &str) -> std::result::Result<Ids, String> {
    parse_ids(text).map(Ids)
}

#[derive(Debug, Subcommand)]
pub enum SelectCommand {
    /// Score one candidate: --score CRITERION=0..3 for each criterion
    #[command(after_help = "\
Example:
  engage select score 3 12 --score experience=3 --score speaking=2 --score listening=2

0 is not met, 3 strongly met; a 0 on a required criterion excludes the candidate. A score given
again replaces the earlier one. The first score moves the request to `selecting`.")]
    Score {
        #[arg(value_parser = parse_id)]
        request: i64,
        #[arg(value_parser = parse_id)]
        partner: i64,
        /// CRITERION=SCORE, 0 (not met) to 3 (strongly met); repeatable
        #[arg(long = "score", value_name = "CRITERION=N", value_parser = parse_score)]
        scores: Vec<(String, u8)>,
    },
    /// Rank the interested candidates: weighted total, required criteria, fair-share tie-break
    #[command(after_help = "\
Example:
  engage select rank 3 --format csv

Each row shows the weighted total (score x weight), the scores, and why: new or experienced,
engagements in the last 12 months (ties go to fewer), active engagements now, a declared conflict
of interest, the commitments and the record check. A required criterion scored 0 excludes.")]
    Rank {
        #[arg(value_parser = parse_id)]
        request: i64,
    },
    /// Decide: the selected, the waitlisted; every other interested candidate is not selected
    #[command(after_help = "\
Examples:
  engage select decide 3 --select 12,15 --waitlist 9 --reason 12='lived experience of discharge'
  engage select decide 3 --select 12,15,21 --force      # more partners than seats
  engage select decide 3 --select 12,9 --redecide --reason 9='moved up from the waitlist'
  engage select decide 3 --withdraw 15 --reason 15='moved away'   # left part-way; the rest stays
  engage select decide 3 --select 12,9 --withdraw 15 --redecide   # and 9 takes the seat

Refused: more partners than seats without --force; an excluded candidate; a candidate who declared
a conflict of interest, without a --reason for them; making a partner who has hours, expenses or
money logged waitlisted or not selected, without --force (record that they left with --withdraw:
they are paid for the hours logged and told they withdrew; either way their hours and money stay in
every statement and report). Warned: fewer than two selected, all new or all experienced, a partner
already at max_active_per_partner active engagements, commitments not signed or expired, a record
check the request requires and the partner lacks. The request becomes active.")]
    Decide {
        #[arg(value_parser = parse_id)]
        request: i64,
        /// Partner ids to select, comma-separated
        #[arg(long, value_name = "IDS", value_parser = parse_id_list, required_unless_present = "withdraw")]
        select: Option<Ids>,
        /// Partner ids to waitlist, comma-separated
        #[arg(long, value_name = "IDS", value_parser = parse_id_list)]
        waitlist: Option<Ids>,
        /// PARTNER='text': why (repeatable); needed to select a partner who declared a conflict
        #[arg(long = "reason", value_name = "PARTNER='text'", value_parser = parse_reason)]
        reasons: Vec<(i64, String)>,
        /// Selected partners who left part-way, comma-separated: `withdrew`, paid for the hours
        /// logged (alone, every other decision stays as it is)
        #[arg(long, value_name = "IDS", value_parser = parse_id_list)]
        withdraw: Option<Ids>,
        /// Select more partners than seats, or make a partner with hours or money logged
        /// waitlisted or not selected
        #[arg(long)]
        force: bool,
        /// Replace a decision already made for this request
        #[arg(long)]
        redecide: bool,
    },
    /// Mark the decisions as told to the candidates, and list whom to tell
    #[command(after_help = "\
Examples:
  engage select notify 3 --dry-run       # whom to tell, with their contact and outcome
  engage select notify 3 --on 2026-11-24

Everyone who answered hears the outcome, chosen or not.")]
    Notify {
        #[arg(value_parser = parse_id)]
        request: i64,
        /// The day they were told (default: today)
        #[arg(long, value_name = "DATE", value_parser = parse_date)]
        on: Option<DateArg>,
        /// List whom to tell, and record nothing
        #[arg(long)]
        dry_run: bool,
    },
    /// Record a selected partner's onboarding steps; with no step, show where they stand
    #[command(after_help = "\
Examples:
  engage select onboard 3 12 --commitments-signed 2026-11-20 --welcomed today
  engage select onboard 3 12            # the steps done and still to do")]
    Onboard {
        #[arg(value_parser = parse_id)]
        request: i64,
        #[arg(value_parser = parse_id)]
        partner: i64,
        /// The partner signed the Patient Partner Commitments (kept on the partner, for every engagement)
        #[arg(long, value_name = "DATE", value_parser = parse_date)]
        commitments_signed: Option<DateArg>,
        /// The partner's criminal record check was done (kept on the partner)
        #[arg(long, value_name = "DATE", value_parser = parse_date)]
        record_check: Option<DateArg>,
        #[arg(long, value_name = "DATE", value_parser = parse_date)]
        welcomed: Option<DateArg>,
        #[arg(long, value_name = "DATE", value_parser = parse_date)]
        oriented: Option<DateArg>,
        /// Introduced to the requester's team
        #[arg(long, value_name = "DATE", value_parser = parse_date)]
        introduced: Option<DateArg>,
    },
    /// The requester's contact sheet: the selected partners only
    #[command(after_help = "\
Example:
  engage select roster 3 --format csv > roster.csv

Only this engagement's selected partners, with what the requester needs to plan: how to reach
them, their pronouns, languages, accessibility needs and availability.")]
    Roster {
        #[arg(value_parser = parse_id)]
        request: i64,
    },
}

pub fn run(args: Args, ctx: &mut Ctx<'_>) -> Result<Exit> {
    match args.command {
        None => {
            let request = args.request.ok_or_else(|| {
                Error::Missing("engage select needs a request id, such as `engage select 3`".to_string())
            })?;
            guided(request, ctx)
        }
        Some(SelectCommand::Score { request, partner, scores }) => score(request, partner, scores, ctx),
        Some(SelectCommand::Rank { request }) => rank_cmd(request, ctx),
        Some(SelectCommand::Decide { request, select, waitlist, withdraw, reasons, force, redecide }) => {
            let ids = |i: Option<Ids>| i.map(|i| i.0).unwrap_or_default();
            let asked = Asked {
                keep_the_rest: select.is_none(),
                choice: Choice {
                    selected: ids(select),
                    waitlisted: ids(waitlist),
                    withdrew: ids(withdraw),
                    reasons: BTreeMap::new(),
                    force,
                },
                redecide,
                deselect_logged: force,
            };
            decide(request, asked, reasons, ctx)
        }
        Some(SelectCommand::Notify { request, on, dry_run }) => notify(request, on, dry_run, ctx),
        Some(SelectCommand::Onboard {
            request,
            partner,
            commitments_signed,
            record_check,
            welcomed,
            oriented,
            introduced,
        }) => {
            let steps = OnboardFlags { commitments_signed, record_check, welcomed, oriented, introduced };
            onboard(request, partner, steps, ctx)
        }
        Some(SelectCommand::Roster { request }) => roster(request, ctx),
    }
}

/// Everything selection weighs for one request: its candidates, their standings (in ranked
/// order) and the rules.
struct Pool {
    request: Request,
    candidates: Vec<Candidate>,
    standings: Vec<Standing>,
    rules: Rules,
}

impl Pool {
    fn candidate(&self, partner_id: i64) -> Option<&Candidate> {
        self.candidates.iter().find(|c| c.id() == partner_id)
    }

    /// Candidates in ranked order, each with their standing.
    fn ranked(&self) -> impl Iterator<Item = (&Standing, &Candidate)> {
        self.standings.iter().filter_map(|s| self.candidate(s.partner_id).map(|c| (s, c)))
    }

    fn ids(&self) -> Vec<i64> {
        self.candidates.iter().map(Candidate::id).collect()
    }
}

/// Partners who said they are interested, less those who left the network or were forgotten.
fn is_candidate(p: &crate::domain::partner::Partner) -> bool {
    !matches!(p.status, PartnerStatus::Withdrawn | PartnerStatus::Forgotten)
}

fn load(conn: &Reader, request: Request, today: NaiveDate) -> Result<Pool> {
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

fn refuse_final(request: &Request, what: &str) -> Result<()> {
    if request.status.is_final() {
        return Err(Error::Refused(format!("request {} is {}; {what}", request.id, request.status)));
    }
    Ok(())
}

fn no_candidates(request_id: i64) -> Error {
    Error::Refused(format!(
        "nobody has said they are interested in request {request_id} yet; \
         `engage recruit respond {request_id} PARTNER --interested` records an expression of interest"
    ))
}

/// `experience (required), speaking, listening (weight 2)`.
fn criteria_words(criteria: &[Criterion]) -> String {
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

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
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
fn save_scores(tx: &Tx<'_>, stamp: &Stamp, request_id: i64, partner_id: i64, scores: &[(String, u8)]) -> Result<bool> {
    for (criterion, score) in scores {
        selection::set_score(tx, stamp, request_id, partner_id, criterion, *score)?;
    }
    let names: Vec<&str> = scores.iter().map(|(n, _)| n.as_str()).collect();
    events::log(tx, stamp, "scored", Some(request_id), Some(partner_id), &names.join(", "))?;
    start_selecting(tx, stamp, request_id)
}

/// Why a partner who is not among the candidates is not.
fn not_a_candidate(conn: &Reader, request_id: i64, partner_id: i64) -> Result<Error> {
    let partner = partners::get(conn, partner_id)?;
    let response = invitations::find(conn, request_id, partner_id)?.map(|i| i.response);
    let why = match (is_candidate(&partner), response) {
        (false, _) => format!("they are {} in the network", partner.status),
        (true, None) => "they were not invited and have not responded".to_string(),
        (true, Some(Some(Response::Declined))) => "they declined".to_string(),
        (true, Some(_)) => "they were invited and have not responded".to_string(),
    };
    Ok(Error::Invalid(format!(
        "partner {partner_id} is not an interested candidate for request {request_id} ({why}); \
         `engage select rank {request_id}` lists the candidates"
    )))
}

fn score(request_id: i64, partner_id: i64, scores: Vec<(String, u8)>, ctx: &mut Ctx<'_>) -> Result<Exit> {
    if scores.is_empty() {
        return Err(Error::Missing(
            "select score needs --score CRITERION=N for each criterion to score, such as --score experience=3"
                .to_string(),
        ));
    }
    let mut db = ctx.open_db()?;
    let request = requests::get(db.conn(), request_id)?;
    refuse_final(&request, "its candidates are not scored any more")?;
    check_scores(&scores, &request.criteria, request_id).map_err(Error::Invalid)?;
    let interested =
        invitations::find(db.conn(), request_id, partner_id)?.is_some_and(|i| i.response == Some(Response::Interested));
    let partner = partners::get(db.conn(), partner_id)?;
    if !interested || !is_candidate(&partner) {
        return Err(not_a_candidate(db.conn(), request_id, partner_id)?);
    }
    let stamp = ctx.stamp.clone();
    let moved = db.write(|tx| save_scores(tx, &stamp, request_id, partner_id, &scores))?;
    let pool = load(db.conn(), requests::get(db.conn(), request_id)?, ctx.today)?;
    let given: Vec<String> = scores.iter().map(|(n, s)| format!("{n} {s}")).collect();
    let mut line =
        format!("Scored partner {partner_id} ({}) for request {request_id}: {}.", partner.name(), given.join(", "));
    if let Some(s) = pool.standings.iter().find(|s| s.partner_id == partner_id) {
        if s.missing.is_empty() {
            line.push_str(&format!(" Total {} of {}.", s.total, s.max_total));
        } else {
            let missing: Vec<&str> = s.missing.iter().map(String::as_str).collect();
            line.push_str(&format!(" Still to score: {}.", and_list(&missing)));
        }
    }
    ctx.note(&line)?;
    if let Some(criterion) =
        pool.standings.iter().find(|s| s.partner_id == partner_id).and_then(|s| s.excluded_by.as_ref())
    {
        ctx.warn(&format!("partner {partner_id} is excluded: 0 on {criterion}, a required criterion"))?;
    }
    if moved {
        ctx.note(&format!("Request {request_id} is now selecting."))?;
    }
    Ok(Exit::Done)
}

fn rank_cmd(request_id: i64, ctx: &mut Ctx<'_>) -> Result<Exit> {
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

fn score_list(c: &Candidate, criteria: &[Criterion]) -> Vec<String> {
    criteria.iter().filter_map(|cr| c.scores.get(&cr.name).map(|s| format!("{}={s}", cr.name))).collect()
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

/// What `decide` did, for the sentences after it.
struct Decided {
    pool: Pool,
    choice: Choice,
    flags: Vec<Flag>,
    again: bool,
}

/// A decision as asked for, before the earlier one is read.
#[derive(Clone)]
struct Asked {
    choice: Choice,
    /// Only `--withdraw` was given: everyone else keeps their outcome.
    keep_the_rest: bool,
    redecide: bool,
    /// Make a partner with hours, expenses or money logged waitlisted or not selected.
    deselect_logged: bool,
}

/// The partners a choice would take out of an engagement they have hours, expenses or money in
/// (selected or withdrew before, waitlisted or not selected now), with what is logged for them.
fn logged_deselections(
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
fn logged_words(pool: &Pool, logged: &[(i64, Outcome, Vec<String>)]) -> String {
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
fn keep_withdrawn(choice: &mut Choice, pool: &Pool, earlier: &[Decision]) {
    for d in earlier.iter().filter(|d| d.outcome == Outcome::Withdrew) {
        let id = d.partner_id;
        if pool.candidate(id).is_some() && choice.outcome_of(id) == Outcome::NotSelected {
            choice.withdrew.push(id);
        }
    }
}

/// Weighs the choice against the rules and records it, in one transaction: every candidate gets a
/// decision, the warnings go to the log, the request becomes active.
fn decide_in(tx: &Tx<'_>, stamp: &Stamp, request_id: i64, today: NaiveDate, asked: Asked) -> Result<Decided> {
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
fn others(pool: &Pool, choice: &Choice) -> usize {
    pool.candidates.iter().filter(|c| choice.outcome_of(c.id()) == Outcome::NotSelected).count()
}

fn decide(request_id: i64, mut asked: Asked, reasons: Vec<(i64, String)>, ctx: &mut Ctx<'_>) -> Result<Exit> {
    for (id, reason) in reasons {
        check_text(&format!("--reason for partner {id}"), Some(&reason), Kind::Note)?;
        if asked.choice.reasons.insert(id, reason).is_some() {
            return Err(Error::Invalid(format!("--reason is given twice for partner {id}; give one reason each")));
        }
    }
    let mut db = ctx.open_db()?;
    let stamp = ctx.stamp.clone();
    let today = ctx.today;
    let decided = db.write(|tx| decide_in(tx, &stamp, request_id, today, asked.clone()))?;
    for f in &decided.flags {
        ctx.warn(&f.text)?;
    }
    report_decided(&decided, ctx)?;
    let mut listing = Listing::new(&[
        Column::id("partner_id"),
        Column::text("name"),
        Column::word("outcome"),
        Column::text("reason"),
    ]);
    for d in selection::decisions(db.conn(), request_id)? {
        let name = partners::get(db.conn(), d.partner_id)?.name();
        listing.push(vec![
            Value::Int(d.partner_id),
            Value::text(name),
            Value::text(d.outcome.as_str()),
            Value::opt_text(d.reason),
        ]);
    }
    ctx.print_listing(&listing, "")?;
    Ok(Exit::Done)
}

fn report_decided(d: &Decided, ctx: &mut Ctx<'_>) -> Result<()> {
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

/// What a step's day may not be after, and why.
const HAPPENED: &str = "record a step on or after the day it happened";

fn notify(request_id: i64, on: Option<DateArg>, dry_run: bool, ctx: &mut Ctx<'_>) -> Result<Exit> {
    let today = ctx.today;
    let on = step_day("--on", on, today, HAPPENED, None).map_err(Error::Invalid)?;
    let mut db = ctx.open_db()?;
    let stamp = ctx.stamp.clone();
    let told = db.write_or_rollback(dry_run, |tx| {
        let request = requests::get(tx, request_id)?;
        let decisions = selection::decisions(tx, request_id)?;
        if decisions.is_empty() {
            return Err(Error::Refused(format!(
                "request {request_id} has no decision yet; `engage select decide {request_id} --select IDS` makes it"
            )));
        }
        let decided = decisions.iter().filter(|d| d.notified_on.is_none()).map(|d| d.decided_on).max();
        let follows =
            request.recorded("candidates are told after the request is recorded").later(decided.map(|day| Follows {
                day,
                what: "the decision".to_string(),
                why: "candidates are told after it is made",
            }));
        step_day("--on", Some(DateArg::On(on)), today, HAPPENED, Some(&follows)).map_err(Error::Invalid)?;
        let told = selection::notify(tx, request.id, on)?;
        for (partner_id, outcome) in &told {
            events::log(tx, &stamp, "notified", Some(request.id), Some(*partner_id), outcome.as_str())?;
        }
        if !told.is_empty() {
            let detail = format!("told on {}: {}", iso(on), tally(told.iter().map(|(_, o)| *o)));
            events::log(tx, &stamp, "notified", Some(request.id), None, &detail)?;
        }
        Ok(told)
    })?;
    let mut listing = Listing::new(&[
        Column::id("partner_id"),
        Column::text("name"),
        Column::email("email"),
        Column::phone("phone"),
        Column::word("preferred_contact").leave_out(1),
        Column::word("outcome"),
    ]);
    for (partner_id, outcome) in &told {
        let p = partners::get(db.conn(), *partner_id)?;
        listing.push(vec![
            Value::Int(p.id),
            Value::text(p.name()),
            Value::opt_text(p.email.clone()),
            Value::opt_text(p.phone.clone()),
            Value::opt_text(p.preferred_contact.clone()),
            Value::text(outcome.as_str()),
        ]);
    }
    if !told.is_empty() || ctx.format != Format::Table {
        ctx.print_listing(&listing, "")?;
    }
    if told.is_empty() {
        ctx.note(&format!("Every candidate of request {request_id} was already told; nothing changed."))?;
    } else {
        let verb = if dry_run { "Would mark" } else { "Marked" };
        ctx.note(&format!(
            "{verb} {} of request {request_id} as told on {} ({}).",
            plural(told.len(), "decision", "decisions"),
            iso(on),
            tally(told.iter().map(|(_, o)| *o))
        ))?;
    }
    Ok(Exit::Done)
}

struct OnboardFlags {
    commitments_signed: Option<DateArg>,
    record_check: Option<DateArg>,
    welcomed: Option<DateArg>,
    oriented: Option<DateArg>,
    introduced: Option<DateArg>,
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

fn onboard(request_id: i64, partner_id: i64, f: OnboardFlags, ctx: &mut Ctx<'_>) -> Result<Exit> {
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

fn roster(request_id: i64, ctx: &mut Ctx<'_>) -> Result<Exit> {
    let db = ctx.open_db()?;
    let request = requests::get(db.conn(), request_id)?;
    let mut listing = Listing::new(&[
        Column::id("partner_id").leave_out(1),
        Column::text("name"),
        Column::text("pronouns").leave_out(2),
        Column::email("email"),
        Column::phone("phone"),
        Column::word("preferred_contact").leave_out(3),
        Column::text("languages").leave_out(4),
        Column::text("accessibility_needs"),
        Column::text("availability").leave_out(5),
    ]);
    // Rule 7: the selected partners of this engagement, and nobody else.
    for d in selection::decisions(db.conn(), request_id)?.into_iter().filter(|d| d.outcome == Outcome::Selected) {
        let p = partners::get(db.conn(), d.partner_id)?;
        let answered = invitations::find(db.conn(), request_id, d.partner_id)?.and_then(|i| i.availability);
        listing.push(vec![
            Value::Int(p.id),
            Value::text(p.name()),
            Value::opt_text(p.pronouns.clone()),
            Value::opt_text(p.email.clone()),
            Value::opt_text(p.phone.clone()),
            Value::opt_text(p.preferred_contact.clone()),
            Value::List(p.languages.clone()),
            Value::opt_text(p.accessibility_needs.clone()),
            Value::opt_text(answered.or(p.availability.clone())),
        ]);
    }
    ctx.print_listing(
        &listing,
        &format!(
            "Request {request_id} has nobody selected yet; `engage select decide {request_id} --select IDS` chooses."
        ),
    )?;
    if !listing.is_empty() {
        ctx.note(&format!(
            "Roster of request {request_id} ({}): {}, for {} at {} only.",
            request.title,
            plural(listing.rows.len(), "selected partner", "selected partners"),
            request.contact_name,
            request.organization
        ))?;
    }
    Ok(Exit::Done)
}

// ---------------------------------------------------------------------------------------------
// The guided flow.

/// How the guided flow ended.
enum Guided {
    /// The coordinator stopped while scoring; what was scored is kept.
    Stopped,
    /// The request was already decided and the coordinator kept that decision.
    Kept,
    /// No decision was recorded; `saved` scores given in this run are kept.
    NotRecorded {
        saved: usize,
    },
    Recorded(Box<Decided>),
}

fn guided(request_id: i64, ctx: &mut Ctx<'_>) -> Result<Exit> {
    if !ctx.interactive() {
        return Err(Error::Missing(format!(
            "`engage select {request_id}` is guided and needs a terminal; in a script, score with \
             `engage select score {request_id} PARTNER --score CRITERION=N`, rank with `engage select rank {request_id}` \
             and decide with `engage select decide {request_id} --select IDS`"
        )));
    }
    let mut db = ctx.open_db()?;
    let request = requests::get(db.conn(), request_id)?;
    refuse_final(&request, "its selection is history")?;
    let stamp = ctx.stamp.clone();
    let today = ctx.today;
    let ended = match ctx.prompter() {
        Some(p) => guided_flow(p, &mut db, &stamp, today, request)?,
        None => return Err(Error::Missing(format!("`engage select {request_id}` needs a terminal"))),
    };
    match ended {
        Guided::Stopped => ctx.note(&format!(
            "Stopped. The scores given are kept; `engage select {request_id}` takes up where you left off."
        ))?,
        Guided::Kept => ctx.note(&format!("Request {request_id} keeps its decision; nothing changed."))?,
        Guided::NotRecorded { saved: 0 } => {
            ctx.note(&format!("Nothing was recorded. `engage select {request_id}` takes it up again."))?
        }
        Guided::NotRecorded { saved } => ctx.note(&format!(
            "The decision was not recorded; {} kept. `engage select {request_id}` takes it up again.",
            scores_given(saved)
        ))?,
        Guided::Recorded(decided) => report_decided(&decided, ctx)?,
    }
    Ok(Exit::Done)
}

/// Text from the network or a coordinator, made safe for the terminal.
fn shown(text: &str) -> String {
    text::for_terminal(text).into_owned()
}

fn facts(c: &Candidate, rules: &Rules) -> Vec<String> {
    let p = &c.partner;
    let or_none = |v: Option<&String>, none: &str| v.map_or(none.to_string(), |t| shown(t));
    let mut lines = vec![
        format!("  Statement of interest: {}", or_none(c.statement.as_ref(), "(none)")),
        format!("  Availability: {}", or_none(c.availability.as_ref().or(p.availability.as_ref()), "(not given)")),
    ];
    let mut place: Vec<String> = Vec::new();
    if let Some(region) = &p.region {
        place.push(shown(region));
    }
    if let Some(community) = p.community {
        place.push(community.to_string());
    }
    lines.push(format!(
        "  Region and community: {}",
        if place.is_empty() { "(not given)".to_string() } else { place.join(", ") }
    ));
    lines.push(format!(
        "  Topics: {}",
        if p.topics.is_empty() { "(none)".to_string() } else { shown(&p.topics.join(", ")) }
    ));
    lines.push(format!("  Lived experience: {}", or_none(p.lived_experience.as_ref(), "(not given)")));
    lines.push(format!(
        "  Experience: {}; {} in the last 12 months; {} now",
        experience(c, rules),
        plural(c.recent as usize, "engagement", "engagements"),
        plural(c.active as usize, "active engagement", "active engagements")
    ));
    lines.push(format!(
        "  Commitments: {}",
        commitments(p.commitments_signed_on, rules.check_on, rules.commitments_valid_days).state()
    ));
    lines.push(format!("  Record check: {}", record_check(p, rules.record_check_required)));
    lines.push(format!("  Conflict of interest: {}", or_none(c.conflict.as_ref(), "none declared")));
    if p.status != PartnerStatus::Active {
        lines.push(format!("  In the network: {}", p.status));
    }
    lines
}

enum ScoreAnswer {
    Score(u8),
    Later,
    Stop,
}

/// `experience (required), 0-3`: one short line; what the criterion means is said before.
fn score_prompt(c: &Criterion) -> String {
    let mut prompt = c.name.clone();
    match (c.required, c.weight) {
        (true, 1) => prompt.push_str(" (required)"),
        (true, w) => prompt.push_str(&format!(" (required, weight {w})")),
        (false, 1) => {}
        (false, w) => prompt.push_str(&format!(" (weight {w})")),
    }
    prompt.push_str(", 0-3");
    prompt
}

/// `the 3 scores given are`, for what a run of the guided flow kept.
fn scores_given(saved: usize) -> String {
    if saved == 1 { "the score given is".to_string() } else { format!("the {saved} scores given are") }
}

/// The error for a question of the guided flow left unanswered, saying what was kept.
fn unanswered(e: Unanswered, request_id: i64, saved: usize) -> Error {
    let kept = (saved > 0)
        .then(|| format!("{} kept (`engage select {request_id}` takes up where you left off)", scores_given(saved)));
    e.into_error(
        kept,
        format!(
            "score with `engage select score {request_id} PARTNER --score CRITERION=N` and decide with \
             `engage select decide {request_id} --select IDS`"
        ),
    )
}

/// Asks the scores of one candidate, the scores already given as defaults. Returns the scores
/// that changed, with whether the coordinator asked to stop, or why a question went unanswered:
/// the scores given before it are returned all the same, to be kept.
fn ask_scores(
    p: &mut dyn Prompter,
    criteria: &[Criterion],
    c: &Candidate,
) -> (Vec<(String, u8)>, std::result::Result<bool, Unanswered>) {
    let mut changed = Vec::new();
    for criterion in criteria {
        let current = c.scores.get(&criterion.name).copied();
        let default = current.map(|s| s.to_string());
        let answer = ask(p, &score_prompt(criterion), default.as_deref(), |a| match a {
            "q" | "Q" => Ok(ScoreAnswer::Stop),
            "" => Ok(ScoreAnswer::Later),
            other => parse_score_value(other)
                .map(ScoreAnswer::Score)
                .map_err(|why| format!("{why}; or leave it empty to score it later, or q to stop")),
        });
        match answer {
            Ok(ScoreAnswer::Score(s)) if Some(s) != current => changed.push((criterion.name.clone(), s)),
            Ok(ScoreAnswer::Score(_) | ScoreAnswer::Later) => {}
            Ok(ScoreAnswer::Stop) => return (changed, Ok(true)),
            Err(e) => return (changed, Err(e)),
        }
    }
    (changed, Ok(false))
}

fn candidate_line(s: &Standing, c: &Candidate, rules: &Rules) -> String {
    let place = s.rank.map_or("  -".to_string(), |r| format!("{r:>3}"));
    format!(
        "{place}. partner {} {}: {}/{} ({})",
        c.id(),
        shown(&c.partner.name()),
        s.total,
        s.max_total,
        why(c, s, rules)
    )
}

fn guided_flow(p: &mut dyn Prompter, db: &mut Db, stamp: &Stamp, today: NaiveDate, request: Request) -> Result<Guided> {
    let request_id = request.id;
    let mut pool = load(db.conn(), request, today)?;
    if pool.candidates.is_empty() {
        return Err(no_candidates(request_id));
    }
    let r = &pool.request;
    p.say(&format!(
        "Request {}: {} for {} ({}); {} interested.",
        r.id,
        shown(&r.title),
        shown(&r.organization),
        plural(r.seats as usize, "seat", "seats"),
        plural(pool.candidates.len(), "candidate", "candidates")
    ))?;
    p.say(&format!("Criteria: {}.", criteria_words(&r.criteria)))?;
    let earlier = selection::decisions(db.conn(), request_id)?;
    let redecide = !earlier.is_empty();
    if redecide {
        let first = earlier.iter().map(|d| d.decided_on).min().unwrap_or(today);
        p.say(&format!(
            "Request {request_id} was decided on {}: {}.",
            iso(first),
            tally(earlier.iter().map(|d| d.outcome))
        ))?;
        if !p.confirm("Make the decision again?", false).map_err(|e| unanswered(e, request_id, 0))? {
            return Ok(Guided::Kept);
        }
    }
    p.say("Score each candidate from 0 (not met) to 3 (strongly met) on:")?;
    for c in &r.criteria {
        match c.meaning() {
            Some(meaning) => p.say(&format!("  {}: {meaning}.", score_prompt(c).trim_end_matches(", 0-3")))?,
            None => p.say(&format!("  {}", score_prompt(c).trim_end_matches(", 0-3")))?,
        }
    }
    p.say("Each score is kept once given: answer q to stop, and `engage select` again takes up where you left off.")?;
    let mut saved = 0;

    let total = pool.candidates.len();
    for (index, c) in pool.candidates.iter().enumerate() {
        p.say("")?;
        p.say(&format!("Candidate {} of {total}: partner {}, {}", index + 1, c.id(), shown(&c.partner.name())))?;
        for line in facts(c, &pool.rules) {
            p.say(&line)?;
        }
        let criteria = &pool.request.criteria;
        let complete = criteria.iter().all(|cr| c.scores.contains_key(&cr.name));
        if complete {
            let given: Vec<String> = score_list(c, criteria);
            p.say(&format!("  Scored: {}", given.join(", ")))?;
            if p.confirm("Keep these scores?", true).map_err(|e| unanswered(e, request_id, saved))? {
                continue;
            }
        }
        // What was given is saved even when a question went unanswered (Ctrl-C part-way through
        // a candidate keeps that candidate's scores so far, as `q` does).
        let (changed, ended) = ask_scores(p, criteria, c);
        if !changed.is_empty() {
            db.write(|tx| save_scores(tx, stamp, request_id, c.id(), &changed))?;
            saved += changed.len();
        }
        match ended {
            Ok(true) => return Ok(Guided::Stopped),
            Ok(false) => {}
            Err(e) => return Err(unanswered(e, request_id, saved)),
        }
    }

    pool = load(db.conn(), requests::get(db.conn(), request_id)?, today)?;
    p.say("")?;
    p.say("Ranking (ties go to fewer engagements in the last 12 months):")?;
    for (s, c) in pool.ranked() {
        p.say(&candidate_line(s, c, &pool.rules))?;
    }

    if pool.standings.iter().all(|s| s.excluded_by.is_some()) {
        p.say("Every candidate is excluded by a required criterion scored 0; nobody can be selected.")?;
        return Ok(Guided::NotRecorded { saved });
    }
    let unanswered = |e: Unanswered| unanswered(e, request_id, saved);
    let mut deselect_logged = false;
    let (choice, flags) = 'choosing: loop {
        let mut choice = ask_choice(p, &pool, &earlier, &unanswered)?;
        keep_withdrawn(&mut choice, &pool, &earlier);
        let (mut choice, flags) = match check(&choice, &pool.candidates, &pool.standings, &pool.rules) {
            Ok(flags) => (choice, flags),
            Err(refusal @ Refusal::MoreThanSeats { .. }) => {
                p.say(&refusal.to_string())?;
                let anyway = format!(
                    "Select {} partners for {} anyway?",
                    choice.selected.len(),
                    plural(pool.request.seats as usize, "seat", "seats")
                );
                if !p.confirm(&anyway, false).map_err(unanswered)? {
                    continue;
                }
                let forced = Choice { force: true, ..choice };
                match check(&forced, &pool.candidates, &pool.standings, &pool.rules) {
                    Ok(flags) => (forced, flags),
                    Err(refusal) => {
                        p.say(&refusal.to_string())?;
                        continue;
                    }
                }
            }
            // The questions already keep out excluded candidates and ask a conflict's reason;
            // whatever else a rule refuses is said, and the choice asked again.
            Err(refusal) => {
                p.say(&refusal.to_string())?;
                continue;
            }
        };
        // Hours or money logged for a partner this would take out of the engagement.
        let logged = logged_deselections(db.conn(), &pool, &earlier, &choice)?;
        if !logged.is_empty() {
            p.say(&format!(
                "{} on request {request_id}, and that stays in every statement and report whatever the decision.",
                logged_words(&pool, &logged)
            ))?;
            let items = vec![
                "record that they left part-way: withdrew, paid for the hours logged".to_string(),
                "decide it all the same".to_string(),
                "choose again".to_string(),
            ];
            match p.choose("What now?", &items, 0).map_err(unanswered)? {
                0 => {
                    for (id, _, _) in &logged {
                        choice.waitlisted.retain(|w| w != id);
                        choice.withdrew.push(*id);
                    }
                }
                1 => deselect_logged = true,
                _ => continue 'choosing,
            }
        }
        break (choice, flags);
    };
    p.say("")?;
    for f in &flags {
        p.say(&format!("warning: {}", f.text))?;
    }
    let names = |ids: &[i64]| -> String {
        let words: Vec<String> = ids
            .iter()
            .filter_map(|id| pool.candidate(*id))
            .map(|c| format!("partner {} ({})", c.id(), shown(&c.partner.name())))
            .collect();
        if words.is_empty() { "nobody".to_string() } else { words.join(", ") }
    };
    p.say(&format!("Selected: {}.", names(&choice.selected)))?;
    p.say(&format!("Waitlisted: {}.", names(&choice.waitlisted)))?;
    if !choice.withdrew.is_empty() {
        p.say(&format!("Withdrew: {}.", names(&choice.withdrew)))?;
    }
    p.say(&format!("Not selected: {}.", plural(others(&pool, &choice), "other candidate", "other candidates")))?;
    if !p.confirm("Record this decision?", true).map_err(unanswered)? {
        return Ok(Guided::NotRecorded { saved });
    }
    let asked = Asked { choice, keep_the_rest: false, redecide, deselect_logged };
    let decided = db.write(|tx| decide_in(tx, stamp, request_id, today, asked.clone()))?;
    Ok(Guided::Recorded(Box::new(decided)))
}

/// Asks whom to select and waitlist, and the reasons; a declared conflict needs one.
fn ask_choice(
    p: &mut dyn Prompter,
    pool: &Pool,
    earlier: &[Decision],
    unanswered: &dyn Fn(Unanswered) -> Error,
) -> Result<Choice> {
    let request_id = pool.request.id;
    let ids = pool.ids();
    let eligible = |id: i64| -> std::result::Result<(), String> {
        if !ids.contains(&id) {
            return Err(format!(
                "partner {id} is not an interested candidate for request {request_id}; the candidates are {}",
                id_list(&ids)
            ));
        }
        match pool.standings.iter().find(|s| s.partner_id == id).and_then(|s| s.excluded_by.clone()) {
            Some(criterion) => Err(Refusal::Excluded { partner_id: id, criterion }.to_string()),
            None => Ok(()),
        }
    };
    let before = |outcome: Outcome| -> Vec<i64> {
        earlier.iter().filter(|d| d.outcome == outcome && ids.contains(&d.partner_id)).map(|d| d.partner_id).collect()
    };
    let suggested: Vec<i64> = if earlier.is_empty() {
        pool.standings
            .iter()
            .filter(|s| s.rank.is_some())
            .take(pool.request.seats as usize)
            .map(|s| s.partner_id)
            .collect()
    } else {
        before(Outcome::Selected)
    };
    let suggested = (!suggested.is_empty()).then(|| suggested.iter().map(i64::to_string).collect::<Vec<_>>().join(","));
    let selected = ask(p, "Partner ids to select (comma-separated)", suggested.as_deref(), |a| {
        let ids = parse_ids(a)?;
        for id in &ids {
            eligible(*id)?;
        }
        Ok(ids)
    })
    .map_err(unanswered)?;
    let waitlisted_before: Vec<i64> =
        before(Outcome::Waitlisted).into_iter().filter(|id| !selected.contains(id)).collect();
    let waitlist_default = (!waitlisted_before.is_empty())
        .then(|| waitlisted_before.iter().map(i64::to_string).collect::<Vec<_>>().join(","));
    let waitlisted = ask(
        p,
        "Partner ids to waitlist (comma-separated; empty or none for nobody)",
        waitlist_default.as_deref(),
        |a| {
            if a.is_empty() || a.eq_ignore_ascii_case("none") {
                return Ok(Vec::new());
            }
            let ids = parse_ids(a)?;
            for id in &ids {
                eligible(*id)?;
                if selected.contains(id) {
                    return Err(format!("partner {id} is already selected; give each partner one outcome"));
                }
            }
            Ok(ids)
        },
    )
    .map_err(unanswered)?;
    let mut reasons = BTreeMap::new();
    for (id, outcome) in
        selected.iter().map(|id| (*id, Outcome::Selected)).chain(waitlisted.iter().map(|id| (*id, Outcome::Waitlisted)))
    {
        let Some(c) = pool.candidate(id) else { continue };
        let reason = match (&c.conflict, outcome) {
            (Some(conflict), Outcome::Selected) => {
                p.say(&format!("Partner {id} declared a conflict of interest: {}", shown(conflict)))?;
                Some(
                    ask(p, &format!("Why select partner {id} all the same?"), None, |a| {
                        let reason = text::optional(a).ok_or_else(|| {
                            "a reason is needed to select a partner who declared a conflict of interest".to_string()
                        })?;
                        checked_answer(&reason, Kind::Note)
                    })
                    .map_err(unanswered)?,
                )
            }
            _ => {
                let prompt = format!(
                    "Reason for {} partner {id} (optional)",
                    if outcome == Outcome::Selected { "selecting" } else { "waitlisting" }
                );
                ask_optional(p, &prompt, |a| checked_answer(a, Kind::Note)).map_err(unanswered)?
            }
        };
        if let Some(reason) = reason {
            reasons.insert(id, reason);
        }
    }
    Ok(Choice { selected, waitlisted, withdrew: Vec::new(), reasons, force: false })
}
