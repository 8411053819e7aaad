//! Centroid storage for k-means: the fitted unit centroids, kept by cluster
//! with their non-zero values only ([`Centroids`]), and the feature-major
//! postings the assignment step reads when centroids are many and sparse
//! ([`CentroidPostings`]).
//!
//! Dense centroids of a TF-IDF vocabulary cost `k * dim` values: for the
//! 2,000 micro-clusters of 20 Newsgroups' 55,294 terms, 885 MB a copy, where
//! their non-zero values are at most the posts' own 1.15 million (14 MB
//! with their indices). [`Centroids`] never holds zeros,
//! and Lloyd's iterations on sparse rows with many clusters keep their
//! centroids as postings from start to end (`kmeans`'s "sparse centroids").

use rayon::prelude::*;

use crate::vectorize::l2_norm;

/// From this many clusters on, an assignment step whose centroids are
/// sparse enough ([`CentroidPostings`]) reads only their non-zero values.
pub(crate) const SPARSE_CENTROIDS_FROM_K: usize = 64;

/// Unit centroids of a fitted k-means, by cluster: for each, the features
/// whose value is not zero (in increasing order) and those values.
///
/// ```
/// use ndarray::array;
/// use topica::cluster::SphericalKMeansParams;
///
/// let x = array![[1.0, 0.0, 0.0], [0.9, 0.1, 0.0], [0.0, 0.0, 1.0]];
/// let km = SphericalKMeansParams::new(2).fit(&x.view())?;
/// let centroids = km.centroids();
/// assert_eq!((centroids.n_clusters(), centroids.dim()), (2, 3));
/// let c = km.labels()[2];
/// assert_eq!(centroids.get(c), (&[2u32][..], &[1.0][..]));
/// assert_eq!(centroids.dense(c), vec![0.0, 0.0, 1.0]);
/// # Ok::<(), topica::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Centroids {
    dim: usize,
    clusters: Vec<(Vec<u32>, Vec<f64>)>,
}

impl Centroids {
    /// From each cluster's features (increasing) and non-zero values.
    pub(crate) fn new(dim: usize, clusters: Vec<(Vec<u32>, Vec<f64>)>) -> Self {
        Centroids { dim, clusters }
    }

    /// The features and values of the dense vector `v` that are not zero.
    pub(crate) fn sparse_of(v: &[f64]) -> (Vec<u32>, Vec<f64>) {
        v.iter()
            .enumerate()
            .filter(|(_, x)| **x != 0.0)
            .map(|(j, &x)| (j as u32, x))
            .unzip()
    }

    /// From a feature-major block of `dim * k` values (zeros dropped).
    pub(crate) fn from_block(t: &[f64], k: usize, dim: usize) -> Self {
        let mut clusters = vec![(Vec::new(), Vec::new()); k];
        for (j, feature) in t.chunks_exact(k.max(1)).enumerate() {
            for (c, &v) in feature.iter().enumerate() {
                if v != 0.0 {
                    clusters[c].0.push(j as u32);
                    clusters[c].1.push(v);
                }
            }
        }
        Centroids { dim, clusters }
    }

    /// From feature-major postings of `k` clusters over `dim` features
    /// (zeros dropped).
    pub(crate) fn from_postings(p: &CentroidPostings, k: usize, dim: usize) -> Self {
        let mut counts = vec![0usize; k];
        for (&c, &v) in p.clusters.iter().zip(&p.values) {
            if v != 0.0 {
                counts[c as usize] += 1;
            }
        }
        let mut clusters: Vec<(Vec<u32>, Vec<f64>)> = counts
            .iter()
            .map(|&n| (Vec::with_capacity(n), Vec::with_capacity(n)))
            .collect();
        for (j, span) in p.start.windows(2).enumerate() {
            for (&c, &v) in p.clusters[span[0]..span[1]]
                .iter()
                .zip(&p.values[span[0]..span[1]])
            {
                if v != 0.0 {
                    clusters[c as usize].0.push(j as u32);
                    clusters[c as usize].1.push(v);
                }
            }
        }
        Centroids { dim, clusters }
    }

    /// The number of clusters.
    pub fn n_clusters(&self) -> usize {
        self.clusters.len()
    }

    /// The number of features of every centroid.
    pub fn dim(&self) -> usize {
        self.dim
    }

    /// The non-zero values stored, all centroids together.
    pub fn nnz(&self) -> usize {
        self.clusters.iter().map(|(j, _)| j.len()).sum()
    }

    /// Centroid `c`'s features whose value is not zero, in increasing
    /// order, and those values.
    pub fn get(&self, c: usize) -> (&[u32], &[f64]) {
        let (j, v) = &self.clusters[c];
        (j, v)
    }

