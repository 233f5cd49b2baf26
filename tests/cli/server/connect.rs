//! Connecting to a real server: TLS as sslmode says, the password from where libpq finds it, and
//! each failure in one sentence.

use super::{FreshDatabase, tls_authority};
use engage::db::pg::{self, Address, Password, Secrets};
use engage::error::Error;
use std::os::unix::fs::PermissionsExt;

fn address(text: &str) -> Address {
    Address::parse(text).unwrap()
}

/// Whether the connection is encrypted, as the server sees it.
fn encrypted(client: &mut postgres::Client) -> bool {
    client.query_one("SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()", &[]).unwrap().get(0)
}

fn refusal(address: &Address, secrets: &Secrets) -> String {
    match pg::connect(address, secrets) {
        Err(Error::Failed(sentence)) => sentence,
        Err(other) => panic!("{other:?}"),
        Ok(_) => panic!("connected to {address}"),
    }
}

#[test]
fn prefer_uses_tls_when_the_server_offers_it() {
    let Some(_) = tls_authority() else { return };
    let Some(db) = FreshDatabase::new() else { return };
    let mut client = pg::connect(&address(&db.url("sslmode=prefer")), &Secrets::default()).unwrap();
    assert!(encrypted(&mut client));
    // Prefer is the default for a server on this machine.
    let mut client = pg::connect(&address(&db.url("")), &Secrets::default()).unwrap();
    assert!(encrypted(&mut client));
}

#[test]
fn disable_connects_without_tls() {
    let Some(db) = FreshDatabase::new() else { return };
    let mut client = pg::connect(&address(&db.url("sslmode=disable")), &Secrets::default()).unwrap();
    assert!(!encrypted(&mut client));
}

#[test]
fn require_connects_with_tls_to_a_certificate_its_authority_signed() {
    let Some(ca) = tls_authority() else { return };
    let Some(db) = FreshDatabase::new() else { return };
    let url = db.url(&format!("sslmode=require&sslrootcert={}", ca.display()));
    let mut client = pg::connect(&address(&url), &Secrets::default()).unwrap();
    assert!(encrypted(&mut client));
    // The same certificate is made out to localhost.
    let mut client = pg::connect(&address(&url.replace("@127.0.0.1:", "@localhost:")), &Secrets::default()).unwrap();
    assert!(encrypted(&mut client));
}

#[test]
fn require_refuses_a_certificate_from_an_authority_it_does_not_know() {
    let Some(_) = tls_authority() else { return };
    let Some(db) = FreshDatabase::new() else { return };
    let a = address(&db.url("sslmode=require"));
    assert_eq!(
        refusal(&a, &Secrets::default()),
        format!(
            "could not connect to the PostgreSQL server at 127.0.0.1:{} (database {}, user engage): the server's \
             certificate is signed by an authority engage does not know; if the server's certificate is signed by \
             your organization's or its provider's own authority, add sslrootcert=FILE (that authority's \
             certificate, PEM) to the address",
            a.port,
            db.name()
        )
    );
}

#[test]
fn the_password_is_found_in_the_password_file() {
    let Some(db) = FreshDatabase::new() else { return };
    let password = db.address.password.clone().unwrap();
    let mut a = db.address.clone();
    a.password = None;
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join(".pgpass");
    std::fs::write(
        &file,
        format!(
            "# engage's test server\n127.0.0.1:{}:other:engage:wrong\n127.0.0.1:{}:{}:engage:{}\n*:*:*:*:wrong\n",
            a.port,
            a.port,
            db.name(),
            password.expose().replace('\\', "\\\\").replace(':', "\\:")
        ),
    )
    .unwrap();
    std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o600)).unwrap();
    let secrets = Secrets { pgpassword: None, pgpass_file: Some(&file) };
    let mut client = pg::connect(&a, &secrets).unwrap();
    let user: String = client.query_one("SELECT current_user::text", &[]).unwrap().get(0);
    assert_eq!(user, "engage");
    // PGPASSWORD comes before the file, as libpq has it: a wrong one is refused, named.
    let wrong = Password::new("not-the-password");
    let secrets = Secrets { pgpassword: Some(&wrong), pgpass_file: Some(&file) };
    assert_eq!(
        refusal(&a, &secrets),
        format!(
            "could not connect to the PostgreSQL server at 127.0.0.1:{} (database {}, user engage): the server \
             refused the password in PGPASSWORD (password authentication failed for user \"engage\"); check the \
             password and the user's name",
            a.port,
            db.name()
        )
    );
}

#[test]
fn a_connection_without_a_password_says_how_to_give_one() {
    let Some(db) = FreshDatabase::new() else { return };
    let mut a = db.address.clone();
    a.password = None;
    let dir = tempfile::tempdir().unwrap();
    let secrets = Secrets { pgpassword: None, pgpass_file: Some(&dir.path().join(".pgpass")) };
    assert_eq!(
        refusal(&a, &secrets),
        format!(
            "could not connect to the PostgreSQL server at 127.0.0.1:{port} (database {db}, user engage): the server \
             asks for a password for engage and none was given; set PGPASSWORD, or add the line \
             127.0.0.1:{port}:{db}:engage:PASSWORD to {file} (mode 0600)",
            port = a.port,
            db = db.name(),
            file = dir.path().join(".pgpass").display()
        )
    );
}

#[test]
fn a_database_that_is_not_there_is_named_with_how_to_create_it() {
    let Some(db) = FreshDatabase::new() else { return };
    let mut a = db.address.clone();
    a.dbname = format!("{}_not_there", db.name());
    assert_eq!(
        refusal(&a, &Secrets::default()),
        format!(
            "could not connect to the PostgreSQL server at 127.0.0.1:{} (database {name}, user engage): there is no \
             database {name} on that server; create it (CREATE DATABASE {name} OWNER engage; the README's \"A team on \
             one network\" shows how), or check its name",
            a.port,
            name = a.dbname
        )
    );
}
