//! The contention test, full length: two writers and a reader on one database file.
//!
//! `cargo build --release && cargo run --release --example contention -- [SECONDS] [--rows N] [--seed S] [--dir DIR] [--engage PATH]`
//!
//! For SECONDS (default 30), sign-up imports of N rows each (default 100,000), check-ins and the
//! morning reminder run side by side on one network (see `examples/common/contention.rs`); then
//! every write is looked for. The `engage` run is the one beside this example's folder
//! (`target/release/engage` for a release run) unless `--engage` names another.
//! `cargo test` runs the same code for a few seconds (`tests/cli/faults.rs`).

#![allow(clippy::print_stdout, clippy::print_stderr, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

#[path = "common/contention.rs"]
mod contention;
#[path = "common/signups.rs"]
mod signups;

use std::path::PathBuf;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let mut seconds: f64 = 30.0;
    let mut rows: u64 = 100_000;
    let mut seed: u64 = 7;
    let mut dir: Option<PathBuf> = None;
    let mut engage: Option<PathBuf> = None;
    let mut rest = args.iter().skip(1);
    while let Some(arg) = rest.next() {
        let mut value = || rest.next().cloned().unwrap_or_else(|| panic!("{arg} takes a value"));
        match arg.as_str() {
            "--rows" => rows = value().replace([',', '_'], "").parse().expect("--rows takes a number"),
            "--seed" => seed = value().parse().expect("--seed takes a number"),
            "--dir" => dir = Some(PathBuf::from(value())),
            "--engage" => engage = Some(PathBuf::from(value())),
            n => seconds = n.parse().expect("SECONDS is a number of seconds"),
        }
    }
    // target/<profile>/examples/contention → target/<profile>/engage
    let engage = engage.unwrap_or_else(|| {
        let exe = std::env::current_exe().unwrap();
        exe.parent().and_then(|p| p.parent()).unwrap().join("engage")
    });
    if !engage.exists() {
        eprintln!("{} does not exist; build it first (cargo build --release) or pass --engage PATH", engage.display());
        std::process::exit(2);
    }
    let temp = tempfile::tempdir().unwrap();
    let dir = dir.unwrap_or_else(|| temp.path().to_path_buf());
    println!(
        "engage contention test: {seconds} s of imports ({} rows each), check-ins and `report reminders` on one file, {}",
        signups::group(rows),
        engage.display()
    );
    let setup = contention::Setup { engage, dir, seconds, import_rows: rows, seed };
    let f = contention::run(&setup).unwrap_or_else(|e| {
        eprintln!("FAILED: {e}");
        std::process::exit(1);
    });
    println!(
        "{:.1} s: {} imports ({} rows), {} check-ins, {} reminder reports; {} failed, {} said \"locked\" or \"busy\"",
        f.seconds,
        f.imports,
        signups::group(f.rows_imported),
        f.checkins,
        f.reports,
        f.failures.len(),
        f.locked
    );
    println!(
        "afterwards: {} of {} check-ins found; {} partners added by the imports, {} found; db check {}",
        f.checkins_found,
        f.checkins,
        signups::group(f.partners_added as u64),
        signups::group(f.partners_found as u64),
        if f.db_check_passed { "passed" } else { "FAILED" }
    );
    println!("longest wait: a check-in {:.2} s, a report {:.2} s", f.longest_checkin, f.longest_report);
    for failure in &f.failures {
        println!("failure: {failure}");
    }
    let whole = f.failures.is_empty()
        && f.locked == 0
        && f.checkins_found == f.checkins
        && f.partners_found == f.partners_added
        && f.db_check_passed;
    if !whole {
        std::process::exit(1);
    }
}
