//! JSON Lines: one JSON object per line, read in blocks of whole lines whose
//! lines are parsed in parallel.

use std::io::Read;
use std::ops::Range;
use std::sync::atomic::Ordering;

use rayon::prelude::*;
use serde_json::{Map, Value};

use super::Document;
use super::decode::{Decoder, count_newlines, decode, strip_bom};
use super::limit::{self, Note};
use super::read::Context;
use super::source::Opened;
use crate::error::{Error, Result};

/// The size of the blocks read at a time (a block grows past it only to hold
/// a longer line).
const BLOCK_LEN: usize = 4 << 20;

/// The documents of a JSON Lines source, the notes of its texts cut to the
/// limit, and the warning to give when some of its bytes were not UTF-8.
///
/// The source is read in blocks of about [`BLOCK_LEN`] bytes cut after a line
/// feed; while one block's lines are parsed in parallel, the next block is
/// read. Only two blocks are held at a time, and the results are the same
/// whatever the number of threads.
pub(super) fn read(opened: Opened<'_>, ctx: &Context<'_>) -> Result<Blocks> {
    read_blocks(opened, ctx, BLOCK_LEN, CHUNK_LEN)
}

/// What [`read`] gives: documents, notes of texts cut to the limit, and the
/// warning about bytes that are not UTF-8.
pub(super) type Blocks = (Vec<Document>, Vec<Note>, Option<String>);

/// [`read`] with blocks of `block_len` bytes cut into chunks of `chunk_len`.
fn read_blocks(
    opened: Opened<'_>,
    ctx: &Context<'_>,
    block_len: usize,
    chunk_len: usize,
) -> Result<Blocks> {
    let Opened {
        mut head, mut rest, ..
    } = opened;
    let mut decoder = Decoder::new(ctx.path, ctx.options.strict);
    let mut offset = strip_bom(&mut head);
    let mut line = 1;
    let mut current = head;
    let mut eof = fill(&mut rest, &mut current, block_len, ctx)?;
    let mut spare = Vec::new();
    let mut documents = Vec::new();
    let mut notes = Vec::new();
    // Where to look for the block's last line feed from: past what was
    // already searched when a long line made the block grow.
    let mut searched = 0;
    while !current.is_empty() {
        let cut = if eof {
            current.len()
        } else if let Some(last) = current[searched..].iter().rposition(|&b| b == b'\n') {
            searched + last + 1
        } else {
            // A line longer than a block: read on until its end.
            searched = current.len();
            let longer = current.len() + block_len;
            eof = fill(&mut rest, &mut current, longer, ctx)?;
            continue;
        };
        searched = 0;
        let mut next = std::mem::take(&mut spare);
        next.clear();
        next.extend_from_slice(&current[cut..]);
        current.truncate(cut);
        let (filled, parsed) = rayon::join(
            || {
                if eof {
                    Ok(true)
                } else {
                    fill(&mut rest, &mut next, block_len, ctx)
                }
            },
            || parse_block(&current, line, offset, chunk_len, &mut decoder, ctx),
        );
        let (block_documents, block_notes, lines) = parsed?;
        notes.extend(block_notes);
        eof = filled?;
        for mut document in block_documents {
            document.position = documents.len();
            documents.push(document);
        }
        line += lines;
        offset += cut;
        spare = std::mem::replace(&mut current, next);
    }
    Ok((documents, notes, decoder.warning(&ctx.source)))
}

/// Reads from `reader` onto `buffer` until it holds `len` bytes or the input
/// ends; returns whether it ended.
fn fill(
    reader: &mut impl Read,
    buffer: &mut Vec<u8>,
    len: usize,
    ctx: &Context<'_>,
) -> Result<bool> {
    let want = len.saturating_sub(buffer.len());
    if want == 0 {
        return Ok(false);
    }
    buffer.reserve(want);
    let got = reader
        .take(want as u64)
        .read_to_end(buffer)
        .map_err(|e| Error::io(ctx.path, e))?;
    Ok(got < want)
}

