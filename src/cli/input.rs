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

    /// How to read them.
    #[command(flatten)]
    pub how: ReadArgs,
}

/// How to read a corpus: every reading flag but the inputs themselves, also
/// taken by `topica eval` for its `--corpus`, so that it reads the corpus
/// (ids included) exactly as the command that clustered it did.
#[derive(Debug, Args)]
pub struct ReadArgs {
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

    /// Stop at the first reading problem instead of warning and going on:
    /// bytes that are not UTF-8, a file in a directory that cannot be read, a
    /// document over --max-doc-bytes, a file that changed while it was read,
    /// NUL bytes in a file named as an input, a CSV quote never closed.
    #[arg(long)]
    pub strict: bool,

    /// Cut the text of a longer document there, with a warning naming it
    /// (refused under --strict). A number of bytes with an optional unit
    /// (KiB, MiB, GiB; K, M, G are the same); 0 for no limit.
    #[arg(long, default_value = "8MiB", value_name = "BYTES", value_parser = parse_bytes)]
    pub max_doc_bytes: usize,
}

/// Parses a number of bytes with an optional binary unit: `1000`, `64KiB`,
/// `8M`, `1GiB` (case does not matter, nor a space before the unit).
fn parse_bytes(s: &str) -> Result<usize, String> {
    let t = s.trim();
    let digits = t.find(|c: char| !c.is_ascii_digit()).unwrap_or(t.len());
    let (number, unit) = t.split_at(digits);
    let shift = match unit.trim().to_ascii_lowercase().as_str() {
        "" | "b" => 0,
        "k" | "kib" => 10,
        "m" | "mib" => 20,
        "g" | "gib" => 30,
        _ => {
            return Err(format!(
                "`{s}` is not a number of bytes: expected digits and an optional unit \
                 (KiB, MiB, GiB), such as 8MiB"
            ));
        }
    };
    let number: usize = number
        .parse()
        .map_err(|_| format!("`{s}` is not a number of bytes, such as 8MiB"))?;
    number
        .checked_mul(1 << shift)
        .ok_or_else(|| format!("`{s}` is more bytes than this machine can address"))
}

impl ReadArgs {
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
            max_doc_bytes: (self.max_doc_bytes > 0).then_some(self.max_doc_bytes),
        }
    }

    /// Reads the corpus from `inputs`, printing its warnings.
    pub fn read(&self, inputs: &[PathBuf]) -> anyhow::Result<Corpus> {
        let corpus = Corpus::read(inputs, &self.options()).map_err(super::topica_error)?;
        super::print_warnings(&corpus.warnings);
        Ok(corpus)
    }
}

impl InputArgs {
    /// The library's read options.
    pub fn options(&self) -> ReadOptions {
        self.how.options()
    }

    /// Reads the corpus, printing its warnings.
    pub fn read(&self) -> anyhow::Result<Corpus> {
        self.how.read(&self.inputs)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn byte_counts_take_binary_units() {
        assert_eq!(parse_bytes("0"), Ok(0));
        assert_eq!(parse_bytes("1000"), Ok(1000));
        assert_eq!(parse_bytes("64KiB"), Ok(64 << 10));
        assert_eq!(parse_bytes("8M"), Ok(8 << 20));
        assert_eq!(parse_bytes("8 mib"), Ok(8 << 20));
        assert_eq!(parse_bytes("1GiB"), Ok(1 << 30));
        assert_eq!(parse_bytes("12b"), Ok(12));
        for bad in [
            "",
            "MiB",
            "-1",
            "1.5MiB",
            "8MB",
            "8 TiB",
            "99999999999999999999",
        ] {
            assert!(parse_bytes(bad).is_err(), "{bad}");
        }
        assert!(
            parse_bytes("99999999999999999G")
                .unwrap_err()
                .contains("more bytes")
        );
    }
}
