//! `engage message template KIND [--way W]`: the built-in template, to copy and edit.

use crate::app::{Ctx, Exit};
use crate::correspondence::draft::PLACEHOLDERS;
use crate::correspondence::{Kind, Language, template};
use crate::domain::kinds::Way;
use crate::error::{Error, Result};
use crate::output::{Format, Listing, Value};

pub const HELP: &str = "\
Examples:
  engage message template outcome > outcome.txt
  engage message template invitation --way inform
  engage message template outcome --lang fr > outcome.fr.txt
  engage message template --placeholders

A template is a first line 'Subject: …', a blank line, and the body, with placeholders such as
{{ name }} and {{ request.title }} (Jinja's syntax). A value the request may lack is tested first:
{% if request.supports is defined %}…{% endif %}. Use your copy with --template FILE, or put it in
the templates folder (on Linux ~/.config/engage/templates) as KIND.txt or KIND-WAY.txt
(outcome-collaborate.txt) to use it every time; a French one as KIND.fr.txt or KIND-WAY.fr.txt,
for the partners whose language of correspondence is French.";

fn parse_language(text: &str) -> std::result::Result<Language, String> {
    text.parse()
}

fn parse_kind(text: &str) -> std::result::Result<Kind, String> {
    text.parse()
}

#[derive(Debug, clap::Args)]
pub struct Args {
    /// invitation, outcome, welcome, thanks, loop-closed, survey or roster
    #[arg(value_parser = parse_kind, required_unless_present = "placeholders")]
    pub kind: Option<Kind>,
    /// The way of engaging whose variant to print (default: involve's, the general one)
    #[arg(long, value_enum, value_name = "W")]
    pub way: Option<Way>,
    /// The language of the template: en (default) or fr
    #[arg(long, value_name = "en|fr", value_parser = parse_language, conflicts_with = "placeholders")]
    pub lang: Option<Language>,
    /// List the placeholders a template may use instead
    #[arg(long, conflicts_with_all = ["kind", "way"])]
    pub placeholders: bool,
}

pub fn run(a: Args, ctx: &mut Ctx<'_>) -> Result<Exit> {
    if a.placeholders {
        let mut listing = Listing::new(&["placeholder", "holds"]);
        for (name, about) in PLACEHOLDERS {
            listing.push(vec![Value::text(*name), Value::text(*about)]);
        }
        ctx.print_listing(&listing, "")?;
        return Ok(Exit::Done);
    }
    let kind = a.kind.ok_or_else(|| Error::Missing("message template needs a KIND, such as outcome".to_string()))?;
    let lang = a.lang.unwrap_or_default();
    let source = template::built_in(kind, a.way.unwrap_or(Way::Involve), lang);
    match ctx.format {
        Format::Table => write!(ctx.out, "{}", source.text)?,
        _ => {
            let mut listing = Listing::new(&["kind", "way", "language", "template"]);
            listing.push(vec![
                Value::text(kind.as_str()),
                Value::opt_text(a.way.map(|w| w.as_str())),
                Value::text(lang.code()),
                Value::text(source.text),
            ]);
            ctx.print_listing(&listing, "")?;
        }
    }
    ctx.note(&format!("This is {}.", source.name))?;
    Ok(Exit::Done)
}
