//! Counting features in parallel: the hot path shared by every vectorizer.
//!
//! The documents are cut into contiguous chunks of about equal size in bytes,
//! one per thread, and each chunk is counted on its own with a private
//! [`Interner`]:
//!
//! - every distinct token of a chunk is looked up once: its stop-word check and
//!   its stem are computed at first sight and cached, so a token seen a
//!   thousand times is stemmed once;
//! - words get dense ids, and word n-grams are interned as tuples of word ids,
//!   so no n-gram string is built per occurrence (only once per distinct
//!   n-gram, when the chunk is finished);
//! - per document, counts accumulate in a dense array indexed by feature id,
//!   with the list of features touched, so counting is O(1) per occurrence;
//!   with unigrams only and no stemming (scikit-learn's defaults, or
//!   `topica cluster`'s English stop words), a short token is counted in its
//!   interner slot instead, which the lookup has just brought into the cache;
//! - a token is looked up [`LOOKAHEAD`] tokens after it is found, its slot
//!   prefetched meanwhile, so that the cache misses of rare tokens overlap.
//!
//! When a chunk is finished, its features are sorted (on the chunk's own
//! thread), so that vocabularies merge as sorted lists. Entries keep the ids
//! they were counted with; `assemble.rs` maps them to columns and sorts each
//! row once, by column.
//!
//! Results do not depend on how documents were cut into chunks, hence not on
//! the number of threads.

use std::cmp::Ordering;
use std::ops::Range;

use compact_str::CompactString;
use hashbrown::HashMap;
use rayon::prelude::*;

use super::interner::{Ahead, Interner};
use crate::analyze::{Analyzer, AnalyzerKind};

/// Marks a token removed by stop words, or an unused slot.
pub(crate) const NONE: u32 = u32::MAX;

/// Longest word n-gram kept in a fixed-size key; longer ones use a boxed slice.
const SHORT_GRAM: usize = 4;

/// How many documents a chunk should hold at least (below this, one thread
/// is cheaper than splitting).
const MIN_CHUNK_DOCS: usize = 64;

/// One feature's count in one document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Entry {
    /// Its number of occurrences in the document (at least 1).
    pub count: u32,
    /// The feature's id, local to its chunk.
    pub feature: u32,
}

/// The counts of one chunk of documents.
#[derive(Debug, Default)]
pub(crate) struct ChunkCounts {
    /// The feature strings, sorted. `features`, `df` and `order_keys` are
    /// indexed by a feature's rank in this order; entries by the feature's
    /// local id (order of first occurrence), which `rank` maps to its rank.
    pub features: Vec<CompactString>,
    /// Local id -> rank.
    pub rank: Vec<u32>,
    /// `entries[doc_ptr[d]..doc_ptr[d + 1]]` are the entries of the chunk's
    /// document `d`, in order of first occurrence.
    pub doc_ptr: Vec<usize>,
    /// The entries of all documents.
    pub entries: Vec<Entry>,
    /// The number of the chunk's documents containing each feature, by local id.
    pub df: Vec<u32>,
    /// The [`order_key`] of each feature, by local id.
    pub order_keys: Vec<u128>,
}

impl ChunkCounts {
    /// The number of documents in the chunk.
    pub fn n_documents(&self) -> usize {
        self.doc_ptr.len() - 1
    }

    /// The entries of the chunk's document `d`.
    pub fn document(&self, d: usize) -> &[Entry] {
        &self.entries[self.doc_ptr[d]..self.doc_ptr[d + 1]]
    }
}

/// Counts the features of `docs` with `analyzer`, in parallel chunks, in
/// document order.
pub(crate) fn count<S: AsRef<str> + Sync>(analyzer: &Analyzer, docs: &[S]) -> Vec<ChunkCounts> {
    chunk_ranges(docs, rayon::current_num_threads())
        .into_par_iter()
        .map(|range| {
            let bytes: usize = docs[range.clone()].iter().map(|d| d.as_ref().len()).sum();
            let mut counter = ChunkCounter::new(analyzer, bytes);
            for doc in &docs[range] {
                counter.add(doc.as_ref());
            }
            counter.finish()
        })
        .collect()
}

