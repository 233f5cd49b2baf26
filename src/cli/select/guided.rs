//! The guided `engage select REQ`, on a terminal: each candidate's facts and scores asked, the
//! ranking, the choice asked with every warning of the rules, and the decision recorded.

use super::decision::{
    Asked, Decided, decide_in, keep_withdrawn, logged_deselections, logged_words, others, report_decided,
};
use super::pool::{Pool, criteria_words, load, no_candidates, refuse_final, save_scores, score_list, shown};
use super::{parse_ids, parse_score_value};
use crate::app::{Ctx, Exit};
use crate::cli::checked_answer;
use crate::db::{Db, requests, selection};
use crate::domain::Stamp;
use crate::domain::criteria::Criterion;
use crate::domain::dates::iso;
use crate::domain::kinds::PartnerStatus;
use crate::domain::plural;
use crate::domain::request::Request;
use crate::domain::selection::{
    Candidate, Choice, Decision, Outcome, Refusal, Rules, Standing, check, commitments, experience, id_list,
    record_check, tally, why,
};
use crate::domain::text;
use crate::domain::text::Kind;
use crate::error::{Error, Result};
use crate::prompt::{Prompter, Unanswered, ask, ask_optional};
use chrono::NaiveDate;
use std::collections::BTreeMap;

/// How the guided flow ended.
enum Guided {
    /// The coordinator stopped while scoring; what was scored is kept.
    Stopped,
    /// The request was already decided and the coordinator kept that decision.
    Kept,
    /// No decision was recorded; `saved` scores given in this run are kept.
    NotRecorded {
        saved: usize,
    },
    Recorded(Box<Decided>),
}

pub(super) fn guided(request_id: i64, ctx: &mut Ctx<'_>) -> Result<Exit> {
    if !ctx.interactive() {
        return Err(Error::Missing(format!(
            "`engage select {request_id}` is guided and needs a terminal; in a script, score with \
             `engage select score {request_id} PARTNER --score CRITERION=N`, rank with `engage select rank {request_id}` \
             and decide with `engage select decide {request_id} --select IDS`"
        )));
    }
    let mut db = ctx.open_db()?;
    let request = requests::get(db.conn(), request_id)?;
    refuse_final(&request, "its selection is history")?;
    let stamp = ctx.stamp.clone();
    let today = ctx.today;
    let ended = match ctx.prompter() {
        Some(p) => guided_flow(p, &mut db, &stamp, today, request)?,
        None => return Err(Error::Missing(format!("`engage select {request_id}` needs a terminal"))),
    };
    match ended {
        Guided::Stopped => ctx.note(&format!(
            "Stopped. The scores given are kept; `engage select {request_id}` takes up where you left off."
        ))?,
        Guided::Kept => ctx.note(&format!("Request {request_id} keeps its decision; nothing changed."))?,
        Guided::NotRecorded { saved: 0 } => {
            ctx.note(&format!("Nothing was recorded. `engage select {request_id}` takes it up again."))?
        }
        Guided::NotRecorded { saved } => ctx.note(&format!(
            "The decision was not recorded; {} kept. `engage select {request_id}` takes it up again.",
            scores_given(saved)
        ))?,
        Guided::Recorded(decided) => report_decided(&decided, ctx)?,
    }
    Ok(Exit::Done)
}

fn facts(c: &Candidate, rules: &Rules) -> Vec<String> {
    let p = &c.partner;
    let or_none = |v: Option<&String>, none: &str| v.map_or(none.to_string(), |t| shown(t));
    let mut lines = vec![
        format!("  Statement of interest: {}", or_none(c.statement.as_ref(), "(none)")),
        format!("  Availability: {}", or_none(c.availability.as_ref().or(p.availability.as_ref()), "(not given)")),
    ];
    let mut place: Vec<String> = Vec::new();
    if let Some(region) = &p.region {
        place.push(shown(region));
    }
    if let Some(community) = p.community {
        place.push(community.to_string());
    }
    lines.push(format!(
        "  Region and community: {}",
        if place.is_empty() { "(not given)".to_string() } else { place.join(", ") }
    ));
    lines.push(format!(
        "  Topics: {}",
        if p.topics.is_empty() { "(none)".to_string() } else { shown(&p.topics.join(", ")) }
    ));
    lines.push(format!("  Lived experience: {}", or_none(p.lived_experience.as_ref(), "(not given)")));
    lines.push(format!(
        "  Experience: {}; {} in the last 12 months; {} now",
        experience(c, rules),
        plural(c.recent as usize, "engagement", "engagements"),
        plural(c.active as usize, "active engagement", "active engagements")
    ));
    lines.push(format!(
        "  Commitments: {}",
        commitments(p.commitments_signed_on, rules.check_on, rules.commitments_valid_days).state()
    ));
    lines.push(format!("  Record check: {}", record_check(p, rules.record_check_required)));
    lines.push(format!("  Conflict of interest: {}", or_none(c.conflict.as_ref(), "none declared")));
    if p.status != PartnerStatus::Active {
        lines.push(format!("  In the network: {}", p.status));
    }
    lines
}

