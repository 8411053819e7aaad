//! Condensed distance matrices of sparse rows: cosine distances, or Euclidean
//! distances between the L2-normalised rows for Ward, computed in parallel
//! from sparse dot products.
//!
//! Row `i` of the condensed matrix (its distances to rows `j > i`) comes from
//! one pass over the postings (the transposed matrix) of row `i`'s terms,
//! accumulating `x_i . x_j` into a dense buffer: the work is the number of
//! pairs of rows sharing a term, plus `n^2 / 2` writes. Rows are independent
//! tasks, each sum runs in a fixed order (row `i`'s terms in column order),
//! so the result does not depend on the number of threads.

use std::mem::MaybeUninit;

use rayon::prelude::*;

use super::hyperparams::Linkage;
use crate::error::{Error, Result};
use crate::vectorize::{SparseMatrix, l2_norm};

/// Below this squared Euclidean distance (distance 1e-3), Ward's distance is
/// recomputed as `sqrt(sum (a - b)^2)` rather than `sqrt(|a|^2 + |b|^2 - 2 a.b)`,
/// whose cancellation would cost up to 1e-8 of absolute error there.
const REFINE_BELOW: f64 = 1e-6;

/// Rows in compressed form, L2-normalised (zero rows stay empty), with the
/// transposed postings for the dot products.
pub(crate) struct UnitRows {
    n: usize,
    indptr: Vec<usize>,
    indices: Vec<u32>,
    values: Vec<f64>,
    /// `|x_i|^2` after normalisation, summed in column order (1 up to
    /// rounding, 0 for zero rows).
    norm_sq: Vec<f64>,
}

