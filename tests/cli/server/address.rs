//! `--db` / `ENGAGE_DB` naming a server, through the real binary: needs no server.

use crate::support::Network;

#[test]
fn a_server_address_is_refused_until_commands_run_on_a_server() {
    let net = Network::new();
    let output = net
        .cmd()
        .current_dir(net.dir.path())
        .args(["--db", "postgres://engage:hunter2@db.example.org/network", "request", "list"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(String::from_utf8(output.stdout).unwrap(), "");
    assert_eq!(
        String::from_utf8(output.stderr).unwrap(),
        "engage: error: postgres://engage@db.example.org:5432/network is a PostgreSQL server, and this engage does not \
         run its commands on a server yet; use a database file (--db PATH) for now (the README's \"A team on one \
         network\" says what is there)\n"
    );
    // Not taken for a path: no folder `postgres:` beside the command, no database file.
    assert!(!net.path("postgres:").exists());
    assert!(!net.db.exists());
}

#[test]
fn a_malformed_server_address_is_a_usage_error_that_hides_the_password() {
    let net = Network::new();
    let output = net
        .cmd()
        .current_dir(net.dir.path())
        .env("ENGAGE_DB", "postgres://engage:hunter2@db.example.org:99999/network")
        .args(["db", "path"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(
        String::from_utf8(output.stderr).unwrap(),
        "engage: error: the database address 'postgres://engage:***@db.example.org:99999/network' has the port \
         '99999', which is not a number from 1 to 65535; write \
         postgres://USER[:PASSWORD]@HOST[:PORT]/NAME[?sslmode=disable|prefer|require]\n"
    );
    assert!(!net.path("postgres:").exists());
}
