//! A temporary network for each test: its own database file, a pinned day, a pinned user, and
//! never the home directory.
//!
//! With `ENGAGE_TEST_BACKEND=pg` (and `ENGAGE_TEST_PG` naming a server), each test's network is a
//! fresh database of its own on that server instead of a file, so the whole suite runs a second
//! time there (`.ci/run` does). Rows are then read back through a copy of the server's database
//! in a file (`engage db copy`, [`Network::conn`]), and written with [`Network::exec`].

use assert_cmd::Command;
use engage::prompt::ScriptedPrompter;
use engage::{Env, Exit};
use rusqlite::Connection;
use std::path::{Path, PathBuf};
use tempfile::TempDir;

pub const TODAY: &str = "2026-11-23";

pub struct Network {
    pub dir: TempDir,
    pub db: PathBuf,
    pub today: String,
    /// The server's database, on the server backend; dropped with the network.
    pub server: Option<crate::server::FreshDatabase>,
    snapshots: std::sync::atomic::AtomicU32,
}

/// Whether this run of the suite puts each network on a PostgreSQL server.
pub fn on_server() -> bool {
    std::env::var("ENGAGE_TEST_BACKEND").is_ok_and(|v| v == "pg")
}

pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Network {
    pub fn new() -> Network {
        if on_server() {
            let server = crate::server::FreshDatabase::new()
                .expect("ENGAGE_TEST_BACKEND=pg needs ENGAGE_TEST_PG to name a PostgreSQL server");
            return Network::on(server);
        }
        Network::on_file()
    }

    /// A network in a file, whichever backend the suite runs on (the differential tests compare
    /// one with [`Network::on`]).
    pub fn on_file() -> Network {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("engage.db");
        Network { dir, db, today: TODAY.to_string(), server: None, snapshots: Default::default() }
    }

    /// A network in this fresh database on the test server.
    pub fn on(server: crate::server::FreshDatabase) -> Network {
        let dir = tempfile::tempdir().unwrap();
        let db = PathBuf::from(server.url(""));
        Network { dir, db, today: TODAY.to_string(), server: Some(server), snapshots: Default::default() }
    }

    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    /// The real binary, pinned: this database, this day, user `coordinator`, a home of its own.
    pub fn cmd(&self) -> Command {
        Command::from_std(self.pinned())
    }

    /// The real binary, pinned as `cmd` is, for a pseudo-terminal: a plain `std::process::Command`
    /// (what rexpect spawns) with a terminal type.
    pub fn terminal_command(&self, args: &[&str]) -> std::process::Command {
        let mut cmd = self.pinned();
        cmd.env("TERM", "xterm").args(args);
        cmd
    }

    /// The one place the test environment is set: nothing from the surroundings but `PATH`.
    fn pinned(&self) -> std::process::Command {
        let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_engage"));
        cmd.env_clear()
            .env("ENGAGE_DB", &self.db)
            .env("ENGAGE_TODAY", &self.today)
            .env("USER", "coordinator")
            .env("HOME", self.dir.path().join("home"))
            .env("NO_COLOR", "1")
            .env("PATH", std::env::var_os("PATH").unwrap_or_default());
        cmd
    }

    /// Runs the binary and returns its exit code and outputs.
    pub fn run(&self, args: &[&str]) -> Run {
        let output = self.cmd().args(args).output().unwrap();
        Run {
            code: output.status.code().unwrap_or(-1),
            stdout: String::from_utf8(output.stdout).unwrap(),
            stderr: String::from_utf8(output.stderr).unwrap(),
        }
    }

    /// Runs the binary and insists it succeeded; returns standard output.
    pub fn ok(&self, args: &[&str]) -> String {
        let run = self.run(args);
        assert_eq!(run.code, 0, "engage {args:?} failed:\n{}", run.stderr);
        run.stdout
    }

    /// Runs in process, as on a terminal, with these answers ready for the prompts.
    pub fn at_terminal(
        &self,
        args: &[&str],
        answers: &[&str],
    ) -> (Result<Exit, engage::error::Error>, Run, ScriptedPrompter) {
        let mut env = Env::pinned(&self.db, &self.today);
        env.stdin_tty = true;
        env.stdout_tty = true;
        let mut prompter = ScriptedPrompter::new(answers.iter().copied());
        let (result, run) = self.in_process_with(args, &env, &mut prompter);
        (result, run, prompter)
    }

    pub fn in_process_with(
        &self,
        args: &[&str],
        env: &Env,
        prompter: &mut ScriptedPrompter,
    ) -> (Result<Exit, engage::error::Error>, Run) {
        let cli = engage::cli::parse(std::iter::once("engage").chain(args.iter().copied())).unwrap();
        let mut out = Vec::new();
        let mut err = Vec::new();
        let result = engage::run(cli, env, &mut out, &mut err, prompter);
        let code = match &result {
            Ok(exit) => i32::from(exit.code()),
            Err(e) => i32::from(e.exit_code()),
        };
        let run = Run { code, stdout: String::from_utf8(out).unwrap(), stderr: String::from_utf8(err).unwrap() };
        (result, run)
    }

    /// The database file, to read rows back. On the server backend, a copy of the server's
    /// database made now by `engage db copy` (opened read-only: a write to it would be lost; use
    /// [`Network::exec`]).
    pub fn conn(&self) -> Connection {
        if self.server.is_none() {
            return Connection::open(&self.db).unwrap();
        }
        let n = self.snapshots.fetch_add(1, std::sync::atomic::Ordering::Relaxed) + 1;
        let copy = self.path(&format!("server-copy-{n}.db"));
        let db = self.db.to_str().unwrap();
        let output = self.cmd().args(["db", "copy", db, copy.to_str().unwrap()]).output().unwrap();
        if !output.status.success() {
            let check = self.cmd().args(["db", "check"]).output().unwrap();
            panic!(
                "db copy of the server's database failed: {}db check on the server says:\n{}{}",
                String::from_utf8_lossy(&output.stderr),
                String::from_utf8_lossy(&check.stdout),
                String::from_utf8_lossy(&check.stderr)
            );
        }
        Connection::open_with_flags(&copy, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY).unwrap()
    }

    /// Whether the network's database was ever created (a file, or engage's tables on the server).
    pub fn created(&self) -> bool {
        match &self.server {
            None => self.db.exists(),
            Some(server) => {
                let mut client = server.client();
                let n: i64 = client
                    .query_one(
                        "SELECT count(*) FROM information_schema.tables WHERE table_schema = current_schema() \
                         AND table_name = 'engage_schema'",
                        &[],
                    )
                    .unwrap()
                    .get(0);
                n > 0
            }
        }
    }

    /// Runs statements that write on the network's database, whichever backend holds it.
    pub fn exec(&self, sql: &str) {
        match &self.server {
            None => self.conn().execute_batch(sql).unwrap(),
            Some(server) => server.client().batch_execute(sql).unwrap(),
        }
    }

    /// Runs one statement with text parameters (`?1`, `?2`, ...) on the network's database,
    /// whichever backend holds it.
    pub fn exec_with(&self, sql: &str, params: &[&str]) {
        if let Err(e) = self.try_exec_with(sql, params) {
            panic!("{sql}: {e}");
        }
    }

    /// The same, giving back what the database said when it refused the statement.
    pub fn try_exec_with(&self, sql: &str, params: &[&str]) -> Result<(), String> {
        match &self.server {
            None => {
                self.conn().execute(sql, rusqlite::params_from_iter(params.iter())).map(drop).map_err(|e| e.to_string())
            }
            Some(server) => {
                // The server numbers its parameters `$1`, `$2`: rewritten as engage's queries are.
                let sql = engage::db::pg::placeholders::to_dollar(sql).map_err(|e| e.to_string())?;
                let values: Vec<&(dyn postgres::types::ToSql + Sync)> =
                    params.iter().map(|p| p as &(dyn postgres::types::ToSql + Sync)).collect();
                server
                    .client()
                    .execute(&sql, &values)
                    .map(drop)
                    .map_err(|e| e.as_db_error().map_or_else(|| e.to_string(), |d| d.message().to_string()))
            }
        }
    }

    /// The database as engage names it in what it says: the file's path, or the server's
    /// address without its password.
    pub fn shown(&self) -> String {
        match engage::db::pg::Location::of(&self.db).unwrap() {
            engage::db::pg::Location::File(path) => path.display().to_string(),
            engage::db::pg::Location::Server(address) => address.to_string(),
        }
    }

    /// The ids `recruit list --search TEXT` finds, in its order.
    pub fn found(&self, text: &str) -> Vec<i64> {
        self.json(&["recruit", "list", "--search", text])
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["id"].as_i64().unwrap())
            .collect()
    }

    /// Rows in a table, or 0 when the database was never created.
    pub fn count(&self, table: &str) -> i64 {
        if !self.created() {
            return 0;
        }
        match &self.server {
            None => self.conn().query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0)).unwrap(),
            Some(server) => server.client().query_one(&format!("SELECT count(*) FROM {table}"), &[]).unwrap().get(0),
        }
    }

    pub fn json(&self, args: &[&str]) -> serde_json::Value {
        let mut all: Vec<&str> = args.to_vec();
        all.extend(["--format", "json"]);
        serde_json::from_str(&self.ok(&all)).unwrap()
    }

    /// A request with the usual fields, any of them replaced by `extra`; returns its id.
    pub fn request(&self, extra: &[&str]) -> i64 {
        self.request_on(&self.today, extra)
    }

    /// The same, recorded on `day`: an engagement's steps come after its request was recorded.
    pub fn request_on(&self, day: &str, extra: &[&str]) -> i64 {
        let usual = [
            ("--title", "Discharge co-design"),
            ("--org", "Fraser Health"),
            ("--contact-name", "Lee Wong"),
            ("--contact-email", "lee.wong@example.org"),
            ("--way", "collaborate"),
        ];
        let mut args = vec!["request", "new"];
        for (flag, value) in usual {
            if !extra.contains(&flag) {
                args.extend([flag, value]);
            }
        }
        args.extend_from_slice(extra);
        let output = self.cmd().env("ENGAGE_TODAY", day).args(&args).output().unwrap();
        assert!(output.status.success(), "request new failed: {}", String::from_utf8_lossy(&output.stderr));
        String::from_utf8(output.stdout).unwrap().trim().parse().unwrap()
    }
}

pub fn mode(path: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}

impl Network {
    /// Selects these partners (who answered the request's invitation) with `engage select decide`,
    /// as if on `decided_on`; `--force` lets a test select more partners than seats.
    pub fn select_on(&self, request: i64, partners: &[i64], decided_on: &str) {
        let ids = partners.iter().map(i64::to_string).collect::<Vec<_>>().join(",");
        let output = self
            .cmd()
            .env("ENGAGE_TODAY", decided_on)
            .args(["select", "decide", &request.to_string(), "--select", &ids, "--force"])
            .output()
            .unwrap();
        assert!(output.status.success(), "select decide failed: {}", String::from_utf8_lossy(&output.stderr));
    }
}
