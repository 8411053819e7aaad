//! End-to-end tests of `topica cluster` and `topica eval` on the bundled
//! news corpus: the four topics are found and named, the boilerplate goes to
//! topic -1, the outputs are what README.md documents, and bad input gets a
//! one-line message and a non-zero exit.

#[path = "cli/support.rs"]
mod support;

use std::collections::HashMap;
use std::fs;
use std::path::Path;

use serde_json::Value;
use support::{NEWS, run};

const LABELS: &str = "data/news-labels.csv";

fn tmp() -> tempfile::TempDir {
    tempfile::tempdir().expect("a temporary directory")
}

fn arg(path: &Path) -> String {
    path.to_str().expect("UTF-8 temporary path").to_string()
}

/// The hand labels of data/news.
fn hand_labels() -> HashMap<String, String> {
    let mut reader = csv::Reader::from_path(LABELS).expect("data/news-labels.csv");
    reader
        .records()
        .map(|r| {
            let r = r.expect("a CSV record");
            (r[0].to_string(), r[1].to_string())
        })
        .collect()
}

fn report(dir: &Path, extra: &[&str]) -> Value {
    let out = dir.join("report.json");
    let mut args = vec![
        "cluster",
        NEWS,
        "--k",
        "4",
        "-o",
        out.to_str().unwrap(),
        "-q",
    ];
    args.extend_from_slice(extra);
    let r = run(&args);
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    serde_json::from_str(&fs::read_to_string(out).unwrap()).unwrap()
}

/// Which true label dominates each topic, and the share of the topical
/// paragraphs whose topic's dominant label is their own.
fn purity(report: &Value) -> (HashMap<i64, String>, f64) {
    let labels = hand_labels();
    let mut counts: HashMap<i64, HashMap<String, usize>> = HashMap::new();
    for d in report["documents"].as_array().unwrap() {
        let label = &labels[d["id"].as_str().unwrap()];
        if label != "noise" {
            *counts
                .entry(d["topic"].as_i64().unwrap())
                .or_default()
                .entry(label.clone())
                .or_default() += 1;
        }
    }
    let mut dominant = HashMap::new();
    let (mut right, mut all) = (0, 0);
    for (t, c) in &counts {
        let (best, n) = c
            .iter()
            .max_by_key(|(l, n)| (**n, std::cmp::Reverse(*l)))
            .unwrap();
        if *t >= 0 {
            dominant.insert(*t, best.clone());
            right += n;
        }
        all += c.values().sum::<usize>();
    }
    (dominant, right as f64 / all as f64)
}

#[test]
fn news_k4_finds_the_four_topics_and_sets_the_boilerplate_aside() {
    let dir = tmp();
    let r = report(dir.path(), &["--labels", LABELS, "--ignore-label", "noise"]);
    let topics = r["topics"].as_array().unwrap();
    assert_eq!(topics.len(), 4);
    let (dominant, purity) = purity(&r);
    let mut found: Vec<&str> = dominant.values().map(String::as_str).collect();
    found.sort();
    assert_eq!(found, ["boycott", "grok", "grooming", "surveillance"]);
    assert!(purity > 0.85, "purity {purity}");
    // Outliers count as one more cluster. Measured (2026-12-02): 0.652 for
    // seed 0, 0.714 on average over seeds 0 to 29 (README.md, "Quality").
    let ari = r["metrics"]["adjusted_rand_index"].as_f64().unwrap();
    assert!(ari >= 0.63, "ARI {ari} on the topical paragraphs");
    assert_eq!(r["metrics"]["ignored"], 5);
    let rule_of = |id: &str| {
        r["outliers"]
            .as_array()
            .unwrap()
            .iter()
            .find(|o| o["id"] == id)
            .map(|o| o["rule"].as_str().unwrap().to_string())
    };
    // Every boilerplate paragraph is set aside, each by its rule: "in" and
    // "Tagcloud:" have no informative terms, the source line is a metadata
    // line, the two unrelated headlines at the end of the Independent's page
    // are isolated.
    let mut outliers: Vec<&str> = r["outliers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["id"].as_str().unwrap())
        .collect();
    outliers.sort();
    assert_eq!(
        outliers,
        ["#0", "#30", "#31", "#32", "#33"].map(|n| format!("03-independent-haigh-quit-x.txt{n}"))
    );
    for (n, rule) in [
        (0, "no-terms"),
        (30, "metadata-line"),
        (31, "no-terms"),
        (32, "isolated"),
        (33, "isolated"),
    ] {
        let id = format!("03-independent-haigh-quit-x.txt#{n}");
        assert_eq!(rule_of(&id).as_deref(), Some(rule), "{id}");
    }
    // A one-term line inside a run of the grooming story ("One girl was
    // branded...") keeps the topic of the paragraphs around it.
    let doc = |id: &str| {
        r["documents"]
            .as_array()
            .unwrap()
            .iter()
            .find(|d| d["id"] == id)
            .unwrap()
            .clone()
    };
    let line = doc("01-gript-home-office-monitors-musk.txt#19");
    assert_eq!(
        line["topic"],
        doc("01-gript-home-office-monitors-musk.txt#18")["topic"]
    );
    assert_eq!(
        line["topic"],
        doc("01-gript-home-office-monitors-musk.txt#20")["topic"]
    );
    assert_eq!(dominant[&line["topic"].as_i64().unwrap()], "grooming");
    // Every topic's top terms say what it is about, in words.
    for t in topics {
        let terms: Vec<&str> = t["terms"]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| t["surface"].as_str().unwrap())
            .collect();
        let expected: &[&str] = match dominant[&t["id"].as_i64().unwrap()].as_str() {
            "surveillance" => &[
                "monitor",
                "monitoring",
                "homeland",
                "surveillance",
                "security",
            ],
            "grooming" => &["grooming", "inquiry", "gangs"],
            "grok" => &["grok", "images", "sexualised", "ai"],
            "boycott" => &["quit", "leave", "platform", "boycott", "haigh"],
            other => panic!("unexpected label {other}"),
        };
        assert!(
            terms.iter().take(10).any(|t| expected.contains(t)),
            "topic {} terms {terms:?}",
            t["id"]
        );
        assert_eq!(t["representatives"].as_array().unwrap().len(), 5);
    }
}

