//! Selection (docs/rules.md, rules 2 to 6 and 13): ranking the candidates on the request's
//! criteria, and the rules that apply when partners are chosen. Pure functions over the facts a
//! command gathers, so every rule is tested here without a database.
//!
//! `decisions.rs` has what is decided (outcomes, decisions, onboarding steps, a choice),
//! `ranking.rs` the ranking and its reasons in words, `rules.rs` the rules a choice is weighed
//! against; this file the candidate they all weigh.

mod decisions;
mod ranking;
mod rules;

pub use decisions::{Choice, Decision, Outcome, Step, id_list, tally};
pub use ranking::{Standing, experience, max_total, rank, record_check, why};
pub use rules::{Commitments, Flag, Refusal, Rules, check, check_day, check_ids, check_scores, commitments};

use crate::domain::partner::Partner;
use std::collections::BTreeMap;

/// A partner who said they are interested in a request, with what selection weighs.
#[derive(Debug, Clone, Default)]
pub struct Candidate {
    pub partner: Partner,
    /// From the response to this request.
    pub statement: Option<String>,
    pub availability: Option<String>,
    pub conflict: Option<String>,
    /// Criterion name → 0..3.
    pub scores: BTreeMap<String, u8>,
    /// Selected on requests that have closed: the measure of experience (rule 4, a mix of newer and
    /// experienced partners).
    pub completed: u32,
    /// Selected on other requests decided in the last 12 months (rule 5, share opportunities
    /// fairly).
    pub recent: u32,
    /// Selected on other requests under way now (rule 5).
    pub active: u32,
    /// The decision already made for this request, if any.
    pub outcome: Option<Outcome>,
}

