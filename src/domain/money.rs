//! Money in integer cents and hours in hundredths: hours x rate is exact to the cent.

use std::fmt;

/// An amount of money in cents. Never negative in engage.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default)]
pub struct Money(pub i64);

/// The largest amount engage accepts: ten million dollars, far above any honorarium.
const MAX_CENTS: i64 = 1_000_000_000;

impl Money {
    pub fn cents(self) -> i64 {
        self.0
    }

    /// `12.50`, the form used in JSON, CSV and the database settings. Its digits are written by
    /// hand: a compensation report writes hundreds of thousands of amounts.
    pub fn plain(self) -> String {
        let Ok(cents) = u64::try_from(self.0) else { return format!("{}.{:02}", self.0 / 100, self.0 % 100) };
        let mut digits = [0u8; 20];
        let mut at = digits.len();
        let mut dollars = cents / 100;
        loop {
            at -= 1;
            digits[at] = b'0' + (dollars % 10) as u8;
            dollars /= 10;
            if dollars == 0 {
                break;
            }
        }
        let mut out = String::with_capacity(digits.len() - at + 3);
        out.extend(digits[at..].iter().map(|d| char::from(*d)));
        out.push('.');
        out.push(char::from(b'0' + (cents % 100 / 10) as u8));
        out.push(char::from(b'0' + (cents % 10) as u8));
        out
    }

    /// Hours times an hourly rate, rounded half up to the cent.
    pub fn for_hours(rate: Money, hours: Hours) -> Money {
        let hundredths = i128::from(rate.0) * i128::from(hours.0);
        let cents = (hundredths + 50) / 100;
        Money(i64::try_from(cents).unwrap_or(i64::MAX))
    }
}

impl fmt::Display for Money {
    /// `$1,234.50`, the form used in tables and sentences.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let dollars = self.0 / 100;
        let sign = if dollars < 0 { "-" } else { "" };
        write!(f, "${sign}{}.{:02}", super::text::group(dollars.unsigned_abs()), self.0 % 100)
    }
}

/// Reads a decimal with at most two places: `12`, `12.5`, `12.50`, also `$1,200.00`.
/// Returns hundredths, or why the text is not accepted.
fn parse_hundredths(text: &str, allow_dollar: bool) -> Option<i64> {
    let mut text = text.trim();
    if allow_dollar {
        text = text.strip_prefix('$').unwrap_or(text);
    }
    let (whole, fraction) = match text.split_once('.') {
        Some((w, f)) => (w, f),
        None => (text, ""),
    };
    let whole: String = if allow_dollar && whole.contains(',') {
        // Thousands separators only in their proper places: 1,200 or 12,000,000.
        let groups: Vec<&str> = whole.split(',').collect();
        let first_ok = (1..=3).contains(&groups[0].len());
        let rest_ok = groups[1..].iter().all(|g| g.len() == 3);
        if !first_ok || !rest_ok {
            return None;
        }
        groups.concat()
    } else {
        whole.to_string()
    };
    if whole.is_empty() || whole.len() > 12 || !whole.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    if fraction.len() > 2 || !fraction.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    if text.ends_with('.') {
        return None;
    }
    let whole: i64 = whole.parse().ok()?;
    let fraction: i64 = match fraction.len() {
        0 => 0,
        1 => fraction.parse::<i64>().ok()? * 10,
        _ => fraction.parse().ok()?,
    };
    whole.checked_mul(100)?.checked_add(fraction)
}

/// Parses dollars as the coordinator types them.
pub fn parse_money(text: &str) -> Result<Money, String> {
    match parse_hundredths(text, true) {
        Some(cents) if cents <= MAX_CENTS => Ok(Money(cents)),
        Some(_) => Err(format!("'{}' is more than engage accepts (at most $10,000,000.00)", text.trim())),
        None => Err(format!(
            "'{}' is not an amount of dollars; use digits with at most two decimals, for example 25 or 25.50",
            text.trim()
        )),
    }
}

/// Hours in hundredths of an hour.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default)]
pub struct Hours(pub i64);

/// No engagement runs longer than this many hours: a typo guard, not a policy.
const MAX_HOURS: i64 = 10_000;

impl Hours {
    pub fn hundredths(self) -> i64 {
        self.0
    }

