//! The model-based walk of issue 12 (item 3): seeded random sequences of real operations on a
//! small network, each run through the real command line in process (`engage::run` with byte
//! buffers for its outputs and a scripted prompter), and after every step the derived tables
//! (`reminder`, `request_tally`, `account_tally`, `partner_count`) held against what the base tables say.
//!
//! Shared by `#[path]` between `tests/model.rs` (a few seeds, over 10,000 steps, in `cargo test`)
//! and `examples/model_walk.rs` (long runs), so there is one walker.
//!
//! The operations are what a coordinator does: requests recorded, edited and cancelled; sign-up
//! files imported (new, repeated and changed rows, shared addresses, bad rows); partners added,
//! edited and forgotten; invitations, responses (one by one and in bulk); scores and decisions
//! (select, waitlist, redecide, withdraw); notifying and onboarding; check-ins with concerns,
//! hours and expenses, and concerns resolved; payments (by each method, or declined) and
//! reimbursements; closing steps and closings (`--keep-open`, `--force`); settings changed; and
//! days passing (the pinned day moving forward by 0 to 20 days). Each one is built from the
//! network as it stands (read with plain SQL) so that most are valid, and some are built to be
//! invalid (a missing id, a date that is not one, a negative number); those must be refused.
//!
//! The checks, chosen to depend on engage's command line and the base tables only, not on the
//! API of `src/db/derived.rs` (which is being rewritten):
//! - every step: a refused command (exit 1 or 2) changed nothing, every row of every table
//!   compared before and after; an operation built to be invalid was refused; nothing panicked;
//!   `engage db check` is clean (it compares the derived tables with engage's recomputation). Its
//!   answer depends on the file alone, so a step that left the database's files byte for byte as
//!   the last check passed them (a refused command, a dry run, a day passing) has that answer;
//!   every step that changed them is checked;
//! - every `full_every` steps (and at the end): `report reminders --format json`, today and as
//!   of ten years ahead, and `report summary --format json` equal the same reports on a copy of
//!   the database whose derived tables were emptied and worked out again from scratch by `engage
//!   db check --repair`; and the summary's counts (requests by status, partners by status, new,
//!   invitations, responses, interested, selected, engagements, hours, paid, expenses,
//!   reimbursed) equal counts worked out here with plain SQL from the base tables.
//!
//! On a failure the walk is replayed with every check after every step, to find the shortest
//! prefix of operations that fails, and then shrunk by dropping operations one at a time while it
//! still fails (within a time budget); the report names the seed, the step and the operations.

use chrono::{Days, NaiveDate};
use engage::prompt::ScriptedPrompter;
use rusqlite::Connection;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// The first day of every walk.
pub const START: &str = "2026-01-05";

/// What a walk is asked to do.
#[derive(Debug, Clone, Copy)]
pub struct Config {
    pub seed: u64,
    pub steps: usize,
    /// The reports are compared with a recomputation from scratch and with plain SQL every this
    /// many steps (1: after every step); `db check` runs after every step whatever this says.
    pub full_every: usize,
    /// How long shrinking a failure may take.
    pub shrink_budget: Duration,
}

impl Config {
    pub fn new(seed: u64, steps: usize) -> Config {
        Config { seed, steps, full_every: 1, shrink_budget: Duration::from_secs(60) }
    }
}

/// What a walk did.
#[derive(Debug, Clone, Default)]
pub struct Figures {
    pub steps: usize,
    /// Operations by kind: how many ran, how many were refused (exit 1 or 2).
    pub kinds: BTreeMap<&'static str, (usize, usize)>,
    /// Operations built to be invalid (each was refused, or the walk failed).
    pub invalid: usize,
    /// Why operations were refused: the kind and engage's sentence (numbers and dates as N), with
    /// how many times.
    pub reasons: BTreeMap<String, usize>,
    /// Steps after which the reports were compared in full.
    pub full_checks: usize,
    /// Steps that left the database byte for byte as `db check` had just passed it (a refused
    /// command, a dry run, a day passing), whose check is that one.
    pub unchanged: usize,
    /// The network at the end.
    pub requests: usize,
    pub partners: usize,
    pub reminders: usize,
    pub elapsed: Duration,
    /// Where the time went: building operations, running them, `db check`, the reports.
    pub spent: BTreeMap<&'static str, Duration>,
}

impl Figures {
    pub fn refused(&self) -> usize {
        self.kinds.values().map(|(_, refused)| refused).sum()
    }

    pub fn add(&mut self, other: &Figures) {
        self.steps += other.steps;
        for (kind, (ran, refused)) in &other.kinds {
            let e = self.kinds.entry(kind).or_default();
            e.0 += ran;
            e.1 += refused;
        }
        self.invalid += other.invalid;
        for (why, n) in &other.reasons {
            *self.reasons.entry(why.clone()).or_default() += n;
        }
        self.full_checks += other.full_checks;
        self.unchanged += other.unchanged;
        self.requests += other.requests;
        self.partners += other.partners;
        self.reminders += other.reminders;
        self.elapsed += other.elapsed;
        for (what, time) in &other.spent {
            *self.spent.entry(what).or_default() += *time;
        }
    }

    /// One line per kind of operation, and the totals.
    pub fn table(&self) -> String {
        let mut s = String::new();
        let _ = writeln!(s, "{:<20} {:>8} {:>8}", "operation", "ran", "refused");
        for (kind, (ran, refused)) in &self.kinds {
            let _ = writeln!(s, "{kind:<20} {ran:>8} {refused:>8}");
        }
        let ran: usize = self.kinds.values().map(|(r, _)| r).sum();
        let _ = writeln!(s, "{:<20} {:>8} {:>8}", "all", ran, self.refused());
        let spent: Vec<String> =
            self.spent.iter().map(|(what, time)| format!("{what} {:.1} s", time.as_secs_f64())).collect();
        let _ = writeln!(s, "time spent: {}", spent.join(", "));
        s
    }
}

/// A walk that failed: where, why, and the operations that lead there.
#[derive(Debug, Clone)]
pub struct Failure {
    pub seed: u64,
    /// The step (counted from 1) after which a check failed.
    pub step: usize,
    pub what: String,
    /// The operations up to and including the failing one.
    pub ops: Vec<Op>,
    /// The shortest prefix of `ops` that fails with every check after every step, and a shorter
    /// sequence found by dropping operations, when replaying found them.
    pub prefix: Option<(usize, String)>,
    pub shrunk: Option<(Vec<Op>, String)>,
}

impl std::fmt::Display for Failure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        writeln!(f, "the model walk with seed {} failed at step {}: {}", self.seed, self.step, self.what)?;
        match &self.prefix {
            Some((n, what)) => writeln!(f, "replayed with every check after every step, it fails at step {n}: {what}")?,
            None => writeln!(f, "replayed with every check after every step, the same operations did not fail")?,
        }
        writeln!(f, "the operations, in order:")?;
        let shown = self.prefix.as_ref().map_or(self.ops.len(), |(n, _)| *n);
        for (i, op) in self.ops.iter().take(shown).enumerate() {
            writeln!(f, "{}", op.shown(i + 1))?;
        }
        if let Some((ops, what)) = &self.shrunk {
            writeln!(f, "shrunk to {} operations that still fail ({what}):", ops.len())?;
            for (i, op) in ops.iter().enumerate() {
                writeln!(f, "{}", op.shown(i + 1))?;
            }
        }
        Ok(())
    }
}

/// What an operation is expected to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Expect {
    /// Whatever engage decides: done, done in part, or refused by a rule.
    Any,
    /// Built to be invalid: it must be refused (exit 1 or 2) and change nothing.
    Refused,
}

/// One step: the day it runs on, engage's arguments (`@FILE@` stands for the file's path) and
/// the file it reads, if any.
#[derive(Debug, Clone)]
pub struct Op {
    pub kind: &'static str,
    pub today: NaiveDate,
    pub args: Vec<String>,
    pub file: Option<(String, String)>,
    pub expect: Expect,
    /// engage refused it when the walk ran it.
    pub refused: bool,
}

impl Op {
    fn new(kind: &'static str, today: NaiveDate, args: Vec<String>) -> Op {
        Op { kind, today, args, file: None, expect: Expect::Any, refused: false }
    }

    fn invalid(mut self) -> Op {
        self.expect = Expect::Refused;
        self
    }

    fn with_file(mut self, name: String, text: String) -> Op {
        self.file = Some((name, text));
        self
    }

    /// The operation as a line of shell, with the file it reads after it.
    pub fn shown(&self, n: usize) -> String {
        let mut line = format!("{n:>5}. ");
        if self.args.is_empty() {
            let _ = write!(line, "# the day is now {}", day(self.today));
        } else {
            let args: Vec<String> = match &self.file {
                Some((name, _)) => self.args.iter().map(|a| a.replace(FILE, name)).collect(),
                None => self.args.clone(),
            };
            let _ = write!(line, "ENGAGE_TODAY={} engage {}", day(self.today), shell_words::join(&args));
        }
        if self.expect == Expect::Refused {
            line.push_str("    # must be refused");
        } else if self.refused {
            line.push_str("    # refused");
        }
        if let Some((name, text)) = &self.file {
            let _ = write!(line, "\n       {name}:");
            for l in text.lines() {
                let _ = write!(line, "\n         {l}");
            }
        }
        line
    }
}

const FILE: &str = "@FILE@";

fn day(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

fn parse_day(text: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").ok()
}

/// splitmix64: small, fast and the same everywhere.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed ^ 0x656e_6761_6765_0012)
    }

    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let z = (self.0 ^ (self.0 >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        let z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        if n == 0 { 0 } else { (self.next() % n as u64) as usize }
    }

    /// A number from `lo` to `hi`, both included.
    fn range(&mut self, lo: i64, hi: i64) -> i64 {
        lo + self.below((hi - lo + 1).max(1) as usize) as i64
    }

    fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }

    fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        items[self.below(items.len())]
    }

    fn pick_opt<'a, T>(&mut self, items: &'a [T]) -> Option<&'a T> {
        if items.is_empty() { None } else { Some(&items[self.below(items.len())]) }
    }

    /// Some of `items`, in their order.
    fn some_of<T: Clone>(&mut self, items: &[T], percent: usize) -> Vec<T> {
        items.iter().filter(|_| self.chance(percent)).cloned().collect()
    }
}

