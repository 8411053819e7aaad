//! Measuring clusterings: agreement with known labels (adjusted Rand index,
//! normalized mutual information, homogeneity, completeness, V-measure) and
//! internal quality (silhouette with cosine distances), with scikit-learn's
//! definitions.
