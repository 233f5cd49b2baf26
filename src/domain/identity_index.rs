//! Who is in the network, as the sign-up import asks it, row after row: in memory, as hashes of
//! each partner's normalized e-mail and folded first name, so that no lookup asks the database.
//! Filled from a query of the partner table ([`Network::add`]), then asked and added to as the
//! import goes.

use super::identity::{email_key, fold_name};
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use xxhash_rust::xxh3::Xxh3;

/// xxh3, a hash whose output is fixed by its specification (the hashes are stored in the
/// database and must mean the same to the next engage), and fast on whole rows.
fn hash_of(parts: &[&[u8]]) -> u64 {
    let mut h = Xxh3::new();
    for p in parts {
        h.update(p);
        h.update(&[0xff]);
    }
    h.digest()
}

/// The keys are already hashes: use them as they are.
#[derive(Default)]
struct Passthrough(u64);

impl Hasher for Passthrough {
    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 = (self.0 << 8) | u64::from(*b);
        }
    }

    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

type HashIndex<V> = HashMap<u64, V, BuildHasherDefault<Passthrough>>;

/// Who is in the network, as hashes, with what the import needs to know about each. Partners who
/// were there before the import are a sorted array (16 bytes each, searched by bisection); those
/// the import adds go in a hash map. A million partners take about 25 MB.
pub struct Index {
    /// The partners there before, sorted by (e-mail hash, first-name hash).
    before: Vec<Key>,
    /// Partners added by this import: e-mail hash → (id, first-name hash) of the first with it.
    added: HashIndex<(u32, u32)>,
    /// (e-mail, first name) hash → id, for added partners sharing an address with someone.
    added_families: HashIndex<u32>,
    /// By partner id: already met in this file.
    touched: Vec<u64>,
    /// The hash of the sign-up row last applied to each partner, as the import began, with the
    /// partner's id, sorted by hash.
    known: Vec<(u64, u32)>,
    /// Partners who were forgotten, sorted.
    forgotten: Vec<u32>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
struct Key {
    email: u64,
    first: u32,
    id: u32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Found {
    Same(i64),
    /// The address belongs to someone with another first name.
    SharedWith(i64),
    Nobody,
}

pub fn identity_hashes(address: &str, first_name: &str) -> (u64, u32) {
    let email = hash_of(&[email_key(address).as_bytes()]);
    let first = hash_of(&[fold_name(first_name).as_bytes()]) as u32;
    (email, first)
}

fn mix(email: u64, first: u32) -> u64 {
    hash_of(&[&email.to_le_bytes(), &first.to_le_bytes()])
}

/// A partner id beyond what the index holds (ids are kept in 32 bits).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Unindexable(pub i64);

impl std::fmt::Display for Unindexable {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "partner id {} is beyond what the import can index", self.0)
    }
}

fn slot(id: i64) -> Result<u32, Unindexable> {
    u32::try_from(id).map_err(|_| Unindexable(id))
}

/// Who was in the network as the import began, gathered one partner at a time from the
/// database, then made into an [`Index`].
#[derive(Debug, Default)]
pub struct Network {
    before: Vec<Key>,
    known: Vec<(u64, u32)>,
    forgotten: Vec<u32>,
    max_id: i64,
}

impl Network {
    /// A partner: their e-mail (`None` when forgotten), first name, and the hash of the sign-up
    /// row last applied to them.
    pub fn add(&mut self, id: i64, address: Option<&str>, first: &str, hash: Option<i64>) -> Result<(), Unindexable> {
        let partner = slot(id)?;
        match address {
            Some(address) => {
                let (email, first) = identity_hashes(address, first);
                self.before.push(Key { email, first, id: partner });
            }
            None => self.forgotten.push(partner),
        }
        self.max_id = self.max_id.max(id);
        if let Some(h) = hash {
            self.known.push((h as u64, partner));
        }
        Ok(())
    }
}

impl Index {
    /// The index of `network`, with room for what a file of `expected_rows` rows may add.
    pub fn new(network: Network, expected_rows: usize) -> Index {
        let Network { mut before, mut known, forgotten, max_id } = network;
        before.sort_unstable();
        known.sort_unstable();
        // Room for the new people a file of this size may bring; a re-import brings few.
        let fresh = expected_rows.saturating_sub(before.len()).max(1024);
        Index {
            before,
            added: HashIndex::with_capacity_and_hasher(fresh, Default::default()),
            added_families: HashIndex::default(),
            touched: vec![0; (max_id as usize + expected_rows) / 64 + 1],
            known,
            forgotten,
        }
    }

