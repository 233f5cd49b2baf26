//! `engage request`: intake of health care partners' engagement requests. The clap group, its
//! dispatch, and what the subcommands share: the fields of a request and their checks.

mod cancel;
mod edit;
mod list;
mod new;
mod show;
mod view;

use crate::app::{Ctx, Exit};
use crate::cli::{
    CriteriaArg, check_list, check_phone, check_text, parse_criteria, parse_date, parse_days, parse_dollars,
    parse_email, parse_hour_count, parse_id,
};
use crate::domain::dates::DateArg;
use crate::domain::kinds::{Community, Domain, Format as MeetingFormat, Level, RequestStatus, Way};
use crate::domain::money::{Hours, Money};
use crate::domain::text::{Kind, optional};
use crate::error::{Error, Result};
use clap::Subcommand;

#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(subcommand)]
    pub command: RequestCommand,
}

#[derive(Debug, Subcommand)]
pub enum RequestCommand {
    /// Record a health care partner's engagement request
    #[command(after_help = "\
Examples:
  engage request new --title 'Discharge co-design' --org 'Fraser Health' --contact-name 'Lee Wong' \\
      --contact-email lee.wong@example.org --way collaborate --hours 40 --seats 3 \\
      --starts 2027-01-10 --ends 2027-06-30 --criteria 'experience!,speaking,listening:2'
  engage request new       # on a terminal: asks for what is missing

Seats default to 2; the rate comes from the way's setting (engage config list) unless --rate or
--honorarium is given; respond_by defaults to respond_within_days from today and select_by to
select_within_days after respond_by.")]
    New(NewArgs),

    /// List requests, newest last
    #[command(
        after_help = "Examples:\n  engage request list --status open\n  engage request list --org fraser --format csv\n  engage request list --domain policy --level system\n  engage request list --mine --status open"
    )]
    List(ListArgs),

    /// Show one request with its criteria and its timeline
    #[command(after_help = "Example:\n  engage request show 3 --format json")]
    Show {
        /// The request's id
        #[arg(value_parser = parse_id)]
        id: i64,
    },

    /// Change a request: give only the flags to change; '' clears an optional value
    #[command(
        after_help = "Examples:\n  engage request edit 3 --seats 3 --ends 2027-07-31\n  engage request edit 3 --location ''"
    )]
    Edit(EditArgs),

    /// Cancel a request that has not closed, saying why
    #[command(after_help = "Example:\n  engage request cancel 3 --reason 'project postponed by the requester'")]
    Cancel(CancelArgs),
}

