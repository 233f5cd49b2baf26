//! `engage checkin`: check-ins with partners, the requester and the team; concerns followed up;
//! hours and expenses; what is due.

use crate::running::{column, engagement, events, partner};
use crate::support::Network;
use serde_json::Value;

/// Ana (1) and Bo (2) selected for request 1 (involve, from 2026-10-01 to 2027-03-31); Cy (3)
/// answered it but was not selected.
fn running(net: &Network) -> i64 {
    let ana = partner(net, "Ana", "Silva", &[]);
    let bo = partner(net, "Bo", "Chen", &[]);
    let cy = partner(net, "Cy", "Roy", &[]);
    let request = engagement(
        net,
        &["--way", "involve", "--starts", "2026-10-01", "--ends", "2027-03-31"],
        &[ana, bo],
        "2026-09-25",
    );
    net.ok(&["recruit", "respond", "1", &cy.to_string(), "--interested"]);
    request
}

type CheckinRow =
    (String, Option<i64>, String, String, Option<String>, i64, i64, Option<String>, Option<String>, String);

fn checkin_row(net: &Network, id: i64) -> CheckinRow {
    net.conn()
        .query_row(
            "SELECT party, partner_id, held_on, status, concern, hours, expenses_cents, expense_note, note, next_due \
             FROM checkin WHERE id = ?1",
            [id],
            |r| {
                Ok((
                    r.get(0)?,
                    r.get(1)?,
                    r.get(2)?,
                    r.get(3)?,
                    r.get(4)?,
                    r.get(5)?,
                    r.get(6)?,
                    r.get(7)?,
                    r.get(8)?,
                    r.get(9)?,
                ))
            },
        )
        .unwrap()
}

#[test]
fn a_check_in_with_a_partner_keeps_hours_expenses_and_the_next_due_date() {
    let net = Network::new();
    running(&net);
    let run = net.run(&[
        "checkin",
        "1",
        "--partner",
        "1",
        "--on",
        "2026-11-20",
        "--hours",
        "2.5",
        "--expenses",
        "32.50",
        "--expense-note",
        "parking, two meetings",
        "--note",
        "Ana found the first meeting hard to follow",
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.stdout, "1\n");
    assert_eq!(
        run.stderr,
        "Recorded check-in 1 with partner 1 (Ana Silva) on request 1 (Discharge co-design): good; 2.5 hours; \
         $32.50 expenses; next check-in due 2026-12-20.\n"
    );
    assert_eq!(
        checkin_row(&net, 1),
        (
            "partner".into(),
            Some(1),
            "2026-11-20".into(),
            "good".into(),
            None,
            250,
            3250,
            Some("parking, two meetings".into()),
            Some("Ana found the first meeting hard to follow".into()),
            "2026-12-20".into()
        )
    );
    // The event log has ids, kinds and amounts, never the notes.
    assert_eq!(
        events(&net, 1).last().unwrap(),
        &(
            "checkin".to_string(),
            Some(1),
            "check-in 1 with partner: good; 2.5 hours; expenses 32.50; next check-in due 2026-12-20".to_string()
        )
    );

    // --next sets the next date; a request's own cadence sets the default.
    net.ok(&["checkin", "1", "--partner", "2", "--next", "2026-12-01"]);
    assert_eq!(checkin_row(&net, 2).9, "2026-12-01");
    net.ok(&["request", "edit", "1", "--checkin-every", "14"]);
    net.ok(&["checkin", "1", "--requester", "--on", "2026-11-21"]);
    let requester = checkin_row(&net, 3);
    assert_eq!((requester.0.as_str(), requester.1, requester.9.as_str()), ("requester", None, "2026-12-05"));
}

#[test]
fn the_requester_and_the_team_are_checked_in_with_by_name() {
    let net = Network::new();
    running(&net);
    net.ok(&["checkin", "1", "--requester", "--status", "concerns", "--concern", "barrier", "--note", "no captioning"]);
    net.ok(&["checkin", "1", "--team", "--on", "2026-11-02"]);
    net.ok(&["checkin", "1", "--partner", "2", "--hours", "1"]);
    let list = net.json(&["checkin", "list", "1"]);
    type Listed<'a> = (i64, &'a str, &'a str, &'a str, Option<&'a str>, &'a str);
    let rows: Vec<Listed> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["id"].as_i64().unwrap(),
                c["party"].as_str().unwrap(),
                c["name"].as_str().unwrap(),
                c["status"].as_str().unwrap(),
                c["concern"].as_str(),
                c["expenses"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        rows,
        vec![
            (2, "team", "the team", "good", None, "0.00"),
            (1, "requester", "Lee Wong", "concerns", Some("barrier"), "0.00"),
            (3, "partner", "Bo Chen", "good", None, "0.00"),
        ]
    );
    assert_eq!(list[2]["hours"], 1);
    assert_eq!(list[2]["partner_id"], 2);
    assert_eq!(list[0]["next_due"], "2026-12-02");
    // A requester check-in may come before anyone is selected.
    let other = net.request(&["--title", "Falls prevention", "--way", "consult"]);
    net.ok(&["checkin", &other.to_string(), "--requester"]);
    assert_eq!(net.json(&["checkin", "list"]).as_array().unwrap().len(), 4);
    let none = net.run(&["checkin", "list", "1", "--open", "--format", "table"]);
    assert!(none.stdout.contains("Barrier"), "{}", none.stdout);
    assert!(!none.stdout.contains("Bo Chen"), "{}", none.stdout);
}

