//! The dense side of the SVD: tall `m × l` matrices (`m` documents or terms,
//! `l` = components + oversamples, about 110) and tiny `l × l` ones.
//!
//! Tall work is split into fixed blocks of rows whatever the number of
//! threads, and every sum over blocks is taken in block order, so results are
//! bitwise identical with 1 or 64 threads. Products of blocks go through
//! `ndarray`'s `dot` (the pure-Rust `matrixmultiply`), which splits no sum
//! across threads either.

use linfa_linalg::qr::QRInto;
use linfa_linalg::svd::{SVDInto, SvdSort};
use ndarray::linalg::general_mat_mul;
use ndarray::{Array1, Array2, ArrayView2, ArrayViewMut2, ShapeBuilder, s};
use rand::{Rng, SeedableRng};
use rand_xoshiro::Xoshiro256Plus;
use rayon::prelude::*;

use crate::error::{Error, Result};

/// Rows per block of the tall kernels.
const BLOCK: usize = 2048;

/// Cholesky QR gives up (and Householder QR takes over) when a column keeps
/// less than this fraction of its squared norm outside the span of the
/// previous ones: a condition number of about 1e6, beyond which one pass of
/// Cholesky QR loses orthogonality a second cannot restore.
const PIVOT_TOLERANCE: f64 = 1e-12;

/// ... or when, after one pass, `QᵀQ` strays this far from the identity.
const GRAM_TOLERANCE: f64 = 0.1;

