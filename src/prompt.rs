//! Questions for the coordinator at a terminal, behind a trait so tests can answer them.
//!
//! Prompts are only ever shown when standard input and output are terminals and `--no-input`
//! was not given; `Ctx` hands commands a prompter only then.
//!
//! A question can go unanswered three ways ([`Unanswered`]): Ctrl-C, the end of the input, or a
//! terminal that cannot be read. Each becomes its own error ([`OrFlag::or_flag`]), and the caller
//! says which flag would have given the answer, so the sentence can name it.

use crate::domain::text::for_terminal;
use crate::error::{Error, Result};
use console::{Key, Term, measure_text_width};
use std::collections::VecDeque;
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

/// The items a menu's typed filter keeps: those containing every word typed, in any case.
pub fn filtered(items: &[String], filter: &str) -> Vec<usize> {
    let words: Vec<String> = filter.split_whitespace().map(str::to_lowercase).collect();
    items
        .iter()
        .enumerate()
        .filter(|(_, item)| {
            let item = item.to_lowercase();
            words.iter().all(|w| item.contains(w.as_str()))
        })
        .map(|(i, _)| i)
        .collect()
}

/// The hint under every menu's question.
pub const MENU_HINT: &str = "↑/↓ to move, type to filter, Enter to choose";

// ---------------------------------------------------------------------------------------------
// The real terminal.

/// The real terminal. Questions and their echo go to standard error so that standard output
/// carries only data.
///
/// The questions are drawn here over `console` rather than with dialoguer's prompts (which are
/// built on it): those read keys with `read_key`, which turns Ctrl-C into a SIGINT that
/// kills the process with the menu's cursor still hidden, count the lines to redraw without the
/// lines a long prompt wraps onto, and ignore typing in a menu. Here Ctrl-C is a key
/// (`read_key_raw`), the cursor is shown again however a menu ends, nothing drawn is wider than
/// the terminal, and typing filters a menu.
#[derive(Debug, Default)]
pub struct TerminalPrompter;

const CTRL_D: char = '\u{4}';
const CTRL_U: char = '\u{15}';

/// Hides the cursor while a menu is drawn, and shows it again when the menu ends, however it ends.
struct HiddenCursor<'t>(&'t Term);

impl<'t> HiddenCursor<'t> {
    fn new(term: &'t Term) -> io::Result<HiddenCursor<'t>> {
        term.hide_cursor()?;
        Ok(HiddenCursor(term))
    }
}

impl Drop for HiddenCursor<'_> {
    fn drop(&mut self) {
        let _ = self.0.show_cursor();
        let _ = self.0.flush();
    }
}

fn width(text: &str) -> usize {
    measure_text_width(text)
}

fn char_width(c: char) -> usize {
    let mut buf = [0u8; 4];
    measure_text_width(c.encode_utf8(&mut buf))
}

/// `text` cut to at most `max` columns, with `…` where it was cut.
pub fn fit(text: &str, max: usize) -> String {
    if width(text) <= max {
        return text.to_string();
    }
    let mut out = String::new();
    let mut used = 0;
    for c in text.chars() {
        let w = char_width(c);
        if used + w + 1 > max {
            break;
        }
        out.push(c);
        used += w;
    }
    out.push('…');
    out
}

/// `text` broken at spaces into lines of at most `max` columns (a word longer than that is cut).
pub fn wrap(text: &str, max: usize) -> Vec<String> {
    let max = max.max(1);
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in text.split(' ') {
        let needed = if line.is_empty() { width(word) } else { width(&line) + 1 + width(word) };
        if needed <= max {
            if !line.is_empty() {
                line.push(' ');
            }
            line.push_str(word);
            continue;
        }
        if !line.is_empty() {
            lines.push(std::mem::take(&mut line));
        }
        let mut rest: Vec<char> = word.chars().collect();
        while rest.iter().map(|c| char_width(*c)).sum::<usize>() > max {
            let mut used = 0;
            let kept = rest
                .iter()
                .take_while(|c| {
                    used += char_width(**c);
                    used <= max
                })
                .count()
                .max(1);
            lines.push(rest.drain(..kept).collect());
        }
        line = rest.into_iter().collect();
    }
    if !line.is_empty() || lines.is_empty() {
        lines.push(line);
    }
    lines
}

