//! A file of responses to an invitation, such as the export of an "I'm interested" form, read
//! and checked; `recruit respond REQ --import FILE` (in cli/recruit/respond.rs) records them.
//!
//! Each row names the partner by `partner_id`, or by e-mail (and first name, when a family shares
//! the address), and says whether they are interested. Optional columns: statement of interest,
//! availability, conflict of interest, and when they answered.

use super::headers::{clean, key};
use super::plan::open_source;
use super::reader::{Limits, RawRecord, Reader};
use super::refuse;
use super::source::{self, Source};
use super::values::{self, DateError};
use crate::domain::email;
use crate::domain::identity::{email_key, fold_name};
use crate::domain::kinds::Response;
use crate::domain::response::Answer;
use crate::domain::text::{self, Kind, in_sentence};
use crate::error::Result;
use chrono::NaiveDate;
use std::collections::HashSet;
use std::path::Path;

/// A response file is small: the answers to one invitation.
const MAX_ROWS: usize = 100_000;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Col {
    PartnerId,
    Email,
    FirstName,
    Response,
    Statement,
    Availability,
    Conflict,
    On,
}

fn column(header: &str) -> Option<Col> {
    Some(match key(header).as_str() {
        "partnerid" | "partner" | "id" => Col::PartnerId,
        "email" | "emailaddress" | "youremail" | "youremailaddress" | "email2" => Col::Email,
        "firstname" | "givenname" | "yourfirstname" | "first" => Col::FirstName,
        "response" | "answer" | "interested" | "areyouinterested" | "interest" | "doyouwanttotakepart" => Col::Response,
        "statement" | "statementofinterest" | "whyareyouinterested" | "tellusaboutyourinterest" => Col::Statement,
        "availability" | "whenareyouavailable" | "youravailability" => Col::Availability,
        "conflict" | "conflictofinterest" | "doyouhaveaconflictofinterest" | "declaredconflict" => Col::Conflict,
        "respondedon" | "timestamp" | "submittedat" | "date" | "submissiondate" => Col::On,
        _ => return None,
    })
}

/// `interested`/`declined`, or yes/no.
fn response(text: &str) -> std::result::Result<Response, String> {
    if let Ok(r) = text.parse::<Response>() {
        return Ok(r);
    }
    match values::yes_no(text) {
        Ok(Some(true)) => Ok(Response::Interested),
        Ok(Some(false)) => Ok(Response::Declined),
        _ => Err(format!("'{}' is not interested or declined (nor yes or no)", text.trim())),
    }
}

/// A conflict-of-interest answer: "No", "None" and blanks declare none.
fn conflict(text: &str) -> Option<String> {
    let t = text.trim();
    let none = t.is_empty()
        || ["no", "none", "n/a", "na", "nil", "-"].iter().any(|w| t.eq_ignore_ascii_case(w))
        || values::yes_no(t) == Ok(Some(false));
    if none { None } else { Some(t.to_string()) }
}

/// A row of the file, as written.
pub struct Row {
    pub line: u64,
    cells: Vec<String>,
}

/// A file of responses: refused whole when it is not one (not text, no header naming a response
/// and a partner, a broken quote, too many rows).
pub struct Responses {
    /// The file's name as messages show it.
    pub shown: String,
    header: Vec<String>,
    columns: Vec<Option<Col>>,
    pub rows: Vec<Row>,
}

/// Who a row names: a partner id, or an address (normalized) and a first name (folded; empty when
/// the row gives none).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Named {
    Id(i64),
    Email { address: String, first: String },
}

