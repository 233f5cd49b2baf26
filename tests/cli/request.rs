//! `engage request`: new → list → show → edit → cancel through the real binary.

use crate::support::Network;

#[test]
fn new_records_every_field_with_the_defaults_of_the_field() {
    let net = Network::new();
    let run = net.run(&[
        "request",
        "new",
        "--title",
        "Discharge co-design",
        "--org",
        "Fraser Health",
        "--contact-name",
        "Lee Wong",
        "--contact-email",
        " Lee.Wong@Example.org ",
        "--contact-phone",
        "604-555-0101",
        "--way",
        "involve",
        "--domain",
        "program",
        "--level",
        "organizational",
        "--topics",
        "discharge, Mental health,discharge",
        "--region",
        "Fraser",
        "--community",
        "urban",
        "--format-of",
        "hybrid",
        "--location",
        "Surrey Memorial",
        "--starts",
        "2027-01-10",
        "--ends",
        "2027-06-30",
        "--hours",
        "14",
        "--record-check",
        "--no-expenses",
        "--supports",
        "transit passes",
        "--description",
        "Redesign the discharge checklist",
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.stdout, "1\n");
    assert_eq!(
        run.stderr,
        "Recorded request 1: Discharge co-design for Fraser Health (involve, 2 seats, $40.00/hour (the involve rate); \
         respond by 2026-12-07, select by 2026-12-14).\n"
    );
    let row: (String, String, String, i64, String, i64, String, String, i64, i64, i64, String) = net
        .conn()
        .query_row(
            "SELECT contact_email, topics, respond_by, seats, pay_basis, pay_cents, select_by, status, \
             expenses_reimbursed, record_check_required, checkin_every_days, created_on FROM request WHERE id = 1",
            [],
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
                    r.get(10)?,
                    r.get(11)?,
                ))
            },
        )
        .unwrap();
    assert_eq!(
        row,
        (
            "lee.wong@example.org".into(),
            r#"["discharge","Mental health"]"#.into(),
            "2026-12-07".into(),
            2,
            "way".into(),
            4000,
            "2026-12-14".into(),
            "submitted".into(),
            0,
            1,
            30,
            "2026-11-23".into()
        )
    );
    let criteria: Vec<(String, i64, i64)> = net
        .conn()
        .prepare("SELECT name, weight, required FROM criterion WHERE request_id = 1 ORDER BY position")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    let names: Vec<&str> = criteria.iter().map(|c| c.0.as_str()).collect();
    assert_eq!(names, ["experience", "speaking", "constructive", "listening", "availability"]);
    assert!(criteria.iter().all(|c| c.1 == 1 && c.2 == 0));
}

#[test]
fn rates_come_from_the_way_unless_overridden() {
    let net = Network::new();
    let cases: [(&[&str], &str, i64); 5] = [
        (&["--way", "consult"], "way", 2500),
        (&["--way", "lead"], "way", 6000),
        (&["--way", "inform"], "way", 0),
        (&["--way", "consult", "--honorarium", "50"], "honorarium", 5000),
        (&["--way", "lead", "--rate", "75.50"], "rate", 7550),
    ];
    for (i, (flags, basis, cents)) in cases.iter().enumerate() {
        let mut args = vec![
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
        ];
        args.extend_from_slice(flags);
        net.ok(&args);
        let got: (String, i64) = net
            .conn()
            .query_row("SELECT pay_basis, pay_cents FROM request WHERE id = ?1", [i as i64 + 1], |r| {
                Ok((r.get(0)?, r.get(1)?))
            })
            .unwrap();
        assert_eq!(got, (basis.to_string(), *cents), "{flags:?}");
    }
    // A changed setting applies to new requests only.
    net.ok(&["config", "set", "rate_consult", "30"]);
    net.ok(&[
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
    ]);
    let cents: Vec<i64> = net
        .conn()
        .prepare("SELECT pay_cents FROM request WHERE way = 'consult' ORDER BY id")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(cents, [2500, 5000, 3000]);
}

#[test]
fn one_seat_warns_but_records() {
    let net = Network::new();
    let run = net.run(&[
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
        "--seats",
        "1",
    ]);
    assert_eq!(run.code, 0);
    assert!(
        run.stderr.starts_with("warning: 1 seat: always try to include at least two patient partners\n"),
        "{}",
        run.stderr
    );
    assert_eq!(net.count("request"), 1);
}

