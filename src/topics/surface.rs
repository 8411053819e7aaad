//! Surface forms: the readable word behind each stemmed vocabulary term
//! ("monitoring" for the stem "monitor"), so that topic labels read as
//! words.
//!
//! # Example
//! ```
//! use topica::analyze::{Language, StopWordList};
//! use topica::corpus::{Corpus, ReadOptions};
//! use topica::topics::SurfaceForms;
//! use topica::vectorize::TfidfVectorizer;
//!
//! let corpus = Corpus::read(&["data/news"], &ReadOptions::default())?;
//! let texts = corpus.texts();
//! let model = TfidfVectorizer::params()
//!     .stop_words(Some(StopWordList::English))
//!     .stem(Some(Language::English))
//!     .ngram_range(1, 2)
//!     .fit(&texts)?;
//! let forms = SurfaceForms::collect(&model, &texts);
//! let surface = |term: &str| forms.surface(model.vocabulary().get(term).unwrap());
//! assert_eq!(surface("surveil"), "surveillance");
//! assert_eq!(surface("home offic"), "home office");
//! # Ok::<(), topica::Error>(())
//! ```

use std::sync::Arc;

use hashbrown::HashMap;
use rayon::prelude::*;

use crate::analyze::AnalyzerKind;
use crate::vectorize::{TfidfVectorizer, Vocabulary};

/// Documents per parallel task when counting tokens (at least).
const MIN_CHUNK_DOCS: usize = 64;

/// The surface form of every term of a vocabulary.
///
/// When the vectorizer stems, a term's words are stems; the surface form of
/// a one-word term is the most frequent token (lowercased as the analyzer
/// lowercases, before stemming) that stems to it in the texts given, the
/// lexicographically smallest on ties. The surface form of an n-gram is the
/// surface forms of its words joined by single spaces: `"home offic"` reads
/// `"home office"`. (It is not the most frequent original n-gram, which would
/// need counting every n-gram of the original tokens; the word-by-word form is
/// found from token counts alone.) A word that never occurs in the texts
/// keeps its stem.
///
/// Without stemming (or with a character analyzer) the surface form of a term
/// is the term itself, and [`collect`](Self::collect) reads nothing.
#[derive(Debug, Clone)]
pub struct SurfaceForms {
    vocabulary: Arc<Vocabulary>,
    /// By column, the surface form when it differs from the term; empty when
    /// every surface form is its term.
    forms: Vec<Option<Box<str>>>,
}

/// The best token behind a stem so far: (occurrences, token).
type Best<'a> = (u64, &'a str);

/// Whether `a` is a better surface form than `b`: more frequent, then
/// lexicographically smaller.
fn better(a: Best<'_>, b: Best<'_>) -> bool {
    a.0 > b.0 || (a.0 == b.0 && a.1 < b.1)
}

impl SurfaceForms {
    /// The surface forms of `model`'s terms, from `texts` (normally the texts
    /// it was fitted on).
    ///
    /// One pass over the texts, in parallel: each chunk of documents counts
    /// its distinct tokens (analysed as the model analyses them, up to
    /// stemming), the counts are merged, each distinct token is stemmed once,
    /// and each stem keeps its most frequent token. Time and memory are
    /// linear in the text and the number of distinct tokens; the result does
    /// not depend on the number of threads.
    pub fn collect<S: AsRef<str> + Sync>(model: &TfidfVectorizer, texts: &[S]) -> SurfaceForms {
        let vocabulary = Arc::clone(model.vocabulary());
        let analyzer = model.analyzer();
        if analyzer.kind() != AnalyzerKind::Word || analyzer.get_params().get_stem().is_none() {
            return SurfaceForms {
                vocabulary,
                forms: Vec::new(),
            };
        }

        // Distinct tokens and their occurrences.
        let chunk = texts
            .len()
            .div_ceil(4 * rayon::current_num_threads())
            .max(MIN_CHUNK_DOCS);
        let tokens: HashMap<String, u64> = texts
            .par_chunks(chunk)
            .map(|docs| {
                let mut counts: HashMap<String, u64> = HashMap::new();
                let mut buf = String::new();
                for doc in docs {
                    let text = analyzer.preprocess(doc.as_ref(), &mut buf);
                    analyzer.tokenize(&text, |token| match counts.get_mut(token) {
                        Some(n) => *n += 1,
                        None => {
                            counts.insert(token.to_owned(), 1);
                        }
                    });
                }
                counts
            })
            .reduce(HashMap::new, merge_counts);

        // Each distinct token stemmed once; each stem keeps its best token.
        let tokens: Vec<(String, u64)> = tokens.into_iter().collect();
        let best: HashMap<String, Best<'_>> = tokens
            .par_iter()
            .fold(HashMap::new, |mut best, (token, n)| {
                if let Some(stem) = analyzer.filter_token(token) {
                    offer(&mut best, stem.into_owned(), (*n, token.as_str()));
                }
                best
            })
            .reduce(HashMap::new, merge_best);

        // The form of each term.
        let word = |w: &str| best.get(w).map(|&(_, token)| token);
        let forms = vocabulary
            .terms()
            .par_iter()
            .map(|term| {
                let form = match word(term) {
                    Some(token) => token.to_owned(),
                    None if term.contains(' ') => term
                        .split(' ')
                        .map(|w| word(w).unwrap_or(w))
                        .collect::<Vec<_>>()
                        .join(" "),
                    None => return None,
                };
                (form != *term).then(|| form.into_boxed_str())
            })
            .collect();
        SurfaceForms { vocabulary, forms }
    }

