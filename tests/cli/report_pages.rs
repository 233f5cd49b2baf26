//! `report summary`, `participation` and `compensation` on a fixed network, against figures worked
//! out by hand; their HTML pages, self-contained, and drawn by a real browser (Debian's chromium,
//! headless, no network), whose screenshot is read back pixel by pixel; the summary page in French,
//! whose text the browser is checked to have read as written.

use crate::report::{on, replay};
use crate::support::Network;
use engage::domain::compensation::Totals;
use engage::domain::kinds::{Community, RequestStatus, Way};
use engage::domain::language::Language;
use engage::domain::money::{Hours, Money};
use engage::domain::report::{Network as Members, Period, Share, Summary};
use serde_json::{Value as Json, json};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// The day the reports are read.
const TODAY: &str = "2027-03-31";

/// Eight partners and six requests over five months:
///
/// | request | way | received | invited | interested | decided (days) | selected | status today |
/// | --- | --- | --- | --- | --- | --- | --- | --- |
/// | 1 Discharge co-design, Fraser, urban | collaborate $50/h | 2026-11-02 | Ana, Ben, Farid | Ana, Ben, Chloé | 2026-11-19 (17) | Ana, Ben | closed, ended 2027-01-31 |
/// | 2 ER wayfinding, Interior, rural | consult, $50 honorarium | 2026-11-10 | Chloé, Dev | Chloé, Dev | 2026-11-26 (16) | Chloé, Dev | closed, ended 2026-12-05 |
/// | 3 Evidence scan, Northern, remote | involve $40/h | 2026-12-01 | Emma | Ana, Emma, Farid | 2026-12-21 (20) | Ana, Emma | active until 2027-04-30 |
/// | 4 Peer support pilot | consult | 2027-01-05 | | | | | cancelled |
/// | 5 Network newsletter, Fraser, urban | inform | 2027-02-01 | Ana, Ben, Farid | Farid (Ben declined) | | | recruiting |
/// | 6 Patient safety policy | lead | 2027-03-20 | | | | | submitted |
///
/// Hours: Ana 10 + 6 on request 1 and 5 on request 3; Ben 8 + 4; Chloé and Dev 2 each; Emma 7.
/// Expenses: Ana $20 on request 1 (reimbursed 2027-02-15), Emma $45.50 on request 3 (not yet).
/// Paid: Chloé and Dev $50 each on 2027-01-10, Ana $800 on 2027-02-15, Ben $600 on 2027-03-05.
/// Grace joins on 2027-01-15, Hana on 2027-02-01 and pauses on 2027-03-01.
fn network() -> Network {
    let net = Network::new();
    let add = |first: &str, last: &str, region: &str, community: &str, topics: &str| {
        format!(
            "recruit add --first '{first}' --last {last} --email {}.{}@example.org --consent --region {region} \
             --community {community} --topics '{topics}'",
            first.to_lowercase().replace('é', "e"),
            last.to_lowercase()
        )
    };
    let partners = [
        add("Ana", "Silva", "Fraser", "urban", "discharge"),
        add("Ben", "Okafor", "Fraser", "urban", "discharge"),
        add("Chloé", "Martin", "Interior", "rural", "emergency care"),
        add("Dev", "Patel", "Interior", "rural", "emergency care"),
        add("Emma", "Tremblay", "Northern", "remote", "cancer"),
        add("Farid", "Haddad", "Fraser", "urban", "discharge,cancer"),
    ];
    let mut steps: Vec<(&str, &str)> = partners.iter().map(|p| ("2026-10-01", p.as_str())).collect();
    steps.extend_from_slice(&[
        (
            "2026-11-02",
            "request new --title 'Discharge co-design' --org 'Fraser Health' --contact-name 'Lee Wong' \
             --contact-email lee.wong@example.org --way collaborate --region Fraser --community urban \
             --topics discharge --respond-by 2026-11-16 --starts 2026-12-01 --ends 2027-01-31 --hours 40",
        ),
        ("2026-11-03", "recruit invite 1"),
        (
            "2026-11-10",
            "request new --title 'ER wayfinding' --org 'Interior Health' --contact-name 'Sam Roy' \
             --contact-email sam.roy@example.org --way consult --region Interior --community rural \
             --topics 'emergency care' --honorarium 50 --respond-by 2026-11-24 --starts 2026-12-05 --ends 2026-12-05",
        ),
        ("2026-11-10", "recruit respond 1 1 --interested"),
        ("2026-11-10", "recruit respond 1 2 --interested"),
        ("2026-11-10", "recruit respond 1 3 --interested"),
        ("2026-11-12", "recruit invite 2"),
        ("2026-11-19", "select decide 1 --select 1,2"),
        ("2026-11-19", "select notify 1"),
        ("2026-11-20", "recruit respond 2 3 --interested"),
        ("2026-11-20", "recruit respond 2 4 --interested"),
        ("2026-11-26", "select decide 2 --select 3,4"),
        ("2026-11-26", "select notify 2"),
        (
            "2026-12-01",
            "request new --title 'Evidence scan' --org 'BC Cancer' --contact-name 'Kim Ng' \
             --contact-email kim.ng@example.org --way involve --region Northern --community remote --topics cancer \
             --respond-by 2026-12-15 --starts 2027-01-05 --ends 2027-04-30",
        ),
        ("2026-12-02", "recruit invite 3"),
        ("2026-12-05", "checkin 2 --partner 3 --hours 2"),
        ("2026-12-05", "checkin 2 --partner 4 --hours 2"),
        ("2026-12-10", "recruit respond 3 1 --interested"),
        ("2026-12-10", "recruit respond 3 5 --interested"),
        ("2026-12-10", "recruit respond 3 6 --interested"),
        ("2026-12-16", "checkin 1 --partner 1 --hours 10 --expenses 20 --expense-note parking"),
        ("2026-12-16", "checkin 1 --partner 2 --hours 8"),
        (
            "2026-12-20",
            "close 2 --outcomes 'new signs ordered' --loop-closed today --thanked today --partner-survey today \
             --requester-survey today --force",
        ),
        ("2026-12-21", "select decide 3 --select 1,5"),
        ("2026-12-21", "select notify 3"),
        (
            "2027-01-05",
            "request new --title 'Peer support pilot' --org 'Fraser Health' --contact-name 'Lee Wong' \
             --contact-email lee.wong@example.org --way consult",
        ),
        ("2027-01-10", "request cancel 4 --reason 'the pilot lost its funding'"),
        ("2027-01-10", "close pay 2 3 --method gift-card"),
        ("2027-01-10", "close pay 2 4 --method donation"),
        (
            "2027-01-15",
            "recruit add --first Grace --last Lee --email grace.lee@example.org --consent --region Fraser \
             --community urban",
        ),
        ("2027-01-20", "checkin 1 --partner 1 --hours 6"),
        ("2027-01-20", "checkin 1 --partner 2 --hours 4"),
        ("2027-02-01", "recruit add --first Hana --last Sato --email hana.sato@example.org --region Northern"),
        (
            "2027-02-01",
            "request new --title 'Network newsletter' --org 'Fraser Health' --contact-name 'Lee Wong' \
             --contact-email lee.wong@example.org --way inform --region Fraser --community urban --topics discharge \
             --respond-by 2027-04-15",
        ),
        ("2027-02-02", "recruit invite 5"),
        ("2027-02-05", "recruit respond 5 6 --interested"),
        ("2027-02-05", "recruit respond 5 2 --declined"),
        (
            "2027-02-10",
            "close 1 --outcomes 'discharge checklist adopted' --loop-closed today --thanked today \
             --partner-survey today --requester-survey today --force",
        ),
        ("2027-02-15", "close pay 1 1 --method e-transfer"),
        ("2027-02-15", "close reimburse 1 1"),
        ("2027-02-20", "checkin 3 --partner 1 --hours 5"),
        ("2027-02-20", "checkin 3 --partner 5 --hours 7 --expenses 45.50 --expense-note 'bus fare'"),
        ("2027-03-01", "recruit edit 8 --status paused"),
        ("2027-03-05", "close pay 1 2 --method cheque"),
        (
            "2027-03-20",
            "request new --title 'Patient safety policy' --org 'Ministry of Health' --contact-name 'Pat Kaur' \
             --contact-email pat.kaur@example.org --way lead --domain policy --level system",
        ),
    ]);
    replay(&net, &steps);
    net
}

