//! A sign-up row to a sign-up or a rejection, with nothing asked of the database: the problems
//! that make a whole file untrustworthy (NUL bytes, invalid UTF-8, a quote never closed), the
//! row's shape, its identity (e-mail and first name), the hash by which the next import knows
//! it, and every mapped value checked.

use super::headers::Field;
use super::plan::{MAX_COLUMNS, Plan};
use super::reader::{Flaw, RawRecord};
use super::refuse;
use super::values::{self, DateError};
use crate::domain::email;
use crate::domain::language::Language;
use crate::domain::merge::{ImportMark, Submission};
use crate::domain::partner::Partner;
use crate::domain::text::group;
use crate::error::Error;
use chrono::{NaiveDate, NaiveDateTime};
use xxhash_rust::xxh3::Xxh3;

/// A row refused, and why.
#[derive(Debug, Clone)]
pub struct Rejection {
    pub line: u64,
    pub column: String,
    pub reason: String,
}

/// A problem that refuses the whole file, with the lines it was seen on.
pub struct FileProblem {
    /// `nul`, `utf8`, `unclosed` or `quote`.
    pub kind: &'static str,
    pub lines: Vec<u64>,
    pub column: Option<String>,
}

/// The refusal of the whole file for a problem found in it.
pub fn refuse_for(plan: &Plan, p: &FileProblem) -> Error {
    let lines = p.lines.iter().map(u64::to_string).collect::<Vec<_>>().join(", ");
    let plural = if p.lines.len() == 1 { "line" } else { "lines" };
    let column = p.column.as_deref().map(|c| format!(", column {c}")).unwrap_or_default();
    let text = match p.kind {
        "nul" => format!(
            "holds NUL bytes ({plural} {lines}): it is not a text CSV file, or it is UTF-16; save it as 'CSV UTF-8'"
        ),
        "utf8" => format!(
            "is not valid UTF-8 ({plural} {lines}); if it came from Excel on Windows, import it with --encoding windows-1252"
        ),
        "unclosed" => format!(
            "{plural} {lines}{column}: a quoted field is never closed, so the rest of the file would be swallowed into it; fix the quote and import again"
        ),
        _ => format!(
            "{plural} {lines}{column}: a quoted field runs on over a line break where it should not, so a quote is missing or extra and the rows after it cannot be trusted; fix the quote and import again"
        ),
    };
    refuse(&plan.shown, text)
}

/// A problem in this record that makes every later row untrustworthy.
pub fn file_problem(plan: &Plan, rec: &RawRecord, utf8: bool) -> Option<FileProblem> {
    let at = |kind, column: Option<String>| Some(FileProblem { kind, lines: vec![rec.line], column });
    if memchr::memchr(0, rec.bytes()).is_some() {
        return at("nul", None);
    }
    if !utf8 {
        return at("utf8", None);
    }
    let header = |i: usize| plan.mapping.columns.get(i).map(|c| c.header.clone());
    if let Some(Flaw::UnterminatedQuote { field }) = rec.flaw {
        return at("unclosed", header(field));
    }
    // Most records hold no line break at all: nothing more to look at.
    memchr::memchr2(b'\n', b'\r', rec.bytes())?;
    // A line break at the edge of a value is whitespace the import trims; inside, it is a break.
    let has_break = |f: &[u8]| memchr::memchr2(b'\n', b'\r', f.trim_ascii()).is_some();
    let ragged = rec.field_count != plan.width;
    let after_quote = matches!(rec.flaw, Some(Flaw::TextAfterQuote { .. }));
    for (i, f) in rec.fields().enumerate() {
        if !has_break(f) {
            continue;
        }
        let single = plan.mapping.columns.get(i).and_then(|c| c.field).is_some_and(|f| {
            matches!(
                f,
                Field::Email
                    | Field::FirstName
                    | Field::LastName
                    | Field::FullName
                    | Field::Phone
                    | Field::Consent
                    | Field::JoinedOn
            )
        });
        if single || ragged || after_quote {
            return at("quote", header(i));
        }
    }
    None
}

