//! One identity everywhere (SPEC §5): the same person is the same normalized e-mail and the same
//! first name without case or accents, whether the sign-up import, `recruit add`, `recruit edit`
//! or the responses import asks. An internationalized domain is one address in its Unicode and
//! its ASCII (punycode) spelling.

use crate::support::Network;
use serde_json::Value as Json;

const UNICODE: &str = "sam@bücher.example";
const PUNYCODE: &str = "sam@xn--bcher-kva.example";

fn import(net: &Network, name: &str, rows: &str) -> Json {
    let file = net.path(name);
    std::fs::write(&file, format!("Timestamp,Email address,First name,Last name,Consent to be contacted\n{rows}"))
        .unwrap();
    net.json(&["recruit", "import", file.to_str().unwrap()])
}

#[test]
fn recruit_add_knows_a_partner_imported_under_the_other_spelling_of_the_domain() {
    let net = Network::new();
    let report = import(&net, "signups.csv", &format!("2026-11-01 10:00:00,{UNICODE},Sam,Bücher,Yes\n"));
    assert_eq!(report["new"], 1);
    let run = net.run(&["recruit", "add", "--first", "SAM", "--last", "Bucher", "--email", PUNYCODE]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_eq!(
        run.stderr,
        format!(
            "engage: error: Sam Bücher is already in the network as partner 1 with {PUNYCODE}; `engage recruit edit 1` changes their record\n"
        )
    );
    assert_eq!(net.count("partner"), 1);
    // Someone else at the same address is family, and welcome.
    net.ok(&["recruit", "add", "--first", "Ruth", "--last", "Bücher", "--email", PUNYCODE]);
    assert_eq!(net.count("partner"), 2);
    // And `recruit edit` cannot make Ruth into a second Sam.
    let run = net.run(&["recruit", "edit", "2", "--first", "Sam", "--email", UNICODE]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.stderr.contains("is already in the network as partner 1"), "{}", run.stderr);
}

#[test]
fn the_import_knows_a_partner_added_under_the_other_spelling_of_the_domain() {
    let net = Network::new();
    net.ok(&["recruit", "add", "--first", "Sam", "--last", "Bücher", "--email", PUNYCODE, "--consent"]);
    // Upper case, the Unicode domain, an accent on the name: still Sam.
    let report = import(
        &net,
        "signups.csv",
        "2026-11-01 10:00:00,SAM@BÜCHER.EXAMPLE,Sàm,Bücher,Yes\n2026-11-02 10:00:00,sam@bu\u{308}cher.example,sam,Bücher,Yes\n",
    );
    assert_eq!((report["new"].clone(), report["duplicates"].clone()), (Json::from(0), Json::from(1)), "{report}");
    assert_eq!(net.count("partner"), 1);
}

#[test]
fn the_responses_import_finds_a_partner_under_the_other_spelling_of_the_domain() {
    let net = Network::new();
    net.ok(&["recruit", "add", "--first", "Sam", "--last", "Bücher", "--email", UNICODE, "--consent"]);
    net.request(&[]);
    let file = net.path("interest.csv");
    std::fs::write(
        &file,
        format!("Email address,First name,Are you interested?\n{},Sam,Yes\n", PUNYCODE.to_uppercase()),
    )
    .unwrap();
    let run = net.run(&["recruit", "respond", "1", "--import", file.to_str().unwrap(), "--format", "json"]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    let report: Json = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(report["interested"], 1, "{report}");
    let partner: i64 = net.conn().query_row("SELECT partner_id FROM invitation", [], |r| r.get(0)).unwrap();
    assert_eq!(partner, 1);
}
