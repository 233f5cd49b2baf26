//! Tables at a terminal: every list, show and report at 60, 80, 100 and 120 columns (insta
//! snapshots under `snapshots/`), a check over them that no date, e-mail, phone or amount is
//! broken across lines, and tables that stay whole and quick at any width.
//!
//! The width is set the one way tests set it: in process, through `Env::terminal_width` (and
//! `stderr_width` for the sentences), as `Env::from_process` sets them from a real terminal.
//! A snapshot that changes fails the test; with `CI=true` insta never writes a new one.

use crate::support::Network;
use engage::Env;
use engage::prompt::ScriptedPrompter;
use serde_json::Value as Json;

pub const WIDTHS: [u16; 4] = [60, 80, 100, 120];

/// What a coordinator sees at a terminal `width` columns wide: standard output, then standard
/// error.
pub fn at_width(net: &Network, args: &[&str], width: u16) -> (String, String) {
    let mut env = Env::pinned(&net.db, &net.today);
    env.stdout_tty = true;
    env.stderr_tty = true;
    env.terminal_width = Some(width);
    env.stderr_width = Some(width);
    let (result, run) = net.in_process_with(args, &env, &mut ScriptedPrompter::new(std::iter::empty::<&str>()));
    assert!(result.is_ok(), "engage {args:?} at {width} columns: {}", run.stderr);
    (run.stdout, run.stderr)
}

/// Runs `args` on the day `day`, through the real binary.
fn on(net: &Network, day: &str, args: &[&str]) {
    let output = net.cmd().env("ENGAGE_TODAY", day).args(args).output().unwrap();
    assert!(output.status.success(), "engage {args:?} on {day}: {}", String::from_utf8_lossy(&output.stderr));
}

/// Two requests, four partners, one engagement under way: invited, answered, scored, decided,
/// told, onboarded, checked in with (a concern still open), part paid and reimbursed.
pub fn engagement() -> Network {
    engagement_in(Network::new())
}

