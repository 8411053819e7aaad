//! topica against scikit-learn, without Python: the fixtures in
//! `tests/fixtures/sklearn/` were written by `tests/sklearn_reference.py`
//! from scikit-learn 1.9.1 itself (rerun its `fixtures` and `summaries`
//! commands to refresh them). `.ci/run` also runs that script's `check`,
//! which compares with scikit-learn live on all of 20 Newsgroups.

mod common;

use common::{Csr, fixture, hashing_params, news_texts, reference_texts, tfidf_params};
use sha2::{Digest, Sha256};
use topica::analyze::{Analyzer, AnalyzerKind, Language, Stemmer, StripAccents, lowercase_into};

const TFIDF_FIXTURES: &[&str] = &[
    "default",
    "issue",
    "binary_l1_nosmooth",
    "tf_only",
    "max_features",
    "mixed_df",
    "accents_unicode_nolower",
    "accents_ascii",
    "custom_pattern",
    "char_wb",
    "char",
];

#[test]
fn tfidf_matches_scikit_learn_on_the_news_paragraphs() {
    let texts = news_texts();
    assert_eq!(texts.len(), 74);
    for name in TFIDF_FIXTURES {
        let f = fixture(&format!("news_{name}"));
        let (model, x) = tfidf_params(&f["params"]).fit_transform(&texts).unwrap();
        let vocabulary: Vec<&str> = f["vocabulary"]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| t.as_str().unwrap())
            .collect();
        assert_eq!(model.vocabulary().terms(), vocabulary, "{name}: vocabulary");
        match (model.idf(), f["idf"].as_array()) {
            (Some(idf), Some(expected)) => {
                for (a, b) in idf.iter().zip(expected) {
                    assert!(
                        (a - b.as_f64().unwrap()).abs() <= 1e-12,
                        "{name}: idf {a} against {b}"
                    );
                }
            }
            (None, None) => {}
            (a, b) => panic!("{name}: idf {a:?} against {b:?}"),
        }
        Csr::from_sprs(x.matrix()).assert_close(&Csr::from_fixture(&f), 1e-12, name);
    }
}

#[test]
fn float32_output_matches_scikit_learn_float32() {
    let f = fixture("news_float32");
    let (_, x) = tfidf_params(&f["params"])
        .fit_transform_as::<f32, _>(&news_texts())
        .unwrap();
    // Both compute in f32 (norms summed in f64); NumPy's f32 log may differ
    // from the C library's by an ulp.
    Csr::from_sprs(x.matrix()).assert_close(&Csr::from_fixture(&f), 1e-6, "float32");
}

#[test]
fn hashing_matches_scikit_learn_on_the_news_paragraphs() {
    let texts = news_texts();
    for name in ["hashing_default", "hashing_small", "hashing_options"] {
        let f = fixture(&format!("news_{name}"));
        let x = hashing_params(&f["params"])
            .build()
            .unwrap()
            .transform(&texts);
        Csr::from_sprs(&x).assert_close(&Csr::from_fixture(&f), 1e-12, name);
    }
}

#[test]
fn analysis_matches_python_on_tricky_and_random_text() {
    let f = fixture("analysis");
    assert_eq!(
        topica::analyze::python_unicode_version(),
        f["unicode_version"].as_str().unwrap()
    );
    let analyzers = [
        ("tokens", Analyzer::default()),
        (
            "tokens_nolower",
            Analyzer::params().lowercase(false).build().unwrap(),
        ),
        (
            "tokens_accents_unicode",
            Analyzer::params()
                .strip_accents(Some(StripAccents::Unicode))
                .build()
                .unwrap(),
        ),
        (
            "char_wb",
            Analyzer::params()
                .analyzer(AnalyzerKind::CharWb)
                .ngram_range(2, 3)
                .build()
                .unwrap(),
        ),
    ];
    let unassigned = python_unassigned();
    let cases: Vec<_> = f["cases"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|case| !case["text"].as_str().unwrap().chars().any(&unassigned))
        .collect();
    // The generator draws only characters assigned in Python's Unicode, so
    // every case is compared (the filter is a guard for hand-written cases).
    assert!(cases.len() >= 650, "{} cases left", cases.len());
    let strings = |v: &serde_json::Value| -> Vec<String> {
        v.as_array()
            .unwrap()
            .iter()
            .map(|t| t.as_str().unwrap().to_string())
            .collect()
    };
    let mut buf = String::new();
    for case in cases {
        let text = case["text"].as_str().unwrap();
        assert_eq!(
            lowercase_into(text, &mut buf),
            case["lower"].as_str().unwrap(),
            "lower({text:?})"
        );
        assert_eq!(
            StripAccents::Unicode.strip(text),
            case["strip_unicode"].as_str().unwrap(),
            "{text:?}"
        );
        assert_eq!(
            StripAccents::Ascii.strip(text),
            case["strip_ascii"].as_str().unwrap(),
            "{text:?}"
        );
        for (key, analyzer) in &analyzers {
            assert_eq!(
                analyzer.analyze(text),
                strings(&case[*key]),
                "{key} of {text:?}"
            );
        }
    }
}

