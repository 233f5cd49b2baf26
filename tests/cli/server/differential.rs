//! One scripted engagement run twice, on a file and on a fresh database of the test server, and
//! every step's standard output, standard error and exit code compared byte for byte, in each of
//! the three formats (SPEC §9: every command, rule, output and exit code the same on both).
//!
//! The script goes the whole way: sign-ups imported (one file of them with rejected rows, one
//! imported again), four requests (one hourly, one with an honorarium, one bare with no dates at
//! all and cancelled, one whose criteria sort differently by code point and in English),
//! invitations, responses, scores and the ranking, decisions with a waitlist, onboarding,
//! check-ins with hours, expenses and concerns, a concern resolved, payment, a declined payment and
//! a reimbursement, closing, a partner forgotten; then every report and listing. Each format runs
//! the whole script on networks of its own, so the writing commands are compared in that format
//! too.

use super::FreshDatabase;
use crate::support::{Network, Run};

/// The server's database sorts text as a server set up for English does, by the language's rules
/// (ICU's en-US: accents and case second, punctuation before digits before letters), not by code
/// point as the test cluster's C.UTF-8 and a SQLite file do: what engage prints in an order of
/// text must not depend on the server's collation.
const COLLATED: &str = "TEMPLATE template0 LOCALE_PROVIDER icu ICU_LOCALE 'en-US' LOCALE 'C.UTF-8'";

/// Who runs engage, pinned: the event log, the requests' owner and `--mine` name them.
const COORDINATOR: &str = "Dana Whitehorse";

const BASELINE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/csv/hostile/h01_baseline_lf.csv");
const UNICODE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/csv/hostile/h25_names_unicode.csv");

/// A command of the script: the day it runs on, its arguments, and the exit code it has on a file
/// (so that a mistyped step fails here rather than failing the same way on both).
struct Step {
    day: &'static str,
    args: &'static [&'static str],
    code: i32,
    /// Whether standard output is the same on both; false only where it names the engine.
    same_stdout: bool,
}

