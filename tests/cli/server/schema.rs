//! The server's schema in step with the file's, and its migrations versioned as the file's are.

use super::FreshDatabase;
use engage::db::migrate as file_migrate;
use engage::db::pg::{self, Secrets, migrate};
use engage::error::Error;
use rusqlite::Connection;
use std::collections::BTreeSet;

/// A fresh SQLite file, made by engage as a coordinator's first command makes it.
fn fresh_file() -> (tempfile::TempDir, Connection) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("engage.db");
    drop(engage::db::Db::open(&path).unwrap());
    let conn = Connection::open(&path).unwrap();
    (dir, conn)
}

fn open(db: &FreshDatabase) -> Result<postgres::Client, Error> {
    pg::open(&db.address, &Secrets::default())
}

/// (table, column, type, nullable) of every column of the file. The partner search index and its
/// shadow tables are SQLite's full-text index (migrations/partner_search.sql), which the server
/// does without: it searches with ILIKE.
fn file_columns(conn: &Connection) -> BTreeSet<(String, String, String, bool)> {
    let mut statement = conn
        .prepare(
            "SELECT m.name, p.name, p.type, p.\"notnull\", p.pk FROM sqlite_schema m JOIN pragma_table_info(m.name) p \
             WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%' AND m.name NOT LIKE 'partner_search%'",
        )
        .unwrap();
    statement
        .query_map([], |row| {
            let ty: String = row.get(2)?;
            let ty = match ty.as_str() {
                "INTEGER" => "bigint",
                "TEXT" => "text",
                "BLOB" => "bytea",
                other => panic!("a column of type {other}"),
            };
            // SQLite lets a NULL into a primary key column of a rowid table unless it says NOT
            // NULL, but engage's are rowid aliases (INTEGER PRIMARY KEY) or in WITHOUT ROWID
            // tables, which hold no NULL: a primary key column is NOT NULL on both.
            let nullable = row.get::<_, i64>(3)? == 0 && row.get::<_, i64>(4)? == 0;
            Ok((row.get(0)?, row.get(1)?, ty.to_string(), nullable))
        })
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap()
}

/// The same of the server's database, but for `engage_schema`, the server's `user_version`.
fn server_columns(client: &mut postgres::Client) -> BTreeSet<(String, String, String, bool)> {
    client
        .query(
            "SELECT table_name::text, column_name::text, data_type::text, is_nullable = 'YES' \
             FROM information_schema.columns WHERE table_schema = current_schema() AND table_name != 'engage_schema'",
            &[],
        )
        .unwrap()
        .iter()
        .map(|row| (row.get(0), row.get(1), row.get(2), row.get(3)))
        .collect()
}

