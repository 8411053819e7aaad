//! The main job, `topica cluster`, as one library call: a corpus is
//! vectorized, clustered, its topics named, scored against labels when known,
//! its documents placed on a map when asked, and everything gathered into a
//! [`TopicReport`].
//!
//! Each step is its module's ([`vectorize`](crate::vectorize),
//! [`cluster`](crate::cluster), [`topics`](crate::topics),
//! [`metrics`](crate::metrics), [`report`](crate::report) for the map);
//! this module only composes them, in the order and with the defaults the
//! command line uses.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

use indicatif::{ProgressBar, ProgressStyle};
use serde::Serialize;

use crate::cluster::{ClusterParams, Clustering, OutlierReason};
use crate::corpus::{Corpus, Format};
use crate::error::{Error, ParamError, Result};
use crate::report::{
    Coords, CoordsParams, CorpusStats, DocumentTopic, EXCERPT_CHARS, LabelMetrics, Outlier,
    REPORT_FORMAT, Topic, TopicReport, TopicTerm,
};
use crate::topics::{CTfIdf, GuidedTopics, SurfaceForms, term_label};
use crate::vectorize::{SparseMatrix, TfidfParams, TfidfVectorizer};

/// Where the true labels of the documents are.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Labels {
    /// A field of the documents' records (JSONL, CSV).
    Field(String),
    /// A CSV (header `id,label`) or JSONL (`{"id": ..., "label": ...}`) file.
    File(PathBuf),
}

/// How topics are named.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NamingParams {
    /// Named topics with seed words (TOML), matched one-to-one to clusters.
    pub topics_file: Option<PathBuf>,
    /// Terms listed per topic.
    pub top_terms: usize,
    /// Representative documents listed per topic.
    pub representatives: usize,
}

impl Default for NamingParams {
    fn default() -> Self {
        NamingParams {
            topics_file: None,
            top_terms: 10,
            representatives: 5,
        }
    }
}

/// Everything `topica cluster` does, with its parameters.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ClusterJob {
    /// The vectorizer (the command line's defaults: English stop words,
    /// sublinear tf, `min_df = 2`, `max_df = 0.5`).
    pub vectorizer: TfidfParams,
    /// The power of idf in the space the topics are found in (and the map
    /// drawn): the vectorizer's rows reweighted by
    /// [`TfidfVectorizer::reweight_idf`]. 1 is the vectorizer's TF-IDF
    /// itself; the default, 2, gives words found in many documents less say
    /// (README.md, "Term weighting", has the figures it was chosen by).
    /// Naming (c-TF-IDF) counts words and does not depend on it.
    pub idf_power: f64,
    /// The clustering.
    pub clustering: ClusterParams,
    /// The naming of topics.
    pub naming: NamingParams,
    /// True labels to score against.
    pub labels: Option<Labels>,
    /// True labels whose documents are left out of the scores.
    pub ignore_labels: Vec<String>,
    /// Place every document on a map of this many dimensions (2 or 3; `None`:
    /// no map), projected from the LSA space of the clustering space with
    /// the clustering's `n_components` and `seed` (see
    /// [`report::Coords`](crate::report::Coords)). The report's documents
    /// then carry `coords` and `excerpt`, and the report a `coords` object.
    pub coords: Option<usize>,
    /// Records (JSONL, CSV) with the same value in this field, in the same
    /// file, are the paragraphs of one document, in file order: document
    /// context blends them and the paragraph rules (metadata lines, isolated
    /// paragraphs) judge them, as the paragraphs of a plain-text file. `None`:
    /// records stand alone. See [`ClusterJob::groups`].
    pub group_field: Option<String>,
}

impl Default for ClusterJob {
    fn default() -> Self {
        ClusterJob {
            vectorizer: Self::default_vectorizer(),
            idf_power: Self::DEFAULT_IDF_POWER,
            clustering: ClusterParams::default(),
            naming: NamingParams::default(),
            labels: None,
            ignore_labels: Vec::new(),
            coords: None,
            group_field: None,
        }
    }
}

/// Progress on standard error: a spinner naming the current stage, hidden
/// when standard error is not a terminal (or when asked to be quiet).
pub struct Progress {
    bar: Option<ProgressBar>,
}

