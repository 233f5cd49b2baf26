//! `engage recruit import`: a sign-up form's export into the network.

use crate::cli::recruit::ImportArgs;
use crate::error::{Error, Result};
use crate::{Ctx, Exit};

pub fn run(_args: ImportArgs, _ctx: &mut Ctx<'_>) -> Result<Exit> {
    Err(Error::NotAvailable("recruit import"))
}
