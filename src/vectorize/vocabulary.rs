//! The vocabulary: terms in column order, with a lookup from term to column.

use std::hash::BuildHasher;
use std::path::Path;
use std::sync::OnceLock;

use hashbrown::{DefaultHashBuilder, HashTable};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::error::{Error, Result};
use crate::report::write_atomically;

/// The terms of a document-term matrix in column order (sorted, as in
/// scikit-learn, unless a fixed vocabulary was given).
///
/// # Example
/// ```
/// use topica::vectorize::Vocabulary;
///
/// let vocabulary = Vocabulary::new(vec!["grok".into(), "musk".into()]);
/// assert_eq!(vocabulary.get("musk"), Some(1));
/// assert_eq!(vocabulary.term(0), "grok");
/// assert_eq!(vocabulary.get("x"), None);
/// ```
#[derive(Default)]
pub struct Vocabulary {
    terms: Vec<String>,
    /// Column indices, hashed by their term; built at the first lookup (fitting
    /// and transforming the fitting corpus never need it).
    index: OnceLock<(DefaultHashBuilder, HashTable<u32>)>,
}

impl Vocabulary {
    /// A vocabulary of `terms`, in column order. Terms must be distinct.
    pub fn new(terms: Vec<String>) -> Vocabulary {
        debug_assert!(u32::try_from(terms.len()).is_ok());
        Vocabulary {
            terms,
            index: OnceLock::new(),
        }
    }

    /// The terms, in column order.
    pub fn terms(&self) -> &[String] {
        &self.terms
    }

    /// The term of column `column`.
    ///
    /// # Panics
    /// When `column >= self.len()`.
    pub fn term(&self, column: usize) -> &str {
        &self.terms[column]
    }

    /// The column of `term`, if it is in the vocabulary.
    pub fn get(&self, term: &str) -> Option<usize> {
        let (hasher, table) = self.index.get_or_init(|| {
            let hasher = DefaultHashBuilder::default();
            let mut table = HashTable::with_capacity(self.terms.len());
            for (i, t) in self.terms.iter().enumerate() {
                table.insert_unique(hasher.hash_one(t.as_str()), i as u32, |&j| {
                    hasher.hash_one(self.terms[j as usize].as_str())
                });
            }
            (hasher, table)
        });
        table
            .find(hasher.hash_one(term), |&j| self.terms[j as usize] == term)
            .map(|&j| j as usize)
    }

    /// Writes the terms one per line, in column order, atomically. A term
    /// holding a line break or a backslash (possible with character n-grams or
    /// a custom token pattern) is escaped as `\n`, `\r` and `\\`; the empty
    /// term (which a token pattern like scikit-learn's `(a+)|b` finds, its
    /// group matching nothing) is written `\e`, so that an empty line is never
    /// a term.
    pub fn write(&self, path: impl AsRef<Path>) -> Result<()> {
        write_atomically(path, |w| self.write_to(w))
    }

    /// Writes the terms to `w` as [`write`](Self::write) does.
    pub fn write_to(&self, w: &mut dyn std::io::Write) -> std::io::Result<()> {
        {
            for term in &self.terms {
                if term.is_empty() {
                    writeln!(w, "\\e")?;
                } else if term.contains(['\n', '\r', '\\']) {
                    let escaped = term
                        .replace('\\', "\\\\")
                        .replace('\n', "\\n")
                        .replace('\r', "\\r");
                    writeln!(w, "{escaped}")?;
                } else {
                    writeln!(w, "{term}")?;
                }
            }
            Ok(())
        }
    }

