//! What a column holds, and how engage's types are written to one and read back: once for every
//! query in db/, whatever the backend. Dates are ISO text (`YYYY-MM-DD`, compared as text), money
//! integer cents, hours integer hundredths, yes/no 0 or 1, lists and objects JSON text, and every
//! word of the field's vocabularies the word itself.

use crate::domain::dates::{iso, iso_timestamp, parse_iso_date};
use crate::domain::kinds::Word;
use crate::domain::money::{Hours, Money};
use crate::domain::text::in_sentence;
use crate::error::Error;
use chrono::{NaiveDate, NaiveDateTime};

/// A value read from a column, borrowed from the row.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum ValueRef<'a> {
    Null,
    Integer(i64),
    Real(f64),
    Text(&'a str),
    Blob(&'a [u8]),
}

/// A value to bind that had to be made (a date's text, a list's JSON).
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Null,
    Integer(i64),
    Real(f64),
    Text(String),
    Blob(Vec<u8>),
}

impl Value {
    pub fn as_ref(&self) -> ValueRef<'_> {
        match self {
            Value::Null => ValueRef::Null,
            Value::Integer(i) => ValueRef::Integer(*i),
            Value::Real(r) => ValueRef::Real(*r),
            Value::Text(t) => ValueRef::Text(t),
            Value::Blob(b) => ValueRef::Blob(b),
        }
    }
}

/// A parameter as it is bound: borrowed from the caller where it can be, made where it must be.
#[derive(Debug, Clone, PartialEq)]
pub enum Param<'a> {
    Borrowed(ValueRef<'a>),
    Owned(Value),
}

impl Param<'_> {
    pub fn value(&self) -> ValueRef<'_> {
        match self {
            Param::Borrowed(v) => *v,
            Param::Owned(v) => v.as_ref(),
        }
    }
}

/// A type engage writes to a column.
pub trait ToSql {
    fn to_sql(&self) -> Param<'_>;
}

/// What a column held that its type cannot be read from: a sentence's middle, "a date".
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Unreadable {
    pub expected: &'static str,
}

/// A type engage reads from a column.
pub trait FromSql: Sized {
    fn from_sql(value: ValueRef<'_>) -> Result<Self, Unreadable>;
}

/// The one sentence for a value in the database that engage cannot read: something other than
/// engage changed the file (engage checks every value it writes).
pub fn damaged(column: &str, value: ValueRef<'_>, expected: &str) -> Error {
    let held = match value {
        ValueRef::Null => "nothing".to_string(),
        ValueRef::Integer(i) => i.to_string(),
        ValueRef::Real(r) => r.to_string(),
        ValueRef::Text(t) => format!("'{}'", in_sentence(t, 40)),
        ValueRef::Blob(b) => format!("{} bytes", b.len()),
    };
    Error::Failed(format!(
        "the database holds {held} where {expected} belongs (in {column}), which engage cannot read: something \
         other than engage changed the file; `engage db check --repair` works out the reminders and tallies again, \
         and a backup restores anything else"
    ))
}

fn wrong<T>(expected: &'static str) -> Result<T, Unreadable> {
    Err(Unreadable { expected })
}

/// A value made (a copied row's), bound as it is.
impl ToSql for Value {
    fn to_sql(&self) -> Param<'_> {
        Param::Borrowed(self.as_ref())
    }
}

/// A value as it is held, bound as it is.
impl ToSql for ValueRef<'_> {
    fn to_sql(&self) -> Param<'_> {
        Param::Borrowed(*self)
    }
}

// Not `impl ToSql for &T` for every `T`: the one impl for every vocabulary word (below) could
// overlap it. References to text and bytes, which queries bind most, have their own.
impl ToSql for &str {
    fn to_sql(&self) -> Param<'_> {
        Param::Borrowed(ValueRef::Text(self))
    }
}

impl ToSql for &[u8] {
    fn to_sql(&self) -> Param<'_> {
        Param::Borrowed(ValueRef::Blob(self))
    }
}

impl<T: ToSql> ToSql for Option<T> {
    fn to_sql(&self) -> Param<'_> {
        match self {
            Some(v) => v.to_sql(),
            None => Param::Borrowed(ValueRef::Null),
        }
    }
}

impl<T: FromSql> FromSql for Option<T> {
    fn from_sql(value: ValueRef<'_>) -> Result<Self, Unreadable> {
        match value {
            ValueRef::Null => Ok(None),
            v => T::from_sql(v).map(Some),
        }
    }
}

impl ToSql for i64 {
    fn to_sql(&self) -> Param<'_> {
        Param::Borrowed(ValueRef::Integer(*self))
    }
}

impl FromSql for i64 {
    fn from_sql(value: ValueRef<'_>) -> Result<Self, Unreadable> {
        match value {
            ValueRef::Integer(i) => Ok(i),
            _ => wrong("a whole number"),
        }
    }
}

