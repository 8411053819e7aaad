//! Lowercasing with Python's `str.lower()` semantics, the first step of
//! scikit-learn's preprocessing.
//!
//! Python and Rust both apply Unicode's full lowercase mapping, including the
//! final-sigma rule (`ΟΔΟΣ` -> `οδος`) and one-to-many mappings (`İ` -> `i̇`,
//! whose dot is a combining mark and so splits a word for the tokenizer:
//! scikit-learn lowercases the whole text before tokenizing, and so does topica).
//! `tests/analysis.rs` checks every code point against Python.
//!
//! # Example
//! ```
//! use topica::analyze::lowercase_into;
//!
//! let mut buf = String::new();
//! assert_eq!(lowercase_into("Home OFFICE", &mut buf), "home office");
//! assert_eq!(lowercase_into("ΟΔΟΣ", &mut buf), "οδος");
//! ```

/// Lowercases `text` into `buf` (reusing its allocation) and returns it.
///
/// ASCII text, most of any English corpus, takes a fast path that lowercases
/// bytes in place; other text goes through `str::to_lowercase`, which needs
/// the whole string for the final-sigma rule.
pub fn lowercase_into<'b>(text: &str, buf: &'b mut String) -> &'b str {
    buf.clear();
    if text.is_ascii() {
        buf.push_str(text);
        buf.make_ascii_lowercase();
    } else {
        buf.push_str(&text.to_lowercase());
    }
    buf
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lowercases_ascii_and_unicode() {
        let mut buf = String::from("left over");
        assert_eq!(lowercase_into("MiXeD 123", &mut buf), "mixed 123");
        assert_eq!(lowercase_into("STRASSE Straße", &mut buf), "strasse straße");
        assert_eq!(lowercase_into("İ", &mut buf), "i\u{307}");
    }

    #[test]
    fn final_sigma_depends_on_position() {
        let mut buf = String::new();
        assert_eq!(lowercase_into("ΟΔΟΣ ΟΔΟΣ.", &mut buf), "οδος οδος.");
        assert_eq!(lowercase_into("ΣΑ", &mut buf), "σα");
    }
}
