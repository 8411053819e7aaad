//! The clustering pipeline: from TF-IDF rows to topics with outliers, the
//! way `topica cluster` runs it (context blending, the chosen method, the
//! choice of k, the outlier rule, centroids and scores).

use std::borrow::Cow;
use std::fmt;
use std::str::FromStr;

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use linfa::prelude::*;
use linfa_clustering::{KMeans, KMeansInit};
use ndarray::{Array2, s};
use rand::SeedableRng;
use rand_xoshiro::Xoshiro256Plus;

use super::centroids::feature_major;
use super::context::{ContextParams, Neighbours};
use super::hierarchical::{Cut, Hierarchical, Linkage};
use super::kmeans::{Algorithm, SphericalKMeansParams};
use super::rows::Rows;
use crate::error::{Error, ParamError, Result};
use crate::metrics::silhouette_cosine;
use crate::reduce::{TruncatedSvd, lsa_components, normalize_rows};
use crate::vectorize::{SparseMatrix, l2_norm};

/// The clustering algorithm.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Method {
    /// Spherical k-means directly on the sparse TF-IDF rows (the default).
    Kmeans,
    /// linfa-clustering's k-means on the LSA reduction (a randomized
    /// truncated SVD of the rows, each reduced row re-normalised).
    LsaKmeans,
    /// Agglomerative clustering on cosine distances (see [`Linkage`]).
    Hierarchical,
}

impl Method {
    /// The name used on the command line and in reports.
    pub fn name(self) -> &'static str {
        match self {
            Method::Kmeans => "kmeans",
            Method::LsaKmeans => "lsa-kmeans",
            Method::Hierarchical => "hierarchical",
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
            "lsa-kmeans" => Ok(Method::LsaKmeans),
            "hierarchical" => Ok(Method::Hierarchical),
            other => Err(ParamError::new(
                "method",
                format!("unknown method {other:?}: expected kmeans, lsa-kmeans or hierarchical"),
            )),
        }
    }
}

/// Whether k-means runs end with Hartigan's single-row moves
/// ([`SphericalKMeansParams::refine`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Refine {
    /// Hartigan's moves unless document context blended some rows (the
    /// default). Measured (README.md, "Refinement"): the moves raise the
    /// V-measure of whole posts and articles (20 Newsgroups, Reuters) by
    /// 0.015 to 0.056, but not the scores of blended paragraphs (data/news:
    /// 0.704 refined against 0.714 plain with 100 runs; before idf weighting
    /// they also lowered those of paragraphs of articles rebuilt from 20
    /// Newsgroups): a blended row also sits inside its neighbours' rows, so
    /// taking it alone out of its cluster, as a move does, does not take out
    /// its weight there.
    #[default]
    Auto,
    /// Always (only `--method kmeans` with full passes has such runs; with
    /// another method or mini-batches it is refused).
    Hartigan,
    /// Never: plain Lloyd iterations, as scikit-learn's `KMeans`.
    None,
}

impl Refine {
    /// The name used on the command line and in reports.
    pub fn name(self) -> &'static str {
        match self {
            Refine::Auto => "auto",
            Refine::Hartigan => "hartigan",
            Refine::None => "none",
        }
    }
}

impl fmt::Display for Refine {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Refine {
    type Err = ParamError;

    fn from_str(s: &str) -> Result<Self, ParamError> {
        match s {
            "auto" => Ok(Refine::Auto),
            "hartigan" => Ok(Refine::Hartigan),
            "none" => Ok(Refine::None),
            other => Err(ParamError::new(
                "refine",
                format!("unknown refinement {other:?}: expected auto, hartigan or none"),
            )),
        }
    }
}

/// How many k-means runs, from different k-means++ starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum NInit {
    /// One run when it ends with Hartigan's moves (as scikit-learn's
    /// `n_init="auto"` makes one k-means++ run), 10 otherwise, and on small
    /// corpora as many as 10,000 rows' worth of work allows, up to
    /// [`NInit::SMALL_CORPUS_RUNS`] (the default). Measured (README.md,
    /// "Refinement", NMI over seeds 0-9): one refined run scores 0.506 on all
    /// 20 groups of 20 Newsgroups, 0.560 on Reuters R8 and 0.478 on
    /// scikit-learn's 4-group example, against 0.522, 0.567 and 0.478 for the
    /// best of 3, which took 1.8 times as long on 20 Newsgroups; on data/news
    /// (74 paragraphs, 30 seeds, plain runs) the ARI of the best objective
    /// rises from 0.674 with 10 runs to 0.714 with 100, and 100 runs of 74
    /// rows take milliseconds.
    #[default]
    Auto,
    /// This many runs.
    Fixed(usize),
}

impl NInit {
    /// The most runs [`NInit::Auto`] makes, on the smallest corpora.
    pub const SMALL_CORPUS_RUNS: usize = 100;

    /// The number of runs on `n_rows` rows, given whether they are refined.
    ///
    /// ```
    /// use topica::cluster::NInit;
    ///
    /// assert_eq!(NInit::Auto.runs(true, 18_846), 1);
    /// assert_eq!(NInit::Auto.runs(true, 3_387), 2);
    /// assert_eq!(NInit::Auto.runs(false, 18_846), 10);
    /// assert_eq!(NInit::Auto.runs(true, 500), 20);
    /// assert_eq!(NInit::Auto.runs(false, 74), 100);
    /// assert_eq!(NInit::Fixed(4).runs(false, 74), 4);
    /// ```
    pub fn runs(self, refined: bool, n_rows: usize) -> usize {
        match self {
            NInit::Auto => {
                let base = if refined { 1 } else { 10 };
                let small = (10_000 / n_rows.max(1)).min(Self::SMALL_CORPUS_RUNS);
                base.max(small)
            }
            NInit::Fixed(n) => n,
        }
    }
}

