//! Who is who: the same person is the same normalized e-mail and the same first name, compared
//! without case or accents (SPEC §5). Families and caregivers share addresses, so e-mail alone is
//! not identity.

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

/// A first name folded for comparison: compatibility-decomposed (full-width letters become plain
/// ones), accents dropped, lower-cased, inner spaces collapsed. `José`, `JOSE` and `Jose\u{301}`
/// all fold to `jose`.
pub fn fold_name(name: &str) -> String {
    if name.is_ascii() {
        // Most names: no accents to drop, no compatibility forms.
        let mut out = String::with_capacity(name.len());
        for word in name.split_ascii_whitespace() {
            if !out.is_empty() {
                out.push(' ');
            }
            out.extend(word.chars().map(|c| c.to_ascii_lowercase()));
        }
        return out;
    }
    let mut out = String::with_capacity(name.len());
    let mut space = false;
    for c in name.nfkd().filter(|c| !is_combining_mark(*c)).flat_map(char::to_lowercase) {
        if c.is_whitespace() {
            space = !out.is_empty();
        } else {
            if space {
                out.push(' ');
                space = false;
            }
            out.push(c);
        }
    }
    out
}

/// The identity of a person: their normalized e-mail and folded first name.
pub fn key(email: &str, first_name: &str) -> String {
    format!("{email}\u{1f}{}", fold_name(first_name))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_case_accents_and_forms() {
        assert_eq!(fold_name("José"), "jose");
        assert_eq!(fold_name("Jose\u{301}"), "jose");
        assert_eq!(fold_name(" JOSÉ "), "jose");
        assert_eq!(fold_name("Ｊｏｓｅ"), "jose");
        assert_eq!(fold_name("Mary  Ann"), "mary ann");
        assert_eq!(fold_name("Łukasz"), "łukasz");
        assert_eq!(fold_name("محمد"), "محمد");
        assert_ne!(key("a@example.org", "Ana"), key("a@example.org", "Marco"));
        assert_eq!(key("a@example.org", "Zoë"), key("a@example.org", "zoe"));
    }
}
