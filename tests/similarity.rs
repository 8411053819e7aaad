//! The similarity index against scikit-learn (fixtures written by
//! `tests/sklearn_similarity.py`): `cosine_similarity` and
//! `NearestNeighbors(metric="cosine", algorithm="brute")` on the 74 paragraphs
//! of `data/news` and, when `TOPICA_DATA_DIR` is set, on every 9th post of
//! 20 Newsgroups; near-duplicates across the bundled articles; zero vectors;
//! determinism across thread counts; bad input.

mod common;

use std::path::Path;

use serde_json::Value;
use topica::analyze::StopWordList;
use topica::corpus::{Corpus, ReadOptions};
use topica::reduce::{TruncatedSvd, normalize_rows};
use topica::similarity::{Hit, SimilarityIndex, SimilarityParams, Space};
use topica::vectorize::{TfidfParams, TfidfVectorizer};

const TOL: f64 = 1e-9;

fn fixture(name: &str) -> Value {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/similarity")
        .join(format!("{name}.json"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn floats(v: &Value) -> Vec<f64> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_f64().unwrap())
        .collect()
}

fn news() -> Corpus {
    Corpus::read(&["data/news"], &ReadOptions::default()).unwrap()
}

/// An index of `corpus` with the vectorizer `tfidf` and the index `params`.
fn index_of(corpus: &Corpus, tfidf: TfidfParams, params: SimilarityParams) -> SimilarityIndex {
    let (model, x) = tfidf.fit_transform(&corpus.texts()).unwrap();
    let ids = corpus.documents.iter().map(|d| d.id.clone()).collect();
    let sources = corpus
        .documents
        .iter()
        .map(|d| d.source.to_string())
        .collect();
    params.build(&model, x.matrix(), ids, sources).unwrap()
}

fn news_index() -> SimilarityIndex {
    index_of(
        &news(),
        TfidfVectorizer::params(),
        SimilarityIndex::params(),
    )
}

/// The configuration of issue 1, where "in" and "Tagcloud:" keep no term.
fn issue_tfidf() -> TfidfParams {
    TfidfVectorizer::params()
        .stop_words(Some(StopWordList::English))
        .sublinear_tf(true)
        .min_df(2u64)
        .max_df(0.5)
        .ngram_range(1, 2)
}

/// Asserts that `got` (best first) is scikit-learn's neighbour list
/// `expected` (`(id, score)`, best first, positive scores only) ties aside:
/// the same scores within 1e-9, and the same ids where a score is not tied
/// with its neighbours in either list. `next` is the score after the last of
/// `got`, if any (a tie with it makes the last id free).
fn assert_same_neighbors(got: &[Hit], next: Option<f64>, expected: &[(String, f64)], what: &str) {
    assert_eq!(
        got.len(),
        expected.len(),
        "{what}: {} neighbours, scikit-learn has {}",
        got.len(),
        expected.len()
    );
    let scores: Vec<f64> = got.iter().map(|h| h.score).chain(next).collect();
    for (k, (hit, (id, score))) in got.iter().zip(expected).enumerate() {
        assert!(
            (hit.score - score).abs() <= TOL,
            "{what}: neighbour {k} scores {} against scikit-learn's {score}",
            hit.score
        );
        let tied = (k > 0 && (scores[k - 1] - scores[k]).abs() <= TOL)
            || (k + 1 < scores.len() && (scores[k + 1] - scores[k]).abs() <= TOL)
            || (k > 0 && (expected[k - 1].1 - score).abs() <= TOL)
            || (k + 1 < expected.len() && (expected[k + 1].1 - score).abs() <= TOL);
        if !tied {
            assert_eq!(&hit.id, id, "{what}: neighbour {k}");
        }
    }
}

#[test]
fn news_scores_match_cosine_similarity() {
    let f = fixture("news_cosine");
    let index = news_index();
    let ids: Vec<&str> = f["ids"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    assert_eq!(index.ids(), ids.as_slice());
    let cosine: Vec<Vec<f64>> = f["cosine"].as_array().unwrap().iter().map(floats).collect();
    let n = index.len();
    let mut checked = 0;
    for (i, id) in ids.iter().enumerate() {
        let mut got = vec![0.0; n];
        for hit in index.query_id(id, n, f64::NEG_INFINITY).unwrap() {
            assert!(hit.score > 0.0 && hit.score <= 1.0, "{id}: {hit:?}");
            assert_ne!(hit.index, i, "{id} is its own neighbour");
            got[hit.index] = hit.score;
        }
        for j in (0..n).filter(|&j| j != i) {
            assert!(
                (got[j] - cosine[i][j]).abs() <= TOL,
                "{id} against {}: {} but scikit-learn says {}",
                ids[j],
                got[j],
                cosine[i][j]
            );
            checked += 1;
        }
    }
    assert_eq!(checked, 74 * 73);
}

#[test]
fn news_neighbors_match_nearest_neighbors() {
    let f = fixture("news_cosine");
    let index = news_index();
    let ids = index.ids().to_vec();
    let indices = f["knn_indices"].as_array().unwrap();
    let distances = f["knn_distances"].as_array().unwrap();
    let graph = index.neighbors(11).unwrap();
    for (i, hits) in graph.iter().enumerate() {
        let expected: Vec<(String, f64)> = indices[i]
            .as_array()
            .unwrap()
            .iter()
            .zip(floats(&distances[i]))
            .map(|(j, d)| (j.as_u64().unwrap() as usize, 1.0 - d))
            .filter(|&(j, _)| j != i)
            .take(10)
            .filter(|&(_, s)| s > TOL)
            .map(|(j, s)| (ids[j].clone(), s))
            .collect();
        let next = hits.get(10).map(|h| h.score);
        let top10 = &hits[..hits.len().min(10)];
        assert_same_neighbors(top10, next, &expected, &ids[i]);
        // The all-pairs graph is the per-document query.
        assert_eq!(
            hits,
            &index.query_id(&ids[i], 11, f64::NEG_INFINITY).unwrap()
        );
    }
}

#[test]
fn newsgroups_neighbors_match_nearest_neighbors() {
    let Some(path) = common::reference("20newsgroups.jsonl") else {
        eprintln!("skipped: set TOPICA_DATA_DIR to compare with scikit-learn on 20 Newsgroups");
        return;
    };
    let f = fixture("newsgroups_knn");
    let step = f["step"].as_u64().unwrap() as usize;
    let corpus = Corpus::read(&[path], &ReadOptions::default()).unwrap();
    let documents: Vec<_> = corpus.documents.into_iter().step_by(step).collect();
    let texts: Vec<&str> = documents.iter().map(|d| d.text.as_str()).collect();
    let ids: Vec<String> = documents.iter().map(|d| d.id.clone()).collect();
    let expected_ids: Vec<&str> = f["ids"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    assert_eq!(ids, expected_ids);
    let (model, x) = TfidfVectorizer::params().fit_transform(&texts).unwrap();
    let sources = vec!["20newsgroups.jsonl".to_string(); ids.len()];
    let index = SimilarityIndex::params()
        .build(&model, x.matrix(), ids.clone(), sources)
        .unwrap();
    let graph = index.neighbors(11).unwrap();
    let neighbors = f["neighbors"].as_array().unwrap();
    assert_eq!(graph.len(), neighbors.len());
    for (i, (hits, want)) in graph.iter().zip(neighbors).enumerate() {
        let expected: Vec<(String, f64)> = want["rows"]
            .as_array()
            .unwrap()
            .iter()
            .zip(floats(&want["scores"]))
            .filter(|&(_, s)| s > TOL)
            .map(|(j, s)| (ids[j.as_u64().unwrap() as usize].clone(), s))
            .collect();
        let next = hits.get(10).map(|h| h.score);
        assert_same_neighbors(&hits[..hits.len().min(10)], next, &expected, &ids[i]);
    }
}

#[test]
fn news_duplicates_across_sources_are_the_shared_quotes() {
    let index = news_index();
    let named = |groups: Vec<topica::similarity::DuplicateGroup>| -> Vec<Vec<String>> {
        groups
            .iter()
            .map(|g| g.members.iter().map(|&m| index.ids()[m].clone()).collect())
            .collect()
    };
    let groups = index.duplicates(0.8, true).unwrap();
    for g in &groups {
        for &(i, j, s) in &g.pairs {
            assert!(i < j && (0.8..=1.0).contains(&s), "{g:?}");
        }
    }
    let gript = "01-gript-home-office-monitors-musk.txt";
    let bbc = "02-bbc-officials-monitor-musk-posts.txt";
    assert_eq!(
        named(groups),
        vec![
            // "A Home Office spokesperson said: While we can't comment..."
            vec![format!("{gript}#6"), format!("{bbc}#4")],
            // Rupert Lowe: "I have asked the Home Office how many..."
            vec![format!("{gript}#15"), format!("{bbc}#15")],
            // "They will spy on Musk's online activity..."
            vec![format!("{gript}#16"), format!("{bbc}#16")],
        ]
    );
    // Within one source, Haigh's call to leave X, said twice.
    let all = named(index.duplicates(0.8, false).unwrap());
    assert_eq!(all.len(), 4);
    assert_eq!(
        all[3],
        vec![
            "03-independent-haigh-quit-x.txt#4".to_string(),
            "03-independent-haigh-quit-x.txt#13".to_string()
        ]
    );
    // A threshold of 1 keeps the identical texts (punctuation aside).
    let exact = index.duplicates(1.0 - 1e-12, true).unwrap();
    assert_eq!(exact.len(), 2);
}

#[test]
fn zero_vectors_have_no_neighbours() {
    let corpus = news();
    let index = index_of(&corpus, issue_tfidf(), SimilarityIndex::params());
    let zero: Vec<usize> = corpus
        .documents
        .iter()
        .enumerate()
        .filter(|(_, d)| d.text == "in" || d.text == "Tagcloud:")
        .map(|(i, _)| i)
        .collect();
    assert_eq!(zero.len(), 2);
    let graph = index.neighbors(10).unwrap();
    for &z in &zero {
        assert!(graph[z].is_empty(), "{}: {:?}", index.ids()[z], graph[z]);
        assert!(
            index
                .query_id(&index.ids()[z], 5, f64::NEG_INFINITY)
                .unwrap()
                .is_empty()
        );
    }
    for hits in &graph {
        for hit in hits {
            assert!(!zero.contains(&hit.index) && hit.score > 0.0 && hit.score.is_finite());
        }
    }
    // The same in LSA space.
    let lsa = index_of(
        &corpus,
        issue_tfidf(),
        SimilarityIndex::params().space(Space::Lsa).n_components(10),
    );
    let graph = lsa.neighbors(10).unwrap();
    for &z in &zero {
        assert!(graph[z].is_empty());
    }
    assert!(
        graph
            .iter()
            .flatten()
            .all(|h| !zero.contains(&h.index) && h.score.is_finite())
    );
}

#[test]
fn lsa_scores_are_cosines_of_the_reduced_rows() {
    let corpus = news();
    let (model, x) = TfidfVectorizer::params()
        .fit_transform(&corpus.texts())
        .unwrap();
    let ids: Vec<String> = corpus.documents.iter().map(|d| d.id.clone()).collect();
    let sources = corpus
        .documents
        .iter()
        .map(|d| d.source.to_string())
        .collect();
    let index = SimilarityIndex::params()
        .space(Space::Lsa)
        .n_components(20)
        .seed(3)
        .build(&model, x.matrix(), ids, sources)
        .unwrap();
    let (_, mut z) = TruncatedSvd::params(20)
        .seed(3)
        .fit_transform(x.matrix())
        .unwrap();
    normalize_rows(&mut z);
    let graph = index.neighbors(5).unwrap();
    for (i, hits) in graph.iter().enumerate() {
        let mut brute: Vec<(usize, f64)> = (0..z.nrows())
            .filter(|&j| j != i)
            .map(|j| (j, z.row(i).dot(&z.row(j))))
            .filter(|&(_, s)| s > 0.0)
            .collect();
        brute.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        brute.truncate(5);
        assert_eq!(hits.len(), brute.len());
        for (hit, (j, s)) in hits.iter().zip(&brute) {
            assert!(
                (hit.score - s).abs() <= TOL,
                "row {i}: {hit:?} against {j} {s}"
            );
        }
    }
    // A text query lands near the paragraphs it was taken from.
    let found = index
        .query_text("They will spy on Musk's online activity", 2, 0.0)
        .unwrap();
    assert!(
        found.hits.iter().all(|h| h.id.ends_with("#16")),
        "{found:?}"
    );
}

#[test]
fn text_queries() {
    let index = news_index();
    let found = index
        .query_text("Home Office spokesperson", 3, 0.0)
        .unwrap();
    assert!(found.warning.is_none());
    let ids: Vec<&str> = found.hits.iter().map(|h| h.id.as_str()).collect();
    assert_eq!(
        ids,
        [
            "01-gript-home-office-monitors-musk.txt#6",
            "02-bbc-officials-monitor-musk-posts.txt#4",
            "01-gript-home-office-monitors-musk.txt#0"
        ]
    );
    // min_score cuts the list.
    let high = index
        .query_text("Home Office spokesperson", 3, 0.25)
        .unwrap();
    assert_eq!(high.hits.len(), 2);
    // No known term: no hits, a warning.
    let none = index.query_text("qwxz zzyzx", 5, 0.0).unwrap();
    assert!(none.hits.is_empty());
    assert!(none.warning.unwrap().contains("vocabulary"));
    // Batch answers equal the single ones, in order.
    let texts = ["Musk", "", "Haigh quits X", "the Home Office"];
    let batch = index.query_texts(&texts, 4, 0.0).unwrap();
    for (text, answer) in texts.iter().zip(&batch) {
        assert_eq!(answer, &index.query_text(text, 4, 0.0).unwrap());
    }
    assert!(batch[1].warning.is_some());
}

#[test]
fn neighbors_are_the_same_with_one_or_two_threads() {
    let corpus = news();
    for params in [
        SimilarityIndex::params(),
        SimilarityIndex::params().space(Space::Lsa).n_components(30),
    ] {
        let index = index_of(&corpus, TfidfVectorizer::params(), params);
        let run = |threads: usize| {
            rayon::ThreadPoolBuilder::new()
                .num_threads(threads)
                .build()
                .unwrap()
                .install(|| {
                    (
                        index.neighbors(7).unwrap(),
                        index.duplicates(0.5, false).unwrap(),
                        index.query_texts(&["Musk", "Home Office"], 5, 0.0).unwrap(),
                    )
                })
        };
        let one = run(1);
        let two = run(2);
        // Bitwise: compare the scores' bits, not within a tolerance.
        let bits = |g: &Vec<Vec<Hit>>| -> Vec<Vec<(usize, u64)>> {
            g.iter()
                .map(|hits| hits.iter().map(|h| (h.index, h.score.to_bits())).collect())
                .collect()
        };
        assert_eq!(bits(&one.0), bits(&two.0));
        assert_eq!(one.1, two.1);
        assert_eq!(one.2, two.2);
    }
}

#[test]
fn bad_input_is_refused_clearly() {
    let index = news_index();
    let err = index
        .query_id("02-bbc-officials-monitor-musk-posts.txt#99", 3, 0.0)
        .unwrap_err();
    let message = err.to_string();
    assert!(
        message.contains("\"02-bbc-officials-monitor-musk-posts.txt#99\""),
        "{message}"
    );
    assert!(
        message.contains("did you mean \"02-bbc-officials-monitor-musk-posts.txt#9\""),
        "{message}"
    );
    assert!(!err.is_usage());
    let far = index
        .query_id("nothing like it", 3, 0.0)
        .unwrap_err()
        .to_string();
    assert!(
        far.contains("no document has the id") && !far.contains("did you mean"),
        "{far}"
    );

    let top = index.neighbors(0).unwrap_err();
    assert!(
        top.is_usage() && top.to_string().contains("invalid top"),
        "{top}"
    );
    assert!(index.query_text("Musk", 0, 0.0).unwrap_err().is_usage());
    assert!(index.query_texts(&["Musk"], 0, 0.0).unwrap_err().is_usage());
    assert!(
        index
            .query_id(&index.ids()[0], 0, 0.0)
            .unwrap_err()
            .is_usage()
    );
    assert!(
        index
            .query_text("Musk", 3, f64::NAN)
            .unwrap_err()
            .is_usage()
    );
    for threshold in [-0.1, 1.01, f64::NAN] {
        let err = index.duplicates(threshold, false).unwrap_err();
        assert!(err.is_usage(), "{threshold}: {err}");
        assert!(err.to_string().contains("invalid threshold"), "{err}");
    }

    // Building: one id and one source per row, the model's own matrix.
    let corpus = news();
    let (model, x) = TfidfVectorizer::params()
        .fit_transform(&corpus.texts())
        .unwrap();
    let err = SimilarityIndex::params()
        .build(&model, x.matrix(), vec!["a".into()], vec!["s".into()])
        .unwrap_err();
    assert!(err.to_string().contains("74 rows but 1 ids"), "{err}");
    let (other, y) = TfidfVectorizer::params()
        .fit_transform(&["just two words"])
        .unwrap();
    let err = SimilarityIndex::params()
        .build(
            &other,
            x.matrix(),
            index.ids().to_vec(),
            index.sources().to_vec(),
        )
        .unwrap_err();
    assert!(err.to_string().contains("terms"), "{err}");
    drop(y);
    let err = SimilarityIndex::params()
        .space(Space::Lsa)
        .n_components(0)
        .build(
            &model,
            x.matrix(),
            index.ids().to_vec(),
            index.sources().to_vec(),
        )
        .unwrap_err();
    assert!(err.is_usage());
    assert_eq!("lsa".parse::<Space>().unwrap(), Space::Lsa);
    assert!("dense".parse::<Space>().is_err());
}
