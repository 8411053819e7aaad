//! Corpus reading: this module owns the first step of every topica pipeline,
//! turning files, directories and standard input into [`Document`]s.
//!
//! ```
//! use topica::corpus::{Corpus, ReadOptions};
//!
//! let corpus = Corpus::read(&["data/news"], &ReadOptions::default())?;
//! assert_eq!(corpus.documents.len(), 74);
//! let first = &corpus.documents[0];
//! assert_eq!(first.id, "01-gript-home-office-monitors-musk.txt#0");
//! assert_eq!(&*first.source, "data/news/01-gript-home-office-monitors-musk.txt");
//! assert!(corpus.warnings.is_empty());
//! # Ok::<(), topica::Error>(())
//! ```
//!
//! # Inputs
//!
//! [`Corpus::read`] reads its inputs in the order given:
//!
//! - `-` is standard input, read once. It is plain text unless
//!   [`ReadOptions::format`] is set, and it is gunzipped when it starts with
//!   the gzip magic bytes `1f 8b`. Its documents have the source `-` and, for
//!   plain text, ids `-#N`. [`Corpus::from_reader`] reads any other stream the
//!   same way.
//! - A file given by itself is always read, whatever it holds. Its format is
//!   inferred from its name by [`Format::from_path`] (`.jsonl`/`.ndjson`: JSON
//!   Lines, `.csv`: CSV, anything else, including no extension: plain text)
//!   unless [`ReadOptions::format`] is set, which then applies to every file.
//!   A trailing `.gz` is looked through (`a.jsonl.gz` is gzipped JSON Lines),
//!   and such files are decompressed with flate2's `MultiGzDecoder`
//!   (concatenated gzip members are all read).
//! - A directory is walked recursively in sorted path order (walkdir's
//!   `sort_by_file_name`), skipping hidden entries (names starting with `.`,
//!   and everything under them). Every regular file found (symbolic links to
//!   regular files included, and links that lead nowhere; linked directories
//!   are not entered, with a warning naming them; FIFOs, sockets and devices
//!   are left alone) is read as
//!   above, except files that look binary (a NUL byte in their first 8 KiB,
//!   after decompression): those are skipped with a warning such as
//!   `"d/logo.png: skipped, as it looks binary (a NUL byte in its first 8 KiB)"`
//!   (or, when NUL bytes fill every other byte, `"... skipped, as it looks
//!   like UTF-16 without a byte order mark ...; re-encode it as UTF-8"`),
//!   under [`ReadOptions::strict`] too: that is the rule for what a directory
//!   holds, not a problem with a file. A directory that yields no readable
//!   file is the error `"DIR: no text files in this directory"`.
//!
//! # Unreadable files
//!
//! A file found in a directory that cannot be opened or read to its end (a
//! symbolic link leading nowhere, a corrupt or truncated `.gz`, an I/O error
//! midway) is skipped whole, none of its documents kept, with a warning
//! naming it and giving the system's message: `"d/b.txt: skipped, as it
//! cannot be read: No such file or directory (os error 2) (use --strict to
//! stop instead)"`; an entry below the directory that cannot be listed is
//! skipped the same way. Under [`ReadOptions::strict`] it is the
//! [`Error::Io`](crate::Error::Io) `"d/b.txt: No such file or directory (os
//! error 2)"`. When every file of a directory is skipped, the directory has
//! no text files (the error above).
//!
//! An input given by name (a file, a directory, `-`) that cannot be opened
//! or read is always an [`Error::Io`](crate::Error::Io) naming it, followed by
//! the system's message: the user asked for that very file, and a typo in a
//! path, or a truncated download, must not quietly give results on the other
//! inputs; whereas a directory is read for whatever it holds, and one bad file
//! among thousands must not sink an unattended run.
//!
//! # Files that change while read
//!
//! The length and modification time of every file are taken from its open
//! handle when it is opened and again once it is read. If they differ, the
//! file changed while it was read (a log still being written, an export
//! still running) and its documents may be neither the old nor the new
//! contents: `"d/a.jsonl: changed while it was read; its documents may mix
//! old and new contents (use --strict to refuse)"`, an error under
//! [`ReadOptions::strict`]. A file replaced by renaming another onto its
//! name is not a change: the handle keeps reading the old file whole.
//! Standard input and other streams are not checked.
//!
//! # Decoding
//!
//! A leading UTF-8 byte order mark is dropped, and `\r\n` line endings are
//! accepted everywhere; plain text and CSV also end a line at a lone `\r`
//! (old Mac files), as Python's universal newlines do. A file (or stream) that starts with a UTF-16 byte
//! order mark (`FF FE` or `FE FF`, after decompression) is decoded from
//! UTF-16, in all three formats; its unpaired surrogates count as bytes that
//! are not UTF-8 (below), and byte offsets in its messages count in the
//! text transcoded to UTF-8. UTF-16 without a byte order mark is not
//! guessed: its NUL bytes make it look binary (see [Inputs](self#inputs)
//! and [NUL bytes](self#nul-bytes)). Bytes that are not UTF-8 are decoded lossily (as
//! U+FFFD) with one warning per file naming the first line with bad bytes:
//! `"news/a.txt: line 3 is not valid UTF-8; decoded lossily (use --strict to
//! refuse)"`. With [`ReadOptions::strict`] they are refused instead:
//! `"news/a.txt line 3: not valid UTF-8 (bytes at byte offset N); re-encode
//! the file as UTF-8 or drop --strict to decode it lossily"`, where `N` counts
//! from the start of the (decompressed) file, byte order mark included. This
//! holds for all three formats.
//!
//! # NUL bytes
//!
//! A NUL byte is valid UTF-8 and is kept in the text, where the tokenizer
//! treats it as a separator (it is not a word character): `alpha\0beta`
//! gives the terms `alpha` and `beta`. A file given by name whose first
//! 8 KiB hold a NUL byte is read with a warning, `"a.txt: read although it
//! looks binary (a NUL byte in its first 8 KiB), as it was named; NUL bytes
//! separate words (use --strict to refuse)"`, and refused under
//! [`ReadOptions::strict`]; found in a directory, it is skipped (see
//! [Inputs](self#inputs)). In JSON Lines, `\u0000` in a string is a NUL
//! character like any other, while a raw NUL byte in a string is invalid
//! JSON (an error naming the line). In CSV a NUL byte is data.
//!
//! # Plain text
//!
//! The text is split into paragraphs as [`Split`] says. A line is blank when
//! it is empty or holds only whitespace. [`Split::Auto`] (the default) splits
//! on blank lines when the file has at least one, else makes every line a
//! paragraph. Every paragraph is trimmed, and empty paragraphs are dropped.
//!
//! A paragraph's [`Document::id`] is `NAME#N`, where `N` counts the file's
//! (non-empty) paragraphs from 0 and `NAME` is the file's path relative to the
//! directory given as input, with `/` separators (just the file name for a
//! file given by itself, `-` for standard input). Its [`Document::position`]
//! is `N`, its [`Document::line`] the 1-based line of its first line, its
//! [`Document::source`] the file's path as given or as walked (such as
//! `data/news/01-gript-home-office-monitors-musk.txt`), and its
//! [`Document::fields`] are empty.
//!
//! # JSON Lines
//!
//! One JSON object per line. Blank lines are skipped, but still count for line
//! numbers. Every record is one document, even when its text is empty: as in
//! scikit-learn, an empty document keeps its row (the "clean" 20 Newsgroups
//! corpus has hundreds of them, and the document count must match).
//!
//! - The text field ([`ReadOptions::text_field`], `text` by default) must
//!   exist and be a string, else the error names the line:
//!   ``"no field `text` (fields: id, label, split)"`` or
//!   ``"field `text` is a number, not a string"`` (`null` too is refused).
//! - The id field ([`ReadOptions::id_field`], `id` by default) may be a string
//!   (used as is), a number (used as its JSON text: `12` gives `"12"`, `1.5`
//!   gives `"1.5"`), or absent or `null` (the record's 1-based line number is
//!   used). Any other type is an error naming the line.
//! - Every other field is kept in [`Document::fields`].
//! - A line that is not valid JSON, or not an object, is the error
//!   `"invalid JSON: ..."` naming the line (and the column within it).
//!
//! [`Document::position`] is the record's index among the file's records,
//! [`Document::line`] its line. Files are read in blocks of whole lines
//! (4 MiB) whose lines are parsed in parallel, so a large file is never held
//! whole in memory next to its parsed texts; the result does not depend on
//! the number of threads.
//!
//! # CSV
//!
//! A header row is required (read with the csv crate, so quoted fields may
//! span lines). It must name the text column, else
//! ``"FILE line 1: no column `text` in the header (columns: a, b, c); choose
//! one with --text-field"``. Every record is one document (empty text
//! included) and must have as many fields as the header, else
//! `"FILE line L: record has 3 fields but the header has 4"`, where `L` is
//! the line where the record starts (as the csv crate ends a record at a
//! lone `\r` too, such a carriage return counts as a line break in CSV line
//! numbers). The id column gives the id when the
//! header has one and the record's cell is not empty; otherwise the record's
//! 1-based line number is used. Every other column is kept in
//! [`Document::fields`] as a JSON string. A file without a single byte has no
//! records.
//!
//! A quoted field that is never closed runs to the end of the file, taking
//! every later line into one field. When its record still has as many fields
//! as the header, this is told: `"FILE line L: a quoted field of the record
//! on this line is never closed, so the record runs to the end of the file
//! (line E); check its quotes (use --strict to refuse)"`, an error under
//! [`ReadOptions::strict`].
//!
//! # Limits
//!
//! A document's text may hold at most [`ReadOptions::max_doc_bytes`] bytes
//! (UTF-8, after decoding and, for plain text, trimming): 8 MiB by default
//! ([`DEFAULT_MAX_DOC_BYTES`]). The longest post of 20 Newsgroups has
//! 160,616 bytes (`test/comp.os.ms-windows.misc/10140`), the longest
//! Reuters-21578 story 13,432: a paragraph of megabytes is almost always a
//! broken export (a file without line breaks, a CSV quote never closed, a
//! base64 attachment), and one huge document is analysed by one thread
//! while the others wait. A longer text is cut at the last whitespace within
//! 256 bytes below the limit (else at the last character boundary at or
//! below it), trailing whitespace dropped, with a warning naming its file,
//! line, id and size: ``"d/one-line.txt line 1: document `one-line.txt#0`
//! has 209715203 bytes of text, more than --max-doc-bytes (8388608);
//! truncated to 8388605 bytes (use --strict to refuse)"``. The first five cut documents of a file
//! are named, the others counted in one more warning. Under
//! [`ReadOptions::strict`] the first over-long document is the error instead.
//! `None` means no limit (`--max-doc-bytes 0`); a limit below
//! [`MIN_MAX_DOC_BYTES`] (1 KiB) is refused by [`ReadOptions::check`] as a
//! mistake in the unit, since it would cut ordinary paragraphs. Any larger
//! value is accepted.
//!
//! Plain-text paragraphs over the limit are never built whole (only the bytes
//! the cut may keep are copied); a JSON Lines record or CSV field is parsed
//! whole, then cut.
//!
//! # Strict reading
//!
//! [`ReadOptions::strict`] (`--strict`) refuses instead of warning: bytes
//! that are not UTF-8, a file found in a directory that cannot be read, a
//! document over the limit, a file that changed while it was read, NUL bytes
//! in a file given by name and a CSV quote never closed all become errors
//! naming the file and, where there is one, the line. Two warnings stay
//! warnings, as they are not problems with the data read: binary files
//! skipped in directories, and ids shared by several documents.
//!
//! # Memory
//!
//! A plain-text or CSV file is read whole, then split: at its peak, reading
//! holds the file's bytes (decompressed) and its documents' texts (about as
//! many bytes again, less when paragraphs are cut), for as many files at once
//! as there are threads. JSON Lines is read in 4 MiB blocks (a block grows to
//! hold a longer line), so it holds its documents and two blocks. In every
//! format the corpus then holds each document's text (at most
//! `max_doc_bytes` each), its id and other fields. Measured figures are in
//! README.md (section Limits).
//!
//! # After reading
//!
//! A corpus without any document is an
//! [`Error::EmptyCorpus`](crate::Error::EmptyCorpus) naming the inputs, such as
//! `"no documents in data/empty.txt (every paragraph of the plain text was
//! empty)"`. Ids used by more than one document give one warning saying how
//! many ids are shared and where the first few occur; all documents are kept.
//!
//! The library never prints and never exits: problems that do not stop
//! reading are returned in [`Corpus::warnings`], one complete sentence each,
//! naming the file, for the binary to print.

