#!/usr/bin/env python3
"""scikit-learn's side of `topica cluster FILE.jsonl --k 20`, as a whole command.

    python benches/sklearn_cluster.py 20newsgroups.jsonl --k 20

Reads the JSON Lines file with `json` (one object a line, its `text` field)
and runs the pipeline benches/compare_cluster.py compares topica with on all
20 groups: TfidfVectorizer(stop_words="english", sublinear_tf=True,
min_df=2, max_df=0.5), TruncatedSVD(100), Normalizer, KMeans(k, n_init=5,
max_iter=100), seed 0. Prints documents, terms, the size of each cluster and
the seconds from the start of reading to the labels (reading alone in
parentheses). benches/compare_scaling.py times it and its peak memory.

Python 3.11 with the packages of tests/requirements.txt.
"""

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from compare_cluster import all20_vectorizer, lsa_kmeans  # noqa: E402
from sklearn_vectorize import read_texts  # noqa: E402


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("input", help="a JSON Lines file with a `text` field")
    parser.add_argument("--k", type=int, default=20, help="clusters (default 20)")
    parser.add_argument("--seed", type=int, default=0, help="random_state (default 0)")
    parser.add_argument("--n-init", type=int, default=5, help="KMeans restarts (default 5)")
    parser.add_argument("--min-df", type=int, default=2,
                        help="the vectorizer's min_df, a count (default 2)")
    args = parser.parse_args(argv)

    start = time.perf_counter()
    texts = read_texts(args.input)
    read_seconds = time.perf_counter() - start
    x = all20_vectorizer().set_params(min_df=args.min_df).fit_transform(texts)
    lsa, km = lsa_kmeans(args.k, args.seed, args.n_init)
    labels = km.fit_predict(lsa.fit_transform(x))
    seconds = time.perf_counter() - start

    sizes = sorted((int((labels == c).sum()) for c in range(args.k)), reverse=True)
    out = sys.stdout
    out.write(f"documents  {x.shape[0]}\n")
    out.write(f"terms      {x.shape[1]}\n")
    out.write(f"clusters   {' '.join(map(str, sizes))}\n")
    out.write(f"seconds    {seconds:.3f} (reading {read_seconds:.3f})\n")


if __name__ == "__main__":
    main()