/// The fields of a request, shared by `new` and `edit`.
#[derive(Debug, Clone, Default, PartialEq, Eq, clap::Args)]
pub struct Fields {
    /// What the engagement is called
    #[arg(long, value_name = "T")]
    pub title: Option<String>,
    /// The coordinator responsible for the request [default: ENGAGE_COORDINATOR, else the
    /// coordinator setting, else your user name]
    #[arg(long, value_name = "NAME")]
    pub owner: Option<String>,
    /// The health care partner (organization) making the request
    #[arg(long, value_name = "O")]
    pub org: Option<String>,
    /// The requester's one point of contact
    #[arg(long, value_name = "N")]
    pub contact_name: Option<String>,
    /// The point of contact's e-mail
    #[arg(long, value_name = "E", value_parser = parse_email)]
    pub contact_email: Option<String>,
    /// The point of contact's phone number
    #[arg(long, value_name = "P")]
    pub contact_phone: Option<String>,
    /// The way of engaging; it sets the default rate
    #[arg(long, value_enum, value_name = "WAY")]
    pub way: Option<Way>,
    /// Where the partnering happens: care, program or policy
    #[arg(long, value_enum, value_name = "D")]
    pub domain: Option<Domain>,
    /// At what level of the system: direct, organizational or system
    #[arg(long, value_enum, value_name = "L")]
    pub level: Option<Level>,
    /// Topics, comma-separated, matched against partners' topics of interest
    #[arg(long, value_name = "a,b")]
    pub topics: Option<String>,
    /// The region the partners should come from, matched against partners' regions
    #[arg(long, value_name = "R")]
    pub region: Option<String>,
    /// The community type partners should come from: urban, rural or remote
    #[arg(long, value_enum, value_name = "C")]
    pub community: Option<Community>,
    /// How the engagement meets: in person, virtually or both
    // `--format-of`, its first name, stays a hidden alias: scripts written for it keep working.
    #[arg(long, value_enum, value_name = "HOW", alias = "format-of")]
    pub meeting: Option<MeetingFormat>,
    /// Where the engagement meets (a place, or a video link's name)
    #[arg(long, value_name = "L")]
    pub location: Option<String>,
    /// The engagement's first day (YYYY-MM-DD or today)
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    pub starts: Option<DateArg>,
    /// The engagement's last day; it is never before --starts
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    pub ends: Option<DateArg>,
    /// Last day for partners to answer the invitation
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    pub respond_by: Option<DateArg>,
    /// Day by which partners should be selected
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    pub select_by: Option<DateArg>,
    /// Estimated hours per partner
    #[arg(long, value_name = "H", value_parser = parse_hour_count)]
    pub hours: Option<Hours>,
    /// How many patient partners are wanted (default 2)
    #[arg(long, value_name = "N", value_parser = parse_seats)]
    pub seats: Option<u32>,
    /// An hourly rate in dollars for this request, instead of the way's
    #[arg(long, value_name = "DOLLARS", value_parser = parse_dollars, conflicts_with = "honorarium", allow_hyphen_values = true)]
    pub rate: Option<Money>,
    /// A fixed amount in dollars per partner, instead of an hourly rate
    #[arg(long, value_name = "DOLLARS", value_parser = parse_dollars, allow_hyphen_values = true)]
    pub honorarium: Option<Money>,
    /// Expenses are reimbursed (the default for a new request)
    #[arg(long, conflicts_with = "no_expenses")]
    pub expenses: bool,
    /// Expenses are not reimbursed
    #[arg(long)]
    pub no_expenses: bool,
    /// Partners need a criminal record check
    #[arg(long, conflicts_with = "no_record_check")]
    pub record_check: bool,
    /// No criminal record check is needed
    #[arg(long)]
    pub no_record_check: bool,
    /// Days between check-ins (default: the checkin_every_days setting)
    #[arg(long, value_name = "DAYS", value_parser = parse_days)]
    pub checkin_every: Option<u32>,
    /// Selection criteria: names, '!' for required, ':WEIGHT' from 1 to 10 [default:
    /// experience,speaking,constructive,listening,availability]
    #[arg(long, value_name = "LIST", value_parser = parse_criteria)]
    pub criteria: Option<CriteriaArg>,
    /// What the engagement is about and what partners will do
    #[arg(long, value_name = "D")]
    pub description: Option<String>,
    /// The title in French, for the partners written to in French (default: the title)
    #[arg(long, value_name = "T")]
    pub title_fr: Option<String>,
    /// The description in French, for the partners written to in French (default: the
    /// description)
    #[arg(long, value_name = "D")]
    pub description_fr: Option<String>,
    /// Accessibility supports offered (interpretation, transit, childcare, …)
    #[arg(long, value_name = "S")]
    pub supports: Option<String>,
    /// The survey link for the partners, sent by `engage message survey`
    #[arg(long, value_name = "URL", value_parser = crate::domain::link::parse)]
    pub partner_survey_url: Option<String>,
    /// The survey link for the requester's point of contact, sent by `engage message survey`
    #[arg(long, value_name = "URL", value_parser = crate::domain::link::parse)]
    pub requester_survey_url: Option<String>,
}

#[derive(Debug, clap::Args)]
pub struct NewArgs {
    #[command(flatten)]
    pub fields: Fields,
}

#[derive(Debug, clap::Args)]
pub struct ListArgs {
    /// Only requests in these statuses (comma-separated), or 'open' for all not closed or cancelled
    #[arg(long, value_name = "S", value_parser = parse_status_filter)]
    pub status: Option<StatusFilter>,
    /// Only requests whose organization contains this text
    #[arg(long, value_name = "O")]
    pub org: Option<String>,
    /// Only requests in this domain of partnering (care, program, policy)
    #[arg(long, value_enum, value_name = "D")]
    pub domain: Option<Domain>,
    /// Only requests at this level (direct, organizational, system)
    #[arg(long, value_enum, value_name = "L")]
    pub level: Option<Level>,
    /// Only the requests this coordinator owns
    #[arg(long, value_name = "NAME", conflicts_with = "mine")]
    pub owner: Option<String>,
    /// Only the requests you own (ENGAGE_COORDINATOR, else the coordinator setting, else your
    /// user name)
    #[arg(long)]
    pub mine: bool,
}

#[derive(Debug, clap::Args)]
pub struct EditArgs {
    /// The request's id
    #[arg(value_parser = parse_id)]
    pub id: i64,
    #[command(flatten)]
    pub fields: Fields,
}

#[derive(Debug, clap::Args)]
pub struct CancelArgs {
    /// The request's id
    #[arg(value_parser = parse_id)]
    pub id: i64,
    /// Why the request is cancelled (kept in the timeline)
    #[arg(long, value_name = "R")]
    pub reason: Option<String>,
}

