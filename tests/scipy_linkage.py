"""scipy reference for topica's hierarchical clustering.

topica's ``Hierarchical`` must give the linkage matrix that
``scipy.cluster.hierarchy.linkage`` gives for the same condensed distances:
the same rows in the same order, ``a < b`` in each row, heights within 1e-9.
This script is the scipy side of that promise; the Rust tests read what it
writes and need no Python.

Distances, as topica defines them (rows L2-normalised first, zero rows stay
zero):

- average, complete, single: cosine distance ``1 - cos``, clipped to
  ``[0, 2]`` as scikit-learn's ``cosine_distances`` does, with a zero row at
  distance 1 from every other row (scipy's ``pdist(metric="cosine")`` would
  give NaN there; scikit-learn's ``cosine_distances`` gives 1);
- ward: the Euclidean distance between the normalised rows
  (``pdist(normalize(X), "euclidean")``), i.e. ``sqrt(2 (1 - cos))`` between
  unit rows, exactly 1 between a zero row and a unit row, 0 between two zero
  rows.

Flat clusters:

- ``k``: the partition after the first ``n - k`` merges
  (``scipy.cluster.hierarchy.cut_tree(Z, n_clusters=k)``, which is what
  scikit-learn's ``AgglomerativeClustering(n_clusters=k)`` gives);
- ``distance``: ``fcluster(Z, t, criterion="distance")``, with ``t`` halfway
  between two consecutive distinct merge heights so that rounding cannot move
  a merge across it.

Subcommands:

``fixtures``
    Writes ``tests/fixtures/hierarchical/news.json`` from the 74 paragraphs of
    ``data/news`` (``TfidfVectorizer(stop_words="english")``): the condensed
    distances bit for bit (each f64's bits as an unsigned integer), and for
    each linkage the linkage matrix (its heights also bit for bit) and the
    flat clusters for k = 4 and one distance threshold.

``newsgroups --data DIR``
    Writes ``tests/fixtures/hierarchical/newsgroups_300.json``: the same for
    300 posts of ``DIR/20newsgroups_clean.jsonl`` (every 62nd line from the
    first; some are empty, so the matrix has zero rows), k = 20, without the
    distances (topica computes them from its own TF-IDF).

``time --data DIR [--n 5000] [--dense]``
    Times what ``benches/hierarchical.rs`` measures, on the first ``n`` posts
    of ``DIR/20newsgroups.jsonl`` with ``TfidfVectorizer(stop_words="english",
    min_df=5, max_df=0.5)``, average linkage cut at 20 clusters: scikit-learn's
    ``cosine_distances`` on the sparse matrix then
    ``AgglomerativeClustering(metric="precomputed", linkage="average")``, and
    the condensed distances then scipy's ``linkage``. With ``--dense``, also
    ``AgglomerativeClustering(metric="cosine", linkage="average")`` on the
    dense array (scipy's ``pdist`` over every column: minutes). Prints the
    seconds.

From the repository root::

    /work/venv/bin/python tests/scipy_linkage.py fixtures
    /work/venv/bin/python tests/scipy_linkage.py newsgroups --data "$TOPICA_DATA_DIR"
"""

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np
import scipy
import sklearn
from scipy.cluster.hierarchy import cut_tree, fcluster, linkage
from scipy.spatial.distance import pdist, squareform
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.preprocessing import normalize

sys.path.insert(0, str(Path(__file__).resolve().parent))
from sklearn_reference import read_news_paragraphs  # noqa: E402

REPO = Path(__file__).resolve().parent.parent
OUT = REPO / "tests" / "fixtures" / "hierarchical"
METHODS = ["ward", "average", "complete", "single"]
# The vectorizer of benches/hierarchical.rs (the clustering configuration of
# scikit-learn's document-clustering example).
BENCH_TFIDF = dict(stop_words="english", min_df=5, max_df=0.5)


