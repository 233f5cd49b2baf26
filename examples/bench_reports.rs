//! How fast the reports, lists and searches answer on a large network: fills a database with
//! 1,000,000 partners, 100,000 requests over ten years, 2,000,000 check-ins and one request with
//! 5,000 candidates through engage's own query functions, then times every command of issue 16's
//! table as the real binary (whole process, `--format json`, median of 3) and prints the table
//! with the targets beside. `--baseline ENGAGE` times another build (main's) on the same database
//! in the same run, so the ratio holds while the machine's load moves; `--partners N` fills a
//! smaller network (a tenth as many requests, twice as many check-ins) while iterating.
//!
//!     cargo build --release
//!     cargo run --release --example bench_reports [-- --db PATH] [--runs N] [--partners N] [--baseline ENGAGE]
//!
//! With `--db PATH` the filled database is left there (an existing file there is used as it is,
//! without filling it again), so the reports can be timed from outside too:
//!
//!     ENGAGE_DB=PATH ENGAGE_TODAY=2026-11-23 target/release/engage report reminders

#![allow(clippy::print_stdout)]

use chrono::{Days, NaiveDate};
use engage::db::{Db, Tx, checkins, closing, derived, invitations, partners, requests, selection};
use engage::domain::checkin::{Checkin, CheckinStatus, Concern, With};
use engage::domain::compensation::{self, Method};
use engage::domain::criteria;
use engage::domain::kinds::{Community, PartnerStatus, RequestStatus, Response, Way};
use engage::domain::money::{Hours, Money};
use engage::domain::partner::Partner;
use engage::domain::request::{Closing, Pay, Request};
use engage::domain::selection::{Outcome, Step};
use engage::error::Result;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::{Duration, Instant};

/// The network's size: `--partners N` (default 1,000,000), with a tenth as many requests and
/// twice as many check-ins.
static SIZE: std::sync::atomic::AtomicI64 = std::sync::atomic::AtomicI64::new(1_000_000);

fn partners_n() -> i64 {
    SIZE.load(std::sync::atomic::Ordering::Relaxed)
}

fn requests_n() -> i64 {
    (partners_n() / 10).max(10)
}

fn checkins_n() -> i64 {
    partners_n() * 2
}

/// The request with this many candidates, for `select rank` and `recruit invite --dry-run`.
const CANDIDATES: i64 = 5_000;
const TODAY: &str = "2026-11-23";
const YEARS_OF_HISTORY: u64 = 10;

/// splitmix64: the same database every time, without a dependency.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// 0..n
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }

    /// true with probability `percent` in 100.
    fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len() as u64) as usize]
    }
}

fn day(text: &str) -> NaiveDate {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap_or_default()
}

fn plus(d: NaiveDate, n: u64) -> NaiveDate {
    d.checked_add_days(Days::new(n)).unwrap_or(d)
}

fn minus(d: NaiveDate, n: u64) -> NaiveDate {
    d.checked_sub_days(Days::new(n)).unwrap_or(d)
}

const FIRST: &[&str] = &[
    "Ana", "Ben", "Chloé", "Dev", "Emma", "Farah", "Gurpreet", "Hana", "Isaac", "Jun", "Kiran", "Léa", "Mateo",
    "Nadia", "Omar", "Priya", "Quinn", "Rosa", "Sami", "Tara", "Uma", "Victor", "Wei", "Xavier", "Yara", "Zoë",
];
const LAST: &[&str] = &[
    "Silva", "Okafor", "Martin", "Singh", "Nguyen", "Tremblay", "Wong", "Roy", "Gagnon", "Smith", "Li", "Brown",
    "Khan", "Chen", "Wilson", "Côté", "Patel", "Lee", "Taylor", "Bouchard",
];
const REGIONS: &[&str] =
    &["Fraser", "Vancouver Coastal", "Interior", "Island", "Northern", "Fraser", "Vancouver Coastal", "Fraser"];
