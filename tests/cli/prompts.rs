//! Prompt flows, in process, answered by a scripted prompter: what each flow asks, how each
//! answer is checked as it is given, and what Ctrl-C, the end of the input and a declined
//! confirmation leave in the database.

use crate::running::{engagement, partner};
use crate::support::Network;
use engage::Env;
use engage::prompt::ScriptedPrompter;

const CTRL_C: &str = ScriptedPrompter::CTRL_C;
const CTRL_D: &str = ScriptedPrompter::CTRL_D;

fn asked(prompter: &ScriptedPrompter) -> Vec<&str> {
    prompter.transcript.iter().filter_map(|l| l.strip_prefix("? ")).collect()
}

#[test]
fn the_guided_request_new_walks_through_every_field_and_checks_each_answer() {
    let net = Network::new();
    let answers = [
        "Evidence scan review",                   // title
        "Review two evidence scans on discharge", // what partners will do
        "Fraser Health",                          // organization
        "Lee Wong",                               // contact name
        "lee.example.org",                        // contact e-mail: refused ...
        "Lee.Wong@example.org",                   // ... and asked again
        "involve",                                // way
        "program",                                // domain
        "organizational",                         // level, typed as a filter
        "discharge, mental health",               // topics
        "2027-01-10",                             // starts
        "2027-01-05",                             // ends: before the start, refused ...
        "2027-03-31",                             // ... and asked again
        "14",                                     // hours
        "",                                       // seats: 2, the default
        "experience!,speaking",                   // criteria
        "y",                                      // record it
    ];
    let (result, run, prompter) = net.at_terminal(&["request", "new"], &answers);
    assert!(result.is_ok(), "{result:?}\n{:#?}", prompter.transcript);
    assert_eq!(prompter.remaining(), 0);
    assert_eq!(run.stdout, "1\n");
    assert_eq!(
        asked(&prompter),
        [
            "Title of the engagement",
            "What partners will do (empty to skip)",
            "Organization (health care partner)",
            "Point of contact's name",
            "Point of contact's e-mail",
            "Point of contact's e-mail",
            "Way of engaging",
            "Domain",
            "Level",
            "Topics, comma-separated (empty for none)",
            "Starts on (YYYY-MM-DD, empty if not known)",
            "Ends on (YYYY-MM-DD, empty if not known)",
            "Ends on (YYYY-MM-DD, empty if not known)",
            "Estimated hours per partner (empty if not known)",
            "Seats (patient partners wanted)",
            "Criteria (empty for the usual ones)",
            "Record this request?",
        ]
    );
    // A refused answer is explained in words about the answer, never a flag that was not typed,
    // and asked again at once; nothing already answered is lost.
    let t = &prompter.transcript;
    let refused =
        t.iter().position(|l| l == "'lee.example.org' is not an e-mail address: it needs exactly one @").unwrap();
    assert_eq!(t[refused + 1], "? Point of contact's e-mail");
    let refused = t
        .iter()
        .position(|l| {
            l == "2027-01-05 is before the engagement starts, 2027-01-10; give a day on or after it, or leave it empty"
        })
        .unwrap();
    assert_eq!(t[refused + 1], "? Ends on (YYYY-MM-DD, empty if not known)");
    assert!(t.iter().all(|l| !l.contains("--ends")), "{t:#?}");

    let json = net.json(&["request", "show", "1"]);
    let field = |k: &str| json[k].clone();
    assert_eq!(field("title"), "Evidence scan review");
    assert_eq!(field("description"), "Review two evidence scans on discharge");
    assert_eq!(field("contact_email"), "lee.wong@example.org");
    assert_eq!(
        (field("way"), field("domain"), field("level")),
        ("involve".into(), "program".into(), "organizational".into())
    );
    assert_eq!(field("topics"), serde_json::json!(["discharge", "mental health"]));
    assert_eq!((field("starts_on"), field("ends_on")), ("2027-01-10".into(), "2027-03-31".into()));
    assert_eq!((field("hours_estimate"), field("seats")), (14.into(), 2.into()));
    assert_eq!(field("criteria_spec"), "experience!,speaking");
}

