//! Bad input: one clear sentence naming the value and what is accepted, exit code 2, nothing written.

use crate::support::Network;

const BASE: &[&str] =
    &["request", "new", "--title", "T", "--org", "O", "--contact-name", "N", "--contact-email", "n@example.org"];

fn with(extra: &[&str]) -> Vec<String> {
    BASE.iter().chain(extra).map(|s| s.to_string()).collect()
}

#[test]
fn each_validation_error_names_the_value_exits_2_and_writes_nothing() {
    let cases: Vec<(Vec<String>, &str)> = vec![
        (
            vec![
                "request",
                "new",
                "--title",
                "T",
                "--org",
                "O",
                "--contact-name",
                "N",
                "--contact-email",
                "lee.example.org",
                "--way",
                "consult",
            ]
            .into_iter()
            .map(String::from)
            .collect(),
            "engage: error: --contact-email: 'lee.example.org' is not an e-mail address: it needs exactly one @",
        ),
        (with(&["--way", "meet"]), "engage: error: --way: 'meet' is not one of"),
        (
            with(&["--way", "consult", "--starts", "2027-02-30"]),
            "engage: error: --starts: '2027-02-30' is not a date; use YYYY-MM-DD (for example 2026-03-31) or today",
        ),
        (
            with(&["--way", "consult", "--seats", "0"]),
            "engage: error: --seats: a request needs at least one seat (and should have two)",
        ),
        (
            with(&["--way", "consult", "--seats", "two"]),
            "engage: error: --seats: 'two' is not a number of seats; use a whole number from 1 to 1000",
        ),
        (
            with(&["--way", "consult", "--hours", "1.255"]),
            "engage: error: --hours: '1.255' is not a number of hours; use digits with at most two decimals, for example 2 or 1.5",
        ),
        (
            with(&["--way", "consult", "--rate", "-25"]),
            "engage: error: --rate: '-25' is not an amount of dollars; use digits with at most two decimals, for example 25 or 25.50",
        ),
        (
            with(&["--way", "consult", "--rate", "25", "--honorarium", "50"]),
            "engage: error: the argument '--rate <DOLLARS>' cannot be used with '--honorarium <DOLLARS>'",
        ),
        (
            with(&["--way", "consult", "--criteria", "listening:0"]),
            "engage: error: --criteria: 'listening:0' has weight '0'; a weight is a whole number from 1 to 10",
        ),
        (
            with(&["--way", "consult", "--community", "suburban"]),
            "engage: error: --community: 'suburban' is not one of",
        ),
        (
            with(&["--way", "consult", "--checkin-every", "0"]),
            "engage: error: --checkin-every: '0' is not a number of days; use a whole number from 1 to 3650",
        ),
        (
            with(&["--way", "consult", "--starts", "2027-03-01", "--ends", "2027-02-01"]),
            "engage: error: --ends 2027-02-01 is before --starts 2027-03-01; the engagement must end on or after it starts",
        ),
        (
            with(&["--way", "consult", "--respond-by", "2027-03-01", "--select-by", "2027-02-01"]),
            "engage: error: --select-by 2027-02-01 is before --respond-by 2027-03-01; partners are selected after they respond",
        ),
        (
            vec![
                "request",
                "new",
                "--title",
                " ",
                "--org",
                "O",
                "--contact-name",
                "N",
                "--contact-email",
                "n@example.org",
                "--way",
                "consult",
            ]
            .into_iter()
            .map(String::from)
            .collect(),
            "engage: error: --title cannot be empty",
        ),
        (
            vec!["request", "new", "--title", "T"].into_iter().map(String::from).collect(),
            "engage: error: request new needs --org, --contact-name, --contact-email and --way; pass them, or run it on a terminal to be asked",
        ),
        (
            vec!["request", "show", "abc"].into_iter().map(String::from).collect(),
            "engage: error: 'abc' is not an id; ids are whole numbers such as 12",
        ),
        (
            vec!["request", "edit", "1"].into_iter().map(String::from).collect(),
            "engage: error: request edit needs at least one flag to change, such as --title, --seats or --ends",
        ),
        (
            vec!["request", "list", "--status", "done"].into_iter().map(String::from).collect(),
            "engage: error: --status: 'done' is not a request status; use submitted, recruiting, selecting, active, closed or cancelled, or open",
        ),
        (
            vec!["config", "set", "rate_lead", "lots"].into_iter().map(String::from).collect(),
            "engage: error: rate_lead must be dollars: 'lots' is not an amount of dollars",
        ),
        (
            vec!["config", "set", "colour", "blue"].into_iter().map(String::from).collect(),
            "engage: error: 'colour' is not a setting; the settings are rate_inform, rate_consult",
        ),
        (
            vec!["config", "set", "max_active_per_partner", "0"].into_iter().map(String::from).collect(),
            "engage: error: '0' is not accepted for max_active_per_partner; use a whole number from 1 to 100",
        ),
        (vec!["completions", "tcsh"].into_iter().map(String::from).collect(), "engage: error: 'tcsh' is not one of"),
    ];
    for (args, expected) in cases {
        let net = Network::new();
        // A request to edit exists in the case that needs one.
        if args[1] == "edit" {
            net.request(&[]);
        }
        let before = (net.count("request"), net.count("event"), net.count("setting"));
        let settings_before: Vec<(String, String)> = if net.db.exists() { settings(&net) } else { Vec::new() };
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let run = net.run(&args);
        assert_eq!(run.code, 2, "engage {args:?}\n{}", run.stderr);
        assert!(run.stderr.starts_with(expected), "engage {args:?}\nexpected: {expected}\n     got: {}", run.stderr);
        assert_eq!(run.stderr.matches("error:").count(), 1, "one sentence: {}", run.stderr);
        assert!(!run.stderr.contains("panicked") && !run.stderr.contains("{ "), "{}", run.stderr);
        assert_eq!(run.stdout, "");
        assert_eq!((net.count("request"), net.count("event"), net.count("setting")), before, "engage {args:?} wrote");
        if net.db.exists() && !settings_before.is_empty() {
            assert_eq!(settings(&net), settings_before);
        }
    }
}

