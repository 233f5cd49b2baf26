//! The message templates: built in for every kind, with a variant where the way of engaging changes
//! what is said, looked up by (kind, way, language); or a coordinator's own.
//!
//! A template is text with placeholders (minijinja, Jinja's syntax): a first line `Subject: …`, a
//! blank line, then the body. Rendering is strict: a placeholder engage does not offer is refused
//! when the template is read, and one the request or person lacks when it is rendered, both before
//! anything is sent, naming the placeholder. Fuel bounds what a template may cost; block tags
//! take their own line break with them (`trim_blocks`, `lstrip_blocks`), and the body's last
//! line break is kept.

use super::draft::{self, how_to_give};
use super::{Kind, Language};
use crate::domain::kinds::Way;
use minijinja::{AutoEscape, Environment, ErrorKind, UndefinedBehavior};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// What the way changes in what a message says.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Variant {
    /// Every way without a variant of its own.
    Any,
    /// A notice of an opportunity: nothing to apply for, no selection.
    Inform,
    /// A one-off session, such as a focus group.
    Consult,
    /// Collaborate and lead: a team that shares decisions.
    Team,
}

impl Variant {
    /// The variants a way uses, its own first.
    pub fn for_way(way: Way) -> &'static [Variant] {
        match way {
            Way::Inform => &[Variant::Inform, Variant::Any],
            Way::Consult => &[Variant::Consult, Variant::Any],
            Way::Involve => &[Variant::Any],
            Way::Collaborate | Way::Lead => &[Variant::Team, Variant::Any],
        }
    }

    fn suffix(self) -> &'static str {
        match self {
            Variant::Any => "",
            Variant::Inform => " (inform)",
            Variant::Consult => " (consult)",
            Variant::Team => " (collaborate and lead)",
        }
    }
}

struct BuiltIn {
    kind: Kind,
    variant: Variant,
    language: Language,
    text: &'static str,
}

macro_rules! built_in {
    ($kind:ident, $variant:ident, $language:ident, $file:literal) => {
        BuiltIn {
            kind: Kind::$kind,
            variant: Variant::$variant,
            language: Language::$language,
            text: include_str!(concat!("templates/", $file)),
        }
    };
}

const BUILT_IN: &[BuiltIn] = &[
    built_in!(Invitation, Any, En, "en/invitation.txt"),
    built_in!(Invitation, Inform, En, "en/invitation-inform.txt"),
    built_in!(Invitation, Consult, En, "en/invitation-consult.txt"),
    built_in!(Invitation, Team, En, "en/invitation-team.txt"),
    built_in!(Outcome, Any, En, "en/outcome.txt"),
    built_in!(Outcome, Consult, En, "en/outcome-consult.txt"),
    built_in!(Outcome, Team, En, "en/outcome-team.txt"),
    built_in!(Welcome, Any, En, "en/welcome.txt"),
    built_in!(Welcome, Consult, En, "en/welcome-consult.txt"),
    built_in!(Welcome, Team, En, "en/welcome-team.txt"),
    built_in!(Thanks, Any, En, "en/thanks.txt"),
    built_in!(LoopClosed, Any, En, "en/loop-closed.txt"),
    built_in!(Survey, Any, En, "en/survey.txt"),
    built_in!(Roster, Any, En, "en/roster.txt"),
    built_in!(Invitation, Any, Fr, "fr/invitation.txt"),
    built_in!(Invitation, Inform, Fr, "fr/invitation-inform.txt"),
    built_in!(Invitation, Consult, Fr, "fr/invitation-consult.txt"),
    built_in!(Invitation, Team, Fr, "fr/invitation-team.txt"),
    built_in!(Outcome, Any, Fr, "fr/outcome.txt"),
    built_in!(Outcome, Consult, Fr, "fr/outcome-consult.txt"),
    built_in!(Outcome, Team, Fr, "fr/outcome-team.txt"),
    built_in!(Welcome, Any, Fr, "fr/welcome.txt"),
    built_in!(Welcome, Consult, Fr, "fr/welcome-consult.txt"),
    built_in!(Welcome, Team, Fr, "fr/welcome-team.txt"),
    built_in!(Thanks, Any, Fr, "fr/thanks.txt"),
    built_in!(LoopClosed, Any, Fr, "fr/loop-closed.txt"),
    built_in!(Survey, Any, Fr, "fr/survey.txt"),
    built_in!(Roster, Any, Fr, "fr/roster.txt"),
];

