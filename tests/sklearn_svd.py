"""scikit-learn reference for topica's truncated SVD (``topica::reduce``).

A randomized SVD cannot match scikit-learn's bit for bit (the random matrices
come from different generators), so the fixtures hold what the Rust tests can
compare with: exact singular values and vectors, scikit-learn's randomized
results, and how far scikit-learn's own randomized results stray from the
exact ones (the spread a second randomized implementation should stay within).

Subcommands:

``news``
    Writes ``tests/fixtures/svd/news.json`` from the 74 paragraphs of
    ``data/news`` (read from ``tests/fixtures/sklearn/news_documents.json``,
    which ``tests/sklearn_reference.py`` splits as topica's corpus does) and
    ``TfidfVectorizer(stop_words="english")``: the exact top singular values
    and right singular vectors (LAPACK, dense), the total variance of the
    columns, and ``TruncatedSVD(algorithm="randomized")`` results for k = 10
    with the default ``n_iter=5`` and with ``n_iter=20`` over several seeds.

``newsgroups --data DIR``
    Writes ``tests/fixtures/svd/newsgroups_clean.json``: the 100 singular
    values of ``TruncatedSVD(100, random_state=0)`` on the default TF-IDF of
    ``DIR/20newsgroups_clean.jsonl``, and how far seeds 1 to 3 stray from them
    (largest relative difference). With ``--exact``, prints how far they are
    from ``scipy.sparse.linalg.svds``'s values. Prints the time of ``TruncatedSVD(100,
    random_state=0).fit_transform(X)`` on the default TF-IDF of all of
    ``DIR/20newsgroups.jsonl`` (the benchmark ``benches/reduce.rs`` times).

Run from the repository root with the packages of ``tests/requirements.txt``::

    .venv/bin/python tests/sklearn_svd.py news
    .venv/bin/python tests/sklearn_svd.py newsgroups --data "$TOPICA_DATA_DIR"
"""

import argparse
import json
import time
from pathlib import Path

import numpy as np
import scipy
import sklearn
from sklearn.decomposition import TruncatedSVD
from sklearn.feature_extraction.text import TfidfVectorizer
from scipy.sparse.linalg import svds
from sklearn.utils.sparsefuncs import mean_variance_axis

REPO = Path(__file__).resolve().parent.parent
FIXTURES = REPO / "tests" / "fixtures" / "svd"
NEWS_DOCUMENTS = REPO / "tests" / "fixtures" / "sklearn" / "news_documents.json"

K_NEWS = 10
K_NEWSGROUPS = 100
SEEDS = range(10)


def versions():
    return {"scikit-learn": sklearn.__version__, "scipy": scipy.__version__, "numpy": np.__version__}


def write_json(path, obj):
    """One top-level key per line; floats in repr, which round-trips exactly."""
    parts = [f"{json.dumps(k)}: {json.dumps(v, allow_nan=False)}" for k, v in obj.items()]
    text = "{\n" + ",\n".join(parts) + "\n}\n"
    json.loads(text)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    print(f"wrote {path.relative_to(REPO)} ({len(text):,} bytes)")


def relative(a, b):
    return float(np.max(np.abs(a - b) / b))


def randomized(x, k, n_iter, seed):
    svd = TruncatedSVD(k, algorithm="randomized", n_iter=n_iter, random_state=seed)
    svd.fit(x)
    return svd


