//! `--db` / `ENGAGE_DB` naming a server, through the real binary: needs no server.

use crate::support::Network;

/// Commands run on a server now (issue 15): an address is a connection, never a path. Nothing
/// listens on port 1, so the command fails to connect, says where, and hides the password.
#[test]
fn a_server_address_is_a_connection_never_a_file_path() {
    let net = Network::new();
    let output = net
        .cmd()
        .current_dir(net.dir.path())
        .args(["--db", "postgres://engage:hunter2@127.0.0.1:1/network", "request", "list"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(String::from_utf8(output.stdout).unwrap(), "");
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(
        stderr.starts_with(
            "engage: error: could not connect to the PostgreSQL server at 127.0.0.1:1 (database network, user engage)"
        ),
        "{stderr}"
    );
    assert!(!stderr.contains("hunter2"), "{stderr}");
    // Not taken for a path: no folder `postgres:` beside the command.
    assert!(!net.path("postgres:").exists());
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
