//! A team on one network (SPEC §9): four coordinators, each a run of the real `engage` binary one
//! command after another, writing and reading at the same moments on one database, usually a
//! PostgreSQL server.
//!
//! Each coordinator records requests, adds partners, checks in with the two partners of a running
//! engagement and reads the morning reminder and the summary. Coordinators 1 and 2 also take the
//! same decisions at the same moment, round after round: both select for the same two seats of a
//! new request (one is decided, the other refused), then both pay the same partner (one payment,
//! the other refused). Afterwards every write is looked for in a copy of the network (`engage db
//! copy`, which checks the copy against the original), and `engage db check` must pass.
//!
//! Shared by `#[path]` between `examples/team.rs` (the full run) and
//! `tests/cli/server/concurrent.rs` (a few seconds of it).

use super::pinned;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Barrier, Mutex};
use std::time::{Duration, Instant};

pub struct Setup {
    pub engage: PathBuf,
    /// The network: `postgres://…` (with its password, or `PGPASSWORD` set) or a file.
    pub db: String,
    /// For the coordinators' homes and the copy.
    pub dir: PathBuf,
    pub seconds: f64,
}

/// What the run did and what was found afterwards.
#[derive(Debug, Default, Clone)]
pub struct Figures {
    pub seconds: f64,
    /// Every command run, and the writes among them.
    pub commands: u32,
    pub writes: u32,
    /// Commands that did not end as they should, with what they said.
    pub failures: Vec<String>,
    /// Outputs that show a lock, a serialization failure, a deadlock or engage's "run it again".
    pub conflicts_shown: u32,
    /// Rounds of the same decision at the same moment, and those that ended as they must: one
    /// decided, the other refused with its sentence; one payment, the other refused.
    pub rounds: u32,
    pub decisions_refused: u32,
    pub payments_refused: u32,
    /// Writes made, and found afterwards.
    pub requests: usize,
    pub requests_found: usize,
    pub partners: usize,
    pub partners_found: usize,
    pub checkins: usize,
    pub checkins_found: usize,
    /// Conflict rounds whose request holds exactly two selected and one payment afterwards.
    pub rounds_whole: u32,
    pub db_check_passed: bool,
}

impl Figures {
    /// Whether nothing was lost, nobody saw a conflict and every round was refused as it must be.
    pub fn whole(&self) -> bool {
        self.failures.is_empty()
            && self.conflicts_shown == 0
            && self.requests_found == self.requests
            && self.partners_found == self.partners
            && self.checkins_found == self.checkins
            && self.decisions_refused == self.rounds
            && self.payments_refused == self.rounds
            && self.rounds_whole == self.rounds
            && self.db_check_passed
    }
}

/// What one coordinator wrote, to be looked for afterwards.
#[derive(Default)]
struct Wrote {
    requests: Vec<String>,
    partners: Vec<String>,
    checkins: Vec<String>,
    /// The conflict rounds' requests.
    rounds: Vec<i64>,
}

#[derive(Default)]
struct Tally {
    commands: u32,
    writes: u32,
    failures: Vec<String>,
    conflicts_shown: u32,
    decisions_refused: u32,
    payments_refused: u32,
}

struct Team<'a> {
    setup: &'a Setup,
    tally: Mutex<Tally>,
}