/// Parses a block of whole lines starting on 1-based `line` at byte `offset`;
/// returns its documents (positions unset), the notes of its texts cut to the
/// limit, and its number of line feeds.
///
/// The block is cut into chunks of whole lines, about `chunk_len` bytes
/// each (the cuts depend only on the bytes, never on the number of threads);
/// the line feeds of every chunk are counted in parallel, giving each chunk
/// its first line, then the chunks are decoded and parsed in parallel and
/// their documents concatenated in order. The first error in the block wins.
fn parse_block(
    block: &[u8],
    line: usize,
    offset: usize,
    chunk_len: usize,
    decoder: &mut Decoder<'_>,
    ctx: &Context<'_>,
) -> Result<(Vec<Document>, Vec<Note>, usize)> {
    let chunks = cut(block, chunk_len);
    let newlines: Vec<usize> = chunks
        .par_iter()
        .map(|range| count_newlines(&block[range.clone()]))
        .collect();
    let mut starts = Vec::with_capacity(chunks.len());
    let mut next = line;
    for n in &newlines {
        starts.push(next);
        next += n;
    }
    let parsed: Vec<Result<Chunk>> = chunks
        .par_iter()
        .zip(&starts)
        .zip(&newlines)
        .map(|((range, &line), &newlines)| {
            let bytes = &block[range.clone()];
            parse_chunk(bytes, line, offset + range.start, newlines, ctx)
        })
        .collect();
    let mut documents = Vec::new();
    let mut notes = Vec::new();
    for chunk in parsed {
        let (chunk_documents, chunk_notes, bad_line) = chunk?;
        notes.extend(chunk_notes);
        if let Some(bad_line) = bad_line {
            decoder.note(bad_line);
        }
        if documents.is_empty() {
            documents = chunk_documents;
        } else {
            documents.extend(chunk_documents);
        }
    }
    Ok((documents, notes, next - line))
}

/// The size of the chunks of a block that are parsed in parallel.
const CHUNK_LEN: usize = 256 << 10;

/// Cuts `block` into ranges of at least `len` bytes (but the last) ending
/// after a line feed (or at the end of the block).
fn cut(block: &[u8], len: usize) -> Vec<Range<usize>> {
    let mut ranges = Vec::with_capacity(block.len() / len.max(1) + 1);
    let mut start = 0;
    while start < block.len() {
        let from = (start + len.max(1) - 1).min(block.len());
        let end = block[from..]
            .iter()
            .position(|&b| b == b'\n')
            .map_or(block.len(), |i| from + i + 1);
        ranges.push(start..end);
        start = end;
    }
    ranges
}

/// What one chunk gives: its documents, the notes of its texts cut to the
/// limit, and its first line with bytes that are not UTF-8.
type Chunk = (Vec<Document>, Vec<Note>, Option<usize>);

/// Decodes and parses a chunk of whole lines starting on 1-based `line` at
/// byte `offset`, holding `newlines` line feeds.
fn parse_chunk(
    bytes: &[u8],
    line: usize,
    offset: usize,
    newlines: usize,
    ctx: &Context<'_>,
) -> Result<Chunk> {
    let (text, bad_line) = decode(bytes, line, offset, ctx.path, ctx.options.strict)?;
    let (documents, notes) = match parse_stream(&text, line, newlines, ctx) {
        Some(parsed) => parsed,
        None => parse_lines(&text, line, ctx)?,
    };
    Ok((documents, notes, bad_line))
}

/// The fast way to parse a chunk: one JSON stream over the whole chunk,
/// sharing the parser's buffers between records. It gives up (`None`) on
/// anything unusual (invalid JSON, a record that is not an object or lacks its
/// text, two values on a line, a value spanning lines), leaving
/// [`parse_lines`] to find the exact error and its line.
fn parse_stream(
    text: &str,
    line: usize,
    newlines: usize,
    ctx: &Context<'_>,
) -> Option<(Vec<Document>, Vec<Note>)> {
    let mut stream = serde_json::Deserializer::from_str(text).into_iter::<Value>();
    let mut documents = Vec::new();
    let mut notes = Vec::new();
    let mut end = 0;
    let mut line = line;
    let mut newlines_between = 0;
    while let Some(value) = stream.next() {
        let value = value.ok()?;
        let region = &text[end..stream.byte_offset()];
        let record = region.trim_start_matches([' ', '\t', '\r', '\n']);
        let gap = count_newlines(&region.as_bytes()[..region.len() - record.len()]);
        if gap == 0 && end > 0 {
            return None;
        }
        newlines_between += gap;
        line += gap;
        let (document, note) = record_document(value, line, ctx).ok()?;
        documents.push(document);
        notes.extend(note);
        end = stream.byte_offset();
    }
    // Every line feed must lie between records, none inside one.
    newlines_between += count_newlines(&text.as_bytes()[end..]);
    (newlines_between == newlines).then_some((documents, notes))
}

