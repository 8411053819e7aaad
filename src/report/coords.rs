//! Coordinates: every document placed on a 2-D (or 3-D) map of its topics,
//! for `topica cluster --coords N` and the HTML report. This step owns the
//! projection from the LSA space to the map (documented on [`Coords`]); the
//! report only carries the result.

use linfa_linalg::eigh::Eigh;
use ndarray::{Array1, Array2, Axis};
use serde::{Deserialize, Serialize};

use crate::error::{Error, ParamError, Result};
use crate::reduce::{TruncatedSvd, lsa_components, normalize_rows};
use crate::vectorize::SparseMatrix;

/// An eigenvalue below this share of its matrix's trace is taken as zero:
/// its direction says nothing about the data.
const NEGLIGIBLE: f64 = 1e-9;

/// How the coordinates of a report were made: the report's top-level
/// `coords` object.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CoordsInfo {
    /// Dimensions of each document's `coords` (2 or 3).
    pub dims: usize,
    /// Where the axes come from: `topic-centroid-pca` (every axis from the
    /// size-weighted PCA of the topic centroids), `document-pca` (every axis
    /// from the PCA of all documents, with fewer than two topics), or
    /// `topic-centroid-pca+document-pca` (the topics span fewer directions
    /// than `dims`; the rest from the documents). See [`Coords`].
    pub projection: String,
    /// Dimensions of the LSA space projected from.
    pub lsa_components: usize,
    /// Share of the documents' total variance in the LSA space along each
    /// axis (in `[0, 1]`; all 0 when the documents do not vary).
    pub explained: Vec<f64>,
}

/// Parameters of [`Coords`], checked by [`check`](Self::check).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CoordsParams {
    dims: usize,
    n_components: usize,
    seed: u64,
}

impl CoordsParams {
    /// Defaults for a map of `dims` dimensions: `n_components = 100` (as
    /// `topica cluster --n-components`), `seed = 0`.
    pub fn new(dims: usize) -> Self {
        CoordsParams {
            dims,
            n_components: 100,
            seed: 0,
        }
    }

    /// Dimensions of the LSA space (capped by the data; default 100).
    pub fn n_components(mut self, n_components: usize) -> Self {
        self.n_components = n_components;
        self
    }

    /// Seed of the randomized SVD (default 0).
    pub fn seed(mut self, seed: u64) -> Self {
        self.seed = seed;
        self
    }

    /// Dimensions of the map.
    pub fn get_dims(&self) -> usize {
        self.dims
    }

    /// Dimensions of the LSA space asked for.
    pub fn get_n_components(&self) -> usize {
        self.n_components
    }

    /// The seed.
    pub fn get_seed(&self) -> u64 {
        self.seed
    }

    /// Checks the parameters alone: `dims` must be 2 or 3 (the parameter is
    /// `--coords` on the command line), `n_components` at least 1.
    ///
    /// ```
    /// use topica::report::CoordsParams;
    ///
    /// assert!(CoordsParams::new(2).check().is_ok());
    /// let e = CoordsParams::new(4).check().unwrap_err();
    /// assert_eq!(e.name, "coords");
    /// assert!(e.to_string().contains("--coords"));
    /// ```
    pub fn check(&self) -> Result<(), ParamError> {
        if !(2..=3).contains(&self.dims) {
            return Err(ParamError::new(
                "coords",
                format!(
                    "must be 2 or 3 (the dimensions of the map; leave --coords out for no \
                     coordinates), got {}",
                    self.dims
                ),
            ));
        }
        if self.n_components == 0 {
            return Err(ParamError::new("n_components", "must be at least 1, got 0"));
        }
        Ok(())
    }

