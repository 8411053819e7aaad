//! `topica cluster`: documents in, named topics out (a report, assignments,
//! a summary on the terminal).

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use clap::Args;

use super::{InputArgs, topica_error};
use topica::analyze::Language;
use topica::cluster::hierarchical::Linkage;
use topica::cluster::{ClusterParams, ContextParams, KChoice, Method, NInit, Refine};
use topica::job::{ClusterJob, Labels, NamingParams, Progress};
use topica::report::{Staging, counted};
use topica::vectorize::{DocFreq, TfidfVectorizer};

/// Flags of `topica cluster`.
#[derive(Debug, Args)]
pub struct ClusterArgs {
    #[command(flatten)]
    pub input: InputArgs,

    /// Number of topics, or `auto` to try --k-range and keep the best
    /// silhouette (cosine), compared in a 30-dimension LSA reduction.
    #[arg(
        long,
        default_value = "auto",
        value_name = "N|auto",
        conflicts_with = "distance_threshold"
    )]
    pub k: String,

    /// The k tried by `--k auto`, as MIN,MAX [default: 2,10].
    #[arg(long, value_name = "MIN,MAX", value_parser = super::vectorize::parse_range)]
    pub k_range: Option<(usize, usize)>,

    /// Clustering method: kmeans (spherical k-means on the sparse TF-IDF
    /// rows), lsa-kmeans (linfa's k-means on the LSA reduction) or
    /// hierarchical (agglomerative, see --linkage).
    #[arg(long, default_value = "kmeans", value_name = "METHOD")]
    pub method: Method,

    /// Linkage of hierarchical clustering: ward, average, complete or single
    /// [default: ward].
    #[arg(long, value_name = "LINKAGE")]
    pub linkage: Option<Linkage>,

    /// Cut the dendrogram at this cosine distance instead of at k clusters
    /// (hierarchical only; not with --k).
    #[arg(long, value_name = "D")]
    pub distance_threshold: Option<f64>,

    /// Dimensions of the LSA reduction: the space of lsa-kmeans, and the one
    /// --coords projects from (capped below the number of documents)
    /// [default: 100].
    #[arg(long, value_name = "N")]
    pub n_components: Option<usize>,

    /// k-means runs from different k-means++ starts; the best objective is
    /// kept. auto: 1 when the runs end with Hartigan's moves (--refine), 10
    /// otherwise; on fewer than 10,000 documents, 10,000 documents' worth
    /// (at most 100 runs) [default: auto].
    #[arg(long, value_name = "N|auto")]
    pub n_init: Option<NInit>,

    /// Hartigan's single-row moves after each k-means run: auto (unless
    /// document context blended some paragraphs), hartigan (--method kmeans
    /// without --batch-size only), or none (plain Lloyd iterations, as
    /// scikit-learn's KMeans) [default: auto].
    #[arg(long, value_name = "HOW")]
    pub refine: Option<Refine>,

    /// Most k-means iterations per run (epochs with --batch-size; and most
    /// passes of Hartigan's moves) [default: 100].
    #[arg(long, value_name = "N")]
    pub max_iter: Option<usize>,

    /// Stop a k-means run (its Lloyd iterations, then its passes of
    /// Hartigan's moves) when its objective improves by less than this
    /// fraction. Refined runs leave Lloyd's iterations for the moves once
    /// one improves it by less than 1% (or TOL, when larger). lsa-kmeans
    /// passes it to linfa's KMeans, which stops when the centroids move by
    /// less than TOL in all (an absolute distance) [default: 0.0001].
    #[arg(long, value_name = "TOL")]
    pub tol: Option<f64>,

    /// Seed of every random choice; the same seed gives the same topics
    /// whatever the number of threads.
    #[arg(long, default_value_t = 0, value_name = "N")]
    pub seed: u64,

    /// Mini-batch k-means with batches of this many documents: faster than
    /// full passes on large corpora (a run stops after 10 batches in a row
    /// without improvement, as scikit-learn's), with somewhat weaker topics.
    #[arg(long, value_name = "N")]
    pub batch_size: Option<usize>,

    /// Paragraphs of plain text take in this many neighbours on each side
    /// (0: none). Records of JSONL and CSV files stand alone, unless
    /// --group-field makes them paragraphs of documents.
    #[arg(long, default_value_t = ContextParams::default().window, value_name = "N")]
    pub context_window: usize,

    /// Weight of a neighbour at distance 1 (distance d: weight^d).
    #[arg(long, default_value_t = ContextParams::default().weight, value_name = "W")]
    pub context_weight: f64,

    /// Share of a neighbour's weight kept when it shares no term with the
    /// paragraph (1: no gating).
    #[arg(long, default_value_t = ContextParams::default().floor, value_name = "F")]
    pub context_floor: f64,

    /// A document whose own vector's cosine to every topic centroid is below
    /// this goes to topic -1.
    #[arg(long, default_value_t = ClusterParams::default().outlier_threshold, value_name = "COS")]
    pub outlier_threshold: f64,

    /// A paragraph of plain text with fewer informative terms than this,
    /// sharing none with its neighbours, goes to topic -1 (0: never).
    #[arg(long, default_value_t = ClusterParams::default().min_terms, value_name = "N")]
    pub min_terms: usize,

    /// Cluster paragraphs of plain text that are metadata lines ("Source:
    /// ...", "Tags: ...": one short line opening with a one- or two-word
    /// label and a colon) instead of sending them to topic -1.
    #[arg(long)]
    pub keep_metadata_lines: bool,

    /// Stop words: english (scikit-learn's list), a language, a file of
    /// words, or none.
    #[arg(long, default_value = "english", value_name = "LIST|FILE|none")]
    pub stop_words: String,

    /// Snowball-stem words in this language.
    #[arg(long, value_name = "LANGUAGE")]
    pub stem: Option<Language>,

    /// Lengths of word n-grams, as MIN,MAX.
    #[arg(long, default_value = "1,1", value_name = "MIN,MAX", value_parser = super::vectorize::parse_range)]
    pub ngram_range: (usize, usize),

    /// Ignore terms in fewer documents than this (a count or a proportion).
    #[arg(long, default_value = "2", value_name = "N|P")]
    pub min_df: DocFreq,

    /// Ignore terms in more documents than this (a count or a proportion).
    #[arg(long, default_value = "0.5", value_name = "N|P")]
    pub max_df: DocFreq,

    /// Keep only this many terms, the most frequent.
    #[arg(long, value_name = "N")]
    pub max_features: Option<usize>,

    /// Use raw term counts instead of 1 + ln(tf).
    #[arg(long)]
    pub no_sublinear_tf: bool,

    /// Topics are found in the TF-IDF rows with idf raised to this power
    /// (rows normalised again): 1 is scikit-learn's TF-IDF, 2 gives words
    /// found in many documents less say (README.md, "Term weighting").
    #[arg(long, default_value_t = ClusterJob::DEFAULT_IDF_POWER, value_name = "P")]
    pub idf_power: f64,

    /// Named topics with seed words (TOML: name = ["word", ...]).
    #[arg(long, value_name = "FILE")]
    pub topics: Option<PathBuf>,

    /// Terms listed per topic.
    #[arg(long, default_value_t = 10, value_name = "N")]
    pub top_terms: usize,

    /// Representative documents listed per topic.
    #[arg(long, default_value_t = 5, value_name = "N")]
    pub representatives: usize,

    /// Write the report here (JSON, schema in README.md; `-`: standard
    /// output, instead of the summary; a name ending in .gz: compressed).
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,

    /// Write one row per document (id, topic, topic_name, score) here: CSV
    /// when the name ends in .csv (or .csv.gz, compressed), else JSON Lines
    /// (`-`: standard output, instead of the summary).
    #[arg(long, value_name = "FILE")]
    pub assignments: Option<PathBuf>,

    /// Records (JSONL, CSV) with the same value in this field, in one file,
    /// are the paragraphs of one document, in file order: document context
    /// blends them as it does a plain-text file's (other records may lie
    /// between them).
    #[arg(long, value_name = "NAME")]
    pub group_field: Option<String>,

    /// Score the topics against the labels in this field of the documents
    /// (JSONL, CSV).
    #[arg(long, value_name = "NAME", conflicts_with = "labels")]
    pub label_field: Option<String>,

    /// Score the topics against the labels in this file (CSV or JSONL with
    /// the fields id and label).
    #[arg(long, value_name = "FILE")]
    pub labels: Option<PathBuf>,

    /// Leave documents with this true label out of the scores (repeatable),
    /// e.g. `noise`.
    #[arg(long, value_name = "LABEL")]
    pub ignore_label: Vec<String>,

    /// Add map coordinates in N dimensions (2 or 3) and the opening words of
    /// every document to the report: the LSA space projected onto the
    /// principal axes of the topic centroids (see README.md); `topica
    /// report` draws the map.
    #[arg(long, value_name = "N")]
    pub coords: Option<usize>,

    /// Print nothing on standard output.
    #[arg(short, long)]
    pub quiet: bool,
}

