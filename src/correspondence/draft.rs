//! What each kind of message says, and to whom, from plain facts the command gathers: the request,
//! the person, their decision, onboarding and account. No database, no terminal, no network.
//!
//! A template sees the placeholders of [`PLACEHOLDERS`]; a value the request or the person does not
//! have is left out (not blank), so a template that prints it unguarded is refused, naming it,
//! before anything is sent (`{% if request.supports is defined %}` guards one).

use super::{Kind, Language};
use crate::domain::compensation::{Account, Method, Standing};
use crate::domain::dates::iso;
use crate::domain::kinds::{Domain, Format, Level, PartnerStatus, Way};
use crate::domain::language;
use crate::domain::money::{Hours, Money};
use crate::domain::partner::Partner;
use crate::domain::request::{Pay, Request};
use crate::domain::selection::{Decision, Outcome};
use chrono::{Datelike, NaiveDate};
use serde_json::{Map, Value, json};

/// Who signs: the network and its coordinator.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Letterhead {
    pub network: String,
    pub coordinator: Option<String>,
    pub coordinator_email: Option<String>,
}

/// A partner written to, with what the kinds of message say about them.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PartnerFacts {
    pub partner: Partner,
    /// Their decision on the request, once they answered and it was made.
    pub decision: Option<Decision>,
    /// Hours, expenses and recognition, for the selected.
    pub account: Option<Account>,
    /// Their signature of the Patient Partner Commitments is valid for this engagement.
    pub commitments_valid: bool,
    /// They have a criminal record check on file.
    pub record_check_on_file: bool,
    /// The language they are written to in: their language of correspondence, else the
    /// network's `default_language`.
    pub language: Language,
}

/// A selected partner as the requester's contact sheet lists them (docs/rules.md, rule 7: only
/// them).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RosterEntry {
    pub partner_id: i64,
    pub name: String,
    pub pronouns: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub preferred_contact: Option<String>,
    pub languages: Vec<String>,
    pub accessibility_needs: Option<String>,
    pub availability: Option<String>,
}

/// The person a message is for.
#[derive(Debug, Clone, PartialEq)]
pub enum Who {
    Partner(Box<PartnerFacts>),
    /// The requester's one point of contact.
    Requester,
}

impl Who {
    pub fn partner_id(&self) -> Option<i64> {
        match self {
            Who::Partner(f) => Some(f.partner.id),
            Who::Requester => None,
        }
    }

    /// The language this person is written to in: a partner's own; the requester's point of
    /// contact in `requester`'s (the network's `default_language`).
    pub fn language(&self, requester: Language) -> Language {
        match self {
            Who::Partner(f) => f.language,
            Who::Requester => requester,
        }
    }
}

/// How a person is reached.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reach {
    Email(String),
    /// They prefer the phone (or have no e-mail): a call, not an e-mail; the number when known.
    Phone(Option<String>),
    /// No e-mail and no phone on file.
    Nowhere,
}

/// Words in `preferred_contact` that mean the phone: a call or a text message.
const PHONE_WORDS: &[&str] = &["phone", "call", "tel", "text", "sms", "cell", "mobile"];

/// A partner is e-mailed unless they prefer the phone or have no e-mail.
pub fn reach(p: &Partner) -> Reach {
    let prefers_phone = p.preferred_contact.as_deref().is_some_and(|c| {
        let c = c.to_lowercase();
        !c.contains("mail") && PHONE_WORDS.iter().any(|w| c.contains(w))
    });
    match (&p.email, &p.phone) {
        (Some(email), _) if !prefers_phone => Reach::Email(email.clone()),
        (_, Some(phone)) => Reach::Phone(Some(phone.clone())),
        (None, None) => Reach::Nowhere,
        (Some(_), None) => Reach::Phone(None),
    }
}

