#!/usr/bin/env python3
"""topica's k-means against linfa-clustering's KMeans on the same dense LSA
vectors of 20 Newsgroups, written into BENCHMARKS.md (section `linfa`).

    python3 benches/compare_linfa.py --data "$TOPICA_DATA_DIR" --markdown BENCHMARKS.md
    python3 benches/compare_linfa.py --data ../shared/data --runs 2

Builds and runs `cargo bench --bench cluster_peers` (benches/cluster_peers.rs,
which says what it measures and how linfa's k-means differs), with
`TOPICA_PEER_RUNS` seeds, and turns its JSON lines into a table: quality
(V-measure, ARI against the newsgroup labels, and the Euclidean k-means
objective of each labelling) and the median time of each, with n_init 1 and
10, on scikit-learn's document-clustering example (4 groups) and on all 20
groups of 20newsgroups_clean.jsonl. Needs cargo; no Python package beyond
the standard library.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import benchmd  # noqa: E402

NAME = "linfa"
CORPUS = "20newsgroups_clean.jsonl"
RESULTS = benchmd.REPO / "benches" / "results" / "linfa.json"
TITLES = {
    "example4": "scikit-learn's document-clustering example (4 groups, k = 4)",
    "all20": "all 20 groups of 20newsgroups_clean (k = 20)",
}
VECTORIZERS = {
    "example4": 'TfidfVectorizer(max_df=0.5, min_df=5, stop_words="english")',
    "all20": 'TfidfVectorizer(stop_words="english", sublinear_tf=True, min_df=2, max_df=0.5)',
}


def log(message):
    print(f"compare_linfa: {message}", file=sys.stderr, flush=True)


def measure(data, runs):
    exe = benchmd.bench_executable("cluster_peers", log)
    env = {**os.environ, "TOPICA_DATA_DIR": str(data), "TOPICA_PEER_RUNS": str(runs)}
    log(f"running {exe} --bench with TOPICA_PEER_RUNS={runs}")
    load_start = benchmd.load_average()
    proc = subprocess.run([exe, "--bench"], env=env, cwd=benchmd.REPO, text=True,
                          stdout=subprocess.PIPE, stderr=None)
    if proc.returncode != 0:
        sys.exit(f"compare_linfa: cluster_peers failed ({proc.returncode})")
    workloads, measurements = {}, []
    for line in proc.stdout.splitlines():
        if not line.startswith("{"):
            continue
        m = json.loads(line)
        if "name" in m:
            measurements.append(m)
        else:
            workloads[m["workload"]] = m
    if not measurements:
        sys.exit("compare_linfa: cluster_peers measured nothing (is TOPICA_DATA_DIR set?)")
    return {
        "date": benchmd.now(),
        "machine": benchmd.machine(),
        "topica": benchmd.commit(),
        "rustc": benchmd.rustc(),
        "linfa_clustering": benchmd.crate_version("linfa-clustering"),
        "runs": runs,
        "load_start": load_start,
        "load_end": benchmd.load_average(),
        "workloads": workloads,
        "measurements": measurements,
    }


def secs(s):
    return f"{s * 1000:.1f} ms" if s < 1 else f"{s:.2f} s"


def render(r):
    runs = r["runs"]
    by = {(m["workload"], m["who"], m["n_init"]): m for m in r["measurements"]}
    command = 'python3 benches/compare_linfa.py --data "$TOPICA_DATA_DIR" --markdown BENCHMARKS.md'
    if runs != 5:
        command += f" --runs {runs}"
    out = [
        "## Clustering: topica's k-means against linfa-clustering's KMeans on the same LSA vectors",
        "",
        f"Measured {r['date']} on {r['machine']}, by",
        "",
        "```sh",
        command,
        "```",
        "",
        f"which runs `TOPICA_PEER_RUNS={runs} cargo bench --bench cluster_peers` "
        f"(`benches/cluster_peers.rs`), with topica {r['topica']} (rustc {r['rustc']}) and "
        f"linfa-clustering {r['linfa_clustering']}; load average (1 min) {r['load_start']:.2f} "
        f"at the start and {r['load_end']:.2f} at the end. The machine is shared with other work: "
        "expect noise of tens of percent between runs; the ratios compare figures of this one run.",
        "",
        "The vectors are built once per workload and not timed: topica's TF-IDF with the "
        "vectorizer named below, topica's `TruncatedSvd` (100 components, seed 0), every row "
        "L2-normalised, as scikit-learn's LSA pipeline does. Posts left without any term give zero "
        "rows (" + ", ".join(f"{w['zero_rows']:,} of {name}'s {w['documents']:,}"
                             for name, w in r["workloads"].items())
        + "), kept for both. On those same `f64` rows, for seeds "
        f"0-{runs - 1} (one run each, interleaved), both on every core, `max_iter` 100, `tol` 1e-4:",
        "",
        "- **topica**: `SphericalKMeansParams::new(k).n_init(n).max_iter(100).tol(1e-4).seed(s)"
        ".fit(&z.view())`, spherical k-means on the dense rows (the default `topica cluster` "
        "method runs it on the sparse TF-IDF rows instead);",
        "- **linfa**: `KMeans::params_with_rng(k, Xoshiro256Plus::seed_from_u64(s)).n_runs(n)"
        ".max_n_iterations(100).tolerance(1e-4).init_method(KMeansPlusPlus)`, `fit` then "
        "`predict` for the labels (what `topica cluster --method lsa-kmeans` runs today).",
        "",
        "Scores are means over the seeds, times are medians; a ratio above 1 means topica was "
        "faster. SSE is the Euclidean k-means "
        "objective of each labelling (the sum of squared distances of the rows to their "
        "cluster's mean; lower is better), a yardstick neither algorithm optimises exactly.",
        "",
        "| workload | n_init | V-measure topica / linfa | ARI topica / linfa | SSE topica / linfa "
        "| topica time | linfa time | linfa time / topica time |",
        "| --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for name, w in r["workloads"].items():
        for n_init in (1, 10):
            t, lf = by.get((name, "topica", n_init)), by.get((name, "linfa", n_init))
            if not t or not lf:
                continue
            title = (f"{TITLES.get(name, name)}: {w['documents']:,} posts, {w['terms']:,} terms "
                     f"(`{VECTORIZERS.get(name, '?')}`)")
            out.append(
                f"| {title} | {n_init} | {t['v_measure']['mean']:.3f} / {lf['v_measure']['mean']:.3f} "
                f"| {t['ari']['mean']:.3f} / {lf['ari']['mean']:.3f} "
                f"| {t['sse']['mean']:,.1f} / {lf['sse']['mean']:,.1f} "
                f"| {secs(t['median_s'])} | {secs(lf['median_s'])} "
                f"| **{lf['median_s'] / t['median_s']:.1f}x** |")
    out += [
        "",
        "LSA time (not in the comparison): " + ", ".join(
            f"{name} {w['lsa_seconds']:.2f} s" for name, w in r["workloads"].items()) + ".",
        "",
        "### How linfa's KMeans differs (linfa-clustering 0.8.1, `src/k_means/algorithm.rs`)",
        "",
        "- **The update counts the old centroid as one more point.** `compute_centroids` starts "
        "every cluster's count at 1, adds the old centroid to the sum of the members and divides "
        "(the source says: \"m_k-means: Treat the old centroid like another point in the "
        "cluster\"): the new centroid is `(old + sum of members) / (members + 1)`, not the "
        "members' mean. A centroid with n members moves n/(n+1) of the way to their mean, so it "
        "keeps creeping after the assignments stop changing; a cluster left without members "
        "keeps its old centroid (no NaN, but no relocation: topica, like scikit-learn, moves an "
        "emptied cluster to a far row).",
        "- **Stopping** is on the Euclidean (Frobenius) norm of the change of the whole k x d "
        "centroid matrix, below `tolerance` as an absolute figure (default 1e-4; at most "
        "`max_n_iterations`, default 300). topica stops when no row changes cluster or the "
        "objective gains less than `tol` times its value; scikit-learn when the squared shift is "
        "below `tol` times the mean feature variance. The same `1e-4` means three things.",
        "- **Starts**: plain k-means++ (one candidate per centre, drawn with probability "
        "proportional to the squared distance); topica keeps the best of `2 + floor(ln k)` "
        "candidates per centre, as scikit-learn does.",
        "- **Distance**: Euclidean to centroids that are means (shorter than 1 on unit rows); "
        "topica assigns by cosine to unit centroids.",
        "- **Restarts**: the run of lowest inertia is kept, measured in the last assignment "
        "step, before the last update; `inertia()` reports it divided by the number of rows.",
        "- **Threads**: both assign rows in parallel (rayon); linfa's update step "
        "(`compute_centroids`) runs on one thread.",
    ]
    return "\n".join(out) + "\n"


def main(argv=None):
    ap = benchmd.comparison_parser(__doc__, NAME, CORPUS, results=RESULTS)
    ap.add_argument("--runs", type=int, default=5, help="seeds, one run each (default 5)")
    args = ap.parse_args(argv)
    # Re-rendered results are not written back to --json.
    if benchmd.replay(args, NAME, render, log):
        return
    data = benchmd.corpus_path(args, "compare_linfa", CORPUS).parent
    if args.runs < 1:
        sys.exit("compare_linfa: --runs must be at least 1")
    results = measure(data, args.runs)
    benchmd.publish(NAME, results, render, json_path=args.json, markdown=args.markdown, log=log)


if __name__ == "__main__":
    main()