impl Team<'_> {
    fn command(&self, who: u32) -> Command {
        let home = self.setup.dir.join(format!("home-{who}"));
        let mut cmd = pinned::engage(&self.setup.engage, Path::new(&self.setup.db), &home);
        cmd.env("ENGAGE_COORDINATOR", format!("Coordinator {who}"));
        if let Some(password) = std::env::var_os("PGPASSWORD") {
            cmd.env("PGPASSWORD", password);
        }
        cmd
    }

    /// Runs one command for coordinator `who`; counts it, and what it showed.
    fn run(&self, who: u32, write: bool, args: &[&str]) -> Output {
        let out = self.command(who).args(args).output().unwrap_or_else(|e| Output {
            status: std::os::unix::process::ExitStatusExt::from_raw(1 << 8),
            stdout: Vec::new(),
            stderr: format!("cannot start {}: {e}", self.setup.engage.display()).into_bytes(),
        });
        let said = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
        let lower = said.to_lowercase();
        let mut tally = self.tally.lock().unwrap_or_else(|e| e.into_inner());
        tally.commands += 1;
        if write {
            tally.writes += 1;
        }
        if ["serializ", "deadlock", "locked", "busy", "run the command again", "could not"]
            .iter()
            .any(|w| lower.contains(w))
        {
            tally.conflicts_shown += 1;
        }
        out
    }

    /// The same, insisting it succeeded.
    fn ok(&self, who: u32, write: bool, args: &[&str]) -> Option<String> {
        let out = self.run(who, write, args);
        if out.status.success() {
            return Some(String::from_utf8_lossy(&out.stdout).into_owned());
        }
        self.fail(format!("coordinator {who}: engage {args:?} exited {:?}: {}", out.status.code(), said(&out)));
        None
    }

    fn fail(&self, what: String) {
        self.tally.lock().unwrap_or_else(|e| e.into_inner()).failures.push(what);
    }
}

fn said(out: &Output) -> String {
    format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr)).trim_end().to_string()
}

