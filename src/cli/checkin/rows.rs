//! A check-in as the subcommands print it, and the names of the people check-ins were with.

use crate::db::Reader;
use crate::db::{partners, requests};
use crate::domain::checkin::{Checkin, Concern, With};
use crate::domain::request::Request;
use crate::error::{Error, Result};
use crate::output::{Column, Value};
use std::collections::HashMap;

/// Names for the people check-ins were with: partners by id, requesters by request.
pub(super) struct Names<'c> {
    conn: &'c Reader,
    pub(super) partners: HashMap<i64, String>,
    requests: HashMap<i64, Request>,
    /// Title and contact of requests already read elsewhere, so that they are not read again.
    known: HashMap<i64, (String, String)>,
}

impl<'c> Names<'c> {
    pub(super) fn new(conn: &'c Reader) -> Names<'c> {
        Names { conn, partners: HashMap::new(), requests: HashMap::new(), known: HashMap::new() }
    }

    /// A request's title and contact, as the caller read them.
    pub(super) fn knows(&mut self, id: i64, title: &str, contact: &str) {
        self.known.insert(id, (title.to_string(), contact.to_string()));
    }

    pub(super) fn title(&mut self, id: i64) -> Result<String> {
        match self.known.get(&id) {
            Some((title, _)) => Ok(title.clone()),
            None => Ok(self.request(id)?.title.clone()),
        }
    }

    pub(super) fn request(&mut self, id: i64) -> Result<&Request> {
        if !self.requests.contains_key(&id) {
            let r = requests::get(self.conn, id)?;
            self.requests.insert(id, r);
        }
        self.requests.get(&id).ok_or_else(|| Error::Failed(format!("request {id} disappeared while reading")))
    }

    pub(super) fn of(&mut self, request_id: i64, with: With) -> Result<String> {
        match with {
            With::Partner(id) => {
                if let Some(name) = self.partners.get(&id) {
                    return Ok(name.clone());
                }
                let name = partners::get(self.conn, id)?.name();
                self.partners.insert(id, name.clone());
                Ok(name)
            }
            With::Requester => match self.known.get(&request_id) {
                Some((_, contact)) => Ok(contact.clone()),
                None => Ok(self.request(request_id)?.contact_name.clone()),
            },
            With::Team => Ok("the team".to_string()),
        }
    }
}

pub(super) const COLUMNS: &[Column] = &[
    Column::id("id"),
    Column::id("request_id").leave_out(11),
    Column::date("held_on"),
    Column::word("party").leave_out(6),
    Column::id("partner_id").leave_out(3),
    Column::text("name"),
    Column::word("status"),
    Column::word("concern").leave_out(10),
    Column::date("resolved_on").leave_out(5),
    Column::text("resolution").leave_out(4),
    Column::number("hours").leave_out(7),
    Column::amount("expenses").leave_out(2),
    Column::text("expense_note").leave_out(1),
    Column::text("note").leave_out(9),
    Column::date("next_due").leave_out(8),
];

pub(super) fn row(c: &Checkin, name: &str) -> Vec<(Column, Value)> {
    let values = vec![
        Value::Int(c.id),
        Value::Int(c.request_id),
        Value::Date(c.held_on),
        Value::text(c.with.party().as_str()),
        Value::opt_int(c.with.partner_id()),
        Value::text(name),
        Value::text(c.status.as_str()),
        Value::opt_text(c.concern.map(Concern::as_str)),
        Value::opt_date(c.resolved_on),
        Value::opt_text(c.resolution.clone()),
        Value::Hours(c.hours),
        Value::Money(c.expenses),
        Value::opt_text(c.expense_note.clone()),
        Value::opt_text(c.note.clone()),
        Value::opt_date(c.next_due),
    ];
    COLUMNS.iter().copied().zip(values).collect()
}