/// A template's text and where it came from, for the sentences that name it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Source {
    pub name: String,
    pub text: String,
}

/// The built-in template for a kind, as a request of this way reads it, in `language`.
pub fn built_in(kind: Kind, way: Way, language: Language) -> Source {
    let found = Variant::for_way(way).iter().find_map(|variant| {
        BUILT_IN.iter().find(|b| b.kind == kind && b.variant == *variant && b.language == language)
    });
    // Every kind has an English and a French template for every way (a test checks it); a
    // language without its own would fall back to English.
    let b = found
        .or_else(|| BUILT_IN.iter().find(|b| b.kind == kind && b.variant == Variant::Any && b.language == Language::En))
        .unwrap_or(&BUILT_IN[0]);
    let in_language = match b.language {
        Language::En => String::new(),
        other => format!("{} ", other.words()),
    };
    Source {
        name: format!("the built-in {in_language}{kind} template{}", b.variant.suffix()),
        text: b.text.to_string(),
    }
}

/// The names a coordinator's template file may have in the templates folder, most particular
/// first: `outcome-collaborate.en.txt`, `outcome.en.txt`, and for English also `outcome-collaborate.txt`
/// and `outcome.txt`.
pub fn file_names(kind: Kind, way: Way, language: Language) -> Vec<String> {
    let lang = language.code();
    let mut names = vec![format!("{kind}-{way}.{lang}.txt"), format!("{kind}.{lang}.txt")];
    if language == Language::En {
        names.extend([format!("{kind}-{way}.txt"), format!("{kind}.txt")]);
    }
    names
}

/// The first of [`file_names`] in `folder`, when there is one.
pub fn in_folder(folder: &Path, kind: Kind, way: Way, language: Language) -> Option<PathBuf> {
    file_names(kind, way, language).into_iter().map(|n| folder.join(n)).find(|p| p.is_file())
}

/// The most a template may spend on one message: far above any real letter (a roster of a hundred
/// partners), far below a loop that would never end.
const FUEL: u64 = 2_000_000;

/// A template read and checked, ready to render many messages.
pub struct Template {
    env: Environment<'static>,
    pub name: String,
    /// The placeholders the template names.
    used: BTreeSet<String>,
}

/// Why a message could not be rendered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RenderError {
    /// Placeholders the template needs and this message has no value for.
    Missing(Vec<String>),
    Failed(String),
}

/// The templates of one kind of message for one request, one per language, each read once: every
/// recipient is written to in their own language.
pub struct Templates {
    /// English first: the one a language without a template of its own falls back to.
    each: Vec<(Language, Template)>,
}

/// One message as its recipient reads it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rendered {
    pub language: Language,
    pub subject: String,
    pub body: String,
}

impl Templates {
    /// The built-in templates of `kind` for a request of this way, in every language.
    pub fn built_in(kind: Kind, way: Way) -> Result<Templates, String> {
        Templates::read(Language::ALL.iter().map(|lang| (*lang, built_in(kind, way, *lang))))
    }

    /// Reads a template per language (a coordinator's own where they have one, the built-in one
    /// elsewhere); the first refused is named.
    pub fn read(sources: impl IntoIterator<Item = (Language, Source)>) -> Result<Templates, String> {
        let mut each = Vec::new();
        for (lang, source) in sources {
            each.push((lang, Template::read(&source)?));
        }
        each.sort_by_key(|(lang, _)| *lang != Language::En);
        if each.is_empty() {
            return Err("no template was given".to_string());
        }
        Ok(Templates { each })
    }

