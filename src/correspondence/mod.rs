//! Correspondence: the messages the field asks for, drafted from what engage knows, one
//! per person, and handed over as printed drafts, `.eml` files or SMTP.
//!
//! - [`draft`]: what each kind of message says to whom, from plain facts (no database): the
//!   placeholders a template is given, and who is written to, called or left out.
//! - [`template`]: the built-in templates by kind, way and language, a coordinator's own, and their
//!   rendering (minijinja, strict: a placeholder a request lacks is refused, named).
//! - [`mail`]: an RFC 5322 message (lettre): one `To`, no `Cc`, `Message-ID`, `Date`.
//! - [`outbox`]: one `.eml` file per message, 0600, under names engage chooses.
//! - [`smtp`]: the SMTP settings and the transport, and what the server's answer means.
//!
//! Recording what was delivered is the command's job (src/cli/message), in the transaction that
//! logs the delivery (src/db/messages.rs).

pub mod draft;
#[cfg(test)]
mod french_tests;
pub mod mail;
pub mod outbox;
pub mod smtp;
pub mod template;

use std::fmt;
use std::str::FromStr;

/// The seven kinds of message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Kind {
    Invitation,
    Outcome,
    Welcome,
    Thanks,
    LoopClosed,
    Survey,
    Roster,
}

impl Kind {
    pub const ALL: &'static [Kind] =
        &[Kind::Invitation, Kind::Outcome, Kind::Welcome, Kind::Thanks, Kind::LoopClosed, Kind::Survey, Kind::Roster];

    /// As typed on the command line and stored in the message log.
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Invitation => "invitation",
            Kind::Outcome => "outcome",
            Kind::Welcome => "welcome",
            Kind::Thanks => "thanks",
            Kind::LoopClosed => "loop-closed",
            Kind::Survey => "survey",
            Kind::Roster => "roster",
        }
    }

    /// What the message is, in a sentence: "the outcome", "the invitation"; it begins one too.
    pub fn words(self) -> &'static str {
        match self {
            Kind::Invitation => "the invitation",
            Kind::Outcome => "the outcome",
            Kind::Welcome => "the welcome",
            Kind::Thanks => "the thanks",
            Kind::LoopClosed => "the loop-closed message",
            Kind::Survey => "the survey",
            Kind::Roster => "the roster",
        }
    }
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Kind {
    type Err = String;
    fn from_str(text: &str) -> Result<Kind, String> {
        let folded = text.trim().to_ascii_lowercase().replace('_', "-");
        Kind::ALL.iter().copied().find(|k| k.as_str() == folded).ok_or_else(|| {
            let all: Vec<&str> = Kind::ALL.iter().map(|k| k.as_str()).collect();
            format!("'{}' is not a kind of message; use {}", text.trim(), crate::domain::or_list(&all))
        })
    }
}

/// The language a message is written in: English or Canadian French, each with built-in
/// templates for every kind and way.
pub use crate::domain::language::Language;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_read_as_typed_and_stored() {
        for kind in Kind::ALL {
            assert_eq!(kind.as_str().parse::<Kind>(), Ok(*kind));
        }
        assert_eq!("loop_closed".parse::<Kind>(), Ok(Kind::LoopClosed));
        assert_eq!(
            "reminder".parse::<Kind>().unwrap_err(),
            "'reminder' is not a kind of message; use invitation, outcome, welcome, thanks, loop-closed, survey or roster"
        );
    }
}