mod csv;
mod decode;
mod jsonl;
mod limit;
mod read;
mod reference;
mod source;
mod text;

pub(crate) use self::csv::duplicate_column;
pub use self::reference::{DATA_DIR_VAR, EXAMPLE_GROUPS, reference_file};
pub use self::source::read_text;

use std::fmt;
use std::io::Read;
use std::path::Path;
use std::str::FromStr;
use std::sync::Arc;

use serde_json::{Map, Value};

use crate::error::{ParamError, Result};

/// One document: a paragraph of a text file, or one record of a JSONL or CSV file.
#[derive(Debug, Clone, PartialEq)]
pub struct Document {
    /// `NAME#N` for the `N`th paragraph (from 0) of a plain-text file, where
    /// `NAME` is the file's path relative to the directory given as input (the
    /// file name alone for a file given by itself, `-` for standard input);
    /// the id field of a record, or the record's 1-based line number when it
    /// has none.
    pub id: String,
    /// The text to analyse: a trimmed paragraph, or a record's text field as is.
    pub text: String,
    /// The file it came from, as given or as found by walking a directory
    /// given as input (`data/news/01-gript-home-office-monitors-musk.txt`);
    /// `-` for standard input.
    pub source: Arc<str>,
    /// Its 0-based position among the documents of its source.
    pub position: usize,
    /// The 1-based line where it starts in its source.
    pub line: usize,
    /// The record's other fields (JSONL and CSV), such as a `label`; empty for
    /// plain text.
    pub fields: Map<String, Value>,
}

