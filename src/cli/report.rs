//! `topica report`: a report of `topica cluster -o` rendered as one
//! self-contained HTML page (the rendering is `topica::report::render_html`).

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;

use super::topica_error;
use topica::report::{TopicReport, counted, render_html, write_atomically};

/// Flags of `topica report`.
#[derive(Debug, Args)]
pub struct ReportArgs {
    /// The report of `topica cluster -o` (JSON, format 1); run cluster with
    /// `--coords 2` for the topic map and the paragraphs' opening words.
    #[arg(value_name = "REPORT.json")]
    pub report: PathBuf,

    /// Write the page here (written whole or not at all); standard output
    /// when absent.
    #[arg(short, long, value_name = "FILE.html")]
    pub output: Option<PathBuf>,
}

/// Runs `topica report`.
pub fn run(args: ReportArgs) -> anyhow::Result<ExitCode> {
    topica::report::check_outputs(
        &[("output", args.output.as_deref())],
        &[("input", args.report.as_path())],
    )
    .map_err(topica_error)?;
    let report = TopicReport::read(&args.report).map_err(topica_error)?;
    let page = render_html(&report);
    match &args.output {
        Some(path) => {
            write_atomically(path, |w| w.write_all(page.as_bytes())).map_err(topica_error)?;
            eprintln!(
                "topica: {} ({}, {}{})",
                path.display(),
                counted(report.topics.len(), "topic"),
                counted(report.documents.len(), "document"),
                if report.documents.iter().any(|d| d.coords.is_some()) {
                    ""
                } else {
                    ", no map: the report has no coordinates (topica cluster --coords 2)"
                }
            );
        }
        None => std::io::stdout().lock().write_all(page.as_bytes())?,
    }
    Ok(ExitCode::SUCCESS)
}
