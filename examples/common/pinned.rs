//! The real `engage` binary, pinned as the tests pin it (`tests/cli/support.rs`), for the fault
//! and load runs in `crash.rs` and `contention.rs`.

use std::path::Path;
use std::process::Command;

pub const TODAY: &str = "2026-11-23";

/// `engage` on this database, on TODAY, as user `coordinator`, with a home of its own and
/// nothing else from the environment.
pub fn engage(binary: &Path, db: &Path, home: &Path) -> Command {
    let mut cmd = Command::new(binary);
    cmd.env_clear()
        .env("ENGAGE_DB", db)
        .env("ENGAGE_TODAY", TODAY)
        .env("USER", "coordinator")
        .env("HOME", home)
        .env("NO_COLOR", "1");
    cmd
}
