//! `engage checkin`: regular check-ins with partners and the requester, concerns followed up,
//! hours and expenses.

use super::{check_text, checked_answer, parse_date, parse_dollars, parse_hour_count, parse_id};
use crate::db::Reader;
use crate::db::{checkins, closing, events, partners, requests, settings};
use crate::domain::checkin::{self, Checkin, CheckinStatus, Concern, StatusReading, With, days_overdue, read_status};
use crate::domain::dates::{DateArg, Follows, iso, step_day};
use crate::domain::kinds::PartnerStatus;
use crate::domain::money::{Hours, Money};
use crate::domain::request::Request;
use crate::domain::text::{Kind, optional};
use crate::error::{Error, Result};
use crate::output::{Column, Format, Listing, Record, Value};
use crate::prompt::{OrFlag, Prompter, ask_optional};
use crate::{Ctx, Exit};
use chrono::NaiveDate;
use clap::Subcommand;
use std::collections::HashMap;

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
        #[arg(long, value_name = "DAYS", default_value_t = 7, value_parser = super::parse_days_ahead)]
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
        Some(CheckinCommand::List { request, open }) => list(request, open, ctx),
        Some(CheckinCommand::Due { within }) => due(within, ctx),
        Some(CheckinCommand::Resolve { checkin, note, on }) => resolve(checkin, note, on, ctx),
        None => {
            let request = args.request.ok_or_else(|| {
                Error::Missing("checkin needs the request's id: engage checkin REQ --partner P".to_string())
            })?;
            record(request, args.record, ctx)
        }
    }
}

/// What a check-in's day may not be after, and why.
const HELD: &str = "a check-in is recorded once it has been held";

/// Who the flags name, if anyone.
fn with_from_flags(a: &RecordArgs) -> Option<With> {
    match (a.partner, a.requester, a.team) {
        (Some(id), _, _) => Some(With::Partner(id)),
        (None, true, _) => Some(With::Requester),
        (None, false, true) => Some(With::Team),
        (None, false, false) => None,
    }
}

/// Hours and expenses belong to one partner.
fn check_per_partner(with: With, a: &RecordArgs) -> Result<()> {
    if with.partner_id().is_some() {
        return Ok(());
    }
    let given: Vec<&str> = [
        ("--hours", a.hours.is_some()),
        ("--expenses", a.expenses.is_some()),
        ("--expense-note", a.expense_note.is_some()),
    ]
    .iter()
    .filter(|(_, given)| *given)
    .map(|(flag, _)| *flag)
    .collect();
    if given.is_empty() {
        return Ok(());
    }
    Err(Error::Invalid(format!(
        "{} {} logged per partner, not for {with}; give {} with --partner P",
        crate::domain::and_list(&given),
        if given.len() == 1 { "is" } else { "are" },
        if given.len() == 1 { "it" } else { "them" }
    )))
}

fn kind_missing(status: CheckinStatus) -> Error {
    Error::Missing(format!(
        "--status {status} needs --concern {}: say what kind of concern it is (a conduct concern goes to the \
         engagement leader at once)",
        Concern::choices()
    ))
}

