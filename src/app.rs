//! What every command works with: the environment read once at start (`Env`), the checked
//! global options with the outputs and the prompter (`Ctx`), and how a command that did not fail
//! ended (`Exit`).

use crate::correspondence;
use crate::db::{self, Db};
use crate::domain::Stamp;
use crate::domain::dates::parse_iso_date;
use crate::domain::text::for_terminal;
use crate::error::{Error, Result};
use crate::output::{self, Format, Listing, Record, TableStyle};
use crate::prompt::{self, Prompter};
use chrono::{NaiveDate, NaiveDateTime};
use std::io::Write;
use std::path::PathBuf;

/// How a command that did not fail ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exit {
    /// Everything was done (exit 0).
    Done,
    /// Done in part: an import that rejected some rows (exit 3).
    Partial,
}

impl Exit {
    pub fn code(self) -> u8 {
        match self {
            Exit::Done => 0,
            Exit::Partial => 3,
        }
    }
}

/// Everything engage reads from its surroundings, read in one place (`Env::from_process`) and
/// passed down, so tests can pin all of it.
#[derive(Debug, Clone)]
pub struct Env {
    /// `ENGAGE_DB`.
    pub engage_db: Option<PathBuf>,
    /// The platform's data directory's `engage/engage.db`, when there is a home directory.
    pub default_db: Option<PathBuf>,
    /// `ENGAGE_TODAY`.
    pub engage_today: Option<String>,
    /// The wall clock, read once.
    pub now: NaiveDateTime,
    /// The OS user, for the event log when `ENGAGE_COORDINATOR` is not set.
    pub user: String,
    /// `ENGAGE_COORDINATOR`: the name of the coordinator running engage, for the event log and
    /// the requests they own (a team on one network).
    pub coordinator: Option<String>,
    /// `NO_COLOR` is set.
    pub no_color: bool,
    pub stdin_tty: bool,
    pub stdout_tty: bool,
    pub stderr_tty: bool,
    /// The terminal's width, when standard output is one: tables fit it.
    pub terminal_width: Option<u16>,
    /// `ENGAGE_SMTP_PASSWORD`, for `engage message --send`; never kept in the database.
    pub smtp_password: Option<correspondence::smtp::Password>,
    /// The coordinator's own message templates: the platform configuration directory's
    /// `engage/templates` (on Linux `~/.config/engage/templates`).
    pub templates_dir: Option<PathBuf>,
    /// The terminal's width, when standard error is one: sentences wrap at it.
    pub stderr_width: Option<u16>,
    /// `PGPASSWORD`, for a PostgreSQL server; never kept in the database.
    pub pgpassword: Option<db::pg::Password>,
    /// `PGPASSFILE`, else `~/.pgpass`: a server's password, as PostgreSQL's own programs find it.
    pub pgpass_file: Option<PathBuf>,
}

impl Env {
    pub fn from_process() -> Env {
        use std::io::IsTerminal;
        let var = |name: &str| std::env::var_os(name).filter(|v| !v.is_empty());
        let stdout_tty = std::io::stdout().is_terminal();
        let stderr_tty = std::io::stderr().is_terminal();
        let user = ["USER", "LOGNAME", "USERNAME"]
            .iter()
            .find_map(|name| var(name))
            .map(|v| v.to_string_lossy().into_owned())
            .unwrap_or_else(|| "unknown".to_string());
        Env {
            engage_db: var("ENGAGE_DB").map(PathBuf::from),
            default_db: directories::ProjectDirs::from("", "", "engage").map(|d| d.data_dir().join("engage.db")),
            engage_today: var("ENGAGE_TODAY").map(|v| v.to_string_lossy().into_owned()),
            now: chrono::Local::now().naive_local(),
            user,
            coordinator: var("ENGAGE_COORDINATOR")
                .map(|v| v.to_string_lossy().trim().to_string())
                .filter(|v| !v.is_empty()),
            no_color: var("NO_COLOR").is_some(),
            stdin_tty: std::io::stdin().is_terminal(),
            stdout_tty,
            stderr_tty,
            terminal_width: if stdout_tty { terminal_size::terminal_size().map(|(w, _)| w.0) } else { None },
            smtp_password: var("ENGAGE_SMTP_PASSWORD")
                .map(|v| correspondence::smtp::Password(v.to_string_lossy().into_owned())),
            templates_dir: directories::ProjectDirs::from("", "", "engage").map(|d| d.config_dir().join("templates")),
            stderr_width: if stderr_tty {
                terminal_size::terminal_size_of(std::io::stderr()).map(|(w, _)| w.0)
            } else {
                None
            },
            pgpassword: var("PGPASSWORD").map(|v| db::pg::Password::new(v.to_string_lossy())),
            pgpass_file: var("PGPASSFILE")
                .map(PathBuf::from)
                .or_else(|| directories::BaseDirs::new().map(|d| d.home_dir().join(".pgpass"))),
        }
    }

