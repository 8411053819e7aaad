//! The silhouette with cosine distances, exactly as scikit-learn's
//! `silhouette_samples(X, labels, metric="cosine")` and `silhouette_score`
//! define it, in O(nnz k) time instead of O(n^2).

use rayon::prelude::*;

use crate::cluster::{Rescaled, Rows};
use crate::error::{Error, Result};

/// Rows per parallel task (fixed, so that work never depends on the thread count).
const CHUNK: usize = 256;

/// Most `f64` values of cluster sums held at once (32 MiB, twice while they
/// are transposed): with more clusters than fit, clusters go in blocks.
const MAX_SUM_VALUES: usize = 1 << 22;

/// Mean distances at most this small are rounding noise (duplicate rows):
/// a sample whose `a` and `b` are both this small scores 0.
const NOISE: f64 = 1e-12;

/// The silhouette of every row of `x` under `labels`, with cosine distances:
/// scikit-learn's `silhouette_samples(x, labels, metric="cosine")`.
///
/// ```text
/// u_i     = x_i / |x_i|   (a zero row stays zero)
/// d(i, j) = 1 - <u_i, u_j> for i != j  (so 1 between a zero row and any other),
///           0 for i = j
/// a_i     = mean of d(i, j) over the other members j of i's cluster
/// b_i     = min over the other clusters C of the mean of d(i, j) over j in C
/// s_i     = (b_i - a_i) / max(a_i, b_i), and 0 when i's cluster is i alone
/// ```
///
/// # Computation
///
/// With `S_C` the sum of the unit rows of cluster `C`, the distances from `i`
/// to `C` sum to `|C| - <u_i, S_C>`, less the term of `i` itself when `i` is
/// in `C`: `(|C| - 1) - (<u_i, S_C> - <u_i, u_i>)`, where `<u_i, u_i>` is 1,
/// or 0 for a zero row. One pass over the non-zeros of each row against the
/// `k` sums gives every mean: O(nnz k) time, not the O(n^2) of the pairwise
/// distances. Rows go in parallel, each computed alone and every sum in a
/// fixed order, so the values are the same whatever the thread count.
///
/// The results agree with scikit-learn to about 1e-15, with two deliberate
/// differences where its own answer is rounding noise or an artefact:
///
/// - `a_i` and `b_i` are clamped to `[0, 2]` as scikit-learn clamps each
///   distance, and a sample whose `a_i` and `b_i` are both below 1e-12
///   (duplicates of it in its own cluster and in another) scores 0, where
///   scikit-learn's is the ratio of two rounding errors.
/// - The distance of a zero row to itself is 0. scikit-learn zeroes the
///   diagonal only when it computes the distances in one chunk (up to about
///   11,500 rows with its default `working_memory`); beyond, its `a_i` for a
///   zero row counts a distance 1 to itself.
///
/// Labels may be any numbers (they need not be `0..k`). Fails unless there
/// are as many labels as rows and between 2 and `n - 1` distinct ones, as
/// scikit-learn does, and on a row with a non-finite value (or a squared norm
/// past `f64::MAX`).
///
/// ```
/// use ndarray::array;
/// use topica::metrics::silhouette_samples_cosine;
///
/// let x = array![[1.0, 0.0], [2.0, 0.1], [0.0, 1.0], [0.2, 3.0], [0.0, 0.0]];
/// let s = silhouette_samples_cosine(&x.view(), &[0, 0, 1, 1, 2])?;
/// assert!(s[..4].iter().all(|&v| v > 0.9)); // two tight, distant pairs
/// assert_eq!(s[4], 0.0); // a cluster of one scores 0
/// # Ok::<(), topica::Error>(())
/// ```
pub fn silhouette_samples_cosine<R: Rows>(x: &R, labels: &[usize]) -> Result<Vec<f64>> {
    silhouette_samples_in_blocks(x, labels, MAX_SUM_VALUES)
}

/// The mean silhouette of the rows of `x` under `labels`, with cosine
/// distances: scikit-learn's `silhouette_score(x, labels, metric="cosine")`,
/// the mean of [`silhouette_samples_cosine`] (see there for the definition,
/// the method and the errors). In `[-1, 1]`; higher means tighter, better
/// separated clusters.
///
/// ```
/// use topica::analyze::StopWordList;
/// use topica::corpus::{Corpus, ReadOptions};
/// use topica::metrics::silhouette_cosine;
/// use topica::vectorize::TfidfVectorizer;
///
/// let corpus = Corpus::read(&["data/news"], &ReadOptions::default())?;
/// let (_, x) = TfidfVectorizer::params()
///     .stop_words(Some(StopWordList::English))
///     .fit_transform(&corpus.texts())?;
/// // One cluster per article: ids start with the file's number, 01 to 03.
/// let articles: Vec<usize> = corpus.documents.iter().map(|d| d.id[..2].parse().unwrap()).collect();
/// let s = silhouette_cosine(x.matrix(), &articles)?;
/// // Barely above 0: the articles share their subject, so they overlap.
/// assert!((s - 0.00138018).abs() < 1e-8, "{s}");
/// # Ok::<(), topica::Error>(())
/// ```
pub fn silhouette_cosine<R: Rows>(x: &R, labels: &[usize]) -> Result<f64> {
    let samples = silhouette_samples_cosine(x, labels)?;
    Ok(samples.iter().sum::<f64>() / samples.len() as f64)
}

