//! Fitting: the direct clustering of every row, or of micro-clusters when
//! there are too many rows for a distance matrix.

use super::distance::UnitRows;
use super::hyperparams::{Cut, HierarchicalParams, Linkage};
use super::linkage::{cut_labels, label, linkage_matrix};
use crate::cluster::{Rows, SphericalKMeansParams, select_rows};
use crate::error::{Error, ParamError, Result};
use crate::report::Dendrogram;
use crate::vectorize::SparseMatrix;

/// A fitted agglomerative clustering: the flat clusters of every row and the
/// whole tree.
#[derive(Debug, Clone, PartialEq)]
pub struct Hierarchical {
    linkage: Linkage,
    labels: Vec<usize>,
    n_clusters: usize,
    dendrogram: Dendrogram,
    micro: Option<Vec<usize>>,
}

impl Hierarchical {
    /// Parameters for `linkage` and `cut`, to adjust then
    /// [`fit`](HierarchicalParams::fit).
    ///
    /// ```
    /// use topica::cluster::hierarchical::{Cut, Hierarchical, Linkage};
    ///
    /// let params = Hierarchical::params(Linkage::Average, Cut::K(5)).seed(7);
    /// assert_eq!(params.get_max_direct(), 16_384);
    /// ```
    pub fn params(linkage: Linkage, cut: Cut) -> HierarchicalParams {
        HierarchicalParams::new(linkage, cut)
    }

    /// The linkage used.
    pub fn linkage(&self) -> Linkage {
        self.linkage
    }

    /// The flat cluster of every row, numbered 0, 1, ... in order of first
    /// appearance (the first row is in cluster 0).
    pub fn labels(&self) -> &[usize] {
        &self.labels
    }

    /// The number of flat clusters.
    pub fn n_clusters(&self) -> usize {
        self.n_clusters
    }

    /// The tree in scipy's linkage-matrix format.
    ///
    /// Its leaves are the rows (`leaves` is `"0"`, `"1"`, ...: the caller
    /// may put document ids in their place) or, when
    /// [`micro`](Self::micro) is `Some`, the micro-clusters (`"micro:0"`,
    /// `"micro:1"`, ...), and then the sizes in the matrix count
    /// micro-clusters, not rows.
    pub fn dendrogram(&self) -> &Dendrogram {
        &self.dendrogram
    }

    /// The micro-cluster of every row when there were more rows than
    /// `max_direct`, so that the tree was built on micro-clusters; `None`
    /// when the rows themselves were clustered.
    pub fn micro(&self) -> Option<&[usize]> {
        self.micro.as_deref()
    }

    /// The flat clusters of every row for another cut of the same tree,
    /// without refitting; numbered as [`labels`](Self::labels) are.
    ///
    /// Fails when `k` is 0 or more than the tree's leaves.
    ///
    /// ```
    /// use ndarray::array;
    /// use topica::cluster::hierarchical::{Cut, Hierarchical, Linkage};
    /// use topica::vectorize::SparseMatrix;
    ///
    /// let x = array![[1.0, 0.0], [0.9, 0.1], [0.0, 1.0], [0.1, 0.9], [1.0, 1.0]];
    /// let x = SparseMatrix::<f64>::csr_from_dense(x.view(), 0.0);
    /// let h = Hierarchical::params(Linkage::Complete, Cut::K(2)).fit(&x)?;
    /// assert_eq!(h.cut(Cut::K(5))?, vec![0, 1, 2, 3, 4]);
    /// assert_eq!(h.cut(Cut::Distance(0.01))?, vec![0, 0, 1, 1, 2]);
    /// assert!(h.cut(Cut::K(6)).is_err());
    /// # Ok::<(), topica::Error>(())
    /// ```
    pub fn cut(&self, cut: Cut) -> Result<Vec<usize>> {
        let leaves = self.dendrogram.leaves.len();
        let Some(micro) = &self.micro else {
            return cut_labels(&self.dendrogram.matrix, leaves, cut);
        };
        if let Cut::K(k) = cut
            && k > leaves
        {
            return Err(ParamError::new(
                "k",
                format!(
                    "{k} clusters asked for but the {} documents were first grouped into \
                     {leaves} micro-clusters (there were more than max_direct); raise \
                     micro_clusters to at least {k}",
                    micro.len()
                ),
            )
            .into());
        }
        let by_leaf = cut_labels(&self.dendrogram.matrix, leaves, cut)?;
        Ok(first_appearance(micro.iter().map(|&m| by_leaf[m])))
    }
}

/// Labels renumbered 0, 1, ... in order of first appearance.
fn first_appearance(labels: impl Iterator<Item = usize>) -> Vec<usize> {
    let mut ids = std::collections::HashMap::new();
    labels
        .map(|l| {
            let next = ids.len();
            *ids.entry(l).or_insert(next)
        })
        .collect()
}

