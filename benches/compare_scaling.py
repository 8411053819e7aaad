#!/usr/bin/env python3
"""How topica's and scikit-learn's whole commands grow with the corpus: all of
20 Newsgroups at 1x, 4x and 16x, wall time and peak memory, written to
benches/results/scaling.json and into BENCHMARKS.md (section `scaling`).

    cargo build --release
    python3 benches/compare_scaling.py --data "$TOPICA_DATA_DIR" --markdown BENCHMARKS.md
    python3 benches/compare_scaling.py --data ../shared/data --scales 1,4 --rounds 1

The corpus is `20newsgroups.jsonl` (18,846 raw posts) repeated N times, each
copy's records with fresh ids (`ID~r` for copy r > 0), written into a
temporary directory (removed at the end; at 16x it holds 620 MB). At each
scale, in rounds, each of these runs under `/usr/bin/time -v` (wall time
from this script's clock, peak memory from "Maximum resident set size"):

- `topica vectorize FILE` (the release binary; scikit-learn's default
  TfidfVectorizer semantics) against `python benches/sklearn_vectorize.py
  FILE` (scikit-learn's `TfidfVectorizer()`);
- `topica cluster FILE --k 20` (its defaults: sublinear TF-IDF with English
  stop words, min_df 2, max_df 0.5, spherical k-means, one run (`--n-init
  auto` on 10,000 posts or more) ending with Hartigan's moves, naming,
  outliers, the printed summary) against `python
  benches/sklearn_cluster.py FILE --k 20` (the pipeline compare_cluster.py
  compares with on all 20 groups: the same TF-IDF, TruncatedSVD(100),
  Normalizer, KMeans(20, n_init=5)).

Scales up to 4x run `--rounds` rounds (default 3), larger ones one
(`--large-rounds`); figures are medians over the rounds. A scikit-learn
command is skipped at a scale when the previous scale's time, grown in
proportion, predicts more than `--peer-timeout` seconds (default 600), and
stopped when it runs longer; the reason is written down instead of a figure.
Needs cargo, GNU time and the Python packages of tests/requirements.txt.
"""

import json
import os
import re
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import benchmd  # noqa: E402

NAME = "scaling"
CORPUS = "20newsgroups.jsonl"
REPO = benchmd.REPO
RESULTS = REPO / "benches" / "results" / "scaling.json"
STEPS = ("vectorize", "cluster")
# At 1x, clustering once more with min_df 1: in a corpus repeated r >= 2
# times every term is in at least r documents, so min_df 2 drops nothing
# there while it drops the terms of a single post at 1x. This control has the
# vocabulary of the repeated corpora at the size of the original.
CONTROL = "cluster_min_df_1"
WHO = ("topica", "sklearn")
# Any topica command running longer than this is stopped (a safety net).
TOPICA_TIMEOUT = 3600


def log(message):
    print(f"compare_scaling: {message}", file=sys.stderr, flush=True)


def repeat_corpus(src, scale, path):
    """Writes `scale` copies of the records of `src` to `path`, copy r > 0 with
    ids `ID~r`; returns (documents, bytes of text)."""
    lines = [line for line in src.read_text(encoding="utf-8").splitlines() if line.strip()]
    records = [json.loads(line) for line in lines]
    n_bytes = sum(len(r["text"].encode("utf-8")) for r in records)
    with open(path, "w", encoding="utf-8") as out:
        for copy in range(scale):
            for line, record in zip(lines, records):
                if copy:
                    old = f'"id": {json.dumps(record["id"])}'
                    new = f'"id": {json.dumps(record["id"] + "~" + str(copy))}'
                    if old in line:
                        line = line.replace(old, new, 1)
                    else:
                        line = json.dumps({**record, "id": record["id"] + "~" + str(copy)},
                                          ensure_ascii=False)
                out.write(line + "\n")
    return len(records) * scale, n_bytes * scale


