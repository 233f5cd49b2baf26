//! `engage report participation`: per partner, engagements, hours, last engaged and share of
//! opportunities over a period, with its page.

use super::{Period, period_of, write_page};
use crate::app::{Ctx, Exit};
use crate::db;
use crate::db::Reader;
use crate::domain::report::{self as figures, FairShare, Participant, Participation};
use crate::error::Result;
use crate::files;
use crate::html::{PARTICIPATION, participant_row};
use crate::output::{Format, Listing};
use chrono::NaiveDate;

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

pub(super) fn participation(p: Period, html: Option<files::Target>, ctx: &mut Ctx<'_>) -> Result<Exit> {
    let period = period_of(&p, ctx.today)?;
    let db = ctx.open_db_read_only()?;
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
