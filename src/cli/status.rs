//! `engage status [REQ]`: where each engagement stands and what comes next, each next step with
//! the command that does it. The next steps are the request's reminders (those due now and
//! those still to come, `domain::status`), so they say what the morning reminder says.

use crate::app::{Ctx, Exit};
use crate::cli::parse_id;
use crate::db::status::{self as gathered, Open, Standing};
use crate::domain::checkin::With;
use crate::domain::compensation;
use crate::domain::kinds::RequestStatus;
use crate::domain::reminder::start_for;
use crate::domain::selection::{Outcome, commitments};
use crate::domain::status::{self, Step};
use crate::domain::text;
use crate::error::Result;
use crate::output::{self, Column, Format, Listing, Record, Value};

#[derive(Debug, clap::Args)]
#[command(after_help = "\
Examples:
  engage status                  # every open request, one line each, with its next step
  engage status 3                # where request 3 stands, and every next step with its command
  engage status 3 --format json

A request's next steps are its reminders: those `engage report reminders` shows today, then those
still to come, each with the day it is due and the command that does it. Without REQ: every request
neither closed nor cancelled, and closed ones with compensation or expenses still to settle. The
database is only read.")]
pub struct Args {
    /// The request's id (without it: every open request, one line each)
    #[arg(value_name = "REQ", value_parser = parse_id)]
    pub request: Option<i64>,
}

pub fn run(args: Args, ctx: &mut Ctx<'_>) -> Result<Exit> {
    let db = ctx.open_db_read_only()?;
    match args.request {
        Some(id) => one(&gathered::of_request(db.conn(), id)?, ctx)?,
        None => every(&gathered::open(db.conn())?, ctx)?,
    }
    Ok(Exit::Done)
}

/// Every open request, one line each: where it stands and its next step.
fn every(open: &[Open], ctx: &mut Ctx<'_>) -> Result<()> {
    let today = ctx.today;
    let table = ctx.format == Format::Table;
    let mut listing = if table {
        Listing::new(&[
            Column::id("id"),
            Column::text("title").leave_out(3),
            Column::word("status"),
            Column::id("selected").leave_out(1),
            Column::word("due"),
            Column::text("next_step"),
        ])
    } else {
        Listing::new(&[
            Column::id("request_id"),
            Column::text("title"),
            Column::text("organization"),
            Column::word("status"),
            Column::number("seats"),
            Column::number("selected"),
            Column::number("reminders_due"),
            Column::word("kind"),
            Column::date("due_on"),
            Column::number("days_overdue"),
            Column::text("next_step"),
            Column::text("command"),
        ])
    };
    for r in open {
        let steps = status::next_steps(&r.reminders, today);
        let next = steps.first();
        let message = next.map_or_else(|| status::nothing_left(r.status).to_string(), |s| s.message.clone());
        let due_now = steps.iter().filter(|s| s.due_now).count() as i64;
        if table {
            listing.push(vec![
                Value::Int(r.id),
                Value::text(&r.title),
                Value::text(r.status.as_str()),
                Value::text(format!("{} of {}", r.selected, r.seats)),
                Value::opt_text(next.map(Step::due_words)),
                Value::text(message),
            ]);
        } else {
            listing.push(vec![
                Value::Int(r.id),
                Value::text(&r.title),
                Value::text(&r.organization),
                Value::text(r.status.as_str()),
                Value::Int(i64::from(r.seats)),
                Value::Int(i64::from(r.selected)),
                Value::Int(due_now),
                Value::opt_text(next.map(|s| s.kind.as_str())),
                Value::opt_date(next.map(|s| s.due_on)),
                Value::opt_int(next.map(|s| s.days_overdue)),
                Value::text(message),
                Value::opt_text(next.map(|s| s.command.clone())),
            ]);
        }
    }
    ctx.print_listing(&listing, "No open requests. `engage request new` records one.")
}

