//! Compensation and reimbursement of each selected partner (docs/rules.md, rule 11, HEC's
//! recognition guide): what is owed, how the partner chose to be recognized, what was paid and
//! reimbursed.
//!
//! Everything is integer cents and hundredths of an hour. What is owed is worked out once per
//! partner from their total hours (one rounding, half up), and every total is the sum of the
//! partners' own amounts, so a statement's totals add up to the cent.

use super::kinds::vocabulary;
use super::money::{Hours, Money};
use super::request::Pay;
use super::selection::Outcome;
use chrono::NaiveDate;
use std::fmt;
use std::str::FromStr;

vocabulary!(
    /// How a partner chose to be recognized.
    Method, "a way to be recognized" {
        ETransfer => "e-transfer": "an e-transfer",
        Cheque => "cheque": "a cheque",
        GiftCard => "gift-card": "a gift card",
        Donation => "donation": "a donation in the partner's name",
    }
);

impl Method {
    /// `by e-transfer`, `as a gift card`: how the sentence about a payment reads.
    pub fn words(self) -> &'static str {
        match self {
            Method::ETransfer => "by e-transfer",
            Method::Cheque => "by cheque",
            Method::GiftCard => "as a gift card",
            Method::Donation => "as a donation",
        }
    }
}

/// What a partner is owed for their hours on a request: hours x the hourly rate, rounded half up
/// to the cent, or the request's fixed honorarium whatever the hours.
pub fn owed(pay: Pay, hours: Hours) -> Money {
    match pay {
        Pay::Honorarium(amount) => amount,
        Pay::WayRate(rate) | Pay::Rate(rate) => Money::for_hours(rate, hours),
    }
}

/// One partner's account on a request: their hours and expenses, and what became of them. A
/// partner has one while selected, after they withdrew, and after any later decision once hours
/// or money were logged for them: money paid never leaves a statement or a report.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Account {
    pub partner_id: i64,
    pub name: String,
    /// Payment may affect the partner's income benefits: compensation is offered, never assumed.
    pub affects_benefits: bool,
    /// The decision for the partner now: selected, withdrew, or (decided again after hours or
    /// money were logged) waitlisted or not selected.
    pub outcome: Outcome,
    /// The partner was forgotten: the account stays in the figures, and nobody is reminded of it.
    pub forgotten: bool,
    pub hours: Hours,
    pub expenses: Money,
    pub method: Option<Method>,
    pub declined: bool,
    pub paid_on: Option<NaiveDate>,
    pub paid: Option<Money>,
    /// The day of the last reimbursement.
    pub reimbursed_on: Option<NaiveDate>,
    /// What every reimbursement came to.
    pub reimbursed: Option<Money>,
}

/// Where a partner's compensation stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Standing {
    Paid,
    Declined,
    /// The request offers nothing (an inform request, a $0 rate or honorarium).
    NothingOwed,
    /// Paid by the hour, and no hours are logged yet.
    NoHours,
    /// Owed, not paid yet.
    Owed,
    /// Owed to a partner whose benefits payment may affect: offered, not assumed, until they choose.
    Offered,
}

impl Standing {
    /// Paid, declined, or nothing owed: the closing step is done.
    pub fn settled(self) -> bool {
        matches!(self, Standing::Paid | Standing::Declined | Standing::NothingOwed)
    }

    pub fn label(self) -> &'static str {
        match self {
            Standing::Paid => "paid",
            Standing::Declined => "declined",
            Standing::NothingOwed => "nothing owed",
            Standing::NoHours => "no hours logged",
            Standing::Owed => "owed",
            Standing::Offered => "offer, not assumed",
        }
    }
}

impl Account {
    /// A partner who took part to the end is owed the request's pay for their hours (or its
    /// honorarium); one who left part-way, or was decided otherwise later, for the hours they
    /// logged: nothing when they logged none.
    pub fn owed(&self, pay: Pay) -> Money {
        if self.left_before_any_hours() { Money(0) } else { owed(pay, self.hours) }
    }

