//! Property tests (issue 6) on real-looking inputs: what must hold for every
//! corpus, matrix and labeling, not only for the fixtures.
//!
//! - TF-IDF rows have unit L2 norm or are all zero, with many parameter sets;
//! - `fit_transform` equals `fit` then `transform` (bitwise, same vocabulary);
//! - the vocabulary is sorted and pruning keeps exactly the terms whose
//!   document frequency, counted by hand from the analyzer's output, lies
//!   within `min_df`/`max_df` (and `max_features`); no term left is an `Err`;
//! - spherical k-means never returns an empty cluster and its (maximised)
//!   objective never falls from `max_iter = t` to `t + 1`;
//! - every linkage's merge heights are monotone, and each height is the
//!   linkage criterion of the two clusters it merges, recomputed by hand;
//! - similarity scores lie in [-1, 1] without NaN, come best first, and are
//!   the brute-force cosines;
//! - ARI is 1 for a labeling against itself or a renaming of it, and
//!   symmetric; NMI, homogeneity, completeness and V-measure lie in [0, 1].
//!
//! Inputs are drawn from words as text has them: content words, English stop
//! words, accented, combining, non-Latin and CJK words, numbers, punctuation,
//! emoji, URLs, empty and stop-word-only paragraphs, arbitrary printable
//! Unicode, and the paragraphs of `data/news`.
//!
//! Runs are reproducible: every property draws from a ChaCha RNG seeded from
//! its name (and `TOPICA_PROPTEST_SEED`, default 0, to explore other cases),
//! with no failure persistence; `PROPTEST_CASES` overrides the case counts.
//! A failure panics with the minimal (shrunk) input.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fmt::Debug;
use std::sync::OnceLock;

use proptest::prelude::*;
use proptest::sample::{Index, select};
use proptest::test_runner::{Config, RngAlgorithm, TestCaseResult, TestError, TestRng, TestRunner};
use topica::analyze::{AnalyzerKind, Language, StopWordList, StripAccents};
use topica::cluster::hierarchical::{Cut, Hierarchical, Linkage, linkage_matrix};
use topica::cluster::{Algorithm, SphericalKMeans};
use topica::corpus::{Corpus, ReadOptions};
use topica::metrics::{adjusted_rand_index, score_labels};
use topica::similarity::{Hit, SimilarityIndex, Space};
use topica::vectorize::{DocFreq, SparseMatrix, TfidfParams, TfidfVectorizer};

// ---------------------------------------------------------------------------
// The runner: a fixed seed per property.
// ---------------------------------------------------------------------------

/// Runs `test` on `cases` inputs drawn from `strategy` with an RNG seeded
/// from `name`, and panics with the shrunk input if one fails.
fn check<S>(name: &str, cases: u32, strategy: S, test: impl Fn(S::Value) -> TestCaseResult)
where
    S: Strategy,
    S::Value: Debug,
{
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|c| c.parse().ok())
        .unwrap_or(cases);
    let base: u64 = std::env::var("TOPICA_PROPTEST_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let config = Config {
        cases,
        failure_persistence: None,
        rng_algorithm: RngAlgorithm::ChaCha,
        ..Config::default()
    };
    let mut runner = TestRunner::new_with_rng(
        config,
        TestRng::from_seed(RngAlgorithm::ChaCha, &seed(name, base)),
    );
    match runner.run(&strategy, test) {
        Ok(()) => eprintln!("{name}: {cases} cases passed (seed {base})"),
        Err(TestError::Fail(why, input)) => {
            panic!("{name} fails (seed {base}): {why}\nminimal input: {input:#?}")
        }
        Err(TestError::Abort(why)) => panic!("{name} aborted (seed {base}): {why}"),
    }
}

/// 32 bytes from `name` and `base` (FNV-1a, then SplitMix64).
fn seed(name: &str, base: u64) -> [u8; 32] {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325 ^ base;
    for b in name.bytes() {
        h = (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
    }
    let mut out = [0u8; 32];
    for chunk in out.chunks_mut(8) {
        h = h.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = h;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        chunk.copy_from_slice(&(z ^ (z >> 31)).to_le_bytes());
    }
    out
}

// ---------------------------------------------------------------------------
// Generators of real-looking text.
// ---------------------------------------------------------------------------

#[rustfmt::skip]
const WORDS: &[&str] = &[
    // Content words of the bundled news.
    "government", "inquiry", "Musk", "posts", "platform", "Grok", "images", "security",
    "Home", "Office", "monitoring", "abuse", "grooming", "victims", "Labour", "minister",
    "internet", "report", "transport", "Haigh", "said", "action", "national", "cases",
    "monitors", "monitored", "monitor",
    // English stop words.
    "the", "and", "of", "to", "is", "it", "on", "in", "a", "an", "was", "be", "this", "that",
    "with", "The", "AND", "not", "we",
    // Accents (composed and combining), other scripts, ligatures, case folds.
    "café", "naïve", "Zürich", "straße", "ÉCOLE", "école", "e\u{301}cole", "İstanbul",
    "Ελλάδα", "ΣΊΣΥΦΟΣ", "москва", "東京", "北京大学", "ǅemal", "ﬁnance", "Ω", "x²", "١٢٣",
    "naïveté", "coöperate",
    // Numbers and mixed tokens.
    "2024", "3.14", "1,000", "42", "v2", "COVID-19", "e-mail", "foo_bar", "don't", "U.K.",
    "#hashtag", "@user", "http://example.com/a?b=c", "x",
    // Punctuation and symbols.
    ",", ".", "!", "?", "—", "–", "...", "(", ")", "\"", "«", "»", "'", ";", ":", "🙂", "👍🏽",
];

#[rustfmt::skip]
const STOP_WORDS: &[&str] = &["the", "and", "of", "to", "is", "it", "on", "a", "an", "The", "AND"];

#[rustfmt::skip]
const SEPARATORS: &[&str] = &[" ", " ", " ", "  ", "\n", "\t", ", ", ". ", "\u{a0}", ""];

/// The paragraphs of `data/news`.
fn news() -> &'static [String] {
    static NEWS: OnceLock<Vec<String>> = OnceLock::new();
    NEWS.get_or_init(|| {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/data/news");
        let corpus = Corpus::read(&[dir], &ReadOptions::default()).expect("data/news reads");
        corpus.texts().into_iter().map(String::from).collect()
    })
}

