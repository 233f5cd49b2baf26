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