#[test]
fn the_guided_request_new_skips_what_is_left_empty_and_menus_start_on_the_first_choice() {
    let net = Network::new();
    let answers = |way: &'static str| {
        let mut answers = vec![
            "Discharge co-design",
            "", // nothing said about what partners will do
            "Fraser Health",
            "Lee Wong",
            "lee.wong@example.org",
            way,
            "", // domain: the first, care
            "(not set)",
            "", // no topics
            "", // no start
            "", // no end
            "", // no hours
        ];
        // An inform request is a notice (SPEC §10): no seats or criteria are asked for it.
        if !way.is_empty() {
            answers.extend(["3", ""]); // 3 seats, the usual criteria
        }
        answers.push("");
        answers
    };
    let (result, _, prompter) = net.at_terminal(&["request", "new"], &answers(""));
    assert!(result.is_ok(), "{result:?}\n{:#?}", prompter.transcript);
    let json = net.json(&["request", "show", "1"]);
    assert_eq!(
        (json["way"].clone(), json["domain"].clone(), json["level"].clone()),
        ("inform".into(), "care".into(), serde_json::Value::Null)
    );
    assert_eq!((json["description"].clone(), json["topics"].clone()), (serde_json::Value::Null, serde_json::json!([])));
    assert_eq!(json["seats"], serde_json::Value::Null);
    assert!(!prompter.transcript.iter().any(|l| l.starts_with("Selection criteria")), "{:#?}", prompter.transcript);
    let (result, _, prompter) = net.at_terminal(&["request", "new"], &answers("consult"));
    assert!(result.is_ok(), "{result:?}\n{:#?}", prompter.transcript);
    let json = net.json(&["request", "show", "2"]);
    assert_eq!(json["criteria_spec"], "experience,speaking,constructive,listening,availability");
    assert_eq!(json["seats"], 3);
    // The criteria's syntax is explained on a line of its own, not in the question.
    assert!(
        prompter.transcript.iter().any(|l| l.starts_with("Selection criteria: names, '!' after one that is required"))
    );
}

#[test]
fn request_new_with_some_flags_asks_only_for_the_required_values_missing() {
    let net = Network::new();
    let answers = [
        "Fraser Health",        // organization
        "Lee Wong",             // contact name
        "lee.example.org",      // contact e-mail: refused ...
        "Lee.Wong@example.org", // ... and asked again
        "involve",              // way
        "y",                    // record it
    ];
    let (result, run, prompter) = net.at_terminal(&["request", "new", "--title", "Evidence scan review"], &answers);
    assert!(result.is_ok(), "{result:?}\n{:#?}", prompter.transcript);
    assert_eq!(prompter.remaining(), 0);
    assert_eq!(run.stdout, "1\n");
    assert_eq!(
        asked(&prompter),
        [
            "Organization (health care partner)",
            "Point of contact's name",
            "Point of contact's e-mail",
            "Point of contact's e-mail",
            "Way of engaging",
            "Record this request?",
        ]
    );
    let t = &prompter.transcript;
    assert!(t.iter().any(|l| l.starts_with("Evidence scan review for Fraser Health (involve, 2 seats, $40.00/hour")));
    let row: (String, String, String, Option<String>, Option<String>, Option<i64>, i64) = net
        .conn()
        .query_row(
            "SELECT organization, contact_email, way, domain, starts_on, hours_estimate, seats FROM request",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?, r.get(6)?)),
        )
        .unwrap();
    assert_eq!(row, ("Fraser Health".into(), "lee.wong@example.org".into(), "involve".into(), None, None, None, 2));
}

#[test]
fn request_new_with_every_required_flag_asks_nothing_at_a_terminal() {
    let net = Network::new();
    let (result, run, prompter) = net.at_terminal(
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
        ],
        &[],
    );
    assert!(result.is_ok(), "{result:?}");
    assert!(prompter.transcript.is_empty(), "{:#?}", prompter.transcript);
    assert_eq!(run.stdout, "1\n");
    assert_eq!(net.count("request"), 1);
}

