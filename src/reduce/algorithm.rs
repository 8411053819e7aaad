//! The randomized truncated SVD itself: [`TruncatedSvdParams::fit`], the
//! fitted [`TruncatedSvd`], and [`normalize_rows`].

use ndarray::{Array1, Array2, Axis, s};

use super::hyperparams::{PowerIterationNormalizer, TruncatedSvdParams};
use super::linalg::{
    gaussian, lu_permuted_l, orthonormal_basis, orthonormalize, rescale, small_svd, times_small,
};
use super::sparse::{as_csr, csr_times_dense, total_column_variance, transpose};
use crate::cluster::Rows;
use crate::error::{Error, ParamError, Result};
use crate::vectorize::SparseMatrix;

/// A fitted truncated SVD: the top `n_components` right singular vectors of
/// a document × term matrix `X`, and what they explain of it.
///
/// Made by [`TruncatedSvdParams::fit`] or
/// [`fit_transform`](TruncatedSvdParams::fit_transform); scikit-learn's
/// fitted `TruncatedSVD(algorithm="randomized")`.
#[derive(Debug, Clone, PartialEq)]
pub struct TruncatedSvd {
    params: TruncatedSvdParams,
    normalizer: PowerIterationNormalizer,
    components: Array2<f64>,
    singular_values: Array1<f64>,
    explained_variance: Array1<f64>,
    explained_variance_ratio: Array1<f64>,
}

impl TruncatedSvd {
    /// Parameters for `n_components` dimensions, with scikit-learn's defaults
    /// for the rest (see [`TruncatedSvdParams::new`]).
    pub fn params(n_components: usize) -> TruncatedSvdParams {
        TruncatedSvdParams::new(n_components)
    }

    /// The parameters it was fitted with, as given.
    pub fn get_params(&self) -> &TruncatedSvdParams {
        &self.params
    }

    /// The power iteration normalizer used ([`Auto`] resolved).
    ///
    /// [`Auto`]: PowerIterationNormalizer::Auto
    pub fn power_iteration_normalizer(&self) -> PowerIterationNormalizer {
        self.normalizer
    }

    /// The right singular vectors, one per row (`n_components × n_terms`),
    /// orthonormal, in decreasing order of singular value: scikit-learn's
    /// `components_`.
    ///
    /// Signs follow scikit-learn 1.9's `TruncatedSVD`, which calls
    /// `svd_flip(U, Vt, u_based_decision=False)`: the entry of largest
    /// absolute value of each row is positive (the first such entry on ties).
    pub fn components(&self) -> &Array2<f64> {
        &self.components
    }

    /// The singular values, largest first (`n_components`): scikit-learn's
    /// `singular_values_`.
    pub fn singular_values(&self) -> &Array1<f64> {
        &self.singular_values
    }

    /// The variance of each column of the transformed training matrix
    /// `X · Vᵀ` (population variance, divided by the number of documents):
    /// scikit-learn's `explained_variance_`.
    pub fn explained_variance(&self) -> &Array1<f64> {
        &self.explained_variance
    }

    /// [`explained_variance`](Self::explained_variance) over the total
    /// variance of `X`'s columns: scikit-learn's `explained_variance_ratio_`.
    ///
    /// ```text
    /// ratio[c] = var(X · v_c) / Σ_j var(X[:, j])
    /// ```
    ///
    /// `X` is not centered (it stays sparse), so the ratios need not decrease
    /// and the first is often small. All zero when `X` has no variance (where
    /// scikit-learn would divide by zero).
    pub fn explained_variance_ratio(&self) -> &Array1<f64> {
        &self.explained_variance_ratio
    }

    /// The number of components (dimensions of the output).
    pub fn n_components(&self) -> usize {
        self.components.nrows()
    }

    /// The number of columns (terms) of the matrix it was fitted on.
    pub fn n_features(&self) -> usize {
        self.components.ncols()
    }

