//! `topica similar`, `topica neighbors` and `topica duplicates`: what else
//! says this? Flags, the library's [`SimilarityIndex`], printing.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;
use rayon::prelude::*;
use serde::Serialize;

use super::{InputArgs, topica_error};
use topica::analyze::Language;
use topica::corpus::Corpus;
use topica::report::{Staging, excerpt};
use topica::similarity::{Hit, SimilarityIndex, Space};
use topica::vectorize::{DocFreq, TfidfVectorizer};

/// How documents become vectors for similarity (scikit-learn's
/// `TfidfVectorizer()` defaults, so that scores equal its
/// `cosine_similarity`).
#[derive(Debug, Args)]
pub struct SpaceArgs {
    #[command(flatten)]
    pub input: InputArgs,

    /// Compare in TF-IDF space (shared words) or in LSA space (related
    /// words too).
    #[arg(long, default_value = "tfidf", value_name = "SPACE", value_parser = ["tfidf", "lsa"])]
    pub space: String,

    /// Dimensions of the LSA space (--space lsa) [default: 100].
    #[arg(long, value_name = "N")]
    pub n_components: Option<usize>,

    /// Seed of the LSA reduction (--space lsa) [default: 0].
    #[arg(long, value_name = "N")]
    pub seed: Option<u64>,

    /// Stop words: english (scikit-learn's list), a language, a file of
    /// words, or none.
    #[arg(long, default_value = "none", value_name = "LIST|FILE|none")]
    pub stop_words: String,

    /// Snowball-stem words in this language.
    #[arg(long, value_name = "LANGUAGE")]
    pub stem: Option<Language>,

    /// Ignore terms in fewer documents than this (a count or a proportion).
    #[arg(long, default_value = "1", value_name = "N|P")]
    pub min_df: DocFreq,

    /// Ignore terms in more documents than this (a count or a proportion).
    #[arg(long, default_value = "1.0", value_name = "N|P")]
    pub max_df: DocFreq,

    /// tf becomes 1 + ln(tf).
    #[arg(long)]
    pub sublinear_tf: bool,
}

impl SpaceArgs {
    /// Reads the corpus and builds the index.
    fn index(&self) -> anyhow::Result<(Corpus, SimilarityIndex)> {
        let stop_words = super::stop_words(Some(&self.stop_words))?;
        let params = TfidfVectorizer::params()
            .stop_words(stop_words)
            .stem(self.stem)
            .min_df(self.min_df)
            .max_df(self.max_df)
            .sublinear_tf(self.sublinear_tf);
        let space = if self.space == "lsa" {
            Space::Lsa
        } else {
            Space::Tfidf
        };
        let mut index_params = SimilarityIndex::params().space(space);
        if let Some(n) = self.n_components {
            index_params = index_params.n_components(n);
        }
        if let Some(seed) = self.seed {
            index_params = index_params.seed(seed);
        }
        if space == Space::Tfidf {
            // A script may pass the same options to both spaces.
            for (option, given) in [
                ("--n-components", self.n_components.is_some()),
                ("--seed", self.seed.is_some()),
            ] {
                if given {
                    eprintln!(
                        "topica: warning: {option} ignored: it applies to --space lsa, not --space tfidf"
                    );
                }
            }
        }
        params.check().map_err(topica_error)?;
        index_params.check().map_err(topica_error)?;
        let corpus = self.input.read()?;
        let texts = corpus.texts();
        let (model, x) = params.fit_transform(&texts).map_err(topica_error)?;
        let ids = corpus.documents.iter().map(|d| d.id.clone()).collect();
        let sources = corpus
            .documents
            .iter()
            .map(|d| d.source.to_string())
            .collect();
        let index = index_params
            .build(&model, x.matrix(), ids, sources)
            .map_err(topica_error)?;
        Ok((corpus, index))
    }
}

