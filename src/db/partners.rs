//! The `partner` table.

use super::sql::{Dialect, Param, Reader, Row, ToSql, Touch, Tx, Value, ValueRef};
use super::sqlite::bulk::{Held, hold};
use super::{pg, sqlite};
use crate::domain::identity::{fold_name, same_address};
use crate::domain::kinds::PartnerStatus;
use crate::domain::merge::{self, Submission};
use crate::domain::partner::Partner;
use crate::error::{Error, Result};
use chrono::NaiveDate;
use std::collections::HashMap;

/// The columns [`from_row`] reads.
pub const COLUMNS: &str = "id, first_name, last_name, preferred_name, pronouns, email, phone, postal_code, region, \
     community, health_authority, languages, language, topics, lived_experience, availability, accessibility_needs, \
     preferred_contact, consent, consent_on, payment_affects_benefits, joined_on, source, commitments_signed_on, \
     record_check_on, status, notes, extra";

/// Reads a row selected with [`COLUMNS`].
pub fn from_row(row: &Row<'_>) -> Result<Partner> {
    let extra: String = row.get("extra")?;
    Ok(Partner {
        id: row.get("id")?,
        first_name: row.get("first_name")?,
        last_name: row.get("last_name")?,
        preferred_name: row.get("preferred_name")?,
        pronouns: row.get("pronouns")?,
        email: row.get("email")?,
        phone: row.get("phone")?,
        postal_code: row.get("postal_code")?,
        region: row.get("region")?,
        community: row.get("community")?,
        health_authority: row.get("health_authority")?,
        languages: row.get("languages")?,
        language: row.get("language")?,
        topics: row.get("topics")?,
        lived_experience: row.get("lived_experience")?,
        availability: row.get("availability")?,
        accessibility_needs: row.get("accessibility_needs")?,
        preferred_contact: row.get("preferred_contact")?,
        consent: row.get("consent")?,
        consent_on: row.get("consent_on")?,
        payment_affects_benefits: row.get("payment_affects_benefits")?,
        joined_on: row.get("joined_on")?,
        source: row.get("source")?,
        commitments_signed_on: row.get("commitments_signed_on")?,
        record_check_on: row.get("record_check_on")?,
        status: row.get("status")?,
        notes: row.get("notes")?,
        // Answers engage only keeps: an object it cannot read is kept as none rather than refused.
        extra: serde_json::from_str(&extra).unwrap_or_default(),
    })
}

/// The columns of a partner an invitation needs: who they are called and how they are reached,
/// and the languages they speak (for `--language`).
pub const CONTACT_COLUMNS: &str =
    "id, first_name, last_name, preferred_name, email, phone, preferred_contact, languages, language, status, consent";

/// Reads a row selected with [`CONTACT_COLUMNS`]: the rest of the partner is left empty.
pub fn contact_from_row(row: &Row<'_>) -> Result<Partner> {
    Ok(Partner {
        id: row.get("id")?,
        first_name: row.get("first_name")?,
        last_name: row.get("last_name")?,
        preferred_name: row.get("preferred_name")?,
        email: row.get("email")?,
        phone: row.get("phone")?,
        preferred_contact: row.get("preferred_contact")?,
        languages: row.get("languages")?,
        language: row.get("language")?,
        status: row.get("status")?,
        consent: row.get("consent")?,
        ..Partner::default()
    })
}

/// A partner's name as messages show it, from the three columns of `row` that hold their first,
/// last and preferred names.
pub fn name_in(row: &Row<'_>, id: i64, [first, last, preferred]: [&str; 3]) -> Result<String> {
    // Read in place (a report names hundreds of thousands of partners): one allocation, the name.
    let text = |column: &str| -> Result<Option<&str>> {
        match row.value(column)? {
            ValueRef::Null => Ok(None),
            ValueRef::Text(t) => Ok(Some(t)),
            other => Err(super::sql::damaged(column, other, "text")),
        }
    };
    Ok(crate::domain::partner::display_name(id, text(first)?, text(last)?, text(preferred)?))
}

