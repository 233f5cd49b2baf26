//! One error type for the whole program: its sentence, its causes and its exit code.

use std::io;

pub type Result<T, E = Error> = std::result::Result<T, E>;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A value on the command line or at a prompt is not accepted (exit 2).
    #[error("{0}")]
    Invalid(String),

    /// A required value is missing and nobody can be asked (exit 2).
    #[error("{0}")]
    Missing(String),

    /// The id or name given matches nothing (exit 1).
    #[error("{0}")]
    NotFound(String),

    /// A rule of the field, or the state of a record, refuses the change (exit 1).
    #[error("{0}")]
    Refused(String),

    /// Something could not be done, for a reason the sentence gives (exit 1).
    #[error("{0}")]
    Failed(String),

    /// The database file was written by a newer engage.
    #[error(
        "{path} was written by a newer engage (schema version {found}; this engage knows up to {known}); upgrade engage to open it"
    )]
    NewerDatabase { path: String, found: i64, known: i64 },

    #[error("{context}")]
    Database {
        context: String,
        #[source]
        source: rusqlite::Error,
    },

    /// Ctrl-C at a prompt (exit 130). `kept` says what was recorded before it, if anything.
    #[error("Cancelled; {}.", recorded(kept))]
    Cancelled { kept: Option<String> },

    /// The input ended at a prompt (exit 2); `instead` says how to give the answer without it.
    #[error("the input ended at the question '{asked}'; {}; {instead}", recorded(kept))]
    InputEnded { asked: String, kept: Option<String>, instead: String },

    /// The terminal could not be read or written at a prompt (exit 1).
    #[error("the terminal could not be read or written at the question '{asked}'; {}", recorded(kept))]
    Terminal {
        asked: String,
        kept: Option<String>,
        #[source]
        source: io::Error,
    },

    #[error("{context}")]
    Io {
        context: String,
        #[source]
        source: io::Error,
    },
}

impl Error {
    pub fn exit_code(&self) -> u8 {
        match self {
            Error::Invalid(_) | Error::Missing(_) | Error::InputEnded { .. } => 2,
            Error::Cancelled { .. } => 130,
            _ => 1,
        }
    }

    /// `engage report … | head` closes the pipe early: that is not a failure.
    pub fn is_broken_pipe(&self) -> bool {
        matches!(self, Error::Io { source, .. } if source.kind() == io::ErrorKind::BrokenPipe)
    }

    pub fn io(context: impl Into<String>, source: io::Error) -> Error {
        Error::Io { context: context.into(), source }
    }

    pub fn db(context: impl Into<String>, source: rusqlite::Error) -> Error {
        Error::Database { context: context.into(), source }
    }
}

/// "nothing was recorded", or what was kept and that nothing else was.
fn recorded(kept: &Option<String>) -> String {
    match kept {
        None => "nothing was recorded".to_string(),
        Some(kept) => format!("{kept}; nothing else was recorded"),
    }
}

impl From<rusqlite::Error> for Error {
    fn from(source: rusqlite::Error) -> Self {
        let context = match source.sqlite_error_code() {
            Some(rusqlite::ErrorCode::DatabaseBusy) | Some(rusqlite::ErrorCode::DatabaseLocked) => {
                "the database stayed busy with another engage for too long; nothing was changed, try again"
            }
            Some(rusqlite::ErrorCode::DiskFull) => "the disk is full; nothing was changed",
            Some(rusqlite::ErrorCode::ReadOnly) | Some(rusqlite::ErrorCode::CannotOpen) => {
                "the database file cannot be written here; nothing was changed"
            }
            Some(rusqlite::ErrorCode::NotADatabase) => "the file is not an engage database",
            Some(rusqlite::ErrorCode::DatabaseCorrupt) => {
                "the database file is damaged; run `engage db check` and restore a backup"
            }
            _ => "the database could not be read or written; nothing was changed",
        };
        Error::Database { context: context.to_string(), source }
    }
}

/// Writing to standard output or error.
impl From<io::Error> for Error {
    fn from(source: io::Error) -> Self {
        Error::Io { context: "could not write the output".to_string(), source }
    }
}
