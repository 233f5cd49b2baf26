//! Who is who: the same person is the same normalized e-mail and the same first name, compared
//! without case or accents. Families and caregivers share addresses, so e-mail alone is
//! not identity.
//!
//! This is the one definition: the sign-up import, `recruit add` and `recruit edit`, the responses
//! import and the record of forgotten people all compare through [`email_key`] and [`fold_name`].

use std::borrow::Cow;
use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

/// An address as identity compares it (after [`crate::domain::email::normalize`]): the part before
/// the `@` in Unicode's composed form (NFC), the domain in its ASCII (punycode) form, so
/// `sam@bücher.example`, `sam@bu\u{308}cher.example` and `sam@xn--bcher-kva.example` are one
/// address. Plain ASCII addresses, nearly all of them, are returned as they are.
pub fn email_key(address: &str) -> Cow<'_, str> {
    let Some((local, domain)) = address.rsplit_once('@') else { return Cow::Borrowed(address) };
    let domain_ascii = domain.is_ascii() && !domain.contains("xn--");
    if local.is_ascii() && domain_ascii {
        return Cow::Borrowed(address);
    }
    let local: Cow<'_, str> = if local.is_ascii() { Cow::Borrowed(local) } else { Cow::Owned(local.nfc().collect()) };
    let domain: Cow<'_, str> = if domain_ascii {
        Cow::Borrowed(domain)
    } else {
        // An address whose domain IDNA cannot map (it passed engage's e-mail check, which is
        // modest) is compared as written.
        match idna::domain_to_ascii(domain) {
            Ok(ascii) => Cow::Owned(ascii),
            Err(_) => Cow::Borrowed(domain),
        }
    };
    Cow::Owned(format!("{local}@{domain}"))
}

/// Whether two normalized addresses are one address.
pub fn same_address(a: &str, b: &str) -> bool {
    a == b || email_key(a) == email_key(b)
}

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

/// The identity of a person: their address as [`email_key`] compares it and their folded first
/// name.
pub fn key(email: &str, first_name: &str) -> String {
    format!("{}\u{1f}{}", email_key(email), fold_name(first_name))
}

/// Whether two (address, first name) pairs are one person.
pub fn same_person(email_a: &str, first_a: &str, email_b: &str, first_b: &str) -> bool {
    same_address(email_a, email_b) && fold_name(first_a) == fold_name(first_b)
}

/// The random key each database keeps for [`keyed_hash`].
pub type Key = [u8; 32];

/// A keyed hash of a person's identity: all that is kept of someone forgotten. BLAKE3's
/// keyed mode is a pseudo-random function: without the database's own key, nobody can test a
/// guessed address against it, and the same person hashes differently in every database.
pub fn keyed_hash(key: &Key, email: &str, first_name: &str) -> [u8; 32] {
    *blake3::keyed_hash(key, self::key(email, first_name).as_bytes()).as_bytes()
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

    #[test]
    fn an_internationalized_domain_is_one_address_however_it_is_written() {
        assert!(same_address("sam@bücher.example", "sam@xn--bcher-kva.example"));
        assert!(same_address("sam@bu\u{308}cher.example", "sam@bücher.example"));
        assert!(same_address("zoë@example.org", "zoe\u{308}@example.org"));
        assert!(!same_address("sam@bücher.example", "sam@bucher.example"));
        assert!(!same_address("sam@example.org", "sal@example.org"));
        assert_eq!(email_key("ana@example.org"), "ana@example.org");
        assert!(matches!(email_key("ana@example.org"), Cow::Borrowed(_)));
        assert!(same_person("sam@xn--bcher-kva.example", "SAM", "sam@bücher.example", "Sam"));
        assert!(!same_person("sam@bücher.example", "Sam", "sam@bücher.example", "Samira"));
    }

    #[test]
    fn the_keyed_hash_depends_on_the_key_and_on_the_identity_only() {
        let key_a = [7u8; 32];
        let key_b = [8u8; 32];
        let h = keyed_hash(&key_a, "sam@bücher.example", "Sam");
        assert_eq!(h, keyed_hash(&key_a, "sam@xn--bcher-kva.example", "SAM"));
        assert_ne!(h, keyed_hash(&key_b, "sam@bücher.example", "Sam"));
        assert_ne!(h, keyed_hash(&key_a, "sam@bücher.example", "Samira"));
    }
}
