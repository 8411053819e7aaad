//! Similarity: nearest documents, queries by free text, the all-pairs
//! k-nearest-neighbour graph and near-duplicate groups (issue 4).
//!
//! This module owns the step after vectorizing that compares documents with
//! each other rather than grouping them: a [`SimilarityIndex`] is built from
//! a fitted [`TfidfVectorizer`] and its matrix, in TF-IDF space or in LSA
//! space ([`Space`]), and answers queries by document id, by text (analysed
//! with the fitted model) and in batch.
//!
//! # Scores
//!
//! Every score is a cosine similarity, as scikit-learn's
//! `cosine_similarity` computes it (rows are L2-normalised again when the
//! index is built, so any matrix works). Only documents scoring above 0 are
//! hits: a zero vector (a paragraph with no term left) has no neighbours and
//! is nobody's neighbour. Hits come best first, ties by row index. No score
//! is ever NaN.
//!
//! # All pairs
//!
//! [`SimilarityIndex::neighbors`] and [`SimilarityIndex::duplicates`] never
//! build an `n x n` matrix. In TF-IDF space each row is scored against the
//! others through an inverted index (postings by term) into one reusable
//! accumulator per task, without scattering the long postings of common
//! terms: bounds on what those terms can add show which rows cannot make
//! the row's best `top` (or reach the threshold), and only the others are
//! scored exactly, so the result is the exhaustive one (see `prune.rs`,
//! which also says why a score may differ from a free-text query's in the
//! last bit); in LSA space
//! blocks of 256 rows are multiplied by the matrix and pruned the same way.
//! Memory grows with `n * top`. Rows are processed in parallel with rayon, and
//! every score sums in a fixed order: the results are identical whatever the
//! number of threads.
//!
//! # Example
//!
//! ```
//! use topica::corpus::{Corpus, ReadOptions};
//! use topica::similarity::SimilarityIndex;
//! use topica::vectorize::TfidfVectorizer;
//!
//! let corpus = Corpus::read(&["data/news"], &ReadOptions::default())?;
//! let (model, x) = TfidfVectorizer::params().fit_transform(&corpus.texts())?;
//! let index = SimilarityIndex::params().build(
//!     &model,
//!     x.matrix(),
//!     corpus.documents.iter().map(|d| d.id.clone()).collect(),
//!     corpus.documents.iter().map(|d| d.source.to_string()).collect(),
//! )?;
//!
//! let found = index.query_text("Home Office spokesperson", 3, 0.0)?;
//! assert_eq!(found.hits.len(), 3);
//! assert!(found.hits[0].score >= found.hits[1].score);
//! # Ok::<(), topica::Error>(())
//! ```

mod duplicates;
mod prune;
mod suggest;
mod topk;
mod vectors;

use std::collections::HashMap;
use std::collections::hash_map::Entry;

use rayon::prelude::*;
use serde::Serialize;

pub use self::duplicates::DuplicateGroup;
use self::vectors::{DenseVectors, SparseVectors, Vectors};
use crate::error::{Error, ParamError, Result};
use crate::reduce::{TruncatedSvd, lsa_components};
use crate::vectorize::{SparseMatrix, TfidfVectorizer};

/// Where documents are compared.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Space {
    /// The TF-IDF vectors themselves: documents are similar when they share
    /// (weighted) terms.
    #[default]
    Tfidf,
    /// The TF-IDF vectors reduced by a truncated SVD (latent semantic
    /// analysis) and L2-normalised: documents can be similar in different
    /// words.
    Lsa,
}

impl std::str::FromStr for Space {
    type Err = ParamError;

    /// `tfidf` or `lsa`.
    fn from_str(s: &str) -> Result<Self, ParamError> {
        match s {
            "tfidf" => Ok(Space::Tfidf),
            "lsa" => Ok(Space::Lsa),
            other => Err(ParamError::new(
                "space",
                format!("expected tfidf or lsa, got {other:?}"),
            )),
        }
    }
}

/// One similar document.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Hit {
    /// Its row in the index.
    pub index: usize,
    /// Its id.
    pub id: String,
    /// Its cosine similarity to the query, in `(0, 1]`.
    pub score: f64,
}

/// The answer to a query by text.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct QueryResult {
    /// The most similar documents, best first.
    pub hits: Vec<Hit>,
    /// Why there are no hits when the query itself is the reason (no term of
    /// it is in the vocabulary).
    pub warning: Option<String>,
}