/// A command's end.
#[derive(Debug, Clone)]
pub struct Ran {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

/// Runs engage in process, as the binary does, on this database and day: parsing the arguments
/// (a usage error is exit 2, as `main` makes it), then `engage::run` with byte buffers for its
/// outputs. A panic is caught and returned as the error.
pub fn engage(db: &Path, today: NaiveDate, args: &[String]) -> Result<Ran, String> {
    let argv = std::iter::once("engage".to_string()).chain(args.iter().cloned());
    let cli = match parse(argv) {
        Ok(cli) => cli,
        Err(e) => {
            // As `main` says it: engage's one sentence (clap's own text for what it prints as is).
            let stderr = match engage::cli::usage_sentence(&e) {
                Some(sentence) => format!("engage: error: {sentence}\n"),
                None => e.to_string(),
            };
            return Ok(Ran { code: e.exit_code(), stdout: String::new(), stderr });
        }
    };
    let env = engage::Env::pinned(db, &day(today));
    let mut out = Vec::new();
    let mut err = Vec::new();
    let mut prompter = ScriptedPrompter::default();
    let result = catch_unwind(AssertUnwindSafe(|| engage::run(cli, &env, &mut out, &mut err, &mut prompter)));
    let mut stderr = String::from_utf8_lossy(&err).into_owned();
    let code = match result {
        Err(payload) => {
            let why = payload
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| payload.downcast_ref::<&str>().map(|s| s.to_string()))
                .unwrap_or_default();
            return Err(format!("engage panicked: {why}"));
        }
        Ok(Ok(exit)) => i32::from(exit.code()),
        Ok(Err(e)) => {
            let _ = writeln!(stderr, "engage: error: {e}");
            i32::from(e.exit_code())
        }
    };
    Ok(Ran { code, stdout: String::from_utf8_lossy(&out).into_owned(), stderr })
}

thread_local! {
    /// engage's command line, built once: building it is most of what parsing costs in a debug
    /// build, and clap parses with the same command again and again.
    static COMMAND: std::cell::RefCell<clap::Command> = std::cell::RefCell::new(engage::cli::command());
}

/// `engage::cli::parse`, with the command built once per thread.
fn parse(argv: impl Iterator<Item = String>) -> Result<engage::cli::Cli, clap::Error> {
    use clap::FromArgMatches;
    COMMAND.with(|command| {
        let mut matches = command.borrow_mut().try_get_matches_from_mut(argv)?;
        engage::cli::Cli::from_arg_matches_mut(&mut matches)
    })
}

fn strings(args: &[&str]) -> Vec<String> {
    args.iter().map(|a| a.to_string()).collect()
}

/// The bytes of a database and of its write-ahead log: what a command found, to compare with what
/// it left. engage closes the database at the end of each command, which folds the log into the
/// file, so the file alone holds every row between commands; the log is kept all the same.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Files {
    db: Vec<u8>,
    wal: Vec<u8>,
}

impl Files {
    fn read(db: &Path) -> Result<Files, String> {
        let read = |path: &Path| match std::fs::read(path) {
            Ok(bytes) => Ok(bytes),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Vec::new()),
            Err(e) => Err(format!("could not read {}: {e}", path.display())),
        };
        Ok(Files { db: read(db)?, wal: read(&beside(db, "-wal"))? })
    }

    /// Writes the copy at `path` (and its log beside it), to be read as a database.
    fn write(&self, path: &Path) -> Result<(), String> {
        let _ = std::fs::remove_file(beside(path, "-shm"));
        let put = |p: &Path, bytes: &[u8]| {
            std::fs::write(p, bytes).map_err(|e| format!("could not write {}: {e}", p.display()))
        };
        put(path, &self.db)?;
        if self.wal.is_empty() {
            let _ = std::fs::remove_file(beside(path, "-wal"));
            Ok(())
        } else {
            put(&beside(path, "-wal"), &self.wal)
        }
    }
}

/// `engage.db-wal` beside `engage.db`.
fn beside(db: &Path, suffix: &str) -> PathBuf {
    let mut name = db.as_os_str().to_os_string();
    name.push(suffix);
    PathBuf::from(name)
}

/// Every row of every table (and the schema), sorted: what a refused command must leave as it was.
fn dump(db: &Path) -> Result<Vec<String>, String> {
    let conn = open(db)?;
    let tables: Vec<String> = conn
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
        .and_then(|mut s| s.query_map([], |r| r.get(0))?.collect())
        .map_err(|e| format!("could not list the tables: {e}"))?;
    let mut out: Vec<String> = Vec::new();
    for table in std::iter::once("sqlite_master".to_string()).chain(tables) {
        let mut rows: Vec<String> = Vec::new();
        let mut stmt =
            conn.prepare(&format!("SELECT * FROM \"{table}\"")).map_err(|e| format!("could not read {table}: {e}"))?;
        let columns = stmt.column_count();
        let mut q = stmt.query([]).map_err(|e| format!("could not read {table}: {e}"))?;
        while let Some(row) = q.next().map_err(|e| format!("could not read {table}: {e}"))? {
            let mut line = format!("{table}:");
            for i in 0..columns {
                let _ = write!(line, " {:?}", row.get_ref(i).map_err(|e| e.to_string())?);
            }
            rows.push(line);
        }
        rows.sort();
        out.extend(rows);
    }
    Ok(out)
}

fn open(db: &Path) -> Result<Connection, String> {
    Connection::open(db).map_err(|e| format!("could not open {}: {e}", db.display()))
}

/// The first difference between two dumps, in words.
fn first_difference(before: &[String], after: &[String]) -> String {
    let b: BTreeSet<&String> = before.iter().collect();
    let a: BTreeSet<&String> = after.iter().collect();
    let gone: Vec<&&String> = b.difference(&a).take(3).collect();
    let new: Vec<&&String> = a.difference(&b).take(3).collect();
    format!("rows gone: {gone:?}; rows added: {new:?}")
}

// The network as it stands, read with plain SQL: what the next operation is built from.

#[derive(Debug, Clone)]
struct Request {
    id: i64,
    status: String,
    created_on: NaiveDate,
    ends_on: Option<NaiveDate>,
    seats: i64,
    criteria: Vec<String>,
    expenses: bool,
}

impl Request {
    fn open(&self) -> bool {
        self.status != "closed" && self.status != "cancelled"
    }

    fn undecided(&self) -> bool {
        matches!(self.status.as_str(), "submitted" | "recruiting" | "selecting")
    }
}

#[derive(Debug, Clone)]
struct Partner {
    id: i64,
    status: String,
    first: Option<String>,
    email: Option<String>,
}

#[derive(Debug, Clone)]
struct Invitation {
    request: i64,
    partner: i64,
    response: Option<String>,
    conflict: bool,
}

#[derive(Debug, Clone)]
struct Decision {
    request: i64,
    partner: i64,
    outcome: String,
    decided_on: NaiveDate,
    notified: bool,
    engaged: bool,
}

#[derive(Debug, Clone)]
struct Checkin {
    id: i64,
    held_on: NaiveDate,
    open_concern: bool,
}

#[derive(Debug, Clone, Default)]
struct State {
    requests: Vec<Request>,
    partners: Vec<Partner>,
    invitations: Vec<Invitation>,
    decisions: Vec<Decision>,
    checkins: Vec<Checkin>,
    /// (request, partner) with expenses logged and not reimbursed yet.
    expenses: BTreeSet<(i64, i64)>,
    /// (request, partner) with hours logged.
    hours: BTreeSet<(i64, i64)>,
    /// (request, partner) paid or declined.
    settled: BTreeSet<(i64, i64)>,
}

impl State {
    fn read(db: &Path) -> Result<State, String> {
        if !db.exists() {
            return Ok(State::default());
        }
        let conn = open(db)?;
        let e = |e: rusqlite::Error| format!("could not read the network: {e}");
        let date = |t: Option<String>| t.as_deref().and_then(parse_day);
        let mut st = State::default();
        let mut criteria: BTreeMap<i64, Vec<String>> = BTreeMap::new();
        let mut stmt =
            conn.prepare("SELECT request_id, name FROM criterion ORDER BY request_id, position").map_err(e)?;
        let rows = stmt.query_map([], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?))).map_err(e)?;
        for row in rows {
            let (id, name) = row.map_err(e)?;
            criteria.entry(id).or_default().push(name);
        }
        let mut stmt = conn
            .prepare("SELECT id, status, created_on, ends_on, seats, expenses_reimbursed FROM request ORDER BY id")
            .map_err(e)?;
        let rows = stmt
            .query_map([], |r| {
                Ok((
                    r.get::<_, i64>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, String>(2)?,
                    r.get::<_, Option<String>>(3)?,
                    r.get::<_, i64>(4)?,
                    r.get::<_, bool>(5)?,
                ))
            })
            .map_err(e)?;
        for row in rows {
            let (id, status, created_on, ends_on, seats, expenses) = row.map_err(e)?;
            st.requests.push(Request {
                id,
                status,
                created_on: parse_day(&created_on).unwrap_or(NaiveDate::MIN),
                ends_on: date(ends_on),
                seats,
                criteria: criteria.remove(&id).unwrap_or_default(),
                expenses,
            });
        }
        let mut stmt = conn.prepare("SELECT id, status, first_name, email FROM partner ORDER BY id").map_err(e)?;
        let rows = stmt
            .query_map([], |r| Ok(Partner { id: r.get(0)?, status: r.get(1)?, first: r.get(2)?, email: r.get(3)? }))
            .map_err(e)?;
        for row in rows {
            st.partners.push(row.map_err(e)?);
        }
        let mut stmt = conn
            .prepare("SELECT request_id, partner_id, response, conflict IS NOT NULL FROM invitation ORDER BY 1, 2")
            .map_err(e)?;
        let rows = stmt
            .query_map([], |r| {
                Ok(Invitation { request: r.get(0)?, partner: r.get(1)?, response: r.get(2)?, conflict: r.get(3)? })
            })
            .map_err(e)?;
        for row in rows {
            st.invitations.push(row.map_err(e)?);
        }
        let mut stmt = conn
            .prepare(
                "SELECT request_id, partner_id, outcome, decided_on, notified_on IS NOT NULL, engaged FROM decision \
                 ORDER BY 1, 2",
            )
            .map_err(e)?;
        let rows = stmt
            .query_map([], |r| {
                Ok((
                    r.get::<_, i64>(0)?,
                    r.get::<_, i64>(1)?,
                    r.get::<_, String>(2)?,
                    r.get::<_, String>(3)?,
                    r.get::<_, bool>(4)?,
                    r.get::<_, bool>(5)?,
                ))
            })
            .map_err(e)?;
        for row in rows {
            let (request, partner, outcome, decided_on, notified, engaged) = row.map_err(e)?;
            let decided_on = parse_day(&decided_on).unwrap_or(NaiveDate::MIN);
            st.decisions.push(Decision { request, partner, outcome, decided_on, notified, engaged });
        }
        let mut stmt = conn
            .prepare(
                "SELECT id, request_id, held_on, status != 'good' AND resolved_on IS NULL FROM checkin ORDER BY id",
            )
            .map_err(e)?;
        let rows = stmt
            .query_map([], |r| {
                Ok((r.get::<_, i64>(0)?, r.get::<_, i64>(1)?, r.get::<_, String>(2)?, r.get::<_, bool>(3)?))
            })
            .map_err(e)?;
        for row in rows {
            let (id, _request, held_on, open_concern) = row.map_err(e)?;
            let held_on = parse_day(&held_on).unwrap_or(NaiveDate::MIN);
            st.checkins.push(Checkin { id, held_on, open_concern });
        }
        let pairs = |sql: &str| -> Result<BTreeSet<(i64, i64)>, String> {
            let mut stmt = conn.prepare(sql).map_err(e)?;
            let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?))).map_err(e)?;
            rows.collect::<Result<_, _>>().map_err(e)
        };
        st.expenses = pairs(
            "SELECT c.request_id, c.partner_id FROM checkin c WHERE c.partner_id IS NOT NULL \
             GROUP BY c.request_id, c.partner_id HAVING sum(c.expenses_cents) > (SELECT coalesce(sum(m.cents), 0) \
             FROM reimbursement m WHERE m.request_id = c.request_id AND m.partner_id = c.partner_id)",
        )?;
        st.hours = pairs("SELECT DISTINCT request_id, partner_id FROM checkin WHERE hours > 0")?;
        st.settled =
            pairs("SELECT request_id, partner_id FROM compensation WHERE paid_on IS NOT NULL OR declined = 1")?;
        Ok(st)
    }

    fn request(&self, id: i64) -> Option<&Request> {
        self.requests.iter().find(|r| r.id == id)
    }

    fn present(&self) -> Vec<&Partner> {
        self.partners.iter().filter(|p| p.status != "forgotten").collect()
    }

    fn interested(&self, request: i64) -> Vec<&Invitation> {
        self.invitations
            .iter()
            .filter(|i| i.request == request && i.response.as_deref() == Some("interested"))
            .filter(|i| {
                self.partners.iter().any(|p| p.id == i.partner && p.status != "forgotten" && p.status != "withdrawn")
            })
            .collect()
    }

    fn decisions_of(&self, request: i64) -> Vec<&Decision> {
        self.decisions.iter().filter(|d| d.request == request).collect()
    }

    fn selected(&self, request: i64) -> Vec<&Decision> {
        self.decisions
            .iter()
            .filter(|d| d.request == request && d.outcome == "selected")
            .filter(|d| self.partners.iter().any(|p| p.id == d.partner && p.status != "forgotten"))
            .collect()
    }
}

