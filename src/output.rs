//! Rendering lists and records as a table, CSV or JSON. Data goes to standard output; the
//! sentences around it (notes, warnings) go to standard error through `Ctx`.
//!
//! JSON keys are snake_case, dates `YYYY-MM-DD`, money strings with two decimals; CSV has a
//! header row of the same keys and spreadsheet-safe cells; tables use labels in words and fit
//! the terminal (`table`): every column is declared with its [`Kind`] and, when the table may
//! leave it out to fit, its rank in [`Column::leave_out`].

pub mod compensation;
pub mod summary;
mod table;

use crate::domain::money::{Hours, Money};
use crate::domain::{dates, text};
use chrono::NaiveDate;
use serde_json::{Map, Value as Json};
use std::io::{self, Write};

pub use table::{wrap_lines, wrap_sentence};

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// A table fitted to the terminal.
    Table,
    /// Comma-separated values with a header row, safe to open in a spreadsheet.
    Csv,
    /// One JSON value: an array for lists, an object for one record.
    Json,
}

/// One cell of output, typed so each format can write it its own way.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Null,
    Text(String),
    Int(i64),
    Bool(bool),
    Money(Money),
    Date(NaiveDate),
    Hours(Hours),
    List(Vec<String>),
    /// A measure such as a median or a percentage, shown with at most one decimal.
    Number(f64),
}

impl Value {
    pub fn text(s: impl Into<String>) -> Value {
        Value::Text(s.into())
    }

    pub fn opt_text(s: Option<impl Into<String>>) -> Value {
        s.map_or(Value::Null, |s| Value::Text(s.into()))
    }

    pub fn opt_date(d: Option<NaiveDate>) -> Value {
        d.map_or(Value::Null, Value::Date)
    }

    pub fn opt_money(m: Option<Money>) -> Value {
        m.map_or(Value::Null, Value::Money)
    }

    pub fn opt_hours(h: Option<Hours>) -> Value {
        h.map_or(Value::Null, Value::Hours)
    }

    pub fn opt_int(i: Option<i64>) -> Value {
        i.map_or(Value::Null, Value::Int)
    }

    pub fn opt_number(n: Option<f64>) -> Value {
        n.map_or(Value::Null, Value::Number)
    }

    /// As shown in a table.
    fn for_table(&self) -> String {
        match self {
            Value::Null => String::new(),
            Value::Text(s) => text::for_terminal(s).into_owned(),
            Value::Int(i) => i.to_string(),
            Value::Bool(b) => if *b { "yes" } else { "no" }.to_string(),
            Value::Money(m) => m.to_string(),
            Value::Date(d) => dates::iso(*d),
            Value::Hours(h) => h.plain(),
            Value::List(items) => text::for_terminal(&items.join(", ")).into_owned(),
            Value::Number(n) => number(*n),
        }
    }

    /// As written in a CSV cell. The cell's type decides, not its text: a number the tool made
    /// (a count, `days_overdue` of `-3`, an amount, hours) is written plain so a spreadsheet reads
    /// it as a number; text from people and files gets the spreadsheet-safe prefix (OWASP CSV
    /// injection) when it starts like a formula.
    fn for_csv(&self) -> String {
        match self {
            Value::Null => String::new(),
            Value::Int(i) => i.to_string(),
            Value::Money(m) => m.plain(),
            Value::Hours(h) => h.plain(),
            Value::Number(n) => number(*n),
            Value::Text(s) => safe_cell(s).into_owned(),
            Value::Bool(b) => if *b { "yes" } else { "no" }.to_string(),
            Value::Date(d) => safe_cell(&dates::iso(*d)).into_owned(),
            Value::List(items) => safe_cell(&items.join("; ")).into_owned(),
        }
    }

