//! Crash safety of the sign-up import (SPEC §5: "after a crash or a kill the database holds all of
//! the file's accepted rows or none of them").
//!
//! A network that already holds an earlier export (the baseline) imports a large sign-up file; the
//! real `engage` binary is killed with SIGKILL at seeded random moments of that import. After each
//! kill `engage db check` must pass, and the whole database (every row of every table) must be
//! either the baseline or what an import left undisturbed makes of it: nothing in between.
//!
//! After a kill that left nothing, the next import runs on the very same file (so recovery from a
//! write-ahead log full of uncommitted pages is part of the test); after one that left everything,
//! the baseline is put back.
//!
//! Shared by `#[path]` between `examples/kill_import.rs` (the full run) and `tests/cli/faults.rs`
//! (a small one in `cargo test`).

use super::pinned;
use super::signups::{self, Rng};
use rusqlite::types::ValueRef;
use std::fs;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

pub struct Setup {
    /// The `engage` binary to kill.
    pub engage: PathBuf,
    /// Where the sign-up files and databases are made.
    pub dir: PathBuf,
    /// Rows of the file imported (and killed).
    pub rows: u64,
    pub kills: u32,
    /// Seeds the files and the moments of the kills.
    pub seed: u64,
}

#[derive(Debug, Default, Clone, PartialEq)]
pub struct Figures {
    pub rows: u64,
    /// Partners in the baseline network before the import.
    pub baseline_partners: i64,
    /// New and updated partners an undisturbed import makes.
    pub new: i64,
    pub updated: i64,
    pub rejected: i64,
    /// How long an undisturbed import took (the faster of two).
    pub import_seconds: f64,
    pub kills: u32,
    /// Kills that found the import still running (the others came after it had ended).
    pub killed_running: u32,
    /// After the kill, the database was the baseline: the import left nothing.
    pub left_none: u32,
    /// After the kill, the database held every accepted row of the file.
    pub left_all: u32,
    /// `engage db check` passed after the kill.
    pub checks_passed: u32,
}

/// Runs the kills; `log` hears a line per kill. An error is the first broken promise, in words.
pub fn run(setup: &Setup, log: &mut dyn FnMut(&str)) -> Result<Figures, String> {
    fs::create_dir_all(&setup.dir).map_err(|e| format!("cannot create {}: {e}", setup.dir.display()))?;
    let file = setup.dir.join(format!("signups-{}.csv", setup.rows));
    let earlier = setup.dir.join("earlier.csv");
    signups::generate(&file, setup.rows, setup.seed);
    signups::generate(&earlier, (setup.rows / 10).max(100), setup.seed.wrapping_add(1));

    let base = setup.dir.join("baseline.db");
    remove_db(&base);
    let code = engage(setup, &base, &["recruit", "import", &path_str(&earlier)]).0;
    if code != 0 && code != 3 {
        return Err(format!("the baseline import exited {code}"));
    }
    let none = fingerprint(&base)?;

    // Timed twice, the faster kept: the first run also warms the disk cache, and a window cut to
    // the slower one would let many kills come after the import had ended.
    let reference = setup.dir.join("reference.db");
    let mut import_seconds = f64::MAX;
    let mut out = String::new();
    for _ in 0..2 {
        copy_db(&base, &reference)?;
        let started = Instant::now();
        let (code, report) = engage(setup, &reference, &["recruit", "import", &path_str(&file), "--format", "json"]);
        import_seconds = import_seconds.min(started.elapsed().as_secs_f64());
        if code != 0 && code != 3 {
            return Err(format!("the undisturbed import exited {code}"));
        }
        out = report;
    }
    let counts: serde_json::Value =
        serde_json::from_str(&out).map_err(|e| format!("the import's JSON report did not read: {e}"))?;
    let all = fingerprint(&reference)?;
    if all == none {
        return Err("the undisturbed import changed nothing; the test would prove nothing".to_string());
    }
    let mut figures = Figures {
        rows: setup.rows,
        baseline_partners: none.partners,
        new: counts["new"].as_i64().unwrap_or(-1),
        updated: counts["updated"].as_i64().unwrap_or(-1),
        rejected: counts["rejected"].as_i64().unwrap_or(-1),
        import_seconds,
        ..Figures::default()
    };

    let work = setup.dir.join("killed.db");
    copy_db(&base, &work)?;
    let mut rng = Rng(setup.seed ^ 0x6b69_6c6c);
    for kill in 1..=setup.kills {
        // Anywhere in the import, from the process starting to the moment it usually ends.
        let delay = Duration::from_secs_f64(rng.unit() * import_seconds);
        let mut child = command(setup, &work)
            .args(["recruit", "import", &path_str(&file)])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .map_err(|e| format!("cannot start {}: {e}", setup.engage.display()))?;
        std::thread::sleep(delay);
        let running = child.try_wait().map_err(|e| e.to_string())?.is_none();
        // SIGKILL: no destructor, no rollback, no chance to tidy up.
        let _ = child.kill();
        let _ = child.wait();
        figures.kills += 1;
        if running {
            figures.killed_running += 1;
        }
        let (code, out, err) = engage_full(setup, &work, &["db", "check"]);
        if code != 0 {
            return Err(format!("kill {kill} at {delay:.2?}: `engage db check` exited {code}: {out}{err}"));
        }
        figures.checks_passed += 1;
        let now = fingerprint(&work)?;
        let state = if now == none {
            figures.left_none += 1;
            "nothing"
        } else if now == all {
            figures.left_all += 1;
            copy_db(&base, &work)?;
            "everything"
        } else {
            return Err(format!(
                "kill {kill} at {delay:.2?} left the network half imported: {} partners (the baseline has {}, the whole import {})",
                now.partners, none.partners, all.partners
            ));
        };
        log(&format!(
            "kill {kill:>3} at {:>6.0} ms ({}): db check ok, the import left {state}",
            delay.as_secs_f64() * 1000.0,
            if running { "running" } else { "already ended" }
        ));
    }
    Ok(figures)
}