    /// Projects the rows of `x` on the components: `x · Vᵀ`
    /// (`n_documents × n_components`), scikit-learn's `transform`.
    ///
    /// Fails when `x` has another number of columns than the fitted matrix or
    /// holds NaN or infinite values.
    ///
    /// ```
    /// use topica::analyze::StopWordList;
    /// use topica::corpus::{Corpus, ReadOptions};
    /// use topica::reduce::TruncatedSvd;
    /// use topica::vectorize::TfidfVectorizer;
    ///
    /// let corpus = Corpus::read(&["data/news"], &ReadOptions::default())?;
    /// let texts = corpus.texts();
    /// let (vectorizer, x) = TfidfVectorizer::params()
    ///     .stop_words(Some(StopWordList::English))
    ///     .fit_transform(&texts[..60])?;
    /// let svd = TruncatedSvd::params(5).fit(x.matrix())?;
    ///
    /// // Paragraphs the SVD has not seen, through the same vocabulary.
    /// let y = vectorizer.transform(&texts[60..]);
    /// let z = svd.transform(y.matrix())?;
    /// assert_eq!(z.dim(), (14, 5));
    /// # Ok::<(), topica::Error>(())
    /// ```
    pub fn transform(&self, x: &SparseMatrix<f64>) -> Result<Array2<f64>> {
        if x.cols() != self.n_features() {
            return Err(Error::Fit(format!(
                "the matrix has {} columns (terms) but the SVD was fitted on {}: \
                 transform documents with the vectorizer the SVD was fitted after",
                x.cols(),
                self.n_features()
            )));
        }
        check_finite(x)?;
        let x = as_csr(x);
        Ok(csr_times_dense(&x, self.components.t()))
    }
}

impl TruncatedSvdParams {
    /// Fits the SVD to `x` (`n_documents × n_terms`, CSR or CSC).
    ///
    /// Fails when the parameters do not [`check`](Self::check), when `x` is
    /// empty or holds NaN or infinite values, and when `n_components` exceeds
    /// `min(n_documents, n_terms)` (no matrix has more singular values).
    /// scikit-learn's randomized solver only refuses `n_components >
    /// n_terms` and silently returns fewer components than asked when there
    /// are fewer documents; `n_components = min(n_documents, n_terms)` is
    /// allowed (the decomposition is then complete).
    ///
    /// # Algorithm
    ///
    /// scikit-learn's `randomized_svd` (Halko, Martinsson and Tropp, 2011,
    /// algorithms 4.3 and 5.1), with `l = min(n_components + n_oversamples,
    /// n_documents, n_terms)` random directions. Like scikit-learn, it works
    /// on `M = Xᵀ` when `X` has fewer rows than columns, on `M = X`
    /// otherwise:
    ///
    /// ```text
    /// Q ← standard normal, n_cols(M) × l
    /// repeat n_iter times:  Q ← normalize(M Q);  Q ← normalize(Mᵀ Q)
    /// Q ← orthonormal basis of M Q                      (QR)
    /// Bᵀ = Mᵀ Q = Q_B R_B                               (QR)
    /// R_B = U_R diag(s) V_Rᵀ                            (dense SVD, l × l)
    /// M ≈ (Q V_R) diag(s) (Q_B U_R)ᵀ
    /// ```
    ///
    /// and keeps the first `n_components` singular values and right singular
    /// vectors of `X`. The SVD of `B` goes through the QR of `Bᵀ` so that the
    /// only dense SVD is of an `l × l` matrix (linfa-linalg's); these two QRs
    /// are Cholesky QR twice, falling back to Householder QR on
    /// ill-conditioned or rank-deficient bases (see
    /// [`PowerIterationNormalizer::QR`]).
    ///
    /// ```
    /// use topica::analyze::StopWordList;
    /// use topica::corpus::{Corpus, ReadOptions};
    /// use topica::reduce::TruncatedSvd;
    /// use topica::vectorize::TfidfVectorizer;
    ///
    /// let corpus = Corpus::read(&["data/news"], &ReadOptions::default())?;
    /// let (_, x) = TfidfVectorizer::params()
    ///     .stop_words(Some(StopWordList::English))
    ///     .fit_transform(&corpus.texts())?;
    /// let svd = TruncatedSvd::params(10).fit(x.matrix())?;
    /// assert_eq!(svd.components().dim(), (10, 561));
    /// // The exact largest singular value is 1.8340120070...
    /// assert!((svd.singular_values()[0] - 1.834012007).abs() < 1e-4);
    ///
    /// let too_many = TruncatedSvd::params(75).fit(x.matrix()).unwrap_err();
    /// assert!(too_many.to_string().contains("n_components=75"));
    /// # Ok::<(), topica::Error>(())
    /// ```
    pub fn fit(&self, x: &SparseMatrix<f64>) -> Result<TruncatedSvd> {
        self.fit_transform(x).map(|(svd, _)| svd)
    }

