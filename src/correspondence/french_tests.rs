//! The French correspondence: every kind and way renders in French with nothing left
//! undefined and opens with `Bonjour …,`; dates, amounts and hours read as Canadian French writes
//! them; a request's French title and description are used; partners of one request are each
//! written to in their own language; and the accents survive into the `.eml` file.

use super::draft::{Letterhead, PartnerFacts, RosterEntry, Who};
use super::mail::{Letter, Sender};
use super::template::{RenderError, Rendered, Template, Templates, built_in};
use super::{Kind, Language, outbox};
use crate::domain::compensation::{Account, Method};
use crate::domain::kinds::{Format, Level, RequestStatus, Way};
use crate::domain::money::{Hours, Money};
use crate::domain::partner::Partner;
use crate::domain::request::{Closing, Pay, Request};
use crate::domain::selection::{Decision, Outcome};
use chrono::NaiveDate;

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

/// A request with only what every request has, and no French title.
fn bare(way: Way) -> Request {
    Request {
        id: 3,
        title: "Discharge co-design".into(),
        description: None,
        title_fr: None,
        description_fr: None,
        organization: "Fraser Health".into(),
        owner: "coordinator".into(),
        contact_name: "Lee Wong".into(),
        contact_email: "lee.wong@example.org".into(),
        contact_phone: None,
        way,
        domain: None,
        level: None,
        topics: vec![],
        region: None,
        community: None,
        format: None,
        location: None,
        starts_on: None,
        ends_on: None,
        respond_by: d("2026-12-07"),
        select_by: d("2026-12-14"),
        hours_estimate: None,
        seats: 2,
        pay: Pay::WayRate(Money(5000)),
        expenses_reimbursed: true,
        record_check_required: false,
        supports: None,
        checkin_every_days: 30,
        checkin_every_given: false,
        status: RequestStatus::Active,
        status_reason: None,
        created_on: d("2026-11-01"),
        criteria: vec![],
        closing: Closing::default(),
        partner_survey_url: None,
        requester_survey_url: None,
    }
}

/// A request with every optional value, its French title and description among them.
fn full(way: Way) -> Request {
    Request {
        description: Some("Redesigning how patients leave hospital.".into()),
        title_fr: Some("Cocréation du congé hospitalier".into()),
        description_fr: Some("Repenser la façon dont les patients quittent l'hôpital.".into()),
        contact_phone: Some("604-555-0199".into()),
        domain: Some(crate::domain::kinds::Domain::Program),
        level: Some(Level::Organizational),
        format: Some(Format::Hybrid),
        location: Some("Surrey Memorial".into()),
        starts_on: Some(d("2027-01-10")),
        ends_on: Some(d("2027-06-30")),
        hours_estimate: Some(Hours(4000)),
        supports: Some("laissez-passer de transport, sous-titrage".into()),
        record_check_required: true,
        closing: Closing {
            outcomes: Some("Une nouvelle liste de vérification au congé.".into()),
            ..Closing::default()
        },
        partner_survey_url: Some("https://forms.example.org/p".into()),
        requester_survey_url: Some("https://forms.example.org/r".into()),
        ..bare(way)
    }
}

fn partner(id: i64, first: &str, last: &str, language: Language, outcome: Outcome, account: Account) -> Who {
    Who::Partner(Box::new(PartnerFacts {
        partner: Partner {
            id,
            first_name: Some(first.into()),
            last_name: Some(last.into()),
            email: Some(format!("{}@example.org", first.to_lowercase())),
            ..Partner::default()
        },
        decision: Some(Decision {
            request_id: 3,
            partner_id: id,
            outcome,
            reason: None,
            decided_on: d("2026-11-20"),
            notified_on: None,
            welcomed_on: None,
            oriented_on: None,
            introduced_on: None,
        }),
        account: Some(Account { partner_id: id, ..account }),
        commitments_valid: false,
        record_check_on_file: false,
        language,
    }))
}

fn ana(outcome: Outcome) -> Who {
    partner(12, "Ana", "Silva", Language::Fr, outcome, Account { hours: Hours(1250), ..Account::default() })
}

fn letterhead() -> Letterhead {
    Letterhead {
        network: "Réseau des patients partenaires".into(),
        coordinator: Some("Maëlle Côté".into()),
        ..Letterhead::default()
    }
}

