//! The sign-up import under random and mutated files, in `cargo test` on stable Rust: a bounded
//! property test with a fixed seed, so every run tries the same few hundred files. The cargo-fuzz
//! targets of `fuzz/` explore further in long runs (`fuzz/README.md`); the inputs they found are
//! kept below as regression tests.
//!
//! For each file, through the real import (in process, as the binary runs it): no panic; the
//! counts add up (read = new + updated + unchanged + duplicates + rejected); exit code 3 comes with
//! rejected rows and only with them; an error is one sentence with exit code 1 or 2; a refused
//! import changes nothing (every row of every table, and the rejects file); a real one adds
//! exactly the partners it reports, writes one rejects row per rejected row, and leaves a
//! database that `db check` passes.

use crate::support::Network;
use engage::prompt::ScriptedPrompter;
use engage::{Env, Exit};
use std::path::{Path, PathBuf};

/// How many files are tried; `ENGAGE_PROPERTY_CASES` tries more (or fewer).
const CASES: usize = 300;
/// The fixed seed; `ENGAGE_PROPERTY_SEED` tries another sequence.
const SEED: u64 = 0x656e_6761_6765_0011;
/// Seeds larger than this are cut: the import's limits are tested elsewhere, at full size.
const SEED_BYTES: usize = 64 << 10;

/// splitmix64: small, fast and the same everywhere.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let z = (self.0 ^ (self.0 >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        let z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        if n == 0 { 0 } else { (self.next() % n as u64) as usize }
    }

    fn chance(&mut self, one_in: usize) -> bool {
        self.below(one_in) == 0
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

/// The sign-up exports of `examples/signups` (first) and every file of the CSV corpora in
/// `tests/data/csv`.
fn seeds() -> (Vec<Vec<u8>>, usize) {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(&path, out);
            } else if path.extension().is_none_or(|e| e != "md") {
                out.push(path);
            }
        }
    }
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut paths = Vec::new();
    walk(&root.join("examples/signups"), &mut paths);
    paths.sort();
    let exports = paths.len();
    let mut corpus = Vec::new();
    walk(&root.join("tests/data/csv"), &mut corpus);
    corpus.sort();
    paths.extend(corpus);
    let seeds = paths
        .iter()
        .map(|p| {
            let mut bytes = std::fs::read(p).unwrap();
            bytes.truncate(SEED_BYTES);
            bytes
        })
        .collect();
    (seeds, exports)
}

/// A sign-up export of valid rows (some people twice), as a form writes it.
fn valid_file(rng: &mut Rng) -> Vec<u8> {
    const FIRST: &[&str] = &["Ana", "Bo", "Chloé", "Dev", "Émile", "Farid", "Grace", "李"];
    let mut data =
        b"Timestamp,Email address,First name,Last name,Consent to be contacted,Topics of interest\n".to_vec();
    for _ in 0..rng.below(40) {
        let person = rng.below(60);
        let first = FIRST[person % FIRST.len()];
        data.extend_from_slice(
            format!(
                "2026-{:02}-{:02} 10:{:02}:00,person{person}@example.org,{first},Lee,{},\"discharge;{}\"\n",
                1 + rng.below(10),
                1 + rng.below(28),
                rng.below(60),
                if rng.chance(3) { "No" } else { "Yes" },
                if rng.chance(2) { "mental health" } else { "cancer care" },
            )
            .as_bytes(),
        );
    }
    data
}

/// Bytes that matter to a CSV reader, an encoding check or a value parser.
const INTERESTING: &[&[u8]] = &[
    b",",
    b"\"",
    b"\n",
    b"\r\n",
    b"\r",
    b";",
    b"\t",
    b"\0",
    b"\xff",
    b"\xe9",
    b"\xef\xbb\xbf",
    b"@",
    b"=",
    b"'",
    b"\"\"",
    b"Yes",
    b"No",
    b"2026-02-30",
    b"03/04/2026",
    b"9999-12-31",
    b"Sept 3 -202",
    b"45366.60759",
    b"\xe2\x80\xae",
    b"\x1b[2J",
    b"ana@example.org",
    b"a@b",
    b"Ana",
    b"  ",
    b"sep=;",
];

