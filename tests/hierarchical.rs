//! Hierarchical clustering against scipy: the fixtures written by
//! `tests/scipy_linkage.py` (scipy 1.17.1, scikit-learn 1.9.1) for the news
//! paragraphs of `data/news` and, when `TOPICA_DATA_DIR` is set, 300 posts of
//! 20 Newsgroups; then the fallback through micro-clusters and the edge cases.

mod common;

use std::collections::{BTreeSet, HashMap};
use std::path::Path;

use serde_json::Value;
use topica::analyze::StopWordList;
use topica::cluster::hierarchical::{
    Cut, Hierarchical, Linkage, condensed_distances, cut_labels, linkage_matrix,
};
use topica::corpus::Corpus;
use topica::vectorize::{SparseMatrix, TfidfVectorizer};

/// Heights computed from distances that differ in the last bits agree to this.
const HEIGHT_TOL: f64 = 1e-9;

fn fixture(name: &str) -> Value {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/hierarchical")
        .join(name);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn matrix(v: &Value) -> Vec<[f64; 4]> {
    serde_json::from_value(v.clone()).unwrap()
}

fn labels(v: &Value) -> Vec<usize> {
    serde_json::from_value(v.clone()).unwrap()
}

/// `TfidfVectorizer(stop_words="english")` of `texts`.
fn tfidf<S: AsRef<str> + Sync>(texts: &[S]) -> SparseMatrix<f64> {
    let (_, x) = TfidfVectorizer::params()
        .stop_words(Some(StopWordList::English))
        .fit_transform(texts)
        .unwrap();
    x.matrix().clone()
}

fn news_matrix() -> SparseMatrix<f64> {
    let corpus = Corpus::read(&["data/news"], &Default::default()).unwrap();
    tfidf(&corpus.texts())
}

/// Whether `a` and `b` are the same partition (equal up to renaming).
fn same_partition(a: &[usize], b: &[usize]) -> bool {
    let (mut ab, mut ba) = (HashMap::new(), HashMap::new());
    a.len() == b.len()
        && a.iter()
            .zip(b)
            .all(|(&x, &y)| *ab.entry(x).or_insert(y) == y && *ba.entry(y).or_insert(x) == x)
}

/// The leaves of every cluster id (`0..n` leaves, `n + j` merge `j`).
fn leaf_sets(z: &[[f64; 4]], n: usize) -> Vec<BTreeSet<usize>> {
    let mut sets: Vec<BTreeSet<usize>> = (0..n).map(|i| BTreeSet::from([i])).collect();
    for row in z {
        let union = &sets[row[0] as usize] | &sets[row[1] as usize];
        sets.push(union);
    }
    sets
}

/// The partition after the first `merges` merges, as a set of leaf sets.
fn partition(z: &[[f64; 4]], n: usize, merges: usize) -> BTreeSet<Vec<usize>> {
    let labels = cut_labels(z, n, Cut::K(n - merges)).unwrap();
    let mut groups: HashMap<usize, Vec<usize>> = HashMap::new();
    for (i, l) in labels.into_iter().enumerate() {
        groups.entry(l).or_default().push(i);
    }
    groups.into_values().collect()
}

/// Asserts that `ours` is scipy's tree `theirs`, built from distances equal
/// up to rounding: every height within [`HEIGHT_TOL`]; every merge joins the
/// same two clusters (as sets of leaves), except inside runs of merges at
/// heights within the tolerance of each other (ties, which rounding may
/// break either way), after which the partitions must agree again. Returns
/// the number of merges inside such runs.
fn assert_same_tree(ours: &[[f64; 4]], theirs: &[[f64; 4]], n: usize, what: &str) -> usize {
    assert_eq!(ours.len(), theirs.len(), "{what}: rows");
    for (r, (a, b)) in ours.iter().zip(theirs).enumerate() {
        assert!(
            (a[2] - b[2]).abs() <= HEIGHT_TOL,
            "{what}: row {r} height {} vs scipy {}",
            a[2],
            b[2]
        );
        assert_eq!(a[3], b[3], "{what}: row {r} size");
        assert!(a[0] < a[1], "{what}: row {r} not in order");
    }
    let (sets_a, sets_b) = (leaf_sets(ours, n), leaf_sets(theirs, n));
    let tied = |r: usize| {
        (r > 0 && (theirs[r][2] - theirs[r - 1][2]).abs() <= HEIGHT_TOL)
            || (r + 1 < theirs.len() && (theirs[r + 1][2] - theirs[r][2]).abs() <= HEIGHT_TOL)
    };
    let mut in_ties = 0;
    for r in 0..ours.len() {
        if tied(r) {
            in_ties += 1;
            let last_of_run =
                r + 1 == theirs.len() || (theirs[r + 1][2] - theirs[r][2]).abs() > HEIGHT_TOL;
            if last_of_run {
                assert_eq!(
                    partition(ours, n, r + 1),
                    partition(theirs, n, r + 1),
                    "{what}: partitions after the run of ties ending at row {r}"
                );
            }
        } else {
            let pair = |sets: &[BTreeSet<usize>], row: &[f64; 4]| {
                BTreeSet::from([sets[row[0] as usize].clone(), sets[row[1] as usize].clone()])
            };
            assert_eq!(
                pair(&sets_a, &ours[r]),
                pair(&sets_b, &theirs[r]),
                "{what}: row {r} merges other clusters"
            );
        }
    }
    in_ties
}

/// The condensed distances of the fixture, bit for bit.
fn fixture_distances(f: &Value, key: &str) -> Vec<f64> {
    f["distances"][key]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| f64::from_bits(v.as_u64().unwrap()))
        .collect()
}

