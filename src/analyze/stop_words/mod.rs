//! Stop-word removal: scikit-learn's English list, the lists of other
//! languages from the `stop-words` crate, or words given by the user.
//!
//! Stop words are compared with tokens after lowercasing and accent stripping,
//! and before stemming, as in scikit-learn (which has no stemmer: a stop word
//! is removed as the tokenizer produced it).
//!
//! # Example
//! ```
//! use topica::analyze::{StopWordList, StopWords};
//!
//! let english = StopWords::new(&StopWordList::English);
//! assert!(english.contains("the") && !english.contains("musk"));
//! assert_eq!(english.len(), 318);
//! let french: StopWordList = "french".parse().unwrap();
//! assert!(StopWords::new(&french).contains("avec"));
//! ```

mod english;

use std::path::Path;

use hashbrown::HashSet;
use serde::{Deserialize, Serialize};

use crate::error::Result;

/// Languages with a list in the `stop-words` crate, by the names the
/// stemmers use, with their ISO 639-1 codes.
const LANGUAGES: &[(&str, &str)] = &[
    ("arabic", "ar"),
    ("danish", "da"),
    ("dutch", "nl"),
    ("finnish", "fi"),
    ("french", "fr"),
    ("german", "de"),
    ("greek", "el"),
    ("hungarian", "hu"),
    ("italian", "it"),
    ("norwegian", "no"),
    ("portuguese", "pt"),
    ("romanian", "ro"),
    ("russian", "ru"),
    ("spanish", "es"),
    ("swedish", "sv"),
    ("tamil", "ta"),
    ("turkish", "tr"),
];

/// Which stop words to remove: the description kept in parameters and models.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum StopWordList {
    /// scikit-learn's `ENGLISH_STOP_WORDS` (318 words), `stop_words="english"`.
    English,
    /// The list of the `stop-words` crate for an ISO 639-1 code (NLTK's list
    /// where NLTK has one, else Stopwords ISO's), for example `fr`.
    Language(String),
    /// Words given explicitly, for example read from a file.
    Words(Vec<String>),
}

impl StopWordList {
    /// Reads a file of stop words: one per line, surrounding whitespace
    /// ignored, empty lines and lines starting with `#` skipped.
    pub fn from_file(path: impl AsRef<Path>) -> Result<StopWordList> {
        let path = path.as_ref();
        // As the other files topica reads: gunzipped when named `.gz`, a
        // byte order mark dropped.
        let text = crate::corpus::read_text(path)?;
        let words = text
            .lines()
            .map(str::trim)
            .filter(|w| !w.is_empty() && !w.starts_with('#'))
            .map(str::to_string)
            .collect();
        Ok(StopWordList::Words(words))
    }

    /// The names [`str::parse`] accepts, for messages.
    pub fn known_names() -> String {
        let mut names = vec!["english"];
        names.extend(LANGUAGES.iter().map(|(name, _)| *name));
        names.join(", ")
    }
}

impl std::str::FromStr for StopWordList {
    type Err = String;

    /// `english`, a language name (`french`) or a code of the `stop-words`
    /// crate (`fr`, `pl`, `zh`, ...).
    fn from_str(s: &str) -> Result<Self, String> {
        if s == "english" || s == "en" {
            return Ok(StopWordList::English);
        }
        if let Some((_, code)) = LANGUAGES.iter().find(|(name, _)| *name == s) {
            return Ok(StopWordList::Language(code.to_string()));
        }
        if stop_words::lookup(s).is_some() {
            return Ok(StopWordList::Language(s.to_string()));
        }
        Err(format!(
            "unknown stop-word list `{s}` (expected {}, a language code such as `pl`, or a file of words)",
            StopWordList::known_names()
        ))
    }
}

/// A set of stop words, ready for lookups.
#[derive(Debug, Clone, Default)]
pub struct StopWords {
    words: HashSet<Box<str>>,
}

impl StopWords {
    /// The words of `list`.
    pub fn new(list: &StopWordList) -> StopWords {
        let words: &mut dyn Iterator<Item = &str> = match list {
            StopWordList::English => &mut english::ENGLISH.iter().copied(),
            StopWordList::Language(code) => {
                &mut stop_words::lookup(code).unwrap_or_default().iter().copied()
            }
            StopWordList::Words(words) => &mut words.iter().map(String::as_str),
        };
        StopWords {
            words: words.map(Box::from).collect(),
        }
    }

    /// Whether `word` is a stop word.
    #[inline]
    pub fn contains(&self, word: &str) -> bool {
        self.words.contains(word)
    }

    /// The number of distinct stop words.
    pub fn len(&self) -> usize {
        self.words.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.words.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn english_is_scikit_learns_list() {
        let english = StopWords::new(&StopWordList::English);
        assert_eq!(english.len(), 318);
        for w in [
            "a",
            "the",
            "yourselves",
            "amoungst",
            "co",
            "thick",
            "de",
            "bill",
        ] {
            assert!(english.contains(w), "{w}");
        }
        assert!(!english.contains("The"));
    }

    #[test]
    fn languages_parse_by_name_or_code() {
        assert_eq!("german".parse(), Ok(StopWordList::Language("de".into())));
        assert_eq!("pl".parse(), Ok(StopWordList::Language("pl".into())));
        assert_eq!("en".parse(), Ok(StopWordList::English));
        let e = "klingonese".parse::<StopWordList>().unwrap_err();
        assert!(e.contains("english, arabic"), "{e}");
    }

    #[test]
    fn words_come_from_a_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("stop.txt");
        std::fs::write(&path, "# mine\n  foo \n\nbar\n").unwrap();
        let list = StopWordList::from_file(&path).unwrap();
        assert_eq!(list, StopWordList::Words(vec!["foo".into(), "bar".into()]));
        let missing = StopWordList::from_file(dir.path().join("nope.txt")).unwrap_err();
        assert!(missing.to_string().contains("nope.txt"), "{missing}");
    }
}
