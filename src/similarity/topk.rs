//! Keeping the best `top` candidates of a row: highest score first, lowest
//! index first among equal scores.

use std::cmp::Ordering;

/// Best first: higher score, then lower index.
pub(crate) fn best_first(a: &(usize, f64), b: &(usize, f64)) -> Ordering {
    b.1.total_cmp(&a.1).then(a.0.cmp(&b.0))
}

/// Keeps the `top` best `(index, score)` pairs of `candidates`, sorted best
/// first. The order of `candidates` does not matter.
pub(crate) fn select_top(mut candidates: Vec<(usize, f64)>, top: usize) -> Vec<(usize, f64)> {
    if candidates.len() > top {
        if top == 0 {
            return Vec::new();
        }
        candidates.select_nth_unstable_by(top - 1, best_first);
        candidates.truncate(top);
    }
    candidates.sort_unstable_by(best_first);
    candidates
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_the_best_with_ties_by_index() {
        let c = vec![(5, 0.5), (1, 0.9), (3, 0.5), (0, 0.1), (2, 0.5)];
        assert_eq!(select_top(c.clone(), 3), vec![(1, 0.9), (2, 0.5), (3, 0.5)]);
        assert_eq!(select_top(c.clone(), 0), vec![]);
        assert_eq!(select_top(c, 10).len(), 5);
    }
}
