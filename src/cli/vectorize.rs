//! `topica vectorize`: documents in, a TF-IDF (or hashed) matrix out.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use clap::Args;

use super::{InputArgs, topica_error};
use topica::analyze::{
    AnalyzerKind, AnalyzerParams, DEFAULT_TOKEN_PATTERN, Language, StripAccents,
};
use topica::report::Staging;
use topica::vectorize::{
    DocFreq, HashingVectorizer, Norm, Real, SparseMatrix, TfidfParams, TfidfVectorizer, Vocabulary,
    write_matrix_market_to,
};

/// Flags of `topica vectorize`, named after scikit-learn's parameters.
#[derive(Debug, Args)]
pub struct VectorizeArgs {
    #[command(flatten)]
    pub input: InputArgs,

    /// Write the matrix here, in Matrix Market format (scipy.io.mmread reads it).
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,

    /// Write the vocabulary here, one term per line in column order.
    #[arg(long, value_name = "FILE", conflicts_with = "hashing")]
    pub vocabulary_out: Option<PathBuf>,

    /// Write the fitted model (parameters, vocabulary, idf) here, as JSON.
    #[arg(long, value_name = "FILE", conflicts_with_all = ["hashing", "model"])]
    pub model_out: Option<PathBuf>,

    /// Transform with a saved model (its vocabulary and idf) instead of fitting one.
    #[arg(long, value_name = "FILE", conflicts_with = "hashing")]
    pub model: Option<PathBuf>,

    #[command(flatten)]
    pub analysis: AnalysisArgs,

    #[command(flatten)]
    pub tfidf: TfidfArgs,

    /// Hash features into --n-features columns (scikit-learn's HashingVectorizer)
    /// instead of learning a vocabulary.
    #[arg(long)]
    pub hashing: bool,

    /// Columns of the hashed matrix.
    #[arg(long, default_value_t = 1 << 20, value_name = "N", requires = "hashing")]
    pub n_features: usize,

    /// Give every hashed feature a positive sign (scikit-learn's alternate_sign=False).
    #[arg(long, requires = "hashing")]
    pub no_alternate_sign: bool,

    /// Value type of the matrix.
    #[arg(long, default_value = "float64", value_parser = ["float64", "float32"])]
    pub dtype: String,
}

/// Text analysis flags, shared by every subcommand that analyses text.
#[derive(Debug, Args)]
pub struct AnalysisArgs {
    /// Features: word n-grams, or character n-grams (char: over the text,
    /// char_wb: inside words).
    #[arg(long, default_value = "word", value_name = "KIND", value_parser = ["word", "char", "char_wb"])]
    pub analyzer: String,

    /// Lowercase the text before tokenizing (the default).
    #[arg(long, overrides_with = "no_lowercase")]
    pub lowercase: bool,

    /// Keep the text's case.
    #[arg(long, overrides_with = "lowercase")]
    pub no_lowercase: bool,

    /// Strip accents after lowercasing: unicode (decompose, drop marks) or
    /// ascii (decompose, drop everything not ASCII).
    #[arg(long, value_name = "HOW", value_parser = ["unicode", "ascii"])]
    pub strip_accents: Option<String>,

    /// Regular expression that finds tokens, read as Python's `re` reads it
    /// (as scikit-learn's token_pattern); one capture group selects part of
    /// each match.
    #[arg(long, default_value = DEFAULT_TOKEN_PATTERN, value_name = "REGEX")]
    pub token_pattern: String,

    /// Stop words to remove: english (scikit-learn's list), a language
    /// (french, german, ... or an ISO code), or a file of words, one per line.
    #[arg(long, value_name = "LIST|FILE")]
    pub stop_words: Option<String>,

    /// Snowball-stem words in this language (after stop-word removal).
    #[arg(long, value_name = "LANGUAGE")]
    pub stem: Option<Language>,

    /// Lengths of n-grams, as MIN,MAX (1,2: words and pairs of words).
    #[arg(long, default_value = "1,1", value_name = "MIN,MAX", value_parser = parse_range)]
    pub ngram_range: (usize, usize),
}

