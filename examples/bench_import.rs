//! The sign-up import benchmark.
//!
//! `cargo run --release --example bench_import -- [ROWS] [--seed S] [--dir DIR] [--server URL]`
//!
//! Writes a realistic sign-up export of ROWS rows (default 1,000,000) with the generator in
//! `examples/common/signups.rs`: shaped like a Google Forms / Excel download, about 3%
//! re-submissions of an earlier person (the same address but for case, spaces or a tab) and about
//! 1% bad rows (blank or malformed e-mail, impossible date). Same ROWS and seed, same bytes.
//!
//! It then imports the file into a fresh database, and imports it again, each time in a child
//! process of its own so that the peak memory printed (VmHWM) is the import's alone, and prints
//! rows per second. With --dir the file and the database are kept there.
//!
//! In the same run, a third child inserts the same rows with a plain rusqlite loop (the file read
//! by the csv crate, one prepared INSERT of its columns into engage's partner table, one
//! transaction, no checks, no identity, no dedup) into another fresh database: the first import's
//! speed is printed as a ratio of that loop's, which the machine's load moves far less than either
//! figure alone. A fourth child times what the partner search index (migrations/partner_search.sql)
//! costs the first import: the index made again from the imported partners, in one statement, as
//! the import makes it.
//!
//! With `--server URL` (a PostgreSQL database of its own holding no network yet, its password in
//! the URL or in `PGPASSWORD`), the same file is imported there too, and again: the server's bulk
//! path (`COPY … FROM STDIN (FORMAT binary)`) beside the file's, in the same run.

#![allow(clippy::print_stdout, clippy::print_stderr, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

#[path = "common/signups.rs"]
mod signups;

use engage::domain::text::group;
use signups::generate;
use std::path::{Path, PathBuf};
use std::time::Instant;

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

const TODAY: &str = "2026-11-23";

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.get(1).map(String::as_str) == Some("--child-import") {
        child_import(Path::new(&args[2]), Path::new(&args[3]));
        return;
    }
    if args.get(1).map(String::as_str) == Some("--child-reindex") {
        child_reindex(Path::new(&args[3]));
        return;
    }
    if args.get(1).map(String::as_str) == Some("--child-plain") {
        child_plain(Path::new(&args[2]), Path::new(&args[3]));
        return;
    }
    let mut rows: u64 = 1_000_000;
    let mut seed: u64 = 7;
    let mut dir: Option<PathBuf> = None;
    let mut server: Option<PathBuf> = None;
    let mut i = 1;
    while i < args.len() {
        match args[i].as_str() {
            "--seed" => {
                i += 1;
                seed = args[i].parse().expect("--seed takes a number");
            }
            "--dir" => {
                i += 1;
                dir = Some(PathBuf::from(&args[i]));
            }
            "--server" => {
                i += 1;
                server = Some(PathBuf::from(&args[i]));
            }
            n => rows = n.replace([',', '_'], "").parse().expect("ROWS is a number of rows"),
        }
        i += 1;
    }
    let temp = tempfile::tempdir().unwrap();
    let dir = dir.unwrap_or_else(|| temp.path().to_path_buf());
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join(format!("signups-{rows}.csv"));
    let db = dir.join("bench.db");
    for f in [db.clone(), db.with_extension("db-wal"), db.with_extension("db-shm")] {
        let _ = std::fs::remove_file(f);
    }

    let started = Instant::now();
    let stats = generate(&file, rows, seed);
    let bytes = std::fs::metadata(&file).unwrap().len();
    println!(
        "engage import benchmark: {} sign-ups, {:.0} MB, seed {seed} (generated in {:.1} s: {} new people, {} re-submissions, {} bad rows)",
        group(rows),
        bytes as f64 / 1e6,
        started.elapsed().as_secs_f64(),
        group(stats.0),
        group(stats.1),
        group(stats.2)
    );
    println!("machine: {} cores, {}, load average {}", cores(), cpu_model(), load());
    let plain_db = dir.join("plain.db");
    let mut first_rate = 0.0;
    let mut plain_rate = 0.0;
    let mut first_seconds = 0.0;
    let mut index_seconds = 0.0;
    let mut passes = vec!["first import", "re-import", "search index", "plain loop"];
    if server.is_some() {
        passes.extend(["server import", "server again"]);
    }
    for pass in passes {
        let (flag, target) = match pass {
            "plain loop" => ("--child-plain", &plain_db),
            "search index" => ("--child-reindex", &db),
            "server import" | "server again" => ("--child-import", server.as_ref().unwrap_or(&db)),
            _ => ("--child-import", &db),
        };
        if target == &plain_db {
            for f in [plain_db.clone(), plain_db.with_extension("db-wal"), plain_db.with_extension("db-shm")] {
                let _ = std::fs::remove_file(f);
            }
        }
        let out = std::process::Command::new(std::env::current_exe().unwrap())
            .arg(flag)
            .arg(&file)
            .arg(target)
            .output()
            .unwrap();
        let text = String::from_utf8_lossy(&out.stdout);
        let mut fields = text.split_whitespace();
        let seconds: f64 = fields
            .next()
            .and_then(|s| s.parse().ok())
            .unwrap_or_else(|| panic!("the import failed: {}", String::from_utf8_lossy(&out.stderr)));
        let peak_kb: u64 = fields.next().and_then(|s| s.parse().ok()).unwrap_or(0);
        let summary: String = fields.collect::<Vec<_>>().join(" ");
        let rate = rows as f64 / seconds;
        match pass {
            "first import" => (first_rate, first_seconds) = (rate, seconds),
            "plain loop" => plain_rate = rate,
            "search index" => index_seconds = seconds,
            _ => {}
        }
        println!(
            "{pass:>15}: {:>9} rows/s  ({} rows in {:.2} s, peak memory {:.0} MB) {summary}",
            group((rows as f64 / seconds) as u64),
            group(rows),
            seconds,
            peak_kb as f64 / 1024.0
        );
    }
    println!(
        "the first import at {:.2} of the plain loop's speed (target 0.6); the search index is {:.2} s of its {:.2} s \
         ({:.0}%); load average after: {}",
        first_rate / plain_rate.max(1.0),
        index_seconds,
        first_seconds,
        100.0 * index_seconds / first_seconds.max(1e-9),
        load()
    );
    let _ = std::fs::remove_file(&plain_db);
}

