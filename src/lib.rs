//! engage: the coordinator's tool for a patient partner network, over one SQLite file.
//!
//! Architecture in ten lines:
//! - `main.rs` parses the command line (`cli::Cli`), reads the environment once (`Env`) and calls
//!   [`run`], the one dispatcher; it prints errors and turns them into exit codes.
//! - `cli/` has one file per top-level command: its clap arguments and its `run(args, ctx)`.
//! - `domain/` holds the field's nouns and rules (ways, money, dates, criteria, settings), with no
//!   database or terminal in sight.
//! - `db/` opens the database (`Db::open`: pragmas, migrations) and has one file of plain query
//!   functions per group of tables; commands own the transaction and compose queries in it.
//! - `output.rs` renders lists and records as table, CSV or JSON, `html.rs` the report pages (inline
//!   SVG, no script); `prompt.rs` asks questions through a trait that tests answer; `error.rs` has
//!   the sentences and exit codes.
//! - `correspondence/` drafts, renders and delivers the messages of `engage message` (templates,
//!   .eml files, SMTP), from plain facts the command gathers.
//! - Nothing calls back up: cli → domain/db/correspondence/output/prompt.

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
    let mut ctx = Ctx::new(&cli, env, out, err, prompter)?;
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
        Command::Completions(_) => Exit::Done,
    };
    ctx.out.flush()?;
    Ok(exit)
}