/// Counts and small numbers, kept as i64 like every integer (the server's BIGINT).
macro_rules! small_integers {
    ($($t:ty),*) => {$(
        impl ToSql for $t {
            fn to_sql(&self) -> Param<'_> {
                Param::Borrowed(ValueRef::Integer(i64::from(*self)))
            }
        }

        impl FromSql for $t {
            fn from_sql(value: ValueRef<'_>) -> Result<Self, Unreadable> {
                match value {
                    ValueRef::Integer(i) => <$t>::try_from(i).or_else(|_| wrong(concat!("a number that fits ", stringify!($t)))),
                    _ => wrong("a whole number"),
                }
            }
        }
    )*};
}

small_integers!(i32, u32, u8);

impl ToSql for usize {
    fn to_sql(&self) -> Param<'_> {
        Param::Borrowed(ValueRef::Integer(i64::try_from(*self).unwrap_or(i64::MAX)))
    }
}

impl FromSql for u64 {
    fn from_sql(value: ValueRef<'_>) -> Result<Self, Unreadable> {
        match value {
            ValueRef::Integer(i) => u64::try_from(i).or_else(|_| wrong("a count")),
            _ => wrong("a whole number"),
        }
    }
}

impl ToSql for f64 {
    fn to_sql(&self) -> Param<'_> {
        Param::Borrowed(ValueRef::Real(*self))
    }
}

impl FromSql for f64 {
    fn from_sql(value: ValueRef<'_>) -> Result<Self, Unreadable> {
        match value {
            ValueRef::Real(r) => Ok(r),
            ValueRef::Integer(i) => Ok(i as f64),
            _ => wrong("a number"),
        }
    }
}

/// Yes or no, stored 0 or 1 (any other integer reads as yes, as SQLite's own booleans do).
impl ToSql for bool {
    fn to_sql(&self) -> Param<'_> {
        Param::Borrowed(ValueRef::Integer(i64::from(*self)))
    }
}

impl FromSql for bool {
    fn from_sql(value: ValueRef<'_>) -> Result<Self, Unreadable> {
        match value {
            ValueRef::Integer(i) => Ok(i != 0),
            _ => wrong("0 or 1"),
        }
    }
}

impl ToSql for str {
    fn to_sql(&self) -> Param<'_> {
        Param::Borrowed(ValueRef::Text(self))
    }
}

impl ToSql for String {
    fn to_sql(&self) -> Param<'_> {
        Param::Borrowed(ValueRef::Text(self))
    }
}

impl FromSql for String {
    fn from_sql(value: ValueRef<'_>) -> Result<Self, Unreadable> {
        match value {
            ValueRef::Text(t) => Ok(t.to_string()),
            _ => wrong("text"),
        }
    }
}

impl ToSql for [u8] {
    fn to_sql(&self) -> Param<'_> {
        Param::Borrowed(ValueRef::Blob(self))
    }
}

impl ToSql for Vec<u8> {
    fn to_sql(&self) -> Param<'_> {
        Param::Borrowed(ValueRef::Blob(self))
    }
}

impl FromSql for Vec<u8> {
    fn from_sql(value: ValueRef<'_>) -> Result<Self, Unreadable> {
        match value {
            ValueRef::Blob(b) => Ok(b.to_vec()),
            _ => wrong("bytes"),
        }
    }
}

impl<const N: usize> FromSql for [u8; N] {
    fn from_sql(value: ValueRef<'_>) -> Result<Self, Unreadable> {
        match value {
            ValueRef::Blob(b) => <[u8; N]>::try_from(b).or_else(|_| wrong("a key of the right length")),
            _ => wrong("bytes"),
        }
    }
}

/// A day, as `YYYY-MM-DD`.
impl ToSql for NaiveDate {
    fn to_sql(&self) -> Param<'_> {
        Param::Owned(Value::Text(iso(*self)))
    }
}

impl FromSql for NaiveDate {
    fn from_sql(value: ValueRef<'_>) -> Result<Self, Unreadable> {
        match value {
            ValueRef::Text(t) => parse_iso_date(t).map_or_else(|| wrong("a date"), Ok),
            _ => wrong("a date"),
        }
    }
}

/// A moment, as `YYYY-MM-DDTHH:MM:SS` (the local time of the coordinator's machine).
impl ToSql for NaiveDateTime {
    fn to_sql(&self) -> Param<'_> {
        Param::Owned(Value::Text(iso_timestamp(*self)))
    }
}

impl FromSql for NaiveDateTime {
    fn from_sql(value: ValueRef<'_>) -> Result<Self, Unreadable> {
        match value {
            ValueRef::Text(t) => NaiveDateTime::parse_from_str(t, "%Y-%m-%dT%H:%M:%S").or_else(|_| wrong("a time")),
            _ => wrong("a time"),
        }
    }
}

/// Money, in integer cents.
impl ToSql for Money {
    fn to_sql(&self) -> Param<'_> {
        Param::Borrowed(ValueRef::Integer(self.cents()))
    }
}

