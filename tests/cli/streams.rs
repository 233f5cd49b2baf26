//! Imports from a stream: `-` (standard input), a FIFO, a device. They meet the limits a file
//! does (SPEC §5), so `/dev/zero` is refused at once instead of being read forever. Every run here
//! has a deadline: a stream read forever fails the test instead of hanging it.

use crate::support::Network;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

/// Long enough for a debug build on a busy machine; a stream read forever never ends at all.
const DEADLINE: Duration = Duration::from_secs(60);

/// Runs `cmd` (its stdin already set) and returns its output, or fails the test at the deadline.
fn within_deadline(mut cmd: Command) -> Output {
    let mut child = cmd.stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().unwrap();
    let start = Instant::now();
    loop {
        if child.try_wait().unwrap().is_some() {
            return child.wait_with_output().unwrap();
        }
        if start.elapsed() > DEADLINE {
            let _ = child.kill();
            let _ = child.wait();
            panic!("engage was still reading after {DEADLINE:?}: a stream must be refused, not read forever");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

fn engage(net: &Network, args: &[&str]) -> Command {
    let mut cmd = net.terminal_command(args);
    cmd.env_remove("TERM");
    cmd
}

fn fifo(net: &Network) -> PathBuf {
    let path = net.path("signups.fifo");
    let status = Command::new("mkfifo").arg(&path).status().unwrap();
    assert!(status.success(), "mkfifo");
    path
}

/// Feeds the FIFO from `/dev/zero` in another process until the reader goes away.
fn feed_from_dev_zero(fifo: &Path) -> std::process::Child {
    Command::new("sh").args(["-c", "cat /dev/zero > \"$0\" 2>/dev/null", fifo.to_str().unwrap()]).spawn().unwrap()
}

fn assert_refused(out: &Output, shown: &str) {
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(
        (out.status.code(), stderr.as_ref()),
        (
            Some(1),
            format!(
                "engage: error: {shown} holds NUL bytes (line 1): it is not a text CSV file, or it is UTF-16; save it as \
                 'CSV UTF-8'; nothing was imported\n"
            )
            .as_str()
        )
    );
}

#[test]
fn a_fifo_fed_from_dev_zero_is_refused_at_once() {
    let net = Network::new();
    let fifo = fifo(&net);
    for args in [
        vec!["recruit", "import", fifo.to_str().unwrap()],
        vec!["recruit", "respond", "1", "--import", fifo.to_str().unwrap()],
    ] {
        let mut writer = feed_from_dev_zero(&fifo);
        let out = within_deadline(engage(&net, &args));
        assert_refused(&out, &fifo.display().to_string());
        writer.kill().ok();
        writer.wait().unwrap();
    }
    assert!(!net.db.exists(), "the import is refused before the database is opened");
}

#[test]
fn dev_zero_as_a_file_or_as_standard_input_is_refused_at_once() {
    let net = Network::new();
    for args in [vec!["recruit", "import", "/dev/zero"], vec!["recruit", "respond", "1", "--import", "/dev/zero"]] {
        let out = within_deadline(engage(&net, &args));
        assert_refused(&out, "/dev/zero");
    }
    for args in [vec!["recruit", "import", "-"], vec!["recruit", "respond", "1", "--import", "-"]] {
        let mut cmd = engage(&net, &args);
        cmd.stdin(std::fs::File::open("/dev/zero").unwrap());
        let out = within_deadline(cmd);
        assert_refused(&out, "standard input");
    }
    assert!(!net.db.exists());
}

#[test]
fn a_stream_with_an_endless_line_is_refused_at_the_line_cap() {
    let net = Network::new();
    let fifo = fifo(&net);
    let path = fifo.clone();
    // Written from here: a header, then one line that never ends, until engage stops reading.
    let writer = std::thread::spawn(move || {
        let mut f = std::fs::OpenOptions::new().write(true).open(&path).unwrap();
        let mut written = 0u64;
        if f.write_all(b"Email address,First name,Consent to be contacted\n").is_err() {
            return written;
        }
        let chunk = vec![b'x'; 1 << 16];
        while f.write_all(&chunk).is_ok() {
            written += chunk.len() as u64;
        }
        written
    });
    let out = within_deadline(engage(&net, &["recruit", "import", fifo.to_str().unwrap()]));
    let written = writer.join().unwrap();
    assert_eq!(
        (out.status.code(), String::from_utf8_lossy(&out.stderr).as_ref()),
        (
            Some(1),
            format!(
                "engage: error: {} has a line longer than 64 MiB (line 2): it is not a sign-up export; nothing was \
                 imported\n",
                fifo.display()
            )
            .as_str()
        )
    );
    assert!(written < 80 << 20, "engage stopped reading soon after the cap ({written} bytes)");
}

#[test]
fn standard_input_is_imported_like_a_file() {
    let net = Network::new();
    let mut cmd = engage(&net, &["recruit", "import", "-", "--format", "json"]);
    cmd.stdin(Stdio::piped()).stdout(Stdio::piped()).stderr(Stdio::piped());
    let mut child = cmd.spawn().unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(b"Email address,First name,Last name,Consent to be contacted\nana@example.org,Ana,Silva,Yes\nbo@example.org,Bo,Li,Yes\n")
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        (report["file"].as_str(), report["read"].as_i64(), report["new"].as_i64()),
        (Some("standard input"), Some(2), Some(2))
    );
    let source: String = net.conn().query_row("SELECT source FROM partner WHERE id = 2", [], |r| r.get(0)).unwrap();
    assert_eq!(source, "stdin:3");
}
