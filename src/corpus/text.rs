//! Plain text: splitting a file into paragraphs.

use serde_json::Map;

use super::limit::{self, Bounded, Note};
use super::read::Context;
use super::{Document, Split};
use crate::error::Result;

/// One paragraph: its trimmed text (cut to the limit) and the 1-based line
/// where it starts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Paragraph {
    /// The 1-based line of the paragraph's first (non-blank) line.
    pub line: usize,
    /// The trimmed text, cut to the limit; never empty before the cut.
    pub text: String,
    /// The length of the trimmed text before the cut, in bytes.
    pub bytes: usize,
}

/// Whether a line is blank: empty or whitespace only.
fn is_blank(line: &str) -> bool {
    line.trim().is_empty()
}

/// Splits `text` into its non-empty paragraphs as `split` says, cutting each
/// to `max` bytes (see [`limit::cut`]).
///
/// Lines end with `\n`, `\r\n` or a lone `\r` ([`lines`]). [`Split::Auto`] is [`Split::Blank`] when
/// some line is blank, else [`Split::Lines`]. Every paragraph is trimmed and
/// empty ones are dropped. An over-long paragraph is never built whole: only
/// the bytes the cut may keep are copied.
pub(super) fn paragraphs(text: &str, split: Split, max: Option<usize>) -> Vec<Paragraph> {
    let split = match split {
        Split::Auto if lines(text).any(is_blank) => Split::Blank,
        Split::Auto => Split::Lines,
        other => other,
    };
    let mut out = Vec::new();
    match split {
        Split::Lines => {
            for (i, line) in lines(text).enumerate() {
                if !is_blank(line) {
                    out.push(joined(i + 1, &[line], max));
                }
            }
        }
        Split::Blank => {
            let mut run: Vec<&str> = Vec::new();
            let mut start = 0;
            for (i, line) in lines(text).enumerate() {
                if is_blank(line) {
                    if !run.is_empty() {
                        out.push(joined(start, &run, max));
                        run.clear();
                    }
                } else {
                    if run.is_empty() {
                        start = i + 1;
                    }
                    run.push(line);
                }
            }
            if !run.is_empty() {
                out.push(joined(start, &run, max));
            }
        }
        Split::None | Split::Auto => {
            let lines: Vec<&str> = lines(text).collect();
            let first = lines.iter().position(|l| !is_blank(l));
            let last = lines.iter().rposition(|l| !is_blank(l));
            if let (Some(first), Some(last)) = (first, last) {
                out.push(joined(first + 1, &lines[first..=last], max));
            }
        }
    }
    out
}

/// The lines of `text` as Python reads a file with universal newlines (its
/// default, and what scikit-learn users' own readers do): each ends at `\n`,
/// `\r\n` or a lone `\r`, the ending left out, and a final ending does not
/// start another line. `str::lines` knows no lone `\r`, and a file of old Mac
/// line endings became one paragraph, silently.
fn lines(text: &str) -> impl Iterator<Item = &str> {
    let mut rest = text;
    std::iter::from_fn(move || {
        if rest.is_empty() {
            return None;
        }
        let bytes = rest.as_bytes();
        match bytes.iter().position(|&b| b == b'\n' || b == b'\r') {
            None => Some(std::mem::take(&mut rest)),
            Some(i) => {
                let line = &rest[..i];
                let crlf = bytes[i] == b'\r' && bytes.get(i + 1) == Some(&b'\n');
                rest = &rest[i + if crlf { 2 } else { 1 }..];
                Some(line)
            }
        }
    })
}

/// The paragraph starting on `line` made of `lines` joined with `\n`, whose
/// first and last lines are not blank, trimmed and cut to `max` bytes.
fn joined(line: usize, lines: &[&str], max: Option<usize>) -> Paragraph {
    let mut text = Bounded::new(max);
    let last = lines.len() - 1;
    for (i, &piece) in lines.iter().enumerate() {
        let mut piece = piece;
        if i == 0 {
            piece = piece.trim_start();
        } else {
            text.push("\n");
        }
        if i == last {
            piece = piece.trim_end();
        }
        text.push(piece);
    }
    let (mut text, bytes) = text.finish();
    if let Some(max) = max {
        text.truncate(limit::cut(&text, max));
    }
    Paragraph { line, text, bytes }
}

/// The documents of a plain-text file: one per non-empty paragraph, with ids
/// `NAME#N`, and the notes of those cut to the limit.
///
/// # Errors
///
/// Under `--strict`, the first paragraph over the limit.
pub(super) fn documents(text: &str, ctx: &Context<'_>) -> Result<(Vec<Document>, Vec<Note>)> {
    let max = ctx.options.max_doc_bytes;
    let mut notes = Vec::new();
    let mut documents = Vec::new();
    for (position, p) in paragraphs(text, ctx.options.split, max)
        .into_iter()
        .enumerate()
    {
        let id = format!("{}#{position}", ctx.name);
        let strict = ctx.options.strict;
        if let Some(note) = limit::check(ctx.path, strict, max, &id, p.line, p.bytes, p.text.len())?
        {
            notes.push(note);
        }
        documents.push(Document {
            id,
            text: p.text,
            source: ctx.source.clone(),
            position,
            line: p.line,
            fields: Map::new(),
        });
    }
    Ok((documents, notes))
}

