//! Closing the loop (docs/rules.md, rule 10): the steps an engagement needs before it is closed,
//! and what is said about the ones still missing.
//!
//! The steps: the outcomes recorded, told back to the partners (the loop closed), the partners
//! thanked, and a survey sent to the partners and one to the requester. Money is not a step of
//! closing the loop (rule 10 says so): the requester's finance office often pays weeks
//! after the work ends, so each partner's compensation (paid, declined, or nothing owed) and
//! expenses are on the checklist to see and to settle, before or after closing, and the morning
//! reminder follows them (`payment_due`, `reimbursement_due`) until they are.

use super::compensation::{Account, Standing};
use super::dates::iso;
use super::request::{Closing, Pay};
use chrono::NaiveDate;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    Outcomes,
    LoopClosed,
    Thanked,
    PartnerSurvey,
    RequesterSurvey,
    /// A selected partner's compensation, by partner id.
    Compensation(i64),
    /// A selected partner's expenses, by partner id.
    Reimbursement(i64),
}

impl Step {
    /// The step's name in output and in the event log.
    pub fn key(self) -> &'static str {
        match self {
            Step::Outcomes => "outcomes",
            Step::LoopClosed => "loop_closed",
            Step::Thanked => "thanked",
            Step::PartnerSurvey => "partner_survey",
            Step::RequesterSurvey => "requester_survey",
            Step::Compensation(_) => "compensation",
            Step::Reimbursement(_) => "reimbursement",
        }
    }

    pub fn partner_id(self) -> Option<i64> {
        match self {
            Step::Compensation(id) | Step::Reimbursement(id) => Some(id),
            _ => None,
        }
    }

    /// A partner's compensation or expenses: settled before or after closing, never a reason not
    /// to close.
    pub fn is_money(self) -> bool {
        self.partner_id().is_some()
    }
}

/// One line of the closing checklist.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Item {
    pub step: Step,
    pub done: bool,
    /// When it was done, for the steps that have a date.
    pub on: Option<NaiveDate>,
    /// Where the step stands, in words.
    pub detail: String,
    /// What is missing and how to give it, for the sentence that refuses to close.
    pub missing: String,
    /// The same for the event log: ids, kinds and amounts only.
    pub log: String,
}

fn dated(step: Step, on: Option<NaiveDate>, done: &str, open: &str, missing: &str) -> Item {
    Item {
        step,
        done: on.is_some(),
        on,
        detail: if on.is_some() { done.to_string() } else { open.to_string() },
        missing: missing.to_string(),
        log: step.key().to_string(),
    }
}

/// The checklist of a request: the request's own steps, then each partner's compensation and, when
/// they logged expenses, their reimbursement (each partner with an account: selected, withdrew, or
/// paid before a later decision). When nobody was engaged (an inform notice,
/// [`crate::domain::shape::Shape::engages_partners`]), the partners' steps do not apply: no
/// outcomes to tell back to them, no thanks and no partner survey.
pub fn checklist(request_id: i64, closing: &Closing, pay: Pay, accounts: &[Account], partners: bool) -> Vec<Item> {
    let mut items = vec![Item {
        step: Step::Outcomes,
        done: closing.outcomes.is_some(),
        on: None,
        detail: closing.outcomes.clone().unwrap_or_else(|| "not recorded".to_string()),
        missing: "the outcomes (--outcomes TEXT)".to_string(),
        log: "outcomes".to_string(),
    }];
    if partners {
        items.extend([
            dated(
                Step::LoopClosed,
                closing.loop_closed_on,
                "outcomes told back to the partners",
                "outcomes not told back to the partners yet",
                "the outcomes told back to the partners (--loop-closed DATE)",
            ),
            dated(
                Step::Thanked,
                closing.thanked_on,
                "partners thanked",
                "partners not thanked yet",
                "the partners thanked (--thanked DATE)",
            ),
            dated(
                Step::PartnerSurvey,
                closing.partner_survey_on,
                "survey sent to the partners",
                "no survey sent to the partners yet",
                "the survey sent to the partners (--partner-survey DATE)",
            ),
        ]);
    }
    items.push(dated(
        Step::RequesterSurvey,
        closing.requester_survey_on,
        "survey sent to the requester",
        "no survey sent to the requester yet",
        "the survey sent to the requester (--requester-survey DATE)",
    ));
    for a in accounts {
        items.push(compensation_item(request_id, pay, a));
        if a.expenses.cents() > 0 {
            items.push(reimbursement_item(request_id, a));
        }
    }
    items
}

