//! `engage message`: the correspondence of an engagement. One subcommand per kind of
//! message (`send.rs`, drafting in `plan.rs` and delivering in `deliver.rs`), the delivery log
//! (`list.rs`) and the built-in templates (`template.rs`).

mod deliver;
pub mod list;
mod plan;
pub mod send;
pub mod template;

use crate::app::{Ctx, Exit};
use crate::cli::parse_id;
use crate::correspondence::Kind;
use crate::error::Result;
use clap::Subcommand;
use std::path::PathBuf;

#[derive(Debug, clap::Args)]
#[command(after_help = "\
Examples:
  engage message outcome 3                     # print the drafts; nothing changes
  engage message outcome 3 --send              # e-mail them through the smtp_* settings
  engage message thanks 3 --outbox outbox/     # one .eml file per message, for your mail program
  engage message list 3                        # what went to whom, when, how
  engage message template welcome --way collaborate > welcome.txt

Each message goes to one person, named in its greeting. Partners who prefer the phone are listed to
call instead. What a message stands for is recorded only when it went: the server accepted it or
its file was written (the decision told, onboarding welcomed, thanked, loop closed, surveys sent,
the invitation, the roster). A second --send goes only to those who have not had it; --again to
everyone.")]
pub struct Args {
    #[command(subcommand)]
    pub command: MessageCommand,
}

#[derive(Debug, Subcommand)]
pub enum MessageCommand {
    /// The invitation, to active, consenting partners matching the request (as `recruit invite`)
    #[command(
        after_help = "Examples:\n  engage message invitation 3                 # the drafts\n  engage message invitation 3 --send --dry-run   # who would get it\n  engage message invitation 3 --send\n\nRecords each invitation that went; partners invited before (by recruit invite too) are not\ninvited again. For an inform request it is the notice to the network."
    )]
    Invitation(SendArgs),
    /// The outcome, to everyone who answered: selected, waitlisted and not selected
    #[command(
        after_help = "Examples:\n  engage message outcome 3\n  engage message outcome 3 --send\n  engage message outcome 3 --outbox outbox --partner 12\n\nRecords each decision as told (notified_on), as `select notify` does for a call."
    )]
    Outcome(SendArgs),
    /// The welcome, to the selected: start, contact, commitments, record check, orientation
    #[command(
        after_help = "Examples:\n  engage message welcome 3 --send\n  engage message welcome 3 --template my-welcome.txt\n\nRecords each partner's onboarding step `welcomed`."
    )]
    Welcome(SendArgs),
    /// The thanks, to the selected: their hours and their recognition
    #[command(
        after_help = "Examples:\n  engage message thanks 3 --send\n  engage message thanks 3 --outbox outbox\n\nRecords thanked_on once every selected partner had it."
    )]
    Thanks(SendArgs),
    /// What came of the work (the outcomes recorded at closing), to the selected
    #[command(
        after_help = "Examples:\n  engage close 3 --outcomes 'discharge checklist adopted' --keep-open\n  engage message loop-closed 3 --send\n\nRecords loop_closed_on once every selected partner had it."
    )]
    LoopClosed(SendArgs),
    /// The survey links, to the selected and to the requester's point of contact
    #[command(
        after_help = "Examples:\n  engage request edit 3 --partner-survey-url https://forms.example.org/p \\\n      --requester-survey-url https://forms.example.org/r\n  engage message survey 3 --send\n\nRecords partner_survey_on and requester_survey_on once each side had it."
    )]
    Survey(SendArgs),
    /// The selected partners' contact sheet, to the requester's point of contact only
    #[command(
        after_help = "Examples:\n  engage message roster 3\n  engage message roster 3 --send\n\nOnly this engagement's selected partners (rule 7); logs a roster_sent event."
    )]
    Roster(SendArgs),
    /// What went to whom, when and how (subjects, never bodies)
    #[command(after_help = "Example:\n  engage message list 3 --format csv")]
    List(list::Args),
    /// Print a built-in template to copy and edit, or the placeholders templates may use
    #[command(after_help = template::HELP)]
    Template(template::Args),
}

#[derive(Debug, Clone, clap::Args)]
pub struct SendArgs {
    /// The request's id
    #[arg(value_parser = parse_id)]
    pub request: i64,
    /// Only this partner (repeatable)
    #[arg(long = "partner", value_name = "P", value_parser = parse_id)]
    pub partners: Vec<i64>,
    /// Send the messages through the mail server of the smtp_* settings
    #[arg(long, conflicts_with = "outbox")]
    pub send: bool,
    /// Write one .eml file per message into this folder, for your own mail program
    #[arg(long, value_name = "DIR")]
    pub outbox: Option<PathBuf>,
    /// With --send or --outbox: show what would go, and change nothing
    #[arg(long)]
    pub dry_run: bool,
    /// Write to everyone again, also to those who had this message (or whose delivery is unknown)
    #[arg(long)]
    pub again: bool,
    /// Use this template instead of the built-in one (`engage message template KIND` prints it)
    #[arg(long, value_name = "FILE")]
    pub template: Option<PathBuf>,
    /// Replace .eml files already in the outbox
    #[arg(long, requires = "outbox")]
    pub force: bool,
}

pub fn run(args: Args, ctx: &mut Ctx<'_>) -> Result<Exit> {
    let (kind, a) = match args.command {
        MessageCommand::List(a) => return list::run(a, ctx),
        MessageCommand::Template(a) => return template::run(a, ctx),
        MessageCommand::Invitation(a) => (Kind::Invitation, a),
        MessageCommand::Outcome(a) => (Kind::Outcome, a),
        MessageCommand::Welcome(a) => (Kind::Welcome, a),
        MessageCommand::Thanks(a) => (Kind::Thanks, a),
        MessageCommand::LoopClosed(a) => (Kind::LoopClosed, a),
        MessageCommand::Survey(a) => (Kind::Survey, a),
        MessageCommand::Roster(a) => (Kind::Roster, a),
    };
    send::run(kind, a, ctx)
}