pub fn find(conn: &Reader, id: i64) -> Result<Option<Partner>> {
    conn.query_opt(&format!("SELECT {COLUMNS} FROM partner WHERE id = ?1"), &[&id], from_row)
}

/// The partner, or the sentence saying there is none.
pub fn get(conn: &Reader, id: i64) -> Result<Partner> {
    find(conn, id)?
        .ok_or_else(|| Error::NotFound(format!("there is no partner {id}; `engage recruit list` shows the network")))
}

/// The columns a partner's fields are written to, in the order [`Computed::fields`] gives them.
const FIELDS: [&str; 27] = [
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
    "language",
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

/// The values of a partner's fields that are not stored as they are held (made once, then
/// borrowed by every column that needs them).
struct Computed {
    languages: String,
    topics: String,
    extra: String,
    days: [Option<String>; 4],
}

/// The text of a value as it is stored (a list's JSON, a day's ISO text).
fn made(value: &dyn ToSql) -> Option<String> {
    match value.to_sql() {
        Param::Owned(Value::Text(text)) => Some(text),
        Param::Borrowed(ValueRef::Text(text)) => Some(text.to_string()),
        _ => None,
    }
}

impl Computed {
    fn of(p: &Partner) -> Computed {
        let days = [p.consent_on, p.joined_on, p.commitments_signed_on, p.record_check_on];
        Computed {
            languages: made(&p.languages).unwrap_or_default(),
            topics: made(&p.topics).unwrap_or_default(),
            extra: made(&p.extra).unwrap_or_default(),
            days: days.map(|day| day.and_then(|d| made(&d))),
        }
    }

    /// A partner's fields, in [`FIELDS`] order.
    fn fields<'a>(&'a self, p: &'a Partner) -> [ValueRef<'a>; 27] {
        let text = |s: &'a Option<String>| s.as_deref().map_or(ValueRef::Null, ValueRef::Text);
        let [consent_on, joined_on, signed_on, checked_on] = &self.days;
        [
            text(&p.first_name),
            text(&p.last_name),
            text(&p.preferred_name),
            text(&p.pronouns),
            text(&p.email),
            text(&p.phone),
            text(&p.postal_code),
            text(&p.region),
            p.community.map_or(ValueRef::Null, |c| ValueRef::Text(c.as_str())),
            text(&p.health_authority),
            ValueRef::Text(&self.languages),
            p.language.map_or(ValueRef::Null, |l| ValueRef::Text(l.code())),
            ValueRef::Text(&self.topics),
            text(&p.lived_experience),
            text(&p.availability),
            text(&p.accessibility_needs),
            text(&p.preferred_contact),
            ValueRef::Integer(p.consent.into()),
            text(consent_on),
            ValueRef::Integer(p.payment_affects_benefits.into()),
            text(joined_on),
            text(&p.source),
            text(signed_on),
            text(checked_on),
            ValueRef::Text(p.status.as_str()),
            text(&p.notes),
            ValueRef::Text(&self.extra),
        ]
    }
}

/// Inserts a partner; returns the new id.
pub fn insert(tx: &Tx<'_>, p: &Partner) -> Result<i64> {
    let computed = Computed::of(p);
    let values = computed.fields(p);
    let params: Vec<&dyn ToSql> = values.iter().map(|v| v as &dyn ToSql).collect();
    let placeholders: Vec<String> = (1..=FIELDS.len()).map(|i| format!("?{i}")).collect();
    let id = tx.query_row(
        &format!("INSERT INTO partner ({}) VALUES ({}) RETURNING id", FIELDS.join(", "), placeholders.join(", ")),
        &params,
        |row| row.get("id"),
    )?;
    tx.touched(Touch::Unindexed(id));
    tx.touched(Touch::Counted { status: p.status, joined_on: p.joined_on, by: 1 });
    Ok(id)
}

