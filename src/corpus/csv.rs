//! CSV: a header row naming the text column, then one document per record.

use std::sync::atomic::Ordering;

use serde_json::{Map, Value};

use super::Document;
use super::decode::count_newlines;
use super::limit::{self, Note};
use super::read::Context;
use crate::error::{Error, Result};

/// The error for a header that names a column twice, if it does: which
/// column a name means is then a guess (the csv crate's users take the first,
/// Python's `csv.DictReader` the last), so the file is refused. Columns with
/// an empty name are left out: no option can name them.
pub(crate) fn duplicate_column(header: &csv::StringRecord) -> Option<String> {
    let names: Vec<&str> = header.iter().collect();
    names.iter().enumerate().find_map(|(j, name)| {
        let first = names[..j].iter().position(|n| n == name)?;
        (!name.is_empty()).then(|| {
            format!(
                "the header names the column `{name}` twice (columns {} and {}); rename one",
                first + 1,
                j + 1
            )
        })
    })
}

/// The documents of a decoded CSV file.
///
/// The header row must name the text column; every record must have as many
/// fields as the header. The id column gives the id when there is one and the
/// record's cell is not empty; otherwise the record's 1-based line number is
/// used. Other columns go into [`Document::fields`] as JSON strings. A file
/// without any byte, not even a header, has no documents. Texts over the
/// limit are cut (see [`limit::cut`]) and noted.
///
/// A quoted field that is never closed makes its record run to the end of
/// the file: that gives a warning naming the record's line (the error under
/// `--strict`).
pub(super) fn documents(text: &str, ctx: &Context<'_>) -> Result<Parsed> {
    let csv_error = |e: csv::Error| {
        let line = e.position().map(|p| p.line() as usize);
        Error::input(ctx.path, line, format!("invalid CSV: {e}"))
    };
    if text.is_empty() {
        return Ok((Vec::new(), Vec::new(), None));
    }
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut lines = Lines::new(text);
    let header = reader.headers().map_err(csv_error)?.clone();
    let header_line = lines.of(header.position());
    if let Some(message) = duplicate_column(&header) {
        return Err(Error::input(ctx.path, Some(header_line), message));
    }
    let text_field = &ctx.options.text_field;
    let Some(text_column) = header.iter().position(|h| h == text_field) else {
        let columns: Vec<&str> = header.iter().collect();
        return Err(Error::input(
            ctx.path,
            Some(header_line),
            format!(
                "no column `{text_field}` in the header (columns: {}); choose one with --text-field",
                columns.join(", ")
            ),
        ));
    };
    let id_column = header.iter().position(|h| h == ctx.options.id_field);
    let max = ctx.options.max_doc_bytes;
    let mut documents = Vec::new();
    let mut notes = Vec::new();
    let mut record = csv::StringRecord::new();
    let mut last_start = 0;
    while reader.read_record(&mut record).map_err(csv_error)? {
        last_start = record.position().map_or(0, |p| p.byte() as usize);
        let line = lines.of(record.position());
        if record.len() != header.len() {
            return Err(Error::input(
                ctx.path,
                Some(line),
                format!(
                    "record has {} fields but the header has {}",
                    record.len(),
                    header.len()
                ),
            ));
        }
        let id = match id_column.map(|i| &record[i]) {
            Some(id) if !id.is_empty() => {
                ctx.ids_found.store(true, Ordering::Relaxed);
                id.to_string()
            }
            _ => line.to_string(),
        };
        let mut fields = Map::new();
        for (i, (name, value)) in header.iter().zip(record.iter()).enumerate() {
            if i != text_column && Some(i) != id_column {
                fields.insert(name.to_string(), Value::String(value.to_string()));
            }
        }
        let full = &record[text_column];
        let kept = max.map_or(full.len(), |max| limit::cut(full, max));
        let strict = ctx.options.strict;
        if let Some(note) = limit::check(ctx.path, strict, max, &id, line, full.len(), kept)? {
            notes.push(note);
        }
        documents.push(Document {
            id,
            text: full[..kept].to_string(),
            source: ctx.source.clone(),
            position: documents.len(),
            line,
            fields,
        });
    }
    let mut warning = None;
    if let Some(last) = documents
        .last()
        .filter(|_| ends_in_quotes(&text[last_start..]))
    {
        let message = format!(
            "a quoted field of the record on this line is never closed, so the record runs to \
             the end of the file (line {})",
            1 + count_newlines(text.trim_end().as_bytes())
        );
        if ctx.options.strict {
            return Err(Error::input(
                ctx.path,
                Some(last.line),
                format!("{message}; close the quote, or drop --strict to read it anyway"),
            ));
        }
        warning = Some(format!(
            "{} line {}: {message}; check its quotes (use --strict to refuse)",
            ctx.source, last.line
        ));
    }
    Ok((documents, notes, warning))
}

/// What a CSV file gives: documents, the notes of texts cut to the limit, and
/// a warning about a quote never closed.
pub(super) type Parsed = (Vec<Document>, Vec<Note>, Option<String>);

