//! Every file engage writes besides its database: `--rejects`, `--html`, `db backup`, and whichever
//! command writes one next, with the promises engage makes about them:
//! - never the database, its `-wal`, `-shm` or `-journal`, nor the command's own input, however the
//!   path is spelled (`r.db`, `./r.db`, a symbolic link, a hard link): paths are compared once
//!   resolved, and existing files by their identity (device and inode);
//! - an existing file is replaced only with `--force`;
//! - a folder, a missing folder or a place engage cannot write is refused before anything changes:
//!   [`check`] before the command starts, [`Target::create`] (which makes the temporary file) before
//!   its transaction does;
//! - the file is written beside its place, owner-only, and renamed into it whole; the temporary is
//!   removed whenever the write does not finish.

use crate::error::{Error, Result};
use std::fs::{self, Metadata, Permissions};
use std::io::{self, Write};
use std::os::unix::ffi::OsStrExt;
use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::{Component, Path, PathBuf};

/// How a command names the file it writes, in its messages.
#[derive(Debug, Clone, Copy)]
pub struct Role {
    /// The flag that takes the file (`--rejects`), or "" for an argument (`db backup FILE`).
    pub flag: &'static str,
    /// A name to suggest instead.
    pub example: &'static str,
}

pub const REJECTS: Role = Role { flag: "--rejects", example: "fix-these.csv" };
pub const HTML: Role = Role { flag: "--html", example: "summary.html" };
pub const BACKUP: Role = Role { flag: "", example: "engage-backup.db" };

/// What a command must not write over: the database it uses and the files it reads.
#[derive(Debug, Clone, Copy)]
pub struct Keep<'a> {
    pub database: &'a Path,
    pub inputs: &'a [&'a Path],
}

/// A place checked for writing. Nothing has been created yet.
#[derive(Debug)]
pub struct Target {
    /// The file as the coordinator named it, for messages.
    given: PathBuf,
    /// Where it goes: its folder resolved, a symbolic link followed.
    place: PathBuf,
    /// `--rejects fix.csv`, or the bare path for an argument.
    label: String,
    force: bool,
}

/// The files SQLite keeps beside a database, and what each is to a coordinator.
const SIDECARS: [(&str, &str); 3] = [
    ("-wal", "the database's write-ahead log"),
    ("-shm", "the database's shared-memory file"),
    ("-journal", "the database's rollback journal"),
];

/// Checks that `given` may be written by a command that uses `keep.database` and reads
/// `keep.inputs`; changes nothing.
pub fn check(given: &Path, role: Role, force: bool, keep: &Keep<'_>) -> Result<Target> {
    let label =
        if role.flag.is_empty() { given.display().to_string() } else { format!("{} {}", role.flag, given.display()) };
    let usage = |what: String| Error::Invalid(format!("{label} {what}"));
    let instead = format!("choose another file, such as {}", role.example);
    let name = match given.components().next_back() {
        Some(Component::Normal(name)) if !given.as_os_str().as_bytes().ends_with(b"/") => name.to_owned(),
        _ => return Err(usage(format!("is not a file name; give a file such as {}", role.example))),
    };
    let folder = given.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let resolved_folder = match fs::canonicalize(folder) {
        Ok(f) if f.is_dir() => f,
        Ok(_) => return Err(usage(format!("cannot be written: {} is not a folder", folder.display()))),
        Err(e) if e.kind() == io::ErrorKind::NotFound => {
            return Err(usage(format!(
                "cannot be written: the folder {} does not exist; create it first or choose another place",
                folder.display()
            )));
        }
        Err(e) => {
            return Err(Error::io(
                format!("{label} cannot be written: the folder {} cannot be reached", folder.display()),
                e,
            ));
        }
    };
    let mut place = resolved_folder.join(&name);
    let mut found = fs::symlink_metadata(&place).ok();
    if found.as_ref().is_some_and(|m| m.file_type().is_symlink()) {
        // The link stays; the file it points to is the one written.
        place = fs::canonicalize(&place)
            .map_err(|_| usage(format!("is a symbolic link to a file that does not exist; {instead}")))?;
        found = fs::metadata(&place).ok();
    }
    for (kept, what) in kept(keep) {
        let same_name = kept.contains(&place);
        let same_file = found.as_ref().is_some_and(|m| kept.iter().any(|k| fs::metadata(k).is_ok_and(|k| same(&k, m))));
        if same_name || same_file {
            return Err(usage(format!("is {what}; {instead}")));
        }
    }
    if let Some(meta) = &found {
        if meta.is_dir() {
            return Err(usage(format!("is a folder; give a file name such as {}", role.example)));
        }
        if !meta.is_file() {
            return Err(usage(format!("is not a regular file (it is a device, a pipe or a socket); {instead}")));
        }
        if !force {
            return Err(exists(&label));
        }
    }
    Ok(Target { given: given.to_path_buf(), place, label, force })
}

