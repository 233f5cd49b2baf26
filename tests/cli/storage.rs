//! The storage layer as a coordinator meets it: a value the database holds that engage cannot
//! read is one sentence, the reminders keep their key and a typed detail, and `db check` finds a
//! row kept twice.

use crate::support::Network;

/// Request 1 (submitted today), partners 1 and 2 invited and interested, partner 1 selected.
fn under_way(net: &Network) {
    net.request(&["--respond-by", "2026-12-01", "--starts", "2027-01-10", "--ends", "2027-03-31"]);
    for (first, email) in [("Ana", "ana@example.org"), ("Ben", "ben@example.org")] {
        net.ok(&["recruit", "add", "--first", first, "--last", "Silva", "--email", email, "--consent"]);
    }
    net.ok(&["recruit", "invite", "1"]);
    net.ok(&["recruit", "respond", "1", "1", "--interested"]);
    net.ok(&["recruit", "respond", "1", "2", "--interested"]);
    net.select_on(1, &[1], "2026-11-23");
}

#[test]
fn a_value_engage_cannot_read_is_one_sentence_naming_it_and_what_belongs_there() {
    let net = Network::on_file();
    net.request(&[]);
    let respond_by: String = net.conn().query_row("SELECT respond_by FROM request", [], |r| r.get(0)).unwrap();
    // Plain SQL, as no engage command writes such a day.
    net.exec("UPDATE request SET respond_by = 'soon' WHERE id = 1");
    let run = net.run(&["request", "show", "1"]);
    assert_eq!(
        (run.code, run.stdout.as_str(), run.stderr.as_str()),
        (
            1,
            "",
            "engage: error: the database holds 'soon' where a date belongs (in respond_by), which engage cannot read: \
             something other than engage changed the file; `engage db check --repair` works out the reminders and \
             tallies again, and a backup restores anything else\n"
        )
    );
    // A word of a vocabulary in a table engage derives: `--repair` works it out again.
    net.conn().execute("UPDATE request SET respond_by = ?1 WHERE id = 1", [&respond_by]).unwrap();
    net.exec("UPDATE request_tally SET way = 'Consult' WHERE request_id = 1");
    let run = net.run(&["report", "summary"]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr.starts_with("engage: error: the database holds 'Consult' where a way of engaging belongs (in way)"),
        "{}",
        run.stderr
    );
    let run = net.run(&["db", "check"]);
    assert_eq!(
        (run.code, run.stdout.as_str()),
        (
            1,
            "tallies: a row of request 1 holds a value engage cannot read\ntallies: request 1 does not add up to what is kept\n"
        )
    );
    net.ok(&["db", "check", "--repair"]);
    net.ok(&["report", "summary"]);
}

#[test]
fn a_reminder_keeps_its_party_and_a_typed_detail_as_json() {
    let net = Network::new();
    under_way(&net);
    let conn = net.conn();
    let detail = |kind: &str| -> (Option<String>, Option<String>) {
        conn.query_row(
            "SELECT party, detail FROM reminder WHERE kind = ?1 AND (partner_id = 1 OR partner_id IS NULL) \
             ORDER BY party",
            [kind],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap()
    };
    assert_eq!(
        detail("onboarding_due"),
        (None, Some(r#"{"onboarding":{"open":["welcomed","oriented","introduced"]}}"#.to_string()))
    );
    assert_eq!(
        detail("commitments_missing"),
        (None, Some(r#"{"commitments":{"missing":["commitments_missing"]}}"#.to_string()))
    );
    assert_eq!(detail("checkin_due"), (Some("partner".into()), Some(r#"{"checkin":{"first":true}}"#.to_string())));
    // And what the reminders say is what they said with the words of before.
    let due = net.json(&["report", "reminders", "--as-of", "2027-01-10"]);
    let message = |kind: &str| {
        due.as_array().unwrap().iter().find(|r| r["kind"] == kind).map(|r| r["message"].as_str().unwrap().to_string())
    };
    assert_eq!(
        message("onboarding_due").as_deref(),
        Some(
            "Onboard Ana Silva for Discharge co-design (request 1), starting for them 2027-01-10 (today): not yet \
             welcomed, oriented and introduced to the team. `engage select onboard 1 1 --welcomed DATE --oriented \
             DATE --introduced DATE`"
        )
    );
}

#[test]
fn db_check_finds_a_reminder_kept_twice_and_repair_keeps_it_once() {
    let net = Network::new();
    under_way(&net);
    net.ok(&["db", "check"]);
    // Plain SQL, behind engage's back: the key taken away and a reminder doubled.
    net.exec("DROP INDEX reminder_key; INSERT INTO reminder SELECT * FROM reminder WHERE kind = 'onboarding_due';");
    let run = net.run(&["db", "check"]);
    assert_eq!(
        (run.code, run.stdout.as_str()),
        (1, "reminders: kept twice but due once: onboarding_due on request 1, partner 1, due 2027-01-10\n")
    );
    let run = net.run(&["db", "check", "--repair"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.starts_with("ok: "));
    let kept: i64 =
        net.conn().query_row("SELECT count(*) FROM reminder WHERE kind = 'onboarding_due'", [], |r| r.get(0)).unwrap();
    assert_eq!(kept, 1);
}

#[test]
fn db_check_compares_the_partner_counts_row_by_row() {
    let net = Network::new();
    under_way(&net);
    net.exec("UPDATE partner_count SET partners = partner_count.partners + 1");
    let run = net.run(&["db", "check"]);
    assert_eq!(
        (run.code, run.stdout.as_str()),
        (1, "partner counts: 3 active partners who joined on 2026-11-23 are counted, and the network has 2\n")
    );
    net.ok(&["db", "check", "--repair"]);
    net.ok(&["db", "check"]);
}