/// A menu's state: what was typed, the items it keeps, the cursor among them, the first in view.
#[derive(Debug)]
pub struct Menu<'a> {
    items: &'a [String],
    typed: String,
    shown: Vec<usize>,
    at: usize,
    top: usize,
}

impl<'a> Menu<'a> {
    /// All items shown, the cursor on `default`.
    pub fn new(items: &'a [String], default: usize) -> Menu<'a> {
        Menu {
            items,
            typed: String::new(),
            shown: (0..items.len()).collect(),
            at: default.min(items.len().saturating_sub(1)),
            top: 0,
        }
    }

    /// The item under the cursor, as an index into the items.
    pub fn chosen(&self) -> Option<usize> {
        self.shown.get(self.at).copied()
    }

    /// Typing filters the items; the cursor goes to the first kept.
    pub fn type_text(&mut self, text: &str) {
        self.typed.push_str(text);
        self.refilter();
    }

    pub fn backspace(&mut self) {
        self.typed.pop();
        self.refilter();
    }

    pub fn clear_typed(&mut self) {
        self.typed.clear();
        self.refilter();
    }

    fn refilter(&mut self) {
        self.shown = filtered(self.items, &self.typed);
        self.at = 0;
        self.top = 0;
    }

    /// Moves the cursor by `by` places among the kept items, round from either end when `wrap`.
    pub fn move_by(&mut self, by: isize, wrap: bool) {
        let n = self.shown.len() as isize;
        if n == 0 {
            return;
        }
        let to = self.at as isize + by;
        self.at = if wrap { to.rem_euclid(n) } else { to.clamp(0, n - 1) } as usize;
    }

    /// The lines as drawn: the question with what was typed, the hint, then the items in view
    /// (`view` of them) with `>` at the cursor. Every line fits in `cols - 1` columns, so none
    /// wraps and the menu can be redrawn over itself.
    pub fn lines(&mut self, prompt: &str, view: usize, cols: usize) -> Vec<String> {
        let view = view.max(1);
        if self.at < self.top {
            self.top = self.at;
        } else if self.at >= self.top + view {
            self.top = self.at + 1 - view;
        }
        let max = cols.saturating_sub(1).max(4);
        let mut lines = vec![fit(&format!("{prompt}: {}", self.typed), max)];
        let hint = if self.shown.is_empty() {
            format!("Nothing matches '{}'; Backspace to change it", self.typed)
        } else if self.shown.len() > view {
            format!("{MENU_HINT} ({} choices)", self.shown.len())
        } else {
            MENU_HINT.to_string()
        };
        lines.push(fit(&hint, max));
        for (place, index) in self.shown.iter().enumerate().skip(self.top).take(view) {
            let marker = if place == self.at { "> " } else { "  " };
            let item = self.items.get(*index).map(String::as_str).unwrap_or("");
            lines.push(fit(&format!("{marker}{item}"), max));
        }
        lines
    }
}

/// One line being typed: the characters, the cursor, and the first character in view.
#[derive(Debug, Default)]
struct Line {
    chars: Vec<char>,
    cursor: usize,
    scroll: usize,
}

impl Line {
    fn text(&self) -> String {
        self.chars.iter().collect()
    }

    /// What fits in `room` columns around the cursor, and the cursor's column within it. A long
    /// answer scrolls sideways rather than wrapping, so it is always redrawn over itself.
    fn view(&mut self, room: usize) -> (String, usize) {
        let room = room.max(2);
        if self.cursor < self.scroll {
            self.scroll = self.cursor;
        }
        while self.chars[self.scroll..self.cursor].iter().map(|c| char_width(*c)).sum::<usize>() >= room {
            self.scroll += 1;
        }
        let mut shown = String::new();
        let mut used = 0;
        for c in &self.chars[self.scroll..] {
            let w = char_width(*c);
            if used + w >= room {
                break;
            }
            shown.push(*c);
            used += w;
        }
        let at = self.chars[self.scroll..self.cursor].iter().map(|c| char_width(*c)).sum();
        (shown, at)
    }
}

impl TerminalPrompter {
    /// Standard error, where questions go; standard output when standard error is not a terminal.
    fn term(asked: &str) -> Answer<Term> {
        let term = Term::stderr();
        if term.is_term() {
            return Ok(term);
        }
        let term = Term::stdout();
        if term.is_term() {
            return Ok(term);
        }
        Err(Unanswered::Terminal {
            asked: asked.to_string(),
            source: io::Error::new(io::ErrorKind::NotConnected, "neither standard error nor output is a terminal"),
        })
    }