def commands(topica, path, control):
    """The commands of one scale; with `control`, also both clustering
    commands with min_df 1 (see CONTROL)."""
    python = [sys.executable]
    cmds = {
        ("vectorize", "topica"): [str(topica), "vectorize", str(path)],
        ("vectorize", "sklearn"): [*python, "benches/sklearn_vectorize.py", str(path)],
        ("cluster", "topica"): [str(topica), "cluster", str(path), "--k", "20"],
        ("cluster", "sklearn"): [*python, "benches/sklearn_cluster.py", str(path), "--k", "20"],
    }
    if control:
        cmds[(CONTROL, "topica")] = [*cmds[("cluster", "topica")], "--min-df", "1"]
        cmds[(CONTROL, "sklearn")] = [*cmds[("cluster", "sklearn")], "--min-df", "1"]
    return cmds


def run_timed(argv, timeout):
    """(wall seconds, CPU seconds (user + system), peak RSS bytes, stdout) of
    `argv` under /usr/bin/time -v,
    or None when it ran longer than `timeout` (then it and its children are
    killed: they run in their own process group)."""
    start = time.perf_counter()
    proc = subprocess.Popen(["/usr/bin/time", "-v", *argv], cwd=REPO, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            start_new_session=True)
    try:
        out, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.communicate()
        return None
    seconds = time.perf_counter() - start
    if proc.returncode != 0:
        sys.exit(f"compare_scaling: `{' '.join(argv)}` failed ({proc.returncode}):\n{err}")
    m = re.search(r"Maximum resident set size \(kbytes\): (\d+)", err)
    if not m:
        sys.exit(f"compare_scaling: no peak RSS in /usr/bin/time's output:\n{err}")
    cpu = sum(float(c) for c in re.findall(r"(?:User|System) time \(seconds\): ([\d.]+)", err))
    return seconds, cpu, int(m.group(1)) * 1024, out


def summary_line(step, who, stdout):
    """What the command printed about its result, in one short line."""
    lines = stdout.splitlines()
    if step.startswith("cluster") and who == "topica":
        return lines[0] if lines else ""
    keep = ("documents", "terms", "non-zeros", "clusters")
    return ", ".join(" ".join(line.split()) for line in lines if line.split()[:1]
                     and line.split()[0] in keep)


def measure(args, topica, src):
    rows = []
    previous = {}  # (step, who) -> (scale, median seconds)
    with tempfile.TemporaryDirectory(prefix="topica-scaling-") as tmp:
        for scale in args.scales:
            path = Path(tmp) / f"20newsgroups_x{scale}.jsonl"
            n_docs, n_bytes = repeat_corpus(src, scale, path)
            rounds = args.rounds if scale <= 4 else args.large_rounds
            load = benchmd.load_average()
            log(f"{scale}x: {n_docs} posts, {path.stat().st_size / 2**20:.0f} MiB of JSON Lines, "
                f"{rounds} round(s), load average {load:.2f}")
            cmds = commands(topica, path, control=scale == 1)
            found = {key: {"wall_s": [], "cpu_s": [], "rss_bytes": []} for key in cmds}
            skipped = {}
            for key in cmds:
                step, who = key
                if who == "sklearn" and key in previous:
                    prev_scale, prev_s = previous[key]
                    predicted = prev_s * scale / prev_scale
                    if predicted > args.peer_timeout:
                        skipped[key] = (f"skipped: {prev_s:.0f} s at {prev_scale}x predicts "
                                        f"{predicted:.0f} s at {scale}x, over the "
                                        f"{args.peer_timeout:.0f} s limit")
            for round_ in range(rounds):
                for key, argv in cmds.items():
                    if key in skipped:
                        continue
                    timeout = args.peer_timeout if key[1] == "sklearn" else TOPICA_TIMEOUT
                    got = run_timed(argv, timeout)
                    if got is None:
                        skipped[key] = (f"stopped: ran over the {timeout:.0f} s limit at "
                                        f"{scale}x")
                        log(f"{scale}x {key}: {skipped[key]}")
                        continue
                    seconds, cpu, rss, stdout = got
                    found[key]["wall_s"].append(seconds)
                    found[key]["cpu_s"].append(cpu)
                    found[key]["rss_bytes"].append(rss)
                    found[key]["summary"] = summary_line(*key, stdout)
                    log(f"{scale}x round {round_ + 1}/{rounds} {key[0]} {key[1]}: "
                        f"{seconds:.2f} s, CPU {cpu:.2f} s, {rss / 2**20:.0f} MiB")
            for key in cmds:
                step, who = key
                row = {"scale": scale, "documents": n_docs, "text_bytes": n_bytes,
                       "step": step, "who": who, "command": " ".join(
                           ["topica" if a == str(topica) else
                            "python" if a == sys.executable else
                            "FILE" if a == str(path) else a for a in cmds[key]]),
                       "load_average": load}
                if key in skipped:
                    row["skipped"] = skipped[key]
                if found[key]["wall_s"] and key not in skipped:
                    wall, cpu = found[key]["wall_s"], found[key]["cpu_s"]
                    rss = found[key]["rss_bytes"]
                    row |= {"median_wall_s": statistics.median(wall),
                            "median_cpu_s": statistics.median(cpu),
                            "median_rss_bytes": statistics.median(rss),
                            "wall_s": wall, "cpu_s": cpu, "rss_bytes": rss,
                            "us_per_document": statistics.median(wall) / n_docs * 1e6,
                            "cpu_us_per_document": statistics.median(cpu) / n_docs * 1e6,
                            "summary": found[key].get("summary", "")}
                    previous[key] = (scale, row["median_wall_s"])
                rows.append(row)
    return rows


