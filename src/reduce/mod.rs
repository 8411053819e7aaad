//! Reduction: sparse TF-IDF rows become short dense vectors by a randomized
//! truncated singular value decomposition (latent semantic analysis, LSA), as
//! scikit-learn's `TruncatedSVD` computes it.