/// The same engagement in this network (a file, where a test is about the file).
pub fn engagement_in(net: Network) -> Network {
    let partners: [&[&str]; 4] = [
        &[
            "--first",
            "Marco",
            "--last",
            "Silva",
            "--pronouns",
            "he/him",
            "--email",
            "marco.silva@example.org",
            "--phone",
            "604-555-0102",
            "--region",
            "Fraser",
            "--community",
            "urban",
            "--languages",
            "English,Portuguese",
            "--topics",
            "discharge,mental health",
        ],
        &[
            "--first",
            "Ana",
            "--last",
            "Chen",
            "--email",
            "ana.chen@example.org",
            "--phone",
            "250-555-0147",
            "--region",
            "Vancouver Island",
            "--community",
            "rural",
            "--topics",
            "discharge,primary care",
        ],
        &[
            "--first",
            "Sam",
            "--last",
            "Roy",
            "--email",
            "sam.roy@example.org",
            "--phone",
            "778-555-0123",
            "--region",
            "Fraser",
            "--languages",
            "French",
            "--topics",
            "discharge",
        ],
        &[
            "--first",
            "Bo",
            "--last",
            "Lindqvist-Okonkwo",
            "--email",
            "bo.lindqvist-okonkwo@example.org",
            "--region",
            "Interior",
            "--topics",
            "mental health",
        ],
    ];
    for flags in partners {
        let mut args = vec!["recruit", "add", "--consent"];
        args.extend_from_slice(flags);
        on(&net, "2026-08-01", &args);
    }
    on(
        &net,
        "2026-08-03",
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
            "--contact-phone",
            "604-555-0199",
            "--way",
            "collaborate",
            "--hours",
            "40",
            "--starts",
            "2026-09-01",
            "--ends",
            "2026-11-15",
            "--topics",
            "discharge,mental health",
            "--criteria",
            "experience!,speaking,listening:2",
            "--region",
            "Fraser",
            "--description",
            "Co-design the discharge checklist with patients and families",
            "--respond-by",
            "2026-08-14",
            "--select-by",
            "2026-08-20",
        ],
    );
    on(
        &net,
        "2026-08-03",
        &[
            "request",
            "new",
            "--title",
            "Patient portal feedback",
            "--org",
            "Island Health",
            "--contact-name",
            "Priya Natarajan-Whitfield",
            "--contact-email",
            "priya.natarajan-whitfield@islandhealth.example.org",
            "--way",
            "consult",
            "--honorarium",
            "1000",
            "--starts",
            "2026-12-01",
            "--ends",
            "2027-01-31",
        ],
    );
    on(&net, "2026-08-04", &["recruit", "invite", "1", "--topic", "discharge"]);
    let statement = "I was discharged twice last year and want the checklist to fit real homes";
    on(
        &net,
        "2026-08-10",
        &[
            "recruit",
            "respond",
            "1",
            "1",
            "--interested",
            "--statement",
            statement,
            "--availability",
            "weekday evenings",
        ],
    );
    on(
        &net,
        "2026-08-10",
        &[
            "recruit",
            "respond",
            "1",
            "2",
            "--interested",
            "--statement",
            "Caregiver for my father",
            "--availability",
            "mornings",
        ],
    );
    on(&net, "2026-08-11", &["recruit", "respond", "1", "3", "--declined"]);
    let scores = |p: &'static str, e: &'static str, s: &'static str, l: &'static str| {
        let (e, s, l) = (format!("experience={e}"), format!("speaking={s}"), format!("listening={l}"));
        on(&net, "2026-08-15", &["select", "score", "1", p, "--score", &e, "--score", &s, "--score", &l]);
    };
    scores("1", "3", "2", "3");
    scores("2", "2", "3", "2");
    on(&net, "2026-08-18", &["select", "decide", "1", "--select", "1,2"]);
    on(&net, "2026-08-19", &["select", "notify", "1"]);
    on(
        &net,
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
    );
    on(
        &net,
        "2026-09-15",
        &[
            "checkin",
            "1",
            "--partner",
            "1",
            "--hours",
            "6",
            "--expenses",
            "20",
            "--expense-note",
            "parking, two meetings",
        ],
    );
    on(&net, "2026-10-15", &["checkin", "1", "--partner", "2", "--hours", "8", "--note", "first sessions went well"]);
    on(
        &net,
        "2026-10-20",
        &[
            "checkin",
            "1",
            "--requester",
            "--status",
            "concerns",
            "--concern",
            "barrier",
            "--note",
            "no captioning at the first session",
        ],
    );
    on(&net, "2026-11-01", &["checkin", "1", "--partner", "2", "--hours", "14"]);
    on(&net, "2026-11-20", &["close", "pay", "1", "1", "--method", "e-transfer"]);
    on(&net, "2026-11-20", &["close", "reimburse", "1", "1"]);
    net
}

/// Every list, show and report a coordinator reads as a table, by the snapshot's name.
pub const SHOWN: &[(&str, &[&str])] = &[
    ("request_list", &["request", "list"]),
    ("request_show", &["request", "show", "1"]),
    ("request_show_unstaffed", &["request", "show", "2"]),
    ("recruit_list", &["recruit", "list"]),
    ("recruit_show", &["recruit", "show", "1"]),
    ("recruit_responses", &["recruit", "responses", "1"]),
    ("recruit_invite", &["recruit", "invite", "2", "--dry-run"]),
    ("select_rank", &["select", "rank", "1"]),
    ("select_roster", &["select", "roster", "1"]),
    ("checkin_list", &["checkin", "list"]),
    ("checkin_due", &["checkin", "due"]),
    ("close_statement", &["close", "statement", "1"]),
    ("report_reminders", &["report", "reminders"]),
    ("report_summary", &["report", "summary"]),
    ("report_participation", &["report", "participation"]),
    ("report_compensation", &["report", "compensation"]),
    ("config_list", &["config", "list"]),
    ("status_list", &["status"]),
    ("status_request", &["status", "1"]),
];

#[test]
fn every_list_show_and_report_fits_60_80_100_and_120_columns() {
    let net = engagement();
    for (name, args) in SHOWN {
        let mut all = String::new();
        for width in WIDTHS {
            let (stdout, stderr) = at_width(&net, args, width);
            for line in stdout.lines() {
                let columns = unicode_width::UnicodeWidthStr::width(line);
                assert!(
                    columns <= usize::from(width),
                    "engage {args:?}: a line of {columns} columns at {width}:\n{line}"
                );
            }
            all.push_str(&format!("──── {width} columns ────\n{stdout}"));
            if !stderr.is_empty() {
                all.push_str(&format!("──── standard error ────\n{stderr}"));
            }
        }
        insta::assert_snapshot!(*name, all, &format!("engage {}", args.join(" ")));
    }
}

