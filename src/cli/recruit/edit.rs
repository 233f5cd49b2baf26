//! `engage recruit edit PARTNER`: changes to a partner's record.

use super::{PartnerFlags, apply, check_flags, fields};
use crate::app::{Ctx, Exit};
use crate::cli::parse_id;
use crate::db::{events, partners};
use crate::domain::identity::fold_name;
use crate::domain::kinds::PartnerStatus;
use crate::domain::partner::Partner;
use crate::error::{Error, Result};

/// The names of the fields that differ; values are not logged (the log holds no personal data).
fn changed_fields(old: &Partner, new: &Partner) -> Vec<&'static str> {
    fields(old).into_iter().zip(fields(new)).filter(|((_, a), (_, b))| a != b).map(|((k, _), _)| k.key).collect()
}

#[derive(Debug, clap::Args)]
pub struct EditArgs {
    /// The partner's id
    #[arg(value_parser = parse_id)]
    pub partner: i64,
    #[command(flatten)]
    pub flags: PartnerFlags,
}

pub fn run(a: EditArgs, ctx: &mut Ctx<'_>) -> Result<Exit> {
    let EditArgs { partner: id, flags: f } = a;
    if f == PartnerFlags::default() {
        return Err(Error::Missing(
            "recruit edit needs at least one flag to change, such as --status, --commitments-signed or --notes"
                .to_string(),
        ));
    }
    check_flags(&f)?;
    let mut db = ctx.open_db()?;
    let (today, stamp) = (ctx.today, ctx.stamp.clone());
    // Read, checked and written in one IMMEDIATE transaction: a sign-up import that refreshes the
    // partner meanwhile is either before it (and kept) or after it, never overwritten.
    let changed = db.write(|tx| {
        let current = partners::get(tx, id)?;
        if current.status == PartnerStatus::Forgotten {
            return Err(Error::Refused(format!("partner {id} was forgotten; there is nothing left to edit")));
        }
        let mut updated = current.clone();
        apply(&f, &mut updated, today)?;
        if updated.email != current.email
            || fold_name(updated.first_name.as_deref().unwrap_or(""))
                != fold_name(current.first_name.as_deref().unwrap_or(""))
        {
            let email = updated.email.clone().unwrap_or_default();
            let folded = fold_name(updated.first_name.as_deref().unwrap_or(""));
            if let Some((other, _, name)) =
                partners::sharing_email(tx, &email)?.into_iter().find(|(other, first, _)| *other != id && *first == folded)
            {
                return Err(Error::Refused(format!(
                    "{name} is already in the network as partner {other} with {email}; the same person cannot be two partners"
                )));
            }
        }
        let changed = changed_fields(&current, &updated);
        if !changed.is_empty() {
            partners::update(tx, &updated)?;
            events::log(tx, &stamp, "partner_edited", None, Some(id), &changed.join(", "))?;
        }
        Ok(changed)
    })?;
    if changed.is_empty() {
        ctx.note(&format!("Partner {id} already has these values; nothing changed."))?;
    } else {
        ctx.note(&format!("Updated partner {id}: {}.", changed.join(", ")))?;
    }
    Ok(Exit::Done)
}
