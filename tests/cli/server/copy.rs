//! `engage db copy` between a file and a server, both ways, on a real server.

use super::FreshDatabase;
use crate::support::Network;
use rusqlite::Connection;
use std::path::Path;

/// Every row of every table of an engage file, each table's rows in a stable order. The search
/// index's own tables are left out: the copy makes its index again from the partners, in other
/// pages than the original's, and `db check` compares each index with its partner table.
fn dump(path: &Path) -> Vec<(String, Vec<String>)> {
    let conn = Connection::open_with_flags(path, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY).unwrap();
    let tables: Vec<String> = conn
        .prepare(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' \
                 AND name NOT LIKE 'partner_search%' ORDER BY name",
        )
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(|r| r.unwrap())
        .collect();
    tables
        .into_iter()
        .map(|table| {
            let mut stmt = conn.prepare(&format!("SELECT * FROM {table}")).unwrap();
            let width = stmt.column_count();
            let mut rows: Vec<String> = stmt
                .query_map([], |r| {
                    Ok((0..width).map(|i| format!("{:?}", r.get_ref(i).unwrap())).collect::<Vec<_>>().join(" | "))
                })
                .unwrap()
                .map(|r| r.unwrap())
                .collect();
            rows.sort();
            (table, rows)
        })
        .collect()
}

#[test]
fn a_network_copied_from_a_file_to_a_server_and_back_has_every_table_as_it_was() {
    let Some(server) = FreshDatabase::new() else { return };
    let net = crate::tables::engagement_in(crate::support::Network::on_file());
    let url = server.url("");
    let back = net.path("back.db");
    let original = net.db.to_str().unwrap().to_string();
    let run = net.run(&["db", "copy", &original, &url]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stderr.starts_with("Copied "), "{}", run.stderr);
    assert!(run.stderr.contains("and checked the copy"), "{}", run.stderr);
    // The server's copy is a working network: db check is clean there.
    let check = net.run(&["--db", &url, "db", "check"]);
    assert_eq!(check.code, 0, "{}", check.stderr);
    // And its planner knows the copied tables' sizes (ANALYZE), not those of empty tables.
    let analyzed: i64 = server
        .client()
        .query_one(
            "SELECT count(*) FROM pg_stat_user_tables WHERE relname IN ('partner', 'request', 'event') \
             AND last_analyze IS NOT NULL",
            &[],
        )
        .unwrap()
        .get(0);
    assert_eq!(analyzed, 3);
    let run = net.run(&["db", "copy", &url, back.to_str().unwrap()]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let check = net.run(&["--db", back.to_str().unwrap(), "db", "check"]);
    assert_eq!(check.code, 0, "{}", check.stderr);
    let (a, b) = (dump(&net.db), dump(&back));
    assert_eq!(a.len(), b.len());
    for ((table, rows), (table_back, rows_back)) in a.iter().zip(&b) {
        assert_eq!(table, table_back);
        assert_eq!(rows, rows_back, "the {table} table changed on its way through the server");
    }
    assert!(a.iter().any(|(t, rows)| t == "event" && rows.len() > 10));
    // New ids on the server come after the copied ones.
    let id = net.ok(&[
        "--db",
        &url,
        "request",
        "new",
        "--title",
        "After the copy",
        "--org",
        "Island Health",
        "--contact-name",
        "Ana",
        "--contact-email",
        "ana@example.org",
        "--way",
        "consult",
    ]);
    assert_eq!(id.trim(), "3", "a third request after the two copied");
}

#[test]
fn a_copy_into_a_database_that_holds_a_network_is_refused_and_changes_nothing() {
    let Some(server) = FreshDatabase::new() else { return };
    let net = Network::new();
    if net.server.is_some() {
        return; // The file side of this test is the point.
    }
    net.request(&[]);
    let url = server.url("");
    net.ok(&[
        "--db",
        &url,
        "request",
        "new",
        "--title",
        "Already here",
        "--org",
        "Island Health",
        "--contact-name",
        "Ana",
        "--contact-email",
        "ana@example.org",
        "--way",
        "consult",
    ]);
    let run = net.run(&["db", "copy", net.db.to_str().unwrap(), &url]);
    assert_eq!(run.code, 1);
    assert_eq!(
        run.stderr,
        format!(
            "engage: error: {} already holds a network (its request table has rows); engage copies only into a new \
             or empty database, so nothing was copied\n",
            server.address
        )
    );
    let titles = net.ok(&["--db", &url, "request", "list", "--format", "csv"]);
    assert!(titles.contains("Already here") && !titles.contains("Discharge co-design"), "{titles}");
}

#[test]
fn db_backup_on_a_server_says_to_use_pg_dump_or_db_copy() {
    let Some(server) = FreshDatabase::new() else { return };
    let net = Network::new();
    let url = server.url("");
    net.ok(&["--db", &url, "db", "check"]);
    let run = net.run(&["--db", &url, "db", "backup", net.path("copy.db").to_str().unwrap()]);
    assert_eq!(run.code, 1);
    assert_eq!(
        run.stderr,
        format!(
            "engage: error: {a} is on a PostgreSQL server, which engage does not back up itself: use the server's \
             pg_dump, or `engage db copy {a} FILE` for a copy in an engage file\n",
            a = server.address
        )
    );
    assert!(!net.path("copy.db").exists());
}
