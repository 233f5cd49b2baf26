//! `engage report`: the morning reminder (for cron), summaries, participation and compensation.
//! The clap group, its dispatch, and what the reports share: the period, and the HTML page.

mod compensation;
mod participation;
mod reminders;
mod summary;

use crate::app::{Ctx, Exit};
use crate::cli::{Owner, parse_date};
use crate::db::{self, Db};
use crate::domain::dates::DateArg;
use crate::domain::language::Language;
use crate::domain::report::{self as figures};
use crate::error::{Error, Result};
use crate::files;
use chrono::NaiveDate;
use clap::Subcommand;
use std::io::Write as _;
use std::path::PathBuf;

#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(subcommand)]
    pub command: ReportCommand,
}

#[derive(Debug, Clone, clap::Args)]
pub struct Period {
    /// The first day of the period (default: the first record)
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    pub from: Option<DateArg>,
    /// The last day of the period (default: today)
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    pub to: Option<DateArg>,
}

/// How the compensation report adds up.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum By {
    /// One line per partner per request
    Line,
    /// One line per partner, their requests added up
    Partner,
    /// One line per request, its partners added up
    Request,
}

#[derive(Debug, Subcommand)]
pub enum ReportCommand {
    /// What is overdue or due, most overdue first; prints nothing at all when nothing is due
    #[command(after_help = "\
Examples:
  engage report reminders
  engage report reminders --as-of 2026-12-01 --format json
  engage report reminders --request 3          # what is due on request 3 alone
  0 7 * * 1-5  engage report reminders          # in a crontab, with MAILTO set

Every kind of reminder: request_awaiting_review, recruitment_short, selection_due, notify_due,
onboarding_due, commitments_missing, checkin_due, concern_open, close_due, payment_due,
reimbursement_due; each says what to do and the command that does it. Nothing due prints nothing
at all, in every format, so cron mails only news; at a terminal the table says \"Nothing is due
today.\" The database is only read. `engage status REQ` shows the same reminders of one request,
with what is still to come.")]
    Reminders {
        /// Show what is due on this day instead of today
        #[arg(long, value_name = "DATE", value_parser = parse_date)]
        as_of: Option<DateArg>,
        /// Only the reminders of this request
        #[arg(long, value_name = "REQ", value_parser = crate::cli::parse_id)]
        request: Option<i64>,
        /// Only the reminders of the requests this coordinator owns
        #[arg(long, value_name = "NAME", conflicts_with = "mine")]
        owner: Option<String>,
        /// Only the reminders of the requests you own (ENGAGE_COORDINATOR, else the coordinator
        /// setting, else your user name)
        #[arg(long)]
        mine: bool,
    },
    /// Requests by status and way, times, rates, partners, hours, compensation, reach
    #[command(after_help = "\
Examples:
  engage report summary
  engage report summary --from 2026-01-01 --to 2026-12-31 --format json
  engage report summary --from 2026-01-01 --html summary.html
  engage report summary --from 2026-01-01 --html sommaire.html --lang fr

Requests are those received in the period; engagements those under way during it (from the first
decision to ends_on, or the day they closed); their hours and money as their statements add them
up; payments by the month they were made. The page is in English, or in French with --lang fr
(its words, dates and numbers); what is printed stays in English.")]
    Summary {
        #[command(flatten)]
        period: Period,
        /// Also write a self-contained HTML page with charts (readable by you only)
        #[arg(long, value_name = "FILE")]
        html: Option<PathBuf>,
        /// Replace the --html file if it exists
        #[arg(long, requires = "html")]
        force: bool,
        /// The language of the --html page: en (default) or fr
        #[arg(long, value_name = "en|fr", value_parser = parse_language, requires = "html")]
        lang: Option<Language>,
    },
    /// Per partner: engagements, hours, last engaged, share of opportunities
    #[command(after_help = "\
Examples:
  engage report participation --from 2026-01-01
  engage report participation --format csv > participation.csv
  engage report participation --html participation.html

Every partner who said they were interested in a request received in the period, or was engaged
in it. A fair share is the period's seats shared equally among the partners who said they were
interested (rule 5): twice a fair share or more, with two engagements or more, is marked
over-used; interested and never selected is marked too.")]
    Participation {
        #[command(flatten)]
        period: Period,
        /// Also write a self-contained HTML page with the distribution and the table (readable by
        /// you only)
        #[arg(long, value_name = "FILE")]
        html: Option<PathBuf>,
        /// Replace the --html file if it exists
        #[arg(long, requires = "html")]
        force: bool,
    },
    /// Compensation per partner and per request, for the finance office
    #[command(after_help = "\
Examples:
  engage report compensation --from 2026-04-01 --to 2027-03-31 --format csv > fiscal-year.csv
  engage report compensation --by partner
  engage report compensation --by request --format json
  engage report compensation --by partner --year 2026 --format csv > t4a-2026.csv

The accounts of the engagements under way during the period, as `engage close statement` shows
each: hours, rate or honorarium, owed, paid, outstanding, expenses and reimbursements, to the
cent, with totals.

With --by partner --year YYYY, a partner's year instead: what was paid to each partner and
reimbursed to them in that calendar year (by the day it was paid, whatever year the engagement
ran), slip_required when the fees are above the tax_slip_threshold setting (a T4A slip), and
payment_affects_benefits for those whose benefits office asks for the yearly figure.")]
    Compensation {
        #[command(flatten)]
        period: Period,
        /// One line per partner per request, per partner, or per request
        #[arg(long, value_enum, default_value_t = By::Line, value_name = "BY")]
        by: By,
        /// With --by partner: each partner's payments and reimbursements in this calendar year
        #[arg(long, value_name = "YYYY", value_parser = parse_year, conflicts_with_all = ["from", "to"])]
        year: Option<i32>,
    },
}

