//! Faults and load: an import killed at random moments, two writers and a reader at once, a full
//! disk, a read-only file.

use crate::support::Network;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

#[allow(dead_code)]
#[path = "../../examples/common/signups.rs"]
pub(crate) mod signups;

#[path = "../../examples/common/crash.rs"]
mod crash;

#[path = "../../examples/common/pinned.rs"]
pub(crate) mod pinned;

/// The kill test of `examples/kill_import.rs`, small: 5 kills of an import of 20,000 rows.
#[test]
fn an_import_killed_at_random_moments_leaves_all_of_its_rows_or_none() {
    let net = Network::new();
    let setup = crash::Setup {
        engage: PathBuf::from(env!("CARGO_BIN_EXE_engage")),
        dir: net.path("kills"),
        rows: 20_000,
        kills: 5,
        seed: 7,
    };
    let mut lines = Vec::new();
    let figures = crash::run(&setup, &mut |line| lines.push(line.to_string()))
        .unwrap_or_else(|broken| panic!("{broken}\n{}", lines.join("\n")));
    // What an undisturbed import of this file does to this network (the same seed, the same file).
    assert_eq!(
        (figures.baseline_partners, figures.new, figures.updated, figures.rejected),
        (1_927, 19_019, 127, 213),
        "{figures:?}"
    );
    assert_eq!(figures.kills, 5);
    assert_eq!(figures.checks_passed, 5, "{}", lines.join("\n"));
    assert_eq!(figures.left_none + figures.left_all, 5, "{}", lines.join("\n"));
}

#[path = "../../examples/common/contention.rs"]
mod contention;

/// The contention test of `examples/contention.rs`, short: imports, check-ins and the morning
/// reminder side by side on one file for a few seconds.
#[test]
fn two_writers_and_a_reader_never_meet_a_locked_database_and_lose_nothing() {
    let net = Network::new();
    let setup = contention::Setup {
        engage: PathBuf::from(env!("CARGO_BIN_EXE_engage")),
        dir: net.path("contention"),
        seconds: 4.0,
        import_rows: 5_000,
        seed: 7,
    };
    let f = contention::run(&setup).unwrap();
    assert!(f.failures.is_empty(), "{} commands failed; the first: {:?}", f.failures.len(), &f.failures[..1]);
    assert_eq!(f.locked, 0);
    assert!(f.imports >= 1 && f.checkins >= 1 && f.reports >= 1, "{f:?}");
    assert_eq!(f.checkins_found, f.checkins, "{f:?}");
    assert!(f.partners_added > 0, "{f:?}");
    assert_eq!(f.partners_found, f.partners_added, "{f:?}");
    assert!(f.db_check_passed);
}

/// A small filesystem of the test's own (tmpfs), when this user may mount one; unmounted at the end.
struct Mount {
    path: PathBuf,
}

impl Mount {
    fn tmpfs(path: &Path, size: &str) -> Option<Mount> {
        fs::create_dir_all(path).unwrap();
        let mounted = Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={size},mode=0700"), "tmpfs"])
            .arg(path)
            .output()
            .is_ok_and(|o| o.status.success());
        mounted.then(|| Mount { path: path.to_path_buf() })
    }

    fn remount(&self, how: &str) {
        let status = Command::new("mount").args(["-o", &format!("remount,{how}")]).arg(&self.path).status().unwrap();
        assert!(status.success(), "mount -o remount,{how} failed");
    }
}

impl Drop for Mount {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg("-l").arg(&self.path).status();
    }
}

fn is_root() -> bool {
    use std::os::unix::fs::MetadataExt;
    fs::metadata("/proc/self").is_ok_and(|m| m.uid() == 0)
}

/// A network of 290 partners from a 300-row export, and a 5,000-row export to import next.
fn network_and_next_export(net: &Network) -> PathBuf {
    let first = net.path("first.csv");
    signups::generate(&first, 300, 7);
    let run = net.run(&["recruit", "import", first.to_str().unwrap()]);
    assert_eq!(run.code, 3, "{}", run.stderr);
    assert_eq!(net.count("partner"), 290);
    let next = net.path("next.csv");
    signups::generate(&next, 5_000, 8);
    next
}

/// The import failed whole: the database file is as it was, byte for byte, and healthy.
fn left_intact(net: &Network, before: &[u8]) {
    assert!(fs::read(&net.db).unwrap() == before, "the database file changed");
    assert_eq!(net.count("partner"), 290);
    net.ok(&["db", "check"]);
}

