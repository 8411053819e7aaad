#!/usr/bin/env python3
"""Issue 3's hierarchical target as it is worded: 5,000 *paragraphs*, not
posts (benches/compare_hierarchical.py measures 5,000 posts with criterion).

    cargo build --release
    python3 benches/compare_hierarchical_paragraphs.py --data "$TOPICA_DATA_DIR"

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
features only). Medians of `--rounds` rounds (Ward: one round). Prints a
Markdown table; the figures quoted in BENCHMARKS.md come from it.
"""

import argparse
import json
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
N_PARAGRAPHS = 5000
LINKAGES = ["ward", "average", "complete", "single"]


def paragraphs(corpus):
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


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", required=True, help="folder holding 20newsgroups.jsonl")
    ap.add_argument("--topica", default=str(REPO / "target" / "release" / "topica"))
    ap.add_argument("--rounds", type=int, default=3)
    args = ap.parse_args()
    corpus = Path(args.data) / "20newsgroups.jsonl"
    if not corpus.is_file():
        sys.exit(f"compare_hierarchical_paragraphs: {corpus} is missing (see ../shared/data/README.md)")
    from sklearn.cluster import AgglomerativeClustering
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.metrics.pairwise import cosine_distances
    from sklearn.preprocessing import normalize

    docs = paragraphs(corpus)
    with tempfile.TemporaryDirectory(prefix="topica-hier-par-") as tmp:
        path = Path(tmp) / "paragraphs.jsonl"
        path.write_text("".join(json.dumps(d) + "\n" for d in docs), encoding="utf-8")
        x = TfidfVectorizer(stop_words="english", min_df=5, max_df=0.5).fit_transform(
            [d["text"] for d in docs])
        print(f"{len(docs):,} paragraphs, TF-IDF {x.shape[0]:,} x {x.shape[1]:,}, "
              f"{x.nnz:,} non-zeros", file=sys.stderr)
        rows = []
        for linkage in LINKAGES:
            topica, peer = [], []
            for r in range(args.rounds):
                start = time.perf_counter()
                subprocess.run(
                    [args.topica, "cluster", str(path), "--method", "hierarchical",
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
            t, p = statistics.median(topica), statistics.median(peer)
            rows.append((linkage, t, p))
            print(f"{linkage}: topica {t:.3f} s, scikit-learn {p:.3f} s", file=sys.stderr)
    print("| linkage | topica, whole command | scikit-learn, clustering alone | topica is faster by |")
    print("| --- | --- | --- | --- |")
    for linkage, t, p in rows:
        print(f"| {linkage} | {t:.2f} s | {p:.2f} s | **{p / t:.1f}x** |")


if __name__ == "__main__":
    main()