impl UnitRows {
    /// Normalises the rows `(indices, values)` given in column order.
    pub(crate) fn new<'a>(
        n_cols: usize,
        rows: impl Iterator<Item = (&'a [u32], &'a [f64])>,
    ) -> Result<Self> {
        let mut indptr = vec![0];
        let mut indices = Vec::new();
        let mut values = Vec::new();
        for (r, (idx, val)) in rows.enumerate() {
            if let Some(v) = val.iter().find(|v| !v.is_finite()) {
                return Err(Error::Fit(format!(
                    "row {r} has the value {v}: distances need finite values"
                )));
            }
            let norm = l2_norm(val);
            if norm > 0.0 {
                for (&j, &v) in idx.iter().zip(val) {
                    if v != 0.0 {
                        debug_assert!((j as usize) < n_cols);
                        indices.push(j);
                        values.push(v / norm);
                    }
                }
            }
            indptr.push(indices.len());
        }
        let n = indptr.len() - 1;
        let norm_sq = (0..n)
            .map(|i| {
                values[indptr[i]..indptr[i + 1]]
                    .iter()
                    .fold(0.0, |acc, v| acc + v * v)
            })
            .collect();
        Ok(UnitRows {
            n,
            indptr,
            indices,
            values,
            norm_sq,
        })
    }

    /// The rows of a CSR matrix.
    pub(crate) fn from_sparse(x: &SparseMatrix<f64>) -> Result<Self> {
        let rows = (0..x.rows()).map(|i| {
            x.outer_view(i)
                .map_or((&[][..], &[][..]), |row| row.into_raw_storage())
        });
        UnitRows::new(x.cols(), rows)
    }

    /// Number of rows.
    pub(crate) fn len(&self) -> usize {
        self.n
    }

    fn row(&self, i: usize) -> (&[u32], &[f64]) {
        let span = self.indptr[i]..self.indptr[i + 1];
        (&self.indices[span.clone()], &self.values[span])
    }

    /// `sum (a - b)^2` of rows `i` and `j`, by merging their terms.
    fn squared_euclidean(&self, i: usize, j: usize) -> f64 {
        let (ia, va) = self.row(i);
        let (ib, vb) = self.row(j);
        let (mut p, mut q, mut sum) = (0, 0, 0.0);
        while p < ia.len() || q < ib.len() {
            let d = if q == ib.len() || (p < ia.len() && ia[p] < ib[q]) {
                p += 1;
                va[p - 1]
            } else if p == ia.len() || ib[q] < ia[p] {
                q += 1;
                -vb[q - 1]
            } else {
                p += 1;
                q += 1;
                va[p - 1] - vb[q - 1]
            };
            sum += d * d;
        }
        sum
    }

    /// For each column, the rows holding it, in row order.
    fn postings(&self) -> Postings {
        // colptr[j + 1] starts as column j's count, then sums up.
        let mut colptr = vec![0usize];
        colptr.extend(self.column_counts());
        for j in 1..colptr.len() {
            colptr[j] += colptr[j - 1];
        }
        let mut fill = colptr.clone();
        let mut rows = vec![0u32; self.indices.len()];
        let mut values = vec![0.0; self.indices.len()];
        for i in 0..self.n {
            let (idx, val) = self.row(i);
            for (&j, &v) in idx.iter().zip(val) {
                let slot = &mut fill[j as usize];
                rows[*slot] = i as u32;
                values[*slot] = v;
                *slot += 1;
            }
        }
        Postings {
            colptr,
            rows,
            values,
        }
    }

    /// Whether [`single_linkage_merges`](Self::single_linkage_merges) is
    /// the faster way to single linkage's tree, rather than Prim's loop over
    /// the [`condensed`](Self::condensed) matrix (both give the same tree).
    ///
    /// From the rows, Prim's loop does every product of shared terms twice
    /// (once from each row), on one thread: `W = sum over terms of df^2`
    /// multiply-adds. Through the matrix, the products are done once, on
    /// every thread, and then `n^2 / 2` distances are written (page faults
    /// included) and read down columns. On 5,000 posts of 20 Newsgroups, where
    /// `W` is 4 `n^2`, the rows took 0.125 s and the matrix 0.18 s: about
    /// 1.1 ns per product against 0.3 ns per product plus 13 ns per pair, so
    /// the rows win while `W` is below about 8 `n^2`. Dense rows are far
    /// above: the 2,000 micro-clusters' centroids of all of 20 Newsgroups
    /// have `W` = 71 `n^2`.
    pub(crate) fn prefers_rows_for_single(&self) -> bool {
        let w: u64 = self
            .column_counts()
            .iter()
            .map(|&df| (df as u64) * (df as u64))
            .sum();
        let n = self.n as u64;
        w <= 8 * n * n
    }

    /// How many rows hold each column, up to the last column held.
    fn column_counts(&self) -> Vec<usize> {
        let n_cols = self.indices.iter().map(|&j| j as usize + 1).max();
        let mut counts = vec![0usize; n_cols.unwrap_or(0)];
        for &j in &self.indices {
            counts[j as usize] += 1;
        }
        counts
    }

    /// Single linkage's merges, unsorted, as scipy's `mst_single_linkage`
    /// makes them (`[x, y, height, 0]`: item `y` joins the tree, `x` is the
    /// item that joined just before it), with the cosine distances computed
    /// as they are needed rather than read from a condensed matrix.
    ///
    /// The loop is scipy's Prim: the tree grows from item 0; at each step
    /// every item outside it lowers its distance to the tree by its distance
    /// to the last item added, `x`, and the nearest joins, the lowest index
    /// among equal distances. The distances from `x` come from one pass over
    /// the postings of `x`'s terms, as row `x` of [`condensed`](Self::condensed)
    /// does, and are the same to the bit: `d(x, i)` sums the products of the
    /// terms the two rows share in column order whichever row the pass
    /// starts from, and a product does not depend on the order of its
    /// factors. So the tree is the one `linkage_matrix` builds from
    /// [`condensed_distances`] (a test checks it), without the `n^2 / 2`
    /// distances in memory. On 5,000 posts (`benches/hierarchical.rs`,
    /// `fit/single_k20_5000`, 2026-12-04) single linkage took 0.18 to 0.19 s
    /// through the condensed matrix (0.07 s to compute it, 0.09 s for
    /// kodama's minimum spanning tree over it, which reads half of each
    /// step's distances down a column, one cache line each; the same loop
    /// over a sorted array instead of kodama's linked list saved only 7%)
    /// and takes 0.125 s this way, on one thread, with memory for the
    /// postings and a few vectors of `n` only.
    pub(crate) fn single_linkage_merges(&self) -> Vec<[f64; 4]> {
        let n = self.n;
        if n < 2 {
            return Vec::new();
        }
        let Postings {
            colptr,
            rows: post_rows,
            values: post_vals,
        } = self.postings();
        // The items outside the tree, in increasing order, and their
        // distances to it.
        let mut rest: Vec<u32> = (1..n as u32).collect();
        let mut to_tree: Vec<f64> = vec![f64::INFINITY; n - 1];
        // x . x_i for every row i (stale for the items in the tree, which
        // are never read again).
        let mut acc = vec![0.0f64; n];
        let mut x = 0usize;
        let mut z = Vec::with_capacity(n - 1);
        for _ in 0..n - 1 {
            let (idx, val) = self.row(x);
            for (&t, &v) in idx.iter().zip(val) {
                let span = colptr[t as usize]..colptr[t as usize + 1];
                for (&r, &w) in post_rows[span.clone()].iter().zip(&post_vals[span]) {
                    acc[r as usize] += v * w;
                }
            }
            let (mut at, mut current_min) = (usize::MAX, f64::INFINITY);
            for (k, (&i, t)) in rest.iter().zip(to_tree.iter_mut()).enumerate() {
                let dot = std::mem::take(&mut acc[i as usize]);
                let d = (1.0 - dot).clamp(0.0, 2.0);
                if *t > d {
                    *t = d;
                }
                if *t < current_min {
                    current_min = *t;
                    at = k;
                }
            }
            let y = rest.remove(at) as usize;
            to_tree.remove(at);
            z.push([x as f64, y as f64, current_min, 0.0]);
            x = y;
        }
        z
    }

    /// The condensed distance matrix for `linkage` (see
    /// [`condensed_distances`]).
    pub(crate) fn condensed(&self, linkage: Linkage) -> Result<Vec<f64>> {
        let n = self.n;
        let len = condensed_len(n)?;
        let mut out: Vec<f64> = Vec::new();
        out.try_reserve_exact(len).map_err(|_| {
            Error::Fit(format!(
                "cannot allocate {len} distances ({} bytes) for {n} rows: lower max_direct",
                len.saturating_mul(8)
            ))
        })?;
        // The distances are written once each, in parallel, into the
        // uninitialised buffer: zero-filling it first (`resize`) took 43 of
        // the 88 ms of the 5,000-post benchmark, on one thread, where the
        // parallel writes share the page faults between threads.
        advise_huge_pages(&mut out.spare_capacity_mut()[..len]);

        let Postings {
            colptr,
            rows: post_rows,
            values: post_vals,
        } = self.postings();

        // One mutable segment per row: row i holds its distances to i+1..n.
        let mut segments: Vec<(usize, &mut [MaybeUninit<f64>])> = Vec::with_capacity(n);
        let mut rest = &mut out.spare_capacity_mut()[..len];
        for i in 0..n {
            let (head, tail) = rest.split_at_mut(n - 1 - i);
            segments.push((i, head));
            rest = tail;
        }
        segments.into_par_iter().for_each_init(
            || vec![0.0f64; n],
            |acc, (i, segment)| {
                let (idx, val) = self.row(i);
                for (&t, &v) in idx.iter().zip(val) {
                    let span = colptr[t as usize]..colptr[t as usize + 1];
                    let rows = &post_rows[span.clone()];
                    let vals = &post_vals[span];
                    let start = rows.partition_point(|&r| r as usize <= i);
                    for (&r, &w) in rows[start..].iter().zip(&vals[start..]) {
                        acc[r as usize] += v * w;
                    }
                }
                debug_assert_eq!(segment.len(), n - 1 - i);
                for (slot, j) in segment.iter_mut().zip(i + 1..n) {
                    let dot = std::mem::take(&mut acc[j]);
                    *slot = MaybeUninit::new(match linkage {
                        // A zero row is the origin: exactly 1 from unit
                        // rows (not 1 give or take their norm's rounding,
                        // which would decide the ties between them).
                        Linkage::Ward if self.norm_sq[i] == 0.0 || self.norm_sq[j] == 0.0 => {
                            if self.norm_sq[i] == self.norm_sq[j] {
                                0.0
                            } else {
                                1.0
                            }
                        }
                        Linkage::Ward => {
                            let sq = self.norm_sq[i] + self.norm_sq[j] - 2.0 * dot;
                            let sq = if sq < REFINE_BELOW {
                                self.squared_euclidean(i, j)
                            } else {
                                sq
                            };
                            sq.max(0.0).sqrt()
                        }
                        _ => (1.0 - dot).clamp(0.0, 2.0),
                    });
                }
            },
        );
        // SAFETY: the segments split `out`'s first `len` spare slots into
        // rows of `n - 1 - i` slots, one per row `i`, and row `i` writes each
        // of its slots (it zips them with `i + 1..n`, which has as many), so
        // all `len` values are initialised.
        unsafe { out.set_len(len) };
        Ok(out)
    }
}