// The people of the sign-up form: who the imported files are about, so that files repeat and
// change rows of people already in the network.

#[derive(Debug, Clone)]
struct Person {
    first: String,
    last: String,
    email: String,
    region: String,
    topics: String,
    consent: bool,
    preferred: Option<String>,
    /// Payment may affect their benefits.
    benefits: bool,
    /// The day they signed up; a changed row comes with a later (or an earlier) one.
    signed_up: NaiveDate,
}

const FIRST: &[&str] = &[
    "Ana", "Ben", "Chloé", "Dev", "Emma", "Farid", "Grace", "Hiro", "Inès", "Jon", "Kiran", "Léa", "Mateo", "Nia",
    "Omar", "Priya", "Quinn", "Rosa", "Sami", "Tariq", "Uma", "Vik", "Wen", "Yara", "Zoë",
];
const LAST: &[&str] =
    &["Silva", "Li", "Tremblay", "Patel", "Nguyen", "Okafor", "Martin", "Roy", "Singh", "Gagnon", "Chen", "Côté"];
const REGIONS: &[&str] = &["Fraser", "Island", "Interior", "Northern", "Vancouver Coastal"];
const TOPICS: &[&str] = &["mental health", "discharge", "primary care", "seniors care", "cancer care"];
const ORGS: &[&str] = &["Fraser Health", "Island Health", "Interior Health", "Providence Health"];
const WAYS: &[&str] = &["inform", "consult", "involve", "collaborate", "lead"];
const METHODS: &[&str] = &["e-transfer", "cheque", "gift-card", "donation"];
const CONCERNS: &[&str] = &["barrier", "conduct", "wellbeing", "other"];

/// The settings a walk changes, with the values it sets them to.
const SETTINGS: &[(&str, i64, i64)] = &[
    ("review_within_days", 1, 15),
    ("commitments_valid_days", 30, 900),
    ("payment_within_days", 1, 60),
    ("concern_followup_days", 1, 14),
    ("checkin_every_days", 7, 60),
    ("respond_within_days", 1, 30),
    ("select_within_days", 0, 14),
    ("experienced_after", 1, 3),
    ("max_active_per_partner", 1, 5),
    ("rate_consult", 0, 40),
    ("rate_involve", 20, 60),
    ("rate_collaborate", 30, 80),
    ("rate_lead", 40, 100),
];

/// The kinds of operation, with their weights: what a coordinator does often comes up often.
pub const KINDS: &[(&str, usize)] = &[
    ("request new", 5),
    ("request edit", 4),
    ("request cancel", 1),
    ("recruit import", 4),
    ("recruit add", 3),
    ("recruit edit", 4),
    ("recruit forget", 1),
    ("recruit invite", 5),
    ("recruit respond", 8),
    ("respond --import", 2),
    ("select score", 4),
    ("select decide", 6),
    ("select notify", 3),
    ("select onboard", 5),
    ("checkin", 9),
    ("checkin resolve", 3),
    ("close pay", 4),
    ("close reimburse", 3),
    ("close --keep-open", 3),
    ("close", 3),
    ("config set", 2),
    ("days pass", 7),
];

/// One walk: its network (a database in a folder of its own), its day, its people and its log.
pub struct Walk {
    dir: PathBuf,
    db: PathBuf,
    scratch: PathBuf,
    pub today: NaiveDate,
    rng: Rng,
    people: Vec<Person>,
    /// Caps on the network's size: open requests, partners not forgotten.
    max_open: usize,
    max_partners: usize,
    files: usize,
    /// The database's files as the last step left them.
    before: Option<Files>,
    /// The files as they were when `db check` last passed on them.
    checked: Option<Files>,
    /// The network as it was read last, and from which files.
    state: Option<(Files, State)>,
    /// Steps whose files were byte for byte those `db check` had just passed.
    pub unchanged: usize,
}

impl Walk {
    /// A new walk in `dir` (which must exist), on a new, empty network.
    pub fn new(dir: &Path, seed: u64) -> Result<Walk, String> {
        let mut rng = Rng::new(seed);
        let max_open = rng.range(3, 8) as usize;
        let max_partners = rng.range(12, 40) as usize;
        let w = Walk {
            dir: dir.to_path_buf(),
            db: dir.join("engage.db"),
            scratch: dir.join("scratch.db"),
            today: parse_day(START).unwrap_or_default(),
            rng,
            people: Vec::new(),
            max_open,
            max_partners,
            files: 0,
            before: None,
            checked: None,
            state: None,
            unchanged: 0,
        };
        // The network exists before the first operation: a refused first command then has a
        // database to leave as it was.
        let ran = w.run(&strings(&["db", "check"]))?;
        if ran.code != 0 {
            return Err(format!("a new network fails `engage db check`: {}{}", ran.stdout, ran.stderr));
        }
        Ok(w)
    }

    /// What changed between two copies of the database's files, row by row, when they differ
    /// byte for byte: every row of every table is compared, so a file that only looks different
    /// (pages laid out again) is no change.
    fn changed(&self, before: &Files, after: &Files) -> Result<Option<String>, String> {
        if before == after {
            return Ok(None);
        }
        let was = self.dir.join("before.db");
        before.write(&was)?;
        let (old, new) = (dump(&was)?, dump(&self.db)?);
        Ok(if old == new { None } else { Some(first_difference(&old, &new)) })
    }

    fn run(&self, args: &[String]) -> Result<Ran, String> {
        engage(&self.db, self.today, args)
    }

    /// The walk's database.
    #[allow(dead_code)]
    pub fn db(&self) -> &Path {
        &self.db
    }

    /// Runs one operation; checks that a refused one changed nothing and that an invalid one was
    /// refused. Returns engage's sentence when it was refused.
    pub fn apply(&mut self, op: &Op) -> Result<Option<String>, String> {
        self.today = op.today;
        if op.args.is_empty() {
            return Ok(None);
        }
        let mut args = op.args.clone();
        if let Some((name, text)) = &op.file {
            let path = self.dir.join(name);
            std::fs::write(&path, text).map_err(|e| format!("could not write {}: {e}", path.display()))?;
            let shown = path.display().to_string();
            for a in &mut args {
                *a = a.replace(FILE, &shown);
            }
        }
        let before = match self.before.take() {
            Some(files) => files,
            None => Files::read(&self.db)?,
        };
        let ran = self.run(&args)?;
        let after = Files::read(&self.db)?;
        if !matches!(ran.code, 0 | 3) {
            if ran.code != 1 && ran.code != 2 {
                return Err(format!("exit code {} is not one engage gives; {}", ran.code, ran.stderr.trim()));
            }
            if let Some(difference) = self.changed(&before, &after)? {
                return Err(format!(
                    "a refused command (exit {}) changed the database: {difference}\n{}",
                    ran.code,
                    ran.stderr.trim()
                ));
            }
            let sentence = ran.stderr.lines().rfind(|l| !l.trim().is_empty()).unwrap_or_default();
            if sentence.trim().is_empty() || sentence.contains("panicked") || sentence.contains(" { ") {
                return Err(format!("a refused command said no clear sentence: {:?}", ran.stderr));
            }
            self.before = Some(after);
            return Ok(Some(sentence.trim().to_string()));
        } else if op.expect == Expect::Refused {
            return Err(format!(
                "an invalid operation was accepted (exit {}): {}{}",
                ran.code,
                ran.stdout.trim(),
                ran.stderr.trim()
            ));
        }
        self.before = Some(after);
        Ok(None)
    }

    /// `engage db check`: the derived tables equal engage's recomputation, and the file is sound.
    pub fn check_db(&mut self) -> Result<(), String> {
        if !self.db.exists() {
            return Ok(());
        }
        // Its answer depends on the file alone: files byte for byte those it passed have it. They
        // are read again here rather than taken from the last step, so that a change made between
        // steps by anything else (a test corrupting a table by hand) is checked too.
        let now = Files::read(&self.db)?;
        if self.checked.as_ref() == Some(&now) {
            self.unchanged += 1;
            self.before = Some(now);
            return Ok(());
        }
        let ran = self.run(&strings(&["db", "check"]))?;
        if ran.code != 0 || !ran.stdout.starts_with("ok:") {
            return Err(format!("`engage db check` is not clean (exit {}):\n{}{}", ran.code, ran.stdout, ran.stderr));
        }
        let files = Files::read(&self.db)?;
        self.checked = Some(files.clone());
        self.before = Some(files);
        Ok(())
    }

