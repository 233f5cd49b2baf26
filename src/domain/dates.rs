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

/// What a step follows, so it cannot have happened before it: the request being
/// recorded, a decision, the work a payment pays for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Follows {
    /// The earliest day the step can have happened.
    pub day: NaiveDate,
    /// What happened that day, as in "is before {what} on {day}": `request 3 was recorded`.
    pub what: String,
    /// Why, after the semicolon: `a check-in is held once the request is recorded`.
    pub why: &'static str,
}

impl Follows {
    /// The later of two things a step follows: it follows both. On the same day `other` is
    /// named, as the nearer step (a decision made the day its request was recorded).
    pub fn later(self, other: Option<Follows>) -> Follows {
        match other {
            Some(o) if o.day >= self.day => o,
            _ => self,
        }
    }
}

/// The day a step happened (`today` when none is given): never after today (`future` says what
/// to do instead) and never before what it `follows`. The error is the sentence a coordinator
/// sees, naming the flag (or nothing, at a prompt) and the day that bounds it.
pub fn step_day(
    flag: &str,
    given: Option<DateArg>,
    today: NaiveDate,
    future: &str,
    follows: Option<&Follows>,
) -> Result<NaiveDate, String> {
    let day = given.map_or(today, |d| d.resolve(today));
    let named = if flag.is_empty() { iso(day) } else { format!("{flag} {}", iso(day)) };
    if day > today {
        return Err(format!("{named} is after today ({}); {future}", iso(today)));
    }
    match follows {
        Some(f) if day < f.day => Err(format!("{named} is before {} on {}; {}", f.what, iso(f.day), f.why)),
        _ => Ok(day),
    }
}

/// The last day engage keeps: dates are written `YYYY-MM-DD`, so a derived date (a request's
/// select_by, a check-in's next one, a reminder's day) never goes past it.
pub fn last_day() -> NaiveDate {
    NaiveDate::from_ymd_opt(9999, 12, 31).unwrap_or(NaiveDate::MAX)
}

/// The first day engage keeps (the year 0000).
pub fn first_day() -> NaiveDate {
    NaiveDate::from_ymd_opt(0, 1, 1).unwrap_or(NaiveDate::MIN)
}

/// The day `days` after `day`, when it is one engage keeps; `None` past [`last_day`]. A date
/// derived from a flag is refused, naming the flag, when this is `None`.
pub fn days_after(day: NaiveDate, days: u64) -> Option<NaiveDate> {
    day.checked_add_days(chrono::Days::new(days)).filter(|d| *d <= last_day())
}

/// The day `days` after `day`, or [`last_day`]: for what is worked out from stored dates (a
/// reminder's day), which must stay a date the database can keep and read back.
pub fn days_after_or_last(day: NaiveDate, days: u64) -> NaiveDate {
    days_after(day, days).unwrap_or_else(|| last_day().max(day))
}

/// The day `days` before `day`, or [`first_day`].
pub fn days_before_or_first(day: NaiveDate, days: u64) -> NaiveDate {
    day.checked_sub_days(chrono::Days::new(days)).filter(|d| *d >= first_day()).unwrap_or_else(|| first_day().min(day))
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
    fn a_step_day_is_neither_after_today_nor_before_what_it_follows() {
        let d = |s: &str| parse_iso_date(s).unwrap();
        let today = d("2026-11-23");
        let recorded = Follows {
            day: d("2026-08-25"),
            what: "request 1 was recorded".to_string(),
            why: "the loop is closed after the request is recorded",
        };
        assert_eq!(step_day("--on", None, today, "wait", Some(&recorded)), Ok(today));
        assert_eq!(
            step_day("--on", Some(DateArg::On(d("2026-08-25"))), today, "wait", Some(&recorded)),
            Ok(d("2026-08-25"))
        );
        assert_eq!(
            step_day("--loop-closed", Some(DateArg::On(d("0000-01-01"))), today, "wait", Some(&recorded)),
            Err("--loop-closed 0000-01-01 is before request 1 was recorded on 2026-08-25; the loop is closed after \
                 the request is recorded"
                .to_string())
        );
        assert_eq!(
            step_day("--on", Some(DateArg::On(d("2026-11-24"))), today, "record it once it is held", None),
            Err("--on 2026-11-24 is after today (2026-11-23); record it once it is held".to_string())
        );
        // At a prompt there is no flag to name.
        assert_eq!(
            step_day("", Some(DateArg::On(d("2026-01-01"))), today, "wait", Some(&recorded)).unwrap_err(),
            "2026-01-01 is before request 1 was recorded on 2026-08-25; the loop is closed after the request is recorded"
        );
        let worked = Follows { day: d("2026-11-01"), what: "the check-in".to_string(), why: "later" };
        assert_eq!(recorded.clone().later(Some(worked.clone())), worked);
        assert_eq!(worked.clone().later(Some(recorded.clone())), worked);
        assert_eq!(recorded.clone().later(None), recorded);
        // A decision made the day its request was recorded is the one named.
        let decided = Follows { day: recorded.day, what: "the decision".to_string(), why: "told after" };
        assert_eq!(recorded.later(Some(decided.clone())), decided);
    }

    #[test]
    fn derived_days_stay_days_the_database_keeps() {
        let d = |t: &str| parse_iso_date(t).unwrap();
        assert_eq!(days_after(d("9999-12-24"), 7), Some(d("9999-12-31")));
        assert_eq!(days_after(d("9999-12-31"), 7), None);
        assert_eq!(days_after_or_last(d("9999-12-31"), 30), d("9999-12-31"));
        assert_eq!(days_before_or_first(d("0000-01-03"), 7), d("0000-01-01"));
        assert_eq!(iso(days_after_or_last(d("9999-12-20"), 3650)), "9999-12-31");
    }

    #[test]
    fn refuses_what_is_not_a_calendar_day() {
        for bad in ["2026-02-30", "2026-2-3", "26-02-03", "2026/02/03", "tomorrow", "", "2026-02-03x"] {
            let err = parse_date_arg(bad).unwrap_err();
            assert!(err.contains("use YYYY-MM-DD"), "{bad}: {err}");
        }
    }
}
