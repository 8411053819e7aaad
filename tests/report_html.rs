//! End-to-end tests of `topica cluster --coords` and `topica report`: the
//! report carries a finite point for every document, the HTML page is
//! self-contained, names every topic, escapes the paragraphs, and renders in
//! headless Chromium without a script error; bad input gets a one-line
//! message naming the file and a non-zero exit.
//!
//! The Chromium checks skip with a message when no browser is on `PATH`
//! (`chromium`, `chromium-browser`, `google-chrome`), unless
//! `TOPICA_REQUIRE_CHROMIUM=1` (set by `.ci/run`), which makes them fail.

#[path = "cli/support.rs"]
mod support;

use std::fs;
use std::path::{Path, PathBuf};
use std::time::Duration;

use serde_json::Value;
use support::{NEWS, generated_paragraphs, run, write};

fn tmp() -> tempfile::TempDir {
    tempfile::tempdir().expect("a temporary directory")
}

fn arg(path: &Path) -> &str {
    path.to_str().expect("UTF-8 temporary path")
}

/// `topica cluster INPUT --k K --coords 2 -o DIR/r.json` then `topica report
/// DIR/r.json -o DIR/r.html`: the report and the page.
fn cluster_and_render(dir: &Path, input: &str, k: &str) -> (Value, PathBuf) {
    let json = dir.join("r.json");
    let html = dir.join("r.html");
    let r = run([
        "cluster",
        input,
        "--k",
        k,
        "--coords",
        "2",
        "-o",
        arg(&json),
        "-q",
    ]);
    assert_eq!(r.code, Some(0), "{r:#?}");
    let r = run(["report", arg(&json), "-o", arg(&html)]);
    assert_eq!(r.code, Some(0), "{r:#?}");
    assert_eq!(r.stdout, "", "{r:#?}");
    assert!(r.stderr.contains(arg(&html)), "{r:#?}");
    let report = serde_json::from_str(&fs::read_to_string(&json).unwrap()).unwrap();
    (report, html)
}