fn record(request_id: i64, mut a: RecordArgs, ctx: &mut Ctx<'_>) -> Result<Exit> {
    let today = ctx.today;
    // Everything the flags alone can tell is checked before the database is opened.
    let held_on = step_day("--on", a.on, today, HELD, None).map_err(Error::Invalid)?;
    let next = a.next.map(|d| d.resolve(today));
    if next.is_some() {
        checkin::next_due(held_on, 1, next).map_err(Error::Invalid)?;
    }
    // With no flag for what the form asks, a terminal walks through the whole form; with flags,
    // it asks only for what is required and missing (who, and the kind of a concern).
    let guided = with_from_flags(&a).is_none()
        && a.status.is_none()
        && a.concern.is_none()
        && a.hours.is_none()
        && a.expenses.is_none()
        && a.expense_note.is_none()
        && a.note.is_none();
    let mut with = with_from_flags(&a);
    if let Some(w) = with {
        check_per_partner(w, &a)?;
    }
    if a.expense_note.is_some() && a.expenses.is_none() {
        return Err(Error::Invalid(
            "--expense-note says what --expenses were for; pass --expenses DOLLARS with it".to_string(),
        ));
    }
    let reading = read_status(a.status, a.concern).map_err(Error::Invalid)?;
    check_text("--note", a.note.as_deref(), Kind::Note)?;
    check_text("--expense-note", a.expense_note.as_deref(), Kind::Note)?;
    a.note = a.note.as_deref().and_then(optional);
    a.expense_note = a.expense_note.as_deref().and_then(optional);
    if !ctx.interactive() {
        if with.is_none() {
            return Err(Error::Missing(
                "checkin needs --partner P, --requester or --team: say who the check-in was with".to_string(),
            ));
        }
        if let StatusReading::KindMissing(status) = reading {
            return Err(kind_missing(status));
        }
    }
    let mut db = ctx.open_db()?;
    let request = requests::get(db.conn(), request_id)?;
    let recorded = request.recorded("a check-in is held once the request is recorded");
    step_day("--on", Some(DateArg::On(held_on)), today, HELD, Some(&recorded)).map_err(Error::Invalid)?;
    let (mut status, mut concern) = match reading {
        StatusReading::Settled(s, c) => (s, c),
        StatusReading::KindMissing(s) => (s, None),
    };
    let mut asked = false;
    if let Some(p) = ctx.prompter() {
        let before = (with, status, concern);
        let answers = ask_missing(p, db.conn(), &request, &mut a, with, (status, concern), guided)?;
        asked = guided || before != (Some(answers.0), answers.1, answers.2);
        with = Some(answers.0);
        status = answers.1;
        concern = answers.2;
    }
    let with = with.ok_or_else(|| {
        Error::Missing("checkin needs --partner P, --requester or --team: say who the check-in was with".to_string())
    })?;
    check_per_partner(with, &a)?;
    if status != CheckinStatus::Good && concern.is_none() {
        return Err(kind_missing(status));
    }
    let name = check_with(db.conn(), &request, with, &a)?;
    let next_due = checkin::next_due(held_on, request.checkin_every_days, next).map_err(Error::Invalid)?;
    let mut new = Checkin {
        id: 0,
        request_id: request.id,
        with,
        held_on,
        status,
        concern,
        resolved_on: None,
        resolution: None,
        hours: a.hours.unwrap_or_default(),
        expenses: a.expenses.unwrap_or_default(),
        expense_note: a.expense_note.clone(),
        note: a.note.clone(),
        next_due: Some(next_due),
    };
    if let Some(p) = ctx.prompter().filter(|_| asked) {
        p.say(&format!("Check-in with {}: {}.", describe_with(with, &name), summary(&new, false)))?;
        let confirmed = p.confirm("Record this check-in?", true).map_err(|e| {
            e.into_error(None, "give --partner P, --requester or --team to record it without questions")
        })?;
        if !confirmed {
            ctx.note("Nothing was recorded.")?;
            return Ok(Exit::Done);
        }
    }
    let stamp = ctx.stamp.clone();
    new.id = db.write(|tx| {
        // Checked again where it is written: a payment or a decision another engage recorded
        // while the form was answered counts.
        check_with(tx, &requests::get(tx, request.id)?, with, &a)?;
        let id = checkins::insert(tx, &new)?;
        let detail = format!("check-in {id} with {}: {}", with.party(), summary(&new, true));
        events::log(tx, &stamp, "checkin", Some(request.id), with.partner_id(), &detail)?;
        Ok(id)
    })?;
    if request.status.is_final() {
        ctx.warn(&format!(
            "request {} is {}; the check-in is kept for its history, and its hours and expenses still count",
            request.id, request.status
        ))?;
    }
    ctx.note(&format!(
        "Recorded check-in {} with {} on request {} ({}): {}.",
        new.id,
        describe_with(with, &name),
        request.id,
        request.title,
        summary(&new, false)
    ))?;
    if let Some(kind) = new.open_concern() {
        let followup = settings::get_number(db.conn(), "concern_followup_days")?;
        let due_on = new.concern_due_on(followup).unwrap_or(held_on);
        let reminder = format!("is a reminder from {} until `engage checkin resolve {}`", iso(due_on), new.id);
        if kind == Concern::Conduct {
            ctx.warn(&format!("a conduct concern goes to the engagement leader; this one {reminder}"))?;
        } else {
            ctx.note(&format!("The {kind} concern {reminder}."))?;
        }
    }
    if ctx.format == Format::Table {
        writeln!(ctx.out, "{}", new.id)?;
    } else {
        let mut r = Record::default();
        for (key, value) in row(&new, &name).into_iter() {
            r.field(key, value);
        }
        ctx.print_record(&r)?;
    }
    Ok(Exit::Done)
}

