#!/usr/bin/env python3
"""Runs every comparison of topica with its peers and rewrites BENCHMARKS.md.

    python3 benches/compare_all.py --data "$TOPICA_DATA_DIR"
    python3 benches/compare_all.py --data ../shared/data --quick
    python3 benches/compare_all.py --data ../shared/data --only linfa --only scaling

Each part is a script of its own that rewrites its own section of
BENCHMARKS.md, between `<!-- NAME:begin -->` and `<!-- NAME:end -->`, names
the command that reproduces it and saves its measurements in
benches/results/NAME.json (its `--from-json` re-renders the section from
that file); this one builds the release binary once and runs them in this
order:

- `vectorize`: benches/compare_vectorize.py, TF-IDF on all of 20 Newsgroups
  against scikit-learn and linfa-preprocessing (several minutes);
- `cluster`: benches/compare_cluster.py, `topica cluster` against
  scikit-learn's LSA + KMeans on data/news and 20 Newsgroups, seeds 0-4
  (several minutes);
- `hierarchical`: benches/compare_hierarchical.py, the four linkages on 5,000
  posts (criterion) against scikit-learn's and scipy's (a few minutes);
- `hierarchical_paragraphs`: benches/compare_hierarchical_paragraphs.py,
  the four linkages on 5,000 paragraphs, topica's whole command against
  scikit-learn's clustering (about a minute);
- `linfa`: benches/compare_linfa.py, topica's k-means against
  linfa-clustering's KMeans on the same LSA vectors (two minutes);
- `scaling`: benches/compare_scaling.py, whole commands at 1x, 4x and 16x 20
  Newsgroups, time and peak memory (25 minutes on 2 cores, most of it at
  16x);
- `minibatch`: benches/compare_minibatch.py, `topica cluster --batch-size
  1024` against scikit-learn's MiniBatchKMeans on all of 20 Newsgroups
  (about a minute).
- `similarity`: benches/compare_similarity.py, `topica neighbors` against
  scikit-learn's brute-force NearestNeighbors at 1x, 2x and 4x, and one
  free-text query against scikit-learn's (about 15 minutes, most of it
  scikit-learn at 4x).

`--quick` runs fewer rounds (vectorize 3 instead of 7, cluster 2 seeds
instead of 5, hierarchical 2 peer rounds instead of 5, linfa 2 seeds,
scaling 1 round, minibatch 1 seed, similarity 1 round and 2x only): enough to check a change, not to
publish. `--dry-run` prints the commands only. Needs
cargo, hyperfine, GNU time and the Python packages of tests/requirements.txt
(run it with that environment's python); every part needs TOPICA_DATA_DIR.
"""

import argparse
import os
import shlex
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import benchmd  # noqa: E402

REPO = benchmd.REPO
PARTS = ("vectorize", "cluster", "hierarchical", "hierarchical_paragraphs", "linfa", "scaling",
         "minibatch", "similarity")


def log(message):
    print(f"compare_all: {message}", file=sys.stderr, flush=True)


def part_command(part, data, markdown, quick):
    """The argv of `part`, and a note when it does not rewrite its section."""
    py = [sys.executable]
    data = ["--data", str(data)]
    md = ["--markdown", str(markdown)]
    if part == "vectorize":
        return [*py, "benches/compare_vectorize.py", *data, *md,
                *(["--runs", "3"] if quick else [])], None
    if part == "cluster":
        return [*py, "benches/compare_cluster.py", *data, *md,
                *(["--seeds", "2"] if quick else [])], None
    if part == "hierarchical":
        return [*py, "benches/compare_hierarchical.py", *data, *md,
                *(["--rounds", "2"] if quick else [])], None
    if part == "hierarchical_paragraphs":
        return [*py, "benches/compare_hierarchical_paragraphs.py", *data, *md,
                *(["--rounds", "1"] if quick else [])], None
    if part == "linfa":
        return [*py, "benches/compare_linfa.py", *data, *md,
                *(["--runs", "2"] if quick else [])], None
    if part == "scaling":
        return [*py, "benches/compare_scaling.py", *data, *md,
                *(["--rounds", "1"] if quick else [])], None
    if part == "minibatch":
        return [*py, "benches/compare_minibatch.py", *data, *md,
                *(["--seeds", "1"] if quick else [])], None
    if part == "similarity":
        return [*py, "benches/compare_similarity.py", *data, *md,
                *(["--rounds", "1", "--scales", "2"] if quick else [])], None
    raise ValueError(part)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", default=os.environ.get("TOPICA_DATA_DIR"),
                    help="the folder of reference corpora (default: $TOPICA_DATA_DIR)")
    ap.add_argument("--only", action="append", choices=PARTS, metavar="NAME",
                    help=f"run only this part (repeatable): {', '.join(PARTS)}")
    ap.add_argument("--quick", action="store_true", help="fewer rounds in every part")
    ap.add_argument("--markdown", type=Path, default=REPO / "BENCHMARKS.md",
                    help="the file whose sections are rewritten (default BENCHMARKS.md)")
    ap.add_argument("--dry-run", action="store_true", help="print the commands, run nothing")
    args = ap.parse_args(argv)
    if not args.data or not Path(args.data).is_dir():
        sys.exit("compare_all: set TOPICA_DATA_DIR (or --data) to the folder holding "
                 "20newsgroups.jsonl and 20newsgroups_clean.jsonl (../shared/data)")
    data = Path(args.data).resolve()
    markdown = args.markdown.resolve()
    parts = [p for p in PARTS if not args.only or p in args.only]

    plan = [("build", ["cargo", "build", "--release"], None)]
    plan += [(p, *part_command(p, data, markdown, args.quick)) for p in parts]
    failed, notes = [], []
    for name, cmd, note in plan:
        log(f"{name}: {shlex.join(cmd)}")
        if note:
            notes.append(f"{name}: {note}")
        if args.dry_run:
            continue
        start = time.perf_counter()
        proc = subprocess.run(cmd, cwd=REPO)
        seconds = time.perf_counter() - start
        if proc.returncode != 0:
            log(f"{name}: failed ({proc.returncode}) after {seconds:.0f} s")
            if name == "build":
                sys.exit(1)
            failed.append(name)
        else:
            log(f"{name}: done in {seconds:.0f} s")
    for note in notes:
        log(note)
    if failed:
        sys.exit(f"compare_all: failed: {', '.join(failed)}")
    if not args.dry_run:
        log(f"rewrote {markdown}: " + ", ".join(p for p in parts if not any(
            n.startswith(p + ":") for n in notes)))


if __name__ == "__main__":
    main()
