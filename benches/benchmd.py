"""What the comparison scripts of benches/ share: the machine's description,
versions, the load average, and rewriting one marked section of
BENCHMARKS.md (`<!-- NAME:begin -->` ... `<!-- NAME:end -->`).

Imported by the compare_*.py scripts; not a script.
"""

import argparse
import datetime
import json
import os
import re
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent

HEADER = """# Benchmarks

Measurements of topica against its peers. Each section is rewritten by the
script it names; run that script to reproduce it on your machine.

"""


def cpu():
    """(CPU model or None, number of CPUs), from lscpu when there is one."""
    model, cpus = None, os.cpu_count()
    try:
        out = subprocess.run(["lscpu"], capture_output=True, text=True,
                             env={**os.environ, "LC_ALL": "C"}).stdout
        for line in out.splitlines():
            key, _, value = line.partition(":")
            if key.strip() == "Model name":
                model = value.strip()
            elif key.strip() == "CPU(s)":
                cpus = int(value.strip())
    except (OSError, ValueError):
        pass
    return model, cpus


def machine():
    """`CPU model, N cores`, from lscpu when there is one."""
    model, cpus = cpu()
    return f"{model or 'unknown CPU'}, {cpus} cores"


def memory():
    """Total memory, `N GiB`, from /proc/meminfo when there is one."""
    try:
        with open("/proc/meminfo", encoding="ascii") as f:
            for line in f:
                if line.startswith("MemTotal:"):
                    return f"{int(line.split()[1]) / 2**20:.0f} GiB"
    except OSError:
        pass
    return "unknown memory"


def load_average():
    try:
        return os.getloadavg()[0]
    except OSError:
        return float("nan")


def now():
    return datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")


# What the comparison scripts themselves write: changes to these do not make
# the measured code differ from its commit.
OUTPUTS = ("BENCHMARKS.md", "benches/results/", "README.md", "notebooks/")


def commit():
    """The checkout's short commit, `-dirty` when files other than the
    benchmark outputs and documents (OUTPUTS) have changes: compare_all.py
    rewrites BENCHMARKS.md part by part, which must not mark the later parts
    as measured on changed code."""
    head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=REPO,
                          capture_output=True, text=True).stdout.strip()
    status = subprocess.run(["git", "status", "--porcelain"], cwd=REPO,
                            capture_output=True, text=True).stdout.splitlines()
    changed = [line[3:] for line in status if line.strip()]
    dirty = any(not path.startswith(OUTPUTS) for path in changed)
    return (head or "?") + ("-dirty" if dirty else "")


def run_facts(load_before):
    """What a comparison records about its run: when, where, which code and
    toolchain, and the load average before (`load_before`, taken by the
    caller as it started) and now."""
    return {
        "date": now(), "machine": machine(), "memory": memory(), "commit": commit(),
        "rustc": rustc(), "python": sys.version.split()[0],
        "load_before": load_before, "load_after": load_average(),
    }


def rustc():
    out = subprocess.run(["rustc", "--version"], capture_output=True, text=True).stdout
    return out.split("(")[0].replace("rustc", "").strip() or "?"


def crate_version(name):
    """The version of crate `name` in Cargo.lock."""
    lock = (REPO / "Cargo.lock").read_text(encoding="utf-8")
    m = re.search(r'name = "' + re.escape(name) + r'"\nversion = "([^"]+)"', lock)
    return m.group(1) if m else "?"


def bench_executable(name, log):
    """Builds `cargo bench --bench NAME --no-run` and returns its executable."""
    import json

    log(f"building benches/{name}.rs (cargo bench --bench {name} --no-run)")
    proc = subprocess.run(["cargo", "bench", "--bench", name, "--no-run",
                           "--message-format=json"], cwd=REPO, capture_output=True, text=True)
    if proc.returncode != 0:
        raise SystemExit(f"cargo bench --bench {name} --no-run failed:\n{proc.stderr}")
    for line in proc.stdout.splitlines():
        try:
            message = json.loads(line)
        except json.JSONDecodeError:
            continue
        if (message.get("reason") == "compiler-artifact"
                and message.get("target", {}).get("name") == name
                and message.get("executable")):
            return message["executable"]
    raise SystemExit(f"cargo built no {name} executable")


def criterion_dir():
    """Where criterion writes its results for the bench executables run from
    REPO: $CRITERION_HOME, else $CARGO_TARGET_DIR/criterion, else
    target/criterion (criterion's own order)."""
    if os.environ.get("CRITERION_HOME"):
        return REPO / os.environ["CRITERION_HOME"]
    if os.environ.get("CARGO_TARGET_DIR"):
        return REPO / os.environ["CARGO_TARGET_DIR"] / "criterion"
    return REPO / "target" / "criterion"