impl HierarchicalParams {
    /// Clusters the rows of `x` (documents x terms; rows are L2-normalised
    /// here, so any non-negative weighting will do).
    ///
    /// Up to `max_direct` rows, the tree is built on all of them from their
    /// condensed distance matrix ([`condensed_distances`](super::condensed_distances),
    /// then [`linkage_matrix`]), or for single linkage on sparse rows from the
    /// rows, with the distances computed as Prim's loop needs them (the same
    /// tree): the result is scipy's. Above, the rows are first grouped into
    /// `micro_clusters` micro-clusters (see the module's "Large inputs").
    ///
    /// Fails when `x` has no rows or a non-finite value, or when `k` is more
    /// than the rows (or the micro-clusters).
    ///
    /// ```
    /// use topica::analyze::StopWordList;
    /// use topica::cluster::hierarchical::{Cut, Hierarchical, Linkage};
    /// use topica::corpus::{Corpus, ReadOptions};
    /// use topica::vectorize::TfidfVectorizer;
    ///
    /// let corpus = Corpus::read(&["data/news"], &ReadOptions::default())?;
    /// let (_, x) = TfidfVectorizer::params()
    ///     .stop_words(Some(StopWordList::English))
    ///     .fit_transform(&corpus.texts())?;
    /// let h = Hierarchical::params(Linkage::Ward, Cut::K(3)).fit(x.matrix())?;
    /// assert_eq!(h.n_clusters(), 3);
    /// assert_eq!(h.dendrogram().matrix.len(), 73);
    /// assert!(h.micro().is_none());
    /// # Ok::<(), topica::Error>(())
    /// ```
    pub fn fit(&self, x: &SparseMatrix<f64>) -> Result<Hierarchical> {
        self.check()?;
        let n = x.rows();
        if n == 0 {
            return Err(Error::Fit("no documents to cluster".into()));
        }
        if let Cut::K(k) = self.get_cut()
            && k > n
        {
            return Err(ParamError::new(
                "k",
                format!("{k} clusters asked for but only {n} documents can be clustered"),
            )
            .into());
        }
        if let Some(i) = x.first_non_finite() {
            return Err(Error::Fit(format!(
                "row {i} holds a NaN or infinite value: hierarchical clustering needs finite values"
            )));
        }
        let (rows, micro) = if n <= self.get_max_direct() {
            (UnitRows::from_sparse(x)?, None)
        } else {
            let (rows, micro) = self.micro_clusters_of(x)?;
            (rows, Some(micro))
        };
        let leaves = rows.len();
        let linkage = self.get_linkage();
        let matrix = if linkage == Linkage::Single && rows.prefers_rows_for_single() {
            // Prim's tree from the rows themselves: the tree of the
            // condensed matrix, without it (see `single_linkage_merges`).
            let mut z = rows.single_linkage_merges();
            drop(rows);
            label(&mut z, leaves);
            z
        } else {
            let mut condensed = rows.condensed(linkage)?;
            drop(rows);
            linkage_matrix(&mut condensed, leaves, linkage)?
        };
        let leaf_names = (0..leaves)
            .map(|i| match micro {
                None => i.to_string(),
                Some(_) => format!("micro:{i}"),
            })
            .collect();
        let mut fitted = Hierarchical {
            linkage,
            labels: Vec::new(),
            n_clusters: 0,
            dendrogram: Dendrogram {
                linkage: linkage.name().to_string(),
                matrix,
                leaves: leaf_names,
            },
            micro,
        };
        fitted.labels = fitted.cut(self.get_cut())?;
        fitted.n_clusters = fitted.labels.iter().max().map_or(0, |m| m + 1);
        Ok(fitted)
    }