    /// A pinned environment for tests: this database, this day, user `coordinator`, no terminal.
    pub fn pinned(db: impl Into<PathBuf>, today: &str) -> Env {
        Env {
            engage_db: Some(db.into()),
            default_db: None,
            engage_today: Some(today.to_string()),
            now: NaiveDateTime::default(),
            user: "coordinator".to_string(),
            coordinator: None,
            no_color: true,
            stdin_tty: false,
            stdout_tty: false,
            stderr_tty: false,
            terminal_width: None,
            smtp_password: None,
            templates_dir: None,
            stderr_width: None,
            pgpassword: None,
            pgpass_file: None,
        }
    }
}

/// The global options of the command line (`--db`, `--format`, `--no-input`), as the command
/// line gives them to [`Ctx`].
#[derive(Debug, Clone)]
pub struct Globals {
    pub db: Option<PathBuf>,
    pub format: Format,
    pub no_input: bool,
}

/// What a command works with: the checked global options, the clock, the outputs and, on a
/// terminal, a prompter.
pub struct Ctx<'a> {
    pub format: Format,
    pub today: NaiveDate,
    pub stamp: Stamp,
    pub db_path: PathBuf,
    pub out: &'a mut dyn Write,
    pub err: &'a mut dyn Write,
    /// The coordinator's terminal, behind [`prompt::Escaping`]: every prompt, choice and line
    /// said there is escaped, so a name quoted in a question cannot act on the terminal.
    prompter: Option<prompt::Escaping<'a>>,
    /// Standard error is a terminal: progress bars may be drawn there.
    pub stderr_terminal: bool,
    /// `ENGAGE_SMTP_PASSWORD`.
    pub smtp_password: Option<correspondence::smtp::Password>,
    /// Where a coordinator's own message templates are looked for.
    pub templates_dir: Option<PathBuf>,
    /// `ENGAGE_COORDINATOR`, when set.
    coordinator: Option<String>,
    /// `PGPASSWORD` and the password file, for a database on a server.
    pgpassword: Option<db::pg::Password>,
    pgpass_file: Option<PathBuf>,
    color: bool,
    /// Standard error's width on a terminal: sentences wrap at it.
    err_width: Option<u16>,
    table: TableStyle,
}