const TOPICS: &[&str] = &[
    "mental health",
    "discharge",
    "primary care",
    "seniors",
    "maternity",
    "cancer care",
    "substance use",
    "indigenous health",
    "long-term care",
    "emergency",
];
const LANGUAGES: &[&str] = &["English", "French", "Punjabi", "Mandarin", "Cantonese", "Tagalog", "Spanish"];
const ORGS: &[&str] = &[
    "Fraser Health",
    "Vancouver Coastal Health",
    "Interior Health",
    "Island Health",
    "Northern Health",
    "Providence Health Care",
    "BC Cancer",
];
const TITLES: &[&str] = &[
    "Discharge co-design",
    "Emergency department wayfinding",
    "Primary care network advisory",
    "Seniors' care survey review",
    "Maternity services focus group",
    "Mental health strategy",
    "Patient safety committee",
    "Long-term care visiting policy",
];

fn community(rng: &mut Rng) -> Community {
    match rng.below(100) {
        0..=69 => Community::Urban,
        70..=91 => Community::Rural,
        _ => Community::Remote,
    }
}

fn partner(rng: &mut Rng, n: i64, joined: NaiveDate) -> Partner {
    let first = rng.pick(FIRST).to_string();
    let last = rng.pick(LAST).to_string();
    let topics = (0..1 + rng.below(3)).map(|_| rng.pick(TOPICS).to_string()).collect();
    Partner {
        email: Some(format!("{}.{}.{n}@example.org", first.to_lowercase(), last.to_lowercase())),
        first_name: Some(first),
        last_name: Some(last),
        phone: Some(format!("604-555-{:04}", n % 10_000)),
        postal_code: Some(format!("V{}A {}B{}", n % 10, n % 7, n % 9)),
        region: Some(rng.pick(REGIONS).to_string()),
        community: Some(community(rng)),
        languages: vec![rng.pick(LANGUAGES).to_string()],
        topics,
        lived_experience: Some(
            "I cared for my father through two hospital stays and his move home, and learned how much the \
             discharge plan mattered."
                .to_string(),
        ),
        availability: Some("weekday evenings".to_string()),
        consent: true,
        consent_on: Some(joined),
        joined_on: Some(joined),
        source: Some(format!("bench-signups.csv:{}", n + 1)),
        ..Partner::default()
    }
}

/// One request's life, decided by its position in ten years of history.
struct Plan {
    created: NaiveDate,
    respond_by: NaiveDate,
    select_by: NaiveDate,
    decided_on: NaiveDate,
    starts_on: NaiveDate,
    ends_on: NaiveDate,
    closed_on: NaiveDate,
    cancelled: bool,
    seats: u32,
    way: Way,
}

fn plan(rng: &mut Rng, k: i64, first_day: NaiveDate, days: u64) -> Plan {
    let created = plus(first_day, (k as u64 * days) / requests_n() as u64);
    let respond_by = plus(created, 14);
    let select_by = plus(respond_by, 7);
    let decided_on = plus(respond_by, rng.below(12));
    let starts_on = plus(select_by, 7 + rng.below(24));
    let ends_on = plus(starts_on, 30 + rng.below(150));
    let closed_on = plus(ends_on, rng.below(30));
    let way =
        *rng.pick(&[Way::Consult, Way::Consult, Way::Involve, Way::Involve, Way::Collaborate, Way::Lead, Way::Inform]);
    Plan {
        created,
        respond_by,
        select_by,
        decided_on,
        starts_on,
        ends_on,
        closed_on,
        cancelled: rng.chance(2),
        seats: if rng.chance(80) { 2 } else { 3 },
        way,
    }
}

fn rate(way: Way) -> Money {
    Money(match way {
        Way::Inform => 0,
        Way::Consult => 2_500,
        Way::Involve => 4_000,
        Way::Collaborate => 5_000,
        Way::Lead => 6_000,
    })
}

/// An engagement under way or done: a request decided with partners selected.
struct Engagement {
    id: i64,
    status: RequestStatus,
    chosen: Vec<i64>,
    starts_on: NaiveDate,
    ends_on: NaiveDate,
    closed_on: NaiveDate,
    way: Way,
    hours: Vec<i64>,
    expenses: Vec<i64>,
}