    /// The fallback: spherical k-means of the non-zero rows into at most
    /// `micro_clusters` groups (one run, k-means++ start from `seed`), plus
    /// one group of all the zero rows if any; returns the groups' unit
    /// centroids (the zero rows' is zero) and each row's group.
    fn micro_clusters_of(&self, x: &SparseMatrix<f64>) -> Result<(UnitRows, Vec<usize>)> {
        let n = x.rows();
        let nonzero: Vec<usize> = (0..n).filter(|&i| x.norm_sq(i) > 0.0).collect();
        let mut micro = vec![0; n];
        let km = if nonzero.is_empty() {
            None
        } else {
            let m = self.get_micro_clusters().min(nonzero.len());
            let sub = select_rows(x, &nonzero);
            let km = SphericalKMeansParams::new(m)
                .seed(self.get_seed())
                .n_init(1)
                .fit(&sub)?;
            for (&i, &label) in nonzero.iter().zip(km.labels()) {
                micro[i] = label;
            }
            Some(km)
        };
        let unit = km.as_ref().map(|km| km.centroids());
        let groups = unit.map_or(0, |u| u.n_clusters());
        let zero_rows = nonzero.len() < n;
        if zero_rows {
            let mut nz = nonzero.iter().peekable();
            for (i, slot) in micro.iter_mut().enumerate() {
                if nz.peek() == Some(&&i) {
                    nz.next();
                } else {
                    *slot = groups;
                }
            }
        }
        // The centroids as k-means keeps them (non-zero values by cluster),
        // then the zero rows' group, empty.
        let empty: (&[u32], &[f64]) = (&[], &[]);
        let rows = UnitRows::new(
            x.cols(),
            unit.iter()
                .flat_map(|u| (0..u.n_clusters()).map(|c| u.get(c)))
                .chain(zero_rows.then_some(empty)),
        )?;
        Ok((rows, micro))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::Array2;

    fn sparse(rows: &[&[f64]]) -> SparseMatrix<f64> {
        let dense = Array2::from_shape_fn((rows.len(), rows[0].len()), |(i, j)| rows[i][j]);
        SparseMatrix::<f64>::csr_from_dense(dense.view(), 0.0)
    }

    #[test]
    fn k_cannot_be_zero_or_more_than_the_rows() {
        let x = sparse(&[&[1.0, 0.0], &[0.0, 1.0]]);
        let err = Hierarchical::params(Linkage::Ward, Cut::K(0))
            .fit(&x)
            .unwrap_err();
        assert_eq!(err.to_string(), "invalid k: must be at least 1, got 0");
        let err = Hierarchical::params(Linkage::Ward, Cut::K(3))
            .fit(&x)
            .unwrap_err();
        assert_eq!(
            err.to_string(),
            "invalid k: 3 clusters asked for but only 2 documents can be clustered"
        );
        assert!(err.is_usage());
    }

    #[test]
    fn bad_parameters_are_refused() {
        let p = |cut| Hierarchical::params(Linkage::Average, cut);
        assert!(p(Cut::Distance(f64::NAN)).check().is_err());
        assert!(p(Cut::Distance(-1.0)).check().is_err());
        assert!(p(Cut::Distance(f64::INFINITY)).check().is_err());
        assert!(p(Cut::Distance(0.0)).check().is_ok());
        assert_eq!(
            p(Cut::K(2)).max_direct(0).check().unwrap_err().name,
            "max_direct"
        );
        assert_eq!(
            p(Cut::K(2)).micro_clusters(0).check().unwrap_err().name,
            "micro_clusters"
        );
        let err = p(Cut::K(2)).max_direct(100).check().unwrap_err();
        assert_eq!(err.name, "micro_clusters");
        assert!(err.message.contains("at most max_direct = 100"), "{err}");
    }

    #[test]
    fn empty_and_non_finite_inputs_are_errors_not_panics() {
        let empty = SparseMatrix::<f64>::new((0, 3), vec![0], vec![], vec![]);
        let err = Hierarchical::params(Linkage::Ward, Cut::Distance(1.0))
            .fit(&empty)
            .unwrap_err();
        assert_eq!(err.to_string(), "no documents to cluster");
        let x =
            SparseMatrix::<f64>::new((2, 2), vec![0, 1, 2], vec![0, 1], vec![1.0, f64::INFINITY]);
        let err = Hierarchical::params(Linkage::Ward, Cut::K(1))
            .fit(&x)
            .unwrap_err();
        assert!(err.to_string().contains("finite"), "{err}");
    }

    #[test]
    fn labels_are_numbered_by_first_appearance() {
        let x = sparse(&[&[0.0, 1.0], &[1.0, 0.0], &[0.0, 2.0], &[3.0, 0.1]]);
        let h = Hierarchical::params(Linkage::Single, Cut::K(2))
            .fit(&x)
            .unwrap();
        assert_eq!(h.labels(), &[0, 1, 0, 1]);
        assert_eq!(h.n_clusters(), 2);
        assert_eq!(h.linkage(), Linkage::Single);
        assert_eq!(h.dendrogram().linkage, "single");
        assert_eq!(h.dendrogram().leaves, vec!["0", "1", "2", "3"]);
    }

    #[test]
    fn linkage_names_round_trip() {
        for l in Linkage::ALL {
            assert_eq!(l.to_string().parse::<Linkage>().unwrap(), l);
            assert_eq!(serde_json::to_string(&l).unwrap(), format!("\"{l}\""));
        }
        let err = "Ward".parse::<Linkage>().unwrap_err();
        assert_eq!(err.name, "linkage");
        assert!(err.message.contains("ward, average, complete or single"));
    }
}
