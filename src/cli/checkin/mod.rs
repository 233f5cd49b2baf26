//! `engage checkin`: regular check-ins with partners and the requester, concerns followed up,
//! hours and expenses. The clap group and its dispatch; `record.rs` records a check-in (`engage
//! checkin REQ`), `list.rs`, `due.rs` and `resolve.rs` are the subcommands, and `rows.rs` is a
//! check-in as they print it.

mod due;
mod list;
mod record;
mod resolve;
mod rows;

use crate::app::{Ctx, Exit};
use crate::cli::{parse_date, parse_dollars, parse_hour_count, parse_id};
use crate::domain::checkin::{CheckinStatus, Concern};
use crate::domain::dates::DateArg;
use crate::domain::money::{Hours, Money};
use crate::error::{Error, Result};
use clap::Subcommand;

#[derive(Debug, clap::Args)]
#[command(args_conflicts_with_subcommands = true, subcommand_negates_reqs = true)]
#[command(after_help = "\
Examples:
  engage checkin 3 --partner 12 --status good --hours 2.5 --note 'first meeting went well'
  engage checkin 3 --partner 12 --expenses 32.50 --expense-note 'parking, two meetings'
  engage checkin 3 --requester --status concerns --concern barrier --note 'no captioning'
  engage checkin 3                  # on a terminal: a short form asks who, how it is going, hours
  engage checkin due

Without --status a check-in went well, unless --concern names a concern (then: concerns). The next
check-in is due --next, or the request's check-in cadence after this one. Hours and expenses are
logged per partner, so they go with --partner only.")]
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
    /// With a selected partner
    #[arg(long, value_name = "P", value_parser = parse_id, conflicts_with_all = ["requester", "team"])]
    pub partner: Option<i64>,
    /// With the requester's point of contact
    #[arg(long, conflicts_with = "team")]
    pub requester: bool,
    /// With the whole team
    #[arg(long)]
    pub team: bool,
    /// When the check-in was held (default: today)
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    pub on: Option<DateArg>,
    /// How it is going (default: good, or concerns when --concern is given)
    #[arg(long, value_enum, value_name = "S")]
    pub status: Option<CheckinStatus>,
    /// The kind of concern raised; a conduct concern goes to the engagement leader at once
    #[arg(long, value_enum, value_name = "KIND")]
    pub concern: Option<Concern>,
    /// Hours the partner worked since the last check-in
    #[arg(long, value_name = "H", value_parser = parse_hour_count)]
    pub hours: Option<Hours>,
    /// Expenses in dollars to reimburse to the partner
    #[arg(long, value_name = "DOLLARS", value_parser = parse_dollars, allow_hyphen_values = true)]
    pub expenses: Option<Money>,
    /// What the expenses were for
    #[arg(long, value_name = "T")]
    pub expense_note: Option<String>,
    /// How it is going, in words (kept with the check-in, never in the event log)
    #[arg(long, value_name = "T")]
    pub note: Option<String>,
    /// When the next check-in is due (default: the request's cadence after this one)
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    pub next: Option<DateArg>,
}

#[derive(Debug, Subcommand)]
pub enum CheckinCommand {
    /// List check-ins, of one request or all
    #[command(after_help = "Examples:\n  engage checkin list 3\n  engage checkin list --open --format csv")]
    List {
        /// The request (default: every request)
        #[arg(value_parser = parse_id)]
        request: Option<i64>,
        /// Only check-ins whose concern is still open
        #[arg(long)]
        open: bool,
    },
    /// What is due now and soon, by request and person: check-ins and open concerns
    #[command(after_help = "\
Examples:
  engage checkin due
  engage checkin due --within 14 --format json

For each active request, each selected partner and the requester are due a check-in one cadence
(checkin_every_days of the request) after their last, or after the engagement started for them.
An open conduct or serious concern is due from the day it was raised, any other after
concern_followup_days (engage config list).")]
    Due {
        /// How many days ahead count as soon
        #[arg(long, value_name = "DAYS", default_value_t = 7, value_parser = crate::cli::parse_days_ahead)]
        within: u32,
    },
    /// Resolve a concern raised at a check-in
    #[command(after_help = "Example:\n  engage checkin resolve 7 --note 'talked it through with the team lead'")]
    Resolve {
        /// The check-in that raised the concern
        #[arg(value_parser = parse_id)]
        checkin: i64,
        /// How it was resolved
        #[arg(long, value_name = "T")]
        note: Option<String>,
        /// When it was resolved (default: today)
        #[arg(long, value_name = "DATE", value_parser = parse_date)]
        on: Option<DateArg>,
    },
}

pub fn run(args: Args, ctx: &mut Ctx<'_>) -> Result<Exit> {
    match args.command {
        Some(CheckinCommand::List { request, open }) => list::list(request, open, ctx),
        Some(CheckinCommand::Due { within }) => due::due(within, ctx),
        Some(CheckinCommand::Resolve { checkin, note, on }) => resolve::resolve(checkin, note, on, ctx),
        None => {
            let request = args.request.ok_or_else(|| {
                Error::Missing("checkin needs the request's id: engage checkin REQ --partner P".to_string())
            })?;
            crate::cli::refuse_notice(ctx, request, "check-ins")?;
            record::record(request, args.record, ctx)
        }
    }
}
