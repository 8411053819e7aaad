//! Vectorizing: turns documents into sparse TF-IDF (or hashed) vectors with
//! scikit-learn's exact semantics.
//!
//! - [`TfidfVectorizer`]: fit a vocabulary and idf ([`TfidfParams::fit`]),
//!   transform documents into a [`DocTermMatrix`] (CSR, with its
//!   [`Vocabulary`]), save and load the model.
//! - [`HashingVectorizer`]: stateless signed hashing into `n_features` columns.
//!
//! Counting runs in parallel over chunks of documents (see `count.rs`); the
//! output does not depend on the number of threads.

mod assemble;
mod count;
mod hashing;
mod interner;
mod matrix;
mod model;
mod params;
mod tfidf;
mod vocabulary;

pub use self::hashing::{HashingParams, HashingVectorizer};
pub use self::matrix::{
    DocTermMatrix, Real, SparseMatrix, l2_norm, write_matrix_market, write_matrix_market_to,
};
pub use self::model::{MODEL_FORMAT, MODEL_VERSION};
pub use self::params::{DocFreq, Norm, TfidfParams};
pub use self::tfidf::TfidfVectorizer;
pub use self::vocabulary::Vocabulary;
