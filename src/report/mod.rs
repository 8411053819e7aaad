//! Reports: what topica writes for people and other tools (the clustering
//! report, assignments, the terminal summary, the documents' map
//! coordinates, the HTML report), and how it writes files (whole or not at
//! all).

mod atomic;
mod coords;
mod html;
mod topics;

pub use self::atomic::{Staging, write_atomically};
pub use self::coords::{Coords, CoordsInfo, CoordsParams};
pub use self::html::render_html;
pub use self::topics::{
    CorpusStats, Dendrogram, DocumentTopic, EXCERPT_CHARS, LabelMetrics, Outlier, REPORT_FORMAT,
    Topic, TopicReport, TopicTerm, excerpt,
};