#[test]
fn declining_to_record_a_request_records_nothing_and_is_not_an_error() {
    let net = Network::new();
    // The way is left out, so it is asked, and what was asked is shown back to confirm.
    let (result, run, prompter) = net.at_terminal(
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
            "--starts",
            "2027-01-01",
            "--ends",
            "2027-02-01",
        ],
        &["consult", "n"],
    );
    // It used to be an error (exit 1, "nothing was recorded"); declining is the coordinator's
    // choice (SPEC §4).
    assert!(result.is_ok(), "{result:?}\n{:#?}", prompter.transcript);
    assert_eq!((run.code, run.stdout.as_str(), run.stderr.as_str()), (0, "", "Nothing was recorded.\n"));
    assert_eq!(net.count("request"), 0);
    assert_eq!(net.count("event"), 0);
}

#[test]
fn ctrl_c_at_a_request_question_cancels_with_exit_130_and_records_nothing() {
    let net = Network::new();
    let (result, run, prompter) =
        net.at_terminal(&["request", "new"], &["Discharge co-design", "", "Fraser Health", CTRL_C]);
    let e = result.unwrap_err();
    assert_eq!(e.to_string(), "Cancelled; nothing was recorded.");
    assert_eq!(run.code, 130);
    assert_eq!(asked(&prompter).last(), Some(&"Point of contact's name"));
    assert_eq!(net.count("request"), 0);
}

#[test]
fn the_end_of_the_input_at_a_question_names_it_and_the_flag_to_pass() {
    let net = Network::new();
    let (result, run, _) = net.at_terminal(&["request", "new", "--title", "T"], &["Fraser Health", CTRL_D]);
    assert_eq!(
        result.unwrap_err().to_string(),
        "the input ended at the question 'Point of contact's name'; nothing was recorded; pass --contact-name N to \
         give it without the question"
    );
    assert_eq!(run.code, 2);
    // Running out of answers is the end of the input too.
    let (result, run, _) = net.at_terminal(&["request", "new", "--title", "T", "--org", "O"], &["N", "n@example.org"]);
    assert_eq!(
        result.unwrap_err().to_string(),
        "the input ended at the question 'Way of engaging'; nothing was recorded; pass --way WAY to give it without \
         the question"
    );
    assert_eq!(run.code, 2);
    assert_eq!(net.count("request"), 0);
}

#[test]
fn ctrl_c_or_the_end_of_the_input_in_a_checkin_records_nothing() {
    let net = Network::new();
    let ana = partner(&net, "Ana", "Silva", &[]);
    engagement(&net, &["--way", "involve", "--starts", "2026-10-01"], &[ana], "2026-09-25");
    let before = (net.count("checkin"), net.count("event"));
    let (result, run, _) = net.at_terminal(&["checkin", "1"], &["partner 1", "good", "2", CTRL_C]);
    assert_eq!((result.unwrap_err().to_string().as_str(), run.code), ("Cancelled; nothing was recorded.", 130));
    let (result, run, _) = net.at_terminal(&["checkin", "1", "--status", "concerns"], &[CTRL_D]);
    assert_eq!(
        (result.unwrap_err().to_string().as_str(), run.code),
        (
            "the input ended at the question 'Who was the check-in with?'; nothing was recorded; pass --partner P, \
             --requester or --team to give it without the question",
            2
        )
    );
    assert_eq!((net.count("checkin"), net.count("event")), before);
}

