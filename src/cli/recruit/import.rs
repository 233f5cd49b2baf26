//! `engage recruit import FILE`: a sign-up form's export into the network, in one transaction.
//!
//! The work is arranged so that the database is asked as little as possible:
//! 1. Before the database is opened, the file is checked and planned (`csvio::plan`): its encoding
//!    (a BOM, a binary or UTF-16 file is refused), its delimiter, its header rows and what each
//!    column holds, and the order of its dates (read until a day above 12 proves it).
//! 2. Who is already in the network is loaded once into an in-memory index (`domain::identity_index`):
//!    a 64-bit hash of each normalized e-mail, a 32-bit hash of each folded first name, and the hash
//!    of the last sign-up row applied to each partner. No database index is needed, so new partners
//!    are plain appends.
//! 3. Each row is then either new (an insert), the same bytes as the row last applied to that
//!    person (nothing to do: this is what makes a nightly re-import nearly free), or a change
//!    (the partner is read, merged by `domain::merge` and written back).
//!
//! Everything runs in one IMMEDIATE transaction: a kill leaves all of the file's accepted rows or
//! none. A file-level problem found anywhere (NUL bytes, invalid UTF-8, a quote never closed)
//! rolls back everything. `--dry-run` runs the same code and rolls back at the end.

use crate::app::{Ctx, Exit};
use crate::csvio::headers::{self, HandMap};
use crate::csvio::plan::{self, Plan};
use crate::csvio::reader::{RawRecord, Reader};
use crate::csvio::rejects::RejectsFile;
use crate::csvio::signup::{self, FileProblem, Rejection, SignUp, file_problem, refuse_for};
use crate::csvio::values::DateOrder;
use crate::db::Tx;
use crate::db::forgotten::Forgotten;
use crate::db::partners::{self, ImportMark};
use crate::db::{Db, events};
use crate::domain::identity_index::{self, Found, Index, identity_hashes, known_partner};
use crate::domain::merge::Submission;
use crate::error::{Error, Result};
use crate::files;
use chrono::NaiveDate;
use std::io::Read;
use std::path::PathBuf;

mod report;

use report::{ChoiceWatch, Outcome, report};

/// How many of each kind of finding the report keeps (all are counted; rejections: see `report`).
const KEEP_FINDINGS: usize = 1_000;
/// Line numbers listed for a file-level problem.
const KEEP_LINES: usize = 10;

