//! `engage close`: closing the loop, compensation, reimbursement and the statement.

use crate::running::{engagement, events, partner};
use crate::support::Network;
use serde_json::Value;

fn request_row(net: &Network, id: i64) -> (String, Option<String>, Option<String>, Option<String>, Option<String>) {
    net.conn()
        .query_row(
            "SELECT status, outcomes, loop_closed_on, thanked_on, closed_on FROM request WHERE id = ?1",
            [id],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)),
        )
        .unwrap()
}

/// (method, declined, paid_on, paid_cents, last reimbursed_on, reimbursed cents in all) of a
/// partner on a request.
type Compensation = (Option<String>, i64, Option<String>, Option<i64>, Option<String>, Option<i64>);

fn compensation(net: &Network, request: i64, partner: i64) -> Compensation {
    net.conn()
        .query_row(
            "SELECT k.method, coalesce(k.declined, 0), k.paid_on, k.paid_cents, \
             (SELECT max(reimbursed_on) FROM reimbursement m WHERE m.request_id = ?1 AND m.partner_id = ?2), \
             (SELECT sum(cents) FROM reimbursement m WHERE m.request_id = ?1 AND m.partner_id = ?2) \
             FROM (SELECT ?1 AS request_id, ?2 AS partner_id) AS asked \
             LEFT JOIN compensation k ON k.request_id = asked.request_id AND k.partner_id = asked.partner_id",
            [request, partner],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?)),
        )
        .unwrap()
}

/// Request 1 (involve, $40.00/hour): Ana (1) with 14 hours over two check-ins and $32.50 of
/// expenses; Bo (2), whose benefits payment may affect, with 14 hours; Cy (3) with none yet.
fn running(net: &Network) {
    let ana = partner(net, "Ana", "Silva", &[]);
    let bo = partner(net, "Bo", "Chen", &["--payment-affects-benefits"]);
    let cy = partner(net, "Cy", "Roy", &[]);
    engagement(
        net,
        &["--way", "involve", "--starts", "2026-09-01", "--ends", "2026-11-15"],
        &[ana, bo, cy],
        "2026-08-25",
    );
    net.ok(&["checkin", "1", "--partner", "1", "--on", "2026-10-01", "--hours", "6", "--expenses", "20"]);
    net.ok(&["checkin", "1", "--partner", "1", "--on", "2026-11-01", "--hours", "8", "--expenses", "12.50"]);
    net.ok(&["checkin", "1", "--partner", "2", "--on", "2026-11-01", "--hours", "14"]);
}

#[test]
fn the_recognition_guides_examples_come_out_to_the_cent() {
    // HEC's patient partner recognition guide (seed 002), SPEC rule 11, through the real binary.
    let net = Network::new();
    let ana = partner(&net, "Ana", "Silva", &[]);
    // inform: receiving opportunities by e-mail; no compensation. An inform request is a notice
    // with no selection (SPEC §10), so nobody is engaged and nobody is owed anything.
    let notice = net.request_on("2026-04-20", &["--way", "inform"]).to_string();
    let run = net.run(&["select", "decide", &notice, "--select", &ana.to_string()]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr.contains("is an inform request, a notice to the network: it has no selection"),
        "{}",
        run.stderr
    );
    let statement = net.json(&["close", "statement", &notice]);
    assert_eq!(
        (statement["total_owed"].as_str(), statement["partners"].clone()),
        (Some("0.00"), serde_json::json!([]))
    );
    let examples: &[(&[&str], &[&str], &str)] = &[
        // consult: a focus group, 2 hours, a $50 honorarium.
        (&["--way", "consult", "--honorarium", "50"], &["2"], "50.00"),
        // consult at its $25/hour: the same $50.
        (&["--way", "consult"], &["2"], "50.00"),
        // involve: evidence scans, 14 hours at $40/hour.
        (&["--way", "involve"], &["6", "8"], "560.00"),
        // collaborate: a co-design team, 40 hours over 6 months at $50/hour.
        (&["--way", "collaborate"], &["7", "7", "6.5", "6.5", "6.5", "6.5"], "2000.00"),
        // lead: co-delivering a presentation, 8 hours at $60/hour and up.
        (&["--way", "lead", "--rate", "60"], &["8"], "480.00"),
        (&["--way", "lead", "--rate", "75"], &["8"], "600.00"),
    ];
    let months = ["2026-06-01", "2026-07-01", "2026-08-01", "2026-09-01", "2026-10-01", "2026-11-01"];
    for (flags, hours, owed) in examples {
        let mut request_flags = flags.to_vec();
        request_flags.extend(["--starts", "2026-05-01"]);
        let request = engagement(&net, &request_flags, &[ana], "2026-04-20").to_string();
        for (on, h) in months.iter().zip(hours.iter()) {
            net.ok(&["checkin", &request, "--partner", "1", "--on", on, "--hours", h]);
        }
        let statement = net.json(&["close", "statement", &request]);
        assert_eq!(statement["partners"][0]["owed"], *owed, "{flags:?}");
        assert_eq!(statement["total_owed"], *owed, "{flags:?}");
        let logged: f64 = hours.iter().map(|h| h.parse::<f64>().unwrap()).sum();
        assert_eq!(statement["total_hours"].as_f64().unwrap(), logged);
        net.ok(&["close", "pay", &request, "1", "--method", "e-transfer"]);
        let cents: i64 = owed.replace('.', "").parse().unwrap();
        let id: i64 = request.parse().unwrap();
        assert_eq!(compensation(&net, id, 1).3, Some(cents), "{flags:?}");
    }
    let json = net.json(&["close", "statement", "2"]);
    assert_eq!((json["pay_basis"].as_str(), json["honorarium"].as_str()), (Some("honorarium"), Some("50.00")));
    assert_eq!(json["rate"], Value::Null);
}

