//! Interning tokens to dense ids, the innermost loop of counting.
//!
//! A token of at most 15 bytes (nearly all of them) is looked up by a `u128`
//! key: its bytes, zero-padded, with the length in the top byte. The key is
//! read straight from the text as one 16-byte load and masked, so hashing and
//! comparing it take no branch on the token's length. On 20 Newsgroups this
//! made a lookup 14 ns instead of 20 ns with string keys (`CompactString`) or
//! 25 ns with boxed ones; a hand-written open-addressing table was only 10%
//! faster again, not worth owning. Longer tokens use `CompactString` keys.

use compact_str::CompactString;
use hashbrown::HashMap;

/// Tokens of at most this many bytes get a `u128` key.
const SHORT: usize = 15;

/// Maps strings to `u32` values.
#[derive(Default)]
pub(crate) struct Interner {
    short: ShortTable,
    long: HashMap<CompactString, u32>,
}

impl Interner {
    /// An interner sized for the distinct tokens of `bytes` bytes of text,
    /// estimated by Heaps' law as `5 * bytes^0.6` (fitted on 20 Newsgroups:
    /// 110,000 distinct tokens in 18 MB, 174,000 in 36 MB), so that it need
    /// not double its table again and again while counting (on 20
    /// Newsgroups `topica vectorize` touches 2,200 fewer pages, of 48,000,
    /// and skips the rehashing). Too low an estimate only means the table
    /// grows as before.
    pub fn for_text(bytes: usize) -> Interner {
        let expected = 5.0 * (bytes as f64).powf(0.6);
        Interner {
            short: ShortTable::with_capacity(expected as usize),
            long: HashMap::new(),
        }
    }
}

impl Interner {
    /// The value of `word`; on first sight, `make(word)`.
    #[inline]
    pub fn get_or_insert(&mut self, word: &str, make: impl FnOnce(&str) -> u32) -> u32 {
        match short_key(word.as_bytes()) {
            Some(key) => self.short.get_or_insert_with(key, || make(word)),
            None => self.get_or_insert_long(word, make),
        }
    }

    /// Prepares the lookup of `token`, a slice of `text`: computes its key
    /// and hash, and asks the CPU to bring its home slot into the cache.
    /// Looking tokens up a few tokens after preparing them
    /// ([`count_ahead`](Self::count_ahead),
    /// [`get_or_insert_ahead`](Self::get_or_insert_ahead)) overlaps the
    /// cache misses of rare tokens with the work on those in between.
    #[inline]
    pub fn ahead(&self, text: &str, token: &str) -> Ahead {
        match short_key_in(text.as_bytes(), token.as_bytes()) {
            Some(key) => {
                let key = [key as u64, (key >> 64) as u64];
                let hash = self.short.hash(key);
                self.short.prefetch(hash);
                Ahead { key, hash }
            }
            None => Ahead::default(),
        }
    }

    /// Counts one occurrence of `token` (prepared as `ahead` by
    /// [`ahead`](Self::ahead)) in the current document, creating its value
    /// with `make()` on first sight. A short token is counted in its own slot
    /// of the table (see [`ShortTable::count`]); a long one is not counted
    /// here: its value is returned for the caller to count.
    #[inline]
    pub fn count_ahead(
        &mut self,
        ahead: Ahead,
        token: &str,
        make: impl FnOnce() -> u32,
    ) -> Option<u32> {
        if ahead.key == [0, 0] {
            Some(self.get_or_insert_long(token, |_| make()))
        } else {
            self.short.count(ahead.key, ahead.hash, make);
            None
        }
    }

    /// The value of `token` (prepared as `ahead` by [`ahead`](Self::ahead));
    /// on first sight, `make(token)`.
    #[inline]
    pub fn get_or_insert_ahead(
        &mut self,
        ahead: Ahead,
        token: &str,
        make: impl FnOnce(&str) -> u32,
    ) -> u32 {
        if ahead.key == [0, 0] {
            self.get_or_insert_long(token, make)
        } else {
            self.short
                .get_or_insert_hashed(ahead.key, ahead.hash, || make(token))
        }
    }

    /// Calls `f(value, count)` for every short token counted by
    /// [`count_ahead`](Self::count_ahead) since the last call, in order of first
    /// occurrence, and resets their counts.
    #[inline]
    pub fn end_document(&mut self, f: impl FnMut(u32, u32)) {
        self.short.end_document(f);
    }

    fn get_or_insert_long(&mut self, token: &str, make: impl FnOnce(&str) -> u32) -> u32 {
        match self.long.get(token) {
            Some(&value) => value,
            None => {
                let value = make(token);
                self.long.insert(token.into(), value);
                value
            }
        }
    }

