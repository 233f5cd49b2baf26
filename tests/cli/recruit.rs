//! `engage recruit`: the network's partners, invitations and responses.

use crate::support::Network;
use serde_json::{Value as Json, json};

fn add(net: &Network, args: &[&str]) -> i64 {
    let mut all = vec!["recruit", "add"];
    all.extend_from_slice(args);
    net.ok(&all).trim().parse().unwrap()
}

/// A small network: Ana and Marco (a family sharing an address), Bo (no consent), Chen (paused),
/// Dee (another region).
fn network(net: &Network) {
    add(
        net,
        &[
            "--first",
            "Ana",
            "--last",
            "Silva",
            "--email",
            "silva@example.org",
            "--region",
            "Fraser",
            "--topics",
            "Mental health,Primary care",
            "--consent",
            "--community",
            "urban",
        ],
    );
    add(
        net,
        &[
            "--first",
            "Marco",
            "--last",
            "Silva",
            "--email",
            "SILVA@example.org",
            "--region",
            "Fraser",
            "--topics",
            "Discharge planning",
            "--consent",
        ],
    );
    add(
        net,
        &[
            "--first",
            "Bo",
            "--last",
            "Li",
            "--email",
            "bo@example.org",
            "--region",
            "Fraser",
            "--topics",
            "mental health",
        ],
    );
    add(
        net,
        &[
            "--first",
            "Chen",
            "--last",
            "Wu",
            "--email",
            "chen@example.org",
            "--region",
            "Fraser",
            "--topics",
            "Mental health",
            "--consent",
            "--status",
            "paused",
        ],
    );
    add(
        net,
        &[
            "--first",
            "Dee",
            "--last",
            "Obi",
            "--email",
            "dee@example.org",
            "--region",
            "North",
            "--topics",
            "Mental health",
            "--consent",
            "--phone",
            "250-555-0199",
        ],
    );
}

#[test]
fn add_refuses_the_same_person_twice_and_notes_a_shared_address() {
    let net = Network::new();
    let run =
        net.run(&["recruit", "add", "--first", "Ana", "--last", "Silva", "--email", "silva@example.org", "--consent"]);
    assert_eq!((run.code, run.stdout.as_str()), (0, "1\n"));
    let run = net.run(&[
        "recruit",
        "add",
        "--first",
        "Marco",
        "--last",
        "Silva",
        "--email",
        "Silva@Example.org",
        "--consent",
    ]);
    assert_eq!(run.code, 0);
    assert_eq!(
        run.stderr,
        "silva@example.org is also the address of partner 1 (Ana Silva); families may share one.\nAdded partner 2: Marco Silva.\n"
    );
    let run = net.run(&["recruit", "add", "--first", "ANA", "--last", "S", "--email", "silva@example.org"]);
    assert_eq!(run.code, 1);
    assert_eq!(
        run.stderr,
        "engage: error: Ana Silva is already in the network as partner 1 with silva@example.org; `engage recruit edit 1` changes their record\n"
    );
    let run = net.run(&["recruit", "add", "--first", "Bo", "--last", "Li", "--email", "bo@example.org"]);
    assert!(run.stderr.starts_with("warning: partner 3 has not consented to be contacted; they will not be invited until `engage recruit edit 3 --consent`\n"));
    let run = net.run(&["recruit", "add", "--first", "Cy"]);
    assert_eq!(run.code, 2);
    assert_eq!(run.stderr, "engage: error: recruit add needs --last and --email; pass them\n");
    assert_eq!(net.count("partner"), 3);
}

#[test]
fn list_filters_without_contact_details() {
    let net = Network::new();
    network(&net);
    let all = net.json(&["recruit", "list"]);
    assert_eq!(all.as_array().unwrap().len(), 5);
    assert!(all[0].get("email").is_none(), "the list carries no contact details");
    let ids = |v: Json| v.as_array().unwrap().iter().map(|p| p["id"].as_i64().unwrap()).collect::<Vec<_>>();
    assert_eq!(ids(net.json(&["recruit", "list", "--topic", "MENTAL"])), [1, 3, 4, 5]);
    assert_eq!(ids(net.json(&["recruit", "list", "--region", "north"])), [5]);
    assert_eq!(ids(net.json(&["recruit", "list", "--status", "paused"])), [4]);
    assert_eq!(ids(net.json(&["recruit", "list", "--search", "silva"])), [1, 2]);
}