/// The exact way to parse a chunk: line by line.
fn parse_lines(text: &str, line: usize, ctx: &Context<'_>) -> Result<(Vec<Document>, Vec<Note>)> {
    let mut documents = Vec::new();
    let mut notes = Vec::new();
    for (i, text) in text.split('\n').enumerate() {
        if let Some((document, note)) = parse_line(text, line + i, ctx)? {
            documents.push(document);
            notes.extend(note);
        }
    }
    Ok((documents, notes))
}

/// Parses one line; `None` for a blank line.
fn parse_line(
    text: &str,
    line: usize,
    ctx: &Context<'_>,
) -> Result<Option<(Document, Option<Note>)>> {
    if text.trim().is_empty() {
        return Ok(None);
    }
    let error = |message: String| Error::input(ctx.path, Some(line), message);
    let value: Value = serde_json::from_str(text).map_err(|e| {
        if text.starts_with('\u{feff}') {
            // Two files joined with `cat`, the second starting with a mark.
            error(
                "invalid JSON: the line opens with a byte order mark (U+FEFF), as a file \
                 appended to another would; remove it"
                    .to_string(),
            )
        } else {
            error(format!("invalid JSON: {}", json_error(&e)))
        }
    })?;
    record_document(value, line, ctx).map(Some)
}

/// The document of a record found on 1-based `line`, with its note when its
/// text was cut to the limit.
fn record_document(
    value: Value,
    line: usize,
    ctx: &Context<'_>,
) -> Result<(Document, Option<Note>)> {
    let error = |message: String| Error::input(ctx.path, Some(line), message);
    let mut fields = match value {
        Value::Object(fields) => fields,
        other => {
            return Err(error(format!(
                "invalid JSON: expected an object, found {}",
                kind(&other)
            )));
        }
    };
    let text_field = &ctx.options.text_field;
    let mut text = match fields.remove(text_field) {
        Some(Value::String(text)) => text,
        Some(other) => {
            return Err(error(format!(
                "field `{text_field}` is {}, not a string",
                kind(&other)
            )));
        }
        None => {
            return Err(error(format!(
                "no field `{text_field}` ({})",
                list(&fields)
            )));
        }
    };
    let id_field = &ctx.options.id_field;
    let id = match fields.remove(id_field) {
        Some(Value::String(id)) => {
            ctx.ids_found.store(true, Ordering::Relaxed);
            id
        }
        Some(Value::Number(n)) => {
            ctx.ids_found.store(true, Ordering::Relaxed);
            n.to_string()
        }
        None | Some(Value::Null) => line.to_string(),
        Some(other) => {
            return Err(error(format!(
                "field `{id_field}` is {}, not a string or a number",
                kind(&other)
            )));
        }
    };
    let max = ctx.options.max_doc_bytes;
    let bytes = text.len();
    let kept = max.map_or(bytes, |max| limit::cut(&text, max));
    let note = limit::check(ctx.path, ctx.options.strict, max, &id, line, bytes, kept)?;
    if kept < bytes {
        text.truncate(kept);
        text.shrink_to_fit();
    }
    let document = Document {
        id,
        text,
        source: ctx.source.clone(),
        position: 0,
        line,
        // Rebuilt at its exact size: the parsed map keeps room for the text and
        // id fields removed from it, which on 20 Newsgroups cost 8 MB.
        fields: fields.into_iter().collect(),
    };
    Ok((document, note))
}

/// A serde_json error without its "line 1" (each line is parsed alone).
fn json_error(e: &serde_json::Error) -> String {
    let message = e.to_string();
    let position = format!(" at line {} column {}", e.line(), e.column());
    match message.strip_suffix(&position) {
        Some(message) => format!("{message} at column {}", e.column()),
        None => message,
    }
}

/// The kind of a JSON value, with its article.
fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// `fields: a, b, c` for an error message.
fn list(fields: &Map<String, Value>) -> String {
    if fields.is_empty() {
        "the record has no fields".to_string()
    } else {
        let names: Vec<&str> = fields.keys().map(String::as_str).collect();
        format!("fields: {}", names.join(", "))
    }
}

#[cfg(test)]
mod tests {
    use std::io::Cursor;
    use std::path::Path;
    use std::sync::Arc;

    use serde_json::json;

    use super::*;
    use crate::corpus::ReadOptions;
    use crate::corpus::source::open_stream;

    type Read = Result<(Vec<Document>, Option<String>)>;

