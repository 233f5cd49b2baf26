//! `engage checkin`: regular check-ins with partners and the requester, concerns followed up,
//! hours and expenses.

use super::{parse_date, parse_dollars, parse_hour_count, parse_id};
use crate::domain::dates::DateArg;
use crate::domain::money::{Hours, Money};
use crate::error::{Error, Result};
use crate::{Ctx, Exit};
use clap::Subcommand;

#[derive(Debug, clap::Args)]
#[command(args_conflicts_with_subcommands = true, subcommand_negates_reqs = true)]
#[command(after_help = "\
Examples:
  engage checkin 3 --partner 12 --status good --hours 2.5 --note 'first meeting went well'
  engage checkin 3 --requester --status concerns --concern barrier --note 'no captioning'
  engage checkin due")]
pub struct Args {
    /// The request checked in on
    #[arg(value_parser = parse_id, required = true)]
    pub request: Option<i64>,
    #[command(flatten)]
    pub record: RecordArgs,
    #[command(subcommand)]
    pub command: Option<CheckinCommand>,
}

#[derive(Debug, Clone, Default, clap::Args)]
pub struct RecordArgs {
    /// With a partner
    #[arg(long, value_name = "P", value_parser = parse_id, conflicts_with_all = ["requester", "team"])]
    pub partner: Option<i64>,
    /// With the requester's point of contact
    #[arg(long, conflicts_with = "team")]
    pub requester: bool,
    /// With the whole team
    #[arg(long)]
    pub team: bool,
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    pub on: Option<DateArg>,
    #[arg(long, value_name = "S")]
    pub status: Option<String>,
    #[arg(long, value_name = "KIND")]
    pub concern: Option<String>,
    /// Hours the partner worked since the last check-in
    #[arg(long, value_name = "H", value_parser = parse_hour_count)]
    pub hours: Option<Hours>,
    /// Expenses in dollars to reimburse
    #[arg(long, value_name = "DOLLARS", value_parser = parse_dollars)]
    pub expenses: Option<Money>,
    #[arg(long, value_name = "T")]
    pub expense_note: Option<String>,
    #[arg(long, value_name = "T")]
    pub note: Option<String>,
    /// When the next check-in is due (default: the request's cadence)
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    pub next: Option<DateArg>,
}

#[derive(Debug, Subcommand)]
pub enum CheckinCommand {
    /// List check-ins, of one request or all
    List {
        #[arg(value_parser = parse_id)]
        request: Option<i64>,
    },
    /// What is due now and soon, by request and person
    Due,
    /// Resolve a concern raised at a check-in
    Resolve {
        #[arg(value_parser = parse_id)]
        checkin: i64,
        #[arg(long, value_name = "T")]
        note: Option<String>,
    },
}

pub fn run(args: Args, _ctx: &mut Ctx<'_>) -> Result<Exit> {
    let name = match args.command {
        None => "checkin",
        Some(CheckinCommand::List { .. }) => "checkin list",
        Some(CheckinCommand::Due) => "checkin due",
        Some(CheckinCommand::Resolve { .. }) => "checkin resolve",
    };
    Err(Error::NotAvailable(name))
}