    /// Every string with its value, emptying the interner.
    pub fn drain(&mut self) -> impl Iterator<Item = (CompactString, u32)> + '_ {
        let short = self.short.drain().map(|(key, value)| (decode(key), value));
        short.chain(self.long.drain())
    }
}

/// A token prepared for lookup by [`Interner::ahead`]: its short key
/// (`[0, 0]` for a long token, which no short key equals) and the key's hash.
#[derive(Clone, Copy, Default)]
pub(crate) struct Ahead {
    key: [u64; 2],
    hash: u64,
}

/// Hints the CPU to load the cache line holding `p` (a no-op off x86_64).
#[inline]
fn prefetch(p: *const u8) {
    #[cfg(target_arch = "x86_64")]
    // SAFETY: a prefetch is a hint: it never faults, whatever the address.
    unsafe {
        std::arch::x86_64::_mm_prefetch::<{ std::arch::x86_64::_MM_HINT_T0 }>(p.cast());
    }
    #[cfg(not(target_arch = "x86_64"))]
    let _ = p;
}

/// The key of `token`, a slice of `text`, read with one 16-byte load when the
/// text has 16 bytes from the token's start.
#[inline]
fn short_key_in(text: &[u8], token: &[u8]) -> Option<u128> {
    let len = token.len();
    if len > SHORT {
        return None;
    }
    let offset = (token.as_ptr() as usize).wrapping_sub(text.as_ptr() as usize);
    debug_assert!(
        offset + len <= text.len(),
        "the token is a slice of the text"
    );
    let raw = match text.get(offset..offset + 16) {
        Some(window) => u128::from_le_bytes(window.try_into().expect("16 bytes")),
        None => return short_key(token),
    };
    let mask = (1u128 << (8 * len)) - 1;
    Some((raw & mask) | (((0x80 | len) as u128) << 120))
}

/// The key of a short string, copied.
#[inline]
fn short_key(token: &[u8]) -> Option<u128> {
    let len = token.len();
    if len > SHORT {
        return None;
    }
    let mut buf = [0u8; 16];
    buf[..len].copy_from_slice(token);
    buf[15] = 0x80 | len as u8;
    Some(u128::from_le_bytes(buf))
}

/// An open-addressing table from short keys to values, with linear probing.
///
/// Written here rather than taken from `hashbrown` because measurement showed
/// the crate's layout to be the bottleneck: hashbrown keeps its control bytes
/// apart from its slots, so a lookup of a rare token misses the cache twice;
/// here key and value share one 24-byte slot. Counting 20 Newsgroups spends
/// most of its time in these lookups. A key is never 0 (its top byte holds
/// `0x80 | len`), so 0 marks an empty slot. The hash is foldhash's folded
/// multiply with per-table random seeds; ids come from the caller in order of
/// first sight, so nothing depends on the seeds or on the slots' order.
///
/// A slot also holds its key's count in the document being counted
/// ([`count`](Self::count)): counting where the lookup already is spares a
/// second random access, into an array of counts by id, per token (on 20
/// Newsgroups, counting on one thread took about 7% less time).
pub(crate) struct ShortTable {
    slots: Vec<Slot>,
    len: usize,
    /// The slots counted in the current document, `touched[..n_touched]`, in
    /// order of first occurrence; one entry longer than the number of keys,
    /// for the branch-free write in [`count`](Self::count).
    touched: Vec<u32>,
    n_touched: usize,
    /// `64 - log2(slots.len())`: the hash's top bits pick the home slot.
    shift: u32,
    seeds: [u64; 2],
}

#[derive(Clone, Copy, Default)]
struct Slot {
    key: [u64; 2],
    value: u32,
    /// Occurrences in the current document (the slot's padding otherwise).
    count: u32,
}

impl Default for ShortTable {
    fn default() -> Self {
        ShortTable::with_capacity(0)
    }
}

impl ShortTable {
    /// A table that holds `expected` keys before it grows.
    fn with_capacity(expected: usize) -> Self {
        use std::hash::BuildHasher;
        let random = std::hash::RandomState::new();
        // The load stays at most 5/8 (see `insert_at`).
        let bits = (expected * 8 / 5 + 1)
            .next_power_of_two()
            .max(1 << 10)
            .trailing_zeros();
        ShortTable {
            slots: vec![Slot::default(); 1 << bits],
            len: 0,
            touched: vec![0; 1],
            n_touched: 0,
            shift: 64 - bits,
            seeds: [random.hash_one(1u8) | 1, random.hash_one(2u8)],
        }
    }

    /// The hash of `key`, whose top bits pick its home slot (so it stays
    /// valid when the table grows).
    #[inline]
    fn hash(&self, [lo, hi]: [u64; 2]) -> u64 {
        let full = u128::from(lo ^ self.seeds[0]) * u128::from(hi ^ self.seeds[1]);
        let hash = (full as u64) ^ ((full >> 64) as u64);
        hash.wrapping_mul(0x9E37_79B9_7F4A_7C15)
    }

