#!/usr/bin/env python3
"""Issue 3's hierarchical target as it is worded: 5,000 *paragraphs*, not
posts (benches/compare_hierarchical.py measures 5,000 posts with criterion),
written into BENCHMARKS.md (section `hierarchical_paragraphs`) and
benches/results/hierarchical_paragraphs.json.

    python3 benches/compare_hierarchical_paragraphs.py --data "$TOPICA_DATA_DIR" --markdown BENCHMARKS.md

The paragraphs are the first 5,000 of `20newsgroups.jsonl`'s posts split on
blank lines (empty ones skipped), written to a temporary JSON Lines file.
topica runs its whole command on it (reading, vectorizing, clustering,
naming, writing the report): `topica cluster FILE --method hierarchical
--linkage L --k 20 --min-df 5 --max-df 0.5 --no-sublinear-tf --idf-power 1`,
the TF-IDF of scikit-learn's document-clustering example. scikit-learn is
timed on the clustering alone, the TF-IDF computed before the clock starts:
`cosine_distances` then `AgglomerativeClustering(metric="precomputed")` for
average, complete and single linkage, and `AgglomerativeClustering(
linkage="ward")` on the dense normalised rows for Ward (it takes dense
features only). The two sides alternate; medians of `--rounds` rounds
(scikit-learn's Ward: one round, about 15 s). Needs the packages of
tests/requirements.txt.
"""

import json
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import benchmd  # noqa: E402

NAME = "hierarchical_paragraphs"
FILE = "20newsgroups.jsonl"
RESULTS = benchmd.REPO / "benches" / "results" / f"{NAME}.json"
N_PARAGRAPHS = 5000
LINKAGES = ["ward", "average", "complete", "single"]


def log(message):
    print(f"compare_hierarchical_paragraphs: {message}", file=sys.stderr, flush=True)


def paragraphs(corpus):
    """The first N_PARAGRAPHS non-empty paragraphs of the posts of `corpus`."""
    out = []
    with open(corpus, encoding="utf-8") as f:
        for line in f:
            post = json.loads(line)
            for j, text in enumerate(re.split(r"\n\s*\n", post["text"])):
                if text.strip():
                    out.append({"id": f"{post['id']}#{j}", "text": text.strip()})
                    if len(out) == N_PARAGRAPHS:
                        return out
    return out


def measure(exe, corpus, rounds):
    import sklearn
    from sklearn.cluster import AgglomerativeClustering
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.metrics.pairwise import cosine_distances
    from sklearn.preprocessing import normalize

    docs = paragraphs(corpus)
    x = TfidfVectorizer(stop_words="english", min_df=5, max_df=0.5).fit_transform(
        [d["text"] for d in docs])
    log(f"{len(docs):,} paragraphs, TF-IDF {x.shape[0]:,} x {x.shape[1]:,}, {x.nnz:,} non-zeros")
    results = {"paragraphs": len(docs), "terms": x.shape[1], "nonzeros": int(x.nnz),
               "sklearn": sklearn.__version__, "rounds": rounds, "linkages": {}}
    with tempfile.TemporaryDirectory(prefix="topica-hier-par-") as tmp:
        path = Path(tmp) / "paragraphs.jsonl"
        path.write_text("".join(json.dumps(d) + "\n" for d in docs), encoding="utf-8")
        for linkage in LINKAGES:
            topica, peer = [], []
            for r in range(rounds):
                start = time.perf_counter()
                subprocess.run(
                    [str(exe), "cluster", str(path), "--method", "hierarchical",
                     "--linkage", linkage, "--k", "20", "--min-df", "5", "--max-df", "0.5",
                     "--no-sublinear-tf", "--idf-power", "1", "-q",
                     "-o", str(Path(tmp) / "report.json")],
                    check=True, stderr=subprocess.DEVNULL)
                topica.append(time.perf_counter() - start)
                if linkage == "ward" and r > 0:
                    continue
                start = time.perf_counter()
                if linkage == "ward":
                    AgglomerativeClustering(n_clusters=20, linkage="ward").fit(
                        normalize(x).toarray())
                else:
                    AgglomerativeClustering(n_clusters=20, metric="precomputed",
                                            linkage=linkage).fit(cosine_distances(x))
                peer.append(time.perf_counter() - start)
            results["linkages"][linkage] = {"topica_s": topica, "sklearn_s": peer}
            log(f"{linkage}: topica {statistics.median(topica):.3f} s, "
                f"scikit-learn {statistics.median(peer):.3f} s")
    return results


def render(r):
    lines = [
        "## Hierarchical clustering of 5,000 paragraphs",
        "",
        f"Issue 3 words its hierarchical target for 5,000 *paragraphs*; the section above "
        f"measures 5,000 posts. Measured {r['date']} on {r['machine']}, {r['memory']} (load "
        f"average {r['load_before']:.1f} before, {r['load_after']:.1f} after), topica "
        f"{r['commit']}, Python {r['python']}, scikit-learn {r['sklearn']}:",
        "",
        "```sh",
        "python3 benches/compare_hierarchical_paragraphs.py --data ../shared/data --markdown BENCHMARKS.md",
        "```",
        "",
        f"The first {r['paragraphs']:,} paragraphs of `20newsgroups.jsonl` (posts split on "
        f"blank lines; the TF-IDF of scikit-learn's document-clustering example: "
        f"{r['terms']:,} terms, {r['nonzeros']:,} non-zeros), each linkage cut at 20 "
        "clusters. topica's figure is its whole command (reading, vectorizing, clustering, "
        "naming, writing the report); scikit-learn's is the clustering alone, distances "
        "included, its TF-IDF computed before the clock starts (Ward on the dense normalised "
        f"rows, which it needs). Medians of {r['rounds']} rounds, the sides alternating "
        "(scikit-learn's Ward: one round).",
        "",
        "| linkage | topica, whole command | scikit-learn, clustering alone | topica is faster by (target 3x) |",
        "| --- | --- | --- | --- |",
    ]
    for linkage in LINKAGES:
        m = r["linkages"][linkage]
        t, p = statistics.median(m["topica_s"]), statistics.median(m["sklearn_s"])
        lines.append(f"| {linkage} | {t:.2f} s | {p:.2f} s | **{p / t:.1f}x** "
                     f"({'met' if p / t >= 3 else 'not met'}) |")
    return "\n".join(lines) + "\n"


def main(argv=None):
    ap = benchmd.comparison_parser(__doc__, NAME, FILE, results=RESULTS)
    ap.add_argument("--rounds", type=int, default=3, help="rounds (default 3)")
    ap.add_argument("--topica", default=str(benchmd.REPO / "target" / "release" / "topica"),
                    help="the topica binary (default: cargo build --release's)")
    args = ap.parse_args(argv)
    if benchmd.replay(args, NAME, render, log):
        return
    corpus = benchmd.corpus_path(args, "compare_hierarchical_paragraphs", FILE)
    exe = benchmd.release_binary(args.topica, log)
    load_before = benchmd.load_average()
    measured = measure(exe, corpus, args.rounds)
    results = {**benchmd.run_facts(load_before), **measured}
    benchmd.publish(NAME, results, render, json_path=args.json, markdown=args.markdown, log=log)


if __name__ == "__main__":
    main()
