//! Rendering lists and records as a table, CSV or JSON. Data goes to standard output; the
//! sentences around it (notes, warnings) go to standard error through `Ctx`.
//!
//! JSON keys are snake_case, dates `YYYY-MM-DD`, money strings with two decimals; CSV has a
//! header row of the same keys and spreadsheet-safe cells; tables use labels made from the keys
//! and fit the terminal.

use crate::domain::money::{Hours, Money};
use crate::domain::{dates, text};
use chrono::NaiveDate;
use comfy_table::{ContentArrangement, Table, presets};
use serde_json::{Map, Value as Json};
use std::io::{self, Write};

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

/// Rows under fixed columns: what every `list` prints.
#[derive(Debug, Clone, Default)]
pub struct Listing {
    pub columns: Vec<&'static str>,
    pub rows: Vec<Vec<Value>>,
}

impl Listing {
    pub fn new(columns: &[&'static str]) -> Listing {
        Listing { columns: columns.to_vec(), rows: Vec::new() }
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
    pub fields: Vec<(&'static str, Value)>,
    pub sections: Vec<(&'static str, Listing)>,
}

impl Record {
    pub fn field(&mut self, key: &'static str, value: Value) -> &mut Self {
        self.fields.push((key, value));
        self
    }

    pub fn section(&mut self, key: &'static str, listing: Listing) -> &mut Self {
        self.sections.push((key, listing));
        self
    }
}

/// How tables are drawn: the terminal's width, and box characters only on a terminal.
#[derive(Debug, Clone, Copy, Default)]
pub struct TableStyle {
    pub width: Option<u16>,
    pub terminal: bool,
}

/// `respond_by` → `Respond by`.
pub fn label(key: &str) -> String {
    let spaced = key.replace('_', " ");
    let mut chars = spaced.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

fn new_table(style: TableStyle) -> Table {
    let mut table = Table::new();
    if style.terminal {
        table.load_style(presets::UTF8_FULL_CONDENSED);
    } else {
        table.load_style(presets::ASCII_FULL_CONDENSED);
    }
    match style.width {
        Some(width) => {
            table.set_width(width);
            table.set_content_arrangement(ContentArrangement::Dynamic);
        }
        None => {
            table.set_content_arrangement(ContentArrangement::Disabled);
        }
    }
    table
}

fn listing_table(listing: &Listing, style: TableStyle) -> Table {
    let mut table = new_table(style);
    table.set_header(listing.columns.iter().map(|c| label(c)));
    for row in &listing.rows {
        table.add_row(row.iter().map(Value::for_table));
    }
    table
}

pub fn write_listing(out: &mut dyn Write, format: Format, style: TableStyle, listing: &Listing) -> io::Result<()> {
    match format {
        Format::Table => {
            if !listing.is_empty() {
                writeln!(out, "{}", listing_table(listing, style))?;
            }
            Ok(())
        }
        Format::Csv => {
            let mut w = csv_writer(out);
            w.write_record(listing.columns.iter().map(|c| safe_cell(c).into_owned())).map_err(csv_io)?;
            for row in &listing.rows {
                w.write_record(row.iter().map(Value::for_csv)).map_err(csv_io)?;
            }
            w.flush()
        }
        Format::Json => {
            let rows: Vec<Json> = listing.rows.iter().map(|row| row_json(&listing.columns, row)).collect();
            write_json(out, &Json::Array(rows))
        }
    }
}

pub fn write_record(out: &mut dyn Write, format: Format, style: TableStyle, record: &Record) -> io::Result<()> {
    match format {
        Format::Table => {
            let mut table = new_table(style);
            // Empty fields are left out of the table (they stay in CSV and JSON as blanks and nulls).
            for (key, value) in &record.fields {
                if !matches!(value, Value::Null) && !matches!(value, Value::List(l) if l.is_empty()) {
                    table.add_row(vec![label(key), value.for_table()]);
                }
            }
            writeln!(out, "{table}")?;
            for (key, listing) in &record.sections {
                writeln!(out, "\n{}", label(key))?;
                if listing.is_empty() {
                    writeln!(out, "  (none)")?;
                } else {
                    writeln!(out, "{}", listing_table(listing, style))?;
                }
            }
            Ok(())
        }
        // One header row and one data row of the record's own fields; the lists belonging to it
        // have rows of their own shape, so they are in the JSON and table forms only.
        Format::Csv => {
            let mut w = csv_writer(out);
            w.write_record(record.fields.iter().map(|(k, _)| safe_cell(k).into_owned())).map_err(csv_io)?;
            w.write_record(record.fields.iter().map(|(_, v)| v.for_csv())).map_err(csv_io)?;
            w.flush()
        }
        Format::Json => {
            let mut object = Map::new();
            for (key, value) in &record.fields {
                object.insert((*key).to_string(), value.to_json());
            }
            for (key, listing) in &record.sections {
                let rows = listing.rows.iter().map(|row| row_json(&listing.columns, row)).collect();
                object.insert((*key).to_string(), Json::Array(rows));
            }
            write_json(out, &Json::Object(object))
        }
    }
}

fn row_json(columns: &[&'static str], row: &[Value]) -> Json {
    let mut object = Map::new();
    for (key, value) in columns.iter().zip(row) {
        object.insert((*key).to_string(), value.to_json());
    }
    Json::Object(object)
}

fn write_json(out: &mut dyn Write, value: &Json) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, value).map_err(io::Error::from)?;
    writeln!(out)
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
    fn empty_lists_still_have_a_csv_header_and_a_json_array() {
        let l = Listing::new(&["id"]);
        assert_eq!(render(Format::Csv, &l), "\"id\"\n");
        assert_eq!(render(Format::Json, &l), "[]\n");
        assert_eq!(render(Format::Table, &l), "");
    }
}
