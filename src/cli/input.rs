//! The flags that say what to read, shared by every subcommand that reads a corpus.

use std::path::PathBuf;

use clap::Args;

use topica::corpus::{Corpus, Format, ReadOptions, Split};

/// Inputs and how to read them.
#[derive(Debug, Args)]
pub struct InputArgs {
    /// Files or directories to read (`-` for standard input). Directories are
    /// read recursively in sorted order; `.gz` files are decompressed.
    #[arg(required = true, value_name = "INPUT")]
    pub inputs: Vec<PathBuf>,

    /// Read every input in this format instead of inferring it from the
    /// extension (.jsonl/.ndjson: JSON Lines, .csv: CSV, anything else: text).
    #[arg(long, value_name = "FORMAT", value_parser = ["text", "jsonl", "csv"])]
    pub format: Option<String>,

    /// The JSONL field or CSV column holding the text.
    #[arg(long, default_value = "text", value_name = "NAME")]
    pub text_field: String,

    /// The JSONL field or CSV column holding the id (when absent: the line number).
    #[arg(long, default_value = "id", value_name = "NAME")]
    pub id_field: String,

    /// How plain text is split into paragraphs: auto (on blank lines when the
    /// file has any, else on line breaks), lines, blank, or none.
    #[arg(long, default_value = "auto", value_name = "HOW", value_parser = ["auto", "lines", "blank", "none"])]
    pub split: String,

    /// Refuse bytes that are not UTF-8 instead of decoding them lossily with a warning.
    #[arg(long)]
    pub strict: bool,
}

impl InputArgs {
    /// The library's read options.
    pub fn options(&self) -> ReadOptions {
        ReadOptions {
            format: self
                .format
                .as_deref()
                .map(|f| f.parse::<Format>().expect("clap checked the value")),
            text_field: self.text_field.clone(),
            id_field: self.id_field.clone(),
            split: self.split.parse::<Split>().expect("clap checked the value"),
            strict: self.strict,
        }
    }

    /// Reads the corpus, printing its warnings.
    pub fn read(&self) -> anyhow::Result<Corpus> {
        let corpus = Corpus::read(&self.inputs, &self.options()).map_err(super::topica_error)?;
        super::print_warnings(&corpus.warnings);
        Ok(corpus)
    }
}