/// TF-IDF flags.
#[derive(Debug, Args)]
pub struct TfidfArgs {
    /// Ignore terms in fewer documents than this: a count (2) or a proportion (0.01).
    #[arg(
        long,
        default_value = "1",
        value_name = "N|P",
        conflicts_with_all = ["model", "hashing"]
    )]
    pub min_df: DocFreq,

    /// Ignore terms in more documents than this: a count (500) or a proportion (0.5).
    #[arg(
        long,
        default_value = "1.0",
        value_name = "N|P",
        conflicts_with_all = ["model", "hashing"]
    )]
    pub max_df: DocFreq,

    /// Keep only this many terms, the most frequent over the corpus.
    #[arg(long, value_name = "N", conflicts_with_all = ["model", "hashing"])]
    pub max_features: Option<usize>,

    /// Use a fixed vocabulary, one term per line (no pruning).
    #[arg(long, value_name = "FILE", conflicts_with_all = ["model", "hashing"])]
    pub vocabulary: Option<PathBuf>,

    /// Count each term once per document.
    #[arg(long, conflicts_with = "model")]
    pub binary: bool,

    /// Row normalisation: l2, l1 or none.
    #[arg(long, default_value = "l2", value_name = "NORM", value_parser = ["l1", "l2", "none"], conflicts_with = "model")]
    pub norm: String,

    /// Do not weight terms by inverse document frequency.
    #[arg(long, conflicts_with_all = ["model", "hashing"])]
    pub no_use_idf: bool,

    /// Do not smooth the idf (scikit-learn's smooth_idf=False).
    #[arg(long, conflicts_with_all = ["model", "hashing"])]
    pub no_smooth_idf: bool,

    /// Replace tf with 1 + ln(tf).
    #[arg(long, conflicts_with_all = ["model", "hashing"])]
    pub sublinear_tf: bool,
}

/// `1,2` -> `(1, 2)`.
pub(crate) fn parse_range(s: &str) -> Result<(usize, usize), String> {
    let (a, b) = s
        .split_once(',')
        .ok_or_else(|| format!("`{s}` is not MIN,MAX (such as 1,2)"))?;
    let n = |x: &str| {
        x.trim()
            .parse::<usize>()
            .map_err(|_| format!("`{x}` is not a whole number"))
    };
    Ok((n(a)?, n(b)?))
}

impl AnalysisArgs {
    /// The analysis parameters (stop-word files are read here).
    pub fn params(&self) -> anyhow::Result<AnalyzerParams> {
        let stop_words = super::stop_words(self.stop_words.as_deref())?;
        Ok(AnalyzerParams::default()
            .analyzer(
                self.analyzer
                    .parse::<AnalyzerKind>()
                    .expect("clap checked the value"),
            )
            .lowercase(!self.no_lowercase)
            .strip_accents(
                self.strip_accents
                    .as_deref()
                    .map(|s| s.parse::<StripAccents>().expect("clap checked")),
            )
            .token_pattern(self.token_pattern.clone())
            .stop_words(stop_words)
            .stem(self.stem)
            .ngram_range(self.ngram_range.0, self.ngram_range.1))
    }
}

impl TfidfArgs {
    fn norm(&self) -> Option<Norm> {
        self.norm.parse::<Norm>().ok()
    }

    /// The TF-IDF parameters.
    pub fn params(&self, analysis: AnalyzerParams) -> anyhow::Result<TfidfParams> {
        let vocabulary = match &self.vocabulary {
            Some(path) => Some(
                Vocabulary::read(path)
                    .map_err(topica_error)?
                    .terms()
                    .to_vec(),
            ),
            None => None,
        };
        Ok(TfidfVectorizer::params()
            .analysis(analysis)
            .min_df(self.min_df)
            .max_df(self.max_df)
            .max_features(self.max_features)
            .vocabulary(vocabulary)
            .binary(self.binary)
            .norm(self.norm())
            .use_idf(!self.no_use_idf)
            .smooth_idf(!self.no_smooth_idf)
            .sublinear_tf(self.sublinear_tf))
    }
}

/// What was computed: the matrix, the vocabulary when there is one, and the
/// model when one was fitted.
struct Output<T: Real> {
    matrix: SparseMatrix<T>,
    vocabulary: Option<std::sync::Arc<Vocabulary>>,
    model: Option<TfidfVectorizer>,
}

/// Runs `topica vectorize`.
pub fn run(args: VectorizeArgs) -> anyhow::Result<ExitCode> {
    match args.dtype.as_str() {
        "float32" => run_as::<f32>(args),
        _ => run_as::<f64>(args),
    }
}

