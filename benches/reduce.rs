//! Criterion benchmarks of topica's truncated SVD on the default TF-IDF of all
//! of 20 Newsgroups (18,846 documents × 173,762 terms, 2,952,534 non-zeros).
//!
//! ```text
//! TOPICA_DATA_DIR=../shared/data cargo bench --bench reduce -- --sample-size 10
//! ```
//!
//! Groups:
//!
//! - `fit_transform`: `TruncatedSvd::params(100).fit_transform(&x)` with the
//!   default normalizer (`auto`, here QR) and with LU, as scikit-learn's
//!   `TruncatedSVD(100).fit_transform(X)` (`auto`, there LU); the vectorizing
//!   is done once, outside the measurement;
//! - `xt_times_dense`: the product `Xᵀ · B` (`B` dense, 18,846 × 110) the
//!   way `topica::reduce` computes it, transposing `X` once (`to_csc`) and
//!   running the row-parallel CSR kernel on `Xᵀ`, against scattering the rows
//!   of `X` into one dense 173,762 × 110 accumulator per block of rows (four
//!   blocks, summed in order for determinism: 4 × 153 MB).
//!
//! Each measured closure checks its result: the shape, and the leading
//! singular value against scikit-learn's (`tests/sklearn_svd.py` prints it);
//! the two products against each other once beforehand. Without the data
//! (`TOPICA_DATA_DIR` unset or the file missing) the benchmark says what is
//! missing and exits successfully.

use std::hint::black_box;
use std::time::Duration;

use criterion::{BenchmarkGroup, Criterion, SamplingMode, measurement::WallTime};
use ndarray::{Array2, ArrayView2};
use rand::{Rng, SeedableRng};
use rayon::prelude::*;
use topica::corpus::{Corpus, reference_file};
use topica::reduce::{PowerIterationNormalizer, TruncatedSvd};
use topica::vectorize::{SparseMatrix, TfidfVectorizer};

/// scikit-learn 1.9.1's `TfidfVectorizer()` on all of 20 Newsgroups.
const TERMS: usize = 173_762;
const NNZ: usize = 2_952_534;

/// The largest singular value of that matrix (scikit-learn's randomized
/// `TruncatedSVD(100, random_state=0)`; seeds 0 and 1 agree to 2e-16).
const SIGMA_1: f64 = 33.26197267164246;

/// Components plus scikit-learn's 10 oversamples.
const L: usize = 110;

/// Rows per task of the CSR kernel, as in `topica::reduce`.
const ROWS_PER_TASK: usize = 256;

fn group<'c>(c: &'c mut Criterion, name: &str) -> BenchmarkGroup<'c, WallTime> {
    let mut g = c.benchmark_group(name);
    g.sample_size(10)
        .sampling_mode(SamplingMode::Flat)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(20));
    g
}

fn fit_transform(c: &mut Criterion, x: &SparseMatrix<f64>) {
    let mut g = group(c, "fit_transform");
    for (name, normalizer) in [
        ("k100_auto", PowerIterationNormalizer::Auto),
        ("k100_lu", PowerIterationNormalizer::LU),
    ] {
        let params = TruncatedSvd::params(100).power_iteration_normalizer(normalizer);
        g.bench_function(name, |b| {
            b.iter(|| {
                let (svd, z) = params.fit_transform(x).expect("20 Newsgroups decomposes");
                assert_eq!(z.dim(), (x.rows(), 100));
                let s1 = svd.singular_values()[0];
                assert!(
                    ((s1 - SIGMA_1) / SIGMA_1).abs() < 1e-5,
                    "σ1 = {s1}, scikit-learn's {SIGMA_1}"
                );
                z
            })
        });
    }
    g.finish();
}

/// `x · b` for a CSR `x`, row-parallel: `topica::reduce`'s kernel.
fn csr_times_dense(x: &SparseMatrix<f64>, b: ArrayView2<'_, f64>) -> Array2<f64> {
    let l = b.ncols();
    let b = b.as_slice().expect("standard layout");
    let mut out = Array2::<f64>::zeros((x.rows(), l));
    let indptr = x.indptr();
    let indptr = indptr.raw_storage();
    out.as_slice_mut()
        .unwrap()
        .par_chunks_mut(ROWS_PER_TASK * l)
        .enumerate()
        .for_each(|(task, block)| {
            for (r, acc) in block.chunks_exact_mut(l).enumerate() {
                let row = task * ROWS_PER_TASK + r;
                for nz in indptr[row]..indptr[row + 1] {
                    let (j, v) = (x.indices()[nz] as usize, x.data()[nz]);
                    for (a, &bv) in acc.iter_mut().zip(&b[j * l..(j + 1) * l]) {
                        *a += v * bv;
                    }
                }
            }
        });
    out
}

