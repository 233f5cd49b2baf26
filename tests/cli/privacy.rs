//! Rule 7 audited across every output: contact details only where the rule allows them, files
//! readable by their owner only, and `recruit forget` leaving nothing of a person in any output or
//! in the database's bytes.

use crate::support::{Network, mode};
use std::fs;
use std::path::Path;

/// The five partners of the audit: their first name, and their contact details (e-mail, phone,
/// postal code, and an unmapped sign-up column that holds an emergency contact).
const PEOPLE: [(&str, [&str; 4]); 5] = [
    ("Xenia", ["xenia.quillfeather@example.org", "604-555-0101", "V5K 0A1", "QX-EXTRA"]),
    ("Yusuf", ["yusuf.brightwater@example.org", "604-555-0102", "V5K 0A2", "QY-EXTRA"]),
    ("Zora", ["zora.nightingale@example.org", "604-555-0103", "V5K 0A3", "QZ-EXTRA"]),
    ("Wren", ["wren.ashdown@example.org", "604-555-0104", "V5K 0A4", "QW-EXTRA"]),
    ("Vera", ["vera.oakridge@example.org", "604-555-0105", "V5K 0A5", "QV-EXTRA"]),
];

const SIGNUPS: &str = "\
Timestamp,First name,Last name,Email address,Phone,Postal code,Region,Topics of interest,Lived experience,Availability,Accessibility needs,Consent to be contacted,Emergency contact
2026-08-15 10:00:00,Xenia,Quillfeather,xenia.quillfeather@example.org,604-555-0101,V5K 0A1,Fraser,Mental health,QX-LIVED two years of psychiatric care,QX-AVAIL mornings,QX-ACCESS captions,Yes,QX-EXTRA her brother 604-555-0177
2026-08-15 10:05:00,Yusuf,Brightwater,yusuf.brightwater@example.org,604-555-0102,V5K 0A2,Fraser,Mental health,QY-LIVED,QY-AVAIL,,Yes,QY-EXTRA
2026-08-15 10:10:00,Zora,Nightingale,zora.nightingale@example.org,604-555-0103,V5K 0A3,Fraser,Mental health,QZ-LIVED,,,No,QZ-EXTRA
2026-08-15 10:15:00,Wren,Ashdown,wren.ashdown@example.org,604-555-0104,V5K 0A4,Fraser,Mental health,QW-LIVED,,,Yes,QW-EXTRA
2026-08-15 10:20:00,Vera,Oakridge,vera.oakridge@example.org,604-555-0105,V5K 0A5,Fraser,Cancer care,QV-LIVED,,,Yes,QV-EXTRA
";

