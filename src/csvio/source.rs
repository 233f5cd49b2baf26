//! Where an import reads from, with the same limits whatever it is: a regular file, or a
//! stream — `-` (standard input), a FIFO, a device — which is copied once, within the limits, into
//! an unnamed temporary file (gone when engage exits, however it exits) so that the import can
//! read it again from the start as it does a file: for its headers, for the order of its dates,
//! then for its rows.
//!
//! The limits: at most 4 GiB, no line longer than 64 MiB, and, unless an encoding that has them is
//! given, no NUL byte: a stream of `/dev/zero` is refused at its first byte, never read forever.

use super::refuse;
use crate::domain::text::group;
use crate::error::{Error, Result};
use std::fs::{self, File};
use std::io::{self, Read, Write};
use std::os::unix::fs::FileExt;
use std::path::{Path, PathBuf};

/// Files larger than this are refused: a sign-up export of ten million rows is about 4 GB.
pub const MAX_BYTES: u64 = 4 << 30;
/// A physical line longer than this is not a sign-up export's (a row over 1 MiB is already a
/// rejected row; 5 MiB answers exist in the hostile corpus and are rejected, not refused).
pub const MAX_LINE: u64 = 64 << 20;

/// The input of an import, ready to be read from its start as often as needed.
#[derive(Debug)]
pub struct Source {
    kind: Kind,
    len: u64,
}

#[derive(Debug)]
enum Kind {
    File(PathBuf),
    Spooled(File),
}

impl Source {
    /// Opens `path` (`-` is standard input). `text_only` says a NUL byte cannot belong (UTF-8, or
    /// no encoding given); a file of another encoding may hold them.
    pub fn open(path: &Path, shown: &str, text_only: bool) -> Result<Source> {
        if path.as_os_str() == "-" {
            return Source::spool(io::stdin().lock(), shown, text_only);
        }
        let meta = fs::metadata(path).map_err(|e| Error::io(format!("could not read {shown}"), e))?;
        if meta.is_dir() {
            return Err(Error::Invalid(format!(
                "{shown} is a folder; give the CSV file exported from the sign-up form"
            )));
        }
        if meta.is_file() {
            if meta.len() > MAX_BYTES {
                return Err(too_big(shown));
            }
            return Ok(Source { kind: Kind::File(path.to_path_buf()), len: meta.len() });
        }
        // A FIFO, a character device, a socket: read once, as a stream.
        let stream = File::open(path).map_err(|e| Error::io(format!("could not read {shown}"), e))?;
        Source::spool(stream, shown, text_only)
    }

    fn spool(stream: impl Read, shown: &str, text_only: bool) -> Result<Source> {
        let mut spool = tempfile::tempfile()
            .map_err(|e| Error::io(format!("could not read {shown}: there is no room for a temporary copy"), e))?;
        let mut limited = Limited::new(stream, text_only);
        let len = io::copy(&mut limited, &mut spool).map_err(|e| read_error(shown, e))?;
        spool.flush().map_err(|e| read_error(shown, e))?;
        Ok(Source { kind: Kind::Spooled(spool), len })
    }

    /// Its size in bytes.
    pub fn len(&self) -> u64 {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// A reader from the start, within the limits (a file may grow while it is read).
    pub fn reader(&self) -> io::Result<Box<dyn Read + Send>> {
        Ok(match &self.kind {
            Kind::File(path) => Box::new(Limited::new(File::open(path)?, false)),
            Kind::Spooled(file) => Box::new(At { file: file.try_clone()?, pos: 0 }),
        })
    }
}

/// A copy's reader with its own position: each reader starts at the beginning.
struct At {
    file: File,
    pos: u64,
}

impl Read for At {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.file.read_at(buf, self.pos)?;
        self.pos += n as u64;
        Ok(n)
    }
}

/// Why an input was stopped: one sentence, completed by `refuse`.
#[derive(Debug)]
struct Limit(String);

impl std::fmt::Display for Limit {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Limit {}

fn too_big(shown: &str) -> Error {
    refuse(shown, "is larger than 4 GiB; engage imports files of at most 4 GiB")
}

/// A read error as the coordinator should see it: a limit is the file's fault, said in one
/// sentence; anything else is the system's, with its reason.
pub fn read_error(shown: &str, e: io::Error) -> Error {
    if let Some(limit) = e.get_ref().and_then(|inner| inner.downcast_ref::<Limit>()) {
        return refuse(shown, limit);
    }
    Error::io(format!("could not read {shown}"), e)
}

/// Counts what passes and stops at the first byte beyond a limit.
struct Limited<R> {
    inner: R,
    text_only: bool,
    total: u64,
    /// Bytes since the last line break.
    line_len: u64,
    /// Line breaks seen (CR, LF and CRLF each one), for the message.
    lines: u64,
    last_cr: bool,
    /// The first bytes decide whether NUL may belong (a UTF-16 or UTF-32 byte-order mark).
    head: Vec<u8>,
}

impl<R: Read> Limited<R> {
    fn new(inner: R, text_only: bool) -> Self {
        Limited { inner, text_only, total: 0, line_len: 0, lines: 0, last_cr: false, head: Vec::new() }
    }

