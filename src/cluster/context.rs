//! Document context: each paragraph's vector blended with its neighbours' in
//! the same source, so that a short paragraph borrows the topic of the text
//! around it.
//!
//! Paragraph `i` of a source becomes
//! `normalise(x_i + sum over neighbours j of weight^|i-j| * g_ij * x_j)`, for
//! the neighbours `j` within `window` paragraphs in the same source (a
//! paragraph at the start of an article has no left neighbour; distances
//! count the paragraphs of that source only, see [`Neighbours`]), where the
//! gate `g_ij = floor + (1 - floor) * cos(x_i, x_j)` lets a neighbour that
//! shares words with the paragraph count fully and one that shares none
//! count `floor` of it. Gating keeps a paragraph at a change of subject from
//! being pulled into the neighbouring topic, while a short paragraph ("We're
//! not going to tolerate it.") still borrows some of its context; `floor = 1`
//! blends without gating. A window of 0 or a weight of 0 leaves
//! the rows as they are. Records of JSON Lines and CSV files are independent
//! documents, not paragraphs of one text: they have no group
//! ([`ContextParams::blend`] takes `None` for them) and are not blended,
//! unless `topica cluster --group-field` (`ClusterJob::group_field`) says
//! which document each is a paragraph of.
//!
//! A paragraph whose own vector is empty stays empty (it is an outlier, see
//! `crate::cluster`): blending must not invent a topic for "Tagcloud:".

use rayon::prelude::*;

use crate::error::ParamError;
use crate::vectorize::{SparseMatrix, l2_norm};

/// How much of its neighbours a paragraph takes in.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct ContextParams {
    /// Neighbours on each side (0 turns blending off).
    pub window: usize,
    /// Weight of a neighbour at distance 1; at distance `d` it is `weight^d`.
    pub weight: f64,
    /// Share of a neighbour's weight kept when it shares no term with the
    /// paragraph (1 turns gating off).
    pub floor: f64,
}

impl Default for ContextParams {
    /// The default, chosen by measurement (see README.md, "Document context").
    fn default() -> Self {
        ContextParams {
            window: 3,
            weight: 1.0,
            floor: 0.1,
        }
    }
}

impl ContextParams {
    /// No blending.
    pub fn none() -> Self {
        ContextParams {
            window: 0,
            weight: 0.0,
            floor: 1.0,
        }
    }

    /// Whether blending changes anything.
    pub fn is_active(&self) -> bool {
        self.window > 0 && self.weight > 0.0
    }

    /// Whether [`blend`](Self::blend) gives some row its neighbours: blending
    /// is on and some text has two paragraphs (wherever they are in the
    /// corpus).
    ///
    /// ```
    /// use topica::cluster::ContextParams;
    ///
    /// let on = ContextParams::default();
    /// assert!(on.blends(&[Some(0), Some(0), None]));
    /// assert!(on.blends(&[Some(0), Some(1), Some(0)])); // interleaved texts
    /// assert!(!on.blends(&[Some(0), Some(1), None, None])); // one paragraph per text
    /// assert!(!ContextParams::none().blends(&[Some(0), Some(0)]));
    /// ```
    pub fn blends(&self, groups: &[Option<usize>]) -> bool {
        self.blends_with(&Neighbours::of(groups))
    }

    /// [`blends`](Self::blends) with the rows' [`Neighbours`] already linked.
    pub(crate) fn blends_with(&self, neighbours: &Neighbours) -> bool {
        self.is_active() && neighbours.any()
    }

    /// Checks the weight and the floor are numbers in [0, 1].
    pub fn check(&self) -> Result<(), ParamError> {
        if !(0.0..=1.0).contains(&self.weight) {
            return Err(ParamError::new(
                "context_weight",
                format!("must be between 0 and 1, got {}", self.weight),
            ));
        }
        if !(0.0..=1.0).contains(&self.floor) {
            return Err(ParamError::new(
                "context_floor",
                format!("must be between 0 and 1, got {}", self.floor),
            ));
        }
        Ok(())
    }

