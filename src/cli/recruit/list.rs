//! `engage recruit list`: the network's partners, without contact details.

use crate::app::{Ctx, Exit};
use crate::db::partners;
use crate::domain::kinds::PartnerStatus;
use crate::error::Result;
use crate::output::{Column, Listing, Value};

#[derive(Debug, clap::Args)]
pub struct ListArgs {
    /// Only partners in this status (default: all but forgotten)
    #[arg(long, value_enum, value_name = "S")]
    pub status: Option<PartnerStatus>,
    /// Only partners with a topic of interest containing this text
    #[arg(long, value_name = "T")]
    pub topic: Option<String>,
    /// Only partners whose region contains this text
    #[arg(long, value_name = "R")]
    pub region: Option<String>,
    /// Only partners who speak this language (`fr` also finds French and Français)
    #[arg(long, value_name = "L")]
    pub language: Option<String>,
    /// Text to find in names, e-mail, region, topics, languages, lived experience, accessibility
    /// needs and notes (any case; three characters or more are looked up in the search index)
    #[arg(long, value_name = "TEXT")]
    pub search: Option<String>,
}

pub fn run(a: ListArgs, ctx: &mut Ctx<'_>) -> Result<Exit> {
    let db = ctx.open_db()?;
    let search =
        partners::Search { status: a.status, topic: a.topic, region: a.region, language: a.language, text: a.search };
    let mut listing = Listing::new(&[
        Column::id("id"),
        Column::text("name"),
        Column::text("pronouns").leave_out(3),
        Column::text("region").leave_out(5),
        Column::word("community").leave_out(4),
        Column::text("topics").leave_out(6),
        Column::word("status"),
        Column::word("consent").leave_out(2),
        Column::date("joined_on").leave_out(1),
        Column::date("commitments_signed_on").leave_out(7),
    ]);
    partners::each_found(db.conn(), &search, |p| {
        listing.push(vec![
            Value::Int(p.id),
            Value::text(p.name()),
            Value::opt_text(p.pronouns.clone()),
            Value::opt_text(p.region.clone()),
            Value::opt_text(p.community.map(|c| c.as_str())),
            Value::List(p.topics.clone()),
            Value::text(p.status.as_str()),
            Value::Bool(p.consent),
            Value::opt_date(p.joined_on),
            Value::opt_date(p.commitments_signed_on),
        ]);
        Ok(())
    })?;
    ctx.print_listing(&listing, "No partners match. `engage recruit import FILE` brings in a sign-up export.")?;
    Ok(Exit::Done)
}