/// One check-in with person `who` of the engagement (its partners, then the requester).
fn add_checkin(
    tx: &Tx<'_>,
    e: &mut Engagement,
    who: usize,
    held_on: NaiveDate,
    rng: &mut Rng,
    today: NaiveDate,
) -> Result<()> {
    let people = e.chosen.len() + 1;
    let who = who % people;
    let with = if who < e.chosen.len() { With::Partner(e.chosen[who]) } else { With::Requester };
    let mut c = Checkin {
        id: 0,
        request_id: e.id,
        with,
        held_on,
        status: CheckinStatus::Good,
        concern: None,
        resolved_on: None,
        resolution: None,
        hours: Hours(0),
        expenses: Money(0),
        expense_note: None,
        note: None,
        next_due: Some(plus(held_on, 30)),
    };
    if who < e.chosen.len() {
        c.hours = Hours(50 + 50 * rng.below(6) as i64);
        e.hours[who] += c.hours.0;
        if rng.chance(10) {
            c.expenses = Money(500 + 100 * rng.below(50) as i64);
            e.expenses[who] += c.expenses.0;
        }
    }
    if rng.chance(1) {
        c.status = CheckinStatus::Concerns;
        c.concern = Some(*rng.pick(&[Concern::Barrier, Concern::Wellbeing, Concern::Other, Concern::Conduct]));
        let resolved = plus(held_on, 1 + rng.below(20));
        let keeps_up = if e.status == RequestStatus::Active { 90 } else { 99 };
        if resolved <= today && rng.chance(keeps_up) {
            c.resolved_on = Some(resolved);
        }
    }
    checkins::insert(tx, &c)?;
    Ok(())
}

