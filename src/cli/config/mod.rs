//! `engage config`: the network's settings, shared by every user of the database file. The clap
//! group, its dispatch, and a setting as `list` and `get` print it.

mod get;
mod list;
mod set;

use crate::app::{Ctx, Exit};
use crate::domain::settings::{self, SETTINGS};
use crate::error::{Error, Result};
use crate::output::{Column, Value};
use clap::Subcommand;

#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(subcommand)]
    pub command: ConfigCommand,
}

#[derive(Debug, Subcommand)]
pub enum ConfigCommand {
    /// Every setting with its value, its default and what it does
    #[command(after_help = "Example:\n  engage config list")]
    List,
    /// Print one setting's value (with --format csv or json: the setting as `config list` shows it)
    #[command(
        after_help = "Examples:\n  engage config get rate_consult\n  engage config get rate_consult --format json"
    )]
    Get {
        /// The setting, as `config list` names it
        key: String,
    },
    /// Change a setting; the value is checked first
    #[command(after_help = "Examples:\n  engage config set rate_lead 75\n  engage config set checkin_every_days 21")]
    Set {
        /// The setting, as `config list` names it
        key: String,
        /// The new value: dollars for a rate, a whole number of days for a cadence, …
        value: String,
    },
}

fn known(key: &str) -> Result<&'static settings::Setting> {
    settings::find(key).ok_or_else(|| {
        let keys: Vec<&str> = SETTINGS.iter().map(|s| s.key).collect();
        Error::Invalid(format!("'{key}' is not a setting; the settings are {}", keys.join(", ")))
    })
}

/// A setting as `config list` and `config get` print it.
const COLUMNS: &[Column] =
    &[Column::id("key"), Column::text("value"), Column::text("default").leave_out(1), Column::text("about")];

fn item(s: &settings::Setting, value: String) -> Vec<Value> {
    vec![Value::text(s.key), Value::text(value), Value::text(s.default), Value::text(s.about)]
}

pub fn run(args: Args, ctx: &mut Ctx<'_>) -> Result<Exit> {
    match args.command {
        ConfigCommand::List => list::list(ctx),
        ConfigCommand::Get { key } => get::get(&key, ctx),
        ConfigCommand::Set { key, value } => set::set(&key, &value, ctx),
    }
}
