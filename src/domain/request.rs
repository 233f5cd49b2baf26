//! An engagement request and the rules that apply when it is recorded or changed.

use super::criteria::Criterion;
use super::dates::{Follows, iso};
use super::kinds::{Community, Domain, Format, Level, RequestStatus, Way};
use super::money::{Hours, Money};
use chrono::NaiveDate;

/// How partners on a request are recognized.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pay {
    /// The way's hourly rate, as the network's settings had it when the request was recorded.
    WayRate(Money),
    /// An hourly rate agreed for this request.
    Rate(Money),
    /// A fixed amount per partner.
    Honorarium(Money),
}

impl Pay {
    pub fn basis(self) -> &'static str {
        match self {
            Pay::WayRate(_) => "way",
            Pay::Rate(_) => "rate",
            Pay::Honorarium(_) => "honorarium",
        }
    }

    pub fn amount(self) -> Money {
        match self {
            Pay::WayRate(m) | Pay::Rate(m) | Pay::Honorarium(m) => m,
        }
    }

    pub fn from_sql(basis: &str, cents: i64) -> Option<Pay> {
        let m = Money(cents);
        match basis {
            "way" => Some(Pay::WayRate(m)),
            "rate" => Some(Pay::Rate(m)),
            "honorarium" => Some(Pay::Honorarium(m)),
            _ => None,
        }
    }

    /// The hourly rate, when pay is by the hour.
    pub fn hourly(self) -> Option<Money> {
        match self {
            Pay::WayRate(m) | Pay::Rate(m) => Some(m),
            Pay::Honorarium(_) => None,
        }
    }

    pub fn honorarium(self) -> Option<Money> {
        match self {
            Pay::Honorarium(m) => Some(m),
            _ => None,
        }
    }

    /// `$40.00/hour (the involve rate)`, `$50.00 honorarium per partner`, `no compensation`.
    pub fn describe(self, way: Way) -> String {
        match self {
            Pay::WayRate(m) if m.cents() == 0 => format!("no compensation (the {way} rate)"),
            Pay::WayRate(m) => format!("{m}/hour (the {way} rate)"),
            Pay::Rate(m) => format!("{m}/hour"),
            Pay::Honorarium(m) => format!("{m} honorarium per partner"),
        }
    }
}

/// Closing the loop (docs/rules.md, rule 10).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Closing {
    pub outcomes: Option<String>,
    pub loop_closed_on: Option<NaiveDate>,
    pub thanked_on: Option<NaiveDate>,
    pub partner_survey_on: Option<NaiveDate>,
    pub requester_survey_on: Option<NaiveDate>,
    pub closed_on: Option<NaiveDate>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Request {
    pub id: i64,
    pub title: String,
    pub description: Option<String>,
    /// The title and description in French, which French messages use; without them
    /// a French message names the request by its title and description.
    pub title_fr: Option<String>,
    pub description_fr: Option<String>,
    pub organization: String,
    /// The coordinator responsible for the request (a team on one network): `request new
    /// --owner`, else whoever recorded it.
    pub owner: String,
    pub contact_name: String,
    pub contact_email: String,
    pub contact_phone: Option<String>,
    pub way: Way,
    pub domain: Option<Domain>,
    pub level: Option<Level>,
    pub topics: Vec<String>,
    pub region: Option<String>,
    pub community: Option<Community>,
    pub format: Option<Format>,
    pub location: Option<String>,
    pub starts_on: Option<NaiveDate>,
    pub ends_on: Option<NaiveDate>,
    pub respond_by: NaiveDate,
    pub select_by: NaiveDate,
    pub hours_estimate: Option<Hours>,
    pub seats: u32,
    pub pay: Pay,
    pub expenses_reimbursed: bool,
    pub record_check_required: bool,
    pub supports: Option<String>,
    pub checkin_every_days: u32,
    /// The cadence was given for this request (`--checkin-every`), not taken from the setting: a
    /// one-off keeps its check-ins only then (src/domain/shape.rs).
    pub checkin_every_given: bool,
    pub status: RequestStatus,
    pub status_reason: Option<String>,
    pub created_on: NaiveDate,
    pub criteria: Vec<Criterion>,
    pub closing: Closing,
    /// The survey links sent with `engage message survey`.
    pub partner_survey_url: Option<String>,
    pub requester_survey_url: Option<String>,
}

/// Always try to include at least two patient partners (docs/rules.md, rule 2).
pub const MIN_PARTNERS: u32 = 2;

impl Request {
    /// What every step of an engagement follows: the request being recorded. `why` ends the
    /// sentence refusing a day before it.
    pub fn recorded(&self, why: &'static str) -> Follows {
        Follows { day: self.created_on, what: format!("request {} was recorded", self.id), why }
    }

    /// The rules a request must satisfy to be kept (errors), and those that only warn.
    pub fn check(&self, today: NaiveDate) -> Result<Vec<String>, String> {
        if let (Some(starts), Some(ends)) = (self.starts_on, self.ends_on) {
            if ends < starts {
                return Err(format!(
                    "the engagement would end on {} before it starts on {}; --ends must be on or after --starts",
                    iso(ends),
                    iso(starts)
                ));
            }
        }
        if self.select_by < self.respond_by {
            return Err(format!(
                "select_by {} would come before respond_by {}; --select-by must be on or after --respond-by",
                iso(self.select_by),
                iso(self.respond_by)
            ));
        }
        let mut warnings = Vec::new();
        if self.seats < MIN_PARTNERS {
            warnings.push(format!("{} seat: always try to include at least two patient partners", self.seats));
        }
        if self.respond_by < today && !self.status.is_final() {
            warnings.push(format!("respond_by {} is already past", iso(self.respond_by)));
        }
        if let Some(starts) = self.starts_on {
            if self.select_by > starts {
                warnings.push(format!(
                    "select_by {} is after the engagement starts on {}; partners would have no time to prepare",
                    iso(self.select_by),
                    iso(starts)
                ));
            }
        }
        if self.way == Way::Inform && self.pay.amount().cents() > 0 {
            warnings.push("an inform request usually carries no compensation".to_string());
        }
        Ok(warnings)
    }
}
