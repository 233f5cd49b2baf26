//! Answers written in advance, for tests and demonstrations.

use super::{Answer, Prompter, Unanswered, filtered};
use std::collections::VecDeque;
use std::io;

/// Answers written in advance, for tests and demonstrations. Every question and line said is kept
/// in `transcript`, so a test can check what the coordinator would have seen.
///
/// - `text`: the next answer; an empty answer takes the default.
/// - `choose`: the next answer is an item's number (from 1), its text, the start of its text, or
///   words typed to filter the menu (the first item kept); empty takes the default.
/// - `confirm`: `y`/`yes` or `n`/`no`; empty takes the default.
/// - [`ScriptedPrompter::CTRL_C`] as an answer is Ctrl-C at that question, and
///   [`ScriptedPrompter::CTRL_D`] (or running out of answers) is the end of the input there.
#[derive(Debug, Default)]
pub struct ScriptedPrompter {
    answers: VecDeque<String>,
    pub transcript: Vec<String>,
}

impl ScriptedPrompter {
    pub const CTRL_C: &'static str = "^C";
    pub const CTRL_D: &'static str = "^D";

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

    fn next(&mut self, prompt: &str) -> Answer<String> {
        self.transcript.push(format!("? {prompt}"));
        let Some(answer) = self.answers.pop_front() else {
            return Err(Unanswered::Ended { asked: prompt.to_string() });
        };
        self.transcript.push(format!("> {answer}"));
        match answer.as_str() {
            Self::CTRL_C => Err(Unanswered::Cancelled),
            Self::CTRL_D => Err(Unanswered::Ended { asked: prompt.to_string() }),
            _ => Ok(answer),
        }
    }

    fn wrong(prompt: &str, why: String) -> Unanswered {
        Unanswered::Terminal { asked: prompt.to_string(), source: io::Error::new(io::ErrorKind::InvalidInput, why) }
    }
}

impl Prompter for ScriptedPrompter {
    fn text(&mut self, prompt: &str, default: Option<&str>) -> Answer<String> {
        let answer = self.next(prompt)?;
        if answer.trim().is_empty() {
            return Ok(default.unwrap_or("").to_string());
        }
        Ok(answer)
    }

    fn choose(&mut self, prompt: &str, items: &[String], default: usize) -> Answer<usize> {
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
        items
            .iter()
            .position(|i| i == answer)
            .or_else(|| items.iter().position(|i| i.starts_with(answer)))
            .or_else(|| filtered(items, answer).first().copied())
            .ok_or_else(|| Self::wrong(prompt, format!("the script's answer '{answer}' is not one of {items:?}")))
    }

    fn confirm(&mut self, prompt: &str, default: bool) -> Answer<bool> {
        let answer = self.next(prompt)?;
        match answer.trim().to_lowercase().as_str() {
            "" => Ok(default),
            "y" | "yes" => Ok(true),
            "n" | "no" => Ok(false),
            other => Err(Self::wrong(prompt, format!("the script's answer '{other}' to '{prompt}' is not yes or no"))),
        }
    }

    fn say(&mut self, line: &str) -> io::Result<()> {
        self.transcript.push(line.to_string());
        Ok(())
    }
}
