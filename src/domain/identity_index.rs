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

/// Who is in the network, as hashes, with what the import needs to know about each: one sorted
/// array of everyone (16 bytes each, searched by bisection, in memory of its own: [`Mapped`]),
/// and the few the import added since it last merged them into the array, in hash maps. A
/// million partners take 16 MB, and 12 MB more for the rows last applied to them.
pub struct Index {
    /// Everyone: the partners there before, and those this import added up to its last merge;
    /// sorted by (e-mail hash, first-name hash, id), as [`Key`]s.
    sorted: Mapped<Key>,
    /// Partners added since the last merge, in the order added.
    recent: Vec<Key>,
    /// Of those, e-mail hash → (id, first-name hash) of the first with it.
    recent_emails: HashIndex<(u32, u32)>,
    /// Of those, (e-mail, first name) hash → id, for the others at an address.
    recent_families: HashIndex<u32>,
    /// How many recent partners are merged into `sorted` at once.
    merge_every: usize,
    /// By partner id: already met in this file.
    touched: Vec<u64>,
    /// The hash of the sign-up row last applied to each partner, as the import began, with the
    /// partner's id, sorted by hash.
    known: Mapped<KnownRow>,
    /// Partners who were forgotten, sorted.
    forgotten: Vec<u32>,
}

/// The hash of the sign-up row last applied to a partner (high half, low half), and the partner:
/// 12 bytes, where a `(u64, u32)` takes 16 (on three million partners, 35 MB rather than 46).
pub type KnownRow = [u32; 3];

fn known_row(hash: u64, partner: u32) -> KnownRow {
    [(hash >> 32) as u32, hash as u32, partner]
}

fn known_hash(k: &KnownRow) -> u64 {
    (u64::from(k[0]) << 32) | u64::from(k[1])
}

/// A partner in the network: their e-mail hash, then their first-name hash (high half) and id
/// (low half), so that keys sort by e-mail, then first name, then id.
type Key = [u64; 2];

fn key(email: u64, first: u32, id: u32) -> Key {
    [email, (u64::from(first) << 32) | u64::from(id)]
}

fn key_first(k: &Key) -> u32 {
    (k[1] >> 32) as u32
}

fn key_id(k: &Key) -> u32 {
    k[1] as u32
}

/// How many partners an import adds before they are merged into the sorted array: some 4 MB of
/// hash maps at most, and at three million partners some twenty merges (each a pass over the
/// array from its end: no second copy of it).
const MERGE_EVERY: usize = 1 << 17;

impl Mapped<Key> {
    /// Merges `more` (sorted) into the sorted list, in place, from the end.
    fn merge(&mut self, more: &[Key]) -> Result<(), Unindexable> {
        if self.len + more.len() > self.room() {
            self.reserve((self.len + more.len()).max(2 * self.room()) - self.len)?;
        }
        let (mut i, mut j) = (self.len, more.len());
        self.len += more.len();
        let all = self.as_mut_slice();
        let mut at = all.len();
        while j > 0 {
            at -= 1;
            if i > 0 && all[i - 1] > more[j - 1] {
                all[at] = all[i - 1];
                i -= 1;
            } else {
                all[at] = more[j - 1];
                j -= 1;
            }
        }
        Ok(())
    }
}

/// A list of plain values in memory mapped from the system for it alone, rather than taken from
/// the allocator, so that it goes back to the system the moment the list is dropped. (The
/// allocator keeps what is freed until the thread that freed it allocates again, and the import's
/// last step, the search index, is SQLite's work on a heap of its own: the import's index stayed
/// resident beside it, 20 MB at a million partners and 60 MB at three million.) Room made and
/// not yet written costs no memory.
pub struct Mapped<T> {
    map: memmap2::MmapMut,
    len: usize,
    of: std::marker::PhantomData<T>,
}

impl<T: bytemuck::Pod> Mapped<T> {
    pub fn with_room(n: usize) -> Result<Mapped<T>, Unindexable> {
        let bytes = n.max(1).saturating_mul(std::mem::size_of::<T>());
        let map = memmap2::MmapMut::map_anon(bytes).map_err(|_| Unindexable::Memory(bytes))?;
        Ok(Mapped { map, len: 0, of: std::marker::PhantomData })
    }

    fn room(&self) -> usize {
        self.map.len() / std::mem::size_of::<T>().max(1)
    }

