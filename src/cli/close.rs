//! `engage close`: outcomes told back, thanks, surveys to both sides, and compensation.

use super::{parse_date, parse_id};
use crate::domain::dates::DateArg;
use crate::error::{Error, Result};
use crate::{Ctx, Exit};
use clap::Subcommand;

#[derive(Debug, clap::Args)]
#[command(args_conflicts_with_subcommands = true, subcommand_negates_reqs = true)]
#[command(after_help = "\
Examples:
  engage close 3                        # on a terminal: the closing checklist
  engage close 3 --outcomes 'new discharge checklist adopted' --loop-closed today --thanked today \\
      --partner-survey today --requester-survey today
  engage close pay 3 12 --method e-transfer
  engage close statement 3 --format csv > statement.csv")]
pub struct Args {
    /// The request to close
    #[arg(value_parser = parse_id, required = true)]
    pub request: Option<i64>,
    #[command(flatten)]
    pub steps: StepArgs,
    #[command(subcommand)]
    pub command: Option<CloseCommand>,
}

#[derive(Debug, Clone, Default, clap::Args)]
pub struct StepArgs {
    /// What came of the engagement, to tell back to the partners
    #[arg(long, value_name = "T")]
    pub outcomes: Option<String>,
    /// When the outcomes were told back to the partners
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    pub loop_closed: Option<DateArg>,
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    pub thanked: Option<DateArg>,
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    pub partner_survey: Option<DateArg>,
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    pub requester_survey: Option<DateArg>,
    /// Close even with steps missing (they are kept in the timeline)
    #[arg(long)]
    pub force: bool,
}

#[derive(Debug, Subcommand)]
pub enum CloseCommand {
    /// Record how a partner was recognized, or that they declined
    Pay {
        #[arg(value_parser = parse_id)]
        request: i64,
        #[arg(value_parser = parse_id)]
        partner: i64,
        #[arg(long, value_name = "M", required_unless_present = "declined")]
        method: Option<String>,
        #[arg(long, conflicts_with = "method")]
        declined: bool,
        #[arg(long, value_name = "DATE", value_parser = parse_date)]
        paid_on: Option<DateArg>,
    },
    /// Record that a partner's expenses were reimbursed
    Reimburse {
        #[arg(value_parser = parse_id)]
        request: i64,
        #[arg(value_parser = parse_id)]
        partner: i64,
        #[arg(long, value_name = "DATE", value_parser = parse_date)]
        on: Option<DateArg>,
    },
    /// Per partner: hours, rate, owed, paid, method, expenses, reimbursed
    Statement {
        #[arg(value_parser = parse_id)]
        request: i64,
    },
}

pub fn run(args: Args, _ctx: &mut Ctx<'_>) -> Result<Exit> {
    let name = match args.command {
        None => "close",
        Some(CloseCommand::Pay { .. }) => "close pay",
        Some(CloseCommand::Reimburse { .. }) => "close reimburse",
        Some(CloseCommand::Statement { .. }) => "close statement",
    };
    Err(Error::NotAvailable(name))
}
