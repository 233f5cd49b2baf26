//! The files engage writes besides its database (`--rejects`, `--html`, `db backup`): never the
//! database, its `-wal`, `-shm` or `-journal`, nor the command's input, however they are named;
//! an existing file only with `--force`; a folder, a missing folder or an unwritable place refused
//! before anything changes (SPEC §4). The networks here are files whichever backend the suite runs
//! on: the database's own files are the point.

use crate::support::{Network, mode};
use std::fs;
use std::path::Path;

const SIGNUPS: &str =
    "Email address,First name,Consent to be contacted\nana@example.org,Ana,Yes\nnot-an-address,Bo,Yes\n";

/// A network with one imported partner, and a sign-up file with a new partner and a bad row.
fn network() -> (Network, std::path::PathBuf) {
    let net = Network::on_file();
    net.ok(&["recruit", "add", "--first", "Cy", "--last", "Li", "--email", "cy@example.org"]);
    let signups = net.path("signups.csv");
    fs::write(&signups, SIGNUPS).unwrap();
    (net, signups)
}

/// The binary run in the network's folder with the database named relatively, as a coordinator
/// in that folder would type it.
fn run_in(net: &Network, args: &[&str]) -> (i32, String) {
    let out = net
        .cmd()
        .current_dir(net.dir.path())
        .env_remove("ENGAGE_DB")
        .args(["--db", "engage.db"])
        .args(args)
        .output()
        .unwrap();
    (out.status.code().unwrap_or(-1), String::from_utf8(out.stderr).unwrap())
}

/// What is left in the folder, besides the database and its own files.
fn others(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| !n.starts_with("engage.db") && n != "home")
        .collect();
    names.sort();
    names
}

#[test]
fn rejects_are_never_written_over_the_database_its_log_or_the_file_being_imported() {
    let (net, signups) = network();
    std::os::unix::fs::symlink("engage.db", net.path("link.db")).unwrap();
    fs::hard_link(&net.db, net.path("hard.db")).unwrap();
    let input = fs::read(&signups).unwrap();
    for (name, what) in [
        ("engage.db", "the database itself"),
        ("./engage.db", "the database itself"),
        ("sub/../engage.db", "the database itself"),
        ("link.db", "the database itself"),
        ("hard.db", "the database itself"),
        ("engage.db-wal", "the database's write-ahead log"),
        ("./engage.db-shm", "the database's shared-memory file"),
        ("engage.db-journal", "the database's rollback journal"),
        ("signups.csv", "the file this command reads"),
        ("./signups.csv", "the file this command reads"),
    ] {
        fs::create_dir_all(net.path("sub")).unwrap();
        let before = fs::read(&net.db).unwrap();
        for force in [false, true] {
            let mut args = vec!["recruit", "import", "signups.csv", "--rejects", name];
            if force {
                args.push("--force");
            }
            let (code, stderr) = run_in(&net, &args);
            assert_eq!(
                (code, stderr.as_str()),
                (
                    2,
                    format!("engage: error: --rejects {name} is {what}; choose another file, such as fix-these.csv\n")
                        .as_str()
                ),
                "{args:?}"
            );
            assert!(fs::read(&net.db).unwrap() == before, "{args:?} changed the database");
            assert_eq!(fs::read(&signups).unwrap(), input, "{args:?} changed the input");
            assert_eq!(net.count("partner"), 1, "{args:?}");
            assert!(!net.path("engage.db-journal").exists(), "{args:?}");
        }
    }
    assert_eq!(others(net.dir.path()), ["hard.db", "link.db", "signups.csv", "sub"]);
}

#[test]
fn rejects_into_a_folder_are_refused_before_the_import_and_leave_nothing() {
    let (net, signups) = network();
    fs::create_dir(net.path("adir")).unwrap();
    let before = fs::read(&net.db).unwrap();
    let (code, stderr) = run_in(&net, &["recruit", "import", signups.to_str().unwrap(), "--rejects", "adir"]);
    assert_eq!(
        (code, stderr.as_str()),
        (2, "engage: error: --rejects adir is a folder; give a file name such as fix-these.csv\n")
    );
    assert!(fs::read(&net.db).unwrap() == before);
    assert_eq!(net.count("partner"), 1, "nothing was imported");
    assert_eq!(others(net.dir.path()), ["adir", "signups.csv"], "no partial file holds the rejected rows");
    assert_eq!(fs::read_dir(net.path("adir")).unwrap().count(), 0);

    let (code, stderr) =
        run_in(&net, &["recruit", "import", signups.to_str().unwrap(), "--rejects", "no/such/fix.csv"]);
    assert_eq!(
        (code, stderr.as_str()),
        (
            2,
            "engage: error: --rejects no/such/fix.csv cannot be written: the folder no/such does not exist; create it \
             first or choose another place\n"
        )
    );
    assert_eq!(net.count("partner"), 1);
}

