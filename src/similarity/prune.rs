//! Exact pruning of the all-pairs passes over TF-IDF rows: the best `top`
//! rows (or every row above a threshold) without scattering the long
//! postings of common terms.
//!
//! # Why
//!
//! Scoring a row against all others through the inverted index costs the
//! length of the postings of each of its terms: over all rows, `sum(df^2)`.
//! On 20 Newsgroups with scikit-learn's defaults (no stop words) that is
//! 8.9e9 multiply-adds, 96% of them from the 376 terms found in more than
//! 1,000 posts ("the", "from", "subject"...). Those terms have low idf, so
//! they weigh little in any score: they rarely decide who the neighbours are,
//! but they cost nearly all the time.
//!
//! # How (and why it is exact)
//!
//! All weights are non-negative (TF-IDF); an index with a negative weight
//! is served by the full scatter of `vectors.rs` instead. The terms found in
//! more than `n / 4` rows are *common*, the others *rare*. Every row keeps
//! its common part apart (a short sparse row), and the L2 norm of that part
//! in each of [`TIERS`] tiers of common terms (grouped by document
//! frequency). For the query row `q`:
//!
//! 1. scatter only its rare terms' postings: each row `d` reached gets its
//!    rare part `p(d) = sum over rare t of q_t d_t`, summed in term order.
//!    The common part is a dot product of non-negative vectors, so, tier by
//!    tier, Cauchy-Schwarz bounds it: `score(d) <= p(d) + sum_k |q_k| |d_k|`.
//!    A row not reached (rare part 0) is bounded the same way. Both bounds
//!    are at most `p(d) + |q_c| |d_c|`, one multiplication, checked first;
//! 2. score exactly the `4 top` rows of highest rare part: the `top`-th best
//!    of those scores is a lower bound `theta` of the true `top`-th best;
//! 3. score exactly every row whose bound is positive and reaches `theta`.
//!
//! Steps 2 and 3 are plain passes over the accumulator, every row in order:
//! on 20 Newsgroups a row's rare terms reach 16,265 of the 18,846 rows on
//! average, so lists of the rows reached (which the first version built,
//! copied and sorted) cost more than they saved. With those passes the
//! all-pairs top 10 of 20 Newsgroups went from 2.66 s to 1.59 s (whole
//! command, 2 threads), with the same output to the byte.
//!
//! A row left out scores strictly below `theta`, hence below the `top`-th
//! best (or the threshold): the rows kept include every row of the true
//! `top`, ties included, so the result is the full scatter's. A score is its
//! rare part plus its common part (each summed in term order): it may differ
//! from the full scatter's single sum in the last bit (1e-15 on 20
//! Newsgroups), and is the same whatever the number of threads. Bounds carry
//! a relative slack of 1e-9 against rounding.
//!
//! Measured on 20 Newsgroups (scikit-learn's default TF-IDF, top 10, the
//! default cut at `n / 4`): the rare scatter does 1.7e9 multiply-adds,
//! against 8.9e9 for the full scatter, and 1.5e6 rows (79 per row) are
//! scored exactly; the scatter is now about 60% of the pass. The work left
//! out was the cheapest (long postings are read in row order), so the time
//! falls by less than the multiply-adds do.
//!
//! # Each pair once (the all-pairs top `top`)
//!
//! A score is symmetric, so the passes above, run for every row, score each
//! pair twice. [`SparseVectors::all_pairs_top`] (the kNN graph of
//! `neighbors`) scores it at most once: row `i` scatters only the postings
//! of the rows after it, and a pair `(i, r)` is left out only when its bound
//! is below both rows' `theta`, each the `top`-th best score known so far
//! for its row (shared between the threads). The rows are taken from the
//! last to the first, so that the rows after `i` have already met each
//! other when `i` is taken and their `theta` are nearly final. On 20
//! Newsgroups the rare scatter falls to half (0.87e9 multiply-adds), 3.3e6
//! pairs are scored exactly (more than the 1.5e6 rows above, the `theta`
//! being lower while they grow), and the whole `neighbors` command took
//! 1.52 s against 2.14 s (8 alternated runs each, same output to the
//! byte); on the corpus repeated twice, 5.0 s against 9.7 s.
//!
//! The near-duplicate pairs of `duplicates` (every pair at or above a fixed
//! threshold) need no running `theta`: [`SparseVectors::pairs_above`]
//! scatters for each row the rows after it and keeps the pairs whose bound
//! reaches the threshold. `topica duplicates` on 20 Newsgroups (threshold
//! 0.8) took 1.48 s against 2.40 s (5 alternated runs, the same groups).

