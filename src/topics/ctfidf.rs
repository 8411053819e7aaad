//! Class-based TF-IDF: BERTopic's `ClassTfidfTransformer` (with
//! `bm25_weighting=False, reduce_frequent_words=False`), on the summed raw
//! counts of each topic's documents.
//!
//! # Example
//! ```
//! use topica::topics::CTfIdf;
//! use topica::vectorize::TfidfVectorizer;
//!
//! let docs = ["grok images grok", "grok made images", "home office monitors", "office posts"];
//! let (model, _, counts) = TfidfVectorizer::params().fit_transform_with_counts(&docs)?;
//! let ctfidf = CTfIdf::fit(counts.matrix(), &[0, 0, 1, 1], 2)?;
//! let best: Vec<&str> = ctfidf
//!     .top_terms(0, 2)
//!     .into_iter()
//!     .map(|(term, _)| model.vocabulary().term(term))
//!     .collect();
//! assert_eq!(best, ["grok", "images"]);
//! // "grok" never occurs in topic 1.
//! let grok = model.vocabulary().get("grok").unwrap();
//! assert_eq!(ctfidf.weight(1, grok), 0.0);
//! # Ok::<(), topica::Error>(())
//! ```

use rayon::prelude::*;

use crate::error::{Error, Result};
use crate::vectorize::SparseMatrix;

/// The c-TF-IDF weights of every topic's terms, stored sparsely: a topic
/// keeps only the terms its documents use, so 100 topics over a million
/// terms cost no more than the counts they come from.
///
/// With `k` topics, `tf(c, t)` the summed count of term `t` over the
/// documents of topic `c`, and `A` BERTopic's "average number of words per
/// class":
///
/// ```text
/// tf(c, t)  = sum of count(d, t) over the documents d of topic c
/// df(t)     = sum over the k topics of tf(c, t)
/// A         = int(mean over the k topics of sum_t tf(c, t))   (Python's int(): truncated)
/// idf(t)    = ln(A / df(t) + 1)
/// w(c, t)   = tf(c, t) / sum_t' tf(c, t')  *  idf(t)          (L1-normalised tf, times idf)
/// ```
///
/// A term with `df(t) = 0` (used by no topic) has no weight anywhere.
///
/// **Outliers are not a class.** Documents labelled `-1` are left out of
/// every sum, `k` included. BERTopic counts its `-1` topic as one more class,
/// which changes `A` and `df` and so every topic's weights; here a handful of
/// empty or stray paragraphs cannot move the other topics' labels. On the
/// same classes the weights are BERTopic's (checked to 1e-12 by
/// `tests/topics.rs` against `tests/bertopic_ctfidf.py`).
#[derive(Debug, Clone, PartialEq)]
pub struct CTfIdf {
    n_terms: usize,
    /// Topic `c`'s entries are `terms[indptr[c]..indptr[c + 1]]` (increasing)
    /// and the same range of `weights`.
    indptr: Vec<usize>,
    terms: Vec<u32>,
    weights: Vec<f64>,
    /// Documents per topic.
    sizes: Vec<usize>,
}

/// A topic's term frequencies: its terms in increasing order, their summed
/// counts, and their total.
struct TopicCounts {
    terms: Vec<u32>,
    tf: Vec<f64>,
    total: f64,
}

