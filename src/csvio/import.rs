//! `engage recruit import FILE`: a sign-up form's export into the network, in one transaction.
//!
//! The work is arranged so that the database is asked as little as possible:
//! 1. Before the database is opened, the file is checked and planned: its encoding (a BOM, a
//!    binary or UTF-16 file is refused), its delimiter, its header rows and what each column
//!    holds, and the order of its dates (read until a day above 12 proves it).
//! 2. Who is already in the network is loaded once into an in-memory index: a 64-bit hash of each
//!    normalized e-mail, a 32-bit hash of each folded first name, and the hash of the last sign-up
//!    row applied to each partner. No database index is needed, so new partners are plain appends.
//! 3. Each row is then either new (an insert), the same bytes as the row last applied to that
//!    person (nothing to do: this is what makes a nightly re-import nearly free), or a change
//!    (the partner is read, merged and written back).
//!
//! Everything runs in one IMMEDIATE transaction: a kill leaves all of the file's accepted rows or
//! none. A file-level problem found anywhere (NUL bytes, invalid UTF-8, a quote never closed)
//! rolls back everything. `--dry-run` runs the same code and rolls back at the end.

use super::headers::{self, Field, HandMap, HeaderProblem, Mapping};
use super::reader::{Flaw, Limits, RawRecord, Reader};
use super::source::{self, Source};
use super::values::{self, DateError, DateOrder, Evidence};
use crate::cli::recruit::{ImportArgs, OnDuplicate};
use crate::db::forgotten::Forgotten;
use crate::db::partners::{self, ImportMark};
use crate::db::{Db, Tx, events};
use crate::domain::email;
use crate::domain::identity::{email_key, fold_name};
use crate::domain::partner::Partner;
use crate::domain::text::group;
use crate::domain::text::{for_terminal, in_sentence};
use crate::error::{Error, Result};
use crate::files;
use crate::output::{self, Format, Listing, Record, Value, safe_cell};
use crate::{Ctx, Exit};
use chrono::{NaiveDate, NaiveDateTime};
use std::collections::HashMap;

use std::hash::{BuildHasherDefault, Hasher};
use std::io::{self, Cursor, Read};
use std::path::Path;
use xxhash_rust::xxh3::Xxh3;

/// A sign-up form has tens of questions, not thousands.
const MAX_COLUMNS: usize = 1000;
/// Rows of the file read before deciding that its dates need no order.
const DATE_PROOF_ROWS: u64 = 1000;
/// How many of each kind of finding the report keeps (all are counted).
const KEEP_REJECTS: usize = 10_000;
const KEEP_FINDINGS: usize = 1_000;
/// Line numbers listed for a file-level problem.
const KEEP_LINES: usize = 10;

pub fn run(args: ImportArgs, ctx: &mut Ctx<'_>) -> Result<Exit> {
    let hand: Vec<HandMap> = args
        .maps
        .iter()
        .map(|m| headers::parse_map(m))
        .collect::<std::result::Result<_, _>>()
        .map_err(Error::Invalid)?;
    let encoding = args.encoding.as_deref().map(parse_encoding).transpose()?;
    // The rejects file's place is checked before anything is read or written, a dry run's too: a
    // real run would refuse it.
    let inputs = [args.file.as_path()];
    let keep = files::Keep { database: &ctx.db_path, inputs: &inputs };
    let target =
        args.rejects.as_deref().map(|path| files::check(path, files::REJECTS, args.force, &keep)).transpose()?;
    let plan = Plan::read(&args.file, encoding, &hand, args.date_order, args.keep_metadata, ctx.today)?;
    let mut db = ctx.open_db()?;
    let mut rejects = match target {
        Some(target) if !args.dry_run => Some(RejectsFile::create(target.create()?, &plan)?),
        _ => None,
    };
    let progress = (ctx.stderr_terminal && plan.file_len > 10 << 20).then(|| {
        let bar =
            indicatif::ProgressBar::with_draw_target(Some(plan.file_len), indicatif::ProgressDrawTarget::stderr());
        if let Ok(style) = indicatif::ProgressStyle::with_template(
            "{spinner} importing {bar:30} {bytes}/{total_bytes} {bytes_per_sec}, {eta} left",
        ) {
            bar.set_style(style);
        }
        bar
    });
    let settings = Run { plan: &plan, on_duplicate: args.on_duplicate, today: ctx.today, progress: progress.as_ref() };
    let stamp = ctx.stamp.clone();
    let result = import(&mut db, &settings, rejects.as_mut(), args.dry_run, &stamp);
    if let Some(bar) = &progress {
        bar.finish_and_clear();
    }
    let outcome = match result {
        Ok(outcome) => outcome,
        Err(e) => {
            if let Some(r) = rejects {
                r.abandon();
            }
            return Err(e);
        }
    };
    let mut exit = report(ctx, &plan, &outcome, args.dry_run, args.rejects.as_deref())?;
    if let Some(r) = rejects {
        // The rows are on the disk already (synced before the import committed): only a rename
        // is left, and the import stands whatever becomes of it.
        let label = r.label().to_string();
        if let Err(e) = r.finish() {
            ctx.warn(&format!("the import is in the database, but {label} could not be put in place: {e}"))?;
            exit = Exit::Partial;
        }
    }
    Ok(exit)
}

fn parse_encoding(label: &str) -> Result<&'static encoding_rs::Encoding> {
    encoding_rs::Encoding::for_label(label.trim().as_bytes()).ok_or_else(|| {
        Error::Invalid(format!(
            "--encoding '{}' is not an encoding engage knows; use windows-1252 (Excel on Windows), utf-8, or another WHATWG label such as iso-8859-15",
            label.trim()
        ))
    })
}

/// What the file is and how to read it, decided before the database is opened.
struct Plan {
    input: Source,
    /// The file's name as messages show it.
    shown: String,
    /// The file's name as kept in each partner's source (`signups.csv:12`).
    source: String,
    encoding: Option<&'static encoding_rs::Encoding>,
    delimiter: u8,
    /// Records before the data: an Excel `sep=` line and the header rows.
    skip: usize,
    mapping: Mapping,
    /// The header rows as written, for the rejects file.
    header_rows: Vec<Vec<String>>,
    width: usize,
    order: Option<DateOrder>,
    /// Seeds every row hash, so a change of mapping (`--map`) is a change of every row.
    signature: u64,
    file_len: u64,
}

pub(crate) fn refuse(shown: &str, what: impl std::fmt::Display) -> Error {
    Error::Failed(format!("{shown} {what}; nothing was imported"))
}

