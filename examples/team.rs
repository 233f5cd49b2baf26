//! A team on one network, full length: four coordinators writing and reading at once on one
//! PostgreSQL server (or a file).
//!
//! `cargo build --release && cargo run --release --example team -- [SECONDS] --db URL [--dir DIR] [--engage PATH]`
//!
//! URL names a database of its own that holds no network yet (`CREATE DATABASE engage_team OWNER
//! engage`), its password in the URL or in `PGPASSWORD`; a file path runs the same on a file. For
//! SECONDS (default 60), four coordinators run the real `engage` binary one command after another
//! (see `examples/common/team.rs`): requests, partners, check-ins and the reports, while two of
//! them take the same decision at the same moment, round after round. Then every write is looked
//! for. The `engage` run is the one beside this example's folder (`target/release/engage` for a
//! release run) unless `--engage` names another. `cargo test` runs the same code for a few seconds
//! on the test server (`tests/cli/server/concurrent.rs`).

#![allow(clippy::print_stdout, clippy::print_stderr, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

#[path = "common/flags.rs"]
#[allow(dead_code)]
mod flags;
#[path = "common/pinned.rs"]
mod pinned;
#[path = "common/team.rs"]
mod team;

fn main() {
    let flags = flags::Flags::read(&["--db", "--dir", "--engage"]);
    let seconds: f64 = flags
        .size
        .as_deref()
        .map_or(60.0, |n| n.parse().unwrap_or_else(|_| flags::stop("SECONDS is a number of seconds")));
    let db = flags
        .path("--db")
        .unwrap_or_else(|| flags::stop("--db names the network: a new database on a server (postgres://…) or a file"));
    let engage = flags.engage();
    let temp = tempfile::tempdir().unwrap();
    let dir = flags.path("--dir").unwrap_or_else(|| temp.path().to_path_buf());
    let db = db.to_string_lossy().into_owned();
    let shown = match engage::db::pg::Location::of(std::path::Path::new(&db)) {
        Ok(engage::db::pg::Location::Server(address)) => address.to_string(),
        Ok(engage::db::pg::Location::File(path)) => path.display().to_string(),
        Err(e) => flags::stop(&e.to_string()),
    };
    println!("engage team run: four coordinators for {seconds} s on {shown}, {}", engage.display());
    let setup = team::Setup { engage, db, dir, seconds };
    let f = team::run(&setup).unwrap_or_else(|e| {
        eprintln!("FAILED: {e}");
        std::process::exit(1);
    });
    println!(
        "{:.1} s: {} commands ({} writes, {:.1} commands/s); {} failed, {} showed a lock or conflict",
        f.seconds,
        f.commands,
        f.writes,
        f64::from(f.commands) / f.seconds,
        f.failures.len(),
        f.conflicts_shown
    );
    println!(
        "the same decision at the same moment, {} rounds: {} second decisions refused, {} second payments refused, {} rounds with 2 selected and 1 payment",
        f.rounds, f.decisions_refused, f.payments_refused, f.rounds_whole
    );
    println!(
        "afterwards: {} of {} requests, {} of {} partners, {} of {} check-ins found; db check {}",
        f.requests_found,
        f.requests,
        f.partners_found,
        f.partners,
        f.checkins_found,
        f.checkins,
        if f.db_check_passed { "passed" } else { "FAILED" }
    );
    for failure in f.failures.iter().take(5) {
        println!("failure: {}", failure.trim_end());
    }
    if f.failures.len() > 5 {
        println!("… and {} more failures", f.failures.len() - 5);
    }
    if !f.whole() {
        std::process::exit(1);
    }
}