    /// A question too wide for one line with room to answer is written out above, in full and
    /// wrapped; the line that is redrawn as the coordinator types is then short.
    fn fitted_prompt(term: &Term, prompt: &str, room: usize) -> io::Result<Option<String>> {
        let cols = usize::from(term.size().1).max(20);
        if width(prompt) + room < cols {
            return Ok(Some(prompt.to_string()));
        }
        let mut text = String::new();
        for line in wrap(prompt, cols - 1) {
            text.push_str(&line);
            text.push('\n');
        }
        term.write_str(&text)?;
        Ok(None)
    }

    fn read_text(term: &Term, prompt: &str, default: Option<&str>) -> io::Result<Option<String>> {
        let shown_default = default.filter(|d| !d.is_empty()).map(|d| format!(" [{d}]")).unwrap_or_default();
        let asked = format!("{prompt}{shown_default}");
        let head = match Self::fitted_prompt(term, &asked, 16)? {
            Some(asked) => format!("{asked}: "),
            None => "> ".to_string(),
        };
        let mut line = Line::default();
        loop {
            let cols = usize::from(term.size().1).max(20);
            let room = cols.saturating_sub(width(&head) + 1);
            let (shown, at) = line.view(room);
            let mut draw = format!("\r{head}{shown}\x1b[K\r");
            let column = width(&head) + at;
            if column > 0 {
                draw.push_str(&format!("\x1b[{column}C"));
            }
            term.write_str(&draw)?;
            term.flush()?;
            match term.read_key_raw()? {
                Key::Enter => break,
                Key::CtrlC => {
                    term.write_str("\n")?;
                    return Err(io::Error::from(io::ErrorKind::Interrupted));
                }
                Key::Char(CTRL_D) if line.chars.is_empty() => {
                    term.write_str("\n")?;
                    return Ok(None);
                }
                Key::Char(CTRL_U) => {
                    line.chars.drain(..line.cursor);
                    line.cursor = 0;
                }
                Key::Char(c) if !c.is_control() => {
                    line.chars.insert(line.cursor, c);
                    line.cursor += 1;
                }
                Key::Backspace if line.cursor > 0 => {
                    line.cursor -= 1;
                    line.chars.remove(line.cursor);
                }
                Key::Del if line.cursor < line.chars.len() => {
                    line.chars.remove(line.cursor);
                }
                Key::ArrowLeft if line.cursor > 0 => line.cursor -= 1,
                Key::ArrowRight if line.cursor < line.chars.len() => line.cursor += 1,
                Key::Home => line.cursor = 0,
                Key::End => line.cursor = line.chars.len(),
                _ => {}
            }
        }
        let typed = line.text();
        let answer = if typed.trim().is_empty() { default.unwrap_or("").to_string() } else { typed };
        // What was answered stays on screen, in full, on the question's line.
        term.write_str(&format!("\r{head}{answer}\x1b[K\n"))?;
        Ok(Some(answer))
    }

