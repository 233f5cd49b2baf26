//! `engage request new`: a request recorded from flags, or asked for on a terminal.

use super::view::record;
use super::{Fields, check_fields, check_shape, parse_seats, required_text};
use crate::app::{Ctx, Exit};
use crate::cli::{checked_answer, flag_list, parse_criteria, parse_date, parse_email, parse_hour_count};
use crate::db::Reader;
use crate::db::{events, requests, settings};
use crate::domain::criteria;
use crate::domain::dates;
use crate::domain::dates::{DateArg, iso};
use crate::domain::kinds::{Domain, Level, RequestStatus, Way};
use crate::domain::request::{Closing, Pay, Request};
use crate::domain::settings::rate_key;
use crate::domain::shape::Shape;
use crate::domain::text::{Kind, optional, split_list};
use crate::error::{Error, Result};
use crate::output::Format;
use crate::prompt::{Answer, OrFlag, Prompter, ask, ask_optional};

pub(super) fn new(mut f: Fields, ctx: &mut Ctx<'_>) -> Result<Exit> {
    // Checks that need nothing from the database come before it is opened.
    check_fields(&f)?;
    check_shape(f.way, &f)?;
    check_dates(&f, ctx.today)?;
    for (flag, value) in
        [("--title", &f.title), ("--org", &f.org), ("--contact-name", &f.contact_name), ("--owner", &f.owner)]
    {
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
    check_shape(f.way, &f)?;
    let owner = match &f.owner {
        Some(name) => required_text("--owner", name)?,
        None => ctx.coordinator(db.conn())?,
    };
    let request = build_new(&f, today, db.conn(), owner)?;
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
    let Some(missing) = flag_list(&[
        ("--title", f.title.is_none()),
        ("--org", f.org.is_none()),
        ("--contact-name", f.contact_name.is_none()),
        ("--contact-email", f.contact_email.is_none()),
        ("--way", f.way.is_none()),
    ]) else {
        return Ok(());
    };
    Err(Error::Missing(format!(
        "request new needs {}; pass {}, or run it on a terminal to be asked",
        missing.names,
        missing.them()
    )))
}

/// "Discharge co-design for Fraser Health (collaborate, 2 seats, $50.00/hour (the collaborate
/// rate); respond by …, select by …)".
fn summary(r: &Request) -> String {
    if Shape::of_request(r) == Shape::Notice {
        return format!(
            "{} for {} (inform: a notice to the network, {}; respond by {})",
            r.title,
            r.organization,
            r.pay.describe(r.way),
            iso(r.respond_by)
        );
    }
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

fn build_new(f: &Fields, today: chrono::NaiveDate, conn: &Reader, owner: String) -> Result<Request> {
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
        title_fr: f.title_fr.as_deref().and_then(optional),
        description_fr: f.description_fr.as_deref().and_then(optional),
        organization: text("--org", &f.org)?,
        owner,
        contact_name: text("--contact-name", &f.contact_name)?,
        contact_email: text("--contact-email", &f.contact_email)?,
        contact_phone: f.contact_phone.as_deref().and_then(optional),
        way,
        domain: f.domain,
        level: f.level,
        topics: f.topics.as_deref().map(split_list).unwrap_or_default(),
        region: f.region.as_deref().and_then(optional),
        community: f.community,
        format: f.meeting,
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
        checkin_every_given: f.checkin_every.is_some(),
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
    // An inform request is a notice: it has no seats and selects nobody.
    if f.way == Some(Way::Inform) {
        return Ok(true);
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
