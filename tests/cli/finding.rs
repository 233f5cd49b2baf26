//! Finding the right people (rule 5, share opportunities fairly): partners found by language and
//! accessibility needs, invitations by language with the phone of those who prefer it, and a
//! partner's own history of engagements.

use crate::support::Network;
use crate::tables::engagement;
use serde_json::{Value as Json, json};

fn add(net: &Network, flags: &[&str]) {
    let mut args = vec!["recruit", "add", "--consent"];
    args.extend_from_slice(flags);
    net.ok(&args);
}

/// Four partners: two speak French (one wrote `Français`), one needs captioning, one prefers the
/// phone.
fn network(net: &Network) {
    add(
        net,
        &[
            "--first",
            "Ana",
            "--last",
            "Silva",
            "--email",
            "ana@example.org",
            "--languages",
            "English,Portuguese",
            "--topics",
            "discharge",
        ],
    );
    add(
        net,
        &[
            "--first",
            "Luc",
            "--last",
            "Tremblay",
            "--email",
            "luc@example.org",
            "--languages",
            "Français",
            "--topics",
            "discharge",
        ],
    );
    add(
        net,
        &[
            "--first",
            "Sam",
            "--last",
            "Roy",
            "--email",
            "sam@example.org",
            "--phone",
            "778-555-0123",
            "--preferred-contact",
            "phone call",
            "--languages",
            "French,English",
            "--accessibility-needs",
            "Captioning at meetings",
            "--topics",
            "discharge",
        ],
    );
    add(
        net,
        &[
            "--first",
            "Bo",
            "--last",
            "Ng",
            "--email",
            "bo@example.org",
            "--phone",
            "604-555-0188",
            "--topics",
            "discharge",
        ],
    );
}

fn ids(rows: &Json) -> Vec<i64> {
    rows.as_array().unwrap().iter().map(|r| r["id"].as_i64().or(r["partner_id"].as_i64()).unwrap()).collect()
}

#[test]
fn list_finds_partners_by_language_and_search_covers_languages_and_accessibility_needs() {
    let net = Network::new();
    network(&net);
    assert_eq!(ids(&net.json(&["recruit", "list", "--language", "French"])), vec![2, 3]);
    assert_eq!(ids(&net.json(&["recruit", "list", "--language", "fr"])), vec![2, 3]);
    // `francais` names the language of correspondence French: it finds `French` too.
    assert_eq!(ids(&net.json(&["recruit", "list", "--language", "francais"])), vec![2, 3]);
    assert_eq!(ids(&net.json(&["recruit", "list", "--language", "portuguese"])), vec![1]);
    assert_eq!(ids(&net.json(&["recruit", "list", "--language", "Punjabi"])), Vec::<i64>::new());
    assert_eq!(ids(&net.json(&["recruit", "list", "--search", "caption"])), vec![3]);
    assert_eq!(ids(&net.json(&["recruit", "list", "--search", "PORTUGUESE"])), vec![1]);
    // The search still covers names and e-mail, and narrows with the other flags.
    assert_eq!(ids(&net.json(&["recruit", "list", "--search", "tremblay"])), vec![2]);
    assert_eq!(ids(&net.json(&["recruit", "list", "--search", "english", "--language", "fr"])), vec![3]);
    let run = net.run(&["recruit", "list", "--language", "Punjabi"]);
    assert_eq!(run.code, 0);
    assert_eq!(run.stderr, "No partners match. `engage recruit import FILE` brings in a sign-up export.\n");
}

#[test]
fn an_invitation_by_language_goes_only_to_its_speakers() {
    let net = Network::new();
    network(&net);
    let req =
        net.request(&["--way", "consult", "--topics", "discharge", "--title", "Groupe de discussion"]).to_string();
    let list = net.json(&["recruit", "invite", &req, "--language", "fr"]);
    assert_eq!(ids(&list["recipients"]), vec![2, 3]);
    let invited: Vec<i64> = net
        .conn()
        .prepare("SELECT partner_id FROM invitation ORDER BY partner_id")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert_eq!(invited, vec![2, 3]);
    // Nobody left who speaks French: nobody is invited, and the sentence names the language.
    let run = net.run(&["recruit", "invite", &req, "--language", "fr"]);
    assert_eq!(run.code, 0);
    assert!(run.stderr.contains("Invited 0 partners to request 1 (2 invited or answered before)."), "{}", run.stderr);
    assert!(run.stderr.contains("in common, speaking fr; `engage request edit`"), "{}", run.stderr);
    assert_eq!(net.count("invitation"), 2);
}