#[test]
fn search_finds_any_part_of_every_searchable_field_in_any_case_and_follows_edits() {
    let net = Network::new();
    network(&net);
    let ids = |args: &[&str]| -> Vec<i64> {
        let mut all = vec!["recruit", "list"];
        all.extend(args);
        net.json(&all).as_array().unwrap().iter().map(|p| p["id"].as_i64().unwrap()).collect()
    };
    net.ok(&[
        "recruit",
        "edit",
        "3",
        "--languages",
        "Punjabi,English",
        "--lived-experience",
        "Cared for my Grandmother at home",
        "--accessibility-needs",
        "Step-free access",
        "--notes",
        "Met at the Surrey clinic",
    ]);
    // Names, e-mail, region and topics, any case, through the index (three characters or more).
    assert_eq!(ids(&["--search", "SILVA"]), [1, 2]);
    assert_eq!(ids(&["--search", "dee@exam"]), [5]);
    assert_eq!(ids(&["--search", "nort"]), [5]);
    assert_eq!(ids(&["--search", "discharge pl"]), [2]);
    // Languages, lived experience, accessibility needs and notes.
    assert_eq!(ids(&["--search", "punjab"]), [3]);
    assert_eq!(ids(&["--search", "grandmother at"]), [3]);
    assert_eq!(ids(&["--search", "step-free"]), [3]);
    assert_eq!(ids(&["--search", "surrey"]), [3]);
    // Every trigram is there but not the text: not found.
    assert_eq!(ids(&["--search", "home at"]), Vec::<i64>::new());
    // Two characters are fewer than a trigram: every partner is read, with the same answer.
    assert_eq!(ids(&["--search", "wu"]), [4]);
    assert_eq!(ids(&["--search", "Wu", "--status", "paused"]), [4]);
    // The index follows an edit: the new text is found, the old one no longer.
    net.ok(&["recruit", "edit", "3", "--last", "Lindqvist", "--notes", "Met at the Delta office"]);
    assert_eq!(ids(&["--search", "lindq"]), [3]);
    assert_eq!(ids(&["--search", "delta off"]), [3]);
    assert_eq!(ids(&["--search", "surrey"]), Vec::<i64>::new());
}