/// Documents in reading order, with the warnings met while reading them.
///
/// Warnings come in reading order: entries of directories that could not be
/// listed first, then each file's (named binary file, cut documents, a CSV
/// quote never closed, bytes that are not UTF-8, changed while read), then
/// shared ids.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Corpus {
    /// The documents, source by source, in position order within a source.
    pub documents: Vec<Document>,
    /// Problems that did not stop reading (lossily decoded bytes, skipped
    /// files, cut documents, files that changed while read, duplicated ids):
    /// one complete sentence each, naming the file.
    pub warnings: Vec<String>,
}

/// The format of an input.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Plain text, split into paragraphs.
    Text,
    /// JSON Lines: one JSON object per line.
    Jsonl,
    /// CSV with a header row.
    Csv,
}

impl Format {
    /// The format a file's extension names, looking through a trailing `.gz`
    /// (`a.jsonl.gz` is JSON Lines); extensions are compared without regard
    /// to case.
    ///
    /// `.jsonl` and `.ndjson` name JSON Lines, `.csv` names CSV, `.txt` and
    /// `.text` name plain text. Any other extension, or none, gives `None`:
    /// the reader then treats the file as plain text.
    ///
    /// ```
    /// use std::path::Path;
    /// use topica::corpus::Format;
    ///
    /// assert_eq!(Format::from_path(Path::new("a/b.jsonl.gz")), Some(Format::Jsonl));
    /// assert_eq!(Format::from_path(Path::new("b.CSV")), Some(Format::Csv));
    /// assert_eq!(Format::from_path(Path::new("README")), None);
    /// ```
    pub fn from_path(path: &Path) -> Option<Format> {
        let name = path.file_name()?.to_string_lossy().to_ascii_lowercase();
        let name = name.strip_suffix(".gz").unwrap_or(&name);
        let (_, extension) = name.rsplit_once('.')?;
        match extension {
            "jsonl" | "ndjson" => Some(Format::Jsonl),
            "csv" => Some(Format::Csv),
            "txt" | "text" => Some(Format::Text),
            _ => None,
        }
    }

