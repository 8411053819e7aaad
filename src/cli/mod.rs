//! The command-line interface: flags (clap derive; the doc comments are the
//! help), their conversion into library parameters, and printing. Parameter
//! rules live in the library's `check()`s, not here.

mod cluster;
mod eval;
mod input;
mod report;
mod similar;
mod vectorize;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

pub use self::input::InputArgs;
pub use self::vectorize::VectorizeArgs;

/// Groups paragraphs of text into topics and measures how similar they are.
#[derive(Debug, Parser)]
#[command(name = "topica", version, about, propagate_version = true)]
pub struct Cli {
    /// Number of worker threads (default: one per CPU). Results do not depend on it.
    #[arg(long, global = true, value_name = "N")]
    pub threads: Option<std::num::NonZeroUsize>,

    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Group documents into topics, name them, and report (the main job).
    Cluster(cluster::ClusterArgs),
    /// Render a report of `cluster -o` as one self-contained HTML page: the
    /// topic map, top terms, representatives, outliers.
    Report(report::ReportArgs),
    /// Score predicted topics against true labels (ARI, NMI, V-measure,
    /// homogeneity, completeness) and, given the corpus, their silhouette.
    Eval(eval::EvalArgs),
    /// The documents most like one document or a free-text query.
    Similar(similar::SimilarArgs),
    /// Every document's nearest others: the k-nearest-neighbour graph as
    /// JSON Lines.
    Neighbors(similar::NeighborsArgs),
    /// Groups of near-duplicate paragraphs.
    Duplicates(similar::DuplicatesArgs),
    /// Turn documents into TF-IDF (or hashed) vectors, as scikit-learn's
    /// TfidfVectorizer (or HashingVectorizer) does.
    Vectorize(VectorizeArgs),
}

/// Runs a parsed command line.
pub fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    if let Some(n) = cli.threads {
        rayon::ThreadPoolBuilder::new()
            .num_threads(n.get())
            .build_global()
            .map_err(|e| anyhow::anyhow!("cannot start {n} threads: {e}"))?;
    }
    match cli.command {
        Command::Cluster(args) => cluster::run(args),
        Command::Report(args) => report::run(args),
        Command::Eval(args) => eval::run(args),
        Command::Similar(args) => similar::run_similar(args),
        Command::Neighbors(args) => similar::run_neighbors(args),
        Command::Duplicates(args) => similar::run_duplicates(args),
        Command::Vectorize(args) => vectorize::run(args),
    }
}

/// A library error, kept whole so that `main` can tell usage from data errors.
pub(crate) fn topica_error(e: impl Into<topica::Error>) -> anyhow::Error {
    anyhow::Error::new(e.into())
}

/// `--stop-words`: a list's name (`english`, a language), a file of words,
/// or `none` (as no flag at all).
pub(crate) fn stop_words(
    spec: Option<&str>,
) -> anyhow::Result<Option<topica::analyze::StopWordList>> {
    use topica::analyze::StopWordList;
    Ok(match spec {
        None | Some("none") => None,
        Some(spec) => Some(match spec.parse::<StopWordList>() {
            Ok(list) => list,
            Err(unknown) => match stop_word_file(Some(spec)) {
                Some((_, path)) => StopWordList::from_file(path).map_err(topica_error)?,
                None => {
                    return Err(topica_error(topica::ParamError::new("stop_words", unknown)));
                }
            },
        }),
    })
}

/// The corpus inputs of a command, as [`topica::report::check_outputs`]
/// takes them (standard input left out).
pub(crate) fn input_files(inputs: &[std::path::PathBuf]) -> Vec<(&'static str, &std::path::Path)> {
    inputs
        .iter()
        .filter(|p| p.as_os_str() != "-")
        .map(|p| ("input", p.as_path()))
        .collect()
}

/// The file of `--stop-words`, when it names one rather than a list: a
/// list's name wins over a file of that name; anything that exists is read
/// as a file (so that a directory is an error naming it, not an unknown
/// list). [`stop_words`] reads it; outputs are checked against it.
pub(crate) fn stop_word_file(spec: Option<&str>) -> Option<(&'static str, &std::path::Path)> {
    let spec = spec.filter(|&s| s != "none")?;
    let path = std::path::Path::new(spec);
    (spec.parse::<topica::analyze::StopWordList>().is_err() && path.exists())
        .then_some(("stop-words", path))
}

/// Writes `text` to standard output, an error naming it when that fails
/// (`print!` would panic on a full disk; a closed pipe is left to `main`).
pub(crate) fn print_stdout(text: &str) -> anyhow::Result<()> {
    use anyhow::Context;
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    out.write_all(text.as_bytes())
        .and_then(|()| out.flush())
        .context("cannot write to standard output")
}

/// Prints the corpus's warnings on standard error.
pub(crate) fn print_warnings(warnings: &[String]) {
    for w in warnings {
        eprintln!("topica: warning: {w}");
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn the_command_line_definition_is_consistent() {
        Cli::command().debug_assert();
    }
}
