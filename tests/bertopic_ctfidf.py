#!/usr/bin/env python3
"""The reference side of topica's c-TF-IDF (src/topics/ctfidf.rs).

Writes ``tests/fixtures/topics/ctfidf_news.json``, which ``tests/topics.rs``
reads (so ``cargo test`` needs no Python): on the 74 paragraphs of
``data/news`` (the texts as ``tests/sklearn_reference.py`` split them, from
``tests/fixtures/sklearn/news_documents.json``) and their hand labels
(``data/news-labels.csv``: four topics, and ``noise`` as the outlier -1), the
c-TF-IDF weights of BERTopic's ``ClassTfidfTransformer`` with its defaults
(``bm25_weighting=False, reduce_frequent_words=False``), on scikit-learn's
``CountVectorizer`` counts, for a few vectorizer configurations.

BERTopic is not installed: its transformer is reimplemented below with the
same numpy/scipy operations, and its source is quoted.

BERTopic builds one document per topic, outliers (-1) included, and counts
it; topica sums the counts of each topic's documents and leaves the outliers
out (they are not a class). So the class matrix here has one row per topic
0..3, the sum of its members' count rows, and no row for -1. (Summing counts
equals counting the joined document for unigrams; for n-grams it leaves out
the n-grams that would straddle two joined documents, which is topica's
definition.)

Usage: /work/venv/bin/python tests/bertopic_ctfidf.py   (scikit-learn 1.9.1)
"""

import csv
import json
from pathlib import Path

import numpy as np
import scipy
import scipy.sparse as sp
import sklearn
from sklearn.feature_extraction.text import CountVectorizer, TfidfTransformer
from sklearn.preprocessing import normalize
from sklearn.utils import check_array

REPO = Path(__file__).resolve().parent.parent
DOCUMENTS = REPO / "tests" / "fixtures" / "sklearn" / "news_documents.json"
LABELS = REPO / "data" / "news-labels.csv"
OUT = REPO / "tests" / "fixtures" / "topics" / "ctfidf_news.json"

# Hand label -> topic id; "noise" is the outlier topic -1.
TOPICS = {"surveillance": 0, "grooming": 1, "grok": 2, "boycott": 3, "noise": -1}

# (name, CountVectorizer parameters): the parameters are scikit-learn's, which
# tests/topics.rs maps to TfidfParams.
CONFIGS = [
    ("default", {}),
    ("stop_bigrams", {"stop_words": "english", "ngram_range": [1, 2]}),
    ("stop_min_df2", {"stop_words": "english", "min_df": 2}),
]


# --- BERTopic's ClassTfidfTransformer -------------------------------------
#
# From https://github.com/MaartenGr/BERTopic/blob/082c67f1dc409647994c73c934abbd64a2815fcc/bertopic/vectorizers/_ctfidf.py
# (the parts that run with bm25_weighting=False, reduce_frequent_words=False,
# no seed words and no multiplier), quoted:
#
#     def fit(self, X: sp.csr_matrix, multiplier: np.ndarray = None):
#         X = check_array(X, accept_sparse=("csr", "csc"))
#         if not sp.issparse(X):
#             X = sp.csr_matrix(X)
#         dtype = np.float64
#
#         if self.use_idf:
#             _, n_features = X.shape
#
#             # Calculate the frequency of words across all classes
#             df = np.squeeze(np.asarray(X.sum(axis=0)))
#
#             # Calculate the average number of samples as regularization
#             avg_nr_samples = int(X.sum(axis=1).mean())
#
#             # BM25-inspired weighting procedure
#             if self.bm25_weighting:
#                 idf = np.log(1 + ((avg_nr_samples - df + 0.5) / (df + 0.5)))
#
#             # Divide the average number of samples by the word frequency
#             # +1 is added to force values to be positive
#             else:
#                 idf = np.log((avg_nr_samples / df) + 1)
#
#             # Multiplier to increase/decrease certain idf scores
#             if multiplier is not None:
#                 idf = idf * multiplier
#
#             self._idf_diag = sp.diags(
#                 idf,
#                 offsets=0,
#                 shape=(n_features, n_features),
#                 format="csr",
#                 dtype=dtype,
#             )
#
#         return self
#
#     def transform(self, X: sp.csr_matrix):
#         if self.use_idf:
#             X = normalize(X, axis=1, norm="l1", copy=False)
#
#             if self.reduce_frequent_words:
#                 X.data = np.sqrt(X.data)
#
#             X = X * self._idf_diag
#
#         return X