#[test]
fn a_conduct_concern_is_due_at_once_until_it_is_resolved() {
    let net = Network::new();
    running(&net);
    let run = net.run(&[
        "checkin",
        "1",
        "--partner",
        "1",
        "--on",
        "2026-11-20",
        "--concern",
        "conduct",
        "--note",
        "a team member talked over Ana twice",
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        run.stderr,
        "Recorded check-in 1 with partner 1 (Ana Silva) on request 1 (Discharge co-design): concerns (conduct); \
         next check-in due 2026-12-20.\n\
         warning: a conduct concern goes to the engagement leader; this one is a reminder from 2026-11-20 until \
         `engage checkin resolve 1`\n"
    );
    assert_eq!(checkin_row(&net, 1).3, "concerns", "a concern without a status is a concern");

    let due = net.json(&["checkin", "due"]);
    let concern = due.as_array().unwrap().iter().find(|d| d["kind"] == "concern_open").unwrap();
    assert_eq!(concern["checkin_id"], 1);
    assert_eq!(concern["concern"], "conduct");
    assert_eq!(concern["due_on"], "2026-11-20");
    assert_eq!(concern["days_overdue"], 3);
    assert_eq!(concern["partner_id"], 1);
    assert_eq!(net.json(&["checkin", "list", "--open"]).as_array().unwrap().len(), 1);

    let run = net.run(&["checkin", "resolve", "1", "--note", "spoke with the team lead; it stopped"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.stderr, "Resolved the conduct concern raised at check-in 1 (request 1, partner 1) on 2026-11-23.\n");
    let resolved: (String, String) = net
        .conn()
        .query_row("SELECT resolved_on, resolution FROM checkin WHERE id = 1", [], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap();
    assert_eq!(resolved, ("2026-11-23".into(), "spoke with the team lead; it stopped".into()));
    assert_eq!(
        events(&net, 1).last().unwrap(),
        &("concern_resolved".to_string(), Some(1), "check-in 1: conduct concern resolved on 2026-11-23".to_string())
    );
    let due = net.json(&["checkin", "due"]);
    assert!(due.as_array().unwrap().iter().all(|d| d["kind"] != "concern_open"), "{due}");
    assert!(net.json(&["checkin", "list", "--open"]).as_array().unwrap().is_empty());

    let again = net.run(&["checkin", "resolve", "1"]);
    assert_eq!(again.code, 1);
    assert_eq!(
        again.stderr,
        "engage: error: the conduct concern of check-in 1 was already resolved on 2026-11-23; nothing changed\n"
    );
    net.ok(&["checkin", "1", "--partner", "2"]);
    let good = net.run(&["checkin", "resolve", "2"]);
    assert_eq!(good.code, 1);
    assert_eq!(
        good.stderr,
        "engage: error: check-in 2 raised no concern (its status is good); there is nothing to resolve\n"
    );
}

#[test]
fn other_concerns_are_due_after_the_follow_up_days() {
    let net = Network::new();
    running(&net);
    let run = net.run(&["checkin", "1", "--partner", "2", "--on", "2026-11-20", "--concern", "barrier"]);
    assert!(
        run.stderr.ends_with("The barrier concern is a reminder from 2026-11-27 until `engage checkin resolve 1`.\n"),
        "{}",
        run.stderr
    );
    let soon = net.json(&["checkin", "due"]);
    let concern = soon.as_array().unwrap().iter().find(|d| d["kind"] == "concern_open").unwrap();
    assert_eq!((concern["due_on"].as_str(), concern["days_overdue"].as_i64()), (Some("2026-11-27"), Some(-4)));
    let later = net.json(&["checkin", "due", "--within", "3"]);
    assert!(later.as_array().unwrap().iter().all(|d| d["kind"] != "concern_open"));
    // A serious concern of any kind is followed up at once; the setting moves the others.
    net.ok(&["checkin", "1", "--partner", "1", "--status", "serious", "--concern", "wellbeing"]);
    net.ok(&["config", "set", "concern_followup_days", "2"]);
    let due = net.json(&["checkin", "due", "--within", "0"]);
    let concerns: Vec<(i64, &str, i64)> = due
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["kind"] == "concern_open")
        .map(|d| {
            (d["checkin_id"].as_i64().unwrap(), d["due_on"].as_str().unwrap(), d["days_overdue"].as_i64().unwrap())
        })
        .collect();
    assert_eq!(concerns, vec![(1, "2026-11-22", 1), (2, "2026-11-23", 0)]);
}

#[test]
fn checkin_due_lists_each_partner_and_the_requester_by_the_cadence() {
    let net = Network::new();
    let ana = partner(&net, "Ana", "Silva", &[]);
    let bo = partner(&net, "Bo", "Chen", &[]);
    let cy = partner(&net, "Cy", "Roy", &[]);
    let dee = partner(&net, "Dee", "Park", &[]);
    engagement(&net, &["--starts", "2026-10-01", "--ends", "2027-06-30"], &[ana, bo, cy], "2026-09-25");
    // Ana checked in last on 2026-10-25: due 2026-11-24, tomorrow.
    net.ok(&["checkin", "1", "--partner", "1", "--on", "2026-10-25"]);
    // Bo never: one cadence after the start, 2026-10-31.
    // Cy on 2026-11-20 with a barrier: the check-in is not due, the concern is by 2026-11-27.
    net.ok(&["checkin", "1", "--partner", "3", "--on", "2026-11-20", "--concern", "barrier"]);
    // The requester was told to expect the next call today.
    net.ok(&["checkin", "1", "--requester", "--on", "2026-11-01", "--next", "2026-11-23"]);
    // The team met on 2026-10-20, so it is due 2026-11-19.
    net.ok(&["checkin", "1", "--team", "--on", "2026-10-20"]);
    // Request 2 ends on 2026-11-15, before any next check-in: closing takes over.
    engagement(
        &net,
        &["--title", "Short review", "--starts", "2026-10-01", "--ends", "2026-11-15"],
        &[dee],
        "2026-09-25",
    );
    net.ok(&["checkin", "2", "--partner", "4", "--on", "2026-10-30"]);
    net.ok(&["checkin", "2", "--requester", "--on", "2026-10-30"]);
    // Request 3 is still recruiting: nothing is due for it.
    net.request(&["--title", "Not started", "--starts", "2026-09-01"]);

    let due = net.json(&["checkin", "due"]);
    type Line = (String, i64, String, Option<i64>, String, String, i64);
    let lines: Vec<Line> = due
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["kind"].as_str().unwrap().to_string(),
                d["request_id"].as_i64().unwrap(),
                d["party"].as_str().unwrap().to_string(),
                d["partner_id"].as_i64(),
                d["name"].as_str().unwrap().to_string(),
                d["due_on"].as_str().unwrap().to_string(),
                d["days_overdue"].as_i64().unwrap(),
            )
        })
        .collect();
    let line = |kind: &str, party: &str, partner: Option<i64>, name: &str, due: &str, days: i64| {
        (kind.to_string(), 1, party.to_string(), partner, name.to_string(), due.to_string(), days)
    };
    assert_eq!(
        lines,
        vec![
            line("checkin_due", "partner", Some(2), "Bo Chen", "2026-10-31", 23),
            line("checkin_due", "team", None, "the team", "2026-11-19", 4),
            line("checkin_due", "requester", None, "Lee Wong", "2026-11-23", 0),
            line("checkin_due", "partner", Some(1), "Ana Silva", "2026-11-24", -1),
            line("concern_open", "partner", Some(3), "Cy Roy", "2026-11-27", -4),
        ]
    );
    assert_eq!(due[0]["last_checkin"], Value::Null);
    assert_eq!(due[3]["last_checkin"], "2026-10-25");

    let table = net.run(&["checkin", "due"]);
    assert_eq!(table.code, 0);
    assert_eq!(table.stderr, "2 overdue, 1 due today, 2 due in the next 7 days.\n");
    assert_eq!(table.stdout.lines().filter(|l| l.contains("Discharge co-design")).count(), 5);

    // A forgotten partner is no longer someone to check in with.
    net.ok(&["recruit", "forget", "2"]);
    let due = net.json(&["checkin", "due"]);
    assert!(due.as_array().unwrap().iter().all(|d| d["partner_id"] != 2), "{due}");
}

