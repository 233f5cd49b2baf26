//! `engage status [REQ]`: where each engagement stands, its next steps the same as the morning
//! reminder's, each with its command; and `report reminders --request`.

use crate::support::Network;
use crate::tables::{at_width, engagement};
use engage::Env;
use engage::prompt::ScriptedPrompter;
use serde_json::Value as Json;

fn messages(reminders: &Json) -> Vec<String> {
    reminders.as_array().unwrap().iter().map(|r| r["message"].as_str().unwrap().to_string()).collect()
}

#[test]
fn status_lists_each_open_request_with_the_morning_reminders_first_step() {
    let net = engagement();
    let rows = net.json(&["status"]);
    let rows = rows.as_array().unwrap();
    assert_eq!(rows.iter().map(|r| r["request_id"].as_i64().unwrap()).collect::<Vec<_>>(), vec![1, 2]);
    for row in rows {
        let id = row["request_id"].as_i64().unwrap().to_string();
        let due = net.json(&["report", "reminders", "--request", &id]);
        // The first step is the most overdue reminder, word for word, and its command is the one
        // the reminder names.
        assert_eq!(row["next_step"].as_str().unwrap(), messages(&due)[0], "request {id}");
        let command = row["command"].as_str().unwrap();
        assert!(command.starts_with("engage ") && messages(&due)[0].contains(&format!("`{command}`")));
        assert_eq!(row["reminders_due"].as_i64().unwrap(), due.as_array().unwrap().len() as i64);
    }
    let one = &rows[0];
    assert_eq!(
        (one["status"].as_str(), one["seats"].as_i64(), one["selected"].as_i64()),
        (Some("active"), Some(2), Some(2))
    );
    // Ana Chen's onboarding, due when the engagement started for her, is the most overdue.
    assert_eq!(one["kind"], "onboarding_due");
    assert_eq!(one["due_on"], "2026-09-01");
    assert_eq!(one["days_overdue"], 83);
    assert_eq!(one["command"], "engage select onboard 1 2 --welcomed DATE --oriented DATE --introduced DATE");
    assert_eq!(rows[1]["kind"], "request_awaiting_review");
    assert_eq!(rows[1]["command"], "engage recruit invite 2");
}

