//! `engage report reminders`: the morning reminder through a whole engagement, day by day, kept
//! current by every kind of write, and the file left as it was by a cron run. The figures of the
//! other reports and their pages are in `report_pages.rs`.

use crate::support::Network;
use chrono::{Days, NaiveDate};
use engage::Env;
use engage::prompt::ScriptedPrompter;
use serde_json::Value as Json;
use std::collections::BTreeSet;

fn day(text: &str) -> NaiveDate {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
}

/// Runs the real binary on `today`, insisting it succeeds; returns standard output.
pub fn on(net: &Network, today: &str, args: &[&str]) -> String {
    let output = net.cmd().env("ENGAGE_TODAY", today).args(args).output().unwrap();
    assert_eq!(
        output.status.code(),
        Some(0),
        "engage {args:?} on {today} failed:\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).unwrap()
}

/// `report reminders --format json` in process on `today`: (kind, partner, due_on) of each, and
/// the whole output.
fn reminders(net: &Network, today: &str) -> (BTreeSet<(String, Option<i64>, String)>, String) {
    let env = Env::pinned(&net.db, today);
    let mut prompter = ScriptedPrompter::new(std::iter::empty::<&str>());
    let (result, run) = net.in_process_with(&["report", "reminders", "--format", "json"], &env, &mut prompter);
    result.unwrap();
    assert_eq!(run.stderr, "", "on {today}");
    if run.stdout.is_empty() {
        return (BTreeSet::new(), run.stdout);
    }
    let json: Json = serde_json::from_str(&run.stdout).unwrap();
    let items = json
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["kind"].as_str().unwrap().to_string(),
                r["partner_id"].as_i64(),
                r["due_on"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    (items, run.stdout)
}

/// The reminders kept match what the tables say (what `engage db check` verifies).
fn assert_current(net: &Network, after: &str) {
    let db = engage::db::Db::open_with(&net.db, &engage::db::pg::Secrets::default()).unwrap();
    let stale = engage::db::derived::verify(db.conn()).unwrap();
    assert!(stale.is_empty(), "after {after}, the reminders or tallies are stale:\n{}", stale.join("\n"));
}

/// A reminder expected from `first` (inclusive) until `gone` (exclusive), due on `due`.
struct Expect {
    kind: &'static str,
    partner: Option<i64>,
    due: &'static str,
    first: &'static str,
    gone: &'static str,
}

const fn expect(
    kind: &'static str,
    partner: Option<i64>,
    due: &'static str,
    first: &'static str,
    gone: &'static str,
) -> Expect {
    Expect { kind, partner, due, first, gone }
}

#[test]
fn each_reminder_appears_on_its_first_day_and_goes_when_its_step_is_done() {
    let net = Network::new();
    let ana = Some(1);
    let ben = Some(2);
    // What is done on each day, in order, before the morning reminder of the next is read.
    let actions: Vec<(&str, Vec<&str>)> = vec![
        (
            "2026-11-02",
            vec![
                "request new --title 'Discharge co-design' --org 'Fraser Health' --contact-name 'Lee Wong' \
                 --contact-email lee.wong@example.org --way involve --respond-by 2026-11-16 --select-by 2026-11-20 \
                 --starts 2026-12-01 --ends 2027-01-31 --record-check --checkin-every 14 --criteria experience",
                "recruit add --first Ana --last Silva --email ana.silva@example.org --consent",
                "recruit add --first Ben --last Okafor --email ben.okafor@example.org --consent",
                "recruit add --first Chloé --last Martin --email chloe.martin@example.org --consent",
            ],
        ),
        ("2026-11-09", vec!["recruit invite 1"]),
        ("2026-11-14", vec!["recruit respond 1 1 --interested"]),
        ("2026-11-15", vec!["recruit respond 1 2 --interested", "recruit respond 1 3 --interested"]),
        ("2026-11-18", vec!["select score 1 1 --score experience=3"]),
        ("2026-11-19", vec!["select decide 1 --select 1,2"]),
        ("2026-11-21", vec!["select notify 1"]),
        (
            "2026-11-26",
            vec![
                "select onboard 1 1 --commitments-signed today --record-check today --welcomed today --oriented \
                 today --introduced today",
            ],
        ),
        (
            "2026-12-02",
            vec![
                "select onboard 1 2 --commitments-signed today --record-check today --welcomed today --oriented \
                 today --introduced today",
            ],
        ),
        ("2026-12-16", vec!["checkin 1 --partner 1 --hours 10 --expenses 20"]),
        ("2026-12-17", vec!["checkin 1 --partner 2 --hours 5 --concern barrier"]),
        ("2026-12-18", vec!["checkin 1 --requester --concern conduct"]),
        ("2026-12-20", vec!["checkin resolve 3 --note 'talked it through'"]),
        ("2026-12-26", vec!["checkin resolve 2 --note 'captioning booked'"]),
        ("2027-01-02", vec!["checkin 1 --partner 1 --hours 6"]),
        ("2027-01-03", vec!["checkin 1 --partner 2 --hours 5"]),
        ("2027-01-05", vec!["checkin 1 --requester"]),
        ("2027-01-20", vec!["checkin 1 --partner 1 --hours 4"]),
        ("2027-01-21", vec!["checkin 1 --partner 2 --hours 2.5"]),
        ("2027-01-22", vec!["checkin 1 --requester"]),
        (
            "2027-02-10",
            vec![
                "close 1 --outcomes 'discharge checklist adopted' --loop-closed today --thanked today \
                 --partner-survey today --requester-survey today --force",
            ],
        ),
        ("2027-03-05", vec!["close pay 1 1 --method e-transfer"]),
        ("2027-03-06", vec!["close pay 1 2 --declined"]),
        ("2027-03-09", vec!["close reimburse 1 1"]),
    ];
    let expected = [
        expect("request_awaiting_review", None, "2026-11-07", "2026-11-07", "2026-11-09"),
        expect("recruitment_short", None, "2026-11-16", "2026-11-13", "2026-11-15"),
        expect("selection_due", None, "2026-11-20", "2026-11-17", "2026-11-19"),
        expect("notify_due", None, "2026-11-19", "2026-11-19", "2026-11-21"),
        expect("onboarding_due", ana, "2026-12-01", "2026-11-24", "2026-11-26"),
        expect("commitments_missing", ana, "2026-12-01", "2026-11-24", "2026-11-26"),
        expect("onboarding_due", ben, "2026-12-01", "2026-11-24", "2026-12-02"),
        expect("commitments_missing", ben, "2026-12-01", "2026-11-24", "2026-12-02"),
        // The first check-ins fall due one cadence (14 days) after the start; each later one 14
        // days after the last.
        expect("checkin_due", ana, "2026-12-15", "2026-12-15", "2026-12-16"),
        expect("checkin_due", ben, "2026-12-15", "2026-12-15", "2026-12-17"),
        expect("checkin_due", None, "2026-12-15", "2026-12-15", "2026-12-18"),
        expect("concern_open", None, "2026-12-18", "2026-12-18", "2026-12-20"),
        expect("concern_open", ben, "2026-12-24", "2026-12-24", "2026-12-26"),
        expect("checkin_due", ana, "2026-12-30", "2026-12-30", "2027-01-02"),
        expect("checkin_due", ben, "2026-12-31", "2026-12-31", "2027-01-03"),
        expect("checkin_due", None, "2027-01-01", "2027-01-01", "2027-01-05"),
        expect("checkin_due", ana, "2027-01-16", "2027-01-16", "2027-01-20"),
        expect("checkin_due", ben, "2027-01-17", "2027-01-17", "2027-01-21"),
        expect("checkin_due", None, "2027-01-19", "2027-01-19", "2027-01-22"),
        // The next check-ins would fall after ends_on: closing the loop takes over.
        expect("close_due", None, "2027-02-01", "2027-02-01", "2027-02-10"),
        expect("payment_due", ana, "2027-03-02", "2027-03-02", "2027-03-05"),
        expect("payment_due", ben, "2027-03-02", "2027-03-02", "2027-03-06"),
        expect("reimbursement_due", ana, "2027-03-02", "2027-03-02", "2027-03-09"),
    ];
    let kinds: BTreeSet<&str> = expected.iter().map(|e| e.kind).collect();
    assert_eq!(kinds.len(), 11, "every kind of SPEC §4 is in the timeline");

    let mut today = day("2026-11-02");
    let last = day("2027-03-20");
    let mut seen_empty_after_payment = false;
    while today <= last {
        let iso = today.format("%Y-%m-%d").to_string();
        for (_, commands) in actions.iter().filter(|(d, _)| *d == iso) {
            for command in commands {
                let args = shell_words::split(command).unwrap();
                let args: Vec<&str> = args.iter().map(String::as_str).collect();
                on(&net, &iso, &args);
                assert_current(&net, &format!("`engage {command}` on {iso}"));
            }
        }
        let (due, stdout) = reminders(&net, &iso);
        let want: BTreeSet<(String, Option<i64>, String)> = expected
            .iter()
            .filter(|e| day(e.first) <= today && today < day(e.gone))
            .map(|e| (e.kind.to_string(), e.partner, e.due.to_string()))
            .collect();
        assert_eq!(due, want, "the reminders on {iso}");
        if due.is_empty() {
            // Nothing due: nothing at all, not even an empty array.
            assert_eq!(stdout, "", "on {iso}");
            if today >= day("2027-03-09") {
                seen_empty_after_payment = true;
            }
        }
        today = today.checked_add_days(Days::new(1)).unwrap();
    }
    assert!(seen_empty_after_payment);
    // Once every step is done, no day has anything due, not even one read back.
    let back = on(&net, "2027-03-20", &["report", "reminders", "--as-of", "2026-12-19", "--format", "json"]);
    assert_eq!(back, "");
}

/// Runs each command, written as in a shell, on its day.
pub fn replay(net: &Network, steps: &[(&str, &str)]) {
    for (today, command) in steps {
        let args = shell_words::split(command).unwrap();
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        on(net, today, &args);
    }
}

/// An engagement with a few things due on 2026-12-20, for the wording of the reminders.
fn engagement_on_the_way(net: &Network) {
    let steps: &[(&str, &str)] = &[
        (
            "2026-11-02",
            "request new --title 'Discharge co-design' --org 'Fraser Health' --contact-name 'Lee Wong' \
             --contact-email lee.wong@example.org --way involve --respond-by 2026-11-16 --select-by 2026-11-20 \
             --starts 2026-12-01 --ends 2027-01-31 --record-check --checkin-every 14 --criteria experience",
        ),
        ("2026-11-02", "recruit add --first Ana --last Silva --email ana.silva@example.org --consent"),
        ("2026-11-02", "recruit add --first Ben --last Okafor --email ben.okafor@example.org --consent"),
        ("2026-11-10", "recruit respond 1 1 --interested"),
        ("2026-11-10", "recruit respond 1 2 --interested"),
        ("2026-11-19", "select decide 1 --select 1,2"),
        ("2026-11-21", "select notify 1"),
        ("2026-11-26", "select onboard 1 1 --commitments-signed today --record-check today --welcomed today"),
        ("2026-12-16", "checkin 1 --partner 1 --hours 10 --expenses 20"),
        ("2026-12-18", "checkin 1 --requester --concern conduct"),
        (
            "2026-12-19",
            "request new --title 'ER wayfinding' --org 'Interior Health' --contact-name 'Sam Roy' \
             --contact-email sam.roy@example.org --way consult",
        ),
    ];
    replay(net, steps);
}

#[test]
fn the_morning_reminder_says_what_to_do_grouped_and_most_overdue_first() {
    let net = Network::new();
    engagement_on_the_way(&net);
    let out = on(&net, "2027-01-01", &["report", "reminders"]);
    assert_eq!(
        out,
        "\
9 reminders on 2027-01-01, 7 overdue.

Onboarding due (2)
  31 days overdue  Onboard Ana Silva for Discharge co-design (request 1), starting for them 2026-12-01 (31 days ago): not yet oriented and introduced to the team. `engage select onboard 1 1 --oriented DATE --introduced DATE`
  31 days overdue  Onboard Ben Okafor for Discharge co-design (request 1), starting for them 2026-12-01 (31 days ago): not yet welcomed, oriented and introduced to the team. `engage select onboard 1 2 --welcomed DATE --oriented DATE --introduced DATE`

Commitments and record checks missing (1)
  31 days overdue  Ben Okafor on Discharge co-design (request 1), starting for them 2026-12-01 (31 days ago): the Patient Partner Commitments are not signed; no criminal record check is on file, and the request requires one. `engage select onboard 1 2 --commitments-signed DATE --record-check DATE`

Check-ins due (3)
  17 days overdue  Check in with Ben Okafor on Discharge co-design (request 1): no check-in yet since the engagement started for them on 2026-12-01. `engage checkin 1 --partner 2`
  2 days overdue   Check in with Ana Silva on Discharge co-design (request 1): last check-in 16 days ago, on 2026-12-16. `engage checkin 1 --partner 1`
  due today        Check in with Lee Wong (the requester) on Discharge co-design (request 1): last check-in 14 days ago, on 2026-12-18. `engage checkin 1 --requester`

Open concerns (1)
  14 days overdue  Follow up the conduct concern raised with Lee Wong (the requester) on Discharge co-design (request 1) 14 days ago (check-in 2); a conduct concern goes to the engagement leader. `engage checkin resolve 2 --note T` once it is resolved.

Requests awaiting review (1)
  8 days overdue   Review request 2, ER wayfinding for Interior Health: submitted 2026-12-19 (13 days ago) and no invitation sent yet. `engage recruit invite 2` invites partners; `engage request cancel 2 --reason R` if it will not go ahead.

Recruitment short of candidates (1)
  due tomorrow     Recruit more for ER wayfinding (request 2): 0 candidates interested for 2 seats, responses due 2027-01-02 (tomorrow). `engage recruit invite 2 --topic T` invites more partners.
"
    );
    // CSV: one header row, the same reminders, most overdue first.
    let csv = on(&net, "2027-01-01", &["report", "reminders", "--format", "csv"]);
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(
        lines[0],
        "\"kind\",\"due_on\",\"days_overdue\",\"request_id\",\"title\",\"partner_id\",\"name\",\"checkin_id\",\"message\""
    );
    assert_eq!(lines.len(), 10);
    assert!(
        lines[1].starts_with("\"onboarding_due\",\"2026-12-01\",31,1,\"Discharge co-design\",1,\"Ana Silva\",\"\",")
    );
    assert!(lines[6].starts_with(
        "\"request_awaiting_review\",\"2026-12-24\",8,2,\"ER wayfinding\",\"\",\"Interior Health\",\"\","
    ));
    // "Due tomorrow" is the number -1, as the tool made it: scripts and spreadsheets read it as a
    // number (SPEC §5); only text cells get the spreadsheet-safe prefix.
    assert!(lines[9].starts_with("\"recruitment_short\",\"2027-01-02\",-1,2,"), "{}", lines[9]);
    // JSON: the keys scripts rely on.
    let json: Json =
        serde_json::from_str(&on(&net, "2027-01-01", &["report", "reminders", "--format", "json"])).unwrap();
    let first = &json[0];
    assert_eq!(first["kind"], "onboarding_due");
    assert_eq!(first["request_id"], 1);
    assert_eq!(first["partner_id"], 1);
    assert_eq!(first["due_on"], "2026-12-01");
    assert_eq!(first["days_overdue"], 31);
    assert!(first["message"].as_str().unwrap().starts_with("Onboard Ana Silva for Discharge co-design"));
    let concern = json.as_array().unwrap().iter().find(|r| r["kind"] == "concern_open").unwrap();
    assert_eq!((concern["partner_id"].clone(), concern["checkin_id"].clone()), (Json::Null, Json::from(2)));
    let overdue: Vec<i64> = json.as_array().unwrap().iter().map(|r| r["days_overdue"].as_i64().unwrap()).collect();
    assert!(overdue.windows(2).all(|w| w[0] >= w[1]), "most overdue first: {overdue:?}");
}

#[test]
fn a_cron_run_changes_nothing_and_says_nothing_when_nothing_is_due() {
    let net = Network::on_file();
    // No database yet: the report says so and creates nothing.
    let run = net.run(&["report", "reminders"]);
    assert_eq!(run.code, 1);
    assert_eq!(
        run.stderr,
        format!(
            "engage: error: there is no database at {}; check --db or ENGAGE_DB (`engage db path` shows the file in use)\n",
            net.db.display()
        )
    );
    assert!(!net.db.exists());
    // A network with nothing due yet: nothing at all on either output, in every format.
    let quiet = Network::on_file();
    quiet.request(&[]);
    for format in ["table", "csv", "json"] {
        let run = quiet.run(&["report", "reminders", "--format", format]);
        assert_eq!((run.code, run.stdout.as_str(), run.stderr.as_str()), (0, "", ""), "{format}");
    }
    // With reminders due, the reports read the file and leave it byte for byte as it was. (The
    // engagement's steps come after its request was recorded, so it is a network of its own.)
    engagement_on_the_way(&net);
    let before = std::fs::read(&net.db).unwrap();
    for args in [
        &["report", "reminders"][..],
        &["report", "reminders", "--format", "json"],
        &["report", "summary"],
        &["report", "participation", "--format", "csv"],
        &["report", "compensation", "--by", "partner"],
    ] {
        let output = net.cmd().env("ENGAGE_TODAY", "2027-01-01").args(args).output().unwrap();
        assert_eq!(output.status.code(), Some(0), "{args:?}");
        assert!(!output.stdout.is_empty(), "{args:?}");
        assert_eq!(std::fs::read(&net.db).unwrap(), before, "engage {args:?} changed the database file");
    }
}

/// Whether a reminder of `kind` on `request` (about `partner`) is shown on `today`.
fn has(net: &Network, today: &str, kind: &str, request: i64, partner: Option<i64>) -> bool {
    shown(net, today)
        .iter()
        .any(|r| r["kind"] == kind && r["request_id"] == request && r["partner_id"].as_i64() == partner)
}

/// The reminders shown on `today`, as JSON objects.
fn shown(net: &Network, today: &str) -> Vec<Json> {
    let (_, stdout) = reminders(net, today);
    if stdout.is_empty() {
        return Vec::new();
    }
    serde_json::from_str::<Json>(&stdout).unwrap().as_array().unwrap().clone()
}

fn message(net: &Network, today: &str, kind: &str, partner: i64) -> String {
    shown(net, today)
        .into_iter()
        .find(|r| r["kind"] == kind && r["partner_id"] == partner)
        .map(|r| r["message"].as_str().unwrap().to_string())
        .unwrap_or_default()
}

#[test]
fn every_kind_of_write_keeps_the_reminders_current() {
    let net = Network::new();
    engagement_on_the_way(&net);
    let step = |today: &str, args: &[&str]| {
        on(&net, today, args);
        assert_current(&net, &format!("`engage {}` on {today}", args.join(" ")));
    };

    // A setting changes when every request is due: a longer review.
    assert!(has(&net, "2026-12-28", "request_awaiting_review", 2, None));
    step("2026-12-20", &["config", "set", "review_within_days", "20"]);
    assert!(!has(&net, "2026-12-28", "request_awaiting_review", 2, None));
    assert!(has(&net, "2027-01-08", "request_awaiting_review", 2, None));
    step("2026-12-20", &["config", "set", "review_within_days", "5"]);

    // A partner leaving the network shortens the recruitment of a request: an event about the
    // partner alone, on another request than any it names.
    step("2026-12-20", &["recruit", "respond", "2", "1", "--interested"]);
    step("2026-12-20", &["recruit", "respond", "2", "2", "--interested"]);
    assert!(!has(&net, "2026-12-31", "recruitment_short", 2, None));
    step("2026-12-21", &["recruit", "edit", "2", "--status", "withdrawn"]);
    assert!(has(&net, "2026-12-31", "recruitment_short", 2, None));

    // A request edited: an earlier end brings the closing forward and ends the check-ins.
    assert!(has(&net, "2026-12-31", "checkin_due", 1, Some(1)));
    step("2026-12-21", &["request", "edit", "1", "--ends", "2026-12-25"]);
    assert!(has(&net, "2026-12-26", "close_due", 1, None));
    assert!(!has(&net, "2026-12-31", "checkin_due", 1, Some(1)));

    // Decided again: Ben is no longer selected, and his new outcome is to be told.
    assert!(has(&net, "2026-12-22", "onboarding_due", 1, Some(2)));
    step("2026-12-22", &["select", "decide", "1", "--select", "1", "--redecide"]);
    assert!(!has(&net, "2026-12-22", "onboarding_due", 1, Some(2)));
    assert!(has(&net, "2026-12-22", "notify_due", 1, None));

    // The sign-up import renames a selected partner and says payment may affect her benefits:
    // an import names no request and no partner, and still the reminders follow.
    assert!(message(&net, "2027-01-24", "payment_due", 1).starts_with("Pay Ana Silva $400.00 for Discharge co-design"));
    let signups = net.path("signups.csv");
    std::fs::write(
        &signups,
        "Timestamp,First name,Last name,Email address,Consent to be contacted,Would payment affect your benefits\n\
         2026/12/23 9:15:00 AM,Ana,Silva-Reyes,ana.silva@example.org,Yes,Yes\n",
    )
    .unwrap();
    step("2026-12-23", &["recruit", "import", signups.to_str().unwrap()]);
    assert!(
        message(&net, "2027-01-24", "payment_due", 1)
            .starts_with("Offer Ana Silva-Reyes $400.00 for Discharge co-design"),
        "{}",
        message(&net, "2027-01-24", "payment_due", 1)
    );
    assert!(message(&net, "2026-12-24", "onboarding_due", 1).starts_with("Onboard Ana Silva-Reyes for"));
    std::fs::write(
        &signups,
        "Timestamp,First name,Last name,Email address,Consent to be contacted,Would payment affect your benefits\n\
         2026/12/24 9:15:00 AM,Ana,Silva,ana.silva@example.org,Yes,No\n",
    )
    .unwrap();
    step("2026-12-24", &["recruit", "import", signups.to_str().unwrap()]);
    assert!(message(&net, "2027-01-24", "payment_due", 1).starts_with("Pay Ana Silva $400.00 for Discharge co-design"));

    // Paid, then forgotten: her reminders go; the requester's open concern stays.
    step("2027-01-24", &["close", "pay", "1", "1", "--method", "cheque"]);
    assert!(!has(&net, "2027-01-24", "payment_due", 1, Some(1)));
    assert!(has(&net, "2027-01-24", "reimbursement_due", 1, Some(1)));
    step("2027-01-25", &["recruit", "forget", "1"]);
    assert!(shown(&net, "2027-01-25").iter().all(|r| r["partner_id"] != 1), "{:?}", shown(&net, "2027-01-25"));
    assert!(has(&net, "2027-01-25", "concern_open", 1, None));

    // A cancelled request has nothing left to do.
    step("2027-01-25", &["request", "cancel", "2", "--reason", "the unit postponed it"]);
    assert!(shown(&net, "2027-01-25").iter().all(|r| r["request_id"] != 2));
}

#[test]
fn reminders_changed_behind_engages_back_are_found_and_worked_out_again() {
    let net = Network::new();
    engagement_on_the_way(&net);
    assert!(has(&net, "2027-01-01", "concern_open", 1, None));
    // Plain SQL, as no engage command writes: a concern resolved without an event.
    net.exec("UPDATE checkin SET resolved_on = '2026-12-19' WHERE id = 2");
    let run = net.run(&["db", "check"]);
    assert_eq!(run.code, 1);
    assert_eq!(
        run.stdout,
        "reminders: kept but no longer due: concern_open on request 1, check-in 2, due 2026-12-18\n"
    );
    assert_eq!(
        run.stderr,
        format!(
            "engage: error: {}: the reminders and tallies kept for the reports differ from the tables in 1 place; \
             `engage db check --repair` works them out again\n",
            net.shown()
        )
    );
    let run = net.run(&["db", "check", "--repair"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        run.stderr,
        "Worked the reminders, tallies and partner counts out again from the tables (1 difference found).\n"
    );
    assert!(run.stdout.starts_with("ok: "));
    assert!(!has(&net, "2027-01-01", "concern_open", 1, None));
}

/// The summary's counts of the network come from counts kept by status and joining day: they
/// follow an import of new people, an edit of status and a forgetting, as the table itself says.
#[test]
fn the_network_counts_follow_imports_edits_and_forgetting() {
    let net = Network::new();
    let signups = format!("{}/examples/signups/google-forms.csv", env!("CARGO_MANIFEST_DIR"));
    on(&net, "2026-11-23", &["recruit", "import", &signups]);
    let counts = |today: &str| -> Vec<i64> {
        let summary: Json = serde_json::from_str(&on(&net, today, &["report", "summary", "--format", "json"])).unwrap();
        ["partners", "partners_active", "partners_paused", "partners_forgotten", "partners_new"]
            .iter()
            .map(|k| summary[*k].as_i64().unwrap())
            .collect()
    };
    let in_table = |sql: &str| -> i64 {
        let db = engage::db::Db::open_with(&net.db, &engage::db::pg::Secrets::default()).unwrap();
        db.conn().query_value(sql, &[]).unwrap()
    };
    let everyone = in_table("SELECT count(*) FROM partner");
    assert!(everyone > 3, "the example export has people in it");
    assert_eq!(counts("2026-11-23"), [everyone, everyone, 0, 0, everyone]);
    on(&net, "2026-11-23", &["recruit", "edit", "1", "--status", "paused"]);
    on(&net, "2026-11-23", &["recruit", "forget", "2"]);
    assert_eq!(counts("2026-11-23"), [everyone, everyone - 2, 1, 1, everyone]);
    assert_current(&net, "an import, an edit and a forgetting");
}
