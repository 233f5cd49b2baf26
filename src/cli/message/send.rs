//! `engage message KIND REQ`: one message per person, drafted from what engage knows, printed
//! (the default; nothing changes), written to an outbox folder (`--outbox DIR`) or sent
//! (`--send`). What a message stands for is recorded with its delivery, in one transaction, and
//! only for the messages that went. `plan.rs` gathers whom a kind is for and drafts their
//! messages; `deliver.rs` prints, writes or sends them.

use super::SendArgs as Args;
use super::deliver::{Job, call_list, date_of, print_drafts, send_all, sender, to_of, write_outbox};
use super::plan::{Draft, Target, check_request, choose_templates, gather, narrow, render};
use crate::app::{Ctx, Exit};
use crate::correspondence::Kind;
use crate::correspondence::draft::Reach;
use crate::correspondence::mail::{Ids, Letter};
use crate::db::requests;
use crate::domain::plural;
use crate::error::{Error, Result};
use crate::output::Format;

pub fn run(kind: Kind, a: Args, ctx: &mut Ctx<'_>) -> Result<Exit> {
    let mut db = ctx.open_db()?;
    let request = requests::get(db.conn(), a.request)?;
    check_request(kind, &request)?;
    let (templates, template_path) = choose_templates(&a, kind, request.way, ctx.templates_dir.as_deref())?;
    let mut plan = gather(db.conn(), kind, request, ctx.today)?;
    // Who the kind is for, before --partner narrows who is written to now: a closing step waits
    // for all of them, and for anyone still to be called.
    let everyone: Vec<Option<i64>> = plan.targets.iter().map(Target::partner_id).collect();
    let phoned = plan.targets.iter().any(|t| t.partner_id().is_some() && !matches!(t.reach, Reach::Email(_)));
    narrow(db.conn(), &mut plan, kind, &a.partners, ctx.today)?;
    let id = plan.request.id;
    for (p, why) in &plan.left_out {
        ctx.note(&format!("Not written to: partner {p} {why}."))?;
    }
    if !a.again {
        let had: Vec<&Target> = plan.targets.iter().filter(|t| t.had.is_some()).collect();
        // A few are named; a whole network that had it is counted.
        if had.len() > 10 {
            let unknown = had.iter().filter(|t| t.had.as_deref().is_some_and(|h| h.contains("unknown"))).count();
            ctx.note(&format!(
                "Not again: {} had {} already{}; --again writes to them too.",
                plural(had.len(), "person", "people"),
                kind.words(),
                if unknown > 0 { format!(" ({unknown} of them with a delivery unknown)") } else { String::new() }
            ))?;
        } else {
            for t in had {
                ctx.note(&format!("Not again: {} {}.", t.label(), t.had.as_deref().unwrap_or_default()))?;
            }
        }
    }
    for t in plan.targets.iter().filter(|t| t.reach == Reach::Nowhere) {
        ctx.warn(&format!("{} has no e-mail or phone on file; nothing can reach them", t.label()))?;
    }
    let going: Vec<usize> = (0..plan.targets.len())
        .filter(|&i| (a.again || plan.targets[i].had.is_none()) && plan.targets[i].reach != Reach::Nowhere)
        .collect();
    let drafts = render(&plan, kind, &templates, &going)?;
    if drafts.is_empty() {
        ctx.note(&format!("Nobody is left to write {} of request {id} to; nothing changed.", kind.words()))?;
        return Ok(Exit::Done);
    }
    if !a.send && a.outbox.is_none() {
        print_drafts(ctx, &plan, kind, &drafts)?;
        let emails = drafts.iter().filter(|d| matches!(plan.targets[d.target].reach, Reach::Email(_))).count();
        ctx.note(&format!(
            "{} of {} for request {id}{}; nothing was sent or recorded: --send e-mails them, --outbox DIR writes them as files.",
            plural(emails, "draft", "drafts"),
            kind.words(),
            match drafts.len() - emails {
                0 => String::new(),
                calls => format!(", and {} to call", plural(calls, "partner", "partners")),
            }
        ))?;
        return Ok(Exit::Done);
    }
    let emails: Vec<&Draft> =
        drafts.iter().filter(|d| matches!(plan.targets[d.target].reach, Reach::Email(_))).collect();
    let sender = sender(db.conn(), &plan.letterhead, if a.send { "--send" } else { "--outbox" })?;
    let stamp = ctx.stamp.clone();
    let date = date_of(&stamp);
    let mut ids = Ids::new();
    // Every message is built before any goes: an address a message cannot hold stops the command here.
    let mut built = Vec::with_capacity(emails.len());
    for d in emails.iter().copied() {
        let t = &plan.targets[d.target];
        let message_id = ids.next(sender.domain());
        let to = to_of(t);
        let letter =
            Letter { to_name: &t.name, to_address: &to, subject: &d.subject, body: &d.body, message_id: &message_id };
        let message = sender.build(&letter, date).map_err(Error::Invalid)?;
        built.push((d, message_id, to, message));
    }
    let calls = call_list(&plan, kind, &drafts);
    let job = Job { kind, plan: &plan, everyone, phoned };
    let result = if built.is_empty() {
        // Only partners to call: no server to reach, no file to write.
        Ok(Exit::Done)
    } else if let Some(dir) = &a.outbox {
        write_outbox(ctx, &mut db, &a, dir, template_path.as_deref(), &job, &built)
    } else {
        send_all(ctx, &mut db, &a, &job, &built)
    }?;
    if !calls.is_empty() {
        if ctx.format == Format::Table {
            writeln!(ctx.out, "Call list: they prefer the phone")?;
        }
        ctx.print_listing(&calls, "")?;
        let record = match kind {
            Kind::Outcome => format!("`engage select notify {id}` records the calls"),
            Kind::Welcome => format!("`engage select onboard {id} PARTNER --welcomed DATE` records each call"),
            Kind::Thanks => format!("`engage close {id} --thanked DATE --keep-open` records the thanks"),
            Kind::LoopClosed => format!("`engage close {id} --loop-closed DATE --keep-open` records it"),
            Kind::Survey => format!("`engage close {id} --partner-survey DATE --keep-open` records it"),
            Kind::Invitation => format!("`engage recruit respond {id} PARTNER` records their answer"),
            Kind::Roster => String::new(),
        };
        ctx.note(&format!(
            "{} to call: nothing is recorded for them until you do; {record}.",
            plural(calls.rows.len(), "partner prefers the phone and is", "partners prefer the phone and are")
        ))?;
    }
    Ok(result)
}
