//! `engage message`: the correspondence of an engagement, drafted, written to an outbox and sent
//! through a real SMTP server on 127.0.0.1 (tests/cli/smtp_sink.rs), every message read back
//! with a mail parser.

use crate::running::{column, events, partner};
use crate::smtp_sink::{Behaviour, Received, Sink, nobody_there};
use crate::support::{Network, mode};
use mail_parser::{Address, MessageParser};
use serde_json::Value;

/// Request 1 (collaborate, 40 hours): José Nuñez (1) and Ana Silva (2) selected, Bo Chen (3)
/// waitlisted, Cy Roy (4) and Dee Park (5) not selected; decided on 2026-11-20.
fn decided(net: &Network) -> i64 {
    let jose = net.ok(&[
        "recruit",
        "add",
        "--first",
        "José",
        "--last",
        "Nuñez",
        "--email",
        "jose.nunez@example.org",
        "--consent",
        "--topics",
        "discharge",
    ]);
    let mut ids: Vec<i64> = vec![jose.trim().parse().unwrap()];
    let people = [("Ana", "Silva"), ("Bo", "Chen"), ("Cy", "Roy"), ("Dee", "Park")];
    ids.extend(people.iter().map(|(f, l)| partner(net, f, l, &["--topics", "discharge"])));
    let request = net.request(&[
        "--hours",
        "40",
        "--starts",
        "2027-01-10",
        "--ends",
        "2027-06-30",
        "--topics",
        "discharge",
        "--seats",
        "2",
    ]);
    for p in &ids {
        net.ok(&["recruit", "respond", &request.to_string(), &p.to_string(), "--interested"]);
    }
    let output = net
        .cmd()
        .env("ENGAGE_TODAY", "2026-11-20")
        .args(["select", "decide", &request.to_string(), "--select", "1,2", "--waitlist", "3"])
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    request
}

/// The smtp_* settings pointing at a server on this machine.
fn use_server(net: &Network, port: u16) {
    net.ok(&["config", "set", "smtp_host", "127.0.0.1"]);
    net.ok(&["config", "set", "smtp_port", &port.to_string()]);
    net.ok(&["config", "set", "smtp_security", "none"]);
    net.ok(&["config", "set", "smtp_from", "pvn@example.org"]);
    net.ok(&["config", "set", "network_name", "Réseau des patients"]);
}

/// Each partner's `notified_on` on request 1, by partner id.
fn told(net: &Network) -> Vec<Option<String>> {
    column(net, "SELECT notified_on FROM decision WHERE request_id = 1 ORDER BY partner_id")
}

/// The kinds of the morning reminder's items (it prints nothing at all when nothing is due).
fn reminder_kinds(net: &Network) -> Vec<String> {
    let out = net.ok(&["report", "reminders", "--format", "json"]);
    if out.trim().is_empty() {
        return Vec::new();
    }
    let items: Value = serde_json::from_str(&out).unwrap();
    items.as_array().unwrap().iter().map(|i| i["kind"].as_str().unwrap().to_string()).collect()
}

/// (partner_id, status) of every message of request 1, oldest first.
fn log(net: &Network) -> Vec<(Option<i64>, String)> {
    net.conn()
        .prepare("SELECT partner_id, status FROM message WHERE request_id = 1 ORDER BY id")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap()
}

fn to_of(message: &mail_parser::Message<'_>) -> Vec<(String, String)> {
    match message.to() {
        Some(Address::List(list)) => list
            .iter()
            .map(|a| (a.name.as_deref().unwrap_or("").to_string(), a.address.as_deref().unwrap_or("").to_string()))
            .collect(),
        other => panic!("To is not a list of addresses: {other:?}"),
    }
}