#[test]
fn news_distances_are_scipys_and_sklearns() {
    let f = fixture("news.json");
    let x = news_matrix();
    assert_eq!(
        [x.rows(), x.cols()],
        [
            f["shape"][0].as_u64().unwrap() as usize,
            f["shape"][1].as_u64().unwrap() as usize
        ]
    );
    for (key, linkage) in [("cosine", Linkage::Average), ("euclidean", Linkage::Ward)] {
        let want = fixture_distances(&f, key);
        let got = condensed_distances(&x, linkage).unwrap();
        assert_eq!(got.len(), 74 * 73 / 2);
        let worst = got
            .iter()
            .zip(&want)
            .map(|(a, b)| (a - b).abs())
            .fold(0.0, f64::max);
        assert!(worst < 1e-12, "{key}: largest difference {worst:e}");
    }
    // The zero row (paragraph 40) is at cosine distance 1 from every row.
    let zero = labels(&f["zero_rows"]);
    assert_eq!(zero, vec![40]);
    let d = condensed_distances(&x, Linkage::Single).unwrap();
    let idx = |i: usize, j: usize| 74 * i - i * (i + 1) / 2 + j - i - 1;
    assert!(
        (0..74)
            .filter(|&j| j != 40)
            .all(|j| d[idx(j.min(40), j.max(40))] == 1.0)
    );
}

#[test]
fn from_scipys_distances_the_linkage_matrix_is_scipys_exactly() {
    let f = fixture("news.json");
    for linkage in Linkage::ALL {
        let key = if linkage == Linkage::Ward {
            "euclidean"
        } else {
            "cosine"
        };
        let mut d = fixture_distances(&f, key);
        let z = linkage_matrix(&mut d, 74, linkage).unwrap();
        let m = &f["methods"][linkage.name()];
        let want = matrix(&m["matrix"]);
        assert_eq!(z.len(), want.len());
        let heights = m["height_bits"].as_array().unwrap();
        for (r, ((a, b), bits)) in z.iter().zip(&want).zip(heights).enumerate() {
            assert_eq!([a[0], a[1], a[3]], [b[0], b[1], b[3]], "{linkage}: row {r}");
            // The same recurrence written the same way: the same bits.
            assert_eq!(a[2].to_bits(), bits.as_u64().unwrap(), "{linkage}: row {r}");
        }
        // Flat clusters, numbered in order of first appearance on both sides.
        assert_eq!(
            cut_labels(&z, 74, Cut::K(4)).unwrap(),
            labels(&m["k_labels"]),
            "{linkage}"
        );
        let t = m["threshold"].as_f64().unwrap();
        assert_eq!(
            cut_labels(&z, 74, Cut::Distance(t)).unwrap(),
            labels(&m["distance_labels"]),
            "{linkage}"
        );
    }
}