impl Progress {
    /// A spinner on standard error (hidden unless it is a terminal).
    pub fn stderr(quiet: bool) -> Progress {
        if quiet {
            return Progress::hidden();
        }
        let bar = ProgressBar::new_spinner();
        bar.set_style(
            ProgressStyle::with_template("{spinner} {msg} ({elapsed})").expect("a valid template"),
        );
        bar.enable_steady_tick(Duration::from_millis(120));
        Progress { bar: Some(bar) }
    }

    /// No progress shown.
    pub fn hidden() -> Progress {
        Progress { bar: None }
    }

    /// Names the current stage.
    pub fn stage(&self, message: &str) {
        if let Some(bar) = &self.bar {
            bar.set_message(message.to_string());
        }
    }

    /// Removes the spinner.
    pub fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}

impl ClusterJob {
    /// The default [`idf_power`](Self::idf_power).
    pub const DEFAULT_IDF_POWER: f64 = 2.0;

    /// The vectorizer `topica cluster` uses by default: scikit-learn's
    /// `TfidfVectorizer(stop_words="english", sublinear_tf=True, min_df=2,
    /// max_df=0.5)`, the settings of scikit-learn's own clustering examples
    /// (words in one document only, or in most, say nothing about topics).
    pub fn default_vectorizer() -> TfidfParams {
        TfidfParams::default()
            .stop_words(Some(crate::analyze::StopWordList::English))
            .sublinear_tf(true)
            .min_df(2u64)
            .max_df(0.5)
    }

    /// Checks every parameter before any data is read.
    pub fn check(&self) -> Result<(), ParamError> {
        self.vectorizer.check()?;
        if !(self.idf_power.is_finite() && self.idf_power >= 0.0) {
            return Err(ParamError::new(
                "idf_power",
                format!("must be a finite number >= 0, got {}", self.idf_power),
            ));
        }
        self.clustering.check()?;
        if self.naming.top_terms == 0 {
            return Err(ParamError::new("top_terms", "must be at least 1, got 0"));
        }
        if let Some(dims) = self.coords {
            self.coords_params(dims).check()?;
        }
        Ok(())
    }

    /// The map's parameters: `dims` dimensions, the clustering's LSA size
    /// and seed.
    fn coords_params(&self, dims: usize) -> CoordsParams {
        Coords::params(dims)
            .n_components(self.clustering.n_components)
            .seed(self.clustering.seed)
    }

