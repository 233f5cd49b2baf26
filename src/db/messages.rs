//! The `message` table: the delivery log of `engage message`. A row is written before a message
//! is handed to the server (`queued`) and again with the server's answer, so that a message whose
//! fate is unknown (the connection was lost while it was handed over, or engage was stopped) is
//! shown as such and not sent twice. Subjects and addresses, never bodies.

use super::sql::{Reader, Row, Tx};
use crate::correspondence::Kind;
use crate::domain::kinds::Word;
use crate::error::Result;
use std::collections::HashMap;

/// Where a message stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Status {
    /// Written before it was handed over; still so only when engage stopped before the answer.
    Queued,
    Sent,
    Refused,
    Unknown,
    /// It never reached a server.
    Failed,
    /// A file of the outbox.
    Written,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Queued => "queued",
            Status::Sent => "sent",
            Status::Refused => "refused",
            Status::Unknown => "unknown",
            Status::Failed => "failed",
            Status::Written => "written",
        }
    }

    /// The message went: the server accepted it, or it was written to the outbox.
    pub fn delivered(self) -> bool {
        matches!(self, Status::Sent | Status::Written)
    }

    /// Whether it may have reached the person: delivered, or nobody knows.
    pub fn may_have_gone(self) -> bool {
        matches!(self, Status::Sent | Status::Written | Status::Unknown | Status::Queued)
    }
}

/// Stored as its word (`message.status`).
impl Word for Status {
    const WHAT: &'static str = "a message's status";

    fn word(self) -> &'static str {
        self.as_str()
    }

    fn from_word(text: &str) -> Option<Status> {
        [Status::Queued, Status::Sent, Status::Refused, Status::Unknown, Status::Failed, Status::Written]
            .into_iter()
            .find(|s| s.as_str() == text)
    }
}

/// How a message went.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Via {
    Smtp,
    Outbox,
}

impl Via {
    pub fn as_str(self) -> &'static str {
        match self {
            Via::Smtp => "smtp",
            Via::Outbox => "outbox",
        }
    }
}

/// Stored as its word (`message.via`).
impl Word for Via {
    const WHAT: &'static str = "a way a message went";

    fn word(self) -> &'static str {
        self.as_str()
    }

    fn from_word(text: &str) -> Option<Via> {
        [Via::Smtp, Via::Outbox].into_iter().find(|v| v.as_str() == text)
    }
}

/// Stored as its word (`message.kind`), as typed on the command line.
impl Word for Kind {
    const WHAT: &'static str = "a kind of message";

    fn word(self) -> &'static str {
        self.as_str()
    }

    fn from_word(text: &str) -> Option<Kind> {
        Kind::ALL.iter().copied().find(|k| k.as_str() == text)
    }
}

/// One row of the log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Logged {
    pub id: i64,
    pub request_id: i64,
    /// `None`: the requester's point of contact.
    pub partner_id: Option<i64>,
    pub kind: Kind,
    pub via: String,
    /// Erased when the partner is forgotten.
    pub recipient: Option<String>,
    pub subject: Option<String>,
    pub message_id: String,
    pub status: Status,
    pub reason: Option<String>,
    pub queued_at: String,
    pub answered_at: Option<String>,
}

/// A message about to be logged.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry<'a> {
    pub request_id: i64,
    pub partner_id: Option<i64>,
    pub kind: Kind,
    pub via: Via,
    pub recipient: &'a str,
    pub subject: &'a str,
    pub message_id: &'a str,
}

/// Logs a message with its first status (`queued` before the server is asked, `written` for a
/// file of the outbox); returns its row.
pub fn log(tx: &Tx<'_>, e: &Entry<'_>, status: Status, at: &str) -> Result<i64> {
    let answered = if status == Status::Queued { None } else { Some(at) };
    tx.query_row(
        "INSERT INTO message (request_id, partner_id, kind, via, recipient, subject, message_id, status, queued_at, \
         answered_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10) RETURNING id",
        &[
            &e.request_id,
            &e.partner_id,
            &e.kind,
            &e.via,
            &e.recipient,
            &e.subject,
            &e.message_id,
            &status,
            &at,
            &answered,
        ],
        |row| row.get("id"),
    )
}

