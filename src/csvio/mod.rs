//! CSV in, as a parser: where a file is read from (`source`) and how its records split (`reader`),
//! what a sign-up export is and which column holds what (`plan`, `headers`), each sign-up row to a
//! sign-up or a rejection (`signup`, `values`), the rejects file (`rejects`), and a file of
//! responses to an invitation (`responses`). Nothing here opens the database or prints: the
//! commands are `cli/recruit/import.rs` and `cli/recruit/respond.rs`. CSV out is `output.rs`'s
//! spreadsheet-safe writer.

pub mod headers;
pub mod plan;
pub mod reader;
pub mod rejects;
pub mod responses;
pub mod signup;
pub mod source;
pub mod values;

use crate::error::Error;

/// The refusal of a whole file: `{shown} {what}; nothing was imported`.
pub(crate) fn refuse(shown: &str, what: impl std::fmt::Display) -> Error {
    Error::Failed(format!("{shown} {what}; nothing was imported"))
}
