//! What each reminder says: a sentence or two ending with the command that does it, and how
//! far its day is from today in words.

use super::{Detail, Item, Kind, Lack, Owing};
use crate::domain::checkin::{self, Concern, Party};
use crate::domain::selection::Step;
use chrono::NaiveDate;

fn plural(n: i64, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// What to do, in a sentence or two, ending with the command that does it.
pub fn message(i: &Item, as_of: NaiveDate) -> String {
    use crate::domain::dates::iso;
    let id = i.request_id;
    let on = format!("{} (request {id})", i.title);
    let partner = i.partner_id.unwrap_or(0);
    let name = i.name.clone().unwrap_or_default();
    let count = i.count.unwrap_or(0);
    let amount = i.amount.unwrap_or_default();
    let since = i.since.unwrap_or(i.due_on);
    let dated = |day: NaiveDate| format!("{} ({})", iso(day), ago(day, as_of));
    let party = i.party.unwrap_or(Party::Partner);
    let who = match party {
        Party::Requester => format!("{name} (the requester)"),
        Party::Team => "the team".to_string(),
        Party::Partner => name.clone(),
    };
    match i.kind {
        Kind::RequestAwaitingReview => format!(
            "Review request {id}, {} for {name}: submitted {} and no invitation sent yet. `engage recruit invite \
             {id}` invites partners; `engage request cancel {id} --reason R` if it will not go ahead.",
            i.title,
            dated(since)
        ),
        Kind::RecruitmentShort => format!(
            "Recruit more for {on}: {} for {}, responses due {}. `engage recruit invite {id} --topic T` invites more \
             partners.",
            plural(count, "candidate interested", "candidates interested"),
            plural(i.total.unwrap_or(0), "seat", "seats"),
            dated(i.due_on)
        ),
        Kind::SelectionDue => format!(
            "Select partners for {on}: responses closed {}, select by {}; {}. `engage select {id}` scores and \
             chooses.",
            iso(since),
            dated(i.due_on),
            if count == 0 {
                "nobody has said they are interested yet".to_string()
            } else {
                plural(count, "interested candidate", "interested candidates")
            }
        ),
        Kind::NotifyDue => format!(
            "Tell the candidates of {on} the outcome: {} not told yet, decided {}. `engage select notify {id}` \
             lists whom to tell and marks them told.",
            plural(count, "decision", "decisions"),
            dated(i.due_on)
        ),
        Kind::OnboardingDue => {
            let open: &[Step] = match &i.detail {
                Some(Detail::Onboarding { open }) => open,
                _ => &[],
            };
            let steps: Vec<&str> = open.iter().map(|s| s.words()).collect();
            let flags: Vec<String> = open.iter().map(|s| format!("--{} DATE", s.as_str())).collect();
            format!(
                "Onboard {name} for {on}, starting for them {}: not yet {}. `engage select onboard {id} {partner} {}`",
                dated(i.due_on),
                crate::domain::and_list(&steps),
                flags.join(" ")
            )
        }
        Kind::CommitmentsMissing => {
            let missing: &[Lack] = match &i.detail {
                Some(Detail::Commitments { missing }) => missing,
                _ => &[],
            };
            let has = |lack: Lack| missing.contains(&lack);
            let mut clauses = Vec::new();
            let lapse = iso(since);
            if has(Lack::CommitmentsMissing) {
                clauses.push("the Patient Partner Commitments are not signed".to_string());
            }
            if has(Lack::CommitmentsLapsed) {
                clauses.push(format!("their signature of the Patient Partner Commitments lapsed on {lapse}"));
            }
            if has(Lack::CommitmentsLapse) {
                clauses.push(format!("their signature of the Patient Partner Commitments lapses on {lapse}"));
            }
            if has(Lack::RecordCheck) {
                clauses.push("no criminal record check is on file, and the request requires one".to_string());
            }
            let mut flags = Vec::new();
            if missing.iter().any(|lack| *lack != Lack::RecordCheck) {
                flags.push("--commitments-signed DATE");
            }
            if has(Lack::RecordCheck) {
                flags.push("--record-check DATE");
            }
            if missing == [Lack::CommitmentsLapse] {
                return format!(
                    "{name} on {on}: their signature of the Patient Partner Commitments lapses on {}, during the \
                     engagement. `engage select onboard {id} {partner} {}`",
                    dated(since),
                    flags.join(" ")
                );
            }
            format!(
                "{name} on {on}, starting for them {}: {}. `engage select onboard {id} {partner} {}`",
                dated(i.due_on),
                clauses.join("; "),
                flags.join(" ")
            )
        }
        Kind::CheckinDue => {
            let flag = match party {
                Party::Requester => "--requester".to_string(),
                Party::Team => "--team".to_string(),
                Party::Partner => format!("--partner {partner}"),
            };
            let first = matches!(i.detail, Some(Detail::Checkin { first: true }));
            let last = if first {
                format!("no check-in yet since the engagement started for them on {}", iso(since))
            } else {
                format!("last check-in {}, on {}", ago(since, as_of), iso(since))
            };
            format!("Check in with {who} on {on}: {last}. `engage checkin {id} {flag}`")
        }
        Kind::ConcernOpen => {
            let (kind, serious) = match i.detail {
                Some(Detail::Concern { concern, serious }) => (concern, serious),
                _ => (Concern::Other, false),
            };
            let checkin = i.checkin_id.unwrap_or(0);
            let serious = if serious { "serious " } else { "" };
            let leader =
                if kind == Concern::Conduct { "; a conduct concern goes to the engagement leader" } else { "" };
            format!(
                "Follow up the {serious}{kind} concern raised with {} on {on} {} (check-in {checkin}){leader}. \
                 `engage checkin resolve {checkin} --note T` once it is resolved.",
                who,
                ago(since, as_of)
            )
        }
        Kind::CloseDue => {
            format!("Close the loop on {on}: it ended {}. `engage close {id}` shows what is left to do.", dated(since))
        }
        Kind::PaymentDue => {
            let end = iso(since);
            let standing = match i.detail {
                Some(Detail::Payment { standing }) => standing,
                _ => Owing::Owed,
            };
            if standing == Owing::NoHours {
                format!(
                    "Log {name}'s hours on {on}, which ended {end}: paid at {amount}/hour and none logged. \
                     `engage checkin {id} --partner {partner} --hours H`, or `engage close pay {id} {partner} \
                     --declined` if they declined."
                )
            } else if standing == Owing::Offered {
                format!(
                    "Offer {name} {amount} for {on}, which ended {end}: payment may affect their benefits, so ask \
                     how they want to be recognized. `engage close pay {id} {partner} --method M` or `--declined`."
                )
            } else {
                format!(
                    "Pay {name} {amount} for {on}, which ended {end}. `engage close pay {id} {partner} --method M` \
                     or `--declined`."
                )
            }
        }
        Kind::ReimbursementDue => {
            format!("Reimburse {name}'s expenses of {amount} for {on}. `engage close reimburse {id} {partner}`")
        }
    }
}

/// Days past due: positive when overdue, 0 on the day, negative when still to come.
pub fn days_overdue(due_on: NaiveDate, as_of: NaiveDate) -> i64 {
    checkin::days_overdue(due_on, as_of)
}

/// `34 days overdue`, `due today`, `due in 3 days`.
pub fn due_words(days_overdue: i64) -> String {
    match days_overdue {
        0 => "due today".to_string(),
        1 => "1 day overdue".to_string(),
        d if d > 0 => format!("{d} days overdue"),
        -1 => "due tomorrow".to_string(),
        d => format!("due in {} days", -d),
    }
}

/// `today`, `yesterday`, `34 days ago`, `in 3 days`: how far a day is from `as_of`.
pub fn ago(day: NaiveDate, as_of: NaiveDate) -> String {
    match (as_of - day).num_days() {
        0 => "today".to_string(),
        1 => "yesterday".to_string(),
        -1 => "tomorrow".to_string(),
        n if n > 0 => format!("{n} days ago"),
        n => format!("in {} days", -n),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn item(kind: Kind, party: Option<Party>, detail: Detail) -> Item {
        Item {
            kind,
            request_id: 3,
            partner_id: None,
            checkin_id: Some(8),
            shown_from: d("2026-11-20"),
            due_on: d("2026-11-20"),
            title: "Discharge co-design".to_string(),
            name: Some("Lee Wong".to_string()),
            count: None,
            total: None,
            amount: None,
            since: Some(d("2026-11-20")),
            detail: Some(detail),
            party,
        }
    }

    #[test]
    fn the_message_reads_the_typed_detail_and_the_party() {
        let as_of = d("2026-11-23");
        let concern = item(
            Kind::ConcernOpen,
            Some(Party::Requester),
            Detail::Concern { concern: Concern::Conduct, serious: true },
        );
        assert_eq!(
            message(&concern, as_of),
            "Follow up the serious conduct concern raised with Lee Wong (the requester) on Discharge co-design \
             (request 3) 3 days ago (check-in 8); a conduct concern goes to the engagement leader. `engage checkin \
             resolve 8 --note T` once it is resolved."
        );
        let team = Item {
            checkin_id: None,
            name: None,
            ..item(Kind::CheckinDue, Some(Party::Team), Detail::Checkin { first: true })
        };
        assert_eq!(
            message(&team, as_of),
            "Check in with the team on Discharge co-design (request 3): no check-in yet since the engagement started \
             for them on 2026-11-20. `engage checkin 3 --team`"
        );
        let lapses = Item {
            partner_id: Some(4),
            name: Some("Ana Silva".to_string()),
            ..item(Kind::CommitmentsMissing, None, Detail::Commitments { missing: vec![Lack::CommitmentsLapse] })
        };
        assert_eq!(
            message(&lapses, as_of),
            "Ana Silva on Discharge co-design (request 3): their signature of the Patient Partner Commitments lapses \
             on 2026-11-20 (3 days ago), during the engagement. `engage select onboard 3 4 --commitments-signed DATE`"
        );
        let offered = Item {
            partner_id: Some(4),
            name: Some("Ana Silva".to_string()),
            amount: Some(crate::domain::money::Money(40_000)),
            ..item(Kind::PaymentDue, None, Detail::Payment { standing: Owing::Offered })
        };
        assert!(message(&offered, as_of).starts_with("Offer Ana Silva $400.00 for Discharge co-design (request 3)"));
        let steps = Item {
            partner_id: Some(4),
            name: Some("Ana Silva".to_string()),
            ..item(Kind::OnboardingDue, None, Detail::Onboarding { open: vec![Step::Oriented, Step::Introduced] })
        };
        assert!(message(&steps, as_of).ends_with(
            "not yet oriented and introduced to the team. `engage select onboard 3 4 --oriented DATE --introduced DATE`"
        ));
    }

    #[test]
    fn days_read_as_words() {
        assert_eq!(due_words(34), "34 days overdue");
        assert_eq!(due_words(1), "1 day overdue");
        assert_eq!(due_words(0), "due today");
        assert_eq!(due_words(-1), "due tomorrow");
        assert_eq!(due_words(-3), "due in 3 days");
        assert_eq!(ago(d("2026-10-20"), d("2026-11-23")), "34 days ago");
        assert_eq!(ago(d("2026-11-22"), d("2026-11-23")), "yesterday");
        assert_eq!(ago(d("2026-11-26"), d("2026-11-23")), "in 3 days");
    }
}
