//! `engage report compensation`: the accounts of the engagements under way in a period, per
//! line, partner or request, for the finance office.

use super::{By, Period, period_of};
use crate::app::{Ctx, Exit};
use crate::db;
use crate::error::Result;
use crate::output::compensation::{STATEMENT, statement_row, total_line, totals_fields};
use crate::output::{Column, Format, Listing, Record, Value};

pub(super) fn compensation(p: Period, by: By, ctx: &mut Ctx<'_>) -> Result<Exit> {
    use crate::domain::compensation as pay;
    use std::collections::BTreeMap;
    let period = period_of(&p, ctx.today)?;
    let db = ctx.open_db_read_only()?;
    let conn = db.conn();
    let engaged: Vec<i64> =
        db::reports::requests(conn)?.into_iter().filter(|r| r.engaged_in(&period)).map(|r| r.id).collect();
    let info = db::reports::request_info(conn)?;
    let accounts = db::reports::accounts(conn)?;
    let mut totals = pay::Totals::default();
    // A statement's lines, as `engage close statement` prints them, with each request's title.
    let mut columns = STATEMENT.to_vec();
    columns.insert(1, Column::text("title").leave_out(11));
    let mut lines = Listing::new(&columns);
    #[derive(Default)]
    struct Sum {
        name: String,
        organization: String,
        count: i64,
        t: pay::Totals,
    }
    let mut by_partner: BTreeMap<i64, Sum> = BTreeMap::new();
    let mut by_request: BTreeMap<i64, Sum> = BTreeMap::new();
    for id in &engaged {
        let (Some(r), Some(accounts)) = (info.get(id), accounts.get(id)) else { continue };
        for a in accounts {
            let t = pay::totals(std::slice::from_ref(a), r.pay);
            for sum in [
                &mut totals,
                &mut by_partner.entry(a.partner_id).or_default().t,
                &mut by_request.entry(*id).or_default().t,
            ] {
                sum.add(t);
            }
            let partner = by_partner.entry(a.partner_id).or_default();
            partner.name = a.name.clone();
            partner.count += 1;
            let request = by_request.entry(*id).or_default();
            request.name = r.title.clone();
            request.organization = r.organization.clone();
            request.count += 1;
            let mut line = statement_row(r.id, r.pay, a);
            line.insert(1, Value::text(&r.title));
            lines.push(line);
        }
    }
    let money = |t: &pay::Totals| totals_fields(t).map(|(_, _, value)| value);
    let with_money = |names: &[Column]| {
        let mut columns = names.to_vec();
        columns.extend(totals_fields(&totals).map(|(column, _, _)| column));
        Listing::new(&columns)
    };
    let (key, mut listing) = match by {
        By::Line => ("lines", lines),
        By::Partner => {
            let mut l = with_money(&[Column::id("partner_id"), Column::text("name"), Column::number("engagements")]);
            for (id, s) in &by_partner {
                let mut row = vec![Value::Int(*id), Value::text(&s.name), Value::Int(s.count)];
                row.extend(money(&s.t));
                l.push(row);
            }
            ("partners", l)
        }
        By::Request => {
            let mut l = with_money(&[
                Column::id("request_id"),
                Column::text("title"),
                Column::text("organization").leave_out(1),
                Column::number("partners"),
            ]);
            for (id, s) in &by_request {
                let mut row =
                    vec![Value::Int(*id), Value::text(&s.name), Value::text(&s.organization), Value::Int(s.count)];
                row.extend(money(&s.t));
                l.push(row);
            }
            ("requests", l)
        }
    };
    if ctx.format == Format::Json {
        let mut r = Record::default();
        r.field("from", Value::opt_date(period.from))
            .field("to", Value::Date(period.to))
            .field("engagements", Value::Int(engaged.len() as i64));
        for (_, key, value) in totals_fields(&totals) {
            r.field(key, value);
        }
        r.section(key, listing);
        ctx.print_record(&r)?;
        return Ok(Exit::Done);
    }
    if !listing.is_empty() {
        // A finance office reads the total on the last line.
        let label_at = match by {
            By::Line => 3,
            By::Partner | By::Request => 1,
        };
        let total = total_line(&listing.columns, &totals, label_at);
        listing.push(total);
        if ctx.format == Format::Table {
            ctx.note(&format!(
                "Compensation of the {} engagements under way {}: {} owed, {} paid, {} outstanding; {} of \
                 expenses, {} reimbursed.",
                engaged.len(),
                period.words(),
                totals.owed,
                totals.paid,
                totals.outstanding,
                totals.expenses,
                totals.reimbursed
            ))?;
        }
    }
    ctx.print_listing(&listing, &format!("No engagement with partners selected was under way {}.", period.words()))?;
    Ok(Exit::Done)
}