fn report(net: &Network, args: &[&str]) -> Json {
    let mut all = vec!["report"];
    all.extend_from_slice(args);
    all.extend(["--format", "json"]);
    serde_json::from_str(&on(net, TODAY, &all)).unwrap()
}

/// The fields of `got` named in `want`, so that a mismatch shows both side by side.
fn pick(got: &Json, want: &Json) -> Json {
    let keys = want.as_object().unwrap().keys();
    Json::Object(keys.map(|k| (k.clone(), got[k].clone())).collect())
}

#[test]
fn the_summary_adds_up_to_the_figures_worked_out_by_hand() {
    let net = network();
    let s = report(&net, &["summary"]);
    let want = json!({
        "requests_received": 6,
        // Requests 1, 2, 3: 17, 16 and 20 days from received to decided.
        "requests_decided": 3,
        "median_days_to_selection": 17,
        // Invited 3 + 2 + 1 + 3; answered by the invited: Ana and Ben on 1 (Chloé was not
        // invited), Chloé and Dev on 2, Emma on 3, Farid and Ben on 5: 7 of 9.
        "invitations": 9,
        "responses": 7,
        "response_rate_percent": 77.8,
        // Interested 3 + 2 + 3 + 1, with or without an invitation; selected 2 + 2 + 2.
        "interested": 9,
        "selected": 6,
        "selection_rate_percent": 66.7,
        "partners": 8,
        "partners_active": 7,
        "partners_paused": 1,
        "partners_new": 8,
        // Ana (twice), Ben, Chloé, Dev and Emma, on requests 1, 2 and 3.
        "partners_engaged": 5,
        "engagements": 3,
        // 16 + 12 on 1, 2 + 2 on 2, 5 + 7 on 3.
        "hours": 44,
        // $50 × 28 + 2 × $50 + $40 × 12 = 1,400 + 100 + 480; all paid but request 3's.
        "compensation_owed": "1980.00",
        "compensation_paid": "1500.00",
        "compensation_outstanding": "480.00",
        "expenses": "65.50",
        "expenses_reimbursed": "20.00",
    });
    assert_eq!(pick(&s, &want), want);
    let by_status: Vec<(String, i64)> = s["pipeline"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| (r["status"].as_str().unwrap().to_string(), r["total"].as_i64().unwrap()))
        .collect();
    let expected =
        [("submitted", 1), ("recruiting", 1), ("selecting", 0), ("active", 1), ("closed", 2), ("cancelled", 1)];
    assert_eq!(by_status, expected.map(|(s, n)| (s.to_string(), n)));
    assert_eq!(
        s["pipeline"][4],
        json!({"status": "closed", "inform": 0, "consult": 1, "involve": 0, "collaborate": 1, "lead": 0, "total": 2})
    );
    assert_eq!(
        s["engagements_by_way"],
        json!([
            {"way": "inform", "engagements": 0, "partners": 0, "hours": 0, "owed": "0.00", "paid": "0.00"},
            {"way": "consult", "engagements": 1, "partners": 2, "hours": 4, "owed": "100.00", "paid": "100.00"},
            {"way": "involve", "engagements": 1, "partners": 2, "hours": 12, "owed": "480.00", "paid": "0.00"},
            {"way": "collaborate", "engagements": 1, "partners": 2, "hours": 28, "owed": "1400.00", "paid": "1400.00"},
            {"way": "lead", "engagements": 0, "partners": 0, "hours": 0, "owed": "0.00", "paid": "0.00"},
        ])
    );
    // Farid was interested and never engaged; Ana has two engagements, the four others one.
    let buckets: Vec<i64> =
        s["participation"].as_array().unwrap().iter().map(|b| b["partners"].as_i64().unwrap()).collect();
    assert_eq!(buckets, [1, 4, 1, 0, 0, 0]);
    assert_eq!(
        s["reach_by_region"],
        json!([
            {"region": "Fraser", "engagements": 1, "partners": 2},
            {"region": "Interior", "engagements": 1, "partners": 2},
            {"region": "Northern", "engagements": 1, "partners": 2},
        ])
    );
    assert_eq!(s["reach_by_community"][2], json!({"community": "remote", "engagements": 1, "partners": 2}));
    // Paid by the month it was paid in, from the first payment.
    assert_eq!(
        s["paid_by_month"],
        json!([
            {"month": "2027-01", "paid": "100.00", "reimbursed": "0.00"},
            {"month": "2027-02", "paid": "800.00", "reimbursed": "20.00"},
            {"month": "2027-03", "paid": "600.00", "reimbursed": "0.00"},
        ])
    );

    // The first quarter of 2027: requests 4, 5 and 6 were received in it, none decided; requests
    // 1 (until 2027-01-31) and 3 ran in it, request 2 had ended; Grace and Hana joined.
    let q1 = report(&net, &["summary", "--from", "2027-01-01", "--to", "2027-03-31"]);
    let want = json!({
        "from": "2027-01-01",
        "requests_received": 3,
        "requests_decided": 0,
        "median_days_to_selection": null,
        "invitations": 3,
        "responses": 2,
        "interested": 1,
        "selection_rate_percent": 0,
        "partners_new": 2,
        "engagements": 2,
        "partners_engaged": 3,
        "hours": 40,
        "compensation_owed": "1880.00",
        "compensation_paid": "1400.00",
    });
    assert_eq!(pick(&q1, &want), want);
    // Back on the last day of 2026, before anything was paid: the months are those of the period.
    let before = report(&net, &["summary", "--from", "2026-11-01", "--to", "2026-12-31"]);
    assert_eq!(before["paid_by_month"].as_array().unwrap().len(), 2);
    assert_eq!(before["requests_received"], 3);
}