    /// Runs the job on `corpus`. `inputs` are recorded in the report;
    /// `format` is the format forced on the inputs, if any (plain-text
    /// paragraphs get document context, records do not).
    ///
    /// ```
    /// use topica::cluster::KChoice;
    /// use topica::corpus::{Corpus, ReadOptions};
    /// use topica::job::{ClusterJob, Progress};
    ///
    /// let corpus = Corpus::read(&["data/news"], &ReadOptions::default())?;
    /// let mut job = ClusterJob::default();
    /// job.clustering.k = KChoice::Fixed(4);
    /// let report = job.run(&corpus, &["data/news".into()], None, &Progress::hidden())?;
    /// assert_eq!(report.topics.len(), 4);
    /// assert_eq!(report.documents.len(), 74);
    /// // "in" and "Tagcloud:" have no informative terms.
    /// assert!(report.outliers.iter().any(|o| o.id.ends_with("#0") && o.rule == "no-terms"));
    /// # Ok::<(), topica::Error>(())
    /// ```
    pub fn run(
        &self,
        corpus: &Corpus,
        inputs: &[String],
        format: Option<Format>,
        progress: &Progress,
    ) -> Result<TopicReport> {
        self.check()?;
        let docs = &corpus.documents;
        if docs.is_empty() {
            return Err(Error::EmptyCorpus("no documents to cluster".into()));
        }
        let mut warnings = corpus.warnings.clone();
        progress.stage("vectorizing");
        let texts: Vec<&str> = docs.iter().map(|d| d.text.as_str()).collect();
        let (model, tfidf, counts) = self.vectorizer.fit_transform_with_counts(&texts)?;
        // The clustering space: the TF-IDF rows reweighted in place (the
        // vectorizer's own values are not needed after this).
        let (mut x, _) = tfidf.into_parts();
        model.reweight_idf_in_place(&mut x, self.idf_power)?;
        let x = &x;
        let counts = KeptCounts::new(counts.into_parts().0, x);

        let groups = self.groups(docs, format, &mut warnings)?;

        progress.stage("clustering");
        let metadata: Vec<bool> = if self.clustering.metadata_lines {
            docs.iter()
                .zip(&groups)
                .map(|(d, g)| g.is_some() && crate::cluster::is_metadata_line(&d.text))
                .collect()
        } else {
            Vec::new()
        };
        let (clustering, space) = self.clustering.fit_marked_in_space(x, &groups, &metadata)?;
        // Kept for the map only (freed here without one).
        let map_space = self.coords.map(|dims| (dims, space));
        let (labels, order) = by_size(&clustering);
        let k = order.len();
        if k < clustering.n_topics() {
            let empty = clustering.n_topics() - k;
            warnings.push(format!(
                "{} of the {} clusters found came out empty and are left out ({}): {}",
                empty,
                clustering.n_topics(),
                match self.clustering.method {
                    crate::cluster::Method::LsaKmeans => {
                        "linfa's k-means leaves a cluster empty when the documents have fewer \
                         distinct LSA vectors than k"
                    }
                    _ => "every member of such a cluster went to topic -1",
                },
                crate::report::counted(k, "topic")
            ));
        }

        progress.stage("naming topics");
        let counts = counts.into_matrix(x);
        let named = name_topics(
            &model,
            &counts,
            &labels,
            k,
            &texts,
            &self.naming,
            &mut warnings,
        )?;

        let topic_names: Vec<String> = named.iter().map(|t| t.name.clone()).collect();
        let name_of = |l: i64| {
            if l < 0 {
                "outlier".to_string()
            } else {
                topic_names[l as usize].clone()
            }
        };
        let mut topics = Vec::with_capacity(k);
        for (t, named) in named.into_iter().enumerate() {
            let mut members: Vec<usize> =
                (0..docs.len()).filter(|&i| labels[i] == t as i64).collect();
            members.sort_by(|&a, &b| {
                clustering.scores[b]
                    .total_cmp(&clustering.scores[a])
                    .then(a.cmp(&b))
            });
            topics.push(Topic {
                id: t as i64,
                name: named.name,
                named_by: named.named_by,
                size: members.len(),
                terms: named.terms,
                representatives: members
                    .iter()
                    .take(self.naming.representatives)
                    .map(|&i| docs[i].id.clone())
                    .collect(),
            });
        }

        // The map is drawn from the space the topics were found in: the
        // TF-IDF rows with plain-text paragraphs blended with their context.
        let map = match map_space {
            None => None,
            Some((dims, space)) => {
                progress.stage("placing documents on the map");
                Some(self.coords_params(dims).fit(&space, &labels)?.into_parts())
            }
        };
        let documents: Vec<DocumentTopic> = docs
            .iter()
            .enumerate()
            .map(|(i, d)| DocumentTopic {
                id: d.id.clone(),
                source: d.source.to_string(),
                position: d.position,
                topic: labels[i],
                topic_name: name_of(labels[i]),
                score: clustering.scores[i],
                coords: map.as_ref().map(|(points, _)| points.row(i).to_vec()),
                excerpt: map
                    .as_ref()
                    .map(|_| crate::report::excerpt(&d.text, EXCERPT_CHARS)),
            })
            .collect();
        let outliers = clustering
            .outliers
            .iter()
            .map(|(i, reason)| Outlier {
                id: docs[*i].id.clone(),
                rule: match reason {
                    OutlierReason::NoTerms => "no-terms",
                    OutlierReason::Isolated { .. } => "isolated",
                    OutlierReason::MetadataLine => "metadata-line",
                    OutlierReason::FarFromTopics { .. } => "far-from-topics",
                }
                .to_string(),
                reason: reason.to_string(),
            })
            .collect();

        let metrics = match &self.labels {
            None => None,
            Some(source) => Some(self.score(corpus, source, &labels, &mut warnings)?),
        };

        Ok(TopicReport {
            format: REPORT_FORMAT,
            topica_version: env!("CARGO_PKG_VERSION").to_string(),
            inputs: inputs.to_vec(),
            parameters: {
                let mut p = serde_json::to_value(self).map_err(|e| Error::Fit(e.to_string()))?;
                // What the `auto` settings came to, beside the settings.
                if let Some(runs) = clustering.runs {
                    p["clustering"]["resolved"] =
                        serde_json::to_value(runs).map_err(|e| Error::Fit(e.to_string()))?;
                }
                p
            },
            corpus: CorpusStats {
                documents: docs.len(),
                terms: x.cols(),
                nonzeros: x.nnz(),
            },
            topics,
            documents,
            outliers,
            k_selection: clustering.k_scores.clone(),
            silhouette: clustering.silhouette,
            dendrogram: leaves_named(&clustering, docs, &mut warnings),
            coords: map.map(|(_, info)| info),
            metrics,
            warnings,
        })
    }

