//! Reading one answer of a sign-up form: dates, yes/no, phone numbers, names, multi-select lists.
//! Each reader returns the value, or the reason a coordinator sees for the row's rejection.

use crate::domain::kinds::Community;
use crate::domain::text;
use chrono::{NaiveDate, NaiveDateTime, NaiveTime};
use unicode_normalization::UnicodeNormalization;

/// The order of day, month and year in a file's numeric dates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum DateOrder {
    /// 15/03/2024
    Dmy,
    /// 03/15/2024
    Mdy,
    /// 2024/03/15
    Ymd,
}

/// What one date says about the file's order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Evidence {
    /// No order needed (ISO, year first, a month name) or not a date at all.
    None,
    /// A day above 12 shows the order.
    Proves(DateOrder),
    /// Both of the first two numbers are 12 or less: day/month or month/day cannot be told.
    Ambiguous,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DateError {
    /// The reason, for the row's rejection.
    Invalid(String),
    /// Needs `--date-order`.
    Ambiguous,
}

const MONTHS: [&str; 12] = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];

fn month_named(word: &str) -> Option<u32> {
    let w = word.trim_end_matches('.').to_lowercase();
    if w.len() < 3 {
        return None;
    }
    MONTHS.iter().position(|m| w.starts_with(m)).map(|i| i as u32 + 1).filter(|_| {
        let full = [
            "january",
            "february",
            "march",
            "april",
            "may",
            "june",
            "july",
            "august",
            "september",
            "october",
            "november",
            "december",
        ];
        full.iter().any(|f| f.starts_with(&w)) || w == "sept"
    })
}

/// A year of four digits, or two (a two-digit year before 70 is this century). Digits only: `str::parse`
/// also takes a sign, and "Sept 3 -202" read as the year -202 made a date the database cannot keep.
fn year_of(text: &str) -> Option<i32> {
    if !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let n: i32 = text.parse().ok()?;
    match text.len() {
        4 => Some(n),
        2 => Some(if n < 70 { 2000 + n } else { 1900 + n }),
        _ => None,
    }
}

fn small(text: &str) -> Option<u32> {
    if text.is_empty() || text.len() > 2 || !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    text.parse().ok()
}

/// Reads a time of day: `14:34`, `14:34:56`, `2:34:56 PM`, `3:45 pm GMT+3`, `21:34:56Z`,
/// `14:34:56.123+02:00`. The time is kept as written: no time-zone conversion.
fn parse_time(text: &str) -> Option<NaiveTime> {
    let mut t = text.trim();
    // Time zones are dropped: a sign-up's date is the date the person saw.
    if let Some(i) = find_ascii_ci(t, "gmt").or_else(|| find_ascii_ci(t, "utc")) {
        t = t[..i].trim_end();
    }
    t = t.strip_suffix(['z', 'Z']).unwrap_or(t);
    let mut pm = None;
    for (suffix, is_pm) in [("am", false), ("pm", true), ("a.m.", false), ("p.m.", true)] {
        if t.len() >= suffix.len() && t.is_char_boundary(t.len() - suffix.len()) {
            let (rest, end) = t.split_at(t.len() - suffix.len());
            if end.eq_ignore_ascii_case(suffix) {
                pm = Some(is_pm);
                t = rest.trim_end();
                break;
            }
        }
    }
    // An offset after the seconds: +02:00, -0700.
    if let Some(i) = t.rfind(['+', '-']) {
        if t[..i].contains(':') {
            t = &t[..i];
        }
    }
    let mut parts = t.trim().split(':');
    let (h, m, sec) = (parts.next()?, parts.next()?, parts.next());
    if parts.next().is_some() {
        return None;
    }
    let hour = small(h)?;
    let minute = small(m).filter(|_| m.len() == 2)?;
    let second = match sec {
        Some(s) => {
            let whole = s.split('.').next().unwrap_or("");
            small(whole).filter(|_| whole.len() == 2)?
        }
        None => 0,
    };
    let hour = match pm {
        Some(_) if !(1..=12).contains(&hour) => return None,
        Some(true) if hour < 12 => hour + 12,
        Some(false) if hour == 12 => 0,
        _ => hour,
    };
    NaiveTime::from_hms_opt(hour, minute, second)
}

/// Where `needle` (lower-case ASCII) starts in `hay`, ignoring ASCII case.
fn find_ascii_ci(hay: &str, needle: &str) -> Option<usize> {
    hay.as_bytes().windows(needle.len()).position(|w| w.eq_ignore_ascii_case(needle.as_bytes()))
}