    pub fn plain(self) -> String {
        if self.0 % 100 == 0 {
            format!("{}", self.0 / 100)
        } else if self.0 % 10 == 0 {
            format!("{}.{}", self.0 / 100, (self.0 % 100) / 10)
        } else {
            format!("{}.{:02}", self.0 / 100, self.0 % 100)
        }
    }

    /// As a JSON number: 14, 1.5, 0.25.
    pub fn as_f64(self) -> f64 {
        self.0 as f64 / 100.0
    }
}

impl Hours {
    /// `1 hour`, `2.5 hours`, `0.25 hours`.
    pub fn counted(self) -> String {
        if self.0 == 100 { "1 hour".to_string() } else { format!("{self} hours") }
    }
}

impl fmt::Display for Hours {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.plain())
    }
}

pub fn parse_hours(text: &str) -> Result<Hours, String> {
    match parse_hundredths(text, false) {
        Some(h) if h <= MAX_HOURS * 100 => Ok(Hours(h)),
        Some(_) => Err(format!("'{}' hours is more than engage accepts (at most {MAX_HOURS})", text.trim())),
        None => Err(format!(
            "'{}' is not a number of hours; use digits with at most two decimals, for example 2 or 1.5",
            text.trim()
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_amounts_are_dollars_a_point_and_two_digits_of_cents() {
        for cents in [0, 5, 10, 99, 100, 101, 1234, 150_000, 999_999, MAX_CENTS, i64::MAX] {
            assert_eq!(Money(cents).plain(), format!("{}.{:02}", cents / 100, cents % 100), "{cents}");
        }
        assert_eq!(Money(1250).plain(), "12.50");
        assert_eq!(Money(7).plain(), "0.07");
    }

    #[test]
    fn one_hour_is_an_hour() {
        let counted: Vec<String> =
            ["1", "1.5", "0.25", "14"].iter().map(|h| parse_hours(h).unwrap().counted()).collect();
        assert_eq!(counted, ["1 hour", "1.5 hours", "0.25 hours", "14 hours"]);
    }

    #[test]
    fn reads_dollars() {
        assert_eq!(parse_money("25"), Ok(Money(2500)));
        assert_eq!(parse_money("25.5"), Ok(Money(2550)));
        assert_eq!(parse_money("$1,200.05"), Ok(Money(120_005)));
        assert_eq!(parse_money("0"), Ok(Money(0)));
        for bad in ["", "-5", "2.555", "1,20", "abc", "12.", "1e3", "$", "25 dollars"] {
            assert!(parse_money(bad).is_err(), "{bad}");
        }
        assert!(parse_money("10000000.01").unwrap_err().contains("more than"));
    }

    #[test]
    fn writes_dollars() {
        assert_eq!(Money(56_000).to_string(), "$560.00");
        assert_eq!(Money(200_000).to_string(), "$2,000.00");
        assert_eq!(Money(123_456_789).to_string(), "$1,234,567.89");
        assert_eq!(Money(5).plain(), "0.05");
    }

    #[test]
    fn hours_times_rate_is_exact() {
        // The recognition guide's examples (docs/rules.md, rule 11).
        assert_eq!(Money::for_hours(Money(4000), parse_hours("14").unwrap()), Money(56_000));
        assert_eq!(Money::for_hours(Money(5000), parse_hours("40").unwrap()), Money(200_000));
        assert_eq!(Money::for_hours(Money(6000), parse_hours("8").unwrap()), Money(48_000));
        assert_eq!(Money::for_hours(Money(2500), parse_hours("2").unwrap()), Money(5000));
        // Fractions of a cent round half up.
        assert_eq!(Money::for_hours(Money(3333), parse_hours("0.01").unwrap()), Money(33));
        assert_eq!(Money::for_hours(Money(150), parse_hours("0.01").unwrap()), Money(2));
        assert_eq!(Money::for_hours(Money(2500), parse_hours("1.25").unwrap()), Money(3125));
    }

    #[test]
    fn hours_read_and_print() {
        assert_eq!(parse_hours("1.5"), Ok(Hours(150)));
        assert_eq!(Hours(150).plain(), "1.5");
        assert_eq!(Hours(125).plain(), "1.25");
        assert_eq!(Hours(1400).plain(), "14");
        assert!(parse_hours("-1").is_err());
        assert!(parse_hours("10001").is_err());
    }
}
