//! Faults and load: an import killed at random moments, two writers and a reader at once, a full
//! disk, a read-only file.

use crate::support::Network;
use std::path::PathBuf;

#[allow(dead_code)]
#[path = "../../examples/common/signups.rs"]
mod signups;

#[path = "../../examples/common/crash.rs"]
mod crash;

/// The kill test of `examples/kill_import.rs`, small: 5 kills of an import of 20,000 rows.
#[test]
fn an_import_killed_at_random_moments_leaves_all_of_its_rows_or_none() {
    let net = Network::new();
    let setup = crash::Setup {
        engage: PathBuf::from(env!("CARGO_BIN_EXE_engage")),
        dir: net.path("kills"),
        rows: 20_000,
        kills: 5,
        seed: 7,
    };
    let mut lines = Vec::new();
    let figures = crash::run(&setup, &mut |line| lines.push(line.to_string()))
        .unwrap_or_else(|broken| panic!("{broken}\n{}", lines.join("\n")));
    // What an undisturbed import of this file does to this network (the same seed, the same file).
    assert_eq!(
        (figures.baseline_partners, figures.new, figures.updated, figures.rejected),
        (1_927, 19_019, 127, 213),
        "{figures:?}"
    );
    assert_eq!(figures.kills, 5);
    assert_eq!(figures.checks_passed, 5, "{}", lines.join("\n"));
    assert_eq!(figures.left_none + figures.left_all, 5, "{}", lines.join("\n"));
}

#[path = "../../examples/common/contention.rs"]
mod contention;

/// The contention test of `examples/contention.rs`, short: imports, check-ins and the morning
/// reminder side by side on one file for a few seconds.
#[test]
fn two_writers_and_a_reader_never_meet_a_locked_database_and_lose_nothing() {
    let net = Network::new();
    let setup = contention::Setup {
        engage: PathBuf::from(env!("CARGO_BIN_EXE_engage")),
        dir: net.path("contention"),
        seconds: 4.0,
        import_rows: 5_000,
        seed: 7,
    };
    let f = contention::run(&setup).unwrap();
    assert_eq!(f.failures, Vec::<String>::new());
    assert_eq!(f.locked, 0);
    assert!(f.imports >= 1 && f.checkins >= 1 && f.reports >= 1, "{f:?}");
    assert_eq!(f.checkins_found, f.checkins, "{f:?}");
    assert!(f.partners_added > 0, "{f:?}");
    assert_eq!(f.partners_found, f.partners_added, "{f:?}");
    assert!(f.db_check_passed);
}
