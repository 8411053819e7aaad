//! What one single-character item of a Python `re` pattern matches, as an
//! explicit set of code points: `\w \d \s` and their negations, character
//! classes, and literals under `(?i)`, with the semantics of Python 3.11's
//! `re` for `str` patterns (the tables in `python_word_table.rs` and
//! `python_re_tables.rs` are generated from that Python).
//!
//! Decision: rather than trusting another engine's `\w` or `(?i)`, which
//! differ from Python's on thousands of code points, the translator in
//! `python_regex.rs` asks this module for the exact set and writes it out as
//! a character class of ranges. The rules follow `re._compiler` and
//! `_sre` (`_optimize_charset`, `IN_UNI_IGNORE`, `LITERAL_UNI_IGNORE`,
//! `RANGE_UNI_IGNORE`), quirks included: under `(?i)`, `i` also matches
//! U+0130 (whose simple lowercase is `i`) and U+0131 (one of
//! `_EXTRA_CASES`), `k` matches the Kelvin sign, `s` the long s; a class
//! holding a cased character tests `\w`, `\d` and `\s` on the character's
//! lowercase; a non-BMP literal in a class of several items is compared
//! without lowercasing it (so `(?i)[\U00010400a]` does not match U+10400).
//!
//! Known approximation: Python exposes no simple uppercase mapping, so the
//! uppercase table (used only by `(?i)` ranges reaching past U+FFFF) is
//! `str.upper()` where that is a single character.

use std::sync::LazyLock;

use super::python_re_tables::{
    CASED_RANGES, DIGIT_RANGES, EXTRA_CASES, LOWER, SPACE_RANGES, UPPER,
};
use super::python_word_table::WORD_RANGES;

/// One past the largest code point.
const CODE_POINTS: u32 = 0x11_0000;
const SURROGATES: (u32, u32) = (0xD800, 0xDFFF);

/// A set of code points, as a bitmap (139 KiB): classes are built by union,
/// complement and a pass over every code point, which is simplest this way.
#[derive(Clone, PartialEq, Eq)]
pub(crate) struct CodeSet(Vec<u64>);

impl CodeSet {
    pub(crate) fn empty() -> CodeSet {
        CodeSet(vec![0; (CODE_POINTS / 64) as usize])
    }

    pub(crate) fn from_ranges(ranges: &[(u32, u32)]) -> CodeSet {
        let mut set = CodeSet::empty();
        for &(lo, hi) in ranges {
            set.insert_range(lo, hi);
        }
        set
    }

    pub(crate) fn insert(&mut self, c: u32) {
        self.0[(c / 64) as usize] |= 1 << (c % 64);
    }

    pub(crate) fn insert_range(&mut self, lo: u32, hi: u32) {
        for c in lo..=hi {
            self.insert(c);
        }
    }

    pub(crate) fn contains(&self, c: u32) -> bool {
        c < CODE_POINTS && self.0[(c / 64) as usize] >> (c % 64) & 1 == 1
    }

    pub(crate) fn union_with(&mut self, other: &CodeSet) {
        for (a, b) in self.0.iter_mut().zip(&other.0) {
            *a |= b;
        }
    }

    pub(crate) fn complement(mut self) -> CodeSet {
        for w in &mut self.0 {
            *w = !*w;
        }
        self
    }

    /// The sorted, merged ranges of the set, surrogates left out (a Rust
    /// string holds none).
    pub(crate) fn ranges(&self) -> Vec<(u32, u32)> {
        let mut out: Vec<(u32, u32)> = Vec::new();
        for (k, &w) in self.0.iter().enumerate() {
            let mut w = w;
            while w != 0 {
                let bit = w.trailing_zeros();
                let c = k as u32 * 64 + bit;
                w &= w - 1;
                if (SURROGATES.0..=SURROGATES.1).contains(&c) {
                    continue;
                }
                match out.last_mut() {
                    Some(last)
                        if last.1 + 1 == c
                            || (last.1 + 1 == SURROGATES.0 && c == SURROGATES.1 + 1) =>
                    {
                        last.1 = c
                    }
                    _ => out.push((c, c)),
                }
            }
        }
        out
    }
}

/// `\w`, `\d` and `\s` (`negated`: `\W`, `\D`, `\S`), as Python's `re`
/// defines them for `str` patterns, or in ASCII mode (`(?a)`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Category {
    Word,
    Digit,
    Space,
}