/// A row's answers, as read.
struct Answers {
    partner: Partner,
    consent: Option<bool>,
    payment: Option<bool>,
    submitted: Option<NaiveDateTime>,
    /// Something to check, though the row is accepted.
    warning: Option<String>,
}

/// A sign-up row, read and checked: the partner as a new one would be written (identity, consent,
/// joining date and source settled), what was left blank, and the mark of the row.
pub struct SignUp {
    pub partner: Partner,
    pub submission: Submission,
    /// Something to check, though the row is accepted.
    pub warning: Option<String>,
    pub mark: ImportMark,
}

/// Cell text as imported: trimmed, and without the `'` that engage's own CSV files put before a
/// cell a spreadsheet would run as a formula (so a rejects file can be fixed and imported again).
pub fn clean(cell: &str) -> &str {
    let t = cell.trim();
    match t.strip_prefix('\'') {
        Some(rest) if rest.starts_with(['=', '+', '-', '@']) => rest,
        _ => t,
    }
}

fn reject(line: u64, column: &str, reason: impl Into<String>) -> Rejection {
    Rejection { line, column: column.to_string(), reason: reason.into() }
}

/// The hash of the row's bytes (and how they split into fields), under this file's mapping: the
/// mark by which the next import knows the very row it applied. (It covers the e-mail and the
/// name, so the row can belong to nobody else.)
pub fn row_hash(plan: &Plan, rec: &RawRecord) -> u64 {
    let mut h = Xxh3::new();
    h.update(&plan.signature.to_le_bytes());
    h.update(rec.bytes());
    for end in rec.ends() {
        h.update(&(*end as u32).to_le_bytes());
    }
    h.digest()
}

/// Who a row says it is: its e-mail address (normalized) and first name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Identity {
    pub address: String,
    pub first_name: String,
    /// The rest of a full name, when the first name was split from one.
    last_from_full: Option<String>,
}

/// The row's shape, then its identity: the e-mail (the first valid one of the e-mail columns) and
/// the first name. `cells` are the record's fields as text.
pub fn identity(plan: &Plan, rec: &RawRecord, cells: &[&str]) -> Result<Identity, Rejection> {
    let line = rec.line;
    let columns = &plan.mapping.columns;
    let header = |i: usize| columns.get(i).map_or_else(|| format!("column {}", i + 1), |c| c.header.clone());
    if rec.field_count != plan.width {
        // Extra empty cells at the end (a trailing comma) are harmless.
        let extra_empty =
            rec.field_count > plan.width && cells[plan.width.min(cells.len())..].iter().all(|c| c.trim().is_empty());
        if !extra_empty || rec.field_count > MAX_COLUMNS {
            return Err(reject(
                line,
                "",
                format!("expected {} fields, found {}", plan.width, group(rec.field_count as u64)),
            ));
        }
    }
    match rec.flaw {
        Some(Flaw::TextAfterQuote { field }) => {
            return Err(reject(
                line,
                &header(field),
                "has text after its closing quote; quote the whole answer or remove the quotes",
            ));
        }
        Some(Flaw::FieldTooLong { field }) => {
            return Err(reject(line, &header(field), "is longer than 65,536 bytes"));
        }
        Some(Flaw::RecordTooLong) => return Err(reject(line, "", "the row is longer than 1,048,576 bytes")),
        _ => {}
    }
    let cell = |i: usize| cells.get(i).map_or("", |c| clean(c));
    // Identity first: the e-mail (the first valid one of the e-mail columns) and the first name.
    let mut address = None;
    let mut first_error = None;
    for (i, c) in plan.mapping.columns_for(Field::Email) {
        let v = cell(i);
        if v.is_empty() {
            continue;
        }
        match email::parse(v) {
            Ok(a) => {
                address = Some(a);
                break;
            }
            Err(why) => {
                if first_error.is_none() {
                    first_error = Some((c.header.clone(), why));
                }
            }
        }
    }
    let address = match (address, first_error) {
        (Some(a), _) => a,
        (None, Some((column, why))) => return Err(reject(line, &column, why)),
        (None, None) => {
            let column =
                plan.mapping.columns_for(Field::Email).next().map_or_else(String::new, |(_, c)| c.header.clone());
            return Err(reject(line, &column, "is empty; an e-mail address is required"));
        }
    };
    let (first_name, last_from_full) = first_name_of(plan, &cell, line)?;
    Ok(Identity { address, first_name, last_from_full })
}

