//! Agglomerative (hierarchical) clustering on cosine distances (single
//! linkage by scipy's minimum spanning tree, the others by scipy's
//! nearest-neighbour chain), and the dendrogram in scipy's linkage-matrix
//! format.
//!
//! # Example
//!
//! ```
//! use topica::analyze::StopWordList;
//! use topica::cluster::hierarchical::{Cut, Hierarchical, Linkage};
//! use topica::corpus::{Corpus, ReadOptions};
//! use topica::vectorize::TfidfVectorizer;
//!
//! // The 74 paragraphs of the bundled news articles.
//! let corpus = Corpus::read(&["data/news"], &ReadOptions::default())?;
//! let (_, x) = TfidfVectorizer::params()
//!     .stop_words(Some(StopWordList::English))
//!     .fit_transform(&corpus.texts())?;
//!
//! let h = Hierarchical::params(Linkage::Average, Cut::K(4)).fit(x.matrix())?;
//! assert_eq!(h.n_clusters(), 4);
//! assert_eq!(h.labels().len(), 74);
//! assert_eq!(h.labels()[0], 0);
//!
//! // scipy's linkage matrix: 73 merges [a, b, height, size], lowest first.
//! let z = &h.dendrogram().matrix;
//! assert_eq!(z.len(), 73);
//! assert!(z.windows(2).all(|w| w[0][2] <= w[1][2]));
//! assert_eq!(z[72][3], 74.0);
//!
//! // The same tree, cut at a height: fewer merges, more clusters.
//! let finer = h.cut(Cut::Distance(0.8))?;
//! assert!(finer.iter().max().unwrap() + 1 > 4);
//! # Ok::<(), topica::Error>(())
//! ```
//!
//! # Distances
//!
//! Rows are L2-normalised (a zero row stays zero). Average, complete and
//! single linkage work on the cosine distance `1 - cos`; a zero row is at
//! distance 1 from every other row, as scikit-learn's `cosine_distances`
//! says, where scikit-learn's cosine `AgglomerativeClustering` raises an
//! error and scipy's `pdist` gives NaN. Ward works on the Euclidean distance
//! between the normalised rows, `sqrt(2 (1 - cos))` between unit rows: Ward's
//! minimum-variance criterion on the unit sphere, what "Ward on cosine" can
//! mean. See [`condensed_distances`].
//!
//! # The tree is scipy's
//!
//! For the same condensed distances, [`linkage_matrix`] returns what
//! `scipy.cluster.hierarchy.linkage` returns: the same merges in the same
//! order, the smaller id first in each row, the same heights bit for bit
//! (`tests/hierarchical.rs` checks all four linkages on the news paragraphs).
//! Single linkage is kodama's minimum spanning tree, whose tie-breaking is
//! scipy's. [`Hierarchical`] builds that same tree, to the bit, from the rows
//! themselves ([`Linkage::Single`] computes each step's distances as Prim's
//! loop needs them, a unit test checks the two against each other), which
//! takes less time and no `n^2 / 2` matrix. Complete, average and Ward
//! follow scipy's nearest-neighbour chain
//! here: for Ward because kodama's runs on squared distances, which rounds
//! otherwise and can break a tie between equal merges the other way, for
//! complete and average because it walks memory faster than kodama's (see the
//! `linkage` module's source). Between topica's distances and scipy's (which
//! agree within 1e-12, not bit for bit), trees agree but for the order of
//! merges at equal heights.
//!
//! # Flat clusters
//!
//! [`Cut::K`] stops after `n - k` merges, as scikit-learn's
//! `AgglomerativeClustering(n_clusters=k)` does; [`Cut::Distance`] keeps the
//! merges at heights `<= t`, as scipy's `fcluster(Z, t, "distance")` does.
//! Clusters are numbered 0, 1, ... in order of first appearance in the rows.
//! [`Hierarchical::cut`] cuts the fitted tree again without refitting.
//!
//! # Large inputs
//!
//! The `n (n - 1) / 2` distances of `n` rows take 1 GiB at 16,384 rows
//! ([`DEFAULT_MAX_DIRECT`]). Above `max_direct` rows, the non-zero rows are
//! first grouped into `micro_clusters` micro-clusters by spherical k-means
//! (one k-means++ start from `seed`), the zero rows into one more, and the
//! micro-clusters' unit centroids are agglomerated with the chosen linkage,
//! each as one point whatever its size (as scikit-learn's `Birch` clusters
//! its subclusters' centres); every row takes its micro-cluster's flat
//! cluster. [`Hierarchical::micro`] is then `Some`, and the dendrogram's
//! leaves are the micro-clusters (`"micro:j"`).
//!
//! Tried and not kept (2026-12-04, all 20 groups of
//! `20newsgroups_clean.jsonl`, k = 20, seed 0): weighting each
//! micro-cluster by its rows, for Ward's initial distances
//! (`sqrt(2 n_i n_j / (n_i + n_j))` times the centroids' distance, Ward's
//! cost of merging the two groups) and the Lance-Williams updates' sizes,
//! gave a V-measure of 0.274 against 0.320 unweighted (0.327 with the sizes
//! in the updates only); average linkage stayed at 0.013 either way (nearly
//! everything in one cluster, as on the rows themselves).
//!
//! Single linkage needs no distance matrix, but its time still grows as
//! `n^2` (0.13 s at 5,000 rows, so about 1.4 s at 16,384, on one thread);
//! the same `max_direct` applies to it, so that the four linkages see the
//! same leaves and a user switching linkage compares like with like.
//!
//! # Determinism
//!
//! Distances are computed in parallel, each in a fixed order; the linkage is
//! sequential. The result depends on nothing but the input and the seed (the
//! seed only matters for the micro-clusters), whatever the number of threads.

mod algorithm;
mod distance;
mod hyperparams;
mod linkage;

pub use self::algorithm::Hierarchical;
pub use self::distance::condensed_distances;
pub use self::hyperparams::{
    Cut, DEFAULT_MAX_DIRECT, DEFAULT_MICRO_CLUSTERS, HierarchicalParams, Linkage,
};
pub use self::linkage::{cut_labels, linkage_matrix};
