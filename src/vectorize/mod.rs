//! Vectorizing (stub).