    /// Blends the rows of `x`: `groups[i]` names the text document `i` is a
    /// paragraph of (`None` for an independent record); the paragraphs of a
    /// text are its rows in corpus order, and a paragraph's neighbours are
    /// the paragraphs of its text within the window ([`Neighbours`]), even
    /// when rows of other texts lie between them. Rows come out
    /// L2-normalised; empty rows stay empty, and a row whose stored values
    /// are all zero takes in no neighbour (it has no direction to gate them
    /// by).
    ///
    /// ```
    /// use topica::cluster::ContextParams;
    /// use topica::vectorize::SparseMatrix;
    ///
    /// // Three paragraphs of one text, then an independent record.
    /// let x: SparseMatrix<f64> = sprs::TriMatI::<f64, u32>::from_triplets(
    ///     (4, 2), vec![0, 1, 2, 3], vec![0, 1, 0, 1], vec![1.0, 1.0, 1.0, 1.0],
    /// ).to_csr();
    /// let groups = [Some(0), Some(0), Some(0), None];
    /// let b = ContextParams { window: 1, weight: 1.0, floor: 1.0 }.blend(&x, &groups)?;
    /// let middle = b.outer_view(1).unwrap();
    /// assert_eq!(middle.indices(), &[0, 1]); // takes in both neighbours
    /// assert_eq!(b.outer_view(3).unwrap().indices(), &[1]); // a record stays itself
    /// // One group per row, and parameters that `check`.
    /// assert!(ContextParams::default().blend(&x, &groups[..3]).is_err());
    /// # Ok::<(), topica::Error>(())
    /// ```
    ///
    /// Fails when the parameters do not [`check`](Self::check) or `groups`
    /// does not have one entry per row of `x`.
    pub fn blend(
        &self,
        x: &SparseMatrix<f64>,
        groups: &[Option<usize>],
    ) -> crate::error::Result<SparseMatrix<f64>> {
        self.check()?;
        if groups.len() != x.rows() {
            return Err(crate::error::Error::Fit(format!(
                "{} groups given for {} rows: give one group per row",
                groups.len(),
                x.rows()
            )));
        }
        Ok(self.blend_with(x, &Neighbours::of(groups)))
    }

    /// [`blend`](Self::blend) with the rows' [`Neighbours`] already linked.
    pub(crate) fn blend_with(
        &self,
        x: &SparseMatrix<f64>,
        neighbours: &Neighbours,
    ) -> SparseMatrix<f64> {
        let n = x.rows();
        assert_eq!(neighbours.prev.len(), n, "one group per row");
        if !self.blends_with(neighbours) {
            // No row has a neighbour to take in: every row normalised, as
            // below, without taking the rows apart (the same values to the
            // bit, in a tenth of the time on 20 Newsgroups).
            let mut out = x.clone();
            normalize_rows(&mut out);
            return out;
        }
        self.blend_rows(x, neighbours, &(0..n).collect::<Vec<_>>())
    }

