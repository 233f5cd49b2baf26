//! A request as `show` prints it, and as `new` and `edit` print it with `--format csv|json`: its
//! fields in the order a coordinator reads them, its criteria and its timeline.

use crate::db::Reader;
use crate::db::events;
use crate::domain::criteria;
use crate::domain::dates;
use crate::domain::kinds::{Community, Domain, Format as MeetingFormat, Level};
use crate::domain::request::Request;
use crate::domain::shape::Shape;
use crate::error::Result;
use crate::output::{Column, Listing, Record, Value};

/// The fields of a request as `show` prints them, in the order a coordinator reads them.
pub(super) fn fields(r: &Request) -> Vec<(Column, Value)> {
    let word = |w: Option<&'static str>| w.map_or(Value::Null, Value::text);
    let shape = Shape::of_request(r);
    vec![
        (Column::id("id"), Value::Int(r.id)),
        (Column::text("title"), Value::text(&r.title)),
        (Column::word("status"), Value::text(r.status.as_str())),
        (Column::text("status_reason"), Value::opt_text(r.status_reason.clone())),
        (Column::text("organization"), Value::text(&r.organization)),
        (Column::text("owner"), Value::text(&r.owner)),
        (Column::text("contact_name"), Value::text(&r.contact_name)),
        (Column::email("contact_email"), Value::text(&r.contact_email)),
        (Column::phone("contact_phone"), Value::opt_text(r.contact_phone.clone())),
        (Column::text("description"), Value::opt_text(r.description.clone())),
        (Column::text("title_fr"), Value::opt_text(r.title_fr.clone())),
        (Column::text("description_fr"), Value::opt_text(r.description_fr.clone())),
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
        // An inform request has no seats; a one-off no check-ins (src/domain/shape.rs).
        (Column::number("seats"), if shape.selects() { Value::Int(i64::from(r.seats)) } else { Value::Null }),
        (Column::word("pay_basis"), Value::text(r.pay.basis())),
        (Column::amount("rate"), Value::opt_money(r.pay.hourly())),
        (Column::amount("honorarium"), Value::opt_money(r.pay.honorarium())),
        (Column::word("expenses_reimbursed"), Value::Bool(r.expenses_reimbursed)),
        (Column::word("record_check_required"), Value::Bool(r.record_check_required)),
        (Column::text("supports"), Value::opt_text(r.supports.clone())),
        (
            Column::number("checkin_every_days"),
            shape.cadence(r.checkin_every_days).map_or(Value::Null, |days| Value::Int(i64::from(days))),
        ),
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

pub(super) fn record(conn: &Reader, r: &Request) -> Result<Record> {
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
