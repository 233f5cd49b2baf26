//! Compensation and reimbursement of each selected partner (SPEC rule 11, HEC's recognition
//! guide): what is owed, how the partner chose to be recognized, what was paid and reimbursed.
//!
//! Everything is integer cents and hundredths of an hour. What is owed is worked out once per
//! partner from their total hours (one rounding, half up), and every total is the sum of the
//! partners' own amounts, so a statement's totals add up to the cent.

use super::money::{Hours, Money};
use super::request::Pay;
use chrono::NaiveDate;
use std::fmt;
use std::str::FromStr;

/// How a partner chose to be recognized.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, clap::ValueEnum)]
pub enum Method {
    #[value(name = "e-transfer", help = "an e-transfer")]
    ETransfer,
    #[value(name = "cheque", help = "a cheque")]
    Cheque,
    #[value(name = "gift-card", help = "a gift card")]
    GiftCard,
    #[value(name = "donation", help = "a donation in the partner's name")]
    Donation,
}

impl Method {
    pub const ALL: &'static [Method] = &[Method::ETransfer, Method::Cheque, Method::GiftCard, Method::Donation];

    pub fn as_str(self) -> &'static str {
        match self {
            Method::ETransfer => "e-transfer",
            Method::Cheque => "cheque",
            Method::GiftCard => "gift-card",
            Method::Donation => "donation",
        }
    }

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

impl fmt::Display for Method {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Method {
    type Err = String;
    fn from_str(text: &str) -> Result<Self, String> {
        let folded = text.trim().to_ascii_lowercase().replace(['_', ' '], "-");
        Method::ALL.iter().copied().find(|m| m.as_str() == folded).ok_or_else(|| {
            format!("'{}' is not a way to be recognized; use e-transfer, cheque, gift-card or donation", text.trim())
        })
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

/// One selected partner's hours, expenses, and what became of them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Account {
    pub partner_id: i64,
    pub name: String,
    /// Payment may affect the partner's income benefits: compensation is offered, never assumed.
    pub affects_benefits: bool,
    pub hours: Hours,
    pub expenses: Money,
    pub method: Option<Method>,
    pub declined: bool,
    pub paid_on: Option<NaiveDate>,
    pub paid: Option<Money>,
    pub reimbursed_on: Option<NaiveDate>,
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
    pub fn owed(&self, pay: Pay) -> Money {
        owed(pay, self.hours)
    }

    pub fn standing(&self, pay: Pay) -> Standing {
        if self.paid_on.is_some() {
            Standing::Paid
        } else if self.declined {
            Standing::Declined
        } else if pay.amount().cents() == 0 {
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

    /// Expenses logged and not reimbursed yet.
    pub fn expenses_outstanding(&self) -> Money {
        if self.reimbursed_on.is_some() { Money(0) } else { self.expenses }
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::money::parse_hours;

    fn hours(text: &str) -> Hours {
        parse_hours(text).unwrap()
    }

    #[test]
    fn the_recognition_guides_examples_come_out_exactly() {
        // HEC's patient partner recognition guide (seed 002), SPEC rule 11.
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
}