#[test]
fn an_import_onto_a_full_disk_fails_in_one_sentence_and_leaves_the_file_as_it_was() {
    let mut net = Network::on_file();
    let disk = net.path("disk");
    let Some(mount) = Mount::tmpfs(&disk, "1m") else {
        // Without the right to mount a small disk, a file size limit (ulimit -f) stands in for
        // one: SQLite's writes fail the same way, past the limit.
        net.db = net.path("engage.db");
        let next = network_and_next_export(&net);
        let before = fs::read(&net.db).unwrap();
        let output = Command::new("sh")
            .env_clear()
            .env("ENGAGE_DB", &net.db)
            .env("ENGAGE_TODAY", &net.today)
            .env("USER", "coordinator")
            .env("HOME", net.path("home"))
            .env("ENGAGE_BIN", env!("CARGO_BIN_EXE_engage"))
            .args([
                "-c",
                "trap '' XFSZ; ulimit -f 1000; exec \"$ENGAGE_BIN\" recruit import \"$0\"",
                next.to_str().unwrap(),
            ])
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(1), "{stderr}");
        assert!(
            stderr.starts_with("engage: error: ") && stderr.lines().next().unwrap().ends_with("; nothing was changed"),
            "{stderr}"
        );
        left_intact(&net, &before);
        return;
    };
    net.db = disk.join("engage.db");
    let next = network_and_next_export(&net);
    let before = fs::read(&net.db).unwrap();
    let full = format!("engage: error: the disk holding {} is full; nothing was changed\n", net.db.display());

    // The import needs more room than the disk has left.
    let rejects = disk.join("rejects.csv");
    let run = net.run(&["recruit", "import", next.to_str().unwrap(), "--rejects", rejects.to_str().unwrap()]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.stderr.starts_with(&full), "{}", run.stderr);
    assert!(!rejects.exists(), "a failed import leaves no rejects file");
    left_intact(&net, &before);

    // A disk with no room at all: not even SQLite's shared-memory file can grow.
    let filler = disk.join("filler");
    let _ = fs::write(&filler, vec![0u8; 2 << 20]);
    let run = net.run(&["recruit", "import", next.to_str().unwrap()]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.stderr.starts_with(&full), "{}", run.stderr);
    fs::remove_file(&filler).unwrap();
    left_intact(&net, &before);
    drop(mount);
}

// Says so on standard error when it skips: a skipped check is not a passed one.
#[allow(clippy::print_stderr)]
#[test]
fn an_import_into_a_read_only_database_fails_in_one_sentence_and_leaves_the_file_as_it_was() {
    let mut net = Network::on_file();
    let disk = net.path("disk");
    let read_only = |db: &Path| {
        format!(
            "engage: error: {} cannot be written: the file, its folder or its disk is read-only; nothing was changed\n",
            db.display()
        )
    };
    if let Some(mount) = Mount::tmpfs(&disk, "16m") {
        net.db = disk.join("engage.db");
        let next = network_and_next_export(&net);
        let before = fs::read(&net.db).unwrap();
        mount.remount("ro");
        let run = net.run(&["recruit", "import", next.to_str().unwrap()]);
        assert_eq!(run.code, 1, "{}", run.stderr);
        assert!(run.stderr.starts_with(&read_only(&net.db)), "{}", run.stderr);
        mount.remount("rw");
        left_intact(&net, &before);
        return;
    }
    if is_root() {
        // Root writes through any file mode; only a read-only mount would stop it.
        eprintln!("skipped: root cannot mount a read-only disk here, and file modes do not stop root");
        return;
    }
    use std::os::unix::fs::PermissionsExt;
    fs::create_dir_all(&disk).unwrap();
    net.db = disk.join("engage.db");
    let next = network_and_next_export(&net);
    let before = fs::read(&net.db).unwrap();
    fs::set_permissions(&net.db, fs::Permissions::from_mode(0o400)).unwrap();
    fs::set_permissions(&disk, fs::Permissions::from_mode(0o500)).unwrap();
    let run = net.run(&["recruit", "import", next.to_str().unwrap()]);
    fs::set_permissions(&disk, fs::Permissions::from_mode(0o700)).unwrap();
    fs::set_permissions(&net.db, fs::Permissions::from_mode(0o600)).unwrap();
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.stderr.starts_with(&read_only(&net.db)), "{}", run.stderr);
    left_intact(&net, &before);
}