    /// The hashes of the rows last applied, sorted, with their partners: the reading thread
    /// recognizes a re-imported row by them (see [`known_partner`]).
    pub fn take_known(&mut self) -> Vec<(u64, u32)> {
        std::mem::take(&mut self.known)
    }

    /// Someone added by this import.
    pub fn insert(&mut self, id: i64, email: u64, first: u32) -> Result<(), Unindexable> {
        let id = slot(id)?;
        match self.added.entry(email) {
            std::collections::hash_map::Entry::Occupied(_) => {
                self.added_families.insert(mix(email, first), id);
            }
            std::collections::hash_map::Entry::Vacant(slot) => {
                slot.insert((id, first));
            }
        }
        Ok(())
    }

    pub fn find(&self, email: u64, first: u32) -> Found {
        let start = lower_bound(&self.before, email, |k| k.email);
        let same_email = self.before[start..].iter().take_while(|k| k.email == email);
        let mut shared = None;
        for k in same_email {
            if k.first == first {
                return Found::Same(i64::from(k.id));
            }
            shared.get_or_insert(k.id);
        }
        if let Some(&(id, f)) = self.added.get(&email) {
            if f == first {
                return Found::Same(i64::from(id));
            }
            if let Some(&other) = self.added_families.get(&mix(email, first)) {
                return Found::Same(i64::from(other));
            }
            shared.get_or_insert(id);
        }
        match shared {
            Some(id) => Found::SharedWith(i64::from(id)),
            None => Found::Nobody,
        }
    }

    pub fn is_forgotten(&self, partner: u32) -> bool {
        self.forgotten.binary_search(&partner).is_ok()
    }

    /// Whether a row of this file was already accepted for the partner.
    pub fn met(&self, id: i64) -> bool {
        let slot = id as usize;
        self.touched.get(slot / 64).is_some_and(|w| w & (1u64 << (slot % 64)) != 0)
    }

    /// Marks the partner as met in this file.
    pub fn touch(&mut self, id: i64) {
        let slot = id as usize;
        if self.touched.len() <= slot / 64 {
            self.touched.resize(slot / 64 + 1, 0);
        }
        self.touched[slot / 64] |= 1u64 << (slot % 64);
    }
}

/// The first position in `items` (sorted by a uniformly distributed hash) whose hash is not below
/// `key`. Bisection over a million entries costs some twenty cache misses; since hashes spread
/// evenly, the position is first guessed from the key's value, then bracketed by galloping from
/// the guess and bisected within the bracket, which touches a handful of nearby lines.
fn lower_bound<T>(items: &[T], key: u64, hash: impl Fn(&T) -> u64) -> usize {
    let n = items.len();
    if n == 0 {
        return 0;
    }
    let guess = (((u128::from(key) * n as u128) >> 64) as usize).min(n - 1);
    let (mut lo, mut hi);
    if hash(&items[guess]) < key {
        // The answer is after the guess.
        let mut step = 1;
        lo = guess + 1;
        hi = lo;
        while hi < n && hash(&items[hi]) < key {
            lo = hi + 1;
            hi = (hi + step).min(n);
            step *= 2;
        }
    } else {
        let mut step = 1;
        hi = guess;
        lo = hi;
        while lo > 0 && hash(&items[lo - 1]) >= key {
            hi = lo - 1;
            lo = lo.saturating_sub(step);
            step *= 2;
        }
    }
    lo + items[lo..hi.max(lo)].partition_point(|item| hash(item) < key)
}

