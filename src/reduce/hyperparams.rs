//! The parameters of [`TruncatedSvd`](super::TruncatedSvd): scikit-learn's
//! `TruncatedSVD(algorithm="randomized")` parameters, with its names and
//! defaults.

use serde::{Deserialize, Serialize};

use crate::error::ParamError;

/// How the power iterations keep the sampled basis well conditioned,
/// scikit-learn's `power_iteration_normalizer`.
///
/// Every choice spans the same subspace in exact arithmetic (each replaces a
/// basis by another of the same span), so they differ only in rounding and
/// speed. The last step always orthonormalizes by QR.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum PowerIterationNormalizer {
    /// [`None`](Self::None) when `n_iter <= 2`, [`QR`](Self::QR) otherwise
    /// (the default).
    ///
    /// scikit-learn picks LU rather than QR here because LAPACK's LU is
    /// cheaper than its Householder QR; topica's QR (Cholesky QR, see
    /// [`QR`](Self::QR)) is cheaper than its LU and more accurate, so `Auto`
    /// takes QR. [`TruncatedSvd::power_iteration_normalizer`] says what was
    /// used.
    ///
    /// [`TruncatedSvd::power_iteration_normalizer`]: super::TruncatedSvd::power_iteration_normalizer
    #[default]
    Auto,
    /// An orthonormal basis after every product, by Cholesky QR (Gram
    /// matrix, Cholesky factor, triangular solve: matrix products, run in
    /// parallel), falling back to Householder QR when the basis is too badly
    /// conditioned for it (a condition number above about 1e6) or rank
    /// deficient.
    ///
    /// One pass of Cholesky QR leaves columns orthonormal to about
    /// `cond² · 1e-16`: plenty for a power iteration, which only needs a
    /// well-conditioned basis of the right span. The final basis, which must
    /// be orthonormal, takes two passes (CholeskyQR2), orthonormal to machine
    /// precision.
    QR,
    /// `P L` of the LU factorization with partial pivoting, as
    /// `scipy.linalg.lu(permute_l=True)` returns it: unit lower triangular
    /// rows, not orthonormal but well conditioned.
    LU,
    /// No normalization: the fastest, but the basis degenerates toward the top
    /// singular vector as `n_iter` grows (scikit-learn warns from about 5).
    /// topica still rescales by the largest entry after each product (a scalar,
    /// which changes no span) so that values cannot overflow.
    None,
}

impl PowerIterationNormalizer {
    /// The normalizer `self` stands for with `n_iter` power iterations: `Auto`
    /// resolved, the others unchanged.
    pub fn resolve(self, n_iter: usize) -> Self {
        match self {
            PowerIterationNormalizer::Auto if n_iter <= 2 => PowerIterationNormalizer::None,
            PowerIterationNormalizer::Auto => PowerIterationNormalizer::QR,
            other => other,
        }
    }

    /// scikit-learn's name: `auto`, `QR`, `LU` or `none`.
    pub fn name(self) -> &'static str {
        match self {
            PowerIterationNormalizer::Auto => "auto",
            PowerIterationNormalizer::QR => "QR",
            PowerIterationNormalizer::LU => "LU",
            PowerIterationNormalizer::None => "none",
        }
    }
}

impl std::fmt::Display for PowerIterationNormalizer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

impl std::str::FromStr for PowerIterationNormalizer {
    type Err = String;

    /// scikit-learn's names (`auto`, `QR`, `LU`, `none`), in any case.
    fn from_str(s: &str) -> Result<Self, String> {
        match s.to_ascii_lowercase().as_str() {
            "auto" => Ok(PowerIterationNormalizer::Auto),
            "qr" => Ok(PowerIterationNormalizer::QR),
            "lu" => Ok(PowerIterationNormalizer::LU),
            "none" => Ok(PowerIterationNormalizer::None),
            _ => Err(format!(
                "unknown power iteration normalizer `{s}` (expected auto, QR, LU or none)"
            )),
        }
    }
}

/// Parameters of a [`TruncatedSvd`](super::TruncatedSvd): a consuming builder
/// whose setters state their defaults, which are scikit-learn's (but for the
/// seed: scikit-learn draws a fresh one unless told, topica uses 0).
///
/// ```
/// use topica::reduce::{PowerIterationNormalizer, TruncatedSvd};
///
/// let params = TruncatedSvd::params(100)
///     .n_oversamples(20)
///     .n_iter(7)
///     .power_iteration_normalizer(PowerIterationNormalizer::LU)
///     .seed(42);
/// assert!(params.check().is_ok());
/// assert!(TruncatedSvd::params(0).check().is_err());
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TruncatedSvdParams {
    pub(crate) n_components: usize,
    pub(crate) n_oversamples: usize,
    pub(crate) n_iter: usize,
    pub(crate) power_iteration_normalizer: PowerIterationNormalizer,
    pub(crate) seed: u64,
}