impl ClusterArgs {
    fn job(&self) -> anyhow::Result<ClusterJob> {
        let stop_words = super::stop_words(Some(&self.stop_words))?;
        let vectorizer = TfidfVectorizer::params()
            .stop_words(stop_words)
            .stem(self.stem)
            .ngram_range(self.ngram_range.0, self.ngram_range.1)
            .min_df(self.min_df)
            .max_df(self.max_df)
            .max_features(self.max_features)
            .sublinear_tf(!self.no_sublinear_tf);
        let defaults = ClusterParams::default();
        let (min, max) = self.k_range.unwrap_or(match defaults.k {
            KChoice::Auto { min, max } => (min, max),
            KChoice::Fixed(_) => unreachable!("the default k is auto"),
        });
        let k = match self.k.as_str() {
            "auto" => KChoice::Auto { min, max },
            n => KChoice::Fixed(n.parse::<usize>().map_err(|_| {
                topica_error(topica::ParamError::new(
                    "k",
                    format!("expected a whole number or `auto`, got {n:?}"),
                ))
            })?),
        };
        // Options of another method are ignored, with a warning (a script
        // may pass the same options to every method); --distance-threshold
        // and --refine hartigan, which change what the others mean, are
        // refused instead.
        let ignored = |option: &str, given: bool, applies: bool, to: &str| {
            if given && !applies {
                eprintln!(
                    "topica: warning: {option} ignored: it applies to {to}, not --method {}",
                    self.method
                );
            }
        };
        ignored(
            "--linkage",
            self.linkage.is_some(),
            self.method == Method::Hierarchical,
            "--method hierarchical",
        );
        let hierarchical = self.method == Method::Hierarchical;
        for (option, given) in [
            ("--n-init", self.n_init.is_some()),
            ("--max-iter", self.max_iter.is_some()),
            ("--tol", self.tol.is_some()),
            ("--batch-size", self.batch_size.is_some()),
            // --refine hartigan is refused with hierarchical by the check.
            (
                "--refine",
                self.refine.is_some_and(|r| r != Refine::Hartigan),
            ),
        ] {
            ignored(
                option,
                given,
                !hierarchical,
                "--method kmeans or lsa-kmeans",
            );
        }
        if self.k_range.is_some() && (self.k != "auto" || self.distance_threshold.is_some()) {
            eprintln!(
                "topica: warning: --k-range ignored: it applies to --k auto, not {}",
                if self.distance_threshold.is_some() {
                    "--distance-threshold".to_string()
                } else {
                    format!("--k {}", self.k)
                }
            );
        }
        ignored(
            "--n-components",
            self.n_components.is_some(),
            self.method == Method::LsaKmeans || self.coords.is_some(),
            "--method lsa-kmeans or --coords",
        );
        let mut read = super::input_files(&self.input.inputs);
        read.extend(self.labels.as_deref().map(|p| ("labels", p)));
        read.extend(self.topics.as_deref().map(|p| ("topics", p)));
        read.extend(super::stop_word_file(Some(&self.stop_words)));
        topica::report::check_outputs(
            &[
                ("output", self.output.as_deref()),
                ("assignments", self.assignments.as_deref()),
            ],
            &read,
        )
        .map_err(topica_error)?;
        let clustering = ClusterParams {
            k,
            method: self.method,
            n_init: self.n_init.unwrap_or(defaults.n_init),
            refine: self.refine.unwrap_or(defaults.refine),
            max_iter: self.max_iter.unwrap_or(defaults.max_iter),
            tol: self.tol.unwrap_or(defaults.tol),
            seed: self.seed,
            batch_size: self.batch_size,
            context: ContextParams {
                window: self.context_window,
                weight: self.context_weight,
                floor: self.context_floor,
            },
            outlier_threshold: self.outlier_threshold,
            min_terms: self.min_terms,
            metadata_lines: !self.keep_metadata_lines,
            linkage: self.linkage.unwrap_or(defaults.linkage),
            distance_threshold: self.distance_threshold,
            n_components: self.n_components.unwrap_or(defaults.n_components),
        };
        let labels = match (&self.label_field, &self.labels) {
            (Some(field), _) => Some(Labels::Field(field.clone())),
            (None, Some(path)) => Some(Labels::File(path.clone())),
            (None, None) => None,
        };
        Ok(ClusterJob {
            idf_power: self.idf_power,
            vectorizer,
            clustering,
            naming: NamingParams {
                topics_file: self.topics.clone(),
                top_terms: self.top_terms,
                representatives: self.representatives,
            },
            labels,
            ignore_labels: self.ignore_label.clone(),
            coords: self.coords,
            group_field: self.group_field.clone(),
        })
    }
}