/// Why a partner is not written to about a request; `None`: they may be.
pub fn left_out(kind: Kind, facts: &PartnerFacts) -> Option<&'static str> {
    let p = &facts.partner;
    match p.status {
        PartnerStatus::Forgotten => return Some("was forgotten"),
        PartnerStatus::Withdrawn => return Some("has withdrawn from the network"),
        _ => {}
    }
    let outcome = facts.decision.as_ref().map(|d| d.outcome);
    let selected = outcome == Some(Outcome::Selected);
    // A partner who withdrew part-way took part: they are thanked, hear what came of the work and
    // get the survey; only the welcome is for those who start.
    let took_part = selected || outcome == Some(Outcome::Withdrew);
    match kind {
        Kind::Invitation if p.status != PartnerStatus::Active => Some("is not active in the network"),
        Kind::Invitation if !p.consent => Some("did not consent to be contacted"),
        Kind::Invitation => None,
        Kind::Outcome if facts.decision.is_none() => Some("has no decision on this request"),
        Kind::Outcome => None,
        Kind::Welcome if !selected => Some("was not selected for this request"),
        Kind::Thanks | Kind::LoopClosed | Kind::Survey if !took_part => Some("did not take part in this request"),
        Kind::Welcome | Kind::Thanks | Kind::LoopClosed | Kind::Survey => None,
        Kind::Roster => Some("is not the requester's point of contact"),
    }
}

/// Every placeholder engage offers a template, with what it holds. Values marked (if any) are
/// left out when the request or person has none.
pub const PLACEHOLDERS: &[(&str, &str)] = &[
    ("name", "the person's name to greet them by: the preferred name, else the first name"),
    ("full_name", "the name with the last name"),
    ("pronouns", "the partner's pronouns (if any)"),
    ("recipient", "partner, or requester for the requester's point of contact"),
    ("network", "the network_name setting"),
    ("coordinator", "the coordinator setting (if any)"),
    ("coordinator_email", "the coordinator_email setting, else smtp_from (if any)"),
    ("request.id", "the request's id"),
    ("request.title", "the request's title (in a French message its French title, when it has one)"),
    ("request.organization", "the health care partner"),
    ("request.description", "what the engagement is about (in French when it has a French one; if any)"),
    ("request.way", "inform, consult, involve, collaborate or lead"),
    ("request.way_promise", "what that way promises the partners, in a sentence, in the message's language"),
    ("request.domain", "care, program or policy, in words (if any)"),
    ("request.level", "direct care, an organization, or the system, in words (if any)"),
    (
        "request.level_line",
        "the level named in a line: Level: organizational — shaping how Fraser Health delivers care (if any)",
    ),
    ("request.topics", "the request's topics, a list"),
    ("request.region", "the region (if any)"),
    ("request.place", "how and where it meets, e.g. 'in person and online (Surrey Memorial)' (if any)"),
    ("request.starts_on", "the first day, e.g. 'January 10, 2027', '10 janvier 2027' (if any)"),
    ("request.ends_on", "the last day (if any)"),
    ("request.dates", "the days in words: one day, from … to …, from …, until … (if any)"),
    ("request.one_session", "true when it starts and ends on one day"),
    ("request.hours", "the hours estimated per partner (if any)"),
    ("request.seats", "how many partners are wanted"),
    ("request.recognition", "the recognition offered, in words"),
    ("request.expenses_reimbursed", "true when expenses are reimbursed"),
    ("request.supports", "the accessibility supports offered (if any)"),
    ("request.record_check_required", "true when a criminal record check is required"),
    ("request.respond_by", "the day to answer the invitation by"),
    ("request.contact_name", "the requester's point of contact"),
    ("request.contact_email", "their e-mail"),
    ("request.contact_phone", "their phone (if any)"),
    ("request.outcomes", "what came of the engagement, as recorded with close --outcomes (if any)"),
    ("request.partner_survey_url", "the partners' survey link (if any)"),
    ("request.requester_survey_url", "the requester's survey link (if any)"),
    ("decision.outcome", "selected, waitlisted, withdrew or not_selected (outcome and the selected's messages)"),
    ("decision.reason", "the reason given with the decision (if any)"),
    ("onboarding.to_do", "the onboarding steps still open, a list of sentences (welcome)"),
    ("onboarding.commitments_to_sign", "true when the Patient Partner Commitments are to be signed"),
    ("onboarding.record_check_needed", "true when a record check is required and none is on file"),
    ("hours", "the hours the partner logged (thanks; if any)"),
    ("recognition.owed", "what the partner is owed, e.g. '$625.00', '625,00 $' (thanks)"),
    ("recognition.owing", "true when anything is owed (thanks)"),
    ("recognition.chosen", "how they chose to be recognized, e.g. 'by e-transfer' (thanks; if any)"),
    ("recognition.declined", "true when they declined compensation (thanks)"),
    ("recognition.paid", "true when it was paid (thanks)"),
    ("recognition.offered_not_assumed", "true when payment may affect their benefits (thanks)"),
    ("survey_url", "the survey link for this person (survey; if any)"),
    (
        "roster",
        "the selected partners (roster): each with name, pronouns, email, phone, preferred_contact, languages, accessibility_needs, availability",
    ),
];