/// Notes that a partner's details are about to change, and, when their status or joining day
/// (kept as it is when `None`) changes, that the network's counts move with them.
fn touch(tx: &Tx<'_>, id: i64, status: PartnerStatus, joined_on: Option<Option<NaiveDate>>) -> Result<()> {
    let (was, joined_was): (PartnerStatus, Option<NaiveDate>) =
        tx.query_row("SELECT status, joined_on FROM partner WHERE id = ?1", &[&id], |row| {
            Ok((row.get("status")?, row.get("joined_on")?))
        })?;
    let joined_on = joined_on.unwrap_or(joined_was);
    if was != status || joined_was != joined_on {
        tx.touched(Touch::Counted { status: was, joined_on: joined_was, by: -1 });
        tx.touched(Touch::Counted { status, joined_on, by: 1 });
    }
    tx.touched(Touch::Partner(id));
    Ok(())
}

/// Writes every field of the partner.
pub fn update(tx: &Tx<'_>, p: &Partner) -> Result<()> {
    touch(tx, p.id, p.status, Some(p.joined_on))?;
    let set: Vec<String> = FIELDS.iter().enumerate().map(|(i, c)| format!("{c} = ?{}", i + 2)).collect();
    let computed = Computed::of(p);
    let values = computed.fields(p);
    let params: Vec<&dyn ToSql> = std::iter::once(&p.id as &dyn ToSql).chain(values.iter().map(|v| v as _)).collect();
    // The search index follows only a change of what it holds (a new status, commitments or
    // record check leaves it as it is: taking a partner out of it costs a tenth of a second on a
    // network of a million).
    if tx.dialect().has_search_index() && !tx.is_unindexed(p.id) && searched_differ(&get(tx, p.id)?, p) {
        unindex(tx, p.id)?;
    }
    tx.execute(&format!("UPDATE partner SET {} WHERE id = ?1", set.join(", ")), &params)?;
    Ok(())
}

/// Partners by status and joining day ('' when unknown), counted from the partner table itself.
pub fn counted_afresh(conn: &Reader) -> Result<Vec<(String, String, i64)>> {
    conn.query_map(
        "SELECT status, coalesce(joined_on, '') AS joined_on, count(*) AS partners FROM partner \
         GROUP BY status, coalesce(joined_on, '') ORDER BY status, joined_on",
        &[],
        |row| Ok((row.get("status")?, row.get("joined_on")?, row.get("partners")?)),
    )
}

/// Partners by status and joining day as kept in `partner_count`.
pub fn counted(conn: &Reader) -> Result<Vec<(String, String, i64)>> {
    conn.query_map(
        "SELECT status, joined_on, partners FROM partner_count WHERE partners != 0 ORDER BY status, joined_on",
        &[],
        |row| Ok((row.get("status")?, row.get("joined_on")?, row.get("partners")?)),
    )
}

/// Moves the partners counted with this status and joining day by `by` (`partner_count`): what
/// the write path does with the counts a transaction noted ([`Touch::Counted`]).
pub fn count(tx: &Tx<'_>, status: PartnerStatus, joined_on: Option<NaiveDate>, by: i64) -> Result<()> {
    let joined_on = joined_on.map(crate::domain::dates::iso).unwrap_or_default();
    tx.execute(
        "INSERT INTO partner_count (status, joined_on, partners) VALUES (?1, ?2, ?3) \
         ON CONFLICT (status, joined_on) DO UPDATE SET partners = partner_count.partners + excluded.partners",
        &[&status, &joined_on, &by],
    )?;
    tx.execute(
        "DELETE FROM partner_count WHERE status = ?1 AND joined_on = ?2 AND partners = 0",
        &[&status, &joined_on],
    )?;
    Ok(())
}

/// Counts every partner again into `partner_count`.
pub fn recount_all(tx: &Tx<'_>) -> Result<()> {
    tx.execute("DELETE FROM partner_count", &[])?;
    tx.execute(
        "INSERT INTO partner_count (status, joined_on, partners) \
         SELECT status, coalesce(joined_on, ''), count(*) FROM partner GROUP BY status, coalesce(joined_on, '')",
        &[],
    )?;
    Ok(())
}

