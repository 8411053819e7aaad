//! Reports: what topica writes for people and other tools (the clustering
//! report, assignments, the terminal summary), and how it writes files (whole
//! or not at all).

mod atomic;
mod topics;

pub use self::atomic::{Staging, write_atomically};
pub use self::topics::{
    CorpusStats, Dendrogram, DocumentTopic, LabelMetrics, Outlier, REPORT_FORMAT, Topic,
    TopicReport, TopicTerm, excerpt,
};
