//! The `setting` table.

use super::sql::{Reader, Touch, Tx};
use crate::domain::language::Language;
use crate::domain::money::{Money, parse_money};
use crate::domain::settings::{self, SETTINGS};
use crate::error::{Error, Result};

/// Writes the default of every setting the file does not have yet.
pub fn seed_defaults(tx: &Tx<'_>) -> Result<()> {
    for s in SETTINGS {
        tx.execute(
            "INSERT INTO setting (key, value) VALUES (?1, ?2) ON CONFLICT (key) DO NOTHING",
            &[&s.key, &s.default],
        )?;
    }
    tx.touched(Touch::Settings);
    Ok(())
}

/// The stored value, or the default for a setting newer than the file.
pub fn get(conn: &Reader, key: &str) -> Result<String> {
    let stored: Option<String> =
        conn.query_opt("SELECT value FROM setting WHERE key = ?1", &[&key], |row| row.get("value"))?;
    match stored {
        Some(value) => Ok(value),
        None => settings::find(key)
            .map(|s| s.default.to_string())
            .ok_or_else(|| Error::Invalid(format!("'{key}' is not a setting"))),
    }
}

pub fn get_money(conn: &Reader, key: &str) -> Result<Money> {
    let value = get(conn, key)?;
    parse_money(&value).map_err(|_| damaged(key, &value))
}

pub fn get_number(conn: &Reader, key: &str) -> Result<u32> {
    let value = get(conn, key)?;
    value.parse().map_err(|_| damaged(key, &value))
}

/// The language of partners who never said theirs, and of requesters.
pub fn default_language(conn: &Reader) -> Result<Language> {
    let value = get(conn, "default_language")?;
    value.parse().map_err(|_| damaged("default_language", &value))
}

fn damaged(key: &str, value: &str) -> Error {
    Error::Failed(format!(
        "the setting {key} holds '{value}', which engage cannot read; set it again with `engage config set {key} VALUE`"
    ))
}

pub fn set(tx: &Tx<'_>, key: &str, value: &str) -> Result<()> {
    tx.execute(
        "INSERT INTO setting (key, value) VALUES (?1, ?2) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        &[&key, &value],
    )?;
    tx.touched(Touch::Settings);
    Ok(())
}
