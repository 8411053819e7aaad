//! `topica::metrics` against scikit-learn, without Python: the fixtures in
//! `tests/fixtures/metrics/` were written by `tests/sklearn_metrics.py` from
//! scikit-learn 1.9.1 itself (rerun it to refresh them). Every value must
//! agree to 1e-9; the adjusted Rand index, computed with exact integers as
//! scikit-learn does, to the last bit. Then properties of the label metrics,
//! and the silhouette's independence from the thread count.

use std::collections::BTreeSet;
use std::hash::Hash;
use std::path::{Path, PathBuf};

use ndarray::Array2;
use proptest::prelude::*;
use serde_json::Value;
use topica::analyze::StopWordList;
use topica::corpus::{Corpus, ReadOptions};
use topica::metrics::{
    LabelScores, adjusted_rand_index, completeness, homogeneity,
    homogeneity_completeness_v_measure, normalized_mutual_info, score_labels, silhouette_cosine,
    silhouette_samples_cosine, v_measure,
};
use topica::vectorize::{SparseMatrix, TfidfVectorizer};

const TOLERANCE: f64 = 1e-9;

fn repo(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(path)
}

fn fixture(name: &str) -> Value {
    let path = repo("tests/fixtures/metrics").join(format!("{name}.json"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn assert_close(what: &str, got: f64, want: f64) {
    assert!(
        (got - want).abs() <= TOLERANCE,
        "{what}: topica {got} against scikit-learn {want} (difference {:e})",
        (got - want).abs()
    );
}

fn expected_scores(case: &Value) -> LabelScores {
    let get = |key: &str| case[key].as_f64().unwrap_or_else(|| panic!("no {key}"));
    // The exact value, from Rust's correctly rounded parser (serde_json's
    // default one can be 1 ulp off); the number itself agrees to 1e-15.
    let ari: f64 = case["adjusted_rand_index_text"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((ari - get("adjusted_rand_index")).abs() < 1e-15);
    LabelScores {
        adjusted_rand_index: ari,
        normalized_mutual_info: get("normalized_mutual_info"),
        homogeneity: get("homogeneity"),
        completeness: get("completeness"),
        v_measure: get("v_measure"),
    }
}

/// Every label metric of `pred` against `truth` matches `want`, and the
/// single-score functions match [`score_labels`] exactly.
fn check_labels<A: Hash + Eq, B: Hash + Eq>(
    name: &str,
    truth: &[A],
    pred: &[B],
    want: &LabelScores,
) {
    let got = score_labels(truth, pred).unwrap();
    assert_eq!(
        got.adjusted_rand_index, want.adjusted_rand_index,
        "{name}: ARI not bit-identical"
    );
    assert_close(
        &format!("{name}: NMI"),
        got.normalized_mutual_info,
        want.normalized_mutual_info,
    );
    assert_close(
        &format!("{name}: homogeneity"),
        got.homogeneity,
        want.homogeneity,
    );
    assert_close(
        &format!("{name}: completeness"),
        got.completeness,
        want.completeness,
    );
    assert_close(&format!("{name}: V-measure"), got.v_measure, want.v_measure);

    assert_eq!(
        adjusted_rand_index(truth, pred).unwrap(),
        got.adjusted_rand_index,
        "{name}"
    );
    assert_eq!(
        normalized_mutual_info(truth, pred).unwrap(),
        got.normalized_mutual_info,
        "{name}"
    );
    let hcv = (got.homogeneity, got.completeness, got.v_measure);
    assert_eq!(
        homogeneity_completeness_v_measure(truth, pred).unwrap(),
        hcv,
        "{name}"
    );
    assert_eq!(homogeneity(truth, pred).unwrap(), got.homogeneity, "{name}");
    assert_eq!(
        completeness(truth, pred).unwrap(),
        got.completeness,
        "{name}"
    );
    assert_eq!(v_measure(truth, pred).unwrap(), got.v_measure, "{name}");
}

fn ints(v: &Value) -> Option<Vec<i64>> {
    v.as_array().unwrap().iter().map(Value::as_i64).collect()
}

fn strings(v: &Value) -> Vec<String> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_str().unwrap().to_string())
        .collect()
}

#[test]
fn label_metrics_match_scikit_learn() {
    let f = fixture("labels");
    let cases = f["cases"].as_array().unwrap();
    assert!(cases.len() > 50, "{} cases", cases.len());
    let mut strings_seen = 0;
    for case in cases {
        let name = case["name"].as_str().unwrap();
        let want = expected_scores(case);
        let (truth, pred) = (&case["truth"], &case["pred"]);
        match (ints(truth), ints(pred)) {
            (Some(t), Some(p)) => check_labels(name, &t, &p, &want),
            (None, Some(p)) => {
                strings_seen += 1;
                check_labels(name, &strings(truth), &p, &want)
            }
            (Some(t), None) => check_labels(name, &t, &strings(pred), &want),
            (None, None) => {
                strings_seen += 1;
                let (t, p) = (strings(truth), strings(pred));
                check_labels(name, &t, &p, &want);
                // Borrowed labels work the same.
                let t: Vec<&str> = t.iter().map(String::as_str).collect();
                let p: Vec<&str> = p.iter().map(String::as_str).collect();
                check_labels(name, &t, &p, &want);
            }
        }
    }
    assert_eq!(strings_seen, 3);
}

/// `i % modulus` or `(31 i^2 + 17 i + 5) % modulus`, as the script builds them.
fn formula_labels(n: i64, spec: &Value) -> Vec<i64> {
    let modulus = spec["modulus"].as_i64().unwrap();
    let quadratic = spec["quadratic"].as_bool().unwrap();
    (0..n)
        .map(|i| {
            if quadratic {
                (31 * i * i + 17 * i + 5) % modulus
            } else {
                i % modulus
            }
        })
        .collect()
}

#[test]
fn label_metrics_match_scikit_learn_on_large_labelings() {
    let f = fixture("labels");
    let formulas = f["formulas"].as_array().unwrap();
    assert_eq!(formulas.len(), 4);
    for case in formulas {
        let name = case["name"].as_str().unwrap();
        let n = case["n"].as_i64().unwrap();
        let truth = formula_labels(n, &case["truth"]);
        let pred = formula_labels(n, &case["pred"]);
        check_labels(name, &truth, &pred, &expected_scores(case));
    }
}

#[test]
fn edge_cases_have_scikit_learns_exact_values() {
    let f = fixture("labels");
    let find = |name: &str| {
        f["cases"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["name"] == name)
            .unwrap_or_else(|| panic!("no case {name}"))
            .clone()
    };
    for (name, ari, nmi, h, c, v) in [
        ("identical", 1.0, 1.0, 1.0, 1.0, 1.0),
        ("one cluster both", 1.0, 1.0, 1.0, 1.0, 1.0),
        ("all singletons both", 1.0, 1.0, 1.0, 1.0, 1.0),
        ("one cluster truth", 0.0, 0.0, 1.0, 0.0, 0.0),
        ("one cluster pred", 0.0, 0.0, 0.0, 1.0, 0.0),
        ("independent", -0.5, 0.0, 0.0, 0.0, 0.0),
        ("one sample", 1.0, 1.0, 1.0, 1.0, 1.0),
    ] {
        let case = find(name);
        let got = score_labels(
            &ints(&case["truth"]).unwrap(),
            &ints(&case["pred"]).unwrap(),
        )
        .unwrap();
        let want = LabelScores {
            adjusted_rand_index: ari,
            normalized_mutual_info: nmi,
            homogeneity: h,
            completeness: c,
            v_measure: v,
        };
        assert_eq!(got, want, "{name}");
        assert_eq!(
            expected_scores(&case),
            want,
            "{name}: the fixture disagrees"
        );
    }
    // scikit-learn gives 1 + 2e-16 on a renamed labeling; topica clamps to 1.
    let case = find("renamed");
    let got = score_labels(
        &ints(&case["truth"]).unwrap(),
        &ints(&case["pred"]).unwrap(),
    )
    .unwrap();
    assert_eq!(got.normalized_mutual_info, 1.0);
    assert_eq!(got.v_measure, 1.0);
}

#[test]
fn label_metrics_refuse_bad_input() {
    let err = score_labels(&[1, 2, 3], &[1, 2]).unwrap_err();
    assert!(matches!(err, topica::Error::Fit(_)), "{err:?}");
    assert!(
        err.to_string().contains("differ in length (3 and 2)"),
        "{err}"
    );
    let none: [&str; 0] = [];
    let err = adjusted_rand_index(&none, &none).unwrap_err();
    assert!(err.to_string().contains("at least one sample"), "{err}");
}

fn dense(x: &Value) -> Array2<f64> {
    let rows: Vec<Vec<f64>> = x
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            r.as_array()
                .unwrap()
                .iter()
                .map(|v| v.as_f64().unwrap())
                .collect()
        })
        .collect();
    let (n, d) = (rows.len(), rows[0].len());
    Array2::from_shape_vec((n, d), rows.concat()).unwrap()
}

