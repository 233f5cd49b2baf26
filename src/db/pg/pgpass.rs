//! The password file PostgreSQL's own programs read (`~/.pgpass`, or the file `PGPASSFILE`
//! names), read the way libpq reads it: lines `host:port:database:user:password`, `*` matching
//! anything in the first four fields, `\:` and `\\` for a colon and a backslash, `#` lines left
//! out, the first matching line winning. Like libpq, engage reads it only when it is a file that
//! nobody but its owner can read or write (mode 0600 or less); unlike libpq, which then warns and
//! goes on without it, engage says so and stops, since the password it was meant to give is in
//! reach of everyone on the machine.

use crate::db::pg::Password;
use crate::error::{Error, Result};
use std::os::unix::fs::PermissionsExt;
use std::path::Path;

/// The password of the first line of `file` that matches, if the file exists.
pub fn lookup(file: &Path, host: &str, port: u16, dbname: &str, user: &str) -> Result<Option<Password>> {
    let shown = file.display();
    let meta = match std::fs::metadata(file) {
        Ok(meta) => meta,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(Error::io(format!("could not read the password file {shown}"), e)),
    };
    if !meta.is_file() {
        return Err(Error::Failed(format!(
            "the password file {shown} is not a file; remove it, or set PGPASSFILE to the file that holds the server's \
             password"
        )));
    }
    let mode = meta.permissions().mode() & 0o777;
    if mode & 0o077 != 0 {
        return Err(Error::Failed(format!(
            "the password file {shown} can be read or written by other users of this machine (mode {mode:04o}); engage, \
             like PostgreSQL's own programs, uses it only when it is its owner's alone: run chmod 600 {shown}"
        )));
    }
    let text = std::fs::read(file).map_err(|e| Error::io(format!("could not read the password file {shown}"), e))?;
    let text = String::from_utf8_lossy(&text);
    let port = port.to_string();
    for line in text.lines() {
        let line = line.strip_suffix('\r').unwrap_or(line);
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let fields = fields(line);
        let [h, p, d, u, password, ..] = fields.as_slice() else { continue };
        let matches = |field: &Field, value: &str| field.star || field.text == value;
        if matches(h, host) && matches(p, &port) && matches(d, dbname) && matches(u, user) {
            return Ok(Some(Password::new(password.text.clone())));
        }
    }
    Ok(None)
}

struct Field {
    text: String,
    /// The field is a lone `*` (an escaped `\*` is a star to match).
    star: bool,
}

/// The line's fields, separated by unescaped colons; libpq reads the fifth as the password and
/// nothing after it.
fn fields(line: &str) -> Vec<Field> {
    let mut fields = Vec::with_capacity(5);
    let mut text = String::new();
    let mut escaped_any = false;
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                escaped_any = true;
                match chars.next() {
                    Some(next) => text.push(next),
                    None => text.push('\\'),
                }
            }
            ':' => {
                fields.push(Field { star: text == "*" && !escaped_any, text: std::mem::take(&mut text) });
                escaped_any = false;
            }
            c => text.push(c),
        }
    }
    fields.push(Field { star: false, text });
    fields
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs::Permissions;

    fn file(text: &str, mode: u32) -> (tempfile::TempDir, std::path::PathBuf) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("pgpass");
        std::fs::write(&path, text).unwrap();
        std::fs::set_permissions(&path, Permissions::from_mode(mode)).unwrap();
        (dir, path)
    }

    fn found(text: &str, host: &str, port: u16, db: &str, user: &str) -> Option<String> {
        let (_dir, path) = file(text, 0o600);
        lookup(&path, host, port, db, user).unwrap().map(|p| p.expose().to_string())
    }

    #[test]
    fn the_first_matching_line_gives_the_password() {
        let text = "# engage's server\n\
                    db.example.org:5432:engage:ana:first\n\
                    db.example.org:5432:engage:ana:second\n\
                    db.example.org:*:*:bo:any-port\n\
                    *:*:*:*:fallback\n";
        assert_eq!(found(text, "db.example.org", 5432, "engage", "ana").as_deref(), Some("first"));
        assert_eq!(found(text, "db.example.org", 6543, "other", "bo").as_deref(), Some("any-port"));
        assert_eq!(found(text, "localhost", 5432, "engage", "ana").as_deref(), Some("fallback"));
        assert_eq!(found("db.example.org:5432:engage:ana:x\n", "db.example.org", 5433, "engage", "ana"), None);
        assert_eq!(found("db.example.org:5432:engage:ana:x\n", "db.example.org", 5432, "engage", "Ana"), None);
    }

    #[test]
    fn escaped_colons_and_backslashes_are_part_of_a_field() {
        let text = "::1:5432:eng\\:age:ana:pa\\:ss\\\\word\n";
        // An unescaped host of "::1" splits into empty fields and matches nothing.
        assert_eq!(found(text, "::1", 5432, "eng:age", "ana"), None);
        let text = "\\:\\:1:5432:eng\\:age:ana:pa\\:ss\\\\word:tail\r\n";
        assert_eq!(found(text, "::1", 5432, "eng:age", "ana").as_deref(), Some("pa:ss\\word"));
        // An escaped star is a star, not "anything".
        assert_eq!(found("\\*:5432:engage:ana:x\n", "localhost", 5432, "engage", "ana"), None);
        assert_eq!(found("\\*:5432:engage:ana:x\n", "*", 5432, "engage", "ana").as_deref(), Some("x"));
    }

    #[test]
    fn short_lines_and_a_missing_file_give_no_password() {
        assert_eq!(found("localhost:5432:engage\n\n", "localhost", 5432, "engage", "ana"), None);
        let dir = tempfile::tempdir().unwrap();
        assert!(lookup(&dir.path().join("none"), "localhost", 5432, "engage", "ana").unwrap().is_none());
    }

    #[test]
    fn a_password_file_others_can_read_is_refused() {
        let (_dir, path) = file("*:*:*:*:secret\n", 0o644);
        let Err(Error::Failed(sentence)) = lookup(&path, "localhost", 5432, "engage", "ana") else { panic!() };
        let shown = path.display();
        assert_eq!(
            sentence,
            format!(
                "the password file {shown} can be read or written by other users of this machine (mode 0644); engage, \
                 like PostgreSQL's own programs, uses it only when it is its owner's alone: run chmod 600 {shown}"
            )
        );
        let (_dir, path) = file("*:*:*:*:secret\n", 0o620);
        assert!(lookup(&path, "localhost", 5432, "engage", "ana").is_err());
        let (_dir, path) = file("*:*:*:*:secret\n", 0o400);
        assert_eq!(
            lookup(&path, "localhost", 5432, "engage", "ana").unwrap().map(|p| p.expose().to_string()),
            Some("secret".into())
        );
    }

    #[test]
    fn a_folder_in_place_of_the_file_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let Err(Error::Failed(sentence)) = lookup(dir.path(), "localhost", 5432, "engage", "ana") else { panic!() };
        assert!(
            sentence
                .ends_with("is not a file; remove it, or set PGPASSFILE to the file that holds the server's password")
        );
    }
}