    /// The document each document is a paragraph of, as numbers (`None`:
    /// it stands alone): the paragraphs of a plain-text file are one group
    /// per file; records (JSONL, CSV) stand alone, unless
    /// [`group_field`](Self::group_field) names a field, and then the
    /// records of one file with the same value in it (as a label is read:
    /// a string, or a number or other JSON value as written) are one group.
    ///
    /// A group's records need not be consecutive: context blends each
    /// record with the records of its group before and after it in the
    /// file ([`crate::cluster::Neighbours`]), so a table sorted by date or
    /// by paragraph number works as one sorted by document, as long as each
    /// document's paragraphs come in order. Records without the field (or
    /// with `null`, or an empty CSV cell) stand alone and are counted in a
    /// warning; when no record has it, the job fails, since the name is most
    /// likely wrong.
    pub fn groups(
        &self,
        docs: &[crate::corpus::Document],
        format: Option<Format>,
        warnings: &mut Vec<String>,
    ) -> Result<Vec<Option<usize>>> {
        let is_text = |d: &crate::corpus::Document| match format {
            Some(f) => f == Format::Text,
            None => matches!(
                Format::from_path(std::path::Path::new(&*d.source)),
                None | Some(Format::Text)
            ),
        };
        let mut group_of: HashMap<(&str, Option<String>), usize> = HashMap::new();
        let mut groups = Vec::with_capacity(docs.len());
        let (mut records, mut without) = (0usize, 0usize);
        for d in docs {
            let key = if is_text(d) {
                (&*d.source, None)
            } else {
                records += 1;
                let value = self
                    .group_field
                    .as_ref()
                    .and_then(|f| d.fields.get(f))
                    .and_then(label_text)
                    .filter(|v| !v.is_empty());
                match value {
                    Some(v) => (&*d.source, Some(v)),
                    None => {
                        if self.group_field.is_some() {
                            without += 1;
                        }
                        groups.push(None);
                        continue;
                    }
                }
            };
            let next = group_of.len();
            let group = *group_of.entry(key).or_insert(next);
            groups.push(Some(group));
        }
        if let Some(field) = &self.group_field {
            if records == 0 {
                // A misused option (exit status 2), as --k above the corpus is.
                return Err(ParamError::new(
                    "group_field",
                    format!(
                        "{field:?} given, but the inputs are plain text, whose paragraphs are \
                         grouped by file already; the option groups records of JSONL and CSV \
                         files"
                    ),
                )
                .into());
            }
            if without == records {
                return Err(Error::Fit(format!(
                    "--group-field {field}: none of the {records} records has a value in a \
                     field {field:?} (check its name)"
                )));
            }
            if without > 0 {
                let (have, they) = if without == 1 {
                    ("has", "it stands")
                } else {
                    ("have", "they stand")
                };
                warnings.push(format!(
                    "{without} of the {records} records {have} no value in the field \
                     {field:?} (--group-field): {they} alone, without document context"
                ));
            }
        }
        Ok(groups)
    }

    /// The silhouette (cosine) of `topics` (-1: outliers, left out) on the
    /// TF-IDF vectors of `texts` with [`default_vectorizer`](Self::default_vectorizer);
    /// `None` when fewer than two topics or too few documents remain.
    pub fn silhouette_of(texts: &[&str], topics: &[i64]) -> Result<Option<f64>> {
        let (_, x) = Self::default_vectorizer().fit_transform(texts)?;
        let keep: Vec<usize> = (0..texts.len()).filter(|&i| topics[i] >= 0).collect();
        let mut ids: HashMap<i64, usize> = HashMap::new();
        let labels: Vec<usize> = keep
            .iter()
            .map(|&i| {
                let next = ids.len();
                *ids.entry(topics[i]).or_insert(next)
            })
            .collect();
        if ids.len() < 2 || ids.len() >= keep.len() {
            return Ok(None);
        }
        let rows = crate::cluster::select_rows(x.matrix(), &keep);
        crate::metrics::silhouette_cosine(&rows, &labels).map(Some)
    }