    /// Places the documents whose rows are `x` (TF-IDF or blended TF-IDF,
    /// one per document) and whose topics are `labels` (a negative label,
    /// -1 by convention, is an outlier) by the projection described on
    /// [`Coords`].
    ///
    /// Fails when `labels` and `x` differ in length.
    ///
    /// ```
    /// use topica::analyze::StopWordList;
    /// use topica::corpus::{Corpus, ReadOptions};
    /// use topica::report::Coords;
    /// use topica::vectorize::TfidfVectorizer;
    ///
    /// let corpus = Corpus::read(&["data/news"], &ReadOptions::default())?;
    /// let (_, x) = TfidfVectorizer::params()
    ///     .stop_words(Some(StopWordList::English))
    ///     .fit_transform(&corpus.texts())?;
    /// // The three articles as three "topics".
    /// let labels: Vec<i64> = corpus
    ///     .documents
    ///     .iter()
    ///     .map(|d| if d.source.contains("01-") { 0 } else if d.source.contains("02-") { 1 } else { 2 })
    ///     .collect();
    /// let map = Coords::params(2).seed(7).fit(x.matrix(), &labels)?;
    /// assert_eq!(map.points().dim(), (74, 2));
    /// assert_eq!(map.info().projection, "topic-centroid-pca");
    /// # Ok::<(), topica::Error>(())
    /// ```
    pub fn fit(&self, x: &SparseMatrix<f64>, labels: &[i64]) -> Result<Coords> {
        self.check()?;
        let n = x.rows();
        if labels.len() != n {
            return Err(Error::Fit(format!(
                "{} topic labels given for {n} documents",
                labels.len()
            )));
        }
        let z = self.lsa(x)?;
        let (points, info) = project(&z, labels, self.dims);
        if points.iter().any(|v| !v.is_finite()) {
            return Err(Error::Fit(
                "the map's coordinates are not finite (the LSA rows hold NaN)".into(),
            ));
        }
        Ok(Coords { points, info })
    }

    /// The LSA rows of `x`: the SVD fitted on the rows with terms, every row
    /// transformed and re-normalised (zero rows stay zero).
    fn lsa(&self, x: &SparseMatrix<f64>) -> Result<Array2<f64>> {
        let kept: Vec<usize> = (0..x.rows())
            .filter(|&i| x.outer_view(i).is_some_and(|r| r.nnz() > 0))
            .collect();
        if kept.is_empty() || x.cols() == 0 {
            return Ok(Array2::zeros((x.rows(), 0)));
        }
        let space = crate::cluster::select_rows(x, &kept);
        let n_components = lsa_components(self.n_components, space.rows(), space.cols());
        let svd = TruncatedSvd::params(n_components)
            .seed(self.seed)
            .fit(&space)?;
        let mut z = svd.transform(x)?;
        normalize_rows(&mut z);
        Ok(z)
    }
}

