//! Text analysis: turns a document's text into the features the vectorizer
//! counts, as a chain of small steps with scikit-learn's semantics.
//!
//! ```text
//! word analyzer:   lowercase -> strip accents -> tokenize -> stop words -> stem -> word n-grams
//! char analyzers:  lowercase -> strip accents -> collapse white space -> character n-grams
//! ```
//!
//! Each step lives in its own file: [`lowercase_into`], [`StripAccents`],
//! [`Tokenizer`], [`StopWords`], [`Stemmer`], [`word_ngrams`]. [`AnalyzerParams`]
//! describes a chain with scikit-learn's parameter names and defaults (and is
//! what models save); [`AnalyzerParams::build`] checks it and assembles an
//! [`Analyzer`]. scikit-learn has no stemmer; topica's runs after stop-word
//! removal, so stop words are matched against the words as written.
//!
//! # Example
//! ```
//! use topica::analyze::{Analyzer, Language, StopWordList};
//!
//! let analyzer = Analyzer::params()
//!     .stop_words(Some(StopWordList::English))
//!     .stem(Some(Language::English))
//!     .ngram_range(1, 2)
//!     .build()
//!     .unwrap();
//! assert_eq!(
//!     analyzer.analyze("The Home Office is monitoring tweets"),
//!     ["home", "offic", "monitor", "tweet", "home offic", "offic monitor", "monitor tweet"]
//! );
//! ```

mod accents;
mod lowercase;
mod ngrams;
mod python_classes;
mod python_re_tables;
mod python_regex;
mod python_word_table;
mod stem;
mod stop_words;
mod token_pattern;
mod tokenizer;
mod word_chars;

use std::borrow::Cow;

use serde::{Deserialize, Serialize};

pub use self::accents::StripAccents;
pub use self::lowercase::lowercase_into;
pub use self::ngrams::word_ngrams;
pub(crate) use self::ngrams::{char_ngrams, char_wb_ngrams, normalize_white_spaces};
pub use self::stem::{Language, Stemmer};
pub use self::stop_words::{StopWordList, StopWords};
pub use self::tokenizer::{DEFAULT_TOKEN_PATTERN, TokenPattern, Tokenizer};
use crate::error::ParamError;

/// The Unicode version of the Python whose `\w` the default tokenizer
/// follows (the table is generated from Python; see `word_chars.rs`).
pub fn python_unicode_version() -> &'static str {
    python_word_table::PYTHON_UNICODE_VERSION
}

/// What the features are: scikit-learn's `analyzer`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AnalyzerKind {
    /// Word n-grams (the default).
    #[default]
    Word,
    /// Character n-grams over the whole (whitespace-normalised) text.
    Char,
    /// Character n-grams inside words, padded with a space on either side.
    CharWb,
}

impl std::str::FromStr for AnalyzerKind {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "word" => Ok(AnalyzerKind::Word),
            "char" => Ok(AnalyzerKind::Char),
            "char_wb" | "char-wb" => Ok(AnalyzerKind::CharWb),
            _ => Err(format!(
                "unknown analyzer `{s}` (expected word, char or char_wb)"
            )),
        }
    }
}

/// The parameters of an analysis chain, with scikit-learn's names and defaults.
///
/// A consuming builder: each setter returns the parameters, and
/// [`build`](AnalyzerParams::build) checks them all.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AnalyzerParams {
    analyzer: AnalyzerKind,
    lowercase: bool,
    strip_accents: Option<StripAccents>,
    token_pattern: String,
    stop_words: Option<StopWordList>,
    stem: Option<Language>,
    ngram_range: (usize, usize),
}

impl Default for AnalyzerParams {
    fn default() -> Self {
        AnalyzerParams {
            analyzer: AnalyzerKind::Word,
            lowercase: true,
            strip_accents: None,
            token_pattern: DEFAULT_TOKEN_PATTERN.to_string(),
            stop_words: None,
            stem: None,
            ngram_range: (1, 1),
        }
    }
}

impl AnalyzerParams {
    /// Word or character features. Default: [`AnalyzerKind::Word`].
    pub fn analyzer(mut self, analyzer: AnalyzerKind) -> Self {
        self.analyzer = analyzer;
        self
    }

    /// Lowercase the text before tokenizing. Default: `true`.
    pub fn lowercase(mut self, lowercase: bool) -> Self {
        self.lowercase = lowercase;
        self
    }

    /// Strip accents after lowercasing. Default: `None`.
    pub fn strip_accents(mut self, strip_accents: Option<StripAccents>) -> Self {
        self.strip_accents = strip_accents;
        self
    }

    /// The regular expression that finds tokens (word analyzer only).
    /// Default: [`DEFAULT_TOKEN_PATTERN`], `(?u)\b\w\w+\b`.
    pub fn token_pattern(mut self, pattern: impl Into<String>) -> Self {
        self.token_pattern = pattern.into();
        self
    }

