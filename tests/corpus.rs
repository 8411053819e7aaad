//! The bundled corpus `data/news/`, read as the command line reads it by
//! default (tests run from the crate root).

mod common;

use std::path::Path;

use topica::corpus::{Corpus, Document, Format, ReadOptions, Split};

const GRIPT: &str = "01-gript-home-office-monitors-musk.txt";
const BBC: &str = "02-bbc-officials-monitor-musk-posts.txt";
const INDEPENDENT: &str = "03-independent-haigh-quit-x.txt";

fn news() -> Corpus {
    Corpus::read(&["data/news"], &ReadOptions::default()).expect("data/news reads")
}

fn of<'c>(corpus: &'c Corpus, file: &str) -> Vec<&'c Document> {
    let source = format!("data/news/{file}");
    corpus
        .documents
        .iter()
        .filter(|d| *d.source == *source)
        .collect()
}

#[test]
fn news_has_74_paragraphs_in_file_order() {
    let corpus = news();
    assert_eq!(corpus.documents.len(), 74);
    assert!(corpus.warnings.is_empty(), "{:?}", corpus.warnings);
    let counts: Vec<usize> = [GRIPT, BBC, INDEPENDENT]
        .iter()
        .map(|f| of(&corpus, f).len())
        .collect();
    assert_eq!(counts, [23, 17, 34]);
    // Files in sorted order, paragraphs in order within a file.
    let sources: Vec<&str> = corpus.documents.iter().map(|d| &*d.source).collect();
    let mut sorted = sources.clone();
    sorted.sort();
    assert_eq!(sources, sorted);
    for file in [GRIPT, BBC, INDEPENDENT] {
        for (n, d) in of(&corpus, file).iter().enumerate() {
            assert_eq!(d.position, n);
            assert_eq!(d.id, format!("{file}#{n}"));
            assert!(d.fields.is_empty());
            assert!(!d.text.is_empty() && d.text.trim() == d.text);
        }
    }
}

#[test]
fn gript_has_no_blank_lines_so_one_paragraph_per_line() {
    let corpus = news();
    let docs = of(&corpus, GRIPT);
    assert_eq!(docs[0].id, format!("{GRIPT}#0"));
    assert_eq!(
        docs[0].text,
        "The UK Home Office is monitoring the tweets of X CEO Elon Musk as well as posts by \
         other users of his platform."
    );
    assert_eq!(docs[22].id, format!("{GRIPT}#22"));
    assert_eq!(
        docs[22].text,
        "Although allegations of abuse date back as far as the 1970s, victims say that their \
         pleas for help were ignored by police who were instructed not to pursue matters in \
         order to not stir up ‘racial tensions’."
    );
    let lines: Vec<usize> = docs.iter().map(|d| d.line).collect();
    assert_eq!(lines, (1..=23).collect::<Vec<_>>());
}

#[test]
fn bbc_has_one_paragraph_per_line() {
    let corpus = news();
    let docs = of(&corpus, BBC);
    assert_eq!(docs[0].id, format!("{BBC}#0"));
    assert_eq!(
        docs[0].text,
        "UK security officials monitor Elon Musk's posts"
    );
    assert_eq!(docs[16].id, format!("{BBC}#16"));
    assert_eq!(
        docs[16].text,
        "\"They will spy on Musk's online activity, but no inquiry into thousands of foreign \
         rapists. Pathetic.\""
    );
    assert_eq!(docs[16].line, 17);
}

#[test]
fn independent_is_split_on_blank_lines_and_keeps_its_boilerplate() {
    let corpus = news();
    let docs = of(&corpus, INDEPENDENT);
    assert_eq!(docs[0].id, format!("{INDEPENDENT}#0"));
    assert_eq!(docs[0].text, "in");
    assert_eq!(docs[0].line, 1);
    assert_eq!(
        docs[1].text,
        "Former Labour minister tells Starmer’s government to quit X"
    );
    assert_eq!(docs[1].line, 3);
    assert_eq!(docs[33].id, format!("{INDEPENDENT}#33"));
    assert_eq!(
        docs[33].text,
        "Some US media are cheerleading Trump’s Venezuela raid. That’s not their job | \
         Margaret Sullivan"
    );
    let texts: Vec<&str> = docs.iter().map(|d| d.text.as_str()).collect();
    assert!(texts.contains(&"Source: UK Politics - www.independent.co.uk"));
    assert!(texts.contains(&"Tagcloud:"));
}

