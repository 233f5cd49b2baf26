//! `engage report`: the morning reminder (for cron), summaries, participation and compensation.

use super::close::{STATEMENT, statement_row, total_line, totals_fields};
use super::parse_date;
use crate::db::{self, Db, Reader};
use crate::domain::dates::{DateArg, iso};
use crate::domain::kinds::{Community, RequestStatus, Way};
use crate::domain::report::{self as figures, FairShare, Participant, Participation, Summary};
use crate::domain::{reminder, text};
use crate::error::{Error, Result};
use crate::files;
use crate::html::{PARTICIPATION, participant_row};
use crate::output::{self, Column, Format, Listing, Record, TableStyle, Value};
use crate::{Ctx, Exit};
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
  0 7 * * 1-5  engage report reminders          # in a crontab, with MAILTO set

Every kind of reminder: request_awaiting_review, recruitment_short, selection_due, notify_due,
onboarding_due, commitments_missing, checkin_due, concern_open, close_due, payment_due,
reimbursement_due; each says what to do and the command that does it. Nothing due prints nothing
at all, in every format, so cron mails only news. The database is only read.")]
    Reminders {
        /// Show what is due on this day instead of today
        #[arg(long, value_name = "DATE", value_parser = parse_date)]
        as_of: Option<DateArg>,
    },
    /// Requests by status and way, times, rates, partners, hours, compensation, reach
    #[command(after_help = "\
Examples:
  engage report summary
  engage report summary --from 2026-01-01 --to 2026-12-31 --format json
  engage report summary --from 2026-01-01 --html summary.html

Requests are those received in the period; engagements those under way during it (from the first
decision to ends_on, or the day they closed); their hours and money as their statements add them
up; payments by the month they were made.")]
    Summary {
        #[command(flatten)]
        period: Period,
        /// Also write a self-contained HTML page with charts (readable by you only)
        #[arg(long, value_name = "FILE")]
        html: Option<PathBuf>,
        /// Replace the --html file if it exists
        #[arg(long, requires = "html")]
        force: bool,
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

The accounts of the engagements under way during the period, as `engage close statement` shows
each: hours, rate or honorarium, owed, paid, outstanding, expenses and reimbursements, to the
cent, with totals.")]
    Compensation {
        #[command(flatten)]
        period: Period,
        /// One line per partner per request, per partner, or per request
        #[arg(long, value_enum, default_value_t = By::Line, value_name = "BY")]
        by: By,
    },
}

pub fn run(args: Args, ctx: &mut Ctx<'_>) -> Result<Exit> {
    match args.command {
        ReportCommand::Reminders { as_of } => reminders(as_of, ctx),
        ReportCommand::Summary { period, html, force } => summary(period, page_target(html, force, ctx)?, ctx),
        ReportCommand::Participation { period, html, force } => {
            participation(period, page_target(html, force, ctx)?, ctx)
        }
        ReportCommand::Compensation { period, by } => compensation(period, by, ctx),
    }
}

