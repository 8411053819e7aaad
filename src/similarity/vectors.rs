//! The vectors an index compares: unit TF-IDF rows with an inverted index
//! (postings by term), or unit LSA rows in a dense matrix.

use ndarray::{Array1, Array2, ArrayView1, s};
use rayon::prelude::*;

use super::prune::{Bounds, PruneScratch};
use super::topk::select_top;
use crate::reduce::{TruncatedSvd, normalize_rows};
use crate::vectorize::{SparseMatrix, l2_norm};

/// Rows per parallel task in the dense (LSA) all-pairs pass: the block of
/// scores is `LSA_BLOCK x n`, so memory grows with `n`, not `n^2`.
const LSA_BLOCK: usize = 256;

/// Rows per parallel task in the sparse passes (fixed, for determinism and
/// to amortise the accumulator).
const SPARSE_CHUNK: usize = 64;

/// A query whose postings hold at least `n / DENSE_WORK` entries scans the
/// whole accumulator instead of tracking the rows it reaches (on 20
/// Newsgroups without stop words nearly every row reaches nearly every other).
const DENSE_WORK: usize = 4;

/// Clamps a cosine to `[-1, 1]` (rounding can push a self-match past 1).
fn clamp(score: f64) -> f64 {
    score.clamp(-1.0, 1.0)
}

/// Unit-norm TF-IDF rows and their postings.
#[derive(Debug, Clone)]
pub(crate) struct SparseVectors {
    /// Row `i`: `(term, value)` pairs, L2-normalised (zero rows stay empty).
    pub(super) row_ptr: Vec<usize>,
    pub(super) row_term: Vec<u32>,
    pub(super) row_val: Vec<f64>,
    /// Postings of term `t`: `(row, value)` pairs, rows ascending.
    pub(super) col_ptr: Vec<usize>,
    pub(super) col_row: Vec<u32>,
    pub(super) col_val: Vec<f64>,
    /// For each entry of the rows, its rank in its term's postings (fits in
    /// `u32`, as rows do): the all-pairs pass of `prune.rs` starts each
    /// term's postings just after the query row, and a binary search there
    /// took a fifth of its time.
    pub(super) row_at: Vec<u32>,
    /// What the pruned all-pairs passes need (`None`: a weight is negative,
    /// so every row takes the full scatter).
    bounds: Option<Bounds>,
}

/// Unit-norm LSA rows and the SVD that projects queries.
#[derive(Debug, Clone)]
pub(crate) struct DenseVectors {
    pub(crate) svd: TruncatedSvd,
    rows: Array2<f64>,
    zero: Vec<bool>,
}

/// The vectors of an index.
#[derive(Debug, Clone)]
pub(crate) enum Vectors {
    Sparse(SparseVectors),
    Dense(DenseVectors),
}

/// A scratch accumulator of one score per row, with the rows touched.
pub(crate) struct Scratch {
    pub(super) acc: Vec<f64>,
    pub(super) seen: Vec<bool>,
    pub(super) touched: Vec<u32>,
}

impl Scratch {
    pub(super) fn new(n: usize) -> Self {
        Scratch {
            acc: vec![0.0; n],
            seen: vec![false; n],
            touched: Vec::new(),
        }
    }
}

impl SparseVectors {
    /// Normalises the rows of `x` (CSR or CSC) and builds the postings.
    pub(crate) fn new(x: &SparseMatrix<f64>) -> Self {
        let csr;
        let x = if x.is_csr() {
            x
        } else {
            csr = x.to_csr();
            &csr
        };
        let (n, d) = x.shape();
        let mut row_ptr = Vec::with_capacity(n + 1);
        let mut row_term = Vec::with_capacity(x.nnz());
        let mut row_val = Vec::with_capacity(x.nnz());
        row_ptr.push(0);
        for row in x.outer_iterator() {
            let norm = l2_norm(row.data());
            if norm > 0.0 && norm.is_finite() {
                // Terms ascending (sprs does not promise sorted rows): every
                // score then sums in term order, whichever pass computes it.
                let start = row_term.len();
                for (t, &v) in row.iter() {
                    if v != 0.0 {
                        row_term.push(t as u32);
                        row_val.push(v / norm);
                    }
                }
                if !row_term[start..].is_sorted() {
                    let mut pairs: Vec<(u32, f64)> = row_term[start..]
                        .iter()
                        .copied()
                        .zip(row_val[start..].iter().copied())
                        .collect();
                    pairs.sort_by_key(|p| p.0);
                    for (k, (t, v)) in pairs.into_iter().enumerate() {
                        row_term[start + k] = t;
                        row_val[start + k] = v;
                    }
                }
            }
            row_ptr.push(row_term.len());
        }
        let mut col_ptr = vec![0usize; d + 1];
        for &t in &row_term {
            col_ptr[t as usize + 1] += 1;
        }
        for t in 0..d {
            col_ptr[t + 1] += col_ptr[t];
        }
        let mut next = col_ptr.clone();
        let mut col_row = vec![0u32; row_term.len()];
        let mut col_val = vec![0.0; row_term.len()];
        let mut row_at = vec![0; row_term.len()];
        for i in 0..n {
            for k in row_ptr[i]..row_ptr[i + 1] {
                let t = row_term[k] as usize;
                col_row[next[t]] = i as u32;
                col_val[next[t]] = row_val[k];
                row_at[k] = (next[t] - col_ptr[t]) as u32;
                next[t] += 1;
            }
        }
        let mut v = SparseVectors {
            row_ptr,
            row_term,
            row_val,
            col_ptr,
            col_row,
            col_val,
            row_at,
            bounds: None,
        };
        v.bounds = Bounds::new(&v);
        v
    }