/// The dates, e-mails, phone numbers and amounts of a JSON value, each with the key it is under.
fn whole_values(json: &Json, key: &str, out: &mut Vec<(String, String)>) {
    match json {
        Json::Object(map) => map.iter().for_each(|(k, v)| whole_values(v, k, out)),
        Json::Array(items) => items.iter().for_each(|v| whole_values(v, key, out)),
        Json::String(s) => {
            let b = s.as_bytes();
            let date =
                b.len() == 10 && b[4] == b'-' && b[7] == b'-' && s.replace('-', "").bytes().all(|c| c.is_ascii_digit());
            let email = s.contains('@') && !s.contains(' ');
            let phone =
                s.len() >= 10 && s.bytes().all(|c| c.is_ascii_digit() || c == b'-') && s.matches('-').count() == 2;
            let amount = s.split_once('.').is_some_and(|(whole, cents)| {
                !whole.is_empty() && whole.bytes().all(|c| c.is_ascii_digit()) && cents.len() == 2
            });
            if date || email || phone || amount {
                out.push((key.to_string(), s.clone()));
            }
        }
        _ => {}
    }
}

/// `1000.00` as a table shows money: `$1,000.00`.
fn dollars(plain: &str) -> String {
    let (whole, cents) = plain.split_once('.').unwrap();
    let mut grouped = String::new();
    for (n, c) in whole.chars().enumerate() {
        if n > 0 && (whole.len() - n) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(c);
    }
    format!("${grouped}.{cents}")
}

/// What a table does not show at all though its JSON has it: the rank table reads across in
/// words (the dates are in its `why`), the compensation report's period is in its sentence, and
/// `status` says how overdue a step is rather than the day it was due.
const NOT_IN_THE_TABLE: &[(&str, &str)] = &[
    ("rank", "commitments_signed_on"),
    ("rank", "record_check_on"),
    ("compensation", "from"),
    ("compensation", "to"),
    ("status", "due_on"),
    ("status", "reminded_from"),
];

/// The words at the ends of a table line's cells: where a value broken across lines would end.
fn cell_ends(line: &str) -> impl Iterator<Item = &str> {
    line.split(['│', '┆', '|']).filter_map(|cell| cell.split_whitespace().last())
}

#[test]
fn no_date_email_phone_or_amount_is_broken_across_lines_at_any_width() {
    let net = engagement();
    let mut checked = 0;
    for (_, args) in SHOWN {
        // The reminders are sentences, not a table.
        if args.starts_with(&["report", "reminders"]) {
            continue;
        }
        let mut json_args = args.to_vec();
        json_args.extend(["--format", "json"]);
        let json: Json = serde_json::from_str(&net.ok(&json_args)).unwrap();
        let mut values = Vec::new();
        whole_values(&json, "", &mut values);
        assert!(!values.is_empty(), "engage {args:?} has no dates, e-mails, phones or amounts");
        for width in WIDTHS {
            let (stdout, stderr) = at_width(&net, args, width);
            let note = stderr.replace('\n', " ");
            let left_out = note.split("columns left out to fit").nth(1).unwrap_or("");
            for (key, value) in &values {
                let forms = if value.contains('@') || value.matches('-').count() > 0 {
                    vec![value.clone()]
                } else {
                    vec![value.clone(), dollars(value)]
                };
                for end in stdout.lines().flat_map(cell_ends) {
                    let stem = end.trim_end_matches('…');
                    // A month (`2026-11`, paid by month) is a whole value of its own.
                    let month = stem.len() == 7 && stem.as_bytes()[4] == b'-';
                    let broken = stem.len() >= 2 && !month && forms.iter().any(|v| stem != v && v.starts_with(stem));
                    assert!(!broken, "engage {args:?} at {width} columns: {key} {value} is broken at {end}:\n{stdout}");
                }
                let command = if args[0] == "status" { "status" } else { args[1] };
                if NOT_IN_THE_TABLE.contains(&(command, key.as_str())) {
                    continue;
                }
                // A total is in its column's Total line.
                let label = engage::output::label(key.strip_prefix("total_").unwrap_or(key));
                if left_out.contains(&format!(": {label}")) || left_out.contains(&format!(", {label}")) {
                    continue;
                }
                let whole = stdout.lines().any(|line| forms.iter().any(|v| line.contains(v.as_str())));
                assert!(whole, "engage {args:?} at {width} columns: {key} {value} is not whole on a line:\n{stdout}");
                checked += 1;
            }
        }
    }
    assert!(checked > 400, "only {checked} values checked");
}

