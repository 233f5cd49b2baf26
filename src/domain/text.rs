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

/// Makes text safe to print to a terminal: control characters and direction overrides are shown
/// as escapes (`\x1b`, `\u{202e}`) instead of acting on the screen. Line breaks and tabs stay.
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

fn escape(text: &str, keep: impl Fn(char) -> bool) -> std::borrow::Cow<'_, str> {
    let unsafe_char =
        |c: char| (c.is_control() && !keep(c)) || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}');
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
    }

    #[test]
    fn puts_file_text_into_one_line() {
        assert_eq!(in_sentence("First\nname\t\x1b[2J", 40), "First\\x0aname\\x09\\x1b[2J");
        assert_eq!(in_sentence("Consent to be contacted", 7), "Consent…");
        assert_eq!(in_sentence("Courriel", 8), "Courriel");
    }
}