    /// The blended rows `rows` of `x`, in that order: what
    /// `select_rows(&self.blend_with(x, neighbours), rows)` gives, without
    /// the whole blend nor a copy of it (the clustering blends the rows
    /// with terms only, linking them once for blending and the outlier
    /// rules).
    ///
    /// The rows are written straight into the matrix's arrays, allocated
    /// once at their exact size: a first pass counts each row's columns
    /// (the union of its own and its neighbours'), a second sums them into
    /// their place. Collecting each row in vectors of its own, then copying
    /// them into the matrix, and the rows with terms from it into another,
    /// held the blended values twice at each step (and left the freed rows
    /// resident, scattered over the heap): on the 86,542 paragraphs of 20
    /// Newsgroups' posts (`--group-field doc`, blended rows of 72 MB) the
    /// blend's peak fell from 266 to 193 MB, and after it from 332 to 263 MB
    /// (what the rows by columns of k-means add to them), at the same speed.
    pub(crate) fn blend_rows(
        &self,
        x: &SparseMatrix<f64>,
        neighbours: &Neighbours,
        rows: &[usize],
    ) -> SparseMatrix<f64> {
        let n = x.rows();
        assert_eq!(neighbours.prev.len(), n, "one group per row");
        let norms: Vec<f64> = (0..n)
            .into_par_iter()
            .map(|i| l2_norm(x.outer_view(i).expect("row in range").data()))
            .collect();
        // The rows' lengths: the columns of the row and of its neighbours
        // (each neighbour's, even at a scale of 0, as `blend_row` adds
        // them), none for a row of stored zeros.
        let lens: Vec<usize> = rows
            .par_iter()
            .map_init(
                || SparseSum::new(x.cols()),
                |sum, &i| {
                    if norms[i] == 0.0 {
                        return 0;
                    }
                    let near = neighbours.within(i, self.window).map(|(_, j)| j);
                    for j in std::iter::once(i).chain(near) {
                        for &c in x.outer_view(j).expect("row in range").indices() {
                            sum.mark(c);
                        }
                    }
                    sum.forget()
                },
            )
            .collect();
        let mut indptr = Vec::with_capacity(rows.len() + 1);
        indptr.push(0usize);
        for len in &lens {
            indptr.push(indptr.last().expect("one offset at least") + len);
        }
        drop(lens);
        let total = *indptr.last().expect("one offset at least");
        let mut indices = vec![0u32; total];
        let mut data = vec![0.0f64; total];
        // Each task blends `ROWS_PER_TASK` consecutive rows into its own
        // slices of the arrays.
        let mut tasks = Vec::with_capacity(rows.len().div_ceil(ROWS_PER_TASK));
        let (mut rest_indices, mut rest_data) = (indices.as_mut_slice(), data.as_mut_slice());
        for (t, part) in rows.chunks(ROWS_PER_TASK).enumerate() {
            let first = t * ROWS_PER_TASK;
            let len = indptr[first + part.len()] - indptr[first];
            let (i, rest_i) = std::mem::take(&mut rest_indices).split_at_mut(len);
            let (d, rest_d) = std::mem::take(&mut rest_data).split_at_mut(len);
            (rest_indices, rest_data) = (rest_i, rest_d);
            tasks.push((first, part, i, d));
        }
        tasks.into_par_iter().for_each_init(
            || (SparseSum::new(x.cols()), Vec::new()),
            |(sum, scaled), (first, part, indices, data)| {
                let base = indptr[first];
                for (o, &i) in part.iter().enumerate() {
                    let span = indptr[first + o] - base..indptr[first + o + 1] - base;
                    self.blend_row(
                        x,
                        neighbours,
                        &norms,
                        i,
                        (sum, scaled),
                        (&mut indices[span.clone()], &mut data[span]),
                    );
                }
            },
        );
        SparseMatrix::new((rows.len(), x.cols()), indptr, indices, data)
    }

    /// Blends row `i` of `x` into `out` (its columns and values, as many
    /// as [`blend_rows`](Self::blend_rows) counted), with `norms` the rows'
    /// norms and a sum and a list of scaled neighbours to work in.
    ///
    /// Each row sums its own entries and its neighbours' (scaled) into a
    /// dense accumulator, one per thread, column by column in the order the
    /// rows come (own row, then left before right at each distance): the
    /// same sums, to the bit, as sorting the entries by column with a
    /// stable sort and adding up equal columns (the tests keep that version
    /// as the reference). The gates' dot products read the own row from the
    /// accumulator before any neighbour is added, over each neighbour's
    /// columns in order: sprs's `dot` sums the same products in the same
    /// order, and the columns not shared add +0.0, which changes no sum.
    /// The columns come out in order from a bit set ([`SparseSum`]), not
    /// sorted. On 18,846 posts in texts of ten paragraphs (`cargo bench
    /// --bench cluster -- context`) this took the blend from 131 ms
    /// (sorting every row's entries, sprs's `dot` for the gates) to 86 ms.
    fn blend_row(
        &self,
        x: &SparseMatrix<f64>,
        neighbours: &Neighbours,
        norms: &[f64],
        i: usize,
        (sum, scaled): (&mut SparseSum, &mut Vec<(usize, f64)>),
        (columns, values): (&mut [u32], &mut [f64]),
    ) {
        // A row of stored zeros is empty too (its gates would divide by its
        // norm, 0).
        if norms[i] == 0.0 {
            debug_assert!(columns.is_empty());
            return;
        }
        let own = x.outer_view(i).expect("row in range");
        for (&c, &v) in own.indices().iter().zip(own.data()) {
            sum.add(c, v);
        }
        // Each neighbour with its scale (distance weight times gate), left
        // then right at each distance; the gates read the own row, alone in
        // the sum so far.
        let gated = self.floor < 1.0;
        let (mut w, mut d) = (1.0, 0);
        scaled.clear();
        for (dj, j) in neighbours.within(i, self.window) {
            while d < dj {
                d += 1;
                w *= self.weight;
            }
            if !gated {
                // A gate of 1: `w * 1.0` is `w`.
                scaled.push((j, w));
                continue;
            }
            let row = x.outer_view(j).expect("row in range");
            let cos = if norms[j] > 0.0 {
                let mut dot = 0.0;
                for (&c, &v) in row.indices().iter().zip(row.data()) {
                    dot += sum.get(c).map_or(0.0, |own| own * v);
                }
                dot / (norms[i] * norms[j])
            } else {
                0.0
            };
            scaled.push((j, w * (self.floor + (1.0 - self.floor) * cos)));
        }
        for &(j, scale) in scaled.iter() {
            let row = x.outer_view(j).expect("row in range");
            for (&c, &v) in row.indices().iter().zip(row.data()) {
                sum.add(c, scale * v);
            }
        }
        sum.take_into(columns, values);
        let norm = l2_norm(values);
        if norm > 0.0 {
            values.iter_mut().for_each(|v| *v /= norm);
        }
    }
}

