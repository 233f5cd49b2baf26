//! `engage close`: outcomes told back, thanks, surveys to both sides, and compensation. The clap
//! group and its dispatch; `checklist.rs` is `engage close REQ`, `pay.rs`, `reimburse.rs` and
//! `statement.rs` the subcommands, and `settle.rs` what a payment or a reimbursement records,
//! from its subcommand or from the checklist.

mod checklist;
mod pay;
mod reimburse;
mod settle;
mod statement;

use crate::app::{Ctx, Exit};
use crate::cli::{parse_date, parse_id};
use crate::domain::compensation::Method;
use crate::domain::dates::DateArg;
use crate::error::{Error, Result};
use clap::Subcommand;

#[derive(Debug, clap::Args)]
#[command(args_conflicts_with_subcommands = true, subcommand_negates_reqs = true)]
#[command(after_help = "\
Examples:
  engage close 3                        # on a terminal: the closing checklist
  engage close 3 --outcomes 'new discharge checklist adopted' --loop-closed today --thanked today \\
      --partner-survey today --requester-survey today
  engage close 3 --thanked 2026-11-20 --keep-open     # record a step as it happens
  engage close pay 3 12 --method e-transfer
  engage close statement 3 --format csv > statement.csv

A request closes when the loop is closed: outcomes recorded and told back to the partners,
partners thanked, surveys sent to the partners and to the requester. Otherwise it refuses, names
what is missing and changes nothing, unless --keep-open (record the steps given) or --force (close
anyway; the missing steps go into the event log). Money is not a step of closing: compensation and
expenses are settled before or after closing (`engage close pay`, `engage close reimburse`), and
the morning reminder follows them (payment_due, reimbursement_due) until they are.")]
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
    /// When the partners were thanked
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    pub thanked: Option<DateArg>,
    /// When the survey went to the partners
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    pub partner_survey: Option<DateArg>,
    /// When the survey went to the requester
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    pub requester_survey: Option<DateArg>,
    /// Close even with steps missing (they are kept in the event log)
    #[arg(long, conflicts_with = "keep_open")]
    pub force: bool,
    /// Record the steps given and keep the request open
    #[arg(long)]
    pub keep_open: bool,
}

#[derive(Debug, Subcommand)]
pub enum CloseCommand {
    /// Record how a partner was recognized (paying what they are owed), or that they declined
    #[command(after_help = "\
Examples:
  engage close pay 3 12 --method e-transfer
  engage close pay 3 14 --method gift-card --paid-on 2026-11-20
  engage close pay 3 15 --declined

The amount paid is what the partner is owed at that moment: their hours logged at check-ins times
the request's rate, or its honorarium. Log hours before paying.")]
    Pay {
        /// The request
        #[arg(value_parser = parse_id)]
        request: i64,
        /// The partner, selected for the request
        #[arg(value_parser = parse_id)]
        partner: i64,
        /// How the partner chose to be recognized
        #[arg(long, value_enum, value_name = "M", required_unless_present = "declined")]
        method: Option<Method>,
        /// The partner declined compensation
        #[arg(long, conflicts_with_all = ["method", "paid_on"])]
        declined: bool,
        /// When it was paid (default: today)
        #[arg(long, value_name = "DATE", value_parser = parse_date)]
        paid_on: Option<DateArg>,
    },
    /// Record that a partner's expenses were reimbursed (what they logged since the last reimbursement)
    #[command(after_help = "\
Example:
  engage close reimburse 3 12 --on 2026-11-20

A partner may be reimbursed more than once in an engagement: each reimbursement pays back the
expenses logged at check-ins since the last one.")]
    Reimburse {
        /// The request
        #[arg(value_parser = parse_id)]
        request: i64,
        /// The partner, selected for the request
        #[arg(value_parser = parse_id)]
        partner: i64,
        /// When the expenses were reimbursed (default: today)
        #[arg(long, value_name = "DATE", value_parser = parse_date)]
        on: Option<DateArg>,
    },
    /// Per partner: hours, rate, owed, paid, method, expenses, reimbursed, with totals
    #[command(
        after_help = "Examples:\n  engage close statement 3\n  engage close statement 3 --format csv > statement.csv"
    )]
    Statement {
        /// The request
        #[arg(value_parser = parse_id)]
        request: i64,
    },
}

pub fn run(args: Args, ctx: &mut Ctx<'_>) -> Result<Exit> {
    match args.command {
        Some(CloseCommand::Pay { request, partner, method, declined, paid_on }) => {
            pay::pay(request, partner, method, declined, paid_on, ctx)
        }
        Some(CloseCommand::Reimburse { request, partner, on }) => reimburse::reimburse(request, partner, on, ctx),
        Some(CloseCommand::Statement { request }) => statement::statement(request, ctx),
        None => {
            let request = args
                .request
                .ok_or_else(|| Error::Missing("close needs the request's id: engage close REQ".to_string()))?;
            checklist::close(request, args.steps, ctx)
        }
    }
}
