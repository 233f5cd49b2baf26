//! Values given on the command line meet the rules imported ones meet (SPEC §4), and whatever a
//! value holds cannot act on the coordinator's terminal when engage prints it: status lines,
//! warnings, the invitation text and the prompts of `close` and `checkin` escape it as tables do.

use crate::running::{engagement, partner};
use crate::support::Network;

/// An OSC sequence that retitles the terminal, one that clears the screen, and a right-to-left
/// override.
const OSC_TITLE: &str = "\x1b]0;owned\x07";
const CLEAR: &str = "\x1b[2J";
const RLO: &str = "\u{202e}";

fn raw(text: &str) -> bool {
    text.contains(['\x1b', '\x07', '\u{202e}'])
}

/// Ana and Bo selected for request 1, whose names and title hold escapes, as a file written by an
/// older engage or by another program can hold them.
fn hostile() -> Network {
    let net = Network::new();
    let ana = partner(&net, "Ana", "Silva", &[]);
    let bo = partner(&net, "Bo", "Chen", &[]);
    engagement(&net, &["--topics", "discharge"], &[ana, bo], "2026-11-01");
    net.exec_with(
        "UPDATE partner SET first_name = ?1, last_name = ?2 WHERE id = 1",
        &[&format!("Ana{OSC_TITLE}"), &format!("Silva{CLEAR}{RLO}")],
    );
    net.exec_with(
        "UPDATE request SET title = ?1, organization = ?2 WHERE id = 1",
        &[&format!("Discharge{CLEAR} co-design"), &format!("Fraser{RLO}Health")],
    );
    net
}

