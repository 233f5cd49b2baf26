//! `engage recruit`: the network's partners, sign-up imports, invitations and responses.

mod add;
mod edit;
mod export;
mod forget;
mod import;
mod invite;
mod list;
mod respond;
mod responses;
mod show;

pub use edit::EditArgs;
pub use export::ExportArgs;
pub use forget::ForgetArgs;
pub use import::{ImportArgs, OnDuplicate};
pub use invite::{InviteArgs, invitation_text};
pub use list::ListArgs;
pub use respond::RespondArgs;
pub use responses::ResponsesArgs;
pub use show::ShowArgs;

use super::{check_list, check_phone, check_text, parse_date, parse_email};
use crate::app::{Ctx, Exit};
pub use crate::csvio::values::DateOrder;
use crate::db::Reader;
use crate::db::{invitations, settings};
use crate::domain::dates::DateArg;
use crate::domain::kinds::{Community, PartnerStatus};
use crate::domain::language::Language;
use crate::domain::partner::Partner;
use crate::domain::text::{Kind, optional, split_list};
use crate::error::{Error, Result};
use crate::output::{Column, Listing, Record, Value};
use clap::Subcommand;

#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(subcommand)]
    pub command: RecruitCommand,
}

#[derive(Debug, Subcommand)]
pub enum RecruitCommand {
    /// Import a sign-up form's CSV export (Google Forms, Microsoft Forms, SurveyMonkey, Typeform,
    /// JotForm, a spreadsheet) into the network
    #[command(after_help = "\
Examples:
  engage recruit import signups.csv --rejects fix-these.csv
  engage recruit import export.csv --dry-run --map 'Your e-mail=email' --date-order dmy")]
    Import(ImportArgs),

    /// Add one partner to the network
    #[command(after_help = "\
Example:
  engage recruit add --first Ana --last Silva --email ana.silva@example.org --region Fraser \\
      --topics 'mental health,discharge' --consent")]
    Add(PartnerFlags),

    /// List the network's partners (without contact details)
    #[command(
        after_help = "Examples:\n  engage recruit list --topic 'mental health' --region fraser\n  engage recruit list --status paused --format csv\n  engage recruit list --language fr --search wheelchair"
    )]
    List(ListArgs),

    /// Show a partner with their contact details and engagement history
    #[command(after_help = "Example:\n  engage recruit show 12")]
    Show(ShowArgs),

    /// Change a partner's record: status, commitments signed, record check, consent, notes, …
    #[command(
        after_help = "Examples:\n  engage recruit edit 12 --commitments-signed 2026-11-20 --record-check 2026-11-02\n  engage recruit edit 12 --status paused --notes 'back in the spring'"
    )]
    Edit(EditArgs),

    /// Erase a partner's identifying data, keeping only anonymous counts
    #[command(after_help = "Example:\n  engage recruit forget 12")]
    Forget(ForgetArgs),

    /// Export the network, without contact details unless --with-contact
    #[command(after_help = "Example:\n  engage recruit export --format csv > network.csv")]
    Export(ExportArgs),

    /// Invite matching active, consenting partners to a request; prints the mailing list and the
    /// invitation text
    #[command(after_help = "\
Examples:
  engage recruit invite 3 --dry-run          # who would be invited, and the text
  engage recruit invite 3 --limit 40
  engage recruit invite 3 --format csv > mailing-list.csv
  engage recruit invite 5 --language fr       # a French-language focus group

Partners are matched by the request's topics (any in common), region and community type; the flags
narrow the match further. Only active partners who consented to be contacted are invited, least recently
engaged first, and nobody is invited twice. The list shows each partner's preferred contact and, for
those who prefer the phone, their number: call them rather than e-mail.")]
    Invite(InviteArgs),

    /// Record a partner's response to an invitation (an expression of interest, or not)
    #[command(after_help = "\
Examples:
  engage recruit respond 3 12 --interested --statement 'I was discharged twice last year' --availability 'weekday evenings'
  engage recruit respond 3 14 --declined")]
    Respond(RespondArgs),

    /// List the invitations and responses of a request
    #[command(after_help = "Example:\n  engage recruit responses 3")]
    Responses(ResponsesArgs),
}

