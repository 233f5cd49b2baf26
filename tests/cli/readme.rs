//! The README's first-session walk-through, run command by command, so it stays true.

use crate::support::Network;

/// `$ engage …` lines between the walk-through markers, each with the output lines written under it.
fn walkthrough() -> Vec<(Vec<String>, Vec<String>)> {
    let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    let start = readme.find("<!-- walkthrough:start -->").unwrap();
    let end = readme.find("<!-- walkthrough:end -->").unwrap();
    let mut steps: Vec<(Vec<String>, Vec<String>)> = Vec::new();
    for line in readme[start..end].lines() {
        if let Some(command) = line.strip_prefix("$ ") {
            let words = shell_words::split(command).unwrap();
            assert_eq!(words[0], "engage", "{line}");
            steps.push((words[1..].to_vec(), Vec::new()));
        } else if !line.starts_with("```") && !line.starts_with("<!--") && !line.is_empty() {
            steps.last_mut().unwrap().1.push(line.to_string());
        }
    }
    steps
}

#[test]
fn the_first_session_works_as_written() {
    let net = Network::new();
    let steps = walkthrough();
    assert!(steps.len() >= 5);
    for (args, expected) in steps {
        let output = net.cmd().current_dir(net.dir.path()).args(&args).output().unwrap();
        let stdout = String::from_utf8(output.stdout).unwrap();
        assert_eq!(output.status.code(), Some(0), "engage {args:?}\n{}", String::from_utf8_lossy(&output.stderr));
        if !expected.is_empty() {
            assert_eq!(stdout.lines().collect::<Vec<_>>(), expected, "engage {args:?}");
        }
    }
    assert!(net.path("engage-backup.db").exists());
}