/// Documents placed on a map: one point per document, and how.
///
/// # The projection
///
/// 1. **LSA space.** The rows given (`topica cluster` gives its clustering
///    space: the TF-IDF rows, paragraphs of plain text blended with their
///    context as the clustering saw them) are reduced by
///    [`TruncatedSvd`] to `n_components`
///    dimensions (the job's `--n-components`, default 100, capped below the
///    number of documents with terms and of terms, as `lsa-kmeans` caps it),
///    fitted on the rows with terms and seeded with the job's seed; every row
///    is then re-normalised to unit length ([`normalize_rows`]). A row
///    without terms stays the zero vector.
/// 2. **The plane of the topics.** With `k` topics, the centroid `c_t` of
///    topic `t` is the mean of its documents' LSA rows, `n_t` its size, and
///    `m` the mean of all clustered documents. The axes of the map are the
///    leading eigenvectors of the size-weighted scatter of the centroids
///    (a principal component analysis of the centroids, each counted
///    `n_t` times):
///
///    ```text
///    B = Σ_t n_t (c_t − m)(c_t − m)ᵀ / Σ_t n_t
///    ```
///
///    Among linear maps to a plane, this plane keeps the most of the spread
///    between the topics, so that topics which differ most end up far apart;
///    a PCA of all documents would instead keep the directions along which
///    documents vary most, often within one large topic.
/// 3. **Fewer topics than axes.** `k` centroids span at most `k − 1`
///    directions (one with `k = 2`, none with `k = 1`). The missing axes are
///    the principal axes of all documents (their covariance about their
///    mean) orthogonal to the axes already chosen: with `k ≤ 2` in 2-D the
///    map is therefore a PCA of the documents, except that with `k = 2` its
///    first axis is the line through the two centroids.
/// 4. **Coordinates.** Document `i` is at `((z_i − μ) · a_1, …, (z_i − μ) ·
///    a_dims)`: `z_i` its LSA row, `μ` the mean of all documents' rows (the
///    map's origin), `a_j` the unit axes. Outliers (topic -1) are projected
///    like every other document; a document without terms (a zero row) sits
///    at `−μ · a_j`, a finite point.
///
/// [`CoordsInfo::projection`] names the axes' origin (`topic-centroid-pca`,
/// `topic-centroid-pca+document-pca` or `document-pca`), and
/// [`CoordsInfo::explained`] gives the share of the documents' variance in
/// the LSA space along each axis.
///
/// Each axis's sign is fixed (its entry of largest magnitude positive, the
/// first on ties), so the map does not flip between runs.
///
/// # Determinism
///
/// The SVD is seeded and thread-independent (see [`crate::reduce`]); the
/// means and scatters are summed in row order and the eigendecompositions
/// are sequential. The coordinates are bitwise identical for a seed
/// whatever the number of threads.
///
/// # Example
///
/// ```
/// use topica::cluster::KChoice;
/// use topica::corpus::{Corpus, ReadOptions};
/// use topica::job::{ClusterJob, Progress};
///
/// let corpus = Corpus::read(&["data/news"], &ReadOptions::default())?;
/// let mut job = ClusterJob::default();
/// job.clustering.k = KChoice::Fixed(4);
/// job.coords = Some(2);
/// let report = job.run(&corpus, &["data/news".into()], None, &Progress::hidden())?;
/// let info = report.coords.as_ref().unwrap();
/// assert_eq!((info.dims, info.projection.as_str()), (2, "topic-centroid-pca"));
/// for d in &report.documents {
///     let xy = d.coords.as_ref().unwrap();
///     assert!(xy.len() == 2 && xy.iter().all(|v| v.is_finite()));
/// }
/// # Ok::<(), topica::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Coords {
    points: Array2<f64>,
    info: CoordsInfo,
}

impl Coords {
    /// Parameters for a map of `dims` (2 or 3) dimensions; see
    /// [`CoordsParams::new`].
    pub fn params(dims: usize) -> CoordsParams {
        CoordsParams::new(dims)
    }

    /// The points, one row per document (`n_documents × dims`), finite.
    pub fn points(&self) -> &Array2<f64> {
        &self.points
    }

    /// How they were made.
    pub fn info(&self) -> &CoordsInfo {
        &self.info
    }

    /// The points and how they were made.
    pub fn into_parts(self) -> (Array2<f64>, CoordsInfo) {
        (self.points, self.info)
    }
}

/// Projects the LSA rows `z` to `dims` axes (steps 2 to 4 of [`Coords`]).
fn project(z: &Array2<f64>, labels: &[i64], dims: usize) -> (Array2<f64>, CoordsInfo) {
    let (n, r) = z.dim();
    let mu = mean_rows(z, (0..n).collect::<Vec<_>>().as_slice());

    // Step 2: the size-weighted scatter of the topic centroids.
    // By label, in increasing order: labels are any numbers (a vector
    // indexed by them took the largest label's worth of memory, and 2^40
    // aborted the process; i64::MAX overflowed).
    let mut members: std::collections::BTreeMap<i64, Vec<usize>> = Default::default();
    for (i, &l) in labels.iter().enumerate() {
        if l >= 0 {
            members.entry(l).or_default().push(i);
        }
    }
    let clustered: Vec<usize> = (0..n).filter(|&i| labels[i] >= 0).collect();
    let mut between = Array2::<f64>::zeros((r, r));
    if !clustered.is_empty() {
        let m = mean_rows(z, &clustered);
        for group in members.values() {
            let d = &mean_rows(z, group) - &m;
            let w = group.len() as f64 / clustered.len() as f64;
            add_outer(&mut between, &d, w);
        }
    }
    let mut axes: Vec<Array1<f64>> = Vec::with_capacity(dims);
    extend_axes(&mut axes, &between, dims);
    let from_centroids = axes.len();

    // Step 3: the documents' covariance, outside the axes already chosen.
    let mut covariance = Array2::<f64>::zeros((r, r));
    for i in 0..n {
        let d = &z.row(i) - &mu;
        add_outer(&mut covariance, &d, 1.0 / n as f64);
    }
    if axes.len() < dims {
        let p = complement_projector(&axes, r);
        let deflated = p.dot(&covariance).dot(&p);
        extend_axes(&mut axes, &deflated, dims);
    }
    // A space of fewer than `dims` directions, or documents that do not
    // vary: the remaining axes along the first free coordinates.
    for j in 0..r {
        if axes.len() >= dims {
            break;
        }
        let mut e = Array1::<f64>::zeros(r);
        e[j] = 1.0;
        push_orthogonal(&mut axes, e);
    }

    let total: f64 = covariance.diag().sum();
    let mut points = Array2::<f64>::zeros((n, dims));
    let mut explained = vec![0.0; dims];
    for (j, a) in axes.iter().enumerate() {
        for i in 0..n {
            points[[i, j]] = (&z.row(i) - &mu).dot(a);
        }
        if total > 0.0 {
            explained[j] = (a.dot(&covariance.dot(a)) / total).clamp(0.0, 1.0);
        }
    }
    let projection = match from_centroids {
        0 => "document-pca",
        c if c >= dims => "topic-centroid-pca",
        _ => "topic-centroid-pca+document-pca",
    };
    let info = CoordsInfo {
        dims,
        projection: projection.to_string(),
        lsa_components: r,
        explained,
    };
    (points, info)
}

