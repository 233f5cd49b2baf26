//! The summary report as one record, its figures and then each breakdown: what `report summary`
//! prints in every format and what its page draws.

use crate::domain::kinds::{Community, Domain, Level, RequestStatus, Way};
use crate::domain::report::{self as figures, Summary};
use crate::output::{Column, Listing, Record, Value};

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
    let mut domains =
        Listing::new(&[Column::word("domain"), Column::number("engagements"), Column::number("partners")]);
    for (domain, share) in &s.by_domain {
        domains.push(vec![
            Value::text(domain.map_or("not given", Domain::as_str)),
            Value::Int(share.engagements as i64),
            Value::Int(share.seats as i64),
        ]);
    }
    let mut levels = Listing::new(&[Column::word("level"), Column::number("engagements"), Column::number("partners")]);
    for (level, share) in &s.by_level {
        levels.push(vec![
            Value::text(level.map_or("not given", Level::as_str)),
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
        .section("engagements_by_domain", domains)
        .section("engagements_by_level", levels)
        .section("paid_by_month", months);
    r
}