    pub(super) fn n_rows(&self) -> usize {
        self.row_ptr.len() - 1
    }

    /// The number of terms (columns).
    pub(super) fn n_terms(&self) -> usize {
        self.col_ptr.len() - 1
    }

    /// The number of rows holding term `t` (the length of its postings).
    #[inline]
    pub(super) fn df(&self, t: usize) -> usize {
        self.col_ptr[t + 1] - self.col_ptr[t]
    }

    /// Scores of every row against the unit query `(term, value)` pairs, as
    /// `(row, score)` for the rows scoring above 0 (except `skip`), in no
    /// promised order. Each score sums in the query's term order, whichever
    /// of the two ways below is taken.
    pub(super) fn positive_scores(
        &self,
        query: &[(usize, f64)],
        skip: Option<usize>,
        scratch: &mut Scratch,
    ) -> Vec<(usize, f64)> {
        let n = self.n_rows();
        let work: usize = query
            .iter()
            .map(|&(t, _)| self.col_ptr[t + 1] - self.col_ptr[t])
            .sum();
        if work >= n / DENSE_WORK {
            self.scores_dense(query, skip, &mut scratch.acc)
        } else {
            self.scores_tracked(query, skip, scratch)
        }
    }

    /// Many postings: scatter without tracking rows, then scan every row.
    fn scores_dense(
        &self,
        query: &[(usize, f64)],
        skip: Option<usize>,
        acc: &mut [f64],
    ) -> Vec<(usize, f64)> {
        for &(t, q) in query {
            let postings = self.col_ptr[t]..self.col_ptr[t + 1];
            for (&r, &v) in self.col_row[postings.clone()]
                .iter()
                .zip(&self.col_val[postings])
            {
                acc[r as usize] += q * v;
            }
        }
        let mut out = Vec::new();
        for (r, a) in acc.iter_mut().enumerate() {
            if *a != 0.0 {
                let score = clamp(*a);
                *a = 0.0;
                if score > 0.0 && Some(r) != skip {
                    out.push((r, score));
                }
            }
        }
        out
    }

    /// Few postings: track the rows reached, and read only those.
    fn scores_tracked(
        &self,
        query: &[(usize, f64)],
        skip: Option<usize>,
        scratch: &mut Scratch,
    ) -> Vec<(usize, f64)> {
        let Scratch { acc, seen, touched } = scratch;
        for &(t, q) in query {
            let postings = self.col_ptr[t]..self.col_ptr[t + 1];
            for (&r, &v) in self.col_row[postings.clone()]
                .iter()
                .zip(&self.col_val[postings])
            {
                if !seen[r as usize] {
                    seen[r as usize] = true;
                    touched.push(r);
                }
                acc[r as usize] += q * v;
            }
        }
        let mut out = Vec::with_capacity(touched.len());
        for &r in touched.iter() {
            let r = r as usize;
            let score = clamp(acc[r]);
            acc[r] = 0.0;
            seen[r] = false;
            if score > 0.0 && Some(r) != skip {
                out.push((r, score));
            }
        }
        touched.clear();
        out
    }

    pub(super) fn row(&self, i: usize) -> Vec<(usize, f64)> {
        let range = self.row_ptr[i]..self.row_ptr[i + 1];
        self.row_term[range.clone()]
            .iter()
            .map(|&t| t as usize)
            .zip(self.row_val[range].iter().copied())
            .collect()
    }

