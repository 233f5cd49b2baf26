//! A partner's answer to an invitation, as `recruit respond` and the bulk responses file give it.

use super::kinds::Response;
use chrono::NaiveDate;

/// What a partner answered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Answer {
    pub response: Response,
    pub on: NaiveDate,
    pub statement: Option<String>,
    pub availability: Option<String>,
    pub conflict: Option<String>,
}