/// Rows per parallel task of [`ContextParams::blend_rows`].
const ROWS_PER_TASK: usize = 256;

/// A sparse sum of rows: a dense value per column, a bit per column saying
/// whether it holds one, and the columns in the order they came. A column's
/// first value is stored as is and the next ones added to it, so each
/// column sums its values in the order they are added.
struct SparseSum {
    values: Vec<f64>,
    bits: Vec<u64>,
    added: Vec<u32>,
}

impl SparseSum {
    fn new(n_cols: usize) -> Self {
        SparseSum {
            values: vec![0.0; n_cols],
            bits: vec![0; n_cols.div_ceil(64)],
            added: Vec::new(),
        }
    }

    /// Adds `v` to column `c`.
    #[inline]
    fn add(&mut self, c: u32, v: f64) {
        let c = c as usize;
        let (word, bit) = (&mut self.bits[c / 64], 1u64 << (c % 64));
        if *word & bit == 0 {
            *word |= bit;
            self.values[c] = v;
            self.added.push(c as u32);
        } else {
            self.values[c] += v;
        }
    }

    /// Column `c`'s sum, `None` when nothing was added to it.
    #[inline]
    fn get(&self, c: u32) -> Option<f64> {
        let c = c as usize;
        (self.bits[c / 64] >> (c % 64) & 1 == 1).then(|| self.values[c])
    }

    /// Notes column `c` as added to, without a value (for counting
    /// columns with [`forget`](Self::forget)).
    #[inline]
    fn mark(&mut self, c: u32) {
        let (word, bit) = (&mut self.bits[c as usize / 64], 1u64 << (c % 64));
        if *word & bit == 0 {
            *word |= bit;
            self.added.push(c);
        }
    }

    /// The number of columns added to or marked, leaving the sum empty.
    fn forget(&mut self) -> usize {
        for &c in &self.added {
            self.bits[c as usize / 64] = 0;
        }
        let count = self.added.len();
        self.added.clear();
        count
    }

    /// Writes the columns in increasing order and their sums into `columns`
    /// and `values` (as long as the number of columns added to), leaving
    /// the sum empty. The columns are read off the bits between the least
    /// and the greatest when those span few words for their number, else
    /// sorted.
    fn take_into(&mut self, columns: &mut [u32], values: &mut [f64]) {
        assert_eq!(columns.len(), self.added.len(), "one slot per column");
        assert_eq!(values.len(), self.added.len(), "one slot per column");
        let (lo, hi) = self
            .added
            .iter()
            .fold((u32::MAX, 0), |(lo, hi), &c| (lo.min(c), hi.max(c)));
        let (lo, hi) = (lo as usize / 64, hi as usize / 64);
        if !self.added.is_empty() && hi - lo < 8 * self.added.len() {
            let mut at = 0;
            for (w, word) in self.bits[lo..=hi].iter_mut().enumerate() {
                let mut bits = std::mem::take(word);
                while bits != 0 {
                    columns[at] = ((lo + w) * 64) as u32 + bits.trailing_zeros();
                    at += 1;
                    bits &= bits - 1;
                }
            }
        } else {
            columns.copy_from_slice(&self.added);
            columns.sort_unstable();
            for &c in columns.iter() {
                self.bits[c as usize / 64] = 0;
            }
        }
        self.added.clear();
        for (v, &c) in values.iter_mut().zip(columns.iter()) {
            *v = self.values[c as usize];
        }
    }
}