/// One paragraph: mostly words and separators, sometimes empty, blank,
/// stop words or punctuation only, arbitrary printable Unicode, or a real
/// paragraph of the news.
fn doc() -> impl Strategy<Value = String> {
    let words = prop::collection::vec((select(WORDS), select(SEPARATORS)), 0..30).prop_map(|v| {
        v.into_iter()
            .map(|(w, s)| format!("{w}{s}"))
            .collect::<String>()
    });
    let stop_only = prop::collection::vec(select(STOP_WORDS), 1..8).prop_map(|v| v.join(" "));
    let odd = select(&["", "   ", "\n\n", "...", "— «» —", "!!", "a b c", "1 2 3"][..])
        .prop_map(String::from);
    prop_oneof![
        10 => words,
        1 => odd,
        1 => stop_only,
        1 => "\\PC{0,40}",
        2 => any::<Index>().prop_map(|i| news()[i.index(news().len())].clone()),
    ]
}

fn corpus(len: std::ops::Range<usize>) -> impl Strategy<Value = Vec<String>> {
    prop::collection::vec(doc(), len)
}

fn doc_freq(default: DocFreq) -> impl Strategy<Value = DocFreq> {
    prop_oneof![
        3 => Just(default),
        2 => (1u64..=5).prop_map(DocFreq::Count),
        2 => select(&[0.0, 0.05, 0.1, 0.25, 0.5, 0.75, 0.9, 1.0][..]).prop_map(DocFreq::Proportion),
        1 => (0.0f64..=1.0).prop_map(DocFreq::Proportion),
        // Invalid bounds: the fit must return an error.
        1 => select(&[DocFreq::Count(0), DocFreq::Proportion(1.5), DocFreq::Proportion(-0.1)][..]),
    ]
}

/// TF-IDF parameters around scikit-learn's defaults (norm l2 always).
fn tfidf_params() -> impl Strategy<Value = TfidfParams> {
    let analysis = (
        prop_oneof![
            6 => Just((AnalyzerKind::Word, (1usize, 1usize))),
            3 => Just((AnalyzerKind::Word, (1, 2))),
            1 => Just((AnalyzerKind::Word, (2, 2))),
            1 => Just((AnalyzerKind::Char, (2, 3))),
            1 => Just((AnalyzerKind::CharWb, (1, 3))),
        ],
        any::<bool>(),
        any::<bool>(),
        select(&[None, Some(StripAccents::Unicode), Some(StripAccents::Ascii)][..]),
        prop::bool::weighted(0.2),
    );
    let weighting = (
        any::<bool>(),
        prop::bool::weighted(0.2),
        prop::bool::weighted(0.8),
        prop::bool::weighted(0.8),
    );
    let pruning = (
        doc_freq(DocFreq::Count(1)),
        doc_freq(DocFreq::Proportion(1.0)),
        prop_oneof![3 => Just(None), 1 => (1usize..20).prop_map(Some)],
    );
    (analysis, weighting, pruning).prop_map(
        |(
            ((analyzer, (lo, hi)), stop, lowercase, strip, stem),
            (sublinear, binary, use_idf, smooth),
            (min_df, max_df, max_features),
        )| {
            let word = analyzer == AnalyzerKind::Word;
            TfidfVectorizer::params()
                .analyzer(analyzer)
                .ngram_range(lo, hi)
                .stop_words((stop && word).then_some(StopWordList::English))
                .stem((stem && word).then_some(Language::English))
                .lowercase(lowercase)
                .strip_accents(strip)
                .sublinear_tf(sublinear)
                .binary(binary)
                .use_idf(use_idf)
                .smooth_idf(smooth)
                .min_df(min_df)
                .max_df(max_df)
                .max_features(max_features)
        },
    )
}

// ---------------------------------------------------------------------------
// Generators of matrices.
// ---------------------------------------------------------------------------

/// A CSR matrix from rows of `(column, value)`; later duplicates win, zeros
/// are not stored.
fn csr(dim: usize, rows: &[Vec<(usize, f64)>]) -> SparseMatrix<f64> {
    let mut indptr = vec![0];
    let mut indices = Vec::new();
    let mut data = Vec::new();
    for row in rows {
        let cells: BTreeMap<usize, f64> = row.iter().copied().collect();
        for (j, v) in cells {
            if v != 0.0 {
                indices.push(j as u32);
                data.push(v);
            }
        }
        indptr.push(indices.len());
    }
    SparseMatrix::new((rows.len(), dim), indptr, indices, data)
}

/// Sparse rows with zero rows and repeated rows (ties): values from a few
/// round numbers, anywhere in (0, 10], or as far as 1e-200 and 1e200 (whose
/// squares leave f64's range: see the test at the end), negative ones with
/// `signed`.
fn synthetic_matrix(
    max_rows: usize,
    max_dim: usize,
    signed: bool,
) -> impl Strategy<Value = SparseMatrix<f64>> {
    (1..=max_rows, 1..=max_dim).prop_flat_map(move |(n, dim)| {
        let value = prop_oneof![
            4 => select(&[0.5, 1.0, 2.0, 3.0][..]),
            4 => 0.01f64..10.0,
            1 => select(&[1e-200, 1e-100, 1e-20, 1e20, 1e100, 1e200][..]),
        ]
        .prop_flat_map(move |v| {
            if signed {
                select(vec![v, -v]).boxed()
            } else {
                Just(v).boxed()
            }
        });
        let row = prop_oneof![
            1 => Just(Vec::new()),
            5 => prop::collection::vec((0..dim, value), 1..=dim.min(8)),
        ];
        (
            Just(dim),
            prop::collection::vec(row, 1..=n),
            prop::collection::vec(any::<Index>(), n),
        )
            .prop_map(|(dim, pool, picks)| {
                let rows: Vec<_> = picks
                    .iter()
                    .map(|i| pool[i.index(pool.len())].clone())
                    .collect();
                csr(dim, &rows)
            })
    })
}