impl fmt::Display for NInit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            NInit::Auto => f.write_str("auto"),
            NInit::Fixed(n) => write!(f, "{n}"),
        }
    }
}

impl FromStr for NInit {
    type Err = ParamError;

    fn from_str(s: &str) -> Result<Self, ParamError> {
        if s == "auto" {
            return Ok(NInit::Auto);
        }
        s.parse::<usize>().map(NInit::Fixed).map_err(|_| {
            ParamError::new(
                "n_init",
                format!("expected a whole number or `auto`, got {s:?}"),
            )
        })
    }
}

/// What [`NInit`] and [`Refine`] came to for one clustering: the report's
/// `parameters.clustering.resolved`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Runs {
    /// k-means runs made.
    pub n_init: usize,
    /// [`Refine::Hartigan`] or [`Refine::None`].
    pub refine: Refine,
}

/// How many clusters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum KChoice {
    /// Exactly this many.
    Fixed(usize),
    /// Every k in `min..=max`, the best by silhouette (cosine) kept, the
    /// silhouettes compared in a reduction of the clustering space to
    /// [`K_SELECTION_COMPONENTS`] LSA dimensions.
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
    /// A paragraph of plain text with fewer than `min_terms` informative
    /// terms, none of them shared with its neighbours within the context
    /// window: a stray line (a source line, an unrelated headline) with too
    /// little of its own to place and no context to borrow from.
    Isolated {
        /// Its distinct informative terms.
        terms: usize,
    },
    /// A paragraph of plain text that is a metadata line of a web page
    /// ("Source: UK Politics - www.independent.co.uk", "Tags: ...",
    /// "Photo: ..."): see [`is_metadata_line`].
    MetadataLine,
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
            OutlierReason::Isolated { terms } => write!(
                f,
                "only {terms} informative term{}, none shared with its neighbours",
                if *terms == 1 { "" } else { "s" }
            ),
            OutlierReason::MetadataLine => {
                f.write_str("a metadata line (a short `Label: value` line), not prose")
            }
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
    /// k-means runs.
    pub n_init: NInit,
    /// Hartigan's moves after every k-means run (`kmeans` only).
    #[serde(default)]
    pub refine: Refine,
    /// k-means iterations.
    pub max_iter: usize,
    /// k-means tolerance: for `kmeans`, the least relative improvement of
    /// the objective that keeps a run going; for `lsa-kmeans`, linfa's
    /// `tolerance`, the least total movement of the centroids (absolute).
    pub tol: f64,
    /// Seed of every random choice.
    pub seed: u64,
    /// Mini-batch size, `None` for full passes.
    pub batch_size: Option<usize>,
    /// Linkage of hierarchical clustering.
    pub linkage: Linkage,
    /// Hierarchical clustering cut at this distance instead of at k
    /// clusters (`k` is then ignored).
    pub distance_threshold: Option<f64>,
    /// Dimensions of the LSA reduction (`lsa-kmeans`).
    pub n_components: usize,
    /// Document context blending.
    pub context: ContextParams,
    /// A document whose own vector's cosine to its nearest centroid is below
    /// this is an outlier.
    pub outlier_threshold: f64,
    /// A paragraph of plain text with fewer distinct informative terms than
    /// this, sharing none with its neighbours within the context window (at
    /// least the adjacent paragraphs, even with blending off), is an outlier
    /// (0 turns the rule off; records of JSONL and CSV files are judged by
    /// it only when grouped into documents, see `ClusterJob::group_field`).
    pub min_terms: usize,
    /// Whether paragraphs of plain text that are metadata lines
    /// ([`is_metadata_line`]) are outliers (given the texts, see
    /// [`ClusterParams::fit_marked`]).
    pub metadata_lines: bool,
}

