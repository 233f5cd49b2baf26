//! `engage request edit`: the flags given laid over a request, read and written in one
//! transaction.

use super::view::{fields, record};
use super::{EditArgs, Fields, check_fields, check_shape, required_text};
use crate::app::{Ctx, Exit};
use crate::db::Reader;
use crate::db::{events, requests, settings};
use crate::domain::and_list;
use crate::domain::dates::iso;
use crate::domain::kinds::{RequestStatus, Way};
use crate::domain::request::{Pay, Request};
use crate::domain::settings::rate_key;
use crate::domain::text::{optional, split_list};
use crate::error::{Error, Result};
use crate::output::{Format, Value};

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
    if let Some(o) = &f.owner {
        n.owner = required_text("--owner", o)?;
    }
    if let Some(c) = &f.contact_name {
        n.contact_name = required_text("--contact-name", c)?;
    }
    if let Some(e) = &f.contact_email {
        n.contact_email = e.clone();
    }
    n.contact_phone = clearable(&f.contact_phone, &r.contact_phone);
    n.description = clearable(&f.description, &r.description);
    n.title_fr = clearable(&f.title_fr, &r.title_fr);
    n.description_fr = clearable(&f.description_fr, &r.description_fr);
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
    n.format = f.meeting.or(r.format);
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
    n.checkin_every_given = r.checkin_every_given || f.checkin_every.is_some();
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

pub(super) fn edit(a: EditArgs, ctx: &mut Ctx<'_>) -> Result<Exit> {
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
        check_shape(Some(updated.way), &a.fields)?;
        if updated.way == Way::Inform
            && current.way != Way::Inform
            && matches!(current.status, RequestStatus::Selecting | RequestStatus::Active)
        {
            return Err(Error::Refused(format!(
                "request {} is {} with candidates scored or selected; an inform request is a notice with no \
                 selection, so its way stays {}",
                current.id, current.status, current.way
            )));
        }
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
