//! End-to-end tests of `topica similar`, `topica neighbors` and
//! `topica duplicates` on the bundled news corpus.

#[path = "cli/support.rs"]
mod support;

use std::fs;

use serde_json::Value;
use support::{NEWS, run};

const BBC_STATEMENT: &str = "02-bbc-officials-monitor-musk-posts.txt";

#[test]
fn similar_by_id_ranks_the_other_outlets_version_first() {
    let r = run([
        "similar",
        NEWS,
        "--id",
        "01-gript-home-office-monitors-musk.txt#16",
        "--top",
        "3",
        "--json",
    ]);
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    let hits: Vec<Value> = r
        .stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(hits.len(), 3);
    // Lowe's "They will spy on Musk's online activity" line, in the BBC's words.
    assert!(
        hits[0]["id"].as_str().unwrap().starts_with(BBC_STATEMENT),
        "{hits:?}"
    );
    assert!(hits[0]["score"].as_f64().unwrap() > 0.8);
    let scores: Vec<f64> = hits.iter().map(|h| h["score"].as_f64().unwrap()).collect();
    assert!(scores.windows(2).all(|w| w[0] >= w[1]));
}

#[test]
fn lsa_space_works_on_a_corpus_smaller_than_its_dimensions() {
    let r = run([
        "similar",
        NEWS,
        "--space",
        "lsa",
        "--id",
        "01-gript-home-office-monitors-musk.txt#16",
        "--top",
        "1",
        "--json",
    ]);
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    let hit: Value = serde_json::from_str(r.stdout.trim()).unwrap();
    assert!(
        hit["id"].as_str().unwrap().starts_with(BBC_STATEMENT),
        "{hit}"
    );
}

#[test]
fn similar_by_text_and_a_query_with_no_known_word() {
    let r = run([
        "similar",
        NEWS,
        "--query",
        "Grok sexualised images",
        "--top",
        "2",
    ]);
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    assert_eq!(r.stdout.lines().count(), 2);
    assert!(
        r.stdout.contains("03-independent-haigh-quit-x.txt"),
        "{}",
        r.stdout
    );
    let r = run(["similar", NEWS, "--query", "zzzqqq xxyyzz"]);
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    assert!(r.stdout.is_empty());
    assert!(r.stderr.contains("warning"), "{}", r.stderr);
}

#[test]
fn neighbors_writes_one_line_per_document() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("n.jsonl");
    let r = run([
        "neighbors",
        NEWS,
        "--top",
        "5",
        "--stop-words",
        "english",
        "-o",
        out.to_str().unwrap(),
    ]);
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    let lines: Vec<Value> = fs::read_to_string(&out)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 74);
    for line in &lines {
        let n = line["neighbors"].as_array().unwrap();
        assert!(n.len() <= 5);
        assert!(n.iter().all(|h| h["id"] != line["id"]));
        assert!(n.iter().all(|h| h["score"].as_f64().unwrap().is_finite()));
    }
    // "in" is a stop word: no term left, no neighbours.
    let empty = lines
        .iter()
        .find(|l| l["id"] == "03-independent-haigh-quit-x.txt#0")
        .unwrap();
    assert!(empty["neighbors"].as_array().unwrap().is_empty());
}

#[test]
fn duplicates_across_sources_finds_the_shared_texts() {
    let r = run(["duplicates", NEWS, "--across-sources", "--json"]);
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    let groups: Vec<Value> = r
        .stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert!(groups.len() >= 3, "{groups:?}");
    for g in &groups {
        let sources: std::collections::HashSet<&str> = g["members"]
            .as_array()
            .unwrap()
            .iter()
            .map(|m| m["source"].as_str().unwrap())
            .collect();
        assert!(sources.len() > 1);
    }
    let texts = r.stdout.to_lowercase();
    assert!(texts.contains("spy on musk"), "{texts}");
    assert!(texts.contains("home office"), "{texts}");
}

#[test]
fn bad_input_gets_a_clear_message() {
    let r = run([
        "similar",
        NEWS,
        "--id",
        "01-gript-home-office-monitors-musk.txt#99",
    ]);
    assert_eq!(r.code, Some(1), "{}", r.stderr);
    assert!(r.stderr.contains("#99"), "{}", r.stderr);
    assert!(
        r.stderr.contains("01-gript-home-office-monitors-musk.txt#"),
        "{}",
        r.stderr
    );
    let r = run(["similar", NEWS, "--query", "musk", "--top", "0"]);
    assert_eq!(r.code, Some(2), "{}", r.stderr);
    assert!(r.stderr.contains("top"), "{}", r.stderr);
    let r = run(["duplicates", NEWS, "--threshold", "1.5"]);
    assert_eq!(r.code, Some(2), "{}", r.stderr);
    assert!(r.stderr.contains("threshold"), "{}", r.stderr);
    let r = run(["neighbors", NEWS, "--top", "0"]);
    assert_eq!(r.code, Some(2), "{}", r.stderr);
}

/// An empty list says why: "Tagcloud:" shares its one term with no other
/// paragraph, and nothing scores 0.99 against a paragraph but itself.
#[test]
fn an_empty_list_comes_with_a_warning() {
    let r = run([
        "similar",
        NEWS,
        "--id",
        "03-independent-haigh-quit-x.txt#31",
    ]);
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    assert!(r.stdout.is_empty(), "{}", r.stdout);
    assert!(
        r.stderr
            .contains("no document scores above 0 against document"),
        "{}",
        r.stderr
    );
    let r = run([
        "similar",
        NEWS,
        "--id",
        "03-independent-haigh-quit-x.txt#1",
        "--min-score",
        "0.99",
    ]);
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    assert!(
        r.stderr.contains("no document scores at least 0.99"),
        "{}",
        r.stderr
    );
}