    /// The name `--format` uses for it: `text`, `jsonl` or `csv`.
    pub fn name(self) -> &'static str {
        match self {
            Format::Text => "text",
            Format::Jsonl => "jsonl",
            Format::Csv => "csv",
        }
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Format {
    type Err = String;

    /// Parses `text` (or `txt`), `jsonl` (or `ndjson`) and `csv`, ignoring case.
    fn from_str(s: &str) -> std::result::Result<Self, Self::Err> {
        match s.to_ascii_lowercase().as_str() {
            "text" | "txt" => Ok(Format::Text),
            "jsonl" | "ndjson" => Ok(Format::Jsonl),
            "csv" => Ok(Format::Csv),
            _ => Err(format!(
                "unknown format `{s}`: expected one of text (or txt), jsonl (or ndjson), csv"
            )),
        }
    }
}

/// How plain text is split into paragraphs.
///
/// A line is blank when it is empty or holds only whitespace. In every mode
/// each paragraph is trimmed (`str::trim`) and empty paragraphs are dropped.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Split {
    /// Like [`Split::Blank`] when the file has at least one blank line, else
    /// like [`Split::Lines`].
    #[default]
    Auto,
    /// Every non-blank line is a paragraph.
    Lines,
    /// Paragraphs are the maximal runs of non-blank lines, joined with `\n`.
    Blank,
    /// The whole file is one document (its lines joined with `\n`).
    None,
}

