"""scikit-learn reference for topica.

topica must reproduce scikit-learn's ``TfidfVectorizer`` and
``HashingVectorizer`` exactly: the same vocabulary, the same sparsity pattern
and values within 1e-9. This script is the scikit-learn side of that promise.
It needs Python 3.11 and the packages pinned in ``tests/requirements.txt``
(Python's Unicode database decides what ``\\w`` and ``str.lower`` do, so the
Python version is part of the reference).

Subcommands:

``table``
    Writes ``src/analyze/python_word_table.rs``: the non-ASCII code points that
    Python's ``re`` matches with ``(?u)\\w``, as merged inclusive ranges; and
    ``src/analyze/python_re_tables.rs``: what ``\\d`` and ``\\s`` match, and
    the case tables ``re`` uses for ``(?i)`` (``_sre.unicode_tolower``,
    ``_sre.unicode_iscased``, the upper case and ``re._compiler._EXTRA_CASES``),
    from which topica translates custom token patterns.

``fixtures``
    Regenerates ``tests/fixtures/sklearn/`` from the bundled corpus
    ``data/news/``: the 74 paragraphs, the vectorizer outputs of 15
    configurations, text-analysis cases, Python's lowercase map and PyStemmer
    stems. The Rust tests read these files; they need no Python.

``token-patterns``
    Writes ``tests/fixtures/sklearn/token_patterns.json``: for common custom
    ``token_pattern`` values, the tokens scikit-learn's analyzer finds
    (``lowercase=False``) in each of a set of multilingual texts, and the
    vocabulary of ``TfidfVectorizer(token_pattern=...)`` fitted on them. The
    texts hold the hand-written analysis cases and every assigned code point
    of the blocks where Python's ``\\w``, ``\\s``, ``\\b`` and ``(?i)``
    differ from the Rust engines' (Latin-1 and Latin Extended, combining
    marks, Devanagari, Thai, punctuation and spaces, superscripts and number
    forms, enclosed alphanumerics, ligatures), plus a seeded sample of every
    general category. ``check`` also runs them live through the topica binary.

``summaries --data DIR``
    Writes ``tests/fixtures/sklearn/newsgroups_*.json``: shapes, hashes and
    sample rows of three configurations fitted on all of
    ``DIR/20newsgroups.jsonl`` (18,846 posts).

``check --topica BINARY --data DIR``
    The full exactness check on all of ``DIR/20newsgroups.jsonl``: runs
    ``BINARY vectorize`` for the ``default`` and ``issue`` configurations and
    for hashing, fits scikit-learn in this process and compares vocabulary,
    shape, sparsity pattern and values. Exits with status 1 on any mismatch.
    CI runs it as::

        python tests/sklearn_reference.py check --topica target/release/topica --data "$TOPICA_DATA_DIR"

To regenerate everything that is committed (from the repository root)::

    python -m venv .venv && .venv/bin/pip install -r tests/requirements.txt
    .venv/bin/python tests/sklearn_reference.py table
    .venv/bin/python tests/sklearn_reference.py fixtures
    .venv/bin/python tests/sklearn_reference.py token-patterns
    .venv/bin/python tests/sklearn_reference.py summaries --data "$TOPICA_DATA_DIR"
"""

import argparse
import hashlib
import json
import math
import random
import re
import string
import subprocess
import sys
import tempfile
import time
import unicodedata
from pathlib import Path

import numpy as np
import scipy
import scipy.io
import scipy.sparse as sp
import sklearn
import Stemmer
from sklearn.feature_extraction.text import (
    CountVectorizer,
    HashingVectorizer,
    TfidfVectorizer,
    strip_accents_ascii,
    strip_accents_unicode,
)

REPO = Path(__file__).resolve().parent.parent
NEWS_DIR = REPO / "data" / "news"
FIXTURES = REPO / "tests" / "fixtures" / "sklearn"
WORD_TABLE = REPO / "src" / "analyze" / "python_word_table.rs"
RE_TABLES = REPO / "src" / "analyze" / "python_re_tables.rs"

PINNED = {
    "scikit-learn": ("1.9.1", sklearn.__version__),
    "scipy": ("1.17.1", scipy.__version__),
    "numpy": ("2.4.6", np.__version__),
    "PyStemmer": ("3.1.0", Stemmer.version()),
}
PYTHON_VERSION = "%d.%d.%d" % sys.version_info[:3]

NEWS_PARAGRAPHS = 74  # 23 + 17 + 34
NEWSGROUPS_DOCUMENTS = 18846
TOLERANCE = 1e-9

# max_features for the `max_features` configuration. On the 74 paragraphs
# with English stop words removed, the 53rd most frequent term occurs 4 times
# and the 54th 3 times, so no tie at the cutoff: scikit-learn picks the top
# terms with an unstable argsort, and a tie would make the choice arbitrary.
MAX_FEATURES_K = 53

# The configurations run on the 74 paragraphs: (name, vectorizer, params).
# Params are written as JSON: lists for tuples, "float32" for np.float32.
ISSUE_PARAMS = {
    "stop_words": "english",
    "sublinear_tf": True,
    "min_df": 2,
    "max_df": 0.5,
    "ngram_range": [1, 2],
}
NEWS_CONFIGS = [
    ("default", "tfidf", {}),
    ("issue", "tfidf", ISSUE_PARAMS),
    ("binary_l1_nosmooth", "tfidf", {"binary": True, "norm": "l1", "smooth_idf": False}),
    ("tf_only", "tfidf", {"use_idf": False, "norm": None}),
    ("max_features", "tfidf", {"stop_words": "english", "max_features": MAX_FEATURES_K}),
    ("mixed_df", "tfidf", {"min_df": 0.03, "max_df": 10}),
    ("accents_unicode_nolower", "tfidf", {"strip_accents": "unicode", "lowercase": False}),
    ("accents_ascii", "tfidf", {"strip_accents": "ascii"}),
    ("custom_pattern", "tfidf", {"token_pattern": r"(?u)\b\w+\b", "ngram_range": [2, 3]}),
    ("float32", "tfidf", {"dtype": "float32", "sublinear_tf": True}),
    ("char_wb", "tfidf", {"analyzer": "char_wb", "ngram_range": [2, 4]}),
    ("char", "tfidf", {"analyzer": "char", "ngram_range": [3, 3], "min_df": 2}),
    ("hashing_default", "hashing", {}),
    ("hashing_small", "hashing", {"n_features": 64, "norm": None}),
    (
        "hashing_options",
        "hashing",
        {
            "n_features": 2**18,
            "alternate_sign": False,
            "binary": True,
            "norm": "l1",
            "stop_words": "english",
            "ngram_range": [1, 2],
        },
    ),
]