/// Erases everything that identifies a partner or was written by or about them; keeps region,
/// community type, when they joined, the rows that count engagements, hours and payments, and the
/// hash of the sign-up row last applied (a number that names nobody), so that the next import of
/// the very same row does not bring them back. Any other row of theirs is kept out by the keyed
/// hash of their identity, which the caller keeps first (`forgotten::remember`).
pub fn forget(tx: &Tx<'_>, id: i64) -> Result<()> {
    touch(tx, id, PartnerStatus::Forgotten, None)?;
    unindex(tx, id)?;
    tx.execute(
        "UPDATE partner SET first_name = NULL, last_name = NULL, preferred_name = NULL, pronouns = NULL, \
         email = NULL, phone = NULL, postal_code = NULL, health_authority = NULL, languages = '[]', language = NULL, topics = '[]', \
         lived_experience = NULL, availability = NULL, accessibility_needs = NULL, preferred_contact = NULL, \
         consent = 0, consent_on = NULL, payment_affects_benefits = 0, source = NULL, \
         commitments_signed_on = NULL, record_check_on = NULL, notes = NULL, extra = '{}', import_file = NULL, \
         import_line = NULL, import_submitted_at = NULL, import_hash = NULL, status = 'forgotten' WHERE id = ?1",
        &[&id],
    )?;
    tx.execute(
        "UPDATE invitation SET statement = NULL, availability = NULL, conflict = NULL WHERE partner_id = ?1",
        &[&id],
    )?;
    tx.execute("UPDATE decision SET reason = NULL WHERE partner_id = ?1", &[&id])?;
    tx.execute("UPDATE checkin SET note = NULL, expense_note = NULL, resolution = NULL WHERE partner_id = ?1", &[&id])?;
    super::messages::forget(tx, id)?;
    Ok(())
}

pub use crate::domain::merge::ImportMark;

/// A partner as it will be written: the import makes the column values on its reading thread,
/// laid out in one buffer, so that the writing thread copies one short run of memory per partner
/// rather than gathering a score of strings another thread allocated.
pub struct Ready {
    partner: Partner,
    text: Vec<u8>,
    values: [Held; 27],
}

impl Ready {
    pub fn new(partner: Partner) -> Ready {
        let computed = Computed::of(&partner);
        let mut text = Vec::with_capacity(320);
        let mut values = [Held::Null; 27];
        for (slot, value) in values.iter_mut().zip(computed.fields(&partner)) {
            *slot = hold(&mut text, value);
        }
        Ready { partner, text, values }
    }

    pub fn partner(&self) -> &Partner {
        &self.partner
    }
}

const MARKS: [&str; 4] = ["import_file", "import_line", "import_submitted_at", "import_hash"];

/// Inserts the partners an import adds, many to a statement ([`Bulk`]): a partner's id is known
/// when it is queued; [`Inserter::flush`] must run before anything reads a queued partner back,
/// and [`Inserter::finish`] before the transaction ends. Queued rows are copied into the
/// inserter's own buffer, so the caller may drop (or hand back) what it queued at once.
pub struct Inserter<'c> {
    tx: &'c Tx<'c>,
    bulk: Bulk<'c>,
    /// New partners by status and joining day, noted for `partner_count` at the end.
    counts: HashMap<(PartnerStatus, Option<NaiveDate>), i64>,
}

