//! The participation page: the distribution, the fair share, the partners most engaged first.

use super::*;

/// How many partners the participation page lists; the CSV has them all.
pub const PAGE_ROWS: usize = 500;

/// The columns of the participation report, in every format and on its page.
pub const PARTICIPATION: &[Column] = &[
    Column::id("partner_id"),
    Column::text("name"),
    Column::word("status").leave_out(4),
    Column::text("region").leave_out(2),
    Column::word("community").leave_out(1),
    Column::number("invitations").leave_out(3),
    Column::number("interested").leave_out(5),
    Column::number("engagements"),
    Column::number("hours").leave_out(6),
    Column::date("last_engaged").leave_out(7),
    Column::number("share_percent"),
    Column::number("fair_share").leave_out(8),
    Column::text("note"),
];

pub fn participant_row(p: &Participant) -> Vec<Value> {
    vec![
        Value::Int(p.partner_id),
        Value::text(&p.name),
        Value::text(p.status),
        Value::opt_text(p.region.clone()),
        Value::opt_text(p.community.map(Community::as_str)),
        Value::Int(p.invitations as i64),
        Value::Int(p.interested as i64),
        Value::Int(p.engagements as i64),
        Value::Hours(p.hours),
        Value::opt_date(p.last_engaged),
        Value::opt_number(p.share_percent),
        Value::opt_number(p.fair_share),
        Value::opt_text(p.note),
    ]
}

/// The participation page: the distribution, the fair share, and the partners most engaged first.
pub fn participation_page(p: &Participation, period: &Period, network: &str, made_on: NaiveDate) -> String {
    let mut body = String::new();
    let over = p.partners.iter().filter(|x| x.note == Some("over-used")).count();
    let never = p.partners.iter().filter(|x| x.note == Some("never selected")).count();
    body.push_str("<section><h2>At a glance</h2><div class=\"cards\">");
    for (value, label) in [
        (group(p.partners.len() as i64), "partners interested or engaged"),
        (group(p.engagements as i64), "engagements under way"),
        (group(p.seats as i64), "seats filled"),
        (format!("{:.2}", p.fair.share), "engagements per interested partner, if shared equally"),
        (group(over as i64), "over-used: twice their fair share or more"),
        (group(never as i64), "interested and never selected"),
    ] {
        body.push_str(&card(&value, label));
    }
    body.push_str("</div></section>");
    let _ = write!(
        body,
        "<section><h2>Participation distribution</h2>{}<p class=\"note\">Rule 5: share opportunities fairly. A fair \
         share is the period's seats shared equally among the partners who said they were interested.</p></section>",
        distribution_chart("distribution", &p.distribution, Language::En)
    );
    let mut rows = Listing::new(PARTICIPATION);
    for partner in p.partners.iter().take(PAGE_ROWS) {
        rows.push(participant_row(partner));
    }
    let more = p.partners.len().saturating_sub(PAGE_ROWS);
    let _ = write!(
        body,
        "<section><h2>Partners, most engaged first</h2>{}{}</section>",
        table(&rows, Language::En),
        if more > 0 {
            format!(
                "<p class=\"note\">And {} more: <code>engage report participation --format csv</code> lists them all.</p>",
                group(more as i64)
            )
        } else {
            String::new()
        }
    );
    let subtitle = format!("Participation {}; made on {}.", period.words(), iso(made_on));
    page(Language::En, &format!("{network}: participation {}", period.words()), network, &subtitle, &body)
}
