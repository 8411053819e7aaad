//! Topic labels on real text: c-TF-IDF against BERTopic's formula (fixture
//! written by `tests/bertopic_ctfidf.py`), surface forms of stems, and guided
//! naming of the hand-labelled clusters of `data/news`.

mod common;

use std::collections::HashMap;

use serde_json::Value;
use topica::analyze::{Analyzer, Language, StopWordList};
use topica::corpus::{Corpus, ReadOptions};
use topica::topics::{CTfIdf, GuidedTopics, SurfaceForms, term_label};
use topica::vectorize::{TfidfParams, TfidfVectorizer};

/// The hand labels' topics, in `tests/bertopic_ctfidf.py`'s numbering;
/// `noise` is the outlier -1.
const TOPICS: [&str; 4] = ["surveillance", "grooming", "grok", "boycott"];

fn news() -> Corpus {
    Corpus::read(&["data/news"], &ReadOptions::default()).unwrap()
}

/// Each paragraph's hand label as a topic of [`TOPICS`] (-1 for noise).
fn hand_labels(corpus: &Corpus) -> Vec<i64> {
    let text = std::fs::read_to_string("data/news-labels.csv").unwrap();
    let by_id: HashMap<&str, i64> = text
        .lines()
        .skip(1)
        .map(|line| {
            let (id, label) = line.rsplit_once(',').unwrap();
            let topic = TOPICS.iter().position(|&t| t == label);
            (id, topic.map_or(-1, |t| t as i64))
        })
        .collect();
    corpus
        .documents
        .iter()
        .map(|d| by_id[d.id.as_str()])
        .collect()
}

/// The news paragraphs' vectorizer with `--stop-words english --stem english`.
fn stemming() -> TfidfParams {
    TfidfVectorizer::params()
        .stop_words(Some(StopWordList::English))
        .stem(Some(Language::English))
}

fn fixture() -> Value {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/topics/ctfidf_news.json"
    );
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

