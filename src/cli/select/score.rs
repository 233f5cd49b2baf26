//! `engage select score`: one candidate's scores on the request's criteria.

use super::pool::{is_candidate, load, refuse_final, save_scores};
use crate::app::{Ctx, Exit};
use crate::db::Reader;
use crate::db::{invitations, partners, requests};
use crate::domain::and_list;
use crate::domain::kinds::Response;
use crate::domain::selection::check_scores;
use crate::error::{Error, Result};

/// Why a partner who is not among the candidates is not.
fn not_a_candidate(conn: &Reader, request_id: i64, partner_id: i64) -> Result<Error> {
    let partner = partners::get(conn, partner_id)?;
    let response = invitations::find(conn, request_id, partner_id)?.map(|i| i.response);
    let why = match (is_candidate(&partner), response) {
        (false, _) => format!("they are {} in the network", partner.status),
        (true, None) => "they were not invited and have not responded".to_string(),
        (true, Some(Some(Response::Declined))) => "they declined".to_string(),
        (true, Some(_)) => "they were invited and have not responded".to_string(),
    };
    Ok(Error::Invalid(format!(
        "partner {partner_id} is not an interested candidate for request {request_id} ({why}); \
         `engage select rank {request_id}` lists the candidates"
    )))
}

pub(super) fn score(request_id: i64, partner_id: i64, scores: Vec<(String, u8)>, ctx: &mut Ctx<'_>) -> Result<Exit> {
    if scores.is_empty() {
        return Err(Error::Missing(
            "select score needs --score CRITERION=N for each criterion to score, such as --score experience=3"
                .to_string(),
        ));
    }
    let mut db = ctx.open_db()?;
    let request = requests::get(db.conn(), request_id)?;
    refuse_final(&request, "its candidates are not scored any more")?;
    check_scores(&scores, &request.criteria, request_id).map_err(Error::Invalid)?;
    let interested =
        invitations::find(db.conn(), request_id, partner_id)?.is_some_and(|i| i.response == Some(Response::Interested));
    let partner = partners::get(db.conn(), partner_id)?;
    if !interested || !is_candidate(&partner) {
        return Err(not_a_candidate(db.conn(), request_id, partner_id)?);
    }
    let stamp = ctx.stamp.clone();
    let moved = db.write(|tx| save_scores(tx, &stamp, request_id, partner_id, &scores))?;
    let pool = load(db.conn(), requests::get(db.conn(), request_id)?, ctx.today)?;
    let given: Vec<String> = scores.iter().map(|(n, s)| format!("{n} {s}")).collect();
    let mut line =
        format!("Scored partner {partner_id} ({}) for request {request_id}: {}.", partner.name(), given.join(", "));
    if let Some(s) = pool.standings.iter().find(|s| s.partner_id == partner_id) {
        if s.missing.is_empty() {
            line.push_str(&format!(" Total {} of {}.", s.total, s.max_total));
        } else {
            let missing: Vec<&str> = s.missing.iter().map(String::as_str).collect();
            line.push_str(&format!(" Still to score: {}.", and_list(&missing)));
        }
    }
    ctx.note(&line)?;
    if let Some(criterion) =
        pool.standings.iter().find(|s| s.partner_id == partner_id).and_then(|s| s.excluded_by.as_ref())
    {
        ctx.warn(&format!("partner {partner_id} is excluded: 0 on {criterion}, a required criterion"))?;
    }
    if moved {
        ctx.note(&format!("Request {request_id} is now selecting."))?;
    }
    Ok(Exit::Done)
}
