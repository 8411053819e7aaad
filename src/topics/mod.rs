//! Topic labels: class-based TF-IDF (BERTopic's c-TF-IDF) top terms per
//! cluster, in readable surface forms, and guided naming from a TOML file of
//! named topics with seed words.