fn to_sparse(x: &Array2<f64>) -> SparseMatrix<f64> {
    let mut tri = sprs::TriMatI::<f64, u32>::new(x.dim());
    for ((i, j), &v) in x.indexed_iter() {
        if v != 0.0 {
            tri.add_triplet(i, j, v);
        }
    }
    tri.to_csr()
}

fn usizes(v: &Value) -> Vec<usize> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_u64().unwrap() as usize)
        .collect()
}

fn check_silhouette<R: topica::cluster::Rows>(name: &str, x: &R, labels: &[usize], case: &Value) {
    let samples = silhouette_samples_cosine(x, labels).unwrap();
    let want = case["samples"].as_array().unwrap();
    assert_eq!(samples.len(), want.len(), "{name}");
    for (i, (got, want)) in samples.iter().zip(want).enumerate() {
        assert_close(&format!("{name}: sample {i}"), *got, want.as_f64().unwrap());
    }
    let score = silhouette_cosine(x, labels).unwrap();
    assert_close(
        &format!("{name}: score"),
        score,
        case["score"].as_f64().unwrap(),
    );
}

fn silhouette_case(name: &str) -> Value {
    fixture("silhouette")["cases"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["name"] == name)
        .unwrap_or_else(|| panic!("no case {name}"))
        .clone()
}