#[test]
fn the_latest_check_in_is_the_last_held_and_of_one_day_the_last_typed() {
    let net = Network::new();
    let ana = partner(&net, "Ana", "Silva", &[]);
    engagement(&net, &["--starts", "2026-10-01", "--ends", "2027-06-30"], &[ana], "2026-09-25");
    // Ana on 2026-11-10, then a call of 2026-10-15 typed in afterwards: she is due a cadence after
    // the 10th.
    net.ok(&["checkin", "1", "--partner", "1", "--on", "2026-11-10"]);
    net.ok(&["checkin", "1", "--partner", "1", "--on", "2026-10-15"]);
    // The requester twice on 2026-11-01: the second call moved the next one to 2026-11-25.
    net.ok(&["checkin", "1", "--requester", "--on", "2026-11-01", "--next", "2026-11-20"]);
    net.ok(&["checkin", "1", "--requester", "--on", "2026-11-01", "--next", "2026-11-25"]);
    let due = net.json(&["checkin", "due", "--within", "30"]);
    let lines: Vec<(String, String, Value)> = due
        .as_array()
        .unwrap()
        .iter()
        .map(|d| (d["party"].as_str().unwrap().into(), d["due_on"].as_str().unwrap().into(), d["last_checkin"].clone()))
        .collect();
    assert_eq!(
        lines,
        [
            ("requester".into(), "2026-11-25".into(), Value::from("2026-11-01")),
            ("partner".into(), "2026-12-10".into(), Value::from("2026-11-10")),
        ]
    );
}

