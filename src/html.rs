//! The reports as one self-contained HTML page each: inline CSS, charts drawn as inline SVG, no
//! script and nothing fetched from the network, so the file opens anywhere, offline, and can be
//! mailed or printed as it is. Pages can hold partners' names, so they are written as every file
//! engage writes is (`files`): readable by their owner only, beside their target and renamed into
//! place.
//!
//! The summary page is drawn in English or in Canadian French (`report summary --html
//! FILE --lang fr`): every heading, label, chart title and table, and the numbers as French writes
//! them (`1 234` grouped with narrow no-break spaces, a decimal comma, `2 000,00 $`).

use crate::domain::dates::iso;
use crate::domain::kinds::{Community, RequestStatus, Way};
use crate::domain::language::{self, Language, NBSP};
use crate::domain::money::Money;
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

fn page(lang: Language, title: &str, heading: &str, subtitle: &str, body: &str) -> String {
    let mut chars = heading.chars();
    let heading: String = chars.next().map(|c| c.to_uppercase().chain(chars).collect()).unwrap_or_default();
    let footer = match lang {
        Language::En => "Made by engage. Figures are counted as the README's section on reports says.",
        Language::Fr => {
            "Produit par engage. Les chiffres sont comptés comme l’explique la section du README sur les rapports."
        }
    };
    format!(
        "<!DOCTYPE html>\n<html lang=\"{}\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:\">\n\
         <title>{}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n<main>\n<header>\n<h1>{}</h1>\n<p>{}</p>\n</header>\n\
         {body}\n<footer>{}</footer>\n</main>\n</body>\n</html>\n",
        lang.code(),
        esc(title),
        esc(&heading),
        esc(subtitle),
        footer
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
    lang: Language,
) -> String {
    let colon = if lang == Language::Fr { " :" } else { ":" };
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
                "<rect x=\"{x:.1}\" y=\"{base:.1}\" width=\"{bar:.1}\" height=\"{h:.1}\" fill=\"{}\"><title>{} {}{colon} {}</title></rect>",
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
fn table(listing: &Listing, lang: Language) -> String {
    let (columns, rows) = (&listing.columns, &listing.rows);
    let numeric = |v: &Value| matches!(v, Value::Int(_) | Value::Money(_) | Value::Hours(_) | Value::Number(_));
    let mut html = String::from("<div class=\"scroll\"><table><thead><tr>");
    for (i, c) in columns.iter().enumerate() {
        let right = rows.first().and_then(|r| r.get(i)).is_some_and(numeric);
        let label = match lang {
            Language::Fr => french::column(c).map_or_else(|| crate::output::label(c), str::to_string),
            Language::En => crate::output::label(c),
        };
        let _ = write!(html, "<th{}>{}</th>", if right { " class=\"n\"" } else { "" }, esc(&label));
    }
    html.push_str("</tr></thead><tbody>");
    for row in rows {
        html.push_str("<tr>");
        for (v, column) in row.iter().zip(columns.iter()) {
            let text = match v {
                Value::Null => String::new(),
                Value::Text(t) if lang == Language::Fr => french::word(t).unwrap_or(t).to_string(),
                Value::Text(t) => t.clone(),
                Value::Int(i) if column.ends_with("id") => i.to_string(),
                Value::Int(i) => group_in(*i, lang),
                Value::Bool(b) => match (lang, *b) {
                    (Language::En, true) => "yes",
                    (Language::En, false) => "no",
                    (Language::Fr, true) => "oui",
                    (Language::Fr, false) => "non",
                }
                .to_string(),
                Value::Money(m) => language::money(*m, lang),
                Value::Date(d) => iso(*d),
                Value::Hours(h) => language::hours(*h, lang),
                Value::List(items) => items.join(", "),
                Value::Number(n) => language::decimal(&format!("{n}"), lang),
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

/// `12,345`, `-12,345`.
fn group(n: i64) -> String {
    group_in(n, Language::En)
}

/// `12,345`; `12 345` (narrow no-break spaces).
fn group_in(n: i64, lang: Language) -> String {
    language::count(n, lang)
}

fn percent(value: Option<f64>, lang: Language) -> String {
    value.map_or_else(|| "—".to_string(), |v| language::percent(v, lang))
}

/// Money on an axis: `$12k`, `$950`; `12 k$`, `950 $`.
fn dollars_axis_in(cents: i64, lang: Language) -> String {
    let dollars = cents / 100;
    match (lang, dollars >= 10_000) {
        (Language::En, true) => format!("${}k", group(dollars / 1000)),
        (Language::En, false) => format!("${}", group(dollars)),
        (Language::Fr, true) => format!("{}{NBSP}k$", group_in(dollars / 1000, lang)),
        (Language::Fr, false) => format!("{}{NBSP}$", group_in(dollars, lang)),
    }
}

/// `3 partners`; `3 partenaires` (French counts 0 and 1 in the singular).
fn partners_in(n: u64, lang: Language) -> String {
    match lang {
        Language::En => format!("{} partner{}", group(n as i64), if n == 1 { "" } else { "s" }),
        Language::Fr => format!("{} partenaire{}", group_in(n as i64, lang), if n < 2 { "" } else { "s" }),
    }
}

fn distribution_chart(id: &str, distribution: &[u64; 6], lang: Language) -> String {
    let labels: Vec<String> = report::BUCKETS
        .iter()
        .map(|b| match (lang, *b) {
            (Language::En, "0") => "never".to_string(),
            (Language::Fr, "0") => "aucun".to_string(),
            (_, "1") => "1 engagement".to_string(),
            (_, b) => format!("{b} engagements"),
        })
        .collect();
    let rows: Vec<(String, i64, String)> = labels
        .into_iter()
        .zip(distribution.iter())
        .map(|(label, n)| (label, *n as i64, partners_in(*n, lang)))
        .collect();
    let title = match lang {
        Language::En => "Partners by engagements in the period",
        Language::Fr => "Partenaires selon leur nombre d’engagements dans la période",
    };
    bars(id, title, &rows, COLOURS[2])
}

/// One of the record's lists by its key; an empty one if it has none.
fn section<'r>(record: &'r Record, key: &str) -> &'r Listing {
    static NONE: Listing = Listing { columns: Vec::new(), rows: Vec::new() };
    record.sections.iter().find(|(k, _)| *k == key).map_or(&NONE, |(_, listing)| listing)
}

/// The summary page in English: figures at a glance, the pipeline by stage, engagements by way,
/// the participation distribution, compensation by month, and reach. Its tables are the lists of
/// `record`, the summary as the other formats print it.
pub fn summary_page(s: &Summary, record: &Record, period: &Period, network: &str, made_on: NaiveDate) -> String {
    summary_page_in(Language::En, s, record, period, network, made_on)
}

/// The summary page in `lang`: what `report summary --html FILE --lang fr` writes.
pub fn summary_page_in(
    lang: Language,
    s: &Summary,
    record: &Record,
    period: &Period,
    network: &str,
    made_on: NaiveDate,
) -> String {
    let w = Words(lang);
    let count = |n: u64| group_in(n as i64, lang);
    let money = |m: Money| language::money(m, lang);
    let mut body = String::new();
    let engaged_rate = report::percent(s.selected, s.interested);
    let _ = write!(body, "<section><h2>{}</h2><div class=\"cards\">", esc(w.pick("At a glance", "En un coup d’œil")));
    let median = s.median_days_to_selection.map_or("—".to_string(), |d| match lang {
        Language::En => format!("{d} days"),
        Language::Fr => format!("{} jour{}", language::decimal(&format!("{d}"), lang), if d < 2.0 { "" } else { "s" }),
    });
    for (value, label) in [
        (count(s.received), w.pick("requests received", "demandes reçues")),
        (median, w.pick("median time to selection", "délai médian avant la sélection")),
        (
            percent(report::percent(s.responded, s.invited), lang),
            w.pick("of invitations answered", "des invitations ont reçu une réponse"),
        ),
        (
            percent(engaged_rate, lang),
            w.pick("of interested partners selected", "des partenaires intéressés ont été retenus"),
        ),
        (
            count(s.engagements),
            w.pick("engagements under way in the period", "engagements en cours pendant la période"),
        ),
        (count(s.partners_engaged), w.pick("partners engaged", "partenaires engagés")),
        (count(s.network.new), w.pick("new partners", "nouveaux partenaires")),
        (count(s.network.active), w.pick("active partners in the network", "partenaires actifs dans le réseau")),
        (language::hours(s.money.hours, lang), w.pick("hours logged", "heures consignées")),
        (money(s.money.owed), w.pick("compensation owed", "rémunération due")),
        (money(s.money.paid), w.pick("compensation paid", "rémunération versée")),
        (money(s.money.outstanding), w.pick("still to pay", "reste à verser")),
    ] {
        body.push_str(&card(&value, label));
    }
    let n = &s.network;
    let note = match lang {
        Language::En => format!(
            "{} partners in the network: {} active, {} paused, {} withdrawn, {} forgotten; {} joined in the period.",
            count(n.active + n.paused + n.withdrawn + n.forgotten),
            count(n.active),
            count(n.paused),
            count(n.withdrawn),
            count(n.forgotten),
            count(n.new)
        ),
        Language::Fr => {
            // French counts 0 and 1 in the singular.
            let of = |k: u64, one: &str, many: &str| format!("{} {}", count(k), if k < 2 { one } else { many });
            format!(
                "{} dans le réseau : {}, {}, {}, {}; {} au réseau pendant la période.",
                of(n.active + n.paused + n.withdrawn + n.forgotten, "partenaire", "partenaires"),
                of(n.active, "actif", "actifs"),
                of(n.paused, "en pause", "en pause"),
                of(n.withdrawn, "retiré", "retirés"),
                of(n.forgotten, "oublié", "oubliés"),
                of(n.new, "s’est joint", "se sont joints")
            )
        }
    };
    let _ = write!(body, "</div><p class=\"note\">{}</p></section>", esc(&note));

    let pipeline: Vec<(String, i64, String)> = RequestStatus::ALL
        .iter()
        .map(|status| {
            let n: u64 = s.pipeline.get(status).map_or(0, |m| m.values().sum());
            (w.word(status.as_str()).to_string(), n as i64, count(n))
        })
        .collect();
    let way_rows: Vec<(String, i64, String)> = Way::ALL
        .iter()
        .map(|way| {
            let share = s.by_way.get(way).copied().unwrap_or_default();
            let shown = format!("{} · {}", count(share.engagements), partners_in(share.seats, lang));
            (w.word(way.as_str()).to_string(), share.engagements as i64, shown)
        })
        .collect();
    let by_way = w.pick("Engagements by way of engaging", "Engagements par mode d’engagement");
    let _ = write!(
        body,
        "<section><h2>{}</h2><div class=\"split\"><div>{}<p class=\"note\">{}</p></div>{}</div></section>\
         <section><h2>{}</h2><div class=\"split\"><div>{}<p class=\"note\">{}</p></div>{}</div></section>",
        esc(w.pick("Pipeline by stage", "Demandes par étape")),
        bars("pipeline", w.pick("Requests received, by stage", "Demandes reçues, par étape"), &pipeline, COLOURS[0]),
        esc(w.pick(
            "Requests received in the period, by where they stand today.",
            "Demandes reçues pendant la période, selon l’étape où elles en sont aujourd’hui."
        )),
        table(section(record, "pipeline"), lang),
        esc(by_way),
        bars("ways", by_way, &way_rows, COLOURS[1]),
        esc(w.pick(
            "Engagements under way during the period, and the partners in them.",
            "Engagements en cours pendant la période, et partenaires qui y participent."
        )),
        table(section(record, "engagements_by_way"), lang)
    );

    let labels: Vec<String> = s.months.iter().map(|(m, _, _)| m.clone()).collect();
    let paid: Vec<i64> = s.months.iter().map(|(_, p, _)| p.cents()).collect();
    let reimbursed: Vec<i64> = s.months.iter().map(|(_, _, r)| r.cents()).collect();
    let total_paid = money(Money(paid.iter().sum()));
    let total_reimbursed = money(Money(reimbursed.iter().sum()));
    let months_note = match lang {
        Language::En => format!(
            "Compensation and reimbursements paid in each month of the period: {total_paid} and {total_reimbursed}."
        ),
        Language::Fr => format!(
            "Rémunération et remboursements versés chaque mois de la période : {total_paid} et {total_reimbursed}."
        ),
    };
    let _ = write!(
        body,
        "<section><h2>{}</h2>{}<p class=\"note\">{}</p></section>",
        esc(w.pick("Compensation by month", "Rémunération par mois")),
        if labels.is_empty() {
            format!(
                "<p class=\"note\">{}</p>",
                esc(w.pick("Nothing was paid in the period.", "Rien n’a été versé pendant la période."))
            )
        } else {
            columns(
                "months",
                w.pick(
                    "Compensation and reimbursements paid by month",
                    "Rémunération et remboursements versés par mois",
                ),
                &labels,
                &[
                    (w.pick("compensation", "rémunération"), paid),
                    (w.pick("reimbursements", "remboursements"), reimbursed),
                ],
                |cents| dollars_axis_in(cents, lang),
                lang,
            )
        },
        esc(&months_note)
    );

    let _ = write!(
        body,
        "<div class=\"two\"><section><h2>Participation</h2>{}<p class=\"note\">{}</p></section>\
         <section><h2>{}</h2>{}{}<p class=\"note\">{}</p></section></div>",
        distribution_chart("participation", &s.distribution, lang),
        esc(w.pick(
            "Partners who said they were interested in a request received in the period, or were engaged in it, by \
             their engagements in the period.",
            "Partenaires qui ont manifesté leur intérêt pour une demande reçue pendant la période, ou qui y ont été \
             engagés, selon leur nombre d’engagements dans la période."
        )),
        esc(w.pick("Reach", "Rayonnement")),
        table(section(record, "reach_by_community"), lang),
        table(section(record, "reach_by_region"), lang),
        esc(w.pick(
            "Engagements under way in the period and the partners in them, by the community type and region each \
             request serves.",
            "Engagements en cours pendant la période et partenaires qui y participent, selon le type de communauté et \
             la région que sert chaque demande."
        )),
    );
    let _ = write!(
        body,
        "<section><h2>{}</h2><div class=\"two\"><div>{}</div><div>{}</div></div><p class=\"note\">{}</p></section>",
        esc(w.pick("Domain and level", "Domaine et niveau")),
        table(section(record, "engagements_by_domain"), lang),
        table(section(record, "engagements_by_level"), lang),
        esc(w.pick(
            "Engagements under way in the period and the partners in them, by the domain of partnering (personal care \
             and health decisions, program and service design, policy) and the level (direct care, organizational, \
             system) of Health Quality Ontario's Patient Partnering Framework.",
            "Engagements en cours pendant la période et partenaires qui y participent, selon le domaine du partenariat \
             (soins personnels et décisions de santé, conception des programmes et services, politiques) et le niveau \
             (soins directs, organisationnel, système) du cadre de partenariat avec les patients de Qualité des \
             services de santé Ontario."
        )),
    );
    let (title, subtitle) = match lang {
        Language::En => (
            format!("{network}: summary {}", period.words()),
            format!("Summary {}; made on {}.", period.words(), iso(made_on)),
        ),
        Language::Fr => {
            let span = french::period(period);
            (
                format!("{network} : sommaire {span}"),
                format!("Sommaire {span}; produit le {}.", language::long_date(made_on, lang)),
            )
        }
    };
    page(lang, &title, network, &subtitle, &body)
}

/// The page's words in its language: the English, or the French beside it.
#[derive(Clone, Copy)]
struct Words(Language);

impl Words {
    fn pick<'a>(self, en: &'a str, fr: &'a str) -> &'a str {
        match self.0 {
            Language::En => en,
            Language::Fr => fr,
        }
    }

    /// A stored word (a status, a way) as the page shows it.
    fn word(self, stored: &str) -> &str {
        match self.0 {
            Language::En => stored,
            Language::Fr => french::word(stored).unwrap_or(stored),
        }
    }
}

/// The French of the summary page's words and tables.
mod french {
    use super::Period;
    use crate::domain::language::{Language, day_and_month, long_date};
    use chrono::Datelike;

    /// A stored word in a table or a chart: a status, a way, a community type.
    pub fn word(stored: &str) -> Option<&'static str> {
        Some(match stored {
            "submitted" => "soumise",
            "recruiting" => "en recrutement",
            "selecting" => "en sélection",
            "active" => "en cours",
            "closed" => "fermée",
            "cancelled" => "annulée",
            "inform" => "informer",
            "consult" => "consulter",
            "involve" => "impliquer",
            "collaborate" => "collaborer",
            "lead" => "diriger",
            "urban" => "urbaine",
            "rural" => "rurale",
            "remote" => "éloignée",
            "care" => "soins",
            "program" => "programmes",
            "policy" => "politiques",
            "direct" => "soins directs",
            "organizational" => "organisationnel",
            "system" => "système",
            "not given" => "non précisée",
            _ => return None,
        })
    }

    /// A column of the summary's tables.
    pub fn column(key: &str) -> Option<&'static str> {
        Some(match key {
            "status" => "étape",
            "way" => "mode d’engagement",
            "total" => "total",
            "engagements" => "engagements",
            "partners" => "partenaires",
            "hours" => "heures",
            "owed" => "dû",
            "paid" => "versé",
            "reimbursed" => "remboursé",
            "community" => "communauté",
            "region" => "région",
            "domain" => "domaine",
            "level" => "niveau",
            "month" => "mois",
            way => return word(way),
        })
    }

    /// `du 1er janvier au 31 mars 2027`, `jusqu’au 31 mars 2027`.
    pub fn period(p: &Period) -> String {
        let to = long_date(p.to, Language::Fr);
        match p.from {
            Some(f) if f.year() == p.to.year() => format!("du {} au {to}", day_and_month(f)),
            Some(f) => format!("du {} au {to}", long_date(f, Language::Fr)),
            None => format!("jusqu’au {to}"),
        }
    }
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::money::Hours;

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
        assert_eq!(language::hours(Hours(230_478_350), Language::En), "2,304,783.5");
        assert_eq!(language::hours(Hours(1_200), Language::En), "12");
        assert_eq!(dollars_axis_in(1_250_000, Language::En), "$12k");
        assert_eq!(dollars_axis_in(95_000, Language::En), "$950");
    }

    /// A network big enough for every number to be grouped, with a median and shares that have
    /// decimals.
    fn large_summary() -> Summary {
        use crate::domain::compensation::Totals;
        use crate::domain::report::{Network, Share};
        let mut s = Summary {
            received: 1_234,
            decided: 1_100,
            median_days_to_selection: Some(16.5),
            invited: 2_000,
            responded: 1_556,
            interested: 1_500,
            selected: 1_000,
            network: Network { active: 1_200, paused: 30, withdrawn: 4, forgotten: 1, new: 45 },
            engagements: 1_321,
            partners_engaged: 876,
            money: Totals {
                hours: Hours(1_234_550),
                owed: Money(1_234_567),
                paid: Money(1_000_000),
                outstanding: Money(234_567),
                expenses: Money(150_000),
                reimbursed: Money(125_000),
            },
            distribution: [100, 400, 200, 50, 10, 1],
            months: vec![
                ("2027-01".into(), Money(400_000), Money(20_000)),
                ("2027-02".into(), Money(350_000), Money(0)),
                ("2027-03".into(), Money(250_000), Money(105_000)),
            ],
            ..Summary::default()
        };
        for (status, n) in RequestStatus::ALL.iter().zip([34, 100, 50, 900, 140, 10]) {
            s.pipeline.entry(*status).or_default().insert(Way::Involve, n);
        }
        for (way, n) in Way::ALL.iter().zip([0u64, 500, 600, 200, 21]) {
            let share = Share { engagements: n, seats: 2 * n, hours: Hours(n as i64 * 1_000), ..Share::default() };
            s.by_way.insert(*way, share);
        }
        s.by_community.insert(Some(Community::Urban), Share { engagements: 1_000, seats: 2_000, ..Share::default() });
        s.by_community.insert(None, Share { engagements: 321, seats: 642, ..Share::default() });
        s.by_region.insert(Some("Estrie".into()), Share { engagements: 1_321, seats: 2_642, ..Share::default() });
        s
    }

    #[test]
    fn the_french_summary_page_is_in_french_with_numbers_as_french_writes_them() {
        let s = large_summary();
        let period = Period {
            from: Some(NaiveDate::from_ymd_opt(2027, 1, 1).unwrap()),
            to: NaiveDate::from_ymd_opt(2027, 3, 31).unwrap(),
        };
        let record = crate::output::summary::summary_record(&s, &period);
        let made_on = NaiveDate::from_ymd_opt(2027, 4, 1).unwrap();
        let page = summary_page_in(Language::Fr, &s, &record, &period, "réseau de l’Estrie", made_on);
        assert!(page.contains("<html lang=\"fr\">"));
        assert!(page.contains("<title>réseau de l’Estrie : sommaire du 1er janvier au 31 mars 2027</title>"));
        assert!(page.contains(
            "<h1>Réseau de l’Estrie</h1>\n<p>Sommaire du 1er janvier au 31 mars 2027; produit le 1er avril 2027.</p>"
        ));
        for (value, label) in [
            ("1\u{202f}234", "demandes reçues"),
            ("16,5 jours", "délai médian avant la sélection"),
            ("77,8\u{a0}%", "des invitations ont reçu une réponse"),
            ("66,7\u{a0}%", "des partenaires intéressés ont été retenus"),
            ("1\u{202f}321", "engagements en cours pendant la période"),
            ("12\u{202f}345,5", "heures consignées"),
            ("12\u{202f}345,67\u{a0}$", "rémunération due"),
            ("10\u{202f}000,00\u{a0}$", "rémunération versée"),
            ("2\u{202f}345,67\u{a0}$", "reste à verser"),
        ] {
            assert!(page.contains(&card(value, label)), "no card '{value}' '{label}'");
        }
        for text in [
            "1\u{202f}235 partenaires dans le réseau : 1\u{202f}200 actifs, 30 en pause, 4 retirés, 1 oublié; 45 se sont \
             joints au réseau pendant la période.",
            "<h2>Demandes par étape</h2>",
            "\">Demandes reçues, par étape</title>",
            "\">Engagements par mode d’engagement</title>",
            "\">Partenaires selon leur nombre d’engagements dans la période</title>",
            "\">Rémunération et remboursements versés par mois</title>",
            "<title>2027-01 rémunération : 4\u{202f}000\u{a0}$</title>",
            "<th>étape</th><th class=\"n\">informer</th><th class=\"n\">consulter</th>",
            "<td>en recrutement</td>",
            "<td>consulter</td><td class=\"n\">500</td><td class=\"n\">1\u{202f}000</td><td class=\"n\">5\u{202f}000</td>",
            "<td>non précisée</td>",
            "<td>urbaine</td>",
            ">aucun</text>",
            ">1 partenaire</text>",
            ">400 partenaires</text>",
            ">500 · 1\u{202f}000 partenaires</text>",
            "versés chaque mois de la période : 10\u{202f}000,00\u{a0}$ et 1\u{202f}250,00\u{a0}$.",
            "<footer>Produit par engage.",
        ] {
            assert!(page.contains(text), "no '{text}' on the French page");
        }
        // Nothing English is left, and no number is grouped or pointed the English way.
        for english in [
            "At a glance",
            "requests received",
            "Pipeline",
            "Compensation",
            "compensation",
            "Reach",
            "partners",
            "Requests",
            "Made by",
            ">submitted<",
            ">inform<",
            ">never<",
            " days",
            ">yes<",
            "not given",
            "Summary",
            "made on",
            "1,234",
            "16.5",
            "$1",
            "$2",
        ] {
            assert!(!page.contains(english), "'{english}' on the French page");
        }
        // The English page is the one it was.
        let english = summary_page(&s, &record, &period, "réseau de l’Estrie", made_on);
        assert_eq!(english, summary_page_in(Language::En, &s, &record, &period, "réseau de l’Estrie", made_on));
        assert!(english.contains("<html lang=\"en\">") && english.contains(&card("1,234", "requests received")));
        assert!(english.contains("<title>2027-01 compensation: $4,000</title>"));
    }
}