    pub fn push(&mut self, value: T) -> Result<(), Unindexable> {
        if self.len == self.room() {
            self.reserve(self.room())?;
        }
        self.len += 1;
        let at = self.len - 1;
        self.as_mut_slice()[at] = value;
        Ok(())
    }

    /// Room for `more` beyond what it holds, made now.
    fn reserve(&mut self, more: usize) -> Result<(), Unindexable> {
        if self.len + more > self.room() {
            let mut bigger = Mapped::with_room(self.len + more)?;
            bigger.len = self.len;
            bigger.as_mut_slice().copy_from_slice(self.as_slice());
            *self = bigger;
        }
        Ok(())
    }

    pub fn as_slice(&self) -> &[T] {
        &bytemuck::cast_slice(&self.map[..])[..self.len]
    }

    fn as_mut_slice(&mut self) -> &mut [T] {
        let len = self.len;
        &mut bytemuck::cast_slice_mut(&mut self.map[..])[..len]
    }
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

/// Why the import cannot index the network: a partner id beyond what it holds (ids are kept in
/// 32 bits), or no memory from the system for a list of so many bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unindexable {
    Id(i64),
    Memory(usize),
}

impl std::fmt::Display for Unindexable {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Unindexable::Id(id) => write!(f, "partner id {id} is beyond what the import can index"),
            Unindexable::Memory(bytes) => {
                write!(f, "the system gave no memory for the import's index ({} MB)", bytes.div_ceil(1 << 20))
            }
        }
    }
}

fn slot(id: i64) -> Result<u32, Unindexable> {
    u32::try_from(id).map_err(|_| Unindexable::Id(id))
}

/// Who was in the network as the import began, gathered one partner at a time from the
/// database, then made into an [`Index`].
pub struct Network {
    before: Mapped<Key>,
    known: Mapped<KnownRow>,
    forgotten: Vec<u32>,
    max_id: i64,
}

impl Network {
    /// With room made for this many partners, and for `more` the import may add: the lists are
    /// not grown (and copied) on the way.
    pub fn with_room(partners: usize, more: usize) -> Result<Network, Unindexable> {
        Ok(Network {
            before: Mapped::with_room(partners + more)?,
            known: Mapped::with_room(partners)?,
            forgotten: Vec::new(),
            max_id: 0,
        })
    }

    /// A partner: their e-mail (`None` when forgotten), first name, and the hash of the sign-up
    /// row last applied to them.
    pub fn add(&mut self, id: i64, address: Option<&str>, first: &str, hash: Option<i64>) -> Result<(), Unindexable> {
        let partner = slot(id)?;
        match address {
            Some(address) => {
                let (email, first) = identity_hashes(address, first);
                self.before.push(key(email, first, partner))?;
            }
            None => self.forgotten.push(partner),
        }
        self.max_id = self.max_id.max(id);
        if let Some(h) = hash {
            self.known.push(known_row(h as u64, partner))?;
        }
        Ok(())
    }
}

impl Index {
    /// The index of `network`, with room for what a file of `expected_rows` rows may add.
    pub fn new(network: Network, expected_rows: usize) -> Result<Index, Unindexable> {
        let Network { mut before, mut known, forgotten, max_id } = network;
        before.as_mut_slice().sort_unstable();
        known.as_mut_slice().sort_unstable_by_key(known_hash);
        // Room for the new people a file of this size may bring (made already when the network
        // was made with room for them); a re-import brings few.
        before.reserve(expected_rows.saturating_sub(before.len).max(1024))?;
        Ok(Index {
            sorted: before,
            recent: Vec::new(),
            recent_emails: HashIndex::default(),
            recent_families: HashIndex::default(),
            merge_every: MERGE_EVERY,
            touched: vec![0; (max_id as usize + expected_rows) / 64 + 1],
            known,
            forgotten,
        })
    }

    /// The hashes of the rows last applied, sorted, with their partners: the reading thread
    /// recognizes a re-imported row by them (see [`known_partner`]).
    pub fn take_known(&mut self) -> Result<Mapped<KnownRow>, Unindexable> {
        Ok(std::mem::replace(&mut self.known, Mapped::with_room(0)?))
    }

