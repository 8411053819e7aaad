#!/usr/bin/env python3
"""topica's hierarchical clustering against scikit-learn's and scipy's on
5,000 posts of 20 Newsgroups, written into BENCHMARKS.md (section
`hierarchical`).

    python3 benches/compare_hierarchical.py --data "$TOPICA_DATA_DIR" --markdown BENCHMARKS.md
    python3 benches/compare_hierarchical.py --data ../shared/data --rounds 3

The work on both sides: the first 5,000 posts of `20newsgroups.jsonl`,
`TfidfVectorizer(stop_words="english", min_df=5, max_df=0.5)` (scikit-learn's
document-clustering example), distances computed from the sparse matrix,
each of the four linkages cut at 20 clusters.

- topica: `cargo bench --bench hierarchical -- fit/` (benches/hierarchical.rs;
  criterion, 10 samples a linkage), distances and linkage together; the
  medians and ranges are read from criterion's
  `target/criterion/fit/LINKAGE_k20_5000/new/` files.
- scikit-learn: `cosine_distances` then
  `AgglomerativeClustering(metric="precomputed", linkage=...)` for average,
  complete and single; for Ward, which takes dense features only,
  `normalize(x).toarray()` then `AgglomerativeClustering(linkage="ward")`
  (about a minute a round, so `--ward-rounds`, default 1); scipy: the
  condensed distances computed with numpy then
  `scipy.cluster.hierarchy.linkage` (tests/scipy_linkage.py, `time_peers`);
  each `--rounds` times (default 5), medians.

The TF-IDF is computed once on each side, outside the timings. Needs cargo
and the packages of tests/requirements.txt (run it with that environment's
python).
"""

import json
import os
import statistics
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

import benchmd  # noqa: E402

NAME = "hierarchical"
LINKAGES = ["ward", "average", "complete", "single"]
BENCH_FILTER = "fit/"
RESULTS = benchmd.REPO / "benches" / "results" / "hierarchical.json"
N_POSTS = 5000


def log(message):
    print(f"compare_hierarchical: {message}", file=sys.stderr, flush=True)


def topica_side(data):
    """Runs the criterion benchmarks; returns each linkage's median and range
    in seconds."""
    exe = benchmd.bench_executable("hierarchical", log)
    log(f"running {exe} --bench {BENCH_FILTER}")
    env = {**os.environ, "TOPICA_DATA_DIR": str(data)}
    proc = subprocess.run([exe, "--bench", BENCH_FILTER], env=env, cwd=benchmd.REPO,
                          capture_output=True, text=True)
    if proc.returncode != 0:
        raise SystemExit(f"{exe} failed:\n{proc.stderr}")
    if "skipped" in proc.stderr:
        raise SystemExit(f"the benchmark was skipped:\n{proc.stderr}")
    out = {}
    for method in LINKAGES:
        new = benchmd.criterion_dir() / "fit" / f"{method}_k20_5000" / "new"
        estimates = json.loads((new / "estimates.json").read_text())
        sample = json.loads((new / "sample.json").read_text())
        per_iter = [t / n for t, n in zip(sample["times"], sample["iters"])]
        out[method] = {
            "median_s": estimates["median"]["point_estimate"] / 1e9,
            "min_s": min(per_iter) / 1e9,
            "max_s": max(per_iter) / 1e9,
            "samples": len(per_iter),
        }
    return out


def peer_side(data, rounds, ward_rounds):
    """Times scikit-learn's and scipy's side for each linkage; medians in
    seconds."""
    import scipy
    import sklearn
    from sklearn.feature_extraction.text import TfidfVectorizer

    import scipy_linkage

    texts, _ = scipy_linkage.read_jsonl(Path(data) / "20newsgroups.jsonl", limit=N_POSTS)
    x = TfidfVectorizer(**scipy_linkage.BENCH_TFIDF).fit_transform(texts)
    # One untimed call: the first `cosine_distances` of a process pays
    # one-time costs (see benches/hierarchical.rs).
    scipy_linkage.time_peers(x, "single")
    out = {"rounds": rounds, "ward_rounds": ward_rounds,
           "shape": [x.shape[0], x.shape[1], int(x.nnz)],
           "sklearn": sklearn.__version__, "scipy": scipy.__version__}
    for method in LINKAGES:
        times = {"sk_distances": [], "sk_linkage": [], "scipy_distances": [],
                 "scipy_linkage": []}
        n = ward_rounds if method == "ward" else rounds
        for r in range(n):
            log(f"scikit-learn and scipy, {method}, round {r + 1} of {n}")
            t = scipy_linkage.time_peers(x, method)
            assert t["sk_clusters"] == 20, t
            for key in times:
                times[key].append(t[key])
        m = {k: statistics.median(v) for k, v in times.items()}
        m["sk_total"] = statistics.median(
            [a + b for a, b in zip(times["sk_distances"], times["sk_linkage"])])
        m["scipy_total"] = statistics.median(
            [a + b for a, b in zip(times["scipy_distances"], times["scipy_linkage"])])
        out[method] = m
    return out


