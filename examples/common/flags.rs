//! The command line of the full-size fault and load runs: one number, then `--name value` pairs.

use std::collections::HashMap;
use std::path::PathBuf;

pub struct Flags {
    /// The one value without a name (rows, seconds), as written.
    pub size: Option<String>,
    named: HashMap<String, String>,
}

impl Flags {
    /// Reads the process's arguments; a name not in `known`, or one without its value, ends the
    /// run with a message.
    pub fn read(known: &[&str]) -> Flags {
        let mut flags = Flags { size: None, named: HashMap::new() };
        let mut args = std::env::args().skip(1);
        while let Some(arg) = args.next() {
            if !arg.starts_with("--") {
                flags.size = Some(arg.replace([',', '_'], ""));
                continue;
            }
            if !known.contains(&arg.as_str()) {
                stop(&format!("{arg} is not a flag of this run; it knows {}", known.join(", ")));
            }
            let value = args.next().unwrap_or_else(|| stop(&format!("{arg} takes a value")));
            flags.named.insert(arg, value);
        }
        flags
    }

    pub fn number<T: std::str::FromStr>(&self, name: &str, default: T) -> T {
        match self.named.get(name) {
            None => default,
            Some(v) => v.replace([',', '_'], "").parse().unwrap_or_else(|_| stop(&format!("{name} takes a number"))),
        }
    }

    pub fn path(&self, name: &str) -> Option<PathBuf> {
        self.named.get(name).map(PathBuf::from)
    }

    /// The `engage` that `--engage` names, or the one beside this example
    /// (`target/<profile>/examples/NAME` → `target/<profile>/engage`).
    pub fn engage(&self) -> PathBuf {
        let engage = self.path("--engage").unwrap_or_else(|| {
            let exe = std::env::current_exe().unwrap_or_default();
            exe.parent().and_then(|p| p.parent()).map(|p| p.join("engage")).unwrap_or_default()
        });
        if !engage.is_file() {
            stop(&format!(
                "{} does not exist; build it first (cargo build --release) or pass --engage PATH",
                engage.display()
            ));
        }
        engage
    }
}

pub fn stop(message: &str) -> ! {
    eprintln!("{message}");
    std::process::exit(2)
}
