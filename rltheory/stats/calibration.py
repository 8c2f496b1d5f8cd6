r"""Synthetic power-law data and Monte Carlo error rates of the slope check.

Used by the calibration tests and to produce the rates quoted in
:func:`rltheory.stats.slope_ci`.  Every sample has mean (or, for symmetric
noise, centre) *exactly* :math:`c\,x^b`, so a check of "exponent :math:`\le b`"
(or :math:`\ge b`) on it is a null case.

Noise models (``Y`` has shape ``(n_seeds, n_x)``; seeds independent):

``"lognormal"``
    :math:`Y_{ij} = c\,x_j^b \exp(\sigma\varepsilon_{ij} - \sigma^2/2)`,
    :math:`\varepsilon_{ij}` i.i.d. :math:`N(0,1)` (independent across x).
``"lognormal_curve"``
    as above with :math:`\varepsilon_{i\cdot}` a stationary AR(1) sequence
    along the x grid, :math:`\varepsilon_{ij} = \rho\varepsilon_{i,j-1} +
    \sqrt{1-\rho^2}\,\eta_{ij}` (one learning curve per seed read at several x).
``"additive"``
    :math:`Y_{ij} = c\,x_j^b + \sigma\,c\,\min_k x_k^b\,U_{ij}`,
    :math:`U_{ij}` i.i.d. uniform on :math:`[-1, 1]`; positive iff
    :math:`\sigma < 1`.  The noise does not scale with the mean, so its
    relative size changes along x.
``"additive_curve"``
    :math:`Y_{ij} = c\,x_j^b + \sigma\,c\,x_1^b\,W_i(x_j/x_1)` with
    :math:`W_i` a standard Brownian motion (a cumulative sum of independent
    per-episode noise: realised regret read at several K); ``x`` must be
    increasing.  Gaussian, so positivity is only overwhelmingly likely for
    small :math:`\sigma` and :math:`b \ge 1/2`; the sampler raises if a
    value is not positive.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .._errors import ValidationError
from .._random import as_generator
from .._validation import as_float_array, check_int
from ._common import BOOTSTRAP_METHODS, check_level, check_method

NOISE_MODELS = ("lognormal", "lognormal_curve", "additive", "additive_curve")


def power_law_sample(x, n_seeds: int, *, exponent: float, seed,
                     noise: str = "lognormal", sigma: float = 0.5, rho: float = 0.9,
                     c: float = 1.0) -> np.ndarray:
    r"""Draw ``(n_seeds, len(x))`` positive values with mean :math:`c\,x^b` (see module docstring).

    Parameters
    ----------
    x : array_like, shape (n_x,)
        Positive, increasing grid.
    n_seeds : int
    exponent : float
        The true exponent :math:`b`.
    seed : int, numpy.random.SeedSequence or numpy.random.Generator
        Source of randomness (:func:`rltheory._random.as_generator`); a Generator is advanced.
    noise : {"lognormal", "lognormal_curve", "additive", "additive_curve"}
    sigma : float
        Noise scale (log-sd for the lognormal models, relative half-width at
        the smallest mean for ``"additive"``, relative Brownian scale for
        ``"additive_curve"``).
    rho : float
        AR(1) correlation of ``"lognormal_curve"``.
    c : float
        Constant factor.
    """
    rng = as_generator(seed)
    xs = as_float_array(x, "x", ndim=1)
    if xs.size < 1 or np.any(xs <= 0) or np.any(np.diff(xs) <= 0):
        raise ValidationError("x must be positive and strictly increasing (rule: a sweep grid)")
    n = check_int(n_seeds, "n_seeds", minimum=1)
    b, s, c = float(exponent), float(sigma), float(c)
    if not (s >= 0 and c > 0):
        raise ValidationError(f"sigma = {sigma}, c = {c} (rule: sigma >= 0, c > 0)")
    mu = c * xs ** b
    nx = xs.size
    if noise == "lognormal":
        eps = rng.standard_normal((n, nx))
        return mu * np.exp(s * eps - 0.5 * s * s)
    if noise == "lognormal_curve":
        if not -1.0 < rho < 1.0:
            raise ValidationError(f"rho = {rho} (rule: -1 < rho < 1)")
        eta = rng.standard_normal((n, nx))
        eps = np.empty((n, nx))
        eps[:, 0] = eta[:, 0]
        q = np.sqrt(1.0 - rho * rho)
        for j in range(1, nx):
            eps[:, j] = rho * eps[:, j - 1] + q * eta[:, j]
        return mu * np.exp(s * eps - 0.5 * s * s)
    if noise == "additive":
        if not s < 1.0:
            raise ValidationError(f"sigma = {sigma} (rule: sigma < 1 keeps additive samples positive)")
        return mu + s * mu.min() * rng.uniform(-1.0, 1.0, size=(n, nx))
    if noise == "additive_curve":
        t = xs / xs[0]
        dt = np.diff(np.concatenate([[0.0], t]))
        W = np.cumsum(rng.standard_normal((n, nx)) * np.sqrt(dt), axis=1)
        Y = mu + s * mu[0] * W
        if np.any(Y <= 0):
            raise ValidationError("additive_curve drew a non-positive value "
                                  "(rule: use a smaller sigma or exponent >= 1/2)")
        return Y
    raise ValidationError(f"noise = {noise!r} (rule: one of {', '.join(NOISE_MODELS)})")


@dataclass(frozen=True)
class RejectionRates:
    r"""Monte Carlo rates of the one-sided decisions of :func:`slope_ci` on synthetic data.

    Attributes
    ----------
    above, below : float
        Fraction of repetitions with ``low > exponent_tested`` (an upper-bound
        claim "violated") and with ``high < exponent_tested`` (a lower-bound
        claim "violated").
    se_above, se_below : float
        Binomial standard errors :math:`\sqrt{p(1-p)/R}`.
    reps : int
    alpha : float
        The per-side level the decisions are made at, :math:`(1-\text{level})/2`.
    """

    above: float
    below: float
    se_above: float
    se_below: float
    reps: int
    alpha: float


def slope_rejection_rates(x, n_seeds: int, *, true_exponent: float, seed,
                          reps: int = 1000, exponent_tested: float | None = None,
                          level: float = 0.90, n_boot: int = 2000, method: str | None = None,
                          estimator: str = "mean", noise: str = "lognormal", sigma: float = 0.5,
                          rho: float = 0.9) -> RejectionRates:
    """Rates at which :func:`slope_ci` rejects "exponent <= b" and "exponent >= b".

    Draws ``reps`` independent data sets with :func:`power_law_sample` (true
    exponent ``true_exponent``) and fits each with :func:`slope_ci`; the
    decisions compare the interval with ``exponent_tested`` (default: the
    true exponent, a null case where both rates should be at most alpha).
    """
    from .slopes import slope_ci  # local import: slopes imports nothing from here

    rng = as_generator(seed)
    level = check_level(level)
    R = check_int(reps, "reps", minimum=1)
    b0 = float(true_exponent if exponent_tested is None else exponent_tested)
    xs = as_float_array(x, "x", ndim=1)
    kw = {} if method is None else {"method": method}
    above = below = 0
    for _ in range(R):
        Y = power_law_sample(xs, n_seeds, exponent=true_exponent, seed=rng, noise=noise,
                             sigma=sigma, rho=rho)
        fit = slope_ci(xs, Y, seed=rng, level=level, n_boot=n_boot, estimator=estimator, **kw)
        above += fit.low > b0
        below += fit.high < b0
    pa, pb = float(above) / R, float(below) / R
    return RejectionRates(pa, pb, float(np.sqrt(pa * (1 - pa) / R)), float(np.sqrt(pb * (1 - pb) / R)),
                          R, (1.0 - level) / 2.0)


def compare_interval_rules(x, n_seeds: int, *, true_exponent: float, seed,
                           reps: int = 4000, level: float = 0.90, n_boot: int = 2000,
                           methods: tuple[str, ...] = BOOTSTRAP_METHODS, estimator: str = "mean",
                           noise: str = "lognormal", sigma: float = 0.5,
                           rho: float = 0.9) -> dict[str, tuple[RejectionRates, float]]:
    r"""Null rejection rates and mean widths of several interval rules on shared bootstrap replicates.

    Per repetition: draw data with :func:`power_law_sample`, then the row
    resamples exactly as :func:`slope_ci` does (same generator calls in the same
    order, so a rule's rates equal those of :func:`slope_rejection_rates` with
    that ``method``), and read every rule in ``methods`` from the same
    replicates.  This is how the table in :mod:`rltheory.stats.slopes` was
    measured, with ``rng = numpy.random.default_rng(zlib.crc32(
    f"final{noise}{n_seeds}{estimator}".encode()))`` (noise ``"lognormal1"``
    for the :math:`\sigma = 1` rows).

    Returns
    -------
    dict
        ``method -> (RejectionRates, mean interval width)``.
    """
    from ._slope_core import column_estimates, ols_slopes, replicate_slopes
    from .bootstrap import _interval_from_replicates

    rng = as_generator(seed)
    level = check_level(level)
    R = check_int(reps, "reps", minimum=1)
    B = check_int(n_boot, "n_boot", minimum=2)
    n = check_int(n_seeds, "n_seeds", minimum=2)
    for m in methods:
        check_method(m)
    xs = as_float_array(x, "x", ndim=1)
    u = np.log(xs)
    b0 = float(true_exponent)
    jidx = np.array([np.delete(np.arange(n), i) for i in range(n)])
    above = dict.fromkeys(methods, 0)
    below = dict.fromkeys(methods, 0)
    width = dict.fromkeys(methods, 0.0)
    for _ in range(R):
        Y = power_law_sample(xs, n, exponent=b0, seed=rng, noise=noise, sigma=sigma, rho=rho)
        b_hat = ols_slopes(u, np.log(column_estimates(Y, estimator))[None, :])[0]
        idx = rng.integers(0, n, size=(B, n))
        reps_b = replicate_slopes(u, Y, idx, estimator)[:, None]
        jack = replicate_slopes(u, Y, jidx, estimator)[:, None]
        for m in methods:
            lo, hi = _interval_from_replicates(b_hat, reps_b, level, m, n, jack)
            above[m] += lo[0] > b0
            below[m] += hi[0] < b0
            width[m] += hi[0] - lo[0]
    out = {}
    for m in methods:
        pa, pb = float(above[m]) / R, float(below[m]) / R
        out[m] = (RejectionRates(pa, pb, float(np.sqrt(pa * (1 - pa) / R)), float(np.sqrt(pb * (1 - pb) / R)),
                                 R, (1.0 - level) / 2.0), float(width[m]) / R)
    return out


__all__ = ["NOISE_MODELS", "power_law_sample", "RejectionRates", "slope_rejection_rates",
           "compare_interval_rules"]