enum ScoreAnswer {
    Score(u8),
    Later,
    Stop,
}

/// `experience (required), 0-3`: one short line; what the criterion means is said before.
fn score_prompt(c: &Criterion) -> String {
    let mut prompt = c.name.clone();
    match (c.required, c.weight) {
        (true, 1) => prompt.push_str(" (required)"),
        (true, w) => prompt.push_str(&format!(" (required, weight {w})")),
        (false, 1) => {}
        (false, w) => prompt.push_str(&format!(" (weight {w})")),
    }
    prompt.push_str(", 0-3");
    prompt
}

/// `the 3 scores given are`, for what a run of the guided flow kept.
fn scores_given(saved: usize) -> String {
    if saved == 1 { "the score given is".to_string() } else { format!("the {saved} scores given are") }
}

/// The error for a question of the guided flow left unanswered, saying what was kept.
fn unanswered(e: Unanswered, request_id: i64, saved: usize) -> Error {
    let kept = (saved > 0)
        .then(|| format!("{} kept (`engage select {request_id}` takes up where you left off)", scores_given(saved)));
    e.into_error(
        kept,
        format!(
            "score with `engage select score {request_id} PARTNER --score CRITERION=N` and decide with \
             `engage select decide {request_id} --select IDS`"
        ),
    )
}

/// Asks the scores of one candidate, the scores already given as defaults. Returns the scores
/// that changed, with whether the coordinator asked to stop, or why a question went unanswered:
/// the scores given before it are returned all the same, to be kept.
fn ask_scores(
    p: &mut dyn Prompter,
    criteria: &[Criterion],
    c: &Candidate,
) -> (Vec<(String, u8)>, std::result::Result<bool, Unanswered>) {
    let mut changed = Vec::new();
    for criterion in criteria {
        let current = c.scores.get(&criterion.name).copied();
        let default = current.map(|s| s.to_string());
        let answer = ask(p, &score_prompt(criterion), default.as_deref(), |a| match a {
            "q" | "Q" => Ok(ScoreAnswer::Stop),
            "" => Ok(ScoreAnswer::Later),
            other => parse_score_value(other)
                .map(ScoreAnswer::Score)
                .map_err(|why| format!("{why}; or leave it empty to score it later, or q to stop")),
        });
        match answer {
            Ok(ScoreAnswer::Score(s)) if Some(s) != current => changed.push((criterion.name.clone(), s)),
            Ok(ScoreAnswer::Score(_) | ScoreAnswer::Later) => {}
            Ok(ScoreAnswer::Stop) => return (changed, Ok(true)),
            Err(e) => return (changed, Err(e)),
        }
    }
    (changed, Ok(false))
}

fn candidate_line(s: &Standing, c: &Candidate, rules: &Rules) -> String {
    let place = s.rank.map_or("  -".to_string(), |r| format!("{r:>3}"));
    format!(
        "{place}. partner {} {}: {}/{} ({})",
        c.id(),
        shown(&c.partner.name()),
        s.total,
        s.max_total,
        why(c, s, rules)
    )
}