/// Headers a sign-up form writes, so that a mutated file often gets past its header row.
const HEADERS: &[&[u8]] = &[
    b"Timestamp,Email address,First name,Last name,Consent to be contacted\n",
    b"Email,Name,Consent to be contacted,Topics of interest,Region\n",
    b"Submitted at,E-mail,Given name,Phone,Consent to be contacted,Date of birth\n",
    b"Email address;First name;Consent to be contacted\n",
];

fn mutate(rng: &mut Rng, seeds: &[Vec<u8>], mut data: Vec<u8>) -> Vec<u8> {
    for _ in 0..=rng.below(4) {
        let at = rng.below(data.len() + 1);
        match rng.below(10) {
            0 if !data.is_empty() => {
                let i = rng.below(data.len());
                data[i] ^= 1 << rng.below(8);
            }
            1 => {
                let piece = rng.pick(INTERESTING);
                data.splice(at..at, piece.iter().copied());
            }
            2 if !data.is_empty() => {
                let end = (at + rng.below(64)).min(data.len());
                data.drain(at..end);
            }
            3 => {
                // A line of the file again, somewhere else.
                let lines: Vec<&[u8]> = data.split(|b| *b == b'\n').collect();
                let line = rng.pick(&lines).to_vec();
                let to = rng.below(data.len() + 1);
                data.splice(to..to, line.into_iter().chain([b'\n']));
            }
            4 => {
                // Another seed's tail after this one's head.
                let other = rng.pick(seeds);
                let from = rng.below(other.len() + 1);
                data.truncate(at);
                data.extend_from_slice(&other[from..]);
            }
            5 => {
                let header = rng.pick(HEADERS);
                data.splice(0..0, header.iter().copied());
            }
            6 => data.truncate(at),
            7 => {
                let long = vec![b'x'; rng.below(70_000)];
                data.splice(at..at, long);
            }
            8 => {
                let byte = rng.next() as u8;
                data.insert(at, byte);
            }
            _ => {
                // A row made of the interesting pieces.
                let mut row = Vec::new();
                for _ in 0..rng.below(8) {
                    let piece: &[u8] = INTERESTING[rng.below(INTERESTING.len())];
                    row.extend_from_slice(piece);
                    row.push(b',');
                }
                row.push(b'\n');
                data.splice(at..at, row);
            }
        }
    }
    data
}

/// A file made from nothing: a form's header, then rows of random pieces.
fn random_file(rng: &mut Rng) -> Vec<u8> {
    let mut data = rng.pick(HEADERS).to_vec();
    for _ in 0..rng.below(30) {
        for column in 0..rng.below(7) {
            if column > 0 {
                data.push(b',');
            }
            for _ in 0..rng.below(3) {
                let piece: &[u8] = INTERESTING[rng.below(INTERESTING.len())];
                data.extend_from_slice(piece);
            }
        }
        data.extend_from_slice(if rng.chance(4) { b"\r\n" } else { b"\n" });
    }
    data
}

fn engage(db: &Path, args: &[&str]) -> (Result<Exit, engage::error::Error>, Vec<u8>) {
    let cli = engage::cli::parse(std::iter::once("engage").chain(args.iter().copied())).unwrap();
    let env = Env::pinned(db, crate::support::TODAY);
    let (mut out, mut err) = (Vec::new(), Vec::new());
    let result = engage::run(cli, &env, &mut out, &mut err, &mut ScriptedPrompter::default());
    (result, out)
}

/// Every row of every table, to show that a refused import changed nothing.
fn dump(db: &Path) -> Vec<String> {
    let conn = rusqlite::Connection::open(db).unwrap();
    let tables: Vec<String> = conn
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    let mut out = Vec::new();
    for table in tables {
        let mut stmt = conn.prepare(&format!("SELECT * FROM \"{table}\" ORDER BY 1")).unwrap();
        let n = stmt.column_count();
        let rows = stmt
            .query_map([], |r| {
                let mut line = table.clone();
                for i in 0..n {
                    line.push_str(&format!("|{:?}", r.get::<_, rusqlite::types::Value>(i)?));
                }
                Ok(line)
            })
            .unwrap();
        out.extend(rows.map(|r| r.unwrap()));
    }
    out
}

fn partners(db: &Path) -> i64 {
    rusqlite::Connection::open(db).unwrap().query_row("SELECT count(*) FROM partner", [], |r| r.get(0)).unwrap()
}

