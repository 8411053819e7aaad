//! Assembling the sparse matrix from counted chunks: maps each chunk's local
//! features to columns, weighs each count, normalises each row, in parallel,
//! straight into the final CSR arrays.
//!
//! Two passes: the first sizes every row (cheap: no weighting), so the final
//! arrays are allocated once at their exact size and filled in place; the
//! counts and the finished matrix are never both copied.

use rayon::prelude::*;

use super::count::{ChunkCounts, NONE};
use super::matrix::{Real, SparseMatrix};
use super::params::Norm;

/// Where a chunk's local features go.
pub(crate) struct ColumnMap {
    /// Local feature id -> column, or [`NONE`] to drop it.
    pub columns: Vec<u32>,
    /// Local feature id -> whether its count is negated (signed hashing).
    pub negative: Option<Vec<bool>>,
    /// Whether the kept columns grow with the local id, so rows (sorted by
    /// local id) need no sorting by column. True for a sorted vocabulary.
    pub monotone: bool,
    /// Whether no feature is dropped.
    pub all_kept: bool,
}

impl ColumnMap {
    /// A map without signs.
    pub fn unsigned(columns: Vec<u32>) -> Self {
        let mut last = None;
        let monotone = columns.iter().filter(|&&c| c != NONE).all(|&c| {
            let grows = last.is_none_or(|l| c > l);
            last = Some(c);
            grows
        });
        ColumnMap {
            all_kept: !columns.contains(&NONE),
            columns,
            negative: None,
            monotone,
        }
    }

    /// A map with signs (columns may repeat).
    pub fn signed(columns: Vec<u32>, negative: Vec<bool>) -> Self {
        ColumnMap {
            all_kept: !columns.contains(&NONE),
            columns,
            negative: Some(negative),
            monotone: false,
        }
    }
}

/// How values are computed from a row's merged `(column, count)` pairs.
pub(crate) trait Weighting<T>: Sync {
    /// Whether a merged count is stored at all (hashing drops sums that cancel).
    fn keeps(&self, count: i64) -> bool;
    /// The factor of every value in `column` (the idf), looked up once per
    /// feature of a chunk rather than once per value.
    fn factor(&self, column: u32) -> T;
    /// The stored value of `count` occurrences in a column of `factor`.
    fn weight(&self, count: i64, factor: T) -> T;
}

/// A chunk's features with their column and factor side by side, so a value
/// costs one random access rather than two.
struct Targets<'m, T> {
    map: &'m ColumnMap,
    targets: Vec<(u32, T)>,
}

/// Builds the `(n_documents, n_columns)` CSR matrix.
pub(crate) fn assemble<T: Real>(
    chunks: &[ChunkCounts],
    maps: &[ColumnMap],
    n_columns: usize,
    weighting: &impl Weighting<T>,
    norm: Option<Norm>,
) -> SparseMatrix<T> {
    let targets: Vec<Targets<'_, T>> = maps
        .par_iter()
        .map(|map| Targets {
            map,
            targets: map
                .columns
                .iter()
                .map(|&c| {
                    (
                        c,
                        if c == NONE {
                            T::zero()
                        } else {
                            weighting.factor(c)
                        },
                    )
                })
                .collect(),
        })
        .collect();

    // Pass 1: the size of every row. Without signs no two features of a chunk
    // share a column, so a row's size is its number of kept features.
    let row_sizes: Vec<Vec<usize>> = chunks
        .par_iter()
        .zip(&targets)
        .map(|(chunk, t)| {
            let mut keys = Vec::new();
            (0..chunk.n_documents())
                .map(|d| match (&t.map.negative, t.map.all_kept) {
                    (None, true) => chunk.document(d).len(),
                    (None, false) => chunk
                        .document(d)
                        .iter()
                        .filter(|e| t.map.columns[e.feature as usize] != NONE)
                        .count(),
                    (Some(_), _) => {
                        let mut size = 0;
                        for_each_value(chunk, t, d, &mut keys, |_, count, _| {
                            size += usize::from(weighting.keeps(count))
                        });
                        size
                    }
                })
                .collect()
        })
        .collect();
    let n_documents: usize = row_sizes.iter().map(Vec::len).sum();
    let mut indptr = Vec::with_capacity(n_documents + 1);
    indptr.push(0);
    for &size in row_sizes.iter().flatten() {
        indptr.push(indptr.last().copied().unwrap_or(0) + size);
    }
    let nnz = *indptr.last().expect("indptr starts with 0");
    let mut indices = vec![0u32; nnz];
    let mut data = vec![T::zero(); nnz];

    // Pass 2: fill each chunk's slice of the arrays.
    let mut slices = Vec::with_capacity(chunks.len());
    let (mut rest_indices, mut rest_data) = (&mut indices[..], &mut data[..]);
    for sizes in &row_sizes {
        let len: usize = sizes.iter().sum();
        let (i, ri) = rest_indices.split_at_mut(len);
        let (v, rv) = rest_data.split_at_mut(len);
        slices.push((i, v));
        (rest_indices, rest_data) = (ri, rv);
    }
    chunks
        .par_iter()
        .zip(&targets)
        .zip(slices)
        .for_each(|((chunk, t), (indices, data))| {
            let mut keys = Vec::new();
            let mut at = 0;
            for d in 0..chunk.n_documents() {
                let start = at;
                for_each_value(chunk, t, d, &mut keys, |column, count, factor| {
                    if weighting.keeps(count) {
                        indices[at] = column;
                        data[at] = weighting.weight(count, factor);
                        at += 1;
                    }
                });
                normalize(&mut data[start..at], norm);
            }
        });
    SparseMatrix::new((n_documents, n_columns), indptr, indices, data)
}