/// Fits every linkage on `x` and compares with the fixture `f`.
fn assert_fit_is_scipys(x: &SparseMatrix<f64>, f: &Value) {
    let n = x.rows();
    let k = f["k"].as_u64().unwrap() as usize;
    for linkage in Linkage::ALL {
        let m = &f["methods"][linkage.name()];
        let h = Hierarchical::params(linkage, Cut::K(k)).fit(x).unwrap();
        let what = format!("{linkage} on {n} rows");
        let ties = assert_same_tree(&h.dendrogram().matrix, &matrix(&m["matrix"]), n, &what);
        assert!(
            same_partition(h.labels(), &labels(&m["k_labels"])),
            "{what}: k = {k}"
        );
        assert_eq!(h.n_clusters(), k);
        let t = m["threshold"].as_f64().unwrap();
        let by_height = h.cut(Cut::Distance(t)).unwrap();
        assert!(
            same_partition(&by_height, &labels(&m["distance_labels"])),
            "{what}: distance {t}"
        );
        let fit_by_height = Hierarchical::params(linkage, Cut::Distance(t))
            .fit(x)
            .unwrap();
        assert_eq!(fit_by_height.labels(), by_height.as_slice());
        eprintln!("{what}: scipy's tree ({ties} merges in runs of equal heights)");
    }
}

#[test]
fn news_fit_is_scipys() {
    assert_fit_is_scipys(&news_matrix(), &fixture("news.json"));
}

#[test]
fn newsgroups_300_fit_is_scipys() {
    let Some(path) = common::reference("20newsgroups_clean.jsonl") else {
        return;
    };
    let f = fixture("newsgroups_300.json");
    let text = std::fs::read_to_string(path).unwrap();
    let records: Vec<Value> = text
        .lines()
        .step_by(62)
        .take(300)
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let ids: Vec<&str> = records.iter().map(|r| r["id"].as_str().unwrap()).collect();
    let want_ids: Vec<&str> = f["ids"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    assert_eq!(ids, want_ids);
    let texts: Vec<&str> = records
        .iter()
        .map(|r| r["text"].as_str().unwrap())
        .collect();
    let x = tfidf(&texts);
    assert_eq!(x.cols() as u64, f["shape"][1].as_u64().unwrap());
    assert_fit_is_scipys(&x, &f);
}

#[test]
fn above_max_direct_rows_go_through_micro_clusters() {
    let x = news_matrix();
    let fit = |seed| {
        Hierarchical::params(Linkage::Ward, Cut::K(5))
            .max_direct(40)
            .micro_clusters(12)
            .seed(seed)
            .fit(&x)
            .unwrap()
    };
    let h = fit(3);
    let micro = h.micro().expect("74 rows > max_direct = 40");
    assert_eq!(micro.len(), 74);
    // 12 micro-clusters of the non-zero rows, and one of the zero row.
    let d = h.dendrogram();
    assert_eq!(d.leaves.len(), 13);
    assert_eq!(d.leaves[0], "micro:0");
    assert_eq!(d.matrix.len(), 12);
    assert_eq!(d.matrix[11][3], 13.0);
    assert_eq!(micro[40], 12);
    assert!(
        micro
            .iter()
            .enumerate()
            .all(|(i, &m)| (m == 12) == (i == 40))
    );
    // A row's cluster is its micro-cluster's.
    assert_eq!(h.n_clusters(), 5);
    let mut of_micro = HashMap::new();
    for (&m, &l) in micro.iter().zip(h.labels()) {
        assert_eq!(
            *of_micro.entry(m).or_insert(l),
            l,
            "micro-cluster {m} split"
        );
    }
    assert_eq!(h.labels()[0], 0);
    // The leaves' own clustering, mapped to the rows.
    let by_leaf = cut_labels(&d.matrix, 13, Cut::K(5)).unwrap();
    let mapped: Vec<usize> = micro.iter().map(|&m| by_leaf[m]).collect();
    assert!(same_partition(&mapped, h.labels()));
    // Deterministic for a seed, whatever the thread count.
    let one_thread = rayon::ThreadPoolBuilder::new()
        .num_threads(1)
        .build()
        .unwrap()
        .install(|| fit(3));
    assert_eq!(one_thread, h);
    // More clusters than micro-clusters is an error that says what to do.
    let err = h.cut(Cut::K(14)).unwrap_err();
    assert!(
        err.to_string()
            .contains("raise micro_clusters to at least 14"),
        "{err}"
    );
    let err = Hierarchical::params(Linkage::Average, Cut::K(20))
        .max_direct(40)
        .micro_clusters(12)
        .fit(&x)
        .unwrap_err();
    assert!(err.is_usage(), "{err}");
    // At most max_direct rows: no micro-clusters.
    let direct = Hierarchical::params(Linkage::Ward, Cut::K(5))
        .max_direct(74)
        .micro_clusters(12)
        .fit(&x)
        .unwrap();
    assert!(direct.micro().is_none());
    assert_eq!(direct.dendrogram().leaves.len(), 74);
}

#[test]
fn distance_cuts_coarsen_as_the_threshold_grows() {
    let x = news_matrix();
    for linkage in Linkage::ALL {
        let h = Hierarchical::params(linkage, Cut::Distance(0.0))
            .fit(&x)
            .unwrap();
        let z = &h.dendrogram().matrix;
        let mut previous = usize::MAX;
        for t in [0.0, 0.5, 0.8, 0.9, 0.95, 1.0, 2.5] {
            let labels = h.cut(Cut::Distance(t)).unwrap();
            let k = labels.iter().max().unwrap() + 1;
            // Every merge at or below t is made, none above (heights rise).
            assert_eq!(
                k,
                74 - z.iter().filter(|r| r[2] <= t).count(),
                "{linkage} t={t}"
            );
            assert!(k <= previous);
            previous = k;
        }
        assert_eq!(previous, 1, "{linkage}: everything merges below 2.5");
    }
}

#[test]
fn k_above_the_number_of_rows_is_an_error() {
    let x = news_matrix();
    let err = Hierarchical::params(Linkage::Average, Cut::K(75))
        .fit(&x)
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "invalid k: 75 clusters asked for but only 74 documents can be clustered"
    );
    let h = Hierarchical::params(Linkage::Average, Cut::K(74))
        .fit(&x)
        .unwrap();
    assert_eq!(h.labels(), (0..74).collect::<Vec<_>>().as_slice());
}