    /// Centroid `c` as `dim` values.
    pub fn dense(&self, c: usize) -> Vec<f64> {
        let mut v = vec![0.0; self.dim];
        let (features, values) = self.get(c);
        for (&j, &x) in features.iter().zip(values) {
            v[j as usize] = x;
        }
        v
    }

    /// Every centroid as `dim` values (`k * dim` values in all).
    pub fn to_dense(&self) -> Vec<Vec<f64>> {
        (0..self.n_clusters()).map(|c| self.dense(c)).collect()
    }

    /// Replaces centroid `c` by `v` (`dim` values).
    pub(crate) fn set_dense(&mut self, c: usize, v: &[f64]) {
        self.clusters[c] = Self::sparse_of(v);
    }

    /// The feature-major block of `dim * k` values.
    pub(crate) fn block(&self) -> Vec<f64> {
        let k = self.n_clusters();
        let mut t = vec![0.0; self.dim * k];
        for (c, (features, values)) in self.clusters.iter().enumerate() {
            for (&j, &v) in features.iter().zip(values) {
                t[j as usize * k + c] = v;
            }
        }
        t
    }

    /// The feature-major postings of these centroids.
    pub(crate) fn postings(&self) -> CentroidPostings {
        let mut start = vec![0usize; self.dim + 1];
        for (features, _) in &self.clusters {
            for &j in features {
                start[j as usize + 1] += 1;
            }
        }
        for j in 0..self.dim {
            start[j + 1] += start[j];
        }
        let nnz = start[self.dim];
        let mut next = start.clone();
        let (mut clusters, mut values) = (vec![0u32; nnz], vec![0.0; nnz]);
        // Clusters in increasing order within each feature.
        for (c, (features, vals)) in self.clusters.iter().enumerate() {
            for (&j, &v) in features.iter().zip(vals) {
                let at = next[j as usize];
                clusters[at] = c as u32;
                values[at] = v;
                next[j as usize] += 1;
            }
        }
        CentroidPostings {
            start,
            clusters,
            values,
        }
    }

    /// Whether the assignment step should read these centroids' postings
    /// rather than a dense block: at least [`SPARSE_CENTROIDS_FROM_K`]
    /// clusters, at most one value in eight non-zero.
    pub(crate) fn sparse_enough(&self) -> bool {
        sparse_enough(self.nnz(), self.dim, self.n_clusters())
    }
}

/// The rule of [`Centroids::sparse_enough`] for `nnz` non-zero values among
/// `k` centroids of `dim` features.
pub(crate) fn sparse_enough(nnz: usize, dim: usize, k: usize) -> bool {
    k >= SPARSE_CENTROIDS_FROM_K
        && k <= u32::MAX as usize
        && nnz.saturating_mul(8) <= dim.saturating_mul(k)
}

/// The non-zero values of `k` centroids, feature by feature: for feature
/// `j`, the clusters `c` (in increasing order) whose value is not zero, and
/// those values (a value may be an explicit zero, which no dot product
/// notices).
///
/// Lloyd's assignment step reads them when the centroids are many and
/// sparse (and its sparse form keeps nothing else); Hartigan's moves keep
/// sums that change row by row, and so do mini-batch's (a block of sums):
/// both read a dense block.
///
/// With many clusters, centroids are mostly zeros: the 2,000 micro-clusters
/// of hierarchical clustering's fallback hold about 9 posts each, so at most
/// a few hundred of the 55,294 terms of 20 Newsgroups, and the dense
/// assignment step read 2,000 values for every non-zero of every post
/// (68% of that clustering's time). Read from the postings, each dot product
/// adds the same non-zero products in the same order (the row's); the dense
/// step adds zeros besides, and a sum that starts at +0.0 is never -0.0, so
/// adding a zero never changes it: the dot products are the same to the bit.
#[derive(Debug, Clone)]
pub struct CentroidPostings {
    start: Vec<usize>,
    clusters: Vec<u32>,
    values: Vec<f64>,
}

impl CentroidPostings {
    /// The postings of the feature-major block `t` (`dim * k` values), or
    /// `None` when the dense step is faster ([`sparse_enough`]).
    pub(crate) fn of(t: &[f64], k: usize) -> Option<Self> {
        if k < SPARSE_CENTROIDS_FROM_K {
            return None;
        }
        let nnz = t.par_iter().filter(|v| **v != 0.0).count();
        if !sparse_enough(nnz, t.len() / k, k) {
            return None;
        }
        Some(Self::of_block(t, k, nnz))
    }

