//! How fast `engage message` goes: 1,000 candidates who answered one request, two selected and
//! the rest not, and the outcome told to each of them, as printed drafts, as an outbox of .eml
//! files, and through an SMTP server on 127.0.0.1 (the tests' server, tests/cli/smtp_sink.rs),
//! every message logged before and after the server's answer.
//!
//!     cargo run --release --example bench_messages [-- --messages N]

#![allow(clippy::print_stdout, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

#[path = "../tests/cli/smtp_sink.rs"]
mod smtp_sink;

use engage::db::{Db, invitations, partners, selection};
use engage::domain::kinds::Response;
use engage::domain::partner::Partner;
use engage::domain::selection::Outcome;
use engage::prompt::ScriptedPrompter;
use engage::{Env, Exit};
use std::path::Path;
use std::process::ExitCode;
use std::time::{Duration, Instant};

const TODAY: &str = "2026-11-23";

fn engage(db: &Path, args: &[&str]) -> (Exit, Duration) {
    use clap::Parser;
    let cli = engage::cli::Cli::try_parse_from(std::iter::once("engage").chain(args.iter().copied())).unwrap();
    let env = Env::pinned(db, TODAY);
    let (mut out, mut err) = (Vec::new(), Vec::new());
    let started = Instant::now();
    let exit = engage::run(cli, &env, &mut out, &mut err, &mut ScriptedPrompter::new(std::iter::empty::<&str>()));
    let took = started.elapsed();
    match exit {
        Ok(exit) => (exit, took),
        Err(e) => panic!("engage {args:?}: {e}\n{}", String::from_utf8_lossy(&err)),
    }
}

fn fill(db: &Path, n: usize) {
    engage(
        db,
        &[
            "request",
            "new",
            "--title",
            "Discharge co-design",
            "--org",
            "Fraser Health",
            "--contact-name",
            "Lee Wong",
            "--contact-email",
            "lee.wong@example.org",
            "--way",
            "collaborate",
            "--hours",
            "40",
            "--starts",
            "2027-01-10",
            "--ends",
            "2027-06-30",
        ],
    );
    let first = ["Ana", "Chloé", "José", "Léa", "Mateo", "Nadia", "Priya", "Zoë"];
    let last = ["Silva", "Côté", "Nuñez", "Tremblay", "Nguyen", "Okafor"];
    let mut db = Db::open(db).unwrap();
    db.write(|tx| {
        let day = chrono::NaiveDate::from_ymd_opt(2026, 11, 20).unwrap();
        for i in 0..n {
            let partner = Partner {
                first_name: Some(first[i % first.len()].to_string()),
                last_name: Some(last[i % last.len()].to_string()),
                email: Some(format!("partner{i}@example.org")),
                consent: true,
                ..Partner::default()
            };
            let id = partners::insert(tx, &partner)?;
            let answer = invitations::Answer {
                response: Response::Interested,
                on: day,
                statement: None,
                availability: None,
                conflict: None,
            };
            invitations::respond(tx, 1, id, &answer)?;
            let outcome = if i < 2 { Outcome::Selected } else { Outcome::NotSelected };
            selection::decide(tx, 1, id, outcome, None, day)?;
        }
        Ok(())
    })
    .unwrap();
}

fn main() -> ExitCode {
    let mut args = std::env::args().skip(1);
    let mut n = 1000usize;
    while let Some(arg) = args.next() {
        match (arg.as_str(), args.next().and_then(|v| v.parse().ok())) {
            ("--messages", Some(v)) if v > 0 => n = v,
            _ => {
                println!("bench_messages: use [--messages N]");
                return ExitCode::from(2);
            }
        }
    }
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("engage.db");
    fill(&db, n);
    let sink = smtp_sink::Sink::start(smtp_sink::Behaviour::default());
    for (key, value) in [
        ("smtp_host", "127.0.0.1".to_string()),
        ("smtp_port", sink.port().to_string()),
        ("smtp_security", "none".to_string()),
        ("smtp_from", "pvn@example.org".to_string()),
    ] {
        engage(&db, &["config", "set", key, &value]);
    }
    println!("{n} candidates answered request 1; the outcome to each of them:");
    let (_, drafts) = engage(&db, &["message", "outcome", "1", "--format", "json"]);
    println!("  drafts printed (json):      {:>8.1} ms", drafts.as_secs_f64() * 1000.0);
    let outbox = dir.path().join("outbox");
    let (_, written) = engage(&db, &["message", "outcome", "1", "--outbox", outbox.to_str().unwrap()]);
    println!("  outbox, one .eml each:      {:>8.1} ms", written.as_secs_f64() * 1000.0);
    let (exit, sent) = engage(&db, &["message", "outcome", "1", "--send", "--again"]);
    assert_eq!(exit, Exit::Done);
    let received = sink.received().len();
    assert_eq!(received, n, "the server received every message");
    println!(
        "  sent by SMTP (127.0.0.1):   {:>8.1} ms  ({:.2} ms a message, {:.0} messages a second)",
        sent.as_secs_f64() * 1000.0,
        sent.as_secs_f64() * 1000.0 / n as f64,
        n as f64 / sent.as_secs_f64()
    );
    ExitCode::SUCCESS
}
