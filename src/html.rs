//! The reports as one self-contained HTML page each: inline CSS, charts drawn as inline SVG, no
//! script and nothing fetched from the network, so the file opens anywhere, offline, and can be
//! mailed or printed as it is. Pages can hold partners' names, so they are written as every file
//! engage writes is (`files`): readable by their owner only, beside their target and renamed into
//! place.

use crate::domain::dates::iso;
use crate::domain::kinds::{Community, RequestStatus, Way};
use crate::domain::money::{Hours, Money};
use crate::domain::report::{self, Participant, Participation, Period, Summary};
use crate::output::{Column, Listing, Record, Value};
use chrono::NaiveDate;
use std::fmt::Write as _;

/// Colours that stay apart for most forms of colour blindness (Okabe and Ito's palette).
const COLOURS: &[&str] = &["#0072b2", "#e69f00", "#009e73", "#cc79a7", "#56b4e9", "#d55e00", "#f0e442"];

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
        Value::text(&p.status),
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

/// Text for HTML, attributes included.
pub fn esc(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c if c.is_control() && c != '\n' && c != '\t' => out.push('\u{fffd}'),
            c => out.push(c),
        }
    }
    out
}

const STYLE: &str = "
:root { color-scheme: light; --ink: #1a202c; --muted: #4a5568; --line: #e2e8f0; --accent: #0072b2; }
* { box-sizing: border-box; }
body { margin: 0; font: 15px/1.45 system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif;
       color: var(--ink); background: #f7fafc; }
main { max-width: 1280px; margin: 0 auto; padding: 24px 20px 48px; }
header h1 { margin: 0 0 4px; font-size: 26px; }
header p { margin: 0; color: var(--muted); }
h2 { font-size: 18px; margin: 0 0 12px; }
section { background: #fff; border: 1px solid var(--line); border-radius: 10px; padding: 18px 20px; margin-top: 18px; }
.cards { display: grid; grid-template-columns: repeat(auto-fill, minmax(180px, 1fr)); gap: 12px; }
.card { border: 1px solid var(--line); border-radius: 8px; padding: 10px 12px; background: #fff; }
.card .value { font-size: 20px; font-weight: 650; overflow-wrap: anywhere; }
.card .label { color: var(--muted); font-size: 13px; }
.two { display: grid; grid-template-columns: minmax(0, 1fr) minmax(0, 1fr); gap: 18px; margin-top: 18px; }
.scroll { overflow-x: auto; }
.two > section { margin-top: 0; }
.split { display: grid; grid-template-columns: minmax(0, 1fr) minmax(0, 1.25fr); gap: 22px; align-items: start; }
.split table { margin-top: 0; }
@media (max-width: 800px) { .two, .split { grid-template-columns: 1fr; } }
svg { display: block; width: 100%; height: auto; }
svg.bars { max-width: 560px; }
svg.columns { min-width: 720px; }
svg text { font: 13px system-ui, -apple-system, 'Segoe UI', Roboto, Arial, sans-serif; fill: #2d3748; }
table { border-collapse: collapse; width: 100%; margin-top: 12px; font-size: 12.5px; }
th, td { text-align: left; padding: 4px 6px; border-bottom: 1px solid var(--line); }
td.n, td.d, td.flag { white-space: nowrap; }
th { color: var(--muted); font-weight: 600; vertical-align: bottom; }
td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; }
.note { color: var(--muted); font-size: 13px; margin: 8px 0 0; }
.flag { font-weight: 600; color: #b7410e; }
.legend span { display: inline-block; margin-right: 14px; font-size: 13px; color: var(--muted); }
.legend i { display: inline-block; width: 11px; height: 11px; border-radius: 2px; margin-right: 5px; vertical-align: -1px; }
footer { color: var(--muted); font-size: 12px; margin-top: 22px; }
@media print { body { background: #fff; } section { break-inside: avoid; } }
";

fn page(title: &str, heading: &str, subtitle: &str, body: &str) -> String {
    let mut chars = heading.chars();
    let heading: String = chars.next().map(|c| c.to_uppercase().chain(chars).collect()).unwrap_or_default();
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:\">\n\
         <title>{}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n<main>\n<header>\n<h1>{}</h1>\n<p>{}</p>\n</header>\n\
         {body}\n<footer>Made by engage. Figures are counted as the README's section on reports says.</footer>\n\
         </main>\n</body>\n</html>\n",
        esc(title),
        esc(&heading),
        esc(subtitle)
    )
}

fn card(value: &str, label: &str) -> String {
    format!(
        "<div class=\"card\"><div class=\"value\">{}</div><div class=\"label\">{}</div></div>",
        esc(value),
        esc(label)
    )
}

/// Horizontal bars, one per row: a label, a bar as long as its value, the value shown after it.
fn bars(id: &str, title: &str, rows: &[(String, i64, String)], colour: &str) -> String {
    let widest = |text: fn(&(String, i64, String)) -> &String| {
        rows.iter().map(|r| text(r).chars().count()).max().unwrap_or(0) as f64 * CHAR_WIDTH
    };
    let label_width = widest(|r| &r.0) + 12.0;
    let value_width = widest(|r| &r.2) + 10.0;
    let width = (label_width + value_width + 220.0).max(470.0);
    let row_height = 26.0;
    let height = rows.len() as f64 * row_height + 10.0;
    let max = rows.iter().map(|(_, v, _)| *v).max().unwrap_or(0).max(1) as f64;
    let room = width - label_width - value_width;
    let mut svg = format!(
        "<svg class=\"bars\" viewBox=\"0 0 {width} {height}\" role=\"img\" aria-labelledby=\"{id}\">\
         <title id=\"{id}\">{}</title>",
        esc(title)
    );
    for (n, (label, value, shown)) in rows.iter().enumerate() {
        let y = n as f64 * row_height + 5.0;
        let length = if *value > 0 { (*value as f64 / max * room).max(2.0) } else { 0.0 };
        let _ = write!(
            svg,
            "<text x=\"{}\" y=\"{}\" text-anchor=\"end\">{}</text>\
             <rect x=\"{label_width}\" y=\"{}\" width=\"{length:.1}\" height=\"{}\" rx=\"3\" fill=\"{colour}\"/>\
             <text x=\"{:.1}\" y=\"{}\">{}</text>",
            label_width - 8.0,
            y + row_height * 0.62,
            esc(label),
            y + 4.0,
            row_height - 8.0,
            label_width + length + 6.0,
            y + row_height * 0.62,
            esc(shown)
        );
    }
    svg.push_str("</svg>");
    svg
}

/// A round step for an axis: 1, 2 or 5 times a power of ten.
fn nice_step(max: f64, ticks: f64) -> f64 {
    let raw = (max / ticks).max(1.0);
    let power = 10f64.powf(raw.log10().floor());
    let fraction = raw / power;
    let nice = if fraction <= 1.0 {
        1.0
    } else if fraction <= 2.0 {
        2.0
    } else if fraction <= 5.0 {
        5.0
    } else {
        10.0
    };
    nice * power
}

/// About as wide as a character of the charts' 13px text is drawn (DejaVu Sans, the widest usual
/// fallback), to leave room for labels.
const CHAR_WIDTH: f64 = 8.2;

/// The room a label under a column, or a total over it, needs: `2027-03` or `$12,345` at 13px.
const LABEL_WIDTH: f64 = 64.0;

/// Vertical columns, one per label, each stacking the series; a value axis on the left.
fn columns(
    id: &str,
    title: &str,
    labels: &[String],
    series: &[(&str, Vec<i64>)],
    axis: impl Fn(i64) -> String,
) -> String {
    let width = 1000.0;
    let height = 300.0;
    let (left, right, top, bottom) = (78.0, 36.0, 26.0, 46.0);
    let plot_w = width - left - right;
    let plot_h = height - top - bottom;
    let totals: Vec<i64> =
        (0..labels.len()).map(|i| series.iter().map(|(_, v)| v.get(i).copied().unwrap_or(0)).sum()).collect();
    let max = totals.iter().copied().max().unwrap_or(0).max(1) as f64;
    let step = nice_step(max, 4.0);
    let top_value = (max / step).ceil() * step;
    let mut svg = format!(
        "<div class=\"scroll\"><svg class=\"columns\" viewBox=\"0 0 {width} {height}\" role=\"img\" \
         aria-labelledby=\"{id}\"><title id=\"{id}\">{}</title>",
        esc(title)
    );
    let mut tick = 0.0;
    while tick <= top_value + 0.5 {
        let y = top + plot_h - tick / top_value * plot_h;
        let _ = write!(
            svg,
            "<line x1=\"{left}\" x2=\"{}\" y1=\"{y:.1}\" y2=\"{y:.1}\" stroke=\"#e2e8f0\"/>\
             <text x=\"{}\" y=\"{:.1}\" text-anchor=\"end\">{}</text>",
            width - right,
            left - 6.0,
            y + 4.0,
            esc(&axis(tick as i64))
        );
        tick += step;
    }
    let slot = plot_w / labels.len().max(1) as f64;
    let bar = (slot * 0.7).min(60.0);
    // A label is about as wide as `2027-03`: name every month while they fit side by side, else
    // every second, third… so that none overlaps the next; totals over the columns likewise.
    let every = (LABEL_WIDTH / slot).ceil().max(1.0) as usize;
    let totals_shown = slot >= LABEL_WIDTH;
    for (i, label) in labels.iter().enumerate() {
        let x = left + slot * i as f64 + (slot - bar) / 2.0;
        let mut base = top + plot_h;
        for (n, (name, values)) in series.iter().enumerate() {
            let v = values.get(i).copied().unwrap_or(0);
            if v <= 0 {
                continue;
            }
            let h = v as f64 / top_value * plot_h;
            base -= h;
            let _ = write!(
                svg,
                "<rect x=\"{x:.1}\" y=\"{base:.1}\" width=\"{bar:.1}\" height=\"{h:.1}\" fill=\"{}\"><title>{} {}: {}</title></rect>",
                COLOURS[n % COLOURS.len()],
                esc(label),
                esc(name),
                esc(&axis(v))
            );
        }
        if totals_shown && totals[i] > 0 {
            let _ = write!(
                svg,
                "<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\">{}</text>",
                x + bar / 2.0,
                base - 6.0,
                esc(&axis(totals[i]))
            );
        }
        if i % every == 0 {
            let _ = write!(
                svg,
                "<text x=\"{:.1}\" y=\"{}\" text-anchor=\"middle\">{}</text>",
                x + bar / 2.0,
                top + plot_h + 18.0,
                esc(label)
            );
        }
    }
    let _ = write!(
        svg,
        "<line x1=\"{left}\" x2=\"{}\" y1=\"{}\" y2=\"{}\" stroke=\"#a0aec0\"/></svg></div>",
        width - right,
        top + plot_h,
        top + plot_h
    );
    if series.len() > 1 {
        svg.push_str("<p class=\"legend\">");
        for (n, (name, _)) in series.iter().enumerate() {
            let _ =
                write!(svg, "<span><i style=\"background:{}\"></i>{}</span>", COLOURS[n % COLOURS.len()], esc(name));
        }
        svg.push_str("</p>");
    }
    svg
}

/// A plain table: the header, then the rows; numeric columns right-aligned.
fn table(listing: &Listing) -> String {
    let (columns, rows) = (&listing.columns, &listing.rows);
    let numeric = |v: &Value| matches!(v, Value::Int(_) | Value::Money(_) | Value::Hours(_) | Value::Number(_));
    let mut html = String::from("<div class=\"scroll\"><table><thead><tr>");
    for (i, c) in columns.iter().enumerate() {
        let right = rows.first().and_then(|r| r.get(i)).is_some_and(numeric);
        let _ = write!(html, "<th{}>{}</th>", if right { " class=\"n\"" } else { "" }, esc(&crate::output::label(c)));
    }
    html.push_str("</tr></thead><tbody>");
    for row in rows {
        html.push_str("<tr>");
        for (v, column) in row.iter().zip(columns.iter()) {
            let text = match v {
                Value::Null => String::new(),
                Value::Text(t) => t.clone(),
                Value::Int(i) if column.ends_with("id") => i.to_string(),
                Value::Int(i) => group(*i),
                Value::Bool(b) => if *b { "yes" } else { "no" }.to_string(),
                Value::Money(m) => m.to_string(),
                Value::Date(d) => iso(*d),
                Value::Hours(h) => hours(*h),
                Value::List(items) => items.join(", "),
                Value::Number(n) => format!("{n}"),
            };
            let class = match v {
                v if numeric(v) => " class=\"n\"",
                Value::Date(_) => " class=\"d\"",
                _ => "",
            };
            let flag = matches!(v, Value::Text(t) if t == "over-used" || t == "never selected");
            if flag {
                let _ = write!(html, "<td class=\"flag\">{}</td>", esc(&text));
            } else {
                let _ = write!(html, "<td{class}>{}</td>", esc(&text));
            }
        }
        html.push_str("</tr>");
    }
    html.push_str("</tbody></table></div>");
    html
}

/// `2,304,783.5` hours.
fn hours(h: Hours) -> String {
    match h.plain().split_once('.') {
        Some((_, fraction)) => format!("{}.{fraction}", group(h.0 / 100)),
        None => group(h.0 / 100),
    }
}

/// `12,345`, `-12,345`.
fn group(n: i64) -> String {
    let out = crate::domain::text::group(n.unsigned_abs());
    if n < 0 { format!("-{out}") } else { out }
}

fn percent(value: Option<f64>) -> String {
    value.map_or_else(|| "—".to_string(), |v| format!("{v}%"))
}

/// `$12k`, `$950`: money on an axis.
fn dollars_axis(cents: i64) -> String {
    let dollars = cents / 100;
    if dollars >= 10_000 { format!("${}k", group(dollars / 1000)) } else { format!("${}", group(dollars)) }
}

fn distribution_chart(id: &str, distribution: &[u64; 6]) -> String {
    let labels: Vec<String> = report::BUCKETS
        .iter()
        .map(|b| match *b {
            "0" => "never".to_string(),
            "1" => "1 engagement".to_string(),
            b => format!("{b} engagements"),
        })
        .collect();
    let rows: Vec<(String, i64, String)> = labels
        .into_iter()
        .zip(distribution.iter())
        .map(|(label, n)| (label, *n as i64, format!("{} partner{}", group(*n as i64), if *n == 1 { "" } else { "s" })))
        .collect();
    bars(id, "Partners by engagements in the period", &rows, COLOURS[2])
}

/// One of the record's lists by its key; an empty one if it has none.
fn section<'r>(record: &'r Record, key: &str) -> &'r Listing {
    static NONE: Listing = Listing { columns: Vec::new(), rows: Vec::new() };
    record.sections.iter().find(|(k, _)| *k == key).map_or(&NONE, |(_, listing)| listing)
}

/// The summary page: figures at a glance, the pipeline by stage, engagements by way, the
/// participation distribution, compensation by month, and reach. Its tables are the lists of
/// `record`, the summary as the other formats print it.
pub fn summary_page(s: &Summary, record: &Record, period: &Period, network: &str, made_on: NaiveDate) -> String {
    let mut body = String::new();
    let engaged_rate = report::percent(s.selected, s.interested);
    body.push_str("<section><h2>At a glance</h2><div class=\"cards\">");
    for (value, label) in [
        (group(s.received as i64), "requests received"),
        (s.median_days_to_selection.map_or("—".to_string(), |d| format!("{d} days")), "median time to selection"),
        (percent(report::percent(s.responded, s.invited)), "of invitations answered"),
        (percent(engaged_rate), "of interested partners selected"),
        (group(s.engagements as i64), "engagements under way in the period"),
        (group(s.partners_engaged as i64), "partners engaged"),
        (group(s.network.new as i64), "new partners"),
        (group(s.network.active as i64), "active partners in the network"),
        (hours(s.money.hours), "hours logged"),
        (s.money.owed.to_string(), "compensation owed"),
        (s.money.paid.to_string(), "compensation paid"),
        (s.money.outstanding.to_string(), "still to pay"),
    ] {
        body.push_str(&card(&value, label));
    }
    let _ = write!(
        body,
        "</div><p class=\"note\">{} partners in the network: {} active, {} paused, {} withdrawn, {} forgotten; {} \
         joined in the period.</p></section>",
        group((s.network.active + s.network.paused + s.network.withdrawn + s.network.forgotten) as i64),
        group(s.network.active as i64),
        group(s.network.paused as i64),
        group(s.network.withdrawn as i64),
        group(s.network.forgotten as i64),
        group(s.network.new as i64)
    );

    let pipeline: Vec<(String, i64, String)> = RequestStatus::ALL
        .iter()
        .map(|status| {
            let n: u64 = s.pipeline.get(status).map_or(0, |m| m.values().sum());
            (status.as_str().to_string(), n as i64, group(n as i64))
        })
        .collect();
    let way_rows: Vec<(String, i64, String)> = Way::ALL
        .iter()
        .map(|way| {
            let share = s.by_way.get(way).copied().unwrap_or_default();
            let shown = format!(
                "{} · {} partner{}",
                group(share.engagements as i64),
                group(share.seats as i64),
                if share.seats == 1 { "" } else { "s" }
            );
            (way.as_str().to_string(), share.engagements as i64, shown)
        })
        .collect();
    let _ = write!(
        body,
        "<section><h2>Pipeline by stage</h2><div class=\"split\"><div>{}<p class=\"note\">Requests received in the \
         period, by where they stand today.</p></div>{}</div></section>\
         <section><h2>Engagements by way of engaging</h2><div class=\"split\"><div>{}<p class=\"note\">Engagements \
         under way during the period, and the partners in them.</p></div>{}</div></section>",
        bars("pipeline", "Requests received, by stage", &pipeline, COLOURS[0]),
        table(section(record, "pipeline")),
        bars("ways", "Engagements by way of engaging", &way_rows, COLOURS[1]),
        table(section(record, "engagements_by_way"))
    );

    let labels: Vec<String> = s.months.iter().map(|(m, _, _)| m.clone()).collect();
    let paid: Vec<i64> = s.months.iter().map(|(_, p, _)| p.cents()).collect();
    let reimbursed: Vec<i64> = s.months.iter().map(|(_, _, r)| r.cents()).collect();
    let total_paid = Money(paid.iter().sum());
    let total_reimbursed = Money(reimbursed.iter().sum());
    let _ = write!(
        body,
        "<section><h2>Compensation by month</h2>{}<p class=\"note\">Compensation and reimbursements paid in each month \
         of the period: {total_paid} and {total_reimbursed}.</p></section>",
        if labels.is_empty() {
            "<p class=\"note\">Nothing was paid in the period.</p>".to_string()
        } else {
            columns(
                "months",
                "Compensation and reimbursements paid by month",
                &labels,
                &[("compensation", paid), ("reimbursements", reimbursed)],
                dollars_axis,
            )
        }
    );

    let _ = write!(
        body,
        "<div class=\"two\"><section><h2>Participation</h2>{}<p class=\"note\">Partners who said they were interested \
         in a request received in the period, or were engaged in it, by their engagements in the period.</p>\
         </section><section><h2>Reach</h2>{}{}<p class=\"note\">Engagements under way in the period and the partners \
         in them, by the community type and region each request serves.</p></section></div>",
        distribution_chart("participation", &s.distribution),
        table(section(record, "reach_by_community")),
        table(section(record, "reach_by_region")),
    );
    let subtitle = format!("Summary {}; made on {}.", period.words(), iso(made_on));
    page(&format!("{network}: summary {}", period.words()), network, &subtitle, &body)
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
        distribution_chart("distribution", &p.distribution)
    );
    let mut rows = Listing::new(PARTICIPATION);
    for partner in p.partners.iter().take(PAGE_ROWS) {
        rows.push(participant_row(partner));
    }
    let more = p.partners.len().saturating_sub(PAGE_ROWS);
    let _ = write!(
        body,
        "<section><h2>Partners, most engaged first</h2>{}{}</section>",
        table(&rows),
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
    page(&format!("{network}: participation {}", period.words()), network, &subtitle, &body)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_escaped_for_html() {
        assert_eq!(esc("<b>Ana & \"Bo\"</b>'"), "&lt;b&gt;Ana &amp; &quot;Bo&quot;&lt;/b&gt;&#39;");
        assert_eq!(esc("a\u{1b}b"), "a\u{fffd}b");
    }

    #[test]
    fn axes_take_round_steps() {
        assert_eq!(nice_step(100.0, 4.0), 50.0);
        assert_eq!(nice_step(7.0, 4.0), 2.0);
        assert_eq!(nice_step(1_234_567.0, 4.0), 500_000.0);
        assert_eq!(group(1_234_567), "1,234,567");
        assert_eq!(hours(Hours(230_478_350)), "2,304,783.5");
        assert_eq!(hours(Hours(1_200)), "12");
        assert_eq!(dollars_axis(1_250_000), "$12k");
        assert_eq!(dollars_axis(95_000), "$950");
    }
}
