//! N-grams: of words (joined by one space) and of characters, with
//! scikit-learn's `_word_ngrams`, `_char_ngrams` and `_char_wb_ngrams` semantics.
//!
//! # Example
//! ```
//! use topica::analyze::word_ngrams;
//!
//! let mut grams = Vec::new();
//! word_ngrams(&["home", "office", "spokesperson"], (1, 2), |g| grams.push(g.to_string()));
//! assert_eq!(grams, ["home", "office", "spokesperson", "home office", "office spokesperson"]);
//! ```

use std::borrow::Cow;

use super::word_chars::is_python_space;

/// Calls `sink` with the word n-grams of `words` for every n in `range`
/// (inclusive), unigrams first, then bigrams, and so on.
pub fn word_ngrams(words: &[&str], (min_n, max_n): (usize, usize), mut sink: impl FnMut(&str)) {
    let mut gram = String::new();
    for n in min_n..=max_n.min(words.len()) {
        for window in words.windows(n) {
            if n == 1 {
                sink(window[0]);
            } else {
                gram.clear();
                for (i, w) in window.iter().enumerate() {
                    if i > 0 {
                        gram.push(' ');
                    }
                    gram.push_str(w);
                }
                sink(&gram);
            }
        }
    }
}

/// Replaces every run of two or more whitespace characters with one space
/// (scikit-learn's `re.sub(r"\s\s+", " ", text)`, before character n-grams).
/// A single whitespace character, a tab say, stays as it is.
pub(crate) fn normalize_white_spaces(text: &str) -> Cow<'_, str> {
    let mut out: Option<String> = None;
    let mut chars = text.char_indices().peekable();
    let mut copied = 0;
    while let Some((i, c)) = chars.next() {
        if !is_python_space(c) {
            continue;
        }
        let mut end = i + c.len_utf8();
        let mut run = 1;
        while let Some(&(j, d)) = chars.peek() {
            if !is_python_space(d) {
                break;
            }
            end = j + d.len_utf8();
            run += 1;
            chars.next();
        }
        if run >= 2 {
            let out = out.get_or_insert_with(|| String::with_capacity(text.len()));
            out.push_str(&text[copied..i]);
            out.push(' ');
            copied = end;
        }
    }
    match out {
        None => Cow::Borrowed(text),
        Some(mut out) => {
            out.push_str(&text[copied..]);
            Cow::Owned(out)
        }
    }
}

/// Character n-grams of `text` (already whitespace-normalised), counted in
/// code points as Python slices strings.
pub(crate) fn char_ngrams(text: &str, (min_n, max_n): (usize, usize), mut sink: impl FnMut(&str)) {
    // Byte offset of every character, plus the end.
    let bounds: Vec<usize> = text
        .char_indices()
        .map(|(i, _)| i)
        .chain([text.len()])
        .collect();
    let len = bounds.len() - 1;
    for n in min_n..=max_n.min(len) {
        for i in 0..=len - n {
            sink(&text[bounds[i]..bounds[i + n]]);
        }
    }
}

/// Character n-grams inside words, each word padded with one space on either
/// side; a word shorter than n yields itself (padded) once.
pub(crate) fn char_wb_ngrams(
    text: &str,
    (min_n, max_n): (usize, usize),
    mut sink: impl FnMut(&str),
) {
    let mut padded = String::new();
    let mut bounds = Vec::new();
    for word in text.split(is_python_space).filter(|w| !w.is_empty()) {
        padded.clear();
        padded.push(' ');
        padded.push_str(word);
        padded.push(' ');
        bounds.clear();
        bounds.extend(padded.char_indices().map(|(i, _)| i));
        bounds.push(padded.len());
        let len = bounds.len() - 1;
        for n in min_n..=max_n {
            // Python's w[0:n] clamps to the word.
            sink(&padded[..bounds[n.min(len)]]);
            let mut offset = 0;
            while offset + n < len {
                offset += 1;
                sink(&padded[bounds[offset]..bounds[offset + n]]);
            }
            if offset == 0 {
                // A word no longer than n: counted once.
                break;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn collect(f: impl FnOnce(&mut dyn FnMut(&str))) -> Vec<String> {
        let mut out = Vec::new();
        f(&mut |g: &str| out.push(g.to_string()));
        out
    }

    #[test]
    fn word_ngrams_follow_scikit_learn_order() {
        let words = ["a", "b", "c"];
        assert_eq!(
            collect(|s| word_ngrams(&words, (2, 3), s)),
            ["a b", "b c", "a b c"]
        );
        assert_eq!(
            collect(|s| word_ngrams(&words, (4, 5), s)),
            Vec::<String>::new()
        );
        assert_eq!(
            collect(|s| word_ngrams(&[], (1, 2), s)),
            Vec::<String>::new()
        );
    }

    #[test]
    fn white_space_runs_collapse_but_single_tabs_stay() {
        assert_eq!(normalize_white_spaces("a  b\tc \n d"), "a b\tc d");
        assert!(matches!(normalize_white_spaces("a b"), Cow::Borrowed(_)));
        assert_eq!(normalize_white_spaces("  "), " ");
    }

    #[test]
    fn char_ngrams_count_code_points() {
        assert_eq!(
            collect(|s| char_ngrams("çab", (2, 3), s)),
            ["ça", "ab", "çab"]
        );
        assert_eq!(collect(|s| char_ngrams("ab", (1, 1), s)), ["a", "b"]);
    }

    #[test]
    fn char_wb_ngrams_pad_words_and_count_short_ones_once() {
        assert_eq!(
            collect(|s| char_wb_ngrams("ab c", (2, 3), s)),
            [" a", "ab", "b ", " ab", "ab ", " c", "c ", " c "]
        );
        // " a " is shorter than 4: yielded once, then larger n stop.
        assert_eq!(collect(|s| char_wb_ngrams("a", (4, 5), s)), [" a "]);
    }
}
