//! What a sign-up import found, counted as it goes, and the report of it: the counts that add
//! up to the rows read, the columns and what each became, and the rows to look at.

use crate::csvio::plan::Plan;
use crate::csvio::signup::Rejection;
use crate::domain::and_list;
use crate::domain::text::{for_terminal, group};
use crate::error::Result;
use crate::output::{Format, Listing, Record, Value};
use crate::{Ctx, Exit};
use std::path::Path;

/// How many rejections the report keeps (all are counted).
const KEEP_REJECTS: usize = 10_000;

#[derive(Debug, Clone, Default)]
pub(super) struct Outcome {
    pub(super) read: u64,
    pub(super) new: u64,
    pub(super) updated: u64,
    pub(super) unchanged: u64,
    pub(super) duplicates: u64,
    pub(super) rejected: u64,
    pub(super) blank: u64,
    /// Rows that matched someone already in the network and were left alone (`--on-duplicate skip`).
    pub(super) skipped: u64,
    /// Rows of people who asked to be forgotten, submitted before they were: skipped, and counted
    /// on their own in the sum.
    pub(super) forgotten: u64,
    pub(super) rejections: Vec<Rejection>,
    /// (line, new partner, address, the partner who already had it).
    pub(super) shared: Vec<(u64, i64, String, i64)>,
    /// (line, partner the row was a repeat of).
    pub(super) repeats: Vec<(u64, i64)>,
    pub(super) warnings: Vec<(u64, String)>,
    /// A row repeated in the file changed the partner it repeated.
    pub(super) repeats_changed: bool,
    /// Columns kept in `extra` whose every answer is the column's own header: the options of one
    /// choice question written a column each (Typeform), which `--map 'Option=topics'` reads as a
    /// list.
    pub(super) choice_columns: Vec<String>,
}

/// Watches the columns that go to `extra` for the shape of a choice question written a column per
/// option (Typeform): each cell empty or holding the option's text, which is the header.
#[derive(Debug, Clone, Default)]
pub(super) struct ChoiceWatch {
    /// (column index, header, how many cells held the header).
    columns: Vec<(usize, String, u64)>,
}

impl ChoiceWatch {
    pub(super) fn new(plan: &Plan) -> ChoiceWatch {
        let columns = plan
            .mapping
            .extra()
            .filter(|(_, c)| c.option.is_none() && !c.tracking && !c.header.is_empty())
            .map(|(i, c)| (i, c.header.clone(), 0))
            .collect();
        ChoiceWatch { columns }
    }

    /// Looks at one row's cells; a column whose cell holds anything but its header is let go.
    pub(super) fn see(&mut self, cells: &[&str]) {
        if self.columns.is_empty() {
            return;
        }
        self.columns.retain_mut(|(i, header, chosen)| match cells.get(*i).map(|c| c.trim()) {
            None | Some("") => true,
            Some(cell) if cell == header.as_str() || cell.eq_ignore_ascii_case(header) => {
                *chosen += 1;
                true
            }
            Some(_) => false,
        });
    }

    /// The columns that held only their header, in the file's order.
    pub(super) fn found(self) -> Vec<String> {
        self.columns.into_iter().filter(|(_, _, chosen)| *chosen > 0).map(|(_, header, _)| header).collect()
    }
}

impl Outcome {
    pub(super) fn changed(&self) -> bool {
        self.new + self.updated > 0 || self.repeats_changed
    }

    pub(super) fn reject(&mut self, line: u64, column: &str, reason: String) {
        self.rejected += 1;
        if self.rejections.len() < KEEP_REJECTS {
            self.rejections.push(Rejection { line, column: column.to_string(), reason });
        }
    }
}

/// Table sections show this many rows; JSON shows all that were kept.
const TABLE_ROWS: usize = 50;