#[test]
fn participation_and_compensation_add_up_to_the_figures_worked_out_by_hand() {
    let net = network();
    // Six seats among six interested partners: a fair share is one engagement each.
    let rows = report(&net, &["participation"]);
    let got: Vec<Json> = rows
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            json!([
                r["partner_id"],
                r["invitations"],
                r["interested"],
                r["engagements"],
                r["hours"],
                r["last_engaged"],
                r["share_percent"],
                r["fair_share"],
                r["note"]
            ])
        })
        .collect();
    assert_eq!(
        got,
        [
            json!([1, 2, 2, 2, 21, "2026-12-21", 33.3, 2, "over-used"]),
            json!([2, 2, 1, 1, 12, "2026-11-19", 16.7, 1, null]),
            json!([5, 1, 1, 1, 7, "2026-12-21", 16.7, 1, null]),
            json!([3, 1, 2, 1, 2, "2026-11-26", 16.7, 1, null]),
            json!([4, 1, 1, 1, 2, "2026-11-26", 16.7, 1, null]),
            json!([6, 2, 2, 0, 0, null, 0, 0, "never selected"]),
        ]
    );

    let lines = report(&net, &["compensation"]);
    let want = json!({"engagements": 3, "total_hours": 44, "total_owed": "1980.00", "total_paid": "1500.00",
                      "total_outstanding": "480.00", "total_expenses": "65.50", "total_reimbursed": "20.00"});
    assert_eq!(pick(&lines, &want), want);
    let by_partner = report(&net, &["compensation", "--by", "partner"]);
    // Ana: $50 × 16 on request 1, paid, and $40 × 5 on request 3, not yet.
    assert_eq!(
        by_partner["partners"][0],
        json!({"partner_id": 1, "name": "Ana Silva", "engagements": 2, "hours": 21, "owed": "1000.00", "paid": "800.00",
               "outstanding": "200.00", "expenses": "20.00", "reimbursed": "20.00", "expenses_outstanding": "0.00"})
    );
    let csv = on(&net, TODAY, &["report", "compensation", "--by", "request", "--format", "csv"]);
    assert_eq!(
        csv,
        "\"request_id\",\"title\",\"organization\",\"partners\",\"hours\",\"owed\",\"paid\",\"outstanding\",\"expenses\",\"reimbursed\",\
         \"expenses_outstanding\"\n\
         1,\"Discharge co-design\",\"Fraser Health\",2,28,1400.00,1400.00,0.00,20.00,20.00,0.00\n\
         2,\"ER wayfinding\",\"Interior Health\",2,4,100.00,100.00,0.00,0.00,0.00,0.00\n\
         3,\"Evidence scan\",\"BC Cancer\",2,12,480.00,0.00,480.00,45.50,0.00,45.50\n\
         \"\",\"Total\",\"\",\"\",44,1980.00,1500.00,480.00,65.50,20.00,45.50\n"
    );
}

