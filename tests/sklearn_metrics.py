"""scikit-learn reference for topica::metrics.

Writes ``tests/fixtures/metrics/``, which ``tests/metrics.rs`` reads (so
``cargo test`` needs no Python):

``labels.json``
    Pairs of labelings with scikit-learn's ``adjusted_rand_score``,
    ``normalized_mutual_info_score`` (arithmetic mean) and
    ``homogeneity_completeness_v_measure``: random labelings of several sizes
    and cluster counts, noisy copies, and the edge cases (identical, renamed,
    one cluster, all singletons, string labels, one sample). Large labelings
    are given by formula (``i % m`` and a quadratic residue) rather than
    listed, and rebuilt on both sides.

``silhouette.json``
    ``silhouette_samples`` and ``silhouette_score`` with ``metric="cosine"``
    on a small dense matrix with a zero row, on a random sparse one with zero
    rows and unnormalised values, and on the TF-IDF
    (``TfidfVectorizer(stop_words="english")``) of the 74 paragraphs of
    ``data/news`` with the hand labels of ``data/news-labels.csv``.

Needs the packages pinned in ``tests/requirements.txt``. From the repository
root::

    .venv/bin/python tests/sklearn_metrics.py
"""

import csv
import json
import sys
from pathlib import Path

import numpy as np
import scipy.sparse as sp
import sklearn
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.metrics import (
    adjusted_rand_score,
    homogeneity_completeness_v_measure,
    normalized_mutual_info_score,
    silhouette_samples,
    silhouette_score,
)

sys.path.insert(0, str(Path(__file__).resolve().parent))
from sklearn_reference import NEWS_DIR, REPO, read_news_paragraphs  # noqa: E402

FIXTURES = REPO / "tests" / "fixtures" / "metrics"
LABELS_CSV = REPO / "data" / "news-labels.csv"
SKLEARN_VERSION = "1.9.1"


def label_scores(truth, pred):
    h, c, v = homogeneity_completeness_v_measure(truth, pred)
    ari = float(adjusted_rand_score(truth, pred))
    return {
        "adjusted_rand_index": ari,
        # Also as text: serde_json (without its float_roundtrip feature) may
        # parse a number 1 ulp off, and the ARI is compared bit for bit.
        "adjusted_rand_index_text": repr(ari),
        "normalized_mutual_info": float(normalized_mutual_info_score(truth, pred)),
        "homogeneity": float(h),
        "completeness": float(c),
        "v_measure": float(v),
    }


def formula_labels(n, modulus, quadratic):
    """``i % modulus``, or ``(31 i^2 + 17 i + 5) % modulus``; tests/metrics.rs
    builds the same."""
    i = np.arange(n, dtype=np.int64)
    if quadratic:
        return (31 * i * i + 17 * i + 5) % modulus
    return i % modulus


