//! `engage recruit respond REQ --import FILE`: responses in bulk.

use crate::error::{Error, Result};
use crate::{Ctx, Exit};
use std::path::Path;

pub fn run(_request: i64, _file: &Path, _ctx: &mut Ctx<'_>) -> Result<Exit> {
    Err(Error::NotAvailable("recruit respond --import"))
}