#[test]
fn lowercasing_matches_python_for_every_code_point() {
    let f = fixture("lowercase");
    let map = f["map"].as_object().unwrap();
    let unassigned = python_unassigned();
    let mut buf = String::new();
    let mut checked = 0;
    // Every code point Python's Unicode (14.0) assigns; Rust's tables are
    // newer, and a character assigned since may have a lowercase form.
    for c in (0..=0x10FFFFu32)
        .filter_map(char::from_u32)
        .filter(|&c| !unassigned(c))
    {
        let expected = map
            .get(&(c as u32).to_string())
            .map_or_else(|| c.to_string(), |v| v.as_str().unwrap().to_string());
        assert_eq!(
            lowercase_into(&c.to_string(), &mut buf),
            expected,
            "U+{:04X}",
            c as u32
        );
        checked += 1;
    }
    assert!(checked > 280_000, "{checked}");
}

/// Whether a character is unassigned (category Cn) in the Unicode of the
/// Python that wrote the fixtures.
fn python_unassigned() -> impl Fn(char) -> bool {
    let ranges: Vec<(u32, u32)> = fixture("lowercase")["unassigned"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| (r[0].as_u64().unwrap() as u32, r[1].as_u64().unwrap() as u32))
        .collect();
    move |c| {
        let i = ranges.partition_point(|&(start, _)| start <= c as u32);
        i > 0 && c as u32 <= ranges[i - 1].1
    }
}

#[test]
fn stems_match_snowball_but_for_two_words_rust_stemmers_predates() {
    // rust-stemmers 1.2 implements an older Snowball English than PyStemmer
    // 3.1 (libstemmer 3): of the 684 words of the news paragraphs, two stem
    // differently. Pinned here so that a change on either side is noticed.
    let f = fixture("stems");
    let stemmer = Stemmer::new(Language::English);
    let words = f["words"].as_array().unwrap();
    let stems = f["stems"].as_array().unwrap();
    let differ: Vec<(String, String, String)> = words
        .iter()
        .zip(stems)
        .map(|(w, s)| (w.as_str().unwrap(), s.as_str().unwrap()))
        .filter(|(w, s)| stemmer.stem(w) != *s)
        .map(|(w, s)| (w.to_string(), stemmer.stem(w).into_owned(), s.to_string()))
        .collect();
    assert_eq!(words.len(), 684);
    assert_eq!(
        differ,
        [
            ("added".into(), "ad".into(), "add".into()),
            ("apologist".into(), "apologist".into(), "apolog".into())
        ]
    );
}

