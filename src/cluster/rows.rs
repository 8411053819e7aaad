//! The rows k-means works on: sparse TF-IDF rows or dense LSA rows, behind
//! one small trait so that every algorithm is written once.

use ndarray::{Array2, ArrayView2};
use rayon::prelude::*;

use super::centroids::CentroidPostings;
use crate::vectorize::{SparseMatrix, l2_norm};

/// The smallest and largest magnitudes (2^-400 and 2^400) that rows may keep
/// as they are: up to 2^100 squares of such values sum without leaving f64's
/// normal range.
const SAFE: (f64, f64) = (
    f64::from_bits(((1023 - 400) as u64) << 52),
    f64::from_bits(((1023 + 400) as u64) << 52),
);

/// A copy of rows brought back into a safe range of magnitudes, from
/// [`Rows::rescaled`].
#[derive(Debug, Clone)]
pub enum Rescaled {
    /// Rescaled sparse rows.
    Sparse(SparseMatrix<f64>),
    /// Rescaled dense rows.
    Dense(Array2<f64>),
}

/// Multiplies `v` by 2^`e` exactly (in two steps, as 2^e alone may overflow).
fn times_pow2(v: f64, e: i32) -> f64 {
    let half = e / 2;
    v * 2f64.powi(half) * 2f64.powi(e - half)
}

/// The power of two that brings `max` (a positive, finite magnitude) into
/// [1, 2), when `max` lies outside the safe range; else 0.
fn exponent_for(max: f64) -> i32 {
    if max == 0.0 || !max.is_finite() || (SAFE.0..=SAFE.1).contains(&max) {
        0
    } else {
        -(max.log2().floor() as i32)
    }
}

/// The exponents of [`Rows::rescaled`] from each row's largest magnitude:
/// one for the whole matrix (so that rows keep their relative sizes, which
/// k-means++ distances depend on), then one per row still out of range.
fn exponents(row_max: &[f64]) -> Option<(i32, Vec<i32>)> {
    let out_of_range = |m: f64| exponent_for(m) != 0;
    if !row_max.iter().any(|&m| out_of_range(m)) {
        return None;
    }
    let global = exponent_for(row_max.iter().fold(0.0f64, |a, &m| a.max(m)));
    let rows = row_max
        .iter()
        .map(|&m| exponent_for(times_pow2(m, global)))
        .collect();
    Some((global, rows))
}