impl<'c> Inserter<'c> {
    pub fn new(tx: &'c Tx<'c>) -> Result<Inserter<'c>> {
        let columns: Vec<&str> = FIELDS.iter().chain(&MARKS).copied().collect();
        let bulk = match tx.dialect() {
            Dialect::Sqlite => Bulk::File(sqlite::bulk::Bulk::new(tx, "partner", &columns)?),
            Dialect::Server => Bulk::Server(pg::bulk::Bulk::new(tx, "partner", &columns)?),
        };
        Ok(Inserter { tx, bulk, counts: HashMap::new() })
    }

    /// Queues a partner with the mark of the row it came from; returns the id it will have.
    pub fn insert(&mut self, ready: &Ready, mark: &ImportMark) -> Result<i64> {
        *self.counts.entry((ready.partner.status, ready.partner.joined_on)).or_default() += 1;
        let marks = [
            ValueRef::Text(&mark.file),
            ValueRef::Integer(mark.line),
            mark.submitted_at.as_deref().map_or(ValueRef::Null, ValueRef::Text),
            ValueRef::Integer(mark.hash as i64),
        ];
        let id = match &mut self.bulk {
            Bulk::File(bulk) => bulk.push(&ready.text, &ready.values, &marks),
            Bulk::Server(bulk) => bulk.push(&ready.text, &ready.values, &marks),
        }?;
        self.tx.touched(Touch::Unindexed(id));
        Ok(id)
    }

    /// Writes the queued partners.
    pub fn flush(&mut self) -> Result<()> {
        match &mut self.bulk {
            Bulk::File(bulk) => bulk.flush(),
            Bulk::Server(bulk) => bulk.flush(),
        }
    }

    /// Writes what is still queued and ends the inserter: the one way to be done with it, so that
    /// no queued partner is left unwritten when the transaction commits.
    pub fn finish(self) -> Result<()> {
        match self.bulk {
            Bulk::File(bulk) => bulk.finish()?,
            Bulk::Server(bulk) => bulk.finish()?,
        }
        for ((status, joined_on), by) in self.counts {
            self.tx.touched(Touch::Counted { status, joined_on, by });
        }
        Ok(())
    }
}

/// The bulk path of the backend the import writes to.
enum Bulk<'c> {
    File(sqlite::bulk::Bulk<'c>),
    Server(pg::bulk::Bulk<'c>),
}

/// The import mark of a partner, if an import ever touched them.
pub fn import_mark(conn: &Reader, id: i64) -> Result<Option<ImportMark>> {
    conn.query_row(
        "SELECT import_file, import_line, import_submitted_at, import_hash FROM partner WHERE id = ?1",
        &[&id],
        |row| {
            let file: Option<String> = row.get("import_file")?;
            let line: Option<i64> = row.get("import_line")?;
            let submitted_at: Option<String> = row.get("import_submitted_at")?;
            let hash: Option<i64> = row.get("import_hash")?;
            Ok(match (file, line, hash) {
                (Some(file), Some(line), Some(hash)) => {
                    Some(ImportMark { file, line, submitted_at, hash: hash as u64 })
                }
                _ => None,
            })
        },
    )
}

pub fn set_import_mark(tx: &Tx<'_>, id: i64, mark: &ImportMark) -> Result<()> {
    tx.execute(
        "UPDATE partner SET import_file = ?2, import_line = ?3, import_submitted_at = ?4, import_hash = ?5 WHERE id = ?1",
        &[&id, &mark.file, &mark.line, &mark.submitted_at, &(mark.hash as i64)],
    )?;
    Ok(())
}

/// Calls `each(id, email, first_name, import_hash)` for every partner, by id; a forgotten partner
/// has no e-mail.
pub fn each_identity(
    conn: &Reader,
    mut each: impl FnMut(i64, Option<&str>, &str, Option<i64>) -> Result<()>,
) -> Result<()> {
    // Every partner with an address, and the forgotten ones with the hash of their last sign-up row
    // (see `forget`). `each` only builds the import's index: the rows may come as they are read.
    conn.each_streamed(
        "SELECT id, CASE WHEN status = 'forgotten' THEN NULL ELSE email END AS email, \
         coalesce(first_name, '') AS first_name, import_hash \
         FROM partner WHERE email IS NOT NULL OR import_hash IS NOT NULL",
        &[],
        |row| {
            let email = match row.value("email")? {
                ValueRef::Text(text) => Some(text),
                _ => None,
            };
            let first = match row.value("first_name")? {
                ValueRef::Text(text) => text,
                _ => "",
            };
            each(row.get("id")?, email, first, row.get("import_hash")?)
        },
    )
}

/// Calls `each` for every partner in `status` (every one but the forgotten when `None`), by id.
pub fn each_listed(
    conn: &Reader,
    status: Option<PartnerStatus>,
    each: impl FnMut(Partner) -> Result<()>,
) -> Result<()> {
    each_holding(conn, status, None, each)
}

/// Calls `each` for every partner in `status` (every one but the forgotten when `None`) holding
/// `text` (any case) in their names, e-mail, region, a topic, a language, lived experience,
/// accessibility needs or notes, by id. The search index narrows the partners read
/// ([`crate::db::sql::Dialect::partner_search`]); each one read is checked here, so what is
/// found is the same with or without the index.
fn each_holding(
    conn: &Reader,
    status: Option<PartnerStatus>,
    text: Option<&str>,
    mut each: impl FnMut(Partner) -> Result<()>,
) -> Result<()> {
    let needle = text.map(str::to_lowercase);
    let status_is = "((CAST(?1 AS TEXT) IS NULL AND status != 'forgotten') OR status = ?1)";
    let checked = |row: &Row<'_>| {
        let p = from_row(row)?;
        if needle.as_deref().is_none_or(|n| holds(&p, n)) { each(p) } else { Ok(()) }
    };
    match text.and_then(|t| conn.dialect().partner_search(t, 2)) {
        Some((narrowed, query)) => conn.each(
            &format!("SELECT {COLUMNS} FROM partner WHERE {status_is} AND {narrowed} ORDER BY id"),
            &[&status, &query],
            checked,
        ),
        None => conn.each(&format!("SELECT {COLUMNS} FROM partner WHERE {status_is} ORDER BY id"), &[&status], checked),
    }
}

