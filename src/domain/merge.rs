//! The merge rule of the sign-up import, for a row of someone already in the network: a newer
//! submission refreshes, an older one only fills blanks, and a blank never erases.

use super::partner::Partner;
use chrono::{NaiveDate, NaiveDateTime};

/// The last sign-up row applied to a partner by an import.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportMark {
    pub file: String,
    pub line: i64,
    /// `YYYY-MM-DDTHH:MM:SS`, when the row had a timestamp.
    pub submitted_at: Option<String>,
    /// A hash of the row's bytes, to recognize the same row in the next import at once.
    pub hash: u64,
}

/// What a sign-up row answered besides the partner's fields: the answers the merge weighs apart
/// (a consent or a benefits answer is a yes or a no, never a blank to fill).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Submission {
    pub consent: Option<bool>,
    /// Whether payment may affect the person's income benefits.
    pub payment: Option<bool>,
    /// When the form says the row was submitted.
    pub submitted: Option<NaiveDateTime>,
}

/// Whether a row is older than the one last applied: by submission time when both have one,
/// else by line within the same file (a form's export lists submissions in order).
pub fn is_older(mark: &ImportMark, last: Option<&ImportMark>) -> bool {
    let Some(last) = last else { return false };
    match (&mark.submitted_at, &last.submitted_at) {
        (Some(a), Some(b)) => a < b,
        _ => mark.file == last.file && mark.line < last.line,
    }
}