    fn read_choice(term: &Term, prompt: &str, items: &[String], default: usize) -> io::Result<Option<usize>> {
        let prompt = Self::fitted_prompt(term, prompt, 24)?.unwrap_or_else(|| "Choice".to_string());
        let _cursor = HiddenCursor::new(term)?;
        let mut menu = Menu::new(items, default);
        // Moving up over what was drawn and clearing to the end of the screen works because no
        // line drawn wraps.
        let clear = |drawn: usize| if drawn > 0 { format!("\x1b[{drawn}A\r\x1b[J") } else { "\r\x1b[J".to_string() };
        let mut drawn = 0;
        let chosen = loop {
            let (rows, cols) = term.size();
            let view = usize::from(rows).saturating_sub(4);
            let lines = menu.lines(&prompt, view, usize::from(cols));
            let mut draw = clear(drawn);
            for l in &lines {
                draw.push_str(l);
                draw.push('\n');
            }
            term.write_str(&draw)?;
            term.flush()?;
            drawn = lines.len();
            match term.read_key_raw()? {
                Key::Enter => {
                    if let Some(chosen) = menu.chosen() {
                        break chosen;
                    }
                }
                Key::CtrlC => {
                    term.write_str(&clear(drawn))?;
                    return Err(io::Error::from(io::ErrorKind::Interrupted));
                }
                Key::Char(CTRL_D) => {
                    term.write_str(&clear(drawn))?;
                    return Ok(None);
                }
                Key::ArrowUp | Key::BackTab => menu.move_by(-1, true),
                Key::ArrowDown | Key::Tab => menu.move_by(1, true),
                Key::PageUp => menu.move_by(-(view.max(1) as isize), false),
                Key::PageDown => menu.move_by(view.max(1) as isize, false),
                Key::Home => menu.move_by(-(items.len() as isize), false),
                Key::End => menu.move_by(items.len() as isize, false),
                Key::Backspace => menu.backspace(),
                Key::Escape | Key::Char(CTRL_U) => menu.clear_typed(),
                Key::Char(c) if !c.is_control() => menu.type_text(c.encode_utf8(&mut [0u8; 4])),
                _ => {}
            }
        };
        let item = items.get(chosen).map(String::as_str).unwrap_or("");
        term.write_str(&format!("{}{prompt}: {item}\n", clear(drawn)))?;
        Ok(Some(chosen))
    }

    fn read_confirm(term: &Term, prompt: &str, default: bool) -> io::Result<Option<bool>> {
        let choices = if default { "[Y/n]" } else { "[y/N]" };
        let asked = format!("{prompt} {choices}");
        let head = Self::fitted_prompt(term, &asked, 6)?.unwrap_or_else(|| choices.to_string());
        term.write_str(&format!("{head} "))?;
        term.flush()?;
        let answer = loop {
            match term.read_key_raw()? {
                Key::Enter => break default,
                Key::Char('y' | 'Y') => break true,
                Key::Char('n' | 'N') => break false,
                Key::CtrlC => {
                    term.write_str("\n")?;
                    return Err(io::Error::from(io::ErrorKind::Interrupted));
                }
                Key::Char(CTRL_D) => {
                    term.write_str("\n")?;
                    return Ok(None);
                }
                _ => {}
            }
        };
        term.write_str(if answer { "yes\n" } else { "no\n" })?;
        Ok(Some(answer))
    }

    /// What a read gave: an answer, `None` for the end of the input, or an error.
    fn answered<T>(asked: &str, read: io::Result<Option<T>>) -> Answer<T> {
        match read {
            Ok(Some(answer)) => Ok(answer),
            Ok(None) => Err(Unanswered::Ended { asked: asked.to_string() }),
            Err(e) if e.kind() == io::ErrorKind::Interrupted => Err(Unanswered::Cancelled),
            Err(e) if e.kind() == io::ErrorKind::UnexpectedEof => Err(Unanswered::Ended { asked: asked.to_string() }),
            Err(source) => Err(Unanswered::Terminal { asked: asked.to_string(), source }),
        }
    }
}

impl Prompter for TerminalPrompter {
    fn text(&mut self, prompt: &str, default: Option<&str>) -> Answer<String> {
        let term = Self::term(prompt)?;
        Self::answered(prompt, Self::read_text(&term, prompt, default))
    }

    fn choose(&mut self, prompt: &str, items: &[String], default: usize) -> Answer<usize> {
        let term = Self::term(prompt)?;
        if items.is_empty() {
            let source = io::Error::new(io::ErrorKind::InvalidInput, "there is nothing to choose from");
            return Err(Unanswered::Terminal { asked: prompt.to_string(), source });
        }
        Self::answered(prompt, Self::read_choice(&term, prompt, items, default))
    }

    fn confirm(&mut self, prompt: &str, default: bool) -> Answer<bool> {
        let term = Self::term(prompt)?;
        Self::answered(prompt, Self::read_confirm(&term, prompt, default))
    }

    fn say(&mut self, line: &str) -> io::Result<()> {
        let term = Term::stderr();
        let term = if term.is_term() { term } else { Term::stdout() };
        term.write_line(line)
    }
}

// ---------------------------------------------------------------------------------------------
// Answers written in advance.

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

    fn items(words: &[&str]) -> Vec<String> {
        words.iter().map(|w| w.to_string()).collect()
    }

