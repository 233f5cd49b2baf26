//! `engage manual DIR`: a man page per command and subcommand (`engage.1`, `engage-request.1`,
//! `engage-request-new.1`, …), drawn by clap_mangen from the same clap tree as `--help`, so the
//! pages say what the help says.
//!
//! As for every file engage writes (`files`): never over the database or its sidecars, an existing
//! page replaced only with `--force`, each page written beside its place and renamed into it whole.
//! Every page is checked before the first is written, so a refusal leaves the folder as it was.

use crate::app::{Ctx, Exit};
use crate::error::{Error, Result};
use crate::files::{self, Role};
use std::fs::{self, DirBuilder, Permissions};
use std::io::{self, Write};
use std::os::unix::fs::{DirBuilderExt, PermissionsExt};
use std::path::{Path, PathBuf};

#[derive(Debug, clap::Args)]
#[command(after_help = "\
Examples:
  engage manual ~/.local/share/man/man1      # then: man engage-request-new
  engage manual man/man1 --force             # write the pages again over those there

The folder is created if it is missing. man finds ~/.local/share/man by itself on most systems;
for another folder, add its parent to MANPATH.")]
pub struct Args {
    /// The folder to write the pages into (man's section 1 folder, such as ~/.local/share/man/man1)
    #[arg(value_name = "DIR")]
    pub dir: PathBuf,
    /// Replace pages already in the folder
    #[arg(long)]
    pub force: bool,
}

const PAGE: Role = Role { flag: "", example: "~/.local/share/man/man1" };

/// Each page's file name and its roff text, the top-level command first.
pub fn pages() -> Result<Vec<(String, Vec<u8>)>> {
    fn walk(command: &clap::Command, pages: &mut Vec<(String, Vec<u8>)>) -> io::Result<()> {
        // Subcommands carry no version of their own: every page names engage's.
        let man = clap_mangen::Man::new(command.clone())
            .source(format!("engage {}", env!("CARGO_PKG_VERSION")))
            .manual("engage");
        let mut text = Vec::new();
        man.render(&mut text)?;
        pages.push((man.get_filename(), text));
        for sub in command.get_subcommands().filter(|s| !s.is_hide_set()) {
            walk(sub, pages)?;
        }
        Ok(())
    }
    // Built, every subcommand knows its whole name (`engage-request-new`), which names its page.
    let mut command = super::command().disable_help_subcommand(true);
    command.build();
    let mut pages = Vec::new();
    walk(&command, &mut pages).map_err(|e| Error::io("could not draw the man pages".to_string(), e))?;
    Ok(pages)
}

pub fn run(args: Args, ctx: &mut Ctx<'_>) -> Result<Exit> {
    let dir = &args.dir;
    let shown = dir.display();
    match fs::metadata(dir) {
        Ok(meta) if !meta.is_dir() => {
            return Err(Error::Invalid(format!(
                "{shown} is a file, not a folder; give a folder for the man pages, such as {}",
                PAGE.example
            )));
        }
        Ok(_) => {}
        Err(e) if e.kind() == io::ErrorKind::NotFound => {}
        Err(e) => return Err(Error::io(format!("{shown} cannot be reached"), e)),
    }
    let pages = pages()?;
    // The database under a page's name: said plainly, before any folder is made.
    let db_folder = ctx.db_path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    if std::path::absolute(db_folder).ok() == std::path::absolute(dir).ok() {
        let db_name = ctx.db_path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        if pages.iter().any(|(name, _)| *name == db_name) {
            return Err(Error::Invalid(format!(
                "{shown} holds the database, {db_name}; give the man pages a folder of their own"
            )));
        }
    }
    let keep = files::Keep { database: &ctx.db_path, inputs: &[] };
    let check_all = || -> Result<Vec<files::Target>> {
        pages.iter().map(|(name, _)| files::check(&dir.join(name), PAGE, args.force, &keep)).collect()
    };
    // A folder already there is checked whole before anything is created or written in it.
    let existed = dir.is_dir();
    let created = if existed {
        check_all()?;
        Vec::new()
    } else {
        create_folder(dir)?
    };
    let drawn = (|| -> Result<Vec<files::OutFile>> {
        // Every page is drawn into its temporary first; only then are they renamed into place.
        let mut drawn = Vec::with_capacity(pages.len());
        for (target, (_, text)) in check_all()?.into_iter().zip(&pages) {
            let mut file = target.create()?;
            file.write_all(text).map_err(|e| Error::io(format!("could not write {}", file.label()), e))?;
            // A man page is no one's personal data: readable by everyone, as man pages are.
            fs::set_permissions(file.temporary_path(), Permissions::from_mode(0o644))
                .map_err(|e| Error::io(format!("could not write {}", file.label()), e))?;
            drawn.push(file);
        }
        Ok(drawn)
    })();
    let drawn = match drawn {
        Ok(drawn) => drawn,
        Err(e) => {
            // Refused (the database's own name, a place engage cannot write): the folders this
            // command made go too, so nothing is left changed. The temporaries are gone already.
            for folder in created.iter().rev() {
                let _ = fs::remove_dir(folder);
            }
            return Err(e);
        }
    };
    for file in drawn {
        file.finish()?;
    }
    let first = pages.first().map(|(name, _)| name.as_str()).unwrap_or_default();
    let sub = pages.get(1).map(|(name, _)| name.as_str()).unwrap_or_default();
    ctx.note(&format!(
        "Wrote {} man pages to {shown} ({first}, {sub}, …){}.",
        pages.len(),
        if existed { "" } else { ", a folder engage created" }
    ))?;
    if !on_manpath(dir) {
        ctx.note(&format!(
            "man reads them once their parent folder is on its path: export MANPATH=\"{}:$MANPATH\".",
            dir.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new(".")).display()
        ))?;
    }
    Ok(Exit::Done)
}

/// Creates `dir` and the folders missing above it; returns those it created, outermost first.
fn create_folder(dir: &Path) -> Result<Vec<PathBuf>> {
    let mut missing: Vec<PathBuf> =
        dir.ancestors().take_while(|a| !a.as_os_str().is_empty() && !a.exists()).map(Path::to_path_buf).collect();
    missing.reverse();
    DirBuilder::new()
        .recursive(true)
        .mode(0o755)
        .create(dir)
        .map_err(|e| Error::io(format!("{} cannot be created; give a folder you may write to", dir.display()), e))?;
    Ok(missing)
}

/// Whether the folder is one man looks in by itself: a `man1` under a `share/man`.
fn on_manpath(dir: &Path) -> bool {
    let dir = fs::canonicalize(dir).unwrap_or_else(|_| dir.to_path_buf());
    dir.file_name().is_some_and(|n| n == "man1") && dir.parent().is_some_and(|p| p.ends_with("share/man"))
}
