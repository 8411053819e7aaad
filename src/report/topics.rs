//! The clustering report: what `topica cluster` writes for other tools
//! (`-o report.json`, `--assignments FILE.jsonl|FILE.csv`) and prints for
//! people. The JSON schema is documented in README.md ("The report").

use std::fmt::Write as _;
use std::io::Write;
use std::path::Path;

use serde::{Deserialize, Serialize};

use super::coords::CoordsInfo;
use crate::error::{Error, Result};

/// The report's format version: a reader should refuse another one.
pub const REPORT_FORMAT: u32 = 1;

/// The length of the documents' [`excerpt`](DocumentTopic::excerpt)s, in
/// characters (an ellipsis marks a cut).
pub const EXCERPT_CHARS: usize = 160;

/// Everything `topica cluster` found, as written to `-o report.json`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TopicReport {
    /// [`REPORT_FORMAT`].
    pub format: u32,
    /// The topica version that wrote it.
    pub topica_version: String,
    /// The inputs, as given.
    pub inputs: Vec<String>,
    /// Every parameter used, defaults included.
    pub parameters: serde_json::Value,
    /// Documents, terms and non-zeros of the TF-IDF matrix.
    pub corpus: CorpusStats,
    /// The topics, by id.
    pub topics: Vec<Topic>,
    /// Every document, in reading order.
    pub documents: Vec<DocumentTopic>,
    /// The documents of topic -1 and why.
    pub outliers: Vec<Outlier>,
    /// The silhouette of each k tried by `--k auto` (empty for a fixed k).
    pub k_selection: Vec<crate::cluster::KScore>,
    /// Mean silhouette (cosine) of the clustered documents in the clustering
    /// space; `None` with a single topic.
    pub silhouette: Option<f64>,
    /// The dendrogram, for hierarchical clustering.
    pub dendrogram: Option<Dendrogram>,
    /// How the documents' [`coords`](DocumentTopic::coords) were made
    /// (`topica cluster --coords N`); absent without `--coords`.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub coords: Option<CoordsInfo>,
    /// Agreement with known labels, when given.
    pub metrics: Option<LabelMetrics>,
    /// Warnings met on the way (unreadable bytes, unknown seed words...).
    pub warnings: Vec<String>,
}

/// Size of the vectorized corpus.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct CorpusStats {
    /// Documents read.
    pub documents: usize,
    /// Terms in the vocabulary.
    pub terms: usize,
    /// Non-zero entries of the TF-IDF matrix.
    pub nonzeros: usize,
}

/// One topic.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Topic {
    /// 0, 1, ... in decreasing order of size (the larger first, the smaller
    /// id on ties).
    pub id: i64,
    /// Its name: a name of the topics file (`--topics`), or its top three
    /// terms' surface forms joined by `_` (BERTopic's style without its id
    /// prefix, e.g. `monitoring_office_musk`): one token, safe in CSV cells,
    /// file names and dashboard keys.
    pub name: String,
    /// `"guided"` when the name comes from the topics file, else `"terms"`.
    pub named_by: String,
    /// Number of documents.
    pub size: usize,
    /// Top terms by c-TF-IDF, best first.
    pub terms: Vec<TopicTerm>,
    /// Ids of the documents closest to the topic's centroid, closest first.
    pub representatives: Vec<String>,
}

/// A term of a topic.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TopicTerm {
    /// The term as in the vocabulary (a stem when stemming).
    pub term: String,
    /// Its readable form: the most frequent original word behind each stem.
    pub surface: String,
    /// Its c-TF-IDF weight in the topic.
    pub weight: f64,
}

/// One document's topic.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DocumentTopic {
    /// The document's id.
    pub id: String,
    /// The file it came from.
    pub source: String,
    /// Its position among its source's documents (from 0).
    pub position: usize,
    /// Its topic, -1 for an outlier.
    pub topic: i64,
    /// The topic's name (`"outlier"` for -1).
    pub topic_name: String,
    /// Cosine of its TF-IDF vector to its topic's centroid (0 for outliers).
    pub score: f64,
    /// Its place on the topic map (`topica cluster --coords N`: N numbers,
    /// see [`CoordsInfo`]); absent without `--coords`.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub coords: Option<Vec<f64>>,
    /// Its opening words (at most [`EXCERPT_CHARS`] characters, on one
    /// line), written with `--coords` so that a map can label its points and
    /// a reader show representatives without the corpus; absent otherwise.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub excerpt: Option<String>,
}

/// An outlier and why.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Outlier {
    /// The document's id.
    pub id: String,
    /// The rule: `"no-terms"`, `"metadata-line"`, `"isolated"` or
    /// `"far-from-topics"`.
    pub rule: String,
    /// The reason in words.
    pub reason: String,
}