#[test]
fn ctfidf_matches_bertopic_on_the_news_paragraphs() {
    let f = fixture();
    let corpus = news();
    let ids: Vec<&str> = corpus.documents.iter().map(|d| d.id.as_str()).collect();
    let expected_ids: Vec<&str> = f["ids"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    assert_eq!(ids, expected_ids);
    let labels = hand_labels(&corpus);
    let expected_labels: Vec<i64> = f["labels"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_i64().unwrap())
        .collect();
    assert_eq!(labels, expected_labels);
    let k = f["k"].as_u64().unwrap() as usize;
    assert_eq!(k, 4);

    let texts = corpus.texts();
    for config in f["configs"].as_array().unwrap() {
        let name = config["name"].as_str().unwrap();
        let (model, _, counts) = common::tfidf_params(&config["params"])
            .fit_transform_with_counts(&texts)
            .unwrap();
        let vocabulary: Vec<&str> = config["vocabulary"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_str().unwrap())
            .collect();
        assert_eq!(model.vocabulary().terms(), vocabulary, "{name}: vocabulary");

        let ctfidf = CTfIdf::fit(counts.matrix(), &labels, k).unwrap();
        assert_eq!(ctfidf.n_topics(), k);
        let mut compared = 0;
        for (topic, expected) in config["weights"].as_array().unwrap().iter().enumerate() {
            let expected: Vec<(usize, f64)> = expected
                .as_array()
                .unwrap()
                .iter()
                .map(|e| (e[0].as_u64().unwrap() as usize, e[1].as_f64().unwrap()))
                .collect();
            let actual: Vec<(usize, f64)> = ctfidf.terms(topic).collect();
            let terms = |v: &[(usize, f64)]| v.iter().map(|e| e.0).collect::<Vec<_>>();
            assert_eq!(
                terms(&actual),
                terms(&expected),
                "{name}: terms of topic {topic}"
            );
            for (&(term, a), &(_, b)) in actual.iter().zip(&expected) {
                assert!(
                    (a - b).abs() <= 1e-12,
                    "{name}: topic {topic} `{}`: {a} against BERTopic's {b}",
                    vocabulary[term]
                );
                assert_eq!(ctfidf.weight(topic, term), a);
                compared += 1;
            }
            let top: Vec<usize> = ctfidf.top_terms(topic, 10).iter().map(|e| e.0).collect();
            let expected_top: Vec<usize> = config["top10"][topic]
                .as_array()
                .unwrap()
                .iter()
                .map(|v| v.as_u64().unwrap() as usize)
                .collect();
            assert_eq!(top, expected_top, "{name}: top terms of topic {topic}");
        }
        assert!(compared > 100, "{name}: only {compared} weights");
        // Terms only the noise paragraphs use have no weight anywhere.
        let used: usize = (0..k).map(|c| ctfidf.terms(c).count()).sum();
        assert_eq!(used, compared);
    }
}

#[test]
fn ctfidf_does_not_depend_on_the_thread_count() {
    let corpus = news();
    let labels = hand_labels(&corpus);
    let (_, _, counts) = stemming()
        .ngram_range(1, 2)
        .fit_transform_with_counts(&corpus.texts())
        .unwrap();
    let fit = || CTfIdf::fit(counts.matrix(), &labels, 4).unwrap();
    let one = rayon::ThreadPoolBuilder::new()
        .num_threads(1)
        .build()
        .unwrap()
        .install(fit);
    let four = rayon::ThreadPoolBuilder::new()
        .num_threads(4)
        .build()
        .unwrap()
        .install(fit);
    assert_eq!(one, four);
}

#[test]
fn surface_forms_are_words_of_the_text_that_stem_to_the_term() {
    let corpus = news();
    let texts = corpus.texts();
    let model = stemming().ngram_range(1, 2).fit(&texts).unwrap();
    let forms = SurfaceForms::collect(&model, &texts);
    let vocabulary = model.vocabulary();
    let surface = |term: &str| forms.surface(vocabulary.get(term).unwrap());
    assert_eq!(surface("monitor"), "monitoring");
    assert_eq!(surface("surveil"), "surveillance");
    assert_eq!(surface("inquiri"), "inquiry");
    assert_eq!(surface("home offic"), "home office");

    // Reference: the same analysis without the stemmer, counted naively.
    let unstemmed = Analyzer::params()
        .stop_words(Some(StopWordList::English))
        .build()
        .unwrap();
    let mut occurrences: HashMap<String, u64> = HashMap::new();
    for text in &texts {
        for word in unstemmed.analyze(text) {
            *occurrences.entry(word).or_insert(0) += 1;
        }
    }
    let stemmer = topica::analyze::Stemmer::new(Language::English);
    let mut best: HashMap<String, (u64, String)> = HashMap::new();
    for (word, &n) in &occurrences {
        let stem = stemmer.stem(word).into_owned();
        let entry = best.entry(stem).or_insert((0, String::new()));
        if n > entry.0 || (n == entry.0 && *word < entry.1) {
            *entry = (n, word.clone());
        }
    }
    let mut changed = 0;
    for (column, term) in vocabulary.terms().iter().enumerate() {
        let expected: Vec<&str> = term.split(' ').map(|w| best[w].1.as_str()).collect();
        let form = forms.surface(column);
        assert_eq!(form, expected.join(" "), "`{term}`");
        for (word, stem) in form.split(' ').zip(term.split(' ')) {
            assert!(
                occurrences.contains_key(word),
                "`{word}` is not a word of the text"
            );
            assert_eq!(stemmer.stem(word), stem);
        }
        changed += usize::from(form != term);
    }
    assert!(
        changed > 100,
        "only {changed} terms read differently from their stems"
    );
}

/// Writes `text` to a topics file in a temporary directory.
fn topics_file(text: &str) -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("topics.toml");
    std::fs::write(&path, text).unwrap();
    (dir, path)
}

const SEEDS: &str = r#"
# The four hand-labelled topics of data/news.
surveillance = ["Monitoring", "surveillance", "homeland"]
grooming = ["grooming", "inquiry"]
grok = ["Grok", "images"]
boycott = ["boycott", "quit"]
"#;

