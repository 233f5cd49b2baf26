//! The shape of an engagement (SPEC §10): which steps of the flow a request goes through, from its
//! way of engaging and its dates. `inform` is a notice to the network: no seats, candidates,
//! selection, onboarding, check-ins or pay; it is done when the notice has gone out, then it
//! closes. A one-off (a single day, or fewer hours than one cadence's worth) has no check-ins
//! unless a cadence was given. The rest keep the whole flow.
//!
//! The reminders, `engage status` and the commands that refuse a step read these rules, so that
//! they cannot disagree.

use super::kinds::Way;
use super::money::Hours;
use super::request::Request;
use chrono::NaiveDate;

/// Which steps of the flow a request goes through.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Shape {
    /// `inform`: a notice to the network, then closing.
    Notice,
    /// One session: the whole flow but check-ins, from selection to closing.
    OneOff,
    /// Recruitment, selection, onboarding, check-ins, closing and pay.
    Whole,
}

/// What a request is, as far as its shape goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Outline {
    pub way: Way,
    pub starts_on: Option<NaiveDate>,
    pub ends_on: Option<NaiveDate>,
    pub hours_estimate: Option<Hours>,
    pub checkin_every_days: u32,
    /// The cadence was given for this request (`--checkin-every`), not taken from the setting.
    pub checkin_every_given: bool,
}

impl Outline {
    pub fn of(r: &Request) -> Outline {
        Outline {
            way: r.way,
            starts_on: r.starts_on,
            ends_on: r.ends_on,
            hours_estimate: r.hours_estimate,
            checkin_every_days: r.checkin_every_days,
            checkin_every_given: r.checkin_every_given,
        }
    }
}

impl Shape {
    /// The shape of a request: `inform` is a notice; `collaborate` and `lead` keep the whole flow;
    /// a `consult` or `involve` that is one-off (see [`one_off`]) has no check-ins unless a cadence
    /// was given for it.
    pub fn of(o: &Outline) -> Shape {
        match o.way {
            Way::Inform => Shape::Notice,
            Way::Collaborate | Way::Lead => Shape::Whole,
            Way::Consult | Way::Involve if !o.checkin_every_given && one_off(o) => Shape::OneOff,
            Way::Consult | Way::Involve => Shape::Whole,
        }
    }

    pub fn of_request(r: &Request) -> Shape {
        Shape::of(&Outline::of(r))
    }

    /// Partners are invited to express interest, scored, selected, onboarded and paid.
    pub fn selects(self) -> bool {
        self != Shape::Notice
    }

    /// The request's check-in cadence applies (docs/rules.md, rule 8).
    pub fn checks_in(self) -> bool {
        self == Shape::Whole
    }

    /// The cadence of check-ins, when they apply.
    pub fn cadence(self, checkin_every_days: u32) -> Option<u32> {
        self.checks_in().then_some(checkin_every_days)
    }

    /// Partners were engaged, so the loop's partner steps apply: telling the outcomes back to
    /// them, thanking them and their survey. A notice engages nobody: its loop is the outcomes
    /// and the requester's survey.
    pub fn engages_partners(self) -> bool {
        self.selects()
    }

    /// In words, for `request show` and `engage status`.
    pub fn words(self) -> &'static str {
        match self {
            Shape::Notice => "a notice to the network: no seats, selection, check-ins or pay",
            Shape::OneOff => "one-off: no check-ins, from selection to closing",
            Shape::Whole => "the whole flow",
        }
    }
}

/// One session: the engagement starts and ends on the same day, or its hours per partner are
/// fewer than one cadence's worth, counting an hour for each day of the cadence (a two-hour focus
/// group under a 30-day cadence; 40 hours of co-design is not).
pub fn one_off(o: &Outline) -> bool {
    let single_day = matches!((o.starts_on, o.ends_on), (Some(s), Some(e)) if s == e);
    let few_hours = o.hours_estimate.is_some_and(|h| h.0 < i64::from(o.checkin_every_days) * 100);
    single_day || few_hours
}

/// The sentence refusing a step that an inform request does not have (`what` is the command's
/// step: "selection", "check-ins").
pub fn refusal(request_id: i64, what: &str) -> String {
    format!(
        "request {request_id} is an inform request, a notice to the network: it has no {what} (no seats, \
         candidates, selection, onboarding, check-ins or pay); once the notice has gone, `engage close \
         {request_id}` closes it"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn outline(way: Way) -> Outline {
        Outline {
            way,
            starts_on: Some(d("2027-01-10")),
            ends_on: Some(d("2027-06-30")),
            hours_estimate: Some(Hours(4_000)),
            checkin_every_days: 30,
            checkin_every_given: false,
        }
    }

    #[test]
    fn inform_is_a_notice_and_collaborate_and_lead_keep_the_whole_flow() {
        assert_eq!(Shape::of(&outline(Way::Inform)), Shape::Notice);
        assert!(!Shape::Notice.selects() && !Shape::Notice.checks_in() && !Shape::Notice.engages_partners());
        let one_day =
            Outline { ends_on: Some(d("2027-01-10")), hours_estimate: Some(Hours(200)), ..outline(Way::Lead) };
        assert_eq!(Shape::of(&one_day), Shape::Whole);
        assert_eq!(Shape::of(&Outline { way: Way::Collaborate, ..one_day }), Shape::Whole);
        assert_eq!(Shape::of(&outline(Way::Consult)), Shape::Whole);
    }

    #[test]
    fn a_single_day_or_few_hours_is_one_off_unless_a_cadence_was_given() {
        let focus_group = Outline { ends_on: Some(d("2027-01-10")), hours_estimate: None, ..outline(Way::Consult) };
        assert_eq!(Shape::of(&focus_group), Shape::OneOff);
        assert_eq!(Shape::OneOff.cadence(30), None);
        // Two hours, no dates: under a 30-day cadence's worth (30 hours).
        let two_hours =
            Outline { starts_on: None, ends_on: None, hours_estimate: Some(Hours(200)), ..outline(Way::Consult) };
        assert_eq!(Shape::of(&two_hours), Shape::OneOff);
        let evidence_scans = Outline { hours_estimate: Some(Hours(1_400)), ..outline(Way::Involve) };
        assert_eq!(Shape::of(&evidence_scans), Shape::OneOff);
        let thirty = Outline { hours_estimate: Some(Hours(3_000)), ..outline(Way::Involve) };
        assert_eq!(Shape::of(&thirty), Shape::Whole);
        let given = Outline { checkin_every_given: true, ..focus_group };
        assert_eq!(Shape::of(&given), Shape::Whole);
        assert_eq!(Shape::Whole.cadence(14), Some(14));
    }
}