/// A row merged into the partner it belongs to (`before`): with `refresh` (the row is not older
/// than the one last applied) it fills in and refreshes values, else it only fills in blanks; a
/// blank never erases a value. The partner's identity (first name, e-mail), source, status and
/// record stay; the joining date only moves earlier; a changed consent is dated by the row's
/// submission, else `today`.
pub fn merge(before: &Partner, row: &Partner, s: &Submission, refresh: bool, today: NaiveDate) -> Partner {
    let mut p = before.clone();
    let r = row;
    let take = |new: &Option<String>, old: &mut Option<String>| {
        if let Some(v) = new {
            if refresh || old.is_none() {
                *old = Some(v.clone());
            }
        }
    };
    take(&r.last_name, &mut p.last_name);
    take(&r.preferred_name, &mut p.preferred_name);
    take(&r.pronouns, &mut p.pronouns);
    take(&r.phone, &mut p.phone);
    take(&r.postal_code, &mut p.postal_code);
    take(&r.region, &mut p.region);
    take(&r.health_authority, &mut p.health_authority);
    take(&r.lived_experience, &mut p.lived_experience);
    take(&r.availability, &mut p.availability);
    take(&r.accessibility_needs, &mut p.accessibility_needs);
    take(&r.preferred_contact, &mut p.preferred_contact);
    take(&r.notes, &mut p.notes);
    if r.community.is_some() && (refresh || p.community.is_none()) {
        p.community = r.community;
    }
    if !r.topics.is_empty() && (refresh || p.topics.is_empty()) {
        p.topics = r.topics.clone();
    }
    if !r.languages.is_empty() && (refresh || p.languages.is_empty()) {
        p.languages = r.languages.clone();
    }
    if r.language.is_some() && (refresh || p.language.is_none()) {
        p.language = r.language;
    }
    let on = s.submitted.map_or(today, |t| t.date());
    if let Some(c) = s.consent {
        if refresh && c != p.consent {
            p.consent = c;
            p.consent_on = Some(on);
        }
    }
    if let Some(b) = s.payment {
        if refresh {
            p.payment_affects_benefits = b;
        }
    }
    if let Some(t) = s.submitted {
        if p.joined_on.is_none_or(|j| t.date() < j) {
            p.joined_on = Some(t.date());
        }
    }
    for (k, v) in &r.extra {
        if refresh || !p.extra.contains_key(k) {
            p.extra.insert(k.clone(), v.clone());
        }
    }
    p
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::kinds::{Community, PartnerStatus};

    fn day(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn at(s: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M:%S").unwrap()
    }

    const TODAY: &str = "2026-11-23";

    /// Ana as the network has her: joined in March, consenting, with a region and topics.
    fn ana() -> Partner {
        let mut p = Partner {
            id: 12,
            first_name: Some("Ana".into()),
            last_name: Some("Silva".into()),
            email: Some("ana@example.org".into()),
            phone: Some("604-555-0101".into()),
            region: Some("Fraser".into()),
            topics: vec!["mental health".into()],
            consent: true,
            consent_on: Some(day("2026-03-02")),
            joined_on: Some(day("2026-03-02")),
            source: Some("signups.csv:2".into()),
            commitments_signed_on: Some(day("2026-04-01")),
            status: PartnerStatus::Paused,
            ..Partner::default()
        };
        p.extra.insert("How did you hear of us?".into(), "a friend".into());
        p
    }

    fn mark(file: &str, line: i64, submitted_at: Option<&str>) -> ImportMark {
        ImportMark { file: file.into(), line, submitted_at: submitted_at.map(str::to_string), hash: 1 }
    }

    #[test]
    fn a_newer_row_refreshes_values_and_an_older_one_only_fills_blanks() {
        let row = Partner {
            region: Some("Vancouver Coastal".into()),
            availability: Some("weekday evenings".into()),
            topics: vec!["discharge".into()],
            community: Some(Community::Rural),
            ..Partner::default()
        };
        let newer = merge(&ana(), &row, &Submission::default(), true, day(TODAY));
        assert_eq!(newer.region.as_deref(), Some("Vancouver Coastal"));
        assert_eq!(newer.availability.as_deref(), Some("weekday evenings"));
        assert_eq!(newer.topics, ["discharge"]);
        assert_eq!(newer.community, Some(Community::Rural));
        let older = merge(&ana(), &row, &Submission::default(), false, day(TODAY));
        assert_eq!(older.region.as_deref(), Some("Fraser"));
        assert_eq!(older.topics, ["mental health"]);
        assert_eq!(older.availability.as_deref(), Some("weekday evenings"));
        assert_eq!(older.community, Some(Community::Rural));
    }

    #[test]
    fn a_blank_never_erases_a_value() {
        let blank = Partner::default();
        for refresh in [true, false] {
            let merged = merge(&ana(), &blank, &Submission::default(), refresh, day(TODAY));
            assert_eq!(merged, ana(), "refresh={refresh}");
        }
    }

    #[test]
    fn identity_source_status_and_record_stay_whatever_the_row_says() {
        let row = Partner {
            id: 99,
            first_name: Some("Anabela".into()),
            email: Some("other@example.org".into()),
            source: Some("later.csv:7".into()),
            commitments_signed_on: Some(day("2026-11-01")),
            status: PartnerStatus::Active,
            ..Partner::default()
        };
        let merged = merge(&ana(), &row, &Submission::default(), true, day(TODAY));
        assert_eq!(merged, ana());
    }

    #[test]
    fn consent_and_benefits_change_only_with_a_newer_row_dated_by_its_submission() {
        let withdrawn =
            Submission { consent: Some(false), payment: Some(true), submitted: Some(at("2026-10-05T09:30:00")) };
        let merged = merge(&ana(), &Partner::default(), &withdrawn, true, day(TODAY));
        assert!(!merged.consent);
        assert_eq!(merged.consent_on, Some(day("2026-10-05")));
        assert!(merged.payment_affects_benefits);
        let older = merge(&ana(), &Partner::default(), &withdrawn, false, day(TODAY));
        assert!(older.consent);
        assert_eq!(older.consent_on, Some(day("2026-03-02")));
        assert!(!older.payment_affects_benefits);
        // Without a time the change is dated today; the same answer changes nothing.
        let undated = Submission { consent: Some(false), ..Submission::default() };
        assert_eq!(merge(&ana(), &Partner::default(), &undated, true, day(TODAY)).consent_on, Some(day(TODAY)));
        let same = Submission { consent: Some(true), ..Submission::default() };
        assert_eq!(merge(&ana(), &Partner::default(), &same, true, day(TODAY)), ana());
    }

    #[test]
    fn the_joining_date_only_moves_earlier() {
        let earlier = Submission { submitted: Some(at("2026-01-15T08:00:00")), ..Submission::default() };
        let later = Submission { submitted: Some(at("2026-06-15T08:00:00")), ..Submission::default() };
        for refresh in [true, false] {
            let merged = merge(&ana(), &Partner::default(), &earlier, refresh, day(TODAY));
            assert_eq!(merged.joined_on, Some(day("2026-01-15")));
            assert_eq!(merge(&ana(), &Partner::default(), &later, refresh, day(TODAY)).joined_on, ana().joined_on);
        }
    }

    #[test]
    fn extra_answers_are_refreshed_by_a_newer_row_and_added_by_an_older_one() {
        let mut row = Partner::default();
        row.extra.insert("How did you hear of us?".into(), "the clinic".into());
        row.extra.insert("Dietary needs".into(), "vegetarian".into());
        let newer = merge(&ana(), &row, &Submission::default(), true, day(TODAY));
        assert_eq!(newer.extra["How did you hear of us?"], "the clinic");
        assert_eq!(newer.extra["Dietary needs"], "vegetarian");
        let older = merge(&ana(), &row, &Submission::default(), false, day(TODAY));
        assert_eq!(older.extra["How did you hear of us?"], "a friend");
        assert_eq!(older.extra["Dietary needs"], "vegetarian");
    }

    #[test]
    fn a_row_is_older_by_its_submission_time_else_by_its_line_in_the_same_file() {
        let last = mark("signups.csv", 40, Some("2026-05-01T10:00:00"));
        assert!(is_older(&mark("signups.csv", 90, Some("2026-04-30T23:59:59")), Some(&last)));
        assert!(!is_older(&mark("signups.csv", 10, Some("2026-05-01T10:00:00")), Some(&last)));
        assert!(!is_older(&mark("other.csv", 10, Some("2026-06-01T00:00:00")), Some(&last)));
        let untimed = mark("signups.csv", 40, None);
        assert!(is_older(&mark("signups.csv", 39, None), Some(&untimed)));
        assert!(is_older(&mark("signups.csv", 39, Some("2026-05-01T10:00:00")), Some(&untimed)));
        assert!(!is_older(&mark("signups.csv", 41, None), Some(&untimed)));
        assert!(!is_older(&mark("other.csv", 1, None), Some(&untimed)));
        assert!(!is_older(&mark("signups.csv", 1, None), None));
    }
}
