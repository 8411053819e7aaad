//! Reduction: sparse TF-IDF rows become short dense vectors by a randomized
//! truncated singular value decomposition (latent semantic analysis, LSA), as
//! scikit-learn's `TruncatedSVD` computes it.
//!
//! - [`TruncatedSvd::params`] gives [`TruncatedSvdParams`] (scikit-learn's
//!   `n_components`, `n_oversamples`, `n_iter`, `power_iteration_normalizer`,
//!   plus a seed); [`fit`](TruncatedSvdParams::fit) and
//!   [`fit_transform`](TruncatedSvdParams::fit_transform) decompose a sparse
//!   matrix by scikit-learn's `randomized_svd`.
//! - [`TruncatedSvd`] holds the components, singular values and explained
//!   variance, and [`transforms`](TruncatedSvd::transform) new rows.
//! - [`normalize_rows`] is LSA's last step: unit rows again.
//!
//! # Example
//!
//! ```
//! use topica::analyze::StopWordList;
//! use topica::corpus::{Corpus, ReadOptions};
//! use topica::reduce::{TruncatedSvd, normalize_rows};
//! use topica::vectorize::TfidfVectorizer;
//!
//! let corpus = Corpus::read(&["data/news"], &ReadOptions::default())?;
//! let (_, x) = TfidfVectorizer::params()
//!     .stop_words(Some(StopWordList::English))
//!     .fit_transform(&corpus.texts())?;
//!
//! // scikit-learn: make_pipeline(TruncatedSVD(10), Normalizer(copy=False))
//! let (svd, mut lsa) = TruncatedSvd::params(10).seed(7).fit_transform(x.matrix())?;
//! normalize_rows(&mut lsa);
//! assert_eq!(lsa.dim(), (74, 10));
//! let ratio: f64 = svd.explained_variance_ratio().sum();
//! assert!(ratio > 0.25 && ratio < 0.26); // a quarter of the variance in 10 of 561 dimensions
//! # Ok::<(), topica::Error>(())
//! ```
//!
//! # Accuracy
//!
//! A randomized SVD is approximate: its singular values are below the exact
//! ones, and closer with more power iterations (`n_iter`) or oversamples, the
//! more so when the spectrum decays slowly. On the 74 news paragraphs, whose
//! spectrum is flat, the ten values are within about 1e-2 relative of the
//! exact ones with the default 5 iterations (scikit-learn's, over ten seeds:
//! 4.5e-3 to 1.5e-2) and within 1e-4 with 20. topica's random matrices come
//! from its own generator, so its values are not scikit-learn's but as close
//! to the exact ones; `tests/reduce.rs` measures both.
//!
//! # Determinism
//!
//! The random matrix is drawn from `Xoshiro256Plus` seeded with `seed`, in
//! fixed blocks of rows; every parallel kernel splits its work in fixed
//! blocks and sums them in order. The result is bitwise identical whatever
//! the number of threads.

mod algorithm;
mod hyperparams;
mod linalg;
mod sparse;

pub(crate) use self::algorithm::check_finite;
pub use self::algorithm::{TruncatedSvd, lsa_components, normalize_rows};
pub use self::hyperparams::{PowerIterationNormalizer, TruncatedSvdParams};

#[cfg(test)]
pub(crate) mod tests {
    use ndarray::Array2;
    use sprs::TriMatI;

    use crate::vectorize::SparseMatrix;

    /// The CSR form of a dense matrix (zeros left out).
    pub(crate) fn csr(dense: &Array2<f64>) -> SparseMatrix<f64> {
        let mut tri = TriMatI::<f64, u32>::new(dense.dim());
        for ((i, j), &v) in dense.indexed_iter() {
            if v != 0.0 {
                tri.add_triplet(i, j, v);
            }
        }
        tri.to_csr()
    }
}
