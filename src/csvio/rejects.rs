//! The rejects file of a sign-up import (`--rejects OUT.csv`): the rows refused, as they were,
//! with a `reason` column, to fix and import again.

use super::plan::Plan;
use super::reader::{Flaw, RawRecord};
use super::signup::Rejection;
use crate::error::{Error, Result};
use crate::files;
use crate::output::{self, safe_cell};

/// The rejects file: owner-only, every cell spreadsheet-safe, written beside its place (see
/// `files`) and put there once the import has committed.
pub struct RejectsFile {
    writer: csv::Writer<files::OutFile>,
}

impl RejectsFile {
    pub fn create(file: files::OutFile, plan: &Plan) -> Result<RejectsFile> {
        let mut writer = csv::WriterBuilder::new().flexible(true).from_writer(file);
        for (i, row) in plan.header_rows.iter().enumerate() {
            let mut cells: Vec<String> = row.iter().map(|c| safe_cell(c).into_owned()).collect();
            cells.push(if i == 0 { "reason".to_string() } else { String::new() });
            writer
                .write_record(&cells)
                .map_err(|e| Error::io("could not write the rejects file", output::csv_io(e)))?;
        }
        Ok(RejectsFile { writer })
    }

    pub fn write(&mut self, rec: &RawRecord, r: &Rejection) -> Result<()> {
        let mut row: Vec<String> = rec.fields().map(|f| safe_cell(&String::from_utf8_lossy(f)).into_owned()).collect();
        if let Some(Flaw::FieldTooLong { field }) = rec.flaw {
            if let Some(c) = row.get_mut(field) {
                *c = "(longer than 65,536 bytes; not copied)".to_string();
            }
        }
        let reason = if r.column.is_empty() { r.reason.clone() } else { format!("{}: {}", r.column, r.reason) };
        row.push(safe_cell(&format!("line {}: {reason}", r.line)).into_owned());
        self.writer.write_record(&row).map_err(|e| Error::io("could not write the rejects file", output::csv_io(e)))
    }

    pub fn label(&self) -> &str {
        self.writer.get_ref().label()
    }

    /// Every rejected row on the disk, before the import commits: a full disk fails the import.
    pub fn sync(&mut self) -> Result<()> {
        let label = self.label().to_string();
        self.writer.flush().map_err(|e| Error::io(format!("could not write {label}; nothing was changed"), e))?;
        self.writer.get_ref().sync()
    }

    pub fn finish(self) -> Result<()> {
        let file =
            self.writer.into_inner().map_err(|e| Error::io("could not write the rejects file", e.into_error()))?;
        file.finish()
    }

    /// The import failed: the temporary goes with it.
    pub fn abandon(self) {
        drop(self);
    }
}