/// The rest of the row, read and checked: the partner as a new one would be written (identity,
/// consent, joining date and source settled), with its answers and the mark of the row.
pub fn sign_up(plan: &Plan, who: Identity, cells: &[&str], line: u64, row_hash: u64) -> Result<SignUp, Rejection> {
    let cell = |i: usize| cells.get(i).map_or("", |c| clean(c));
    parse_row(plan, &cell, line).map(|answers| {
        let Answers { partner: mut p, consent, payment, submitted, warning } = answers;
        p.email = Some(who.address);
        p.first_name = Some(who.first_name);
        if p.last_name.is_none() {
            p.last_name = who.last_from_full;
        }
        let joined = submitted.map_or(plan.today, |t| t.date());
        p.consent = consent.unwrap_or(false);
        p.consent_on = consent.map(|_| joined);
        p.payment_affects_benefits = payment.unwrap_or(false);
        p.joined_on = Some(joined);
        p.source = Some(format!("{}:{line}", plan.source));
        let mark = ImportMark {
            file: plan.source.clone(),
            line: line as i64,
            submitted_at: submitted.map(crate::domain::dates::iso_timestamp),
            hash: row_hash,
        };
        SignUp { partner: p, submission: Submission { consent, payment, submitted }, warning, mark }
    })
}

/// When the row was submitted, if its time can be read (a row whose time cannot be read is
/// rejected later, unless it is someone's forgotten one).
pub fn submitted_at(plan: &Plan, cells: &[&str]) -> Option<NaiveDateTime> {
    let cell = |i: usize| cells.get(i).map_or("", |c| clean(c));
    let text = plan.mapping.columns_for(Field::JoinedOn).map(|(i, _)| cell(i)).find(|v| !v.is_empty())?;
    values::parse_datetime(text, plan.order).ok()
}

/// The first name, from a first-name column or else split from a full name (first word; the
/// rest becomes the last name when there is no last-name column).
fn first_name_of<'c>(
    plan: &Plan,
    cell: &impl Fn(usize) -> &'c str,
    line: u64,
) -> Result<(String, Option<String>), Rejection> {
    let first_column = plan.mapping.columns_for(Field::FirstName).next().map(|(_, c)| c.header.clone());
    for (i, c) in plan.mapping.columns_for(Field::FirstName) {
        match values::name(cell(i)) {
            Ok(Some(n)) => return Ok((n, None)),
            Ok(None) => {}
            Err(why) => return Err(reject(line, &c.header, why)),
        }
    }
    for (i, c) in plan.mapping.columns_for(Field::FullName) {
        match values::name(cell(i)) {
            Ok(Some(n)) => {
                let (first, last) = match n.split_once(char::is_whitespace) {
                    Some((f, l)) => (f.to_string(), Some(l.trim().to_string())),
                    None => (n, None),
                };
                return Ok((first, last));
            }
            Ok(None) => {}
            Err(why) => return Err(reject(line, &c.header, why)),
        }
    }
    let column = first_column
        .or_else(|| plan.mapping.columns_for(Field::FullName).next().map(|(_, c)| c.header.clone()))
        .unwrap_or_default();
    Err(reject(line, &column, "is empty; a first name is required"))
}