/// (index, table, columns in order, partial) of every index the schema names; a column that is an
/// expression (`coalesce(partner_id, 0)`) is named `(expression)`.
fn file_indexes(conn: &Connection) -> BTreeSet<(String, String, Vec<String>, bool)> {
    let names: Vec<(String, String)> = conn
        .prepare("SELECT name, tbl_name FROM sqlite_schema WHERE type = 'index' AND sql IS NOT NULL")
        .unwrap()
        .query_map([], |row| Ok((row.get(0)?, row.get(1)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    names
        .into_iter()
        .map(|(index, table)| {
            let columns = conn
                .prepare("SELECT coalesce(name, '(expression)') FROM pragma_index_info(?1) ORDER BY seqno")
                .unwrap()
                .query_map([&index], |row| row.get(0))
                .unwrap()
                .collect::<Result<_, _>>()
                .unwrap();
            let partial: i64 = conn
                .query_row("SELECT partial FROM pragma_index_list(?1) WHERE name = ?2", [&table, &index], |row| {
                    row.get(0)
                })
                .unwrap();
            (index, table, columns, partial == 1)
        })
        .collect()
}

fn server_indexes(client: &mut postgres::Client) -> BTreeSet<(String, String, Vec<String>, bool)> {
    client
        .query(
            "SELECT i.relname::text, t.relname::text, \
                    ARRAY(SELECT coalesce(a.attname::text, '(expression)') \
                          FROM unnest(x.indkey::int2[]) WITH ORDINALITY AS k(attnum, n) \
                          LEFT JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum ORDER BY k.n), \
                    x.indpred IS NOT NULL \
             FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class t ON t.oid = x.indrelid \
             JOIN pg_namespace n ON n.oid = t.relnamespace \
             WHERE n.nspname = current_schema() AND NOT x.indisprimary",
            &[],
        )
        .unwrap()
        .iter()
        .map(|row| (row.get(0), row.get(1), row.get(2), row.get(3)))
        .collect()
}

fn version(client: &mut postgres::Client) -> i64 {
    client.query_one("SELECT version FROM engage_schema", &[]).unwrap().get(0)
}

#[test]
fn the_server_knows_the_same_latest_schema_version_as_the_file() {
    // A migration appended to the file's list needs its server counterpart, with the same number.
    assert_eq!(migrate::latest(), file_migrate::latest());
    let Some(db) = FreshDatabase::new() else { return };
    let mut client = open(&db).unwrap();
    assert_eq!(version(&mut client), file_migrate::latest());
}

#[test]
fn a_fresh_server_database_has_the_tables_and_columns_of_a_fresh_file() {
    let Some(db) = FreshDatabase::new() else { return };
    let mut client = open(&db).unwrap();
    let (_dir, conn) = fresh_file();
    let file = file_columns(&conn);
    let server = server_columns(&mut client);
    assert!(file.len() > 150, "{} columns", file.len());
    let only_file: Vec<_> = file.difference(&server).collect();
    let only_server: Vec<_> = server.difference(&file).collect();
    assert!(
        only_file.is_empty() && only_server.is_empty(),
        "only in the file: {only_file:#?}\nonly on the server: {only_server:#?}"
    );
}

#[test]
fn a_fresh_server_database_has_the_indexes_of_a_fresh_file() {
    let Some(db) = FreshDatabase::new() else { return };
    let mut client = open(&db).unwrap();
    let (_dir, conn) = fresh_file();
    // The two differences, on purpose: the server's index of the partners an invitation can
    // reach is on their region alone, as a server's B-tree refuses an entry past about 2,700 bytes
    // and a partner's topics may be longer (migrations/pg/0012_partner_reachable.sql); and the
    // file's index of the partners' names for the participation report has no twin there, for the
    // same reason (migrations/pg/0013_report_figures.sql).
    let file: BTreeSet<_> = file_indexes(&conn)
        .into_iter()
        .filter(|(index, _, _, _)| index != "partner_card")
        .map(|(index, table, columns, partial)| match index.as_str() {
            "partner_reachable" => {
                assert_eq!(columns, ["region", "id", "topics", "community"], "the file's partner_reachable");
                (index, table, vec!["region".to_string()], partial)
            }
            _ => (index, table, columns, partial),
        })
        .collect();
    let server = server_indexes(&mut client);
    assert!(file.len() > 15, "{} indexes", file.len());
    let only_file: Vec<_> = file.difference(&server).collect();
    let only_server: Vec<_> = server.difference(&file).collect();
    assert!(
        only_file.is_empty() && only_server.is_empty(),
        "only in the file: {only_file:#?}\nonly on the server: {only_server:#?}"
    );
}

#[test]
fn a_fresh_server_database_holds_the_settings_of_a_fresh_file() {
    let Some(db) = FreshDatabase::new() else { return };
    let mut client = open(&db).unwrap();
    let (_dir, conn) = fresh_file();
    let file: BTreeSet<(String, String)> = conn
        .prepare("SELECT key, value FROM setting")
        .unwrap()
        .query_map([], |row| Ok((row.get(0)?, row.get(1)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    let server: BTreeSet<(String, String)> = client
        .query("SELECT key, value FROM setting", &[])
        .unwrap()
        .iter()
        .map(|row| (row.get(0), row.get(1)))
        .collect();
    assert!(file.len() > 10);
    assert_eq!(file, server);
}

#[test]
fn opening_a_migrated_database_again_changes_nothing() {
    let Some(db) = FreshDatabase::new() else { return };
    let mut client = open(&db).unwrap();
    client.execute("UPDATE setting SET value = '40.00' WHERE key = 'rate_involve'", &[]).unwrap();
    drop(client);
    let mut client = open(&db).unwrap();
    assert_eq!(version(&mut client), migrate::latest());
    let rate: String = client.query_one("SELECT value FROM setting WHERE key = 'rate_involve'", &[]).unwrap().get(0);
    assert_eq!(rate, "40.00");
}

#[test]
fn engages_starting_at_once_migrate_a_new_database_once() {
    let Some(db) = FreshDatabase::new() else { return };
    let address = db.address.clone();
    let starts: Vec<_> = (0..4)
        .map(|_| {
            let address = address.clone();
            std::thread::spawn(move || pg::open(&address, &Secrets::default()).map(drop))
        })
        .collect();
    for start in starts {
        start.join().unwrap().unwrap();
    }
    let mut client = db.client();
    assert_eq!(version(&mut client), migrate::latest());
    let rows: i64 = client.query_one("SELECT count(*) FROM engage_schema", &[]).unwrap().get(0);
    assert_eq!(rows, 1);
}

#[test]
fn a_newer_server_database_is_refused_and_left_untouched() {
    let Some(db) = FreshDatabase::new() else { return };
    let mut client = open(&db).unwrap();
    let newer = migrate::latest() + 1;
    client.execute("UPDATE engage_schema SET version = $1", &[&newer]).unwrap();
    let error = open(&db).err().unwrap();
    assert_eq!(
        error.to_string(),
        format!(
            "postgres://engage@127.0.0.1:{}/{} was written by a newer engage (schema version {newer}; this engage knows \
             up to {}); upgrade engage to open it",
            db.address.port,
            db.name(),
            migrate::latest()
        )
    );
    assert_eq!(error.exit_code(), 1);
    assert_eq!(version(&mut client), newer);
}

#[test]
fn another_programs_database_is_refused_and_left_untouched() {
    let Some(db) = FreshDatabase::new() else { return };
    let mut client = db.client();
    client.batch_execute("CREATE TABLE orders (id BIGINT PRIMARY KEY); CREATE TABLE customers (id BIGINT)").unwrap();
    let error = open(&db).err().unwrap();
    assert_eq!(
        error.to_string(),
        format!(
            "postgres://engage@127.0.0.1:{}/{} is not an engage database: its schema public holds another program's \
             tables (customers, orders); engage leaves it untouched",
            db.address.port,
            db.name()
        )
    );
    let tables: i64 = client
        .query_one("SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'", &[])
        .unwrap()
        .get(0);
    assert_eq!(tables, 2);
}

#[test]
fn a_server_database_with_a_version_no_engage_writes_is_refused() {
    let Some(db) = FreshDatabase::new() else { return };
    let mut client = open(&db).unwrap();
    client.execute("UPDATE engage_schema SET version = 2", &[]).unwrap();
    assert_eq!(
        open(&db).err().unwrap().to_string(),
        format!(
            "postgres://engage@127.0.0.1:{}/{} has the schema version 2, which no engage writes on a server: it is \
             damaged or not engage's, and engage leaves it untouched",
            db.address.port,
            db.name()
        )
    );
}

#[test]
fn the_event_log_is_append_only_on_the_server_too() {
    let Some(db) = FreshDatabase::new() else { return };
    let mut client = open(&db).unwrap();
    let id: i64 = client
        .query_one(
            "INSERT INTO event (at, actor, kind) VALUES ('2026-11-23T09:00:00', 'coordinator', 'note') RETURNING id",
            &[],
        )
        .unwrap()
        .get(0);
    assert_eq!(id, 1, "ids are handed out by the server");
    for statement in ["UPDATE event SET actor = 'someone else'", "DELETE FROM event", "TRUNCATE event"] {
        let error = client.batch_execute(statement).unwrap_err();
        assert_eq!(error.as_db_error().unwrap().message(), "the event log is append-only", "{statement}");
    }
    let actor: String = client.query_one("SELECT actor FROM event", &[]).unwrap().get(0);
    assert_eq!(actor, "coordinator");
}

#[test]
fn the_server_refuses_the_rows_the_file_refuses() {
    let Some(db) = FreshDatabase::new() else { return };
    let mut client = open(&db).unwrap();
    let (_dir, conn) = fresh_file();
    let request = "INSERT INTO request (id, title, organization, contact_name, contact_email, way, respond_by, select_by, \
                   seats, pay_basis, pay_cents, checkin_every_days, created_on) VALUES (1, 'Discharge', 'Island Health', \
                   'Dana', 'dana@example.org', 'involve', '2026-12-01', '2026-12-08', 2, 'way', 3000, 14, '2026-11-23')";
    let partner = "INSERT INTO partner (id, first_name) VALUES (1, 'Ana')";
    conn.execute_batch(&format!("{request}; {partner};")).unwrap();
    client.batch_execute(&format!("{request}; {partner};")).unwrap();
    let refused = [
        request.replace("(1, 'Discharge'", "(2, 'Discharge'").replace("'involve'", "'shout'"),
        request.replace("(1, 'Discharge'", "(3, 'Discharge'").replace(", 2, 'way'", ", 0, 'way'"),
        "INSERT INTO criterion (request_id, position, name, weight) VALUES (1, 1, 'speaking', 11)".to_string(),
        "INSERT INTO criterion (request_id, position, name, weight) VALUES (9, 1, 'speaking', 2)".to_string(),
        "INSERT INTO checkin (request_id, party, held_on, status) VALUES (1, 'partner', '2026-11-23', 'good')".to_string(),
        "INSERT INTO checkin (request_id, party, partner_id, held_on, status) VALUES (1, 'team', 1, '2026-11-23', 'good')"
            .to_string(),
        "INSERT INTO invitation (request_id, partner_id, response) VALUES (1, 1, 'maybe')".to_string(),
        "INSERT INTO partner (id, consent) VALUES (2, 2)".to_string(),
        "INSERT INTO decision (request_id, partner_id, outcome, decided_on) VALUES (1, 1, 'selected', '2026-11-23')"
            .to_string(),
        // A key of one byte where 32 are kept (the server writes the bytes '\x00'::bytea).
        "INSERT INTO identity_key (id, key) VALUES (1, X'00')".to_string(),
        "INSERT INTO message (request_id, kind, via, message_id, status, queued_at) VALUES (1, 'postcard', 'smtp', \
         '<m@x>', 'queued', '2026-11-23T09:00:00')"
            .to_string(),
    ];
    for statement in refused {
        // Refused by a constraint (a CHECK, NOT NULL, a foreign key), not for a mistake in the SQL.
        let in_file = conn.execute_batch(&statement).err().and_then(|e| e.sqlite_error_code());
        assert_eq!(in_file, Some(rusqlite::ErrorCode::ConstraintViolation), "the file: {statement}");
        let on_server = client.batch_execute(&statement.replace("X'00'", "'\\x00'::bytea")).err();
        let class = on_server.as_ref().and_then(|e| e.code()).map(|c| &c.code()[..2]);
        assert_eq!(class, Some("23"), "the server: {statement}: {on_server:?}");
    }
    // And both take a well-formed one.
    let good = "INSERT INTO criterion (request_id, position, name, weight, required) VALUES (1, 1, 'speaking', 10, 1)";
    conn.execute_batch(good).unwrap();
    client.batch_execute(good).unwrap();
}

#[test]
fn a_role_that_may_not_create_tables_is_told_to_own_the_database() {
    let Some(db) = FreshDatabase::new() else { return };
    let mut client = db.client();
    // What a role that does not own the database meets since PostgreSQL 15.
    client.batch_execute("REVOKE CREATE ON SCHEMA public FROM pg_database_owner").unwrap();
    let error = open(&db).err().unwrap();
    assert_eq!(
        error.to_string(),
        format!(
            "could not create engage's tables in postgres://engage@127.0.0.1:{}/{} (permission denied for schema \
             public); nothing was changed: make engage the database's owner (ALTER DATABASE {name} OWNER TO engage, as \
             the server's administrator), as the README's \"A team on one network\" shows",
            db.address.port,
            db.name(),
            name = db.name()
        )
    );
    assert_eq!(error.exit_code(), 1);
    let tables: i64 = client
        .query_one("SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'", &[])
        .unwrap()
        .get(0);
    assert_eq!(tables, 0);
}
