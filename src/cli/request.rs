//! `engage request`: intake of health care partners' engagement requests.

use super::{
    CriteriaArg, check_list, check_phone, check_text, checked_answer, parse_criteria, parse_date, parse_days,
    parse_dollars, parse_email, parse_hour_count, parse_id,
};
use crate::db::Reader;
use crate::db::{events, requests, settings};
use crate::domain::criteria;
use crate::domain::dates::{DateArg, iso};
use crate::domain::kinds::{Community, Domain, Format as MeetingFormat, Level, RequestStatus, Way};
use crate::domain::money::{Hours, Money};
use crate::domain::request::{Closing, Pay, Request};
use crate::domain::settings::rate_key;
use crate::domain::text::{Kind, optional, split_list};
use crate::domain::{and_list, dates};
use crate::error::{Error, Result};
use crate::output::{Column, Format, Listing, Record, Value};
use crate::prompt::{Answer, OrFlag, Prompter, ask, ask_optional};
use crate::{Ctx, Exit};
use clap::Subcommand;

#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(subcommand)]
    pub command: RequestCommand,
}

#[derive(Debug, Subcommand)]
pub enum RequestCommand {
    /// Record a health care partner's engagement request
    #[command(after_help = "\
Examples:
  engage request new --title 'Discharge co-design' --org 'Fraser Health' --contact-name 'Lee Wong' \\
      --contact-email lee.wong@example.org --way collaborate --hours 40 --seats 3 \\
      --starts 2027-01-10 --ends 2027-06-30 --criteria 'experience!,speaking,listening:2'
  engage request new       # on a terminal: asks for what is missing

Seats default to 2; the rate comes from the way's setting (engage config list) unless --rate or
--honorarium is given; respond_by defaults to respond_within_days from today and select_by to
select_within_days after respond_by.")]
    New(NewArgs),

    /// List requests, newest last
    #[command(
        after_help = "Examples:\n  engage request list --status open\n  engage request list --org fraser --format csv"
    )]
    List(ListArgs),

    /// Show one request with its criteria and its timeline
    #[command(after_help = "Example:\n  engage request show 3 --format json")]
    Show {
        /// The request's id
        #[arg(value_parser = parse_id)]
        id: i64,
    },

    /// Change a request: give only the flags to change; '' clears an optional value
    #[command(
        after_help = "Examples:\n  engage request edit 3 --seats 3 --ends 2027-07-31\n  engage request edit 3 --location ''"
    )]
    Edit(EditArgs),

    /// Cancel a request that has not closed, saying why
    #[command(after_help = "Example:\n  engage request cancel 3 --reason 'project postponed by the requester'")]
    Cancel(CancelArgs),
}

/// The fields of a request, shared by `new` and `edit`.
#[derive(Debug, Clone, Default, PartialEq, Eq, clap::Args)]
pub struct Fields {
    /// What the engagement is called
    #[arg(long, value_name = "T")]
    pub title: Option<String>,
    /// The health care partner (organization) making the request
    #[arg(long, value_name = "O")]
    pub org: Option<String>,
    /// The requester's one point of contact
    #[arg(long, value_name = "N")]
    pub contact_name: Option<String>,
    /// The point of contact's e-mail
    #[arg(long, value_name = "E", value_parser = parse_email)]
    pub contact_email: Option<String>,
    #[arg(long, value_name = "P")]
    pub contact_phone: Option<String>,
    /// The way of engaging; it sets the default rate
    #[arg(long, value_enum, value_name = "WAY")]
    pub way: Option<Way>,
    #[arg(long, value_enum, value_name = "D")]
    pub domain: Option<Domain>,
    #[arg(long, value_enum, value_name = "L")]
    pub level: Option<Level>,
    /// Topics, comma-separated, matched against partners' topics of interest
    #[arg(long, value_name = "a,b")]
    pub topics: Option<String>,
    #[arg(long, value_name = "R")]
    pub region: Option<String>,
    #[arg(long, value_enum, value_name = "C")]
    pub community: Option<Community>,
    /// How the engagement meets
    #[arg(long, value_enum, value_name = "F")]
    pub format_of: Option<MeetingFormat>,
    #[arg(long, value_name = "L")]
    pub location: Option<String>,
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    pub starts: Option<DateArg>,
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    pub ends: Option<DateArg>,
    /// Last day for partners to answer the invitation
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    pub respond_by: Option<DateArg>,
    /// Day by which partners should be selected
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    pub select_by: Option<DateArg>,
    /// Estimated hours per partner
    #[arg(long, value_name = "H", value_parser = parse_hour_count)]
    pub hours: Option<Hours>,
    /// How many patient partners are wanted (default 2)
    #[arg(long, value_name = "N", value_parser = parse_seats)]
    pub seats: Option<u32>,
    /// An hourly rate in dollars for this request, instead of the way's
    #[arg(long, value_name = "DOLLARS", value_parser = parse_dollars, conflicts_with = "honorarium", allow_hyphen_values = true)]
    pub rate: Option<Money>,
    /// A fixed amount in dollars per partner, instead of an hourly rate
    #[arg(long, value_name = "DOLLARS", value_parser = parse_dollars, allow_hyphen_values = true)]
    pub honorarium: Option<Money>,
    /// Expenses are reimbursed (the default for a new request)
    #[arg(long, conflicts_with = "no_expenses")]
    pub expenses: bool,
    /// Expenses are not reimbursed
    #[arg(long)]
    pub no_expenses: bool,
    /// Partners need a criminal record check
    #[arg(long, conflicts_with = "no_record_check")]
    pub record_check: bool,
    /// No criminal record check is needed
    #[arg(long)]
    pub no_record_check: bool,
    /// Days between check-ins (default: the checkin_every_days setting)
    #[arg(long, value_name = "DAYS", value_parser = parse_days)]
    pub checkin_every: Option<u32>,
    /// Selection criteria: names, '!' for required, ':WEIGHT' from 1 to 10 [default:
    /// experience,speaking,constructive,listening,availability]
    #[arg(long, value_name = "LIST", value_parser = parse_criteria)]
    pub criteria: Option<CriteriaArg>,
    /// What the engagement is about and what partners will do
    #[arg(long, value_name = "D")]
    pub description: Option<String>,
    /// Accessibility supports offered (interpretation, transit, childcare, …)
    #[arg(long, value_name = "S")]
    pub supports: Option<String>,
    /// The survey link for the partners, sent by `engage message survey`
    #[arg(long, value_name = "URL", value_parser = crate::domain::link::parse)]
    pub partner_survey_url: Option<String>,
    /// The survey link for the requester's point of contact, sent by `engage message survey`
    #[arg(long, value_name = "URL", value_parser = crate::domain::link::parse)]
    pub requester_survey_url: Option<String>,
}

