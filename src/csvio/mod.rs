//! CSV in: the sign-up import and bulk responses. CSV out is `output.rs`'s spreadsheet-safe writer.

pub mod import;
pub mod responses;