/// How a case ended, counted so that the test shows it tried every way an import ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Ended {
    Imported,
    ImportedInPart,
    Refused,
}

/// Checks one file against the properties; `Err` says which one failed.
fn one_case(net: &Network, base: &Path, rng: &mut Rng, data: &[u8]) -> Result<Ended, String> {
    let file = net.path("signups.csv");
    let rejects = net.path("rejects.csv");
    std::fs::write(&file, data).unwrap();
    let real = rng.chance(2);
    let work = net.path("work.db");
    let db = if real {
        for suffix in ["", "-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{}{suffix}", work.display()));
        }
        std::fs::copy(base, &work).unwrap();
        work.as_path()
    } else {
        base
    };
    let mut args = vec!["recruit", "import", file.to_str().unwrap(), "--format", "json"];
    args.extend(match rng.below(4) {
        1 => ["--date-order", "dmy"].as_slice(),
        2 => &["--date-order", "mdy"],
        3 => &["--date-order", "ymd"],
        _ => &[],
    });
    if rng.chance(4) {
        args.extend(["--on-duplicate", "skip"]);
    }
    if rng.chance(6) {
        args.extend(["--encoding", "windows-1252"]);
    }
    if rng.chance(6) {
        args.extend(["--map", "Your e-mail=email"]);
    }
    if real {
        args.extend(["--rejects", rejects.to_str().unwrap(), "--force"]);
    } else {
        args.push("--dry-run");
    }
    let before = dump(db);
    let partners_before = partners(db);
    let rejects_before = std::fs::read(&rejects).ok();
    let (result, out) = engage(db, &args);
    let fail = |what: String| Err(format!("{what} (engage {})", args.join(" ")));
    match result {
        Ok(exit) => {
            let report: serde_json::Value = serde_json::from_slice(&out).map_err(|e| format!("not JSON: {e}"))?;
            let n = |key: &str| report[key].as_i64().unwrap_or(-1);
            if n("read") != n("new") + n("updated") + n("unchanged") + n("duplicates") + n("rejected") {
                return fail(format!("the counts do not add up: {report}"));
            }
            if (exit == Exit::Partial) != (n("rejected") > 0) {
                return fail(format!("exit {} with {} rejected rows", exit.code(), n("rejected")));
            }
            let ended = if n("rejected") > 0 { Ended::ImportedInPart } else { Ended::Imported };
            if !real {
                if dump(db) != before {
                    return fail("a dry run changed the database".to_string());
                }
                return Ok(ended);
            }
            if partners(db) != partners_before + n("new") {
                return fail(format!("{} partners, not {} + {} new", partners(db), partners_before, n("new")));
            }
            let mut reader = csv::ReaderBuilder::new().has_headers(false).flexible(true).from_path(&rejects).unwrap();
            let records = reader.records().count() as i64;
            if !(n("rejected") + 1..=n("rejected") + 2).contains(&records) {
                return fail(format!("{records} records in the rejects file for {} rejected rows", n("rejected")));
            }
            let (check, _) = engage(db, &["db", "check"]);
            if let Err(e) = check {
                return fail(format!("db check fails after the import: {e}"));
            }
            Ok(ended)
        }
        Err(e) => {
            let sentence = e.to_string();
            if sentence.is_empty() || sentence.contains('\n') || !matches!(e.exit_code(), 1 | 2) {
                return fail(format!("the error is not one sentence with exit 1 or 2: {sentence:?}"));
            }
            if dump(db) != before {
                return fail(format!("a refused import changed the database: {sentence}"));
            }
            if std::fs::read(&rejects).ok() != rejects_before {
                return fail(format!("a refused import changed the rejects file: {sentence}"));
            }
            Ok(Ended::Refused)
        }
    }
}