#[test]
fn checkin_due_as_csv_writes_days_overdue_as_numbers_a_spreadsheet_can_sum() {
    let net = Network::new();
    let ana = partner(&net, "Ana", "Silva", &[]);
    let bo = partner(&net, "=Bo", "Chen", &[]);
    engagement(&net, &["--starts", "2026-10-01", "--ends", "2027-06-30"], &[ana, bo], "2026-09-25");
    // Ana is due tomorrow (-1 days overdue); Bo, never checked in with, 23 days overdue.
    net.ok(&["checkin", "1", "--partner", "1", "--on", "2026-10-25"]);
    net.ok(&["checkin", "1", "--requester", "--on", "2026-11-20"]);
    net.ok(&["checkin", "1", "--team", "--on", "2026-11-20"]);
    let csv_text = net.ok(&["checkin", "due", "--format", "csv"]);
    let lines: Vec<&str> = csv_text.lines().collect();
    assert_eq!(
        lines,
        vec![
            "\"due_on\",\"days_overdue\",\"kind\",\"request_id\",\"title\",\"party\",\"partner_id\",\"name\",\
             \"concern\",\"checkin_id\",\"last_checkin\"",
            "\"2026-10-31\",23,\"checkin_due\",1,\"Discharge co-design\",\"partner\",2,\"'=Bo Chen\",\"\",\"\",\"\"",
            "\"2026-11-24\",-1,\"checkin_due\",1,\"Discharge co-design\",\"partner\",1,\"Ana Silva\",\"\",\"\",\
             \"2026-10-25\"",
        ]
    );
}

