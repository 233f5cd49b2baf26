//! Each request's owner (a team on one network): who recorded it unless `--owner` names another
//! coordinator, changed by `request edit --owner`, and the lists and the morning reminder
//! narrowed to one coordinator's requests with `--owner NAME` or `--mine`.

use crate::support::Network;
use serde_json::Value;

fn owner_of(net: &Network, id: i64) -> String {
    net.json(&["request", "show", &id.to_string()])["owner"].as_str().unwrap().to_string()
}

/// A request recorded with ENGAGE_COORDINATOR set; returns its id.
fn recorded_by(net: &Network, coordinator: &str, title: &str) -> i64 {
    let output = net
        .cmd()
        .env("ENGAGE_COORDINATOR", coordinator)
        .args([
            "request",
            "new",
            "--title",
            title,
            "--org",
            "Fraser Health",
            "--contact-name",
            "Lee Wong",
            "--contact-email",
            "lee.wong@example.org",
            "--way",
            "consult",
        ])
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    String::from_utf8(output.stdout).unwrap().trim().parse().unwrap()
}

#[test]
fn a_request_is_owned_by_the_coordinator_who_recorded_it_unless_another_is_named() {
    let net = Network::new();
    // Nothing set: the OS user.
    let first = net.request(&[]);
    assert_eq!(owner_of(&net, first), "coordinator");
    // The coordinator setting, when it is set.
    net.ok(&["config", "set", "coordinator", "Ana Roy"]);
    let second = net.request(&[]);
    assert_eq!(owner_of(&net, second), "Ana Roy");
    // ENGAGE_COORDINATOR before both, and the event log names them too.
    let third = recorded_by(&net, "Ben Li", "Portal feedback");
    assert_eq!(owner_of(&net, third), "Ben Li");
    let actor: String = net
        .conn()
        .query_row("SELECT actor FROM event WHERE request_id = ?1 ORDER BY id LIMIT 1", [third], |row| row.get(0))
        .unwrap();
    assert_eq!(actor, "Ben Li");
    // --owner names another coordinator.
    let fourth = net.request(&["--owner", "Chloé Martin"]);
    assert_eq!(owner_of(&net, fourth), "Chloé Martin");
}

#[test]
fn request_edit_hands_a_request_to_another_coordinator_and_refuses_no_one() {
    let net = Network::new();
    let id = net.request(&[]);
    net.ok(&["request", "edit", &id.to_string(), "--owner", "Dana Wu"]);
    assert_eq!(owner_of(&net, id), "Dana Wu");
    let before = net.count("event");
    let run = net.run(&["request", "edit", &id.to_string(), "--owner", " "]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert_eq!(run.stderr, "engage: error: --owner cannot be empty\n");
    assert_eq!(owner_of(&net, id), "Dana Wu");
    assert_eq!(net.count("event"), before);
}

#[test]
fn request_list_narrows_to_one_coordinators_requests() {
    let net = Network::new();
    let ana = recorded_by(&net, "Ana Roy", "Ana's focus group");
    let ben = recorded_by(&net, "Ben Li", "Ben's advisory council");
    let ids =
        |rows: Value| -> Vec<i64> { rows.as_array().unwrap().iter().map(|r| r["id"].as_i64().unwrap()).collect() };
    // Case and spaces aside.
    assert_eq!(ids(net.json(&["request", "list", "--owner", " ana roy "])), vec![ana]);
    assert_eq!(ids(net.json(&["request", "list", "--owner", "Ben Li"])), vec![ben]);
    assert_eq!(ids(net.json(&["request", "list", "--owner", "Nobody"])), Vec::<i64>::new());
    let mine = net
        .cmd()
        .env("ENGAGE_COORDINATOR", "Ben Li")
        .args(["request", "list", "--mine", "--format", "json"])
        .output()
        .unwrap();
    let mine: Value = serde_json::from_slice(&mine.stdout).unwrap();
    assert_eq!(ids(mine.clone()), vec![ben]);
    assert_eq!(mine[0]["owner"], "Ben Li");
    let run = net.run(&["request", "list", "--mine", "--owner", "Ana Roy"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
}

#[test]
fn the_morning_reminder_narrows_to_one_coordinators_requests() {
    let net = Network::new();
    let ana = recorded_by(&net, "Ana Roy", "Ana's focus group");
    let ben = recorded_by(&net, "Ben Li", "Ben's advisory council");
    let requests = |rows: Value| -> Vec<i64> {
        let mut ids: Vec<i64> = rows.as_array().unwrap().iter().map(|r| r["request_id"].as_i64().unwrap()).collect();
        ids.sort();
        ids.dedup();
        ids
    };
    let all = net.json(&["report", "reminders", "--as-of", "2027-01-15"]);
    assert_eq!(requests(all), vec![ana, ben]);
    let anas = net.json(&["report", "reminders", "--as-of", "2027-01-15", "--owner", "ana roy"]);
    assert_eq!(requests(anas), vec![ana]);
    let mine = net
        .cmd()
        .env("ENGAGE_COORDINATOR", "Ben Li")
        .args(["report", "reminders", "--as-of", "2027-01-15", "--mine", "--format", "json"])
        .output()
        .unwrap();
    assert_eq!(requests(serde_json::from_slice(&mine.stdout).unwrap()), vec![ben]);
}

#[test]
fn a_request_recorded_before_owners_existed_is_owned_by_whoever_recorded_it() {
    // tests/data/db/engage-v1.db: a network as the engage of schema version 1 left it, its two
    // requests recorded by `coordinator`; here request 2's first event names another coordinator.
    let net = Network::on_file();
    let fixture = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/db/engage-v1.db");
    std::fs::copy(&fixture, &net.db).unwrap();
    let conn = net.conn();
    conn.execute_batch(
        "DROP TRIGGER event_is_append_only_update; \
         UPDATE event SET actor = 'Ana Roy' WHERE id = (SELECT min(id) FROM event WHERE request_id = 2);",
    )
    .unwrap();
    drop(conn);
    assert_eq!(owner_of(&net, 1), "coordinator");
    assert_eq!(owner_of(&net, 2), "Ana Roy");
}
