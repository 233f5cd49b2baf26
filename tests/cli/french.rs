//! The network's two languages and a partner's year (issue 17, SPEC §10): a partner's language of
//! correspondence from a flag, an import and the `default_language` setting; a request's French
//! title and description; each partner's messages in their language; the French summary page's
//! flag; and a partner's year of payments for the finance office.

use crate::support::Network;

fn add(net: &Network, args: &[&str]) -> i64 {
    let mut all = vec!["recruit", "add"];
    all.extend_from_slice(args);
    net.ok(&all).trim().parse().unwrap()
}

fn language(net: &Network, id: i64) -> Option<String> {
    net.conn().query_row("SELECT language FROM partner WHERE id = ?1", [id], |r| r.get(0)).unwrap()
}

fn shown_language(net: &Network, id: i64) -> String {
    let json = net.json(&["recruit", "show", &id.to_string()]);
    json["language_of_correspondence"].as_str().unwrap().to_string()
}

#[test]
fn a_partner_s_language_of_correspondence_is_kept_shown_and_defaults_to_the_network_s() {
    let net = Network::new();
    let ana = add(
        &net,
        &["--first", "Ana", "--last", "Tremblay", "--email", "ana@example.org", "--language-of-correspondence", "fr"],
    );
    let ben = add(&net, &["--first", "Ben", "--last", "Okafor", "--email", "ben@example.org"]);
    assert_eq!(language(&net, ana).as_deref(), Some("fr"));
    assert_eq!(language(&net, ben), None);
    assert_eq!(shown_language(&net, ana), "fr");
    assert_eq!(shown_language(&net, ben), "en (default_language)");

    net.ok(&["config", "set", "default_language", "fr"]);
    assert_eq!(shown_language(&net, ben), "fr (default_language)");
    let run = net.run(&["config", "set", "default_language", "de"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert_eq!(run.stderr, "engage: error: 'de' is not accepted for default_language; use en or fr\n");

    net.ok(&["recruit", "edit", &ben.to_string(), "--language-of-correspondence", "English"]);
    assert_eq!(language(&net, ben).as_deref(), Some("en"));
    net.ok(&["recruit", "edit", &ana.to_string(), "--language-of-correspondence", ""]);
    assert_eq!(language(&net, ana), None);

    let events = net.count("event");
    let run = net.run(&["recruit", "edit", &ben.to_string(), "--language-of-correspondence", "de"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr.contains("'de' is not a language of correspondence; use en or fr"),
        "the sentence names the value and what is accepted: {}",
        run.stderr
    );
    assert_eq!(language(&net, ben).as_deref(), Some("en"));
    assert_eq!(net.count("event"), events);
}

#[test]
fn the_import_reads_the_language_of_correspondence_as_forms_write_it() {
    let net = Network::new();
    let file = net.path("signups.csv");
    std::fs::write(
        &file,
        "Courriel,Prénom,Nom,Langue de correspondance,Consent to be contacted\n\
         ana@example.org,Ana,Tremblay,Français,Yes\n\
         ben@example.org,Ben,Okafor,English,Yes\n\
         chloe@example.org,Chloé,Roy,fr-CA,Yes\n\
         dev@example.org,Dev,Patel,,Yes\n\
         eve@example.org,Ève,Gagnon,Both,Yes\n",
    )
    .unwrap();
    net.ok(&["recruit", "import", file.to_str().unwrap()]);
    let rows: Vec<(String, Option<String>, String)> = net
        .conn()
        .prepare("SELECT first_name, language, extra FROM partner ORDER BY id")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .unwrap()
        .map(|r| r.unwrap())
        .collect();
    let langs: Vec<(&str, Option<&str>)> = rows.iter().map(|(n, l, _)| (n.as_str(), l.as_deref())).collect();
    assert_eq!(langs, [("Ana", Some("fr")), ("Ben", Some("en")), ("Chloé", Some("fr")), ("Dev", None), ("Ève", None)]);
    // An answer that names neither language is kept as it was written, not lost.
    assert_eq!(rows[4].2, r#"{"Langue de correspondance":"Both"}"#);

    // Other headers the forms write for it.
    for header in ["Preferred language", "Language of correspondence", "Langue", "Preferred language of correspondence"]
    {
        let net = Network::new();
        let file = net.path("signups.csv");
        std::fs::write(
            &file,
            format!("Email,First name,Last name,{header},Consent\nana@example.org,Ana,Roy,French,yes\n"),
        )
        .unwrap();
        net.ok(&["recruit", "import", file.to_str().unwrap()]);
        assert_eq!(language(&net, 1).as_deref(), Some("fr"), "{header}");
    }
}

#[test]
fn a_request_keeps_its_french_title_and_description_and_shows_them() {
    let net = Network::new();
    let id = net.request(&[
        "--title-fr",
        "Cocréation du congé hospitalier",
        "--description-fr",
        "Revoir avec l'équipe les étapes du départ de l'hôpital",
    ]);
    let row: (Option<String>, Option<String>) = net
        .conn()
        .query_row("SELECT title_fr, description_fr FROM request WHERE id = ?1", [id], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap();
    assert_eq!(
        row,
        (
            Some("Cocréation du congé hospitalier".to_string()),
            Some("Revoir avec l'équipe les étapes du départ de l'hôpital".to_string())
        )
    );
    let shown = net.json(&["request", "show", &id.to_string()]);
    assert_eq!(shown["title_fr"], "Cocréation du congé hospitalier");

    net.ok(&[
        "request",
        "edit",
        &id.to_string(),
        "--title-fr",
        "Cocréer le congé de l'hôpital",
        "--description-fr",
        "",
    ]);
    let row: (Option<String>, Option<String>) = net
        .conn()
        .query_row("SELECT title_fr, description_fr FROM request WHERE id = ?1", [id], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap();
    assert_eq!(row, (Some("Cocréer le congé de l'hôpital".to_string()), None));

    // A French title meets the rules of a title: refused, naming the flag, nothing changed.
    let events = net.count("event");
    let run = net.run(&["request", "edit", &id.to_string(), "--title-fr", "Congé\u{7}"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.starts_with("engage: error: --title-fr "), "{}", run.stderr);
    assert_eq!(net.count("event"), events);
}

/// Ana Tremblay (1, French) and Ben Okafor (2, English), both for discharge, and request 1 with a
/// French title, to which both said they were interested.
fn two_languages(net: &Network) -> i64 {
    let ana = add(
        net,
        &[
            "--first",
            "Ana",
            "--last",
            "Tremblay",
            "--email",
            "ana@example.org",
            "--consent",
            "--topics",
            "discharge",
            "--language-of-correspondence",
            "fr",
        ],
    );
    let ben = add(
        net,
        &["--first", "Ben", "--last", "Okafor", "--email", "ben@example.org", "--consent", "--topics", "discharge"],
    );
    assert_eq!((ana, ben), (1, 2));
    net.request(&[
        "--title-fr",
        "Cocréation du congé hospitalier",
        "--description-fr",
        "Revoir les étapes du départ de l'hôpital",
        "--hours",
        "40",
        "--starts",
        "2027-01-10",
        "--ends",
        "2027-06-30",
        "--topics",
        "discharge",
    ])
}

/// (subject, body, the raw message) of a message as a mail program reads it.
fn read(raw: &[u8]) -> (String, String, String) {
    let message = mail_parser::MessageParser::default().parse(raw).expect("a message a mail program reads");
    let subject = message.subject().unwrap_or("").to_string();
    let body = message.body_text(0).expect("a text body").to_string();
    (subject, body, String::from_utf8_lossy(raw).into_owned())
}

#[test]
fn each_partner_is_written_to_in_their_language_in_one_send_accents_intact() {
    use crate::smtp_sink::{Behaviour, Sink};
    let net = Network::new();
    let request = two_languages(&net);
    net.ok(&["config", "set", "smtp_from", "pvn@example.org"]);
    net.ok(&["config", "set", "network_name", "Réseau des patients partenaires"]);
    net.ok(&["config", "set", "coordinator", "Maëlle Côté"]);

    // The invitation, as .eml files: one in French, one in English.
    let outbox = net.path("outbox");
    net.ok(&["message", "invitation", &request.to_string(), "--outbox", outbox.to_str().unwrap()]);
    let ana = std::fs::read(outbox.join("1-invitation-1.eml")).unwrap();
    let ben = std::fs::read(outbox.join("1-invitation-2.eml")).unwrap();
    for raw in [&ana, &ben] {
        assert!(raw.is_ascii(), "a 7-bit message: headers encoded, body quoted-printable");
    }
    let (subject, body, _) = read(&ana);
    assert!(subject.contains("Cocréation du congé hospitalier"), "{subject}");
    assert!(body.starts_with("Bonjour Ana,"), "{body}");
    assert!(body.contains("Revoir les étapes du départ de l'hôpital"), "{body}");
    assert!(body.contains("du 10 janvier au 30 juin 2027"), "{body}");
    assert!(body.contains("Maëlle Côté"), "{body}");
    let (subject, body, _) = read(&ben);
    assert!(subject.contains("Discharge co-design"), "{subject}");
    assert!(body.starts_with("Hello Ben,"), "{body}");
    assert!(!body.contains("Cocréation"), "{body}");

    // The outcome, sent in one --send: each their own language.
    for p in ["1", "2"] {
        net.ok(&["recruit", "respond", &request.to_string(), p, "--interested"]);
    }
    net.ok(&["select", "decide", &request.to_string(), "--select", "1,2", "--force"]);
    let sink = Sink::start(Behaviour::default());
    net.ok(&["config", "set", "smtp_host", "127.0.0.1"]);
    net.ok(&["config", "set", "smtp_port", &sink.port().to_string()]);
    net.ok(&["config", "set", "smtp_security", "none"]);
    let run = net.run(&["message", "outcome", &request.to_string(), "--send"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let received = sink.received();
    assert_eq!(received.len(), 2);
    let by_address = |address: &str| received.iter().find(|r| r.rcpt_to == [address]).unwrap();
    let ana = by_address("ana@example.org");
    assert!(ana.data.is_ascii());
    let (subject, body, raw) = read(&ana.data);
    assert_eq!(subject, "Bienvenue dans l'équipe : Cocréation du congé hospitalier");
    assert!(body.starts_with("Bonjour Ana,"), "{body}");
    assert!(body.contains("à titre de patient partenaire"), "{body}");
    // The header carries its accents encoded (RFC 2047), which the parser above read back.
    assert!(raw.contains("Subject: Bienvenue dans =?utf-8?"), "{raw}");
    let (subject, body, _) = read(&by_address("ben@example.org").data);
    assert_eq!(subject, "Welcome to the team: Discharge co-design");
    assert!(body.starts_with("Hello Ben,"), "{body}");
    // Both were told, whatever their language.
    let told: i64 =
        net.conn().query_row("SELECT count(*) FROM decision WHERE notified_on IS NOT NULL", [], |r| r.get(0)).unwrap();
    assert_eq!(told, 2);
}

#[test]
fn a_french_template_in_the_templates_folder_is_used_for_the_french_speaking_partners_only() {
    let net = Network::new();
    let request = two_languages(&net);
    for p in ["1", "2"] {
        net.ok(&["recruit", "respond", &request.to_string(), p, "--interested"]);
    }
    net.ok(&["select", "decide", &request.to_string(), "--select", "1,2", "--force"]);
    let folder = net.dir.path().join("home/.config/engage/templates");
    std::fs::create_dir_all(&folder).unwrap();
    std::fs::write(
        folder.join("outcome.fr.txt"),
        "Subject: Nouvelles : {{ request.title }}\n\nBonjour {{ name }}, à bientôt.\n",
    )
    .unwrap();
    let drafts = net.json(&["message", "outcome", &request.to_string()]);
    assert_eq!(drafts[0]["subject"], "Nouvelles : Cocréation du congé hospitalier");
    assert_eq!(drafts[0]["body"], "Bonjour Ana, à bientôt.\n");
    assert!(drafts[1]["body"].as_str().unwrap().starts_with("Hello Ben,"), "{}", drafts[1]["body"]);
    // The network's default language is French: Ben, who never said his, is written to in French.
    net.ok(&["recruit", "edit", "2", "--language-of-correspondence", ""]);
    net.ok(&["config", "set", "default_language", "fr"]);
    let drafts = net.json(&["message", "outcome", &request.to_string()]);
    assert_eq!(drafts[1]["body"], "Bonjour Ben, à bientôt.\n");
    // The built-in French template prints to be copied.
    let template = net.ok(&["message", "template", "outcome", "--lang", "fr"]);
    assert!(template.contains("Bonjour {{ name }},"), "{template}");
}

/// Request `title` recorded and decided on `day` with an honorarium of `dollars`, these partners
/// selected.
fn engaged(net: &Network, title: &str, day: &str, ends: &str, dollars: &str, partners: &[i64]) -> i64 {
    let id = net.request_on(
        day,
        &["--title", title, "--honorarium", dollars, "--starts", day, "--ends", ends, "--topics", "discharge"],
    );
    for p in partners {
        on(net, day, &["recruit", "respond", &id.to_string(), &p.to_string(), "--interested"]);
    }
    net.select_on(id, partners, day);
    id
}

/// Runs `args` as if on `day`.
fn on(net: &Network, day: &str, args: &[&str]) {
    let out = net.cmd().env("ENGAGE_TODAY", day).args(args).output().unwrap();
    assert!(out.status.success(), "engage {args:?}: {}", String::from_utf8_lossy(&out.stderr));
}

fn pay(net: &Network, request: i64, partner: i64, day: &str) {
    let (r, p) = (request.to_string(), partner.to_string());
    on(net, day, &["close", "pay", &r, &p, "--method", "e-transfer", "--paid-on", day]);
}

#[test]
fn a_partner_s_year_adds_up_the_payments_made_that_year_and_not_the_year_before() {
    let net = Network::new();
    let base = ["--consent", "--topics", "discharge"];
    let mut ana = vec!["--first", "Ana", "--last", "Tremblay", "--email", "ana@example.org"];
    ana.extend(base);
    ana.push("--payment-affects-benefits");
    let mut ben = vec!["--first", "Ben", "--last", "Okafor", "--email", "ben@example.org"];
    ben.extend(base);
    let (ana, ben) = (add(&net, &ana), add(&net, &ben));
    // 2025: both paid $300.00 in December; Ben's $40.00 of expenses reimbursed in January 2026.
    let old = engaged(&net, "Winter menus", "2025-11-01", "2025-11-30", "300", &[ana, ben]);
    pay(&net, old, ana, "2025-12-15");
    pay(&net, old, ben, "2025-12-15");
    on(&net, "2025-11-30", &["checkin", &old.to_string(), "--partner", "2", "--on", "2025-11-30", "--expenses", "40"]);
    on(&net, "2026-01-12", &["close", "reimburse", &old.to_string(), "2", "--on", "2026-01-12"]);
    // 2026: Ana paid $250.00 twice ($500.00: no slip); Ben $250.00, $250.00 and $10.00 ($510.00).
    let spring = engaged(&net, "Discharge co-design", "2026-03-01", "2026-04-30", "250", &[ana, ben]);
    let fall = engaged(&net, "Wayfinding", "2026-09-01", "2026-10-31", "250", &[ana, ben]);
    let call = engaged(&net, "A call about signage", "2026-10-01", "2026-10-01", "10", &[ben]);
    pay(&net, spring, ana, "2026-05-10");
    pay(&net, spring, ben, "2026-05-10");
    pay(&net, fall, ana, "2026-11-05");
    pay(&net, fall, ben, "2026-11-05");
    pay(&net, call, ben, "2026-10-02");

    let year = net.json(&["report", "compensation", "--by", "partner", "--year", "2026"]);
    // The totals are the payments made in 2026, to the cent, as the rows hold them.
    let paid_2026: i64 = net
        .conn()
        .query_row("SELECT sum(paid_cents) FROM compensation WHERE paid_on LIKE '2026-%'", [], |r| r.get(0))
        .unwrap();
    assert_eq!(paid_2026, 101_000);
    assert_eq!(year["paid"], "1010.00");
    assert_eq!(year["payments"], 5);
    assert_eq!(year["reimbursed"], "40.00");
    assert_eq!(year["tax_slip_threshold"], "500.00");
    assert_eq!(year["slips_required"], 1);
    let partners = year["partners"].as_array().unwrap();
    let line = |p: &serde_json::Value| {
        (
            p["partner_id"].as_i64().unwrap(),
            p["paid"].as_str().unwrap().to_string(),
            p["reimbursed"].as_str().unwrap().to_string(),
            p["slip_required"].as_bool().unwrap(),
            p["payment_affects_benefits"].as_bool().unwrap(),
        )
    };
    assert_eq!(line(&partners[0]), (ana, "500.00".to_string(), "0.00".to_string(), false, true));
    assert_eq!(line(&partners[1]), (ben, "510.00".to_string(), "40.00".to_string(), true, false));

    // 2025's year holds 2025's payments only.
    let before = net.json(&["report", "compensation", "--by", "partner", "--year", "2025"]);
    assert_eq!(before["paid"], "600.00");
    assert_eq!(before["reimbursed"], "0.00");
    assert_eq!(before["slips_required"], 0);

    // The threshold is a setting; the CSV is for the finance office, its total on the last line.
    net.ok(&["config", "set", "tax_slip_threshold", "450"]);
    let csv = net.ok(&["report", "compensation", "--by", "partner", "--year", "2026", "--format", "csv"]);
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(
        lines,
        [
            r#""partner_id","name","payments","paid","reimbursements","reimbursed","slip_required","payment_affects_benefits""#,
            r#"1,"Ana Tremblay",2,500.00,0,0.00,"yes","yes""#,
            r#"2,"Ben Okafor",3,510.00,1,40.00,"yes","no""#,
            r#""","Total",5,1010.00,1,40.00,"","""#,
        ]
    );

    // --year is a partner's year: other ways of adding up are refused, naming why.
    let run = net.run(&["report", "compensation", "--year", "2026"]);
    assert_eq!(run.code, 2);
    assert_eq!(
        run.stderr,
        "engage: error: --year 2026 gives each partner's year; use it with --by partner (or --from and --to for a \
         period)\n"
    );
    let run = net.run(&["report", "compensation", "--by", "partner", "--year", "26"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("'26' is not a year; use four digits, such as 2026"), "{}", run.stderr);
}

#[test]
fn the_readme_s_french_partner_example_works_as_written() {
    let net = Network::new();
    let steps = crate::readme::block("french");
    assert!(steps.len() >= 8);
    crate::readme::run(&net, &steps);
    assert_eq!(language(&net, 1).as_deref(), Some("fr"));
    assert_eq!(language(&net, 2), None);
}