    #[test]
    fn typing_in_a_menu_keeps_the_items_with_every_word() {
        let levels =
            items(&["direct: direct care", "organizational: an organization", "system: the system", "(not set)"]);
        assert_eq!(filtered(&levels, "organizational"), vec![1]);
        assert_eq!(filtered(&levels, "ORG"), vec![1]);
        assert_eq!(filtered(&levels, "the sys"), vec![2]);
        assert_eq!(filtered(&levels, ""), vec![0, 1, 2, 3]);
        assert!(filtered(&levels, "zzz").is_empty());
    }

    #[test]
    fn a_menu_at_sixty_columns_draws_no_line_that_wraps() {
        let ways = items(&[
            "inform ($0.00/hour): receive information, e.g. opportunities by e-mail",
            "collaborate ($50.00/hour): partner in each decision, e.g. a co-design team",
        ]);
        let mut menu = Menu::new(&ways, 1);
        let lines = menu.lines("Way of engaging", 10, 60);
        assert_eq!(lines[0], "Way of engaging: ");
        assert_eq!(lines[1], MENU_HINT);
        assert_eq!(lines[2], "  inform ($0.00/hour): receive information, e.g. opportuni…");
        assert!(lines[3].starts_with("> collaborate ($50.00/hour)"));
        assert!(lines.iter().all(|l| width(l) <= 59), "{lines:#?}");
    }

    #[test]
    fn typing_organizational_and_enter_chooses_organizational() {
        let levels =
            items(&["direct: direct care", "organizational: an organization", "system: the system", "(not set)"]);
        let mut menu = Menu::new(&levels, 0);
        assert_eq!(menu.chosen(), Some(0), "the cursor starts on the first real choice");
        menu.type_text("organizational");
        assert_eq!(menu.chosen(), Some(1));
        assert_eq!(menu.lines("Level", 10, 80)[2], "> organizational: an organization");
        menu.type_text("x");
        assert_eq!(menu.chosen(), None, "Enter does nothing when nothing matches");
        menu.backspace();
        menu.clear_typed();
        menu.move_by(-1, true);
        assert_eq!(menu.chosen(), Some(3), "up from the first goes round to the last");
    }

    #[test]
    fn a_menu_says_when_nothing_matches_and_counts_what_does_not_fit() {
        let many: Vec<String> = (1..=30).map(|i| format!("partner {i}")).collect();
        let mut menu = Menu::new(&many, 12);
        let lines = menu.lines("Who", 10, 80);
        assert_eq!(lines.len(), 12);
        assert_eq!(lines[1], format!("{MENU_HINT} (30 choices)"));
        assert_eq!(lines[2], "  partner 4");
        assert_eq!(lines[11], "> partner 13");
        menu.type_text("zz");
        let none = menu.lines("Who", 10, 80);
        assert_eq!(none, vec!["Who: zz".to_string(), "Nothing matches 'zz'; Backspace to change it".to_string()]);
    }

    #[test]
    fn long_text_is_wrapped_at_spaces_and_cut_with_an_ellipsis() {
        assert_eq!(
            wrap("What came of the engagement, to tell back", 20),
            vec!["What came of the", "engagement, to tell", "back"]
        );
        assert_eq!(wrap("abcdefghij", 4), vec!["abcd", "efgh", "ij"]);
        assert_eq!(fit("abcdefghij", 5), "abcd…");
        assert_eq!(fit("abc", 5), "abc");
    }

    #[test]
    fn a_long_answer_scrolls_sideways_around_the_cursor() {
        let mut line = Line { chars: "abcdefghijklmnop".chars().collect(), cursor: 16, scroll: 0 };
        let (shown, at) = line.view(6);
        assert_eq!((shown.as_str(), at), ("lmnop", 5));
        line.cursor = 0;
        let (shown, at) = line.view(6);
        assert_eq!((shown.as_str(), at), ("abcde", 0));
    }

    #[test]
    fn a_script_can_press_ctrl_c_or_run_out() {
        let mut p = ScriptedPrompter::new([ScriptedPrompter::CTRL_C]);
        assert!(matches!(p.text("Title", None), Err(Unanswered::Cancelled)));
        assert!(matches!(p.confirm("Record?", true), Err(Unanswered::Ended { asked }) if asked == "Record?"));
        let levels = items(&["direct: direct care", "organizational: an organization"]);
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
