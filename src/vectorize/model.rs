//! Saving and loading fitted TF-IDF models, as versioned JSON.
//!
//! ```text
//! {"format": "topica-tfidf-model", "version": 1, "topica_version": "0.1.0",
//!  "params": {...every parameter, defaults included...},
//!  "n_documents": 74, "vocabulary": ["2008", ...], "document_frequency": [1, ...],
//!  "idf": [4.62, ...] or null}
//! ```
//!
//! A file of another format version is refused with a message saying which
//! version it is and which this topica reads. The idf is stored for other
//! tools to read; on loading it must agree with the document frequencies.
//!
//! # Example
//! ```
//! use topica::vectorize::TfidfVectorizer;
//!
//! let docs = ["Grok made images", "the Home Office monitors posts"];
//! let model = TfidfVectorizer::params().fit(&docs).unwrap();
//! let dir = tempfile::tempdir().unwrap();
//! let path = dir.path().join("model.json");
//! model.save(&path).unwrap();
//! let loaded = TfidfVectorizer::load(&path).unwrap();
//! assert_eq!(loaded.transform(&docs), model.transform(&docs));
//! ```

use std::path::Path;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use super::params::TfidfParams;
use super::tfidf::TfidfVectorizer;
use super::vocabulary::Vocabulary;
use crate::error::{Error, Result};
use crate::report::write_atomically;

/// The `format` field of a model file.
pub const MODEL_FORMAT: &str = "topica-tfidf-model";

/// The model-file version this topica writes and reads.
pub const MODEL_VERSION: u32 = 1;

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct ModelFile {
    format: String,
    version: u32,
    topica_version: String,
    params: TfidfParams,
    n_documents: usize,
    vocabulary: Vocabulary,
    document_frequency: Vec<u64>,
    idf: Option<Vec<f64>>,
}

/// The fields read first, to refuse another format before parsing the rest.
#[derive(Deserialize)]
struct Header {
    format: Option<String>,
    version: Option<u32>,
}

impl TfidfVectorizer {
    /// Saves the model to `path` (JSON, written atomically).
    pub fn save(&self, path: impl AsRef<Path>) -> Result<()> {
        write_atomically(path, |w| self.save_to(w))
    }

    /// Writes the model to `w` as [`save`](Self::save) does.
    pub fn save_to(&self, w: &mut dyn std::io::Write) -> std::io::Result<()> {
        let file = ModelFile {
            format: MODEL_FORMAT.into(),
            version: MODEL_VERSION,
            topica_version: env!("CARGO_PKG_VERSION").into(),
            params: self.params.clone(),
            n_documents: self.n_documents,
            vocabulary: (*self.vocabulary).clone(),
            document_frequency: self.document_frequency.clone(),
            idf: self.idf().map(<[f64]>::to_vec),
        };
        serde_json::to_writer(w, &file).map_err(std::io::Error::from)
    }