#[test]
fn nothing_due_is_said_on_standard_error() {
    let net = Network::new();
    let run = net.run(&["checkin", "due"]);
    assert_eq!((run.code, run.stdout.as_str()), (0, ""));
    assert_eq!(run.stderr, "Nothing is due in the next 7 days: no check-in and no open concern.\n");
    assert_eq!(net.json(&["checkin", "due"]), Value::Array(vec![]));
}

#[test]
fn bad_input_names_the_value_exits_2_and_writes_nothing() {
    let net = Network::new();
    running(&net);
    net.ok(&["checkin", "1", "--partner", "1", "--concern", "other"]);
    let cases: &[(&[&str], &str)] = &[
        (
            &["checkin", "1", "--requester", "--hours", "2"],
            "engage: error: --hours is logged per partner, not for the requester; give it with --partner P\n",
        ),
        (
            &["checkin", "1", "--team", "--expenses", "5", "--expense-note", "taxi"],
            "engage: error: --expenses and --expense-note are logged per partner, not for the team; give them with --partner P\n",
        ),
        (
            &["checkin", "1", "--partner", "1", "--expense-note", "parking"],
            "engage: error: --expense-note says what --expenses were for; pass --expenses DOLLARS with it\n",
        ),
        (
            &["checkin", "1", "--partner", "1", "--on", "2026-11-24"],
            "engage: error: --on 2026-11-24 is after today (2026-11-23); a check-in is recorded once it has been held\n",
        ),
        (
            &["checkin", "1", "--partner", "1", "--on", "2026-11-20", "--next", "2026-11-20"],
            "engage: error: --next 2026-11-20 is not after the check-in on 2026-11-20; the next check-in comes after this one\n",
        ),
        (
            &["checkin", "1", "--partner", "1", "--status", "good", "--concern", "conduct"],
            "engage: error: --concern conduct does not go with --status good; a concern is raised with --status concerns or serious\n",
        ),
        (
            &["checkin", "1", "--partner", "1", "--status", "concerns"],
            "engage: error: --status concerns needs --concern barrier, conduct, wellbeing or other: say what kind of \
             concern it is (a conduct concern goes to the engagement leader at once)\n",
        ),
        (
            &["checkin", "1"],
            "engage: error: checkin needs --partner P, --requester or --team: say who the check-in was with\n",
        ),
        (
            &["checkin", "resolve", "1", "--on", "2026-12-01"],
            "engage: error: --on 2026-12-01 is after today (2026-11-23); record the resolution once the concern is resolved\n",
        ),
        (
            &["checkin", "resolve", "1", "--on", "2026-11-01"],
            "engage: error: --on 2026-11-01 is before check-in 1 raised the concern on 2026-11-23; a concern is resolved after it is raised\n",
        ),
        (&["checkin", "1", "--partner", "1", "--status", "fine"], "engage: error: --status: 'fine' is not one of"),
        (
            &["checkin", "1", "--partner", "1", "--concern", "rudeness"],
            "engage: error: --concern: 'rudeness' is not one of",
        ),
        (
            &["checkin", "1", "--partner", "1", "--expenses", "-5"],
            "engage: error: --expenses: '-5' is not an amount of dollars; use digits with at most two decimals",
        ),
        (
            &["checkin", "1", "--partner", "1", "--hours", "1.255"],
            "engage: error: --hours: '1.255' is not a number of hours",
        ),
        (
            &["checkin", "1", "--partner", "1", "--requester"],
            "engage: error: the argument '--partner <P>' cannot be used with '--requester'",
        ),
        (&["checkin", "1", "--partner", "ana"], "engage: error: --partner: 'ana' is not an id"),
        (
            &["checkin", "due", "--within", "400"],
            "engage: error: --within: '400' is not a number of days ahead; use a whole number from 0 to 365",
        ),
    ];
    for (args, expected) in cases {
        let before = (net.count("checkin"), net.count("event"));
        let run = net.run(args);
        assert_eq!(run.code, 2, "engage {args:?}\n{}", run.stderr);
        assert!(run.stderr.starts_with(expected), "engage {args:?}\nexpected: {expected}\n     got: {}", run.stderr);
        assert_eq!(run.stderr.matches("error:").count(), 1, "{}", run.stderr);
        assert_eq!(run.stdout, "");
        assert_eq!((net.count("checkin"), net.count("event")), before, "engage {args:?} wrote");
    }
    let resolved: Option<String> =
        net.conn().query_row("SELECT resolved_on FROM checkin WHERE id = 1", [], |r| r.get(0)).unwrap();
    assert_eq!(resolved, None);
}

