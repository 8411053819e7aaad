//! Accent stripping, scikit-learn's `strip_accents` (applied after lowercasing).
//!
//! # Example
//! ```
//! use topica::analyze::StripAccents;
//!
//! assert_eq!(StripAccents::Unicode.strip("café naïve"), "cafe naive");
//! assert_eq!(StripAccents::Ascii.strip("ﬁancé 東京"), "fiance ");
//! ```

use std::borrow::Cow;

use serde::{Deserialize, Serialize};
use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::canonical_combining_class;

/// How to strip accents.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum StripAccents {
    /// scikit-learn's `strip_accents_unicode`:
    /// ```text
    /// s                                  if s is ASCII
    /// NFKD(s) without combining marks    otherwise (canonical combining class != 0)
    /// ```
    Unicode,
    /// scikit-learn's `strip_accents_ascii`: `NFKD(s)` with every non-ASCII
    /// character dropped (letters without an ASCII decomposition vanish).
    Ascii,
}

impl StripAccents {
    /// Strips the accents of `text`.
    pub fn strip<'t>(&self, text: &'t str) -> Cow<'t, str> {
        if text.is_ascii() {
            return Cow::Borrowed(text);
        }
        Cow::Owned(match self {
            StripAccents::Unicode => text
                .nfkd()
                .filter(|&c| canonical_combining_class(c) == 0)
                .collect(),
            StripAccents::Ascii => text.nfkd().filter(char::is_ascii).collect(),
        })
    }
}

impl std::str::FromStr for StripAccents {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "unicode" => Ok(StripAccents::Unicode),
            "ascii" => Ok(StripAccents::Ascii),
            _ => Err(format!(
                "unknown accent stripping `{s}` (expected unicode or ascii)"
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ascii_text_is_borrowed_unchanged() {
        assert!(matches!(
            StripAccents::Unicode.strip("plain"),
            Cow::Borrowed("plain")
        ));
    }

    #[test]
    fn unicode_keeps_letters_without_decomposition() {
        assert_eq!(StripAccents::Unicode.strip("東京 ß Ø"), "東京 ß Ø");
        assert_eq!(StripAccents::Unicode.strip("cafe\u{301}"), "cafe");
        assert_eq!(StripAccents::Unicode.strip("ﬁ"), "fi");
    }

    #[test]
    fn ascii_drops_what_has_no_ascii_form() {
        assert_eq!(StripAccents::Ascii.strip("Ø ß é"), "  e");
    }

    #[test]
    fn parses_its_names() {
        assert_eq!("ascii".parse::<StripAccents>(), Ok(StripAccents::Ascii));
        assert!(
            "latin"
                .parse::<StripAccents>()
                .unwrap_err()
                .contains("unicode or ascii")
        );
    }
}