fn roster() -> Vec<RosterEntry> {
    vec![RosterEntry {
        partner_id: 12,
        name: "Ana Silva".into(),
        languages: vec!["français".into(), "portugais".into()],
        ..RosterEntry::default()
    }]
}

/// One message in French from the built-in templates, rendered as a send renders it.
fn french(kind: Kind, r: &Request, who: &Who) -> Rendered {
    let templates = Templates::built_in(kind, r.way).unwrap();
    templates
        .render_for(kind, r, &letterhead(), who, &roster(), Language::Fr)
        .unwrap_or_else(|e| panic!("{kind} {}: {e:?}", r.way))
}

/// The closings the French templates sign off with; each follows a blank line.
const CLOSINGS: &[&str] = &["Cordialement,", "Au plaisir,", "Merci,", "Avec toute notre reconnaissance,"];

/// Words that would mean an English sentence or value slipped into a French message.
const ENGLISH: &[&str] = &[
    "Hello",
    "Thank you",
    " the ",
    " and ",
    " hours",
    " an hour",
    "expenses",
    "January",
    "June",
    "December",
    "by e-transfer",
    "none",
    "true",
    "false",
    "{{",
    "{%",
];

#[test]
fn every_french_template_renders_for_every_kind_and_way_and_opens_with_bonjour() {
    let accounts = [
        Account { hours: Hours(1250), ..Account::default() },
        Account { hours: Hours(1250), method: Some(Method::ETransfer), ..Account::default() },
        Account {
            hours: Hours(1250),
            method: Some(Method::Cheque),
            paid_on: Some(d("2027-07-02")),
            ..Account::default()
        },
        Account { hours: Hours(1250), declined: true, ..Account::default() },
        Account { hours: Hours(1250), affects_benefits: true, ..Account::default() },
        Account::default(),
    ];
    let mut rendered = 0;
    for way in Way::ALL {
        for r in [bare(*way), full(*way)] {
            for kind in Kind::ALL {
                if *kind == Kind::LoopClosed && r.closing.outcomes.is_none()
                    || *kind == Kind::Survey && r.partner_survey_url.is_none()
                {
                    continue;
                }
                let mut people: Vec<Who> = match kind {
                    Kind::Roster => vec![Who::Requester],
                    Kind::Outcome => [Outcome::Selected, Outcome::Waitlisted, Outcome::NotSelected, Outcome::Withdrew]
                        .into_iter()
                        .map(ana)
                        .collect(),
                    Kind::Thanks => accounts
                        .iter()
                        .map(|a| partner(12, "Ana", "Silva", Language::Fr, Outcome::Selected, a.clone()))
                        .collect(),
                    _ => vec![ana(Outcome::Selected)],
                };
                if *kind == Kind::Survey {
                    people.push(Who::Requester);
                }
                for who in &people {
                    let m = french(*kind, &r, who);
                    let at = format!("{kind} {way} {:?}:\n{}\n\n{}", who.partner_id(), m.subject, m.body);
                    assert_eq!(m.language, Language::Fr);
                    assert!(!m.subject.is_empty() && !m.subject.contains('\n'), "{at}");
                    let hello =
                        if matches!(who, Who::Requester) { "Bonjour Lee Wong,\n\n" } else { "Bonjour Ana,\n\n" };
                    assert!(m.body.starts_with(hello), "{at}");
                    assert!(m.body.ends_with("Maëlle Côté\nRéseau des patients partenaires\n"), "{at}");
                    assert!(!m.body.contains("\n\n\n"), "a double blank line in {at}");
                    for word in ENGLISH {
                        assert!(!m.subject.contains(word) && !m.body.contains(word), "'{word}' in {at}");
                    }
                    // No amount written the English way ($50.00), nor a decimal point in hours.
                    assert!(!m.body.contains("$5") && !m.body.contains(".00"), "{at}");
                    let lines: Vec<&str> = m.body.lines().collect();
                    for (i, line) in lines.iter().enumerate() {
                        if CLOSINGS.contains(line) {
                            assert_eq!(lines[i - 1], "", "no blank line before the closing in {at}");
                        }
                    }
                    rendered += 1;
                }
            }
        }
    }
    // 5 ways × 2 requests: 1 invitation, 4 outcomes, 1 welcome, 6 thanks and 1 roster each,
    // the loop-closed message and 2 surveys for the full request only.
    assert_eq!(rendered, 5 * (2 * (1 + 4 + 1 + 6 + 1) + 1 + 2));
}

