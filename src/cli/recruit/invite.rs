//! `engage recruit invite REQ`: the invitation to matching partners, and its mailing list.

use crate::app::{Ctx, Exit};
use crate::cli::parse_id;
use crate::correspondence::draft::{Reach, reach};
use crate::db::{events, invitations, requests, settings};
use crate::domain::dates::iso;
use crate::domain::kinds::{Community, RequestStatus};
use crate::domain::money::Money;
use crate::domain::request::Request;
use crate::domain::text::for_terminal;
use crate::error::Result;
use crate::output::{self, Column, Format, Listing, Record, Value};

#[derive(Debug, clap::Args)]
pub struct InviteArgs {
    /// The request's id
    #[arg(value_parser = parse_id)]
    pub request: i64,
    /// Of those, only partners with a topic of interest containing this text
    #[arg(long, value_name = "T")]
    pub topic: Option<String>,
    /// Of those, only partners whose region contains this text
    #[arg(long, value_name = "R")]
    pub region: Option<String>,
    /// Of those, only partners of this community type
    #[arg(long, value_enum, value_name = "C")]
    pub community: Option<Community>,
    /// Of those, only partners who speak this language (`fr` also finds French and Français)
    #[arg(long, value_name = "L")]
    pub language: Option<String>,
    /// Invite at most this many partners
    #[arg(long, value_name = "N", value_parser = crate::cli::parse_partner_count)]
    pub limit: Option<u32>,
    /// Show who would be invited and the text, and record nothing
    #[arg(long)]
    pub dry_run: bool,
}

/// The invitation a request's details make.
pub fn invitation_text(r: &Request, network: &str) -> (String, String) {
    let subject = format!("Patient partner opportunity: {} ({})", r.title, r.organization);
    let mut body = String::new();
    body.push_str("Hello,\n\n");
    body.push_str(&format!(
        "{} is looking for {} patient partner{} for \"{}\".\n\n",
        r.organization,
        r.seats,
        if r.seats == 1 { "" } else { "s" },
        r.title
    ));
    if let Some(d) = &r.description {
        body.push_str(&format!("What it is: {d}\n"));
    }
    body.push_str(&format!("How you would take part: {} ({})\n", r.way, r.way.about()));
    let mut when = Vec::new();
    match (r.starts_on, r.ends_on) {
        (Some(s), Some(e)) => when.push(format!("{} to {}", iso(s), iso(e))),
        (Some(s), None) => when.push(format!("from {}", iso(s))),
        (None, Some(e)) => when.push(format!("until {}", iso(e))),
        (None, None) => {}
    }
    if let Some(h) = r.hours_estimate {
        when.push(format!("about {h} hours"));
    }
    if let Some(f) = r.format {
        let place = r.location.as_deref().map(|l| format!(" ({l})")).unwrap_or_default();
        when.push(format!("{}{place}", f.about()));
    } else if let Some(l) = &r.location {
        when.push(l.clone());
    }
    if !when.is_empty() {
        body.push_str(&format!("When and where: {}\n", when.join(", ")));
    }
    if !r.topics.is_empty() {
        body.push_str(&format!("Topics: {}\n", r.topics.join(", ")));
    }
    body.push_str(&format!("Recognition: {}\n", recognition(r)));
    if let Some(s) = &r.supports {
        body.push_str(&format!("Supports offered: {s}\n"));
    }
    if r.record_check_required {
        body.push_str("A criminal record check is required.\n");
    }
    body.push_str(&format!(
        "\nIf you are interested, please reply by {} with a few words about why, and when you are available.\n\
         Everyone who replies hears the outcome.\n\nThank you,\n{network}\n",
        iso(r.respond_by)
    ));
    (subject, body)
}

/// What a partner would receive, in words.
fn recognition(r: &Request) -> String {
    let mut text = match (r.pay.hourly(), r.pay.honorarium(), r.hours_estimate) {
        (_, Some(h), _) => format!("a {h} honorarium"),
        (Some(rate), _, _) if rate.cents() == 0 => "no compensation is offered for this way of engaging".to_string(),
        (Some(rate), _, Some(hours)) => {
            format!("{rate}/hour (about {} for {hours} hours)", Money::for_hours(rate, hours))
        }
        (Some(rate), _, None) => format!("{rate}/hour"),
        (None, None, _) => String::new(),
    };
    text.push_str(if r.expenses_reimbursed { "; expenses reimbursed" } else { "; expenses are not reimbursed" });
    text
}