# The configurations fitted on 20 Newsgroups (summaries and check).
NEWSGROUPS_CONFIGS = [
    ("default", "tfidf", {}),
    ("issue", "tfidf", ISSUE_PARAMS),
    ("hashing_default", "hashing", {}),
]
SUMMARY_ROWS = [0, 1, 2, 9999, 18845]

# topica's command-line flags for each configuration of `check`.
TOPICA_FLAGS = {
    "default": [],
    "issue": [
        "--stop-words", "english",
        "--sublinear-tf",
        "--min-df", "2",
        "--max-df", "0.5",
        "--ngram-range", "1,2",
    ],
    "hashing_default": ["--hashing"],
}

# Hand-written analysis cases: each probes a place where a tokenizer,
# lowercaser or accent stripper written from the Unicode standard could
# disagree with Python's.
TRICKY_TEXTS = [
    "",
    " ",
    "a",
    "a b c I x y z",
    "don't stop, won't stop",
    "O'Neill's pub",
    "it\u2019s Musk\u2019s post",  # curly apostrophe
    "\u2018single\u2019 \u201cdouble\u201d \u00abguillemets\u00bb",
    "snake_case and __init__ and _x_",
    "_ __ a_ _b ___",
    "In 2025 about 3.14 of 1,400 people",
    "a 12-year-old well-known co-op",
    "e-mail: jane.doe+tag@example.co.uk",
    "see https://www.example.com/path?q=tf-idf&x=1#frag",
    "A1 b2 3c 9 99 0x1F 1e-9",
    "C++ C# .NET F#",
    "caf\u00e9 cr\u00e8me br\u00fbl\u00e9e na\u00efve r\u00e9sum\u00e9",
    "cafe\u0301 cre\u0300me e\u0301\u0301",  # decomposed accents
    "\u0301leading combining mark",
    "Stra\u00dfe STRASSE stra\u00dfe \u1e9e",
    "\u0130stanbul \u0131i \u0130I",
    "\u039f\u0394\u039f\u03a3 \u039f\u0394\u039f\u03a3. \u03a3 \u03a3\u0391 \u0391\u03a3",  # final sigma
    "\u041c\u043e\u0441\u043a\u0432\u0430 \u2014 \u0441\u0442\u043e\u043b\u0438\u0446\u0430 \u0420\u043e\u0441\u0441\u0438\u0438",
    "\u0627\u0644\u0639\u0631\u0628\u064a\u0629 \u0644\u063a\u0629 \u0645\u064f\u062d\u064e\u0645\u0651\u064e\u062f",
    "\u05e2\u05d1\u05e8\u05d9\u05ea \u05e9\u05e4\u05d4",
    "\u0939\u093f\u0928\u094d\u0926\u0940 \u092d\u093e\u0937\u093e",  # Devanagari vowel signs, virama
    "\u0e20\u0e32\u0e29\u0e32\u0e44\u0e17\u0e22",
    "\u6771\u4eac\u90fd \u5317\u4eac\u5e02",
    "\u3072\u3089\u304c\u306a \u30ab\u30bf\u30ab\u30ca \uff76\uff80\uff76\uff85 \u30fc",
    "\ud55c\uad6d\uc5b4 \ud14d\uc2a4\ud2b8 \u1100\u1161",
    "emoji \U0001f600 \U0001f44d\U0001f3fd \U0001f468\u200d\U0001f469\u200d\U0001f467 \U0001f1ec\U0001f1e7",
    "x\u00b2 y\u00b3 \u00b3 10\u207b\u00b3 H\u2082O",
    "\u00bd \u00bc \u215e",
    "\u216b \u217b \u2163",
    "\u0663\u0664 \u0661\u0662\u0663 \u0967\u0968",
    "\uff21\uff22\uff23\uff11\uff12 \uff46\uff55\uff4c\uff4c",
    "\ufb01le \ufb02ow \ufb00 \ufb03",
    "\U0001d400\U0001d401\U0001d402 \U0001d54f \u210cello",
    "non\u00a0breaking\u00a0space",
    "en\u2002em\u2003thin\u2009narrow\u202fideographic\u3000space",
    "zero\u200bwidth space",
    "zw\u200dj zw\u200cnj",
    "soft\u00adhyphen co\u00adoperate",
    "tab\tseparated\tvalues",
    "line one\nline two\r\nline three",
    "multiple   spaces\t\t and \n\n blank",
    "\x1c\x1d\x1e\x1f unit separators",
    "\u2028line\u2029para\x85nel\x0bvt\x0cff",
    "\u0149 \u01c5 \u01c8 \u01c4 \u01f1 \u01f3",
    "\u24b6 \u24d0 \u2103 \u2122 \u2121",
    "\u00b5 \u2126 \u212b \u212a",
    "\u10e5\u10d0\u10e0\u10d7\u10e3\u10da\u10d8 \u1c90\u1c91 \u0540\u0561\u0575",
    "\u13e3\u13b3\u13a9 \uab70",
    "\u00bfQu\u00e9? \u00a1S\u00ed!",
    "abc\u0430\u0431\u0432 mixed\u6f22\u5b57",
    "word\u0301 \u0915\u093e",
]

