//! `engage checkin due`: what is due now and soon, by request and person: check-ins and open
//! concerns.

use super::rows::Names;
use crate::app::{Ctx, Exit};
use crate::db::{checkins, closing, settings};
use crate::domain::checkin::{self, Checkin, Concern, With, days_overdue};
use crate::domain::kinds::PartnerStatus;
use crate::error::Result;
use crate::output::{Column, Format, Listing, Value};
use chrono::NaiveDate;
use std::collections::HashMap;

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

pub(super) fn due(within: u32, ctx: &mut Ctx<'_>) -> Result<Exit> {
    let today = ctx.today;
    let horizon = checkin::add_days(today, within);
    let db = ctx.open_db()?;
    let conn = db.conn();
    let followup = settings::get_number(conn, "concern_followup_days")?;
    let active = checkins::underway(conn)?;
    let mut chosen: HashMap<i64, Vec<checkin::Chosen>> = HashMap::new();
    for (request_id, partner_id, decided_on) in closing::chosen_on_active_requests(conn)? {
        chosen.entry(request_id).or_default().push(checkin::Chosen { partner_id, decided_on, forgotten: false });
    }
    let latest: HashMap<(i64, With), Checkin> =
        checkins::latest_on_active_requests(conn)?.into_iter().map(|c| ((c.request_id, c.with), c)).collect();
    let concerns = checkins::open_concerns(conn)?;
    // Only the partners a line may name are read (their names, and whether they were forgotten):
    // those due a check-in by the horizon, whoever they are, and those with an open concern. On a
    // million partners that is some 500 of the 7,000 selected on active requests.
    let active = active.iter().filter(|r| r.shape.checks_in()).collect::<Vec<_>>();
    let underway = |r: &checkins::Underway| checkin::Underway {
        starts_on: r.starts_on,
        ends_on: r.ends_on,
        created_on: r.created_on,
        every_days: r.checkin_every_days,
    };
    let mut named = std::collections::BTreeSet::new();
    for r in &active {
        let chosen_here = chosen.get(&r.id).map(Vec::as_slice).unwrap_or_default();
        for due in checkin::checkins_due(&underway(r), chosen_here, |with| latest.get(&(r.id, with))) {
            if let (With::Partner(id), true) = (due.with, due.due_on <= horizon) {
                named.insert(id);
            }
        }
    }
    named.extend(concerns.iter().filter_map(|c| c.with.partner_id()));
    let named: Vec<i64> = named.into_iter().collect();
    let mut names = Names::new(conn);
    let mut forgotten = std::collections::HashSet::new();
    crate::db::reports::partner_info(conn, &named, |id, info| {
        if info.status == PartnerStatus::Forgotten {
            forgotten.insert(id);
        }
        names.partners.insert(id, info.name);
    })?;
    let mut lines = Vec::new();
    for r in &active {
        let chosen_here = chosen.get_mut(&r.id).map(Vec::as_mut_slice).unwrap_or_default();
        for s in chosen_here.iter_mut() {
            s.forgotten = forgotten.contains(&s.partner_id);
        }
        names.knows(r.id, &r.title, &r.contact_name);
        for due in checkin::checkins_due(&underway(r), chosen_here, |with| latest.get(&(r.id, with))) {
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
    for c in concerns {
        let Some(due_on) = c.concern_due_on(followup) else { continue };
        if due_on > horizon {
            continue;
        }
        let title = names.title(c.request_id)?;
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
