//! The `partner` table.

use super::{list_from_sql, list_to_sql, opt_date};
use crate::domain::dates::iso;
use crate::domain::identity::{fold_name, same_address};
use crate::domain::kinds::{Community, PartnerStatus};
use crate::domain::merge::{self, Submission};
use crate::domain::partner::Partner;
use crate::error::{Error, Result};
use rusqlite::types::{ToSqlOutput, ValueRef};
use rusqlite::{Connection, Row, ToSql, params};

/// The columns [`from_row`] reads, in the order it reads them.
pub const COLUMNS: &str = "id, first_name, last_name, preferred_name, pronouns, email, phone, postal_code, region, \
     community, health_authority, languages, topics, lived_experience, availability, accessibility_needs, \
     preferred_contact, consent, consent_on, payment_affects_benefits, joined_on, source, commitments_signed_on, \
     record_check_on, status, notes, extra";

/// Reads a row selected with [`COLUMNS`], by position: a partner is read for every repeated row
/// of an import, and looking 27 columns up by name cost more than reading them.
pub fn from_row(row: &Row<'_>) -> Result<Partner> {
    let community: Option<String> = row.get(9)?;
    let status: String = row.get(24)?;
    let languages: String = row.get(11)?;
    let topics: String = row.get(12)?;
    let extra: String = row.get(26)?;
    Ok(Partner {
        id: row.get(0)?,
        first_name: row.get(1)?,
        last_name: row.get(2)?,
        preferred_name: row.get(3)?,
        pronouns: row.get(4)?,
        email: row.get(5)?,
        phone: row.get(6)?,
        postal_code: row.get(7)?,
        region: row.get(8)?,
        community: community.map(|c| c.parse::<Community>()).transpose().map_err(Error::Failed)?,
        health_authority: row.get(10)?,
        languages: list_from_sql(&languages)?,
        topics: list_from_sql(&topics)?,
        lived_experience: row.get(13)?,
        availability: row.get(14)?,
        accessibility_needs: row.get(15)?,
        preferred_contact: row.get(16)?,
        consent: row.get(17)?,
        consent_on: opt_date(row.get(18)?)?,
        payment_affects_benefits: row.get(19)?,
        joined_on: opt_date(row.get(20)?)?,
        source: row.get(21)?,
        commitments_signed_on: opt_date(row.get(22)?)?,
        record_check_on: opt_date(row.get(23)?)?,
        status: status.parse::<PartnerStatus>().map_err(Error::Failed)?,
        notes: row.get(25)?,
        extra: serde_json::from_str(&extra).unwrap_or_default(),
    })
}

pub fn find(conn: &Connection, id: i64) -> Result<Option<Partner>> {
    let mut stmt = conn.prepare_cached(&format!("SELECT {COLUMNS} FROM partner WHERE id = ?1"))?;
    let mut rows = stmt.query([id])?;
    match rows.next()? {
        Some(row) => Ok(Some(from_row(row)?)),
        None => Ok(None),
    }
}

/// The partner, or the sentence saying there is none.
pub fn get(conn: &Connection, id: i64) -> Result<Partner> {
    find(conn, id)?
        .ok_or_else(|| Error::NotFound(format!("there is no partner {id}; `engage recruit list` shows the network")))
}

fn opt_iso(d: Option<chrono::NaiveDate>) -> Option<String> {
    d.map(iso)
}

fn extra_to_sql(p: &Partner) -> String {
    serde_json::to_string(&p.extra).unwrap_or_else(|_| "{}".to_string())
}

/// The columns a partner's fields are written to, in the order [`Computed::fields`] gives them.
const FIELDS: [&str; 26] = [
    "first_name",
    "last_name",
    "preferred_name",
    "pronouns",
    "email",
    "phone",
    "postal_code",
    "region",
    "community",
    "health_authority",
    "languages",
    "topics",
    "lived_experience",
    "availability",
    "accessibility_needs",
    "preferred_contact",
    "consent",
    "consent_on",
    "payment_affects_benefits",
    "joined_on",
    "source",
    "commitments_signed_on",
    "record_check_on",
    "status",
    "notes",
    "extra",
];

/// The values of a partner's fields that are not stored as they are held.
struct Computed {
    languages: String,
    topics: String,
    extra: String,
    consent_on: Option<String>,
    joined_on: Option<String>,
    signed_on: Option<String>,
    checked_on: Option<String>,
    community: Option<&'static str>,
    status: &'static str,
}