/// A dendrogram in scipy's linkage-matrix format.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Dendrogram {
    /// The linkage method.
    pub linkage: String,
    /// Rows `[a, b, distance, size]`: merge `i` joins clusters `a` and `b`
    /// (ids below `n` are documents, `n + j` is merge `j`) at `distance`,
    /// making a cluster of `size` documents; `scipy.cluster.hierarchy`
    /// reads it as `Z`.
    pub matrix: Vec<[f64; 4]>,
    /// The ids of the clustered items, in the order of ids `0..n`
    /// (documents, or micro-clusters when the corpus was too large).
    pub leaves: Vec<String>,
}

/// Agreement of the topics with known labels.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LabelMetrics {
    /// Where the labels came from (a field name or a file).
    pub labels: String,
    /// Documents scored.
    pub scored: usize,
    /// Documents without a label, not scored.
    pub unlabeled: usize,
    /// Documents whose label was excluded by `--ignore-label`, not scored.
    pub ignored: usize,
    /// Adjusted Rand index.
    pub adjusted_rand_index: f64,
    /// Normalized mutual information (arithmetic mean).
    pub normalized_mutual_info: f64,
    /// Homogeneity.
    pub homogeneity: f64,
    /// Completeness.
    pub completeness: f64,
    /// V-measure.
    pub v_measure: f64,
}

impl TopicReport {
    /// Writes the report as pretty JSON.
    pub fn write_json(&self, w: &mut dyn Write) -> std::io::Result<()> {
        serde_json::to_writer_pretty(&mut *w, self).map_err(std::io::Error::other)?;
        w.write_all(b"\n")
    }

    /// Reads a report written by [`write_json`](Self::write_json).
    pub fn read(path: impl AsRef<Path>) -> Result<TopicReport> {
        let path = path.as_ref();
        // Gunzipped when named `.gz`, as outputs so named are written.
        let text = crate::corpus::read_text(path)?;
        let value: serde_json::Value = serde_json::from_str(&text)
            .map_err(|e| Error::input(path, Some(e.line()), format!("not JSON: {e}")))?;
        match value.get("format").and_then(|f| f.as_u64()) {
            Some(f) if f == REPORT_FORMAT as u64 => {}
            Some(f) => {
                return Err(Error::input(
                    path,
                    None,
                    format!("report format {f}, this topica reads format {REPORT_FORMAT}"),
                ));
            }
            None => {
                return Err(Error::input(
                    path,
                    None,
                    "not a topica report (no \"format\")",
                ));
            }
        }
        let report: TopicReport = serde_json::from_value(value)
            .map_err(|e| Error::input(path, None, format!("not a topica report: {e}")))?;
        report
            .consistency()
            .map_err(|what| Error::input(path, None, format!("an inconsistent report: {what}")))?;
        Ok(report)
    }

    /// What a report read from a file must hold for its parts to agree (a
    /// hand-edited or truncated one may not): every document's topic is -1
    /// or a listed topic, topic ids are unique, and map coordinates have the
    /// report's number of dimensions (2 or 3).
    fn consistency(&self) -> std::result::Result<(), String> {
        let ids: std::collections::HashSet<i64> = self.topics.iter().map(|t| t.id).collect();
        if ids.len() != self.topics.len() {
            return Err("two topics have the same id".into());
        }
        if let Some(d) = self
            .documents
            .iter()
            .find(|d| d.topic != -1 && !ids.contains(&d.topic))
        {
            return Err(format!(
                "document {:?} is in topic {}, which the report does not list",
                d.id, d.topic
            ));
        }
        let dims = self.coords.as_ref().map(|c| c.dims);
        if let Some(dims) = dims.filter(|d| !(2..=3).contains(d)) {
            return Err(format!("its map has {dims} dimensions (2 or 3 expected)"));
        }
        if let Some(d) = self
            .documents
            .iter()
            .find(|d| d.coords.as_ref().is_some_and(|c| Some(c.len()) != dims))
        {
            return Err(format!(
                "document {:?} has {} map coordinates, where the map has {}",
                d.id,
                d.coords.as_ref().map_or(0, Vec::len),
                dims.map_or("none".to_string(), |d| d.to_string())
            ));
        }
        Ok(())
    }

    /// Writes one row per document with `id`, `topic`, `topic_name` and
    /// `score`: CSV when `csv` (with a header row), else JSON Lines.
    pub fn write_assignments(&self, w: &mut dyn Write, csv: bool) -> std::io::Result<()> {
        if csv {
            let mut out = ::csv::Writer::from_writer(w);
            out.write_record(["id", "topic", "topic_name", "score"])?;
            for d in &self.documents {
                out.write_record([
                    d.id.as_str(),
                    &d.topic.to_string(),
                    &d.topic_name,
                    &d.score.to_string(),
                ])?;
            }
            out.flush()
        } else {
            for d in &self.documents {
                serde_json::to_writer(
                    &mut *w,
                    &serde_json::json!({
                        "id": d.id, "topic": d.topic, "topic_name": d.topic_name, "score": d.score,
                    }),
                )
                .map_err(std::io::Error::other)?;
                w.write_all(b"\n")?;
            }
            Ok(())
        }
    }

