//! The TF-IDF vectorizer: scikit-learn's `TfidfVectorizer` (a
//! `CountVectorizer` followed by a `TfidfTransformer`), to the letter.
//!
//! # Example
//! ```
//! use topica::vectorize::TfidfVectorizer;
//!
//! let docs = ["Musk posts on X", "The Home Office monitors posts", "Grok images on X"];
//! let (model, x) = TfidfVectorizer::params().fit_transform(&docs).unwrap();
//! assert_eq!(x.shape(), (3, 9));
//! assert_eq!(model.vocabulary().terms()[..3], ["grok", "home", "images"]);
//! // Each row has unit length.
//! let row = x.matrix().outer_view(0).unwrap();
//! assert!((row.dot(&row) - 1.0).abs() < 1e-12);
//! // New documents use the frozen vocabulary and idf.
//! let y = model.transform(&["posts about Grok, and nothing else"]);
//! assert_eq!(y.nnz(), 2);
//! ```

use std::sync::Arc;

use compact_str::CompactString;
use rayon::prelude::*;

use super::assemble::{ColumnMap, Weighting, assemble, assemble_with_counts, freeing, normalize};
use super::matrix::SparseMatrix;
use std::cmp::Ordering;

use super::count::{ChunkCounts, NONE, compare_keyed, count};
use super::matrix::{DocTermMatrix, Real};
use super::params::TfidfParams;
use super::vocabulary::Vocabulary;
use crate::analyze::Analyzer;
use crate::error::{Error, Result};

/// A fitted TF-IDF vectorizer: its parameters, vocabulary and document
/// frequencies. Fit one with [`TfidfVectorizer::params`], save it with
/// [`save`](TfidfVectorizer::save).
///
/// The weight of term `t` in document `d`:
///
/// ```text
/// tf(t, d)   = count of t in d              (1 if binary and t occurs)
///            -> 1 + ln(tf)                  if sublinear_tf
/// idf(t)     = ln((1 + n) / (1 + df(t))) + 1   if smooth_idf (the default)
///            = ln(n / df(t)) + 1               otherwise
/// w(t, d)    = tf(t, d) * idf(t)            (tf alone if not use_idf)
/// row        -> row / ||row||               per norm (l2 by default)
/// ```
///
/// where `n` is the number of documents fitted and `df(t)` the number of them
/// containing `t`. For `f32` output every step runs in `f32` as scikit-learn's
/// `dtype=np.float32` does (norms are summed in `f64` by both).
#[derive(Debug, Clone)]
pub struct TfidfVectorizer {
    pub(crate) params: TfidfParams,
    pub(crate) analyzer: Analyzer,
    pub(crate) vocabulary: Arc<Vocabulary>,
    pub(crate) n_documents: usize,
    pub(crate) document_frequency: Vec<u64>,
    /// `idf(t)` in `f64`, by column; empty when `use_idf` is off.
    pub(crate) idf: Vec<f64>,
}

impl TfidfVectorizer {
    /// scikit-learn's defaults, to adjust and then fit.
    pub fn params() -> TfidfParams {
        TfidfParams::default()
    }

    /// The parameters it was fitted with.
    pub fn get_params(&self) -> &TfidfParams {
        &self.params
    }

    /// The analyzer it tokenizes with.
    pub fn analyzer(&self) -> &Analyzer {
        &self.analyzer
    }

    /// The vocabulary, in column order.
    pub fn vocabulary(&self) -> &Arc<Vocabulary> {
        &self.vocabulary
    }

    /// The number of documents it was fitted on.
    pub fn n_documents(&self) -> usize {
        self.n_documents
    }

    /// The number of fitted documents containing each term, by column.
    pub fn document_frequency(&self) -> &[u64] {
        &self.document_frequency
    }

    /// The inverse document frequency of each term, by column (scikit-learn's
    /// `idf_`), or `None` when `use_idf` is off.
    pub fn idf(&self) -> Option<&[f64]> {
        self.params.use_idf.then_some(&self.idf[..])
    }