def cmd_news(_args):
    documents = json.loads(NEWS_DOCUMENTS.read_text(encoding="utf-8"))["documents"]
    texts = [d["text"] for d in documents]
    assert len(texts) == 74
    x = TfidfVectorizer(stop_words="english").fit_transform(texts).astype(np.float64)

    # Exact decomposition (dense LAPACK); signs as TruncatedSVD's svd_flip
    # with u_based_decision=False: the largest |entry| of each row of Vt > 0.
    _, s, vt = np.linalg.svd(x.toarray(), full_matrices=False)
    vt = vt[:K_NEWS]
    signs = np.sign(vt[np.arange(K_NEWS), np.argmax(np.abs(vt), axis=1)])
    vt *= signs[:, None]

    _, full_var = mean_variance_axis(x, axis=0)
    total_variance = float(full_var.sum())
    exact_ratio = np.var(x @ vt.T, axis=0) / total_variance

    default = randomized(x, K_NEWS, 5, 0)
    spread5 = [relative(randomized(x, K_NEWS, 5, seed).singular_values_, s[:K_NEWS]) for seed in SEEDS]
    spread20 = [relative(randomized(x, K_NEWS, 20, seed).singular_values_, s[:K_NEWS]) for seed in SEEDS]
    print(f"n_iter=5: largest relative error of sklearn's randomized singular values, per seed: "
          f"{', '.join(f'{e:.1e}' for e in spread5)}")
    print(f"n_iter=20: {', '.join(f'{e:.1e}' for e in spread20)}")

    write_json(FIXTURES / "news.json", {
        "versions": versions(),
        "vectorizer": {"stop_words": "english"},
        "shape": list(x.shape),
        "nnz": int(x.nnz),
        "total_variance": total_variance,
        "exact_singular_values": s[: 2 * K_NEWS].tolist(),
        "exact_components": vt.tolist(),
        "exact_explained_variance_ratio": exact_ratio.tolist(),
        "k": K_NEWS,
        "sklearn_randomized": {
            "n_iter": 5,
            "random_state": 0,
            "singular_values": default.singular_values_.tolist(),
            "explained_variance_ratio": default.explained_variance_ratio_.tolist(),
        },
        "sklearn_relative_error_n_iter_5": spread5,
        "sklearn_relative_error_n_iter_20": spread20,
    })


def read_texts(path):
    with open(path, encoding="utf-8") as f:
        return [json.loads(line)["text"] for line in f]


def cmd_newsgroups(args):
    data = Path(args.data)
    x = TfidfVectorizer().fit_transform(read_texts(data / "20newsgroups_clean.jsonl"))
    print(f"20newsgroups_clean: shape {x.shape}, nnz {x.nnz}")
    svd = randomized(x, K_NEWSGROUPS, 5, 0)
    s0 = svd.singular_values_
    spread = []
    for seed in (1, 2, 3):
        s = randomized(x, K_NEWSGROUPS, 5, seed).singular_values_
        spread.append(relative(s, s0))
        print(f"seed {seed} vs seed 0: largest relative difference {spread[-1]:.2e}")
    if args.exact:
        start = time.perf_counter()
        exact = np.sort(svds(x, k=K_NEWSGROUPS, return_singular_vectors=False))[::-1]
        print(f"svds: {time.perf_counter() - start:.1f} s; seed 0 vs exact: largest relative "
              f"difference {relative(s0, exact):.2e} (first 10: {relative(s0[:10], exact[:10]):.2e})")
    write_json(FIXTURES / "newsgroups_clean.json", {
        "versions": versions(),
        "file": "20newsgroups_clean.jsonl",
        "vectorizer": {},
        "shape": list(x.shape),
        "nnz": int(x.nnz),
        "k": K_NEWSGROUPS,
        "n_iter": 5,
        "random_state": 0,
        "singular_values": s0.tolist(),
        "sklearn_seed_spread": spread,
    })

    x = TfidfVectorizer().fit_transform(read_texts(data / "20newsgroups.jsonl"))
    svd = TruncatedSVD(K_NEWSGROUPS, random_state=0)
    start = time.perf_counter()
    svd.fit_transform(x)
    elapsed = time.perf_counter() - start
    print(f"20newsgroups: shape {x.shape}, nnz {x.nnz}; "
          f"TruncatedSVD({K_NEWSGROUPS}, random_state=0).fit_transform: {elapsed:.2f} s; "
          f"largest singular value {svd.singular_values_[0]!r} (benches/reduce.rs: SIGMA_1)")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("news", help="write tests/fixtures/svd/news.json")
    newsgroups = commands.add_parser("newsgroups", help="write tests/fixtures/svd/newsgroups_clean.json")
    newsgroups.add_argument("--data", required=True, help="folder holding the 20 Newsgroups JSONL files")
    newsgroups.add_argument("--exact", action="store_true", help="also print how far from svds's exact values")
    args = parser.parse_args()
    {"news": cmd_news, "newsgroups": cmd_newsgroups}[args.command](args)


if __name__ == "__main__":
    main()