/// The search index made again from the partners imported, in one statement and one
/// transaction (rolled back), as the import makes it: what the index costs the first import.
/// Prints seconds, peak memory and the partners indexed.
fn child_reindex(db: &Path) {
    let mut conn = rusqlite::Connection::open(db).unwrap();
    let tx = conn.transaction().unwrap();
    let partners: i64 = tx.query_row("SELECT count(*) FROM partner", [], |r| r.get(0)).unwrap();
    let started = Instant::now();
    tx.execute_batch(
        "INSERT INTO partner_search (partner_search) VALUES ('delete-all'); \
         INSERT INTO partner_search (rowid, first_name, last_name, preferred_name, email, region, topics, languages, \
         lived_experience, accessibility_needs, notes) SELECT id, first_name, last_name, preferred_name, email, region, \
         topics, languages, lived_experience, accessibility_needs, notes FROM partner",
    )
    .unwrap();
    let seconds = started.elapsed().as_secs_f64();
    drop(tx);
    println!("{seconds} {} indexed {partners}", peak_kb());
}

/// The baseline: the same file's rows inserted by a plain rusqlite loop into engage's partner
/// table, with no checks. Prints what `child_import` prints: seconds, peak memory, the count.
fn child_plain(file: &Path, db: &Path) {
    // engage's schema, made by engage, then a plain connection with the same pragmas.
    drop(engage::db::Db::open(db).unwrap());
    let started = Instant::now();
    let mut conn = rusqlite::Connection::open(db).unwrap();
    conn.execute_batch("PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;").unwrap();
    let tx = conn.transaction().unwrap();
    let mut count = 0u64;
    {
        let mut insert = tx
            .prepare(
                "INSERT INTO partner (first_name, last_name, email, phone, postal_code, region, community, \
                 health_authority, languages, topics, lived_experience, availability, accessibility_needs, \
                 preferred_contact, consent, joined_on) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, NULL, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)",
            )
            .unwrap();
        let mut reader = csv::ReaderBuilder::new().flexible(true).from_path(file).unwrap();
        let mut record = csv::StringRecord::new();
        while reader.read_record(&mut record).unwrap_or(false) {
            let f = |i: usize| record.get(i).unwrap_or("");
            let consent = i64::from(f(15).starts_with('Y') || f(15).starts_with('y'));
            insert
                .execute(rusqlite::params![
                    f(1),
                    f(2),
                    f(3),
                    f(4),
                    f(5),
                    f(6),
                    f(8),
                    f(9),
                    f(10),
                    f(11),
                    f(12),
                    f(13),
                    f(14),
                    consent,
                    f(0).get(..10).unwrap_or("")
                ])
                .unwrap();
            count += 1;
        }
    }
    tx.commit().unwrap();
    let seconds = started.elapsed().as_secs_f64();
    println!("{seconds} {} inserted {count}", peak_kb());
}

fn peak_kb() -> String {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines().find(|l| l.starts_with("VmHWM:")).map(|l| l.split_whitespace().nth(1).unwrap_or("0").to_string())
        })
        .unwrap_or_else(|| "0".to_string())
}

/// The machine's load average over the last minute, five and fifteen (`uptime`).
fn load() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map(|s| s.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_else(|_| "unknown".to_string())
}

/// Runs one import in this (child) process and prints: seconds, peak memory in KB, the counts.
fn child_import(file: &Path, db: &Path) {
    use clap::Parser;
    let cli =
        engage::cli::Cli::try_parse_from(["engage", "recruit", "import", file.to_str().unwrap(), "--format", "json"])
            .unwrap();
    let env = engage::Env::pinned(db, TODAY);
    let mut out = Vec::new();
    let mut err = Vec::new();
    let started = Instant::now();
    let result = engage::run(cli, &env, &mut out, &mut err, &mut engage::prompt::ScriptedPrompter::default());
    let seconds = started.elapsed().as_secs_f64();
    if let Err(e) = result {
        eprintln!("{e}");
        std::process::exit(1);
    }
    let report: serde_json::Value = serde_json::from_slice(&out).unwrap();
    let peak = peak_kb();
    println!(
        "{seconds} {peak} new {} updated {} unchanged {} repeated {} rejected {}",
        report["new"], report["updated"], report["unchanged"], report["duplicates"], report["rejected"]
    );
}

fn cores() -> usize {
    std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1)
}

fn cpu_model() -> String {
    std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("model name"))
                .map(|l| l.split(':').nth(1).unwrap_or("").trim().to_string())
        })
        .unwrap_or_else(|| "unknown CPU".to_string())
}