#[test]
fn every_kind_has_a_french_template_for_every_way_the_english_set_has() {
    for kind in Kind::ALL {
        for way in Way::ALL {
            let english = built_in(*kind, *way, Language::En);
            let french = built_in(*kind, *way, Language::Fr);
            assert!(french.text.starts_with("Subject: "), "{kind} {way}");
            assert_ne!(french.text, english.text, "{kind} {way}: the French template is the English one");
            // The same variant: the way changes the French message as it changes the English one.
            assert_eq!(
                french.name.replace("the built-in French ", "the built-in "),
                english.name,
                "{kind} {way}: {} beside {}",
                french.name,
                english.name
            );
            assert!(french.text.contains("\nBonjour {{ name }},\n"), "{kind} {way}");
            Template::read(&french).unwrap_or_else(|e| panic!("{e}"));
        }
    }
    assert_eq!(
        built_in(Kind::Outcome, Way::Lead, Language::Fr).name,
        "the built-in French outcome template (collaborate and lead)"
    );
    assert_eq!(
        super::template::file_names(Kind::Outcome, Way::Lead, Language::Fr),
        ["outcome-lead.fr.txt", "outcome.fr.txt"]
    );
}

#[test]
fn french_dates_amounts_and_hours_read_as_canadian_french_writes_them() {
    let m = french(Kind::Invitation, &full(Way::Collaborate), &ana(Outcome::Selected));
    assert_eq!(m.subject, "Joignez-vous à l'équipe : Cocréation du congé hospitalier (Fraser Health)");
    for line in [
        "Fraser Health forme une équipe pour le projet « Cocréation du congé hospitalier » et cherche 2 patients \
         partenaires ou partenaires de soins pour prendre part à ses décisions.",
        "De quoi il s'agit : Repenser la façon dont les patients quittent l'hôpital.",
        "Niveau : organisationnel — pour façonner la façon dont Fraser Health offre ses soins.",
        "Quand : du 10 janvier au 30 juin 2027, environ 40 heures au total.",
        "Où : en personne et en ligne (Surrey Memorial).",
        "Reconnaissance : 50,00\u{a0}$ l'heure (environ 2\u{202f}000,00\u{a0}$ pour 40 heures); vos frais sont remboursés.",
        "Cet engagement exige une vérification des antécédents judiciaires.",
    ] {
        assert!(m.body.lines().any(|l| l == line), "no line '{line}' in:\n{}", m.body);
    }
    assert!(m.body.contains("répondez-nous d'ici le 7 décembre 2026 "), "{}", m.body);

    // One session, a span across two years, a start alone; an honorarium; no compensation.
    let one_day = Request {
        starts_on: Some(d("2027-02-01")),
        ends_on: Some(d("2027-02-01")),
        hours_estimate: Some(Hours(250)),
        pay: Pay::Honorarium(Money(5000)),
        ..bare(Way::Consult)
    };
    let m = french(Kind::Invitation, &one_day, &ana(Outcome::Selected));
    assert!(m.body.contains("lors d'une rencontre unique : « Discharge co-design »."), "{}", m.body);
    assert!(m.body.contains("Quand : le 1er février 2027, pour environ 2,5 heures."), "{}", m.body);
    assert!(
        m.body.contains("Reconnaissance : des honoraires de 50,00\u{a0}$; vos frais sont remboursés."),
        "{}",
        m.body
    );
    let welcome = french(Kind::Welcome, &one_day, &ana(Outcome::Selected));
    assert!(welcome.body.contains("La rencontre aura lieu le 1er février 2027 et durera environ 2,5 heures."));
    let years = Request { starts_on: Some(d("2026-12-01")), ends_on: Some(d("2027-01-31")), ..bare(Way::Involve) };
    let m = french(Kind::Outcome, &years, &ana(Outcome::Selected));
    assert!(m.body.contains("Le projet se déroule du 1er décembre 2026 au 31 janvier 2027."), "{}", m.body);
    let start = Request { starts_on: Some(d("2027-03-15")), ..bare(Way::Involve) };
    assert!(
        french(Kind::Invitation, &start, &ana(Outcome::Selected)).body.contains("Quand : à partir du 15 mars 2027.")
    );
    let inform = Request { pay: Pay::WayRate(Money(0)), ..full(Way::Inform) };
    let m = french(Kind::Invitation, &inform, &ana(Outcome::Selected));
    assert_eq!(m.subject, "Pour votre information : Cocréation du congé hospitalier (Fraser Health)");
    assert!(m.body.contains("il n'y a aucune candidature à présenter et aucune sélection"));
    assert!(!m.body.contains("d'ici le"), "an inform notice asks for no answer:\n{}", m.body);

    // The thanks: hours with a decimal comma, the amount and the way it was paid.
    let paid = Account {
        hours: Hours(1250),
        method: Some(Method::ETransfer),
        paid_on: Some(d("2027-07-02")),
        ..Account::default()
    };
    let who = partner(12, "Ana", "Silva", Language::Fr, Outcome::Selected, paid);
    let m = french(Kind::Thanks, &full(Way::Involve), &who);
    assert!(m.body.contains("Nous avons consigné 12,5 heures de votre temps.\n"), "{}", m.body);
    assert!(
        m.body.contains("Votre reconnaissance de 625,00\u{a0}$ a été versée par virement Interac.\n"),
        "{}",
        m.body
    );
    let offered = Account { hours: Hours(1250), affects_benefits: true, ..Account::default() };
    let who = partner(12, "Ana", "Silva", Language::Fr, Outcome::Selected, offered);
    let m = french(Kind::Thanks, &full(Way::Involve), &who);
    assert!(m.body.contains("Une reconnaissance de 625,00\u{a0}$ vous est offerte, sans être tenue pour acquise"));
    let nothing = partner(12, "Ana", "Silva", Language::Fr, Outcome::Selected, Account::default());
    let m = french(Kind::Thanks, &Request { pay: Pay::WayRate(Money(0)), ..full(Way::Involve) }, &nothing);
    assert!(!m.body.contains("reconnaissance de") && !m.body.contains("0,00"), "nothing is owed:\n{}", m.body);
}