    /// The template for `lang`, else the English one.
    pub fn get(&self, lang: Language) -> &Template {
        &self.each.iter().find(|(l, _)| *l == lang).unwrap_or(&self.each[0]).1
    }

    /// One message in its recipient's language: a partner's own, the requester's point of contact
    /// in `requester` (the network's `default_language`).
    pub fn render_for(
        &self,
        kind: Kind,
        r: &crate::domain::request::Request,
        letterhead: &draft::Letterhead,
        who: &draft::Who,
        roster: &[draft::RosterEntry],
        requester: Language,
    ) -> Result<Rendered, RenderError> {
        let language = who.language(requester);
        let values = draft::values(kind, r, letterhead, who, roster, language);
        let (subject, body) = self.get(language).render(&values)?;
        Ok(Rendered { language, subject, body })
    }
}

/// Functions and tests a template may call, which the analysis of variables reports as names.
const GLOBALS: &[&str] = &["range", "dict", "namespace", "loop", "debug", "true", "false", "none"];

impl Template {
    /// Reads a template: its `Subject:` line, its syntax and the placeholders it names.
    pub fn read(source: &Source) -> Result<Template, String> {
        let name = &source.name;
        let text = source.text.strip_prefix('\u{feff}').unwrap_or(&source.text).replace("\r\n", "\n");
        let (first, rest) = text.split_once('\n').unwrap_or((text.as_str(), ""));
        let subject = first
            .get(..8)
            .filter(|head| head.eq_ignore_ascii_case("subject:"))
            .map(|_| first[8..].trim())
            .ok_or_else(|| {
                format!(
                    "{name} does not begin with a 'Subject: …' line; `engage message template KIND` prints one to start from"
                )
            })?;
        let body = rest.strip_prefix('\n').unwrap_or(rest);
        let mut env = Environment::new();
        env.set_undefined_behavior(UndefinedBehavior::Strict);
        env.set_keep_trailing_newline(true);
        env.set_trim_blocks(true);
        env.set_lstrip_blocks(true);
        env.set_fuel(Some(FUEL));
        env.set_auto_escape_callback(|_| AutoEscape::None);
        let syntax = |part: &str, e: minijinja::Error| {
            let line = e.line().map(|l| if part == "subject" { l } else { l + 2 });
            let at = line.map(|l| format!(" at line {l}")).unwrap_or_default();
            format!("{name} cannot be read{at}: {}", e.detail().unwrap_or(&e.to_string()))
        };
        env.add_template_owned("subject", subject.to_string()).map_err(|e| syntax("subject", e))?;
        env.add_template_owned("body", body.to_string()).map_err(|e| syntax("body", e))?;
        let mut used = BTreeSet::new();
        for part in ["subject", "body"] {
            let template = env.get_template(part).map_err(|e| syntax(part, e))?;
            used.extend(template.undeclared_variables(true));
        }
        used.retain(|v| !GLOBALS.contains(&v.as_str()));
        let unknown: Vec<&str> = used.iter().map(String::as_str).filter(|v| !draft::offered(v)).collect();
        if !unknown.is_empty() {
            return Err(format!(
                "{name} names {} {}, which engage does not offer; `engage message template --placeholders` lists the ones it does",
                if unknown.len() == 1 { "the placeholder" } else { "the placeholders" },
                crate::domain::and_list(&unknown)
            ));
        }
        Ok(Template { env, name: name.clone(), used })
    }