/// A partner's fields, shared by `add` and `edit`. '' clears an optional value on `edit`.
#[derive(Debug, Clone, Default, PartialEq, Eq, clap::Args)]
pub struct PartnerFlags {
    /// The partner's first (given) name
    #[arg(long, value_name = "F")]
    pub first: Option<String>,
    /// The partner's last (family) name
    #[arg(long, value_name = "L")]
    pub last: Option<String>,
    /// The name the partner goes by, used in messages ("Hello Bob,")
    #[arg(long, value_name = "N")]
    pub preferred_name: Option<String>,
    /// The partner's pronouns (she/her, they/them, …)
    #[arg(long, value_name = "P")]
    pub pronouns: Option<String>,
    /// The partner's e-mail address (family members may share one)
    #[arg(long, value_name = "E", value_parser = parse_email)]
    pub email: Option<String>,
    /// The partner's phone number (7 to 15 digits)
    #[arg(long, value_name = "P")]
    pub phone: Option<String>,
    /// The partner's postal code
    #[arg(long, value_name = "CODE")]
    pub postal_code: Option<String>,
    /// The region the partner lives in
    #[arg(long, value_name = "R")]
    pub region: Option<String>,
    /// The partner's community type: urban, rural or remote
    #[arg(long, value_enum, value_name = "C")]
    pub community: Option<Community>,
    /// The partner's health authority
    #[arg(long, value_name = "H")]
    pub health_authority: Option<String>,
    /// Languages, comma-separated
    #[arg(long, value_name = "a,b")]
    pub languages: Option<String>,
    /// The language to write to them in: en or fr (default: the default_language setting; ''
    /// on edit goes back to it)
    #[arg(long, value_name = "en|fr", value_parser = parse_correspondence)]
    pub language_of_correspondence: Option<Correspondence>,
    /// Topics of interest, comma-separated
    #[arg(long, value_name = "a,b")]
    pub topics: Option<String>,
    /// The partner's lived experience, in their words
    #[arg(long, value_name = "T")]
    pub lived_experience: Option<String>,
    /// When the partner is available (weekday evenings, …)
    #[arg(long, value_name = "T")]
    pub availability: Option<String>,
    /// What the partner needs to take part (captioning, transit, a quiet room, …)
    #[arg(long, value_name = "T")]
    pub accessibility_needs: Option<String>,
    /// How the partner likes to be reached (e-mail, phone, text, …)
    #[arg(long, value_name = "T")]
    pub preferred_contact: Option<String>,
    /// The partner consents to be contacted about opportunities
    #[arg(long, conflicts_with = "no_consent")]
    pub consent: bool,
    /// The partner does not (or no longer) consent to be contacted
    #[arg(long)]
    pub no_consent: bool,
    /// Payment may affect the partner's income benefits: compensation is offered, never assumed
    #[arg(long, conflicts_with = "benefits_unaffected")]
    pub payment_affects_benefits: bool,
    /// Payment does not affect the partner's benefits
    #[arg(long)]
    pub benefits_unaffected: bool,
    /// When the partner joined the network (default: today, for `add`)
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    pub joined: Option<DateArg>,
    /// When the partner signed the Patient Partner Commitments
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    pub commitments_signed: Option<DateArg>,
    /// When the partner's criminal record check was done
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    pub record_check: Option<DateArg>,
    /// active, paused or withdrawn (forgetting is `recruit forget`)
    #[arg(long, value_enum, value_name = "S")]
    pub status: Option<PartnerStatus>,
    /// The coordinator's notes about the partner
    #[arg(long, value_name = "T")]
    pub notes: Option<String>,
}

/// `--language-of-correspondence`: a language, or '' for none of their own.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Correspondence(pub Option<Language>);

fn parse_correspondence(text: &str) -> std::result::Result<Correspondence, String> {
    if text.trim().is_empty() {
        return Ok(Correspondence(None));
    }
    text.parse().map(|l| Correspondence(Some(l)))
}

pub fn run(args: Args, ctx: &mut Ctx<'_>) -> Result<Exit> {
    match args.command {
        RecruitCommand::Import(a) => import::run(a, ctx),
        RecruitCommand::Add(flags) => add::run(flags, ctx),
        RecruitCommand::List(a) => list::run(a, ctx),
        RecruitCommand::Show(a) => show::run(a, ctx),
        RecruitCommand::Edit(a) => edit::run(a, ctx),
        RecruitCommand::Forget(a) => forget::run(a, ctx),
        RecruitCommand::Export(a) => export::run(a, ctx),
        RecruitCommand::Invite(a) => invite::run(a, ctx),
        RecruitCommand::Respond(a) => respond::run(a, ctx),
        RecruitCommand::Responses(a) => responses::run(a, ctx),
    }
}

