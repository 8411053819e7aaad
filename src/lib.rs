//! topica groups paragraphs of text into topics and measures how similar they
//! are. This crate is its library; the `topica` binary is a thin command line
//! over it.
//!
//! The modules follow the data:
//!
//! - [`corpus`]: files, directories, JSON Lines, CSV and standard input become
//!   [`Document`](corpus::Document)s, plain text split into paragraphs;
//! - [`analyze`]: text becomes tokens, with scikit-learn's semantics
//!   (lowercasing, its token pattern, stop words, n-grams) plus Snowball stemming;
//! - [`vectorize`]: documents become sparse TF-IDF vectors, exactly as
//!   scikit-learn's `TfidfVectorizer` computes them, or hashed vectors as its
//!   `HashingVectorizer` does;
//! - [`reduce`]: sparse rows become short dense ones (LSA);
//! - [`cluster`]: vectors become topics (k-means, hierarchical);
//! - [`topics`]: topics get names (c-TF-IDF top terms, guided naming);
//! - [`similarity`]: nearest documents, queries by text, the all-pairs
//!   neighbour graph and near-duplicates (cosine, TF-IDF or LSA space);
//! - [`metrics`]: clusterings are scored (ARI, NMI, V-measure, silhouette);
//! - [`report`]: the clustering report, and writing files whole or not at all;
//! - [`job`]: the main job, `topica cluster`, as one call composing the above.
//!
//! # Example
//!
//! ```
//! use topica::analyze::StopWordList;
//! use topica::corpus::{Corpus, ReadOptions};
//! use topica::vectorize::TfidfVectorizer;
//!
//! // The three bundled news articles: 74 paragraphs.
//! let corpus = Corpus::read(&["data/news"], &ReadOptions::default())?;
//! assert_eq!(corpus.documents.len(), 74);
//!
//! // scikit-learn's TfidfVectorizer(stop_words="english", sublinear_tf=True,
//! // min_df=2, max_df=0.5, ngram_range=(1, 2)).
//! let params = TfidfVectorizer::params()
//!     .stop_words(Some(StopWordList::English))
//!     .sublinear_tf(true)
//!     .min_df(2u64)
//!     .max_df(0.5)
//!     .ngram_range(1, 2);
//! let (model, x) = params.fit_transform(&corpus.texts())?;
//! assert_eq!(x.shape(), (74, 310));
//! assert!(model.vocabulary().get("home office").is_some());
//!
//! // New text goes through the fitted vocabulary and idf.
//! let y = model.transform(&["The Home Office monitors Musk's posts"]);
//! assert_eq!(y.n_terms(), 310);
//! # Ok::<(), topica::Error>(())
//! ```
//!
//! # Testing
//!
//! `cargo test --release` runs everything; with `TOPICA_DATA_DIR` pointing at
//! the reference corpora (see README.md) it also runs the 20 Newsgroups checks.
//!
//! - **Against scikit-learn.** `tests/sklearn_reference.py` writes fixtures
//!   from scikit-learn 1.9.1 itself (`tests/fixtures/sklearn/`):
//!   `tests/sklearn_fixtures.rs` checks every vectorizer configuration on the
//!   news paragraphs (vocabulary equal, values within 1e-12), tokenizing,
//!   lowercasing and accent stripping on 656 tricky and random strings, the
//!   lowercase of every code point, and summaries of the full 20 Newsgroups
//!   matrices (vocabulary hash, shape, non-zeros, sampled rows within 1e-9).
//!   CI also runs the script's `check`, which compares the `topica vectorize`
//!   output on all of 20 Newsgroups with scikit-learn live.
//! - **Clustering against its references.** `tests/metrics.rs` checks ARI,
//!   NMI, homogeneity, completeness, V-measure and the cosine silhouette
//!   against scikit-learn to 1e-9 (`tests/sklearn_metrics.py`);
//!   `tests/hierarchical.rs` the linkage matrices against scipy's
//!   (`tests/scipy_linkage.py`); `tests/reduce.rs` the truncated SVD against
//!   exact and scikit-learn's values (`tests/sklearn_svd.py`);
//!   `tests/topics.rs` c-TF-IDF against BERTopic's formula
//!   (`tests/bertopic_ctfidf.py`); `tests/cluster_cli.rs` the whole
//!   `topica cluster` job on `data/news` against the hand labels.
//! - **Fast paths against reference paths.** The vectorizer's counting is
//!   checked against [`Analyzer::analyze`](analyze::Analyzer::analyze), the
//!   block tokenizer against a character-by-character one (property tests),
//!   SIMD classification against a table.
//! - **Determinism.** Outputs are compared byte for byte across thread counts.
//! - **The command line.** `tests/cli.rs` runs the binary on every kind of bad
//!   input (exit status and the one-line message) and on the happy paths.
//! - **Bad and huge input** (README.md, "Limits"). `tests/properties.rs`
//!   states the invariants as proptest properties (unit rows, sorted and
//!   pruned vocabularies, k-means objectives, monotone linkages, cosines in
//!   [-1, 1] at every magnitude, ARI); `tests/hostile.rs` feeds the readers
//!   mixed encodings, NUL bytes, ragged CSV, unreadable files and, in release
//!   builds, a 200 MB paragraph, a million paragraphs and a 50 MB JSON line;
//!   `tests/kill_mid_write.rs` kills `topica vectorize` while it writes and
//!   finds its outputs absent or whole; `tests/fuzz_replay.rs` replays the
//!   fuzzers' kept inputs (`fuzz/`) through the same checks as the fuzzers.

#![deny(missing_docs)]

pub mod analyze;
pub mod cluster;
pub mod corpus;
pub mod error;
pub mod job;
pub mod metrics;
pub mod reduce;
pub mod report;
pub mod similarity;
pub mod topics;
pub mod vectorize;

pub use crate::error::{Error, ParamError, Result};