/// The partners' names are read for the report in one of two ways, by how many of the partners
/// from the first to the last it lists: every row between when they are many, each one's alone
/// when they are few. Both name everyone.
#[test]
fn participation_names_its_partners_however_far_apart_their_ids_are() {
    let net = network();
    let names = |rows: &Json| -> Vec<(i64, String)> {
        let mut all: Vec<(i64, String)> = rows
            .as_array()
            .unwrap()
            .iter()
            .map(|r| (r["partner_id"].as_i64().unwrap(), r["name"].as_str().unwrap().to_string()))
            .collect();
        all.sort();
        all
    };
    let close = names(&report(&net, &["participation"]));
    let want: Vec<(i64, String)> =
        ["Ana Silva", "Ben Okafor", "Chloé Martin", "Dev Patel", "Emma Tremblay", "Farid Haddad"]
            .iter()
            .enumerate()
            .map(|(i, n)| (i as i64 + 1, n.to_string()))
            .collect();
    assert_eq!(close, want);
    // Sixty partners more who take no part, then one who says they are interested: seven
    // partners among the seventy or so from the first to the last.
    for i in 0..60 {
        crate::running::partner(&net, "Quiet", &format!("Member{i}"), &[]);
    }
    let last = crate::running::partner(&net, "Zoë", "Late", &["--region", "Fraser"]);
    let newer = net.request(&[]).to_string();
    net.ok(&["recruit", "respond", &newer, &last.to_string(), "--interested"]);
    let far = names(&report(&net, &["participation"]));
    let mut want_far = want.clone();
    want_far.push((last, "Zoë Late".to_string()));
    assert_eq!(far, want_far);
}