#[test]
fn each_french_outcome_gets_its_own_text() {
    let r = full(Way::Involve);
    let selected = french(Kind::Outcome, &r, &ana(Outcome::Selected));
    assert_eq!(selected.subject, "Votre candidature est retenue : Cocréation du congé hospitalier");
    assert!(selected.body.contains("Prochaines étapes :"));
    assert!(selected.body.contains("Le projet se déroule du 10 janvier au 30 juin 2027."));
    let waitlisted = french(Kind::Outcome, &r, &ana(Outcome::Waitlisted));
    assert_eq!(waitlisted.subject, "Votre candidature est sur la liste d'attente : Cocréation du congé hospitalier");
    assert!(waitlisted.body.contains("si une place se libère"));
    let not = french(Kind::Outcome, &r, &ana(Outcome::NotSelected));
    assert_eq!(not.subject, "Merci de votre intérêt : Cocréation du congé hospitalier");
    assert!(
        not.body.contains("d'autres façons de poursuivre votre engagement") && !not.body.contains("Prochaines étapes")
    );
    let withdrew = french(Kind::Outcome, &r, &ana(Outcome::Withdrew));
    assert!(withdrew.body.contains("votre décision de vous retirer de cet engagement"));
    let team = french(Kind::Outcome, &full(Way::Lead), &ana(Outcome::Selected));
    assert_eq!(team.subject, "Bienvenue dans l'équipe : Cocréation du congé hospitalier");
    assert!(team.body.contains(
        "Concrètement, vous dirigez ou codirigez le travail avec l'équipe, et vos décisions sont mises en œuvre."
    ));
    let closed = french(Kind::LoopClosed, &r, &ana(Outcome::Selected));
    assert!(closed.body.contains(
        "Pour boucler la boucle, voici ce qui en est ressorti :\n\nUne nouvelle liste de vérification au congé.\n"
    ));
    let survey = french(Kind::Survey, &r, &ana(Outcome::Selected));
    assert!(
        survey.body.contains("à répondre à un court sondage")
            && survey.body.contains("\nhttps://forms.example.org/p\n")
    );
}

