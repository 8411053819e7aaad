//! Every subcommand gives byte-identical outputs with 1, 2 and 8 threads
//! and across two runs (issue 6): on data/news, and on the first 2,000 posts
//! of 20 Newsgroups when `TOPICA_DATA_DIR` names the reference corpora.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

const NEWS: &str = "data/news";

/// The files and standard output of one run of `args` with `threads`
/// threads, in `dir` (files named in `outputs`, relative to `dir`).
fn outputs(dir: &Path, threads: usize, args: &[String], outputs: &[&str]) -> Vec<Vec<u8>> {
    let out = Command::new(env!("CARGO_BIN_EXE_topica"))
        .arg("--threads")
        .arg(threads.to_string())
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("topica runs");
    assert!(
        out.status.success(),
        "topica {args:?} with {threads} threads: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let mut all = vec![out.stdout];
    for name in outputs {
        all.push(std::fs::read(dir.join(name)).unwrap_or_else(|e| panic!("{name}: {e}")));
    }
    all
}

/// Runs every subcommand on `input` with 1, 2 and 8 threads (1 twice) and
/// checks that each gives the same bytes every time.
fn every_subcommand_is_deterministic(input: &str, id: &str) {
    let dir = tempfile::tempdir().unwrap();
    let d = |name: &str| dir.path().join(name).to_string_lossy().into_owned();
    let s = |v: &[&str]| v.iter().map(|a| a.to_string()).collect::<Vec<String>>();
    let cases: Vec<(Vec<String>, Vec<&str>)> = vec![
        (
            s(&[
                "vectorize",
                input,
                "-o",
                &d("m.mtx"),
                "--vocabulary-out",
                &d("v.txt"),
                "--model-out",
                &d("model.json"),
            ]),
            vec!["m.mtx", "v.txt", "model.json"],
        ),
        (
            s(&[
                "cluster",
                input,
                "--k",
                "4",
                "--coords",
                "2",
                "-o",
                &d("r.json"),
                "--assignments",
                &d("a.csv"),
                "-q",
            ]),
            vec!["r.json", "a.csv"],
        ),
        (
            s(&[
                "cluster",
                input,
                "--k",
                "auto",
                "--method",
                "hierarchical",
                "-o",
                &d("h.json"),
                "-q",
            ]),
            vec!["h.json"],
        ),
        (
            s(&[
                "cluster",
                input,
                "--k",
                "4",
                "--method",
                "lsa-kmeans",
                "-o",
                &d("l.json"),
                "-q",
            ]),
            vec!["l.json"],
        ),
        (s(&["similar", input, "--id", id, "--json"]), vec![]),
        (
            s(&[
                "similar",
                input,
                "--query",
                "home office monitoring",
                "--json",
                "--space",
                "lsa",
            ]),
            vec![],
        ),
        (
            s(&["neighbors", input, "--top", "5", "-o", &d("n.jsonl")]),
            vec!["n.jsonl"],
        ),
        (
            s(&["duplicates", input, "--threshold", "0.5", "--json"]),
            vec![],
        ),
    ];
    for (args, files) in &cases {
        let first = outputs(dir.path(), 1, args, files);
        for threads in [1, 2, 8] {
            let again = outputs(dir.path(), threads, args, files);
            for (k, (a, b)) in first.iter().zip(&again).enumerate() {
                let what = if k == 0 {
                    "standard output"
                } else {
                    files[k - 1]
                };
                assert!(
                    a == b,
                    "topica {args:?}: {what} differs with {threads} threads"
                );
            }
        }
    }
    // The HTML report of the clustering report, from 1 and 8 threads.
    let report = |threads: usize| {
        outputs(
            dir.path(),
            threads,
            &s(&["report", &d("r.json"), "-o", &d("r.html")]),
            &["r.html"],
        )
    };
    assert_eq!(report(1), report(8), "topica report");
}

#[test]
fn every_subcommand_is_deterministic_on_the_news() {
    every_subcommand_is_deterministic(NEWS, "02-bbc-officials-monitor-musk-posts.txt#1");
}

#[test]
fn every_subcommand_is_deterministic_on_newsgroups() {
    let Some(path) = common::reference("20newsgroups.jsonl") else {
        eprintln!("skipped: set TOPICA_DATA_DIR to check 20 Newsgroups too");
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let slice: PathBuf = dir.path().join("ng2000.jsonl");
    let text = std::fs::read_to_string(&path).unwrap();
    let head: String = text.lines().take(2000).flat_map(|l| [l, "\n"]).collect();
    std::fs::write(&slice, head).unwrap();
    let first_id = serde_json::from_str::<serde_json::Value>(text.lines().next().unwrap()).unwrap()
        ["id"]
        .to_string()
        .trim_matches('"')
        .to_string();
    every_subcommand_is_deterministic(slice.to_str().unwrap(), &first_id);
}