/// The stemmed model, its c-TF-IDF on the hand labels numbered by `order`
/// (cluster `c` is the hand label `order[c]`), and the noise as outliers.
fn clustered(order: &[&str]) -> (TfidfVectorizer, CTfIdf) {
    let corpus = news();
    let hand = hand_labels(&corpus);
    let labels: Vec<i64> = hand
        .iter()
        .map(|&l| match l {
            -1 => -1,
            l => order
                .iter()
                .position(|&t| t == TOPICS[l as usize])
                .map_or(-1, |c| c as i64),
        })
        .collect();
    let (model, _, counts) = stemming()
        .ngram_range(1, 2)
        .fit_transform_with_counts(&corpus.texts())
        .unwrap();
    let ctfidf = CTfIdf::fit(counts.matrix(), &labels, order.len()).unwrap();
    (model, ctfidf)
}

fn names(matching: &topica::topics::Matching) -> Vec<Option<&str>> {
    matching.names.iter().map(|n| n.as_deref()).collect()
}

#[test]
fn guided_names_match_each_hand_labelled_cluster_to_its_own_name() {
    // Clusters numbered in another order than the file's names.
    let order = ["boycott", "grok", "surveillance", "grooming"];
    let (model, ctfidf) = clustered(&order);
    let (_dir, path) = topics_file(SEEDS);
    let guided = GuidedTopics::read(&path).unwrap();
    let matching = guided.match_topics(&ctfidf, &model);
    assert_eq!(names(&matching), order.map(Some));
    assert!(matching.warnings.is_empty(), "{:?}", matching.warnings);
    // Each cluster scores its own name highest.
    for (c, row) in matching.scores.iter().enumerate() {
        let best = (0..row.len())
            .max_by(|&a, &b| row[a].total_cmp(&row[b]))
            .unwrap();
        assert_eq!(guided.topics()[best].name, order[c], "{row:?}");
    }
}

#[test]
fn unknown_seeds_warn_with_the_topic_and_the_seed() {
    let (model, ctfidf) = clustered(&TOPICS);
    let (_dir, path) = topics_file(
        "surveillance = [\"monitoring\", \"zeppelin\"]\ngrok = [\"grok\"]\nweather = [\"rain\", \"the\"]\n",
    );
    let matching = GuidedTopics::read(&path)
        .unwrap()
        .match_topics(&ctfidf, &model);
    let file = path.display();
    assert_eq!(
        matching.warnings,
        [
            format!(
                "{file} line 1: topic `surveillance`: seed `zeppelin` is not in the vocabulary"
            ),
            format!("{file} line 3: topic `weather`: seed `rain` is not in the vocabulary"),
            format!(
                "{file} line 3: topic `weather`: seed `the` has no words the vectorizer keeps (stop words only?)"
            ),
            format!(
                "{file} line 3: topic `weather`: none of its seeds is in the vocabulary, so it names no cluster"
            ),
        ]
    );
    assert_eq!(
        names(&matching),
        [Some("surveillance"), None, Some("grok"), None]
    );
    assert!(matching.scores.iter().all(|row| row[2] == 0.0));
}

#[test]
fn bad_topics_files_name_the_file_and_the_line() {
    let (_dir, path) = topics_file("grok = [\"grok\"]\n\nboycott = [\"quit\",\n");
    let e = GuidedTopics::read(&path).unwrap_err().to_string();
    assert!(
        e.starts_with(&format!("{} line 3: invalid TOML", path.display())),
        "{e}"
    );

    let (_dir, path) = topics_file("grok = [\"grok\"]\nboycott = [\"quit\", 7]\n");
    let e = GuidedTopics::read(&path).unwrap_err().to_string();
    assert_eq!(
        e,
        format!(
            "{} line 2: `boycott`: seed 2 is an integer, not a string; quote it",
            path.display()
        )
    );

    let missing = path.with_file_name("missing.toml");
    let e = GuidedTopics::read(&missing).unwrap_err().to_string();
    assert!(e.starts_with(&missing.display().to_string()), "{e}");
}