/// The TF-IDF matrix of a generated corpus (default parameters, English stop
/// words half the time).
fn text_matrix(max_rows: usize) -> impl Strategy<Value = SparseMatrix<f64>> {
    (corpus(1..max_rows + 1), any::<bool>()).prop_filter_map(
        "no term in the corpus",
        |(docs, stop)| {
            TfidfVectorizer::params()
                .stop_words(stop.then_some(StopWordList::English))
                .fit_transform(&docs)
                .ok()
                .map(|(_, x)| x.matrix().clone())
        },
    )
}

fn matrix(
    max_rows: usize,
    max_dim: usize,
    signed: bool,
) -> impl Strategy<Value = SparseMatrix<f64>> {
    prop_oneof![
        synthetic_matrix(max_rows, max_dim, signed),
        text_matrix(max_rows)
    ]
}

/// Dense points in a few dimensions (k-means takes many iterations there),
/// some of them zero.
fn point_cloud(max_rows: usize, max_dim: usize) -> impl Strategy<Value = SparseMatrix<f64>> {
    (2..=max_rows, 2..=max_dim).prop_flat_map(|(n, dim)| {
        let point = prop_oneof![
            1 => Just(Vec::new()),
            9 => prop::collection::vec(-1.0f64..1.0, dim)
                .prop_map(|v| v.into_iter().enumerate().collect::<Vec<_>>()),
        ];
        (Just(dim), prop::collection::vec(point, n)).prop_map(|(dim, rows)| csr(dim, &rows))
    })
}

fn dense_rows(x: &SparseMatrix<f64>) -> Vec<Vec<f64>> {
    (0..x.rows())
        .map(|i| {
            let mut row = vec![0.0; x.cols()];
            for (j, &v) in x.outer_view(i).unwrap().iter() {
                row[j] = v;
            }
            row
        })
        .collect()
}

/// `row` over its norm, the norm taken on `row / max |row|` so that it holds
/// at every magnitude.
fn unit(row: &[f64]) -> Vec<f64> {
    let max = row.iter().fold(0.0f64, |m, v| m.max(v.abs()));
    let norm = if max > 0.0 {
        max * row
            .iter()
            .map(|v| (v / max) * (v / max))
            .sum::<f64>()
            .sqrt()
    } else {
        0.0
    };
    row.iter()
        .map(|v| if norm > 0.0 { v / norm } else { 0.0 })
        .collect()
}

fn dot(a: &[f64], b: &[f64]) -> f64 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}

// ---------------------------------------------------------------------------
// TF-IDF.
// ---------------------------------------------------------------------------

/// Each row of `x` has unit L2 norm (to `tol`) or is all zero, and is zero
/// exactly when the analyzer finds no vocabulary term in its document.
fn check_unit_rows<T: topica::vectorize::Real>(
    model: &TfidfVectorizer,
    docs: &[String],
    x: &topica::vectorize::DocTermMatrix<T>,
    tol: f64,
) -> TestCaseResult {
    prop_assert_eq!(x.shape(), (docs.len(), model.vocabulary().len()));
    for (i, doc) in docs.iter().enumerate() {
        let row = x.matrix().outer_view(i).unwrap();
        let values: Vec<f64> = row.iter().map(|(_, v)| v.widen()).collect();
        prop_assert!(
            values.iter().all(|v| v.is_finite() && *v > 0.0),
            "row {}: {:?}",
            i,
            values
        );
        let in_vocabulary = model
            .analyzer()
            .analyze(doc)
            .iter()
            .any(|f| model.vocabulary().get(f).is_some());
        if values.is_empty() {
            prop_assert!(
                !in_vocabulary,
                "row {} is zero but {:?} has vocabulary terms",
                i,
                doc
            );
        } else {
            prop_assert!(
                in_vocabulary,
                "row {} is not zero but {:?} has no vocabulary term",
                i,
                doc
            );
            let norm = values.iter().map(|v| v * v).sum::<f64>().sqrt();
            prop_assert!(
                (norm - 1.0).abs() <= tol,
                "row {} has norm {} ({:?})",
                i,
                norm,
                doc
            );
        }
    }
    Ok(())
}

#[test]
fn tfidf_rows_have_unit_l2_norm_or_are_zero() {
    check(
        "tfidf_rows_have_unit_l2_norm_or_are_zero",
        64,
        (tfidf_params(), corpus(0..60), corpus(0..8)),
        |(params, docs, unseen)| {
            let Ok((model, x)) = params.fit_transform(&docs) else {
                return Ok(()); // the Err cases: see the pruning property
            };
            check_unit_rows(&model, &docs, &x, 1e-12)?;
            check_unit_rows(&model, &unseen, &model.transform(&unseen), 1e-12)?;
            check_unit_rows(&model, &docs, &model.transform_f32(&docs), 1e-6)?;
            Ok(())
        },
    );
}