#[test]
fn guided_names_match_clusters_one_to_one() {
    let dir = tmp();
    let topics = dir.path().join("topics.toml");
    fs::write(
        &topics,
        "surveillance = [\"monitor\", \"surveillance\", \"homeland\"]\n\
         grooming = [\"grooming\", \"inquiry\"]\n\
         grok = [\"grok\", \"images\"]\n\
         boycott = [\"quit\", \"leave\"]\n",
    )
    .unwrap();
    let r = report(dir.path(), &["--topics", &arg(&topics)]);
    let (dominant, _) = purity(&r);
    for t in r["topics"].as_array().unwrap() {
        assert_eq!(t["named_by"], "guided");
        assert_eq!(
            t["name"].as_str().unwrap(),
            dominant[&t["id"].as_i64().unwrap()],
            "{t}"
        );
    }
}

#[test]
fn report_and_assignments_follow_the_documented_schema() {
    let dir = tmp();
    let out = dir.path().join("r.json");
    let csv_path = dir.path().join("a.csv");
    let jsonl_path = dir.path().join("a.jsonl");
    for a in [&csv_path, &jsonl_path] {
        let r = run([
            "cluster",
            NEWS,
            "--k",
            "4",
            "-o",
            &arg(&out),
            "--assignments",
            &arg(a),
            "-q",
        ]);
        assert_eq!(r.code, Some(0), "{}", r.stderr);
    }
    let r: Value = serde_json::from_str(&fs::read_to_string(&out).unwrap()).unwrap();
    assert_eq!(r["format"], 1);
    for key in [
        "k",
        "method",
        "n_init",
        "refine",
        "max_iter",
        "tol",
        "seed",
        "context",
        "outlier_threshold",
    ] {
        assert!(
            !r["parameters"]["clustering"][key].is_null(),
            "parameter {key}"
        );
    }
    assert!(!r["parameters"]["vectorizer"]["min_df"].is_null());
    assert_eq!(r["parameters"]["idf_power"], 2.0);
    assert_eq!(r["documents"].as_array().unwrap().len(), 74);
    let mut csv_rows = csv::Reader::from_path(&csv_path).unwrap();
    assert_eq!(
        csv_rows.headers().unwrap().iter().collect::<Vec<_>>(),
        ["id", "topic", "topic_name", "score"]
    );
    assert_eq!(csv_rows.records().count(), 74);
    let lines: Vec<Value> = fs::read_to_string(&jsonl_path)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 74);
    for (line, doc) in lines.iter().zip(r["documents"].as_array().unwrap()) {
        assert_eq!(line["id"], doc["id"]);
        assert_eq!(line["topic"], doc["topic"]);
        let score = line["score"].as_f64().unwrap();
        assert!((0.0..=1.0 + 1e-12).contains(&score));
        if line["topic"] == -1 {
            assert_eq!(line["topic_name"], "outlier");
        }
    }
}

#[test]
fn every_method_runs_and_hierarchical_exports_a_dendrogram() {
    let dir = tmp();
    for method in ["lsa-kmeans", "hierarchical"] {
        let r = report(dir.path(), &["--method", method, "--n-components", "20"]);
        assert_eq!(r["topics"].as_array().unwrap().len(), 4, "{method}");
        if method == "hierarchical" {
            let z = r["dendrogram"]["matrix"].as_array().unwrap();
            let leaves = r["dendrogram"]["leaves"].as_array().unwrap().len();
            assert_eq!(z.len(), leaves - 1);
            let heights: Vec<f64> = z.iter().map(|row| row[2].as_f64().unwrap()).collect();
            assert!(heights.windows(2).all(|w| w[0] <= w[1] + 1e-12));
        } else {
            assert!(r["dendrogram"].is_null());
        }
    }
}

#[test]
fn k_auto_reports_the_silhouette_of_every_k_tried() {
    let dir = tmp();
    // lsa-kmeans compares its k in its own reduction's leading dimensions,
    // k-means in an SVD of its sparse rows: the same promises for both.
    for method in ["kmeans", "lsa-kmeans"] {
        let out = dir.path().join(format!("{method}.json"));
        let r = run([
            "cluster",
            NEWS,
            "--method",
            method,
            "--k",
            "auto",
            "--k-range",
            "2,6",
            "-o",
            &arg(&out),
            "-q",
        ]);
        assert_eq!(r.code, Some(0), "{method}: {}", r.stderr);
        let r: Value = serde_json::from_str(&fs::read_to_string(&out).unwrap()).unwrap();
        let scores = r["k_selection"].as_array().unwrap();
        let ks: Vec<i64> = scores.iter().map(|s| s["k"].as_i64().unwrap()).collect();
        assert_eq!(ks, [2, 3, 4, 5, 6], "{method}");
        let best = scores
            .iter()
            .max_by(|a, b| {
                a["silhouette"]
                    .as_f64()
                    .unwrap()
                    .total_cmp(&b["silhouette"].as_f64().unwrap())
            })
            .unwrap();
        let k = best["k"].as_i64().unwrap();
        assert_eq!(r["topics"].as_array().unwrap().len() as i64, k, "{method}");
        // The k are compared in a reduction of the clustering space, but the
        // clustering kept, and the silhouette reported with it, are those of
        // a run with that k fixed: the silhouette in the clustering space.
        let fixed_out = dir.path().join(format!("{method}-fixed.json"));
        let k_arg = k.to_string();
        let f = run([
            "cluster",
            NEWS,
            "--method",
            method,
            "--k",
            &k_arg,
            "-o",
            &arg(&fixed_out),
            "-q",
        ]);
        assert_eq!(f.code, Some(0), "{method}: {}", f.stderr);
        let fixed: Value = serde_json::from_str(&fs::read_to_string(&fixed_out).unwrap()).unwrap();
        let topics = |r: &Value| -> Vec<i64> {
            let docs = r["documents"].as_array().unwrap();
            docs.iter().map(|d| d["topic"].as_i64().unwrap()).collect()
        };
        assert_eq!(topics(&r), topics(&fixed), "{method}");
        assert_eq!(r["silhouette"], fixed["silhouette"], "{method}");
        assert_ne!(r["silhouette"], best["silhouette"], "{method}");
    }
}

