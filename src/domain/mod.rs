//! The nouns of the field and their rules, free of the database and the command line.

pub mod checkin;
pub mod closing;
pub mod compensation;
pub mod criteria;
pub mod dates;
pub mod email;
pub mod identity;
pub mod identity_index;
pub mod kinds;
pub mod language;
pub mod link;
pub mod merge;
pub mod money;
pub mod partner;
pub mod reminder;
pub mod report;
pub mod request;
pub mod response;
pub mod selection;
pub mod settings;
pub mod shape;
pub mod status;
pub mod text;

/// `a`, `a or b`, `a, b or c`: lists in error sentences.
pub fn or_list(items: &[&str]) -> String {
    join_last(items, "or")
}

/// `a`, `a and b`, `a, b and c`.
pub fn and_list(items: &[&str]) -> String {
    join_last(items, "and")
}

/// `1 seat`, `3 seats`: a count and the noun that goes with it.
pub fn plural<N: std::fmt::Display + PartialEq + From<u8>>(n: N, one: &str, many: &str) -> String {
    format!("{n} {}", if n == N::from(1) { one } else { many })
}

fn join_last(items: &[&str], word: &str) -> String {
    match items {
        [] => String::new(),
        [one] => (*one).to_string(),
        [init @ .., last] => format!("{} {word} {last}", init.join(", ")),
    }
}

/// Who did something and when, for the event log.
#[derive(Debug, Clone)]
pub struct Stamp {
    /// The OS user running engage.
    pub by: String,
    /// `YYYY-MM-DDTHH:MM:SS`.
    pub at: String,
    pub today: chrono::NaiveDate,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_count_takes_its_noun_in_the_singular_only_for_one() {
        assert_eq!(plural(1usize, "seat", "seats"), "1 seat");
        assert_eq!(plural(0u32, "seat", "seats"), "0 seats");
        assert_eq!(plural(3i64, "partner is", "partners are"), "3 partners are");
        assert_eq!(and_list(&["a", "b", "c"]), "a, b and c");
    }
}
