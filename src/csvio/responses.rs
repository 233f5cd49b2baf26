//! `engage recruit respond REQ --import FILE`: responses to an invitation in bulk, such as the
//! export of an "I'm interested" form.
//!
//! Each row names the partner by `partner_id`, or by e-mail (and first name, when a family shares
//! the address), and says whether they are interested. Optional columns: statement of interest,
//! availability, conflict of interest, and when they answered. One transaction; rejected rows are
//! listed with their line and reason and the rest is recorded (exit 3), as for sign-ups.

use super::headers::{clean, key};
use super::plan::open_source;
use super::reader::{Limits, RawRecord, Reader};
use super::refuse;
use super::source::{self, Source};
use super::values::{self, DateError};
use crate::db::invitations::{Answer, open_request, record_response};
use crate::db::partners;
use crate::domain::email;
use crate::domain::identity::{email_key, fold_name};
use crate::domain::kinds::{PartnerStatus, Response};
use crate::domain::text::{self, Kind, in_sentence};
use crate::error::Result;
use crate::output::{Listing, Record, Value};
use crate::{Ctx, Exit};
use std::collections::{HashMap, HashSet};
use std::path::Path;

/// A response file is small: the answers to one invitation.
const MAX_ROWS: usize = 100_000;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Col {
    PartnerId,
    Email,
    FirstName,
    Response,
    Statement,
    Availability,
    Conflict,
    On,
}

fn column(header: &str) -> Option<Col> {
    Some(match key(header).as_str() {
        "partnerid" | "partner" | "id" => Col::PartnerId,
        "email" | "emailaddress" | "youremail" | "youremailaddress" | "email2" => Col::Email,
        "firstname" | "givenname" | "yourfirstname" | "first" => Col::FirstName,
        "response" | "answer" | "interested" | "areyouinterested" | "interest" | "doyouwanttotakepart" => Col::Response,
        "statement" | "statementofinterest" | "whyareyouinterested" | "tellusaboutyourinterest" => Col::Statement,
        "availability" | "whenareyouavailable" | "youravailability" => Col::Availability,
        "conflict" | "conflictofinterest" | "doyouhaveaconflictofinterest" | "declaredconflict" => Col::Conflict,
        "respondedon" | "timestamp" | "submittedat" | "date" | "submissiondate" => Col::On,
        _ => return None,
    })
}

/// `interested`/`declined`, or yes/no.
fn response(text: &str) -> std::result::Result<Response, String> {
    if let Ok(r) = text.parse::<Response>() {
        return Ok(r);
    }
    match values::yes_no(text) {
        Ok(Some(true)) => Ok(Response::Interested),
        Ok(Some(false)) => Ok(Response::Declined),
        _ => Err(format!("'{}' is not interested or declined (nor yes or no)", text.trim())),
    }
}

/// A conflict-of-interest answer: "No", "None" and blanks declare none.
fn conflict(text: &str) -> Option<String> {
    let t = text.trim();
    let none = t.is_empty()
        || ["no", "none", "n/a", "na", "nil", "-"].iter().any(|w| t.eq_ignore_ascii_case(w))
        || values::yes_no(t) == Ok(Some(false));
    if none { None } else { Some(t.to_string()) }
}

struct Row {
    line: u64,
    cells: Vec<String>,
}