/// `partner 4 (Ana Silva)`, `the requester (Lee Wong)`, `the team`.
fn describe_with(with: With, name: &str) -> String {
    match with {
        With::Team => with.to_string(),
        _ => format!("{with} ({name})"),
    }
}

/// `concerns (conduct); 2.5 hours; $32.50 expenses; next check-in due 2026-12-23`. For the event
/// log, amounts are plain and nothing but ids, kinds and amounts appears.
fn summary(c: &Checkin, for_log: bool) -> String {
    let mut parts = vec![match c.concern {
        Some(kind) => format!("{} ({kind})", c.status),
        None => c.status.to_string(),
    }];
    if c.hours.hundredths() > 0 {
        parts.push(format!("{} hour{}", c.hours, if c.hours.hundredths() == 100 { "" } else { "s" }));
    }
    if c.expenses.cents() > 0 {
        parts.push(if for_log {
            format!("expenses {}", c.expenses.plain())
        } else {
            format!("{} expenses", c.expenses)
        });
    }
    if let Some(next) = c.next_due {
        parts.push(format!("next check-in due {}", iso(next)));
    }
    parts.join("; ")
}

/// Checks that the check-in can be recorded with this person; returns their name.
fn check_with(conn: &Reader, request: &Request, with: With, a: &RecordArgs) -> Result<String> {
    let partner_id = match with {
        With::Requester => return Ok(request.contact_name.clone()),
        With::Team => return Ok("the team".to_string()),
        With::Partner(id) => id,
    };
    let partner = partners::get(conn, partner_id)?;
    if partner.status == PartnerStatus::Forgotten {
        return Err(Error::Refused(format!("partner {partner_id} was forgotten; there is no one to check in with")));
    }
    if !closing::takes_part(conn, request.id, partner_id)? {
        return Err(Error::Refused(format!(
            "partner {partner_id} is not selected for request {}; check-ins are with the partners selected for it \
             (`engage checkin {} --requester` or `--team` for the others)",
            request.id, request.id
        )));
    }
    let logging_expenses = a.expenses.is_some_and(|m| m.cents() > 0);
    if logging_expenses && !request.expenses_reimbursed {
        return Err(Error::Refused(format!(
            "request {} does not reimburse expenses; `engage request edit {} --expenses` changes that",
            request.id, request.id
        )));
    }
    let account = closing::account(conn, request.id, partner_id)?.unwrap_or_default();
    if a.hours.is_some_and(|h| h.hundredths() > 0) && request.pay.hourly().is_some() {
        if let (Some(paid_on), Some(paid)) = (account.paid_on, account.paid) {
            return Err(Error::Refused(format!(
                "partner {partner_id} was already paid {paid} for request {} on {}; hours logged now would not be \
                 paid, so log hours before `engage close pay`",
                request.id,
                iso(paid_on)
            )));
        }
    }
    // Expenses logged after a reimbursement are the next to reimburse: a six-month co-design has
    // monthly expenses (SPEC rule 10).
    Ok(partner.name())
}

