//! `engage request list`: the requests, newest last, narrowed by status and organization.

use super::ListArgs;
use crate::app::{Ctx, Exit};
use crate::cli::Owner;
use crate::db::requests;
use crate::error::Result;
use crate::output::{Column, Listing, Value};

pub(super) fn list(a: ListArgs, ctx: &mut Ctx<'_>) -> Result<Exit> {
    let db = ctx.open_db()?;
    let owner = Owner { named: a.owner, mine: a.mine }.name(ctx, db.conn())?;
    let filter = requests::Filter {
        statuses: a.status.map(|s| s.0).unwrap_or_default(),
        organization: a.org,
        domain: a.domain,
        level: a.level,
        owner,
    };
    let found = requests::list(db.conn(), &filter)?;
    let mut listing = Listing::new(&[
        Column::id("id"),
        Column::text("title"),
        Column::text("organization").leave_out(6),
        Column::word("way").leave_out(4),
        Column::word("status"),
        Column::number("seats").leave_out(1),
        Column::date("respond_by"),
        Column::date("select_by").leave_out(2),
        Column::date("starts_on").leave_out(5),
        Column::date("ends_on").leave_out(3),
        Column::text("owner").leave_out(0),
    ]);
    for r in &found {
        listing.push(vec![
            Value::Int(r.id),
            Value::text(&r.title),
            Value::text(&r.organization),
            Value::text(r.way.as_str()),
            Value::text(r.status.as_str()),
            Value::Int(i64::from(r.seats)),
            Value::Date(r.respond_by),
            Value::Date(r.select_by),
            Value::opt_date(r.starts_on),
            Value::opt_date(r.ends_on),
            Value::text(&r.owner),
        ]);
    }
    ctx.print_listing(&listing, "No requests match. `engage request new` records one.")?;
    Ok(Exit::Done)
}
