//! Agreement between two labelings of the same samples: adjusted Rand index,
//! normalized mutual information, homogeneity, completeness and V-measure,
//! as `sklearn.metrics` defines them, from one contingency table.

use std::collections::HashMap;
use std::hash::Hash;

use crate::error::{Error, Result};

/// The five agreement scores of a clustering against known labels, computed
/// from one contingency table by [`score_labels`].
///
/// Each field equals the function of the same name: [`adjusted_rand_index`],
/// [`normalized_mutual_info`], and [`homogeneity_completeness_v_measure`].
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct LabelScores {
    /// scikit-learn's `adjusted_rand_score`: 1 for identical partitions,
    /// about 0 for random ones, as low as -0.5.
    pub adjusted_rand_index: f64,
    /// scikit-learn's `normalized_mutual_info_score` with
    /// `average_method="arithmetic"`, in `[0, 1]`.
    pub normalized_mutual_info: f64,
    /// Each cluster holds only members of one class, in `[0, 1]`.
    pub homogeneity: f64,
    /// All members of a class are in one cluster, in `[0, 1]`.
    pub completeness: f64,
    /// The harmonic mean of homogeneity and completeness (`beta = 1`), in `[0, 1]`.
    pub v_measure: f64,
}

/// Computes all five agreement scores of `pred` against `truth` (one label
/// per sample each; any hashable label type, the two need not match) from one
/// contingency table.
///
/// Fails when the two slices differ in length or are empty.
///
/// ```
/// use topica::metrics::score_labels;
///
/// let truth = ["sport", "sport", "politics", "politics", "science"];
/// let pred = [0, 0, 1, 1, 1];
/// let s = score_labels(&truth, &pred)?;
/// assert!((s.adjusted_rand_index - 0.5454545454545454).abs() < 1e-12);
/// assert_eq!(s.completeness, 1.0); // each class is within one cluster
/// assert!(s.homogeneity < 1.0); // but cluster 1 mixes two classes
/// # Ok::<(), topica::Error>(())
/// ```
pub fn score_labels<A: Hash + Eq, B: Hash + Eq>(truth: &[A], pred: &[B]) -> Result<LabelScores> {
    let table = Contingency::new(truth, pred)?;
    let (homogeneity, completeness, v_measure) = table.homogeneity_completeness_v_measure();
    Ok(LabelScores {
        adjusted_rand_index: table.adjusted_rand_index(),
        normalized_mutual_info: table.normalized_mutual_info(),
        homogeneity,
        completeness,
        v_measure,
    })
}

/// scikit-learn's `adjusted_rand_score(truth, pred)`: the Rand index (the
/// share of sample pairs on which the labelings agree: together in both, or
/// apart in both) adjusted for chance.
///
/// ```text
/// With the pair counts (over unordered pairs of distinct samples)
///   tp = together in both        fp = together in pred only
///   fn = together in truth only  tn = apart in both
/// ARI = 1                                                    if fp = fn = 0
///     = 2 (tp tn - fn fp) / ((tp + fn)(fn + tn) + (tp + fp)(fp + tn))  otherwise
/// ```
///
/// The counts and products are exact integers (`u128`), as in scikit-learn,
/// which converts them to Python integers; the one rounding is the final
/// division, so the result is the same to the last bit. In particular two
/// labelings that agree on every pair (identical up to renaming; both one
/// cluster; both all singletons; or a single sample) score exactly 1.
///
/// Symmetric in its arguments. Fails when the slices differ in length or are
/// empty (scikit-learn returns 1.0 for empty input).
///
/// ```
/// use topica::metrics::adjusted_rand_index;
///
/// assert_eq!(adjusted_rand_index(&[0, 0, 1, 1], &["b", "b", "a", "a"])?, 1.0);
/// assert_eq!(adjusted_rand_index(&[0, 0, 1, 1], &[0, 1, 0, 1])?, -0.5);
/// # Ok::<(), topica::Error>(())
/// ```
pub fn adjusted_rand_index<A: Hash + Eq, B: Hash + Eq>(truth: &[A], pred: &[B]) -> Result<f64> {
    Ok(Contingency::new(truth, pred)?.adjusted_rand_index())
}

