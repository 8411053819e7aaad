//! `topica eval`: predicted topics against true labels (adjusted Rand index,
//! NMI, V-measure, homogeneity, completeness) and, when the corpus is given,
//! the silhouette of the topics.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;

use super::topica_error;
use topica::job::{ClusterJob, read_table, score_labels};
use topica::report::TopicReport;

/// Flags of `topica eval`.
#[derive(Debug, Args)]
#[group(id = "truth", required = true, args = ["labels", "label_field"])]
pub struct EvalArgs {
    /// The predicted topics: a report of `topica cluster -o` (.json), or
    /// assignments (CSV or JSON Lines with the fields id and topic).
    #[arg(value_name = "PREDICTED")]
    pub predicted: PathBuf,

    /// The true labels: CSV or JSON Lines with the fields id and label.
    #[arg(long, value_name = "FILE")]
    pub labels: Option<PathBuf>,

    /// Take the true labels from this field of the corpus's records
    /// (needs --corpus).
    #[arg(
        long,
        value_name = "NAME",
        conflicts_with = "labels",
        requires = "corpus"
    )]
    pub label_field: Option<String>,

    /// The corpus the topics were found in: with it, the silhouette (cosine)
    /// of the topics is computed on TF-IDF vectors with `topica cluster`'s
    /// default vectorizer, outliers left out. One input each (a file, a
    /// directory or `-`); repeat --corpus for several.
    #[arg(long, value_name = "INPUT")]
    pub corpus: Vec<PathBuf>,

    /// How to read --corpus: give the reading flags the clustering command had.
    #[command(flatten)]
    pub read: super::input::ReadArgs,

    /// Leave documents with this true label out of the scores (repeatable).
    #[arg(long, value_name = "LABEL")]
    pub ignore_label: Vec<String>,

    /// Print the scores as one JSON object.
    #[arg(long)]
    pub json: bool,
}

/// Runs `topica eval`.
pub fn run(args: EvalArgs) -> anyhow::Result<ExitCode> {
    let predicted = read_predicted(&args.predicted)?;
    let corpus = if args.corpus.is_empty() {
        None
    } else {
        Some(args.read.read(&args.corpus)?)
    };
    // The documents scored: the corpus's when given (in its order), else the
    // predicted file's.
    let ids: Vec<String> = match &corpus {
        Some(c) => c.documents.iter().map(|d| d.id.clone()).collect(),
        None => predicted.iter().map(|(id, _)| id.clone()).collect(),
    };
    let topic_of: std::collections::HashMap<&str, i64> =
        predicted.iter().map(|(id, t)| (id.as_str(), *t)).collect();
    let mut topics = Vec::with_capacity(ids.len());
    for id in &ids {
        match topic_of.get(id.as_str()) {
            Some(&t) => topics.push(t),
            None => {
                return Err(topica_error(topica::Error::input(
                    &args.predicted,
                    None,
                    format!("no topic for the document {id:?} of the corpus"),
                )));
            }
        }
    }
    let (name, truth): (String, Vec<Option<String>>) = match (&args.labels, &args.label_field) {
        (Some(path), _) => {
            let ids: Vec<&str> = ids.iter().map(String::as_str).collect();
            let (truth, unmatched) = topica::job::file_labels(path, &ids).map_err(topica_error)?;
            super::print_warnings(unmatched.as_slice());
            (path.display().to_string(), truth)
        }
        (None, Some(field)) => {
            let c = corpus.as_ref().expect("clap requires --corpus");
            (
                format!("field {field:?}"),
                topica::job::field_labels(&c.documents, field).map_err(topica_error)?,
            )
        }
        (None, None) => unreachable!("clap requires --labels or --label-field"),
    };
    let metrics = score_labels(&name, &truth, &topics, &args.ignore_label).map_err(topica_error)?;
    let silhouette = match &corpus {
        None => None,
        Some(c) => {
            let texts: Vec<&str> = c.documents.iter().map(|d| d.text.as_str()).collect();
            match ClusterJob::silhouette_of(&texts, &topics) {
                // Too few documents for the vectorizer (its df bounds, or no
                // term left): the label scores stand without it.
                Err(topica::Error::Fit(why)) => {
                    eprintln!(
                        "topica: warning: no silhouette: the default vectorizer of `topica \
                         cluster` cannot run on this corpus: {why}"
                    );
                    None
                }
                other => other.map_err(topica_error)?,
            }
        }
    };
    // Written into a String, which cannot fail (`fmt::Write`).
    use std::fmt::Write as _;
    let mut out = String::new();
    if args.json {
        let mut value = serde_json::to_value(&metrics)?;
        value["silhouette"] = serde_json::json!(silhouette);
        let _ = writeln!(out, "{value}");
    } else {
        let m = &metrics;
        let _ = writeln!(
            out,
            "labels: {} ({} documents scored, {} unlabeled, {} ignored)",
            m.labels, m.scored, m.unlabeled, m.ignored
        );
        let _ = writeln!(out, "adjusted Rand index:  {:.6}", m.adjusted_rand_index);
        let _ = writeln!(
            out,
            "normalized mutual info: {:.6}",
            m.normalized_mutual_info
        );
        let _ = writeln!(out, "V-measure:            {:.6}", m.v_measure);
        let _ = writeln!(out, "homogeneity:          {:.6}", m.homogeneity);
        let _ = writeln!(out, "completeness:         {:.6}", m.completeness);
        if let Some(s) = silhouette {
            let _ = writeln!(out, "silhouette (cosine):  {s:.6}");
        }
    }
    super::print_stdout(&out)?;
    Ok(ExitCode::SUCCESS)
}

/// `(id, topic)` from a report or an assignments file.
fn read_predicted(path: &std::path::Path) -> anyhow::Result<Vec<(String, i64)>> {
    let is_report = path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("json"));
    if is_report {
        let report = TopicReport::read(path).map_err(topica_error)?;
        return Ok(report
            .documents
            .into_iter()
            .map(|d| (d.id, d.topic))
            .collect());
    }
    let map = read_table(path, "id", "topic").map_err(topica_error)?;
    let mut rows = Vec::with_capacity(map.len());
    for (id, topic) in map {
        let t = topic.parse::<i64>().map_err(|_| {
            topica_error(topica::Error::input(
                path,
                None,
                format!("the topic of {id:?} is {topic:?}, not a whole number"),
            ))
        })?;
        rows.push((id, t));
    }
    rows.sort();
    Ok(rows)
}
