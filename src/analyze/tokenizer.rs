//! Tokenizers: scikit-learn's default `token_pattern` as a hand-written scanner,
//! and any other pattern through the `regex` crate.
//!
//! # Example
//! ```
//! use topica::analyze::Tokenizer;
//!
//! let tokenizer = Tokenizer::default();
//! let mut tokens = Vec::new();
//! tokenizer.tokenize("the café's 2 views, 12-year-old", |t| tokens.push(t.to_string()));
//! assert_eq!(tokens, ["the", "café", "views", "12", "year", "old"]);
//! ```

use regex::Regex;

use super::word_chars::{is_ascii_word_byte, is_word_char};
use crate::error::ParamError;

/// scikit-learn's default `token_pattern`.
pub const DEFAULT_TOKEN_PATTERN: &str = r"(?u)\b\w\w+\b";

/// Splits text into tokens.
#[derive(Debug, Clone, Default)]
pub enum Tokenizer {
    /// scikit-learn's default `(?u)\b\w\w+\b`: every maximal run of two or more
    /// word characters, with Python's definition of a word character (letters,
    /// numbers and `_`, but not combining marks). A scanner, about ten times
    /// faster than the regular expression.
    #[default]
    Words,
    /// Any other regular expression, in the syntax of the `regex` crate (which
    /// has no look-around or backreferences). As in scikit-learn, a pattern with
    /// one capturing group yields that group's text (empty when the group did
    /// not take part in the match), and a pattern without one yields whole matches.
    Pattern {
        /// The compiled pattern.
        regex: Regex,
        /// Whether to yield capture group 1 instead of the whole match.
        group: bool,
    },
}

impl Tokenizer {
    /// The tokenizer for a `token_pattern`: the fast scanner for scikit-learn's
    /// default pattern, a regular expression otherwise.
    ///
    /// Fails on a pattern that does not compile or has more than one capturing
    /// group (scikit-learn refuses those too).
    pub fn pattern(pattern: &str) -> Result<Tokenizer, ParamError> {
        if pattern == DEFAULT_TOKEN_PATTERN || pattern == r"\b\w\w+\b" {
            return Ok(Tokenizer::Words);
        }
        let regex = Regex::new(pattern)
            .map_err(|e| ParamError::new("token_pattern", format!("`{pattern}` does not compile: {e}")))?;
        let groups = regex.captures_len() - 1;
        if groups > 1 {
            return Err(ParamError::new(
                "token_pattern",
                format!(
                    "`{pattern}` has {groups} capturing groups; only a single group should be \
                     captured (use (?:...) for the others)"
                ),
            ));
        }
        Ok(Tokenizer::Pattern {
            regex,
            group: groups == 1,
        })
    }

    /// Calls `sink` with every token of `text`, in order.
    #[inline]
    pub fn tokenize<'t>(&self, text: &'t str, sink: impl FnMut(&'t str)) {
        match self {
            Tokenizer::Words => words(text, sink),
            Tokenizer::Pattern { regex, group } => pattern_tokens(regex, *group, text, sink),
        }
    }
}

/// The maximal runs of at least two word characters.
///
/// `\b\w\w+\b` matches exactly those: `\w+` is greedy and `\b` forbids a match
/// that starts or ends inside a run.
fn words<'t>(text: &'t str, mut sink: impl FnMut(&'t str)) {
    let bytes = text.as_bytes();
    let mut i = 0;
    // Start byte of the current run, and its length in characters.
    let mut start = 0;
    let mut run = 0usize;
    while i < bytes.len() {
        let b = bytes[i];
        let (is_word, width) = if b < 0x80 {
            (is_ascii_word_byte(b), 1)
        } else {
            // A char boundary: `i` only ever advances by whole characters.
            let c = text[i..].chars().next().expect("i is on a char boundary");
            (is_word_char(c), c.len_utf8())
        };
        if is_word {
            if run == 0 {
                start = i;
            }
            run += 1;
        } else {
            if run >= 2 {
                sink(&text[start..i]);
            }
            run = 0;
        }
        i += width;
    }
    if run >= 2 {
        sink(&text[start..]);
    }
}

fn pattern_tokens<'t>(regex: &Regex, group: bool, text: &'t str, mut sink: impl FnMut(&'t str)) {
    if group {
        for caps in regex.captures_iter(text) {
            sink(caps.get(1).map_or("", |m| m.as_str()));
        }
    } else {
        for m in regex.find_iter(text) {
            sink(m.as_str());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tokens(tokenizer: &Tokenizer, text: &str) -> Vec<String> {
        let mut out = Vec::new();
        tokenizer.tokenize(text, |t| out.push(t.to_string()));
        out
    }

    #[test]
    fn default_pattern_keeps_runs_of_two_or_more_word_characters() {
        let t = Tokenizer::default();
        assert_eq!(
            tokens(&t, "I don't like x_y, 3.14 or a-b-cd!"),
            ["don", "like", "x_y", "14", "or", "cd"]
        );
        assert_eq!(tokens(&t, ""), Vec::<String>::new());
        assert_eq!(tokens(&t, "ab"), ["ab"]);
        assert_eq!(tokens(&t, "a"), Vec::<String>::new());
    }

    #[test]
    fn combining_marks_split_words_as_in_python() {
        // "cafe" + U+0301: Python's \w does not match the accent.
        assert_eq!(tokens(&Tokenizer::default(), "cafe\u{301}s"), ["cafe"]);
        assert_eq!(tokens(&Tokenizer::default(), "東京都 ΟΔΟΣ"), ["東京都", "ΟΔΟΣ"]);
    }

    #[test]
    fn the_default_pattern_string_selects_the_scanner() {
        assert!(matches!(Tokenizer::pattern(DEFAULT_TOKEN_PATTERN), Ok(Tokenizer::Words)));
        assert!(matches!(Tokenizer::pattern(r"\b\w+\b"), Ok(Tokenizer::Pattern { group: false, .. })));
    }

    #[test]
    fn a_pattern_with_one_group_yields_the_group() {
        let t = Tokenizer::pattern(r"#(\w+)").unwrap();
        assert_eq!(tokens(&t, "#rust and #python"), ["rust", "python"]);
        let t = Tokenizer::pattern(r"(a)?b").unwrap();
        assert_eq!(tokens(&t, "b ab"), ["", "a"]);
    }

    #[test]
    fn token_pattern_cannot_have_two_groups() {
        let e = Tokenizer::pattern(r"(a)(b)").unwrap_err();
        assert_eq!(e.name, "token_pattern");
        assert!(e.message.contains("2 capturing groups"), "{e}");
    }

    #[test]
    fn token_pattern_must_compile() {
        let e = Tokenizer::pattern(r"(unclosed").unwrap_err();
        assert!(e.message.contains("does not compile"), "{e}");
    }
}