impl Default for ClusterParams {
    fn default() -> Self {
        ClusterParams {
            k: KChoice::Auto { min: 2, max: 10 },
            method: Method::Kmeans,
            n_init: NInit::Auto,
            refine: Refine::Auto,
            max_iter: 100,
            tol: 1e-4,
            seed: 0,
            batch_size: None,
            linkage: Linkage::Ward,
            distance_threshold: None,
            n_components: 100,
            context: ContextParams::default(),
            outlier_threshold: 0.02,
            min_terms: 3,
            metadata_lines: true,
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
        if self.n_components == 0 {
            return Err(ParamError::new("n_components", "must be at least 1, got 0"));
        }
        if let Some(t) = self.distance_threshold {
            if !(t.is_finite() && t >= 0.0) {
                return Err(ParamError::new(
                    "distance_threshold",
                    format!("must be a distance >= 0, got {t}"),
                ));
            }
            if self.method != Method::Hierarchical {
                return Err(ParamError::new(
                    "distance_threshold",
                    format!("only applies to --method hierarchical, not {}", self.method),
                ));
            }
        }
        if self.refine == Refine::Hartigan
            && (self.method != Method::Kmeans || self.batch_size.is_some())
        {
            return Err(ParamError::new(
                "refine",
                format!(
                    "hartigan only applies to --method kmeans with full passes, not {}",
                    if self.method == Method::Kmeans {
                        "mini-batches (--batch-size)".to_string()
                    } else {
                        format!("--method {}", self.method)
                    }
                ),
            ));
        }
        if !(0.0..1.0).contains(&self.outlier_threshold) {
            return Err(ParamError::new(
                "outlier_threshold",
                format!("must be in [0, 1), got {}", self.outlier_threshold),
            ));
        }
        self.kmeans(2, false, 0).check()
    }

    /// Whether row `i` is a paragraph with fewer than `min_terms` terms that
    /// shares none with the paragraphs of its text within the context window
    /// (taken as at least 1; the one paragraph of a text has none to share,
    /// so it is isolated when short). Records standing alone (no group) are
    /// not paragraphs and never isolated.
    fn is_isolated(
        &self,
        x: &SparseMatrix<f64>,
        groups: &[Option<usize>],
        neighbours: &Neighbours,
        i: usize,
    ) -> bool {
        if groups[i].is_none() {
            return false;
        }
        let row = x.outer_view(i).expect("row in range");
        if row.nnz() >= self.min_terms {
            return false;
        }
        !neighbours
            .within(i, self.context.window.max(1))
            .any(|(_, j)| {
                x.outer_view(j).is_some_and(|other| {
                    other
                        .indices()
                        .iter()
                        .any(|c| row.indices().binary_search(c).is_ok())
                })
            })
    }

    /// What `n_init` and `refine` come to for this method on `n_rows`
    /// clustered rows; `blended` says whether context blending gave some
    /// rows their neighbours (for [`Refine::Auto`]). Only `kmeans` with full
    /// passes is refined.
    fn runs(&self, blended: bool, n_rows: usize) -> Runs {
        let refined = self.method == Method::Kmeans
            && self.batch_size.is_none()
            && match self.refine {
                Refine::Auto => !blended,
                Refine::Hartigan => true,
                Refine::None => false,
            };
        Runs {
            n_init: self.n_init.runs(refined, n_rows),
            refine: if refined {
                Refine::Hartigan
            } else {
                Refine::None
            },
        }
    }

    /// The k-means parameters for `k` clusters ([`ClusterParams::runs`]
    /// says how many runs and whether they are refined).
    fn kmeans(&self, k: usize, blended: bool, n_rows: usize) -> SphericalKMeansParams {
        let runs = self.runs(blended, n_rows);
        SphericalKMeansParams::new(k)
            .n_init(runs.n_init)
            .refine(runs.refine == Refine::Hartigan)
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
    ///
    /// The rows are clustered as given. `topica cluster` (and
    /// [`crate::job::ClusterJob`]) first weights them by idf once more
    /// ([`TfidfVectorizer::reweight_idf_in_place`](crate::vectorize::TfidfVectorizer::reweight_idf_in_place)
    /// with [`ClusterJob::DEFAULT_IDF_POWER`](crate::job::ClusterJob::DEFAULT_IDF_POWER)):
    /// do the same to find the command line's topics.
    pub fn fit(&self, x: &SparseMatrix<f64>, groups: &[Option<usize>]) -> Result<Clustering> {
        self.fit_marked(x, groups, &[])
    }

    /// [`fit`](Self::fit), with the rows marked `true` in `metadata` (when
    /// not empty, one flag per row) set aside as metadata lines: they are
    /// outliers ([`OutlierReason::MetadataLine`]) and take no part in the
    /// clustering. [`crate::job::ClusterJob`] marks the paragraphs of plain
    /// text for which [`is_metadata_line`] holds, unless
    /// [`metadata_lines`](Self::metadata_lines) is off.
    pub fn fit_marked(
        &self,
        x: &SparseMatrix<f64>,
        groups: &[Option<usize>],
        metadata: &[bool],
    ) -> Result<Clustering> {
        self.fit_marked_in_space(x, groups, metadata)
            .map(|(clustering, _)| clustering)
    }

    /// [`fit_marked`](Self::fit_marked), also giving back the space the
    /// documents were clustered in, one row per row of `x`: the rows blended
    /// with their context ([`ContextParams::blend`]; normalised where
    /// nothing is blended, or `x` itself, borrowed, when nothing is blended
    /// and its rows are unit already, see [`UNIT_SLACK`]), the rows without
    /// terms empty. `ClusterJob` draws
    /// the topic map (`--coords`) in it rather than blending a second time
    /// (a pass that takes 86 ms for 18,846 posts in texts of ten
    /// paragraphs, `cargo bench --bench cluster -- context`).
    pub(crate) fn fit_marked_in_space<'x>(
        &self,
        x: &'x SparseMatrix<f64>,
        groups: &[Option<usize>],
        metadata: &[bool],
    ) -> Result<(Clustering, Cow<'x, SparseMatrix<f64>>)> {
        self.check()?;
        if !metadata.is_empty() && metadata.len() != x.rows() {
            return Err(Error::Fit(format!(
                "{} metadata flags given for {} documents",
                metadata.len(),
                x.rows()
            )));
        }
        if groups.len() != x.rows() {
            return Err(Error::Fit(format!(
                "{} groups given for {} documents",
                groups.len(),
                x.rows()
            )));
        }
        // A NaN row has a NaN norm, neither zero (no terms) nor positive
        // (kept): it was silently left out, topic -1 without an outlier
        // reason. Every method refuses such rows, as k-means does.
        if let Some(i) = x.first_non_finite() {
            return Err(Error::Fit(format!(
                "row {i} holds a NaN or infinite value: clustering needs finite values"
            )));
        }
        let n = x.rows();
        let neighbours = Neighbours::of(groups);
        let own_norms: Vec<f64> = (0..n).map(|i| x.norm(i)).collect();
        let marked = |i: usize| metadata.get(i).copied().unwrap_or(false);
        let mut outliers: Vec<(usize, OutlierReason)> = (0..n)
            .filter(|&i| own_norms[i] == 0.0)
            .map(|i| (i, OutlierReason::NoTerms))
            .collect();
        // Set aside after clustering: metadata lines, then the isolated.
        let set_aside: Vec<(usize, Option<OutlierReason>)> = (0..n)
            .filter(|&i| own_norms[i] > 0.0)
            .filter_map(|i| {
                if marked(i) {
                    Some((i, Some(OutlierReason::MetadataLine)))
                } else if self.is_isolated(x, groups, &neighbours, i) {
                    Some((i, None))
                } else {
                    None
                }
            })
            .collect();
        let kept: Vec<usize> = (0..n).filter(|&i| own_norms[i] > 0.0).collect();
        if kept.is_empty() {
            return Err(Error::Fit(format!(
                "every one of the {n} documents is an outlier: none has a term left after \
                 analysis and pruning, or is more than a metadata line (try a lower --min-df, \
                 no stop words, or --keep-metadata-lines)"
            )));
        }
        let blends = self.context.blends_with(&neighbours);
        let space: Cow<'x, SparseMatrix<f64>> = if blends {
            // The rows with terms only (the others blend to empty rows).
            let blended = self.context.blend_rows(x, &neighbours, &kept);
            Cow::Owned(blended)
        } else if kept.len() == n
            && own_norms
                .iter()
                .all(|&norm| (norm - 1.0).abs() <= UNIT_SLACK)
        {
            // No row takes in a neighbour and every row is unit already, as
            // TF-IDF rows are: the rows themselves, not a copy (12 bytes a
            // non-zero; see UNIT_SLACK).
            Cow::Borrowed(x)
        } else {
            // No row takes in a neighbour: the kept rows, normalised (what
            // blending gives then), copied once rather than twice.
            let mut rows = if kept.len() == n {
                x.clone()
            } else {
                select_rows(x, &kept)
            };
            super::context::normalize_rows(&mut rows);
            Cow::Owned(rows)
        };
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
                    return Err(ParamError::new(
                        "k",
                        format!(
                            "--k auto needs at least {} documents with terms, found {}",
                            min + 1,
                            kept.len()
                        ),
                    )
                    .into());
                }
                (min..=max).collect()
            }
        };
        // Whether k are compared (`--k auto`), in a reduction of the space
        // (see K_SELECTION_COMPONENTS); a dendrogram cut at a distance
        // compares none.
        let compares = ks.len() > 1 && self.distance_threshold.is_none();
        let selection = || {
            compares
                .then(|| self.lsa(&space, K_SELECTION_COMPONENTS))
                .transpose()
        };
        let found = match self.method {
            Method::Kmeans => self.fit_kmeans(&space, selection()?.as_ref(), &ks, blends)?,
            Method::LsaKmeans => self.fit_lsa_kmeans(&space, compares, &ks)?,
            Method::Hierarchical => self.fit_hierarchical(&space, selection()?.as_ref(), &ks)?,
        };
        let k = found.k;
        let k_scores = found.k_scores;
        let silhouette = found.silhouette;
        // Centroids in the documents' own TF-IDF space: the normalised mean
        // of the members' own rows. Scores and the outlier rule use them, so
        // that a paragraph is judged by its own words, not its neighbours'.
        let mut labels = vec![-1i64; n];
        for (&i, &l) in kept.iter().zip(&found.labels) {
            labels[i] = l as i64;
        }
        // Metadata lines and isolated paragraphs take part in the clustering
        // (taking them out would reshape it for the sake of a few stray
        // lines: on data/news, leaving out its one source line moves the
        // best k-means objective to a worse partition for 8 seeds of 10) but
        // not in their topic. A topic made only of such paragraphs keeps
        // them.
        let aside = |i: usize| set_aside.binary_search_by_key(&i, |p| p.0).is_ok();
        let mut others = vec![0usize; k];
        for (i, &l) in labels.iter().enumerate() {
            if l >= 0 && !aside(i) {
                others[l as usize] += 1;
            }
        }
        // A short isolated paragraph between two paragraphs of its own topic,
        // in the same text, sits inside a run of that topic: it keeps it (a
        // line of a story says little alone, but where it stands says enough).
        let same_neighbour = |i: usize, j: Option<usize>| j.is_some_and(|j| labels[j] == labels[i]);
        let reasons: Vec<Option<OutlierReason>> = set_aside
            .iter()
            .map(|(i, reason)| {
                let i = *i;
                match reason {
                    Some(reason) => Some(reason.clone()),
                    None if same_neighbour(i, neighbours.prev(i))
                        && same_neighbour(i, neighbours.next(i)) =>
                    {
                        None
                    }
                    None => Some(OutlierReason::Isolated {
                        terms: x.outer_view(i).map_or(0, |r| r.nnz()),
                    }),
                }
            })
            .collect();
        for (&(i, _), reason) in set_aside.iter().zip(reasons) {
            if let Some(reason) = reason {
                if others[labels[i] as usize] > 0 {
                    labels[i] = -1;
                    outliers.push((i, reason));
                }
            }
        }
        let clustered = kept.clone();
        let kept: Vec<usize> = kept.into_iter().filter(|&i| labels[i] >= 0).collect();
        let centroids = own_centroids(x, &labels, k);
        let t = feature_major(&centroids, x.cols());
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
        let clustering = Clustering {
            labels,
            scores,
            outliers,
            k_scores,
            centroids,
            objective: found.objective,
            n_iter: found.n_iter,
            runs: (self.method != Method::Hierarchical).then(|| self.runs(blends, space.rows())),
            silhouette,
            dendrogram: found.dendrogram,
        };
        let space = match space {
            Cow::Borrowed(x) => Cow::Borrowed(x),
            Cow::Owned(rows) => Cow::Owned(unselect_rows(rows, &clustered, n)),
        };
        Ok((clustering, space))
    }
}