    /// Fits the SVD to `x` and returns it with `x` transformed
    /// (`n_documents × n_components`): the same as [`fit`](Self::fit) then
    /// [`TruncatedSvd::transform`], bit for bit, computed once.
    ///
    /// ```
    /// use topica::analyze::StopWordList;
    /// use topica::corpus::{Corpus, ReadOptions};
    /// use topica::reduce::{TruncatedSvd, normalize_rows};
    /// use topica::vectorize::TfidfVectorizer;
    ///
    /// let corpus = Corpus::read(&["data/news"], &ReadOptions::default())?;
    /// let (_, x) = TfidfVectorizer::params()
    ///     .stop_words(Some(StopWordList::English))
    ///     .fit_transform(&corpus.texts())?;
    /// let (svd, mut z) = TruncatedSvd::params(10).fit_transform(x.matrix())?;
    /// assert_eq!(z.dim(), (74, 10));
    /// assert_eq!(z, svd.transform(x.matrix())?);
    ///
    /// // LSA: unit rows again, for cosine similarity.
    /// normalize_rows(&mut z);
    /// let norm: f64 = z.row(0).iter().map(|v| v * v).sum::<f64>().sqrt();
    /// assert!((norm - 1.0).abs() < 1e-12);
    /// # Ok::<(), topica::Error>(())
    /// ```
    pub fn fit_transform(&self, x: &SparseMatrix<f64>) -> Result<(TruncatedSvd, Array2<f64>)> {
        self.check()?;
        let (n, d) = x.shape();
        if n == 0 || d == 0 {
            return Err(Error::Fit(format!(
                "cannot decompose an empty matrix ({n} documents x {d} terms)"
            )));
        }
        let k = self.n_components;
        if k > n.min(d) {
            return Err(ParamError::new(
                "n_components",
                format!(
                    "n_components={k} should be <= min(n_documents={n}, n_terms={d}) = {}: \
                     a matrix has no more singular values",
                    n.min(d)
                ),
            )
            .into());
        }
        check_finite(x)?;
        let x = as_csr(x);
        let xt = transpose(&x);
        let normalizer = self.power_iteration_normalizer.resolve(self.n_iter);
        let (components, singular_values) = self.randomized_svd(&x, &xt, normalizer)?;

        let transformed = csr_times_dense(&x, components.t());
        let explained_variance = transformed.var_axis(Axis(0), 0.0);
        let total = total_column_variance(&xt);
        let explained_variance_ratio = if total > 0.0 {
            &explained_variance / total
        } else {
            Array1::zeros(k)
        };
        let svd = TruncatedSvd {
            params: self.clone(),
            normalizer,
            components,
            singular_values,
            explained_variance,
            explained_variance_ratio,
        };
        if svd.singular_values.iter().any(|v| !v.is_finite())
            || svd.components.iter().any(|v| !v.is_finite())
        {
            return Err(Error::Fit(
                "the SVD did not converge to finite values".to_string(),
            ));
        }
        Ok((svd, transformed))
    }