    fn query_vector(x: &SparseMatrix<f64>) -> Vec<(usize, f64)> {
        let row = x.outer_view(0).expect("one row");
        let norm = l2_norm(row.data());
        if !(norm > 0.0 && norm.is_finite()) {
            return Vec::new();
        }
        row.iter()
            .filter(|(_, v)| **v != 0.0)
            .map(|(t, &v)| (t, v / norm))
            .collect()
    }
}

impl DenseVectors {
    /// Normalises the rows of the LSA projection `rows`.
    pub(crate) fn new(svd: TruncatedSvd, mut rows: Array2<f64>) -> Self {
        normalize_rows(&mut rows);
        let zero = rows
            .rows()
            .into_iter()
            .map(|r| r.iter().all(|v| *v == 0.0 || !v.is_finite()))
            .collect();
        DenseVectors { svd, rows, zero }
    }

    fn positive_scores(&self, q: ArrayView1<f64>, skip: Option<usize>) -> Vec<(usize, f64)> {
        let scores = self.rows.dot(&q);
        positive(scores.view(), &self.zero, skip)
    }
}

/// The `(row, score)` of `scores` above 0, except zero rows and `skip`.
fn positive(scores: ArrayView1<f64>, zero: &[bool], skip: Option<usize>) -> Vec<(usize, f64)> {
    scores
        .iter()
        .enumerate()
        .filter(|&(j, _)| !zero[j] && Some(j) != skip)
        .map(|(j, &s)| (j, clamp(s)))
        .filter(|&(_, s)| s > 0.0)
        .collect()
}

impl Vectors {
    /// The number of rows.
    pub(crate) fn n_rows(&self) -> usize {
        match self {
            Vectors::Sparse(v) => v.n_rows(),
            Vectors::Dense(v) => v.rows.nrows(),
        }
    }

    /// A query's unit vector from its TF-IDF row, or `None` when it is zero.
    pub(crate) fn query(&self, x: &SparseMatrix<f64>) -> crate::Result<Option<Query>> {
        Ok(match self {
            Vectors::Sparse(_) => {
                let q = SparseVectors::query_vector(x);
                (!q.is_empty()).then_some(Query::Sparse(q))
            }
            Vectors::Dense(v) => {
                let mut z = v.svd.transform(x)?;
                normalize_rows(&mut z);
                let q = z.row(0).to_owned();
                (q.iter().any(|v| *v != 0.0) && q.iter().all(|v| v.is_finite()))
                    .then_some(Query::Dense(q))
            }
        })
    }

    /// The rows scoring above 0 against `query`, best first, at most `top`.
    pub(crate) fn search(&self, query: &Query, top: usize) -> Vec<(usize, f64)> {
        let candidates = match (self, query) {
            (Vectors::Sparse(v), Query::Sparse(q)) => {
                let mut scratch = Scratch::new(v.n_rows());
                v.positive_scores(q, None, &mut scratch)
            }
            (Vectors::Dense(v), Query::Dense(q)) => v.positive_scores(q.view(), None),
            _ => unreachable!("queries are built by the same vectors"),
        };
        select_top(candidates, top)
    }

    /// Row `i`'s positive scores against every other row, all of them
    /// (`top = None`) or the best `top`, best first.
    pub(crate) fn row_search(&self, i: usize, top: Option<usize>) -> Vec<(usize, f64)> {
        let candidates = match self {
            // The pruned pass when it applies, so that a row's scores are
            // those of the all-pairs passes to the bit.
            Vectors::Sparse(v) => match &v.bounds {
                Some(bounds) => {
                    let mut scratch = PruneScratch::new(v, bounds);
                    v.pruned_scores(bounds, i, top.unwrap_or(usize::MAX), &mut scratch)
                }
                None => {
                    let mut scratch = Scratch::new(v.n_rows());
                    v.positive_scores(&v.row(i), Some(i), &mut scratch)
                }
            },
            Vectors::Dense(v) => {
                if v.zero[i] {
                    Vec::new()
                } else {
                    v.positive_scores(v.rows.row(i), Some(i))
                }
            }
        };
        select_top(candidates, top.unwrap_or(usize::MAX))
    }

