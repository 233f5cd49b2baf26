//! Sentences that said the wrong thing, or half of it (issue 11 item 19), each with the exact
//! sentence it says now.

use crate::support::Network;
use std::fs;

#[test]
fn db_check_on_a_damaged_file_says_what_to_do_not_to_run_db_check() {
    let net = Network::on_file();
    net.request(&[]);
    // Every page but the first (the header) overwritten: the schema itself cannot be read.
    let mut bytes = fs::read(&net.db).unwrap();
    let page = usize::from(u16::from_be_bytes([bytes[16], bytes[17]]));
    bytes[page..].fill(0x5a);
    fs::write(&net.db, &bytes).unwrap();
    let run = net.run(&["db", "check"]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr.starts_with(&format!(
            "engage: error: {} is damaged: SQLite cannot read all of it; restore a backup made before the damage\n  \
             caused by: database disk image is malformed\n",
            net.db.display()
        )),
        "{}",
        run.stderr
    );
    // Other commands still point to `db check`.
    let run = net.run(&["request", "list"]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr.starts_with("engage: error: the database file is damaged; run `engage db check`"),
        "{}",
        run.stderr
    );
}

#[test]
fn an_import_whose_only_row_was_rejected_does_not_say_every_row_is_in_the_network() {
    let net = Network::new();
    let file = net.path("signups.csv");
    fs::write(&file, "Email address,First name,Consent to be contacted\nnot-an-address,Bo,Yes\n").unwrap();
    let run = net.run(&["recruit", "import", file.to_str().unwrap(), "--format", "json"]);
    assert_eq!(run.code, 3);
    assert_eq!(
        run.stderr,
        format!(
            "Nothing changed: every row was rejected.\n\
             warning: 1 row was rejected; --rejects OUT.csv writes them to a file to fix and import again.\n\
             Imported: {}: 1 read = 0 new + 0 updated + 0 unchanged + 0 duplicates + 1 rejected.\n",
            file.display()
        )
    );
    // One row in the network and one rejected: the rest is already there.
    fs::write(&file, "Email address,First name,Consent to be contacted\nana@example.org,Ana,Yes\n").unwrap();
    net.ok(&["recruit", "import", file.to_str().unwrap()]);
    fs::write(
        &file,
        "Email address,First name,Consent to be contacted\nana@example.org,Ana,Yes\nnot-an-address,Bo,Yes\n",
    )
    .unwrap();
    let run = net.run(&["recruit", "import", file.to_str().unwrap(), "--format", "json"]);
    assert!(
        // First what to look at, the result's sentence last (issue 13).
        run.stderr.starts_with("Nothing changed: the rows not rejected are already in the network as they are.\n"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_dry_run_with_rejects_says_where_a_real_run_writes_them_and_writes_nothing() {
    let net = Network::new();
    let file = net.path("signups.csv");
    fs::write(
        &file,
        "Email address,First name,Consent to be contacted\nana@example.org,Ana,Yes\nnot-an-address,Bo,Yes\n",
    )
    .unwrap();
    let rejects = net.path("fix-these.csv");
    let run = net.run(&[
        "recruit",
        "import",
        file.to_str().unwrap(),
        "--dry-run",
        "--rejects",
        rejects.to_str().unwrap(),
        "--format",
        "json",
    ]);
    assert_eq!(run.code, 3);
    assert!(
        run.stderr.ends_with(&format!(
            "warning: 1 row was rejected; without --dry-run, --rejects writes them to {}.\n\
             Dry run, nothing was written: {}: 2 read = 1 new + 0 updated + 0 unchanged + 0 duplicates + 1 rejected.\n",
            rejects.display(),
            file.display()
        )),
        "{}",
        run.stderr
    );
    assert!(!rejects.exists());
    assert_eq!(net.count("partner"), 0);
}

#[test]
fn a_negative_number_meets_its_own_check_in_engages_sentence() {
    let net = Network::new();
    net.request(&[]);
    for (args, sentence) in [
        (
            vec!["checkin", "1", "--team", "--hours", "-5"],
            "engage: error: --hours: '-5' is not a number of hours; use digits with at most two decimals, for example 2 or 1.5\n",
        ),
        (vec!["request", "show", "-3"], "engage: error: '-3' is not an id; ids are whole numbers such as 12\n"),
        (
            vec!["request", "edit", "1", "--seats", "-2"],
            "engage: error: --seats: '-2' is not a number of seats; use a whole number from 1 to 1000\n",
        ),
        (
            vec!["checkin", "due", "--within", "-1"],
            "engage: error: --within: '-1' is not a number of days ahead; use a whole number from 0 to 365\n",
        ),
        (
            vec!["request", "list", "--format", "xml"],
            "engage: error: --format: 'xml' is not one of table, csv or json\n",
        ),
    ] {
        let run = net.run(&args);
        assert_eq!((run.code, run.stderr.as_str(), run.stdout.as_str()), (2, sentence, ""), "{args:?}");
    }
    assert_eq!(net.count("checkin"), 0);
}

#[test]
fn every_command_group_has_an_example_in_its_help() {
    let net = Network::new();
    for group in ["request", "recruit", "select", "checkin", "close", "report", "config", "db"] {
        let help = net.ok(&[group, "--help"]);
        assert!(help.contains("\nExample"), "engage {group} --help has no example:\n{help}");
        assert!(help.lines().any(|l| l.starts_with(&format!("  engage {group} "))), "engage {group} --help:\n{help}");
    }
    let help = net.ok(&["--help"]);
    assert!(
        help.contains("  engage report reminders            # what is due today; prints nothing when nothing is due\n"),
        "{help}"
    );
}