/// Whether a variable a template names is one engage offers (a whole group such as `request`, or
/// one of its values).
pub fn offered(name: &str) -> bool {
    PLACEHOLDERS.iter().any(|(p, _)| *p == name || p.strip_prefix(name).is_some_and(|rest| rest.starts_with('.')))
}

/// How a missing value is given, for the sentence that refuses a template needing it.
pub fn how_to_give(placeholder: &str, request_id: i64) -> Option<String> {
    let edit = |flag: &str| format!("`engage request edit {request_id} --{flag} …`");
    Some(match placeholder {
        "request.outcomes" => format!("`engage close {request_id} --outcomes TEXT --keep-open`"),
        "request.partner_survey_url" => edit("partner-survey-url"),
        "request.requester_survey_url" => edit("requester-survey-url"),
        "survey_url" => format!("{} or {}", edit("partner-survey-url"), edit("requester-survey-url")),
        "request.description" => edit("description"),
        "request.supports" => edit("supports"),
        "request.place" => edit("location"),
        "request.starts_on" | "request.dates" => edit("starts"),
        "request.ends_on" => edit("ends"),
        "request.hours" => edit("hours"),
        "request.contact_phone" => edit("contact-phone"),
        "request.region" => edit("region"),
        "coordinator" => "`engage config set coordinator NAME`".to_string(),
        "coordinator_email" => "`engage config set coordinator_email ADDRESS`".to_string(),
        _ => return None,
    })
}

/// `January 10, 2027`; `10 janvier 2027`.
pub fn long_date(day: NaiveDate, lang: Language) -> String {
    language::long_date(day, lang)
}

/// What the way promises the partners (HEC's ways of engaging, after IAP2's spectrum).
pub fn way_promise(way: Way, lang: Language) -> &'static str {
    match (lang, way) {
        (Language::En, Way::Inform) => {
            "we keep you informed of opportunities and news, and there is nothing to apply for"
        }
        (Language::En, Way::Consult) => {
            "we listen to your experience and ideas, and tell you how they shaped what was decided"
        }
        (Language::En, Way::Involve) => {
            "we work with you throughout, so that your concerns and hopes are reflected in what is decided"
        }
        (Language::En, Way::Collaborate) => {
            "you are a partner in each decision, and the team looks to your advice and builds it into the work"
        }
        (Language::En, Way::Lead) => "you lead or co-lead the work with the team, and what you decide is carried out",
        (Language::Fr, Way::Inform) => {
            "nous vous transmettons les occasions et les nouvelles du réseau, sans candidature à présenter"
        }
        (Language::Fr, Way::Consult) => {
            "nous recueillons votre expérience et vos idées, et nous vous dirons comment elles ont orienté les décisions"
        }
        (Language::Fr, Way::Involve) => {
            "nous travaillons avec vous tout au long du projet, pour que vos préoccupations et vos attentes se reflètent dans les décisions"
        }
        (Language::Fr, Way::Collaborate) => {
            "vous êtes partenaire de chaque décision, et l'équipe sollicite vos conseils et les intègre au travail"
        }
        (Language::Fr, Way::Lead) => {
            "vous dirigez ou codirigez le travail avec l'équipe, et vos décisions sont mises en œuvre"
        }
    }
}

