//! `engage config`: the settings and their defaults.

use crate::support::Network;

#[test]
fn lists_every_setting_with_the_spec_defaults() {
    let net = Network::new();
    let json = net.json(&["config", "list"]);
    let get = |key: &str| {
        json.as_array().unwrap().iter().find(|s| s["key"] == key).map(|s| s["value"].as_str().unwrap().to_string())
    };
    for (key, value) in [
        ("rate_inform", "0.00"),
        ("rate_consult", "25.00"),
        ("rate_involve", "40.00"),
        ("rate_collaborate", "50.00"),
        ("rate_lead", "60.00"),
        ("checkin_every_days", "30"),
        ("review_within_days", "5"),
        ("experienced_after", "1"),
        ("max_active_per_partner", "3"),
        ("commitments_valid_days", "730"),
        ("record_check_valid_days", "1095"),
        ("payment_within_days", "30"),
    ] {
        assert_eq!(get(key).as_deref(), Some(value), "{key}");
    }
}

#[test]
fn set_checks_stores_and_logs() {
    let net = Network::new();
    let run = net.run(&["config", "set", "rate_lead", "$75"]);
    assert_eq!(run.code, 0);
    assert_eq!(run.stderr, "rate_lead: 60.00 → 75.00\n");
    assert_eq!(net.ok(&["config", "get", "rate_lead"]), "75.00\n");
    let detail: String =
        net.conn().query_row("SELECT detail FROM event WHERE kind = 'setting_changed'", [], |r| r.get(0)).unwrap();
    assert_eq!(detail, "rate_lead: 60.00 → 75.00");
    let run = net.run(&["config", "set", "rate_lead", "75.00"]);
    assert_eq!(run.stderr, "rate_lead is already 75.00; nothing changed.\n");
    assert_eq!(net.count("event"), 1);
}

#[test]
fn settings_shape_new_requests() {
    let net = Network::new();
    net.ok(&["config", "set", "respond_within_days", "10"]);
    net.ok(&["config", "set", "select_within_days", "3"]);
    net.ok(&["config", "set", "checkin_every_days", "14"]);
    net.request(&[]);
    let row: (String, String, i64) = net
        .conn()
        .query_row("SELECT respond_by, select_by, checkin_every_days FROM request", [], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?))
        })
        .unwrap();
    assert_eq!(row, ("2026-12-03".into(), "2026-12-06".into(), 14));
}

#[test]
fn config_get_prints_the_bare_value_and_a_header_or_an_object_for_scripts() {
    let net = Network::new();
    net.ok(&["config", "set", "network_name", "=Fraser \"East\" partners"]);
    assert_eq!(net.ok(&["config", "get", "network_name"]), "=Fraser \"East\" partners\n");
    let json = net.json(&["config", "get", "network_name"]);
    let listed = net.json(&["config", "list"]);
    let item = listed.as_array().unwrap().iter().find(|s| s["key"] == "network_name").unwrap();
    assert_eq!(&json, item, "the same shape as config list's items");
    assert_eq!(json["value"], "=Fraser \"East\" partners");
    let csv_text = net.ok(&["config", "get", "rate_consult", "--format", "csv"]);
    let mut reader = csv::Reader::from_reader(csv_text.as_bytes());
    assert_eq!(reader.headers().unwrap(), vec!["key", "value", "default", "about"]);
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 1);
    assert_eq!((&rows[0][0], &rows[0][1], &rows[0][2]), ("rate_consult", "25.00", "25.00"));
    let csv_text = net.ok(&["config", "get", "network_name", "--format", "csv"]);
    assert!(
        csv_text.lines().nth(1).unwrap().starts_with("\"network_name\",\"'=Fraser \"\"East\"\" partners\","),
        "{csv_text}"
    );
}