struct Parts<'a> {
    a: &'a str,
    b: &'a str,
    c: &'a str,
    time: Option<&'a str>,
}

/// `A/B/C [time]`, `A-B-C [time]`, `A.B.C [time]`, and ISO's `YYYY-MM-DDThh:mm`.
fn numeric_parts(text: &str) -> Option<Parts<'_>> {
    let (date, time) = match text.find(['T', ' ']) {
        Some(i) if text.as_bytes().get(i) == Some(&b'T') && i == 10 => (&text[..i], Some(&text[i + 1..])),
        Some(i) if text.as_bytes().get(i) == Some(&b' ') => (&text[..i], Some(text[i + 1..].trim())),
        Some(_) => return None,
        None => (text, None),
    };
    let sep = date.chars().find(|c| matches!(c, '/' | '-' | '.'))?;
    let mut pieces = date.split(sep);
    let (a, b, c) = (pieces.next()?, pieces.next()?, pieces.next()?);
    if pieces.next().is_some() || ![a, b, c].iter().all(|p| !p.is_empty() && p.bytes().all(|x| x.is_ascii_digit())) {
        return None;
    }
    Some(Parts { a, b, c, time: time.filter(|t| !t.is_empty()) })
}

/// What a date's text says about the order of the file's dates.
pub fn evidence(text: &str) -> Evidence {
    let text = text.trim();
    let Some(p) = numeric_parts(text) else { return Evidence::None };
    if p.a.len() == 4 {
        return Evidence::None;
    }
    match (small(p.a), small(p.b)) {
        (Some(a), Some(b)) if a > 12 && (1..=12).contains(&b) => Evidence::Proves(DateOrder::Dmy),
        (Some(a), Some(b)) if b > 12 && (1..=12).contains(&a) => Evidence::Proves(DateOrder::Mdy),
        (Some(a), Some(b)) if a <= 12 && b <= 12 && a != b => Evidence::Ambiguous,
        _ => Evidence::None,
    }
}

/// Reads a sign-up's date and time. Accepted: ISO 8601 (`2024-03-15`, `2024-03-15T21:34:56Z`,
/// `2024-03-15 14:34:56`), year-first (`2024/03/15 2:34:56 PM GMT-7`, Google Forms), day or month
/// first with a 4- or 2-digit year (`15/03/2024 14:34`, `7/2/20 11:00:22`, Microsoft Forms) in the
/// file's order, and month names (`Mar 15, 2024 2:34 PM`, `15 March 2024`).
pub fn parse_datetime(text: &str, order: Option<DateOrder>) -> Result<NaiveDateTime, DateError> {
    let text = text.trim();
    let invalid = |why: &str| DateError::Invalid(why.to_string());
    if text.len() >= 4 && text.bytes().all(|b| b.is_ascii_digit() || b == b'.') && !text.contains('/') {
        if text.len() <= 12 && text.split('.').next().is_some_and(|w| w.len() == 5) {
            return Err(invalid(
                "is a spreadsheet's date number, not a date; format the column as a date before exporting",
            ));
        }
        return Err(invalid("is not a date"));
    }
    let (date, time) = if let Some(p) = numeric_parts(text) {
        let (y, m, d) = if p.a.len() == 4 {
            (year_of(p.a), small(p.b), small(p.c))
        } else {
            let year = year_of(p.c);
            let (a, b) = (small(p.a), small(p.b));
            let order = match (order, evidence(text)) {
                (Some(o), _) => o,
                (None, Evidence::Proves(o)) => o,
                (None, Evidence::Ambiguous) => return Err(DateError::Ambiguous),
                // The same number twice (05/05/2024) reads the same either way.
                (None, Evidence::None) => DateOrder::Dmy,
            };
            match order {
                DateOrder::Dmy => (year, b, a),
                DateOrder::Mdy => (year, a, b),
                DateOrder::Ymd => {
                    return Err(invalid("does not start with the year, as --date-order ymd says the file's dates do"));
                }
            }
        };
        let (Some(y), Some(m), Some(d)) = (y, m, d) else { return Err(invalid("is not a date")) };
        let date = NaiveDate::from_ymd_opt(y, m, d).ok_or_else(|| invalid("is not a calendar day"))?;
        (date, p.time)
    } else {
        // Month names: "Mar 15, 2024 2:34 PM", "March 15 2024", "15 Mar 2024 14:00".
        let words: Vec<&str> = text.split([' ', ',']).filter(|w| !w.is_empty()).collect();
        let (month, day, year, rest) = match words.as_slice() {
            [m, d, y, rest @ ..] if month_named(m).is_some() => (month_named(m), small(d), year_of(y), rest),
            [d, m, y, rest @ ..] if month_named(m).is_some() => (month_named(m), small(d), year_of(y), rest),
            _ => return Err(invalid("is not a date")),
        };
        let (Some(m), Some(d), Some(y)) = (month, day, year) else { return Err(invalid("is not a date")) };
        let date = NaiveDate::from_ymd_opt(y, m, d).ok_or_else(|| invalid("is not a calendar day"))?;
        let time = rest.join(" ");
        return Ok(date.and_time(if time.is_empty() {
            NaiveTime::MIN
        } else {
            parse_time(&time).ok_or_else(|| invalid("has a time engage cannot read"))?
        }));
    };
    let time = match time {
        None => NaiveTime::MIN,
        Some(t) => parse_time(t).ok_or_else(|| invalid("has a time engage cannot read"))?,
    };
    Ok(date.and_time(time))
}

