//! topica's k-means against linfa-clustering's `KMeans`, in process, on the
//! same dense LSA vectors of 20 Newsgroups.
//!
//! ```text
//! TOPICA_DATA_DIR=../shared/data cargo bench --bench cluster_peers
//! TOPICA_PEER_RUNS=3 TOPICA_DATA_DIR=../shared/data cargo bench --bench cluster_peers
//! ```
//!
//! Two workloads of `20newsgroups_clean.jsonl`, each turned into dense vectors
//! once, untimed, exactly as scikit-learn's LSA does it (and as
//! `benches/compare_cluster.py` feeds scikit-learn):
//!
//! - `example4`: scikit-learn's document-clustering example, the 4 groups
//!   alt.atheism, talk.religion.misc, comp.graphics and sci.space (3,387
//!   posts), `TfidfVectorizer(max_df=0.5, min_df=5, stop_words="english")`,
//!   k = 4;
//! - `all20`: all 18,846 posts, `TfidfVectorizer(stop_words="english",
//!   sublinear_tf=True, min_df=2, max_df=0.5)` (`topica cluster`'s default
//!   vectorizer), k = 20;
//!
//! then topica's `TruncatedSvd` with 100 components (seed 0) and every row
//! L2-normalised (`normalize_rows`). Every post is kept, also those left
//! without any term (the 515 empty after scikit-learn's cleaning, and posts
//! whose every word is a stop word or too rare): their rows are zero for both
//! algorithms alike (104 of example4's, 554 of all20's).
//!
//! On those same `f64` vectors it times, for seeds `0..TOPICA_PEER_RUNS`
//! (default 5), one run each, interleaved:
//!
//! - `topica`: `SphericalKMeansParams::new(k)` (spherical k-means, greedy
//!   k-means++ starts) on the dense rows through the `Rows` trait;
//! - `linfa`: linfa-clustering 0.8's `KMeans::params_with_rng(k,
//!   Xoshiro256Plus::seed_from_u64(seed))` with `KMeansInit::KMeansPlusPlus`,
//!   `fit` then `predict` (its model holds no labels; the extra assignment
//!   pass is part of getting them);
//!
//! each with `n_init` 1 and 10 (`n_runs` for linfa), `max_iter` 100 and `tol`
//! 1e-4, on every core (both assign rows with rayon). Both get the same
//! seeds; their random streams differ, so the starts differ.
//!
//! Quality against the newsgroup labels (V-measure, adjusted Rand index, by
//! `topica::metrics`), and, as a yardstick both can be held to, the
//! Euclidean k-means objective of each labelling (the sum over rows of the
//! squared distance to the mean of its cluster's rows).
//!
//! Output: one JSON object a line on standard output, first one per workload
//! (`{"workload": ..., "documents": ..., "terms": ..., "lsa_seconds": ...}`),
//! then one per measurement: `{"workload", "name", "who", "n_init",
//! "median_s", "runs", "seeds", "v_measure": {"mean", "per_seed"}, "ari":
//! {...}, "sse": {...}, "n_clusters_found": [...]}`. Progress goes to
//! standard error. `benches/compare_linfa.py` runs it and writes the
//! `linfa` section of BENCHMARKS.md.
//!
//! The only argument looked at is `--bench`, which `cargo bench` passes:
//! without it (as under `cargo test --benches`) nothing is measured. Without
//! the data (`TOPICA_DATA_DIR` unset or the file missing) it says what is
//! missing and exits successfully.
//!
//! # How linfa's k-means differs (linfa-clustering 0.8.1, `k_means/algorithm.rs`)
//!
//! - **Update.** `compute_centroids` starts every cluster's count at 1, sums
//!   the members, adds the *old* centroid (the source's comment: "m_k-means:
//!   Treat the old centroid like another point in the cluster") and divides:
//!   the new centroid is `(old + sum of members) / (members + 1)`, not the
//!   members' mean. A centroid with `n` members moves `n / (n + 1)` of the way
//!   to their mean; a cluster that loses all its members keeps its old
//!   centroid (no NaN, but no relocation either: scikit-learn and topica move
//!   an emptied cluster to a far point).
//! - **Stop.** When the Euclidean (Frobenius) norm of the change of the whole
//!   `k x d` centroid matrix is below `tolerance`, an absolute figure, or after
//!   `max_n_iterations` (its default is 300; 100 here). topica stops when no
//!   row changes cluster or the objective improves by less than `tol` times
//!   its value; scikit-learn when the squared centroid shift is below `tol`
//!   times the mean feature variance.
//! - **Starts.** Plain k-means++ (one candidate per centre, drawn with
//!   probability proportional to the squared distance); topica, like
//!   scikit-learn, keeps the best of `2 + floor(ln k)` candidates per centre.
//! - **Distance.** Euclidean, with centroids that are means (shorter than 1 on
//!   unit rows); topica assigns by cosine to unit centroids.
//! - **Restarts.** The run of lowest inertia is kept, the inertia being the sum
//!   of squared distances measured in the last assignment step, before the
//!   last update.
//! - **Threads.** Both assign rows in parallel (rayon); linfa's update step
//!   runs on one thread.

