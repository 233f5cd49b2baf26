//! The command line: one file per top-level command, each with its clap arguments (whose `///`
//! comments are the `--help`) and its `run`.

pub mod checkin;
pub mod close;
pub mod completions;
pub mod config;
pub mod db;
pub mod message;
pub mod recruit;
pub mod report;
pub mod request;
pub mod select;

use crate::domain::criteria::{self, Criterion};
use crate::domain::dates::{DateArg, parse_date_arg};
use crate::domain::money::{Hours, Money, parse_hours, parse_money};
use crate::output::Format;
use clap::{Parser, Subcommand};
use std::path::PathBuf;

const ABOUT: &str = "The coordinator's tool for a patient partner network: engagement requests, \
recruitment, selection, check-ins, closing the loop, and the morning reminder.";

const EXAMPLES: &str = "\
Examples:
  engage request new --title 'Discharge co-design' --org 'Fraser Health' \\
      --contact-name 'Lee Wong' --contact-email lee.wong@example.org --way collaborate
  engage request list --status open
  engage report reminders            # what is due today; prints nothing when nothing is
";

#[derive(Debug, Parser)]
#[command(name = "engage", version, about = ABOUT, after_help = EXAMPLES, max_term_width = 100)]
pub struct Cli {
    /// The database file [env: ENGAGE_DB; default: the platform data directory, on Linux
    /// ~/.local/share/engage/engage.db]
    #[arg(long, global = true, value_name = "PATH")]
    pub db: Option<PathBuf>,

    /// How lists and records are printed
    #[arg(long, global = true, value_enum, default_value_t = Format::Table, value_name = "FORMAT")]
    pub format: Format,

    /// Never prompt, even on a terminal; a missing value is an error naming its flag
    #[arg(long, global = true)]
    pub no_input: bool,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Intake: record and manage health care partners' engagement requests
    Request(request::Args),
    /// Recruitment: the network's partners, sign-up imports, invitations and responses
    Recruit(recruit::Args),
    /// Selection: score candidates against the criteria, decide, notify and onboard
    Select(select::Args),
    /// During the engagement: check-ins, concerns, hours and expenses
    Checkin(checkin::Args),
    /// Closing the loop: outcomes, thanks, surveys and compensation
    Close(close::Args),
    /// Every day: reminders for cron, summaries, participation and compensation reports
    Report(report::Args),
    /// Correspondence: invitations, outcomes, welcomes, thanks, closing the loop, surveys, rosters
    Message(message::Args),
    /// The network's settings: rates per way of engaging, cadences, thresholds
    Config(config::Args),
    /// The database file: where it is, its health, backups
    Db(db::Args),
    /// Print shell completions: engage completions bash > ~/.local/share/bash-completion/completions/engage
    Completions(completions::Args),
}

/// Ids are whole numbers.
pub fn parse_id(text: &str) -> Result<i64, String> {
    match text.trim().parse::<i64>() {
        Ok(id) if id >= 1 => Ok(id),
        _ => Err(format!("'{}' is not an id; ids are whole numbers such as 12", text.trim())),
    }
}

pub fn parse_date(text: &str) -> Result<DateArg, String> {
    parse_date_arg(text)
}

pub fn parse_dollars(text: &str) -> Result<Money, String> {
    parse_money(text)
}

pub fn parse_hour_count(text: &str) -> Result<Hours, String> {
    parse_hours(text)
}

pub fn parse_email(text: &str) -> Result<String, String> {
    crate::domain::email::parse(text)
}

/// A list of criteria as `--criteria` takes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CriteriaArg(pub Vec<Criterion>);

pub fn parse_criteria(text: &str) -> Result<CriteriaArg, String> {
    criteria::parse_list(text).map(CriteriaArg)
}

/// Days: a whole number from 1 to 3650.
pub fn parse_days(text: &str) -> Result<u32, String> {
    match text.trim().parse::<u32>() {
        Ok(n @ 1..=3650) => Ok(n),
        _ => Err(format!("'{}' is not a number of days; use a whole number from 1 to 3650", text.trim())),
    }
}