/// The paragraph before and after each row in its text: `groups[i]` names
/// the text row `i` is a paragraph of (`None`: an independent record, with
/// no neighbours), and a text's paragraphs are its rows in corpus order.
/// Rows of other texts between two paragraphs of one text do not separate
/// them, so a table of paragraphs need not be sorted by document, only keep
/// each document's paragraphs in order.
///
/// ```
/// use topica::cluster::Neighbours;
///
/// // Two texts interleaved, and a record standing alone.
/// let n = Neighbours::of(&[Some(0), Some(1), Some(0), None, Some(0), Some(1)]);
/// assert_eq!((n.prev(2), n.next(2)), (Some(0), Some(4)));
/// assert_eq!((n.prev(1), n.next(1)), (None, Some(5)));
/// assert_eq!((n.prev(3), n.next(3)), (None, None));
/// // Within two paragraphs of the first one: (distance, row).
/// assert_eq!(n.within(0, 2).collect::<Vec<_>>(), vec![(1, 2), (2, 4)]);
/// assert!(n.any());
/// ```
#[derive(Debug, Clone)]
pub struct Neighbours {
    prev: Vec<Option<usize>>,
    next: Vec<Option<usize>>,
}

impl Neighbours {
    /// Links each row to the previous and next row of its group.
    pub fn of(groups: &[Option<usize>]) -> Self {
        let n = groups.len();
        let mut prev = vec![None; n];
        let mut next = vec![None; n];
        let mut last: std::collections::HashMap<usize, usize> = Default::default();
        for (i, g) in groups.iter().enumerate() {
            if let Some(g) = g {
                if let Some(p) = last.insert(*g, i) {
                    prev[i] = Some(p);
                    next[p] = Some(i);
                }
            }
        }
        Neighbours { prev, next }
    }

    /// The previous paragraph of row `i`'s text.
    pub fn prev(&self, i: usize) -> Option<usize> {
        self.prev[i]
    }

    /// The next paragraph of row `i`'s text.
    pub fn next(&self, i: usize) -> Option<usize> {
        self.next[i]
    }

    /// Whether some text has two paragraphs.
    pub fn any(&self) -> bool {
        self.next.iter().any(Option::is_some)
    }

    /// The paragraphs of row `i`'s text within `window` of it, as
    /// `(distance, row)`: nearest first, the one before ahead of the one
    /// after at each distance.
    pub fn within(&self, i: usize, window: usize) -> impl Iterator<Item = (usize, usize)> + '_ {
        let (mut left, mut right) = (Some(i), Some(i));
        (1..=window)
            .map_while(move |d| {
                left = left.and_then(|j| self.prev[j]);
                right = right.and_then(|j| self.next[j]);
                (left.is_some() || right.is_some()).then_some((d, left, right))
            })
            .flat_map(|(d, l, r)| [l, r].into_iter().flatten().map(move |j| (d, j)))
    }
}