/// On scikit-learn's 4-group example of 20 Newsgroups, `--k auto` with its
/// default range finds about as many topics as the groups, where the
/// silhouette in the clustering space itself grows with k and picked 10
/// (`K_SELECTION_COMPONENTS`).
#[test]
fn k_auto_finds_about_four_topics_in_the_four_group_example() {
    let Some(path) = topica::corpus::reference_file("20newsgroups_clean.jsonl")
        .map_err(|e| eprintln!("skipped: {e}"))
        .ok()
    else {
        return;
    };
    let mut jsonl = String::new();
    for line in fs::read_to_string(path).unwrap().lines() {
        let post: Value = serde_json::from_str(line).unwrap();
        if topica::corpus::EXAMPLE_GROUPS.contains(&post["label"].as_str().unwrap()) {
            jsonl.push_str(line);
            jsonl.push('\n');
        }
    }
    let dir = tmp();
    let input = dir.path().join("example.jsonl");
    fs::write(&input, jsonl).unwrap();
    let out = dir.path().join("r.json");
    let r = run([
        "cluster",
        &arg(&input),
        "--label-field",
        "label",
        "-o",
        &arg(&out),
        "-q",
    ]);
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    let r: Value = serde_json::from_str(&fs::read_to_string(&out).unwrap()).unwrap();
    assert_eq!(r["corpus"]["documents"], 3387);
    assert_eq!(r["k_selection"].as_array().unwrap().len(), 9);
    let k = r["topics"].as_array().unwrap().len();
    assert!((3..=5).contains(&k), "k = {k}");
    let v = r["metrics"]["v_measure"].as_f64().unwrap();
    assert!(v > 0.45, "V-measure {v}");
}

#[test]
fn the_same_seed_gives_the_same_report_whatever_the_thread_count() {
    let dir = tmp();
    for method in ["kmeans", "lsa-kmeans", "hierarchical"] {
        for batch in [None, Some("16")] {
            if batch.is_some() && method == "hierarchical" {
                continue;
            }
            let mut outputs = Vec::new();
            for threads in ["1", "2"] {
                let out = dir.path().join(format!("r{threads}.json"));
                let mut args = vec![
                    "--threads",
                    threads,
                    "cluster",
                    NEWS,
                    "--k",
                    "auto",
                    "--method",
                    method,
                    "--n-components",
                    "20",
                    "-o",
                ];
                let out_arg = arg(&out);
                args.push(&out_arg);
                args.push("-q");
                if let Some(b) = batch {
                    args.extend(["--batch-size", b]);
                }
                let r = run(&args);
                assert_eq!(r.code, Some(0), "{method}: {}", r.stderr);
                outputs.push(fs::read(out).unwrap());
            }
            assert!(
                outputs[0] == outputs[1],
                "{method} {batch:?}: reports differ"
            );
        }
    }
}

#[test]
fn eval_scores_assignments_against_labels() {
    let dir = tmp();
    let a = dir.path().join("a.csv");
    let r = run(["cluster", NEWS, "--k", "4", "--assignments", &arg(&a), "-q"]);
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    // `topica eval PREDICTED --labels LABELS ...`'s JSON.
    let eval = |predicted: &str, labels: &str| -> Value {
        let r = run([
            "eval",
            predicted,
            "--labels",
            labels,
            "--ignore-label",
            "noise",
            "--corpus",
            NEWS,
            "--json",
        ]);
        assert_eq!(r.code, Some(0), "{}", r.stderr);
        serde_json::from_str(&r.stdout).unwrap()
    };
    let m = eval(&arg(&a), LABELS);
    assert_eq!(m["scored"], 69);
    assert!(m["adjusted_rand_index"].as_f64().unwrap() >= 0.63);
    let s = m["silhouette"].as_f64().unwrap();
    assert!((-1.0..=1.0).contains(&s));

    // Gzipped assignments and labels read as the plain ones, the format
    // taken from the name without `.gz`.
    let a_gz = dir.path().join("a.csv.gz");
    fs::write(&a_gz, support::gzip(&fs::read(&a).unwrap())).unwrap();
    let labels_gz = dir.path().join("labels.jsonl.gz");
    let mut jsonl = String::new();
    for (id, label) in hand_labels() {
        jsonl.push_str(&serde_json::json!({"id": id, "label": label}).to_string());
        jsonl.push('\n');
    }
    fs::write(&labels_gz, support::gzip(jsonl.as_bytes())).unwrap();
    let mut gz = eval(&arg(&a_gz), &arg(&labels_gz));
    assert_eq!(gz["labels"], arg(&labels_gz));
    gz["labels"] = m["labels"].clone();
    assert_eq!(gz, m);
    // A file named .gz that is not gzip: the message names it.
    let fake = dir.path().join("fake.csv.gz");
    fs::write(&fake, "id,label\n").unwrap();
    fails(
        &["eval", &arg(&a), "--labels", &arg(&fake), "--corpus", NEWS],
        1,
        "fake.csv.gz",
    );

    // Three documents: too few for the silhouette's vectorizer (min_df 2
    // against max_df 0.5), and the label scores stand without it.
    let corpus = fs::write(
        dir.path().join("s.txt"),
        "alpha beta\n\ngamma delta\n\nalpha gamma\n",
    );
    corpus.unwrap();
    let s = dir.path().join("s.txt");
    let (sa, sl) = (dir.path().join("sa.csv"), dir.path().join("sl.csv"));
    fs::write(&sa, "id,topic\ns.txt#0,0\ns.txt#1,1\ns.txt#2,0\n").unwrap();
    fs::write(&sl, "id,label\ns.txt#0,x\ns.txt#1,y\ns.txt#2,y\n").unwrap();
    let r = run([
        "eval",
        &arg(&sa),
        "--labels",
        &arg(&sl),
        "--corpus",
        &arg(&s),
        "--json",
    ]);
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    assert!(
        r.stderr.contains("warning: no silhouette: "),
        "{}",
        r.stderr
    );
    let m: Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(
        (m["scored"].as_u64(), m["silhouette"].is_null()),
        (Some(3), true)
    );
    // scikit-learn's adjusted_rand_score(["x", "y", "y"], [0, 1, 0]).
    assert!((m["adjusted_rand_index"].as_f64().unwrap() + 0.5).abs() < 1e-12);
}