impl Plan {
    fn read(
        path: &Path,
        encoding: Option<&'static encoding_rs::Encoding>,
        hand: &[HandMap],
        order: Option<DateOrder>,
        keep_metadata: bool,
        today: NaiveDate,
    ) -> Result<Plan> {
        let stdin = path.as_os_str() == "-";
        let shown = if stdin { "standard input".to_string() } else { path.display().to_string() };
        let text_only = encoding.is_none_or(|e| e == encoding_rs::UTF_8);
        let input = Source::open(path, &shown, text_only)?;
        let file_len = input.len();
        let mut plan = Plan {
            input,
            source: if stdin {
                "stdin".to_string()
            } else {
                path.file_name().map_or_else(|| shown.clone(), |n| n.to_string_lossy().into_owned())
            },
            shown: shown.clone(),
            encoding,
            delimiter: b',',
            skip: 0,
            mapping: Mapping { columns: Vec::new(), header_rows: 1, source: "a spreadsheet" },
            header_rows: Vec::new(),
            width: 0,
            order,
            signature: 0,
            file_len,
        };
        plan.read_headers(hand)?;
        // What a form tool wrote about the device is not personal data the network needs (SPEC §5).
        if !keep_metadata {
            plan.mapping.drop_tracking();
        }
        if plan.order.is_none() && plan.mapping.has(Field::JoinedOn) {
            plan.order = plan.prove_date_order(today)?;
        }
        let mut h = Xxh3::new();
        h.update(&[plan.delimiter]);
        for c in &plan.mapping.columns {
            h.update(c.header.as_bytes());
            h.update(c.field.map_or("extra", |f| f.name()).as_bytes());
            h.update(&[u8::from(c.ignored), 0xff]);
        }
        h.update(format!("{:?}", plan.order).as_bytes());
        plan.signature = h.digest();
        Ok(plan)
    }

    /// Opens the file at its start, through the encoding, with the delimiter.
    fn open(&self) -> Result<Reader<Box<dyn Read + Send>>> {
        let source = open_source(&self.input, &self.shown, self.encoding)?;
        let limits = Limits { max_fields: MAX_COLUMNS + 1, ..Limits::default() };
        Ok(Reader::new(source, self.delimiter, limits))
    }

    /// Opens the file after its header rows.
    fn data(&self) -> Result<Reader<Box<dyn Read + Send>>> {
        let mut reader = self.open()?;
        let mut rec = RawRecord::default();
        for _ in 0..self.skip {
            reader.read(&mut rec).map_err(|e| self.read_error(e))?;
        }
        Ok(reader)
    }

    fn read_error(&self, e: io::Error) -> Error {
        source::read_error(&self.shown, e)
    }

    fn header_cells(&self, rec: &RawRecord) -> Result<Vec<String>> {
        if rec.field_count > MAX_COLUMNS {
            return Err(refuse(
                &self.shown,
                format_args!(
                    "has {} columns; a sign-up export has at most {MAX_COLUMNS}",
                    group(rec.field_count as u64)
                ),
            ));
        }
        let mut cells = Vec::with_capacity(rec.len());
        for field in rec.fields() {
            if field.contains(&0) {
                return Err(refuse(&self.shown, "holds NUL bytes in its header: it is not a text CSV file"));
            }
            let text = std::str::from_utf8(field).map_err(|_| {
                refuse(&self.shown, "is not valid UTF-8 (line 1); if it came from Excel on Windows, import it with --encoding windows-1252")
            })?;
            cells.push(text.to_string());
        }
        Ok(cells)
    }

    fn read_headers(&mut self, hand: &[HandMap]) -> Result<()> {
        match self.try_headers(hand) {
            Err(HeadersFailed::Problem(HeaderProblem::Missing { looks_delimited_by: Some(d), missing, found }))
                if self.delimiter == b',' =>
            {
                // Excel in a European locale writes `;`: read the file again with what its header uses.
                self.delimiter = d as u8;
                match self.try_headers(hand) {
                    Ok(()) => Ok(()),
                    Err(_) => {
                        self.delimiter = b',';
                        Err(self.header_error(HeaderProblem::Missing { missing, found, looks_delimited_by: Some(d) }))
                    }
                }
            }
            Err(HeadersFailed::Problem(p)) => Err(self.header_error(p)),
            Err(HeadersFailed::Other(e)) => Err(e),
            Ok(()) => Ok(()),
        }
    }

    fn try_headers(&mut self, hand: &[HandMap]) -> std::result::Result<(), HeadersFailed> {
        let mut reader = self.open()?;
        let mut rec = RawRecord::default();
        self.skip = 0;
        if !reader.read(&mut rec).map_err(|e| self.read_error(e))? {
            return Err(refuse(&self.shown, "is empty: there is no header row").into());
        }
        let mut first = self.header_cells(&rec)?;
        // Excel's `sep=;` line names the delimiter.
        if first.len() == 1 && first[0].len() == 5 && first[0].to_ascii_lowercase().starts_with("sep=") {
            self.delimiter = first[0].as_bytes()[4];
            reader = self.open()?;
            reader.read(&mut rec).map_err(|e| self.read_error(e))?;
            self.skip = 1;
            if !reader.read(&mut rec).map_err(|e| self.read_error(e))? {
                return Err(refuse(&self.shown, "has no header row after its sep= line").into());
            }
            first = self.header_cells(&rec)?;
        }
        self.skip += 1;
        let mut second = None;
        if reader.read(&mut rec).map_err(|e| self.read_error(e))? {
            if let Ok(cells) = self.header_cells(&rec) {
                if headers::is_surveymonkey_second_row(&cells) {
                    second = Some(cells);
                    self.skip += 1;
                }
            }
        }
        let mapping = headers::map(&first, second.as_deref(), hand).map_err(HeadersFailed::Problem)?;
        self.width = first.len();
        self.header_rows = std::iter::once(first).chain(second).collect();
        self.mapping = mapping;
        Ok(())
    }

    fn header_error(&self, problem: HeaderProblem) -> Error {
        // The headers come from the file: shown on one line, escapes and all, and not too long.
        let shown_all = |found: &[String]| found.iter().map(|h| in_sentence(h, 60)).collect::<Vec<_>>().join(", ");
        match problem {
            HeaderProblem::Duplicate { header, first, second } => refuse(
                &self.shown,
                format_args!(
                    "has the column '{}' twice (columns {first} and {second}); rename or remove one",
                    in_sentence(&header, 60)
                ),
            ),
            HeaderProblem::UnknownMap { header, found } => Error::Invalid(format!(
                "--map names the column '{header}', which {} does not have; its columns are {}",
                self.shown,
                shown_all(&found)
            )),
            HeaderProblem::Missing { missing, found, looks_delimited_by } => {
                let mut text = format!(
                    "is missing {}. Its columns are: {}. Name a column with --map 'Header=field'",
                    crate::domain::and_list(&missing),
                    shown_all(&found)
                );
                if let Some(d) = looks_delimited_by {
                    text = format!("has columns separated by '{d}' and, read that way, still {text}");
                }
                refuse(&self.shown, text)
            }
        }
    }

