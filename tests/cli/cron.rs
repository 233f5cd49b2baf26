//! `examples/crontab` as cron runs it: each job's command in /bin/sh with only the environment
//! cron gives (HOME, LOGNAME, SHELL) and the crontab's own variables, the example's home
//! directory and ~/.cargo/bin standing for a temporary home and the engage under test. What a job
//! prints is what cron would mail.

use crate::support::Network;
use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;

const EXAMPLE_HOME: &str = "/home/coordinator";

struct Crontab {
    variables: BTreeMap<String, String>,
    /// (the five time fields, the command)
    jobs: Vec<(String, String)>,
}

fn crontab() -> Crontab {
    let text = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/crontab")).unwrap();
    let mut variables = BTreeMap::new();
    let mut jobs = Vec::new();
    for line in text.lines().map(str::trim).filter(|l| !l.is_empty() && !l.starts_with('#')) {
        let first = line.split_whitespace().next().unwrap();
        if let Some((name, value)) = line.split_once('=').filter(|_| first.contains('=')) {
            variables.insert(name.trim().to_string(), value.trim().to_string());
        } else {
            let mut rest = line;
            let mut time = Vec::new();
            for _ in 0..5 {
                let field = rest.trim_start();
                let end = field.find(char::is_whitespace).unwrap_or_else(|| panic!("not a crontab line: {line}"));
                time.push(&field[..end]);
                rest = &field[end..];
            }
            let (time, command) = (time.join(" "), rest.trim());
            assert!(!command.contains('%'), "cron turns % into a new line: {command}");
            jobs.push((time, command.to_string()));
        }
    }
    Crontab { variables, jobs }
}

impl Crontab {
    /// The job whose command starts with `start`.
    fn job(&self, start: &str) -> &str {
        &self.jobs.iter().find(|(_, c)| c.starts_with(start)).unwrap_or_else(|| panic!("no job `{start}`")).1
    }

    /// Runs `command` as cron would, in `home`, on `today`; returns (exit code, what it printed).
    fn run(&self, command: &str, home: &Path, today: &str) -> (i32, String) {
        let engage = assert_cmd::cargo::cargo_bin("engage");
        let bin = engage.parent().unwrap().to_str().unwrap();
        let home = home.to_str().unwrap();
        let mut cmd = Command::new("/bin/sh");
        cmd.env_clear()
            .env("HOME", home)
            .env("LOGNAME", "coordinator")
            .env("SHELL", "/bin/sh")
            .env("ENGAGE_TODAY", today)
            .current_dir(home);
        for (name, value) in &self.variables {
            let value = value.replace(&format!("{EXAMPLE_HOME}/.cargo/bin"), bin).replace(EXAMPLE_HOME, home);
            cmd.env(name, value);
        }
        let output = cmd.arg("-c").arg(command).output().unwrap();
        let mut printed = String::from_utf8(output.stdout).unwrap();
        printed.push_str(&String::from_utf8(output.stderr).unwrap());
        (output.status.code().unwrap_or(-1), printed)
    }
}

#[test]
fn the_readme_shows_the_example_crontab_as_it_is() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let example = std::fs::read_to_string(root.join("examples/crontab")).unwrap();
    let lines: Vec<&str> = example.lines().filter(|l| !l.trim().is_empty() && !l.starts_with('#')).collect();
    let readme = std::fs::read_to_string(root.join("README.md")).unwrap();
    let block = readme.split("```crontab\n").nth(1).and_then(|b| b.split("```").next()).unwrap();
    let shown: Vec<&str> = block.lines().filter(|l| !l.trim().is_empty()).collect();
    assert_eq!(shown, lines, "the README's crontab differs from examples/crontab");
}

#[test]
fn the_example_crontab_mails_only_news() {
    let tab = crontab();
    assert!(tab.variables.get("MAILTO").is_some_and(|m| m.contains('@')));
    assert_eq!(
        tab.variables.get("ENGAGE_DB").map(String::as_str),
        Some("/home/coordinator/.local/share/engage/engage.db"),
        "the default database, as the README says"
    );
    let morning = tab.job("engage report reminders");
    let nightly = tab.job("engage recruit import");
    assert_eq!(tab.jobs.len(), 2);
    assert_eq!(tab.jobs[0].0, "0 7 * * 1-5");

    let net = Network::new();
    let home = net.path("home");
    let signups = home.join("signups");
    std::fs::create_dir_all(&signups).unwrap();
    let db = home.join(".local/share/engage/engage.db");
    let export = signups.join("form-export.csv");
    let example =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/signups/google-forms.csv"))
            .unwrap();

    // No database yet: the morning reminder says so (news worth a mail), and creates nothing.
    let (code, mail) = tab.run(morning, &home, "2026-11-23");
    assert_eq!(code, 1);
    assert!(mail.starts_with("engage: error: there is no database at "), "{mail}");
    assert!(!db.exists());

    // The first night imports the form's export, in the default database, and mails nothing.
    std::fs::write(&export, &example).unwrap();
    let (code, mail) = tab.run(nightly, &home, "2026-11-23");
    assert_eq!((code, mail.as_str()), (0, ""));
    assert!(db.exists());
    let log = std::fs::read_to_string(signups.join("last-import.log")).unwrap();
    assert!(log.contains("5 read = 4 new + 0 updated + 0 unchanged + 1 duplicate + 0 rejected"), "{log}");
    // The next night, the same export again: nothing changes, nothing is mailed.
    let (code, mail) = tab.run(nightly, &home, "2026-11-24");
    assert_eq!((code, mail.as_str()), (0, ""));
    assert!(std::fs::read_to_string(signups.join("last-import.log")).unwrap().contains("Nothing changed"));
    // A row that cannot be read: the rest is imported, the row is kept to fix, and a mail says so.
    let bad = "2026/11/24 9:00:00 AM GMT-8,not-an-address,Zed,Quinn,,,,,,,,,,,,,Yes,No,\n";
    std::fs::write(&export, format!("{example}{bad}")).unwrap();
    let (code, mail) = tab.run(nightly, &home, "2026-11-25");
    assert_eq!(code, 0, "the job itself succeeds: cron has nothing to add");
    assert!(mail.starts_with("engage recruit import exited 3 (3: rows rejected, see "), "{mail}");
    assert!(mail.contains("warning: 1 row was rejected"), "{mail}");
    let rejected = std::fs::read_to_string(signups.join("rejected.csv")).unwrap();
    assert!(rejected.lines().nth(1).unwrap().starts_with("2026/11/24 9:00:00 AM GMT-8,not-an-address,Zed,"));

    // Mornings: nothing due, no mail at all; a request waiting for review, a mail that says so.
    let (code, mail) = tab.run(morning, &home, "2026-11-25");
    assert_eq!((code, mail.as_str()), (0, ""));
    let request = "engage request new --title 'ER wayfinding' --org 'Interior Health' --contact-name 'Sam Roy' \
                   --contact-email sam.roy@example.org --way consult";
    let (code, _) = tab.run(request, &home, "2026-11-25");
    assert_eq!(code, 0);
    let (code, mail) = tab.run(morning, &home, "2026-12-01");
    assert_eq!(code, 0);
    assert!(mail.starts_with("1 reminder on 2026-12-01, 1 overdue.\n\nRequests awaiting review (1)\n"), "{mail}");
}