    /// Scores `labels` (the topics, -1 for outliers, counted as one more
    /// cluster) against the true labels.
    /// A labels file's ids that match no document are counted in a warning
    /// (an id mistyped, or a labels file of another corpus).
    fn score(
        &self,
        corpus: &Corpus,
        source: &Labels,
        labels: &[i64],
        warnings: &mut Vec<String>,
    ) -> Result<LabelMetrics> {
        let truth: Vec<Option<String>> = match source {
            Labels::Field(field) => field_labels(&corpus.documents, field)?,
            Labels::File(path) => {
                let ids: Vec<&str> = corpus.documents.iter().map(|d| d.id.as_str()).collect();
                let (truth, unmatched) = file_labels(path, &ids)?;
                warnings.extend(unmatched);
                truth
            }
        };
        let name = match source {
            Labels::Field(f) => format!("field {f:?}"),
            Labels::File(p) => p.display().to_string(),
        };
        score_labels(&name, &truth, labels, &self.ignore_labels)
    }
}

/// The true label of each of `ids` from the labels file `path` (see
/// [`read_labels`]), and a warning when some of the file's ids match none of
/// them (an id mistyped, or a labels file of another corpus).
pub fn file_labels(path: &Path, ids: &[&str]) -> Result<(Vec<Option<String>>, Option<String>)> {
    let map = read_labels(path)?;
    let truth = ids.iter().map(|&id| map.get(id).cloned()).collect();
    let known: std::collections::HashSet<&str> = ids.iter().copied().collect();
    let unmatched = map.keys().filter(|k| !known.contains(k.as_str())).count();
    let warning = (unmatched > 0).then(|| {
        format!(
            "{}: {unmatched} of its {} labels have an id that matches no document; they are \
             not scored",
            path.display(),
            map.len()
        )
    });
    Ok((truth, warning))
}

/// A JSON value as text: strings as they are, anything else as written;
/// `null` is no value. Group keys (`--group-field`) are read this way.
pub fn label_text(v: &serde_json::Value) -> Option<String> {
    match v {
        serde_json::Value::Null => None,
        serde_json::Value::String(s) => Some(s.clone()),
        other => Some(other.to_string()),
    }
}

/// A true label as text: strings as they are, booleans printed, numbers
/// printed with a whole number written with a fraction (`1.0`) as the
/// integer (`1`), so that the two are one label as they are in Python;
/// `null` is no label. An array or an object is not a label: the error
/// says which it is (`--text-field` refuses them as text the same way).
///
/// ```
/// use serde_json::json;
/// use topica::job::true_label;
///
/// assert_eq!(true_label(&json!(1.0)), Ok(Some("1".to_string())));
/// assert_eq!(true_label(&json!(1)), Ok(Some("1".to_string())));
/// assert_eq!(true_label(&json!("1.0")), Ok(Some("1.0".to_string())));
/// assert_eq!(true_label(&json!(null)), Ok(None));
/// assert_eq!(true_label(&json!(["earn"])), Err("an array"));
/// ```
pub fn true_label(v: &serde_json::Value) -> std::result::Result<Option<String>, &'static str> {
    use serde_json::Value;
    match v {
        Value::Array(_) => Err("an array"),
        Value::Object(_) => Err("an object"),
        Value::Number(n) => Ok(Some(match n.as_f64() {
            Some(f) if n.is_f64() && f.fract() == 0.0 && f.abs() < 9.007_199_254_740_992e15 => {
                format!("{}", f as i64)
            }
            _ => n.to_string(),
        })),
        other => Ok(label_text(other)),
    }
}

/// The true label of each document in its field `field` ([`true_label`]),
/// `None` where it has none; an error naming the file and line of a
/// document whose field holds an array or an object.
pub fn field_labels(docs: &[crate::corpus::Document], field: &str) -> Result<Vec<Option<String>>> {
    docs.iter()
        .map(|d| match d.fields.get(field) {
            None => Ok(None),
            Some(v) => true_label(v).map_err(|what| {
                Error::input(
                    Path::new(&*d.source),
                    Some(d.line),
                    format!(
                        "the field {field:?} of document {:?} is {what}, not a label (a string, \
                         number or boolean)",
                        d.id
                    ),
                )
            }),
        })
        .collect()
}

/// Reads `id -> label` from a CSV file with `id` and `label` columns or a
/// JSONL file with `id` and `label` fields (strings or numbers).
pub fn read_labels(path: &Path) -> Result<HashMap<String, String>> {
    read_table(path, "id", "label")
}