fn exists(label: &str) -> Error {
    Error::Refused(format!("{label} already exists; choose another name or pass --force to replace it"))
}

fn same(a: &Metadata, b: &Metadata) -> bool {
    a.dev() == b.dev() && a.ino() == b.ino()
}

/// Each file a command must not write over, under every name it goes by, with what it is.
fn kept(keep: &Keep<'_>) -> Vec<(Vec<PathBuf>, String)> {
    // SQLite names the sidecars after the database as it opened it, links resolved.
    let mut databases = vec![resolve(keep.database)];
    if let Ok(real) = fs::canonicalize(keep.database) {
        databases.push(real);
    }
    let beside = |suffix: &str| -> Vec<PathBuf> {
        databases
            .iter()
            .map(|d| {
                let mut name = d.clone().into_os_string();
                name.push(suffix);
                PathBuf::from(name)
            })
            .collect()
    };
    let mut out = vec![(databases.clone(), "the database itself".to_string())];
    for (suffix, what) in SIDECARS {
        out.push((beside(suffix), what.to_string()));
    }
    for input in keep.inputs {
        let mut names = vec![resolve(input)];
        if let Ok(real) = fs::canonicalize(input) {
            names.push(real);
        }
        out.push((names, "the file this command reads".to_string()));
    }
    out
}

/// `path` made absolute, with as much of it as exists resolved (`.`, `..`, symbolic links): the
/// name a file will have once it is created.
fn resolve(path: &Path) -> PathBuf {
    let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let mut rest = Vec::new();
    let mut head = absolute.as_path();
    loop {
        if let Ok(real) = fs::canonicalize(head) {
            return rest.iter().rev().fold(real, |acc, part| acc.join(part));
        }
        match (head.parent(), head.file_name()) {
            (Some(parent), Some(name)) => {
                rest.push(name.to_owned());
                head = parent;
            }
            _ => return absolute,
        }
    }
}

impl Target {
    /// The file as the coordinator named it.
    pub fn path(&self) -> &Path {
        &self.given
    }

    /// `--rejects fix.csv`, as messages name it.
    pub fn label(&self) -> &str {
        &self.label
    }

    /// Makes the temporary file beside the target, owner-only: a place engage cannot write is
    /// found here, before the command changes anything.
    pub fn create(self) -> Result<OutFile> {
        let folder = self.place.parent().unwrap_or(Path::new("/"));
        let name = self.place.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        let prefix = format!(".{name}.");
        let temp = tempfile::Builder::new()
            .prefix(&prefix)
            .suffix(".engage-partial")
            .permissions(Permissions::from_mode(0o600))
            .tempfile_in(folder)
            .map_err(|e| {
                Error::io(
                    format!("{} cannot be written: engage cannot create a file in {}", self.label, folder.display()),
                    without_path(e),
                )
            })?;
        Ok(OutFile { temp, target: self })
    }
}