def versions():
    import numpy
    import scipy
    import sklearn
    return {"python": sys.version.split()[0], "scikit-learn": sklearn.__version__,
            "numpy": numpy.__version__, "scipy": scipy.__version__,
            "rustc": benchmd.rustc(), "topica": benchmd.commit()}


# ---------------------------------------------------------------------------
# the table


def growth(a, b, key):
    """The exponent e of `cost ~ documents^e` between rows a and b."""
    import math
    if not (a and b and key in a and key in b):
        return None
    return math.log(b[key] / a[key]) / math.log(b["documents"] / a["documents"])


def terms(row):
    """The number of terms the command reported, or None."""
    m = re.search(r"(\d+) terms\)|terms (\d+)", row.get("summary", ""))
    return int(m.group(1) or m.group(2)) if m else None


def linearity(e):
    if e <= 1.1:
        return "linear"
    if e <= 1.25:
        return "linear within the noise (1.1 to 1.25)"
    return "more than linear"


def fmt_s(s):
    return f"{s:.2f} s" if s < 100 else f"{s:.0f} s"


def fmt_mib(b):
    return f"{b / 2**20:,.0f} MiB"


def render(r):
    rows = r["rows"]
    by = {(x["scale"], x["step"], x["who"]): x for x in rows}
    scales = sorted({x["scale"] for x in rows})
    v = r["versions"]
    command = 'python3 benches/compare_scaling.py --data "$TOPICA_DATA_DIR" --markdown BENCHMARKS.md'
    if r["args"]["scales"] != [1, 4, 16]:
        command += " --scales " + ",".join(map(str, r["args"]["scales"]))
    if r["args"]["rounds"] != 3:
        command += f" --rounds {r['args']['rounds']}"
    out = [
        "## Scaling: whole commands on 20 Newsgroups repeated 1x, 4x and 16x",
        "",
        f"Measured {r['date']} on {r['machine']} ({r['memory']}), by",
        "",
        "```sh",
        "cargo build --release",
        command,
        "```",
        "",
        f"with topica {v['topica']} (rustc {v['rustc']}), Python {v['python']}, scikit-learn "
        f"{v['scikit-learn']}, NumPy {v['numpy']}, SciPy {v['scipy']}. The corpus is "
        f"`{CORPUS}` ({r['base_documents']:,} raw posts) repeated, each copy with fresh ids. "
        f"Whole processes, one at a time, interleaved: wall time, CPU time (user + system) and "
        f"peak RSS (`/usr/bin/time -v`, \"Maximum resident set size\"); medians of "
        f"{r['args']['rounds']} rounds up to 4x and of {r['args']['large_rounds']} above. "
        "topica runs on every core; scikit-learn's vectorizer on one, its SVD and KMeans on "
        "every core. The machine is shared with other work (load average at the start of each "
        "scale: " + ", ".join(
            f"{s}x {by[(s, 'vectorize', 'topica')]['load_average']:.2f}" for s in scales)
        + f" on {r['machine'].rsplit(', ', 1)[-1]}): wall times vary by tens of percent, up to "
        "2x, between rounds (every round is in the JSON); every ratio compares figures of this "
        "one run. CPU time is less disturbed by other work than wall time, so growth is judged "
        "on it.",
        "",
        "Per-post cost is the median divided by the number of posts.",
    ]
    titles = {
        "vectorize": ("Vectorizing", "`topica vectorize FILE`",
                      "`python benches/sklearn_vectorize.py FILE` (`TfidfVectorizer()`)"),
        "cluster": ("Clustering", "`topica cluster FILE --k 20` (defaults: spherical k-means "
                    "on the sparse TF-IDF rows, one run refined by Hartigan's moves)",
                    "`python benches/sklearn_cluster.py FILE --k 20` (the same TF-IDF, "
                    "TruncatedSVD(100), Normalizer, KMeans(20, n_init=5))"),
    }
    growth_rows = []
    for step in STEPS:
        title, t_cmd, s_cmd = titles[step]
        out += ["", f"### {title}: {t_cmd} against {s_cmd}", "",
                "| scale | posts | terms | topica time | scikit-learn time | topica is faster by "
                "| topica per post | scikit-learn per post | topica CPU per post "
                "| scikit-learn CPU per post | topica peak RSS | scikit-learn peak RSS "
                "| topica / scikit-learn RSS |",
                "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |"]
        lines = [(f"{s}x", by.get((s, step, "topica")), by.get((s, step, "sklearn")))
                 for s in scales]
        if step == "cluster" and (1, CONTROL, "topica") in by:
            lines.insert(1, ("1x, min_df 1 (control)", by[(1, CONTROL, "topica")],
                             by.get((1, CONTROL, "sklearn"))))
        for label, t, p in lines:
            if not t or "median_wall_s" not in t:
                continue
            has_p = p is not None and "median_wall_s" in p
            n_terms = terms(t) or (terms(p) if has_p else None)
            cells = [
                label, f"{t['documents']:,}", f"{n_terms:,}" if n_terms else "",
                fmt_s(t["median_wall_s"]),
                fmt_s(p["median_wall_s"]) if has_p else (p or {}).get("skipped", "not run"),
                f"**{p['median_wall_s'] / t['median_wall_s']:.1f}x**" if has_p else "",
                f"{t['us_per_document']:.0f} µs",
                f"{p['us_per_document']:.0f} µs" if has_p else "",
                f"{t['cpu_us_per_document']:.0f} µs" if "cpu_us_per_document" in t else "",
                f"{p['cpu_us_per_document']:.0f} µs"
                if has_p and "cpu_us_per_document" in p else "",
                fmt_mib(t["median_rss_bytes"]),
                fmt_mib(p["median_rss_bytes"]) if has_p else "",
                f"{t['median_rss_bytes'] / p['median_rss_bytes']:.0%}" if has_p else "",
            ]
            out.append("| " + " | ".join(cells) + " |")
        for who in WHO:
            pts = [by[(s, step, who)] for s in scales
                   if "median_wall_s" in by.get((s, step, who), {})]
            if len(pts) < 2:
                continue
            pairs = [(f"{a['scale']}x to {b['scale']}x", a, b) for a, b in zip(pts, pts[1:])]
            control = by.get((1, CONTROL, who), {})
            if step == "cluster" and "median_wall_s" in control and pts[0]["scale"] == 1:
                pairs.insert(1, (f"1x control to {pts[1]['scale']}x", control, pts[1]))
            growth_rows.append((f"{title.lower()}, {'topica' if who == 'topica' else 'scikit-learn'}",
                                pairs))
    out += ["", "### Is the growth linear?", "",
            "The exponent e of cost ~ posts^e between two scales, on the median wall time / on "
            "the median CPU time: 1 is linear; below 1, fixed costs (starting Python, importing "
            "scikit-learn, reading stop-word lists) being spread out.", ""]
    if growth_rows:
        names = [name for name, _, _ in growth_rows[0][1]]
        for _, pairs in growth_rows[1:]:
            for name, _, _ in pairs:
                if name not in names:
                    names.insert(1, name)
        out += ["| command | " + " | ".join(names) + " | peak memory, last step | verdict (CPU, last step) |",
                "| --- |" + " --- |" * (len(names) + 2)]
        for label, pairs in growth_rows:
            cells = {}
            for name, a, b in pairs:
                w = growth(a, b, "median_wall_s")
                c = growth(a, b, "median_cpu_s")
                cells[name] = f"{w:.2f} / {c:.2f}" if c is not None else f"{w:.2f}"
            _, a, b = pairs[-1]
            last = growth(a, b, "median_cpu_s") or growth(a, b, "median_wall_s")
            out.append(f"| {label} | " + " | ".join(cells.get(n, "") for n in names)
                       + f" | {growth(a, b, 'median_rss_bytes'):.2f} | {linearity(last)} |")
    out += [
        "",
        "The repeated corpus is not a bigger corpus of new text: every post has exact copies. "
        "Vectorizing sees the same vocabulary at every scale (a term's document frequency "
        "simply multiplies). Clustering does not: with `min_df 2` (topica's default and "
        "scikit-learn's pipeline alike) the terms of a single post are dropped at 1x but kept "
        "from 2x on, so the vocabulary is larger at 4x and 16x than at 1x (table). The control "
        "row clusters 1x with `--min-df 1` (`min_df=1`), which gives it the vocabulary of the "
        "repeated corpora: growth from it to 4x compares like with like. Scales above 4x run "
        "once, so one disturbed run moves the last exponent; the load average changed between "
        "scales (above), and the peer's exponent over the same step, measured in the same "
        "spells, shows how much of a change is the machine's. The raw figures are in "
        "`benches/results/scaling.json` (one row per scale, step and command, with every "
        "round; step `cluster_min_df_1` is the 1x control).",
    ]
    return "\n".join(out) + "\n"


