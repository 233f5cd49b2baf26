//! The database file: creation, migration, refusal of a newer file, modes, check and backup.
//! Every network here is a file whichever backend the suite runs on; a server's schema, migrations
//! and refusals are tested in `server/`.

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
    let mut net = Network::on_file();
    net.db = net.path("nested/deeper/engage.db");
    net.ok(&["config", "list"]);
    assert_eq!(mode(&net.db), 0o600);
    assert_eq!(mode(&net.path("nested/deeper")), 0o700);
    let conn = net.conn();
    let version: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0)).unwrap();
    assert_eq!(version, engage::db::migrate::latest());
    let mark: i32 = conn.query_row("PRAGMA application_id", [], |r| r.get(0)).unwrap();
    assert_eq!(mark, engage::db::migrate::APPLICATION_ID, "engage's mark, set at creation");
    let journal: String = conn.query_row("PRAGMA journal_mode", [], |r| r.get(0)).unwrap();
    assert_eq!(journal, "wal");
}

#[test]
fn the_default_database_lives_in_the_data_directory() {
    let net = Network::on_file();
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
    let net = Network::on_file();
    fs::write(&net.db, b"").unwrap();
    net.ok(&["request", "list"]);
    let fresh = Network::on_file();
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
    let net = Network::on_file();
    let conn = rusqlite::Connection::open(&net.db).unwrap();
    for (i, sql) in engage::db::migrate::MIGRATIONS.iter().enumerate().take(engage::db::migrate::MIGRATIONS.len() - 1) {
        conn.execute_batch(sql).unwrap();
        conn.pragma_update(None, "user_version", i as i64 + 1).unwrap();
    }
    drop(conn);
    net.ok(&["request", "list"]);
    let fresh = Network::on_file();
    fresh.ok(&["request", "list"]);
    assert_eq!(tables(&net.conn()), tables(&fresh.conn()));
}

/// Every command that opens the database, with arguments that get it that far. (`db path` and
/// `completions` never open it.)
const OPENING: &[&[&str]] = &[
    &[
        "request",
        "new",
        "--title",
        "T",
        "--org",
        "O",
        "--contact-name",
        "N",
        "--contact-email",
        "n@example.org",
        "--way",
        "consult",
    ],
    &["request", "list"],
    &["request", "show", "1"],
    &["request", "edit", "1", "--title", "T2"],
    &["request", "cancel", "1", "--reason", "R"],
    &["recruit", "import", "SIGNUPS"],
    &["recruit", "add", "--first", "Ana", "--last", "Silva", "--email", "ana@example.org"],
    &["recruit", "list"],
    &["recruit", "show", "1"],
    &["recruit", "edit", "1", "--notes", "N"],
    &["recruit", "forget", "1"],
    &["recruit", "export", "--with-contact"],
    &["recruit", "invite", "1", "--dry-run"],
    &["recruit", "respond", "1", "1", "--interested"],
    &["recruit", "respond", "1", "--import", "RESPONSES"],
    &["recruit", "responses", "1"],
    // Guided: it needs a terminal, so it runs in process as on one.
    &["select", "1"],
    &["select", "score", "1", "1", "--score", "experience=3"],
    &["select", "rank", "1"],
    &["select", "decide", "1", "--select", "1"],
    &["select", "notify", "1"],
    &["select", "onboard", "1", "1"],
    &["select", "roster", "1"],
    &["checkin", "1", "--team", "--status", "good"],
    &["checkin", "list"],
    &["checkin", "due"],
    &["checkin", "resolve", "1"],
    &["close", "1", "--outcomes", "O"],
    &["close", "pay", "1", "1", "--declined"],
    &["close", "reimburse", "1", "1"],
    &["close", "statement", "1"],
    &["report", "reminders"],
    &["report", "summary"],
    &["report", "participation"],
    &["report", "compensation"],
    &["status"],
    &["status", "1"],
    &["message", "invitation", "1"],
    &["message", "outcome", "1"],
    &["message", "welcome", "1"],
    &["message", "thanks", "1"],
    &["message", "loop-closed", "1"],
    &["message", "survey", "1"],
    &["message", "roster", "1"],
    &["message", "list", "1"],
    &["config", "list"],
    &["config", "get", "rate_consult"],
    &["config", "set", "rate_consult", "30"],
    &["db", "check"],
    &["db", "backup", "BACKUP"],
];