#[test]
fn a_french_message_names_the_request_by_its_french_title_and_else_by_its_title() {
    let with = full(Way::Involve);
    let m = french(Kind::Thanks, &with, &ana(Outcome::Selected));
    assert_eq!(m.subject, "Merci : Cocréation du congé hospitalier");
    let without = bare(Way::Involve);
    let m = french(Kind::Thanks, &without, &ana(Outcome::Selected));
    assert_eq!(m.subject, "Merci : Discharge co-design");
    // A French description without a French title, and the other way round.
    let description_only = Request {
        description: Some("In English.".into()),
        description_fr: Some("En français.".into()),
        ..bare(Way::Involve)
    };
    let m = french(Kind::Invitation, &description_only, &ana(Outcome::Selected));
    assert!(m.body.contains("De quoi il s'agit : En français.\n") && m.body.contains("« Discharge co-design »"));
    let english_description = Request { description: Some("In English.".into()), ..full(Way::Involve) };
    let english_description = Request { description_fr: None, ..english_description };
    let m = french(Kind::Invitation, &english_description, &ana(Outcome::Selected));
    assert!(m.body.contains("De quoi il s'agit : In English.\n"), "{}", m.body);
    // An English message never uses the French ones.
    let ben = partner(13, "Ben", "Okafor", Language::En, Outcome::Selected, Account::default());
    let english = Templates::built_in(Kind::Invitation, Way::Involve)
        .unwrap()
        .render_for(Kind::Invitation, &with, &letterhead(), &ben, &[], Language::Fr)
        .unwrap();
    assert_eq!(english.subject, "Patient partner opportunity: Discharge co-design (Fraser Health)");
    assert!(english.body.contains("What it is about: Redesigning how patients leave hospital.\n"));
}

#[test]
fn a_french_and_an_english_partner_of_one_request_each_get_their_own_language() {
    let r = full(Way::Involve);
    let ana = ana(Outcome::Selected);
    let ben = partner(13, "Ben", "Okafor", Language::En, Outcome::NotSelected, Account::default());
    for kind in [Kind::Outcome, Kind::Welcome, Kind::Thanks, Kind::LoopClosed, Kind::Survey] {
        let templates = Templates::built_in(kind, r.way).unwrap();
        let to_ana = templates.render_for(kind, &r, &letterhead(), &ana, &[], Language::En).unwrap();
        assert_eq!(to_ana.language, Language::Fr, "{kind}");
        assert!(to_ana.body.starts_with("Bonjour Ana,\n"), "{kind}:\n{}", to_ana.body);
        if kind != Kind::Outcome && kind != Kind::Welcome {
            // Ben was not selected: only his outcome is written; the rest as if he had been.
            continue;
        }
        let ben = if kind == Kind::Welcome {
            partner(13, "Ben", "Okafor", Language::En, Outcome::Selected, Account::default())
        } else {
            ben.clone()
        };
        let to_ben = templates.render_for(kind, &r, &letterhead(), &ben, &[], Language::Fr).unwrap();
        assert_eq!(to_ben.language, Language::En, "{kind}");
        assert!(to_ben.body.starts_with("Hello Ben,\n"), "{kind}:\n{}", to_ben.body);
        assert!(to_ben.subject.contains("Discharge co-design") && !to_ben.subject.contains("Cocréation"), "{kind}");
        assert!(to_ana.subject.contains("Cocréation du congé hospitalier"), "{kind}");
    }
    let outcome = Templates::built_in(Kind::Outcome, r.way).unwrap();
    let to_ben = outcome.render_for(Kind::Outcome, &r, &letterhead(), &ben, &[], Language::En).unwrap();
    assert_eq!(to_ben.subject, "Thank you for your interest: Discharge co-design");
    assert!(to_ben.body.contains("When: ") || !to_ben.body.contains("Quand"));
    // The requester's point of contact is written to in the network's default language.
    let roster = Templates::built_in(Kind::Roster, r.way).unwrap();
    let fr =
        roster.render_for(Kind::Roster, &r, &letterhead(), &Who::Requester, &self::roster(), Language::Fr).unwrap();
    assert!(fr.body.starts_with("Bonjour Lee Wong,\n") && fr.body.contains("  Langues : français, portugais\n"));
    let en =
        roster.render_for(Kind::Roster, &r, &letterhead(), &Who::Requester, &self::roster(), Language::En).unwrap();
    assert!(en.body.starts_with("Hello Lee Wong,\n") && en.subject == "Your patient partners: Discharge co-design");
}