/// Outputs go where their names say: `-` is standard output (in place of
/// the summary), a name ending in `.gz` is compressed (and read back by
/// `eval` and `report`), a symbolic link keeps pointing at the file
/// written. Options of another method are ignored with a warning; a cut at a
/// distance and a k are refused together.
#[test]
fn outputs_go_to_standard_output_gzip_and_through_links() {
    let dir = tmp();
    let r = run(["cluster", NEWS, "--k", "4", "-o", "-"]);
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    let on_stdout: Value = serde_json::from_str(&r.stdout).expect("only the report on stdout");
    assert_eq!(on_stdout["topics"].as_array().unwrap().len(), 4);
    let r = run(["cluster", NEWS, "--k", "4", "--assignments", "-"]);
    assert!(r.stdout.starts_with("{\"id\":"), "{}", r.stdout);
    assert_eq!(r.stdout.lines().count(), 74);
    fails(
        &["cluster", NEWS, "-o", "-", "--assignments", "-"],
        2,
        "only one output can go to standard output",
    );
    fails(
        &["vectorize", NEWS, "-o", "-", "--model-out", "-"],
        2,
        "--output is `-` already",
    );

    let (a, json) = (dir.path().join("a.csv.gz"), dir.path().join("r.json.gz"));
    let r = run([
        "cluster",
        NEWS,
        "--k",
        "4",
        "-q",
        "--assignments",
        &arg(&a),
        "-o",
        &arg(&json),
    ]);
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    assert_eq!(&fs::read(&a).unwrap()[..2], b"\x1f\x8b", "gzip magic");
    let r = run([
        "eval",
        &arg(&a),
        "--labels",
        LABELS,
        "--ignore-label",
        "noise",
        "--json",
    ]);
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    let m: Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(m["scored"], 69, "CSV inside the .gz");
    let page = dir.path().join("page.html");
    let r = run(["report", &arg(&json), "-o", &arg(&page)]);
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    assert!(
        fs::read_to_string(&page)
            .unwrap()
            .contains("4 topics in 74 documents")
    );

    #[cfg(unix)]
    {
        let (real, link) = (dir.path().join("real.json"), dir.path().join("link.json"));
        fs::write(&real, "old").unwrap();
        std::os::unix::fs::symlink(&real, &link).unwrap();
        let r = run(["cluster", NEWS, "--k", "4", "-q", "-o", &arg(&link)]);
        assert_eq!(r.code, Some(0), "{}", r.stderr);
        assert!(
            fs::symlink_metadata(&link)
                .unwrap()
                .file_type()
                .is_symlink()
        );
        let written: Value = serde_json::from_str(&fs::read_to_string(&real).unwrap()).unwrap();
        assert_eq!(written["topics"].as_array().unwrap().len(), 4);
    }

    let r = run(["cluster", NEWS, "--k", "4", "-q", "--linkage", "average"]);
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    assert!(
        r.stderr
            .contains("--linkage ignored: it applies to --method hierarchical"),
        "{}",
        r.stderr
    );
    // k-means' options with hierarchical clustering, --k-range with a fixed
    // k, LSA's options in TF-IDF space: each named, the run unchanged.
    let hierarchical = [
        "cluster",
        NEWS,
        "--method",
        "hierarchical",
        "--k",
        "4",
        "-o",
        "-",
    ];
    let plain = run(hierarchical);
    let r = run(hierarchical.into_iter().chain([
        "--n-init",
        "5",
        "--max-iter",
        "3",
        "--tol",
        "0.5",
        "--batch-size",
        "10",
        "--refine",
        "none",
        "--k-range",
        "2,5",
    ]));
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    for option in [
        "--n-init",
        "--max-iter",
        "--tol",
        "--batch-size",
        "--refine",
    ] {
        let warning = format!(
            "{option} ignored: it applies to --method kmeans or lsa-kmeans, not --method hierarchical"
        );
        assert!(r.stderr.contains(&warning), "{option}: {}", r.stderr);
    }
    assert!(
        r.stderr
            .contains("--k-range ignored: it applies to --k auto, not --k 4"),
        "{}",
        r.stderr
    );
    let found = |s: &str| serde_json::from_str::<Value>(s).unwrap()["documents"].clone();
    assert_eq!(
        found(&r.stdout),
        found(&plain.stdout),
        "the same clustering"
    );
    let r = run(["similar", NEWS, "--query", "grok", "--n-components", "5"]);
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    assert!(
        r.stderr
            .contains("--n-components ignored: it applies to --space lsa"),
        "{}",
        r.stderr
    );
    fails(
        &[&hierarchical[..6], &["--distance-threshold", "0.5"]].concat(),
        2,
        "--distance-threshold",
    );
}

fn fails(args: &[&str], code: i32, needle: &str) {
    let r = run(args);
    assert_eq!(r.code, Some(code), "{args:?}: {}", r.stderr);
    assert!(
        r.stderr.contains(needle),
        "{args:?}: {:?} lacks {needle:?}",
        r.stderr
    );
    assert!(!r.stderr.contains("panicked"), "{}", r.stderr);
}