#[test]
fn the_invitation_list_shows_the_phone_of_those_who_prefer_it() {
    let net = Network::new();
    network(&net);
    let req = net.request(&["--topics", "discharge"]).to_string();
    let list = net.json(&["recruit", "invite", &req, "--dry-run"]);
    let rows: Vec<(i64, Json, Json)> = list["recipients"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| (r["partner_id"].as_i64().unwrap(), r["preferred_contact"].clone(), r["phone"].clone()))
        .collect();
    // Bo has a phone but is e-mailed: the list leaves his number out.
    assert_eq!(
        rows,
        vec![
            (1, Json::Null, Json::Null),
            (2, Json::Null, Json::Null),
            (3, json!("phone call"), json!("778-555-0123")),
            (4, Json::Null, Json::Null),
        ]
    );
    let table = net.ok(&["recruit", "invite", &req, "--dry-run"]);
    let sam = table.lines().find(|l| l.contains("Sam Roy")).unwrap();
    assert!(sam.contains("778-555-0123") && sam.contains("Phone call"), "{sam}");
    assert!(!table.contains("604-555-0188"), "{table}");
    assert_eq!(net.count("invitation"), 0);
}

#[test]
fn a_partners_history_has_each_engagement_with_hours_money_checkins_and_concerns() {
    let net = engagement();
    // Marco: paid for 6 hours, his parking reimbursed, one check-in.
    let marco = net.json(&["recruit", "show", "1"]);
    assert_eq!(
        marco["history"],
        json!([{"request_id": 1, "title": "Discharge co-design", "request_status": "active",
                "invited_on": "2026-08-04", "response": "interested", "responded_on": "2026-08-10",
                "outcome": "selected", "decided_on": "2026-08-18", "hours": 6, "owed": "300.00",
                "paid": "300.00", "reimbursed": "20.00", "checkins": 1, "concerns": 0, "open_concerns": 0}])
    );
    // Ana: 22 hours owed and not paid, two check-ins; never invited (she answered on her own).
    let ana = net.json(&["recruit", "show", "2"]);
    let h = &ana["history"][0];
    assert_eq!((&h["invited_on"], &h["outcome"], &h["hours"]), (&Json::Null, &json!("selected"), &json!(22)));
    assert_eq!((&h["owed"], &h["paid"], &h["reimbursed"]), (&json!("1100.00"), &Json::Null, &Json::Null));
    assert_eq!((&h["checkins"], &h["concerns"], &h["open_concerns"]), (&json!(2), &json!(0), &json!(0)));
    // Sam declined: no account.
    let sam = net.json(&["recruit", "show", "3"]);
    assert_eq!((&sam["history"][0]["response"], &sam["history"][0]["hours"]), (&json!("declined"), &Json::Null));
}

#[test]
fn a_concern_raised_with_a_partner_is_in_their_history_until_resolved() {
    let net = engagement();
    net.ok(&["checkin", "1", "--partner", "2", "--status", "concerns", "--concern", "wellbeing", "--note", "tired"]);
    let h = net.json(&["recruit", "show", "2"])["history"][0].clone();
    assert_eq!((&h["checkins"], &h["concerns"], &h["open_concerns"]), (&json!(3), &json!(1), &json!(1)));
    let checkin = net.conn().query_row("SELECT max(id) FROM checkin", [], |r| r.get::<_, i64>(0)).unwrap();
    net.ok(&["checkin", "resolve", &checkin.to_string(), "--note", "rested"]);
    let h = net.json(&["recruit", "show", "2"])["history"][0].clone();
    assert_eq!((&h["concerns"], &h["open_concerns"]), (&json!(1), &json!(0)));
}
