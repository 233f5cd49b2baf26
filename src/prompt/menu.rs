//! A menu as the terminal draws it: the items a typed filter keeps, lines fitted to the
//! terminal's width, and a line of text that scrolls sideways around its cursor.

use console::measure_text_width;

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

pub(super) fn width(text: &str) -> usize {
    measure_text_width(text)
}

pub(super) fn char_width(c: char) -> usize {
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
    pub(super) items: &'a [String],
    pub(super) typed: String,
    pub(super) shown: Vec<usize>,
    pub(super) at: usize,
    pub(super) top: usize,
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

    pub(super) fn refilter(&mut self) {
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
pub(super) struct Line {
    pub(super) chars: Vec<char>,
    pub(super) cursor: usize,
    pub(super) scroll: usize,
}

impl Line {
    pub(super) fn text(&self) -> String {
        self.chars.iter().collect()
    }

    /// What fits in `room` columns around the cursor, and the cursor's column within it. A long
    /// answer scrolls sideways rather than wrapping, so it is always redrawn over itself.
    pub(super) fn view(&mut self, room: usize) -> (String, usize) {
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
}