/// Yes or no. Empty is `None` (no answer). Yes: yes, y, true, 1, agree, I agree, and long answers
/// that start with "Yes" or "I agree" and say no "no"; no: no, n, false, 0, and answers starting
/// with "No" or "I do not". Anything else (`Maybe`, `Oui`, `Yes, No`, `✓`) is refused.
pub fn yes_no(text: &str) -> Result<Option<bool>, String> {
    let trimmed = text.trim();
    for (word, answer) in [("yes", true), ("no", false), ("y", true), ("n", false), ("true", true), ("false", false)] {
        if trimmed.eq_ignore_ascii_case(word) {
            return Ok(Some(answer));
        }
    }
    let t = trimmed.to_lowercase();
    if t.is_empty() {
        return Ok(None);
    }
    let words: Vec<&str> = t.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).collect();
    let says_no = words.iter().any(|w| matches!(*w, "no" | "not" | "don" | "dont"));
    match t.as_str() {
        "yes" | "y" | "true" | "1" | "agree" | "i agree" => return Ok(Some(true)),
        "no" | "n" | "false" | "0" => return Ok(Some(false)),
        _ => {}
    }
    let first = words.first().copied().unwrap_or("");
    if (first == "yes" || t.starts_with("i agree") || t.starts_with("i consent")) && !says_no {
        return Ok(Some(true));
    }
    if (first == "no" || t.starts_with("i do not") || t.starts_with("i don't")) && !words.contains(&"yes") {
        return Ok(Some(false));
    }
    Err(format!("'{}' is not yes or no", text.trim()))
}

/// Characters that have no place in a name, an e-mail or a phone (see [`text::hidden_character`]).
pub fn has_hidden_characters(text: &str) -> Option<char> {
    text::hidden_character(text)
}

/// Why text with a control or invisible character in it is refused.
fn refuse_hidden(t: &str) -> Result<(), String> {
    match has_hidden_characters(t) {
        Some(c) => Err(format!(
            "contains a control or invisible character ({})",
            crate::domain::text::for_terminal(&c.to_string())
        )),
        None => Ok(()),
    }
}

/// The longest name engage keeps.
pub const MAX_NAME: usize = text::Kind::Name.max_chars();

/// A name: trimmed, and meeting the rules of every name (no hidden characters, at most 200
/// characters), the same as on the command line. Empty is `None`. The reason quotes the value
/// when it is short enough to.
pub fn name(text: &str) -> Result<Option<String>, String> {
    let t = text.trim();
    if t.is_empty() {
        return Ok(None);
    }
    text::check(t, text::Kind::Name)?;
    Ok(Some(t.to_string()))
}

/// A phone number, kept as text (full-width digits made plain). Empty is `None`. It needs 7 to 15
/// digits before any extension; what a spreadsheet did to it (`2.50555E+09`, `12-Mar`) is refused.
pub fn phone(text: &str) -> Result<Option<String>, String> {
    let t: String = if text.is_ascii() { text.trim().to_string() } else { text.trim().nfkc().collect() };
    let t = t.trim();
    if t.is_empty() {
        return Ok(None);
    }
    refuse_hidden(t)?;
    let lower = t.to_lowercase();
    if lower.contains("e+") && lower.chars().all(|c| c.is_ascii_digit() || matches!(c, '.' | 'e' | '+')) {
        return Err("was damaged by a spreadsheet (digits were lost); export the column as text".to_string());
    }
    let words: Vec<&str> = lower.split(['-', ' ', '/']).collect();
    if words.len() == 2 && words.iter().any(|w| month_named(w).is_some()) {
        return Err("was turned into a date by a spreadsheet; export the column as text".to_string());
    }
    let main = ["ext", "x", "#"].iter().filter_map(|m| lower.find(m)).min().map_or(lower.as_str(), |i| &lower[..i]);
    if main.chars().any(|c| !(c.is_ascii_digit() || matches!(c, ' ' | '+' | '(' | ')' | '-' | '.' | '/'))) {
        return Err("is not a phone number; use digits, spaces and + ( ) - .".to_string());
    }
    let digits = main.chars().filter(char::is_ascii_digit).count();
    if digits < 7 {
        return Err(format!("has {digits} digits; a phone number has 7 to 15"));
    }
    if digits > 15 {
        return Err(format!("has {digits} digits; a phone number has at most 15"));
    }
    Ok(Some(t.to_string()))
}

