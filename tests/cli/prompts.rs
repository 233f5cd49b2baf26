//! Prompt flows, in process, answered by a scripted prompter.

use crate::support::Network;
use engage::Env;
use engage::prompt::ScriptedPrompter;

#[test]
fn request_new_at_a_terminal_asks_for_what_is_missing() {
    let net = Network::new();
    let answers = [
        "Fraser Health",        // organization
        "Lee Wong",             // contact name
        "lee.example.org",      // contact e-mail: refused ...
        "Lee.Wong@example.org", // ... and asked again
        "3",                    // way: involve
        "program",              // domain
        "",                     // level: (not set), the default
        "2027-01-10",           // starts
        "",                     // ends: not known
        "14",                   // hours
        "",                     // seats: 2, the default
        "y",                    // record it
    ];
    let (result, run, prompter) = net.at_terminal(&["request", "new", "--title", "Evidence scan review"], &answers);
    assert!(result.is_ok(), "{result:?}\n{:#?}", prompter.transcript);
    assert_eq!(prompter.remaining(), 0);
    assert_eq!(run.stdout, "1\n");
    // The refused e-mail was explained before the question came again.
    let t = &prompter.transcript;
    let refused =
        t.iter().position(|l| l == "'lee.example.org' is not an e-mail address: it needs exactly one @").unwrap();
    assert_eq!(t[refused + 1], "? Point of contact's e-mail");
    assert!(t.iter().any(|l| l.starts_with("Evidence scan review for Fraser Health (involve, 2 seats, $40.00/hour")));
    let row: (String, String, String, Option<String>, String, Option<String>, i64, i64) = net
        .conn()
        .query_row(
            "SELECT organization, contact_email, way, domain, starts_on, level, hours_estimate, seats FROM request",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?, r.get(6)?, r.get(7)?)),
        )
        .unwrap();
    assert_eq!(
        row,
        (
            "Fraser Health".into(),
            "lee.wong@example.org".into(),
            "involve".into(),
            Some("program".into()),
            "2027-01-10".into(),
            None,
            1400,
            2
        )
    );
}

#[test]
fn answering_no_records_nothing() {
    let net = Network::new();
    let (result, run, _) = net.at_terminal(
        &[
            "request",
            "new",
            "--title",
            "T",
            "--org",
            "O",
            "--contact-name",
            "N",
            "--contact-email",
            "n@example.org",
            "--way",
            "consult",
            "--domain",
            "care",
            "--level",
            "direct",
            "--starts",
            "2027-01-01",
            "--ends",
            "2027-02-01",
            "--hours",
            "2",
            "--seats",
            "2",
        ],
        &["n"],
    );
    assert_eq!(result.unwrap_err().to_string(), "nothing was recorded");
    assert_eq!(run.code, 1);
    assert_eq!(net.count("request"), 0);
}

#[test]
fn cancel_at_a_terminal_asks_why() {
    let net = Network::new();
    net.request(&[]);
    let (result, _, prompter) = net.at_terminal(&["request", "cancel", "1"], &["", "the unit closed"]);
    assert!(result.is_ok());
    assert_eq!(prompter.transcript[0], "? Why is 'Discharge co-design' cancelled?");
    assert_eq!(prompter.transcript[2], "a reason is needed");
    let reason: String = net.conn().query_row("SELECT status_reason FROM request", [], |r| r.get(0)).unwrap();
    assert_eq!(reason, "the unit closed");
}

#[test]
fn no_input_never_prompts_even_at_a_terminal() {
    let net = Network::new();
    let mut env = Env::pinned(&net.db, &net.today);
    env.stdin_tty = true;
    env.stdout_tty = true;
    let mut prompter = ScriptedPrompter::new(["should not be asked"]);
    let (result, run) = net.in_process_with(&["--no-input", "request", "new", "--title", "T"], &env, &mut prompter);
    assert_eq!(run.code, 2);
    assert_eq!(
        result.unwrap_err().to_string(),
        "request new needs --org, --contact-name, --contact-email and --way; pass them, or run it on a terminal to be asked"
    );
    assert!(prompter.transcript.is_empty());
}

#[test]
fn off_a_terminal_nothing_is_asked() {
    // The request exists, so the command gets as far as the question it would ask on a terminal
    // (`cancel_at_a_terminal_asks_why`); off one it names the flag instead.
    let net = Network::new();
    net.request(&[]);
    let env = Env::pinned(&net.db, &net.today);
    let mut prompter = ScriptedPrompter::new(["should not be asked"]);
    let (result, run) = net.in_process_with(&["request", "cancel", "1"], &env, &mut prompter);
    assert_eq!(run.code, 2);
    assert_eq!(result.unwrap_err().to_string(), "request cancel needs --reason: say why the request is cancelled");
    assert!(prompter.transcript.is_empty());
    let status: String = net.conn().query_row("SELECT status FROM request", [], |r| r.get(0)).unwrap();
    assert_eq!(status, "submitted");
}
