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

mod french;
mod participation;
mod summary;

/// Colours that stay apart for most forms of colour blindness (Okabe and Ito's palette).
const COLOURS: &[&str] = &["#0072b2", "#e69f00", "#009e73", "#cc79a7", "#56b4e9", "#d55e00", "#f0e442"];

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

pub use participation::{PAGE_ROWS, PARTICIPATION, participant_row, participation_page};
pub use summary::{summary_page, summary_page_in};

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