# Custom token patterns people use, compared with scikit-learn on the
# token-pattern texts (`token-patterns`, `check`).
TOKEN_PATTERNS = [
    r"(?u)\b\w+\b",
    r"\w+",
    r"\b[a-zA-Z]{3,}\b",
    r"[^\W\d_]+",
    r"\S+",
    r"(?i)[a-z]+",
    r"\b\w+'?\w*\b",
    r"[\w-]+",
    r"(?u)\b\w\w+\b|[^\w\s]",
    r"#(\w+)",
    r"(?i)\bstra(?:ss|ß)e\b",
    r"(?m)^\w+|\w+$",
    r"(?a)\b\w+\b",
    r"\w*",
]
TOKEN_PATTERN_TEXTS = [
    "Hindi: \u0939\u093f\u0928\u094d\u0926\u0940 \u092d\u093e\u0937\u093e, x\u00b2 \u00bd cafe\u0301",
    "\u0130stanbul \u0131s\u0131k I\u0307 \u212a\u212b \u017ftra\u00dfe STRASSE #tag #\u0939\u093f",
    "\ufb01le \ufb00 \u1e9e \u00df \u03a3\u03c3\u03c2 \u24b6\u24d0 \u2460 \u203f\u2040 a\u200db a\u200cb",
    "\x1c\x1d\x1e\x1f a\x1cb \u00a0nbsp\u00a0 line\u2028sep\u2029para\x85 end\n",
    "emoji \U0001f600 \U0001f468\u200d\U0001f469\u200d\U0001f467 \U0001f44d\U0001f3fd don't it's O'Neill's well-known",
    "\u0e20\u0e32\u0e29\u0e32\u0e44\u0e17\u0e22 \U00010400\U00010428 \u1f80\u1f88 \u0345 \u03b9 K k",
    "",
    "\n\nlast line\n",
]
TOKEN_PATTERN_BLOCKS = [
    (0x0080, 0x024F),  # Latin-1 and Latin Extended
    (0x0300, 0x036F),  # combining diacritical marks
    (0x0900, 0x097F),  # Devanagari
    (0x0E00, 0x0E7F),  # Thai
    (0x2000, 0x206F),  # general punctuation and spaces
    (0x2070, 0x218F),  # superscripts, subscripts, number forms
    (0x2460, 0x24FF),  # enclosed alphanumerics
    (0xFB00, 0xFB4F),  # ligatures
]
TOKEN_PATTERN_SAMPLE_PER_CATEGORY = 20

# Where the random analysis strings draw their characters from, with weights.
RANDOM_SEED = 20260101
RANDOM_CASES = 600
ASCII_POOL = string.ascii_letters + string.digits + string.punctuation + "    \t\n"
RANDOM_SOURCES = [
    (50, "ascii"),
    (8, (0x00A0, 0x024F)),  # Latin-1 and Latin Extended
    (5, (0x0300, 0x036F)),  # combining diacritical marks
    (4, (0x0370, 0x03FF)),  # Greek
    (4, (0x0400, 0x04FF)),  # Cyrillic
    (4, (0x0900, 0x097F)),  # Devanagari
    (4, (0x0600, 0x06FF)),  # Arabic
    (4, (0x4E00, 0x9FFF)),  # CJK
    (3, (0xAC00, 0xD7A3)),  # Hangul syllables
    (3, (0x1F300, 0x1FAFF)),  # emoji
    (4, (0x2000, 0x206F)),  # general punctuation and spaces
    (3, (0x2070, 0x209F)),  # superscripts and subscripts
    (3, (0x2150, 0x218F)),  # number forms
    (4, "any"),  # any code point but a surrogate
]


# ---------------------------------------------------------------------------
# Helpers


def require_pinned_versions():
    """Stop unless the packages are the ones in tests/requirements.txt."""
    wrong = [
        f"{name} {found} (want {want})"
        for name, (want, found) in PINNED.items()
        if found != want
    ]
    if wrong:
        sys.exit("sklearn_reference: wrong package versions: " + ", ".join(wrong))


def require_python_311():
    """Stop unless this is Python 3.11, whose Unicode 14.0 the fixtures record."""
    if sys.version_info[:2] != (3, 11):
        sys.exit(f"sklearn_reference: needs Python 3.11, this is {PYTHON_VERSION}")


def versions():
    return {"python": PYTHON_VERSION, "unicode": unicodedata.unidata_version} | {
        name: found for name, (_, found) in PINNED.items()
    }


def sklearn_kwargs(params):
    """Turn JSON params into scikit-learn keyword arguments."""
    kwargs = dict(params)
    if "ngram_range" in kwargs:
        kwargs["ngram_range"] = tuple(kwargs["ngram_range"])
    if "dtype" in kwargs:
        kwargs["dtype"] = {"float32": np.float32, "float64": np.float64}[kwargs["dtype"]]
    return kwargs


def make_vectorizer(kind, params):
    if kind == "tfidf":
        return TfidfVectorizer(**sklearn_kwargs(params))
    if kind == "hashing":
        return HashingVectorizer(**sklearn_kwargs(params))
    raise ValueError(kind)


def canonical_csr(matrix):
    """CSR float64 copy with duplicates summed, zeros removed, indices sorted.

    Returns the matrix and how many explicit zeros were removed.
    """
    m = sp.csr_array(matrix, dtype=np.float64, copy=True)
    m.sum_duplicates()
    before = m.nnz
    m.eliminate_zeros()
    m.sort_indices()
    return m, before - m.nnz


def dumps(value):
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False)


