//! The command line: a folder per command group, its clap arguments (whose `///` comments are the
//! `--help`) and its dispatch in its `mod.rs`, and a file per subcommand with its `run`. This file
//! has the top-level `Cli`, clap's errors as one sentence, and what every group's flags share: the
//! value parsers, the checks of text given on the command line, and [`flag_list`]. What two groups
//! share otherwise lives below the command line, never in a sibling group.

pub mod checkin;
pub mod close;
pub mod completions;
pub mod config;
pub mod db;
pub mod manual;
pub mod message;
pub mod recruit;
pub mod report;
pub mod request;
pub mod select;
pub mod status;

use crate::app::Globals;
use crate::domain::criteria::{self, Criterion};
use crate::domain::dates::{DateArg, parse_date_arg};
use crate::domain::money::{Hours, Money, parse_hours, parse_money};
use crate::domain::text::{self, Kind};
use crate::domain::{and_list, or_list};
use crate::error::Error;
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
  engage report reminders            # what is due today; prints nothing when nothing is due
";

#[derive(Debug, Parser)]
#[command(name = "engage", version, about = ABOUT, after_help = EXAMPLES, max_term_width = 100)]
pub struct Cli {
    /// The database: a file, or a team's on a PostgreSQL server (postgres://USER@HOST/NAME) [env:
    /// ENGAGE_DB; default: the platform data directory, on Linux ~/.local/share/engage/engage.db]
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

impl Cli {
    /// The global options, as every command's [`Ctx`](crate::app::Ctx) takes them.
    pub fn globals(&self) -> Globals {
        Globals { db: self.db.clone(), format: self.format, no_input: self.no_input }
    }
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Intake: record and manage health care partners' engagement requests
    #[command(after_help = "\
Examples:
  engage request new --title 'Discharge co-design' --org 'Fraser Health' \\
      --contact-name 'Lee Wong' --contact-email lee.wong@example.org --way collaborate
  engage request list --status open
  engage request show 3")]
    Request(request::Args),
    /// Recruitment: the network's partners, sign-up imports, invitations and responses
    #[command(after_help = "\
Examples:
  engage recruit import signups.csv --rejects fix-these.csv
  engage recruit list --topic 'mental health'
  engage recruit invite 3 --dry-run")]
    Recruit(recruit::Args),
    /// Selection: score candidates against the criteria, decide, notify and onboard
    Select(select::Args),
    /// During the engagement: check-ins, concerns, hours and expenses
    Checkin(checkin::Args),
    /// Closing the loop: outcomes, thanks, surveys and compensation
    Close(close::Args),
    /// Every day: reminders for cron, summaries, participation and compensation reports
    #[command(after_help = "\
Examples:
  engage report reminders            # what is due today; prints nothing when nothing is due
  engage report summary --from 2026-01-01 --html summary.html
  engage report compensation --by partner --format csv > compensation.csv")]
    Report(report::Args),
    /// Correspondence: invitations, outcomes, welcomes, thanks, closing the loop, surveys, rosters
    Message(message::Args),
    /// Where each engagement stands: every open request with its next step, or one request whole
    Status(status::Args),
    /// The network's settings: rates per way of engaging, cadences, thresholds
    #[command(after_help = "\
Examples:
  engage config list
  engage config set rate_consult 30")]
    Config(config::Args),
    /// The database: where it is, its health, backups, copies between a file and a server
    #[command(after_help = "\
Examples:
  engage db check
  engage db backup ~/backups/engage-$(date +%F).db")]
    Db(db::Args),
    /// Print shell completions: engage completions bash > ~/.local/share/bash-completion/completions/engage
    Completions(completions::Args),
    /// Write a man page for every command into a folder: engage manual ~/.local/share/man/man1
    Manual(manual::Args),
}

/// The command line as engage reads it: [`Cli`], with every value free to start with a minus sign
/// (`--hours -5` reaches the value's own check and its sentence, instead of clap's "unexpected
/// argument").
pub fn command() -> clap::Command {
    fn numbers_may_be_negative(command: clap::Command) -> clap::Command {
        let command =
            command.mut_args(|a| if a.get_action().takes_values() { a.allow_negative_numbers(true) } else { a });
        let names: Vec<String> = command.get_subcommands().map(|s| s.get_name().to_string()).collect();
        names.iter().fold(command, |c, name| c.mut_subcommand(name, numbers_may_be_negative))
    }
    use clap::CommandFactory;
    numbers_may_be_negative(Cli::command())
}

/// Parses `args` (the program's name first) with [`command`].
pub fn parse<I, T>(args: I) -> Result<Cli, clap::Error>
where
    I: IntoIterator<Item = T>,
    T: Into<std::ffi::OsString> + Clone,
{
    use clap::FromArgMatches;
    let mut matches = command().try_get_matches_from(args)?;
    Cli::from_arg_matches_mut(&mut matches)
}

/// A usage error from clap as engage's one sentence (after `engage: error: `), or `None` for what
/// clap prints as it is (`--help`, `--version`, a group's help when its subcommand is missing).
pub fn usage_sentence(e: &clap::Error) -> Option<String> {
    use clap::error::{ContextKind, ContextValue, ErrorKind};
    let text = |kind| match e.get(kind) {
        Some(ContextValue::String(s)) => Some(s.clone()),
        Some(ContextValue::Strings(v)) => v.first().cloned(),
        _ => None,
    };
    // `--hours <H>` is the flag `--hours`; a positional `<ID>` is named by its value alone.
    let flag = text(ContextKind::InvalidArg)
        .and_then(|a| a.split(' ').next().filter(|f| f.starts_with('-')).map(String::from));
    let labelled = |sentence: String| match &flag {
        Some(flag) => format!("{flag}: {sentence}"),
        None => sentence,
    };
    match e.kind() {
        ErrorKind::DisplayHelp | ErrorKind::DisplayVersion | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => {
            None
        }
        ErrorKind::ValueValidation => {
            let reason = std::error::Error::source(e).map(|r| r.to_string());
            let value = text(ContextKind::InvalidValue).unwrap_or_default();
            Some(labelled(reason.unwrap_or_else(|| format!("'{value}' is not accepted"))))
        }
        ErrorKind::InvalidValue => {
            let value = text(ContextKind::InvalidValue).unwrap_or_default();
            let valid = match e.get(ContextKind::ValidValue) {
                Some(ContextValue::Strings(v)) => v.clone(),
                _ => Vec::new(),
            };
            Some(labelled(match (value.is_empty(), valid.is_empty()) {
                (true, _) => "needs a value".to_string(),
                (false, true) => format!("'{value}' is not accepted"),
                (false, false) => format!(
                    "'{value}' is not one of {}",
                    or_list(&valid.iter().map(String::as_str).collect::<Vec<_>>())
                ),
            }))
        }
        _ => {
            let rendered = e.render().to_string();
            let rendered = rendered.trim_end();
            Some(rendered.strip_prefix("error: ").unwrap_or(rendered).to_string())
        }
    }
}

/// Flags named in one sentence (`--title, --org and --way`), with the words that stand for them
/// after it: [`FlagList::them`] and [`FlagList::are`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FlagList {
    pub names: String,
    one: bool,
}