    /// A copy of `x` (rows from this model's `transform`) with every value
    /// multiplied by `idf(t)^(power - 1)` and each row normalised again with
    /// the model's `norm`: the terms weighted by idf to the power `power`
    /// instead of once. `power = 1` gives `x` back; without `use_idf` there
    /// is no idf, and `x` is returned as it is.
    ///
    /// `topica cluster` finds topics in the rows weighted by `idf^2` (its
    /// `--idf-power`, README.md "Term weighting"): words in many documents
    /// ("thanks", "know", "don") are tied to no topic, and a second idf takes
    /// the groups of short posts they made out of the topics.
    ///
    /// ```
    /// use topica::vectorize::TfidfVectorizer;
    ///
    /// let docs = ["musk posts on x", "home office monitors musk posts", "grok images"];
    /// let (model, x) = TfidfVectorizer::params().fit_transform(&docs)?;
    /// let y = model.reweight_idf(x.matrix(), 2.0)?;
    /// // "musk" (in two documents) weighs less against "office" (in one).
    /// let (musk, office) = (model.vocabulary().get("musk").unwrap(), model.vocabulary().get("office").unwrap());
    /// let ratio = |m: &topica::vectorize::SparseMatrix| m.get(1, musk).unwrap() / m.get(1, office).unwrap();
    /// assert!(ratio(&y) < ratio(x.matrix()));
    /// assert_eq!(model.reweight_idf(x.matrix(), 1.0)?, *x.matrix());
    /// // Rows of another vocabulary, or a power that is not a number, are refused.
    /// assert!(model.reweight_idf(&topica::vectorize::SparseMatrix::zero((1, 99)), 2.0).is_err());
    /// assert!(model.reweight_idf(x.matrix(), f64::NAN).is_err());
    /// # Ok::<(), topica::Error>(())
    /// ```
    ///
    /// Fails when `x` does not have one column per term of the vocabulary,
    /// or when `power` is not a finite number.
    pub fn reweight_idf(&self, x: &SparseMatrix<f64>, power: f64) -> Result<SparseMatrix<f64>> {
        let mut out = x.clone();
        self.reweight_idf_in_place(&mut out, power)?;
        Ok(out)
    }

    /// [`reweight_idf`](Self::reweight_idf) in place, without a copy of the
    /// matrix (`topica cluster` reweights the rows it vectorized this way).
    /// Fails as `reweight_idf` does, leaving `x` as it was.
    pub fn reweight_idf_in_place(&self, x: &mut SparseMatrix<f64>, power: f64) -> Result<()> {
        let terms = self.vocabulary.len();
        if x.cols() != terms {
            return Err(Error::Fit(format!(
                "the matrix has {} columns but the model has {terms} terms: reweight the \
                 rows of this model's own transform",
                x.cols()
            )));
        }
        if !power.is_finite() {
            return Err(crate::error::ParamError::new(
                "idf_power",
                format!("must be a finite number, got {power}"),
            )
            .into());
        }
        if !self.params.use_idf || power == 1.0 {
            return Ok(());
        }
        let e = power - 1.0;
        // idf >= 1, so the factors idf^e are at least 1 when e > 0, and grow
        // past f64's range for large powers (idf 4.6 and a power of 260
        // overflowed the squares of the norm, and rows of real terms came out
        // as zeros, reported as having none). Up to e^100 the factors are
        // taken as they are; beyond, each row is scaled by its largest factor
        // (exactly the same once normalised) and normalised without squaring
        // out of range. Without a norm the factors are what they are.
        let ln_idf_max = self.idf.iter().fold(0.0f64, |m, &v| m.max(v.ln()));
        let per_row = self.params.norm.is_some() && e * ln_idf_max > 100.0;
        let factor: Vec<f64> = if per_row {
            self.idf.iter().map(|&v| v.ln()).collect()
        } else {
            self.idf.iter().map(|&v| v.powf(e)).collect()
        };
        let norm = self.params.norm;
        // The storage taken out and put back, so that the values can change
        // while the indices are read, without a copy of either.
        let shape = x.shape();
        let taken = std::mem::replace(x, SparseMatrix::zero(shape));
        let (indptr, indices, mut data) = taken.into_raw_storage();
        let base = indptr[0];
        // Rows split at their boundaries: each row is weighted and normalised
        // on its own, whatever the thread count.
        let mut rows: Vec<(&mut [f64], &[u32])> = Vec::with_capacity(indptr.len() - 1);
        let mut rest = &mut data[..];
        for w in indptr.windows(2) {
            let (row, tail) = rest.split_at_mut(w[1] - w[0]);
            rows.push((row, &indices[w[0] - base..w[1] - base]));
            rest = tail;
        }
        rows.into_par_iter().for_each(|(row, cols)| {
            if per_row {
                // `factor` holds ln idf: idf^e / (the row's largest idf)^e.
                let top = cols
                    .iter()
                    .fold(f64::NEG_INFINITY, |m, &j| m.max(factor[j as usize]));
                for (v, &j) in row.iter_mut().zip(cols) {
                    *v *= (e * (factor[j as usize] - top)).exp();
                }
                if norm == Some(super::params::Norm::L2) {
                    let total = super::matrix::l2_norm(row);
                    if total > 0.0 {
                        row.iter_mut().for_each(|v| *v /= total);
                    }
                    return;
                }
            } else {
                for (v, &j) in row.iter_mut().zip(cols) {
                    *v *= factor[j as usize];
                }
            }
            normalize(row, norm);
        });
        *x = SparseMatrix::new(shape, indptr, indices, data);
        Ok(())
    }