impl Split {
    /// The name `--split` uses for it: `auto`, `lines`, `blank` or `none`.
    pub fn name(self) -> &'static str {
        match self {
            Split::Auto => "auto",
            Split::Lines => "lines",
            Split::Blank => "blank",
            Split::None => "none",
        }
    }
}

impl fmt::Display for Split {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Split {
    type Err = String;

    /// Parses `auto`, `lines`, `blank` and `none`, ignoring case.
    fn from_str(s: &str) -> std::result::Result<Self, Self::Err> {
        match s.to_ascii_lowercase().as_str() {
            "auto" => Ok(Split::Auto),
            "lines" => Ok(Split::Lines),
            "blank" => Ok(Split::Blank),
            "none" => Ok(Split::None),
            _ => Err(format!(
                "unknown split `{s}`: expected one of auto, lines, blank, none"
            )),
        }
    }
}

/// The default of [`ReadOptions::max_doc_bytes`]: 8 MiB (see
/// [Limits](self#limits)).
pub const DEFAULT_MAX_DOC_BYTES: usize = 8 << 20;

/// The smallest [`ReadOptions::max_doc_bytes`] accepted: 1 KiB. A lower
/// limit would cut ordinary paragraphs (a long sentence is a few hundred
/// bytes), so it is taken for a mistake in the unit.
pub const MIN_MAX_DOC_BYTES: usize = 1 << 10;

/// How to read inputs.
///
/// ```
/// use topica::corpus::{DEFAULT_MAX_DOC_BYTES, Format, ReadOptions, Split};
///
/// let options = ReadOptions::default().with_format(Format::Jsonl).with_strict(true);
/// assert_eq!(options.text_field, "text");
/// assert_eq!(options.split, Split::Auto);
/// assert_eq!(options.max_doc_bytes, Some(DEFAULT_MAX_DOC_BYTES));
/// assert!(options.check().is_ok());
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReadOptions {
    /// Force a format for every input instead of inferring it from each
    /// file's extension (standard input is plain text unless this is set).
    pub format: Option<Format>,
    /// The field (JSONL) or column (CSV) holding the text; `text` by default.
    pub text_field: String,
    /// The field (JSONL) or column (CSV) holding the id; `id` by default.
    pub id_field: String,
    /// Paragraph splitting for plain text; [`Split::Auto`] by default.
    pub split: Split,
    /// Refuse instead of warn: stop at the first reading problem (bytes that
    /// are not UTF-8, a file found in a directory that cannot be read, a
    /// document over [`max_doc_bytes`](Self::max_doc_bytes), a file that
    /// changed while it was read, NUL bytes in a file named as an input, a
    /// CSV quote never closed) instead of going on with a warning; off by
    /// default.
    pub strict: bool,
    /// The most bytes of text a document may have: a longer text is cut
    /// there with a warning naming it, or refused under
    /// [`strict`](Self::strict); `None` for no limit.
    /// [`DEFAULT_MAX_DOC_BYTES`] (8 MiB) by default; at least
    /// [`MIN_MAX_DOC_BYTES`] (1 KiB).
    pub max_doc_bytes: Option<usize>,
}

impl Default for ReadOptions {
    fn default() -> Self {
        ReadOptions {
            format: None,
            text_field: "text".into(),
            id_field: "id".into(),
            split: Split::Auto,
            strict: false,
            max_doc_bytes: Some(DEFAULT_MAX_DOC_BYTES),
        }
    }
}

impl ReadOptions {
    /// Forces `format` for every input.
    pub fn with_format(mut self, format: Format) -> Self {
        self.format = Some(format);
        self
    }

