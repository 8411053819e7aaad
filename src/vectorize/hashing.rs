//! The hashing vectorizer: scikit-learn's `HashingVectorizer`, stateless, for
//! corpora too large to hold a vocabulary.
//!
//! Each feature (after analysis) goes to a column by its signed 32-bit
//! MurmurHash3 (seed 0) of its UTF-8 bytes, exactly as scikit-learn's
//! `FeatureHasher` computes it:
//!
//! ```text
//! h      = murmurhash3_x86_32(utf8(feature), seed = 0) as i32
//! column = |h| mod n_features        ((2^31 - 1 - (n_features - 1)) mod n_features when h = -2^31)
//! sign   = +1 if h >= 0 else -1      (always +1 without alternate_sign)
//! value  = sum of sign over the feature's occurrences, per column
//!          -> 1 for every stored column if binary (even where signs cancelled)
//! row    -> row / ||row||            per norm (l2 by default)
//! ```
//!
//! Columns where signed counts cancel to 0 are not stored (scikit-learn keeps
//! them as explicit zeros; the values are the same).
//!
//! # Example
//! ```
//! use topica::vectorize::HashingVectorizer;
//!
//! let hasher = HashingVectorizer::params().n_features(1 << 10).build().unwrap();
//! let x = hasher.transform(&["Grok images", "Home Office monitoring"]);
//! assert_eq!(x.shape(), (2, 1024));
//! assert_eq!(x.nnz(), 5);
//! ```

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use super::assemble::{ColumnMap, Weighting, assemble, freeing};
use super::count::{ChunkCounts, count};
use super::matrix::{Real, SparseMatrix};
use super::params::Norm;
use crate::analyze::{Analyzer, AnalyzerParams};
use crate::error::ParamError;

/// The parameters of a [`HashingVectorizer`], with scikit-learn's defaults.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HashingParams {
    analysis: AnalyzerParams,
    n_features: usize,
    alternate_sign: bool,
    binary: bool,
    norm: Option<Norm>,
}

impl Default for HashingParams {
    fn default() -> Self {
        HashingParams {
            analysis: AnalyzerParams::default(),
            n_features: 1 << 20,
            alternate_sign: true,
            binary: false,
            norm: Some(Norm::L2),
        }
    }
}

impl HashingParams {
    /// The analysis parameters. Default: [`AnalyzerParams::default`].
    pub fn analysis(mut self, analysis: AnalyzerParams) -> Self {
        self.analysis = analysis;
        self
    }

    /// The number of columns. Default: `2^20` (1,048,576).
    pub fn n_features(mut self, n_features: usize) -> Self {
        self.n_features = n_features;
        self
    }

    /// Give each feature the sign of its hash, so that collisions tend to
    /// cancel rather than add up. Default: `true`.
    pub fn alternate_sign(mut self, alternate_sign: bool) -> Self {
        self.alternate_sign = alternate_sign;
        self
    }

    /// Store 1 for every present column. Default: `false`.
    pub fn binary(mut self, binary: bool) -> Self {
        self.binary = binary;
        self
    }

    /// Row normalisation. Default: `Some(Norm::L2)`.
    pub fn norm(mut self, norm: Option<Norm>) -> Self {
        self.norm = norm;
        self
    }

    /// Checks the parameters: the analysis parameters, and
    /// `1 <= n_features < 2^31 - 1` (scikit-learn's bound).
    pub fn check(&self) -> Result<(), ParamError> {
        self.analysis.check()?;
        if self.n_features == 0 || self.n_features >= i32::MAX as usize {
            return Err(ParamError::new(
                "n_features",
                format!("{}: must be at least 1 and below 2^31 - 1", self.n_features),
            ));
        }
        Ok(())
    }

    /// Checks the parameters and builds the vectorizer.
    pub fn build(&self) -> Result<HashingVectorizer, ParamError> {
        self.check()?;
        Ok(HashingVectorizer {
            analyzer: self.analysis.build()?,
            params: self.clone(),
        })
    }
}

/// A stateless vectorizer: nothing to fit, any number of documents.
#[derive(Debug, Clone)]
pub struct HashingVectorizer {
    params: HashingParams,
    analyzer: Analyzer,
}

impl HashingVectorizer {
    /// scikit-learn's defaults, to adjust and then build.
    pub fn params() -> HashingParams {
        HashingParams::default()
    }

    /// The parameters it was built with.
    pub fn get_params(&self) -> &HashingParams {
        &self.params
    }

    /// The `(n_documents, n_features)` matrix of `docs`.
    pub fn transform<S: AsRef<str> + Sync>(&self, docs: &[S]) -> SparseMatrix<f64> {
        self.transform_as(docs)
    }