def label_cases():
    rng = np.random.default_rng(20260114)
    cases = []

    def listed(name, truth, pred):
        truth, pred = list(truth), list(pred)
        cases.append({"name": name, "truth": truth, "pred": pred, **label_scores(truth, pred)})

    def ints(a):
        return [int(x) for x in a]

    # Random labelings of several sizes and cluster counts.
    for n in (2, 3, 5, 10, 50, 200, 1000, 5000):
        for k_true, k_pred in ((2, 2), (3, 7), (10, 4), (max(2, n // 2), 5), (n, 3)):
            k_true, k_pred = min(k_true, n), min(k_pred, n)
            truth = ints(rng.integers(0, k_true, n))
            pred = ints(rng.integers(0, k_pred, n))
            listed(f"random n={n} k={k_true}/{k_pred}", truth, pred)

    # Noisy copies: agreement well above chance.
    for n, k, noise in ((100, 4, 0.1), (1000, 10, 0.3), (3000, 20, 0.5)):
        truth = rng.integers(0, k, n)
        pred = np.where(rng.random(n) < noise, rng.integers(0, k, n), (truth * 7 + 3) % k)
        listed(f"noisy n={n} k={k} noise={noise}", ints(truth), ints(pred))

    base = ints(rng.integers(0, 6, 300))
    listed("identical", base, base)
    perm = rng.permutation(6)
    listed("renamed", base, [int(perm[x]) + 100 for x in base])
    listed("negative labels", [x - 3 for x in base], ints(rng.integers(-5, 0, 300)))
    listed("one cluster both", [0] * 20, [7] * 20)
    listed("one cluster truth", [0] * 20, ints(rng.integers(0, 4, 20)))
    listed("one cluster pred", ints(rng.integers(0, 4, 20)), [1] * 20)
    listed("all singletons both", list(range(30)), list(range(30))[::-1])
    listed("singletons against one cluster", list(range(30)), [0] * 30)
    listed("one cluster against singletons", [0] * 30, list(range(30)))
    listed("independent", [0, 0, 1, 1], [0, 1, 0, 1])
    listed("one sample", [4], [9])
    listed("two samples apart", [0, 1], [0, 0])
    listed("two samples together", [0, 0], [5, 5])
    names = ["sport", "politics", "science", "arts"]
    truth = [names[x] for x in rng.integers(0, 4, 120)]
    pred = [["a", "b", "c"][x] for x in rng.integers(0, 3, 120)]
    listed("strings", truth, pred)
    listed("strings against ints", truth, ints(rng.integers(0, 5, 120)))
    listed("strings identical", truth, truth)

    # Large labelings by formula: pair-count products past 2^64.
    formulas = []
    for n, (m_true, q_true), (m_pred, q_pred) in (
        (300_000, (20, False), (20, True)),
        (300_000, (7, False), (11, True)),
        (300_000, (1000, True), (50, False)),
        (300_000, (3, False), (3, False)),
    ):
        truth = formula_labels(n, m_true, q_true)
        pred = formula_labels(n, m_pred, q_pred)
        formulas.append({
            "name": f"formula n={n} {m_true}{'q' if q_true else ''}/{m_pred}{'q' if q_pred else ''}",
            "n": n,
            "truth": {"modulus": m_true, "quadratic": q_true},
            "pred": {"modulus": m_pred, "quadratic": q_pred},
            **label_scores(truth, pred),
        })
    return {"sklearn": sklearn.__version__, "cases": cases, "formulas": formulas}


def silhouette_case(name, x, labels):
    labels = np.asarray(labels)
    samples = silhouette_samples(x, labels, metric="cosine")
    score = silhouette_score(x, labels, metric="cosine")
    dense = x.toarray() if sp.issparse(x) else x
    return {
        "name": name,
        "x": dense.tolist(),
        "labels": [int(v) for v in labels],
        "samples": [float(v) for v in samples],
        "score": float(score),
    }


def read_news_labels():
    with open(LABELS_CSV, newline="", encoding="utf-8") as f:
        return {row["id"]: row["label"] for row in csv.DictReader(f)}


def silhouette_cases():
    rng = np.random.default_rng(74)
    cases = []

    # (a) Small, dense, with a zero row, a singleton cluster, labels not 0..k.
    x = rng.normal(size=(12, 5))
    x[3] = 0.0
    cases.append(silhouette_case("dense zero row", x, [0, 0, 2, 2, 0, 5, 2, 0, 2, 2, 0, 0]))
    cases.append(silhouette_case("dense two clusters", x, [0, 1] * 6))

    # (b) Sparse, non-negative, unnormalised, several zero rows, duplicates
    # inside a cluster.
    x = sp.random(60, 40, density=0.08, random_state=np.random.RandomState(3), format="csr")
    x = x.multiply(rng.integers(1, 5, size=(60, 1))).tocsr()
    x = x.toarray()
    x[[5, 17, 40]] = 0.0
    x[21] = x[20] * 3.0
    labels = rng.integers(0, 4, 60)
    labels[21] = labels[20]
    cases.append(silhouette_case("sparse random", sp.csr_matrix(x), labels))

    # (c) The news paragraphs with their hand labels.
    documents = read_news_paragraphs(NEWS_DIR)
    assert len(documents) == 74
    by_id = read_news_labels()
    assert sorted(by_id) == sorted(d["id"] for d in documents), "labels and paragraphs differ"
    names = sorted(set(by_id.values()))
    labels = [names.index(by_id[d["id"]]) for d in documents]
    x = TfidfVectorizer(stop_words="english").fit_transform([d["text"] for d in documents])
    news = silhouette_case("news hand labels", x, labels)
    del news["x"]  # rebuilt in Rust with topica's TfidfVectorizer
    news["ids"] = [d["id"] for d in documents]
    news["label_names"] = names
    news["shape"] = list(x.shape)
    news["zero_rows"] = [int(i) for i in np.flatnonzero(x.getnnz(axis=1) == 0)]
    cases.append(news)

    articles = [int(d["id"][:2]) for d in documents]
    by_article = silhouette_case("news by article", x, articles)
    del by_article["x"]
    cases.append(by_article)
    return {"sklearn": sklearn.__version__, "cases": cases}


def write_json(path, value):
    path.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    path.write_text(text + "\n", encoding="utf-8")
    print(f"wrote {path.relative_to(REPO)} ({len(text):,} bytes)")


def main():
    if sklearn.__version__ != SKLEARN_VERSION:
        sys.exit(f"scikit-learn {SKLEARN_VERSION} expected, found {sklearn.__version__}")
    write_json(FIXTURES / "labels.json", label_cases())
    write_json(FIXTURES / "silhouette.json", silhouette_cases())


if __name__ == "__main__":
    main()