/// The recognition a request offers, in words.
pub fn recognition(r: &Request, lang: Language) -> String {
    let m = |amount: Money| language::money(amount, lang);
    let h = |hours: Hours| language::hours(hours, lang);
    let mut text = match (lang, r.pay, r.hours_estimate) {
        (Language::En, Pay::Honorarium(amount), _) => format!("a {} honorarium", m(amount)),
        (Language::Fr, Pay::Honorarium(amount), _) => format!("des honoraires de {}", m(amount)),
        (Language::En, Pay::WayRate(rate) | Pay::Rate(rate), _) if rate.cents() == 0 => {
            "no compensation is offered for this way of engaging".to_string()
        }
        (Language::Fr, Pay::WayRate(rate) | Pay::Rate(rate), _) if rate.cents() == 0 => {
            "aucune rémunération n'est offerte pour ce mode d'engagement".to_string()
        }
        (Language::En, Pay::WayRate(rate) | Pay::Rate(rate), Some(hours)) => {
            format!("{} an hour (about {} for {} hours)", m(rate), m(Money::for_hours(rate, hours)), h(hours))
        }
        (Language::Fr, Pay::WayRate(rate) | Pay::Rate(rate), Some(hours)) => {
            format!("{} l'heure (environ {} pour {} heures)", m(rate), m(Money::for_hours(rate, hours)), h(hours))
        }
        (Language::En, Pay::WayRate(rate) | Pay::Rate(rate), None) => format!("{} an hour", m(rate)),
        (Language::Fr, Pay::WayRate(rate) | Pay::Rate(rate), None) => format!("{} l'heure", m(rate)),
    };
    if r.way != Way::Inform {
        text.push_str(match (lang, r.expenses_reimbursed) {
            (Language::En, true) => "; expenses are reimbursed",
            (Language::En, false) => "; expenses are not reimbursed",
            (Language::Fr, true) => "; vos frais sont remboursés",
            (Language::Fr, false) => "; les frais ne sont pas remboursés",
        });
    }
    text
}

/// The days of the engagement in words: `from January 10, 2027 to June 30, 2027`; `du 10 janvier
/// au 30 juin 2027` (one year named once, as French writes a span).
fn dates(r: &Request, lang: Language) -> Option<String> {
    let d = |day| long_date(day, lang);
    let span = match (lang, r.starts_on, r.ends_on) {
        (_, None, None) => return None,
        (Language::En, Some(s), Some(e)) if s == e => format!("on {}", d(s)),
        (Language::En, Some(s), Some(e)) => format!("from {} to {}", d(s), d(e)),
        (Language::En, Some(s), None) => format!("from {}", d(s)),
        (Language::En, None, Some(e)) => format!("until {}", d(e)),
        (Language::Fr, Some(s), Some(e)) if s == e => format!("le {}", d(s)),
        (Language::Fr, Some(s), Some(e)) if s.year() == e.year() => {
            format!("du {} au {}", language::day_and_month(s), d(e))
        }
        (Language::Fr, Some(s), Some(e)) => format!("du {} au {}", d(s), d(e)),
        (Language::Fr, Some(s), None) => format!("à partir du {}", d(s)),
        (Language::Fr, None, Some(e)) => format!("jusqu'au {}", d(e)),
    };
    Some(span)
}

/// How the engagement meets, in the message's language.
fn format_words(f: Format, lang: Language) -> &'static str {
    match (lang, f) {
        (Language::En, f) => f.about(),
        (Language::Fr, Format::InPerson) => "en personne",
        (Language::Fr, Format::Virtual) => "en ligne",
        (Language::Fr, Format::Hybrid) => "en personne et en ligne",
    }
}

