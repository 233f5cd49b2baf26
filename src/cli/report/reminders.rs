//! `engage report reminders`: what is overdue or due, most overdue first; nothing at all when
//! nothing is due, so that cron mails only news (at a terminal, a sentence saying so).

use crate::app::{Ctx, Exit};
use crate::cli::Owner;
use crate::db;
use crate::domain::dates::{DateArg, iso};
use crate::domain::{reminder, text};
use crate::error::Result;
use crate::output::{self, Column, Format, Listing, TableStyle, Value};
use chrono::NaiveDate;

/// The morning reminder: read only, and silent when nothing is due so that cron mails only news;
/// at a terminal a table that would be empty says so instead. `request` narrows it to one request,
/// `owner` to the requests of one coordinator.
pub(super) fn reminders(as_of: Option<DateArg>, request: Option<i64>, owner: Owner, ctx: &mut Ctx<'_>) -> Result<Exit> {
    let as_of = as_of.map_or(ctx.today, |d| d.resolve(ctx.today));
    let db = ctx.open_db_read_only()?;
    if let Some(id) = request {
        db::requests::get(db.conn(), id)?;
    }
    let mut due = db::reports::due(db.conn(), as_of)?;
    if let Some(name) = owner.name(ctx, db.conn())? {
        let owned = db::requests::owned_by(db.conn(), &name)?;
        due.retain(|item| owned.contains(&item.request_id));
    }
    if let Some(id) = request {
        due.retain(|i| i.request_id == id);
    }
    if due.is_empty() {
        if ctx.format == Format::Table && ctx.table_style().terminal {
            let on = if as_of == ctx.today { "today".to_string() } else { format!("on {}", iso(as_of)) };
            let of = request.map(|id| format!(" on request {id}")).unwrap_or_default();
            writeln!(ctx.out, "Nothing is due{of} {on}.")?;
        }
        return Ok(Exit::Done);
    }
    if ctx.format == Format::Table {
        let style = ctx.table_style();
        write_reminders(ctx.out, &due, as_of, style)?;
        return Ok(Exit::Done);
    }
    let mut listing = Listing::new(&[
        Column::word("kind"),
        Column::date("due_on"),
        Column::number("days_overdue").overdue(),
        Column::id("request_id").leave_out(3),
        Column::text("title").leave_out(4),
        Column::id("partner_id").leave_out(1),
        Column::text("name").leave_out(5),
        Column::id("checkin_id").leave_out(2),
        Column::text("message"),
    ]);
    for i in &due {
        listing.push(vec![
            Value::text(i.kind.as_str()),
            Value::Date(i.due_on),
            Value::Int(reminder::days_overdue(i.due_on, as_of)),
            Value::Int(i.request_id),
            Value::text(&i.title),
            Value::opt_int(i.partner_id),
            Value::opt_text(i.name.clone()),
            Value::opt_int(i.checkin_id),
            Value::text(reminder::message(i, as_of)),
        ]);
    }
    ctx.print_listing(&listing, "")?;
    Ok(Exit::Done)
}

/// Plain lines for a mail: a count, then each kind's reminders under a heading, the kind with
/// the most overdue reminder first. On a terminal the messages wrap at spaces and overdue counts
/// stand out in colour.
fn write_reminders(
    out: &mut dyn std::io::Write,
    due: &[reminder::Item],
    as_of: NaiveDate,
    style: TableStyle,
) -> Result<()> {
    let overdue = due.iter().filter(|d| reminder::days_overdue(d.due_on, as_of) > 0).count();
    let mut kinds: Vec<reminder::Kind> = Vec::new();
    for d in due {
        if !kinds.contains(&d.kind) {
            kinds.push(d.kind);
        }
    }
    let labels: Vec<String> =
        due.iter().map(|d| reminder::due_words(reminder::days_overdue(d.due_on, as_of))).collect();
    let width = labels.iter().map(String::len).max().unwrap_or(0);
    writeln!(
        out,
        "{} on {}, {} overdue.",
        if due.len() == 1 { "1 reminder".to_string() } else { format!("{} reminders", due.len()) },
        iso(as_of),
        if overdue == 0 { "none".to_string() } else { overdue.to_string() }
    )?;
    for kind in kinds {
        let of_kind: Vec<usize> = (0..due.len()).filter(|n| due[*n].kind == kind).collect();
        writeln!(out, "\n{} ({})", kind.about(), of_kind.len())?;
        for n in of_kind {
            let d = &due[n];
            let message = reminder::message(d, as_of);
            let message = text::for_terminal(&message);
            let label = &labels[n];
            let pad = " ".repeat(width - label.len());
            let shown = if style.color && reminder::days_overdue(d.due_on, as_of) > 0 {
                format!("\x1b[1;31m{label}\x1b[0m")
            } else {
                label.clone()
            };
            let Some(columns) = style.width.map(usize::from) else {
                writeln!(out, "  {shown}{pad}  {message}")?;
                continue;
            };
            // Each message's later lines start under its first word, unless that leaves too little room.
            let indent = if columns.saturating_sub(width + 4) >= 24 { width + 4 } else { 4 };
            let lines = output::wrap_lines(&message, columns.saturating_sub(width + 4), columns - indent.min(columns));
            write!(out, "  {shown}{pad}")?;
            for (i, line) in lines.iter().enumerate() {
                match (i, line.is_empty()) {
                    (0, true) => {}
                    (0, false) => write!(out, "  {line}")?,
                    _ => write!(out, "\n{:indent$}{line}", "")?,
                }
            }
            writeln!(out)?;
        }
    }
    Ok(())
}