/// The partner whose last applied row has this hash, from the hashes sorted as `known` is.
pub fn known_partner(known: &[(u64, u32)], hash: u64) -> Option<u32> {
    let at = lower_bound(known, hash, |(h, _)| *h);
    known.get(at).filter(|(h, _)| *h == hash).map(|(_, id)| *id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lower_bound_agrees_with_bisection() {
        let mut seed = 7u64;
        let mut next = || {
            seed = seed.wrapping_add(0x9e37_79b9_7f4a_7c15);
            let z = (seed ^ (seed >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
            z ^ (z >> 31)
        };
        for n in [0usize, 1, 2, 3, 10, 1000, 50_000] {
            let mut items: Vec<u64> = (0..n).map(|_| next()).collect();
            // Some repeats, and the extremes.
            items.extend(items.iter().take(n / 10).copied().collect::<Vec<_>>());
            items.extend([0, u64::MAX]);
            items.sort_unstable();
            let probes: Vec<u64> =
                items.iter().copied().chain((0..2000).map(|_| next())).chain([0, 1, u64::MAX]).collect();
            for key in probes {
                assert_eq!(lower_bound(&items, key, |h| *h), items.partition_point(|h| *h < key), "n={n} key={key}");
            }
        }
    }

    fn network(partners: &[(i64, Option<&str>, &str, Option<i64>)]) -> Index {
        let mut network = Network::default();
        for (id, address, first, hash) in partners {
            network.add(*id, *address, first, *hash).unwrap();
        }
        Index::new(network, 10)
    }

    fn find(index: &Index, address: &str, first: &str) -> Found {
        let (email, first) = identity_hashes(address, first);
        index.find(email, first)
    }

    #[test]
    fn a_person_is_found_by_address_and_first_name_however_they_are_written() {
        let index =
            network(&[(1, Some("ana@example.org"), "Ana", None), (2, Some("sam@bücher.example"), "José", None)]);
        assert_eq!(find(&index, "ana@example.org", "ANA"), Found::Same(1));
        assert_eq!(find(&index, "sam@xn--bcher-kva.example", "jose"), Found::Same(2));
        assert_eq!(find(&index, "sam@bu\u{308}cher.example", "Jose\u{301}"), Found::Same(2));
        assert_eq!(find(&index, "someone@example.org", "Ana"), Found::Nobody);
    }

    #[test]
    fn a_family_sharing_an_address_is_several_people() {
        let mut index = network(&[(1, Some("family@example.org"), "Ana", None)]);
        assert_eq!(find(&index, "family@example.org", "Bruno"), Found::SharedWith(1));
        // Added by the import: Bruno at the family's address, then two at a new address.
        let (family, bruno) = identity_hashes("family@example.org", "Bruno");
        index.insert(5, family, bruno).unwrap();
        let (home, carla) = identity_hashes("home@example.org", "Carla");
        let (_, dan) = identity_hashes("home@example.org", "Dan");
        index.insert(6, home, carla).unwrap();
        index.insert(7, home, dan).unwrap();
        assert_eq!(find(&index, "family@example.org", "bruno"), Found::Same(5));
        assert_eq!(find(&index, "family@example.org", "Ana"), Found::Same(1));
        assert_eq!(find(&index, "home@example.org", "Carla"), Found::Same(6));
        assert_eq!(find(&index, "home@example.org", "Dan"), Found::Same(7));
        assert_eq!(find(&index, "home@example.org", "Eve"), Found::SharedWith(6));
    }

    #[test]
    fn forgotten_partners_and_the_rows_last_applied_are_kept_apart() {
        let mut index = network(&[(1, Some("ana@example.org"), "Ana", Some(42)), (3, None, "", Some(-7))]);
        assert!(index.is_forgotten(3));
        assert!(!index.is_forgotten(1));
        let known = index.take_known();
        assert_eq!(known_partner(&known, 42), Some(1));
        assert_eq!(known_partner(&known, -7i64 as u64), Some(3));
        assert_eq!(known_partner(&known, 41), None);
        assert!(index.take_known().is_empty());
    }

    #[test]
    fn partners_met_in_the_file_are_remembered_beyond_the_room_made_for_them() {
        let mut index = network(&[(1, Some("ana@example.org"), "Ana", None)]);
        assert!(!index.met(1));
        index.touch(1);
        index.touch(100_000);
        assert!(index.met(1));
        assert!(index.met(100_000));
        assert!(!index.met(99_999));
    }

    #[test]
    fn an_id_beyond_32_bits_is_refused_with_a_sentence() {
        let mut network = Network::default();
        let too_big = i64::from(u32::MAX) + 1;
        let e = network.add(too_big, Some("ana@example.org"), "Ana", None).unwrap_err();
        assert_eq!(e.to_string(), "partner id 4294967296 is beyond what the import can index");
        assert_eq!(network.add(-1, None, "", None), Err(Unindexable(-1)));
    }
}
