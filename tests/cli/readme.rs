//! The README's examples, run command by command, so they stay true.

use crate::support::Network;

/// A `$ engage …` line of the README and what is written under it.
pub struct Step {
    args: Vec<String>,
    /// The lines of standard output shown; none shown: not checked.
    output: Vec<String>,
    /// Marked `# prints nothing`: standard output must be empty.
    nothing: bool,
}

impl Step {
    /// Marked `# prints nothing`.
    pub fn is_nothing(&self) -> bool {
        self.nothing
    }
}

/// The steps between `<!-- NAME:start -->` and `<!-- NAME:end -->`.
pub fn block(name: &str) -> Vec<Step> {
    let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    let start = readme.find(&format!("<!-- {name}:start -->")).unwrap();
    let end = readme.find(&format!("<!-- {name}:end -->")).unwrap();
    let mut steps: Vec<Step> = Vec::new();
    for line in readme[start..end].lines() {
        if let Some(command) = line.strip_prefix("$ ") {
            let (command, comment) = command.split_once(" # ").unwrap_or((command, ""));
            let words = shell_words::split(command).unwrap();
            assert_eq!(words[0], "engage", "{line}");
            let nothing = comment.trim().starts_with("prints nothing");
            steps.push(Step { args: words[1..].to_vec(), output: Vec::new(), nothing });
        } else if let Some(step) = steps.last_mut().filter(|_| !line.starts_with("```") && !line.starts_with("<!--")) {
            step.output.push(line.to_string());
        }
    }
    for step in &mut steps {
        while step.output.last().is_some_and(String::is_empty) {
            step.output.pop();
        }
    }
    steps
}

/// Runs the steps in the network's directory, on its day.
pub fn run(net: &Network, steps: &[Step]) {
    for step in steps {
        let output = net.cmd().current_dir(net.dir.path()).args(&step.args).output().unwrap();
        let stdout = String::from_utf8(output.stdout).unwrap();
        let args = &step.args;
        assert_eq!(output.status.code(), Some(0), "engage {args:?}\n{}", String::from_utf8_lossy(&output.stderr));
        if step.nothing {
            assert_eq!(stdout, "", "engage {args:?} should print nothing");
        } else if !step.output.is_empty() {
            // The README cannot show the blank lines an output ends with (`block` trims them).
            let mut lines: Vec<&str> = stdout.lines().collect();
            while lines.last().is_some_and(|l| l.is_empty()) {
                lines.pop();
            }
            assert_eq!(lines, step.output, "engage {args:?}");
        }
    }
}

#[test]
fn the_first_session_works_as_written() {
    let net = Network::on_file();
    let steps = block("walkthrough");
    assert!(steps.len() >= 5);
    run(&net, &steps);
    assert!(net.path("engage-backup.db").exists());
}

#[test]
fn the_report_examples_work_as_written() {
    let net = Network::new();
    std::os::unix::fs::symlink(concat!(env!("CARGO_MANIFEST_DIR"), "/examples"), net.path("examples")).unwrap();
    let steps = block("reports");
    assert!(steps.iter().any(|s| s.nothing));
    run(&net, &steps);
    for page in ["summary.html", "participation.html"] {
        assert!(std::fs::read_to_string(net.path(page)).unwrap().starts_with("<!DOCTYPE html>"));
    }
}

#[test]
fn the_first_command_imports_the_sample_and_prints_the_summary() {
    let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    let first = readme.split("```sh\n").nth(1).and_then(|b| b.lines().next()).unwrap();
    let commands: Vec<&str> = first.split(" && ").collect();
    assert_eq!(commands[0], "cargo install --locked --path .");
    // The rest, with the engage under test, on a database of its own in place of the default.
    let net = Network::new();
    std::os::unix::fs::symlink(concat!(env!("CARGO_MANIFEST_DIR"), "/examples"), net.path("examples")).unwrap();
    let mut last = String::new();
    for command in &commands[1..] {
        let words = shell_words::split(command).unwrap();
        assert_eq!(words[0], "engage");
        let output = net.cmd().current_dir(net.dir.path()).args(&words[1..]).output().unwrap();
        assert_eq!(output.status.code(), Some(0), "{command}\n{}", String::from_utf8_lossy(&output.stderr));
        last = String::from_utf8(output.stdout).unwrap();
    }
    assert_eq!(net.count("partner"), 4);
    assert!(last.contains("| Partners new             | 4          |"), "{last}");
}