/// One clustering tried: `(k, labels, objective, iterations)`.
type Candidate = (usize, Vec<usize>, Option<f64>, Option<usize>);

/// What one method found on the clustered rows.
struct Found {
    labels: Vec<usize>,
    k: usize,
    k_scores: Vec<KScore>,
    silhouette: Option<f64>,
    objective: Option<f64>,
    n_iter: Option<usize>,
    dendrogram: Option<crate::report::Dendrogram>,
}

impl Found {
    /// Keeps, among `(k, labels, objective, n_iter)` candidates, the best
    /// silhouette (the first on ties); a single candidate is kept as it is.
    /// The candidates are compared in `selection` (the rows of `x` reduced
    /// for `--k auto`) when given, else in `x`; the silhouette kept is
    /// always the one in `x`, the clustering space.
    fn best<R: Rows>(
        x: &R,
        selection: Option<&Array2<f64>>,
        candidates: Vec<Candidate>,
    ) -> Result<Found> {
        let many = candidates.len() > 1;
        let mut k_scores = Vec::new();
        let mut best: Option<(f64, Found)> = None;
        for (k, labels, objective, n_iter) in candidates {
            let n_labels = {
                let mut seen = vec![false; k];
                labels.iter().for_each(|&l| seen[l] = true);
                seen.iter().filter(|&&s| s).count()
            };
            let s = (n_labels >= 2 && n_labels < labels.len())
                .then(|| match selection {
                    Some(z) => silhouette_cosine(&z.view(), &labels),
                    None => silhouette_cosine(x, &labels),
                })
                .transpose()?;
            if many {
                k_scores.push(KScore {
                    k,
                    silhouette: s.unwrap_or(0.0),
                });
            }
            let score = s.unwrap_or(f64::NEG_INFINITY);
            if best.as_ref().is_none_or(|b| score > b.0) {
                best = Some((
                    score,
                    Found {
                        labels,
                        k,
                        k_scores: Vec::new(),
                        silhouette: s,
                        objective,
                        n_iter,
                        dendrogram: None,
                    },
                ));
            }
        }
        let (_, mut found) = best.expect("at least one k");
        found.k_scores = k_scores;
        if selection.is_some() && found.silhouette.is_some() {
            found.silhouette = Some(silhouette_cosine(x, &found.labels)?);
        }
        Ok(found)
    }
}