    /// Renders one message: its subject (one line) and its body.
    pub fn render(&self, values: &serde_json::Value) -> Result<(String, String), RenderError> {
        let value = minijinja::Value::from_serialize(values);
        let mut out = Vec::with_capacity(2);
        for part in ["subject", "body"] {
            let template = self.env.get_template(part).map_err(|e| RenderError::Failed(e.to_string()))?;
            match template.render(&value) {
                Ok(text) => out.push(text),
                Err(e) if e.kind() == ErrorKind::UndefinedError => {
                    let missing = self.needed(part, values);
                    return Err(if missing.is_empty() {
                        RenderError::Failed(format!("{}: {}", self.name, e.detail().unwrap_or("an undefined value")))
                    } else {
                        RenderError::Missing(missing)
                    });
                }
                Err(e) => {
                    let why = match e.kind() {
                        ErrorKind::OutOfFuel => {
                            "it does too much work for one message (a loop that does not end?)".to_string()
                        }
                        _ => e.detail().map(str::to_string).unwrap_or_else(|| e.to_string()),
                    };
                    return Err(RenderError::Failed(format!("{} cannot be rendered: {why}", self.name)));
                }
            }
        }
        let body = out.pop().unwrap_or_default();
        let subject = out.pop().unwrap_or_default().split_whitespace().collect::<Vec<_>>().join(" ");
        Ok((subject, body))
    }
}

impl Template {
    /// Of the placeholders the template names and `values` lack, those it cannot do without: with
    /// every other one given a stand-in, rendering still fails without this one (a placeholder
    /// guarded with `is defined` is not needed).
    fn needed(&self, part: &str, values: &serde_json::Value) -> Vec<String> {
        let absent: Vec<&String> = self.used.iter().filter(|p| !draft::has(values, p)).collect();
        let Ok(template) = self.env.get_template(part) else { return Vec::new() };
        absent
            .iter()
            .filter(|candidate| {
                let mut filled = values.clone();
                for other in absent.iter().filter(|o| o != candidate) {
                    fill(&mut filled, other);
                }
                template.render(minijinja::Value::from_serialize(&filled)).is_err()
            })
            .map(|p| (*p).clone())
            .collect()
    }
}

/// Gives a placeholder (`request.supports`) a stand-in value.
fn fill(values: &mut serde_json::Value, placeholder: &str) {
    let mut at = values;
    let parts: Vec<&str> = placeholder.split('.').collect();
    for (i, part) in parts.iter().enumerate() {
        let Some(map) = at.as_object_mut() else { return };
        let last = i + 1 == parts.len();
        at = map.entry(part.to_string()).or_insert_with(|| {
            if last { serde_json::Value::String("…".into()) } else { serde_json::Value::Object(Default::default()) }
        });
    }
}

