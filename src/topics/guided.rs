//! Guided naming: a TOML file of named topics, each with seed words, and the
//! one-to-one matching of clusters to those names by c-TF-IDF.
//!
//! ```toml
//! # name = [seed words or phrases]
//! surveillance = ["monitor", "surveillance", "homeland"]
//! grooming = ["grooming", "inquiry"]
//! ```
//!
//! # Example
//! ```
//! use topica::topics::{CTfIdf, GuidedTopics};
//! use topica::vectorize::TfidfVectorizer;
//!
//! let docs = ["the Home Office monitors posts", "Grok made images", "Grok images again"];
//! let (model, _, counts) = TfidfVectorizer::params().fit_transform_with_counts(&docs)?;
//! let ctfidf = CTfIdf::fit(counts.matrix(), &[0, 1, 1], 2)?;
//! let guided = GuidedTopics::parse(
//!     "images = [\"Images\", \"deepfakes\"]\nsurveillance = [\"monitors\"]\n",
//!     "topics.toml",
//! )?;
//! let matching = guided.match_topics(&ctfidf, &model);
//! assert_eq!(matching.names, [Some("surveillance".to_string()), Some("images".to_string())]);
//! assert_eq!(
//!     matching.warnings,
//!     ["topics.toml line 1: topic `images`: seed `deepfakes` is not in the vocabulary"]
//! );
//! # Ok::<(), topica::Error>(())
//! ```

use std::path::{Path, PathBuf};

use toml::de::{DeTable, DeValue};

use super::assignment::maximize;
use super::ctfidf::CTfIdf;
use crate::error::{Error, Result};
use crate::vectorize::TfidfVectorizer;

/// One named topic of a topics file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GuidedTopic {
    /// Its name, the key in the file.
    pub name: String,
    /// Its seed words or phrases, as written (at least one).
    pub seeds: Vec<String>,
    /// The 1-based line of its key in the file.
    pub line: usize,
}

/// The named topics of a topics file, in the file's order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GuidedTopics {
    origin: PathBuf,
    topics: Vec<GuidedTopic>,
}

/// Which name each cluster got, and why.
#[derive(Debug, Clone, PartialEq)]
pub struct Matching {
    /// By cluster, the name matched to it, or `None` (no name left, or no
    /// name whose seeds it uses).
    pub names: Vec<Option<String>>,
    /// `scores[c][t]`: the score of name `t` (in file order) for cluster `c`,
    /// the sum of the c-TF-IDF weights of the name's seed terms in `c`.
    pub scores: Vec<Vec<f64>>,
    /// Seeds not in the vocabulary, names none of whose seeds are, each
    /// naming the file, line, topic and seed.
    pub warnings: Vec<String>,
}

impl GuidedTopics {
    /// Reads a topics file (TOML: `name = ["seed", ...]` per topic).
    ///
    /// Fails when the file cannot be read and as [`parse`](Self::parse) does.
    pub fn read(path: impl AsRef<Path>) -> Result<GuidedTopics> {
        let path = path.as_ref();
        let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
        Self::parse(&text, path)
    }

