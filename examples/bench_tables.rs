//! How long drawing a table takes at each terminal width, on the inputs that were slow: a
//! request's show with a long timeline (45.8 s at 8 columns before), a long request list (4.8 s
//! at 80 columns), a sign-up's 64 KiB unbroken answer (1.1 s at 20 columns), and a large list.
//! Only the drawing is timed, in process: no database, no process start.
//!
//!     cargo run --release --example bench_tables [-- --runs N]

#![allow(clippy::print_stdout)]

use chrono::{Days, NaiveDate};
use engage::domain::money::Money;
use engage::output::{Column, Format, Listing, Record, TableStyle, Value, write_listing, write_record};
use std::time::{Duration, Instant};

const WIDTHS: [Option<u16>; 8] = [Some(8), Some(20), Some(40), Some(60), Some(80), Some(120), Some(200), None];

/// splitmix64: the same text every run, without a dependency.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    fn words(&mut self, n: usize) -> String {
        const WORDS: &[&str] = &[
            "discharge",
            "co-design",
            "patients",
            "families",
            "checklist",
            "mental",
            "health",
            "primary",
            "care",
            "caregiver",
            "experience",
            "emergency",
            "feedback",
            "portal",
            "Fraser",
            "Island",
            "Interior",
            "northern",
            "rural",
            "session",
        ];
        (0..n).map(|_| WORDS[(self.next() % WORDS.len() as u64) as usize]).collect::<Vec<_>>().join(" ")
    }
}

fn day(n: u64) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 1, 1).and_then(|d| d.checked_add_days(Days::new(n % 700))).unwrap_or_default()
}

/// `request list` of 1,000 requests.
fn request_list(rng: &mut Rng) -> Listing {
    let mut l = Listing::new(&[
        Column::id("id"),
        Column::text("title"),
        Column::text("organization").leave_out(6),
        Column::word("way").leave_out(4),
        Column::word("status"),
        Column::number("seats").leave_out(1),
        Column::date("respond_by"),
        Column::date("select_by").leave_out(2),
        Column::date("starts_on").leave_out(5),
        Column::date("ends_on").leave_out(3),
    ]);
    for id in 1..=1000 {
        let n = rng.next();
        l.push(vec![
            Value::Int(id),
            Value::text(rng.words(2 + (n % 6) as usize)),
            Value::text(format!("{} Health", rng.words(1))),
            Value::text("collaborate"),
            Value::text("not_selected"),
            Value::Int(2 + (n % 4) as i64),
            Value::Date(day(n)),
            Value::Date(day(n + 7)),
            Value::Date(day(n + 30)),
            Value::Date(day(n + 200)),
        ]);
    }
    l
}

/// `request show` of a request with 40 fields and a timeline of 500 events.
fn request_show(rng: &mut Rng) -> Record {
    let mut r = Record::default();
    r.field(Column::id("id"), Value::Int(1))
        .field(Column::text("title"), Value::text("Discharge co-design"))
        .field(Column::email("contact_email"), Value::text("priya.natarajan-whitfield@islandhealth.example.org"))
        .field(Column::phone("contact_phone"), Value::text("604-555-0199"))
        .field(Column::text("description"), Value::text(rng.words(200)))
        .field(Column::amount("rate"), Value::Money(Money(5000)));
    for _ in 0..34 {
        r.field(Column::text("notes"), Value::text(rng.words(12)));
    }
    let mut timeline = Listing::new(&[
        Column::date("on"),
        Column::time("at").leave_out(2),
        Column::id("by").leave_out(1),
        Column::word("event"),
        Column::id("partner_id").leave_out(3),
        Column::text("detail"),
    ]);
    for n in 0..500 {
        timeline.push(vec![
            Value::Date(day(n)),
            Value::text("2026-11-23 09:14:02"),
            Value::text("coordinator"),
            Value::text("request_created"),
            Value::Int(n as i64),
            Value::text(rng.words(25)),
        ]);
    }
    r.section("timeline", timeline);
    r
}