/// Buffers from this size on are backed by huge pages where the system
/// offers them (a smaller one holds less than one 2 MiB page).
const HUGE_PAGES_FROM: usize = 4 << 20;

/// Asks Linux to back the whole pages of `buf` with transparent huge pages
/// (`madvise(MADV_HUGEPAGE)`, 2 MiB on x86-64), before anything is written
/// to it: an advice, which changes how the memory is mapped, never what it
/// holds, and which the kernel may decline (transparent huge pages `never`,
/// or no free 2 MiB page), leaving the usual 4 KiB pages.
///
/// Why: the nearest-neighbour chain ([`super::linkage`]) reads a cluster's
/// distances down a column of the condensed matrix, one value per row, and
/// rows are longer than a 4 KiB page: with small pages every read also
/// misses the TLB and walks the page table. With huge pages, 5,000 posts'
/// 100 MB are 50 pages, which the TLB holds. Measured on 5,000 posts
/// (2026-12-04, interleaved runs of the same matrix): the average-linkage
/// chain took 140 ms against 175 ms, complete 149 against 181 ms, Ward 227
/// against 258 ms; and the buffer takes 50 page faults to fill rather
/// than 25,000.
///
/// Linux's default (`/sys/kernel/mm/transparent_hugepage/enabled` set to
/// `madvise`, as here) gives huge pages only to memory advised so; with
/// `always` this changes nothing, with `never` the advice is ignored. With
/// the default `defrag` setting (`madvise`) the kernel may compact memory to
/// find a free huge page when the matrix is first written, which on a
/// machine whose memory is fragmented costs time there rather than in the
/// linkage.
#[cfg(target_os = "linux")]
fn advise_huge_pages<T>(buf: &mut [MaybeUninit<T>]) {
    let bytes = std::mem::size_of_val(buf);
    if bytes < HUGE_PAGES_FROM {
        return;
    }
    // SAFETY: sysconf only reads a setting.
    let page = unsafe { libc::sysconf(libc::_SC_PAGESIZE) };
    let Some(page) = usize::try_from(page).ok().filter(|p| p.is_power_of_two()) else {
        return;
    };
    let start = buf.as_mut_ptr() as usize;
    let first = start.next_multiple_of(page);
    let end = (start + bytes) & !(page - 1);
    if end > first {
        // SAFETY: `first..end` are whole pages inside `buf`, which is
        // borrowed mutably here, so no other code uses them; the advice
        // changes their mapping, not their contents, and its failure
        // leaves them as they were (so its result is not needed).
        unsafe {
            libc::madvise(first as *mut libc::c_void, end - first, libc::MADV_HUGEPAGE);
        }
    }
}