impl CTfIdf {
    /// The c-TF-IDF of `k` topics from the raw term counts of the documents
    /// (`counts`, `n_documents x n_terms`, as
    /// [`TfidfParams::fit_transform_with_counts`](crate::vectorize::TfidfParams::fit_transform_with_counts)
    /// returns them) and each document's topic (`labels`, in `0..k`, or `-1`
    /// for an outlier, which counts for nothing).
    ///
    /// Fails when `labels` and `counts` have different lengths, `k` is above
    /// the number of documents (1 for none), a label is outside `-1..k`, or a
    /// count is negative or not finite. A topic without
    /// documents (or whose documents have no terms) gets no weights.
    pub fn fit(counts: &SparseMatrix<f64>, labels: &[i64], k: usize) -> Result<CTfIdf> {
        let (n_documents, n_terms) = counts.shape();
        if labels.len() != n_documents {
            return Err(Error::Fit(format!(
                "c-TF-IDF: {} labels for {n_documents} documents; give one label per document",
                labels.len()
            )));
        }
        if let Some(&x) = counts
            .data()
            .iter()
            .find(|x| !(x.is_finite() && **x >= 0.0))
        {
            return Err(Error::Fit(format!(
                "c-TF-IDF: the counts must be finite and non-negative, found {x}"
            )));
        }
        if k > n_documents.max(1) {
            // More topics than documents leaves some empty whatever the
            // labels; refused, so that a runaway k is an error, not an
            // allocation of k lists that aborts the process.
            return Err(Error::Fit(format!(
                "c-TF-IDF: {k} topics for {n_documents} documents; give at most one topic per \
                 document"
            )));
        }
        let mut members: Vec<Vec<usize>> = vec![Vec::new(); k];
        for (d, &label) in labels.iter().enumerate() {
            match usize::try_from(label) {
                Ok(c) if c < k => members[c].push(d),
                _ if label == -1 => {}
                _ => {
                    return Err(Error::Fit(format!(
                        "c-TF-IDF: document {d} has label {label}, outside -1..{k} \
                         (-1 for an outlier, 0 to {} for the {k} topics)",
                        k as i64 - 1
                    )));
                }
            }
        }
        let sizes: Vec<usize> = members.iter().map(Vec::len).collect();

        // Per-topic sums, in parallel; each uses a dense scratch row of its
        // thread, and sums its members in document order.
        let topics: Vec<TopicCounts> = members
            .par_iter()
            .map_init(
                || (vec![0.0f64; n_terms], Vec::<u32>::new()),
                |(dense, touched), docs| topic_counts(counts, docs, dense, touched),
            )
            .collect();

        // df and A, in topic order.
        let mut df = vec![0.0f64; n_terms];
        for topic in &topics {
            for (&t, &tf) in topic.terms.iter().zip(&topic.tf) {
                df[t as usize] += tf;
            }
        }
        let avg = if k == 0 {
            0.0
        } else {
            (topics.iter().map(|t| t.total).sum::<f64>() / k as f64).trunc()
        };

        let weights: Vec<Vec<f64>> = topics
            .par_iter()
            .map(|topic| {
                topic
                    .terms
                    .iter()
                    .zip(&topic.tf)
                    .map(|(&t, &tf)| {
                        let idf = (avg / df[t as usize] + 1.0).ln();
                        tf / topic.total * idf
                    })
                    .collect()
            })
            .collect();
        if weights.iter().flatten().any(|w| !w.is_finite()) {
            return Err(Error::Fit(
                "c-TF-IDF: the counts are too large to sum in floating point".into(),
            ));
        }

        let mut indptr = Vec::with_capacity(k + 1);
        indptr.push(0);
        let nnz = topics.iter().map(|t| t.terms.len()).sum();
        let (mut terms, mut flat) = (Vec::with_capacity(nnz), Vec::with_capacity(nnz));
        for (topic, w) in topics.into_iter().zip(weights) {
            terms.extend(topic.terms);
            flat.extend(w);
            indptr.push(terms.len());
        }
        Ok(CTfIdf {
            n_terms,
            indptr,
            terms,
            weights: flat,
            sizes,
        })
    }

    /// The number of topics, `k`.
    pub fn n_topics(&self) -> usize {
        self.sizes.len()
    }

    /// The number of terms (columns of the counts it was fitted on).
    pub fn n_terms(&self) -> usize {
        self.n_terms
    }

    /// The number of documents of `topic` (0 for a topic out of range).
    pub fn size(&self, topic: usize) -> usize {
        self.sizes.get(topic).copied().unwrap_or(0)
    }

    /// The entries of `topic`: its terms (increasing) and their weights.
    fn entries(&self, topic: usize) -> (&[u32], &[f64]) {
        if topic >= self.n_topics() {
            return (&[], &[]);
        }
        let range = self.indptr[topic]..self.indptr[topic + 1];
        (&self.terms[range.clone()], &self.weights[range])
    }

    /// The weight of `term` in `topic`: 0 when the topic's documents do not
    /// use it, and for a topic or term out of range.
    pub fn weight(&self, topic: usize, term: usize) -> f64 {
        let (terms, weights) = self.entries(topic);
        match u32::try_from(term) {
            Ok(term) => terms.binary_search(&term).map_or(0.0, |i| weights[i]),
            Err(_) => 0.0,
        }
    }