/// Read access to the rows of a document x feature matrix.
///
/// Implemented for the sparse CSR matrices of [`crate::vectorize`] and for
/// dense `ndarray` views. Centroids are dense and stored *feature-major*
/// (`dim x k`, the `k` values of one feature contiguous) so that a sparse row
/// meets its non-zeros' centroid values in one cache line each.
pub trait Rows: Sync {
    /// Number of rows (documents).
    fn n_rows(&self) -> usize;
    /// Number of columns (features).
    fn dim(&self) -> usize;
    /// Squared Euclidean norm of row `i`.
    fn norm_sq(&self, i: usize) -> f64;
    /// Euclidean norm of row `i`, exact at every magnitude ([`l2_norm`]).
    fn norm(&self, i: usize) -> f64;
    /// A copy in which values too small or too large for their squares to
    /// stay in f64's normal range (a row's largest magnitude outside
    /// 2^-400..2^400, about 1e±120) are multiplied by powers of two: first
    /// the whole matrix, keeping the rows' relative sizes, then any row still
    /// out of range on its own. Powers of two scale exactly, and cosines do
    /// not depend on a row's scale, so cosine-based methods give the same
    /// result on the copy. `None` when every row is in range (always so for
    /// TF-IDF rows). NaN and infinite values are left as they are (an
    /// infinite row is never rescaled): callers refuse them with
    /// [`first_non_finite`](Rows::first_non_finite), before or after.
    fn rescaled(&self) -> Option<Rescaled>;
    /// The first row holding a NaN or infinite value, if any: every method
    /// refuses such rows (as scikit-learn's `check_array` does) rather than
    /// return NaN.
    fn first_non_finite(&self) -> Option<usize>;
    /// Dot product of row `i` with a dense vector of length [`dim`](Rows::dim).
    fn dot(&self, i: usize, v: &[f64]) -> f64;
    /// Adds `weight` times row `i` to the dense vector `acc`.
    fn add_to(&self, i: usize, weight: f64, acc: &mut [f64]);
    /// Calls `f(j, value)` for each of row `i`'s non-zero values, in
    /// column order (by default through a dense copy of the row).
    fn for_each_nonzero(&self, i: usize, mut f: impl FnMut(usize, f64)) {
        let mut row = vec![0.0; self.dim()];
        self.add_to(i, 1.0, &mut row);
        for (j, x) in row.into_iter().enumerate() {
            if x != 0.0 {
                f(j, x);
            }
        }
    }
    /// Adds `weight` times row `i` to column `c` of the feature-major block
    /// `block` (`dim * k` values): `block[j * k + c] += weight * x[i, j]`.
    fn add_to_column(&self, i: usize, weight: f64, block: &mut [f64], k: usize, c: usize);
    /// Dot products of row `i` with the `k` centroids stored feature-major in
    /// `centroids_t` (`dim * k` values), written into `out` (length `k`).
    fn dots_t(&self, i: usize, centroids_t: &[f64], k: usize, out: &mut [f64]);
    /// Row `i`'s stored entries `(columns, values)` in column order, for
    /// sparse rows; `None` for dense ones (the default).
    fn sparse_row(&self, _i: usize) -> Option<(&[u32], &[f64])> {
        None
    }
    /// Whether [`sparse_row`](Self::sparse_row) gives rows (the default: no).
    fn is_sparse(&self) -> bool {
        false
    }
    /// Sums of weighted rows by label into the feature-major block `block`
    /// (`dim * k` values, zeroed first): `block[j * k + labels[i]] +=
    /// weights[i] * x[i, j]` for every row whose weight is not zero and whose
    /// label is below `k`, rows added in index order (so that every sum is
    /// the same to the bit however it is computed).
    fn sums_by_label(&self, labels: &[usize], weights: &[f64], block: &mut [f64], k: usize) {
        block.fill(0.0);
        for (i, (&l, &w)) in labels.iter().zip(weights).enumerate() {
            if w != 0.0 && l < k {
                self.add_to_column(i, w, block, k, l);
            }
        }
    }
    /// [`sums_by_label`](Self::sums_by_label) as feature-major postings
    /// (the same sums to the bit, zeros left out), without a dense block
    /// when the rows are held by columns too ([`WithColumns`]).
    fn sums_by_label_sparse(
        &self,
        labels: &[usize],
        weights: &[f64],
        k: usize,
    ) -> CentroidPostings {
        let mut block = vec![0.0; self.dim() * k];
        self.sums_by_label(labels, weights, &mut block, k);
        CentroidPostings::of_block(&block, k, 0)
    }
    /// For each row `c` of `centres`, its dot products with every row (`n`
    /// values), each a sum over the features in increasing order.
    fn dots_with_rows(&self, centres: &[usize]) -> Vec<Vec<f64>> {
        let (n, m, dim) = (self.n_rows(), centres.len(), self.dim());
        let mut block = vec![0.0; dim * m];
        for (t, &c) in centres.iter().enumerate() {
            let mut row = vec![0.0; dim];
            self.add_to(c, 1.0, &mut row);
            for (j, v) in row.into_iter().enumerate() {
                if v != 0.0 {
                    block[j * m + t] = v;
                }
            }
        }
        let mut dots = vec![0.0; n * m];
        dots.par_chunks_mut(CHUNK * m)
            .enumerate()
            .for_each(|(chunk, out)| {
                for (o, slots) in out.chunks_mut(m).enumerate() {
                    self.dots_t(chunk * CHUNK + o, &block, m, slots);
                }
            });
        (0..m)
            .map(|t| (0..n).map(|i| dots[i * m + t]).collect())
            .collect()
    }
    /// These rows together with a copy stored by columns ([`WithColumns`]),
    /// for methods that make many passes over them: `Some` for a sparse
    /// matrix, `None` for dense rows (and for rows that already have one).
    fn with_columns(&self) -> Option<WithColumns<'_>> {
        None
    }
}

/// Rows per parallel task of [`Rows::dots_with_rows`] (fixed, so that work
/// never depends on the thread count).
const CHUNK: usize = 512;