/// The parameters of a [`SimilarityIndex`]; see [`SimilarityIndex::params`].
#[derive(Debug, Clone, PartialEq)]
pub struct SimilarityParams {
    space: Space,
    n_components: usize,
    seed: u64,
}

impl Default for SimilarityParams {
    /// TF-IDF space; for LSA, 100 components and seed 0.
    fn default() -> Self {
        SimilarityParams {
            space: Space::Tfidf,
            n_components: 100,
            seed: 0,
        }
    }
}

impl SimilarityParams {
    /// Where documents are compared (default [`Space::Tfidf`]).
    pub fn space(mut self, space: Space) -> Self {
        self.space = space;
        self
    }

    /// The number of LSA dimensions (default 100; LSA space only).
    pub fn n_components(mut self, n_components: usize) -> Self {
        self.n_components = n_components;
        self
    }

    /// The seed of the randomized SVD (default 0; LSA space only).
    pub fn seed(mut self, seed: u64) -> Self {
        self.seed = seed;
        self
    }

    /// The space.
    pub fn get_space(&self) -> Space {
        self.space
    }

    /// The number of LSA dimensions.
    pub fn get_n_components(&self) -> usize {
        self.n_components
    }

    /// The seed.
    pub fn get_seed(&self) -> u64 {
        self.seed
    }

    /// Checks the parameters without touching data.
    ///
    /// ```
    /// use topica::similarity::{SimilarityIndex, Space};
    ///
    /// assert!(SimilarityIndex::params().check().is_ok());
    /// let bad = SimilarityIndex::params().space(Space::Lsa).n_components(0);
    /// assert_eq!(bad.check().unwrap_err().name, "n_components");
    /// ```
    pub fn check(&self) -> Result<(), ParamError> {
        if self.space == Space::Lsa && self.n_components == 0 {
            return Err(ParamError::new("n_components", "must be at least 1, got 0"));
        }
        Ok(())
    }

    /// Builds the index of the documents whose TF-IDF matrix (by `model`) is
    /// `x`, one id and one source per row. The model is kept (cloned; its
    /// vocabulary is shared) to analyse text queries.
    ///
    /// In LSA space, `x` is reduced by
    /// `TruncatedSvd::params(n_components).seed(seed)`, `n_components` capped
    /// by [`lsa_components`] (one fewer than
    /// the smaller side of `x`), as `topica cluster --method lsa-kmeans`
    /// does.
    ///
    /// Fails when the parameters do not [`check`](Self::check), when `ids` or
    /// `sources` do not have one entry per row, or when `x` does not have one
    /// column per term of `model`. When ids repeat, queries by id find the
    /// first.
    ///
    /// ```
    /// use topica::corpus::{Corpus, ReadOptions};
    /// use topica::similarity::{SimilarityIndex, Space};
    /// use topica::vectorize::TfidfVectorizer;
    ///
    /// let corpus = Corpus::read(&["data/news"], &ReadOptions::default())?;
    /// let (model, x) = TfidfVectorizer::params().fit_transform(&corpus.texts())?;
    /// let ids: Vec<String> = corpus.documents.iter().map(|d| d.id.clone()).collect();
    /// let sources: Vec<String> = corpus.documents.iter().map(|d| d.source.to_string()).collect();
    /// let index = SimilarityIndex::params()
    ///     .space(Space::Lsa)
    ///     .n_components(20)
    ///     .build(&model, x.matrix(), ids, sources)?;
    /// assert_eq!(index.len(), 74);
    /// assert_eq!(index.space(), Space::Lsa);
    /// # Ok::<(), topica::Error>(())
    /// ```
    pub fn build(
        &self,
        model: &TfidfVectorizer,
        x: &SparseMatrix<f64>,
        ids: Vec<String>,
        sources: Vec<String>,
    ) -> Result<SimilarityIndex> {
        self.check()?;
        let (n, d) = x.shape();
        if ids.len() != n || sources.len() != n {
            return Err(Error::Fit(format!(
                "the matrix has {n} rows but {} ids and {} sources were given: \
                 give one id and one source per document",
                ids.len(),
                sources.len()
            )));
        }
        let terms = model.vocabulary().len();
        if d != terms {
            return Err(Error::Fit(format!(
                "the matrix has {d} columns but the model has {terms} terms: \
                 build the index from the model's own matrix"
            )));
        }
        crate::reduce::check_finite(x)?;
        let vectors = match self.space {
            Space::Tfidf => Vectors::Sparse(SparseVectors::new(x)),
            Space::Lsa => {
                let n_components = lsa_components(self.n_components, x.rows(), x.cols());
                let (svd, z) = TruncatedSvd::params(n_components)
                    .seed(self.seed)
                    .fit_transform(x)?;
                Vectors::Dense(DenseVectors::new(svd, z))
            }
        };
        let mut lookup = HashMap::with_capacity(n);
        for (i, id) in ids.iter().enumerate() {
            if let Entry::Vacant(e) = lookup.entry(id.clone()) {
                e.insert(i);
            }
        }
        Ok(SimilarityIndex {
            params: self.clone(),
            model: model.clone(),
            vectors,
            ids,
            sources,
            lookup,
        })
    }
}