    /// Reads the dates until one proves the order (a day above 12). Refuses a file whose dates
    /// need an order that nothing in it proves.
    fn prove_date_order(&self, today: NaiveDate) -> Result<Option<DateOrder>> {
        let _ = today;
        let columns: Vec<usize> = self.mapping.columns_for(Field::JoinedOn).map(|(i, _)| i).collect();
        let mut reader = self.data()?;
        let mut rec = RawRecord::default();
        let mut rows = 0u64;
        let mut ambiguous: Option<(u64, String)> = None;
        while reader.read(&mut rec).map_err(|e| self.read_error(e))? {
            rows += 1;
            for &c in &columns {
                let Some(text) = rec.field(c).and_then(|f| std::str::from_utf8(f).ok()) else { continue };
                match values::evidence(text) {
                    Evidence::Proves(order) => return Ok(Some(order)),
                    Evidence::Ambiguous if ambiguous.is_none() => {
                        ambiguous = Some((rec.line, in_sentence(text.trim(), 60)))
                    }
                    _ => {}
                }
            }
            if ambiguous.is_none() && rows >= DATE_PROOF_ROWS {
                return Ok(None);
            }
        }
        match ambiguous {
            Some((line, text)) => Err(refuse(
                &self.shown,
                format_args!(
                    "has dates such as '{text}' (line {line}) that could be day/month or month/day, and no date in it tells which; pass --date-order dmy or --date-order mdy"
                ),
            )),
            None => Ok(None),
        }
    }
}

enum HeadersFailed {
    Problem(HeaderProblem),
    Other(Error),
}

impl From<Error> for HeadersFailed {
    fn from(e: Error) -> Self {
        HeadersFailed::Other(e)
    }
}

/// Opens the file, refusing what is not a UTF-8 text file (unless an encoding is given) and
/// dropping a UTF-8 byte-order mark.
pub(crate) fn open_source(
    input: &Source,
    shown: &str,
    encoding: Option<&'static encoding_rs::Encoding>,
) -> Result<Box<dyn Read + Send>> {
    let mut file = input.reader().map_err(|e| Error::io(format!("could not read {shown}"), e))?;
    let mut head = [0u8; 4];
    let mut n = 0;
    while n < head.len() {
        match file.read(&mut head[n..]) {
            Ok(0) => break,
            Ok(k) => n += k,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(source::read_error(shown, e)),
        }
    }
    let head = &head[..n];
    if let Some(encoding) = encoding.filter(|e| *e != encoding_rs::UTF_8) {
        let all = Cursor::new(head.to_vec()).chain(file);
        return Ok(Box::new(Decode::new(all, encoding)));
    }
    let save_as = "save it from the spreadsheet as 'CSV UTF-8' and import that";
    let what = if head.starts_with(&[0xFF, 0xFE, 0, 0]) || head.starts_with(&[0, 0, 0xFE, 0xFF]) {
        Some(format!("is UTF-32 text: {save_as}"))
    } else if head.starts_with(&[0xFF, 0xFE]) || head.starts_with(&[0xFE, 0xFF]) {
        Some(format!("is UTF-16 text (Excel's 'Unicode text'): {save_as}, or pass --encoding utf-16"))
    } else if head.starts_with(b"PK\x03\x04") {
        Some(format!("is an Excel workbook (or another zip file), not a CSV file: {save_as}"))
    } else if head.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]) {
        Some(format!("is an old Excel (.xls) workbook, not a CSV file: {save_as}"))
    } else if head.starts_with(&[0x1F, 0x8B]) {
        Some("is compressed (gzip): decompress it and import the CSV file inside".to_string())
    } else if head.starts_with(b"%PDF") {
        Some("is a PDF document, not a CSV file: export the sign-ups as CSV from the form tool".to_string())
    } else {
        None
    };
    if let Some(what) = what {
        return Err(refuse(shown, what));
    }
    let skip = if head.starts_with(&[0xEF, 0xBB, 0xBF]) { 3 } else { 0 };
    Ok(Box::new(Cursor::new(head[skip..].to_vec()).chain(file)))
}

/// Bytes of another encoding, read as UTF-8.
struct Decode<R: Read> {
    inner: R,
    decoder: encoding_rs::Decoder,
    input: Vec<u8>,
    output: Vec<u8>,
    out_pos: usize,
    out_len: usize,
    done: bool,
}

impl<R: Read> Decode<R> {
    fn new(inner: R, encoding: &'static encoding_rs::Encoding) -> Self {
        Decode {
            inner,
            decoder: encoding.new_decoder(),
            input: vec![0; 64 * 1024],
            output: vec![0; 3 * 64 * 1024 + 16],
            out_pos: 0,
            out_len: 0,
            done: false,
        }
    }
}

impl<R: Read> Read for Decode<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        while self.out_pos == self.out_len {
            if self.done {
                return Ok(0);
            }
            let n = self.inner.read(&mut self.input)?;
            let last = n == 0;
            let (_, _, written, _) = self.decoder.decode_to_utf8(&self.input[..n], &mut self.output, last);
            self.out_pos = 0;
            self.out_len = written;
            self.done = last;
        }
        let n = buf.len().min(self.out_len - self.out_pos);
        buf[..n].copy_from_slice(&self.output[self.out_pos..self.out_pos + n]);
        self.out_pos += n;
        Ok(n)
    }
}

/// xxh3, a hash whose output is fixed by its specification (the hashes are stored in the
/// database and must mean the same to the next engage), and fast on whole rows.
fn hash_of(parts: &[&[u8]]) -> u64 {
    let mut h = Xxh3::new();
    for p in parts {
        h.update(p);
        h.update(&[0xff]);
    }
    h.digest()
}

/// The keys are already hashes: use them as they are.
#[derive(Default)]
struct Passthrough(u64);

impl Hasher for Passthrough {
    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 = (self.0 << 8) | u64::from(*b);
        }
    }

    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

type HashIndex<V> = HashMap<u64, V, BuildHasherDefault<Passthrough>>;

/// Who is in the network, as hashes, with what the import needs to know about each. Partners who
/// were there before the import are a sorted array (16 bytes each, searched by bisection); those
/// the import adds go in a hash map. A million partners take about 25 MB.
struct Index {
    /// The partners there before, sorted by (e-mail hash, first-name hash).
    before: Vec<Key>,
    /// Partners added by this import: e-mail hash → (id, first-name hash) of the first with it.
    added: HashIndex<(u32, u32)>,
    /// (e-mail, first name) hash → id, for added partners sharing an address with someone.
    added_families: HashIndex<u32>,
    /// By partner id: already met in this file.
    touched: Vec<u64>,
    /// The hash of the sign-up row last applied to each partner, as the import began, with the
    /// partner's id, sorted by hash.
    known: Vec<(u64, u32)>,
    /// Partners who were forgotten, sorted.
    forgotten: Vec<u32>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
struct Key {
    email: u64,
    first: u32,
    id: u32,
}

enum Found {
    Same(i64),
    /// The address belongs to someone with another first name.
    SharedWith(i64),
    Nobody,
}

fn identity_hashes(address: &str, first_name: &str) -> (u64, u32) {
    let email = hash_of(&[email_key(address).as_bytes()]);
    let first = hash_of(&[fold_name(first_name).as_bytes()]) as u32;
    (email, first)
}

fn mix(email: u64, first: u32) -> u64 {
    hash_of(&[&email.to_le_bytes(), &first.to_le_bytes()])
}

fn slot(id: i64) -> Result<u32> {
    u32::try_from(id).map_err(|_| Error::Failed(format!("partner id {id} is beyond what the import can index")))
}

impl Index {
    fn load(conn: &crate::db::Reader, expected_rows: usize) -> Result<Index> {
        let mut before = Vec::new();
        let mut known = Vec::new();
        let mut forgotten = Vec::new();
        let mut max_id = 0;
        partners::each_identity(conn, |id, address, first, hash| {
            let partner = slot(id)?;
            match address {
                Some(address) => {
                    let (email, first) = identity_hashes(address, first);
                    before.push(Key { email, first, id: partner });
                }
                None => forgotten.push(partner),
            }
            max_id = max_id.max(id);
            if let Some(h) = hash {
                known.push((h as u64, partner));
            }
            Ok(())
        })?;
        before.sort_unstable();
        known.sort_unstable();
        // Room for the new people a file of this size may bring; a re-import brings few.
        let fresh = expected_rows.saturating_sub(before.len()).max(1024);
        Ok(Index {
            before,
            added: HashIndex::with_capacity_and_hasher(fresh, Default::default()),
            added_families: HashIndex::default(),
            touched: vec![0; (max_id as usize + expected_rows) / 64 + 1],
            known,
            forgotten,
        })
    }