/// [`silhouette_samples_cosine`] holding at most about `max_values` values of
/// cluster sums at once.
fn silhouette_samples_in_blocks<R: Rows>(
    x: &R,
    labels: &[usize],
    max_values: usize,
) -> Result<Vec<f64>> {
    let n = x.n_rows();
    if labels.len() != n {
        return Err(Error::Fit(format!(
            "silhouette: {} labels for {n} rows; give one label per row",
            labels.len()
        )));
    }
    let (ids, sizes) = compact(labels);
    let k = sizes.len();
    if k < 2 || k >= n {
        return Err(Error::Fit(format!(
            "silhouette: the number of labels is {k}; it must be from 2 to n_samples - 1 = {} \
             (inclusive)",
            n as i64 - 1
        )));
    }
    // Rows whose squared norms would leave f64's range are rescaled first
    // (cosine distances do not depend on a row's scale).
    if let Some(rescaled) = x.rescaled() {
        return match rescaled {
            Rescaled::Sparse(m) => silhouette_samples_in_blocks(&m, labels, max_values),
            Rescaled::Dense(a) => silhouette_samples_in_blocks(&a.view(), labels, max_values),
        };
    }
    let norms_sq: Vec<f64> = (0..n).into_par_iter().map(|i| x.norm_sq(i)).collect();
    if let Some(i) = norms_sq.iter().position(|s| !s.is_finite()) {
        return Err(Error::Fit(format!(
            "silhouette: row {i} has a value that is not a finite number (or its norm overflows)"
        )));
    }
    // 1/|x_i|, and <u_i, u_i> (1 up to rounding; 0 for a zero row).
    let inv_norms: Vec<f64> = norms_sq
        .iter()
        .map(|&s| if s > 0.0 { 1.0 / s.sqrt() } else { 0.0 })
        .collect();
    let self_dots: Vec<f64> = norms_sq
        .iter()
        .zip(&inv_norms)
        .map(|(s, v)| s * v * v)
        .collect();

    let dim = x.dim();
    let block = (max_values / dim.max(1)).clamp(1, k);
    // Sum of distances from each row to its own cluster's other members, and
    // the least mean distance to another cluster so far.
    let mut intra = vec![0.0; n];
    let mut nearest = vec![f64::INFINITY; n];
    for start in (0..k).step_by(block) {
        let clusters = start..(start + block).min(k);
        let width = clusters.len();
        // The unit-row sums S_C of these clusters, feature-major (`dim x width`).
        let local: Vec<usize> = ids
            .iter()
            .map(|&c| {
                if clusters.contains(&c) {
                    c - start
                } else {
                    usize::MAX
                }
            })
            .collect();
        let mut sums_t = vec![0.0; dim * width];
        x.sums_by_label(&local, &inv_norms, &mut sums_t, width);

        intra
            .par_chunks_mut(CHUNK)
            .zip(nearest.par_chunks_mut(CHUNK))
            .enumerate()
            .for_each(|(chunk, (intra, nearest))| {
                let mut dots = vec![0.0; width];
                for (r, (a, b)) in intra.iter_mut().zip(nearest.iter_mut()).enumerate() {
                    let i = chunk * CHUNK + r;
                    x.dots_t(i, &sums_t, width, &mut dots);
                    for (c, &dot) in clusters.clone().zip(&dots) {
                        let size = sizes[c] as f64;
                        let dot = dot * inv_norms[i];
                        if c == ids[i] {
                            *a = (size - 1.0) - (dot - self_dots[i]);
                        } else {
                            let mean = (size - dot) / size;
                            if mean < *b {
                                *b = mean;
                            }
                        }
                    }
                }
            });
    }

    Ok((0..n)
        .into_par_iter()
        .map(|i| {
            let size = sizes[ids[i]];
            if size == 1 {
                return 0.0;
            }
            let a = (intra[i] / (size - 1) as f64).clamp(0.0, 2.0);
            let b = nearest[i].clamp(0.0, 2.0);
            let max = a.max(b);
            if max <= NOISE { 0.0 } else { (b - a) / max }
        })
        .collect())
}

