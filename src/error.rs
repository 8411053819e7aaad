//! Errors: one [`Error`] for the whole library and its [`Result`] alias.
//!
//! Every message says where (file, line, option) and what, and where it can, how
//! to fix it. The library never prints and never exits; the binary turns an
//! [`Error`] into a one-line message and an exit status
//! ([`Error::is_usage`] tells a misused option from bad data).

use std::fmt;
use std::path::{Path, PathBuf};

/// The library's result type.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Everything that can go wrong in topica.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A file or standard input could not be opened, read or written.
    ///
    /// The message includes the system's, so the `io::Error` is not also
    /// given as a `source()` (it would be printed twice in a chain).
    #[error("{}: {error}", .path.display())]
    Io {
        /// The file at fault (`-` for standard input).
        path: PathBuf,
        /// What the operating system said.
        error: std::io::Error,
    },

    /// Input data that cannot be read as its format says: an invalid JSON line,
    /// a CSV record without the text column, bytes that are not UTF-8 under
    /// `--strict`...
    #[error("{}{}: {message}", .path.display(), Location(*.line))]
    Input {
        /// The file at fault (`-` for standard input).
        path: PathBuf,
        /// The 1-based line, when one line is at fault.
        line: Option<usize>,
        /// What is wrong, and how to fix it when that is known.
        message: String,
    },

    /// No documents at all were read from the inputs.
    #[error("the corpus is empty: {0}")]
    EmptyCorpus(String),

    /// A reference corpus that tests, benchmarks or evaluation need is not
    /// where `TOPICA_DATA_DIR` says: the message says what is missing and how
    /// to get it.
    #[error("{0}")]
    MissingData(String),

    /// An invalid parameter, found before touching any data (`min_df = 0.0`,
    /// `ngram_range = (2, 1)`, ...). The binary reports it as a misuse of options.
    #[error(transparent)]
    Param(#[from] ParamError),

    /// Parameters that are valid alone but impossible on this data, such as a
    /// vocabulary left empty after pruning.
    #[error("{0}")]
    Fit(String),

    /// A saved model that cannot be used: another format version, or not a
    /// topica model at all.
    #[error("{}: {message}", .path.display())]
    Model {
        /// The model file.
        path: PathBuf,
        /// What is wrong.
        message: String,
    },
}

impl Error {
    /// Whether the error is a misuse of parameters rather than a problem with
    /// the data (the binary exits with status 2 for these, 1 otherwise).
    pub fn is_usage(&self) -> bool {
        matches!(self, Error::Param(_))
    }

    /// An I/O error on `path`.
    pub fn io(path: impl AsRef<Path>, error: std::io::Error) -> Self {
        Error::Io {
            path: path.as_ref().to_path_buf(),
            error,
        }
    }

    /// A data error in `path`, at `line` when one line is at fault.
    pub fn input(path: impl AsRef<Path>, line: Option<usize>, message: impl Into<String>) -> Self {
        Error::Input {
            path: path.as_ref().to_path_buf(),
            line,
            message: message.into(),
        }
    }
}

/// An invalid parameter: which one, and why.
///
/// Parameter names are scikit-learn's (`min_df`, `ngram_range`), which the
/// command line spells in kebab-case (`--min-df`, `--ngram-range`).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid {name}: {message}")]
pub struct ParamError {
    /// The parameter's name.
    pub name: &'static str,
    /// What is wrong with its value.
    pub message: String,
}

impl ParamError {
    /// A new error for parameter `name`.
    pub fn new(name: &'static str, message: impl Into<String>) -> Self {
        ParamError {
            name,
            message: message.into(),
        }
    }
}

/// Formats `" line N"` when a line is known, nothing otherwise.
struct Location(Option<usize>);

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            Some(line) => write!(f, " line {line}"),
            None => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn input_errors_name_file_and_line() {
        let e = Error::input("a/b.jsonl", Some(12), "no field `text`");
        assert_eq!(e.to_string(), "a/b.jsonl line 12: no field `text`");
        let e = Error::input("a/b.csv", None, "no column `text`");
        assert_eq!(e.to_string(), "a/b.csv: no column `text`");
        assert!(!e.is_usage());
    }

    #[test]
    fn param_errors_are_usage_errors() {
        let e: Error = ParamError::new("min_df", "must be >= 0").into();
        assert_eq!(e.to_string(), "invalid min_df: must be >= 0");
        assert!(e.is_usage());
    }
}