use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};

use rayon::prelude::*;

use super::topk::best_first;
use super::vectors::SparseVectors;

/// Relative slack on every upper bound, against rounding.
const SLACK: f64 = 1e-9;

/// Postings of at most this length are always rare, whatever the corpus
/// size (below it, pruning saves nothing worth the bookkeeping).
const MIN_CUT: usize = 64;

/// Terms found in more than `n / CUT_DIVISOR` rows are common. Measured on
/// 20 Newsgroups (top 10, the whole `topica neighbors` command, 2 threads):
/// n / 2: 2.4 s, n / 4: 1.6 s, n / 6: 1.7 s, n / 8: 1.9 s. (Before the
/// passes over the accumulator, one thread, user time: n / 2: 10.3 s,
/// n / 4: 7.8 s, n / 8: 8.9 s, n / 16: 17.3 s, n / 32: 47 s.)
const CUT_DIVISOR: usize = 4;

/// The common terms are cut into this many tiers by document frequency, and
/// the Cauchy-Schwarz bound is taken per tier: `sum_k |q_k| |d_k|` is never
/// above `|q_c| |d_c|`, and on 20 Newsgroups it halves the rows to score.
const TIERS: usize = 8;

/// The rows scored exactly to estimate `theta`, per neighbour asked for.
/// Measured on 20 Newsgroups (top 10): with 2, 3.7 million rows passed the
/// first bound and 2.2 million were scored exactly; with 4, 2.7 and 1.5
/// million, and the whole `topica neighbors` command took 1.58 s against
/// 1.84 s (hyperfine, 8 runs each, alternated); 6 was as fast as 4, 8 slower.
const PROBE_FACTOR: usize = 4;

/// What the pruned passes need besides the rows and postings.
#[derive(Debug, Clone)]
pub(crate) struct Bounds {
    /// Term -> its position among the common terms, or `u32::MAX`.
    common_index: Vec<u32>,
    /// The number of common terms.
    n_common: usize,
    /// Each row's common terms (`common_idx`: positions among the common
    /// terms, ascending) and weights, as CSR.
    common_ptr: Vec<usize>,
    common_idx: Vec<u32>,
    common_val: Vec<f64>,
    /// Per row, the L2 norm of its common part, inflated by [`SLACK`].
    common_norm: Vec<f64>,
    /// Common term (by position) -> its tier.
    tier_of: Vec<u8>,
    /// Row-major `n x TIERS`: each row's L2 norm on each tier's terms,
    /// inflated by [`SLACK`].
    tier_norm: Vec<f64>,
}