pub(super) fn report(
    ctx: &mut Ctx<'_>,
    plan: &Plan,
    o: &Outcome,
    dry_run: bool,
    rejects: Option<&Path>,
    verbose: bool,
) -> Result<Exit> {
    let table = ctx.format == Format::Table;
    let cap = |n: usize| if table { n.min(TABLE_ROWS) } else { n };
    let mut record = Record::default();
    record
        .field("file", Value::text(&plan.shown))
        .field("form", Value::text(plan.mapping.source))
        .field("dry_run", Value::Bool(dry_run))
        .field("read", Value::Int(o.read as i64))
        .field("new", Value::Int(o.new as i64))
        .field("updated", Value::Int(o.updated as i64))
        .field("unchanged", Value::Int(o.unchanged as i64))
        .field("duplicates", Value::Int(o.duplicates as i64))
        .field("forgotten", Value::Int(o.forgotten as i64))
        .field("rejected", Value::Int(o.rejected as i64))
        .field("blank_lines", Value::Int(o.blank as i64));
    if plan.delimiter != b',' {
        record.field("delimiter", Value::text((plan.delimiter as char).to_string()));
    }
    if let Some(order) = plan.order {
        record.field("date_order", Value::text(format!("{order:?}").to_lowercase()));
    }
    let extra: Vec<&str> = plan.mapping.extra().map(|(_, c)| c.header.as_str()).collect();
    // The column map is for when something needs a look: a column that went to the extra answers,
    // or --verbose. Scripts (CSV, JSON) always get it.
    if !table || verbose || !extra.is_empty() {
        record.section("columns", column_map(plan));
    }
    let mut dropped = Listing::new(&["column"]);
    for c in plan.mapping.dropped() {
        dropped.push(vec![Value::text(&c.header)]);
    }
    record.section("dropped_columns", dropped);
    let mut choices = Listing::new(&["column"]);
    for header in &o.choice_columns {
        choices.push(vec![Value::text(header)]);
    }
    record.section("choice_columns", choices);
    let mut rejected = Listing::new(&["line", "column", "reason"]);
    for r in o.rejections.iter().take(cap(o.rejections.len())) {
        rejected.push(vec![Value::Int(r.line as i64), Value::text(&r.column), Value::text(&r.reason)]);
    }
    record.section("rejected_rows", rejected);
    let mut shared = Listing::new(&["line", "partner_id", "email", "also_partner_id"]);
    for (line, id, address, other) in o.shared.iter().take(cap(o.shared.len())) {
        shared.push(vec![Value::Int(*line as i64), Value::Int(*id), Value::text(address), Value::Int(*other)]);
    }
    record.section("shared_addresses", shared);
    let mut repeats = Listing::new(&["line", "partner_id"]);
    for (line, id) in o.repeats.iter().take(cap(o.repeats.len())) {
        repeats.push(vec![Value::Int(*line as i64), Value::Int(*id)]);
    }
    record.section("repeated_in_file", repeats);
    let mut warnings = Listing::new(&["line", "warning"]);
    for (line, w) in o.warnings.iter().take(cap(o.warnings.len())) {
        warnings.push(vec![Value::Int(*line as i64), Value::text(w)]);
    }
    record.section("warnings", warnings);
    ctx.print_record(&record)?;
    // The tables reach the screen before the sentences under them (standard output is buffered).
    ctx.out.flush()?;

    // What to look at first, then the one sentence of the result, last, where the eye lands when
    // the tables above have scrolled away.
    if o.read > 0 && !o.changed() && !dry_run {
        ctx.note(match o.rejected {
            0 => "Nothing changed: every row is already in the network as it is.",
            n if n == o.read => "Nothing changed: every row was rejected.",
            _ => "Nothing changed: the rows not rejected are already in the network as they are.",
        })?;
    }
    if o.forgotten > 0 {
        ctx.note(&format!(
            "{} rows are of people who asked to be forgotten; they were not brought back. Delete them from the form's responses.",
            group(o.forgotten)
        ))?;
    }
    if o.skipped > 0 {
        ctx.note(&format!(
            "{} partners already in the network were left alone (--on-duplicate skip).",
            group(o.skipped)
        ))?;
    }
    if !o.shared.is_empty() {
        ctx.note(&format!(
            "{} new partners share an e-mail address with someone else in the network (families may); check the shared_addresses list.",
            group(o.shared.len() as u64)
        ))?;
    }
    if !extra.is_empty() {
        ctx.note(&for_terminal(&format!("Kept in each partner's extra answers: {}.", extra.join(", "))))?;
    }
    if !o.choice_columns.is_empty() {
        ctx.note(&for_terminal(&choice_sentence(&o.choice_columns, plan.mapping.source)))?;
    }
    let dropped: Vec<&str> = plan.mapping.dropped().map(|c| c.header.as_str()).collect();
    if !dropped.is_empty() {
        ctx.note(&for_terminal(&format!(
            "Dropped, as about the device rather than the person: {}; --keep-metadata keeps them in the extra answers.",
            dropped.join(", ")
        )))?;
    }
    let exit = if o.rejected > 0 {
        let shown = match (rejects, dry_run) {
            (Some(path), false) => format!("they are in {} with a reason column", path.display()),
            (Some(path), true) => format!("without --dry-run, --rejects writes them to {}", path.display()),
            (None, _) => "--rejects OUT.csv writes them to a file to fix and import again".to_string(),
        };
        let (rows, were) = if o.rejected == 1 { ("row", "was") } else { ("rows", "were") };
        ctx.warn(&format!("{} {rows} {were} rejected; {shown}.", group(o.rejected)))?;
        if table && o.rejections.len() > TABLE_ROWS {
            ctx.note(&format!("The table shows the first {TABLE_ROWS}; --format json lists them all."))?;
        }
        Exit::Partial
    } else {
        Exit::Done
    };
    ctx.note(&for_terminal(&summary(plan, o, dry_run)))?;
    Ok(exit)
}