/// Whether the bytes of a CSV record, read to the end of the file, end inside
/// a quoted field: a field that starts with `"` is quoted until a `"` that is
/// not doubled (as the csv crate reads it; a `"` elsewhere is data).
fn ends_in_quotes(record: &str) -> bool {
    let bytes = record.as_bytes();
    let mut quoted = false;
    let mut field_start = true;
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if quoted {
            if b == b'"' {
                if bytes.get(i + 1) == Some(&b'"') {
                    i += 1;
                } else {
                    quoted = false;
                }
            }
        } else if b == b'"' && field_start {
            quoted = true;
        }
        field_start = !quoted && matches!(b, b',' | b'\n' | b'\r');
        i += 1;
    }
    quoted
}

/// Line numbers of records, from their byte offsets.
///
/// The csv crate's own line numbers are off for `\r\n` line endings and
/// after blank lines (it counts a record from the line break before it), so
/// lines are counted here instead, in one pass over the text.
///
/// A line break is `\n`, `\r\n` or a lone `\r`, as for the csv crate, which
/// ends a record at any of them (two records split by a lone `\r` were once
/// both said to start on the same line, so their default ids clashed; found
/// by fuzzing, issue 6).
struct Lines<'t> {
    text: &'t [u8],
    /// A byte offset already counted up to.
    byte: usize,
    /// The 1-based line at `byte`.
    line: usize,
}

impl<'t> Lines<'t> {
    fn new(text: &'t str) -> Self {
        Lines {
            text: text.as_bytes(),
            byte: 0,
            line: 1,
        }
    }

    /// The 1-based line where a record at `position` starts (its first byte
    /// that is not a line break); offsets must not decrease between calls.
    fn of(&mut self, position: Option<&csv::Position>) -> usize {
        let Some(position) = position else {
            return self.line;
        };
        let mut start = (position.byte() as usize).max(self.byte);
        while matches!(self.text.get(start), Some(b'\r' | b'\n')) {
            start += 1;
        }
        let start = start.min(self.text.len());
        self.line += count_line_breaks(&self.text[self.byte..start]);
        self.byte = start;
        self.line
    }
}

/// The number of line breaks in `bytes`: line feeds, plus carriage returns
/// not followed by a line feed.
fn count_line_breaks(bytes: &[u8]) -> usize {
    let lone_returns = bytes
        .iter()
        .enumerate()
        .filter(|&(i, &b)| b == b'\r' && bytes.get(i + 1) != Some(&b'\n'))
        .count();
    count_newlines(bytes) + lone_returns
}

#[cfg(test)]
mod tests {
    use std::path::Path;
    use std::sync::Arc;

    use serde_json::json;

    use super::*;
    use crate::corpus::ReadOptions;

    fn read_with(text: &str, options: &ReadOptions) -> Result<Vec<Document>> {
        let ctx = Context {
            path: Path::new("d/a.csv"),
            source: Arc::from("d/a.csv"),
            name: "a.csv",
            options,
            ids_found: Default::default(),
        };
        let (documents, notes, warning) = documents(text, &ctx)?;
        assert!(notes.is_empty());
        assert_eq!(warning, None);
        Ok(documents)
    }

    fn read(text: &str) -> Result<Vec<Document>> {
        read_with(text, &ReadOptions::default())
    }

    fn summary(docs: &[Document]) -> Vec<(&str, &str, usize, usize)> {
        docs.iter()
            .map(|d| (d.id.as_str(), d.text.as_str(), d.position, d.line))
            .collect()
    }

    #[test]
    fn one_document_per_record_with_other_columns_kept_as_strings() {
        let docs = read("id,text,label,n\nx,Hello,a,1\ny,\"Two\nlines, quoted\",b,2\n").unwrap();
        assert_eq!(
            summary(&docs),
            [("x", "Hello", 0, 2), ("y", "Two\nlines, quoted", 1, 3)]
        );
        assert_eq!(
            Value::Object(docs[0].fields.clone()),
            json!({"label": "a", "n": "1"})
        );
        assert_eq!(&*docs[1].source, "d/a.csv");
    }

    #[test]
    fn without_an_id_column_or_id_the_line_number_is_the_id() {
        let docs = read("text,label\n\"a\nb\",x\nc,y\n").unwrap();
        assert_eq!(summary(&docs), [("2", "a\nb", 0, 2), ("4", "c", 1, 4)]);
        let docs = read("id,text\n,a\nk,b\n").unwrap();
        assert_eq!(summary(&docs), [("2", "a", 0, 2), ("k", "b", 1, 3)]);
    }

    #[test]
    fn empty_texts_are_kept() {
        let docs = read("id,text\n1,\n2,\"\"\n").unwrap();
        assert_eq!(summary(&docs), [("1", "", 0, 2), ("2", "", 1, 3)]);
    }