/// Xenia (1) and Yusuf (2) answered request 1 and Xenia was selected, with every kind of free text
/// a coordinator keeps about her; Zora (3) never consented; Wren (4) is paused; Vera (5) is selected
/// for request 2.
fn network(net: &Network) {
    let file = net.path("signups.csv");
    fs::write(&file, SIGNUPS).unwrap();
    let on = |day: &str, args: &[&str]| {
        let out = net.cmd().env("ENGAGE_TODAY", day).args(args).output().unwrap();
        assert!(out.status.success(), "engage {args:?}: {}", String::from_utf8_lossy(&out.stderr));
    };
    on("2026-08-15", &["recruit", "import", file.to_str().unwrap()]);
    on("2026-08-20", &["recruit", "edit", "4", "--status", "paused"]);
    on("2026-08-20", &["recruit", "edit", "1", "--notes", "QX-NOTE met at the clinic", "--preferred-name", "Xeni"]);
    let request = |title: &str, topics: &str, way: &str, ends: &str| {
        on(
            "2026-09-01",
            &[
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
                way,
                "--topics",
                topics,
                "--region",
                "Fraser",
                "--starts",
                "2026-10-01",
                "--ends",
                ends,
                "--respond-by",
                "2026-09-20",
            ],
        )
    };
    request("Discharge co-design", "Mental health", "involve", "2026-11-15");
    request("Cancer pathway review", "Cancer care", "consult", "2027-01-31");
    on("2026-09-02", &["recruit", "invite", "1"]);
    on("2026-09-02", &["recruit", "invite", "2"]);
    on(
        "2026-09-05",
        &[
            "recruit",
            "respond",
            "1",
            "1",
            "--interested",
            "--statement",
            "QX-STATEMENT my own discharge went badly",
            "--availability",
            "QX-RESPONSE-AVAIL",
            "--conflict",
            "QX-CONFLICT my sister works on the ward",
        ],
    );
    on("2026-09-05", &["recruit", "respond", "1", "2", "--interested", "--statement", "QY-STATEMENT"]);
    on("2026-09-05", &["recruit", "respond", "2", "5", "--interested"]);
    on(
        "2026-09-25",
        &["select", "decide", "1", "--select", "1", "--reason", "1=QX-REASON her sister is not on the team"],
    );
    on("2026-09-25", &["select", "decide", "2", "--select", "5"]);
    on("2026-09-26", &["select", "onboard", "1", "1", "--commitments-signed", "2026-09-26"]);
    on(
        "2026-10-20",
        &[
            "checkin",
            "1",
            "--partner",
            "1",
            "--hours",
            "3",
            "--expenses",
            "12",
            "--expense-note",
            "QX-EXPENSE taxi to Surrey",
            "--note",
            "QX-CHECKIN her mother was in hospital",
            "--concern",
            "wellbeing",
        ],
    );
    on("2026-10-27", &["checkin", "resolve", "1", "--note", "QX-RESOLVED she is back"]);
    on("2026-11-20", &["close", "pay", "1", "1", "--method", "e-transfer"]);
}

/// Every output that lists or shows what the network holds, and whose contact details each may
/// carry by rule 7 (partner numbers, 1-based as in `PEOPLE`).
fn outputs() -> Vec<(Vec<String>, Vec<usize>)> {
    let everyone_kept: Vec<usize> = vec![1, 2, 3, 4, 5];
    let mut all: Vec<(Vec<&str>, Vec<usize>)> = vec![
        (vec!["request", "list"], vec![]),
        (vec!["request", "show", "1"], vec![]),
        (vec!["request", "show", "2"], vec![]),
        (vec!["recruit", "list"], vec![]),
        (vec!["recruit", "list", "--status", "paused"], vec![]),
        (vec!["recruit", "list", "--search", "Quill"], vec![]),
        (vec!["recruit", "export"], vec![]),
        (vec!["recruit", "export", "--with-contact"], everyone_kept),
        (vec!["recruit", "responses", "1"], vec![]),
        (vec!["recruit", "responses", "2"], vec![]),
        // Only active partners who consented, and only those not invited yet: nobody is left.
        (vec!["recruit", "invite", "1", "--dry-run"], vec![]),
        (vec!["recruit", "invite", "2", "--dry-run"], vec![]),
        (vec!["select", "rank", "1"], vec![]),
        // The requester's contact sheet: that engagement's selected partners only.
        (vec!["select", "roster", "1"], vec![1]),
        (vec!["select", "roster", "2"], vec![5]),
        // Whom to tell the outcome: those who answered this request.
        (vec!["select", "notify", "1", "--dry-run"], vec![1, 2]),
        (vec!["select", "onboard", "1", "1"], vec![]),
        (vec!["checkin", "list"], vec![]),
        (vec!["checkin", "list", "1"], vec![]),
        (vec!["checkin", "due"], vec![]),
        (vec!["close", "statement", "1"], vec![]),
        (vec!["close", "statement", "2"], vec![]),
        (vec!["report", "reminders"], vec![]),
        (vec!["report", "summary"], vec![]),
        (vec!["report", "participation"], vec![]),
        (vec!["report", "compensation"], vec![]),
        (vec!["config", "list"], vec![]),
    ];
    for p in 1..=5 {
        all.push((vec!["recruit", "show", ["1", "2", "3", "4", "5"][p - 1]], vec![p]));
    }
    all.into_iter().map(|(args, allowed)| (args.into_iter().map(String::from).collect(), allowed)).collect()
}