/// An output never replaces what the command reads, nor another output:
/// each clash is refused before any work (exit 2), and the file is left as
/// it was. A full standard output is an error, not a panic.
#[test]
fn outputs_never_replace_inputs_or_each_other() {
    let dir = tmp();
    let a = dir.path().join("a.txt");
    let text = "The cat sat on the mat.\n\nDogs bark at the cat.\n\nThe market fell.\n\n\
                Investors sold the market shares.\n";
    fs::write(&a, text).unwrap();
    let a = arg(&a);
    let same = |args: &[&str], needle: &str| {
        fails(args, 2, needle);
        assert_eq!(fs::read_to_string(&a).unwrap(), text, "{args:?}");
    };
    same(&["cluster", &a, "--k", "2", "-o", &a], "is an input");
    same(
        &["cluster", &a, "--k", "2", "--assignments", &a],
        "is an input",
    );
    same(&["vectorize", &a, "--vocabulary-out", &a], "is an input");
    same(&["neighbors", &a, "-o", &a], "is an input");
    // The same file by another name: a hard link, `./`.
    let hard = dir.path().join("hard.txt");
    fs::hard_link(&a, &hard).unwrap();
    same(&["vectorize", &a, "-o", &arg(&hard)], "is an input");
    same(
        &[
            "cluster",
            &a,
            "--k",
            "2",
            "--stop-words",
            &a,
            "-o",
            &arg(&hard),
        ],
        "is an input",
    );
    // A file of an input directory.
    same(
        &["cluster", &arg(dir.path()), "--k", "2", "-o", &a],
        "input directory",
    );
    let stop = dir.path().join("stop.txt");
    fs::write(&stop, "cat\n").unwrap();
    fails(
        &[
            "cluster",
            &a,
            "--k",
            "2",
            "--stop-words",
            &arg(&stop),
            "-o",
            &arg(&stop),
        ],
        2,
        "the file of --stop-words",
    );
    assert_eq!(fs::read_to_string(&stop).unwrap(), "cat\n");

    let out = arg(&dir.path().join("out"));
    fails(
        &["cluster", &a, "--k", "2", "-o", &out, "--assignments", &out],
        2,
        "also the file of --output",
    );
    fails(
        &["vectorize", &a, "-o", &out, "--model-out", &out],
        2,
        "also the file of --output",
    );
    assert!(!Path::new(&out).exists(), "nothing written");
    let report = arg(&dir.path().join("r.json"));
    assert_eq!(
        run(["cluster", &a, "--k", "2", "-q", "-o", &report]).code,
        Some(0)
    );
    fails(&["report", &report, "-o", &report], 2, "is an input");
    // Two outputs to a device are not a clash.
    let r = run([
        "cluster",
        &a,
        "--k",
        "2",
        "-o",
        "/dev/null",
        "--assignments",
        "/dev/null",
    ]);
    assert_eq!(r.code, Some(0), "{}", r.stderr);

    if Path::new("/dev/full").exists() {
        let report = arg(&dir.path().join("news.json"));
        assert_eq!(
            run(["cluster", NEWS, "--k", "4", "-q", "-o", &report]).code,
            Some(0)
        );
        let full = fs::OpenOptions::new()
            .write(true)
            .open("/dev/full")
            .unwrap();
        for args in [
            vec!["cluster", NEWS, "--k", "4"],
            vec!["eval", &report, "--labels", LABELS],
        ] {
            let out = std::process::Command::new(env!("CARGO_BIN_EXE_topica"))
                .current_dir(env!("CARGO_MANIFEST_DIR"))
                .args(&args)
                .stdout(full.try_clone().unwrap())
                .output()
                .unwrap();
            let stderr = String::from_utf8_lossy(&out.stderr);
            assert_eq!(out.status.code(), Some(1), "{args:?}: {stderr}");
            assert!(
                stderr.contains("cannot write to standard output"),
                "{stderr}"
            );
        }
    }
}

