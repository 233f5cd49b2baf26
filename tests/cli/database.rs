//! The database file: creation, migration, refusal of a newer file, modes, check and backup.

use crate::support::{Network, mode};
use std::fs;

fn tables(conn: &rusqlite::Connection) -> Vec<String> {
    conn.prepare("SELECT type || ' ' || name || ': ' || coalesce(sql, '') FROM sqlite_schema ORDER BY type, name")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap()
}

#[test]
fn first_use_creates_the_folders_and_an_owner_only_file() {
    let mut net = Network::new();
    net.db = net.path("nested/deeper/engage.db");
    net.ok(&["config", "list"]);
    assert_eq!(mode(&net.db), 0o600);
    assert_eq!(mode(&net.path("nested/deeper")), 0o700);
    let conn = net.conn();
    let version: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0)).unwrap();
    assert_eq!(version, engage::db::migrate::latest());
    let journal: String = conn.query_row("PRAGMA journal_mode", [], |r| r.get(0)).unwrap();
    assert_eq!(journal, "wal");
}

#[test]
fn the_default_database_lives_in_the_data_directory() {
    let net = Network::new();
    let home = net.path("home");
    let out = net.cmd().env_remove("ENGAGE_DB").args(["db", "path"]).output().unwrap();
    assert_eq!(String::from_utf8(out.stdout).unwrap(), format!("{}/.local/share/engage/engage.db\n", home.display()));
    // --db wins over ENGAGE_DB.
    let chosen = net.path("chosen.db");
    let out = net.cmd().args(["db", "path", "--db"]).arg(&chosen).output().unwrap();
    assert_eq!(String::from_utf8(out.stdout).unwrap(), format!("{}\n", chosen.display()));
    // And the default is created on first use, with its folders.
    let run = net.cmd().env_remove("ENGAGE_DB").args(["config", "get", "rate_involve"]).output().unwrap();
    assert_eq!(String::from_utf8(run.stdout).unwrap(), "40.00\n");
    assert_eq!(mode(&home.join(".local/share/engage/engage.db")), 0o600);
}

#[test]
fn an_empty_file_is_migrated_to_the_same_schema_as_a_new_one() {
    let net = Network::new();
    fs::write(&net.db, b"").unwrap();
    net.ok(&["request", "list"]);
    let fresh = Network::new();
    fresh.ok(&["request", "list"]);
    assert_eq!(tables(&net.conn()), tables(&fresh.conn()));
    assert!(tables(&net.conn()).iter().any(|t| t.starts_with("table request:")));
    // Every setting has its default.
    assert_eq!(net.count("setting"), engage::domain::settings::SETTINGS.len() as i64);
}

#[test]
fn migrating_step_by_step_gives_the_same_schema_as_a_new_file() {
    // Apply each migration by hand, as an older engage would have left the file, then let engage
    // finish the job.
    let net = Network::new();
    let conn = rusqlite::Connection::open(&net.db).unwrap();
    for (i, sql) in engage::db::migrate::MIGRATIONS.iter().enumerate().take(engage::db::migrate::MIGRATIONS.len() - 1) {
        conn.execute_batch(sql).unwrap();
        conn.pragma_update(None, "user_version", i as i64 + 1).unwrap();
    }
    drop(conn);
    net.ok(&["request", "list"]);
    let fresh = Network::new();
    fresh.ok(&["request", "list"]);
    assert_eq!(tables(&net.conn()), tables(&fresh.conn()));
}

#[test]
fn a_database_from_a_newer_engage_is_refused_and_left_alone() {
    let net = Network::new();
    net.request(&[]);
    net.conn().pragma_update(None, "user_version", 99).unwrap();
    let before = fs::read(&net.db).unwrap();
    let run = net.run(&["request", "list"]);
    assert_eq!(run.code, 1);
    assert_eq!(
        run.stderr,
        format!(
            "engage: error: {} was written by a newer engage (schema version 99; this engage knows up to {}); upgrade engage to open it\n",
            net.db.display(),
            engage::db::migrate::latest()
        )
    );
    assert_eq!(fs::read(&net.db).unwrap(), before);
}