fn topic_names(report: &Value) -> Vec<String> {
    report["topics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["name"].as_str().unwrap().to_string())
        .collect()
}

/// Every `src=`/`href=` attribute of the page points inside it (`#...`),
/// and nothing names a network address.
#[track_caller]
fn assert_self_contained(page: &str) {
    for attr in ["src=\"", "href=\"", "src='", "href='"] {
        for (at, _) in page.match_indices(attr) {
            let value = &page[at + attr.len()..];
            assert!(
                value.starts_with('#'),
                "{attr}{} leaves the page",
                &value[..value.len().min(40)]
            );
        }
    }
    for needle in [
        "http://", "https://", "url(", "@import", "<link", "<img", "<iframe",
    ] {
        assert!(!page.contains(needle), "{needle:?} in the page");
    }
}

/// The first browser on `PATH`, or `None` (then the caller skips, unless
/// `TOPICA_REQUIRE_CHROMIUM=1`, which fails).
fn chromium() -> Option<PathBuf> {
    let path = std::env::var_os("PATH").unwrap_or_default();
    for name in ["chromium", "chromium-browser", "google-chrome"] {
        for dir in std::env::split_paths(&path) {
            let candidate = dir.join(name);
            if candidate.is_file() {
                return Some(candidate);
            }
        }
    }
    if std::env::var("TOPICA_REQUIRE_CHROMIUM").is_ok_and(|v| v == "1") {
        panic!(
            "TOPICA_REQUIRE_CHROMIUM=1 but no chromium, chromium-browser or google-chrome on \
             PATH: install Debian's chromium package"
        );
    }
    eprintln!(
        "SKIPPED: the page was not rendered: no chromium, chromium-browser or google-chrome \
         on PATH (install Debian's chromium package; TOPICA_REQUIRE_CHROMIUM=1 makes this \
         a failure)"
    );
    None
}

/// Runs headless Chromium on `page` with `flags`; returns its standard output.
fn headless(browser: &Path, profile: &Path, page: &Path, flags: &[&str]) -> String {
    let url = format!("file://{}", page.canonicalize().unwrap().display());
    let out = assert_cmd::Command::new(browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            &format!("--user-data-dir={}", profile.display()),
        ])
        .args(flags)
        .arg(&url)
        .timeout(Duration::from_secs(180))
        .output()
        .expect("chromium runs");
    assert!(
        out.status.success(),
        "chromium {flags:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("the DOM is UTF-8")
}

/// The body's `data-status`, as the page's script left it.
fn status(dom: &str) -> &str {
    let body = &dom[dom.find("<body").expect("a body")..];
    let tag = &body[..body.find('>').unwrap()];
    match tag.find("data-status=\"") {
        Some(at) => {
            let value = &tag[at + 13..];
            &value[..value.find('"').unwrap()]
        }
        None => "",
    }
}

#[test]
fn the_news_report_maps_every_document_and_renders_in_a_browser() {
    let dir = tmp();
    let (report, html) = cluster_and_render(dir.path(), NEWS, "4");

    // Coordinates: every one of the 74 paragraphs, two finite numbers.
    let documents = report["documents"].as_array().unwrap();
    assert_eq!(documents.len(), 74);
    for d in documents {
        let xy: Vec<f64> = d["coords"]
            .as_array()
            .unwrap_or_else(|| panic!("no coords: {d}"))
            .iter()
            .map(|v| v.as_f64().unwrap())
            .collect();
        assert!(xy.len() == 2 && xy.iter().all(|v| v.is_finite()), "{d}");
        assert!(d["excerpt"].as_str().is_some_and(|e| !e.is_empty()), "{d}");
    }
    let info = &report["coords"];
    assert_eq!(info["dims"], 2);
    assert_eq!(info["projection"], "topic-centroid-pca");
    let explained: Vec<f64> = info["explained"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_f64().unwrap())
        .collect();
    assert!(explained.iter().all(|e| (0.0..=1.0).contains(e)), "{info}");
    assert!(info["lsa_components"].as_u64().unwrap() >= 2);
    assert_eq!(report["parameters"]["coords"], 2);

    // The page: self-contained, every topic named, a point per document.
    let page = fs::read_to_string(&html).unwrap();
    assert_self_contained(&page);
    let names = topic_names(&report);
    assert_eq!(names.len(), 4);
    for name in &names {
        assert!(page.contains(name.as_str()), "{name} not in the page");
    }
    let outliers = report["outliers"].as_array().unwrap().len();
    assert_eq!(page.matches("<circle").count(), 74 - outliers);
    assert_eq!(page.matches("class=\"pt out\"").count(), outliers);

    let Some(browser) = chromium() else { return };
    let png = dir.path().join("r.png");
    headless(
        &browser,
        &dir.path().join("profile"),
        &html,
        &[
            &format!("--screenshot={}", png.display()),
            "--window-size=1200,2000",
        ],
    );
    let bytes = fs::read(&png).expect("chromium wrote the screenshot");
    assert!(bytes.starts_with(b"\x89PNG\r\n\x1a\n"), "not a PNG");
    assert!(bytes.len() > 10_000, "a {} byte PNG", bytes.len());

    let dom = headless(
        &browser,
        &dir.path().join("profile"),
        &html,
        &["--dump-dom"],
    );
    assert_eq!(status(&dom), "ok", "the page's script did not finish");
    for name in &names {
        assert!(
            dom.contains(name.as_str()),
            "{name} not in the rendered page"
        );
    }
    assert_eq!(dom.matches("<circle").count(), 74 - outliers);
}

/// A paragraph holding markup shows as text: no script of its own runs,
/// in the file or in a browser.
#[test]
fn a_paragraph_cannot_inject_markup() {
    let dir = tmp();
    let attack = "Musk posts <script>document.body.dataset.status = 'pwned'</script> \
                  about the Home Office <img src=x onerror=\"document.title='pwned'\"> \
                  monitoring posts";
    let mut paragraphs = generated_paragraphs(30);
    paragraphs.insert(7, attack.to_string());
    let corpus = write(dir.path(), "attack.txt", paragraphs.join("\n\n"));
    let (report, html) = cluster_and_render(dir.path(), arg(&corpus), "2");
    assert!(
        report["documents"][7]["excerpt"]
            .as_str()
            .unwrap()
            .contains("<script>"),
        "the excerpt keeps the text as it is"
    );
    let page = fs::read_to_string(&html).unwrap();
    assert_self_contained(&page);
    assert_eq!(page.matches("<script").count(), 2, "only the page's own");
    assert!(page.contains("&lt;script&gt;document.body.dataset.status = &#39;pwned&#39;"));

    let Some(browser) = chromium() else { return };
    let dom = headless(
        &browser,
        &dir.path().join("profile"),
        &html,
        &["--dump-dom"],
    );
    assert_eq!(status(&dom), "ok");
    assert!(!dom.contains("<img"), "no image element was made");
    assert!(dom.contains("<title>topica: 2 topics in 31 documents</title>"));
}

#[test]
fn the_same_seed_gives_the_same_map_with_1_and_2_threads() {
    let dir = tmp();
    let coords = |threads: &str| -> String {
        let out = dir.path().join(format!("r{threads}.json"));
        let r = run([
            "--threads",
            threads,
            "cluster",
            NEWS,
            "--k",
            "4",
            "--seed",
            "5",
            "--coords",
            "3",
            "-o",
            arg(&out),
            "-q",
        ]);
        assert_eq!(r.code, Some(0), "{r:#?}");
        let report: Value = serde_json::from_str(&fs::read_to_string(&out).unwrap()).unwrap();
        assert_eq!(report["coords"]["dims"], 3);
        assert!(
            report["documents"]
                .as_array()
                .unwrap()
                .iter()
                .all(|d| d["coords"].as_array().unwrap().len() == 3)
        );
        format!("{}{}", report["coords"], report["documents"])
    };
    assert_eq!(coords("1"), coords("2"));
}

#[test]
fn coords_must_be_2_or_3() {
    for n in ["0", "1", "4"] {
        let r = run(["cluster", NEWS, "--k", "4", "--coords", n, "-q"]);
        let message = r.error(2);
        assert!(
            message.contains("--coords") && message.contains(&format!("got {n}")),
            "{message}"
        );
    }
}

#[test]
fn without_coords_the_report_has_none_and_the_page_says_so() {
    let dir = tmp();
    let json = dir.path().join("r.json");
    let r = run(["cluster", NEWS, "--k", "4", "-o", arg(&json), "-q"]);
    assert_eq!(r.code, Some(0), "{r:#?}");
    let text = fs::read_to_string(&json).unwrap();
    let report: Value = serde_json::from_str(&text).unwrap();
    assert!(report.get("coords").is_none());
    assert!(report["documents"][0].get("coords").is_none());
    assert!(report["documents"][0].get("excerpt").is_none());

    // Standard output without -o.
    let r = run(["report", arg(&json)]);
    assert_eq!(r.code, Some(0), "{r:#?}");
    assert!(r.stdout.starts_with("<!DOCTYPE html>"));
    assert!(r.stdout.contains("no coordinates") && r.stdout.contains("--coords 2"));
    for name in topic_names(&report) {
        assert!(r.stdout.contains(&name));
    }
}

#[test]
fn a_bad_report_is_named_and_fails() {
    let dir = tmp();
    let out = dir.path().join("r.html");
    let missing = dir.path().join("missing.json");
    let not_json = write(dir.path(), "notes.json", "topics: four\n");
    let future = write(dir.path(), "future.json", r#"{"format": 2, "topics": []}"#);
    let not_a_report = write(dir.path(), "other.json", r#"{"format": 1, "rows": 3}"#);
    for (file, what) in [
        (&missing, "No such file"),
        (&not_json, "not JSON"),
        (&future, "report format 2"),
        (&not_a_report, "not a topica report"),
    ] {
        let r = run(["report", arg(file), "-o", arg(&out)]);
        let message = r.error(1);
        assert!(
            message.contains(arg(file)) && message.contains(what),
            "{message}"
        );
        assert!(!out.exists(), "no page written for {}", file.display());
    }
    // A report whose parts disagree (edited by hand) is refused, not drawn.
    let good = dir.path().join("good.json");
    let r = run([
        "cluster",
        NEWS,
        "--k",
        "4",
        "--coords",
        "2",
        "-o",
        arg(&good),
        "-q",
    ]);
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    let report: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(&good).unwrap()).unwrap();
    type Edit = fn(&mut serde_json::Value);
    let edits: [(&str, Edit, &str); 3] = [
        (
            "topic.json",
            |r| r["documents"][3]["topic"] = 99.into(),
            "in topic 99, which the report does not list",
        ),
        (
            "coords.json",
            |r| r["documents"][3]["coords"] = serde_json::json!([0.1]),
            "has 1 map coordinates, where the map has 2",
        ),
        (
            "dims.json",
            |r| r["coords"]["dims"] = 5.into(),
            "its map has 5 dimensions",
        ),
    ];
    for (name, edit, what) in edits {
        let mut bad = report.clone();
        edit(&mut bad);
        let file = write(dir.path(), name, bad.to_string());
        let r = run(["report", arg(&file), "-o", arg(&out)]);
        let message = r.error(1);
        assert!(
            message.contains("an inconsistent report") && message.contains(what),
            "{message}"
        );
        assert!(!out.exists());
    }
}