/// One request: where it stands, everyone on it, its concerns and its next steps.
fn one(s: &Standing, ctx: &mut Ctx<'_>) -> Result<()> {
    let r = &s.request;
    let today = ctx.today;
    let table = ctx.format == Format::Table;
    let steps = status::next_steps(&s.reminders, today);
    let count = |outcome: Outcome| s.decisions.iter().filter(|(d, _)| d.outcome == outcome).count() as i64;
    let responses = |want: Option<crate::domain::kinds::Response>| {
        s.invitations.iter().filter(|i| i.response.is_some() && (want.is_none() || i.response == want)).count() as i64
    };
    use crate::domain::kinds::Response;
    let open_concerns: Vec<_> = s.checkins.iter().filter(|c| c.open_concern().is_some()).collect();
    let totals = compensation::totals(&s.accounts, r.pay);
    let c = &r.closing;
    // A table leaves out the counts of a stage not reached yet (no responses, decisions,
    // check-ins or accounts) rather than a column of zeros; CSV and JSON keep every field.
    let reached = |reached: bool, value: Value| if reached || !table { value } else { Value::Null };
    let mut record = Record::default();
    record
        .field(Column::id("request_id"), Value::Int(r.id))
        .field(Column::text("title"), Value::text(&r.title))
        .field(Column::text("organization"), Value::text(&r.organization))
        .field(Column::word("status"), Value::text(r.status.as_str()))
        .field(Column::word("way"), Value::text(r.way.as_str()))
        .field(Column::date("starts_on"), Value::opt_date(r.starts_on))
        .field(Column::date("ends_on"), Value::opt_date(r.ends_on))
        .field(Column::date("respond_by"), Value::Date(r.respond_by))
        .field(Column::date("select_by"), Value::Date(r.select_by))
        .field(Column::number("seats"), Value::Int(i64::from(r.seats)))
        .field(
            Column::number("invited"),
            Value::Int(s.invitations.iter().filter(|i| i.invited_on.is_some()).count() as i64),
        )
        .field(Column::number("responded"), reached(!s.invitations.is_empty(), Value::Int(responses(None))))
        .field(
            Column::number("interested"),
            reached(!s.invitations.is_empty(), Value::Int(responses(Some(Response::Interested)))),
        )
        .field(
            Column::number("declined"),
            reached(!s.invitations.is_empty(), Value::Int(responses(Some(Response::Declined)))),
        )
        .field(Column::number("selected"), reached(!s.decisions.is_empty(), Value::Int(count(Outcome::Selected))))
        .field(Column::number("waitlisted"), reached(!s.decisions.is_empty(), Value::Int(count(Outcome::Waitlisted))))
        .field(
            Column::number("not_selected"),
            reached(!s.decisions.is_empty(), Value::Int(count(Outcome::NotSelected))),
        )
        .field(Column::number("withdrew"), reached(!s.decisions.is_empty(), Value::Int(count(Outcome::Withdrew))))
        .field(Column::number("checkins"), reached(!s.checkins.is_empty(), Value::Int(s.checkins.len() as i64)))
        .field(Column::date("last_checkin_on"), Value::opt_date(s.checkins.iter().map(|c| c.held_on).max()))
        .field(Column::number("open_concerns"), reached(!s.checkins.is_empty(), Value::Int(open_concerns.len() as i64)))
        .field(Column::number("hours"), reached(!s.accounts.is_empty(), Value::Hours(totals.hours)))
        .field(Column::amount("owed"), reached(!s.accounts.is_empty(), Value::Money(totals.owed)))
        .field(Column::amount("paid"), reached(!s.accounts.is_empty(), Value::Money(totals.paid)))
        .field(Column::amount("outstanding"), reached(!s.accounts.is_empty(), Value::Money(totals.outstanding)))
        .field(Column::amount("expenses"), reached(!s.accounts.is_empty(), Value::Money(totals.expenses)))
        .field(Column::amount("reimbursed"), reached(!s.accounts.is_empty(), Value::Money(totals.reimbursed)))
        .field(
            Column::amount("expenses_to_reimburse"),
            reached(!s.accounts.is_empty(), Value::Money(totals.expenses_outstanding())),
        )
        .field(Column::text("outcomes"), Value::opt_text(c.outcomes.clone()))
        .field(Column::date("loop_closed_on"), Value::opt_date(c.loop_closed_on))
        .field(Column::date("thanked_on"), Value::opt_date(c.thanked_on))
        .field(Column::date("partner_survey_on"), Value::opt_date(c.partner_survey_on))
        .field(Column::date("requester_survey_on"), Value::opt_date(c.requester_survey_on))
        .field(Column::date("closed_on"), Value::opt_date(c.closed_on))
        .field(Column::number("reminders_due"), Value::Int(steps.iter().filter(|s| s.due_now).count() as i64));
    // A table lists every step below the record; CSV has only the record's own fields.
    if !table {
        let first = steps.first().map_or_else(|| status::nothing_left(r.status).to_string(), |s| s.message.clone());
        record.field(Column::text("next_step"), Value::text(first));
    }

    let mut partners = Listing::new(&[
        Column::id("partner_id"),
        Column::text("name"),
        Column::word("outcome"),
        Column::date("notified_on").leave_out(3),
        Column::text("commitments").leave_out(6),
        Column::text("record_check").leave_out(2),
        Column::text("onboarding").leave_out(7),
        Column::number("hours").leave_out(4),
        Column::amount("owed").leave_out(5),
        Column::word("payment"),
        Column::amount("expenses_to_reimburse").leave_out(1),
    ]);
    for (d, p) in s.decisions.iter().filter(|(d, _)| d.outcome != Outcome::NotSelected) {
        let selected = d.outcome == Outcome::Selected;
        let start = start_for(r.starts_on, d.decided_on);
        let signed = commitments(p.commitments_signed_on, start, s.settings.commitments_valid_days).state();
        let record_check = match (r.record_check_required, p.record_check_on) {
            (false, _) => "not required".to_string(),
            (true, Some(on)) => format!("on file, {}", crate::domain::dates::iso(on)),
            (true, None) => "missing".to_string(),
        };
        let account = s.accounts.iter().find(|a| a.partner_id == d.partner_id);
        partners.push(vec![
            Value::Int(d.partner_id),
            Value::text(p.name()),
            Value::text(d.outcome.as_str()),
            Value::opt_date(d.notified_on),
            Value::opt_text(selected.then_some(signed)),
            Value::opt_text(selected.then_some(record_check)),
            Value::opt_text(selected.then(|| status::onboarding_words(d))),
            Value::opt_hours(account.map(|a| a.hours)),
            Value::opt_money(account.map(|a| a.owed(r.pay))),
            Value::opt_text(account.map(|a| a.standing(r.pay).label())),
            Value::opt_money(account.map(|a| a.expenses_outstanding())),
        ]);
    }
    record.section("partners", partners);

    let mut concerns = Listing::new(&[
        Column::id("checkin_id"),
        Column::date("held_on"),
        Column::text("with"),
        Column::word("concern"),
        Column::word("checkin_status").leave_out(1),
        Column::text("note").leave_out(2),
    ]);
    for c in &open_concerns {
        let with = match c.with {
            With::Partner(id) => s
                .decisions
                .iter()
                .find(|(d, _)| d.partner_id == id)
                .map_or_else(|| format!("partner {id}"), |(_, p)| p.name()),
            With::Requester => format!("{} (the requester)", r.contact_name),
            With::Team => "the team".to_string(),
        };
        concerns.push(vec![
            Value::Int(c.id),
            Value::Date(c.held_on),
            Value::text(with),
            Value::opt_text(c.open_concern().map(|k| k.as_str())),
            Value::text(c.status.as_str()),
            Value::opt_text(c.note.clone()),
        ]);
    }
    record.section("concerns", concerns);

    if table {
        ctx.print_record(&record)?;
        return write_steps(&steps, r.status, ctx);
    }
    let mut next = Listing::new(&[
        Column::word("kind"),
        Column::id("partner_id"),
        Column::id("checkin_id"),
        Column::date("due_on"),
        Column::number("days_overdue"),
        Column::date("reminded_from"),
        Column::word("in_reminders_today"),
        Column::text("message"),
        Column::text("command"),
    ]);
    for step in &steps {
        next.push(vec![
            Value::text(step.kind.as_str()),
            Value::opt_int(step.partner_id),
            Value::opt_int(step.checkin_id),
            Value::Date(step.due_on),
            Value::Int(step.days_overdue),
            Value::Date(step.shown_from),
            Value::Bool(step.due_now),
            Value::text(&step.message),
            Value::text(&step.command),
        ]);
    }
    record.section("next_steps", next);
    ctx.print_record(&record)
}