#[derive(Debug, clap::Args)]
pub struct ImportArgs {
    /// The CSV file exported from the sign-up form
    pub file: PathBuf,
    /// Check everything and report, then change nothing
    #[arg(long)]
    pub dry_run: bool,
    /// Write rejected rows here, unchanged, with a `reason` column
    #[arg(long, value_name = "OUT.csv")]
    pub rejects: Option<PathBuf>,
    /// Replace the --rejects file if it exists (a nightly import writes it again each night)
    #[arg(long, requires = "rejects")]
    pub force: bool,
    /// What to do with a person already in the network
    #[arg(long, value_enum, default_value_t = OnDuplicate::Update)]
    pub on_duplicate: OnDuplicate,
    /// Map a column by hand: 'Header text=field' (repeatable)
    #[arg(long = "map", value_name = "'Header=field'")]
    pub maps: Vec<String>,
    /// The order of day, month and year in the file's dates, when the file cannot prove it
    #[arg(long, value_enum)]
    pub date_order: Option<DateOrder>,
    /// The file's encoding, when it is not UTF-8 (windows-1252)
    #[arg(long, value_name = "E")]
    pub encoding: Option<String>,
    /// Keep the columns form tools add about the device (IP address, network ID, user agent,
    /// browser, location, referrer) in each partner's extra answers; by default they are dropped
    #[arg(long)]
    pub keep_metadata: bool,
    /// Show every column and what it became, even when each one was mapped (the map is shown
    /// anyway when a column went to the extra answers)
    #[arg(long, short)]
    pub verbose: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum OnDuplicate {
    /// Fill in and refresh values, never erasing one with a blank
    Update,
    /// Leave the partner already in the network alone
    Skip,
}

pub fn run(args: ImportArgs, ctx: &mut Ctx<'_>) -> Result<Exit> {
    let hand: Vec<HandMap> = args
        .maps
        .iter()
        .map(|m| headers::parse_map(m))
        .collect::<std::result::Result<_, _>>()
        .map_err(Error::Invalid)?;
    let encoding = args.encoding.as_deref().map(parse_encoding).transpose()?;
    // The rejects file's place is checked before anything is read or written, a dry run's too: a
    // real run would refuse it.
    let inputs = [args.file.as_path()];
    let keep = files::Keep { database: &ctx.db_path, inputs: &inputs };
    let target =
        args.rejects.as_deref().map(|path| files::check(path, files::REJECTS, args.force, &keep)).transpose()?;
    let options =
        plan::Options { encoding, maps: hand, date_order: args.date_order, keep_metadata: args.keep_metadata };
    let plan = Plan::read(&args.file, &options, ctx.today)?;
    let mut db = ctx.open_db()?;
    let mut rejects = match target {
        Some(target) if !args.dry_run => Some(RejectsFile::create(target.create()?, &plan)?),
        _ => None,
    };
    let progress = (ctx.stderr_terminal && plan.file_len > 10 << 20).then(|| {
        let bar =
            indicatif::ProgressBar::with_draw_target(Some(plan.file_len), indicatif::ProgressDrawTarget::stderr());
        if let Ok(style) = indicatif::ProgressStyle::with_template(
            "{spinner} importing {bar:30} {bytes}/{total_bytes} {bytes_per_sec}, {eta} left",
        ) {
            bar.set_style(style);
        }
        bar
    });
    let settings = Run { plan: &plan, on_duplicate: args.on_duplicate, today: ctx.today, progress: progress.as_ref() };
    let stamp = ctx.stamp.clone();
    let result = import(&mut db, &settings, rejects.as_mut(), args.dry_run, &stamp);
    if let Some(bar) = &progress {
        bar.finish_and_clear();
    }
    let outcome = match result {
        Ok(outcome) => outcome,
        Err(e) => {
            if let Some(r) = rejects {
                r.abandon();
            }
            return Err(e);
        }
    };
    let mut exit = report(ctx, &plan, &outcome, args.dry_run, args.rejects.as_deref(), args.verbose)?;
    if let Some(r) = rejects {
        // The rows are on the disk already (synced before the import committed): only a rename
        // is left, and the import stands whatever becomes of it.
        let label = r.label().to_string();
        if let Err(e) = r.finish() {
            ctx.warn(&format!("the import is in the database, but {label} could not be put in place: {e}"))?;
            exit = Exit::Partial;
        }
    }
    Ok(exit)
}

fn parse_encoding(label: &str) -> Result<&'static encoding_rs::Encoding> {
    encoding_rs::Encoding::for_label(label.trim().as_bytes()).ok_or_else(|| {
        Error::Invalid(format!(
            "--encoding '{}' is not an encoding engage knows; use windows-1252 (Excel on Windows), utf-8, or another WHATWG label such as iso-8859-15",
            label.trim()
        ))
    })
}

struct Run<'a> {
    plan: &'a Plan,
    on_duplicate: OnDuplicate,
    today: NaiveDate,
    progress: Option<&'a indicatif::ProgressBar>,
}

/// Rows travel from the reading thread to the writing one in batches of this many.
const BATCH: usize = 512;

/// What the reading thread makes of each record.
enum Item {
    Blank,
    Problem(FileProblem),
    /// The very row last applied to this partner.
    Known {
        partner: u32,
        line: u64,
    },
    /// A row of someone forgotten, submitted before the forgetting: skipped.
    Forgotten,
    Row(Box<Prepared>),
}

/// A row read and checked as far as can be without the database.
struct Prepared {
    rec: RawRecord,
    checked: std::result::Result<Checked, Rejection>,
}

enum Checked {
    /// The very row last applied to this partner: nothing to read or write (a nightly re-import).
    Known { partner: u32 },
    /// The identity of someone forgotten, and the row is no newer than the forgetting.
    Forgotten,
    /// A row to look up and apply.
    Row(Box<Fresh>),
}

struct Fresh {
    address: String,
    email_hash: u64,
    first_hash: u32,
    signup: std::result::Result<Queued, Rejection>,
}

/// A sign-up with its partner laid out for the insert: done on the reading thread, which has
/// the time, so that the writing thread copies one run of memory per new partner.
struct Queued {
    ready: partners::Ready,
    submission: Submission,
    warning: Option<String>,
    mark: ImportMark,
}