    /// The reports against engage's recomputation from scratch (on a copy whose derived tables
    /// were emptied) and the summary's counts against plain SQL.
    pub fn check_reports(&self) -> Result<(), String> {
        if !self.db.exists() {
            return Ok(());
        }
        self.rebuild_scratch()?;
        let far = self.today.checked_add_days(Days::new(3650)).unwrap_or(self.today);
        for as_of in [self.today, far] {
            let args = strings(&["report", "reminders", "--format", "json", "--as-of", &day(as_of)]);
            let kept = self.report(&self.db, &args)?;
            let fresh = self.report(&self.scratch, &args)?;
            if kept != fresh {
                return Err(format!(
                    "`report reminders --as-of {}` differs from the reminders worked out from scratch: {}",
                    day(as_of),
                    json_difference(&kept, &fresh)
                ));
            }
        }
        // The reports that read the accounts kept, against the accounts worked out again.
        for report in ["compensation", "participation"] {
            let args = strings(&["report", report, "--format", "json"]);
            let kept = self.report(&self.db, &args)?;
            let fresh = self.report(&self.scratch, &args)?;
            if kept != fresh {
                return Err(format!(
                    "`report {report}` differs from the {report} report worked out from scratch: {}",
                    json_difference(&kept, &fresh)
                ));
            }
        }
        let args = strings(&["report", "summary", "--format", "json"]);
        let kept = self.report(&self.db, &args)?;
        let fresh = self.report(&self.scratch, &args)?;
        if kept != fresh {
            return Err(format!(
                "`report summary` differs from the summary worked out from scratch: {}",
                json_difference(&kept, &fresh)
            ));
        }
        self.summary_against_sql(&kept)
    }

    /// A copy of the database whose derived tables are emptied and then worked out again by
    /// `engage db check --repair`: engage's from-scratch computation, reached through its command
    /// line only.
    fn rebuild_scratch(&self) -> Result<(), String> {
        for suffix in ["", "-wal", "-shm"] {
            let _ = std::fs::remove_file(beside(&self.scratch, suffix));
        }
        let conn = open(&self.db)?;
        conn.execute("VACUUM INTO ?1", [self.scratch.display().to_string()])
            .map_err(|e| format!("could not copy the database: {e}"))?;
        drop(conn);
        let copy = open(&self.scratch)?;
        copy.execute_batch(
            "DELETE FROM reminder; DELETE FROM request_tally; DELETE FROM account_tally; DELETE FROM partner_count;",
        )
        .map_err(|e| format!("could not empty the copy's derived tables: {e}"))?;
        drop(copy);
        let args: Vec<String> = ["--db", &self.scratch.display().to_string(), "db", "check", "--repair"]
            .iter()
            .map(|a| a.to_string())
            .collect();
        let ran = self.run(&args)?;
        if ran.code != 0 {
            return Err(format!(
                "`db check --repair` on a copy with emptied derived tables failed (exit {}):\n{}{}",
                ran.code, ran.stdout, ran.stderr
            ));
        }
        Ok(())
    }

    fn report(&self, db: &Path, args: &[String]) -> Result<serde_json::Value, String> {
        let mut all = vec!["--db".to_string(), db.display().to_string()];
        all.extend_from_slice(args);
        let ran = self.run(&all)?;
        if ran.code != 0 {
            return Err(format!("`engage {}` failed (exit {}): {}", args.join(" "), ran.code, ran.stderr.trim()));
        }
        if ran.stdout.trim().is_empty() {
            // Nothing due prints nothing at all.
            return Ok(serde_json::Value::Array(Vec::new()));
        }
        serde_json::from_str(&ran.stdout)
            .map_err(|e| format!("`engage {}` printed what is not JSON ({e}): {}", args.join(" "), ran.stdout))
    }

    /// The summary's counts against the base tables, counted here with plain SQL.
    fn summary_against_sql(&self, summary: &serde_json::Value) -> Result<(), String> {
        let conn = open(&self.db)?;
        let today = day(self.today);
        let count = |sql: &str| -> Result<i64, String> {
            conn.query_row(sql, [&today], |r| r.get::<_, i64>(0)).map_err(|e| format!("{e}: {sql}"))
        };
        // Requests received by today (every request: the day only moves forward), by status.
        let received = "SELECT count(*) FROM request WHERE created_on <= ?1";
        let mut expected: Vec<(String, i64)> = vec![("requests_received".into(), count(received)?)];
        for status in ["submitted", "recruiting", "selecting", "active", "closed", "cancelled"] {
            let sql = format!("SELECT count(*) FROM request WHERE created_on <= ?1 AND status = '{status}'");
            expected.push((format!("pipeline {status}"), count(&sql)?));
        }
        // Partners who joined by today, or have no joining day, by status; and those who joined.
        let joined = "(joined_on IS NULL OR joined_on <= ?1)";
        expected.push(("partners".into(), count(&format!("SELECT count(*) FROM partner WHERE {joined}"))?));
        for status in ["active", "paused", "withdrawn", "forgotten"] {
            let sql = format!("SELECT count(*) FROM partner WHERE {joined} AND status = '{status}'");
            expected.push((format!("partners_{status}"), count(&sql)?));
        }
        expected.push((
            "partners_new".into(),
            count("SELECT count(*) FROM partner WHERE joined_on IS NOT NULL AND joined_on <= ?1")?,
        ));
        // Invitations sent, answered, and expressions of interest, on the requests received.
        let on_received = "JOIN request r ON r.id = i.request_id AND r.created_on <= ?1";
        expected.push((
            "invitations".into(),
            count(&format!("SELECT count(*) FROM invitation i {on_received} WHERE i.invited_on IS NOT NULL"))?,
        ));
        expected.push((
            "responses".into(),
            count(&format!(
                "SELECT count(*) FROM invitation i {on_received} WHERE i.invited_on IS NOT NULL AND i.response IS NOT NULL"
            ))?,
        ));
        expected.push((
            "interested".into(),
            count(&format!("SELECT count(*) FROM invitation i {on_received} WHERE i.response = 'interested'"))?,
        ));
        // Partners with an account (selected, withdrew, or decided otherwise after hours or money
        // were logged: `decision.engaged`) on the requests received.
        expected.push((
            "selected".into(),
            count(
                "SELECT count(*) FROM decision d JOIN request r ON r.id = d.request_id AND r.created_on <= ?1 \
                 WHERE d.engaged = 1",
            )?,
        ));
        // Engagements: requests not cancelled with a partner engaged, since their first decision
        // (today or before); their accounts' hours and money.
        let engagement = "r.status != 'cancelled' AND r.created_on <= ?1";
        expected.push((
            "engagements".into(),
            count(&format!(
                "SELECT count(*) FROM request r WHERE {engagement} AND EXISTS \
                 (SELECT 1 FROM decision d WHERE d.request_id = r.id AND d.engaged = 1)"
            ))?,
        ));
        let accounts = format!(
            "JOIN decision d ON d.request_id = x.request_id AND d.partner_id = x.partner_id AND d.engaged = 1 \
             JOIN request r ON r.id = x.request_id AND {engagement}"
        );
        expected.push((
            "hours (hundredths)".into(),
            count(&format!("SELECT coalesce(sum(x.hours), 0) FROM checkin x {accounts}"))?,
        ));
        expected.push((
            "expenses (cents)".into(),
            count(&format!("SELECT coalesce(sum(x.expenses_cents), 0) FROM checkin x {accounts}"))?,
        ));
        expected.push((
            "compensation_paid (cents)".into(),
            count(&format!("SELECT coalesce(sum(x.paid_cents), 0) FROM compensation x {accounts}"))?,
        ));
        expected.push((
            "expenses_reimbursed (cents)".into(),
            count(&format!("SELECT coalesce(sum(x.cents), 0) FROM reimbursement x {accounts}"))?,
        ));

        let field = |name: &str| summary.get(name).cloned().unwrap_or(serde_json::Value::Null);
        let pipeline: BTreeMap<String, i64> = summary
            .get("pipeline")
            .and_then(|p| p.as_array())
            .map(|rows| {
                rows.iter()
                    .filter_map(|row| Some((row.get("status")?.as_str()?.to_string(), row.get("total")?.as_i64()?)))
                    .collect()
            })
            .unwrap_or_default();
        let mut wrong = Vec::new();
        for (name, want) in &expected {
            let got = if let Some(status) = name.strip_prefix("pipeline ") {
                pipeline.get(status).copied()
            } else if let Some(money) = name.strip_suffix(" (cents)") {
                field(money).as_str().and_then(cents)
            } else if name == "hours (hundredths)" {
                field("hours").as_f64().map(|h| (h * 100.0).round() as i64)
            } else {
                field(name).as_i64()
            };
            if got != Some(*want) {
                let got = got.map_or("nothing".to_string(), |n| n.to_string());
                wrong.push(format!("{name}: the summary says {got}, the tables {want}"));
            }
        }
        if wrong.is_empty() {
            Ok(())
        } else {
            Err(format!("`report summary` does not add up to the tables: {}", wrong.join("; ")))
        }
    }

    /// How big the network is, and how many reminders it keeps.
    fn size(&self) -> (usize, usize, usize) {
        let Ok(conn) = open(&self.db) else { return (0, 0, 0) };
        let n = |sql: &str| conn.query_row(sql, [], |r| r.get::<_, i64>(0)).unwrap_or(0) as usize;
        (n("SELECT count(*) FROM request"), n("SELECT count(*) FROM partner"), n("SELECT count(*) FROM reminder"))
    }

    // The operations.

    /// The next operation, built from the network as it stands.
    pub fn next_op(&mut self) -> Result<Op, String> {
        let st = match (&self.state, &self.before) {
            (Some((files, st)), Some(now)) if files == now => st.clone(),
            _ => {
                let st = State::read(&self.db)?;
                if let Some(now) = &self.before {
                    self.state = Some((now.clone(), st.clone()));
                }
                st
            }
        };
        let total: usize = KINDS.iter().map(|(_, w)| w).sum();
        for _ in 0..100 {
            let mut at = self.rng.below(total);
            let kind = KINDS
                .iter()
                .find(|(_, w)| {
                    if at < *w {
                        true
                    } else {
                        at -= w;
                        false
                    }
                })
                .map_or("days pass", |(k, _)| *k);
            let invalid = self.rng.chance(8);
            if let Some(op) = self.build(kind, &st, invalid) {
                return Ok(op);
            }
        }
        Ok(self.days_pass())
    }