/// Features per parallel task of [`WithColumns::sums_by_label`].
const COLUMNS_CHUNK: usize = 1024;

/// A sparse matrix held twice, by rows (the caller's, borrowed) and by
/// columns (a copy, 12 bytes a non-zero), from [`Rows::with_columns`].
///
/// Two steps of k-means go term by term: summing the rows of each cluster
/// into the centroids (by columns, each term's sums are written by one task,
/// so they run in parallel, where by rows every row scatters into the whole
/// centroid block on one thread) and k-means++'s dot products of every row
/// with a few chosen rows (by columns, only the chosen rows' terms are
/// visited, instead of every non-zero of the matrix). Both add the same
/// products in the same order as the row-wise code, so the results are the
/// same to the bit. On all of 20 Newsgroups (18,846 posts, 1.15 million
/// non-zeros, k = 20) the copy takes about 10 ms, and saves more than that
/// in every k-means run.
#[derive(Debug, Clone)]
pub struct WithColumns<'a> {
    rows: &'a SparseMatrix<f64>,
    columns: SparseMatrix<f64>,
}

impl<'a> WithColumns<'a> {
    /// `rows` with a copy of them stored by columns.
    pub fn new(rows: &'a SparseMatrix<f64>) -> Self {
        WithColumns {
            rows,
            columns: rows.to_other_storage(),
        }
    }
}

impl Rows for SparseMatrix<f64> {
    fn n_rows(&self) -> usize {
        self.rows()
    }

    fn dim(&self) -> usize {
        self.cols()
    }

    fn norm_sq(&self, i: usize) -> f64 {
        self.outer_view(i)
            .map_or(0.0, |row| row.data().iter().map(|v| v * v).sum())
    }

    fn norm(&self, i: usize) -> f64 {
        self.outer_view(i).map_or(0.0, |row| l2_norm(row.data()))
    }

    fn rescaled(&self) -> Option<Rescaled> {
        let row_max: Vec<f64> = self
            .outer_iterator()
            .map(|row| row.data().iter().fold(0.0f64, |a, v| a.max(v.abs())))
            .collect();
        let (global, rows) = exponents(&row_max)?;
        let mut copy = self.clone();
        let indptr: Vec<usize> = copy.indptr().raw_storage().to_vec();
        let data = copy.data_mut();
        for (r, &e) in rows.iter().enumerate() {
            for v in &mut data[indptr[r] - indptr[0]..indptr[r + 1] - indptr[0]] {
                *v = times_pow2(times_pow2(*v, global), e);
            }
        }
        Some(Rescaled::Sparse(copy))
    }

    fn first_non_finite(&self) -> Option<usize> {
        self.outer_iterator()
            .position(|row| row.data().iter().any(|v| !v.is_finite()))
    }

    fn dot(&self, i: usize, v: &[f64]) -> f64 {
        let Some(row) = self.outer_view(i) else {
            return 0.0;
        };
        row.indices()
            .iter()
            .zip(row.data())
            .map(|(&j, &x)| x * v[j as usize])
            .sum()
    }

    fn add_to(&self, i: usize, weight: f64, acc: &mut [f64]) {
        if let Some(row) = self.outer_view(i) {
            for (&j, &x) in row.indices().iter().zip(row.data()) {
                acc[j as usize] += weight * x;
            }
        }
    }

    fn for_each_nonzero(&self, i: usize, mut f: impl FnMut(usize, f64)) {
        if let Some(row) = self.outer_view(i) {
            for (&j, &x) in row.indices().iter().zip(row.data()) {
                if x != 0.0 {
                    f(j as usize, x);
                }
            }
        }
    }

    fn add_to_column(&self, i: usize, weight: f64, block: &mut [f64], k: usize, c: usize) {
        if let Some(row) = self.outer_view(i) {
            for (&j, &x) in row.indices().iter().zip(row.data()) {
                block[j as usize * k + c] += weight * x;
            }
        }
    }

