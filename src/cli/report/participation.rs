//! `engage report participation`: per partner, engagements, hours, last engaged and share of
//! opportunities over a period, with its page.

use super::{Period, period_of, write_page};
use crate::app::{Ctx, Exit};
use crate::db;
use crate::db::Reader;
use crate::domain::report::{self as figures, FairShare, Marks, Participant, Participation, PerId};
use crate::error::Result;
use crate::files;
use crate::html::{PARTICIPATION, participant_row};
use crate::output::Format;
use chrono::NaiveDate;

fn gather_participation(conn: &Reader, period: &figures::Period) -> Result<Participation> {
    // The requests received and those engaged in the period, and what each partner did on them:
    // each counted in place by the partner's id as the rows are read (partner ids are dense).
    let mut received = Marks::default();
    let mut engaged = Marks::default();
    let mut engagements = 0;
    db::derived::each_request_days(conn, |r| {
        if period.contains(r.created_on) {
            received.mark(r.id);
        }
        if r.engaged_in(period) {
            engaged.mark(r.id);
            engagements += 1;
        }
    })?;
    #[derive(Default, Clone)]
    struct Counts {
        interested: u32,
        engagements: u32,
        hours: i64,
        /// When they were last engaged by the end of the period, in the period or before.
        last_engaged: Option<NaiveDate>,
    }
    let (last, count) = db::reports::partner_ids(conn)?;
    let mut by_partner: PerId<Counts> = PerId::up_to(last, count);
    // Apart, as a million invitations come in request order and so touch the partners in no
    // order: four bytes a partner stay in the processor's cache where the rest would not.
    let mut invitations: PerId<u32> = PerId::up_to(last, count);
    db::reports::each_interest(conn, |partner, request| {
        if received.has(request) {
            by_partner.at(partner).interested += 1;
        }
    })?;
    let mut seats = 0;
    db::reports::each_engagement(conn, |request, partner, decided_on, hours| {
        let c = by_partner.at(partner);
        if engaged.has(request) {
            seats += 1;
            c.engagements += 1;
            c.hours += hours.0;
        }
        if decided_on <= period.to {
            c.last_engaged = Some(c.last_engaged.map_or(decided_on, |l| l.max(decided_on)));
        }
    })?;
    db::reports::each_invitation(conn, |partner, request| {
        if received.has(request) {
            *invitations.at(partner) += 1;
        }
    })?;
    // The report's partners: those interested in a request received in the period or engaged in
    // the period, by id.
    let counted: Vec<(i64, &Counts)> =
        by_partner.iter().filter(|(_, c)| c.interested > 0 || c.engagements > 0).collect();
    let candidates = counted.iter().filter(|(_, c)| c.interested > 0).count() as u64;
    let fair = FairShare::new(seats, candidates);
    let ids: Vec<i64> = counted.iter().map(|(id, _)| *id).collect();
    // Each partner's line, made as their row is read (in id order, as their counts are).
    let mut partners = Vec::with_capacity(counted.len());
    let mut distribution = [0u64; 6];
    let mut line = |id: i64, c: &Counts, info: Option<db::reports::PartnerInfo>| {
        distribution[figures::bucket(u64::from(c.engagements))] += 1;
        let (name, status, region, community) = match info {
            Some(i) => (i.name, i.status.as_str(), i.region, i.community),
            None => (format!("partner {id}"), "", None, None),
        };
        partners.push(Participant {
            partner_id: id,
            name,
            status,
            region,
            community,
            invitations: u64::from(invitations.get(id).copied().unwrap_or(0)),
            interested: u64::from(c.interested),
            engagements: u64::from(c.engagements),
            hours: crate::domain::money::Hours(c.hours),
            last_engaged: c.last_engaged,
            share_percent: figures::percent(u64::from(c.engagements), seats),
            fair_share: fair.ratio(u64::from(c.engagements)),
            note: fair.note(u64::from(c.engagements), u64::from(c.interested), c.last_engaged.is_some()),
        });
    };
    let mut next = counted.iter();
    db::reports::partner_info(conn, &ids, |id, info| {
        // A partner counted whose row is not there (never, as their rows are kept) is named by id.
        for (counted_id, c) in next.by_ref() {
            if *counted_id == id {
                line(id, c, Some(info));
                return;
            }
            line(*counted_id, c, None);
        }
    })?;
    for (id, c) in next {
        line(*id, c, None);
    }
    partners.sort_unstable_by(|a, b| {
        b.engagements.cmp(&a.engagements).then(b.hours.cmp(&a.hours)).then(a.partner_id.cmp(&b.partner_id))
    });
    Ok(Participation { partners, seats, engagements, fair, distribution })
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