#[cfg(not(target_os = "linux"))]
fn advise_huge_pages<T>(_buf: &mut [MaybeUninit<T>]) {}

/// The transposed rows: for column `j`, the rows holding it and their values
/// at `colptr[j]..colptr[j + 1]`, in row order.
struct Postings {
    colptr: Vec<usize>,
    rows: Vec<u32>,
    values: Vec<f64>,
}

/// `n (n - 1) / 2`, or an error when it overflows.
pub(crate) fn condensed_len(n: usize) -> Result<usize> {
    let (a, b) = if n % 2 == 0 {
        (n / 2, n.saturating_sub(1))
    } else {
        (n, (n - 1) / 2)
    };
    a.checked_mul(b)
        .ok_or_else(|| Error::Fit(format!("{n} rows are too many for a distance matrix")))
}

/// The condensed distance matrix (scipy's `pdist` layout: `d(i, j)` for
/// `i < j`, row after row) that `linkage` clusters the rows of `x` on.
///
/// Rows are L2-normalised first; a zero row stays zero. Then:
///
/// ```text
/// average, complete, single   d(i, j) = 1 - cos(x_i, x_j), clipped to [0, 2]
/// ward                        d(i, j) = || x_i / |x_i| - x_j / |x_j| ||
///                                     = sqrt(2 (1 - cos)) between non-zero rows
/// ```
///
/// A zero row has cosine 0 with every row, so it is at cosine distance 1 from
/// every other row, zero rows included, as scikit-learn's `cosine_distances`
/// says (scipy's `pdist(metric="cosine")` gives NaN and scikit-learn's cosine
/// `AgglomerativeClustering` refuses such rows; here they are just far from
/// everything). For Ward a zero row is the origin: at distance exactly 1
/// from non-zero rows and 0 from other zero rows.
///
/// Ward on normalised rows is Ward's minimum-variance criterion on the unit
/// sphere, the natural Ward for cosine-normalised text (scikit-learn's
/// `AgglomerativeClustering(linkage="ward")` on `normalize(X)` computes the
/// same distances).
///
/// Fails on a non-finite value, or when the `n (n - 1) / 2` distances cannot
/// be allocated.
///
/// ```
/// use topica::cluster::hierarchical::{Linkage, condensed_distances};
/// use topica::vectorize::SparseMatrix;
///
/// // Rows (1, 0), (1, 1), (0, 0).
/// let x = SparseMatrix::<f64>::new((3, 2), vec![0, 1, 3, 3], vec![0, 0, 1], vec![1.0, 2.0, 2.0]);
/// let d = condensed_distances(&x, Linkage::Average)?;
/// // d(0, 1), d(0, 2), d(1, 2)
/// assert!((d[0] - (1.0 - 0.5f64.sqrt())).abs() < 1e-15);
/// assert_eq!(&d[1..], &[1.0, 1.0]);
/// let w = condensed_distances(&x, Linkage::Ward)?;
/// assert!((w[0] - (2.0 * d[0]).sqrt()).abs() < 1e-15);
/// assert_eq!(&w[1..], &[1.0, 1.0]);
/// # Ok::<(), topica::Error>(())
/// ```
pub fn condensed_distances(x: &SparseMatrix<f64>, linkage: Linkage) -> Result<Vec<f64>> {
    UnitRows::from_sparse(x)?.condensed(linkage)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Dense, direct definitions.
    fn naive(rows: &[Vec<f64>], linkage: Linkage) -> Vec<f64> {
        let unit: Vec<Vec<f64>> = rows
            .iter()
            .map(|r| {
                let norm = r.iter().map(|v| v * v).sum::<f64>().sqrt();
                r.iter()
                    .map(|v| if norm > 0.0 { v / norm } else { 0.0 })
                    .collect()
            })
            .collect();
        let mut out = Vec::new();
        for i in 0..rows.len() {
            for j in i + 1..rows.len() {
                let (a, b) = (&unit[i], &unit[j]);
                out.push(match linkage {
                    Linkage::Ward => a
                        .iter()
                        .zip(b)
                        .map(|(x, y)| (x - y) * (x - y))
                        .sum::<f64>()
                        .sqrt(),
                    _ => (1.0 - a.iter().zip(b).map(|(x, y)| x * y).sum::<f64>()).clamp(0.0, 2.0),
                });
            }
        }
        out
    }

    /// `n` random rows of 12 columns, 30% of them non-zero, with rows 3 and
    /// 17 zero and row 20 a multiple of row 21.
    fn random_rows(n: usize, seed: u64) -> (Vec<Vec<f64>>, SparseMatrix<f64>) {
        use rand::{Rng, SeedableRng};
        let mut rng = rand_xoshiro::Xoshiro256Plus::seed_from_u64(seed);
        let mut rows: Vec<Vec<f64>> = (0..n)
            .map(|_| {
                (0..12)
                    .map(|_| {
                        if rng.gen_bool(0.3) {
                            rng.r#gen::<f64>()
                        } else {
                            0.0
                        }
                    })
                    .collect()
            })
            .collect();
        rows[3] = vec![0.0; 12];
        rows[17] = vec![0.0; 12];
        rows[20] = rows[21].iter().map(|v| v * 3.0).collect();
        let dense = ndarray::Array2::from_shape_fn((n, 12), |(i, j)| rows[i][j]);
        let x = SparseMatrix::<f64>::csr_from_dense(dense.view(), 0.0);
        (rows, x)
    }

    #[test]
    fn sparse_distances_match_the_dense_definitions() {
        // 1,100 rows make a 4.8 MB matrix, which asks for huge pages (from
        // HUGE_PAGES_FROM on): the advice must not change a value.
        for n in [40, 1_100] {
            let (rows, x) = random_rows(n, 5);
            for linkage in Linkage::ALL {
                let got = condensed_distances(&x, linkage).unwrap();
                let want = naive(&rows, linkage);
                assert_eq!(got.len(), n * (n - 1) / 2);
                for (k, (g, w)) in got.iter().zip(&want).enumerate() {
                    assert!(
                        (g - w).abs() < 1e-12,
                        "{linkage} n {n} pair {k}: {g} vs {w}"
                    );
                }
            }
        }
        const { assert!(1_100 * 1_099 / 2 * 8 >= HUGE_PAGES_FROM) };
        let (_, x) = random_rows(40, 5);
        // Zero rows: cosine distance 1 to everything, each other included.
        let d = condensed_distances(&x, Linkage::Average).unwrap();
        let idx = |i: usize, j: usize| 40 * i - i * (i + 1) / 2 + j - i - 1;
        assert_eq!(d[idx(3, 17)], 1.0);
        assert_eq!(d[idx(3, 5)], 1.0);
        let w = condensed_distances(&x, Linkage::Ward).unwrap();
        assert_eq!(w[idx(3, 17)], 0.0);
        assert_eq!(w[idx(3, 5)], 1.0);
        // Parallel rows (one a multiple of the other) are at distance 0.
        assert!(w[idx(20, 21)] < 1e-15 && d[idx(20, 21)] < 1e-15);
    }

    /// Sparse rows go through Prim's loop on the rows; rows that all share
    /// all their terms (W = n^2 per term) through the condensed matrix.
    #[test]
    fn single_linkage_takes_the_rows_when_they_are_sparse() {
        // 100 rows of one term each, 10 terms: W = 10 * 10^2 = n^2 / 10.
        let sparse =
            ndarray::Array2::from_shape_fn((100, 10), |(i, j)| if i % 10 == j { 1.0 } else { 0.0 });
        let x = SparseMatrix::<f64>::csr_from_dense(sparse.view(), 0.0);
        assert!(UnitRows::from_sparse(&x).unwrap().prefers_rows_for_single());
        // 100 rows of the same 10 terms: W = 10 n^2.
        let dense = ndarray::Array2::from_shape_fn((100, 10), |(i, j)| (i + j + 1) as f64);
        let x = SparseMatrix::<f64>::csr_from_dense(dense.view(), 0.0);
        assert!(!UnitRows::from_sparse(&x).unwrap().prefers_rows_for_single());
    }

    /// Single linkage straight from the rows builds, to the bit, the tree
    /// that `linkage_matrix` builds from the condensed matrix (kodama's
    /// minimum spanning tree, scipy's tie-breaking), on small random
    /// matrices of few distinct values, where equal distances abound (exact
    /// 1s between rows sharing no term), with zero rows among them.
    #[test]
    fn single_linkage_from_rows_is_the_condensed_matrix_tree() {
        use rand::{Rng, SeedableRng};
        let mut rng = rand_xoshiro::Xoshiro256Plus::seed_from_u64(11);
        for case in 0..300 {
            let n = rng.gen_range(2..40);
            let cols = rng.gen_range(1..8);
            let density = rng.gen_range(0.1..0.6);
            let dense = ndarray::Array2::from_shape_fn((n, cols), |_| {
                if rng.gen_bool(density) {
                    rng.gen_range(1..4) as f64
                } else {
                    0.0
                }
            });
            let x = SparseMatrix::<f64>::csr_from_dense(dense.view(), 0.0);
            let rows = UnitRows::from_sparse(&x).unwrap();
            let mut from_rows = rows.single_linkage_merges();
            super::super::linkage::label(&mut from_rows, n);
            let mut d = rows.condensed(Linkage::Single).unwrap();
            let expected =
                super::super::linkage::linkage_matrix(&mut d, n, Linkage::Single).unwrap();
            let bits = |z: &[[f64; 4]]| -> Vec<[u64; 4]> {
                z.iter().map(|r| r.map(f64::to_bits)).collect()
            };
            assert_eq!(bits(&from_rows), bits(&expected), "case {case}: {dense:?}");
        }
    }

    #[test]
    fn distances_do_not_depend_on_the_thread_count() {
        let dense = ndarray::Array2::from_shape_fn((300, 30), |(i, j)| {
            ((i * 7 + j * 13) % 11) as f64 * if (i + j) % 3 == 0 { 1.0 } else { 0.0 }
        });
        let x = SparseMatrix::<f64>::csr_from_dense(dense.view(), 0.0);
        let run = |threads| {
            rayon::ThreadPoolBuilder::new()
                .num_threads(threads)
                .build()
                .unwrap()
                .install(|| condensed_distances(&x, Linkage::Ward).unwrap())
        };
        let (a, b) = (run(1), run(4));
        assert!(a.iter().zip(&b).all(|(x, y)| x.to_bits() == y.to_bits()));
    }

    #[test]
    fn non_finite_values_are_refused() {
        let x = SparseMatrix::<f64>::new((2, 2), vec![0, 1, 2], vec![0, 1], vec![1.0, f64::NAN]);
        let err = condensed_distances(&x, Linkage::Average).unwrap_err();
        assert!(err.to_string().contains("row 1 has the value NaN"), "{err}");
    }

    #[test]
    fn condensed_lengths() {
        assert_eq!(condensed_len(0).unwrap(), 0);
        assert_eq!(condensed_len(1).unwrap(), 0);
        assert_eq!(condensed_len(4).unwrap(), 6);
        assert_eq!(condensed_len(5).unwrap(), 10);
        assert!(condensed_len(usize::MAX).is_err());
    }
}