#[test]
fn a_close_with_steps_missing_refuses_names_them_and_changes_nothing() {
    let net = Network::new();
    running(&net);
    let events_before = net.count("event");
    let run = net.run(&["close", "1", "--thanked", "today"]);
    assert_eq!(run.code, 1);
    assert_eq!(run.stdout, "");
    // Money is not a step of closing the loop (SPEC rule 10 as amended): only the loop's steps.
    assert_eq!(
        run.stderr,
        "engage: error: request 1 cannot close with 4 steps not done (the outcomes (--outcomes TEXT); \
         the outcomes told back to the partners (--loop-closed DATE); \
         the survey sent to the partners (--partner-survey DATE); \
         the survey sent to the requester (--requester-survey DATE)); nothing was changed: give them, pass \
         --keep-open to record the steps given without closing, or --force to close anyway with the missing steps \
         kept in the event log\n"
    );
    // Not even the step given was recorded: exit 1 changes nothing.
    assert_eq!(request_row(&net, 1), ("active".into(), None, None, None, None));
    assert_eq!(net.count("event"), events_before);
}

#[test]
fn closing_step_by_step_then_when_everything_is_done() {
    let net = Network::new();
    running(&net);
    // Steps are recorded as they happen, without closing.
    let run = net.run(&["close", "1", "--thanked", "2026-11-18", "--keep-open"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        run.stderr,
        "Request 1 stays open: recorded thanked_on 2026-11-18; 4 steps still open. `engage close 1` closes it when \
         every step is done.\n"
    );
    assert_eq!(request_row(&net, 1), ("active".into(), None, None, Some("2026-11-18".into()), None));

    // Compensation: Ana paid, her expenses reimbursed, Bo chooses a gift card, Cy declines.
    let run = net.run(&["close", "pay", "1", "1", "--method", "e-transfer", "--paid-on", "2026-11-20"]);
    assert_eq!(
        run.stderr,
        "Recorded: partner 1 (Ana Silva) was paid $560.00 by e-transfer on 2026-11-20 for request 1 (14 hours at $40.00/hour).\n"
    );
    let run = net.run(&["close", "reimburse", "1", "1"]);
    assert_eq!(
        run.stderr,
        "Recorded: partner 1 (Ana Silva) was reimbursed $32.50 of expenses on 2026-11-23 for request 1.\n"
    );
    net.ok(&["close", "pay", "1", "2", "--method", "gift-card"]);
    let run = net.run(&["close", "pay", "1", "3", "--declined"]);
    assert_eq!(run.stderr, "Recorded: partner 3 (Cy Roy) declined compensation for request 1.\n");
    assert_eq!(
        compensation(&net, 1, 1),
        (Some("e-transfer".into()), 0, Some("2026-11-20".into()), Some(56_000), Some("2026-11-23".into()), Some(3_250))
    );
    assert_eq!(
        compensation(&net, 1, 2),
        (Some("gift-card".into()), 0, Some("2026-11-23".into()), Some(56_000), None, None)
    );
    assert_eq!(compensation(&net, 1, 3), (None, 1, None, None, None, None));

    let run = net.run(&[
        "close",
        "1",
        "--outcomes",
        "The discharge checklist was adopted on two units",
        "--loop-closed",
        "2026-11-20",
        "--partner-survey",
        "2026-11-21",
        "--requester-survey",
        "today",
        "--format",
        "json",
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.stderr, "Closed request 1 (Discharge co-design) on 2026-11-23.\n");
    let checklist: Value = serde_json::from_str(&run.stdout).unwrap();
    let steps: Vec<(&str, Option<i64>, bool, &str)> = checklist
        .as_array()
        .unwrap()
        .iter()
        .map(|i| {
            (
                i["step"].as_str().unwrap(),
                i["partner_id"].as_i64(),
                i["done"].as_bool().unwrap(),
                i["detail"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        steps,
        vec![
            ("outcomes", None, true, "The discharge checklist was adopted on two units"),
            ("loop_closed", None, true, "outcomes told back to the partners"),
            ("thanked", None, true, "partners thanked"),
            ("partner_survey", None, true, "survey sent to the partners"),
            ("requester_survey", None, true, "survey sent to the requester"),
            ("compensation", Some(1), true, "paid $560.00 by e-transfer"),
            ("reimbursement", Some(1), true, "reimbursed $32.50"),
            ("compensation", Some(2), true, "paid $560.00 as a gift card"),
            ("compensation", Some(3), true, "declined"),
        ]
    );
    assert_eq!(
        request_row(&net, 1),
        (
            "closed".into(),
            Some("The discharge checklist was adopted on two units".into()),
            Some("2026-11-20".into()),
            Some("2026-11-18".into()),
            Some("2026-11-23".into())
        )
    );
    let log = events(&net, 1);
    let tail: Vec<(&str, Option<i64>, &str)> =
        log[log.len() - 8..].iter().map(|(k, p, d)| (k.as_str(), *p, d.as_str())).collect();
    assert_eq!(
        tail,
        vec![
            ("closing_steps", None, "thanked_on 2026-11-18"),
            ("compensation_paid", Some(1), "e-transfer 560.00 on 2026-11-20 (14 hours at 40.00/hour)"),
            ("expenses_reimbursed", Some(1), "32.50 on 2026-11-23"),
            ("compensation_paid", Some(2), "gift-card 560.00 on 2026-11-23 (14 hours at 40.00/hour)"),
            ("compensation_declined", Some(3), "declined (0.00 offered)"),
            (
                "closing_steps",
                None,
                "outcomes, loop_closed_on 2026-11-20, partner_survey_on 2026-11-21, requester_survey_on 2026-11-23"
            ),
            ("status_changed", None, "active → closed"),
            ("closed", None, "every closing step done"),
        ]
    );
    // Closed is closed: closing again changes nothing and says so.
    let again = net.run(&["close", "1"]);
    assert_eq!(again.code, 0);
    assert_eq!(again.stderr, "Request 1 was closed on 2026-11-23; 0 steps still open.\n");
}

#[test]
fn a_forced_close_keeps_the_missing_steps_in_the_event_log() {
    let net = Network::new();
    running(&net);
    net.ok(&["close", "pay", "1", "2", "--declined"]);
    net.ok(&["close", "pay", "1", "3", "--declined"]);
    let run = net.run(&[
        "close",
        "1",
        "--outcomes",
        "Report delivered",
        "--loop-closed",
        "today",
        "--thanked",
        "today",
        "--force",
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        run.stderr,
        "warning: request 1 closed with 2 steps not done, kept in the event log: the survey sent to the partners \
         (--partner-survey DATE); the survey sent to the requester (--requester-survey DATE)\n\
         Closed request 1 (Discharge co-design) on 2026-11-23.\n\
         Still to settle, and in the morning reminder (payment_due, reimbursement_due) until it is: partner 1's \
         compensation of $560.00 paid or declined (`engage close pay 1 1 --method M` or `--declined`); partner 1's \
         expenses of $32.50 reimbursed (`engage close reimburse 1 1`).\n"
    );
    assert_eq!(request_row(&net, 1).0, "closed");
    assert_eq!(
        events(&net, 1).last().unwrap(),
        &(
            "closed_with_steps_missing".to_string(),
            None,
            "closed with 2 steps missing: partner_survey, requester_survey".to_string()
        )
    );
    // What was missing can still be done after the close.
    let run = net.run(&["close", "1", "--partner-survey", "today"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        run.stderr,
        "Request 1 was closed on 2026-11-23; recorded partner_survey_on 2026-11-23; 1 step still open.\n"
    );
    net.ok(&["close", "pay", "1", "1", "--method", "cheque"]);
    net.ok(&["close", "reimburse", "1", "1"]);
    let statement = net.json(&["close", "statement", "1"]);
    assert_eq!(statement["total_outstanding"], "0.00");
    assert_eq!(statement["status"], "closed");
    // A late check-in is kept, with a warning.
    let run = net.run(&["checkin", "1", "--partner", "3", "--note", "thank-you call"]);
    assert_eq!(run.code, 0);
    assert!(
        run.stderr.starts_with(
            "warning: request 1 is closed; the check-in is kept for its history, and its hours and expenses still count\n"
        ),
        "{}",
        run.stderr
    );
}

#[test]
fn compensation_respects_each_partners_choice() {
    let net = Network::new();
    running(&net);
    let statement = net.json(&["close", "statement", "1"]);
    let standing: Vec<(&str, &str, &str)> = statement["partners"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| (p["name"].as_str().unwrap(), p["owed"].as_str().unwrap(), p["status"].as_str().unwrap()))
        .collect();
    assert_eq!(
        standing,
        vec![
            ("Ana Silva", "560.00", "owed"),
            ("Bo Chen", "560.00", "offer, not assumed"),
            ("Cy Roy", "0.00", "no hours logged")
        ]
    );
    net.ok(&["close", "pay", "1", "1", "--method", "cheque"]);
    let cases: &[(&[&str], &str)] = &[
        (
            &["close", "pay", "1", "1", "--method", "e-transfer"],
            "engage: error: partner 1 was already paid $560.00 by cheque on 2026-11-23 for request 1; nothing changed\n",
        ),
        (
            &["close", "pay", "1", "1", "--declined"],
            "engage: error: partner 1 was already paid $560.00 by cheque on 2026-11-23 for request 1; nothing changed\n",
        ),
        (
            &["checkin", "1", "--partner", "1", "--hours", "2"],
            "engage: error: partner 1 was already paid $560.00 for request 1 on 2026-11-23; hours logged now would \
             not be paid, so log hours before `engage close pay`\n",
        ),
        (
            &["close", "pay", "1", "3", "--method", "e-transfer"],
            "engage: error: partner 3 has no hours logged on request 1, so nothing is owed yet at $40.00/hour; log \
             them first with `engage checkin 1 --partner 3 --hours H`\n",
        ),
        (
            &["close", "reimburse", "1", "2"],
            "engage: error: partner 2 has no expenses logged on request 1; there is nothing to reimburse \
             (`engage checkin 1 --partner 2 --expenses DOLLARS` logs them)\n",
        ),
        (
            &["close", "pay", "1", "9", "--method", "cheque"],
            "engage: error: there is no partner 9; `engage recruit list` shows the network\n",
        ),
        (
            &["close", "statement", "7"],
            "engage: error: there is no request 7; `engage request list` shows the requests\n",
        ),
    ];
    for (args, expected) in cases {
        let before = (net.count("compensation"), net.count("checkin"), net.count("event"));
        let run = net.run(args);
        assert_eq!((run.code, run.stderr.as_str(), run.stdout.as_str()), (1, *expected, ""), "engage {args:?}");
        assert_eq!((net.count("compensation"), net.count("checkin"), net.count("event")), before);
    }
    net.ok(&["close", "reimburse", "1", "1", "--on", "2026-11-21"]);
    let run = net.run(&["close", "reimburse", "1", "1"]);
    assert_eq!(run.code, 1);
    assert_eq!(
        run.stderr,
        "engage: error: partner 1's expenses of $32.50 for request 1 were all reimbursed, the last on 2026-11-21; \
         nothing changed (expenses logged at a later check-in are the next to reimburse)\n"
    );
    // Expenses logged after a reimbursement are the next to reimburse (SPEC rule 10 as amended; they
    // were refused before).
    net.ok(&["checkin", "1", "--partner", "1", "--expenses", "5"]);
    // A partner who declined may still change their mind before anything is paid.
    net.ok(&["close", "pay", "1", "2", "--declined"]);
    let run = net.run(&["close", "pay", "1", "2", "--declined"]);
    assert_eq!(
        (run.code, run.stderr.as_str()),
        (0, "Partner 2 (Bo Chen) had already declined compensation for request 1; nothing changed.\n")
    );
    net.ok(&["close", "pay", "1", "2", "--method", "donation"]);
    assert_eq!(
        compensation(&net, 1, 2),
        (Some("donation".into()), 0, Some("2026-11-23".into()), Some(56_000), None, None)
    );
    // Only the selected are compensated.
    partner(&net, "Dee", "Park", &[]);
    net.ok(&["recruit", "respond", "1", "4", "--interested"]);
    let run = net.run(&["close", "pay", "1", "4", "--declined"]);
    assert_eq!(run.code, 1);
    assert_eq!(
        run.stderr,
        "engage: error: partner 4 is not selected for request 1; compensation is for the partners selected for it\n"
    );
    // An honorarium does not depend on hours: logging more after payment is fine.
    let ana =
        engagement(&net, &["--title", "Focus group", "--way", "consult", "--honorarium", "50"], &[1], "2026-11-01");
    let r = ana.to_string();
    net.ok(&["close", "pay", &r, "1", "--method", "gift-card"]);
    net.ok(&["checkin", &r, "--partner", "1", "--hours", "2"]);
    assert_eq!(net.json(&["close", "statement", &r])["total_owed"], "50.00");
}

#[test]
fn bad_input_to_close_names_the_value_exits_2_and_writes_nothing() {
    let net = Network::new();
    running(&net);
    let cases: &[(&[&str], &str)] = &[
        (
            &["close", "1", "--thanked", "2026-11-24"],
            "engage: error: --thanked 2026-11-24 is after today (2026-11-23); record the thanks once they are given\n",
        ),
        (&["close", "1", "--outcomes", " "], "engage: error: --outcomes cannot be empty\n"),
        (&["close", "1", "--loop-closed", "soon"], "engage: error: --loop-closed: 'soon' is not a date"),
        (
            &["close", "1", "--force", "--keep-open"],
            "engage: error: the argument '--force' cannot be used with '--keep-open'",
        ),
        (
            &["close", "pay", "1", "1"],
            "engage: error: the following required arguments were not provided:\n  --method <M>",
        ),
        (&["close", "pay", "1", "1", "--method", "cash"], "engage: error: --method: 'cash' is not one of"),
        (
            &["close", "pay", "1", "1", "--declined", "--paid-on", "today"],
            "engage: error: the argument '--declined' cannot be used with '--paid-on <DATE>'",
        ),
        (
            &["close", "pay", "1", "1", "--method", "cheque", "--paid-on", "2027-01-01"],
            "engage: error: --paid-on 2027-01-01 is after today (2026-11-23); record a payment once it is made\n",
        ),
        (
            &["close", "reimburse", "1", "1", "--on", "2026-12-01"],
            "engage: error: --on 2026-12-01 is after today (2026-11-23); record a reimbursement once it is made\n",
        ),
        (&["close", "statement", "one"], "engage: error: 'one' is not an id"),
    ];
    for (args, expected) in cases {
        let before = (net.count("compensation"), net.count("event"));
        let run = net.run(args);
        assert_eq!(run.code, 2, "engage {args:?}\n{}", run.stderr);
        assert!(run.stderr.starts_with(expected), "engage {args:?}\nexpected: {expected}\n     got: {}", run.stderr);
        assert_eq!(run.stderr.matches("error:").count(), 1, "{}", run.stderr);
        assert_eq!(run.stdout, "");
        assert_eq!((net.count("compensation"), net.count("event")), before);
    }
    assert_eq!(request_row(&net, 1).0, "active");
}

#[test]
fn a_step_dated_before_what_it_follows_is_refused_naming_the_flag_and_the_earliest_day() {
    // Request 1 was recorded on 2026-08-25; Ana's hours and expenses were last logged on 2026-11-01.
    let net = Network::new();
    running(&net);
    let cases: &[(&[&str], &str)] = &[
        (
            &["close", "1", "--loop-closed", "0000-01-01"],
            "--loop-closed 0000-01-01 is before request 1 was recorded on 2026-08-25; a closing step comes after the \
             request is recorded",
        ),
        (
            &["close", "1", "--thanked", "2026-08-24", "--keep-open"],
            "--thanked 2026-08-24 is before request 1 was recorded on 2026-08-25; a closing step comes after the \
             request is recorded",
        ),
        (
            &["checkin", "1", "--team", "--on", "0000-01-01"],
            "--on 0000-01-01 is before request 1 was recorded on 2026-08-25; a check-in is held once the request is \
             recorded",
        ),
        (
            &["close", "pay", "1", "1", "--method", "cheque", "--paid-on", "2026-10-31"],
            "--paid-on 2026-10-31 is before partner 1's hours were last logged on 2026-11-01; a payment comes after \
             the work it pays for",
        ),
        (
            &["close", "reimburse", "1", "1", "--on", "2026-10-15"],
            "--on 2026-10-15 is before partner 1's expenses were last logged on 2026-11-01; a reimbursement comes \
             after the expenses it pays back",
        ),
        (
            &["select", "notify", "1", "--on", "2026-08-24"],
            "--on 2026-08-24 is before the decision on 2026-08-25; candidates are told after it is made",
        ),
    ];
    for (args, expected) in cases {
        let before = (net.count("compensation"), net.count("checkin"), net.count("event"));
        let run = net.run(args);
        assert_eq!((run.code, run.stderr.as_str()), (2, format!("engage: error: {expected}\n").as_str()), "{args:?}");
        assert_eq!(run.stdout, "");
        assert_eq!((net.count("compensation"), net.count("checkin"), net.count("event")), before, "engage {args:?}");
    }
    // The earliest day itself is accepted.
    net.ok(&["close", "pay", "1", "1", "--method", "cheque", "--paid-on", "2026-11-01"]);
    net.ok(&["close", "reimburse", "1", "1", "--on", "2026-11-01"]);
    net.ok(&["checkin", "1", "--team", "--on", "2026-08-25"]);
    // At the checklist a day before the request is refused and asked again.
    let answers = ["Adopted", "2026-08-01", "2026-11-20", "", "", "", "declined", "leave open", "keep"];
    let (result, _, prompter) = net.at_terminal(&["close", "1"], &answers);
    assert!(result.is_ok(), "{result:?}\n{:#?}", prompter.transcript);
    assert!(
        prompter.transcript.contains(
            &"2026-08-01 is before request 1 was recorded on 2026-08-25; a closing step comes after the request is \
              recorded"
                .to_string()
        ),
        "{:#?}",
        prompter.transcript
    );
    assert_eq!(request_row(&net, 1).2.as_deref(), Some("2026-11-20"));
}

#[test]
fn only_an_active_request_is_closed() {
    let net = Network::new();
    net.request(&[]);
    let run = net.run(&["close", "1", "--force"]);
    assert_eq!(run.code, 1);
    assert_eq!(
        run.stderr,
        "engage: error: request 1 is submitted; only an active request is closed (one that will not go ahead is \
         cancelled: `engage request cancel 1 --reason R`)\n"
    );
    net.ok(&["request", "cancel", "1", "--reason", "postponed"]);
    let run = net.run(&["close", "1", "--force"]);
    assert_eq!(run.stderr, "engage: error: request 1 was cancelled; a cancelled request is not closed\n");
    let run = net.run(&["close", "5"]);
    assert_eq!(run.stderr, "engage: error: there is no request 5; `engage request list` shows the requests\n");
    assert_eq!(request_row(&net, 1).0, "cancelled");
}

#[test]
fn the_statement_csv_opens_cleanly_in_a_spreadsheet() {
    let net = Network::new();
    // Names a spreadsheet would run as formulas, and a rate that leaves fractions of a cent.
    let ana = partner(&net, "@Ana", "Silva", &[]);
    let bo = partner(&net, "=Bo", "Chen", &[]);
    let cy = partner(&net, "+Cy", "Roy", &[]);
    engagement(&net, &["--way", "lead", "--rate", "33.33"], &[ana, bo, cy], "2026-10-01");
    net.ok(&["checkin", "1", "--partner", "1", "--hours", "6", "--expenses", "20.25", "--on", "2026-11-01"]);
    net.ok(&["checkin", "1", "--partner", "1", "--hours", "8", "--expenses", "12.25"]);
    net.ok(&["checkin", "1", "--partner", "2", "--hours", "3.33", "--expenses", "7.25"]);
    net.ok(&["checkin", "1", "--partner", "3", "--hours", "0.01"]);
    net.ok(&["close", "pay", "1", "1", "--method", "e-transfer"]);
    net.ok(&["close", "reimburse", "1", "1"]);
    net.ok(&["close", "pay", "1", "3", "--declined"]);

    let csv_text = net.ok(&["close", "statement", "1", "--format", "csv"]);
    let mut reader = csv::Reader::from_reader(csv_text.as_bytes());
    let headers: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
    assert_eq!(
        headers,
        [
            "request_id",
            "partner_id",
            "name",
            "outcome",
            "hours",
            "rate",
            "honorarium",
            "owed",
            "status",
            "method",
            "paid_on",
            "paid",
            "outstanding",
            "expenses",
            "reimbursed_on",
            "reimbursed",
            "expenses_outstanding"
        ]
    );
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 4, "three partners and the total");
    let col = |name: &str| headers.iter().position(|h| h == name).unwrap();
    let money = ["rate", "honorarium", "owed", "paid", "outstanding", "expenses", "reimbursed"];
    for row in &rows {
        for cell in row.iter() {
            assert!(!cell.starts_with(['=', '+', '-', '@', '\t', '\r']), "unsafe cell {cell:?} in {row:?}");
        }
        for m in money {
            let cell = &row[col(m)];
            let two_decimals = cell.split_once('.').is_some_and(|(whole, cents)| {
                !whole.is_empty()
                    && whole.bytes().all(|b| b.is_ascii_digit())
                    && cents.len() == 2
                    && cents.bytes().all(|b| b.is_ascii_digit())
            });
            assert!(cell.is_empty() || two_decimals, "{m} = {cell:?}");
        }
    }
    let names: Vec<&str> = rows.iter().map(|r| &r[col("name")]).collect();
    assert_eq!(names, ["'@Ana Silva", "'=Bo Chen", "'+Cy Roy", "Total"]);
    let owed: Vec<&str> = rows.iter().map(|r| &r[col("owed")]).collect();
    // 14 h x $33.33 = $466.62; 3.33 h = $110.9889 → $110.99; 0.01 h = $0.3333 → $0.33.
    assert_eq!(owed, ["466.62", "110.99", "0.33", "577.94"]);
    let status: Vec<&str> = rows.iter().map(|r| &r[col("status")]).collect();
    assert_eq!(status, ["paid", "owed", "declined", ""]);
    let cents = |cell: &str| -> i64 { if cell.is_empty() { 0 } else { cell.replace('.', "").parse().unwrap() } };
    for m in ["owed", "paid", "outstanding", "expenses", "reimbursed"] {
        let parts: i64 = rows[..3].iter().map(|r| cents(&r[col(m)])).sum();
        assert_eq!(parts, cents(&rows[3][col(m)]), "the {m} column adds up");
    }
    assert_eq!(&rows[3][col("paid")], "466.62");
    assert_eq!(&rows[3][col("outstanding")], "110.99");
    assert_eq!(&rows[3][col("expenses")], "39.75");
    assert_eq!(&rows[3][col("hours")], "17.34");
    // What was paid is what was owed at that moment, to the cent.
    assert_eq!(compensation(&net, 1, 1).3, Some(46_662));

    // The table has the same total line; JSON carries the totals as fields.
    let table = net.run(&["close", "statement", "1"]);
    assert_eq!(table.stderr, "Request 1: Discharge co-design for Fraser Health; $33.33/hour; expenses reimbursed.\n");
    assert!(table.stdout.lines().any(|l| l.contains("Total") && l.contains("$577.94")), "{}", table.stdout);
    let json = net.json(&["close", "statement", "1"]);
    assert_eq!(json["total_owed"], "577.94");
    assert_eq!(json["partners"].as_array().unwrap().len(), 3);
}

#[test]
fn the_closing_checklist_at_a_terminal_asks_for_each_open_step() {
    let net = Network::new();
    running(&net);
    net.ok(&["close", "pay", "1", "3", "--declined"]);
    let answers = [
        "The discharge checklist was adopted", // outcomes
        "2026-11-30",                          // told back: a future day is refused ...
        "2026-11-20",                          // ... and asked again
        "today",                               // thanked
        "today",                               // partner survey
        "2026-11-22",                          // requester survey
        "paid by e-transfer",                  // Ana's compensation
        "",                                    // paid today
        "y",                                   // Ana's expenses reimbursed
        "2026-11-22",                          // on that day
        "declined",                            // Bo's choice
        "close",                               // what now: close request 1 now
    ];
    let (result, run, prompter) = net.at_terminal(&["close", "1"], &answers);
    assert!(result.is_ok(), "{result:?}\n{:#?}", prompter.transcript);
    assert_eq!(prompter.remaining(), 0);
    let t: Vec<&str> = prompter.transcript.iter().map(String::as_str).collect();
    assert_eq!(t[0], "Closing request 1: Discharge co-design (Fraser Health).");
    // Each question is short enough for one line; what explains it is a line of its own before
    // it. (The outcomes and benefits questions used to be long prompts that wrapped, and were
    // printed twice as they were redrawn.)
    let asked: Vec<&str> = t.iter().filter_map(|l| l.strip_prefix("? ")).collect();
    assert_eq!(
        asked,
        vec![
            "Outcomes (empty to leave open)",
            "Outcomes told back to the partners on",
            "Outcomes told back to the partners on",
            "Partners thanked on",
            "Survey sent to the partners on",
            "Survey sent to the requester on",
            "Partner 1's compensation",
            "Paid on",
            "Partner 1's expenses reimbursed?",
            "Reimbursed on",
            "Partner 2's choice",
            "What now?",
        ]
    );
    assert!(asked.iter().all(|q| q.chars().count() <= 40), "{asked:#?}");
    for said in [
        "What came of the engagement, to tell back to the partners?",
        "Give each day as YYYY-MM-DD or today; leave it empty if it is not done yet.",
        "[ ] partner 1 (Ana Silva): $560.00 owed (14 hours at $40.00/hour).",
        "[ ] partner 1 (Ana Silva): expenses of $32.50.",
        "[ ] partner 2 (Bo Chen): $560.00 (14 hours at $40.00/hour) to offer, not assumed: payment may affect their \
         benefits.",
        "Every closing step is done.",
    ] {
        assert!(t.contains(&said), "{said}\n{t:#?}");
    }
    assert!(t.contains(&"2026-11-30 is after today (2026-11-23); give the day it happened"));
    assert!(t.contains(&"[x] partner 3 (Cy Roy): declined"));
    assert_eq!(run.stderr, "Closed request 1 (Discharge co-design) on 2026-11-23.\n");
    assert_eq!(
        request_row(&net, 1),
        (
            "closed".into(),
            Some("The discharge checklist was adopted".into()),
            Some("2026-11-20".into()),
            Some("2026-11-23".into()),
            Some("2026-11-23".into())
        )
    );
    assert_eq!(
        compensation(&net, 1, 1),
        (Some("e-transfer".into()), 0, Some("2026-11-23".into()), Some(56_000), Some("2026-11-22".into()), Some(3_250))
    );
    assert_eq!(compensation(&net, 1, 2).1, 1);
    assert_eq!(events(&net, 1).last().unwrap().2, "every closing step done");
}

#[test]
fn at_a_terminal_open_steps_can_wait_or_be_forced_or_nothing_changes() {
    let net = Network::new();
    running(&net);
    // Leave everything but the thanks open, and choose to change nothing.
    let leave = ["", "", "2026-11-20", "", "", "leave open", "n", "leave open", "leave open"];
    let mut nothing = leave.to_vec();
    nothing.push("change nothing");
    let events_before = net.count("event");
    let (result, run, prompter) = net.at_terminal(&["close", "1"], &nothing);
    // Changing nothing is the coordinator's choice, not a failure (it used to exit 1).
    assert!(result.is_ok(), "{result:?}\n{:#?}", prompter.transcript);
    assert_eq!((run.code, run.stdout.as_str(), run.stderr.as_str()), (0, "", "Nothing was recorded.\n"));
    assert_eq!(net.count("event"), events_before);
    assert_eq!(request_row(&net, 1), ("active".into(), None, None, None, None));
    let t = &prompter.transcript;
    assert!(t.contains(&"Still open (4):".to_string()), "{t:#?}");
    assert!(t.contains(&"To settle, before or after closing (4):".to_string()), "{t:#?}");
    assert!(t.contains(&"  - the outcomes (--outcomes TEXT)".to_string()));
    assert!(t.contains(&"? What now?".to_string()));
    assert!(t.contains(
        &"[ ] partner 3 (Cy Roy): no hours logged at $40.00/hour; `engage checkin 1 --partner 3 --hours H` logs them"
            .to_string()
    ));

    // The same answers, kept: the thanks are recorded and the request stays open.
    let mut keep = leave.to_vec();
    keep.push("keep");
    let (result, run, _) = net.at_terminal(&["close", "1"], &keep);
    assert!(result.is_ok());
    assert_eq!(
        run.stderr,
        "Request 1 stays open: recorded thanked_on 2026-11-20; 4 steps still open. `engage close 1` closes it when \
         every step is done.\n"
    );
    assert_eq!(request_row(&net, 1), ("active".into(), None, None, Some("2026-11-20".into()), None));

    // Next time the thanks show as done, and closing anyway is forced.
    let forced = ["", "", "", "", "leave open", "n", "leave open", "declined", "close anyway"];
    let (result, run, prompter) = net.at_terminal(&["close", "1"], &forced);
    assert!(result.is_ok(), "{result:?}\n{:#?}", prompter.transcript);
    assert!(prompter.transcript.contains(&"[x] partners thanked on 2026-11-20".to_string()));
    assert!(
        run.stderr.starts_with("warning: request 1 closed with 4 steps not done, kept in the event log: "),
        "{}",
        run.stderr
    );
    assert_eq!(request_row(&net, 1).0, "closed");
    let log = events(&net, 1);
    assert_eq!(log[log.len() - 2].0, "status_changed");
    assert_eq!(
        log.last().unwrap(),
        &(
            "closed_with_steps_missing".to_string(),
            None,
            "closed with 4 steps missing: outcomes, loop_closed, partner_survey, requester_survey".to_string()
        )
    );
    assert_eq!(compensation(&net, 1, 3).1, 1, "Cy's decline was recorded with the forced close");
}

#[test]
fn help_shows_an_example_for_every_checkin_and_close_command() {
    let net = Network::new();
    for args in [
        &["checkin", "--help"][..],
        &["checkin", "list", "--help"],
        &["checkin", "due", "--help"],
        &["checkin", "resolve", "--help"],
        &["close", "--help"],
        &["close", "pay", "--help"],
        &["close", "reimburse", "--help"],
        &["close", "statement", "--help"],
    ] {
        let out = net.ok(args);
        assert!(out.contains("Example"), "{args:?} has no example:\n{out}");
    }
}

/// Answers like the scripted prompter, and records the thanks from another engage after the
/// first question, while the checklist is still open.
struct Interrupted<'a> {
    script: engage::prompt::ScriptedPrompter,
    net: &'a Network,
    done: bool,
}

impl engage::prompt::Prompter for Interrupted<'_> {
    fn text(&mut self, prompt: &str, default: Option<&str>) -> engage::prompt::Answer<String> {
        if !self.done {
            self.done = true;
            self.net.exec("UPDATE request SET thanked_on = '2026-11-22' WHERE id = 1");
        }
        self.script.text(prompt, default)
    }
    fn choose(&mut self, prompt: &str, items: &[String], default: usize) -> engage::prompt::Answer<usize> {
        self.script.choose(prompt, items, default)
    }
    fn confirm(&mut self, prompt: &str, default: bool) -> engage::prompt::Answer<bool> {
        self.script.confirm(prompt, default)
    }
    fn say(&mut self, line: &str) -> std::io::Result<()> {
        self.script.say(line)
    }
}

#[test]
fn a_checklist_does_not_overwrite_what_another_engage_wrote_meanwhile() {
    use clap::Parser;
    let net = Network::new();
    running(&net);
    let mut env = engage::Env::pinned(&net.db, &net.today);
    env.stdin_tty = true;
    env.stdout_tty = true;
    // Every step of the loop answered: it asks to close now.
    let answers = ["Report delivered", "today", "today", "today", "today", "declined", "n", "declined", "declined"];
    let mut prompter = Interrupted {
        script: engage::prompt::ScriptedPrompter::new(answers.iter().copied().chain(["close request 1 now"])),
        net: &net,
        done: false,
    };
    let cli = engage::cli::Cli::try_parse_from(["engage", "close", "1"]).unwrap();
    let (mut out, mut err) = (Vec::new(), Vec::new());
    let result = engage::run(cli, &env, &mut out, &mut err, &mut prompter);
    assert_eq!(
        result.unwrap_err().to_string(),
        "request 1 changed while this was being answered (another engage wrote to it); nothing was changed, run \
         `engage close 1` again"
    );
    assert_eq!(request_row(&net, 1), ("active".into(), None, None, Some("2026-11-22".into()), None));
    assert_eq!(net.count("compensation"), 0);
}

/// The real binary in a pseudo-terminal: the closing checklist asked and answered key by key.
#[test]
fn the_closing_checklist_runs_in_a_pseudo_terminal() {
    use rexpect::reader::Options;
    let net = Network::new();
    running(&net);
    // Compensation settled beforehand, so the checklist asks only the closing steps.
    net.ok(&["close", "pay", "1", "1", "--method", "cheque"]);
    net.ok(&["close", "reimburse", "1", "1"]);
    net.ok(&["close", "pay", "1", "2", "--declined"]);
    net.ok(&["close", "pay", "1", "3", "--declined"]);
    let cmd = net.terminal_command(&["close", "1"]);
    let options = Options::new().timeout_ms(Some(60_000)).strip_ansi_escape_codes(true);
    let mut s = rexpect::session::spawn_with_options(cmd, options).unwrap();
    s.exp_string("Closing request 1: Discharge co-design (Fraser Health).").unwrap();
    s.exp_string("What came of the engagement, to tell back to the partners?").unwrap();
    s.exp_string("Outcomes (empty to leave open)").unwrap();
    s.send_line("A new discharge checklist").unwrap();
    s.exp_string("Outcomes told back to the partners on").unwrap();
    s.send_line("someday").unwrap();
    s.exp_string("Outcomes told back to the partners on").unwrap();
    s.send_line("2026-11-20").unwrap();
    s.exp_string("Partners thanked on").unwrap();
    s.send_line("today").unwrap();
    s.exp_string("Survey sent to the partners on").unwrap();
    s.send_line("today").unwrap();
    s.exp_string("Survey sent to the requester on").unwrap();
    s.send_line("today").unwrap();
    s.exp_string("Every closing step is done.").unwrap();
    s.exp_string("> close request 1 now").unwrap();
    s.send("\r").unwrap();
    s.flush().unwrap();
    s.exp_string("What now?: close request 1 now").unwrap();
    s.exp_eof().unwrap();
    let exit = s.process().wait().unwrap();
    assert!(matches!(exit, rexpect::process::WaitStatus::Exited(_, 0)), "{exit:?}");
    assert_eq!(
        request_row(&net, 1),
        (
            "closed".into(),
            Some("A new discharge checklist".into()),
            Some("2026-11-20".into()),
            Some("2026-11-23".into()),
            Some("2026-11-23".into())
        )
    );
}