/// Reads `key -> value` from a CSV file (header row) or, when the name ends
/// in `.jsonl`/`.ndjson`, a JSON Lines file; either gzipped when the name
/// ends in `.gz` (`labels.csv.gz`, `labels.jsonl.gz`), as the corpus readers
/// take them. Values may be strings, numbers or booleans; `null` and empty
/// cells are skipped. Errors name the file and the line.
pub fn read_table(path: &Path, key: &str, value: &str) -> Result<HashMap<String, String>> {
    let text = crate::corpus::read_text(path)?;
    let jsonl = Format::from_path(path) == Some(Format::Jsonl);
    let mut map = HashMap::new();
    let mut insert = |line: usize, k: String, v: String| {
        if map.insert(k.clone(), v).is_some() {
            return Err(Error::input(
                path,
                Some(line),
                format!("{key} {k:?} appears twice"),
            ));
        }
        Ok(())
    };
    if jsonl {
        for (n, line) in text.lines().enumerate() {
            if line.trim().is_empty() {
                continue;
            }
            let record: serde_json::Value = serde_json::from_str(line)
                .map_err(|e| Error::input(path, Some(n + 1), format!("not JSON: {e}")))?;
            let field = |name: &str| {
                record
                    .get(name)
                    .ok_or_else(|| Error::input(path, Some(n + 1), format!("no field `{name}`")))
            };
            let k = label_text(field(key)?)
                .ok_or_else(|| Error::input(path, Some(n + 1), format!("`{key}` is null")))?;
            let v = true_label(field(value)?).map_err(|what| {
                Error::input(
                    path,
                    Some(n + 1),
                    format!("`{value}` is {what}, not a label (a string, number or boolean)"),
                )
            })?;
            if let Some(v) = v {
                insert(n + 1, k, v)?;
            }
        }
    } else {
        let mut reader = ::csv::Reader::from_reader(text.as_bytes());
        let headers = reader
            .headers()
            .map_err(|e| Error::input(path, Some(1), format!("bad CSV header: {e}")))?
            .clone();
        if let Some(message) = crate::corpus::duplicate_column(&headers) {
            return Err(Error::input(path, Some(1), message));
        }
        let column = |name: &str| {
            headers.iter().position(|h| h == name).ok_or_else(|| {
                Error::input(
                    path,
                    Some(1),
                    format!(
                        "no column `{name}` in the header ({})",
                        headers.iter().collect::<Vec<_>>().join(",")
                    ),
                )
            })
        };
        let (kc, vc) = (column(key)?, column(value)?);
        for record in reader.records() {
            let record = record.map_err(|e| {
                Error::input(
                    path,
                    e.position().map(|p| p.line() as usize),
                    format!("bad CSV: {e}"),
                )
            })?;
            let line = record.position().map_or(0, |p| p.line() as usize);
            let (Some(k), Some(v)) = (record.get(kc), record.get(vc)) else {
                return Err(Error::input(path, Some(line), "too few columns"));
            };
            if !v.is_empty() {
                insert(line, k.to_string(), v.to_string())?;
            }
        }
    }
    Ok(map)
}

/// The dendrogram with its leaves named: document ids (the documents with
/// terms, in reading order, are the leaves `0..n`), or `micro:J` when the
/// corpus was too large to cluster directly, which a warning then says.
fn leaves_named(
    c: &Clustering,
    docs: &[crate::corpus::Document],
    warnings: &mut Vec<String>,
) -> Option<crate::report::Dendrogram> {
    let mut d = c.dendrogram.clone()?;
    if d.leaves.first().is_some_and(|l| l.starts_with("micro:")) {
        warnings.push(format!(
            "hierarchical clustering of {} documents ran on {} k-means micro-clusters (more \
             than the {} documents clustered directly); the dendrogram's leaves are those \
             micro-clusters",
            docs.len(),
            d.leaves.len(),
            crate::cluster::hierarchical::DEFAULT_MAX_DIRECT
        ));
        return Some(d);
    }
    let no_terms: std::collections::HashSet<usize> = c
        .outliers
        .iter()
        .filter(|(_, r)| matches!(r, OutlierReason::NoTerms))
        .map(|(i, _)| *i)
        .collect();
    let ids: Vec<String> = (0..docs.len())
        .filter(|i| !no_terms.contains(i))
        .map(|i| docs[i].id.clone())
        .collect();
    if ids.len() == d.leaves.len() {
        d.leaves = ids;
    }
    Some(d)
}