impl TruncatedSvdParams {
    /// Defaults for `n_components` dimensions: `n_oversamples = 10`,
    /// `n_iter = 5`, `power_iteration_normalizer = Auto`, `seed = 0`.
    pub fn new(n_components: usize) -> Self {
        TruncatedSvdParams {
            n_components,
            n_oversamples: 10,
            n_iter: 5,
            power_iteration_normalizer: PowerIterationNormalizer::Auto,
            seed: 0,
        }
    }

    /// Number of dimensions of the output (scikit-learn's `n_components`),
    /// at least 1 and at most the smaller side of the matrix. scikit-learn
    /// suggests 100 for LSA.
    pub fn n_components(mut self, n_components: usize) -> Self {
        self.n_components = n_components;
        self
    }

    /// Extra random directions sampled beyond `n_components` (and dropped at
    /// the end), which make the leading ones more accurate. Default: 10.
    pub fn n_oversamples(mut self, n_oversamples: usize) -> Self {
        self.n_oversamples = n_oversamples;
        self
    }

    /// Number of power iterations, each one product with the matrix and one
    /// with its transpose; more is slower and more accurate. Default: 5.
    pub fn n_iter(mut self, n_iter: usize) -> Self {
        self.n_iter = n_iter;
        self
    }

    /// How the power iterations are normalized. Default:
    /// [`PowerIterationNormalizer::Auto`].
    pub fn power_iteration_normalizer(mut self, normalizer: PowerIterationNormalizer) -> Self {
        self.power_iteration_normalizer = normalizer;
        self
    }

    /// Seed of the random starting matrix. Default: 0.
    pub fn seed(mut self, seed: u64) -> Self {
        self.seed = seed;
        self
    }

    /// The number of components.
    pub fn get_n_components(&self) -> usize {
        self.n_components
    }

    /// The number of oversamples.
    pub fn get_n_oversamples(&self) -> usize {
        self.n_oversamples
    }

    /// The number of power iterations.
    pub fn get_n_iter(&self) -> usize {
        self.n_iter
    }

    /// The normalizer as given (`Auto` stays `Auto`).
    pub fn get_power_iteration_normalizer(&self) -> PowerIterationNormalizer {
        self.power_iteration_normalizer
    }

    /// The seed.
    pub fn get_seed(&self) -> u64 {
        self.seed
    }

    /// Checks the parameters alone (not against data): `n_components` must be
    /// at least 1. The bound by the matrix's shape is checked by
    /// [`fit`](Self::fit).
    pub fn check(&self) -> Result<(), ParamError> {
        if self.n_components == 0 {
            return Err(ParamError::new("n_components", "must be at least 1, got 0"));
        }
        Ok(())
    }
}

impl Default for TruncatedSvdParams {
    /// scikit-learn's default `TruncatedSVD()`: 2 components.
    fn default() -> Self {
        TruncatedSvdParams::new(2)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn n_components_cannot_be_zero() {
        let e = TruncatedSvdParams::new(0).check().unwrap_err();
        assert_eq!(e.name, "n_components");
        assert_eq!(
            e.to_string(),
            "invalid n_components: must be at least 1, got 0"
        );
        assert!(TruncatedSvdParams::new(1).check().is_ok());
    }

    #[test]
    fn defaults_are_scikit_learns() {
        let p = TruncatedSvdParams::new(100);
        assert_eq!(p.get_n_components(), 100);
        assert_eq!(p.get_n_oversamples(), 10);
        assert_eq!(p.get_n_iter(), 5);
        assert_eq!(
            p.get_power_iteration_normalizer(),
            PowerIterationNormalizer::Auto
        );
        assert_eq!(p.get_seed(), 0);
        assert_eq!(TruncatedSvdParams::default().get_n_components(), 2);
    }

    #[test]
    fn zero_iterations_and_oversamples_are_valid() {
        let p = TruncatedSvdParams::new(3).n_iter(0).n_oversamples(0);
        assert!(p.check().is_ok());
    }

    #[test]
    fn auto_resolves_like_scikit_learn_but_to_qr() {
        use PowerIterationNormalizer::*;
        assert_eq!(Auto.resolve(0), None);
        assert_eq!(Auto.resolve(2), None);
        assert_eq!(Auto.resolve(3), QR);
        assert_eq!(Auto.resolve(5), QR);
        assert_eq!(LU.resolve(1), LU);
        assert_eq!(None.resolve(9), None);
    }

    #[test]
    fn normalizer_names_round_trip() {
        use PowerIterationNormalizer::*;
        for n in [Auto, QR, LU, None] {
            assert_eq!(n.name().parse::<PowerIterationNormalizer>(), Ok(n));
            assert_eq!(n.to_string(), n.name());
        }
        assert_eq!("qr".parse(), Ok(QR));
        assert!("householder".parse::<PowerIterationNormalizer>().is_err());
    }
}
