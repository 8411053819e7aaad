//! Default topic labels: a topic's top terms joined, in BERTopic's style.
//!
//! # Example
//! ```
//! use topica::topics::term_label;
//!
//! assert_eq!(term_label(&["grok", "images", "ofcom", "x"]), "grok_images_ofcom");
//! assert_eq!(term_label(&["home office"]), "home office");
//! ```

/// How many terms a default label joins.
pub const LABEL_TERMS: usize = 3;

/// The default label of a topic: its first [`LABEL_TERMS`] (3) terms, best
/// first (normally the surface forms of its top c-TF-IDF terms), joined by
/// `_`.
///
/// BERTopic names a topic `"{id}_{t1}_{t2}_{t3}_{t4}"`; topica leaves out the
/// id (reports carry it beside the name) and keeps three terms. Words of an
/// n-gram keep their spaces (`"home office_musk_posts"`). Fewer terms give a
/// shorter label, none an empty one.
pub fn term_label(terms: &[&str]) -> String {
    terms
        .iter()
        .take(LABEL_TERMS)
        .copied()
        .collect::<Vec<_>>()
        .join("_")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn joins_at_most_three_terms() {
        assert_eq!(term_label(&["a", "b", "c", "d"]), "a_b_c");
        assert_eq!(term_label(&["a", "b"]), "a_b");
        assert_eq!(term_label(&[]), "");
    }
}