/// Checks what every message must be, and returns (To name, To address, subject, body).
fn read_back(r: &Received) -> (String, String, String, String) {
    let message = MessageParser::default().parse(&r.data).expect("a message the parser reads");
    assert_eq!(r.rcpt_to.len(), 1, "one envelope recipient");
    assert_eq!(r.mail_from, "pvn@example.org");
    let to = to_of(&message);
    assert_eq!(to.len(), 1, "one To");
    assert_eq!(to[0].1, r.rcpt_to[0], "the envelope goes where To says");
    assert!(message.cc().is_none(), "no Cc");
    let from = match message.from() {
        Some(Address::List(list)) => list[0].clone(),
        other => panic!("no From: {other:?}"),
    };
    assert_eq!(from.address.as_deref(), Some("pvn@example.org"));
    assert_eq!(from.name.as_deref(), Some("Réseau des patients"));
    let id = message.message_id().expect("a Message-ID");
    assert!(id.ends_with("@example.org"), "{id}");
    // The pinned day's midnight, local time; the header is in UTC, which may be the day before.
    let date = message.date().expect("a Date");
    assert_eq!((date.year, date.month), (2026, 11));
    assert!([22, 23].contains(&date.day), "{date:?}");
    let body = message.body_text(0).expect("a text body").to_string();
    (to[0].0.clone(), to[0].1.clone(), message.subject().unwrap_or("").to_string(), body)
}

#[test]
fn drafts_are_printed_one_per_person_and_nothing_changes() {
    let net = Network::new();
    decided(&net);
    let drafts = net.json(&["message", "outcome", "1"]);
    let drafts = drafts.as_array().unwrap();
    assert_eq!(drafts.len(), 5);
    let keys: Vec<&str> = drafts[0].as_object().unwrap().keys().map(String::as_str).collect();
    assert_eq!(keys, ["kind", "request_id", "partner_id", "channel", "to", "subject", "body"]);
    assert_eq!(drafts[0]["to"], "jose.nunez@example.org");
    assert_eq!(drafts[0]["subject"], "Welcome to the team: Discharge co-design");
    assert!(drafts[0]["body"].as_str().unwrap().starts_with("Hello José,\n"));
    assert_eq!(drafts[2]["subject"], "You are on the waitlist: Discharge co-design");
    assert!(drafts[3]["body"].as_str().unwrap().contains("other ways to stay involved"));
    let table = net.ok(&["message", "outcome", "1"]);
    assert_eq!(table.matches("=== 1-outcome-").count(), 5);
    assert!(table.contains("To: Ana Silva <ana.silva@example.org>\nSubject: Welcome to the team"));
    assert_eq!(net.count("message"), 0);
    assert_eq!(told(&net), vec![None; 5]);
}