class ClassTfidfTransformer(TfidfTransformer):
    """BERTopic's transformer with its defaults, as quoted above."""

    def fit(self, X):
        X = check_array(X, accept_sparse=("csr", "csc"))
        if not sp.issparse(X):
            X = sp.csr_matrix(X)
        _, n_features = X.shape
        df = np.squeeze(np.asarray(X.sum(axis=0)))
        avg_nr_samples = int(X.sum(axis=1).mean())
        # A term of no class (df = 0) gets an infinite idf, which multiplies
        # no stored entry.
        with np.errstate(divide="ignore"):
            idf = np.log((avg_nr_samples / df) + 1)
        self.avg_nr_samples_ = avg_nr_samples
        self._idf_diag = sp.diags(idf, offsets=0, shape=(n_features, n_features), format="csr", dtype=np.float64)
        return self

    def transform(self, X):
        X = normalize(X, axis=1, norm="l1", copy=False)
        # BERTopic's `X * self._idf_diag` on spmatrix; `@` on sparse arrays.
        return X @ self._idf_diag


# ---------------------------------------------------------------------------


def read_documents():
    documents = json.loads(DOCUMENTS.read_text(encoding="utf-8"))["documents"]
    assert len(documents) == 74, len(documents)
    return documents


def read_labels(documents):
    with LABELS.open(encoding="utf-8", newline="") as f:
        by_id = {row["id"]: TOPICS[row["label"]] for row in csv.DictReader(f)}
    return [by_id[d["id"]] for d in documents]


def class_matrix(counts, labels, k):
    """One row per topic: the sum of its documents' count rows (no -1 row)."""
    labels = np.asarray(labels)
    rows, cols = np.nonzero(labels[:, None] == np.arange(k)[None, :])
    member = sp.csr_matrix((np.ones(len(rows)), (cols, rows)), shape=(k, len(labels)))
    return sp.csr_matrix(member @ counts.astype(np.float64))


def config_fixture(name, params, texts, labels, k):
    kwargs = dict(params)
    if "ngram_range" in kwargs:
        kwargs["ngram_range"] = tuple(kwargs["ngram_range"])
    vectorizer = CountVectorizer(**kwargs)
    counts = vectorizer.fit_transform(texts)
    classes = class_matrix(counts, labels, k)
    transformer = ClassTfidfTransformer().fit(classes)
    weights = sp.csr_matrix(transformer.transform(classes))
    weights.sort_indices()
    assert np.all(np.isfinite(weights.data))
    topics = []
    for c in range(k):
        start, end = weights.indptr[c], weights.indptr[c + 1]
        topics.append([[int(j), float(w)] for j, w in zip(weights.indices[start:end], weights.data[start:end])])
    # Top 10 per topic, ties by term index.
    top = []
    for entries in topics:
        ranked = sorted(entries, key=lambda e: (-e[1], e[0]))
        top.append([j for j, _ in ranked[:10]])
    return {
        "name": name,
        "params": params,
        "vocabulary": vectorizer.get_feature_names_out().tolist(),
        "avg_nr_samples": transformer.avg_nr_samples_,
        "weights": topics,
        "top10": top,
    }


def main():
    documents = read_documents()
    texts = [d["text"] for d in documents]
    labels = read_labels(documents)
    k = max(labels) + 1
    fixture = {
        "generator": "tests/bertopic_ctfidf.py",
        "versions": {"sklearn": sklearn.__version__, "numpy": np.__version__, "scipy": scipy.__version__},
        "ids": [d["id"] for d in documents],
        "labels": labels,
        "k": k,
        "configs": [config_fixture(name, params, texts, labels, k) for name, params in CONFIGS],
    }
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(fixture, ensure_ascii=False, separators=(",", ":")) + "\n", encoding="utf-8")
    for config in fixture["configs"]:
        vocabulary = config["vocabulary"]
        print(config["name"], "A =", config["avg_nr_samples"], "terms =", len(vocabulary))
        for c, top in enumerate(config["top10"]):
            print("  ", c, [vocabulary[j] for j in top[:5]])
    print("wrote", OUT.relative_to(REPO))


if __name__ == "__main__":
    main()
