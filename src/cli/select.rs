//! `engage select`: scoring candidates against the request's criteria, deciding fairly,
//! notifying everyone and onboarding the selected.

use super::{parse_date, parse_id};
use crate::domain::dates::DateArg;
use crate::error::{Error, Result};
use crate::{Ctx, Exit};
use clap::Subcommand;

#[derive(Debug, clap::Args)]
#[command(args_conflicts_with_subcommands = true, subcommand_negates_reqs = true)]
#[command(after_help = "\
Examples:
  engage select 3                       # guided, on a terminal: score, rank, choose
  engage select score 3 12 --score experience=3 --score speaking=2
  engage select rank 3
  engage select decide 3 --select 12,15 --waitlist 9 --reason 12='lived experience of discharge'")]
pub struct Args {
    /// The request to select for (guided, on a terminal)
    #[arg(value_parser = parse_id, required = true)]
    pub request: Option<i64>,
    #[command(subcommand)]
    pub command: Option<SelectCommand>,
}

#[derive(Debug, Subcommand)]
pub enum SelectCommand {
    /// Score one candidate: --score CRITERION=0..3 for each criterion
    Score {
        #[arg(value_parser = parse_id)]
        request: i64,
        #[arg(value_parser = parse_id)]
        partner: i64,
        /// CRITERION=SCORE, 0 (not met) to 3 (strongly met); repeatable
        #[arg(long = "score", value_name = "CRITERION=N")]
        scores: Vec<String>,
    },
    /// Rank the interested candidates: weighted total, required criteria, fair-share tie-break
    Rank {
        #[arg(value_parser = parse_id)]
        request: i64,
    },
    /// Decide: the selected, the waitlisted; every other interested candidate is not selected
    Decide {
        #[arg(value_parser = parse_id)]
        request: i64,
        /// Partner ids to select, comma-separated
        #[arg(long, value_name = "IDS")]
        select: String,
        /// Partner ids to waitlist, comma-separated
        #[arg(long, value_name = "IDS")]
        waitlist: Option<String>,
        /// PARTNER='text': why (repeatable)
        #[arg(long = "reason", value_name = "PARTNER='text'")]
        reasons: Vec<String>,
        /// Select more partners than seats
        #[arg(long)]
        force: bool,
    },
    /// Mark the decisions as told to the candidates
    Notify {
        #[arg(value_parser = parse_id)]
        request: i64,
        #[arg(long, value_name = "DATE", value_parser = parse_date)]
        on: Option<DateArg>,
    },
    /// Record a selected partner's onboarding steps
    Onboard {
        #[arg(value_parser = parse_id)]
        request: i64,
        #[arg(value_parser = parse_id)]
        partner: i64,
        #[arg(long, value_name = "DATE", value_parser = parse_date)]
        commitments_signed: Option<DateArg>,
        #[arg(long, value_name = "DATE", value_parser = parse_date)]
        welcomed: Option<DateArg>,
        #[arg(long, value_name = "DATE", value_parser = parse_date)]
        oriented: Option<DateArg>,
        #[arg(long, value_name = "DATE", value_parser = parse_date)]
        introduced: Option<DateArg>,
    },
    /// The requester's contact sheet: the selected partners only
    Roster {
        #[arg(value_parser = parse_id)]
        request: i64,
    },
}

pub fn run(args: Args, _ctx: &mut Ctx<'_>) -> Result<Exit> {
    let name = match args.command {
        None => "select",
        Some(SelectCommand::Score { .. }) => "select score",
        Some(SelectCommand::Rank { .. }) => "select rank",
        Some(SelectCommand::Decide { .. }) => "select decide",
        Some(SelectCommand::Notify { .. }) => "select notify",
        Some(SelectCommand::Onboard { .. }) => "select onboard",
        Some(SelectCommand::Roster { .. }) => "select roster",
    };
    Err(Error::NotAvailable(name))
}