impl<'a> Ctx<'a> {
    pub(crate) fn new(
        globals: Globals,
        env: &Env,
        out: &'a mut dyn Write,
        err: &'a mut dyn Write,
        prompter: &'a mut dyn Prompter,
    ) -> Result<Ctx<'a>> {
        let (today, at) = match &env.engage_today {
            Some(text) => {
                let today = parse_iso_date(text.trim()).ok_or_else(|| {
                    Error::Invalid(format!(
                        "ENGAGE_TODAY='{text}' is not a date; set it to YYYY-MM-DD (for example 2026-03-31) or unset it"
                    ))
                })?;
                // A pinned day pins the log's clock too, so back-dated entries read as that day.
                (today, format!("{}T00:00:00", today.format("%Y-%m-%d")))
            }
            None => (env.now.date(), env.now.format("%Y-%m-%dT%H:%M:%S").to_string()),
        };
        let db_path =
            globals.db.or_else(|| env.engage_db.clone()).or_else(|| env.default_db.clone()).ok_or_else(|| {
                Error::Missing(
                    "there is no home directory to keep the database in; pass --db PATH or set ENGAGE_DB".to_string(),
                )
            })?;
        // A server's address is checked before anything else runs: a bad one is a usage error.
        db::pg::Location::of(&db_path)?;
        let interactive = env.stdin_tty && env.stdout_tty && !globals.no_input;
        Ok(Ctx {
            format: globals.format,
            today,
            stamp: Stamp { by: env.coordinator.clone().unwrap_or_else(|| env.user.clone()), at, today },
            coordinator: env.coordinator.clone(),
            db_path,
            out,
            err,
            prompter: if interactive { Some(prompt::Escaping::new(prompter)) } else { None },
            stderr_terminal: env.stderr_tty,
            smtp_password: env.smtp_password.clone(),
            templates_dir: env.templates_dir.clone(),
            pgpassword: env.pgpassword.clone(),
            pgpass_file: env.pgpass_file.clone(),
            color: env.stderr_tty && !env.no_color,
            err_width: if env.stderr_tty { env.stderr_width } else { None },
            table: TableStyle {
                width: env.terminal_width,
                terminal: env.stdout_tty,
                color: env.stdout_tty && !env.no_color,
            },
        })
    }

    /// Opens (and on first use creates) the database.
    pub fn open_db(&self) -> Result<Db> {
        Db::open_with(&self.db_path, &self.secrets())
    }

    /// Opens an existing database for reading only (the reports): see [`Db::open_read_only`].
    pub fn open_db_read_only(&self) -> Result<Db> {
        Db::open_read_only_with(&self.db_path, &self.secrets())
    }

    /// Where a server's password may come from.
    pub fn secrets(&self) -> db::pg::Secrets<'_> {
        db::pg::Secrets { pgpassword: self.pgpassword.as_ref(), pgpass_file: self.pgpass_file.as_deref() }
    }

    /// The database as sentences name it: the file's path, or the server's address without its
    /// password.
    pub fn db_display(&self) -> String {
        match db::pg::Location::of(&self.db_path) {
            Ok(db::pg::Location::Server(address)) => address.to_string(),
            _ => self.db_path.display().to_string(),
        }
    }

    /// Whether the database is on a PostgreSQL server rather than in a file.
    pub fn on_server(&self) -> bool {
        matches!(db::pg::Location::of(&self.db_path), Ok(db::pg::Location::Server(_)))
    }

    /// The coordinator running engage, who owns the requests they record and whom `--mine` means:
    /// `ENGAGE_COORDINATOR`, else the `coordinator` setting, else the OS user.
    pub fn coordinator(&self, conn: &db::Reader) -> Result<String> {
        if let Some(name) = &self.coordinator {
            return Ok(name.clone());
        }
        let setting = db::settings::get(conn, "coordinator")?;
        Ok(if setting.trim().is_empty() { self.stamp.by.clone() } else { setting.trim().to_string() })
    }

    /// The prompter, when standard input and output are terminals and `--no-input` was not given.
    pub fn prompter(&mut self) -> Option<&mut (dyn Prompter + 'a)> {
        self.prompter.as_mut().map(|p| p as &mut (dyn Prompter + 'a))
    }

    pub fn interactive(&self) -> bool {
        self.prompter.is_some()
    }

    /// A status line on standard error, wrapped at spaces on a terminal. Whatever values it
    /// quotes (a name, a title, a file's text) cannot act on the terminal: control characters and
    /// direction overrides are shown as escapes, here, so that no status line can forget to.
    pub fn note(&mut self, line: &str) -> Result<()> {
        writeln!(self.err, "{}", output::wrap_sentence(&for_terminal(line), self.err_width, 0))?;
        Ok(())
    }

    /// `warning: …` on standard error, wrapped at spaces and yellow on a terminal; escaped as
    /// [`Ctx::note`] is.
    pub fn warn(&mut self, line: &str) -> Result<()> {
        let wrapped = output::wrap_sentence(&format!("warning: {}", for_terminal(line)), self.err_width, 2);
        match wrapped.strip_prefix("warning:") {
            Some(rest) if self.color => writeln!(self.err, "\x1b[33mwarning:\x1b[0m{rest}")?,
            _ => writeln!(self.err, "{wrapped}")?,
        }
        Ok(())
    }

    /// How tables are drawn here: the terminal's width, its characters and its colours.
    pub fn table_style(&self) -> TableStyle {
        self.table
    }

    /// Prints a list in the chosen format; for an empty table, `empty` goes to standard error.
    pub fn print_listing(&mut self, listing: &Listing, empty: &str) -> Result<()> {
        if listing.is_empty() && self.format == Format::Table {
            return self.note(empty);
        }
        let left_out = output::write_listing(self.out, self.format, self.table, listing)?;
        self.say_left_out(&left_out)
    }

    /// Prints rows under `columns` as [`Ctx::print_listing`] prints them, each row made as it is
    /// written in CSV and JSON (a table, fitted to all its rows, makes them all first): a report
    /// of a few hundred thousand rows never holds them all.
    pub fn print_rows(
        &mut self,
        columns: &[output::Column],
        rows: impl Iterator<Item = Vec<output::Value>>,
        empty: &str,
    ) -> Result<()> {
        if self.format == Format::Table {
            let mut listing = Listing::new(columns);
            rows.for_each(|row| listing.push(row));
            return self.print_listing(&listing, empty);
        }
        output::write_rows(self.out, self.format, columns, rows)?;
        Ok(())
    }

    /// Prints a record with one more list after its own, whose rows are made as they are written
    /// in JSON (see [`Ctx::print_rows`]).
    pub fn print_record_rows(
        &mut self,
        record: &Record,
        key: &'static str,
        columns: &[output::Column],
        rows: impl Iterator<Item = Vec<output::Value>>,
    ) -> Result<()> {
        let left_out = output::write_record_rows(self.out, self.format, self.table, record, key, columns, rows)?;
        self.say_left_out(&left_out)
    }

    pub fn print_record(&mut self, record: &Record) -> Result<()> {
        let left_out = output::write_record(self.out, self.format, self.table, record)?;
        self.say_left_out(&left_out)
    }

    /// Says once, under the table, which columns it left out to fit the terminal.
    fn say_left_out(&mut self, labels: &[String]) -> Result<()> {
        let Some(width) = self.table.width.filter(|_| !labels.is_empty()) else { return Ok(()) };
        self.out.flush()?;
        self.note(&format!(
            "(columns left out to fit {width} columns: {}; widen the terminal or use --format csv)",
            labels.join(", ")
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn notes_and_warnings_show_escapes_instead_of_acting_on_the_terminal() {
        let globals = Globals { db: None, format: Format::Table, no_input: false };
        let mut env = Env::pinned("/nonexistent/engage.db", "2026-11-23");
        env.stderr_tty = true;
        env.no_color = false;
        let (mut out, mut err) = (Vec::new(), Vec::new());
        let mut prompter = crate::prompt::ScriptedPrompter::default();
        {
            let mut ctx = Ctx::new(globals, &env, &mut out, &mut err, &mut prompter).unwrap();
            ctx.note("Added partner 1: Ana\x1b]0;owned\x07 Silva\u{202e}.\nnext line").unwrap();
            ctx.warn("partner 1 (Ana\x1b[2J) is paused").unwrap();
        }
        let err = String::from_utf8(err).unwrap();
        // The warning's own colour stays (standard error is a terminal); the value's escapes do not.
        assert_eq!(
            err,
            "Added partner 1: Ana\\x1b]0;owned\\x07 Silva\\u{202e}.\nnext line\n\x1b[33mwarning:\x1b[0m partner 1 (Ana\\x1b[2J) is paused\n"
        );
    }
}
