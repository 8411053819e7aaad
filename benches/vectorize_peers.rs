//! topica against its Rust peer, in process, on all of 20 Newsgroups.
//!
//! ```text
//! TOPICA_DATA_DIR=../shared/data cargo bench --bench vectorize_peers
//! TOPICA_PEER_RUNS=3 TOPICA_DATA_DIR=../shared/data cargo bench --bench vectorize_peers
//! ```
//!
//! Times, on the same texts already in memory (reading is not timed):
//!
//! - `topica_fit_transform_default`: `TfidfVectorizer::params().fit_transform`
//!   (scikit-learn's defaults), on every core;
//! - `topica_fit_transform_stem_english`: the same with English stemming;
//! - the same two on a one-thread rayon pool (`..._1thread`), to show what
//!   the parallel counting contributes;
//! - `linfa_tfidf_fit_transform_default`: linfa-preprocessing 0.8's
//!   `TfIdfVectorizer::default()`, `fit` then `transform`.
//!
//! Each is run `TOPICA_PEER_RUNS` times (default 7; linfa's
//! `TOPICA_PEER_LINFA_RUNS` times, by default as many), after one untimed
//! warm-up run for topica's (a run takes a fraction of a second; linfa's take
//! seconds and have none), and printed as one JSON object a line on standard output:
//! `{"name": ..., "median_s": ..., "runs": [...], "nnz": ..., "n_terms": ...}`.
//! Progress goes to standard error. `benches/compare_vectorize.py` runs this
//! with `TOPICA_PEER_RUNS=5 TOPICA_PEER_LINFA_RUNS=1` once a round, between scikit-learn's runs, and
//! puts the figures in BENCHMARKS.md.
//!
//! The only argument looked at is `--bench`, which `cargo bench` passes: without
//! it (as under `cargo test --benches`) nothing is measured. Without the data
//! (`TOPICA_DATA_DIR` unset or the file missing) it says what is missing and
//! exits successfully.
//!
//! linfa-preprocessing is not scikit-learn: by default it NFKD-normalises
//! before lowercasing, tokenizes with the `regex` crate's `\b\w\w+\b` (whose
//! `\w` and `\b` are Unicode's, not Python's), does not normalise rows (no l2),
//! and numbers its columns in hash-map order. Its idf formula is the smooth one
//! (`ln((1 + n) / (1 + df)) + 1`), but `transform` takes `df` from the
//! documents it transforms, not from those it was fitted on (the same here).
//! So its vocabulary and matrix differ slightly from scikit-learn's; the
//! numbers of terms and non-zeros are printed to show by how much.

use std::time::Instant;

use linfa_preprocessing::tf_idf_vectorization::TfIdfVectorizer as LinfaTfIdf;
use ndarray::Array1;
use serde_json::json;
use topica::analyze::Language;
use topica::corpus::{Corpus, reference_file};
use topica::vectorize::{TfidfParams, TfidfVectorizer};

/// The environment variable giving the number of runs of each measurement.
const RUNS_VAR: &str = "TOPICA_PEER_RUNS";

/// The environment variable giving the number of runs of linfa's measurement
/// (by default `TOPICA_PEER_RUNS`): one of linfa's runs takes as long as
/// forty of topica's.
const LINFA_RUNS_VAR: &str = "TOPICA_PEER_LINFA_RUNS";

/// The number of runs the environment variable `var` asks for, or `default`;
/// exits with status 2 on a value that is not a number of runs.
fn runs_from(var: &str, default: usize) -> usize {
    match std::env::var(var) {
        Ok(s) => match s.trim().parse::<usize>() {
            Ok(n) if n >= 1 => n,
            _ => {
                eprintln!("vectorize_peers: {var}={s:?} is not a number of runs (>= 1)");
                std::process::exit(2);
            }
        },
        Err(_) => default,
    }
}

/// scikit-learn 1.9.1's `TfidfVectorizer()` on all of 20 Newsgroups.
const DEFAULT_TERMS: usize = 173_762;
const DEFAULT_NNZ: usize = 2_952_534;

/// topica with English stemming on all of 20 Newsgroups (PyStemmer 3.1.0 under
/// scikit-learn gives 150,071 terms and 2,829,686 non-zeros: rust-stemmers
/// follows an older Snowball English, see BENCHMARKS.md).
const STEM_TERMS: usize = 150_095;
const STEM_NNZ: usize = 2_829_506;