    fn to_json(&self) -> Json {
        match self {
            Value::Null => Json::Null,
            Value::Text(s) => Json::String(s.clone()),
            Value::Int(i) => Json::from(*i),
            Value::Bool(b) => Json::Bool(*b),
            Value::Money(m) => Json::String(m.plain()),
            Value::Date(d) => Json::String(dates::iso(*d)),
            Value::Hours(h) if h.hundredths() % 100 == 0 => Json::from(h.hundredths() / 100),
            Value::Hours(h) => serde_json::Number::from_f64(h.as_f64()).map_or(Json::Null, Json::Number),
            Value::List(items) => Json::Array(items.iter().map(|s| Json::String(s.clone())).collect()),
            Value::Number(n) if n.fract() == 0.0 && n.abs() < 1e15 => Json::from(*n as i64),
            Value::Number(n) => serde_json::Number::from_f64(*n).map_or(Json::Null, Json::Number),
        }
    }
}

/// `12`, `12.5`: a measure with at most one decimal.
fn number(n: f64) -> String {
    let rounded = (n * 10.0).round() / 10.0;
    if rounded.fract() == 0.0 { format!("{rounded:.0}") } else { format!("{rounded:.1}") }
}

/// What a column holds, which decides how a table may fit it. Nothing but `Text` is ever cut or
/// split across lines; a `Word` of several words may break between them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A number naming something (`12`), or a key a coordinator types (`rate_inform`).
    Id,
    Date,
    Email,
    Phone,
    /// Money, right-aligned.
    Amount,
    /// A status or another of the tool's key values, shown in words: `not_selected` is
    /// `Not selected` in a table (CSV and JSON keep the key).
    Word,
    /// A count or a measure, right-aligned.
    Number,
    /// A timestamp `YYYY-MM-DD HH:MM:SS` beside a date column: a table shows its time of day.
    Time,
    /// Free text: wraps at spaces; a word longer than its cell is cut short with `…`.
    Text,
}

/// A column of a list, or a field of a record: its key (the CSV header and the JSON key), what it
/// holds, and whether a table too wide for the terminal may leave it out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Column {
    pub key: &'static str,
    pub kind: Kind,
    /// `Some(1)` is left out first, then `Some(2)`, …; `None` is never left out (a table that
    /// cannot fit without it prints one block per row instead).
    pub leave_out: Option<u8>,
    /// A positive number here is overdue: drawn in colour on a colour terminal.
    pub highlight: bool,
}

impl Column {
    pub const fn new(key: &'static str, kind: Kind) -> Column {
        Column { key, kind, leave_out: None, highlight: false }
    }
    pub const fn id(key: &'static str) -> Column {
        Column::new(key, Kind::Id)
    }
    pub const fn date(key: &'static str) -> Column {
        Column::new(key, Kind::Date)
    }
    pub const fn email(key: &'static str) -> Column {
        Column::new(key, Kind::Email)
    }
    pub const fn phone(key: &'static str) -> Column {
        Column::new(key, Kind::Phone)
    }
    pub const fn amount(key: &'static str) -> Column {
        Column::new(key, Kind::Amount)
    }
    pub const fn word(key: &'static str) -> Column {
        Column::new(key, Kind::Word)
    }
    pub const fn number(key: &'static str) -> Column {
        Column::new(key, Kind::Number)
    }
    pub const fn time(key: &'static str) -> Column {
        Column::new(key, Kind::Time)
    }
    pub const fn text(key: &'static str) -> Column {
        Column::new(key, Kind::Text)
    }

    /// This column may be left out of a table too wide for the terminal: the `rank`-th, after
    /// the columns of lower ranks.
    pub const fn leave_out(self, rank: u8) -> Column {
        Column { leave_out: Some(rank), ..self }
    }

    /// A positive number in this column is overdue.
    pub const fn overdue(self) -> Column {
        Column { highlight: true, ..self }
    }

    /// The table's label: `checkin_every_days` is `Check-in every` (its cells say `30 days`).
    pub fn label(&self) -> String {
        label(unit(self.key).0)
    }

    /// As shown in a table under this column.
    fn for_table(&self, value: &Value) -> String {
        match (self.kind, value) {
            (Kind::Word, Value::Text(s)) => words(s),
            (Kind::Time, Value::Text(s)) if s.len() >= 16 && s.as_bytes()[10] == b' ' => {
                text::for_terminal(s.get(11..16).unwrap_or(s)).into_owned()
            }
            (_, Value::Int(_) | Value::Number(_)) => format!("{}{}", value.for_table(), unit(self.key).1),
            _ => value.for_table(),
        }
    }
}