fn compensation_item(request_id: i64, pay: Pay, a: &Account) -> Item {
    let id = a.partner_id;
    let owed = a.owed(pay);
    let standing = a.standing(pay);
    let pay_command = format!("`engage close pay {request_id} {id} --method M` or `--declined`");
    let (detail, missing, log) = match standing {
        Standing::Paid => {
            let how = a.method.map(|m| format!(" {}", m.words())).unwrap_or_default();
            (format!("paid {}{how}", a.paid.unwrap_or(owed)), String::new(), String::new())
        }
        Standing::Declined => ("declined".to_string(), String::new(), String::new()),
        Standing::NothingOwed => ("nothing owed".to_string(), String::new(), String::new()),
        Standing::Owed => (
            format!("{owed} owed"),
            format!("partner {id}'s compensation of {owed} paid or declined ({pay_command})"),
            format!("compensation of partner {id} ({} owed)", owed.plain()),
        ),
        Standing::Offered => (
            format!("{owed} to offer, not assumed (payment may affect their benefits)"),
            format!(
                "partner {id}'s compensation of {owed} offered, not assumed, as payment may affect their benefits ({pay_command})"
            ),
            format!("compensation of partner {id} ({} to offer)", owed.plain()),
        ),
        Standing::NoHours => {
            let rate = pay.hourly().unwrap_or_default();
            (
                format!("no hours logged at {rate}/hour"),
                format!(
                    "partner {id}'s hours, none logged at {rate}/hour (`engage checkin {request_id} --partner {id} --hours H`, or `engage close pay {request_id} {id} --declined`)"
                ),
                format!("compensation of partner {id} (no hours logged)"),
            )
        }
    };
    Item { step: Step::Compensation(id), done: standing.settled(), on: a.paid_on, detail, missing, log }
}

fn reimbursement_item(request_id: i64, a: &Account) -> Item {
    let id = a.partner_id;
    let outstanding = a.expenses_outstanding();
    let done = outstanding.cents() == 0;
    let detail = match a.reimbursed {
        _ if done => format!("reimbursed {}", a.reimbursed.unwrap_or(a.expenses)),
        Some(so_far) => format!("{outstanding} to reimburse ({so_far} reimbursed)"),
        None => format!("{outstanding} to reimburse"),
    };
    Item {
        step: Step::Reimbursement(id),
        done,
        on: a.reimbursed_on,
        detail,
        missing: format!(
            "partner {id}'s expenses of {outstanding} reimbursed (`engage close reimburse {request_id} {id}`)"
        ),
        log: format!("reimbursement of partner {id} ({})", outstanding.plain()),
    }
}

/// Some step of closing the loop is not done (money is not one): what `close_due` follows.
pub fn loop_open(closing: &Closing, partners: bool) -> bool {
    !missing(&checklist(0, closing, Pay::WayRate(super::money::Money(0)), &[], partners)).is_empty()
}

/// The steps of closing the loop not done yet: what keeps a request from closing.
pub fn missing(items: &[Item]) -> Vec<&Item> {
    items.iter().filter(|i| !i.done && !i.step.is_money()).collect()
}

/// The partners' compensation and expenses not settled yet: followed by the morning reminder,
/// before or after closing.
pub fn unsettled(items: &[Item]) -> Vec<&Item> {
    items.iter().filter(|i| !i.done && i.step.is_money()).collect()
}