fn guided_flow(p: &mut dyn Prompter, db: &mut Db, stamp: &Stamp, today: NaiveDate, request: Request) -> Result<Guided> {
    let request_id = request.id;
    let mut pool = load(db.conn(), request, today)?;
    if pool.candidates.is_empty() {
        return Err(no_candidates(request_id));
    }
    let r = &pool.request;
    p.say(&format!(
        "Request {}: {} for {} ({}); {} interested.",
        r.id,
        shown(&r.title),
        shown(&r.organization),
        plural(r.seats as usize, "seat", "seats"),
        plural(pool.candidates.len(), "candidate", "candidates")
    ))?;
    p.say(&format!("Criteria: {}.", criteria_words(&r.criteria)))?;
    let earlier = selection::decisions(db.conn(), request_id)?;
    let redecide = !earlier.is_empty();
    if redecide {
        let first = earlier.iter().map(|d| d.decided_on).min().unwrap_or(today);
        p.say(&format!(
            "Request {request_id} was decided on {}: {}.",
            iso(first),
            tally(earlier.iter().map(|d| d.outcome))
        ))?;
        if !p.confirm("Make the decision again?", false).map_err(|e| unanswered(e, request_id, 0))? {
            return Ok(Guided::Kept);
        }
    }
    p.say("Score each candidate from 0 (not met) to 3 (strongly met) on:")?;
    for c in &r.criteria {
        match c.meaning() {
            Some(meaning) => p.say(&format!("  {}: {meaning}.", score_prompt(c).trim_end_matches(", 0-3")))?,
            None => p.say(&format!("  {}", score_prompt(c).trim_end_matches(", 0-3")))?,
        }
    }
    p.say("Each score is kept once given: answer q to stop, and `engage select` again takes up where you left off.")?;
    let mut saved = 0;

    let total = pool.candidates.len();
    for (index, c) in pool.candidates.iter().enumerate() {
        p.say("")?;
        p.say(&format!("Candidate {} of {total}: partner {}, {}", index + 1, c.id(), shown(&c.partner.name())))?;
        for line in facts(c, &pool.rules) {
            p.say(&line)?;
        }
        let criteria = &pool.request.criteria;
        let complete = criteria.iter().all(|cr| c.scores.contains_key(&cr.name));
        if complete {
            let given: Vec<String> = score_list(c, criteria);
            p.say(&format!("  Scored: {}", given.join(", ")))?;
            if p.confirm("Keep these scores?", true).map_err(|e| unanswered(e, request_id, saved))? {
                continue;
            }
        }
        // What was given is saved even when a question went unanswered (Ctrl-C part-way through
        // a candidate keeps that candidate's scores so far, as `q` does).
        let (changed, ended) = ask_scores(p, criteria, c);
        if !changed.is_empty() {
            db.write(|tx| save_scores(tx, stamp, request_id, c.id(), &changed))?;
            saved += changed.len();
        }
        match ended {
            Ok(true) => return Ok(Guided::Stopped),
            Ok(false) => {}
            Err(e) => return Err(unanswered(e, request_id, saved)),
        }
    }

    pool = load(db.conn(), requests::get(db.conn(), request_id)?, today)?;
    p.say("")?;
    p.say("Ranking (ties go to fewer engagements in the last 12 months):")?;
    for (s, c) in pool.ranked() {
        p.say(&candidate_line(s, c, &pool.rules))?;
    }

    if pool.standings.iter().all(|s| s.excluded_by.is_some()) {
        p.say("Every candidate is excluded by a required criterion scored 0; nobody can be selected.")?;
        return Ok(Guided::NotRecorded { saved });
    }
    let unanswered = |e: Unanswered| unanswered(e, request_id, saved);
    let mut deselect_logged = false;
    let (choice, flags) = 'choosing: loop {
        let mut choice = ask_choice(p, &pool, &earlier, &unanswered)?;
        keep_withdrawn(&mut choice, &pool, &earlier);
        let (mut choice, flags) = match check(&choice, &pool.candidates, &pool.standings, &pool.rules) {
            Ok(flags) => (choice, flags),
            Err(refusal @ Refusal::MoreThanSeats { .. }) => {
                p.say(&refusal.to_string())?;
                let anyway = format!(
                    "Select {} partners for {} anyway?",
                    choice.selected.len(),
                    plural(pool.request.seats as usize, "seat", "seats")
                );
                if !p.confirm(&anyway, false).map_err(unanswered)? {
                    continue;
                }
                let forced = Choice { force: true, ..choice };
                match check(&forced, &pool.candidates, &pool.standings, &pool.rules) {
                    Ok(flags) => (forced, flags),
                    Err(refusal) => {
                        p.say(&refusal.to_string())?;
                        continue;
                    }
                }
            }
            // The questions already keep out excluded candidates and ask a conflict's reason;
            // whatever else a rule refuses is said, and the choice asked again.
            Err(refusal) => {
                p.say(&refusal.to_string())?;
                continue;
            }
        };
        // Hours or money logged for a partner this would take out of the engagement.
        let logged = logged_deselections(db.conn(), &pool, &earlier, &choice)?;
        if !logged.is_empty() {
            p.say(&format!(
                "{} on request {request_id}, and that stays in every statement and report whatever the decision.",
                logged_words(&pool, &logged)
            ))?;
            let items = vec![
                "record that they left part-way: withdrew, paid for the hours logged".to_string(),
                "decide it all the same".to_string(),
                "choose again".to_string(),
            ];
            match p.choose("What now?", &items, 0).map_err(unanswered)? {
                0 => {
                    for (id, _, _) in &logged {
                        choice.waitlisted.retain(|w| w != id);
                        choice.withdrew.push(*id);
                    }
                }
                1 => deselect_logged = true,
                _ => continue 'choosing,
            }
        }
        break (choice, flags);
    };
    p.say("")?;
    for f in &flags {
        p.say(&format!("warning: {}", f.text))?;
    }
    let names = |ids: &[i64]| -> String {
        let words: Vec<String> = ids
            .iter()
            .filter_map(|id| pool.candidate(*id))
            .map(|c| format!("partner {} ({})", c.id(), shown(&c.partner.name())))
            .collect();
        if words.is_empty() { "nobody".to_string() } else { words.join(", ") }
    };
    p.say(&format!("Selected: {}.", names(&choice.selected)))?;
    p.say(&format!("Waitlisted: {}.", names(&choice.waitlisted)))?;
    if !choice.withdrew.is_empty() {
        p.say(&format!("Withdrew: {}.", names(&choice.withdrew)))?;
    }
    p.say(&format!("Not selected: {}.", plural(others(&pool, &choice), "other candidate", "other candidates")))?;
    if !p.confirm("Record this decision?", true).map_err(unanswered)? {
        return Ok(Guided::NotRecorded { saved });
    }
    let asked = Asked { choice, keep_the_rest: false, redecide, deselect_logged };
    let decided = db.write(|tx| decide_in(tx, stamp, request_id, today, asked.clone()))?;
    Ok(Guided::Recorded(Box::new(decided)))
}

