//! A custom `token_pattern` run as scikit-learn runs it: compiled with
//! Python's `re` semantics (translated by `python_regex.rs`) and applied
//! with `re.findall`.
//!
//! # Example
//! ```
//! use topica::analyze::Tokenizer;
//!
//! // Python's \w: "x²" is one word, the combining accent ends "cafe".
//! let tokenizer = Tokenizer::pattern(r"(?u)\b\w+\b").unwrap();
//! let mut tokens = Vec::new();
//! tokenizer.tokenize("x² cafe\u{301}", |t| tokens.push(t.to_string()));
//! assert_eq!(tokens, ["x²", "cafe"]);
//! ```
//!
//! # Engines
//!
//! Decision: the translated pattern runs on the `regex` crate whenever that
//! is exact, and on `fancy-regex` (a backtracking engine, as Python's is,
//! which hands the parts it can to `regex-automata`) only where it is not:
//!
//! - a pattern with look-around, or `$` outside `(?m)`, always runs on
//!   `fancy-regex`;
//! - a pattern with `\b` or `\B` runs on `regex` with Rust's boundaries for
//!   every document in which no character is a word character to Python
//!   and not to Rust or the other way round (combining marks, `²`, `½`,
//!   `Ⓐ`, `‿`, ZWJ...: a check that ASCII documents skip), and on
//!   `fancy-regex` with look-around over Python's `\w` for the others. Look-
//!   around everywhere would be exact too, but measured 15 times slower on
//!   20 Newsgroups (8.1 s against 0.55 s for `\b\w+\b`);
//! - any other pattern runs on `regex`.
//!
//! `fancy-regex` runs with no backtracking limit: like Python's `re`, a
//! pattern that backtracks exponentially takes exponential time.
//!
//! # Iteration
//!
//! `re.findall` searches again where the last match ended, and since Python
//! 3.7 allows an empty match right after a non-empty one (`\w*` finds
//! `ab`, ``, `cd`, `` in `ab cd`, where the `regex` crate's iterator skips
//! the first empty one); this module does the same. After an empty match
//! Python first tries, at the same place, the alternatives that match
//! something (`a??` finds ``, `a`, `` in `a`); the Rust engines cannot be
//! asked for that, so the search moves on one character (``, ``): a known
//! difference, only for patterns that prefer an empty match where a
//! non-empty one is possible.

use std::ops::Range;
use std::sync::LazyLock;

use regex::Regex;

use super::python_classes::word_ranges;
use super::python_regex::translate;
use crate::error::ParamError;

/// A compiled custom token pattern.
#[derive(Debug, Clone)]
pub struct TokenPattern {
    /// The `regex` crate's engine, when it is exact on some documents.
    fast: Option<Engine>,
    /// The engine for the other documents.
    exact: Option<Engine>,
    /// Whether the pattern has one capturing group, whose text is the token.
    group: bool,
}

#[derive(Debug, Clone)]
enum Engine {
    Regex(Regex),
    Fancy(fancy_regex::Regex),
}

/// The characters that are word characters to exactly one of Python's `re`
/// and the `regex` crate: where their `\b` can differ.
static WORD_DIFFERENCE: LazyLock<Regex> = LazyLock::new(|| {
    let mut python = String::new();
    for (lo, hi) in word_ranges() {
        python.push_str(&format!(r"\x{{{lo:X}}}-\x{{{hi:X}}}"));
    }
    Regex::new(&format!(r"[\w~~[{python}]]")).expect("the difference class compiles")
});

impl TokenPattern {
    /// Compiles a Python `re` pattern. Fails on what Python refuses, on
    /// what topica does not support (backreferences, conditionals, atomic
    /// groups, possessive quantifiers, `\N{...}`), and on more than one
    /// capturing group.
    pub fn new(pattern: &str) -> Result<TokenPattern, ParamError> {
        let invalid = |what: String| {
            ParamError::new(
                "token_pattern",
                format!("`{pattern}` does not compile: {what}"),
            )
        };
        let t = translate(pattern).map_err(invalid)?;
        if t.groups > 1 {
            return Err(ParamError::new(
                "token_pattern",
                format!(
                    "`{pattern}` has {} capturing groups; only a single group should be \
                     captured (use (?:...) for the others)",
                    t.groups
                ),
            ));
        }
        let fancy = |text: &str| {
            fancy_regex::RegexBuilder::new(text)
                .backtrack_limit(usize::MAX)
                .build()
                .map(Engine::Fancy)
                .map_err(|e| invalid(e.to_string()))
        };
        let regex = |text: &str| {
            Regex::new(text)
                .map(Engine::Regex)
                .map_err(|e| invalid(last_line(&e.to_string())))
        };
        let (fast, exact) = if t.needs_fancy {
            (None, Some(fancy(&t.exact)?))
        } else if t.unicode_boundary {
            (Some(regex(&t.fast)?), Some(fancy(&t.exact)?))
        } else {
            (Some(regex(&t.fast)?), None)
        };
        Ok(TokenPattern {
            fast,
            exact,
            group: t.groups == 1,
        })
    }

    /// The engine that is exact on `text`.
    fn engine(&self, text: &str) -> &Engine {
        match (&self.fast, &self.exact) {
            (Some(fast), None) => fast,
            (None, Some(exact)) => exact,
            (Some(fast), Some(exact)) => {
                // Python's `\B` never matches in an empty string.
                let differ =
                    text.is_empty() || (!text.is_ascii() && WORD_DIFFERENCE.is_match(text));
                if differ { exact } else { fast }
            }
            (None, None) => unreachable!("a pattern has an engine"),
        }
    }

    /// Calls `sink` with every token of `text`, as `re.findall` finds them.
    pub fn tokenize<'t>(&self, text: &'t str, mut sink: impl FnMut(&'t str)) {
        let engine = self.engine(text);
        let mut pos = 0;
        while pos <= text.len() {
            let Some((range, token)) = engine.find_at(text, pos, self.group) else {
                break;
            };
            sink(token);
            pos = if range.is_empty() {
                // One character on (see the module docs).
                range.end + text[range.end..].chars().next().map_or(1, char::len_utf8)
            } else {
                range.end
            };
        }
    }
}

impl Engine {
    /// The first match at or after byte `pos`, and the token: the match, or
    /// with `group` the text of group 1 (empty when it took no part).
    fn find_at<'t>(
        &self,
        text: &'t str,
        pos: usize,
        group: bool,
    ) -> Option<(Range<usize>, &'t str)> {
        match self {
            Engine::Regex(r) if group => {
                let caps = r.captures_at(text, pos)?;
                let whole = caps.get(0).expect("group 0").range();
                Some((whole, caps.get(1).map_or("", |g| g.as_str())))
            }
            Engine::Regex(r) => r.find_at(text, pos).map(|m| (m.range(), m.as_str())),
            Engine::Fancy(r) if group => {
                let caps = r
                    .captures_from_pos(text, pos)
                    .expect("no backtracking limit is set")?;
                let whole = caps.get(0).expect("group 0").range();
                Some((whole, caps.get(1).map_or("", |g| g.as_str())))
            }
            Engine::Fancy(r) => r
                .find_from_pos(text, pos)
                .expect("no backtracking limit is set")
                .map(|m| (m.range(), m.as_str())),
        }
    }
}

/// The `regex` crate's message spans lines (the pattern, a caret, the
/// error); its last line says what is wrong.
fn last_line(text: &str) -> String {
    let what = text
        .lines()
        .rev()
        .find(|l| !l.trim().is_empty())
        .unwrap_or(text);
    what.trim().trim_start_matches("error: ").to_string()
}