/// A column named only by its key: an id when it is one, an e-mail or a phone when its key says
/// so, free text otherwise (what a value's own type says, such as a date or money, is kept whole
/// whatever its column).
impl From<&'static str> for Column {
    fn from(key: &'static str) -> Column {
        let kind = if key == "id" || key.ends_with("_id") {
            Kind::Id
        } else if key.contains("email") {
            Kind::Email
        } else if key.contains("phone") {
            Kind::Phone
        } else {
            Kind::Text
        };
        Column::new(key, kind)
    }
}

/// A column reads as its key, the name CSV and JSON use.
impl std::ops::Deref for Column {
    type Target = str;
    fn deref(&self) -> &str {
        self.key
    }
}

impl std::fmt::Display for Column {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.key)
    }
}

impl PartialEq<&str> for Column {
    fn eq(&self, other: &&str) -> bool {
        self.key == *other
    }
}

/// Rows under fixed columns: what every `list` prints.
#[derive(Debug, Clone, Default)]
pub struct Listing {
    pub columns: Vec<Column>,
    pub rows: Vec<Vec<Value>>,
}

impl Listing {
    pub fn new<C: Copy + Into<Column>>(columns: &[C]) -> Listing {
        Listing { columns: columns.iter().map(|c| (*c).into()).collect(), rows: Vec::new() }
    }

    pub fn push(&mut self, row: Vec<Value>) {
        debug_assert_eq!(row.len(), self.columns.len());
        self.rows.push(row);
    }

    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }
}

/// One thing with its fields, and lists that belong to it (a request's criteria, its timeline):
/// what every `show` prints.
#[derive(Debug, Clone, Default)]
pub struct Record {
    pub fields: Vec<(Column, Value)>,
    pub sections: Vec<(&'static str, Listing)>,
}

impl Record {
    pub fn field(&mut self, column: impl Into<Column>, value: Value) -> &mut Self {
        self.fields.push((column.into(), value));
        self
    }

    pub fn section(&mut self, key: &'static str, listing: Listing) -> &mut Self {
        self.sections.push((key, listing));
        self
    }
}

/// How tables are drawn: the terminal's width (none off a terminal: as wide as they need), box
/// characters only on a terminal, and colour only on a terminal without `NO_COLOR`.
#[derive(Debug, Clone, Copy, Default)]
pub struct TableStyle {
    pub width: Option<u16>,
    pub terminal: bool,
    pub color: bool,
}

/// `respond_by` → `Respond by`, `partner_id` → `Partner ID`, `checkin_id` → `Check-in ID`.
pub fn label(key: &str) -> String {
    let mut out = String::with_capacity(key.len() + 2);
    for (n, word) in key.split('_').enumerate() {
        if n > 0 {
            out.push(' ');
        }
        match word {
            "id" => out.push_str("ID"),
            "checkin" => out.push_str("check-in"),
            "checkins" => out.push_str("check-ins"),
            word => out.push_str(word),
        }
    }
    capitalized(&out)
}

/// A key's unit, shown with its numbers in a table: `response_rate_percent` is `Response rate`,
/// `80%`; `checkin_every_days` is `Check-in every`, `30 days`.
fn unit(key: &str) -> (&str, &'static str) {
    if let Some(stem) = key.strip_suffix("_percent").filter(|s| !s.is_empty()) {
        (stem, "%")
    } else if let Some(stem) = key.strip_suffix("_days").filter(|s| !s.is_empty()) {
        (stem, " days")
    } else {
        (key, "")
    }
}

/// `not_selected` → `Not selected`, `checkin` → `Check-in`; anything but one of the tool's own lower-case key values is
/// left as it is.
fn words(value: &str) -> String {
    let key_like = value.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b"_- ,".contains(&b));
    if key_like { label(value) } else { text::for_terminal(value).into_owned() }
}