impl Bounds {
    /// The bounds of `v`, or `None` when a weight is negative (the bounds
    /// would not hold) or there are no rows.
    pub(crate) fn new(v: &SparseVectors) -> Option<Bounds> {
        let n = v.n_rows();
        if n == 0 || v.row_val.iter().any(|x| x.is_nan() || *x < 0.0) {
            return None;
        }
        let cut = (n / CUT_DIVISOR).max(MIN_CUT);
        let mut common_index = vec![u32::MAX; v.n_terms()];
        let mut n_common = 0;
        for (t, slot) in common_index.iter_mut().enumerate() {
            if v.df(t) > cut {
                *slot = n_common as u32;
                n_common += 1;
            }
        }
        // Tiers: the common terms by document frequency, in TIERS groups of
        // (nearly) equal size.
        let mut by_df: Vec<usize> = (0..v.n_terms())
            .filter(|&t| common_index[t] != u32::MAX)
            .collect();
        by_df.sort_by_key(|&t| (v.df(t), t));
        let mut tier_of = vec![0u8; n_common];
        for (rank, &t) in by_df.iter().enumerate() {
            tier_of[common_index[t] as usize] = (rank * TIERS / n_common.max(1)) as u8;
        }
        let mut tier_norm = vec![0.0; n * TIERS];
        let mut common_ptr = Vec::with_capacity(n + 1);
        let (mut common_idx, mut common_val) = (Vec::new(), Vec::new());
        common_ptr.push(0);
        let mut common_norm = Vec::with_capacity(n);
        for i in 0..n {
            let range = v.row_ptr[i]..v.row_ptr[i + 1];
            let mut squares = 0.0;
            for (&t, &x) in v.row_term[range.clone()].iter().zip(&v.row_val[range]) {
                let c = common_index[t as usize];
                if c != u32::MAX {
                    common_idx.push(c);
                    common_val.push(x);
                    squares += x * x;
                    tier_norm[i * TIERS + tier_of[c as usize] as usize] += x * x;
                }
            }
            common_ptr.push(common_idx.len());
            common_norm.push(squares.sqrt() * (1.0 + SLACK));
            for x in &mut tier_norm[i * TIERS..(i + 1) * TIERS] {
                *x = x.sqrt() * (1.0 + SLACK);
            }
        }
        Some(Bounds {
            common_index,
            n_common,
            common_ptr,
            common_idx,
            common_val,
            common_norm,
            tier_of,
            tier_norm,
        })
    }

    /// The L2 norms of a query's common part, whole and per tier, inflated
    /// by [`SLACK`].
    fn query_norms(&self, query: &[f64]) -> QueryNorms {
        let whole = query.iter().map(|x| x * x).sum::<f64>().sqrt() * (1.0 + SLACK);
        let mut tiers = [0.0; TIERS];
        for (c, &x) in query.iter().enumerate() {
            tiers[self.tier_of[c] as usize] += x * x;
        }
        for x in &mut tiers {
            *x = x.sqrt() * (1.0 + SLACK);
        }
        QueryNorms { whole, tiers }
    }

    /// Row `r`'s exact score against the query (`partial`, its rare part,
    /// from the scatter; `query`, its dense common part), or `None` when
    /// row `r`'s upper bound is 0 or below `floor`. The bound
    /// `p + |q_c| |d_c|` (one multiplication) is checked first and rules out
    /// most rows; the tier by tier bound, never above it, then rules out
    /// more.
    #[inline]
    fn score_reaching(
        &self,
        r: usize,
        partial: f64,
        q: &QueryNorms,
        query: &[f64],
        floor: f64,
    ) -> Option<f64> {
        let cheap = (partial + q.whole * self.common_norm[r]) * (1.0 + SLACK);
        if cheap < floor || cheap <= 0.0 {
            return None;
        }
        let d = &self.tier_norm[r * TIERS..(r + 1) * TIERS];
        let mut tiers = 0.0;
        for (q_k, d_k) in q.tiers.iter().zip(d) {
            tiers += q_k * d_k;
        }
        if (partial + tiers) * (1.0 + SLACK) < floor {
            return None;
        }
        Some((partial + self.common_dot(r, query)).clamp(-1.0, 1.0))
    }

    /// Row `r`'s common part dotted with the dense common part of a query,
    /// summed in term order.
    #[inline]
    fn common_dot(&self, r: usize, query: &[f64]) -> f64 {
        let range = self.common_ptr[r]..self.common_ptr[r + 1];
        let mut sum = 0.0;
        for (&c, &x) in self.common_idx[range.clone()]
            .iter()
            .zip(&self.common_val[range])
        {
            sum += query[c as usize] * x;
        }
        sum
    }
}

/// The norms of a query's common part, inflated by [`SLACK`].
struct QueryNorms {
    /// Over all common terms.
    whole: f64,
    /// Over each tier's terms.
    tiers: [f64; TIERS],
}

/// A task's scratch for the pruned passes.
pub(crate) struct PruneScratch {
    /// One partial score per row, all 0 between rows.
    acc: Vec<f64>,
    /// The rows reached and their partial scores, to estimate `theta`
    /// (reused from row to row: it holds thousands of rows each time).
    probe: Vec<(usize, f64)>,
    /// The query row's weights on the common terms.
    query: Vec<f64>,
}