    /// The top `n_components` right singular vectors of `x` (rows, signs
    /// flipped) and singular values; `xt` is `x` transposed, both CSR.
    fn randomized_svd(
        &self,
        x: &SparseMatrix<f64>,
        xt: &SparseMatrix<f64>,
        normalizer: PowerIterationNormalizer,
    ) -> Result<(Array2<f64>, Array1<f64>)> {
        let (n, d) = x.shape();
        let k = self.n_components;
        // Saturating: `n_oversamples` is any usize (usize::MAX wrapped `l`
        // below `k`, and the slicing of the first `k` columns panicked).
        let l = k.saturating_add(self.n_oversamples).min(n).min(d);
        // scikit-learn: "this implementation is a bit faster with smaller shape[1]".
        let transposed = n < d;
        let (m, mt) = if transposed { (xt, x) } else { (x, xt) };

        let normalize = |y: Array2<f64>| -> Result<Array2<f64>> {
            Ok(match normalizer {
                PowerIterationNormalizer::QR | PowerIterationNormalizer::Auto => {
                    orthonormal_basis(y)?
                }
                PowerIterationNormalizer::LU => lu_permuted_l(y),
                PowerIterationNormalizer::None => {
                    let mut y = y;
                    rescale(&mut y);
                    y
                }
            })
        };
        let mut q = gaussian(m.cols(), l, self.seed);
        for _ in 0..self.n_iter {
            q = normalize(csr_times_dense(m, q.view()))?;
            q = normalize(csr_times_dense(mt, q.view()))?;
        }
        let (q, _) = orthonormalize(csr_times_dense(m, q.view()))?;
        let (q_b, r_b) = orthonormalize(csr_times_dense(mt, q.view()))?;
        let (u_r, s, v_rt) = small_svd(r_b)?;

        // The right singular vectors of X, as columns (n_terms × k).
        let v = if transposed {
            times_small(q.view(), v_rt.t().slice(s![.., ..k]))
        } else {
            times_small(q_b.view(), u_r.slice(s![.., ..k]))
        };
        let mut components = v.reversed_axes().as_standard_layout().into_owned();
        flip_signs(&mut components);
        Ok((components, s.slice_move(s![..k])))
    }
}

/// scikit-learn's `svd_flip(u, v, u_based_decision=False)` on `v` alone: each
/// row's first entry of largest absolute value becomes positive.
fn flip_signs(v: &mut Array2<f64>) {
    for mut row in v.rows_mut() {
        let mut largest = 0.0f64;
        let mut value = 0.0f64;
        for &x in row.iter() {
            if x.abs() > largest {
                largest = x.abs();
                value = x;
            }
        }
        if value < 0.0 {
            row.mapv_inplace(|x| -x);
        }
    }
}

/// Fails on NaN or infinite values, as scikit-learn's `check_array` does.
pub(crate) fn check_finite(x: &SparseMatrix<f64>) -> Result<()> {
    match x.first_non_finite() {
        None => Ok(()),
        Some(i) => Err(Error::Fit(format!(
            "the matrix holds NaN or infinite values (first in row {i})"
        ))),
    }
}

/// The dimensions of an LSA space asked for as `asked` on a `rows x cols`
/// matrix: at most one fewer than its smaller side, and at least 1. A
/// reduction to the full rank is no reduction (its last component only
/// carries what the others leave), and scikit-learn's `TruncatedSVD` with
/// arpack refuses it. Every LSA space of topica (`cluster --method
/// lsa-kmeans`, `cluster --coords`, `similar --space lsa`) is sized by it.
///
/// ```
/// use topica::reduce::lsa_components;
///
/// assert_eq!(lsa_components(100, 74, 198), 73);
/// assert_eq!(lsa_components(100, 18_846, 173_762), 100);
/// assert_eq!(lsa_components(100, 1, 5), 1);
/// ```
pub fn lsa_components(asked: usize, rows: usize, cols: usize) -> usize {
    asked.min(rows.min(cols).saturating_sub(1)).max(1)
}