/// Runs an output in each format; returns (what was run, standard output).
fn run_all(net: &Network, args: &[String]) -> Vec<(String, String)> {
    let mut seen = Vec::new();
    for format in ["table", "csv", "json"] {
        let mut full: Vec<&str> = args.iter().map(String::as_str).collect();
        full.extend(["--format", format]);
        let run = net.run(&full);
        assert_eq!(run.code, 0, "engage {full:?}: {}", run.stderr);
        seen.push((full.join(" "), format!("{}{}", run.stdout, run.stderr)));
    }
    seen
}

#[test]
fn contact_details_appear_only_where_rule_7_allows_them() {
    let net = Network::new();
    network(&net);
    let mut shown_somewhere = vec![false; 5];
    for (args, allowed) in outputs() {
        for (what, out) in run_all(&net, &args) {
            for (i, (name, contact)) in PEOPLE.iter().enumerate() {
                let shows = contact.iter().any(|c| out.contains(c));
                if allowed.contains(&(i + 1)) {
                    // The allowed ones are really there, or the check below could not fail.
                    assert!(out.contains(contact[0]), "`engage {what}` should show {name}'s e-mail:\n{out}");
                    shown_somewhere[i] |= shows;
                } else {
                    let leaked: Vec<&&str> = contact.iter().filter(|c| out.contains(**c)).collect();
                    assert!(leaked.is_empty(), "`engage {what}` shows {name}'s {leaked:?}:\n{out}");
                }
            }
        }
    }
    assert_eq!(shown_somewhere, vec![true; 5]);
}

/// Everything of Xenia's: names, contact details, answers, the coordinator's notes about her, her
/// check-in's notes, the reason she was selected.
const XENIA: &[&str] = &[
    "Xenia",
    "Xeni",
    "Quillfeather",
    "quillfeather",
    "604-555-0101",
    "604-555-0177",
    "V5K 0A1",
    "QX-",
    "psychiatric",
    "her sister",
    "her mother",
    "taxi to Surrey",
    "captions",
];

#[test]
fn a_forgotten_partner_is_in_no_output_and_not_in_the_database_file() {
    let net = Network::on_file();
    network(&net);
    // Before: she is there, so the checks below can fail.
    let before = net.ok(&["recruit", "show", "1", "--format", "json"]);
    assert!(before.contains("Quillfeather") && before.contains("QX-EXTRA"), "{before}");
    assert!(raw_bytes(&net.db).windows(12).any(|w| w == b"Quillfeather"));

    net.ok(&["recruit", "forget", "1"]);
    // A nightly re-import of the same export does not bring her back.
    net.run(&["recruit", "import", net.path("signups.csv").to_str().unwrap()]);
    for (args, _) in outputs() {
        for (what, out) in run_all(&net, &args) {
            for secret in XENIA {
                assert!(!out.contains(secret), "`engage {what}` still shows '{secret}':\n{out}");
            }
        }
    }
    // Not in the event log, not in her unmapped answers, and not in the file's bytes: secure_delete
    // overwrote the old cells and pages, and the forget truncated the write-ahead log.
    let conn = net.conn();
    let log: Vec<String> = conn
        .prepare("SELECT detail FROM event")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    for secret in XENIA {
        assert!(log.iter().all(|d| !d.contains(secret)), "the log keeps '{secret}'");
    }
    let extra: String = conn.query_row("SELECT extra FROM partner WHERE id = 1", [], |r| r.get(0)).unwrap();
    assert_eq!(extra, "{}");
    drop(conn);
    let raw = raw_bytes(&net.db);
    for secret in XENIA {
        assert!(!raw.windows(secret.len()).any(|w| w == secret.as_bytes()), "the database file still holds '{secret}'");
    }
    // The others are untouched.
    assert!(raw.windows(11).any(|w| w == b"Brightwater"));
}