impl PruneScratch {
    pub(crate) fn new(v: &SparseVectors, b: &Bounds) -> Self {
        PruneScratch {
            acc: vec![0.0; v.n_rows()],
            probe: Vec::new(),
            query: vec![0.0; b.n_common],
        }
    }
}

impl SparseVectors {
    /// Row `i`'s scores (above 0, except `i` itself) against a set of rows
    /// that holds at least every row among its best `top`, in no promised
    /// order (every row of positive score when `top` is at least the number
    /// of rows).
    ///
    /// Each score is the rare terms' part (summed in term order) plus the
    /// common terms' part (summed in term order).
    pub(crate) fn pruned_scores(
        &self,
        b: &Bounds,
        i: usize,
        top: usize,
        scratch: &mut PruneScratch,
    ) -> Vec<(usize, f64)> {
        let n = self.n_rows();
        let PruneScratch { acc, probe, query } = scratch;
        // 1. Rare terms: partial scores of the rows they reach (a row
        //    reached has a positive partial score: weights are positive).
        if !self.scatter(b, i, false, acc, query) {
            return Vec::new();
        }
        let exact = |acc: f64, r: usize| (acc + b.common_dot(r, query)).clamp(-1.0, 1.0);

        // 2. theta: the `top`-th best exact score among the rows of best
        //    partial scores. Nearly every row is reached (16,000 of 18,846
        //    on 20 Newsgroups), so the rows are walked in one pass over the
        //    accumulator, keeping a buffer of the best partials that is cut
        //    back to the best `m` whenever it fills.
        let mut theta = 0.0f64;
        if top < n {
            best_partials(acc, Some(i), top.saturating_mul(PROBE_FACTOR).max(1), probe);
            let mut best: Vec<f64> = probe.iter().map(|&(r, a)| exact(a, r)).collect();
            if best.len() >= top {
                best.sort_unstable_by(|a, b| b.total_cmp(a));
                theta = theta.max(best[top - 1]);
            }
        }

        // 3. Every row whose upper bound is positive and reaches theta,
        //    scored exactly ([`Bounds::score_reaching`]). The accumulator is
        //    cleared on the way.
        let norms = b.query_norms(query);
        let mut out = Vec::new();
        for (r, slot) in acc.iter_mut().enumerate() {
            let partial = std::mem::take(slot);
            if r != i
                && let Some(score) = b.score_reaching(r, partial, &norms, query, theta)
                && score > 0.0
            {
                out.push((r, score));
            }
        }
        query.fill(0.0);
        out
    }
}

/// Rows per parallel task in [`SparseVectors::pairs_above`].
const PAIR_CHUNK: usize = 64;

/// Rows a worker of [`SparseVectors::all_pairs_top`] takes at a time.
const PAIR_BLOCK: usize = 16;

/// A row's best `top` so far, best first (ties by index), and the score of
/// its `top`-th, readable without the lock.
struct Best {
    list: Mutex<Vec<(u32, f64)>>,
    /// `f64` bits of a lower bound of the row's final `top`-th best score:
    /// 0 until `top` positive scores are known, then the `top`-th of them.
    theta: AtomicU64,
}

impl Best {
    fn theta(&self) -> f64 {
        f64::from_bits(self.theta.load(Ordering::Relaxed))
    }

    /// Offers `(r, score)` (a pair never offered before) to the row's best.
    fn offer(&self, r: usize, score: f64, top: usize) {
        if score <= 0.0 || score < self.theta() {
            return;
        }
        let mut list = self.list.lock().unwrap_or_else(|e| e.into_inner());
        let entry = (r as u32, score);
        let worse = |a: &(u32, f64)| best_first(&(a.0 as usize, a.1), &(r, score)).is_lt();
        let at = list.partition_point(worse);
        if at >= top {
            return;
        }
        list.insert(at, entry);
        list.truncate(top);
        if list.len() == top {
            self.theta
                .store(list[top - 1].1.to_bits(), Ordering::Relaxed);
        }
    }
}

