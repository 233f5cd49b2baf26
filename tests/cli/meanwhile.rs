//! Another engage writes while this one is between reading and writing: what a command checks and
//! what it writes come from one IMMEDIATE transaction, so the other's change is neither lost nor
//! ignored.

use crate::running::{engagement, partner};
use crate::support::{Network, Run};
use engage::prompt::{Prompter, ScriptedPrompter};
use std::time::Duration;

/// Answers like the scripted prompter, and when the question starting with `at` is asked, first
/// runs `sql` through a connection of its own: another engage writing while this one waits.
struct Meanwhile<'a> {
    script: ScriptedPrompter,
    net: &'a Network,
    at: &'static str,
    sql: &'static str,
    done: bool,
}

impl Meanwhile<'_> {
    fn interject(&mut self, prompt: &str) {
        if !self.done && prompt.starts_with(self.at) {
            self.done = true;
            self.net.exec(self.sql);
        }
    }
}

impl Prompter for Meanwhile<'_> {
    fn text(&mut self, prompt: &str, default: Option<&str>) -> engage::prompt::Answer<String> {
        self.interject(prompt);
        self.script.text(prompt, default)
    }
    fn choose(&mut self, prompt: &str, items: &[String], default: usize) -> engage::prompt::Answer<usize> {
        self.interject(prompt);
        self.script.choose(prompt, items, default)
    }
    fn confirm(&mut self, prompt: &str, default: bool) -> engage::prompt::Answer<bool> {
        self.interject(prompt);
        self.script.confirm(prompt, default)
    }
    fn say(&mut self, line: &str) -> std::io::Result<()> {
        self.script.say(line)
    }
}

/// Runs `args` in process as on a terminal, answering `answers`, with `sql` written by another
/// connection when the question starting with `at` comes.
fn at_terminal_meanwhile(net: &Network, args: &[&str], answers: &[&str], at: &'static str, sql: &'static str) -> Run {
    use clap::Parser;
    let mut env = engage::Env::pinned(&net.db, &net.today);
    env.stdin_tty = true;
    env.stdout_tty = true;
    let mut prompter = Meanwhile { script: ScriptedPrompter::new(answers.iter().copied()), net, at, sql, done: false };
    let cli = engage::cli::Cli::try_parse_from(std::iter::once("engage").chain(args.iter().copied())).unwrap();
    let (mut out, mut err) = (Vec::new(), Vec::new());
    let result = engage::run(cli, &env, &mut out, &mut err, &mut prompter);
    assert!(prompter.done, "the other write never ran: {:#?}", prompter.script.transcript);
    let mut stderr = String::from_utf8(err).unwrap();
    let code = match result {
        Ok(exit) => i32::from(exit.code()),
        Err(e) => {
            stderr.push_str(&format!("engage: error: {e}\n"));
            i32::from(e.exit_code())
        }
    };
    Run { code, stdout: String::from_utf8(out).unwrap(), stderr }
}

#[test]
fn a_payment_recorded_while_the_check_in_form_is_answered_refuses_its_hours() {
    let net = Network::new();
    let ana = partner(&net, "Ana", "Silva", &[]);
    engagement(&net, &["--way", "involve", "--starts", "2026-10-01"], &[ana], "2026-09-25");
    net.ok(&["checkin", "1", "--partner", "1", "--on", "2026-10-20", "--hours", "14"]);
    let checkins = net.count("checkin");
    // The form asks how it is going; before it is confirmed, finance records the payment.
    let run = at_terminal_meanwhile(
        &net,
        &["checkin", "1"],
        &["partner 1", "good", "3", "", "", "y"],
        "Record this check-in?",
        "INSERT INTO compensation (request_id, partner_id, method, declined, paid_on, paid_cents) \
         VALUES (1, 1, 'cheque', 0, '2026-11-22', 56000)",
    );
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr.ends_with(
            "engage: error: partner 1 was already paid $560.00 for request 1 on 2026-11-22; hours logged now would \
             not be paid, so log hours before `engage close pay`\n"
        ),
        "{}",
        run.stderr
    );
    assert_eq!(net.count("checkin"), checkins, "the hours were not logged after the payment");
}