    fn read_sized(bytes: &[u8], options: &ReadOptions, block_len: usize, chunk_len: usize) -> Read {
        let ctx = Context {
            path: Path::new("d/a.jsonl"),
            source: Arc::from("d/a.jsonl"),
            name: "a.jsonl",
            options,
            ids_found: Default::default(),
        };
        let opened = open_stream(Cursor::new(bytes.to_vec())).unwrap();
        let (documents, notes, warning) = read_blocks(opened, &ctx, block_len, chunk_len)?;
        assert!(notes.is_empty());
        Ok((documents, warning))
    }

    /// Reads `bytes` with blocks of `block_len`, checking that other block
    /// and chunk sizes (hence the line-by-line parser as well as the stream
    /// parser) give the same result.
    fn read_with(bytes: &[u8], options: &ReadOptions, block_len: usize) -> Read {
        let result = read_sized(bytes, options, block_len, CHUNK_LEN);
        for (block_len, chunk_len) in [(BLOCK_LEN, 1), (BLOCK_LEN, 10), (16, 7), (1, 1)] {
            let other = read_sized(bytes, options, block_len, chunk_len);
            assert_eq!(
                format!("{other:?}"),
                format!("{result:?}"),
                "blocks of {block_len}, chunks of {chunk_len}"
            );
        }
        result
    }

    fn docs(bytes: &[u8]) -> Vec<Document> {
        let (documents, warning) = read_with(bytes, &ReadOptions::default(), BLOCK_LEN).unwrap();
        assert_eq!(warning, None);
        documents
    }

    fn err(bytes: &[u8]) -> String {
        read_with(bytes, &ReadOptions::default(), BLOCK_LEN)
            .unwrap_err()
            .to_string()
    }

    #[test]
    fn one_document_per_record_with_other_fields_kept() {
        let d = docs(b"{\"id\": \"x\", \"text\": \"Hello\", \"label\": \"a\", \"n\": [1]}\n");
        assert_eq!(d.len(), 1);
        assert_eq!((d[0].id.as_str(), d[0].text.as_str()), ("x", "Hello"));
        assert_eq!(
            (d[0].position, d[0].line, &*d[0].source),
            (0, 1, "d/a.jsonl")
        );
        assert_eq!(
            Value::Object(d[0].fields.clone()),
            json!({"label": "a", "n": [1]})
        );
    }

    #[test]
    fn blank_lines_are_skipped_but_counted_and_empty_texts_kept() {
        let d = docs(b"\n{\"text\": \"a\"}\n  \r\n{\"text\": \"\"}\r\n{\"text\": \"c\"}");
        let got: Vec<_> = d
            .iter()
            .map(|d| (d.id.as_str(), d.text.as_str(), d.position, d.line))
            .collect();
        assert_eq!(got, [("2", "a", 0, 2), ("4", "", 1, 4), ("5", "c", 2, 5)]);
    }

    #[test]
    fn ids_may_be_strings_numbers_null_or_absent() {
        let d = docs(
            b"{\"id\": 12, \"text\": \"\"}\n{\"id\": 1.5, \"text\": \"\"}\n{\"id\": null, \"text\": \"\"}\n\
              {\"text\": \"\"}\n{\"id\": \"\", \"text\": \"\"}\n{\"id\": -3, \"text\": \"\"}\n",
        );
        let ids: Vec<_> = d.iter().map(|d| d.id.as_str()).collect();
        assert_eq!(ids, ["12", "1.5", "3", "4", "", "-3"]);
    }

    #[test]
    fn other_id_types_are_errors() {
        assert_eq!(
            err(b"{\"text\": \"a\"}\n{\"id\": [1], \"text\": \"a\"}\n"),
            "d/a.jsonl line 2: field `id` is an array, not a string or a number"
        );
        assert_eq!(
            err(b"{\"id\": true, \"text\": \"a\"}"),
            "d/a.jsonl line 1: field `id` is a boolean, not a string or a number"
        );
    }

    #[test]
    fn custom_text_and_id_fields() {
        let options = ReadOptions::default()
            .with_text_field("body")
            .with_id_field("key");
        let (d, _) = read_with(
            b"{\"key\": \"k\", \"body\": \"b\", \"text\": \"t\", \"id\": 1}",
            &options,
            BLOCK_LEN,
        )
        .unwrap();
        assert_eq!((d[0].id.as_str(), d[0].text.as_str()), ("k", "b"));
        assert_eq!(
            Value::Object(d[0].fields.clone()),
            json!({"text": "t", "id": 1})
        );
    }