    /// Stop words to remove (word analyzer only). Default: `None`.
    pub fn stop_words(mut self, stop_words: Option<StopWordList>) -> Self {
        self.stop_words = stop_words;
        self
    }

    /// Snowball stemming after stop-word removal (word analyzer only).
    /// Default: `None`.
    pub fn stem(mut self, language: Option<Language>) -> Self {
        self.stem = language;
        self
    }

    /// The lengths of n-grams to produce, inclusive: `(1, 2)` for words and
    /// pairs of words. Default: `(1, 1)`.
    pub fn ngram_range(mut self, min_n: usize, max_n: usize) -> Self {
        self.ngram_range = (min_n, max_n);
        self
    }

    /// The analyzer kind.
    pub fn get_analyzer(&self) -> AnalyzerKind {
        self.analyzer
    }

    /// The n-gram range.
    pub fn get_ngram_range(&self) -> (usize, usize) {
        self.ngram_range
    }

    /// The stop words, if any.
    pub fn get_stop_words(&self) -> Option<&StopWordList> {
        self.stop_words.as_ref()
    }

    /// The stemming language, if any.
    pub fn get_stem(&self) -> Option<Language> {
        self.stem
    }

    /// Whether text is lowercased.
    pub fn get_lowercase(&self) -> bool {
        self.lowercase
    }

    /// Checks every parameter.
    ///
    /// Rules: `1 <= min_n <= max_n`; the token pattern compiles and has at most
    /// one capturing group; stop words, stemming and a token pattern apply to
    /// the word analyzer only (scikit-learn ignores them with a warning; topica
    /// refuses, so a saved model never carries a setting it did not use).
    pub fn check(&self) -> Result<(), ParamError> {
        self.build().map(|_| ())
    }

    /// Checks the parameters and assembles the analyzer.
    pub fn build(&self) -> Result<Analyzer, ParamError> {
        let (min_n, max_n) = self.ngram_range;
        if min_n == 0 {
            return Err(ParamError::new(
                "ngram_range",
                format!("({min_n}, {max_n}): n-grams must be at least 1 long"),
            ));
        }
        if min_n > max_n {
            return Err(ParamError::new(
                "ngram_range",
                format!("({min_n}, {max_n}): the lower bound is larger than the upper bound"),
            ));
        }
        if self.analyzer != AnalyzerKind::Word {
            let kind = if self.analyzer == AnalyzerKind::Char {
                "char"
            } else {
                "char_wb"
            };
            let unused = if self.stop_words.is_some() {
                Some("stop_words")
            } else if self.stem.is_some() {
                Some("stem")
            } else if self.token_pattern != DEFAULT_TOKEN_PATTERN {
                Some("token_pattern")
            } else {
                None
            };
            if let Some(name) = unused {
                return Err(ParamError::new(
                    name,
                    format!("applies to the word analyzer only, not to analyzer={kind}"),
                ));
            }
        }
        Ok(Analyzer {
            tokenizer: Tokenizer::pattern(&self.token_pattern)?,
            stop_words: self.stop_words.as_ref().map(StopWords::new),
            stemmer: self.stem.map(Stemmer::new),
            params: self.clone(),
        })
    }
}

/// An assembled analysis chain. Build one with [`Analyzer::params`].
#[derive(Debug, Clone)]
pub struct Analyzer {
    params: AnalyzerParams,
    tokenizer: Tokenizer,
    stop_words: Option<StopWords>,
    stemmer: Option<Stemmer>,
}

impl Default for Analyzer {
    fn default() -> Self {
        AnalyzerParams::default()
            .build()
            .expect("the defaults are valid")
    }
}

impl Analyzer {
    /// Default parameters (scikit-learn's), to adjust and then [`build`](AnalyzerParams::build).
    pub fn params() -> AnalyzerParams {
        AnalyzerParams::default()
    }

    /// The parameters this analyzer was built from.
    pub fn get_params(&self) -> &AnalyzerParams {
        &self.params
    }

    /// The features of `text`, in scikit-learn's order (the output of
    /// `TfidfVectorizer(...).build_analyzer()(text)`).
    ///
    /// This is the plain reference path; the vectorizer runs the same steps
    /// with caches and never builds these strings per occurrence.
    pub fn analyze(&self, text: &str) -> Vec<String> {
        let mut out = Vec::new();
        let mut buf = String::new();
        match self.params.analyzer {
            AnalyzerKind::Word => {
                let mut words: Vec<Cow<'_, str>> = Vec::new();
                let text = self.preprocess(text, &mut buf);
                self.tokenize(&text, |token| {
                    if let Some(word) = self.filter_token(token) {
                        words.push(Cow::Owned(word.into_owned()));
                    }
                });
                let words: Vec<&str> = words.iter().map(|w| w.as_ref()).collect();
                word_ngrams(&words, self.params.ngram_range, |g| out.push(g.to_string()));
            }
            AnalyzerKind::Char | AnalyzerKind::CharWb => {
                self.char_features(text, &mut buf, |g| out.push(g.to_string()));
            }
        }
        out
    }