#[test]
fn a_place_engage_cannot_write_is_refused_before_the_import_commits() {
    // Not even root may create a file in /proc.
    let (net, signups) = network();
    let run = net.run(&["recruit", "import", signups.to_str().unwrap(), "--rejects", "/proc/fix-these.csv"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr.starts_with(
            "engage: error: --rejects /proc/fix-these.csv cannot be written: engage cannot create a file in /proc\n  caused by: "
        ),
        "{}",
        run.stderr
    );
    assert!(!run.stderr.contains("engage-partial"), "{}", run.stderr);
    assert_eq!(net.count("partner"), 1, "nothing was imported");
}

#[test]
fn an_existing_rejects_file_is_replaced_only_with_force() {
    let (net, signups) = network();
    let rejects = net.path("fix-these.csv");
    fs::write(&rejects, "yesterday's rejects\n").unwrap();
    let run = net.run(&["recruit", "import", signups.to_str().unwrap(), "--rejects", rejects.to_str().unwrap()]);
    assert_eq!(
        (run.code, run.stderr),
        (
            1,
            format!(
                "engage: error: --rejects {} already exists; choose another name or pass --force to replace it\n",
                rejects.display()
            )
        )
    );
    assert_eq!(fs::read_to_string(&rejects).unwrap(), "yesterday's rejects\n");
    assert_eq!(net.count("partner"), 1, "nothing was imported");

    let run =
        net.run(&["recruit", "import", signups.to_str().unwrap(), "--rejects", rejects.to_str().unwrap(), "--force"]);
    assert_eq!(run.code, 3, "{}", run.stderr);
    assert_eq!(net.count("partner"), 2);
    let written = fs::read_to_string(&rejects).unwrap();
    assert!(
        written.starts_with("Email address,First name,Consent to be contacted,reason\nnot-an-address,Bo,Yes,"),
        "{written}"
    );
    assert_eq!(mode(&rejects), 0o600);
    assert_eq!(others(net.dir.path()), ["fix-these.csv", "signups.csv"]);
}

#[test]
fn a_symbolic_link_is_followed_and_kept() {
    let (net, signups) = network();
    fs::create_dir(net.path("out")).unwrap();
    fs::write(net.path("out/real.csv"), "old\n").unwrap();
    std::os::unix::fs::symlink("out/real.csv", net.path("latest.csv")).unwrap();
    let (code, stderr) =
        run_in(&net, &["recruit", "import", signups.to_str().unwrap(), "--rejects", "latest.csv", "--force"]);
    assert_eq!(code, 3, "{stderr}");
    assert!(fs::symlink_metadata(net.path("latest.csv")).unwrap().file_type().is_symlink());
    assert!(fs::read_to_string(net.path("out/real.csv")).unwrap().contains("not-an-address"));
}

#[test]
fn a_page_is_never_written_over_the_write_ahead_log_and_replaces_a_file_only_with_force() {
    let (net, _) = network();
    // A reader keeps the write-ahead log in place, with committed changes in it.
    let reader = net.conn();
    reader.execute_batch("BEGIN; SELECT count(*) FROM partner;").unwrap();
    net.ok(&["recruit", "add", "--first", "Di", "--last", "Ng", "--email", "di@example.org"]);
    let wal = fs::read(net.path("engage.db-wal")).unwrap();
    for args in [
        vec!["report", "summary", "--html", "engage.db-wal"],
        vec!["report", "participation", "--html", "./engage.db-wal", "--force"],
    ] {
        let (code, stderr) = run_in(&net, &args);
        assert_eq!(
            (code, stderr.as_str()),
            (
                2,
                format!(
                    "engage: error: --html {} is the database's write-ahead log; choose another file, such as summary.html\n",
                    args[3]
                )
                .as_str()
            ),
            "{args:?}"
        );
        assert!(fs::read(net.path("engage.db-wal")).unwrap() == wal, "{args:?}");
    }
    reader.execute_batch("COMMIT").unwrap();
    drop(reader);
    assert_eq!(net.count("partner"), 2, "the committed change is kept");

    let page = net.path("summary.html");
    fs::write(&page, "mine").unwrap();
    let run = net.run(&["report", "summary", "--html", page.to_str().unwrap()]);
    assert_eq!(
        (run.code, run.stdout.as_str(), run.stderr),
        (
            1,
            "",
            format!(
                "engage: error: --html {} already exists; choose another name or pass --force to replace it\n",
                page.display()
            )
        ),
        "refused before the report is printed"
    );
    assert_eq!(fs::read_to_string(&page).unwrap(), "mine");
    net.ok(&["report", "summary", "--html", page.to_str().unwrap(), "--force"]);
    assert!(fs::read_to_string(&page).unwrap().starts_with("<!DOCTYPE html>"));
}

#[test]
fn a_backup_is_never_written_over_the_databases_own_files_even_with_force() {
    let (net, _) = network();
    let before = fs::read(&net.db).unwrap();
    for (name, what) in [
        ("engage.db", "the database itself"),
        ("./engage.db-wal", "the database's write-ahead log"),
        ("engage.db-journal", "the database's rollback journal"),
    ] {
        let (code, stderr) = run_in(&net, &["db", "backup", name, "--force"]);
        assert_eq!(
            (code, stderr.as_str()),
            (2, format!("engage: error: {name} is {what}; choose another file, such as engage-backup.db\n").as_str())
        );
        assert!(fs::read(&net.db).unwrap() == before, "{name}");
    }
    assert!(!net.path("engage.db-journal").exists());
    assert_eq!(others(net.dir.path()), ["signups.csv"]);
}