/// The system's reason alone: tempfile adds the temporary's name, which is engage's business.
fn without_path(e: io::Error) -> io::Error {
    match e.raw_os_error() {
        Some(code) => io::Error::from_raw_os_error(code),
        None => io::Error::from(e.kind()),
    }
}

/// A file being written: a temporary beside its place until [`OutFile::finish`] renames it there.
/// Dropped unfinished, the temporary is removed.
#[derive(Debug)]
pub struct OutFile {
    temp: tempfile::NamedTempFile,
    target: Target,
}

impl OutFile {
    /// The temporary's path, for a writer that needs a name (SQLite's backup opens a file by name).
    pub fn temporary_path(&self) -> &Path {
        self.temp.path()
    }

    pub fn label(&self) -> &str {
        self.target.label()
    }

    /// Everything written is on the disk: after this, only the rename is left.
    pub fn sync(&self) -> Result<()> {
        // Writes go straight to the file (no buffer here): syncing it is enough.
        self.temp
            .as_file()
            .sync_all()
            .map_err(|e| Error::io(format!("could not write {}; nothing was changed", self.target.label), e))
    }

    /// Puts the file in its place, whole. Without `--force`, a file that appeared there since the
    /// check is not replaced.
    pub fn finish(self) -> Result<()> {
        self.sync()?;
        let OutFile { temp, target } = self;
        let persisted = if target.force { temp.persist(&target.place) } else { temp.persist_noclobber(&target.place) };
        match persisted {
            Ok(_) => Ok(()),
            Err(e) if e.error.kind() == io::ErrorKind::AlreadyExists => Err(exists(&target.label)),
            Err(e) => Err(Error::io(format!("could not write {}", target.label), without_path(e.error))),
        }
    }
}

impl Write for OutFile {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.temp.as_file_mut().write(buf)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.temp.as_file_mut().flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keep<'a>(db: &'a Path, inputs: &'a [&'a Path]) -> Keep<'a> {
        Keep { database: db, inputs }
    }

    #[test]
    fn resolve_names_a_file_not_yet_made_as_it_will_be() {
        let dir = tempfile::tempdir().unwrap();
        let real = fs::canonicalize(dir.path()).unwrap();
        fs::create_dir(dir.path().join("sub")).unwrap();
        std::os::unix::fs::symlink("sub", dir.path().join("link")).unwrap();
        assert_eq!(resolve(&dir.path().join("sub/../x.db")), real.join("x.db"));
        assert_eq!(resolve(&dir.path().join("link/x.db")), real.join("sub/x.db"));
        assert_eq!(resolve(&dir.path().join("no/such/x.db")), real.join("no/such/x.db"));
    }

    #[test]
    fn an_unfinished_file_leaves_nothing_behind() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("engage.db");
        let target = check(&dir.path().join("page.html"), HTML, false, &keep(&db, &[])).unwrap();
        let mut file = target.create().unwrap();
        file.write_all(b"half").unwrap();
        drop(file);
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 0);
    }

    #[test]
    fn a_finished_file_is_owner_only_and_whole() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("engage.db");
        let path = dir.path().join("page.html");
        let mut file = check(&path, HTML, false, &keep(&db, &[])).unwrap().create().unwrap();
        file.write_all(b"<p>hi</p>").unwrap();
        file.finish().unwrap();
        assert_eq!(fs::read(&path).unwrap(), b"<p>hi</p>");
        assert_eq!(fs::metadata(&path).unwrap().permissions().mode() & 0o777, 0o600);
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[test]
    fn a_file_made_after_the_check_is_not_replaced_without_force() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("engage.db");
        let path = dir.path().join("page.html");
        let file = check(&path, HTML, false, &keep(&db, &[])).unwrap().create().unwrap();
        fs::write(&path, "someone else's").unwrap();
        let err = file.finish().unwrap_err();
        assert_eq!(
            err.to_string(),
            format!("--html {} already exists; choose another name or pass --force to replace it", path.display())
        );
        assert_eq!(fs::read_to_string(&path).unwrap(), "someone else's");
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 1);
    }
}
