//! E-mail addresses: normalized (trimmed, lower-cased) and checked for a plausible shape.

/// Trims whitespace (also no-break spaces) and lower-cases: the form stored and compared.
pub fn normalize(text: &str) -> String {
    text.trim_matches(|c: char| c.is_whitespace() || c == '\u{feff}').to_lowercase()
}

/// Checks the normalized address; the error says what is wrong in a coordinator's words.
///
/// Deliberately modest: one `@`, a local part of at most 64 bytes, a domain with a dot and no
/// empty labels, at most 254 bytes, no spaces or control characters. Plus-addressing and
/// Unicode (internationalized) addresses are accepted.
pub fn check(address: &str) -> Result<(), String> {
    let reason = if address.is_empty() {
        Some("it is empty")
    } else if address.len() > 254 {
        Some("it is longer than 254 characters")
    } else if address.chars().any(|c| c.is_whitespace() || c.is_control() || is_invisible(c)) {
        Some("it contains a space or an invisible character")
    } else if address.matches('@').count() != 1 {
        Some("it needs exactly one @")
    } else {
        let (local, domain) = address.split_once('@').unwrap_or(("", ""));
        if local.is_empty() {
            Some("nothing comes before the @")
        } else if local.len() > 64 {
            Some("the part before the @ is longer than 64 characters")
        } else if local.starts_with('.') || local.ends_with('.') || local.contains("..") {
            Some("the part before the @ has a misplaced dot")
        } else if address.contains(['<', '>', ',', ';', '"', '(', ')', '[', ']', '\\']) {
            Some("it contains a character an address cannot hold, such as <, > or a comma")
        } else if !domain.contains('.') {
            Some("the domain after the @ has no dot")
        } else if domain.split('.').any(str::is_empty) {
            Some("the domain after the @ has an empty part")
        } else {
            None
        }
    };
    match reason {
        None => Ok(()),
        Some(why) => Err(format!("'{address}' is not an e-mail address: {why}")),
    }
}

/// Zero-width and direction-changing characters that make two addresses look alike.
pub fn is_invisible(c: char) -> bool {
    matches!(c, '\u{200b}'..='\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2060}'..='\u{2069}' | '\u{feff}')
}

/// Normalizes, then checks.
pub fn parse(text: &str) -> Result<String, String> {
    let address = normalize(text);
    check(&address)?;
    Ok(address)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_real_addresses() {
        assert_eq!(parse("  Ana.Silva+pvn@Example.org\u{a0}").unwrap(), "ana.silva+pvn@example.org");
        assert!(parse("josé@exämple.org").is_ok());
        assert!(parse("a@b.co").is_ok());
    }

    #[test]
    fn refuses_with_a_reason() {
        let cases = [
            ("", "it is empty"),
            ("ana.example.org", "exactly one @"),
            ("a@b@example.org", "exactly one @"),
            ("ana@localhost", "has no dot"),
            ("ana@example.org.", "empty part"),
            ("Ana <ana@example.org>", "space"),
            ("ana@example.org,bo@example.org", "exactly one @"),
            ("ana,bo@example.org", "cannot hold"),
            ("ana\u{200b}@example.org", "invisible"),
            ("@example.org", "before the @"),
        ];
        for (input, why) in cases {
            let err = parse(input).unwrap_err();
            assert!(err.contains(why), "{input:?}: {err}");
        }
        let long_local = format!("{}@example.org", "a".repeat(65));
        assert!(parse(&long_local).unwrap_err().contains("64"));
    }
}