#[test]
fn status_lines_and_warnings_show_escapes_instead_of_acting_on_the_terminal() {
    let net = hostile();
    let run = net.run(&["recruit", "respond", "1", "1", "--interested", "--conflict", "my sister is on the team"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(!raw(&run.stderr), "{:?}", run.stderr);
    assert!(
        run.stderr.starts_with(
            "Recorded: partner 1 (Ana\\x1b]0;owned\\x07 Silva\\x1b[2J\\u{202e}) is interested in request 1.\n"
        ),
        "{}",
        run.stderr
    );
    let run = net.run(&["checkin", "1", "--partner", "1", "--status", "concerns", "--concern", "conduct"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(!raw(&run.stderr), "{:?}", run.stderr);
    assert!(run.stderr.contains("(Discharge\\x1b[2J co-design)"), "{}", run.stderr);
    assert!(run.stderr.contains("warning: a conduct concern goes to the engagement leader"), "{}", run.stderr);
}

#[test]
fn the_invitation_text_shows_escapes_instead_of_acting_on_the_terminal() {
    let net = hostile();
    net.ok(&[
        "recruit",
        "add",
        "--first",
        "Cy",
        "--last",
        "Roy",
        "--email",
        "cy@example.org",
        "--consent",
        "--topics",
        "discharge",
    ]);
    let run = net.run(&["recruit", "invite", "1", "--dry-run"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(!raw(&run.stdout), "{:?}", run.stdout);
    assert!(
        run.stdout
            .starts_with("Subject: Patient partner opportunity: Discharge\\x1b[2J co-design (Fraser\\u{202e}Health)\n"),
        "{}",
        run.stdout
    );
    // JSON keeps the text as it is (serde escapes the control characters in its own way).
    let json = net.json(&["recruit", "invite", "1", "--dry-run"]);
    assert_eq!(json["subject"], format!("Patient partner opportunity: Discharge{CLEAR} co-design (Fraser{RLO}Health)"));
}

#[test]
fn the_prompts_of_close_and_checkin_show_escapes_instead_of_acting_on_the_terminal() {
    let net = hostile();
    // The closing checklist: its first lines quote the request; the script ends early, which is
    // fine: what was shown is in the transcript.
    let (_, _, prompter) = net.at_terminal(&["close", "1"], &[""]);
    let shown = prompter.transcript.join("\n");
    assert!(!raw(&shown), "{shown:?}");
    assert_eq!(prompter.transcript[0], "Closing request 1: Discharge\\x1b[2J co-design (Fraser\\u{202e}Health).");

    // The guided check-in: who, how, hours, expenses, note, then the summary and "record it?".
    let answers = ["1", "good", "", "", "", "n"];
    let (_, _, prompter) = net.at_terminal(&["checkin", "1", "--on", "2026-11-20"], &answers);
    assert_eq!(prompter.remaining(), 0, "{:#?}", prompter.transcript);
    let shown = prompter.transcript.join("\n");
    assert!(!raw(&shown), "{shown:?}");
    assert!(
        prompter
            .transcript
            .iter()
            .any(|l| l.starts_with("Check-in with partner 1 (Ana\\x1b]0;owned\\x07 Silva\\x1b[2J\\u{202e}): good")),
        "{shown}"
    );
    assert_eq!(net.count("checkin"), 0);
}

/// Every row of every table, to show that a refused command changed nothing.
fn dump(net: &Network) -> Vec<String> {
    if !net.db.exists() {
        return Vec::new();
    }
    let conn = net.conn();
    let tables: Vec<String> = conn
        .prepare("SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    let mut out = Vec::new();
    for table in tables {
        let mut stmt = conn.prepare(&format!("SELECT * FROM \"{table}\"")).unwrap();
        let n = stmt.column_count();
        let rows = stmt
            .query_map([], |r| {
                let mut line = table.clone();
                for i in 0..n {
                    let v: rusqlite::types::Value = r.get(i)?;
                    line.push_str(&format!("|{v:?}"));
                }
                Ok(line)
            })
            .unwrap();
        out.extend(rows.map(|r| r.unwrap()));
    }
    out.sort();
    out
}

/// `engage ARGS…`, which must be refused as a usage error with this sentence, changing nothing.
fn refused(net: &Network, args: &[&str], sentence: &str) {
    let before = dump(net);
    let run = net.run(args);
    assert_eq!(run.code, 2, "engage {args:?}: {}", run.stderr);
    assert_eq!(run.stderr, format!("engage: error: {sentence}\n"), "engage {args:?}");
    assert!(!raw(&run.stderr));
    assert_eq!(dump(net), before, "engage {args:?} changed the database");
}

#[test]
fn recruit_add_and_edit_refuse_the_names_the_import_refuses() {
    let net = Network::new();
    let long = "A".repeat(50_000);
    let base = ["recruit", "add", "--last", "Silva", "--email", "ana@example.org"];
    let with = |flag: &'static str, value: &str| -> Vec<String> {
        base.iter().map(|s| s.to_string()).chain([flag.to_string(), value.to_string()]).collect()
    };
    let cases: Vec<(Vec<String>, String)> = vec![
        (
            with("--first", &format!("Ana{CLEAR}")),
            "--first 'Ana\\x1b[2J' contains a control or invisible character (\\x1b); it takes visible text on one line"
                .to_string(),
        ),
        (
            with("--first", &format!("Ana{RLO}")),
            "--first 'Ana\\u{202e}' contains a control or invisible character (\\u{202e}); it takes visible text on one line"
                .to_string(),
        ),
        (
            with("--first", "Ana\u{200b}"),
            "--first 'Ana\\u{200b}' contains a control or invisible character (\\u{200b}); it takes visible text on one line"
                .to_string(),
        ),
        (with("--first", &long), "--first is 50,000 characters long; a name has at most 200".to_string()),
        (
            with("--notes", &"n".repeat(10_001)),
            "--notes is 10,001 characters long; a note has at most 10,000".to_string(),
        ),
    ];
    for (args, sentence) in &cases {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        refused(&net, &args, sentence);
    }
    assert_eq!(net.count("partner"), 0);
    // Two hundred characters is a name; a note keeps its line breaks.
    let name = "é".repeat(200);
    net.ok(&[
        "recruit",
        "add",
        "--first",
        &name,
        "--last",
        "Silva",
        "--email",
        "ana@example.org",
        "--notes",
        "one\ntwo",
    ]);
    refused(
        &net,
        &["recruit", "edit", "1", "--preferred-name", &format!("Xeni{OSC_TITLE}")],
        "--preferred-name 'Xeni\\x1b]0;owned\\x07' contains a control or invisible character (\\x1b); it takes visible text on one line",
    );
    refused(
        &net,
        &["recruit", "edit", "1", "--last", &long],
        "--last is 50,000 characters long; a name has at most 200",
    );
    refused(
        &net,
        &["recruit", "edit", "1", "--phone", "call me"],
        "--phone 'call me' is not a phone number; use digits, spaces and + ( ) - .",
    );

    // The import refuses the same name for the same reason: one rule.
    let file = net.path("signups.csv");
    std::fs::write(&file, format!("Email address,First name,Consent to be contacted\nbo@example.org,Bo{CLEAR},Yes\n"))
        .unwrap();
    let run = net.run(&["recruit", "import", file.to_str().unwrap(), "--format", "json"]);
    assert_eq!(run.code, 3, "{}", run.stderr);
    let report: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(
        report["rejected_rows"][0]["reason"],
        "'Bo\\x1b[2J' contains a control or invisible character (\\x1b); it takes visible text on one line"
    );
}

#[test]
fn requests_notes_reasons_and_outcomes_are_capped_and_checked() {
    let net = Network::new();
    let ana = partner(&net, "Ana", "Silva", &[]);
    net.request(&[]);
    net.ok(&["recruit", "respond", "1", &ana.to_string(), "--interested"]);
    let title = "t".repeat(120_000);
    let request_new = |flag: &'static str, value: &str| -> Vec<String> {
        let mut args: Vec<String> = ["request", "new", "--contact-email", "lee@example.org", "--way", "involve"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        for (f, v) in [("--title", "Review"), ("--org", "Fraser Health"), ("--contact-name", "Lee Wong")] {
            if f != flag {
                args.extend([f.to_string(), v.to_string()]);
            }
        }
        args.extend([flag.to_string(), value.to_string()]);
        args
    };
    let note = "n".repeat(10_001);
    let cases: Vec<(Vec<String>, &str)> = vec![
        (request_new("--title", &title), "--title is 120,000 characters long; a title has at most 300"),
        (
            request_new("--org", &format!("Fraser{CLEAR}")),
            "--org 'Fraser\\x1b[2J' contains a control or invisible character (\\x1b); it takes visible text on one line",
        ),
        (
            request_new("--contact-name", &"L".repeat(201)),
            "--contact-name is 201 characters long; a name has at most 200",
        ),
        (request_new("--description", &note), "--description is 10,001 characters long; a note has at most 10,000"),
    ];
    for (args, sentence) in &cases {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        refused(&net, &args, sentence);
    }
    let strings = |items: &[&str]| items.iter().map(|s| s.to_string()).collect::<Vec<String>>();
    let more: Vec<(Vec<String>, String)> = vec![
        (
            strings(&["request", "edit", "1", "--title", &format!("Review{RLO}")]),
            "--title 'Review\\u{202e}' contains a control or invisible character (\\u{202e}); it takes visible text on one line"
                .to_string(),
        ),
        (
            strings(&["request", "cancel", "1", "--reason", &note]),
            "--reason is 10,001 characters long; a note has at most 10,000".to_string(),
        ),
        (
            strings(&["recruit", "respond", "1", "1", "--interested", "--statement", &note]),
            "--statement is 10,001 characters long; a note has at most 10,000".to_string(),
        ),
        (
            strings(&["select", "decide", "1", "--select", "1", "--reason", &format!("1=she knows the ward{CLEAR}")]),
            "--reason for partner 1 'she knows the ward\\x1b[2J' contains a control or invisible character (\\x1b); \
             a note is text, with line breaks and tabs if need be"
                .to_string(),
        ),
        (
            strings(&["checkin", "1", "--team", "--note", "rang the bell\x07"]),
            "--note 'rang the bell\\x07' contains a control or invisible character (\\x07); a note is text, with line \
             breaks and tabs if need be"
                .to_string(),
        ),
        (
            strings(&["close", "1", "--outcomes", &note]),
            "--outcomes is 10,001 characters long; a note has at most 10,000".to_string(),
        ),
    ];
    for (args, sentence) in &more {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        refused(&net, &args, sentence);
    }
    // At the limits, they are accepted.
    net.ok(&["request", "edit", "1", "--title", &"t".repeat(300)]);
    net.ok(&["checkin", "1", "--team", "--note", &"n".repeat(10_000)]);
}

#[test]
fn a_usage_error_quoting_the_value_shows_its_escapes() {
    let net = Network::new();
    let run =
        net.run(&["recruit", "add", "--first", "Ana", "--last", "Silva", "--email", &format!("ana{RLO}@example.org")]);
    assert_eq!(run.code, 2);
    assert!(!raw(&run.stderr), "{:?}", run.stderr);
    assert!(
        run.stderr.starts_with("engage: error: --email: 'ana\\u{202e}@example.org' is not an e-mail address"),
        "{}",
        run.stderr
    );
}

#[test]
fn the_responses_import_holds_answers_to_the_rules_of_notes() {
    let net = Network::new();
    partner(&net, "Ana", "Silva", &[]);
    partner(&net, "Bo", "Chen", &[]);
    net.request(&[]);
    let file = net.path("interest.csv");
    std::fs::write(
        &file,
        format!(
            "Email address,First name,Are you interested?,Why are you interested?\r\n\
             ana.silva@example.org,Ana,Yes,\"Two lines,\r\nas Windows writes them\"\r\n\
             bo.chen@example.org,Bo,Yes,I was there{CLEAR}\r\n"
        ),
    )
    .unwrap();
    let run = net.run(&["recruit", "respond", "1", "--import", file.to_str().unwrap(), "--format", "json"]);
    assert_eq!(run.code, 3, "{}", run.stderr);
    let report: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(
        report["rejected_rows"],
        serde_json::json!([{"line": 4, "reason": "Why are you interested?: 'I was there\\x1b[2J' contains a control or invisible character (\\x1b); a note is text, with line breaks and tabs if need be"}])
    );
    let statement: String =
        net.conn().query_row("SELECT statement FROM invitation WHERE partner_id = 1", [], |r| r.get(0)).unwrap();
    assert_eq!(statement, "Two lines,\r\nas Windows writes them");
}