/// The sentence that refuses a template needing values a message lacks.
pub fn missing_sentence(template: &str, missing: &[String], whom: &str, request_id: i64) -> String {
    let names: Vec<&str> = missing.iter().map(String::as_str).collect();
    let hints: Vec<String> = missing.iter().filter_map(|p| how_to_give(p, request_id)).collect();
    let give = if hints.is_empty() {
        " (or guard it in the template: {% if … is defined %})".to_string()
    } else {
        format!("; give it with {}", hints.join(" and "))
    };
    format!("{template} names {}, which {whom} does not have; nothing was sent{give}", crate::domain::and_list(&names))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::correspondence::draft::{Letterhead, PartnerFacts, RosterEntry, Who, values};
    use crate::domain::compensation::Account;
    use crate::domain::kinds::RequestStatus;
    use crate::domain::money::{Hours, Money};
    use crate::domain::partner::Partner;
    use crate::domain::request::{Closing, Pay, Request};
    use crate::domain::selection::{Decision, Outcome};
    use chrono::NaiveDate;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    /// A request with only what every request has.
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

    fn full(way: Way) -> Request {
        Request {
            description: Some("Redesigning how patients leave hospital.".into()),
            contact_phone: Some("604-555-0199".into()),
            level: Some(crate::domain::kinds::Level::Organizational),
            format: Some(crate::domain::kinds::Format::Hybrid),
            location: Some("Surrey Memorial".into()),
            starts_on: Some(d("2027-01-10")),
            ends_on: Some(d("2027-06-30")),
            hours_estimate: Some(Hours(4000)),
            supports: Some("transit passes, captioning".into()),
            record_check_required: true,
            closing: Closing { outcomes: Some("A new discharge checklist.".into()), ..Closing::default() },
            partner_survey_url: Some("https://forms.example.org/p".into()),
            requester_survey_url: Some("https://forms.example.org/r".into()),
            ..bare(way)
        }
    }

    fn ana(outcome: Outcome) -> Who {
        Who::Partner(Box::new(PartnerFacts {
            partner: Partner {
                id: 12,
                first_name: Some("Ana".into()),
                last_name: Some("Silva".into()),
                ..Partner::default()
            },
            decision: Some(Decision {
                request_id: 3,
                partner_id: 12,
                outcome,
                reason: None,
                decided_on: d("2026-11-20"),
                notified_on: None,
                welcomed_on: None,
                oriented_on: None,
                introduced_on: None,
            }),
            account: Some(Account { partner_id: 12, hours: Hours(1250), ..Account::default() }),
            commitments_valid: false,
            record_check_on_file: false,
            language: Language::En,
        }))
    }

    fn render(kind: Kind, r: &Request, who: &Who) -> (String, String) {
        let letterhead = Letterhead { network: "the Patient Voices Network".into(), ..Letterhead::default() };
        let roster = [RosterEntry { partner_id: 12, name: "Ana Silva".into(), ..RosterEntry::default() }];
        let v = values(kind, r, &letterhead, who, &roster, Language::En);
        let t = Template::read(&built_in(kind, r.way, Language::En)).unwrap();
        t.render(&v).unwrap_or_else(|e| panic!("{kind} {}: {e:?}", r.way))
    }

    #[test]
    fn every_built_in_template_renders_for_every_way_with_or_without_the_optional_values() {
        for way in Way::ALL {
            for r in [bare(*way), full(*way)] {
                for kind in Kind::ALL {
                    if *kind == Kind::LoopClosed && r.closing.outcomes.is_none()
                        || *kind == Kind::Survey && r.partner_survey_url.is_none()
                    {
                        continue;
                    }
                    let who = if *kind == Kind::Roster { Who::Requester } else { ana(Outcome::Selected) };
                    let (subject, body) = render(*kind, &r, &who);
                    assert!(!subject.is_empty() && !subject.contains('\n'));
                    let hello = if *kind == Kind::Roster { "Hello Lee Wong,\n" } else { "Hello Ana,\n" };
                    assert!(body.starts_with(hello), "{kind} {way}:\n{body}");
                    assert!(body.ends_with("the Patient Voices Network\n"), "{kind} {way}:\n{body}");
                    assert!(!body.contains("\n\n\n"), "{kind} {way}: a double blank line\n{body}");
                    // Paragraphs are apart: the closing never runs into the paragraph before it.
                    let closing = body.lines().position(|l| l == "Thank you," || l == "With gratitude,");
                    if let Some(at) = closing {
                        assert_eq!(
                            body.lines().nth(at - 1),
                            Some(""),
                            "{kind} {way}: no blank line before the closing\n{body}"
                        );
                    }
                    assert!(!body.contains("none") && !body.contains("{{"), "{kind} {way}:\n{body}");
                }
            }
        }
    }

    #[test]
    fn the_way_changes_what_an_invitation_says() {
        let (subject, inform) = render(Kind::Invitation, &full(Way::Inform), &ana(Outcome::Selected));
        assert!(subject.starts_with("For your information"));
        assert!(inform.contains("nothing to apply for and no selection"));
        assert!(!inform.contains("reply by"));
        let (_, consult) = render(Kind::Invitation, &bare(Way::Consult), &ana(Outcome::Selected));
        assert!(consult.contains("for a short consultation"));
        let one_day =
            Request { starts_on: Some(d("2027-02-02")), ends_on: Some(d("2027-02-02")), ..bare(Way::Consult) };
        let (_, session) = render(Kind::Invitation, &one_day, &ana(Outcome::Selected));
        assert!(session.contains("in one session") && session.contains("When: on February 2, 2027."));
        let (subject, team) = render(Kind::Invitation, &full(Way::Lead), &ana(Outcome::Selected));
        assert!(subject.starts_with("Join the team"));
        assert!(team.contains("to share its decisions"));
        assert!(team.contains("Recognition: $50.00 an hour (about $2,000.00 for 40 hours); expenses are reimbursed."));
    }

    #[test]
    fn each_outcome_gets_its_own_text() {
        let r = full(Way::Involve);
        let (s, selected) = render(Kind::Outcome, &r, &ana(Outcome::Selected));
        assert_eq!(s, "You are selected: Discharge co-design");
        assert!(selected.contains("Next steps"));
        let (s, waitlisted) = render(Kind::Outcome, &r, &ana(Outcome::Waitlisted));
        assert_eq!(s, "You are on the waitlist: Discharge co-design");
        assert!(waitlisted.contains("if a seat opens"));
        let (_, not) = render(Kind::Outcome, &r, &ana(Outcome::NotSelected));
        assert!(not.contains("other ways to stay involved") && !not.contains("Next steps"));
    }

    #[test]
    fn a_placeholder_engage_does_not_offer_is_refused_by_name() {
        let source =
            Source { name: "my.txt".into(), text: "Subject: {{ request.titel }}\n\nHello {{ nme }},\n".into() };
        let err = Template::read(&source).err().unwrap();
        assert_eq!(
            err,
            "my.txt names the placeholders nme and request.titel, which engage does not offer; \
             `engage message template --placeholders` lists the ones it does"
        );
        let no_subject = Source { name: "my.txt".into(), text: "Hello {{ name }}\n".into() };
        assert!(Template::read(&no_subject).err().unwrap().contains("does not begin with a 'Subject: …' line"));
        let broken = Source { name: "my.txt".into(), text: "Subject: x\n\n{% if name %}\n".into() };
        assert!(Template::read(&broken).err().unwrap().starts_with("my.txt cannot be read at line"));
    }

    #[test]
    fn a_value_the_request_lacks_is_named_when_the_template_needs_it() {
        let source = Source {
            name: "my.txt".into(),
            text: "Subject: {{ request.title }}\n\nHello {{ name }},\n{{ request.supports }}\n".into(),
        };
        let t = Template::read(&source).unwrap();
        let letterhead = Letterhead::default();
        let v = values(Kind::Thanks, &bare(Way::Involve), &letterhead, &ana(Outcome::Selected), &[], Language::En);
        assert_eq!(t.render(&v), Err(RenderError::Missing(vec!["request.supports".to_string()])));
        let v = values(Kind::Thanks, &full(Way::Involve), &letterhead, &ana(Outcome::Selected), &[], Language::En);
        let (subject, body) = t.render(&v).unwrap();
        assert_eq!(
            (subject.as_str(), body.as_str()),
            ("Discharge co-design", "Hello Ana,\ntransit passes, captioning\n")
        );
    }

    #[test]
    fn a_template_that_never_ends_runs_out_of_fuel() {
        let source = Source {
            name: "my.txt".into(),
            text: "Subject: x\n\n{% for a in range(10000) %}{% for b in range(10000) %}.{% endfor %}{% endfor %}\n"
                .into(),
        };
        let t = Template::read(&source).unwrap();
        let err = t.render(&serde_json::json!({})).unwrap_err();
        assert!(matches!(err, RenderError::Failed(ref why) if why.contains("too much work")), "{err:?}");
    }

    #[test]
    fn every_kind_has_a_template_for_every_way() {
        for kind in Kind::ALL {
            for way in Way::ALL {
                assert!(built_in(*kind, *way, Language::En).text.starts_with("Subject: "));
            }
            assert!(BUILT_IN.iter().any(|b| b.kind == *kind && b.variant == Variant::Any));
        }
        assert_eq!(file_names(Kind::Outcome, Way::Lead, Language::En)[0], "outcome-lead.en.txt");
    }
}