#[test]
fn check_ins_are_refused_where_the_network_says_so() {
    let net = Network::new();
    running(&net);
    net.request(&["--title", "No expenses", "--no-expenses"]);
    net.ok(&["recruit", "respond", "2", "1", "--interested"]);
    net.select_on(2, &[1], "2026-11-01");
    let cases: &[(&[&str], &str)] = &[
        (
            &["checkin", "1", "--partner", "3"],
            "engage: error: partner 3 is not selected for request 1; check-ins are with the partners selected for it \
             (`engage checkin 1 --requester` or `--team` for the others)\n",
        ),
        (
            &["checkin", "9", "--requester"],
            "engage: error: there is no request 9; `engage request list` shows the requests\n",
        ),
        (
            &["checkin", "1", "--partner", "99"],
            "engage: error: there is no partner 99; `engage recruit list` shows the network\n",
        ),
        (
            &["checkin", "2", "--partner", "1", "--expenses", "10"],
            "engage: error: request 2 does not reimburse expenses; `engage request edit 2 --expenses` changes that\n",
        ),
        (
            &["checkin", "resolve", "99"],
            "engage: error: there is no check-in 99; `engage checkin list` shows the check-ins\n",
        ),
        (&["checkin", "list", "9"], "engage: error: there is no request 9; `engage request list` shows the requests\n"),
    ];
    for (args, expected) in cases {
        let before = (net.count("checkin"), net.count("event"));
        let run = net.run(args);
        assert_eq!((run.code, run.stderr.as_str(), run.stdout.as_str()), (1, *expected, ""), "engage {args:?}");
        assert_eq!((net.count("checkin"), net.count("event")), before);
    }
    // A forgotten partner is no one to check in with.
    net.ok(&["recruit", "forget", "2"]);
    let run = net.run(&["checkin", "1", "--partner", "2"]);
    assert_eq!(run.code, 1);
    assert_eq!(run.stderr, "engage: error: partner 2 was forgotten; there is no one to check in with\n");
}