    fn stop(&self, what: String) -> io::Error {
        io::Error::other(Limit(what))
    }

    fn check(&mut self, bytes: &[u8]) -> io::Result<()> {
        self.total += bytes.len() as u64;
        if self.total > MAX_BYTES {
            return Err(self.stop("is larger than 4 GiB; engage imports files of at most 4 GiB".to_string()));
        }
        if self.head.len() < 4 {
            let take = (4 - self.head.len()).min(bytes.len());
            self.head.extend_from_slice(&bytes[..take]);
        }
        let wide = self.head.starts_with(&[0xFF, 0xFE]) || self.head.starts_with(&[0xFE, 0xFF]);
        if self.text_only && !wide {
            if let Some(at) = memchr::memchr(0, bytes) {
                let line = self.line_of(&bytes[..at]);
                return Err(self.stop(format!(
                    "holds NUL bytes (line {line}): it is not a text CSV file, or it is UTF-16; save it as 'CSV UTF-8'"
                )));
            }
        }
        let mut rest = bytes;
        while let Some(at) = memchr::memchr2(b'\n', b'\r', rest) {
            if self.line_len + at as u64 > MAX_LINE {
                break;
            }
            let crlf = rest[at] == b'\n' && at == 0 && self.last_cr;
            if !crlf {
                self.lines += 1;
            }
            self.last_cr = rest[at] == b'\r';
            self.line_len = 0;
            rest = &rest[at + 1..];
        }
        if !rest.is_empty() {
            self.last_cr = false;
        }
        self.line_len += memchr::memchr2(b'\n', b'\r', rest).unwrap_or(rest.len()) as u64;
        if self.line_len > MAX_LINE {
            return Err(self.stop(format!(
                "has a line longer than {} MiB (line {}): it is not a sign-up export",
                group(MAX_LINE >> 20),
                self.lines + 1
            )));
        }
        Ok(())
    }

    /// The line (1-based) on which the end of `before` falls, `before` being the start of what
    /// has just been read.
    fn line_of(&self, before: &[u8]) -> u64 {
        let mut lines = self.lines;
        let mut last_cr = self.last_cr;
        for &b in before {
            match b {
                b'\n' if last_cr => last_cr = false,
                b'\n' => lines += 1,
                b'\r' => {
                    lines += 1;
                    last_cr = true;
                }
                _ => last_cr = false,
            }
        }
        lines + 1
    }
}

impl<R: Read> Read for Limited<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.check(&buf[..n])?;
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn through(bytes: &[u8], text_only: bool) -> Result<Vec<u8>, String> {
        let mut out = Vec::new();
        let mut limited = Limited::new(bytes, text_only);
        // Small reads, so that lines and NULs fall across them.
        let mut buf = [0u8; 3];
        loop {
            match limited.read(&mut buf) {
                Ok(0) => return Ok(out),
                Ok(n) => out.extend_from_slice(&buf[..n]),
                Err(e) => return Err(e.to_string()),
            }
        }
    }

    #[test]
    fn a_nul_byte_stops_a_text_input_naming_its_line() {
        assert_eq!(
            through(b"a,b\r\nc,d\ne\rf\0", true).unwrap_err(),
            "holds NUL bytes (line 4): it is not a text CSV file, or it is UTF-16; save it as 'CSV UTF-8'"
        );
        assert!(through(b"a,b\nc\0", false).is_ok(), "an encoding with NULs was given");
        assert!(through(b"\xFF\xFEa\0,\0", true).is_ok(), "UTF-16 is left for its own message");
    }

    #[test]
    fn a_line_beyond_the_cap_stops_the_input() {
        let mut long = b"a,b\n".to_vec();
        long.extend(std::iter::repeat_n(b'x', MAX_LINE as usize + 1));
        let mut limited = Limited::new(long.as_slice(), true);
        let err = io::copy(&mut limited, &mut io::sink()).unwrap_err();
        assert_eq!(err.to_string(), "has a line longer than 64 MiB (line 2): it is not a sign-up export");
        let mut fine = vec![b'x'; MAX_LINE as usize];
        fine.push(b'\n');
        fine.extend(vec![b'y'; MAX_LINE as usize]);
        assert!(io::copy(&mut Limited::new(fine.as_slice(), true), &mut io::sink()).is_ok());
    }
}
