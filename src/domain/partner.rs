//! A patient partner: a member of the network.

use super::kinds::{Community, PartnerStatus};
use super::language::Language;
use chrono::NaiveDate;

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Partner {
    pub id: i64,
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    pub preferred_name: Option<String>,
    pub pronouns: Option<String>,
    /// Normalized: trimmed and lower-cased. Families may share one.
    pub email: Option<String>,
    pub phone: Option<String>,
    pub postal_code: Option<String>,
    pub region: Option<String>,
    pub community: Option<Community>,
    pub health_authority: Option<String>,
    pub languages: Vec<String>,
    /// The language they are written to in; `None` when they never said (the network's
    /// `default_language` then).
    pub language: Option<Language>,
    pub topics: Vec<String>,
    pub lived_experience: Option<String>,
    pub availability: Option<String>,
    pub accessibility_needs: Option<String>,
    pub preferred_contact: Option<String>,
    pub consent: bool,
    pub consent_on: Option<NaiveDate>,
    pub payment_affects_benefits: bool,
    pub joined_on: Option<NaiveDate>,
    pub source: Option<String>,
    pub commitments_signed_on: Option<NaiveDate>,
    pub record_check_on: Option<NaiveDate>,
    pub status: PartnerStatus,
    pub notes: Option<String>,
    /// Imported columns engage does not map, by header.
    pub extra: serde_json::Map<String, serde_json::Value>,
}

// A new partner is active. (The vocabulary! macro that defines PartnerStatus has no #[default].)
#[allow(clippy::derivable_impls)]
impl Default for PartnerStatus {
    fn default() -> Self {
        PartnerStatus::Active
    }
}

impl Partner {
    /// The name to address the partner by: the preferred name, else the first, with the last name.
    pub fn name(&self) -> String {
        display_name(self.id, self.first_name.as_deref(), self.last_name.as_deref(), self.preferred_name.as_deref())
    }

    /// The language messages to them are written in: their own, else the network's default.
    pub fn writes_in(&self, default: Language) -> Language {
        self.language.unwrap_or(default)
    }

    /// Invitations and reminders reach only active partners who consented to be contacted
    /// (docs/rules.md, rule 7).
    pub fn may_be_contacted(&self) -> bool {
        self.status == PartnerStatus::Active && self.consent && self.email.is_some()
    }

    /// Whether the signature of the Patient Partner Commitments is valid on `day` (docs/rules.md,
    /// rule 6).
    pub fn commitments_valid_on(&self, day: NaiveDate, valid_days: u32) -> bool {
        match self.commitments_signed_on {
            Some(signed) => signed <= day && (day - signed).num_days() < i64::from(valid_days),
            None => false,
        }
    }

    /// Whether the partner speaks `language` (`recruit list --language`, `recruit invite
    /// --language`): one of their languages is it or names the same language of correspondence
    /// (`fr` finds `French` and `Français`), or, for three letters or more, contains it; all
    /// without regard to case or accents. (`fr` alone does not find `Afrikaans`.)
    pub fn speaks(&self, language: &str) -> bool {
        use super::identity::fold_name;
        use super::language::Language;
        let wanted = fold_name(language.trim());
        if wanted.is_empty() {
            return true;
        }
        let code = language.parse::<Language>().ok();
        self.languages.iter().any(|l| {
            let folded = fold_name(l);
            folded == wanted
                || (wanted.chars().count() >= 3 && folded.contains(wanted.as_str()))
                || code.is_some_and(|c| l.parse::<Language>().ok() == Some(c))
        })
    }
}

/// What a partner is called: their preferred name (else their first name) and last name, or
/// `partner N` when they have neither.
pub fn display_name(id: i64, first: Option<&str>, last: Option<&str>, preferred: Option<&str>) -> String {
    let first = preferred.or(first).unwrap_or("");
    match (first, last) {
        ("", None) | ("", Some("")) => format!("partner {id}"),
        (first, None) | (first, Some("")) => first.to_string(),
        ("", Some(last)) => last.to_string(),
        (first, Some(last)) => {
            let mut name = String::with_capacity(first.len() + 1 + last.len());
            name.push_str(first);
            name.push(' ');
            name.push_str(last);
            name
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_prefer_the_preferred_name() {
        let mut p =
            Partner { id: 4, first_name: Some("Robert".into()), last_name: Some("Ng".into()), ..Partner::default() };
        assert_eq!(p.name(), "Robert Ng");
        p.preferred_name = Some("Bob".into());
        assert_eq!(p.name(), "Bob Ng");
        p.last_name = None;
        assert_eq!(p.name(), "Bob");
        let forgotten = Partner { id: 9, ..Partner::default() };
        assert_eq!(forgotten.name(), "partner 9");
    }

    #[test]
    fn a_language_is_found_in_any_case_with_or_without_accents_or_by_its_code() {
        let p = Partner { languages: vec!["Français".into(), "Punjabi".into()], ..Partner::default() };
        assert!(p.speaks("francais"));
        assert!(p.speaks("FRENCH"));
        assert!(p.speaks("fr"));
        assert!(p.speaks("punj"));
        assert!(!p.speaks("English"));
        assert!(!Partner::default().speaks("fr"));
        let afrikaans = Partner { languages: vec!["Afrikaans".into()], ..Partner::default() };
        assert!(!afrikaans.speaks("fr"));
        assert!(afrikaans.speaks("afrikaans"));
    }

    #[test]
    fn commitments_expire() {
        let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        let p = Partner { commitments_signed_on: Some(d("2025-01-01")), ..Partner::default() };
        assert!(p.commitments_valid_on(d("2026-12-31"), 730));
        assert!(!p.commitments_valid_on(d("2027-01-01"), 730));
        assert!(!Partner::default().commitments_valid_on(d("2026-01-01"), 730));
    }
}