impl SparseVectors {
    /// Every row's best `top` others (scores above 0, best first, ties by
    /// index), each pair scored at most once.
    ///
    /// [`SparseVectors::pruned_scores`] takes the rows one by one and scores
    /// the pair `(i, r)` twice, once for `i` and once for `r`. Here each row
    /// `i` scatters only the postings of the rows after it, and the rows are
    /// taken from the last to the first (workers take blocks of
    /// [`PAIR_BLOCK`] rows from a shared counter), so that when row `i` is
    /// taken every row after it has already met the rows after `i`:
    ///
    /// 1. row `i` scatters its rare terms' postings of the rows `r > i`
    ///    (half the postings, on average);
    /// 2. it scores exactly the `4 top` rows of highest partial score, and
    ///    offers each pair to both rows' best;
    /// 3. it scores exactly every other pair `(i, r)`, `r > i`, whose bound
    ///    (as in `pruned_scores`) reaches `min(theta_i, theta_r)`, and offers
    ///    it to both rows' best. Each `theta` is the `top`-th best score
    ///    known so far for its row, a lower bound of its final one, so a
    ///    pair left out is in neither row's top.
    ///
    /// The lists are then the exact best `top` of every row, whatever the
    /// order in which the threads offered the pairs (ties are broken by
    /// index). A score is the same as `pruned_scores`' to the bit (the rare
    /// part in term order plus the common part in term order: the same sums
    /// whichever row is the query), so `neighbors` agrees with `query_id`.
    /// Needs `top` at least 1.
    pub(crate) fn all_pairs_top(&self, b: &Bounds, top: usize) -> Vec<Vec<(usize, f64)>> {
        let n = self.n_rows();
        let best: Vec<Best> = (0..n)
            .map(|_| Best {
                list: Mutex::new(Vec::with_capacity(top + 1)),
                theta: AtomicU64::new(0.0f64.to_bits()),
            })
            .collect();
        let next_block = AtomicUsize::new(0);
        let n_blocks = n.div_ceil(PAIR_BLOCK);
        rayon::broadcast(|_| {
            let mut scratch = PruneScratch::new(self, b);
            loop {
                let k = next_block.fetch_add(1, Ordering::Relaxed);
                if k >= n_blocks {
                    break;
                }
                // Blocks from the last; rows within a block from the last.
                let end = n - k * PAIR_BLOCK;
                for i in (end.saturating_sub(PAIR_BLOCK)..end).rev() {
                    self.upper_pairs(b, i, top, &best, &mut scratch);
                }
            }
        });
        best.into_iter()
            .map(|row| {
                let list = row.list.into_inner().unwrap_or_else(|e| e.into_inner());
                list.into_iter().map(|(r, s)| (r as usize, s)).collect()
            })
            .collect()
    }

    /// Scatters row `i`'s rare terms' postings (of every row, or with
    /// `after` of the rows after `i` only) into `acc`, each row reached
    /// getting its rare part with `i`, summed in term order, and puts `i`'s
    /// common terms' weights into `query`; `false`, and nothing touched, for
    /// an empty row (or, with `after`, the last).
    fn scatter(
        &self,
        b: &Bounds,
        i: usize,
        after: bool,
        acc: &mut [f64],
        query: &mut [f64],
    ) -> bool {
        let range = self.row_ptr[i]..self.row_ptr[i + 1];
        if range.is_empty() || (after && i + 1 == self.n_rows()) {
            return false;
        }
        for ((&t, &qv), &at) in self.row_term[range.clone()]
            .iter()
            .zip(&self.row_val[range.clone()])
            .zip(&self.row_at[range])
        {
            let t = t as usize;
            let c = b.common_index[t];
            if c != u32::MAX {
                query[c as usize] = qv;
                continue;
            }
            // Row i is `at`-th in its term's postings (rows ascending): the
            // rows after it follow it.
            let start = if after {
                self.col_ptr[t] + at as usize + 1
            } else {
                self.col_ptr[t]
            };
            let postings = start..self.col_ptr[t + 1];
            for (&r, &v) in self.col_row[postings.clone()]
                .iter()
                .zip(&self.col_val[postings])
            {
                acc[r as usize] += qv * v;
            }
        }
        true
    }