#[test]
fn list_show_edit_cancel_in_all_three_formats() {
    let net = Network::new();
    let first = net.request(&[
        "--starts",
        "2027-01-10",
        "--ends",
        "2027-06-30",
        "--criteria",
        "experience!,speaking,listening:2",
    ]);
    let second = net.request(&["--org", "Island Health", "--title", "Patient portal feedback", "--way", "consult"]);
    assert_eq!((first, second), (1, 2));

    // list: table, csv, json
    let table = net.ok(&["request", "list"]);
    assert!(table.contains("| ID | Title"), "{table}");
    assert!(table.contains("Patient portal feedback"));
    let csv = net.ok(&["request", "list", "--format", "csv", "--org", "island"]);
    assert_eq!(
        csv,
        "\"id\",\"title\",\"organization\",\"way\",\"status\",\"seats\",\"respond_by\",\"select_by\",\"starts_on\",\"ends_on\",\"owner\"\n\
         2,\"Patient portal feedback\",\"Island Health\",\"consult\",\"submitted\",2,\"2026-12-07\",\"2026-12-14\",\"\",\"\",\"coordinator\"\n"
    );
    let json = net.json(&["request", "list"]);
    assert_eq!(json.as_array().unwrap().len(), 2);
    assert_eq!(json[0]["starts_on"], "2027-01-10");
    assert_eq!(json[1]["starts_on"], serde_json::Value::Null);

    // show: table, csv, json
    let shown = net.ok(&["request", "show", "1"]);
    assert!(shown.contains("| Rate ") && shown.contains("$50.00"), "{shown}");
    assert!(shown.contains("Criteria\n") && shown.contains("Timeline\n"));
    let csv = net.ok(&["request", "show", "1", "--format", "csv"]);
    let mut lines = csv.lines();
    assert!(lines.next().unwrap().starts_with("\"id\",\"title\",\"status\""));
    assert!(lines.next().unwrap().starts_with("1,\"Discharge co-design\",\"submitted\""));
    let json = net.json(&["request", "show", "1"]);
    assert_eq!(json["rate"], "50.00");
    assert_eq!(json["honorarium"], serde_json::Value::Null);
    assert_eq!(json["criteria_spec"], "experience!,speaking,listening:2");
    assert_eq!(json["criteria"][0]["criterion"], "experience");
    assert_eq!(json["criteria"][0]["required"], true);
    assert_eq!(json["criteria"][2]["weight"], 2);

    // edit
    let run = net.run(&["request", "edit", "1", "--seats", "3", "--way", "lead", "--location", "Surrey"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        run.stderr,
        "The rate follows the way: $60.00/hour (the lead rate).\n\
         Updated request 1: way: 'collaborate' → 'lead'; location: (none) → 'Surrey'; seats: 2 → 3; rate: $50.00 → $60.00.\n"
    );
    let json = net.json(&["request", "edit", "1", "--location", ""]);
    assert_eq!(json["location"], serde_json::Value::Null);
    assert_eq!(json["seats"], 3);
    let csv = net.ok(&["request", "edit", "1", "--honorarium", "200", "--format", "csv"]);
    assert!(csv.contains(",\"honorarium\",\"\",200.00,"), "{csv}");

    // cancel
    let run = net.run(&["request", "cancel", "2", "--reason", "postponed by the requester"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.stderr, "Cancelled request 2: Patient portal feedback.\n");
    let json = net.json(&["request", "list", "--status", "cancelled"]);
    assert_eq!(json.as_array().unwrap().len(), 1);
    assert_eq!(json[0]["id"], 2);
    let open = net.json(&["request", "list", "--status", "open"]);
    assert_eq!(open.as_array().unwrap().len(), 1);
    assert_eq!(open[0]["id"], 1);
    let reason: String =
        net.conn().query_row("SELECT status_reason FROM request WHERE id = 2", [], |r| r.get(0)).unwrap();
    assert_eq!(reason, "postponed by the requester");
}

#[test]
fn the_timeline_tells_the_whole_story() {
    let net = Network::new();
    net.request(&[]);
    net.ok(&["request", "edit", "1", "--seats", "4"]);
    net.ok(&["request", "cancel", "1", "--reason", "funding withdrawn"]);
    let json = net.json(&["request", "show", "1"]);
    let timeline: Vec<(String, String, String, String)> = json["timeline"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["on"].as_str().unwrap().to_string(),
                e["by"].as_str().unwrap().to_string(),
                e["event"].as_str().unwrap().to_string(),
                e["detail"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let expected = [
        (
            "request_created",
            "Discharge co-design for Fraser Health (collaborate, 2 seats, $50.00/hour (the collaborate rate); respond by 2026-12-07, select by 2026-12-14)",
        ),
        ("request_edited", "seats: 2 → 4"),
        ("status_changed", "submitted → cancelled: funding withdrawn"),
    ];
    assert_eq!(timeline.len(), expected.len());
    for (got, (kind, detail)) in timeline.iter().zip(expected) {
        assert_eq!(got, &("2026-11-23".to_string(), "coordinator".to_string(), kind.to_string(), detail.to_string()));
    }
    // The log cannot be rewritten, even by hand.
    let err = net.try_exec_with("UPDATE event SET detail = 'x'", &[]).unwrap_err();
    assert!(err.contains("append-only"), "{err}");
    let err = net.try_exec_with("DELETE FROM event", &[]).unwrap_err();
    assert!(err.contains("append-only"), "{err}");
}

#[test]
fn closed_and_cancelled_requests_are_history() {
    let net = Network::new();
    net.request(&[]);
    net.ok(&["request", "cancel", "1", "--reason", "no longer needed"]);
    let run = net.run(&["request", "edit", "1", "--seats", "3"]);
    assert_eq!(run.code, 1);
    assert_eq!(run.stderr, "engage: error: request 1 is cancelled; a cancelled request is not edited any more\n");
    let run = net.run(&["request", "cancel", "1", "--reason", "again"]);
    assert_eq!(run.code, 1);
    assert_eq!(
        run.stderr,
        "engage: error: request 1 is cancelled; only a request that has not closed can be cancelled\n"
    );
    assert_eq!(net.count("event"), 2);
}

#[test]
fn an_edit_that_changes_nothing_says_so() {
    let net = Network::new();
    net.request(&["--seats", "3"]);
    let run = net.run(&["request", "edit", "1", "--seats", "3"]);
    assert_eq!(run.code, 0);
    assert_eq!(run.stderr, "Request 1 already has these values; nothing changed.\n");
    assert_eq!(net.count("event"), 1);
}

#[test]
fn missing_requests_are_named() {
    let net = Network::new();
    let run = net.run(&["request", "show", "9"]);
    assert_eq!(run.code, 1);
    assert_eq!(run.stderr, "engage: error: there is no request 9; `engage request list` shows the requests\n");
}

#[test]
fn an_empty_list_says_so_on_stderr_and_prints_nothing() {
    let net = Network::new();
    let run = net.run(&["request", "list"]);
    assert_eq!(run.code, 0);
    assert_eq!(run.stdout, "");
    assert_eq!(run.stderr, "No requests match. `engage request new` records one.\n");
    assert_eq!(net.ok(&["request", "list", "--format", "json"]), "[]\n");
}

/// Issue 13: `--meeting` sits apart from the global `--format`; `--format-of`, its first name,
/// still works for the scripts written with it, and help shows only the new name.
#[test]
fn meeting_sets_how_the_request_meets_and_format_of_still_works() {
    let net = Network::new();
    let base = [
        "request",
        "new",
        "--title",
        "Focus group",
        "--org",
        "Fraser Health",
        "--contact-name",
        "Lee Wong",
        "--contact-email",
        "lee.wong@example.org",
        "--way",
        "consult",
    ];
    net.ok(&[&base[..], &["--meeting", "hybrid"]].concat());
    net.ok(&[&base[..], &["--format-of", "virtual"]].concat());
    net.ok(&["request", "edit", "1", "--format-of", "in_person"]);
    net.ok(&["request", "edit", "2", "--meeting", "hybrid"]);
    let formats: Vec<String> = net
        .conn()
        .prepare("SELECT format FROM request ORDER BY id")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(formats, ["in_person", "hybrid"]);
    for command in ["new", "edit"] {
        let help = net.ok(&["request", command, "--help"]);
        assert!(help.contains("--meeting <HOW>"), "{help}");
        assert!(!help.contains("format-of"), "{help}");
    }
}