#[test]
fn a_file_given_by_itself_is_named_by_its_file_name() {
    let path = Path::new("data/news").join(INDEPENDENT);
    let corpus = Corpus::read(&[&path], &ReadOptions::default()).unwrap();
    assert_eq!(corpus.documents.len(), 34);
    assert_eq!(corpus.documents[0].id, format!("{INDEPENDENT}#0"));
    assert_eq!(&*corpus.documents[0].source, path.to_string_lossy());
}

#[test]
fn split_modes_change_the_paragraph_counts() {
    let count = |split| {
        let options = ReadOptions::default().with_split(split);
        Corpus::read(&["data/news"], &options)
            .unwrap()
            .documents
            .len()
    };
    assert_eq!(count(Split::Auto), 74);
    assert_eq!(count(Split::Blank), 1 + 1 + 34);
    assert_eq!(count(Split::Lines), 23 + 17 + 34);
    assert_eq!(count(Split::None), 3);
}

#[test]
fn news_as_jsonl_is_refused_with_the_line_at_fault() {
    let options = ReadOptions::default().with_format(Format::Jsonl);
    let err = Corpus::read(&["data/news"], &options).unwrap_err();
    assert_eq!(
        err.to_string(),
        format!("data/news/{GRIPT} line 1: invalid JSON: expected value at column 1")
    );
}

/// Run with `cargo test --release --test corpus -- --nocapture
/// --test-threads=1` (on an otherwise idle machine) to see the time taken.
/// Skipped, saying why, when `TOPICA_DATA_DIR` does not lead to the corpus.
#[test]
fn twenty_newsgroups_reads_every_record() {
    let Some(path) = common::reference("20newsgroups.jsonl") else {
        return;
    };
    let start = std::time::Instant::now();
    let corpus = Corpus::read(&[&path], &ReadOptions::default()).unwrap();
    let elapsed = start.elapsed();
    let bytes: usize = corpus.documents.iter().map(|d| d.text.len()).sum();
    eprintln!(
        "{}: {} documents, {:.1} MB of text in {:.1} ms",
        path.display(),
        corpus.documents.len(),
        bytes as f64 / 1e6,
        elapsed.as_secs_f64() * 1e3
    );
    assert_eq!(corpus.documents.len(), 18_846);
    assert!(corpus.warnings.is_empty(), "{:?}", corpus.warnings);
    let train = corpus
        .documents
        .iter()
        .filter(|d| d.fields["split"] == "train")
        .count();
    assert_eq!(train, 11_314);
    assert_eq!(corpus.documents[0].id, "train/alt.atheism/49960");
    assert!(corpus.documents[0].fields.contains_key("label"));
    assert!(
        corpus
            .documents
            .iter()
            .enumerate()
            .all(|(i, d)| d.position == i && d.line == i + 1)
    );
}

#[test]
fn news_reads_under_strict_far_below_the_smallest_limit() {
    let options = ReadOptions::default()
        .with_strict(true)
        .with_max_doc_bytes(Some(topica::corpus::MIN_MAX_DOC_BYTES));
    let corpus = Corpus::read(&["data/news"], &options).unwrap();
    assert_eq!(corpus, news());
}

/// The figure README.md and the corpus documentation give for the default
/// `--max-doc-bytes`: the longest post of 20 Newsgroups, 52 times under it.
#[test]
fn twenty_newsgroups_longest_post_is_far_below_the_default_limit() {
    let Some(path) = common::reference("20newsgroups.jsonl") else {
        return;
    };
    let corpus = Corpus::read(&[&path], &ReadOptions::default()).unwrap();
    let longest = corpus
        .documents
        .iter()
        .max_by_key(|d| d.text.len())
        .unwrap();
    assert_eq!(
        (longest.id.as_str(), longest.text.len()),
        ("test/comp.os.ms-windows.misc/10140", 160_616)
    );
    assert_eq!(topica::corpus::DEFAULT_MAX_DOC_BYTES / 160_616, 52);
}

#[test]
fn twenty_newsgroups_clean_keeps_its_empty_texts() {
    let Some(path) = common::reference("20newsgroups_clean.jsonl") else {
        return;
    };
    let corpus = Corpus::read(&[&path], &ReadOptions::default()).unwrap();
    assert_eq!(corpus.documents.len(), 18_846);
    let blank = corpus
        .documents
        .iter()
        .filter(|d| d.text.trim().is_empty())
        .count();
    assert_eq!(blank, 515);
}