/// A community type from a form's answer; `None` for answers engage has no type for (they stay in
/// the partner's `extra`).
pub fn community(text: &str) -> Option<Community> {
    let t = text.trim().to_lowercase();
    match t.as_str() {
        "urban" | "city" | "town" | "suburban" | "urban/suburban" | "suburb" => Some(Community::Urban),
        "rural" | "village" | "farm" => Some(Community::Rural),
        "remote" | "northern and remote" | "fly-in" | "isolated" => Some(Community::Remote),
        _ => t.parse().ok(),
    }
}

/// Equal but for case, without allocating.
pub fn same_text(a: &str, b: &str) -> bool {
    a.chars().flat_map(char::to_lowercase).eq(b.chars().flat_map(char::to_lowercase))
}

/// Splits a multi-select answer: on line breaks (JotForm), on `;` (Microsoft Forms, trailing `;`
/// included), otherwise on commas (Google Forms' `, `). An item that starts with a lower-case letter
/// belongs to the one before it, so an option like `Health equity, diversity and inclusion` stays
/// whole.
pub fn split_multi(text: &str) -> Vec<String> {
    let mut items: Vec<String> = Vec::new();
    let push = |item: &str, items: &mut Vec<String>| {
        let item = item.trim();
        if !item.is_empty() && !items.iter().any(|i| same_text(i, item)) {
            items.push(item.to_string());
        }
    };
    if text.contains(['\n', '\r']) {
        for line in text.split(['\n', '\r']) {
            push(line, &mut items);
        }
    } else if text.contains(';') {
        for part in text.split(';') {
            push(part, &mut items);
        }
    } else {
        let mut current = String::new();
        for part in text.split(',') {
            let starts_lower = part.trim_start().chars().next().is_some_and(char::is_lowercase);
            if !current.is_empty() && starts_lower {
                current.push(',');
                current.push_str(part);
            } else {
                if !current.is_empty() {
                    push(&current, &mut items);
                }
                current = part.to_string();
            }
        }
        push(&current, &mut items);
    }
    items
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dt(text: &str, order: Option<DateOrder>) -> Result<String, DateError> {
        parse_datetime(text, order).map(|d| d.format("%Y-%m-%d %H:%M:%S").to_string())
    }

    #[test]
    fn reads_the_form_tools_timestamps() {
        let ok = |text: &str, order, want: &str| assert_eq!(dt(text, order).as_deref(), Ok(want), "{text}");
        ok("2024-03-15T21:34:56Z", None, "2024-03-15 21:34:56");
        ok("2024-03-15 14:34:56", None, "2024-03-15 14:34:56");
        ok("2024-03-15", None, "2024-03-15 00:00:00");
        ok("2026/09/27 3:45:12 PM GMT+3", None, "2026-09-27 15:45:12");
        ok("2024/01/08 8:13:24 AM", None, "2024-01-08 08:13:24");
        ok("2024/01/08 12:13:24 AM", None, "2024-01-08 00:13:24");
        ok("7/2/20 11:00:22", Some(DateOrder::Mdy), "2020-07-02 11:00:22");
        ok("3/15/2024 14:34:56", None, "2024-03-15 14:34:56");
        ok("15/03/2024 14:34", None, "2024-03-15 14:34:00");
        ok("Mar 15, 2024 2:34 PM", None, "2024-03-15 14:34:00");
        ok("15 March 2024", None, "2024-03-15 00:00:00");
        ok("2024-03-15T14:34:56.123+02:00", None, "2024-03-15 14:34:56");
        ok("05/05/2024", None, "2024-05-05 00:00:00");
    }

    #[test]
    fn refuses_what_is_not_a_date() {
        assert_eq!(dt("03/04/2024 10:00:00", None), Err(DateError::Ambiguous));
        assert_eq!(dt("03/04/2024", Some(DateOrder::Dmy)).as_deref(), Ok("2024-04-03 00:00:00"));
        assert!(matches!(dt("2024-02-30 10:00:00", None), Err(DateError::Invalid(w)) if w == "is not a calendar day"));
        assert!(
            matches!(dt("45366.60759", None), Err(DateError::Invalid(w)) if w.contains("spreadsheet's date number"))
        );
        assert!(matches!(dt("15/03/2024", Some(DateOrder::Mdy)), Err(DateError::Invalid(_))));
        assert!(matches!(dt("soon", None), Err(DateError::Invalid(_))));
        assert!(matches!(dt("2024-03-15 25:00", None), Err(DateError::Invalid(_))));
        // Found by `cargo fuzz run dates`: a signed year read as a year before the common era.
        for signed in ["Sept 3 -202", "Mar 15, -999", "15 March +202", "Mar 15 +2024"] {
            assert!(matches!(dt(signed, None), Err(DateError::Invalid(w)) if w == "is not a date"), "{signed}");
        }
    }

    #[test]
    fn dates_prove_the_order() {
        assert_eq!(evidence("15/03/2024"), Evidence::Proves(DateOrder::Dmy));
        assert_eq!(evidence("3/15/2024 1:00"), Evidence::Proves(DateOrder::Mdy));
        assert_eq!(evidence("03/04/2024"), Evidence::Ambiguous);
        assert_eq!(evidence("2024/03/04"), Evidence::None);
        assert_eq!(evidence("Mar 4, 2024"), Evidence::None);
    }

    #[test]
    fn consent_is_yes_only_when_it_says_yes() {
        for yes in
            ["Yes", "yes", "Y", "TRUE", "1", "Yes, I agree to be contacted about engagement opportunities", "Yes "]
        {
            assert_eq!(yes_no(yes), Ok(Some(true)), "{yes}");
        }
        for no in ["No", "no", "N", "FALSE", "0", "No thank you"] {
            assert_eq!(yes_no(no), Ok(Some(false)), "{no}");
        }
        for blank in ["", " "] {
            assert_eq!(yes_no(blank), Ok(None));
        }
        for bad in ["Oui", "Maybe", "Yes, No", "✓"] {
            assert_eq!(yes_no(bad), Err(format!("'{bad}' is not yes or no")));
        }
    }

    #[test]
    fn phones_stay_text_and_spreadsheet_damage_is_caught() {
        assert_eq!(phone("+1 (250) 555-0101 ext. 7").unwrap().as_deref(), Some("+1 (250) 555-0101 ext. 7"));
        assert_eq!(phone("７７８-５５５-０１０３").unwrap().as_deref(), Some("778-555-0103"));
        assert_eq!(phone("").unwrap(), None);
        assert!(phone("2.50555E+09").unwrap_err().contains("damaged by a spreadsheet"));
        assert!(phone("12-Mar").unwrap_err().contains("turned into a date"));
        assert!(phone("call me after 5pm").unwrap_err().contains("is not a phone number"));
        assert!(phone("25055501102505550110").unwrap_err().contains("20 digits"));
    }

    #[test]
    fn names_are_checked() {
        assert_eq!(name("  Siobhán  ").unwrap().as_deref(), Some("Siobhán"));
        assert_eq!(name("\u{3000}").unwrap(), None);
        assert!(name("Avery\x1b[2J").unwrap_err().contains("control or invisible"));
        assert!(name("Mor\u{200b}gan").is_err());
        assert!(name("Pat 👩🏽\u{200d}⚕️").is_ok());
        assert!(name(&"a".repeat(201)).unwrap_err().contains("201 characters"));
    }

    #[test]
    fn splits_multi_select_answers() {
        assert_eq!(split_multi("Patient safety, Primary care"), ["Patient safety", "Primary care"]);
        assert_eq!(split_multi("Cancer care;Digital health;"), ["Cancer care", "Digital health"]);
        assert_eq!(split_multi("Cancer care\nDigital health"), ["Cancer care", "Digital health"]);
        assert_eq!(
            split_multi("Primary care, Health equity, diversity and inclusion, Cancer care"),
            ["Primary care", "Health equity, diversity and inclusion", "Cancer care"]
        );
        assert!(split_multi("").is_empty());
    }

    #[test]
    fn community_types() {
        assert_eq!(community("Urban"), Some(Community::Urban));
        assert_eq!(community("Suburban"), Some(Community::Urban));
        assert_eq!(community("Remote"), Some(Community::Remote));
        assert_eq!(community("First Nations community"), None);
    }
}