impl ClusterParams {
    fn fit_kmeans(
        &self,
        space: &SparseMatrix<f64>,
        selection: Option<&Array2<f64>>,
        ks: &[usize],
        blends: bool,
    ) -> Result<Found> {
        let mut candidates = Vec::new();
        for &k in ks {
            let km = self.kmeans(k, blends, space.rows()).fit(space)?;
            candidates.push((
                k,
                km.labels().to_vec(),
                Some(km.objective()),
                Some(km.n_iter()),
            ));
        }
        Found::best(space, selection, candidates)
    }

    /// LSA (randomized truncated SVD, rows re-normalised, as scikit-learn's
    /// document-clustering example does), then linfa-clustering's k-means
    /// with k-means++ starts. With `batch_size`, linfa's mini-batch k-means.
    ///
    /// With `compares` (`--k auto`), the k are compared in the leading
    /// [`K_SELECTION_COMPONENTS`] dimensions of that same reduction, rows
    /// re-normalised (all of them when it has fewer), rather than in a
    /// second SVD of `space`: a 100-dimension randomized SVD approximates
    /// the same leading singular vectors as a 30-dimension one, more closely
    /// (more oversampling), and one SVD is saved (all of 20 Newsgroups: 28.4 s
    /// against 30.1 s with the second SVD, hyperfine, 3 runs).
    fn fit_lsa_kmeans(
        &self,
        space: &SparseMatrix<f64>,
        compares: bool,
        ks: &[usize],
    ) -> Result<Found> {
        let z = self.lsa(space, self.n_components)?;
        let mut candidates = Vec::new();
        for &k in ks {
            let (labels, inertia) = self.linfa_kmeans(&z, k)?;
            candidates.push((k, labels, Some(inertia), None));
        }
        let selection = compares.then(|| {
            let mut leading = z
                .slice(s![.., ..K_SELECTION_COMPONENTS.min(z.ncols())])
                .to_owned();
            normalize_rows(&mut leading);
            leading
        });
        Found::best(&z.view(), selection.as_ref(), candidates)
    }

    /// The LSA reduction of `space` to `n_components` dimensions (capped by
    /// [`lsa_components`]): a randomized truncated SVD seeded by the seed,
    /// rows re-normalised.
    fn lsa(&self, space: &SparseMatrix<f64>, n_components: usize) -> Result<Array2<f64>> {
        let n_components = lsa_components(n_components, space.rows(), space.cols());
        let (_, mut z) = TruncatedSvd::params(n_components)
            .seed(self.seed)
            .fit_transform(space)?;
        normalize_rows(&mut z);
        Ok(z)
    }

    fn linfa_kmeans(&self, z: &Array2<f64>, k: usize) -> Result<(Vec<usize>, f64)> {
        let rng = Xoshiro256Plus::seed_from_u64(self.seed);
        let params = KMeans::params_with_rng(k, rng)
            .n_runs(self.runs(false, z.nrows()).n_init)
            .max_n_iterations(self.max_iter as u64)
            // linfa refuses a tolerance of 0 (it stops when the centroids
            // move less than it); the smallest positive one stops when they
            // no longer move, what `tol = 0` means, which `check` accepts.
            .tolerance(self.tol.max(f64::MIN_POSITIVE))
            .init_method(KMeansInit::KMeansPlusPlus);
        let fail = |e: &dyn fmt::Display| Error::Fit(format!("linfa k-means with k = {k}: {e}"));
        let model = match self.batch_size {
            None => {
                let dataset = DatasetBase::from(z.clone());
                params.fit(&dataset).map_err(|e| fail(&e))?
            }
            Some(batch_size) => {
                let params = params.check().map_err(|e| fail(&e))?;
                let mut model = None;
                let n = z.nrows();
                let mut rng = Xoshiro256Plus::seed_from_u64(self.seed ^ 0x9e37_79b9_7f4a_7c15);
                let mut order: Vec<usize> = (0..n).collect();
                // Epochs of shuffled mini-batches until linfa reports
                // convergence on a batch, or `max_iter` epochs.
                'epochs: for _ in 0..self.max_iter {
                    rand::seq::SliceRandom::shuffle(order.as_mut_slice(), &mut rng);
                    for batch in order.chunks(batch_size.max(k)) {
                        let dataset = DatasetBase::from(z.select(ndarray::Axis(0), batch));
                        match params.fit_with(model.take(), &dataset) {
                            Ok(m) => {
                                model = Some(m);
                                break 'epochs;
                            }
                            Err(linfa_clustering::IncrKMeansError::NotConverged(m)) => {
                                model = Some(m)
                            }
                            Err(e) => return Err(fail(&e)),
                        }
                    }
                }
                model.ok_or_else(|| {
                    Error::Fit(format!("mini-batch k-means with k = {k} did not start"))
                })?
            }
        };
        let labels = model.predict(z).to_vec();
        let inertia = model.inertia();
        Ok((labels, inertia))
    }

    /// Agglomerative clustering: the tree is built once and cut at each k
    /// tried (or at `distance_threshold`).
    fn fit_hierarchical(
        &self,
        space: &SparseMatrix<f64>,
        selection: Option<&Array2<f64>>,
        ks: &[usize],
    ) -> Result<Found> {
        let cut = match self.distance_threshold {
            Some(t) => Cut::Distance(t),
            None => Cut::K(ks[0]),
        };
        let h = Hierarchical::params(self.linkage, cut)
            .seed(self.seed)
            .fit(space)?;
        let mut found = if self.distance_threshold.is_some() {
            let labels = h.labels().to_vec();
            Found::best(space, None, vec![(h.n_clusters(), labels, None, None)])?
        } else {
            let mut candidates = Vec::with_capacity(ks.len());
            for &k in ks {
                candidates.push((k, h.cut(Cut::K(k))?, None, None));
            }
            Found::best(space, selection, candidates)?
        };
        found.dendrogram = Some(h.dendrogram().clone());
        Ok(found)
    }
}