/// Writes both pages of the network; returns (summary, participation).
fn pages(net: &Network) -> (PathBuf, PathBuf) {
    let summary = net.path("summary.html");
    let participation = net.path("participation.html");
    on(net, TODAY, &["report", "summary", "--html", summary.to_str().unwrap()]);
    on(net, TODAY, &["report", "participation", "--html", participation.to_str().unwrap()]);
    (summary, participation)
}

#[test]
fn the_pages_hold_everything_they_show() {
    let net = network();
    let (summary, participation) = pages(&net);
    for path in [&summary, &participation] {
        let page = std::fs::read_to_string(path).unwrap();
        // Nothing fetched, nothing run: the page opens offline, mailed or printed.
        for outside in ["http://", "https://", "<script", "<link", "<iframe", "@import", "url("] {
            assert!(!page.contains(outside), "{} holds {outside}", path.display());
        }
        assert!(page.contains("Content-Security-Policy\" content=\"default-src 'none'"));
        assert_eq!(crate::support::mode(path), 0o600, "a page can hold partners' names");
    }
    let page = std::fs::read_to_string(&summary).unwrap();
    // The four charts, each an inline SVG with its title.
    for title in [
        "Requests received, by stage",
        "Engagements by way of engaging",
        "Partners by engagements in the period",
        "Compensation and reimbursements paid by month",
    ] {
        assert!(page.contains(&format!("\">{title}</title>")), "the summary has no chart '{title}'");
    }
    assert!(page.contains("<title>2027-02 compensation: $800</title>"));
    let page = std::fs::read_to_string(&participation).unwrap();
    assert!(page.contains("\">Partners by engagements in the period</title>"));
    assert!(page.contains("<td class=\"flag\">never selected</td>"));
}

/// Debian's chromium, or another Chromium on the PATH.
fn browser() -> Option<PathBuf> {
    let on_path = std::env::var_os("PATH").into_iter().flat_map(|p| std::env::split_paths(&p).collect::<Vec<_>>());
    let mut candidates = vec![PathBuf::from("/usr/bin/chromium")];
    for dir in on_path {
        for name in ["chromium", "chromium-browser", "google-chrome"] {
            candidates.push(dir.join(name));
        }
    }
    candidates.into_iter().find(|p| p.is_file())
}