fn parse_seats(text: &str) -> std::result::Result<u32, String> {
    match text.trim().parse::<u32>() {
        Ok(n @ 1..=1000) => Ok(n),
        Ok(0) => Err("a request needs at least one seat (and should have two)".to_string()),
        _ => Err(format!("'{}' is not a number of seats; use a whole number from 1 to 1000", text.trim())),
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatusFilter(pub Vec<RequestStatus>);

fn parse_status_filter(text: &str) -> std::result::Result<StatusFilter, String> {
    let mut statuses = Vec::new();
    for word in text.split(',').map(str::trim).filter(|w| !w.is_empty()) {
        if word.eq_ignore_ascii_case("open") {
            statuses.extend_from_slice(RequestStatus::OPEN);
        } else {
            statuses.push(word.parse::<RequestStatus>().map_err(|why| format!("{why}, or open"))?);
        }
    }
    if statuses.is_empty() {
        return Err(format!("use a status: {}, or open", RequestStatus::choices()));
    }
    Ok(StatusFilter(statuses))
}

pub fn run(args: Args, ctx: &mut Ctx<'_>) -> Result<Exit> {
    match args.command {
        RequestCommand::New(a) => new::new(a.fields, ctx),
        RequestCommand::List(a) => list::list(a, ctx),
        RequestCommand::Show { id } => show::show(id, ctx),
        RequestCommand::Edit(a) => edit::edit(a, ctx),
        RequestCommand::Cancel(a) => cancel::cancel(a, ctx),
    }
}

/// The flags' values meet the rules an imported value meets (see [`check_text`]), before anything
/// else is done.
fn check_fields(f: &Fields) -> Result<()> {
    check_text("--title", f.title.as_deref(), Kind::Title)?;
    check_text("--title-fr", f.title_fr.as_deref(), Kind::Title)?;
    check_text("--org", f.org.as_deref(), Kind::Name)?;
    check_text("--contact-name", f.contact_name.as_deref(), Kind::Name)?;
    check_text("--owner", f.owner.as_deref(), Kind::Name)?;
    for (flag, value) in [("--region", &f.region), ("--location", &f.location)] {
        check_text(flag, value.as_deref(), Kind::Title)?;
    }
    for (flag, value) in
        [("--description", &f.description), ("--description-fr", &f.description_fr), ("--supports", &f.supports)]
    {
        check_text(flag, value.as_deref(), Kind::Note)?;
    }
    check_list("--topics", f.topics.as_deref())?;
    check_phone("--contact-phone", f.contact_phone.as_deref())
}

/// The flags a request's way has no use for (SPEC §10): an inform request is a notice to the
/// network, with no seats to fill, no one selected and no check-ins.
fn check_shape(way: Option<Way>, f: &Fields) -> Result<()> {
    if way != Some(Way::Inform) {
        return Ok(());
    }
    let given = [
        f.seats.map(|n| format!("--seats {n}")),
        f.checkin_every.map(|n| format!("--checkin-every {n}")),
        f.criteria.as_ref().map(|_| "--criteria".to_string()),
    ];
    match given.into_iter().flatten().next() {
        Some(flag) => Err(Error::Invalid(format!(
            "{flag} does not go with --way inform: an inform request is a notice to the network, with no seats, \
             candidates, selection or check-ins; leave {} out",
            flag.split(' ').next().unwrap_or(&flag)
        ))),
        None => Ok(()),
    }
}

/// Text a required field cannot be without.
fn required_text(flag: &str, value: &str) -> Result<String> {
    optional(value).ok_or_else(|| Error::Invalid(format!("{flag} cannot be empty")))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::criteria::Criterion;

    #[test]
    fn seats_and_status_filters_read_as_documented() {
        assert_eq!(parse_seats("3"), Ok(3));
        assert!(parse_seats("0").unwrap_err().contains("at least one seat"));
        assert!(parse_seats("two").unwrap_err().contains("'two' is not a number of seats"));
        assert_eq!(parse_status_filter("open").unwrap().0, RequestStatus::OPEN.to_vec());
        assert_eq!(
            parse_status_filter("closed,cancelled").unwrap().0,
            vec![RequestStatus::Closed, RequestStatus::Cancelled]
        );
        assert!(parse_status_filter("done").unwrap_err().contains("'done' is not a request status"));
    }

    #[test]
    fn criterion_meanings_come_from_the_defaults() {
        let c = Criterion { name: "listening".into(), weight: 2, required: false };
        assert!(c.meaning().unwrap().contains("empathy"));
    }
}