def write_json(path, obj):
    """Write a JSON object with one top-level key per line.

    A top-level list of objects or a top-level object gets one item per line,
    so diffs of regenerated fixtures stay readable. Strings are written as
    UTF-8 (control characters escaped); floats use Python's repr, which
    round-trips exactly.
    """
    parts = []
    for key, value in obj.items():
        if isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
            items = ",\n".join("  " + dumps(v) for v in value)
            parts.append(f"{dumps(key)}: [\n{items}\n]")
        elif isinstance(value, dict) and value:
            items = ",\n".join(
                f"  {dumps(k)}: {dumps(v)}" for k, v in value.items()
            )
            parts.append(f"{dumps(key)}: {{\n{items}\n}}")
        else:
            parts.append(f"{dumps(key)}: {dumps(value)}")
    text = "{\n" + ",\n".join(parts) + "\n}\n"
    json.loads(text)  # never write a file that does not parse
    path.write_text(text, encoding="utf-8")
    print(f"wrote {path.relative_to(REPO)} ({len(text.encode('utf-8')):,} bytes)")


def read_news_paragraphs(news_dir):
    """Split the bundled news files into paragraphs, as topica's corpus does.

    Lines are what remains after normalising CRLF and splitting on "\\n"; a
    final "\\n" ends the last line rather than starting an empty one.
    """
    documents = []
    for path in sorted(news_dir.glob("*.txt"), key=lambda p: p.name):
        text = path.read_text(encoding="utf-8").removeprefix("\ufeff").replace("\r\n", "\n")
        lines = text.split("\n")
        if text.endswith("\n"):
            lines.pop()

        # (1-based number of the first line, lines of the paragraph)
        chunks = []
        if any(line.strip() == "" for line in lines):
            current = None
            for number, line in enumerate(lines, start=1):
                if line.strip() == "":
                    current = None
                elif current is None:
                    current = (number, [line])
                    chunks.append(current)
                else:
                    current[1].append(line)
        else:
            chunks = [(number, [line]) for number, line in enumerate(lines, start=1)
                      if line.strip() != ""]

        n = 0
        for first_line, chunk in chunks:
            paragraph = "\n".join(chunk).strip()
            if paragraph:
                documents.append({"id": f"{path.name}#{n}", "line": first_line, "text": paragraph})
                n += 1
    assert len(documents) == NEWS_PARAGRAPHS, f"{len(documents)} paragraphs, want {NEWS_PARAGRAPHS}"
    return documents


def read_newsgroups(data_dir):
    path = Path(data_dir) / "20newsgroups.jsonl"
    with open(path, encoding="utf-8") as f:
        texts = [json.loads(line)["text"] for line in f]
    assert len(texts) == NEWSGROUPS_DOCUMENTS, f"{path}: {len(texts)} documents"
    return texts


# ---------------------------------------------------------------------------
# table


def python_word_ranges():
    """Merged inclusive ranges of non-ASCII code points matching (?u)\\w."""
    word = re.compile(r"(?u)\w")
    ranges = []
    for c in range(0x80, 0x110000):
        if 0xD800 <= c <= 0xDFFF:
            continue
        if word.match(chr(c)):
            if ranges and ranges[-1][1] == c - 1:
                ranges[-1][1] = c
            else:
                ranges.append([c, c])
    return ranges


def cmd_table(args):
    require_python_311()
    ranges = python_word_ranges()
    lines = [
        f"// Generated by tests/sklearn_reference.py (`table`) with Python {PYTHON_VERSION} /",
        f"// Unicode {unicodedata.unidata_version}. Do not edit: rerun the script instead.",
        "//",
        "// Python's `re` module decides what scikit-learn's token pattern",
        r"// `(?u)\b\w\w+\b` sees as a word character. For a `str` pattern `\w` is",
        "// `str.isalnum()` or `_`, with the Unicode database of that Python, which",
        "// differs from Unicode's Alphabetic/word definitions (combining marks are",
        "// not word characters, numerics like `½` are).",
        "",
        "/// Unicode version of the Python that generated [`WORD_RANGES`].",
        f'pub(crate) static PYTHON_UNICODE_VERSION: &str = "{unicodedata.unidata_version}";',
        "",
        "/// Sorted, merged, inclusive ranges of the non-ASCII code points that",
        r"/// Python's `re.match(r'(?u)\w', chr(c))` matches (surrogates excluded).",
        "pub(crate) static WORD_RANGES: &[(u32, u32)] = &[",
    ]
    lines += [f"    (0x{lo:04X}, 0x{hi:04X})," for lo, hi in ranges]
    lines += ["];", ""]
    WORD_TABLE.write_text("\n".join(lines), encoding="utf-8")
    count = sum(hi - lo + 1 for lo, hi in ranges)
    print(f"wrote {WORD_TABLE.relative_to(REPO)}: {len(ranges)} ranges, {count} code points")
    write_re_tables()


def merged_ranges(predicate):
    """Merged inclusive ranges of the code points (surrogates excluded) for
    which predicate holds."""
    ranges = []
    for c in range(0x110000):
        if 0xD800 <= c <= 0xDFFF or not predicate(c):
            continue
        if ranges and ranges[-1][1] == c - 1:
            ranges[-1][1] = c
        else:
            ranges.append([c, c])
    return ranges


def simple_upper(c):
    """The single-character uppercase of chr(c), or c. Python exposes no
    simple uppercase mapping; str.upper() is the full one, which for the few
    characters whose full uppercase is several characters (U+00DF, U+1FB3...)
    is not the simple mapping sre uses. topica needs it only for (?i) ranges
    that reach past U+FFFF (see `python_classes.rs`)."""
    upper = chr(c).upper()
    return ord(upper) if len(upper) == 1 else c


