//! Helpers shared by the integration tests: fixtures written by
//! `tests/sklearn_reference.py`, and the reference corpora.

#![allow(dead_code)]

use std::path::{Path, PathBuf};

use serde_json::Value;
use topica::analyze::{AnalyzerKind, StopWordList, StripAccents};
use topica::vectorize::{
    DocFreq, HashingParams, HashingVectorizer, Norm, TfidfParams, TfidfVectorizer,
};

/// The parsed fixture `tests/fixtures/sklearn/{name}.json`.
pub fn fixture(name: &str) -> Value {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/sklearn")
        .join(format!("{name}.json"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The texts of the 74 paragraphs of `data/news`, as the reference script split them.
pub fn news_texts() -> Vec<String> {
    fixture("news_documents")["documents"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["text"].as_str().unwrap().to_string())
        .collect()
}

/// The reference corpus `file`, or `None` (with the reason printed) when
/// `TOPICA_DATA_DIR` does not lead to it. CI sets it, so these tests run there.
pub fn reference(file: &str) -> Option<PathBuf> {
    match topica::corpus::reference_file(file) {
        Ok(path) => Some(path),
        Err(e) => {
            eprintln!("skipped: {e}");
            None
        }
    }
}

/// The texts of a reference JSONL corpus, in file order.
pub fn reference_texts(file: &str) -> Option<Vec<String>> {
    let path = reference(file)?;
    let corpus = topica::corpus::Corpus::read(&[path], &Default::default()).unwrap();
    Some(corpus.documents.into_iter().map(|d| d.text).collect())
}

fn doc_freq(v: &Value) -> DocFreq {
    if let Some(count) = v.as_u64() {
        DocFreq::Count(count)
    } else {
        DocFreq::Proportion(v.as_f64().unwrap())
    }
}

fn norm(v: Option<&Value>) -> Option<Option<Norm>> {
    v.map(|v| v.as_str().map(|s| s.parse().unwrap()))
}

/// TfidfVectorizer parameters from scikit-learn keyword arguments.
pub fn tfidf_params(kwargs: &Value) -> TfidfParams {
    let mut p = TfidfVectorizer::params();
    for (key, v) in kwargs.as_object().unwrap() {
        p = match key.as_str() {
            "stop_words" => {
                p.stop_words(Some(v.as_str().unwrap().parse::<StopWordList>().unwrap()))
            }
            "sublinear_tf" => p.sublinear_tf(v.as_bool().unwrap()),
            "binary" => p.binary(v.as_bool().unwrap()),
            "smooth_idf" => p.smooth_idf(v.as_bool().unwrap()),
            "use_idf" => p.use_idf(v.as_bool().unwrap()),
            "lowercase" => p.lowercase(v.as_bool().unwrap()),
            "min_df" => p.min_df(doc_freq(v)),
            "max_df" => p.max_df(doc_freq(v)),
            "max_features" => p.max_features(v.as_u64().map(|n| n as usize)),
            "norm" => p.norm(norm(Some(v)).unwrap()),
            "strip_accents" => {
                p.strip_accents(v.as_str().map(|s| s.parse::<StripAccents>().unwrap()))
            }
            "token_pattern" => p.token_pattern(v.as_str().unwrap()),
            "analyzer" => p.analyzer(v.as_str().unwrap().parse::<AnalyzerKind>().unwrap()),
            "ngram_range" => p.ngram_range(
                v[0].as_u64().unwrap() as usize,
                v[1].as_u64().unwrap() as usize,
            ),
            "dtype" => p,
            other => panic!("fixture parameter {other} is not mapped"),
        };
    }
    p
}

/// HashingVectorizer parameters from scikit-learn keyword arguments.
pub fn hashing_params(kwargs: &Value) -> HashingParams {
    let mut p = HashingVectorizer::params();
    let mut analysis = topica::analyze::Analyzer::params();
    for (key, v) in kwargs.as_object().unwrap() {
        match key.as_str() {
            "n_features" => p = p.n_features(v.as_u64().unwrap() as usize),
            "alternate_sign" => p = p.alternate_sign(v.as_bool().unwrap()),
            "binary" => p = p.binary(v.as_bool().unwrap()),
            "norm" => p = p.norm(norm(Some(v)).unwrap()),
            "stop_words" => {
                analysis = analysis.stop_words(Some(v.as_str().unwrap().parse().unwrap()))
            }
            "ngram_range" => {
                analysis = analysis.ngram_range(
                    v[0].as_u64().unwrap() as usize,
                    v[1].as_u64().unwrap() as usize,
                )
            }
            other => panic!("fixture parameter {other} is not mapped"),
        }
    }
    p.analysis(analysis)
}

/// A CSR matrix as the fixtures store it.
pub struct Csr {
    pub shape: (usize, usize),
    pub indptr: Vec<usize>,
    pub indices: Vec<usize>,
    pub data: Vec<f64>,
}

impl Csr {
    pub fn from_fixture(f: &Value) -> Csr {
        let usizes = |v: &Value| {
            v.as_array()
                .unwrap()
                .iter()
                .map(|x| x.as_u64().unwrap() as usize)
                .collect::<Vec<_>>()
        };
        let shape = usizes(&f["shape"]);
        Csr {
            shape: (shape[0], shape[1]),
            indptr: usizes(&f["indptr"]),
            indices: usizes(&f["indices"]),
            data: f["data"]
                .as_array()
                .unwrap()
                .iter()
                .map(|x| x.as_f64().unwrap())
                .collect(),
        }
    }

    pub fn from_sprs<T: topica::vectorize::Real>(m: &topica::vectorize::SparseMatrix<T>) -> Csr {
        Csr {
            shape: m.shape(),
            indptr: m.indptr().raw_storage().to_vec(),
            indices: m.indices().iter().map(|&i| i as usize).collect(),
            data: m.data().iter().map(|&x| x.widen()).collect(),
        }
    }

    /// Asserts the same shape and sparsity pattern and values within `tol`,
    /// saying where they first differ.
    pub fn assert_close(&self, expected: &Csr, tol: f64, what: &str) {
        assert_eq!(self.shape, expected.shape, "{what}: shape");
        for row in 0..self.shape.0 {
            let (a, b) = (
                self.indptr[row]..self.indptr[row + 1],
                expected.indptr[row]..expected.indptr[row + 1],
            );
            assert_eq!(
                &self.indices[a.clone()],
                &expected.indices[b.clone()],
                "{what}: row {row} has other columns"
            );
            for (x, y) in self.data[a].iter().zip(&expected.data[b]) {
                assert!(
                    (x - y).abs() <= tol,
                    "{what}: row {row}: {x} against scikit-learn's {y}"
                );
            }
        }
    }
}
