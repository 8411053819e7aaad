//! UTF-8 decoding: the byte order mark, bytes that are not UTF-8 (decoded
//! lossily with one warning per file, or refused under `--strict`), and
//! UTF-16 with a byte order mark, transcoded to UTF-8.

use std::borrow::Cow;
use std::io::{self, Read};
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

/// Whether bytes start with a UTF-16 byte order mark: `Some(true)` for big
/// endian (`FE FF`), `Some(false)` for little endian (`FF FE`).
pub(super) fn utf16_bom(bytes: &[u8]) -> Option<bool> {
    match bytes {
        [0xFE, 0xFF, ..] => Some(true),
        [0xFF, 0xFE, ..] => Some(false),
        _ => None,
    }
}

/// The byte put in place of an unpaired surrogate or a lone last byte: never
/// valid in UTF-8, so the UTF-8 decoder that reads on reports it (with its
/// line) as it reports any other bad byte, lossily or under `--strict`.
const BAD: u8 = 0xFF;

/// Reads UTF-16 (its byte order mark first) and gives UTF-8.
pub(super) struct Utf16Reader<R> {
    inner: R,
    big_endian: bool,
    /// Whether the byte order mark is still to be dropped.
    bom: bool,
    /// Bytes read but not yet transcoded (an odd byte, or a high surrogate
    /// waiting for its pair, then the bytes just read).
    pending: Vec<u8>,
    /// Where bytes are read to.
    input: Vec<u8>,
    /// Transcoded bytes not yet given, from `given`.
    out: Vec<u8>,
    given: usize,
    eof: bool,
}

impl<R: Read> Utf16Reader<R> {
    /// Transcodes `inner`, which starts with a byte order mark.
    pub(super) fn new(inner: R, big_endian: bool) -> Self {
        Utf16Reader {
            inner,
            big_endian,
            bom: true,
            pending: Vec::new(),
            input: vec![0; 64 << 10],
            out: Vec::new(),
            given: 0,
            eof: false,
        }
    }

    /// Reads and transcodes the next piece into `out`.
    fn refill(&mut self) -> io::Result<()> {
        self.out.clear();
        self.given = 0;
        let n = loop {
            match self.inner.read(&mut self.input) {
                Ok(n) => break n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => return Err(e),
            }
        };
        self.pending.extend_from_slice(&self.input[..n]);
        self.eof = n == 0;
        if self.bom && self.pending.len() >= 2 {
            self.pending.drain(..2);
            self.bom = false;
        }
        let units: Vec<u16> = self
            .pending
            .chunks_exact(2)
            .map(|p| {
                let pair = [p[0], p[1]];
                if self.big_endian {
                    u16::from_be_bytes(pair)
                } else {
                    u16::from_le_bytes(pair)
                }
            })
            .collect();
        // A high surrogate at the end may pair with the next piece's first unit.
        let hold = !self.eof && units.last().is_some_and(|u| (0xD800..0xDC00).contains(u));
        let whole = units.len() - usize::from(hold);
        let mut buf = [0; 4];
        for c in char::decode_utf16(units[..whole].iter().copied()) {
            match c {
                Ok(c) => self
                    .out
                    .extend_from_slice(c.encode_utf8(&mut buf).as_bytes()),
                Err(_) => self.out.push(BAD),
            }
        }
        self.pending.drain(..2 * whole);
        if self.eof && !self.pending.is_empty() {
            self.pending.clear();
            self.out.push(BAD);
        }
        Ok(())
    }
}

impl<R: Read> Read for Utf16Reader<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        while self.given == self.out.len() {
            if self.eof {
                return Ok(0);
            }
            self.refill()?;
        }
        let n = buf.len().min(self.out.len() - self.given);
        buf[..n].copy_from_slice(&self.out[self.given..self.given + n]);
        self.given += n;
        Ok(n)
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// `text` in UTF-16 with its byte order mark (also used by read.rs's tests).
    pub(crate) fn utf16(text: &str, big_endian: bool) -> Vec<u8> {
        let mut bytes = if big_endian {
            vec![0xFE, 0xFF]
        } else {
            vec![0xFF, 0xFE]
        };
        for unit in text.encode_utf16() {
            bytes.extend(if big_endian {
                unit.to_be_bytes()
            } else {
                unit.to_le_bytes()
            });
        }
        bytes
    }

    fn transcode(bytes: &[u8], big_endian: bool) -> Vec<u8> {
        let mut out = Vec::new();
        Utf16Reader::new(bytes, big_endian)
            .read_to_end(&mut out)
            .unwrap();
        out
    }

    /// A reader giving one byte at a time, to split pairs and surrogates.
    struct Trickle<'a>(&'a [u8]);

    impl Read for Trickle<'_> {
        fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
            let n = buf.len().min(self.0.len()).min(1);
            buf[..n].copy_from_slice(&self.0[..n]);
            self.0 = &self.0[n..];
            Ok(n)
        }
    }

    #[test]
    fn utf16_with_a_bom_is_transcoded_in_both_byte_orders() {
        let text = "héllo wörld\r\n字 😀 end\n".repeat(5000);
        for big_endian in [false, true] {
            let bytes = utf16(&text, big_endian);
            assert_eq!(utf16_bom(&bytes), Some(big_endian));
            assert_eq!(transcode(&bytes, big_endian), text.as_bytes());
            let text = &text[..text.len() / 100];
            let bytes = utf16(text, big_endian);
            let mut out = Vec::new();
            Utf16Reader::new(Trickle(&bytes), big_endian)
                .read_to_end(&mut out)
                .unwrap();
            assert_eq!(out, text.as_bytes(), "one byte at a time");
        }
        assert_eq!(utf16_bom(b"\xEF\xBB\xBFa"), None);
        assert_eq!(utf16_bom(b"\xFF"), None);
    }

    #[test]
    fn unpaired_surrogates_and_odd_bytes_become_bytes_that_are_not_utf8() {
        // A lone high surrogate, then a lone low one, then an odd last byte.
        let mut bytes = vec![0xFF, 0xFE, b'a', 0, 0x00, 0xD8, b'b', 0, 0x00, 0xDC];
        bytes.push(b'c');
        let out = transcode(&bytes, false);
        assert_eq!(out, b"a\xFFb\xFF\xFF");
        let mut d = Decoder::new(Path::new("u.txt"), false);
        assert_eq!(d.decode(&out, 1, 0).unwrap(), "a\u{fffd}b\u{fffd}\u{fffd}");
        assert!(d.warning("u.txt").is_some());
    }

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
