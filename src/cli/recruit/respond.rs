//! `engage recruit respond REQ PARTNER`: a partner's response to an invitation (or, with
//! `--import FILE`, responses in bulk).

use crate::cli::{check_text, parse_date, parse_id};
use crate::db::{invitations, partners};
use crate::domain::dates::DateArg;
use crate::domain::kinds::{PartnerStatus, Response};
use crate::domain::text::{Kind, optional};
use crate::error::{Error, Result};
use crate::{Ctx, Exit};
use std::path::PathBuf;

#[derive(Debug, clap::Args)]
pub struct RespondArgs {
    /// The request's id
    #[arg(value_parser = parse_id)]
    pub request: i64,
    /// The partner's id
    #[arg(value_parser = parse_id, required_unless_present = "import")]
    pub partner: Option<i64>,
    /// The partner is interested
    #[arg(long, conflicts_with = "declined")]
    pub interested: bool,
    /// The partner declined
    #[arg(long)]
    pub declined: bool,
    /// The partner's statement of interest
    #[arg(long, value_name = "S")]
    pub statement: Option<String>,
    /// When the partner is available
    #[arg(long, value_name = "A")]
    pub availability: Option<String>,
    /// A conflict of interest the partner declared
    #[arg(long, value_name = "C")]
    pub conflict: Option<String>,
    /// When the partner answered (default: today)
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    pub on: Option<DateArg>,
    /// Import responses from a CSV file instead: columns for the partner (id, or e-mail and first
    /// name), the response, and optionally statement, availability, conflict and date
    #[arg(long, value_name = "FILE", conflicts_with = "partner")]
    pub import: Option<PathBuf>,
}

pub fn run(a: RespondArgs, ctx: &mut Ctx<'_>) -> Result<Exit> {
    if let Some(file) = &a.import {
        return crate::csvio::responses::run(a.request, file, ctx);
    }
    let partner_id =
        a.partner.ok_or_else(|| Error::Missing("recruit respond needs a PARTNER id or --import FILE".into()))?;
    for (flag, value) in
        [("--statement", &a.statement), ("--availability", &a.availability), ("--conflict", &a.conflict)]
    {
        check_text(flag, value.as_deref(), Kind::Note)?;
    }
    let response = match (a.interested, a.declined) {
        (true, _) => Response::Interested,
        (_, true) => Response::Declined,
        _ => {
            return Err(Error::Missing(
                "recruit respond needs --interested or --declined: say what the partner answered".to_string(),
            ));
        }
    };
    let mut db = ctx.open_db()?;
    let request = invitations::open_request(db.conn(), a.request)?;
    let partner = partners::get(db.conn(), partner_id)?;
    if partner.status == PartnerStatus::Forgotten {
        return Err(Error::Refused(format!("partner {partner_id} was forgotten; they cannot respond")));
    }
    let answer = invitations::Answer {
        response,
        on: a.on.map_or(ctx.today, |d| d.resolve(ctx.today)),
        statement: a.statement.as_deref().and_then(optional),
        availability: a.availability.as_deref().and_then(optional),
        conflict: a.conflict.as_deref().and_then(optional),
    };
    let stamp = ctx.stamp.clone();
    db.write(|tx| invitations::record_response(tx, &stamp, &request, partner_id, &answer))?;
    ctx.note(&format!("Recorded: partner {partner_id} ({}) is {response} in request {}.", partner.name(), request.id))?;
    if answer.conflict.is_some() {
        ctx.warn(&format!("partner {partner_id} declared a conflict of interest; selecting them will need a reason"))?;
    }
    if partner.status != PartnerStatus::Active {
        ctx.warn(&format!("partner {partner_id} is {} in the network", partner.status))?;
    }
    Ok(Exit::Done)
}