#[test]
fn silhouette_matches_scikit_learn_on_small_matrices() {
    for name in ["dense zero row", "dense two clusters", "sparse random"] {
        let case = silhouette_case(name);
        let x = dense(&case["x"]);
        let labels = usizes(&case["labels"]);
        check_silhouette(&format!("{name} (dense)"), &x.view(), &labels, &case);
        check_silhouette(&format!("{name} (sparse)"), &to_sparse(&x), &labels, &case);
    }
    // The zero row is really there, and the singleton cluster scores 0.
    let case = silhouette_case("dense zero row");
    assert!(dense(&case["x"]).row(3).iter().all(|&v| v == 0.0));
    assert_eq!(case["samples"][5].as_f64(), Some(0.0));
}

/// The 74 news paragraphs as topica reads them, their TF-IDF (English stop
/// words) and their hand labels from `data/news-labels.csv`, numbered in the
/// sorted order of the label names as the script numbers them.
fn news() -> (Corpus, SparseMatrix<f64>, Vec<usize>) {
    let corpus = Corpus::read(&[repo("data/news")], &ReadOptions::default()).unwrap();
    assert_eq!(corpus.documents.len(), 74);
    let (_, x) = TfidfVectorizer::params()
        .stop_words(Some(StopWordList::English))
        .fit_transform(&corpus.texts())
        .unwrap();
    let mut reader = csv::Reader::from_path(repo("data/news-labels.csv")).unwrap();
    let by_id: std::collections::HashMap<String, String> = reader
        .records()
        .map(|r| {
            let r = r.unwrap();
            (r[0].to_string(), r[1].to_string())
        })
        .collect();
    assert_eq!(by_id.len(), 74, "one label per paragraph");
    let names: Vec<&String> = by_id
        .values()
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    let labels = corpus
        .documents
        .iter()
        .map(|d| {
            let label = by_id
                .get(&d.id)
                .unwrap_or_else(|| panic!("no label for {}", d.id));
            names.iter().position(|n| *n == label).unwrap()
        })
        .collect();
    (corpus, x.into_parts().0, labels)
}