/// Dimensions of the LSA reduction in which `--k auto` compares the k it
/// tries: each k's clustering is found as usual, in the clustering space,
/// and scored by its mean silhouette (cosine) in a randomized truncated SVD
/// of that space to this many dimensions, rows re-normalised (seeded by
/// `--seed`).
///
/// Cosine distances between sparse TF-IDF rows are nearly all close to 1,
/// and there the silhouette mostly grows with k: scored in the clustering
/// space, `--k auto` picked the top of its range on three labeled corpora
/// (2026-12-03, seeds 0-4, V-measure against the labels):
///
/// | corpus (true k) | range | scored in the clustering space | in 30 LSA dimensions |
/// | --- | --- | --- | --- |
/// | scikit-learn's 4-group example of 20 Newsgroups (4) | 2-10 | k = 10 every time, V 0.375 | k = 3 or 4, V 0.515 |
/// | Reuters R8 (8, three topics hold 86% of the articles) | 2-10 | k = 4 to 7, V 0.553 | k = 4 to 10, V 0.550 |
/// | a third of all 20 groups (20): the posts at lines 0, 3, 6, ... of `20newsgroups_clean.jsonl` (counting from 0), then those at 1, 4, 7, ... | 10-30 | k = 29 or 30, V 0.481 and 0.489 | k = 13 to 30, V 0.496 and 0.487 |
///
/// Other numbers of dimensions, seed 0 (the example, R8, the first sample
/// of all 20 groups): 10 chose 3, 4 and 10; 20 chose 3, 4 and 19; 30 chose
/// 4, 7 and 20; 50 and 100 chose as the clustering space did (their
/// distances concentrate again). On the second sample 25, 30 and 40 all
/// chose 21. On `data/news` (74 paragraphs, 4 topics) every space tried
/// chose the top of the range; smaller ones choose about as many topics as
/// they have dimensions there (seeds 0-2: 3 dimensions chose k = 3, 5 chose
/// 4 to 6, 8 chose 8 or 9, 12 chose 9 or 10). Neither the paragraphs' own
/// rows (not blended with their context) in 30 dimensions (k = 7 to 10),
/// nor a silhouette that leaves out each paragraph's neighbours within the
/// context window, which blending makes alike (k = 10, seed 0), chose fewer.
///
/// `--method lsa-kmeans` clusters in an LSA reduction already: its k are
/// compared in the leading dimensions of that one (re-normalised), not in a
/// second SVD (the same k chosen on the 4-group example and R8, seeds 0-2;
/// 3.6 s against 4.2 s on the example, hyperfine, 7 runs).
pub const K_SELECTION_COMPONENTS: usize = 30;

/// The silhouette of one k tried by `--k auto`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct KScore {
    /// The number of clusters.
    pub k: usize,
    /// Mean silhouette (cosine) of the clustered documents, in the
    /// reduction to [`K_SELECTION_COMPONENTS`] LSA dimensions that compares
    /// the k tried.
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
    /// The k-means objective of the kept run: the sum of cosines to the
    /// centroids (`kmeans`) or linfa's inertia, the mean squared distance
    /// (`lsa-kmeans`); `None` for hierarchical clustering.
    pub objective: Option<f64>,
    /// Iterations of the kept k-means run (`kmeans` only).
    pub n_iter: Option<usize>,
    /// What `--n-init` and `--refine` came to (`None` for hierarchical
    /// clustering).
    pub runs: Option<Runs>,
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
pub fn select_rows(x: &SparseMatrix<f64>, keep: &[usize]) -> SparseMatrix<f64> {
    let mut indptr = Vec::with_capacity(keep.len() + 1);
    indptr.push(0usize);
    let nnz: usize = keep
        .iter()
        .map(|&i| x.indptr().outer_inds_sz(i).len())
        .sum();
    let mut indices = Vec::with_capacity(nnz);
    let mut data = Vec::with_capacity(nnz);
    for &i in keep {
        let row = x.outer_view(i).expect("row in range");
        indices.extend_from_slice(row.indices());
        data.extend_from_slice(row.data());
        indptr.push(indices.len());
    }
    SparseMatrix::new((keep.len(), x.cols()), indptr, indices, data)
}

