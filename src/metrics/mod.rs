//! Measuring clusterings: agreement with known labels (adjusted Rand index,
//! normalized mutual information, homogeneity, completeness, V-measure) and
//! internal quality (silhouette with cosine distances), with scikit-learn's
//! definitions.
//!
//! Every function here agrees with its `sklearn.metrics` namesake to 1e-9
//! (`tests/metrics.rs` checks fixtures written by scikit-learn 1.9.1 with
//! `tests/sklearn_metrics.py`); the documentation of each says where and why
//! it departs, always by rounding only or in a degenerate case.
//!
//! - Against known labels, any hashable label types, one label per sample:
//!   [`adjusted_rand_index`], [`normalized_mutual_info`],
//!   [`homogeneity_completeness_v_measure`] (and [`homogeneity`],
//!   [`completeness`], [`v_measure`] alone), or all five from one contingency
//!   table with [`score_labels`].
//! - Internal quality: [`silhouette_cosine`] and [`silhouette_samples_cosine`],
//!   exact, in O(nnz k) rather than scikit-learn's O(n^2).
//!
//! No function returns NaN: inputs that have no score (mismatched lengths, no
//! samples, a silhouette with fewer than 2 or more than `n - 1` clusters, a
//! non-finite value) are errors.
//!
//! # Example
//!
//! ```
//! use topica::metrics::{score_labels, silhouette_cosine};
//! use ndarray::array;
//!
//! let truth = ["grok", "grok", "grok", "surveillance", "surveillance"];
//! let pred = [1, 1, 0, 0, 0];
//! let scores = score_labels(&truth, &pred)?;
//! assert!(scores.adjusted_rand_index > -0.5 && scores.adjusted_rand_index < 1.0);
//! assert!(scores.v_measure > 0.0 && scores.v_measure < 1.0);
//!
//! let x = array![[1.0, 0.1], [0.9, 0.0], [0.1, 1.0], [0.0, 1.0], [0.1, 0.9]];
//! assert!(silhouette_cosine(&x.view(), &[0, 0, 1, 1, 1])? > 0.8);
//! # Ok::<(), topica::Error>(())
//! ```

mod labels;
mod silhouette;

pub use self::labels::{
    LabelScores, adjusted_rand_index, completeness, homogeneity,
    homogeneity_completeness_v_measure, normalized_mutual_info, score_labels, v_measure,
};
pub use self::silhouette::{silhouette_cosine, silhouette_samples_cosine};
