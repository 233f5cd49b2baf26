//! The field's shapes of engagement (SPEC §10): an inform notice, a one-off consult, domain and
//! level, and record checks that expire, each walked as a coordinator lives it.

use crate::running::partner;
use crate::support::Network;
use chrono::{Duration, NaiveDate};
use serde_json::Value;

fn day(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

/// Runs engage on `on`.
fn on(net: &Network, on: &str, args: &[&str]) -> crate::support::Run {
    let output = net.cmd().env("ENGAGE_TODAY", on).args(args).output().unwrap();
    crate::support::Run {
        code: output.status.code().unwrap_or(-1),
        stdout: String::from_utf8(output.stdout).unwrap(),
        stderr: String::from_utf8(output.stderr).unwrap(),
    }
}

fn ok_on(net: &Network, day: &str, args: &[&str]) -> String {
    let run = on(net, day, args);
    assert_eq!(run.code, 0, "engage {args:?} on {day} failed:\n{}", run.stderr);
    run.stdout
}

/// The morning reminder's kinds each day from `from` to `to` (both included), as cron would see
/// them: nothing printed at all on a day with nothing due.
fn reminders_by_day(net: &Network, from: &str, to: &str) -> Vec<(String, Vec<String>)> {
    let (mut d, end) = (day(from), day(to));
    let mut out = Vec::new();
    while d <= end {
        let today = d.format("%Y-%m-%d").to_string();
        let table = ok_on(net, &today, &["report", "reminders"]);
        let kinds: Vec<String> = if table.is_empty() {
            Vec::new()
        } else {
            let json: Value =
                serde_json::from_str(&ok_on(net, &today, &["--format", "json", "report", "reminders"])).unwrap();
            json.as_array().unwrap().iter().map(|r| r["kind"].as_str().unwrap().to_string()).collect()
        };
        out.push((today, kinds));
        d += Duration::days(1);
    }
    out
}

/// The days on which something was due, and what.
fn noisy(days: &[(String, Vec<String>)]) -> Vec<(&str, Vec<&str>)> {
    days.iter()
        .filter(|(_, kinds)| !kinds.is_empty())
        .map(|(d, kinds)| (d.as_str(), kinds.iter().map(String::as_str).collect()))
        .collect()
}

const NOTICE: [&str; 12] = [
    "request",
    "new",
    "--title",
    "Patient experience survey",
    "--org",
    "Fraser Health",
    "--contact-name",
    "Lee Wong",
    "--contact-email",
    "lee.wong@example.org",
    "--way",
    "inform",
];

#[test]
fn an_inform_notice_goes_from_creation_to_closed_with_the_reminders_silent_but_for_sending_and_closing() {
    let net = Network::new();
    net.ok(&["config", "set", "smtp_from", "pvn@example.org"]);
    partner(&net, "Ana", "Silva", &["--topics", "surveys"]);
    partner(&net, "Bo", "Chen", &["--topics", "surveys"]);

    // An inform request has no seats: asking for three is refused, naming why, and nothing is kept.
    let mut seats = NOTICE.to_vec();
    seats.extend(["--seats", "3"]);
    let run = on(&net, "2026-11-23", &seats);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert_eq!(
        run.stderr,
        "engage: error: --seats 3 does not go with --way inform: an inform request is a notice to the network, \
         with no seats, candidates, selection or check-ins; leave --seats out\n"
    );
    assert_eq!(net.count("request"), 0);

    let mut notice = NOTICE.to_vec();
    notice.extend(["--topics", "surveys", "--respond-by", "2026-12-07", "--level", "system"]);
    let run = on(&net, "2026-11-23", &notice);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr.contains("inform: a notice to the network, no compensation (the inform rate)"),
        "{}",
        run.stderr
    );
    let shown = net.json(&["request", "show", "1"]);
    assert_eq!((shown["seats"].clone(), shown["checkin_every_days"].clone()), (Value::Null, Value::Null));

    // Until it has gone out, the only reminder is to send it, from review_within_days (5) on.
    let before = reminders_by_day(&net, "2026-11-23", "2026-11-29");
    assert_eq!(
        noisy(&before),
        vec![("2026-11-28", vec!["request_awaiting_review"]), ("2026-11-29", vec!["request_awaiting_review"])]
    );
    let message = ok_on(&net, "2026-11-29", &["--format", "json", "report", "reminders"]);
    let message: Value = serde_json::from_str(&message).unwrap();
    assert_eq!(
        message[0]["message"],
        "Send the notice Patient experience survey (request 1), for Fraser Health: submitted 2026-11-23 (6 days \
         ago) and not sent to the network yet. `engage message invitation 1 --send` (or `--outbox DIR`, or \
         `engage recruit invite 1`) sends it; `engage request cancel 1 --reason R` if it will not go ahead."
    );

    // The notice goes out to the outbox: the request is done recruiting what it never recruits.
    let outbox = net.path("outbox");
    ok_on(&net, "2026-11-30", &["message", "invitation", "1", "--outbox", outbox.to_str().unwrap()]);
    assert_eq!(std::fs::read_dir(&outbox).unwrap().count(), 2);
    assert_eq!(net.json(&["request", "show", "1"])["status"], "recruiting");

    // Nothing a notice does not have can be done to it.
    for (args, what) in [
        (&["select", "decide", "1", "--select", "1"][..], "selection"),
        (&["select", "rank", "1"][..], "selection"),
        (&["select", "notify", "1"][..], "selection"),
        (&["checkin", "1", "--partner", "1"][..], "check-ins"),
        (&["checkin", "1", "--requester"][..], "check-ins"),
    ] {
        let run = on(&net, "2026-12-01", args);
        assert_eq!(run.code, 1, "{args:?}");
        assert_eq!(
            run.stderr,
            format!(
                "engage: error: request 1 is an inform request, a notice to the network: it has no {what} (no \
                 seats, candidates, selection, onboarding, check-ins or pay); once the notice has gone, `engage \
                 close 1` closes it\n"
            ),
            "{args:?}"
        );
    }
    let run = on(&net, "2026-12-01", &["request", "edit", "1", "--seats", "4"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("--seats 4 does not go with --way inform"), "{}", run.stderr);

    // Sent: silent, no recruitment short, no selection due, until it ran (respond_by): then closing.
    let after = reminders_by_day(&net, "2026-11-30", "2026-12-09");
    assert_eq!(noisy(&after), vec![("2026-12-08", vec!["close_due"]), ("2026-12-09", vec!["close_due"])]);

    // It closes like any request, with the loop's steps that apply when nobody was engaged: the
    // outcomes and the requester's survey; no partners to tell back, thank or survey.
    let run = on(&net, "2026-12-09", &["close", "1", "--outcomes", "notice read by 40 partners"]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr
            .contains("cannot close with 1 step not done (the survey sent to the requester (--requester-survey DATE))"),
        "{}",
        run.stderr
    );
    ok_on(
        &net,
        "2026-12-10",
        &["close", "1", "--outcomes", "notice read by 40 partners", "--requester-survey", "today"],
    );
    let closed = net.json(&["request", "show", "1"]);
    assert_eq!((closed["status"].as_str(), closed["closed_on"].as_str()), (Some("closed"), Some("2026-12-10")));
    let events: i64 = net
        .conn()
        .query_row("SELECT count(*) FROM event WHERE request_id = 1 AND kind = 'closed'", [], |r| r.get(0))
        .unwrap();
    assert_eq!(events, 1, "closed with every step that applies, not forced");

    // Closed: silent to the end, no payment or check-in ever asked for.
    assert!(noisy(&reminders_by_day(&net, "2026-12-10", "2027-01-15")).is_empty());
    net.ok(&["db", "check"]);
}

/// A focus group of two hours on the evening of 2026-12-10 for Fraser Health (consult, $50
/// honorarium, no end date given), recorded on 2026-11-23; `extra` is added to `request new`.
fn focus_group(net: &Network, extra: &[&str]) -> String {
    for (first, last) in [("Ana", "Silva"), ("Bo", "Chen"), ("Cy", "Roy")] {
        partner(net, first, last, &["--topics", "discharge"]);
    }
    let mut flags = vec![
        "--title",
        "ER discharge focus group",
        "--way",
        "consult",
        "--hours",
        "2",
        "--starts",
        "2026-12-10",
        "--honorarium",
        "50",
        "--respond-by",
        "2026-12-01",
        "--select-by",
        "2026-12-03",
        "--topics",
        "discharge",
    ];
    flags.extend_from_slice(extra);
    net.request_on("2026-11-23", &flags).to_string()
}

/// Ana, Bo and Cy invited and interested; Ana and Bo selected and told on 2026-12-02.
fn invited_and_selected(net: &Network, id: &str) {
    ok_on(net, "2026-11-23", &["recruit", "invite", id]);
    for partner in ["1", "2", "3"] {
        ok_on(net, "2026-11-24", &["recruit", "respond", id, partner, "--interested"]);
    }
    ok_on(net, "2026-12-02", &["select", "decide", id, "--select", "1,2"]);
}

fn onboarded(net: &Network, id: &str) {
    for partner in ["1", "2"] {
        let steps =
            ["--commitments-signed", "today", "--welcomed", "today", "--oriented", "today", "--introduced", "today"];
        let mut args = vec!["select", "onboard", id, partner];
        args.extend(steps);
        ok_on(net, "2026-12-04", &args);
    }
}

#[test]
fn a_one_off_focus_group_goes_from_selection_to_closing_with_no_check_in_reminders() {
    let net = Network::new();
    let id = focus_group(&net, &[]);
    let id = id.as_str();
    let shown = net.json(&["request", "show", id]);
    assert_eq!((shown["seats"].clone(), shown["checkin_every_days"].clone()), (Value::from(2), Value::Null));
    ok_on(&net, "2026-11-23", &["recruit", "invite", id]);
    for partner in ["1", "2", "3"] {
        ok_on(&net, "2026-11-24", &["recruit", "respond", id, partner, "--interested"]);
    }
    let walked = reminders_by_day(&net, "2026-11-24", "2026-12-02");
    assert_eq!(noisy(&walked), vec![("2026-12-02", vec!["selection_due"])]);
    ok_on(&net, "2026-12-02", &["select", "decide", id, "--select", "1,2"]);
    assert_eq!(noisy(&reminders_by_day(&net, "2026-12-02", "2026-12-02")), vec![("2026-12-02", vec!["notify_due"])]);
    ok_on(&net, "2026-12-02", &["select", "notify", id]);
    let walked = reminders_by_day(&net, "2026-12-02", "2026-12-03");
    let onboarding = vec!["onboarding_due", "onboarding_due", "commitments_missing", "commitments_missing"];
    assert_eq!(noisy(&walked), vec![("2026-12-03", onboarding)]);
    onboarded(&net, id);
    // The session, then closing the day after it: no check-in is ever asked for, though it has no
    // end date.
    let walked = reminders_by_day(&net, "2026-12-04", "2026-12-11");
    assert_eq!(noisy(&walked), vec![("2026-12-11", vec!["close_due"])]);
    let json: Value =
        serde_json::from_str(&ok_on(&net, "2026-12-11", &["--format", "json", "checkin", "due", "--within", "365"]))
            .unwrap();
    assert_eq!(json, serde_json::json!([]), "`checkin due` agrees");

    // Hours can still be logged; it closes and is paid like any request.
    ok_on(&net, "2026-12-11", &["checkin", id, "--partner", "1", "--hours", "2"]);
    ok_on(
        &net,
        "2026-12-11",
        &[
            "close",
            id,
            "--outcomes",
            "three changes to the discharge sheet",
            "--loop-closed",
            "today",
            "--thanked",
            "today",
            "--partner-survey",
            "today",
            "--requester-survey",
            "today",
        ],
    );
    let walked = reminders_by_day(&net, "2026-12-11", "2027-01-09");
    assert_eq!(noisy(&walked), vec![("2027-01-09", vec!["payment_due", "payment_due"])]);
    ok_on(&net, "2027-01-09", &["close", "pay", id, "1", "--method", "e-transfer"]);
    ok_on(&net, "2027-01-09", &["close", "pay", id, "2", "--method", "cheque"]);
    assert!(noisy(&reminders_by_day(&net, "2027-01-09", "2027-03-01")).is_empty());
    net.ok(&["db", "check"]);
}

#[test]
fn a_one_off_given_a_cadence_keeps_its_check_ins() {
    let net = Network::new();
    let id = focus_group(&net, &["--checkin-every", "30"]);
    invited_and_selected(&net, &id);
    ok_on(&net, "2026-12-02", &["select", "notify", &id]);
    onboarded(&net, &id);
    let walked = reminders_by_day(&net, "2026-12-04", "2027-01-09");
    assert_eq!(noisy(&walked), vec![("2027-01-09", vec!["checkin_due", "checkin_due", "checkin_due"])]);
    assert_eq!(net.json(&["request", "show", &id])["checkin_every_days"], 30);
}

/// The `commitments_missing` reminders due by `day`, as (partner, message).
fn commitments_missing(net: &Network, day: &str) -> Vec<(i64, String)> {
    let json: Value = serde_json::from_str(&ok_on(net, day, &["--format", "json", "report", "reminders"])).unwrap();
    json.as_array()
        .unwrap()
        .iter()
        .filter(|r| r["kind"] == "commitments_missing")
        .map(|r| (r["partner_id"].as_i64().unwrap(), r["message"].as_str().unwrap().to_string()))
        .collect()
}

#[test]
fn a_record_check_lapsing_during_the_engagement_is_a_commitment_missing() {
    let net = Network::new();
    let ana = partner(&net, "Ana", "Silva", &["--topics", "discharge"]).to_string();
    ok_on(&net, "2026-11-23", &["recruit", "edit", &ana, "--record-check", "2024-03-01"]);
    // Valid for record_check_valid_days (1095) after it: it lapses on 2027-03-01.
    assert_eq!(net.json(&["recruit", "show", &ana])["record_check_lapses_on"], "2027-03-01");
    let request = net
        .request_on(
            "2026-11-23",
            &["--record-check", "--starts", "2027-01-10", "--ends", "2027-06-30", "--topics", "discharge"],
        )
        .to_string();
    ok_on(&net, "2026-11-23", &["recruit", "invite", &request]);
    ok_on(&net, "2026-11-24", &["recruit", "respond", &request, &ana, "--interested"]);
    ok_on(&net, "2026-12-01", &["select", "decide", &request, "--select", &ana]);
    ok_on(&net, "2026-12-01", &["select", "notify", &request]);
    let steps =
        ["--commitments-signed", "today", "--welcomed", "today", "--oriented", "today", "--introduced", "today"];
    let mut onboard = vec!["select", "onboard", &request, &ana];
    onboard.extend(steps);
    ok_on(&net, "2026-12-01", &onboard);

    // Valid at the start, it lapses during the engagement: reminded a week before it lapses.
    assert!(commitments_missing(&net, "2027-02-21").is_empty());
    assert_eq!(
        commitments_missing(&net, "2027-02-22"),
        vec![(
            1,
            "Ana Silva on Discharge co-design (request 1): their criminal record check lapses on 2027-03-01 (in 7 \
             days), during the engagement. `engage select onboard 1 1 --record-check DATE`"
                .to_string()
        )]
    );
    // A longer validity moves the day it lapses past the end: nothing is missing.
    net.ok(&["config", "set", "record_check_valid_days", "1500"]);
    assert!(commitments_missing(&net, "2027-02-22").is_empty());
    assert_eq!(net.json(&["recruit", "show", &ana])["record_check_lapses_on"], "2028-04-09");
    net.ok(&["config", "set", "record_check_valid_days", "1095"]);
    assert_eq!(commitments_missing(&net, "2027-02-22").len(), 1);
    // A new check clears it.
    ok_on(&net, "2027-02-23", &["select", "onboard", &request, &ana, "--record-check", "today"]);
    assert!(commitments_missing(&net, "2027-02-23").is_empty());
    assert_eq!(net.json(&["recruit", "show", &ana])["record_check_lapses_on"], "2030-02-22");
    net.ok(&["db", "check"]);
}

#[test]
fn domain_and_level_filter_the_requests_count_in_the_summary_and_name_the_level_in_the_invitation() {
    let net = Network::new();
    let ana = partner(&net, "Ana", "Silva", &["--topics", "discharge"]).to_string();
    let codesign = net
        .request_on(
            "2026-11-01",
            &["--domain", "program", "--level", "organizational", "--topics", "discharge", "--starts", "2026-11-10"],
        )
        .to_string();
    net.request_on(
        "2026-11-01",
        &["--title", "Safety policy", "--way", "consult", "--domain", "policy", "--level", "system"],
    )
    .to_string();
    let ids = |args: &[&str]| -> Vec<i64> {
        let mut all = vec!["--format", "json", "request", "list"];
        all.extend_from_slice(args);
        let json: Value = serde_json::from_str(&net.ok(&all)).unwrap();
        json.as_array().unwrap().iter().map(|r| r["id"].as_i64().unwrap()).collect()
    };
    assert_eq!(ids(&["--domain", "program"]), vec![1]);
    assert_eq!(ids(&["--level", "system"]), vec![2]);
    assert_eq!(ids(&["--domain", "policy", "--level", "system"]), vec![2]);
    assert_eq!(ids(&["--domain", "policy", "--level", "organizational"]), Vec::<i64>::new());
    let run = net.run(&["request", "list", "--level", "provincial"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("'provincial'"), "{}", run.stderr);

    // The invitation names the level and what the work shapes.
    let drafts = net.json(&["message", "invitation", &codesign]);
    let body = drafts[0]["body"].as_str().unwrap();
    assert!(body.contains("\nLevel: organizational — shaping how Fraser Health delivers care.\n"), "{body}");

    // Engaged: the summary counts the engagement by its domain and its level, in its table, its
    // JSON and its page (its CSV is one row of the figures, as for the other breakdowns).
    ok_on(&net, "2026-11-02", &["recruit", "invite", &codesign]);
    ok_on(&net, "2026-11-03", &["recruit", "respond", &codesign, &ana, "--interested"]);
    ok_on(&net, "2026-11-05", &["select", "decide", &codesign, "--select", &ana, "--force"]);
    let summary = net.json(&["report", "summary"]);
    assert_eq!(
        summary["engagements_by_domain"],
        serde_json::json!([{"domain": "program", "engagements": 1, "partners": 1}])
    );
    assert_eq!(
        summary["engagements_by_level"],
        serde_json::json!([{"level": "organizational", "engagements": 1, "partners": 1}])
    );
    // The summary reads them from the request's tally row, which an edit of the request keeps.
    ok_on(&net, "2026-11-06", &["request", "edit", &codesign, "--domain", "care", "--level", "direct"]);
    let edited = net.json(&["report", "summary"]);
    assert_eq!(
        edited["engagements_by_domain"],
        serde_json::json!([{"domain": "care", "engagements": 1, "partners": 1}])
    );
    assert_eq!(
        edited["engagements_by_level"],
        serde_json::json!([{"level": "direct", "engagements": 1, "partners": 1}])
    );
    ok_on(&net, "2026-11-06", &["request", "edit", &codesign, "--domain", "program", "--level", "organizational"]);
    let table = net.ok(&["report", "summary"]);
    assert!(table.contains("Engagements by level") && table.contains("| Organizational |"), "{table}");
    let page = net.path("summary.html");
    net.ok(&["report", "summary", "--html", page.to_str().unwrap()]);
    let html = std::fs::read_to_string(&page).unwrap();
    assert!(html.contains("<h2>Domain and level</h2>"), "{html}");
    assert!(html.contains(">organizational<"), "{html}");
}