    #[inline]
    fn home(&self, key: [u64; 2]) -> usize {
        (self.hash(key) >> self.shift) as usize
    }

    /// Asks the CPU to bring the home slot of the key with `hash` into its
    /// cache (a hint only: nothing is read).
    #[inline]
    fn prefetch(&self, hash: u64) {
        let i = (hash >> self.shift) as usize;
        let slot = self.slots[i..].as_ptr().cast::<u8>();
        prefetch(slot);
        // A 24-byte slot may straddle two cache lines.
        prefetch(slot.wrapping_add(std::mem::size_of::<Slot>() - 1));
    }

    /// The slot of `key`, whose hash is `hash`: `Ok(i)` where it is, or
    /// `Err(i)`, the empty slot where it goes.
    #[inline]
    fn probe_hashed(&self, key: [u64; 2], hash: u64) -> Result<usize, usize> {
        let mask = self.slots.len() - 1;
        let mut i = (hash >> self.shift) as usize;
        loop {
            let slot = &self.slots[i];
            if slot.key == key {
                return Ok(i);
            }
            if slot.key == [0, 0] {
                return Err(i);
            }
            i = (i + 1) & mask;
        }
    }

    /// The value of `key`; on first sight, `make()`.
    #[inline]
    fn get_or_insert_with(&mut self, key: u128, make: impl FnOnce() -> u32) -> u32 {
        let key = [key as u64, (key >> 64) as u64];
        self.get_or_insert_hashed(key, self.hash(key), make)
    }

    /// [`get_or_insert_with`](Self::get_or_insert_with), with `key`'s hash
    /// already computed.
    #[inline]
    fn get_or_insert_hashed(
        &mut self,
        key: [u64; 2],
        hash: u64,
        make: impl FnOnce() -> u32,
    ) -> u32 {
        match self.probe_hashed(key, hash) {
            Ok(i) => self.slots[i].value,
            Err(i) => {
                let value = make();
                self.insert_at(i, key, value, 0);
                value
            }
        }
    }

    /// Counts one occurrence of `key` in the current document; on first
    /// sight its value is `make()`.
    ///
    /// Branch-free but for the probe: whether a key is new to a document is
    /// unpredictable, so its slot is always written to `touched`, whose length
    /// grows only when the count was zero.
    #[inline]
    fn count(&mut self, key: [u64; 2], hash: u64, make: impl FnOnce() -> u32) {
        match self.probe_hashed(key, hash) {
            Ok(i) => {
                let slot = &mut self.slots[i];
                self.touched[self.n_touched] = i as u32;
                self.n_touched += usize::from(slot.count == 0);
                slot.count += 1;
            }
            Err(i) => {
                let value = make();
                self.touched[self.n_touched] = i as u32;
                self.n_touched += 1;
                self.insert_at(i, key, value, 1);
            }
        }
    }

    /// See [`Interner::end_document`].
    #[inline]
    fn end_document(&mut self, mut f: impl FnMut(u32, u32)) {
        for &i in &self.touched[..self.n_touched] {
            let slot = &mut self.slots[i as usize];
            f(slot.value, std::mem::take(&mut slot.count));
        }
        self.n_touched = 0;
    }

    /// Fills the empty slot `i`, growing the table when it is too full.
    #[inline]
    fn insert_at(&mut self, i: usize, key: [u64; 2], value: u32, count: u32) {
        self.slots[i] = Slot { key, value, count };
        self.len += 1;
        if self.touched.len() <= self.len {
            self.touched.resize(2 * self.len + 1, 0);
        }
        // Keep the load at most 5/8: linear probing stays short.
        if self.len * 8 > self.slots.len() * 5 {
            self.grow();
        }
    }

    /// Doubles the table; counts move with their slots, and the slots
    /// touched in the current document are renumbered.
    #[cold]
    fn grow(&mut self) {
        let doubled = vec![Slot::default(); 2 * self.slots.len()];
        let old = std::mem::replace(&mut self.slots, doubled);
        self.shift -= 1;
        let mask = self.slots.len() - 1;
        let mut moved = vec![0u32; old.len()];
        for (o, slot) in old.iter().enumerate().filter(|(_, s)| s.key != [0, 0]) {
            let mut i = self.home(slot.key);
            while self.slots[i].key != [0, 0] {
                i = (i + 1) & mask;
            }
            self.slots[i] = *slot;
            moved[o] = i as u32;
        }
        for t in &mut self.touched[..self.n_touched] {
            *t = moved[*t as usize];
        }
    }