/// The next steps as the morning reminder writes its messages, wrapped at spaces on a terminal so
/// that no command is cut: those the morning reminder shows today, then those still to come.
fn write_steps(steps: &[Step], standing: RequestStatus, ctx: &mut Ctx<'_>) -> Result<()> {
    if steps.is_empty() {
        writeln!(ctx.out, "\n{}", status::nothing_left(standing))?;
        return Ok(());
    }
    let width = ctx.table_style().width.map(usize::from);
    let color = ctx.table_style().color;
    let labels: Vec<String> = steps.iter().map(Step::due_words).collect();
    let pad_to = labels.iter().map(String::len).max().unwrap_or(0);
    for (heading, now) in [("Next steps, in the morning reminder today", true), ("Still to come", false)] {
        let of: Vec<usize> = (0..steps.len()).filter(|n| steps[*n].due_now == now).collect();
        if of.is_empty() {
            continue;
        }
        writeln!(ctx.out, "\n{heading} ({})", of.len())?;
        for n in of {
            let label = &labels[n];
            let pad = " ".repeat(pad_to - label.len());
            let shown =
                if color && steps[n].days_overdue > 0 { format!("\x1b[1;31m{label}\x1b[0m") } else { label.clone() };
            let message = text::for_terminal(&steps[n].message);
            let Some(columns) = width else {
                writeln!(ctx.out, "  {shown}{pad}  {message}")?;
                continue;
            };
            // Later lines start under the message's first word, unless that leaves too little room.
            let indent = if columns.saturating_sub(pad_to + 4) >= 24 { pad_to + 4 } else { 4 };
            let lines = output::wrap_lines(&message, columns.saturating_sub(pad_to + 4), columns - indent.min(columns));
            write!(ctx.out, "  {shown}{pad}")?;
            for (i, line) in lines.iter().enumerate() {
                match (i, line.is_empty()) {
                    (0, true) => {}
                    (0, false) => write!(ctx.out, "  {line}")?,
                    _ => write!(ctx.out, "\n{:indent$}{line}", "")?,
                }
            }
            writeln!(ctx.out)?;
        }
    }
    Ok(())
}
