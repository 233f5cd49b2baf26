//! `engage report`: the morning reminder (for cron), summaries, participation and compensation.

use super::parse_date;
use crate::db::{self, Db};
use crate::domain::dates::{DateArg, iso};
use crate::domain::{reminder, text};
use crate::error::{Error, Result};
use crate::output::{Format, Listing, Value};
use crate::{Ctx, Exit};
use chrono::NaiveDate;
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

pub fn run(args: Args, ctx: &mut Ctx<'_>) -> Result<Exit> {
    match args.command {
        ReportCommand::Reminders { as_of } => reminders(as_of, ctx),
        ReportCommand::Summary { .. } => Err(Error::NotAvailable("report summary")),
        ReportCommand::Participation { .. } => Err(Error::NotAvailable("report participation")),
        ReportCommand::Compensation { .. } => Err(Error::NotAvailable("report compensation")),
    }
}

/// The morning reminder: read only, and silent when nothing is due so that cron mails only news.
fn reminders(as_of: Option<DateArg>, ctx: &mut Ctx<'_>) -> Result<Exit> {
    let as_of = as_of.map_or(ctx.today, |d| d.resolve(ctx.today));
    let db = Db::open_read_only(&ctx.db_path)?;
    let due = db::reminders::due(db.conn(), as_of)?;
    if due.is_empty() {
        return Ok(Exit::Done);
    }
    if ctx.format == Format::Table {
        write_reminders(ctx.out, &due, as_of)?;
        return Ok(Exit::Done);
    }
    let mut listing = Listing::new(&[
        "kind",
        "due_on",
        "days_overdue",
        "request_id",
        "title",
        "partner_id",
        "name",
        "checkin_id",
        "message",
    ]);
    for d in &due {
        let i = &d.item;
        let name = match (&d.about.partner_name, i.detail.as_deref()) {
            (Some(name), _) => Some(name.clone()),
            (None, Some(detail)) if detail.starts_with("requester") => Some(d.about.contact_name.clone()),
            _ => None,
        };
        listing.push(vec![
            Value::text(i.kind.as_str()),
            Value::Date(i.due_on),
            Value::Int(reminder::days_overdue(i.due_on, as_of)),
            Value::Int(i.request_id),
            Value::text(&d.about.title),
            Value::opt_int(i.partner_id),
            Value::opt_text(name),
            Value::opt_int(i.checkin_id),
            Value::text(reminder::message(i, &d.about, as_of)),
        ]);
    }
    ctx.print_listing(&listing, "")?;
    Ok(Exit::Done)
}

/// Plain lines for a mail: a count, then each kind's reminders under a heading, the kind with
/// the most overdue reminder first.
fn write_reminders(out: &mut dyn std::io::Write, due: &[db::reminders::Due], as_of: NaiveDate) -> Result<()> {
    let overdue = due.iter().filter(|d| reminder::days_overdue(d.item.due_on, as_of) > 0).count();
    let mut kinds: Vec<reminder::Kind> = Vec::new();
    for d in due {
        if !kinds.contains(&d.item.kind) {
            kinds.push(d.item.kind);
        }
    }
    let labels: Vec<String> =
        due.iter().map(|d| reminder::due_words(reminder::days_overdue(d.item.due_on, as_of))).collect();
    let width = labels.iter().map(String::len).max().unwrap_or(0);
    writeln!(
        out,
        "{} on {}, {} overdue.",
        if due.len() == 1 { "1 reminder".to_string() } else { format!("{} reminders", due.len()) },
        iso(as_of),
        if overdue == 0 { "none".to_string() } else { overdue.to_string() }
    )?;
    for kind in kinds {
        let of_kind: Vec<usize> = (0..due.len()).filter(|n| due[*n].item.kind == kind).collect();
        writeln!(out, "\n{} ({})", kind.about(), of_kind.len())?;
        for n in of_kind {
            let d = &due[n];
            let message = reminder::message(&d.item, &d.about, as_of);
            writeln!(out, "  {:<width$}  {}", labels[n], text::for_terminal(&message))?;
        }
    }
    Ok(())
}