impl Candidate {
    pub fn id(&self) -> i64 {
        self.partner.id
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::criteria::parse_list;
    use chrono::NaiveDate;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn candidate(id: i64, scores: &[(&str, u8)]) -> Candidate {
        Candidate {
            partner: Partner { id, commitments_signed_on: Some(d("2026-06-01")), ..Partner::default() },
            scores: scores.iter().map(|(n, s)| (n.to_string(), *s)).collect(),
            ..Candidate::default()
        }
    }

    fn rules() -> Rules {
        Rules {
            request_id: 3,
            seats: 2,
            record_check_required: false,
            check_on: d("2026-11-23"),
            experienced_after: 1,
            max_active_per_partner: 3,
            commitments_valid_days: 730,
        }
    }

    fn choose(selected: &[i64], waitlisted: &[i64]) -> Choice {
        Choice { selected: selected.to_vec(), waitlisted: waitlisted.to_vec(), ..Choice::default() }
    }

    #[test]
    fn ranks_by_weighted_total_and_excludes_on_a_required_zero() {
        let criteria = parse_list("experience!,speaking,listening:2").unwrap();
        let candidates = vec![
            candidate(1, &[("experience", 3), ("speaking", 3), ("listening", 1)]), // 3+3+2 = 8
            candidate(2, &[("experience", 1), ("speaking", 1), ("listening", 3)]), // 1+1+6 = 8
            candidate(3, &[("experience", 0), ("speaking", 3), ("listening", 3)]), // excluded
            candidate(4, &[("experience", 3), ("speaking", 3), ("listening", 3)]), // 12
            candidate(5, &[("experience", 2)]),                                    // 2, two missing
        ];
        let ranked = rank(&criteria, &candidates);
        let got: Vec<(i64, Option<u32>, u32)> = ranked.iter().map(|s| (s.partner_id, s.rank, s.total)).collect();
        assert_eq!(got, vec![(4, Some(1), 12), (1, Some(2), 8), (2, Some(2), 8), (5, Some(4), 2), (3, None, 9)]);
        assert_eq!(ranked[4].excluded_by.as_deref(), Some("experience"));
        assert_eq!(ranked[3].missing, vec!["speaking".to_string(), "listening".to_string()]);
        assert!(ranked.iter().all(|s| s.max_total == 12));
    }

    #[test]
    fn ties_go_to_fewer_engagements_in_the_last_12_months() {
        let criteria = parse_list("experience,speaking").unwrap();
        let mut busy = candidate(1, &[("experience", 2), ("speaking", 2)]);
        busy.recent = 2;
        let mut quiet = candidate(2, &[("experience", 3), ("speaking", 1)]);
        quiet.recent = 0;
        let ranked = rank(&criteria, &[busy, quiet]);
        let got: Vec<(i64, Option<u32>)> = ranked.iter().map(|s| (s.partner_id, s.rank)).collect();
        assert_eq!(got, vec![(2, Some(1)), (1, Some(2))]);
    }

    #[test]
    fn commitments_expire_as_the_partner_rule_says() {
        let signed = Some(d("2025-01-01"));
        assert_eq!(
            commitments(signed, d("2026-12-31"), 730),
            Commitments::Valid { signed_on: d("2025-01-01"), expires_on: d("2027-01-01") }
        );
        assert_eq!(
            commitments(signed, d("2027-01-01"), 730),
            Commitments::Expired { signed_on: d("2025-01-01"), expires_on: d("2027-01-01") }
        );
        assert_eq!(commitments(None, d("2027-01-01"), 730), Commitments::Missing);
        let p = Partner { commitments_signed_on: signed, ..Partner::default() };
        for day in ["2026-12-31", "2027-01-01"] {
            let valid = matches!(commitments(signed, d(day), 730), Commitments::Valid { .. });
            assert_eq!(valid, p.commitments_valid_on(d(day), 730), "{day}");
        }
        assert_eq!(check_day(d("2026-11-23"), Some(d("2027-01-10"))), d("2027-01-10"));
        assert_eq!(check_day(d("2026-11-23"), Some(d("2026-01-10"))), d("2026-11-23"));
        assert_eq!(check_day(d("2026-11-23"), None), d("2026-11-23"));
    }

    #[test]
    fn more_than_seats_is_refused_without_force() {
        let cs = vec![candidate(1, &[]), candidate(2, &[]), candidate(3, &[])];
        let mut choice = choose(&[1, 2, 3], &[]);
        assert_eq!(
            check(&choice, &cs, &[], &rules()).unwrap_err().to_string(),
            "3 partners are selected for 2 seats; select at most 2, or pass --force to select more partners than seats"
        );
        choice.force = true;
        let flags = check(&choice, &cs, &[], &rules()).unwrap();
        assert!(flags.iter().any(|f| f.text == "3 partners are selected for 2 seats (--force)"));
    }

    #[test]
    fn fewer_than_two_warns() {
        let cs = vec![candidate(1, &[])];
        let flags = check(&choose(&[1], &[]), &cs, &[], &rules()).unwrap();
        assert_eq!(flags[0].text, "only 1 partner is selected: always try to include at least two patient partners");
        assert_eq!(flags[0].partner_id, None);
    }

    #[test]
    fn all_new_or_all_experienced_warns_and_a_mix_does_not() {
        let mut cs = vec![candidate(1, &[]), candidate(2, &[])];
        let mix = |flags: &[Flag]| flags.iter().any(|f| f.text.contains("mix newer and experienced"));
        let flags = check(&choose(&[1, 2], &[]), &cs, &[], &rules()).unwrap();
        assert_eq!(
            flags[0].text,
            "both selected partners are new: mix newer and experienced partners so knowledge is passed on"
        );
        cs[0].completed = 1;
        assert!(!mix(&check(&choose(&[1, 2], &[]), &cs, &[], &rules()).unwrap()));
        cs[1].completed = 4;
        let flags = check(&choose(&[1, 2], &[]), &cs, &[], &rules()).unwrap();
        assert_eq!(
            flags[0].text,
            "both selected partners are experienced: mix newer and experienced partners so knowledge is passed on"
        );
        // One partner alone is not a mix to judge.
        assert!(!mix(&check(&choose(&[1], &[]), &cs, &[], &rules()).unwrap()));
    }

    #[test]
    fn a_partner_at_the_active_limit_warns() {
        let mut cs = vec![candidate(1, &[]), candidate(2, &[])];
        cs[0].completed = 1;
        cs[1].active = 3;
        let flags = check(&choose(&[1, 2], &[]), &cs, &[], &rules()).unwrap();
        assert_eq!(
            flags,
            vec![Flag {
                partner_id: Some(2),
                text: "partner 2 is already in 3 active engagements (max_active_per_partner is 3): share opportunities fairly"
                    .to_string()
            }]
        );
        cs[1].active = 2;
        assert!(check(&choose(&[1, 2], &[]), &cs, &[], &rules()).unwrap().is_empty());
    }

    #[test]
    fn missing_or_expired_commitments_and_a_missing_record_check_are_flagged() {
        let mut cs = vec![candidate(1, &[]), candidate(2, &[])];
        cs[0].completed = 1;
        cs[0].partner.commitments_signed_on = None;
        cs[1].partner.commitments_signed_on = Some(d("2024-11-01"));
        let mut r = rules();
        r.record_check_required = true;
        cs[1].partner.record_check_on = Some(d("2026-10-01"));
        let texts: Vec<String> =
            check(&choose(&[1, 2], &[]), &cs, &[], &r).unwrap().into_iter().map(|f| f.text).collect();
        assert_eq!(
            texts,
            vec![
                "partner 1 has not signed the Patient Partner Commitments; they sign before they start",
                "request 3 requires a criminal record check and partner 1 has none on file",
                "partner 2's signature of the Patient Partner Commitments is not valid on 2026-11-23 (it expired 2026-11-01); they sign again before they start",
            ]
        );
    }

    #[test]
    fn a_declared_conflict_needs_a_reason_to_be_selected_but_not_waitlisted() {
        let mut cs = vec![candidate(1, &[]), candidate(2, &[]), candidate(3, &[])];
        cs[1].conflict = Some("works on the unit".into());
        cs[2].conflict = Some("sister on the board".into());
        cs[0].completed = 1;
        let mut choice = choose(&[1, 2], &[3]);
        assert_eq!(
            check(&choice, &cs, &[], &rules()).unwrap_err().to_string(),
            "partner 2 declared a conflict of interest; selecting them needs a reason: --reason 2='why the conflict does not stand in the way'"
        );
        choice.reasons.insert(2, "  ".into());
        assert!(check(&choice, &cs, &[], &rules()).is_err());
        choice.reasons.insert(2, "works on another unit than the one redesigned".into());
        assert!(check(&choice, &cs, &[], &rules()).unwrap().is_empty());
    }

    #[test]
    fn an_excluded_candidate_is_neither_selected_nor_waitlisted() {
        let criteria = parse_list("experience!").unwrap();
        let cs = vec![
            candidate(1, &[("experience", 2)]),
            candidate(2, &[("experience", 3)]),
            candidate(3, &[("experience", 0)]),
        ];
        let standings = rank(&criteria, &cs);
        let refusal = check(&choose(&[1, 2], &[3]), &cs, &standings, &rules()).unwrap_err();
        assert_eq!(refusal, Refusal::Excluded { partner_id: 3, criterion: "experience".into() });
        assert!(refusal.to_string().starts_with("partner 3 is excluded: 0 on experience, a required criterion"));
    }

    #[test]
    fn selecting_an_unscored_candidate_warns() {
        let criteria = parse_list("experience,speaking,listening").unwrap();
        let mut cs = vec![
            candidate(1, &[("experience", 2)]),
            candidate(2, &[("experience", 2), ("speaking", 1), ("listening", 1)]),
        ];
        cs[1].completed = 1;
        let standings = rank(&criteria, &cs);
        let flags = check(&choose(&[1, 2], &[]), &cs, &standings, &rules()).unwrap();
        assert_eq!(flags[0].text, "partner 1 is selected without a score on speaking and listening");
    }

    #[test]
    fn ids_must_name_candidates_each_with_one_outcome() {
        let cs = vec![candidate(4, &[]), candidate(9, &[])];
        assert_eq!(
            check_ids(&choose(&[4, 7], &[]), &cs, 3).unwrap_err(),
            "partner 7 is not an interested candidate for request 3; the candidates are 4 and 9"
        );
        assert_eq!(
            check_ids(&choose(&[4], &[4]), &cs, 3).unwrap_err(),
            "partner 4 is both selected and waitlisted; give each partner one outcome"
        );
        let mut with_reason = choose(&[4], &[]);
        with_reason.reasons.insert(12, "x".into());
        assert!(check_ids(&with_reason, &cs, 3).unwrap_err().starts_with("partner 12 is not"));
        assert!(check_ids(&choose(&[], &[9]), &cs, 3).unwrap_err().starts_with("no partner is selected"));
        assert!(check_ids(&choose(&[4], &[9]), &cs, 3).is_ok());
    }

    #[test]
    fn scores_name_criteria_of_the_request_each_once() {
        let criteria = parse_list("experience,speaking").unwrap();
        assert_eq!(
            check_scores(&[("speak".into(), 2)], &criteria, 3).unwrap_err(),
            "request 3 has no criterion 'speak'; its criteria are experience and speaking"
        );
        assert!(check_scores(&[("speaking".into(), 2), ("speaking".into(), 1)], &criteria, 3).is_err());
    }

    #[test]
    fn why_says_what_the_rules_weigh() {
        let criteria = parse_list("experience!,speaking").unwrap();
        let mut c = candidate(1, &[("experience", 0)]);
        c.recent = 1;
        c.active = 2;
        c.conflict = Some("x".into());
        let standing = &rank(&criteria, std::slice::from_ref(&c))[0];
        let mut r = rules();
        r.record_check_required = true;
        assert_eq!(
            why(&c, standing, &r),
            "excluded: 0 on required experience; not scored on speaking; new (0 completed engagements); \
             1 engagement in the last 12 months; 2 active engagements now; conflict of interest declared; \
             commitments signed 2026-06-01, valid until 2028-05-30; no record check on file (required)"
        );
    }

    #[test]
    fn tallies_outcomes() {
        assert_eq!(
            tally([Outcome::Selected, Outcome::NotSelected, Outcome::Selected]),
            "2 selected, 0 waitlisted, 1 not selected"
        );
        assert_eq!("not_selected".parse::<Outcome>(), Ok(Outcome::NotSelected));
        assert_eq!(
            tally([Outcome::Selected, Outcome::Withdrew, Outcome::NotSelected]),
            "1 selected, 0 waitlisted, 1 not selected, 1 withdrew"
        );
        assert_eq!("withdrew".parse::<Outcome>(), Ok(Outcome::Withdrew));
        assert!(Outcome::Withdrew.took_part() && !Outcome::Waitlisted.took_part());
    }
}
