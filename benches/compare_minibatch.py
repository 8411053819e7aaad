#!/usr/bin/env python3
"""topica's mini-batch k-means (`topica cluster --batch-size 1024`) against
scikit-learn's `MiniBatchKMeans` on all of 20 Newsgroups, k = 20, written
into BENCHMARKS.md (section `minibatch`).

    python3 benches/compare_minibatch.py --data "$TOPICA_DATA_DIR" --markdown BENCHMARKS.md
    python3 benches/compare_minibatch.py --data ../shared/data --seeds 2

- topica: the whole command `topica cluster 20newsgroups_clean.jsonl --k 20
  --batch-size 1024 --seed S --label-field label -q -o REPORT` (reading,
  vectorizing, clustering, naming, writing), wall time, and the V-measure
  from its report (outliers counted as one more cluster); the same command
  without `--batch-size` (full passes) beside it.
- the same two commands on the posts' paragraphs (each post's text split
  on blank lines, written as JSON Lines records with the post as `doc` and
  its group as `label`, clustered with `--group-field doc`, so that
  paragraphs take in their neighbours): where full passes cost more.
- scikit-learn: in one process, reading the same file,
  `TfidfVectorizer(stop_words="english", sublinear_tf=True, min_df=2,
  max_df=0.5)` (topica cluster's vectorizing) then
  `MiniBatchKMeans(20, batch_size=1024, random_state=S)` with its default
  `n_init` and with `n_init=10` (topica's runs, `--n-init auto`, for
  unrefined k-means); wall time from reading to labels (the interpreter's
  start and imports left out), V-measure against the labels.

Seeds 0 to `--seeds` - 1 (default 3), medians. Needs cargo and the packages
of tests/requirements.txt (run it with that environment's python).
"""

import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import benchmd  # noqa: E402

NAME = "minibatch"
RESULTS = benchmd.REPO / "benches" / "results" / "minibatch.json"
FILE = "20newsgroups_clean.jsonl"
K, BATCH = 20, 1024


def log(message):
    print(f"compare_minibatch: {message}", file=sys.stderr, flush=True)


def paragraphs(path, out):
    """Writes the posts of `path` as paragraph records into `out`; returns
    how many."""
    n = 0
    with open(path, encoding="utf-8") as f, open(out, "w", encoding="utf-8") as w:
        for line in f:
            if not line.strip():
                continue
            post = json.loads(line)
            parts = [p.strip() for p in post["text"].split("\n\n") if p.strip()]
            for j, text in enumerate(parts):
                w.write(json.dumps({"id": f"{post['id']}#{j}", "doc": post["id"],
                                    "label": post["label"], "text": text}) + "\n")
                n += 1
    return n


def topica_side(exe, path, seeds):
    out = {"minibatch": [], "full": [], "paragraphs_minibatch": [], "paragraphs_full": []}
    with tempfile.TemporaryDirectory() as tmp:
        report = Path(tmp) / "report.json"
        para = Path(tmp) / "paragraphs.jsonl"
        out["paragraphs"] = paragraphs(path, para)
        corpora = [("", [path]), ("paragraphs_", [para, "--group-field", "doc"])]
        for seed, (prefix, inputs) in [(s, c) for c in corpora for s in range(seeds)]:
            for kind, extra in (("minibatch", ["--batch-size", str(BATCH)]), ("full", [])):
                kind = prefix + kind
                cmd = [str(exe), "cluster", *map(str, inputs), "--k", str(K), "--seed", str(seed),
                       "--label-field", "label", "-q", "-o", str(report), *extra]
                start = time.perf_counter()
                subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)
                seconds = time.perf_counter() - start
                v = json.loads(report.read_text())["metrics"]["v_measure"]
                log(f"topica {kind} seed {seed}: {seconds:.2f} s, V-measure {v:.3f}")
                out[kind].append({"seed": seed, "seconds": seconds, "v_measure": v})
    return out


def peer_side(path, seeds):
    import sklearn
    from sklearn.cluster import MiniBatchKMeans
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.metrics import v_measure_score

    out = {"sklearn": sklearn.__version__, "default": [], "n_init_10": []}
    for seed in range(seeds):
        for kind, n_init in (("default", "auto"), ("n_init_10", 10)):
            start = time.perf_counter()
            with open(path, encoding="utf-8") as f:
                docs = [json.loads(line) for line in f if line.strip()]
            x = TfidfVectorizer(stop_words="english", sublinear_tf=True, min_df=2,
                                max_df=0.5).fit_transform([d["text"] for d in docs])
            model = MiniBatchKMeans(K, batch_size=BATCH, random_state=seed,
                                    n_init=n_init).fit(x)
            seconds = time.perf_counter() - start
            v = v_measure_score([d["label"] for d in docs], model.labels_)
            log(f"scikit-learn {kind} seed {seed}: {seconds:.2f} s, V-measure {v:.3f}, "
                f"{model.n_steps_} steps")
            out[kind].append({"seed": seed, "seconds": seconds, "v_measure": v,
                              "n_steps": int(model.n_steps_)})
    return out