    /// Someone added by this import (whom [`Index::find`] did not find as the same person).
    pub fn insert(&mut self, id: i64, email: u64, first: u32) -> Result<(), Unindexable> {
        let id = slot(id)?;
        match self.recent_emails.entry(email) {
            std::collections::hash_map::Entry::Occupied(_) => {
                self.recent_families.insert(mix(email, first), id);
            }
            std::collections::hash_map::Entry::Vacant(slot) => {
                slot.insert((id, first));
            }
        }
        self.recent.push(key(email, first, id));
        if self.recent.len() >= self.merge_every {
            self.recent.sort_unstable();
            self.sorted.merge(&self.recent)?;
            self.recent.clear();
            self.recent_emails.clear();
            self.recent_families.clear();
        }
        Ok(())
    }

    /// The partner with this e-mail and first name; or else the one with the lowest id at the
    /// address (someone else at it: a family sharing an address).
    pub fn find(&self, email: u64, first: u32) -> Found {
        let sorted = self.sorted.as_slice();
        let start = lower_bound(sorted, email, |k| k[0]);
        let mut shared: Option<u32> = None;
        let mut share = |id: u32| shared = Some(shared.map_or(id, |s| s.min(id)));
        for k in sorted[start..].iter().take_while(|k| k[0] == email) {
            if key_first(k) == first {
                return Found::Same(i64::from(key_id(k)));
            }
            share(key_id(k));
        }
        if let Some(&(id, f)) = self.recent_emails.get(&email) {
            if f == first {
                return Found::Same(i64::from(id));
            }
            if let Some(&other) = self.recent_families.get(&mix(email, first)) {
                return Found::Same(i64::from(other));
            }
            share(id);
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
pub fn known_partner(known: &[KnownRow], hash: u64) -> Option<u32> {
    let at = lower_bound(known, hash, known_hash);
    known.get(at).filter(|k| known_hash(k) == hash).map(|k| k[2])
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
        let mut network = Network::with_room(1, 0).unwrap();
        for (id, address, first, hash) in partners {
            network.add(*id, *address, first, *hash).unwrap();
        }
        Index::new(network, 10).unwrap()
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
    fn every_partner_added_is_found_again_across_the_merges() {
        let mut index = network(&[(1, Some("ana@example.org"), "Ana", None)]);
        index.merge_every = 7;
        let (ana_email, _) = identity_hashes("ana@example.org", "Ana");
        let mut seed = 11u64;
        let mut added: Vec<(u64, u32, i64)> = Vec::new();
        for n in 0..2_000u32 {
            seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
            // Now and then someone at Ana's address, or at the address of someone added before.
            let email = match n % 50 {
                0 => ana_email,
                25 => added[n as usize / 2].0,
                _ => seed,
            };
            let first = (seed >> 40) as u32 | 1;
            let id = i64::from(n) + 10;
            assert!(!matches!(index.find(email, first), Found::Same(_)), "{n} before it was added");
            index.insert(id, email, first).unwrap();
            added.push((email, first, id));
        }
        for (email, first, id) in &added {
            assert_eq!(index.find(*email, *first), Found::Same(*id));
        }
        // Someone else at Ana's address shares it with her, the first there.
        assert_eq!(index.find(ana_email, 0), Found::SharedWith(1));
        assert_eq!(index.find(12_345, 0), Found::Nobody);
        let sorted = index.sorted.as_slice();
        assert!(sorted.windows(2).all(|w| w[0] < w[1]));
        assert_eq!(sorted.len() + index.recent.len(), 2_001);
    }

    #[test]
    fn forgotten_partners_and_the_rows_last_applied_are_kept_apart() {
        let mut index = network(&[(1, Some("ana@example.org"), "Ana", Some(42)), (3, None, "", Some(-7))]);
        assert!(index.is_forgotten(3));
        assert!(!index.is_forgotten(1));
        let known = index.take_known().unwrap();
        assert_eq!(known_partner(known.as_slice(), 42), Some(1));
        assert_eq!(known_partner(known.as_slice(), -7i64 as u64), Some(3));
        assert_eq!(known_partner(known.as_slice(), 41), None);
        assert!(index.take_known().unwrap().as_slice().is_empty());
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
        let mut network = Network::with_room(0, 0).unwrap();
        let too_big = i64::from(u32::MAX) + 1;
        let e = network.add(too_big, Some("ana@example.org"), "Ana", None).unwrap_err();
        assert_eq!(e.to_string(), "partner id 4294967296 is beyond what the import can index");
        assert_eq!(network.add(-1, None, "", None), Err(Unindexable::Id(-1)));
    }
}