/// scikit-learn's `normalized_mutual_info_score(truth, pred)` with its
/// default `average_method="arithmetic"`.
///
/// ```text
/// NMI = MI(truth, pred) / ((H(truth) + H(pred)) / 2)
/// with the special cases (scikit-learn's):
///   both labelings a single cluster  -> 1
///   MI = 0 (e.g. one labeling a single cluster, the other not)  -> 0
/// ```
///
/// `MI` is computed as scikit-learn's `mutual_info_score` computes it from
/// the non-zero cells `n_ij` of the contingency table, with class sizes `a_i`
/// and cluster sizes `b_j`:
///
/// ```text
/// MI = sum_ij  n_ij/n (ln n_ij - ln n) + n_ij/n (-ln(a_i b_j) + 2 ln n)
/// ```
///
/// where terms below `f64::EPSILON` in magnitude count as 0 and the sum is
/// clamped at 0; entropies use natural logarithms too. Two labelings that are
/// the same partition score exactly 1, and the result is clamped to `[0, 1]`
/// (scikit-learn can return `1 + 2e-16` there).
///
/// Symmetric in its arguments up to rounding. Fails when the slices differ in
/// length or are empty.
///
/// ```
/// use topica::metrics::normalized_mutual_info;
///
/// assert_eq!(normalized_mutual_info(&[0, 0, 1, 1], &[5, 5, 3, 3])?, 1.0);
/// assert_eq!(normalized_mutual_info(&[0, 0, 1, 1], &[0, 1, 0, 1])?, 0.0);
/// # Ok::<(), topica::Error>(())
/// ```
pub fn normalized_mutual_info<A: Hash + Eq, B: Hash + Eq>(truth: &[A], pred: &[B]) -> Result<f64> {
    Ok(Contingency::new(truth, pred)?.normalized_mutual_info())
}

/// scikit-learn's `homogeneity_completeness_v_measure(truth, pred)` with
/// `beta = 1`: `(homogeneity, completeness, v_measure)`.
///
/// ```text
/// homogeneity  h = MI / H(truth)   (1 when H(truth) = 0)
/// completeness c = MI / H(pred)    (1 when H(pred) = 0)
/// V-measure    v = 2 h c / (h + c) (0 when h + c = 0)
/// ```
///
/// `MI` is as in [`normalized_mutual_info`]. Homogeneity is exactly 1 when
/// every cluster lies within one class, completeness when every class lies
/// within one cluster (so the same partition scores exactly `(1, 1, 1)`),
/// and each value is clamped to `[0, 1]`: scikit-learn's formulas can round
/// to `1 +- 2e-16` there. Swapping the
/// arguments swaps homogeneity and completeness. Fails when the slices differ
/// in length or are empty (scikit-learn returns `(1, 1, 1)` for empty input).
///
/// ```
/// use topica::metrics::homogeneity_completeness_v_measure;
///
/// // Splitting a class in two keeps every cluster pure but breaks the class.
/// let (h, c, v) = homogeneity_completeness_v_measure(&[0, 0, 1, 1], &[0, 1, 2, 2])?;
/// assert_eq!(h, 1.0);
/// assert!((c - 2.0 / 3.0).abs() < 1e-12);
/// assert!((v - 0.8).abs() < 1e-12);
/// # Ok::<(), topica::Error>(())
/// ```
pub fn homogeneity_completeness_v_measure<A: Hash + Eq, B: Hash + Eq>(
    truth: &[A],
    pred: &[B],
) -> Result<(f64, f64, f64)> {
    Ok(Contingency::new(truth, pred)?.homogeneity_completeness_v_measure())
}

/// scikit-learn's `homogeneity_score(truth, pred)`: see
/// [`homogeneity_completeness_v_measure`].
///
/// ```
/// use topica::metrics::homogeneity;
///
/// assert_eq!(homogeneity(&["a", "a", "b", "b"], &[0, 1, 2, 3])?, 1.0);
/// # Ok::<(), topica::Error>(())
/// ```
pub fn homogeneity<A: Hash + Eq, B: Hash + Eq>(truth: &[A], pred: &[B]) -> Result<f64> {
    homogeneity_completeness_v_measure(truth, pred).map(|(h, _, _)| h)
}

/// scikit-learn's `completeness_score(truth, pred)`: see
/// [`homogeneity_completeness_v_measure`].
///
/// ```
/// use topica::metrics::completeness;
///
/// assert_eq!(completeness(&["a", "a", "b", "b"], &[0, 0, 0, 0])?, 1.0);
/// # Ok::<(), topica::Error>(())
/// ```
pub fn completeness<A: Hash + Eq, B: Hash + Eq>(truth: &[A], pred: &[B]) -> Result<f64> {
    homogeneity_completeness_v_measure(truth, pred).map(|(_, c, _)| c)
}

