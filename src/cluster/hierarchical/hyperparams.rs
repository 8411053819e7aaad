//! The parameters of agglomerative clustering: the linkage, where to cut the
//! tree, and the fallback for corpora too large for a distance matrix.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::error::{ParamError, Result};

/// The largest number of rows clustered directly, by default: 16,384.
///
/// The condensed distance matrix of `n` rows holds `n (n - 1) / 2` f64, and
/// for 16,384 rows that is 1,073,610,752 bytes, just under 1 GiB; the linkage
/// works in place on it and needs only `O(n)` more. Twice as many rows would
/// need 4 GiB.
pub const DEFAULT_MAX_DIRECT: usize = 16_384;

/// The number of micro-clusters of the fallback, by default: 2,000.
///
/// Small enough for their distance matrix (16 MB) and their agglomeration to
/// be instant, large enough for each to stay within one topic of a corpus of
/// tens of thousands of paragraphs.
pub const DEFAULT_MICRO_CLUSTERS: usize = 2_000;

/// How the distance between two clusters follows from the distances between
/// their rows (scipy's `method`, scikit-learn's `linkage`).
///
/// With clusters `A` and `B`, rows `a` and `b`, and `d` the distance between
/// rows (cosine distance `1 - cos` except for Ward):
///
/// ```text
/// single    min over a in A, b in B of d(a, b)
/// complete  max over a in A, b in B of d(a, b)
/// average   sum over a in A, b in B of d(a, b) / (|A| |B|)     (UPGMA)
/// ward      sqrt(2 |A| |B| / (|A| + |B|)) * ||mean(A) - mean(B)||,
///           d the Euclidean distance between L2-normalised rows
/// ```
///
/// Ward merges the two clusters whose union least increases the sum of
/// squared distances to the centroids; its height is scipy's (the
/// Lance-Williams recurrence on Euclidean distances).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Linkage {
    /// Minimum variance (on the unit sphere).
    Ward,
    /// Mean distance between the two clusters' rows (UPGMA).
    Average,
    /// Largest distance between the two clusters' rows.
    Complete,
    /// Smallest distance between the two clusters' rows.
    Single,
}

impl Linkage {
    /// Every linkage, in the order of the command line's help.
    pub const ALL: [Linkage; 4] = [
        Linkage::Ward,
        Linkage::Average,
        Linkage::Complete,
        Linkage::Single,
    ];

    /// The name used on the command line, in reports and by scipy.
    pub fn name(self) -> &'static str {
        match self {
            Linkage::Ward => "ward",
            Linkage::Average => "average",
            Linkage::Complete => "complete",
            Linkage::Single => "single",
        }
    }
}

impl fmt::Display for Linkage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Linkage {
    type Err = ParamError;

    /// Parses `"ward"`, `"average"`, `"complete"` or `"single"`.
    ///
    /// ```
    /// use topica::cluster::hierarchical::Linkage;
    ///
    /// assert_eq!("average".parse::<Linkage>()?, Linkage::Average);
    /// let err = "centroid".parse::<Linkage>().unwrap_err();
    /// assert_eq!(
    ///     err.to_string(),
    ///     "invalid linkage: unknown linkage \"centroid\": expected ward, average, complete or single"
    /// );
    /// # Ok::<(), topica::error::ParamError>(())
    /// ```
    fn from_str(s: &str) -> Result<Self, ParamError> {
        Linkage::ALL
            .into_iter()
            .find(|l| l.name() == s)
            .ok_or_else(|| {
                ParamError::new(
                    "linkage",
                    format!("unknown linkage {s:?}: expected ward, average, complete or single"),
                )
            })
    }
}

/// Where the tree is cut into flat clusters.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Cut {
    /// Exactly `k` clusters: the partition after the first `n - k` merges,
    /// as scikit-learn's `AgglomerativeClustering(n_clusters=k)` and scipy's
    /// `cut_tree(Z, n_clusters=k)` give. scipy's `fcluster(Z, k, "maxclust")`
    /// agrees unless merge `n - k` has the same height as merge `n - k + 1`
    /// (it then returns fewer clusters).
    K(usize),
    /// The clusters whose merges all happened at a height `<= t`: scipy's
    /// `fcluster(Z, t, criterion="distance")`, scikit-learn's
    /// `distance_threshold` (which cuts at `< t`).
    Distance(f64),
}

