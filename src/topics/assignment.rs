//! The assignment problem: pairing rows and columns of a score matrix one to
//! one so that the total score is as high as possible: the Hungarian
//! (Kuhn–Munkres) algorithm, in its O(n² m) form with row and column
//! potentials and shortest augmenting paths.
//!
//! Guided naming has a handful of clusters and names, so a dense cubic
//! algorithm is the right tool; no crate is needed for forty lines.

/// The best one-to-one pairing of the rows and columns of `scores` (a
/// rectangular `rows x cols` matrix of finite numbers): `pairs[r]` is the
/// column paired with row `r`, `None` when there are more rows than columns
/// and row `r` is left out. Among pairings of maximal size, the total score is
/// maximal.
pub(crate) fn maximize(scores: &[Vec<f64>]) -> Vec<Option<usize>> {
    let rows = scores.len();
    let cols = scores.first().map_or(0, Vec::len);
    if rows == 0 || cols == 0 {
        return vec![None; rows];
    }
    if rows <= cols {
        let cost = |r: usize, c: usize| -scores[r][c];
        minimize(rows, cols, cost).into_iter().map(Some).collect()
    } else {
        let cost = |c: usize, r: usize| -scores[r][c];
        let mut pairs = vec![None; rows];
        for (c, r) in minimize(cols, rows, cost).into_iter().enumerate() {
            pairs[r] = Some(c);
        }
        pairs
    }
}

/// Minimum-cost assignment of each of `n` rows to a distinct one of `m >= n`
/// columns: the column of each row.
fn minimize(n: usize, m: usize, cost: impl Fn(usize, usize) -> f64) -> Vec<usize> {
    debug_assert!(n <= m);
    // 1-based, with row and column 0 as the sentinel of the search.
    let mut u = vec![0.0f64; n + 1];
    let mut v = vec![0.0f64; m + 1];
    // p[j]: the row assigned to column j (0 for none); way[j]: the previous
    // column on the augmenting path.
    let mut p = vec![0usize; m + 1];
    let mut way = vec![0usize; m + 1];
    for i in 1..=n {
        p[0] = i;
        let mut j0 = 0;
        let mut minv = vec![f64::INFINITY; m + 1];
        let mut used = vec![false; m + 1];
        loop {
            used[j0] = true;
            let i0 = p[j0];
            let mut delta = f64::INFINITY;
            let mut j1 = 0;
            for j in 1..=m {
                if !used[j] {
                    let cur = cost(i0 - 1, j - 1) - u[i0] - v[j];
                    if cur < minv[j] {
                        minv[j] = cur;
                        way[j] = j0;
                    }
                    if minv[j] < delta {
                        delta = minv[j];
                        j1 = j;
                    }
                }
            }
            if j1 == 0 {
                // Only with non-finite costs, which callers never pass.
                break;
            }
            for j in 0..=m {
                if used[j] {
                    u[p[j]] += delta;
                    v[j] -= delta;
                } else {
                    minv[j] -= delta;
                }
            }
            j0 = j1;
            if p[j0] == 0 {
                break;
            }
        }
        // Augment along the path.
        loop {
            let j1 = way[j0];
            p[j0] = p[j1];
            j0 = j1;
            if j0 == 0 {
                break;
            }
        }
    }
    let mut column = vec![0usize; n];
    for j in 1..=m {
        if p[j] != 0 {
            column[p[j] - 1] = j - 1;
        }
    }
    column
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::{Rng, SeedableRng};
    use rand_xoshiro::Xoshiro256Plus;

    /// The best total over every injective pairing, by brute force.
    fn brute_force(scores: &[Vec<f64>]) -> f64 {
        fn go(scores: &[Vec<f64>], r: usize, used: &mut Vec<bool>, free: usize) -> f64 {
            if r == scores.len() {
                return 0.0;
            }
            let cols = used.len();
            let mut best = f64::NEG_INFINITY;
            // Leaving a row out is allowed only when rows outnumber columns.
            if scores.len() - r > free {
                best = go(scores, r + 1, used, free);
            }
            for c in 0..cols {
                if !used[c] {
                    used[c] = true;
                    best = best.max(scores[r][c] + go(scores, r + 1, used, free - 1));
                    used[c] = false;
                }
            }
            best
        }
        let cols = scores[0].len();
        go(scores, 0, &mut vec![false; cols], cols)
    }

    fn total(scores: &[Vec<f64>], pairs: &[Option<usize>]) -> f64 {
        pairs
            .iter()
            .enumerate()
            .filter_map(|(r, c)| c.map(|c| scores[r][c]))
            .sum()
    }

    #[test]
    fn finds_the_best_pairing_of_random_matrices() {
        let mut rng = Xoshiro256Plus::seed_from_u64(7);
        for trial in 0..400 {
            let rows = rng.gen_range(1..=6);
            let cols = rng.gen_range(1..=6);
            let scores: Vec<Vec<f64>> = (0..rows)
                .map(|_| {
                    (0..cols)
                        .map(|_| {
                            // Some ties and zeros.
                            if rng.gen_bool(0.3) {
                                0.0
                            } else {
                                f64::from(rng.gen_range(0..5)) * 0.25
                            }
                        })
                        .collect()
                })
                .collect();
            let pairs = maximize(&scores);
            let mut seen = vec![false; cols];
            for c in pairs.iter().flatten() {
                assert!(!seen[*c], "trial {trial}: column {c} used twice");
                seen[*c] = true;
            }
            assert_eq!(pairs.iter().flatten().count(), rows.min(cols));
            let best = brute_force(&scores);
            assert!(
                (total(&scores, &pairs) - best).abs() < 1e-9,
                "trial {trial}: {scores:?} gave {pairs:?}, best {best}"
            );
        }
    }

    #[test]
    fn empty_matrices_pair_nothing() {
        assert!(maximize(&[]).is_empty());
        assert_eq!(maximize(&[vec![], vec![]]), [None, None]);
    }

    #[test]
    fn prefers_the_larger_total_over_the_larger_single_score() {
        // Greedy would take 10 then 1; the best pairing is 9 + 9.
        let scores = vec![vec![10.0, 9.0], vec![9.0, 1.0]];
        assert_eq!(maximize(&scores), [Some(1), Some(0)]);
    }
}