/// Records the server's answer to a queued message.
pub fn answer(tx: &Tx<'_>, id: i64, status: Status, reason: Option<&str>, at: &str) -> Result<()> {
    tx.execute(
        "UPDATE message SET status = ?2, reason = ?3, answered_at = ?4 WHERE id = ?1",
        &[&id, &status, &reason, &at],
    )?;
    Ok(())
}

fn from_row(row: &Row<'_>) -> Result<Logged> {
    Ok(Logged {
        id: row.get("id")?,
        request_id: row.get("request_id")?,
        partner_id: row.get("partner_id")?,
        kind: row.get("kind")?,
        via: row.get("via")?,
        recipient: row.get("recipient")?,
        subject: row.get("subject")?,
        message_id: row.get("message_id")?,
        status: row.get("status")?,
        reason: row.get("reason")?,
        queued_at: row.get("queued_at")?,
        answered_at: row.get("answered_at")?,
    })
}

const COLUMNS: &str = "id, request_id, partner_id, kind, via, recipient, subject, message_id, status, reason, \
                       queued_at, answered_at";

/// Every message of a request, oldest first.
pub fn for_request(conn: &Reader, request_id: i64) -> Result<Vec<Logged>> {
    conn.query_map(
        &format!("SELECT {COLUMNS} FROM message WHERE request_id = ?1 ORDER BY id"),
        &[&request_id],
        from_row,
    )
}

/// For each person written to about a request with one kind of message, the status that counts:
/// delivered if any of their messages was, else unknown if any may have gone, else the last.
pub fn standing(conn: &Reader, request_id: i64, kind: Kind) -> Result<HashMap<Option<i64>, Status>> {
    let mut out: HashMap<Option<i64>, Status> = HashMap::new();
    let sql = "SELECT partner_id, status FROM message WHERE request_id = ?1 AND kind = ?2 ORDER BY id";
    conn.each(sql, &[&request_id, &kind], |row| {
        let partner: Option<i64> = row.get("partner_id")?;
        let status: Status = row.get("status")?;
        let kept = out.entry(partner).or_insert(status);
        let rank = |s: Status| match s {
            s if s.delivered() => 2,
            s if s.may_have_gone() => 1,
            _ => 0,
        };
        if rank(status) >= rank(*kept) {
            *kept = status;
        }
        Ok(())
    })?;
    Ok(out)
}

/// Forgetting a partner erases the addresses and subjects their messages kept.
pub fn forget(tx: &Tx<'_>, partner_id: i64) -> Result<()> {
    tx.execute("UPDATE message SET recipient = NULL, subject = NULL WHERE partner_id = ?1", &[&partner_id])?;
    Ok(())
}

/// What a delivered message records, each in the transaction that logs its delivery. A step
/// already recorded keeps its first day (told by phone on Monday, e-mailed again on Friday).
pub mod steps {
    use crate::db::sql::{Touch, Tx};
    use crate::error::Result;
    use chrono::NaiveDate;

    /// The outcome was told: `decision.notified_on`, which `notify_due` reads.
    pub fn told(tx: &Tx<'_>, request_id: i64, partner_id: i64, on: NaiveDate) -> Result<bool> {
        let changed = tx.execute(
            "UPDATE decision SET notified_on = ?3 WHERE request_id = ?1 AND partner_id = ?2 AND notified_on IS NULL",
            &[&request_id, &partner_id, &on],
        )?;
        tx.touched(Touch::Request(request_id));
        Ok(changed > 0)
    }

    /// The selected partner was welcomed: onboarding's `welcomed_on`.
    pub fn welcomed(tx: &Tx<'_>, request_id: i64, partner_id: i64, on: NaiveDate) -> Result<bool> {
        let changed = tx.execute(
            "UPDATE decision SET welcomed_on = ?3 WHERE request_id = ?1 AND partner_id = ?2 AND welcomed_on IS NULL \
             AND outcome = 'selected'",
            &[&request_id, &partner_id, &on],
        )?;
        tx.touched(Touch::Request(request_id));
        Ok(changed > 0)
    }