    /// The surface form of the term of column `term`.
    ///
    /// # Panics
    /// When `term` is not a column of the vocabulary.
    pub fn surface(&self, term: usize) -> &str {
        match self.forms.get(term) {
            Some(Some(form)) => form,
            _ => self.vocabulary.term(term),
        }
    }

    /// The vocabulary whose terms these are the forms of.
    pub fn vocabulary(&self) -> &Arc<Vocabulary> {
        &self.vocabulary
    }
}

/// Keeps `candidate` for `stem` if it is better than what `best` has.
fn offer<'a>(best: &mut HashMap<String, Best<'a>>, stem: String, candidate: Best<'a>) {
    match best.get_mut(&stem) {
        Some(current) => {
            if better(candidate, *current) {
                *current = candidate;
            }
        }
        None => {
            best.insert(stem, candidate);
        }
    }
}

/// Offers the entries of the smaller map to the larger.
fn merge_best<'a>(
    a: HashMap<String, Best<'a>>,
    b: HashMap<String, Best<'a>>,
) -> HashMap<String, Best<'a>> {
    let (mut large, small) = if a.len() >= b.len() { (a, b) } else { (b, a) };
    for (stem, candidate) in small {
        offer(&mut large, stem, candidate);
    }
    large
}

/// Adds the token counts of the smaller map into the larger.
fn merge_counts(a: HashMap<String, u64>, b: HashMap<String, u64>) -> HashMap<String, u64> {
    let (mut large, small) = if a.len() >= b.len() { (a, b) } else { (b, a) };
    for (token, n) in small {
        *large.entry(token).or_insert(0) += n;
    }
    large
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analyze::{Language, StopWordList};

    fn stemming() -> crate::vectorize::TfidfParams {
        TfidfVectorizer::params()
            .stop_words(Some(StopWordList::English))
            .stem(Some(Language::English))
    }

    fn form<'a>(forms: &'a SurfaceForms, term: &str) -> &'a str {
        forms.surface(forms.vocabulary().get(term).unwrap())
    }

    #[test]
    fn the_most_frequent_word_wins_and_ties_go_to_the_smallest() {
        let docs = [
            "Monitoring monitored monitored",
            "monitors MONITORED, the monitoring",
            "connect connected connection connections",
        ];
        let model = stemming().fit(&docs).unwrap();
        let forms = SurfaceForms::collect(&model, &docs);
        assert_eq!(form(&forms, "monitor"), "monitored");
        // connect, connected, connection: once each; connections once too.
        assert_eq!(form(&forms, "connect"), "connect");
    }

    #[test]
    fn ngrams_join_the_forms_of_their_words() {
        let docs = ["monitoring offices", "offices monitoring posts"];
        let model = stemming().ngram_range(1, 2).fit(&docs).unwrap();
        let forms = SurfaceForms::collect(&model, &docs);
        assert_eq!(form(&forms, "monitor offic"), "monitoring offices");
        // Bigrams only: the words are in no unigram column, and still found.
        let model = stemming().ngram_range(2, 2).fit(&docs).unwrap();
        let forms = SurfaceForms::collect(&model, &docs);
        assert_eq!(form(&forms, "offic monitor"), "offices monitoring");
    }

    #[test]
    fn without_stemming_terms_are_their_own_forms() {
        let docs = ["Monitoring monitored", "the monitors"];
        let model = TfidfVectorizer::params().fit(&docs).unwrap();
        let forms = SurfaceForms::collect(&model, &docs);
        assert!(forms.forms.is_empty());
        assert_eq!(form(&forms, "monitoring"), "monitoring");
    }

    #[test]
    fn words_absent_from_the_texts_keep_their_stems() {
        let docs = ["monitoring posts"];
        let model = stemming().fit(&docs).unwrap();
        let forms = SurfaceForms::collect(&model, &["nothing in common"]);
        assert_eq!(form(&forms, "monitor"), "monitor");
    }

    #[test]
    fn forms_do_not_depend_on_the_chunking() {
        let docs: Vec<String> = (0..1000)
            .map(|i| match i % 3 {
                0 => "monitoring the posts".to_string(),
                1 => "monitored posting".to_string(),
                _ => format!("monitors {i}"),
            })
            .collect();
        let model = stemming().fit(&docs).unwrap();
        let all = SurfaceForms::collect(&model, &docs);
        let one = rayon::ThreadPoolBuilder::new()
            .num_threads(1)
            .build()
            .unwrap()
            .install(|| SurfaceForms::collect(&model, &docs));
        for t in 0..model.vocabulary().len() {
            assert_eq!(all.surface(t), one.surface(t));
        }
        // 334 "monitoring", 333 "monitored", 333 "monitors".
        assert_eq!(form(&all, "monitor"), "monitoring");
    }
}