#[test]
fn random_and_mutated_sign_up_files_keep_every_promise_of_the_import() {
    let number = |name: &str| std::env::var(name).ok().and_then(|v| v.parse::<u64>().ok());
    let cases = number("ENGAGE_PROPERTY_CASES").map_or(CASES, |n| n as usize);
    let seed = number("ENGAGE_PROPERTY_SEED").unwrap_or(SEED);
    let (seeds, exports) = seeds();
    assert!(exports >= 6 && seeds.len() > 200, "the seed corpus is missing ({} files)", seeds.len());
    let net = Network::new();
    let base = net.path("network.db");
    // A network to import into: the Google Forms sample export.
    let network = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/signups/google-forms.csv");
    let (result, _) = engage(&base, &["recruit", "import", network.to_str().unwrap()]);
    result.unwrap();
    let mut rng = Rng(seed);
    let mut ended: std::collections::HashMap<Ended, usize> = std::collections::HashMap::new();
    for case in 0..cases {
        let start = match rng.below(20) {
            0..4 => random_file(&mut rng),
            4..10 => valid_file(&mut rng),
            10..17 => rng.pick(&seeds[..exports]).clone(),
            _ => rng.pick(&seeds).clone(),
        };
        let data = if rng.chance(3) { start } else { mutate(&mut rng, &seeds, start) };
        let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| one_case(&net, &base, &mut rng, &data)));
        let failure = match outcome {
            Ok(Ok(how)) => {
                *ended.entry(how).or_default() += 1;
                continue;
            }
            Ok(Err(what)) => what,
            Err(panic) => format!(
                "engage panicked: {}",
                panic
                    .downcast_ref::<String>()
                    .cloned()
                    .or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()))
                    .unwrap_or_default()
            ),
        };
        // The file is kept where a coordinator of the tests can find it, and the case can be run
        // again with its seed.
        let kept = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("property-case-{seed:x}-{case}.csv"));
        std::fs::write(&kept, &data).unwrap();
        panic!("case {case} of seed {seed:#x}: {failure}; the file is {}", kept.display());
    }
    // Files that import, files with rejected rows and refused files, each a good share: a
    // generator that only made one kind would test little.
    for how in [Ended::Imported, Ended::ImportedInPart, Ended::Refused] {
        let n = ended.get(&how).copied().unwrap_or(0);
        assert!(n * 10 >= cases, "only {n} of {cases} cases ended {how:?}: {ended:?}");
    }
}

/// Found by `cargo fuzz run dates`: "Sept 3 -202" was read as the year -202, a date the database
/// cannot keep, and from then on `recruit list` and `recruit show` failed for the whole network.
#[test]
fn a_sign_up_dated_with_a_signed_year_is_rejected_and_the_network_still_lists() {
    let net = Network::new();
    let file = net.path("signups.csv");
    std::fs::write(
        &file,
        "Timestamp,First name,Last name,Email address,Consent to be contacted\n\
         \"Sept 3 -202\",Ana,Silva,ana@example.org,Yes\n\
         2024-03-15,Bo,Li,bo@example.org,Yes\n",
    )
    .unwrap();
    let run = net.run(&["recruit", "import", file.to_str().unwrap(), "--format", "json"]);
    assert_eq!(run.code, 3, "{}", run.stderr);
    let report: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(report["new"], 1);
    assert_eq!(report["rejected_rows"][0]["line"], 2);
    assert_eq!(report["rejected_rows"][0]["column"], "Timestamp");
    let list = net.ok(&["recruit", "list", "--format", "csv"]);
    assert!(list.contains("Bo Li"), "{list}");
}

/// Found by `cargo fuzz run import`: a refusal that lists a file's columns printed them as they
/// were, so a header with a line break split the sentence over lines, one with an escape sequence
/// acted on the terminal, and a header row swallowed by an unclosed quote printed the whole file.
#[test]
fn a_refusal_quoting_a_files_headers_stays_one_line_and_cannot_act_on_the_terminal() {
    let net = Network::new();
    let file = net.path("signups.csv");
    let long = "Q".repeat(100);
    std::fs::write(&file, format!("Email address,\"First\nname\",\x1b[2JBoom,{long}\na@b.org,Ana,x,y\n")).unwrap();
    let run = net.run(&["recruit", "import", file.to_str().unwrap()]);
    assert_eq!(run.code, 1);
    assert_eq!(
        run.stderr,
        format!(
            "engage: error: {} is missing a consent column (such as 'Consent to be contacted'). Its columns are: \
             Email address, First\\x0aname, \\x1b[2JBoom, {}…. Name a column with --map 'Header=field'; nothing was \
             imported\n",
            file.display(),
            "Q".repeat(60)
        )
    );
}
