//! `engage completions SHELL`: tab completion for the shells coordinators use.

use crate::cli::Cli;
use crate::error::Result;
use clap::CommandFactory;
use clap_complete::Shell;
use std::io::Write;

#[derive(Debug, clap::Args)]
#[command(after_help = "\
Examples:
  engage completions bash > ~/.local/share/bash-completion/completions/engage
  engage completions zsh > ~/.zfunc/_engage
  engage completions fish > ~/.config/fish/completions/engage.fish")]
pub struct Args {
    /// The shell to complete for
    #[arg(value_enum)]
    pub shell: Shell,
}

pub fn run(args: &Args, out: &mut dyn Write) -> Result<()> {
    let mut command = Cli::command();
    // Rendered in memory first: clap_complete treats a failed write as a bug and panics, and a
    // closed pipe is not a bug.
    let mut script = Vec::new();
    clap_complete::generate(args.shell, &mut command, "engage", &mut script);
    out.write_all(&script)?;
    Ok(())
}
