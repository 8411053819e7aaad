//! The TF-IDF vectorizer's parameters: scikit-learn's `TfidfVectorizer`
//! parameters that concern words, with its names, defaults and meanings.

use serde::{Deserialize, Serialize};

use crate::analyze::{AnalyzerKind, AnalyzerParams, Language, StopWordList, StripAccents};
use crate::error::{Error, ParamError, Result};

/// A document-frequency bound, `min_df` or `max_df`: a count of documents when
/// an integer, a proportion of the corpus when a float, exactly as in
/// scikit-learn (`1` is one document, `1.0` is all of them).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum DocFreq {
    /// An absolute number of documents, at least 1.
    Count(u64),
    /// A proportion of the documents, in `[0, 1]`.
    Proportion(f64),
}

impl DocFreq {
    /// The bound in documents for a corpus of `n_documents`: the count itself,
    /// or `proportion * n_documents` (not rounded, as scikit-learn compares it).
    pub fn documents(self, n_documents: usize) -> f64 {
        match self {
            DocFreq::Count(c) => c as f64,
            DocFreq::Proportion(p) => p * n_documents as f64,
        }
    }

    fn check(self, name: &'static str) -> Result<(), ParamError> {
        match self {
            DocFreq::Count(0) => Err(ParamError::new(
                name,
                "0: a count must be at least 1 (write 0.0 for a proportion)",
            )),
            DocFreq::Proportion(p) if !(0.0..=1.0).contains(&p) => Err(ParamError::new(
                name,
                format!("{p}: a proportion must be in [0, 1] (write an integer for a count)"),
            )),
            _ => Ok(()),
        }
    }
}

impl From<u64> for DocFreq {
    fn from(count: u64) -> Self {
        DocFreq::Count(count)
    }
}

impl From<u32> for DocFreq {
    fn from(count: u32) -> Self {
        DocFreq::Count(count.into())
    }
}

impl From<f64> for DocFreq {
    fn from(proportion: f64) -> Self {
        DocFreq::Proportion(proportion)
    }
}

impl std::fmt::Display for DocFreq {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            DocFreq::Count(c) => write!(f, "{c}"),
            DocFreq::Proportion(p) => write!(f, "{p:?}"),
        }
    }
}

impl std::str::FromStr for DocFreq {
    type Err = String;

    /// `2` is a count; `0.5`, `1.0` and `1e-3` are proportions.
    fn from_str(s: &str) -> Result<Self, String> {
        let s = s.trim();
        if s.contains(['.', 'e', 'E']) {
            s.parse::<f64>()
                .ok()
                .filter(|p| p.is_finite())
                .map(DocFreq::Proportion)
                .ok_or_else(|| format!("`{s}` is not a number"))
        } else {
            s.parse::<u64>().map(DocFreq::Count).map_err(|_| {
                format!("`{s}` is not a count (an integer >= 1) or a proportion (such as 0.5)")
            })
        }
    }
}

/// Row normalisation, scikit-learn's `norm`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Norm {
    /// Divide each row by the sum of its absolute values.
    L1,
    /// Divide each row by its Euclidean length (the default): cosine
    /// similarity becomes a dot product.
    L2,
}

impl std::str::FromStr for Norm {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "l1" => Ok(Norm::L1),
            "l2" => Ok(Norm::L2),
            _ => Err(format!("unknown norm `{s}` (expected l1, l2 or none)")),
        }
    }
}

/// The parameters of a [`TfidfVectorizer`](super::TfidfVectorizer): a consuming
/// builder whose setters state their defaults, which are scikit-learn's.
///
/// Analysis parameters (`lowercase`, `stop_words`, `ngram_range`, ...) are
/// forwarded to the [`AnalyzerParams`] it holds.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TfidfParams {
    pub(crate) analysis: AnalyzerParams,
    pub(crate) min_df: DocFreq,
    pub(crate) max_df: DocFreq,
    pub(crate) max_features: Option<usize>,
    pub(crate) vocabulary: Option<Vec<String>>,
    pub(crate) binary: bool,
    pub(crate) norm: Option<Norm>,
    pub(crate) use_idf: bool,
    pub(crate) smooth_idf: bool,
    pub(crate) sublinear_tf: bool,
}

