//! Questions for the coordinator at a terminal, behind a trait so tests can answer them.
//!
//! Prompts are only ever shown when standard input and output are terminals and `--no-input`
//! was not given; `Ctx` hands commands a prompter only then.

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
