//! Results do not depend on the number of threads: the same documents give
//! bit-identical vocabularies and matrices with 1, 2, 3 and 5 threads.

mod common;

use common::news_texts;
use topica::analyze::{Language, StopWordList};
use topica::vectorize::{HashingVectorizer, TfidfParams, TfidfVectorizer};

/// `f` run in a pool of `threads` threads.
fn with_threads<R: Send>(threads: usize, f: impl FnOnce() -> R + Send) -> R {
    rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .unwrap()
        .install(f)
}

/// A corpus big enough to be cut into several chunks: the news paragraphs,
/// shuffled into 3,000 documents of varied length, deterministically.
fn larger_corpus() -> Vec<String> {
    let texts = news_texts();
    (0..3000usize)
        .map(|i| {
            let n = 1 + (i * 7919) % 5;
            (0..n)
                .map(|k| texts[(i * 31 + k * 17) % texts.len()].as_str())
                .collect::<Vec<_>>()
                .join(" ")
        })
        .collect()
}

fn configurations() -> Vec<(&'static str, TfidfParams)> {
    vec![
        ("defaults", TfidfVectorizer::params()),
        (
            "issue",
            TfidfVectorizer::params()
                .stop_words(Some(StopWordList::English))
                .sublinear_tf(true)
                .min_df(2u64)
                .max_df(0.5)
                .ngram_range(1, 2),
        ),
        (
            "stemmed",
            TfidfVectorizer::params()
                .stem(Some(Language::English))
                .max_features(Some(500)),
        ),
        (
            "char_wb",
            TfidfVectorizer::params()
                .analyzer(topica::analyze::AnalyzerKind::CharWb)
                .ngram_range(2, 4),
        ),
    ]
}

#[test]
fn tfidf_is_identical_whatever_the_thread_count() {
    for docs in [news_texts(), larger_corpus()] {
        for (name, params) in configurations() {
            let (model, x) = with_threads(1, || params.fit_transform(&docs).unwrap());
            for threads in [2, 3, 5] {
                let (m, y) = with_threads(threads, || params.fit_transform(&docs).unwrap());
                assert_eq!(
                    m.vocabulary().terms(),
                    model.vocabulary().terms(),
                    "{name}, {threads} threads"
                );
                assert_eq!(m.idf(), model.idf(), "{name}, {threads} threads");
                // Bit for bit: PartialEq on f64 would let -0.0 == 0.0 pass.
                assert_eq!(
                    y.matrix().indptr(),
                    x.matrix().indptr(),
                    "{name}, {threads} threads"
                );
                assert_eq!(
                    y.matrix().indices(),
                    x.matrix().indices(),
                    "{name}, {threads} threads"
                );
                let bits = |m: &topica::vectorize::DocTermMatrix| {
                    m.matrix()
                        .data()
                        .iter()
                        .map(|v| v.to_bits())
                        .collect::<Vec<_>>()
                };
                assert_eq!(bits(&y), bits(&x), "{name}, {threads} threads");
            }
        }
    }
}

#[test]
fn hashing_is_identical_whatever_the_thread_count() {
    let docs = larger_corpus();
    let hasher = HashingVectorizer::params()
        .n_features(1 << 12)
        .build()
        .unwrap();
    let x = with_threads(1, || hasher.transform(&docs));
    for threads in [2, 3, 5] {
        assert_eq!(
            with_threads(threads, || hasher.transform(&docs)),
            x,
            "{threads} threads"
        );
    }
}
