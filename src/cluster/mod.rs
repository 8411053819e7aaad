//! Clustering: documents' vectors become topics, by spherical k-means on the
//! sparse TF-IDF rows, k-means on their LSA reduction, or agglomerative
//! (hierarchical) clustering on cosine distances.

mod centroids;
mod context;
pub mod hierarchical;
pub mod kmeans;
mod pipeline;
mod rows;

pub use self::centroids::{CentroidPostings, Centroids};
pub use self::context::{ContextParams, Neighbours};
pub use self::kmeans::{Algorithm, SphericalKMeans, SphericalKMeansParams};
pub use self::pipeline::{
    ClusterParams, Clustering, K_SELECTION_COMPONENTS, KChoice, KScore, METADATA_MAX_WORDS, Method,
    NInit, OutlierReason, Refine, Runs, is_metadata_line, select_rows,
};
pub use self::rows::{Rescaled, Rows, WithColumns};