pub fn run(args: Args, ctx: &mut Ctx<'_>) -> Result<Exit> {
    match args.command {
        ReportCommand::Reminders { as_of, request, owner, mine } => {
            reminders::reminders(as_of, request, Owner { named: owner, mine }, ctx)
        }
        ReportCommand::Summary { period, html, force, lang } => {
            summary::summary(period, page_target(html, force, ctx)?, lang.unwrap_or_default(), ctx)
        }
        ReportCommand::Participation { period, html, force } => {
            participation::participation(period, page_target(html, force, ctx)?, ctx)
        }
        ReportCommand::Compensation { year: Some(year), by: By::Partner, .. } => compensation::partner_year(year, ctx),
        ReportCommand::Compensation { year: Some(year), .. } => Err(Error::Invalid(format!(
            "--year {year} gives each partner's year; use it with --by partner (or --from and --to for a period)"
        ))),
        ReportCommand::Compensation { period, by, year: None } => compensation::compensation(period, by, ctx),
    }
}

/// A calendar year: four digits, from 2000 to 2999.
fn parse_year(text: &str) -> std::result::Result<i32, String> {
    match text.trim().parse::<i32>() {
        Ok(year @ 2000..=2999) => Ok(year),
        _ => Err(format!("'{}' is not a year; use four digits, such as 2026", text.trim())),
    }
}

fn parse_language(text: &str) -> std::result::Result<Language, String> {
    text.parse()
}

fn period_of(p: &Period, today: NaiveDate) -> Result<figures::Period> {
    let to = p.to.map_or(today, |d| d.resolve(today));
    let from = p.from.map(|d| d.resolve(today));
    figures::Period::new(from, to).map_err(Error::Invalid)
}

/// The page's place, checked before the report is worked out or printed.
fn page_target(html: Option<PathBuf>, force: bool, ctx: &Ctx<'_>) -> Result<Option<files::Target>> {
    let keep = files::Keep { database: &ctx.db_path, inputs: &[] };
    html.map(|path| files::check(&path, files::HTML, force, &keep)).transpose()
}

/// Writes a report's page, with the network's name, owner-only and whole.
fn write_page(
    target: files::Target,
    what: &str,
    db: &Db,
    ctx: &mut Ctx<'_>,
    page: impl FnOnce(&str) -> String,
) -> Result<()> {
    let network = db::settings::get(db.conn(), "network_name")?;
    let shown = target.path().display().to_string();
    let mut file = target.create()?;
    file.write_all(page(&network).as_bytes()).map_err(|e| Error::io(format!("could not write {}", file.label()), e))?;
    file.finish()?;
    ctx.note(&format!("Wrote the {what} page to {shown}."))
}
