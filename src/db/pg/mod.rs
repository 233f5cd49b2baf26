//! A team on one network: the PostgreSQL server's side of the database, beside the SQLite file's.
//!
//! What is here: the server's address as `--db` / `ENGAGE_DB` name it (`address`), its password
//! from `PGPASSWORD` or the password file (`pgpass`), the connection with TLS by rustls and the
//! process's one crypto provider, ring (`connect`), the server's schema and its migrations
//! (`migrate`, `migrations/pg/`), and the rewriting of shared SQL's `?N` parameters to the
//! server's `$N` (`placeholders`). The queries themselves are shared with SQLite through
//! `db::sql`'s reader and transaction; the server's side of those is `backend`, and the sign-up
//! import's bulk path `bulk`.

pub mod address;
pub mod backend;
pub mod bulk;
pub mod connect;
pub mod migrate;
pub mod pgpass;
pub mod placeholders;

pub use address::{Address, Host, Location, SslMode};
pub use connect::{Secrets, connect, open};

use std::fmt;

/// A PostgreSQL password: from the address, `PGPASSWORD` or the password file, handed to the
/// server and never written anywhere by engage (nor shown by `{:?}`).
#[derive(Clone, PartialEq, Eq)]
pub struct Password(String);

impl Password {
    pub fn new(text: impl Into<String>) -> Password {
        Password(text.into())
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Password {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Password(…)")
    }
}