/// linfa's k-means leaves a cluster empty on duplicate documents: the report
/// has no nameless topic of 0 documents, and says why it has fewer.
#[test]
fn empty_clusters_are_left_out_with_a_warning() {
    let dir = tmp();
    let path = dir.path().join("dupes.txt");
    let mut paragraphs = vec!["apple banana cherry grape"; 5];
    paragraphs.extend(["engine wheel brake clutch"; 5]);
    fs::write(&path, paragraphs.join("\n\n")).unwrap();
    let r = run([
        "cluster",
        &arg(&path),
        "--method",
        "lsa-kmeans",
        "--k",
        "3",
        "--min-df",
        "1",
        "--max-df",
        "1.0",
        "--context-window",
        "0",
        "-o",
        "-",
    ]);
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    let report: Value = serde_json::from_str(&r.stdout).unwrap();
    let sizes: Vec<u64> = report["topics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["size"].as_u64().unwrap())
        .collect();
    assert_eq!(sizes, [5, 5]);
    assert!(
        r.stderr
            .contains("1 of the 3 clusters found came out empty"),
        "{}",
        r.stderr
    );
}

/// Inputs whose meaning would be a guess are refused or flagged: a column
/// named twice, a label that is a list, an id field no record has; labels 1
/// and 1.0 are one label, as in Python; a byte order mark is not a stop word.
#[test]
fn ambiguous_inputs_are_refused_or_flagged() {
    let dir = tmp();
    let write = |name: &str, text: &str| {
        let path = dir.path().join(name);
        fs::write(&path, text).unwrap();
        arg(&path)
    };
    let twice = write(
        "twice.csv",
        "id,text,text\na,cat dog mouse,x\nb,cat dog bird,y\n",
    );
    fails(
        &["vectorize", &twice],
        1,
        "names the column `text` twice (columns 2 and 3)",
    );
    let mut labels = String::from("id,label,label\n");
    for (id, label) in hand_labels() {
        labels += &format!("{id},{label},x\n");
    }
    let labels = write("labels.csv", &labels);
    fails(
        &["cluster", NEWS, "--k", "4", "--labels", &labels],
        1,
        "`label` twice",
    );

    let records = write(
        "records.jsonl",
        "{\"id\": \"a\", \"text\": \"cat dog\", \"l\": 1, \"t\": [\"x\"], \"n\": 1}\n\
         {\"id\": \"b\", \"text\": \"cat dog\", \"l\": 1.0, \"t\": [\"x\"], \"n\": 2}\n\
         {\"id\": \"c\", \"text\": \"fish bird\", \"l\": 2, \"t\": [\"y\"], \"n\": 3}\n\
         {\"id\": \"d\", \"text\": \"fish bird\", \"l\": 2, \"t\": [\"y\"], \"n\": 4}\n",
    );
    let small = ["--k", "2", "--min-df", "1", "--max-df", "1.0"];
    let mut args = vec!["cluster", records.as_str()];
    args.extend(small);
    let with = |extra: &[&'static str]| -> Vec<String> {
        args.iter().chain(extra).map(|a| a.to_string()).collect()
    };
    let t = with(&["--label-field", "t"]);
    let t: Vec<&str> = t.iter().map(String::as_str).collect();
    fails(
        &t,
        1,
        "line 1: the field \"t\" of document \"a\" is an array",
    );
    let r = run(with(&["--label-field", "l"]));
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    assert!(r.stdout.contains("(4 scored): ARI 1.000"), "{}", r.stdout);
    let r = run(with(&["--id-field", "key", "-q"]));
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    assert!(
        r.stderr
            .contains("no record has a value in the field `key` (--id-field)"),
        "{}",
        r.stderr
    );
    // Ids that happen to be the line numbers are ids all the same.
    let r = run(with(&["--id-field", "n", "-q"]));
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    assert!(!r.stderr.contains("warning"), "{}", r.stderr);

    // Labels whose ids match no document are counted.
    let mut labels = String::from("id,label\n");
    for (id, label) in hand_labels() {
        labels += &format!("{id},{label}\n");
    }
    labels += "nosuch#1,grok\n";
    let labels = write("one-more.csv", &labels);
    let r = run(["cluster", NEWS, "--k", "4", "-q", "--labels", &labels]);
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    assert!(
        r.stderr
            .contains("1 of its 75 labels have an id that matches no document"),
        "{}",
        r.stderr
    );
    // A link to a directory inside an input directory is named, not entered.
    #[cfg(unix)]
    {
        let tree = dir.path().join("tree");
        fs::create_dir_all(tree.join("own")).unwrap();
        fs::write(tree.join("own/a.txt"), "cat dog\n\ncat bird\n").unwrap();
        std::os::unix::fs::symlink(fs::canonicalize(NEWS).unwrap(), tree.join("linked")).unwrap();
        let r = run(["vectorize", &arg(&tree), "--min-df", "1", "-o", "/dev/null"]);
        assert_eq!(r.code, Some(0), "{}", r.stderr);
        assert!(
            r.stderr
                .contains("linked: skipped, as it is a link to a directory"),
            "{}",
            r.stderr
        );
        assert!(r.stderr.contains("2 documents"), "{}", r.stderr);
    }

    // A topics file naming more topics than were found says which went unused.
    let topics = write(
        "topics.toml",
        "t1 = [\"monitor\"]\nt2 = [\"grok\"]\nt3 = [\"inquiry\"]\nt4 = [\"quit\"]\nt5 = [\"images\"]\n",
    );
    let r = run(["cluster", NEWS, "--k", "4", "-q", "--topics", &topics]);
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    assert_eq!(
        r.stderr
            .matches("names no cluster: the file names 5 topics and 4 were found")
            .count(),
        1,
        "{}",
        r.stderr
    );

    let r = support::run_stdin(["vectorize", "-", "-"], "cat dog\n");
    assert_eq!(r.code, Some(2), "{}", r.stderr);
    let stop = write("stop.txt", "\u{feff}cat\ndog\n");
    let vocabulary = dir.path().join("v.txt");
    let r = run([
        "vectorize",
        &records,
        "--min-df",
        "1",
        "--stop-words",
        &stop,
        "--vocabulary-out",
        &arg(&vocabulary),
    ]);
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    assert_eq!(fs::read_to_string(&vocabulary).unwrap(), "bird\nfish\n");
}

#[test]
fn bad_input_gets_a_clear_message() {
    fails(&["cluster", NEWS, "--k", "0"], 2, "k");
    fails(&["cluster", NEWS, "--k", "many"], 2, "`auto`");
    fails(
        &["cluster", NEWS, "--k", "500"],
        2,
        "only 72 of the 74 documents",
    );
    fails(&["cluster", NEWS, "--k-range", "5,3"], 2, "k_range");
    fails(&["cluster", NEWS, "--method", "dbscan"], 2, "dbscan");
    fails(&["cluster", NEWS, "--n-init", "0"], 2, "n_init");
    fails(&["cluster", NEWS, "--idf-power=-1"], 2, "idf_power");
    fails(&["cluster", NEWS, "--idf-power", "inf"], 2, "idf_power");
    fails(&["cluster", NEWS, "--n-init", "some"], 2, "`auto`");
    fails(
        &[
            "cluster",
            NEWS,
            "--refine",
            "hartigan",
            "--method",
            "lsa-kmeans",
        ],
        2,
        "--method lsa-kmeans",
    );
    fails(
        &["cluster", NEWS, "--refine", "kernighan-lin"],
        2,
        "expected auto, hartigan or none",
    );
    fails(
        &[
            "cluster",
            NEWS,
            "--method",
            "hierarchical",
            "--linkage",
            "centroid",
        ],
        2,
        "centroid",
    );
    fails(
        &["cluster", NEWS, "--distance-threshold", "0.5"],
        2,
        "hierarchical",
    );
    fails(
        &["cluster", NEWS, "--outlier-threshold", "1.5"],
        2,
        "outlier_threshold",
    );
    let dir = tmp();
    let topics = dir.path().join("bad.toml");
    fs::write(&topics, "surveillance = [\"monitor\"\ngrok = 3\n").unwrap();
    fails(&["cluster", NEWS, "--topics", &arg(&topics)], 1, "bad.toml");
    let only_stop_words = dir.path().join("stop.txt");
    fs::write(&only_stop_words, "the and of\n\nit is in\n").unwrap();
    fails(
        &["cluster", &arg(&only_stop_words), "--k", "2"],
        1,
        "empty vocabulary",
    );
    let no_labels = dir.path().join("labels.csv");
    fs::write(&no_labels, "id,label\nelsewhere#0,x\n").unwrap();
    fails(
        &["cluster", NEWS, "--k", "4", "--labels", &arg(&no_labels)],
        1,
        "no document has a label",
    );
    fails(
        &["cluster", NEWS, "--k", "4", "--labels", "missing.csv"],
        1,
        "missing.csv",
    );
}

#[test]
fn news_k4_holds_for_every_seed_and_metadata_lines_can_be_kept() {
    let dir = tmp();
    // Measured (2026-12-02): 0.652, 0.704, 0.734, 0.704, 0.734 (mean 0.706).
    let mut aris = Vec::new();
    for seed in ["0", "1", "2", "3", "4"] {
        let r = report(
            dir.path(),
            &[
                "--labels",
                LABELS,
                "--ignore-label",
                "noise",
                "--seed",
                seed,
            ],
        );
        let ari = r["metrics"]["adjusted_rand_index"].as_f64().unwrap();
        assert!(ari >= 0.63, "seed {seed}: ARI {ari}");
        assert_eq!(r["outliers"].as_array().unwrap().len(), 5, "seed {seed}");
        aris.push(ari);
    }
    let mean = aris.iter().sum::<f64>() / aris.len() as f64;
    assert!(mean >= 0.69, "mean ARI {mean} over seeds 0 to 4");
    let r = report(dir.path(), &["--keep-metadata-lines"]);
    assert!(
        r["outliers"]
            .as_array()
            .unwrap()
            .iter()
            .all(|o| o["rule"] != "metadata-line")
    );
}

/// The terminal summary counts the outliers by rule and lists the first
/// ten: a corpus of paragraphs can have thousands (the report lists all).
#[test]
fn the_summary_lists_ten_outliers_and_counts_the_rest() {
    let dir = tmp();
    for entry in fs::read_dir(NEWS).unwrap() {
        let path = entry.unwrap().path();
        fs::copy(&path, dir.path().join(path.file_name().unwrap())).unwrap();
    }
    // Twelve paragraphs of stop words only: twelve more without terms.
    let junk: Vec<&str> = ["and the", "it is", "of them"].repeat(4);
    fs::write(dir.path().join("zz-junk.txt"), junk.join("\n\n")).unwrap();
    let out = dir.path().join("report.json");
    let r = run(["cluster", &arg(dir.path()), "--k", "4", "-o", &arg(&out)]);
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    let report: Value = serde_json::from_str(&fs::read_to_string(&out).unwrap()).unwrap();
    assert_eq!(report["outliers"].as_array().unwrap().len(), 17);
    let lines: Vec<&str> = r.stdout.lines().collect();
    let at = lines
        .iter()
        .position(|l| l.starts_with("Outliers (topic -1): "))
        .expect("an outliers section");
    assert_eq!(
        lines[at],
        "Outliers (topic -1): 14 no-terms, 2 isolated, 1 metadata-line"
    );
    let listed = lines[at + 1..]
        .iter()
        .take_while(|l| l.starts_with("  - "))
        .count();
    assert_eq!(listed, 10, "{}", r.stdout);
    assert!(
        lines[at + 11].starts_with("  ... and 7 more (all of them"),
        "{}",
        r.stdout
    );
}

/// `--n-init auto` and `--refine auto` resolve by whether document context
/// blended paragraphs, and the report says what they came to.
#[test]
fn the_report_says_what_auto_runs_and_refinement_came_to() {
    let dir = tmp();
    let out = dir.path().join("r.json");
    let resolved = |extra: &[&str], input: &str| -> Value {
        let mut args = vec!["cluster", input, "--k", "4", "-q", "-o"];
        let out = arg(&out);
        args.push(&out);
        args.extend_from_slice(extra);
        let r = run(&args);
        assert_eq!(r.code, Some(0), "{args:?}: {}", r.stderr);
        let report: Value = serde_json::from_str(&fs::read_to_string(&out).unwrap()).unwrap();
        report["parameters"]["clustering"]["resolved"].clone()
    };
    // Paragraphs of articles, blended with their context: plain runs, 100
    // of them on so small a corpus (10,000 rows' worth, at most 100).
    let news = serde_json::json!({"n_init": 100, "refine": "none"});
    assert_eq!(resolved(&[], NEWS), news);
    // The same paragraphs as independent records: refined runs.
    let records = dir.path().join("news.jsonl");
    let mut jsonl = String::new();
    let corpus = topica::corpus::Corpus::read(&[NEWS], &Default::default()).unwrap();
    for (i, text) in corpus.texts().iter().enumerate() {
        jsonl.push_str(&serde_json::json!({"id": i, "text": text}).to_string());
        jsonl.push('\n');
    }
    fs::write(&records, jsonl).unwrap();
    let records = arg(&records);
    let refined = serde_json::json!({"n_init": 100, "refine": "hartigan"});
    assert_eq!(resolved(&[], &records), refined);
    assert_eq!(
        resolved(&["--refine", "none"], &records),
        serde_json::json!({"n_init": 100, "refine": "none"})
    );
    assert_eq!(
        resolved(&["--refine", "hartigan", "--n-init", "2"], NEWS),
        serde_json::json!({"n_init": 2, "refine": "hartigan"})
    );
    assert_eq!(resolved(&["--method", "hierarchical"], NEWS), Value::Null);
}

/// Each document of a report as (id, topic, score), in the report's order.
fn documents(r: &Value) -> Vec<(String, i64, f64)> {
    r["documents"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["id"].as_str().unwrap().to_string(),
                d["topic"].as_i64().unwrap(),
                d["score"].as_f64().unwrap(),
            )
        })
        .collect()
}