/// The command an argument list runs, as the names of its subcommands (`["select", "rank"]`).
fn command_path(args: &[&str]) -> Vec<String> {
    use clap::CommandFactory;
    let mut command = engage::cli::Cli::command();
    let mut path = Vec::new();
    for arg in args {
        let Some(sub) = command.find_subcommand(arg).cloned() else { continue };
        path.push(arg.to_string());
        command = sub;
    }
    path
}

/// Every command engage has, as in `command_path`.
fn every_command() -> Vec<Vec<String>> {
    fn walk(command: &clap::Command, path: &[String], out: &mut Vec<Vec<String>>) {
        for sub in command.get_subcommands().filter(|s| s.get_name() != "help") {
            let mut here = path.to_vec();
            here.push(sub.get_name().to_string());
            out.push(here.clone());
            walk(sub, &here, out);
        }
    }
    use clap::CommandFactory;
    let mut out = Vec::new();
    walk(&engage::cli::Cli::command(), &[], &mut out);
    out
}

#[test]
fn the_list_of_commands_that_open_the_database_is_whole() {
    let listed: Vec<Vec<String>> = OPENING.iter().map(|args| command_path(args)).collect();
    // `db copy` opens the two databases its arguments name, never --db's.
    let never =
        [vec!["db", "path"], vec!["db", "copy"], vec!["completions"], vec!["manual"], vec!["message", "template"]];
    // A group that needs a subcommand (request, recruit, …) is not a command of its own.
    let groups = ["request", "recruit", "report", "config", "db", "message"];
    for command in every_command() {
        if never.iter().any(|n| *n == command) || (command.len() == 1 && groups.contains(&command[0].as_str())) {
            continue;
        }
        assert!(listed.contains(&command), "engage {} is not in OPENING", command.join(" "));
    }
}

/// Runs every command that opens the database against `net.db`, as it is now, and insists that
/// each is refused with `refusal` (exit 1, nothing on standard output) and leaves the file byte for
/// byte as it was, with no file of its own beside it.
fn refused_by_every_command(net: &Network, refusal: &str, case: &str) {
    let signups = net.path("signups.csv");
    fs::write(&signups, "Email address,First name,Consent to be contacted\ncy@example.org,Cy,Yes\n").unwrap();
    let responses = net.path("responses.csv");
    fs::write(&responses, "Email address,First name,Response\nbo@example.org,Bo,interested\n").unwrap();
    let backup = net.path("backup.db");
    let before = fs::read(&net.db).unwrap();
    for args in OPENING {
        let args: Vec<&str> = args
            .iter()
            .map(|a| match *a {
                "SIGNUPS" => signups.to_str().unwrap(),
                "RESPONSES" => responses.to_str().unwrap(),
                "BACKUP" => backup.to_str().unwrap(),
                other => other,
            })
            .collect();
        let run = if args == ["select", "1"] {
            let (result, mut run, _) = net.at_terminal(&args, &[]);
            run.stderr = format!("engage: error: {}\n", result.unwrap_err());
            run
        } else {
            net.run(&args)
        };
        assert_eq!((run.code, run.stderr.as_str()), (1, refusal), "engage {args:?} ({case})");
        assert_eq!(run.stdout, "", "engage {args:?} ({case})");
        assert!(fs::read(&net.db).unwrap() == before, "engage {args:?} changed the file ({case})");
        assert!(!backup.exists(), "engage {args:?} ({case})");
    }
    let left: Vec<String> = fs::read_dir(net.dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name.starts_with("engage.db"))
        .collect();
    assert_eq!(left, ["engage.db"], "{case}");
}