    fn with_columns(&self) -> Option<WithColumns<'_>> {
        Some(WithColumns::new(self))
    }

    fn sparse_row(&self, i: usize) -> Option<(&[u32], &[f64])> {
        let span = self.indptr().outer_inds_sz(i);
        Some((&self.indices()[span.clone()], &self.data()[span]))
    }

    fn is_sparse(&self) -> bool {
        true
    }

    fn dots_t(&self, i: usize, centroids_t: &[f64], k: usize, out: &mut [f64]) {
        out.iter_mut().for_each(|o| *o = 0.0);
        let Some(row) = self.outer_view(i) else {
            return;
        };
        let (indices, data) = (row.indices(), row.data());
        let mut start = 0;
        while k - start >= 8 {
            dots_block::<8>(
                indices,
                data,
                centroids_t,
                k,
                start,
                &mut out[start..start + 8],
            );
            start += 8;
        }
        match k - start {
            0 => {}
            4 => dots_block::<4>(indices, data, centroids_t, k, start, &mut out[start..]),
            _ => {
                for (&j, &x) in indices.iter().zip(data) {
                    let c = &centroids_t[j as usize * k + start..(j as usize + 1) * k];
                    for (o, &cv) in out[start..].iter_mut().zip(c) {
                        *o += x * cv;
                    }
                }
            }
        }
    }
}

/// `out[t] = sum over the row's non-zeros of x * centroids_t[j * k + start + t]`
/// for `t < B`, the `B` sums kept in registers (one pass over the row per
/// block of `B` centroids, instead of loading and storing `k` sums in memory
/// for every non-zero). Each sum adds the non-zeros in the row's order, as
/// the plain loop does: the results are the same to the bit.
#[inline(always)]
fn dots_block<const B: usize>(
    indices: &[u32],
    data: &[f64],
    centroids_t: &[f64],
    k: usize,
    start: usize,
    out: &mut [f64],
) {
    let mut acc = [0.0f64; B];
    for (&j, &x) in indices.iter().zip(data) {
        let at = j as usize * k + start;
        let c: &[f64; B] = centroids_t[at..at + B].try_into().expect("B values");
        for t in 0..B {
            acc[t] += x * c[t];
        }
    }
    out[..B].copy_from_slice(&acc);
}

impl Rows for WithColumns<'_> {
    fn n_rows(&self) -> usize {
        self.rows.n_rows()
    }

    fn dim(&self) -> usize {
        self.rows.dim()
    }

    fn norm_sq(&self, i: usize) -> f64 {
        self.rows.norm_sq(i)
    }

    fn norm(&self, i: usize) -> f64 {
        self.rows.norm(i)
    }

    fn rescaled(&self) -> Option<Rescaled> {
        self.rows.rescaled()
    }

    fn first_non_finite(&self) -> Option<usize> {
        self.rows.first_non_finite()
    }

    fn dot(&self, i: usize, v: &[f64]) -> f64 {
        self.rows.dot(i, v)
    }

    fn add_to(&self, i: usize, weight: f64, acc: &mut [f64]) {
        self.rows.add_to(i, weight, acc)
    }

    fn for_each_nonzero(&self, i: usize, f: impl FnMut(usize, f64)) {
        self.rows.for_each_nonzero(i, f)
    }

    fn add_to_column(&self, i: usize, weight: f64, block: &mut [f64], k: usize, c: usize) {
        self.rows.add_to_column(i, weight, block, k, c)
    }

    fn dots_t(&self, i: usize, centroids_t: &[f64], k: usize, out: &mut [f64]) {
        self.rows.dots_t(i, centroids_t, k, out)
    }

    fn sparse_row(&self, i: usize) -> Option<(&[u32], &[f64])> {
        self.rows.sparse_row(i)
    }

    fn is_sparse(&self) -> bool {
        true
    }

    fn sums_by_label_sparse(
        &self,
        labels: &[usize],
        weights: &[f64],
        k: usize,
    ) -> CentroidPostings {
        // Each column's sums in a k-slot buffer (the clusters it touched
        // noted), read back in cluster order: every sum adds the column's
        // rows in index order, as `sums_by_label` does.
        let dim = self.dim();
        let parts = (0..dim.div_ceil(COLUMNS_CHUNK))
            .into_par_iter()
            .map(|chunk| {
                let mut sums = vec![0.0; k];
                let mut seen = vec![false; k];
                let mut touched: Vec<usize> = Vec::new();
                let columns = chunk * COLUMNS_CHUNK..((chunk + 1) * COLUMNS_CHUNK).min(dim);
                let mut lens = Vec::with_capacity(columns.len());
                let (mut clusters, mut values) = (Vec::new(), Vec::new());
                for j in columns {
                    if let Some(column) = self.columns.outer_view(j) {
                        for (&i, &x) in column.indices().iter().zip(column.data()) {
                            let (l, w) = (labels[i as usize], weights[i as usize]);
                            if w != 0.0 && l < k {
                                if !seen[l] {
                                    seen[l] = true;
                                    touched.push(l);
                                }
                                sums[l] += w * x;
                            }
                        }
                    }
                    touched.sort_unstable();
                    let before = clusters.len();
                    for &l in &touched {
                        if sums[l] != 0.0 {
                            clusters.push(l as u32);
                            values.push(sums[l]);
                        }
                        sums[l] = 0.0;
                        seen[l] = false;
                    }
                    touched.clear();
                    lens.push(clusters.len() - before);
                }
                (lens, clusters, values)
            })
            .collect();
        CentroidPostings::concat(parts)
    }

    fn sums_by_label(&self, labels: &[usize], weights: &[f64], block: &mut [f64], k: usize) {
        block
            .par_chunks_mut(COLUMNS_CHUNK * k)
            .enumerate()
            .for_each(|(chunk, part)| {
                part.fill(0.0);
                for (o, sums) in part.chunks_exact_mut(k).enumerate() {
                    let Some(column) = self.columns.outer_view(chunk * COLUMNS_CHUNK + o) else {
                        continue;
                    };
                    for (&i, &x) in column.indices().iter().zip(column.data()) {
                        let (l, w) = (labels[i as usize], weights[i as usize]);
                        if w != 0.0 && l < k {
                            sums[l] += w * x;
                        }
                    }
                }
            });
    }

    fn dots_with_rows(&self, centres: &[usize]) -> Vec<Vec<f64>> {
        let n = self.n_rows();
        centres
            .par_iter()
            .map(|&c| {
                let mut dots = vec![0.0; n];
                if let Some(row) = self.rows.outer_view(c) {
                    for (&j, &v) in row.indices().iter().zip(row.data()) {
                        if let Some(column) = self.columns.outer_view(j as usize) {
                            for (&i, &x) in column.indices().iter().zip(column.data()) {
                                dots[i as usize] += x * v;
                            }
                        }
                    }
                }
                dots
            })
            .collect()
    }
}

