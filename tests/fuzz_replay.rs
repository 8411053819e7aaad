//! Replays the kept fuzzing inputs (issue 6) on stable Rust: every file under
//! `fuzz/corpus/<target>/` and `fuzz/regressions/<target>/` goes through the
//! same property checks as the cargo-fuzz target (`fuzz/harness.rs`), so
//! `cargo test` needs neither nightly nor cargo-fuzz. See `fuzz/README.md`.

#[path = "../fuzz/harness.rs"]
mod harness;

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};

/// Every file of `fuzz/<kind>/<target>/`, sorted (none when it is missing).
fn inputs(kind: &str, target: &str) -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fuzz")
        .join(kind)
        .join(target);
    let Ok(entries) = std::fs::read_dir(&dir) else {
        return Vec::new();
    };
    let mut files: Vec<PathBuf> = entries
        .map(|e| e.expect("a directory entry").path())
        .filter(|p| p.is_file())
        .collect();
    files.sort();
    files
}

/// Runs `check` on every kept input of `target`, naming each that fails.
fn replay(target: &str, check: fn(&[u8])) {
    let corpus = inputs("corpus", target);
    let regressions = inputs("regressions", target);
    assert!(
        !corpus.is_empty(),
        "fuzz/corpus/{target} is empty or missing: the kept corpus should be in the repository"
    );
    let mut failed = Vec::new();
    for path in corpus.iter().chain(&regressions) {
        let data = std::fs::read(path).expect("a readable input");
        if catch_unwind(AssertUnwindSafe(|| check(&data))).is_err() {
            failed.push(path.display().to_string());
        }
    }
    assert!(
        failed.is_empty(),
        "{target}: {} of {} inputs break a property: {failed:?}",
        failed.len(),
        corpus.len() + regressions.len()
    );
}

#[test]
fn read_text_corpus() {
    replay("read_text", harness::read_text);
}

#[test]
fn read_jsonl_corpus() {
    replay("read_jsonl", harness::read_jsonl);
}

#[test]
fn read_csv_corpus() {
    replay("read_csv", harness::read_csv);
}

#[test]
fn analyze_corpus() {
    replay("analyze", harness::analyze);
}

#[test]
fn load_model_corpus() {
    replay("load_model", harness::load_model);
}