    /// The terms of `topic` with a weight, in increasing term order, with
    /// their weights.
    pub fn terms(&self, topic: usize) -> impl Iterator<Item = (usize, f64)> + '_ {
        let (terms, weights) = self.entries(topic);
        terms.iter().zip(weights).map(|(&t, &w)| (t as usize, w))
    }

    /// The (at most) `n` terms of highest weight in `topic`, best first, with
    /// their weights; ties go to the lower term index. Only terms of positive
    /// weight are listed (a topic without documents has none), and a topic out
    /// of range has none.
    pub fn top_terms(&self, topic: usize, n: usize) -> Vec<(usize, f64)> {
        let mut best: Vec<(usize, f64)> = self.terms(topic).filter(|&(_, w)| w > 0.0).collect();
        let order = |a: &(usize, f64), b: &(usize, f64)| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0));
        if n == 0 {
            return Vec::new();
        }
        if best.len() > n {
            best.select_nth_unstable_by(n - 1, order);
            best.truncate(n);
        }
        best.sort_unstable_by(order);
        best
    }
}

/// Sums the counts of `docs` (in order) into `dense`, recording the terms
/// touched, then reads them back in increasing term order and clears the
/// scratch.
fn topic_counts(
    counts: &SparseMatrix<f64>,
    docs: &[usize],
    dense: &mut [f64],
    touched: &mut Vec<u32>,
) -> TopicCounts {
    touched.clear();
    for &d in docs {
        let row = counts.outer_view(d).expect("a row of the matrix");
        for (t, &x) in row.iter() {
            if x == 0.0 {
                continue;
            }
            if dense[t] == 0.0 {
                touched.push(t as u32);
            }
            dense[t] += x;
        }
    }
    touched.sort_unstable();
    let mut tf = Vec::with_capacity(touched.len());
    for &t in touched.iter() {
        tf.push(std::mem::take(&mut dense[t as usize]));
    }
    // The L1 norm, summed in term order.
    let total = tf.iter().sum();
    TopicCounts {
        terms: touched.clone(),
        tf,
        total,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use sprs::TriMatI;

    /// A CSR matrix from dense rows.
    fn csr(rows: &[&[f64]]) -> SparseMatrix<f64> {
        let n_terms = rows.first().map_or(0, |r| r.len());
        let mut tri = TriMatI::<f64, u32>::new((rows.len(), n_terms));
        for (i, row) in rows.iter().enumerate() {
            for (j, &x) in row.iter().enumerate() {
                if x != 0.0 {
                    tri.add_triplet(i, j, x);
                }
            }
        }
        tri.to_csr()
    }

    /// The formula written out naively on dense arrays.
    fn naive(rows: &[&[f64]], labels: &[i64], k: usize) -> Vec<Vec<f64>> {
        let n_terms = rows[0].len();
        let mut tf = vec![vec![0.0; n_terms]; k];
        for (row, &label) in rows.iter().zip(labels) {
            if label >= 0 {
                for (t, &x) in row.iter().enumerate() {
                    tf[label as usize][t] += x;
                }
            }
        }
        let totals: Vec<f64> = tf.iter().map(|r| r.iter().sum()).collect();
        let avg = (totals.iter().sum::<f64>() / k as f64).trunc();
        let df: Vec<f64> = (0..n_terms)
            .map(|t| tf.iter().map(|r| r[t]).sum())
            .collect();
        (0..k)
            .map(|c| {
                (0..n_terms)
                    .map(|t| {
                        if tf[c][t] == 0.0 {
                            0.0
                        } else {
                            tf[c][t] / totals[c] * (avg / df[t] + 1.0).ln()
                        }
                    })
                    .collect()
            })
            .collect()
    }

    const ROWS: &[&[f64]] = &[
        &[2.0, 1.0, 0.0, 0.0, 0.0],
        &[1.0, 0.0, 3.0, 0.0, 0.0],
        &[0.0, 0.0, 1.0, 4.0, 0.0],
        &[0.0, 1.0, 0.0, 0.0, 7.0],
        &[0.0, 0.0, 0.0, 1.0, 0.0],
    ];

    #[test]
    fn weights_follow_the_formula() {
        let labels = [0, 0, 1, -1, 1];
        let c = CTfIdf::fit(&csr(ROWS), &labels, 2).unwrap();
        let expected = naive(ROWS, &labels, 2);
        for (topic, row) in expected.iter().enumerate() {
            for (term, &w) in row.iter().enumerate() {
                assert!((c.weight(topic, term) - w).abs() < 1e-15, "{topic} {term}");
            }
        }
        // Term 4 occurs only in the outlier: no weight anywhere.
        assert_eq!(
            c.terms(0)
                .chain(c.terms(1))
                .filter(|&(t, _)| t == 4)
                .count(),
            0
        );
        assert_eq!((c.size(0), c.size(1), c.size(2)), (2, 2, 0));
    }

    #[test]
    fn the_average_is_truncated() {
        // Totals 3 and 2: A = int(2.5) = 2, so idf(t) = ln(2 / df + 1).
        let rows: &[&[f64]] = &[&[3.0, 0.0], &[0.0, 2.0]];
        let c = CTfIdf::fit(&csr(rows), &[0, 1], 2).unwrap();
        assert_eq!(c.weight(0, 0), (2.0f64 / 3.0 + 1.0).ln());
        assert_eq!(c.weight(1, 1), (2.0f64 / 2.0 + 1.0).ln());
    }

    #[test]
    fn outliers_change_nothing() {
        let with = CTfIdf::fit(&csr(ROWS), &[0, 0, 1, -1, 1], 2).unwrap();
        let without = CTfIdf::fit(
            &csr(&[ROWS[0], ROWS[1], ROWS[2], ROWS[4]]),
            &[0, 0, 1, 1],
            2,
        )
        .unwrap();
        assert_eq!(with, without);
    }

    #[test]
    fn top_terms_break_ties_by_term_index() {
        let rows: &[&[f64]] = &[&[1.0, 2.0, 1.0, 2.0, 0.0]];
        let c = CTfIdf::fit(&csr(rows), &[0], 1).unwrap();
        let top: Vec<usize> = c.top_terms(0, 3).into_iter().map(|(t, _)| t).collect();
        assert_eq!(top, [1, 3, 0]);
        assert_eq!(c.top_terms(0, 10).len(), 4);
        assert!(c.top_terms(0, 0).is_empty());
        assert!(c.top_terms(5, 3).is_empty());
    }

    #[test]
    fn empty_topics_have_no_terms() {
        let c = CTfIdf::fit(&csr(ROWS), &[0, 0, 2, 2, -1], 3).unwrap();
        assert_eq!(c.n_topics(), 3);
        assert_eq!(c.terms(1).count(), 0);
        assert!(c.top_terms(1, 5).is_empty());
        assert!(c.weights.iter().all(|w| w.is_finite()));
        let none = CTfIdf::fit(&csr(ROWS), &[-1; 5], 0).unwrap();
        assert_eq!(none.n_topics(), 0);
        assert_eq!(none.weight(0, 0), 0.0);
    }

    #[test]
    fn bad_labels_and_counts_are_refused() {
        let x = csr(ROWS);
        let e = CTfIdf::fit(&x, &[0, 0, 1], 2).unwrap_err();
        assert!(e.to_string().contains("3 labels for 5 documents"), "{e}");
        let e = CTfIdf::fit(&x, &[0, 0, 2, 1, 1], 2).unwrap_err();
        assert!(e.to_string().contains("document 2 has label 2"), "{e}");
        let e = CTfIdf::fit(&x, &[0, 0, -2, 1, 1], 2).unwrap_err();
        assert!(e.to_string().contains("label -2"), "{e}");
        let e = CTfIdf::fit(&csr(&[&[1.0, -1.0]]), &[0], 1).unwrap_err();
        assert!(e.to_string().contains("non-negative"), "{e}");
        let e = CTfIdf::fit(&csr(&[&[1.0, f64::NAN]]), &[0], 1).unwrap_err();
        assert!(e.to_string().contains("finite"), "{e}");
        // A runaway k is refused before anything is allocated for it.
        let e = CTfIdf::fit(&x, &[0, 0, 1, 1, 1], 1 << 40).unwrap_err();
        assert!(
            e.to_string()
                .contains("1099511627776 topics for 5 documents"),
            "{e}"
        );
        assert!(
            CTfIdf::fit(&x, &[0, 0, 1, 1, 1], 5).is_ok(),
            "one a document"
        );
    }
}