    fn build(&mut self, kind: &'static str, st: &State, invalid: bool) -> Option<Op> {
        match kind {
            "request new" => self.request_new(st, invalid),
            "request edit" => self.request_edit(st, invalid),
            "request cancel" => self.request_cancel(st, invalid),
            "recruit import" => self.recruit_import(st, invalid),
            "recruit add" => self.recruit_add(st, invalid),
            "recruit edit" => self.recruit_edit(st, invalid),
            "recruit forget" => self.recruit_forget(st, invalid),
            "recruit invite" => self.recruit_invite(st, invalid),
            "recruit respond" => self.recruit_respond(st, invalid),
            "respond --import" => self.respond_import(st, invalid),
            "select score" => self.select_score(st, invalid),
            "select decide" => self.select_decide(st, invalid),
            "select notify" => self.select_notify(st, invalid),
            "select onboard" => self.select_onboard(st, invalid),
            "checkin" => self.checkin(st, invalid),
            "checkin resolve" => self.checkin_resolve(st, invalid),
            "close pay" => self.close_pay(st, invalid),
            "close reimburse" => self.close_reimburse(st, invalid),
            "close --keep-open" => self.close_steps(st, invalid),
            "close" => self.close(st, invalid),
            "config set" => Some(self.config_set(invalid)),
            _ => Some(self.days_pass()),
        }
    }

    fn op(&self, kind: &'static str, args: Vec<String>) -> Op {
        Op::new(kind, self.today, args)
    }

    /// A day from `days_back` days ago to today, never before `not_before`.
    fn past_day(&mut self, days_back: i64, not_before: NaiveDate) -> NaiveDate {
        let back = self.rng.range(0, days_back).max(0) as u64;
        self.today.checked_sub_days(Days::new(back)).unwrap_or(self.today).max(not_before).min(self.today)
    }

    fn days_from_today(&self, days: i64) -> NaiveDate {
        if days >= 0 {
            self.today.checked_add_days(Days::new(days as u64)).unwrap_or(self.today)
        } else {
            self.today.checked_sub_days(Days::new(days.unsigned_abs())).unwrap_or(self.today)
        }
    }

    /// A day from `lo` to `hi` days from today (negative: before today).
    fn around(&mut self, lo: i64, hi: i64) -> NaiveDate {
        let days = self.rng.range(lo, hi);
        self.days_from_today(days)
    }

    fn tomorrow(&self) -> String {
        day(self.days_from_today(1))
    }

    fn days_pass(&mut self) -> Op {
        let days = self.rng.range(0, 20) as u64;
        let today = self.today.checked_add_days(Days::new(days)).unwrap_or(self.today);
        Op::new("days pass", today, Vec::new())
    }

    fn request_new(&mut self, st: &State, invalid: bool) -> Option<Op> {
        if st.requests.iter().filter(|r| r.open()).count() >= self.max_open && !invalid {
            return None;
        }
        let n = st.requests.len() + 1;
        let mut a = strings(&["request", "new", "--title", &format!("Engagement {n}")]);
        let org = self.rng.pick(ORGS).to_string();
        let contact = format!("{} {}", self.rng.pick(FIRST), self.rng.pick(LAST));
        a.extend(strings(&["--org", &org, "--contact-name", &contact, "--contact-email", "contact@example.org"]));
        a.extend(strings(&["--way", self.rng.pick(&WAYS[1..])]));
        if self.rng.chance(5) {
            let last = a.len() - 1;
            a[last] = "inform".into();
        }
        let starts = self.around(-5, 40);
        if self.rng.chance(80) {
            a.extend(strings(&["--starts", &day(starts)]));
            if self.rng.chance(85) {
                let ends = starts.checked_add_days(Days::new(self.rng.range(0, 120) as u64)).unwrap_or(starts);
                a.extend(strings(&["--ends", &day(ends)]));
            }
        }
        if self.rng.chance(40) {
            a.extend(strings(&["--respond-by", &day(self.around(0, 20))]));
        }
        if self.rng.chance(60) {
            a.extend(strings(&["--seats", &self.rng.range(1, 4).to_string()]));
        }
        match self.rng.below(6) {
            0 => a.extend(strings(&["--rate", &self.rng.range(0, 80).to_string()])),
            1 => a.extend(strings(&["--honorarium", &self.rng.range(0, 300).to_string()])),
            _ => {}
        }
        if self.rng.chance(30) {
            a.push("--record-check".into());
        }
        if self.rng.chance(15) {
            a.push("--no-expenses".into());
        }
        if self.rng.chance(40) {
            a.extend(strings(&["--checkin-every", &self.rng.range(5, 40).to_string()]));
        }
        if self.rng.chance(30) {
            a.extend(strings(&["--hours", &self.rng.range(1, 40).to_string()]));
        }
        if self.rng.chance(30) {
            a.extend(strings(&[
                "--criteria",
                self.rng.pick(&["experience!,speaking,listening:2", "experience,availability"]),
            ]));
        }
        if self.rng.chance(40) {
            a.extend(strings(&["--region", self.rng.pick(REGIONS), "--topics", self.rng.pick(TOPICS)]));
        }
        if self.rng.chance(20) {
            a.extend(strings(&["--community", self.rng.pick(&["urban", "rural", "remote"])]));
        }
        let op = self.op("request new", a.clone());
        if !invalid {
            return Some(op);
        }
        match self.rng.below(4) {
            0 => replace_flag(&mut a, "--contact-email", "not an address"),
            1 => a.extend(strings(&["--seats", "0"])),
            2 => {
                remove_flag(&mut a, "--starts");
                remove_flag(&mut a, "--ends");
                a.extend(strings(&["--starts", &day(starts), "--ends", &day(self.days_from_today(-30))]))
            }
            _ => {
                remove_flag(&mut a, "--starts");
                a.extend(strings(&["--starts", "2026-02-30"]))
            }
        }
        Some(self.op("request new", a).invalid())
    }

    fn request_edit(&mut self, st: &State, invalid: bool) -> Option<Op> {
        if invalid {
            let a = strings(&["request", "edit", "9999", "--seats", "3"]);
            return Some(self.op("request edit", a).invalid());
        }
        let open: Vec<&Request> = st.requests.iter().filter(|r| r.open()).collect();
        let r = if self.rng.chance(90) { *self.rng.pick_opt(&open)? } else { self.rng.pick_opt(&st.requests)? };
        let mut a = strings(&["request", "edit", &r.id.to_string()]);
        for _ in 0..self.rng.range(1, 2) {
            match self.rng.below(12) {
                11 => a.extend(strings(&["--way", self.rng.pick(WAYS)])),
                0 => a.extend(strings(&["--seats", &self.rng.range(1, 5).to_string()])),
                1 => a.extend(strings(&["--ends", &day(self.around(-10, 60))])),
                2 => a.extend(strings(&["--starts", &day(self.around(-20, 20))])),
                3 => a.extend(strings(&["--title", &format!("Engagement {} (renamed)", r.id)])),
                4 => a.extend(strings(&["--rate", &self.rng.range(0, 70).to_string()])),
                5 => a.extend(strings(&["--honorarium", &self.rng.range(0, 300).to_string()])),
                6 => a.extend(strings(&["--checkin-every", &self.rng.range(5, 40).to_string()])),
                7 => a.push(self.rng.pick(&["--record-check", "--no-record-check"]).to_string()),
                8 => a.push(self.rng.pick(&["--expenses", "--no-expenses"]).to_string()),
                9 => a.extend(strings(&["--respond-by", &day(self.around(-5, 15))])),
                _ => {
                    a.extend(strings(&["--contact-name", &format!("{} {}", self.rng.pick(FIRST), self.rng.pick(LAST))]))
                }
            }
        }
        Some(self.op("request edit", a))
    }

    fn request_cancel(&mut self, st: &State, invalid: bool) -> Option<Op> {
        if invalid {
            // A closed request cannot be cancelled; without one, a request that does not exist.
            let closed: Vec<&Request> = st.requests.iter().filter(|r| r.status == "closed").collect();
            let id = self.rng.pick_opt(&closed).map_or(9999, |r| r.id);
            let a = strings(&["request", "cancel", &id.to_string(), "--reason", "postponed"]);
            return Some(self.op("request cancel", a).invalid());
        }
        let open: Vec<&Request> = st.requests.iter().filter(|r| r.open()).collect();
        let r = self.rng.pick_opt(&open)?;
        let a = strings(&["request", "cancel", &r.id.to_string(), "--reason", "project postponed by the requester"]);
        Some(self.op("request cancel", a))
    }

    fn new_person(&mut self) -> Person {
        let first = self.rng.pick(FIRST).to_string();
        let last = self.rng.pick(LAST).to_string();
        // A family shares an address now and then: the same e-mail under another first name.
        let email = match self.rng.pick_opt(&self.people.clone()) {
            Some(p) if self.rng.chance(15) => p.email.clone(),
            _ => format!("{}.{}{}@example.org", ascii(&first), ascii(&last), self.people.len() + 1),
        };
        let signed_up = self.past_day(30, parse_day(START).unwrap_or_default());
        Person {
            first,
            last,
            email,
            region: self.rng.pick(REGIONS).to_string(),
            topics: self.rng.pick(TOPICS).to_string(),
            consent: self.rng.chance(85),
            preferred: None,
            benefits: self.rng.chance(15),
            signed_up,
        }
    }