    /// A closing step of the request (`thanked_on`, `loop_closed_on`, `partner_survey_on`,
    /// `requester_survey_on`), which the closing checklist reads.
    pub fn closing(tx: &Tx<'_>, request_id: i64, column: Column, on: NaiveDate) -> Result<bool> {
        let sql = match column {
            Column::Thanked => "UPDATE request SET thanked_on = ?2 WHERE id = ?1 AND thanked_on IS NULL",
            Column::LoopClosed => "UPDATE request SET loop_closed_on = ?2 WHERE id = ?1 AND loop_closed_on IS NULL",
            Column::PartnerSurvey => {
                "UPDATE request SET partner_survey_on = ?2 WHERE id = ?1 AND partner_survey_on IS NULL"
            }
            Column::RequesterSurvey => {
                "UPDATE request SET requester_survey_on = ?2 WHERE id = ?1 AND requester_survey_on IS NULL"
            }
        };
        let changed = tx.execute(sql, &[&request_id, &on])?;
        tx.touched(Touch::Request(request_id));
        Ok(changed > 0)
    }

    /// The request's closing steps a message records.
    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    pub enum Column {
        Thanked,
        LoopClosed,
        PartnerSurvey,
        RequesterSurvey,
    }

    impl Column {
        pub fn key(self) -> &'static str {
            match self {
                Column::Thanked => "thanked_on",
                Column::LoopClosed => "loop_closed_on",
                Column::PartnerSurvey => "partner_survey_on",
                Column::RequesterSurvey => "requester_survey_on",
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db::Db;

    #[test]
    fn a_message_is_logged_before_and_after_the_answer_and_delivered_counts_most() {
        let dir = tempfile::tempdir().unwrap();
        let mut db = Db::open(&dir.path().join("t.db")).unwrap();
        db.write(|c| {
        c.sqlite().unwrap().execute_batch(
            "INSERT INTO request (id, title, organization, contact_name, contact_email, way, respond_by, select_by, \
             seats, pay_basis, pay_cents, checkin_every_days, created_on) VALUES (1, 'T', 'O', 'N', 'n@example.org', \
             'consult', '2026-12-01', '2026-12-08', 2, 'way', 2500, 30, '2026-11-01'); \
             INSERT INTO partner (id, first_name, email) VALUES (1, 'Ana', 'ana@example.org'), (2, 'Ben', 'ben@example.org');",
        )
        .unwrap();
        let entry = |partner: i64, id: &'static str| Entry {
            request_id: 1,
            partner_id: Some(partner),
            kind: Kind::Outcome,
            via: Via::Smtp,
            recipient: if partner == 1 { "ana@example.org" } else { "ben@example.org" },
            subject: "You are selected",
            message_id: id,
        };
        let first = log(c, &entry(1, "<a@x>"), Status::Queued, "2026-11-23T00:00:00").unwrap();
        answer(c, first, Status::Refused, Some("450 try later"), "2026-11-23T00:00:00").unwrap();
        let second = log(c, &entry(1, "<b@x>"), Status::Queued, "2026-11-23T00:00:00").unwrap();
        answer(c, second, Status::Sent, None, "2026-11-23T00:00:00").unwrap();
        let third = log(c, &entry(1, "<c@x>"), Status::Queued, "2026-11-24T00:00:00").unwrap();
        answer(c, third, Status::Refused, Some("550 no"), "2026-11-24T00:00:00").unwrap();
        log(c, &entry(2, "<d@x>"), Status::Queued, "2026-11-24T00:00:00").unwrap();
        let standing = standing(c, 1, Kind::Outcome).unwrap();
        assert_eq!(standing[&Some(1)], Status::Sent);
        assert_eq!(standing[&Some(2)], Status::Queued);
        assert!(standing[&Some(2)].may_have_gone() && !standing[&Some(2)].delivered());
        let rows = for_request(c, 1).unwrap();
        assert_eq!(rows.len(), 4);
        assert_eq!(rows[0].reason.as_deref(), Some("450 try later"));
        forget(c, 1).unwrap();
        let rows = for_request(c, 1).unwrap();
        assert!(rows.iter().filter(|r| r.partner_id == Some(1)).all(|r| r.recipient.is_none() && r.subject.is_none()));
        assert_eq!(rows[3].recipient.as_deref(), Some("ben@example.org"));
        Ok(())
        })
        .unwrap();
    }
}