#[test]
fn the_guided_form_at_a_terminal_asks_for_what_is_missing() {
    let net = Network::new();
    running(&net);
    let answers = [
        "1",         // who: partner 1, Ana Silva
        "concerns",  // how it is going
        "wellbeing", // the kind of concern
        "1.255",     // hours: refused ...
        "1.5",       // ... and asked again
        "18",        // expenses
        "taxi both ways",
        "",  // no note
        "y", // record it
    ];
    let (result, run, prompter) = net.at_terminal(&["checkin", "1", "--on", "2026-11-20"], &answers);
    assert!(result.is_ok(), "{result:?}\n{:#?}", prompter.transcript);
    assert_eq!(prompter.remaining(), 0);
    assert_eq!(run.stdout, "1\n");
    let t = &prompter.transcript;
    let asked: Vec<&str> = t.iter().filter_map(|l| l.strip_prefix("? ")).collect();
    assert_eq!(
        asked,
        vec![
            "Who was the check-in with?",
            "How is it going?",
            "What kind of concern?",
            "Hours worked since the last check-in (empty for none)",
            "Hours worked since the last check-in (empty for none)",
            "Expenses to reimburse, in dollars (empty for none)",
            "What were the expenses for? (empty to skip)",
            "Note (empty to skip)",
            "Record this check-in?",
        ]
    );
    assert!(t.contains(
        &"'1.255' is not a number of hours; use digits with at most two decimals, for example 2 or 1.5".to_string()
    ));
    assert!(t.contains(
        &"Check-in with partner 1 (Ana Silva): concerns (wellbeing); 1.5 hours; $18.00 expenses; next check-in due 2026-12-20."
            .to_string()
    ));
    assert_eq!(
        checkin_row(&net, 1),
        (
            "partner".into(),
            Some(1),
            "2026-11-20".into(),
            "concerns".into(),
            Some("wellbeing".into()),
            150,
            1800,
            Some("taxi both ways".into()),
            None,
            "2026-12-20".into()
        )
    );

    // With who and how given, nothing is asked.
    let (result, _, prompter) = net.at_terminal(&["checkin", "1", "--requester", "--status", "good"], &[]);
    assert!(result.is_ok());
    assert!(prompter.transcript.is_empty());

    // Answering no records nothing, and is not an error. (It used to exit 1 with "nothing was
    // recorded": declining is the coordinator's choice, SPEC §4.)
    let before = (net.count("checkin"), net.count("event"));
    let (result, run, prompter) = net.at_terminal(&["checkin", "1"], &["the whole team", "good", "", "n"]);
    assert!(result.is_ok(), "{result:?}\n{:#?}", prompter.transcript);
    assert_eq!((run.code, run.stdout.as_str(), run.stderr.as_str()), (0, "", "Nothing was recorded.\n"));
    assert_eq!((net.count("checkin"), net.count("event")), before);
}

#[test]
fn with_flags_given_a_terminal_asks_only_for_what_is_required_and_missing() {
    let net = Network::new();
    running(&net);
    // Who, hours and a note given: nothing is asked (not how it is going, not the expenses).
    let (result, run, prompter) =
        net.at_terminal(&["checkin", "1", "--partner", "2", "--hours", "6", "--note", "prepared the slides"], &[]);
    assert!(result.is_ok(), "{result:?}\n{:#?}", prompter.transcript);
    assert!(prompter.transcript.is_empty(), "{:#?}", prompter.transcript);
    assert_eq!(run.stdout, "1\n");
    let row = checkin_row(&net, 1);
    assert_eq!((row.1, row.3.as_str(), row.5, row.6), (Some(2), "good", 600, 0));

    // Who missing: only who is asked; a concern without its kind: only the kind. What was
    // asked is shown back for a yes before it is recorded.
    let (result, _, prompter) =
        net.at_terminal(&["checkin", "1", "--status", "concerns", "--hours", "1"], &["partner 1", "barrier", ""]);
    assert!(result.is_ok(), "{result:?}\n{:#?}", prompter.transcript);
    let asked: Vec<&str> = prompter.transcript.iter().filter_map(|l| l.strip_prefix("? ")).collect();
    assert_eq!(asked, ["Who was the check-in with?", "What kind of concern?", "Record this check-in?"]);
    let row = checkin_row(&net, 2);
    assert_eq!((row.1, row.3.as_str(), row.4.as_deref(), row.5), (Some(1), "concerns", Some("barrier"), 100));
}