def write_re_tables():
    import _sre
    from re import _compiler

    digit = re.compile(r"\d")
    space = re.compile(r"\s")

    def rust_ranges(name, doc, ranges):
        return [doc, f"pub(crate) static {name}: &[(u32, u32)] = &["] + [
            f"    (0x{lo:04X}, 0x{hi:04X})," for lo, hi in ranges
        ] + ["];", ""]

    def rust_pairs(name, doc, pairs):
        return [doc, f"pub(crate) static {name}: &[(u32, u32)] = &["] + [
            f"    (0x{a:04X}, 0x{b:04X})," for a, b in pairs
        ] + ["];", ""]

    code_points = [c for c in range(0x110000) if not 0xD800 <= c <= 0xDFFF]
    lower = [(c, _sre.unicode_tolower(c)) for c in code_points if _sre.unicode_tolower(c) != c]
    upper = [(c, simple_upper(c)) for c in code_points if simple_upper(c) != c]
    extra = sorted((k, v) for k, vs in _compiler._EXTRA_CASES.items() for v in vs)
    lines = [
        f"// Generated by tests/sklearn_reference.py (`table`) with Python {PYTHON_VERSION} /",
        f"// Unicode {unicodedata.unidata_version}. Do not edit: rerun the script instead.",
        "//",
        "// What Python's `re` matches with `\\d` and `\\s` in a `str` pattern, and",
        "// the case tables its `(?i)` matching uses.",
        "",
    ]
    lines += rust_ranges(
        "DIGIT_RANGES",
        r"/// Code points that `re.match(r'\d', chr(c))` matches (`str.isdecimal()`).",
        merged_ranges(lambda c: digit.match(chr(c))),
    )
    lines += rust_ranges(
        "SPACE_RANGES",
        r"/// Code points that `re.match(r'\s', chr(c))` matches (`str.isspace()`).",
        merged_ranges(lambda c: space.match(chr(c))),
    )
    lines += rust_ranges(
        "CASED_RANGES",
        "/// Code points for which `_sre.unicode_iscased(c)` holds.",
        merged_ranges(_sre.unicode_iscased),
    )
    lines += rust_pairs(
        "LOWER",
        "/// `(c, _sre.unicode_tolower(c))` wherever the two differ, sorted by `c`.",
        lower,
    )
    lines += rust_pairs(
        "UPPER",
        "/// `(c, simple uppercase of c)` wherever the two differ, sorted by `c`\n"
        "/// (`str.upper()` where that is one character).",
        upper,
    )
    lines += rust_pairs(
        "EXTRA_CASES",
        "/// `re._compiler._EXTRA_CASES` as `(lowercase, also matches)` pairs: the\n"
        "/// lowercase letters that `(?i)` matches with more than their own case\n"
        "/// (`i` with U+0131 dotless i, `s` with U+017F long s...).",
        extra,
    )
    RE_TABLES.write_text("\n".join(lines), encoding="utf-8")
    print(f"wrote {RE_TABLES.relative_to(REPO)}: {len(lower)} lowercase and "
          f"{len(upper)} uppercase pairs, {len(extra)} extra cases")


# ---------------------------------------------------------------------------
# fixtures


def news_fixture(name, kind, params, texts):
    vectorizer = make_vectorizer(kind, params)
    X = vectorizer.fit_transform(texts)
    m, zeros = canonical_csr(X)
    notes = []
    if zeros:
        notes.append(
            f"eliminate_zeros removed {zeros} explicit zeros from scikit-learn's output "
            "(with alternate_sign, colliding features of opposite sign cancel to 0)"
        )
    if params.get("dtype") == "float32":
        notes.append(
            "computed in float32 and widened exactly to float64. The l2 norm squares each "
            "float32 value in float32 and sums the squares in a double "
            "(sklearn/utils/sparsefuncs_fast.pyx, _inplace_csr_row_normalize_l2). numpy's "
            "float32 np.log (used for idf and sublinear tf) is not always correctly rounded: "
            "np.log(np.float32(7)) is 1 ulp above logf(7). "
            "Here np.log rounded %d of its %d distinct arguments differently from a correctly "
            "rounded log (for idf, adding 1 afterwards can hide the difference)"
            % float32_log_misses(texts)
        )
    fixture = {
        "name": name,
        "vectorizer": kind,
        "params": params,
        "shape": list(m.shape),
    }
    if kind == "tfidf":
        fixture["vocabulary"] = vectorizer.get_feature_names_out().tolist()
        fixture["idf"] = vectorizer.idf_.tolist() if vectorizer.use_idf else None
    if name == "max_features":
        notes.append(f"max_features K={MAX_FEATURES_K}: no tie between the K-th and (K+1)-th total counts")
    fixture |= {
        "indptr": m.indptr.tolist(),
        "indices": m.indices.tolist(),
        "data": m.data.tolist(),
        "notes": notes,
        "versions": versions(),
    }
    return fixture, vectorizer


def float32_log_misses(texts):
    """How many of the distinct float32 np.log arguments of the `float32`
    configuration (counts for sublinear tf, (n + 1) / (df + 1) for idf) numpy
    rounds differently from a correctly rounded log, and how many there are."""
    counts = CountVectorizer(dtype=np.float32).fit_transform(texts)
    df = np.bincount(counts.indices, minlength=counts.shape[1]).astype(np.float32)
    ratios = np.float32(counts.shape[0] + 1) / (df + np.float32(1))
    arguments = np.unique(np.concatenate([counts.data, ratios]))
    correct = np.array([math.log(x) for x in arguments.tolist()], dtype=np.float32)
    return int(np.sum(np.log(arguments) != correct)), len(arguments)


def check_max_features_cutoff(texts):
    """Assert that MAX_FEATURES_K does not cut through a tie of total counts."""
    counts = CountVectorizer(stop_words="english").fit_transform(texts)
    totals = np.sort(np.asarray(counts.sum(axis=0)).ravel())[::-1]
    k = MAX_FEATURES_K
    assert totals[k - 1] != totals[k], (
        f"max_features={k} cuts a tie: counts {totals[k - 1]} and {totals[k]}"
    )
    return int(totals[k - 1]), int(totals[k])


