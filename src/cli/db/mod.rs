//! `engage db`: where the database is, whether it is healthy, backups and copies. The clap group
//! and its dispatch; `check.rs`, `backup.rs` and `copy.rs` the subcommands.

mod backup;
mod check;
mod copy;

use crate::app::{Ctx, Exit};
use crate::error::Result;
use clap::Subcommand;
use std::path::PathBuf;

#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(subcommand)]
    pub command: DbCommand,
}

#[derive(Debug, Subcommand)]
pub enum DbCommand {
    /// Print the database file's path (from --db, ENGAGE_DB or the default)
    #[command(after_help = "Example:\n  engage db path")]
    Path,
    /// Check the file: SQLite's integrity_check and foreign_key_check, and that the reminders
    /// and tallies kept for the reports match the tables; exit 1 on any problem
    #[command(after_help = "\
Examples:
  engage db check && echo healthy
  engage db check --repair      # work the reminders, tallies and partner counts out again if they differ")]
    Check {
        /// When the reminders or tallies differ from what the tables say, work them out again
        #[arg(long)]
        repair: bool,
    },
    /// Copy the database to FILE while others keep using it (SQLite's online backup); the copy is
    /// readable by its owner only
    #[command(
        after_help = "Examples:\n  engage db backup ~/backups/engage-$(date +%F).db\n  engage db backup /media/usb/engage.db --force"
    )]
    Backup {
        /// Where to write the copy
        file: PathBuf,
        /// Replace FILE if it exists
        #[arg(long)]
        force: bool,
    },
    /// Copy a whole network from one database to another: a file to a PostgreSQL server (a move
    /// to the server) or a server to a file (a copy for a laptop). TO must be new or empty; the
    /// copy is one transaction, checked (each table's rows counted and summed, and `db check`'s
    /// derived tables) before it is kept
    #[command(after_help = "\
Examples:
  engage db copy ~/.local/share/engage/engage.db postgres://coordinator@db.example.org/engage?sslmode=require
  engage db copy postgres://coordinator@db.example.org/engage ~/engage-copy.db")]
    Copy {
        /// The database to copy: a file's path or a postgres:// address
        from: PathBuf,
        /// The new or empty database to copy it to: a file's path or a postgres:// address
        to: PathBuf,
    },
}

pub fn run(args: Args, ctx: &mut Ctx<'_>) -> Result<Exit> {
    match args.command {
        DbCommand::Path => {
            writeln!(ctx.out, "{}", ctx.db_display())?;
            Ok(Exit::Done)
        }
        DbCommand::Check { repair } => check::check(repair, ctx),
        DbCommand::Backup { file, force } => backup::backup(ctx, &file, force),
        DbCommand::Copy { from, to } => copy::copy(ctx, &from, &to),
    }
}
