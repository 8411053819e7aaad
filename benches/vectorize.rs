//! Criterion benchmarks of topica's vectorizing kernels on all of 20 Newsgroups
//! (18,846 documents, 35.9 MB of text), throughput in bytes of text.
//!
//! ```text
//! TOPICA_DATA_DIR=../shared/data cargo bench --bench vectorize
//! TOPICA_DATA_DIR=../shared/data cargo bench --bench vectorize -- fit_transform
//! ```
//!
//! Groups:
//!
//! - `tokenize`: the default tokenizer over every raw text (`tokenizer`), the
//!   same after lowercasing, as the vectorizer does (`lowercase_tokenizer`),
//!   and the default [`Analyzer`]'s reference path, which allocates every
//!   feature (`analyzer`);
//! - `fit`: learning the vocabulary and idf with scikit-learn's defaults;
//! - `transform`: a model fitted once, outside the measurement, transforming
//!   the texts it was fitted on;
//! - `fit_transform`: scikit-learn's defaults (`default`) and with English
//!   stemming (`stem_english`).
//!
//! Every measured closure checks its own result (token counts computed once
//! beforehand, and the numbers of terms and non-zeros scikit-learn 1.9.1 gives),
//! so a broken kernel fails instead of being timed. Without the data
//! (`TOPICA_DATA_DIR` unset or the file missing) the benchmark says what is
//! missing and exits successfully.

use std::hint::black_box;
use std::time::Duration;

use criterion::{BenchmarkGroup, Criterion, SamplingMode, Throughput, measurement::WallTime};
use topica::analyze::{Analyzer, Language, Tokenizer, lowercase_into};
use topica::corpus::{Corpus, reference_file};
use topica::vectorize::TfidfVectorizer;

/// scikit-learn 1.9.1's `TfidfVectorizer()` on all of 20 Newsgroups.
const DEFAULT_TERMS: usize = 173_762;
const DEFAULT_NNZ: usize = 2_952_534;

/// topica with English stemming on all of 20 Newsgroups.
const STEM_TERMS: usize = 150_095;
const STEM_NNZ: usize = 2_829_506;

/// A group with the settings every group here shares: few samples of one
/// iteration each (a run takes a fraction of a second), bytes of text as
/// throughput.
fn group<'c>(c: &'c mut Criterion, name: &str, bytes: u64) -> BenchmarkGroup<'c, WallTime> {
    let mut g = c.benchmark_group(name);
    g.sample_size(10)
        .sampling_mode(SamplingMode::Flat)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(10))
        .throughput(Throughput::Bytes(bytes));
    g
}

/// Tokens of every text, counted.
fn count_tokens(tokenizer: &Tokenizer, texts: &[&str]) -> usize {
    let mut n = 0;
    for text in texts {
        tokenizer.tokenize(text, |token| {
            black_box(token);
            n += 1;
        });
    }
    n
}

/// Tokens of every text after lowercasing, counted.
fn count_lowercase_tokens(tokenizer: &Tokenizer, texts: &[&str]) -> usize {
    let mut buf = String::new();
    let mut n = 0;
    for text in texts {
        let lower = lowercase_into(text, &mut buf);
        tokenizer.tokenize(lower, |token| {
            black_box(token);
            n += 1;
        });
    }
    n
}

/// Features of every text through the analyzer's reference path, counted.
fn count_features(analyzer: &Analyzer, texts: &[&str]) -> usize {
    texts
        .iter()
        .map(|t| black_box(analyzer.analyze(t)).len())
        .sum()
}

fn tokenize(c: &mut Criterion, texts: &[&str], bytes: u64) {
    let tokenizer = Tokenizer::default();
    let analyzer = Analyzer::default();
    let tokens = count_tokens(&tokenizer, texts);
    let lowercase_tokens = count_lowercase_tokens(&tokenizer, texts);
    let features = count_features(&analyzer, texts);
    eprintln!(
        "tokenize: {tokens} tokens in the raw texts, {lowercase_tokens} once lowercased, \
         {features} features from the default analyzer"
    );
    let mut g = group(c, "tokenize", bytes);
    g.bench_function("tokenizer", |b| {
        b.iter(|| assert_eq!(count_tokens(&tokenizer, texts), tokens))
    });
    g.bench_function("lowercase_tokenizer", |b| {
        b.iter(|| assert_eq!(count_lowercase_tokens(&tokenizer, texts), lowercase_tokens))
    });
    g.bench_function("analyzer", |b| {
        b.iter(|| assert_eq!(count_features(&analyzer, texts), features))
    });
    g.finish();
}

fn fit(c: &mut Criterion, texts: &[&str], bytes: u64) {
    let params = TfidfVectorizer::params();
    let mut g = group(c, "fit", bytes);
    g.bench_function("default", |b| {
        b.iter(|| {
            let model = params.fit(texts).expect("20 Newsgroups fits");
            assert_eq!(model.vocabulary().len(), DEFAULT_TERMS);
            assert_eq!(model.n_documents(), texts.len());
            model
        })
    });
    g.finish();
}

fn transform(c: &mut Criterion, texts: &[&str], bytes: u64) {
    let model = TfidfVectorizer::params()
        .fit(texts)
        .expect("20 Newsgroups fits");
    let mut g = group(c, "transform", bytes);
    g.bench_function("default", |b| {
        b.iter(|| {
            let x = model.transform(texts);
            assert_eq!(x.n_documents(), texts.len());
            assert_eq!(x.n_terms(), DEFAULT_TERMS);
            assert_eq!(x.nnz(), DEFAULT_NNZ);
            x
        })
    });
    g.finish();
}

fn fit_transform(c: &mut Criterion, texts: &[&str], bytes: u64) {
    let defaults = TfidfVectorizer::params();
    let stem = TfidfVectorizer::params().stem(Some(Language::English));
    let mut g = group(c, "fit_transform", bytes);
    g.bench_function("default", |b| {
        b.iter(|| {
            let (_, x) = defaults.fit_transform(texts).expect("20 Newsgroups fits");
            assert_eq!(x.n_documents(), texts.len());
            assert_eq!(x.n_terms(), DEFAULT_TERMS);
            assert_eq!(x.nnz(), DEFAULT_NNZ);
            x
        })
    });
    g.bench_function("stem_english", |b| {
        b.iter(|| {
            let (_, x) = stem.fit_transform(texts).expect("20 Newsgroups fits");
            assert_eq!(x.n_documents(), texts.len());
            assert_eq!(x.n_terms(), STEM_TERMS);
            assert_eq!(x.nnz(), STEM_NNZ);
            x
        })
    });
    g.finish();
}

fn main() {
    let path = match reference_file("20newsgroups.jsonl") {
        Ok(path) => path,
        Err(e) => {
            eprintln!("vectorize benchmarks skipped: {e}");
            return;
        }
    };
    let corpus = Corpus::read(&[&path], &Default::default()).expect("20 Newsgroups reads");
    let texts = corpus.texts();
    let bytes: u64 = texts.iter().map(|t| t.len() as u64).sum();
    eprintln!(
        "20 Newsgroups: {} documents, {bytes} bytes of text",
        texts.len()
    );

    let mut c = Criterion::default().configure_from_args();
    tokenize(&mut c, &texts, bytes);
    fit(&mut c, &texts, bytes);
    transform(&mut c, &texts, bytes);
    fit_transform(&mut c, &texts, bytes);
    c.final_summary();
}