/// The mean of the rows `rows` of `z`, summed in order.
fn mean_rows(z: &Array2<f64>, rows: &[usize]) -> Array1<f64> {
    let mut sum = Array1::<f64>::zeros(z.ncols());
    for &i in rows {
        sum += &z.row(i);
    }
    if !rows.is_empty() {
        sum /= rows.len() as f64;
    }
    sum
}

/// `m += w · d dᵀ`.
fn add_outer(m: &mut Array2<f64>, d: &Array1<f64>, w: f64) {
    for (a, mut row) in d.iter().zip(m.axis_iter_mut(Axis(0))) {
        if *a != 0.0 {
            row.scaled_add(w * a, d);
        }
    }
}

/// `I − Σ a aᵀ` over the (orthonormal) `axes`.
fn complement_projector(axes: &[Array1<f64>], r: usize) -> Array2<f64> {
    let mut p = Array2::<f64>::eye(r);
    for a in axes {
        add_outer(&mut p, a, -1.0);
    }
    p
}

/// Adds to `axes`, up to `dims` of them, the eigenvectors of the symmetric
/// `m` by decreasing eigenvalue, leaving out negligible eigenvalues.
fn extend_axes(axes: &mut Vec<Array1<f64>>, m: &Array2<f64>, dims: usize) {
    let trace: f64 = m.diag().sum();
    if axes.len() >= dims || !(trace > 0.0 && trace.is_finite()) {
        return;
    }
    // Symmetrise against rounding before the decomposition.
    let m = (m + &m.t()) / 2.0;
    let Ok((values, vectors)) = m.eigh() else {
        return;
    };
    let mut order: Vec<usize> = (0..values.len()).collect();
    order.sort_by(|&a, &b| values[b].total_cmp(&values[a]).then(a.cmp(&b)));
    for j in order {
        if axes.len() >= dims || values[j] <= NEGLIGIBLE * trace {
            break;
        }
        push_orthogonal(axes, vectors.column(j).to_owned());
    }
}

/// Adds `v` to `axes` made orthogonal to them (Gram-Schmidt), unit and with
/// its entry of largest magnitude positive; nothing when `v` lies in their
/// span.
fn push_orthogonal(axes: &mut Vec<Array1<f64>>, mut v: Array1<f64>) {
    for _ in 0..2 {
        for a in axes.iter() {
            let c = a.dot(&v);
            v.scaled_add(-c, a);
        }
    }
    let norm = v.dot(&v).sqrt();
    if !(norm > 1e-6 && norm.is_finite()) {
        return;
    }
    v /= norm;
    let mut top = 0;
    for (j, x) in v.iter().enumerate() {
        if x.abs() > v[top].abs() {
            top = j;
        }
    }
    if v[top] < 0.0 {
        v.mapv_inplace(|x| -x);
    }
    axes.push(v);
}