    /// The TF-IDF matrix of `docs`, with the fitted vocabulary and idf: terms
    /// not in the vocabulary are ignored.
    pub fn transform<S: AsRef<str> + Sync>(&self, docs: &[S]) -> DocTermMatrix<f64> {
        self.transform_as(docs)
    }

    /// [`transform`](Self::transform), with `f32` values.
    pub fn transform_f32<S: AsRef<str> + Sync>(&self, docs: &[S]) -> DocTermMatrix<f32> {
        self.transform_as(docs)
    }

    /// [`transform`](Self::transform), with values of type `T`.
    pub fn transform_as<T: Real, S: AsRef<str> + Sync>(&self, docs: &[S]) -> DocTermMatrix<T> {
        let (chunks, maps) = self.count(docs);
        self.assemble(&chunks, &maps)
    }

    /// Counts `docs` and maps their features to the vocabulary's columns.
    fn count<S: AsRef<str> + Sync>(&self, docs: &[S]) -> (Vec<ChunkCounts>, Vec<ColumnMap>) {
        let chunks = count(&self.analyzer, docs);
        let maps: Vec<ColumnMap> = chunks
            .par_iter()
            .map(|chunk| {
                ColumnMap::unsigned(
                    chunk
                        .features
                        .iter()
                        .map(|f| self.vocabulary.get(f).map_or(NONE, |c| c as u32))
                        .collect(),
                )
            })
            .collect();
        (chunks, maps)
    }

    /// [`transform_as`](Self::transform_as), consuming the documents, which
    /// are freed while the matrix is built.
    pub fn transform_owned<T: Real>(&self, docs: Vec<String>) -> DocTermMatrix<T> {
        let (chunks, maps) = self.count(&docs);
        freeing(docs, || self.assemble(&chunks, &maps))
    }

    fn assemble<T: Real>(&self, chunks: &[ChunkCounts], maps: &[ColumnMap]) -> DocTermMatrix<T> {
        let weights = TfidfWeights::<T>::new(self);
        let matrix = assemble(
            chunks,
            maps,
            self.vocabulary.len(),
            &weights,
            self.params.norm,
        );
        DocTermMatrix::new(matrix, Arc::clone(&self.vocabulary))
    }

    /// `idf(t)` computed in `T`, as scikit-learn computes `idf_` in the dtype.
    pub(crate) fn idf_as<T: Real>(&self) -> Vec<T> {
        let smooth = u64::from(self.params.smooth_idf);
        let n = T::from_u64(self.n_documents as u64 + smooth).expect("a count fits a float");
        self.document_frequency
            .iter()
            .map(|&df| {
                let df = T::from_u64(df + smooth).expect("a count fits a float");
                (n / df).ln() + T::one()
            })
            .collect()
    }
}

impl TfidfParams {
    /// Learns the vocabulary and idf of `docs`.
    ///
    /// Fails on invalid parameters ([`TfidfParams::check`]), on `min_df` and
    /// `max_df` that cross for this number of documents, and when no term is
    /// left (no term at all, or none after pruning).
    pub fn fit<S: AsRef<str> + Sync>(&self, docs: &[S]) -> Result<TfidfVectorizer> {
        self.fit_counts(docs).map(|(model, _, _)| model)
    }

    /// [`fit`](Self::fit) then [`TfidfVectorizer::transform`] of the same
    /// documents (with identical results), counting them only once.
    pub fn fit_transform<S: AsRef<str> + Sync>(
        &self,
        docs: &[S],
    ) -> Result<(TfidfVectorizer, DocTermMatrix<f64>)> {
        self.fit_transform_as(docs)
    }

    /// [`fit_transform`](Self::fit_transform), with values of type `T`.
    pub fn fit_transform_as<T: Real, S: AsRef<str> + Sync>(
        &self,
        docs: &[S],
    ) -> Result<(TfidfVectorizer, DocTermMatrix<T>)> {
        let (model, chunks, maps) = self.fit_counts(docs)?;
        let matrix = model.assemble(&chunks, &maps);
        Ok((model, matrix))
    }