/// `fit_transform`, `fit` then `transform`, the `f32`, owned and counting
/// variants, one document at a time, and 1 thread against 3 (more than 64
/// documents make several chunks) all give the same model and matrix, bit
/// for bit; the raw counts are the analyzer's, counted by hand.
#[test]
fn fit_transform_equals_fit_then_transform() {
    let one = rayon::ThreadPoolBuilder::new()
        .num_threads(1)
        .build()
        .unwrap();
    let three = rayon::ThreadPoolBuilder::new()
        .num_threads(3)
        .build()
        .unwrap();
    check(
        "fit_transform_equals_fit_then_transform",
        48,
        (tfidf_params(), corpus(0..150)),
        |(params, docs)| {
            let fitted = three.install(|| params.fit_transform(&docs));
            let model = three.install(|| params.fit(&docs));
            let (model, (m1, x1)) = match (model, fitted) {
                (Ok(model), Ok(fitted)) => (model, fitted),
                (Err(a), Err(b)) => {
                    prop_assert_eq!(a.to_string(), b.to_string());
                    return Ok(());
                }
                (a, b) => {
                    return Err(TestCaseError::fail(format!(
                        "fit: {:?}, fit_transform: {:?}",
                        a.err(),
                        b.err()
                    )));
                }
            };
            prop_assert_eq!(model.vocabulary().terms(), m1.vocabulary().terms());
            prop_assert_eq!(model.document_frequency(), m1.document_frequency());
            let bits = |m: &TfidfVectorizer| {
                m.idf()
                    .map(|v| v.iter().map(|x| x.to_bits()).collect::<Vec<_>>())
            };
            prop_assert_eq!(bits(&model), bits(&m1));
            prop_assert_eq!(model.n_documents(), docs.len());

            let x2 = three.install(|| model.transform(&docs));
            prop_assert_eq!(&x1, &x2);
            let (_, x32) = three
                .install(|| params.fit_transform_as::<f32, _>(&docs))
                .unwrap();
            prop_assert_eq!(&x32, &model.transform_f32(&docs));
            let (_, owned) = params.fit_transform_owned::<f64>(docs.clone()).unwrap();
            prop_assert_eq!(&x1, &owned);
            let (_, x1_single) = one.install(|| params.fit_transform(&docs)).unwrap();
            prop_assert_eq!(&x1, &x1_single);
            for (i, doc) in docs.iter().enumerate() {
                let alone = model.transform(std::slice::from_ref(doc));
                let row = x1.matrix().outer_view(i).unwrap();
                let alone_row = alone.matrix().outer_view(0).unwrap();
                prop_assert_eq!(row.indices(), alone_row.indices(), "row {}", i);
                prop_assert_eq!(row.data(), alone_row.data(), "row {}", i);
            }

            let (_, x3, counts) = three
                .install(|| params.fit_transform_with_counts(&docs))
                .unwrap();
            prop_assert_eq!(&x1, &x3);
            for (i, doc) in docs.iter().enumerate() {
                let mut by_hand: BTreeMap<usize, f64> = BTreeMap::new();
                for f in model.analyzer().analyze(doc) {
                    if let Some(c) = model.vocabulary().get(&f) {
                        *by_hand.entry(c).or_default() += 1.0;
                    }
                }
                let row = counts.matrix().outer_view(i).unwrap();
                let got: BTreeMap<usize, f64> = row.iter().map(|(j, &v)| (j, v)).collect();
                prop_assert_eq!(got, by_hand, "counts of row {} ({:?})", i, doc);
            }
            Ok(())
        },
    );
}

/// What pruning must leave, computed by hand from the analyzer's output:
/// `Err(())` when the fit must fail, else the kept terms, sorted.
fn expected_vocabulary(params: &TfidfParams, docs: &[String]) -> Result<Vec<String>, ()> {
    if params.check().is_err() {
        return Err(());
    }
    let analyzer = params.get_analysis().build().map_err(|_| ())?;
    let mut df: BTreeMap<String, u64> = BTreeMap::new();
    let mut total: BTreeMap<String, u64> = BTreeMap::new();
    for doc in docs {
        let features = analyzer.analyze(doc);
        for f in &features {
            *total.entry(f.clone()).or_default() += 1;
        }
        for f in features.into_iter().collect::<BTreeSet<_>>() {
            *df.entry(f).or_default() += 1;
        }
    }
    if df.is_empty() {
        return Err(());
    }
    let n = docs.len();
    let (lo, hi) = (
        params.get_min_df().documents(n),
        params.get_max_df().documents(n),
    );
    if hi < lo {
        return Err(());
    }
    let mut kept: Vec<String> = df
        .iter()
        .filter(|&(_, &d)| d as f64 >= lo && d as f64 <= hi)
        .map(|(t, _)| t.clone())
        .collect();
    if let Some(limit) = params.get_max_features() {
        let weight = |t: &String| if params.get_binary() { df[t] } else { total[t] };
        let mut ranked = kept.clone();
        ranked.sort_by(|a, b| weight(b).cmp(&weight(a)).then(a.cmp(b)));
        ranked.truncate(limit);
        ranked.sort();
        kept = ranked;
    }
    if kept.is_empty() { Err(()) } else { Ok(kept) }
}

#[test]
fn vocabulary_is_sorted_and_pruning_respects_min_df_and_max_df() {
    check(
        "vocabulary_is_sorted_and_pruning_respects_min_df_and_max_df",
        96,
        (tfidf_params(), corpus(0..40)),
        |(params, docs)| {
            let expected = expected_vocabulary(&params, &docs);
            let fitted = params.fit(&docs);
            let model = match (expected.clone(), fitted) {
                (Err(()), Err(_)) => return Ok(()),
                (Ok(terms), Ok(model)) => {
                    prop_assert_eq!(model.vocabulary().terms(), &terms[..]);
                    model
                }
                (want, got) => {
                    return Err(TestCaseError::fail(format!(
                        "expected {:?}, fit gave {:?}",
                        want,
                        got.map(|m| m.vocabulary().terms().to_vec())
                    )));
                }
            };
            let terms = model.vocabulary().terms();
            prop_assert!(
                terms.windows(2).all(|w| w[0] < w[1]),
                "not sorted: {:?}",
                terms
            );
            // Each kept term's document frequency, by hand, within bounds.
            let n = docs.len();
            let (lo, hi) = (
                params.get_min_df().documents(n),
                params.get_max_df().documents(n),
            );
            let sets: Vec<BTreeSet<String>> = docs
                .iter()
                .map(|d| model.analyzer().analyze(d).into_iter().collect())
                .collect();
            let df_of = |t: &str| sets.iter().filter(|s| s.contains(t)).count() as u64;
            for (c, term) in terms.iter().enumerate() {
                let df = df_of(term);
                prop_assert_eq!(model.document_frequency()[c], df, "df of {:?}", term);
                prop_assert!(
                    df as f64 >= lo && df as f64 <= hi,
                    "{:?}: df {} not in [{}, {}]",
                    term,
                    df,
                    lo,
                    hi
                );
            }
            // Each dropped term outside them (unless max_features dropped it).
            if params.get_max_features().is_none() {
                for term in sets.iter().flatten().collect::<BTreeSet<_>>() {
                    if model.vocabulary().get(term).is_none() {
                        let df = df_of(term) as f64;
                        prop_assert!(
                            df < lo || df > hi,
                            "{:?} dropped with df {} in [{}, {}]",
                            term,
                            df,
                            lo,
                            hi
                        );
                    }
                }
            }
            Ok(())
        },
    );
}

