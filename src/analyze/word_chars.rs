//! Python's `\w`: the character class behind scikit-learn's default
//! `token_pattern`, `(?u)\b\w\w+\b`.
//!
//! Python's `re` counts a character as a word character when `str.isalnum()`
//! holds for it or it is `_`: letters (`Lu Ll Lt Lm Lo`) and characters with a
//! numeric value (`Nd Nl No` and a few CJK ideographs), but **not** combining
//! marks (`Mn Mc`), which Rust's `regex` and `char::is_alphanumeric` disagree
//! on. The table in `python_word_table.rs` is generated from Python itself by
//! `tests/sklearn_reference.py table`, so the tokenizer agrees with Python's
//! `re` code point for code point.

use super::python_word_table::WORD_RANGES;

/// `[0-9A-Za-z_]`, indexed by byte.
static ASCII_WORD: [bool; 128] = {
    let mut table = [false; 128];
    let mut b = 0;
    while b < 128 {
        let c = b as u8;
        table[b] = c.is_ascii_alphanumeric() || c == b'_';
        b += 1;
    }
    table
};

/// Whether Python's `re` matches `c` with `(?u)\w`.
#[inline]
pub(crate) fn is_word_char(c: char) -> bool {
    let cp = c as u32;
    if cp < 128 {
        ASCII_WORD[cp as usize]
    } else {
        is_word_non_ascii(cp)
    }
}

/// Whether the ASCII byte `b` is a word character (`b` must be < 128).
#[inline]
pub(crate) fn is_ascii_word_byte(b: u8) -> bool {
    ASCII_WORD[b as usize]
}

fn is_word_non_ascii(cp: u32) -> bool {
    // The last range starting at or before `cp` decides.
    let i = WORD_RANGES.partition_point(|&(start, _)| start <= cp);
    i > 0 && cp <= WORD_RANGES[i - 1].1
}

/// Python's `str.isspace()`, which `\s` follows in `str` patterns: Unicode's
/// `White_Space` plus the information separators U+001C..U+001F.
#[inline]
pub(crate) fn is_python_space(c: char) -> bool {
    c.is_whitespace() || ('\u{1c}'..='\u{1f}').contains(&c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ascii_word_characters_are_alphanumerics_and_underscore() {
        for b in 0u8..128 {
            let expected = b.is_ascii_alphanumeric() || b == b'_';
            assert_eq!(is_word_char(b as char), expected, "byte {b}");
        }
    }

    #[test]
    fn letters_and_numbers_are_word_characters_but_marks_are_not() {
        for c in ['é', 'ß', 'Ω', 'ж', '東', 'ㄱ', '٣', '²', '½', 'Ⅻ', 'ª'] {
            assert!(is_word_char(c), "{c:?} should be a word character");
        }
        // Combining acute accent (Mn), Devanagari vowel sign (Mc), ZWJ, NBSP, emoji.
        for c in ['\u{301}', '\u{93e}', '\u{200d}', '\u{a0}', '😀', '’', '-'] {
            assert!(!is_word_char(c), "{c:?} should not be a word character");
        }
    }

    #[test]
    fn the_table_is_sorted_and_disjoint() {
        for pair in WORD_RANGES.windows(2) {
            assert!(
                pair[0].0 <= pair[0].1 && pair[0].1 + 1 < pair[1].0,
                "{pair:?}"
            );
        }
        assert!(WORD_RANGES[0].0 >= 0x80);
    }

    #[test]
    fn python_space_includes_information_separators() {
        for c in [
            ' ', '\t', '\n', '\u{b}', '\u{c}', '\r', '\u{1c}', '\u{1f}', '\u{85}', '\u{a0}',
            '\u{3000}',
        ] {
            assert!(is_python_space(c), "{c:?}");
        }
        assert!(!is_python_space('a') && !is_python_space('\u{200b}'));
    }
}