fn capitalized(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// Writes a list; for a table, returns the labels of the columns left out to fit the terminal.
pub fn write_listing(
    out: &mut dyn Write,
    format: Format,
    style: TableStyle,
    listing: &Listing,
) -> io::Result<Vec<String>> {
    match format {
        Format::Table => {
            if listing.is_empty() {
                return Ok(Vec::new());
            }
            table::listing(out, style, listing)
        }
        Format::Csv => {
            let mut w = csv_writer(out);
            w.write_record(listing.columns.iter().map(|c| safe_cell(c).into_owned())).map_err(csv_io)?;
            for row in &listing.rows {
                w.write_record(row.iter().map(Value::for_csv)).map_err(csv_io)?;
            }
            w.flush()?;
            Ok(Vec::new())
        }
        Format::Json => {
            if distinct(listing.columns.iter().map(|c| c.key)) {
                write_json(out, &Rows(listing))?;
            } else {
                let rows: Vec<Json> = listing.rows.iter().map(|row| row_json(&listing.columns, row)).collect();
                write_json(out, &Json::Array(rows))?;
            }
            Ok(Vec::new())
        }
    }
}

/// Writes rows under `columns` in CSV or JSON as [`write_listing`] does, each as it comes.
pub fn write_rows(
    out: &mut dyn Write,
    format: Format,
    columns: &[Column],
    rows: impl Iterator<Item = Vec<Value>>,
) -> io::Result<()> {
    match format {
        Format::Json if distinct(columns.iter().map(|c| c.key)) => {
            write_json(out, &Streamed { columns, rows: std::cell::RefCell::new(Some(rows)) })
        }
        Format::Csv => {
            let mut w = csv_writer(out);
            w.write_record(columns.iter().map(|c| safe_cell(c).into_owned())).map_err(csv_io)?;
            for row in rows {
                w.write_record(row.iter().map(Value::for_csv)).map_err(csv_io)?;
            }
            w.flush()
        }
        Format::Json | Format::Table => {
            let mut listing = Listing::new(columns);
            rows.for_each(|row| listing.push(row));
            write_listing(out, format, TableStyle::default(), &listing).map(|_| ())
        }
    }
}

/// Writes a record with one more list after its own, `key`, its rows written as they come (in
/// JSON; the other formats as [`write_record`] writes the record with that list).
pub fn write_record_rows(
    out: &mut dyn Write,
    format: Format,
    style: TableStyle,
    record: &Record,
    key: &'static str,
    columns: &[Column],
    rows: impl Iterator<Item = Vec<Value>>,
) -> io::Result<Vec<String>> {
    let keys = record.fields.iter().map(|(k, _)| k.key).chain(record.sections.iter().map(|(k, _)| *k));
    let fits = format == Format::Json
        && distinct(keys.chain(std::iter::once(key)))
        && distinct(columns.iter().map(|c| c.key))
        && record.sections.iter().all(|(_, l)| distinct(l.columns.iter().map(|c| c.key)));
    if !fits {
        let mut listing = Listing::new(columns);
        rows.for_each(|row| listing.push(row));
        let mut whole = record.clone();
        whole.section(key, listing);
        return write_record(out, format, style, &whole);
    }
    let rows = Streamed { columns, rows: std::cell::RefCell::new(Some(rows)) };
    write_json(out, &WithRows(record, key, rows))?;
    Ok(Vec::new())
}

/// A record as an object of its fields, its sections, then one more list written as it comes.
struct WithRows<'a, I>(&'a Record, &'static str, Streamed<'a, I>);

impl<I: Iterator<Item = Vec<Value>>> serde::Serialize for WithRows<'_, I> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut map = s.serialize_map(Some(self.0.fields.len() + self.0.sections.len() + 1))?;
        for (key, value) in &self.0.fields {
            map.serialize_entry(key.key, value)?;
        }
        for (key, listing) in &self.0.sections {
            map.serialize_entry(key, &Rows(listing))?;
        }
        map.serialize_entry(self.1, &self.2)?;
        map.end()
    }
}

/// Rows written as an array as they are made (once: serializing takes them).
struct Streamed<'a, I> {
    columns: &'a [Column],
    rows: std::cell::RefCell<Option<I>>,
}

impl<I: Iterator<Item = Vec<Value>>> serde::Serialize for Streamed<'_, I> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeSeq;
        let rows = self.rows.borrow_mut().take();
        let mut seq = s.serialize_seq(None)?;
        for row in rows.into_iter().flatten() {
            seq.serialize_element(&Row(self.columns, &row))?;
        }
        seq.end()
    }
}

