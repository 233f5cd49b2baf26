//! Money across redecisions and after closing (issue 11 items 8 and 9): money paid never leaves a
//! statement or a report whatever a later decision says, a partner who leaves part-way withdrew and
//! is owed for the hours logged, closing the loop does not wait for finance, and a partner is
//! reimbursed once per batch of expenses.

use crate::running::{engagement, events, partner};
use crate::support::Network;
use serde_json::Value as Json;

/// Request 1 (involve, $40.00/hour, 2026-09-01 to 2026-11-15), recorded and decided on
/// 2026-08-25: Ana (1) and Bo (2) selected, Cy (3) interested and not selected. Ana logged 14
/// hours and $20.00 of expenses, and was paid $560.00 and reimbursed; Bo logged 6 hours.
fn paid_engagement(net: &Network) {
    let ana = partner(net, "Ana", "Silva", &[]);
    let bo = partner(net, "Bo", "Chen", &[]);
    let cy = partner(net, "Cy", "Roy", &[]);
    engagement(net, &["--way", "involve", "--starts", "2026-09-01", "--ends", "2026-11-15"], &[ana, bo], "2026-08-25");
    net.ok(&["recruit", "respond", "1", &cy.to_string(), "--interested"]);
    net.ok(&["checkin", "1", "--partner", "1", "--on", "2026-10-01", "--hours", "14", "--expenses", "20"]);
    net.ok(&["checkin", "1", "--partner", "2", "--on", "2026-10-01", "--hours", "6"]);
    net.ok(&["close", "pay", "1", "1", "--method", "cheque", "--paid-on", "2026-11-16"]);
    net.ok(&["close", "reimburse", "1", "1", "--on", "2026-11-16"]);
    net.ok(&["select", "notify", "1", "--on", "2026-08-26"]);
}