    /// [`transform`](Self::transform), with values of type `T`.
    pub fn transform_as<T: Real, S: AsRef<str> + Sync>(&self, docs: &[S]) -> SparseMatrix<T> {
        let (chunks, maps) = self.count(docs);
        self.assemble(&chunks, &maps)
    }

    /// [`transform_as`](Self::transform_as), consuming the documents, which
    /// are freed while the matrix is built.
    pub fn transform_owned<T: Real>(&self, docs: Vec<String>) -> SparseMatrix<T> {
        let (chunks, maps) = self.count(&docs);
        freeing(docs, || self.assemble(&chunks, &maps))
    }

    /// The matrix of counted chunks.
    fn assemble<T: Real>(&self, chunks: &[ChunkCounts], maps: &[ColumnMap]) -> SparseMatrix<T> {
        let weights = HashingWeights {
            binary: self.params.binary,
        };
        assemble(
            chunks,
            maps,
            self.params.n_features,
            &weights,
            self.params.norm,
        )
    }

    /// Counts `docs` and hashes their features to columns.
    fn count<S: AsRef<str> + Sync>(&self, docs: &[S]) -> (Vec<ChunkCounts>, Vec<ColumnMap>) {
        let chunks = count(&self.analyzer, docs);
        let n_features = self.params.n_features;
        let maps: Vec<ColumnMap> = chunks
            .par_iter()
            .map(|chunk| {
                let (columns, negative): (Vec<u32>, Vec<bool>) = chunk
                    .features
                    .iter()
                    .map(|f| {
                        let (column, negative) = hash_feature(f, n_features);
                        (column, negative && self.params.alternate_sign)
                    })
                    .unzip();
                ColumnMap::signed(columns, negative)
            })
            .collect();
        (chunks, maps)
    }
}

/// A feature's column and whether its hash is negative.
pub(crate) fn hash_feature(feature: &str, n_features: usize) -> (u32, bool) {
    let h = mur3::murmurhash3_x86_32(feature.as_bytes(), 0) as i32;
    let n = n_features as i64;
    let column = if h == i32::MIN {
        (i64::from(i32::MAX) - (n - 1)) % n
    } else {
        i64::from(h).abs() % n
    };
    (column as u32, h < 0)
}

struct HashingWeights {
    binary: bool,
}

impl<T: Real> Weighting<T> for HashingWeights {
    #[inline]
    fn keeps(&self, count: i64) -> bool {
        self.binary || count != 0
    }

    #[inline]
    fn factor(&self, _column: u32) -> T {
        T::one()
    }

    #[inline]
    fn weight(&self, count: i64, _factor: T) -> T {
        if self.binary {
            T::one()
        } else {
            T::from_i64(count).expect("a count fits a float")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_like_scikit_learn() {
        // From sklearn.utils.murmurhash3_32(..., 0).
        for (feature, h) in [
            ("the", -1132748958i64),
            ("", 0),
            ("musk", -122620581),
            ("grok images", 42110990),
        ] {
            assert_eq!(
                mur3::murmurhash3_x86_32(feature.as_bytes(), 0) as i32 as i64,
                h
            );
            assert_eq!(
                hash_feature(feature, 1 << 20),
                ((h.abs() % (1 << 20)) as u32, h < 0)
            );
        }
    }

    #[test]
    fn n_features_must_be_positive_and_below_2_31() {
        assert_eq!(
            HashingVectorizer::params()
                .n_features(0)
                .check()
                .unwrap_err()
                .name,
            "n_features"
        );
        assert!(
            HashingVectorizer::params()
                .n_features(i32::MAX as usize)
                .check()
                .is_err()
        );
        HashingVectorizer::params().n_features(1).check().unwrap();
    }

    #[test]
    fn one_column_sums_signed_counts() {
        let hasher = HashingVectorizer::params()
            .n_features(1)
            .norm(None)
            .build()
            .unwrap();
        let words = ["aa", "bb", "cc", "dd", "ee"];
        let expected: i64 = words
            .iter()
            .map(|w| {
                if (mur3::murmurhash3_x86_32(w.as_bytes(), 0) as i32) < 0 {
                    -1
                } else {
                    1
                }
            })
            .sum();
        let x = hasher.transform(&[words.join(" ")]);
        assert_eq!(x.to_dense()[[0, 0]], expected as f64);
        let binary = HashingVectorizer::params()
            .n_features(1)
            .norm(None)
            .binary(true)
            .build()
            .unwrap();
        assert_eq!(binary.transform(&["aa bb"]).to_dense()[[0, 0]], 1.0);
    }
}