/// scikit-learn's `v_measure_score(truth, pred)` (`beta = 1`): see
/// [`homogeneity_completeness_v_measure`].
///
/// ```
/// use topica::metrics::v_measure;
///
/// assert_eq!(v_measure(&[0, 0, 1, 1], &[1, 1, 0, 0])?, 1.0);
/// # Ok::<(), topica::Error>(())
/// ```
pub fn v_measure<A: Hash + Eq, B: Hash + Eq>(truth: &[A], pred: &[B]) -> Result<f64> {
    homogeneity_completeness_v_measure(truth, pred).map(|(_, _, v)| v)
}

/// Dense ids `0..k` for the labels, in order of first appearance, and `k`.
fn encode<T: Hash + Eq>(labels: &[T]) -> (Vec<usize>, usize) {
    let mut ids: HashMap<&T, usize> = HashMap::new();
    let encoded = labels
        .iter()
        .map(|label| {
            let next = ids.len();
            *ids.entry(label).or_insert(next)
        })
        .collect();
    (encoded, ids.len())
}

/// The contingency table of two labelings: `n_ij` samples have class `i` in
/// the truth and cluster `j` in the prediction.
///
/// Classes and clusters are numbered in order of first appearance (scikit-learn
/// sorts them; the order changes sums only by rounding), and the non-zero
/// cells are kept sorted, so every sum runs in an order fixed by the input.
#[derive(Debug)]
struct Contingency {
    /// The number of samples.
    n: u64,
    /// Samples per class (row sums).
    class_sizes: Vec<u64>,
    /// Samples per cluster (column sums).
    cluster_sizes: Vec<u64>,
    /// The non-zero cells `(class, cluster, n_ij)`, sorted.
    cells: Vec<(usize, usize, u64)>,
}

impl Contingency {
    fn new<A: Hash + Eq, B: Hash + Eq>(truth: &[A], pred: &[B]) -> Result<Self> {
        if truth.len() != pred.len() {
            return Err(Error::Fit(format!(
                "the true labels and the predicted labels differ in length ({} and {}): \
                 give one label of each per sample",
                truth.len(),
                pred.len()
            )));
        }
        if truth.is_empty() {
            return Err(Error::Fit(
                "no labels to compare: the clustering metrics need at least one sample".into(),
            ));
        }
        let (classes, n_classes) = encode(truth);
        let (clusters, n_clusters) = encode(pred);
        let mut class_sizes = vec![0u64; n_classes];
        let mut cluster_sizes = vec![0u64; n_clusters];
        let mut counts: HashMap<(usize, usize), u64> = HashMap::new();
        for (&i, &j) in classes.iter().zip(&clusters) {
            class_sizes[i] += 1;
            cluster_sizes[j] += 1;
            *counts.entry((i, j)).or_insert(0) += 1;
        }
        let mut cells: Vec<(usize, usize, u64)> =
            counts.into_iter().map(|((i, j), v)| (i, j, v)).collect();
        cells.sort_unstable();
        Ok(Contingency {
            n: truth.len() as u64,
            class_sizes,
            cluster_sizes,
            cells,
        })
    }

    /// See [`adjusted_rand_index`]. scikit-learn's `pair_confusion_matrix`
    /// counts ordered pairs, twice the counts here: the factor cancels in the
    /// ratio exactly (both sides scale by 4, a power of two).
    fn adjusted_rand_index(&self) -> f64 {
        let n = u128::from(self.n);
        let cells = sum_of_squares(self.cells.iter().map(|c| c.2));
        let classes = sum_of_squares(self.class_sizes.iter().copied());
        let clusters = sum_of_squares(self.cluster_sizes.iter().copied());
        // Each of these differences is even (x^2 and x have the same parity).
        let tp = (cells - n) / 2;
        let fp = (clusters - cells) / 2;
        let fn_ = (classes - cells) / 2;
        let tn = (n * n + cells - classes - clusters) / 2;
        if fp == 0 && fn_ == 0 {
            return 1.0;
        }
        match exact_ari(tp, fp, fn_, tn) {
            Some(ari) => ari,
            // Only past about 4 billion samples (products past 2^128):
            // floating point then, where scikit-learn's Python integers
            // would stay exact.
            None => {
                let (tp, fp, fn_, tn) = (tp as f64, fp as f64, fn_ as f64, tn as f64);
                2.0 * (tp * tn - fn_ * fp) / ((tp + fn_) * (fn_ + tn) + (tp + fp) * (fp + tn))
            }
        }
    }