fn decision(net: &Network, partner: i64) -> (String, i64) {
    net.conn()
        .query_row("SELECT outcome, engaged FROM decision WHERE request_id = 1 AND partner_id = ?1", [partner], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .unwrap()
}

fn line(lines: &Json, partner: i64) -> &Json {
    lines.as_array().unwrap().iter().find(|l| l["partner_id"] == partner).unwrap_or(&Json::Null)
}

/// Every table's rows, to show a refusal changed nothing.
fn snapshot(net: &Network) -> Vec<(String, i64)> {
    ["decision", "event", "compensation", "reimbursement", "reminder"]
        .iter()
        .map(|t| (t.to_string(), net.count(t)))
        .collect()
}

#[test]
fn deciding_again_refuses_to_drop_a_paid_partner_and_forced_keeps_their_money_in_every_figure() {
    let net = Network::new();
    paid_engagement(&net);
    let before = snapshot(&net);
    let run = net.run(&["select", "decide", "1", "--select", "2,3", "--redecide"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_eq!(
        run.stderr,
        "engage: error: partner 1 (Ana Silva) has 14 hours logged, $560.00 paid and $20.00 reimbursed on request 1, \
         and that stays in every statement and report whatever the decision: pass --withdraw 1 to record that they \
         left part-way (paid for the hours logged, and told so), or --force to decide it all the same\n"
    );
    assert_eq!(snapshot(&net), before, "a refusal changes nothing");
    assert_eq!(decision(&net, 1), ("selected".to_string(), 1));

    // Forced: Ana is not selected now, and her hours and money stay wherever money is added up.
    let run = net.run(&["select", "decide", "1", "--select", "2,3", "--redecide", "--force"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr.contains(
            "warning: partner 1 is not selected now; their 14 hours logged, $560.00 paid and $20.00 reimbursed stay \
             on request 1's statement and in every report\n"
        ),
        "{}",
        run.stderr
    );
    assert_eq!(decision(&net, 1), ("not_selected".to_string(), 1));
    let statement = net.json(&["close", "statement", "1"]);
    let ana = line(&statement["partners"], 1);
    assert_eq!(
        (ana["outcome"].as_str(), ana["hours"].as_i64(), ana["paid"].as_str(), ana["reimbursed"].as_str()),
        (Some("not_selected"), Some(14), Some("560.00"), Some("20.00"))
    );
    assert_eq!((statement["total_hours"].as_i64(), statement["total_paid"].as_str()), (Some(20), Some("560.00")));
    let compensation = net.json(&["report", "compensation"]);
    assert_eq!(compensation["total_paid"], "560.00");
    assert_eq!(line(&compensation["lines"], 1)["paid"], "560.00");
    let summary = net.json(&["report", "summary"]);
    assert_eq!(
        (summary["hours"].as_i64(), summary["compensation_paid"].as_str(), summary["expenses_reimbursed"].as_str()),
        (Some(20), Some("560.00"), Some("20.00"))
    );
    let months = summary["paid_by_month"].as_array().unwrap();
    assert!(months.iter().any(|m| m["month"] == "2026-11" && m["paid"] == "560.00"), "{months:?}");
    let participation = net.json(&["report", "participation"]);
    let ana = line(&participation, 1);
    assert_eq!((ana["engagements"].as_i64(), ana["hours"].as_i64()), (Some(1), Some(14)));
    assert_ne!(ana["note"], "never selected");
    // Deciding again, Ana's account stays however often she is decided otherwise.
    net.ok(&["select", "decide", "1", "--select", "2", "--waitlist", "3", "--redecide", "--force"]);
    assert_eq!(decision(&net, 1), ("not_selected".to_string(), 1));
    assert_eq!(net.json(&["close", "statement", "1"])["total_paid"], "560.00");
}

#[test]
fn a_partner_who_leaves_part_way_withdrew_and_is_owed_for_the_hours_logged() {
    let net = Network::new();
    paid_engagement(&net);
    // --withdraw alone: Bo withdrew, every other decision stays as it was.
    let run = net.run(&["select", "decide", "1", "--withdraw", "2", "--reason", "2=moved away"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stderr.contains("Decided request 1 again: selected 1; withdrew 2; 1 not selected."), "{}", run.stderr);
    assert_eq!(decision(&net, 2), ("withdrew".to_string(), 1));
    let kept: (String, String, Option<String>) = net
        .conn()
        .query_row("SELECT outcome, decided_on, notified_on FROM decision WHERE partner_id = 1", [], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?))
        })
        .unwrap();
    assert_eq!(kept, ("selected".into(), "2026-08-25".into(), Some("2026-08-26".into())));
    assert_eq!(
        events(&net, 1)
            .iter()
            .filter(|(k, p, d)| k == "decision" && *p == Some(2) && d.starts_with("withdrew"))
            .count(),
        1
    );
    // Told as such: the withdrawal is a decision still to tell.
    let told = net.json(&["select", "notify", "1", "--dry-run"]);
    assert_eq!(told.as_array().unwrap().len(), 1);
    assert_eq!((told[0]["partner_id"].as_i64(), told[0]["outcome"].as_str()), (Some(2), Some("withdrew")));
    // Paid for the hours logged: 6 hours at $40.00.
    let statement = net.json(&["close", "statement", "1"]);
    let bo = line(&statement["partners"], 2);
    assert_eq!(
        (bo["outcome"].as_str(), bo["owed"].as_str(), bo["status"].as_str()),
        (Some("withdrew"), Some("240.00"), Some("owed"))
    );
    // The morning reminder asks to pay Bo, and no longer to check in with him.
    let due = net.json(&["report", "reminders", "--as-of", "2026-12-20"]);
    let about_bo: Vec<(&str, &str)> = due
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["partner_id"] == 2)
        .map(|r| (r["kind"].as_str().unwrap(), r["message"].as_str().unwrap()))
        .collect();
    assert_eq!(
        about_bo,
        vec![(
            "payment_due",
            "Pay Bo Chen $240.00 for Discharge co-design (request 1), which ended 2026-11-15. `engage close pay 1 2 \
             --method M` or `--declined`."
        )]
    );
    // A late check-in may still log the hours of his last weeks.
    net.ok(&["checkin", "1", "--partner", "2", "--on", "2026-11-10", "--hours", "1"]);
    let run = net.run(&["close", "pay", "1", "2", "--method", "e-transfer"]);
    assert_eq!(
        run.stderr,
        "Recorded: partner 2 (Bo Chen) was paid $280.00 by e-transfer on 2026-11-23 for request 1 (7 hours at \
         $40.00/hour).\n"
    );
    // A later decision keeps him withdrew unless he is chosen again.
    net.ok(&["select", "decide", "1", "--select", "1", "--waitlist", "3", "--redecide"]);
    assert_eq!(decision(&net, 2), ("withdrew".to_string(), 1));
    // Only a selected partner withdraws.
    let run = net.run(&["select", "decide", "1", "--withdraw", "3"]);
    assert_eq!(
        (run.code, run.stderr.as_str()),
        (
            1,
            "engage: error: partner 3 is waitlisted in request 1; --withdraw is for a selected partner who leaves \
             part-way\n"
        )
    );
    let run = net.run(&["select", "decide", "1", "--select", "1", "--withdraw", "1", "--redecide"]);
    assert_eq!(
        (run.code, run.stderr.as_str()),
        (2, "engage: error: partner 1 is both selected and withdrawing; give each partner one outcome\n")
    );
}

#[test]
fn a_partner_who_withdrew_before_any_hours_is_owed_nothing() {
    let net = Network::new();
    paid_engagement(&net);
    let dee = partner(&net, "Dee", "Park", &[]);
    net.ok(&["recruit", "respond", "1", &dee.to_string(), "--interested"]);
    net.ok(&["select", "decide", "1", "--select", "1,2,4", "--redecide", "--force"]);
    net.ok(&["select", "decide", "1", "--withdraw", "4"]);
    let statement = net.json(&["close", "statement", "1"]);
    let dee = line(&statement["partners"], 4);
    assert_eq!((dee["owed"].as_str(), dee["status"].as_str()), (Some("0.00"), Some("nothing owed")));
    let due = net.json(&["report", "reminders", "--as-of", "2026-12-20"]);
    assert!(due.as_array().unwrap().iter().all(|r| r["partner_id"] != 4), "{due}");
}

#[test]
fn closing_the_loop_does_not_wait_for_finance_and_the_reminder_follows_the_money() {
    let net = Network::new();
    paid_engagement(&net);
    // Ana is paid; Bo is owed $240.00, unpaid. Every step of the loop is done: the request closes.
    let run = net.run(&[
        "close",
        "1",
        "--outcomes",
        "Discharge checklist adopted",
        "--loop-closed",
        "2026-11-20",
        "--thanked",
        "2026-11-20",
        "--partner-survey",
        "2026-11-21",
        "--requester-survey",
        "2026-11-21",
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        run.stderr,
        "Closed request 1 (Discharge co-design) on 2026-11-23.\n\
         Still to settle, and in the morning reminder (payment_due, reimbursement_due) until it is: partner 2's \
         compensation of $240.00 paid or declined (`engage close pay 1 2 --method M` or `--declined`).\n"
    );
    assert_eq!(events(&net, 1).last().unwrap().2, "every closing step done");
    let kinds = |as_of: &str| -> Vec<(String, Option<i64>)> {
        // Nothing due prints nothing at all, not even `[]`.
        let out = net.ok(&["report", "reminders", "--as-of", as_of, "--format", "json"]);
        let due: Json = if out.is_empty() { Json::Array(Vec::new()) } else { serde_json::from_str(&out).unwrap() };
        due.as_array()
            .unwrap()
            .iter()
            .map(|r| (r["kind"].as_str().unwrap().to_string(), r["partner_id"].as_i64()))
            .collect()
    };
    // No close_due any morning; payment_due from 30 days after the end until Bo is paid.
    assert_eq!(kinds("2026-11-24"), vec![]);
    assert_eq!(kinds("2026-12-20"), vec![("payment_due".to_string(), Some(2))]);
    net.ok(&["close", "pay", "1", "2", "--method", "cheque"]);
    assert_eq!(kinds("2026-12-20"), vec![]);
}

#[test]
fn close_due_is_silent_once_the_loops_steps_are_done_even_before_closing() {
    let net = Network::new();
    paid_engagement(&net);
    let due = |as_of: &str| -> usize {
        let out = net.ok(&["report", "reminders", "--as-of", as_of, "--format", "json"]);
        let all: Json = if out.is_empty() { Json::Array(Vec::new()) } else { serde_json::from_str(&out).unwrap() };
        all.as_array().unwrap().iter().filter(|r| r["kind"] == "close_due").count()
    };
    assert_eq!(due("2026-11-23"), 1);
    net.ok(&[
        "close",
        "1",
        "--keep-open",
        "--outcomes",
        "Adopted",
        "--loop-closed",
        "today",
        "--thanked",
        "today",
        "--partner-survey",
        "today",
        "--requester-survey",
        "today",
    ]);
    assert_eq!(due("2026-11-23"), 0);
}

#[test]
fn a_partner_is_reimbursed_once_per_batch_of_expenses() {
    let net = Network::new();
    let ana = partner(&net, "Ana", "Silva", &[]);
    engagement(&net, &["--way", "collaborate", "--starts", "2026-06-01", "--ends", "2026-11-30"], &[ana], "2026-05-20");
    net.ok(&["checkin", "1", "--partner", "1", "--on", "2026-07-01", "--expenses", "20"]);
    let run = net.run(&["close", "reimburse", "1", "1", "--on", "2026-07-05"]);
    assert_eq!(
        run.stderr,
        "Recorded: partner 1 (Ana Silva) was reimbursed $20.00 of expenses on 2026-07-05 for request 1.\n"
    );
    // A month later, more expenses: they are logged, and they are the next to reimburse.
    net.ok(&["checkin", "1", "--partner", "1", "--on", "2026-08-01", "--expenses", "12.50"]);
    let statement = net.json(&["close", "statement", "1"]);
    assert_eq!(
        (
            statement["partners"][0]["reimbursed"].as_str(),
            statement["partners"][0]["expenses_outstanding"].as_str(),
            statement["total_expenses_outstanding"].as_str()
        ),
        (Some("20.00"), Some("12.50"), Some("12.50"))
    );
    let due = net.json(&["report", "reminders", "--as-of", "2027-01-01"]);
    let reimburse: Vec<&str> = due
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["kind"] == "reimbursement_due")
        .map(|r| r["message"].as_str().unwrap())
        .collect();
    assert_eq!(
        reimburse,
        vec![
            "Reimburse Ana Silva's expenses of $12.50 for Discharge co-design (request 1). `engage close reimburse 1 1`"
        ]
    );
    let run = net.run(&["close", "reimburse", "1", "1", "--on", "2026-08-05"]);
    assert_eq!(
        run.stderr,
        "Recorded: partner 1 (Ana Silva) was reimbursed $12.50 of expenses on 2026-08-05 for request 1.\n"
    );
    let rows: Vec<(String, i64)> = net
        .conn()
        .prepare("SELECT reimbursed_on, cents FROM reimbursement ORDER BY id")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(rows, vec![("2026-07-05".to_string(), 2_000), ("2026-08-05".to_string(), 1_250)]);
    let statement = net.json(&["close", "statement", "1"]);
    let a = &statement["partners"][0];
    assert_eq!(
        (a["reimbursed_on"].as_str(), a["reimbursed"].as_str(), a["expenses_outstanding"].as_str()),
        (Some("2026-08-05"), Some("32.50"), Some("0.00"))
    );
    let summary = net.json(&["report", "summary"]);
    let months: Vec<(&str, &str)> = summary["paid_by_month"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|m| m["reimbursed"] != "0.00")
        .map(|m| (m["month"].as_str().unwrap(), m["reimbursed"].as_str().unwrap()))
        .collect();
    assert_eq!(months, vec![("2026-07", "20.00"), ("2026-08", "12.50")]);
    let run = net.run(&["close", "reimburse", "1", "1"]);
    assert_eq!(run.code, 1);
    assert_eq!(
        run.stderr,
        "engage: error: partner 1's expenses of $32.50 for request 1 were all reimbursed, the last on 2026-08-05; \
         nothing changed (expenses logged at a later check-in are the next to reimburse)\n"
    );
}

/// A database written by the engage before this schema (version 1), holding what issue 11 found:
/// a partner paid and reimbursed, then decided "not selected".
#[test]
fn an_older_database_is_upgraded_keeping_its_reimbursements_and_its_paid_partners() {
    let net = Network::on_file();
    {
        let conn = net.conn();
        conn.execute_batch(include_str!("../../schema.sql")).unwrap();
        conn.execute_batch(
            "PRAGMA user_version = 1;
             INSERT INTO request (id, title, organization, contact_name, contact_email, way, respond_by, select_by,
               seats, pay_basis, pay_cents, checkin_every_days, status, created_on, starts_on, ends_on)
               VALUES (1, 'Discharge co-design', 'Fraser Health', 'Lee Wong', 'lee@example.org', 'involve',
               '2026-09-01', '2026-09-08', 2, 'way', 4000, 30, 'active', '2026-08-20', '2026-09-01', '2026-11-15');
             INSERT INTO partner (id, first_name, last_name, email) VALUES
               (1, 'Ana', 'Silva', 'ana@example.org'), (2, 'Bo', 'Chen', 'bo@example.org'), (3, 'Cy', 'Roy', 'cy@example.org');
             INSERT INTO partner_count (status, joined_on, partners) VALUES ('active', '', 3);
             INSERT INTO invitation (request_id, partner_id, response) VALUES
               (1, 1, 'interested'), (1, 2, 'interested'), (1, 3, 'interested');
             INSERT INTO decision (request_id, partner_id, outcome, decided_on) VALUES
               (1, 1, 'not_selected', '2026-11-20'), (1, 2, 'selected', '2026-08-25'), (1, 3, 'not_selected', '2026-08-25');
             INSERT INTO checkin (request_id, party, partner_id, held_on, status, hours, expenses_cents) VALUES
               (1, 'partner', 1, '2026-10-01', 'good', 1400, 2000), (1, 'partner', 2, '2026-10-01', 'good', 600, 0);
             INSERT INTO compensation (request_id, partner_id, method, declined, paid_on, paid_cents, reimbursed_on,
               reimbursed_cents) VALUES (1, 1, 'cheque', 0, '2026-11-16', 56000, '2026-11-16', 2000);",
        )
        .unwrap();
    }
    let statement = net.json(&["close", "statement", "1"]);
    let ana = line(&statement["partners"], 1);
    assert_eq!(
        (ana["outcome"].as_str(), ana["paid"].as_str(), ana["reimbursed"].as_str(), ana["reimbursed_on"].as_str()),
        (Some("not_selected"), Some("560.00"), Some("20.00"), Some("2026-11-16"))
    );
    assert_eq!(statement["partners"].as_array().unwrap().len(), 2, "Ana and Bo have accounts, Cy has none");
    assert_eq!(
        (decision(&net, 1), decision(&net, 2), decision(&net, 3).1),
        (("not_selected".to_string(), 1), ("selected".to_string(), 1), 0)
    );
    assert_eq!(net.count("reimbursement"), 1);
    // The upgraded file is what a new one is, table for table, and it passes its checks.
    let schema = |conn: &rusqlite::Connection| -> Vec<(String, String)> {
        conn.prepare("SELECT name, sql FROM sqlite_schema WHERE sql IS NOT NULL ORDER BY name")
            .unwrap()
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap()
    };
    let fresh = Network::on_file();
    fresh.ok(&["config", "list"]);
    let upgraded = schema(&net.conn());
    let normalized = |rows: Vec<(String, String)>| -> Vec<(String, String)> {
        rows.into_iter().map(|(n, sql)| (n, sql.split_whitespace().collect::<Vec<_>>().join(" "))).collect()
    };
    assert_eq!(normalized(upgraded), normalized(schema(&fresh.conn())));
    let version: i64 = net.conn().query_row("PRAGMA user_version", [], |r| r.get(0)).unwrap();
    let fresh_version: i64 = fresh.conn().query_row("PRAGMA user_version", [], |r| r.get(0)).unwrap();
    assert_eq!(version, fresh_version);
    let check = net.run(&["db", "check"]);
    assert_eq!(check.code, 0, "{}", check.stderr);
    // The reminders were worked out with the accounts: Ana and Bo are followed up as one.
    let due = net.json(&["report", "reminders", "--as-of", "2026-12-20"]);
    let owed: Vec<i64> = due
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["kind"] == "payment_due")
        .map(|r| r["partner_id"].as_i64().unwrap())
        .collect();
    assert_eq!(owed, vec![2]);
}