/// The whole logical content of a database: every row of every table, hashed, and the partners.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Fingerprint {
    hash: u64,
    partners: i64,
}

fn fingerprint(db: &Path) -> Result<Fingerprint, String> {
    let fail = |e: rusqlite::Error| format!("cannot read {}: {e}", db.display());
    let conn = rusqlite::Connection::open(db).map_err(fail)?;
    let tables: Vec<String> = conn
        .prepare("SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
        .and_then(|mut s| s.query_map([], |r| r.get(0))?.collect())
        .map_err(fail)?;
    let mut hasher = DefaultHasher::new();
    for table in &tables {
        table.hash(&mut hasher);
        // A full scan reads a table in rowid (or primary key) order: the same rows, the same order.
        let mut stmt = conn.prepare(&format!("SELECT * FROM \"{table}\"")).map_err(fail)?;
        let width = stmt.column_count();
        let mut cursor = stmt.query([]).map_err(fail)?;
        while let Some(row) = cursor.next().map_err(fail)? {
            for i in 0..width {
                match row.get_ref(i).map_err(fail)? {
                    ValueRef::Null => 0u8.hash(&mut hasher),
                    ValueRef::Integer(n) => (1u8, n).hash(&mut hasher),
                    ValueRef::Real(x) => (2u8, x.to_bits()).hash(&mut hasher),
                    ValueRef::Text(t) => (3u8, t).hash(&mut hasher),
                    ValueRef::Blob(b) => (4u8, b).hash(&mut hasher),
                }
            }
        }
    }
    let partners = conn.query_row("SELECT count(*) FROM partner", [], |r| r.get(0)).map_err(fail)?;
    Ok(Fingerprint { hash: hasher.finish(), partners })
}

fn command(setup: &Setup, db: &Path) -> Command {
    pinned::engage(&setup.engage, db, &setup.dir.join("home"))
}

fn engage_full(setup: &Setup, db: &Path, args: &[&str]) -> (i32, String, String) {
    match command(setup, db).args(args).output() {
        Ok(out) => (
            out.status.code().unwrap_or(-1),
            String::from_utf8_lossy(&out.stdout).into_owned(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        ),
        Err(e) => (-1, String::new(), format!("cannot start {}: {e}", setup.engage.display())),
    }
}

fn engage(setup: &Setup, db: &Path, args: &[&str]) -> (i32, String) {
    let (code, out, _) = engage_full(setup, db, args);
    (code, out)
}

fn path_str(path: &Path) -> String {
    path.to_string_lossy().into_owned()
}

fn sidecars(db: &Path) -> [PathBuf; 2] {
    let name = db.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    [db.with_file_name(format!("{name}-wal")), db.with_file_name(format!("{name}-shm"))]
}

fn remove_db(db: &Path) {
    let _ = fs::remove_file(db);
    for side in sidecars(db) {
        let _ = fs::remove_file(side);
    }
}

/// Copies a closed database (engage checkpoints and removes its -wal when the last connection ends).
fn copy_db(from: &Path, to: &Path) -> Result<(), String> {
    remove_db(to);
    fs::copy(from, to).map_err(|e| format!("cannot copy {} to {}: {e}", from.display(), to.display()))?;
    for (a, b) in sidecars(from).iter().zip(sidecars(to)) {
        if a.exists() {
            fs::copy(a, b).map_err(|e| format!("cannot copy {}: {e}", a.display()))?;
        }
    }
    Ok(())
}
