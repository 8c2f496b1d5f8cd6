r"""Error control for "for all K" statements and for explicit bounds with a failure probability.

* :func:`bonferroni` — the level per test that keeps the family-wise error of
  :math:`m` tests at :math:`\alpha` (union bound).
* :func:`hoeffding_confidence_sequence` — an anytime-valid confidence sequence
  for the mean of bounded i.i.d. values: intervals :math:`C_k` with
  :math:`\Pr[\forall k \ge 1: \mu \in C_k] \ge 1 - \alpha`, so a curve may be
  inspected at every k (optional stopping included) without inflating the error.
* :func:`binomial_exceedance_test` — a bound that may fail with probability
  :math:`\delta` per run, checked on :math:`n` independent runs.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import stats as _sps

from .._errors import ValidationError
from .._validation import as_float_array, check_int
from ._common import check_probability


def bonferroni(alpha: float, m: int) -> float:
    r"""Per-test level :math:`\alpha/m` for :math:`m` simultaneous tests.

    By the union bound, if each of :math:`m` tests errs with probability at
    most :math:`\alpha/m`, some test errs with probability at most :math:`\alpha`
    (Bonferroni; e.g. Lehmann & Romano 2005, *Testing Statistical Hypotheses*,
    Sect. 9.1).
    """
    a = check_probability(alpha, "alpha", open_low=True, open_high=True)
    m = check_int(m, "m", minimum=1)
    return a / m


@dataclass(frozen=True, eq=False)
class ConfidenceSequence:
    r"""A time-uniform confidence sequence :math:`(C_k)_{k=1..n}` for a mean.

    Attributes
    ----------
    k : ndarray of int, shape (n,)
        Sample sizes :math:`1, \dots, n`.
    mean : ndarray, shape (n,)
        Running means :math:`\hat\mu_k`.
    low, high : ndarray, shape (n,)
        End points of :math:`C_k` (clipped to the value range).
    radius : ndarray, shape (n,)
        Hoeffding radius :math:`r_k` before clipping and intersection.
    alpha : float
        :math:`\Pr[\exists k: \mu \notin C_k] \le \alpha`.
    side : str
        ``"both"``, ``"upper"`` (only ``high`` is informative) or ``"lower"``.
    """

    k: np.ndarray
    mean: np.ndarray
    low: np.ndarray
    high: np.ndarray
    radius: np.ndarray
    alpha: float
    side: str


def hoeffding_confidence_sequence(values, *, alpha: float, lower: float = 0.0, upper: float = 1.0,
                                  side: str = "both", intersect: bool = True) -> ConfidenceSequence:
    r"""Anytime-valid confidence sequence for the mean of i.i.d. values in ``[lower, upper]``.

    What is implemented (a union bound over sample sizes, the simplest
    "stitching"): spend :math:`\alpha_k = \alpha/(k(k+1))` at sample size
    :math:`k`, so :math:`\sum_{k\ge1}\alpha_k = \alpha`, and at each :math:`k`
    use Hoeffding's inequality (Hoeffding 1963, *J. Amer. Statist. Assoc.* 58,
    Thm. 2) for the running mean of values in :math:`[a, b]`:

    .. math::
        r_k = (b - a)\sqrt{\frac{\log(c/\alpha_k)}{2k}}, \qquad
        C_k = [\hat\mu_k - r_k,\ \hat\mu_k + r_k] \cap [a, b],

    with :math:`c = 2` for ``side="both"`` and :math:`c = 1` for a one-sided
    sequence (``"upper"``: :math:`C_k = [a, \hat\mu_k + r_k]`; ``"lower"``:
    :math:`[\hat\mu_k - r_k, b]`).  Then
    :math:`\Pr[\exists k: \mu\notin C_k] \le \sum_k \alpha_k = \alpha`.  With
    ``intersect=True`` the running intersection :math:`\bigcap_{j\le k} C_j`
    is returned; it is valid on the same event (if every :math:`C_j` contains
    :math:`\mu`, so does their intersection) and never wider.

    Time-uniform confidence sequences in general, and tighter boundaries of
    width :math:`O(\sqrt{\log\log k / k})` built by stitching, are in Howard,
    Ramdas, McAuliffe & Sekhon (2021), "Time-uniform, nonparametric,
    nonasymptotic confidence sequences", *Ann. Statist.* 49(2),
    arXiv:1810.08240; this union bound is wider by a :math:`\sqrt{\log k}`
    rather than :math:`\sqrt{\log\log k}` factor but needs no tuning.

    Parameters
    ----------
    values : array_like, shape (n,)
        Observations in order of arrival, each in ``[lower, upper]``.
    alpha : float
        Error probability, in (0, 1).
    lower, upper : float
        Known range of the values (``lower < upper``).
    side : {"both", "upper", "lower"}
    intersect : bool
        Return the running intersection.

    Returns
    -------
    ConfidenceSequence
    """
    a = check_probability(alpha, "alpha", open_low=True, open_high=True)
    v = as_float_array(values, "values", ndim=1)
    lo_b, hi_b = float(lower), float(upper)
    if not (np.isfinite(lo_b) and np.isfinite(hi_b) and lo_b < hi_b):
        raise ValidationError(f"lower = {lower!r}, upper = {upper!r} (rule: finite with lower < upper)")
    if v.size == 0:
        raise ValidationError("values is empty (rule: at least one observation)")
    out = (v < lo_b) | (v > hi_b)
    if out.any():
        j = int(np.argmax(out))
        raise ValidationError(f"values[{j}] = {v[j]:.6g} (rule: values must lie in [{lo_b:g}, {hi_b:g}])")
    if side not in ("both", "upper", "lower"):
        raise ValidationError(f"side = {side!r} (rule: 'both', 'upper' or 'lower')")
    n = v.size
    k = np.arange(1, n + 1)
    kf = k.astype(np.float64)
    mean = np.cumsum(v) / kf
    c = 2.0 if side == "both" else 1.0
    # log(c / alpha_k) = log(c) - log(alpha) + log(k) + log(k + 1)
    log_term = np.log(c) - np.log(a) + np.log(kf) + np.log1p(kf)
    r = (hi_b - lo_b) * np.sqrt(log_term / (2.0 * kf))
    low = np.clip(mean - r, lo_b, hi_b) if side != "upper" else np.full(n, lo_b)
    high = np.clip(mean + r, lo_b, hi_b) if side != "lower" else np.full(n, hi_b)
    if intersect:
        low = np.maximum.accumulate(low)
        high = np.minimum.accumulate(high)
    return ConfidenceSequence(k, mean, low, high, r, a, side)


@dataclass(frozen=True)
class BinomialExceedance:
    r"""Result of :func:`binomial_exceedance_test`.

    Attributes
    ----------
    p_value : float
        :math:`\Pr[X \ge v]` for :math:`X \sim \mathrm{Binomial}(n, \delta)`.
    reject : bool
        ``p_value < alpha``: more failures than probability :math:`\delta` allows.
    critical_violations : int or None
        Smallest :math:`v` that would reject with these ``n_runs`` (None if
        even :math:`v = n` would not).
    min_runs : int or None
        Smallest number of runs with which any outcome could reject, i.e. the
        smallest :math:`n` with :math:`\delta^n < \alpha` (all runs failing);
        None when :math:`\delta = 1`.
    n_violations, n_runs : int
    delta, alpha : float
    """

    p_value: float
    reject: bool
    critical_violations: int | None
    min_runs: int | None
    n_violations: int
    n_runs: int
    delta: float
    alpha: float


def binomial_exceedance_test(n_violations: int, n_runs: int, delta: float, alpha: float) -> BinomialExceedance:
    r"""Exact one-sided binomial test of "each run fails with probability at most :math:`\delta`".

    Under the null, the number of failing runs among :math:`n` independent
    runs is stochastically at most :math:`X \sim \mathrm{Binomial}(n, \delta)`,
    so the p-value of :math:`v` observed failures is

    .. math:: p = \Pr[X \ge v] = \sum_{i=v}^{n}\binom{n}{i}\delta^i(1-\delta)^{n-i},

    and rejecting iff :math:`p < \alpha` has size at most :math:`\alpha` for
    every failure probability :math:`\le \delta` (the test is conservative
    because :math:`X` is discrete).  The test can only reject if
    :math:`\delta^n < \alpha`; :attr:`BinomialExceedance.min_runs` reports the
    smallest such :math:`n`, the power information for "inconclusive" verdicts.

    Parameters
    ----------
    n_violations : int
        Runs in which the bound failed, :math:`0 \le v \le n`.
    n_runs : int
        Independent runs, :math:`n \ge 0`.
    delta : float
        Allowed failure probability per run, in [0, 1].
    alpha : float
        Level, in (0, 1).
    """
    n = check_int(n_runs, "n_runs", minimum=0)
    v = check_int(n_violations, "n_violations", minimum=0)
    if v > n:
        raise ValidationError(f"n_violations = {v} > n_runs = {n} (rule: 0 <= n_violations <= n_runs)")
    d = check_probability(delta, "delta")
    a = check_probability(alpha, "alpha", open_low=True, open_high=True)
    p = 1.0 if v == 0 else float(_sps.binom.sf(v - 1, n, d))
    crit = None
    if n > 0:
        tails = _sps.binom.sf(np.arange(-1, n), n, d)  # tails[i] = P(X >= i), i = 0..n
        ok = np.nonzero(tails < a)[0]
        crit = int(ok[0]) if ok.size else None
    if d == 0.0:
        min_runs = 1
    elif d == 1.0:
        min_runs = None
    else:
        m = max(1, int(np.ceil(np.log(a) / np.log(d))))
        while m > 1 and d ** (m - 1) < a:
            m -= 1
        while not d ** m < a:
            m += 1
        min_runs = m
    return BinomialExceedance(p, bool(p < a), crit, min_runs, v, n, d, a)


__all__ = ["bonferroni", "ConfidenceSequence", "hoeffding_confidence_sequence",
           "BinomialExceedance", "binomial_exceedance_test"]
