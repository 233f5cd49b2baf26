//! Where an engagement stands (`engage status`): its next steps, and the words for each partner's
//! onboarding.
//!
//! A request's next steps are its reminders (src/domain/reminder), those shown in the morning
//! reminder today and those still to come, read from the same store: there is no second set of
//! rules, so `engage status` and `engage report reminders` cannot disagree. Each step's command is
//! the one its reminder's message names.

use super::kinds::RequestStatus;
use super::reminder::{self, Item, Kind};
use super::selection::{Decision, Step as Onboarding};
use chrono::NaiveDate;

/// One next step of a request: a reminder, due now or still to come.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Step {
    pub kind: Kind,
    pub request_id: i64,
    pub partner_id: Option<i64>,
    pub checkin_id: Option<i64>,
    pub due_on: NaiveDate,
    /// The first day the morning reminder shows it.
    pub shown_from: NaiveDate,
    /// The morning reminder shows it on the day asked about.
    pub due_now: bool,
    /// Days past due: positive when overdue, 0 on the day, negative when still to come.
    pub days_overdue: i64,
    /// What to do, as the morning reminder says it.
    pub message: String,
    /// The command that does it, as the message names it.
    pub command: String,
}

impl Step {
    /// `34 days overdue`, `due today`, `due in 3 days`.
    pub fn due_words(&self) -> String {
        reminder::due_words(self.days_overdue)
    }
}

/// A request's next steps on `as_of`: first what the morning reminder shows that day, most
/// overdue first (its own order), then what is still to come, soonest shown first.
pub fn next_steps(reminders: &[Item], as_of: NaiveDate) -> Vec<Step> {
    let mut items: Vec<&Item> = reminders.iter().collect();
    items.sort_by(|a, b| {
        let now = |i: &Item| i.shown_from > as_of;
        let day = |i: &Item| if i.shown_from > as_of { i.shown_from } else { i.due_on };
        (now(a), day(a), a.due_on, a.kind, a.partner_id, a.checkin_id).cmp(&(
            now(b),
            day(b),
            b.due_on,
            b.kind,
            b.partner_id,
            b.checkin_id,
        ))
    });
    items
        .into_iter()
        .map(|i| {
            let message = reminder::message(i, as_of);
            Step {
                kind: i.kind,
                request_id: i.request_id,
                partner_id: i.partner_id,
                checkin_id: i.checkin_id,
                due_on: i.due_on,
                shown_from: i.shown_from,
                due_now: i.shown_from <= as_of,
                days_overdue: reminder::days_overdue(i.due_on, as_of),
                command: command(&message).to_string(),
                message,
            }
        })
        .collect()
}

/// The command a message names: its first text between backticks, without the backticks.
pub fn command(message: &str) -> &str {
    message.split('`').nth(1).filter(|c| c.starts_with("engage ")).unwrap_or("")
}

/// What a request with no next step is told.
pub fn nothing_left(status: RequestStatus) -> &'static str {
    match status {
        RequestStatus::Closed => "Closed, and nothing is left to settle.",
        RequestStatus::Cancelled => "Cancelled: nothing is left to do.",
        _ => "Nothing is due or coming up.",
    }
}

/// A selected partner's onboarding in words: `welcomed, oriented and introduced to the team`, or
/// `not yet oriented and introduced to the team`.
pub fn onboarding_words(d: &Decision) -> String {
    let open: Vec<&str> = Onboarding::ALL.iter().filter(|s| d.step_on(**s).is_none()).map(|s| s.words()).collect();
    if open.is_empty() {
        "welcomed, oriented and introduced to the team".to_string()
    } else {
        format!("not yet {}", super::and_list(&open))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::selection::Outcome;

    fn d(s: &str) -> NaiveDate {
        crate::domain::dates::parse_iso_date(s).unwrap()
    }

    fn item(kind: Kind, shown_from: &str, due_on: &str) -> Item {
        Item {
            kind,
            request_id: 3,
            partner_id: Some(4),
            checkin_id: None,
            shown_from: d(shown_from),
            due_on: d(due_on),
            title: "Discharge co-design".to_string(),
            name: Some("Ana Silva".to_string()),
            count: Some(1),
            total: Some(2),
            amount: None,
            since: Some(d("2026-11-01")),
            detail: None,
            party: None,
        }
    }

    #[test]
    fn the_next_steps_are_the_reminders_due_now_then_those_to_come() {
        let as_of = d("2026-11-23");
        let items = vec![
            item(Kind::PaymentDue, "2027-01-10", "2027-01-10"),
            item(Kind::SelectionDue, "2026-11-16", "2026-11-30"),
            item(Kind::NotifyDue, "2026-11-20", "2026-11-20"),
            item(Kind::CloseDue, "2026-12-16", "2026-12-16"),
        ];
        let steps = next_steps(&items, as_of);
        let seen: Vec<(Kind, bool, i64)> = steps.iter().map(|s| (s.kind, s.due_now, s.days_overdue)).collect();
        assert_eq!(
            seen,
            vec![
                (Kind::NotifyDue, true, 3),
                (Kind::SelectionDue, true, -7),
                (Kind::CloseDue, false, -23),
                (Kind::PaymentDue, false, -48),
            ]
        );
        // Each step says what its reminder says, and names the reminder's command.
        for (step, i) in steps.iter().zip([&items[2], &items[1], &items[3], &items[0]]) {
            assert_eq!(step.message, reminder::message(i, as_of));
            assert!(step.message.contains(&format!("`{}`", step.command)), "{}", step.message);
        }
        assert_eq!(steps[0].command, "engage select notify 3");
        assert_eq!(steps[1].command, "engage select 3");
        assert_eq!(steps[2].command, "engage close 3");
        assert_eq!(steps[3].command, "engage close pay 3 4 --method M");
        assert_eq!(steps[1].due_words(), "due in 7 days");
    }

    #[test]
    fn onboarding_reads_as_the_steps_still_open() {
        let mut decision = Decision {
            request_id: 3,
            partner_id: 4,
            outcome: Outcome::Selected,
            reason: None,
            decided_on: d("2026-11-20"),
            notified_on: None,
            welcomed_on: Some(d("2026-11-21")),
            oriented_on: None,
            introduced_on: None,
        };
        assert_eq!(onboarding_words(&decision), "not yet oriented and introduced to the team");
        decision.oriented_on = Some(d("2026-11-22"));
        decision.introduced_on = Some(d("2026-11-22"));
        assert_eq!(onboarding_words(&decision), "welcomed, oriented and introduced to the team");
        assert_eq!(nothing_left(RequestStatus::Closed), "Closed, and nothing is left to settle.");
    }
}
