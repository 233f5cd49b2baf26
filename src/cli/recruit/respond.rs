//! `engage recruit respond REQ PARTNER`: a partner's response to an invitation; with
//! `--import FILE`, responses in bulk, such as the export of an "I'm interested" form (the file is
//! read by `csvio::responses`). One transaction; rejected rows are listed with their line and
//! reason and the rest is recorded (exit 3), as for sign-ups.

use crate::app::{Ctx, Exit};
use crate::cli::{check_text, parse_date, parse_id};
use crate::csvio::responses::{self, Named};
use crate::db::{invitations, partners};
use crate::domain::dates::DateArg;
use crate::domain::identity::{email_key, fold_name};
use crate::domain::kinds::{PartnerStatus, Response};
use crate::domain::text::{Kind, optional};
use crate::error::{Error, Result};
use crate::output::{Listing, Record, Value};
use std::collections::HashMap;
use std::path::{Path, PathBuf};

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
        return import(a.request, file, ctx);
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

/// `--import FILE`: the file read and checked whole before the database is opened, then every
/// row recorded or rejected in one transaction.
fn import(request_id: i64, file: &Path, ctx: &mut Ctx<'_>) -> Result<Exit> {
    let file = responses::read(file)?;
    let mut db = ctx.open_db()?;
    let request = invitations::open_request(db.conn(), request_id)?;
    // The partners the file's addresses belong to, in one pass over the network.
    // Addresses compared as identity compares them, the same way the sign-up import does.
    let wanted = file.addresses();
    let mut by_email: HashMap<String, Vec<(i64, String)>> = HashMap::new();
    if !wanted.is_empty() {
        partners::each_identity(db.conn(), |id, address, first, _| {
            if let Some(address) = address.map(email_key).filter(|a| wanted.contains(a.as_ref())) {
                by_email.entry(address.into_owned()).or_default().push((id, fold_name(first)));
            }
            Ok(())
        })?;
    }
    let stamp = ctx.stamp.clone();
    let today = ctx.today;
    let (rejected, recorded) = db.write(|tx| {
        let mut rejected: Vec<(u64, String)> = Vec::new();
        let mut recorded = (0u64, 0u64);
        for row in &file.rows {
            let found: std::result::Result<i64, String> = (|| {
                let partner_id = match file.named(row)? {
                    Named::Id(id) => id,
                    Named::Email { address, first } => {
                        let candidates = by_email.get(email_key(&address).as_ref()).cloned().unwrap_or_default();
                        let same: Vec<i64> = candidates
                            .iter()
                            .filter(|(_, f)| first.is_empty() || *f == first)
                            .map(|(id, _)| *id)
                            .collect();
                        match same.as_slice() {
                            [id] => *id,
                            [] => return Err(format!("nobody in the network has {address} with that first name")),
                            _ => {
                                return Err(format!(
                                    "{address} is shared by partners {}; add a first name column",
                                    same.iter().map(i64::to_string).collect::<Vec<_>>().join(", ")
                                ));
                            }
                        }
                    }
                };
                let partner = partners::find(tx, partner_id)
                    .map_err(|e| e.to_string())?
                    .ok_or(format!("there is no partner {partner_id}"))?;
                if partner.status == PartnerStatus::Forgotten {
                    return Err(format!("partner {partner_id} was forgotten"));
                }
                Ok(partner_id)
            })();
            let answer = found.and_then(|partner_id| Ok((partner_id, file.answer(row, today)?)));
            match answer {
                Ok((partner_id, answer)) => {
                    invitations::record_response(tx, &stamp, &request, partner_id, &answer)?;
                    match answer.response {
                        Response::Interested => recorded.0 += 1,
                        Response::Declined => recorded.1 += 1,
                    }
                }
                Err(why) => rejected.push((row.line, why)),
            }
        }
        Ok((rejected, recorded))
    })?;
    let mut record = Record::default();
    record
        .field("file", Value::text(&file.shown))
        .field("request_id", Value::Int(request.id))
        .field("read", Value::Int(file.rows.len() as i64))
        .field("interested", Value::Int(recorded.0 as i64))
        .field("declined", Value::Int(recorded.1 as i64))
        .field("rejected", Value::Int(rejected.len() as i64));
    let mut listing = Listing::new(&["line", "reason"]);
    for (line, why) in &rejected {
        listing.push(vec![Value::Int(*line as i64), Value::text(why)]);
    }
    record.section("rejected_rows", listing);
    ctx.print_record(&record)?;
    ctx.note(&format!(
        "Request {}: {} responses read = {} interested + {} declined + {} rejected.",
        request.id,
        file.rows.len(),
        recorded.0,
        recorded.1,
        rejected.len()
    ))?;
    Ok(if rejected.is_empty() { Exit::Done } else { Exit::Partial })
}
