//! Web links a message carries, such as the survey links of a request.

use super::email::is_invisible;

/// The longest link kept: survey tools' links with tracking parameters stay well under it.
const MAX_LEN: usize = 2000;

/// Checks a link given on the command line: `https://` or `http://`, a host, no spaces or
/// invisible characters. `''` stays `''` (on `edit` it clears the link).
pub fn parse(text: &str) -> Result<String, String> {
    let link = text.trim();
    if link.is_empty() {
        return Ok(String::new());
    }
    let shown: String = link.chars().take(80).collect();
    let rest = link
        .strip_prefix("https://")
        .or_else(|| link.strip_prefix("http://"))
        .ok_or_else(|| format!("'{shown}' is not a web link; give the whole link, starting with https://"))?;
    let host = rest.split(['/', '?', '#']).next().unwrap_or("");
    if link.chars().count() > MAX_LEN {
        Err(format!("'{shown}…' is longer than {MAX_LEN} characters; give a shorter link"))
    } else if link.chars().any(|c| c.is_whitespace() || c.is_control() || is_invisible(c)) {
        Err(format!("'{shown}' is not a web link: it contains a space or an invisible character"))
    } else if host.is_empty() || !host.contains('.') && !host.starts_with("localhost") {
        Err(format!("'{shown}' is not a web link: it has no host name after {}", &link[..link.len() - rest.len()]))
    } else {
        Ok(link.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn survey_links_are_whole_web_links() {
        assert_eq!(parse(" https://forms.example.org/s/abc?x=1 ").unwrap(), "https://forms.example.org/s/abc?x=1");
        assert_eq!(parse("").unwrap(), "");
        assert!(parse("forms.example.org/s/abc").unwrap_err().contains("starting with https://"));
        assert!(parse("https://forms.example.org/a b").unwrap_err().contains("space"));
        assert!(parse("https:///abc").unwrap_err().contains("no host name after https://"));
        assert!(parse("javascript:alert(1)").unwrap_err().contains("not a web link"));
    }
}