// ---------------------------------------------------------------------------
// Spherical k-means.
// ---------------------------------------------------------------------------

#[test]
fn kmeans_has_no_empty_cluster_and_its_objective_never_falls() {
    check(
        "kmeans_has_no_empty_cluster_and_its_objective_never_falls",
        64,
        (
            prop_oneof![matrix(80, 30, true), point_cloud(80, 5)],
            any::<Index>(),
            any::<u64>(),
            select(&[0.0, 0.0, 1e-4][..]),
        ),
        |(x, k, seed, tol)| {
            let n = x.rows();
            let k = 1 + k.index(n.min(12));
            // The objective, maximised, is the sum of cosines to the
            // centroids; one start, the same seed, one more iteration.
            let mut previous = f64::NEG_INFINITY;
            for t in 1..=8 {
                let km = SphericalKMeans::params(k)
                    .n_init(1)
                    .max_iter(t)
                    .tol(tol)
                    .seed(seed)
                    .fit(&x)
                    .map_err(|e| TestCaseError::fail(e.to_string()))?;
                check_kmeans(&km, n, k)?;
                prop_assert!(km.n_iter() <= t);
                let objective = km.objective();
                prop_assert!(
                    objective >= previous - 1e-9 * objective.abs().max(1.0),
                    "objective fell from {} to {} at max_iter {}",
                    previous,
                    objective,
                    t
                );
                // inertia = sum |x|^2 + 1 - 2 |x| cos: never NaN, and finite
                // unless a squared value itself overflows.
                let inertia = km.inertia(&x).unwrap();
                prop_assert!(
                    inertia.is_finite()
                        || (inertia == f64::INFINITY && x.data().iter().any(|v| v.abs() > 1e150)),
                    "inertia {}",
                    inertia
                );
                previous = objective;
            }
            for algorithm in [Algorithm::Lloyd, Algorithm::MiniBatch { batch_size: 7 }] {
                let km = SphericalKMeans::params(k)
                    .n_init(3)
                    .algorithm(algorithm)
                    .seed(seed)
                    .fit(&x)
                    .map_err(|e| TestCaseError::fail(e.to_string()))?;
                check_kmeans(&km, n, k)?;
            }
            Ok(())
        },
    );
}

/// `k` non-empty clusters, finite cosines in [-1, 1], the objective their sum.
fn check_kmeans(km: &SphericalKMeans, n: usize, k: usize) -> TestCaseResult {
    prop_assert_eq!(km.n_clusters(), k);
    prop_assert_eq!(km.labels().len(), n);
    let mut sizes = vec![0usize; k];
    for &l in km.labels() {
        prop_assert!(l < k);
        sizes[l] += 1;
    }
    prop_assert!(
        sizes.iter().all(|&s| s > 0),
        "empty cluster: sizes {:?}",
        sizes
    );
    for &s in km.similarities() {
        prop_assert!(
            s.is_finite() && (-1.0 - 1e-12..=1.0 + 1e-12).contains(&s),
            "cosine {}",
            s
        );
    }
    prop_assert_eq!(km.objective(), km.similarities().iter().sum::<f64>());
    for c in km.centroids().to_dense() {
        prop_assert!(c.iter().all(|v| v.is_finite()));
    }
    Ok(())
}

// ---------------------------------------------------------------------------
// Hierarchical clustering.
// ---------------------------------------------------------------------------

const LINKAGES: [Linkage; 4] = [
    Linkage::Ward,
    Linkage::Average,
    Linkage::Complete,
    Linkage::Single,
];

/// A linkage matrix over `n` leaves is well formed and its heights never
/// decrease; returns the leaves of every cluster id.
fn check_tree(z: &[[f64; 4]], n: usize) -> Result<Vec<Vec<usize>>, TestCaseError> {
    prop_assert_eq!(z.len(), n.saturating_sub(1));
    let mut members: Vec<Vec<usize>> = (0..n).map(|i| vec![i]).collect();
    let mut used = vec![false; 2 * n];
    for (j, &[a, b, h, size]) in z.iter().enumerate() {
        prop_assert!(h.is_finite() && h >= 0.0, "merge {} at height {}", j, h);
        if j > 0 {
            prop_assert!(
                z[j - 1][2] <= h,
                "merge {} at {} after {}",
                j,
                h,
                z[j - 1][2]
            );
        }
        let (a, b) = (a as usize, b as usize);
        prop_assert!(a < b && b < n + j, "merge {} joins {} and {}", j, a, b);
        prop_assert!(!used[a] && !used[b], "merge {} reuses a cluster", j);
        used[a] = true;
        used[b] = true;
        let mut m = members[a].clone();
        m.extend_from_slice(&members[b]);
        prop_assert_eq!(size, m.len() as f64);
        members.push(m);
    }
    Ok(members)
}

/// The height at which `linkage` joins clusters `a` and `b`, by its
/// definition: from `d` for single, complete and average; for Ward from the
/// points, `sqrt(2 |a| |b| / (|a| + |b|)) |mean(a) - mean(b)|`.
fn criterion(
    linkage: Linkage,
    a: &[usize],
    b: &[usize],
    d: &dyn Fn(usize, usize) -> f64,
    points: &[Vec<f64>],
) -> f64 {
    let pairs = || a.iter().flat_map(|&i| b.iter().map(move |&j| d(i, j)));
    match linkage {
        Linkage::Single => pairs().fold(f64::INFINITY, f64::min),
        Linkage::Complete => pairs().fold(f64::NEG_INFINITY, f64::max),
        Linkage::Average => pairs().sum::<f64>() / (a.len() * b.len()) as f64,
        Linkage::Ward => {
            let mean = |s: &[usize]| {
                let mut m = vec![0.0; points[0].len()];
                for &i in s {
                    m.iter_mut().zip(&points[i]).for_each(|(x, y)| *x += y);
                }
                m.iter_mut().for_each(|x| *x /= s.len() as f64);
                m
            };
            let (ma, mb) = (mean(a), mean(b));
            let gap = ma
                .iter()
                .zip(&mb)
                .map(|(x, y)| (x - y) * (x - y))
                .sum::<f64>()
                .sqrt();
            (2.0 * (a.len() * b.len()) as f64 / (a.len() + b.len()) as f64).sqrt() * gap
        }
    }
}