/// Documents indexed for similarity queries; see the [module](self)
/// documentation.
#[derive(Debug, Clone)]
pub struct SimilarityIndex {
    params: SimilarityParams,
    model: TfidfVectorizer,
    vectors: Vectors,
    ids: Vec<String>,
    sources: Vec<String>,
    lookup: HashMap<String, usize>,
}

fn check_top(top: usize) -> Result<(), ParamError> {
    if top == 0 {
        return Err(ParamError::new(
            "top",
            "must be at least 1, got 0 (how many similar documents to list)",
        ));
    }
    Ok(())
}

fn check_min_score(min_score: f64) -> Result<(), ParamError> {
    if min_score.is_nan() {
        return Err(ParamError::new("min_score", "must be a number, got NaN"));
    }
    Ok(())
}

impl SimilarityIndex {
    /// The default parameters: TF-IDF space.
    pub fn params() -> SimilarityParams {
        SimilarityParams::default()
    }

    /// The parameters it was built with.
    pub fn get_params(&self) -> &SimilarityParams {
        &self.params
    }

    /// The space documents are compared in.
    pub fn space(&self) -> Space {
        self.params.space
    }

    /// The fitted vectorizer that analyses text queries.
    pub fn model(&self) -> &TfidfVectorizer {
        &self.model
    }

    /// The ids, one per row.
    pub fn ids(&self) -> &[String] {
        &self.ids
    }

    /// The sources, one per row.
    pub fn sources(&self) -> &[String] {
        &self.sources
    }

    /// The number of documents.
    pub fn len(&self) -> usize {
        self.ids.len()
    }

    /// Whether there are no documents.
    pub fn is_empty(&self) -> bool {
        self.ids.is_empty()
    }

    /// The row of document `id`, if any (the first, when ids repeat).
    pub fn position(&self, id: &str) -> Option<usize> {
        self.lookup.get(id).copied()
    }

    fn hits(&self, found: Vec<(usize, f64)>, min_score: f64) -> Vec<Hit> {
        found
            .into_iter()
            .take_while(|&(_, s)| s >= min_score)
            .map(|(index, score)| Hit {
                index,
                id: self.ids[index].clone(),
                score,
            })
            .collect()
    }

