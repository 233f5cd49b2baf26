//! The last day engage keeps is 9999-12-31 (dates are written YYYY-MM-DD). A date given on the
//! command line whose derived dates would pass it is a usage error naming the flag; a date worked
//! out from stored ones (a reminder's day) stops at it. Before, `request new --respond-by
//! 9999-12-31` failed with "the database holds '10000-01-07' where a date belongs", and an
//! engagement ending on 9999-12-31 broke every reminder report of the network.

use crate::support::Network;

#[test]
fn a_respond_by_that_leaves_no_day_for_select_by_is_a_usage_error_naming_the_flag() {
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
        "--respond-by",
        "9999-12-31",
    ]);
    assert_eq!(
        (run.code, run.stderr.as_str()),
        (
            2,
            "engage: error: --respond-by 9999-12-31 leaves no day for select_by: 7 days later is after 9999-12-31, the \
             last day engage keeps; give an earlier --respond-by, or --select-by\n"
        )
    );
    assert_eq!(net.count("request"), 0);
    // With select_by given, nothing is derived: the last day itself is a day like any other.
    let id = net.request(&["--respond-by", "9999-12-31", "--select-by", "9999-12-31"]);
    let list = net.json(&["request", "list"]);
    assert_eq!(
        (list[0]["respond_by"].as_str(), list[0]["select_by"].as_str()),
        (Some("9999-12-31"), Some("9999-12-31"))
    );
    net.ok(&["request", "show", &id.to_string()]);
}

#[test]
fn an_engagement_ending_on_the_last_day_keeps_every_reminder_readable() {
    let mut net = Network::new();
    let id = net.request(&["--starts", "9999-12-01", "--ends", "9999-12-31", "--respond-by", "2026-12-01"]).to_string();
    net.ok(&["recruit", "add", "--first", "Ana", "--last", "Silva", "--email", "ana@example.org", "--consent"]);
    net.ok(&["recruit", "invite", &id]);
    net.ok(&["recruit", "respond", &id, "1", "--interested"]);
    net.ok(&["select", "decide", &id, "--select", "1", "--force"]);
    net.ok(&["checkin", &id, "--partner", "1", "--hours", "3"]);
    net.today = "9999-12-31".to_string();
    let due = net.json(&["report", "reminders"]);
    let day = |kind: &str| {
        due.as_array().unwrap().iter().find(|r| r["kind"] == kind).map(|r| r["due_on"].as_str().unwrap().to_string())
    };
    // The day after it ends, and payment_within_days after it, stop at the last day.
    assert_eq!(day("close_due").as_deref(), Some("9999-12-31"));
    assert_eq!(day("payment_due").as_deref(), Some("9999-12-31"));
    net.ok(&["request", "list"]);
    let check = net.ok(&["db", "check"]);
    assert!(check.starts_with("ok: "), "{check}");
}

#[test]
fn a_check_in_whose_next_one_would_pass_the_last_day_is_a_usage_error() {
    let mut net = Network::new();
    let id = net.request(&["--respond-by", "2026-12-01"]).to_string();
    net.ok(&["recruit", "add", "--first", "Ana", "--last", "Silva", "--email", "ana@example.org", "--consent"]);
    net.ok(&["recruit", "invite", &id]);
    net.ok(&["recruit", "respond", &id, "1", "--interested"]);
    net.ok(&["select", "decide", &id, "--select", "1", "--force"]);
    net.today = "9999-12-20".to_string();
    let run = net.run(&["checkin", &id, "--partner", "1", "--hours", "2"]);
    assert_eq!(
        (run.code, run.stderr.as_str()),
        (
            2,
            "engage: error: --on 9999-12-20 leaves no day for the next check-in: 30 days later is after 9999-12-31, \
             the last day engage keeps; pass --next DATE\n"
        )
    );
    assert_eq!(net.count("checkin"), 0);
    net.ok(&["checkin", &id, "--partner", "1", "--hours", "2", "--next", "9999-12-31"]);
    assert_eq!(net.count("checkin"), 1);
}