/// Every row of `x` divided by its L2 norm (empty rows stay empty): what
/// [`ContextParams::blend`] gives when no row has a neighbour to take in.
pub(crate) fn normalize_rows(x: &mut SparseMatrix<f64>) {
    let indptr: Vec<usize> = x.indptr().raw_storage().to_vec();
    let data = x.data_mut();
    for w in indptr.windows(2) {
        let row = &mut data[w[0] - indptr[0]..w[1] - indptr[0]];
        let norm = l2_norm(row);
        if norm > 0.0 {
            row.iter_mut().for_each(|v| *v /= norm);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::vectorize::TfidfVectorizer;

    /// data/news with its three articles' paragraphs interleaved blends each
    /// paragraph to the same row, to the bit, as the articles one after the
    /// other: neighbours are found within the article, not by row number.
    #[test]
    fn interleaved_paragraphs_blend_as_sorted_ones() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/data/news");
        let corpus = crate::corpus::Corpus::read(&[dir], &Default::default()).unwrap();
        let docs = &corpus.documents;
        let mut sources: Vec<&str> = docs.iter().map(|d| &*d.source).collect();
        sources.dedup();
        assert_eq!(sources.len(), 3);
        let group = |i: usize| sources.iter().position(|s| *s == &*docs[i].source);
        let sorted: Vec<usize> = (0..docs.len()).collect();
        // Round robin: the first paragraph of each article, then the second...
        let mut interleaved = sorted.clone();
        interleaved.sort_by_key(|&i| (docs[i].position, group(i)));
        assert_ne!(interleaved, sorted);
        let blend = |order: &[usize]| {
            let texts: Vec<&str> = order.iter().map(|&i| &*docs[i].text).collect();
            let groups: Vec<Option<usize>> = order.iter().map(|&i| group(i)).collect();
            let (_, x) = TfidfVectorizer::params().fit_transform(&texts).unwrap();
            let x = x.matrix().clone();
            let blended = ContextParams::default().blend(&x, &groups).unwrap();
            assert!(ContextParams::default().blends(&groups));
            (x, blended)
        };
        let (x, a) = blend(&sorted);
        let (y, b) = blend(&interleaved);
        let mut changed = 0;
        for (row, &i) in interleaved.iter().enumerate() {
            let own = (x.outer_view(i).unwrap(), y.outer_view(row).unwrap());
            assert_eq!(own.0.indices(), own.1.indices());
            assert_eq!(own.0.data(), own.1.data());
            let (p, q) = (a.outer_view(i).unwrap(), b.outer_view(row).unwrap());
            assert_eq!(p.indices(), q.indices(), "paragraph {i}");
            assert_eq!(p.data(), q.data(), "paragraph {i}");
            changed += usize::from(p.nnz() > own.0.nnz());
        }
        // Most paragraphs took in some neighbour.
        assert!(changed > docs.len() / 2, "{changed}");
    }

    /// The blend as it was first written: every entry of the row and its
    /// neighbours in one list, sorted by column with a stable sort, equal
    /// columns added up in order; `blend_with` must give the same bits.
    fn blend_by_sorting(
        params: &ContextParams,
        x: &SparseMatrix<f64>,
        groups: &[Option<usize>],
    ) -> Vec<(Vec<u32>, Vec<f64>)> {
        let neighbours = Neighbours::of(groups);
        (0..x.rows())
            .map(|i| {
                let own = x.outer_view(i).unwrap();
                if own.nnz() == 0 {
                    return (Vec::new(), Vec::new());
                }
                let own_norm = l2_norm(own.data());
                let mut entries: Vec<(u32, f64)> = own
                    .indices()
                    .iter()
                    .copied()
                    .zip(own.data().iter().copied())
                    .collect();
                let (mut w, mut d) = (1.0, 0);
                for (dj, j) in neighbours.within(i, params.window) {
                    while d < dj {
                        d += 1;
                        w *= params.weight;
                    }
                    let row = x.outer_view(j).unwrap();
                    let gate = if params.floor >= 1.0 {
                        1.0
                    } else {
                        let norm = l2_norm(row.data());
                        let cos = if norm > 0.0 {
                            own.dot(&row) / (own_norm * norm)
                        } else {
                            0.0
                        };
                        params.floor + (1.0 - params.floor) * cos
                    };
                    entries.extend(row.iter().map(|(c, &v)| (c as u32, w * gate * v)));
                }
                entries.sort_by_key(|e| e.0);
                let (mut indices, mut data): (Vec<u32>, Vec<f64>) = (Vec::new(), Vec::new());
                for (c, v) in entries {
                    if indices.last() == Some(&c) {
                        *data.last_mut().unwrap() += v;
                    } else {
                        indices.push(c);
                        data.push(v);
                    }
                }
                let norm = l2_norm(&data);
                if norm > 0.0 {
                    data.iter_mut().for_each(|v| *v /= norm);
                }
                (indices, data)
            })
            .collect()
    }

    #[test]
    fn a_row_of_stored_zeros_takes_in_no_neighbour() {
        let x = SparseMatrix::new((3, 2), vec![0, 1, 2, 3], vec![0, 1, 1], vec![1.0, 0.0, 2.0]);
        let groups = [Some(0), Some(0), Some(0)];
        for floor in [0.1, 1.0] {
            let params = ContextParams {
                window: 1,
                weight: 1.0,
                floor,
            };
            let b = params.blend(&x, &groups).unwrap();
            assert_eq!(b.outer_view(1).unwrap().nnz(), 0, "floor {floor}");
            assert!(b.data().iter().all(|v| v.is_finite()), "floor {floor}");
            // Row 0 takes in row 1's stored zero, nothing else.
            let row = b.outer_view(0).unwrap();
            assert_eq!(row.get(0), Some(&1.0), "floor {floor}");
            assert!(
                row.iter().all(|(c, &v)| c == 0 || v == 0.0),
                "floor {floor}"
            );
        }
    }

    #[test]
    fn blending_adds_up_as_the_sorting_reference_to_the_bit() {
        use rand::{Rng, SeedableRng};
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/data/news");
        let corpus = crate::corpus::Corpus::read(&[dir], &Default::default()).unwrap();
        let (_, news) = TfidfVectorizer::params()
            .fit_transform(&corpus.texts())
            .unwrap();
        let mut sources: Vec<&str> = corpus.documents.iter().map(|d| &*d.source).collect();
        sources.dedup();
        let news_groups: Vec<Option<usize>> = corpus
            .documents
            .iter()
            .map(|d| sources.iter().position(|s| *s == &*d.source))
            .collect();
        // Random rows over few columns (many shared terms), some empty, in
        // five interleaved texts and some records.
        let mut rng = rand_xoshiro::Xoshiro256Plus::seed_from_u64(11);
        let mut tri = sprs::TriMatI::<f64, u32>::new((300, 40));
        for i in 0..300 {
            if rng.gen_bool(0.9) {
                for c in 0..40 {
                    if rng.gen_bool(0.2) {
                        tri.add_triplet(i, c, rng.r#gen::<f64>() * 3.0);
                    }
                }
            }
        }
        let random: SparseMatrix<f64> = tri.to_csr();
        let random_groups: Vec<Option<usize>> = (0..300)
            .map(|_| rng.gen_bool(0.9).then(|| rng.gen_range(0..5)))
            .collect();
        let cases = [
            (news.matrix(), news_groups.as_slice()),
            (&random, random_groups.as_slice()),
        ];
        for (x, groups) in cases {
            for (window, weight, floor) in [(3, 1.0, 0.1), (1, 0.7, 1.0), (5, 0.5, 0.0)] {
                let params = ContextParams {
                    window,
                    weight,
                    floor,
                };
                let got = params.blend(x, groups).unwrap();
                let want = blend_by_sorting(&params, x, groups);
                assert_eq!(got.rows(), want.len());
                for (i, (indices, data)) in want.iter().enumerate() {
                    let row = got.outer_view(i).unwrap();
                    assert_eq!(
                        row.indices(),
                        indices.as_slice(),
                        "row {i}, window {window}"
                    );
                    let bits = |v: &[f64]| v.iter().map(|v| v.to_bits()).collect::<Vec<_>>();
                    assert_eq!(bits(row.data()), bits(data), "row {i}, window {window}");
                }
                // Some rows only, as the clustering blends those with terms.
                let some: Vec<usize> = (0..x.rows()).filter(|i| i % 3 != 1).collect();
                let part = params.blend_rows(x, &Neighbours::of(groups), &some);
                let want = crate::cluster::select_rows(&got, &some);
                assert_eq!(part.indptr().raw_storage(), want.indptr().raw_storage());
                assert_eq!(part.indices(), want.indices(), "window {window}");
                assert_eq!(part.data(), want.data(), "window {window}");
            }
        }
    }
    /// Groups of another length (once an assertion's panic) and parameters
    /// that do not check are refused.
    #[test]
    fn blend_refuses_a_group_count_other_than_the_rows_and_bad_params() {
        let x: SparseMatrix<f64> = sprs::TriMatI::<f64, u32>::from_triplets(
            (3, 2),
            vec![0, 1, 2],
            vec![0, 1, 0],
            vec![1.0, 1.0, 1.0],
        )
        .to_csr();
        let params = ContextParams::default();
        assert_eq!(params.blend(&x, &[Some(0); 3]).unwrap().rows(), 3);
        for groups in [&[Some(0)][..], &[Some(0); 4][..], &[]] {
            let err = params.blend(&x, groups).unwrap_err().to_string();
            assert_eq!(
                err,
                format!(
                    "{} groups given for 3 rows: give one group per row",
                    groups.len()
                )
            );
        }
        for (weight, floor) in [(f64::NAN, 0.1), (1.5, 0.1), (1.0, -0.1)] {
            let bad = ContextParams {
                window: 1,
                weight,
                floor,
            };
            assert!(bad.blend(&x, &[Some(0); 3]).unwrap_err().is_usage());
        }
    }
}
