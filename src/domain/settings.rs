//! The settings a network agrees on, their defaults (from the field's rules, docs/rules.md) and
//! their checks.

use super::kinds::Way;
use super::money::parse_money;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Dollars, stored as `25.00`.
    Money,
    /// A whole number from `min` to `max`.
    Number { min: u32, max: u32 },
    /// Free text of at most 200 characters.
    Text,
    /// The same, or empty for not set.
    OptionalText,
    /// An e-mail address, or empty for not set.
    Email,
    /// A host name or IP address, or empty for not set.
    Host,
    /// A TCP port from 1 to 65535, or empty for the usual one.
    Port,
    /// One of these words.
    Choice(&'static [&'static str]),
}

#[derive(Debug, Clone, Copy)]
pub struct Setting {
    pub key: &'static str,
    pub default: &'static str,
    pub kind: Kind,
    pub about: &'static str,
}

const DAYS: Kind = Kind::Number { min: 1, max: 3650 };

pub const SETTINGS: &[Setting] = &[
    Setting {
        key: "rate_inform",
        default: "0.00",
        kind: Kind::Money,
        about: "hourly rate for inform (HEC: compensation is not provided)",
    },
    Setting {
        key: "rate_consult",
        default: "25.00",
        kind: Kind::Money,
        about: "hourly rate for consult (HEC: $0 or $25/hour)",
    },
    Setting {
        key: "rate_involve",
        default: "40.00",
        kind: Kind::Money,
        about: "hourly rate for involve (HEC: $40/hour)",
    },
    Setting {
        key: "rate_collaborate",
        default: "50.00",
        kind: Kind::Money,
        about: "hourly rate for collaborate (HEC: $50/hour)",
    },
    Setting {
        key: "rate_lead",
        default: "60.00",
        kind: Kind::Money,
        about: "hourly rate for lead (HEC: $60/hour and up)",
    },
    Setting {
        key: "respond_within_days",
        default: "14",
        kind: DAYS,
        about: "a new request's respond_by is this many days after it is recorded",
    },
    Setting {
        key: "select_within_days",
        default: "7",
        kind: DAYS,
        about: "select_by is this many days after respond_by (select in a timely manner)",
    },
    Setting { key: "checkin_every_days", default: "30", kind: DAYS, about: "a new request's check-in cadence" },
    Setting {
        key: "review_within_days",
        default: "5",
        kind: DAYS,
        about: "a submitted request waiting this long is a reminder",
    },
    Setting {
        key: "experienced_after",
        default: "1",
        kind: Kind::Number { min: 1, max: 100 },
        about: "completed engagements after which a partner counts as experienced",
    },
    Setting {
        key: "max_active_per_partner",
        default: "3",
        kind: Kind::Number { min: 1, max: 100 },
        about: "selecting a partner already in this many active engagements warns",
    },
    Setting {
        key: "commitments_valid_days",
        default: "730",
        kind: DAYS,
        about: "days a signature of the Patient Partner Commitments stays valid",
    },
    Setting {
        key: "record_check_valid_days",
        default: "1095",
        kind: DAYS,
        about: "days a criminal record check stays valid",
    },
    Setting {
        key: "payment_within_days",
        default: "30",
        kind: DAYS,
        about: "compensation still unpaid this long after ends_on is a reminder",
    },
    Setting {
        key: "concern_followup_days",
        default: "7",
        kind: DAYS,
        about: "an open concern other than conduct is a reminder after this many days",
    },
    Setting {
        key: "default_language",
        default: "en",
        kind: Kind::Choice(&["en", "fr"]),
        about: "the language (en or fr) of partners who never said theirs, and of requesters",
    },
    Setting {
        key: "tax_slip_threshold",
        default: "500.00",
        kind: Kind::Money,
        about: "a partner paid more than this in a calendar year is issued a T4A slip for fees",
    },
    Setting {
        key: "network_name",
        default: "our patient partner network",
        kind: Kind::Text,
        about: "the network's name, used in invitations",
    },
    Setting {
        key: "coordinator",
        default: "",
        kind: Kind::OptionalText,
        about: "the coordinator's name, signing the messages engage writes",
    },
    Setting {
        key: "coordinator_email",
        default: "",
        kind: Kind::Email,
        about: "where partners' replies go (Reply-To) when it is not smtp_from",
    },
    Setting {
        key: "smtp_host",
        default: "",
        kind: Kind::Host,
        about: "the mail server `engage message --send` hands messages to",
    },
    Setting {
        key: "smtp_port",
        default: "",
        kind: Kind::Port,
        about: "its port (empty: 587 for starttls, 465 for tls, 25 for none)",
    },
    Setting {
        key: "smtp_security",
        default: "starttls",
        kind: Kind::Choice(&["starttls", "tls", "none"]),
        about: "starttls (port 587), tls (port 465), or none (only for a server on this machine)",
    },
    Setting {
        key: "smtp_from",
        default: "",
        kind: Kind::Email,
        about: "the network's address messages are sent from (one the server may send for)",
    },
    Setting {
        key: "smtp_user",
        default: "",
        kind: Kind::OptionalText,
        about: "the user name for the mail server (the password is ENGAGE_SMTP_PASSWORD)",
    },
];