impl Default for TfidfParams {
    fn default() -> Self {
        TfidfParams {
            analysis: AnalyzerParams::default(),
            min_df: DocFreq::Count(1),
            max_df: DocFreq::Proportion(1.0),
            max_features: None,
            vocabulary: None,
            binary: false,
            norm: Some(Norm::L2),
            use_idf: true,
            smooth_idf: true,
            sublinear_tf: false,
        }
    }
}

impl TfidfParams {
    /// All analysis parameters at once. Default: [`AnalyzerParams::default`].
    pub fn analysis(mut self, analysis: AnalyzerParams) -> Self {
        self.analysis = analysis;
        self
    }

    /// Word or character features. Default: word.
    pub fn analyzer(mut self, kind: AnalyzerKind) -> Self {
        self.analysis = self.analysis.analyzer(kind);
        self
    }

    /// Lowercase before tokenizing. Default: `true`.
    pub fn lowercase(mut self, lowercase: bool) -> Self {
        self.analysis = self.analysis.lowercase(lowercase);
        self
    }

    /// Strip accents after lowercasing. Default: `None`.
    pub fn strip_accents(mut self, strip: Option<StripAccents>) -> Self {
        self.analysis = self.analysis.strip_accents(strip);
        self
    }

    /// The token pattern. Default: `(?u)\b\w\w+\b`.
    pub fn token_pattern(mut self, pattern: impl Into<String>) -> Self {
        self.analysis = self.analysis.token_pattern(pattern);
        self
    }

    /// Stop words. Default: `None`.
    pub fn stop_words(mut self, stop_words: Option<StopWordList>) -> Self {
        self.analysis = self.analysis.stop_words(stop_words);
        self
    }

    /// Snowball stemming. Default: `None`.
    pub fn stem(mut self, language: Option<Language>) -> Self {
        self.analysis = self.analysis.stem(language);
        self
    }

    /// N-gram lengths, inclusive. Default: `(1, 1)`.
    pub fn ngram_range(mut self, min_n: usize, max_n: usize) -> Self {
        self.analysis = self.analysis.ngram_range(min_n, max_n);
        self
    }

    /// Drop terms found in fewer documents than this (a count, or a proportion
    /// of the corpus). Default: `1` (a count: keep everything).
    pub fn min_df(mut self, min_df: impl Into<DocFreq>) -> Self {
        self.min_df = min_df.into();
        self
    }

    /// Drop terms found in more documents than this (a count, or a proportion).
    /// Default: `1.0` (a proportion: keep everything).
    pub fn max_df(mut self, max_df: impl Into<DocFreq>) -> Self {
        self.max_df = max_df.into();
        self
    }

    /// Keep only the `n` terms with the highest total count over the corpus
    /// (after `min_df`/`max_df`; with `binary`, the count of documents). Ties at
    /// the cut keep the term that sorts first; scikit-learn leaves that order
    /// to NumPy's unstable `argsort`. Default: `None` (keep all).
    pub fn max_features(mut self, n: Option<usize>) -> Self {
        self.max_features = n;
        self
    }

    /// A fixed vocabulary, in column order: no terms are learnt and no pruning
    /// happens (the idf is still learnt). Default: `None`.
    pub fn vocabulary(mut self, terms: Option<Vec<String>>) -> Self {
        self.vocabulary = terms;
        self
    }

    /// Count every term once per document (tf is 0 or 1). Default: `false`.
    pub fn binary(mut self, binary: bool) -> Self {
        self.binary = binary;
        self
    }

    /// Row normalisation. Default: `Some(Norm::L2)`.
    pub fn norm(mut self, norm: Option<Norm>) -> Self {
        self.norm = norm;
        self
    }

    /// Weight terms by their inverse document frequency. Default: `true`.
    pub fn use_idf(mut self, use_idf: bool) -> Self {
        self.use_idf = use_idf;
        self
    }