    /// Someone added by this import.
    fn insert(&mut self, id: i64, email: u64, first: u32) -> Result<()> {
        let id = slot(id)?;
        match self.added.entry(email) {
            std::collections::hash_map::Entry::Occupied(_) => {
                self.added_families.insert(mix(email, first), id);
            }
            std::collections::hash_map::Entry::Vacant(slot) => {
                slot.insert((id, first));
            }
        }
        Ok(())
    }

    fn find(&self, email: u64, first: u32) -> Found {
        let start = lower_bound(&self.before, email, |k| k.email);
        let same_email = self.before[start..].iter().take_while(|k| k.email == email);
        let mut shared = None;
        for k in same_email {
            if k.first == first {
                return Found::Same(i64::from(k.id));
            }
            shared.get_or_insert(k.id);
        }
        if let Some(&(id, f)) = self.added.get(&email) {
            if f == first {
                return Found::Same(i64::from(id));
            }
            if let Some(&other) = self.added_families.get(&mix(email, first)) {
                return Found::Same(i64::from(other));
            }
            shared.get_or_insert(id);
        }
        match shared {
            Some(id) => Found::SharedWith(i64::from(id)),
            None => Found::Nobody,
        }
    }

    fn is_forgotten(&self, partner: u32) -> bool {
        self.forgotten.binary_search(&partner).is_ok()
    }

    /// Whether a row of this file was already accepted for the partner.
    fn met(&self, id: i64) -> bool {
        let slot = id as usize;
        self.touched.get(slot / 64).is_some_and(|w| w & (1u64 << (slot % 64)) != 0)
    }

    /// Marks the partner as met in this file.
    fn touch(&mut self, id: i64) {
        let slot = id as usize;
        if self.touched.len() <= slot / 64 {
            self.touched.resize(slot / 64 + 1, 0);
        }
        self.touched[slot / 64] |= 1u64 << (slot % 64);
    }
}

/// The first position in `items` (sorted by a uniformly distributed hash) whose hash is not below
/// `key`. Bisection over a million entries costs some twenty cache misses; since hashes spread
/// evenly, the position is first guessed from the key's value, then bracketed by galloping from
/// the guess and bisected within the bracket, which touches a handful of nearby lines.
fn lower_bound<T>(items: &[T], key: u64, hash: impl Fn(&T) -> u64) -> usize {
    let n = items.len();
    if n == 0 {
        return 0;
    }
    let guess = (((u128::from(key) * n as u128) >> 64) as usize).min(n - 1);
    let (mut lo, mut hi);
    if hash(&items[guess]) < key {
        // The answer is after the guess.
        let mut step = 1;
        lo = guess + 1;
        hi = lo;
        while hi < n && hash(&items[hi]) < key {
            lo = hi + 1;
            hi = (hi + step).min(n);
            step *= 2;
        }
    } else {
        let mut step = 1;
        hi = guess;
        lo = hi;
        while lo > 0 && hash(&items[lo - 1]) >= key {
            hi = lo - 1;
            lo = lo.saturating_sub(step);
            step *= 2;
        }
    }
    lo + items[lo..hi.max(lo)].partition_point(|item| hash(item) < key)
}

/// The partner whose last applied row has this hash, from the hashes sorted as `known` is.
fn known_partner(known: &[(u64, u32)], hash: u64) -> Option<u32> {
    let at = lower_bound(known, hash, |(h, _)| *h);
    known.get(at).filter(|(h, _)| *h == hash).map(|(_, id)| *id)
}

/// A row refused, and why.
#[derive(Debug, Clone)]
struct Rejection {
    line: u64,
    column: String,
    reason: String,
}

#[derive(Debug, Clone, Default)]
struct Outcome {
    read: u64,
    new: u64,
    updated: u64,
    unchanged: u64,
    duplicates: u64,
    rejected: u64,
    blank: u64,
    /// Rows that matched someone already in the network and were left alone (`--on-duplicate skip`).
    skipped: u64,
    /// Rows of people who asked to be forgotten, submitted before they were: skipped, and counted
    /// on their own in the sum.
    forgotten: u64,
    rejections: Vec<Rejection>,
    /// (line, new partner, address, the partner who already had it).
    shared: Vec<(u64, i64, String, i64)>,
    /// (line, partner the row was a repeat of).
    repeats: Vec<(u64, i64)>,
    warnings: Vec<(u64, String)>,
    /// A row repeated in the file changed the partner it repeated.
    repeats_changed: bool,
}

impl Outcome {
    fn changed(&self) -> bool {
        self.new + self.updated > 0 || self.repeats_changed
    }

    fn reject(&mut self, line: u64, column: &str, reason: String) {
        self.rejected += 1;
        if self.rejections.len() < KEEP_REJECTS {
            self.rejections.push(Rejection { line, column: column.to_string(), reason });
        }
    }
}

struct Run<'a> {
    plan: &'a Plan,
    on_duplicate: OnDuplicate,
    today: NaiveDate,
    progress: Option<&'a indicatif::ProgressBar>,
}

/// A problem that refuses the whole file, with the lines it was seen on.
struct FileProblem {
    kind: &'static str,
    lines: Vec<u64>,
    column: Option<String>,
}

/// Rows travel from the reading thread to the writing one in batches of this many.
const BATCH: usize = 512;

/// What the reading thread makes of each record.
enum Item {
    Blank,
    Problem(FileProblem),
    /// The very row last applied to this partner.
    Known {
        partner: u32,
        line: u64,
    },
    /// A row of someone forgotten, submitted before the forgetting: skipped.
    Forgotten,
    Row(Box<Prepared>),
}