/// `xᵀ · b` by transposing `x` once, then the CSR kernel.
fn by_transpose(x: &SparseMatrix<f64>, b: ArrayView2<'_, f64>) -> Array2<f64> {
    let xt: SparseMatrix<f64> = x.to_csc().transpose_into();
    csr_times_dense(&xt, b)
}

/// `xᵀ · b` by scattering the rows of `x` in `blocks` fixed blocks, each into
/// its own dense accumulator, summed in block order.
fn by_scatter(x: &SparseMatrix<f64>, b: ArrayView2<'_, f64>, blocks: usize) -> Array2<f64> {
    let (n, d, l) = (x.rows(), x.cols(), b.ncols());
    let b = b.as_slice().expect("standard layout");
    let per_block = n.div_ceil(blocks);
    let partials: Vec<Vec<f64>> = (0..blocks)
        .into_par_iter()
        .map(|blk| {
            let mut acc = vec![0.0; d * l];
            for i in blk * per_block..((blk + 1) * per_block).min(n) {
                let row = x.outer_view(i).unwrap();
                let bi = &b[i * l..(i + 1) * l];
                for (&j, &v) in row.indices().iter().zip(row.data()) {
                    let j = j as usize;
                    for (a, &bv) in acc[j * l..(j + 1) * l].iter_mut().zip(bi) {
                        *a += v * bv;
                    }
                }
            }
            acc
        })
        .collect();
    let mut sum = vec![0.0; d * l];
    for partial in partials {
        sum.iter_mut().zip(partial).for_each(|(s, p)| *s += p);
    }
    Array2::from_shape_vec((d, l), sum).unwrap()
}

fn xt_times_dense(c: &mut Criterion, x: &SparseMatrix<f64>) {
    let mut rng = rand_xoshiro::Xoshiro256Plus::seed_from_u64(0);
    let b = Array2::from_shape_simple_fn((x.rows(), L), || rng.r#gen::<f64>() - 0.5);
    let reference = by_transpose(x, b.view());
    let scattered = by_scatter(x, b.view(), 4);
    let diff = (&reference - &scattered)
        .iter()
        .fold(0.0f64, |m, v| m.max(v.abs()));
    assert!(diff < 1e-9, "the two products differ by {diff}");
    drop(scattered);

    let mut g = group(c, "xt_times_dense");
    g.bench_function("transpose_then_csr", |bch| {
        bch.iter(|| {
            let p = by_transpose(x, b.view());
            assert_eq!(p.dim(), (TERMS, L));
            p
        })
    });
    g.bench_function("transpose_only", |bch| {
        bch.iter(|| {
            let xt: SparseMatrix<f64> = black_box(x).to_csc().transpose_into();
            assert_eq!(xt.nnz(), NNZ);
            xt
        })
    });
    g.bench_function("scatter_4_blocks", |bch| {
        bch.iter(|| {
            let p = by_scatter(x, b.view(), 4);
            assert_eq!(p.dim(), (TERMS, L));
            p
        })
    });
    g.finish();
}

fn main() {
    let path = match reference_file("20newsgroups.jsonl") {
        Ok(path) => path,
        Err(e) => {
            eprintln!("reduce benchmarks skipped: {e}");
            return;
        }
    };
    let corpus = Corpus::read(&[&path], &Default::default()).expect("20 Newsgroups reads");
    let (_, x) = TfidfVectorizer::params()
        .fit_transform(&corpus.texts())
        .expect("20 Newsgroups vectorizes");
    assert_eq!(x.n_terms(), TERMS);
    assert_eq!(x.nnz(), NNZ);
    let x = x.into_parts().0;
    eprintln!(
        "20 Newsgroups: {} documents x {TERMS} terms, {NNZ} non-zeros",
        x.rows()
    );

    let mut c = Criterion::default().configure_from_args();
    fit_transform(&mut c, &x);
    xt_times_dense(&mut c, &x);
    c.final_summary();
}