impl From<SignUp> for Queued {
    fn from(s: SignUp) -> Queued {
        Queued { ready: partners::Ready::new(s.partner), submission: s.submission, warning: s.warning, mark: s.mark }
    }
}

/// Two threads share the work: one reads the file and checks and parses each row (nothing there
/// needs the database), the other looks each person up and writes. A nightly re-import is mostly
/// the first; a first import mostly the second; either way both cores work.
fn import(
    db: &mut Db,
    run: &Run<'_>,
    mut rejects: Option<&mut RejectsFile>,
    dry_run: bool,
    stamp: &crate::domain::Stamp,
) -> Result<Outcome> {
    let plan = run.plan;
    db.write_or_rollback(dry_run, |tx| {
        let (_, partners) = crate::db::reports::partner_ids(tx)?;
        // About one new partner for each 250 bytes of the file, at most.
        let expected_rows = (plan.file_len / 250) as usize;
        let mut network = identity_index::Network::with_room(usize::try_from(partners).unwrap_or(0), expected_rows)
            .map_err(unindexable)?;
        partners::each_identity(tx, |id, address, first, hash| {
            network.add(id, address, first, hash).map_err(unindexable)
        })?;
        let mut index = Index::new(network, expected_rows).map_err(unindexable)?;
        let known = index.take_known().map_err(unindexable)?;
        let forgotten = Forgotten::load(tx)?;
        let reader = plan.data()?;
        let mut out = Outcome::default();
        let mut problem: Option<FileProblem> = None;
        let mut insert = partners::Inserter::new(tx)?;
        // Two batches ahead keep both threads busy; eight held 4,000 parsed rows more in memory
        // (12 MB) and were no faster (bench_import, a million rows: 24.6 and 25.8 s with eight,
        // 22.2 and 22.8 s with two).
        let (sender, receiver) = std::sync::mpsc::sync_channel::<Vec<Item>>(2);
        let (give_back, given_back) = std::sync::mpsc::channel::<Vec<Item>>();
        let watch = std::thread::scope(|scope| -> Result<ChoiceWatch> {
            let known = known.as_slice();
            let forgotten = forgotten.as_ref();
            let reading = scope.spawn(move || read_rows(reader, run, known, forgotten, &sender, &given_back));
            let written = (|| -> Result<()> {
                for batch in receiver.iter() {
                    let mut spent = Vec::with_capacity(batch.len());
                    for item in batch {
                        match item {
                            Item::Blank => out.blank += 1,
                            Item::Problem(found) => match &mut problem {
                                Some(p) if p.kind == found.kind && p.lines.len() < KEEP_LINES => {
                                    p.lines.extend(found.lines)
                                }
                                Some(_) => {}
                                None => problem = Some(found),
                            },
                            Item::Row(_) | Item::Known { .. } | Item::Forgotten if problem.is_some() => {}
                            Item::Known { partner, line } => {
                                out.read += 1;
                                known_row(run, &mut index, partner, line, &mut out);
                            }
                            Item::Forgotten => {
                                out.read += 1;
                                out.forgotten += 1;
                            }
                            Item::Row(mut prepared) => {
                                let Prepared { rec, checked } = &mut *prepared;
                                out.read += 1;
                                let result = match checked {
                                    Ok(c) => apply(tx, &mut insert, run, &mut index, rec, c, &mut out)?,
                                    Err(r) => Err(r.clone()),
                                };
                                if let Err(r) = result {
                                    if let Some(file) = rejects.as_deref_mut() {
                                        file.write(rec, &r)?;
                                    }
                                    out.reject(r.line, &r.column, r.reason);
                                }
                                spent.push(Item::Row(prepared));
                            }
                        }
                    }
                    // Back to the reading thread, which made them: freeing memory on the thread
                    // that allocated it is cheaper, and the record buffers read again.
                    let _ = give_back.send(spent);
                }
                Ok(())
            })();
            let written = written.and_then(|()| insert.finish());
            // If writing failed, the receiver is gone and the reading thread stops at its next send.
            drop(receiver);
            let read = reading.join().map_err(|_| Error::Failed("the import's reading thread stopped".to_string()))?;
            written?;
            read
        })?;
        out.choice_columns = watch.found();
        if let Some(p) = problem {
            return Err(refuse_for(plan, &p));
        }
        if let Some(file) = rejects.as_deref_mut() {
            file.sync()?;
        }
        if out.changed() {
            let detail = format!(
                "{}: {} read, {} new, {} updated, {} unchanged, {} repeated in the file, {} forgotten, {} rejected",
                plan.source, out.read, out.new, out.updated, out.unchanged, out.duplicates, out.forgotten, out.rejected
            );
            events::log(tx, stamp, "import", None, None, &detail)?;
        }
        Ok(out)
    })
}