fn settings(net: &Network) -> Vec<(String, String)> {
    net.conn()
        .prepare("SELECT key, value FROM setting ORDER BY key")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap()
}

#[test]
fn cancel_without_a_reason_names_the_flag() {
    let net = Network::new();
    net.request(&[]);
    let run = net.run(&["request", "cancel", "1"]);
    assert_eq!(run.code, 2);
    assert_eq!(run.stderr, "engage: error: request cancel needs --reason: say why the request is cancelled\n");
    let status: String = net.conn().query_row("SELECT status FROM request", [], |r| r.get(0)).unwrap();
    assert_eq!(status, "submitted");
}

#[test]
fn a_bad_engage_today_is_named() {
    let net = Network::new();
    let run = net.cmd().env("ENGAGE_TODAY", "23/11/2026").args(["request", "list"]).output().unwrap();
    assert_eq!(run.status.code(), Some(2));
    assert_eq!(
        String::from_utf8(run.stderr).unwrap(),
        "engage: error: ENGAGE_TODAY='23/11/2026' is not a date; set it to YYYY-MM-DD (for example 2026-03-31) or unset it\n"
    );
    assert!(!net.db.exists());
}

#[test]
fn today_means_engage_today() {
    let net = Network::new();
    net.request(&["--starts", "today"]);
    let starts: String = net.conn().query_row("SELECT starts_on FROM request", [], |r| r.get(0)).unwrap();
    assert_eq!(starts, "2026-11-23");
}

#[test]
fn help_has_an_example_on_every_command() {
    let net = Network::new();
    for args in [
        &["--help"][..],
        &["request", "new", "--help"],
        &["request", "list", "--help"],
        &["request", "edit", "--help"],
        &["request", "cancel", "--help"],
        &["config", "set", "--help"],
        &["db", "backup", "--help"],
        &["completions", "--help"],
    ] {
        let out = net.ok(args);
        assert!(out.contains("Example"), "{args:?} has no example:\n{out}");
    }
}

#[test]
fn a_closed_pipe_is_not_an_error() {
    use std::io::Read;
    use std::process::Stdio;
    let net = Network::new();
    net.request(&[]);
    // Enough rows that the output cannot fit in the pipe's buffer.
    for _ in 0..11 {
        net.exec(
            "INSERT INTO request (title, organization, contact_name, contact_email, way, respond_by, select_by, seats, \
             pay_basis, pay_cents, checkin_every_days, created_on) SELECT title, organization, contact_name, contact_email, \
             way, respond_by, select_by, seats, pay_basis, pay_cents, checkin_every_days, created_on FROM request",
        );
    }
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("engage"))
        .args(["request", "list", "--format", "csv"])
        .env("ENGAGE_DB", &net.db)
        .env("ENGAGE_TODAY", &net.today)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Read one byte, then hang up, like `| head -c 1`.
    let mut stdout = child.stdout.take().unwrap();
    let mut byte = [0u8; 1];
    stdout.read_exact(&mut byte).unwrap();
    drop(stdout);
    let output = child.wait_with_output().unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", String::from_utf8_lossy(&output.stderr));
    assert_eq!(String::from_utf8_lossy(&output.stderr), "");
}