/// Checks a vectorizer's output on all of 20 Newsgroups against the summary
/// that the reference script took of scikit-learn's.
fn check_summary(
    name: &str,
    vocabulary: Option<&[String]>,
    x: &topica::vectorize::SparseMatrix<f64>,
) {
    let f = fixture(&format!("newsgroups_{name}"));
    let shape = f["shape"].as_array().unwrap();
    assert_eq!(
        x.shape(),
        (
            shape[0].as_u64().unwrap() as usize,
            shape[1].as_u64().unwrap() as usize
        ),
        "{name}"
    );
    assert_eq!(x.nnz() as u64, f["nnz"].as_u64().unwrap(), "{name}: nnz");
    if let Some(terms) = vocabulary {
        let mut hasher = Sha256::new();
        for t in terms {
            hasher.update(t.as_bytes());
            hasher.update(b"\n");
        }
        let digest: String = hasher
            .finalize()
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        assert_eq!(
            digest,
            f["vocabulary_sha256"].as_str().unwrap(),
            "{name}: vocabulary"
        );
    }
    let sum: f64 = x.data().iter().sum();
    assert!(
        (sum - f["data_sum"].as_f64().unwrap()).abs() < 1e-6,
        "{name}: sum {sum}"
    );
    for (row, expected) in f["rows"].as_object().unwrap() {
        let r: usize = row.parse().unwrap();
        let view = x.outer_view(r).unwrap();
        let indices: Vec<u64> = expected["indices"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_u64().unwrap())
            .collect();
        assert_eq!(
            view.indices().iter().map(|&i| i as u64).collect::<Vec<_>>(),
            indices,
            "{name}: row {r}"
        );
        for (a, b) in view.data().iter().zip(expected["data"].as_array().unwrap()) {
            assert!(
                (a - b.as_f64().unwrap()).abs() <= 1e-9,
                "{name}: row {r}: {a} against {b}"
            );
        }
    }
}

#[test]
fn tfidf_matches_scikit_learn_on_all_of_20_newsgroups() {
    let Some(texts) = reference_texts("20newsgroups.jsonl") else {
        return;
    };
    for name in ["default", "issue"] {
        let f = fixture(&format!("newsgroups_{name}"));
        let (model, x) = tfidf_params(&f["params"]).fit_transform(&texts).unwrap();
        check_summary(name, Some(model.vocabulary().terms()), x.matrix());
        for (term, idf) in f["idf_sample"].as_object().unwrap() {
            let column = model.vocabulary().get(term).unwrap();
            assert!(
                (model.idf().unwrap()[column] - idf.as_f64().unwrap()).abs() <= 1e-12,
                "{name}: idf({term})"
            );
        }
    }
}

#[test]
fn hashing_matches_scikit_learn_on_all_of_20_newsgroups() {
    let Some(texts) = reference_texts("20newsgroups.jsonl") else {
        return;
    };
    let f = fixture("newsgroups_hashing_default");
    let x = hashing_params(&f["params"])
        .build()
        .unwrap()
        .transform(&texts);
    check_summary("hashing_default", None, &x);
}

#[test]
fn custom_token_patterns_tokenize_as_python_re() {
    // tests/sklearn_reference.py token-patterns: scikit-learn's tokens
    // (lowercase=False) and TfidfVectorizer vocabulary for common custom
    // patterns, over texts holding every code point of the blocks where
    // Python's \w, \s, \b and (?i) differ from the Rust engines'.
    let f = fixture("token_patterns");
    let texts: Vec<String> = f["texts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t.as_str().unwrap().to_string())
        .collect();
    assert!(texts.len() >= 180, "{} texts", texts.len());
    let patterns = f["patterns"].as_array().unwrap();
    assert!(patterns.len() >= 9);
    for case in patterns {
        let pattern = case["pattern"].as_str().unwrap();
        let analyzer = Analyzer::params()
            .lowercase(false)
            .token_pattern(pattern)
            .build()
            .unwrap();
        for (text, expected) in texts.iter().zip(case["tokens"].as_array().unwrap()) {
            let expected: Vec<&str> = expected
                .as_array()
                .unwrap()
                .iter()
                .map(|t| t.as_str().unwrap())
                .collect();
            assert_eq!(analyzer.analyze(text), expected, "{pattern} on {text:?}");
        }
        let vocabulary: Vec<&str> = case["vocabulary"]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| t.as_str().unwrap())
            .collect();
        let params = serde_json::json!({ "token_pattern": pattern });
        let (model, _) = tfidf_params(&params).fit_transform(&texts).unwrap();
        assert_eq!(
            model.vocabulary().terms(),
            vocabulary,
            "{pattern}: vocabulary"
        );
    }
}