#[test]
fn db_check_says_its_sentence_within_the_terminal_width() {
    // The sentence names the file and SQLite's checks (a server's names its own).
    let net = engagement_in(Network::on_file());
    for width in WIDTHS {
        let (stdout, _) = at_width(&net, &["db", "check"], width);
        let path = net.db.display().to_string();
        let words: Vec<&str> = stdout.split_whitespace().collect();
        assert_eq!(words[..2], ["ok:", path.as_str()], "{stdout}");
        assert!(words.join(" ").ends_with("tallies and partner counts are current"), "{stdout}");
        for line in stdout.lines() {
            assert!(line.chars().count() <= usize::from(width) || line.trim() == path, "{line:?} at {width}");
        }
    }
}

/// A sign-up whose answer to an unmapped question is 64 KiB without a space: drawn at any
/// width in one pass (it took 1.1 s at 20 columns), whole where nothing may be cut.
#[test]
fn a_64_kib_unbroken_answer_is_drawn_whole_at_20_columns_and_cut_short_in_a_table() {
    let net = Network::new();
    let answer = "x".repeat(64 * 1024 - 1);
    let file = net.path("signups.csv");
    std::fs::write(
        &file,
        format!(
            "First name,Last name,Email,Consent,Why do you want to join?\nAna,Chen,ana.chen@example.org,yes,{answer}\n"
        ),
    )
    .unwrap();
    net.ok(&["recruit", "import", file.to_str().unwrap()]);
    let (narrow, _) = at_width(&net, &["recruit", "show", "1"], 20);
    assert!(narrow.lines().any(|l| l.ends_with(&answer)), "the answer is not whole on a line");
    assert!(narrow.contains("Column: Why do you\n  want to join?\n"), "{}", &narrow[..narrow.len().min(2000)]);
    assert!(narrow.contains("Email:\n  ana.chen@example.org\n"), "{}", &narrow[..narrow.len().min(2000)]);
    for width in [40, 120, 400] {
        let (wide, _) = at_width(&net, &["recruit", "show", "1"], width);
        for line in wide.lines() {
            assert!(unicode_width::UnicodeWidthStr::width(line) <= usize::from(width), "{width}: {line}");
        }
        assert!(wide.contains("xxxxxxxx…"), "{wide}");
    }
}

/// `request show` on a terminal 8 columns wide (it took 45.8 s): every field and every word of
/// the criteria and the timeline is there, each on one line.
#[test]
fn request_show_at_8_columns_is_whole() {
    let net = engagement();
    let (stdout, _) = at_width(&net, &["request", "show", "1"], 8);
    let json = net.json(&["request", "show", "1"]);
    let mut words = 0;
    let mut each = |text: &str| {
        for word in text.split_whitespace() {
            // Money is shown as money: `50.00` is `$50.00`.
            let found = stdout.lines().any(|l| l.split_whitespace().any(|w| w == word || w == format!("${word}")));
            assert!(found, "{word:?} is not whole:\n{stdout}");
            words += 1;
        }
    };
    for (key, value) in json.as_object().unwrap() {
        match value {
            Json::String(s) if key != "status" && key != "way" && key != "pay_basis" => each(s),
            Json::Number(n) => each(&n.to_string()),
            Json::Array(rows) if key == "topics" => rows.iter().for_each(|t| each(t.as_str().unwrap())),
            Json::Array(rows) => {
                for row in rows {
                    for (k, v) in row.as_object().unwrap() {
                        if let (Json::String(s), false) = (v, ["at", "event", "by"].contains(&k.as_str())) {
                            each(s);
                        }
                    }
                }
            }
            _ => {}
        }
    }
    assert!(words > 100, "{words}");
    assert!(stdout.contains("Contact email:\n  lee.wong@example.org\n"), "{stdout}");
    assert!(stdout.contains("Event: Request\n  created\n"), "{stdout}");
}

