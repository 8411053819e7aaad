//! Topic labels: class-based TF-IDF (BERTopic's c-TF-IDF) top terms per
//! cluster, in readable surface forms, and guided naming from a TOML file of
//! named topics with seed words.
//!
//! - [`CTfIdf`]: the weight of each term in each topic, from the raw counts of
//!   the topic's documents (outliers left out);
//! - [`SurfaceForms`]: the readable word behind each stemmed term;
//! - [`term_label`]: a default name from the top terms (`grok_images_ofcom`);
//! - [`GuidedTopics`]: names with seed words, matched one to one with the
//!   clusters ([`Matching`]).
//!
//! # Example
//! ```
//! use std::collections::HashMap;
//!
//! use topica::analyze::{Language, StopWordList};
//! use topica::corpus::{Corpus, ReadOptions};
//! use topica::topics::{CTfIdf, GuidedTopics, SurfaceForms, term_label};
//! use topica::vectorize::TfidfVectorizer;
//!
//! let corpus = Corpus::read(&["data/news"], &ReadOptions::default())?;
//! let texts = corpus.texts();
//! let (model, _, counts) = TfidfVectorizer::params()
//!     .stop_words(Some(StopWordList::English))
//!     .stem(Some(Language::English))
//!     .fit_transform_with_counts(&texts)?;
//!
//! // The hand labels of the paragraphs stand in for clusters; "noise" is -1.
//! let topics = ["surveillance", "grooming", "grok", "boycott"];
//! let csv = std::fs::read_to_string("data/news-labels.csv")?;
//! let by_id: HashMap<&str, &str> = csv.lines().filter_map(|l| l.rsplit_once(',')).collect();
//! let labels: Vec<i64> = corpus
//!     .documents
//!     .iter()
//!     .map(|d| topics.iter().position(|&t| t == by_id[d.id.as_str()]).map_or(-1, |c| c as i64))
//!     .collect();
//!
//! let ctfidf = CTfIdf::fit(counts.matrix(), &labels, topics.len())?;
//! let forms = SurfaceForms::collect(&model, &texts);
//! let top: Vec<&str> = ctfidf.top_terms(0, 3).iter().map(|&(t, _)| forms.surface(t)).collect();
//! assert_eq!(term_label(&top), "monitoring_office_musk"); // stems "monitor", "offic"
//!
//! let guided = GuidedTopics::parse("images = [\"Grok\", \"deepfakes\"]", "topics.toml")?;
//! let matching = guided.match_topics(&ctfidf, &model);
//! assert_eq!(matching.names[2].as_deref(), Some("images"));
//! assert_eq!(matching.names[0], None);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod assignment;
mod ctfidf;
mod guided;
mod label;
mod surface;

pub use self::ctfidf::CTfIdf;
pub use self::guided::{GuidedTopic, GuidedTopics, Matching};
pub use self::label::{LABEL_TERMS, term_label};
pub use self::surface::SurfaceForms;