impl Computed {
    fn of(p: &Partner) -> Computed {
        Computed {
            languages: list_to_sql(&p.languages),
            topics: list_to_sql(&p.topics),
            extra: extra_to_sql(p),
            consent_on: opt_iso(p.consent_on),
            joined_on: opt_iso(p.joined_on),
            signed_on: opt_iso(p.commitments_signed_on),
            checked_on: opt_iso(p.record_check_on),
            community: p.community.map(|c| c.as_str()),
            status: p.status.as_str(),
        }
    }

    /// A partner's fields, in [`FIELDS`] order.
    fn fields<'a>(&'a self, p: &'a Partner) -> [Val<'a>; 26] {
        let text = |s: &'a Option<String>| s.as_deref().map_or(Val::Null, Val::Text);
        [
            text(&p.first_name),
            text(&p.last_name),
            text(&p.preferred_name),
            text(&p.pronouns),
            text(&p.email),
            text(&p.phone),
            text(&p.postal_code),
            text(&p.region),
            self.community.map_or(Val::Null, Val::Text),
            text(&p.health_authority),
            Val::Text(&self.languages),
            Val::Text(&self.topics),
            text(&p.lived_experience),
            text(&p.availability),
            text(&p.accessibility_needs),
            text(&p.preferred_contact),
            Val::Int(p.consent.into()),
            text(&self.consent_on),
            Val::Int(p.payment_affects_benefits.into()),
            text(&self.joined_on),
            text(&p.source),
            text(&self.signed_on),
            text(&self.checked_on),
            Val::Text(self.status),
            text(&p.notes),
            Val::Text(&self.extra),
        ]
    }
}

/// A column value as it is bound: the one shape every field is written in.
#[derive(Debug, Clone, Copy)]
enum Val<'a> {
    Null,
    Int(i64),
    Text(&'a str),
}

impl ToSql for Val<'_> {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        Ok(ToSqlOutput::Borrowed(match *self {
            Val::Null => ValueRef::Null,
            Val::Int(i) => ValueRef::Integer(i),
            Val::Text(t) => ValueRef::Text(t.as_bytes()),
        }))
    }
}

/// `INSERT INTO partner (the fields) VALUES (?1, …)`.
fn insert_sql() -> String {
    let values: Vec<String> = (1..=FIELDS.len()).map(|i| format!("?{i}")).collect();
    format!("INSERT INTO partner ({}) VALUES ({})", FIELDS.join(", "), values.join(", "))
}

/// Inserts a partner; returns the new id.
pub fn insert(conn: &Connection, p: &Partner) -> Result<i64> {
    let computed = Computed::of(p);
    conn.prepare_cached(&insert_sql())?.insert(rusqlite::params_from_iter(computed.fields(p)))?;
    count(conn, p.status.as_str(), &opt_iso(p.joined_on).unwrap_or_default(), 1)?;
    Ok(conn.last_insert_rowid())
}

/// Adds `by` to the partners counted with this status and joining day (`partner_count`).
fn count(conn: &Connection, status: &str, joined_on: &str, by: i64) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO partner_count (status, joined_on, partners) VALUES (?1, ?2, ?3) \
         ON CONFLICT (status, joined_on) DO UPDATE SET partners = partners + excluded.partners",
    )?
    .execute(params![status, joined_on, by])?;
    Ok(())
}

/// Moves a partner's count when their status or joining day (kept as it is when `None`) is about
/// to change.
fn recount(conn: &Connection, id: i64, status: &str, joined_on: Option<&str>) -> Result<()> {
    let (was, joined_was): (String, String) = conn
        .prepare_cached("SELECT status, coalesce(joined_on, '') FROM partner WHERE id = ?1")?
        .query_row([id], |row| Ok((row.get(0)?, row.get(1)?)))?;
    let joined_on = joined_on.unwrap_or(&joined_was);
    if was != status || joined_was != joined_on {
        count(conn, &was, &joined_was, -1)?;
        count(conn, status, joined_on, 1)?;
    }
    Ok(())
}

