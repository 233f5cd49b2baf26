//! Shared SQL is written once with SQLite's numbered parameters (`?1`, `?2`); PostgreSQL numbers
//! them `$1`, `$2`. The server's statements are rewritten here, once each, before they are
//! prepared.
//!
//! Only real parameters change: a `?` inside a string literal (`'?1'`), a quoted identifier
//! (`"?"`) or a comment (`-- ?1`, `/* ?1 */`, nested as PostgreSQL nests them) is text and stays.
//! PostgreSQL's own `?` operators (on jsonb) are written `??` in shared SQL, as JDBC writes them,
//! and become one `?`. A bare `?` (SQLite's unnumbered parameter) is refused: its number would
//! depend on where it stands, and shared SQL names every parameter.

use std::fmt;

/// A `?` that is neither `?N` nor `??`, at this byte of the statement.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Unnumbered {
    pub at: usize,
}

impl fmt::Display for Unnumbered {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "the statement has a parameter without a number (a bare '?' at byte {}); shared SQL numbers every \
             parameter ?1, ?2, … and writes PostgreSQL's ? operator as ??",
            self.at
        )
    }
}

impl std::error::Error for Unnumbered {}

/// `sql` with every `?N` outside literals, quoted identifiers and comments written `$N`, and
/// every `??` there written `?`.
pub fn to_dollar(sql: &str) -> Result<String, Unnumbered> {
    let bytes = sql.as_bytes();
    let mut out = String::with_capacity(sql.len() + 8);
    // Text up to `copied` is in `out`; only ASCII bytes are looked at, so every cut is on a
    // character boundary.
    let mut copied = 0;
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            quote @ (b'\'' | b'"') => i = past_quoted(bytes, i, quote),
            b'-' if bytes.get(i + 1) == Some(&b'-') => i = past_line(bytes, i),
            b'/' if bytes.get(i + 1) == Some(&b'*') => i = past_block_comment(bytes, i),
            b'?' => {
                out.push_str(&sql[copied..i]);
                if bytes.get(i + 1) == Some(&b'?') {
                    out.push('?');
                    i += 2;
                } else {
                    let digits = bytes[i + 1..].iter().take_while(|b| b.is_ascii_digit()).count();
                    if digits == 0 {
                        return Err(Unnumbered { at: i });
                    }
                    out.push('$');
                    out.push_str(&sql[i + 1..i + 1 + digits]);
                    i += 1 + digits;
                }
                copied = i;
            }
            _ => i += 1,
        }
    }
    out.push_str(&sql[copied..]);
    Ok(out)
}

/// Past a literal or quoted identifier opened at `start`: a doubled quote is one quote inside it.
/// An unterminated one runs to the end (the server then says what is wrong with the statement).
fn past_quoted(bytes: &[u8], start: usize, quote: u8) -> usize {
    let mut i = start + 1;
    while i < bytes.len() {
        if bytes[i] == quote {
            if bytes.get(i + 1) == Some(&quote) {
                i += 2;
                continue;
            }
            return i + 1;
        }
        i += 1;
    }
    bytes.len()
}

fn past_line(bytes: &[u8], start: usize) -> usize {
    bytes[start..].iter().position(|&b| b == b'\n').map_or(bytes.len(), |n| start + n + 1)
}

