//! The sign-up import, whole: CSV reader, encodings, header mapping, row values, the merge into a
//! network, the report. Each input is a sign-up file; its last byte also picks the options
//! (date order, --on-duplicate, --encoding, --map, and whether it is a dry run or a real import
//! with --rejects into a fresh copy of a small network).
//!
//! Beyond "never panics": the counts add up, exit code 3 comes with rejected rows and only with
//! them, an error is one sentence with exit code 1 or 2, a refused import changes nothing, and a
//! real one adds exactly the partners it says it added.

#![no_main]

use clap::Parser;
use engage::cli::Cli;
use engage::prompt::ScriptedPrompter;
use engage::{Env, Exit};
use libfuzzer_sys::fuzz_target;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

const TODAY: &str = "2026-11-23";
/// A network to import into: the Google Forms sample export.
const NETWORK: &[u8] = include_bytes!("../../examples/signups/google-forms.csv");

struct Place {
    _dir: tempfile::TempDir,
    base: PathBuf,
    work: PathBuf,
    file: PathBuf,
    rejects: PathBuf,
    partners: i64,
}

fn engage(db: &Path, args: &[&str]) -> (Result<Exit, engage::error::Error>, Vec<u8>) {
    let cli = Cli::try_parse_from(std::iter::once("engage").chain(args.iter().copied())).unwrap();
    let env = Env::pinned(db, TODAY);
    let (mut out, mut err) = (Vec::new(), Vec::new());
    let result = engage::run(cli, &env, &mut out, &mut err, &mut ScriptedPrompter::default());
    (result, out)
}

fn partners(db: &Path) -> i64 {
    let conn = rusqlite::Connection::open(db).unwrap();
    conn.query_row("SELECT count(*) FROM partner", [], |r| r.get(0)).unwrap()
}

fn place() -> &'static Place {
    static PLACE: OnceLock<Place> = OnceLock::new();
    PLACE.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        let base = dir.path().join("network.db");
        let file = dir.path().join("signups.csv");
        std::fs::write(&file, NETWORK).unwrap();
        let (result, _) = engage(&base, &["recruit", "import", file.to_str().unwrap()]);
        result.unwrap();
        let partners = partners(&base);
        Place {
            work: dir.path().join("work.db"),
            rejects: dir.path().join("rejects.csv"),
            base,
            file,
            partners,
            _dir: dir,
        }
    })
}

fuzz_target!(|data: &[u8]| {
    let place = place();
    std::fs::write(&place.file, data).unwrap();
    let options = data.last().copied().unwrap_or(0);
    let real = options & 0b1000 != 0;
    let db = if real {
        for suffix in ["", "-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{}{suffix}", place.work.display()));
        }
        std::fs::copy(&place.base, &place.work).unwrap();
        &place.work
    } else {
        &place.base
    };
    let mut args = vec!["recruit", "import", place.file.to_str().unwrap(), "--format", "json"];
    match options & 0b11 {
        1 => args.extend(["--date-order", "dmy"]),
        2 => args.extend(["--date-order", "mdy"]),
        3 => args.extend(["--date-order", "ymd"]),
        _ => {}
    }
    if options & 0b100 != 0 {
        args.extend(["--on-duplicate", "skip"]);
    }
    if options & 0b1_0000 != 0 {
        args.extend(["--encoding", "windows-1252"]);
    }
    if options & 0b10_0000 != 0 {
        args.extend(["--map", "Your e-mail=email"]);
    }
    if real {
        args.extend(["--rejects", place.rejects.to_str().unwrap(), "--force"]);
    } else {
        args.push("--dry-run");
    }
    let (result, out) = engage(db, &args);
    match result {
        Ok(exit) => {
            let report: serde_json::Value = serde_json::from_slice(&out).unwrap();
            let n = |key: &str| report[key].as_i64().unwrap();
            assert_eq!(
                n("read"),
                n("new") + n("updated") + n("unchanged") + n("duplicates") + n("forgotten") + n("rejected"),
                "the counts do not add up: {report}"
            );
            assert_eq!(exit == Exit::Partial, n("rejected") > 0, "{report}");
            if real {
                assert_eq!(partners(db), place.partners + n("new"), "{report}");
            }
        }
        Err(e) => {
            let sentence = e.to_string();
            assert!(!sentence.is_empty() && !sentence.contains('\n'), "{sentence:?}");
            assert!(matches!(e.exit_code(), 1 | 2), "{sentence}");
            if real {
                assert_eq!(partners(db), place.partners, "a refused import changed the network: {sentence}");
            }
        }
    }
});
