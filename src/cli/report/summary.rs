//! `engage report summary`: requests by status and way, times, rates, partners, hours,
//! compensation and reach over a period, with its page.

use super::{Period, period_of, write_page};
use crate::app::{Ctx, Exit};
use crate::db;
use crate::db::Reader;
use crate::domain::language::Language;
use crate::domain::report::{self as figures, Summary};
use crate::error::Result;
use crate::files;
use crate::output::summary::summary_record;

fn gather_summary(conn: &Reader, period: &figures::Period) -> Result<Summary> {
    let mut summing = figures::Summing::new(*period);
    db::derived::each_tally(conn, |r| {
        summing.request(&r);
        Ok(())
    })?;
    db::reports::each_seat(conn, |request, partner| summing.seat(request, partner))?;
    db::reports::each_interest(conn, |partner, request| summing.interest(partner, request))?;
    let network = db::reports::network(conn, period)?;
    let (paid, first_paid) = db::reports::paid_by_month(conn, period)?;
    Ok(summing.finish(network, &paid, first_paid))
}

pub(super) fn summary(p: Period, html: Option<files::Target>, lang: Language, ctx: &mut Ctx<'_>) -> Result<Exit> {
    let period = period_of(&p, ctx.today)?;
    let db = ctx.open_db_read_only()?;
    let s = gather_summary(db.conn(), &period)?;
    let record = summary_record(&s, &period);
    ctx.print_record(&record)?;
    if let Some(target) = html {
        let today = ctx.today;
        write_page(target, "summary", &db, ctx, |network| {
            crate::html::summary_page_in(lang, &s, &record, &period, network, today)
        })?;
    }
    Ok(Exit::Done)
}