pub fn run(a: InviteArgs, ctx: &mut Ctx<'_>) -> Result<Exit> {
    let mut db = ctx.open_db()?;
    let request = invitations::open_request(db.conn(), a.request)?;
    let network = settings::get(db.conn(), "network_name")?;
    let narrow = invitations::Narrow {
        topic: a.topic.clone(),
        region: a.region.clone(),
        community: a.community,
        language: a.language.clone(),
        limit: a.limit.map(|n| n as usize),
    };
    let invitations::Matching { partners: matched, last_engaged, already } =
        invitations::matching(db.conn(), &request, &narrow)?;
    let (subject, body) = invitation_text(&request, &network);
    let stamp = ctx.stamp.clone();
    let today = ctx.today;
    let ids: Vec<i64> = matched.iter().map(|p| p.id).collect();
    // A dry run records nothing, so it writes nothing either: what it shows was all read above.
    let record = |tx: &crate::db::Tx<'_>| {
        for id in &ids {
            invitations::invite(tx, request.id, *id, today)?;
        }
        if !ids.is_empty() {
            events::log(tx, &stamp, "invited", Some(request.id), None, &format!("{} partners", ids.len()))?;
            if request.status == RequestStatus::Submitted {
                requests::move_to(tx, &stamp, &request, RequestStatus::Recruiting, None)?;
            }
        }
        Ok(())
    };
    if !a.dry_run {
        db.write(record)?;
    }
    let mut recipients = Listing::new(&[
        Column::id("partner_id"),
        Column::text("name"),
        Column::email("email"),
        Column::word("preferred_contact").leave_out(2),
        Column::phone("phone"),
        Column::date("last_engaged").leave_out(1),
    ]);
    for p in &matched {
        // The number only for those who prefer the phone: the others are e-mailed (rule 7, the
        // least contact detail the invitation needs).
        let phone = match reach(p) {
            Reach::Phone(number) => number,
            _ => None,
        };
        recipients.push(vec![
            Value::Int(p.id),
            Value::text(p.name()),
            Value::opt_text(p.email.clone()),
            Value::opt_text(p.preferred_contact.clone()),
            Value::opt_text(phone),
            Value::opt_text(last_engaged.get(&p.id).cloned()),
        ]);
    }
    match ctx.format {
        Format::Table => {
            // The request's words, as every table shows them: nothing in them acts on the terminal;
            // on a terminal the invitation wraps at spaces; copied from CSV or JSON it is as written.
            let width = ctx.table_style().width;
            let text = for_terminal(&format!("Subject: {subject}\n\n{body}")).into_owned();
            writeln!(ctx.out, "{}", output::wrap_sentence(&text, width, 0))?;
            ctx.print_listing(&recipients, "")?;
        }
        Format::Csv => ctx.print_listing(&recipients, "")?,
        Format::Json => {
            let mut record = Record::default();
            record
                .field("request_id", Value::Int(request.id))
                .field("subject", Value::text(subject))
                .field("text", Value::text(body))
                .section("recipients", recipients);
            ctx.print_record(&record)?;
        }
    }
    let verb = if a.dry_run { "Would invite" } else { "Invited" };
    ctx.note(&format!(
        "{verb} {} partner{} to request {}{}.",
        matched.len(),
        if matched.len() == 1 { "" } else { "s" },
        request.id,
        if already.is_empty() { String::new() } else { format!(" ({} invited or answered before)", already.len()) }
    ))?;
    if matched.is_empty() {
        let speaking = a.language.as_deref().map(|l| format!(", speaking {}", l.trim())).unwrap_or_default();
        ctx.note(&format!("Nobody matched: active partners who consented, with a topic, the region and the community type of the request in common{speaking}; `engage request edit` can widen the request's."))?;
    }
    Ok(Exit::Done)
}