/// data/news as JSON Lines, one record per paragraph, `doc` naming its
/// article; `order` gives the paragraphs' order in the file.
fn news_as_records(dir: &Path, order: &[usize]) -> std::path::PathBuf {
    let corpus = topica::corpus::Corpus::read(&[NEWS], &Default::default()).unwrap();
    let docs = &corpus.documents;
    let mut jsonl = String::new();
    for &i in order {
        let d = &docs[i];
        let doc = Path::new(&*d.source).file_name().unwrap().to_str().unwrap();
        let id = format!("{doc}#{}", d.position);
        jsonl.push_str(&serde_json::json!({"id": id, "doc": doc, "text": d.text}).to_string());
        jsonl.push('\n');
    }
    let path = dir.join("news.jsonl");
    fs::write(&path, jsonl).unwrap();
    path
}

/// `--group-field` makes records the paragraphs of documents: data/news as
/// one record per paragraph, grouped by article, gives the topics, scores
/// and outliers of the plain-text files; without it, the same records stand
/// alone and the clustering is another (no context, no paragraph rules).
#[test]
fn records_grouped_by_a_field_cluster_as_the_plain_text_does() {
    let dir = tmp();
    let n = topica::corpus::Corpus::read(&[NEWS], &Default::default())
        .unwrap()
        .documents
        .len();
    let records = news_as_records(dir.path(), &(0..n).collect::<Vec<_>>());
    let text = report(dir.path(), &[]);
    let cluster = |extra: &[&str]| -> Value {
        let out = dir.path().join("records.json");
        let mut args = vec!["cluster", records.to_str().unwrap(), "--k", "4"];
        args.extend_from_slice(&["-o", out.to_str().unwrap(), "-q"]);
        args.extend_from_slice(extra);
        let r = run(&args);
        assert_eq!(r.code, Some(0), "{}", r.stderr);
        serde_json::from_str(&fs::read_to_string(out).unwrap()).unwrap()
    };
    let grouped = cluster(&["--group-field", "doc"]);
    let alone = cluster(&[]);
    assert_eq!(documents(&grouped), documents(&text));
    assert_eq!(grouped["outliers"], text["outliers"]);
    assert_eq!(grouped["topics"], text["topics"]);
    assert_eq!(grouped["parameters"]["group_field"], "doc");
    assert!(text["parameters"]["group_field"].is_null());
    // Alone, the records take in no context and no paragraph rule sets the
    // source line or the stray headlines aside.
    let topics = |r: &Value| -> Vec<i64> { documents(r).iter().map(|d| d.1).collect() };
    assert_ne!(topics(&alone), topics(&text));
    let rules = |r: &Value| -> Vec<String> {
        let outliers = r["outliers"].as_array().unwrap();
        outliers
            .iter()
            .map(|o| o["rule"].as_str().unwrap().to_string())
            .collect()
    };
    assert!(rules(&grouped).contains(&"isolated".to_string()));
    assert!(!rules(&alone).contains(&"isolated".to_string()));
}