/// The flags' values meet the rules the import applies to the same fields.
pub(super) fn check_flags(f: &PartnerFlags) -> Result<()> {
    for (flag, value) in [
        ("--first", &f.first),
        ("--last", &f.last),
        ("--preferred-name", &f.preferred_name),
        ("--pronouns", &f.pronouns),
    ] {
        check_text(flag, value.as_deref(), Kind::Name)?;
    }
    for (flag, value) in [
        ("--postal-code", &f.postal_code),
        ("--region", &f.region),
        ("--health-authority", &f.health_authority),
        ("--preferred-contact", &f.preferred_contact),
    ] {
        check_text(flag, value.as_deref(), Kind::Title)?;
    }
    for (flag, value) in [
        ("--lived-experience", &f.lived_experience),
        ("--availability", &f.availability),
        ("--accessibility-needs", &f.accessibility_needs),
        ("--notes", &f.notes),
    ] {
        check_text(flag, value.as_deref(), Kind::Note)?;
    }
    check_list("--languages", f.languages.as_deref())?;
    check_list("--topics", f.topics.as_deref())?;
    check_phone("--phone", f.phone.as_deref())
}

/// Applies the flags to a partner; `today` resolves `today`.
pub(super) fn apply(f: &PartnerFlags, p: &mut Partner, today: chrono::NaiveDate) -> Result<()> {
    let set = |flag: &Option<String>, field: &mut Option<String>| {
        if let Some(v) = flag {
            *field = optional(v);
        }
    };
    if let Some(first) = &f.first {
        p.first_name = Some(optional(first).ok_or_else(|| Error::Invalid("--first cannot be empty".to_string()))?);
    }
    set(&f.last, &mut p.last_name);
    set(&f.preferred_name, &mut p.preferred_name);
    set(&f.pronouns, &mut p.pronouns);
    if let Some(e) = &f.email {
        p.email = Some(e.clone());
    }
    set(&f.phone, &mut p.phone);
    set(&f.postal_code, &mut p.postal_code);
    set(&f.region, &mut p.region);
    if let Some(c) = f.community {
        p.community = Some(c);
    }
    set(&f.health_authority, &mut p.health_authority);
    if let Some(l) = &f.languages {
        p.languages = split_list(l);
    }
    if let Some(Correspondence(language)) = f.language_of_correspondence {
        p.language = language;
    }
    if let Some(t) = &f.topics {
        p.topics = split_list(t);
    }
    set(&f.lived_experience, &mut p.lived_experience);
    set(&f.availability, &mut p.availability);
    set(&f.accessibility_needs, &mut p.accessibility_needs);
    set(&f.preferred_contact, &mut p.preferred_contact);
    if f.consent && !p.consent {
        p.consent = true;
        p.consent_on = Some(today);
    }
    if f.no_consent {
        p.consent = false;
        p.consent_on = Some(today);
    }
    if f.payment_affects_benefits {
        p.payment_affects_benefits = true;
    }
    if f.benefits_unaffected {
        p.payment_affects_benefits = false;
    }
    if let Some(d) = f.joined {
        p.joined_on = Some(d.resolve(today));
    }
    if let Some(d) = f.commitments_signed {
        p.commitments_signed_on = Some(d.resolve(today));
    }
    if let Some(d) = f.record_check {
        p.record_check_on = Some(d.resolve(today));
    }
    if let Some(status) = f.status {
        if status == PartnerStatus::Forgotten {
            return Err(Error::Invalid(
                "--status forgotten is not set by hand; `engage recruit forget` erases a partner's data".to_string(),
            ));
        }
        p.status = status;
    }
    set(&f.notes, &mut p.notes);
    Ok(())
}