fn fill(db: &mut Db) -> Result<()> {
    let today = day(TODAY);
    let first_day = minus(today, 365 * YEARS_OF_HISTORY);
    let days = 365 * YEARS_OF_HISTORY;
    let mut rng = Rng(7);
    let started = Instant::now();
    db.write(|tx| {
        let mut insert = partners::Inserter::new(tx)?;
        for n in 0..partners_n() {
            let joined = plus(first_day, (n as u64 * days) / partners_n() as u64);
            let p = partner(&mut rng, n, joined);
            let mark = partners::ImportMark {
                file: "bench-signups.csv".to_string(),
                line: n + 2,
                submitted_at: Some(format!("{}T12:00:00", engage::domain::dates::iso(joined))),
                hash: rng.next(),
            };
            insert.insert(&partners::Ready::new(p), &mark)?;
        }
        insert.finish()
    })?;
    // Some partners pause, leave or are forgotten over the years. The fill forgets 5,000 people in
    // one transaction, each taken out of the search index with FTS5's secure delete (about 0.1 s
    // a partner at this size): its own scratch file needs no erasure from the index's pages, so
    // the fill deletes the plain way and puts secure delete back after.
    db.write(|tx| {
        tx.execute("INSERT INTO partner_search (partner_search, rank) VALUES ('secure-delete', 0)", &[])?;
        for n in 0..partners_n() / 20 {
            let id = 1 + (n * 20 + rng.below(20) as i64) % partners_n();
            let mut p = partners::get(tx, id)?;
            p.status = match n % 10 {
                0..=4 => PartnerStatus::Paused,
                5..=8 => PartnerStatus::Withdrawn,
                _ => PartnerStatus::Forgotten,
            };
            if p.status == PartnerStatus::Forgotten {
                partners::forget(tx, id)?;
            } else {
                partners::update(tx, &p)?;
            }
        }
        tx.execute("INSERT INTO partner_search (partner_search, rank) VALUES ('secure-delete', 1)", &[])?;
        Ok(())
    })?;
    println!("  {} partners in {:.1} s", partners_n(), started.elapsed().as_secs_f64());

    let started = Instant::now();
    let plans: Vec<Plan> = (0..requests_n()).map(|k| plan(&mut rng, k, first_day, days)).collect();
    let mut engagements: Vec<Engagement> = Vec::new();
    db.write(|tx| {
        for (k, p) in plans.iter().enumerate() {
            let status = if p.cancelled {
                RequestStatus::Cancelled
            } else if today < plus(p.created, 1) || (today < plus(p.created, 30) && rng.chance(2)) {
                RequestStatus::Submitted
            } else if today <= p.respond_by {
                RequestStatus::Recruiting
            } else if today < p.decided_on {
                RequestStatus::Selecting
            } else if today < p.closed_on {
                RequestStatus::Active
            } else {
                RequestStatus::Closed
            };
            let request = Request {
                id: 0,
                title: rng.pick(TITLES).to_string(),
                description: None,
                title_fr: None,
                description_fr: None,
                organization: rng.pick(ORGS).to_string(),
                owner: "coordinator".to_string(),
                contact_name: format!("{} {}", rng.pick(FIRST), rng.pick(LAST)),
                contact_email: format!("contact{k}@example.org"),
                contact_phone: None,
                way: p.way,
                domain: None,
                level: None,
                topics: vec![rng.pick(TOPICS).to_string()],
                region: Some(rng.pick(REGIONS).to_string()),
                community: Some(community(&mut rng)),
                format: None,
                location: None,
                starts_on: Some(p.starts_on),
                ends_on: Some(p.ends_on),
                respond_by: p.respond_by,
                select_by: p.select_by,
                hours_estimate: Some(Hours(2_000)),
                seats: p.seats,
                pay: Pay::WayRate(rate(p.way)),
                expenses_reimbursed: true,
                record_check_required: rng.chance(10),
                supports: None,
                checkin_every_days: 30,
                checkin_every_given: false,
                status,
                status_reason: None,
                created_on: p.created,
                criteria: criteria::defaults(),
                closing: Closing::default(),
                partner_survey_url: None,
                requester_survey_url: None,
            };
            let id = requests::insert(tx, &request)?;
            if status == RequestStatus::Submitted {
                continue;
            }
            // Ten partners invited; about half answer, most of those interested.
            let invited_on = plus(p.created, 1);
            let mut interested = Vec::new();
            for _ in 0..10 {
                let partner_id = 1 + rng.below(partners_n() as u64) as i64;
                invitations::invite(tx, id, partner_id, invited_on)?;
                let answered_on = plus(invited_on, rng.below(13));
                if answered_on <= today && rng.chance(50) {
                    let interested_now = rng.chance(60);
                    let answer = invitations::Answer {
                        response: if interested_now { Response::Interested } else { Response::Declined },
                        on: answered_on,
                        statement: None,
                        availability: None,
                        conflict: None,
                    };
                    invitations::respond(tx, id, partner_id, &answer)?;
                    if interested_now && !interested.contains(&partner_id) {
                        interested.push(partner_id);
                    }
                }
            }
            if p.decided_on > today || p.cancelled {
                continue;
            }
            if interested.is_empty() {
                // A request is decided once someone is interested: one answered without an invitation.
                let partner_id = 1 + rng.below(partners_n() as u64) as i64;
                let answer = invitations::Answer {
                    response: Response::Interested,
                    on: p.respond_by,
                    statement: None,
                    availability: None,
                    conflict: None,
                };
                invitations::respond(tx, id, partner_id, &answer)?;
                interested.push(partner_id);
            }
            let chosen: Vec<i64> = interested.iter().copied().take(p.seats as usize).collect();
            for partner_id in &interested {
                let outcome = if chosen.contains(partner_id) { Outcome::Selected } else { Outcome::NotSelected };
                selection::decide(tx, id, *partner_id, outcome, None, p.decided_on)?;
            }
            let told = plus(p.decided_on, rng.below(5));
            if told <= today {
                selection::notify(tx, id, told)?;
            }
            for partner_id in &chosen {
                let signed = plus(p.decided_on, rng.below(20));
                if signed <= today && rng.chance(97) {
                    selection::set_commitments_signed(tx, *partner_id, signed)?;
                }
                if request.record_check_required && rng.chance(95) {
                    selection::set_record_check(tx, *partner_id, minus(p.decided_on, rng.below(300)))?;
                }
                for step in Step::ALL {
                    let on = plus(p.decided_on, 1 + rng.below(14));
                    if on <= today && rng.chance(99) {
                        selection::set_step(tx, id, *partner_id, *step, on)?;
                    }
                }
            }
            engagements.push(Engagement {
                id,
                status,
                hours: vec![0; chosen.len()],
                expenses: vec![0; chosen.len()],
                chosen,
                starts_on: p.starts_on,
                ends_on: p.ends_on,
                closed_on: p.closed_on,
                way: p.way,
            });
        }
        Ok(())
    })?;
    println!(
        "  {} requests with their invitations, responses and decisions in {:.1} s",
        requests_n(),
        started.elapsed().as_secs_f64()
    );

    let started = Instant::now();
    db.write(|tx| {
        let mut written: i64 = 0;
        // Engagements under way: each person about every four weeks since the start; most are kept
        // up (the last check-in in the past four weeks), some are behind.
        for e in engagements.iter_mut().filter(|e| e.status == RequestStatus::Active) {
            for who in 0..=e.chosen.len() {
                let lag = if rng.chance(90) { rng.below(28) } else { 30 + rng.below(60) };
                let mut held: Vec<NaiveDate> = Vec::new();
                let mut on = minus(today, lag).min(e.ends_on);
                while on > e.starts_on {
                    held.push(on);
                    on = minus(on, 26 + rng.below(5));
                }
                for held_on in held.into_iter().rev() {
                    add_checkin(tx, e, who, held_on, &mut rng, today)?;
                    written += 1;
                }
            }
        }
        // The rest of the check-ins go to the engagements already over, evenly over each one's span.
        let done: Vec<usize> =
            (0..engagements.len()).filter(|n| engagements[*n].status != RequestStatus::Active).collect();
        let total_left = checkins_n() - written;
        for (k, n) in done.iter().enumerate() {
            let e = &mut engagements[*n];
            let share = total_left / done.len() as i64 + i64::from((k as i64) < total_left % done.len() as i64);
            let span = (e.ends_on - e.starts_on).num_days().max(1) as u64;
            for i in 0..share {
                let held_on = plus(e.starts_on, (i as u64 * span) / share.max(1) as u64);
                add_checkin(tx, e, i as usize, held_on, &mut rng, today)?;
            }
        }
        Ok(())
    })?;
    println!("  {} check-ins in {:.1} s", checkins_n(), started.elapsed().as_secs_f64());

    let started = Instant::now();
    db.write(|tx| {
        for e in &engagements {
            if e.status == RequestStatus::Closed {
                closing::set_closing(
                    tx,
                    e.id,
                    &Closing {
                        outcomes: Some("recommendations adopted".to_string()),
                        loop_closed_on: Some(e.closed_on),
                        thanked_on: Some(e.closed_on),
                        partner_survey_on: Some(e.closed_on),
                        requester_survey_on: Some(e.closed_on),
                        closed_on: Some(e.closed_on),
                    },
                )?;
            }
            if e.ends_on >= today {
                continue;
            }
            // Most are paid soon after the engagement ends; some recent ones are not yet.
            let recent = (today - e.ends_on).num_days() < 90;
            for (n, partner_id) in e.chosen.iter().enumerate() {
                if recent && rng.chance(10) {
                    continue;
                }
                let paid_on = plus(e.ends_on, rng.below(25)).min(today);
                let owed = compensation::owed(Pay::WayRate(rate(e.way)), Hours(e.hours[n]));
                if rng.chance(3) {
                    closing::decline(tx, e.id, *partner_id)?;
                } else if owed.cents() > 0 {
                    closing::pay(tx, e.id, *partner_id, *rng.pick(Method::ALL), paid_on, owed)?;
                }
                if e.expenses[n] > 0 {
                    closing::reimburse(tx, e.id, *partner_id, paid_on, Money(e.expenses[n]))?;
                }
            }
        }
        Ok(())
    })?;
    println!("  closing, payments and reimbursements in {:.1} s", started.elapsed().as_secs_f64());
    // One request recruiting now with CANDIDATES partners interested (a large open call), for
    // `select rank` and `recruit invite --dry-run`.
    let started = Instant::now();
    db.write(|tx| {
        let mut request = Request {
            id: 0,
            title: "Open call: hospital discharge survey".to_string(),
            description: None,
            title_fr: None,
            description_fr: None,
            organization: ORGS[0].to_string(),
            owner: "coordinator".to_string(),
            contact_name: "Dana Roy".to_string(),
            contact_email: "open.call@example.org".to_string(),
            contact_phone: None,
            way: Way::Consult,
            domain: None,
            level: None,
            topics: vec!["discharge".to_string()],
            region: Some("Fraser".to_string()),
            community: None,
            format: None,
            location: None,
            starts_on: Some(plus(today, 30)),
            ends_on: Some(plus(today, 90)),
            respond_by: plus(today, 7),
            select_by: plus(today, 14),
            hours_estimate: Some(Hours(200)),
            seats: 20,
            pay: Pay::WayRate(rate(Way::Consult)),
            expenses_reimbursed: true,
            record_check_required: false,
            supports: None,
            checkin_every_days: 30,
            checkin_every_given: false,
            status: RequestStatus::Recruiting,
            status_reason: None,
            created_on: minus(today, 7),
            criteria: criteria::defaults(),
            closing: Closing::default(),
            partner_survey_url: None,
            requester_survey_url: None,
        };
        request.id = requests::insert(tx, &request)?;
        let step = (partners_n() / CANDIDATES).max(1);
        for n in 0..CANDIDATES.min(partners_n()) {
            let partner_id = 1 + n * step;
            invitations::invite(tx, request.id, partner_id, minus(today, 6))?;
            let answer = invitations::Answer {
                response: Response::Interested,
                on: minus(today, rng.below(6)),
                statement: None,
                availability: None,
                conflict: None,
            };
            invitations::respond(tx, request.id, partner_id, &answer)?;
        }
        Ok(())
    })?;
    println!("  a request with {CANDIDATES} candidates in {:.1} s", started.elapsed().as_secs_f64());
    let started = Instant::now();
    let kept = db.write(derived::rebuild)?;
    println!(
        "  the reminder store worked out from scratch: {kept} reminders in {:.2} s",
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

/// Runs `engage ARGS` in process against the database; returns how long it took and its output.
fn in_process(db: &Path, args: &[&str]) -> Result<(Duration, Vec<u8>)> {
    use clap::Parser;
    let cli = engage::cli::Cli::try_parse_from(std::iter::once("engage").chain(args.iter().copied()))
        .map_err(|e| engage::error::Error::Invalid(e.to_string()))?;
    let env = engage::Env::pinned(db, TODAY);
    let mut out = Vec::new();
    let mut err = Vec::new();
    let mut prompter = engage::prompt::ScriptedPrompter::new(std::iter::empty::<&str>());
    let started = Instant::now();
    engage::run(cli, &env, &mut out, &mut err, &mut prompter)?;
    Ok((started.elapsed(), out))
}

fn words(args: &[&str]) -> Vec<String> {
    args.iter().map(|a| a.to_string()).collect()
}

/// The median wall time of `runs` runs of the whole process, or None when it failed.
fn time(engage: &Path, db: &Path, args: &[&str], runs: usize) -> Option<Duration> {
    let mut times = Vec::new();
    for _ in 0..runs {
        times.push(binary(engage, db, args)?.0);
    }
    Some(median(times))
}

/// The machine's load average over the last minute, five and fifteen (`uptime`).
fn load() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map(|s| s.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_else(|_| "unknown".to_string())
}

/// Runs the built binary; returns the wall time of the whole process.
fn binary(engage: &Path, db: &Path, args: &[&str]) -> Option<(Duration, usize)> {
    let started = Instant::now();
    let output =
        std::process::Command::new(engage).args(args).env("ENGAGE_DB", db).env("ENGAGE_TODAY", TODAY).output().ok()?;
    let took = started.elapsed();
    output.status.success().then_some((took, output.stdout.len()))
}

fn median(mut times: Vec<Duration>) -> Duration {
    times.sort();
    times.get(times.len() / 2).copied().unwrap_or_default()
}

fn ms(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1000.0)
}

fn main() -> ExitCode {
    let mut args = std::env::args().skip(1);
    let mut kept: Option<PathBuf> = None;
    let mut runs = 3usize;
    let mut baseline: Option<PathBuf> = None;
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--db" => kept = args.next().map(PathBuf::from),
            "--baseline" => baseline = args.next().map(PathBuf::from),
            "--partners" => {
                let n = args.next().and_then(|n| n.replace([',', '_'], "").parse::<i64>().ok()).unwrap_or(0);
                if n < 10_000 {
                    println!("bench_reports: --partners takes a number of partners, 10,000 or more");
                    return ExitCode::from(2);
                }
                SIZE.store(n, std::sync::atomic::Ordering::Relaxed);
            }
            "--runs" => runs = args.next().and_then(|n| n.parse().ok()).unwrap_or(runs).max(1),
            other => {
                println!(
                    "bench_reports: unknown argument '{other}'; use [--db PATH] [--runs N] [--partners N] [--baseline ENGAGE]"
                );
                return ExitCode::from(2);
            }
        }
    }
    match bench(kept, runs, baseline) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            println!("bench_reports: {e}");
            ExitCode::from(1)
        }
    }
}