    /// Reads the text from field or column `name`.
    pub fn with_text_field(mut self, name: impl Into<String>) -> Self {
        self.text_field = name.into();
        self
    }

    /// Reads the id from field or column `name`.
    pub fn with_id_field(mut self, name: impl Into<String>) -> Self {
        self.id_field = name.into();
        self
    }

    /// Splits plain text as `split` says.
    pub fn with_split(mut self, split: Split) -> Self {
        self.split = split;
        self
    }

    /// Refuses instead of warning about reading problems when `strict` is true.
    pub fn with_strict(mut self, strict: bool) -> Self {
        self.strict = strict;
        self
    }

    /// Cuts (or under `strict` refuses) texts longer than `max` bytes;
    /// `None` for no limit. The default is [`DEFAULT_MAX_DOC_BYTES`].
    pub fn with_max_doc_bytes(mut self, max: Option<usize>) -> Self {
        self.max_doc_bytes = max;
        self
    }

    /// Checks the options: [`max_doc_bytes`](Self::max_doc_bytes) must be
    /// `None` or at least [`MIN_MAX_DOC_BYTES`]. [`Corpus::read`] and
    /// [`Corpus::from_reader`] check them before reading anything.
    ///
    /// ```
    /// use topica::corpus::ReadOptions;
    ///
    /// assert!(ReadOptions::default().with_max_doc_bytes(None).check().is_ok());
    /// let err = ReadOptions::default().with_max_doc_bytes(Some(100)).check().unwrap_err();
    /// assert_eq!(err.name, "max_doc_bytes");
    /// ```
    ///
    /// # Errors
    ///
    /// A [`ParamError`] naming the option at fault.
    pub fn check(&self) -> std::result::Result<(), ParamError> {
        if let Some(max) = self.max_doc_bytes {
            if max < MIN_MAX_DOC_BYTES {
                return Err(ParamError::new(
                    "max_doc_bytes",
                    format!(
                        "{max} bytes is less than the smallest limit, {MIN_MAX_DOC_BYTES} \
                         bytes (1 KiB), which ordinary paragraphs would already exceed; \
                         give a larger limit, or none (0 on the command line)"
                    ),
                ));
            }
        }
        Ok(())
    }
}

impl Corpus {
    /// Reads every input in order; `-` means standard input.
    ///
    /// The rules are in the [module documentation](self). Files found in
    /// directories are read in parallel, and JSON Lines in blocks of whole
    /// lines parsed in parallel; the result does not depend on the number of
    /// threads.
    ///
    /// # Errors
    ///
    /// [`Error::Param`](crate::Error::Param) for options that
    /// [`ReadOptions::check`] refuses, [`Error::Io`](crate::Error::Io) for an
    /// input that cannot be opened or read (a file found in a directory only
    /// under [`ReadOptions::strict`]), [`Error::Input`](crate::Error::Input)
    /// for data that does not follow its format (or a directory without any
    /// readable file, or, under [`ReadOptions::strict`], any reading problem),
    /// and [`Error::EmptyCorpus`](crate::Error::EmptyCorpus) when no input
    /// holds a document. The first error in reading order is returned.
    pub fn read<P: AsRef<Path>>(inputs: &[P], options: &ReadOptions) -> Result<Corpus> {
        let inputs: Vec<&Path> = inputs.iter().map(AsRef::as_ref).collect();
        read::read_inputs(&inputs, options)
    }

    /// Reads one stream as standard input would be read, naming it `name`
    /// (the source of its documents and the `NAME` in plain-text ids).
    ///
    /// The stream is plain text unless [`ReadOptions::format`] is set, and is
    /// gunzipped when it starts with the gzip magic bytes. The checks of
    /// [`Corpus::read`] (empty corpus, duplicate ids) apply.
    ///
    /// ```
    /// use topica::corpus::{Corpus, ReadOptions};
    ///
    /// let corpus = Corpus::from_reader(&b"one\ntwo\n"[..], "notes", &ReadOptions::default())?;
    /// assert_eq!(corpus.texts(), ["one", "two"]);
    /// assert_eq!(corpus.documents[1].id, "notes#1");
    /// # Ok::<(), topica::Error>(())
    /// ```
    pub fn from_reader<R: Read + Send>(
        reader: R,
        name: &str,
        options: &ReadOptions,
    ) -> Result<Corpus> {
        read::read_stream(reader, name, options)
    }