    /// The postings of the feature-major block `t`, whatever its density;
    /// `nnz` is a capacity hint.
    pub(crate) fn of_block(t: &[f64], k: usize, nnz: usize) -> Self {
        let mut start = Vec::with_capacity(t.len() / k.max(1) + 1);
        start.push(0);
        let (mut clusters, mut values) = (Vec::with_capacity(nnz), Vec::with_capacity(nnz));
        for feature in t.chunks(k.max(1)) {
            for (c, &v) in feature.iter().enumerate() {
                if v != 0.0 {
                    clusters.push(c as u32);
                    values.push(v);
                }
            }
            start.push(clusters.len());
        }
        CentroidPostings {
            start,
            clusters,
            values,
        }
    }

    /// Postings from the features' entries in order: `parts` holds, for
    /// consecutive runs of features, the number of entries of each feature
    /// and the entries themselves.
    pub(crate) fn concat(parts: Vec<(Vec<usize>, Vec<u32>, Vec<f64>)>) -> Self {
        let nnz = parts.iter().map(|p| p.1.len()).sum();
        let features = parts.iter().map(|p| p.0.len()).sum::<usize>();
        let mut start = Vec::with_capacity(features + 1);
        start.push(0);
        let (mut clusters, mut values) = (Vec::with_capacity(nnz), Vec::with_capacity(nnz));
        for (lens, c, v) in parts {
            for n in lens {
                start.push(start.last().copied().unwrap_or(0) + n);
            }
            clusters.extend(c);
            values.extend(v);
        }
        CentroidPostings {
            start,
            clusters,
            values,
        }
    }

    /// The number of entries.
    pub fn nnz(&self) -> usize {
        self.values.len()
    }

    /// The number of features.
    pub fn dim(&self) -> usize {
        self.start.len() - 1
    }

    /// Scales each cluster's values to unit length: the square root of the
    /// sum of its squares, taken in feature order, as k-means'
    /// `column_sq_norms` does on a dense block (the same bits: the zeros it
    /// adds besides change no sum); a cluster of zeros stays zero.
    pub(crate) fn normalize(&mut self, k: usize) {
        let mut sq = vec![0.0; k];
        for (&c, &v) in self.clusters.iter().zip(&self.values) {
            sq[c as usize] += v * v;
        }
        let scale: Vec<f64> = sq
            .iter()
            .map(|&s| if s > 0.0 { 1.0 / s.sqrt() } else { 0.0 })
            .collect();
        for (&c, v) in self.clusters.iter().zip(self.values.iter_mut()) {
            *v *= scale[c as usize];
        }
    }

    /// The feature-major block of `dim * k` values.
    pub(crate) fn block(&self, k: usize) -> Vec<f64> {
        let mut t = vec![0.0; self.dim() * k];
        for (j, span) in self.start.windows(2).enumerate() {
            for (&c, &v) in self.clusters[span[0]..span[1]]
                .iter()
                .zip(&self.values[span[0]..span[1]])
            {
                t[j * k + c as usize] = v;
            }
        }
        t
    }

    /// The dot products of the sparse row `(indices, data)` with every
    /// centroid, into `out` (length `k`).
    pub(crate) fn dots(&self, indices: &[u32], data: &[f64], out: &mut [f64]) {
        out.iter_mut().for_each(|o| *o = 0.0);
        for (&j, &x) in indices.iter().zip(data) {
            self.add_feature(j as usize, x, out);
        }
    }

    /// Adds `x` times feature `j`'s values to `out[c]` for each cluster `c`
    /// that has one.
    #[inline]
    pub(crate) fn add_feature(&self, j: usize, x: f64, out: &mut [f64]) {
        let span = self.start[j]..self.start[j + 1];
        for (&c, &v) in self.clusters[span.clone()].iter().zip(&self.values[span]) {
            out[c as usize] += x * v;
        }
    }
}

/// The unit vector along the sparse row `(indices, values)`, without its
/// zeros, as the dense code computes it (`l2_norm` of the values, each
/// divided by it; the zeros the dense vector holds besides change neither);
/// a zero row gives no values.
pub(crate) fn unit_sparse(indices: &[u32], values: &[f64]) -> (Vec<u32>, Vec<f64>) {
    let norm = l2_norm(values);
    if norm > 0.0 {
        indices
            .iter()
            .zip(values)
            .map(|(&j, v)| (j, v / norm))
            .filter(|(_, v)| *v != 0.0)
            .unzip()
    } else {
        (Vec::new(), Vec::new())
    }
}

