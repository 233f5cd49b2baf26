//! The `engage` binary: parse, run, report.

#![allow(clippy::print_stderr)]

use clap::Parser;

// Imports allocate on one thread and free on another; mimalloc handles that without the lock
// contention of the system allocator.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use engage::cli::Cli;
use engage::domain::text::one_line;
use engage::prompt::TerminalPrompter;
use engage::{Env, run};
use std::error::Error as _;
use std::io::{self, BufWriter, Write};
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            // --help and --version print to stdout and exit 0; usage errors exit 2.
            let code = e.exit_code();
            if let Err(write_error) = e.print() {
                if write_error.kind() != io::ErrorKind::BrokenPipe {
                    return ExitCode::from(1);
                }
            }
            return ExitCode::from(u8::try_from(code).unwrap_or(2));
        }
    };
    let env = Env::from_process();
    let mut out = BufWriter::new(io::stdout().lock());
    let mut err = io::stderr();
    let result = run(cli, &env, &mut out, &mut err, &mut TerminalPrompter);
    let result = result.and_then(|exit| out.flush().map(|_| exit).map_err(Into::into));
    match result {
        Ok(exit) => ExitCode::from(exit.code()),
        Err(e) if e.is_broken_pipe() => ExitCode::SUCCESS,
        Err(e) => {
            let _ = out.flush();
            // Whatever a message quotes (a file's text, a system's words), it stays one line that
            // cannot act on the terminal.
            let error = if env.stderr_tty && !env.no_color { "\x1b[31merror:\x1b[0m" } else { "error:" };
            eprintln!("engage: {error} {}", one_line(&e.to_string()));
            let mut cause = e.source();
            while let Some(c) = cause {
                eprintln!("  caused by: {}", one_line(&c.to_string()));
                cause = c.source();
            }
            ExitCode::from(e.exit_code())
        }
    }
}