    /// The texts, in document order.
    pub fn texts(&self) -> Vec<&str> {
        self.documents.iter().map(|d| d.text.as_str()).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_parse_from_their_names_and_aliases() {
        assert_eq!("text".parse(), Ok(Format::Text));
        assert_eq!("txt".parse(), Ok(Format::Text));
        assert_eq!("jsonl".parse(), Ok(Format::Jsonl));
        assert_eq!("NDJSON".parse(), Ok(Format::Jsonl));
        assert_eq!("csv".parse(), Ok(Format::Csv));
        let err = "json".parse::<Format>().unwrap_err();
        assert!(err.contains("`json`"), "{err}");
        assert!(
            err.contains("text (or txt), jsonl (or ndjson), csv"),
            "{err}"
        );
        for format in [Format::Text, Format::Jsonl, Format::Csv] {
            assert_eq!(format.to_string().parse(), Ok(format));
        }
    }

    #[test]
    fn splits_parse_from_their_names() {
        assert_eq!("auto".parse(), Ok(Split::Auto));
        assert_eq!("lines".parse(), Ok(Split::Lines));
        assert_eq!("blank".parse(), Ok(Split::Blank));
        assert_eq!("none".parse(), Ok(Split::None));
        let err = "paragraphs".parse::<Split>().unwrap_err();
        assert!(err.contains("auto, lines, blank, none"), "{err}");
        for split in [Split::Auto, Split::Lines, Split::Blank, Split::None] {
            assert_eq!(split.to_string().parse(), Ok(split));
        }
    }

    #[test]
    fn formats_are_inferred_from_extensions_through_gz() {
        let of = |p: &str| Format::from_path(Path::new(p));
        assert_eq!(of("a.jsonl"), Some(Format::Jsonl));
        assert_eq!(of("a.ndjson"), Some(Format::Jsonl));
        assert_eq!(of("dir/a.jsonl.gz"), Some(Format::Jsonl));
        assert_eq!(of("a.csv"), Some(Format::Csv));
        assert_eq!(of("a.csv.GZ"), Some(Format::Csv));
        assert_eq!(of("a.txt"), Some(Format::Text));
        assert_eq!(of("a.txt.gz"), Some(Format::Text));
        assert_eq!(of("a.md"), None);
        assert_eq!(of("README"), None);
        assert_eq!(of("a.gz"), None);
        assert_eq!(of("jsonl"), None);
        assert_eq!(of(".jsonl"), Some(Format::Jsonl));
    }

    #[test]
    fn options_default_and_builders() {
        let o = ReadOptions::default();
        assert_eq!(o.format, None);
        assert_eq!((o.text_field.as_str(), o.id_field.as_str()), ("text", "id"));
        assert_eq!(o.split, Split::Auto);
        assert!(!o.strict);
        assert_eq!(o.max_doc_bytes, Some(8 * 1024 * 1024));
        let o = o
            .with_format(Format::Csv)
            .with_text_field("body")
            .with_id_field("key")
            .with_split(Split::Lines)
            .with_strict(true)
            .with_max_doc_bytes(None);
        assert_eq!(o.format, Some(Format::Csv));
        assert_eq!(
            (o.text_field.as_str(), o.id_field.as_str()),
            ("body", "key")
        );
        assert_eq!(o.split, Split::Lines);
        assert!(o.strict);
        assert_eq!(o.max_doc_bytes, None);
    }

    #[test]
    fn max_doc_bytes_must_be_at_least_1_kib() {
        let with = |max| ReadOptions::default().with_max_doc_bytes(max).check();
        assert!(with(None).is_ok());
        assert!(with(Some(MIN_MAX_DOC_BYTES)).is_ok());
        assert!(with(Some(usize::MAX)).is_ok());
        for max in [0, 1, MIN_MAX_DOC_BYTES - 1] {
            let err = with(Some(max)).unwrap_err();
            assert_eq!(err.name, "max_doc_bytes");
            assert!(
                err.message
                    .starts_with(&format!("{max} bytes is less than"))
            );
        }
        let err = Corpus::from_reader(
            &b"text"[..],
            "-",
            &ReadOptions::default().with_max_doc_bytes(Some(0)),
        )
        .unwrap_err();
        assert!(err.is_usage(), "{err}");
    }
}