/// Flags of `topica similar`.
#[derive(Debug, Args)]
#[group(id = "about", required = true, args = ["id", "query"])]
pub struct SimilarArgs {
    #[command(flatten)]
    pub space: SpaceArgs,

    /// The document to find others like (its id).
    #[arg(long, value_name = "ID", conflicts_with = "query")]
    pub id: Option<String>,

    /// Free text to find documents like.
    #[arg(long, value_name = "TEXT")]
    pub query: Option<String>,

    /// How many to list.
    #[arg(long, default_value_t = 10, value_name = "N")]
    pub top: usize,

    /// Leave out documents scoring below this (documents scoring 0 or less,
    /// which share nothing with the query, are never listed).
    #[arg(long, default_value_t = 0.0, value_name = "S")]
    pub min_score: f64,

    /// One JSON object per line instead of a table.
    #[arg(long)]
    pub json: bool,
}

/// Flags of `topica neighbors`.
#[derive(Debug, Args)]
pub struct NeighborsArgs {
    #[command(flatten)]
    pub space: SpaceArgs,

    /// Neighbours per document.
    #[arg(long, default_value_t = 10, value_name = "N")]
    pub top: usize,

    /// Write the graph here (JSON Lines) instead of standard output.
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

/// Flags of `topica duplicates`.
#[derive(Debug, Args)]
pub struct DuplicatesArgs {
    #[command(flatten)]
    pub space: SpaceArgs,

    /// Pairs scoring at least this are near-duplicates.
    #[arg(long, default_value_t = 0.8, value_name = "S")]
    pub threshold: f64,

    /// Keep only groups that span more than one source.
    #[arg(long)]
    pub across_sources: bool,

