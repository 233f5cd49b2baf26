//! CSV in: the sign-up import and bulk responses. CSV out is `output.rs`'s spreadsheet-safe writer.

pub mod headers;
pub mod import;
pub mod reader;
pub mod responses;
pub mod source;
pub mod values;