#[cfg(test)]
mod tests {
    use std::path::Path;
    use std::sync::Arc;

    use super::*;
    use crate::corpus::ReadOptions;

    fn split(text: &str, split: Split) -> Vec<(usize, String)> {
        paragraphs(text, split, None)
            .into_iter()
            .map(|p| {
                assert_eq!(p.bytes, p.text.len());
                (p.line, p.text)
            })
            .collect()
    }

    fn p(line: usize, text: &str) -> (usize, String) {
        (line, text.to_string())
    }

    #[test]
    fn lines_makes_every_non_blank_line_a_trimmed_paragraph() {
        let text = "  one \n\n two\n \t \nthree";
        assert_eq!(
            split(text, Split::Lines),
            [p(1, "one"), p(3, "two"), p(5, "three")]
        );
    }

    #[test]
    fn blank_joins_runs_of_non_blank_lines() {
        let text = "\n\n a\nb \n \t\nc\n\n\n  d\n  e\n";
        assert_eq!(
            split(text, Split::Blank),
            [p(3, "a\nb"), p(6, "c"), p(9, "d\n  e")]
        );
    }

    #[test]
    fn auto_is_blank_when_there_is_a_blank_line_else_lines() {
        assert_eq!(
            split("a\nb\n\nc\n", Split::Auto),
            split("a\nb\n\nc\n", Split::Blank)
        );
        assert_eq!(split("a\nb\n\nc\n", Split::Auto), [p(1, "a\nb"), p(4, "c")]);
        // A whitespace-only line is blank.
        assert_eq!(
            split("a\nb\n   \nc", Split::Auto),
            [p(1, "a\nb"), p(4, "c")]
        );
        // A final line break does not make a blank line.
        assert_eq!(split("a\nb\n", Split::Auto), [p(1, "a"), p(2, "b")]);
    }

    #[test]
    fn none_makes_the_whole_file_one_document() {
        assert_eq!(split("\n\n  a\n\nb  \n\n", Split::None), [p(3, "a\n\nb")]);
    }

    #[test]
    fn empty_paragraphs_are_dropped_in_every_mode() {
        for mode in [Split::Auto, Split::Lines, Split::Blank, Split::None] {
            assert_eq!(split("", mode), [], "{mode}");
            assert_eq!(split(" \n\t\n\u{a0}\n", mode), [], "{mode}");
        }
    }

    #[test]
    fn crlf_line_endings_are_accepted() {
        let text = "a\r\nb\r\n\r\nc\r\n";
        assert_eq!(split(text, Split::Auto), [p(1, "a\nb"), p(4, "c")]);
        assert_eq!(split(text, Split::Lines), [p(1, "a"), p(2, "b"), p(4, "c")]);
        assert_eq!(split(text, Split::None), [p(1, "a\nb\n\nc")]);
    }

    #[test]
    fn lone_carriage_returns_end_lines_too() {
        // Old Mac line endings, and the three kinds mixed, as Python's
        // universal newlines read them.
        let text = "cats purr\r\rdogs bark\rloudly\r";
        assert_eq!(
            split(text, Split::Auto),
            [p(1, "cats purr"), p(3, "dogs bark\nloudly")]
        );
        let mixed = "a\rb\r\nc\nd";
        assert_eq!(
            split(mixed, Split::Lines),
            [p(1, "a"), p(2, "b"), p(3, "c"), p(4, "d")]
        );
        assert_eq!(lines("x\r\n\r").collect::<Vec<_>>(), ["x", ""]);
        assert_eq!(lines("").count(), 0);
    }

    #[test]
    fn documents_are_numbered_from_zero_with_name_ids() {
        let options = ReadOptions::default();
        let ctx = Context {
            path: Path::new("dir/sub/a.txt"),
            source: Arc::from("dir/sub/a.txt"),
            name: "sub/a.txt",
            options: &options,
            ids_found: Default::default(),
        };
        let (docs, notes) = documents("\n x \n\ny\n", &ctx).unwrap();
        assert!(notes.is_empty());
        let got: Vec<_> = docs
            .iter()
            .map(|d| (d.id.as_str(), d.text.as_str(), d.position, d.line))
            .collect();
        assert_eq!(
            got,
            [("sub/a.txt#0", "x", 0, 2), ("sub/a.txt#1", "y", 1, 4)]
        );
        assert_eq!(&*docs[1].source, "dir/sub/a.txt");
        assert!(docs[1].fields.is_empty());
    }
}
