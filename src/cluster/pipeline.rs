//! The clustering pipeline: from TF-IDF rows to topics with outliers, the
//! way `topica cluster` runs it (context blending, the chosen method, the
//! choice of k, the outlier rule, centroids and scores).

use std::fmt;
use std::str::FromStr;

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use super::context::ContextParams;
use super::kmeans::{Algorithm, SphericalKMeansParams};
use super::rows::Rows;
use crate::error::{Error, ParamError, Result};
use crate::vectorize::SparseMatrix;

/// The clustering algorithm.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Method {
    /// Spherical k-means directly on the sparse TF-IDF rows (the default).
    Kmeans,
}

impl Method {
    /// The name used on the command line and in reports.
    pub fn name(self) -> &'static str {
        match self {
            Method::Kmeans => "kmeans",
        }
    }
}

impl fmt::Display for Method {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Method {
    type Err = ParamError;

    fn from_str(s: &str) -> Result<Self, ParamError> {
        match s {
            "kmeans" => Ok(Method::Kmeans),
            other => Err(ParamError::new(
                "method",
                format!("unknown method {other:?}: expected kmeans"),
            )),
        }
    }
}

/// How many clusters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum KChoice {
    /// Exactly this many.
    Fixed(usize),
    /// Every k in `min..=max`, the best by silhouette (cosine) kept.
    Auto {
        /// Smallest k tried (at least 2).
        min: usize,
        /// Largest k tried.
        max: usize,
    },
}

impl fmt::Display for KChoice {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            KChoice::Fixed(k) => write!(f, "{k}"),
            KChoice::Auto { .. } => f.write_str("auto"),
        }
    }
}

/// Why a document is an outlier (topic -1).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", tag = "rule")]
pub enum OutlierReason {
    /// Its own vector is empty: no term of the vocabulary is left after
    /// analysis and pruning ("in", "Tagcloud:").
    NoTerms,
    /// Its own vector's cosine to the nearest topic centroid is below the
    /// threshold.
    FarFromTopics {
        /// The best cosine to a centroid.
        best: f64,
        /// The threshold it fell below.
        threshold: f64,
    },
}

impl fmt::Display for OutlierReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            OutlierReason::NoTerms => f.write_str("no informative terms after analysis"),
            OutlierReason::FarFromTopics { best, threshold } => write!(
                f,
                "far from every topic (best cosine {best:.3} < {threshold})"
            ),
        }
    }
}

/// Parameters of the clustering pipeline; the command line's defaults.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ClusterParams {
    /// Number of clusters, or `auto`.
    pub k: KChoice,
    /// The algorithm.
    pub method: Method,
    /// k-means restarts.
    pub n_init: usize,
    /// k-means iterations.
    pub max_iter: usize,
    /// k-means tolerance.
    pub tol: f64,
    /// Seed of every random choice.
    pub seed: u64,
    /// Mini-batch size, `None` for full passes.
    pub batch_size: Option<usize>,
    /// Document context blending.
    pub context: ContextParams,
    /// A document whose own vector's cosine to its nearest centroid is below
    /// this is an outlier.
    pub outlier_threshold: f64,
}

impl Default for ClusterParams {
    fn default() -> Self {
        ClusterParams {
            k: KChoice::Auto { min: 2, max: 10 },
            method: Method::Kmeans,
            n_init: 10,
            max_iter: 100,
            tol: 1e-4,
            seed: 0,
            batch_size: None,
            context: ContextParams::default(),
            outlier_threshold: 0.05,
        }
    }
}

impl ClusterParams {
    /// Checks the parameters alone.
    pub fn check(&self) -> Result<(), ParamError> {
        match self.k {
            KChoice::Fixed(0) => return Err(ParamError::new("k", "must be at least 1, got 0")),
            KChoice::Auto { min, max } if min < 2 || max < min => {
                return Err(ParamError::new(
                    "k_range",
                    format!("must be MIN..MAX with 2 <= MIN <= MAX, got {min}..{max}"),
                ));
            }
            _ => {}
        }
        self.context.check()?;
        if !(0.0..1.0).contains(&self.outlier_threshold) {
            return Err(ParamError::new(
                "outlier_threshold",
                format!("must be in [0, 1), got {}", self.outlier_threshold),
            ));
        }
        self.kmeans(2).check()
    }

    fn kmeans(&self, k: usize) -> SphericalKMeansParams {
        SphericalKMeansParams::new(k)
            .n_init(self.n_init)
            .max_iter(self.max_iter)
            .tol(self.tol)
            .seed(self.seed)
            .algorithm(match self.batch_size {
                None => Algorithm::Lloyd,
                Some(batch_size) => Algorithm::MiniBatch { batch_size },
            })
    }

