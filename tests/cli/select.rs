//! `engage select`: scoring, the ranking, the rules at decision time, notifying, onboarding, the
//! roster, and the guided flow (scripted in process, and the real binary in a pseudo-terminal).

use crate::support::Network;
use serde_json::Value;

/// Adds partners who consented to be contacted; returns their ids.
fn add_partners(net: &Network, names: &[&str]) -> Vec<i64> {
    names
        .iter()
        .map(|name| {
            let email = format!("{}@example.org", name.to_lowercase());
            net.ok(&["recruit", "add", "--first", name, "--last", "Partner", "--email", &email, "--consent"])
                .trim()
                .parse()
                .unwrap()
        })
        .collect()
}

fn interested(net: &Network, request: i64, partner: i64, extra: &[&str]) {
    let (r, p) = (request.to_string(), partner.to_string());
    let mut args = vec!["recruit", "respond", r.as_str(), p.as_str(), "--interested"];
    args.extend_from_slice(extra);
    net.ok(&args);
}

fn score(net: &Network, request: i64, partner: i64, scores: &[(&str, u8)]) {
    let (r, p) = (request.to_string(), partner.to_string());
    let given: Vec<String> = scores.iter().map(|(c, s)| format!("{c}={s}")).collect();
    let mut args = vec!["select", "score", r.as_str(), p.as_str()];
    for g in &given {
        args.extend(["--score", g.as_str()]);
    }
    net.ok(&args);
}

/// Runs engage on another day, insisting it succeeded.
fn ok_on(net: &Network, day: &str, args: &[&str]) -> String {
    let output = net.cmd().env("ENGAGE_TODAY", day).args(args).output().unwrap();
    assert!(output.status.success(), "engage {args:?}: {}", String::from_utf8_lossy(&output.stderr));
    String::from_utf8(output.stdout).unwrap()
}

fn ids(partners: &[i64]) -> String {
    partners.iter().map(i64::to_string).collect::<Vec<_>>().join(",")
}

/// An earlier engagement: a request decided on `day` with `partners` selected, closed when
/// `closed` (closing is another command's work, so the test sets the status itself).
fn past(net: &Network, day: &str, partners: &[i64], closed: bool) -> i64 {
    let seats = partners.len().max(2).to_string();
    let id: i64 = ok_on(
        net,
        day,
        &[
            "request",
            "new",
            "--title",
            "Earlier engagement",
            "--org",
            "Island Health",
            "--contact-name",
            "Kim Lee",
            "--contact-email",
            "kim@example.org",
            "--way",
            "consult",
            "--seats",
            &seats,
        ],
    )
    .trim()
    .parse()
    .unwrap();
    for p in partners {
        ok_on(net, day, &["recruit", "respond", &id.to_string(), &p.to_string(), "--interested"]);
    }
    ok_on(net, day, &["select", "decide", &id.to_string(), "--select", &ids(partners)]);
    if closed {
        net.exec(&format!("UPDATE request SET status = 'closed' WHERE id = {id}"));
        // Written behind engage's back: what the reports keep is worked out again, as a
        // coordinator would after such a change.
        ok_on(net, day, &["db", "check", "--repair"]);
    }
    id
}

/// A request (2 seats unless `flags` say otherwise, criteria experience!,speaking) with these
/// partners interested and scored 2 on each criterion.
fn open_request(net: &Network, flags: &[&str], partners: &[i64]) -> i64 {
    let mut all = vec!["--criteria", "experience!,speaking"];
    all.extend_from_slice(flags);
    let id = net.request(&all);
    for p in partners {
        interested(net, id, *p, &[]);
        score(net, id, *p, &[("experience", 2), ("speaking", 2)]);
    }
    id
}

/// Everything selection writes, to show that a refusal changed nothing.
fn snapshot(net: &Network) -> String {
    let conn = net.conn();
    let mut out = String::new();
    for sql in [
        "SELECT request_id, partner_id, outcome, coalesce(reason, ''), decided_on, coalesce(notified_on, ''), \
         coalesce(welcomed_on, '') || coalesce(oriented_on, '') || coalesce(introduced_on, '') FROM decision ORDER BY 1, 2",
        "SELECT request_id, partner_id, criterion, score, '', '', '' FROM score ORDER BY 1, 2, 3",
        "SELECT id, status, '', '', '', '', '' FROM request ORDER BY id",
        "SELECT id, coalesce(commitments_signed_on, ''), coalesce(record_check_on, ''), '', '', '', '' FROM partner ORDER BY id",
        "SELECT count(*), '', '', '', '', '', '' FROM event",
    ] {
        let mut stmt = conn.prepare(sql).unwrap();
        let rows = stmt
            .query_map([], |r| {
                let mut cells = Vec::new();
                for i in 0..7 {
                    cells.push(match r.get_ref(i)? {
                        rusqlite::types::ValueRef::Integer(n) => n.to_string(),
                        rusqlite::types::ValueRef::Text(t) => String::from_utf8_lossy(t).into_owned(),
                        _ => String::new(),
                    });
                }
                Ok(cells.join("|"))
            })
            .unwrap();
        for row in rows {
            out.push_str(&row.unwrap());
            out.push('\n');
        }
    }
    out
}