#[test]
fn every_linkage_has_monotone_merge_heights() {
    check(
        "every_linkage_has_monotone_merge_heights",
        64,
        (
            matrix(30, 10, false),
            any::<Index>(),
            any::<Index>(),
            any::<Index>(),
        ),
        |(x, k, direct, micro)| {
            let n = x.rows();
            let k = 1 + k.index(n);
            let unit_rows: Vec<Vec<f64>> = dense_rows(&x).iter().map(|r| unit(r)).collect();
            let nonzero = |i: usize| unit_rows[i].iter().any(|&v| v != 0.0);
            let cosine_distance = |i: usize, j: usize| {
                if nonzero(i) && nonzero(j) {
                    (1.0 - dot(&unit_rows[i], &unit_rows[j])).clamp(0.0, 2.0)
                } else {
                    1.0
                }
            };
            for linkage in LINKAGES {
                let h = Hierarchical::params(linkage, Cut::K(k))
                    .fit(&x)
                    .map_err(|e| TestCaseError::fail(format!("{linkage}: {e}")))?;
                prop_assert!(h.micro().is_none());
                let z = &h.dendrogram().matrix;
                let members = check_tree(z, n)?;
                for (j, &[a, b, height, _]) in z.iter().enumerate() {
                    let want = criterion(
                        linkage,
                        &members[a as usize],
                        &members[b as usize],
                        &cosine_distance,
                        &unit_rows,
                    );
                    let tol = if linkage == Linkage::Ward {
                        1e-6
                    } else {
                        1e-12
                    };
                    prop_assert!(
                        (height - want).abs() <= tol,
                        "{}: merge {} at {}, by definition {}",
                        linkage,
                        j,
                        height,
                        want
                    );
                }
                prop_assert_eq!(h.n_clusters(), k);
                prop_assert_eq!(h.labels().len(), n);
                prop_assert_eq!(h.labels().iter().copied().collect::<BTreeSet<_>>().len(), k);

                // Through micro-clusters when there are more rows than max_direct.
                if n >= 2 {
                    let max_direct = 1 + direct.index(n - 1);
                    let micro_clusters = 1 + micro.index(max_direct);
                    let h = Hierarchical::params(linkage, Cut::Distance(0.5))
                        .max_direct(max_direct)
                        .micro_clusters(micro_clusters)
                        .fit(&x)
                        .map_err(|e| TestCaseError::fail(format!("{linkage} micro: {e}")))?;
                    prop_assert!(h.micro().is_some());
                    check_tree(&h.dendrogram().matrix, h.dendrogram().leaves.len())?;
                    prop_assert_eq!(h.labels().len(), n);
                }
            }
            Ok(())
        },
    );
}

/// `linkage_matrix` on arbitrary dissimilarities, made of ties: heights are
/// monotone and single, complete and average heights are their definitions.
#[test]
fn linkage_matrix_heights_are_monotone_on_any_dissimilarities() {
    let condensed = (1usize..=24).prop_flat_map(|n| {
        let value = prop_oneof![select(&[0.0, 0.5, 1.0, 1.0, 2.0][..]), 0.0f64..3.0];
        (Just(n), prop::collection::vec(value, n * (n - 1) / 2))
    });
    check(
        "linkage_matrix_heights_are_monotone_on_any_dissimilarities",
        96,
        condensed,
        |(n, d)| {
            let at = |i: usize, j: usize| {
                let (i, j) = (i.min(j), i.max(j));
                d[n * i - i * (i + 1) / 2 + (j - i - 1)]
            };
            for linkage in LINKAGES {
                let z = linkage_matrix(&mut d.clone(), n, linkage)
                    .map_err(|e| TestCaseError::fail(format!("{linkage}: {e}")))?;
                let members = check_tree(&z, n)?;
                if linkage != Linkage::Ward {
                    for (j, &[a, b, height, _]) in z.iter().enumerate() {
                        let want = criterion(
                            linkage,
                            &members[a as usize],
                            &members[b as usize],
                            &at,
                            &[],
                        );
                        prop_assert!(
                            (height - want).abs() <= 1e-12,
                            "{}: merge {} at {}, by definition {}",
                            linkage,
                            j,
                            height,
                            want
                        );
                    }
                }
            }
            Ok(())
        },
    );
}

// ---------------------------------------------------------------------------
// Similarity.
// ---------------------------------------------------------------------------

/// Hits are valid rows other than `row`, with finite scores in `(0, 1]`
/// (cosines above 0), best first, ties by row index.
fn check_hits(hits: &[Hit], n: usize, row: Option<usize>, top: usize) -> TestCaseResult {
    prop_assert!(hits.len() <= top);
    for h in hits {
        prop_assert!(h.index < n && Some(h.index) != row);
        prop_assert!(
            h.score.is_finite() && h.score > 0.0 && h.score <= 1.0 + 1e-12,
            "score {}",
            h.score
        );
        prop_assert_eq!(&h.id, &format!("doc{}", h.index));
    }
    for w in hits.windows(2) {
        prop_assert!(
            w[0].score > w[1].score || (w[0].score == w[1].score && w[0].index < w[1].index),
            "not best first: {:?}",
            w
        );
    }
    Ok(())
}

