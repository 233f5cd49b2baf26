//! Every command says what it does with an example, and every flag says what it is for: the
//! whole clap tree is walked, so a command or flag added later without them fails here.

/// The commands (`engage request new`) and flags (`engage request new --starts`) that lack
/// them, walking the tree from `command`.
fn missing(command: &clap::Command, path: &str, found: &mut Vec<String>) {
    let examples = command.get_after_help().map(|h| h.to_string()).unwrap_or_default();
    let shows_itself = examples.lines().any(|line| {
        let line = line.trim_start();
        line == path || line.starts_with(&format!("{path} "))
    });
    if !examples.starts_with("Example") || !shows_itself {
        found.push(format!("`{path}` has no example (after_help = \"Examples:\\n  {path} ...\")"));
    }
    if command.get_about().is_none() {
        found.push(format!("`{path}` has no description"));
    }
    for arg in command.get_arguments() {
        if arg.is_hide_set() || ["help", "version"].contains(&arg.get_id().as_str()) {
            continue;
        }
        let named = match (arg.get_long(), arg.get_short()) {
            (Some(long), _) => format!("--{long}"),
            (None, Some(short)) => format!("-{short}"),
            (None, None) => format!("<{}>", arg.get_id().as_str().to_uppercase()),
        };
        let help = arg.get_help().map(|h| h.to_string()).unwrap_or_default();
        if help.trim().is_empty() {
            found.push(format!("`{path} {named}` has no help text"));
        }
    }
    for sub in command.get_subcommands() {
        if sub.is_hide_set() || sub.get_name() == "help" {
            continue;
        }
        missing(sub, &format!("{path} {}", sub.get_name()), found);
    }
}

#[test]
fn every_command_has_an_example_and_every_flag_a_help_text() {
    let mut found = Vec::new();
    missing(&engage::cli::command(), "engage", &mut found);
    assert!(found.is_empty(), "{} missing:\n{}", found.len(), found.join("\n"));
}

/// Every command's man page name, as `engage manual` names them: `engage-request-new.1`.
fn page_names(command: &clap::Command, name: &str, names: &mut Vec<String>) {
    names.push(format!("{name}.1"));
    for sub in command.get_subcommands().filter(|s| !s.is_hide_set() && s.get_name() != "help") {
        page_names(sub, &format!("{name}-{}", sub.get_name()), names);
    }
}

fn listed(dir: &std::path::Path) -> Vec<String> {
    let mut names: Vec<String> =
        std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    names.sort();
    names
}

/// Issue 13: `engage manual DIR` writes one roff page per command and subcommand, each naming
/// its flags, into a folder it creates; files it writes follow SPEC §4.
#[test]
fn manual_writes_a_roff_page_per_command_naming_its_flags() {
    let net = crate::support::Network::new();
    let dir = net.path("share/man/man1");
    let run = net.run(&["manual", dir.to_str().unwrap()]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let mut expected = Vec::new();
    page_names(&engage::cli::command(), "engage", &mut expected);
    expected.sort();
    assert_eq!(listed(&dir), expected);
    for page in ["engage.1", "engage-request.1", "engage-request-new.1", "engage-select-decide.1", "engage-manual.1"] {
        assert!(expected.contains(&page.to_string()), "{page}");
    }
    assert_eq!(
        run.stderr,
        format!(
            "Wrote {} man pages to {} (engage.1, engage-request.1, …), a folder engage created.\n",
            expected.len(),
            dir.display()
        )
    );
    let page = std::fs::read_to_string(dir.join("engage-request-new.1")).unwrap();
    let version = env!("CARGO_PKG_VERSION");
    assert!(page.contains(&format!("\n.TH engage-request-new 1  \"engage {version}\" engage\n")), "{page}");
    // The examples of --help are on the page too.
    assert!(page.contains("engage request new \\-\\-title"), "{page}");
    for section in [".SH NAME", ".SH SYNOPSIS", ".SH OPTIONS"] {
        assert!(page.contains(section), "{section}\n{page}");
    }
    for flag in ["\\-\\-title", "\\-\\-starts", "\\-\\-ends", "\\-\\-contact\\-phone", "\\-\\-meeting"] {
        assert!(page.contains(flag), "{flag}\n{page}");
    }
    assert!(page.contains("first day"), "{page}");
    assert!(!page.contains("format\\-of"), "{page}");
    let top = std::fs::read_to_string(dir.join("engage.1")).unwrap();
    assert!(top.contains("engage\\-request(1)") || top.contains("engage\\-request"), "{top}");
    // Man pages are no one's data: readable by all, as man pages are. No database was made.
    use std::os::unix::fs::PermissionsExt;
    assert_eq!(std::fs::metadata(dir.join("engage.1")).unwrap().permissions().mode() & 0o777, 0o644);
    assert!(!net.db.exists());

    // Again: the pages there are not replaced without --force, and none is touched.
    std::fs::write(dir.join("engage-request-new.1"), "edited by hand\n").unwrap();
    let again = net.run(&["manual", dir.to_str().unwrap()]);
    assert_eq!(again.code, 1);
    assert_eq!(
        again.stderr,
        format!(
            "engage: error: {} already exists; choose another name or pass --force to replace it\n",
            dir.join("engage.1").display()
        )
    );
    assert_eq!(std::fs::read_to_string(dir.join("engage-request-new.1")).unwrap(), "edited by hand\n");
    assert_eq!(listed(&dir), expected);
    let forced = net.run(&["manual", dir.to_str().unwrap(), "--force"]);
    assert_eq!(forced.code, 0, "{}", forced.stderr);
    assert_eq!(std::fs::read_to_string(dir.join("engage-request-new.1")).unwrap(), page);
}

/// SPEC §4: never over the database, under any page's name; a folder made for the pages goes
/// again when they are refused; a file is not a folder.
#[test]
fn manual_never_writes_over_the_database_and_refuses_a_file_for_a_folder() {
    let net = crate::support::Network::new();
    let dir = net.path("new/man1");
    let db = dir.join("engage-request.1");
    let run = net.run(&["--db", db.to_str().unwrap(), "manual", dir.to_str().unwrap(), "--force"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert_eq!(
        run.stderr,
        format!(
            "engage: error: {} holds the database, engage-request.1; give the man pages a folder of their own\n",
            dir.display()
        )
    );
    assert!(!net.path("new").exists());

    let file = net.path("notes.txt");
    std::fs::write(&file, "mine\n").unwrap();
    let run = net.run(&["manual", file.to_str().unwrap()]);
    assert_eq!(run.code, 2);
    assert_eq!(
        run.stderr,
        format!(
            "engage: error: {} is a file, not a folder; give a folder for the man pages, such as ~/.local/share/man/man1\n",
            file.display()
        )
    );
    assert_eq!(std::fs::read_to_string(&file).unwrap(), "mine\n");
}