#[test]
fn an_all_zero_matrix_clusters_without_nan() {
    let x = SparseMatrix::<f64>::new((5, 3), vec![0; 6], vec![], vec![]);
    for linkage in Linkage::ALL {
        let h = Hierarchical::params(linkage, Cut::K(2)).fit(&x).unwrap();
        let z = &h.dendrogram().matrix;
        // Cosine: every pair at distance 1; Ward: every row at the origin.
        let height = if linkage == Linkage::Ward { 0.0 } else { 1.0 };
        assert!(z.iter().all(|r| r[2] == height), "{linkage}: {z:?}");
        assert_eq!(h.labels(), &[0, 0, 0, 0, 1], "{linkage}");
        // The same through micro-clusters: one group, the zero rows'.
        let micro = Hierarchical::params(linkage, Cut::K(1))
            .max_direct(2)
            .micro_clusters(2)
            .fit(&x)
            .unwrap();
        assert_eq!(micro.micro(), Some(&[0, 0, 0, 0, 0][..]));
        assert_eq!(micro.labels(), &[0; 5]);
        assert!(micro.dendrogram().matrix.is_empty());
    }
    // No columns at all is the same.
    let x = SparseMatrix::<f64>::new((3, 0), vec![0; 4], vec![], vec![]);
    let h = Hierarchical::params(Linkage::Average, Cut::Distance(0.5))
        .fit(&x)
        .unwrap();
    assert_eq!(h.labels(), &[0, 1, 2]);
}

#[test]
fn a_single_row_is_a_single_cluster() {
    let x = SparseMatrix::<f64>::new((1, 2), vec![0, 1], vec![1], vec![0.5]);
    for linkage in Linkage::ALL {
        for cut in [Cut::K(1), Cut::Distance(0.0)] {
            let h = Hierarchical::params(linkage, cut).fit(&x).unwrap();
            assert_eq!(h.labels(), &[0]);
            assert_eq!(h.n_clusters(), 1);
            assert!(h.dendrogram().matrix.is_empty());
            assert_eq!(h.dendrogram().leaves, vec!["0"]);
        }
        assert!(Hierarchical::params(linkage, Cut::K(2)).fit(&x).is_err());
    }
}