impl FlagList {
    /// `it` or `them`.
    pub fn them(&self) -> &'static str {
        if self.one { "it" } else { "them" }
    }

    /// `is` or `are`.
    pub fn are(&self) -> &'static str {
        if self.one { "is" } else { "are" }
    }
}

/// The flags whose condition holds (those missing, or those given where they do not belong),
/// named for a sentence; `None` when there is none. `request new needs --title and --way; pass
/// them`, `--hours is logged per partner; give it with --partner P`.
/// Refuses a step an inform request does not have (`what`: "selection", "check-ins"): a notice
/// to the network selects nobody and checks in with nobody (src/domain/shape.rs). A request that
/// is not there is left for the command to say so.
pub fn refuse_notice(ctx: &crate::app::Ctx<'_>, request_id: i64, what: &str) -> crate::error::Result<()> {
    use crate::domain::shape::Shape;
    let db = ctx.open_db()?;
    match crate::db::requests::find(db.conn(), request_id)? {
        Some(r) if !Shape::of_request(&r).selects() => {
            Err(Error::Refused(crate::domain::shape::refusal(request_id, what)))
        }
        _ => Ok(()),
    }
}

pub fn flag_list(flags: &[(&str, bool)]) -> Option<FlagList> {
    let named: Vec<&str> = flags.iter().filter(|(_, holds)| *holds).map(|(flag, _)| *flag).collect();
    (!named.is_empty()).then(|| FlagList { names: and_list(&named), one: named.len() == 1 })
}