impl FromSql for Money {
    fn from_sql(value: ValueRef<'_>) -> Result<Self, Unreadable> {
        match value {
            ValueRef::Integer(cents) => Ok(Money(cents)),
            _ => wrong("an amount in cents"),
        }
    }
}

/// Hours, in integer hundredths of an hour.
impl ToSql for Hours {
    fn to_sql(&self) -> Param<'_> {
        Param::Borrowed(ValueRef::Integer(self.hundredths()))
    }
}

impl FromSql for Hours {
    fn from_sql(value: ValueRef<'_>) -> Result<Self, Unreadable> {
        match value {
            ValueRef::Integer(hundredths) => Ok(Hours(hundredths)),
            _ => wrong("hours in hundredths"),
        }
    }
}

/// Every word of the field's vocabularies (`vocabulary!`), as the word itself.
impl<W: Word> ToSql for W {
    fn to_sql(&self) -> Param<'_> {
        Param::Borrowed(ValueRef::Text(self.word()))
    }
}

impl<W: Word> FromSql for W {
    fn from_sql(value: ValueRef<'_>) -> Result<Self, Unreadable> {
        match value {
            ValueRef::Text(t) => W::from_word(t).map_or_else(|| wrong(W::WHAT), Ok),
            _ => wrong(W::WHAT),
        }
    }
}

/// A list of words (topics, languages), as a JSON array of strings.
impl ToSql for [String] {
    fn to_sql(&self) -> Param<'_> {
        Param::Owned(Value::Text(serde_json::to_string(self).unwrap_or_else(|_| "[]".to_string())))
    }
}

impl ToSql for Vec<String> {
    fn to_sql(&self) -> Param<'_> {
        self.as_slice().to_sql()
    }
}

impl FromSql for Vec<String> {
    fn from_sql(value: ValueRef<'_>) -> Result<Self, Unreadable> {
        match value {
            ValueRef::Text(t) => serde_json::from_str(t).or_else(|_| wrong("a list")),
            _ => wrong("a list"),
        }
    }
}

/// Answers kept as they came (a partner's extra columns), as a JSON object.
impl ToSql for serde_json::Map<String, serde_json::Value> {
    fn to_sql(&self) -> Param<'_> {
        Param::Owned(Value::Text(serde_json::to_string(self).unwrap_or_else(|_| "{}".to_string())))
    }
}

/// What engage keeps as JSON of one of its own types (a reminder's detail).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Json<T>(pub T);

impl<T: serde::Serialize> ToSql for Json<T> {
    fn to_sql(&self) -> Param<'_> {
        match serde_json::to_string(&self.0) {
            Ok(text) => Param::Owned(Value::Text(text)),
            Err(_) => Param::Borrowed(ValueRef::Null),
        }
    }
}

impl<T: serde::de::DeserializeOwned> FromSql for Json<T> {
    fn from_sql(value: ValueRef<'_>) -> Result<Self, Unreadable> {
        match value {
            ValueRef::Text(t) => serde_json::from_str(t).map(Json).or_else(|_| wrong("engage's JSON")),
            _ => wrong("engage's JSON"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::kinds::Way;

    fn back<T: ToSql + FromSql>(v: &T) -> T {
        T::from_sql(v.to_sql().value()).unwrap()
    }

    #[test]
    fn engage_s_types_are_read_back_as_written() {
        let day = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
        assert_eq!(back(&day), day);
        assert_eq!(day.to_sql().value(), ValueRef::Text("2026-11-23"));
        assert_eq!(back(&Money(56_000)), Money(56_000));
        assert_eq!(Hours(150).to_sql().value(), ValueRef::Integer(150));
        assert_eq!(back(&Way::Collaborate), Way::Collaborate);
        assert_eq!(Way::Collaborate.to_sql().value(), ValueRef::Text("collaborate"));
        assert_eq!(back(&Some(true)), Some(true));
        assert_eq!(back(&None::<NaiveDate>), None);
        assert_eq!(back(&vec!["housing".to_string(), "mental health".to_string()]).len(), 2);
        assert_eq!(back(&Json(vec![Way::Inform])), Json(vec![Way::Inform]));
    }

    #[test]
    fn a_value_engage_cannot_read_says_what_belongs_there() {
        assert_eq!(NaiveDate::from_sql(ValueRef::Text("2026-13-01")), Err(Unreadable { expected: "a date" }));
        assert_eq!(Way::from_sql(ValueRef::Text("Inform")), Err(Unreadable { expected: "a way of engaging" }));
        assert_eq!(u8::from_sql(ValueRef::Integer(300)).unwrap_err().expected, "a number that fits u8");
        assert_eq!(
            damaged("respond_by", ValueRef::Text("2026-13-01"), "a date").to_string(),
            "the database holds '2026-13-01' where a date belongs (in respond_by), which engage cannot read: \
             something other than engage changed the file; `engage db check --repair` works out the reminders and \
             tallies again, and a backup restores anything else"
        );
    }
}