fn run_as<T: Real>(args: VectorizeArgs) -> anyhow::Result<ExitCode> {
    let analysis = args.analysis.params()?;
    // Parameters are checked before reading anything.
    let mut read = super::input_files(&args.input.inputs);
    read.extend(args.model.as_deref().map(|p| ("model", p)));
    read.extend(args.tfidf.vocabulary.as_deref().map(|p| ("vocabulary", p)));
    read.extend(super::stop_word_file(args.analysis.stop_words.as_deref()));
    topica::report::check_outputs(
        &[
            ("output", args.output.as_deref()),
            ("vocabulary-out", args.vocabulary_out.as_deref()),
            ("model-out", args.model_out.as_deref()),
        ],
        &read,
    )
    .map_err(topica_error)?;
    let model = match &args.model {
        Some(path) => {
            if analysis != AnalyzerParams::default() {
                return Err(topica_error(topica::ParamError::new(
                    "model",
                    "a saved model brings its own text analysis; drop the analysis flags \
                     (--stop-words, --stem, --ngram-range, ...)",
                )));
            }
            Some(TfidfVectorizer::load(path).map_err(topica_error)?)
        }
        None => None,
    };
    let params = args.tfidf.params(analysis.clone())?;
    let hasher = if args.hashing {
        Some(
            HashingVectorizer::params()
                .analysis(analysis)
                .n_features(args.n_features)
                .alternate_sign(!args.no_alternate_sign)
                .binary(args.tfidf.binary)
                .norm(args.tfidf.norm())
                .build()
                .map_err(topica_error)?,
        )
    } else {
        if model.is_none() {
            params.check().map_err(topica_error)?;
        }
        None
    };

    let start = Instant::now();
    let corpus = args.input.read()?;
    let read_seconds = start.elapsed().as_secs_f64();
    // Only the texts are needed: the vectorizers free them once counted.
    let texts: Vec<String> = corpus.documents.into_iter().map(|d| d.text).collect();
    let out: Output<T> = match (&hasher, &model) {
        (Some(hasher), _) => Output {
            matrix: hasher.transform_owned(texts),
            vocabulary: None,
            model: None,
        },
        (None, Some(model)) => {
            let x = model.transform_owned::<T>(texts);
            let (matrix, vocabulary) = x.into_parts();
            Output {
                matrix,
                vocabulary: Some(vocabulary),
                model: None,
            }
        }
        (None, None) => {
            let (fitted, x) = params
                .fit_transform_owned::<T>(texts)
                .map_err(topica_error)?;
            let (matrix, vocabulary) = x.into_parts();
            Output {
                matrix,
                vocabulary: Some(vocabulary),
                model: Some(fitted),
            }
        }
    };
    let seconds = start.elapsed().as_secs_f64();

    // Every output is written before any replaces its file: a run that fails
    // on one output leaves all of them as they were.
    let mut staging = Staging::new();
    if let Some(path) = &args.output {
        staging
            .write(path, |w| write_matrix_market_to(w, &out.matrix))
            .map_err(topica_error)?;
    }
    if let (Some(path), Some(vocabulary)) = (&args.vocabulary_out, &out.vocabulary) {
        staging
            .write(path, |w| vocabulary.write_to(w))
            .map_err(topica_error)?;
    }
    if let (Some(path), Some(model)) = (&args.model_out, &out.model) {
        staging
            .write(path, |w| model.save_to(w))
            .map_err(topica_error)?;
    }
    staging.commit().map_err(topica_error)?;
    let wrote_something =
        args.output.is_some() || args.vocabulary_out.is_some() || args.model_out.is_some();
    let (rows, cols) = out.matrix.shape();
    if wrote_something {
        eprintln!(
            "topica: {rows} documents x {cols} {} ({} non-zeros) in {seconds:.2} s",
            if args.hashing {
                "hashed columns"
            } else {
                "terms"
            },
            out.matrix.nnz()
        );
    } else {
        let mut stdout = std::io::stdout().lock();
        writeln!(stdout, "documents  {rows}")?;
        writeln!(
            stdout,
            "{:<10} {cols}",
            if args.hashing { "columns" } else { "terms" }
        )?;
        writeln!(stdout, "non-zeros  {}", out.matrix.nnz())?;
        writeln!(
            stdout,
            "seconds    {seconds:.3} (reading {read_seconds:.3})"
        )?;
    }
    // Everything is written; the process ends now. Freeing the vocabulary's
    // strings one by one took about 3% of the command on 20 Newsgroups: let
    // the system take the memory back at exit instead.
    std::mem::forget(out);
    Ok(ExitCode::SUCCESS)
}