/// Renumbers topics by decreasing size (smaller original id first on ties):
/// the new labels (-1 kept) and the original id of each new topic. Empty
/// clusters get no topic: a topic of 0 documents has no terms and no name
/// (linfa's k-means can leave one empty on duplicate documents).
fn by_size(c: &Clustering) -> (Vec<i64>, Vec<usize>) {
    let k = c.n_topics();
    let mut sizes = vec![0usize; k];
    for &l in &c.labels {
        if l >= 0 {
            sizes[l as usize] += 1;
        }
    }
    let mut order: Vec<usize> = (0..k).filter(|&t| sizes[t] > 0).collect();
    order.sort_by(|&a, &b| sizes[b].cmp(&sizes[a]).then(a.cmp(&b)));
    let mut new_id = vec![0i64; k];
    for (new, &old) in order.iter().enumerate() {
        new_id[old] = new as i64;
    }
    let labels = c
        .labels
        .iter()
        .map(|&l| if l < 0 { -1 } else { new_id[l as usize] })
        .collect();
    (labels, order)
}

/// The name and terms of one topic, from [`crate::topics`].
#[derive(Debug, Clone, PartialEq)]
pub struct NamedTopic {
    /// The name.
    pub name: String,
    /// `"guided"` or `"terms"`.
    pub named_by: String,
    /// Top terms, best first.
    pub terms: Vec<TopicTerm>,
}

/// The raw term counts, kept for naming the topics, in less memory while
/// the topics are found: their values alone, as `u32`, when they have the
/// TF-IDF rows' pattern of non-zeros (they always do, both being built from
/// the same counts), else the matrix itself. The matrix is 12 bytes per
/// non-zero (an `f64` and a `u32` column index), its values alone 4: on
/// all of 20 Newsgroups, about 16 MB less at the peak of clustering.
enum KeptCounts {
    Values(Vec<u32>),
    Matrix(SparseMatrix<f64>),
}

impl KeptCounts {
    fn new(counts: SparseMatrix<f64>, x: &SparseMatrix<f64>) -> Self {
        let same_pattern = counts.shape() == x.shape()
            && counts.indptr().raw_storage() == x.indptr().raw_storage()
            && counts.indices() == x.indices();
        let whole = |v: f64| (0.0..=f64::from(u32::MAX)).contains(&v) && v.fract() == 0.0;
        if same_pattern && counts.data().iter().all(|&v| whole(v)) {
            KeptCounts::Values(counts.data().iter().map(|&v| v as u32).collect())
        } else {
            KeptCounts::Matrix(counts)
        }
    }

    /// The counts as a matrix again, with the pattern of `x` (the rows they
    /// were kept beside).
    fn into_matrix(self, x: &SparseMatrix<f64>) -> SparseMatrix<f64> {
        match self {
            KeptCounts::Matrix(m) => m,
            KeptCounts::Values(values) => SparseMatrix::new(
                x.shape(),
                x.indptr().raw_storage().to_vec(),
                x.indices().to_vec(),
                values.into_iter().map(f64::from).collect(),
            ),
        }
    }
}

/// Names the `k` topics of `labels` (-1: outliers): c-TF-IDF top terms in
/// their surface forms, and names from the topics file when one is given.
fn name_topics(
    model: &TfidfVectorizer,
    counts: &SparseMatrix<f64>,
    labels: &[i64],
    k: usize,
    texts: &[&str],
    naming: &NamingParams,
    warnings: &mut Vec<String>,
) -> Result<Vec<NamedTopic>> {
    let ctfidf = CTfIdf::fit(counts, labels, k)?;
    let surface = SurfaceForms::collect(model, texts);
    let vocabulary = model.vocabulary();
    let guided = match &naming.topics_file {
        None => None,
        Some(path) => {
            let topics = GuidedTopics::read(path)?;
            let matching = topics.match_topics(&ctfidf, model);
            warnings.extend(matching.warnings.iter().cloned());
            Some(matching)
        }
    };
    Ok((0..k)
        .map(|t| {
            let terms: Vec<TopicTerm> = ctfidf
                .top_terms(t, naming.top_terms)
                .into_iter()
                .map(|(j, weight)| TopicTerm {
                    term: vocabulary.term(j).to_string(),
                    surface: surface.surface(j).to_string(),
                    weight,
                })
                .collect();
            match guided.as_ref().and_then(|m| m.names[t].clone()) {
                Some(name) => NamedTopic {
                    name,
                    named_by: "guided".into(),
                    terms,
                },
                None => {
                    let top: Vec<&str> = terms.iter().map(|t| t.surface.as_str()).collect();
                    NamedTopic {
                        name: term_label(&top),
                        named_by: "terms".into(),
                        terms,
                    }
                }
            }
        })
        .collect())
}