#[test]
fn a_file_that_is_not_a_database_is_refused() {
    let net = Network::new();
    fs::write(&net.db, "Timestamp,First name\n2026-01-01,Ana\n".repeat(100)).unwrap();
    let before = fs::read(&net.db).unwrap();
    let run = net.run(&["request", "list"]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr.starts_with(&format!(
            "engage: error: {} is not an engage database (it is not an SQLite file)\n  caused by: ",
            net.db.display()
        )),
        "{}",
        run.stderr
    );
    assert_eq!(fs::read(&net.db).unwrap(), before);
}

#[test]
fn check_passes_on_a_healthy_file() {
    let net = Network::new();
    net.request(&[]);
    let out = net.ok(&["db", "check"]);
    assert_eq!(
        out,
        format!(
            "ok: {} passed integrity_check and foreign_key_check, and its reminders, tallies and partner counts are current\n",
            net.db.display()
        )
    );
}

#[test]
fn check_reports_a_broken_reference() {
    let net = Network::new();
    net.request(&[]);
    let conn = net.conn();
    conn.execute_batch("PRAGMA foreign_keys = OFF; INSERT INTO criterion VALUES (42, 0, 'x', 1, 0);").unwrap();
    drop(conn);
    let run = net.run(&["db", "check"]);
    assert_eq!(run.code, 1);
    assert_eq!(run.stdout, "foreign key: criterion row ? points to a missing request\n");
    assert_eq!(
        run.stderr,
        format!(
            "engage: error: {} has 1 problem; restore a backup or ask for help before changing anything\n",
            net.db.display()
        )
    );
}

#[test]
fn a_backup_is_a_whole_owner_only_copy() {
    let net = Network::new();
    net.request(&[]);
    let copy = net.path("copy.db");
    let run = net.run(&["db", "backup", copy.to_str().unwrap()]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stderr.starts_with(&format!("Backed up {} to {} (", net.db.display(), copy.display())));
    assert_eq!(mode(&copy), 0o600);
    let conn = rusqlite::Connection::open(&copy).unwrap();
    let title: String = conn.query_row("SELECT title FROM request", [], |r| r.get(0)).unwrap();
    assert_eq!(title, "Discharge co-design");

    // An existing file is not replaced without --force ...
    let run = net.run(&["db", "backup", copy.to_str().unwrap()]);
    assert_eq!(run.code, 1);
    assert_eq!(
        run.stderr,
        format!(
            "engage: error: {} already exists; choose another name or pass --force to replace it\n",
            copy.display()
        )
    );
    // ... and with --force a world-readable file becomes owner-only.
    let other = net.path("other.db");
    fs::write(&other, "old").unwrap();
    use std::os::unix::fs::PermissionsExt;
    fs::set_permissions(&other, fs::Permissions::from_mode(0o644)).unwrap();
    net.ok(&["db", "backup", other.to_str().unwrap(), "--force"]);
    assert_eq!(mode(&other), 0o600);
    let count: i64 = rusqlite::Connection::open(&other)
        .unwrap()
        .query_row("SELECT count(*) FROM request", [], |r| r.get(0))
        .unwrap();
    assert_eq!(count, 1);
    // No partial file is left behind.
    let leftovers: Vec<_> = fs::read_dir(net.dir.path())
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().contains("partial"))
        .collect();
    assert!(leftovers.is_empty());
}

#[test]
fn a_backup_into_a_missing_folder_fails_cleanly() {
    let net = Network::new();
    net.request(&[]);
    let target = net.path("no/such/folder/copy.db");
    let run = net.run(&["db", "backup", target.to_str().unwrap()]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr.starts_with(&format!(
            "engage: error: could not create {}",
            net.path("no/such/folder/.copy.db.engage-partial").display()
        )),
        "{}",
        run.stderr
    );
    assert!(!target.exists());
}

#[test]
fn completions_are_printed_for_each_shell() {
    let net = Network::new();
    for (shell, marker) in [
        ("bash", "_engage()"),
        ("zsh", "#compdef engage"),
        ("fish", "complete -c engage"),
        ("powershell", "Register-ArgumentCompleter"),
    ] {
        let out = net.ok(&["completions", shell]);
        assert!(out.contains(marker), "{shell}");
        assert!(out.contains("request"), "{shell}");
    }
    // Completions need no database.
    assert!(!net.db.exists());
}
