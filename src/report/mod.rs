//! Reports: what topica writes for people and other tools (the clustering
//! report, assignments, the terminal summary, the documents' map
//! coordinates, the HTML report), and how it writes files (whole or not at
//! all).

mod atomic;
mod coords;
mod html;
mod topics;

pub use self::atomic::{
    Staging, check_outputs, check_standard_output, is_gz, without_gz, write_atomically,
};
pub use self::coords::{Coords, CoordsInfo, CoordsParams};
pub use self::html::render_html;
pub use self::topics::{
    CorpusStats, Dendrogram, DocumentTopic, EXCERPT_CHARS, LabelMetrics, Outlier, REPORT_FORMAT,
    Topic, TopicReport, TopicTerm, excerpt,
};

/// `n` and a noun, plural unless `n` is 1: `counted(1, "topic")` is
/// "1 topic", `counted(4, "topic")` "4 topics".
///
/// ```
/// assert_eq!(topica::report::counted(1, "topic"), "1 topic");
/// assert_eq!(topica::report::counted(0, "outlier"), "0 outliers");
/// ```
pub fn counted(n: usize, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}