#[test]
fn a_database_from_a_newer_engage_is_refused_by_every_command_and_left_alone() {
    let net = Network::on_file();
    net.request(&[]);
    net.ok(&["recruit", "add", "--first", "Bo", "--last", "Li", "--email", "bo@example.org"]);
    let refusal = format!(
        "engage: error: {} was written by a newer engage (schema version 99; this engage knows up to {}); upgrade engage to open it\n",
        net.db.display(),
        engage::db::migrate::latest()
    );
    // As engage leaves a file (write-ahead log), and as a newer engage might (a rollback journal):
    // an older engage must not even switch the journal mode.
    for journal in ["wal", "delete"] {
        let conn = net.conn();
        conn.pragma_update(None, "user_version", 99).unwrap();
        let _: String = conn.query_row(&format!("PRAGMA journal_mode = {journal}"), [], |r| r.get(0)).unwrap();
        drop(conn);
        refused_by_every_command(&net, &refusal, journal);
        let conn = net.conn();
        conn.pragma_update(None, "user_version", engage::db::migrate::latest()).unwrap();
        let _: String = conn.query_row("PRAGMA journal_mode = wal", [], |r| r.get(0)).unwrap();
    }
}

#[test]
fn a_file_of_another_program_is_refused_by_every_command_and_left_alone() {
    // An SQLite file as another program leaves it: its own tables, user_version 0, a rollback
    // journal. It used to be adopted: engage's tables were added beside the program's.
    let net = Network::on_file();
    let conn = rusqlite::Connection::open(&net.db).unwrap();
    conn.execute_batch(
        "CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT); CREATE TABLE tags (note INTEGER, tag TEXT);
         INSERT INTO notes (body) VALUES ('groceries');",
    )
    .unwrap();
    drop(conn);
    let refusal = format!(
        "engage: error: {} is not an engage database: it holds another program's tables (notes, tags); engage leaves it \
         untouched\n",
        net.db.display()
    );
    refused_by_every_command(&net, &refusal, "another program's tables");
    let tables = tables(&net.conn());
    assert_eq!(tables.len(), 2, "{tables:?}");
}

#[test]
fn a_file_marked_as_another_programs_is_refused_by_every_command_and_left_alone() {
    // engage's own tables, but another program's mark: the mark decides.
    let net = Network::on_file();
    net.request(&[]);
    let conn = net.conn();
    conn.pragma_update(None, "application_id", 0x1234_5678).unwrap();
    let _: String = conn.query_row("PRAGMA journal_mode = delete", [], |r| r.get(0)).unwrap();
    drop(conn);
    let refusal = format!(
        "engage: error: {} is not an engage database: it is marked as another program's file (SQLite application_id \
         0x12345678); engage leaves it untouched\n",
        net.db.display()
    );
    refused_by_every_command(&net, &refusal, "another application_id");
}

#[test]
fn a_schema_version_no_engage_writes_is_refused_by_every_command_and_left_alone() {
    for version in [-1, 0] {
        let net = Network::on_file();
        net.request(&[]);
        let conn = net.conn();
        conn.pragma_update(None, "user_version", version).unwrap();
        let _: String = conn.query_row("PRAGMA journal_mode = delete", [], |r| r.get(0)).unwrap();
        drop(conn);
        let refusal = format!(
            "engage: error: {} has the schema version {version}, which no engage writes: it is damaged or not \
             engage's, and engage leaves it untouched\n",
            net.db.display()
        );
        refused_by_every_command(&net, &refusal, &format!("user_version {version}"));
    }
}