#[test]
fn status_of_a_request_shows_partners_concerns_money_and_every_next_step() {
    let net = engagement();
    let s = net.json(&["status", "1"]);
    assert_eq!(s["status"], "active");
    assert_eq!(
        [&s["invited"], &s["responded"], &s["interested"], &s["declined"], &s["selected"], &s["waitlisted"]],
        [2, 3, 2, 1, 2, 0]
    );
    assert_eq!(
        (&s["checkins"], &s["last_checkin_on"], &s["open_concerns"]),
        (&4.into(), &"2026-11-01".into(), &1.into())
    );
    assert_eq!(
        (&s["hours"], &s["owed"], &s["paid"], &s["outstanding"]),
        (&28.into(), &"1400.00".into(), &"300.00".into(), &"1100.00".into())
    );
    assert_eq!(
        (&s["expenses"], &s["reimbursed"], &s["expenses_to_reimburse"]),
        (&"20.00".into(), &"20.00".into(), &"0.00".into())
    );
    let partners = s["partners"].as_array().unwrap();
    assert_eq!(partners.len(), 2);
    assert_eq!(partners[0]["name"], "Marco Silva");
    assert_eq!(partners[0]["commitments"], "signed 2026-08-25, valid until 2028-08-23");
    assert_eq!(partners[0]["onboarding"], "welcomed, oriented and introduced to the team");
    assert_eq!(partners[0]["payment"], "paid");
    assert_eq!(partners[1]["name"], "Ana Chen");
    assert_eq!(partners[1]["commitments"], "not signed");
    assert_eq!(partners[1]["onboarding"], "not yet welcomed, oriented and introduced to the team");
    assert_eq!(
        (&partners[1]["hours"], &partners[1]["owed"], &partners[1]["payment"]),
        (&22.into(), &"1100.00".into(), &"owed".into())
    );
    assert_eq!(partners[1]["record_check"], "not required");
    let concerns = s["concerns"].as_array().unwrap();
    assert_eq!(concerns.len(), 1);
    assert_eq!(
        (&concerns[0]["checkin_id"], &concerns[0]["with"], &concerns[0]["concern"]),
        (&3.into(), &"Lee Wong (the requester)".into(), &"barrier".into())
    );

    // The steps shown today are the morning reminder of the request, in its order, word for word.
    let steps = s["next_steps"].as_array().unwrap();
    let today: Vec<String> = steps
        .iter()
        .filter(|s| s["in_reminders_today"] == true)
        .map(|s| s["message"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(today, messages(&net.json(&["report", "reminders", "--request", "1"])));
    assert!(!today.is_empty());
    // Then what is still to come: Ana Chen's compensation, 30 days after the end.
    let later: Vec<&Json> = steps.iter().filter(|s| s["in_reminders_today"] == false).collect();
    assert_eq!(later.len(), 1, "{later:?}");
    assert_eq!(
        (&later[0]["kind"], &later[0]["partner_id"], &later[0]["due_on"], &later[0]["days_overdue"]),
        (&"payment_due".into(), &2.into(), &"2026-12-15".into(), &(-22).into())
    );
    assert_eq!(later[0]["command"], "engage close pay 1 2 --method M");
    assert_eq!(
        later[0]["message"],
        "Pay Ana Chen $1,100.00 for Discharge co-design (request 1), which ended 2026-11-15. `engage close pay 1 2 \
         --method M` or `--declined`."
    );
    // Every step's command is one the message names.
    for step in steps {
        let command = step["command"].as_str().unwrap();
        assert!(step["message"].as_str().unwrap().contains(&format!("`{command}`")), "{step}");
    }
}

#[test]
fn status_reads_at_60_and_100_columns() {
    let net = engagement();
    for (name, args) in [("status_list", &["status"][..]), ("status_request", &["status", "1"][..])] {
        let mut all = String::new();
        for width in [60, 100] {
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
        insta::assert_snapshot!(name, all, &format!("engage {}", args.join(" ")));
    }
}

#[test]
fn status_of_an_unknown_request_says_so_and_changes_nothing() {
    let net = engagement();
    let run = net.run(&["status", "9"]);
    assert_eq!(run.code, 1);
    assert_eq!(run.stderr, "engage: error: there is no request 9; `engage request list` shows the requests\n");
    let run = net.run(&["status", "x"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("'x' is not an id; ids are whole numbers such as 12"), "{}", run.stderr);
    let run = net.run(&["report", "reminders", "--request", "9"]);
    assert_eq!(run.code, 1);
    assert_eq!(run.stderr, "engage: error: there is no request 9; `engage request list` shows the requests\n");
}

#[test]
fn a_closed_and_settled_request_has_nothing_left() {
    let net = Network::new();
    let id = net.request(&["--way", "inform"]).to_string();
    net.ok(&["request", "cancel", &id, "--reason", "the project was postponed"]);
    let s = net.json(&["status", &id]);
    assert_eq!(s["next_step"], "Cancelled: nothing is left to do.");
    assert_eq!(s["next_steps"], Json::Array(Vec::new()));
    // Cancelled requests are not open.
    assert_eq!(net.json(&["status"]), Json::Array(Vec::new()));
    let run = net.run(&["status"]);
    assert_eq!((run.code, run.stdout.as_str()), (0, ""));
    assert_eq!(run.stderr, "No open requests. `engage request new` records one.\n");
}

#[test]
fn reminders_narrowed_to_a_request_hold_only_its_reminders() {
    let net = engagement();
    let all = net.json(&["report", "reminders"]);
    for id in [1, 2] {
        let some = net.json(&["report", "reminders", "--request", &id.to_string()]);
        let some = some.as_array().unwrap();
        assert!(!some.is_empty());
        assert!(some.iter().all(|r| r["request_id"] == id));
        let expected: Vec<&Json> = all.as_array().unwrap().iter().filter(|r| r["request_id"] == id).collect();
        assert_eq!(some.iter().collect::<Vec<_>>(), expected);
    }
}

#[test]
fn nothing_due_says_so_at_a_terminal_and_stays_silent_for_cron() {
    let net = Network::new();
    net.request(&[]);
    // For cron (no terminal): nothing at all.
    let run = net.run(&["report", "reminders"]);
    assert_eq!((run.code, run.stdout.as_str(), run.stderr.as_str()), (0, "", ""));
    let run = net.run(&["report", "reminders", "--format", "json"]);
    assert_eq!((run.code, run.stdout.as_str()), (0, ""));
    // At a terminal: one sentence.
    let mut env = Env::pinned(&net.db, &net.today);
    env.stdout_tty = true;
    env.stderr_tty = true;
    env.terminal_width = Some(80);
    let (result, run) =
        net.in_process_with(&["report", "reminders"], &env, &mut ScriptedPrompter::new(std::iter::empty::<&str>()));
    assert!(result.is_ok());
    assert_eq!(run.stdout, "Nothing is due today.\n");
    let (_, run) = net.in_process_with(
        &["report", "reminders", "--request", "1", "--as-of", "2026-11-24"],
        &env,
        &mut ScriptedPrompter::new(std::iter::empty::<&str>()),
    );
    assert_eq!(run.stdout, "Nothing is due on request 1 on 2026-11-24.\n");
    // JSON at a terminal is still one JSON value or nothing: nothing.
    let (_, run) = net.in_process_with(
        &["report", "reminders", "--format", "json"],
        &env,
        &mut ScriptedPrompter::new(std::iter::empty::<&str>()),
    );
    assert_eq!(run.stdout, "");
}

/// The text between `<!-- NAME:start -->` and `<!-- NAME:end -->` in the README.
fn readme_block(name: &str) -> String {
    let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    let start = readme.find(&format!("<!-- {name}:start -->")).unwrap();
    let end = readme.find(&format!("<!-- {name}:end -->")).unwrap();
    readme[start..end].to_string()
}

#[test]
fn the_readme_shows_status_as_an_80_column_terminal_prints_it() {
    let net = Network::new();
    // The first session's commands before `engage status`, as the README's walkthrough runs them.
    for line in readme_block("walkthrough").lines().filter_map(|l| l.strip_prefix("$ ")) {
        let words = shell_words::split(line).unwrap();
        if words[1] == "status" {
            break;
        }
        net.ok(&words[1..].iter().map(String::as_str).collect::<Vec<_>>());
    }
    let mut shown: Vec<(Vec<String>, Vec<String>)> = Vec::new();
    for line in readme_block("status-at-80").lines() {
        if let Some(command) = line.strip_prefix("$ ") {
            shown.push((shell_words::split(command).unwrap(), Vec::new()));
        } else if let Some(last) = shown.last_mut().filter(|_| !line.starts_with("```") && !line.starts_with("<!--")) {
            last.1.push(line.to_string());
        }
    }
    assert_eq!(shown.iter().map(|(w, _)| w.join(" ")).collect::<Vec<_>>(), ["engage status", "engage status 1"]);
    for (words, lines) in shown {
        let args: Vec<&str> = words[1..].iter().map(String::as_str).collect();
        let (stdout, _) = at_width(&net, &args, 80);
        assert_eq!(stdout.lines().collect::<Vec<_>>(), lines, "engage {args:?}");
    }
}
