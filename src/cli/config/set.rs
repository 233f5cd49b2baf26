//! `engage config set`: a setting changed, its value checked first and the change logged.

use super::known;
use crate::app::{Ctx, Exit};
use crate::db::{events, settings as stored};
use crate::domain::settings::{self};
use crate::error::{Error, Result};

pub(super) fn set(key: &str, value: &str, ctx: &mut Ctx<'_>) -> Result<Exit> {
    let setting = known(key)?;
    let value = settings::check(setting, value).map_err(Error::Invalid)?;
    let mut db = ctx.open_db()?;
    let before = stored::get(db.conn(), setting.key)?;
    if before == value {
        ctx.note(&format!("{key} is already {value}; nothing changed."))?;
        return Ok(Exit::Done);
    }
    let stamp = ctx.stamp.clone();
    db.write(|tx| {
        stored::set(tx, setting.key, &value)?;
        events::log(tx, &stamp, "setting_changed", None, None, &format!("{key}: {before} → {value}"))
    })?;
    ctx.note(&format!("{key}: {before} → {value}"))?;
    Ok(Exit::Done)
}