def median(runs, key):
    return statistics.median(r[key] for r in runs)


def render(r):
    t, p = r["topica"], r["peers"]
    seeds = len(t["minibatch"])
    mb_s = median(t["minibatch"], "seconds")
    rows = [
        ("topica, `--batch-size 1024` (10 runs, `--n-init auto`)", t["minibatch"]),
        ("topica, full passes (for reference)", t["full"]),
        ("scikit-learn `MiniBatchKMeans`, default `n_init`", p["default"]),
        ("scikit-learn `MiniBatchKMeans`, `n_init=10`", p["n_init_10"]),
    ]
    lines = [
        "## Mini-batch k-means on all of 20 Newsgroups",
        "",
        f"Measured {r['date']} on {r['machine']}, {r['memory']} (load average "
        f"{r['load_before']:.1f} before, {r['load_after']:.1f} after), topica {r['commit']}, "
        f"rustc {r['rustc']}, Python {r['python']}, scikit-learn {p['sklearn']}:",
        "",
        "```sh",
        "python3 benches/compare_minibatch.py --data ../shared/data --markdown BENCHMARKS.md",
        "```",
        "",
        f"`{FILE}` (18,846 posts), k = {K}, batches of {BATCH}, seeds 0-{seeds - 1}, medians. "
        "topica's times are whole commands (reading, vectorizing, clustering, naming, "
        "writing the report); scikit-learn's run in one process from reading the file to the "
        "labels, with topica cluster's vectorizing (`stop_words=\"english\", "
        "sublinear_tf=True, min_df=2, max_df=0.5`), the interpreter's start and imports left "
        "out. Both stop a run after 10 batches in a row without a better smoothed objective "
        "(scikit-learn's `max_no_improvement`). scikit-learn moves each centroid toward its "
        "batch rows at a rate of one over its count (Sculley's update); topica keeps each "
        "centroid the sum of the rows last assigned to it, a row that changes cluster "
        "leaving its old sum (Newling and Fleuret's exact update). V-measure against the 20 "
        "groups; topica counts its outliers as one more cluster.",
        "",
        "| | time | ratio to topica's mini-batch | V-measure (each seed) |",
        "| --- | --- | --- | --- |",
    ]
    for name, runs in rows:
        s = median(runs, "seconds")
        vs = ", ".join(f"{x['v_measure']:.3f}" for x in runs)
        lines.append(f"| {name} | {s:.2f} s | {s / mb_s:.1f}x | {median(runs, 'v_measure'):.3f} "
                     f"({vs}) |")
    pm_s = median(t["paragraphs_minibatch"], "seconds")
    lines += [
        "",
        f"The posts' {t['paragraphs']:,} paragraphs (each post split on blank lines, clustered "
        "with `--group-field doc` so that paragraphs take in their neighbours; V-measure "
        "against their post's group), where full passes cost more:",
        "",
        "| | time | ratio to topica's mini-batch | V-measure (each seed) |",
        "| --- | --- | --- | --- |",
    ]
    for name, runs in (("topica, `--batch-size 1024`", t["paragraphs_minibatch"]),
                       ("topica, full passes", t["paragraphs_full"])):
        s = median(runs, "seconds")
        vs = ", ".join(f"{x['v_measure']:.3f}" for x in runs)
        lines.append(f"| {name} | {s:.2f} s | {s / pm_s:.1f}x | {median(runs, 'v_measure'):.3f} "
                     f"({vs}) |")
    return "\n".join(lines) + "\n"


def main(argv=None):
    ap = benchmd.comparison_parser(__doc__, NAME, FILE)
    ap.add_argument("--seeds", type=int, default=3, help="seeds 0..N-1 (default 3)")
    ap.add_argument("--topica", default=str(benchmd.REPO / "target" / "release" / "topica"),
                    help="the topica binary (default: cargo build --release's)")
    args = ap.parse_args(argv)
    if benchmd.replay(args, NAME, render, log):
        return
    path = benchmd.corpus_path(args, "compare_minibatch", FILE)
    exe = benchmd.release_binary(args.topica, log)
    load_before = benchmd.load_average()
    topica = topica_side(exe, path, args.seeds)
    peers = peer_side(path, args.seeds)
    results = {**benchmd.run_facts(load_before), "topica": topica, "peers": peers}
    benchmd.publish(NAME, results, render, json_path=RESULTS, markdown=args.markdown, log=log)


if __name__ == "__main__":
    main()