/// HQO's domains in words.
fn domain_words(d: Domain, lang: Language) -> &'static str {
    match (lang, d) {
        (Language::En, d) => d.about(),
        (Language::Fr, Domain::Care) => "les soins personnels et les décisions de santé",
        (Language::Fr, Domain::Program) => "la conception des programmes et des services",
        (Language::Fr, Domain::Policy) => "les politiques, la stratégie et la gouvernance",
    }
}

/// The level of the system the work is at, in words.
fn level_words(l: Level, lang: Language) -> &'static str {
    match (lang, l) {
        (Language::En, l) => l.about(),
        (Language::Fr, Level::Direct) => "les soins directs",
        (Language::Fr, Level::Organizational) => "un établissement ou un organisme",
        (Language::Fr, Level::System) => "le système provincial ou national",
    }
}

/// The level an invitation names (Health Quality Ontario's framework, seed 003: partnering at the
/// direct care level, the organizational level and the provincial level), with what the work
/// shapes: `Level: organizational — shaping how Fraser Health delivers care`.
pub fn level_line(l: Level, organization: &str, lang: Language) -> String {
    match (lang, l) {
        (Language::En, Level::Direct) => {
            format!("Level: direct care — shaping the care patients and families receive at {organization}")
        }
        (Language::En, Level::Organizational) => {
            format!("Level: organizational — shaping how {organization} delivers care")
        }
        (Language::En, Level::System) => {
            format!(
                "Level: system — shaping the health system beyond {organization}, across the province or the country"
            )
        }
        (Language::Fr, Level::Direct) => {
            format!(
                "Niveau : soins directs — pour façonner les soins que reçoivent les patients et leurs proches à {organization}"
            )
        }
        (Language::Fr, Level::Organizational) => {
            format!("Niveau : organisationnel — pour façonner la façon dont {organization} offre ses soins")
        }
        (Language::Fr, Level::System) => {
            format!(
                "Niveau : système — pour façonner le système de santé au-delà de {organization}, à l'échelle de la province ou du pays"
            )
        }
    }
}

/// `by e-transfer`; `par virement Interac`: how the sentence about a payment reads.
fn method_words(m: Method, lang: Language) -> &'static str {
    match (lang, m) {
        (Language::En, m) => m.words(),
        (Language::Fr, Method::ETransfer) => "par virement Interac",
        (Language::Fr, Method::Cheque) => "par chèque",
        (Language::Fr, Method::GiftCard) => "sous forme de carte-cadeau",
        (Language::Fr, Method::Donation) => "sous forme de don",
    }
}

fn place(r: &Request, lang: Language) -> Option<String> {
    match (r.format, &r.location) {
        (Some(f), Some(l)) => Some(format!("{} ({l})", format_words(f, lang))),
        (Some(f), None) => Some(format_words(f, lang).to_string()),
        (None, Some(l)) => Some(l.clone()),
        (None, None) => None,
    }
}

/// The request's title and description as a message in `lang` names them: a French message uses
/// the French ones when the request has them.
fn title_and_description(r: &Request, lang: Language) -> (&str, Option<&str>) {
    match lang {
        Language::Fr => {
            (r.title_fr.as_deref().unwrap_or(&r.title), r.description_fr.as_deref().or(r.description.as_deref()))
        }
        Language::En => (&r.title, r.description.as_deref()),
    }
}

/// Inserts `value` under `key` when there is one: a missing value is left out, not blank.
fn put(map: &mut Map<String, Value>, key: &str, value: Option<impl Into<Value>>) {
    if let Some(v) = value {
        map.insert(key.to_string(), v.into());
    }
}