/// The morning reminder: read only, and silent when nothing is due so that cron mails only news.
fn reminders(as_of: Option<DateArg>, ctx: &mut Ctx<'_>) -> Result<Exit> {
    let as_of = as_of.map_or(ctx.today, |d| d.resolve(ctx.today));
    let db = Db::open_read_only(&ctx.db_path)?;
    let due = db::reports::due(db.conn(), as_of)?;
    if due.is_empty() {
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

fn period_of(p: &Period, today: NaiveDate) -> Result<figures::Period> {
    let to = p.to.map_or(today, |d| d.resolve(today));
    let from = p.from.map(|d| d.resolve(today));
    figures::Period::new(from, to).map_err(Error::Invalid)
}

fn gather_summary(conn: &Reader, period: &figures::Period) -> Result<Summary> {
    let requests = db::reports::requests(conn)?;
    let selected = db::reports::selected(conn)?;
    let interested = db::reports::interested(conn)?;
    let network = db::reports::network(conn, period)?;
    let (paid, first_paid) = db::reports::paid_by_month(conn, period)?;
    Ok(figures::summarize(period, &requests, &selected, &interested, network, &paid, first_paid))
}

/// The page's place, checked before the report is worked out or printed.
fn page_target(html: Option<PathBuf>, force: bool, ctx: &Ctx<'_>) -> Result<Option<files::Target>> {
    let keep = files::Keep { database: &ctx.db_path, inputs: &[] };
    html.map(|path| files::check(&path, files::HTML, force, &keep)).transpose()
}

fn summary(p: Period, html: Option<files::Target>, ctx: &mut Ctx<'_>) -> Result<Exit> {
    let period = period_of(&p, ctx.today)?;
    let db = Db::open_read_only(&ctx.db_path)?;
    let s = gather_summary(db.conn(), &period)?;
    let record = summary_record(&s, &period);
    ctx.print_record(&record)?;
    if let Some(target) = html {
        let today = ctx.today;
        write_page(target, "summary", &db, ctx, |network| {
            crate::html::summary_page(&s, &record, &period, network, today)
        })?;
    }
    Ok(Exit::Done)
}

/// The summary as one record: its figures, then each breakdown.
pub fn summary_record(s: &Summary, period: &figures::Period) -> Record {
    let mut r = Record::default();
    let total_partners = s.network.active + s.network.paused + s.network.withdrawn + s.network.forgotten;
    r.field(Column::date("from"), Value::opt_date(period.from))
        .field(Column::date("to"), Value::Date(period.to))
        .field(Column::number("requests_received"), Value::Int(s.received as i64))
        .field(Column::number("requests_decided"), Value::Int(s.decided as i64))
        .field(Column::number("median_days_to_selection"), Value::opt_number(s.median_days_to_selection))
        .field(Column::number("invitations"), Value::Int(s.invited as i64))
        .field(Column::number("responses"), Value::Int(s.responded as i64))
        .field(Column::number("response_rate_percent"), Value::opt_number(figures::percent(s.responded, s.invited)))
        .field(Column::number("interested"), Value::Int(s.interested as i64))
        .field(Column::number("selected"), Value::Int(s.selected as i64))
        .field(Column::number("selection_rate_percent"), Value::opt_number(figures::percent(s.selected, s.interested)))
        .field(Column::number("partners"), Value::Int(total_partners as i64))
        .field(Column::number("partners_active"), Value::Int(s.network.active as i64))
        .field(Column::number("partners_paused"), Value::Int(s.network.paused as i64))
        .field(Column::number("partners_withdrawn"), Value::Int(s.network.withdrawn as i64))
        .field(Column::number("partners_forgotten"), Value::Int(s.network.forgotten as i64))
        .field(Column::number("partners_new"), Value::Int(s.network.new as i64))
        .field(Column::number("partners_engaged"), Value::Int(s.partners_engaged as i64))
        .field(Column::number("engagements"), Value::Int(s.engagements as i64))
        .field(Column::number("hours"), Value::Hours(s.money.hours))
        .field(Column::amount("compensation_owed"), Value::Money(s.money.owed))
        .field(Column::amount("compensation_paid"), Value::Money(s.money.paid))
        .field(Column::amount("compensation_outstanding"), Value::Money(s.money.outstanding))
        .field(Column::amount("expenses"), Value::Money(s.money.expenses))
        .field(Column::amount("expenses_reimbursed"), Value::Money(s.money.reimbursed));
    let mut pipeline = Listing::new(&[
        Column::word("status"),
        Column::number("inform"),
        Column::number("consult"),
        Column::number("involve"),
        Column::number("collaborate"),
        Column::number("lead"),
        Column::number("total"),
    ]);
    for status in RequestStatus::ALL {
        let by_way = s.pipeline.get(status);
        let mut row = vec![Value::text(status.as_str())];
        let mut total = 0;
        for way in Way::ALL {
            let n = by_way.and_then(|m| m.get(way)).copied().unwrap_or(0);
            total += n;
            row.push(Value::Int(n as i64));
        }
        row.push(Value::Int(total as i64));
        pipeline.push(row);
    }
    let mut by_way = Listing::new(&[
        Column::word("way"),
        Column::number("engagements"),
        Column::number("partners"),
        Column::number("hours"),
        Column::amount("owed"),
        Column::amount("paid"),
    ]);
    for way in Way::ALL {
        let share = s.by_way.get(way).copied().unwrap_or_default();
        by_way.push(vec![
            Value::text(way.as_str()),
            Value::Int(share.engagements as i64),
            Value::Int(share.seats as i64),
            Value::Hours(share.hours),
            Value::Money(share.owed),
            Value::Money(share.paid),
        ]);
    }
    let mut distribution = Listing::new(&[Column::id("engagements"), Column::number("partners")]);
    for (label, n) in figures::BUCKETS.iter().zip(s.distribution) {
        distribution.push(vec![Value::text(*label), Value::Int(n as i64)]);
    }
    let mut communities =
        Listing::new(&[Column::word("community"), Column::number("engagements"), Column::number("partners")]);
    for (community, share) in &s.by_community {
        communities.push(vec![
            Value::text(community.map_or("not given", Community::as_str)),
            Value::Int(share.engagements as i64),
            Value::Int(share.seats as i64),
        ]);
    }
    let mut regions =
        Listing::new(&[Column::text("region"), Column::number("engagements"), Column::number("partners")]);
    for (region, share) in &s.by_region {
        regions.push(vec![
            Value::text(region.as_deref().unwrap_or("not given")),
            Value::Int(share.engagements as i64),
            Value::Int(share.seats as i64),
        ]);
    }
    let mut months = Listing::new(&[Column::id("month"), Column::amount("paid"), Column::amount("reimbursed")]);
    for (month, paid, reimbursed) in &s.months {
        months.push(vec![Value::text(month), Value::Money(*paid), Value::Money(*reimbursed)]);
    }
    r.section("pipeline", pipeline)
        .section("engagements_by_way", by_way)
        .section("participation", distribution)
        .section("reach_by_community", communities)
        .section("reach_by_region", regions)
        .section("paid_by_month", months);
    r
}

fn gather_participation(conn: &Reader, period: &figures::Period) -> Result<Participation> {
    use std::collections::{BTreeMap, HashMap, HashSet};
    let requests = db::reports::requests(conn)?;
    let received: HashSet<i64> = requests.iter().filter(|r| period.contains(r.created_on)).map(|r| r.id).collect();
    let engaged: HashSet<i64> = requests.iter().filter(|r| r.engaged_in(period)).map(|r| r.id).collect();
    #[derive(Default)]
    struct Counts {
        invitations: u64,
        interested: u64,
        engagements: u64,
        hours: i64,
        last_engaged: Option<NaiveDate>,
    }
    let mut by_partner: BTreeMap<i64, Counts> = BTreeMap::new();
    for (partner, request) in db::reports::interested(conn)? {
        if received.contains(&request) {
            by_partner.entry(partner).or_default().interested += 1;
        }
    }
    let hours = db::reports::hours(conn)?;
    let mut seats = 0;
    let mut ever: HashSet<i64> = HashSet::new();
    let mut last: HashMap<i64, NaiveDate> = HashMap::new();
    for (request, partner, decided_on) in db::reports::selections(conn)? {
        if decided_on <= period.to {
            ever.insert(partner);
            let l = last.entry(partner).or_insert(decided_on);
            *l = (*l).max(decided_on);
        }
        if engaged.contains(&request) {
            seats += 1;
            let c = by_partner.entry(partner).or_default();
            c.engagements += 1;
            c.hours += hours.get(&(request, partner)).map_or(0, |h| h.0);
        }
    }
    for (partner, request) in db::reports::invitations(conn)? {
        if received.contains(&request) {
            if let Some(c) = by_partner.get_mut(&partner) {
                c.invitations += 1;
            }
        }
    }
    let candidates = by_partner.values().filter(|c| c.interested > 0).count() as u64;
    let fair = FairShare::new(seats, candidates);
    let info = db::reports::partner_info(conn, by_partner.keys().copied())?;
    let mut partners = Vec::with_capacity(by_partner.len());
    let mut distribution = [0u64; 6];
    for (id, mut c) in by_partner {
        c.last_engaged = last.get(&id).copied();
        distribution[figures::bucket(c.engagements)] += 1;
        let i = info.get(&id);
        partners.push(Participant {
            partner_id: id,
            name: i.map_or_else(|| format!("partner {id}"), |i| i.name.clone()),
            status: i.map_or("", |i| i.status.as_str()).to_string(),
            region: i.and_then(|i| i.region.clone()),
            community: i.and_then(|i| i.community),
            invitations: c.invitations,
            interested: c.interested,
            engagements: c.engagements,
            hours: crate::domain::money::Hours(c.hours),
            last_engaged: c.last_engaged,
            share_percent: figures::percent(c.engagements, seats),
            fair_share: fair.ratio(c.engagements),
            note: fair.note(c.engagements, c.interested, ever.contains(&id)),
        });
    }
    partners.sort_by(|a, b| {
        b.engagements.cmp(&a.engagements).then(b.hours.cmp(&a.hours)).then(a.partner_id.cmp(&b.partner_id))
    });
    Ok(Participation { partners, seats, engagements: engaged.len() as u64, fair, distribution })
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

fn participation(p: Period, html: Option<files::Target>, ctx: &mut Ctx<'_>) -> Result<Exit> {
    let period = period_of(&p, ctx.today)?;
    let db = Db::open_read_only(&ctx.db_path)?;
    let report = gather_participation(db.conn(), &period)?;
    let mut listing = Listing::new(PARTICIPATION);
    for p in &report.partners {
        listing.push(participant_row(p));
    }
    ctx.print_listing(&listing, &format!("Nobody said they were interested or was engaged {}.", period.words()))?;
    if ctx.format == Format::Table && !listing.is_empty() {
        let over = report.partners.iter().filter(|p| p.note == Some("over-used")).count();
        let never = report.partners.iter().filter(|p| p.note == Some("never selected")).count();
        ctx.note(&format!(
            "Participation {}: {} partners; {} seats on {} engagements; a fair share is {:.2} engagements per \
             interested partner; {over} over-used, {never} never selected.",
            period.words(),
            report.partners.len(),
            report.seats,
            report.engagements,
            report.fair.share
        ))?;
    }
    if let Some(target) = html {
        let today = ctx.today;
        write_page(target, "participation", &db, ctx, |network| {
            crate::html::participation_page(&report, &period, network, today)
        })?;
    }
    Ok(Exit::Done)
}

fn compensation(p: Period, by: By, ctx: &mut Ctx<'_>) -> Result<Exit> {
    use crate::domain::compensation as pay;
    use std::collections::BTreeMap;
    let period = period_of(&p, ctx.today)?;
    let db = Db::open_read_only(&ctx.db_path)?;
    let conn = db.conn();
    let engaged: Vec<i64> =
        db::reports::requests(conn)?.into_iter().filter(|r| r.engaged_in(&period)).map(|r| r.id).collect();
    let info = db::reports::request_info(conn)?;
    let accounts = db::reports::accounts(conn)?;
    let mut totals = pay::Totals::default();
    // A statement's lines, as `engage close statement` prints them, with each request's title.
    let mut columns = STATEMENT.to_vec();
    columns.insert(1, Column::text("title").leave_out(11));
    let mut lines = Listing::new(&columns);
    #[derive(Default)]
    struct Sum {
        name: String,
        organization: String,
        count: i64,
        t: pay::Totals,
    }
    let mut by_partner: BTreeMap<i64, Sum> = BTreeMap::new();
    let mut by_request: BTreeMap<i64, Sum> = BTreeMap::new();
    for id in &engaged {
        let (Some(r), Some(accounts)) = (info.get(id), accounts.get(id)) else { continue };
        for a in accounts {
            let t = pay::totals(std::slice::from_ref(a), r.pay);
            for sum in [
                &mut totals,
                &mut by_partner.entry(a.partner_id).or_default().t,
                &mut by_request.entry(*id).or_default().t,
            ] {
                sum.add(t);
            }
            let partner = by_partner.entry(a.partner_id).or_default();
            partner.name = a.name.clone();
            partner.count += 1;
            let request = by_request.entry(*id).or_default();
            request.name = r.title.clone();
            request.organization = r.organization.clone();
            request.count += 1;
            let mut line = statement_row(r.id, r.pay, a);
            line.insert(1, Value::text(&r.title));
            lines.push(line);
        }
    }
    let money = |t: &pay::Totals| totals_fields(t).map(|(_, _, value)| value);
    let with_money = |names: &[Column]| {
        let mut columns = names.to_vec();
        columns.extend(totals_fields(&totals).map(|(column, _, _)| column));
        Listing::new(&columns)
    };
    let (key, mut listing) = match by {
        By::Line => ("lines", lines),
        By::Partner => {
            let mut l = with_money(&[Column::id("partner_id"), Column::text("name"), Column::number("engagements")]);
            for (id, s) in &by_partner {
                let mut row = vec![Value::Int(*id), Value::text(&s.name), Value::Int(s.count)];
                row.extend(money(&s.t));
                l.push(row);
            }
            ("partners", l)
        }
        By::Request => {
            let mut l = with_money(&[
                Column::id("request_id"),
                Column::text("title"),
                Column::text("organization").leave_out(1),
                Column::number("partners"),
            ]);
            for (id, s) in &by_request {
                let mut row =
                    vec![Value::Int(*id), Value::text(&s.name), Value::text(&s.organization), Value::Int(s.count)];
                row.extend(money(&s.t));
                l.push(row);
            }
            ("requests", l)
        }
    };
    if ctx.format == Format::Json {
        let mut r = Record::default();
        r.field("from", Value::opt_date(period.from))
            .field("to", Value::Date(period.to))
            .field("engagements", Value::Int(engaged.len() as i64));
        for (_, key, value) in totals_fields(&totals) {
            r.field(key, value);
        }
        r.section(key, listing);
        ctx.print_record(&r)?;
        return Ok(Exit::Done);
    }
    if !listing.is_empty() {
        // A finance office reads the total on the last line.
        let label_at = match by {
            By::Line => 3,
            By::Partner | By::Request => 1,
        };
        let total = total_line(&listing.columns, &totals, label_at);
        listing.push(total);
        if ctx.format == Format::Table {
            ctx.note(&format!(
                "Compensation of the {} engagements under way {}: {} owed, {} paid, {} outstanding; {} of \
                 expenses, {} reimbursed.",
                engaged.len(),
                period.words(),
                totals.owed,
                totals.paid,
                totals.outstanding,
                totals.expenses,
                totals.reimbursed
            ))?;
        }
    }
    ctx.print_listing(&listing, &format!("No engagement with partners selected was under way {}.", period.words()))?;
    Ok(Exit::Done)
}
