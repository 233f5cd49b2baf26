//! `engage recruit forget PARTNER`: a partner's identifying data erased, for good.

use crate::app::{Ctx, Exit};
use crate::cli::parse_id;
use crate::db::{events, forgotten, partners};
use crate::domain::kinds::PartnerStatus;
use crate::error::Result;

#[derive(Debug, clap::Args)]
pub struct ForgetArgs {
    /// The partner's id
    #[arg(value_parser = parse_id)]
    pub partner: i64,
}

pub fn run(a: ForgetArgs, ctx: &mut Ctx<'_>) -> Result<Exit> {
    let id = a.partner;
    let mut db = ctx.open_db()?;
    let stamp = ctx.stamp.clone();
    let forgot = db.write(|tx| {
        let current = partners::get(tx, id)?;
        if current.status == PartnerStatus::Forgotten {
            return Ok(false);
        }
        // What stays of the person: a keyed hash of who they are, so that no later import of an
        // old row of theirs brings them back, whatever the export's columns.
        if let Some(email) = &current.email {
            forgotten::remember(tx, email, current.first_name.as_deref().unwrap_or(""), &stamp.at)?;
        }
        forgotten::mark_pending(tx, &stamp.at)?;
        partners::forget(tx, id)?;
        events::log(tx, &stamp, "partner_forgotten", None, Some(id), "identifying data erased")?;
        Ok(true)
    })?;
    if !forgot {
        ctx.note(&format!("Partner {id} was already forgotten."))?;
        return Ok(Exit::Done);
    }
    // With secure_delete on, the erased text is overwritten in the database's pages once the
    // write-ahead log is copied into the file; truncating the log removes the old page images from
    // the -wal too. Another connection's open read (a long report, a sqlite3 shell) holds that back.
    let gone = db.finish_erasure(crate::db::ERASURE_WAIT)?;
    ctx.note(&format!(
        "Forgot partner {id}: names, contact details, answers and notes are erased; region, community type and \
         engagement counts remain for anonymous reports."
    ))?;
    if !gone {
        ctx.warn(&db.erasure_held_back())?;
    }
    Ok(Exit::Done)
}