    /// Every row's best `top` others (scores above 0), best first with ties
    /// by index, in row order; the same lists whatever the number of
    /// threads. TF-IDF rows take the pair-once pass of `prune.rs` when it
    /// applies (no negative weight).
    pub(crate) fn all_top(&self, top: usize) -> Vec<Vec<(usize, f64)>> {
        if let Vectors::Sparse(v) = self
            && let Some(bounds) = &v.bounds
        {
            return v.all_pairs_top(bounds, top);
        }
        self.all_rows(|_, candidates| select_top(candidates, top))
    }

    /// For every row `i`, the rows `j > i` scoring at least `floor` with it
    /// (and above 0), ascending; in row order whatever the number of threads.
    /// TF-IDF rows score each pair once (`prune.rs`).
    pub(crate) fn all_pairs_above(&self, floor: f64) -> Vec<Vec<(usize, f64)>> {
        if let Vectors::Sparse(v) = self
            && let Some(bounds) = &v.bounds
        {
            return v.pairs_above(bounds, floor);
        }
        self.all_rows(|i, candidates| {
            let mut pairs: Vec<(usize, f64)> = candidates
                .into_iter()
                .filter(|&(j, s)| j > i && s >= floor)
                .collect();
            pairs.sort_unstable_by_key(|p| p.0);
            pairs
        })
    }

    /// For every row, `keep(i, candidates)` applied to its positive scores
    /// against every other row (in no promised order), in parallel; results
    /// in row order whatever the number of threads.
    pub(crate) fn all_rows<T, F>(&self, keep: F) -> Vec<T>
    where
        T: Send,
        F: Fn(usize, Vec<(usize, f64)>) -> T + Sync,
    {
        let n = self.n_rows();
        match self {
            Vectors::Sparse(v) => (0..n)
                .into_par_iter()
                .with_min_len(SPARSE_CHUNK)
                .map_init(
                    || Scratch::new(n),
                    |scratch, i| keep(i, v.positive_scores(&v.row(i), Some(i), scratch)),
                )
                .collect(),
            Vectors::Dense(v) => {
                let starts: Vec<usize> = (0..n).step_by(LSA_BLOCK).collect();
                let blocks: Vec<Vec<T>> = starts
                    .into_par_iter()
                    .map(|start| {
                        let end = (start + LSA_BLOCK).min(n);
                        let block = v.rows.slice(s![start..end, ..]).dot(&v.rows.t());
                        (start..end)
                            .map(|i| {
                                let candidates = if v.zero[i] {
                                    Vec::new()
                                } else {
                                    positive(block.row(i - start), &v.zero, Some(i))
                                };
                                keep(i, candidates)
                            })
                            .collect()
                    })
                    .collect();
                blocks.into_iter().flatten().collect()
            }
        }
    }
}

/// A query's unit vector in the index's space.
#[derive(Debug, Clone)]
pub(crate) enum Query {
    Sparse(Vec<(usize, f64)>),
    Dense(Array1<f64>),
}

#[cfg(test)]
mod tests {
    use super::*;
    use sprs::TriMatI;

    #[test]
    fn both_scatters_give_the_same_scores() {
        // 6 rows, 5 terms; row 4 is zero; a negative value cancels a sum.
        let mut t: TriMatI<f64, u32> = TriMatI::new((6, 5));
        for &(r, c, v) in &[
            (0, 0, 1.0),
            (0, 1, 2.0),
            (1, 1, 1.0),
            (1, 2, -1.0),
            (2, 0, 3.0),
            (2, 3, 1.0),
            (3, 4, 1.0),
            (5, 1, 1.0),
            (5, 2, 1.0),
        ] {
            t.add_triplet(r, c, v);
        }
        let x: SparseMatrix<f64> = t.to_csr();
        let v = SparseVectors::new(&x);
        for i in 0..6 {
            let q = v.row(i);
            let mut scratch = Scratch::new(6);
            let mut dense = v.scores_dense(&q, Some(i), &mut scratch.acc);
            let mut tracked = v.scores_tracked(&q, Some(i), &mut scratch);
            dense.sort_by_key(|p| p.0);
            tracked.sort_by_key(|p| p.0);
            assert_eq!(dense, tracked, "row {i}");
            assert!(scratch.acc.iter().all(|a| *a == 0.0) && scratch.touched.is_empty());
            assert!(dense.iter().all(|&(j, s)| j != i && s > 0.0 && s <= 1.0));
        }
        // Row 1 and row 5 cancel to 0: no hit either way.
        let q = v.row(1);
        let mut scratch = Scratch::new(6);
        assert!(
            v.scores_tracked(&q, Some(1), &mut scratch)
                .iter()
                .all(|p| p.0 != 5)
        );
        assert!(v.row(4).is_empty());
    }
}
