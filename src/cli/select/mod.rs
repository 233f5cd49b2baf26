//! `engage select`: scoring candidates against the request's criteria, deciding fairly,
//! notifying everyone and onboarding the selected.
//!
//! The candidates are the partners who said they are interested (`recruit respond --interested`),
//! less those who left the network or were forgotten. The rules themselves are in
//! `domain::selection`; the files here gather the facts, ask, record and log: one file per
//! subcommand, with what several of them share in `pool.rs` (the candidates and their standings)
//! and `decision.rs` (a choice weighed and recorded, for `decide` and the guided flow).

mod decide;
mod decision;
mod guided;
mod notify;
mod onboard;
mod pool;
mod rank;
mod roster;
mod score;

use crate::app::{Ctx, Exit};
use crate::cli::{parse_date, parse_id};
use crate::domain::criteria::MAX_SCORE;
use crate::domain::dates::DateArg;
use crate::domain::selection::Choice;
use crate::domain::text;
use crate::error::{Error, Result};
use clap::Subcommand;
use std::collections::BTreeMap;

use decision::Asked;
use onboard::OnboardFlags;

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

/// `4,9, 12` → [4, 9, 12]; repeats are dropped.
pub(super) fn parse_ids(text: &str) -> std::result::Result<Vec<i64>, String> {
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
pub(super) fn parse_reason(text: &str) -> std::result::Result<(i64, String), String> {
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
pub(super) fn parse_score_value(text: &str) -> std::result::Result<u8, String> {
    match text.trim().parse::<u8>() {
        Ok(n) if n <= MAX_SCORE => Ok(n),
        _ => Err(format!("'{}' is not a score; a score is 0 (not met), 1, 2 or 3 (strongly met)", text.trim())),
    }
}

/// `experience=3` → ("experience", 3).
pub(super) fn parse_score(text: &str) -> std::result::Result<(String, u8), String> {
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

#[derive(Debug, Subcommand)]
pub enum SelectCommand {
    /// Score one candidate: --score CRITERION=0..3 for each criterion
    #[command(after_help = "\
Example:
  engage select score 3 12 --score experience=3 --score speaking=2 --score listening=2

0 is not met, 3 strongly met; a 0 on a required criterion excludes the candidate. A score given
again replaces the earlier one. The first score moves the request to `selecting`.")]
    Score {
        /// The request's id
        #[arg(value_parser = parse_id)]
        request: i64,
        /// The partner's id
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
        /// The request's id
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
        /// The request's id
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
        /// The request's id
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
        /// The request's id
        #[arg(value_parser = parse_id)]
        request: i64,
        /// The partner's id
        #[arg(value_parser = parse_id)]
        partner: i64,
        /// The partner signed the Patient Partner Commitments (kept on the partner, for every engagement)
        #[arg(long, value_name = "DATE", value_parser = parse_date)]
        commitments_signed: Option<DateArg>,
        /// The partner's criminal record check was done (kept on the partner)
        #[arg(long, value_name = "DATE", value_parser = parse_date)]
        record_check: Option<DateArg>,
        /// The partner was welcomed (`engage message welcome` records it too)
        #[arg(long, value_name = "DATE", value_parser = parse_date)]
        welcomed: Option<DateArg>,
        /// The partner had their orientation
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
        /// The request's id
        #[arg(value_parser = parse_id)]
        request: i64,
    },
}

pub fn run(args: Args, ctx: &mut Ctx<'_>) -> Result<Exit> {
    let request = match &args.command {
        None => args.request,
        Some(
            SelectCommand::Score { request, .. }
            | SelectCommand::Rank { request }
            | SelectCommand::Decide { request, .. }
            | SelectCommand::Notify { request, .. }
            | SelectCommand::Onboard { request, .. }
            | SelectCommand::Roster { request },
        ) => Some(*request),
    };
    if let Some(request) = request {
        crate::cli::refuse_notice(ctx, request, "selection")?;
    }
    match args.command {
        None => {
            let request = args.request.ok_or_else(|| {
                Error::Missing("engage select needs a request id, such as `engage select 3`".to_string())
            })?;
            guided::guided(request, ctx)
        }
        Some(SelectCommand::Score { request, partner, scores }) => score::score(request, partner, scores, ctx),
        Some(SelectCommand::Rank { request }) => rank::rank_cmd(request, ctx),
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
            decide::decide(request, asked, reasons, ctx)
        }
        Some(SelectCommand::Notify { request, on, dry_run }) => notify::notify(request, on, dry_run, ctx),
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
            onboard::onboard(request, partner, steps, ctx)
        }
        Some(SelectCommand::Roster { request }) => roster::roster(request, ctx),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
    }
}