    /// Parses the text of a topics file; `origin` names it in errors and
    /// warnings.
    ///
    /// Fails, naming the origin and the line, on invalid TOML, a value that is
    /// not an array (a table included), an empty array, a seed that is not a
    /// string, an empty name, or a file without any topic.
    ///
    /// ```
    /// use topica::topics::GuidedTopics;
    ///
    /// let e = GuidedTopics::parse("grok = [\"grok\"]\nboycott = \"quit\"\n", "t.toml").unwrap_err();
    /// assert_eq!(
    ///     e.to_string(),
    ///     "t.toml line 2: `boycott` must be an array of seed words, like \
    ///      boycott = [\"word\", \"two words\"], not a string"
    /// );
    /// ```
    pub fn parse(text: &str, origin: impl AsRef<Path>) -> Result<GuidedTopics> {
        let origin = origin.as_ref();
        let line = |offset: usize| line_of(text, offset);
        let error =
            |offset: usize, message: String| Error::input(origin, Some(line(offset)), message);
        let table = DeTable::parse(text).map_err(|e| {
            let at = e.span().map(|s| line(s.start));
            Error::input(origin, at, format!("invalid TOML: {}", e.message()))
        })?;
        // The table is sorted by key; the file's order is the keys' positions.
        let mut entries: Vec<_> = table.get_ref().iter().collect();
        entries.sort_by_key(|(key, _)| key.span().start);
        let mut topics = Vec::with_capacity(entries.len());
        for (key, value) in entries {
            let name = key.get_ref().to_string();
            let at = key.span().start;
            if name.trim().is_empty() {
                return Err(error(at, "a topic's name cannot be empty".into()));
            }
            // Names go into CSV and JSON Lines rows and summaries, one line
            // each; `outlier` is topic -1's name in the assignments.
            if name.chars().any(char::is_control) {
                return Err(error(
                    at,
                    format!("the name {name:?} holds a control character (a line break, a tab)"),
                ));
            }
            if name == "outlier" {
                return Err(error(
                    at,
                    "`outlier` is the name of topic -1 in the assignments; choose another".into(),
                ));
            }
            let array = match value.get_ref() {
                DeValue::Array(array) => array,
                other => {
                    return Err(error(
                        at,
                        format!(
                            "`{name}` must be an array of seed words, like \
                             {name} = [\"word\", \"two words\"], not {}",
                            article(other.type_str())
                        ),
                    ));
                }
            };
            if array.is_empty() {
                return Err(error(
                    at,
                    format!("`{name}` has no seed words; give at least one"),
                ));
            }
            let mut seeds = Vec::with_capacity(array.len());
            for (i, seed) in array.iter().enumerate() {
                match seed.get_ref() {
                    DeValue::String(s) => seeds.push(s.to_string()),
                    other => {
                        return Err(error(
                            seed.span().start,
                            format!(
                                "`{name}`: seed {} is {}, not a string; quote it",
                                i + 1,
                                article(other.type_str())
                            ),
                        ));
                    }
                }
            }
            topics.push(GuidedTopic {
                name,
                seeds,
                line: line(at),
            });
        }
        if topics.is_empty() {
            return Err(Error::input(
                origin,
                None,
                "no topics; write one line per topic: name = [\"seed\", \"another seed\"]",
            ));
        }
        Ok(GuidedTopics {
            origin: origin.to_path_buf(),
            topics,
        })
    }

    /// The topics, in the file's order.
    pub fn topics(&self) -> &[GuidedTopic] {
        &self.topics
    }

    /// The file (or other origin) they were read from.
    pub fn origin(&self) -> &Path {
        &self.origin
    }

    /// Matches the clusters of `ctfidf` with these names, one to one.
    ///
    /// Each seed is analysed with `model`'s analyzer, so "Monitoring" finds
    /// the stem "monitor" when the model stems, stop words vanish, and a seed
    /// phrase yields its words and n-grams; the terms found in the vocabulary
    /// are the name's seed terms (each counted once). Then
    ///
    /// ```text
    /// score(c, t) = sum over the seed terms s of name t of w(c, s)    (c-TF-IDF weight)
    /// ```
    ///
    /// and clusters and names are paired one to one so that the total score
    /// is maximal (Hungarian algorithm); a pair of score 0 is never made, and
    /// a cluster without a pair keeps `None`. There may be more names than
    /// clusters or the reverse.
    ///
    /// `ctfidf` must have been fitted on counts in `model`'s columns.
    pub fn match_topics(&self, ctfidf: &CTfIdf, model: &TfidfVectorizer) -> Matching {
        let analyzer = model.analyzer();
        let vocabulary = model.vocabulary();
        let mut warnings = Vec::new();
        let mut seed_terms: Vec<Vec<usize>> = Vec::with_capacity(self.topics.len());
        for topic in &self.topics {
            let at = format!(
                "{} line {}: topic `{}`",
                self.origin.display(),
                topic.line,
                topic.name
            );
            let mut terms = Vec::new();
            for seed in &topic.seeds {
                let features = analyzer.analyze(seed);
                let before = terms.len();
                terms.extend(features.iter().filter_map(|f| vocabulary.get(f)));
                if features.is_empty() {
                    warnings.push(format!(
                        "{at}: seed `{seed}` has no words the vectorizer keeps (stop words only?)"
                    ));
                } else if terms.len() == before {
                    warnings.push(format!("{at}: seed `{seed}` is not in the vocabulary"));
                }
            }
            terms.sort_unstable();
            terms.dedup();
            if terms.is_empty() {
                warnings.push(format!(
                    "{at}: none of its seeds is in the vocabulary, so it names no cluster"
                ));
            }
            seed_terms.push(terms);
        }

        let scores: Vec<Vec<f64>> = (0..ctfidf.n_topics())
            .map(|c| {
                seed_terms
                    .iter()
                    .map(|terms| terms.iter().map(|&s| ctfidf.weight(c, s)).sum())
                    .collect()
            })
            .collect();
        let names: Vec<Option<String>> = maximize(&scores)
            .into_iter()
            .enumerate()
            .map(|(c, t)| {
                t.filter(|&t| scores[c][t] > 0.0)
                    .map(|t| self.topics[t].name.clone())
            })
            .collect();
        // A name with seed terms that names no cluster: say so (the file
        // may name more topics than were found, or two names may want the
        // same cluster).
        for (topic, terms) in self.topics.iter().zip(&seed_terms) {
            if !terms.is_empty() && !names.iter().flatten().any(|n| n == &topic.name) {
                warnings.push(format!(
                    "{} line {}: topic `{}` names no cluster: {}",
                    self.origin.display(),
                    topic.line,
                    topic.name,
                    if self.topics.len() > ctfidf.n_topics() {
                        format!(
                            "the file names {} topics and {} were found",
                            self.topics.len(),
                            ctfidf.n_topics()
                        )
                    } else {
                        "its seeds weigh nothing in the clusters left to it".to_string()
                    }
                ));
            }
        }
        Matching {
            names,
            scores,
            warnings,
        }
    }
}

