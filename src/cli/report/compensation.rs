//! `engage report compensation`: the accounts of the engagements under way in a period, per
//! line, partner or request, for the finance office.

use super::{By, Period, period_of};
use crate::app::{Ctx, Exit};
use crate::db;
use crate::domain::compensation::Year;
use crate::domain::plural;
use crate::error::{Error, Result};
use crate::output::compensation::{STATEMENT, statement_row, total_line, totals_fields};
use crate::output::{Column, Format, Listing, Record, Value};
use chrono::NaiveDate;

/// `--by partner --year YYYY`: each partner's payments and reimbursements made in the calendar
/// year, whether a tax slip is required for them, and whether payment may affect their benefits.
pub(super) fn partner_year(year: i32, ctx: &mut Ctx<'_>) -> Result<Exit> {
    let (Some(from), Some(to)) = (NaiveDate::from_ymd_opt(year, 1, 1), NaiveDate::from_ymd_opt(year, 12, 31)) else {
        return Err(Error::Invalid(format!("'{year}' is not a year; use four digits, such as 2026")));
    };
    let db = ctx.open_db_read_only()?;
    let conn = db.conn();
    let threshold = db::settings::get_money(conn, "tax_slip_threshold")?;
    let years = db::reports::partner_years(conn, from, to)?;
    let mut listing = Listing::new(&[
        Column::id("partner_id"),
        Column::text("name"),
        Column::number("payments").leave_out(2),
        Column::amount("paid"),
        Column::number("reimbursements").leave_out(1),
        Column::amount("reimbursed"),
        Column::word("slip_required"),
        Column::word("payment_affects_benefits"),
    ]);
    let mut total = Year::default();
    let (mut slips, mut sensitive) = (0, 0);
    for p in years.values() {
        let slip = p.year.slip_required(threshold);
        slips += usize::from(slip);
        sensitive += usize::from(p.affects_benefits);
        total.payments += p.year.payments;
        total.paid.0 += p.year.paid.0;
        total.reimbursements += p.year.reimbursements;
        total.reimbursed.0 += p.year.reimbursed.0;
        listing.push(vec![
            Value::Int(p.partner_id),
            Value::text(&p.name),
            Value::Int(p.year.payments),
            Value::Money(p.year.paid),
            Value::Int(p.year.reimbursements),
            Value::Money(p.year.reimbursed),
            Value::Bool(slip),
            Value::Bool(p.affects_benefits),
        ]);
    }
    if ctx.format == Format::Json {
        let mut r = Record::default();
        r.field("year", Value::Int(i64::from(year)))
            .field("tax_slip_threshold", Value::Money(threshold))
            .field("partners", Value::Int(years.len() as i64))
            .field("payments", Value::Int(total.payments))
            .field("paid", Value::Money(total.paid))
            .field("reimbursements", Value::Int(total.reimbursements))
            .field("reimbursed", Value::Money(total.reimbursed))
            .field("slips_required", Value::Int(slips as i64));
        r.section("partners", listing);
        ctx.print_record(&r)?;
        return Ok(Exit::Done);
    }
    if !listing.is_empty() {
        // A finance office reads the total on the last line.
        listing.push(vec![
            Value::Null,
            Value::text("Total"),
            Value::Int(total.payments),
            Value::Money(total.paid),
            Value::Int(total.reimbursements),
            Value::Money(total.reimbursed),
            Value::Null,
            Value::Null,
        ]);
        if ctx.format == Format::Table {
            ctx.note(&format!(
                "{year}: {} paid to {} in {}, {} reimbursed; {} above the tax_slip_threshold of {threshold}                  (a T4A slip each); {} whose benefits payment may affect.",
                total.paid,
                plural(years.len(), "partner", "partners"),
                plural(total.payments as usize, "payment", "payments"),
                total.reimbursed,
                plural(slips, "partner", "partners"),
                plural(sensitive, "partner", "partners"),
            ))?;
        }
    }
    ctx.print_listing(&listing, &format!("No partner was paid or reimbursed in {year}."))?;
    Ok(Exit::Done)
}

pub(super) fn compensation(p: Period, by: By, ctx: &mut Ctx<'_>) -> Result<Exit> {
    use crate::domain::compensation as pay;
    use std::collections::BTreeMap;
    let period = period_of(&p, ctx.today)?;
    let db = ctx.open_db_read_only()?;
    let conn = db.conn();
    let mut engaged: Vec<i64> = Vec::new();
    db::derived::each_request_days(conn, |r| {
        if r.engaged_in(&period) {
            engaged.push(r.id);
        }
    })?;
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
    // Only what the report is by is added up beside the totals.
    let mut by_partner: BTreeMap<i64, Sum> = BTreeMap::new();
    let mut by_request: BTreeMap<i64, Sum> = BTreeMap::new();
    let mut line_count = 0usize;
    for id in &engaged {
        let (Some(r), Some(accounts)) = (info.get(*id), accounts.of(*id)) else { continue };
        for a in accounts {
            let t = pay::totals(std::slice::from_ref(a), r.pay);
            totals.add(t);
            match by {
                // Made as they are printed, below.
                By::Line => line_count += 1,
                By::Partner => {
                    let partner = by_partner.entry(a.partner_id).or_default();
                    partner.t.add(t);
                    partner.name.clone_from(&a.name);
                    partner.count += 1;
                }
                By::Request => {
                    let request = by_request.entry(*id).or_default();
                    request.t.add(t);
                    if request.count == 0 {
                        request.name = r.title.clone();
                        request.organization = r.organization.clone();
                    }
                    request.count += 1;
                }
            }
        }
    }
    // The lines, in the order of the engagements and of each one's partners.
    let line_rows = || {
        engaged.iter().filter_map(|id| info.get(*id).zip(accounts.of(*id))).flat_map(|(r, accounts)| {
            accounts.iter().map(move |a| {
                let mut line = statement_row(r.id, r.pay, a);
                line.insert(1, Value::text(&r.title));
                line
            })
        })
    };
    let header = || {
        let mut r = Record::default();
        r.field("from", Value::opt_date(period.from))
            .field("to", Value::Date(period.to))
            .field("engagements", Value::Int(engaged.len() as i64));
        for (_, key, value) in totals_fields(&totals) {
            r.field(key, value);
        }
        r
    };
    if by == By::Line && ctx.format == Format::Json {
        ctx.print_record_rows(&header(), "lines", &columns, line_rows())?;
        return Ok(Exit::Done);
    }
    if by == By::Line && ctx.format == Format::Csv {
        // A finance office reads the total on the last line.
        let total = (line_count > 0).then(|| total_line(&columns, &totals, 3));
        ctx.print_rows(&columns, line_rows().chain(total), "")?;
        return Ok(Exit::Done);
    }
    if by == By::Line {
        line_rows().for_each(|line| lines.push(line));
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
        let mut r = header();
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