/// The columns of the search index, in its order (migrations/partner_search.sql).
const SEARCHED: &str = "first_name, last_name, preferred_name, email, region, topics, languages, lived_experience, accessibility_needs, notes";

/// Takes partner `id` out of the search index, as the partner table holds them now, until the
/// transaction ends ([`index_unindexed`] puts them back as they are then): before any write that
/// changes their searchable columns (an external-content index removes an entry by the values it
/// was made from). A partner already out (new in this transaction, or taken out before) is left.
fn unindex(tx: &Tx<'_>, id: i64) -> Result<()> {
    if !tx.dialect().has_search_index() || tx.is_unindexed(id) {
        return Ok(());
    }
    tx.execute(
        &format!(
            "INSERT INTO partner_search (partner_search, rowid, {SEARCHED}) SELECT 'delete', id, {SEARCHED} \
             FROM partner WHERE id = ?1"
        ),
        &[&id],
    )?;
    tx.touched(Touch::Unindexed(id));
    Ok(())
}

/// Puts the partners the transaction took out of the search index, or added, into it as the
/// partner table holds them now: one statement for the run of ids an import inserted, one for the
/// others. `Db::write` calls it (by [`crate::db::derived::refresh`]) before it commits.
pub fn index_unindexed(tx: &Tx<'_>, run: Option<(i64, i64)>, others: &std::collections::BTreeSet<i64>) -> Result<()> {
    if !tx.dialect().has_search_index() {
        return Ok(());
    }
    let insert = format!("INSERT INTO partner_search (rowid, {SEARCHED}) SELECT id, {SEARCHED} FROM partner WHERE ");
    if let Some((first, last)) = run {
        tx.execute(&format!("{insert} id BETWEEN ?1 AND ?2"), &[&first, &last])?;
    }
    if !others.is_empty() {
        let ids: Vec<i64> = others.iter().copied().collect();
        let ids = super::sql::Json(&ids[..]);
        tx.execute(&format!("{insert} {}", tx.dialect().in_ids("id", 1)), &[&ids])?;
    }
    Ok(())
}

/// Whether two versions of a partner differ in what the search index holds ([`SEARCHED`]).
fn searched_differ(a: &Partner, b: &Partner) -> bool {
    (&a.first_name, &a.last_name, &a.preferred_name, &a.email, &a.region)
        != (&b.first_name, &b.last_name, &b.preferred_name, &b.email, &b.region)
        || (&a.topics, &a.languages, &a.lived_experience, &a.accessibility_needs, &a.notes)
            != (&b.topics, &b.languages, &b.lived_experience, &b.accessibility_needs, &b.notes)
}

/// The search index made again from the partner table (`db check --repair`, a copy).
pub fn reindex_all(tx: &Tx<'_>) -> Result<()> {
    if tx.dialect().has_search_index() {
        tx.execute("INSERT INTO partner_search (partner_search) VALUES ('rebuild')", &[])?;
    }
    Ok(())
}

