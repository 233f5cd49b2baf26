//! Two writers and a reader on one database file (SPEC §6: "a busy timeout so that cron's report
//! and a coordinator's command never fail with 'database is locked'").
//!
//! For the time given, three loops run the real `engage` binary side by side on one network:
//! - sign-up imports, one generated export after another (long write transactions);
//! - check-ins with the two selected partners of a running engagement (short writes);
//! - the morning reminder, `engage report reminders` (a reader, as cron runs it).
//!
//! Every command must succeed, none may say "locked" or "busy", and afterwards every write must
//! be there: each check-in by its note, each import by the partners it said it added, and
//! `engage db check` must pass.
//!
//! Shared by `#[path]` between `examples/contention.rs` (the full run) and `tests/cli/faults.rs`.

use super::{pinned, signups};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

pub struct Setup {
    pub engage: PathBuf,
    pub dir: PathBuf,
    /// How long the three loops run.
    pub seconds: f64,
    /// Rows of each sign-up export imported.
    pub import_rows: u64,
    pub seed: u64,
}

#[derive(Debug, Default, Clone, PartialEq)]
pub struct Figures {
    pub seconds: f64,
    pub imports: u32,
    pub rows_imported: u64,
    pub checkins: u32,
    pub reports: u32,
    /// Commands that did not succeed, with what they said.
    pub failures: Vec<String>,
    /// Outputs that mention "locked" or "busy".
    pub locked: u32,
    /// Partners the imports reported adding, and partners found afterwards (beyond the two the
    /// engagement started with).
    pub partners_added: i64,
    pub partners_found: i64,
    /// Check-ins found afterwards by their notes.
    pub checkins_found: u32,
    /// The longest any one check-in or report took, in seconds (a check-in may wait behind an
    /// import's transaction; a report never waits).
    pub longest_checkin: f64,
    pub longest_report: f64,
    pub db_check_passed: bool,
}

/// Runs the three loops and checks what they left; the figures say what happened, and the caller
/// decides what is a failure.
pub fn run(setup: &Setup) -> Result<Figures, String> {
    std::fs::create_dir_all(&setup.dir).map_err(|e| format!("cannot create {}: {e}", setup.dir.display()))?;
    let db = setup.dir.join("contention.db");
    engagement(setup, &db)?;
    // The imports start until the time is up; the check-ins and reports go on until the last
    // import has ended, so every import has company.
    let imports_done = AtomicBool::new(false);
    let started = Instant::now();
    let deadline = started + Duration::from_secs_f64(setup.seconds);
    let (imports, checkins, reports) = std::thread::scope(|s| {
        let imports = s.spawn(|| {
            let _done = Done(&imports_done);
            import_loop(setup, &db, deadline)
        });
        let checkins = s.spawn(|| checkin_loop(setup, &db, &imports_done));
        let reports = s.spawn(|| report_loop(setup, &db, &imports_done));
        (imports.join(), checkins.join(), reports.join())
    });
    let (imports, checkins, reports) = match (imports, checkins, reports) {
        (Ok(i), Ok(c), Ok(r)) => (i, c, r),
        _ => return Err("a loop of the contention test panicked".to_string()),
    };
    let mut f = Figures { seconds: started.elapsed().as_secs_f64(), ..Figures::default() };
    for tally in [&imports.tally, &checkins.tally, &reports.tally] {
        f.failures.extend(tally.failures.iter().cloned());
        f.locked += tally.locked;
    }
    f.imports = imports.tally.runs;
    f.rows_imported = u64::from(imports.tally.runs) * setup.import_rows;
    f.partners_added = imports.added;
    f.checkins = checkins.tally.runs;
    f.longest_checkin = checkins.tally.longest;
    f.reports = reports.tally.runs;
    f.longest_report = reports.tally.longest;

    let conn = rusqlite::Connection::open(&db).map_err(|e| e.to_string())?;
    let partners: i64 = conn.query_row("SELECT count(*) FROM partner", [], |r| r.get(0)).map_err(|e| e.to_string())?;
    f.partners_found = partners - 2;
    let mut stmt =
        conn.prepare("SELECT note FROM checkin WHERE note LIKE 'contention %'").map_err(|e| e.to_string())?;
    let notes: Vec<String> =
        stmt.query_map([], |r| r.get(0)).and_then(|rows| rows.collect()).map_err(|e| e.to_string())?;
    f.checkins_found = checkins.notes.iter().filter(|n| notes.contains(n)).count() as u32;
    if notes.len() != checkins.notes.len() {
        f.failures.push(format!("{} check-ins were recorded, {} are in the file", checkins.notes.len(), notes.len()));
    }
    drop(stmt);
    drop(conn);
    let check = engage(setup, &db, &["db", "check"]);
    f.db_check_passed = check.status.success();
    Ok(f)
}