    /// [`fit_transform`](Self::fit_transform), plus the raw term counts of
    /// the same documents in the same columns (scikit-learn's
    /// `CountVectorizer` output on the fitted vocabulary), from one counting
    /// pass. Topic labels (c-TF-IDF) are computed from such counts.
    ///
    /// ```
    /// use topica::vectorize::TfidfVectorizer;
    ///
    /// let docs = ["grok images grok", "images of the inquiry"];
    /// let (_, tfidf, counts) = TfidfVectorizer::params().fit_transform_with_counts(&docs)?;
    /// assert_eq!(counts.shape(), tfidf.shape());
    /// let grok = counts.vocabulary().get("grok").unwrap();
    /// assert_eq!(counts.matrix().get(0, grok), Some(&2.0));
    /// # Ok::<(), topica::Error>(())
    /// ```
    pub fn fit_transform_with_counts<S: AsRef<str> + Sync>(
        &self,
        docs: &[S],
    ) -> Result<(TfidfVectorizer, DocTermMatrix<f64>, DocTermMatrix<f64>)> {
        let (model, chunks, maps) = self.fit_counts(docs)?;
        let weights = TfidfWeights::<f64>::new(&model);
        let (matrix, counts) = assemble_with_counts(
            &chunks,
            &maps,
            model.vocabulary.len(),
            &weights,
            model.params.norm,
            true,
        );
        let counts = counts.expect("counts were asked for");
        let matrix = DocTermMatrix::new(matrix, Arc::clone(&model.vocabulary));
        let counts = DocTermMatrix::new(counts, Arc::clone(&model.vocabulary));
        Ok((model, matrix, counts))
    }

    /// [`fit_transform_as`](Self::fit_transform_as), consuming the documents:
    /// they are freed once counted, while the matrix is built, so the texts
    /// and the finished matrix are never in memory together (on 20 Newsgroups
    /// this lowers the peak by the corpus's 36 MB).
    pub fn fit_transform_owned<T: Real>(
        &self,
        docs: Vec<String>,
    ) -> Result<(TfidfVectorizer, DocTermMatrix<T>)> {
        let (model, chunks, maps) = self.fit_counts(&docs)?;
        let matrix = freeing(docs, || model.assemble(&chunks, &maps));
        Ok((model, matrix))
    }

    /// Counts `docs`, learns the vocabulary and returns the model with the
    /// counts and their column maps.
    fn fit_counts<S: AsRef<str> + Sync>(
        &self,
        docs: &[S],
    ) -> Result<(TfidfVectorizer, Vec<ChunkCounts>, Vec<ColumnMap>)> {
        self.check()?;
        let analyzer = self.analysis.build()?;
        let n_documents = docs.len();
        let mut chunks = count(&analyzer, docs);

        let (terms, columns, document_frequency) = match &self.vocabulary {
            Some(fixed) => {
                let vocabulary = Vocabulary::new(fixed.clone());
                let columns: Vec<Vec<u32>> = chunks
                    .par_iter()
                    .map(|c| {
                        c.features
                            .iter()
                            .map(|f| vocabulary.get(f).map_or(NONE, |i| i as u32))
                            .collect()
                    })
                    .collect();
                let mut df = vec![0u64; fixed.len()];
                for (chunk, map) in chunks.iter().zip(&columns) {
                    for (local, &column) in map.iter().enumerate() {
                        if column != NONE {
                            df[column as usize] += u64::from(chunk.df[local]);
                        }
                    }
                }
                // scikit-learn gives such a term an infinite idf, and a
                // document holding it a row of NaN; refuse instead (found by
                // fuzzing the model loader, issue 6).
                if self.use_idf && !self.smooth_idf {
                    if let Some(i) = df.iter().position(|&d| d == 0) {
                        return Err(Error::Fit(format!(
                            "term `{}` of the fixed vocabulary is in none of the {n_documents} \
                             documents, so its idf would be infinite without smooth_idf; \
                             turn smooth_idf on or drop the term",
                            fixed[i]
                        )));
                    }
                }
                (fixed.clone(), columns, df)
            }
            None => {
                let (terms, global, df) = merge_vocabularies(&mut chunks);
                if terms.is_empty() {
                    return Err(Error::Fit(
                        "empty vocabulary: the documents contain no terms (perhaps only stop words)".into(),
                    ));
                }
                self.prune(&chunks, &global, terms, df, n_documents)?
            }
        };
        // Each chunk's feature strings (about 100,000 on 20 Newsgroups) are
        // freed on the chunks' threads, in parallel (one after the other they
        // took 9 ms of the 0.2 s fit).
        chunks
            .par_iter_mut()
            .for_each(|chunk| chunk.features = Vec::new());
        let mut model = TfidfVectorizer {
            params: self.clone(),
            analyzer,
            vocabulary: Arc::new(Vocabulary::new(terms)),
            n_documents,
            document_frequency,
            idf: Vec::new(),
        };
        if self.use_idf {
            model.idf = model.idf_as::<f64>();
        }
        Ok((
            model,
            chunks,
            columns.into_iter().map(ColumnMap::unsigned).collect(),
        ))
    }