/// On a terminal: who, and the kind of a concern, when the flags do not say; in the guided form
/// (no flags) also how it is going, and for a partner hours and expenses, and a note.
fn ask_missing(
    p: &mut dyn Prompter,
    conn: &Reader,
    request: &Request,
    a: &mut RecordArgs,
    with: Option<With>,
    (status, concern): (CheckinStatus, Option<Concern>),
    guided: bool,
) -> Result<(With, CheckinStatus, Option<Concern>)> {
    let with = match with {
        Some(w) => w,
        None => {
            let mut people = Vec::new();
            let mut items = Vec::new();
            for s in closing::selected(conn, request.id)?.into_iter().filter(|s| !s.forgotten) {
                people.push(With::Partner(s.partner_id));
                items.push(format!("partner {}: {}", s.partner_id, s.name));
            }
            people.push(With::Requester);
            items.push(format!("the requester: {} ({})", request.contact_name, request.organization));
            people.push(With::Team);
            items.push("the whole team".to_string());
            let chosen =
                p.choose("Who was the check-in with?", &items, 0).or_flag("--partner P, --requester or --team")?;
            people.get(chosen).copied().unwrap_or(With::Team)
        }
    };
    let status = if guided {
        let items: Vec<String> = CheckinStatus::ALL.iter().map(|s| format!("{s}: {}", s.about())).collect();
        let chosen = p.choose("How is it going?", &items, 0).or_flag("--status S")?;
        CheckinStatus::ALL.get(chosen).copied().unwrap_or(CheckinStatus::Good)
    } else {
        status
    };
    let concern = match (status, concern) {
        (CheckinStatus::Good, _) => None,
        (_, Some(c)) => Some(c),
        (_, None) => {
            let items: Vec<String> = Concern::ALL.iter().map(|c| format!("{c}: {}", c.about())).collect();
            let chosen = p.choose("What kind of concern?", &items, Concern::ALL.len() - 1).or_flag("--concern KIND")?;
            Concern::ALL.get(chosen).copied()
        }
    };
    if !guided {
        return Ok((with, status, concern));
    }
    if with.partner_id().is_some() {
        a.hours = ask_optional(p, "Hours worked since the last check-in (empty for none)", parse_hour_count)
            .or_flag("--hours H")?;
        if request.expenses_reimbursed {
            a.expenses = ask_optional(p, "Expenses to reimburse, in dollars (empty for none)", parse_dollars)
                .or_flag("--expenses DOLLARS")?;
        }
        if a.expenses.is_some_and(|m| m.cents() > 0) {
            a.expense_note =
                ask_optional(p, "What were the expenses for? (empty to skip)", |s| checked_answer(s, Kind::Note))
                    .or_flag("--expense-note T")?;
        }
    }
    a.note = ask_optional(p, "Note (empty to skip)", |s| checked_answer(s, Kind::Note)).or_flag("--note T")?;
    Ok((with, status, concern))
}

/// Names for the people check-ins were with: partners by id, requesters by request.
struct Names<'c> {
    conn: &'c Reader,
    partners: HashMap<i64, String>,
    requests: HashMap<i64, Request>,
}