/// A `rows × cols` matrix of independent standard normal values, from
/// `Xoshiro256Plus` seeded with `seed`: the rows come in blocks, block `b`
/// drawing from the generator jumped `b` times (2^128 values apart), values
/// made by the Box-Muller transform.
pub(crate) fn gaussian(rows: usize, cols: usize, seed: u64) -> Array2<f64> {
    let mut out = Array2::<f64>::zeros((rows, cols));
    if rows == 0 || cols == 0 {
        return out;
    }
    let mut rng = Xoshiro256Plus::seed_from_u64(seed);
    let blocks: Vec<_> = out
        .as_slice_mut()
        .expect("standard layout")
        .chunks_mut(BLOCK * cols)
        .map(|block| {
            let block_rng = rng.clone();
            rng.jump();
            (block, block_rng)
        })
        .collect();
    blocks.into_par_iter().for_each(|(block, mut rng)| {
        for pair in block.chunks_mut(2) {
            // 1 - u is in (0, 1]: its logarithm is finite.
            let radius = (-2.0 * (1.0 - rng.r#gen::<f64>()).ln()).sqrt();
            let angle = std::f64::consts::TAU * rng.r#gen::<f64>();
            pair[0] = radius * angle.cos();
            if let Some(second) = pair.get_mut(1) {
                *second = radius * angle.sin();
            }
        }
    });
    out
}

/// The row blocks of an `m`-row matrix.
fn blocks(m: usize) -> impl IndexedParallelIterator<Item = std::ops::Range<usize>> {
    (0..m.div_ceil(BLOCK))
        .into_par_iter()
        .map(move |b| b * BLOCK..((b + 1) * BLOCK).min(m))
}

/// `aᵀ · a` (`l × l`) for a tall `a` (`m × l`).
pub(crate) fn gram(a: ArrayView2<'_, f64>) -> Array2<f64> {
    let l = a.ncols();
    let partials: Vec<Array2<f64>> = blocks(a.nrows())
        .map(|rows| {
            let block = a.slice(s![rows, ..]);
            block.t().dot(&block)
        })
        .collect();
    partials
        .into_iter()
        .fold(Array2::zeros((l, l)), |acc, partial| acc + partial)
}

/// `a · small` (`m × q`) for a tall `a` (`m × l`) and a small `small` (`l × q`).
pub(crate) fn times_small(a: ArrayView2<'_, f64>, small: ArrayView2<'_, f64>) -> Array2<f64> {
    let (m, q) = (a.nrows(), small.ncols());
    let mut out = Array2::<f64>::zeros((m, q));
    if q == 0 {
        return out;
    }
    out.as_slice_mut()
        .expect("standard layout")
        .par_chunks_mut(BLOCK * q)
        .enumerate()
        .for_each(|(b, chunk)| {
            let rows = b * BLOCK..(b * BLOCK + chunk.len() / q);
            let mut target =
                ArrayViewMut2::from_shape((rows.len(), q), chunk).expect("block of whole rows");
            general_mat_mul(1.0, &a.slice(s![rows, ..]), &small, 0.0, &mut target);
        });
    out
}

/// The upper triangular `r` with `rᵀ r = g`, or `None` when a pivot is not
/// safely positive (see [`PIVOT_TOLERANCE`]).
fn cholesky_upper(g: &Array2<f64>) -> Option<Array2<f64>> {
    let l = g.nrows();
    let mut r = Array2::<f64>::zeros((l, l));
    for j in 0..l {
        let pivot = g[[j, j]] - (0..j).map(|k| r[[k, j]] * r[[k, j]]).sum::<f64>();
        if !(pivot > PIVOT_TOLERANCE * g[[j, j]] && pivot.is_finite() && pivot > 0.0) {
            return None;
        }
        let d = pivot.sqrt();
        r[[j, j]] = d;
        for i in j + 1..l {
            let dot = g[[j, i]] - (0..j).map(|k| r[[k, j]] * r[[k, i]]).sum::<f64>();
            r[[j, i]] = dot / d;
        }
    }
    Some(r)
}

/// The inverse of an upper triangular matrix with a non-zero diagonal.
fn invert_upper(r: &Array2<f64>) -> Array2<f64> {
    let l = r.nrows();
    let mut inv = Array2::<f64>::zeros((l, l));
    for j in 0..l {
        inv[[j, j]] = 1.0 / r[[j, j]];
        for i in (0..j).rev() {
            let sum: f64 = (i + 1..=j).map(|k| r[[i, k]] * inv[[k, j]]).sum();
            inv[[i, j]] = -sum / r[[i, i]];
        }
    }
    inv
}

/// One pass of Cholesky QR: `(q, r)` with `q = a r⁻¹`, or `None`.
fn cholesky_qr_pass(a: ArrayView2<'_, f64>) -> Option<(Array2<f64>, Array2<f64>)> {
    let r = cholesky_upper(&gram(a))?;
    let q = times_small(a, invert_upper(&r).view());
    Some((q, r))
}

/// A thin QR decomposition of a tall `a` (`m × l`, `m >= l`): `q` with
/// orthonormal columns and `r` (`l × l`) such that `q r = a`.
///
/// Cholesky QR twice (CholeskyQR2: Yamamoto, Nakatsukasa, Yanagisawa and
/// Fukaya, 2015), orthonormal to machine precision when `a`'s condition number
/// is below about 1e6; otherwise, and when `a` is rank deficient, Householder
/// QR (linfa-linalg), which is slower (serial, column by column) but always
/// gives orthonormal columns.
pub(crate) fn orthonormalize(a: Array2<f64>) -> Result<(Array2<f64>, Array2<f64>)> {
    if let Some(qr) = cholesky_qr2(a.view()) {
        return Ok(qr);
    }
    householder_qr(a)
}

/// A well-conditioned basis of the span of a tall `a`, for the power
/// iterations: one pass of Cholesky QR, whose columns are orthonormal up to
/// about `cond(a)² · 1e-16` (a basis of condition number 1 + 1e-4 at worst,
/// and the same span), or [`orthonormalize`] when that pass fails.
pub(crate) fn orthonormal_basis(a: Array2<f64>) -> Result<Array2<f64>> {
    if let Some((q, _)) = cholesky_qr_pass(a.view()) {
        return Ok(q);
    }
    Ok(orthonormalize(a)?.0)
}

fn cholesky_qr2(a: ArrayView2<'_, f64>) -> Option<(Array2<f64>, Array2<f64>)> {
    let (q1, r1) = cholesky_qr_pass(a)?;
    let g = gram(q1.view());
    let off = g
        .indexed_iter()
        .map(|((i, j), &v)| (v - if i == j { 1.0 } else { 0.0 }).abs())
        .fold(0.0, f64::max);
    if off > GRAM_TOLERANCE || g.iter().any(|v| !v.is_finite()) {
        return None;
    }
    let r2 = cholesky_upper(&g)?;
    let q = times_small(q1.view(), invert_upper(&r2).view());
    Some((q, r2.dot(&r1)))
}

/// Householder QR, on a column-major copy (the reflections walk columns).
pub(crate) fn householder_qr(a: Array2<f64>) -> Result<(Array2<f64>, Array2<f64>)> {
    let mut f = Array2::<f64>::zeros(a.dim().f());
    f.assign(&a);
    drop(a);
    let (q, r) = f
        .qr_into()
        .map_err(|e| Error::Fit(format!("QR decomposition failed: {e}")))?
        .into_decomp();
    Ok((
        q.as_standard_layout().into_owned(),
        r.as_standard_layout().into_owned(),
    ))
}

/// `P L` of the LU decomposition of a tall `a` (`m × l`) with partial pivoting
/// (the first largest |value| of a column is its pivot, as LAPACK's `getrf`
/// picks it): `scipy.linalg.lu(a, permute_l=True)[0]`. A column without a
/// non-zero pivot is left as it is, with a unit diagonal.
pub(crate) fn lu_permuted_l(mut a: Array2<f64>) -> Array2<f64> {
    let (m, l) = a.dim();
    let mut position_of: Vec<usize> = (0..m).collect(); // row i of L is row position_of[i] of P L
    for j in 0..l.min(m) {
        let column = a.slice(s![j.., j]);
        let mut p = j;
        let mut best = 0.0;
        for (i, v) in column.iter().enumerate() {
            if v.abs() > best {
                best = v.abs();
                p = j + i;
            }
        }
        if best == 0.0 {
            continue;
        }
        if p != j {
            for c in 0..l {
                a.swap([j, c], [p, c]);
            }
            position_of.swap(j, p);
        }
        let pivot_row: Vec<f64> = a.slice(s![j, j..]).to_vec();
        let mut tail = a.slice_mut(s![j + 1.., ..]);
        let rows = tail.as_slice_mut().expect("standard layout, whole rows");
        rows.par_chunks_mut(BLOCK * l).for_each(|block| {
            for row in block.chunks_exact_mut(l) {
                let factor = row[j] / pivot_row[0];
                row[j] = factor;
                if factor != 0.0 {
                    for (x, &pv) in row[j + 1..].iter_mut().zip(&pivot_row[1..]) {
                        *x -= factor * pv;
                    }
                }
            }
        });
    }
    let mut out = Array2::<f64>::zeros((m, l));
    for (i, row) in a.outer_iter().enumerate() {
        let mut target = out.row_mut(position_of[i]);
        for c in 0..l.min(i) {
            target[c] = row[c];
        }
        if i < l {
            target[i] = 1.0;
        }
    }
    out
}

/// Divides `a` by its largest |value| (when not zero): the same span, no
/// overflow however many unnormalized power iterations run.
pub(crate) fn rescale(a: &mut Array2<f64>) {
    let max = a.iter().fold(0.0f64, |m, v| m.max(v.abs()));
    if max > 0.0 && max.is_finite() {
        a.mapv_inplace(|v| v / max);
    }
}

/// The SVD of a small square matrix, singular values in decreasing order:
/// `(u, s, vt)` with `u · diag(s) · vt = r`.
pub(crate) fn small_svd(r: Array2<f64>) -> Result<(Array2<f64>, Array1<f64>, Array2<f64>)> {
    let (u, s, vt) = r
        .svd_into(true, true)
        .map_err(|e| Error::Fit(format!("SVD of the projected matrix failed: {e}")))?
        .sort_svd_desc();
    Ok((u.expect("asked for u"), s, vt.expect("asked for vt")))
}

#[cfg(test)]
mod tests {
    use ndarray::array;

    use super::*;

    fn max_abs(a: &Array2<f64>) -> f64 {
        a.iter().fold(0.0, |m, v| m.max(v.abs()))
    }

    fn assert_orthonormal(q: &Array2<f64>, tol: f64) {
        let g = q.t().dot(q) - Array2::<f64>::eye(q.ncols());
        assert!(max_abs(&g) < tol, "QᵀQ - I: {}", max_abs(&g));
    }

    fn tall(m: usize, l: usize, seed: u64) -> Array2<f64> {
        gaussian(m, l, seed)
    }

    #[test]
    fn gaussian_is_standard_normal_and_seeded() {
        let g = gaussian(5000, 7, 3);
        let n = g.len() as f64;
        let mean = g.sum() / n;
        let var = g.mapv(|v| (v - mean) * (v - mean)).sum() / n;
        assert!(mean.abs() < 0.02, "mean {mean}");
        assert!((var - 1.0).abs() < 0.03, "variance {var}");
        assert_eq!(g, gaussian(5000, 7, 3));
        assert_ne!(g, gaussian(5000, 7, 4));
        // Blocks draw from distinct streams.
        assert_ne!(g.row(0), g.row(BLOCK));
    }

    #[test]
    fn blocked_products_match_plain_ones() {
        let a = tall(5000, 6, 1);
        let small = tall(6, 4, 3);
        assert!(max_abs(&(gram(a.view()) - a.t().dot(&a))) < 1e-9);
        assert_eq!(times_small(a.view(), small.view()), a.dot(&small));
    }

    #[test]
    fn cholesky_qr2_reconstructs_with_orthonormal_columns() {
        let a = tall(5000, 12, 5);
        let (q, r) = orthonormalize(a.clone()).unwrap();
        assert_orthonormal(&q, 1e-13);
        assert!(max_abs(&(q.dot(&r) - &a)) < 1e-11);
        // Cholesky QR took it: r is upper triangular.
        for i in 0..12 {
            for j in 0..i {
                assert_eq!(r[[i, j]], 0.0);
            }
        }
    }

    #[test]
    fn one_pass_gives_a_basis_of_the_same_span() {
        let a = tall(3000, 9, 8);
        let q = orthonormal_basis(a.clone()).unwrap();
        assert_orthonormal(&q, 1e-12);
        let residual = &a - &q.dot(&q.t().dot(&a));
        assert!(max_abs(&residual) < 1e-12);
        // Rank deficient: Householder.
        let q = orthonormal_basis(Array2::zeros((4, 2))).unwrap();
        assert_orthonormal(&q, 1e-15);
    }

    #[test]
    fn rank_deficient_matrices_fall_back_to_householder() {
        // The third column is the sum of the first two; the fourth is zero.
        let mut a = tall(300, 4, 6);
        let sum = &a.column(0) + &a.column(1);
        a.column_mut(2).assign(&sum);
        a.column_mut(3).fill(0.0);
        assert!(cholesky_qr2(a.view()).is_none());
        let (q, r) = orthonormalize(a.clone()).unwrap();
        assert_orthonormal(&q, 1e-13);
        assert!(max_abs(&(q.dot(&r) - &a)) < 1e-12);
        let (q, _) = orthonormalize(Array2::zeros((5, 3))).unwrap();
        assert_orthonormal(&q, 1e-15);
    }

    #[test]
    fn ill_conditioned_matrices_stay_orthonormal() {
        // Columns scaled from 1 to 1e-9: condition number 1e9.
        let mut a = tall(400, 10, 7);
        for (j, mut c) in a.columns_mut().into_iter().enumerate() {
            c *= 10f64.powi(-(j as i32));
        }
        let (q, r) = orthonormalize(a.clone()).unwrap();
        assert_orthonormal(&q, 1e-13);
        assert!(max_abs(&(q.dot(&r) - &a)) < 1e-12);
    }

    #[test]
    fn lu_matches_scipy() {
        // scipy.linalg.lu(a, permute_l=True)[0]
        let a = array![[1.0, 2.0], [3.0, 4.0], [5.0, 6.0], [0.0, 1.0]];
        let pl = lu_permuted_l(a);
        let expected = array![[0.2, 0.8], [0.6, 0.4], [1.0, 0.0], [0.0, 1.0]];
        assert!(max_abs(&(pl - expected)) < 1e-15);
    }

    #[test]
    fn lu_keeps_the_span() {
        let a = tall(3000, 8, 9);
        let pl = lu_permuted_l(a.clone());
        // Projecting a on span(P L) leaves nothing.
        let (q, _) = orthonormalize(pl).unwrap();
        let residual = &a - &q.dot(&q.t().dot(&a));
        assert!(max_abs(&residual) < 1e-10);
        // A zero column gets a unit diagonal, as scipy gives it.
        let pl = lu_permuted_l(array![[0.0, 1.0], [0.0, 2.0], [0.0, 3.0]]);
        let expected = array![[1.0, 0.0], [0.0, 2.0 / 3.0], [0.0, 1.0]];
        assert!(max_abs(&(pl - expected)) < 1e-15);
    }

    #[test]
    fn small_svd_is_sorted_and_reconstructs() {
        let r = array![[1.0, 2.0, 0.0], [0.0, 3.0, 1.0], [0.0, 0.0, 0.5]];
        let (u, s, vt) = small_svd(r.clone()).unwrap();
        assert!(s[0] >= s[1] && s[1] >= s[2] && s[2] > 0.0);
        let back = u.dot(&Array2::from_diag(&s)).dot(&vt);
        assert!(max_abs(&(back - r)) < 1e-13);
    }

    #[test]
    fn rescale_keeps_zeros() {
        let mut a = array![[2.0, -4.0], [0.0, 1.0]];
        rescale(&mut a);
        assert_eq!(a, array![[0.5, -1.0], [0.0, 0.25]]);
        let mut z = Array2::<f64>::zeros((2, 2));
        rescale(&mut z);
        assert_eq!(z, Array2::<f64>::zeros((2, 2)));
    }
}