static WORD: LazyLock<CodeSet> = LazyLock::new(|| {
    let mut set = CodeSet::from_ranges(WORD_RANGES);
    set.union_with(&CodeSet::from_ranges(&[
        (0x30, 0x39),
        (0x41, 0x5A),
        (0x5F, 0x5F),
        (0x61, 0x7A),
    ]));
    set
});
static DIGIT: LazyLock<CodeSet> = LazyLock::new(|| CodeSet::from_ranges(DIGIT_RANGES));
static SPACE: LazyLock<CodeSet> = LazyLock::new(|| CodeSet::from_ranges(SPACE_RANGES));
static CASED: LazyLock<CodeSet> = LazyLock::new(|| CodeSet::from_ranges(CASED_RANGES));

impl Category {
    /// The set, for `str` patterns (`ascii` false) or under `(?a)`.
    pub(crate) fn set(self, ascii: bool) -> CodeSet {
        if ascii {
            CodeSet::from_ranges(self.ascii_ranges())
        } else {
            match self {
                Category::Word => WORD.clone(),
                Category::Digit => DIGIT.clone(),
                Category::Space => SPACE.clone(),
            }
        }
    }

    /// The ASCII ranges (`(?a)`): `[0-9A-Za-z_]`, `[0-9]`, `[ \t\n\r\f\v]`.
    pub(crate) fn ascii_ranges(self) -> &'static [(u32, u32)] {
        match self {
            Category::Word => &[(0x30, 0x39), (0x41, 0x5A), (0x5F, 0x5F), (0x61, 0x7A)],
            Category::Digit => &[(0x30, 0x39)],
            Category::Space => &[(0x09, 0x0D), (0x20, 0x20)],
        }
    }
}

/// The ranges of Python's `\w` (for `str` patterns).
pub(crate) fn word_ranges() -> Vec<(u32, u32)> {
    WORD.ranges()
}

/// One item of a character class, as Python's parser records it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Item {
    Literal(u32),
    Range(u32, u32),
    /// A category, negated (`\W`) or not.
    Category(Category, bool),
}

/// The flags that decide what a single-character item matches.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct CaseFlags {
    /// `(?i)`.
    pub(crate) ignore_case: bool,
    /// `(?a)`.
    pub(crate) ascii: bool,
}

fn lookup(table: &[(u32, u32)], c: u32) -> u32 {
    match table.binary_search_by_key(&c, |&(from, _)| from) {
        Ok(i) => table[i].1,
        Err(_) => c,
    }
}

/// `_sre.unicode_tolower` or `_sre.ascii_tolower`.
fn lower(c: u32, ascii: bool) -> u32 {
    if ascii {
        if (0x41..=0x5A).contains(&c) {
            c + 0x20
        } else {
            c
        }
    } else {
        lookup(LOWER, c)
    }
}

/// `_sre.unicode_iscased` or `_sre.ascii_iscased`.
fn is_cased(c: u32, ascii: bool) -> bool {
    if ascii {
        c < 128 && (c as u8).is_ascii_alphabetic()
    } else {
        CASED.contains(c)
    }
}

/// `_EXTRA_CASES[lo]` (none in ASCII mode).
fn extra_cases(lo: u32, ascii: bool) -> impl Iterator<Item = u32> {
    let from = if ascii {
        EXTRA_CASES.len()
    } else {
        EXTRA_CASES.partition_point(|&(k, _)| k < lo)
    };
    EXTRA_CASES[from..]
        .iter()
        .take_while(move |&&(k, _)| k == lo)
        .map(|&(_, v)| v)
}

/// What a literal matches: itself, or under `(?i)` when it is cased, every
/// character whose lowercase is its lowercase or one of that lowercase's
/// `_EXTRA_CASES` (`LITERAL_UNI_IGNORE`, or `IN_UNI_IGNORE` for those).
/// `negated` gives `NOT_LITERAL` (`[^x]`).
pub(crate) fn literal_set(c: u32, negated: bool, flags: CaseFlags) -> CodeSet {
    let mut set = CodeSet::empty();
    if !flags.ignore_case || !is_cased(c, flags.ascii) {
        set.insert(c);
    } else {
        let lo = lower(c, flags.ascii);
        let mut targets = CodeSet::empty();
        targets.insert(lo);
        for k in extra_cases(lo, flags.ascii) {
            targets.insert(k);
        }
        for x in 0..CODE_POINTS {
            if targets.contains(lower(x, flags.ascii)) {
                set.insert(x);
            }
        }
    }
    if negated { set.complement() } else { set }
}

