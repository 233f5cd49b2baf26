//! What a sign-up export is and how to read it, decided before the database is opened: its
//! encoding (a BOM, a binary or UTF-16 file is refused), its delimiter, its header rows and what
//! each column holds (which form tool wrote it), and the order of its dates (read until a day
//! above 12 proves it).

use super::headers::{self, Field, HandMap, HeaderProblem, Mapping};
use super::reader::{Limits, RawRecord, Reader};
use super::refuse;
use super::source::{self, Source};
use super::values::{self, DateOrder, Evidence};
use crate::domain::text::{group, in_sentence};
use crate::error::{Error, Result};
use chrono::NaiveDate;
use std::io::{self, Cursor, Read};
use std::path::Path;
use xxhash_rust::xxh3::Xxh3;

/// A sign-up form has tens of questions, not thousands.
pub const MAX_COLUMNS: usize = 1000;
/// Rows of the file read before deciding that its dates need no order.
const DATE_PROOF_ROWS: u64 = 1000;

/// How to read a sign-up export: what the coordinator said about it.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// The file's encoding, when it is not UTF-8 (`None`: UTF-8).
    pub encoding: Option<&'static encoding_rs::Encoding>,
    /// Columns mapped by hand (`--map 'Header=field'`).
    pub maps: Vec<HandMap>,
    /// The order of day, month and year in the file's dates, when the file cannot prove it.
    pub date_order: Option<DateOrder>,
    /// Keep the columns form tools add about the device, in the extra answers.
    pub keep_metadata: bool,
}

/// What the file is and how to read it, decided before the database is opened.
pub struct Plan {
    input: Source,
    /// The file's name as messages show it.
    pub shown: String,
    /// The file's name as kept in each partner's source (`signups.csv:12`).
    pub source: String,
    encoding: Option<&'static encoding_rs::Encoding>,
    /// `,`, or what the file's `sep=` line or header says (`;` from Excel in Europe).
    pub delimiter: u8,
    /// Records before the data: an Excel `sep=` line and the header rows.
    skip: usize,
    /// What each column holds.
    pub mapping: Mapping,
    /// The header rows as written, for the rejects file.
    pub header_rows: Vec<Vec<String>>,
    /// Fields in the header row: every row is expected to have as many.
    pub width: usize,
    /// The order of day, month and year, given or proved; `None` when no date needs one.
    pub order: Option<DateOrder>,
    /// Seeds every row hash, so a change of mapping (`--map`) is a change of every row.
    pub signature: u64,
    /// The input's size in bytes.
    pub file_len: u64,
    /// No row is submitted after this day.
    pub today: NaiveDate,
}

impl Plan {
    /// Reads the file's start (and its dates, when their order must be proved) and plans it.
    pub fn read(path: &Path, options: &Options, today: NaiveDate) -> Result<Plan> {
        let (encoding, hand, order, keep_metadata) =
            (options.encoding, options.maps.as_slice(), options.date_order, options.keep_metadata);
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
            today,
        };
        plan.read_headers(hand)?;
        // What a form tool wrote about the device is not personal data the network needs.
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
    pub fn data(&self) -> Result<Reader<Box<dyn Read + Send>>> {
        let mut reader = self.open()?;
        let mut rec = RawRecord::default();
        for _ in 0..self.skip {
            reader.read(&mut rec).map_err(|e| self.read_error(e))?;
        }
        Ok(reader)
    }

    pub fn read_error(&self, e: io::Error) -> Error {
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
pub fn open_source(
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