#[test]
fn the_guided_selection_asks_what_to_do_with_a_paid_partner_it_would_drop() {
    let net = Network::new();
    let ana = partner(&net, "Ana", "Silva", &[]);
    let bo = partner(&net, "Bo", "Chen", &[]);
    let cy = partner(&net, "Cy", "Roy", &[]);
    let flags = ["--way", "involve", "--criteria", "experience", "--starts", "2026-09-01", "--ends", "2027-03-31"];
    engagement(&net, &flags, &[ana, bo], "2026-08-25");
    net.ok(&["recruit", "respond", "1", &cy.to_string(), "--interested"]);
    for p in ["1", "2", "3"] {
        net.ok(&["select", "score", "1", p, "--score", "experience=2"]);
    }
    net.ok(&["checkin", "1", "--partner", "1", "--on", "2026-10-01", "--hours", "14"]);
    net.ok(&["close", "pay", "1", "1", "--method", "cheque", "--paid-on", "2026-10-02"]);
    // Choose Bo and Cy: Ana, paid, would be dropped. Asked, choose again, then record her as withdrew.
    let answers = [
        "y", // decide again
        "",
        "",
        "", // keep each candidate's scores
        "2,3",
        "none",
        "",
        "", // Bo and Cy, nobody waitlisted, no reasons
        "choose again",
        "2,3",
        "none",
        "",
        "",
        "record that they left part-way",
        "y", // record the decision
    ];
    let (result, run, prompter) = net.at_terminal(&["select", "1"], &answers);
    assert!(result.is_ok(), "{result:?}\n{:#?}", prompter.transcript);
    assert_eq!(prompter.remaining(), 0);
    let t = &prompter.transcript;
    let said = "partner 1 (Ana Silva) has 14 hours logged and $560.00 paid on request 1, and that stays in every \
                statement and report whatever the decision.";
    assert_eq!(t.iter().filter(|l| *l == said).count(), 2, "{t:#?}");
    assert!(t.contains(&"Withdrew: partner 1 (Ana Silva).".to_string()), "{t:#?}");
    assert!(
        run.stderr.starts_with("Decided request 1 again: selected 2 and 3; withdrew 1; 0 not selected."),
        "{}",
        run.stderr
    );
    assert_eq!(decision(&net, 1), ("withdrew".to_string(), 1));
    assert_eq!(net.json(&["close", "statement", "1"])["total_paid"], "560.00");
}