    fn recruit_import(&mut self, st: &State, invalid: bool) -> Option<Op> {
        self.files += 1;
        let name = format!("signups-{}.csv", self.files);
        if invalid {
            // No e-mail column: not a sign-up export at all.
            let text = "Name,Phone\nAna Silva,604-555-0100\n".to_string();
            let a = strings(&["recruit", "import", FILE]);
            return Some(self.op("recruit import", a).with_file(name, text).invalid());
        }
        let room = self.max_partners.saturating_sub(st.present().len());
        // Two shapes of export: a Google Forms one with first and last names, and a Microsoft
        // Forms one with a full name, a preferred name and the benefits question.
        let full_names = self.rng.chance(35);
        let mut text = if full_names {
            "Start time,Name,Email,Preferred name,Could payment affect your benefits?,Consent to be contacted,Region,\
             Topics of interest\n"
        } else {
            "Timestamp,First name,Last name,Email address,Consent to be contacted,Region,Topics of interest,\
             How did you hear about us?\n"
        }
        .to_string();
        let mut rows = 0;
        for _ in 0..self.rng.range(1, 6) {
            let known = !self.people.is_empty() && (room == 0 || self.rng.chance(50));
            let mut p = if known {
                let i = self.rng.below(self.people.len());
                let mut p = self.people[i].clone();
                if self.rng.chance(50) {
                    // A changed row: a later submission refreshes, an earlier one fills blanks.
                    match self.rng.below(5) {
                        0 => p.region = self.rng.pick(REGIONS).to_string(),
                        1 => p.topics = self.rng.pick(TOPICS).to_string(),
                        2 => p.last = self.rng.pick(LAST).to_string(),
                        3 => {
                            p.preferred =
                                if self.rng.chance(50) { Some(self.rng.pick(FIRST).to_string()) } else { None }
                        }
                        _ => p.benefits = !p.benefits,
                    }
                    let later = self.rng.chance(70);
                    p.signed_up = if later { self.past_day(5, p.signed_up) } else { p.signed_up.pred_opt()? };
                    if later {
                        self.people[i] = p.clone();
                    }
                }
                p
            } else if room > rows {
                let p = self.new_person();
                self.people.push(p.clone());
                p
            } else {
                continue;
            };
            p.signed_up = p.signed_up.min(self.today);
            let region = if self.rng.chance(10) { String::new() } else { p.region.clone() };
            let email = if self.rng.chance(6) { "not-an-address".to_string() } else { p.email.clone() };
            let consent = if self.rng.chance(3) {
                "maybe"
            } else if p.consent {
                "Yes"
            } else {
                "No"
            };
            let at = format!("{} 10:{:02}:00", day(p.signed_up), self.rng.below(60));
            let row = if full_names {
                let name = format!("{} {}", p.first, p.last);
                let benefits = if p.benefits { "Yes" } else { "No" };
                let preferred = p.preferred.clone().unwrap_or_default();
                csv_row(&[&at, &name, &email, &preferred, benefits, consent, &region, &p.topics])
            } else {
                csv_row(&[&at, &p.first, &p.last, &email, consent, &region, &p.topics, "a friend"])
            };
            text.push_str(&row);
            text.push('\n');
            rows += 1;
        }
        if rows == 0 {
            return None;
        }
        let mut a = strings(&["recruit", "import", FILE]);
        if self.rng.chance(15) {
            a.extend(strings(&["--on-duplicate", "skip"]));
        }
        if self.rng.chance(10) {
            a.push("--dry-run".into());
        }
        Some(self.op("recruit import", a).with_file(name, text))
    }

    fn recruit_add(&mut self, st: &State, invalid: bool) -> Option<Op> {
        if st.present().len() >= self.max_partners && !invalid {
            return None;
        }
        let p = self.new_person();
        let email = if invalid { "ana(at)example.org".to_string() } else { p.email.clone() };
        let mut a = strings(&["recruit", "add", "--first", &p.first, "--last", &p.last, "--email", &email]);
        if p.consent {
            a.push("--consent".into());
        }
        a.extend(strings(&["--region", &p.region, "--topics", &p.topics]));
        if self.rng.chance(30) {
            a.extend(strings(&["--commitments-signed", &day(self.past_day(800, NaiveDate::MIN))]));
        }
        if self.rng.chance(20) {
            a.extend(strings(&["--record-check", &day(self.past_day(1200, NaiveDate::MIN))]));
        }
        if p.benefits {
            a.push("--payment-affects-benefits".into());
        }
        if self.rng.chance(20) {
            a.extend(strings(&["--joined", &day(self.past_day(60, NaiveDate::MIN))]));
        }
        if !invalid {
            self.people.push(p);
            return Some(self.op("recruit add", a));
        }
        Some(self.op("recruit add", a).invalid())
    }

    fn recruit_edit(&mut self, st: &State, invalid: bool) -> Option<Op> {
        let present = st.present();
        if invalid {
            let a = match self.rng.pick_opt(&present) {
                Some(p) if self.rng.chance(50) => {
                    strings(&["recruit", "edit", &p.id.to_string(), "--commitments-signed", "2026-13-01"])
                }
                _ => strings(&["recruit", "edit", "9999", "--status", "paused"]),
            };
            return Some(self.op("recruit edit", a).invalid());
        }
        let p = if self.rng.chance(95) { *self.rng.pick_opt(&present)? } else { self.rng.pick_opt(&st.partners)? };
        let mut a = strings(&["recruit", "edit", &p.id.to_string()]);
        for _ in 0..self.rng.range(1, 2) {
            match self.rng.below(12) {
                0..=2 => {
                    let status = if self.rng.chance(50) { "active" } else { self.rng.pick(&["paused", "withdrawn"]) };
                    a.extend(strings(&["--status", status]))
                }
                3 => a.extend(strings(&["--commitments-signed", &day(self.past_day(900, NaiveDate::MIN))])),
                4 => a.extend(strings(&["--record-check", &day(self.past_day(1200, NaiveDate::MIN))])),
                5 => a.push(self.rng.pick(&["--consent", "--no-consent"]).to_string()),
                6 => a.push(self.rng.pick(&["--payment-affects-benefits", "--benefits-unaffected"]).to_string()),
                7 => a.extend(strings(&["--last", self.rng.pick(LAST)])),
                8 => a.extend(strings(&["--preferred-name", self.rng.pick(FIRST)])),
                9 => a.extend(strings(&["--first", self.rng.pick(FIRST)])),
                10 => a.extend(strings(&["--email", &format!("changed{}@example.org", p.id)])),
                _ => a.extend(strings(&["--notes", "prefers evening meetings"])),
            }
        }
        Some(self.op("recruit edit", a))
    }

    fn recruit_forget(&mut self, st: &State, invalid: bool) -> Option<Op> {
        if invalid {
            return Some(self.op("recruit forget", strings(&["recruit", "forget", "9999"])).invalid());
        }
        let p = self.rng.pick_opt(&st.present())?.id;
        Some(self.op("recruit forget", strings(&["recruit", "forget", &p.to_string()])))
    }

    fn recruit_invite(&mut self, st: &State, invalid: bool) -> Option<Op> {
        if invalid {
            return Some(self.op("recruit invite", strings(&["recruit", "invite", "9999"])).invalid());
        }
        let open: Vec<&Request> = st.requests.iter().filter(|r| r.undecided()).collect();
        let r = self.rng.pick_opt(&open)?;
        let mut a = strings(&["recruit", "invite", &r.id.to_string()]);
        if self.rng.chance(30) {
            a.extend(strings(&["--limit", &self.rng.range(1, 6).to_string()]));
        }
        if self.rng.chance(10) {
            a.extend(strings(&["--region", self.rng.pick(REGIONS)]));
        }
        if self.rng.chance(10) {
            a.push("--dry-run".into());
        }
        Some(self.op("recruit invite", a))
    }

    fn recruit_respond(&mut self, st: &State, invalid: bool) -> Option<Op> {
        let open: Vec<&Request> = st.requests.iter().filter(|r| r.undecided() || r.status == "active").collect();
        let r = self.rng.pick_opt(&open)?;
        if invalid {
            let a = match self.rng.below(2) {
                0 => strings(&["recruit", "respond", &r.id.to_string(), "9999", "--interested"]),
                _ => strings(&["recruit", "respond", "9999", "1", "--declined"]),
            };
            return Some(self.op("recruit respond", a).invalid());
        }
        let invited: Vec<i64> = st.invitations.iter().filter(|i| i.request == r.id).map(|i| i.partner).collect();
        let present: Vec<i64> = st.present().iter().map(|p| p.id).collect();
        let partner = match self.rng.pick_opt(&invited) {
            Some(p) if self.rng.chance(85) => *p,
            _ => *self.rng.pick_opt(&present)?,
        };
        let answer = if self.rng.chance(75) { "--interested" } else { "--declined" };
        let mut a = strings(&["recruit", "respond", &r.id.to_string(), &partner.to_string(), answer]);
        if self.rng.chance(30) {
            a.extend(strings(&["--statement", "I was discharged twice last year"]));
        }
        if self.rng.chance(8) {
            a.extend(strings(&["--conflict", "my sister works on the team"]));
        }
        if self.rng.chance(30) {
            a.extend(strings(&["--on", &day(self.past_day(5, r.created_on))]));
        }
        Some(self.op("recruit respond", a))
    }

    fn respond_import(&mut self, st: &State, invalid: bool) -> Option<Op> {
        let open: Vec<&Request> = st.requests.iter().filter(|r| r.undecided()).collect();
        let r = self.rng.pick_opt(&open)?;
        self.files += 1;
        let name = format!("responses-{}.csv", self.files);
        if invalid {
            let text = "Comment\nlooks good\n".to_string();
            let a = strings(&["recruit", "respond", &r.id.to_string(), "--import", FILE]);
            return Some(self.op("respond --import", a).with_file(name, text).invalid());
        }
        let invited: Vec<i64> = st.invitations.iter().filter(|i| i.request == r.id).map(|i| i.partner).collect();
        if invited.is_empty() {
            return None;
        }
        let mut text = String::new();
        let by_email = self.rng.chance(30);
        text.push_str(if by_email {
            "Email,First name,Response,Statement\n"
        } else {
            "partner_id,response,statement\n"
        });
        for partner in self.rng.some_of(&invited, 60) {
            let answer = if self.rng.chance(70) { "interested" } else { "declined" };
            let p = st.partners.iter().find(|p| p.id == partner)?;
            if by_email {
                let (Some(email), Some(first)) = (&p.email, &p.first) else { continue };
                text.push_str(&csv_row(&[email, first, answer, "keen to help"]));
            } else {
                text.push_str(&csv_row(&[&partner.to_string(), answer, ""]));
            }
            text.push('\n');
        }
        if self.rng.chance(15) {
            // A row naming nobody in the network: rejected, the rest recorded (exit 3).
            text.push_str(if by_email { "nobody@example.org,Nobody,yes,\n" } else { "9999,yes,\n" });
        }
        let a = strings(&["recruit", "respond", &r.id.to_string(), "--import", FILE]);
        Some(self.op("respond --import", a).with_file(name, text))
    }

    fn select_score(&mut self, st: &State, invalid: bool) -> Option<Op> {
        let with: Vec<&Request> = st
            .requests
            .iter()
            .filter(|r| r.undecided() || r.status == "active")
            .filter(|r| !st.interested(r.id).is_empty())
            .collect();
        let r = self.rng.pick_opt(&with)?;
        let partner = self.rng.pick(&st.interested(r.id)).partner;
        let mut a = strings(&["select", "score", &r.id.to_string(), &partner.to_string()]);
        for c in &r.criteria {
            if self.rng.chance(80) {
                a.extend(strings(&["--score", &format!("{c}={}", self.rng.range(0, 3))]));
            }
        }
        if invalid {
            let bad = if self.rng.chance(50) { "charisma=2".to_string() } else { format!("{}=4", r.criteria.first()?) };
            a.extend(strings(&["--score", &bad]));
            return Some(self.op("select score", a).invalid());
        }
        if a.len() == 4 {
            a.extend(strings(&["--score", &format!("{}=2", r.criteria.first()?)]));
        }
        Some(self.op("select score", a))
    }

