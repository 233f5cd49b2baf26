//! The fuzz targets of `fuzz/` run for a few seconds each, and the inputs they found, kept.

use crate::support::Network;
use std::path::{Path, PathBuf};
use std::process::Command;

/// Seconds each target runs here; `fuzz/README.md` has the long runs.
const SECONDS: u32 = 5;

fn cargo() -> PathBuf {
    std::env::var_os("CARGO").map_or_else(|| PathBuf::from("cargo"), PathBuf::from)
}

// Says so on standard error when it skips: a skipped check is not a passed one.
#[allow(clippy::print_stderr)]
#[test]
fn each_fuzz_target_runs_for_a_few_seconds_without_a_failure() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let installed = Command::new(cargo()).args(["fuzz", "--version"]).output().is_ok_and(|o| o.status.success());
    if !installed {
        eprintln!("skipped: cargo fuzz is not installed (`cargo install cargo-fuzz` to run the fuzz targets)");
        return;
    }
    // Built beside the test binaries (target/fuzz), in the dev profile: a few seconds of fuzzing
    // need no optimiser, and the build is kept for the next run.
    let target_dir = Path::new(env!("CARGO_BIN_EXE_engage")).parent().and_then(Path::parent).unwrap().join("fuzz");
    for (target, seeds, extra) in [
        ("dates", vec!["fuzz/seeds/dates"], vec!["-dict=fuzz/dates.dict"]),
        ("import", vec!["examples/signups", "tests/data/csv/hostile"], vec![]),
    ] {
        let corpus = tempfile::tempdir().unwrap();
        let mut cmd = Command::new(cargo());
        cmd.current_dir(root)
            // cargo-fuzz asks for nightly flags; the stable compiler takes them with this.
            .env("RUSTC_BOOTSTRAP", "1")
            .args(["fuzz", "run", "--dev", "--sanitizer", "none", "--target-dir"])
            .arg(&target_dir)
            .arg(target)
            .arg(corpus.path())
            .args(&seeds)
            .arg("--")
            .arg(format!("-max_total_time={SECONDS}"))
            .args(&extra);
        let out = cmd.output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        let tail: Vec<&str> = stderr.lines().rev().take(40).collect::<Vec<_>>().into_iter().rev().collect();
        assert!(out.status.success(), "cargo fuzz run {target} failed:\n{}", tail.join("\n"));
        assert!(stderr.contains("Done "), "cargo fuzz run {target} did not report its runs:\n{}", tail.join("\n"));
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