#[cfg(test)]
mod tests {
    use ndarray::array;

    use super::*;
    use crate::reduce::tests::csr;

    #[test]
    fn dims_must_be_2_or_3() {
        for dims in [0, 1, 4, 9] {
            let e = CoordsParams::new(dims).check().unwrap_err();
            assert_eq!(e.name, "coords");
            assert!(e.to_string().contains(&format!("got {dims}")), "{e}");
        }
        assert!(CoordsParams::new(2).check().is_ok());
        assert!(CoordsParams::new(3).check().is_ok());
    }

    #[test]
    fn n_components_cannot_be_zero() {
        let e = CoordsParams::new(2).n_components(0).check().unwrap_err();
        assert_eq!(e.name, "n_components");
    }

    /// Topic labels are any non-negative numbers: the map depends on which
    /// documents share one, not on their values (2^40 once aborted on a
    /// vector of that many topics, i64::MAX overflowed).
    #[test]
    fn labels_of_any_size_give_the_same_map() {
        let x = csr(&array![
            [1.0, 0.1, 0.0],
            [0.9, 0.2, 0.0],
            [0.0, 1.0, 0.1],
            [0.1, 0.9, 0.0],
            [0.0, 0.1, 1.0],
            [0.1, 0.0, 0.9]
        ]);
        let small = Coords::params(2).fit(&x, &[0, 0, 1, 1, 2, -1]).unwrap();
        let large = Coords::params(2)
            .fit(&x, &[5, 5, 1 << 40, 1 << 40, i64::MAX, -1])
            .unwrap();
        assert_eq!(small, large);
        assert_eq!(small.info().projection, "topic-centroid-pca");
    }

    #[test]
    fn labels_must_match_the_rows() {
        let x = csr(&array![[1.0, 0.0], [0.0, 1.0]]);
        let e = Coords::params(2).fit(&x, &[0]).unwrap_err();
        assert!(
            e.to_string()
                .contains("1 topic labels given for 2 documents")
        );
    }

    /// Three well-separated groups of rows: the centroid plane is the plane
    /// of the three groups, and each group lands on its own spot.
    #[test]
    fn the_centroid_plane_separates_the_topics() {
        let mut dense = Array2::<f64>::zeros((12, 6));
        let mut labels = Vec::new();
        for i in 0..12 {
            let t = i % 3;
            dense[[i, 2 * t]] = 1.0;
            dense[[i, 2 * t + 1]] = 0.2 + 0.05 * i as f64;
            labels.push(t as i64);
        }
        let map = Coords::params(2).fit(&csr(&dense), &labels).expect("a map");
        assert_eq!(map.info().projection, "topic-centroid-pca");
        let p = map.points();
        // Within-topic spread far below between-topic distances.
        let centre = |t: usize| -> [f64; 2] {
            let rows: Vec<usize> = (0..12).filter(|i| i % 3 == t).collect();
            let mut c = [0.0; 2];
            for &i in &rows {
                c[0] += p[[i, 0]] / 4.0;
                c[1] += p[[i, 1]] / 4.0;
            }
            c
        };
        let dist =
            |a: [f64; 2], b: [f64; 2]| ((a[0] - b[0]).powi(2) + (a[1] - b[1]).powi(2)).sqrt();
        for t in 0..3 {
            for i in (0..12).filter(|i| i % 3 == t) {
                let spread = dist([p[[i, 0]], p[[i, 1]]], centre(t));
                for u in (0..3).filter(|&u| u != t) {
                    assert!(spread * 4.0 < dist(centre(t), centre(u)));
                }
            }
        }
        let share: f64 = map.info().explained.iter().sum();
        assert!(share > 0.5 && share <= 1.0 + 1e-12, "{share}");
    }