    /// The `top` documents most similar to document `id` (itself excluded)
    /// scoring at least `min_score`, best first.
    ///
    /// Fails when `top` is 0, `min_score` is NaN, or no document has this id
    /// (the message names it and suggests up to three close ids).
    ///
    /// ```
    /// use topica::corpus::{Corpus, ReadOptions};
    /// use topica::similarity::SimilarityIndex;
    /// use topica::vectorize::TfidfVectorizer;
    ///
    /// let corpus = Corpus::read(&["data/news"], &ReadOptions::default())?;
    /// let (model, x) = TfidfVectorizer::params().fit_transform(&corpus.texts())?;
    /// let ids: Vec<String> = corpus.documents.iter().map(|d| d.id.clone()).collect();
    /// let sources: Vec<String> = corpus.documents.iter().map(|d| d.source.to_string()).collect();
    /// let index = SimilarityIndex::params().build(&model, x.matrix(), ids, sources)?;
    ///
    /// // The Rupert Lowe line that both outlets printed.
    /// let lowe = "01-gript-home-office-monitors-musk.txt#15";
    /// let hits = index.query_id(lowe, 1, 0.8)?;
    /// assert_eq!(hits[0].id, "02-bbc-officials-monitor-musk-posts.txt#15");
    ///
    /// let err = index.query_id("01-gript-home-office-monitors-musk.txt#100", 5, 0.0);
    /// assert!(err.unwrap_err().to_string().contains("did you mean"));
    /// # Ok::<(), topica::Error>(())
    /// ```
    pub fn query_id(&self, id: &str, top: usize, min_score: f64) -> Result<Vec<Hit>> {
        check_top(top)?;
        check_min_score(min_score)?;
        let Some(row) = self.position(id) else {
            let close = suggest::close_ids(id, &self.ids, 3);
            let hint = if close.is_empty() {
                String::new()
            } else {
                let quoted: Vec<String> = close.iter().map(|c| format!("{c:?}")).collect();
                format!("; did you mean {}?", quoted.join(", "))
            };
            return Err(Error::Fit(format!(
                "no document has the id {id:?} among the {} indexed{hint}",
                self.len()
            )));
        };
        Ok(self.hits(self.vectors.row_search(row, Some(top)), min_score))
    }

    /// The `top` documents most similar to `text` (analysed with the fitted
    /// model) scoring at least `min_score`, best first. A text with no term
    /// in the vocabulary has no hits and a warning saying so.
    ///
    /// Fails when `top` is 0 or `min_score` is NaN.
    ///
    /// ```
    /// use topica::corpus::{Corpus, ReadOptions};
    /// use topica::similarity::SimilarityIndex;
    /// use topica::vectorize::TfidfVectorizer;
    ///
    /// let corpus = Corpus::read(&["data/news"], &ReadOptions::default())?;
    /// let (model, x) = TfidfVectorizer::params().fit_transform(&corpus.texts())?;
    /// let ids: Vec<String> = corpus.documents.iter().map(|d| d.id.clone()).collect();
    /// let sources: Vec<String> = corpus.documents.iter().map(|d| d.source.to_string()).collect();
    /// let index = SimilarityIndex::params().build(&model, x.matrix(), ids, sources)?;
    ///
    /// let found = index.query_text("foreign rapists inquiry", 2, 0.0)?;
    /// assert!(found.hits[0].id.ends_with("#16"));
    /// assert!(found.warning.is_none());
    ///
    /// let nothing = index.query_text("zxqv wombat", 2, 0.0)?;
    /// assert!(nothing.hits.is_empty() && nothing.warning.is_some());
    /// # Ok::<(), topica::Error>(())
    /// ```
    pub fn query_text(&self, text: &str, top: usize, min_score: f64) -> Result<QueryResult> {
        check_top(top)?;
        check_min_score(min_score)?;
        self.answer(text, top, min_score)
    }

    fn answer(&self, text: &str, top: usize, min_score: f64) -> Result<QueryResult> {
        let x = self.model.transform(&[text]);
        let Some(query) = self.vectors.query(x.matrix())? else {
            let warning = if x.nnz() == 0 {
                "no term of the query is in the vocabulary: nothing to compare".to_string()
            } else {
                "the query projects to zero in LSA space: nothing to compare".to_string()
            };
            return Ok(QueryResult {
                hits: Vec::new(),
                warning: Some(warning),
            });
        };
        Ok(QueryResult {
            hits: self.hits(self.vectors.search(&query, top), min_score),
            warning: None,
        })
    }

    /// [`query_text`](Self::query_text) for each of `texts`, in parallel;
    /// the answers in the order of `texts`.
    ///
    /// ```
    /// use topica::corpus::{Corpus, ReadOptions};
    /// use topica::similarity::SimilarityIndex;
    /// use topica::vectorize::TfidfVectorizer;
    ///
    /// let corpus = Corpus::read(&["data/news"], &ReadOptions::default())?;
    /// let (model, x) = TfidfVectorizer::params().fit_transform(&corpus.texts())?;
    /// let ids: Vec<String> = corpus.documents.iter().map(|d| d.id.clone()).collect();
    /// let sources: Vec<String> = corpus.documents.iter().map(|d| d.source.to_string()).collect();
    /// let index = SimilarityIndex::params().build(&model, x.matrix(), ids, sources)?;
    ///
    /// let answers = index.query_texts(&["Musk", "Haigh quit X", "qqqq"], 3, 0.0)?;
    /// assert_eq!(answers.len(), 3);
    /// assert_eq!(answers[0], index.query_text("Musk", 3, 0.0)?);
    /// assert!(answers[2].warning.is_some());
    /// # Ok::<(), topica::Error>(())
    /// ```
    pub fn query_texts(
        &self,
        texts: &[&str],
        top: usize,
        min_score: f64,
    ) -> Result<Vec<QueryResult>> {
        check_top(top)?;
        check_min_score(min_score)?;
        texts
            .par_iter()
            .map(|text| self.answer(text, top, min_score))
            .collect()
    }