/// A row read and checked as far as can be without the database.
struct Prepared {
    rec: RawRecord,
    checked: std::result::Result<Checked, Rejection>,
}

enum Checked {
    /// The very row last applied to this partner: nothing to read or write (a nightly re-import).
    Known { partner: u32 },
    /// The identity of someone forgotten, and the row is no newer than the forgetting.
    Forgotten,
    /// A row to look up and apply.
    Row(Box<Fresh>),
}

struct Fresh {
    address: String,
    email_hash: u64,
    first_hash: u32,
    signup: std::result::Result<SignUp, Rejection>,
}

/// Two threads share the work: one reads the file and checks and parses each row (nothing there
/// needs the database), the other looks each person up and writes. A nightly re-import is mostly
/// the first; a first import mostly the second; either way both cores work.
fn import(
    db: &mut Db,
    run: &Run<'_>,
    mut rejects: Option<&mut RejectsFile>,
    dry_run: bool,
    stamp: &crate::domain::Stamp,
) -> Result<Outcome> {
    let plan = run.plan;
    db.write_or_rollback(dry_run, |tx| {
        let mut index = Index::load(tx, (plan.file_len / 250) as usize)?;
        let known = std::mem::take(&mut index.known);
        let forgotten = Forgotten::load(tx)?;
        let reader = plan.data()?;
        let mut out = Outcome::default();
        let mut problem: Option<FileProblem> = None;
        let mut insert = partners::Inserter::new(tx)?;
        let (sender, receiver) = std::sync::mpsc::sync_channel::<Vec<Item>>(8);
        let (give_back, given_back) = std::sync::mpsc::channel::<Vec<Item>>();
        std::thread::scope(|scope| -> Result<()> {
            let known = known.as_slice();
            let forgotten = forgotten.as_ref();
            let reading = scope.spawn(move || read_rows(reader, run, known, forgotten, &sender, &given_back));
            let written = (|| -> Result<()> {
                for batch in receiver.iter() {
                    let mut spent = Vec::with_capacity(batch.len());
                    for item in batch {
                        match item {
                            Item::Blank => out.blank += 1,
                            Item::Problem(found) => match &mut problem {
                                Some(p) if p.kind == found.kind && p.lines.len() < KEEP_LINES => {
                                    p.lines.extend(found.lines)
                                }
                                Some(_) => {}
                                None => problem = Some(found),
                            },
                            Item::Row(_) | Item::Known { .. } | Item::Forgotten if problem.is_some() => {}
                            Item::Known { partner, line } => {
                                out.read += 1;
                                known_row(run, &mut index, partner, line, &mut out);
                            }
                            Item::Forgotten => {
                                out.read += 1;
                                out.forgotten += 1;
                            }
                            Item::Row(mut prepared) => {
                                let Prepared { rec, checked } = &mut *prepared;
                                out.read += 1;
                                let result = match checked {
                                    Ok(c) => apply(tx, &mut insert, run, &mut index, rec, c, &mut out)?,
                                    Err(r) => Err(r.clone()),
                                };
                                if let Err(r) = result {
                                    if let Some(file) = rejects.as_deref_mut() {
                                        file.write(rec, &r)?;
                                    }
                                    out.reject(r.line, &r.column, r.reason);
                                }
                                spent.push(Item::Row(prepared));
                            }
                        }
                    }
                    // Back to the reading thread, which made them: freeing memory on the thread
                    // that allocated it is cheaper, and the record buffers read again.
                    let _ = give_back.send(spent);
                }
                Ok(())
            })();
            let written = written.and_then(|()| insert.finish());
            // If writing failed, the receiver is gone and the reading thread stops at its next send.
            drop(receiver);
            let read = reading.join().map_err(|_| Error::Failed("the import's reading thread stopped".to_string()))?;
            written?;
            read
        })?;
        if let Some(p) = problem {
            return Err(refuse_for(plan, &p));
        }
        if let Some(file) = rejects.as_deref_mut() {
            file.sync()?;
        }
        if out.changed() {
            let detail = format!(
                "{}: {} read, {} new, {} updated, {} unchanged, {} repeated in the file, {} forgotten, {} rejected",
                plan.source, out.read, out.new, out.updated, out.unchanged, out.duplicates, out.forgotten, out.rejected
            );
            events::log(tx, stamp, "import", None, None, &detail)?;
        }
        Ok(out)
    })
}

/// The reading thread: records in, checked rows out.
fn read_rows(
    mut reader: Reader<Box<dyn Read + Send>>,
    run: &Run<'_>,
    known: &[(u64, u32)],
    forgotten: Option<&Forgotten>,
    sender: &std::sync::mpsc::SyncSender<Vec<Item>>,
    given_back: &std::sync::mpsc::Receiver<Vec<Item>>,
) -> Result<()> {
    let plan = run.plan;
    let mut batch = Vec::with_capacity(BATCH);
    let mut buffers: Vec<RawRecord> = Vec::new();
    let mut problem_seen = false;
    let mut rec = RawRecord::with_capacity(512, plan.width + 1);
    loop {
        if !reader.read(&mut rec).map_err(|e| plan.read_error(e))? {
            break;
        }
        let item = if rec.is_blank() {
            Item::Blank
        } else {
            // UTF-8 is checked once, here; the fields are then borrowed as text.
            let checked = {
                let cells = rec.text_fields();
                match file_problem(plan, &rec, cells.is_some()) {
                    Some(p) => Err(p),
                    None if problem_seen => continue,
                    None => Ok(prepare(run, known, forgotten, &rec, cells.as_deref().unwrap_or_default())),
                }
            };
            match checked {
                Err(p) => {
                    problem_seen = true;
                    Item::Problem(p)
                }
                // Nothing of the record is needed any more: its buffer reads the next one.
                Ok(Ok(Checked::Known { partner })) => Item::Known { partner, line: rec.line },
                Ok(Ok(Checked::Forgotten)) => Item::Forgotten,
                Ok(checked) => {
                    let next = buffers.pop().unwrap_or_else(|| RawRecord::with_capacity(512, plan.width + 1));
                    Item::Row(Box::new(Prepared { rec: std::mem::replace(&mut rec, next), checked }))
                }
            }
        };
        batch.push(item);
        if batch.len() == BATCH {
            if let Some(bar) = run.progress {
                bar.set_position(reader.consumed());
            }
            if sender.send(std::mem::replace(&mut batch, Vec::with_capacity(BATCH))).is_err() {
                return Ok(());
            }
            while let Ok(spent) = given_back.try_recv() {
                for item in spent {
                    // A buffer grown by an unusually long row is let go, so memory stays flat.
                    if let Item::Row(prepared) = item {
                        if buffers.len() < 2 * BATCH && prepared.rec.capacity() <= 4096 {
                            buffers.push(prepared.rec);
                        }
                    }
                }
            }
        }
    }
    if !batch.is_empty() {
        let _ = sender.send(batch);
    }
    Ok(())
}