/// Dense centroids, by cluster, as a feature-major block of `dim * k`
/// values (`t[j * k + c]` is centroid `c`'s value for feature `j`), the
/// layout [`Rows::dots_t`](super::rows::Rows::dots_t) reads.
pub(crate) fn feature_major(centroids: &[Vec<f64>], dim: usize) -> Vec<f64> {
    let k = centroids.len();
    let mut t = vec![0.0; dim * k];
    for (c, v) in centroids.iter().enumerate() {
        for (j, &x) in v.iter().enumerate() {
            t[j * k + c] = x;
        }
    }
    t
}

#[cfg(test)]
mod tests {
    use rand::{Rng, SeedableRng};
    use rand_xoshiro::Xoshiro256Plus;

    use super::*;
    use crate::cluster::Rows;
    use crate::vectorize::SparseMatrix;

    fn bits(v: &[f64]) -> Vec<u64> {
        v.iter().map(|x| x.to_bits()).collect()
    }

    /// Summed by columns into postings, each cluster's sums are the dense
    /// block's to the bit; rows of weight 0 and labels of k or more add
    /// nothing, as in the dense sums.
    #[test]
    fn sums_into_postings_are_the_dense_sums() {
        let mut rng = Xoshiro256Plus::seed_from_u64(2);
        let (n, dim, k) = (500, 3000, 70);
        let mut tri = sprs::TriMatI::<f64, u32>::new((n, dim));
        for i in 0..n {
            for _ in 0..rng.gen_range(0..40) {
                tri.add_triplet(i, rng.gen_range(0..dim), rng.r#gen::<f64>() - 0.3);
            }
        }
        let x: SparseMatrix<f64> = tri.to_csr();
        let labels: Vec<usize> = (0..n).map(|_| rng.gen_range(0..k + 3)).collect();
        let weights: Vec<f64> = (0..n)
            .map(|i| if i % 17 == 0 { 0.0 } else { rng.r#gen::<f64>() })
            .collect();
        let mut block = vec![0.0; dim * k];
        x.sums_by_label(&labels, &weights, &mut block, k);
        let columns = x.with_columns().unwrap();
        let mut postings = columns.sums_by_label_sparse(&labels, &weights, k);
        // The sparse sums leave out exactly the zeros of the block.
        assert_eq!(postings.nnz(), block.iter().filter(|v| **v != 0.0).count());
        assert_eq!(bits(&postings.block(k)), bits(&block));
        // The default (through a dense block) gives the same postings.
        let by_rows = x.sums_by_label_sparse(&labels, &weights, k);
        assert_eq!(bits(&by_rows.block(k)), bits(&block));
        // Normalised, they are the dense normalisation to the bit.
        postings.normalize(k);
        let mut sq = vec![0.0; k];
        for row in block.chunks_exact(k) {
            for (s, v) in sq.iter_mut().zip(row) {
                *s += v * v;
            }
        }
        for row in block.chunks_exact_mut(k) {
            for (v, s) in row.iter_mut().zip(&sq) {
                *v *= if *s > 0.0 { 1.0 / s.sqrt() } else { 0.0 };
            }
        }
        assert_eq!(bits(&postings.block(k)), bits(&block));
        // Each form of the centroids gives back the others.
        let centroids = Centroids::from_postings(&postings, k, dim);
        assert_eq!(centroids, Centroids::from_block(&block, k, dim));
        assert_eq!(bits(&centroids.block()), bits(&block));
        assert_eq!(bits(&centroids.postings().block(k)), bits(&block));
        assert_eq!(centroids.nnz(), postings.nnz());
        let dense = centroids.to_dense();
        let again = dense.iter().map(|v| Centroids::sparse_of(v)).collect();
        assert_eq!(Centroids::new(dim, again), centroids);
        for (c, v) in dense.iter().enumerate() {
            assert_eq!(*v, centroids.dense(c));
            let (features, values) = centroids.get(c);
            assert!(features.windows(2).all(|w| w[0] < w[1]));
            assert!(values.iter().all(|v| *v != 0.0));
        }
    }

    #[test]
    fn the_postings_are_read_when_many_and_sparse() {
        assert!(sparse_enough(100, 100, 64));
        assert!(!sparse_enough(801, 100, 64), "more than one value in eight");
        assert!(!sparse_enough(1, 100, 63), "fewer than 64 clusters");
        assert!(CentroidPostings::of(&vec![1.0; 64 * 10], 64).is_none());
        let mut t = vec![0.0; 64 * 10];
        t[5] = 1.0;
        let p = CentroidPostings::of(&t, 64).unwrap();
        assert_eq!((p.nnz(), p.dim()), (1, 10));
        let mut out = vec![9.0; 64];
        p.dots(&[0, 3], &[2.0, 1.0], &mut out);
        assert_eq!(out[5], 2.0);
        assert_eq!(out.iter().filter(|v| **v != 0.0).count(), 1);
    }
}
