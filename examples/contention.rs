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
#[path = "common/flags.rs"]
mod flags;
#[path = "common/pinned.rs"]
mod pinned;
#[path = "common/signups.rs"]
mod signups;

fn main() {
    let flags = flags::Flags::read(&["--rows", "--seed", "--dir", "--engage"]);
    let seconds: f64 = flags
        .size
        .as_deref()
        .map_or(30.0, |n| n.parse().unwrap_or_else(|_| flags::stop("SECONDS is a number of seconds")));
    let rows: u64 = flags.number("--rows", 100_000);
    let seed: u64 = flags.number("--seed", 7);
    let engage = flags.engage();
    let temp = tempfile::tempdir().unwrap();
    let dir = flags.path("--dir").unwrap_or_else(|| temp.path().to_path_buf());
    println!(
        "engage contention test: {seconds} s of imports ({} rows each), check-ins and `report reminders` on one file, {}",
        engage::domain::text::group(rows),
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
        engage::domain::text::group(f.rows_imported),
        f.checkins,
        f.reports,
        f.failures.len(),
        f.locked
    );
    println!(
        "afterwards: {} of {} check-ins found; {} partners added by the imports, {} found; db check {}",
        f.checkins_found,
        f.checkins,
        engage::domain::text::group(f.partners_added as u64),
        engage::domain::text::group(f.partners_found as u64),
        if f.db_check_passed { "passed" } else { "FAILED" }
    );
    println!("longest wait: a check-in {:.2} s, a report {:.2} s", f.longest_checkin, f.longest_report);
    for failure in f.failures.iter().take(5) {
        println!("failure: {}", failure.trim_end());
    }
    if f.failures.len() > 5 {
        println!("… and {} more failures", f.failures.len() - 5);
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