    /// The mutual information of the two labelings, in nats, as scikit-learn's
    /// `mutual_info_score` computes it (see [`normalized_mutual_info`]); 0 when
    /// either labeling is a single cluster.
    fn mutual_info(&self) -> f64 {
        if self.class_sizes.len() == 1 || self.cluster_sizes.len() == 1 {
            return 0.0;
        }
        let n = self.n as f64;
        let ln_n = n.ln();
        let mi: f64 = self
            .cells
            .iter()
            .map(|&(i, j, count)| {
                let count = count as f64;
                let share = count / n;
                let outer =
                    (u128::from(self.class_sizes[i]) * u128::from(self.cluster_sizes[j])) as f64;
                let log_outer = -outer.ln() + ln_n + ln_n;
                let term = share * (count.ln() - ln_n) + share * log_outer;
                if term.abs() < f64::EPSILON { 0.0 } else { term }
            })
            .sum();
        mi.max(0.0)
    }

    /// Whether the labelings are the same partition (each class is exactly one
    /// cluster): then every score is exactly 1, where the formulas could round
    /// to `1 +- 2e-16`.
    fn is_perfect(&self) -> bool {
        self.cells.len() == self.class_sizes.len() && self.cells.len() == self.cluster_sizes.len()
    }

    /// See [`normalized_mutual_info`].
    fn normalized_mutual_info(&self) -> f64 {
        if self.is_perfect() {
            return 1.0;
        }
        let mi = self.mutual_info();
        if mi == 0.0 {
            return 0.0;
        }
        let normalizer =
            (entropy(&self.class_sizes, self.n) + entropy(&self.cluster_sizes, self.n)) / 2.0;
        (mi / normalizer).clamp(0.0, 1.0)
    }

    /// See [`homogeneity_completeness_v_measure`].
    fn homogeneity_completeness_v_measure(&self) -> (f64, f64, f64) {
        let h_truth = entropy(&self.class_sizes, self.n);
        let h_pred = entropy(&self.cluster_sizes, self.n);
        let mi = self.mutual_info();
        // Every cluster within one class (one cell per column): MI = H(truth)
        // exactly, whatever the rounding says; likewise for completeness.
        let pure_clusters = self.cells.len() == self.cluster_sizes.len();
        let whole_classes = self.cells.len() == self.class_sizes.len();
        let homogeneity = if h_truth != 0.0 && !pure_clusters {
            (mi / h_truth).clamp(0.0, 1.0)
        } else {
            1.0
        };
        let completeness = if h_pred != 0.0 && !whole_classes {
            (mi / h_pred).clamp(0.0, 1.0)
        } else {
            1.0
        };
        let beta = 1.0;
        let v_measure = if homogeneity + completeness == 0.0 {
            0.0
        } else {
            ((1.0 + beta) * homogeneity * completeness / (beta * homogeneity + completeness))
                .clamp(0.0, 1.0)
        };
        (homogeneity, completeness, v_measure)
    }
}

/// The exact sum of the squares of `values`.
fn sum_of_squares(values: impl Iterator<Item = u64>) -> u128 {
    values.map(|x| u128::from(x) * u128::from(x)).sum()
}

/// `2 (tp tn - fn fp) / ((tp + fn)(fn + tn) + (tp + fp)(fp + tn))` with exact
/// integers and one rounding per side, as Python computes it; `None` on
/// `u128` overflow. The denominator is positive when `fp` or `fn` is.
fn exact_ari(tp: u128, fp: u128, fn_: u128, tn: u128) -> Option<f64> {
    let agree = tp.checked_mul(tn)?;
    let disagree = fn_.checked_mul(fp)?;
    let numerator = if agree >= disagree {
        (agree - disagree) as f64
    } else {
        -((disagree - agree) as f64)
    };
    let left = tp.checked_add(fn_)?.checked_mul(fn_.checked_add(tn)?)?;
    let right = tp.checked_add(fp)?.checked_mul(fp.checked_add(tn)?)?;
    let denominator = left.checked_add(right)? as f64;
    Some(2.0 * numerator / denominator)
}

