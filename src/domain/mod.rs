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
pub mod link;
pub mod merge;
pub mod money;
pub mod partner;
pub mod reminder;
pub mod report;
pub mod request;
pub mod selection;
pub mod settings;
pub mod text;

/// `a`, `a or b`, `a, b or c`: lists in error sentences.
pub fn or_list(items: &[&str]) -> String {
    join_last(items, "or")
}

/// `a`, `a and b`, `a, b and c`.
pub fn and_list(items: &[&str]) -> String {
    join_last(items, "and")
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
