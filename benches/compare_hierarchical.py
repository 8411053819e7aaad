#!/usr/bin/env python3
"""topica's hierarchical clustering against scikit-learn's and scipy's on
5,000 posts of 20 Newsgroups, written into BENCHMARKS.md (section
`hierarchical`).

    python3 benches/compare_hierarchical.py --data "$TOPICA_DATA_DIR" --markdown BENCHMARKS.md
    python3 benches/compare_hierarchical.py --data ../shared/data --rounds 3

The work on both sides: the first 5,000 posts of `20newsgroups.jsonl`,
`TfidfVectorizer(stop_words="english", min_df=5, max_df=0.5)` (scikit-learn's
document-clustering example), cosine distances computed from the sparse
matrix, average linkage, cut at 20 clusters.

- topica: `cargo bench --bench hierarchical -- fit/average_k20_5000`
  (benches/hierarchical.rs; criterion, 10 samples), distances and linkage
  together; its median and range are read from criterion's
  `target/criterion/fit/average_k20_5000/new/` files.
- scikit-learn: `cosine_distances` then
  `AgglomerativeClustering(metric="precomputed", linkage="average")`;
  scipy: topica's condensed distances computed with numpy then
  `scipy.cluster.hierarchy.linkage` (tests/scipy_linkage.py defines both);
  each `--rounds` times (default 5), medians.

The TF-IDF is computed once on each side, outside the timings. Needs cargo
and the packages of tests/requirements.txt (run it with that environment's
python).
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

import benchmd  # noqa: E402

NAME = "hierarchical"
BENCH_ID = "fit/average_k20_5000"
RESULTS = benchmd.REPO / "benches" / "results" / "hierarchical.json"
N_POSTS = 5000


def log(message):
    print(f"compare_hierarchical: {message}", file=sys.stderr, flush=True)


def topica_side(data):
    """Runs the criterion benchmark; returns its median and range in seconds."""
    exe = benchmd.bench_executable("hierarchical", log)
    log(f"running {exe} --bench {BENCH_ID}")
    env = {**os.environ, "TOPICA_DATA_DIR": str(data)}
    proc = subprocess.run([exe, "--bench", BENCH_ID], env=env, cwd=benchmd.REPO,
                          capture_output=True, text=True)
    if proc.returncode != 0:
        raise SystemExit(f"{exe} failed:\n{proc.stderr}")
    if "skipped" in proc.stderr:
        raise SystemExit(f"the benchmark was skipped:\n{proc.stderr}")
    new = benchmd.REPO / "target" / "criterion" / BENCH_ID / "new"
    estimates = json.loads((new / "estimates.json").read_text())
    sample = json.loads((new / "sample.json").read_text())
    per_iter = [t / n for t, n in zip(sample["times"], sample["iters"])]
    return {
        "median_s": estimates["median"]["point_estimate"] / 1e9,
        "min_s": min(per_iter) / 1e9,
        "max_s": max(per_iter) / 1e9,
        "samples": len(per_iter),
    }


def peer_side(data, rounds):
    """Times scikit-learn's and scipy's side `rounds` times; medians in seconds."""
    import scipy
    import sklearn
    from sklearn.feature_extraction.text import TfidfVectorizer

    import scipy_linkage

    texts, _ = scipy_linkage.read_jsonl(Path(data) / "20newsgroups.jsonl", limit=N_POSTS)
    x = TfidfVectorizer(**scipy_linkage.BENCH_TFIDF).fit_transform(texts)
    times = {"sk_distances": [], "sk_linkage": [], "scipy_distances": [], "scipy_linkage": []}
    for r in range(rounds):
        log(f"scikit-learn and scipy, round {r + 1} of {rounds}")
        t = scipy_linkage.time_peers(x)
        assert t["sk_clusters"] == 20, t
        for key in times:
            times[key].append(t[key])
    out = {k: statistics.median(v) for k, v in times.items()}
    out["sk_total"] = statistics.median(
        [a + b for a, b in zip(times["sk_distances"], times["sk_linkage"])])
    out["scipy_total"] = statistics.median(
        [a + b for a, b in zip(times["scipy_distances"], times["scipy_linkage"])])
    out["rounds"] = rounds
    out["shape"] = [x.shape[0], x.shape[1], int(x.nnz)]
    out["sklearn"] = sklearn.__version__
    out["scipy"] = scipy.__version__
    return out


def seconds(s):
    return f"{s * 1000:.0f} ms" if s < 1 else f"{s:.2f} s"


def render(r):
    t, p = r["topica"], r["peers"]
    n, terms, nnz = p["shape"]
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
        f"{terms:,} terms, {nnz:,} non-zeros), average linkage cut at 20 clusters, cosine "
        "distances computed from the sparse matrix on both sides. topica's figure is the "
        f"criterion median of {t['samples']} samples of `cargo bench --bench hierarchical -- "
        f"{BENCH_ID}` (distances and linkage); the peers' are medians of {p['rounds']} "
        f"round{'s' if p['rounds'] != 1 else ''} in the same run.",
        "",
        "| | topica | peer | ratio |",
        "| --- | --- | --- | --- |",
        f"| distances + average linkage, cut at 20: scikit-learn {p['sklearn']} | "
        f"{seconds(t['median_s'])} (range {seconds(t['min_s'])}-{seconds(t['max_s'])}) | "
        f"{seconds(p['sk_total'])} (`cosine_distances` {seconds(p['sk_distances'])} + "
        f"`AgglomerativeClustering(metric=\"precomputed\", linkage=\"average\")` "
        f"{seconds(p['sk_linkage'])}) | **{p['sk_total'] / t['median_s']:.1f}x** "
        f"(target 3x: {'met' if p['sk_total'] / t['median_s'] >= 3 else 'not met'}) |",
        f"| the same with scipy {p['scipy']} | | {seconds(p['scipy_total'])} (condensed "
        f"distances {seconds(p['scipy_distances'])} + `linkage` {seconds(p['scipy_linkage'])}) | "
        f"{p['scipy_total'] / t['median_s']:.1f}x |",
    ]
    return "\n".join(lines) + "\n"


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", default=os.environ.get("TOPICA_DATA_DIR"),
                    help="the folder holding 20newsgroups.jsonl (default: $TOPICA_DATA_DIR)")
    ap.add_argument("--rounds", type=int, default=5, help="peer rounds (default 5)")
    ap.add_argument("--markdown", type=Path, help="rewrite this file's hierarchical section")
    ap.add_argument("--from-json", type=Path,
                    help="re-render results saved earlier instead of measuring")
    args = ap.parse_args(argv)
    if args.from_json:
        results = json.loads(args.from_json.read_text())
        benchmd.publish(NAME, results, render, markdown=args.markdown, log=log)
        return
    if not args.data or not (Path(args.data) / "20newsgroups.jsonl").exists():
        sys.exit("compare_hierarchical: set TOPICA_DATA_DIR (or --data) to the folder holding "
                 "20newsgroups.jsonl (../shared/data)")
    load_before = benchmd.load_average()
    topica = topica_side(Path(args.data).resolve())
    peers = peer_side(Path(args.data).resolve(), args.rounds)
    results = {
        "date": benchmd.now(), "machine": benchmd.machine(), "memory": benchmd.memory(),
        "commit": benchmd.commit(), "rustc": benchmd.rustc(), "python": sys.version.split()[0],
        "load_before": load_before, "load_after": benchmd.load_average(),
        "topica": topica, "peers": peers,
    }
    benchmd.publish(NAME, results, render, json_path=RESULTS, markdown=args.markdown, log=log)


if __name__ == "__main__":
    main()
