//! Faults: an import killed at random moments.

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
