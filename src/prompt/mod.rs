//! Questions for the coordinator at a terminal, behind a trait so tests can answer them.
//!
//! Prompts are only ever shown when standard input and output are terminals and `--no-input`
//! was not given; `Ctx` hands commands a prompter only then.
//!
//! A question can go unanswered three ways ([`Unanswered`]): Ctrl-C, the end of the input, or a
//! terminal that cannot be read. Each becomes its own error ([`OrFlag::or_flag`]), and the caller
//! says which flag would have given the answer, so the sentence can name it.
//!
//! `terminal.rs` asks at the real terminal (with the menus of `menu.rs`), `scripted.rs` answers
//! from a script for tests, and [`Escaping`] stands between a command and either, so that no value
//! quoted in a question can act on the terminal.

mod menu;
mod scripted;
mod terminal;

pub use menu::{MENU_HINT, filtered};
pub use scripted::ScriptedPrompter;
pub use terminal::TerminalPrompter;

use crate::domain::text::for_terminal;
use crate::error::{Error, Result};
use std::io;

/// Why a question got no answer.
#[derive(Debug)]
pub enum Unanswered {
    /// Ctrl-C at the question.
    Cancelled,
    /// The input ended (Ctrl-D on an empty answer, or the terminal went away).
    Ended { asked: String },
    /// The terminal could not be read or written.
    Terminal { asked: String, source: io::Error },
}

/// An answer, or why there is none.
pub type Answer<T> = std::result::Result<T, Unanswered>;

impl Unanswered {
    /// The error for this, when `kept` (if anything) was recorded before the question and
    /// `instead` says how to give the answer without being asked.
    pub fn into_error(self, kept: Option<String>, instead: impl Into<String>) -> Error {
        match self {
            Unanswered::Cancelled => Error::Cancelled { kept },
            Unanswered::Ended { asked } => Error::InputEnded { asked, kept, instead: instead.into() },
            Unanswered::Terminal { asked, source } => Error::Terminal { asked, kept, source },
        }
    }
}

/// Turns an unanswered question into engage's error, naming what would answer it instead.
pub trait OrFlag<T> {
    /// `flag` is the flag (with its value) that gives the answer on the command line, such as
    /// `--ends DATE`. Nothing was recorded before the question.
    fn or_flag(self, flag: &str) -> Result<T>;
}

impl<T> OrFlag<T> for Answer<T> {
    fn or_flag(self, flag: &str) -> Result<T> {
        self.map_err(|e| e.into_error(None, format!("pass {flag} to give it without the question")))
    }
}

pub trait Prompter {
    /// Free text. An empty answer returns `default`, or an empty string when there is none.
    fn text(&mut self, prompt: &str, default: Option<&str>) -> Answer<String>;

    /// One of `items`, the cursor starting on `default`; returns its index.
    fn choose(&mut self, prompt: &str, items: &[String], default: usize) -> Answer<usize>;

    fn confirm(&mut self, prompt: &str, default: bool) -> Answer<bool>;

    /// A line for the coordinator between questions: why an answer was not accepted, a summary,
    /// an explanation too long for a question's one line.
    fn say(&mut self, line: &str) -> io::Result<()>;
}

/// Asks until the answer parses, saying why each refused answer was refused.
pub fn ask<T>(
    prompter: &mut dyn Prompter,
    prompt: &str,
    default: Option<&str>,
    parse: impl Fn(&str) -> Result<T, String>,
) -> Answer<T> {
    loop {
        let answer = prompter.text(prompt, default)?;
        match parse(answer.trim()) {
            Ok(value) => return Ok(value),
            Err(why) => {
                prompter.say(&why).map_err(|source| Unanswered::Terminal { asked: prompt.to_string(), source })?
            }
        }
    }
}

/// Like [`ask`], but an empty answer means "no value".
pub fn ask_optional<T>(
    prompter: &mut dyn Prompter,
    prompt: &str,
    parse: impl Fn(&str) -> Result<T, String>,
) -> Answer<Option<T>> {
    ask(prompter, prompt, None, |answer| if answer.is_empty() { Ok(None) } else { parse(answer).map(Some) })
}

/// Shows every question, choice, default and line through [`for_terminal`]: a name with an escape
/// sequence or a direction override in it, quoted in a prompt, is shown as `\x1b[2J` or
/// `\u{202e}` instead of acting on the terminal. `Ctx` hands commands their prompter wrapped in
/// it, so no prompt can forget. Answers are returned as given; a default shown escaped is returned
/// as it was.
pub struct Escaping<'a> {
    inner: &'a mut dyn Prompter,
}