/// Runs the four coordinators for the time given and looks for every write afterwards.
pub fn run(setup: &Setup) -> Result<Figures, String> {
    std::fs::create_dir_all(&setup.dir).map_err(|e| format!("cannot create {}: {e}", setup.dir.display()))?;
    let team = Team { setup, tally: Mutex::new(Tally::default()) };
    engagement(&team)?;
    let started = Instant::now();
    let deadline = started + Duration::from_secs_f64(setup.seconds);
    let pair = Barrier::new(2);
    let stop = AtomicBool::new(false);
    let wrote: Vec<Wrote> = std::thread::scope(|s| {
        let (team, pair, stop) = (&team, &pair, &stop);
        let handles: Vec<_> = (1..=4u32)
            .map(|who| {
                s.spawn(move || {
                    let mut wrote = Wrote::default();
                    let mut n = 0u32;
                    loop {
                        if who <= 2 {
                            // The pair stops together: the first says when the time is up.
                            pair.wait();
                            if who == 1 && Instant::now() >= deadline {
                                stop.store(true, Ordering::SeqCst);
                            }
                            pair.wait();
                            if stop.load(Ordering::SeqCst) {
                                break;
                            }
                            round(team, who, pair, &mut wrote);
                        } else if Instant::now() >= deadline {
                            break;
                        }
                        for _ in 0..3 {
                            n += 1;
                            mixed(team, who, n, &mut wrote);
                        }
                    }
                    wrote
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap_or_default()).collect()
    });
    let seconds = started.elapsed().as_secs_f64();
    let check = team.run(0, false, &["db", "check"]);
    let tally = team.tally.into_inner().unwrap_or_else(|e| e.into_inner());
    let mut f = Figures {
        seconds,
        commands: tally.commands,
        writes: tally.writes,
        failures: tally.failures,
        conflicts_shown: tally.conflicts_shown,
        decisions_refused: tally.decisions_refused,
        payments_refused: tally.payments_refused,
        db_check_passed: check.status.success(),
        ..Figures::default()
    };
    if !f.db_check_passed {
        f.failures.push(format!("db check: {}", said(&check)));
    }
    found(setup, &wrote, &mut f)?;
    Ok(f)
}

/// Ana (1) and Bo (2) selected for an engagement under way (request 1), and four more partners
/// (3 to 6) for the rounds.
fn engagement(team: &Team<'_>) -> Result<(), String> {
    let mut steps: Vec<Vec<String>> = Vec::new();
    for (first, last) in
        [("Ana", "Silva"), ("Bo", "Chen"), ("Cy", "Li"), ("Di", "Roy"), ("Ed", "Park"), ("Fay", "Khan")]
    {
        let email = format!("{}@example.org", first.to_lowercase());
        steps.push(
            ["recruit", "add", "--first", first, "--last", last, "--email", &email, "--consent"]
                .map(String::from)
                .to_vec(),
        );
    }
    steps.push(request_args("Discharge co-design"));
    steps.push(["recruit", "respond", "1", "1", "--interested"].map(String::from).to_vec());
    steps.push(["recruit", "respond", "1", "2", "--interested"].map(String::from).to_vec());
    steps.push(["select", "decide", "1", "--select", "1,2"].map(String::from).to_vec());
    for args in &steps {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let out = team.run(0, true, &args);
        if !out.status.success() {
            return Err(format!("engage {args:?} failed: {}", said(&out)));
        }
    }
    Ok(())
}

fn request_args(title: &str) -> Vec<String> {
    [
        "request",
        "new",
        "--title",
        title,
        "--org",
        "Fraser Health",
        "--contact-name",
        "Lee Wong",
        "--contact-email",
        "lee.wong@example.org",
        "--way",
        "consult",
        "--seats",
        "2",
    ]
    .map(String::from)
    .to_vec()
}

/// One of a coordinator's everyday steps, by turns: a request, a partner, a check-in, the reports.
fn mixed(team: &Team<'_>, who: u32, n: u32, wrote: &mut Wrote) {
    match n % 4 {
        0 => {
            let title = format!("Team {who}-{n}");
            let args = request_args(&title);
            let args: Vec<&str> = args.iter().map(String::as_str).collect();
            if team.ok(who, true, &args).is_some() {
                wrote.requests.push(title);
            }
        }
        1 => {
            let email = format!("team.{who}.{n}@example.org");
            let last = format!("Team{who}x{n}");
            if team.ok(who, true, &["recruit", "add", "--first", "Sam", "--last", &last, "--email", &email]).is_some() {
                wrote.partners.push(email);
            }
        }
        2 => {
            let note = format!("team {who}-{n}");
            let partner = if n % 8 == 2 { "1" } else { "2" };
            let args = ["checkin", "1", "--partner", partner, "--status", "good", "--hours", "0.25", "--note", &note];
            if team.ok(who, true, &args).is_some() {
                wrote.checkins.push(note);
            }
        }
        _ => {
            team.ok(who, false, &["report", "reminders"]);
            team.ok(who, false, &["report", "summary", "--format", "json"]);
        }
    }
}

/// One round of the pair (coordinators 1 and 2): the same seats, then the same payment, at the
/// same moment.
fn round(team: &Team<'_>, who: u32, pair: &Barrier, wrote: &mut Wrote) {
    // Coordinator 1 sets the round up and says its request; the one whose decision was taken
    // says whom it selected first, for the payment.
    static REQUEST: Mutex<i64> = Mutex::new(0);
    static PARTNER: Mutex<i64> = Mutex::new(0);
    if who == 1 {
        let title = format!("Round {}", wrote.rounds.len() + 1);
        let args = request_args(&title);
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let id = team.ok(who, true, &args).and_then(|out| out.trim().parse::<i64>().ok()).unwrap_or(0);
        for p in ["3", "4", "5", "6"] {
            team.ok(who, true, &["recruit", "respond", &id.to_string(), p, "--interested"]);
        }
        *REQUEST.lock().unwrap_or_else(|e| e.into_inner()) = id;
    }
    pair.wait();
    let id = *REQUEST.lock().unwrap_or_else(|e| e.into_inner());
    let req = id.to_string();
    let mine = if who == 1 { "3,4" } else { "5,6" };
    let decided = team.run(who, true, &["select", "decide", &req, "--select", mine]);
    pair.wait();
    let refused_as_it_must = |out: &Output, sentence: &str| {
        out.status.code() == Some(1) && String::from_utf8_lossy(&out.stderr).starts_with(sentence)
    };
    let decision_sentence = format!("engage: error: request {id} was decided on ");
    if decided.status.success() {
        if who == 1 {
            wrote.rounds.push(id);
        }
        // The winner checks in with the first partner it selected, who is then paid.
        let first = &mine[..1];
        team.ok(who, true, &["checkin", &req, "--partner", first, "--status", "good", "--hours", "1"]);
        *PARTNER.lock().unwrap_or_else(|e| e.into_inner()) = first.parse().unwrap_or(0);
    } else if refused_as_it_must(&decided, &decision_sentence) {
        if who == 1 {
            wrote.rounds.push(id);
        }
        team.tally.lock().unwrap_or_else(|e| e.into_inner()).decisions_refused += 1;
    } else {
        team.fail(format!("coordinator {who}: the same seats: exited {:?}: {}", decided.status.code(), said(&decided)));
    }
    pair.wait();
    let partner = PARTNER.lock().unwrap_or_else(|e| e.into_inner()).to_string();
    let paid = team.run(who, true, &["close", "pay", &req, &partner, "--method", "cheque"]);
    let payment_sentence = format!("engage: error: partner {partner} was already paid ");
    if refused_as_it_must(&paid, &payment_sentence) {
        team.tally.lock().unwrap_or_else(|e| e.into_inner()).payments_refused += 1;
    } else if !paid.status.success() {
        team.fail(format!("coordinator {who}: the same payment: exited {:?}: {}", paid.status.code(), said(&paid)));
    }
    pair.wait();
}

/// Looks for every write in a copy of the network.
fn found(setup: &Setup, wrote: &[Wrote], f: &mut Figures) -> Result<(), String> {
    let copy = setup.dir.join("team-copy.db");
    let _ = std::fs::remove_file(&copy);
    let team = Team { setup, tally: Mutex::new(Tally::default()) };
    let out = team.run(0, false, &["db", "copy", &setup.db, &copy.to_string_lossy()]);
    if !out.status.success() {
        return Err(format!("db copy of the network failed: {}", said(&out)));
    }
    let conn = rusqlite::Connection::open(&copy).map_err(|e| e.to_string())?;
    let column = |sql: &str| -> Result<Vec<String>, String> {
        let mut stmt = conn.prepare(sql).map_err(|e| e.to_string())?;
        let rows = stmt.query_map([], |r| r.get::<_, String>(0)).map_err(|e| e.to_string())?;
        rows.collect::<Result<Vec<_>, _>>().map_err(|e| e.to_string())
    };
    let titles = column("SELECT title FROM request")?;
    let emails = column("SELECT coalesce(email, '') FROM partner")?;
    let notes = column("SELECT coalesce(note, '') FROM checkin")?;
    for w in wrote {
        f.requests += w.requests.len();
        f.requests_found += w.requests.iter().filter(|t| titles.contains(t)).count();
        f.partners += w.partners.len();
        f.partners_found += w.partners.iter().filter(|e| emails.contains(e)).count();
        f.checkins += w.checkins.len();
        f.checkins_found += w.checkins.iter().filter(|n| notes.contains(n)).count();
        for id in &w.rounds {
            f.rounds += 1;
            let count = |sql: &str| -> Result<i64, String> {
                conn.query_row(sql, [id], |r| r.get(0)).map_err(|e| e.to_string())
            };
            let selected = count("SELECT count(*) FROM decision WHERE request_id = ?1 AND outcome = 'selected'")?;
            let paid = count("SELECT count(*) FROM compensation WHERE request_id = ?1 AND paid_on IS NOT NULL")?;
            if selected == 2 && paid == 1 {
                f.rounds_whole += 1;
            } else {
                f.failures.push(format!("round request {id}: {selected} selected and {paid} payments afterwards"));
            }
        }
    }
    Ok(())
}