/// Parameters of [`Hierarchical`](super::Hierarchical), checked by
/// [`check`](Self::check).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HierarchicalParams {
    linkage: Linkage,
    cut: Cut,
    max_direct: usize,
    micro_clusters: usize,
    seed: u64,
}

impl HierarchicalParams {
    /// Defaults for `linkage` and `cut`: `max_direct = 16_384`
    /// ([`DEFAULT_MAX_DIRECT`]), `micro_clusters = 2_000`
    /// ([`DEFAULT_MICRO_CLUSTERS`]), `seed = 0`.
    pub fn new(linkage: Linkage, cut: Cut) -> Self {
        HierarchicalParams {
            linkage,
            cut,
            max_direct: DEFAULT_MAX_DIRECT,
            micro_clusters: DEFAULT_MICRO_CLUSTERS,
            seed: 0,
        }
    }

    /// The largest number of rows clustered directly, from their full
    /// distance matrix (default 16,384: under 1 GiB of distances, see
    /// [`DEFAULT_MAX_DIRECT`]). Larger inputs are first grouped into
    /// [`micro_clusters`](Self::micro_clusters).
    pub fn max_direct(mut self, max_direct: usize) -> Self {
        self.max_direct = max_direct;
        self
    }

    /// The number of micro-clusters (spherical k-means) the rows are grouped
    /// into when there are more than [`max_direct`](Self::max_direct)
    /// (default 2,000, at most `max_direct`).
    pub fn micro_clusters(mut self, micro_clusters: usize) -> Self {
        self.micro_clusters = micro_clusters;
        self
    }

    /// Seed of the micro-clusters' k-means (default 0); the direct
    /// clustering is not random.
    pub fn seed(mut self, seed: u64) -> Self {
        self.seed = seed;
        self
    }

    /// The linkage.
    pub fn get_linkage(&self) -> Linkage {
        self.linkage
    }

    /// The cut.
    pub fn get_cut(&self) -> Cut {
        self.cut
    }

    /// The largest number of rows clustered directly.
    pub fn get_max_direct(&self) -> usize {
        self.max_direct
    }

    /// The number of micro-clusters of the fallback.
    pub fn get_micro_clusters(&self) -> usize {
        self.micro_clusters
    }

    /// The seed.
    pub fn get_seed(&self) -> u64 {
        self.seed
    }

    /// Checks the parameters alone (not against data): `k >= 1`, a finite
    /// distance threshold `>= 0`, `max_direct >= 1` and
    /// `1 <= micro_clusters <= max_direct`.
    ///
    /// ```
    /// use topica::cluster::hierarchical::{Cut, Hierarchical, Linkage};
    ///
    /// assert!(Hierarchical::params(Linkage::Ward, Cut::K(3)).check().is_ok());
    /// let err = Hierarchical::params(Linkage::Ward, Cut::K(0)).check().unwrap_err();
    /// assert_eq!(err.to_string(), "invalid k: must be at least 1, got 0");
    /// ```
    pub fn check(&self) -> Result<(), ParamError> {
        match self.cut {
            Cut::K(0) => return Err(ParamError::new("k", "must be at least 1, got 0")),
            Cut::K(_) => {}
            Cut::Distance(t) => {
                if !(t.is_finite() && t >= 0.0) {
                    return Err(ParamError::new(
                        "distance_threshold",
                        format!("must be a finite number >= 0, got {t}"),
                    ));
                }
            }
        }
        if self.max_direct == 0 {
            return Err(ParamError::new("max_direct", "must be at least 1, got 0"));
        }
        if self.micro_clusters == 0 {
            return Err(ParamError::new(
                "micro_clusters",
                "must be at least 1, got 0",
            ));
        }
        if self.micro_clusters > self.max_direct {
            return Err(ParamError::new(
                "micro_clusters",
                format!(
                    "must be at most max_direct = {} (the micro-clusters are clustered \
                     directly), got {}",
                    self.max_direct, self.micro_clusters
                ),
            ));
        }
        Ok(())
    }
}