    /// Clusters the documents whose TF-IDF rows are `x`; `groups` says which
    /// rows are paragraphs of one text (see [`ContextParams::blend`]).
    pub fn fit(&self, x: &SparseMatrix<f64>, groups: &[Option<usize>]) -> Result<Clustering> {
        self.check()?;
        if groups.len() != x.rows() {
            return Err(Error::Fit(format!(
                "{} groups given for {} documents",
                groups.len(),
                x.rows()
            )));
        }
        let n = x.rows();
        let own_norms: Vec<f64> = (0..n).map(|i| x.norm_sq(i).sqrt()).collect();
        let mut outliers: Vec<(usize, OutlierReason)> = (0..n)
            .filter(|&i| own_norms[i] == 0.0)
            .map(|i| (i, OutlierReason::NoTerms))
            .collect();
        let kept: Vec<usize> = (0..n).filter(|&i| own_norms[i] > 0.0).collect();
        if kept.is_empty() {
            return Err(Error::Fit(format!(
                "every one of the {n} documents is an outlier: none has a term left after \
                 analysis and pruning (try a lower --min-df or no stop words)"
            )));
        }
        let blended = self.context.blend(x, groups);
        let space = select_rows(&blended, &kept);
        let ks: Vec<usize> = match self.k {
            KChoice::Fixed(k) => {
                if k > kept.len() {
                    return Err(ParamError::new(
                        "k",
                        format!(
                            "{k} clusters asked for but only {} of the {n} documents can be \
                             clustered ({} have no terms)",
                            kept.len(),
                            n - kept.len()
                        ),
                    )
                    .into());
                }
                vec![k]
            }
            KChoice::Auto { min, max } => {
                let max = max.min(kept.len().saturating_sub(1));
                if max < min {
                    return Err(Error::Fit(format!(
                        "--k auto needs at least {} documents with terms, found {}",
                        min + 1,
                        kept.len()
                    )));
                }
                (min..=max).collect()
            }
        };
        let mut k_scores = Vec::new();
        let mut best: Option<(f64, super::kmeans::SphericalKMeans)> = None;
        for &k in &ks {
            let km = self.kmeans(k).fit(&space)?;
            let score = if ks.len() > 1 {
                let labels: Vec<usize> = km.labels().to_vec();
                let s = silhouette(&space, &labels, k);
                k_scores.push(KScore { k, silhouette: s });
                s
            } else {
                0.0
            };
            if best.as_ref().is_none_or(|b| score > b.0) {
                best = Some((score, km));
            }
        }
        let (_, km) = best.expect("at least one k");
        let k = km.n_clusters();
        let silhouette = (k >= 2 && k < kept.len()).then(|| silhouette(&space, km.labels(), k));
        // Centroids in the documents' own TF-IDF space: the normalised mean
        // of the members' own rows. Scores and the outlier rule use them, so
        // that a paragraph is judged by its own words, not its neighbours'.
        let mut labels = vec![-1i64; n];
        for (&i, &l) in kept.iter().zip(km.labels()) {
            labels[i] = l as i64;
        }
        let centroids = own_centroids(x, &labels, k);
        let t = centroids_t(&centroids, x.cols());
        // Each kept row's cosine to its own topic and to the nearest one.
        let cosines: Vec<(f64, f64)> = kept
            .par_iter()
            .map(|&i| {
                let mut dots = vec![0.0; k];
                x.dots_t(i, &t, k, &mut dots);
                let own = dots[labels[i] as usize] / own_norms[i];
                let best = dots.iter().copied().fold(own * own_norms[i], f64::max) / own_norms[i];
                (own, best)
            })
            .collect();
        let mut scores = vec![0.0; n];
        let mut far = Vec::new();
        for (&i, &(own, best)) in kept.iter().zip(&cosines) {
            scores[i] = own;
            if best < self.outlier_threshold {
                far.push((
                    i,
                    OutlierReason::FarFromTopics {
                        best,
                        threshold: self.outlier_threshold,
                    },
                ));
            }
        }
        for (i, _) in &far {
            labels[*i] = -1;
            scores[*i] = 0.0;
        }
        outliers.extend(far);
        outliers.sort_by_key(|o| o.0);
        if labels.iter().all(|&l| l < 0) {
            return Err(Error::Fit(format!(
                "every one of the {n} documents is an outlier (see --outlier-threshold)"
            )));
        }
        Ok(Clustering {
            labels,
            scores,
            outliers,
            k_scores,
            centroids,
            objective: km.objective(),
            n_iter: km.n_iter(),
            silhouette,
            dendrogram: None,
        })
    }
}

/// The silhouette of one k tried by `--k auto`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct KScore {
    /// The number of clusters.
    pub k: usize,
    /// Mean silhouette (cosine) of the clustered documents.
    pub silhouette: f64,
}