#[test]
fn more_names_than_clusters_and_more_clusters_than_names() {
    // Two clusters, four names.
    let (model, ctfidf) = clustered(&["grooming", "grok"]);
    let guided = GuidedTopics::parse(SEEDS, "seeds.toml").unwrap();
    let matching = guided.match_topics(&ctfidf, &model);
    assert_eq!(names(&matching), [Some("grooming"), Some("grok")]);
    assert_eq!(matching.scores.len(), 2);
    assert!(matching.scores.iter().all(|row| row.len() == 4));

    // Four clusters, two names: the others keep no name.
    let (model, ctfidf) = clustered(&TOPICS);
    let guided = GuidedTopics::parse(
        "boycott = [\"quit\", \"boycott\"]\nsurveillance = [\"homeland\"]\n",
        "two.toml",
    )
    .unwrap();
    let matching = guided.match_topics(&ctfidf, &model);
    assert_eq!(
        names(&matching),
        [Some("surveillance"), None, None, Some("boycott")]
    );
}

#[test]
fn default_labels_read_as_words() {
    let (model, ctfidf) = clustered(&TOPICS);
    let corpus = news();
    let texts = corpus.texts();
    let forms = SurfaceForms::collect(&model, &texts);
    let labels: Vec<String> = (0..4)
        .map(|c| {
            let top: Vec<&str> = ctfidf
                .top_terms(c, 3)
                .iter()
                .map(|&(t, _)| forms.surface(t))
                .collect();
            term_label(&top)
        })
        .collect();
    // "monitor" and "offic" are stems; the labels show the words.
    assert_eq!(
        labels,
        [
            "monitoring_office_musk",
            "abuse_inquiry_victims",
            "grok_images_action",
            "government_use_platform"
        ]
    );
}

#[test]
fn newsgroups_are_named_by_their_seeds() {
    let Some(path) = common::reference("20newsgroups_clean.jsonl") else {
        return;
    };
    let corpus = Corpus::read(&[path], &ReadOptions::default()).unwrap();
    let group = |d: &topica::corpus::Document| d.fields["label"].as_str().unwrap().to_string();
    let mut groups: Vec<String> = corpus.documents.iter().map(group).collect();
    groups.sort();
    groups.dedup();
    assert_eq!(groups.len(), 20);
    let labels: Vec<i64> = corpus
        .documents
        .iter()
        .map(|d| groups.binary_search(&group(d)).unwrap() as i64)
        .collect();
    let texts = corpus.texts();
    let (model, _, counts) = stemming()
        .min_df(5u64)
        .max_df(0.5)
        .fit_transform_with_counts(&texts)
        .unwrap();
    let ctfidf = CTfIdf::fit(counts.matrix(), &labels, groups.len()).unwrap();

    // Every surface form is a word that stems to its term.
    let forms = SurfaceForms::collect(&model, &texts);
    let stemmer = topica::analyze::Stemmer::new(Language::English);
    for (column, term) in model.vocabulary().terms().iter().enumerate() {
        assert_eq!(stemmer.stem(forms.surface(column)), term.as_str());
    }

    let guided = GuidedTopics::parse(
        r#"
        hockey = ["hockey", "NHL"]
        space = ["NASA", "orbit"]
        cryptography = ["encryption", "Clipper chip"]
        baseball = ["baseball", "pitcher"]
        guns = ["firearms", "guns"]
        medicine = ["patients", "disease"]
        motorcycles = ["motorcycle", "riding"]
        "#,
        "newsgroups.toml",
    )
    .unwrap();
    let matching = guided.match_topics(&ctfidf, &model);
    assert!(matching.warnings.is_empty(), "{:?}", matching.warnings);
    let expected: HashMap<&str, &str> = [
        ("rec.sport.hockey", "hockey"),
        ("sci.space", "space"),
        ("sci.crypt", "cryptography"),
        ("rec.sport.baseball", "baseball"),
        ("talk.politics.guns", "guns"),
        ("sci.med", "medicine"),
        ("rec.motorcycles", "motorcycles"),
    ]
    .into();
    for (c, g) in groups.iter().enumerate() {
        assert_eq!(
            matching.names[c].as_deref(),
            expected.get(g.as_str()).copied(),
            "{g}: {:?}",
            matching.scores[c]
        );
    }
    let top: Vec<&str> = ctfidf
        .top_terms(
            groups.iter().position(|g| g == "rec.sport.hockey").unwrap(),
            10,
        )
        .iter()
        .map(|&(t, _)| forms.surface(t))
        .collect();
    println!("rec.sport.hockey: {}", top.join(", "));
    assert!(top.contains(&"hockey"), "{top:?}");
}
