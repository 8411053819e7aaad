#!/usr/bin/env python3
"""topica against scikit-learn (and linfa-preprocessing) on all of 20 Newsgroups,
side by side in one run, written into BENCHMARKS.md (section `vectorize`) and
benches/results/vectorize.json.

    python benches/compare_vectorize.py --data "$TOPICA_DATA_DIR" --markdown BENCHMARKS.md
    python benches/compare_vectorize.py --data ../shared/data --runs 3

Run it from the project's Python environment (Python 3.11 with the packages of
tests/requirements.txt: scikit-learn, SciPy, NumPy, PyStemmer); it also needs
cargo, hyperfine and GNU time (/usr/bin/time). It measures, in this order:

1. In process, on the texts already in memory, in N rounds (one
   untimed warm-up of scikit-learn first), each round timing one run of:
   - scikit-learn's `TfidfVectorizer().fit_transform(texts)` in this process,
     and with English stemming by PyStemmer in both ways it can be plugged in
     (an analyzer stemming the output of `build_analyzer()`, a tokenizer
     stemming the default pattern's matches); the faster of the two is the one
     compared with;
   - the Rust side: the executable of `cargo bench --bench vectorize_peers`
     (built with `--no-run`, run with `--bench`, `TOPICA_PEER_RUNS=5` and
     `TOPICA_PEER_LINFA_RUNS=1`), which times topica's `fit_transform` with
     defaults and with English stemming (on every core and on one thread, an
     untimed warm-up then five runs) and linfa-preprocessing's
     `TfIdfVectorizer` fit + transform (one run).
   Interleaving the rounds lets both sides share the machine's slow and fast
   spells, which on a shared virtual machine last minutes.
2. Whole commands, timed by hyperfine (one warm-up, max(5, N) runs):
   `topica vectorize FILE` against `python benches/sklearn_vectorize.py FILE`,
   and both with `--stem english`.
3. Peak resident memory of the same four commands with `/usr/bin/time -v`,
   median of 3 runs.

Then it prints the section, saves every measurement in
benches/results/vectorize.json (`--json FILE` to write them elsewhere) and,
with `--markdown FILE`, rewrites the part of FILE between
`<!-- vectorize:begin -->` and `<!-- vectorize:end -->` (creating the file, or
the markers, when absent); `--from-json FILE` re-renders saved results
instead of measuring. Medians throughout; every ratio compares figures of
this run. The machine is shared: the load average at the start of each phase
is recorded next to the figures.
"""

import gc
import json
import os
import platform
import re
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BENCHES = Path(__file__).resolve().parent
REPO = BENCHES.parent
sys.path.insert(0, str(BENCHES))

import benchmd  # noqa: E402

NAME = "vectorize"
CORPUS = "20newsgroups.jsonl"
RESULTS = REPO / "benches" / "results" / f"{NAME}.json"

# What the issue asks of topica, against scikit-learn.
TARGET_DEFAULT = 25.0  # times faster, default settings
TARGET_STEM = 15.0  # times faster, English stemming
TARGET_RSS = 0.5  # topica's peak RSS over scikit-learn's, whole process

# scikit-learn 1.9.1's TfidfVectorizer() on all of 20 Newsgroups, and its time
# on a 2-core machine of this project's kind (the data's README.md).
SKLEARN_DEFAULT_SHAPE = (173_762, 2_952_534)
SKLEARN_REFERENCE_S = 3.56

# topica's in-process runs per round (after its warm-up): a run takes a tenth
# of a second, so a single one per round is at the mercy of a moment's noise
# on a shared machine (two runs of this script at one commit, a single run per
# round, gave medians of 0.156 s and 0.165 s, with rounds from 0.115 s to
# 0.208 s); five cost under a second a round. scikit-learn's runs take seconds
# each and stay one a round, as do linfa's.
TOPICA_RUNS_PER_ROUND = 5


def log(message):
    print(f"compare_vectorize: {message}", file=sys.stderr, flush=True)


def run(cmd, **kwargs):
    """Runs `cmd`, failing loudly with its output when it fails."""
    result = subprocess.run(cmd, text=True, capture_output=True, **kwargs)
    if result.returncode != 0:
        sys.exit(
            f"compare_vectorize: `{shlex.join(map(str, cmd))}` failed "
            f"({result.returncode}):\n{result.stdout}\n{result.stderr}"
        )
    return result


