//! The `engage` binary: parse, run, report.

#![allow(clippy::print_stderr)]

// Imports allocate on one thread and free on another; mimalloc handles that without the lock
// contention of the system allocator.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use engage::domain::text::{for_terminal, one_line};
use engage::prompt::TerminalPrompter;
use engage::{Env, run};
use std::error::Error as _;
use std::io::{self, BufWriter, Write};
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = match engage::cli::parse(std::env::args_os()) {
        Ok(cli) => cli,
        Err(e) => {
            // A usage error is engage's sentence, exit 2; --help and --version print to stdout
            // and exit 0.
            if let Some(sentence) = engage::cli::usage_sentence(&e) {
                eprintln!("engage: error: {}", sentence.lines().map(one_line).collect::<Vec<_>>().join("\n"));
                return ExitCode::from(2);
            }
            let code = e.exit_code();
            if e.use_stderr() {
                // A usage error quotes the value given, and on a terminal clap would print its
                // escape sequences as they are: shown plain and escaped, as every message is.
                eprint!("{}", for_terminal(&e.render().to_string()));
                return ExitCode::from(u8::try_from(code).unwrap_or(2));
            }
            if let Err(write_error) = e.print() {
                if write_error.kind() != io::ErrorKind::BrokenPipe {
                    return ExitCode::from(1);
                }
            }
            return ExitCode::from(u8::try_from(code).unwrap_or(2));
        }
    };
    // One crypto provider for every TLS connection in the process (lettre's SMTP): rustls refuses
    // to pick one by itself when more than one is built in.
    let _ = rustls::crypto::ring::default_provider().install_default();
    let env = Env::from_process();
    let mut out = BufWriter::new(io::stdout().lock());
    let mut err = io::stderr();
    let result = run(cli, &env, &mut out, &mut err, &mut TerminalPrompter);
    let result = result.and_then(|exit| out.flush().map(|_| exit).map_err(Into::into));
    match result {
        Ok(exit) => ExitCode::from(exit.code()),
        Err(e) if e.is_broken_pipe() => ExitCode::SUCCESS,
        // Ctrl-C at a prompt is the coordinator's choice, not a failure: the prompter has shown
        // the cursor again and ended its line; say what was (not) recorded, exit 130.
        Err(e @ engage::error::Error::Cancelled { .. }) => {
            let _ = out.flush();
            eprintln!("{e}");
            ExitCode::from(e.exit_code())
        }
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
