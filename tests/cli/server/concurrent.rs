//! Coordinators writing at once on one server: no write lost, no conflict shown to anyone.

use super::FreshDatabase;
use crate::support::Network;

// The team run's `super::pinned`: the one the fault runs load.
use crate::faults::pinned;
#[path = "../../../examples/common/team.rs"]
mod team;

/// Four coordinators (four threads, each running the real binary one command after another) add
/// requests and partners at the same moment. SERIALIZABLE conflicts on the derived tables are
/// retried inside engage: every command succeeds, every row is there, and `db check` is clean.
/// The full run, four processes of mixed writes and reports, is the next test's (and, for 60
/// seconds, `examples/team.rs`).
#[test]
fn four_coordinators_writing_at_once_lose_nothing_and_see_no_conflict() {
    let Some(server) = FreshDatabase::new() else { return };
    let net = Network::new();
    let url = server.url("");
    net.ok(&["--db", &url, "db", "check"]);
    std::thread::scope(|scope| {
        for who in 0..4 {
            let (net, url) = (&net, &url);
            scope.spawn(move || {
                for n in 0..4 {
                    let title = format!("Request {who}-{n}");
                    let email = format!("partner.{who}.{n}@example.org");
                    for args in [
                        vec![
                            "--db",
                            url,
                            "request",
                            "new",
                            "--title",
                            &title,
                            "--org",
                            "Fraser Health",
                            "--contact-name",
                            "Lee Wong",
                            "--contact-email",
                            "lee.wong@example.org",
                            "--way",
                            "consult",
                        ],
                        vec!["--db", url, "recruit", "add", "--first", "Sam", "--last", &title, "--email", &email],
                    ] {
                        let run = net.run(&args);
                        assert_eq!(run.code, 0, "coordinator {who}: engage {args:?}: {}", run.stderr);
                        assert!(!run.stderr.contains("serializ"), "{}", run.stderr);
                    }
                }
            });
        }
    });
    let requests = net.ok(&["--db", &url, "request", "list", "--format", "csv"]);
    assert_eq!(requests.lines().count(), 1 + 16, "{requests}");
    let partners = net.ok(&["--db", &url, "recruit", "list", "--format", "csv"]);
    assert_eq!(partners.lines().count(), 1 + 16, "{partners}");
    let check = net.run(&["--db", &url, "db", "check"]);
    assert_eq!(check.code, 0, "{}{}", check.stdout, check.stderr);
}

/// Four coordinators, four processes, for a few seconds of requests, partners, check-ins and
/// reports on one server, while two of them take the same decision at the same moment round after
/// round (the same seats, then the same payment): no write lost, no conflict shown, each second
/// decision refused with its sentence, and `db check` clean. `examples/team.rs` is the same for 60
/// seconds.
#[test]
fn four_coordinators_for_a_while_lose_nothing_and_the_same_decision_is_taken_once() {
    let Some(server) = FreshDatabase::new() else { return };
    let dir = tempfile::tempdir().unwrap();
    let setup = team::Setup {
        engage: std::path::PathBuf::from(env!("CARGO_BIN_EXE_engage")),
        db: server.url(""),
        dir: dir.path().to_path_buf(),
        seconds: 6.0,
    };
    let f = team::run(&setup).unwrap();
    assert!(f.seconds >= 6.0 && f.commands > f.writes, "{f:#?}");
    assert!(f.rounds >= 2, "{f:#?}");
    assert!(f.requests > 0 && f.partners > 0 && f.checkins > 0, "{f:#?}");
    assert!(f.whole(), "{f:#?}");
}

/// A sign-up import killed while its partners are going to the server (its COPY, its index of the
/// network, its commit): the server keeps all of it or none of it, as one transaction, and the
/// network is whole afterwards. Kills at three moments, then the import run to its end.
#[test]
fn an_import_killed_on_a_server_leaves_all_of_its_rows_or_none() {
    let Some(whole) = FreshDatabase::new() else { return };
    let Some(killed) = FreshDatabase::new() else { return };
    let (whole, net) = (Network::on(whole), Network::on(killed));
    let file = net.path("signups.csv");
    crate::faults::signups::generate(&file, 20_000, 7);
    let file = file.to_str().unwrap();
    // What the import adds undisturbed, on a database of its own.
    let run = whole.run(&["recruit", "import", file]);
    assert!(run.code == 0 || run.code == 3, "{}", run.stderr);
    let all = whole.count("partner");
    assert!(all > 19_000, "{all}");
    let mut left = Vec::new();
    for delay in [300, 900, 1_800] {
        let mut child = net
            .terminal_command(&["recruit", "import", file])
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(std::time::Duration::from_millis(delay));
        let _ = child.kill();
        let _ = child.wait();
        let partners = net.count("partner");
        assert!(partners == 0 || partners == all, "a kill at {delay} ms left {partners} partners of {all}");
        let check = net.run(&["db", "check"]);
        assert_eq!(check.code, 0, "after a kill at {delay} ms: {}{}", check.stdout, check.stderr);
        left.push(partners);
    }
    let run = net.run(&["recruit", "import", file]);
    assert!(run.code == 0 || run.code == 3, "{}", run.stderr);
    assert_eq!(net.count("partner"), all, "kills left {left:?}");
}