# ---------------------------------------------------------------------------
# the machine


def machine():
    model, cpus = benchmd.cpu()
    return {"model": model or platform.processor() or platform.machine(), "cpus": cpus}


def versions():
    import numpy
    import scipy
    import sklearn
    import Stemmer

    found = {
        "Python": platform.python_version(),
        "scikit-learn": sklearn.__version__,
        "NumPy": numpy.__version__,
        "SciPy": scipy.__version__,
        "PyStemmer": Stemmer.version(),
    }
    found["rustc"] = benchmd.rustc()
    found["linfa-preprocessing"] = benchmd.crate_version("linfa-preprocessing")
    found["topica"] = benchmd.commit()
    return found


# ---------------------------------------------------------------------------
# 1. in process, in interleaved rounds


def time_sklearn(make, texts):
    """Seconds of one `make().fit_transform(texts)`, and the result's
    (terms, non-zeros)."""
    vectorizer = make()
    gc.collect()
    start = time.perf_counter()
    x = vectorizer.fit_transform(texts)
    seconds = time.perf_counter() - start
    shape = (x.shape[1], x.nnz)
    del x, vectorizer
    return seconds, shape


def run_peers(exe, data, runs, linfa_runs):
    """The measurements `vectorize_peers --bench` prints, by name: topica's
    `runs` times each, linfa's `linfa_runs` times."""
    env = {**os.environ, "TOPICA_DATA_DIR": str(data), "TOPICA_PEER_RUNS": str(runs),
           "TOPICA_PEER_LINFA_RUNS": str(linfa_runs)}
    proc = subprocess.run([exe, "--bench"], env=env, cwd=REPO, text=True,
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    if proc.returncode != 0:
        sys.exit(f"compare_vectorize: vectorize_peers failed ({proc.returncode}):\n"
                 f"{proc.stderr}")
    out = {}
    for line in proc.stdout.splitlines():
        if line.startswith("{"):
            m = json.loads(line)
            out[m["name"]] = m
    if "topica_fit_transform_default" not in out:
        sys.exit("compare_vectorize: vectorize_peers measured nothing:\n" + proc.stderr)
    return out


def in_process(corpus, data, runs):
    """scikit-learn (in this process) and the Rust side (`vectorize_peers`), in
    `runs` rounds of one run of each, so that both sides see the same state of
    the machine; medians over the rounds."""
    import sklearn_vectorize  # the same vectorizers as the whole command

    texts = sklearn_vectorize.read_texts(corpus)
    n_bytes = sum(len(t.encode("utf-8")) for t in texts)
    log(f"{len(texts)} documents, {n_bytes} bytes of text")
    exe = benchmd.bench_executable("vectorize_peers", log)
    makers = {
        "default": sklearn_vectorize.make_vectorizer,
        "stem_analyzer": lambda: sklearn_vectorize.make_vectorizer("english", "analyzer"),
        "stem_tokenizer": lambda: sklearn_vectorize.make_vectorizer("english", "tokenizer"),
    }
    log("warm-up: one untimed run of scikit-learn's defaults")
    time_sklearn(makers["default"], texts)
    sklearn = {key: {"runs": []} for key in makers}
    rust = {}
    for round_ in range(runs):
        for key, make in makers.items():
            seconds, (n_terms, nnz) = time_sklearn(make, texts)
            sklearn[key]["runs"].append(seconds)
            sklearn[key] |= {"n_terms": n_terms, "nnz": nnz}
        peers = run_peers(exe, data, TOPICA_RUNS_PER_ROUND, 1)
        for name, m in peers.items():
            rust.setdefault(name, {"name": name, "runs": []})["runs"] += m["runs"]
            rust[name] |= {"n_terms": m["n_terms"], "nnz": m["nnz"]}
        log(f"round {round_ + 1}/{runs}: " + ", ".join(
            [f"scikit-learn {k} {v['runs'][-1]:.3f} s" for k, v in sklearn.items()]
            + [f"{k} {m['median_s']:.3f} s (median of {len(m['runs'])})"
               for k, m in peers.items()]))
    for m in (*sklearn.values(), *rust.values()):
        m["median_s"] = statistics.median(m["runs"])
    got = (sklearn["default"]["n_terms"], sklearn["default"]["nnz"])
    if got != SKLEARN_DEFAULT_SHAPE:
        log(f"warning: scikit-learn gave (terms, non-zeros) {got}, not {SKLEARN_DEFAULT_SHAPE}")
    return {"documents": len(texts), "bytes": n_bytes, **sklearn}, rust


# ---------------------------------------------------------------------------
# 2. and 3. whole commands


def hyperfine(commands, runs):
    """Median seconds of each `(name, argv)` in `commands`, timed by hyperfine."""
    with tempfile.TemporaryDirectory() as tmp:
        export = Path(tmp) / "hyperfine.json"
        cmd = ["hyperfine", "-N", "--warmup", "1", "--runs", str(runs),
               "--style", "basic", "--export-json", str(export)]
        for name, _ in commands:
            cmd += ["--command-name", name]
        cmd += [shlex.join(argv) for _, argv in commands]
        log("hyperfine: " + " | ".join(shlex.join(argv) for _, argv in commands))
        proc = subprocess.run(cmd, cwd=REPO, stdout=sys.stderr, stderr=sys.stderr)
        if proc.returncode != 0:
            sys.exit(f"compare_vectorize: hyperfine failed ({proc.returncode})")
        results = json.loads(export.read_text())["results"]
    return [{"median_s": r["median"], "runs": r["times"]} for r in results]


def summary(stdout):
    """`documents`, `terms` and `non-zeros` of a vectorize summary."""
    fields = {}
    for line in stdout.splitlines():
        key, _, value = line.partition("  ")
        if key in ("documents", "terms", "non-zeros"):
            fields[key] = int(value.strip())
    return fields


def peak_rss(argv, repeats=3):
    """Median peak RSS in bytes of `argv` over `repeats` runs, and its summary."""
    rss = []
    fields = {}
    for _ in range(repeats):
        proc = run(["/usr/bin/time", "-v", *argv], cwd=REPO)
        m = re.search(r"Maximum resident set size \(kbytes\): (\d+)", proc.stderr)
        if not m:
            sys.exit(f"compare_vectorize: no peak RSS in /usr/bin/time's output:\n{proc.stderr}")
        rss.append(int(m.group(1)) * 1024)
        fields = summary(proc.stdout)
    log(f"peak RSS of {shlex.join(argv)}: {[round(r / 2**20) for r in rss]} MiB")
    return {"median_bytes": statistics.median(rss), "runs": rss, "summary": fields}


def whole_commands(topica, corpus, runs, stem_form):
    python = [sys.executable, "benches/sklearn_vectorize.py"]
    pairs = {
        "default": ([str(topica), "vectorize", str(corpus)], [*python, str(corpus)]),
        "stem": ([str(topica), "vectorize", "--stem", "english", str(corpus)],
                 [*python, "--stem", "english", "--stem-form", stem_form, str(corpus)]),
    }
    out = {}
    for key, (topica_argv, sklearn_argv) in pairs.items():
        out[f"load_{key}"] = benchmd.load_average()
        t, s = hyperfine([("topica", topica_argv), ("scikit-learn", sklearn_argv)], runs)
        out[key] = {"topica": t, "sklearn": s}
    for key, (topica_argv, sklearn_argv) in pairs.items():
        out[f"rss_{key}"] = {"topica": peak_rss(topica_argv), "sklearn": peak_rss(sklearn_argv)}
    return out


# ---------------------------------------------------------------------------
# the table


def secs(s):
    return f"{s:.3f} s" if s < 10 else f"{s:.2f} s"


def mib(b):
    return f"{b / 2**20:.0f} MiB"


def times(peer, topica):
    return f"**{peer / topica:.1f}x**"


def met(ok):
    return "**met**" if ok else "**not met**"


def render(r):
    m, v, sk, rs, wc = r["machine"], r["versions"], r["sklearn"], r["rust"], r["whole"]
    n = r["runs"]
    stem_form = r["stem_form"]
    other_form = "tokenizer" if stem_form == "analyzer" else "analyzer"
    forms = {
        "analyzer": "`TfidfVectorizer(analyzer=lambda d: stemWords(build_analyzer()(d)))`",
        "tokenizer": "`TfidfVectorizer(tokenizer=lambda d: stemWords(pattern.findall(d)), "
                     "token_pattern=None)`",
    }
    t_def = rs["topica_fit_transform_default"]
    t_stem = rs["topica_fit_transform_stem_english"]
    t_def1 = rs.get("topica_fit_transform_default_1thread")
    t_stem1 = rs.get("topica_fit_transform_stem_english_1thread")
    linfa = rs.get("linfa_tfidf_fit_transform_default")
    s_def, s_stem, s_other = sk["default"], sk[f"stem_{stem_form}"], sk[f"stem_{other_form}"]
    cmd_def, cmd_stem = wc["default"], wc["stem"]
    rss_def, rss_stem = wc["rss_default"], wc["rss_stem"]
    hf_runs = len(cmd_def["topica"]["runs"])

    ratio_def = s_def["median_s"] / t_def["median_s"]
    ratio_stem = s_stem["median_s"] / t_stem["median_s"]
    ratio_cmd_def = cmd_def["sklearn"]["median_s"] / cmd_def["topica"]["median_s"]
    ratio_cmd_stem = cmd_stem["sklearn"]["median_s"] / cmd_stem["topica"]["median_s"]
    rss_ratio_def = rss_def["topica"]["median_bytes"] / rss_def["sklearn"]["median_bytes"]
    rss_ratio_stem = rss_stem["topica"]["median_bytes"] / rss_stem["sklearn"]["median_bytes"]

    L = []
    add = L.append
    add("## Vectorizing: TF-IDF on all of 20 Newsgroups")
    add("")
    add(f"Measured {r['date']} on {m['model']}, {m['cpus']} cores (`lscpu`), by")
    add("")
    add("```sh")
    add('python benches/compare_vectorize.py --data "$TOPICA_DATA_DIR" --markdown BENCHMARKS.md' +
        (f" --runs {n}" if n != 7 else ""))
    add("```")
    add("")
    add(f"with topica {v['topica']} (rustc {v['rustc']}), Python {v['Python']}, "
        f"scikit-learn {v['scikit-learn']}, NumPy {v['NumPy']}, SciPy {v['SciPy']}, "
        f"PyStemmer {v['PyStemmer']}, linfa-preprocessing {v['linfa-preprocessing']}. "
        f"Corpus: `{CORPUS}`, {sk['documents']:,} documents, {sk['bytes']:,} bytes of "
        f"text. Every figure is a median; every ratio compares figures of this one run. "
        f"topica runs on every core ({m['cpus']}), scikit-learn and linfa on one.")
    add("")
    add(f"Load average (1 min) at the start of each phase, on {m['cpus']} cores: "
        f"in process {r['load']['in_process']:.2f}, whole commands {wc['load_default']:.2f} / "
        f"{wc['load_stem']:.2f}, at the end {r['load']['end']:.2f}. As a gauge of the "
        f"machine's speed during the run: scikit-learn's defaults took "
        f"{sk['default']['median_s']:.2f} s in process here, against "
        f"{SKLEARN_REFERENCE_S} s in the data's README for a machine of this kind.")
    add("")
    add("### Targets")
    add("")
    add("| target | in process | met? | whole commands | met? |")
    add("| --- | --- | --- | --- | --- |")
    add(f"| at least {TARGET_DEFAULT:.0f}x faster than scikit-learn, default settings | "
        f"{ratio_def:.1f}x | {met(ratio_def >= TARGET_DEFAULT)} | {ratio_cmd_def:.1f}x | "
        f"{met(ratio_cmd_def >= TARGET_DEFAULT)} |")
    add(f"| at least {TARGET_STEM:.0f}x faster than scikit-learn, English stemming | "
        f"{ratio_stem:.1f}x | {met(ratio_stem >= TARGET_STEM)} | {ratio_cmd_stem:.1f}x | "
        f"{met(ratio_cmd_stem >= TARGET_STEM)} |")
    add(f"| peak RSS at most {TARGET_RSS:.0%} of scikit-learn's whole process | | | "
        f"{rss_ratio_def:.0%} with defaults, {rss_ratio_stem:.0%} with stemming | "
        f"{met(max(rss_ratio_def, rss_ratio_stem) <= TARGET_RSS)} |")
    add("")
    add("The speed targets of issue 2 are stated against scikit-learn's `fit_transform` in "
        f"process (\"about 3.6 s here\": the data's README gives {SKLEARN_REFERENCE_S} s for "
        "`TfidfVectorizer().fit_transform`), so the in-process column decides them. The "
        "whole-command column holds both programs to the same bar for information: it adds "
        "starting each program and reading the JSON Lines file, a large share of topica's "
        "command (`topica vectorize` prints its reading time beside the total).")
    add("")
    add(f"### In process: `fit_transform` of the texts in memory "
        f"({n} interleaved round{'s' if n != 1 else ''}, each of one run of scikit-learn's "
        f"and linfa's and {r['topica_runs_per_round']} of topica's)")
    add("")
    add("| operation | peer | topica | peer's time | topica is faster by |")
    add("| --- | --- | --- | --- | --- |")
    add(f"| defaults | scikit-learn `TfidfVectorizer()` | {secs(t_def['median_s'])} | "
        f"{secs(s_def['median_s'])} | {times(s_def['median_s'], t_def['median_s'])} |")
    add(f"| English stemming | scikit-learn + PyStemmer, {stem_form} form (the faster): "
        f"{forms[stem_form]} | {secs(t_stem['median_s'])} | {secs(s_stem['median_s'])} | "
        f"{times(s_stem['median_s'], t_stem['median_s'])} |")
    add(f"| English stemming | scikit-learn + PyStemmer, {other_form} form: "
        f"{forms[other_form]} | {secs(t_stem['median_s'])} | {secs(s_other['median_s'])} | "
        f"{times(s_other['median_s'], t_stem['median_s'])} |")
    if linfa:
        add(f"| defaults | linfa-preprocessing `TfIdfVectorizer::default()`, `fit` then "
            f"`transform` | {secs(t_def['median_s'])} | {secs(linfa['median_s'])} | "
            f"{times(linfa['median_s'], t_def['median_s'])} |")
    if t_def1:
        add(f"| defaults, topica on 1 thread | scikit-learn `TfidfVectorizer()` | "
            f"{secs(t_def1['median_s'])} | {secs(s_def['median_s'])} | "
            f"{times(s_def['median_s'], t_def1['median_s'])} |")
    if t_stem1:
        add(f"| English stemming, topica on 1 thread | scikit-learn + PyStemmer, "
            f"{stem_form} form | {secs(t_stem1['median_s'])} | {secs(s_stem['median_s'])} | "
            f"{times(s_stem['median_s'], t_stem1['median_s'])} |")
    add("")
    mbs = sk["bytes"] / 1e6
    add(f"Throughput with defaults: topica {mbs / t_def['median_s']:.0f} MB/s, "
        f"scikit-learn {mbs / s_def['median_s']:.1f} MB/s"
        + (f", linfa-preprocessing {mbs / linfa['median_s']:.1f} MB/s." if linfa else "."))
    add("")
    add("What each produced (terms x non-zeros):")
    add("")
    add("| | defaults | English stemming |")
    add("| --- | --- | --- |")
    add(f"| scikit-learn | {s_def['n_terms']:,} x {s_def['nnz']:,} | "
        f"{s_stem['n_terms']:,} x {s_stem['nnz']:,} |")
    add(f"| topica | {t_def['n_terms']:,} x {t_def['nnz']:,} | "
        f"{t_stem['n_terms']:,} x {t_stem['nnz']:,} |")
    if linfa:
        add(f"| linfa-preprocessing | {linfa['n_terms']:,} x {linfa['nnz']:,} | |")
    add("")
    add(f"### Whole commands: reading the file, vectorizing, printing a summary "
        f"(hyperfine, 1 warm-up, {hf_runs} runs; peak RSS from `/usr/bin/time -v`, "
        f"median of 3)")
    add("")
    add("| command | topica | scikit-learn | topica is faster by | topica peak RSS | "
        "scikit-learn peak RSS | topica / scikit-learn RSS |")
    add("| --- | --- | --- | --- | --- | --- | --- |")
    for label, c, rss in (
        (f"`topica vectorize {CORPUS}` vs `python benches/sklearn_vectorize.py {CORPUS}`",
         cmd_def, rss_def),
        (f"`topica vectorize --stem english {CORPUS}` vs `python benches/sklearn_vectorize.py "
         f"--stem english --stem-form {stem_form} {CORPUS}`", cmd_stem, rss_stem),
    ):
        t, s = c["topica"]["median_s"], c["sklearn"]["median_s"]
        tr, sr = rss["topica"]["median_bytes"], rss["sklearn"]["median_bytes"]
        add(f"| {label} | {secs(t)} | {secs(s)} | {times(s, t)} | {mib(tr)} | {mib(sr)} | "
            f"**{tr / sr:.0%}** |")
    add("")
    add("### Notes")
    add("")
    add("- The Rust figures come from `cargo bench --bench vectorize_peers` "
        "(`benches/vectorize_peers.rs`), run once a round between scikit-learn's runs "
        f"(topica's: an untimed warm-up, then {r['topica_runs_per_round']} runs, a tenth of a "
        "second each, so that one moment's noise does not decide a round; every median "
        "is over all runs of all rounds); the kernels' own criterion benchmarks "
        "(tokenizing, fit, transform, fit_transform) are `cargo bench --bench vectorize`.")
    add("- scikit-learn has no stemmer: its stemming rows plug PyStemmer's "
        "`Stemmer.Stemmer(\"english\").stemWords` into `TfidfVectorizer`, in both ways it "
        "allows; the faster is the one compared with, and the one the whole command uses.")
    add(f"- topica stems with rust-stemmers, an older revision of Snowball's English "
        f"stemmer than the one PyStemmer {v['PyStemmer']} bundles: a few dozen words of "
        "20 Newsgroups stem differently (PyStemmer: `biologist` -> `biolog`, `internal` "
        "and `universal` kept whole; topica: `biologist`, `intern`, `univers`), so the "
        "stemmed vocabularies differ slightly (table above).")
    add("- linfa-preprocessing is not scikit-learn: by default it NFKD-normalises the text "
        "before lowercasing, tokenizes with the `regex` crate's `\\b\\w\\w+\\b` (Unicode's "
        "`\\w`, which includes combining marks, rather than Python's), does not normalise "
        "rows (no l2), numbers columns in hash-map order, and in `transform` takes document "
        "frequencies from the documents transformed (the same documents here). Its idf is "
        "scikit-learn's smooth one. It runs on one thread and counts every document into a "
        "dense row as long as the vocabulary.")
    return "\n".join(L) + "\n"


# ---------------------------------------------------------------------------


def main(argv=None):
    parser = benchmd.comparison_parser(__doc__, NAME, CORPUS, results=RESULTS)
    parser.add_argument("--runs", type=int, default=7,
                        help="runs of each in-process measurement (default 7); the whole "
                             "commands run max(5, RUNS) times")
    parser.add_argument("--topica", type=Path, default=REPO / "target/release/topica",
                        help="the topica binary (default target/release/topica, built with "
                             "`cargo build --release` when missing)")
    args = parser.parse_args(argv)
    # Re-rendered results are not written back to --json.
    if benchmd.replay(args, NAME, render, log):
        return

    corpus = benchmd.corpus_path(args, "compare_vectorize", CORPUS)
    data = corpus.parent
    if args.runs < 1:
        sys.exit("compare_vectorize: --runs must be at least 1")
    for tool in ("cargo", "hyperfine", "/usr/bin/time"):
        if not shutil.which(tool):
            sys.exit(f"compare_vectorize: {tool} is needed and not found")
    topica = benchmd.release_binary(args.topica, log, when_missing=True)

    report = {"runs": args.runs, "topica_runs_per_round": TOPICA_RUNS_PER_ROUND,
              "machine": machine(), "versions": versions(), "load": {},
              "date": benchmd.now()}
    if benchmd.load_average() > report["machine"]["cpus"] / 2:
        log(f"warning: load average {benchmd.load_average():.2f} on {report['machine']['cpus']} "
            "cores: other work is running and the figures may be disturbed")

    report["load"]["in_process"] = benchmd.load_average()
    report["sklearn"], report["rust"] = in_process(corpus, data, args.runs)
    sk = report["sklearn"]
    report["stem_form"] = min(("analyzer", "tokenizer"),
                              key=lambda f: sk[f"stem_{f}"]["median_s"])
    gc.collect()

    report["whole"] = whole_commands(topica, corpus, max(5, args.runs), report["stem_form"])
    report["load"]["end"] = benchmd.load_average()

    for key in ("default", "stem"):
        t = report["whole"][f"rss_{key}"]["topica"]["summary"]
        s = report["whole"][f"rss_{key}"]["sklearn"]["summary"]
        if (t.get("terms"), t.get("non-zeros")) != (s.get("terms"), s.get("non-zeros")):
            log(f"note: {key}: topica printed {t}, scikit-learn {s}")

    benchmd.publish(NAME, report, render, json_path=args.json, markdown=args.markdown, log=log)


if __name__ == "__main__":
    main()