    /// Loads a model saved by [`save`](Self::save).
    ///
    /// Fails when the file cannot be read, is not a topica TF-IDF model, has
    /// another format version, or is inconsistent (lengths that differ, an idf
    /// that does not follow from the document frequencies).
    pub fn load(path: impl AsRef<Path>) -> Result<TfidfVectorizer> {
        let path = path.as_ref();
        let model_error = |message: String| Error::Model {
            path: path.to_path_buf(),
            message,
        };
        let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
        let header: Header = serde_json::from_str(&text)
            .map_err(|e| model_error(format!("not a topica model (invalid JSON: {e})")))?;
        if header.format.as_deref() != Some(MODEL_FORMAT) {
            return Err(model_error(format!(
                "not a topica TF-IDF model (its `format` is {:?}, expected {MODEL_FORMAT:?})",
                header.format.unwrap_or_default()
            )));
        }
        match header.version {
            Some(MODEL_VERSION) => {}
            Some(v) => {
                return Err(model_error(format!(
                    "model format version {v}, but this topica ({}) reads version {MODEL_VERSION}; \
                     fit the model again with this version",
                    env!("CARGO_PKG_VERSION")
                )));
            }
            None => return Err(model_error("the model has no `version` field".into())),
        }
        let file: ModelFile =
            serde_json::from_str(&text).map_err(|e| model_error(format!("invalid model: {e}")))?;
        let n_terms = file.vocabulary.len();
        if file.document_frequency.len() != n_terms {
            return Err(model_error(format!(
                "{} document frequencies for {n_terms} terms",
                file.document_frequency.len()
            )));
        }
        let analyzer = file
            .params
            .analysis
            .build()
            .map_err(|e| model_error(format!("invalid parameters: {e}")))?;
        file.params
            .check()
            .map_err(|e| model_error(format!("invalid parameters: {e}")))?;
        let mut model = TfidfVectorizer {
            params: file.params,
            analyzer,
            vocabulary: Arc::new(file.vocabulary),
            n_documents: file.n_documents,
            document_frequency: file.document_frequency,
            idf: Vec::new(),
        };
        if model.params.use_idf {
            model.idf = model.idf_as::<f64>();
            let stored = file
                .idf
                .ok_or_else(|| model_error("use_idf is on but the model has no idf".into()))?;
            let consistent = stored.len() == n_terms
                && stored
                    .iter()
                    .zip(&model.idf)
                    .all(|(a, b)| (a - b).abs() <= 1e-12 * b.abs().max(1.0));
            if !consistent {
                return Err(model_error(
                    "its idf does not follow from its document frequencies (was the file edited?)"
                        .into(),
                ));
            }
        }
        Ok(model)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn saved_model(dir: &Path) -> std::path::PathBuf {
        let path = dir.join("model.json");
        TfidfVectorizer::params()
            .sublinear_tf(true)
            .fit(&["one two", "two three"])
            .unwrap()
            .save(&path)
            .unwrap();
        path
    }

    #[test]
    fn round_trips_parameters_vocabulary_and_idf() {
        let dir = tempfile::tempdir().unwrap();
        let path = saved_model(dir.path());
        let model = TfidfVectorizer::load(&path).unwrap();
        assert!(model.get_params().get_sublinear_tf());
        assert_eq!(model.vocabulary().terms(), ["one", "three", "two"]);
        assert_eq!(model.document_frequency(), [1, 1, 2]);
        assert_eq!(model.n_documents(), 2);
    }

    #[test]
    fn another_version_is_refused_with_both_versions_named() {
        let dir = tempfile::tempdir().unwrap();
        let path = saved_model(dir.path());
        let text = std::fs::read_to_string(&path)
            .unwrap()
            .replace("\"version\":1", "\"version\":2");
        std::fs::write(&path, text).unwrap();
        let e = TfidfVectorizer::load(&path).unwrap_err().to_string();
        assert!(e.contains("model.json: model format version 2"), "{e}");
        assert!(e.contains("reads version 1"), "{e}");
    }

    #[test]
    fn other_json_is_not_a_model() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("x.json");
        std::fs::write(&path, r#"{"hello": 1}"#).unwrap();
        let e = TfidfVectorizer::load(&path).unwrap_err().to_string();
        assert!(e.contains("not a topica TF-IDF model"), "{e}");
        std::fs::write(&path, "not json").unwrap();
        assert!(
            TfidfVectorizer::load(&path)
                .unwrap_err()
                .to_string()
                .contains("invalid JSON")
        );
    }

    #[test]
    fn an_edited_idf_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let path = saved_model(dir.path());
        let mut json: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
        json["idf"][0] = serde_json::json!(9.0);
        std::fs::write(&path, json.to_string()).unwrap();
        let e = TfidfVectorizer::load(&path).unwrap_err().to_string();
        assert!(e.contains("does not follow"), "{e}");
    }

    #[test]
    fn a_missing_file_names_the_path() {
        let e = TfidfVectorizer::load("/no/such/model.json")
            .unwrap_err()
            .to_string();
        assert!(e.starts_with("/no/such/model.json"), "{e}");
    }
}