fn bench(kept: Option<PathBuf>, runs: usize, baseline: Option<PathBuf>) -> Result<()> {
    let scratch = std::env::temp_dir().join(format!("engage-bench-reports-{}", std::process::id()));
    let path = kept.clone().unwrap_or_else(|| scratch.join("engage.db"));
    if kept.is_some() && path.exists() {
        println!("Using the database already at {} (delete it to fill a new one).", path.display());
    } else {
        println!(
            "Filling {} with {} partners, {} requests and {} check-ins (today is {TODAY}):",
            path.display(),
            partners_n(),
            requests_n(),
            checkins_n()
        );
        let mut db = Db::open(&path)?;
        fill(&mut db)?;
    }
    {
        let db = Db::open_read_only(&path)?;
        let count =
            |table: &str| -> Result<i64> { db.conn().query_value(&format!("SELECT count(*) FROM {table}"), &[]) };
        println!(
            "  {} partners, {} requests ({} active), {} invitations, {} decisions, {} check-ins, {} reminders kept",
            count("partner")?,
            count("request")?,
            db.conn().query_value::<i64>("SELECT count(*) FROM request WHERE status = 'active'", &[])?,
            count("invitation")?,
            count("decision")?,
            count("checkin")?,
            count("reminder")?,
        );
        let started = Instant::now();
        let latest = checkins::latest_on_active_requests(db.conn())?;
        println!(
            "  for comparison, reading the latest check-in with each person on the active requests straight from \
             the check-ins: {} in {}",
            latest.len(),
            ms(started.elapsed())
        );
    }
    let bin = std::env::current_exe()
        .ok()
        .and_then(|exe| exe.parent().and_then(Path::parent).map(|dir| dir.join("engage")))
        .filter(|p| p.exists());
    let Some(bin) = bin else {
        println!("  build the binary with `cargo build --release` first: the table times the whole process");
        return Ok(());
    };
    let (open_call, search) = {
        let db = Db::open_read_only(&path)?;
        let id: i64 = db
            .conn()
            .query_value("SELECT max(id) FROM request WHERE title = 'Open call: hospital discharge survey'", &[])?;
        // One partner's address, as a coordinator types part of it.
        (id.to_string(), format!(".{}@", partners_n() / 2 + 1))
    };
    let small = scratch.join("small.db");
    std::fs::create_dir_all(&scratch).map_err(|e| engage::error::Error::io("could not make the scratch folder", e))?;
    drop(Db::open(&small)?);
    let commands: Vec<(String, Vec<String>, &Path, Option<f64>)> = vec![
        ("report reminders".into(), words(&["report", "reminders"]), &path, Some(20.0)),
        ("report summary".into(), words(&["report", "summary"]), &path, Some(250.0)),
        ("report participation".into(), words(&["report", "participation"]), &path, Some(500.0)),
        ("report compensation".into(), words(&["report", "compensation"]), &path, Some(500.0)),
        (
            format!("recruit list --search '{search}'"),
            words(&["recruit", "list", "--search", &search]),
            &path,
            Some(50.0),
        ),
        ("request list --status open".into(), words(&["request", "list", "--status", "open"]), &path, Some(500.0)),
        ("checkin due".into(), words(&["checkin", "due"]), &path, Some(100.0)),
        (
            format!("recruit invite {open_call} --dry-run (every partner it matches)"),
            words(&["recruit", "invite", &open_call, "--dry-run"]),
            &path,
            Some(300.0),
        ),
        (
            format!("recruit invite {open_call} --dry-run --limit {CANDIDATES}"),
            words(&["recruit", "invite", &open_call, "--dry-run", "--limit", &CANDIDATES.to_string()]),
            &path,
            Some(300.0),
        ),
        (
            format!("select rank {open_call} ({CANDIDATES} candidates)"),
            words(&["select", "rank", &open_call]),
            &path,
            Some(300.0),
        ),
        ("request list (an empty database)".into(), words(&["request", "list"]), &small, None),
    ];
    println!("\nWhole process, `--format json`, median of {runs}; load average {} before:\n", load());
    let base_head = if baseline.is_some() { " baseline | ratio |" } else { "" };
    let base_rule = if baseline.is_some() { " --- | --- |" } else { "" };
    println!("| command | median |{base_head} target | met |");
    println!("| --- | --- |{base_rule} --- | --- |");
    for (label, args, db, target) in &commands {
        let mut args: Vec<&str> = args.iter().map(String::as_str).collect();
        args.extend(["--format", "json"]);
        let ours = time(&bin, db, &args, runs);
        let mut base = String::new();
        if let Some(b) = &baseline {
            let theirs = time(b, db, &args, runs);
            base = match (ours, theirs) {
                (Some(o), Some(t)) => format!(" {} | {:.2} |", ms(t), o.as_secs_f64() / t.as_secs_f64().max(1e-9)),
                (_, Some(t)) => format!(" {} | |", ms(t)),
                _ => " failed | |".to_string(),
            };
        }
        let median = ours.map_or_else(|| "failed".to_string(), ms);
        let (target, met) = match target {
            Some(t) => (
                format!("<= {t:.0} ms"),
                match ours {
                    Some(o) if o.as_secs_f64() * 1000.0 <= *t => "yes",
                    _ => "no",
                },
            ),
            None => ("stays".to_string(), ""),
        };
        println!("| `{label}` | {median} |{base} {target} | {met} |");
    }
    println!("\nload average after: {}", load());
    // Writes at this size, with the reminders they change worked out again in their transaction
    // (only on a scratch database: they change it).
    if kept.is_none() {
        let (request, partner): (i64, i64) = Db::open_read_only(&path)?.conn().query_row(
            "SELECT d.request_id, d.partner_id FROM decision d JOIN request r ON r.id = d.request_id \
             WHERE r.status = 'active' AND d.outcome = 'selected' ORDER BY d.request_id LIMIT 1",
            &[],
            |r| Ok((r.get("request_id")?, r.get("partner_id")?)),
        )?;
        let (took, _) =
            in_process(&path, &["checkin", &request.to_string(), "--partner", &partner.to_string(), "--hours", "1.5"])?;
        println!("  engage checkin {request} --partner {partner} --hours 1.5 (a write)  {}", ms(took));
        let (took, _) = in_process(&path, &["config", "set", "review_within_days", "6"])?;
        println!("  engage config set review_within_days 6 (works every reminder out again)  {}", ms(took));
    }
    let _ = std::fs::remove_dir_all(&scratch);
    if kept.is_some() {
        println!("\nThe database is left at {}.", path.display());
    }
    Ok(())
}