impl<'c> Names<'c> {
    fn new(conn: &'c Reader) -> Names<'c> {
        Names { conn, partners: HashMap::new(), requests: HashMap::new() }
    }

    fn request(&mut self, id: i64) -> Result<&Request> {
        if !self.requests.contains_key(&id) {
            let r = requests::get(self.conn, id)?;
            self.requests.insert(id, r);
        }
        self.requests.get(&id).ok_or_else(|| Error::Failed(format!("request {id} disappeared while reading")))
    }

    fn of(&mut self, request_id: i64, with: With) -> Result<String> {
        match with {
            With::Partner(id) => {
                if let Some(name) = self.partners.get(&id) {
                    return Ok(name.clone());
                }
                let name = partners::get(self.conn, id)?.name();
                self.partners.insert(id, name.clone());
                Ok(name)
            }
            With::Requester => Ok(self.request(request_id)?.contact_name.clone()),
            With::Team => Ok("the team".to_string()),
        }
    }
}

const COLUMNS: &[Column] = &[
    Column::id("id"),
    Column::id("request_id").leave_out(11),
    Column::date("held_on"),
    Column::word("party").leave_out(6),
    Column::id("partner_id").leave_out(3),
    Column::text("name"),
    Column::word("status"),
    Column::word("concern").leave_out(10),
    Column::date("resolved_on").leave_out(5),
    Column::text("resolution").leave_out(4),
    Column::number("hours").leave_out(7),
    Column::amount("expenses").leave_out(2),
    Column::text("expense_note").leave_out(1),
    Column::text("note").leave_out(9),
    Column::date("next_due").leave_out(8),
];

fn row(c: &Checkin, name: &str) -> Vec<(Column, Value)> {
    let values = vec![
        Value::Int(c.id),
        Value::Int(c.request_id),
        Value::Date(c.held_on),
        Value::text(c.with.party().as_str()),
        Value::opt_int(c.with.partner_id()),
        Value::text(name),
        Value::text(c.status.as_str()),
        Value::opt_text(c.concern.map(Concern::as_str)),
        Value::opt_date(c.resolved_on),
        Value::opt_text(c.resolution.clone()),
        Value::Hours(c.hours),
        Value::Money(c.expenses),
        Value::opt_text(c.expense_note.clone()),
        Value::opt_text(c.note.clone()),
        Value::opt_date(c.next_due),
    ];
    COLUMNS.iter().copied().zip(values).collect()
}

fn list(request: Option<i64>, open: bool, ctx: &mut Ctx<'_>) -> Result<Exit> {
    let db = ctx.open_db()?;
    if let Some(id) = request {
        requests::get(db.conn(), id)?;
    }
    let mut names = Names::new(db.conn());
    let mut listing = Listing::new(COLUMNS);
    for c in checkins::list(db.conn(), request)? {
        if open && c.open_concern().is_none() {
            continue;
        }
        let name = names.of(c.request_id, c.with)?;
        listing.push(row(&c, &name).into_iter().map(|(_, v)| v).collect());
    }
    let empty = match (request, open) {
        (Some(id), false) => {
            format!("No check-ins on request {id} yet. `engage checkin {id} --partner P` records one.")
        }
        (Some(id), true) => format!("No open concern on request {id}."),
        (None, false) => "No check-ins yet. `engage checkin REQ --partner P` records one.".to_string(),
        (None, true) => "No open concern.".to_string(),
    };
    ctx.print_listing(&listing, &empty)?;
    Ok(Exit::Done)
}

/// One line of `checkin due`.
struct DueLine {
    kind: &'static str,
    request_id: i64,
    title: String,
    with: With,
    name: String,
    concern: Option<Concern>,
    checkin_id: Option<i64>,
    last_checkin: Option<NaiveDate>,
    due_on: NaiveDate,
}

fn due(within: u32, ctx: &mut Ctx<'_>) -> Result<Exit> {
    let today = ctx.today;
    let horizon = checkin::add_days(today, within);
    let db = ctx.open_db()?;
    let conn = db.conn();
    let followup = settings::get_number(conn, "concern_followup_days")?;
    let active = checkins::underway(conn)?;
    let mut selected: HashMap<i64, Vec<closing::Selected>> = HashMap::new();
    for s in closing::selected_on_active_requests(conn)? {
        selected.entry(s.request_id).or_default().push(s);
    }
    let latest: HashMap<(i64, With), Checkin> =
        checkins::latest_on_active_requests(conn)?.into_iter().map(|c| ((c.request_id, c.with), c)).collect();
    let mut names = Names::new(conn);
    let mut lines = Vec::new();
    for r in &active {
        let chosen_here = selected.get(&r.id).map(Vec::as_slice).unwrap_or_default();
        let chosen: Vec<checkin::Chosen> = chosen_here
            .iter()
            .map(|s| checkin::Chosen { partner_id: s.partner_id, decided_on: s.decided_on, forgotten: s.forgotten })
            .collect();
        for s in chosen_here {
            names.partners.insert(s.partner_id, s.name.clone());
        }
        let underway = checkin::Underway {
            starts_on: r.starts_on,
            ends_on: r.ends_on,
            created_on: r.created_on,
            every_days: r.checkin_every_days,
        };
        for due in checkin::checkins_due(&underway, &chosen, |with| latest.get(&(r.id, with))) {
            if due.due_on > horizon {
                continue;
            }
            let name = match due.with {
                With::Requester => r.contact_name.clone(),
                _ => names.of(r.id, due.with)?,
            };
            lines.push(DueLine {
                kind: "checkin_due",
                request_id: r.id,
                title: r.title.clone(),
                with: due.with,
                name,
                concern: None,
                checkin_id: None,
                last_checkin: due.last,
                due_on: due.due_on,
            });
        }
    }
    for c in checkins::open_concerns(conn)? {
        let Some(due_on) = c.concern_due_on(followup) else { continue };
        if due_on > horizon {
            continue;
        }
        let title = names.request(c.request_id)?.title.clone();
        lines.push(DueLine {
            kind: "concern_open",
            request_id: c.request_id,
            title,
            with: c.with,
            name: names.of(c.request_id, c.with)?,
            concern: c.open_concern(),
            checkin_id: Some(c.id),
            last_checkin: Some(c.held_on),
            due_on,
        });
    }
    lines.sort_by(|a, b| {
        (a.due_on, a.request_id, a.kind, a.with, a.checkin_id).cmp(&(
            b.due_on,
            b.request_id,
            b.kind,
            b.with,
            b.checkin_id,
        ))
    });
    let mut listing = Listing::new(&[
        Column::date("due_on"),
        Column::number("days_overdue").overdue(),
        Column::word("kind"),
        Column::id("request_id").leave_out(5),
        Column::text("title").leave_out(6),
        Column::word("party").leave_out(2),
        Column::id("partner_id").leave_out(1),
        Column::text("name"),
        Column::word("concern").leave_out(3),
        Column::id("checkin_id").leave_out(4),
        Column::date("last_checkin").leave_out(7),
    ]);
    let (mut overdue, mut on_the_day, mut soon) = (0, 0, 0);
    for l in &lines {
        let days = days_overdue(l.due_on, today);
        match days {
            d if d > 0 => overdue += 1,
            0 => on_the_day += 1,
            _ => soon += 1,
        }
        listing.push(vec![
            Value::Date(l.due_on),
            Value::Int(days),
            Value::text(l.kind),
            Value::Int(l.request_id),
            Value::text(&l.title),
            Value::text(l.with.party().as_str()),
            Value::opt_int(l.with.partner_id()),
            Value::text(&l.name),
            Value::opt_text(l.concern.map(Concern::as_str)),
            Value::opt_int(l.checkin_id),
            Value::opt_date(l.last_checkin),
        ]);
    }
    let days = if within == 1 { "day".to_string() } else { format!("{within} days") };
    ctx.print_listing(&listing, &format!("Nothing is due in the next {days}: no check-in and no open concern."))?;
    if !listing.is_empty() && ctx.format == Format::Table {
        ctx.note(&format!("{overdue} overdue, {on_the_day} due today, {soon} due in the next {days}."))?;
    }
    Ok(Exit::Done)
}

fn resolve(id: i64, note: Option<String>, on: Option<DateArg>, ctx: &mut Ctx<'_>) -> Result<Exit> {
    let today = ctx.today;
    const RESOLVED: &str = "record the resolution once the concern is resolved";
    let on = step_day("--on", on, today, RESOLVED, None).map_err(Error::Invalid)?;
    check_text("--note", note.as_deref(), Kind::Note)?;
    let mut note = note.as_deref().and_then(optional);
    let mut db = ctx.open_db()?;
    let c = checkins::get(db.conn(), id)?;
    let Some(kind) = c.concern.filter(|_| c.status != CheckinStatus::Good) else {
        return Err(Error::Refused(format!(
            "check-in {id} raised no concern (its status is {}); there is nothing to resolve",
            c.status
        )));
    };
    if let Some(resolved) = c.resolved_on {
        return Err(Error::Refused(format!(
            "the {kind} concern of check-in {id} was already resolved on {}; nothing changed",
            iso(resolved)
        )));
    }
    let raised = Follows {
        day: c.held_on,
        what: format!("check-in {id} raised the concern"),
        why: "a concern is resolved after it is raised",
    };
    step_day("--on", Some(DateArg::On(on)), today, RESOLVED, Some(&raised)).map_err(Error::Invalid)?;
    if note.is_none() {
        if let Some(p) = ctx.prompter() {
            note =
                ask_optional(p, "How was the concern resolved? (empty for no note)", |s| checked_answer(s, Kind::Note))
                    .or_flag("--note T")?;
        }
    }
    let stamp = ctx.stamp.clone();
    db.write(|tx| {
        checkins::resolve(tx, id, on, note.as_deref())?;
        let detail = format!("check-in {id}: {kind} concern resolved on {}", iso(on));
        events::log(tx, &stamp, "concern_resolved", Some(c.request_id), c.with.partner_id(), &detail)
    })?;
    ctx.note(&format!(
        "Resolved the {kind} concern raised at check-in {id} (request {}, {}) on {}.",
        c.request_id,
        c.with,
        iso(on)
    ))?;
    if ctx.format != Format::Table {
        let fresh = checkins::get(db.conn(), id)?;
        let name = Names::new(db.conn()).of(fresh.request_id, fresh.with)?;
        let mut r = Record::default();
        for (key, value) in row(&fresh, &name) {
            r.field(key, value);
        }
        ctx.print_record(&r)?;
    }
    Ok(Exit::Done)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hours_and_expenses_go_with_a_partner_only() {
        let a = RecordArgs { hours: Some(Hours(200)), expenses: Some(Money(500)), ..RecordArgs::default() };
        assert!(check_per_partner(With::Partner(4), &a).is_ok());
        assert_eq!(
            check_per_partner(With::Requester, &a).unwrap_err().to_string(),
            "--hours and --expenses are logged per partner, not for the requester; give them with --partner P"
        );
        let b = RecordArgs { hours: Some(Hours(200)), ..RecordArgs::default() };
        assert_eq!(
            check_per_partner(With::Team, &b).unwrap_err().to_string(),
            "--hours is logged per partner, not for the team; give it with --partner P"
        );
        assert!(check_per_partner(With::Team, &RecordArgs::default()).is_ok());
    }

    #[test]
    fn a_check_in_sums_itself_up_without_personal_data_for_the_log() {
        let c = Checkin {
            id: 7,
            request_id: 3,
            with: With::Partner(4),
            held_on: NaiveDate::from_ymd_opt(2026, 11, 23).unwrap(),
            status: CheckinStatus::Concerns,
            concern: Some(Concern::Conduct),
            resolved_on: None,
            resolution: None,
            hours: Hours(250),
            expenses: Money(3_250),
            expense_note: Some("parking at the hospital".into()),
            note: Some("Ana raised something about a team member".into()),
            next_due: NaiveDate::from_ymd_opt(2026, 12, 23),
        };
        assert_eq!(summary(&c, true), "concerns (conduct); 2.5 hours; expenses 32.50; next check-in due 2026-12-23");
        assert_eq!(summary(&c, false), "concerns (conduct); 2.5 hours; $32.50 expenses; next check-in due 2026-12-23");
    }
}
