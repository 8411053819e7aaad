//! The `--max-doc-bytes` guard: where an over-long text is cut, and the
//! warnings (or, under `--strict`, the error) that name it.

use std::path::Path;

use crate::error::{Error, Result};

/// How far back from the limit a whitespace is looked for, so that the cut
/// falls between words: longer than any real word, short enough that a text
/// without whitespace keeps nearly all of its allowed bytes.
const LOOK_BACK: usize = 256;

/// How many over-long documents of one source are named one by one; the
/// others are counted in one more warning.
const NAMED: usize = 5;

/// The byte length of the prefix of `text` to keep under a limit of `max`
/// bytes: all of it when it fits; else a prefix of at most `max` bytes that
/// ends before the last whitespace within [`LOOK_BACK`] bytes of the limit,
/// or at the last character boundary at or below it, with trailing
/// whitespace dropped.
///
/// `text` may itself be a prefix of the full text, as long as it holds the
/// whole character starting at the cut (4 bytes past `max` always do).
pub(super) fn cut(text: &str, max: usize) -> usize {
    if text.len() <= max {
        return text.len();
    }
    let boundary = floor_boundary(text, max);
    let rest_starts_with_space = text[boundary..]
        .chars()
        .next()
        .is_some_and(char::is_whitespace);
    let end = if rest_starts_with_space {
        boundary
    } else {
        let from = floor_boundary(text, boundary.saturating_sub(LOOK_BACK));
        text[from..boundary]
            .char_indices()
            .rev()
            .find(|(_, c)| c.is_whitespace())
            .map_or(boundary, |(i, _)| from + i)
    };
    text[..end].trim_end().len()
}

/// The largest character boundary of `text` at or below `i`.
pub(super) fn floor_boundary(text: &str, i: usize) -> usize {
    let mut i = i.min(text.len());
    while !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// A string built from pieces that keeps only what a limit may need: the
/// first `max + 4` bytes (cut at a character boundary), while counting the
/// full length. Without a limit it keeps everything.
#[derive(Debug)]
pub(super) struct Bounded {
    text: String,
    full: usize,
    keep: usize,
}

impl Bounded {
    /// An empty string for a limit of `max` bytes (`None`: no limit).
    pub(super) fn new(max: Option<usize>) -> Self {
        Bounded {
            text: String::new(),
            full: 0,
            keep: max.map_or(usize::MAX, |m| m.saturating_add(4)),
        }
    }

    /// Appends `piece`.
    pub(super) fn push(&mut self, piece: &str) {
        self.full += piece.len();
        let room = self.keep.saturating_sub(self.text.len());
        if room > 0 {
            self.text.push_str(&piece[..floor_boundary(piece, room)]);
        }
    }

    /// The kept text and the full length.
    pub(super) fn finish(self) -> (String, usize) {
        (self.text, self.full)
    }
}

/// One document cut to the limit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Note {
    /// Its id.
    pub id: String,
    /// The 1-based line where it starts.
    pub line: usize,
    /// Its length before the cut, in bytes.
    pub bytes: usize,
    /// Its length after the cut.
    pub kept: usize,
}

/// What to do with a text of `bytes` bytes, of the document `id` starting on
/// `line` of the file at `path`, under a limit of `max` bytes: `Ok(None)`
/// when it fits, `Ok(Some(note))` when it must be cut to `kept` bytes, and
/// under `strict` the error that refuses it.
pub(super) fn check(
    path: &Path,
    strict: bool,
    max: Option<usize>,
    id: &str,
    line: usize,
    bytes: usize,
    kept: usize,
) -> Result<Option<Note>> {
    let Some(max) = max.filter(|&max| bytes > max) else {
        return Ok(None);
    };
    if strict {
        return Err(Error::input(
            path,
            Some(line),
            format!(
                "document `{id}` has {bytes} bytes of text, more than --max-doc-bytes \
                 ({max}); raise the limit (0: none) or drop --strict to truncate it"
            ),
        ));
    }
    Ok(Some(Note {
        id: id.to_string(),
        line,
        bytes,
        kept,
    }))
}