    #[test]
    fn invalid_json_names_its_line() {
        assert_eq!(
            err(b"{\"text\": \"a\"}\n\n{\"text\": \"b\"\n"),
            "d/a.jsonl line 3: invalid JSON: EOF while parsing an object at column 12"
        );
        assert_eq!(
            err(b"[\"text\"]\n"),
            "d/a.jsonl line 1: invalid JSON: expected an object, found an array"
        );
        assert_eq!(
            err(b"{\"text\": \"a\"} x\n"),
            "d/a.jsonl line 1: invalid JSON: trailing characters at column 15"
        );
    }

    #[test]
    fn the_text_field_must_exist_and_be_a_string() {
        assert_eq!(
            err(b"{\"text\": \"a\"}\n{\"id\": 1, \"label\": \"x\", \"body\": \"b\"}\n"),
            "d/a.jsonl line 2: no field `text` (fields: id, label, body)"
        );
        assert_eq!(
            err(b"{}"),
            "d/a.jsonl line 1: no field `text` (the record has no fields)"
        );
        assert_eq!(
            err(b"{\"text\": 3}"),
            "d/a.jsonl line 1: field `text` is a number, not a string"
        );
        assert_eq!(
            err(b"{\"text\": null}"),
            "d/a.jsonl line 1: field `text` is null, not a string"
        );
    }

    #[test]
    fn records_must_be_one_per_line() {
        assert_eq!(
            err(b"{\"text\": \"a\"}\n{\"text\":\n \"b\"}\n"),
            "d/a.jsonl line 2: invalid JSON: EOF while parsing a value at column 8"
        );
        assert_eq!(
            err(b"{\"text\": \"a\"}\n{\"text\": \"b\"} {\"text\": \"c\"}\n"),
            "d/a.jsonl line 2: invalid JSON: trailing characters at column 15"
        );
        assert_eq!(
            err(b"{\"text\": \"a\"}\n\"text\"\n"),
            "d/a.jsonl line 2: invalid JSON: expected an object, found a string"
        );
        assert_eq!(
            err(b"{\"text\": \"a\"}\n12 13\n"),
            "d/a.jsonl line 2: invalid JSON: trailing characters at column 4"
        );
        assert_eq!(
            err("{\"text\": \"a\"}\n\u{feff}{\"text\": \"b\"}\n".as_bytes()),
            "d/a.jsonl line 2: invalid JSON: the line opens with a byte order mark (U+FEFF), \
             as a file appended to another would; remove it"
        );
    }

    #[test]
    fn the_stream_parser_agrees_with_the_line_parser() {
        let ctx = Context {
            path: Path::new("a.jsonl"),
            source: Arc::from("a.jsonl"),
            name: "a.jsonl",
            options: &ReadOptions::default(),
            ids_found: Default::default(),
        };
        let text = "\r\n {\"text\": \"a\", \"id\": null} \r\n\n\t{\"text\": \"b\\nc\"}\n\n";
        let newlines = count_newlines(text.as_bytes());
        let (stream, _) = parse_stream(text, 7, newlines, &ctx).expect("the stream parser copes");
        assert_eq!(stream, parse_lines(text, 7, &ctx).unwrap().0);
        assert_eq!(stream.iter().map(|d| d.line).collect::<Vec<_>>(), [8, 10]);
        assert_eq!(stream[0].id, "8");
        // It gives up on what it cannot number exactly.
        for unusual in [
            "{\"text\": \"a\"} {\"text\": \"b\"}\n",
            "{\"text\":\n\"a\"}\n",
            "{\"text\": \"a\"}\n{\"id\": 1}\n",
            "[]\n",
            "{\"text\": \"a\"}\n{\n",
        ] {
            let newlines = count_newlines(unusual.as_bytes());
            assert_eq!(
                parse_stream(unusual, 1, newlines, &ctx),
                None,
                "{unusual:?}"
            );
        }
    }

    #[test]
    fn blocks_are_cut_after_line_feeds() {
        let block = b"ab\ncdef\ng\n\nh";
        assert_eq!(cut(block, 1), [0..3, 3..8, 8..10, 10..11, 11..12]);
        assert_eq!(cut(block, 4), [0..8, 8..12]);
        assert_eq!(cut(block, 100), vec![0..12]);
        assert!(cut(b"", 4).is_empty());
    }