/// Ana (1) and Bo (2) selected for an involve engagement under way (request 1).
fn engagement(setup: &Setup, db: &Path) -> Result<(), String> {
    let _ = std::fs::remove_file(db);
    let steps: &[(&str, &[&str])] = &[
        (
            "2026-09-20",
            &["recruit", "add", "--first", "Ana", "--last", "Silva", "--email", "ana@example.org", "--consent"],
        ),
        (
            "2026-09-20",
            &["recruit", "add", "--first", "Bo", "--last", "Chen", "--email", "bo@example.org", "--consent"],
        ),
        (
            "2026-09-20",
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
                "involve",
                "--starts",
                "2026-10-01",
                "--ends",
                "2027-03-31",
            ],
        ),
        ("2026-09-21", &["recruit", "respond", "1", "1", "--interested"]),
        ("2026-09-21", &["recruit", "respond", "1", "2", "--interested"]),
        ("2026-09-25", &["select", "decide", "1", "--select", "1,2"]),
    ];
    for (day, args) in steps {
        let out = command(setup, db).env("ENGAGE_TODAY", day).args(*args).output().map_err(|e| e.to_string())?;
        if !out.status.success() {
            return Err(format!("engage {args:?} failed: {}", String::from_utf8_lossy(&out.stderr)));
        }
    }
    Ok(())
}

/// Says the imports are over when the import loop ends, however it ends.
struct Done<'a>(&'a AtomicBool);

impl Drop for Done<'_> {
    fn drop(&mut self) {
        self.0.store(true, Ordering::SeqCst);
    }
}

#[derive(Default)]
struct Tally {
    runs: u32,
    failures: Vec<String>,
    locked: u32,
    longest: f64,
}

impl Tally {
    /// Counts a run; `ok` says whether its exit code is one of success.
    fn count(&mut self, what: &str, out: &Output, ok: bool, took: f64) {
        self.runs += 1;
        self.longest = self.longest.max(took);
        let said = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
        let lower = said.to_lowercase();
        if lower.contains("locked") || lower.contains("busy") {
            self.locked += 1;
        }
        if !ok {
            self.failures.push(format!("{what} exited {:?}: {said}", out.status.code()));
        }
    }
}

struct Imports {
    tally: Tally,
    added: i64,
}

fn import_loop(setup: &Setup, db: &Path, deadline: Instant) -> Imports {
    let mut imports = Imports { tally: Tally::default(), added: 0 };
    let mut n = 0u64;
    while Instant::now() < deadline {
        n += 1;
        let file = setup.dir.join(format!("signups-{n}.csv"));
        signups::generate(&file, setup.import_rows, setup.seed.wrapping_add(n));
        let started = Instant::now();
        let out = engage(setup, db, &["recruit", "import", &file.to_string_lossy(), "--format", "json"]);
        let code = out.status.code();
        imports.tally.count(&format!("import {n}"), &out, code == Some(0) || code == Some(3), secs(started));
        if let Ok(report) = serde_json::from_slice::<serde_json::Value>(&out.stdout) {
            imports.added += report["new"].as_i64().unwrap_or(0);
        }
        let _ = std::fs::remove_file(&file);
    }
    imports
}

struct Checkins {
    tally: Tally,
    notes: Vec<String>,
}

fn checkin_loop(setup: &Setup, db: &Path, imports_done: &AtomicBool) -> Checkins {
    let mut checkins = Checkins { tally: Tally::default(), notes: Vec::new() };
    let mut n = 0u32;
    while !imports_done.load(Ordering::SeqCst) {
        n += 1;
        let note = format!("contention {n}");
        let partner = if n % 2 == 0 { "2" } else { "1" };
        let started = Instant::now();
        let out = engage(
            setup,
            db,
            &["checkin", "1", "--partner", partner, "--status", "good", "--hours", "0.25", "--note", &note],
        );
        let ok = out.status.success();
        checkins.tally.count(&format!("check-in {n}"), &out, ok, secs(started));
        if ok {
            checkins.notes.push(note);
        }
    }
    checkins
}

struct Reports {
    tally: Tally,
}

fn report_loop(setup: &Setup, db: &Path, imports_done: &AtomicBool) -> Reports {
    let mut reports = Reports { tally: Tally::default() };
    let mut n = 0u32;
    while !imports_done.load(Ordering::SeqCst) {
        n += 1;
        let started = Instant::now();
        let out = engage(setup, db, &["report", "reminders"]);
        reports.tally.count(&format!("report {n}"), &out, out.status.success(), secs(started));
    }
    reports
}

fn secs(since: Instant) -> f64 {
    since.elapsed().as_secs_f64()
}

fn command(setup: &Setup, db: &Path) -> Command {
    pinned::engage(&setup.engage, db, &setup.dir.join("home"))
}

fn engage(setup: &Setup, db: &Path, args: &[&str]) -> Output {
    match command(setup, db).args(args).output() {
        Ok(out) => out,
        Err(e) => Output {
            status: std::os::unix::process::ExitStatusExt::from_raw(1 << 8),
            stdout: Vec::new(),
            stderr: format!("cannot start {}: {e}", setup.engage.display()).into_bytes(),
        },
    }
}