    /// Reads a vocabulary written by [`write`](Self::write): one term per line,
    /// in column order. Fails on a duplicate term or an empty line, naming
    /// its line (the empty term is written `\e`).
    pub fn read(path: impl AsRef<Path>) -> Result<Vocabulary> {
        let path = path.as_ref();
        // Gunzipped when named `.gz`, as outputs so named are written.
        let text = crate::corpus::read_text(path)?;
        let mut terms = Vec::new();
        let mut seen = hashbrown::HashSet::new();
        for (i, line) in text.lines().enumerate() {
            if line.is_empty() {
                return Err(Error::input(
                    path,
                    Some(i + 1),
                    "empty line; a vocabulary has one term per line (the empty term is \
                     written `\\e`)",
                ));
            }
            let term = if line == "\\e" {
                String::new()
            } else {
                unescape(line)
            };
            if !seen.insert(term.clone()) {
                return Err(Error::input(
                    path,
                    Some(i + 1),
                    format!("`{term}` appears twice"),
                ));
            }
            terms.push(term);
        }
        if terms.is_empty() {
            return Err(Error::input(path, None, "the vocabulary is empty"));
        }
        Ok(Vocabulary::new(terms))
    }

    /// The number of terms.
    pub fn len(&self) -> usize {
        self.terms.len()
    }

    /// Whether there are no terms.
    pub fn is_empty(&self) -> bool {
        self.terms.is_empty()
    }
}

/// Undoes the escapes of [`Vocabulary::write`].
fn unescape(line: &str) -> String {
    if !line.contains('\\') {
        return line.to_string();
    }
    let mut out = String::with_capacity(line.len());
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('n') => out.push('\n'),
            Some('r') => out.push('\r'),
            Some(other) => out.push(other),
            None => out.push('\\'),
        }
    }
    out
}

impl std::fmt::Debug for Vocabulary {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Vocabulary")
            .field("len", &self.terms.len())
            .finish()
    }
}

impl Clone for Vocabulary {
    fn clone(&self) -> Self {
        Vocabulary::new(self.terms.clone())
    }
}

impl PartialEq for Vocabulary {
    fn eq(&self, other: &Self) -> bool {
        self.terms == other.terms
    }
}

impl Serialize for Vocabulary {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.terms.serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for Vocabulary {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Vec::<String>::deserialize(deserializer).map(Vocabulary::new)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn looks_up_every_term() {
        let terms: Vec<String> = (0..1000).map(|i| format!("t{i}")).collect();
        let v = Vocabulary::new(terms.clone());
        for (i, t) in terms.iter().enumerate() {
            assert_eq!(v.get(t), Some(i));
        }
        assert_eq!(v.get("t1000"), None);
        assert_eq!(v.len(), 1000);
    }

    #[test]
    fn writes_and_reads_terms_with_line_breaks() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("vocab.txt");
        let v = Vocabulary::new(vec![
            "a\nb".into(),
            "c\\d".into(),
            "plain".into(),
            " x\r".into(),
            String::new(),
            "\\e".into(),
        ]);
        v.write(&path).unwrap();
        assert_eq!(
            std::fs::read_to_string(&path).unwrap(),
            "a\\nb\nc\\\\d\nplain\n x\\r\n\\e\n\\\\e\n"
        );
        assert_eq!(Vocabulary::read(&path).unwrap(), v);

        // An empty line is a mistake, not the empty term.
        std::fs::write(&path, "musk\n\ngrok\n").unwrap();
        let e = Vocabulary::read(&path).unwrap_err().to_string();
        assert!(e.ends_with("vocab.txt line 2: empty line; a vocabulary has one term per line (the empty term is written `\\e`)"), "{e}");
    }

    #[test]
    fn reading_refuses_duplicates_and_names_the_line() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("vocab.txt");
        std::fs::write(&path, "musk\ngrok\nmusk\n").unwrap();
        let e = Vocabulary::read(&path).unwrap_err().to_string();
        assert!(e.ends_with("vocab.txt line 3: `musk` appears twice"), "{e}");
    }

    #[test]
    fn serializes_as_a_list() {
        let v = Vocabulary::new(vec!["a".into(), "b".into()]);
        let json = serde_json::to_string(&v).unwrap();
        assert_eq!(json, r#"["a","b"]"#);
        assert_eq!(serde_json::from_str::<Vocabulary>(&json).unwrap(), v);
    }
}
