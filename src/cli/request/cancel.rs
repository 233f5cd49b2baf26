//! `engage request cancel`: a request that has not closed is cancelled, saying why.

use super::CancelArgs;
use crate::app::{Ctx, Exit};
use crate::cli::{check_text, checked_answer};
use crate::db::requests;
use crate::domain::kinds::RequestStatus;
use crate::domain::request::Request;
use crate::domain::text::{Kind, optional};
use crate::error::{Error, Result};
use crate::prompt::{OrFlag, ask};

fn refuse_cancelling(r: &Request) -> Result<()> {
    if !r.status.can_move_to(RequestStatus::Cancelled) {
        return Err(Error::Refused(format!(
            "request {} is {}; only a request that has not closed can be cancelled",
            r.id, r.status
        )));
    }
    Ok(())
}

pub(super) fn cancel(a: CancelArgs, ctx: &mut Ctx<'_>) -> Result<Exit> {
    check_text("--reason", a.reason.as_deref(), Kind::Note)?;
    let mut reason = a.reason.as_deref().and_then(optional);
    let mut db = ctx.open_db()?;
    let current = requests::get(db.conn(), a.id)?;
    refuse_cancelling(&current)?;
    if reason.is_none() {
        if let Some(p) = ctx.prompter() {
            let nonempty = |s: &str| {
                let t = optional(s).ok_or_else(|| "a reason is needed".to_string())?;
                checked_answer(&t, Kind::Note)
            };
            reason =
                Some(ask(p, &format!("Why is '{}' cancelled?", current.title), None, nonempty).or_flag("--reason R")?);
        }
    }
    let reason = reason
        .ok_or_else(|| Error::Missing("request cancel needs --reason: say why the request is cancelled".to_string()))?;
    let stamp = ctx.stamp.clone();
    // The status is read again where it is written: a request closed by another engage while the
    // reason was asked is not cancelled over its close.
    db.write(|tx| {
        let now = requests::get(tx, a.id)?;
        refuse_cancelling(&now)?;
        requests::move_to(tx, &stamp, &now, RequestStatus::Cancelled, Some(&reason))
    })?;
    ctx.note(&format!("Cancelled request {}: {}.", current.id, current.title))?;
    Ok(Exit::Done)
}
