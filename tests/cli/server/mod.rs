//! engage on a PostgreSQL server, tested on a real one: `ENGAGE_TEST_PG` names it
//! (`postgres://USER:PASSWORD@HOST:PORT/DB` of a role that may create databases; `.ci/run` starts
//! one with `.ci/postgres`) and each test gets a database of its own, `engage_t_…`, dropped at its
//! end. `ENGAGE_TEST_PG_CA` is the authority of the server's TLS certificate, for the TLS tests.
//! Without them the tests say "skipped" where `cargo test` shows it, and fail when `CI=true`.

mod address;
mod concurrent;
mod connect;
mod copy;
mod differential;
mod schema;

use engage::db::pg::{self, Address, Secrets};
use std::io::Write;
use std::path::PathBuf;
use std::sync::Once;
use std::sync::atomic::{AtomicU32, Ordering};

/// The server `ENGAGE_TEST_PG` names, or `None` (said once) outside CI; in CI its absence fails.
pub fn server() -> Option<Address> {
    let Some(text) = std::env::var("ENGAGE_TEST_PG").ok().filter(|v| !v.is_empty()) else {
        skipped("ENGAGE_TEST_PG");
        return None;
    };
    Some(Address::parse(&text).unwrap_or_else(|e| panic!("ENGAGE_TEST_PG: {e}")))
}

/// The authority that signed the test server's certificate: the server speaks TLS.
pub fn tls_authority() -> Option<PathBuf> {
    server()?;
    let Some(path) = std::env::var_os("ENGAGE_TEST_PG_CA").filter(|v| !v.is_empty()) else {
        skipped("ENGAGE_TEST_PG_CA");
        return None;
    };
    Some(PathBuf::from(path))
}

fn skipped(variable: &str) {
    let ci = std::env::var("CI").is_ok_and(|v| v == "true");
    assert!(
        !ci,
        "CI=true and {variable} is not set: .ci/run starts a PostgreSQL server for these tests (.ci/postgres start DIR)"
    );
    // Once, straight to the process's standard error, past the test harness's capture, so that a
    // run without a server says what it did not test.
    static SAID: Once = Once::new();
    SAID.call_once(|| {
        let _ = writeln!(
        std::io::stderr(),
        "skipped: set ENGAGE_TEST_PG (and ENGAGE_TEST_PG_CA) to run the PostgreSQL tests; eval \"$(.ci/postgres start DIR)\" \
         starts a server for them"
        );
    });
}

/// A database of the test's own on the test server, dropped when the test ends.
pub struct FreshDatabase {
    pub address: Address,
    admin: Address,
}

static COUNTER: AtomicU32 = AtomicU32::new(0);

impl FreshDatabase {
    pub fn new() -> Option<FreshDatabase> {
        FreshDatabase::created_with("")
    }

    /// One made with these options after `CREATE DATABASE name` (a collation, a template).
    pub fn created_with(options: &str) -> Option<FreshDatabase> {
        let admin = server()?;
        let mut random = [0u8; 4];
        getrandom::fill(&mut random).unwrap();
        let name = format!(
            "engage_t_{}_{}_{:08x}",
            std::process::id(),
            COUNTER.fetch_add(1, Ordering::Relaxed),
            u32::from_le_bytes(random)
        );
        let mut client = pg::connect(&admin, &Secrets::default()).unwrap();
        client.batch_execute(&format!("CREATE DATABASE {name} {options}")).unwrap();
        let mut address = admin.clone();
        address.dbname = name;
        Some(FreshDatabase { address, admin })
    }

    pub fn name(&self) -> &str {
        &self.address.dbname
    }

    /// A connection to it, without migrating.
    pub fn client(&self) -> postgres::Client {
        pg::connect(&self.address, &Secrets::default()).unwrap()
    }

    /// This database's address as a coordinator writes it, with `query` (`sslmode=…`) after it.
    pub fn url(&self, query: &str) -> String {
        let a = &self.address;
        let password = a.password.as_ref().map(|p| format!(":{}", encoded(p.expose()))).unwrap_or_default();
        let query = if query.is_empty() { String::new() } else { format!("?{query}") };
        format!("postgres://{}{password}@{}:{}/{}{query}", a.user, a.host, a.port, a.dbname)
    }
}

impl Drop for FreshDatabase {
    fn drop(&mut self) {
        if let Ok(mut client) = pg::connect(&self.admin, &Secrets::default()) {
            let _ = client.batch_execute(&format!("DROP DATABASE IF EXISTS {} WITH (FORCE)", self.address.dbname));
        }
    }
}

fn encoded(text: &str) -> String {
    text.bytes()
        .map(|b| if b.is_ascii_alphanumeric() { (b as char).to_string() } else { format!("%{b:02X}") })
        .collect()
}