#[test]
fn silhouette_matches_scikit_learn_on_the_news_paragraphs() {
    let (corpus, x, labels) = news();
    let case = silhouette_case("news hand labels");
    let ids: Vec<&str> = corpus.documents.iter().map(|d| d.id.as_str()).collect();
    let want_ids: Vec<&str> = case["ids"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    assert_eq!(ids, want_ids);
    assert_eq!(labels, usizes(&case["labels"]));
    assert_eq!(vec![x.rows(), x.cols()], usizes(&case["shape"]));
    // The paragraph `in` is all stop words: a zero row, at distance 1 from all.
    let zero_rows: Vec<usize> = (0..x.rows())
        .filter(|&i| x.outer_view(i).unwrap().nnz() == 0)
        .collect();
    assert_eq!(zero_rows, usizes(&case["zero_rows"]));
    assert!(!zero_rows.is_empty());
    check_silhouette("news hand labels", &x, &labels, &case);

    let case = silhouette_case("news by article");
    let articles: Vec<usize> = corpus
        .documents
        .iter()
        .map(|d| d.id[..2].parse().unwrap())
        .collect();
    assert_eq!(articles, usizes(&case["labels"]));
    check_silhouette("news by article", &x, &articles, &case);
}

#[test]
fn silhouette_refuses_what_scikit_learn_refuses() {
    let (_, x, labels) = news();
    let err = silhouette_cosine(&x, &vec![3; 74]).unwrap_err();
    assert!(err.to_string().contains("number of labels is 1"), "{err}");
    let singletons: Vec<usize> = (0..74).collect();
    let err = silhouette_cosine(&x, &singletons).unwrap_err();
    assert!(err.to_string().contains("number of labels is 74"), "{err}");
    let err = silhouette_cosine(&x, &labels[..73]).unwrap_err();
    assert!(err.to_string().contains("73 labels for 74 rows"), "{err}");
}

#[test]
fn silhouette_is_the_same_whatever_the_thread_count() {
    // 2,000 rows (several parallel chunks) of a pseudo-random sparse matrix.
    let (n, dim) = (2000usize, 300usize);
    let mut state = 0x9E37_79B9_7F4A_7C15u64;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    let mut tri = sprs::TriMatI::<f64, u32>::new((n, dim));
    for i in 0..n {
        for _ in 0..(next() % 12) {
            let j = (next() % dim as u64) as usize;
            tri.add_triplet(i, j, (next() % 1000) as f64 / 100.0);
        }
    }
    let x: SparseMatrix<f64> = tri.to_csr();
    let labels: Vec<usize> = (0..n).map(|_| (next() % 7) as usize).collect();
    let run = |threads: usize| {
        rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap()
            .install(|| silhouette_samples_cosine(&x, &labels).unwrap())
    };
    let one = run(1);
    assert!(one.iter().all(|s| (-1.0..=1.0).contains(s)));
    assert_eq!(one, run(2));
    assert_eq!(one, run(5));
}

fn labeling() -> impl Strategy<Value = (Vec<u8>, Vec<u8>)> {
    (1usize..80, 1u8..8, 1u8..8).prop_flat_map(|(n, a, b)| {
        (
            prop::collection::vec(0..a, n),
            prop::collection::vec(0..b, n),
        )
    })
}

proptest! {
    #[test]
    fn ari_of_a_labeling_with_itself_or_a_renaming_is_one((truth, _) in labeling()) {
        prop_assert_eq!(adjusted_rand_index(&truth, &truth).unwrap(), 1.0);
        let renamed: Vec<String> = truth.iter().map(|l| format!("topic {}", 7 - l)).collect();
        prop_assert_eq!(adjusted_rand_index(&truth, &renamed).unwrap(), 1.0);
        let s = score_labels(&truth, &renamed).unwrap();
        prop_assert_eq!(s.normalized_mutual_info, 1.0);
        prop_assert_eq!(s.v_measure, 1.0);
    }

    #[test]
    fn ari_is_symmetric((truth, pred) in labeling()) {
        let ari = adjusted_rand_index(&truth, &pred).unwrap();
        prop_assert_eq!(ari, adjusted_rand_index(&pred, &truth).unwrap());
        prop_assert!((-0.5..=1.0).contains(&ari), "{}", ari);
    }

    #[test]
    fn information_scores_are_in_unit_interval_and_mirror((truth, pred) in labeling()) {
        let s = score_labels(&truth, &pred).unwrap();
        for v in [s.normalized_mutual_info, s.homogeneity, s.completeness, s.v_measure] {
            prop_assert!((0.0..=1.0).contains(&v), "{:?}", s);
        }
        let r = score_labels(&pred, &truth).unwrap();
        prop_assert!((s.normalized_mutual_info - r.normalized_mutual_info).abs() < 1e-12);
        prop_assert!((s.homogeneity - r.completeness).abs() < 1e-12);
        prop_assert!((s.completeness - r.homogeneity).abs() < 1e-12);
        prop_assert!((s.v_measure - r.v_measure).abs() < 1e-12);
    }
}