    /// Every key with its value, emptying the table.
    fn drain(&mut self) -> impl Iterator<Item = (u128, u32)> + '_ {
        self.len = 0;
        std::mem::take(&mut self.slots)
            .into_iter()
            .filter(|s| s.key != [0, 0])
            .map(|s| (u128::from(s.key[0]) | u128::from(s.key[1]) << 64, s.value))
    }
}

/// The string of a short key (held inline: no allocation).
fn decode(key: u128) -> CompactString {
    let bytes = key.to_le_bytes();
    let len = (bytes[15] & 0x7f) as usize;
    CompactString::from_utf8(&bytes[..len]).expect("keys hold whole UTF-8 strings")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_read_in_place_equal_copied_keys() {
        let text = "a home office, 東京 and a token longer than fifteen bytes";
        for start in 0..text.len() {
            for end in start..=text.len() {
                if let Some(token) = text.get(start..end) {
                    assert_eq!(
                        short_key_in(text.as_bytes(), token.as_bytes()),
                        short_key(token.as_bytes()),
                        "{token:?}"
                    );
                }
            }
        }
    }

    #[test]
    fn counts_survive_the_table_growing_within_a_document() {
        // 3,000 distinct words, each twice, in one document: the table starts
        // at 1,024 slots and doubles three times while the document is counted.
        let words: Vec<String> = (0..3000).map(|i| format!("w{i}")).collect();
        let text = format!("{} {}", words.join(" "), words.join(" "));
        let mut interner = Interner::default();
        let mut next = 0;
        for token in text.split(' ') {
            let ahead = interner.ahead(&text, token);
            let long = interner.count_ahead(ahead, token, || {
                next += 1;
                next - 1
            });
            assert_eq!(long, None);
        }
        let mut counted = Vec::new();
        interner.end_document(|value, count| counted.push((value, count)));
        assert_eq!(counted, (0..3000).map(|v| (v, 2)).collect::<Vec<_>>());
        // The counts were reset: a second document counts from zero.
        let w7 = text.split(' ').nth(7).expect("3,000 words");
        interner.count_ahead(interner.ahead(&text, w7), w7, || unreachable!());
        let mut second = Vec::new();
        interner.end_document(|value, count| second.push((value, count)));
        assert_eq!(second, [(7, 1)]);
        // A long token is handed back to the caller, not counted.
        let long = "a_token_longer_than_fifteen_bytes";
        let ahead = interner.ahead(long, long);
        assert_eq!(interner.count_ahead(ahead, long, || 3000), Some(3000));
        interner.end_document(|_, _| panic!("long tokens are the caller's to count"));
    }

    #[test]
    fn tokens_prepared_before_the_table_grows_are_found_after() {
        // Every token is prepared before any is looked up, so most lookups
        // come after the table has doubled (1,024 slots to 8,192): the hash
        // kept from preparing must still lead to the right slot.
        let words: Vec<String> = (0..3000).map(|i| format!("w{i}")).collect();
        let text = format!("{} {}", words.join(" "), words.join(" "));
        let mut interner = Interner::default();
        let prepared: Vec<(&str, Ahead)> = text
            .split(' ')
            .map(|token| (token, interner.ahead(&text, token)))
            .collect();
        let mut next = 0;
        let ids: Vec<u32> = prepared
            .iter()
            .map(|&(token, ahead)| {
                interner.get_or_insert_ahead(ahead, token, |_| {
                    next += 1;
                    next - 1
                })
            })
            .collect();
        let expected: Vec<u32> = (0..3000).chain(0..3000).collect();
        assert_eq!(ids, expected);
        for &(token, ahead) in &prepared {
            interner.count_ahead(ahead, token, || unreachable!("every token is known"));
        }
        let mut counted = Vec::new();
        interner.end_document(|value, count| counted.push((value, count)));
        assert_eq!(counted, (0..3000).map(|v| (v, 2)).collect::<Vec<_>>());
    }

    #[test]
    fn interns_short_and_long_strings_and_gives_them_back() {
        let mut interner = Interner::default();
        let text = "tweets tweets x_unbelievably_long_token x_unbelievably_long_token é";
        let mut ids = Vec::new();
        let mut next = 0;
        for token in text.split(' ') {
            let ahead = interner.ahead(text, token);
            ids.push(interner.get_or_insert_ahead(ahead, token, |_| {
                next += 1;
                next - 1
            }));
        }
        assert_eq!(ids, [0, 0, 1, 1, 2]);
        assert_eq!(interner.get_or_insert("tweets", |_| 99), 0);
        let mut all: Vec<_> = interner.drain().collect();
        all.sort();
        assert_eq!(
            all,
            [
                ("tweets".into(), 0),
                ("x_unbelievably_long_token".into(), 1),
                ("é".into(), 2)
            ]
        );
    }
}