use std::collections::HashMap;
use std::io::{BufRead, BufReader};
use std::time::Instant;

use linfa::DatasetBase;
use linfa::prelude::*;
use linfa_clustering::{KMeans, KMeansInit};
use ndarray::{Array2, ArrayView2};
use rand::SeedableRng;
use rand_xoshiro::Xoshiro256Plus;
use serde_json::{Value, json};
use topica::analyze::StopWordList;
use topica::cluster::SphericalKMeansParams;
use topica::corpus::{EXAMPLE_GROUPS, reference_file};
use topica::metrics::score_labels;
use topica::reduce::{TruncatedSvd, normalize_rows};
use topica::vectorize::{TfidfParams, TfidfVectorizer};

/// The environment variable giving the number of seeds (one run each).
const RUNS_VAR: &str = "TOPICA_PEER_RUNS";

/// Iteration limit and tolerance given to both algorithms.
const MAX_ITER: usize = 100;
const TOL: f64 = 1e-4;

/// Components of the LSA reduction.
const N_COMPONENTS: usize = 100;

/// One workload: the texts and labels, the vectorizer, k.
struct Workload {
    name: &'static str,
    k: usize,
    texts: Vec<String>,
    labels: Vec<String>,
    vectorizer: TfidfParams,
}

/// What one algorithm gave for one seed.
struct Outcome {
    seconds: f64,
    labels: Vec<usize>,
}

/// Reads `text` and `label` of every record of a JSON Lines file.
fn read_jsonl(path: &std::path::Path) -> Vec<(String, String)> {
    let file = std::fs::File::open(path).expect("the corpus opens");
    BufReader::new(file)
        .lines()
        .map(|line| line.expect("the corpus reads"))
        .filter(|line| !line.trim().is_empty())
        .map(|line| {
            let v: Value = serde_json::from_str(&line).expect("a JSON object a line");
            let field = |name: &str| v[name].as_str().unwrap_or_default().to_string();
            (field("text"), field("label"))
        })
        .collect()
}

