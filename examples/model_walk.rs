//! The model-based walk of `tests/cli/model.rs`, full length: one long seeded sequence of real
//! operations on a small network, every step checked (see `examples/common/model.rs`).
//!
//! `cargo run --release --example model_walk -- --steps 200000 --seed N [--full-every K] [--walk STEPS] [--dir DIR]`
//!
//! The walk is cut into walks of `--walk` steps (default 2,000) on fresh networks, seeded from N
//! onwards, so that the network stays small (3 to 8 open requests, 12 to 40 partners) as the
//! issue asks; `--walk 0` makes it one walk. `db check` runs after every step; the reports are
//! compared with the recomputation from scratch and with plain SQL every K steps (default 1).
//! Prints the steps run, the operations by kind and how many were refused, and the time; on a
//! failure, the seed, the step and the operations that lead there, and exits 1.

#![allow(clippy::print_stdout, clippy::print_stderr, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

#[allow(dead_code)]
#[path = "common/flags.rs"]
mod flags;
#[path = "common/model.rs"]
mod model;

use std::time::Instant;

fn main() {
    let flags = flags::Flags::read(&["--steps", "--seed", "--full-every", "--walk", "--dir", "--reasons"]);
    let reasons = flags.number("--reasons", 0) != 0;
    let steps: usize = flags.number("--steps", 20_000);
    let seed: u64 = flags.number("--seed", 1);
    let full_every: usize = flags.number("--full-every", 1);
    let walk: usize = flags.number("--walk", 2_000);
    let walk = if walk == 0 { steps } else { walk };
    let kept = flags.path("--dir");
    let temp = model::folder().unwrap();
    let root = kept.unwrap_or_else(|| temp.path().to_path_buf());
    let started = Instant::now();
    let mut all = model::Figures::default();
    let mut done = 0;
    let mut n = 0;
    while done < steps {
        let this = walk.min(steps - done);
        let dir = root.join(format!("walk-{}", seed + n));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let config = model::Config { full_every, ..model::Config::new(seed + n, this) };
        match model::walk(&dir, &config) {
            Ok(figures) => all.add(&figures),
            Err(failure) => {
                eprintln!("{failure}");
                eprintln!("(the network is kept in {})", dir.display());
                std::mem::forget(temp);
                std::process::exit(1);
            }
        }
        done += this;
        n += 1;
        if n % 10 == 0 {
            eprintln!("{done} steps, {:.0} s", started.elapsed().as_secs_f64());
        }
    }
    let elapsed = started.elapsed();
    println!(
        "{} steps in {n} walks from seed {seed} ({} with the reports compared in full): {} operations refused, {} of \
         them built to be invalid; {:.1} s, {:.2} ms a step",
        all.steps,
        all.full_checks,
        all.refused(),
        all.invalid,
        elapsed.as_secs_f64(),
        elapsed.as_secs_f64() * 1000.0 / all.steps.max(1) as f64
    );
    println!(
        "the networks at their ends: {} requests, {} partners, {} reminders kept",
        all.requests, all.partners, all.reminders
    );
    print!("{}", all.table());
    if reasons {
        let mut by: Vec<(&String, &usize)> = all.reasons.iter().collect();
        by.sort_by(|a, b| b.1.cmp(a.1));
        println!("why operations were refused:");
        for (why, n) in by {
            println!("{n:>7}  {why}");
        }
    }
}
