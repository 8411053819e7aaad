#!/usr/bin/env python3
"""scikit-learn's side of `topica vectorize FILE.jsonl`, as a whole command.

    python benches/sklearn_vectorize.py 20newsgroups.jsonl
    python benches/sklearn_vectorize.py --stem english 20newsgroups.jsonl

Reads the JSON Lines file with `json` (one object a line, its `text` field),
runs `TfidfVectorizer().fit_transform` on the texts and prints the summary
`topica vectorize` prints: documents, terms, non-zeros, and the seconds from
the start of reading to the matrix (reading alone in parentheses).

`--stem english` stems every token with PyStemmer (Snowball English), after
scikit-learn's default preprocessing and tokenizing, as `topica vectorize
--stem english` does. `--stem-form` picks how the stemmer is plugged in:

- `analyzer` (the default): `TfidfVectorizer(analyzer=...)` with an analyzer
  that stems the output of `TfidfVectorizer().build_analyzer()`;
- `tokenizer`: `TfidfVectorizer(tokenizer=..., token_pattern=None)` with a
  tokenizer that stems the matches of the default token pattern (scikit-learn
  still lowercases before calling it).

Both give the same matrix; `benches/compare_vectorize.py` times both in process
and runs this script with the faster one.

Python 3.11 with the packages of tests/requirements.txt.
"""

import argparse
import json
import re
import sys
import time

from sklearn.feature_extraction.text import TfidfVectorizer

DEFAULT_TOKEN_PATTERN = r"(?u)\b\w\w+\b"


def stemming_vectorizer(language, form):
    """A `TfidfVectorizer` with scikit-learn's defaults whose tokens are
    stemmed by PyStemmer in `language`, plugged in as `form` says."""
    import Stemmer

    stem_words = Stemmer.Stemmer(language).stemWords
    if form == "analyzer":
        analyze = TfidfVectorizer().build_analyzer()
        return TfidfVectorizer(analyzer=lambda doc: stem_words(analyze(doc)))
    if form == "tokenizer":
        find_tokens = re.compile(DEFAULT_TOKEN_PATTERN).findall
        return TfidfVectorizer(
            tokenizer=lambda doc: stem_words(find_tokens(doc)), token_pattern=None
        )
    raise ValueError(f"unknown stem form {form!r} (expected analyzer or tokenizer)")


def make_vectorizer(stem=None, stem_form="analyzer"):
    """scikit-learn's defaults, with stemming when `stem` names a language."""
    if stem is None:
        return TfidfVectorizer()
    return stemming_vectorizer(stem, stem_form)


def read_texts(path, text_field="text"):
    """The `text_field` of every record of a JSON Lines file, in order."""
    with open(path, encoding="utf-8") as f:
        return [json.loads(line)[text_field] for line in f if line.strip()]


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("input", help="a JSON Lines file with a `text` field")
    parser.add_argument("--stem", metavar="LANGUAGE", help="stem with PyStemmer (english)")
    parser.add_argument(
        "--stem-form", choices=["analyzer", "tokenizer"], default="analyzer",
        help="how the stemmer is plugged into TfidfVectorizer (default: analyzer)",
    )
    args = parser.parse_args(argv)

    vectorizer = make_vectorizer(args.stem, args.stem_form)
    start = time.perf_counter()
    texts = read_texts(args.input)
    read_seconds = time.perf_counter() - start
    x = vectorizer.fit_transform(texts)
    seconds = time.perf_counter() - start

    rows, cols = x.shape
    out = sys.stdout
    out.write(f"documents  {rows}\n")
    out.write(f"terms      {cols}\n")
    out.write(f"non-zeros  {x.nnz}\n")
    out.write(f"seconds    {seconds:.3f} (reading {read_seconds:.3f})\n")


if __name__ == "__main__":
    main()