impl Rows for ArrayView2<'_, f64> {
    fn n_rows(&self) -> usize {
        self.nrows()
    }

    fn dim(&self) -> usize {
        self.ncols()
    }

    fn norm_sq(&self, i: usize) -> f64 {
        self.row(i).iter().map(|v| v * v).sum()
    }

    fn norm(&self, i: usize) -> f64 {
        let row = self.row(i);
        match row.as_slice() {
            Some(values) => l2_norm(values),
            None => l2_norm(&row.to_vec()),
        }
    }

    fn rescaled(&self) -> Option<Rescaled> {
        let row_max: Vec<f64> = self
            .rows()
            .into_iter()
            .map(|row| row.iter().fold(0.0f64, |a, v| a.max(v.abs())))
            .collect();
        let (global, rows) = exponents(&row_max)?;
        let mut copy = self.to_owned();
        for (mut row, &e) in copy.rows_mut().into_iter().zip(&rows) {
            row.mapv_inplace(|v| times_pow2(times_pow2(v, global), e));
        }
        Some(Rescaled::Dense(copy))
    }

    fn first_non_finite(&self) -> Option<usize> {
        self.rows()
            .into_iter()
            .position(|row| row.iter().any(|v| !v.is_finite()))
    }

    fn dot(&self, i: usize, v: &[f64]) -> f64 {
        self.row(i).iter().zip(v).map(|(a, b)| a * b).sum()
    }

    fn add_to(&self, i: usize, weight: f64, acc: &mut [f64]) {
        for (a, &x) in acc.iter_mut().zip(self.row(i)) {
            *a += weight * x;
        }
    }

    fn for_each_nonzero(&self, i: usize, mut f: impl FnMut(usize, f64)) {
        for (j, &x) in self.row(i).iter().enumerate() {
            if x != 0.0 {
                f(j, x);
            }
        }
    }

    fn add_to_column(&self, i: usize, weight: f64, block: &mut [f64], k: usize, c: usize) {
        for (j, &x) in self.row(i).iter().enumerate() {
            block[j * k + c] += weight * x;
        }
    }

    fn dots_t(&self, i: usize, centroids_t: &[f64], k: usize, out: &mut [f64]) {
        out.iter_mut().for_each(|o| *o = 0.0);
        for (j, &x) in self.row(i).iter().enumerate() {
            if x != 0.0 {
                let c = &centroids_t[j * k..(j + 1) * k];
                for (o, &cv) in out.iter_mut().zip(c) {
                    *o += x * cv;
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Rows with some shared terms, some empty: 5 rows of 37 features.
    fn sample() -> SparseMatrix<f64> {
        let dim = 37;
        let (mut indptr, mut indices, mut data) = (vec![0usize], Vec::new(), Vec::new());
        for i in 0..5usize {
            if i != 3 {
                for j in (i % 3..dim).step_by(2 + i) {
                    indices.push(j as u32);
                    data.push(0.1 + (j * 7 + i) as f64 / 13.0 - if j % 5 == 0 { 1.0 } else { 0.0 });
                }
            }
            indptr.push(indices.len());
        }
        SparseMatrix::new((5, dim), indptr, indices, data)
    }

    /// The column-wise sums and dot products of [`WithColumns`] against the
    /// row-wise defaults, to the bit.
    #[test]
    fn the_copy_by_columns_gives_the_row_wise_results_to_the_bit() {
        let x = sample();
        let with = x.with_columns().expect("sparse rows have columns");
        let bits = |v: &[f64]| v.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
        for k in [1, 3, 4] {
            let labels: Vec<usize> = (0..5).map(|i| i % (k + 1)).collect(); // some label k: skipped
            let weights = [0.5, 1.0 / 3.0, 0.0, 2.0, 1.0 / 7.0];
            let mut by_rows = vec![f64::NAN; 37 * k];
            let mut by_columns = vec![f64::NAN; 37 * k];
            x.sums_by_label(&labels, &weights, &mut by_rows, k);
            with.sums_by_label(&labels, &weights, &mut by_columns, k);
            assert_eq!(bits(&by_rows), bits(&by_columns), "k = {k}");
            assert!(by_rows.iter().any(|&v| v != 0.0));
        }
        for centres in [vec![0], vec![4, 1, 3], vec![2, 2]] {
            let by_rows = x.dots_with_rows(&centres);
            let by_columns = with.dots_with_rows(&centres);
            assert_eq!(by_rows.len(), centres.len());
            for (a, b) in by_rows.iter().zip(&by_columns) {
                assert_eq!(bits(a), bits(b), "centres {centres:?}");
            }
            assert_eq!(by_rows[0][centres[0]], x.norm_sq(centres[0]));
        }
    }

    /// The register-blocked sparse `dots_t` against the plain loop, to the
    /// bit, for every k from 1 to 25 (blocks of 8, a block of 4, and the
    /// loop for what is left).
    #[test]
    fn sparse_dots_match_the_plain_loop_to_the_bit_for_every_k() {
        let dim = 37;
        let (mut indptr, mut indices, mut data) = (vec![0usize], Vec::new(), Vec::new());
        for i in 0..3usize {
            for j in (i..dim).step_by(3 + i) {
                indices.push(j as u32);
                data.push(0.1 + (j * 7 + i) as f64 / 13.0);
            }
            indptr.push(indices.len());
        }
        let x = SparseMatrix::new((3, dim), indptr, indices, data);
        for k in 1..=25 {
            let t: Vec<f64> = (0..dim * k)
                .map(|v| ((v * 31 % 17) as f64 - 8.0) / 3.0)
                .collect();
            for i in 0..x.n_rows() {
                let mut got = vec![f64::NAN; k];
                x.dots_t(i, &t, k, &mut got);
                let mut want = vec![0.0; k];
                let row = x.outer_view(i).unwrap();
                for (&j, &v) in row.indices().iter().zip(row.data()) {
                    for c in 0..k {
                        want[c] += v * t[j as usize * k + c];
                    }
                }
                let bits = |v: &[f64]| v.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
                assert_eq!(bits(&got), bits(&want), "k = {k}, row {i}");
            }
        }
    }
}