impl<'a> Escaping<'a> {
    pub fn new(inner: &'a mut dyn Prompter) -> Escaping<'a> {
        Escaping { inner }
    }
}

impl Prompter for Escaping<'_> {
    fn text(&mut self, prompt: &str, default: Option<&str>) -> Answer<String> {
        let shown = default.map(for_terminal);
        let answer = self.inner.text(&for_terminal(prompt), shown.as_deref())?;
        // An empty answer took the default as shown: give back the default itself.
        match (default, shown) {
            (Some(d), Some(s)) if answer == s.as_ref() && d != s.as_ref() => Ok(d.to_string()),
            _ => Ok(answer),
        }
    }

    fn choose(&mut self, prompt: &str, items: &[String], default: usize) -> Answer<usize> {
        let items: Vec<String> = items.iter().map(|i| for_terminal(i).into_owned()).collect();
        self.inner.choose(&for_terminal(prompt), &items, default)
    }

    fn confirm(&mut self, prompt: &str, default: bool) -> Answer<bool> {
        self.inner.confirm(&for_terminal(prompt), default)
    }

    fn say(&mut self, line: &str) -> io::Result<()> {
        self.inner.say(&for_terminal(line))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_script_can_press_ctrl_c_or_run_out() {
        let mut p = ScriptedPrompter::new([ScriptedPrompter::CTRL_C]);
        assert!(matches!(p.text("Title", None), Err(Unanswered::Cancelled)));
        assert!(matches!(p.confirm("Record?", true), Err(Unanswered::Ended { asked }) if asked == "Record?"));
        let levels = vec!["direct: direct care".to_string(), "organizational: an organization".to_string()];
        let mut p = ScriptedPrompter::new(["an org"]);
        assert_eq!(p.choose("Level", &levels, 0).unwrap(), 1);
    }

    #[test]
    fn an_unanswered_question_names_the_flag_that_answers_it() {
        let ended: Answer<()> = Err(Unanswered::Ended { asked: "Ends on".into() });
        let e = ended.or_flag("--ends DATE").unwrap_err();
        assert_eq!(
            e.to_string(),
            "the input ended at the question 'Ends on'; nothing was recorded; pass --ends DATE to give it without the question"
        );
        assert_eq!(e.exit_code(), 2);
        let cancelled: Answer<()> = Err(Unanswered::Cancelled);
        let e = cancelled.or_flag("--ends DATE").unwrap_err();
        assert_eq!((e.to_string().as_str(), e.exit_code()), ("Cancelled; nothing was recorded.", 130));
        let broken: Answer<()> = Err(Unanswered::Terminal { asked: "Ends on".into(), source: io::Error::other("EIO") });
        let e = broken.or_flag("--ends DATE").unwrap_err();
        assert_eq!(
            (e.to_string().as_str(), e.exit_code()),
            ("the terminal could not be read or written at the question 'Ends on'; nothing was recorded", 1)
        );
    }

    #[test]
    fn escaping_shows_controls_as_escapes_and_returns_answers_as_given() {
        let mut script = ScriptedPrompter::new(["", "2", "y", "typed\x1b"]);
        {
            let mut p = Escaping::new(&mut script);
            let name = "Ana\x1b]0;owned\x07 \u{202e}evil";
            assert_eq!(p.text(&format!("Outcome for {name}?"), Some(name)).unwrap(), name);
            p.say(&format!("Closing with {name}")).unwrap();
            assert_eq!(p.choose("Who?", &[name.to_string(), "Bo".to_string()], 0).unwrap(), 1);
            assert!(p.confirm(&format!("Pay {name}?"), false).unwrap());
            assert_eq!(p.text("Note", None).unwrap(), "typed\x1b");
        }
        // What was shown (the prompts and lines, not the answers typed).
        let seen: Vec<&String> = script.transcript.iter().filter(|l| !l.starts_with("> ")).collect();
        let seen = seen.iter().map(|l| l.as_str()).collect::<Vec<_>>().join("\n");
        assert!(!seen.contains(['\x1b', '\x07', '\u{202e}']), "{seen}");
        assert!(seen.contains("Outcome for Ana\\x1b]0;owned\\x07 \\u{202e}evil?"), "{seen}");
        assert!(seen.contains("Closing with Ana\\x1b"), "{seen}");
    }
}