    /// Applies `min_df`, `max_df` and `max_features` to the merged vocabulary
    /// (`terms`, with their document frequencies `df`): returns the kept
    /// terms, each chunk's local-feature -> column map and the kept terms'
    /// document frequencies.
    fn prune(
        &self,
        chunks: &[ChunkCounts],
        global: &[Vec<u32>],
        terms: Vec<CompactString>,
        df: Vec<u64>,
        n_documents: usize,
    ) -> Result<Columns> {
        let (low, high) = self.df_bounds(n_documents)?;
        let n_terms = terms.len();
        let mut keep: Vec<bool> = df
            .iter()
            .map(|&d| d as f64 >= low && d as f64 <= high)
            .collect();
        if let Some(limit) = self.max_features {
            let mut candidates: Vec<usize> = (0..n_terms).filter(|&g| keep[g]).collect();
            if candidates.len() > limit {
                // Total counts (with binary, a term counts once per document).
                let total = if self.binary {
                    df.clone()
                } else {
                    total_counts(chunks, global, n_terms)
                };
                // Highest total count first; ties keep the term that sorts first.
                candidates.sort_by_key(|&g| (std::cmp::Reverse(total[g]), g));
                keep.fill(false);
                for &g in &candidates[..limit] {
                    keep[g] = true;
                }
            }
        }
        let mut column_of = vec![NONE; n_terms];
        let mut kept_df = Vec::new();
        for g in (0..n_terms).filter(|&g| keep[g]) {
            column_of[g] = kept_df.len() as u32;
            kept_df.push(df[g]);
        }
        // The vocabulary's `String`s are allocated here, once per kept term,
        // in parallel.
        let kept: Vec<String> = terms
            .into_par_iter()
            .zip(keep.par_iter())
            .filter(|(_, keep)| **keep)
            .map(|(term, _)| term.into_string())
            .collect();
        if kept.is_empty() {
            return Err(Error::Fit(format!(
                "after pruning, no terms remain (min_df={}, max_df={}, {} documents, {n_terms} terms before \
                 pruning); try a lower min_df or a higher max_df",
                self.min_df, self.max_df, n_documents
            )));
        }
        let columns = global
            .par_iter()
            .map(|map| map.iter().map(|&g| column_of[g as usize]).collect())
            .collect();
        Ok((kept, columns, kept_df))
    }
}

/// The terms kept, each chunk's local-feature -> column map, and the kept
/// terms' document frequencies.
type Columns = (Vec<String>, Vec<Vec<u32>>, Vec<u64>);

/// The total number of occurrences of each term.
fn total_counts(chunks: &[ChunkCounts], global: &[Vec<u32>], n_terms: usize) -> Vec<u64> {
    let mut total = vec![0u64; n_terms];
    for (chunk, map) in chunks.iter().zip(global) {
        for e in &chunk.entries {
            total[map[chunk.rank[e.feature as usize] as usize] as usize] += u64::from(e.count);
        }
    }
    total
}

/// Merges the chunks' sorted feature lists into one sorted vocabulary
/// (Python's `sorted()`: code-point order, which is byte order in UTF-8).
/// Returns the terms, per chunk each local feature's index among them (which
/// grows with the local id), and each term's document frequency, summed as
/// it is merged. Moves the strings out of the chunks.
fn merge_vocabularies(chunks: &mut [ChunkCounts]) -> (Vec<CompactString>, Vec<Vec<u32>>, Vec<u64>) {
    let mut maps: Vec<Vec<u32>> = chunks
        .iter()
        .map(|c| vec![NONE; c.features.len()])
        .collect();
    let mut heads = vec![0usize; chunks.len()];
    let capacity = chunks.iter().map(|c| c.features.len()).max().unwrap_or(0);
    let mut terms = Vec::with_capacity(capacity);
    let mut df = Vec::with_capacity(capacity);
    loop {
        // The chunk whose next feature sorts first.
        let mut first: Option<usize> = None;
        for (c, chunk) in chunks.iter().enumerate() {
            let h = heads[c];
            if h < chunk.features.len() {
                let better = first.is_none_or(|f| {
                    let (other, oh) = (&chunks[f], heads[f]);
                    compare_keyed(
                        (&chunk.features[h], chunk.order_keys[h]),
                        (&other.features[oh], other.order_keys[oh]),
                    ) == Ordering::Less
                });
                if better {
                    first = Some(c);
                }
            }
        }
        let Some(c0) = first else { break };
        let id = terms.len() as u32;
        let (h0, key0) = (heads[c0], chunks[c0].order_keys[heads[c0]]);
        let term = std::mem::take(&mut chunks[c0].features[h0]);
        let mut term_df = u64::from(chunks[c0].df[h0]);
        maps[c0][h0] = id;
        heads[c0] += 1;
        for (c, chunk) in chunks.iter_mut().enumerate() {
            let h = heads[c];
            if h < chunk.features.len()
                && compare_keyed((&chunk.features[h], chunk.order_keys[h]), (&term, key0)).is_eq()
            {
                maps[c][h] = id;
                term_df += u64::from(chunk.df[h]);
                heads[c] += 1;
            }
        }
        terms.push(term);
        df.push(term_df);
    }
    (terms, maps, df)
}

