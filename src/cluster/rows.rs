//! The rows k-means works on: sparse TF-IDF rows or dense LSA rows, behind
//! one small trait so that every algorithm is written once.

use ndarray::ArrayView2;

use crate::vectorize::SparseMatrix;

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
    /// Dot product of row `i` with a dense vector of length [`dim`](Rows::dim).
    fn dot(&self, i: usize, v: &[f64]) -> f64;
    /// Adds `weight` times row `i` to the dense vector `acc`.
    fn add_to(&self, i: usize, weight: f64, acc: &mut [f64]);
    /// Adds `weight` times row `i` to column `c` of the feature-major block
    /// `block` (`dim * k` values): `block[j * k + c] += weight * x[i, j]`.
    fn add_to_column(&self, i: usize, weight: f64, block: &mut [f64], k: usize, c: usize);
    /// Dot products of row `i` with the `k` centroids stored feature-major in
    /// `centroids_t` (`dim * k` values), written into `out` (length `k`).
    fn dots_t(&self, i: usize, centroids_t: &[f64], k: usize, out: &mut [f64]);
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

    fn add_to_column(&self, i: usize, weight: f64, block: &mut [f64], k: usize, c: usize) {
        if let Some(row) = self.outer_view(i) {
            for (&j, &x) in row.indices().iter().zip(row.data()) {
                block[j as usize * k + c] += weight * x;
            }
        }
    }

    fn dots_t(&self, i: usize, centroids_t: &[f64], k: usize, out: &mut [f64]) {
        out.iter_mut().for_each(|o| *o = 0.0);
        let Some(row) = self.outer_view(i) else {
            return;
        };
        for (&j, &x) in row.indices().iter().zip(row.data()) {
            let c = &centroids_t[j as usize * k..(j as usize + 1) * k];
            for (o, &cv) in out.iter_mut().zip(c) {
                *o += x * cv;
            }
        }
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

    fn dot(&self, i: usize, v: &[f64]) -> f64 {
        self.row(i).iter().zip(v).map(|(a, b)| a * b).sum()
    }

    fn add_to(&self, i: usize, weight: f64, acc: &mut [f64]) {
        for (a, &x) in acc.iter_mut().zip(self.row(i)) {
            *a += weight * x;
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
