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

/// The walk can fail: a derived table changed by hand between two steps, each of the four in
/// turn, is caught by the next `db check`, and the reports no longer equal the ones worked out
/// from scratch (or plain SQL). A walker whose checks pass whatever the tables hold would not.
#[test]
fn the_walk_catches_each_derived_table_corrupted_by_hand() {
    let corruptions = [
        ("a reminder gone", "DELETE FROM reminder WHERE rowid = (SELECT max(rowid) FROM reminder)"),
        (
            "a request's tally with one invitation too many",
            "UPDATE request_tally SET invited = invited + 1 WHERE request_id = (SELECT min(request_id) FROM request_tally)",
        ),
        (
            "an account with an hour too many",
            "UPDATE account_tally SET hours = hours + 100 \
             WHERE (request_id, partner_id) = (SELECT a.request_id, a.partner_id FROM account_tally a \
             JOIN request_tally t ON t.request_id = a.request_id WHERE t.status != 'cancelled' AND t.selected > 0 \
             ORDER BY 1, 2 LIMIT 1)",
        ),
        (
            "partners counted once too often",
            "UPDATE partner_count SET partners = partners + 1 \
             WHERE (status, joined_on) = (SELECT status, joined_on FROM partner_count ORDER BY partners DESC LIMIT 1)",
        ),
    ];
    for (what, sql) in corruptions {
        let dir = model::folder().unwrap();
        let mut walk = model::Walk::new(dir.path(), 3).unwrap();
        for _ in 0..150 {
            let op = walk.next_op().unwrap();
            walk.apply(&op).unwrap();
            walk.check_db().unwrap();
        }
        walk.check_reports().unwrap();
        let conn = rusqlite::Connection::open(walk.db()).unwrap();
        assert_eq!(conn.execute(sql, []).unwrap(), 1, "{what}: no row to change");
        drop(conn);
        let found = walk.check_db().expect_err(what);
        assert!(found.contains("`engage db check` is not clean"), "{what}: {found}");
        let found = walk.check_reports().expect_err(what);
        assert!(found.contains("differs from") || found.contains("does not add up"), "{what}: {found}");
        eprintln!("{what}: {found}");
    }
}
