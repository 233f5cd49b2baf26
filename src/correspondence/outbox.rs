//! The outbox: one RFC 5322 `.eml` file per message, readable by its owner only, under names engage
//! chooses (`3-outcome-12.eml`, `3-survey-requester.eml`), for a coordinator who sends from their
//! own mail program (Thunderbird, Outlook and Apple Mail open them).
//!
//! As for every file engage writes: never the database's folder or an input's; an existing file is
//! replaced only with `--force`; a missing parent folder or an unwritable place is refused before
//! anything is written. Each file is written beside its name and renamed into place, so none is
//! ever half written.

use super::Kind;
use std::fs::{self, DirBuilder, OpenOptions};
use std::io::Write;
use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt};
use std::path::{Path, PathBuf};

/// `3-outcome-12.eml`; the requester's point of contact is `requester`.
pub fn file_name(request_id: i64, kind: Kind, partner_id: Option<i64>) -> String {
    match partner_id {
        Some(id) => format!("{request_id}-{kind}-{id}.eml"),
        None => format!("{request_id}-{kind}-requester.eml"),
    }
}

fn same_place(a: &Path, b: &Path) -> bool {
    match (fs::canonicalize(a), fs::canonicalize(b)) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    }
}

/// Checks the outbox folder (creating it, 0700, when its parent exists) and that none of `names`
/// is there already unless `force`. `guarded` are the folders of the database and of the command's
/// inputs. With `dry_run` nothing is created.
pub fn prepare(dir: &Path, guarded: &[&Path], names: &[String], force: bool, dry_run: bool) -> Result<(), String> {
    let shown = dir.display();
    if dir.exists() && !dir.is_dir() {
        return Err(format!("--outbox {shown} is a file, not a folder; give a folder for the .eml files"));
    }
    if !dir.exists() {
        let parent = dir.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
        if !parent.is_dir() {
            return Err(format!(
                "--outbox {shown}: the folder {} does not exist; create it first or give another place",
                parent.display()
            ));
        }
        if dry_run {
            return Ok(());
        }
        DirBuilder::new()
            .mode(0o700)
            .create(dir)
            .map_err(|e| format!("--outbox {shown} cannot be created: {e}; give a folder you may write to"))?;
    }
    for place in guarded {
        if same_place(dir, place) {
            return Err(format!(
                "--outbox {shown} is the folder of the database or of the template; give a folder of its own for the .eml files"
            ));
        }
    }
    let existing: Vec<&str> = names.iter().filter(|n| dir.join(n).exists()).map(String::as_str).collect();
    if !existing.is_empty() && !force {
        let shown_names = if existing.len() > 3 {
            format!("{} and {} more", existing[..3].join(", "), existing.len() - 3)
        } else {
            crate::domain::and_list(&existing)
        };
        return Err(format!(
            "{shown} already holds {shown_names}; nothing was written: pass --force to replace {}, or give another --outbox",
            if existing.len() == 1 { "it" } else { "them" }
        ));
    }
    if dry_run {
        return Ok(());
    }
    // Writable at all: a test file, removed at once.
    let probe = dir.join(format!(".engage-outbox-{}", std::process::id()));
    match OpenOptions::new().write(true).create_new(true).mode(0o600).open(&probe) {
        Ok(_) => {
            let _ = fs::remove_file(&probe);
            Ok(())
        }
        Err(e) => Err(format!("--outbox {shown} cannot be written: {e}; nothing was written")),
    }
}

/// Writes one message file (0600) and returns its path.
pub fn write(dir: &Path, name: &str, bytes: &[u8]) -> std::io::Result<PathBuf> {
    let path = dir.join(name);
    let temporary = dir.join(format!(".{name}.{}.part", std::process::id()));
    let result = (|| {
        let mut file = OpenOptions::new().write(true).create(true).truncate(true).mode(0o600).open(&temporary)?;
        file.write_all(bytes)?;
        file.sync_all()?;
        fs::rename(&temporary, &path)
    })();
    if result.is_err() {
        let _ = fs::remove_file(&temporary);
    }
    result.map(|()| path)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    #[test]
    fn files_are_named_by_engage_and_readable_by_their_owner_only() {
        assert_eq!(file_name(3, Kind::LoopClosed, Some(12)), "3-loop-closed-12.eml");
        assert_eq!(file_name(3, Kind::Survey, None), "3-survey-requester.eml");
        let dir = tempfile::tempdir().unwrap();
        let outbox = dir.path().join("outbox");
        prepare(&outbox, &[], &["3-outcome-12.eml".to_string()], false, false).unwrap();
        let path = write(&outbox, "3-outcome-12.eml", b"To: a@example.org\r\n\r\nHi\r\n").unwrap();
        assert_eq!(fs::metadata(&path).unwrap().permissions().mode() & 0o777, 0o600);
        assert_eq!(fs::metadata(&outbox).unwrap().permissions().mode() & 0o777, 0o700);
        assert_eq!(fs::read_dir(&outbox).unwrap().count(), 1);
        let again = prepare(&outbox, &[], &["3-outcome-12.eml".to_string()], false, false).unwrap_err();
        assert!(again.contains("already holds 3-outcome-12.eml; nothing was written: pass --force"), "{again}");
        prepare(&outbox, &[], &["3-outcome-12.eml".to_string()], true, false).unwrap();
    }

    #[test]
    fn the_database_folder_a_file_and_a_missing_parent_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        assert!(prepare(dir.path(), &[dir.path()], &[], false, false).unwrap_err().contains("folder of the database"));
        let file = dir.path().join("engage.db");
        fs::write(&file, b"").unwrap();
        assert!(prepare(&file, &[], &[], false, false).unwrap_err().contains("is a file, not a folder"));
        let deep = dir.path().join("missing/outbox");
        assert!(prepare(&deep, &[], &[], false, false).unwrap_err().contains("does not exist"));
        assert!(!deep.exists());
    }
}
