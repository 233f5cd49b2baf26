//! A request's compensation as a list: the columns of a statement line, a partner's line, and
//! the totals. `engage close statement`, `close pay`, `close reimburse` and `engage report
//! compensation` all print these.

use crate::domain::compensation::{self, Account, Method};
use crate::domain::request::Pay;
use crate::output::{Column, Value};

/// The columns of a statement line, in `engage close statement` and `engage report compensation`.
pub const STATEMENT: &[Column] = &[
    Column::id("request_id").leave_out(2),
    Column::id("partner_id").leave_out(4),
    Column::text("name"),
    Column::word("outcome").leave_out(11),
    Column::number("hours"),
    Column::amount("rate").leave_out(3),
    Column::amount("honorarium").leave_out(1),
    Column::amount("owed"),
    Column::word("status"),
    Column::word("method").leave_out(5),
    Column::date("paid_on").leave_out(7),
    Column::amount("paid"),
    Column::amount("outstanding").leave_out(12),
    Column::amount("expenses").leave_out(8),
    Column::date("reimbursed_on").leave_out(6),
    Column::amount("reimbursed").leave_out(9),
    Column::amount("expenses_outstanding").leave_out(10),
];

/// The money columns of a statement and of the compensation report, with their totals' JSON keys.
pub fn totals_fields(t: &compensation::Totals) -> [(Column, &'static str, Value); 7] {
    [
        (Column::number("hours"), "total_hours", Value::Hours(t.hours)),
        (Column::amount("owed"), "total_owed", Value::Money(t.owed)),
        (Column::amount("paid"), "total_paid", Value::Money(t.paid)),
        (Column::amount("outstanding"), "total_outstanding", Value::Money(t.outstanding)),
        (Column::amount("expenses"), "total_expenses", Value::Money(t.expenses)),
        (Column::amount("reimbursed"), "total_reimbursed", Value::Money(t.reimbursed)),
        (Column::amount("expenses_outstanding"), "total_expenses_outstanding", Value::Money(t.expenses_outstanding())),
    ]
}

/// The `Total` line under `columns`: the word in column `label_at`, each total in its column.
pub fn total_line(columns: &[Column], t: &compensation::Totals, label_at: usize) -> Vec<Value> {
    let mut line = vec![Value::Null; columns.len()];
    line[label_at] = Value::text("Total");
    for (column, _, value) in totals_fields(t) {
        if let Some(i) = columns.iter().position(|c| c.key == column.key) {
            line[i] = value;
        }
    }
    line
}

/// A partner's line of a request's statement, in [`STATEMENT`] order.
pub fn statement_row(request_id: i64, pay: Pay, a: &Account) -> Vec<Value> {
    vec![
        Value::Int(request_id),
        Value::Int(a.partner_id),
        Value::text(&a.name),
        Value::text(a.outcome.as_str()),
        Value::Hours(a.hours),
        Value::opt_money(pay.hourly()),
        Value::opt_money(pay.honorarium()),
        Value::Money(a.owed(pay)),
        Value::text(a.standing(pay).label()),
        Value::opt_text(a.method.map(Method::as_str)),
        Value::opt_date(a.paid_on),
        Value::opt_money(a.paid),
        Value::Money(a.outstanding(pay)),
        Value::Money(a.expenses),
        Value::opt_date(a.reimbursed_on),
        Value::opt_money(a.reimbursed),
        Value::Money(a.expenses_outstanding()),
    ]
}