/// Asks whom to select and waitlist, and the reasons; a declared conflict needs one.
fn ask_choice(
    p: &mut dyn Prompter,
    pool: &Pool,
    earlier: &[Decision],
    unanswered: &dyn Fn(Unanswered) -> Error,
) -> Result<Choice> {
    let request_id = pool.request.id;
    let ids = pool.ids();
    let eligible = |id: i64| -> std::result::Result<(), String> {
        if !ids.contains(&id) {
            return Err(format!(
                "partner {id} is not an interested candidate for request {request_id}; the candidates are {}",
                id_list(&ids)
            ));
        }
        match pool.standings.iter().find(|s| s.partner_id == id).and_then(|s| s.excluded_by.clone()) {
            Some(criterion) => Err(Refusal::Excluded { partner_id: id, criterion }.to_string()),
            None => Ok(()),
        }
    };
    let before = |outcome: Outcome| -> Vec<i64> {
        earlier.iter().filter(|d| d.outcome == outcome && ids.contains(&d.partner_id)).map(|d| d.partner_id).collect()
    };
    let suggested: Vec<i64> = if earlier.is_empty() {
        pool.standings
            .iter()
            .filter(|s| s.rank.is_some())
            .take(pool.request.seats as usize)
            .map(|s| s.partner_id)
            .collect()
    } else {
        before(Outcome::Selected)
    };
    let suggested = (!suggested.is_empty()).then(|| suggested.iter().map(i64::to_string).collect::<Vec<_>>().join(","));
    let selected = ask(p, "Partner ids to select (comma-separated)", suggested.as_deref(), |a| {
        let ids = parse_ids(a)?;
        for id in &ids {
            eligible(*id)?;
        }
        Ok(ids)
    })
    .map_err(unanswered)?;
    let waitlisted_before: Vec<i64> =
        before(Outcome::Waitlisted).into_iter().filter(|id| !selected.contains(id)).collect();
    let waitlist_default = (!waitlisted_before.is_empty())
        .then(|| waitlisted_before.iter().map(i64::to_string).collect::<Vec<_>>().join(","));
    let waitlisted = ask(
        p,
        "Partner ids to waitlist (comma-separated; empty or none for nobody)",
        waitlist_default.as_deref(),
        |a| {
            if a.is_empty() || a.eq_ignore_ascii_case("none") {
                return Ok(Vec::new());
            }
            let ids = parse_ids(a)?;
            for id in &ids {
                eligible(*id)?;
                if selected.contains(id) {
                    return Err(format!("partner {id} is already selected; give each partner one outcome"));
                }
            }
            Ok(ids)
        },
    )
    .map_err(unanswered)?;
    let mut reasons = BTreeMap::new();
    for (id, outcome) in
        selected.iter().map(|id| (*id, Outcome::Selected)).chain(waitlisted.iter().map(|id| (*id, Outcome::Waitlisted)))
    {
        let Some(c) = pool.candidate(id) else { continue };
        let reason = match (&c.conflict, outcome) {
            (Some(conflict), Outcome::Selected) => {
                p.say(&format!("Partner {id} declared a conflict of interest: {}", shown(conflict)))?;
                Some(
                    ask(p, &format!("Why select partner {id} all the same?"), None, |a| {
                        let reason = text::optional(a).ok_or_else(|| {
                            "a reason is needed to select a partner who declared a conflict of interest".to_string()
                        })?;
                        checked_answer(&reason, Kind::Note)
                    })
                    .map_err(unanswered)?,
                )
            }
            _ => {
                let prompt = format!(
                    "Reason for {} partner {id} (optional)",
                    if outcome == Outcome::Selected { "selecting" } else { "waitlisting" }
                );
                ask_optional(p, &prompt, |a| checked_answer(a, Kind::Note)).map_err(unanswered)?
            }
        };
        if let Some(reason) = reason {
            reasons.insert(id, reason);
        }
    }
    Ok(Choice { selected, waitlisted, withdrew: Vec::new(), reasons, force: false })
}