/// Dense cluster ids `0..k` for arbitrary labels (in increasing label order,
/// as scikit-learn's `LabelEncoder`) and the size of each cluster.
fn compact(labels: &[usize]) -> (Vec<usize>, Vec<usize>) {
    let mut distinct = labels.to_vec();
    distinct.par_sort_unstable();
    distinct.dedup();
    let ids: Vec<usize> = labels
        .par_iter()
        .map(|l| {
            distinct
                .binary_search(l)
                .expect("every label is in the list")
        })
        .collect();
    let mut sizes = vec![0; distinct.len()];
    for &c in &ids {
        sizes[c] += 1;
    }
    (ids, sizes)
}

#[cfg(test)]
mod tests {
    use ndarray::{Array2, array};
    use proptest::prelude::*;

    use super::*;
    use crate::vectorize::SparseMatrix;

    /// scikit-learn's algorithm, literally: normalise, all pairwise cosine
    /// distances clipped to [0, 2] with a zero diagonal, then the means.
    fn naive(x: &Array2<f64>, labels: &[usize]) -> Vec<f64> {
        let n = x.nrows();
        let units: Vec<Vec<f64>> = x
            .rows()
            .into_iter()
            .map(|r| {
                let norm = r.iter().map(|v| v * v).sum::<f64>().sqrt();
                r.iter()
                    .map(|v| if norm > 0.0 { v / norm } else { 0.0 })
                    .collect()
            })
            .collect();
        let d = |i: usize, j: usize| -> f64 {
            if i == j {
                return 0.0;
            }
            let dot: f64 = units[i].iter().zip(&units[j]).map(|(a, b)| a * b).sum();
            (1.0 - dot).clamp(0.0, 2.0)
        };
        let k = labels.iter().max().unwrap() + 1;
        (0..n)
            .map(|i| {
                let mut sums = vec![0.0; k];
                let mut sizes = vec![0usize; k];
                for j in 0..n {
                    sums[labels[j]] += d(i, j);
                    sizes[labels[j]] += 1;
                }
                let own = labels[i];
                if sizes[own] == 1 {
                    return 0.0;
                }
                let a = sums[own] / (sizes[own] - 1) as f64;
                let b = (0..k)
                    .filter(|&c| c != own && sizes[c] > 0)
                    .map(|c| sums[c] / sizes[c] as f64)
                    .fold(f64::INFINITY, f64::min);
                // The one rule added to scikit-learn's: both means rounding noise.
                if a.max(b) > NOISE {
                    (b - a) / a.max(b)
                } else {
                    0.0
                }
            })
            .collect()
    }

    fn sparse(x: &Array2<f64>) -> SparseMatrix<f64> {
        let mut tri = sprs::TriMatI::<f64, u32>::new(x.dim());
        for ((i, j), &v) in x.indexed_iter() {
            if v != 0.0 {
                tri.add_triplet(i, j, v);
            }
        }
        tri.to_csr()
    }

    fn assert_close(a: &[f64], b: &[f64]) {
        assert_eq!(a.len(), b.len());
        for (i, (x, y)) in a.iter().zip(b).enumerate() {
            assert!((x - y).abs() <= 1e-12, "row {i}: {x} against {y}");
        }
    }

    #[test]
    fn needs_two_to_n_minus_one_labels() {
        let x = array![[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]];
        for labels in [[0, 0, 0], [0, 1, 2]] {
            let err = silhouette_cosine(&x.view(), &labels).unwrap_err();
            assert!(
                err.to_string().contains("from 2 to n_samples - 1 = 2"),
                "{err}"
            );
        }
        assert!(silhouette_cosine(&x.view(), &[4, 4, 9]).is_ok());
        let one = array![[1.0]];
        let err = silhouette_cosine(&one.view(), &[0]).unwrap_err();
        assert!(err.to_string().contains("number of labels is 1"), "{err}");
    }

    #[test]
    fn labels_must_match_rows() {
        let x = array![[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]];
        let err = silhouette_samples_cosine(&x.view(), &[0, 1]).unwrap_err();
        assert!(err.to_string().contains("2 labels for 3 rows"), "{err}");
        let empty = Array2::<f64>::zeros((0, 2));
        assert!(silhouette_cosine(&empty.view(), &[]).is_err());
    }