def release_binary(path, log, when_missing=False):
    """`path`, after `cargo build --release` when it is the default binary
    (with `when_missing`, only when that binary does not exist yet)."""
    path = Path(path).resolve()
    default = (REPO / "target" / "release" / "topica").resolve()
    if path == default and not (when_missing and path.exists()):
        log("cargo build --release")
        proc = subprocess.run(["cargo", "build", "--release"], cwd=REPO,
                              capture_output=True, text=True)
        if proc.returncode != 0:
            raise SystemExit(f"cargo build --release failed:\n{proc.stderr}")
    elif not path.exists():
        raise SystemExit(f"{path} does not exist")
    return path


# Where a new section goes when its markers are absent: before the
# similarity section, which another script owns.
BEFORE_SIMILARITY = ["<!-- similarity:begin -->", "## Similarity"]


def rewrite_section(path, name, section, before=None):
    """Puts `section` between `<!-- name:begin -->` and `<!-- name:end -->` in
    the Markdown file `path`, replacing what was there. When the markers are
    absent the block goes before the first line starting with `before` (a
    string or a list tried in order), else at the end; a missing file starts
    with HEADER."""
    begin, end = f"<!-- {name}:begin -->", f"<!-- {name}:end -->"
    block = f"{begin}\n{section.rstrip()}\n{end}"
    path = Path(path)
    text = path.read_text(encoding="utf-8") if path.exists() else HEADER
    if begin in text and end in text:
        head, rest = text.split(begin, 1)
        text = head + block + rest.split(end, 1)[1]
    else:
        at = -1
        for anchor in ([before] if isinstance(before, str) else before or []):
            m = re.search("^" + re.escape(anchor), text, re.MULTILINE)
            if m:
                at = m.start()
                break
        if at >= 0:
            text = text[:at] + block + "\n\n" + text[at:]
        else:
            text = text.rstrip("\n") + "\n\n" + block + "\n"
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


def publish(name, results, render, json_path=None, markdown=None, log=print):
    """The end of every comparison script: writes `results` as JSON to
    `json_path` (when given), prints the section `render(results)` and, with
    `markdown`, rewrites the `name` section of that file (before the
    similarity section when it has no markers yet)."""
    if json_path is not None:
        json_path = Path(json_path)
        json_path.parent.mkdir(parents=True, exist_ok=True)
        json_path.write_text(json.dumps(results, indent=1) + "\n", encoding="utf-8")
        log(f"wrote {json_path}")
    section = render(results)
    print(section)
    if markdown:
        rewrite_section(markdown, name, section, before=BEFORE_SIMILARITY)
        log(f"rewrote the {name} section of {markdown}")


def data_argument(ap, corpus):
    """Adds `--data` to the parser `ap`: the folder holding `corpus`, by
    default $TOPICA_DATA_DIR."""
    ap.add_argument("--data", default=os.environ.get("TOPICA_DATA_DIR"),
                    help=f"the folder holding {corpus} (default: $TOPICA_DATA_DIR)")


def comparison_parser(doc, name, corpus, results=None, from_json=True):
    """The arguments every comparison takes: `--data` (the folder holding
    `corpus`, by default $TOPICA_DATA_DIR), `--markdown` (the file whose
    `name` section to rewrite) and, unless `from_json` is false,
    `--from-json` (re-render saved results); with `results`, also `--json`
    (where to write the raw results, by default that path). The script adds
    its own."""
    ap = argparse.ArgumentParser(description=doc,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    data_argument(ap, corpus)
    ap.add_argument("--markdown", type=Path, metavar="FILE",
                    help=f"rewrite this file's {name} section")
    if from_json:
        ap.add_argument("--from-json", type=Path, metavar="FILE",
                        help="re-render results saved earlier instead of measuring")
    if results is not None:
        ap.add_argument("--json", type=Path, default=results,
                        help=f"write the raw results here (default {results.relative_to(REPO)})")
    return ap


def replay(args, name, render, log):
    """With `--from-json`, re-renders those results (and rewrites the
    section with `--markdown`); returns whether it did."""
    if not args.from_json:
        return False
    results = json.loads(args.from_json.read_text(encoding="utf-8"))
    publish(name, results, render, markdown=args.markdown, log=log)
    return True


def corpus_path(args, script, corpus):
    """`corpus` in the `--data` folder, the folder resolved (so that the
    path's parent is that folder even when the file is a link); exits naming
    what is missing when there is no such folder or file."""
    path = Path(args.data or "") / corpus
    if not args.data or not path.is_file():
        sys.exit(f"{script}: set TOPICA_DATA_DIR (or --data) to the folder holding {corpus} "
                 f"(../shared/data; see its README.md); {path} was not found")
    return Path(args.data).resolve() / corpus