#[test]
fn a_value_a_french_message_lacks_is_named_as_in_english() {
    let source = super::template::Source {
        name: "invitation.fr.txt".into(),
        text: "Subject: {{ request.title }}\n\nBonjour {{ name }},\n{{ request.supports }}\n".into(),
    };
    let templates = Templates::read([(Language::Fr, source)]).unwrap();
    let err = templates.render_for(
        Kind::Invitation,
        &bare(Way::Involve),
        &letterhead(),
        &ana(Outcome::Selected),
        &[],
        Language::Fr,
    );
    assert_eq!(err, Err(RenderError::Missing(vec!["request.supports".to_string()])));
    // A language without a template of its own is written to with the first one read.
    let only_english = Templates::read([(Language::En, built_in(Kind::Thanks, Way::Involve, Language::En))]).unwrap();
    let m = only_english
        .render_for(Kind::Thanks, &bare(Way::Involve), &letterhead(), &ana(Outcome::Selected), &[], Language::Fr)
        .unwrap();
    assert!(m.body.starts_with("Hello Ana,\n"));
}

#[test]
fn a_french_message_keeps_its_accents_in_the_eml_file() {
    let r = full(Way::Lead);
    let helene = partner(14, "Hélène", "Gagné-Bélanger", Language::Fr, Outcome::Selected, Account::default());
    let m = french(Kind::Invitation, &r, &helene);
    assert!(m.body.starts_with("Bonjour Hélène,\n"), "{}", m.body);
    for accented in ["«", "œuvre", "façon", "à", "è", "\u{202f}", "\u{a0}$"] {
        assert!(m.body.contains(accented), "the message should hold '{accented}':\n{}", m.body);
    }
    let sender = Sender {
        name: "Réseau des patients partenaires".into(),
        address: "reseau@example.org".into(),
        reply_to: Some((Some("Maëlle Côté".into()), "maelle.cote@example.org".into())),
    };
    let letter = Letter {
        to_name: "Hélène Gagné-Bélanger",
        to_address: "helene@example.org",
        subject: &m.subject,
        body: &m.body,
        message_id: "<engage.1.1@example.org>",
    };
    let message = sender.build(&letter, std::time::SystemTime::UNIX_EPOCH).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let path =
        outbox::write(dir.path(), &outbox::file_name(r.id, Kind::Invitation, Some(14)), &message.formatted()).unwrap();
    let bytes = std::fs::read(&path).unwrap();
    // 7-bit on the wire: the headers encoded (RFC 2047), the body transfer-encoded, so no mail
    // server or program on the way can mangle an accent.
    assert!(bytes.is_ascii(), "{}", String::from_utf8_lossy(&bytes));
    let text = String::from_utf8(bytes.clone()).unwrap();
    let subject = text.lines().find(|l| l.starts_with("Subject: ")).unwrap();
    assert!(subject.contains("=?utf-8?"), "{text}");
    assert!(text.to_ascii_lowercase().contains("content-type: text/plain; charset=utf-8"), "{text}");

    let parsed = mail_parser::MessageParser::default().parse(&bytes).unwrap();
    assert_eq!(parsed.subject(), Some("Joignez-vous à l'équipe : Cocréation du congé hospitalier (Fraser Health)"));
    let to = parsed.to().and_then(|a| a.first()).unwrap();
    assert_eq!(to.name(), Some("Hélène Gagné-Bélanger"));
    assert_eq!(to.address(), Some("helene@example.org"));
    let from = parsed.from().and_then(|a| a.first()).unwrap();
    assert_eq!(from.name(), Some("Réseau des patients partenaires"));
    let reply_to = parsed.reply_to().and_then(|a| a.first()).unwrap();
    assert_eq!(reply_to.name(), Some("Maëlle Côté"));
    let body = parsed.body_text(0).unwrap().replace("\r\n", "\n");
    assert_eq!(body, m.body, "the body read back is not the body written");
}