/// The inverse of [`select_rows`] for rows left out because they were empty:
/// `rows`, the rows `kept` (increasing) of a matrix of `n` rows, back in
/// their places, the other rows empty. No value is copied.
fn unselect_rows(rows: SparseMatrix<f64>, kept: &[usize], n: usize) -> SparseMatrix<f64> {
    debug_assert_eq!(rows.rows(), kept.len());
    if kept.len() == n {
        return rows;
    }
    let cols = rows.cols();
    let (indptr, indices, data) = rows.into_raw_storage();
    let mut full = Vec::with_capacity(n + 1);
    full.push(indptr[0]);
    let mut next = 0;
    for i in 0..n {
        if kept.get(next) == Some(&i) {
            next += 1;
        }
        full.push(indptr[next]);
    }
    SparseMatrix::new((n, cols), full, indices, data)
}

/// How far from 1 the norms of rows may be for them to be clustered as
/// they are, rather than through a normalised copy: every method is cosine
/// based (k-means weighs each row by one over its norm, hierarchical
/// clustering and the silhouette normalise rows themselves), and the LSA
/// reductions of `--k auto` and `lsa-kmeans` see a relative difference of
/// 1e-9 at most. TF-IDF rows normalised by [`l2_norm`](crate::vectorize::l2_norm)
/// come within a few units in the last place of 1. The copy took 12 bytes
/// a non-zero while clustering records that are not blended: on
/// `20newsgroups.jsonl` repeated 16 times (33 million non-zeros) the peak
/// of `topica cluster --k 20` fell from 2,080 to 1,795 MiB, and on
/// `20newsgroups.jsonl` itself from 160 to 137 MB (`/usr/bin/time`,
/// 2026-12-05; the same report but for the last digit of the silhouettes).
const UNIT_SLACK: f64 = 1e-9;

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
                let norm = x.norm(i);
                if norm > 0.0 {
                    x.add_to(i, 1.0 / norm, &mut c);
                }
            }
            let norm = l2_norm(&c);
            if norm > 0.0 {
                c.iter_mut().for_each(|v| *v /= norm);
            }
            c
        })
        .collect()
}

/// Whether `text` is a metadata line of a web page rather than prose: one
/// line of at most [`METADATA_MAX_WORDS`] words that opens with a label of
/// one or two words ending in a colon, not followed by a quotation ("Source:
/// UK Politics - www.independent.co.uk", "Tags: politics, media", "Photo:
/// Reuters", "Tagcloud:"). Scraped articles end (or start) with such lines;
/// their few words (a site's name, "source", "uk") would otherwise pull them
/// into whatever topic shares those words. A quoted line ("Starmer: “We
/// will act”") is speech, not metadata, and is kept.
///
/// ```
/// use topica::cluster::is_metadata_line;
///
/// assert!(is_metadata_line("Source: UK Politics - www.independent.co.uk"));
/// assert!(is_metadata_line("Tagcloud:"));
/// assert!(!is_metadata_line("Starmer: “All options are on the table.”"));
/// assert!(!is_metadata_line("Asked if the government would stop using the app, the spokesperson said: no."));
/// ```
pub fn is_metadata_line(text: &str) -> bool {
    let text = text.trim();
    if text.contains('\n') || text.split_whitespace().count() > METADATA_MAX_WORDS {
        return false;
    }
    let Some((label, value)) = text.split_once(':') else {
        return false;
    };
    let label_words = label.split_whitespace().count();
    let value = value.trim_start();
    (1..=2).contains(&label_words)
        && label
            .chars()
            .all(|c| c.is_alphanumeric() || c.is_whitespace() || c == '-')
        && !value.starts_with(['"', '\'', '“', '‘', '«'])
}

