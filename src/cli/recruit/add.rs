//! `engage recruit add`: one partner into the network.

use super::{PartnerFlags, apply, check_flags, record};
use crate::app::{Ctx, Exit};
use crate::db::{events, partners};
use crate::domain::identity::fold_name;
use crate::domain::partner::Partner;
use crate::error::{Error, Result};
use crate::output::Format;

pub fn run(f: PartnerFlags, ctx: &mut Ctx<'_>) -> Result<Exit> {
    check_flags(&f)?;
    let missing: Vec<&str> =
        [("--first", f.first.is_none()), ("--last", f.last.is_none()), ("--email", f.email.is_none())]
            .iter()
            .filter(|(_, m)| *m)
            .map(|(flag, _)| *flag)
            .collect();
    if !missing.is_empty() {
        return Err(Error::Missing(format!(
            "recruit add needs {}; pass {}",
            crate::domain::and_list(&missing),
            if missing.len() == 1 { "it" } else { "them" }
        )));
    }
    let mut partner = Partner { source: Some("recruit add".to_string()), ..Partner::default() };
    apply(&f, &mut partner, ctx.today)?;
    if partner.joined_on.is_none() {
        partner.joined_on = Some(ctx.today);
    }
    let email = partner.email.clone().unwrap_or_default();
    let folded = fold_name(partner.first_name.as_deref().unwrap_or(""));
    let mut db = ctx.open_db()?;
    let shared = partners::sharing_email(db.conn(), &email)?;
    if let Some((id, _, name)) = shared.iter().find(|(_, first, _)| *first == folded) {
        return Err(Error::Refused(format!(
            "{name} is already in the network as partner {id} with {email}; `engage recruit edit {id}` changes their record"
        )));
    }
    let stamp = ctx.stamp.clone();
    let id = db.write(|tx| {
        let id = partners::insert(tx, &partner)?;
        events::log(tx, &stamp, "partner_added", None, Some(id), "recruit add")?;
        Ok(id)
    })?;
    for (other, _, name) in &shared {
        ctx.note(&format!("{email} is also the address of partner {other} ({name}); families may share one."))?;
    }
    if !partner.consent {
        ctx.warn(&format!(
            "partner {id} has not consented to be contacted; they will not be invited until `engage recruit edit {id} --consent`"
        ))?;
    }
    ctx.note(&format!("Added partner {id}: {}.", partner.name()))?;
    if ctx.format == Format::Table {
        writeln!(ctx.out, "{id}")?;
    } else {
        let p = partners::get(db.conn(), id)?;
        ctx.print_record(&record(db.conn(), &p)?)?;
    }
    Ok(Exit::Done)
}