/// Reads the whole file (`-` is standard input), before the database is opened.
pub fn read(file: &Path) -> Result<Responses> {
    let shown = if file.as_os_str() == "-" { "standard input".to_string() } else { file.display().to_string() };
    let input = Source::open(file, &shown, true)?;
    let mut reader = Reader::new(open_source(&input, &shown, None)?, b',', Limits::default());
    let mut rec = RawRecord::default();
    let read_error = |e: std::io::Error| source::read_error(&shown, e);
    let text = |rec: &RawRecord| -> Result<Vec<String>> {
        if memchr::memchr(0, rec.bytes()).is_some() || std::str::from_utf8(rec.bytes()).is_err() {
            return Err(refuse(
                &shown,
                format_args!("is not a UTF-8 text file (line {}); save it as 'CSV UTF-8'", rec.line),
            ));
        }
        Ok(rec.fields().map(|f| String::from_utf8_lossy(f).into_owned()).collect())
    };
    if !reader.read(&mut rec).map_err(read_error)? {
        return Err(refuse(&shown, "is empty: there is no header row"));
    }
    let header = text(&rec)?;
    let columns: Vec<Option<Col>> = header.iter().map(|h| column(h)).collect();
    let has = |c: Col| columns.contains(&Some(c));
    if !has(Col::Response) || !(has(Col::PartnerId) || has(Col::Email)) {
        return Err(refuse(
            &shown,
            format_args!(
                "needs a response column ('Response': interested or declined, or yes or no) and a partner_id or e-mail column; its columns are {}",
                header.iter().map(|h| in_sentence(&clean(h), 60)).collect::<Vec<_>>().join(", ")
            ),
        ));
    }
    let mut rows = Vec::new();
    while reader.read(&mut rec).map_err(read_error)? {
        if rec.is_blank() {
            continue;
        }
        if rec.flaw.is_some() {
            return Err(refuse(
                &shown,
                format_args!("line {}: a quoted field is broken; fix the quotes and import again", rec.line),
            ));
        }
        if rows.len() == MAX_ROWS {
            return Err(refuse(
                &shown,
                format_args!("has more than {MAX_ROWS} rows; that is not one invitation's responses"),
            ));
        }
        rows.push(Row { line: rec.line, cells: text(&rec)? });
    }
    Ok(Responses { shown, header, columns, rows })
}

impl Responses {
    /// A row's cell in the column `c`, as imported.
    fn cell(&self, row: &Row, c: Col) -> String {
        self.columns
            .iter()
            .position(|x| *x == Some(c))
            .and_then(|i| row.cells.get(i))
            .map(|v| clean(v).to_string())
            .unwrap_or_default()
    }

    fn header_of(&self, c: Col) -> String {
        self.columns
            .iter()
            .position(|x| *x == Some(c))
            .and_then(|i| self.header.get(i))
            .map_or_else(String::new, |h| clean(h))
    }

    /// The addresses the rows name, as identity compares addresses (`email_key`).
    pub fn addresses(&self) -> HashSet<String> {
        self.rows
            .iter()
            .filter_map(|r| email::parse(&self.cell(r, Col::Email)).ok())
            .map(|a| email_key(&a).into_owned())
            .collect()
    }

    /// Who the row names, or why it names nobody.
    pub fn named(&self, row: &Row) -> std::result::Result<Named, String> {
        let id_text = self.cell(row, Col::PartnerId);
        if !id_text.is_empty() {
            return id_text.parse::<i64>().map(Named::Id).map_err(|_| format!("partner_id '{id_text}' is not an id"));
        }
        let address = email::parse(&self.cell(row, Col::Email))?;
        let first = fold_name(&self.cell(row, Col::FirstName));
        Ok(Named::Email { address, first })
    }