    fn select_decide(&mut self, st: &State, invalid: bool) -> Option<Op> {
        let with: Vec<&Request> = st
            .requests
            .iter()
            .filter(|r| r.undecided() || r.status == "active")
            .filter(|r| !st.interested(r.id).is_empty())
            .collect();
        let r = self.rng.pick_opt(&with)?;
        let id = r.id.to_string();
        let candidates: Vec<&Invitation> = st.interested(r.id);
        let decided = !st.decisions_of(r.id).is_empty();
        // A selected partner who left part-way.
        let selected = st.selected(r.id);
        if r.status == "active" && !selected.is_empty() && self.rng.chance(25) && !invalid {
            let p = self.rng.pick(&selected).partner.to_string();
            let a = strings(&["select", "decide", &id, "--withdraw", &p, "--reason", &format!("{p}=moved away")]);
            return Some(self.op("select decide", a));
        }
        let mut pool: Vec<i64> = candidates.iter().map(|i| i.partner).collect();
        let want = (r.seats + self.rng.range(-1, 1)).clamp(1, pool.len() as i64) as usize;
        let mut chosen = Vec::new();
        while chosen.len() < want && !pool.is_empty() {
            chosen.push(pool.remove(self.rng.below(pool.len())));
        }
        chosen.sort_unstable();
        let list = |ids: &[i64]| ids.iter().map(i64::to_string).collect::<Vec<_>>().join(",");
        let mut a = strings(&["select", "decide", &id, "--select", &list(&chosen)]);
        if !pool.is_empty() && self.rng.chance(40) {
            a.extend(strings(&["--waitlist", &pool[0].to_string()]));
        }
        for c in candidates.iter().filter(|c| c.conflict && chosen.contains(&c.partner)) {
            if self.rng.chance(80) {
                a.extend(strings(&["--reason", &format!("{}=the conflict was discussed", c.partner)]));
            }
        }
        if decided {
            a.push("--redecide".into());
        }
        if chosen.len() as i64 > r.seats || self.rng.chance(15) {
            a.push("--force".into());
        }
        if invalid {
            let last = a.iter().position(|x| x == "--select").map(|i| i + 1)?;
            a[last] = format!("{},9999", a[last]);
            return Some(self.op("select decide", a).invalid());
        }
        Some(self.op("select decide", a))
    }

    fn select_notify(&mut self, st: &State, invalid: bool) -> Option<Op> {
        if invalid {
            let a = strings(&["select", "notify", "1", "--on", &self.tomorrow()]);
            return Some(self.op("select notify", a).invalid());
        }
        let untold: Vec<&Decision> = st.decisions.iter().filter(|d| !d.notified).collect();
        let d = self.rng.pick_opt(&untold)?;
        let latest = st.decisions_of(d.request).iter().map(|d| d.decided_on).max()?;
        let mut a = strings(&["select", "notify", &d.request.to_string()]);
        if self.rng.chance(40) {
            a.extend(strings(&["--on", &day(self.past_day(3, latest))]));
        }
        if self.rng.chance(10) {
            a.push("--dry-run".into());
        }
        Some(self.op("select notify", a))
    }

    fn select_onboard(&mut self, st: &State, invalid: bool) -> Option<Op> {
        let active: Vec<&Decision> = st
            .decisions
            .iter()
            .filter(|d| d.outcome == "selected" && st.request(d.request).is_some_and(|r| r.status == "active"))
            .collect();
        let d = self.rng.pick_opt(&active)?;
        let mut a = strings(&["select", "onboard", &d.request.to_string(), &d.partner.to_string()]);
        if invalid {
            a.extend(strings(&["--welcomed", &self.tomorrow()]));
            return Some(self.op("select onboard", a).invalid());
        }
        let steps = ["--commitments-signed", "--record-check", "--welcomed", "--oriented", "--introduced"];
        for step in self.rng.some_of(&steps, 35) {
            a.extend(strings(&[step, &day(self.past_day(4, d.decided_on))]));
        }
        if a.len() == 4 {
            a.extend(strings(&["--welcomed", &day(self.past_day(4, d.decided_on))]));
        }
        Some(self.op("select onboard", a))
    }

    fn checkin(&mut self, st: &State, invalid: bool) -> Option<Op> {
        let active: Vec<&Request> = st.requests.iter().filter(|r| r.status == "active").collect();
        let r = self.rng.pick_opt(&active)?;
        let mut a = strings(&["checkin", &r.id.to_string()]);
        let selected = st.selected(r.id);
        let with_partner = !selected.is_empty() && self.rng.chance(70);
        if with_partner {
            a.extend(strings(&["--partner", &self.rng.pick(&selected).partner.to_string()]));
        } else {
            a.push(self.rng.pick(&["--requester", "--team"]).to_string());
        }
        if invalid {
            match self.rng.below(3) {
                0 => a.extend(strings(&["--hours", "-3"])),
                1 => a.extend(strings(&["--on", &self.tomorrow()])),
                _ => a.extend(strings(&["--status", "fine"])),
            }
            return Some(self.op("checkin", a).invalid());
        }
        if self.rng.chance(30) {
            let concern = self.rng.pick(CONCERNS).to_string();
            a.extend(strings(&["--concern", &concern]));
            if self.rng.chance(30) {
                a.extend(strings(&["--status", "serious"]));
            }
        }
        if with_partner {
            if self.rng.chance(60) {
                let hours = self.rng.range(1, 40) as f64 / 4.0;
                a.extend(strings(&["--hours", &hours.to_string()]));
            }
            if r.expenses && self.rng.chance(30) {
                a.extend(strings(&["--expenses", &format!("{}.50", self.rng.range(3, 80))]));
            }
        }
        if self.rng.chance(40) {
            a.extend(strings(&["--on", &day(self.past_day(6, r.created_on))]));
        }
        if self.rng.chance(15) {
            a.extend(strings(&["--next", &day(self.around(1, 40))]));
        }
        if self.rng.chance(20) {
            a.extend(strings(&["--note", "the first meeting went well"]));
        }
        Some(self.op("checkin", a))
    }

    fn checkin_resolve(&mut self, st: &State, invalid: bool) -> Option<Op> {
        if invalid {
            return Some(self.op("checkin resolve", strings(&["checkin", "resolve", "9999"])).invalid());
        }
        let open: Vec<&Checkin> = st.checkins.iter().filter(|c| c.open_concern).collect();
        let c = self.rng.pick_opt(&open)?;
        let mut a = strings(&["checkin", "resolve", &c.id.to_string()]);
        if self.rng.chance(50) {
            a.extend(strings(&["--note", "talked it through with the team lead"]));
        }
        if self.rng.chance(40) {
            a.extend(strings(&["--on", &day(self.past_day(5, c.held_on))]));
        }
        Some(self.op("checkin resolve", a))
    }

    /// A partner with an account on an active or closed request.
    fn account<'s>(&mut self, st: &'s State, filter: impl Fn(&Decision) -> bool) -> Option<&'s Decision> {
        let accounts: Vec<&Decision> = st
            .decisions
            .iter()
            .filter(|d| {
                d.engaged && st.request(d.request).is_some_and(|r| r.status == "active" || r.status == "closed")
            })
            .filter(|d| filter(d))
            .collect();
        self.rng.pick_opt(&accounts).copied()
    }

    fn close_pay(&mut self, st: &State, invalid: bool) -> Option<Op> {
        let logged = self.rng.chance(80);
        let d = self.account(st, |d| {
            !st.settled.contains(&(d.request, d.partner)) && (!logged || st.hours.contains(&(d.request, d.partner)))
        })?;
        let mut a = strings(&["close", "pay", &d.request.to_string(), &d.partner.to_string()]);
        if invalid {
            match self.rng.below(2) {
                0 => a.extend(strings(&["--method", "bitcoin"])),
                _ => a.extend(strings(&["--method", "cheque", "--declined"])),
            }
            return Some(self.op("close pay", a).invalid());
        }
        if self.rng.chance(15) {
            a.push("--declined".into());
        } else {
            a.extend(strings(&["--method", self.rng.pick(METHODS)]));
        }
        if self.rng.chance(30) {
            a.extend(strings(&["--paid-on", &day(self.past_day(5, d.decided_on))]));
        }
        Some(self.op("close pay", a))
    }

    fn close_reimburse(&mut self, st: &State, invalid: bool) -> Option<Op> {
        let d = self.account(st, |d| st.expenses.contains(&(d.request, d.partner)))?;
        let mut a = strings(&["close", "reimburse", &d.request.to_string(), &d.partner.to_string()]);
        if invalid {
            a.extend(strings(&["--on", &self.tomorrow()]));
            return Some(self.op("close reimburse", a).invalid());
        }
        if self.rng.chance(30) {
            a.extend(strings(&["--on", &day(self.past_day(3, d.decided_on))]));
        }
        Some(self.op("close reimburse", a))
    }

    fn closing_steps(&mut self, r: &Request, percent: usize) -> Vec<String> {
        let mut a = Vec::new();
        if self.rng.chance(percent) {
            a.extend(strings(&["--outcomes", "a new discharge checklist was adopted"]));
        }
        for flag in ["--loop-closed", "--thanked", "--partner-survey", "--requester-survey"] {
            if self.rng.chance(percent) {
                a.extend(strings(&[flag, &day(self.past_day(4, r.created_on))]));
            }
        }
        a
    }

    fn close_steps(&mut self, st: &State, invalid: bool) -> Option<Op> {
        let active: Vec<&Request> = st.requests.iter().filter(|r| r.status == "active").collect();
        let r = (*self.rng.pick_opt(&active)?).clone();
        let mut a = strings(&["close", &r.id.to_string()]);
        if invalid {
            a.extend(strings(&["--thanked", &self.tomorrow(), "--keep-open"]));
            return Some(self.op("close --keep-open", a).invalid());
        }
        let mut steps = self.closing_steps(&r, 40);
        if steps.is_empty() {
            steps = strings(&["--thanked", &day(self.today)]);
        }
        a.extend(steps);
        a.push("--keep-open".into());
        Some(self.op("close --keep-open", a))
    }

    fn close(&mut self, st: &State, invalid: bool) -> Option<Op> {
        if invalid {
            return Some(self.op("close", strings(&["close", "9999", "--force"])).invalid());
        }
        // Mostly requests whose engagement has ended; now and then one still running.
        let today = self.today;
        let running = self.rng.chance(20);
        let active: Vec<&Request> = st
            .requests
            .iter()
            .filter(|r| r.status == "active")
            .filter(|r| running || r.ends_on.is_none_or(|e| e <= today))
            .collect();
        let r = (*self.rng.pick_opt(&active)?).clone();
        let mut a = strings(&["close", &r.id.to_string()]);
        a.extend(self.closing_steps(&r, 75));
        if self.rng.chance(40) {
            a.push("--force".into());
        }
        Some(self.op("close", a))
    }

    fn config_set(&mut self, invalid: bool) -> Op {
        if invalid {
            let a = match self.rng.below(3) {
                0 => strings(&["config", "set", "reminder_colour", "blue"]),
                1 => strings(&["config", "set", "payment_within_days", "-4"]),
                _ => strings(&["config", "set", "review_within_days", "soon"]),
            };
            return self.op("config set", a).invalid();
        }
        let (key, lo, hi) = self.rng.pick(SETTINGS);
        let value = self.rng.range(lo, hi).to_string();
        self.op("config set", strings(&["config", "set", key, &value]))
    }
}