/// Partners by status and joining day ('' when unknown), counted from the partner table itself.
pub fn counted_afresh(conn: &Connection) -> Result<Vec<(String, String, i64)>> {
    let mut stmt =
        conn.prepare("SELECT status, coalesce(joined_on, ''), count(*) FROM partner GROUP BY 1, 2 ORDER BY 1, 2")?;
    let rows = stmt.query_map([], |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Partners by status and joining day as kept in `partner_count`.
pub fn counted(conn: &Connection) -> Result<Vec<(String, String, i64)>> {
    let mut stmt =
        conn.prepare("SELECT status, joined_on, partners FROM partner_count WHERE partners != 0 ORDER BY 1, 2")?;
    let rows = stmt.query_map([], |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Counts every partner again into `partner_count`.
pub fn recount_all(conn: &Connection) -> Result<()> {
    conn.execute("DELETE FROM partner_count", [])?;
    conn.execute(
        "INSERT INTO partner_count (status, joined_on, partners) \
         SELECT status, coalesce(joined_on, ''), count(*) FROM partner GROUP BY 1, 2",
        [],
    )?;
    Ok(())
}

/// Writes every field of the partner.
pub fn update(conn: &Connection, p: &Partner) -> Result<()> {
    recount(conn, p.id, p.status.as_str(), Some(&opt_iso(p.joined_on).unwrap_or_default()))?;
    let set: Vec<String> = FIELDS.iter().enumerate().map(|(i, c)| format!("{c} = ?{}", i + 2)).collect();
    let mut stmt = conn.prepare_cached(&format!("UPDATE partner SET {} WHERE id = ?1", set.join(", ")))?;
    let computed = Computed::of(p);
    stmt.execute(rusqlite::params_from_iter(std::iter::once(Val::Int(p.id)).chain(computed.fields(p))))?;
    Ok(())
}

/// Erases everything that identifies a partner or was written by or about them; keeps region,
/// community type, when they joined, the rows that count engagements, hours and payments, and the
/// hash of the sign-up row last applied (a number that names nobody), so that the next import of
/// the very same row does not bring them back. Any other row of theirs is kept out by the keyed
/// hash of their identity, which the caller keeps first (`forgotten::remember`).
pub fn forget(conn: &Connection, id: i64) -> Result<()> {
    recount(conn, id, PartnerStatus::Forgotten.as_str(), None)?;
    conn.execute(
        "UPDATE partner SET first_name = NULL, last_name = NULL, preferred_name = NULL, pronouns = NULL, \
         email = NULL, phone = NULL, postal_code = NULL, health_authority = NULL, languages = '[]', topics = '[]', \
         lived_experience = NULL, availability = NULL, accessibility_needs = NULL, preferred_contact = NULL, \
         consent = 0, consent_on = NULL, payment_affects_benefits = 0, source = NULL, \
         commitments_signed_on = NULL, record_check_on = NULL, notes = NULL, extra = '{}', import_file = NULL, \
         import_line = NULL, import_submitted_at = NULL, import_hash = NULL, status = 'forgotten' WHERE id = ?1",
        [id],
    )?;
    conn.execute(
        "UPDATE invitation SET statement = NULL, availability = NULL, conflict = NULL WHERE partner_id = ?1",
        [id],
    )?;
    conn.execute("UPDATE decision SET reason = NULL WHERE partner_id = ?1", [id])?;
    conn.execute("UPDATE checkin SET note = NULL, expense_note = NULL, resolution = NULL WHERE partner_id = ?1", [id])?;
    super::messages::forget(conn, id)?;
    Ok(())
}

pub use crate::domain::merge::ImportMark;

/// A column value held in a buffer: text as the span of its bytes.
#[derive(Debug, Clone, Copy)]
enum Held {
    Null,
    Int(i64),
    Text(u32, u32),
}

/// Appends a value to `text`, returning how it is held there.
fn hold(text: &mut Vec<u8>, value: Val<'_>) -> Held {
    match value {
        Val::Null => Held::Null,
        Val::Int(i) => Held::Int(i),
        Val::Text(t) => {
            let start = text.len() as u32;
            text.extend_from_slice(t.as_bytes());
            Held::Text(start, text.len() as u32)
        }
    }
}

fn held<'a>(text: &'a [u8], value: Held) -> ToSqlOutput<'a> {
    ToSqlOutput::Borrowed(match value {
        Held::Null => ValueRef::Null,
        Held::Int(i) => ValueRef::Integer(i),
        Held::Text(start, end) => ValueRef::Text(&text[start as usize..end as usize]),
    })
}

/// A partner as it will be written: the import makes the column values on its reading thread,
/// laid out in one buffer, so that the writing thread copies one short run of memory per partner
/// rather than gathering a score of strings another thread allocated.
pub struct Ready {
    partner: Partner,
    text: Vec<u8>,
    values: [Held; 26],
}

impl Ready {
    pub fn new(partner: Partner) -> Ready {
        let computed = Computed::of(&partner);
        let mut text = Vec::with_capacity(320);
        let mut values = [Held::Null; 26];
        for (slot, value) in values.iter_mut().zip(computed.fields(&partner)) {
            *slot = hold(&mut text, value);
        }
        Ready { partner, text, values }
    }

    pub fn partner(&self) -> &Partner {
        &self.partner
    }
}

/// Values of one row of [`batch_sql`]: the id, the fields, the import mark.
const WIDTH: usize = 1 + FIELDS.len() + MARKS.len();

/// Inserts the partners an import adds, many to a statement: one INSERT per row paid SQLite's
/// statement overhead for every partner. The import gives the ids itself, counting up from the
/// highest, so a partner's id is known when it is queued; [`Inserter::flush`] must run before
/// anything reads a queued partner back, and [`Inserter::finish`] before the transaction ends. Queued rows are copied
/// into the inserter's own buffer, so the caller may drop (or hand back) what it queued at once.
pub struct Inserter<'c> {
    conn: &'c Connection,
    next_id: i64,
    text: Vec<u8>,
    rows: Vec<[Held; WIDTH]>,
    /// New partners by status and joining day, added to `partner_count` at the end.
    counts: std::collections::HashMap<(&'static str, String), i64>,
    /// The statements for a full batch and for one row, held for the whole import (returning a
    /// statement of two thousand values to the cache clears them all each time).
    full: rusqlite::Statement<'c>,
    one: rusqlite::Statement<'c>,
}

/// Partners written by one statement: 64 rows of 31 values stay well under SQLite's limit.
const BATCH: usize = 64;
const MARKS: [&str; 4] = ["import_file", "import_line", "import_submitted_at", "import_hash"];

impl<'c> Inserter<'c> {
    pub fn new(conn: &'c Connection) -> Result<Inserter<'c>> {
        let next_id: i64 = conn.query_row("SELECT coalesce(max(id), 0) + 1 FROM partner", [], |r| r.get(0))?;
        Ok(Inserter {
            conn,
            next_id,
            text: Vec::with_capacity(BATCH * 400),
            rows: Vec::with_capacity(BATCH),
            counts: std::collections::HashMap::new(),
            full: conn.prepare(&batch_sql(BATCH))?,
            one: conn.prepare(&batch_sql(1))?,
        })
    }

    /// Queues a partner with the mark of the row it came from; returns the id it will have.
    pub fn insert(&mut self, ready: &Ready, mark: &ImportMark) -> Result<i64> {
        let id = self.next_id;
        self.next_id += 1;
        let joined_on = opt_iso(ready.partner.joined_on).unwrap_or_default();
        *self.counts.entry((ready.partner.status.as_str(), joined_on)).or_default() += 1;
        let base = self.text.len() as u32;
        self.text.extend_from_slice(&ready.text);
        let mut row = [Held::Null; WIDTH];
        row[0] = Held::Int(id);
        for (slot, value) in row[1..].iter_mut().zip(ready.values) {
            *slot = match value {
                Held::Text(start, end) => Held::Text(base + start, base + end),
                other => other,
            };
        }
        let marks = [
            Val::Text(&mark.file),
            Val::Int(mark.line),
            mark.submitted_at.as_deref().map_or(Val::Null, Val::Text),
            Val::Int(mark.hash as i64),
        ];
        for (slot, value) in row[1 + FIELDS.len()..].iter_mut().zip(marks) {
            *slot = hold(&mut self.text, value);
        }
        self.rows.push(row);
        if self.rows.len() == BATCH {
            self.flush()?;
        }
        Ok(id)
    }

    /// Writes what is still queued and ends the inserter: the one way to be done with it, so that
    /// no queued partner is left unwritten when the transaction commits.
    pub fn finish(mut self) -> Result<()> {
        self.flush()?;
        let conn = self.conn;
        for ((status, joined_on), n) in &self.counts {
            count(conn, status, joined_on, *n)?;
        }
        Ok(())
    }

    /// Writes the queued partners: a full batch in one statement, what is left (before a merge,
    /// or at the end) row by row, so that only two statements are ever prepared.
    pub fn flush(&mut self) -> Result<()> {
        let text = self.text.as_slice();
        if self.rows.len() == BATCH {
            let values = self.rows.iter().flatten().map(|&v| held(text, v));
            self.full.execute(rusqlite::params_from_iter(values))?;
        } else {
            for row in &self.rows {
                self.one.execute(rusqlite::params_from_iter(row.iter().map(|&v| held(text, v))))?;
            }
        }
        self.rows.clear();
        self.text.clear();
        Ok(())
    }
}

/// The INSERT of `n` partners.
fn batch_sql(n: usize) -> String {
    let columns: Vec<&str> = std::iter::once("id").chain(FIELDS).chain(MARKS).collect();
    let placeholders = |width: usize| {
        (0..n)
            .map(|r| {
                let row: Vec<String> = (1..=width).map(|c| format!("?{}", r * width + c)).collect();
                format!("({})", row.join(", "))
            })
            .collect::<Vec<_>>()
            .join(", ")
    };
    format!("INSERT INTO partner ({}) VALUES {}", columns.join(", "), placeholders(columns.len()))
}

/// The import mark of a partner, if an import ever touched them.
pub fn import_mark(conn: &Connection, id: i64) -> Result<Option<ImportMark>> {
    let row = conn
        .prepare_cached("SELECT import_file, import_line, import_submitted_at, import_hash FROM partner WHERE id = ?1")?
        .query_row([id], |r| {
            Ok((
                r.get::<_, Option<String>>(0)?,
                r.get::<_, Option<i64>>(1)?,
                r.get::<_, Option<String>>(2)?,
                r.get::<_, Option<i64>>(3)?,
            ))
        })?;
    Ok(match row {
        (Some(file), Some(line), submitted_at, Some(hash)) => {
            Some(ImportMark { file, line, submitted_at, hash: hash as u64 })
        }
        _ => None,
    })
}

pub fn set_import_mark(conn: &Connection, id: i64, mark: &ImportMark) -> Result<()> {
    conn.prepare_cached(
        "UPDATE partner SET import_file = ?2, import_line = ?3, import_submitted_at = ?4, import_hash = ?5 WHERE id = ?1",
    )?
    .execute(params![id, mark.file, mark.line, mark.submitted_at, mark.hash as i64])?;
    Ok(())
}

/// Calls `each(id, email, first_name, import_hash)` for every partner, by id; a forgotten partner
/// has no e-mail.
pub fn each_identity(
    conn: &Connection,
    mut each: impl FnMut(i64, Option<&str>, &str, Option<i64>) -> Result<()>,
) -> Result<()> {
    // Every partner with an address, and the forgotten ones with the hash of their last sign-up row
    // (see `forget`).
    let mut stmt = conn.prepare(
        "SELECT id, CASE WHEN status = 'forgotten' THEN NULL ELSE email END, coalesce(first_name, ''), import_hash \
         FROM partner WHERE email IS NOT NULL OR import_hash IS NOT NULL",
    )?;
    let mut rows = stmt.query([])?;
    while let Some(row) = rows.next()? {
        let email: Option<String> = row.get(1)?;
        let first: String = row.get(2)?;
        each(row.get(0)?, email.as_deref(), &first, row.get(3)?)?;
    }
    Ok(())
}

/// Calls `each` for every partner in `status` (every one but the forgotten when `None`), by id.
pub fn each_listed(
    conn: &Connection,
    status: Option<PartnerStatus>,
    mut each: impl FnMut(Partner) -> Result<()>,
) -> Result<()> {
    let mut stmt = conn.prepare(&format!(
        "SELECT {COLUMNS} FROM partner WHERE (?1 IS NULL AND status != 'forgotten') OR status = ?1 ORDER BY id"
    ))?;
    let mut rows = stmt.query([status.map(|s| s.as_str())])?;
    while let Some(row) = rows.next()? {
        each(from_row(row)?)?;
    }
    Ok(())
}

/// Partners already in the network with this e-mail, as identity compares addresses
/// (`sam@bücher.example` is `sam@xn--bcher-kva.example`), as (id, folded first name, name).
pub fn sharing_email(conn: &Connection, email: &str) -> Result<Vec<(i64, String, String)>> {
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
    let mut stmt =
        conn.prepare_cached(&format!("SELECT {COLUMNS} FROM partner WHERE email LIKE ?1 ESCAPE '\\' ORDER BY id"))?;
    let mut rows = stmt.query([pattern])?;
    let mut out = Vec::new();
    while let Some(row) = rows.next()? {
        let p = from_row(row)?;
        if p.email.as_deref().is_some_and(|e| same_address(e, email)) {
            out.push((p.id, fold_name(p.first_name.as_deref().unwrap_or("")), p.name()));
        }
    }
    Ok(out)
}

/// Merges a sign-up row into partner `id` by the merge rule ([`merge::merge`]: a newer row
/// refreshes, an older one fills blanks) and keeps the row's mark when it is the newest applied.
/// Returns whether the partner changed.
pub fn merge_into(
    conn: &Connection,
    id: i64,
    row: &Partner,
    submission: &Submission,
    mark: &ImportMark,
    today: chrono::NaiveDate,
) -> Result<bool> {
    let before = get(conn, id)?;
    let last = import_mark(conn, id)?;
    let refresh = !merge::is_older(mark, last.as_ref());
    let p = merge::merge(&before, row, submission, refresh, today);
    let changed = p != before;
    if changed {
        update(conn, &p)?;
    }
    if refresh && last.as_ref() != Some(mark) {
        set_import_mark(conn, id, mark)?;
    }
    Ok(changed)
}