#[test]
fn a_request_closed_while_its_cancellation_reason_is_asked_stays_closed() {
    let net = Network::new();
    let ana = partner(&net, "Ana", "Silva", &[]);
    engagement(&net, &["--starts", "2026-10-01"], &[ana], "2026-09-25");
    let run = at_terminal_meanwhile(
        &net,
        &["request", "cancel", "1"],
        &["the unit was reorganized"],
        "Why is",
        "UPDATE request SET status = 'closed', closed_on = '2026-11-22' WHERE id = 1",
    );
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr
            .ends_with("engage: error: request 1 is closed; only a request that has not closed can be cancelled\n"),
        "{}",
        run.stderr
    );
    // Read through engage: the other write went behind its back, so what the reports keep is
    // not worked out for it (a copy of a server's database would refuse it).
    assert_eq!(net.json(&["request", "show", "1"])["status"], "closed");
}

/// Another writer's transaction, begun and holding what it wrote until [`Writing::commit`]: on a
/// file it holds the write lock (IMMEDIATE), on a server the rows it changed.
enum Writing {
    File(rusqlite::Connection),
    Server(postgres::Client),
}

impl Writing {
    fn begin(net: &Network, sql: &str) -> Writing {
        match &net.server {
            None => {
                let conn = rusqlite::Connection::open(&net.db).unwrap();
                conn.execute_batch(&format!("BEGIN IMMEDIATE; {sql};")).unwrap();
                Writing::File(conn)
            }
            Some(server) => {
                let mut client = server.client();
                client.batch_execute(&format!("BEGIN ISOLATION LEVEL SERIALIZABLE; {sql};")).unwrap();
                Writing::Server(client)
            }
        }
    }

    fn commit(self) {
        match self {
            Writing::File(conn) => conn.execute_batch("COMMIT").unwrap(),
            Writing::Server(mut client) => client.batch_execute("COMMIT").unwrap(),
        }
    }
}

/// `recruit edit` started while another engage (a nightly import) holds the write lock, having
/// refreshed the partner's phone: the edit waits for it and keeps its phone.
#[test]
fn recruit_edit_waiting_on_an_import_keeps_what_the_import_wrote() {
    let net = Network::new();
    partner(&net, "Ana", "Silva", &["--phone", "604-555-0100"]);
    let import = Writing::begin(&net, "UPDATE partner SET phone = '604-555-0199' WHERE id = 1");
    use std::process::Stdio;
    let edit = net
        .terminal_command(&["recruit", "edit", "1", "--notes", "prefers evening meetings"])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // The edit starts, and reads whatever it reads, while the import's change is not committed.
    std::thread::sleep(Duration::from_millis(1500));
    import.commit();
    let output = edit.wait_with_output().unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let (phone, notes): (String, String) = net
        .conn()
        .query_row("SELECT phone, notes FROM partner WHERE id = 1", [], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap();
    assert_eq!((phone.as_str(), notes.as_str()), ("604-555-0199", "prefers evening meetings"));
}

/// The same for `request edit`: a change committed while it waited for the lock is kept.
#[test]
fn request_edit_waiting_on_another_write_keeps_what_it_wrote() {
    use std::process::Stdio;
    let net = Network::new();
    net.request(&["--description", "first draft"]);
    let other = Writing::begin(&net, "UPDATE request SET description = 'agreed with the unit' WHERE id = 1");
    let edit = net
        .terminal_command(&["request", "edit", "1", "--seats", "3"])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    std::thread::sleep(Duration::from_millis(1500));
    other.commit();
    let output = edit.wait_with_output().unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let (description, seats): (String, i64) = net
        .conn()
        .query_row("SELECT description, seats FROM request WHERE id = 1", [], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap();
    assert_eq!((description.as_str(), seats), ("agreed with the unit", 3));
}