def seconds(s):
    return f"{s * 1000:.0f} ms" if s < 1 else f"{s:.2f} s"


def render(r):
    t, p = r["topica"], r["peers"]
    n, terms, nnz = p["shape"]
    samples = t["average"]["samples"]
    lines = [
        "## Hierarchical clustering of 5,000 posts",
        "",
        f"Measured {r['date']} on {r['machine']}, {r['memory']} (load average "
        f"{r['load_before']:.1f} before, {r['load_after']:.1f} after), topica {r['commit']}, "
        f"rustc {r['rustc']}, Python {r['python']}, scikit-learn {p['sklearn']}, scipy {p['scipy']}:",
        "",
        "```sh",
        "python3 benches/compare_hierarchical.py --data ../shared/data --markdown BENCHMARKS.md",
        "```",
        "",
        f"The first {n:,} posts of `20newsgroups.jsonl`, TF-IDF of scikit-learn's "
        f"document-clustering example (`stop_words=\"english\", min_df=5, max_df=0.5`: "
        f"{terms:,} terms, {nnz:,} non-zeros), each linkage cut at 20 clusters, distances "
        "computed from the sparse matrix (cosine; Euclidean between unit rows for Ward). "
        f"topica's figures are criterion medians of {samples} samples of `cargo bench --bench "
        "hierarchical -- fit/` (distances and linkage; single linkage computes its distances "
        "as Prim's tree needs them, without the condensed matrix). scikit-learn's Ward takes "
        "dense features only: its side is `normalize(x).toarray()` then "
        "`AgglomerativeClustering(linkage=\"ward\")`; its other linkages are "
        "`cosine_distances` then `AgglomerativeClustering(metric=\"precomputed\")`. The "
        f"peers' figures are medians of {p['rounds']} rounds in the same run "
        f"({p['ward_rounds']} for scikit-learn's Ward, about a minute each).",
        "",
        "| linkage | topica | scikit-learn (distances + clustering) | ratio (target 3x) | scipy (distances + `linkage`) | ratio |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for method in LINKAGES:
        tm, pm = t[method], p[method]
        ratio = pm["sk_total"] / tm["median_s"]
        lines.append(
            f"| {method} | {seconds(tm['median_s'])} (range {seconds(tm['min_s'])}-"
            f"{seconds(tm['max_s'])}) | {seconds(pm['sk_total'])} ({seconds(pm['sk_distances'])} "
            f"+ {seconds(pm['sk_linkage'])}) | **{ratio:.1f}x** "
            f"({'met' if ratio >= 3 else 'not met'}) | {seconds(pm['scipy_total'])} "
            f"({seconds(pm['scipy_distances'])} + {seconds(pm['scipy_linkage'])}) | "
            f"{pm['scipy_total'] / tm['median_s']:.1f}x |")
    return "\n".join(lines) + "\n"


def main(argv=None):
    ap = benchmd.comparison_parser(__doc__, NAME, "20newsgroups.jsonl")
    ap.add_argument("--rounds", type=int, default=5, help="peer rounds (default 5)")
    ap.add_argument("--ward-rounds", type=int, default=1,
                    help="rounds of scikit-learn's dense Ward, about a minute each (default 1)")
    args = ap.parse_args(argv)
    if benchmd.replay(args, NAME, render, log):
        return
    data = benchmd.corpus_path(args, "compare_hierarchical", "20newsgroups.jsonl").parent
    load_before = benchmd.load_average()
    topica = topica_side(data)
    peers = peer_side(data, args.rounds, args.ward_rounds)
    results = {**benchmd.run_facts(load_before), "topica": topica, "peers": peers}
    benchmd.publish(NAME, results, render, json_path=RESULTS, markdown=args.markdown, log=log)


if __name__ == "__main__":
    main()