    /// Lowercasing and accent stripping, the preprocessing of every analyzer.
    /// `buf` is scratch space reused across calls.
    pub(crate) fn preprocess<'a>(&self, text: &'a str, buf: &'a mut String) -> Cow<'a, str> {
        let text = if self.params.lowercase {
            lowercase_into(text, buf)
        } else {
            text
        };
        match self.params.strip_accents {
            Some(strip) => strip.strip(text),
            None => Cow::Borrowed(text),
        }
    }

    /// Tokens of preprocessed text, before stop words and stemming.
    #[inline]
    pub(crate) fn tokenize<'t>(&self, text: &'t str, sink: impl FnMut(&'t str)) {
        self.tokenizer.tokenize(text, sink)
    }

    /// Stop-word removal then stemming: the word a token becomes, or `None`
    /// when it is a stop word.
    #[inline]
    pub(crate) fn filter_token<'t>(&self, token: &'t str) -> Option<Cow<'t, str>> {
        if let Some(stop) = &self.stop_words {
            if stop.contains(token) {
                return None;
            }
        }
        Some(match &self.stemmer {
            Some(stemmer) => stemmer.stem(token),
            None => Cow::Borrowed(token),
        })
    }

    /// Whether stop words or stemming change tokens (else every token is a word).
    #[inline]
    pub(crate) fn filters_tokens(&self) -> bool {
        self.stop_words.is_some() || self.stemmer.is_some()
    }

    /// Whether tokens are stemmed (two tokens may then make one word).
    #[inline]
    pub(crate) fn stems(&self) -> bool {
        self.stemmer.is_some()
    }

    /// The character n-grams of `text` (char and char_wb analyzers).
    pub(crate) fn char_features(&self, text: &str, buf: &mut String, sink: impl FnMut(&str)) {
        let text = self.preprocess(text, buf);
        let text = normalize_white_spaces(&text);
        match self.params.analyzer {
            AnalyzerKind::CharWb => char_wb_ngrams(&text, self.params.ngram_range, sink),
            _ => char_ngrams(&text, self.params.ngram_range, sink),
        }
    }

    /// The analyzer kind.
    pub fn kind(&self) -> AnalyzerKind {
        self.params.analyzer
    }

    /// The n-gram range.
    pub fn ngram_range(&self) -> (usize, usize) {
        self.params.ngram_range
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_are_scikit_learns() {
        let a = Analyzer::default();
        assert_eq!(
            a.analyze("The UK’s Home-Office, 2025!"),
            ["the", "uk", "home", "office", "2025"]
        );
    }

    #[test]
    fn stop_words_are_removed_before_stemming() {
        // "becoming" stems to "becom", not a stop word; "becoming" itself is one.
        let a = Analyzer::params()
            .stop_words(Some(StopWordList::English))
            .stem(Some(Language::English))
            .build()
            .unwrap();
        assert_eq!(a.analyze("becoming monitors"), ["monitor"]);
    }

    #[test]
    fn ngram_range_cannot_start_at_zero() {
        let e = Analyzer::params().ngram_range(0, 2).build().unwrap_err();
        assert_eq!(e.name, "ngram_range");
    }

    #[test]
    fn ngram_range_cannot_be_reversed() {
        let e = Analyzer::params().ngram_range(3, 2).build().unwrap_err();
        assert!(e.to_string().contains("lower bound is larger"), "{e}");
    }

    #[test]
    fn char_analyzers_refuse_word_options() {
        let e = Analyzer::params()
            .analyzer(AnalyzerKind::Char)
            .stop_words(Some(StopWordList::English))
            .build()
            .unwrap_err();
        assert_eq!(e.name, "stop_words");
        let e = Analyzer::params()
            .analyzer(AnalyzerKind::CharWb)
            .stem(Some(Language::English))
            .build()
            .unwrap_err();
        assert_eq!(e.name, "stem");
        let e = Analyzer::params()
            .analyzer(AnalyzerKind::Char)
            .token_pattern(r"\w+")
            .build()
            .unwrap_err();
        assert_eq!(e.name, "token_pattern");
    }

    #[test]
    fn char_wb_lowercases_and_pads() {
        let a = Analyzer::params()
            .analyzer(AnalyzerKind::CharWb)
            .ngram_range(3, 3)
            .build()
            .unwrap();
        assert_eq!(a.analyze("Ab  c"), [" ab", "ab ", " c "]);
    }

    #[test]
    fn params_round_trip_through_json() {
        let p = Analyzer::params()
            .stop_words(Some(StopWordList::Words(vec!["x".into()])))
            .ngram_range(1, 3);
        let json = serde_json::to_string(&p).unwrap();
        assert_eq!(serde_json::from_str::<AnalyzerParams>(&json).unwrap(), p);
    }
}