/// Runs a headless browser on `page` that may reach nothing on the network and keeps its profile
/// in a temporary directory; `args(folder)` adds what it is to do, writing into that folder. What
/// the browser printed is in `stdout.txt` there.
fn headless(browser: &Path, page: &Path, args: impl FnOnce(&Path) -> Vec<String>) -> tempfile::TempDir {
    let profile = tempfile::tempdir().unwrap();
    let log = std::fs::File::create(profile.path().join("browser.log")).unwrap();
    let stdout = std::fs::File::create(profile.path().join("stdout.txt")).unwrap();
    let mut child = Command::new(browser)
        .args([
            // As root (CI) chromium needs --no-sandbox; the rest keeps it off the network and
            // out of the machine's profile: no QUIC, no background fetches, updates or sync.
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--hide-scrollbars",
            "--host-resolver-rules=MAP * ~NOTFOUND",
            "--force-device-scale-factor=1",
        ])
        .arg(format!("--user-data-dir={}", profile.path().join("profile").display()))
        .args(args(profile.path()))
        .arg(format!("file://{}", page.display()))
        .env("HOME", profile.path())
        .stdin(Stdio::null())
        .stdout(stdout)
        .stderr(log)
        .spawn()
        .unwrap();
    // A browser that hangs fails the test rather than holding up the suite.
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if started.elapsed() > Duration::from_secs(120) {
            let _ = child.kill();
            panic!("{} took over two minutes to draw {}", browser.display(), page.display());
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    let log = std::fs::read_to_string(profile.path().join("browser.log")).unwrap_or_default();
    assert!(status.success(), "{} failed on {}:\n{log}", browser.display(), page.display());
    profile
}

/// A screenshot of `page` in a window `width` × `height`.
fn screenshot(browser: &Path, page: &Path, width: u32, height: u32) -> Vec<u8> {
    let profile = headless(browser, page, |folder| {
        vec![format!("--window-size={width},{height}"), format!("--screenshot={}", folder.join("shot.png").display())]
    });
    let log = std::fs::read_to_string(profile.path().join("browser.log")).unwrap_or_default();
    std::fs::read(profile.path().join("shot.png"))
        .unwrap_or_else(|e| panic!("no screenshot of {} ({e}):\n{log}", page.display()))
}

/// The page as the browser read it: its DOM once parsed and laid out, serialized (a no-break
/// space comes back as `&nbsp;`).
fn dom(browser: &Path, page: &Path) -> String {
    let profile = headless(browser, page, |_| vec!["--dump-dom".to_string()]);
    std::fs::read_to_string(profile.path().join("stdout.txt")).unwrap()
}

/// A screenshot's pixels: each one's colour as `0xRRGGBB`, row by row.
struct Shot {
    width: usize,
    height: usize,
    pixels: Vec<u32>,
}

/// Reads a PNG as chromium writes it: 8 bits a channel, RGB or RGBA, not interlaced.
fn decode(png: &[u8]) -> Shot {
    use std::io::Read;
    assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n", "not a PNG");
    let (mut width, mut height, mut channels) = (0, 0, 0);
    let mut data = Vec::new();
    let mut at = 8;
    while at + 8 <= png.len() {
        let length = u32::from_be_bytes(png[at..at + 4].try_into().unwrap()) as usize;
        let kind = &png[at + 4..at + 8];
        let body = &png[at + 8..at + 8 + length];
        match kind {
            b"IHDR" => {
                width = u32::from_be_bytes(body[0..4].try_into().unwrap()) as usize;
                height = u32::from_be_bytes(body[4..8].try_into().unwrap()) as usize;
                assert_eq!((body[8], body[12]), (8, 0), "8 bits a channel, not interlaced");
                channels = match body[9] {
                    2 => 3,
                    6 => 4,
                    other => panic!("PNG colour type {other}"),
                };
            }
            b"IDAT" => data.extend_from_slice(body),
            _ => {}
        }
        at += 12 + length;
    }
    let mut raw = Vec::new();
    flate2::read::ZlibDecoder::new(data.as_slice()).read_to_end(&mut raw).unwrap();
    let stride = width * channels;
    assert_eq!(raw.len(), height * (stride + 1));
    let mut previous = vec![0u8; stride];
    let mut out = Vec::with_capacity(width * height);
    for row in raw.chunks(stride + 1) {
        let mut line = row[1..].to_vec();
        for x in 0..stride {
            let left = if x >= channels { line[x - channels] } else { 0 };
            let up = previous[x];
            let corner = if x >= channels { previous[x - channels] } else { 0 };
            let predicted = match row[0] {
                0 => 0,
                1 => left,
                2 => up,
                3 => ((u16::from(left) + u16::from(up)) / 2) as u8,
                4 => {
                    let p = i16::from(left) + i16::from(up) - i16::from(corner);
                    let (pa, pb, pc) =
                        ((p - i16::from(left)).abs(), (p - i16::from(up)).abs(), (p - i16::from(corner)).abs());
                    if pa <= pb && pa <= pc {
                        left
                    } else if pb <= pc {
                        up
                    } else {
                        corner
                    }
                }
                other => panic!("PNG filter {other}"),
            };
            line[x] = line[x].wrapping_add(predicted);
        }
        out.extend(line.chunks(channels).map(|p| u32::from_be_bytes([0, p[0], p[1], p[2]])));
        previous = line;
    }
    Shot { width, height, pixels: out }
}

/// What a screenshot shows, in numbers a test can hold to.
impl Shot {
    fn count(&self, colour: u32) -> usize {
        self.pixels.iter().filter(|p| **p == colour).count()
    }

    fn colours(&self) -> usize {
        self.pixels.iter().collect::<std::collections::HashSet<_>>().len()
    }

    /// The most rows in a row that each hold `colour`: how tall its tallest shape is.
    fn tallest(&self, colour: u32) -> usize {
        let (mut run, mut best) = (0, 0);
        for row in self.pixels.chunks(self.width) {
            run = if row.contains(&colour) { run + 1 } else { 0 };
            best = best.max(run);
        }
        best
    }
}

const BACKGROUND: u32 = 0xf7fafc;
const BLUE: u32 = 0x0072b2;
const ORANGE: u32 = 0xe69f00;
const GREEN: u32 = 0x009e73;

/// The browser, or `None` to skip the test: a machine without one skips the tests that draw, and
/// says so where `cargo test` shows it; in CI (`CI=true`, where `.ci/run` installs Debian's
/// chromium) a missing browser fails them.
#[allow(clippy::print_stderr)]
fn browser_or_skip() -> Option<PathBuf> {
    let found = browser();
    if found.is_none() {
        let ci = std::env::var("CI").is_ok_and(|v| v == "true");
        assert!(
            !ci,
            "CI=true and there is no chromium to draw the report pages with; .ci/run installs it (apt-get install chromium)"
        );
        eprintln!("skipped: no chromium to draw the report pages with (Debian: apt-get install chromium)");
    }
    found
}

#[test]
fn the_pages_draw_in_a_real_browser() {
    let Some(browser) = browser_or_skip() else { return };
    let net = network();
    let (summary, participation) = pages(&net);

    let shot = decode(&screenshot(&browser, &summary, 1200, 2000));
    assert_eq!((shot.width, shot.height), (1200, 2000));
    // Not blank: the page's background, white cards, and text drawn in many shades.
    assert!(shot.count(BACKGROUND) > 0 && shot.count(0xffffff) > 0);
    assert!(shot.colours() > 200, "only {} colours: is the page drawn?", shot.colours());
    // Each chart in its own colour: the pipeline's bars and the months' columns in blue, the ways
    // in orange, the distribution in green; the tallest blue shape is February's column ($820 of
    // a $1,000 axis), far taller than any bar of the pipeline.
    for (colour, at_least, what) in
        [(BLUE, 20_000, "pipeline and months"), (ORANGE, 5_000, "ways"), (GREEN, 3_000, "distribution")]
    {
        let n = shot.count(colour);
        assert!(n >= at_least, "{n} pixels of #{colour:06x}: the {what} chart is missing or empty");
    }
    assert!(shot.tallest(BLUE) >= 150, "the columns of the months are {} pixels tall", shot.tallest(BLUE));
    assert!(shot.tallest(ORANGE) < 60, "the ways' bars run into each other");

    let shot = decode(&screenshot(&browser, &participation, 1200, 1000));
    assert_eq!((shot.width, shot.height), (1200, 1000));
    assert!(shot.colours() > 100);
    // Three bars (never, one and two engagements), the longest four times the shortest.
    assert!(shot.count(GREEN) >= 3_000, "the distribution chart is missing or empty");
    assert!(shot.tallest(GREEN) < 40, "the distribution's bars run into each other");
}

/// A large network's summary, as `report summary` works it out: every count above a thousand, a
/// median and rates with decimals, money in each month.
fn large_summary() -> (Summary, Period) {
    let mut s = Summary {
        received: 1_234,
        decided: 1_100,
        median_days_to_selection: Some(16.5),
        invited: 2_000,
        responded: 1_556,
        interested: 1_500,
        selected: 1_000,
        network: Members { active: 1_200, paused: 30, withdrawn: 4, forgotten: 1, new: 45 },
        engagements: 1_321,
        partners_engaged: 876,
        money: Totals {
            hours: Hours(1_234_550),
            owed: Money(1_234_567),
            paid: Money(1_000_000),
            outstanding: Money(234_567),
            expenses: Money(150_000),
            reimbursed: Money(125_000),
        },
        distribution: [100, 400, 200, 50, 10, 1],
        months: vec![
            ("2027-01".into(), Money(400_000), Money(20_000)),
            ("2027-02".into(), Money(350_000), Money(0)),
            ("2027-03".into(), Money(250_000), Money(105_000)),
        ],
        ..Summary::default()
    };
    for (status, n) in RequestStatus::ALL.iter().zip([34, 100, 50, 900, 140, 10]) {
        s.pipeline.entry(*status).or_default().insert(Way::Involve, n);
    }
    for (way, n) in Way::ALL.iter().zip([0u64, 500, 600, 200, 21]) {
        s.by_way
            .insert(*way, Share { engagements: n, seats: 2 * n, hours: Hours(n as i64 * 1_000), ..Share::default() });
    }
    s.by_community.insert(Some(Community::Urban), Share { engagements: 1_000, seats: 2_000, ..Share::default() });
    s.by_community.insert(Some(Community::Remote), Share { engagements: 321, seats: 642, ..Share::default() });
    s.by_region.insert(Some("Estrie".into()), Share { engagements: 1_000, seats: 2_000, ..Share::default() });
    s.by_region.insert(None, Share { engagements: 321, seats: 642, ..Share::default() });
    let day = |y, m, d| chrono::NaiveDate::from_ymd_opt(y, m, d).unwrap();
    (s, Period { from: Some(day(2027, 1, 1)), to: day(2027, 3, 31) })
}

/// The French summary page (SPEC §10), written by the function `report summary --html FILE
/// --lang fr` calls.
fn french_page(dir: &Path) -> PathBuf {
    let (s, period) = large_summary();
    let record = engage::output::summary::summary_record(&s, &period);
    let made_on = chrono::NaiveDate::from_ymd_opt(2027, 4, 1).unwrap();
    let page = engage::html::summary_page_in(Language::Fr, &s, &record, &period, "Réseau de l’Estrie", made_on);
    let path = dir.join("sommaire.html");
    std::fs::write(&path, page).unwrap();
    path
}

#[test]
fn the_french_summary_page_draws_in_a_real_browser() {
    let Some(browser) = browser_or_skip() else { return };
    let dir = tempfile::tempdir().unwrap();
    let page = french_page(dir.path());

    // The browser read the page as UTF-8 French: every accent, the typographic apostrophe, the
    // narrow no-break spaces that group digits and the no-break space before $ and %.
    let dom = dom(&browser, &page).replace("&nbsp;", "\u{a0}");
    assert!(dom.contains("<html lang=\"fr\">"), "{dom}");
    for text in [
        "<h1>Réseau de l’Estrie</h1>",
        "Sommaire du 1er janvier au 31 mars 2027; produit le 1er avril 2027.",
        "<h2>En un coup d’œil</h2>",
        ">1\u{202f}234</div><div class=\"label\">demandes reçues</div>",
        ">16,5 jours</div>",
        ">77,8\u{a0}%</div><div class=\"label\">des invitations ont reçu une réponse</div>",
        ">12\u{202f}345,5</div><div class=\"label\">heures consignées</div>",
        ">12\u{202f}345,67\u{a0}$</div><div class=\"label\">rémunération due</div>",
        "<h2>Demandes par étape</h2>",
        ">Engagements par mode d’engagement</title>",
        ">Partenaires selon leur nombre d’engagements dans la période</title>",
        ">Rémunération et remboursements versés par mois</title>",
        "<h2>Rayonnement</h2>",
        "<td>éloignée</td>",
        "<td>non précisée</td>",
        "Produit par engage.",
    ] {
        assert!(dom.contains(text), "the browser's page has no '{text}'");
    }
    for mangled in ["Ã", "Â", "\u{fffd}", "&amp;#"] {
        assert!(!dom.contains(mangled), "the browser read '{mangled}': the page was not read as UTF-8");
    }

    // And drew it: the cards and their text, each chart in its colour, the months' columns tall.
    let shot = decode(&screenshot(&browser, &page, 1200, 2000));
    assert_eq!((shot.width, shot.height), (1200, 2000));
    assert!(shot.count(BACKGROUND) > 0 && shot.count(0xffffff) > 0);
    assert!(shot.colours() > 200, "only {} colours: is the page drawn?", shot.colours());
    for (colour, at_least, what) in
        [(BLUE, 20_000, "pipeline and months"), (ORANGE, 5_000, "ways"), (GREEN, 3_000, "distribution")]
    {
        let n = shot.count(colour);
        assert!(n >= at_least, "{n} pixels of #{colour:06x}: the {what} chart is missing or empty");
    }
    assert!(shot.tallest(BLUE) >= 150, "the columns of the months are {} pixels tall", shot.tallest(BLUE));
    assert!(shot.tallest(ORANGE) < 60, "the ways' bars run into each other");
}

#[test]
fn the_summary_s_lang_flag_writes_the_french_page_the_browser_draws() {
    let net = network();
    let (fr, en) = (net.path("sommaire.html"), net.path("summary.html"));
    on(&net, TODAY, &["report", "summary", "--html", fr.to_str().unwrap(), "--lang", "fr"]);
    on(&net, TODAY, &["report", "summary", "--html", en.to_str().unwrap(), "--lang", "en"]);
    let (french, english) = (std::fs::read_to_string(&fr).unwrap(), std::fs::read_to_string(&en).unwrap());
    assert!(french.contains("<html lang=\"fr\">") && french.contains("<h2>En un coup d’œil</h2>"));
    assert!(english.contains("<html lang=\"en\">") && !english.contains("En un coup d’œil"));
    // A language it does not draw, or --lang without a page, is refused before anything is written.
    let other = net.path("andere.html");
    let run = net.run(&["report", "summary", "--html", other.to_str().unwrap(), "--lang", "de"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("'de' is not a language of correspondence; use en or fr"), "{}", run.stderr);
    assert!(!other.exists());
    assert_eq!(net.run(&["report", "summary", "--lang", "fr"]).code, 2);

    let Some(browser) = browser_or_skip() else { return };
    let dom = dom(&browser, &fr).replace("&nbsp;", "\u{a0}");
    for text in ["<html lang=\"fr\">", "<h2>Demandes par étape</h2>", "<h2>Rayonnement</h2>", "Produit par engage."] {
        assert!(dom.contains(text), "the browser's page has no '{text}'");
    }
    for mangled in ["Ã", "Â", "\u{fffd}"] {
        assert!(!dom.contains(mangled), "the browser read '{mangled}': the page was not read as UTF-8");
    }
    let shot = decode(&screenshot(&browser, &fr, 1200, 2000));
    assert!(shot.colours() > 200, "only {} colours: is the page drawn?", shot.colours());
    for (colour, at_least, what) in [(BLUE, 20_000, "pipeline and months"), (ORANGE, 5_000, "ways")] {
        let n = shot.count(colour);
        assert!(n >= at_least, "{n} pixels of #{colour:06x}: the {what} chart is missing or empty");
    }
}