/// A TOML type's name with its indefinite article: "an integer", "a table".
fn article(type_name: &str) -> String {
    let an = type_name.starts_with(['a', 'e', 'i', 'o', 'u']);
    format!("{} {type_name}", if an { "an" } else { "a" })
}

/// The 1-based line of byte `offset` in `text`.
fn line_of(text: &str, offset: usize) -> usize {
    let offset = offset.min(text.len());
    text.as_bytes()[..offset]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
        + 1
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_err(text: &str) -> String {
        GuidedTopics::parse(text, "topics.toml")
            .unwrap_err()
            .to_string()
    }

    #[test]
    fn names_keep_the_files_order() {
        let g = GuidedTopics::parse(
            "# comment\nzebra = [\"z\"]\n\nalpha = [\"a\", \"b c\"]\n'quoted name' = [\"q\"]\n",
            "t.toml",
        )
        .unwrap();
        let names: Vec<&str> = g.topics().iter().map(|t| t.name.as_str()).collect();
        assert_eq!(names, ["zebra", "alpha", "quoted name"]);
        assert_eq!(g.topics()[1].seeds, ["a", "b c"]);
        assert_eq!(g.topics()[1].line, 4);
        assert_eq!(g.origin(), Path::new("t.toml"));
    }

    #[test]
    fn invalid_toml_names_the_file_and_line() {
        let e = parse_err("a = [\"x\"]\nb = [\"y\"\n");
        assert!(e.starts_with("topics.toml line 2: invalid TOML"), "{e}");
        let e = parse_err("a = [\"x\"]\na = [\"y\"]\n");
        assert!(e.starts_with("topics.toml line 2: invalid TOML"), "{e}");
    }

    #[test]
    fn a_value_must_be_a_non_empty_array_of_strings() {
        let e = parse_err("a = [\"x\"]\n\nb = 3\n");
        assert!(
            e.starts_with("topics.toml line 3: `b` must be an array"),
            "{e}"
        );
        assert!(e.ends_with("not an integer"), "{e}");
        let e = parse_err("a = [\"x\"]\n[b]\nc = [\"y\"]\n");
        assert!(e.contains("`b` must be an array"), "{e}");
        assert!(e.ends_with("not a table"), "{e}");
        let e = parse_err("a = [\"x\"]\nb = []\n");
        assert_eq!(
            e,
            "topics.toml line 2: `b` has no seed words; give at least one"
        );
        let e = parse_err("a = [\"x\",\n  \"y\",\n  42]\n");
        assert_eq!(
            e,
            "topics.toml line 3: `a`: seed 3 is an integer, not a string; quote it"
        );
    }

    #[test]
    fn control_characters_and_the_outlier_name_are_refused() {
        assert!(parse_err("\"a\\nb\" = [\"x\"]").contains("control character"));
        assert!(parse_err("outlier = [\"x\"]").contains("topic -1"));
    }

    #[test]
    fn empty_files_and_names_are_refused() {
        let e = parse_err("# nothing\n");
        assert!(e.starts_with("topics.toml: no topics"), "{e}");
        let e = parse_err("\"\" = [\"x\"]\n");
        assert!(e.contains("line 1: a topic's name cannot be empty"), "{e}");
    }

    #[test]
    fn line_of_counts_from_one() {
        assert_eq!(line_of("ab\ncd\n", 0), 1);
        assert_eq!(line_of("ab\ncd\n", 3), 2);
        assert_eq!(line_of("ab\ncd\n", 99), 3);
    }
}