#[test]
fn edit_changes_what_is_given_and_logs_only_field_names() {
    let net = Network::new();
    network(&net);
    let run = net.run(&[
        "recruit",
        "edit",
        "3",
        "--consent",
        "--commitments-signed",
        "2026-11-20",
        "--notes",
        "prefers mornings",
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.stderr, "Updated partner 3: consent, consent_on, commitments_signed_on, notes.\n");
    let bo = net.json(&["recruit", "show", "3"]);
    assert_eq!((bo["consent"].clone(), bo["consent_on"].clone()), (json!(true), json!("2026-11-23")));
    assert_eq!(bo["commitments_signed_on"], "2026-11-20");
    let detail: String =
        net.conn().query_row("SELECT detail FROM event WHERE kind = 'partner_edited'", [], |r| r.get(0)).unwrap();
    assert!(!detail.contains("mornings"));
    let run = net.run(&["recruit", "edit", "2", "--first", "Ana"]);
    assert_eq!(run.code, 1);
    assert_eq!(
        run.stderr,
        "engage: error: Ana Silva is already in the network as partner 1 with silva@example.org; the same person cannot be two partners\n"
    );
    let run = net.run(&["recruit", "edit", "2"]);
    assert_eq!(run.code, 2);
}

#[test]
fn invite_reaches_only_active_consenting_matching_partners_least_recently_engaged_first() {
    let net = Network::new();
    network(&net);
    let req = net.request(&[
        "--topics",
        "mental health",
        "--region",
        "fraser",
        "--hours",
        "14",
        "--way",
        "involve",
        "--supports",
        "transit passes",
    ]);
    // Dry run: the same list and text, nothing recorded.
    let dry = net.json(&["recruit", "invite", &req.to_string(), "--dry-run"]);
    assert_eq!(net.count("invitation"), 0);
    let invited = net.json(&["recruit", "invite", &req.to_string()]);
    assert_eq!(dry, invited);
    let recipients: Vec<(i64, &str)> = invited["recipients"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| (r["partner_id"].as_i64().unwrap(), r["email"].as_str().unwrap()))
        .collect();
    // Bo never consented, Chen is paused, Dee lives in the North, Marco's topics do not match.
    assert_eq!(recipients, [(1, "silva@example.org")]);
    let text = invited["text"].as_str().unwrap();
    for part in [
        "Fraser Health is looking for 2 patient partners for \"Discharge co-design\".",
        "How you would take part: involve (work with the team throughout, e.g. reviewing evidence scans)",
        "about 14 hours",
        "Recognition: $40.00/hour (about $560.00 for 14 hours); expenses reimbursed",
        "Supports offered: transit passes",
        "please reply by 2026-12-07",
    ] {
        assert!(text.contains(part), "{part}\n{text}");
    }
    let status: String = net.conn().query_row("SELECT status FROM request", [], |r| r.get(0)).unwrap();
    assert_eq!(status, "recruiting");
    // Nobody is invited twice: widening the request's region brings only Dee.
    net.ok(&["request", "edit", &req.to_string(), "--region", ""]);
    let again = net.json(&["recruit", "invite", &req.to_string()]);
    let ids: Vec<i64> =
        again["recipients"].as_array().unwrap().iter().map(|r| r["partner_id"].as_i64().unwrap()).collect();
    assert_eq!(ids, [5]);
    assert_eq!(net.count("invitation"), 2);
}

#[test]
fn the_flags_narrow_the_match() {
    let net = Network::new();
    network(&net);
    let req = net.request(&["--topics", "mental health,discharge"]);
    let ids = |args: &[&str]| -> Vec<i64> {
        let mut all = vec!["recruit", "invite", "1", "--dry-run"];
        all.extend_from_slice(args);
        net.json(&all)["recipients"].as_array().unwrap().iter().map(|r| r["partner_id"].as_i64().unwrap()).collect()
    };
    assert_eq!(req, 1);
    assert_eq!(ids(&[]), [1, 2, 5]);
    assert_eq!(ids(&["--region", "fraser"]), [1, 2]);
    assert_eq!(ids(&["--topic", "discharge"]), [2]);
    assert_eq!(ids(&["--community", "urban"]), [1]);
    // A topic outside the request's narrows to nobody rather than widening.
    assert!(ids(&["--topic", "cancer"]).is_empty());
}

#[test]
fn invitations_go_first_to_the_least_recently_engaged() {
    let net = Network::new();
    network(&net);
    // Ana was selected for an earlier engagement; Dee never was.
    net.request(&["--title", "Earlier work"]);
    net.ok(&["recruit", "respond", "1", "1", "--interested"]);
    net.ok(&["recruit", "respond", "1", "5", "--interested"]);
    net.ok(&["select", "decide", "1", "--select", "1"]);
    net.request(&["--title", "New work", "--topics", "mental health"]);
    let list = net.json(&["recruit", "invite", "2"]);
    let order: Vec<(i64, Json)> = list["recipients"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| (r["partner_id"].as_i64().unwrap(), r["last_engaged"].clone()))
        .collect();
    assert_eq!(order, [(5, Json::Null), (1, json!("2026-11-23"))]);
}

#[test]
fn the_mailing_list_is_a_spreadsheet_safe_csv() {
    let net = Network::new();
    network(&net);
    let req = net.request(&["--topics", "mental health"]);
    let csv = net.ok(&["recruit", "invite", &req.to_string(), "--format", "csv"]);
    let mut lines = csv.lines();
    // The phone column is filled only for those who prefer the phone (see
    // invite_lists_the_phone_of_those_who_prefer_it).
    assert_eq!(
        lines.next(),
        Some("\"partner_id\",\"name\",\"email\",\"preferred_contact\",\"phone\",\"last_engaged\"")
    );
    assert_eq!(lines.next(), Some("1,\"Ana Silva\",\"silva@example.org\",\"\",\"\",\"\""));
    assert_eq!(lines.next(), Some("5,\"Dee Obi\",\"dee@example.org\",\"\",\"\",\"\""));
}

#[test]
fn responses_one_by_one_and_their_list() {
    let net = Network::new();
    network(&net);
    let req = net.request(&[]);
    let run = net.run(&[
        "recruit",
        "respond",
        "1",
        "1",
        "--interested",
        "--statement",
        "I was discharged twice",
        "--availability",
        "evenings",
        "--conflict",
        "my sister works on the unit",
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        run.stderr,
        "Recorded: partner 1 (Ana Silva) is interested in request 1.\nwarning: partner 1 declared a conflict of interest; selecting them will need a reason\n"
    );
    net.ok(&["recruit", "respond", &req.to_string(), "3", "--declined"]);
    let run = net.run(&["recruit", "respond", "1", "2"]);
    assert_eq!(run.code, 2);
    assert_eq!(
        run.stderr,
        "engage: error: recruit respond needs --interested or --declined: say what the partner answered\n"
    );
    let list = net.json(&["recruit", "responses", "1"]);
    assert_eq!(list.as_array().unwrap().len(), 2);
    assert_eq!(list[0]["response"], "interested");
    assert_eq!(list[0]["conflict"], "my sister works on the unit");
    assert_eq!(list[1]["response"], "declined");
    // A response moves a submitted request to recruiting; the log keeps ids, not words.
    let status: String = net.conn().query_row("SELECT status FROM request", [], |r| r.get(0)).unwrap();
    assert_eq!(status, "recruiting");
    let details: Vec<String> = net
        .conn()
        .prepare("SELECT detail FROM event WHERE kind = 'response'")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(details, ["interested, conflict declared", "declined"]);
}

#[test]
fn responses_in_bulk_from_an_interest_form() {
    let net = Network::new();
    network(&net);
    net.request(&[]);
    let file = net.path("interest.csv");
    std::fs::write(
        &file,
        "Timestamp,Email address,First name,Are you interested?,Why are you interested?,When are you available?,Do you have a conflict of interest?\n\
         2026-11-20 09:00:00,silva@example.org,Marco,Yes,\"My wife was in hospital,\nfor weeks\",Weekends,No\n\
         2026-11-21 10:00:00,silva@example.org,,Yes,,,\n\
         2026-11-21 11:00:00,bo@example.org,Bo,No,,,\n\
         2026-11-22 12:00:00,nobody@example.org,Zed,Yes,,,\n\
         2026-11-22 13:00:00,dee@example.org,Dee,Maybe,,,\n\
         2026-11-22 14:00:00,dee@example.org,Dee,Yes,,,I sit on the hospital's board\n",
    )
    .unwrap();
    let run = net.run(&["recruit", "respond", "1", "--import", file.to_str().unwrap(), "--format", "json"]);
    assert_eq!(run.code, 3, "{}", run.stderr);
    let report: Json = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(
        (report["read"].clone(), report["interested"].clone(), report["declined"].clone(), report["rejected"].clone()),
        (json!(6), json!(2), json!(1), json!(3))
    );
    assert_eq!(
        report["rejected_rows"],
        json!([
            {"line": 4, "reason": "silva@example.org is shared by partners 1, 2; add a first name column"},
            {"line": 6, "reason": "nobody in the network has nobody@example.org with that first name"},
            {"line": 7, "reason": "'Maybe' is not interested or declined (nor yes or no)"},
        ])
    );
    assert_eq!(run.stderr, "Request 1: 6 responses read = 2 interested + 1 declined + 3 rejected.\n");
    let rows: Vec<(i64, String, String, Option<String>, Option<String>)> = net
        .conn()
        .prepare("SELECT partner_id, response, responded_on, statement, conflict FROM invitation ORDER BY partner_id")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(
        rows,
        [
            (2, "interested".into(), "2026-11-20".into(), Some("My wife was in hospital,\nfor weeks".into()), None),
            (3, "declined".into(), "2026-11-21".into(), None, None),
            (5, "interested".into(), "2026-11-22".into(), None, Some("I sit on the hospital's board".into())),
        ]
    );
}

#[test]
fn forget_erases_identifying_data_everywhere_and_keeps_counts() {
    let net = Network::on_file();
    network(&net);
    net.request(&[]);
    net.ok(&[
        "recruit",
        "respond",
        "1",
        "5",
        "--interested",
        "--statement",
        "Dee's own words about her illness",
        "--conflict",
        "Dee works there",
    ]);
    let before: i64 = net.conn().query_row("SELECT count(*) FROM invitation", [], |r| r.get(0)).unwrap();
    let run = net.run(&["recruit", "forget", "5"]);
    assert_eq!(run.code, 0);
    assert!(run.stderr.starts_with("Forgot partner 5: names, contact details, answers and notes are erased"));
    let dee = net.json(&["recruit", "show", "5"]);
    for field in ["first_name", "last_name", "email", "phone", "lived_experience", "notes"] {
        assert_eq!(dee[field], Json::Null, "{field}");
    }
    assert_eq!(dee["name"], "partner 5");
    assert_eq!(dee["region"], "North");
    assert_eq!(dee["status"], "forgotten");
    let after: i64 = net.conn().query_row("SELECT count(*) FROM invitation", [], |r| r.get(0)).unwrap();
    assert_eq!(after, before, "the response still counts");
    for args in [
        &["recruit", "export", "--with-contact", "--format", "csv"][..],
        &["recruit", "list", "--format", "json"],
        &["recruit", "responses", "1", "--format", "json"],
        &["request", "show", "1", "--format", "json"],
    ] {
        let out = net.ok(args);
        for secret in ["dee@example.org", "Obi", "250-555-0199", "own words", "works there"] {
            assert!(!out.contains(secret), "{args:?} still shows {secret}");
        }
    }
    // Nor is anything left in the file: secure_delete overwrote it and the WAL was truncated.
    let mut raw = std::fs::read(&net.db).unwrap();
    if let Ok(wal) = std::fs::read(net.db.with_extension("db-wal")) {
        raw.extend(wal);
    }
    for secret in ["dee@example.org", "250-555-0199", "own words about her illness"] {
        assert!(raw.windows(secret.len()).all(|w| w != secret.as_bytes()), "{secret} is still in the file");
    }
    let run = net.run(&["recruit", "edit", "5", "--notes", "x"]);
    assert_eq!(run.code, 1);
    assert_eq!(run.stderr, "engage: error: partner 5 was forgotten; there is nothing left to edit\n");
}

#[test]
fn export_leaves_out_contact_details_unless_asked() {
    let net = Network::new();
    network(&net);
    let plain = net.ok(&["recruit", "export", "--format", "csv"]);
    let header = plain.lines().next().unwrap();
    assert!(!header.contains("email") && !header.contains("phone") && !header.contains("postal_code"), "{header}");
    assert!(!plain.contains("@example.org"));
    let full = net.ok(&["recruit", "export", "--with-contact", "--format", "csv"]);
    assert!(full.lines().next().unwrap().contains("\"email\",\"phone\",\"postal_code\""));
    assert!(full.contains("dee@example.org"));
    assert_eq!(plain.lines().count(), 6);
}

#[test]
fn show_has_the_history_of_engagements() {
    let net = Network::new();
    network(&net);
    net.request(&[]);
    net.ok(&["recruit", "invite", "1"]);
    net.ok(&["recruit", "respond", "1", "1", "--interested"]);
    let ana = net.json(&["recruit", "show", "1"]);
    assert_eq!(
        ana["history"],
        json!([{"request_id": 1, "title": "Discharge co-design", "request_status": "recruiting", "invited_on": "2026-11-23",
                "response": "interested", "responded_on": "2026-11-23", "outcome": null, "decided_on": null,
                "hours": null, "owed": null, "paid": null, "reimbursed": null,
                "checkins": 0, "concerns": 0, "open_concerns": 0}])
    );
    let run = net.run(&["recruit", "show", "99"]);
    assert_eq!(run.stderr, "engage: error: there is no partner 99; `engage recruit list` shows the network\n");
}

/// The partners `recruit invite` should reach on a request for "mental health" in `region`, read
/// straight from the table: active, consenting, with an e-mail, the region containing `region`
/// (any region, or none, when it is empty), nobody engaged yet so in the order they joined.
fn reachable_in(net: &Network, region: &str, french: bool) -> Vec<i64> {
    let conn = net.conn();
    let mut statement = conn
        .prepare(
            "SELECT id FROM partner WHERE status = 'active' AND consent = 1 AND email IS NOT NULL \
             AND (?1 = '' OR lower(region) LIKE '%' || ?1 || '%') AND (?2 = 0 OR languages LIKE '%French%') ORDER BY id",
        )
        .unwrap();
    statement.query_map(rusqlite::params![region, french], |r| r.get(0)).unwrap().map(Result::unwrap).collect()
}

fn invited(net: &Network, request: i64, extra: &[&str]) -> Vec<i64> {
    let mut args = vec!["recruit".to_string(), "invite".into(), request.to_string(), "--dry-run".into()];
    args.extend(extra.iter().map(|a| a.to_string()));
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    net.json(&args)["recipients"].as_array().unwrap().iter().map(|r| r["partner_id"].as_i64().unwrap()).collect()
}

#[test]
fn the_match_is_the_same_with_few_regions_or_very_many_and_a_limit_reads_only_what_it_needs() {
    let net = Network::new();
    let export = net.path("signups.csv");
    crate::faults::signups::generate(&export, 1_300, 11);
    net.run(&["recruit", "import", export.to_str().unwrap()]);
    assert!(net.count("partner") > 1_200, "the export makes a network of more than 1,200");
    // Everyone shares the topic; a third speak English only; a few have no region.
    net.exec(
        "UPDATE partner SET topics = '[\"Mental health\"]', \
         languages = CASE WHEN id % 3 = 0 THEN '[\"English\"]' ELSE '[\"English\",\"French\"]' END",
    );
    let anywhere = net.request(&["--topics", "mental health", "--title", "Anywhere"]);
    let in_area_1 = net.request(&["--topics", "mental health", "--title", "Area 1", "--region", "area 1"]);
    // Seven regions: each sought on its own. Then one region each, more than engage seeks one at
    // a time (1,000): every reachable partner is read in one pass. The answer is the same.
    for regions in ["'Area ' || (id % 7)", "'Area ' || id"] {
        net.exec(&format!("UPDATE partner SET region = CASE WHEN id % 50 = 0 THEN NULL ELSE {regions} END"));
        assert_eq!(invited(&net, in_area_1, &[]), reachable_in(&net, "area 1", false), "{regions}");
        let everyone = reachable_in(&net, "", false);
        assert!(everyone.len() > 1_000, "{}", everyone.len());
        assert_eq!(invited(&net, anywhere, &[]), everyone, "{regions}: those without a region too");
        // More than the first thousand are read for 700 who speak French: the limit goes on
        // reading until it has them.
        let french = reachable_in(&net, "", true);
        assert_eq!(invited(&net, anywhere, &["--language", "fr", "--limit", "700"]), french[..700], "{regions}");
        assert_eq!(invited(&net, anywhere, &["--limit", "3"]), everyone[..3], "{regions}");
    }
}
