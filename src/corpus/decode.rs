//! UTF-8 decoding: the byte order mark, and bytes that are not UTF-8 (decoded
//! lossily with one warning per file, or refused under `--strict`).

use std::borrow::Cow;
use std::path::Path;

use crate::error::{Error, Result};

/// The UTF-8 byte order mark, dropped from the start of every input.
pub(super) const BOM: &[u8] = b"\xEF\xBB\xBF";

/// Drops a leading byte order mark; returns how many bytes were dropped.
pub(super) fn strip_bom(bytes: &mut Vec<u8>) -> usize {
    if bytes.starts_with(BOM) {
        bytes.drain(..BOM.len());
        BOM.len()
    } else {
        0
    }
}

/// The number of line feeds in `bytes`.
pub(super) fn count_newlines(bytes: &[u8]) -> usize {
    // Counting into a byte per run of at most 255 bytes lets the compiler
    // vectorise the loop; a plain `filter().count()` runs several times slower.
    bytes
        .chunks(255)
        .map(|run| run.iter().map(|&b| u8::from(b == b'\n')).sum::<u8>() as usize)
        .sum()
}

/// Decodes `bytes` of the file at `path`, which start on 1-based `line` at
/// byte `offset` of the file; also returns the first line with bytes that are
/// not UTF-8, if any (they are then replaced with U+FFFD). Valid UTF-8 is
/// borrowed, not copied.
///
/// # Errors
///
/// Under `strict`, bytes that are not UTF-8, naming their line and offset.
pub(super) fn decode<'b>(
    bytes: &'b [u8],
    line: usize,
    offset: usize,
    path: &Path,
    strict: bool,
) -> Result<(Cow<'b, str>, Option<usize>)> {
    match std::str::from_utf8(bytes) {
        Ok(text) => Ok((Cow::Borrowed(text), None)),
        Err(e) => {
            let at = e.valid_up_to();
            let bad_line = line + count_newlines(&bytes[..at]);
            if strict {
                return Err(Error::input(
                    path,
                    Some(bad_line),
                    format!(
                        "not valid UTF-8 (bytes at byte offset {}); re-encode the file \
                         as UTF-8 or drop --strict to decode it lossily",
                        offset + at
                    ),
                ));
            }
            Ok((String::from_utf8_lossy(bytes), Some(bad_line)))
        }
    }
}

/// Decodes the bytes of one file, piece by piece, remembering the first line
/// with bytes that are not UTF-8.
#[derive(Debug)]
pub(super) struct Decoder<'a> {
    path: &'a Path,
    strict: bool,
    first_bad_line: Option<usize>,
}

impl<'a> Decoder<'a> {
    /// A decoder for the file at `path` (named in errors).
    pub(super) fn new(path: &'a Path, strict: bool) -> Self {
        Decoder {
            path,
            strict,
            first_bad_line: None,
        }
    }

    /// Decodes `bytes`, which start on 1-based `line` at byte `offset` of the
    /// file (see [`decode`]), remembering the first line with bad bytes.
    pub(super) fn decode<'b>(
        &mut self,
        bytes: &'b [u8],
        line: usize,
        offset: usize,
    ) -> Result<Cow<'b, str>> {
        let (text, bad_line) = decode(bytes, line, offset, self.path, self.strict)?;
        if let Some(bad_line) = bad_line {
            self.note(bad_line);
        }
        Ok(text)
    }

    /// Notes that `line` has bytes that are not UTF-8 (only the first such
    /// line is kept).
    pub(super) fn note(&mut self, line: usize) {
        if self.first_bad_line.is_none_or(|first| line < first) {
            self.first_bad_line = Some(line);
        }
    }

    /// The warning to give when some bytes were decoded lossily, naming the
    /// file as `source` and its first line with bad bytes.
    pub(super) fn warning(&self, source: &str) -> Option<String> {
        self.first_bad_line.map(|line| {
            format!(
                "{source}: line {line} is not valid UTF-8; decoded lossily (use --strict to refuse)"
            )
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn valid_utf8_is_borrowed_without_warning() {
        let mut d = Decoder::new(Path::new("a.txt"), false);
        let text = d.decode("héllo\nwörld".as_bytes(), 1, 0).unwrap();
        assert!(matches!(text, Cow::Borrowed("héllo\nwörld")));
        assert_eq!(d.warning("a.txt"), None);
    }

    #[test]
    fn bad_bytes_are_replaced_and_the_first_bad_line_is_reported() {
        let mut d = Decoder::new(Path::new("news/a.txt"), false);
        let text = d
            .decode(b"ok\nfine\nbad \xff here\nbad \xfe", 1, 0)
            .unwrap();
        assert_eq!(text, "ok\nfine\nbad \u{fffd} here\nbad \u{fffd}");
        // A later piece of the same file does not move the first bad line,
        // and pieces decoded out of order keep the first one.
        d.decode(b"\xff", 10, 100).unwrap();
        d.note(4);
        assert_eq!(
            d.warning("news/a.txt").unwrap(),
            "news/a.txt: line 3 is not valid UTF-8; decoded lossily (use --strict to refuse)"
        );
    }

    #[test]
    fn pieces_decoded_out_of_order_keep_the_first_bad_line() {
        let mut d = Decoder::new(Path::new("a.txt"), false);
        d.note(9);
        d.note(2);
        d.note(5);
        assert!(d.warning("a.txt").unwrap().starts_with("a.txt: line 2 "));
    }

    #[test]
    fn strict_refuses_bad_bytes_naming_line_and_offset() {
        let mut d = Decoder::new(Path::new("a.txt"), true);
        let err = d.decode(b"ok\n\nx\xc3(", 5, 3).unwrap_err();
        assert_eq!(
            err.to_string(),
            "a.txt line 7: not valid UTF-8 (bytes at byte offset 8); re-encode the file as \
             UTF-8 or drop --strict to decode it lossily"
        );
    }

    #[test]
    fn newlines_are_counted() {
        assert_eq!(count_newlines(b""), 0);
        assert_eq!(count_newlines(b"a\nb\r\n\n"), 3);
        let long = "x\n".repeat(1000) + "tail";
        assert_eq!(count_newlines(long.as_bytes()), 1000);
        assert_eq!(count_newlines(&[b'\n'; 600]), 600);
    }

    #[test]
    fn bom_is_dropped_only_at_the_start() {
        let mut bytes = b"\xEF\xBB\xBFhi\xEF\xBB\xBF".to_vec();
        assert_eq!(strip_bom(&mut bytes), 3);
        assert_eq!(bytes, b"hi\xEF\xBB\xBF");
        assert_eq!(strip_bom(&mut bytes), 0);
    }
}