/// Writes a record; for a table, returns the labels of the columns left out to fit the terminal.
pub fn write_record(
    out: &mut dyn Write,
    format: Format,
    style: TableStyle,
    record: &Record,
) -> io::Result<Vec<String>> {
    match format {
        Format::Table => table::record(out, style, record),
        // One header row and one data row of the record's own fields; the lists belonging to it
        // have rows of their own shape, so they are in the JSON and table forms only.
        Format::Csv => {
            let mut w = csv_writer(out);
            w.write_record(record.fields.iter().map(|(k, _)| safe_cell(k).into_owned())).map_err(csv_io)?;
            w.write_record(record.fields.iter().map(|(_, v)| v.for_csv())).map_err(csv_io)?;
            w.flush()?;
            Ok(Vec::new())
        }
        Format::Json => {
            let keys = record.fields.iter().map(|(k, _)| k.key).chain(record.sections.iter().map(|(k, _)| *k));
            if distinct(keys) && record.sections.iter().all(|(_, l)| distinct(l.columns.iter().map(|c| c.key))) {
                write_json(out, &Fields(record))?;
                return Ok(Vec::new());
            }
            let mut object = Map::new();
            for (key, value) in &record.fields {
                object.insert(key.key.to_string(), value.to_json());
            }
            for (key, listing) in &record.sections {
                let rows = listing.rows.iter().map(|row| row_json(&listing.columns, row)).collect();
                object.insert((*key).to_string(), Json::Array(rows));
            }
            write_json(out, &Json::Object(object))?;
            Ok(Vec::new())
        }
    }
}

fn row_json(columns: &[Column], row: &[Value]) -> Json {
    let mut object = Map::new();
    for (column, value) in columns.iter().zip(row) {
        object.insert(column.key.to_string(), value.to_json());
    }
    Json::Object(object)
}

/// Whether no key comes twice. Written as they come, rows and records are the same bytes as the
/// JSON object they would make, where a second value under a key replaces the first in its place;
/// with a key twice, they are made into that object first.
fn distinct<'a>(keys: impl Iterator<Item = &'a str> + Clone) -> bool {
    keys.clone().enumerate().all(|(n, key)| keys.clone().take(n).all(|k| k != key))
}

/// A value as [`Value::to_json`] makes it, written without making it.
impl serde::Serialize for Value {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Value::Null => s.serialize_unit(),
            Value::Text(text) => s.serialize_str(text),
            Value::Int(i) => s.serialize_i64(*i),
            Value::Bool(b) => s.serialize_bool(*b),
            Value::Money(m) => s.serialize_str(&m.plain()),
            Value::Date(d) => s.serialize_str(&dates::iso(*d)),
            Value::Hours(h) if h.hundredths() % 100 == 0 => s.serialize_i64(h.hundredths() / 100),
            Value::Hours(h) => serde_json::Number::from_f64(h.as_f64()).serialize(s),
            Value::List(items) => s.collect_seq(items),
            Value::Number(n) if n.fract() == 0.0 && n.abs() < 1e15 => s.serialize_i64(*n as i64),
            Value::Number(n) => serde_json::Number::from_f64(*n).serialize(s),
        }
    }
}

/// A row as an object of its columns' keys, in their order.
struct Row<'a>(&'a [Column], &'a [Value]);

impl serde::Serialize for Row<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut map = s.serialize_map(Some(self.0.len().min(self.1.len())))?;
        for (column, value) in self.0.iter().zip(self.1) {
            map.serialize_entry(column.key, value)?;
        }
        map.end()
    }
}

/// A listing as an array of its rows, each written as it comes.
struct Rows<'a>(&'a Listing);

impl serde::Serialize for Rows<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.0.rows.iter().map(|row| Row(&self.0.columns, row)))
    }
}

/// A record as an object of its fields, then its sections.
struct Fields<'a>(&'a Record);

impl serde::Serialize for Fields<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut map = s.serialize_map(Some(self.0.fields.len() + self.0.sections.len()))?;
        for (key, value) in &self.0.fields {
            map.serialize_entry(key.key, value)?;
        }
        for (key, listing) in &self.0.sections {
            map.serialize_entry(key, &Rows(listing))?;
        }
        map.end()
    }
}