fn request_values(r: &Request, lang: Language) -> Value {
    let mut m = Map::new();
    let (title, description) = title_and_description(r, lang);
    m.insert("id".into(), json!(r.id));
    m.insert("title".into(), json!(title));
    m.insert("organization".into(), json!(r.organization));
    put(&mut m, "description", description);
    m.insert("way".into(), json!(r.way.as_str()));
    m.insert("way_promise".into(), json!(way_promise(r.way, lang)));
    put(&mut m, "domain", r.domain.map(|d| domain_words(d, lang)));
    put(&mut m, "level", r.level.map(|l| level_words(l, lang)));
    put(&mut m, "level_line", r.level.map(|l| level_line(l, &r.organization, lang)));
    m.insert("topics".into(), json!(r.topics));
    put(&mut m, "region", r.region.clone());
    put(&mut m, "place", place(r, lang));
    put(&mut m, "starts_on", r.starts_on.map(|d| long_date(d, lang)));
    put(&mut m, "ends_on", r.ends_on.map(|d| long_date(d, lang)));
    put(&mut m, "dates", dates(r, lang));
    m.insert("one_session".into(), json!(r.starts_on.is_some() && r.starts_on == r.ends_on));
    put(&mut m, "hours", r.hours_estimate.map(|h| language::hours(h, lang)));
    m.insert("seats".into(), json!(r.seats));
    m.insert("recognition".into(), json!(recognition(r, lang)));
    m.insert("expenses_reimbursed".into(), json!(r.expenses_reimbursed));
    put(&mut m, "supports", r.supports.clone());
    m.insert("record_check_required".into(), json!(r.record_check_required));
    m.insert("respond_by".into(), json!(long_date(r.respond_by, lang)));
    m.insert("contact_name".into(), json!(r.contact_name));
    m.insert("contact_email".into(), json!(r.contact_email));
    put(&mut m, "contact_phone", r.contact_phone.clone());
    put(&mut m, "outcomes", r.closing.outcomes.clone());
    put(&mut m, "partner_survey_url", r.partner_survey_url.clone());
    put(&mut m, "requester_survey_url", r.requester_survey_url.clone());
    Value::Object(m)
}

/// The name to greet a partner by: the preferred name, else the first name, else the full name.
pub fn greeting_name(p: &Partner) -> String {
    p.preferred_name.clone().or_else(|| p.first_name.clone()).unwrap_or_else(|| p.name())
}

/// The steps of onboarding still open for a selected partner, as sentences.
fn to_do(r: &Request, f: &PartnerFacts, lang: Language) -> Vec<String> {
    let fr = lang == Language::Fr;
    let mut steps = Vec::new();
    if !f.commitments_valid {
        steps.push(if fr {
            "signer les engagements du patient partenaire (confidentialité et code de conduite), que nous vous enverrons"
                .to_string()
        } else {
            "sign the Patient Partner Commitments (confidentiality and conduct); we will send them to you".to_string()
        });
    }
    if r.record_check_required && !f.record_check_on_file {
        steps.push(if fr {
            "obtenir une vérification des antécédents judiciaires, exigée pour cet engagement".to_string()
        } else {
            "complete a criminal record check, which this engagement requires".to_string()
        });
    }
    if let Some(d) = &f.decision {
        if d.oriented_on.is_none() {
            steps.push(if fr {
                "une séance d'orientation sur le projet, son contexte et son mandat".to_string()
            } else {
                "an orientation to the work, its background and its terms".to_string()
            });
        }
        if d.introduced_on.is_none() {
            steps.push(if fr {
                format!("une présentation à l'équipe de {}", r.organization)
            } else {
                format!("an introduction to the team at {}", r.organization)
            });
        }
    }
    steps
}