    #[test]
    fn lines_longer_than_a_block_are_read_whole() {
        let long = "x".repeat(5000);
        let bytes =
            format!("{{\"text\": \"{long}\"}}\n{{\"text\": \"b\"}}\n{{\"text\": \"{long}\"}}");
        for block_len in [1, 100, 4999, 5011, 5012, 5013, 6000] {
            let (d, _) =
                read_sized(bytes.as_bytes(), &ReadOptions::default(), block_len, 64).unwrap();
            let got: Vec<_> = d
                .iter()
                .map(|d| (d.text.len(), d.line, d.position))
                .collect();
            assert_eq!(
                got,
                [(5000, 1, 0), (1, 2, 1), (5000, 3, 2)],
                "blocks of {block_len}"
            );
        }
    }

    #[test]
    fn the_first_error_in_the_file_wins() {
        let mut bytes = Vec::new();
        for i in 0..1000 {
            bytes.extend(format!("{{\"text\": \"{i}\"}}\n").bytes());
        }
        bytes.extend(b"{\"text\": 1}\n{}\n");
        for block_len in [16, 100, 1 << 20] {
            let e = read_with(&bytes, &ReadOptions::default(), block_len).unwrap_err();
            assert_eq!(
                e.to_string(),
                "d/a.jsonl line 1001: field `text` is a number, not a string"
            );
        }
    }

    #[test]
    fn bom_and_gzip_are_handled() {
        let d = docs(b"\xEF\xBB\xBF{\"text\": \"a\"}\n");
        assert_eq!(d[0].text, "a");
        let gz = crate::corpus::source::tests::gzip(
            b"\xEF\xBB\xBF{\"text\": \"a\"}\n{\"text\": \"b\"}\n",
        );
        let d = docs(&gz);
        assert_eq!(
            d.iter().map(|d| d.text.as_str()).collect::<Vec<_>>(),
            ["a", "b"]
        );
    }

    #[test]
    fn bad_utf8_is_decoded_lossily_with_a_warning_or_refused() {
        let bytes = b"{\"text\": \"a\"}\n{\"text\": \"b\xff\"}\n{\"text\": \"\xfe\"}\n";
        let (d, warning) = read_with(bytes, &ReadOptions::default(), 16).unwrap();
        assert_eq!(d[1].text, "b\u{fffd}");
        assert_eq!(d[2].text, "\u{fffd}");
        assert_eq!(
            warning.unwrap(),
            "d/a.jsonl: line 2 is not valid UTF-8; decoded lossily (use --strict to refuse)"
        );
        let strict = ReadOptions::default().with_strict(true);
        let e = read_with(bytes, &strict, 16).unwrap_err();
        assert_eq!(
            e.to_string(),
            "d/a.jsonl line 2: not valid UTF-8 (bytes at byte offset 25); re-encode the file \
             as UTF-8 or drop --strict to decode it lossily"
        );
        // The offset counts a byte order mark.
        let mut with_bom = b"\xEF\xBB\xBF".to_vec();
        with_bom.extend(bytes);
        let e = read_with(&with_bom, &strict, BLOCK_LEN).unwrap_err();
        assert!(e.to_string().contains("byte offset 28"), "{e}");
    }

    #[test]
    fn results_do_not_depend_on_block_size_or_threads() {
        let mut bytes = Vec::new();
        for i in 0..3000 {
            let text = "word ".repeat(i % 37);
            bytes.extend(
                format!(
                    "{{\"id\": {i}, \"text\": \"{text}\", \"label\": \"l{}\"}}\r\n",
                    i % 5
                )
                .bytes(),
            );
            if i % 7 == 0 {
                bytes.extend(b"\n");
            }
        }
        let options = ReadOptions::default();
        let (reference, _) = read_sized(&bytes, &options, BLOCK_LEN, CHUNK_LEN).unwrap();
        assert_eq!(reference.len(), 3000);
        assert_eq!(reference[2999].position, 2999);
        assert_eq!(reference[2999].line, 3429);
        for (block_len, chunk_len) in [(7, 3), (50, 50), (1000, 100), (65536, 4096), (BLOCK_LEN, 1)]
        {
            let (d, _) = read_sized(&bytes, &options, block_len, chunk_len).unwrap();
            assert_eq!(d, reference, "blocks of {block_len}, chunks of {chunk_len}");
        }
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(1)
            .build()
            .unwrap();
        let (d, _) = pool
            .install(|| read_sized(&bytes, &options, 1000, 100))
            .unwrap();
        assert_eq!(d, reference);
    }
}
