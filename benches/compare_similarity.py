#!/usr/bin/env python3
"""topica neighbors against scikit-learn's brute-force cosine NearestNeighbors
on all of 20newsgroups.jsonl, side by side in one run (issue 4).

scikit-learn: TfidfVectorizer() (defaults), then
NearestNeighbors(n_neighbors=11, metric="cosine", algorithm="brute")
.fit(X).kneighbors(X), timed in process (the kNN step alone) and as a whole
process (reading, vectorizing, kNN) with its peak RSS. topica: the whole
command `topica neighbors 20newsgroups.jsonl --top 10 -o FILE` (reading,
vectorizing, all-pairs top-10, writing JSON Lines), its time and peak RSS.
The neighbour lists are compared (scores within 1e-9).

    cargo build --release
    python3 benches/compare_similarity.py --data "$TOPICA_DATA_DIR" [--rounds 3] [--markdown BENCHMARKS.md]

With `--markdown FILE` it also rewrites the part of FILE between
`<!-- similarity:begin -->` and `<!-- similarity:end -->` (the table of the
all-pairs comparison; the free-text query and the scaling figures below it
are measured by the commands they name).
"""

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)

SKLEARN = r'''
import json, sys, time, resource
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.neighbors import NearestNeighbors
start = time.perf_counter()
docs = [json.loads(l) for l in open(sys.argv[1], encoding="utf-8")]
x = TfidfVectorizer().fit_transform([d["text"] for d in docs])
knn_start = time.perf_counter()
dist, idx = NearestNeighbors(n_neighbors=11, metric="cosine", algorithm="brute").fit(x).kneighbors(x)
knn = time.perf_counter() - knn_start
total = time.perf_counter() - start
ids = [d["id"] for d in docs]
out = {"knn_seconds": knn, "total_seconds": total,
       "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
       "sample": {ids[i]: [[ids[j], 1 - dd] for j, dd in zip(idx[i], dist[i]) if j != i][:10]
                  for i in range(0, len(ids), 97)}}
json.dump(out, open(sys.argv[2], "w"))
'''


def run_topica(topica, path, out):
    start = time.perf_counter()
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    proc = subprocess.run(["/usr/bin/time", "-f", "%M", topica, "neighbors", path, "--top", "10",
                           "-o", out], check=True, capture_output=True, text=True)
    seconds = time.perf_counter() - start
    rss_kb = int(proc.stderr.strip().splitlines()[-1])
    del before
    return seconds, rss_kb / 1024


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--topica", default=os.path.join(ROOT, "target", "release", "topica"))
    ap.add_argument("--data", default=os.environ.get("TOPICA_DATA_DIR"))
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--markdown", help="rewrite the similarity section of this Markdown file")
    args = ap.parse_args()
    load = os.getloadavg()[0]
    if not args.data or not os.path.exists(os.path.join(args.data, "20newsgroups.jsonl")):
        sys.exit("set TOPICA_DATA_DIR (or --data) to the folder holding 20newsgroups.jsonl "
                 "(../shared/data, see its README.md)")
    path = os.path.join(args.data, "20newsgroups.jsonl")
    topica_runs, sk_runs = [], []
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "n.jsonl")
        for _ in range(args.rounds):
            topica_runs.append(run_topica(args.topica, path, out))
            res = os.path.join(tmp, "sk.json")
            start = time.perf_counter()
            subprocess.run([sys.executable, "-c", SKLEARN, path, res], check=True)
            wall = time.perf_counter() - start
            sk = json.load(open(res))
            sk["wall_seconds"] = wall
            sk_runs.append(sk)
        got = {}
        with open(out, encoding="utf-8") as f:
            for line in f:
                r = json.loads(line)
                got[r["id"]] = [[n["id"], n["score"]] for n in r["neighbors"]]
    worst = 0.0
    for i, want in sk_runs[0]["sample"].items():
        mine = got[i]
        for (_, a), (_, b) in zip(mine, want):
            worst = max(worst, abs(a - b))
    t = statistics.median(r[0] for r in topica_runs)
    t_rss = max(r[1] for r in topica_runs)
    knn = statistics.median(r["knn_seconds"] for r in sk_runs)
    wall = statistics.median(r["wall_seconds"] for r in sk_runs)
    sk_rss = max(r["rss_mb"] for r in sk_runs)
    results = {
        "topica_whole_command_seconds": t, "topica_peak_rss_mb": t_rss,
        "sklearn_knn_seconds": knn, "sklearn_whole_process_seconds": wall, "sklearn_peak_rss_mb": sk_rss,
        "ratio_vs_sklearn_knn_only": knn / t, "ratio_whole": wall / t,
        "worst_score_difference_on_sampled_lists": worst,
        "rounds": args.rounds,
    }
    print(json.dumps(results, indent=1))
    if args.markdown:
        sys.path.insert(0, HERE)
        import benchmd
        benchmd.rewrite_section(args.markdown, "similarity", markdown(results, load, benchmd))
        print(f"rewrote the similarity section of {args.markdown}", file=sys.stderr)


def markdown(r, load, benchmd):
    """The similarity section of BENCHMARKS.md for the results `r`."""
    ratio = r["ratio_vs_sklearn_knn_only"]
    met = "met" if ratio >= 10 else "**not met**"
    return f"""## Similarity: all-pairs top-10 neighbours on all of 20 Newsgroups

Measured {benchmd.now()} on {benchmd.machine()} (load average {load:.1f} at the start), by

```sh
cargo build --release
python3 benches/compare_similarity.py --data "$TOPICA_DATA_DIR" --rounds {r["rounds"]} --markdown BENCHMARKS.md
```

{r["rounds"]} interleaved rounds, medians; `20newsgroups.jsonl` (18,846 posts), scikit-learn's default `TfidfVectorizer()` on both sides. topica: the whole command `topica neighbors 20newsgroups.jsonl --top 10 -o FILE` (reading, vectorizing, the exact pruned all-pairs pass of `src/similarity/prune.rs`, writing JSON Lines). scikit-learn: `NearestNeighbors(n_neighbors=11, metric="cosine", algorithm="brute").fit(X).kneighbors(X)`, timed alone in process and as the whole process (reading, vectorizing, kNN).

| | topica | scikit-learn | ratio |
| --- | --- | --- | --- |
| time, whole command / kNN step alone | {r["topica_whole_command_seconds"]:.2f} s | {r["sklearn_knn_seconds"]:.2f} s | **{ratio:.1f}x** (target 10x: {met}) |
| time, whole command / whole process | {r["topica_whole_command_seconds"]:.2f} s | {r["sklearn_whole_process_seconds"]:.2f} s | {r["ratio_whole"]:.1f}x |
| peak RSS | {r["topica_peak_rss_mb"]:,.0f} MB | {r["sklearn_peak_rss_mb"]:,.0f} MB | {100 * r["topica_peak_rss_mb"] / r["sklearn_peak_rss_mb"]:.1f}% of scikit-learn's |
| neighbour scores, sampled lists | | | worst difference {r["worst_score_difference_on_sampled_lists"]:.1e} |
"""


if __name__ == "__main__":
    main()