pub(super) fn fields(p: &Partner) -> Vec<(Column, Value)> {
    vec![
        (Column::id("id"), Value::Int(p.id)),
        (Column::text("name"), Value::text(p.name())),
        (Column::text("first_name"), Value::opt_text(p.first_name.clone())),
        (Column::text("last_name"), Value::opt_text(p.last_name.clone())),
        (Column::text("preferred_name"), Value::opt_text(p.preferred_name.clone())),
        (Column::text("pronouns"), Value::opt_text(p.pronouns.clone())),
        (Column::email("email"), Value::opt_text(p.email.clone())),
        (Column::phone("phone"), Value::opt_text(p.phone.clone())),
        (Column::id("postal_code"), Value::opt_text(p.postal_code.clone())),
        (Column::word("preferred_contact"), Value::opt_text(p.preferred_contact.clone())),
        (Column::text("region"), Value::opt_text(p.region.clone())),
        (Column::word("community"), Value::opt_text(p.community.map(|c| c.as_str()))),
        (Column::text("health_authority"), Value::opt_text(p.health_authority.clone())),
        (Column::text("languages"), Value::List(p.languages.clone())),
        (Column::word("language_of_correspondence"), Value::opt_text(p.language.map(|l| l.code()))),
        (Column::text("topics"), Value::List(p.topics.clone())),
        (Column::text("lived_experience"), Value::opt_text(p.lived_experience.clone())),
        (Column::text("availability"), Value::opt_text(p.availability.clone())),
        (Column::text("accessibility_needs"), Value::opt_text(p.accessibility_needs.clone())),
        (Column::word("consent"), Value::Bool(p.consent)),
        (Column::date("consent_on"), Value::opt_date(p.consent_on)),
        (Column::word("payment_affects_benefits"), Value::Bool(p.payment_affects_benefits)),
        (Column::date("joined_on"), Value::opt_date(p.joined_on)),
        (Column::text("source"), Value::opt_text(p.source.clone())),
        (Column::date("commitments_signed_on"), Value::opt_date(p.commitments_signed_on)),
        (Column::date("record_check_on"), Value::opt_date(p.record_check_on)),
        (Column::word("status"), Value::text(p.status.as_str())),
        (Column::text("notes"), Value::opt_text(p.notes.clone())),
    ]
}

pub(super) fn record(conn: &Reader, p: &Partner) -> Result<Record> {
    let mut fields = fields(p);
    // When the record check lapses, `record_check_valid_days` after it (SPEC §10).
    let valid_days = crate::db::settings::get_number(conn, "record_check_valid_days")?;
    let lapses = p.record_check_on.map(|on| crate::domain::dates::days_after_or_last(on, u64::from(valid_days)));
    let at = fields.iter().position(|(c, _)| c.key == "record_check_on").map_or(fields.len(), |i| i + 1);
    fields.insert(at, (Column::date("record_check_lapses_on"), Value::opt_date(lapses)));
    let mut record = Record { fields, ..Record::default() };
    if p.language.is_none() {
        // Written to in the network's language until they say theirs.
        let default = settings::default_language(conn)?;
        for (column, value) in &mut record.fields {
            if column.key == "language_of_correspondence" {
                *value = Value::text(format!("{default} (default_language)"));
            }
        }
    }
    let mut extra = Listing::new(&[Column::text("column"), Column::text("answer")]);
    for (key, value) in &p.extra {
        let text = match value {
            serde_json::Value::String(s) => s.clone(),
            other => other.to_string(),
        };
        extra.push(vec![Value::text(key), Value::text(text)]);
    }
    record.section("extra", extra);
    let mut history = Listing::new(&[
        Column::id("request_id"),
        Column::text("title"),
        Column::word("request_status").leave_out(4),
        Column::date("invited_on").leave_out(2),
        Column::word("response"),
        Column::date("responded_on").leave_out(1),
        Column::word("outcome"),
        Column::date("decided_on").leave_out(3),
        Column::number("hours").leave_out(9),
        Column::amount("owed").leave_out(7),
        Column::amount("paid").leave_out(11),
        Column::amount("reimbursed").leave_out(6),
        Column::number("checkins").leave_out(8),
        Column::number("concerns").leave_out(5),
        Column::number("open_concerns").leave_out(10),
    ]);
    for h in invitations::history(conn, p.id)? {
        let a = h.account.as_ref();
        history.push(vec![
            Value::Int(h.request_id),
            Value::text(h.title),
            Value::text(h.request_status),
            Value::opt_date(h.invited_on),
            Value::opt_text(h.response),
            Value::opt_date(h.responded_on),
            Value::opt_text(h.outcome),
            Value::opt_date(h.decided_on),
            Value::opt_hours(a.map(|a| a.hours)),
            Value::opt_money(h.owed),
            Value::opt_money(a.and_then(|a| a.paid.filter(|_| a.paid_on.is_some()))),
            Value::opt_money(a.and_then(|a| a.reimbursed)),
            Value::Int(i64::from(h.checkins)),
            Value::Int(i64::from(h.concerns)),
            Value::Int(i64::from(h.open_concerns)),
        ]);
    }
    record.section("history", history);
    Ok(record)
}
