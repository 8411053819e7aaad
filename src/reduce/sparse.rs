//! The sparse side of the SVD: products of a CSR matrix with tall dense
//! matrices, and the variance of its columns.
//!
//! Both products the randomized SVD needs, `X · B` and `Xᵀ · B`, are written
//! as one kernel, "CSR times dense, row by row", applied to `X` and to the
//! CSR form of `Xᵀ` (`X` transposed once, by `to_csc`). Each output row is
//! computed by one task, summing its row's non-zeros in column order, so the
//! result does not depend on how rayon schedules the rows. The other way to
//! get `Xᵀ · B` from CSR rows, scattering each row into a dense
//! `n_features × l` accumulator, needs one accumulator per parallel chunk
//! (a fixed number of chunks, for determinism): on 20 Newsgroups that is
//! 174k × 110 × 8 bytes = 153 MB per chunk, against 36 MB for the transposed
//! copy. It is slower too: `benches/reduce.rs` (group `xt_times_dense`, two
//! busy cores) measured 0.49 s for transposing (26 ms) then the CSR kernel,
//! 1.12 s for scattering into four accumulators.

use std::borrow::Cow;

use ndarray::{Array2, ArrayView2};
use rayon::prelude::*;

use crate::vectorize::SparseMatrix;

/// Output rows per parallel task of [`csr_times_dense`].
const ROWS_PER_TASK: usize = 256;

/// `x` as CSR: borrowed when it is, converted otherwise.
pub(crate) fn as_csr(x: &SparseMatrix<f64>) -> Cow<'_, SparseMatrix<f64>> {
    if x.is_csr() {
        Cow::Borrowed(x)
    } else {
        Cow::Owned(x.to_csr())
    }
}

/// The CSR form of `xᵀ` for a CSR `x`.
pub(crate) fn transpose(x: &SparseMatrix<f64>) -> SparseMatrix<f64> {
    debug_assert!(x.is_csr());
    x.to_csc().transpose_into()
}

/// `x · b` for a CSR `x` (`m × n`) and a dense `b` (`n × l`): an `m × l`
/// matrix in standard layout.
pub(crate) fn csr_times_dense(x: &SparseMatrix<f64>, b: ArrayView2<'_, f64>) -> Array2<f64> {
    debug_assert!(x.is_csr());
    assert_eq!(x.cols(), b.nrows(), "inner dimensions differ");
    let (m, l) = (x.rows(), b.ncols());
    let b = b.as_standard_layout();
    let b = b.as_slice().expect("standard layout");
    let mut out = Array2::<f64>::zeros((m, l));
    if l == 0 {
        return out;
    }
    let indptr = x.indptr();
    let indptr = indptr.raw_storage();
    let (indices, data) = (x.indices(), x.data());
    out.as_slice_mut()
        .expect("standard layout")
        .par_chunks_mut(ROWS_PER_TASK * l)
        .enumerate()
        .for_each(|(task, block)| {
            // Writing the zeros first looks redundant, but a large `zeros`
            // is fresh memory from the system that reads as zeros without
            // being there: the first `+=` would read each page (mapping a
            // shared zero page) and then write it (copying that page and
            // flushing every thread's TLB). Writing first costs one fault a
            // page instead of two.
            block.fill(0.0);
            let first = task * ROWS_PER_TASK;
            for (r, acc) in block.chunks_exact_mut(l).enumerate() {
                let row = first + r;
                for nz in indptr[row]..indptr[row + 1] {
                    let v = data[nz];
                    let j = indices[nz] as usize;
                    for (a, &bv) in acc.iter_mut().zip(&b[j * l..(j + 1) * l]) {
                        *a += v * bv;
                    }
                }
            }
        });
    out
}

/// The sum of the variances of the columns of `x` (`n_rows × n_cols`), given
/// `xt`, the CSR form of its transpose: scikit-learn's
/// `mean_variance_axis(x, axis=0)[1].sum()`, the population variance (divided
/// by `n_rows`) computed as it does, `(Σ (v - mean)² + zeros · mean²) / n`.
pub(crate) fn total_column_variance(xt: &SparseMatrix<f64>) -> f64 {
    debug_assert!(xt.is_csr());
    let n = xt.cols();
    if n == 0 {
        return 0.0;
    }
    let nf = n as f64;
    let variances: Vec<f64> = (0..xt.rows())
        .into_par_iter()
        .map(|j| {
            let column = xt.outer_view(j).expect("row in range");
            let values = column.data();
            let mean = values.iter().sum::<f64>() / nf;
            let deviations: f64 = values.iter().map(|v| (v - mean) * (v - mean)).sum();
            (deviations + (n - values.len()) as f64 * mean * mean) / nf
        })
        .collect();
    variances.iter().sum()
}

#[cfg(test)]
mod tests {
    use ndarray::array;

    use super::*;
    use crate::reduce::tests::csr;

    #[test]
    fn products_match_dense_ones() {
        let x = array![
            [1.0, 0.0, 2.0, 0.0],
            [0.0, 0.0, 0.0, 0.0],
            [0.0, 3.0, 0.0, -1.0],
            [4.0, 0.0, 0.5, 0.0],
            [0.0, 0.0, 0.0, 7.0]
        ];
        let b = array![[1.0, 2.0], [3.0, -1.0], [0.5, 0.0], [2.0, 1.0]];
        let c = array![[1.0], [0.0], [2.0], [1.0], [-1.0]];
        let s = csr(&x);
        assert_eq!(csr_times_dense(&s, b.view()), x.dot(&b));
        let st = transpose(&s);
        assert_eq!(st.shape(), (4, 5));
        assert_eq!(csr_times_dense(&st, c.view()), x.t().dot(&c));
        // A transposed (Fortran-order) view of b works too.
        let bt = b.t().to_owned();
        assert_eq!(csr_times_dense(&s, bt.t()), x.dot(&b));
    }

    #[test]
    fn csc_input_becomes_csr() {
        let x = array![[1.0, 0.0], [2.0, 3.0]];
        let s = csr(&x);
        let csc = s.to_csc();
        let back = as_csr(&csc);
        assert!(back.is_csr());
        assert_eq!(back.to_dense(), x);
        assert!(matches!(as_csr(&s), Cow::Borrowed(_)));
    }

    #[test]
    fn column_variance_is_the_population_variance() {
        let x = array![
            [1.0, 0.0, 2.0],
            [0.0, 0.0, 4.0],
            [3.0, 0.0, 0.0],
            [0.0, 0.0, 2.0]
        ];
        let expected: f64 = x.var_axis(ndarray::Axis(0), 0.0).sum();
        let got = total_column_variance(&transpose(&csr(&x)));
        assert!((got - expected).abs() < 1e-15, "{got} vs {expected}");
    }
}
