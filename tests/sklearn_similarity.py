"""scikit-learn reference for topica's similarity index (issue 4).

Writes ``tests/fixtures/similarity/``, which ``tests/similarity.rs`` reads:

``news_cosine.json``
    On the 74 paragraphs of ``data/news`` with the default ``TfidfVectorizer()``:
    ids, the full ``cosine_similarity`` matrix (74 x 74) and
    ``NearestNeighbors(n_neighbors=11, metric="cosine", algorithm="brute")``
    indices and distances.

``newsgroups_knn.json`` (only with ``--data DIR``)
    On every 9th post of ``DIR/20newsgroups.jsonl`` (2,094 posts) with the
    default ``TfidfVectorizer()``: the posts' ids, and each post's 10 nearest
    others (rows among these posts and cosine similarities, best first), from the same ``NearestNeighbors`` with 11
    neighbours, the post itself dropped.

``time --data DIR``
    Times ``NearestNeighbors(n_neighbors=11, metric="cosine",
    algorithm="brute").fit(X).kneighbors(X)`` on all of 20 Newsgroups.

Run from the repository root::

    /work/venv/bin/python tests/sklearn_similarity.py [--data "$TOPICA_DATA_DIR"]
    /work/venv/bin/python tests/sklearn_similarity.py time --data "$TOPICA_DATA_DIR"
"""

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.metrics.pairwise import cosine_similarity
from sklearn.neighbors import NearestNeighbors

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
from sklearn_reference import read_news_paragraphs  # noqa: E402

FIXTURES = ROOT / "tests" / "fixtures" / "similarity"
STEP = 9
TOP = 10


def write_json(path, obj):
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        f.write("{\n")
        items = list(obj.items())
        for i, (key, value) in enumerate(items):
            sep = "," if i + 1 < len(items) else ""
            f.write(f"{json.dumps(key)}: {json.dumps(value, ensure_ascii=False)}{sep}\n")
        f.write("}\n")


def knn(x, top):
    """Each row's `top` nearest other rows as (indices, similarities)."""
    nn = NearestNeighbors(n_neighbors=top + 1, metric="cosine", algorithm="brute").fit(x)
    distances, indices = nn.kneighbors(x)
    return indices, 1.0 - distances


def news():
    documents = read_news_paragraphs(ROOT / "data" / "news")
    texts = [d["text"] for d in documents]
    x = TfidfVectorizer().fit_transform(texts)
    cos = cosine_similarity(x)
    nn = NearestNeighbors(n_neighbors=11, metric="cosine", algorithm="brute").fit(x)
    distances, indices = nn.kneighbors(x)
    write_json(FIXTURES / "news_cosine.json", {
        "sklearn": f"scikit-learn {__import__('sklearn').__version__}",
        "ids": [d["id"] for d in documents],
        "cosine": cos.tolist(),
        "knn_indices": indices.tolist(),
        "knn_distances": distances.tolist(),
    })


def read_newsgroups(data_dir):
    with open(Path(data_dir) / "20newsgroups.jsonl", encoding="utf-8") as f:
        records = [json.loads(line) for line in f]
    return [r["id"] for r in records], [r["text"] for r in records]


def newsgroups(data_dir):
    ids, texts = read_newsgroups(data_dir)
    ids, texts = ids[::STEP], texts[::STEP]
    x = TfidfVectorizer().fit_transform(texts)
    indices, scores = knn(x, TOP)
    neighbors = []
    for row in range(x.shape[0]):
        # Drop the row itself (it may sit anywhere among equal scores, or be
        # absent for a zero row whose neighbours all score 0).
        pairs = [(int(j), float(s)) for j, s in zip(indices[row], scores[row]) if j != row]
        pairs = pairs[:TOP]
        neighbors.append({"rows": [j for j, _ in pairs], "scores": [s for _, s in pairs]})
    write_json(FIXTURES / "newsgroups_knn.json", {
        "sklearn": f"scikit-learn {__import__('sklearn').__version__}",
        "step": STEP,
        "top": TOP,
        "ids": ids,
        "neighbors": neighbors,
    })


def timing(data_dir):
    _, texts = read_newsgroups(data_dir)
    x = TfidfVectorizer().fit_transform(texts)
    start = time.perf_counter()
    NearestNeighbors(n_neighbors=11, metric="cosine", algorithm="brute").fit(x).kneighbors(x)
    print(f"scikit-learn NearestNeighbors all-pairs top-10 on {x.shape}: "
          f"{time.perf_counter() - start:.2f} s")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("command", nargs="?", default="fixtures", choices=["fixtures", "time"])
    parser.add_argument("--data")
    args = parser.parse_args()
    if args.command == "time":
        timing(args.data)
        return
    news()
    if args.data:
        newsgroups(args.data)


if __name__ == "__main__":
    main()