/// Whose requests a list or a report is narrowed to: `--owner NAME`, or `--mine`.
pub struct Owner {
    pub named: Option<String>,
    pub mine: bool,
}

impl Owner {
    /// The owner's name, when the output is narrowed to one: `--mine` is the coordinator running
    /// engage ([`Ctx::coordinator`](crate::app::Ctx::coordinator)).
    pub fn name(self, ctx: &crate::app::Ctx<'_>, conn: &crate::db::Reader) -> crate::error::Result<Option<String>> {
        Ok(if self.mine { Some(ctx.coordinator(conn)?) } else { self.named })
    }
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

/// A value given on the command line meets the rules an imported one meets: no control,
/// direction-override or invisible characters where they have no place, and at most 200
/// characters for a name, 300 for a title, 10,000 for a note. The error (exit 2) names the flag.
pub fn check_text(flag: &str, value: Option<&str>, kind: Kind) -> crate::error::Result<()> {
    match value {
        Some(v) => text::check(v.trim(), kind).map_err(|why| Error::Invalid(format!("{flag} {why}"))),
        None => Ok(()),
    }
}

/// A comma-separated list (`--topics`, `--languages`): each item is a title.
pub fn check_list(flag: &str, value: Option<&str>) -> crate::error::Result<()> {
    for item in value.map(text::split_list).unwrap_or_default() {
        check_text(flag, Some(&item), Kind::Title)?;
    }
    Ok(())
}

/// A phone number given on the command line reads as the import reads one.
pub fn check_phone(flag: &str, value: Option<&str>) -> crate::error::Result<()> {
    match value.map(str::trim).filter(|v| !v.is_empty()) {
        Some(v) => crate::csvio::values::phone(v)
            .map(|_| ())
            .map_err(|why| Error::Invalid(format!("{flag} '{}' {why}", text::in_sentence(v, 60)))),
        None => Ok(()),
    }
}

/// An answer typed at a prompt meets the same rules; the reason is said and the question asked
/// again.
pub fn checked_answer(answer: &str, kind: Kind) -> Result<String, String> {
    let t = answer.trim();
    text::check(t, kind)?;
    Ok(t.to_string())
}

/// Days ahead: a whole number from 0 to 365.
pub fn parse_days_ahead(text: &str) -> Result<u32, String> {
    match text.trim().parse::<u32>() {
        Ok(n @ 0..=365) => Ok(n),
        _ => Err(format!("'{}' is not a number of days ahead; use a whole number from 0 to 365", text.trim())),
    }
}

/// How many partners: a whole number from 1.
pub fn parse_partner_count(text: &str) -> Result<u32, String> {
    match text.trim().parse::<u32>() {
        Ok(n @ 1..) => Ok(n),
        _ => Err(format!("'{}' is not a number of partners; use a whole number such as 40", text.trim())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flags_are_named_in_one_sentence_with_it_or_them() {
        assert_eq!(flag_list(&[("--title", false), ("--way", false)]), None);
        let one = flag_list(&[("--title", false), ("--way", true)]).unwrap();
        assert_eq!((one.names.as_str(), one.them(), one.are()), ("--way", "it", "is"));
        let three = flag_list(&[("--title", true), ("--org", true), ("--way", true)]).unwrap();
        assert_eq!((three.names.as_str(), three.them(), three.are()), ("--title, --org and --way", "them", "are"));
    }
}
