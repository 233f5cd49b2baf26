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