/// The placeholders' values for one message.
pub fn values(
    kind: Kind,
    r: &Request,
    letterhead: &Letterhead,
    who: &Who,
    roster: &[RosterEntry],
    lang: Language,
) -> Value {
    let mut m = Map::new();
    m.insert("network".into(), json!(letterhead.network));
    put(&mut m, "coordinator", letterhead.coordinator.clone());
    put(&mut m, "coordinator_email", letterhead.coordinator_email.clone());
    m.insert("request".into(), request_values(r, lang));
    match who {
        Who::Requester => {
            m.insert("name".into(), json!(r.contact_name));
            m.insert("full_name".into(), json!(r.contact_name));
            m.insert("recipient".into(), json!("requester"));
            if kind == Kind::Survey {
                put(&mut m, "survey_url", r.requester_survey_url.clone());
            }
        }
        Who::Partner(f) => {
            let p = &f.partner;
            m.insert("name".into(), json!(greeting_name(p)));
            m.insert("full_name".into(), json!(p.name()));
            put(&mut m, "pronouns", p.pronouns.clone());
            m.insert("recipient".into(), json!("partner"));
            if let Some(d) = &f.decision {
                let mut dm = Map::new();
                dm.insert("outcome".into(), json!(d.outcome.as_str()));
                put(&mut dm, "reason", d.reason.clone());
                m.insert("decision".into(), Value::Object(dm));
            }
            if kind == Kind::Welcome {
                let steps = to_do(r, f, lang);
                m.insert(
                    "onboarding".into(),
                    json!({
                        "to_do": steps,
                        "commitments_to_sign": !f.commitments_valid,
                        "record_check_needed": r.record_check_required && !f.record_check_on_file,
                    }),
                );
            }
            if let (Kind::Thanks, Some(a)) = (kind, &f.account) {
                if a.hours.hundredths() > 0 {
                    m.insert("hours".into(), json!(language::hours(a.hours, lang)));
                }
                let mut rm = Map::new();
                let owed = a.owed(r.pay);
                rm.insert("owed".into(), json!(language::money(owed, lang)));
                rm.insert("owing".into(), json!(owed.cents() > 0));
                put(&mut rm, "chosen", a.method.map(|m| method_words(m, lang)));
                rm.insert("declined".into(), json!(a.declined));
                rm.insert("paid".into(), json!(a.standing(r.pay) == Standing::Paid));
                rm.insert("offered_not_assumed".into(), json!(a.affects_benefits));
                m.insert("recognition".into(), Value::Object(rm));
            }
            if kind == Kind::Survey {
                put(&mut m, "survey_url", r.partner_survey_url.clone());
            }
        }
    }
    if kind == Kind::Roster {
        let entries: Vec<Value> = roster
            .iter()
            .map(|e| {
                let mut em = Map::new();
                em.insert("partner_id".into(), json!(e.partner_id));
                em.insert("name".into(), json!(e.name));
                put(&mut em, "pronouns", e.pronouns.clone());
                put(&mut em, "email", e.email.clone());
                put(&mut em, "phone", e.phone.clone());
                put(&mut em, "preferred_contact", e.preferred_contact.clone());
                em.insert("languages".into(), json!(e.languages));
                put(&mut em, "accessibility_needs", e.accessibility_needs.clone());
                put(&mut em, "availability", e.availability.clone());
                Value::Object(em)
            })
            .collect();
        m.insert("roster".into(), Value::Array(entries));
    }
    Value::Object(m)
}

/// Whether a placeholder (`request.supports`) has a value among `values`.
pub fn has(values: &Value, placeholder: &str) -> bool {
    let mut at = values;
    for part in placeholder.split('.') {
        match at.get(part) {
            Some(next) => at = next,
            None => return false,
        }
    }
    true
}

