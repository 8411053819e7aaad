//! Measures document-context blending on labeled paragraphs, to choose the
//! defaults of `topica cluster --context-*` (README.md, "Document context").
//!
//!     TOPICA_DATA_DIR=../shared/data cargo run --release --example context_defaults [SET...]
//!
//! (SET: `news`, `20ng-articles` or `reuters-r8-articles`; all three by default.)
//!
//! Two labeled sets of paragraphs that live in documents:
//! - `data/news` with `data/news-labels.csv`, k = 4, ARI on the topical
//!   paragraphs (noise excluded), mean over seeds 0-29;
//! - synthetic articles from `20newsgroups_clean.jsonl`: the posts of the
//!   4 categories of scikit-learn's clustering example, shuffled (seed 0),
//!   joined three at a time into one "article" whose paragraphs (split on
//!   blank lines) keep their post's label, so that an article changes subject
//!   twice, as the news articles do; k = 4, ARI on the paragraphs, seeds 0-1;
//! - synthetic articles from `reuters21578.jsonl` built the same way from the
//!   stories of its R8 subset (8 topics), each story split into its headline
//!   and its indented paragraphs, as a news article is: a short headline
//!   paragraph, then paragraphs of a few lines; k = 8, ARI and NMI, seeds 0-4.
//!
//! Both are clustered as `topica cluster` clusters them: TF-IDF rows with idf
//! weighted [`ClusterJob::DEFAULT_IDF_POWER`] times.
use std::collections::HashMap;

use rand::SeedableRng;
use rand::seq::SliceRandom;
use topica::analyze::StopWordList;
use topica::cluster::{ClusterParams, ContextParams, KChoice};
use topica::corpus::{Corpus, EXAMPLE_GROUPS, ReadOptions, reference_file};
use topica::job::ClusterJob;
use topica::vectorize::TfidfVectorizer;

fn ari(a: &[String], b: &[i64]) -> f64 {
    let mut ct: HashMap<(&str, i64), f64> = HashMap::new();
    let mut ra: HashMap<&str, f64> = HashMap::new();
    let mut rb: HashMap<i64, f64> = HashMap::new();
    for (x, &y) in a.iter().zip(b) {
        *ct.entry((x, y)).or_default() += 1.0;
        *ra.entry(x).or_default() += 1.0;
        *rb.entry(y).or_default() += 1.0;
    }
    let c2 = |v: f64| v * (v - 1.0) / 2.0;
    let idx: f64 = ct.values().map(|&v| c2(v)).sum();
    let sa: f64 = ra.values().map(|&v| c2(v)).sum();
    let sb: f64 = rb.values().map(|&v| c2(v)).sum();
    let exp = sa * sb / c2(a.len() as f64);
    (idx - exp) / (0.5 * (sa + sb) - exp)
}

/// Normalized mutual information (arithmetic mean of the entropies, as
/// scikit-learn's default).
fn nmi(a: &[String], b: &[i64]) -> f64 {
    let n = a.len() as f64;
    let mut ct: HashMap<(&str, i64), f64> = HashMap::new();
    let mut ra: HashMap<&str, f64> = HashMap::new();
    let mut rb: HashMap<i64, f64> = HashMap::new();
    for (x, &y) in a.iter().zip(b) {
        *ct.entry((x, y)).or_default() += 1.0;
        *ra.entry(x).or_default() += 1.0;
        *rb.entry(y).or_default() += 1.0;
    }
    let entropy = |counts: &mut dyn Iterator<Item = f64>| -> f64 {
        counts.map(|c| -c / n * (c / n).ln()).sum()
    };
    let ha = entropy(&mut ra.values().copied());
    let hb = entropy(&mut rb.values().copied());
    let mi: f64 = ct
        .iter()
        .map(|(&(x, y), &c)| c / n * (c * n / (ra[x] * rb[&y])).ln())
        .sum();
    if ha + hb == 0.0 {
        1.0
    } else {
        2.0 * mi / (ha + hb)
    }
}

struct Set {
    name: &'static str,
    texts: Vec<String>,
    groups: Vec<Option<usize>>,
    labels: Vec<String>,
    k: usize,
    seeds: u64,
}

fn news() -> anyhow::Result<Set> {
    let corpus = Corpus::read(&["data/news"], &ReadOptions::default())?;
    let labels: HashMap<String, String> = std::fs::read_to_string("data/news-labels.csv")?
        .lines()
        .skip(1)
        .filter_map(|l| {
            l.split_once(',')
                .map(|(a, b)| (a.to_string(), b.to_string()))
        })
        .collect();
    let mut sources: HashMap<String, usize> = HashMap::new();
    let groups = corpus
        .documents
        .iter()
        .map(|d| {
            let n = sources.len();
            Some(*sources.entry(d.source.to_string()).or_insert(n))
        })
        .collect();
    Ok(Set {
        name: "news",
        texts: corpus.documents.iter().map(|d| d.text.clone()).collect(),
        groups,
        labels: corpus
            .documents
            .iter()
            .map(|d| labels[&d.id].clone())
            .collect(),
        k: 4,
        seeds: 30,
    })
}