    /// What the row answers (answered `today` when it gives no date), or why it cannot be taken.
    pub fn answer(&self, row: &Row, today: NaiveDate) -> std::result::Result<Answer, String> {
        let cell = |row: &Row, c: Col| self.cell(row, c);
        let header_of = |c: Col| self.header_of(c);
        let on = match cell(row, Col::On).as_str() {
            "" => today,
            text => values::parse_datetime(text, None).map(|t| t.date()).map_err(|e| match e {
                DateError::Ambiguous => {
                    format!("'{text}' could be day/month or month/day; write the date as YYYY-MM-DD")
                }
                DateError::Invalid(why) => format!("'{text}' {why}"),
            })?,
        };
        // An answer meets the rules the same answer typed with `recruit respond` meets.
        let optional = |c: Col| -> std::result::Result<Option<String>, String> {
            let v = cell(row, c);
            if v.is_empty() {
                return Ok(None);
            }
            text::check(&v, Kind::Note).map_err(|why| format!("{}: {why}", header_of(c)))?;
            Ok(Some(v))
        };
        let conflict = conflict(&cell(row, Col::Conflict));
        if let Some(c) = &conflict {
            text::check(c, Kind::Note).map_err(|why| format!("{}: {why}", header_of(Col::Conflict)))?;
        }
        Ok(Answer {
            response: response(&cell(row, Col::Response))?,
            on,
            statement: optional(Col::Statement)?,
            availability: optional(Col::Availability)?,
            conflict,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_responses_and_conflicts() {
        assert_eq!(response("Interested"), Ok(Response::Interested));
        assert_eq!(response("yes"), Ok(Response::Interested));
        assert_eq!(response("No"), Ok(Response::Declined));
        assert!(response("maybe").is_err());
        assert_eq!(conflict("No"), None);
        assert_eq!(conflict(" none "), None);
        assert_eq!(conflict("I work on the unit").as_deref(), Some("I work on the unit"));
        assert_eq!(column("Why are you interested?"), Some(Col::Statement));
        assert_eq!(column("Partner ID"), Some(Col::PartnerId));
    }

    fn file(text: &str) -> Responses {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("responses.csv");
        std::fs::write(&path, text).unwrap();
        read(&path).unwrap()
    }

    fn day(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn a_row_names_its_partner_by_id_or_by_address_and_first_name() {
        let f = file(
            "Partner ID,Email,First name,Response\n\
             12,,,yes\n\
             ,Ana.Silva@Example.org,José,no\n\
             ,family@example.org,,yes\n\
             twelve,,,yes\n\
             ,not an address,,yes\n",
        );
        let named: Vec<_> = f.rows.iter().map(|r| f.named(r)).collect();
        assert_eq!(named[0], Ok(Named::Id(12)));
        assert_eq!(named[1], Ok(Named::Email { address: "ana.silva@example.org".into(), first: "jose".into() }));
        assert_eq!(named[2], Ok(Named::Email { address: "family@example.org".into(), first: String::new() }));
        assert_eq!(named[3], Err("partner_id 'twelve' is not an id".to_string()));
        assert!(named[4].is_err());
        let addresses = f.addresses();
        assert_eq!(addresses.len(), 2);
        assert!(addresses.contains("ana.silva@example.org") && addresses.contains("family@example.org"));
        assert_eq!(f.rows.iter().map(|r| r.line).collect::<Vec<_>>(), [2, 3, 4, 5, 6]);
    }

    #[test]
    fn an_answer_is_checked_as_the_same_answer_typed_at_recruit_respond() {
        let f = file(
            "partner_id,Are you interested?,Why are you interested?,Conflict of interest,Date\n\
             1,Interested,I was discharged twice,No,2026-11-02\n\
             2,declined,,I work on the unit,\n\
             3,maybe,,,\n\
             4,yes,,,02/11/2026\n\
             5,yes,\"a\u{202e}b\",,\n",
        );
        let today = day("2026-11-23");
        let answers: Vec<_> = f.rows.iter().map(|r| f.answer(r, today)).collect();
        assert_eq!(
            answers[0],
            Ok(Answer {
                response: Response::Interested,
                on: day("2026-11-02"),
                statement: Some("I was discharged twice".into()),
                availability: None,
                conflict: None,
            })
        );
        let declined = answers[1].as_ref().unwrap();
        assert_eq!((declined.response, declined.on), (Response::Declined, today));
        assert_eq!(declined.conflict.as_deref(), Some("I work on the unit"));
        assert_eq!(answers[2], Err("'maybe' is not interested or declined (nor yes or no)".to_string()));
        assert_eq!(
            answers[3],
            Err("'02/11/2026' could be day/month or month/day; write the date as YYYY-MM-DD".to_string())
        );
        assert!(answers[4].as_ref().unwrap_err().starts_with("Why are you interested?: "), "{:?}", answers[4]);
    }

    #[test]
    fn a_file_without_a_response_column_is_refused_whole() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("responses.csv");
        std::fs::write(&path, "Email,Comment\nana@example.org,hello\n").unwrap();
        let e = read(&path).err().unwrap();
        assert!(e.to_string().contains("needs a response column"), "{e}");
        assert!(e.to_string().ends_with("its columns are Email, Comment; nothing was imported"), "{e}");
    }
}
