//! The two languages Canada's networks work in, and how each writes a date, an amount
//! and a number: `January 10, 2027` and `$2,000.00` in English, `10 janvier 2027` and `2 000,00 $`
//! in Canadian French.
//!
//! French follows the Office québécois de la langue française: digits grouped by three with a
//! narrow no-break space (U+202F, the « espace fine insécable »), a decimal comma, and a no-break
//! space (U+00A0) before `$` and `%`, so that an amount or a share never breaks across lines in a
//! letter or on a page. The first of the month is `1er`.

use super::money::{Hours, Money};
use chrono::{Datelike, NaiveDate};
use std::fmt;
use std::str::FromStr;

/// The narrow no-break space that groups digits in French.
pub const THIN: char = '\u{202f}';
/// The no-break space before `$` and `%` in French.
pub const NBSP: char = '\u{a0}';

/// The language a partner is written to in, and a page is drawn in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub enum Language {
    #[default]
    En,
    Fr,
}

impl Language {
    pub const ALL: &'static [Language] = &[Language::En, Language::Fr];

    /// As stored and typed: `en`, `fr`.
    pub fn code(self) -> &'static str {
        match self {
            Language::En => "en",
            Language::Fr => "fr",
        }
    }

    /// In words, for sentences in English (the command line stays in English).
    pub fn words(self) -> &'static str {
        match self {
            Language::En => "English",
            Language::Fr => "French",
        }
    }
}

/// Stored as its code, `en` or `fr`, as the field's words are.
impl super::kinds::Word for Language {
    const WHAT: &'static str = "a language of correspondence";

    fn word(self) -> &'static str {
        self.code()
    }

    fn from_word(text: &str) -> Option<Language> {
        Language::ALL.iter().copied().find(|l| l.code() == text)
    }
}

impl fmt::Display for Language {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl FromStr for Language {
    type Err = String;
    /// `en` or `fr`, and what a sign-up form writes for them: `English`, `Anglais`, `Français`,
    /// `French`, `fr-CA`, `FRA`.
    fn from_str(text: &str) -> Result<Language, String> {
        let folded = text.trim().to_lowercase().replace('_', "-");
        let base = folded.split('-').next().unwrap_or("");
        match base {
            "en" | "eng" | "english" | "anglais" => Ok(Language::En),
            "fr" | "fra" | "fre" | "french" | "français" | "francais" => Ok(Language::Fr),
            _ => Err(format!("'{}' is not a language of correspondence; use en or fr", text.trim())),
        }
    }
}

const MOIS: [&str; 12] = [
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
];

/// `January 10, 2027`; `10 janvier 2027`, `1er février 2027`.
pub fn long_date(day: NaiveDate, lang: Language) -> String {
    match lang {
        Language::En => day.format("%B %-d, %Y").to_string(),
        Language::Fr => format!("{} {}", day_and_month(day), day.year()),
    }
}

/// `10 janvier`, `1er février`: a day without its year, for a span within one year.
pub fn day_and_month(day: NaiveDate) -> String {
    let d = day.day();
    let month = MOIS[day.month0() as usize];
    if d == 1 { format!("1er {month}") } else { format!("{d} {month}") }
}

/// `1,234,567`; `1 234 567` (narrow no-break spaces).
pub fn count(n: i64, lang: Language) -> String {
    let digits = super::text::group(n.unsigned_abs());
    let grouped = match lang {
        Language::En => digits,
        Language::Fr => digits.replace(',', &THIN.to_string()),
    };
    if n < 0 { format!("-{grouped}") } else { grouped }
}

/// A decimal as it reads: `12.5`; `12,5`.
pub fn decimal(text: &str, lang: Language) -> String {
    match lang {
        Language::En => text.to_string(),
        Language::Fr => text.replace('.', ","),
    }
}

/// `$2,000.00`; `2 000,00 $`.
pub fn money(m: Money, lang: Language) -> String {
    match lang {
        Language::En => m.to_string(),
        Language::Fr => {
            let cents = m.cents();
            let sign = if cents < 0 { "-" } else { "" };
            let whole = count((cents / 100).abs(), lang);
            format!("{sign}{whole},{:02}{NBSP}$", (cents % 100).abs())
        }
    }
}

/// Hours as a sentence reads them, grouped: `2,304,783.5`; `2 304 783,5`.
pub fn hours(h: Hours, lang: Language) -> String {
    let whole = count(h.hundredths() / 100, lang);
    match h.plain().split_once('.') {
        Some((_, fraction)) => format!("{whole}{}{fraction}", if lang == Language::Fr { ',' } else { '.' }),
        None => whole,
    }
}

/// `77.8%`; `77,8 %`.
pub fn percent(value: f64, lang: Language) -> String {
    match lang {
        Language::En => format!("{value}%"),
        Language::Fr => format!("{}{NBSP}%", decimal(&format!("{value}"), lang)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn languages_read_as_forms_write_them() {
        for (text, lang) in [
            ("en", Language::En),
            ("English", Language::En),
            ("Anglais", Language::En),
            ("fr", Language::Fr),
            ("FR-CA", Language::Fr),
            ("Français", Language::Fr),
            ("francais", Language::Fr),
            (" French ", Language::Fr),
        ] {
            assert_eq!(text.parse::<Language>(), Ok(lang), "{text}");
        }
        assert_eq!("de".parse::<Language>().unwrap_err(), "'de' is not a language of correspondence; use en or fr");
        assert_eq!("".parse::<Language>().unwrap_err(), "'' is not a language of correspondence; use en or fr");
    }

    #[test]
    fn dates_read_as_each_language_writes_them() {
        assert_eq!(long_date(d("2027-01-10"), Language::En), "January 10, 2027");
        assert_eq!(long_date(d("2027-01-10"), Language::Fr), "10 janvier 2027");
        assert_eq!(long_date(d("2027-02-01"), Language::Fr), "1er février 2027");
        assert_eq!(long_date(d("2026-08-15"), Language::Fr), "15 août 2026");
        assert_eq!(long_date(d("2026-12-31"), Language::Fr), "31 décembre 2026");
    }

    #[test]
    fn amounts_and_numbers_read_as_canadian_french_writes_them() {
        assert_eq!(money(Money(200_000), Language::Fr), "2\u{202f}000,00\u{a0}$");
        assert_eq!(money(Money(200_000), Language::En), "$2,000.00");
        assert_eq!(money(Money(5), Language::Fr), "0,05\u{a0}$");
        assert_eq!(money(Money(123_456_789), Language::Fr), "1\u{202f}234\u{202f}567,89\u{a0}$");
        assert_eq!(count(1_234, Language::Fr), "1\u{202f}234");
        assert_eq!(count(-1_234_567, Language::Fr), "-1\u{202f}234\u{202f}567");
        assert_eq!(count(999, Language::Fr), "999");
        assert_eq!(count(1_234, Language::En), "1,234");
        assert_eq!(hours(Hours(230_478_350), Language::Fr), "2\u{202f}304\u{202f}783,5");
        assert_eq!(hours(Hours(1_225), Language::Fr), "12,25");
        assert_eq!(hours(Hours(1_200), Language::En), "12");
        assert_eq!(percent(77.8, Language::Fr), "77,8\u{a0}%");
        assert_eq!(percent(77.8, Language::En), "77.8%");
    }
}