/// TF-IDF weights in `T`.
struct TfidfWeights<'a, T: Real> {
    binary: bool,
    sublinear: bool,
    idf: Option<std::borrow::Cow<'a, [T]>>,
}

impl<'a, T: Real> TfidfWeights<'a, T> {
    fn new(model: &'a TfidfVectorizer) -> Self {
        TfidfWeights {
            binary: model.params.binary,
            sublinear: model.params.sublinear_tf,
            idf: model.params.use_idf.then(|| T::model_idf(model)),
        }
    }
}

impl<T: Real> Weighting<T> for TfidfWeights<'_, T> {
    #[inline]
    fn keeps(&self, _count: i64) -> bool {
        true
    }

    #[inline]
    fn factor(&self, column: u32) -> T {
        self.idf
            .as_ref()
            .map_or(T::one(), |idf| idf[column as usize])
    }

    #[inline]
    fn weight(&self, count: i64, idf: T) -> T {
        let mut tf = if self.binary {
            T::one()
        } else {
            T::from_i64(count).expect("a count fits a float")
        };
        if self.sublinear {
            tf = tf.ln() + T::one();
        }
        // Without use_idf the factor is 1, and multiplying by 1 is exact.
        tf * idf
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::vectorize::Norm;

    const DOCS: &[&str] = &[
        "The Home Office is monitoring the tweets of Elon Musk.",
        "Musk called for a national inquiry into grooming gangs.",
        "Grok, X's AI tool, made sexualised images.",
        "",
        "Ministers rejected calls for a boycott of X.",
    ];

    /// Powers whose factors leave f64's range (idf^259 of an idf of 4.6 is
    /// 1e171, its square past f64::MAX) keep every row: unit, finite, with
    /// its terms, the ratios within a row those of idf^(p - 1).
    #[test]
    fn huge_idf_powers_keep_every_row() {
        let (model, x) = TfidfVectorizer::params().fit_transform(DOCS).unwrap();
        let x = x.matrix();
        for power in [2.0, 102.0, 260.0, 1e4] {
            let y = model.reweight_idf(x, power).unwrap();
            for i in 0..x.rows() {
                let (a, b) = (x.outer_view(i).unwrap(), y.outer_view(i).unwrap());
                let norm = crate::vectorize::l2_norm(b.data());
                if a.nnz() == 0 {
                    assert_eq!(b.nnz(), 0);
                    continue;
                }
                assert!(
                    (norm - 1.0).abs() < 1e-12,
                    "power {power}, row {i}: norm {norm}"
                );
                assert!(b.data().iter().all(|v| v.is_finite()));
                if power > 1e3 {
                    continue;
                }
                // Ratio of each entry to the row's first, in logs.
                let (j0, _) = a.iter().next().unwrap();
                for ((j, &va), &vb) in a.iter().zip(b.data()) {
                    let want = (va / a.data()[0]).ln()
                        + (power - 1.0) * (model.idf[j].ln() - model.idf[j0].ln());
                    let got = (vb / b.data()[0]).ln();
                    assert!(
                        (want - got).abs() < 1e-9,
                        "power {power}, row {i}, column {j}"
                    );
                }
            }
        }
    }

    fn row(x: &DocTermMatrix, r: usize) -> Vec<(String, f64)> {
        x.matrix()
            .outer_view(r)
            .unwrap()
            .iter()
            .map(|(c, &v)| (x.vocabulary().term(c).to_string(), v))
            .collect()
    }

    /// The rows of `reweight_idf(x, p)` are the sublinear counts times
    /// `idf^p`, normalised, on the paragraphs of data/news; an empty row stays
    /// empty, and power 1 changes nothing.
    #[test]
    fn reweighting_by_idf_squared_is_tf_times_idf_squared_normalised() {
        let corpus =
            crate::corpus::Corpus::read(&["data/news"], &Default::default()).expect("data/news");
        let texts = corpus.texts();
        let params = TfidfVectorizer::params()
            .stop_words(Some(crate::analyze::StopWordList::English))
            .sublinear_tf(true)
            .min_df(2u64);
        let (model, x, counts) = params.fit_transform_with_counts(&texts).unwrap();
        let idf = model.idf().unwrap();
        for power in [0.0, 2.0, 3.5] {
            let y = model.reweight_idf(x.matrix(), power).unwrap();
            assert_eq!(y.indices(), x.matrix().indices());
            for r in 0..texts.len() {
                let c = counts.matrix().outer_view(r).unwrap();
                let raw: Vec<f64> = c
                    .iter()
                    .map(|(j, &n)| (1.0 + n.ln()) * idf[j].powf(power))
                    .collect();
                let norm = raw.iter().map(|v| v * v).sum::<f64>().sqrt();
                let got = y.outer_view(r).unwrap();
                assert_eq!(got.nnz(), raw.len());
                for (g, want) in got.data().iter().zip(&raw) {
                    assert!((g - want / norm).abs() < 1e-12, "row {r}, power {power}");
                }
            }
        }
        assert_eq!(model.reweight_idf(x.matrix(), 1.0).unwrap(), *x.matrix());
        // "in" (the Independent's first paragraph) has no terms.
        let empty = (0..texts.len()).find(|&r| x.matrix().outer_view(r).unwrap().nnz() == 0);
        assert!(empty.is_some());
    }

    #[test]
    fn vocabulary_is_sorted_and_rows_are_unit_length() {
        let (model, x) = TfidfVectorizer::params().fit_transform(DOCS).unwrap();
        let terms = model.vocabulary().terms();
        assert!(terms.windows(2).all(|w| w[0] < w[1]));
        assert_eq!(x.n_documents(), 5);
        for r in [0, 1, 2, 4] {
            let norm: f64 = row(&x, r).iter().map(|(_, v)| v * v).sum();
            assert!((norm - 1.0).abs() < 1e-12);
        }
        assert!(row(&x, 3).is_empty(), "an empty document is an empty row");
    }

    #[test]
    fn idf_follows_the_smoothed_formula() {
        let model = TfidfVectorizer::params().fit(DOCS).unwrap();
        let musk = model.vocabulary().get("musk").unwrap();
        assert_eq!(model.document_frequency()[musk], 2);
        let expected = ((1.0 + 5.0) / (1.0 + 2.0f64)).ln() + 1.0;
        assert_eq!(model.idf().unwrap()[musk], expected);
        let raw = TfidfVectorizer::params()
            .smooth_idf(false)
            .fit(DOCS)
            .unwrap();
        assert_eq!(raw.idf().unwrap()[musk], (5.0 / 2.0f64).ln() + 1.0);
    }

    #[test]
    fn fit_transform_equals_fit_then_transform() {
        for params in [
            TfidfVectorizer::params(),
            TfidfVectorizer::params()
                .sublinear_tf(true)
                .ngram_range(1, 2)
                .min_df(2u64),
            TfidfVectorizer::params()
                .binary(true)
                .norm(Some(Norm::L1))
                .use_idf(false),
        ] {
            let docs: Vec<String> = DOCS
                .iter()
                .cycle()
                .take(40)
                .map(|s| s.to_string())
                .collect();
            let (model, x) = params.fit_transform(&docs).unwrap();
            assert_eq!(model.transform(&docs), x);
        }
    }

    #[test]
    fn pruning_respects_min_df_and_max_df() {
        let (model, _) = TfidfVectorizer::params()
            .min_df(2u64)
            .fit_transform(DOCS)
            .unwrap();
        // "the" occurs twice, but in one document: df counts documents.
        assert_eq!(model.vocabulary().terms(), ["for", "musk", "of"]);
        let (model, _) = TfidfVectorizer::params()
            .max_df(1u64)
            .fit_transform(DOCS)
            .unwrap();
        assert!(model.vocabulary().get("musk").is_none());
        assert!(model.vocabulary().get("grok").is_some());
    }

    #[test]
    fn max_features_keeps_the_most_frequent_with_ties_in_term_order() {
        let model = TfidfVectorizer::params()
            .max_features(Some(3))
            .fit(DOCS)
            .unwrap();
        // Four terms occur twice ("for", "musk", "of", "the"): the first three in term order.
        assert_eq!(model.vocabulary().terms(), ["for", "musk", "of"]);
    }

    #[test]
    fn a_fixed_vocabulary_keeps_its_order() {
        let terms = vec![
            "x_unused".to_string(),
            "musk".to_string(),
            "grok".to_string(),
        ];
        let (model, x) = TfidfVectorizer::params()
            .vocabulary(Some(terms.clone()))
            .fit_transform(DOCS)
            .unwrap();
        assert_eq!(model.vocabulary().terms(), &terms[..]);
        assert_eq!(model.document_frequency(), [0, 2, 1]);
        assert_eq!(row(&x, 2), [("grok".to_string(), 1.0)]);
    }

    #[test]
    fn an_unseen_fixed_term_without_smooth_idf_is_refused_not_infinite() {
        let terms = vec!["x_unused".to_string(), "musk".to_string()];
        let params = TfidfVectorizer::params().vocabulary(Some(terms));
        let e = params.clone().smooth_idf(false).fit(DOCS).unwrap_err();
        assert!(e.to_string().contains("term `x_unused`"), "{e}");
        assert!(e.to_string().contains("smooth_idf"), "{e}");
        // Smoothed, or without idf, it is a finite weight as before.
        let model = params.fit(DOCS).unwrap();
        let x = model.transform(&["x_unused musk"]);
        assert!(x.matrix().data().iter().all(|v| v.is_finite()));
        assert!(params_without_idf_fit(DOCS));
    }

    fn params_without_idf_fit(docs: &[&str]) -> bool {
        TfidfVectorizer::params()
            .vocabulary(Some(vec!["x_unused".to_string()]))
            .smooth_idf(false)
            .use_idf(false)
            .fit(docs)
            .is_ok()
    }

    #[test]
    fn only_stop_words_is_an_empty_vocabulary() {
        let e = TfidfVectorizer::params()
            .stop_words(Some(crate::analyze::StopWordList::English))
            .fit(&["the and of", "it is"])
            .unwrap_err();
        assert!(e.to_string().contains("empty vocabulary"), "{e}");
    }

    #[test]
    fn pruning_everything_says_what_to_change() {
        let e = TfidfVectorizer::params()
            .min_df(2u64)
            .fit(&["aa bb", "cc dd", "ee"])
            .unwrap_err();
        assert!(e.to_string().contains("no terms remain"), "{e}");
        assert!(e.to_string().contains("try a lower min_df"), "{e}");
    }

    #[test]
    fn f32_output_matches_f64_to_single_precision() {
        let (_, x64) = TfidfVectorizer::params()
            .sublinear_tf(true)
            .fit_transform(DOCS)
            .unwrap();
        let (_, x32) = TfidfVectorizer::params()
            .sublinear_tf(true)
            .fit_transform_as::<f32, _>(DOCS)
            .unwrap();
        assert_eq!(x64.matrix().indices(), x32.matrix().indices());
        for (a, b) in x64.matrix().data().iter().zip(x32.matrix().data()) {
            assert!((a - f64::from(*b)).abs() < 1e-6);
        }
    }
    /// Rows of another vocabulary (a column past the idf once panicked on an
    /// index) and powers that are not numbers (every value came out NaN) are
    /// refused; the matrix is left as it was.
    #[test]
    fn reweighting_refuses_other_widths_and_nan_powers() {
        let (model, x) = TfidfVectorizer::params().fit_transform(DOCS).unwrap();
        let terms = model.vocabulary().len();
        let wide: SparseMatrix<f64> = sprs::TriMatI::<f64, u32>::from_triplets(
            (1, terms + 5),
            vec![0],
            vec![terms as u32 + 4],
            vec![1.0],
        )
        .to_csr();
        let err = model.reweight_idf(&wide, 2.0).unwrap_err().to_string();
        assert!(
            err.starts_with(&format!(
                "the matrix has {} columns but the model has {terms} terms",
                terms + 5
            )),
            "{err}"
        );
        let mut narrow = SparseMatrix::zero((2, terms - 1));
        assert!(model.reweight_idf_in_place(&mut narrow, 2.0).is_err());
        for power in [f64::NAN, f64::INFINITY, f64::NEG_INFINITY] {
            let mut y = x.matrix().clone();
            let err = model.reweight_idf_in_place(&mut y, power).unwrap_err();
            assert!(err.is_usage(), "{power}");
            assert_eq!(y, *x.matrix());
        }
    }
}