/// One measurement: every run's seconds, and the shape of the last result.
struct Measurement {
    name: &'static str,
    runs: Vec<f64>,
    nnz: usize,
    n_terms: usize,
}

impl Measurement {
    fn median(&self) -> f64 {
        let mut sorted = self.runs.clone();
        sorted.sort_by(f64::total_cmp);
        let n = sorted.len();
        if n % 2 == 1 {
            sorted[n / 2]
        } else {
            (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0
        }
    }

    fn print(&self) {
        let line = json!({
            "name": self.name,
            "median_s": self.median(),
            "runs": self.runs,
            "nnz": self.nnz,
            "n_terms": self.n_terms,
        });
        println!("{line}");
    }
}

/// Runs `f` `warm_up` times untimed, then `runs` times, timing each run; `f`
/// returns `(nnz, n_terms)` of its result, which is dropped before the clock
/// stops (as scikit-learn's is).
fn measure(
    name: &'static str,
    warm_up: usize,
    runs: usize,
    mut f: impl FnMut() -> (usize, usize),
) -> Measurement {
    for _ in 0..warm_up {
        f();
    }
    let mut times = Vec::with_capacity(runs);
    let mut shape = (0, 0);
    for run in 0..runs {
        let start = Instant::now();
        shape = f();
        let seconds = start.elapsed().as_secs_f64();
        eprintln!("{name}: run {}/{runs}: {seconds:.3} s", run + 1);
        times.push(seconds);
    }
    let m = Measurement {
        name,
        runs: times,
        nnz: shape.0,
        n_terms: shape.1,
    };
    m.print();
    m
}

/// topica's `fit_transform` with `params`, checked against the expected shape.
fn topica(params: &TfidfParams, texts: &[&str], terms: usize, nnz: usize) -> (usize, usize) {
    let (_model, x) = params.fit_transform(texts).expect("20 Newsgroups fits");
    assert_eq!(x.n_documents(), texts.len());
    assert_eq!(x.n_terms(), terms);
    assert_eq!(x.nnz(), nnz);
    (x.nnz(), x.n_terms())
}

fn main() {
    if !std::env::args().any(|a| a == "--bench") {
        eprintln!("vectorize_peers: measures only under `cargo bench --bench vectorize_peers`");
        return;
    }
    let runs = runs_from(RUNS_VAR, 7);
    let linfa_runs = runs_from(LINFA_RUNS_VAR, runs);
    let path = match reference_file("20newsgroups.jsonl") {
        Ok(path) => path,
        Err(e) => {
            eprintln!("vectorize_peers: skipped: {e}");
            return;
        }
    };
    let corpus = Corpus::read(&[&path], &Default::default()).expect("20 Newsgroups reads");
    let texts = corpus.texts();
    let bytes: usize = texts.iter().map(|t| t.len()).sum();
    eprintln!(
        "vectorize_peers: {} documents, {bytes} bytes of text, {runs} runs each, {} threads",
        texts.len(),
        rayon::current_num_threads()
    );

    let defaults = TfidfVectorizer::params();
    let stem = TfidfVectorizer::params().stem(Some(Language::English));
    measure("topica_fit_transform_default", 1, runs, || {
        topica(&defaults, &texts, DEFAULT_TERMS, DEFAULT_NNZ)
    });
    measure("topica_fit_transform_stem_english", 1, runs, || {
        topica(&stem, &texts, STEM_TERMS, STEM_NNZ)
    });

    let one_thread = rayon::ThreadPoolBuilder::new()
        .num_threads(1)
        .build()
        .expect("a one-thread pool");
    one_thread.install(|| {
        measure("topica_fit_transform_default_1thread", 1, runs, || {
            topica(&defaults, &texts, DEFAULT_TERMS, DEFAULT_NNZ)
        });
        measure("topica_fit_transform_stem_english_1thread", 1, runs, || {
            topica(&stem, &texts, STEM_TERMS, STEM_NNZ)
        });
    });

    // linfa takes owned strings; building them is not timed.
    let owned: Array1<String> = texts.iter().map(|t| t.to_string()).collect();
    drop(texts);
    drop(corpus);
    measure("linfa_tfidf_fit_transform_default", 0, linfa_runs, || {
        let fitted = LinfaTfIdf::default().fit(&owned).expect("linfa fits");
        let x = fitted.transform(&owned).expect("linfa transforms");
        assert_eq!(x.rows(), owned.len());
        assert_eq!(x.cols(), fitted.nentries());
        (x.nnz(), fitted.nentries())
    });
}