/// A table need not be sorted by document: data/news with its three
/// articles' paragraphs interleaved (the first paragraph of each, then the
/// second of each, ...) blends each paragraph with the same neighbours, and
/// finds the outliers, and a partition and names, of the plain-text files.
#[test]
fn records_of_interleaved_documents_find_the_topics_of_the_sorted_ones() {
    let dir = tmp();
    let corpus = topica::corpus::Corpus::read(&[NEWS], &Default::default()).unwrap();
    let docs = &corpus.documents;
    // Round robin: the first paragraph of each article (files in name
    // order), then the second of each...
    let mut order: Vec<usize> = (0..docs.len()).collect();
    order.sort_by_key(|&i| (docs[i].position, docs[i].source.clone()));
    assert_ne!(order, (0..docs.len()).collect::<Vec<_>>());
    let records = news_as_records(dir.path(), &order);
    let out = dir.path().join("interleaved.json");
    let r = run([
        "cluster",
        records.to_str().unwrap(),
        "--k",
        "4",
        "--group-field",
        "doc",
        "-q",
        "-o",
        out.to_str().unwrap(),
    ]);
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    let interleaved: Value = serde_json::from_str(&fs::read_to_string(out).unwrap()).unwrap();
    let text = report(dir.path(), &[]);
    // Each document's topic, by id, and the outliers with their rules.
    let by_id = |r: &Value| -> std::collections::BTreeMap<String, i64> {
        documents(r).into_iter().map(|(id, t, _)| (id, t)).collect()
    };
    let outliers = |r: &Value| -> std::collections::BTreeSet<(String, String)> {
        r["outliers"]
            .as_array()
            .unwrap()
            .iter()
            .map(|o| {
                (
                    o["id"].as_str().unwrap().to_string(),
                    o["rule"].as_str().unwrap().to_string(),
                )
            })
            .collect()
    };
    assert_eq!(outliers(&interleaved), outliers(&text));
    assert_eq!(outliers(&text).len(), 5);
    // The blended rows are the sorted file's, in another order, so k-means
    // draws its starts from other rows: the partition found is one that the
    // plain-text files give with some seed (measured: interleaved seed 0
    // gives sorted seed 1's, ARI 0.704 against the hand labels).
    let partition = |r: &Value| -> std::collections::BTreeSet<Vec<String>> {
        let mut topics: std::collections::BTreeMap<i64, Vec<String>> = Default::default();
        for (id, t) in by_id(r) {
            topics.entry(t).or_default().push(id);
        }
        topics.into_values().collect()
    };
    let found = partition(&interleaved);
    assert_eq!(found.len(), 5); // four topics and the outliers
    let same = (0..5)
        .map(|seed| report(dir.path(), &["--seed", &seed.to_string()]))
        .find(|r| partition(r) == found);
    let Some(same) = same else {
        panic!("no seed of 0-4 gives the interleaved partition {found:?}")
    };
    let names = |r: &Value| -> std::collections::BTreeSet<String> {
        r["topics"]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| t["name"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(names(&interleaved), names(&same));
}

#[test]
fn group_field_names_missing_fields() {
    let dir = tmp();
    let n = topica::corpus::Corpus::read(&[NEWS], &Default::default())
        .unwrap()
        .documents
        .len();
    let records = news_as_records(dir.path(), &(0..n).collect::<Vec<_>>());
    let path = records.to_str().unwrap();
    fails(
        &["cluster", path, "--k", "4", "--group-field", "article"],
        1,
        "none of the 74 records has a value in a field \"article\"",
    );
    fails(
        &["cluster", NEWS, "--k", "4", "--group-field", "doc"],
        2,
        "invalid group_field: \"doc\" given, but the inputs are plain text",
    );
    // Records without the field stand alone, and a warning counts them.
    let ordered = tmp();
    let records = news_as_records(ordered.path(), &(0..n).collect::<Vec<_>>());
    let some = dir.path().join("some.jsonl");
    let text = fs::read_to_string(&records).unwrap();
    let lines: Vec<String> = text
        .lines()
        .enumerate()
        .map(|(i, l)| {
            if i < 3 {
                let mut v: Value = serde_json::from_str(l).unwrap();
                v.as_object_mut().unwrap().remove("doc");
                v.to_string()
            } else {
                l.to_string()
            }
        })
        .collect();
    fs::write(&some, lines.join("\n")).unwrap();
    let r = run([
        "cluster",
        some.to_str().unwrap(),
        "--k",
        "4",
        "--group-field",
        "doc",
        "-q",
    ]);
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    assert!(
        r.stderr
            .contains("3 of the 74 records have no value in the field \"doc\" (--group-field)"),
        "{}",
        r.stderr
    );
}