/// Past a `/* … */` comment, which PostgreSQL lets nest.
fn past_block_comment(bytes: &[u8], start: usize) -> usize {
    let mut depth = 0usize;
    let mut i = start;
    while i + 1 < bytes.len() {
        match (bytes[i], bytes[i + 1]) {
            (b'/', b'*') => {
                depth += 1;
                i += 2;
            }
            (b'*', b'/') => {
                depth -= 1;
                i += 2;
                if depth == 0 {
                    return i;
                }
            }
            _ => i += 1,
        }
    }
    bytes.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rewritten(sql: &str) -> String {
        to_dollar(sql).unwrap()
    }

    #[test]
    fn numbered_parameters_become_dollar_parameters() {
        assert_eq!(
            rewritten("SELECT title FROM request WHERE id = ?1 AND status = ?2"),
            "SELECT title FROM request WHERE id = $1 AND status = $2"
        );
        assert_eq!(rewritten("VALUES (?10, ?2,?3)"), "VALUES ($10, $2,$3)");
        assert_eq!(rewritten("SELECT CAST(?1 AS BIGINT), ?2::text"), "SELECT CAST($1 AS BIGINT), $2::text");
        assert_eq!(rewritten("?1"), "$1");
        assert_eq!(rewritten(""), "");
    }

    #[test]
    fn a_question_mark_in_a_string_literal_is_text() {
        assert_eq!(rewritten("SELECT '?1' || ?1"), "SELECT '?1' || $1");
        // A doubled quote stays inside the literal.
        assert_eq!(rewritten("SELECT 'it''s ?1, isn''t it?' , ?2"), "SELECT 'it''s ?1, isn''t it?' , $2");
        assert_eq!(rewritten("WHERE note = '' AND id = ?1"), "WHERE note = '' AND id = $1");
    }

    #[test]
    fn a_question_mark_in_a_quoted_identifier_is_a_name() {
        assert_eq!(
            rewritten(r#"SELECT "?" FROM "t ?1" WHERE "a""?" = ?1"#),
            r#"SELECT "?" FROM "t ?1" WHERE "a""?" = $1"#
        );
    }

    #[test]
    fn comments_keep_their_question_marks() {
        assert_eq!(rewritten("SELECT 1 -- who? ?1\nWHERE x = ?1"), "SELECT 1 -- who? ?1\nWHERE x = $1");
        assert_eq!(rewritten("SELECT ?1 -- the last line ?2"), "SELECT $1 -- the last line ?2");
        assert_eq!(
            rewritten("SELECT /* ?1 /* nested ?2 */ still ?3 */ ?4"),
            "SELECT /* ?1 /* nested ?2 */ still ?3 */ $4"
        );
        // One minus is subtraction, not a comment.
        assert_eq!(rewritten("SELECT ?1 - ?2"), "SELECT $1 - $2");
        assert_eq!(rewritten("SELECT 6 / ?1"), "SELECT 6 / $1");
    }

    #[test]
    fn a_doubled_question_mark_is_the_servers_operator() {
        assert_eq!(rewritten("WHERE extra::jsonb ?? 'ip' AND id = ?1"), "WHERE extra::jsonb ? 'ip' AND id = $1");
        assert_eq!(rewritten("a ??| b"), "a ?| b");
        // `??` first, then a parameter: `???1` is the operator and $1.
        assert_eq!(rewritten("a ???1"), "a ?$1");
    }

    #[test]
    fn a_bare_question_mark_is_refused_with_its_place() {
        assert_eq!(to_dollar("SELECT * FROM t WHERE a = ?"), Err(Unnumbered { at: 26 }));
        assert_eq!(to_dollar("VALUES (?1, ?)"), Err(Unnumbered { at: 12 }));
        assert_eq!(
            Unnumbered { at: 3 }.to_string(),
            "the statement has a parameter without a number (a bare '?' at byte 3); shared SQL numbers every \
             parameter ?1, ?2, … and writes PostgreSQL's ? operator as ??"
        );
    }

    #[test]
    fn text_around_parameters_is_kept_byte_for_byte() {
        assert_eq!(
            rewritten("SELECT 'Montréal ?1', ?1, \"é?\" -- ç?\n, ?2"),
            "SELECT 'Montréal ?1', $1, \"é?\" -- ç?\n, $2"
        );
        // Unterminated text runs to the end: the server reports the statement, engage does not guess.
        assert_eq!(rewritten("SELECT ?1, 'open ?2"), "SELECT $1, 'open ?2");
        assert_eq!(rewritten("SELECT ?1 /* open ?2"), "SELECT $1 /* open ?2");
    }
}