/// The warnings for the documents of `source` cut to `max` bytes: one naming
/// each of the first few, and one counting the others.
pub(super) fn warnings(source: &str, max: Option<usize>, notes: &[Note]) -> Vec<String> {
    let Some(max) = max else {
        return Vec::new();
    };
    let mut out: Vec<String> = notes
        .iter()
        .take(NAMED)
        .map(|n| {
            format!(
                "{source} line {}: document `{}` has {} bytes of text, more than \
                 --max-doc-bytes ({max}); truncated to {} bytes (use --strict to refuse)",
                n.line, n.id, n.bytes, n.kept
            )
        })
        .collect();
    if notes.len() > NAMED {
        let more = notes.len() - NAMED;
        out.push(format!(
            "{source}: {more} more {} over --max-doc-bytes ({max}) {} truncated",
            if more == 1 { "document" } else { "documents" },
            if more == 1 { "was" } else { "were" },
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_that_fits_is_kept_whole() {
        assert_eq!(cut("", 0), 0);
        assert_eq!(cut("abc", 3), 3);
        assert_eq!(cut("abc ", 100), 4);
    }

    #[test]
    fn the_cut_falls_before_the_last_whitespace_within_the_limit() {
        assert_eq!(cut("alpha beta gamma", 8), "alpha".len());
        assert_eq!(cut("alpha beta gamma", 10), "alpha beta".len());
        // The limit falls just before a space: the cut is there.
        assert_eq!(cut("alpha beta gamma", 5), 5);
        // Several spaces before the cut are dropped too.
        assert_eq!(cut("alpha   beta", 7), 5);
        assert_eq!(cut("alpha\n\nbeta", 8), 5);
    }

    #[test]
    fn without_nearby_whitespace_the_cut_is_at_a_char_boundary() {
        let long = "x".repeat(1000);
        assert_eq!(cut(&long, 500), 500);
        // A space further back than LOOK_BACK is not used.
        let text = format!("a {}", "x".repeat(1000));
        assert_eq!(cut(&text, 900), 900);
        // Never inside a character: é is 2 bytes, 字 is 3.
        assert_eq!(cut("ééé", 3), 2);
        assert_eq!(cut("字字", 5), 3);
        assert_eq!(cut("字字", 2), 0);
        assert!(std::str::from_utf8(&"ééé".as_bytes()[..cut("ééé", 5)]).is_ok());
    }

    #[test]
    fn a_bounded_string_keeps_what_the_cut_needs_and_counts_the_rest() {
        let mut b = Bounded::new(Some(6));
        for piece in ["alpha", "\n", "beta", "\n", "gamma"] {
            b.push(piece);
        }
        let (text, full) = b.finish();
        assert_eq!((text.as_str(), full), ("alpha\nbeta", 16));
        assert_eq!(cut(&text, 6), 5);
        let mut b = Bounded::new(Some(0));
        b.push("字字");
        assert_eq!(b.finish(), ("字".to_string(), 6));
        let mut b = Bounded::new(None);
        b.push("a");
        b.push("b");
        assert_eq!(b.finish(), ("ab".to_string(), 2));
    }

    #[test]
    fn over_long_texts_are_noted_or_refused_under_strict() {
        let path = Path::new("d/a.txt");
        assert_eq!(check(path, true, Some(10), "x", 1, 10, 10).unwrap(), None);
        assert_eq!(
            check(path, true, None, "x", 1, 1 << 30, 1 << 30).unwrap(),
            None
        );
        let note = check(path, false, Some(10), "a.txt#3", 7, 11, 9).unwrap();
        assert_eq!(
            note,
            Some(Note {
                id: "a.txt#3".into(),
                line: 7,
                bytes: 11,
                kept: 9
            })
        );
        let err = check(path, true, Some(10), "a.txt#3", 7, 11, 9).unwrap_err();
        assert_eq!(
            err.to_string(),
            "d/a.txt line 7: document `a.txt#3` has 11 bytes of text, more than \
             --max-doc-bytes (10); raise the limit (0: none) or drop --strict to truncate it"
        );
    }

    #[test]
    fn the_first_few_are_named_and_the_others_counted() {
        let notes: Vec<Note> = (0..7)
            .map(|i| Note {
                id: format!("n{i}"),
                line: i + 1,
                bytes: 20,
                kept: 9,
            })
            .collect();
        let w = warnings("d/a.jsonl", Some(10), &notes);
        assert_eq!(w.len(), 6);
        assert_eq!(
            w[0],
            "d/a.jsonl line 1: document `n0` has 20 bytes of text, more than --max-doc-bytes \
             (10); truncated to 9 bytes (use --strict to refuse)"
        );
        assert_eq!(
            w[5],
            "d/a.jsonl: 2 more documents over --max-doc-bytes (10) were truncated"
        );
        assert_eq!(warnings("a", Some(10), &notes[..6]).len(), 6);
        assert!(warnings("a", Some(10), &[]).is_empty());
    }
}
