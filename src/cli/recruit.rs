//! `engage recruit`: the network's partners, sign-up imports, invitations and responses.

use super::{check_list, check_phone, check_text, parse_date, parse_email, parse_id};
pub use crate::csvio::values::DateOrder;
use crate::db::{Reader, Tx};
use crate::db::{events, forgotten, invitations, partners, requests, settings};
use crate::domain::dates::{DateArg, iso};
use crate::domain::identity::{fold_name, same_address};
use crate::domain::kinds::{Community, PartnerStatus, RequestStatus, Response};
use crate::domain::money::Money;
use crate::domain::partner::Partner;
use crate::domain::request::Request;
use crate::domain::text::{Kind, for_terminal, optional, split_list};
use crate::error::{Error, Result};
use crate::output::{self, Column, Format, Listing, Record, Value};
use crate::{Ctx, Exit};
use clap::Subcommand;
use std::path::PathBuf;

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
        after_help = "Examples:\n  engage recruit list --topic 'mental health' --region fraser\n  engage recruit list --status paused --format csv"
    )]
    List(ListArgs),

    /// Show a partner with their contact details and engagement history
    #[command(after_help = "Example:\n  engage recruit show 12")]
    Show {
        /// The partner's id
        #[arg(value_parser = parse_id)]
        partner: i64,
    },

    /// Change a partner's record: status, commitments signed, record check, consent, notes, …
    #[command(
        after_help = "Examples:\n  engage recruit edit 12 --commitments-signed 2026-11-20 --record-check 2026-11-02\n  engage recruit edit 12 --status paused --notes 'back in the spring'"
    )]
    Edit {
        /// The partner's id
        #[arg(value_parser = parse_id)]
        partner: i64,
        #[command(flatten)]
        flags: PartnerFlags,
    },

    /// Erase a partner's identifying data, keeping only anonymous counts
    #[command(after_help = "Example:\n  engage recruit forget 12")]
    Forget {
        /// The partner's id
        #[arg(value_parser = parse_id)]
        partner: i64,
    },

    /// Export the network, without contact details unless --with-contact
    #[command(after_help = "Example:\n  engage recruit export --format csv > network.csv")]
    Export {
        /// Include e-mail, phone, postal code and the unmapped sign-up columns
        #[arg(long)]
        with_contact: bool,
    },

    /// Invite matching active, consenting partners to a request; prints the mailing list and the
    /// invitation text
    #[command(after_help = "\
Examples:
  engage recruit invite 3 --dry-run          # who would be invited, and the text
  engage recruit invite 3 --limit 40
  engage recruit invite 3 --format csv > mailing-list.csv

Partners are matched by the request's topics (any in common), region and community type; the flags
narrow the match further. Only active partners who consented to be contacted are invited, least recently
engaged first, and nobody is invited twice.")]
    Invite(InviteArgs),

    /// Record a partner's response to an invitation (an expression of interest, or not)
    #[command(after_help = "\
Examples:
  engage recruit respond 3 12 --interested --statement 'I was discharged twice last year' --availability 'weekday evenings'
  engage recruit respond 3 14 --declined")]
    Respond(RespondArgs),

    /// List the invitations and responses of a request
    #[command(after_help = "Example:\n  engage recruit responses 3")]
    Responses {
        /// The request's id
        #[arg(value_parser = parse_id)]
        request: i64,
    },
}