/// Scales each row of `a` to unit Euclidean length, in place; rows of zeros
/// stay zeros (as do rows so small that their squared norm underflows, as in
/// scikit-learn). scikit-learn's `Normalizer(norm="l2")`, the step that follows
/// `TruncatedSVD` in LSA (the reduced rows are no longer unit length, and
/// cosine similarity on unit rows is a dot product).
///
/// ```
/// use ndarray::array;
/// use topica::reduce::normalize_rows;
///
/// let mut a = array![[3.0, 4.0], [0.0, 0.0], [0.0, -2.0]];
/// normalize_rows(&mut a);
/// assert_eq!(a, array![[0.6, 0.8], [0.0, 0.0], [0.0, -1.0]]);
/// ```
pub fn normalize_rows(a: &mut Array2<f64>) {
    for mut row in a.rows_mut() {
        let norm = row.iter().map(|v| v * v).sum::<f64>().sqrt();
        if norm > 0.0 && norm.is_finite() {
            row.mapv_inplace(|v| v / norm);
        }
    }
}

#[cfg(test)]
mod tests {
    use ndarray::array;

    use super::*;
    use crate::reduce::tests::csr;

    #[test]
    fn flip_makes_the_largest_entry_positive() {
        let mut v = array![[0.1, -0.9, 0.3], [0.5, -0.5, 0.0], [0.0, 0.2, -0.1]];
        flip_signs(&mut v);
        assert_eq!(
            v,
            array![[-0.1, 0.9, -0.3], [0.5, -0.5, 0.0], [0.0, 0.2, -0.1]]
        );
    }

    #[test]
    fn too_many_components_is_an_error_naming_the_shape() {
        let x = csr(&array![[1.0, 0.0, 2.0], [0.0, 3.0, 0.0]]);
        let e = TruncatedSvd::params(3).fit(&x).unwrap_err();
        assert!(e.is_usage());
        assert_eq!(
            e.to_string(),
            "invalid n_components: n_components=3 should be <= min(n_documents=2, n_terms=3) = 2: \
             a matrix has no more singular values"
        );
        assert!(TruncatedSvd::params(2).fit(&x).is_ok());
    }

    #[test]
    fn empty_and_non_finite_matrices_are_errors() {
        let empty = SparseMatrix::<f64>::zero((0, 4));
        let e = TruncatedSvd::params(1).fit(&empty).unwrap_err();
        assert_eq!(
            e.to_string(),
            "cannot decompose an empty matrix (0 documents x 4 terms)"
        );
        let nan = csr(&array![[1.0, f64::NAN], [0.0, 1.0]]);
        let e = TruncatedSvd::params(1).fit(&nan).unwrap_err();
        assert!(e.to_string().contains("NaN"));
        let e = TruncatedSvd::params(0).fit(&nan).unwrap_err();
        assert!(e.to_string().contains("n_components"));
    }

    #[test]
    fn transform_checks_the_width() {
        let x = csr(&array![[1.0, 0.0, 2.0], [0.0, 3.0, 0.0], [1.0, 1.0, 1.0]]);
        let svd = TruncatedSvd::params(2).fit(&x).unwrap();
        let narrow = csr(&array![[1.0, 0.0]]);
        let e = svd.transform(&narrow).unwrap_err();
        assert!(
            e.to_string()
                .starts_with("the matrix has 2 columns (terms) but the SVD was fitted on 3")
        );
    }