/// A sentence with its numbers (ids, dates, amounts) as N, so that like refusals count together.
fn without_numbers(sentence: &str) -> String {
    let mut out = String::new();
    let mut in_number = false;
    for c in sentence.chars() {
        if c.is_ascii_digit() {
            if !in_number {
                out.push('N');
            }
            in_number = true;
        } else {
            if !(in_number && (c == '-' || c == '.')) {
                in_number = false;
            }
            if !in_number {
                out.push(c);
            }
        }
    }
    out
}

/// Takes a flag and its value out of an argument list.
fn remove_flag(args: &mut Vec<String>, flag: &str) {
    if let Some(i) = args.iter().position(|a| a == flag) {
        args.drain(i..(i + 2).min(args.len()));
    }
}

/// Replaces a flag's value in an argument list.
fn replace_flag(args: &mut [String], flag: &str, value: &str) {
    if let Some(i) = args.iter().position(|a| a == flag) {
        if let Some(v) = args.get_mut(i + 1) {
            *v = value.to_string();
        }
    }
}

/// An e-mail's local part from a name.
fn ascii(name: &str) -> String {
    name.chars()
        .map(|c| match c {
            'é' | 'è' | 'ê' => 'e',
            'ë' => 'e',
            'ô' => 'o',
            c => c,
        })
        .filter(|c| c.is_ascii_alphanumeric())
        .collect::<String>()
        .to_ascii_lowercase()
}

fn csv_row(cells: &[&str]) -> String {
    cells
        .iter()
        .map(|c| if c.contains([',', '"', '\n']) { format!("\"{}\"", c.replace('"', "\"\"")) } else { c.to_string() })
        .collect::<Vec<_>>()
        .join(",")
}

/// "12.50" as cents.
fn cents(text: &str) -> Option<i64> {
    let (whole, part) = text.split_once('.').unwrap_or((text, "0"));
    let negative = whole.starts_with('-');
    let whole: i64 = whole.trim_start_matches('-').parse().ok()?;
    let part: i64 = format!("{part:0<2}")[..2].parse().ok()?;
    let c = whole * 100 + part;
    Some(if negative { -c } else { c })
}

/// Where two JSON values first differ.
fn json_difference(kept: &serde_json::Value, fresh: &serde_json::Value) -> String {
    match (kept, fresh) {
        (serde_json::Value::Array(k), serde_json::Value::Array(f)) => {
            if k.len() != f.len() {
                // As multisets: an entry shown twice is a difference too.
                let mut counts: BTreeMap<String, (usize, usize)> = BTreeMap::new();
                for v in k {
                    counts.entry(v.to_string()).or_default().0 += 1;
                }
                for v in f {
                    counts.entry(v.to_string()).or_default().1 += 1;
                }
                let differ: Vec<String> = counts
                    .iter()
                    .filter(|(_, (a, b))| a != b)
                    .take(3)
                    .map(|(v, (a, b))| format!("{v} ({a} kept, {b} worked out)"))
                    .collect();
                return format!("{} entries kept, {} worked out: {}", k.len(), f.len(), differ.join("; "));
            }
            for (i, (a, b)) in k.iter().zip(f).enumerate() {
                if a != b {
                    return format!("entry {i}: kept {a}, worked out {b}");
                }
            }
            "they differ".into()
        }
        (serde_json::Value::Object(k), serde_json::Value::Object(f)) => {
            for (key, a) in k {
                if f.get(key) != Some(a) {
                    return format!("{key}: kept {a}, worked out {}", f.get(key).unwrap_or(&serde_json::Value::Null));
                }
            }
            "they differ".into()
        }
        _ => format!("kept {kept}, worked out {fresh}"),
    }
}

/// A folder for walks: in memory (/dev/shm) where there is one, since SQLite syncs the file at
/// every checkpoint and a walk runs tens of thousands of commands; else the temporary folder.
pub fn folder() -> std::io::Result<tempfile::TempDir> {
    let shm = Path::new("/dev/shm");
    if shm.is_dir() {
        if let Ok(dir) = tempfile::Builder::new().prefix("engage-model-").tempdir_in(shm) {
            return Ok(dir);
        }
    }
    tempfile::tempdir()
}

/// Runs one walk in `dir`: `config.steps` operations from `config.seed`, each checked.
pub fn walk(dir: &Path, config: &Config) -> Result<Figures, Box<Failure>> {
    let started = Instant::now();
    let mut figures = Figures::default();
    let mut ops: Vec<Op> = Vec::with_capacity(config.steps);
    let fail = |ops: &[Op], step: usize, what: String| -> Box<Failure> {
        Box::new(Failure { seed: config.seed, step, what, ops: ops.to_vec(), prefix: None, shrunk: None })
    };
    let mut w = Walk::new(dir, config.seed).map_err(|what| fail(&[], 0, what))?;
    let mut clock = Instant::now();
    let mut spent = |what: &'static str, figures: &mut Figures| {
        *figures.spent.entry(what).or_default() += clock.elapsed();
        clock = Instant::now();
    };
    for step in 1..=config.steps {
        let op = match w.next_op() {
            Ok(op) => op,
            Err(what) => return Err(fail(&ops, step, what)),
        };
        spent("building", &mut figures);
        ops.push(op.clone());
        let result = w.apply(&op).and_then(|refused| {
            spent("running", &mut figures);
            if let Some(last) = ops.last_mut() {
                last.refused = refused.is_some();
            }
            w.check_db()?;
            spent("db check", &mut figures);
            if step % config.full_every.max(1) == 0 || step == config.steps {
                figures.full_checks += 1;
                w.check_reports()?;
                spent("reports", &mut figures);
            }
            Ok(refused)
        });
        match result {
            Ok(refused) => {
                let e = figures.kinds.entry(op.kind).or_default();
                e.0 += 1;
                if let Some(sentence) = refused {
                    e.1 += 1;
                    *figures.reasons.entry(format!("{}: {}", op.kind, without_numbers(&sentence))).or_default() += 1;
                }
                if op.expect == Expect::Refused {
                    figures.invalid += 1;
                }
            }
            Err(what) => {
                let mut failure = fail(&ops, step, what);
                let scratch = dir.join("replay");
                failure.prefix = shortest_prefix(&scratch, config.seed, &ops);
                if let Some((n, _)) = &failure.prefix {
                    failure.shrunk = shrink(&scratch, config.seed, &ops[..*n], config.shrink_budget);
                }
                return Err(failure);
            }
        }
    }
    figures.steps = config.steps;
    figures.unchanged = w.unchanged;
    let (requests, partners, reminders) = w.size();
    figures.requests = requests;
    figures.partners = partners;
    figures.reminders = reminders;
    figures.elapsed = started.elapsed();
    Ok(figures)
}

/// Replays `ops` on a fresh network with every check after every step; the first step that
/// fails, and why.
pub fn replay(dir: &Path, seed: u64, ops: &[Op]) -> Option<(usize, String)> {
    let _ = std::fs::remove_dir_all(dir);
    std::fs::create_dir_all(dir).ok()?;
    let mut w = match Walk::new(dir, seed) {
        Ok(w) => w,
        Err(what) => return Some((0, what)),
    };
    for (i, op) in ops.iter().enumerate() {
        let result = w.apply(op).and_then(|_| w.check_db()).and_then(|_| w.check_reports());
        if let Err(what) = result {
            return Some((i + 1, what));
        }
    }
    None
}

fn shortest_prefix(dir: &Path, seed: u64, ops: &[Op]) -> Option<(usize, String)> {
    replay(dir, seed, ops)
}

/// Replays `ops` on a fresh network and checks once, at the end (a refused command that changes
/// the database, or an invalid one accepted, fails on the way); why it fails, if it does.
fn fails_at_end(dir: &Path, seed: u64, ops: &[Op]) -> Option<String> {
    let _ = std::fs::remove_dir_all(dir);
    std::fs::create_dir_all(dir).ok()?;
    let mut w = match Walk::new(dir, seed) {
        Ok(w) => w,
        Err(what) => return Some(what),
    };
    for op in ops {
        if let Err(what) = w.apply(op) {
            return Some(what);
        }
    }
    w.check_db().and_then(|_| w.check_reports()).err()
}

/// What a failure is about, so that shrinking keeps to failures of the same sort.
fn sort_of(what: &str) -> &'static str {
    const SORTS: &[&str] = &[
        "db check",
        "report reminders",
        "report summary",
        "does not add up",
        "refused command",
        "invalid operation",
        "panicked",
        "db check --repair",
    ];
    SORTS.iter().rev().find(|s| what.contains(*s)).copied().unwrap_or("other")
}

/// Shrinks a failing sequence by dropping chunks of operations (halves, then quarters, down to
/// one at a time) while what is left still fails in the same way, within `budget`; then cuts it
/// at the first step that fails with every check after every step.
fn shrink(dir: &Path, seed: u64, ops: &[Op], budget: Duration) -> Option<(Vec<Op>, String)> {
    let started = Instant::now();
    let mut kept: Vec<Op> = ops.to_vec();
    let sort = sort_of(&fails_at_end(dir, seed, &kept)?);
    // First what cannot have made the state that fails: the days passing (each operation carries
    // its own day) and the commands refused, all at once; the last operation stays.
    let last = kept.len().saturating_sub(1);
    let busy: Vec<Op> = kept
        .iter()
        .enumerate()
        .filter(|(i, op)| *i == last || !(op.refused || op.args.is_empty()))
        .map(|(_, op)| op.clone())
        .collect();
    if busy.len() < kept.len() && fails_at_end(dir, seed, &busy).is_some_and(|why| sort_of(&why) == sort) {
        kept = busy;
    }
    let mut chunk = kept.len().div_ceil(2);
    while chunk >= 1 && started.elapsed() < budget {
        let mut dropped = false;
        let mut at = 0;
        while at < kept.len() && started.elapsed() < budget {
            let mut fewer = kept.clone();
            fewer.drain(at..(at + chunk).min(kept.len()));
            match fails_at_end(dir, seed, &fewer) {
                Some(why) if sort_of(&why) == sort => {
                    kept = fewer;
                    dropped = true;
                }
                _ => at += chunk,
            }
        }
        if !dropped {
            chunk /= 2;
        }
    }
    let (n, what) = replay(dir, seed, &kept)?;
    kept.truncate(n);
    if kept.len() < ops.len() { Some((kept, what)) } else { None }
}