def random_text(rng):
    """A random string of characters that this Python's Unicode assigns:
    unassigned code points do not occur in real text, and Rust's newer Unicode
    tables may know them (a lowercase form, a decomposition) where Python
    does not."""
    weights = [w for w, _ in RANDOM_SOURCES]

    def draw():
        (source,) = rng.choices([s for _, s in RANDOM_SOURCES], weights)
        if source == "ascii":
            return rng.choice(ASCII_POOL)
        if source == "any":
            c = rng.randrange(0x110000 - 0x800)
            return chr(c if c < 0xD800 else c + 0x800)
        return chr(rng.randint(*source))

    chars = []
    for _ in range(rng.randint(0, 40)):
        c = draw()
        while unicodedata.category(c) == "Cn":
            c = draw()
        chars.append(c)
    return "".join(chars)


def analysis_fixture():
    analyzers = {
        "tokens": TfidfVectorizer().build_analyzer(),
        "tokens_nolower": TfidfVectorizer(lowercase=False).build_analyzer(),
        "tokens_accents_unicode": TfidfVectorizer(strip_accents="unicode").build_analyzer(),
        "char_wb": TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 3)).build_analyzer(),
    }
    rng = random.Random(RANDOM_SEED)
    texts = TRICKY_TEXTS + [random_text(rng) for _ in range(RANDOM_CASES)]
    cases = []
    for text in texts:
        cases.append({
            "text": text,
            "lower": text.lower(),
            "tokens": analyzers["tokens"](text),
            "tokens_nolower": analyzers["tokens_nolower"](text),
            "strip_unicode": strip_accents_unicode(text),
            "strip_ascii": strip_accents_ascii(text),
            "tokens_accents_unicode": analyzers["tokens_accents_unicode"](text),
            "char_wb": analyzers["char_wb"](text),
        })
    return {
        "python_version": PYTHON_VERSION,
        "unicode_version": unicodedata.unidata_version,
        "random_seed": RANDOM_SEED,
        "hand_written_cases": len(TRICKY_TEXTS),
        "cases": cases,
    }


def lowercase_fixture():
    """Python's lowercase of every code point that changes, and the ranges of
    code points this Python's Unicode leaves unassigned (category Cn): Rust's
    tables are of a newer Unicode, so tests skip characters assigned since."""
    mapping = {}
    unassigned = []
    for c in range(0x110000):
        if 0xD800 <= c <= 0xDFFF:
            continue
        lower = chr(c).lower()
        if lower != chr(c):
            mapping[str(c)] = lower
        if unicodedata.category(chr(c)) == "Cn":
            if unassigned and unassigned[-1][1] == c - 1:
                unassigned[-1][1] = c
            else:
                unassigned.append([c, c])
    return {
        "python_version": PYTHON_VERSION,
        "unicode_version": unicodedata.unidata_version,
        "map": mapping,
        "unassigned": unassigned,
    }


def cmd_fixtures(args):
    require_python_311()
    require_pinned_versions()
    FIXTURES.mkdir(parents=True, exist_ok=True)

    documents = read_news_paragraphs(NEWS_DIR)
    write_json(FIXTURES / "news_documents.json", {"documents": documents})
    texts = [d["text"] for d in documents]

    at_k, after_k = check_max_features_cutoff(texts)
    print(f"max_features={MAX_FEATURES_K}: total counts {at_k} (K-th) > {after_k} (K+1-th)")

    default_vocabulary = None
    for name, kind, params in NEWS_CONFIGS:
        fixture, _ = news_fixture(name, kind, params, texts)
        if name == "default":
            default_vocabulary = fixture["vocabulary"]
        write_json(FIXTURES / f"news_{name}.json", fixture)

    write_json(FIXTURES / "analysis.json", analysis_fixture())
    write_json(FIXTURES / "lowercase.json", lowercase_fixture())

    stems = Stemmer.Stemmer("english").stemWords(default_vocabulary)
    write_json(FIXTURES / "stems.json", {
        "stemmer": f"PyStemmer {Stemmer.version()} english",
        "words": default_vocabulary,
        "stems": stems,
    })


# ---------------------------------------------------------------------------
# token-patterns


def token_pattern_texts():
    """The hand-written texts, then every assigned code point of the blocks
    and a seeded sample of each general category, each character written as
    `a{c}b {c}{c}1 ` (inside a word, doubled, before a digit), 16 characters
    to a text."""
    chars = []
    for lo, hi in TOKEN_PATTERN_BLOCKS:
        chars += [chr(c) for c in range(lo, hi + 1) if unicodedata.category(chr(c)) != "Cn"]
    by_category = {}
    for c in range(0x110000):
        if 0xD800 <= c <= 0xDFFF:
            continue
        by_category.setdefault(unicodedata.category(chr(c)), []).append(chr(c))
    rng = random.Random(RANDOM_SEED)
    for category in sorted(by_category):
        if category in ("Cn", "Cs"):
            continue
        members = by_category[category]
        chars += rng.sample(members, min(TOKEN_PATTERN_SAMPLE_PER_CATEGORY, len(members)))
    texts = list(TRICKY_TEXTS) + TOKEN_PATTERN_TEXTS
    for i in range(0, len(chars), 16):
        texts.append("".join(f"a{c}b {c}{c}1 " for c in chars[i:i + 16]))
    return texts


def token_patterns_fixture():
    texts = token_pattern_texts()
    patterns = []
    for pattern in TOKEN_PATTERNS:
        analyzer = TfidfVectorizer(token_pattern=pattern, lowercase=False).build_analyzer()
        vectorizer = TfidfVectorizer(token_pattern=pattern).fit(texts)
        patterns.append({
            "pattern": pattern,
            "tokens": [analyzer(text) for text in texts],
            "vocabulary": vectorizer.get_feature_names_out().tolist(),
        })
    return {
        "python_version": PYTHON_VERSION,
        "unicode_version": unicodedata.unidata_version,
        "texts": texts,
        "patterns": patterns,
        "versions": versions(),
    }