fn unindexable(e: identity_index::Unindexable) -> Error {
    Error::Failed(e.to_string())
}

/// The reading thread: records in, checked rows out.
fn read_rows(
    mut reader: Reader<Box<dyn Read + Send>>,
    run: &Run<'_>,
    known: &[identity_index::KnownRow],
    forgotten: Option<&Forgotten>,
    sender: &std::sync::mpsc::SyncSender<Vec<Item>>,
    given_back: &std::sync::mpsc::Receiver<Vec<Item>>,
) -> Result<ChoiceWatch> {
    let plan = run.plan;
    let mut watch = ChoiceWatch::new(plan);
    let mut batch = Vec::with_capacity(BATCH);
    let mut buffers: Vec<RawRecord> = Vec::new();
    let mut problem_seen = false;
    let mut rec = RawRecord::with_capacity(512, plan.width + 1);
    loop {
        if !reader.read(&mut rec).map_err(|e| plan.read_error(e))? {
            break;
        }
        let item = if rec.is_blank() {
            Item::Blank
        } else {
            // UTF-8 is checked once, here; the fields are then borrowed as text.
            let checked = {
                let cells = rec.text_fields();
                match file_problem(plan, &rec, cells.is_some()) {
                    Some(p) => Err(p),
                    None if problem_seen => continue,
                    None => {
                        let cells = cells.as_deref().unwrap_or_default();
                        watch.see(cells);
                        Ok(prepare(run, known, forgotten, &rec, cells))
                    }
                }
            };
            match checked {
                Err(p) => {
                    problem_seen = true;
                    Item::Problem(p)
                }
                // Nothing of the record is needed any more: its buffer reads the next one.
                Ok(Ok(Checked::Known { partner })) => Item::Known { partner, line: rec.line },
                Ok(Ok(Checked::Forgotten)) => Item::Forgotten,
                Ok(checked) => {
                    let next = buffers.pop().unwrap_or_else(|| RawRecord::with_capacity(512, plan.width + 1));
                    Item::Row(Box::new(Prepared { rec: std::mem::replace(&mut rec, next), checked }))
                }
            }
        };
        batch.push(item);
        if batch.len() == BATCH {
            if let Some(bar) = run.progress {
                bar.set_position(reader.consumed());
            }
            if sender.send(std::mem::replace(&mut batch, Vec::with_capacity(BATCH))).is_err() {
                return Ok(watch);
            }
            while let Ok(spent) = given_back.try_recv() {
                for item in spent {
                    // A buffer grown by an unusually long row is let go, so memory stays flat.
                    if let Item::Row(prepared) = item {
                        if buffers.len() < 2 * BATCH && prepared.rec.capacity() <= 4096 {
                            buffers.push(prepared.rec);
                        }
                    }
                }
            }
        }
    }
    if !batch.is_empty() {
        let _ = sender.send(batch);
    }
    Ok(watch)
}

/// Everything about a row that needs no database: its hash, its shape, its identity, its values
/// (`csvio::signup`), and whether it is the row last applied to someone or a forgotten person's.
fn prepare(
    run: &Run<'_>,
    known: &[identity_index::KnownRow],
    forgotten: Option<&Forgotten>,
    rec: &RawRecord,
    cells: &[&str],
) -> std::result::Result<Checked, Rejection> {
    let plan = run.plan;
    let row_hash = signup::row_hash(plan, rec);
    // Applied before, to this partner: a re-import reads nothing more of it. (The hash covers the
    // e-mail and the name, so the row can belong to nobody else; and a row once accepted is
    // accepted again, so no check is skipped that could fail.)
    if let Some(partner) = known_partner(known, row_hash) {
        return Ok(Checked::Known { partner });
    }
    let who = signup::identity(plan, rec, cells)?;
    // Someone forgotten is not brought back by an old row of theirs, whatever the export's
    // columns; a row submitted after the forgetting is a new sign-up, a new consent.
    if let Some(at) = forgotten.and_then(|f| f.when(&who.address, &who.first_name)) {
        if signup::submitted_at(plan, cells).is_none_or(|t| t <= at) {
            return Ok(Checked::Forgotten);
        }
    }
    let (email_hash, first_hash) = identity_hashes(&who.address, &who.first_name);
    let address = who.address.clone();
    let signup = signup::sign_up(plan, who, cells, rec.line, row_hash).map(Queued::from);
    Ok(Checked::Row(Box::new(Fresh { address, email_hash, first_hash, signup })))
}