/// (partner, outcome, reason) for each decision of a request.
fn decisions(net: &Network, request: i64) -> Vec<(i64, String, Option<String>)> {
    net.conn()
        .prepare("SELECT partner_id, outcome, reason FROM decision WHERE request_id = ?1 ORDER BY partner_id")
        .unwrap()
        .query_map([request], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap()
}

fn status(net: &Network, request: i64) -> String {
    net.conn().query_row("SELECT status FROM request WHERE id = ?1", [request], |r| r.get(0)).unwrap()
}

fn warnings(stderr: &str) -> Vec<&str> {
    stderr.lines().filter_map(|l| l.strip_prefix("warning: ")).collect()
}

/// A refusal: exit 1, one sentence, and the database as it was.
fn refused(net: &Network, args: &[&str], sentence: &str) {
    let before = snapshot(net);
    let run = net.run(args);
    assert_eq!(run.code, 1, "engage {args:?}: {}", run.stderr);
    assert_eq!(run.stderr, format!("engage: error: {sentence}\n"), "engage {args:?}");
    assert_eq!(run.stdout, "");
    assert_eq!(snapshot(net), before, "engage {args:?} changed the database");
}

/// A usage error: exit 2, the sentence, and the database as it was.
fn bad_input(net: &Network, args: &[&str], sentence: &str) {
    let before = snapshot(net);
    let run = net.run(args);
    assert_eq!(run.code, 2, "engage {args:?}: {}", run.stderr);
    assert!(run.stderr.starts_with(sentence), "engage {args:?}\nexpected: {sentence}\n     got: {}", run.stderr);
    assert_eq!(run.stderr.matches("error:").count(), 1, "{}", run.stderr);
    assert_eq!(run.stdout, "");
    assert_eq!(snapshot(net), before, "engage {args:?} changed the database");
}

#[test]
fn scoring_checks_its_input_and_starts_the_selection() {
    let net = Network::new();
    let [ana, ben, cleo] = add_partners(&net, &["Ana", "Ben", "Cleo"])[..] else { unreachable!() };
    let req = net.request(&["--criteria", "experience!,speaking"]);
    interested(&net, req, ana, &[]);
    net.ok(&["recruit", "respond", "1", &ben.to_string(), "--declined"]);
    assert_eq!(status(&net, req), "recruiting");

    bad_input(
        &net,
        &["select", "score", "1", "1"],
        "engage: error: select score needs --score CRITERION=N for each criterion to score, such as --score experience=3",
    );
    bad_input(
        &net,
        &["select", "score", "1", "1", "--score", "speak=2"],
        "engage: error: request 1 has no criterion 'speak'; its criteria are experience and speaking",
    );
    bad_input(
        &net,
        &["select", "score", "1", "1", "--score", "experience=4"],
        "engage: error: --score: experience: '4' is not a score; a score is 0 (not met), 1, 2 or 3 (strongly met)",
    );
    bad_input(
        &net,
        &["select", "score", "1", "1", "--score", "experience"],
        "engage: error: --score: 'experience' is not CRITERION=SCORE",
    );
    bad_input(
        &net,
        &["select", "score", "1", "1", "--score", "speaking=1", "--score", "speaking=2"],
        "engage: error: criterion 'speaking' is scored twice; give each criterion one score",
    );
    bad_input(
        &net,
        &["select", "score", "1", &ben.to_string(), "--score", "experience=2"],
        "engage: error: partner 2 is not an interested candidate for request 1 (they declined); `engage select rank 1` lists the candidates",
    );
    bad_input(
        &net,
        &["select", "score", "1", &cleo.to_string(), "--score", "experience=2"],
        "engage: error: partner 3 is not an interested candidate for request 1 (they were not invited and have not responded)",
    );
    refused(
        &net,
        &["select", "score", "1", "99", "--score", "experience=2"],
        "there is no partner 99; `engage recruit list` shows the network",
    );

    let run = net.run(&["select", "score", "1", "1", "--score", "experience=3"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        run.stderr,
        "Scored partner 1 (Ana Partner) for request 1: experience 3. Still to score: speaking.\nRequest 1 is now selecting.\n"
    );
    assert_eq!(status(&net, req), "selecting");
    let run = net.run(&["select", "score", "1", "1", "--score", "experience=0", "--score", "Speaking=1"]);
    assert_eq!(
        run.stderr,
        "Scored partner 1 (Ana Partner) for request 1: experience 0, speaking 1. Total 1 of 6.\n\
         warning: partner 1 is excluded: 0 on experience, a required criterion\n"
    );
    let rows: Vec<(String, i64, String, String)> = net
        .conn()
        .prepare("SELECT criterion, score, scored_by, scored_at FROM score ORDER BY criterion")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(
        rows,
        vec![
            ("experience".to_string(), 0, "coordinator".to_string(), "2026-11-23T00:00:00".to_string()),
            ("speaking".to_string(), 1, "coordinator".to_string(), "2026-11-23T00:00:00".to_string()),
        ]
    );
    let events: Vec<(String, Option<i64>, String)> = net
        .conn()
        .prepare("SELECT kind, partner_id, detail FROM event WHERE request_id = 1 AND kind IN ('scored', 'status_changed') ORDER BY id")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(
        events,
        vec![
            ("status_changed".to_string(), None, "submitted → recruiting".to_string()),
            ("scored".to_string(), Some(1), "experience".to_string()),
            ("status_changed".to_string(), None, "recruiting → selecting".to_string()),
            ("scored".to_string(), Some(1), "experience, speaking".to_string()),
        ]
    );
}

/// Twelve interested candidates of mixed experience for three seats, one required criterion, a
/// declared conflict of interest: the ranking and the decision, row by row.
#[test]
fn a_realistic_selection_of_three_from_twelve() {
    let net = Network::new();
    let names = ["Ana", "Ben", "Cleo", "Dev", "Eli", "Fay", "Gus", "Hana", "Ivo", "Jun", "Kai", "Lea", "Mo"];
    let partners = add_partners(&net, &names);
    assert_eq!(partners, (1..=13).collect::<Vec<i64>>());
    // Their history: 1-3 closed an engagement long ago, 4-5 recently; 6 is in one engagement now,
    // 7 in three.
    past(&net, "2025-02-01", &[1, 2, 3], true);
    past(&net, "2026-03-01", &[4, 5], true);
    past(&net, "2026-09-01", &[6], false);
    for day in ["2026-05-01", "2026-06-01", "2026-07-01"] {
        past(&net, day, &[7], false);
    }
    net.ok(&["recruit", "edit", "1", "--commitments-signed", "2026-01-15", "--record-check", "2026-01-20"]);
    net.ok(&["recruit", "edit", "9", "--commitments-signed", "2024-10-01", "--record-check", "2026-02-02"]);

    let req = net.request(&[
        "--seats",
        "3",
        "--criteria",
        "experience!,speaking,listening:2",
        "--starts",
        "2027-01-10",
        "--record-check",
    ]);
    assert_eq!(req, 7);
    for p in 1..=12 {
        let extra: &[&str] = match p {
            9 => &["--conflict", "sits on the hospital foundation board", "--statement", "my father's discharge"],
            _ => &[],
        };
        interested(&net, req, p, extra);
    }
    net.ok(&["recruit", "respond", "7", "13", "--declined"]);
    let scores: [(i64, &[(&str, u8)]); 12] = [
        (1, &[("experience", 3), ("speaking", 3), ("listening", 3)]),
        (2, &[("experience", 3), ("speaking", 2), ("listening", 3)]),
        (3, &[("experience", 2), ("speaking", 2), ("listening", 2)]),
        (4, &[("experience", 3), ("speaking", 3), ("listening", 2)]),
        (5, &[("experience", 2), ("speaking", 3), ("listening", 2)]),
        (6, &[("experience", 3), ("speaking", 2), ("listening", 2)]),
        (7, &[("experience", 3), ("speaking", 3), ("listening", 3)]),
        (8, &[("experience", 0), ("speaking", 3), ("listening", 3)]),
        (9, &[("experience", 3), ("speaking", 3), ("listening", 2)]),
        (10, &[("experience", 2), ("speaking", 2), ("listening", 3)]),
        (11, &[("experience", 1), ("speaking", 1), ("listening", 1)]),
        (12, &[("experience", 2)]),
    ];
    for (p, s) in scores {
        score(&net, req, p, s);
    }

    let ranking = net.json(&["select", "rank", "7"]);
    // rank, partner, total, excluded by, experienced, completed, in the last 12 months, active now,
    // commitments
    let keys = [
        "rank",
        "partner_id",
        "total",
        "excluded_by",
        "experienced",
        "completed_engagements",
        "engagements_12_months",
        "active_engagements",
        "commitments",
    ];
    let rows: Vec<Value> = ranking
        .as_array()
        .unwrap()
        .iter()
        .map(|r| Value::Array(keys.iter().map(|k| r[*k].clone()).collect()))
        .collect();
    use serde_json::json;
    assert_eq!(
        rows,
        vec![
            // Ties on total go to fewer engagements in the last 12 months: 1 before 7.
            json!([1, 1, 12, null, true, 1, 0, 0, "valid"]),
            json!([2, 7, 12, null, false, 0, 3, 3, "missing"]),
            json!([3, 2, 11, null, true, 1, 0, 0, "missing"]),
            // Equal on total and on recent engagements: one rank, by id.
            json!([4, 9, 10, null, false, 0, 0, 0, "expired"]),
            json!([4, 10, 10, null, false, 0, 0, 0, "missing"]),
            json!([6, 4, 10, null, true, 1, 1, 0, "missing"]),
            json!([7, 5, 9, null, true, 1, 1, 0, "missing"]),
            json!([7, 6, 9, null, false, 0, 1, 1, "missing"]),
            json!([9, 3, 8, null, true, 1, 0, 0, "missing"]),
            json!([10, 11, 4, null, false, 0, 0, 0, "missing"]),
            json!([11, 12, 2, null, false, 0, 0, 0, "missing"]),
            // A 0 on the required criterion excludes, whatever the total.
            json!([null, 8, 9, "experience", false, 0, 0, 0, "missing"]),
        ]
    );
    assert_eq!(ranking[10]["missing"], serde_json::json!(["speaking", "listening"]));
    assert_eq!(ranking[3]["conflict"], "sits on the hospital foundation board");
    assert_eq!(ranking[0]["scores"], serde_json::json!(["experience=3", "speaking=3", "listening=3"]));
    assert_eq!(ranking[0]["max_total"], 12);
    assert!(ranking.as_array().unwrap().iter().all(|r| r["partner_id"] != 13), "a declined partner is no candidate");

    // The table says why, in words.
    let run = net.run(&["select", "rank", "7"]);
    assert_eq!(run.code, 0);
    let gus = run.stdout.lines().find(|l| l.contains("Gus Partner")).unwrap();
    assert!(gus.contains("| 12/12 |"), "{gus}");
    assert!(
        gus.contains(
            "new (0 completed engagements); 3 engagements in the last 12 months; 3 active engagements now; commitments not signed; no record check on file (required)"
        ),
        "{gus}"
    );
    let hana = run.stdout.lines().find(|l| l.contains("Hana Partner")).unwrap();
    assert!(hana.starts_with("| excluded "), "{hana}");
    assert!(hana.contains("excluded: 0 on required experience;"), "{hana}");
    let ivo = run.stdout.lines().find(|l| l.contains("Ivo Partner")).unwrap();
    assert!(
        ivo.contains("conflict of interest declared; commitments signed 2024-10-01, expired 2026-10-01; record check on file (2026-02-02)"),
        "{ivo}"
    );
    assert_eq!(
        run.stderr,
        "Request 7: 12 candidates for 3 seats; criteria experience (required), speaking and listening (weight 2); \
         ties go to fewer engagements in the last 12 months. 1 candidate is excluded by a required criterion.\n\
         1 candidate is not fully scored: `engage select score 7 PARTNER --score CRITERION=N`, or `engage select 7` on a terminal.\n"
    );

    // The rules refuse, and nothing changes.
    refused(
        &net,
        &["select", "decide", "7", "--select", "1,9,10,2"],
        "4 partners are selected for 3 seats; select at most 3, or pass --force to select more partners than seats",
    );
    refused(
        &net,
        &["select", "decide", "7", "--select", "1,9,10", "--waitlist", "2,4"],
        "partner 9 declared a conflict of interest; selecting them needs a reason: --reason 9='why the conflict does not stand in the way'",
    );
    refused(
        &net,
        &["select", "decide", "7", "--select", "1,8,10"],
        "partner 8 is excluded: 0 on experience, a required criterion; an excluded candidate is neither selected nor waitlisted (rescore with `engage select score` if the 0 was a mistake)",
    );
    bad_input(
        &net,
        &["select", "decide", "7", "--select", "1,13"],
        "engage: error: partner 13 is not an interested candidate for request 7; the candidates are 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11 and 12",
    );
    assert_eq!(status(&net, req), "selecting");

    let run = net.run(&[
        "select",
        "decide",
        "7",
        "--select",
        "1,9,10",
        "--waitlist",
        "2,4",
        "--reason",
        "9=the foundation board has no part in discharge planning",
        "--reason",
        "2=next in line",
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        run.stderr,
        "warning: partner 9's signature of the Patient Partner Commitments is not valid on 2027-01-10 (it expired 2026-10-01); they sign again before they start\n\
         warning: partner 10 has not signed the Patient Partner Commitments; they sign before they start\n\
         warning: request 7 requires a criminal record check and partner 10 has none on file\n\
         Decided request 7: selected 1, 9 and 10; waitlisted 2 and 4; 7 not selected. The request is active.\n\
         Next: tell every candidate the outcome (`engage select notify 7`), and onboard the selected (`engage select onboard 7 PARTNER`).\n"
    );
    let s = |o: &str| o.to_string();
    assert_eq!(
        decisions(&net, req),
        vec![
            (1, s("selected"), None),
            (2, s("waitlisted"), Some(s("next in line"))),
            (3, s("not_selected"), None),
            (4, s("waitlisted"), None),
            (5, s("not_selected"), None),
            (6, s("not_selected"), None),
            (7, s("not_selected"), None),
            (8, s("not_selected"), None),
            (9, s("selected"), Some(s("the foundation board has no part in discharge planning"))),
            (10, s("selected"), None),
            (11, s("not_selected"), None),
            (12, s("not_selected"), None),
        ]
    );
    assert_eq!(status(&net, req), "active");
    let decided_on: Vec<String> = net
        .conn()
        .prepare("SELECT DISTINCT decided_on FROM decision WHERE request_id = 7")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(decided_on, vec!["2026-11-23".to_string()]);

    // The log has every decision and every warning, by id, and nothing personal.
    let events: Vec<(String, Option<i64>, String)> = net
        .conn()
        .prepare(
            "SELECT kind, partner_id, detail FROM event WHERE request_id = 7 \
             AND kind IN ('decision', 'decision_warning', 'decided', 'status_changed') ORDER BY id",
        )
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    let decision_events: Vec<(Option<i64>, &str)> =
        events.iter().filter(|e| e.0 == "decision").map(|e| (e.1, e.2.as_str())).collect();
    assert_eq!(decision_events.len(), 12);
    assert_eq!(decision_events[1], (Some(2), "waitlisted, with a reason"));
    assert_eq!(decision_events[8], (Some(9), "selected, with a reason, conflict of interest declared"));
    let tail: Vec<(String, Option<i64>, String)> =
        events.into_iter().skip_while(|e| e.0 != "decision_warning").collect();
    assert_eq!(
        tail,
        vec![
            (
                s("decision_warning"),
                Some(9),
                s(
                    "partner 9's signature of the Patient Partner Commitments is not valid on 2027-01-10 (it expired 2026-10-01); they sign again before they start"
                )
            ),
            (
                s("decision_warning"),
                Some(10),
                s("partner 10 has not signed the Patient Partner Commitments; they sign before they start")
            ),
            (
                s("decision_warning"),
                Some(10),
                s("request 7 requires a criminal record check and partner 10 has none on file")
            ),
            (s("decided"), None, s("selected 1, 9 and 10; waitlisted 2 and 4; 7 not selected; 3 seats")),
            (s("status_changed"), None, s("selecting → active")),
        ]
    );
    let mut personal: Vec<String> =
        names.iter().map(|n| format!("{n} Partner")).chain(["example.org".to_string()]).collect();
    personal.extend(["foundation".to_string(), "next in line".to_string(), "father".to_string()]);
    for text in &personal {
        let found: i64 = net
            .conn()
            .query_row("SELECT count(*) FROM event WHERE instr(detail, ?1) > 0", [text], |r| r.get(0))
            .unwrap();
        assert_eq!(found, 0, "the event log holds '{text}'");
    }

    // The ranking now shows each decision.
    let after = net.json(&["select", "rank", "7"]);
    assert_eq!(after[0]["decision"], "selected");
    assert_eq!(after[1]["decision"], "not_selected");
}

#[test]
fn fewer_than_two_selected_warns_and_is_recorded() {
    let net = Network::new();
    let partners = add_partners(&net, &["Ana", "Ben"]);
    let req = open_request(&net, &[], &partners);
    let run = net.run(&["select", "decide", "1", "--select", "1"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        warnings(&run.stderr)[0],
        "only 1 partner is selected: always try to include at least two patient partners"
    );
    assert_eq!(decisions(&net, req), vec![(1, "selected".to_string(), None), (2, "not_selected".to_string(), None)]);
    // The decisions are printed for scripts too.
    let listing = run.stdout;
    assert!(listing.contains("| 1          | Ana Partner | Selected     |"), "{listing}");
}

#[test]
fn more_partners_than_seats_are_refused_unless_forced() {
    let net = Network::new();
    let partners = add_partners(&net, &["Ana", "Ben", "Cleo"]);
    let req = open_request(&net, &[], &partners);
    refused(
        &net,
        &["select", "decide", "1", "--select", "1,2,3"],
        "3 partners are selected for 2 seats; select at most 2, or pass --force to select more partners than seats",
    );
    assert_eq!(status(&net, req), "selecting");
    let run = net.run(&["select", "decide", "1", "--select", "1,2,3", "--force", "--format", "json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(warnings(&run.stderr).contains(&"3 partners are selected for 2 seats (--force)"), "{}", run.stderr);
    let json: Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(json.as_array().unwrap().len(), 3);
    assert!(json.as_array().unwrap().iter().all(|d| d["outcome"] == "selected"));
    assert_eq!(status(&net, req), "active");
    let detail: String =
        net.conn().query_row("SELECT detail FROM event WHERE kind = 'decided'", [], |r| r.get(0)).unwrap();
    assert_eq!(detail, "selected 1, 2 and 3; 0 not selected; 2 seats (--force)");
}

#[test]
fn an_all_new_or_all_experienced_selection_warns() {
    let net = Network::new();
    let partners = add_partners(&net, &["Ana", "Ben", "Cleo", "Dev"]);
    past(&net, "2025-06-01", &[1, 2], true);
    let mix = "mix newer and experienced partners so knowledge is passed on";

    let req = open_request(&net, &[], &partners);
    let run = net.run(&["select", "decide", &req.to_string(), "--select", "3,4"]);
    assert_eq!(warnings(&run.stderr)[0], format!("both selected partners are new: {mix}"));

    let req = open_request(&net, &["--seats", "3"], &partners);
    let run = net.run(&["select", "decide", &req.to_string(), "--select", "1,2"]);
    assert_eq!(warnings(&run.stderr)[0], format!("both selected partners are experienced: {mix}"));

    let req = open_request(&net, &["--seats", "3"], &partners);
    let run = net.run(&["select", "decide", &req.to_string(), "--select", "1,3,4"]);
    assert_eq!(run.code, 0);
    assert!(!run.stderr.contains(mix), "{}", run.stderr);

    // experienced_after is the network's setting.
    net.ok(&["config", "set", "experienced_after", "2"]);
    let req = open_request(&net, &[], &partners);
    let run = net.run(&["select", "decide", &req.to_string(), "--select", "1,2"]);
    assert_eq!(warnings(&run.stderr)[0], format!("both selected partners are new: {mix}"));
}

#[test]
fn a_partner_already_at_max_active_engagements_warns() {
    let net = Network::new();
    let partners = add_partners(&net, &["Ana", "Ben"]);
    for day in ["2026-05-01", "2026-06-01", "2026-07-01"] {
        past(&net, day, &[1], false);
    }
    let req = open_request(&net, &[], &partners);
    let run = net.run(&["select", "decide", &req.to_string(), "--select", "1,2"]);
    assert_eq!(run.code, 0);
    assert!(
        warnings(&run.stderr).contains(
            &"partner 1 is already in 3 active engagements (max_active_per_partner is 3): share opportunities fairly"
        ),
        "{}",
        run.stderr
    );
    assert!(!run.stderr.contains("partner 2 is already"));
}

#[test]
fn missing_or_expired_commitments_and_a_missing_record_check_are_flagged() {
    let net = Network::new();
    let partners = add_partners(&net, &["Ana", "Ben", "Cleo"]);
    net.ok(&["recruit", "edit", "2", "--commitments-signed", "2024-11-01", "--record-check", "2026-01-01"]);
    net.ok(&["recruit", "edit", "3", "--commitments-signed", "2026-02-01", "--record-check", "2026-01-01"]);
    let req = open_request(&net, &["--record-check", "--seats", "3"], &partners);
    let run = net.run(&["select", "decide", &req.to_string(), "--select", "1,2,3"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        warnings(&run.stderr),
        vec![
            "all 3 selected partners are new: mix newer and experienced partners so knowledge is passed on",
            "partner 1 has not signed the Patient Partner Commitments; they sign before they start",
            "request 1 requires a criminal record check and partner 1 has none on file",
            "partner 2's signature of the Patient Partner Commitments is not valid on 2026-11-23 (it expired 2026-11-01); they sign again before they start",
        ]
    );
}

#[test]
fn a_declared_conflict_needs_a_reason_to_be_selected() {
    let net = Network::new();
    let partners = add_partners(&net, &["Ana", "Ben"]);
    let req = open_request(&net, &[], &partners[..1]);
    interested(&net, req, 2, &["--conflict", "my sister manages the unit"]);
    score(&net, req, 2, &[("experience", 3), ("speaking", 3)]);
    refused(
        &net,
        &["select", "decide", "1", "--select", "1,2"],
        "partner 2 declared a conflict of interest; selecting them needs a reason: --reason 2='why the conflict does not stand in the way'",
    );
    // Waitlisting needs no reason; the reason is asked when they are selected.
    net.ok(&["select", "decide", "1", "--select", "1", "--waitlist", "2"]);
    net.ok(&["select", "decide", "1", "--select", "1,2", "--redecide", "--reason", "2=she is on leave all year"]);
    assert_eq!(
        decisions(&net, req),
        vec![
            (1, "selected".to_string(), None),
            (2, "selected".to_string(), Some("she is on leave all year".to_string()))
        ]
    );
}

#[test]
fn deciding_again_needs_redecide_and_keeps_what_still_holds() {
    let net = Network::new();
    let partners = add_partners(&net, &["Ana", "Ben", "Cleo"]);
    open_request(&net, &[], &partners);
    net.ok(&["select", "decide", "1", "--select", "1,2", "--waitlist", "3", "--reason", "1=strong lived experience"]);
    net.ok(&["select", "notify", "1"]);
    net.ok(&["select", "onboard", "1", "1", "--welcomed", "today"]);
    refused(
        &net,
        &["select", "decide", "1", "--select", "1,3"],
        "request 1 was decided on 2026-11-23 (2 selected, 1 waitlisted, 0 not selected); pass --redecide to make the decision again",
    );
    // Ben withdraws; Cleo moves up from the waitlist, a day later.
    let out = net
        .cmd()
        .env("ENGAGE_TODAY", "2026-11-24")
        .args(["select", "decide", "1", "--select", "1,3", "--redecide", "--reason", "3=moved up from the waitlist"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(
        stderr
            .lines()
            .any(|l| l == "Decided request 1 again: selected 1 and 3; 1 not selected. The request is active."),
        "{stderr}"
    );
    type Row = (i64, String, Option<String>, String, Option<String>, Option<String>);
    let rows: Vec<Row> = net
        .conn()
        .prepare("SELECT partner_id, outcome, reason, decided_on, notified_on, welcomed_on FROM decision ORDER BY partner_id")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    let s = |v: &str| v.to_string();
    assert_eq!(
        rows,
        vec![
            // Unchanged: keeps its reason, date, notification and onboarding.
            (
                1,
                s("selected"),
                Some(s("strong lived experience")),
                s("2026-11-23"),
                Some(s("2026-11-23")),
                Some(s("2026-11-23"))
            ),
            // Changed: dated anew, and to be told again.
            (2, s("not_selected"), None, s("2026-11-24"), None, None),
            (3, s("selected"), Some(s("moved up from the waitlist")), s("2026-11-24"), None, None),
        ]
    );
    let kinds: i64 =
        net.conn().query_row("SELECT count(*) FROM event WHERE kind = 'redecided'", [], |r| r.get(0)).unwrap();
    assert_eq!(kinds, 1);
}

#[test]
fn bad_decide_input_names_the_value_and_changes_nothing() {
    let net = Network::new();
    let partners = add_partners(&net, &["Ana", "Ben"]);
    open_request(&net, &[], &partners);
    bad_input(
        &net,
        &["select", "decide", "1", "--select", "1,x"],
        "engage: error: --select: 'x' is not a partner id; give ids separated by commas, such as 4,9",
    );
    bad_input(
        &net,
        &["select", "decide", "1", "--select", "1", "--waitlist", "1"],
        "engage: error: partner 1 is both selected and waitlisted; give each partner one outcome",
    );
    bad_input(
        &net,
        &["select", "decide", "1", "--select", "1", "--reason", "Ana=good"],
        "engage: error: --reason: 'Ana=good' is not PARTNER='reason'",
    );
    bad_input(
        &net,
        &["select", "decide", "1", "--select", "1", "--reason", "1=a", "--reason", "1=b"],
        "engage: error: --reason is given twice for partner 1; give one reason each",
    );
    bad_input(
        &net,
        &["select", "decide", "1", "--select", "1", "--reason", "7=why"],
        "engage: error: partner 7 is not an interested candidate for request 1; the candidates are 1 and 2",
    );
    bad_input(&net, &["select", "decide", "1"], "engage: error: the following required arguments were not provided:");
    refused(
        &net,
        &["select", "decide", "9", "--select", "1"],
        "there is no request 9; `engage request list` shows the requests",
    );
    let empty = net.request(&[]);
    refused(
        &net,
        &["select", "decide", &empty.to_string(), "--select", "1"],
        "nobody has said they are interested in request 2 yet; `engage recruit respond 2 PARTNER --interested` records an expression of interest",
    );
}

#[test]
fn notify_marks_the_decisions_told_and_lists_whom_to_tell() {
    let net = Network::new();
    let partners = add_partners(&net, &["Ana", "Ben", "Cleo"]);
    let req = open_request(&net, &[], &partners);
    refused(
        &net,
        &["select", "notify", "1"],
        "request 1 has no decision yet; `engage select decide 1 --select IDS` makes it",
    );
    net.ok(&["select", "decide", "1", "--select", "1,2"]);
    bad_input(
        &net,
        &["select", "notify", "1", "--on", "2026-11-30"],
        "engage: error: --on 2026-11-30 is after today (2026-11-23); record a step on or after the day it happened",
    );
    bad_input(
        &net,
        &["select", "notify", "1", "--on", "2026-11-01"],
        "engage: error: --on 2026-11-01 is before the decision on 2026-11-23; candidates are told after it is made",
    );

    let before = snapshot(&net);
    let dry = net.run(&["select", "notify", "1", "--dry-run", "--format", "csv"]);
    assert_eq!(dry.code, 0);
    assert_eq!(
        dry.stdout,
        "\"partner_id\",\"name\",\"email\",\"phone\",\"preferred_contact\",\"outcome\"\n\
         1,\"Ana Partner\",\"ana@example.org\",\"\",\"\",\"selected\"\n\
         2,\"Ben Partner\",\"ben@example.org\",\"\",\"\",\"selected\"\n\
         3,\"Cleo Partner\",\"cleo@example.org\",\"\",\"\",\"not_selected\"\n"
    );
    assert_eq!(
        dry.stderr,
        "Would mark 3 decisions of request 1 as told on 2026-11-23 (2 selected, 0 waitlisted, 1 not selected).\n"
    );
    assert_eq!(snapshot(&net), before);

    let run = net.run(&["select", "notify", "1"]);
    assert_eq!(
        run.stderr,
        "Marked 3 decisions of request 1 as told on 2026-11-23 (2 selected, 0 waitlisted, 1 not selected).\n"
    );
    let told: Vec<Option<String>> = net
        .conn()
        .prepare("SELECT notified_on FROM decision WHERE request_id = ?1")
        .unwrap()
        .query_map([req], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(told, vec![Some("2026-11-23".to_string()); 3]);
    let again = net.run(&["select", "notify", "1"]);
    assert_eq!((again.code, again.stdout.as_str()), (0, ""));
    assert_eq!(again.stderr, "Every candidate of request 1 was already told; nothing changed.\n");
    let events: i64 =
        net.conn().query_row("SELECT count(*) FROM event WHERE kind = 'notified'", [], |r| r.get(0)).unwrap();
    assert_eq!(events, 4, "one per candidate and one for the request");
}

#[test]
fn onboarding_records_the_steps_and_the_partners_commitments() {
    let net = Network::new();
    let partners = add_partners(&net, &["Ana", "Ben", "Cleo"]);
    let req = open_request(&net, &["--record-check"], &partners);
    net.ok(&["select", "decide", "1", "--select", "1,2", "--waitlist", "3"]);
    refused(
        &net,
        &["select", "onboard", "1", "3", "--welcomed", "today"],
        "partner 3 is waitlisted in request 1; only selected partners are onboarded",
    );
    bad_input(
        &net,
        &["select", "onboard", "1", "1", "--welcomed", "2026-12-01"],
        "engage: error: --welcomed 2026-12-01 is after today (2026-11-23); record a step on or after the day it happened",
    );
    bad_input(
        &net,
        &["select", "onboard", "1", "1", "--oriented", "2026-11-01"],
        "engage: error: --oriented 2026-11-01 is before partner 1 was selected on 2026-11-23; onboarding comes after the decision",
    );
    bad_input(
        &net,
        &["select", "onboard", "1", "1", "--introduced", "soon"],
        "engage: error: --introduced: 'soon' is not a date; use YYYY-MM-DD",
    );

    let run = net.run(&["select", "onboard", "1", "1", "--commitments-signed", "2026-11-20", "--welcomed", "today"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        run.stderr,
        "Onboarding of partner 1 (Ana Partner) in request 1: commitments signed 2026-11-20, welcomed 2026-11-23. \
         Still to do: record check, oriented, introduced.\n\
         warning: request 1 requires a criminal record check and partner 1 has none on file \
         (`engage select onboard 1 1 --record-check DATE`)\n"
    );
    net.ok(&[
        "select",
        "onboard",
        "1",
        "1",
        "--record-check",
        "2026-11-21",
        "--oriented",
        "today",
        "--introduced",
        "today",
    ]);
    let shown = net.json(&["select", "onboard", "1", "1"]);
    assert_eq!(shown["commitments"], "signed 2026-11-20, valid until 2028-11-18");
    assert_eq!(shown["welcomed_on"], "2026-11-23");
    assert_eq!(shown["record_check_on"], "2026-11-21");
    assert_eq!(shown["still_to_do"], serde_json::json!([]));
    let partner: (String, String) = net
        .conn()
        .query_row("SELECT commitments_signed_on, record_check_on FROM partner WHERE id = 1", [], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .unwrap();
    assert_eq!(partner, ("2026-11-20".to_string(), "2026-11-21".to_string()));
    let steps: (String, String, String) = net
        .conn()
        .query_row(
            "SELECT welcomed_on, oriented_on, introduced_on FROM decision WHERE request_id = ?1 AND partner_id = 1",
            [req],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .unwrap();
    assert_eq!(steps, ("2026-11-23".to_string(), "2026-11-23".to_string(), "2026-11-23".to_string()));
    let details: Vec<String> = net
        .conn()
        .prepare("SELECT detail FROM event WHERE kind = 'onboarding' ORDER BY id")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(
        details,
        vec![
            "commitments signed 2026-11-20, welcomed 2026-11-23",
            "record check 2026-11-21, oriented 2026-11-23, introduced to the team 2026-11-23"
        ]
    );
    // A signature counts for the partner's next engagements too.
    let next = open_request(&net, &[], &partners[..2]);
    let ranking = net.json(&["select", "rank", &next.to_string()]);
    let ana = ranking.as_array().unwrap().iter().find(|r| r["partner_id"] == 1).unwrap();
    assert_eq!(ana["commitments"], "valid");
}

#[test]
fn the_roster_holds_the_selected_partners_only() {
    let net = Network::new();
    let partners = add_partners(&net, &["Ana", "Ben", "Cleo"]);
    net.ok(&[
        "recruit",
        "edit",
        "1",
        "--pronouns",
        "she/her",
        "--phone",
        "604-555-0101",
        "--accessibility-needs",
        "step-free access; captions",
        "--languages",
        "English, Portuguese",
    ]);
    let req = open_request(&net, &[], &partners);
    net.run(&["recruit", "respond", "1", "1", "--interested", "--availability", "Tuesday evenings"]);
    let empty = net.run(&["select", "roster", "1"]);
    assert_eq!(
        (empty.code, empty.stdout.as_str(), empty.stderr.as_str()),
        (0, "", "Request 1 has nobody selected yet; `engage select decide 1 --select IDS` chooses.\n")
    );
    net.ok(&["select", "decide", &req.to_string(), "--select", "1,2", "--waitlist", "3"]);
    let roster = net.json(&["select", "roster", "1"]);
    assert_eq!(
        roster,
        serde_json::json!([
            {
                "partner_id": 1,
                "name": "Ana Partner",
                "pronouns": "she/her",
                "email": "ana@example.org",
                "phone": "604-555-0101",
                "preferred_contact": null,
                "languages": ["English", "Portuguese"],
                "accessibility_needs": "step-free access; captions",
                "availability": "Tuesday evenings"
            },
            {
                "partner_id": 2,
                "name": "Ben Partner",
                "pronouns": null,
                "email": "ben@example.org",
                "phone": null,
                "preferred_contact": null,
                "languages": [],
                "accessibility_needs": null,
                "availability": null
            }
        ])
    );
    let csv = net.run(&["select", "roster", "1", "--format", "csv"]);
    assert!(!csv.stdout.contains("Cleo") && !csv.stdout.contains("cleo@"), "{}", csv.stdout);
    assert_eq!(csv.stdout.lines().count(), 3);
    assert_eq!(
        csv.stderr,
        "Roster of request 1 (Discharge co-design): 2 selected partners, for Lee Wong at Fraser Health only.\n"
    );
}

#[test]
fn criteria_already_scored_are_kept_by_request_edit() {
    let net = Network::new();
    let partners = add_partners(&net, &["Ana"]);
    open_request(&net, &[], &partners);
    refused(
        &net,
        &["request", "edit", "1", "--criteria", "experience!,listening"],
        "request 1 already has scores on speaking; --criteria must keep that criterion (weights and required marks may change)",
    );
    let run = net.run(&["request", "edit", "1", "--criteria", "experience,speaking:3,listening"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let ranking = net.json(&["select", "rank", "1"]);
    assert_eq!(ranking[0]["total"], 2 + 2 * 3);
    assert_eq!(ranking[0]["max_total"], 3 + 9 + 3);
    assert_eq!(ranking[0]["missing"], serde_json::json!(["listening"]));
    assert_eq!(net.count("score"), 2);
}

#[test]
fn off_a_terminal_the_guided_flow_names_the_commands_to_use() {
    let net = Network::new();
    let partners = add_partners(&net, &["Ana"]);
    open_request(&net, &[], &partners);
    bad_input(
        &net,
        &["select", "1"],
        "engage: error: `engage select 1` is guided and needs a terminal; in a script, score with \
         `engage select score 1 PARTNER --score CRITERION=N`, rank with `engage select rank 1` and decide with \
         `engage select decide 1 --select IDS`\n",
    );
    bad_input(&net, &["--no-input", "select", "1"], "engage: error: `engage select 1` is guided and needs a terminal");
}

/// Request 2 (2 seats, criteria experience!,speaking): Ana experienced, Ben and Dev new, Cleo new
/// with a declared conflict.
fn guided_setup(net: &Network) -> i64 {
    let partners = add_partners(net, &["Ana", "Ben", "Cleo", "Dev"]);
    past(net, "2025-03-01", &[1], true);
    let req = net.request(&["--criteria", "experience!,speaking", "--starts", "2027-01-10"]);
    interested(net, req, partners[0], &["--statement", "I was discharged twice last year"]);
    interested(net, req, partners[1], &[]);
    interested(net, req, partners[2], &["--conflict", "I volunteer at the hospital"]);
    interested(net, req, partners[3], &[]);
    req
}

#[test]
fn the_guided_flow_can_be_left_and_resumed() {
    let net = Network::new();
    let req = guided_setup(&net);
    assert_eq!(req, 2);
    let first = [
        "3", // Ana: experience
        "5", // speaking: not a score, asked again
        "2", //
        "2", // Ben: experience
        "q", // stop
    ];
    let (result, run, prompter) = net.at_terminal(&["select", "2"], &first);
    assert!(result.is_ok(), "{result:?}\n{:#?}", prompter.transcript);
    assert_eq!(prompter.remaining(), 0);
    assert_eq!(run.stderr, "Stopped. The scores given are kept; `engage select 2` takes up where you left off.\n");
    let t = &prompter.transcript;
    assert_eq!(t[0], "Request 2: Discharge co-design for Fraser Health (2 seats); 4 candidates interested.");
    assert_eq!(t[1], "Criteria: experience (required) and speaking.");
    let ana = t.iter().position(|l| l == "Candidate 1 of 4: partner 1, Ana Partner").unwrap();
    assert_eq!(
        t[ana + 1..ana + 10],
        [
            "  Statement of interest: I was discharged twice last year",
            "  Availability: (not given)",
            "  Region and community: (not given)",
            "  Topics: (none)",
            "  Lived experience: (not given)",
            "  Experience: experienced (1 completed engagement); 0 engagements in the last 12 months; 0 active engagements now",
            "  Commitments: not signed",
            "  Record check: no record check on file",
            "  Conflict of interest: none declared",
        ]
    );
    // The question is one short line; what the criterion means was said once, before the first
    // candidate. (It used to be part of each question, which wrapped and was printed twice.)
    assert_eq!(t[ana + 10], "? experience (required), 0-3");
    let glossary = t.iter().position(|l| l == "Score each candidate from 0 (not met) to 3 (strongly met) on:").unwrap();
    assert_eq!(
        t[glossary + 1..glossary + 3],
        [
            "  experience (required): significant and recent experience of health or social services.",
            "  speaking: comfort speaking in a group about one's experience with candour.",
        ]
    );
    assert!(glossary < ana);
    let refused = t.iter().position(|l| l.starts_with("'5' is not a score")).unwrap();
    assert_eq!(
        t[refused],
        "'5' is not a score; a score is 0 (not met), 1, 2 or 3 (strongly met); or leave it empty to score it later, or q to stop"
    );
    assert_eq!(t[refused + 1], "? speaking, 0-3");
    let scores: Vec<(i64, String, i64)> = net
        .conn()
        .prepare("SELECT partner_id, criterion, score FROM score WHERE request_id = 2 ORDER BY 1, 2")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    let s = |v: &str| v.to_string();
    assert_eq!(scores, vec![(1, s("experience"), 3), (1, s("speaking"), 2), (2, s("experience"), 2)]);
    assert_eq!(status(&net, req), "selecting");
    assert_eq!(net.count("decision"), 1, "only the earlier engagement's");

    let second = [
        "",      // Ana: keep her scores
        "",      // Ben: experience keeps 2
        "3",     // speaking
        "3",     // Cleo
        "3",     //
        "0",     // Dev: 0 on the required criterion
        "3",     //
        "4,3",   // Dev is excluded: asked again
        "1,2,3", // three for two seats
        "none",  // nobody waitlisted
        "",      // reason for Ana: none
        "",      // reason for Ben: none
        "",      // Cleo's conflict needs a reason: asked again
        "she volunteers in another program",
        "n", // not more than seats after all
        "",  // the suggestion: 3,1
        "2", // Ben waitlisted
        "she volunteers in another program",
        "",             // Ana
        "next in line", // Ben
        "y",            // record it
    ];
    let (result, run, prompter) = net.at_terminal(&["select", "2"], &second);
    assert!(result.is_ok(), "{result:?}\n{:#?}", prompter.transcript);
    assert_eq!(prompter.remaining(), 0);
    let t = &prompter.transcript;
    let keep = t.iter().position(|l| l == "? Keep these scores?").unwrap();
    assert_eq!(t[keep - 1], "  Scored: experience=3, speaking=2");
    assert!(t.contains(&"? experience (required), 0-3".to_string()));
    let ranking = t.iter().position(|l| l.starts_with("Ranking")).unwrap();
    assert_eq!(
        t[ranking + 1..ranking + 5],
        [
            "  1. partner 3 Cleo Partner: 6/6 (new (0 completed engagements); 0 engagements in the last 12 months; 0 active engagements now; conflict of interest declared; commitments not signed)",
            "  2. partner 1 Ana Partner: 5/6 (experienced (1 completed engagement); 0 engagements in the last 12 months; 0 active engagements now; commitments not signed)",
            "  2. partner 2 Ben Partner: 5/6 (new (0 completed engagements); 0 engagements in the last 12 months; 0 active engagements now; commitments not signed)",
            "  -. partner 4 Dev Partner: 3/6 (excluded: 0 on required experience; new (0 completed engagements); 0 engagements in the last 12 months; 0 active engagements now; commitments not signed)",
        ]
    );
    assert!(t.contains(&"? Partner ids to select (comma-separated)".to_string()));
    assert!(t.iter().any(|l| l.starts_with("partner 4 is excluded: 0 on experience, a required criterion")));
    assert!(t.contains(&"Partner 3 declared a conflict of interest: I volunteer at the hospital".to_string()));
    assert!(t.contains(&"a reason is needed to select a partner who declared a conflict of interest".to_string()));
    assert!(t.contains(
        &"3 partners are selected for 2 seats; select at most 2, or pass --force to select more partners than seats"
            .to_string()
    ));
    assert!(t.contains(&"? Select 3 partners for 2 seats anyway?".to_string()));
    let confirm = t.iter().position(|l| l == "? Record this decision?").unwrap();
    assert_eq!(
        t[confirm - 6..confirm],
        [
            "",
            "warning: partner 3 has not signed the Patient Partner Commitments; they sign before they start",
            "warning: partner 1 has not signed the Patient Partner Commitments; they sign before they start",
            "Selected: partner 3 (Cleo Partner), partner 1 (Ana Partner).",
            "Waitlisted: partner 2 (Ben Partner).",
            "Not selected: 1 other candidate.",
        ]
    );
    assert!(
        run.stderr
            .starts_with("Decided request 2: selected 3 and 1; waitlisted 2; 1 not selected. The request is active.\n")
    );
    assert_eq!(
        decisions(&net, req),
        vec![
            (1, s("selected"), None),
            (2, s("waitlisted"), Some(s("next in line"))),
            (3, s("selected"), Some(s("she volunteers in another program"))),
            (4, s("not_selected"), None),
        ]
    );
    assert_eq!(status(&net, req), "active");
    let warned: i64 = net
        .conn()
        .query_row("SELECT count(*) FROM event WHERE request_id = 2 AND kind = 'decision_warning'", [], |r| r.get(0))
        .unwrap();
    assert_eq!(warned, 2);

    // On a decided request, the flow asks before anything changes.
    let before = snapshot(&net);
    let (result, run, prompter) = net.at_terminal(&["select", "2"], &[""]);
    assert!(result.is_ok());
    assert!(
        prompter
            .transcript
            .contains(&"Request 2 was decided on 2026-11-23: 2 selected, 1 waitlisted, 1 not selected.".to_string())
    );
    assert!(prompter.transcript.contains(&"? Make the decision again?".to_string()));
    assert_eq!(run.stderr, "Request 2 keeps its decision; nothing changed.\n");
    assert_eq!(snapshot(&net), before);
}

#[test]
fn the_guided_flow_declines_to_record_when_told_no() {
    let net = Network::new();
    let partners = add_partners(&net, &["Ana", "Ben"]);
    let req = open_request(&net, &[], &partners);
    let before = snapshot(&net);
    // Both already scored: keep, keep; the suggestion; nobody waitlisted; no reasons; do not record.
    let (result, run, prompter) = net.at_terminal(&["select", "1"], &["", "", "", "", "", "", "n"]);
    assert!(result.is_ok(), "{result:?}\n{:#?}", prompter.transcript);
    assert_eq!(prompter.remaining(), 0);
    // Declining records nothing and is not an error; nothing was scored in this run either.
    assert_eq!(run.stderr, "Nothing was recorded. `engage select 1` takes it up again.\n");
    assert_eq!(snapshot(&net), before);
    assert_eq!(status(&net, req), "selecting");
}

/// The real binary in a pseudo-terminal, answered key by key as a coordinator would.
#[test]
fn the_guided_flow_runs_in_a_pseudo_terminal() {
    use rexpect::reader::Options;
    let net = Network::new();
    let partners = add_partners(&net, &["Ana", "Ben", "Cleo"]);
    let req = net.request(&["--criteria", "experience!,speaking"]);
    for p in &partners {
        interested(&net, req, *p, &[]);
    }
    let cmd = net.terminal_command(&["select", "1"]);
    let options = Options::new().timeout_ms(Some(60_000)).strip_ansi_escape_codes(true);
    let mut s = rexpect::session::spawn_with_options(cmd, options).unwrap();
    let experience = "experience (required), 0-3";
    let speaking = "speaking, 0-3";
    for (name, e, sp) in [
        ("partner 1, Ana Partner", "3", "2"),
        ("partner 2, Ben Partner", "2", "3"),
        ("partner 3, Cleo Partner", "0", "3"),
    ] {
        s.exp_string(name).unwrap();
        s.exp_string(experience).unwrap();
        s.send_line(e).unwrap();
        s.exp_string(speaking).unwrap();
        if name.contains("Ben") {
            s.send_line("9").unwrap();
            s.exp_string("'9' is not a score").unwrap();
            s.exp_string(speaking).unwrap();
        }
        s.send_line(sp).unwrap();
    }
    s.exp_string("1. partner 1 Ana Partner: 5/6").unwrap();
    s.exp_string("1. partner 2 Ben Partner: 5/6").unwrap();
    s.exp_string("-. partner 3 Cleo Partner: 3/6 (excluded").unwrap();
    s.exp_string("Partner ids to select (comma-separated) [1,2]").unwrap();
    s.send_line("").unwrap();
    s.exp_string("Partner ids to waitlist").unwrap();
    s.send_line("").unwrap();
    s.exp_string("Reason for selecting partner 1 (optional)").unwrap();
    s.send_line("strong lived experience").unwrap();
    s.exp_string("Reason for selecting partner 2 (optional)").unwrap();
    s.send_line("").unwrap();
    s.exp_string("warning: both selected partners are new").unwrap();
    s.exp_string("Record this decision?").unwrap();
    s.send("y").unwrap();
    s.flush().unwrap();
    s.exp_string("Decided request 1: selected 1 and 2; 1 not selected. The request is active.").unwrap();
    s.exp_eof().unwrap();
    let exit = s.process().wait().unwrap();
    assert!(matches!(exit, rexpect::process::WaitStatus::Exited(_, 0)), "{exit:?}");

    let t = |v: &str| v.to_string();
    assert_eq!(
        decisions(&net, req),
        vec![
            (1, t("selected"), Some(t("strong lived experience"))),
            (2, t("selected"), None),
            (3, t("not_selected"), None),
        ]
    );
    let scored: i64 =
        net.conn().query_row("SELECT sum(score) FROM score WHERE request_id = 1", [], |r| r.get(0)).unwrap();
    assert_eq!(scored, 3 + 2 + 2 + 3 + 3);
    assert_eq!(status(&net, req), "active");
}

#[test]
fn partners_who_left_the_network_are_no_candidates() {
    let net = Network::new();
    let partners = add_partners(&net, &["Ana", "Ben", "Cleo"]);
    let req = open_request(&net, &[], &partners);
    net.ok(&["recruit", "edit", "2", "--status", "withdrawn"]);
    let ranking = net.json(&["select", "rank", &req.to_string()]);
    let ids: Vec<i64> = ranking.as_array().unwrap().iter().map(|r| r["partner_id"].as_i64().unwrap()).collect();
    assert_eq!(ids, vec![1, 3]);
    bad_input(
        &net,
        &["select", "score", "1", "2", "--score", "experience=3"],
        "engage: error: partner 2 is not an interested candidate for request 1 (they are withdrawn in the network)",
    );
    net.ok(&["select", "decide", "1", "--select", "1,3"]);
    assert_eq!(decisions(&net, req), vec![(1, "selected".to_string(), None), (3, "selected".to_string(), None)]);
    let csv = net.run(&["select", "rank", "1", "--format", "csv"]);
    assert_eq!(
        csv.stdout.lines().next().unwrap(),
        "\"rank\",\"partner_id\",\"name\",\"total\",\"max_total\",\"scores\",\"excluded_by\",\"missing\",\"experienced\",\
         \"completed_engagements\",\"engagements_12_months\",\"active_engagements\",\"conflict\",\"commitments\",\
         \"commitments_signed_on\",\"record_check_on\",\"decision\",\"why\""
    );
}

#[test]
fn every_select_command_has_help_with_an_example() {
    let net = Network::new();
    for command in ["score", "rank", "decide", "notify", "onboard", "roster"] {
        let out = net.ok(&["select", command, "--help"]);
        assert!(out.contains(&format!("engage select {command} 3")), "select {command} --help:\n{out}");
    }
    let out = net.ok(&["select", "--help"]);
    assert!(out.contains("engage select 3                       # guided, on a terminal"), "{out}");
}

#[test]
fn the_readme_selection_example_works_as_written() {
    let steps = crate::readme::block("selection");
    assert!(steps.len() >= 10);
    let net = Network::new();
    crate::readme::run(&net, &steps);
    assert_eq!(
        decisions(&net, 1),
        vec![
            (1, "selected".to_string(), None),
            (2, "selected".to_string(), Some("the redesign is of another unit".to_string())),
            (3, "waitlisted".to_string(), None),
        ]
    );
    assert_eq!(status(&net, 1), "active");
}

#[test]
fn the_guided_flow_stops_when_every_candidate_is_excluded() {
    let net = Network::new();
    let partners = add_partners(&net, &["Ana"]);
    let req = open_request(&net, &[], &partners);
    score(&net, req, 1, &[("experience", 0)]);
    let before = snapshot(&net);
    let (result, run, prompter) = net.at_terminal(&["select", "1"], &[""]);
    assert!(result.is_ok(), "{result:?}\n{:#?}", prompter.transcript);
    assert_eq!(prompter.remaining(), 0);
    assert_eq!(
        prompter.transcript.last().unwrap(),
        "Every candidate is excluded by a required criterion scored 0; nobody can be selected."
    );
    assert_eq!(run.stderr, "Nothing was recorded. `engage select 1` takes it up again.\n");
    assert_eq!(snapshot(&net), before);
}