def main(argv=None):
    ap = benchmd.comparison_parser(__doc__, NAME, CORPUS, results=RESULTS)
    ap.add_argument("--topica", default=str(REPO / "target" / "release" / "topica"),
                    help="the topica binary (default target/release/topica, built first)")
    ap.add_argument("--scales", default="1,4,16",
                    help="copies of the corpus, comma-separated (default 1,4,16)")
    ap.add_argument("--rounds", type=int, default=3, help="rounds at scales up to 4x (default 3)")
    ap.add_argument("--large-rounds", type=int, default=1,
                    help="rounds at scales above 4x (default 1)")
    ap.add_argument("--peer-timeout", type=float, default=600,
                    help="longest a scikit-learn command may run, seconds (default 600)")
    args = ap.parse_args(argv)

    # Re-rendered figures are not written back to --json.
    if benchmd.replay(args, NAME, render, log):
        return
    src = benchmd.corpus_path(args, "compare_scaling", CORPUS)
    try:
        args.scales = sorted({int(s) for s in args.scales.split(",")})
    except ValueError:
        sys.exit(f"compare_scaling: --scales {args.scales!r} is not a list of numbers")
    if args.scales[0] < 1 or args.rounds < 1 or args.large_rounds < 1:
        sys.exit("compare_scaling: scales and rounds must be at least 1")
    if not os.path.exists("/usr/bin/time"):
        sys.exit("compare_scaling: GNU time (/usr/bin/time) is needed")
    topica = benchmd.release_binary(args.topica, log)
    base = sum(1 for line in open(src, encoding="utf-8") if line.strip())
    results = {
        "date": benchmd.now(), "machine": benchmd.machine(), "memory": benchmd.memory(),
        "versions": versions(), "corpus": CORPUS, "base_documents": base,
        "args": {"scales": args.scales, "rounds": args.rounds,
                 "large_rounds": args.large_rounds, "peer_timeout_s": args.peer_timeout},
    }
    results["rows"] = measure(args, topica, src)
    results["load_end"] = benchmd.load_average()
    benchmd.publish(NAME, results, render, json_path=args.json, markdown=args.markdown, log=log)


if __name__ == "__main__":
    main()