#[test]
fn ctrl_c_in_the_closing_checklist_records_none_of_the_answers_given() {
    let net = Network::new();
    let ana = partner(&net, "Ana", "Silva", &[]);
    engagement(&net, &["--way", "involve", "--starts", "2026-10-01"], &[ana], "2026-09-25");
    let before = net.count("event");
    let (result, run, prompter) = net.at_terminal(&["close", "1"], &["The checklist was adopted", "today", CTRL_C]);
    assert_eq!((result.unwrap_err().to_string().as_str(), run.code), ("Cancelled; nothing was recorded.", 130));
    assert_eq!(asked(&prompter).last(), Some(&"Partners thanked on"));
    assert_eq!(net.count("event"), before);
    let closing: (Option<String>, Option<String>) = net
        .conn()
        .query_row("SELECT outcomes, loop_closed_on FROM request WHERE id = 1", [], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap();
    assert_eq!(closing, (None, None));
}

#[test]
fn the_closing_checklist_warns_of_an_open_concern_before_it_asks_to_close() {
    let net = Network::new();
    let ana = partner(&net, "Ana", "Silva", &[]);
    engagement(&net, &["--way", "involve", "--starts", "2026-10-01"], &[ana], "2026-09-25");
    net.ok(&["checkin", "1", "--partner", "1", "--concern", "wellbeing", "--hours", "2"]);
    net.ok(&["close", "pay", "1", "1", "--method", "cheque"]);
    let answers = ["Adopted", "today", "today", "today", "today", "close"];
    let (result, run, prompter) = net.at_terminal(&["close", "1"], &answers);
    assert!(result.is_ok(), "{result:?}\n{:#?}", prompter.transcript);
    let t = &prompter.transcript;
    let warning =
        "warning: the wellbeing concern raised at check-in 1 is still open; `engage checkin resolve 1` when it is";
    let warned = t.iter().position(|l| l == warning).unwrap_or_else(|| panic!("{t:#?}"));
    let what_now = t.iter().position(|l| l == "? What now?").unwrap();
    assert!(warned < what_now, "{t:#?}");
    // Said once, before; not again after closing.
    assert_eq!(run.stderr, "Closed request 1 (Discharge co-design) on 2026-11-23.\n");
    let status: String = net.conn().query_row("SELECT status FROM request WHERE id = 1", [], |r| r.get(0)).unwrap();
    assert_eq!(status, "closed");
}

/// Two candidates for request 1, criteria experience (required) and speaking.
fn two_candidates(net: &Network) {
    let req = net.request(&["--criteria", "experience!,speaking"]);
    for first in ["Ana", "Ben"] {
        let p = partner(net, first, "Partner", &[]);
        net.ok(&["recruit", "respond", &req.to_string(), &p.to_string(), "--interested"]);
    }
}

fn scores(net: &Network) -> Vec<(i64, String, i64)> {
    net.conn()
        .prepare("SELECT partner_id, criterion, score FROM score ORDER BY 1, 2")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap()
}

#[test]
fn ctrl_c_part_way_through_a_candidate_keeps_the_scores_given() {
    let net = Network::new();
    two_candidates(&net);
    // Ana fully, then Ben's experience, then Ctrl-C at Ben's speaking.
    let (result, run, prompter) = net.at_terminal(&["select", "1"], &["3", "2", "2", CTRL_C]);
    assert_eq!(asked(&prompter).last(), Some(&"speaking, 0-3"));
    assert_eq!(
        result.unwrap_err().to_string(),
        "Cancelled; the 3 scores given are kept (`engage select 1` takes up where you left off); nothing else was \
         recorded."
    );
    assert_eq!(run.code, 130);
    let s = |v: &str| v.to_string();
    assert_eq!(scores(&net), [(1, s("experience"), 3), (1, s("speaking"), 2), (2, s("experience"), 2)]);
    assert_eq!(net.count("decision"), 0);

    // Taken up again, Ben's experience is the default; the end of the input at it keeps what
    // was there, and this run recorded nothing.
    let (result, run, _) = net.at_terminal(&["select", "1"], &["", CTRL_D]);
    assert_eq!(
        result.unwrap_err().to_string(),
        "the input ended at the question 'experience (required), 0-3'; nothing was recorded; score with `engage \
         select score 1 PARTNER --score CRITERION=N` and decide with `engage select decide 1 --select IDS`"
    );
    assert_eq!(run.code, 2);
    assert_eq!(scores(&net).len(), 3);
}

#[test]
fn declining_the_guided_decision_after_scoring_says_the_scores_are_kept() {
    let net = Network::new();
    two_candidates(&net);
    let answers = ["3", "2", "2", "3", "", "", "", "", "n"];
    let (result, run, prompter) = net.at_terminal(&["select", "1"], &answers);
    assert!(result.is_ok(), "{result:?}\n{:#?}", prompter.transcript);
    assert_eq!(run.code, 0);
    assert_eq!(
        run.stderr,
        "The decision was not recorded; the 4 scores given are kept. `engage select 1` takes it up again.\n"
    );
    assert_eq!(scores(&net).len(), 4);
    assert_eq!(net.count("decision"), 0);
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
    // The request exists, so `request cancel 1` reaches its question on a terminal (it used to
    // fail on the missing request before any question, and so tested nothing).
    net.request(&[]);
    let env = Env::pinned(&net.db, &net.today);
    let mut prompter = ScriptedPrompter::new(["should not be asked"]);
    let (result, run) = net.in_process_with(&["request", "cancel", "1"], &env, &mut prompter);
    assert_eq!(result.unwrap_err().to_string(), "request cancel needs --reason: say why the request is cancelled");
    assert_eq!(run.code, 2);
    assert!(prompter.transcript.is_empty());
    let status: String = net.conn().query_row("SELECT status FROM request", [], |r| r.get(0)).unwrap();
    assert_eq!(status, "submitted");
    // The same command at a terminal asks.
    let (result, _, prompter) = net.at_terminal(&["request", "cancel", "1"], &["the unit closed"]);
    assert!(result.is_ok());
    assert_eq!(asked(&prompter), ["Why is 'Discharge co-design' cancelled?"]);
}

// ---------------------------------------------------------------------------------------------
// The real binary in a pseudo-terminal, keys sent as a coordinator types them.

mod terminal {
    use super::{scores, two_candidates};
    use crate::support::Network;
    use rexpect::process::WaitStatus;
    use rexpect::reader::Options;
    use rexpect::session::PtySession;
    use std::time::Duration;

    const HIDE_CURSOR: &str = "\x1b[?25l";
    const SHOW_CURSOR: &str = "\x1b[?25h";

    fn spawn(cmd: std::process::Command, strip: bool) -> PtySession {
        let options = Options::new().timeout_ms(Some(60_000)).strip_ansi_escape_codes(strip);
        rexpect::session::spawn_with_options(cmd, options).unwrap()
    }

    /// The binary as `terminal_command` runs it, on a terminal `cols` columns wide.
    fn at_width(net: &Network, cols: u16, args: &[&str]) -> std::process::Command {
        let base = net.terminal_command(&[]);
        let mut cmd = std::process::Command::new("sh");
        cmd.env_clear();
        for (key, value) in base.get_envs() {
            if let Some(value) = value {
                cmd.env(key, value);
            }
        }
        cmd.arg("-c")
            .arg(format!("stty cols {cols} rows 24 && exec \"$0\" \"$@\""))
            .arg(env!("CARGO_BIN_EXE_engage"))
            .args(args);
        cmd
    }

    /// The session reads the terminal's bytes one `char` each; put the UTF-8 back together.
    fn utf8(seen: &str) -> String {
        let bytes: Vec<u8> = seen.chars().map(|c| u8::try_from(u32::from(c)).unwrap_or(b'?')).collect();
        String::from_utf8_lossy(&bytes).into_owned()
    }

    /// A key sent the moment a question is drawn could reach the terminal before engage reads
    /// keys one by one; a coordinator is never that fast.
    fn settle() {
        std::thread::sleep(Duration::from_millis(300));
    }

    const EVERY_FLAG_BUT_THE_WAY: [&str; 10] = [
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
    ];

    #[test]
    fn ctrl_c_in_a_menu_exits_130_with_the_cursor_shown_and_nothing_recorded() {
        let net = Network::new();
        let mut s = spawn(net.terminal_command(&EVERY_FLAG_BUT_THE_WAY), false);
        let mut seen = s.exp_string("Enter to choose").unwrap();
        seen.push_str("Enter to choose");
        settle();
        s.send_control('c').unwrap();
        seen.push_str(&s.exp_eof().unwrap());
        let exit = s.process().wait().unwrap();
        assert!(matches!(exit, WaitStatus::Exited(_, 130)), "{exit:?}\n{seen:?}");
        let hidden = seen.rfind(HIDE_CURSOR).unwrap_or_else(|| panic!("the menu never hid the cursor: {seen:?}"));
        let shown = seen.rfind(SHOW_CURSOR).unwrap_or_else(|| panic!("the cursor was never shown again: {seen:?}"));
        assert!(shown > hidden, "the cursor is left hidden: {seen:?}");
        assert!(seen.ends_with("Cancelled; nothing was recorded.\r\n"), "{seen:?}");
        assert_eq!(net.count("request"), 0);
        assert_eq!(net.count("event"), 0);
    }

    #[test]
    fn typing_filters_a_menu_that_fits_sixty_columns_and_enter_chooses() {
        let net = Network::new();
        let mut s = spawn(at_width(&net, 60, &EVERY_FLAG_BUT_THE_WAY), true);
        let mut seen = s.exp_string("Enter to choose").unwrap();
        seen.push_str("Enter to choose");
        // The cursor starts on the first choice, the hint says how to choose.
        seen.push_str(&s.exp_string("> inform ($0.00/hour)").unwrap());
        settle();
        s.send("collab").unwrap();
        s.flush().unwrap();
        seen.push_str(&s.exp_string("Way of engaging: collab").unwrap());
        seen.push_str(&s.exp_string("> collaborate ($50.00/hour)").unwrap());
        settle();
        s.send("\r").unwrap();
        s.flush().unwrap();
        seen.push_str(&s.exp_string("Way of engaging: collaborate ($50.00/hour)").unwrap());
        seen.push_str(&s.exp_string("Record this request? [Y/n]").unwrap());
        settle();
        s.send("y").unwrap();
        s.flush().unwrap();
        seen.push_str(&s.exp_eof().unwrap());
        let exit = s.process().wait().unwrap();
        assert!(matches!(exit, WaitStatus::Exited(_, 0)), "{exit:?}\n{seen}");
        // No line of the menu is wider than the terminal, so none wraps and none is left behind
        // when the menu is redrawn: the long choices are cut short with an ellipsis.
        let seen = utf8(&seen);
        let menu: Vec<&str> = seen.lines().filter(|l| l.contains("/hour)")).collect();
        assert!(!menu.is_empty(), "{seen}");
        for line in &menu {
            let line = line.trim_start_matches('\r');
            assert!(line.chars().count() <= 59, "{line:?} is wider than 59 columns");
        }
        assert!(menu.iter().any(|l| l.ends_with('…')), "{menu:#?}");
        let way: String = net.conn().query_row("SELECT way FROM request", [], |r| r.get(0)).unwrap();
        assert_eq!(way, "collaborate");
    }

    #[test]
    fn ctrl_c_while_scoring_in_a_terminal_keeps_the_scores_given_and_exits_130() {
        let net = Network::new();
        two_candidates(&net);
        let mut s = spawn(net.terminal_command(&["select", "1"]), true);
        s.exp_string("partner 1, Ana Partner").unwrap();
        s.exp_string("experience (required), 0-3").unwrap();
        s.send_line("3").unwrap();
        s.exp_string("speaking, 0-3").unwrap();
        s.send_line("2").unwrap();
        s.exp_string("partner 2, Ben Partner").unwrap();
        s.exp_string("experience (required), 0-3").unwrap();
        s.send_line("1").unwrap();
        s.exp_string("speaking, 0-3").unwrap();
        settle();
        s.send_control('c').unwrap();
        s.exp_string(
            "Cancelled; the 3 scores given are kept (`engage select 1` takes up where you left off); nothing else \
             was recorded.",
        )
        .unwrap();
        s.exp_eof().unwrap();
        let exit = s.process().wait().unwrap();
        assert!(matches!(exit, WaitStatus::Exited(_, 130)), "{exit:?}");
        let v = |t: &str| t.to_string();
        assert_eq!(scores(&net), [(1, v("experience"), 3), (1, v("speaking"), 2), (2, v("experience"), 1)]);
        assert_eq!(net.count("decision"), 0);
    }
}