#[test]
fn an_sqlite_file_without_tables_is_a_new_database_marked_as_engages() {
    let net = Network::on_file();
    let conn = rusqlite::Connection::open(&net.db).unwrap();
    conn.execute_batch("CREATE TABLE scratch (x); DROP TABLE scratch;").unwrap();
    drop(conn);
    assert!(fs::metadata(&net.db).unwrap().len() > 0);
    net.ok(&["request", "list"]);
    let fresh = Network::on_file();
    fresh.ok(&["request", "list"]);
    assert_eq!(tables(&net.conn()), tables(&fresh.conn()));
    let mark: i32 = net.conn().query_row("PRAGMA application_id", [], |r| r.get(0)).unwrap();
    assert_eq!(mark, engage::db::migrate::APPLICATION_ID);
}

#[test]
fn a_file_of_schema_version_1_is_upgraded_to_what_a_new_file_is_and_keeps_its_rows() {
    // tests/data/db/engage-v1.db: a network as the engage of schema version 1 left it (no
    // application_id); see its SOURCE.md.
    let net = Network::on_file();
    let fixture = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/db/engage-v1.db");
    fs::copy(&fixture, &net.db).unwrap();
    let old = net.conn();
    let version: i64 = old.query_row("PRAGMA user_version", [], |r| r.get(0)).unwrap();
    let mark: i32 = old.query_row("PRAGMA application_id", [], |r| r.get(0)).unwrap();
    assert_eq!((version, mark), (1, 0), "the fixture is what version 1 wrote");
    let rows = |conn: &rusqlite::Connection| -> Vec<i64> {
        ["partner", "request", "invitation", "score", "decision", "checkin", "event"]
            .iter()
            .map(|t| conn.query_row(&format!("SELECT count(*) FROM {t}"), [], |r| r.get(0)).unwrap())
            .collect()
    };
    // Settings: every one kept with its value (later versions add settings of their own).
    let settings = |conn: &rusqlite::Connection| -> Vec<(String, String)> {
        let mut stmt = conn.prepare("SELECT key, value FROM setting ORDER BY key").unwrap();
        stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?))).unwrap().map(Result::unwrap).collect()
    };
    let before = rows(&old);
    let settings_before = settings(&old);
    drop(old);

    net.ok(&["db", "check"]);
    let fresh = Network::on_file();
    fresh.ok(&["db", "check"]);
    let (upgraded, new) = (net.conn(), fresh.conn());
    assert_eq!(tables(&upgraded), tables(&new), "sqlite_master");
    for pragma in ["user_version", "application_id"] {
        let read =
            |c: &rusqlite::Connection| -> i64 { c.query_row(&format!("PRAGMA {pragma}"), [], |r| r.get(0)).unwrap() };
        assert_eq!(read(&upgraded), read(&new), "{pragma}");
    }
    assert_eq!(rows(&upgraded), before, "every row is kept");
    let settings_after = settings(&upgraded);
    for kept in &settings_before {
        assert!(settings_after.contains(kept), "setting {kept:?} is kept");
    }
    let name: String =
        upgraded.query_row("SELECT value FROM setting WHERE key = 'network_name'", [], |r| r.get(0)).unwrap();
    assert_eq!(name, "Fraser Patient Partners");
    let out = net.ok(&["request", "show", "1", "--format", "json"]);
    assert!(out.contains("\"title\": \"Discharge co-design\""), "{out}");
}

