//! Questions for the coordinator at a terminal, behind a trait so tests can answer them.
//!
//! Prompts are only ever shown when standard input and output are terminals and `--no-input`
//! was not given; `Ctx` hands commands a prompter only then.

use crate::domain::text::for_terminal;
use std::collections::VecDeque;
use std::io;

pub trait Prompter {
    /// Free text. An empty answer returns `default`, or an empty string when there is none.
    fn text(&mut self, prompt: &str, default: Option<&str>) -> io::Result<String>;

    /// One of `items`; returns its index.
    fn choose(&mut self, prompt: &str, items: &[String], default: usize) -> io::Result<usize>;

    fn confirm(&mut self, prompt: &str, default: bool) -> io::Result<bool>;

    /// A line for the coordinator between questions: why an answer was not accepted, a summary.
    fn say(&mut self, line: &str) -> io::Result<()>;
}

/// Asks until the answer parses, saying why each refused answer was refused.
pub fn ask<T>(
    prompter: &mut dyn Prompter,
    prompt: &str,
    default: Option<&str>,
    parse: impl Fn(&str) -> Result<T, String>,
) -> io::Result<T> {
    loop {
        let answer = prompter.text(prompt, default)?;
        match parse(answer.trim()) {
            Ok(value) => return Ok(value),
            Err(why) => prompter.say(&why)?,
        }
    }
}

/// Like [`ask`], but an empty answer means "no value".
pub fn ask_optional<T>(
    prompter: &mut dyn Prompter,
    prompt: &str,
    parse: impl Fn(&str) -> Result<T, String>,
) -> io::Result<Option<T>> {
    ask(prompter, prompt, None, |answer| if answer.is_empty() { Ok(None) } else { parse(answer).map(Some) })
}

/// The real terminal, through dialoguer. Questions and their echo go to standard error so that
/// standard output carries only data.
#[derive(Debug, Default)]
pub struct TerminalPrompter;

fn from_dialoguer(e: dialoguer::Error) -> io::Error {
    match e {
        dialoguer::Error::IO(e) => e,
    }
}

impl Prompter for TerminalPrompter {
    fn text(&mut self, prompt: &str, default: Option<&str>) -> io::Result<String> {
        let term = dialoguer::console::Term::stderr();
        let mut input = dialoguer::Input::<String>::new().with_prompt(prompt).allow_empty(true);
        if let Some(d) = default {
            input = input.default(d.to_string());
        }
        input.interact_text_on(&term).map_err(from_dialoguer)
    }

    fn choose(&mut self, prompt: &str, items: &[String], default: usize) -> io::Result<usize> {
        let term = dialoguer::console::Term::stderr();
        dialoguer::Select::new()
            .with_prompt(prompt)
            .items(items)
            .default(default)
            .interact_on(&term)
            .map_err(from_dialoguer)
    }

    fn confirm(&mut self, prompt: &str, default: bool) -> io::Result<bool> {
        let term = dialoguer::console::Term::stderr();
        dialoguer::Confirm::new().with_prompt(prompt).default(default).interact_on(&term).map_err(from_dialoguer)
    }

    fn say(&mut self, line: &str) -> io::Result<()> {
        dialoguer::console::Term::stderr().write_line(line)
    }
}

/// Answers written in advance, for tests and demonstrations. Every question and line said is kept
/// in `transcript`, so a test can check what the coordinator would have seen.
///
/// - `text`: the next answer; an empty answer takes the default.
/// - `choose`: the next answer is an item's number (from 1), its text, or the start of its text;
///   empty takes the default.
/// - `confirm`: `y`/`yes` or `n`/`no`; empty takes the default.
#[derive(Debug, Default)]
pub struct ScriptedPrompter {
    answers: VecDeque<String>,
    pub transcript: Vec<String>,
}

impl ScriptedPrompter {
    pub fn new<I, S>(answers: I) -> ScriptedPrompter
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        ScriptedPrompter { answers: answers.into_iter().map(Into::into).collect(), transcript: Vec::new() }
    }

    pub fn remaining(&self) -> usize {
        self.answers.len()
    }

    fn next(&mut self, prompt: &str) -> io::Result<String> {
        self.transcript.push(format!("? {prompt}"));
        let answer = self.answers.pop_front().ok_or_else(|| {
            io::Error::new(io::ErrorKind::UnexpectedEof, format!("the script has no answer for '{prompt}'"))
        })?;
        self.transcript.push(format!("> {answer}"));
        Ok(answer)
    }
}

impl Prompter for ScriptedPrompter {
    fn text(&mut self, prompt: &str, default: Option<&str>) -> io::Result<String> {
        let answer = self.next(prompt)?;
        if answer.trim().is_empty() {
            return Ok(default.unwrap_or("").to_string());
        }
        Ok(answer)
    }

    fn choose(&mut self, prompt: &str, items: &[String], default: usize) -> io::Result<usize> {
        let answer = self.next(prompt)?;
        let answer = answer.trim();
        if answer.is_empty() {
            return Ok(default);
        }
        if let Ok(n) = answer.parse::<usize>() {
            if (1..=items.len()).contains(&n) {
                return Ok(n - 1);
            }
        }
        items.iter().position(|i| i == answer).or_else(|| items.iter().position(|i| i.starts_with(answer))).ok_or_else(
            || {
                io::Error::new(
                    io::ErrorKind::InvalidInput,
                    format!("the script's answer '{answer}' is not one of {items:?}"),
                )
            },
        )
    }

    fn confirm(&mut self, prompt: &str, default: bool) -> io::Result<bool> {
        let answer = self.next(prompt)?;
        match answer.trim().to_lowercase().as_str() {
            "" => Ok(default),
            "y" | "yes" => Ok(true),
            "n" | "no" => Ok(false),
            other => Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                format!("the script's answer '{other}' to '{prompt}' is not yes or no"),
            )),
        }
    }

    fn say(&mut self, line: &str) -> io::Result<()> {
        self.transcript.push(line.to_string());
        Ok(())
    }
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
    fn text(&mut self, prompt: &str, default: Option<&str>) -> io::Result<String> {
        let shown = default.map(for_terminal);
        let answer = self.inner.text(&for_terminal(prompt), shown.as_deref())?;
        // An empty answer took the default as shown: give back the default itself.
        match (default, shown) {
            (Some(d), Some(s)) if answer == s.as_ref() && d != s.as_ref() => Ok(d.to_string()),
            _ => Ok(answer),
        }
    }

    fn choose(&mut self, prompt: &str, items: &[String], default: usize) -> io::Result<usize> {
        let items: Vec<String> = items.iter().map(|i| for_terminal(i).into_owned()).collect();
        self.inner.choose(&for_terminal(prompt), &items, default)
    }

    fn confirm(&mut self, prompt: &str, default: bool) -> io::Result<bool> {
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
