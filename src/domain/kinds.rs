//! The field's fixed vocabularies: ways of engaging, domains, levels, statuses.
//!
//! Each is stored and typed in snake_case; `clap::ValueEnum` lets clap check flags and offer them
//! in shell completions, and `FromStr` reads them back from the database and from prompts.

use std::fmt;
use std::str::FromStr;

macro_rules! vocabulary {
    ($(#[$meta:meta])* $name:ident, $what:literal { $($variant:ident => $text:literal : $about:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, clap::ValueEnum)]
        pub enum $name {
            $(#[value(name = $text, help = $about)] $variant),+
        }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),+ }
            }

            /// What the word means, for prompts and help.
            pub fn about(self) -> &'static str {
                match self { $($name::$variant => $about),+ }
            }

            /// The word exactly as engage stores it, without folding case or spaces.
            pub fn from_stored(text: &str) -> Option<Self> {
                match text {
                    $($text => Some($name::$variant),)+
                    _ => None,
                }
            }

            /// `a, b or c`, for error sentences.
            pub fn choices() -> String {
                let all: Vec<&str> = Self::ALL.iter().map(|v| v.as_str()).collect();
                crate::domain::or_list(&all)
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl FromStr for $name {
            type Err = String;
            fn from_str(text: &str) -> Result<Self, String> {
                let folded = crate::domain::kinds::fold_word(text);
                Self::ALL
                    .iter()
                    .copied()
                    .find(|v| crate::domain::kinds::fold_word(v.as_str()) == folded)
                    .ok_or_else(|| format!("'{}' is not {}; use {}", text.trim(), $what, Self::choices()))
            }
        }

        impl crate::domain::kinds::Word for $name {
            const WHAT: &'static str = $what;

            fn word(self) -> &'static str {
                self.as_str()
            }

            fn from_word(text: &str) -> Option<Self> {
                Self::from_stored(text)
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let text = <std::borrow::Cow<'de, str> as serde::Deserialize>::deserialize(deserializer)?;
                Self::from_stored(&text)
                    .ok_or_else(|| serde::de::Error::custom(format!("'{}' is not {}", text, $what)))
            }
        }
    };
}

/// A word of one of the field's vocabularies (every type `vocabulary!` defines): what the
/// database layer stores and reads back, exactly as written, for all of them at once.
pub trait Word: Copy + Sized + 'static {
    /// What the word is, in a sentence: "a way of engaging".
    const WHAT: &'static str;
    /// The word as stored.
    fn word(self) -> &'static str;
    /// The word exactly as stored, without folding case or spaces.
    fn from_word(text: &str) -> Option<Self>;
}

/// How a typed word is compared with the vocabulary: case, spaces, hyphens and underscores aside
/// (`In Person`, `in-person` and `in_person`; `e_transfer` and `e-transfer`).
pub fn fold_word(text: &str) -> String {
    text.trim().to_ascii_lowercase().replace(['-', ' '], "_")
}

/// Other domain modules define their vocabularies with the same macro.
pub(crate) use vocabulary;

vocabulary!(
    /// How a partner engages, after IAP2 as Healthcare Excellence Canada uses it; it sets the rate.
    Way, "a way of engaging" {
        Inform => "inform": "receive information, e.g. opportunities by e-mail",
        Consult => "consult": "give feedback, e.g. a focus group",
        Involve => "involve": "work with the team throughout, e.g. reviewing evidence scans",
        Collaborate => "collaborate": "partner in each decision, e.g. a co-design team",
        Lead => "lead": "lead or co-lead, e.g. co-delivering a presentation",
    }
);

vocabulary!(
    /// Where the partnering happens (Health Quality Ontario's domains).
    Domain, "a domain" {
        Care => "care": "personal care and health decisions",
        Program => "program": "program and service design",
        Policy => "policy": "policy, strategy and governance",
    }
);

vocabulary!(
    /// At what level of the system.
    Level, "a level" {
        Direct => "direct": "direct care",
        Organizational => "organizational": "an organization",
        System => "system": "the provincial or national system",
    }
);

vocabulary!(
    Community, "a community type" {
        Urban => "urban": "a city or town",
        Rural => "rural": "a rural community",
        Remote => "remote": "a remote community",
    }
);

vocabulary!(
    /// How the engagement meets.
    Format, "a format" {
        InPerson => "in_person": "in person",
        Virtual => "virtual": "online",
        Hybrid => "hybrid": "in person and online",
    }
);

vocabulary!(
    /// The life of a request: submitted, recruiting, selecting, active, closed; or cancelled.
    RequestStatus, "a request status" {
        Submitted => "submitted": "recorded, no invitation sent yet",
        Recruiting => "recruiting": "invitations sent, collecting expressions of interest",
        Selecting => "selecting": "scoring and choosing candidates",
        Active => "active": "partners selected, the engagement is under way",
        Closed => "closed": "the loop is closed",
        Cancelled => "cancelled": "cancelled before it closed",
    }
);

impl RequestStatus {
    /// Closed and cancelled requests are history: they are not edited any more.
    pub fn is_final(self) -> bool {
        matches!(self, RequestStatus::Closed | RequestStatus::Cancelled)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_words_loosely_and_refuses_with_the_choices() {
        assert_eq!("Consult".parse::<Way>(), Ok(Way::Consult));
        assert_eq!("in-person".parse::<Format>(), Ok(Format::InPerson));
        assert_eq!("in person".parse::<Format>(), Ok(Format::InPerson));
        assert_eq!(
            "meet".parse::<Way>().unwrap_err(),
            "'meet' is not a way of engaging; use inform, consult, involve, collaborate or lead"
        );
    }
}

impl RequestStatus {
    /// Position in the life of a request; cancelled stands outside it.
    fn stage(self) -> u8 {
        match self {
            RequestStatus::Submitted => 0,
            RequestStatus::Recruiting => 1,
            RequestStatus::Selecting => 2,
            RequestStatus::Active => 3,
            RequestStatus::Closed => 4,
            RequestStatus::Cancelled => 5,
        }
    }

    /// A request only moves forward, and can be cancelled from every state but closed.
    pub fn can_move_to(self, to: RequestStatus) -> bool {
        if self.is_final() {
            return false;
        }
        to == RequestStatus::Cancelled || to.stage() > self.stage()
    }

    /// The statuses of requests still being worked on.
    pub const OPEN: &'static [RequestStatus] =
        &[RequestStatus::Submitted, RequestStatus::Recruiting, RequestStatus::Selecting, RequestStatus::Active];
}

#[cfg(test)]
mod lifecycle_tests {
    use super::RequestStatus::*;

    #[test]
    fn requests_move_forward_or_are_cancelled() {
        assert!(Submitted.can_move_to(Recruiting));
        assert!(Submitted.can_move_to(Selecting));
        assert!(Active.can_move_to(Closed));
        assert!(Active.can_move_to(Cancelled));
        assert!(!Selecting.can_move_to(Recruiting));
        assert!(!Closed.can_move_to(Cancelled));
        assert!(!Cancelled.can_move_to(Active));
    }
}

vocabulary!(
    /// Where a partner stands in the network.
    PartnerStatus, "a partner status" {
        Active => "active": "takes part and may be invited",
        Paused => "paused": "taking a break; not invited",
        Withdrawn => "withdrawn": "has left the network",
        Forgotten => "forgotten": "identifying data erased; kept only for anonymous counts",
    }
);

vocabulary!(
    /// A partner's answer to an invitation.
    Response, "a response" {
        Interested => "interested": "expressed interest",
        Declined => "declined": "not this time",
    }
);