/// `recruit show` of a partner whose answer to an unmapped question is 64 KiB without a space.
fn unbroken_answer() -> Record {
    let mut r = Record::default();
    r.field(Column::id("id"), Value::Int(1))
        .field(Column::text("name"), Value::text("Ana Chen"))
        .field(Column::email("email"), Value::text("ana.chen@example.org"));
    let mut extra = Listing::new(&[Column::text("column"), Column::text("answer")]);
    extra.push(vec![Value::text("Why do you want to join?"), Value::text("x".repeat(64 * 1024))]);
    r.section("extra", extra);
    r
}

/// `checkin list` of 10,000 check-ins, 15 columns.
fn checkin_list(rng: &mut Rng) -> Listing {
    let mut l = Listing::new(&[
        Column::id("id"),
        Column::id("request_id").leave_out(11),
        Column::date("held_on"),
        Column::word("party").leave_out(6),
        Column::id("partner_id").leave_out(3),
        Column::text("name"),
        Column::word("status"),
        Column::word("concern").leave_out(10),
        Column::date("resolved_on").leave_out(5),
        Column::text("resolution").leave_out(4),
        Column::number("hours").leave_out(7),
        Column::amount("expenses").leave_out(2),
        Column::text("expense_note").leave_out(1),
        Column::text("note").leave_out(9),
        Column::date("next_due").leave_out(8),
    ]);
    for id in 1..=10_000 {
        let n = rng.next();
        l.push(vec![
            Value::Int(id),
            Value::Int((n % 500) as i64),
            Value::Date(day(n)),
            Value::text("partner"),
            Value::Int((n % 9000) as i64),
            Value::text("Bo Lindqvist-Okonkwo"),
            Value::text("concerns"),
            Value::text("barrier"),
            Value::Null,
            Value::text(rng.words(6)),
            Value::Int((n % 20) as i64),
            Value::Money(Money((n % 100_000) as i64)),
            Value::text(rng.words(3)),
            Value::text(rng.words(15)),
            Value::Date(day(n + 30)),
        ]);
    }
    l
}

enum Table {
    List(Listing),
    Show(Record),
}

fn median(mut times: Vec<Duration>) -> Duration {
    times.sort();
    times[times.len() / 2]
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let runs: usize = args.iter().position(|a| a == "--runs").and_then(|i| args.get(i + 1)?.parse().ok()).unwrap_or(11);
    let mut rng = Rng(7);
    let cases = [
        ("request show, 500-event timeline", Table::Show(request_show(&mut rng))),
        ("request list, 1,000 requests", Table::List(request_list(&mut rng))),
        ("recruit show, 64 KiB unbroken answer", Table::Show(unbroken_answer())),
        ("checkin list, 10,000 check-ins", Table::List(checkin_list(&mut rng))),
    ];
    let widths: Vec<String> = WIDTHS.iter().map(|w| w.map_or("no terminal".to_string(), |w| w.to_string())).collect();
    println!("median of {runs} runs, milliseconds to draw (columns: the terminal's width)\n");
    println!("| table | {} |", widths.join(" | "));
    println!("| --- |{}", " --- |".repeat(WIDTHS.len()));
    for (name, table) in &cases {
        let mut cells = Vec::new();
        for width in WIDTHS {
            let style = TableStyle { width, terminal: true, color: false };
            let mut times = Vec::with_capacity(runs);
            let mut bytes = 0;
            for _ in 0..runs {
                let mut out: Vec<u8> = Vec::with_capacity(bytes);
                let start = Instant::now();
                let drawn = match table {
                    Table::List(l) => write_listing(&mut out, Format::Table, style, l),
                    Table::Show(r) => write_record(&mut out, Format::Table, style, r),
                };
                times.push(start.elapsed());
                if let Err(e) = drawn {
                    println!("{name}: {e}");
                    return;
                }
                bytes = out.len();
            }
            cells.push(format!("{:.1}", median(times).as_secs_f64() * 1000.0));
        }
        println!("| {name} | {} |", cells.join(" | "));
    }
}