/// Scores predicted topics against true labels. Documents without a true
/// label, or with one of `ignore`, are left out; the outliers (-1) count as
/// one more cluster, so that putting a topical document aside costs.
///
/// ```
/// use topica::job::score_labels;
///
/// let truth: Vec<Option<String>> = ["a", "a", "b", "b", "noise"]
///     .iter()
///     .map(|s| Some(s.to_string()))
///     .collect();
/// let m = score_labels("example", &truth, &[1, 1, 0, 0, -1], &["noise".into()])?;
/// assert_eq!((m.scored, m.ignored), (4, 1));
/// assert!((m.adjusted_rand_index - 1.0).abs() < 1e-12);
/// # Ok::<(), topica::Error>(())
/// ```
pub fn score_labels(
    name: &str,
    truth: &[Option<String>],
    predicted: &[i64],
    ignore: &[String],
) -> Result<LabelMetrics> {
    if truth.len() != predicted.len() {
        return Err(Error::Fit(format!(
            "{} true labels for {} documents",
            truth.len(),
            predicted.len()
        )));
    }
    let mut t = Vec::new();
    let mut p = Vec::new();
    let (mut unlabeled, mut ignored) = (0, 0);
    for (label, &topic) in truth.iter().zip(predicted) {
        match label {
            None => unlabeled += 1,
            Some(l) if ignore.contains(l) => ignored += 1,
            Some(l) => {
                t.push(l.as_str());
                p.push(topic);
            }
        }
    }
    if t.is_empty() {
        return Err(Error::Fit(format!(
            "no document has a label in {name} (of {} documents, {unlabeled} unlabeled, \
             {ignored} ignored): check the ids or the field name",
            truth.len()
        )));
    }
    let s = crate::metrics::score_labels(&t, &p)?;
    Ok(LabelMetrics {
        labels: name.to_string(),
        scored: t.len(),
        unlabeled,
        ignored,
        adjusted_rand_index: s.adjusted_rand_index,
        normalized_mutual_info: s.normalized_mutual_info,
        homogeneity: s.homogeneity,
        completeness: s.completeness,
        v_measure: s.v_measure,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analyze::StopWordList;

    /// The counts kept as values beside the TF-IDF rows come back as the
    /// same matrix; counts of another pattern are kept whole.
    #[test]
    fn kept_counts_come_back_the_same() {
        let texts: Vec<String> = std::fs::read_dir("data/news")
            .unwrap()
            .map(|e| std::fs::read_to_string(e.unwrap().path()).unwrap())
            .flat_map(|t| t.split("\n\n").map(str::to_string).collect::<Vec<_>>())
            .collect();
        let (model, tfidf, counts) = TfidfParams::default()
            .stop_words(Some(StopWordList::English))
            .sublinear_tf(true)
            .fit_transform_with_counts(&texts)
            .unwrap();
        let (mut x, _) = tfidf.into_parts();
        model.reweight_idf_in_place(&mut x, 2.0).unwrap();
        let counts = counts.into_parts().0;
        assert!(counts.data().iter().any(|&v| v > 1.0), "some word repeats");
        let kept = KeptCounts::new(counts.clone(), &x);
        assert!(matches!(kept, KeptCounts::Values(_)));
        assert_eq!(kept.into_matrix(&x), counts);
        // Another pattern (the first row emptied): the matrix is kept.
        let other = SparseMatrix::new(
            x.shape(),
            std::iter::once(0)
                .chain(
                    x.indptr().raw_storage()[1..]
                        .iter()
                        .map(|&p| p - x.indptr().raw_storage()[1]),
                )
                .collect(),
            x.indices()[x.indptr().raw_storage()[1]..].to_vec(),
            counts.data()[x.indptr().raw_storage()[1]..].to_vec(),
        );
        let kept = KeptCounts::new(other.clone(), &x);
        assert!(matches!(kept, KeptCounts::Matrix(_)));
        assert_eq!(kept.into_matrix(&x), other);
    }
}