#[derive(Debug, clap::Args)]
pub struct ImportArgs {
    /// The CSV file exported from the sign-up form
    pub file: PathBuf,
    /// Check everything and report, then change nothing
    #[arg(long)]
    pub dry_run: bool,
    /// Write rejected rows here, unchanged, with a `reason` column
    #[arg(long, value_name = "OUT.csv")]
    pub rejects: Option<PathBuf>,
    /// Replace the --rejects file if it exists (a nightly import writes it again each night)
    #[arg(long, requires = "rejects")]
    pub force: bool,
    /// What to do with a person already in the network
    #[arg(long, value_enum, default_value_t = OnDuplicate::Update)]
    pub on_duplicate: OnDuplicate,
    /// Map a column by hand: 'Header text=field' (repeatable)
    #[arg(long = "map", value_name = "'Header=field'")]
    pub maps: Vec<String>,
    /// The order of day, month and year in the file's dates, when the file cannot prove it
    #[arg(long, value_enum)]
    pub date_order: Option<DateOrder>,
    /// The file's encoding, when it is not UTF-8 (windows-1252)
    #[arg(long, value_name = "E")]
    pub encoding: Option<String>,
    /// Keep the columns form tools add about the device (IP address, network ID, user agent,
    /// browser, location, referrer) in each partner's extra answers; by default they are dropped
    #[arg(long)]
    pub keep_metadata: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum OnDuplicate {
    /// Fill in and refresh values, never erasing one with a blank
    Update,
    /// Leave the partner already in the network alone
    Skip,
}

/// A partner's fields, shared by `add` and `edit`. '' clears an optional value on `edit`.
#[derive(Debug, Clone, Default, PartialEq, Eq, clap::Args)]
pub struct PartnerFlags {
    #[arg(long, value_name = "F")]
    pub first: Option<String>,
    #[arg(long, value_name = "L")]
    pub last: Option<String>,
    #[arg(long, value_name = "N")]
    pub preferred_name: Option<String>,
    #[arg(long, value_name = "P")]
    pub pronouns: Option<String>,
    #[arg(long, value_name = "E", value_parser = parse_email)]
    pub email: Option<String>,
    #[arg(long, value_name = "P")]
    pub phone: Option<String>,
    #[arg(long, value_name = "CODE")]
    pub postal_code: Option<String>,
    #[arg(long, value_name = "R")]
    pub region: Option<String>,
    #[arg(long, value_enum, value_name = "C")]
    pub community: Option<Community>,
    #[arg(long, value_name = "H")]
    pub health_authority: Option<String>,
    /// Languages, comma-separated
    #[arg(long, value_name = "a,b")]
    pub languages: Option<String>,
    /// Topics of interest, comma-separated
    #[arg(long, value_name = "a,b")]
    pub topics: Option<String>,
    #[arg(long, value_name = "T")]
    pub lived_experience: Option<String>,
    #[arg(long, value_name = "T")]
    pub availability: Option<String>,
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
    #[arg(long, value_name = "T")]
    pub notes: Option<String>,
}

#[derive(Debug, clap::Args)]
pub struct ListArgs {
    /// Only partners in this status (default: all but forgotten)
    #[arg(long, value_enum, value_name = "S")]
    pub status: Option<PartnerStatus>,
    /// Only partners with a topic of interest containing this text
    #[arg(long, value_name = "T")]
    pub topic: Option<String>,
    /// Only partners whose region contains this text
    #[arg(long, value_name = "R")]
    pub region: Option<String>,
    /// Text to find in names, e-mail, lived experience and notes
    #[arg(long, value_name = "TEXT")]
    pub search: Option<String>,
}

#[derive(Debug, clap::Args)]
pub struct InviteArgs {
    /// The request's id
    #[arg(value_parser = parse_id)]
    pub request: i64,
    /// Of those, only partners with a topic of interest containing this text
    #[arg(long, value_name = "T")]
    pub topic: Option<String>,
    /// Of those, only partners whose region contains this text
    #[arg(long, value_name = "R")]
    pub region: Option<String>,
    /// Of those, only partners of this community type
    #[arg(long, value_enum, value_name = "C")]
    pub community: Option<Community>,
    /// Invite at most this many partners
    #[arg(long, value_name = "N", value_parser = super::parse_partner_count)]
    pub limit: Option<u32>,
    /// Show who would be invited and the text, and record nothing
    #[arg(long)]
    pub dry_run: bool,
}

#[derive(Debug, clap::Args)]
pub struct RespondArgs {
    /// The request's id
    #[arg(value_parser = parse_id)]
    pub request: i64,
    /// The partner's id
    #[arg(value_parser = parse_id, required_unless_present = "import")]
    pub partner: Option<i64>,
    /// The partner is interested
    #[arg(long, conflicts_with = "declined")]
    pub interested: bool,
    /// The partner declined
    #[arg(long)]
    pub declined: bool,
    /// The partner's statement of interest
    #[arg(long, value_name = "S")]
    pub statement: Option<String>,
    /// When the partner is available
    #[arg(long, value_name = "A")]
    pub availability: Option<String>,
    /// A conflict of interest the partner declared
    #[arg(long, value_name = "C")]
    pub conflict: Option<String>,
    /// When the partner answered (default: today)
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    pub on: Option<DateArg>,
    /// Import responses from a CSV file instead: columns for the partner (id, or e-mail and first
    /// name), the response, and optionally statement, availability, conflict and date
    #[arg(long, value_name = "FILE", conflicts_with = "partner")]
    pub import: Option<PathBuf>,
}

pub fn run(args: Args, ctx: &mut Ctx<'_>) -> Result<Exit> {
    match args.command {
        RecruitCommand::Import(a) => crate::csvio::import::run(a, ctx),
        RecruitCommand::Add(flags) => add(flags, ctx),
        RecruitCommand::List(a) => list(a, ctx),
        RecruitCommand::Show { partner } => show(partner, ctx),
        RecruitCommand::Edit { partner, flags } => edit(partner, flags, ctx),
        RecruitCommand::Forget { partner } => forget(partner, ctx),
        RecruitCommand::Export { with_contact } => export(with_contact, ctx),
        RecruitCommand::Invite(a) => invite(a, ctx),
        RecruitCommand::Respond(a) => respond(a, ctx),
        RecruitCommand::Responses { request } => responses(request, ctx),
    }
}

/// The flags' values meet the rules the import applies to the same fields (SPEC §4).
fn check_flags(f: &PartnerFlags) -> Result<()> {
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
fn apply(f: &PartnerFlags, p: &mut Partner, today: chrono::NaiveDate) -> Result<()> {
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

/// Partners already in the network with this e-mail, as identity compares addresses
/// (`sam@bücher.example` is `sam@xn--bcher-kva.example`), as (id, folded first name, name).
fn sharing_email(conn: &Reader, email: &str) -> Result<Vec<(i64, String, String)>> {
    // SQL narrows the search to addresses with the same part before the @ (LIKE ignores ASCII
    // case, so this finds a superset); identity decides. A part before the @ that is not ASCII may
    // be stored in another Unicode form: then every address is looked at.
    let local = email.rsplit_once('@').map_or(email, |(local, _)| local);
    let pattern = if local.is_ascii() {
        let escaped: String =
            local.chars().flat_map(|c| if matches!(c, '%' | '_' | '\\') { vec!['\\', c] } else { vec![c] }).collect();
        format!("{escaped}@%")
    } else {
        "%".to_string()
    };
    let mut out = Vec::new();
    let sql = format!("SELECT {} FROM partner WHERE email LIKE ?1 ESCAPE '\\' ORDER BY id", partners::COLUMNS);
    conn.each(&sql, &[&pattern], |row| {
        let p = partners::from_row(row)?;
        if p.email.as_deref().is_some_and(|e| same_address(e, email)) {
            out.push((p.id, fold_name(p.first_name.as_deref().unwrap_or("")), p.name()));
        }
        Ok(())
    })?;
    Ok(out)
}

fn add(f: PartnerFlags, ctx: &mut Ctx<'_>) -> Result<Exit> {
    check_flags(&f)?;
    let missing: Vec<&str> =
        [("--first", f.first.is_none()), ("--last", f.last.is_none()), ("--email", f.email.is_none())]
            .iter()
            .filter(|(_, m)| *m)
            .map(|(flag, _)| *flag)
            .collect();
    if !missing.is_empty() {
        return Err(Error::Missing(format!(
            "recruit add needs {}; pass {}",
            crate::domain::and_list(&missing),
            if missing.len() == 1 { "it" } else { "them" }
        )));
    }
    let mut partner = Partner { source: Some("recruit add".to_string()), ..Partner::default() };
    apply(&f, &mut partner, ctx.today)?;
    if partner.joined_on.is_none() {
        partner.joined_on = Some(ctx.today);
    }
    let email = partner.email.clone().unwrap_or_default();
    let folded = fold_name(partner.first_name.as_deref().unwrap_or(""));
    let mut db = ctx.open_db()?;
    let shared = sharing_email(db.conn(), &email)?;
    if let Some((id, _, name)) = shared.iter().find(|(_, first, _)| *first == folded) {
        return Err(Error::Refused(format!(
            "{name} is already in the network as partner {id} with {email}; `engage recruit edit {id}` changes their record"
        )));
    }
    let stamp = ctx.stamp.clone();
    let id = db.write(|tx| {
        let id = partners::insert(tx, &partner)?;
        events::log(tx, &stamp, "partner_added", None, Some(id), "recruit add")?;
        Ok(id)
    })?;
    for (other, _, name) in &shared {
        ctx.note(&format!("{email} is also the address of partner {other} ({name}); families may share one."))?;
    }
    if !partner.consent {
        ctx.warn(&format!(
            "partner {id} has not consented to be contacted; they will not be invited until `engage recruit edit {id} --consent`"
        ))?;
    }
    ctx.note(&format!("Added partner {id}: {}.", partner.name()))?;
    if ctx.format == Format::Table {
        writeln!(ctx.out, "{id}")?;
    } else {
        let p = partners::get(db.conn(), id)?;
        ctx.print_record(&record(db.conn(), &p)?)?;
    }
    Ok(Exit::Done)
}

fn list(a: ListArgs, ctx: &mut Ctx<'_>) -> Result<Exit> {
    let db = ctx.open_db()?;
    let lower = |s: &Option<String>| s.as_ref().map(|s| s.to_lowercase());
    let (topic, region, search) = (lower(&a.topic), lower(&a.region), lower(&a.search));
    let contains = |hay: &Option<String>, needle: &str| hay.as_ref().is_some_and(|h| h.to_lowercase().contains(needle));
    let mut listing = Listing::new(&[
        Column::id("id"),
        Column::text("name"),
        Column::text("pronouns").leave_out(3),
        Column::text("region").leave_out(5),
        Column::word("community").leave_out(4),
        Column::text("topics").leave_out(6),
        Column::word("status"),
        Column::word("consent").leave_out(2),
        Column::date("joined_on").leave_out(1),
        Column::date("commitments_signed_on").leave_out(7),
    ]);
    let sql = format!(
        "SELECT {} FROM partner WHERE (?1 IS NULL AND status != 'forgotten') OR status = ?1 ORDER BY id",
        partners::COLUMNS
    );
    db.conn().each(&sql, &[&a.status], |row| {
        let p = partners::from_row(row)?;
        if let Some(t) = &topic {
            if !p.topics.iter().any(|x| x.to_lowercase().contains(t.as_str())) {
                return Ok(());
            }
        }
        if let Some(r) = &region {
            if !contains(&p.region, r) {
                return Ok(());
            }
        }
        if let Some(s) = &search {
            let hit = [&p.first_name, &p.last_name, &p.preferred_name, &p.email, &p.lived_experience, &p.notes]
                .iter()
                .any(|field| contains(field, s));
            if !hit {
                return Ok(());
            }
        }
        listing.push(vec![
            Value::Int(p.id),
            Value::text(p.name()),
            Value::opt_text(p.pronouns.clone()),
            Value::opt_text(p.region.clone()),
            Value::opt_text(p.community.map(|c| c.as_str())),
            Value::List(p.topics.clone()),
            Value::text(p.status.as_str()),
            Value::Bool(p.consent),
            Value::opt_date(p.joined_on),
            Value::opt_date(p.commitments_signed_on),
        ]);
        Ok(())
    })?;
    ctx.print_listing(&listing, "No partners match. `engage recruit import FILE` brings in a sign-up export.")?;
    Ok(Exit::Done)
}

fn fields(p: &Partner) -> Vec<(Column, Value)> {
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

fn record(conn: &Reader, p: &Partner) -> Result<Record> {
    let mut record = Record { fields: fields(p), ..Record::default() };
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
        Column::word("request_status").leave_out(3),
        Column::date("invited_on").leave_out(2),
        Column::word("response"),
        Column::date("responded_on").leave_out(1),
        Column::word("outcome"),
        Column::date("decided_on").leave_out(4),
    ]);
    conn.each(
        "SELECT i.request_id, r.title, r.status, i.invited_on, i.response, i.responded_on, d.outcome, d.decided_on \
         FROM invitation i JOIN request r ON r.id = i.request_id \
         LEFT JOIN decision d ON d.request_id = i.request_id AND d.partner_id = i.partner_id \
         WHERE i.partner_id = ?1 ORDER BY i.request_id DESC",
        &[&p.id],
        |row| {
            history.push(vec![
                Value::Int(row.get("request_id")?),
                Value::text(row.get::<String>("title")?),
                Value::text(row.get::<String>("status")?),
                Value::opt_date(row.get("invited_on")?),
                Value::opt_text(row.get::<Option<String>>("response")?),
                Value::opt_date(row.get("responded_on")?),
                Value::opt_text(row.get::<Option<String>>("outcome")?),
                Value::opt_date(row.get("decided_on")?),
            ]);
            Ok(())
        },
    )?;
    record.section("history", history);
    Ok(record)
}

fn show(id: i64, ctx: &mut Ctx<'_>) -> Result<Exit> {
    let db = ctx.open_db()?;
    let p = partners::get(db.conn(), id)?;
    let record = record(db.conn(), &p)?;
    ctx.print_record(&record)?;
    Ok(Exit::Done)
}

/// The names of the fields that differ; values are not logged (the log holds no personal data).
fn changed_fields(old: &Partner, new: &Partner) -> Vec<&'static str> {
    fields(old).into_iter().zip(fields(new)).filter(|((_, a), (_, b))| a != b).map(|((k, _), _)| k.key).collect()
}

fn edit(id: i64, f: PartnerFlags, ctx: &mut Ctx<'_>) -> Result<Exit> {
    if f == PartnerFlags::default() {
        return Err(Error::Missing(
            "recruit edit needs at least one flag to change, such as --status, --commitments-signed or --notes"
                .to_string(),
        ));
    }
    check_flags(&f)?;
    let mut db = ctx.open_db()?;
    let (today, stamp) = (ctx.today, ctx.stamp.clone());
    // Read, checked and written in one IMMEDIATE transaction: a sign-up import that refreshes the
    // partner meanwhile is either before it (and kept) or after it, never overwritten.
    let changed = db.write(|tx| {
        let current = partners::get(tx, id)?;
        if current.status == PartnerStatus::Forgotten {
            return Err(Error::Refused(format!("partner {id} was forgotten; there is nothing left to edit")));
        }
        let mut updated = current.clone();
        apply(&f, &mut updated, today)?;
        if updated.email != current.email
            || fold_name(updated.first_name.as_deref().unwrap_or(""))
                != fold_name(current.first_name.as_deref().unwrap_or(""))
        {
            let email = updated.email.clone().unwrap_or_default();
            let folded = fold_name(updated.first_name.as_deref().unwrap_or(""));
            if let Some((other, _, name)) =
                sharing_email(tx, &email)?.into_iter().find(|(other, first, _)| *other != id && *first == folded)
            {
                return Err(Error::Refused(format!(
                    "{name} is already in the network as partner {other} with {email}; the same person cannot be two partners"
                )));
            }
        }
        let changed = changed_fields(&current, &updated);
        if !changed.is_empty() {
            partners::update(tx, &updated)?;
            events::log(tx, &stamp, "partner_edited", None, Some(id), &changed.join(", "))?;
        }
        Ok(changed)
    })?;
    if changed.is_empty() {
        ctx.note(&format!("Partner {id} already has these values; nothing changed."))?;
    } else {
        ctx.note(&format!("Updated partner {id}: {}.", changed.join(", ")))?;
    }
    Ok(Exit::Done)
}

fn forget(id: i64, ctx: &mut Ctx<'_>) -> Result<Exit> {
    let mut db = ctx.open_db()?;
    let stamp = ctx.stamp.clone();
    let forgot = db.write(|tx| {
        let current = partners::get(tx, id)?;
        if current.status == PartnerStatus::Forgotten {
            return Ok(false);
        }
        // What stays of the person: a keyed hash of who they are, so that no later import of an
        // old row of theirs brings them back, whatever the export's columns (SPEC §5).
        if let Some(email) = &current.email {
            forgotten::remember(tx, email, current.first_name.as_deref().unwrap_or(""), &stamp.at)?;
        }
        forgotten::mark_pending(tx, &stamp.at)?;
        partners::forget(tx, id)?;
        events::log(tx, &stamp, "partner_forgotten", None, Some(id), "identifying data erased")?;
        Ok(true)
    })?;
    if !forgot {
        ctx.note(&format!("Partner {id} was already forgotten."))?;
        return Ok(Exit::Done);
    }
    // With secure_delete on, the erased text is overwritten in the database's pages once the
    // write-ahead log is copied into the file; truncating the log removes the old page images from
    // the -wal too. Another connection's open read (a long report, a sqlite3 shell) holds that back.
    let gone = db.finish_erasure(crate::db::ERASURE_WAIT)?;
    ctx.note(&format!(
        "Forgot partner {id}: names, contact details, answers and notes are erased; region, community type and \
         engagement counts remain for anonymous reports."
    ))?;
    if !gone {
        ctx.warn(&db.erasure_held_back())?;
    }
    Ok(Exit::Done)
}

fn export(with_contact: bool, ctx: &mut Ctx<'_>) -> Result<Exit> {
    let db = ctx.open_db()?;
    let contact = ["email", "phone", "postal_code"];
    let mut listing: Option<Listing> = None;
    let sql = format!("SELECT {} FROM partner WHERE status != 'forgotten' ORDER BY id", partners::COLUMNS);
    db.conn().each(&sql, &[], |row| {
        let p = partners::from_row(row)?;
        let mut fields: Vec<(Column, Value)> =
            fields(&p).into_iter().filter(|(k, _)| with_contact || !contact.contains(&k.key)).collect();
        if with_contact {
            fields.push((Column::text("extra"), Value::text(serde_json::Value::Object(p.extra.clone()).to_string())));
        }
        let listing = listing.get_or_insert_with(|| Listing::new(&fields.iter().map(|(k, _)| *k).collect::<Vec<_>>()));
        listing.push(fields.into_iter().map(|(_, v)| v).collect());
        Ok(())
    })?;
    let listing = listing.unwrap_or_else(|| {
        let empty = Partner::default();
        let keys: Vec<Column> =
            fields(&empty).into_iter().map(|(k, _)| k).filter(|k| with_contact || !contact.contains(&k.key)).collect();
        Listing::new(&keys)
    });
    ctx.print_listing(&listing, "The network has no partners yet.")?;
    Ok(Exit::Done)
}

/// The request, refusing those whose recruitment is over.
pub fn open_request(conn: &Reader, id: i64) -> Result<Request> {
    let request = requests::get(conn, id)?;
    if request.status.is_final() {
        return Err(Error::Refused(format!(
            "request {id} is {}; it takes no more invitations or responses",
            request.status
        )));
    }
    Ok(request)
}

/// The invitation a request's details make.
pub fn invitation_text(r: &Request, network: &str) -> (String, String) {
    let subject = format!("Patient partner opportunity: {} ({})", r.title, r.organization);
    let mut body = String::new();
    body.push_str("Hello,\n\n");
    body.push_str(&format!(
        "{} is looking for {} patient partner{} for \"{}\".\n\n",
        r.organization,
        r.seats,
        if r.seats == 1 { "" } else { "s" },
        r.title
    ));
    if let Some(d) = &r.description {
        body.push_str(&format!("What it is: {d}\n"));
    }
    body.push_str(&format!("How you would take part: {} ({})\n", r.way, r.way.about()));
    let mut when = Vec::new();
    match (r.starts_on, r.ends_on) {
        (Some(s), Some(e)) => when.push(format!("{} to {}", iso(s), iso(e))),
        (Some(s), None) => when.push(format!("from {}", iso(s))),
        (None, Some(e)) => when.push(format!("until {}", iso(e))),
        (None, None) => {}
    }
    if let Some(h) = r.hours_estimate {
        when.push(format!("about {h} hours"));
    }
    if let Some(f) = r.format {
        let place = r.location.as_deref().map(|l| format!(" ({l})")).unwrap_or_default();
        when.push(format!("{}{place}", f.about()));
    } else if let Some(l) = &r.location {
        when.push(l.clone());
    }
    if !when.is_empty() {
        body.push_str(&format!("When and where: {}\n", when.join(", ")));
    }
    if !r.topics.is_empty() {
        body.push_str(&format!("Topics: {}\n", r.topics.join(", ")));
    }
    body.push_str(&format!("Recognition: {}\n", recognition(r)));
    if let Some(s) = &r.supports {
        body.push_str(&format!("Supports offered: {s}\n"));
    }
    if r.record_check_required {
        body.push_str("A criminal record check is required.\n");
    }
    body.push_str(&format!(
        "\nIf you are interested, please reply by {} with a few words about why, and when you are available.\n\
         Everyone who replies hears the outcome.\n\nThank you,\n{network}\n",
        iso(r.respond_by)
    ));
    (subject, body)
}

/// What a partner would receive, in words.
fn recognition(r: &Request) -> String {
    let mut text = match (r.pay.hourly(), r.pay.honorarium(), r.hours_estimate) {
        (_, Some(h), _) => format!("a {h} honorarium"),
        (Some(rate), _, _) if rate.cents() == 0 => "no compensation is offered for this way of engaging".to_string(),
        (Some(rate), _, Some(hours)) => {
            format!("{rate}/hour (about {} for {hours} hours)", Money::for_hours(rate, hours))
        }
        (Some(rate), _, None) => format!("{rate}/hour"),
        (None, None, _) => String::new(),
    };
    text.push_str(if r.expenses_reimbursed { "; expenses reimbursed" } else { "; expenses are not reimbursed" });
    text
}

fn invite(a: InviteArgs, ctx: &mut Ctx<'_>) -> Result<Exit> {
    let mut db = ctx.open_db()?;
    let request = open_request(db.conn(), a.request)?;
    let network = settings::get(db.conn(), "network_name")?;
    let narrow = invitations::Narrow { topic: a.topic.clone(), region: a.region.clone(), community: a.community };
    let invitations::Matching { partners: mut matched, last_engaged, already } =
        invitations::matching(db.conn(), &request, &narrow)?;
    if let Some(limit) = a.limit {
        matched.truncate(limit as usize);
    }
    let (subject, body) = invitation_text(&request, &network);
    let stamp = ctx.stamp.clone();
    let today = ctx.today;
    let ids: Vec<i64> = matched.iter().map(|p| p.id).collect();
    db.write_or_rollback(a.dry_run, |tx| {
        for id in &ids {
            invitations::invite(tx, request.id, *id, today)?;
        }
        if !ids.is_empty() {
            events::log(tx, &stamp, "invited", Some(request.id), None, &format!("{} partners", ids.len()))?;
            if request.status == RequestStatus::Submitted {
                requests::move_to(tx, &stamp, &request, RequestStatus::Recruiting, None)?;
            }
        }
        Ok(())
    })?;
    let mut recipients = Listing::new(&[
        Column::id("partner_id"),
        Column::text("name"),
        Column::email("email"),
        Column::word("preferred_contact").leave_out(2),
        Column::date("last_engaged").leave_out(1),
    ]);
    for p in &matched {
        recipients.push(vec![
            Value::Int(p.id),
            Value::text(p.name()),
            Value::opt_text(p.email.clone()),
            Value::opt_text(p.preferred_contact.clone()),
            Value::opt_text(last_engaged.get(&p.id).cloned()),
        ]);
    }
    match ctx.format {
        Format::Table => {
            // The request's words, as every table shows them: nothing in them acts on the terminal;
            // on a terminal the invitation wraps at spaces; copied from CSV or JSON it is as written.
            let width = ctx.table_style().width;
            let text = for_terminal(&format!("Subject: {subject}\n\n{body}")).into_owned();
            writeln!(ctx.out, "{}", output::wrap_sentence(&text, width, 0))?;
            ctx.print_listing(&recipients, "")?;
        }
        Format::Csv => ctx.print_listing(&recipients, "")?,
        Format::Json => {
            let mut record = Record::default();
            record
                .field("request_id", Value::Int(request.id))
                .field("subject", Value::text(subject))
                .field("text", Value::text(body))
                .section("recipients", recipients);
            ctx.print_record(&record)?;
        }
    }
    let verb = if a.dry_run { "Would invite" } else { "Invited" };
    ctx.note(&format!(
        "{verb} {} partner{} to request {}{}.",
        matched.len(),
        if matched.len() == 1 { "" } else { "s" },
        request.id,
        if already.is_empty() { String::new() } else { format!(" ({} invited or answered before)", already.len()) }
    ))?;
    if matched.is_empty() {
        ctx.note("Nobody matched: active partners who consented, with a topic, the region and the community type of the request in common; `engage request edit` can widen the request's.")?;
    }
    Ok(Exit::Done)
}

fn respond(a: RespondArgs, ctx: &mut Ctx<'_>) -> Result<Exit> {
    if let Some(file) = &a.import {
        return crate::csvio::responses::run(a.request, file, ctx);
    }
    let partner_id =
        a.partner.ok_or_else(|| Error::Missing("recruit respond needs a PARTNER id or --import FILE".into()))?;
    for (flag, value) in
        [("--statement", &a.statement), ("--availability", &a.availability), ("--conflict", &a.conflict)]
    {
        check_text(flag, value.as_deref(), Kind::Note)?;
    }
    let response = match (a.interested, a.declined) {
        (true, _) => Response::Interested,
        (_, true) => Response::Declined,
        _ => {
            return Err(Error::Missing(
                "recruit respond needs --interested or --declined: say what the partner answered".to_string(),
            ));
        }
    };
    let mut db = ctx.open_db()?;
    let request = open_request(db.conn(), a.request)?;
    let partner = partners::get(db.conn(), partner_id)?;
    if partner.status == PartnerStatus::Forgotten {
        return Err(Error::Refused(format!("partner {partner_id} was forgotten; they cannot respond")));
    }
    let answer = invitations::Answer {
        response,
        on: a.on.map_or(ctx.today, |d| d.resolve(ctx.today)),
        statement: a.statement.as_deref().and_then(optional),
        availability: a.availability.as_deref().and_then(optional),
        conflict: a.conflict.as_deref().and_then(optional),
    };
    let stamp = ctx.stamp.clone();
    db.write(|tx| record_response(tx, &stamp, &request, partner_id, &answer))?;
    ctx.note(&format!("Recorded: partner {partner_id} ({}) is {response} in request {}.", partner.name(), request.id))?;
    if answer.conflict.is_some() {
        ctx.warn(&format!("partner {partner_id} declared a conflict of interest; selecting them will need a reason"))?;
    }
    if partner.status != PartnerStatus::Active {
        ctx.warn(&format!("partner {partner_id} is {} in the network", partner.status))?;
    }
    Ok(Exit::Done)
}

/// Records a response and its event; a request still `submitted` starts recruiting.
pub fn record_response(
    tx: &Tx<'_>,
    stamp: &crate::domain::Stamp,
    request: &Request,
    partner_id: i64,
    answer: &invitations::Answer,
) -> Result<()> {
    invitations::respond(tx, request.id, partner_id, answer)?;
    let conflict = if answer.conflict.is_some() { ", conflict declared" } else { "" };
    events::log(tx, stamp, "response", Some(request.id), Some(partner_id), &format!("{}{conflict}", answer.response))?;
    if request.status == RequestStatus::Submitted {
        let current = requests::get(tx, request.id)?;
        if current.status == RequestStatus::Submitted {
            requests::move_to(tx, stamp, &current, RequestStatus::Recruiting, None)?;
        }
    }
    Ok(())
}

fn responses(request_id: i64, ctx: &mut Ctx<'_>) -> Result<Exit> {
    let db = ctx.open_db()?;
    let request = requests::get(db.conn(), request_id)?;
    let mut listing = Listing::new(&[
        Column::id("partner_id"),
        Column::text("name"),
        Column::date("invited_on").leave_out(1),
        Column::word("response"),
        Column::date("responded_on").leave_out(2),
        Column::text("statement"),
        Column::text("availability").leave_out(4),
        Column::text("conflict").leave_out(3),
    ]);
    let mut counts = (0, 0, 0);
    for i in invitations::for_request(db.conn(), request.id)? {
        let p = partners::get(db.conn(), i.partner_id)?;
        match i.response {
            Some(Response::Interested) => counts.0 += 1,
            Some(Response::Declined) => counts.1 += 1,
            None => counts.2 += 1,
        }
        listing.push(vec![
            Value::Int(p.id),
            Value::text(p.name()),
            Value::opt_date(i.invited_on),
            Value::opt_text(i.response.map(|r| r.as_str())),
            Value::opt_date(i.responded_on),
            Value::opt_text(i.statement),
            Value::opt_text(i.availability),
            Value::opt_text(i.conflict),
        ]);
    }
    ctx.print_listing(&listing, &format!("Nobody has been invited to request {request_id} yet."))?;
    if !listing.is_empty() {
        ctx.note(&format!(
            "Request {request_id}: {} interested, {} declined, {} not answered; {} seat{}.",
            counts.0,
            counts.1,
            counts.2,
            request.seats,
            if request.seats == 1 { "" } else { "s" }
        ))?;
    }
    Ok(Exit::Done)
}