    /// For every row `i`, the rows `r > i` scoring at least `floor` with it
    /// (and above 0), in ascending order, each pair scored once from its
    /// first row: the near-duplicate pairs of `duplicates`. A pair is scored
    /// exactly when its bound (as in `pruned_scores`) reaches `floor`, with
    /// the same score as `pruned_scores`' to the bit. In row order whatever
    /// the number of threads.
    pub(crate) fn pairs_above(&self, b: &Bounds, floor: f64) -> Vec<Vec<(usize, f64)>> {
        (0..self.n_rows())
            .into_par_iter()
            .with_min_len(PAIR_CHUNK)
            .map_init(
                || PruneScratch::new(self, b),
                |scratch, i| self.row_pairs_above(b, i, floor, scratch),
            )
            .collect()
    }

    /// Row `i`'s part of [`SparseVectors::pairs_above`].
    fn row_pairs_above(
        &self,
        b: &Bounds,
        i: usize,
        floor: f64,
        scratch: &mut PruneScratch,
    ) -> Vec<(usize, f64)> {
        let PruneScratch { acc, query, .. } = scratch;
        if !self.scatter(b, i, true, acc, query) {
            return Vec::new();
        }
        let norms = b.query_norms(query);
        let mut out = Vec::new();
        for (k, slot) in acc[i + 1..].iter_mut().enumerate() {
            let partial = std::mem::take(slot);
            let r = i + 1 + k;
            if let Some(score) = b.score_reaching(r, partial, &norms, query, floor)
                && score > 0.0
                && score >= floor
            {
                out.push((r, score));
            }
        }
        query.fill(0.0);
        out
    }

    /// Row `i`'s part of [`SparseVectors::all_pairs_top`]: the pairs
    /// `(i, r)`, `r > i`, that can be in row `i`'s or row `r`'s best,
    /// scored exactly and offered to both.
    fn upper_pairs(
        &self,
        b: &Bounds,
        i: usize,
        top: usize,
        best: &[Best],
        scratch: &mut PruneScratch,
    ) {
        let PruneScratch { acc, probe, query } = scratch;
        if !self.scatter(b, i, true, acc, query) {
            return;
        }
        let exact = |partial: f64, r: usize| (partial + b.common_dot(r, query)).clamp(-1.0, 1.0);
        let acc = &mut acc[i + 1..];

        // The best partials, scored exactly and offered: they raise theta_i.
        best_partials(acc, None, top.saturating_mul(PROBE_FACTOR).max(1), probe);
        for &(k, a) in probe.iter() {
            let r = i + 1 + k;
            let score = exact(a, r);
            best[i].offer(r, score, top);
            best[r].offer(i, score, top);
            // Scored: the pass below skips it.
            acc[k] = -1.0;
        }

        // Every other pair whose bound reaches min(theta_i, theta_r).
        let norms = b.query_norms(query);
        let theta_i = best[i].theta();
        for (k, slot) in acc.iter_mut().enumerate() {
            let partial = std::mem::take(slot);
            if partial < 0.0 {
                continue;
            }
            let r = i + 1 + k;
            let floor = theta_i.min(best[r].theta());
            if let Some(score) = b.score_reaching(r, partial, &norms, query, floor) {
                best[i].offer(r, score, top);
                best[r].offer(i, score, top);
            }
        }
        query.fill(0.0);
    }
}