/// Cuts `docs` into one contiguous range per thread, of about equal total
/// length in bytes.
fn chunk_ranges<S: AsRef<str>>(docs: &[S], threads: usize) -> Vec<Range<usize>> {
    let n_chunks = threads.clamp(1, docs.len().div_ceil(MIN_CHUNK_DOCS).max(1));
    let total: usize = docs.iter().map(|d| d.as_ref().len() + 1).sum();
    let target = total.div_ceil(n_chunks);
    let mut ranges = Vec::with_capacity(n_chunks);
    let (mut start, mut acc) = (0, 0);
    for (i, doc) in docs.iter().enumerate() {
        acc += doc.as_ref().len() + 1;
        if acc >= target && ranges.len() + 1 < n_chunks {
            ranges.push(start..i + 1);
            start = i + 1;
            acc = 0;
        }
    }
    ranges.push(start..docs.len());
    ranges
}

/// The id of `key` in `map`, inserting it with id `next` when absent.
#[inline]
fn intern<K: std::hash::Hash + Eq>(map: &mut HashMap<K, u32>, key: K, next: u32) -> u32 {
    *map.entry(key).or_insert(next)
}

/// How many tokens ahead of its lookup a token's slot is prefetched.
const LOOKAHEAD: usize = 16;

/// The last [`LOOKAHEAD`] tokens prepared ([`Interner::ahead`]), waiting
/// for their slots to reach the cache, oldest first.
///
/// On 20 Newsgroups most of counting's time went into the first read of a
/// rare token's slot, a cache miss: the table of a chunk's 110,000 distinct
/// tokens (6 MB) does not fit the core's cache. Looking each token up only
/// after the next ones have been tokenized and prefetched overlaps those
/// misses.
struct Lookahead<'t> {
    due: [(&'t str, Ahead); LOOKAHEAD],
    /// The oldest token's position in `due`.
    head: usize,
    len: usize,
}

impl<'t> Lookahead<'t> {
    fn new() -> Self {
        Lookahead {
            due: [("", Ahead::default()); LOOKAHEAD],
            head: 0,
            len: 0,
        }
    }

    /// Queues `token`; when the queue is full, returns its oldest token.
    #[inline]
    fn push(&mut self, token: (&'t str, Ahead)) -> Option<(&'t str, Ahead)> {
        if self.len == LOOKAHEAD {
            let oldest = std::mem::replace(&mut self.due[self.head], token);
            self.head = (self.head + 1) % LOOKAHEAD;
            Some(oldest)
        } else {
            self.due[(self.head + self.len) % LOOKAHEAD] = token;
            self.len += 1;
            None
        }
    }

    /// Calls `f` with every queued token, oldest first, emptying the queue.
    #[inline]
    fn drain(&mut self, mut f: impl FnMut((&'t str, Ahead))) {
        for k in 0..self.len {
            f(self.due[(self.head + k) % LOOKAHEAD]);
        }
        self.len = 0;
        self.head = 0;
    }
}

/// Calls `look_up(tokens, (token, prepared))` for every token of `text`
/// (preprocessed), in order, each [`LOOKAHEAD`] tokens after preparing it
/// with [`Interner::ahead`] (the last ones at the end of the text).
#[inline(always)]
fn tokenize_ahead<'t>(
    analyzer: &Analyzer,
    text: &'t str,
    tokens: &mut Interner,
    mut look_up: impl FnMut(&mut Interner, (&'t str, Ahead)),
) {
    let mut ahead = Lookahead::new();
    analyzer.tokenize(text, |token| {
        let prepared = tokens.ahead(text, token);
        if let Some(due) = ahead.push((token, prepared)) {
            look_up(tokens, due);
        }
    });
    ahead.drain(|due| look_up(tokens, due));
}

/// Counts the documents of one chunk.
struct ChunkCounter<'a> {
    analyzer: &'a Analyzer,
    /// Whether each word is a feature of its own (`ngram_range` starts at 1).
    unigrams: bool,
    /// Tokens -> word ids, or [`NONE`] for stop words.
    tokens: Interner,
    /// Words after stemming -> word ids (only when some tokens may make the
    /// same word: with stemming, or with stop words and n-grams; otherwise
    /// tokens are words, and a stop word's token maps to [`NONE`]).
    words: Interner,
    /// Whether `words` is used.
    words_interned: bool,
    n_words: u32,
    /// Word id -> feature id of the word as a unigram ([`NONE`] until seen).
    unigram_features: Vec<u32>,
    /// Word n-grams of 2 to [`SHORT_GRAM`] words (unused slots [`NONE`]) -> feature id.
    short_grams: HashMap<[u32; SHORT_GRAM], u32>,
    /// Longer word n-grams -> feature id.
    long_grams: HashMap<Box<[u32]>, u32>,
    /// Character n-grams -> feature id.
    char_grams: Interner,
    n_features: u32,
    /// Per-document scratch: word ids and counts.
    doc_words: Vec<u32>,
    doc: DocCounts,
    buf: String,
    out: ChunkCounts,
}

impl<'a> ChunkCounter<'a> {
    /// A counter for a chunk of `bytes` bytes of text.
    fn new(analyzer: &'a Analyzer, bytes: usize) -> Self {
        // Word unigrams give about one entry per 12 bytes of English text:
        // reserving (address space, not memory until touched) spares the
        // copies of a doubling vector.
        let entries = match analyzer.kind() {
            AnalyzerKind::Word if analyzer.ngram_range() == (1, 1) => bytes / 10,
            _ => 0,
        };
        ChunkCounter {
            analyzer,
            unigrams: analyzer.ngram_range().0 == 1,
            tokens: Interner::for_text(bytes),
            words: Interner::default(),
            words_interned: analyzer.stems()
                || (analyzer.filters_tokens() && analyzer.ngram_range() != (1, 1)),
            n_words: 0,
            unigram_features: Vec::new(),
            short_grams: HashMap::new(),
            long_grams: HashMap::new(),
            char_grams: Interner::default(),
            n_features: 0,
            doc_words: Vec::new(),
            doc: DocCounts::default(),
            buf: String::new(),
            out: ChunkCounts {
                doc_ptr: vec![0],
                entries: Vec::with_capacity(entries),
                ..ChunkCounts::default()
            },
        }
    }

    fn add(&mut self, text: &str) {
        match self.analyzer.kind() {
            AnalyzerKind::Word => self.add_words(text),
            AnalyzerKind::Char | AnalyzerKind::CharWb => self.add_chars(text),
        }
        self.end_document();
    }

    /// A new feature id.
    #[inline]
    fn new_feature(n_features: &mut u32) -> u32 {
        let id = *n_features;
        *n_features += 1;
        id
    }

    fn add_words(&mut self, text: &str) {
        let analyzer = self.analyzer;
        let mut buf = std::mem::take(&mut self.buf);
        let mut doc_words = std::mem::take(&mut self.doc_words);
        doc_words.clear();
        {
            let text = analyzer.preprocess(text, &mut buf);
            let (tokens, words, n_words) = (&mut self.tokens, &mut self.words, &mut self.n_words);
            // A new word, and its unigram feature when words are features.
            let (unigram_features, n_features, unigrams) = (
                &mut self.unigram_features,
                &mut self.n_features,
                self.unigrams,
            );
            let mut new_word = || {
                let id = *n_words;
                *n_words += 1;
                unigram_features.push(if unigrams {
                    Self::new_feature(n_features)
                } else {
                    NONE
                });
                id
            };
            // With unigrams only, a word's id is its feature id: count at once.
            let only_unigrams = analyzer.ngram_range() == (1, 1);
            let doc = &mut self.doc;
            // Every path looks a token up `LOOKAHEAD` tokens after preparing
            // it (see `Lookahead`), in the order of the text.
            if analyzer.filters_tokens() && !self.words_interned {
                // Stop words only, unigrams: a token is its word, or nothing.
                // Short ones are counted in the interner's slots (a stop
                // word's slot holds NONE, and its count is dropped at the end
                // of the document), long ones here.
                let look_up = |tokens: &mut Interner, (token, prepared): (&str, Ahead)| {
                    let make = || match analyzer.filter_token(token) {
                        None => NONE,
                        Some(_) => new_word(),
                    };
                    if let Some(word) = tokens.count_ahead(prepared, token, make) {
                        if word != NONE {
                            doc.bump(word);
                        }
                    }
                };
                tokenize_ahead(analyzer, &text, tokens, look_up);
            } else if analyzer.filters_tokens() {
                let look_up = |tokens: &mut Interner, (token, prepared): (&str, Ahead)| {
                    let word = tokens.get_or_insert_ahead(prepared, token, |token| match analyzer
                        .filter_token(token)
                    {
                        None => NONE,
                        Some(word) => words.get_or_insert(&word, |_| new_word()),
                    });
                    if word != NONE {
                        if only_unigrams {
                            doc.bump(word);
                        } else {
                            doc_words.push(word);
                        }
                    }
                };
                tokenize_ahead(analyzer, &text, tokens, look_up);
            } else if only_unigrams {
                // A word is its feature: short ones are counted in the
                // interner's slots, long ones here.
                let look_up = |tokens: &mut Interner, (token, prepared): (&str, Ahead)| {
                    if let Some(word) = tokens.count_ahead(prepared, token, &mut new_word) {
                        doc.bump(word);
                    }
                };
                tokenize_ahead(analyzer, &text, tokens, look_up);
            } else {
                let look_up = |tokens: &mut Interner, (token, prepared): (&str, Ahead)| {
                    doc_words.push(tokens.get_or_insert_ahead(prepared, token, |_| new_word()));
                };
                tokenize_ahead(analyzer, &text, tokens, look_up);
            }
        }
        self.buf = buf;
        let (min_n, max_n) = analyzer.ngram_range();
        if min_n == 1 {
            for &word in &doc_words {
                self.doc.bump(self.unigram_features[word as usize]);
            }
        }
        for n in min_n.max(2)..=max_n.min(doc_words.len()) {
            for window in doc_words.windows(n) {
                let next = self.n_features;
                let feature = if n <= SHORT_GRAM {
                    let mut key = [NONE; SHORT_GRAM];
                    key[..n].copy_from_slice(window);
                    intern(&mut self.short_grams, key, next)
                } else {
                    match self.long_grams.get(window) {
                        Some(&id) => id,
                        None => {
                            self.long_grams.insert(window.into(), next);
                            next
                        }
                    }
                };
                if feature == next {
                    self.n_features += 1;
                }
                self.doc.bump(feature);
            }
        }
        self.doc_words = doc_words;
    }

    fn add_chars(&mut self, text: &str) {
        let mut buf = std::mem::take(&mut self.buf);
        let mut grams = std::mem::take(&mut self.doc_words);
        grams.clear();
        {
            let (char_grams, n_features) = (&mut self.char_grams, &mut self.n_features);
            self.analyzer.char_features(text, &mut buf, |gram| {
                grams.push(char_grams.get_or_insert(gram, |_| Self::new_feature(n_features)));
            });
        }
        self.buf = buf;
        for &id in &grams {
            self.doc.bump(id);
        }
        self.doc_words = grams;
    }

    fn end_document(&mut self) {
        let n = self.n_features as usize;
        if self.out.df.len() < n {
            self.out.df.resize(n, 0);
        }
        let (df, entries) = (&mut self.out.df, &mut self.out.entries);
        self.tokens.end_document(|feature, count| {
            if feature != NONE {
                df[feature as usize] += 1;
                entries.push(Entry { feature, count });
            }
        });
        for &feature in &self.doc.touched[..self.doc.n_touched] {
            let f = feature as usize;
            let count = std::mem::take(&mut self.doc.counts[f]);
            self.out.df[f] += 1;
            self.out.entries.push(Entry { feature, count });
        }
        self.doc.n_touched = 0;
        self.out.doc_ptr.push(self.out.entries.len());
    }

    /// Builds the feature strings and sorts them (entries keep their ids of
    /// first occurrence, which `rank` maps to sorted positions); drops the
    /// interners' tables.
    ///
    /// Feature strings are [`CompactString`]s: the 24 bytes of a short one
    /// hold it whole, so nearly no feature costs an allocation (on 20
    /// Newsgroups, building about 110,000 `String`s took 10 to 14 ms a chunk,
    /// and freeing those left over after the merge 3.5 ms, now under 1 ms).
    fn finish(mut self) -> ChunkCounts {
        let n = self.n_features as usize;
        // Every feature's string with its id, in no particular order: filled
        // in the order the tables hold them, as writing each string to its
        // id's place is a cache miss per feature (on 20 Newsgroups that took
        // 11 to 17 ms a chunk, more than sorting).
        let mut named: Vec<(CompactString, u32)> = Vec::with_capacity(n);
        if self.n_words > 0 {
            let table = if self.words_interned {
                &mut self.words
            } else {
                &mut self.tokens
            };
            if self.short_grams.is_empty() && self.long_grams.is_empty() {
                let unigram_features = &self.unigram_features;
                // A stop word's token has the id NONE; a word that is no
                // unigram feature (ngram_range from 2), the feature NONE.
                named.extend(table.drain().filter_map(|(word, id)| {
                    let feature = *unigram_features.get(id as usize).filter(|_| id != NONE)?;
                    (feature != NONE).then_some((word, feature))
                }));
            } else {
                // n-grams are spelled from their words, looked up by id.
                let mut words = vec![CompactString::default(); self.n_words as usize];
                for (word, id) in table.drain() {
                    if id != NONE {
                        words[id as usize] = word;
                    }
                }
                let join = |ids: &[u32]| {
                    let mut gram = CompactString::default();
                    for (i, &id) in ids.iter().take_while(|&&id| id != NONE).enumerate() {
                        if i > 0 {
                            gram.push(' ');
                        }
                        gram.push_str(&words[id as usize]);
                    }
                    gram
                };
                for (key, &feature) in &self.short_grams {
                    named.push((join(key), feature));
                }
                for (key, &feature) in &self.long_grams {
                    named.push((join(key), feature));
                }
                for (word, &feature) in words.into_iter().zip(&self.unigram_features) {
                    if feature != NONE {
                        named.push((word, feature));
                    }
                }
            }
        }
        named.extend(self.char_grams.drain());
        debug_assert_eq!(named.len(), n);
        drop((self.tokens, self.short_grams, self.long_grams));

        // Sort the features, and renumber everything by rank. The keys are
        // sorted with the strings' positions in `named` beside them:
        // comparing them in place is much faster than through an index.
        let mut order: Vec<(u128, u32)> = named
            .iter()
            .enumerate()
            .map(|(at, (f, _))| (order_key(f), at as u32))
            .collect();
        // By key alone (a plain integer sort), then runs of equal keys by
        // the full comparison: only strings sharing their first 16 bytes tie.
        // On 20 Newsgroups this took 4.8 ms a chunk instead of 12 with the
        // full comparison in the sort.
        order.sort_unstable_by_key(|&(key, _)| key);
        sort_ties(&mut order, &named);
        let mut rank = vec![0u32; n];
        for (r, &(_, at)) in order.iter().enumerate() {
            rank[named[at as usize].1 as usize] = r as u32;
        }
        let mut out = self.out;
        out.df = order
            .iter()
            .map(|&(_, at)| out.df[named[at as usize].1 as usize])
            .collect();
        out.features = order
            .iter()
            .map(|&(_, at)| std::mem::take(&mut named[at as usize].0))
            .collect();
        out.order_keys = order.iter().map(|&(key, _)| key).collect();
        out.rank = rank;
        out
    }
}

/// Sorts each run of equal keys of `order` (sorted by key; each key beside
/// its string's position in `named`) by [`compare_keyed`] on the strings.
fn sort_ties(order: &mut [(u128, u32)], named: &[(CompactString, u32)]) {
    for run in order.chunk_by_mut(|a, b| a.0 == b.0) {
        if run.len() > 1 {
            run.sort_unstable_by(|&(key_a, a), &(key_b, b)| {
                compare_keyed((&named[a as usize].0, key_a), (&named[b as usize].0, key_b))
            });
        }
    }
}

/// The counts of the document being read: counts by feature id, and the
/// features touched (`touched[..n_touched]`, in order of first occurrence).
#[derive(Default)]
struct DocCounts {
    counts: Vec<u32>,
    touched: Vec<u32>,
    n_touched: usize,
}

impl DocCounts {
    /// Counts one occurrence of `feature`. Branch-free but for growing
    /// (whether a feature is new to a document is unpredictable): the feature
    /// is always written to `touched`, whose length only grows when its count
    /// was zero, which is why `touched` has one slot more than `counts`.
    #[inline(always)]
    fn bump(&mut self, feature: u32) {
        let f = feature as usize;
        if f >= self.counts.len() {
            let n = (f + 1).max(2 * self.counts.len());
            self.counts.resize(n, 0);
            self.touched.resize(n + 1, 0);
        }
        self.touched[self.n_touched] = feature;
        self.n_touched += usize::from(self.counts[f] == 0);
        self.counts[f] += 1;
    }
}

/// The first 16 bytes of `s`, zero-padded, as a big-endian integer: ordering
/// by it agrees with ordering the strings wherever two keys differ.
#[inline]
pub(crate) fn order_key(s: &str) -> u128 {
    let bytes = s.as_bytes();
    let mut buf = [0u8; 16];
    let n = bytes.len().min(16);
    buf[..n].copy_from_slice(&bytes[..n]);
    u128::from_be_bytes(buf)
}

/// Compares two strings (Python's code-point order, which is UTF-8 byte order)
/// by their [`order_key`]s first: when the keys are equal and both strings are
/// at most 16 bytes long, the shorter is a prefix of the longer, so lengths
/// decide; only longer strings are compared whole.
#[inline]
pub(crate) fn compare_keyed((a, key_a): (&str, u128), (b, key_b): (&str, u128)) -> Ordering {
    key_a.cmp(&key_b).then_with(|| {
        if a.len() <= 16 && b.len() <= 16 {
            a.len().cmp(&b.len())
        } else {
            a.cmp(b)
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analyze::{Language, StopWordList};

    /// The counts of each document as sorted (feature, count) pairs.
    fn counted(analyzer: &Analyzer, docs: &[&str]) -> Vec<Vec<(String, u32)>> {
        let mut out = Vec::new();
        for chunk in count(analyzer, docs) {
            for d in 0..chunk.n_documents() {
                let mut row: Vec<_> = chunk
                    .document(d)
                    .iter()
                    .map(|e| {
                        (
                            chunk.features[chunk.rank[e.feature as usize] as usize].to_string(),
                            e.count,
                        )
                    })
                    .collect();
                row.sort();
                out.push(row);
            }
        }
        out
    }

    /// The same, from the reference path `Analyzer::analyze`.
    fn reference(analyzer: &Analyzer, docs: &[&str]) -> Vec<Vec<(String, u32)>> {
        docs.iter()
            .map(|doc| {
                let mut counts = std::collections::BTreeMap::new();
                for f in analyzer.analyze(doc) {
                    *counts.entry(f).or_insert(0) += 1;
                }
                counts.into_iter().collect()
            })
            .collect()
    }

    const DOCS: &[&str] = &[
        // A repeat right after the first feature (the touched list's edge case).
        "aa aa",
        "The Home Office is monitoring the monitoring of tweets.",
        "",
        "Grok images, Grok images and more Grok images: a b c d e f",
        "the the the",
        "Ofcom has our full backing to take enforcement action",
        // Tokens over 15 bytes are interned apart from the short ones.
        "the internationalisation of internationalisation, again and again",
    ];

    #[test]
    fn counts_agree_with_the_reference_analyzer() {
        let analyzers = [
            Analyzer::default(),
            Analyzer::params().ngram_range(1, 3).build().unwrap(),
            Analyzer::params()
                .ngram_range(2, 6)
                .token_pattern(r"\b\w+\b")
                .build()
                .unwrap(),
            Analyzer::params()
                .stop_words(Some(StopWordList::English))
                .stem(Some(Language::English))
                .ngram_range(1, 2)
                .build()
                .unwrap(),
            // Stop words alone: unigrams are counted in the token table's
            // slots; with n-grams, words are interned apart.
            Analyzer::params()
                .stop_words(Some(StopWordList::English))
                .build()
                .unwrap(),
            Analyzer::params()
                .stop_words(Some(StopWordList::English))
                .ngram_range(1, 2)
                .build()
                .unwrap(),
            Analyzer::params()
                .stem(Some(Language::English))
                .build()
                .unwrap(),
            Analyzer::params()
                .analyzer(AnalyzerKind::CharWb)
                .ngram_range(2, 4)
                .build()
                .unwrap(),
            Analyzer::params()
                .analyzer(AnalyzerKind::Char)
                .ngram_range(1, 3)
                .build()
                .unwrap(),
        ];
        for analyzer in &analyzers {
            assert_eq!(
                counted(analyzer, DOCS),
                reference(analyzer, DOCS),
                "{:?}",
                analyzer.get_params()
            );
        }
    }

    proptest::proptest! {
        #[test]
        fn counts_agree_with_the_reference_on_random_corpora(
            docs in proptest::collection::vec("[a-d ]{0,40}|[a-dé\\u{301} ]{0,12}", 0..150),
            max_n in 1usize..4,
        ) {
            let docs: Vec<&str> = docs.iter().map(String::as_str).collect();
            let analyzer = Analyzer::params().ngram_range(1, max_n).build().unwrap();
            proptest::prop_assert_eq!(counted(&analyzer, &docs), reference(&analyzer, &docs));
        }
    }

    #[test]
    fn chunks_cover_every_document_once_in_order() {
        let docs: Vec<String> = (0..1000).map(|i| "x".repeat(i % 37)).collect();
        for threads in [1, 2, 3, 8, 64] {
            let ranges = chunk_ranges(&docs, threads);
            assert_eq!(ranges.first().unwrap().start, 0);
            assert_eq!(ranges.last().unwrap().end, docs.len());
            for pair in ranges.windows(2) {
                assert_eq!(pair[0].end, pair[1].start);
            }
            assert!(ranges.len() <= 2 * threads);
        }
        let empty = chunk_ranges::<&str>(&[], 4);
        assert_eq!((empty.len(), empty[0].clone()), (1, 0..0));
    }
}