/// What a character class `[...]` of several items (or of one that is not a
/// literal) matches, following `_optimize_charset` and the `IN`,
/// `IN_IGNORE` and `IN_UNI_IGNORE` opcodes.
pub(crate) fn class_set(items: &[Item], negated: bool, flags: CaseFlags) -> CodeSet {
    let ascii = flags.ascii;
    let category = |cat: Category, neg: bool| {
        let set = cat.set(ascii);
        if neg { set.complement() } else { set }
    };
    let set = if !flags.ignore_case {
        let mut set = CodeSet::empty();
        for &item in items {
            match item {
                Item::Literal(c) => set.insert(c),
                Item::Range(lo, hi) => set.insert_range(lo, hi),
                Item::Category(cat, neg) => set.union_with(&category(cat, neg)),
            }
        }
        set
    } else {
        // The charmap holds lowercased BMP literals and ranges (with their
        // extra cases); the tail what did not fit: categories, non-BMP
        // literals as written, and ranges reaching past the BMP.
        let mut charmap = CodeSet::empty();
        let mut tail_literals = Vec::new();
        let mut tail_ranges = Vec::new();
        let mut tail_categories = CodeSet::empty();
        let mut has_cased = false;
        let mark = |charmap: &mut CodeSet, lo: u32| {
            charmap.insert(lo);
            for k in extra_cases(lo, ascii) {
                charmap.insert(k);
            }
        };
        for &item in items {
            match item {
                Item::Literal(c) => {
                    let lo = lower(c, ascii);
                    if lo > 0xFFFF {
                        tail_literals.push(c);
                        has_cased = true;
                    } else {
                        mark(&mut charmap, lo);
                        has_cased |= is_cased(c, ascii);
                    }
                }
                Item::Range(a, b) => {
                    let mut overflow = false;
                    for c in a..=b {
                        let lo = lower(c, ascii);
                        if lo > 0xFFFF {
                            overflow = true;
                            break;
                        }
                        mark(&mut charmap, lo);
                    }
                    if overflow {
                        tail_ranges.push((a, b));
                        has_cased = true;
                    } else {
                        has_cased |= (a..=b).any(|c| is_cased(c, ascii));
                    }
                }
                Item::Category(cat, neg) => tail_categories.union_with(&category(cat, neg)),
            }
        }
        let mut set = CodeSet::empty();
        if !has_cased {
            // `IN`: the character itself is tested; the charmap then holds
            // exactly the literals and ranges (all uncased, or lowercased
            // beyond the BMP).
            for &item in items {
                match item {
                    Item::Literal(c) => set.insert(c),
                    Item::Range(lo, hi) => set.insert_range(lo, hi),
                    Item::Category(..) => {}
                }
            }
            set.union_with(&tail_categories);
        } else {
            for x in 0..CODE_POINTS {
                let y = lower(x, ascii);
                let hit = charmap.contains(y)
                    || tail_categories.contains(y)
                    || tail_literals.contains(&y)
                    || tail_ranges
                        .iter()
                        .any(|&(a, b)| (a..=b).contains(&y) || (a..=b).contains(&lookup(UPPER, y)));
                if hit {
                    set.insert(x);
                }
            }
        }
        set
    };
    if negated { set.complement() } else { set }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ignore_case() -> CaseFlags {
        CaseFlags {
            ignore_case: true,
            ascii: false,
        }
    }

    #[test]
    fn ranges_merge_across_the_surrogates() {
        let mut set = CodeSet::empty();
        set.insert_range(0xD000, 0xE100);
        assert_eq!(set.ranges(), [(0xD000, 0xE100)]);
        assert!(CodeSet::empty().complement().ranges() == [(0, 0x10FFFF)]);
    }

    #[test]
    fn case_insensitive_i_matches_the_turkish_letters_as_python_does() {
        // re.findall('(?i)i', 'iIİı') == ['i', 'I', 'İ', 'ı']
        let set = literal_set('i' as u32, false, ignore_case());
        assert_eq!(set.ranges(), [(0x49, 0x49), (0x69, 0x69), (0x130, 0x131)]);
        // re.findall('(?i)[a-z]', 'K ſ') == ['K', 'ſ'] (Kelvin sign, long s)
        let set = class_set(&[Item::Range(0x61, 0x7A)], false, ignore_case());
        for c in ['K', 'k', 'K', 'ſ', 'İ', 'ı'] {
            assert!(set.contains(c as u32), "{c:?}");
        }
        assert!(!set.contains('ß' as u32));
    }

    #[test]
    fn a_class_without_cased_characters_is_tested_as_written() {
        let set = class_set(
            &[
                Item::Category(Category::Digit, false),
                Item::Literal('-' as u32),
            ],
            false,
            ignore_case(),
        );
        assert!(set.contains('٣' as u32) && set.contains('-' as u32));
        assert!(!set.contains('a' as u32));
    }
}