pub fn find(key: &str) -> Option<&'static Setting> {
    SETTINGS.iter().find(|s| s.key == key)
}

pub fn rate_key(way: Way) -> &'static str {
    match way {
        Way::Inform => "rate_inform",
        Way::Consult => "rate_consult",
        Way::Involve => "rate_involve",
        Way::Collaborate => "rate_collaborate",
        Way::Lead => "rate_lead",
    }
}

/// Checks a value for a setting and returns the form it is stored in.
pub fn check(setting: &Setting, value: &str) -> Result<String, String> {
    let value = value.trim();
    match setting.kind {
        Kind::Money => {
            parse_money(value).map(|m| m.plain()).map_err(|why| format!("{} must be dollars: {why}", setting.key))
        }
        Kind::Number { min, max } => match value.parse::<u32>() {
            Ok(n) if (min..=max).contains(&n) => Ok(n.to_string()),
            _ => Err(format!("'{value}' is not accepted for {}; use a whole number from {min} to {max}", setting.key)),
        },
        Kind::OptionalText if value.is_empty() => Ok(String::new()),
        Kind::Email | Kind::Host | Kind::Port if value.is_empty() => Ok(String::new()),
        Kind::Email => {
            super::email::parse(value).map_err(|why| format!("{why}; {} takes an e-mail address", setting.key))
        }
        Kind::Host => {
            let ok = value.len() <= 253
                && value.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':' | '_'))
                && !value.starts_with(['.', '-']);
            if ok {
                Ok(value.to_ascii_lowercase())
            } else {
                Err(format!(
                    "'{value}' is not accepted for {}; give the mail server's host name or IP address, such as smtp.example.org",
                    setting.key
                ))
            }
        }
        Kind::Port => match value.parse::<u16>() {
            Ok(n) if n >= 1 => Ok(n.to_string()),
            _ => Err(format!(
                "'{value}' is not accepted for {}; use a port from 1 to 65535, or '' for the usual one",
                setting.key
            )),
        },
        Kind::Choice(words) => match words.iter().find(|w| w.eq_ignore_ascii_case(value)) {
            Some(word) => Ok((*word).to_string()),
            None => Err(format!("'{value}' is not accepted for {}; use {}", setting.key, super::or_list(words))),
        },
        Kind::Text | Kind::OptionalText => {
            if value.is_empty() || value.chars().count() > 200 || value.chars().any(char::is_control) {
                Err(format!(
                    "'{value}' is not accepted for {}; use text of 1 to 200 characters on one line",
                    setting.key
                ))
            } else {
                Ok(value.to_string())
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_default_passes_its_own_check() {
        for s in SETTINGS {
            assert_eq!(check(s, s.default).as_deref(), Ok(s.default), "{}", s.key);
        }
        for way in Way::ALL {
            assert!(find(rate_key(*way)).is_some());
        }
    }

    #[test]
    fn checks_values() {
        let rate = find("rate_lead").unwrap();
        assert_eq!(check(rate, "75").unwrap(), "75.00");
        assert!(check(rate, "-1").unwrap_err().starts_with("rate_lead must be dollars"));
        let days = find("checkin_every_days").unwrap();
        assert_eq!(
            check(days, "0").unwrap_err(),
            "'0' is not accepted for checkin_every_days; use a whole number from 1 to 3650"
        );
    }

    #[test]
    fn mail_settings_take_hosts_ports_addresses_and_their_words() {
        let get = |key: &str| find(key).unwrap();
        assert_eq!(check(get("smtp_host"), " SMTP.Example.org ").unwrap(), "smtp.example.org");
        assert_eq!(check(get("smtp_host"), "::1").unwrap(), "::1");
        assert!(check(get("smtp_host"), "smtp.example.org; rm").unwrap_err().contains("host name"));
        assert_eq!(check(get("smtp_port"), "465").unwrap(), "465");
        assert_eq!(check(get("smtp_port"), "").unwrap(), "");
        assert!(check(get("smtp_port"), "70000").unwrap_err().contains("from 1 to 65535"));
        assert_eq!(check(get("smtp_security"), "TLS").unwrap(), "tls");
        assert_eq!(
            check(get("smtp_security"), "ssl").unwrap_err(),
            "'ssl' is not accepted for smtp_security; use starttls, tls or none"
        );
        assert_eq!(check(get("smtp_from"), "PVN@Example.org").unwrap(), "pvn@example.org");
        assert!(check(get("smtp_from"), "pvn").unwrap_err().ends_with("smtp_from takes an e-mail address"));
        assert_eq!(check(get("coordinator"), "").unwrap(), "");
    }
}
