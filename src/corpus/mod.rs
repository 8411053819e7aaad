//! Corpus reading: turns files, directories and standard input into
//! [`Document`]s, the first step of every topica pipeline.
//!
//! STUB: the readers are being written; only the public types are final.

use std::path::Path;
use std::sync::Arc;

use serde_json::{Map, Value};

use crate::error::Result;

/// One document: a paragraph of a text file, or one record of a JSONL or CSV file.
#[derive(Debug, Clone, PartialEq)]
pub struct Document {
    /// `FILE_NAME#N` for a paragraph of a plain-text file, the id field of a
    /// record, or the record's line number when it has none.
    pub id: String,
    /// The text to analyse.
    pub text: String,
    /// The file it came from, as given (`-` for standard input).
    pub source: Arc<str>,
    /// Its 0-based position among the documents of its source.
    pub position: usize,
    /// The 1-based line where it starts in its source.
    pub line: usize,
    /// The record's other fields (JSONL and CSV), such as a `label`.
    pub fields: Map<String, Value>,
}

/// Documents in reading order, with the warnings met while reading them.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Corpus {
    /// The documents, source by source, in position order within a source.
    pub documents: Vec<Document>,
    /// Problems that did not stop reading (lossily decoded bytes, skipped files).
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

/// How plain text is split into paragraphs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Split {
    /// On blank lines when the file has any, else on line breaks.
    #[default]
    Auto,
    /// Every non-empty line is a paragraph.
    Lines,
    /// Paragraphs are separated by blank lines.
    Blank,
    /// The whole file is one document.
    None,
}

/// How to read inputs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReadOptions {
    /// Force a format instead of inferring it from each file's extension.
    pub format: Option<Format>,
    /// The field holding the text in JSONL and CSV.
    pub text_field: String,
    /// The field holding the id in JSONL and CSV.
    pub id_field: String,
    /// Paragraph splitting for plain text.
    pub split: Split,
    /// Refuse bytes that are not UTF-8 instead of decoding them lossily.
    pub strict: bool,
}

impl Default for ReadOptions {
    fn default() -> Self {
        ReadOptions {
            format: None,
            text_field: "text".into(),
            id_field: "id".into(),
            split: Split::Auto,
            strict: false,
        }
    }
}

impl Corpus {
    /// Reads every input in order.
    pub fn read<P: AsRef<Path>>(inputs: &[P], options: &ReadOptions) -> Result<Corpus> {
        let _ = (inputs, options);
        todo!("corpus readers")
    }

    /// The texts, in document order.
    pub fn texts(&self) -> Vec<&str> {
        self.documents.iter().map(|d| d.text.as_str()).collect()
    }
}