def condensed(x, method):
    """The condensed distances topica uses for `method` on the rows of `x`."""
    xn = normalize(x)  # zero rows stay zero
    if method == "ward":
        d = squareform(pdist(xn.toarray(), "euclidean"))
        # A zero row is the origin: exactly 1 from the unit rows (pdist gives
        # 1 up to the rounding of their norms, which would decide the ties).
        zero = x.getnnz(axis=1) == 0
        d[zero, :] = np.where(zero, 0.0, 1.0)
        d[:, zero] = d[zero, :].T
        np.fill_diagonal(d, 0.0)
        return squareform(d, checks=False)
    s = (xn @ xn.T).toarray()
    d = np.clip(1.0 - s, 0.0, 2.0)
    np.fill_diagonal(d, 0.0)
    return squareform(d, checks=False)


def first_appearance(labels):
    """Labels renumbered 0, 1, ... in order of first appearance."""
    seen = {}
    return [seen.setdefault(int(l), len(seen)) for l in labels]


def threshold(z):
    """Halfway between the two distinct merge heights around the median."""
    heights = np.unique(z[:, 2])
    if len(heights) < 2:
        return float(heights[0]) + 0.5
    i = len(heights) // 2
    return float((heights[i - 1] + heights[i]) / 2)


def reference(x, k, with_distances):
    n = x.shape[0]
    out = {"n": n, "k": k, "methods": {}}
    distances = {}
    for method in METHODS:
        y = condensed(x, method)
        key = "euclidean" if method == "ward" else "cosine"
        distances[key] = y
        z = linkage(y, method)
        t = threshold(z)
        out["methods"][method] = {
            "matrix": z.tolist(),
            "height_bits": z[:, 2].view(np.uint64).tolist(),
            "k_labels": first_appearance(cut_tree(z, n_clusters=k).ravel()),
            "maxclust_labels": first_appearance(fcluster(z, k, criterion="maxclust")),
            "threshold": t,
            "distance_labels": first_appearance(fcluster(z, t, criterion="distance")),
        }
    if with_distances:
        # Bit patterns (IEEE 754 binary64 as unsigned integers): exact in JSON.
        out["distances"] = {key: y.astype(np.float64).view(np.uint64).tolist()
                            for key, y in distances.items()}
    return out


def write(name, data):
    OUT.mkdir(parents=True, exist_ok=True)
    data = {
        "generator": "tests/scipy_linkage.py",
        "versions": {"scipy": scipy.__version__, "scikit-learn": sklearn.__version__,
                     "numpy": np.__version__},
        **data,
    }
    path = OUT / name
    text = json.dumps(data, separators=(",", ":")) + "\n"
    path.write_text(text, encoding="utf-8")
    print(f"wrote {path.relative_to(REPO)} ({len(text):,} bytes)")


def cmd_fixtures(_args):
    texts = [d["text"] for d in read_news_paragraphs(REPO / "data" / "news")]
    assert len(texts) == 74, len(texts)
    x = TfidfVectorizer(stop_words="english").fit_transform(texts)
    data = reference(x, 4, with_distances=True)
    data["corpus"] = "data/news, TfidfVectorizer(stop_words='english')"
    data["shape"] = list(x.shape)
    data["zero_rows"] = [int(i) for i in np.flatnonzero(x.getnnz(axis=1) == 0)]
    write("news.json", data)


def read_jsonl(path, every=1, limit=None):
    texts, ids = [], []
    with open(path, encoding="utf-8") as f:
        for i, line in enumerate(f):
            if i % every:
                continue
            record = json.loads(line)
            texts.append(record["text"])
            ids.append(record["id"])
            if limit is not None and len(texts) == limit:
                break
    return texts, ids


def cmd_newsgroups(args):
    texts, ids = read_jsonl(Path(args.data) / "20newsgroups_clean.jsonl", every=62, limit=300)
    x = TfidfVectorizer(stop_words="english").fit_transform(texts)
    data = reference(x, 20, with_distances=False)
    data["corpus"] = ("every 62nd line of 20newsgroups_clean.jsonl from the first, 300 posts, "
                      "TfidfVectorizer(stop_words='english')")
    data["ids"] = ids
    data["shape"] = list(x.shape)
    data["zero_rows"] = [int(i) for i in np.flatnonzero(x.getnnz(axis=1) == 0)]
    write("newsgroups_300.json", data)


