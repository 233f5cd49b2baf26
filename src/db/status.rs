//! What `engage status` reads: one request with everyone and everything on it, or every open
//! request with its reminders. The reminders are the store's (src/db/derived), the same rows the
//! morning reminder reads.

use super::derived;
use super::invitations::{self, Invitation};
use super::sql::Reader;
use super::{checkins, closing, partners, requests, selection};
use crate::domain::checkin::Checkin;
use crate::domain::compensation::Account;
use crate::domain::kinds::RequestStatus;
use crate::domain::partner::Partner;
use crate::domain::reminder::{Item, Settings};
use crate::domain::request::Request;
use crate::domain::selection::Decision;
use crate::error::Result;
use std::collections::BTreeMap;

/// One request and what stands on it.
#[derive(Debug, Clone)]
pub struct Standing {
    pub request: Request,
    pub invitations: Vec<Invitation>,
    /// Every decision, by partner id, with the partner.
    pub decisions: Vec<(Decision, Partner)>,
    /// Every check-in, oldest first.
    pub checkins: Vec<Checkin>,
    /// The accounts of everyone who took part, by partner id.
    pub accounts: Vec<Account>,
    /// Every reminder of the request, shown or still to come.
    pub reminders: Vec<Item>,
    pub settings: Settings,
}

/// Everything `engage status REQ` shows of request `id`.
pub fn of_request(conn: &Reader, id: i64) -> Result<Standing> {
    let request = requests::get(conn, id)?;
    let mut decisions = Vec::new();
    for d in selection::decisions(conn, id)? {
        let partner = partners::get(conn, d.partner_id)?;
        decisions.push((d, partner));
    }
    Ok(Standing {
        invitations: invitations::for_request(conn, id)?,
        decisions,
        checkins: checkins::list(conn, Some(id))?,
        accounts: closing::accounts(conn, id)?,
        reminders: derived::reminders_of(conn, id)?,
        settings: derived::settings(conn)?,
        request,
    })
}

/// An open request, as the list of `engage status` shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Open {
    pub id: i64,
    pub title: String,
    pub organization: String,
    pub status: RequestStatus,
    pub seats: u32,
    pub selected: u32,
    pub reminders: Vec<Item>,
}

/// Every request still open (neither closed nor cancelled), and every closed one with a reminder
/// still in the store (compensation or expenses to settle), by id, each with its reminders.
pub fn open(conn: &Reader) -> Result<Vec<Open>> {
    let mut reminders: BTreeMap<i64, Vec<Item>> = BTreeMap::new();
    for item in derived::stored(conn)? {
        reminders.entry(item.request_id).or_default().push(item);
    }
    let mut out = Vec::new();
    conn.each(
        "SELECT r.id, r.title, r.organization, r.status, r.seats, (SELECT count(*) FROM decision d \
         WHERE d.request_id = r.id AND d.outcome = 'selected') AS selected \
         FROM request r WHERE r.status != 'cancelled' ORDER BY r.id",
        &[],
        |row| {
            let id: i64 = row.get("id")?;
            let status: RequestStatus = row.get("status")?;
            let items = reminders.remove(&id).unwrap_or_default();
            if status == RequestStatus::Closed && items.is_empty() {
                return Ok(());
            }
            out.push(Open {
                id,
                title: row.get("title")?,
                organization: row.get("organization")?,
                status,
                seats: row.get("seats")?,
                selected: row.get("selected")?,
                reminders: items,
            });
            Ok(())
        },
    )?;
    Ok(out)
}