    /// Add one to every document frequency, as if one extra document held every
    /// term once, so no idf divides by zero. Default: `true`.
    pub fn smooth_idf(mut self, smooth_idf: bool) -> Self {
        self.smooth_idf = smooth_idf;
        self
    }

    /// Replace tf with `1 + ln(tf)`. Default: `false`.
    pub fn sublinear_tf(mut self, sublinear_tf: bool) -> Self {
        self.sublinear_tf = sublinear_tf;
        self
    }

    /// The analysis parameters.
    pub fn get_analysis(&self) -> &AnalyzerParams {
        &self.analysis
    }

    /// `min_df`.
    pub fn get_min_df(&self) -> DocFreq {
        self.min_df
    }

    /// `max_df`.
    pub fn get_max_df(&self) -> DocFreq {
        self.max_df
    }

    /// `max_features`.
    pub fn get_max_features(&self) -> Option<usize> {
        self.max_features
    }

    /// `binary`.
    pub fn get_binary(&self) -> bool {
        self.binary
    }

    /// `norm`.
    pub fn get_norm(&self) -> Option<Norm> {
        self.norm
    }

    /// `use_idf`.
    pub fn get_use_idf(&self) -> bool {
        self.use_idf
    }

    /// `smooth_idf`.
    pub fn get_smooth_idf(&self) -> bool {
        self.smooth_idf
    }

    /// `sublinear_tf`.
    pub fn get_sublinear_tf(&self) -> bool {
        self.sublinear_tf
    }

    /// Checks every parameter that can be checked without data.
    ///
    /// Rules: the analysis parameters are valid ([`AnalyzerParams::check`]); a
    /// count bound is at least 1 and a proportion lies in `[0, 1]`; when both
    /// bounds are counts or both proportions, `min_df <= max_df`;
    /// `max_features >= 1`; a fixed vocabulary is not empty and has no
    /// duplicate term (the empty term is a term, as in scikit-learn: a token
    /// pattern whose group can match nothing finds it). A count against a proportion is compared in
    /// [`fit`](Self::fit), once the number of documents is known.
    pub fn check(&self) -> Result<(), ParamError> {
        self.analysis.check()?;
        self.min_df.check("min_df")?;
        self.max_df.check("max_df")?;
        let static_order = match (self.min_df, self.max_df) {
            (DocFreq::Count(lo), DocFreq::Count(hi)) => Some(lo as f64 <= hi as f64),
            (DocFreq::Proportion(lo), DocFreq::Proportion(hi)) => Some(lo <= hi),
            _ => None,
        };
        if static_order == Some(false) {
            return Err(ParamError::new(
                "min_df",
                format!(
                    "min_df={} is above max_df={}: no term could be kept",
                    self.min_df, self.max_df
                ),
            ));
        }
        if self.max_features == Some(0) {
            return Err(ParamError::new(
                "max_features",
                "0: keep at least one term, or leave it unset",
            ));
        }
        if let Some(terms) = &self.vocabulary {
            if terms.is_empty() {
                return Err(ParamError::new(
                    "vocabulary",
                    "the fixed vocabulary is empty",
                ));
            }
            let mut seen = hashbrown::HashSet::with_capacity(terms.len());
            for (i, term) in terms.iter().enumerate() {
                if !seen.insert(term.as_str()) {
                    return Err(ParamError::new(
                        "vocabulary",
                        format!("`{term}` appears twice (again at index {i})"),
                    ));
                }
            }
        }
        Ok(())
    }