def cmd_token_patterns(args):
    require_python_311()
    require_pinned_versions()
    FIXTURES.mkdir(parents=True, exist_ok=True)
    write_json(FIXTURES / "token_patterns.json", token_patterns_fixture())


def check_token_patterns(topica, tmp):
    """Run topica vectorize with each custom pattern on the token-pattern
    texts and compare vocabularies with scikit-learn's; return ok."""
    print("== token patterns")
    texts = token_pattern_texts()
    data = tmp / "token_patterns.jsonl"
    data.write_text("".join(json.dumps({"text": t}) + "\n" for t in texts), encoding="utf-8")
    ok = True
    for pattern in TOKEN_PATTERNS:
        vocabulary_path = tmp / "token_patterns.vocab.txt"
        command = [str(topica), "vectorize", str(data), "-o", str(tmp / "token_patterns.mtx"),
                   "--vocabulary-out", str(vocabulary_path), "--token-pattern", pattern]
        if run_topica(command) is None:
            ok = False
            continue
        expected = TfidfVectorizer(token_pattern=pattern).fit(texts).get_feature_names_out().tolist()
        # --vocabulary-out writes a line break or backslash as \\n, \\r, \\\\,
        # and the empty term (patterns whose group can match nothing) as \\e.
        unescape = {"n": "\n", "r": "\r", "\\": "\\"}
        actual = ["" if t == "\\e" else re.sub(r"\\(.)", lambda m: unescape[m.group(1)], t)
                  for t in read_vocabulary(vocabulary_path)]
        same = compare_vocabularies(expected, actual)
        print(f"  {pattern}: {'ok' if same else 'FAILED'} ({len(expected):,} terms)")
        ok = ok and same
    print(f"token patterns: {'ok' if ok else 'FAILED'}", flush=True)
    return ok


# ---------------------------------------------------------------------------
# summaries