    #[test]
    fn non_finite_values_are_refused() {
        let x = array![[1.0, 0.0], [0.0, f64::NAN], [1.0, 1.0]];
        let err = silhouette_cosine(&x.view(), &[0, 1, 1]).unwrap_err();
        assert!(err.to_string().contains("row 1"), "{err}");
        let x = array![[1.0, 0.0], [0.0, 1.0], [f64::INFINITY, 1.0]];
        assert!(silhouette_cosine(&x.view(), &[0, 1, 1]).is_err());
    }

    #[test]
    fn zero_rows_are_at_distance_one_from_all_others() {
        // Row 2 is zero: a = mean(d(2, 3)) = 1; b = mean(d(2, {0, 1})) = 1.
        let x = array![[1.0, 0.0], [1.0, 0.0], [0.0, 0.0], [0.0, 1.0]];
        let s = silhouette_samples_cosine(&x.view(), &[0, 0, 1, 1]).unwrap();
        assert_eq!(s[2], 0.0);
        // Row 3: a = 1, b = 1.
        assert_eq!(s[3], 0.0);
        // Rows 0 and 1: a = 0, b = (1 + 1) / 2.
        assert_eq!(&s[..2], &[1.0, 1.0]);
        assert_close(&s, &naive(&x, &[0, 0, 1, 1]));
    }

    #[test]
    fn duplicates_across_clusters_score_zero_not_noise() {
        // Rows 0, 1 (cluster 0) and 2, 3 (cluster 1) are the same vector: their
        // a and b are 0 but for rounding, and scikit-learn's ratio of the two
        // roundings is arbitrary.
        let v = [0.1, 0.7, 0.3];
        let x = array![v, v, v, v, [1.0, 0.0, 0.0], [0.9, 0.1, 0.0]];
        let labels = [0, 0, 1, 1, 2, 2];
        let s = silhouette_samples_cosine(&x.view(), &labels).unwrap();
        assert_eq!(&s[..4], &[0.0; 4]);
        assert!(s[4] > 0.9 && s[5] > 0.9, "{s:?}");
        // Duplicates across clusters but a distinct row in its own: -1.
        let x = array![v, [0.0, 0.0, 1.0], v, v];
        let s = silhouette_samples_cosine(&x.view(), &[0, 0, 1, 1]).unwrap();
        assert!((s[0] + 1.0).abs() < 1e-12, "{s:?}");
    }

    #[test]
    fn blocks_of_clusters_give_identical_results() {
        let x = Array2::from_shape_fn((40, 7), |(i, j)| ((i * 7 + j * 13) % 11) as f64 - 3.0);
        let labels: Vec<usize> = (0..40).map(|i| (i * i) % 9).collect();
        let whole = silhouette_samples_in_blocks(&x.view(), &labels, usize::MAX).unwrap();
        for max_values in [1, 7, 14, 20] {
            let blocked = silhouette_samples_in_blocks(&x.view(), &labels, max_values).unwrap();
            assert_eq!(whole, blocked, "max_values = {max_values}");
        }
        let sparse_blocked = silhouette_samples_in_blocks(&sparse(&x), &labels, 7).unwrap();
        assert_eq!(whole, sparse_blocked);
    }

    #[test]
    fn compact_numbers_labels_in_increasing_order() {
        assert_eq!(compact(&[7, 3, 7, 100]), (vec![1, 0, 1, 2], vec![1, 2, 1]));
    }

    fn data() -> impl Strategy<Value = (Array2<f64>, Vec<usize>)> {
        (3usize..30, 1usize..6).prop_flat_map(|(n, dim)| {
            // Small integers, many zeros: zero rows and exact duplicates happen.
            let values = prop::collection::vec(
                prop_oneof![Just(0i32), -3i32..4].prop_map(f64::from),
                n * dim,
            );
            let labels = prop::collection::vec(0usize..4, n);
            (values, labels)
                .prop_map(move |(v, l)| (Array2::from_shape_vec((n, dim), v).unwrap(), l))
        })
    }

    proptest! {
        #[test]
        fn fast_path_matches_pairwise_distances((x, labels) in data()) {
            let distinct = {
                let mut d = labels.clone();
                d.sort();
                d.dedup();
                d.len()
            };
            prop_assume!(distinct >= 2 && distinct < x.nrows());
            let fast = silhouette_samples_cosine(&x.view(), &labels).unwrap();
            let from_sparse = silhouette_samples_cosine(&sparse(&x), &labels).unwrap();
            let reference = naive(&x, &labels);
            for i in 0..x.nrows() {
                prop_assert!((-1.0..=1.0).contains(&fast[i]));
                prop_assert!((fast[i] - from_sparse[i]).abs() <= 1e-12);
                let (a, b) = (fast[i], reference[i]);
                prop_assert!((a - b).abs() <= 1e-12, "row {}: {} against {}", i, a, b);
            }
        }
    }
}