fn median(values: &[f64]) -> f64 {
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    let n = sorted.len();
    if n % 2 == 1 {
        sorted[n / 2]
    } else {
        (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0
    }
}

fn mean(values: &[f64]) -> f64 {
    values.iter().sum::<f64>() / values.len() as f64
}

/// The sum over rows of the squared Euclidean distance to the mean of the
/// rows of its cluster (the k-means objective of a labelling), summed in row
/// order.
fn sse(z: &Array2<f64>, labels: &[usize]) -> f64 {
    let k = labels.iter().max().map_or(0, |&m| m + 1);
    let mut sums = Array2::<f64>::zeros((k, z.ncols()));
    let mut counts = vec![0usize; k];
    for (row, &c) in z.rows().into_iter().zip(labels) {
        let mut s = sums.row_mut(c);
        s += &row;
        counts[c] += 1;
    }
    for (mut s, &n) in sums.rows_mut().into_iter().zip(&counts) {
        if n > 0 {
            s /= n as f64;
        }
    }
    z.rows()
        .into_iter()
        .zip(labels)
        .map(|(row, &c)| {
            row.iter()
                .zip(sums.row(c))
                .map(|(a, b)| (a - b) * (a - b))
                .sum::<f64>()
        })
        .sum()
}

fn topica_kmeans(z: &ArrayView2<f64>, k: usize, n_init: usize, seed: u64) -> Outcome {
    let start = Instant::now();
    let km = SphericalKMeansParams::new(k)
        .n_init(n_init)
        .max_iter(MAX_ITER)
        .tol(TOL)
        .seed(seed)
        .fit(z)
        .expect("topica's k-means fits");
    let labels = km.labels().to_vec();
    let seconds = start.elapsed().as_secs_f64();
    Outcome { seconds, labels }
}

fn linfa_kmeans<T>(
    dataset: &DatasetBase<ArrayView2<f64>, T>,
    k: usize,
    n_init: usize,
    seed: u64,
) -> Outcome {
    let start = Instant::now();
    let model = KMeans::params_with_rng(k, Xoshiro256Plus::seed_from_u64(seed))
        .n_runs(n_init)
        .max_n_iterations(MAX_ITER as u64)
        .tolerance(TOL)
        .init_method(KMeansInit::KMeansPlusPlus)
        .fit(dataset)
        .expect("linfa's k-means fits");
    let labels = model.predict(dataset.records()).to_vec();
    let seconds = start.elapsed().as_secs_f64();
    Outcome { seconds, labels }
}

fn run_workload(w: &Workload, runs: usize) {
    let start = Instant::now();
    let (_, x) = w
        .vectorizer
        .fit_transform(&w.texts)
        .expect("the workload vectorizes");
    let vectorize_seconds = start.elapsed().as_secs_f64();
    let start = Instant::now();
    let (_, mut z) = TruncatedSvd::params(N_COMPONENTS)
        .seed(0)
        .fit_transform(x.matrix())
        .expect("the LSA reduction fits");
    normalize_rows(&mut z);
    let lsa_seconds = start.elapsed().as_secs_f64();
    let zero_rows = z
        .rows()
        .into_iter()
        .filter(|r| r.iter().all(|&v| v == 0.0))
        .count();
    println!(
        "{}",
        json!({
            "workload": w.name,
            "documents": w.texts.len(),
            "terms": x.n_terms(),
            "nnz": x.nnz(),
            "k": w.k,
            "n_components": N_COMPONENTS,
            "zero_rows": zero_rows,
            "vectorize_seconds": vectorize_seconds,
            "lsa_seconds": lsa_seconds,
            "max_iter": MAX_ITER,
            "tol": TOL,
            "threads": rayon::current_num_threads(),
        })
    );
    eprintln!(
        "cluster_peers: {}: {} documents x {} terms -> {} LSA dimensions in {lsa_seconds:.2} s \
         ({zero_rows} zero rows)",
        w.name,
        w.texts.len(),
        x.n_terms(),
        N_COMPONENTS,
    );
    drop(x);

    let view = z.view();
    let dataset = DatasetBase::from(z.view());
    // One untimed warm-up of each.
    topica_kmeans(&view, w.k, 1, 0);
    linfa_kmeans(&dataset, w.k, 1, 0);

    // (who, n_init) -> one outcome per seed
    let keys = [("topica", 1), ("linfa", 1), ("topica", 10), ("linfa", 10)];
    let mut outcomes: HashMap<(&str, usize), Vec<Outcome>> = HashMap::new();
    for seed in 0..runs as u64 {
        for &(who, n_init) in &keys {
            let outcome = match who {
                "topica" => topica_kmeans(&view, w.k, n_init, seed),
                _ => linfa_kmeans(&dataset, w.k, n_init, seed),
            };
            eprintln!(
                "cluster_peers: {}: {who} n_init {n_init} seed {seed}: {:.3} s",
                w.name, outcome.seconds
            );
            outcomes.entry((who, n_init)).or_default().push(outcome);
        }
    }
    for &(who, n_init) in &keys {
        let outs = &outcomes[&(who, n_init)];
        let times: Vec<f64> = outs.iter().map(|o| o.seconds).collect();
        let mut v = Vec::new();
        let mut ari = Vec::new();
        let mut sses = Vec::new();
        let mut found = Vec::new();
        for o in outs {
            let s = score_labels(&w.labels, &o.labels).expect("labels score");
            v.push(s.v_measure);
            ari.push(s.adjusted_rand_index);
            sses.push(sse(&z, &o.labels));
            let mut distinct = o.labels.clone();
            distinct.sort_unstable();
            distinct.dedup();
            found.push(distinct.len());
        }
        println!(
            "{}",
            json!({
                "workload": w.name,
                "name": format!("{}/{who}_n_init_{n_init}", w.name),
                "who": who,
                "n_init": n_init,
                "median_s": median(&times),
                "runs": times,
                "seeds": (0..runs).collect::<Vec<_>>(),
                "v_measure": {"mean": mean(&v), "per_seed": v},
                "ari": {"mean": mean(&ari), "per_seed": ari},
                "sse": {"mean": mean(&sses), "per_seed": sses},
                "n_clusters_found": found,
            })
        );
    }
}

fn main() {
    if !std::env::args().any(|a| a == "--bench") {
        eprintln!("cluster_peers: measures only under `cargo bench --bench cluster_peers`");
        return;
    }
    let runs = match std::env::var(RUNS_VAR) {
        Ok(s) => match s.trim().parse::<usize>() {
            Ok(n) if n >= 1 => n,
            _ => {
                eprintln!("cluster_peers: {RUNS_VAR}={s:?} is not a number of seeds (>= 1)");
                std::process::exit(2);
            }
        },
        Err(_) => 5,
    };
    let path = match reference_file("20newsgroups_clean.jsonl") {
        Ok(path) => path,
        Err(e) => {
            eprintln!("cluster_peers: skipped: {e}");
            return;
        }
    };
    let records = read_jsonl(&path);
    eprintln!(
        "cluster_peers: {} posts, seeds 0..{runs}, {} threads",
        records.len(),
        rayon::current_num_threads()
    );
    let (example_texts, example_labels): (Vec<String>, Vec<String>) = records
        .iter()
        .filter(|(_, label)| EXAMPLE_GROUPS.contains(&label.as_str()))
        .cloned()
        .unzip();
    let (all_texts, all_labels): (Vec<String>, Vec<String>) = records.into_iter().unzip();
    let workloads = [
        Workload {
            name: "example4",
            k: 4,
            texts: example_texts,
            labels: example_labels,
            vectorizer: TfidfVectorizer::params()
                .stop_words(Some(StopWordList::English))
                .min_df(5u64)
                .max_df(0.5),
        },
        Workload {
            name: "all20",
            k: 20,
            texts: all_texts,
            labels: all_labels,
            vectorizer: TfidfVectorizer::params()
                .stop_words(Some(StopWordList::English))
                .sublinear_tf(true)
                .min_df(2u64)
                .max_df(0.5),
        },
    ];
    for w in &workloads {
        run_workload(w, runs);
    }
}