/// What to tell a partner who is called instead of e-mailed, in one line.
pub fn call_note(kind: Kind, r: &Request, who: &Who) -> String {
    let title = &r.title;
    let decision = match who {
        Who::Partner(f) => f.decision.as_ref().map(|d| d.outcome),
        Who::Requester => None,
    };
    match kind {
        Kind::Invitation if r.way == Way::Inform => format!("tell them about '{title}' ({})", r.organization),
        Kind::Invitation => {
            format!("invite them to '{title}' ({}); answers by {}", r.organization, iso(r.respond_by))
        }
        Kind::Outcome => match decision {
            Some(Outcome::Selected) => format!("they were selected for '{title}'; next: the welcome and onboarding"),
            Some(Outcome::Waitlisted) => format!("they are on the waitlist for '{title}'"),
            _ => format!("they were not selected for '{title}'; thank them and mention other opportunities"),
        },
        Kind::Welcome => format!("welcome them to '{title}': start date, contact, commitments, orientation"),
        Kind::Thanks => format!("thank them for their work on '{title}' and confirm their recognition"),
        Kind::LoopClosed => format!("tell them what came of '{title}'"),
        Kind::Survey => format!("ask them to answer the survey about '{title}'"),
        Kind::Roster => format!("the roster of '{title}'"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_invitation_names_each_level_and_what_it_shapes() {
        let line = |l: Level, lang: Language| level_line(l, "Fraser Health", lang);
        assert_eq!(
            line(Level::Organizational, Language::En),
            "Level: organizational — shaping how Fraser Health delivers care"
        );
        assert_eq!(
            line(Level::Direct, Language::En),
            "Level: direct care — shaping the care patients and families receive at Fraser Health"
        );
        assert_eq!(
            line(Level::System, Language::En),
            "Level: system — shaping the health system beyond Fraser Health, across the province or the country"
        );
        assert!(line(Level::System, Language::Fr).starts_with("Niveau : système — "));
    }

    #[test]
    fn the_phone_is_for_those_who_prefer_it_or_have_no_email() {
        let mut p =
            Partner { email: Some("ana@example.org".into()), phone: Some("604-555-0101".into()), ..Partner::default() };
        assert_eq!(reach(&p), Reach::Email("ana@example.org".into()));
        p.preferred_contact = Some("Phone call, evenings".into());
        assert_eq!(reach(&p), Reach::Phone(Some("604-555-0101".into())));
        p.preferred_contact = Some("e-mail or phone".into());
        assert_eq!(reach(&p), Reach::Email("ana@example.org".into()));
        p.preferred_contact = Some("text".into());
        p.phone = None;
        assert_eq!(reach(&p), Reach::Phone(None));
        p.email = None;
        p.preferred_contact = None;
        assert_eq!(reach(&p), Reach::Nowhere);
    }

    #[test]
    fn only_those_the_rules_allow_are_written_to() {
        let selected = Decision {
            request_id: 1,
            partner_id: 1,
            outcome: Outcome::Selected,
            reason: None,
            decided_on: NaiveDate::default(),
            notified_on: None,
            welcomed_on: None,
            oriented_on: None,
            introduced_on: None,
        };
        let active = Partner { id: 1, consent: true, ..Partner::default() };
        let facts = |p: &Partner, d: Option<&Decision>| PartnerFacts {
            partner: p.clone(),
            decision: d.cloned(),
            ..PartnerFacts::default()
        };
        assert_eq!(left_out(Kind::Invitation, &facts(&active, None)), None);
        let no_consent = Partner { consent: false, ..active.clone() };
        assert_eq!(left_out(Kind::Invitation, &facts(&no_consent, None)), Some("did not consent to be contacted"));
        let paused = Partner { status: PartnerStatus::Paused, ..active.clone() };
        assert!(left_out(Kind::Invitation, &facts(&paused, None)).is_some());
        assert_eq!(left_out(Kind::Outcome, &facts(&active, None)), Some("has no decision on this request"));
        let not_selected = Decision { outcome: Outcome::NotSelected, ..selected.clone() };
        assert_eq!(left_out(Kind::Outcome, &facts(&active, Some(&not_selected))), None);
        assert!(left_out(Kind::Thanks, &facts(&active, Some(&not_selected))).is_some());
        assert_eq!(left_out(Kind::Thanks, &facts(&active, Some(&selected))), None);
        let forgotten = Partner { status: PartnerStatus::Forgotten, ..active.clone() };
        for kind in Kind::ALL {
            assert_eq!(left_out(*kind, &facts(&forgotten, Some(&selected))), Some("was forgotten"), "{kind}");
        }
        assert!(left_out(Kind::Roster, &facts(&active, Some(&selected))).is_some());
    }

    #[test]
    fn placeholders_are_offered_whole_or_by_value() {
        assert!(offered("request"));
        assert!(offered("request.title"));
        assert!(offered("roster"));
        assert!(!offered("request.titel"));
        assert!(!offered("req"));
        assert!(!offered("request.title.x"));
    }
}