/// The sentence refusing to close a request with steps missing.
pub fn refusal(request_id: i64, items: &[Item]) -> String {
    let open = missing(items);
    let list: Vec<&str> = open.iter().map(|i| i.missing.as_str()).collect();
    format!(
        "request {request_id} cannot close with {} step{} not done ({}); nothing was changed: give {}, pass \
         --keep-open to record the steps given without closing, or --force to close anyway with the missing steps \
         kept in the event log",
        open.len(),
        if open.len() == 1 { "" } else { "s" },
        list.join("; "),
        if open.len() == 1 { "it" } else { "them" },
    )
}

/// What a forced close leaves undone, for the event log.
pub fn log_missing(items: &[Item]) -> String {
    let open: Vec<&str> = missing(items).iter().map(|i| i.log.as_str()).collect();
    format!("closed with {} step{} missing: {}", open.len(), if open.len() == 1 { "" } else { "s" }, open.join(", "))
}

/// `thanked_on 2026-11-20 → 2026-11-23`: a recorded step as the event log keeps it.
pub fn change(key: &str, before: Option<NaiveDate>, after: NaiveDate) -> String {
    match before {
        Some(b) if b != after => format!("{key} {} → {}", iso(b), iso(after)),
        _ => format!("{key} {}", iso(after)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::compensation::Method;
    use crate::domain::money::{Hours, Money};

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn done_closing() -> Closing {
        Closing {
            outcomes: Some("discharge checklist adopted".into()),
            loop_closed_on: Some(d("2026-11-20")),
            thanked_on: Some(d("2026-11-20")),
            partner_survey_on: Some(d("2026-11-21")),
            requester_survey_on: Some(d("2026-11-21")),
            closed_on: None,
        }
    }

    #[test]
    fn every_step_done_leaves_nothing_missing() {
        let pay = Pay::WayRate(Money(4_000));
        let paid = Account {
            partner_id: 4,
            hours: Hours(1_400),
            method: Some(Method::Cheque),
            paid_on: Some(d("2026-11-22")),
            paid: Some(Money(56_000)),
            expenses: Money(3_250),
            reimbursed_on: Some(d("2026-11-22")),
            reimbursed: Some(Money(3_250)),
            ..Account::default()
        };
        let declined = Account { partner_id: 5, hours: Hours(1_400), declined: true, ..Account::default() };
        let items = checklist(3, &done_closing(), pay, &[paid, declined], true);
        assert_eq!(items.len(), 8);
        assert!(missing(&items).is_empty());
        assert_eq!(items[5].detail, "paid $560.00 by cheque");
        assert_eq!(items[6].detail, "reimbursed $32.50");
        assert_eq!(items[7].detail, "declined");
    }

    #[test]
    fn missing_steps_are_named_with_how_to_give_them_and_money_is_not_one() {
        let closing = Closing { requester_survey_on: None, thanked_on: None, ..done_closing() };
        let pay = Pay::WayRate(Money(4_000));
        let accounts = [
            Account { partner_id: 4, hours: Hours(1_400), expenses: Money(3_250), ..Account::default() },
            Account { partner_id: 5, hours: Hours(1_400), affects_benefits: true, ..Account::default() },
            Account { partner_id: 6, ..Account::default() },
        ];
        let items = checklist(3, &closing, pay, &accounts, true);
        assert_eq!(
            refusal(3, &items),
            "request 3 cannot close with 2 steps not done (the partners thanked (--thanked DATE); the survey sent \
             to the requester (--requester-survey DATE)); nothing was changed: give them, pass --keep-open to \
             record the steps given without closing, or --force to close anyway with the missing steps kept in \
             the event log"
        );
        assert_eq!(log_missing(&items), "closed with 2 steps missing: thanked, requester_survey");
        let to_settle: Vec<&str> = unsettled(&items).iter().map(|i| i.missing.as_str()).collect();
        assert_eq!(
            to_settle,
            vec![
                "partner 4's compensation of $560.00 paid or declined (`engage close pay 3 4 --method M` or `--declined`)",
                "partner 4's expenses of $32.50 reimbursed (`engage close reimburse 3 4`)",
                "partner 5's compensation of $560.00 offered, not assumed, as payment may affect their benefits \
                 (`engage close pay 3 5 --method M` or `--declined`)",
                "partner 6's hours, none logged at $40.00/hour (`engage checkin 3 --partner 6 --hours H`, or \
                 `engage close pay 3 6 --declined`)",
            ]
        );
    }

    #[test]
    fn expenses_logged_after_a_reimbursement_are_the_next_to_reimburse() {
        let a = Account {
            partner_id: 4,
            expenses: Money(5_250),
            reimbursed_on: Some(d("2026-10-01")),
            reimbursed: Some(Money(3_250)),
            ..Account::default()
        };
        let items = checklist(3, &done_closing(), Pay::WayRate(Money(0)), std::slice::from_ref(&a), true);
        let item = items.iter().find(|i| i.step == Step::Reimbursement(4)).unwrap();
        assert!(!item.done);
        assert_eq!(item.detail, "$20.00 to reimburse ($32.50 reimbursed)");
        assert_eq!(item.missing, "partner 4's expenses of $20.00 reimbursed (`engage close reimburse 3 4`)");
        assert!(missing(&items).is_empty(), "money does not keep the request open");
        let settled = Account { reimbursed: Some(Money(5_250)), ..a };
        let items = checklist(3, &done_closing(), Pay::WayRate(Money(0)), &[settled], true);
        assert_eq!(items.last().unwrap().detail, "reimbursed $52.50");
        assert!(unsettled(&items).is_empty());
    }

    #[test]
    fn one_missing_step_reads_in_the_singular() {
        let closing = Closing { outcomes: None, ..done_closing() };
        let items =
            checklist(2, &closing, Pay::WayRate(Money(0)), &[Account { partner_id: 9, ..Account::default() }], true);
        let sentence = refusal(2, &items);
        assert!(sentence.starts_with("request 2 cannot close with 1 step not done (the outcomes (--outcomes TEXT));"));
        assert!(sentence.contains("give it,"));
        assert_eq!(items[5].detail, "nothing owed");
        assert!(items[5].done);
    }

    #[test]
    fn a_notice_that_engaged_nobody_closes_with_its_outcomes_and_the_requesters_survey() {
        let closing = Closing {
            outcomes: Some("notice sent to 40 partners".into()),
            requester_survey_on: None,
            loop_closed_on: None,
            thanked_on: None,
            partner_survey_on: None,
            closed_on: None,
        };
        let items = checklist(5, &closing, Pay::WayRate(Money(0)), &[], false);
        assert_eq!(items.iter().map(|i| i.step.key()).collect::<Vec<_>>(), vec!["outcomes", "requester_survey"]);
        assert!(loop_open(&closing, false));
        assert!(
            refusal(5, &items).contains("1 step not done (the survey sent to the requester (--requester-survey DATE))")
        );
        let surveyed = Closing { requester_survey_on: Some(d("2027-03-01")), ..closing };
        assert!(!loop_open(&surveyed, false));
        assert!(loop_open(&surveyed, true), "with partners engaged, their steps apply");
    }

    #[test]
    fn changes_of_a_step_show_the_old_date() {
        assert_eq!(change("thanked_on", None, d("2026-11-23")), "thanked_on 2026-11-23");
        assert_eq!(change("thanked_on", Some(d("2026-11-20")), d("2026-11-23")), "thanked_on 2026-11-20 → 2026-11-23");
        assert_eq!(change("thanked_on", Some(d("2026-11-23")), d("2026-11-23")), "thanked_on 2026-11-23");
    }
}
