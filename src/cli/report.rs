//! `engage report`: the morning reminder (for cron), summaries, participation and compensation.

use super::parse_date;
use crate::domain::dates::DateArg;
use crate::error::{Error, Result};
use crate::{Ctx, Exit};
use clap::Subcommand;
use std::path::PathBuf;

#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(subcommand)]
    pub command: ReportCommand,
}

#[derive(Debug, Clone, clap::Args)]
pub struct Period {
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    pub from: Option<DateArg>,
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    pub to: Option<DateArg>,
}

#[derive(Debug, Subcommand)]
pub enum ReportCommand {
    /// What is overdue or due, most overdue first; prints nothing at all when nothing is due
    #[command(after_help = "Example (crontab):\n  0 7 * * 1-5  engage report reminders")]
    Reminders {
        #[arg(long, value_name = "DATE", value_parser = parse_date)]
        as_of: Option<DateArg>,
    },
    /// Requests by status and way, times, rates, partners, hours, compensation, reach
    Summary {
        #[command(flatten)]
        period: Period,
        /// Also write a self-contained HTML page with charts
        #[arg(long, value_name = "FILE")]
        html: Option<PathBuf>,
    },
    /// Per partner: engagements, hours, last engaged, share of opportunities
    Participation {
        #[command(flatten)]
        period: Period,
        #[arg(long, value_name = "FILE")]
        html: Option<PathBuf>,
    },
    /// Compensation per partner and per request, for the finance office
    Compensation {
        #[command(flatten)]
        period: Period,
    },
}

pub fn run(args: Args, _ctx: &mut Ctx<'_>) -> Result<Exit> {
    let name = match args.command {
        ReportCommand::Reminders { .. } => "report reminders",
        ReportCommand::Summary { .. } => "report summary",
        ReportCommand::Participation { .. } => "report participation",
        ReportCommand::Compensation { .. } => "report compensation",
    };
    Err(Error::NotAvailable(name))
}
