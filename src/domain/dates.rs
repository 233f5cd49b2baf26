//! Dates as the coordinator types them: `YYYY-MM-DD` or `today`.

use chrono::NaiveDate;
use std::fmt;

/// A date given on the command line, before today's date is known.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DateArg {
    Today,
    On(NaiveDate),
}

impl DateArg {
    pub fn resolve(self, today: NaiveDate) -> NaiveDate {
        match self {
            DateArg::Today => today,
            DateArg::On(date) => date,
        }
    }
}

impl fmt::Display for DateArg {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DateArg::Today => f.write_str("today"),
            DateArg::On(date) => write!(f, "{}", date.format("%Y-%m-%d")),
        }
    }
}

/// Parses `YYYY-MM-DD` or `today`; the error is the sentence a coordinator sees.
pub fn parse_date_arg(text: &str) -> Result<DateArg, String> {
    let text = text.trim();
    if text.eq_ignore_ascii_case("today") {
        return Ok(DateArg::Today);
    }
    parse_iso_date(text)
        .map(DateArg::On)
        .ok_or_else(|| format!("'{text}' is not a date; use YYYY-MM-DD (for example 2026-03-31) or today"))
}

/// Strictly `YYYY-MM-DD`, four-digit year, a real calendar day.
pub fn parse_iso_date(text: &str) -> Option<NaiveDate> {
    let bytes = text.as_bytes();
    let shape_ok = bytes.len() == 10
        && bytes[4] == b'-'
        && bytes[7] == b'-'
        && bytes.iter().enumerate().all(|(i, b)| i == 4 || i == 7 || b.is_ascii_digit());
    if !shape_ok {
        return None;
    }
    // Digits read by hand: dates are read by the hundred thousand in reports.
    let number = |range: std::ops::Range<usize>| bytes[range].iter().fold(0u32, |n, b| n * 10 + u32::from(b - b'0'));
    NaiveDate::from_ymd_opt(number(0..4) as i32, number(5..7), number(8..10))
}

/// The one way a date is written: in the database, in JSON and CSV, in tables.
pub fn iso(date: NaiveDate) -> String {
    let mut out = String::with_capacity(10);
    push_date(&mut out, date);
    out
}

/// A timestamp as the database keeps it: `YYYY-MM-DDTHH:MM:SS`.
pub fn iso_timestamp(at: chrono::NaiveDateTime) -> String {
    use chrono::Timelike;
    let mut out = String::with_capacity(19);
    push_date(&mut out, at.date());
    out.push('T');
    push_digits(&mut out, at.hour(), 2);
    out.push(':');
    push_digits(&mut out, at.minute(), 2);
    out.push(':');
    push_digits(&mut out, at.second(), 2);
    out
}

// Written digit by digit: these run once per imported row, and `format!` costs more than the
// rest of the row's date handling together.
fn push_date(out: &mut String, date: NaiveDate) {
    use chrono::Datelike;
    let year = date.year();
    if (0..=9999).contains(&year) {
        push_digits(out, year as u32, 4);
    } else {
        out.push_str(&year.to_string());
    }
    out.push('-');
    push_digits(out, date.month(), 2);
    out.push('-');
    push_digits(out, date.day(), 2);
}

fn push_digits(out: &mut String, n: u32, width: u32) {
    for place in (0..width).rev() {
        let digit = (n / 10u32.pow(place)) % 10;
        out.push(char::from(b'0' + digit as u8));
    }
}

/// Reads a date column written by [`iso`]; anything else in the file is a damaged database.
pub fn from_sql(text: &str) -> Result<NaiveDate, String> {
    parse_iso_date(text).ok_or_else(|| format!("the database holds '{text}' where a date belongs"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_iso_dates_and_today() {
        assert_eq!(parse_date_arg("today"), Ok(DateArg::Today));
        assert_eq!(parse_date_arg(" Today "), Ok(DateArg::Today));
        assert_eq!(parse_date_arg("2026-02-28"), Ok(DateArg::On(NaiveDate::from_ymd_opt(2026, 2, 28).unwrap())));
    }

    #[test]
    fn writes_dates_and_timestamps() {
        let d = NaiveDate::from_ymd_opt(2026, 3, 9).unwrap();
        assert_eq!(iso(d), "2026-03-09");
        assert_eq!(iso_timestamp(d.and_hms_opt(7, 5, 30).unwrap()), "2026-03-09T07:05:30");
        assert_eq!(iso(NaiveDate::from_ymd_opt(812, 1, 1).unwrap()), "0812-01-01");
    }

    #[test]
    fn refuses_what_is_not_a_calendar_day() {
        for bad in ["2026-02-30", "2026-2-3", "26-02-03", "2026/02/03", "tomorrow", "", "2026-02-03x"] {
            let err = parse_date_arg(bad).unwrap_err();
            assert!(err.contains("use YYYY-MM-DD"), "{bad}: {err}");
        }
    }
}
