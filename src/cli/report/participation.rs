//! `engage report participation`: per partner, engagements, hours, last engaged and share of
//! opportunities over a period, with its page.

use super::{IdMap, IdSet, Period, period_of, write_page};
use crate::app::{Ctx, Exit};
use crate::db;
use crate::db::Reader;
use crate::domain::report::{self as figures, FairShare, Participant, Participation};
use crate::error::Result;
use crate::files;
use crate::html::{PARTICIPATION, participant_row};
use crate::output::Format;
use chrono::NaiveDate;

fn gather_participation(conn: &Reader, period: &figures::Period) -> Result<Participation> {
    let requests = db::reports::tallies(conn)?;
    let received: IdSet<i64> = requests.iter().filter(|r| period.contains(r.created_on)).map(|r| r.id).collect();
    let engaged: IdSet<i64> = requests.iter().filter(|r| r.engaged_in(period)).map(|r| r.id).collect();
    #[derive(Default)]
    struct Counts {
        invitations: u64,
        interested: u64,
        engagements: u64,
        hours: i64,
        last_engaged: Option<NaiveDate>,
        /// Engaged by the end of the period, in the period or before.
        ever: bool,
    }
    let mut by_partner: IdMap<i64, Counts> = IdMap::default();
    for (partner, request) in db::reports::interested(conn)? {
        if received.contains(&request) {
            by_partner.entry(partner).or_default().interested += 1;
        }
    }
    let mut seats = 0;
    // When each partner was last engaged, of those who are not (yet) in the report.
    let mut last: IdMap<i64, NaiveDate> = IdMap::default();
    for (request, partner, decided_on, hours) in db::reports::engagements(conn)? {
        if engaged.contains(&request) {
            seats += 1;
            let c = by_partner.entry(partner).or_default();
            c.engagements += 1;
            c.hours += hours.0;
        }
        if decided_on <= period.to {
            let l = last.entry(partner).or_insert(decided_on);
            *l = (*l).max(decided_on);
        }
    }
    db::reports::each_invitation(conn, |partner, request| {
        if received.contains(&request) {
            if let Some(c) = by_partner.get_mut(&partner) {
                c.invitations += 1;
            }
        }
    })?;
    let candidates = by_partner.values().filter(|c| c.interested > 0).count() as u64;
    let fair = FairShare::new(seats, candidates);
    let mut counted: Vec<(i64, Counts)> = by_partner.into_iter().collect();
    counted.sort_unstable_by_key(|(id, _)| *id);
    for (id, c) in &mut counted {
        c.last_engaged = last.get(id).copied();
        c.ever = c.last_engaged.is_some();
    }
    drop(last);
    let ids: Vec<i64> = counted.iter().map(|(id, _)| *id).collect();
    // The partners' rows in id order, beside their counts in the same order.
    let mut info: Vec<Option<db::reports::PartnerInfo>> = Vec::with_capacity(counted.len());
    let mut at = 0;
    db::reports::partner_info(conn, &ids, |id, i| {
        while ids.get(at).is_some_and(|wanted| *wanted < id) {
            info.push(None);
            at += 1;
        }
        if ids.get(at) == Some(&id) {
            info.push(Some(i));
            at += 1;
        }
    })?;
    info.resize_with(counted.len(), || None);
    let mut partners = Vec::with_capacity(counted.len());
    let mut distribution = [0u64; 6];
    for ((id, c), i) in counted.into_iter().zip(info) {
        distribution[figures::bucket(c.engagements)] += 1;
        let (name, status, region, community) = match i {
            Some(i) => (i.name, i.status.as_str().to_string(), i.region, i.community),
            None => (format!("partner {id}"), String::new(), None, None),
        };
        partners.push(Participant {
            partner_id: id,
            name,
            status,
            region,
            community,
            invitations: c.invitations,
            interested: c.interested,
            engagements: c.engagements,
            hours: crate::domain::money::Hours(c.hours),
            last_engaged: c.last_engaged,
            share_percent: figures::percent(c.engagements, seats),
            fair_share: fair.ratio(c.engagements),
            note: fair.note(c.engagements, c.interested, c.ever),
        });
    }
    partners.sort_unstable_by(|a, b| {
        b.engagements.cmp(&a.engagements).then(b.hours.cmp(&a.hours)).then(a.partner_id.cmp(&b.partner_id))
    });
    Ok(Participation { partners, seats, engagements: engaged.len() as u64, fair, distribution })
}

pub(super) fn participation(p: Period, html: Option<files::Target>, ctx: &mut Ctx<'_>) -> Result<Exit> {
    let period = period_of(&p, ctx.today)?;
    let db = ctx.open_db_read_only()?;
    let report = gather_participation(db.conn(), &period)?;
    let nobody = format!("Nobody said they were interested or was engaged {}.", period.words());
    ctx.print_rows(PARTICIPATION, report.partners.iter().map(participant_row), &nobody)?;
    if ctx.format == Format::Table && !report.partners.is_empty() {
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
