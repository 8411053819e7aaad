//! Snowball stemming through `rust-stemmers`.
//!
//! The stemmer does not lowercase: it expects lowercase input, so keep
//! `lowercase` on with it. It runs after stop-word removal. The vectorizer
//! calls it once per distinct token of each chunk of documents, never once
//! per occurrence.
//!
//! # Example
//! ```
//! use topica::analyze::{Language, Stemmer};
//!
//! let stemmer = Stemmer::new(Language::English);
//! assert_eq!(stemmer.stem("monitoring"), "monitor");
//! assert_eq!("english".parse::<Language>().unwrap(), Language::English);
//! ```

use std::borrow::Cow;
use std::fmt;

use rust_stemmers::Algorithm;
use serde::{Deserialize, Serialize};

/// The languages with a Snowball stemmer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
#[allow(missing_docs)]
pub enum Language {
    Arabic,
    Danish,
    Dutch,
    English,
    Finnish,
    French,
    German,
    Greek,
    Hungarian,
    Italian,
    Norwegian,
    Portuguese,
    Romanian,
    Russian,
    Spanish,
    Swedish,
    Tamil,
    Turkish,
}

impl Language {
    /// Every language, in alphabetical order.
    pub const ALL: [Language; 18] = [
        Language::Arabic,
        Language::Danish,
        Language::Dutch,
        Language::English,
        Language::Finnish,
        Language::French,
        Language::German,
        Language::Greek,
        Language::Hungarian,
        Language::Italian,
        Language::Norwegian,
        Language::Portuguese,
        Language::Romanian,
        Language::Russian,
        Language::Spanish,
        Language::Swedish,
        Language::Tamil,
        Language::Turkish,
    ];

    /// The lowercase name, as `FromStr` reads it.
    pub fn name(self) -> &'static str {
        match self {
            Language::Arabic => "arabic",
            Language::Danish => "danish",
            Language::Dutch => "dutch",
            Language::English => "english",
            Language::Finnish => "finnish",
            Language::French => "french",
            Language::German => "german",
            Language::Greek => "greek",
            Language::Hungarian => "hungarian",
            Language::Italian => "italian",
            Language::Norwegian => "norwegian",
            Language::Portuguese => "portuguese",
            Language::Romanian => "romanian",
            Language::Russian => "russian",
            Language::Spanish => "spanish",
            Language::Swedish => "swedish",
            Language::Tamil => "tamil",
            Language::Turkish => "turkish",
        }
    }

    fn algorithm(self) -> Algorithm {
        match self {
            Language::Arabic => Algorithm::Arabic,
            Language::Danish => Algorithm::Danish,
            Language::Dutch => Algorithm::Dutch,
            Language::English => Algorithm::English,
            Language::Finnish => Algorithm::Finnish,
            Language::French => Algorithm::French,
            Language::German => Algorithm::German,
            Language::Greek => Algorithm::Greek,
            Language::Hungarian => Algorithm::Hungarian,
            Language::Italian => Algorithm::Italian,
            Language::Norwegian => Algorithm::Norwegian,
            Language::Portuguese => Algorithm::Portuguese,
            Language::Romanian => Algorithm::Romanian,
            Language::Russian => Algorithm::Russian,
            Language::Spanish => Algorithm::Spanish,
            Language::Swedish => Algorithm::Swedish,
            Language::Tamil => Algorithm::Tamil,
            Language::Turkish => Algorithm::Turkish,
        }
    }
}

impl fmt::Display for Language {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl std::str::FromStr for Language {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, String> {
        Language::ALL
            .into_iter()
            .find(|l| l.name() == s)
            .ok_or_else(|| {
                let names: Vec<_> = Language::ALL.iter().map(|l| l.name()).collect();
                format!(
                    "unknown stemming language `{s}` (expected one of {})",
                    names.join(", ")
                )
            })
    }
}

/// A Snowball stemmer for one language.
pub struct Stemmer {
    language: Language,
    inner: rust_stemmers::Stemmer,
}

impl Stemmer {
    /// The stemmer of `language`.
    pub fn new(language: Language) -> Stemmer {
        Stemmer {
            language,
            inner: rust_stemmers::Stemmer::create(language.algorithm()),
        }
    }

    /// The stem of a lowercase word.
    #[inline]
    pub fn stem<'w>(&self, word: &'w str) -> Cow<'w, str> {
        self.inner.stem(word)
    }

    /// The language.
    pub fn language(&self) -> Language {
        self.language
    }
}

impl fmt::Debug for Stemmer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Stemmer")
            .field("language", &self.language)
            .finish()
    }
}

impl Clone for Stemmer {
    fn clone(&self) -> Self {
        Stemmer::new(self.language)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stems_english_with_porter2() {
        let s = Stemmer::new(Language::English);
        for (word, stem) in [
            ("surveillance", "surveil"),
            ("monitored", "monitor"),
            ("inquiries", "inquiri"),
            ("gangs", "gang"),
        ] {
            assert_eq!(s.stem(word), stem, "{word}");
        }
    }

    #[test]
    fn every_language_round_trips_through_its_name() {
        for l in Language::ALL {
            assert_eq!(l.name().parse::<Language>(), Ok(l));
            assert_eq!(l.to_string(), l.name());
        }
        assert!(
            "klingon"
                .parse::<Language>()
                .unwrap_err()
                .contains("english")
        );
    }
}
