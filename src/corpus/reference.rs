//! Locating the reference corpora (20 Newsgroups, Reuters-21578) that tests,
//! benchmarks and quality measurements read, through `TOPICA_DATA_DIR`.

use std::path::PathBuf;

use crate::error::{Error, Result};

/// The environment variable naming the folder of reference corpora.
pub const DATA_DIR_VAR: &str = "TOPICA_DATA_DIR";

/// The four groups of 20 Newsgroups that scikit-learn's document-clustering
/// example clusters (3,387 posts of `20newsgroups_clean.jsonl`): the labels
/// the benchmarks, the context measurements and the tests select by.
pub const EXAMPLE_GROUPS: [&str; 4] = [
    "alt.atheism",
    "talk.religion.misc",
    "comp.graphics",
    "sci.space",
];

/// The path of reference corpus `file` (such as `20newsgroups.jsonl`) in the
/// folder named by `TOPICA_DATA_DIR`.
///
/// Fails, saying what is missing and how to get it, when the variable is unset
/// or the file is not there.
///
/// # Example
/// ```
/// match topica::corpus::reference_file("20newsgroups.jsonl") {
///     Ok(path) => assert!(path.ends_with("20newsgroups.jsonl")),
///     Err(e) => assert!(e.to_string().contains("TOPICA_DATA_DIR")),
/// }
/// ```
pub fn reference_file(file: &str) -> Result<PathBuf> {
    const HOW: &str = "the reference corpora are 20newsgroups.jsonl, 20newsgroups_clean.jsonl and \
                       reuters21578.jsonl (one JSON object per line with `id`, `text` and `label`); \
                       this project's CI keeps them in ../shared/data (see README.md, section Data)";
    let dir = std::env::var_os(DATA_DIR_VAR).ok_or_else(|| {
        Error::MissingData(format!(
            "{DATA_DIR_VAR} is not set: set it to the folder holding {file}; {HOW}"
        ))
    })?;
    let path = PathBuf::from(dir).join(file);
    if !path.is_file() {
        return Err(Error::MissingData(format!(
            "{DATA_DIR_VAR}={} has no file {file}; {HOW}",
            PathBuf::from(std::env::var_os(DATA_DIR_VAR).unwrap_or_default()).display()
        )));
    }
    Ok(path)
}