def summary_fixture(name, kind, params, texts):
    vectorizer = make_vectorizer(kind, params)
    m, zeros = canonical_csr(vectorizer.fit_transform(texts))
    fixture = {"name": name, "params": params, "shape": list(m.shape), "nnz": int(m.nnz)}
    if kind == "tfidf":
        vocabulary = vectorizer.get_feature_names_out().tolist()
        idf = vectorizer.idf_
        n = len(vocabulary)
        sample = [i * (n - 1) // 49 for i in range(50)]
        fixture |= {
            "vocabulary_sha256": hashlib.sha256(
                ("\n".join(vocabulary) + "\n").encode("utf-8")
            ).hexdigest(),
            "first_terms": vocabulary[:50],
            "last_terms": vocabulary[-50:],
            "idf_sample": {vocabulary[i]: float(idf[i]) for i in sample},
        }
    fixture["data_sum"] = math.fsum(m.data.tolist())
    fixture["rows"] = {
        str(row): {
            "indices": m.indices[m.indptr[row]:m.indptr[row + 1]].tolist(),
            "data": m.data[m.indptr[row]:m.indptr[row + 1]].tolist(),
        }
        for row in SUMMARY_ROWS
    }
    notes = ["data_sum is math.fsum of all values (exactly rounded, order-independent)"]
    if zeros:
        notes.append(f"eliminate_zeros removed {zeros} explicit zeros from scikit-learn's output")
    fixture["notes"] = notes
    fixture["versions"] = versions()
    return fixture


def cmd_summaries(args):
    require_python_311()
    require_pinned_versions()
    FIXTURES.mkdir(parents=True, exist_ok=True)
    texts = read_newsgroups(args.data)
    for name, kind, params in NEWSGROUPS_CONFIGS:
        start = time.perf_counter()
        fixture = summary_fixture(name, kind, params, texts)
        print(f"{name}: shape {fixture['shape']}, nnz {fixture['nnz']:,}, "
              f"{time.perf_counter() - start:.1f} s")
        write_json(FIXTURES / f"newsgroups_{name}.json", fixture)


# ---------------------------------------------------------------------------
# check


def run_topica(command):
    """Run topica; return its wall time, or None after printing why it failed."""
    print("$ " + " ".join(command), flush=True)
    start = time.perf_counter()
    try:
        result = subprocess.run(command, capture_output=True, text=True, errors="replace")
    except OSError as error:
        print(f"  FAIL: could not run topica: {error}")
        return None
    elapsed = time.perf_counter() - start
    if result.returncode != 0:
        print(f"  FAIL: topica exited with status {result.returncode}")
        print("  stderr (last 2000 characters):\n" + result.stderr[-2000:])
        return None
    return elapsed


def read_vocabulary(path):
    text = Path(path).read_bytes().decode("utf-8")
    if text and not text.endswith("\n"):
        print(f"  note: {path} does not end with a newline")
        text += "\n"
    return text.split("\n")[:-1]


def compare_vocabularies(expected, actual):
    if expected == actual:
        return True
    print(f"  FAIL: vocabularies differ: scikit-learn has {len(expected):,} terms, "
          f"topica {len(actual):,}")
    expected_set, actual_set = set(expected), set(actual)
    missing = [t for t in expected if t not in actual_set]
    extra = [t for t in actual if t not in expected_set]
    print(f"  {len(missing):,} terms only in scikit-learn, first 20: {missing[:20]!r}")
    print(f"  {len(extra):,} terms only in topica, first 20: {extra[:20]!r}")
    if not missing and not extra:
        for i, (e, a) in enumerate(zip(expected, actual)):
            if e != a:
                print(f"  same terms, different order: column {i} is {e!r} in scikit-learn, "
                      f"{a!r} in topica")
                break
    return False


def compare_matrices(expected, actual, vocabulary=None):
    """Compare two canonical CSR matrices; return (ok, max abs difference)."""
    def term(j):
        return repr(vocabulary[j]) if vocabulary is not None and j < len(vocabulary) else str(j)

    if expected.shape != actual.shape:
        print(f"  FAIL: shapes differ: scikit-learn {expected.shape}, topica {actual.shape}")
        return False, math.nan

    if not (np.array_equal(expected.indptr, actual.indptr)
            and np.array_equal(expected.indices, actual.indices)):
        print(f"  FAIL: sparsity patterns differ: scikit-learn nnz {expected.nnz:,}, "
              f"topica nnz {actual.nnz:,}")
        shown = 0
        for row in range(expected.shape[0]):
            e = set(expected.indices[expected.indptr[row]:expected.indptr[row + 1]].tolist())
            a = set(actual.indices[actual.indptr[row]:actual.indptr[row + 1]].tolist())
            if e != a:
                only_e = [term(j) for j in sorted(e - a)[:10]]
                only_a = [term(j) for j in sorted(a - e)[:10]]
                print(f"  row {row}: only scikit-learn {only_e}, only topica {only_a}")
                shown += 1
                if shown == 10:
                    break
        return False, math.nan

    if expected.nnz == 0:
        return True, 0.0
    difference = np.abs(expected.data - actual.data)
    max_diff = float(np.max(difference))
    if not max_diff <= TOLERANCE:  # also catches NaN
        print(f"  FAIL: max abs difference {max_diff:.3e} > {TOLERANCE:g}")
        rows = np.repeat(np.arange(expected.shape[0]), np.diff(expected.indptr))
        for k in np.argsort(-np.nan_to_num(difference, nan=np.inf))[:10]:
            if not difference[k] > TOLERANCE and not np.isnan(difference[k]):
                break
            print(f"  row {rows[k]} column {term(expected.indices[k])}: "
                  f"scikit-learn {float(expected.data[k])!r}, topica {float(actual.data[k])!r}")
        return False, max_diff
    return True, max_diff


def check_one(name, kind, params, topica, data_file, texts, tmp):
    """Run one configuration through topica and scikit-learn; return ok."""
    print(f"== {name}")
    matrix_path = tmp / f"{name}.mtx"
    vocabulary_path = tmp / f"{name}.vocab.txt"
    command = [str(topica), "vectorize", str(data_file), "-o", str(matrix_path)]
    if kind == "tfidf":
        command += ["--vocabulary-out", str(vocabulary_path)]
    command += TOPICA_FLAGS[name]
    topica_seconds = run_topica(command)
    if topica_seconds is None:
        print(f"{name}: FAILED (topica did not run)")
        return False

    try:
        actual, _ = canonical_csr(scipy.io.mmread(matrix_path))
        actual_vocabulary = read_vocabulary(vocabulary_path) if kind == "tfidf" else None
    except Exception as error:  # a malformed output is a failure, not a crash
        print(f"  FAIL: cannot read topica's output: {error!r}")
        print(f"{name}: FAILED (unreadable output)")
        return False

    vectorizer = make_vectorizer(kind, params)
    start = time.perf_counter()
    X = vectorizer.fit_transform(texts)
    sklearn_seconds = time.perf_counter() - start
    expected, _ = canonical_csr(X)

    ok = True
    vocabulary = None
    if kind == "tfidf":
        vocabulary = vectorizer.get_feature_names_out().tolist()
        ok = compare_vocabularies(vocabulary, actual_vocabulary)
    matrix_ok, max_diff = compare_matrices(expected, actual, vocabulary)
    ok = ok and matrix_ok
    print(f"{name}: {'ok' if ok else 'FAILED'}  max|diff| {max_diff:.3e}  nnz {expected.nnz:,}  "
          f"topica {topica_seconds:.2f} s  scikit-learn fit_transform {sklearn_seconds:.2f} s",
          flush=True)
    return ok


def cmd_check(args):
    require_pinned_versions()
    if sys.version_info[:2] != (3, 11):
        print(f"warning: Python {PYTHON_VERSION}; the reference is Python 3.11")
    data_file = Path(args.data) / "20newsgroups.jsonl"
    texts = read_newsgroups(args.data)
    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        for name, kind, params in NEWSGROUPS_CONFIGS:
            results[name] = check_one(name, kind, params, args.topica, data_file, texts, Path(tmp))
        results["token_patterns"] = check_token_patterns(args.topica, Path(tmp))
    passed = sum(results.values())
    failed = len(results) - passed
    if failed:
        print("FAILED: " + ", ".join(name for name, ok in results.items() if not ok))
    print(f"sklearn_reference: {passed} passed, {failed} failed")
    return 1 if failed else 0


# ---------------------------------------------------------------------------


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser(
        "table", help="write src/analyze/python_word_table.rs and python_re_tables.rs"
    )
    commands.add_parser("fixtures", help="regenerate tests/fixtures/sklearn/ from data/news/")
    commands.add_parser(
        "token-patterns", help="write tests/fixtures/sklearn/token_patterns.json"
    )
    summaries = commands.add_parser("summaries", help="write the 20 Newsgroups summary fixtures")
    summaries.add_argument("--data", required=True, help="folder holding 20newsgroups.jsonl")
    check = commands.add_parser("check", help="compare topica with scikit-learn on 20 Newsgroups")
    check.add_argument("--topica", required=True, help="path to the topica binary")
    check.add_argument("--data", required=True, help="folder holding 20newsgroups.jsonl")
    args = parser.parse_args()

    handlers = {
        "table": cmd_table,
        "fixtures": cmd_fixtures,
        "token-patterns": cmd_token_patterns,
        "summaries": cmd_summaries,
        "check": cmd_check,
    }
    return handlers[args.command](args) or 0


if __name__ == "__main__":
    sys.exit(main())
