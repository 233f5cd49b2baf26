//! The real terminal, drawn over `console`.

use super::menu::{Line, Menu, width, wrap};
use super::{Answer, Prompter, Unanswered};
use console::{Key, Term};
use std::io;

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