pub fn run(request_id: i64, file: &Path, ctx: &mut Ctx<'_>) -> Result<Exit> {
    let shown = if file.as_os_str() == "-" { "standard input".to_string() } else { file.display().to_string() };
    let input = Source::open(file, &shown, true)?;
    let mut reader = Reader::new(open_source(&input, &shown, None)?, b',', Limits::default());
    let mut rec = RawRecord::default();
    let read_error = |e: std::io::Error| source::read_error(&shown, e);
    let text = |rec: &RawRecord| -> Result<Vec<String>> {
        if memchr::memchr(0, rec.bytes()).is_some() || std::str::from_utf8(rec.bytes()).is_err() {
            return Err(refuse(
                &shown,
                format_args!("is not a UTF-8 text file (line {}); save it as 'CSV UTF-8'", rec.line),
            ));
        }
        Ok(rec.fields().map(|f| String::from_utf8_lossy(f).into_owned()).collect())
    };
    if !reader.read(&mut rec).map_err(read_error)? {
        return Err(refuse(&shown, "is empty: there is no header row"));
    }
    let header = text(&rec)?;
    let columns: Vec<Option<Col>> = header.iter().map(|h| column(h)).collect();
    let has = |c: Col| columns.contains(&Some(c));
    if !has(Col::Response) || !(has(Col::PartnerId) || has(Col::Email)) {
        return Err(refuse(
            &shown,
            format_args!(
                "needs a response column ('Response': interested or declined, or yes or no) and a partner_id or e-mail column; its columns are {}",
                header.iter().map(|h| in_sentence(&clean(h), 60)).collect::<Vec<_>>().join(", ")
            ),
        ));
    }
    let mut rows = Vec::new();
    while reader.read(&mut rec).map_err(read_error)? {
        if rec.is_blank() {
            continue;
        }
        if rec.flaw.is_some() {
            return Err(refuse(
                &shown,
                format_args!("line {}: a quoted field is broken; fix the quotes and import again", rec.line),
            ));
        }
        if rows.len() == MAX_ROWS {
            return Err(refuse(
                &shown,
                format_args!("has more than {MAX_ROWS} rows; that is not one invitation's responses"),
            ));
        }
        rows.push(Row { line: rec.line, cells: text(&rec)? });
    }
    let cell = |row: &Row, c: Col| -> String {
        columns
            .iter()
            .position(|x| *x == Some(c))
            .and_then(|i| row.cells.get(i))
            .map(|v| clean(v).to_string())
            .unwrap_or_default()
    };
    let header_of = |c: Col| -> String {
        columns.iter().position(|x| *x == Some(c)).and_then(|i| header.get(i)).map_or_else(String::new, |h| clean(h))
    };
    let mut db = ctx.open_db()?;
    let request = open_request(db.conn(), request_id)?;
    // The partners the file's addresses belong to, in one pass over the network.
    // Addresses compared as identity compares them (SPEC §5), the same way the sign-up import does.
    let wanted: HashSet<String> = rows
        .iter()
        .filter_map(|r| email::parse(&cell(r, Col::Email)).ok())
        .map(|a| email_key(&a).into_owned())
        .collect();
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
    let mut rejected: Vec<(u64, String)> = Vec::new();
    let mut recorded = (0u64, 0u64);
    db.write(|tx| {
        for row in &rows {
            let found: std::result::Result<i64, String> = (|| {
                let id_text = cell(row, Col::PartnerId);
                let partner_id = if !id_text.is_empty() {
                    id_text.parse::<i64>().map_err(|_| format!("partner_id '{id_text}' is not an id"))?
                } else {
                    let address = email::parse(&cell(row, Col::Email))?;
                    let first = fold_name(&cell(row, Col::FirstName));
                    let candidates = by_email.get(email_key(&address).as_ref()).cloned().unwrap_or_default();
                    let same: Vec<i64> =
                        candidates.iter().filter(|(_, f)| first.is_empty() || *f == first).map(|(id, _)| *id).collect();
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
                };
                let partner = partners::find(tx, partner_id)
                    .map_err(|e| e.to_string())?
                    .ok_or(format!("there is no partner {partner_id}"))?;
                if partner.status == PartnerStatus::Forgotten {
                    return Err(format!("partner {partner_id} was forgotten"));
                }
                Ok(partner_id)
            })();
            let answer = found.and_then(|partner_id| {
                let on = match cell(row, Col::On).as_str() {
                    "" => today,
                    text => values::parse_datetime(text, None).map(|t| t.date()).map_err(|e| match e {
                        DateError::Ambiguous => {
                            format!("'{text}' could be day/month or month/day; write the date as YYYY-MM-DD")
                        }
                        DateError::Invalid(why) => format!("'{text}' {why}"),
                    })?,
                };
                // An answer meets the rules the same answer typed with `recruit respond` meets.
                let optional = |c: Col| -> std::result::Result<Option<String>, String> {
                    let v = cell(row, c);
                    if v.is_empty() {
                        return Ok(None);
                    }
                    text::check(&v, Kind::Note).map_err(|why| format!("{}: {why}", header_of(c)))?;
                    Ok(Some(v))
                };
                let conflict = conflict(&cell(row, Col::Conflict));
                if let Some(c) = &conflict {
                    text::check(c, Kind::Note).map_err(|why| format!("{}: {why}", header_of(Col::Conflict)))?;
                }
                let answer = Answer {
                    response: response(&cell(row, Col::Response))?,
                    on,
                    statement: optional(Col::Statement)?,
                    availability: optional(Col::Availability)?,
                    conflict,
                };
                Ok((partner_id, answer))
            });
            match answer {
                Ok((partner_id, answer)) => {
                    record_response(tx, &stamp, &request, partner_id, &answer)?;
                    match answer.response {
                        Response::Interested => recorded.0 += 1,
                        Response::Declined => recorded.1 += 1,
                    }
                }
                Err(why) => rejected.push((row.line, why)),
            }
        }
        Ok(())
    })?;
    let mut record = Record::default();
    record
        .field("file", Value::text(&shown))
        .field("request_id", Value::Int(request.id))
        .field("read", Value::Int(rows.len() as i64))
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
        rows.len(),
        recorded.0,
        recorded.1,
        rejected.len()
    ))?;
    Ok(if rejected.is_empty() { Exit::Done } else { Exit::Partial })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_responses_and_conflicts() {
        assert_eq!(response("Interested"), Ok(Response::Interested));
        assert_eq!(response("yes"), Ok(Response::Interested));
        assert_eq!(response("No"), Ok(Response::Declined));
        assert!(response("maybe").is_err());
        assert_eq!(conflict("No"), None);
        assert_eq!(conflict(" none "), None);
        assert_eq!(conflict("I work on the unit").as_deref(), Some("I work on the unit"));
        assert_eq!(column("Why are you interested?"), Some(Col::Statement));
        assert_eq!(column("Partner ID"), Some(Col::PartnerId));
    }
}