#[test]
fn sending_reaches_each_person_alone_with_their_name_and_records_the_outcome_as_told() {
    let net = Network::new();
    decided(&net);
    let sink = Sink::start(Behaviour::default());
    use_server(&net, sink.port());
    assert!(reminder_kinds(&net).contains(&"notify_due".to_string()));

    let run = net.run(&["message", "outcome", "1", "--send"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let received = sink.received();
    assert_eq!(received.len(), 5);
    let read: Vec<_> = received.iter().map(read_back).collect();
    let (name, address, subject, body) = &read[0];
    assert_eq!((name.as_str(), address.as_str()), ("José Nuñez", "jose.nunez@example.org"));
    assert_eq!(subject, "Welcome to the team: Discharge co-design");
    assert!(body.starts_with("Hello José,\r\n") || body.starts_with("Hello José,\n"), "{body}");
    assert!(body.contains("Réseau des patients"));
    assert!(read[1].3.starts_with("Hello Ana,"));
    assert!(read[3].3.contains("this time you were not selected"));
    let ids: std::collections::BTreeSet<String> = received
        .iter()
        .map(|r| MessageParser::default().parse(&r.data).unwrap().message_id().unwrap().to_string())
        .collect();
    assert_eq!(ids.len(), 5, "every Message-ID differs");

    // Recorded as told, in the columns the morning reminder reads.
    assert_eq!(told(&net), vec![Some("2026-11-23".to_string()); 5]);
    assert!(!reminder_kinds(&net).contains(&"notify_due".to_string()));
    assert_eq!(log(&net), (1..=5).map(|p| (Some(p), "sent".to_string())).collect::<Vec<_>>());
    let listed = net.json(&["message", "list", "1"]);
    assert_eq!(listed[0]["subject"], "Welcome to the team: Discharge co-design");
    assert_eq!(listed[0]["status"], "sent");
    assert!(listed[0].get("body").is_none());

    // A second --send finds nobody left, and sends nothing twice.
    let again = net.run(&["message", "outcome", "1", "--send"]);
    assert_eq!(again.code, 0, "{}", again.stderr);
    assert!(again.stderr.contains("Nobody is left to write the outcome of request 1 to"), "{}", again.stderr);
    assert_eq!(sink.received().len(), 5);
    // --again writes to everyone once more, and keeps the day they were first told.
    net.ok(&["message", "outcome", "1", "--send", "--again", "--partner", "2"]);
    assert_eq!(sink.received().len(), 6);
    assert_eq!(read_back(&sink.received()[5]).1, "ana.silva@example.org");
}

#[test]
fn a_refused_recipient_is_named_with_the_servers_reason_and_the_others_are_recorded() {
    let net = Network::new();
    decided(&net);
    let sink = Sink::start(Behaviour { refuse: vec!["bo.chen@example.org".into()], ..Behaviour::default() });
    use_server(&net, sink.port());
    let run = net.run(&["message", "outcome", "1", "--send"]);
    assert_eq!(run.code, 3, "{}", run.stderr);
    assert!(
        run.stderr.contains(
            "partner 3 (Bo Chen) <bo.chen@example.org> was refused by the server: 550 5.1.1 <bo.chen@example.org>: mailbox unavailable"
        ),
        "{}",
        run.stderr
    );
    assert_eq!(sink.received().len(), 4);
    let day = Some("2026-11-23".to_string());
    assert_eq!(told(&net), vec![day.clone(), day.clone(), None, day.clone(), day.clone()]);
    let statuses: Vec<String> = log(&net).into_iter().map(|(_, s)| s).collect();
    assert_eq!(statuses, ["sent", "sent", "refused", "sent", "sent"]);

    // The mailbox is fixed: a second --send goes to Bo only.
    drop(sink);
    let fixed = Sink::start(Behaviour::default());
    net.ok(&["config", "set", "smtp_port", &fixed.port().to_string()]);
    net.ok(&["message", "outcome", "1", "--send"]);
    let received = fixed.received();
    assert_eq!(received.len(), 1);
    assert_eq!(read_back(&received[0]).1, "bo.chen@example.org");
    assert_eq!(told(&net), vec![day; 5]);
}

#[test]
fn a_connection_lost_in_the_middle_is_unknown_and_the_rest_go_later_without_sending_anything_twice() {
    let net = Network::new();
    decided(&net);
    // Two messages accepted, the third read and the connection lost, then nobody listens.
    let sink = Sink::start(Behaviour { lose_after: Some(2), ..Behaviour::default() });
    use_server(&net, sink.port());
    let run = net.run(&["message", "outcome", "1", "--send"]);
    assert_eq!(run.code, 3, "{}", run.stderr);
    assert!(
        run.stderr.contains("the delivery to partner 3 (Bo Chen) <bo.chen@example.org> is unknown"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("the mail server could not be reached any more"), "{}", run.stderr);
    assert_eq!(sink.received().len(), 2);
    let day = Some("2026-11-23".to_string());
    assert_eq!(told(&net), vec![day.clone(), day.clone(), None, None, None]);
    let statuses: Vec<String> = log(&net).into_iter().map(|(_, s)| s).collect();
    assert_eq!(statuses, ["sent", "sent", "unknown", "failed"]);
    let listed = net.json(&["message", "list", "1"]);
    assert_eq!(listed[2]["status"], "unknown");

    // The server is back: the second --send sends to the two who never got theirs, not to the
    // one whose fate is unknown, and nothing twice.
    drop(sink);
    let back = Sink::start(Behaviour::default());
    net.ok(&["config", "set", "smtp_port", &back.port().to_string()]);
    let second = net.run(&["message", "outcome", "1", "--send"]);
    assert_eq!(second.code, 0, "{}", second.stderr);
    assert!(second.stderr.contains("partner 3 (Bo Chen) its delivery is unknown"), "{}", second.stderr);
    let to: Vec<String> = back.received().iter().map(|r| read_back(r).1).collect();
    assert_eq!(to, ["cy.roy@example.org", "dee.park@example.org"]);
    assert_eq!(told(&net), vec![day.clone(), day.clone(), None, day.clone(), day]);
}

#[test]
fn a_server_that_is_not_there_changes_nothing() {
    let net = Network::new();
    decided(&net);
    net.ok(&["recruit", "edit", "5", "--phone", "604-555-0101", "--preferred-contact", "phone"]);
    use_server(&net, nobody_there());
    let run = net.run(&["message", "outcome", "1", "--send"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_eq!(run.stdout, "", "a command that failed prints no call list either");
    assert!(run.stderr.contains("engage: error: could not reach the mail server 127.0.0.1:"), "{}", run.stderr);
    assert!(run.stderr.contains("nothing was sent"), "{}", run.stderr);
    assert_eq!(net.count("message"), 0);
    assert_eq!(told(&net), vec![None; 5]);
}

#[test]
fn encryption_is_not_given_up() {
    let net = Network::new();
    decided(&net);
    let sink = Sink::start(Behaviour::default());
    use_server(&net, sink.port());
    // The sink offers no STARTTLS: starttls refuses to go on without it.
    net.ok(&["config", "set", "smtp_security", "starttls"]);
    let run = net.run(&["message", "outcome", "1", "--send"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.stderr.contains("nothing was sent"), "{}", run.stderr);
    assert!(sink.received().is_empty());
    // Unencrypted only to this machine.
    net.ok(&["config", "set", "smtp_security", "none"]);
    net.ok(&["config", "set", "smtp_host", "smtp.example.org"]);
    let run = net.run(&["message", "outcome", "1", "--send"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("smtp_security is none, which sends messages and the password unencrypted, and smtp.example.org is not this machine"), "{}", run.stderr);
    assert_eq!(net.count("message"), 0);
}

#[test]
fn the_password_comes_from_the_environment_only() {
    let net = Network::new();
    decided(&net);
    let sink = Sink::start(Behaviour::default());
    use_server(&net, sink.port());
    net.ok(&["config", "set", "smtp_user", "pvn"]);
    let run = net.run(&["message", "welcome", "1", "--send"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("set ENGAGE_SMTP_PASSWORD"), "{}", run.stderr);
    let output =
        net.cmd().env("ENGAGE_SMTP_PASSWORD", "s3cret").args(["message", "welcome", "1", "--send"]).output().unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    // AUTH PLAIN: \0pvn\0s3cret.
    assert_eq!(sink.logins(), ["AHB2bgBzM2NyZXQ="]);
    let settings = net.ok(&["config", "list", "--format", "csv"]);
    assert!(!settings.contains("s3cret"));
}

#[test]
fn the_outbox_holds_one_parseable_file_per_message_readable_by_its_owner_only() {
    let net = Network::new();
    decided(&net);
    net.ok(&["config", "set", "smtp_from", "pvn@example.org"]);
    net.ok(&["config", "set", "network_name", "Réseau des patients"]);
    net.ok(&["config", "set", "coordinator", "Maëlle Côté"]);
    net.ok(&["config", "set", "coordinator_email", "maelle@example.org"]);
    let outbox = net.path("outbox");
    net.ok(&["message", "thanks", "1", "--outbox", outbox.to_str().unwrap()]);
    let mut files: Vec<_> = std::fs::read_dir(&outbox).unwrap().map(|e| e.unwrap().path()).collect();
    files.sort();
    let names: Vec<String> = files.iter().map(|f| f.file_name().unwrap().to_string_lossy().into_owned()).collect();
    assert_eq!(names, ["1-thanks-1.eml", "1-thanks-2.eml"]);
    for (file, name) in files.iter().zip(["José Nuñez", "Ana Silva"]) {
        assert_eq!(mode(file), 0o600);
        let bytes = std::fs::read(file).unwrap();
        let message = MessageParser::default().parse(&bytes).unwrap();
        let to = to_of(&message);
        assert_eq!(to.len(), 1);
        assert_eq!(to[0].0, name);
        assert!(message.message_id().is_some() && message.date().is_some());
        let reply_to = match message.reply_to() {
            Some(Address::List(list)) => list[0].clone(),
            other => panic!("no Reply-To: {other:?}"),
        };
        assert_eq!(reply_to.name.as_deref(), Some("Maëlle Côté"));
        assert_eq!(reply_to.address.as_deref(), Some("maelle@example.org"));
        let body = message.body_text(0).unwrap();
        assert!(body.contains(&format!("Hello {},", name.split(' ').next().unwrap())), "{body}");
        assert!(body.contains("Maëlle Côté"));
    }
    // Everyone selected was thanked: the closing checklist's step is done.
    assert_eq!(column(&net, "SELECT thanked_on FROM request WHERE id = 1"), [Some("2026-11-23".to_string())]);
    let statuses: Vec<String> = log(&net).into_iter().map(|(_, s)| s).collect();
    assert_eq!(statuses, ["written", "written"]);
    // Nothing twice; --again would replace the files only with --force.
    let run = net.run(&["message", "thanks", "1", "--outbox", outbox.to_str().unwrap()]);
    assert!(run.stderr.contains("Nobody is left"), "{}", run.stderr);
    let run = net.run(&["message", "thanks", "1", "--outbox", outbox.to_str().unwrap(), "--again"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("already holds 1-thanks-1.eml and 1-thanks-2.eml; nothing was written: pass --force"));
    assert_eq!(net.count("message"), 2);
    net.ok(&["message", "thanks", "1", "--outbox", outbox.to_str().unwrap(), "--again", "--force"]);
    assert_eq!(net.count("message"), 4);
    // The database's own folder is refused (a server's database has none).
    if net.server.is_none() {
        let run = net.run(&["message", "welcome", "1", "--outbox", net.dir.path().to_str().unwrap()]);
        assert_eq!(run.code, 2, "{}", run.stderr);
        assert!(run.stderr.contains("is the folder of the database"), "{}", run.stderr);
    }
}

#[test]
fn each_kind_records_its_step_and_the_closing_checklist_follows() {
    let net = Network::new();
    decided(&net);
    net.ok(&["config", "set", "smtp_from", "pvn@example.org"]);
    let outbox = net.path("outbox");
    let out = outbox.to_str().unwrap();
    net.ok(&["message", "welcome", "1", "--outbox", out]);
    assert_eq!(
        column(&net, "SELECT welcomed_on FROM decision WHERE request_id = 1 ORDER BY partner_id"),
        [Some("2026-11-23".to_string()), Some("2026-11-23".to_string()), None, None, None]
    );
    // What came of the work needs the outcomes recorded first, and says so.
    let run = net.run(&["message", "loop-closed", "1", "--outbox", out]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr.contains(
            "the built-in loop-closed template names request.outcomes, which request 1 does not have; nothing was sent; \
             give it with `engage close 1 --outcomes TEXT --keep-open`"
        ),
        "{}",
        run.stderr
    );
    net.ok(&["close", "1", "--outcomes", "A discharge checklist on two units.", "--keep-open"]);
    net.ok(&["message", "loop-closed", "1", "--outbox", out]);
    let body = std::fs::read_to_string(outbox.join("1-loop-closed-2.eml")).unwrap();
    assert!(body.contains("A discharge checklist on two units."));
    // The surveys need their links, then go to the partners and to the requester.
    let run = net.run(&["message", "survey", "1", "--outbox", out]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("names survey_url"), "{}", run.stderr);
    net.ok(&[
        "request",
        "edit",
        "1",
        "--partner-survey-url",
        "https://forms.example.org/partners",
        "--requester-survey-url",
        "https://forms.example.org/requester",
    ]);
    net.ok(&["message", "survey", "1", "--outbox", out]);
    let requester = std::fs::read_to_string(outbox.join("1-survey-requester.eml")).unwrap();
    assert!(requester.contains("To: \"Lee Wong\" <lee.wong@example.org>\r\n"), "{requester}");
    assert!(requester.contains("https://forms.example.org/requester"));
    net.ok(&["message", "thanks", "1", "--outbox", out]);
    let closing = net.json(&["close", "1", "--keep-open"]);
    let done: Vec<(String, bool)> = closing
        .as_array()
        .unwrap()
        .iter()
        .filter(|i| i["partner_id"].is_null())
        .map(|i| (i["step"].as_str().unwrap().to_string(), i["done"].as_bool().unwrap()))
        .collect();
    let expected: Vec<(String, bool)> = ["outcomes", "loop_closed", "thanked", "partner_survey", "requester_survey"]
        .iter()
        .map(|s| (s.to_string(), true))
        .collect();
    assert_eq!(done, expected);
    // The roster goes to the point of contact, with the selected partners only.
    net.ok(&["message", "roster", "1", "--outbox", out]);
    let roster = std::fs::read_to_string(outbox.join("1-roster-requester.eml")).unwrap();
    assert!(roster.contains("To: \"Lee Wong\" <lee.wong@example.org>\r\n"), "{roster}");
    let text = MessageParser::default().parse(roster.as_bytes()).unwrap().body_text(0).unwrap().to_string();
    assert!(text.contains("Ana Silva") && text.contains("ana.silva@example.org"), "{text}");
    for other in ["Bo Chen", "Cy Roy", "Dee Park", "bo.chen"] {
        assert!(!text.contains(other), "{other} is not on the roster:\n{text}");
    }
    assert!(events(&net, 1).iter().any(|(kind, _, _)| kind == "roster_sent"));
    let run = net.run(&["message", "roster", "1", "--partner", "2"]);
    assert_eq!(run.code, 2);
}

#[test]
fn invitations_go_to_active_consenting_partners_and_record_the_invitation() {
    let net = Network::new();
    let ana = partner(&net, "Ana", "Silva", &["--topics", "discharge"]);
    let _paused = partner(&net, "Bo", "Chen", &["--topics", "discharge", "--status", "paused"]);
    net.ok(&["recruit", "add", "--first", "Cy", "--last", "Roy", "--email", "cy@example.org", "--topics", "discharge"]);
    let _elsewhere = partner(&net, "Dee", "Park", &["--topics", "gardening"]);
    let phone = partner(
        &net,
        "Eli",
        "Moss",
        &["--topics", "discharge", "--phone", "604-555-0101", "--preferred-contact", "phone"],
    );
    let request = net.request(&["--topics", "discharge", "--way", "consult"]);
    net.ok(&["config", "set", "smtp_from", "pvn@example.org"]);
    let outbox = net.path("outbox");
    let run = net.run(&["message", "invitation", &request.to_string(), "--outbox", outbox.to_str().unwrap()]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let files: Vec<String> =
        std::fs::read_dir(&outbox).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    assert_eq!(files, ["1-invitation-1.eml"]);
    // Eli prefers the phone: on the call list, not e-mailed, and not recorded until called.
    assert!(run.stdout.contains("604-555-0101"), "{}", run.stdout);
    assert!(run.stderr.contains("1 partner prefers the phone and is to call"), "{}", run.stderr);
    assert_eq!(
        column(&net, "SELECT CAST(partner_id AS TEXT) FROM invitation ORDER BY partner_id"),
        [Some(ana.to_string())]
    );
    assert_eq!(column(&net, "SELECT status FROM request"), [Some("recruiting".to_string())]);
    let _ = phone;
    // A partner the invitation is not for is refused by name.
    let run = net.run(&["message", "invitation", "1", "--partner", "3"]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr
            .contains("the invitation of request 1 does not go to partner 3, who did not consent to be contacted"),
        "{}",
        run.stderr
    );
}

#[test]
fn an_inform_request_is_a_notice_with_no_selection() {
    let net = Network::new();
    partner(&net, "Ana", "Silva", &["--topics", "discharge"]);
    let request = net.request(&["--topics", "discharge", "--way", "inform"]);
    let drafts = net.json(&["message", "invitation", &request.to_string()]);
    assert_eq!(drafts[0]["subject"], "For your information: Discharge co-design (Fraser Health)");
    let body = drafts[0]["body"].as_str().unwrap();
    assert!(body.contains("there is nothing to apply for and no selection"));
    assert!(!body.contains("reply by"));
    let run = net.run(&["message", "outcome", &request.to_string()]);
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("is an inform notice: it has no selection, so no outcome message"), "{}", run.stderr);
}

#[test]
fn forgetting_a_partner_erases_what_the_message_log_kept_and_they_are_never_written_to() {
    let net = Network::new();
    decided(&net);
    net.ok(&["config", "set", "smtp_from", "pvn@example.org"]);
    let outbox = net.path("outbox");
    net.ok(&["message", "outcome", "1", "--outbox", outbox.to_str().unwrap()]);
    net.ok(&["recruit", "forget", "2"]);
    let kept =
        column(&net, "SELECT coalesce(recipient, '') || coalesce(subject, '') FROM message WHERE partner_id = 2");
    assert_eq!(kept, [Some(String::new())]);
    // In the file's bytes too (a server keeps its own pages).
    if net.server.is_none() {
        let file = std::fs::read(net.db.clone()).unwrap();
        assert!(!file.windows(b"ana.silva".len()).any(|w| w == b"ana.silva"));
    }
    let listed = net.json(&["message", "list", "1"]);
    assert_eq!(listed[1]["to"], "(forgotten)");
    let drafts = net.json(&["message", "thanks", "1", "--again"]);
    let to: Vec<&str> = drafts.as_array().unwrap().iter().map(|d| d["to"].as_str().unwrap()).collect();
    assert_eq!(to, ["jose.nunez@example.org"]);
}

#[test]
fn a_template_is_checked_before_anything_is_sent() {
    let net = Network::new();
    decided(&net);
    let sink = Sink::start(Behaviour::default());
    use_server(&net, sink.port());
    let mine = net.path("outcome.txt");
    std::fs::write(&mine, "Subject: About {{ request.title }}\n\nDear {{ nmae }},\n").unwrap();
    let run = net.run(&["message", "outcome", "1", "--send", "--template", mine.to_str().unwrap()]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("names the placeholder nmae, which engage does not offer"), "{}", run.stderr);
    std::fs::write(&mine, "Subject: About {{ request.title }}\n\nDear {{ name }},\n{{ request.supports }}\n").unwrap();
    let run = net.run(&["message", "outcome", "1", "--send", "--template", mine.to_str().unwrap()]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("names request.supports, which request 1 does not have; nothing was sent"),
        "{}",
        run.stderr
    );
    assert!(sink.received().is_empty());
    assert_eq!(net.count("message"), 0);
    // A good one is used as written, its last line break kept.
    std::fs::write(&mine, "Subject: About {{ request.title }}\n\nDear {{ name }},\nSee you.\n").unwrap();
    let drafts = net.json(&["message", "outcome", "1", "--template", mine.to_str().unwrap()]);
    assert_eq!(drafts[0]["body"], "Dear José,\nSee you.\n");
    // One in the templates folder is used without --template.
    let folder = net.dir.path().join("home/.config/engage/templates");
    std::fs::create_dir_all(&folder).unwrap();
    std::fs::write(folder.join("outcome-collaborate.txt"), "Subject: Ours\n\nHi {{ name }}.\n").unwrap();
    let drafts = net.json(&["message", "outcome", "1"]);
    assert_eq!(drafts[1]["body"], "Hi Ana.\n");
    // The built-in variant for a way prints as it is.
    let team = net.ok(&["message", "template", "outcome", "--way", "lead"]);
    assert!(team.starts_with("Subject: {% if decision.outcome == \"selected\" %}Welcome to the team"));
    let placeholders = net.json(&["message", "template", "--placeholders"]);
    assert!(placeholders.as_array().unwrap().iter().any(|p| p["placeholder"] == "request.partner_survey_url"));
}

#[test]
fn a_dry_run_shows_what_would_go_and_changes_nothing() {
    let net = Network::new();
    decided(&net);
    let sink = Sink::start(Behaviour::default());
    use_server(&net, sink.port());
    let shown = net.run(&["message", "outcome", "1", "--send", "--dry-run"]);
    assert_eq!(shown.code, 0, "{}", shown.stderr);
    assert!(shown.stderr.contains("Would send 5 messages of the outcome for request 1"), "{}", shown.stderr);
    assert!(shown.stdout.contains("jose.nunez@example.org"));
    let outbox = net.path("outbox");
    net.ok(&["message", "outcome", "1", "--outbox", outbox.to_str().unwrap(), "--dry-run"]);
    assert!(!outbox.exists());
    assert!(sink.received().is_empty());
    assert_eq!(net.count("message"), 0);
    assert_eq!(told(&net), vec![None; 5]);
    let _: Value = net.json(&["message", "list", "1"]);
}

#[test]
fn the_readme_outbox_example_works_as_written() {
    let net = Network::new();
    let steps = crate::readme::block("messages");
    assert!(steps.iter().any(|s| s.is_nothing()));
    crate::readme::run(&net, &steps);
    let outbox = net.path("outbox");
    for file in ["1-outcome-1.eml", "1-outcome-2.eml"] {
        let bytes = std::fs::read(outbox.join(file)).unwrap();
        assert!(MessageParser::default().parse(&bytes).is_some(), "{file}");
    }
    assert_eq!(told_on(&net, 1), vec![Some("2026-11-23".to_string()); 2]);
}

fn told_on(net: &Network, request: i64) -> Vec<Option<String>> {
    column(net, &format!("SELECT notified_on FROM decision WHERE request_id = {request} ORDER BY partner_id"))
}

#[test]
fn a_closed_request_still_takes_its_survey_links_and_nothing_else() {
    let net = Network::new();
    decided(&net);
    net.ok(&["close", "1", "--force"]);
    net.ok(&["request", "edit", "1", "--partner-survey-url", "https://forms.example.org/p"]);
    assert_eq!(
        column(&net, "SELECT partner_survey_url FROM request"),
        [Some("https://forms.example.org/p".to_string())]
    );
    let run = net.run(&["request", "edit", "1", "--title", "Another"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let run = net.run(&["request", "edit", "1", "--partner-survey-url", "forms.example.org/p"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("'forms.example.org/p' is not a web link; give the whole link, starting with https://")
    );
}

#[test]
fn a_closing_step_waits_for_everyone_it_is_for() {
    let net = Network::new();
    decided(&net);
    net.ok(&["config", "set", "smtp_from", "pvn@example.org"]);
    let outbox = net.path("outbox");
    let out = outbox.to_str().unwrap();
    net.ok(&["message", "thanks", "1", "--outbox", out, "--partner", "1"]);
    assert_eq!(column(&net, "SELECT thanked_on FROM request"), [None]);
    net.ok(&["message", "thanks", "1", "--outbox", out]);
    assert_eq!(column(&net, "SELECT thanked_on FROM request"), [Some("2026-11-23".to_string())]);
    assert_eq!(std::fs::read_dir(&outbox).unwrap().count(), 2);
    // A selected partner who prefers the phone is called, not e-mailed: the step waits for the call.
    net.ok(&["recruit", "edit", "2", "--phone", "604-555-0101", "--preferred-contact", "phone"]);
    let run = net.run(&["message", "loop-closed", "1", "--outbox", out]);
    assert_eq!(run.code, 2, "no outcomes yet: {}", run.stderr);
    net.ok(&["close", "1", "--outcomes", "A new checklist.", "--keep-open"]);
    let run = net.run(&["message", "loop-closed", "1", "--outbox", out]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.contains("604-555-0101") && run.stdout.contains("tell them what came of"), "{}", run.stdout);
    assert!(outbox.join("1-loop-closed-1.eml").exists() && !outbox.join("1-loop-closed-2.eml").exists());
    assert_eq!(column(&net, "SELECT loop_closed_on FROM request"), [None]);
}

#[test]
fn a_partner_who_withdrew_is_told_as_such_and_thanked_for_the_work_given() {
    let net = Network::new();
    let request = decided(&net).to_string();
    net.ok(&["checkin", &request, "--partner", "2", "--hours", "6"]);
    net.ok(&["select", "decide", &request, "--withdraw", "2"]);
    let drafts = net.json(&["message", "outcome", &request, "--partner", "2"]);
    let ana = &drafts.as_array().unwrap()[0];
    assert_eq!(ana["subject"], "Thank you for the work you gave: Discharge co-design");
    let body = ana["body"].as_str().unwrap();
    assert!(body.contains("you stepped back from this engagement part-way"), "{body}");
    assert!(!body.contains("not selected"), "{body}");
    // Thanks and the loop closed go to those who took part, the withdrawn included; the welcome
    // only to those who start.
    let to = |kind: &str| -> Vec<i64> {
        let drafts = net.json(&["message", kind, &request]);
        drafts.as_array().unwrap().iter().filter_map(|d| d["partner_id"].as_i64()).collect()
    };
    assert_eq!(to("thanks"), [1, 2]);
    assert_eq!(to("welcome"), [1]);
}