const fn on(day: &'static str, args: &'static [&'static str]) -> Step {
    Step { day, args, code: 0, same_stdout: true }
}

const fn partial(day: &'static str, args: &'static [&'static str]) -> Step {
    Step { day, args, code: 3, same_stdout: true }
}

const fn refused(day: &'static str, args: &'static [&'static str]) -> Step {
    Step { day, args, code: 1, same_stdout: true }
}

/// The day the reports are read on, after the first engagement closed and the second runs.
const TODAY: &str = "2026-11-23";

const SCRIPT: &[Step] = &[
    on("2026-08-01", &["recruit", "import", BASELINE]),
    // Two rows rejected: exit 3, the partial success.
    partial("2026-08-01", &["recruit", "import", UNICODE]),
    on(
        "2026-08-01",
        &[
            "recruit",
            "add",
            "--consent",
            "--first",
            "ana",
            "--last",
            "de la Cruz",
            "--email",
            "ana.delacruz@example.org",
            "--region",
            "fraser",
            "--languages",
            "English,Tagalog",
            "--topics",
            "primary care,seniors care",
        ],
    ),
    on(
        "2026-08-03",
        &[
            "request",
            "new",
            "--title",
            "Primary care access",
            "--org",
            "Fraser Health",
            "--contact-name",
            "Lee Wong",
            "--contact-email",
            "lee.wong@example.org",
            "--contact-phone",
            "604-555-0199",
            "--way",
            "collaborate",
            "--hours",
            "40",
            "--seats",
            "2",
            "--rate",
            "25",
            "--starts",
            "2026-09-01",
            "--ends",
            "2026-11-15",
            "--topics",
            "primary care,rural health",
            "--criteria",
            "experience!,speaking,listening:2",
            "--description",
            "Co-design a primary care access plan with patients and families",
            "--respond-by",
            "2026-08-14",
            "--select-by",
            "2026-08-20",
        ],
    ),
    on(
        "2026-08-03",
        &[
            "request",
            "new",
            "--title",
            "Seniors care feedback",
            "--org",
            "Island Health",
            "--contact-name",
            "Priya Natarajan-Whitfield",
            "--contact-email",
            "priya@islandhealth.example.org",
            "--way",
            "consult",
            "--seats",
            "2",
            "--honorarium",
            "150.50",
            "--starts",
            "2026-10-01",
            "--ends",
            "2027-01-31",
            "--topics",
            "seniors care,health equity",
            "--owner",
            "ben li",
        ],
    ),
    on(
        "2026-08-05",
        &[
            "request",
            "new",
            "--title",
            "advisory council seat",
            "--org",
            "Northern Health",
            "--contact-name",
            "Sam Roy",
            "--contact-email",
            "sam.roy@example.org",
            "--way",
            "inform",
        ],
    ),
    // Criteria whose order by code point is not their order in English (ICU puts '_' before '-',
    // digits before letters, é before f): the refusal below names them in one order on both.
    on(
        "2026-08-05",
        &[
            "request",
            "new",
            "--title",
            "Rural health survey",
            "--org",
            "Northern Health",
            "--contact-name",
            "Sam Roy",
            "--contact-email",
            "sam.roy@example.org",
            "--way",
            "consult",
            "--topics",
            "rural health",
            "--criteria",
            "lived_experience,lived-experience,équité,fluency2,Zeta,fluency",
        ],
    ),
    on("2026-08-05", &["recruit", "import", BASELINE]),
    on("2026-08-04", &["recruit", "invite", "1"]),
    on("2026-08-04", &["recruit", "invite", "2", "--limit", "4"]),
    on(
        "2026-08-10",
        &[
            "recruit",
            "respond",
            "1",
            "1",
            "--interested",
            "--statement",
            "I waited two years for a family doctor",
            "--availability",
            "weekday evenings",
        ],
    ),
    on("2026-08-10", &["recruit", "respond", "1", "6", "--interested", "--statement", "Caregiver for my mother"]),
    on("2026-08-11", &["recruit", "respond", "1", "8", "--interested", "--availability", "mornings"]),
    on("2026-08-11", &["recruit", "respond", "1", "14", "--interested", "--conflict", "works at a clinic"]),
    on("2026-08-12", &["recruit", "respond", "1", "15", "--declined"]),
    on("2026-08-12", &["recruit", "respond", "2", "3", "--interested"]),
    on("2026-08-12", &["recruit", "respond", "2", "9", "--interested"]),
    on("2026-08-13", &["recruit", "respond", "2", "12", "--interested"]),
    on(
        "2026-08-15",
        &["select", "score", "1", "1", "--score", "experience=3", "--score", "speaking=2", "--score", "listening=3"],
    ),
    on(
        "2026-08-15",
        &["select", "score", "1", "6", "--score", "experience=2", "--score", "speaking=3", "--score", "listening=2"],
    ),
    on(
        "2026-08-15",
        &["select", "score", "1", "8", "--score", "experience=2", "--score", "speaking=3", "--score", "listening=2"],
    ),
    on(
        "2026-08-15",
        &["select", "score", "1", "14", "--score", "experience=0", "--score", "speaking=3", "--score", "listening=3"],
    ),
    on("2026-08-16", &["select", "rank", "1"]),
    on("2026-08-06", &["recruit", "invite", "4"]),
    on("2026-08-07", &["recruit", "respond", "4", "5", "--interested"]),
    on(
        "2026-08-08",
        &[
            "select",
            "score",
            "4",
            "5",
            "--score",
            "lived_experience=1",
            "--score",
            "lived-experience=2",
            "--score",
            "équité=3",
            "--score",
            "fluency2=1",
            "--score",
            "zeta=2",
            "--score",
            "fluency=3",
        ],
    ),
    refused("2026-08-09", &["request", "edit", "4", "--criteria", "speaking"]),
    on("2026-08-18", &["select", "decide", "1", "--select", "1,6", "--waitlist", "8"]),
    on("2026-08-19", &["select", "notify", "1"]),
    on("2026-08-20", &["select", "decide", "2", "--select", "3,9", "--waitlist", "12"]),
    on(
        "2026-09-01",
        &[
            "select",
            "onboard",
            "1",
            "1",
            "--commitments-signed",
            "2026-08-25",
            "--welcomed",
            "2026-08-25",
            "--oriented",
            "2026-08-28",
            "--introduced",
            "2026-09-01",
        ],
    ),
    on(
        "2026-09-01",
        &["select", "onboard", "1", "6", "--commitments-signed", "2026-08-26", "--welcomed", "2026-08-26"],
    ),
    on(
        "2026-10-01",
        &["select", "onboard", "2", "3", "--commitments-signed", "2026-09-30", "--welcomed", "2026-09-30"],
    ),
    on(
        "2026-09-15",
        &[
            "checkin",
            "1",
            "--partner",
            "1",
            "--hours",
            "6",
            "--expenses",
            "20.35",
            "--expense-note",
            "parking, two meetings",
        ],
    ),
    on("2026-10-15", &["checkin", "1", "--partner", "6", "--hours", "8.25", "--note", "first sessions went well"]),
    on(
        "2026-10-20",
        &["checkin", "1", "--requester", "--concern", "barrier", "--note", "no captioning at the first session"],
    ),
    on("2026-10-21", &["checkin", "1", "--partner", "1", "--hours", "3.5"]),
    on(
        "2026-11-01",
        &["checkin", "2", "--partner", "3", "--hours", "2", "--status", "serious", "--concern", "wellbeing"],
    ),
    on("2026-11-02", &["checkin", "2", "--team", "--note", "kick-off held"]),
    on("2026-11-16", &["close", "pay", "1", "1", "--method", "e-transfer"]),
    on("2026-11-16", &["close", "reimburse", "1", "1"]),
    on("2026-11-17", &["close", "pay", "1", "6", "--declined"]),
    on(
        "2026-11-18",
        &[
            "close",
            "1",
            "--outcomes",
            "a new access plan, with an evening clinic",
            "--loop-closed",
            "2026-11-18",
            "--thanked",
            "2026-11-18",
            "--partner-survey",
            "2026-11-18",
            "--requester-survey",
            "2026-11-18",
        ],
    ),
    on("2026-11-19", &["checkin", "resolve", "3", "--note", "captions booked for every session"]),
    on("2026-11-20", &["recruit", "forget", "14"]),
    on("2026-11-21", &["request", "cancel", "3", "--reason", "the council filled the seat"]),
    // The reports, on the day.
    on(TODAY, &["report", "summary"]),
    on(TODAY, &["report", "reminders"]),
    on(TODAY, &["report", "participation"]),
    on(TODAY, &["report", "compensation"]),
    on(TODAY, &["report", "compensation", "--by", "partner"]),
    on(TODAY, &["report", "compensation", "--by", "request"]),
    on(TODAY, &["report", "compensation", "--by", "partner", "--year", "2026"]),
    on(TODAY, &["request", "list"]),
    on(TODAY, &["request", "list", "--status", "open"]),
    on(TODAY, &["request", "show", "1"]),
    on(TODAY, &["request", "show", "3"]),
    on(TODAY, &["recruit", "show", "6"]),
    on(TODAY, &["recruit", "show", "14"]),
    on(TODAY, &["recruit", "responses", "1"]),
    on(TODAY, &["recruit", "export"]),
    on(TODAY, &["recruit", "list"]),
    on(TODAY, &["recruit", "list", "--status", "forgotten"]),
    on(TODAY, &["recruit", "list", "--search", "care"]),
    on(TODAY, &["recruit", "list", "--search", "NAKAMURA"]),
    on(TODAY, &["recruit", "list", "--search", "josé"]),
    on(TODAY, &["recruit", "list", "--search", "łukasz"]),
    // Below the search index's three letters, and a case only Unicode folds.
    on(TODAY, &["recruit", "list", "--search", "ez"]),
    on(TODAY, &["recruit", "list", "--search", "żółw"]),
    on(TODAY, &["recruit", "list", "--topic", "PRIMARY", "--region", "FRASER"]),
    on(TODAY, &["request", "list", "--mine"]),
    on(TODAY, &["report", "reminders", "--owner", "Ben Li"]),
    // The one sentence that names the engine: a file passed SQLite's integrity_check at its path,
    // a server's database is named by its address; the derived tables are current on both.
    Step { day: TODAY, args: &["db", "check"], code: 0, same_stdout: false },
    on(TODAY, &["select", "rank", "1"]),
    on(TODAY, &["close", "statement", "1"]),
    on(TODAY, &["close", "statement", "2"]),
    on(TODAY, &["status"]),
    on(TODAY, &["status", "1"]),
    on(TODAY, &["status", "2"]),
    on(TODAY, &["checkin", "list"]),
    on(TODAY, &["checkin", "due"]),
    on(TODAY, &["checkin", "due", "--within", "30"]),
];

/// Runs a step on a network: its day, the pinned coordinator, in `format`.
fn run(net: &Network, step: &Step, format: &str) -> Run {
    let output = net
        .cmd()
        .env("ENGAGE_TODAY", step.day)
        .env("ENGAGE_COORDINATOR", COORDINATOR)
        .args(step.args)
        .args(["--format", format])
        .output()
        .unwrap();
    Run {
        code: output.status.code().unwrap_or(-1),
        stdout: String::from_utf8(output.stdout).unwrap(),
        stderr: String::from_utf8(output.stderr).unwrap(),
    }
}

/// The script in `format` on a file and on a server; every difference, said.
fn differences(format: &str) -> Option<Vec<String>> {
    let server = Network::on(FreshDatabase::created_with(COLLATED)?);
    let file = Network::on_file();
    let mut found = Vec::new();
    for step in SCRIPT {
        let (a, b) = (run(&file, step, format), run(&server, step, format));
        let stdout = |r: &Run| if step.same_stdout { r.stdout.clone() } else { String::new() };
        let shown = format!("engage {} --format {format} (on {})", step.args.join(" "), step.day);
        assert_eq!(a.code, step.code, "{shown} on a file: exit {}\n{}", a.code, a.stderr);
        for (what, on_file, on_server) in [
            ("exit code", a.code.to_string(), b.code.to_string()),
            ("standard output", stdout(&a), stdout(&b)),
            ("standard error", a.stderr, b.stderr),
        ] {
            if on_file != on_server {
                found.push(format!("{shown}: the {what} differs\n--- file\n{on_file}\n--- server\n{on_server}"));
            }
        }
    }
    Some(found)
}

fn same_on_both(format: &str) {
    let Some(found) = differences(format) else { return };
    assert!(found.is_empty(), "{} of the script's outputs differ:\n\n{}", found.len(), found.join("\n\n"));
}

#[test]
fn an_engagement_prints_the_same_tables_on_a_file_and_on_a_server() {
    same_on_both("table");
}

#[test]
fn an_engagement_prints_the_same_json_on_a_file_and_on_a_server() {
    same_on_both("json");
}

#[test]
fn an_engagement_prints_the_same_csv_on_a_file_and_on_a_server() {
    same_on_both("csv");
}
