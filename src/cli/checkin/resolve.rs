//! `engage checkin resolve`: a concern raised at a check-in is resolved.

use super::rows::{Names, row};
use crate::app::{Ctx, Exit};
use crate::cli::{check_text, checked_answer};
use crate::db::{checkins, events};
use crate::domain::checkin::CheckinStatus;
use crate::domain::dates::{DateArg, Follows, iso, step_day};
use crate::domain::text::{Kind, optional};
use crate::error::{Error, Result};
use crate::output::{Format, Record};
use crate::prompt::{OrFlag, ask_optional};

pub(super) fn resolve(id: i64, note: Option<String>, on: Option<DateArg>, ctx: &mut Ctx<'_>) -> Result<Exit> {
    let today = ctx.today;
    const RESOLVED: &str = "record the resolution once the concern is resolved";
    let on = step_day("--on", on, today, RESOLVED, None).map_err(Error::Invalid)?;
    check_text("--note", note.as_deref(), Kind::Note)?;
    let mut note = note.as_deref().and_then(optional);
    let mut db = ctx.open_db()?;
    let c = checkins::get(db.conn(), id)?;
    let Some(kind) = c.concern.filter(|_| c.status != CheckinStatus::Good) else {
        return Err(Error::Refused(format!(
            "check-in {id} raised no concern (its status is {}); there is nothing to resolve",
            c.status
        )));
    };
    if let Some(resolved) = c.resolved_on {
        return Err(Error::Refused(format!(
            "the {kind} concern of check-in {id} was already resolved on {}; nothing changed",
            iso(resolved)
        )));
    }
    let raised = Follows {
        day: c.held_on,
        what: format!("check-in {id} raised the concern"),
        why: "a concern is resolved after it is raised",
    };
    step_day("--on", Some(DateArg::On(on)), today, RESOLVED, Some(&raised)).map_err(Error::Invalid)?;
    if note.is_none() {
        if let Some(p) = ctx.prompter() {
            note =
                ask_optional(p, "How was the concern resolved? (empty for no note)", |s| checked_answer(s, Kind::Note))
                    .or_flag("--note T")?;
        }
    }
    let stamp = ctx.stamp.clone();
    db.write(|tx| {
        checkins::resolve(tx, id, on, note.as_deref())?;
        let detail = format!("check-in {id}: {kind} concern resolved on {}", iso(on));
        events::log(tx, &stamp, "concern_resolved", Some(c.request_id), c.with.partner_id(), &detail)
    })?;
    ctx.note(&format!(
        "Resolved the {kind} concern raised at check-in {id} (request {}, {}) on {}.",
        c.request_id,
        c.with,
        iso(on)
    ))?;
    if ctx.format != Format::Table {
        let fresh = checkins::get(db.conn(), id)?;
        let name = Names::new(db.conn()).of(fresh.request_id, fresh.with)?;
        let mut r = Record::default();
        for (key, value) in row(&fresh, &name) {
            r.field(key, value);
        }
        ctx.print_record(&r)?;
    }
    Ok(Exit::Done)
}
