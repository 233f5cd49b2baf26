//! What forgetting keeps (`forgotten_identity`, under the database's `identity_key`) and whether
//! its erasure has reached the file's bytes (`erasure_pending`). Forgetting is for good: an old row
//! of a forgotten person never brings them back.

use crate::domain::identity::{self, Key};
use crate::error::{Error, Result};
use chrono::NaiveDateTime;
use rusqlite::{Connection, OptionalExtension, params};
use std::collections::HashMap;

/// The database's key for identity hashes, if one was ever made.
pub fn key(conn: &Connection) -> Result<Option<Key>> {
    let stored: Option<Vec<u8>> =
        conn.query_row("SELECT key FROM identity_key WHERE id = 1", [], |r| r.get(0)).optional()?;
    Ok(stored.and_then(|k| Key::try_from(k.as_slice()).ok()))
}

/// The key, made from the operating system's random source the first time it is needed. Call it
/// inside the write transaction that uses it, so two engages cannot make two keys.
pub fn key_or_make(conn: &Connection) -> Result<Key> {
    if let Some(key) = key(conn)? {
        return Ok(key);
    }
    let mut key: Key = [0; 32];
    getrandom::fill(&mut key).map_err(|e| {
        Error::Failed(format!(
            "could not get random bytes from the operating system for the key of forgotten identities ({e}); nothing was changed"
        ))
    })?;
    conn.execute("INSERT INTO identity_key (id, key) VALUES (1, ?1)", [key.as_slice()])?;
    Ok(key)
}

/// Keeps the keyed hash of a person's identity as forgotten at `at` (`YYYY-MM-DDTHH:MM:SS`).
pub fn remember(conn: &Connection, email: &str, first_name: &str, at: &str) -> Result<()> {
    let key = key_or_make(conn)?;
    let hash = identity::keyed_hash(&key, email, first_name);
    conn.execute(
        "INSERT INTO forgotten_identity (identity, forgotten_at) VALUES (?1, ?2) \
         ON CONFLICT (identity) DO UPDATE SET forgotten_at = max(forgotten_at, excluded.forgotten_at)",
        params![hash.as_slice(), at],
    )?;
    Ok(())
}

/// Everyone forgotten, as the import asks: whether an identity was forgotten, and when.
pub struct Forgotten {
    key: Key,
    at: HashMap<[u8; 32], NaiveDateTime>,
}

impl Forgotten {
    /// `None` when nobody was ever forgotten (with the identity hash): the import then hashes nothing.
    pub fn load(conn: &Connection) -> Result<Option<Forgotten>> {
        let Some(key) = key(conn)? else { return Ok(None) };
        let mut at = HashMap::new();
        let mut stmt = conn.prepare("SELECT identity, forgotten_at FROM forgotten_identity")?;
        let mut rows = stmt.query([])?;
        while let Some(row) = rows.next()? {
            let hash: Vec<u8> = row.get(0)?;
            let when: String = row.get(1)?;
            let when = NaiveDateTime::parse_from_str(&when, "%Y-%m-%dT%H:%M:%S").map_err(|_| {
                Error::Failed(format!("the database holds '{when}' where the time of a forgetting belongs"))
            })?;
            if let Ok(hash) = <[u8; 32]>::try_from(hash.as_slice()) {
                at.insert(hash, when);
            }
        }
        Ok(if at.is_empty() { None } else { Some(Forgotten { key, at }) })
    }

    /// When this person was forgotten, if they were.
    pub fn when(&self, email: &str, first_name: &str) -> Option<NaiveDateTime> {
        self.at.get(&identity::keyed_hash(&self.key, email, first_name)).copied()
    }
}

/// Marks that the text a forgetting erased may still be in the file's bytes.
pub fn mark_pending(conn: &Connection, since: &str) -> Result<()> {
    conn.execute("INSERT INTO erasure_pending (id, since) VALUES (1, ?1) ON CONFLICT (id) DO NOTHING", [since])?;
    Ok(())
}

/// Since when an erasure is pending, if one is.
pub fn pending(conn: &Connection) -> Result<Option<String>> {
    Ok(conn.query_row("SELECT since FROM erasure_pending WHERE id = 1", [], |r| r.get(0)).optional()?)
}

pub fn clear_pending(conn: &Connection) -> Result<()> {
    conn.execute("DELETE FROM erasure_pending", [])?;
    Ok(())
}