/// Reads every mapped field of a row.
fn parse_row<'c>(plan: &Plan, cell: &impl Fn(usize) -> &'c str, line: u64) -> Result<Answers, Rejection> {
    let mapping = &plan.mapping;
    let first_text = |field: Field| -> Option<(&str, &str)> {
        mapping.columns_for(field).find_map(|(i, c)| {
            let v = cell(i);
            (!v.is_empty()).then_some((c.header.as_str(), v))
        })
    };
    let text = |field: Field| first_text(field).map(|(_, v)| v.to_string());
    let checked_name = |field: Field| -> Result<Option<String>, Rejection> {
        match first_text(field) {
            None => Ok(None),
            Some((column, v)) => values::name(v).map_err(|why| reject(line, column, why)),
        }
    };
    let mut p = Partner {
        last_name: checked_name(Field::LastName)?,
        preferred_name: checked_name(Field::PreferredName)?,
        pronouns: checked_name(Field::Pronouns)?,
        postal_code: text(Field::PostalCode),
        region: text(Field::Region),
        health_authority: text(Field::HealthAuthority),
        lived_experience: text(Field::LivedExperience),
        availability: text(Field::Availability),
        accessibility_needs: text(Field::AccessibilityNeeds),
        preferred_contact: text(Field::PreferredContact),
        notes: text(Field::Notes),
        ..Partner::default()
    };
    if let Some((column, v)) = first_text(Field::Phone) {
        p.phone = values::phone(v).map_err(|why| reject(line, column, format!("'{v}' {why}")))?;
    }
    if let Some((column, v)) = first_text(Field::Community) {
        match values::community(v) {
            Some(c) => p.community = Some(c),
            // An answer with no community type of its own is kept as written.
            None => {
                p.extra.insert(column.to_string(), serde_json::Value::String(v.to_string()));
            }
        }
    }
    if let Some((column, v)) = first_text(Field::LanguageOfCorrespondence) {
        match v.parse::<Language>() {
            Ok(l) => p.language = Some(l),
            // An answer that names neither language ("Both", "Bilingual") is kept as written.
            Err(_) => {
                p.extra.insert(column.to_string(), serde_json::Value::String(v.to_string()));
            }
        }
    }
    for field in [Field::Topics, Field::Languages] {
        let mut items: Vec<String> = Vec::new();
        for (i, _) in mapping.columns_for(field) {
            for item in values::split_multi(cell(i)) {
                if !items.iter().any(|x| values::same_text(x, &item)) {
                    items.push(item);
                }
            }
        }
        match field {
            Field::Topics => p.topics = items,
            _ => p.languages = items,
        }
    }
    let yes_no = |field: Field| -> Result<Option<bool>, Rejection> {
        match first_text(field) {
            None => Ok(None),
            Some((column, v)) => values::yes_no(v).map_err(|why| reject(line, column, why)),
        }
    };
    let consent = yes_no(Field::Consent)?;
    let payment = yes_no(Field::PaymentAffectsBenefits)?;
    let mut warning = None;
    let submitted = match first_text(Field::JoinedOn) {
        None => None,
        Some((column, v)) => {
            let when = values::parse_datetime(v, plan.order).map_err(|e| match e {
                DateError::Ambiguous => reject(
                    line,
                    column,
                    format!("'{v}' could be day/month or month/day; pass --date-order dmy or --date-order mdy"),
                ),
                DateError::Invalid(why) => reject(line, column, format!("'{v}' {why}")),
            })?;
            if when.date() > plan.today {
                return Err(reject(line, column, format!("'{v}' is after today")));
            }
            if when.date() < NaiveDate::from_ymd_opt(2000, 1, 1).unwrap_or(NaiveDate::MIN) {
                warning = Some(format!("{column} '{v}' looks like a placeholder date; check it"));
            }
            Some(when)
        }
    };
    for (i, c) in mapping.extra() {
        let v = cell(i);
        if v.is_empty() {
            continue;
        }
        let value = match (p.extra.get(&c.header), &c.option) {
            // SurveyMonkey's unmapped multiple-choice questions: the options chosen, together.
            (Some(serde_json::Value::String(before)), Some(_)) => format!("{before}; {v}"),
            _ => v.to_string(),
        };
        p.extra.insert(c.header.clone(), serde_json::Value::String(value));
    }
    Ok(Answers { partner: p, consent, payment, submitted, warning })
}
