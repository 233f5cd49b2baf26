//! The kill test of the sign-up import, full size.
//!
//! `cargo build --release && cargo run --release --example kill_import -- [ROWS] [--kills N] [--seed S] [--dir DIR] [--engage PATH]`
//!
//! Generates a sign-up export of ROWS rows (default 200,000; the generator of `bench_import`),
//! imports an earlier export into a network, then starts `engage recruit import` on the big file
//! and kills it with SIGKILL at N (default 50) seeded random moments. After each kill `engage db
//! check` must pass and the database must hold all of the file's accepted rows or none of them
//! (see `examples/common/crash.rs`). The `engage` killed is the one beside this example's folder
//! (`target/release/engage` for a release run) unless `--engage` names another.
//! `cargo test` runs the same code with 5 kills on 20,000 rows (`tests/cli/faults.rs`).

#![allow(clippy::print_stdout, clippy::print_stderr, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

#[path = "common/crash.rs"]
mod crash;
#[path = "common/flags.rs"]
mod flags;
#[path = "common/pinned.rs"]
mod pinned;
#[path = "common/signups.rs"]
mod signups;

fn main() {
    let flags = flags::Flags::read(&["--kills", "--seed", "--dir", "--engage"]);
    let rows: u64 = flags
        .size
        .as_deref()
        .map_or(200_000, |n| n.parse().unwrap_or_else(|_| flags::stop("ROWS is a number of rows")));
    let kills: u32 = flags.number("--kills", 50);
    let seed: u64 = flags.number("--seed", 7);
    let engage = flags.engage();
    let temp = tempfile::tempdir().unwrap();
    let dir = flags.path("--dir").unwrap_or_else(|| temp.path().to_path_buf());
    println!(
        "engage kill test: {} kills of `engage recruit import` on {} sign-ups, seed {seed}, {}",
        kills,
        engage::domain::text::group(rows),
        engage.display()
    );
    let setup = crash::Setup { engage, dir, rows, kills, seed };
    let mut log = |line: &str| println!("{line}");
    match crash::run(&setup, &mut log) {
        Ok(f) => {
            println!(
                "undisturbed import: {} rows in {:.2} s into a network of {} partners: {} new, {} updated, {} rejected",
                engage::domain::text::group(f.rows),
                f.import_seconds,
                engage::domain::text::group(f.baseline_partners as u64),
                engage::domain::text::group(f.new as u64),
                engage::domain::text::group(f.updated as u64),
                engage::domain::text::group(f.rejected as u64)
            );
            println!(
                "{} kills ({} while the import ran): db check passed {} times; the import left nothing {} times and everything {} times; never anything in between",
                f.kills, f.killed_running, f.checks_passed, f.left_none, f.left_all
            );
        }
        Err(e) => {
            eprintln!("FAILED: {e}");
            std::process::exit(1);
        }
    }
}