/// The entropy (nats) of a labeling with these cluster sizes, as
/// scikit-learn's `_entropy`: `-sum p_i/n (ln p_i - ln n)`, 0 for one cluster.
fn entropy(sizes: &[u64], n: u64) -> f64 {
    if sizes.len() == 1 {
        return 0.0;
    }
    let n = n as f64;
    let ln_n = n.ln();
    -sizes
        .iter()
        .map(|&p| {
            let p = p as f64;
            (p / n) * (p.ln() - ln_n)
        })
        .sum::<f64>()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lengths_must_match() {
        let err = adjusted_rand_index(&[0, 1], &[0]).unwrap_err();
        assert!(matches!(err, Error::Fit(_)));
        assert!(err.to_string().contains("(2 and 1)"), "{err}");
    }

    #[test]
    fn empty_input_is_an_error() {
        let empty: [u8; 0] = [];
        let err = score_labels(&empty, &empty).unwrap_err();
        assert!(err.to_string().contains("at least one sample"), "{err}");
        assert!(normalized_mutual_info(&empty, &empty).is_err());
        assert!(homogeneity(&empty, &empty).is_err());
    }

    #[test]
    fn labels_are_numbered_by_first_appearance() {
        assert_eq!(encode(&["b", "a", "b", "c"]), (vec![0, 1, 0, 2], 3));
    }

    #[test]
    fn contingency_counts_cells() {
        let t = Contingency::new(&[0, 0, 1, 1, 1], &["x", "y", "y", "y", "z"]).unwrap();
        assert_eq!(t.n, 5);
        assert_eq!(t.class_sizes, [2, 3]);
        assert_eq!(t.cluster_sizes, [1, 3, 1]);
        assert_eq!(t.cells, [(0, 0, 1), (0, 1, 1), (1, 1, 2), (1, 2, 1)]);
    }

    #[test]
    fn one_sample_agrees_perfectly() {
        let s = score_labels(&[3], &[9]).unwrap();
        assert_eq!(
            s,
            LabelScores {
                adjusted_rand_index: 1.0,
                normalized_mutual_info: 1.0,
                homogeneity: 1.0,
                completeness: 1.0,
                v_measure: 1.0
            }
        );
    }

    #[test]
    fn one_cluster_against_many() {
        let truth = [0, 0, 0, 0];
        let pred = [0, 1, 2, 3];
        // All singletons against one cluster: no pair agrees on "together".
        assert_eq!(adjusted_rand_index(&truth, &pred).unwrap(), 0.0);
        assert_eq!(normalized_mutual_info(&truth, &pred).unwrap(), 0.0);
        // H(truth) = 0: homogeneity 1 by definition; MI = 0: completeness 0.
        let (h, c, v) = homogeneity_completeness_v_measure(&truth, &pred).unwrap();
        assert_eq!((h, c), (1.0, 0.0));
        assert_eq!(v, 0.0);
    }

    #[test]
    fn both_all_singletons_is_perfect() {
        let a: Vec<u32> = (0..50).collect();
        let b: Vec<u32> = (0..50).rev().collect();
        let s = score_labels(&a, &b).unwrap();
        assert_eq!(s.adjusted_rand_index, 1.0);
        assert_eq!(s.normalized_mutual_info, 1.0);
        assert_eq!(s.v_measure, 1.0);
    }

    #[test]
    fn exact_ari_handles_large_counts() {
        // 3 billion samples, two halves split differently: within u128.
        let n: u128 = 3_000_000_000;
        let half = n / 2;
        let quarter = n / 4;
        // truth: two halves; pred: four quarters nested in them.
        let pair = |m: u128| m * (m - 1) / 2;
        let tp = 4 * pair(quarter);
        let fn_ = 2 * pair(half) - tp;
        let fp = 0;
        let tn = pair(n) - tp - fn_ - fp;
        let ari = exact_ari(tp, fp, fn_, tn).unwrap();
        assert!(ari > 0.0 && ari < 1.0, "{ari}");
        // The same ratio in f64 agrees to rounding.
        let (a, b, c, d) = (tp as f64, fp as f64, fn_ as f64, tn as f64);
        let approx = 2.0 * (a * d - c * b) / ((a + c) * (c + d) + (a + b) * (b + d));
        assert!((ari - approx).abs() < 1e-9, "{ari} {approx}");
    }
}