#[test]
fn similarity_scores_are_cosines_in_range_and_sorted() {
    check(
        "similarity_scores_are_cosines_in_range_and_sorted",
        48,
        (
            corpus(1..40),
            any::<bool>(),
            1usize..6,
            select(&[0.0, 0.3, 0.5, 0.8, 1.0][..]),
            any::<bool>(),
            prop::collection::vec(doc(), 0..4),
        ),
        |(docs, stop, top, threshold, across, queries)| {
            let Ok((model, x)) = TfidfVectorizer::params()
                .stop_words(stop.then_some(StopWordList::English))
                .fit_transform(&docs)
            else {
                return Ok(());
            };
            let x = x.matrix();
            let n = x.rows();
            let ids: Vec<String> = (0..n).map(|i| format!("doc{i}")).collect();
            let sources: Vec<String> = (0..n)
                .map(|i| ["a.txt", "b.txt"][i % 3 / 2].to_string())
                .collect();
            let rows: Vec<Vec<f64>> = dense_rows(x).iter().map(|r| unit(r)).collect();
            let brute = |i: usize, j: usize| dot(&rows[i], &rows[j]);

            let index = SimilarityIndex::params()
                .build(&model, x, ids.clone(), sources.clone())
                .map_err(|e| TestCaseError::fail(e.to_string()))?;
            let graph = index
                .neighbors(top)
                .map_err(|e| TestCaseError::fail(e.to_string()))?;
            prop_assert_eq!(graph.len(), n);
            for (i, hits) in graph.iter().enumerate() {
                check_hits(hits, n, Some(i), top)?;
                let mut want: Vec<f64> = (0..n)
                    .filter(|&j| j != i)
                    .map(|j| brute(i, j))
                    .filter(|&s| s > 0.0)
                    .collect();
                want.sort_by(|a, b| b.total_cmp(a));
                prop_assert_eq!(hits.len(), want.len().min(top), "row {}", i);
                for (h, w) in hits.iter().zip(&want) {
                    prop_assert!(
                        (h.score - brute(i, h.index)).abs() <= 1e-12,
                        "row {}: {:?} vs {}",
                        i,
                        h,
                        brute(i, h.index)
                    );
                    prop_assert!(
                        (h.score - w).abs() <= 1e-12,
                        "row {}: {:?} is not the best left ({})",
                        i,
                        h,
                        w
                    );
                }
                let by_id = index
                    .query_id(&ids[i], top, 0.0)
                    .map_err(|e| TestCaseError::fail(e.to_string()))?;
                prop_assert_eq!(&by_id, hits);
            }
            for q in &queries {
                let found = index
                    .query_text(q, top, 0.0)
                    .map_err(|e| TestCaseError::fail(e.to_string()))?;
                check_hits(&found.hits, n, None, top)?;
                // A query with a vocabulary term shares it with a document.
                prop_assert_eq!(found.warning.is_some(), found.hits.is_empty());
                let qx = model.transform(std::slice::from_ref(q));
                let qrow = unit(&dense_rows(qx.matrix())[0]);
                let mut want: Vec<f64> = rows
                    .iter()
                    .map(|r| dot(&qrow, r))
                    .filter(|&s| s > 0.0)
                    .collect();
                want.sort_by(|a, b| b.total_cmp(a));
                prop_assert_eq!(found.hits.len(), want.len().min(top));
                for (h, w) in found.hits.iter().zip(&want) {
                    prop_assert!(
                        (h.score - dot(&qrow, &rows[h.index])).abs() <= 1e-12,
                        "{:?}",
                        h
                    );
                    prop_assert!(
                        (h.score - w).abs() <= 1e-12,
                        "{:?} is not the best left ({})",
                        h,
                        w
                    );
                }
            }

            let groups = index
                .duplicates(threshold, across)
                .map_err(|e| TestCaseError::fail(e.to_string()))?;
            let mut group_of = HashMap::new();
            for (g, group) in groups.iter().enumerate() {
                prop_assert!(group.members.len() >= 2);
                prop_assert!(group.members.windows(2).all(|w| w[0] < w[1]));
                if g > 0 {
                    prop_assert!(groups[g - 1].members[0] < group.members[0]);
                }
                for &m in &group.members {
                    prop_assert!(group_of.insert(m, g).is_none(), "{} in two groups", m);
                }
                if across {
                    prop_assert!(
                        group
                            .members
                            .iter()
                            .any(|&m| sources[m] != sources[group.members[0]])
                    );
                }
                for &(i, j, s) in &group.pairs {
                    prop_assert!(i < j && group.members.contains(&i) && group.members.contains(&j));
                    prop_assert!(
                        s.is_finite() && s >= threshold && s > 0.0 && s <= 1.0 + 1e-12,
                        "pair score {}",
                        s
                    );
                    prop_assert!((s - brute(i, j)).abs() <= 1e-12);
                }
            }
            if !across {
                for i in 0..n {
                    for j in i + 1..n {
                        let s = brute(i, j);
                        if s > 0.0 && s >= threshold + 1e-12 {
                            prop_assert!(
                                group_of.contains_key(&i) && group_of.get(&i) == group_of.get(&j),
                                "{} and {} score {} >= {} but are not grouped",
                                i,
                                j,
                                s,
                                threshold
                            );
                        }
                    }
                }
            }

            // LSA space: dense cosines, same guarantees.
            let lsa = SimilarityIndex::params()
                .space(Space::Lsa)
                .n_components(1 + top % 4)
                .build(&model, x, ids.clone(), sources)
                .map_err(|e| TestCaseError::fail(e.to_string()))?;
            for (i, hits) in lsa
                .neighbors(top)
                .map_err(|e| TestCaseError::fail(e.to_string()))?
                .iter()
                .enumerate()
            {
                check_hits(hits, n, Some(i), top)?;
            }
            for q in &queries {
                let found = lsa
                    .query_text(q, top, -1.0)
                    .map_err(|e| TestCaseError::fail(e.to_string()))?;
                check_hits(&found.hits, n, None, top)?;
            }
            for group in lsa
                .duplicates(threshold, false)
                .map_err(|e| TestCaseError::fail(e.to_string()))?
            {
                for &(_, _, s) in &group.pairs {
                    prop_assert!(s.is_finite() && s >= threshold && s <= 1.0 + 1e-12);
                }
            }
            Ok(())
        },
    );
}

// ---------------------------------------------------------------------------
// Metrics.
// ---------------------------------------------------------------------------

/// Labelings of 1 to 120 samples into any number of clusters: uniform,
/// skewed, one cluster, all singletons.
fn labeling() -> impl Strategy<Value = Vec<usize>> {
    (1usize..=120).prop_flat_map(|n| {
        prop_oneof![
            4 => (1..=n).prop_flat_map(move |k| prop::collection::vec(0..k, n)),
            2 => (1..=n).prop_flat_map(move |k| prop::collection::vec((0..k, 0..k), n))
                .prop_map(|v| v.into_iter().map(|(a, b)| a.min(b)).collect()),
            1 => Just(vec![0; n]),
            1 => Just((0..n).collect()),
        ]
    })
}