fn refuse_for(plan: &Plan, p: &FileProblem) -> Error {
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
fn file_problem(plan: &Plan, rec: &RawRecord, utf8: bool) -> Option<FileProblem> {
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

/// A sign-up row, read and checked.
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
struct SignUp {
    ready: partners::Ready,
    consent: Option<bool>,
    payment: Option<bool>,
    submitted: Option<NaiveDateTime>,
    warning: Option<String>,
    mark: ImportMark,
}

/// Cell text as imported: trimmed, and without the `'` that engage's own CSV files put before a
/// cell a spreadsheet would run as a formula (so a rejects file can be fixed and imported again).
fn clean(cell: &str) -> &str {
    let t = cell.trim();
    match t.strip_prefix('\'') {
        Some(rest) if rest.starts_with(['=', '+', '-', '@']) => rest,
        _ => t,
    }
}

fn reject(line: u64, column: &str, reason: impl Into<String>) -> Rejection {
    Rejection { line, column: column.to_string(), reason: reason.into() }
}

/// Everything about a row that needs no database: its shape, its identity, its hash, its values.
fn prepare(
    run: &Run<'_>,
    known: &[(u64, u32)],
    forgotten: Option<&Forgotten>,
    rec: &RawRecord,
    cells: &[&str],
) -> std::result::Result<Checked, Rejection> {
    let plan = run.plan;
    let line = rec.line;
    // The row's bytes (and how they split into fields), under this file's mapping.
    let row_hash = {
        let mut h = Xxh3::new();
        h.update(&plan.signature.to_le_bytes());
        h.update(rec.bytes());
        for end in rec.ends() {
            h.update(&(*end as u32).to_le_bytes());
        }
        h.digest()
    };
    // Applied before, to this partner: a re-import reads nothing more of it. (The hash covers the
    // e-mail and the name, so the row can belong to nobody else; and a row once accepted is
    // accepted again, so no check is skipped that could fail.)
    if let Some(partner) = known_partner(known, row_hash) {
        return Ok(Checked::Known { partner });
    }
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
    // Someone forgotten is not brought back by an old row of theirs, whatever the export's
    // columns; a row submitted after the forgetting is a new sign-up, a new consent (SPEC §5).
    if let Some(at) = forgotten.and_then(|f| f.when(&address, &first_name)) {
        if submitted_at(plan, &cell).is_none_or(|t| t <= at) {
            return Ok(Checked::Forgotten);
        }
    }
    let (email_hash, first_hash) = identity_hashes(&address, &first_name);
    let signup = parse_row(run, &cell, line).map(|answers| {
        let Answers { partner: mut p, consent, payment, submitted, warning } = answers;
        p.email = Some(address.clone());
        p.first_name = Some(first_name);
        if p.last_name.is_none() {
            p.last_name = last_from_full;
        }
        let joined = submitted.map_or(run.today, |t| t.date());
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
        SignUp { ready: partners::Ready::new(p), consent, payment, submitted, warning, mark }
    });
    Ok(Checked::Row(Box::new(Fresh { address, email_hash, first_hash, signup })))
}

/// When the row was submitted, if its time can be read (a row whose time cannot be read is
/// rejected later, unless it is someone's forgotten one).
fn submitted_at<'c>(plan: &Plan, cell: &impl Fn(usize) -> &'c str) -> Option<NaiveDateTime> {
    let text = plan.mapping.columns_for(Field::JoinedOn).map(|(i, _)| cell(i)).find(|v| !v.is_empty())?;
    values::parse_datetime(text, plan.order).ok()
}

/// A row that is the very row last applied to `partner`: nothing to write.
fn known_row(run: &Run<'_>, index: &mut Index, partner: u32, line: u64, out: &mut Outcome) {
    let id = i64::from(partner);
    let repeat = index.met(id);
    index.touch(id);
    if index.is_forgotten(partner) {
        // Someone who asked to be forgotten, still in the form's export: not brought back.
        out.forgotten += 1;
    } else if repeat {
        out.duplicates += 1;
        if out.repeats.len() < KEEP_FINDINGS {
            out.repeats.push((line, id));
        }
    } else {
        out.unchanged += 1;
        if run.on_duplicate == OnDuplicate::Skip {
            out.skipped += 1;
        }
    }
}

/// Looks the person up and writes what the row changes. The outer error is the database's (the
/// import fails); the inner one is the row's (it is rejected).
fn apply(
    tx: &Tx<'_>,
    insert: &mut partners::Inserter<'_>,
    run: &Run<'_>,
    index: &mut Index,
    rec: &RawRecord,
    checked: &mut Checked,
    out: &mut Outcome,
) -> Result<std::result::Result<(), Rejection>> {
    let line = rec.line;
    let c = match checked {
        Checked::Known { partner } => {
            known_row(run, index, *partner, line, out);
            return Ok(Ok(()));
        }
        Checked::Forgotten => {
            out.forgotten += 1;
            return Ok(Ok(()));
        }
        Checked::Row(fresh) => &mut **fresh,
    };
    let found = index.find(c.email_hash, c.first_hash);
    let existing = match found {
        Found::Same(id) => Some(id),
        _ => None,
    };
    // A person already met in this file makes this row a repeat; nobody is marked as met until
    // a row of theirs is accepted (a rejected first submission must not turn the next one into a
    // repeat).
    let repeat = existing.is_some_and(|id| index.met(id));
    if let (Some(id), OnDuplicate::Skip) = (existing, run.on_duplicate) {
        index.touch(id);
        if repeat {
            out.duplicates += 1;
            if out.repeats.len() < KEEP_FINDINGS {
                out.repeats.push((line, id));
            }
        } else {
            out.unchanged += 1;
            out.skipped += 1;
        }
        return Ok(Ok(()));
    }
    let signup = match &mut c.signup {
        Ok(s) => s,
        Err(r) => return Ok(Err(r.clone())),
    };
    if let Some(w) = signup.warning.take() {
        if out.warnings.len() < KEEP_FINDINGS {
            out.warnings.push((line, w));
        }
    }
    match existing {
        Some(id) => {
            // The partner may be one this import queued: write the queue before reading.
            insert.flush()?;
            let changed = merge_into(tx, id, signup, run.today)?;
            index.touch(id);
            if repeat {
                if out.repeats.len() < KEEP_FINDINGS {
                    out.repeats.push((line, id));
                }
                out.duplicates += 1;
                out.repeats_changed |= changed;
            } else if changed {
                out.updated += 1;
            } else {
                out.unchanged += 1;
            }
        }
        None => {
            let id = insert.insert(&signup.ready, &signup.mark)?;
            index.insert(id, c.email_hash, c.first_hash)?;
            index.touch(id);
            out.new += 1;
            if let Found::SharedWith(other) = found {
                if out.shared.len() < KEEP_FINDINGS {
                    out.shared.push((line, id, c.address.clone(), other));
                }
            }
        }
    }
    Ok(Ok(()))
}

/// The first name, from a first-name column or else split from a full name (first word; the
/// rest becomes the last name when there is no last-name column).
fn first_name_of<'c>(
    plan: &Plan,
    cell: &impl Fn(usize) -> &'c str,
    line: u64,
) -> std::result::Result<(String, Option<String>), Rejection> {
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
fn parse_row<'c>(
    run: &Run<'_>,
    cell: &impl Fn(usize) -> &'c str,
    line: u64,
) -> std::result::Result<Answers, Rejection> {
    let mapping = &run.plan.mapping;
    let first_text = |field: Field| -> Option<(&str, &str)> {
        mapping.columns_for(field).find_map(|(i, c)| {
            let v = cell(i);
            (!v.is_empty()).then_some((c.header.as_str(), v))
        })
    };
    let text = |field: Field| first_text(field).map(|(_, v)| v.to_string());
    let checked_name = |field: Field| -> std::result::Result<Option<String>, Rejection> {
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
    let yes_no = |field: Field| -> std::result::Result<Option<bool>, Rejection> {
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
            let when = values::parse_datetime(v, run.plan.order).map_err(|e| match e {
                DateError::Ambiguous => reject(
                    line,
                    column,
                    format!("'{v}' could be day/month or month/day; pass --date-order dmy or --date-order mdy"),
                ),
                DateError::Invalid(why) => reject(line, column, format!("'{v}' {why}")),
            })?;
            if when.date() > run.today {
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

/// Whether a row is older than the one last applied: by submission time when both have one,
/// else by line within the same file (a form's export lists submissions in order).
fn is_older(mark: &ImportMark, last: Option<&ImportMark>) -> bool {
    let Some(last) = last else { return false };
    match (&mark.submitted_at, &last.submitted_at) {
        (Some(a), Some(b)) => a < b,
        _ => mark.file == last.file && mark.line < last.line,
    }
}

/// Merges a row into an existing partner: a newer row fills in and refreshes values, an older one
/// only fills in blanks; a blank never erases a value, and the partner's identity, source and
/// joining date stay. Returns whether the partner changed.
fn merge_into(tx: &Tx<'_>, id: i64, s: &SignUp, today: NaiveDate) -> Result<bool> {
    let mark = &s.mark;
    let before = partners::get(tx, id)?;
    let last = partners::import_mark(tx, id)?;
    let refresh = !is_older(mark, last.as_ref());
    let mut p = before.clone();
    let r = s.ready.partner();
    let take = |new: &Option<String>, old: &mut Option<String>| {
        if let Some(v) = new {
            if refresh || old.is_none() {
                *old = Some(v.clone());
            }
        }
    };
    take(&r.last_name, &mut p.last_name);
    take(&r.preferred_name, &mut p.preferred_name);
    take(&r.pronouns, &mut p.pronouns);
    take(&r.phone, &mut p.phone);
    take(&r.postal_code, &mut p.postal_code);
    take(&r.region, &mut p.region);
    take(&r.health_authority, &mut p.health_authority);
    take(&r.lived_experience, &mut p.lived_experience);
    take(&r.availability, &mut p.availability);
    take(&r.accessibility_needs, &mut p.accessibility_needs);
    take(&r.preferred_contact, &mut p.preferred_contact);
    take(&r.notes, &mut p.notes);
    if r.community.is_some() && (refresh || p.community.is_none()) {
        p.community = r.community;
    }
    if !r.topics.is_empty() && (refresh || p.topics.is_empty()) {
        p.topics = r.topics.clone();
    }
    if !r.languages.is_empty() && (refresh || p.languages.is_empty()) {
        p.languages = r.languages.clone();
    }
    let on = s.submitted.map_or(today, |t| t.date());
    if let Some(c) = s.consent {
        if refresh && c != p.consent {
            p.consent = c;
            p.consent_on = Some(on);
        }
    }
    if let Some(b) = s.payment {
        if refresh {
            p.payment_affects_benefits = b;
        }
    }
    if let Some(t) = s.submitted {
        if p.joined_on.is_none_or(|j| t.date() < j) {
            p.joined_on = Some(t.date());
        }
    }
    for (k, v) in &r.extra {
        if refresh || !p.extra.contains_key(k) {
            p.extra.insert(k.clone(), v.clone());
        }
    }
    let changed = p != before;
    if changed {
        partners::update(tx, &p)?;
    }
    if refresh && last.as_ref() != Some(mark) {
        partners::set_import_mark(tx, id, mark)?;
    }
    Ok(changed)
}

/// The rejects file: owner-only, every cell spreadsheet-safe, written beside its place (see
/// `files`) and put there once the import has committed.
struct RejectsFile {
    writer: csv::Writer<files::OutFile>,
}

impl RejectsFile {
    fn create(file: files::OutFile, plan: &Plan) -> Result<RejectsFile> {
        let mut writer = csv::WriterBuilder::new().flexible(true).from_writer(file);
        for (i, row) in plan.header_rows.iter().enumerate() {
            let mut cells: Vec<String> = row.iter().map(|c| safe_cell(c).into_owned()).collect();
            cells.push(if i == 0 { "reason".to_string() } else { String::new() });
            writer
                .write_record(&cells)
                .map_err(|e| Error::io("could not write the rejects file", output::csv_io(e)))?;
        }
        Ok(RejectsFile { writer })
    }

    fn write(&mut self, rec: &RawRecord, r: &Rejection) -> Result<()> {
        let mut row: Vec<String> = rec.fields().map(|f| safe_cell(&String::from_utf8_lossy(f)).into_owned()).collect();
        if let Some(Flaw::FieldTooLong { field }) = rec.flaw {
            if let Some(c) = row.get_mut(field) {
                *c = "(longer than 65,536 bytes; not copied)".to_string();
            }
        }
        let reason = if r.column.is_empty() { r.reason.clone() } else { format!("{}: {}", r.column, r.reason) };
        row.push(safe_cell(&format!("line {}: {reason}", r.line)).into_owned());
        self.writer.write_record(&row).map_err(|e| Error::io("could not write the rejects file", output::csv_io(e)))
    }

    fn label(&self) -> &str {
        self.writer.get_ref().label()
    }

    /// Every rejected row on the disk, before the import commits: a full disk fails the import.
    fn sync(&mut self) -> Result<()> {
        let label = self.label().to_string();
        self.writer.flush().map_err(|e| Error::io(format!("could not write {label}; nothing was changed"), e))?;
        self.writer.get_ref().sync()
    }

    fn finish(self) -> Result<()> {
        let file =
            self.writer.into_inner().map_err(|e| Error::io("could not write the rejects file", e.into_error()))?;
        file.finish()
    }

    /// The import failed: the temporary goes with it.
    fn abandon(self) {
        drop(self);
    }
}

/// Table sections show this many rows; JSON shows all that were kept.
const TABLE_ROWS: usize = 50;

fn report(ctx: &mut Ctx<'_>, plan: &Plan, o: &Outcome, dry_run: bool, rejects: Option<&Path>) -> Result<Exit> {
    let table = ctx.format == Format::Table;
    let cap = |n: usize| if table { n.min(TABLE_ROWS) } else { n };
    let mut record = Record::default();
    record
        .field("file", Value::text(&plan.shown))
        .field("form", Value::text(plan.mapping.source))
        .field("dry_run", Value::Bool(dry_run))
        .field("read", Value::Int(o.read as i64))
        .field("new", Value::Int(o.new as i64))
        .field("updated", Value::Int(o.updated as i64))
        .field("unchanged", Value::Int(o.unchanged as i64))
        .field("duplicates", Value::Int(o.duplicates as i64))
        .field("forgotten", Value::Int(o.forgotten as i64))
        .field("rejected", Value::Int(o.rejected as i64))
        .field("blank_lines", Value::Int(o.blank as i64));
    if plan.delimiter != b',' {
        record.field("delimiter", Value::text((plan.delimiter as char).to_string()));
    }
    if let Some(order) = plan.order {
        record.field("date_order", Value::text(format!("{order:?}").to_lowercase()));
    }
    let mut columns = Listing::new(&["column", "field"]);
    for c in &plan.mapping.columns {
        let field = match (c.ignored, c.field) {
            (true, _) if c.tracking => "(dropped: about the device)".to_string(),
            (true, _) => "(ignored)".to_string(),
            (false, None) if c.tracking => "extra (--keep-metadata)".to_string(),
            (false, Some(f)) if c.by_hand => format!("{} (--map)", f.name()),
            (false, Some(f)) => f.name().to_string(),
            (false, None) => "extra".to_string(),
        };
        let header = match &c.option {
            Some(option) => format!("{} [{option}]", c.header),
            None => c.header.clone(),
        };
        columns.push(vec![Value::text(header), Value::text(field)]);
    }
    record.section("columns", columns);
    let mut dropped = Listing::new(&["column"]);
    for c in plan.mapping.dropped() {
        dropped.push(vec![Value::text(&c.header)]);
    }
    record.section("dropped_columns", dropped);
    let mut rejected = Listing::new(&["line", "column", "reason"]);
    for r in o.rejections.iter().take(cap(o.rejections.len())) {
        rejected.push(vec![Value::Int(r.line as i64), Value::text(&r.column), Value::text(&r.reason)]);
    }
    record.section("rejected_rows", rejected);
    let mut shared = Listing::new(&["line", "partner_id", "email", "also_partner_id"]);
    for (line, id, address, other) in o.shared.iter().take(cap(o.shared.len())) {
        shared.push(vec![Value::Int(*line as i64), Value::Int(*id), Value::text(address), Value::Int(*other)]);
    }
    record.section("shared_addresses", shared);
    let mut repeats = Listing::new(&["line", "partner_id"]);
    for (line, id) in o.repeats.iter().take(cap(o.repeats.len())) {
        repeats.push(vec![Value::Int(*line as i64), Value::Int(*id)]);
    }
    record.section("repeated_in_file", repeats);
    let mut warnings = Listing::new(&["line", "warning"]);
    for (line, w) in o.warnings.iter().take(cap(o.warnings.len())) {
        warnings.push(vec![Value::Int(*line as i64), Value::text(w)]);
    }
    record.section("warnings", warnings);
    ctx.print_record(&record)?;

    let what = if dry_run { "Dry run, nothing was written" } else { "Imported" };
    let summary = format!(
        "{what}: {}: {} read = {} new + {} updated + {} unchanged + {} repeated in the file{} + {} rejected{}.",
        plan.shown,
        group(o.read),
        group(o.new),
        group(o.updated),
        group(o.unchanged),
        group(o.duplicates),
        if o.forgotten > 0 { format!(" + {} forgotten", group(o.forgotten)) } else { String::new() },
        group(o.rejected),
        if o.blank > 0 { format!("; {} blank lines skipped", group(o.blank)) } else { String::new() }
    );
    ctx.note(&for_terminal(&summary))?;
    if o.read > 0 && !o.changed() && !dry_run {
        ctx.note(match o.rejected {
            0 => "Nothing changed: every row is already in the network as it is.",
            n if n == o.read => "Nothing changed: every row was rejected.",
            _ => "Nothing changed: the rows not rejected are already in the network as they are.",
        })?;
    }
    if o.forgotten > 0 {
        ctx.note(&format!(
            "{} rows are of people who asked to be forgotten; they were not brought back. Delete them from the form's responses.",
            group(o.forgotten)
        ))?;
    }
    if o.skipped > 0 {
        ctx.note(&format!(
            "{} partners already in the network were left alone (--on-duplicate skip).",
            group(o.skipped)
        ))?;
    }
    if !o.shared.is_empty() {
        ctx.note(&format!(
            "{} new partners share an e-mail address with someone else in the network (families may); check the shared_addresses list.",
            group(o.shared.len() as u64)
        ))?;
    }
    let extra: Vec<&str> = plan.mapping.extra().map(|(_, c)| c.header.as_str()).collect();
    if !extra.is_empty() {
        ctx.note(&for_terminal(&format!("Kept in each partner's extra answers: {}.", extra.join(", "))))?;
    }
    let dropped: Vec<&str> = plan.mapping.dropped().map(|c| c.header.as_str()).collect();
    if !dropped.is_empty() {
        ctx.note(&for_terminal(&format!(
            "Dropped, as about the device rather than the person: {}; --keep-metadata keeps them in the extra answers.",
            dropped.join(", ")
        )))?;
    }
    if o.rejected > 0 {
        let shown = match (rejects, dry_run) {
            (Some(path), false) => format!("they are in {} with a reason column", path.display()),
            (Some(path), true) => format!("without --dry-run, --rejects writes them to {}", path.display()),
            (None, _) => "--rejects OUT.csv writes them to a file to fix and import again".to_string(),
        };
        let (rows, were) = if o.rejected == 1 { ("row", "was") } else { ("rows", "were") };
        ctx.warn(&format!("{} {rows} {were} rejected; {shown}.", group(o.rejected)))?;
        if table && o.rejections.len() > TABLE_ROWS {
            ctx.note(&format!("The table shows the first {TABLE_ROWS}; --format json lists them all."))?;
        }
        return Ok(Exit::Partial);
    }
    Ok(Exit::Done)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lower_bound_agrees_with_bisection() {
        let mut seed = 7u64;
        let mut next = || {
            seed = seed.wrapping_add(0x9e37_79b9_7f4a_7c15);
            let z = (seed ^ (seed >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
            z ^ (z >> 31)
        };
        for n in [0usize, 1, 2, 3, 10, 1000, 50_000] {
            let mut items: Vec<u64> = (0..n).map(|_| next()).collect();
            // Some repeats, and the extremes.
            items.extend(items.iter().take(n / 10).copied().collect::<Vec<_>>());
            items.extend([0, u64::MAX]);
            items.sort_unstable();
            let probes: Vec<u64> =
                items.iter().copied().chain((0..2000).map(|_| next())).chain([0, 1, u64::MAX]).collect();
            for key in probes {
                assert_eq!(lower_bound(&items, key, |h| *h), items.partition_point(|h| *h < key), "n={n} key={key}");
            }
        }
    }
}