def time_peers(x, method="average"):
    """One timed round of the peers of `benches/hierarchical.rs` on the TF-IDF
    `x`, `method` linkage cut at 20 clusters: seconds of scikit-learn's
    distances and `AgglomerativeClustering`, and of the condensed distances
    and scipy's `linkage`; also the number of clusters and the top merge
    height, as checks. Used by `time` and by benches/compare_hierarchical.py.

    scikit-learn's side for average, complete and single linkage is
    `cosine_distances` of the sparse matrix then
    `AgglomerativeClustering(metric="precomputed")`. Its Ward takes features,
    not distances, and dense ones: the side is `normalize(x).toarray()` then
    `AgglomerativeClustering(linkage="ward")`, the same Ward on unit rows as
    topica's (about a minute on 5,000 posts)."""
    from sklearn.cluster import AgglomerativeClustering
    from sklearn.metrics.pairwise import cosine_distances

    start = time.perf_counter()
    if method == "ward":
        d = normalize(x).toarray()
        mid = time.perf_counter()
        model = AgglomerativeClustering(n_clusters=20, linkage="ward")
    else:
        d = cosine_distances(x)
        mid = time.perf_counter()
        model = AgglomerativeClustering(n_clusters=20, metric="precomputed", linkage=method)
    labels = model.fit_predict(d)
    end = time.perf_counter()
    del d
    out = {"sk_distances": mid - start, "sk_linkage": end - mid,
           "sk_clusters": len(set(labels))}
    start = time.perf_counter()
    if method == "ward":
        # sqrt(2 (1 - cos)) from the sparse product: `condensed`'s pdist over
        # every column of the dense array takes a minute here, and the
        # timing is of scipy's linkage, not of a slow way to the distances.
        # (Zero rows end at sqrt(2), not 1: the same work.)
        y = np.sqrt(2.0 * condensed(x, "average"))
    else:
        y = condensed(x, method)
    mid = time.perf_counter()
    z = linkage(y, method)
    end = time.perf_counter()
    out.update(scipy_distances=mid - start, scipy_linkage=end - mid,
               top_height=float(z[-1, 2]))
    return out


def cmd_time(args):
    from sklearn.cluster import AgglomerativeClustering

    texts, _ = read_jsonl(Path(args.data) / "20newsgroups.jsonl", limit=args.n)
    x = TfidfVectorizer(**BENCH_TFIDF).fit_transform(texts)
    print(f"{x.shape[0]} posts x {x.shape[1]} terms, {x.nnz} non-zeros, "
          f"{int((x.getnnz(axis=1) == 0).sum())} zero rows")
    t = time_peers(x)
    print(f"sklearn cosine_distances (sparse) {t['sk_distances']:.2f} s + "
          f"AgglomerativeClustering(metric='precomputed', linkage='average') "
          f"{t['sk_linkage']:.2f} s = {t['sk_distances'] + t['sk_linkage']:.2f} s "
          f"({t['sk_clusters']} clusters)")
    print(f"condensed cosine distances (sparse) {t['scipy_distances']:.2f} s + scipy "
          f"linkage(average) {t['scipy_linkage']:.2f} s = "
          f"{t['scipy_distances'] + t['scipy_linkage']:.2f} s (top height {t['top_height']:.6f})")

    if args.dense:
        dense = x.toarray()
        start = time.perf_counter()
        labels = AgglomerativeClustering(n_clusters=20, metric="cosine",
                                         linkage="average").fit_predict(dense)
        print(f"sklearn AgglomerativeClustering(metric='cosine', linkage='average') on the "
              f"dense array: {time.perf_counter() - start:.2f} s ({len(set(labels))} clusters)")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("fixtures", help="write tests/fixtures/hierarchical/news.json")
    p = commands.add_parser("newsgroups", help="write tests/fixtures/hierarchical/newsgroups_300.json")
    p.add_argument("--data", required=True)
    p = commands.add_parser("time", help="time scikit-learn and scipy on 20 Newsgroups")
    p.add_argument("--data", required=True)
    p.add_argument("--n", type=int, default=5000)
    p.add_argument("--dense", action="store_true",
                   help="also AgglomerativeClustering(metric='cosine') on the dense array (minutes)")
    args = parser.parse_args()
    {"fixtures": cmd_fixtures, "newsgroups": cmd_newsgroups, "time": cmd_time}[args.command](args)


if __name__ == "__main__":
    main()