    fn left_before_any_hours(&self) -> bool {
        self.outcome != Outcome::Selected && self.hours.hundredths() == 0
    }

    pub fn standing(&self, pay: Pay) -> Standing {
        if self.paid_on.is_some() {
            Standing::Paid
        } else if self.declined {
            Standing::Declined
        } else if pay.amount().cents() == 0 || self.left_before_any_hours() {
            Standing::NothingOwed
        } else if self.owed(pay).cents() == 0 {
            Standing::NoHours
        } else if self.affects_benefits {
            Standing::Offered
        } else {
            Standing::Owed
        }
    }

    /// What is still to pay: the amount owed until it is paid, declined or nothing.
    pub fn outstanding(&self, pay: Pay) -> Money {
        if self.standing(pay).settled() { Money(0) } else { self.owed(pay) }
    }

    /// Expenses logged since the last reimbursement: what the next one pays back.
    pub fn expenses_outstanding(&self) -> Money {
        Money((self.expenses.cents() - self.reimbursed.map_or(0, Money::cents)).max(0))
    }

    /// What was logged and paid for the partner, in words (`14 hours logged`, `$560.00 paid`,
    /// `$20.00 reimbursed`, `$12.50 of expenses to reimburse`); empty when there is nothing.
    pub fn money_words(&self) -> Vec<String> {
        let mut words = Vec::new();
        if self.hours.hundredths() > 0 {
            let plural = if self.hours.hundredths() == 100 { "" } else { "s" };
            words.push(format!("{} hour{plural} logged", self.hours));
        }
        if let Some(paid) = self.paid.filter(|_| self.paid_on.is_some()) {
            words.push(format!("{paid} paid"));
        }
        if let Some(reimbursed) = self.reimbursed {
            words.push(format!("{reimbursed} reimbursed"));
        }
        let outstanding = self.expenses_outstanding();
        if outstanding.cents() > 0 {
            words.push(format!("{outstanding} of expenses to reimburse"));
        }
        words
    }
}

/// The sums of a statement's columns.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord)]
pub struct Totals {
    pub hours: Hours,
    pub owed: Money,
    pub paid: Money,
    pub outstanding: Money,
    pub expenses: Money,
    pub reimbursed: Money,
}

impl Totals {
    /// Expenses logged and not reimbursed yet (a reimbursement pays back what is outstanding, so
    /// never more than was logged).
    pub fn expenses_outstanding(&self) -> Money {
        Money((self.expenses.cents() - self.reimbursed.cents()).max(0))
    }

    /// Adds `other` in, column by column.
    pub fn add(&mut self, other: Totals) {
        self.hours.0 += other.hours.0;
        self.owed.0 += other.owed.0;
        self.paid.0 += other.paid.0;
        self.outstanding.0 += other.outstanding.0;
        self.expenses.0 += other.expenses.0;
        self.reimbursed.0 += other.reimbursed.0;
    }
}

pub fn totals(accounts: &[Account], pay: Pay) -> Totals {
    let mut t = Totals::default();
    for a in accounts {
        t.hours.0 += a.hours.0;
        t.owed.0 += a.owed(pay).0;
        t.paid.0 += a.paid.map_or(0, |m| m.0);
        t.outstanding.0 += a.outstanding(pay).0;
        t.expenses.0 += a.expenses.0;
        t.reimbursed.0 += a.reimbursed.map_or(0, |m| m.0);
    }
    t
}

/// A partner's calendar year of money, for the finance office (the T4A slip for fees) and for a
/// benefits office (the yearly figure it asks of a partner whose benefits payment may affect).
/// Payments count in the year they were made, not the year the engagement ran; reimbursed
/// expenses are kept apart, since they are no income.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Year {
    /// Payments made to them in the year, one per engagement paid.
    pub payments: i64,
    pub paid: Money,
    /// Reimbursements of expenses made to them in the year.
    pub reimbursements: i64,
    pub reimbursed: Money,
}

impl Year {
    pub fn pay(&mut self, amount: Money) {
        self.payments += 1;
        self.paid.0 += amount.0;
    }