/// Schema 13 keeps each request's domain and level in its tally row for the summary: a file of
/// schema 12 (the same network with the columns and indexes as 12 had them) is upgraded and the
/// summary says of it what it said before.
#[test]
fn the_upgrade_to_schema_13_fills_each_tally_with_its_requests_domain_and_level() {
    let net = Network::on_file();
    let ana = crate::running::partner(&net, "Ana", "Silva", &["--topics", "discharge"]).to_string();
    let req = net.request(&["--domain", "policy", "--level", "system", "--topics", "discharge"]).to_string();
    net.ok(&["recruit", "invite", &req]);
    net.ok(&["recruit", "respond", &req, &ana, "--interested"]);
    net.ok(&["select", "decide", &req, "--select", &ana, "--force"]);
    let before = net.json(&["report", "summary"]);
    assert_eq!(
        before["engagements_by_domain"],
        serde_json::json!([{"domain": "policy", "engagements": 1, "partners": 1}])
    );
    let conn = net.conn();
    conn.execute_batch(
        "ALTER TABLE request_tally DROP COLUMN domain; ALTER TABLE request_tally DROP COLUMN level; \
         DROP INDEX decision_engaged; CREATE INDEX decision_engaged ON decision (request_id) WHERE engaged = 1; \
         DROP INDEX compensation_by_day; DROP INDEX reimbursement_by_day; DROP INDEX partner_card; \
         PRAGMA user_version = 12;",
    )
    .unwrap();
    drop(conn);
    // Reports only read: the file is upgraded by a command that writes, or by db check.
    net.ok(&["db", "check"]);
    let version: i64 = net.conn().query_row("PRAGMA user_version", [], |r| r.get(0)).unwrap();
    assert_eq!(version, engage::db::migrate::MIGRATIONS.len() as i64);
    let kept: (String, String) =
        net.conn().query_row("SELECT domain, level FROM request_tally", [], |r| Ok((r.get(0)?, r.get(1)?))).unwrap();
    assert_eq!(kept, ("policy".to_string(), "system".to_string()));
    assert_eq!(net.json(&["report", "summary"]), before);
}

#[test]
fn a_file_that_is_not_a_database_is_refused() {
    let net = Network::on_file();
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
    let net = Network::on_file();
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
    let net = Network::on_file();
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
    let net = Network::on_file();
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
    let net = Network::on_file();
    net.request(&[]);
    let target = net.path("no/such/folder/copy.db");
    let run = net.run(&["db", "backup", target.to_str().unwrap()]);
    // The sentence names the folder to create, not a temporary file of engage's.
    assert_eq!(
        (run.code, run.stderr),
        (
            2,
            format!(
                "engage: error: {} cannot be written: the folder {} does not exist; create it first or choose another place\n",
                target.display(),
                net.path("no/such/folder").display()
            )
        )
    );
    assert!(!target.exists());
}

#[test]
fn completions_are_printed_for_each_shell() {
    let net = Network::on_file();
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

/// A network imported by an engage before tracking columns were dropped: the upgrade takes the
/// device's columns out of every partner's extra answers and keeps the rest (SPEC §5).
#[test]
fn the_upgrade_takes_tracking_columns_out_of_the_answers_already_imported() {
    let net = Network::on_file();
    let conn = rusqlite::Connection::open(&net.db).unwrap();
    conn.execute_batch(engage::db::migrate::MIGRATIONS[0]).unwrap();
    conn.pragma_update(None, "user_version", 1).unwrap();
    conn.execute(
        "INSERT INTO partner (first_name, email, extra) VALUES \
         ('Olga', 'olga@example.org', '{\"Respondent ID\":\"114477001\",\"IP Address\":\"203.0.113.7\",\"How did you hear?\":\"A friend\"}'), \
         ('Yuki', 'yuki@example.org', '{\"Network ID\":\"3f1c2a9b7e\",\"User-Agent\":\"Mozilla/5.0\",\"Location (latitude)\":\"49.2\",\"Pets\":\"a cat\"}'), \
         ('Bo', 'bo@example.org', '{}')",
        [],
    )
    .unwrap();
    drop(conn);
    net.ok(&["recruit", "list"]);
    let extras: Vec<String> = net
        .conn()
        .prepare("SELECT extra FROM partner ORDER BY id")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(
        extras,
        [r#"{"Respondent ID":"114477001","How did you hear?":"A friend"}"#, r#"{"Pets":"a cat"}"#, "{}"]
    );
}