/// Where the search index differs from the partner table (FTS5's own integrity check against
/// its content table), for `db check`.
pub fn search_index_differs(conn: &Reader) -> Result<Option<String>> {
    if !conn.dialect().has_search_index() {
        return Ok(None);
    }
    match conn.sqlite()?.execute("INSERT INTO partner_search (partner_search, rank) VALUES ('integrity-check', 1)", [])
    {
        Ok(_) => Ok(None),
        Err(rusqlite::Error::SqliteFailure(e, _)) if e.code == rusqlite::ErrorCode::DatabaseCorrupt => {
            Ok(Some("search index: it differs from the partner table".to_string()))
        }
        Err(e) => Err(e.into()),
    }
}

/// Whether the partner holds `needle` (lower case) in a searchable field.
fn holds(p: &Partner, needle: &str) -> bool {
    let has = |field: &str| field.to_lowercase().contains(needle);
    [
        &p.first_name,
        &p.last_name,
        &p.preferred_name,
        &p.email,
        &p.region,
        &p.lived_experience,
        &p.accessibility_needs,
        &p.notes,
    ]
    .iter()
    .any(|field| field.as_deref().is_some_and(has))
        || p.topics.iter().chain(&p.languages).any(|x| has(x))
}

/// What `recruit list` looks for; every text is found without regard to case.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Search {
    /// Partners in this status (every one but the forgotten when `None`).
    pub status: Option<PartnerStatus>,
    /// A topic of interest containing this.
    pub topic: Option<String>,
    /// A region containing this.
    pub region: Option<String>,
    /// A language they speak ([`Partner::speaks`]).
    pub language: Option<String>,
    /// This text in their names, e-mail, region, topics, languages, lived experience,
    /// accessibility needs or notes.
    pub text: Option<String>,
}

/// Calls `each` for every partner `search` finds, by id: the one place the network is searched.
pub fn each_found(conn: &Reader, search: &Search, mut each: impl FnMut(Partner) -> Result<()>) -> Result<()> {
    let lower = |s: &Option<String>| s.as_ref().map(|s| s.to_lowercase());
    let (topic, region) = (lower(&search.topic), lower(&search.region));
    let contains = |hay: &Option<String>, needle: &str| hay.as_ref().is_some_and(|h| h.to_lowercase().contains(needle));
    let in_list = |list: &[String], needle: &str| list.iter().any(|x| x.to_lowercase().contains(needle));
    each_holding(conn, search.status, search.text.as_deref(), |p| {
        if topic.as_deref().is_some_and(|t| !in_list(&p.topics, t)) {
            return Ok(());
        }
        if region.as_deref().is_some_and(|r| !contains(&p.region, r)) {
            return Ok(());
        }
        if search.language.as_deref().is_some_and(|l| !p.speaks(l)) {
            return Ok(());
        }
        each(p)
    })
}

/// Partners already in the network with this e-mail, as identity compares addresses
/// (`sam@bücher.example` is `sam@xn--bcher-kva.example`), as (id, folded first name, name).
pub fn sharing_email(conn: &Reader, email: &str) -> Result<Vec<(i64, String, String)>> {
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
    conn.each(
        &format!(
            "SELECT {COLUMNS} FROM partner WHERE email {} ?1 ESCAPE '\\' ORDER BY id",
            conn.dialect().like_any_case()
        ),
        &[&pattern],
        |row| {
            let p = from_row(row)?;
            if p.email.as_deref().is_some_and(|e| same_address(e, email)) {
                out.push((p.id, fold_name(p.first_name.as_deref().unwrap_or("")), p.name()));
            }
            Ok(())
        },
    )?;
    Ok(out)
}

/// Merges a sign-up row into partner `id` by the merge rule ([`merge::merge`]: a newer row
/// refreshes, an older one fills blanks) and keeps the row's mark when it is the newest applied.
/// Returns whether the partner changed.
pub fn merge_into(
    conn: &Tx<'_>,
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