/// Calls `f(column, signed count, factor)` for document `d` in column order,
/// with features that share a column summed and dropped features left out.
///
/// When columns do not follow local ids, entries are sorted packed as
/// `column << 32 | position` in one `u64`: integer sorts are much faster than
/// sorting pairs by a key.
#[inline]
fn for_each_value<T: Real>(
    chunk: &ChunkCounts,
    t: &Targets<'_, T>,
    d: usize,
    keys: &mut Vec<u64>,
    mut f: impl FnMut(u32, i64, T),
) {
    let entries = chunk.document(d);
    if t.map.monotone {
        // Entries are sorted by local id, hence by column, and no two share one.
        for e in entries {
            let (column, factor) = t.targets[e.feature as usize];
            if column != NONE {
                f(column, i64::from(e.count), factor);
            }
        }
        return;
    }
    keys.clear();
    for (i, e) in entries.iter().enumerate() {
        let column = t.targets[e.feature as usize].0;
        if column != NONE {
            keys.push(u64::from(column) << 32 | i as u64);
        }
    }
    keys.sort_unstable();
    let signed = |key: u64| {
        let e = entries[(key & 0xffff_ffff) as usize];
        let negative = t
            .map
            .negative
            .as_ref()
            .is_some_and(|n| n[e.feature as usize]);
        let factor = t.targets[e.feature as usize].1;
        (
            if negative {
                -i64::from(e.count)
            } else {
                i64::from(e.count)
            },
            factor,
        )
    };
    let mut i = 0;
    while i < keys.len() {
        let column = (keys[i] >> 32) as u32;
        let (mut count, factor) = signed(keys[i]);
        i += 1;
        while i < keys.len() && (keys[i] >> 32) as u32 == column {
            count += signed(keys[i]).0;
            i += 1;
        }
        f(column, count, factor);
    }
}

/// Normalises one row in place, as scikit-learn's `normalize`:
///
/// ```text
/// l2:  x_i / sqrt(sum_j x_j^2)     (squares in the value type, sum in f64)
/// l1:  x_i / sum_j |x_j|
/// ```
///
/// A row whose norm is zero (no terms) is left as it is.
pub(crate) fn normalize<T: Real>(row: &mut [T], norm: Option<Norm>) {
    let total = match norm {
        None => return,
        Some(Norm::L2) => row.iter().map(|&x| (x * x).widen()).sum::<f64>().sqrt(),
        Some(Norm::L1) => row.iter().map(|&x| x.abs().widen()).sum::<f64>(),
    };
    if total == 0.0 {
        return;
    }
    for x in row {
        *x = T::narrow(x.widen() / total);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn l2_rows_have_unit_length_and_empty_rows_stay_empty() {
        let mut row = [3.0f64, 4.0];
        normalize(&mut row, Some(Norm::L2));
        assert_eq!(row, [0.6, 0.8]);
        let mut row = [1.0f32, -3.0];
        normalize(&mut row, Some(Norm::L1));
        assert_eq!(row, [0.25, -0.75]);
        let mut zero = [0.0f64; 2];
        normalize(&mut zero, Some(Norm::L2));
        assert_eq!(zero, [0.0, 0.0]);
    }
}
