//! `engage recruit`: the network's partners, sign-up imports, invitations and responses.

use super::{parse_date, parse_email, parse_id};
use crate::domain::dates::DateArg;
use crate::domain::kinds::Community;
use crate::error::{Error, Result};
use crate::{Ctx, Exit};
use clap::Subcommand;
use std::path::PathBuf;

#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(subcommand)]
    pub command: RecruitCommand,
}

#[derive(Debug, Subcommand)]
pub enum RecruitCommand {
    /// Import a sign-up form's CSV export (Google Forms, Microsoft Forms, SurveyMonkey, Typeform,
    /// JotForm, a spreadsheet) into the network
    #[command(
        after_help = "Examples:\n  engage recruit import signups.csv --rejects fix-these.csv\n  engage recruit import export.csv --dry-run --map 'Your e-mail=email'"
    )]
    Import(ImportArgs),
    /// Add one partner to the network
    #[command(
        after_help = "Example:\n  engage recruit add --first Ana --last Silva --email ana@example.org --region 'Fraser' --consent"
    )]
    Add(PartnerFlags),
    /// List the network's partners
    #[command(after_help = "Example:\n  engage recruit list --topic 'mental health' --region fraser")]
    List(ListArgs),
    /// Show a partner with their engagement history
    Show {
        #[arg(value_parser = parse_id)]
        partner: i64,
    },
    /// Change a partner's record: status, commitments signed, record check, consent, notes
    Edit {
        #[arg(value_parser = parse_id)]
        partner: i64,
        #[command(flatten)]
        flags: PartnerFlags,
    },
    /// Erase a partner's identifying data, keeping only anonymous counts
    Forget {
        #[arg(value_parser = parse_id)]
        partner: i64,
    },
    /// Export the network, without contact details unless --with-contact
    Export {
        /// Include e-mail, phone and postal code
        #[arg(long)]
        with_contact: bool,
    },
    /// Invite matching active, consenting partners to a request; prints the mailing list and the
    /// invitation
    Invite(InviteArgs),
    /// Record a partner's response to an invitation, or import responses in bulk
    Respond(RespondArgs),
    /// List the responses to a request
    Responses {
        #[arg(value_parser = parse_id)]
        request: i64,
    },
}

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
    /// What to do with a person already in the network
    #[arg(long, value_enum, default_value_t = OnDuplicate::Update)]
    pub on_duplicate: OnDuplicate,
    /// Map a column by hand: 'Header text=field' (repeatable)
    #[arg(long = "map", value_name = "'Header=field'")]
    pub maps: Vec<String>,
    /// The order of day, month and year in the file's dates, when the file cannot prove it
    #[arg(long, value_enum)]
    pub date_order: Option<DateOrder>,
    /// The file's encoding, when it is not UTF-8
    #[arg(long, value_name = "E")]
    pub encoding: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum OnDuplicate {
    /// Fill in and refresh values, never erasing one with a blank
    Update,
    /// Leave the partner already in the network alone
    Skip,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum DateOrder {
    Dmy,
    Mdy,
    Ymd,
}

#[derive(Debug, Clone, Default, clap::Args)]
pub struct PartnerFlags {
    #[arg(long, value_name = "F")]
    pub first: Option<String>,
    #[arg(long, value_name = "L")]
    pub last: Option<String>,
    #[arg(long, value_name = "E", value_parser = parse_email)]
    pub email: Option<String>,
    #[arg(long, value_name = "P")]
    pub phone: Option<String>,
    #[arg(long, value_name = "R")]
    pub region: Option<String>,
    #[arg(long, value_enum, value_name = "C")]
    pub community: Option<Community>,
    /// Topics of interest, comma-separated
    #[arg(long, value_name = "a,b")]
    pub topics: Option<String>,
    /// The partner consents to be contacted about opportunities
    #[arg(long)]
    pub consent: bool,
    /// Date the Patient Partner Commitments were signed
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    pub commitments_signed: Option<DateArg>,
    /// Date of the criminal record check
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    pub record_check: Option<DateArg>,
    #[arg(long, value_name = "T")]
    pub notes: Option<String>,
}

#[derive(Debug, clap::Args)]
pub struct ListArgs {
    #[arg(long, value_name = "S")]
    pub status: Option<String>,
    #[arg(long, value_name = "T")]
    pub topic: Option<String>,
    #[arg(long, value_name = "R")]
    pub region: Option<String>,
    /// Text to find in names, e-mail, notes
    #[arg(long, value_name = "TEXT")]
    pub search: Option<String>,
}

#[derive(Debug, clap::Args)]
pub struct InviteArgs {
    #[arg(value_parser = parse_id)]
    pub request: i64,
    #[arg(long, value_name = "T")]
    pub topic: Option<String>,
    #[arg(long, value_name = "R")]
    pub region: Option<String>,
    #[arg(long, value_enum, value_name = "C")]
    pub community: Option<Community>,
    /// Show who would be invited, and record nothing
    #[arg(long)]
    pub dry_run: bool,
}

#[derive(Debug, clap::Args)]
pub struct RespondArgs {
    #[arg(value_parser = parse_id)]
    pub request: i64,
    #[arg(value_parser = parse_id, required_unless_present = "import")]
    pub partner: Option<i64>,
    #[arg(long, conflicts_with = "declined")]
    pub interested: bool,
    #[arg(long)]
    pub declined: bool,
    /// The partner's statement of interest
    #[arg(long, value_name = "S")]
    pub statement: Option<String>,
    #[arg(long, value_name = "A")]
    pub availability: Option<String>,
    /// A conflict of interest the partner declared
    #[arg(long, value_name = "C")]
    pub conflict: Option<String>,
    /// Import responses from a CSV file instead
    #[arg(long, value_name = "FILE", conflicts_with = "partner")]
    pub import: Option<PathBuf>,
}

pub fn run(args: Args, _ctx: &mut Ctx<'_>) -> Result<Exit> {
    let name = match args.command {
        RecruitCommand::Import(_) => "recruit import",
        RecruitCommand::Add(_) => "recruit add",
        RecruitCommand::List(_) => "recruit list",
        RecruitCommand::Show { .. } => "recruit show",
        RecruitCommand::Edit { .. } => "recruit edit",
        RecruitCommand::Forget { .. } => "recruit forget",
        RecruitCommand::Export { .. } => "recruit export",
        RecruitCommand::Invite(_) => "recruit invite",
        RecruitCommand::Respond(_) => "recruit respond",
        RecruitCommand::Responses { .. } => "recruit responses",
    };
    Err(Error::NotAvailable(name))
}
