//! Free text typed by a coordinator or imported from a form.

/// Splits `a, b ,c` into trimmed items, dropping empty ones and repeats (compared without case).
pub fn split_list(text: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for item in text.split(',') {
        let item = item.trim();
        if item.is_empty() || out.iter().any(|o| o.to_lowercase() == item.to_lowercase()) {
            continue;
        }
        out.push(item.to_string());
    }
    out
}

/// `1234567` → `1,234,567`: a count as tables and sentences show it.
pub fn group(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, d) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(d);
    }
    out
}

/// A one-line text field: trimmed; empty means "no value".
pub fn optional(text: &str) -> Option<String> {
    let t = text.trim();
    if t.is_empty() { None } else { Some(t.to_string()) }
}

/// What kind of text a value is, for the rules every value meets wherever it comes from: the
/// command line, a prompt or an import alike.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A person's or an organization's name, pronouns: one line, at most 200 characters.
    Name,
    /// A title, a region, a place, an item of a list: one line, at most 300 characters.
    Title,
    /// A note, a reason, an outcome, a statement: line breaks and tabs allowed, at most 10,000
    /// characters.
    Note,
}

impl Kind {
    pub const fn max_chars(self) -> usize {
        match self {
            Kind::Name => 200,
            Kind::Title => 300,
            Kind::Note => 10_000,
        }
    }

    fn what(self) -> &'static str {
        match self {
            Kind::Name => "a name",
            Kind::Title => "a title",
            Kind::Note => "a note",
        }
    }
}

/// Direction overrides and isolates: they reorder what is shown (`\u{202e}` turns `gpj.exe`
/// around), so no value holds them.
fn is_direction_override(c: char) -> bool {
    matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// Characters that have no place in a one-line value (a name, a title, an e-mail, a phone):
/// control characters, direction marks and overrides, and invisible ones. (Zero-width joiners
/// stay: emoji and several scripts need them.)
pub fn hidden_character(text: &str) -> Option<char> {
    text.chars().find(|&c| c.is_control() || is_direction_override(c) || is_invisible(c))
}

/// Checks a value, already trimmed, against the rules for its kind. The reason is the end of a
/// sentence whose start names the value's place (`--title `, a column): `'Ana\x1b[2J' contains a
/// control or invisible character (\x1b); it takes visible text on one line`, or `is 50,000
/// characters long; a name has at most 200` (a value too long to quote is not quoted).
pub fn check(text: &str, kind: Kind) -> Result<(), String> {
    let refused = match kind {
        Kind::Name | Kind::Title => hidden_character(text),
        // Line ends as Windows writes them too: output escapes a lone carriage return anyway.
        Kind::Note => {
            text.chars().find(|&c| (c.is_control() && !matches!(c, '\n' | '\r' | '\t')) || is_direction_override(c))
        }
    };
    if let Some(c) = refused {
        let accepted = match kind {
            Kind::Note => "a note is text, with line breaks and tabs if need be",
            _ => "it takes visible text on one line",
        };
        return Err(format!(
            "'{}' contains a control or invisible character ({}); {accepted}",
            in_sentence(text, 60),
            one_line(&c.to_string())
        ));
    }
    // Counting stops past the limit: a 120 KB value costs no more than the limit to refuse.
    let max = kind.max_chars();
    if text.len() > max && text.chars().nth(max).is_some() {
        let n = text.chars().count() as u64;
        return Err(format!("is {} characters long; {} has at most {}", group(n), kind.what(), group(max as u64)));
    }
    Ok(())
}

/// Makes text safe to print to a terminal: control characters, direction overrides and invisible
/// characters are shown as escapes (`\x1b`, `\u{202e}`, `\u{200b}`) instead of acting on the screen
/// or hiding in it. Line breaks and tabs stay.
pub fn for_terminal(text: &str) -> std::borrow::Cow<'_, str> {
    escape(text, |c| c == '\n' || c == '\t')
}

/// Text from a file, put into a one-line error sentence: every control character (line breaks and
/// tabs too) and direction override is shown as an escape, and past `max` characters it is cut
/// with `…`. A header row swallowed by an unclosed quote would otherwise print the whole file, and
/// an escape sequence in it would act on the terminal.
pub fn in_sentence(text: &str, max: usize) -> String {
    let line = one_line(text);
    match line.char_indices().nth(max) {
        Some((cut, _)) => format!("{}…", &line[..cut]),
        None => line.into_owned(),
    }
}