/// The result of [`ClusterParams::fit`].
#[derive(Debug, Clone, PartialEq)]
pub struct Clustering {
    /// The topic of every document, `-1` for outliers.
    pub labels: Vec<i64>,
    /// Every document's cosine to its topic's centroid (0 for outliers).
    pub scores: Vec<f64>,
    /// The outliers and why, in document order.
    pub outliers: Vec<(usize, OutlierReason)>,
    /// The silhouette of each k tried (empty for a fixed k).
    pub k_scores: Vec<KScore>,
    /// Unit centroids in TF-IDF space (the normalised mean of each topic's
    /// members' own rows).
    pub centroids: Vec<Vec<f64>>,
    /// The k-means objective (sum of cosines in the clustering space).
    pub objective: f64,
    /// Iterations of the kept k-means run.
    pub n_iter: usize,
    /// Mean silhouette (cosine) of the clustered documents in the clustering
    /// space, `None` for a single topic.
    pub silhouette: Option<f64>,
    /// The dendrogram of hierarchical clustering.
    pub dendrogram: Option<crate::report::Dendrogram>,
}

impl Clustering {
    /// The number of topics.
    pub fn n_topics(&self) -> usize {
        self.centroids.len()
    }
}

/// The rows `keep` of `x`, in that order.
fn select_rows(x: &SparseMatrix<f64>, keep: &[usize]) -> SparseMatrix<f64> {
    let mut indptr = Vec::with_capacity(keep.len() + 1);
    indptr.push(0usize);
    let mut indices = Vec::new();
    let mut data = Vec::new();
    for &i in keep {
        let row = x.outer_view(i).expect("row in range");
        indices.extend_from_slice(row.indices());
        data.extend_from_slice(row.data());
        indptr.push(indices.len());
    }
    SparseMatrix::new((keep.len(), x.cols()), indptr, indices, data)
}

/// The normalised mean of each topic's members' rows.
fn own_centroids(x: &SparseMatrix<f64>, labels: &[i64], k: usize) -> Vec<Vec<f64>> {
    let mut members: Vec<Vec<usize>> = vec![Vec::new(); k];
    for (i, &l) in labels.iter().enumerate() {
        if l >= 0 {
            members[l as usize].push(i);
        }
    }
    members
        .par_iter()
        .map(|rows| {
            let mut c = vec![0.0; x.cols()];
            for &i in rows {
                let norm = x.norm_sq(i).sqrt();
                if norm > 0.0 {
                    x.add_to(i, 1.0 / norm, &mut c);
                }
            }
            let norm = c.iter().map(|v| v * v).sum::<f64>().sqrt();
            if norm > 0.0 {
                c.iter_mut().for_each(|v| *v /= norm);
            }
            c
        })
        .collect()
}

fn centroids_t(centroids: &[Vec<f64>], dim: usize) -> Vec<f64> {
    let k = centroids.len();
    let mut t = vec![0.0; dim * k];
    for (c, v) in centroids.iter().enumerate() {
        for (j, &x) in v.iter().enumerate() {
            t[j * k + c] = x;
        }
    }
    t
}

/// Mean silhouette with cosine distance of unit (or zero) rows, exactly, in
/// O(nnz k): the mean distance from row i to cluster C is
/// `(|C| - <x_i, S_C>) / |C|` where `S_C` sums C's rows.
fn silhouette(x: &SparseMatrix<f64>, labels: &[usize], k: usize) -> f64 {
    let n = x.rows();
    let mut sizes = vec![0usize; k];
    labels.iter().for_each(|&l| sizes[l] += 1);
    let mut sums = vec![vec![0.0; x.cols()]; k];
    for (i, &l) in labels.iter().enumerate() {
        x.add_to(i, 1.0, &mut sums[l]);
    }
    let t = centroids_t(&sums, x.cols());
    let s: Vec<f64> = (0..n)
        .into_par_iter()
        .map(|i| {
            let l = labels[i];
            if sizes[l] <= 1 {
                return 0.0;
            }
            let mut dots = vec![0.0; k];
            x.dots_t(i, &t, k, &mut dots);
            let self_dot = x.norm_sq(i);
            let a = ((sizes[l] - 1) as f64 - (dots[l] - self_dot)) / (sizes[l] - 1) as f64;
            let b = (0..k)
                .filter(|&c| c != l && sizes[c] > 0)
                .map(|c| (sizes[c] as f64 - dots[c]) / sizes[c] as f64)
                .fold(f64::INFINITY, f64::min);
            if a.max(b) > 0.0 {
                (b - a) / a.max(b)
            } else {
                0.0
            }
        })
        .collect();
    s.iter().sum::<f64>() / n as f64
}