    #[test]
    fn a_zero_matrix_gives_zeros_not_nan() {
        let x = SparseMatrix::<f64>::zero((4, 3));
        let (svd, z) = TruncatedSvd::params(2).fit_transform(&x).unwrap();
        assert_eq!(svd.singular_values(), &array![0.0, 0.0]);
        assert_eq!(svd.explained_variance_ratio(), &array![0.0, 0.0]);
        assert_eq!(z, Array2::<f64>::zeros((4, 2)));
        let c = svd.components();
        let g = c.dot(&c.t());
        assert!((g - Array2::<f64>::eye(2)).iter().all(|v| v.abs() < 1e-12));
    }

    #[test]
    fn a_diagonal_matrix_is_decomposed_exactly() {
        let x = csr(&array![
            [3.0, 0.0, 0.0, 0.0],
            [0.0, -5.0, 0.0, 0.0],
            [0.0, 0.0, 0.0, 0.0],
            [0.0, 0.0, 0.0, 1.0],
            [0.0, 0.0, 2.0, 0.0]
        ]);
        for normalizer in [
            PowerIterationNormalizer::QR,
            PowerIterationNormalizer::LU,
            PowerIterationNormalizer::None,
        ] {
            let (svd, z) = TruncatedSvd::params(3)
                .power_iteration_normalizer(normalizer)
                .fit_transform(&x)
                .unwrap();
            let s = svd.singular_values();
            assert!(
                (s - &array![5.0, 3.0, 2.0]).iter().all(|v| v.abs() < 1e-12),
                "{s}"
            );
            let expected = array![
                [0.0, 1.0, 0.0, 0.0],
                [1.0, 0.0, 0.0, 0.0],
                [0.0, 0.0, 1.0, 0.0]
            ];
            let diff = svd.components() - &expected;
            assert!(
                diff.iter().all(|v| v.abs() < 1e-12),
                "{normalizer}: {}",
                svd.components()
            );
            let expected_z = array![[0.0, 3.0, 0.0], [-5.0, 0.0, 0.0], [0.0, 0.0, 0.0]];
            let diff = &z.slice(s![..3, ..]) - &expected_z;
            assert!(diff.iter().all(|v| v.abs() < 1e-12), "{z}");
        }
    }

    #[test]
    fn tall_and_wide_matrices_agree() {
        // X and Xᵀ take the two orientations of the algorithm: same spectrum.
        let x = array![
            [1.0, 0.0, 2.0, 0.0, 1.0],
            [0.0, 3.0, 0.0, 1.0, 0.0],
            [4.0, 0.0, 0.5, 0.0, 0.0],
            [0.0, 1.0, 0.0, 0.0, 2.0]
        ];
        let wide = TruncatedSvd::params(3).fit(&csr(&x)).unwrap();
        let tall = TruncatedSvd::params(3)
            .fit(&csr(&x.t().to_owned()))
            .unwrap();
        let diff = wide.singular_values() - tall.singular_values();
        assert!(diff.iter().all(|v| v.abs() < 1e-10), "{diff}");
    }

    #[test]
    fn csc_input_gives_the_same_result() {
        let x = csr(&array![
            [1.0, 0.0, 2.0],
            [0.0, 3.0, 0.0],
            [1.0, 1.0, 0.0],
            [0.0, 0.0, 1.0]
        ]);
        let a = TruncatedSvd::params(2).fit_transform(&x).unwrap();
        let b = TruncatedSvd::params(2).fit_transform(&x.to_csc()).unwrap();
        assert_eq!(a, b);
    }

    #[test]
    fn normalize_rows_leaves_zero_rows() {
        // As in scikit-learn, a row whose squared norm underflows to zero is
        // left as it is.
        let mut a = array![[0.0, 0.0], [1e-300, 0.0], [2.0, 0.0], [-3.0, 4.0]];
        normalize_rows(&mut a);
        assert_eq!(
            a,
            array![[0.0, 0.0], [1e-300, 0.0], [1.0, 0.0], [-0.6, 0.8]]
        );
    }
}