#[derive(Debug, clap::Args)]
pub struct NewArgs {
    #[command(flatten)]
    pub fields: Fields,
}

#[derive(Debug, clap::Args)]
pub struct ListArgs {
    /// Only requests in these statuses (comma-separated), or 'open' for all not closed or cancelled
    #[arg(long, value_name = "S", value_parser = parse_status_filter)]
    pub status: Option<StatusFilter>,
    /// Only requests whose organization contains this text
    #[arg(long, value_name = "O")]
    pub org: Option<String>,
}

#[derive(Debug, clap::Args)]
pub struct EditArgs {
    /// The request's id
    #[arg(value_parser = parse_id)]
    pub id: i64,
    #[command(flatten)]
    pub fields: Fields,
}

#[derive(Debug, clap::Args)]
pub struct CancelArgs {
    /// The request's id
    #[arg(value_parser = parse_id)]
    pub id: i64,
    /// Why the request is cancelled (kept in the timeline)
    #[arg(long, value_name = "R")]
    pub reason: Option<String>,
}

fn parse_seats(text: &str) -> std::result::Result<u32, String> {
    match text.trim().parse::<u32>() {
        Ok(n @ 1..=1000) => Ok(n),
        Ok(0) => Err("a request needs at least one seat (and should have two)".to_string()),
        _ => Err(format!("'{}' is not a number of seats; use a whole number from 1 to 1000", text.trim())),
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatusFilter(pub Vec<RequestStatus>);

fn parse_status_filter(text: &str) -> std::result::Result<StatusFilter, String> {
    let mut statuses = Vec::new();
    for word in text.split(',').map(str::trim).filter(|w| !w.is_empty()) {
        if word.eq_ignore_ascii_case("open") {
            statuses.extend_from_slice(RequestStatus::OPEN);
        } else {
            statuses.push(word.parse::<RequestStatus>().map_err(|why| format!("{why}, or open"))?);
        }
    }
    if statuses.is_empty() {
        return Err(format!("use a status: {}, or open", RequestStatus::choices()));
    }
    Ok(StatusFilter(statuses))
}

pub fn run(args: Args, ctx: &mut Ctx<'_>) -> Result<Exit> {
    match args.command {
        RequestCommand::New(a) => new(a.fields, ctx),
        RequestCommand::List(a) => list(a, ctx),
        RequestCommand::Show { id } => show(id, ctx),
        RequestCommand::Edit(a) => edit(a, ctx),
        RequestCommand::Cancel(a) => cancel(a, ctx),
    }
}

/// The flags' values meet the rules of values (SPEC §4), before anything else is done.
fn check_fields(f: &Fields) -> Result<()> {
    check_text("--title", f.title.as_deref(), Kind::Title)?;
    check_text("--org", f.org.as_deref(), Kind::Name)?;
    check_text("--contact-name", f.contact_name.as_deref(), Kind::Name)?;
    for (flag, value) in [("--region", &f.region), ("--location", &f.location)] {
        check_text(flag, value.as_deref(), Kind::Title)?;
    }
    for (flag, value) in [("--description", &f.description), ("--supports", &f.supports)] {
        check_text(flag, value.as_deref(), Kind::Note)?;
    }
    check_list("--topics", f.topics.as_deref())?;
    check_phone("--contact-phone", f.contact_phone.as_deref())
}

/// Text a required field cannot be without.
fn required_text(flag: &str, value: &str) -> Result<String> {
    optional(value).ok_or_else(|| Error::Invalid(format!("{flag} cannot be empty")))
}

fn new(mut f: Fields, ctx: &mut Ctx<'_>) -> Result<Exit> {
    // Checks that need nothing from the database come before it is opened.
    check_fields(&f)?;
    check_dates(&f, ctx.today)?;
    for (flag, value) in [("--title", &f.title), ("--org", &f.org), ("--contact-name", &f.contact_name)] {
        if let Some(v) = value {
            required_text(flag, v)?;
        }
    }
    if !ctx.interactive() {
        refuse_missing(&f)?;
    }
    let mut db = ctx.open_db()?;
    let today = ctx.today;
    // The deadlines the flags and the settings give are checked before any question, so that no
    // answer is lost to them.
    deadlines(&f, today, db.conn())?;
    let mut asked = false;
    if let Some(p) = ctx.prompter() {
        asked = ask_missing(p, &mut f, db.conn(), today)?;
    }
    refuse_missing(&f)?;
    let request = build_new(&f, today, db.conn())?;
    let warnings = request.check(today).map_err(Error::Invalid)?;
    let mut confirmed = true;
    match ctx.prompter() {
        // What was answered is shown back before anything is recorded.
        Some(p) if asked => {
            p.say(&summary(&request))?;
            for w in &warnings {
                p.say(&format!("warning: {w}"))?;
            }
            confirmed = p
                .confirm("Record this request?", true)
                .map_err(|e| e.into_error(None, "give every value as a flag to record it without questions"))?;
        }
        _ => {
            for w in &warnings {
                ctx.warn(w)?;
            }
        }
    }
    if !confirmed {
        ctx.note("Nothing was recorded.")?;
        return Ok(Exit::Done);
    }
    let stamp = ctx.stamp.clone();
    let id = db.write(|tx| {
        let id = requests::insert(tx, &request)?;
        events::log(tx, &stamp, "request_created", Some(id), None, &summary(&request))?;
        Ok(id)
    })?;
    let request = requests::get(db.conn(), id)?;
    ctx.note(&format!("Recorded request {id}: {}.", summary(&request)))?;
    if ctx.format == Format::Table {
        writeln!(ctx.out, "{id}")?;
    } else {
        ctx.print_record(&record(db.conn(), &request)?)?;
    }
    Ok(Exit::Done)
}

/// Every required flag not given, named in one sentence.
fn refuse_missing(f: &Fields) -> Result<()> {
    let missing: Vec<&str> = [
        ("--title", f.title.is_none()),
        ("--org", f.org.is_none()),
        ("--contact-name", f.contact_name.is_none()),
        ("--contact-email", f.contact_email.is_none()),
        ("--way", f.way.is_none()),
    ]
    .iter()
    .filter(|(_, missing)| *missing)
    .map(|(flag, _)| *flag)
    .collect();
    if missing.is_empty() {
        return Ok(());
    }
    Err(Error::Missing(format!(
        "request new needs {}; pass {}, or run it on a terminal to be asked",
        and_list(&missing),
        if missing.len() == 1 { "it" } else { "them" }
    )))
}

/// "Discharge co-design for Fraser Health (collaborate, 2 seats, $50.00/hour (the collaborate
/// rate); respond by …, select by …)".
fn summary(r: &Request) -> String {
    format!(
        "{} for {} ({}, {} seat{}, {}; respond by {}, select by {})",
        r.title,
        r.organization,
        r.way,
        r.seats,
        if r.seats == 1 { "" } else { "s" },
        r.pay.describe(r.way),
        iso(r.respond_by),
        iso(r.select_by)
    )
}

/// Explicit dates that contradict each other are refused before anything else happens.
fn check_dates(f: &Fields, today: chrono::NaiveDate) -> Result<()> {
    let d = |a: Option<DateArg>| a.map(|a| a.resolve(today));
    if let (Some(s), Some(e)) = (d(f.starts), d(f.ends)) {
        if e < s {
            return Err(Error::Invalid(format!(
                "--ends {} is before --starts {}; the engagement must end on or after it starts",
                iso(e),
                iso(s)
            )));
        }
    }
    if let (Some(r), Some(s)) = (d(f.respond_by), d(f.select_by)) {
        if s < r {
            return Err(Error::Invalid(format!(
                "--select-by {} is before --respond-by {}; partners are selected after they respond",
                iso(s),
                iso(r)
            )));
        }
    }
    Ok(())
}

/// `days` after `date`, or a usage error naming the flag whose date leaves no room for it (the
/// database keeps days up to 9999-12-31).
fn add_days(date: chrono::NaiveDate, days: u32, flag: &str, derived: &str, advice: &str) -> Result<chrono::NaiveDate> {
    dates::days_after(date, u64::from(days)).ok_or_else(|| {
        Error::Invalid(format!(
            "{flag} {} leaves no day for {derived}: {days} days later is after {}, the last day engage keeps; {advice}",
            iso(date),
            iso(dates::last_day())
        ))
    })
}

/// The day to respond by and the day to select by: the flags', or the settings' from today. A
/// selection before the responses is refused.
fn deadlines(f: &Fields, today: chrono::NaiveDate, conn: &Reader) -> Result<(chrono::NaiveDate, chrono::NaiveDate)> {
    let respond_by = match f.respond_by {
        Some(d) => d.resolve(today),
        None => add_days(
            today,
            settings::get_number(conn, "respond_within_days")?,
            "today",
            "--respond-by",
            "pass --respond-by",
        )?,
    };
    let select_by = match f.select_by {
        Some(d) => d.resolve(today),
        None => add_days(
            respond_by,
            settings::get_number(conn, "select_within_days")?,
            "--respond-by",
            "select_by",
            "give an earlier --respond-by, or --select-by",
        )?,
    };
    if select_by < respond_by {
        return Err(Error::Invalid(format!(
            "--select-by {} is before the day to respond by, {}{}; partners are selected after they respond",
            iso(select_by),
            iso(respond_by),
            if f.respond_by.is_some() { "" } else { " (respond_within_days from today; --respond-by changes it)" }
        )));
    }
    Ok((respond_by, select_by))
}

fn build_new(f: &Fields, today: chrono::NaiveDate, conn: &Reader) -> Result<Request> {
    let way = f.way.ok_or_else(|| Error::Missing("request new needs --way".to_string()))?;
    let text = |flag: &str, v: &Option<String>| -> Result<String> { required_text(flag, v.as_deref().unwrap_or("")) };
    let (respond_by, select_by) = deadlines(f, today, conn)?;
    let pay = match (f.rate, f.honorarium) {
        (_, Some(h)) => Pay::Honorarium(h),
        (Some(r), None) => Pay::Rate(r),
        (None, None) => Pay::WayRate(settings::get_money(conn, rate_key(way))?),
    };
    Ok(Request {
        id: 0,
        title: text("--title", &f.title)?,
        description: f.description.as_deref().and_then(optional),
        organization: text("--org", &f.org)?,
        contact_name: text("--contact-name", &f.contact_name)?,
        contact_email: text("--contact-email", &f.contact_email)?,
        contact_phone: f.contact_phone.as_deref().and_then(optional),
        way,
        domain: f.domain,
        level: f.level,
        topics: f.topics.as_deref().map(split_list).unwrap_or_default(),
        region: f.region.as_deref().and_then(optional),
        community: f.community,
        format: f.format_of,
        location: f.location.as_deref().and_then(optional),
        starts_on: f.starts.map(|d| d.resolve(today)),
        ends_on: f.ends.map(|d| d.resolve(today)),
        respond_by,
        select_by,
        hours_estimate: f.hours,
        seats: f.seats.unwrap_or(crate::domain::request::MIN_PARTNERS),
        pay,
        expenses_reimbursed: !f.no_expenses,
        record_check_required: f.record_check,
        supports: f.supports.as_deref().and_then(optional),
        checkin_every_days: match f.checkin_every {
            Some(days) => days,
            None => settings::get_number(conn, "checkin_every_days")?,
        },
        status: RequestStatus::Submitted,
        status_reason: None,
        created_on: today,
        criteria: f.criteria.clone().map(|c| c.0).unwrap_or_else(criteria::defaults),
        closing: Closing::default(),
        partner_survey_url: f.partner_survey_url.as_deref().and_then(optional),
        requester_survey_url: f.requester_survey_url.as_deref().and_then(optional),
    })
}

/// The fields the guided `request new` asks for; when none of them is given as a flag, it walks
/// through them all.
fn guided(f: &Fields) -> bool {
    f.title.is_none()
        && f.description.is_none()
        && f.org.is_none()
        && f.contact_name.is_none()
        && f.contact_email.is_none()
        && f.way.is_none()
        && f.domain.is_none()
        && f.level.is_none()
        && f.topics.is_none()
        && f.starts.is_none()
        && f.ends.is_none()
        && f.hours.is_none()
        && f.seats.is_none()
        && f.criteria.is_none()
}

/// On a terminal: with no flags, every field the guided form has; with some flags, only the
/// required ones still missing. Each answer meets the flag's checks as it is given, and a
/// refused one is asked again, so no answer is lost. Returns whether anything was asked.
fn ask_missing(p: &mut dyn Prompter, f: &mut Fields, conn: &Reader, today: chrono::NaiveDate) -> Result<bool> {
    let guided = guided(f);
    let before = f.clone();
    let text = |what: &'static str, kind: Kind| {
        move |s: &str| checked_answer(&required_text(what, s).map_err(|e| e.to_string())?, kind)
    };
    let free = |s: &str| checked_answer(s, Kind::Note);
    if f.title.is_none() {
        f.title = Some(ask(p, "Title of the engagement", None, text("the title", Kind::Title)).or_flag("--title T")?);
    }
    if guided && f.description.is_none() {
        f.description = ask_optional(p, "What partners will do (empty to skip)", free).or_flag("--description D")?;
    }
    if f.org.is_none() {
        f.org = Some(
            ask(p, "Organization (health care partner)", None, text("the organization", Kind::Name))
                .or_flag("--org O")?,
        );
    }
    if f.contact_name.is_none() {
        f.contact_name = Some(
            ask(p, "Point of contact's name", None, text("the point of contact", Kind::Name))
                .or_flag("--contact-name N")?,
        );
    }
    if f.contact_email.is_none() {
        f.contact_email = Some(ask(p, "Point of contact's e-mail", None, parse_email).or_flag("--contact-email E")?);
    }
    if f.way.is_none() {
        let mut items = Vec::new();
        for way in Way::ALL {
            let rate = settings::get_money(conn, rate_key(*way))?;
            items.push(format!("{way} ({rate}/hour): {}", way.about()));
        }
        let chosen = p.choose("Way of engaging", &items, 0).or_flag("--way WAY")?;
        f.way = Way::ALL.get(chosen).copied();
    }
    if !guided {
        return Ok(*f != before);
    }
    if f.domain.is_none() {
        f.domain =
            choose_optional(p, "Domain", Domain::ALL, |d| format!("{d}: {}", d.about())).or_flag("--domain D")?;
    }
    if f.level.is_none() {
        f.level = choose_optional(p, "Level", Level::ALL, |l| format!("{l}: {}", l.about())).or_flag("--level L")?;
    }
    if f.topics.is_none() {
        f.topics = ask_optional(p, "Topics, comma-separated (empty for none)", free).or_flag("--topics a,b")?;
    }
    // In the guided form neither date came as a flag: the end is checked against the start answered.
    if f.starts.is_none() {
        f.starts =
            ask_optional(p, "Starts on (YYYY-MM-DD, empty if not known)", parse_date).or_flag("--starts DATE")?;
    }
    let starts = f.starts.map(|d| d.resolve(today));
    if f.ends.is_none() {
        f.ends = ask_optional(p, "Ends on (YYYY-MM-DD, empty if not known)", |a| {
            let ends = parse_date(a)?;
            match starts {
                Some(s) if ends.resolve(today) < s => Err(format!(
                    "{} is before the engagement starts, {}; give a day on or after it, or leave it empty",
                    iso(ends.resolve(today)),
                    iso(s)
                )),
                _ => Ok(ends),
            }
        })
        .or_flag("--ends DATE")?;
    }
    if f.hours.is_none() {
        f.hours = ask_optional(p, "Estimated hours per partner (empty if not known)", parse_hour_count)
            .or_flag("--hours H")?;
    }
    if f.seats.is_none() {
        f.seats = Some(ask(p, "Seats (patient partners wanted)", Some("2"), parse_seats).or_flag("--seats N")?);
    }
    if f.criteria.is_none() {
        p.say(&format!(
            "Selection criteria: names, '!' after one that is required, ':WEIGHT' from 1 to 10 (for example \
             experience!,speaking,listening:2). Empty keeps the usual ones: {}.",
            criteria::spec_list(&criteria::defaults())
        ))?;
        f.criteria =
            ask_optional(p, "Criteria (empty for the usual ones)", parse_criteria).or_flag("--criteria LIST")?;
    }
    Ok(true)
}

/// A menu of a vocabulary with `(not set)` last; the cursor starts on the first word.
fn choose_optional<T: Copy>(
    p: &mut dyn Prompter,
    prompt: &str,
    all: &[T],
    show: impl Fn(T) -> String,
) -> Answer<Option<T>> {
    let mut items: Vec<String> = all.iter().map(|v| show(*v)).collect();
    items.push("(not set)".to_string());
    let chosen = p.choose(prompt, &items, 0)?;
    Ok(all.get(chosen).copied())
}

fn list(a: ListArgs, ctx: &mut Ctx<'_>) -> Result<Exit> {
    let db = ctx.open_db()?;
    let filter = requests::Filter { statuses: a.status.map(|s| s.0).unwrap_or_default(), organization: a.org };
    let found = requests::list(db.conn(), &filter)?;
    let mut listing = Listing::new(&[
        Column::id("id"),
        Column::text("title"),
        Column::text("organization").leave_out(6),
        Column::word("way").leave_out(4),
        Column::word("status"),
        Column::number("seats").leave_out(1),
        Column::date("respond_by"),
        Column::date("select_by").leave_out(2),
        Column::date("starts_on").leave_out(5),
        Column::date("ends_on").leave_out(3),
    ]);
    for r in &found {
        listing.push(vec![
            Value::Int(r.id),
            Value::text(&r.title),
            Value::text(&r.organization),
            Value::text(r.way.as_str()),
            Value::text(r.status.as_str()),
            Value::Int(i64::from(r.seats)),
            Value::Date(r.respond_by),
            Value::Date(r.select_by),
            Value::opt_date(r.starts_on),
            Value::opt_date(r.ends_on),
        ]);
    }
    ctx.print_listing(&listing, "No requests match. `engage request new` records one.")?;
    Ok(Exit::Done)
}

/// The fields of a request as `show` prints them, in the order a coordinator reads them.
fn fields(r: &Request) -> Vec<(Column, Value)> {
    let word = |w: Option<&'static str>| w.map_or(Value::Null, Value::text);
    vec![
        (Column::id("id"), Value::Int(r.id)),
        (Column::text("title"), Value::text(&r.title)),
        (Column::word("status"), Value::text(r.status.as_str())),
        (Column::text("status_reason"), Value::opt_text(r.status_reason.clone())),
        (Column::text("organization"), Value::text(&r.organization)),
        (Column::text("contact_name"), Value::text(&r.contact_name)),
        (Column::email("contact_email"), Value::text(&r.contact_email)),
        (Column::phone("contact_phone"), Value::opt_text(r.contact_phone.clone())),
        (Column::text("description"), Value::opt_text(r.description.clone())),
        (Column::word("way"), Value::text(r.way.as_str())),
        (Column::word("domain"), word(r.domain.map(Domain::as_str))),
        (Column::word("level"), word(r.level.map(Level::as_str))),
        (Column::text("topics"), Value::List(r.topics.clone())),
        (Column::text("region"), Value::opt_text(r.region.clone())),
        (Column::word("community"), word(r.community.map(Community::as_str))),
        (Column::word("format"), word(r.format.map(MeetingFormat::as_str))),
        (Column::text("location"), Value::opt_text(r.location.clone())),
        (Column::date("starts_on"), Value::opt_date(r.starts_on)),
        (Column::date("ends_on"), Value::opt_date(r.ends_on)),
        (Column::date("respond_by"), Value::Date(r.respond_by)),
        (Column::date("select_by"), Value::Date(r.select_by)),
        (Column::number("hours_estimate"), Value::opt_hours(r.hours_estimate)),
        (Column::number("seats"), Value::Int(i64::from(r.seats))),
        (Column::word("pay_basis"), Value::text(r.pay.basis())),
        (Column::amount("rate"), Value::opt_money(r.pay.hourly())),
        (Column::amount("honorarium"), Value::opt_money(r.pay.honorarium())),
        (Column::word("expenses_reimbursed"), Value::Bool(r.expenses_reimbursed)),
        (Column::word("record_check_required"), Value::Bool(r.record_check_required)),
        (Column::text("supports"), Value::opt_text(r.supports.clone())),
        (Column::number("checkin_every_days"), Value::Int(i64::from(r.checkin_every_days))),
        (Column::text("criteria_spec"), Value::text(criteria::spec_list(&r.criteria))),
        (Column::date("created_on"), Value::Date(r.created_on)),
        (Column::text("outcomes"), Value::opt_text(r.closing.outcomes.clone())),
        (Column::date("loop_closed_on"), Value::opt_date(r.closing.loop_closed_on)),
        (Column::date("thanked_on"), Value::opt_date(r.closing.thanked_on)),
        (Column::date("partner_survey_on"), Value::opt_date(r.closing.partner_survey_on)),
        (Column::date("requester_survey_on"), Value::opt_date(r.closing.requester_survey_on)),
        (Column::date("closed_on"), Value::opt_date(r.closing.closed_on)),
        (Column::text("partner_survey_url"), Value::opt_text(r.partner_survey_url.clone())),
        (Column::text("requester_survey_url"), Value::opt_text(r.requester_survey_url.clone())),
    ]
}

fn record(conn: &Reader, r: &Request) -> Result<Record> {
    let mut record = Record { fields: fields(r), ..Record::default() };
    let mut criteria_rows = Listing::new(&[
        Column::id("criterion"),
        Column::number("weight"),
        Column::word("required"),
        Column::text("meaning"),
    ]);
    for c in &r.criteria {
        criteria_rows.push(vec![
            Value::text(&c.name),
            Value::Int(i64::from(c.weight)),
            Value::Bool(c.required),
            Value::opt_text(c.meaning()),
        ]);
    }
    record.section("criteria", criteria_rows);
    let mut timeline = Listing::new(&[
        Column::date("on"),
        Column::time("at").leave_out(2),
        Column::id("by").leave_out(1),
        Column::word("event"),
        Column::id("partner_id").leave_out(3),
        Column::text("detail"),
    ]);
    for e in events::for_request(conn, r.id)? {
        let on = e.at.get(..10).and_then(dates::parse_iso_date);
        timeline.push(vec![
            Value::opt_date(on),
            Value::text(e.at.replace('T', " ")),
            Value::text(e.actor),
            Value::text(e.kind),
            Value::opt_int(e.partner_id),
            Value::text(e.detail),
        ]);
    }
    record.section("timeline", timeline);
    Ok(record)
}

fn show(id: i64, ctx: &mut Ctx<'_>) -> Result<Exit> {
    let db = ctx.open_db()?;
    let request = requests::get(db.conn(), id)?;
    let record = record(db.conn(), &request)?;
    ctx.print_record(&record)?;
    Ok(Exit::Done)
}

/// Applies the flags given to a copy of the request; `conn` supplies the new way's rate.
fn apply(f: &Fields, r: &Request, today: chrono::NaiveDate, conn: &Reader) -> Result<Request> {
    let mut n = r.clone();
    let clearable = |v: &Option<String>, current: &Option<String>| match v {
        Some(text) => optional(text),
        None => current.clone(),
    };
    if let Some(t) = &f.title {
        n.title = required_text("--title", t)?;
    }
    if let Some(o) = &f.org {
        n.organization = required_text("--org", o)?;
    }
    if let Some(c) = &f.contact_name {
        n.contact_name = required_text("--contact-name", c)?;
    }
    if let Some(e) = &f.contact_email {
        n.contact_email = e.clone();
    }
    n.contact_phone = clearable(&f.contact_phone, &r.contact_phone);
    n.description = clearable(&f.description, &r.description);
    n.region = clearable(&f.region, &r.region);
    n.location = clearable(&f.location, &r.location);
    n.supports = clearable(&f.supports, &r.supports);
    n.partner_survey_url = clearable(&f.partner_survey_url, &r.partner_survey_url);
    n.requester_survey_url = clearable(&f.requester_survey_url, &r.requester_survey_url);
    if let Some(topics) = &f.topics {
        n.topics = split_list(topics);
    }
    if let Some(way) = f.way {
        n.way = way;
    }
    n.domain = f.domain.or(r.domain);
    n.level = f.level.or(r.level);
    n.community = f.community.or(r.community);
    n.format = f.format_of.or(r.format);
    n.starts_on = f.starts.map(|d| d.resolve(today)).or(r.starts_on);
    n.ends_on = f.ends.map(|d| d.resolve(today)).or(r.ends_on);
    n.respond_by = f.respond_by.map_or(r.respond_by, |d| d.resolve(today));
    n.select_by = f.select_by.map_or(r.select_by, |d| d.resolve(today));
    n.hours_estimate = f.hours.or(r.hours_estimate);
    n.seats = f.seats.unwrap_or(r.seats);
    n.pay = match (f.rate, f.honorarium, r.pay) {
        (_, Some(h), _) => Pay::Honorarium(h),
        (Some(rate), None, _) => Pay::Rate(rate),
        // A request paid at its way's rate follows a change of way.
        (None, None, Pay::WayRate(_)) if n.way != r.way => Pay::WayRate(settings::get_money(conn, rate_key(n.way))?),
        (None, None, pay) => pay,
    };
    if f.expenses {
        n.expenses_reimbursed = true;
    }
    if f.no_expenses {
        n.expenses_reimbursed = false;
    }
    if f.record_check {
        n.record_check_required = true;
    }
    if f.no_record_check {
        n.record_check_required = false;
    }
    n.checkin_every_days = f.checkin_every.unwrap_or(r.checkin_every_days);
    if let Some(c) = &f.criteria {
        n.criteria = c.0.clone();
    }
    Ok(n)
}

/// `seats: 2 → 3` for every field that differs.
fn changes(old: &Request, new: &Request) -> Vec<String> {
    let show = |v: &Value| match v {
        Value::Null => "(none)".to_string(),
        Value::Text(t) => format!("'{t}'"),
        Value::Money(m) => m.to_string(),
        Value::Date(d) => iso(*d),
        Value::Hours(h) => h.plain(),
        Value::Int(i) => i.to_string(),
        Value::Bool(b) => if *b { "yes" } else { "no" }.to_string(),
        Value::List(l) => format!("'{}'", l.join(", ")),
        Value::Number(n) => n.to_string(),
    };
    fields(old)
        .into_iter()
        .zip(fields(new))
        .filter(|((_, a), (_, b))| a != b)
        .map(|((key, a), (_, b))| format!("{key}: {} → {}", show(&a), show(&b)))
        .collect()
}

fn edit(a: EditArgs, ctx: &mut Ctx<'_>) -> Result<Exit> {
    if a.fields == Fields::default() {
        return Err(Error::Missing(
            "request edit needs at least one flag to change, such as --title, --seats or --ends".to_string(),
        ));
    }
    check_fields(&a.fields)?;
    let mut db = ctx.open_db()?;
    let (today, stamp) = (ctx.today, ctx.stamp.clone());
    // A closed request still takes its survey links: the surveys may go out after it closed.
    let only_survey_links =
        Fields { partner_survey_url: None, requester_survey_url: None, ..a.fields.clone() } == Fields::default();
    // Read, checked and written in one IMMEDIATE transaction, so a change another engage makes
    // meanwhile is never written over with what this one read before it.
    let edited = db.write(|tx| {
        let current = requests::get(tx, a.id)?;
        if current.status.is_final() && !(current.status == RequestStatus::Closed && only_survey_links) {
            return Err(Error::Refused(format!(
                "request {} is {}; a {} request is not edited any more",
                current.id, current.status, current.status
            )));
        }
        let updated = apply(&a.fields, &current, today, tx)?;
        let warnings = updated.check(today).map_err(Error::Invalid)?;
        refuse_dropping_scored_criteria(tx, &updated)?;
        let changed = changes(&current, &updated);
        if !changed.is_empty() {
            requests::update(tx, &updated)?;
            events::log(tx, &stamp, "request_edited", Some(updated.id), None, &changed.join("; "))?;
        }
        let follows_way = matches!(updated.pay, Pay::WayRate(_)) && updated.way != current.way;
        Ok((changed, warnings, follows_way.then(|| updated.pay.describe(updated.way))))
    })?;
    let (changed, warnings, rate) = edited;
    if changed.is_empty() {
        ctx.note(&format!("Request {} already has these values; nothing changed.", a.id))?;
        return Ok(Exit::Done);
    }
    for w in &warnings {
        ctx.warn(w)?;
    }
    if let Some(rate) = rate {
        ctx.note(&format!("The rate follows the way: {rate}."))?;
    }
    ctx.note(&format!("Updated request {}: {}.", a.id, changed.join("; ")))?;
    if ctx.format != Format::Table {
        let fresh = requests::get(db.conn(), a.id)?;
        ctx.print_record(&record(db.conn(), &fresh)?)?;
    }
    Ok(Exit::Done)
}

/// Scores name their criterion: a criterion already scored stays (its weight and required mark
/// may change, and the ranking follows).
fn refuse_dropping_scored_criteria(conn: &Reader, updated: &Request) -> Result<()> {
    let dropped: Vec<String> = crate::db::selection::scored_criteria(conn, updated.id)?
        .into_iter()
        .filter(|name| !updated.criteria.iter().any(|c| &c.name == name))
        .collect();
    if dropped.is_empty() {
        return Ok(());
    }
    let names: Vec<&str> = dropped.iter().map(String::as_str).collect();
    Err(Error::Refused(format!(
        "request {} already has scores on {}; --criteria must keep {} (weights and required marks may change)",
        updated.id,
        and_list(&names),
        if names.len() == 1 { "that criterion" } else { "those criteria" }
    )))
}

fn refuse_cancelling(r: &Request) -> Result<()> {
    if !r.status.can_move_to(RequestStatus::Cancelled) {
        return Err(Error::Refused(format!(
            "request {} is {}; only a request that has not closed can be cancelled",
            r.id, r.status
        )));
    }
    Ok(())
}

fn cancel(a: CancelArgs, ctx: &mut Ctx<'_>) -> Result<Exit> {
    check_text("--reason", a.reason.as_deref(), Kind::Note)?;
    let mut reason = a.reason.as_deref().and_then(optional);
    let mut db = ctx.open_db()?;
    let current = requests::get(db.conn(), a.id)?;
    refuse_cancelling(&current)?;
    if reason.is_none() {
        if let Some(p) = ctx.prompter() {
            let nonempty = |s: &str| {
                let t = optional(s).ok_or_else(|| "a reason is needed".to_string())?;
                checked_answer(&t, Kind::Note)
            };
            reason =
                Some(ask(p, &format!("Why is '{}' cancelled?", current.title), None, nonempty).or_flag("--reason R")?);
        }
    }
    let reason = reason
        .ok_or_else(|| Error::Missing("request cancel needs --reason: say why the request is cancelled".to_string()))?;
    let stamp = ctx.stamp.clone();
    // The status is read again where it is written: a request closed by another engage while the
    // reason was asked is not cancelled over its close.
    db.write(|tx| {
        let now = requests::get(tx, a.id)?;
        refuse_cancelling(&now)?;
        requests::move_to(tx, &stamp, &now, RequestStatus::Cancelled, Some(&reason))
    })?;
    ctx.note(&format!("Cancelled request {}: {}.", current.id, current.title))?;
    Ok(Exit::Done)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::criteria::Criterion;

    #[test]
    fn seats_and_status_filters_read_as_documented() {
        assert_eq!(parse_seats("3"), Ok(3));
        assert!(parse_seats("0").unwrap_err().contains("at least one seat"));
        assert!(parse_seats("two").unwrap_err().contains("'two' is not a number of seats"));
        assert_eq!(parse_status_filter("open").unwrap().0, RequestStatus::OPEN.to_vec());
        assert_eq!(
            parse_status_filter("closed,cancelled").unwrap().0,
            vec![RequestStatus::Closed, RequestStatus::Cancelled]
        );
        assert!(parse_status_filter("done").unwrap_err().contains("'done' is not a request status"));
    }

    #[test]
    fn criterion_meanings_come_from_the_defaults() {
        let c = Criterion { name: "listening".into(), weight: 2, required: false };
        assert!(c.meaning().unwrap().contains("empathy"));
    }
}