/// The database and its -wal, as they are on disk.
fn raw_bytes(db: &Path) -> Vec<u8> {
    let mut raw = fs::read(db).unwrap();
    let wal = db.with_file_name(format!("{}-wal", db.file_name().unwrap().to_string_lossy()));
    if let Ok(more) = fs::read(wal) {
        raw.extend(more);
    }
    raw
}

#[test]
fn every_file_engage_writes_with_personal_data_is_readable_by_its_owner_only() {
    let mut net = Network::on_file();
    net.db = net.path("private/engage.db");
    // However permissive the umask (000 would leave new files writable by everyone), engage's files
    // are its owner's alone.
    let open_umask = |args: &[&str]| {
        let mut cmd = net.cmd();
        let program = cmd.get_program().to_owned();
        cmd.env("ENGAGE_BIN", program);
        let out = std::process::Command::new("sh")
            .envs(cmd.get_envs().filter_map(|(k, v)| v.map(|v| (k.to_owned(), v.to_owned()))))
            .args(["-c", "umask 000; exec \"$ENGAGE_BIN\" \"$@\"", "engage"])
            .args(args)
            .output()
            .unwrap();
        assert!(
            matches!(out.status.code(), Some(0) | Some(3)),
            "engage {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    };
    let signups = net.path("signups.csv");
    fs::write(&signups, format!("{SIGNUPS}2026-08-15 10:25:00,Bad,Row,not-an-address,,,,,,,,Yes,\n")).unwrap();
    let rejects = net.path("out/rejects.csv");
    fs::create_dir_all(net.path("out")).unwrap();
    open_umask(&["recruit", "import", signups.to_str().unwrap(), "--rejects", rejects.to_str().unwrap()]);
    assert_eq!(mode(&net.path("private")), 0o700, "the database's folder");
    assert_eq!(mode(&net.db), 0o600, "the database");
    assert_eq!(mode(&rejects), 0o600, "the rejects file (it holds the rejected rows' personal data)");
    assert!(fs::read_to_string(&rejects).unwrap().contains("not-an-address"));

    // The -wal and -shm files hold the same data while the database is open.
    let reader = net.conn();
    reader.execute_batch("BEGIN; SELECT count(*) FROM partner;").unwrap();
    open_umask(&["recruit", "edit", "2", "--notes", "kept in the log"]);
    for side in ["engage.db-wal", "engage.db-shm"] {
        assert_eq!(mode(&net.path(&format!("private/{side}"))), 0o600, "{side}");
    }
    reader.execute_batch("COMMIT").unwrap();
    drop(reader);

    let backup = net.path("out/backup.db");
    open_umask(&["db", "backup", backup.to_str().unwrap()]);
    assert_eq!(mode(&backup), 0o600, "the backup");
    let page = net.path("out/summary.html");
    open_umask(&["report", "summary", "--html", page.to_str().unwrap()]);
    assert_eq!(mode(&page), 0o600, "the summary's web page");
    // Nothing else is left in the folders engage wrote to, and all of it is the owner's alone: a
    // report opens the database read-only, so when it is the last to close it leaves the -wal and
    // -shm in place instead of removing them.
    let mut left: Vec<String> = Vec::new();
    for folder in ["out", "private"] {
        for entry in fs::read_dir(net.path(folder)).unwrap() {
            let entry = entry.unwrap();
            let name = entry.file_name().to_string_lossy().into_owned();
            assert_eq!(mode(&entry.path()), 0o600, "{folder}/{name}");
            left.push(name);
        }
    }
    left.sort();
    left.retain(|name| !matches!(name.as_str(), "engage.db-wal" | "engage.db-shm"));
    assert_eq!(left, ["backup.db", "engage.db", "rejects.csv", "summary.html"]);
}

/// Harpreet signed up, asked to be forgotten on 2026-10-20, and her old row is still in every
/// export the form tool makes, whatever it does to its columns.
const HARPREET_FORGOTTEN_ON: &str = "2026-10-20";

fn forgotten_harpreet() -> crate::support::Network {
    let mut net = Network::on_file();
    net.today = HARPREET_FORGOTTEN_ON.to_string();
    let file = net.path("signups.csv");
    fs::write(
        &file,
        "Timestamp,Email address,First name,Last name,Region,Consent to be contacted\n\
         2026-09-01 10:00:00,harpreet.gill@example.org,Harpreet,Gill,Fraser,Yes\n\
         2026-09-02 11:00:00,bo.chen@example.org,Bo,Chen,Fraser,Yes\n",
    )
    .unwrap();
    net.ok(&["recruit", "import", file.to_str().unwrap()]);
    net.ok(&["recruit", "forget", "1"]);
    net.today = crate::support::TODAY.to_string();
    net
}

/// Imports `text` as `name`; returns the report, after checking that its counts add up.
fn import_text(net: &Network, name: &str, text: &str) -> serde_json::Value {
    let file = net.path(name);
    fs::write(&file, text).unwrap();
    let run = net.run(&["recruit", "import", file.to_str().unwrap(), "--format", "json"]);
    assert!(run.code == 0 || run.code == 3, "{name}: {}", run.stderr);
    let report: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let n = |k: &str| report[k].as_i64().unwrap();
    assert_eq!(
        n("read"),
        n("new") + n("updated") + n("unchanged") + n("duplicates") + n("forgotten") + n("rejected"),
        "{name}: {report}"
    );
    report
}

fn partners_named(net: &Network, first: &str) -> i64 {
    net.conn().query_row("SELECT count(*) FROM partner WHERE first_name = ?1", [first], |r| r.get(0)).unwrap()
}

#[test]
fn a_forgotten_partner_is_not_brought_back_by_an_export_with_other_columns() {
    let net = forgotten_harpreet();
    let exports = [
        (
            "a column added",
            "Timestamp,Email address,First name,Last name,Region,Consent to be contacted,How did you hear about us?\n\
             2026-09-01 10:00:00,harpreet.gill@example.org,Harpreet,Gill,Fraser,Yes,A friend\n",
        ),
        (
            "a column removed",
            "Timestamp,Email address,First name,Last name,Consent to be contacted\n\
             2026-09-01 10:00:00,harpreet.gill@example.org,Harpreet,Gill,Yes\n",
        ),
        (
            "columns renamed",
            "Submitted at,E-mail,Given name,Surname,Region,Consent\n\
             2026-09-01 10:00:00,harpreet.gill@example.org,Harpreet,Gill,Fraser,Yes\n",
        ),
        (
            "columns reordered",
            "First name,Last name,Consent to be contacted,Region,Email address,Timestamp\n\
             Harpreet,Gill,Yes,Fraser,harpreet.gill@example.org,2026-09-01 10:00:00\n",
        ),
        (
            "the address in upper case and the name without its case",
            "Timestamp,Email address,First name,Last name,Region,Consent to be contacted\n\
             2026-09-01 10:00:00,HARPREET.GILL@EXAMPLE.ORG,HARPREET,GILL,Fraser,Yes\n",
        ),
        (
            "a full name in one column and another form tool's dates",
            "Submission Date,Name,E-mail,Consent to be contacted\n\
             2026/09/01 10:00:00 AM GMT-7,Harpreet Gill,harpreet.gill@example.org,Yes\n",
        ),
        ("no submission time at all", "Email,First name,Consent\nharpreet.gill@example.org,Harpreet,Yes\n"),
        (
            "submitted the day before she was forgotten",
            "Timestamp,Email address,First name,Consent to be contacted\n\
             2026-10-19 23:59:59,harpreet.gill@example.org,Harpreet,Yes\n",
        ),
    ];
    for (i, (what, text)) in exports.iter().enumerate() {
        let report = import_text(&net, &format!("export-{i}.csv"), text);
        assert_eq!(
            (report["read"].as_i64(), report["forgotten"].as_i64(), report["new"].as_i64()),
            (Some(1), Some(1), Some(0)),
            "{what}: {report}"
        );
        assert_eq!(partners_named(&net, "Harpreet") + partners_named(&net, "HARPREET"), 0, "{what}");
    }
    assert_eq!(net.count("partner"), 2);
    // The report says so, in the sum and in words.
    let file = net.path("export-0.csv");
    let run = net.run(&["recruit", "import", file.to_str().unwrap()]);
    assert!(
        run.stderr.contains("1 read = 0 new + 0 updated + 0 unchanged + 0 duplicates + 1 forgotten + 0 rejected."),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("1 rows are of people who asked to be forgotten; they were not brought back."),
        "{}",
        run.stderr
    );
}

#[test]
fn a_sign_up_submitted_after_the_forgetting_is_a_new_partner() {
    let net = forgotten_harpreet();
    // The form's whole export: her old row, Bo's, and her new sign-up of November.
    let report = import_text(
        &net,
        "export.csv",
        "Timestamp,Email address,First name,Last name,Region,Consent to be contacted\n\
         2026-09-01 10:00:00,harpreet.gill@example.org,Harpreet,Gill,Fraser,Yes\n\
         2026-09-02 11:00:00,bo.chen@example.org,Bo,Chen,Fraser,Yes\n\
         2026-11-01 09:30:00,Harpreet.Gill@example.org,Harpreet,Gill,Surrey,Yes\n",
    );
    assert_eq!(
        (report["new"].as_i64(), report["unchanged"].as_i64(), report["forgotten"].as_i64()),
        (Some(1), Some(1), Some(1)),
        "{report}"
    );
    let back: (i64, String, String, String) = net
        .conn()
        .query_row("SELECT id, email, region, joined_on FROM partner WHERE first_name = 'Harpreet'", [], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
        })
        .unwrap();
    // A new partner, with only what she gave the second time; the forgotten one stays forgotten.
    assert_eq!(back, (3, "harpreet.gill@example.org".into(), "Surrey".into(), "2026-11-01".into()));
    let old: (Option<String>, String) = net
        .conn()
        .query_row("SELECT email, status FROM partner WHERE id = 1", [], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap();
    assert_eq!(old, (None, "forgotten".into()));
    // Her old row still does not touch the new record.
    let again = import_text(&net, "export.csv", &fs::read_to_string(net.path("export.csv")).unwrap());
    assert_eq!((again["forgotten"].as_i64(), again["updated"].as_i64()), (Some(1), Some(0)), "{again}");
    let region: String = net.conn().query_row("SELECT region FROM partner WHERE id = 3", [], |r| r.get(0)).unwrap();
    assert_eq!(region, "Surrey");
}

#[test]
fn what_forgetting_keeps_is_a_hash_under_a_key_of_the_databases_own() {
    let one = forgotten_harpreet();
    let two = forgotten_harpreet();
    let kept = |net: &Network| -> (Vec<u8>, Vec<u8>, String) {
        let conn = net.conn();
        let key: Vec<u8> = conn.query_row("SELECT key FROM identity_key", [], |r| r.get(0)).unwrap();
        let (hash, at): (Vec<u8>, String) = conn
            .query_row("SELECT identity, forgotten_at FROM forgotten_identity", [], |r| Ok((r.get(0)?, r.get(1)?)))
            .unwrap();
        (key, hash, at)
    };
    let (key_one, hash_one, at) = kept(&one);
    let (key_two, hash_two, _) = kept(&two);
    assert_eq!((key_one.len(), hash_one.len()), (32, 32));
    assert_eq!(at, format!("{HARPREET_FORGOTTEN_ON}T00:00:00"));
    // The same person, forgotten in two networks: two keys, two hashes that cannot be matched up.
    assert_ne!(key_one, key_two);
    assert_ne!(hash_one, hash_two);
    assert_eq!(one.count("forgotten_identity"), 1);
    // Nothing else of her: not her address, not her name.
    let raw = raw_bytes(&one.db);
    for secret in ["harpreet", "Harpreet", "Gill"] {
        assert!(!raw.windows(secret.len()).any(|w| w == secret.as_bytes()), "the file still holds '{secret}'");
    }
}

#[test]
fn a_partner_forgotten_before_identity_hashes_is_still_kept_out_by_the_hash_of_their_row() {
    let net = Network::new();
    let file = net.path("signups.csv");
    fs::write(&file, SIGNUPS).unwrap();
    net.ok(&["recruit", "import", file.to_str().unwrap()]);
    // What an older engage's `recruit forget` left: the identifying columns erased, the row's
    // hash kept, and no identity hash.
    net.exec(
        "UPDATE partner SET first_name = NULL, last_name = NULL, email = NULL, phone = NULL, \
         status = 'forgotten' WHERE id = 1",
    );
    net.ok(&["db", "check", "--repair"]);
    assert_eq!(net.count("forgotten_identity"), 0);
    let report = import_text(&net, "signups.csv", SIGNUPS);
    assert_eq!((report["forgotten"].as_i64(), report["new"].as_i64()), (Some(1), Some(0)), "{report}");
    assert_eq!(partners_named(&net, "Xenia"), 0);
}

/// Five partners imported; a second connection (a long report, a sqlite3 shell) holds a read open
/// on the file, as it was before anyone was forgotten.
fn imported_with_a_reader() -> (Network, rusqlite::Connection) {
    let net = Network::on_file();
    let file = net.path("signups.csv");
    fs::write(&file, SIGNUPS).unwrap();
    net.ok(&["recruit", "import", file.to_str().unwrap()]);
    let reader = net.conn();
    reader.execute_batch("BEGIN; SELECT count(*) FROM partner;").unwrap();
    (net, reader)
}

fn holds(raw: &[u8], secret: &str) -> bool {
    raw.windows(secret.len()).any(|w| w == secret.as_bytes())
}

#[test]
fn forget_says_when_an_open_read_keeps_the_erased_text_in_the_files_bytes_and_db_check_finishes_it() {
    let (net, reader) = imported_with_a_reader();
    let run = net.run(&["recruit", "forget", "1"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let db = net.db.display().to_string();
    assert_eq!(
        run.stderr,
        format!(
            "Forgot partner 1: names, contact details, answers and notes are erased; region, community type and \
             engagement counts remain for anonymous reports.\n\
             warning: another engage or sqlite3 is still reading {db}, so the erased text stays in the bytes of that \
             file and of {db}-wal until it closes: run `engage db check` after it has, and the erasure is finished\n"
        )
    );
    // What the warning says is true: the old page is still in the file, for the open read.
    assert!(holds(&raw_bytes(&net.db), "Quillfeather"));
    let pending: i64 = net.conn().query_row("SELECT count(*) FROM erasure_pending", [], |r| r.get(0)).unwrap();
    assert_eq!(pending, 1);
    // While the read is open, `db check` cannot finish it either, and says so.
    let run = net.run(&["db", "check"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stderr.starts_with("warning: another engage or sqlite3 is still reading"), "{}", run.stderr);
    // The read ends; its connection stays open (the last connection to close would checkpoint the
    // file by itself, and then this test would prove nothing about engage).
    reader.execute_batch("COMMIT").unwrap();
    let run = net.run(&["db", "check"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        run.stderr,
        format!(
            "Finished the erasure of `recruit forget`: the erased text is gone from the bytes of {db} and {db}-wal.\n"
        )
    );
    let raw = raw_bytes(&net.db);
    for secret in ["Xenia", "Quillfeather", "xenia.quillfeather", "604-555-0101", "QX-"] {
        assert!(!holds(&raw, secret), "the database's bytes still hold '{secret}'");
    }
    assert!(holds(&raw, "Brightwater"));
    let pending: i64 = reader.query_row("SELECT count(*) FROM erasure_pending", [], |r| r.get(0)).unwrap();
    assert_eq!(pending, 0);
    // Once finished, `db check` has nothing more to say about it.
    let run = net.run(&["db", "check"]);
    assert_eq!(run.stderr, "");
    drop(reader);
}

#[test]
fn the_next_engage_command_finishes_an_erasure_an_open_read_held_back() {
    let (net, reader) = imported_with_a_reader();
    let run = net.run(&["recruit", "forget", "2"]);
    assert!(run.stderr.contains("warning: another engage or sqlite3 is still reading"), "{}", run.stderr);
    reader.execute_batch("COMMIT").unwrap();
    net.ok(&["recruit", "list"]);
    let raw = raw_bytes(&net.db);
    for secret in ["Yusuf", "Brightwater", "QY-"] {
        assert!(!holds(&raw, secret), "the database's bytes still hold '{secret}'");
    }
    assert!(holds(&raw, "Quillfeather"));
    drop(reader);
}

#[test]
fn forgetting_takes_the_partner_out_of_the_search_index_and_its_bytes() {
    let net = Network::on_file();
    // The text only she holds: U+A66E, so that its trigram is three characters no other text of the
    // file shares, and stands in the index's pages whole.
    let secret = "ꙮꙮꙮꙮ";
    let add = |first: &str, email: &str, lived: &str| {
        net.ok(&[
            "recruit",
            "add",
            "--first",
            first,
            "--last",
            "Fernsby",
            "--email",
            email,
            "--lived-experience",
            lived,
        ]);
    };
    add("Ines", "ines@example.org", &format!("{secret} two years of dialysis"));
    add("Joan", "joan@example.org", "a hip replacement");
    let found = |text: &str| net.found(text);
    let indexed = |text: &str| -> i64 {
        net.conn()
            .query_row(
                "SELECT count(*) FROM partner_search WHERE partner_search MATCH ?1",
                [format!("\"{text}\"")],
                |r| r.get(0),
            )
            .unwrap()
    };
    // Before: the index finds her, and the file holds the text.
    assert_eq!(found("ꙮꙮꙮ"), [1]);
    assert_eq!(found("fernsby"), [1, 2]);
    assert_eq!(indexed("ꙮꙮꙮ"), 1);
    assert_eq!(indexed("dia"), 1);
    assert!(raw_bytes(&net.db).windows(9).any(|w| w == "ꙮꙮꙮ".as_bytes()));

    net.ok(&["db", "check"]);
    net.ok(&["recruit", "forget", "1"]);
    // The index still matches the partner table.
    net.ok(&["db", "check"]);
    // The index has none of her text: nothing it holds leads to her, not even a trigram.
    assert_eq!(found("ꙮꙮꙮ"), Vec::<i64>::new());
    assert_eq!(found("fernsby"), [2]);
    assert_eq!(indexed("ꙮꙮꙮ"), 0);
    assert_eq!(indexed("dia"), 0);
    assert_eq!(indexed("ine"), 0);
    assert_eq!(indexed("hip"), 1);
    let conn = net.conn();
    conn.execute("INSERT INTO partner_search (partner_search, rank) VALUES ('integrity-check', 1)", []).unwrap();
    drop(conn);
    let raw = raw_bytes(&net.db);
    assert!(!raw.windows(9).any(|w| w == "ꙮꙮꙮ".as_bytes()), "the file or its -wal still holds her trigram");
    assert!(!raw.windows(8).any(|w| w == b"dialysis"));
}