/// Every control character (line breaks and tabs too) and direction override shown as an escape.
pub fn one_line(text: &str) -> std::borrow::Cow<'_, str> {
    escape(text, |_| false)
}

/// Invisible characters that are shown as escapes too, so that a value cannot hide what it holds:
/// zero-width spaces and word joiners, direction marks, the byte-order mark, line and paragraph
/// separators. (Zero-width joiners and non-joiners stay: emoji and several scripts need them.)
fn is_invisible(c: char) -> bool {
    matches!(c, '\u{200b}' | '\u{200e}' | '\u{200f}' | '\u{2060}'..='\u{2065}' | '\u{feff}' | '\u{2028}' | '\u{2029}')
}

fn escape(text: &str, keep: impl Fn(char) -> bool) -> std::borrow::Cow<'_, str> {
    let unsafe_char = |c: char| (c.is_control() && !keep(c)) || is_direction_override(c) || is_invisible(c);
    if !text.chars().any(unsafe_char) {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if unsafe_char(c) {
            if (c as u32) < 0x100 {
                out.push_str(&format!("\\x{:02x}", c as u32));
            } else {
                out.push_str(&format!("\\u{{{:x}}}", c as u32));
            }
        } else {
            out.push(c);
        }
    }
    std::borrow::Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_lists() {
        assert_eq!(split_list(" Mental health, ,primary care, mental HEALTH,"), vec!["Mental health", "primary care"]);
        assert!(split_list("").is_empty());
    }

    #[test]
    fn escapes_terminal_controls() {
        assert_eq!(for_terminal("a\x1b[2Jb"), "a\\x1b[2Jb");
        assert_eq!(for_terminal("x\u{202e}y"), "x\\u{202e}y");
        assert_eq!(for_terminal("line\nnext"), "line\nnext");
        assert_eq!(for_terminal("Ana\u{200b}"), "Ana\\u{200b}");
        assert_eq!(for_terminal("👩\u{200d}⚕️"), "👩\u{200d}⚕️");
    }

    #[test]
    fn values_meet_the_rules_of_their_kind() {
        assert_eq!(check("Ana Silva", Kind::Name), Ok(()));
        assert_eq!(check("محمد", Kind::Name), Ok(()));
        assert_eq!(check("👩\u{200d}⚕️ Ana", Kind::Name), Ok(()));
        assert_eq!(
            check("Ana\x1b[2J", Kind::Name).unwrap_err(),
            "'Ana\\x1b[2J' contains a control or invisible character (\\x1b); it takes visible text on one line"
        );
        assert_eq!(
            check("x\u{202e}gpj.exe", Kind::Title).unwrap_err(),
            "'x\\u{202e}gpj.exe' contains a control or invisible character (\\u{202e}); it takes visible text on one line"
        );
        assert!(check("Ana\u{200b}", Kind::Name).is_err());
        assert!(check("line\nbreak", Kind::Title).is_err());
        assert_eq!(check("line\nbreak\tand tab\r\nand CRLF", Kind::Note), Ok(()));
        assert!(check("bell\x07", Kind::Note).is_err());
        assert_eq!(check(&"é".repeat(200), Kind::Name), Ok(()));
        assert_eq!(check(&"é".repeat(201), Kind::Name).unwrap_err(), "is 201 characters long; a name has at most 200");
        assert_eq!(check(&"t".repeat(300), Kind::Title), Ok(()));
        assert_eq!(
            check(&"t".repeat(120_000), Kind::Title).unwrap_err(),
            "is 120,000 characters long; a title has at most 300"
        );
        assert_eq!(check(&"n".repeat(10_000), Kind::Note), Ok(()));
        assert_eq!(
            check(&"n".repeat(10_001), Kind::Note).unwrap_err(),
            "is 10,001 characters long; a note has at most 10,000"
        );
    }

    #[test]
    fn puts_file_text_into_one_line() {
        assert_eq!(in_sentence("First\nname\t\x1b[2J", 40), "First\\x0aname\\x09\\x1b[2J");
        assert_eq!(in_sentence("Consent to be contacted", 7), "Consent…");
        assert_eq!(in_sentence("Courriel", 8), "Courriel");
    }
}