    pub fn reimburse(&mut self, amount: Money) {
        self.reimbursements += 1;
        self.reimbursed.0 += amount.0;
    }

    /// A slip is issued for a year's fees above the threshold (the `tax_slip_threshold` setting;
    /// the Canada Revenue Agency's is $500), never for reimbursed expenses.
    pub fn slip_required(&self, threshold: Money) -> bool {
        self.paid > threshold
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::money::parse_hours;

    fn hours(text: &str) -> Hours {
        parse_hours(text).unwrap()
    }

    #[test]
    fn the_recognition_guides_examples_come_out_exactly() {
        // HEC's patient partner recognition guide (docs/rules.md, rule 11).
        assert_eq!(owed(Pay::WayRate(Money(0)), hours("3")), Money(0)); // inform
        assert_eq!(owed(Pay::Honorarium(Money(5_000)), hours("2")), Money(5_000)); // consult: $50 honorarium
        assert_eq!(owed(Pay::WayRate(Money(2_500)), hours("2")), Money(5_000)); // consult at $25/hour
        assert_eq!(owed(Pay::WayRate(Money(4_000)), hours("14")), Money(56_000)); // involve
        assert_eq!(owed(Pay::WayRate(Money(5_000)), hours("40")), Money(200_000)); // collaborate
        assert_eq!(owed(Pay::Rate(Money(6_000)), hours("8")), Money(48_000)); // lead
    }

    #[test]
    fn an_honorarium_does_not_depend_on_hours() {
        assert_eq!(owed(Pay::Honorarium(Money(5_000)), Hours(0)), Money(5_000));
        assert_eq!(owed(Pay::Honorarium(Money(5_000)), hours("9.75")), Money(5_000));
    }

    #[test]
    fn hours_are_rounded_once_on_the_partners_total() {
        // Three check-ins of 0.01 hours at $33.50/hour: 100.5 cents on the total, rounded once to
        // $1.01, where rounding each check-in (33.5 -> 34) would have paid $1.02.
        let a = Account { hours: Hours(3), ..Account::default() };
        assert_eq!(a.owed(Pay::Rate(Money(3_350))), Money(101));
    }

    #[test]
    fn standing_follows_the_partners_choice() {
        let pay = Pay::WayRate(Money(4_000));
        let mut a = Account { partner_id: 4, hours: hours("14"), ..Account::default() };
        assert_eq!(a.standing(pay), Standing::Owed);
        assert_eq!(a.outstanding(pay), Money(56_000));
        a.affects_benefits = true;
        assert_eq!(a.standing(pay), Standing::Offered);
        assert_eq!(Standing::Offered.label(), "offer, not assumed");
        assert!(!Standing::Offered.settled());
        a.declined = true;
        assert_eq!(a.standing(pay), Standing::Declined);
        assert_eq!(a.outstanding(pay), Money(0));
        a.declined = false;
        a.paid_on = NaiveDate::from_ymd_opt(2026, 11, 23);
        a.paid = Some(Money(56_000));
        a.method = Some(Method::ETransfer);
        assert_eq!(a.standing(pay), Standing::Paid);
        assert_eq!(a.outstanding(pay), Money(0));
        let none = Account { hours: Hours(0), ..Account::default() };
        assert_eq!(none.standing(pay), Standing::NoHours);
        assert!(!Standing::NoHours.settled());
        assert_eq!(none.standing(Pay::WayRate(Money(0))), Standing::NothingOwed);
        assert_eq!(none.standing(Pay::Honorarium(Money(0))), Standing::NothingOwed);
        assert_eq!(none.standing(Pay::Honorarium(Money(5_000))), Standing::Owed);
    }

    #[test]
    fn totals_are_the_sums_of_the_partners_amounts() {
        let pay = Pay::Rate(Money(3_333));
        let accounts = vec![
            Account { partner_id: 1, hours: Hours(1), expenses: Money(1_050), ..Account::default() },
            Account {
                partner_id: 2,
                hours: Hours(250),
                paid_on: NaiveDate::from_ymd_opt(2026, 11, 23),
                paid: Some(Money(8_333)),
                reimbursed_on: NaiveDate::from_ymd_opt(2026, 11, 23),
                reimbursed: Some(Money(700)),
                expenses: Money(700),
                ..Account::default()
            },
            Account { partner_id: 3, hours: Hours(1), declined: true, ..Account::default() },
        ];
        let t = totals(&accounts, pay);
        assert_eq!(t.hours, Hours(252));
        // 33 (0.01 h at $33.33, rounded) + 8,333 (2.5 h, 8,332.5 rounded up) + 33.
        assert_eq!(t.owed, Money(33 + 8_333 + 33));
        assert_eq!(t.paid, Money(8_333));
        assert_eq!(t.outstanding, Money(33));
        assert_eq!(t.expenses, Money(1_750));
        assert_eq!(t.reimbursed, Money(700));
        assert_eq!(accounts[0].expenses_outstanding(), Money(1_050));
        assert_eq!(accounts[1].expenses_outstanding(), Money(0));
        assert_eq!(t.expenses_outstanding(), Money(1_050));
    }

    #[test]
    fn a_partner_who_withdrew_is_owed_for_the_hours_they_logged() {
        let pay = Pay::WayRate(Money(4_000));
        let left = Account { partner_id: 4, outcome: Outcome::Withdrew, hours: hours("6"), ..Account::default() };
        assert_eq!((left.owed(pay), left.standing(pay)), (Money(24_000), Standing::Owed));
        let early = Account { hours: Hours(0), ..left.clone() };
        assert_eq!((early.owed(pay), early.standing(pay)), (Money(0), Standing::NothingOwed));
        // An honorarium is owed once they worked at all.
        let fixed = Pay::Honorarium(Money(5_000));
        assert_eq!((left.owed(fixed), early.owed(fixed)), (Money(5_000), Money(0)));
        // Decided otherwise after being paid: the payment stays, and so does what it paid for.
        let paid = Account {
            outcome: Outcome::NotSelected,
            hours: hours("14"),
            paid_on: NaiveDate::from_ymd_opt(2026, 11, 1),
            paid: Some(Money(56_000)),
            expenses: Money(3_250),
            reimbursed_on: NaiveDate::from_ymd_opt(2026, 11, 1),
            reimbursed: Some(Money(2_000)),
            ..Account::default()
        };
        assert_eq!((paid.owed(pay), paid.standing(pay)), (Money(56_000), Standing::Paid));
        assert_eq!(paid.expenses_outstanding(), Money(1_250));
        assert_eq!(
            paid.money_words(),
            vec!["14 hours logged", "$560.00 paid", "$20.00 reimbursed", "$12.50 of expenses to reimburse"]
        );
        assert!(Account::default().money_words().is_empty());
    }

    #[test]
    fn methods_read_as_typed() {
        assert_eq!("E-Transfer".parse::<Method>(), Ok(Method::ETransfer));
        assert_eq!("gift card".parse::<Method>(), Ok(Method::GiftCard));
        assert_eq!(
            "cash".parse::<Method>().unwrap_err(),
            "'cash' is not a way to be recognized; use e-transfer, cheque, gift-card or donation"
        );
        for m in Method::ALL {
            assert_eq!(m.as_str().parse::<Method>(), Ok(*m));
        }
    }

    #[test]
    fn a_slip_is_required_above_the_threshold_for_fees_only() {
        let mut y = Year::default();
        y.pay(Money(30_000));
        y.pay(Money(20_000));
        y.reimburse(Money(9_000));
        assert_eq!((y.payments, y.paid, y.reimbursements, y.reimbursed), (2, Money(50_000), 1, Money(9_000)));
        // $500.00 exactly is not above $500.00; the reimbursed expenses do not count.
        assert!(!y.slip_required(Money(50_000)));
        y.pay(Money(1));
        assert!(y.slip_required(Money(50_000)));
    }
}