/// Runs `topica cluster`.
pub fn run(args: ClusterArgs) -> anyhow::Result<ExitCode> {
    let job = args.job()?;
    job.check().map_err(topica_error)?;
    let start = Instant::now();
    let progress = Progress::stderr(args.quiet);
    progress.stage("reading");
    let corpus = args.input.read()?;
    let inputs: Vec<String> = args
        .input
        .inputs
        .iter()
        .map(|p| p.display().to_string())
        .collect();
    let format = args.input.options().format;
    let report = job
        .run(&corpus, &inputs, format, &progress)
        .map_err(topica_error)?;
    progress.finish();
    for w in &report.warnings {
        if !corpus.warnings.contains(w) {
            eprintln!("topica: warning: {w}");
        }
    }

    let mut staging = Staging::new();
    if let Some(path) = &args.output {
        staging
            .write(path, |w| report.write_json(w))
            .map_err(topica_error)?;
    }
    if let Some(path) = &args.assignments {
        let csv = topica::report::without_gz(path)
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("csv"));
        staging
            .write(path, |w| report.write_assignments(w, csv))
            .map_err(topica_error)?;
    }
    staging.commit().map_err(topica_error)?;
    // An output on standard output takes the summary's place there.
    let to_stdout = [&args.output, &args.assignments]
        .into_iter()
        .flatten()
        .any(|p| p.as_os_str() == "-");
    if !args.quiet && !to_stdout {
        let texts: Vec<&str> = corpus.documents.iter().map(|d| d.text.as_str()).collect();
        super::print_stdout(&report.summary(&texts, args.top_terms.min(8)))?;
    }
    eprintln!(
        "topica: {}, {}, {} in {:.2} s",
        counted(report.topics.len(), "topic"),
        counted(report.documents.len(), "document"),
        counted(report.outliers.len(), "outlier"),
        start.elapsed().as_secs_f64()
    );
    Ok(ExitCode::SUCCESS)
}