fn write_json(out: &mut dyn Write, value: &impl serde::Serialize) -> io::Result<()> {
    // serde_json writes a document in many pieces of a few bytes (a quote, a key, an indent):
    // gathered here in a buffer of a known type, they reach `out` in large writes rather than
    // each through its vtable (a tenth of a large report's time).
    let mut gathered = io::BufWriter::with_capacity(1 << 16, &mut *out);
    serde_json::to_writer_pretty(&mut gathered, value).map_err(io::Error::from)?;
    writeln!(gathered)?;
    gathered.flush()
}

/// Text cells are quoted and numbers are not, so a spreadsheet keeps `007` and `2026-01-02` as
/// typed and still sums the money columns.
pub fn csv_writer(out: &mut dyn Write) -> csv::Writer<&mut dyn Write> {
    csv::WriterBuilder::new().quote_style(csv::QuoteStyle::NonNumeric).from_writer(out)
}

/// The csv crate wraps I/O errors; unwrap them so a closed pipe is still recognized as one.
pub fn csv_io(e: csv::Error) -> io::Error {
    let sentence = e.to_string();
    match e.into_kind() {
        csv::ErrorKind::Io(e) => e,
        _ => io::Error::other(sentence),
    }
}

/// OWASP CSV injection: a cell a spreadsheet would run as a formula gets a leading `'`.
pub fn safe_cell(cell: &str) -> std::borrow::Cow<'_, str> {
    match cell.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => std::borrow::Cow::Owned(format!("'{cell}")),
        _ => std::borrow::Cow::Borrowed(cell),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Listing {
        let mut l = Listing::new(&["id", "name", "owed", "on", "topics"]);
        l.push(vec![
            Value::Int(7),
            Value::text("=HYPERLINK(\"x\")"),
            Value::Money(Money(56_000)),
            Value::Date(NaiveDate::from_ymd_opt(2026, 1, 2).unwrap()),
            Value::List(vec!["a".into(), "b".into()]),
        ]);
        l
    }

    fn render(format: Format, listing: &Listing) -> String {
        let mut buf = Vec::new();
        write_listing(&mut buf, format, TableStyle::default(), listing).unwrap();
        String::from_utf8(buf).unwrap()
    }

    #[test]
    fn csv_is_spreadsheet_safe() {
        assert_eq!(
            render(Format::Csv, &sample()),
            "\"id\",\"name\",\"owed\",\"on\",\"topics\"\n7,\"'=HYPERLINK(\"\"x\"\")\",560.00,\"2026-01-02\",\"a; b\"\n"
        );
        for bad in ["=1", "+1", "-1", "@x", "\tx", "\rx"] {
            assert!(safe_cell(bad).starts_with('\''), "{bad:?}");
        }
        assert_eq!(safe_cell("Ana"), "Ana");
    }

    #[test]
    fn numbers_the_tool_made_are_plain_numbers_and_text_is_prefixed() {
        let mut l = Listing::new(&["days_overdue", "count", "owed", "hours", "median", "note"]);
        l.push(vec![
            Value::Int(-39),
            Value::Int(0),
            Value::Money(Money(2_050)),
            Value::Hours(Hours(150)),
            Value::Number(-1.5),
            Value::text("-39 days, typed by a person"),
        ]);
        assert_eq!(
            render(Format::Csv, &l),
            "\"days_overdue\",\"count\",\"owed\",\"hours\",\"median\",\"note\"\n\
             -39,0,20.50,1.5,-1.5,\"'-39 days, typed by a person\"\n"
        );
        let mut r = Record::default();
        r.field("days_overdue", Value::Int(-3)).field("name", Value::text("=Ana"));
        let mut buf = Vec::new();
        write_record(&mut buf, Format::Csv, TableStyle::default(), &r).unwrap();
        assert_eq!(String::from_utf8(buf).unwrap(), "\"days_overdue\",\"name\"\n-3,\"'=Ana\"\n");
    }

    #[test]
    fn json_uses_strings_for_money_and_dates() {
        let json: Json = serde_json::from_str(&render(Format::Json, &sample())).unwrap();
        assert_eq!(json[0]["owed"], "560.00");
        assert_eq!(json[0]["on"], "2026-01-02");
        assert_eq!(json[0]["id"], 7);
        assert_eq!(json[0]["topics"][1], "b");
    }

    #[test]
    fn tables_escape_terminal_controls() {
        let mut l = Listing::new(&["name"]);
        l.push(vec![Value::text("Ana\x1b[2J")]);
        let table = render(Format::Table, &l);
        assert!(table.contains("Ana\\x1b[2J"), "{table}");
        assert!(!table.contains('\x1b'));
    }

    #[test]
    fn labels_are_words_with_their_units_in_the_cells() {
        assert_eq!(label("partner_id"), "Partner ID");
        assert_eq!(Column::number("response_rate_percent").label(), "Response rate");
        assert_eq!(Column::number("response_rate_percent").for_table(&Value::Number(80.0)), "80%");
        assert_eq!(Column::number("checkin_every_days").label(), "Check-in every");
        assert_eq!(Column::number("checkin_every_days").for_table(&Value::Int(30)), "30 days");
        assert_eq!(Column::number("days_overdue").label(), "Days overdue");
        assert_eq!(Column::word("outcome").for_table(&Value::text("not_selected")), "Not selected");
        assert_eq!(Column::word("kind").for_table(&Value::text("checkin")), "Check-in");
        // Only the tool's own key values become words; a partner's text stays as typed.
        assert_eq!(Column::word("region").for_table(&Value::text("Fraser_North")), "Fraser_North");
        assert_eq!(Column::text("note").for_table(&Value::text("not_selected")), "not_selected");
        assert_eq!(Column::time("at").for_table(&Value::text("2026-11-23 09:14:02")), "09:14");
    }

    #[test]
    fn a_column_named_by_its_key_alone_keeps_ids_emails_and_phones_whole() {
        assert_eq!(Column::from("request_id").kind, Kind::Id);
        assert_eq!(Column::from("contact_email").kind, Kind::Email);
        assert_eq!(Column::from("phone").kind, Kind::Phone);
        assert_eq!(Column::from("title").kind, Kind::Text);
    }

    #[test]
    fn a_narrow_table_leaves_out_columns_and_says_which() {
        let mut l = Listing::new(&[
            Column::id("id"),
            Column::text("title"),
            Column::text("region").leave_out(1),
            Column::date("on"),
        ]);
        l.push(vec![
            Value::Int(1),
            Value::text("Discharge co-design"),
            Value::text("Vancouver Island"),
            Value::Date(NaiveDate::from_ymd_opt(2026, 12, 16).unwrap()),
        ]);
        let style = TableStyle { width: Some(41), terminal: true, color: false };
        let mut buf = Vec::new();
        let left_out = write_listing(&mut buf, Format::Table, style, &l).unwrap();
        assert_eq!(left_out, ["Region"]);
        assert_eq!(
            String::from_utf8(buf).unwrap(),
            "┌────┬─────────────────────┬────────────┐\n\
             │ ID ┆ Title               ┆ On         │\n\
             ╞════╪═════════════════════╪════════════╡\n\
             │ 1  ┆ Discharge co-design ┆ 2026-12-16 │\n\
             └────┴─────────────────────┴────────────┘\n"
        );
        // Too narrow for what cannot be left out: one block per row.
        let mut buf = Vec::new();
        let narrow = TableStyle { width: Some(20), ..style };
        assert!(write_listing(&mut buf, Format::Table, narrow, &l).unwrap().is_empty());
        assert_eq!(
            String::from_utf8(buf).unwrap(),
            "ID: 1\nTitle: Discharge\n  co-design\nRegion: Vancouver\n  Island\nOn: 2026-12-16\n"
        );
    }

    #[test]
    fn empty_lists_still_have_a_csv_header_and_a_json_array() {
        let l = Listing::new(&["id"]);
        assert_eq!(render(Format::Csv, &l), "\"id\"\n");
        assert_eq!(render(Format::Json, &l), "[]\n");
        assert_eq!(render(Format::Table, &l), "");
    }
}