/// A row that is the very row last applied to `partner`: nothing to write.
fn known_row(run: &Run<'_>, index: &mut Index, partner: u32, line: u64, out: &mut Outcome) {
    let id = i64::from(partner);
    let repeat = index.met(id);
    index.touch(id);
    if index.is_forgotten(partner) {
        // Someone who asked to be forgotten, still in the form's export: not brought back.
        out.forgotten += 1;
    } else if repeat {
        out.duplicates += 1;
        if out.repeats.len() < KEEP_FINDINGS {
            out.repeats.push((line, id));
        }
    } else {
        out.unchanged += 1;
        if run.on_duplicate == OnDuplicate::Skip {
            out.skipped += 1;
        }
    }
}

/// Looks the person up and writes what the row changes. The outer error is the database's (the
/// import fails); the inner one is the row's (it is rejected).
fn apply(
    tx: &Tx<'_>,
    insert: &mut partners::Inserter<'_>,
    run: &Run<'_>,
    index: &mut Index,
    rec: &RawRecord,
    checked: &mut Checked,
    out: &mut Outcome,
) -> Result<std::result::Result<(), Rejection>> {
    let line = rec.line;
    let c = match checked {
        Checked::Known { partner } => {
            known_row(run, index, *partner, line, out);
            return Ok(Ok(()));
        }
        Checked::Forgotten => {
            out.forgotten += 1;
            return Ok(Ok(()));
        }
        Checked::Row(fresh) => &mut **fresh,
    };
    let found = index.find(c.email_hash, c.first_hash);
    let existing = match found {
        Found::Same(id) => Some(id),
        _ => None,
    };
    // A person already met in this file makes this row a repeat; nobody is marked as met until
    // a row of theirs is accepted (a rejected first submission must not turn the next one into a
    // repeat).
    let repeat = existing.is_some_and(|id| index.met(id));
    if let (Some(id), OnDuplicate::Skip) = (existing, run.on_duplicate) {
        index.touch(id);
        if repeat {
            out.duplicates += 1;
            if out.repeats.len() < KEEP_FINDINGS {
                out.repeats.push((line, id));
            }
        } else {
            out.unchanged += 1;
            out.skipped += 1;
        }
        return Ok(Ok(()));
    }
    let signup = match &mut c.signup {
        Ok(s) => s,
        Err(r) => return Ok(Err(r.clone())),
    };
    if let Some(w) = signup.warning.take() {
        if out.warnings.len() < KEEP_FINDINGS {
            out.warnings.push((line, w));
        }
    }
    match existing {
        Some(id) => {
            // The partner may be one this import queued: write the queue before reading.
            insert.flush()?;
            let changed =
                partners::merge_into(tx, id, signup.ready.partner(), &signup.submission, &signup.mark, run.today)?;
            index.touch(id);
            if repeat {
                if out.repeats.len() < KEEP_FINDINGS {
                    out.repeats.push((line, id));
                }
                out.duplicates += 1;
                out.repeats_changed |= changed;
            } else if changed {
                out.updated += 1;
            } else {
                out.unchanged += 1;
            }
        }
        None => {
            let id = insert.insert(&signup.ready, &signup.mark)?;
            index.insert(id, c.email_hash, c.first_hash).map_err(unindexable)?;
            index.touch(id);
            out.new += 1;
            if let Found::SharedWith(other) = found {
                if out.shared.len() < KEEP_FINDINGS {
                    out.shared.push((line, id, c.address.clone(), other));
                }
            }
        }
    }
    Ok(Ok(()))
}