    /// The document-count bounds `(min, max)` for a corpus of `n_documents`,
    /// refusing bounds that leave no room for any term.
    pub(crate) fn df_bounds(&self, n_documents: usize) -> Result<(f64, f64)> {
        let (lo, hi) = (
            self.min_df.documents(n_documents),
            self.max_df.documents(n_documents),
        );
        if hi < lo {
            return Err(Error::Fit(format!(
                "max_df={} corresponds to {hi} documents, fewer than min_df={} ({lo} documents) in this \
                 corpus of {n_documents}; lower min_df or raise max_df",
                self.max_df, self.min_df
            )));
        }
        Ok((lo, hi))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn doc_freq_parses_counts_and_proportions_like_scikit_learn() {
        assert_eq!("2".parse(), Ok(DocFreq::Count(2)));
        assert_eq!("1".parse(), Ok(DocFreq::Count(1)));
        assert_eq!("1.0".parse(), Ok(DocFreq::Proportion(1.0)));
        assert_eq!("0.5".parse(), Ok(DocFreq::Proportion(0.5)));
        assert_eq!("1e-2".parse(), Ok(DocFreq::Proportion(0.01)));
        assert!("-1".parse::<DocFreq>().is_err());
        assert!("abc".parse::<DocFreq>().is_err());
        assert!("nan.".parse::<DocFreq>().is_err());
    }

    #[test]
    fn doc_freq_serializes_as_its_number() {
        assert_eq!(serde_json::to_string(&DocFreq::Count(2)).unwrap(), "2");
        assert_eq!(
            serde_json::to_string(&DocFreq::Proportion(1.0)).unwrap(),
            "1.0"
        );
        assert_eq!(
            serde_json::from_str::<DocFreq>("1.0").unwrap(),
            DocFreq::Proportion(1.0)
        );
        assert_eq!(
            serde_json::from_str::<DocFreq>("3").unwrap(),
            DocFreq::Count(3)
        );
    }

    #[test]
    fn defaults_are_valid() {
        TfidfParams::default().check().unwrap();
    }

    #[test]
    fn min_df_count_cannot_be_zero() {
        assert_eq!(
            TfidfParams::default()
                .min_df(0u64)
                .check()
                .unwrap_err()
                .name,
            "min_df"
        );
    }

    #[test]
    fn max_df_proportion_must_be_at_most_one() {
        assert_eq!(
            TfidfParams::default().max_df(1.5).check().unwrap_err().name,
            "max_df"
        );
    }

    #[test]
    fn min_df_cannot_exceed_max_df() {
        let e = TfidfParams::default()
            .min_df(5u64)
            .max_df(2u64)
            .check()
            .unwrap_err();
        assert!(e.to_string().contains("min_df=5 is above max_df=2"), "{e}");
        let e = TfidfParams::default()
            .min_df(0.6)
            .max_df(0.5)
            .check()
            .unwrap_err();
        assert_eq!(e.name, "min_df");
    }

    #[test]
    fn mixed_bounds_are_compared_with_the_corpus_size() {
        let p = TfidfParams::default().min_df(10u64).max_df(0.5);
        p.check().unwrap();
        assert_eq!(p.df_bounds(100).unwrap(), (10.0, 50.0));
        let e = p.df_bounds(10).unwrap_err();
        assert!(e.to_string().contains("corresponds to 5 documents"), "{e}");
    }

    #[test]
    fn max_features_cannot_be_zero() {
        assert_eq!(
            TfidfParams::default()
                .max_features(Some(0))
                .check()
                .unwrap_err()
                .name,
            "max_features"
        );
    }

    #[test]
    fn fixed_vocabulary_has_no_duplicates() {
        let e = TfidfParams::default()
            .vocabulary(Some(vec!["a".into(), "b".into(), "a".into()]))
            .check()
            .unwrap_err();
        assert!(e.to_string().contains("`a` appears twice"), "{e}");
        let e = TfidfParams::default()
            .vocabulary(Some(vec![]))
            .check()
            .unwrap_err();
        assert_eq!(e.name, "vocabulary");
    }

    #[test]
    fn analysis_rules_are_checked_too() {
        assert_eq!(
            TfidfParams::default()
                .ngram_range(2, 1)
                .check()
                .unwrap_err()
                .name,
            "ngram_range"
        );
    }

    #[test]
    fn norm_parses() {
        assert_eq!("l1".parse(), Ok(Norm::L1));
        assert!("max".parse::<Norm>().is_err());
    }
}