#[test]
fn forgetting_a_partner_leaves_nothing_identifying_in_the_log() {
    let net = Network::new();
    running(&net);
    net.ok(&[
        "checkin",
        "1",
        "--partner",
        "1",
        "--concern",
        "wellbeing",
        "--hours",
        "3",
        "--expenses",
        "12",
        "--expense-note",
        "taxi for Ana to Surrey Memorial",
        "--note",
        "Ana Silva's daughter was in hospital",
    ]);
    net.ok(&["checkin", "resolve", "1", "--note", "Ana is back; her daughter is home"]);
    net.ok(&["recruit", "forget", "1"]);
    let details = column(&net, "SELECT detail FROM event");
    for detail in details.iter().flatten() {
        for word in ["Ana", "Silva", "taxi", "hospital", "daughter", "Surrey"] {
            assert!(!detail.contains(word), "the log keeps '{word}': {detail}");
        }
    }
    let kept: (Option<String>, Option<String>, Option<String>, i64, i64) = net
        .conn()
        .query_row("SELECT note, expense_note, resolution, hours, expenses_cents FROM checkin WHERE id = 1", [], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
        })
        .unwrap();
    // The words are gone; the hours and the money stay for the anonymous counts and the statement.
    assert_eq!(kept, (None, None, None, 300, 1200));
}

#[test]
fn a_check_in_prints_itself_as_json_for_scripts() {
    let net = Network::new();
    running(&net);
    let json = net.json(&["checkin", "1", "--partner", "2", "--hours", "14", "--note", "=cmd"]);
    assert_eq!(json["id"], 1);
    assert_eq!(json["name"], "Bo Chen");
    assert_eq!(json["hours"], 14);
    assert_eq!(json["expenses"], "0.00");
    assert_eq!(json["next_due"], "2026-12-23");
    let csv = net.ok(&["checkin", "list", "1", "--format", "csv"]);
    assert!(csv.contains("\"'=cmd\""), "{csv}");
}

#[test]
fn resolving_at_a_terminal_asks_how() {
    let net = Network::new();
    running(&net);
    net.ok(&["checkin", "1", "--requester", "--concern", "barrier"]);
    let (result, run, prompter) =
        net.at_terminal(&["checkin", "resolve", "1"], &["captioning booked for every meeting"]);
    assert!(result.is_ok(), "{result:?}");
    assert_eq!(prompter.transcript[0], "? How was the concern resolved? (empty for no note)");
    assert_eq!(
        run.stderr,
        "Resolved the barrier concern raised at check-in 1 (request 1, the requester) on 2026-11-23.\n"
    );
    let resolution: Option<String> =
        net.conn().query_row("SELECT resolution FROM checkin WHERE id = 1", [], |r| r.get(0)).unwrap();
    assert_eq!(resolution.as_deref(), Some("captioning booked for every meeting"));
    // Off a terminal nothing is asked and no note is kept.
    net.ok(&["checkin", "1", "--team", "--concern", "other"]);
    net.ok(&["checkin", "resolve", "2"]);
    assert_eq!(column(&net, "SELECT resolution FROM checkin WHERE id = 2"), vec![None]);
}
