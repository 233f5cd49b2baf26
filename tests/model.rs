//! The derived tables cannot drift (issue 12, item 3): seeded random walks of real operations on
//! small networks, through the real command line in process, with `engage db check` after every
//! step and the reports held against a recomputation from scratch and against plain SQL (see
//! `examples/common/model.rs`, which `examples/model_walk.rs` runs for longer).
//!
//! An integration target of its own rather than a module of `tests/cli`: it compiles in seconds
//! beside that target's minute, and its walks share the machine's cores with each other only.
//! `ENGAGE_MODEL_SEED` starts the seeds elsewhere and `ENGAGE_MODEL_STEPS` changes the steps of
//! each walk, to try other sequences.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::print_stderr)]

#[path = "../examples/common/model.rs"]
mod model;

use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

/// Walks of this many steps each, one per seed: over 10,000 steps in all.
const WALKS: u64 = 8;
const STEPS: usize = 1_300;
/// The reports are compared in full every this many steps (and at each walk's end); `db check`
/// runs after every step.
const FULL_EVERY: usize = 10;

fn number(name: &str, default: u64) -> u64 {
    std::env::var(name).ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

#[test]
fn the_derived_tables_and_the_reports_equal_a_recomputation_after_every_step_of_random_walks() {
    let first = number("ENGAGE_MODEL_SEED", 1);
    let steps = number("ENGAGE_MODEL_STEPS", STEPS as u64) as usize;
    let seeds: Vec<u64> = (first..first + WALKS).collect();
    let next = AtomicUsize::new(0);
    let results: Mutex<Vec<Result<model::Figures, Box<model::Failure>>>> = Mutex::new(Vec::new());
    let threads = std::thread::available_parallelism().map_or(2, |n| n.get()).min(seeds.len());
    std::thread::scope(|scope| {
        for _ in 0..threads {
            scope.spawn(|| {
                while let Some(&seed) = seeds.get(next.fetch_add(1, Ordering::SeqCst)) {
                    let dir = model::folder().unwrap();
                    let config = model::Config { full_every: FULL_EVERY, ..model::Config::new(seed, steps) };
                    let result = model::walk(dir.path(), &config);
                    results.lock().unwrap().push(result);
                }
            });
        }
    });
    let mut all = model::Figures::default();
    for result in results.into_inner().unwrap() {
        match result {
            Ok(figures) => all.add(&figures),
            Err(failure) => panic!("{failure}"),
        }
    }
    eprintln!("{} steps, {} refused\n{}", all.steps, all.refused(), all.table());
    if steps == STEPS {
        assert!(all.steps >= 10_000, "{} steps", all.steps);
    }
    // The walks did what they are for: every kind of operation ran and was done at least once
    // (a generator that engage now always refuses would test nothing), and invalid ones came up.
    for (kind, (ran, refused)) in &all.kinds {
        assert!(ran > refused, "every `{kind}` was refused:\n{}", all.table());
    }
    assert_eq!(all.kinds.len(), model::KINDS.len(), "not every kind of operation ran:\n{}", all.table());
    assert!(all.invalid >= all.steps / 50, "{} invalid operations in {} steps", all.invalid, all.steps);
    assert!(all.full_checks >= all.steps / FULL_EVERY, "{} full checks", all.full_checks);
}