/// Leaves in `probe` the (at most) `m` positions of `acc` (but `skip`) of
/// highest positive partial score, with their partials, in no order: one
/// pass, keeping a buffer of the best partials cut back to the best `m`
/// whenever it fills. `m` is at least 1.
fn best_partials(acc: &[f64], skip: Option<usize>, m: usize, probe: &mut Vec<(usize, f64)>) {
    let cap = m.saturating_mul(4);
    probe.clear();
    let mut low = 0.0;
    let keep_best = |probe: &mut Vec<(usize, f64)>| {
        if probe.len() > m {
            probe.select_nth_unstable_by(m - 1, |a, b| b.1.total_cmp(&a.1));
            probe.truncate(m);
        }
    };
    for (r, &a) in acc.iter().enumerate() {
        if a > low && Some(r) != skip {
            probe.push((r, a));
            if probe.len() >= cap {
                keep_best(probe);
                low = probe[m - 1].1;
            }
        }
    }
    keep_best(probe);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::corpus::{Corpus, ReadOptions};
    use crate::similarity::topk::select_top;
    use crate::vectorize::{SparseMatrix, TfidfVectorizer};
    use sprs::TriMatI;

    /// Checks the pruned passes against the full scatter on every row of
    /// `x`: the same best `top` (ids, and scores to 1e-12) from
    /// `pruned_scores` and, to the bit, from `all_pairs_top`; and the same
    /// pairs at or above `floor` from `pairs_above`.
    fn agrees_with_full_scatter(x: &SparseMatrix<f64>, top: usize, floor: f64) {
        let v = SparseVectors::new(x);
        let b = Bounds::new(&v).expect("non-negative weights");
        let mut scratch = PruneScratch::new(&v, &b);
        let mut full = crate::similarity::vectors::Scratch::new(v.n_rows());
        let all_pairs = v.all_pairs_top(&b, top);
        let above = v.pairs_above(&b, floor);
        for (i, pairs) in all_pairs.iter().enumerate() {
            let exhaustive = v.positive_scores(&v.row(i), Some(i), &mut full);
            let pruned = v.pruned_scores(&b, i, top, &mut scratch);
            let (want, got) = (select_top(exhaustive.clone(), top), select_top(pruned, top));
            assert_eq!(want.len(), got.len(), "row {i}");
            for (w, g) in want.iter().zip(&got) {
                assert_eq!(w.0, g.0, "row {i}: {want:?} vs {got:?}");
                assert!((w.1 - g.1).abs() < 1e-12, "row {i}");
            }
            // Each pair scored once, the same lists and the same bits.
            assert_eq!(pairs, &got, "row {i}, pairs scored once");
            // The pairs after row i scoring at least `floor`, each scored
            // once: the full scatter's rows, the pruned pass's bits.
            let mut want: Vec<usize> = exhaustive
                .iter()
                .filter(|p| p.0 > i && p.1 >= floor)
                .map(|p| p.0)
                .collect();
            want.sort_unstable();
            let got: Vec<usize> = above[i].iter().map(|p| p.0).collect();
            assert_eq!(want, got, "row {i} at {floor}");
            let all = v.pruned_scores(&b, i, usize::MAX, &mut scratch);
            for &(r, score) in &above[i] {
                let same = all.iter().find(|p| p.0 == r).map(|p| p.1);
                assert_eq!(same, Some(score), "row {i}, pair with {r}");
            }
            // The scratch is left clean for the next row.
            assert!(scratch.acc.iter().all(|a| *a == 0.0));
            assert!(scratch.query.iter().all(|a| *a == 0.0));
        }
    }

    #[test]
    fn pruning_keeps_the_exhaustive_neighbours_on_the_news() {
        let corpus = Corpus::read(&["data/news"], &ReadOptions::default()).unwrap();
        let (_, x) = TfidfVectorizer::params()
            .fit_transform(&corpus.texts())
            .unwrap();
        for top in [1, 3, 10] {
            agrees_with_full_scatter(x.matrix(), top, 0.5);
        }
    }

    #[test]
    fn pruning_keeps_ties_zero_rows_and_common_only_rows() {
        // 300 rows over 6 terms: term 0 is in every row (common), so rows
        // 0..100 (only term 0) are never reached by a rare term; rows repeat
        // in threes (exact ties); every 50th row is empty.
        let mut t: TriMatI<f64, u32> = TriMatI::new((300, 6));
        for r in 0..300 {
            if r % 50 == 7 {
                continue;
            }
            t.add_triplet(r, 0, 1.0 + (r / 3 % 4) as f64);
            if r >= 100 {
                t.add_triplet(r, 1 + (r / 3) % 5, 2.0);
            }
        }
        let x: SparseMatrix<f64> = t.to_csr();
        for top in [1, 5, 40, 299] {
            agrees_with_full_scatter(&x, top, 0.9);
        }
    }

    #[test]
    fn negative_weights_have_no_bounds() {
        let mut t: TriMatI<f64, u32> = TriMatI::new((2, 2));
        t.add_triplet(0, 0, 1.0);
        t.add_triplet(1, 1, -1.0);
        assert!(Bounds::new(&SparseVectors::new(&t.to_csr())).is_none());
    }
}