    /// One JSON object per group per line instead of text.
    #[arg(long)]
    pub json: bool,
}

/// Runs `topica similar`.
pub fn run_similar(args: SimilarArgs) -> anyhow::Result<ExitCode> {
    if args.top == 0 {
        return Err(topica_error(topica::ParamError::new(
            "top",
            "must be at least 1, got 0",
        )));
    }
    let (corpus, index) = args.space.index()?;
    let (hits, warned): (Vec<Hit>, bool) = match (&args.id, &args.query) {
        (Some(id), _) => (
            index
                .query_id(id, args.top, args.min_score)
                .map_err(topica_error)?,
            false,
        ),
        (None, Some(text)) => {
            let result = index
                .query_text(text, args.top, args.min_score)
                .map_err(topica_error)?;
            if let Some(w) = &result.warning {
                eprintln!("topica: warning: {w}");
            }
            (result.hits, result.warning.is_some())
        }
        (None, None) => unreachable!("clap requires --id or --query"),
    };
    // An empty list says why rather than nothing at all.
    if hits.is_empty() && !warned {
        let what = match &args.id {
            Some(id) => format!("document {id:?}"),
            None => "the query".to_string(),
        };
        eprintln!(
            "topica: warning: no document scores {} against {what}",
            if args.min_score > 0.0 {
                format!("at least {}", args.min_score)
            } else {
                "above 0".to_string()
            }
        );
    }
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    for (rank, hit) in hits.iter().enumerate() {
        let doc = &corpus.documents[hit.index];
        if args.json {
            writeln!(
                out,
                "{}",
                serde_json::json!({
                    "id": hit.id, "score": hit.score, "source": &*doc.source,
                    "text": excerpt(&doc.text, 200),
                })
            )?;
        } else {
            writeln!(
                out,
                "{:>3}  {:.4}  {}  {}",
                rank + 1,
                hit.score,
                hit.id,
                excerpt(&doc.text, 90)
            )?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// Runs `topica neighbors`.
pub fn run_neighbors(args: NeighborsArgs) -> anyhow::Result<ExitCode> {
    if args.top == 0 {
        return Err(topica_error(topica::ParamError::new(
            "top",
            "must be at least 1, got 0",
        )));
    }
    let mut read = super::input_files(&args.space.input.inputs);
    read.extend(super::stop_word_file(Some(&args.space.stop_words)));
    topica::report::check_outputs(&[("output", args.output.as_deref())], &read)
        .map_err(topica_error)?;
    let (_, index) = args.space.index()?;
    let graph = index.neighbors(args.top).map_err(topica_error)?;
    // Lines are formatted in parallel, a block at a time, and written in
    // order: building `serde_json::Value`s line by line took 120 ms of the
    // 1.6 s of 20 Newsgroups' top 10; this takes about 25 ms.
    let write = |w: &mut dyn Write| -> std::io::Result<()> {
        for (b, block) in graph.chunks(WRITE_BLOCK).enumerate() {
            let lines = block
                .par_iter()
                .enumerate()
                .map(|(k, hits)| {
                    let line = NeighborsLine {
                        id: &index.ids()[b * WRITE_BLOCK + k],
                        neighbors: hits
                            .iter()
                            .map(|h| Neighbor {
                                id: &h.id,
                                score: h.score,
                            })
                            .collect(),
                    };
                    let mut buf = serde_json::to_vec(&line)?;
                    buf.push(b'\n');
                    Ok(buf)
                })
                .collect::<Result<Vec<Vec<u8>>, serde_json::Error>>()
                .map_err(std::io::Error::other)?;
            for line in lines {
                w.write_all(&line)?;
            }
        }
        Ok(())
    };
    match &args.output {
        Some(path) => {
            let mut staging = Staging::new();
            staging.write(path, write).map_err(topica_error)?;
            staging.commit().map_err(topica_error)?;
        }
        None => {
            let stdout = std::io::stdout();
            let mut out = std::io::BufWriter::new(stdout.lock());
            write(&mut out)?;
            out.flush()?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// Rows of the neighbour graph formatted together before being written.
const WRITE_BLOCK: usize = 4096;

/// One line of `topica neighbors`' JSON Lines output.
#[derive(Serialize)]
struct NeighborsLine<'a> {
    id: &'a str,
    neighbors: Vec<Neighbor<'a>>,
}

/// One neighbour in a [`NeighborsLine`].
#[derive(Serialize)]
struct Neighbor<'a> {
    id: &'a str,
    score: f64,
}

/// Runs `topica duplicates`.
pub fn run_duplicates(args: DuplicatesArgs) -> anyhow::Result<ExitCode> {
    if !(0.0..=1.0).contains(&args.threshold) {
        return Err(topica_error(topica::ParamError::new(
            "threshold",
            format!("must be in [0, 1], got {}", args.threshold),
        )));
    }
    let (corpus, index) = args.space.index()?;
    let groups = index
        .duplicates(args.threshold, args.across_sources)
        .map_err(topica_error)?;
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    for (g, group) in groups.iter().enumerate() {
        if args.json {
            let members: Vec<serde_json::Value> = group
                .members
                .iter()
                .map(|&i| {
                    serde_json::json!({
                        "id": index.ids()[i], "source": index.sources()[i],
                        "text": excerpt(&corpus.documents[i].text, 200),
                    })
                })
                .collect();
            let pairs: Vec<serde_json::Value> = group
                .pairs
                .iter()
                .map(|&(a, b, s)| serde_json::json!([index.ids()[a], index.ids()[b], s]))
                .collect();
            writeln!(
                out,
                "{}",
                serde_json::json!({"group": g, "members": members, "pairs": pairs})
            )?;
        } else {
            let best = group.pairs.iter().map(|p| p.2).fold(0.0, f64::max);
            writeln!(
                out,
                "Group {g}: {} paragraphs (best score {best:.3})",
                group.members.len()
            )?;
            for &i in &group.members {
                writeln!(
                    out,
                    "  - {}: {}",
                    index.ids()[i],
                    excerpt(&corpus.documents[i].text, 100)
                )?;
            }
        }
    }
    eprintln!(
        "topica: {} of near-duplicates",
        topica::report::counted(groups.len(), "group")
    );
    Ok(ExitCode::SUCCESS)
}
