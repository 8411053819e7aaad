//! Agglomerative (hierarchical) clustering on cosine distances with kodama,
//! and the dendrogram in scipy's linkage-matrix format.