/// Each column and what it became.
fn column_map(plan: &Plan) -> Listing {
    let mut columns = Listing::new(&["column", "field"]);
    for c in &plan.mapping.columns {
        let field = match (c.ignored, c.field) {
            (true, _) if c.tracking => "(dropped: about the device)".to_string(),
            (true, _) => "(ignored)".to_string(),
            (false, None) if c.tracking => "extra (--keep-metadata)".to_string(),
            (false, Some(f)) if c.by_hand => format!("{} (--map)", f.name()),
            (false, Some(f)) => f.name().to_string(),
            (false, None) => "extra".to_string(),
        };
        let header = match &c.option {
            Some(option) => format!("{} [{option}]", c.header),
            None => c.header.clone(),
        };
        columns.push(vec![Value::text(header), Value::text(field)]);
    }
    columns
}

/// The result in one sentence, in the words of the counts above it (`Duplicates`): the counts add
/// up to the rows read.
fn summary(plan: &Plan, o: &Outcome, dry_run: bool) -> String {
    let what = if dry_run { "Dry run, nothing was written" } else { "Imported" };
    format!(
        "{what}: {}: {} read = {} new + {} updated + {} unchanged + {} {}{} + {} rejected{}.",
        plan.shown,
        group(o.read),
        group(o.new),
        group(o.updated),
        group(o.unchanged),
        group(o.duplicates),
        if o.duplicates == 1 { "duplicate" } else { "duplicates" },
        if o.forgotten > 0 { format!(" + {} forgotten", group(o.forgotten)) } else { String::new() },
        group(o.rejected),
        if o.blank > 0 { format!("; {} blank lines skipped", group(o.blank)) } else { String::new() }
    )
}

/// Says that a choice question written a column per option was kept as separate answers, and the
/// `--map` that reads the options as one list of topics.
fn choice_sentence(columns: &[String], form: &str) -> String {
    let quoted: Vec<String> = columns.iter().map(|c| format!("'{c}'")).collect();
    let maps: Vec<String> = columns.iter().map(|c| format!("--map '{}=topics'", c.replace('\'', "'\\''"))).collect();
    let (look, kept, are) = if columns.len() == 1 {
        ("looks like an option of a choice question", "it was kept", "it is a topic")
    } else {
        ("look like the options of one choice question", "they were kept apart", "they are topics")
    };
    let by = if form == "Typeform" { "as Typeform writes them" } else { "as Typeform writes them, among others" };
    format!(
        "{} {look}, a column per option holding the option's text when chosen ({by}): {kept} in the extra answers. If {are}, import again with {}.",
        and_list(&quoted.iter().map(String::as_str).collect::<Vec<_>>()),
        maps.join(" ")
    )
}
