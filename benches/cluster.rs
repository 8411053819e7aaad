//! Criterion benchmarks of topica's clustering hot paths on all 20 categories
//! of `20newsgroups_clean.jsonl` (18,846 posts) with `topica cluster`'s
//! default vectorizer, and of the whole job on the bundled news corpus.
//!
//! ```text
//! TOPICA_DATA_DIR=../shared/data cargo bench --bench cluster
//! ```
//!
//! Groups:
//!
//! - `kmeans`: spherical k-means, k = 20, one k-means++ start (`n_init_1`),
//!   and the mini-batch variant (batches of 1,024);
//! - `pipeline`: the clustering pipeline (`ClusterParams::fit`: outliers,
//!   k-means with its defaults: one run refined by Hartigan's moves,
//!   centroids, scores), k = 20;
//! - `context`: the document context's blend of every post with its
//!   neighbours, the posts taken as texts of ten paragraphs;
//! - `silhouette`: the exact cosine silhouette of a 20-topic labelling;
//! - `ctfidf`: c-TF-IDF of 20 topics from the raw counts;
//! - `news_job`: the whole `topica cluster data/news --k 4` job in process.
//!
//! Every measured closure checks its result (label counts, finite scores).
//! Without the data the 20 Newsgroups groups say what is missing and only
//! `news_job` runs.

use std::hint::black_box;
use std::time::Duration;

use criterion::{BenchmarkGroup, Criterion, SamplingMode, measurement::WallTime};
use topica::cluster::{Algorithm, ClusterParams, ContextParams, KChoice, SphericalKMeansParams};
use topica::corpus::{Corpus, ReadOptions, reference_file};
use topica::job::{ClusterJob, Progress};
use topica::metrics::silhouette_cosine;
use topica::topics::CTfIdf;

fn group<'c>(c: &'c mut Criterion, name: &str) -> BenchmarkGroup<'c, WallTime> {
    let mut g = c.benchmark_group(name);
    g.sample_size(10)
        .sampling_mode(SamplingMode::Flat)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(10));
    g
}

fn newsgroups(c: &mut Criterion) {
    let path = match reference_file("20newsgroups_clean.jsonl") {
        Ok(path) => path,
        Err(e) => {
            eprintln!("20 Newsgroups clustering benchmarks skipped: {e}");
            return;
        }
    };
    let corpus = Corpus::read(&[&path], &ReadOptions::default()).expect("20 Newsgroups reads");
    let texts = corpus.texts();
    let (_, tfidf, counts) = ClusterJob::default_vectorizer()
        .fit_transform_with_counts(&texts)
        .expect("20 Newsgroups vectorizes");
    let x = tfidf.matrix();
    let n = x.rows();
    eprintln!("20 Newsgroups clean: {n} posts, {} terms", x.cols());

    let mut g = group(c, "kmeans");
    g.bench_function("n_init_1", |b| {
        b.iter(|| {
            let km = SphericalKMeansParams::new(20)
                .n_init(1)
                .fit(x)
                .expect("k-means fits");
            assert_eq!(km.labels().len(), n);
            km.objective()
        })
    });
    g.bench_function("mini_batch_1024", |b| {
        b.iter(|| {
            let km = SphericalKMeansParams::new(20)
                .n_init(1)
                .algorithm(Algorithm::MiniBatch { batch_size: 1024 })
                .fit(x)
                .expect("mini-batch k-means fits");
            assert_eq!(km.labels().len(), n);
            km.objective()
        })
    });
    g.finish();

    let groups = vec![None; n];
    let params = ClusterParams {
        k: KChoice::Fixed(20),
        ..ClusterParams::default()
    };
    let mut g = group(c, "pipeline");
    g.bench_function("kmeans_k20_defaults", |b| {
        b.iter(|| {
            let found = params.fit(x, &groups).expect("the pipeline fits");
            assert_eq!(found.n_topics(), 20);
            found.objective
        })
    });
    g.finish();

    // The posts taken as texts of ten paragraphs each (rows 0-9, 10-19...),
    // blended with their context's defaults (window 3, gated).
    let texts_of_ten: Vec<Option<usize>> = (0..n).map(|i| Some(i / 10)).collect();
    let context = ContextParams::default();
    let mut g = group(c, "context");
    g.bench_function("blend_texts_of_10", |b| {
        b.iter(|| {
            let blended = context.blend(x, &texts_of_ten).unwrap();
            assert_eq!(blended.rows(), n);
            assert!(blended.nnz() > 3 * x.nnz());
            blended.nnz()
        })
    });
    g.finish();

    let km = SphericalKMeansParams::new(20)
        .n_init(1)
        .fit(x)
        .expect("k-means fits");
    let labels: Vec<usize> = km.labels().to_vec();
    let mut g = group(c, "silhouette");
    g.bench_function("cosine_k20", |b| {
        b.iter(|| {
            let s = silhouette_cosine(x, &labels).expect("a silhouette");
            assert!(s.is_finite());
            s
        })
    });
    g.finish();

    let topics: Vec<i64> = labels.iter().map(|&l| l as i64).collect();
    let mut g = group(c, "ctfidf");
    g.bench_function("k20", |b| {
        b.iter(|| {
            let t = CTfIdf::fit(counts.matrix(), &topics, 20).expect("c-TF-IDF fits");
            assert_eq!(t.n_topics(), 20);
            black_box(t.top_terms(0, 10))
        })
    });
    g.finish();
}

fn news_job(c: &mut Criterion) {
    let corpus = Corpus::read(&["data/news"], &ReadOptions::default()).expect("data/news reads");
    let mut job = ClusterJob::default();
    job.clustering.k = KChoice::Fixed(4);
    let inputs = vec!["data/news".to_string()];
    let mut g = group(c, "news_job");
    g.bench_function("k4", |b| {
        b.iter(|| {
            let report = job
                .run(&corpus, &inputs, None, &Progress::hidden())
                .expect("the job runs");
            assert_eq!(report.topics.len(), 4);
            report
        })
    });
    g.finish();
}

fn main() {
    let mut c = Criterion::default().configure_from_args();
    news_job(&mut c);
    newsgroups(&mut c);
    c.final_summary();
}