/// Everything a command prints in a pseudo-terminal, escape sequences included.
fn in_a_terminal(net: &Network, args: &[&str], colour: bool) -> String {
    use rexpect::reader::Options;
    let mut cmd = net.terminal_command(args);
    if colour {
        cmd.env_remove("NO_COLOR");
    }
    let options = Options::new().timeout_ms(Some(60_000)).strip_ansi_escape_codes(false);
    let mut session = rexpect::session::spawn_with_options(cmd, options).unwrap();
    let out = session.exp_eof().unwrap();
    session.process().wait().unwrap();
    out
}

#[test]
fn colour_marks_errors_warnings_and_overdue_counts_on_a_terminal_and_never_with_no_color() {
    let net = engagement();
    let error = in_a_terminal(&net, &["request", "show", "9"], true);
    assert!(error.contains("engage: \x1b[31merror:\x1b[0m there is no request 9"), "{error:?}");
    let reminders = in_a_terminal(&net, &["report", "reminders"], true);
    assert!(reminders.contains("\x1b[1;31m107 days overdue\x1b[0m"), "{reminders:?}");
    let due = in_a_terminal(&net, &["checkin", "due"], true);
    assert!(due.contains("\x1b[1;31m39\x1b[0m"), "{due:?}");
    let args = ["request", "new", "--title", "Falls", "--org", "Fraser Health", "--contact-name", "Lee Wong"];
    let mut new = args.to_vec();
    new.extend(["--contact-email", "lee.wong@example.org", "--way", "consult", "--seats", "1", "--no-input"]);
    let warned = in_a_terminal(&net, &new, true);
    assert!(warned.contains("\x1b[33mwarning:\x1b[0m "), "{warned:?}");

    // NO_COLOR (as `terminal_command` sets it): the same words, no colour at all.
    for args in [&["request", "show", "9"][..], &["report", "reminders"], &["checkin", "due"]] {
        let plain = in_a_terminal(&net, args, false);
        assert!(!plain.contains("\x1b[3") && !plain.contains("\x1b[1;"), "{plain:?}");
    }
    let plain = in_a_terminal(&net, &["report", "reminders"], false);
    assert!(plain.contains("107 days overdue  Review request 2"), "{plain:?}");
    // Off a terminal (a pipe, cron): never colour, even without NO_COLOR.
    let piped = net.cmd().env_remove("NO_COLOR").args(["report", "reminders"]).output().unwrap();
    assert!(!String::from_utf8(piped.stdout).unwrap().contains('\x1b'));
}

#[test]
fn warnings_and_notes_wrap_at_spaces_at_the_terminal_width() {
    let net = Network::new();
    let args = [
        "request",
        "new",
        "--title",
        "Falls prevention",
        "--org",
        "Fraser Health",
        "--contact-name",
        "Sam Roy",
        "--contact-email",
        "sam.roy@example.org",
        "--way",
        "consult",
        "--seats",
        "1",
        "--no-input",
    ];
    let (_, stderr) = at_width(&net, &args, 40);
    let lines: Vec<&str> = stderr.lines().collect();
    assert!(lines.iter().all(|l| l.chars().count() <= 40), "{stderr}");
    let warning = lines.iter().position(|l| l.starts_with("warning: ")).unwrap();
    assert!(lines[warning + 1].starts_with("  ") && !lines[warning + 1].starts_with("   "), "{stderr}");
    // Every word whole: joined again, the sentences are as they were written.
    let recorded = lines.iter().position(|l| l.starts_with("Recorded request 1:")).unwrap();
    let sentence: Vec<&str> = lines[recorded..].iter().flat_map(|l| l.split_whitespace()).collect();
    assert_eq!(sentence[..5], ["Recorded", "request", "1:", "Falls", "prevention"], "{stderr}");
    assert!(sentence.contains(&"$25.00/hour"), "{stderr}");
}