fn newsgroups_articles() -> anyhow::Result<Set> {
    let path = reference_file("20newsgroups_clean.jsonl")?;
    let corpus = Corpus::read(&[path], &ReadOptions::default())?;
    let posts: Vec<(String, String)> = corpus
        .documents
        .iter()
        .filter_map(|d| {
            let label = d.fields.get("label")?.as_str()?.to_string();
            EXAMPLE_GROUPS
                .contains(&label.as_str())
                .then(|| (d.text.clone(), label))
        })
        .collect();
    Ok(articles("20ng-articles", posts, 4, 2, |text| {
        text.split("\n\n").collect()
    }))
}

/// `stories` (text, label) shuffled (seed 0) and joined three at a time into
/// articles, each story cut into paragraphs by `paragraphs`.
fn articles(
    name: &'static str,
    mut stories: Vec<(String, String)>,
    k: usize,
    seeds: u64,
    paragraphs: impl Fn(&str) -> Vec<&str>,
) -> Set {
    stories.shuffle(&mut rand_xoshiro::Xoshiro256Plus::seed_from_u64(0));
    let (mut texts, mut groups, mut labels) = (Vec::new(), Vec::new(), Vec::new());
    for (a, article) in stories.chunks(3).enumerate() {
        for (text, label) in article {
            for p in paragraphs(text)
                .into_iter()
                .map(str::trim)
                .filter(|p| !p.is_empty())
            {
                texts.push(p.to_string());
                groups.push(Some(a));
                labels.push(label.clone());
            }
        }
    }
    Set {
        name,
        texts,
        groups,
        labels,
        k,
        seeds,
    }
}

fn reuters_articles() -> anyhow::Result<Set> {
    let path = reference_file("reuters21578.jsonl")?;
    let corpus = Corpus::read(&[path], &ReadOptions::default())?;
    let stories: Vec<(String, String)> = corpus
        .documents
        .iter()
        .filter(|d| d.fields.get("subset").and_then(|s| s.as_str()) == Some("R8"))
        .filter_map(|d| {
            let label = d.fields.get("label")?.as_str()?.to_string();
            Some((d.text.clone(), label))
        })
        .collect();
    // The headline, then the body's paragraphs (indented by 4 spaces).
    Ok(articles("reuters-r8-articles", stories, 8, 5, |text| {
        text.split("\n\n").flat_map(|p| p.split("\n    ")).collect()
    }))
}

fn main() -> anyhow::Result<()> {
    let mut sets = vec![news()?];
    match newsgroups_articles() {
        Ok(s) => sets.push(s),
        Err(e) => eprintln!("skipping the 20 Newsgroups articles: {e}"),
    }
    match reuters_articles() {
        Ok(s) => sets.push(s),
        Err(e) => eprintln!("skipping the Reuters articles: {e}"),
    }
    let grid: Vec<ContextParams> = std::iter::once(ContextParams::none())
        .chain(
            [
                (1, 0.5),
                (1, 1.0),
                (2, 0.5),
                (2, 1.0),
                (3, 0.5),
                (3, 1.0),
                (4, 1.0),
            ]
            .into_iter()
            .flat_map(|(window, weight)| {
                [1.0, 0.3, 0.1, 0.0]
                    .into_iter()
                    .map(move |floor| ContextParams {
                        window,
                        weight,
                        floor,
                    })
            }),
        )
        // Weights between 0.5 and 1 at the best floor, and wider windows.
        .chain((2..=5).flat_map(|window| {
            [0.6, 0.7, 0.8, 0.9]
                .into_iter()
                .map(move |weight| ContextParams {
                    window,
                    weight,
                    floor: 0.1,
                })
        }))
        .chain([0.5, 1.0].into_iter().map(|weight| ContextParams {
            window: 5,
            weight,
            floor: 0.1,
        }))
        .collect();
    // Sets named on the command line, or all of them.
    let only: Vec<String> = std::env::args().skip(1).collect();
    sets.retain(|s| only.is_empty() || only.iter().any(|o| o == s.name));
    for set in &sets {
        let (model, x) = TfidfVectorizer::params()
            .stop_words(Some(StopWordList::English))
            .sublinear_tf(true)
            .min_df(2u64)
            .max_df(0.5)
            .fit_transform(&set.texts)?;
        let x = &model.reweight_idf(x.matrix(), ClusterJob::DEFAULT_IDF_POWER)?;
        let scored: Vec<usize> = (0..set.texts.len())
            .filter(|&i| set.labels[i] != "noise")
            .collect();
        println!(
            "{}: {} paragraphs, {} scored, {} terms",
            set.name,
            set.texts.len(),
            scored.len(),
            x.cols()
        );
        for context in &grid {
            let mut aris = Vec::new();
            for seed in 0..set.seeds {
                let params = ClusterParams {
                    k: KChoice::Fixed(set.k),
                    seed,
                    context: *context,
                    ..Default::default()
                };
                let c = params.fit(x, &set.groups)?;
                let y: Vec<String> = scored.iter().map(|&i| set.labels[i].clone()).collect();
                let l: Vec<i64> = scored.iter().map(|&i| c.labels[i]).collect();
                aris.push((ari(&y, &l), nmi(&y, &l)));
            }
            let mean = aris.iter().map(|a| a.0).sum::<f64>() / aris.len() as f64;
            let mean_nmi = aris.iter().map(|a| a.1).sum::<f64>() / aris.len() as f64;
            println!(
                "  window {} weight {:.2} floor {:.1}: ARI {mean:.3}, NMI {mean_nmi:.3}",
                context.window, context.weight, context.floor
            );
        }
    }
    Ok(())
}