    #[test]
    fn two_topics_use_the_centroid_line_then_the_documents() {
        let dense = array![
            [1.0, 0.1, 0.0, 0.3],
            [1.0, 0.2, 0.0, 0.0],
            [0.9, 0.0, 0.1, 0.5],
            [0.0, 0.0, 1.0, 0.2],
            [0.0, 0.3, 1.0, 0.0],
            [0.1, 0.0, 0.8, 0.6],
        ];
        let map = Coords::params(2)
            .fit(&csr(&dense), &[0, 0, 0, 1, 1, 1])
            .expect("a map");
        assert_eq!(map.info().projection, "topic-centroid-pca+document-pca");
        let x = map.points().column(0).to_owned();
        // The first axis splits the two topics.
        assert!(
            x.iter()
                .take(3)
                .all(|&a| x.iter().skip(3).all(|&b| (a - b).abs() > 0.5))
        );
        let one = Coords::params(2).fit(&csr(&dense), &[0; 6]).expect("a map");
        assert_eq!(one.info().projection, "document-pca");
    }

    #[test]
    fn zero_rows_and_outliers_get_finite_points() {
        let dense = array![
            [1.0, 0.0, 0.0],
            [0.0, 0.0, 0.0],
            [0.0, 1.0, 0.0],
            [0.0, 0.0, 1.0],
            [0.5, 0.5, 0.0],
        ];
        let map = Coords::params(3)
            .fit(&csr(&dense), &[0, -1, 1, 2, -1])
            .expect("a map");
        assert_eq!(map.points().dim(), (5, 3));
        assert!(map.points().iter().all(|v| v.is_finite()));
        // Only zero rows: every point at the origin.
        let zeros = Coords::params(2)
            .fit(&csr(&Array2::zeros((3, 2))), &[-1, -1, -1])
            .expect("a map");
        assert!(zeros.points().iter().all(|&v| v == 0.0));
        assert_eq!(zeros.info().explained, vec![0.0, 0.0]);
    }

    #[test]
    fn one_document_and_one_term_still_map() {
        let map = Coords::params(2)
            .fit(&csr(&array![[2.0]]), &[0])
            .expect("a map");
        assert_eq!(map.points().dim(), (1, 2));
        assert!(map.points().iter().all(|v| v.is_finite()));
    }

    #[test]
    fn axes_are_orthonormal_with_fixed_signs() {
        let mut axes = Vec::new();
        push_orthogonal(&mut axes, array![-3.0, 1.0, 0.0]);
        push_orthogonal(&mut axes, array![1.0, 1.0, 0.0]);
        push_orthogonal(&mut axes, array![2.0, 0.0, 0.0]); // in their span
        assert_eq!(axes.len(), 2);
        assert!(axes[0][0] > 0.0 && (axes[0].dot(&axes[0]) - 1.0).abs() < 1e-12);
        assert!(axes[0].dot(&axes[1]).abs() < 1e-12);
    }

    /// The map of the news corpus is the same, bit for bit, with one thread
    /// and with two.
    #[test]
    fn coords_do_not_depend_on_the_number_of_threads() {
        use crate::cluster::KChoice;
        use crate::corpus::{Corpus, ReadOptions};
        use crate::job::{ClusterJob, Progress};

        let corpus = Corpus::read(&["data/news"], &ReadOptions::default()).expect("data/news");
        let mut job = ClusterJob::default();
        job.clustering.k = KChoice::Fixed(4);
        job.clustering.seed = 3;
        job.coords = Some(2);
        let run = |threads: usize| {
            let pool = rayon::ThreadPoolBuilder::new()
                .num_threads(threads)
                .build()
                .expect("a pool");
            pool.install(|| {
                job.run(&corpus, &["data/news".into()], None, &Progress::hidden())
                    .expect("a report")
            })
        };
        let (one, two) = (run(1), run(2));
        let points = |r: &crate::report::TopicReport| -> Vec<Vec<u64>> {
            r.documents
                .iter()
                .map(|d| {
                    d.coords
                        .as_ref()
                        .expect("coords")
                        .iter()
                        .map(|v| v.to_bits())
                        .collect()
                })
                .collect()
        };
        assert_eq!(points(&one).len(), 74);
        assert_eq!(points(&one), points(&two));
        assert_eq!(one.coords, two.coords);
        assert!(
            one.documents
                .iter()
                .flat_map(|d| d.coords.clone().unwrap())
                .all(f64::is_finite)
        );
    }
}
