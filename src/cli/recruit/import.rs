//! `engage recruit import FILE`: its flags (the import itself is `csvio::import` for now).

use crate::csvio::values::DateOrder;
use std::path::PathBuf;

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
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum OnDuplicate {
    /// Fill in and refresh values, never erasing one with a blank
    Update,
    /// Leave the partner already in the network alone
    Skip,
}
