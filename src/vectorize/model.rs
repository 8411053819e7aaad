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
    /// another format version, or is inconsistent (see
    /// [`load_from_str`](Self::load_from_str)).
    pub fn load(path: impl AsRef<Path>) -> Result<TfidfVectorizer> {
        let path = path.as_ref();
        // Gunzipped when named `.gz`, as outputs so named are written.
        let text = crate::corpus::read_text(path)?;
        Self::load_from_str(&text, path)
    }

    /// Parses a model saved by [`save`](Self::save) from its text; `origin`
    /// is the file named in errors.
    ///
    /// Fails when the text is not a topica TF-IDF model, has another format
    /// version, or is inconsistent: lengths that differ, duplicate or empty
    /// terms, a vocabulary out of order (a fitted vocabulary is sorted; a
    /// fixed one must be the `vocabulary` parameter), a document frequency
    /// above the number of documents (or 0 for a fitted term), a number of
    /// documents beyond 2^53, a term with no document under `smooth_idf =
    /// false` (its idf would be infinite), or an idf that does not follow
    /// from the document frequencies. A loaded model never produces NaN.
    ///
    /// ```
    /// use std::path::Path;
    /// use topica::corpus::{Corpus, ReadOptions};
    /// use topica::vectorize::TfidfVectorizer;
    ///
    /// let corpus = Corpus::read(&["data/news"], &ReadOptions::default())?;
    /// let model = TfidfVectorizer::params().fit(&corpus.texts())?;
    /// let mut saved = Vec::new();
    /// model.save_to(&mut saved)?;
    /// let text = String::from_utf8(saved).unwrap();
    /// let loaded = TfidfVectorizer::load_from_str(&text, Path::new("news.json"))?;
    /// assert_eq!(loaded.transform(&corpus.texts()), model.transform(&corpus.texts()));
    ///
    /// let edited = text.replace("\"n_documents\":74", "\"n_documents\":1");
    /// let e = TfidfVectorizer::load_from_str(&edited, Path::new("news.json")).unwrap_err();
    /// assert!(e.to_string().starts_with("news.json: "), "{e}");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn load_from_str(text: &str, origin: &Path) -> Result<TfidfVectorizer> {
        let model_error = |message: String| Error::Model {
            path: origin.to_path_buf(),
            message,
        };
        let header: Header = serde_json::from_str(text)
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
            serde_json::from_str(text).map_err(|e| model_error(format!("invalid model: {e}")))?;
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
        check_counts(&file).map_err(model_error)?;
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

/// The largest number of documents a model may claim: counts up to 2^53 are
/// exact in `f64`, and `n + 1` cannot overflow.
const MAX_DOCUMENTS: usize = 1 << 53;

/// Checks the vocabulary and counts of a parsed model file (a hand-edited
/// file must be refused here, not fail later); the error says what is wrong.
fn check_counts(file: &ModelFile) -> std::result::Result<(), String> {
    let terms = file.vocabulary.terms();
    if u32::try_from(terms.len()).is_err() {
        return Err(format!("{} terms, more than a model can hold", terms.len()));
    }
    let fixed = file.params.vocabulary.as_deref();
    match fixed {
        Some(fixed) => {
            if fixed != terms {
                return Err(
                    "its vocabulary is not the fixed `vocabulary` of its parameters".into(),
                );
            }
        }
        None => {
            if let Some(i) = terms.windows(2).position(|p| p[0] >= p[1]) {
                return Err(format!(
                    "its vocabulary is not sorted without duplicates (`{}` then `{}` at {})",
                    terms[i],
                    terms[i + 1],
                    i + 1
                ));
            }
        }
    }
    let n = file.n_documents;
    if n > MAX_DOCUMENTS {
        return Err(format!(
            "n_documents is {n}, more than {MAX_DOCUMENTS} (was the file edited?)"
        ));
    }
    for (i, &df) in file.document_frequency.iter().enumerate() {
        if df > n as u64 {
            return Err(format!(
                "term `{}` is in {df} documents, more than the model's {n} (was the file edited?)",
                terms[i]
            ));
        }
        if df == 0 && fixed.is_none() {
            return Err(format!(
                "term `{}` is in no document, but a fitted vocabulary only has terms seen \
                 (was the file edited?)",
                terms[i]
            ));
        }
        if df == 0 && file.params.use_idf && !file.params.smooth_idf {
            return Err(format!(
                "term `{}` is in no document, so its idf is infinite without smooth_idf",
                terms[i]
            ));
        }
    }
    Ok(())
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

    /// The saved model as JSON, edited by `edit`, then loaded from text: the
    /// error message.
    fn load_edited(edit: impl FnOnce(&mut serde_json::Value)) -> String {
        let dir = tempfile::tempdir().unwrap();
        let path = saved_model(dir.path());
        let mut json: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
        edit(&mut json);
        let e = TfidfVectorizer::load_from_str(&json.to_string(), Path::new("m.json"))
            .unwrap_err()
            .to_string();
        assert!(e.starts_with("m.json: "), "{e}");
        e
    }

    #[test]
    fn absurd_hand_edited_models_are_refused_when_loading() {
        use serde_json::json;
        let e = load_edited(|m| m["n_documents"] = json!(u64::MAX));
        assert!(e.contains("n_documents is"), "{e}");
        let e = load_edited(|m| m["document_frequency"][0] = json!(-1));
        assert!(e.contains("invalid model"), "{e}");
        let e = load_edited(|m| m["document_frequency"][0] = json!(u64::MAX));
        assert!(e.contains("more than the model's 2"), "{e}");
        let e = load_edited(|m| m["document_frequency"][0] = json!(0));
        assert!(e.contains("is in no document"), "{e}");
        let e = load_edited(|m| m["idf"][0] = serde_json::Value::Null);
        assert!(e.contains("invalid model"), "{e}");
        let e = load_edited(|m| m["vocabulary"][1] = json!("one"));
        assert!(e.contains("not sorted without duplicates"), "{e}");
        let e = load_edited(|m| m["vocabulary"] = json!(["two", "three", "one"]));
        assert!(e.contains("not sorted"), "{e}");
        let e = load_edited(|m| m["params"]["vocabulary"] = json!(["one", "two"]));
        assert!(e.contains("fixed `vocabulary`"), "{e}");
        let e = load_edited(|m| m["params"]["analysis"]["ngram_range"] = json!([0, 2]));
        assert!(e.contains("invalid parameters"), "{e}");
    }

    #[test]
    fn a_missing_file_names_the_path() {
        let e = TfidfVectorizer::load("/no/such/model.json")
            .unwrap_err()
            .to_string();
        assert!(e.starts_with("/no/such/model.json"), "{e}");
    }
}
