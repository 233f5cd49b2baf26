//! `engage recruit export`: the network, without contact details unless asked.

use super::fields;
use crate::app::{Ctx, Exit};
use crate::db::partners;
use crate::domain::partner::Partner;
use crate::error::Result;
use crate::output::{Column, Listing, Value};

#[derive(Debug, clap::Args)]
pub struct ExportArgs {
    /// Include e-mail, phone, postal code and the unmapped sign-up columns
    #[arg(long)]
    pub with_contact: bool,
}

pub fn run(a: ExportArgs, ctx: &mut Ctx<'_>) -> Result<Exit> {
    let with_contact = a.with_contact;
    let db = ctx.open_db()?;
    let contact = ["email", "phone", "postal_code"];
    let mut listing: Option<Listing> = None;
    partners::each_listed(db.conn(), None, |p| {
        let mut fields: Vec<(Column, Value)> =
            fields(&p).into_iter().filter(|(k, _)| with_contact || !contact.contains(&k.key)).collect();
        if with_contact {
            fields.push((Column::text("extra"), Value::text(serde_json::Value::Object(p.extra.clone()).to_string())));
        }
        let listing = listing.get_or_insert_with(|| Listing::new(&fields.iter().map(|(k, _)| *k).collect::<Vec<_>>()));
        listing.push(fields.into_iter().map(|(_, v)| v).collect());
        Ok(())
    })?;
    let listing = listing.unwrap_or_else(|| {
        let empty = Partner::default();
        let keys: Vec<Column> =
            fields(&empty).into_iter().map(|(k, _)| k).filter(|k| with_contact || !contact.contains(&k.key)).collect();
        Listing::new(&keys)
    });
    ctx.print_listing(&listing, "The network has no partners yet.")?;
    Ok(Exit::Done)
}