/// A labeling with its label ids renamed by a random bijection (to strings).
fn renamed(labels: Vec<usize>) -> impl Strategy<Value = (Vec<usize>, Vec<String>)> {
    let ids: Vec<usize> = (0..=labels.iter().copied().max().unwrap_or(0)).collect();
    Just(ids).prop_shuffle().prop_map(move |perm| {
        let names = labels
            .iter()
            .map(|&l| format!("topic {}", perm[l]))
            .collect();
        (labels.clone(), names)
    })
}

#[test]
fn ari_is_one_on_renamings_and_symmetric_and_information_scores_in_unit_interval() {
    let pairs = labeling().prop_flat_map(|a| {
        let n = a.len();
        let b = prop_oneof![
            (1..=n).prop_flat_map(move |k| prop::collection::vec(0..k, n)),
            Just(vec![0; n]),
            Just((0..n).collect::<Vec<_>>()),
        ];
        (renamed(a), b)
    });
    check(
        "ari_is_one_on_renamings_and_symmetric_and_information_scores_in_unit_interval",
        256,
        pairs,
        |((a, a_renamed), b)| {
            let err = |e: topica::Error| TestCaseError::fail(e.to_string());
            prop_assert_eq!(adjusted_rand_index(&a, &a).map_err(err)?, 1.0);
            prop_assert_eq!(adjusted_rand_index(&a, &a_renamed).map_err(err)?, 1.0);
            let same = score_labels(&a_renamed, &a).map_err(err)?;
            for v in [
                same.adjusted_rand_index,
                same.normalized_mutual_info,
                same.homogeneity,
                same.completeness,
                same.v_measure,
            ] {
                prop_assert_eq!(v, 1.0, "{:?}", same);
            }

            let ab = score_labels(&a, &b).map_err(err)?;
            let ba = score_labels(&b, &a).map_err(err)?;
            prop_assert_eq!(ab.adjusted_rand_index, ba.adjusted_rand_index);
            prop_assert_eq!(
                adjusted_rand_index(&a_renamed, &b).map_err(err)?,
                ab.adjusted_rand_index
            );
            prop_assert!((-0.5..=1.0).contains(&ab.adjusted_rand_index), "{:?}", ab);
            for v in [
                ab.normalized_mutual_info,
                ab.homogeneity,
                ab.completeness,
                ab.v_measure,
            ] {
                prop_assert!((0.0..=1.0).contains(&v), "{:?}", ab);
            }
            prop_assert!((ab.normalized_mutual_info - ba.normalized_mutual_info).abs() <= 1e-12);
            prop_assert!((ab.v_measure - ba.v_measure).abs() <= 1e-12);
            prop_assert!((ab.homogeneity - ba.completeness).abs() <= 1e-12);

            // No score for mismatched or empty labelings: an error, not NaN.
            prop_assert!(score_labels(&a, &b[1..]).is_err());
            prop_assert!(adjusted_rand_index::<usize, usize>(&[], &[]).is_err());
            Ok(())
        },
    );
}

// ---------------------------------------------------------------------------
// Rows whose squared norm would under- or overflow.
// ---------------------------------------------------------------------------

/// Cosine similarity does not depend on the scale of the rows, but a plain
/// `sqrt(sum v^2)` leaves the range of `f64` for values below about 1e-154
/// (the squares are subnormal: k-means used to report a cosine of 1.0000056
/// at 1e-160, Ward a distance above sqrt 2) or above about 1e154 (the squares
/// overflow and rows were silently treated as zero rows). Norms now go
/// through `vectorize::l2_norm` (scaled like BLAS `dnrm2` when needed), and
/// k-means and the silhouette first rescale such rows by powers of two
/// (`cluster::Rows::rescaled`), so every cosine method gives the unscaled
/// answer at 1e±160 and at 1e±300.
#[test]
fn cosine_methods_are_scale_invariant_at_extreme_magnitudes() {
    let docs = ["alpha beta gamma", "alpha beta", "gamma delta", "alpha"];
    let (model, x) = TfidfVectorizer::params().fit_transform(&docs).unwrap();
    let ids: Vec<String> = (0..4).map(|i| format!("doc{i}")).collect();
    let sources = vec!["a.txt".to_string(); 4];
    let run = |x: &SparseMatrix<f64>| {
        let km = SphericalKMeans::params(2).seed(1).fit(x).unwrap();
        let distances: Vec<Vec<f64>> = LINKAGES
            .iter()
            .map(|&l| topica::cluster::hierarchical::condensed_distances(x, l).unwrap())
            .collect();
        let index = SimilarityIndex::params()
            .build(&model, x, ids.clone(), sources.clone())
            .unwrap();
        let scores: Vec<Vec<f64>> = index
            .neighbors(3)
            .unwrap()
            .iter()
            .map(|hits| hits.iter().map(|h| h.score).collect())
            .collect();
        let silhouette = topica::metrics::silhouette_samples_cosine(x, km.labels()).unwrap();
        let predicted: Vec<f64> = km.predict(x).unwrap().iter().map(|p| p.1).collect();
        (
            [km.similarities().to_vec(), silhouette, predicted].concat(),
            distances,
            scores,
        )
    };
    let close = |a: &[f64], b: &[f64]| {
        a.len() == b.len() && a.iter().zip(b).all(|(x, y)| (x - y).abs() <= 1e-12)
    };
    let (sims, distances, scores) = run(x.matrix());
    for scale in [1e-160, 1e160, 1e-300, 1e300] {
        let mut scaled = x.matrix().clone();
        scaled.data_mut().iter_mut().for_each(|v| *v *= scale);
        let (s, d, n) = run(&scaled);
        assert!(
            close(&s, &sims),
            "scale {scale:e}: k-means cosines {s:?}, unscaled {sims:?}"
        );
        for (got, want) in d.iter().zip(&distances) {
            assert!(
                close(got, want),
                "scale {scale:e}: distances {got:?}, unscaled {want:?}"
            );
        }
        for (got, want) in n.iter().zip(&scores) {
            assert!(
                close(got, want),
                "scale {scale:e}: neighbour scores {got:?}, unscaled {want:?}"
            );
        }
    }
}
