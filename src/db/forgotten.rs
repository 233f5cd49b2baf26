//! What forgetting keeps (`forgotten_identity`, under the database's `identity_key`) and whether
//! its erasure has reached the file's bytes (`erasure_pending`). Forgetting is for good: an old row
//! of a forgotten person never brings them back.

use super::sql::{Reader, Tx};
use crate::domain::identity::{self, Key};
use crate::error::{Error, Result};
use chrono::NaiveDateTime;
use std::collections::HashMap;

/// The database's key for identity hashes, if one was ever made.
pub fn key(conn: &Reader) -> Result<Option<Key>> {
    let stored: Option<Vec<u8>> = conn.query_opt("SELECT key FROM identity_key WHERE id = 1", &[], |r| r.get("key"))?;
    Ok(stored.and_then(|k| Key::try_from(k.as_slice()).ok()))
}

/// The key, made from the operating system's random source the first time it is needed. Call it
/// inside the write transaction that uses it, so two engages cannot make two keys.
pub fn key_or_make(tx: &Tx<'_>) -> Result<Key> {
    if let Some(key) = key(tx)? {
        return Ok(key);
    }
    let mut key: Key = [0; 32];
    getrandom::fill(&mut key).map_err(|e| {
        Error::Failed(format!(
            "could not get random bytes from the operating system for the key of forgotten identities ({e}); nothing was changed"
        ))
    })?;
    tx.execute("INSERT INTO identity_key (id, key) VALUES (1, ?1)", &[&key.as_slice()])?;
    Ok(key)
}

/// Keeps the keyed hash of a person's identity as forgotten at `at` (`YYYY-MM-DDTHH:MM:SS`).
pub fn remember(tx: &Tx<'_>, email: &str, first_name: &str, at: &str) -> Result<()> {
    let key = key_or_make(tx)?;
    let hash = identity::keyed_hash(&key, email, first_name);
    // The later of the two forgettings (timestamps compare as text).
    tx.execute(
        "INSERT INTO forgotten_identity (identity, forgotten_at) VALUES (?1, ?2) \
         ON CONFLICT (identity) DO UPDATE SET forgotten_at = excluded.forgotten_at \
         WHERE excluded.forgotten_at > forgotten_identity.forgotten_at",
        &[&hash.as_slice(), &at],
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
    pub fn load(conn: &Reader) -> Result<Option<Forgotten>> {
        let Some(key) = key(conn)? else { return Ok(None) };
        let mut at = HashMap::new();
        conn.each("SELECT identity, forgotten_at FROM forgotten_identity", &[], |row| {
            // The table's CHECK keeps every identity 32 bytes.
            let hash: Vec<u8> = row.get("identity")?;
            let when: NaiveDateTime = row.get("forgotten_at")?;
            if let Ok(hash) = <[u8; 32]>::try_from(hash.as_slice()) {
                at.insert(hash, when);
            }
            Ok(())
        })?;
        Ok(if at.is_empty() { None } else { Some(Forgotten { key, at }) })
    }

    /// When this person was forgotten, if they were.
    pub fn when(&self, email: &str, first_name: &str) -> Option<NaiveDateTime> {
        self.at.get(&identity::keyed_hash(&self.key, email, first_name)).copied()
    }
}

/// Marks that the text a forgetting erased may still be in the file's bytes.
pub fn mark_pending(tx: &Tx<'_>, since: &str) -> Result<()> {
    tx.execute("INSERT INTO erasure_pending (id, since) VALUES (1, ?1) ON CONFLICT (id) DO NOTHING", &[&since])?;
    Ok(())
}

/// Since when an erasure is pending, if one is.
pub fn pending(conn: &Reader) -> Result<Option<String>> {
    conn.query_opt("SELECT since FROM erasure_pending WHERE id = 1", &[], |r| r.get("since"))
}

pub fn clear_pending(tx: &Tx<'_>) -> Result<()> {
    tx.execute("DELETE FROM erasure_pending", &[])?;
    Ok(())
}
