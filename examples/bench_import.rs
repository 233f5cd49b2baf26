//! The sign-up import benchmark.
//!
//! `cargo run --release --example bench_import -- [ROWS] [--seed S] [--dir DIR]`
//!
//! Writes a realistic sign-up export of ROWS rows (default 1,000,000) with the generator in
//! `examples/common/signups.rs`: shaped like a Google Forms / Excel download, about 3%
//! re-submissions of an earlier person (the same address but for case, spaces or a tab) and about
//! 1% bad rows (blank or malformed e-mail, impossible date). Same ROWS and seed, same bytes.
//!
//! It then imports the file into a fresh database, and imports it again, each time in a child
//! process of its own so that the peak memory printed (VmHWM) is the import's alone, and prints
//! rows per second. With --dir the file and the database are kept there.

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
    let mut rows: u64 = 1_000_000;
    let mut seed: u64 = 7;
    let mut dir: Option<PathBuf> = None;
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
    println!("machine: {} cores, {}", cores(), cpu_model());
    for pass in ["first import", "re-import"] {
        let out = std::process::Command::new(std::env::current_exe().unwrap())
            .arg("--child-import")
            .arg(&file)
            .arg(&db)
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
        println!(
            "{pass:>12}: {:>9} rows/s  ({} rows in {:.2} s, peak memory {:.0} MB) {summary}",
            group((rows as f64 / seconds) as u64),
            group(rows),
            seconds,
            peak_kb as f64 / 1024.0
        );
    }
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
    let peak = std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines().find(|l| l.starts_with("VmHWM:")).map(|l| l.split_whitespace().nth(1).unwrap_or("0").to_string())
        })
        .unwrap_or_else(|| "0".to_string());
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