    #[test]
    fn crlf_line_endings_are_accepted() {
        let docs = read("id,text\r\n1,a\r\n2,\"b\r\nc\"\r\n3,d\r\n").unwrap();
        assert_eq!(
            summary(&docs),
            [("1", "a", 0, 2), ("2", "b\r\nc", 1, 3), ("3", "d", 2, 5)]
        );
    }

    #[test]
    fn a_lone_carriage_return_ends_a_line_as_it_ends_a_record() {
        // The csv crate ends a record at a lone `\r`: the next record starts
        // on the next line, so default ids (line numbers) stay distinct.
        let docs = read("id,text\r\n1,crlf\r,\n").unwrap();
        assert_eq!(summary(&docs), [("1", "crlf", 0, 2), ("3", "", 1, 3)]);
        let docs = read("id,text\r1,a\r\r2,\"b\rc\"\r,d").unwrap();
        assert_eq!(
            summary(&docs),
            [("1", "a", 0, 2), ("2", "b\rc", 1, 4), ("6", "d", 2, 6)]
        );
    }

    #[test]
    fn blank_lines_are_skipped_but_counted() {
        let docs = read("\n\nid,text\n1,a\n\n2,\"b\nc\"\n\n\n3,d\n").unwrap();
        assert_eq!(
            summary(&docs),
            [("1", "a", 0, 4), ("2", "b\nc", 1, 6), ("3", "d", 2, 10)]
        );
        assert_eq!(
            read("\r\nid,text\r\n\r\n1,a,b\r\n")
                .unwrap_err()
                .to_string(),
            "d/a.csv line 4: record has 3 fields but the header has 2"
        );
        assert_eq!(
            read("\n\nid\n1\n").unwrap_err().to_string(),
            "d/a.csv line 3: no column `text` in the header (columns: id); \
             choose one with --text-field"
        );
    }

    #[test]
    fn custom_text_and_id_columns() {
        let options = ReadOptions::default()
            .with_text_field("body")
            .with_id_field("key");
        let docs = read_with("key,body,text\nk,b,t\n", &options).unwrap();
        assert_eq!(summary(&docs), [("k", "b", 0, 2)]);
        assert_eq!(Value::Object(docs[0].fields.clone()), json!({"text": "t"}));
    }

    #[test]
    fn the_text_column_must_be_in_the_header() {
        assert_eq!(
            read("a,b,c\n1,2,3\n").unwrap_err().to_string(),
            "d/a.csv line 1: no column `text` in the header (columns: a, b, c); \
             choose one with --text-field"
        );
    }

    #[test]
    fn ragged_records_are_errors_naming_their_line() {
        assert_eq!(
            read("id,text,a,b\n1,x,y,z\n2,\"multi\nline\",y,z\n3,x,y\n")
                .unwrap_err()
                .to_string(),
            "d/a.csv line 5: record has 3 fields but the header has 4"
        );
        assert_eq!(
            read("id,text\n1,x,y\n").unwrap_err().to_string(),
            "d/a.csv line 2: record has 3 fields but the header has 2"
        );
    }

    #[test]
    fn a_quote_never_closed_is_told_or_refused_under_strict() {
        let options = ReadOptions::default();
        let ctx = Context {
            path: Path::new("d/a.csv"),
            source: Arc::from("d/a.csv"),
            name: "a.csv",
            options: &options,
            ids_found: Default::default(),
        };
        let text = "id,text\n1,ok\n2,\"open quote\n3,swallowed\n4,too\n\n";
        let (docs, _, warning) = documents(text, &ctx).unwrap();
        assert_eq!(
            summary(&docs)[1],
            ("2", "open quote\n3,swallowed\n4,too\n\n", 1, 3)
        );
        assert_eq!(
            warning.unwrap(),
            "d/a.csv line 3: a quoted field of the record on this line is never closed, so the \
             record runs to the end of the file (line 5); check its quotes (use --strict to \
             refuse)"
        );
        let strict = ReadOptions::default().with_strict(true);
        let err = read_with(text, &strict).unwrap_err();
        assert!(
            err.to_string().starts_with(
                "d/a.csv line 3: a quoted field of the record on this line is never closed"
            ),
            "{err}"
        );
        // Closed quotes, doubled quotes and quotes inside unquoted fields are fine.
        for fine in [
            "id,text\n1,\"a \"\"b\"\"\nc\"\n",
            "id,text\n1,5\" floppy\n",
            "id,text\n1,\"x\"y\"z\n",
            "text\n\"\"\n",
        ] {
            assert!(read(fine).is_ok(), "{fine:?}");
        }
        assert!(ends_in_quotes("1,\"a"));
        assert!(ends_in_quotes("1,\"a\"\"\n"));
        assert!(!ends_in_quotes("1,a\"b"));
    }

    #[test]
    fn an_empty_file_or_a_lone_header_has_no_documents() {
        assert_eq!(read("").unwrap(), []);
        assert_eq!(read("id,text\n").unwrap(), []);
        assert_eq!(read("id,text").unwrap(), []);
    }
}