/// The most words a metadata line has ([`is_metadata_line`]).
pub const METADATA_MAX_WORDS: usize = 8;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn auto_refines_unblended_rows_only_and_picks_the_runs_to_match() {
        let resolved = |params: &ClusterParams, blended: bool| {
            let km = params.kmeans(4, blended, 20_000);
            (km.get_refine(), km.get_n_init())
        };
        let auto = ClusterParams::default();
        assert_eq!(resolved(&auto, false), (true, 1));
        assert_eq!(resolved(&auto, true), (false, 10));
        // Small corpora get more runs: 10,000 rows' worth, at most 100.
        assert_eq!(auto.kmeans(4, false, 2_000).get_n_init(), 5);
        assert_eq!(auto.kmeans(4, true, 74).get_n_init(), 100);
        let always = ClusterParams {
            refine: Refine::Hartigan,
            ..ClusterParams::default()
        };
        assert_eq!(resolved(&always, true), (true, 1));
        let never = ClusterParams {
            refine: Refine::None,
            n_init: NInit::Fixed(7),
            ..ClusterParams::default()
        };
        assert_eq!(resolved(&never, false), (false, 7));
        // Mini-batch runs are never refined, and asking for it is an error,
        // as with another method.
        let mini = ClusterParams {
            batch_size: Some(100),
            ..ClusterParams::default()
        };
        assert_eq!(resolved(&mini, false), (false, 10));
        let e = ClusterParams {
            refine: Refine::Hartigan,
            ..mini
        }
        .check()
        .unwrap_err();
        assert!(e.to_string().contains("--batch-size"), "{e}");
        let e = ClusterParams {
            refine: Refine::Hartigan,
            method: Method::Hierarchical,
            ..ClusterParams::default()
        }
        .check()
        .unwrap_err();
        assert!(e.to_string().contains("--method hierarchical"), "{e}");
        assert!(always.check().is_ok());
        assert_eq!("auto".parse::<NInit>().unwrap(), NInit::Auto);
        assert_eq!("12".parse::<NInit>().unwrap(), NInit::Fixed(12));
        assert!("-1".parse::<NInit>().is_err());
        assert_eq!("hartigan".parse::<Refine>().unwrap(), Refine::Hartigan);
        assert!("kl".parse::<Refine>().is_err());
    }

    /// The space given back for the map is the one `blend` makes, row for
    /// row, empty rows (left out of the clustering) included.
    #[test]
    fn the_space_given_back_is_the_blended_rows() {
        // Two texts (rows 0-2 with an empty row 1, rows 3-5) and a record.
        let x: SparseMatrix<f64> = sprs::TriMatI::<f64, u32>::from_triplets(
            (7, 4),
            vec![0, 2, 2, 3, 4, 4, 5, 6],
            vec![0, 0, 1, 2, 2, 3, 3, 1],
            vec![1.0, 2.0, 0.5, 1.0, 1.0, 3.0, 1.0, 2.0],
        )
        .to_csr();
        let groups = [Some(0), Some(0), Some(0), Some(1), Some(1), Some(1), None];
        for window in [0, 1, 3] {
            let params = ClusterParams {
                k: KChoice::Fixed(2),
                context: ContextParams {
                    window,
                    ..ContextParams::default()
                },
                ..ClusterParams::default()
            };
            let (clustering, space) = params.fit_marked_in_space(&x, &groups, &[]).unwrap();
            let blended = params.context.blend(&x, &groups).unwrap();
            assert_eq!(space.shape(), (7, 4));
            assert_eq!(space.indptr().raw_storage(), blended.indptr().raw_storage());
            assert_eq!(space.indices(), blended.indices(), "window {window}");
            assert_eq!(space.data(), blended.data(), "window {window}");
            assert_eq!(space.outer_view(1).unwrap().nnz(), 0);
            assert_eq!(clustering.labels[1], -1);
            assert_eq!(clustering, params.fit(&x, &groups).unwrap());
        }
    }

    /// Records with unit rows are clustered as they are, without a copy;
    /// rows of other norms (or with empty rows left out) through a
    /// normalised copy, with the same topics.
    #[test]
    fn unit_rows_are_clustered_without_a_copy() {
        use crate::corpus::{Corpus, ReadOptions};
        use crate::vectorize::TfidfVectorizer;
        // The TF-IDF rows of data/news with terms, each paragraph a record.
        let corpus = Corpus::read(&["data/news"], &ReadOptions::default()).unwrap();
        let (_, x) = TfidfVectorizer::params()
            .stop_words(Some(crate::analyze::StopWordList::English))
            .fit_transform(&corpus.texts())
            .unwrap();
        let x = x.matrix();
        let with_terms: Vec<usize> = (0..x.rows())
            .filter(|&i| x.outer_view(i).unwrap().nnz() > 0)
            .collect();
        let unit = select_rows(x, &with_terms);
        let n = unit.rows();
        assert!(n > 60);
        let groups = vec![None; n];
        let params = ClusterParams {
            k: KChoice::Fixed(4),
            ..ClusterParams::default()
        };
        let (clustering, space) = params.fit_marked_in_space(&unit, &groups, &[]).unwrap();
        assert!(matches!(space, Cow::Borrowed(_)));
        let mut doubled = unit.clone();
        doubled.data_mut().iter_mut().for_each(|v| *v *= 2.0);
        let (again, space) = params.fit_marked_in_space(&doubled, &groups, &[]).unwrap();
        assert!(matches!(space, Cow::Owned(_)));
        assert_eq!(again.labels, clustering.labels);
        for (a, b) in again.scores.iter().zip(&clustering.scores) {
            assert!((a - b).abs() <= 1e-12, "{a} against {b}");
        }
    }
    /// A NaN or infinite value is refused by every method, naming its row
    /// (a NaN row was once left out silently: topic -1, no outlier reason).
    #[test]
    fn rows_with_nan_or_infinite_values_are_refused() {
        let x: SparseMatrix<f64> = sprs::TriMatI::<f64, u32>::from_triplets(
            (6, 2),
            vec![0, 1, 2, 3, 4, 5],
            vec![0, 0, 0, 1, 1, 1],
            vec![1.0, 1.0, 1.0, 1.0, 1.0, 1.0],
        )
        .to_csr();
        for method in [Method::Kmeans, Method::LsaKmeans, Method::Hierarchical] {
            let params = ClusterParams {
                k: KChoice::Fixed(2),
                method,
                n_components: 2,
                ..ClusterParams::default()
            };
            assert!(params.fit(&x, &[None; 6]).is_ok(), "{method}");
            for bad in [f64::NAN, f64::INFINITY, f64::NEG_INFINITY] {
                let mut y = x.clone();
                y.data_mut()[4] = bad;
                let err = params.fit(&y, &[None; 6]).unwrap_err().to_string();
                assert_eq!(
                    err, "row 4 holds a NaN or infinite value: clustering needs finite values",
                    "{method}, {bad}"
                );
            }
        }
    }
    /// `tol = 0` passes `check` and is run by every method: linfa's k-means
    /// (lsa-kmeans, with full passes or mini-batches) once refused it after
    /// the SVD, "tolerance must be greater than 0".
    #[test]
    fn a_tolerance_of_zero_is_run_by_every_method() {
        use crate::corpus::{Corpus, ReadOptions};
        use crate::vectorize::TfidfVectorizer;
        let corpus = Corpus::read(&["data/news"], &ReadOptions::default()).unwrap();
        let (_, x) = TfidfVectorizer::params()
            .stop_words(Some(crate::analyze::StopWordList::English))
            .fit_transform(&corpus.texts())
            .unwrap();
        let groups = vec![None; x.n_documents()];
        for (method, batch_size) in [
            (Method::Kmeans, None),
            (Method::Kmeans, Some(16)),
            (Method::LsaKmeans, None),
            (Method::LsaKmeans, Some(16)),
            (Method::Hierarchical, None),
        ] {
            let params = ClusterParams {
                k: KChoice::Fixed(3),
                method,
                batch_size,
                tol: 0.0,
                n_components: 10,
                ..ClusterParams::default()
            };
            params.check().unwrap();
            let c = params.fit(x.matrix(), &groups).unwrap();
            assert_eq!(c.labels.len(), 74, "{method}, {batch_size:?}");
            assert!(c.labels.iter().any(|&l| l >= 0), "{method}, {batch_size:?}");
        }
    }
}