    /// A readable summary: each topic with its size, top terms and two
    /// representative paragraphs (`texts` maps a document's index in
    /// [`documents`](Self::documents) to its text), then the outliers: how
    /// many by rule, and the first ten (`SUMMARY_OUTLIERS`) with their reasons
    /// (a corpus of paragraphs can have thousands; the report lists them
    /// all).
    pub fn summary(&self, texts: &[&str], terms: usize) -> String {
        let mut s = String::new();
        let n = self.documents.len();
        let clustered = n - self.outliers.len();
        let _ = writeln!(
            s,
            "{} in {} ({}){}",
            super::counted(self.topics.len(), "topic"),
            super::counted(n, "document"),
            super::counted(self.corpus.terms, "term"),
            if self.outliers.is_empty() {
                String::new()
            } else {
                format!(", {}", super::counted(self.outliers.len(), "outlier"))
            }
        );
        if !self.k_selection.is_empty() {
            let scores: Vec<String> = self
                .k_selection
                .iter()
                .map(|k| format!("k={} {:.3}", k.k, k.silhouette))
                .collect();
            let _ = writeln!(s, "silhouette by k: {}", scores.join(", "));
        }
        let index: std::collections::HashMap<&str, usize> = self
            .documents
            .iter()
            .enumerate()
            .map(|(i, d)| (d.id.as_str(), i))
            .collect();
        for t in &self.topics {
            let share = 100.0 * t.size as f64 / clustered.max(1) as f64;
            let _ = writeln!(
                s,
                "\nTopic {}: {} ({} documents, {share:.0}%)",
                t.id, t.name, t.size
            );
            let top: Vec<&str> = t
                .terms
                .iter()
                .take(terms)
                .map(|t| t.surface.as_str())
                .collect();
            let _ = writeln!(s, "  terms: {}", top.join(", "));
            for id in t.representatives.iter().take(2) {
                let text = index.get(id.as_str()).map_or("", |&i| texts[i]);
                let _ = writeln!(s, "  - {id}: {}", excerpt(text, 110));
            }
        }
        if !self.outliers.is_empty() {
            // How many by rule, the most common first.
            let mut rules: Vec<(&str, usize)> = Vec::new();
            for o in &self.outliers {
                match rules.iter_mut().find(|(rule, _)| *rule == o.rule) {
                    Some((_, count)) => *count += 1,
                    None => rules.push((&o.rule, 1)),
                }
            }
            rules.sort_by_key(|r| std::cmp::Reverse(r.1));
            let counts: Vec<String> = rules
                .iter()
                .map(|(rule, count)| format!("{count} {rule}"))
                .collect();
            let _ = writeln!(s, "\nOutliers (topic -1): {}", counts.join(", "));
            for o in self.outliers.iter().take(SUMMARY_OUTLIERS) {
                let _ = writeln!(s, "  - {}: {}", o.id, o.reason);
            }
            if self.outliers.len() > SUMMARY_OUTLIERS {
                let _ = writeln!(
                    s,
                    "  ... and {} more (all of them, with their reasons, in the report's \
                     `outliers`, -o FILE; topic -1 in --assignments)",
                    self.outliers.len() - SUMMARY_OUTLIERS
                );
            }
        }
        if let Some(m) = &self.metrics {
            let _ = writeln!(
                s,
                "\nAgainst {} ({} scored): ARI {:.3}, NMI {:.3}, V-measure {:.3} (homogeneity {:.3}, completeness {:.3})",
                m.labels,
                m.scored,
                m.adjusted_rand_index,
                m.normalized_mutual_info,
                m.v_measure,
                m.homogeneity,
                m.completeness
            );
        }
        s
    }
}

/// The outliers a [`summary`](TopicReport::summary) lists one by one.
pub const SUMMARY_OUTLIERS: usize = 10;

/// The first `max` characters of `text` on one line, with an ellipsis when cut.
///
/// ```
/// assert_eq!(topica::report::excerpt("Grok  made\nimages", 9), "Grok made...");
/// ```
pub fn excerpt(text: &str, max: usize) -> String {
    let flat: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if flat.chars().count() <= max {
        flat
    } else {
        let cut: String = flat.chars().take(max).collect();
        format!("{}...", cut.trim_end())
    }
}
