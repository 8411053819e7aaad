//! Clustering: documents' vectors become topics, by spherical k-means on the
//! sparse TF-IDF rows, k-means on their LSA reduction, or agglomerative
//! (hierarchical) clustering on cosine distances.

pub mod hierarchical;
