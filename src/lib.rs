//! engage: the coordinator's tool for a patient partner network, over one SQLite file.
//!
//! The architecture in ten lines (ARCHITECTURE.md at the repository's root has the whole map):
//! - `main.rs` parses the command line (`cli::parse`), reads the environment once
//!   (`Env::from_process`) and calls [`run`], the one dispatcher; it prints errors and exit codes.
//! - `app.rs` has what every command works with: `Env`, `Ctx` (today, the outputs, the prompter)
//!   and `Exit`. `cli/` is a folder per command group, a file per subcommand: its flags and its run.
//! - `domain/` holds the field's nouns and rules as pure functions: no database, terminal or clock.
//! - `db/` is the one way to the database: `Db::open`, one write transaction per command, queries
//!   per group of tables, the derived tables kept by the write path.
//! - `csvio/` parses imports; `correspondence/` drafts and delivers messages; `output/` and
//!   `html.rs` render; `prompt/` asks behind a trait tests answer; `files.rs` writes files whole.
//! - Nothing calls back up: cli → domain, db, csvio, correspondence, output, prompt; domain → nothing.

#![cfg_attr(test, allow(clippy::unwrap_used, clippy::expect_used))]

pub mod app;
pub mod cli;
pub mod correspondence;
pub mod csvio;
pub mod db;
pub mod domain;
pub mod error;
pub mod files;
pub mod html;
pub mod output;
pub mod prompt;

pub use app::{Ctx, Env, Exit};

use crate::cli::{Cli, Command};
use crate::error::Result;
use crate::prompt::Prompter;
use std::io::Write;

/// Runs one command. `prompter` is used only when standard input and output are terminals and
/// `--no-input` was not given.
pub fn run(cli: Cli, env: &Env, out: &mut dyn Write, err: &mut dyn Write, prompter: &mut dyn Prompter) -> Result<Exit> {
    if let Command::Completions(args) = &cli.command {
        cli::completions::run(args, out)?;
        return Ok(Exit::Done);
    }
    let mut ctx = Ctx::new(cli.globals(), env, out, err, prompter)?;
    let exit = match cli.command {
        Command::Request(args) => cli::request::run(args, &mut ctx)?,
        Command::Recruit(args) => cli::recruit::run(args, &mut ctx)?,
        Command::Select(args) => cli::select::run(args, &mut ctx)?,
        Command::Checkin(args) => cli::checkin::run(args, &mut ctx)?,
        Command::Close(args) => cli::close::run(args, &mut ctx)?,
        Command::Report(args) => cli::report::run(args, &mut ctx)?,
        Command::Config(args) => cli::config::run(args, &mut ctx)?,
        Command::Db(args) => cli::db::run(args, &mut ctx)?,
        Command::Message(args) => cli::message::run(args, &mut ctx)?,
        Command::Status(args) => cli::status::run(args, &mut ctx)?,
        Command::Manual(args) => cli::manual::run(args, &mut ctx)?,
        Command::Completions(_) => Exit::Done,
    };
    ctx.out.flush()?;
    Ok(exit)
}