    /// Every document's `top` nearest others (best first, positive scores
    /// only): the all-pairs k-nearest-neighbour graph, row by row. Fails
    /// when `top` is 0.
    ///
    /// ```
    /// use topica::corpus::{Corpus, ReadOptions};
    /// use topica::similarity::SimilarityIndex;
    /// use topica::vectorize::TfidfVectorizer;
    ///
    /// let corpus = Corpus::read(&["data/news"], &ReadOptions::default())?;
    /// let (model, x) = TfidfVectorizer::params().fit_transform(&corpus.texts())?;
    /// let ids: Vec<String> = corpus.documents.iter().map(|d| d.id.clone()).collect();
    /// let sources: Vec<String> = corpus.documents.iter().map(|d| d.source.to_string()).collect();
    /// let index = SimilarityIndex::params().build(&model, x.matrix(), ids, sources)?;
    ///
    /// let graph = index.neighbors(5)?;
    /// assert_eq!(graph.len(), 74);
    /// assert!(graph.iter().all(|hits| hits.len() <= 5));
    /// assert_eq!(graph[3], index.query_id(&index.ids()[3], 5, 0.0)?);
    /// # Ok::<(), topica::Error>(())
    /// ```
    pub fn neighbors(&self, top: usize) -> Result<Vec<Vec<Hit>>> {
        check_top(top)?;
        Ok(self
            .vectors
            .all_top(top)
            .into_par_iter()
            .map(|best| self.hits(best, f64::NEG_INFINITY))
            .collect())
    }

    /// Groups of near-duplicate documents: the connected components of the
    /// pairs scoring at least `threshold` (and above 0), ordered by their
    /// first member. With `across_sources`, only groups whose members come
    /// from more than one source are kept.
    ///
    /// Fails when `threshold` is outside `[0, 1]`.
    ///
    /// ```
    /// use topica::corpus::{Corpus, ReadOptions};
    /// use topica::similarity::SimilarityIndex;
    /// use topica::vectorize::TfidfVectorizer;
    ///
    /// let corpus = Corpus::read(&["data/news"], &ReadOptions::default())?;
    /// let (model, x) = TfidfVectorizer::params().fit_transform(&corpus.texts())?;
    /// let ids: Vec<String> = corpus.documents.iter().map(|d| d.id.clone()).collect();
    /// let sources: Vec<String> = corpus.documents.iter().map(|d| d.source.to_string()).collect();
    /// let index = SimilarityIndex::params().build(&model, x.matrix(), ids, sources)?;
    ///
    /// // What the two outlets both printed.
    /// let groups = index.duplicates(0.8, true)?;
    /// assert_eq!(groups.len(), 3);
    /// assert!(groups.iter().all(|g| g.members.len() == 2));
    /// assert!(index.duplicates(1.5, true).is_err());
    /// # Ok::<(), topica::Error>(())
    /// ```
    pub fn duplicates(&self, threshold: f64, across_sources: bool) -> Result<Vec<DuplicateGroup>> {
        if !(0.0..=1.0).contains(&threshold) {
            return Err(ParamError::new(
                "threshold",
                format!("must be a cosine similarity between 0 and 1, got {threshold}"),
            )
            .into());
        }
        let pairs = self
            .vectors
            .all_pairs_above(threshold)
            .into_iter()
            .enumerate()
            .flat_map(|(i, row)| row.into_iter().map(move |(j, s)| (i, j, s)))
            .collect();
        let mut groups = duplicates::group(self.len(), pairs);
        if across_sources {
            groups.retain(|g| {
                let first = &self.sources[g.members[0]];
                g.members.iter().any(|&m| &self.sources[m] != first)
            });
        }
        Ok(groups)
    }
}
