"""Unit tests of rltheory.stats against independent references (scipy, plain loops, hand values)."""

from __future__ import annotations

import math
import warnings

import numpy as np
import pytest
from scipy import stats as ss

from rltheory import ValidationError
from rltheory import stats as S
from rltheory.stats.calibration import power_law_sample

# --------------------------------------------------------------------------- bootstrap_ci


@pytest.mark.parametrize("ours, theirs", [("percentile", "percentile"), ("basic", "basic"), ("bca", "BCa")])
def test_bootstrap_ci_matches_scipy(ours, theirs):
    """Same interval rule as scipy.stats.bootstrap, up to Monte Carlo error of the two resamplings."""
    x = np.random.default_rng(5).lognormal(size=25)
    mine = S.bootstrap_ci(x, np.mean, seed=np.random.default_rng(1), method=ours, n_resamples=40000)
    ref = ss.bootstrap((x,), np.mean, rng=np.random.default_rng(2), method=theirs, n_resamples=40000)
    width = ref.confidence_interval.high - ref.confidence_interval.low
    assert mine.low == pytest.approx(ref.confidence_interval.low, abs=0.03 * width)
    assert mine.high == pytest.approx(ref.confidence_interval.high, abs=0.03 * width)
    assert mine.estimate == pytest.approx(x.mean(), rel=1e-15)


def test_bootstrap_ci_covers_true_mean():
    """Coverage of the 90% interval of a normal mean (n = 40) over 300 data sets: 0.90 +- 3 s.e."""
    rng = np.random.default_rng(11)
    reps, level = 300, 0.90
    hits = 0
    for _ in range(reps):
        x = rng.normal(2.0, 1.0, size=40)
        ci = S.bootstrap_ci(x, seed=rng, level=level, method="expanded", n_resamples=1000)
        hits += ci.low <= 2.0 <= ci.high
    se = math.sqrt(level * (1 - level) / reps)
    assert abs(hits / reps - level) <= 3 * se


def test_bootstrap_ci_contains_truth_simple():
    """Exponential(1) quantile sample of 200 (mean ~ 1, right-skewed): the interval of the mean
    contains 1 whatever the seed, and is about +-2 s.e. wide."""
    x = -np.log1p(-(np.arange(200) + 0.5) / 200)
    for seed in range(5):
        ci = S.bootstrap_ci(x, seed=np.random.default_rng(seed), level=0.95)
        assert ci.low < 1.0 < ci.high
        assert ci.high - 1.0 > 1.0 - ci.low  # BCa follows the right skew
    se = x.std(ddof=1) / math.sqrt(200)
    assert 3.0 * se < ci.high - ci.low < 5.0 * se


def test_expanded_percentile_equals_t_interval_in_normal_limit():
    """For a symmetric sample the expanded interval is xbar +- t_{n-1} s / sqrt(n) (Hesterberg 2015)."""
    n = 12
    x = ss.norm.ppf((np.arange(n) + 0.5) / n)  # perfectly symmetric, normal-shaped sample
    ci = S.bootstrap_ci(x, seed=np.random.default_rng(0), level=0.90, method="expanded", n_resamples=200000)
    half = ss.t.ppf(0.95, n - 1) * x.std(ddof=1) / math.sqrt(n)
    assert ci.low == pytest.approx(-half, rel=0.04)
    assert ci.high == pytest.approx(half, rel=0.04)


def test_expanded_alpha_hand_value():
    # Phi(sqrt(5/4) * t_4^{-1}(0.05)) with t_4^{-1}(0.05) = -2.131847 (t table): Phi(-2.383479) = 0.0085750
    assert S.expanded_alpha(0.05, 5) == pytest.approx(0.0085750, abs=2e-7)
    # n -> infinity: back to alpha
    assert S.expanded_alpha(0.05, 100000) == pytest.approx(0.05, abs=1e-4)


def test_bootstrap_ci_seeded_reproducibility():
    x = np.random.default_rng(0).normal(size=15)
    for method in ("percentile", "basic", "bca", "expanded", "expanded_bca"):
        a = S.bootstrap_ci(x, seed=np.random.default_rng(42), method=method)
        b = S.bootstrap_ci(x, seed=np.random.default_rng(42), method=method)
        c = S.bootstrap_ci(x, seed=np.random.default_rng(43), method=method)
        assert (a.low, a.high) == (b.low, b.high)
        assert (a.low, a.high) != (c.low, c.high)


def test_bootstrap_ci_ignores_global_state():
    x = np.random.default_rng(0).normal(size=15)
    np.random.seed(1)
    a = S.bootstrap_ci(x, seed=np.random.default_rng(7))
    np.random.seed(2)
    b = S.bootstrap_ci(x, seed=np.random.default_rng(7))
    assert a == b


def test_bootstrap_ci_degenerate_returns_point():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for method in ("percentile", "basic", "bca", "expanded", "expanded_bca"):
            ci = S.bootstrap_ci(np.full(6, 2.5), seed=np.random.default_rng(0), method=method)
            assert ci.estimate == ci.low == ci.high == 2.5
            assert ci.method == "point"


def test_bootstrap_ci_vectorized_and_loop_agree():
    """statistic with axis= (vectorised) and without (apply_along_axis) give the identical interval."""
    x = np.random.default_rng(1).normal(size=(3, 9))
    for method in ("percentile", "bca"):
        vec = S.bootstrap_ci(x, np.median, seed=np.random.default_rng(5), method=method, axis=1)
        loop = S.bootstrap_ci(x, lambda v: np.median(v), seed=np.random.default_rng(5), method=method, axis=1)
        np.testing.assert_array_equal(vec.low, loop.low)
        np.testing.assert_array_equal(vec.high, loop.high)
        np.testing.assert_array_equal(vec.estimate, np.median(x, axis=1))


def test_bootstrap_ci_batch_with_a_degenerate_row():
    x = np.vstack([np.random.default_rng(1).normal(size=8), np.full(8, 3.0)])
    ci = S.bootstrap_ci(x, seed=np.random.default_rng(0), axis=1, method="bca")
    assert ci.low[1] == ci.high[1] == 3.0
    assert ci.low[0] < ci.estimate[0] < ci.high[0]


@pytest.mark.parametrize("kwargs, match", [
    (dict(data=[1.0]), "at least 2"),
    (dict(data=[1.0, np.nan, 2.0]), "finite"),
    (dict(data=[1.0, 2.0], level=1.0), "level"),
    (dict(data=[1.0, 2.0], method="bc"), "method"),
    (dict(data=[1.0, 2.0], n_resamples=1), "n_resamples"),
    (dict(data=3.0), "scalar"),
])
def test_bootstrap_ci_validation(kwargs, match):
    kwargs.setdefault("seed", np.random.default_rng(0))
    with pytest.raises(ValidationError, match=match):
        S.bootstrap_ci(**kwargs)


@pytest.mark.parametrize("seed", [None, -1, 1.5, np.random.RandomState(0)])
def test_seed_is_an_int_a_seed_sequence_or_a_generator(seed):
    with pytest.raises(ValidationError, match=r"seed = .*\(rule: .*seed must be|seed = -1"):
        S.bootstrap_ci([1.0, 2.0, 3.0], seed=seed)
    with pytest.raises(ValidationError, match="seed"):
        S.slope_ci([1.0, 2.0], [[1.0, 2.0], [1.0, 2.0]], seed=seed)


def test_the_same_int_seed_gives_the_same_interval():
    a = S.bootstrap_ci([1.0, 2.0, 3.0, 5.0], seed=7)
    b = S.bootstrap_ci([1.0, 2.0, 3.0, 5.0], seed=np.random.SeedSequence(7))
    assert (a.low, a.high) == (b.low, b.high)


# --------------------------------------------------------------------------- IQM


def test_iqm_hand_values():
    # n = 8, g = 2: mean of the 3rd..6th order statistics, the outlier is trimmed
    assert S.iqm([7, 1000, 3, 4, 1, 2, 6, 5]) == 4.5
    # n = 10, g = 2: mean of 3..8
    assert S.iqm(list(range(1, 10)) + [100]) == 5.5
    # n = 3, g = 0: plain mean (scipy's cut rule floor(0.25 n))
    assert S.iqm([1.0, 2.0, 6.0]) == 3.0
    # pooled over a (runs, tasks) matrix, rliable's aggregate_iqm
    assert S.iqm([[1.0, 100.0], [2.0, 3.0], [4.0, -50.0], [5.0, 6.0]]) == 3.5


def test_iqm_matches_scipy_trim_mean():
    x = np.random.default_rng(0).normal(size=(7, 5, 3))
    assert S.iqm(x) == pytest.approx(ss.trim_mean(x, 0.25, axis=None), rel=1e-14)
    for ax in (0, 1, 2, -1):
        np.testing.assert_allclose(S.iqm(x, axis=ax), ss.trim_mean(x, 0.25, axis=ax), rtol=1e-12, atol=1e-15)
    both = S.iqm(x, axis=(0, 2))
    ref = [ss.trim_mean(x[:, j, :], 0.25, axis=None) for j in range(5)]
    np.testing.assert_allclose(both, ref, rtol=1e-12, atol=1e-15)


def test_iqm_validation():
    with pytest.raises(ValidationError, match="x is empty"):
        S.iqm([])
    with pytest.raises(ValidationError, match=r"x\[1\] = nan"):
        S.iqm([1.0, np.nan])
    with pytest.raises(ValidationError, match="valid axes"):
        S.iqm(np.ones((2, 3)), axis=2)
    with pytest.raises(ValidationError, match="distinct"):
        S.iqm(np.ones((2, 3)), axis=(1, -1))


# --------------------------------------------------------------------------- stratified bootstrap


def test_stratified_bootstrap_resamples_within_tasks():
    """Constant runs within each task (different across tasks): no variance if tasks are kept fixed."""
    scores = np.tile([0.1, 0.5, 0.9, 2.0], (6, 1))
    for stat in ("iqm", "mean", "median"):
        ci = S.stratified_bootstrap_ci(scores, stat, seed=np.random.default_rng(0))
        assert ci.low == ci.high == ci.estimate


def test_stratified_bootstrap_matches_loop_reference():
    """Replicates equal a plain loop over the same (B, N, M) index draw; string and callable agree."""
    X = np.random.default_rng(2).normal(size=(5, 4))
    B = 300
    idx = np.random.default_rng(9).integers(0, 5, size=(B, 5, 4))
    reps = np.empty(B)
    for b in range(B):
        rep = np.empty_like(X)
        for m in range(4):
            for i in range(5):
                rep[i, m] = X[idx[b, i, m], m]
        reps[b] = ss.trim_mean(rep, 0.25, axis=None)
    lo, hi = np.quantile(reps, (0.025, 0.975))
    ci = S.stratified_bootstrap_ci(X, "iqm", seed=np.random.default_rng(9), n_resamples=B)
    assert ci.low == pytest.approx(lo, rel=1e-12) and ci.high == pytest.approx(hi, rel=1e-12)
    ci2 = S.stratified_bootstrap_ci(X, lambda s: ss.trim_mean(s, 0.25, axis=None),
                                    seed=np.random.default_rng(9), n_resamples=B)
    assert ci2.low == pytest.approx(lo, rel=1e-12) and ci2.high == pytest.approx(hi, rel=1e-12)
    for name, fn in (("mean", lambda s: s.mean(0).mean()), ("median", lambda s: np.median(s.mean(0)))):
        a = S.stratified_bootstrap_ci(X, name, seed=np.random.default_rng(1), method="basic")
        b = S.stratified_bootstrap_ci(X, fn, seed=np.random.default_rng(1), method="basic")
        assert a.estimate == pytest.approx(b.estimate, rel=1e-14)
        assert (a.low, a.high) == pytest.approx((b.low, b.high), rel=1e-12)


def test_stratified_bootstrap_reproducible_and_valid():
    X = np.random.default_rng(2).normal(size=(5, 4))
    a = S.stratified_bootstrap_ci(X, seed=np.random.default_rng(3), method="bca")
    b = S.stratified_bootstrap_ci(X, seed=np.random.default_rng(3), method="bca")
    c = S.stratified_bootstrap_ci(X, seed=np.random.default_rng(4), method="bca")
    assert a == b and a != c
    assert a.low < a.estimate < a.high
    with pytest.raises(ValidationError, match="num_runs"):
        S.stratified_bootstrap_ci(X[:1], seed=np.random.default_rng(0))
    with pytest.raises(ValidationError, match="statistic"):
        S.stratified_bootstrap_ci(X, "mode", seed=np.random.default_rng(0))


# --------------------------------------------------------------------------- slope_ci


XS = np.geomspace(10, 1000, 7)


@pytest.mark.parametrize("estimator", ["mean", "iqm", "median"])
@pytest.mark.parametrize("b", [-1.0, 0.5, 2.0])
def test_slope_exact_on_noise_free_power_law(estimator, b):
    Y = np.tile(3.0 * XS ** b, (5, 1))
    fit = S.slope_ci(XS, Y, seed=np.random.default_rng(0), estimator=estimator)
    assert fit.slope == pytest.approx(b, abs=1e-12)
    assert fit.intercept == pytest.approx(math.log(3.0), abs=1e-11)
    assert fit.low == pytest.approx(b, abs=1e-12) and fit.high == pytest.approx(b, abs=1e-12)
    assert fit.residual < 1e-12
    assert fit.decision(b + 1e-9) == "consistent"
    assert fit.decision(b - 1e-9) == "violated"


def test_slope_rows_resampled_jointly():
    """Each seed a power law times its own factor: the mean is an exact power law in every resample
    of whole rows, so the interval is the point; resampling x columns independently would not be."""
    F = np.array([0.5, 1.0, 2.0, 4.0, 0.25])[:, None]
    Y = F * XS ** 0.7
    fit = S.slope_ci(XS, Y, seed=np.random.default_rng(0))
    assert fit.high - fit.low < 1e-12
    assert fit.slope == pytest.approx(0.7, abs=1e-12)


def test_slope_point_estimate_and_estimates_against_numpy():
    rng = np.random.default_rng(1)
    Y = power_law_sample(XS, 9, exponent=0.5, seed=rng, sigma=0.4)
    Y[2, 1] = Y[7, 4] = np.nan
    refs = {"mean": np.nanmean(Y, axis=0), "median": np.nanmedian(Y, axis=0),
            "iqm": np.array([ss.trim_mean(c[~np.isnan(c)], 0.25) for c in Y.T])}
    for est, m in refs.items():
        fit = S.slope_ci(XS, Y, seed=np.random.default_rng(0), estimator=est, n_boot=50)
        np.testing.assert_allclose(fit.estimates, m, rtol=1e-14)
        b, a = np.polyfit(np.log(XS), np.log(m), 1)
        assert fit.slope == pytest.approx(b, rel=1e-12) and fit.intercept == pytest.approx(a, rel=1e-12)
        res = np.log(m) - (a + b * np.log(XS))
        np.testing.assert_allclose(fit.log_residuals, res, atol=1e-12)
        assert fit.residual == pytest.approx(np.sqrt(np.mean(res ** 2)), rel=1e-9)


@pytest.mark.parametrize("method", ["percentile", "expanded", "basic"])
def test_slope_bootstrap_matches_loop_reference(method):
    """Vectorised replicates = a loop of np.polyfit over the same row-index draw, incl. NaN columns."""
    rng = np.random.default_rng(2)
    n, B = 6, 400
    Y = power_law_sample(XS, n, exponent=1.0, seed=rng, sigma=0.5, noise="lognormal_curve")
    Y[0, 3] = Y[4, 3] = Y[5, 0] = np.nan
    idx = np.random.default_rng(77).integers(0, n, size=(B, n))
    reps = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # a resample may leave column 3 empty
        for b in range(B):
            m = np.nanmean(Y[idx[b]], axis=0)
            ok = ~np.isnan(m)
            reps.append(np.polyfit(np.log(XS[ok]), np.log(m[ok]), 1)[0])
    reps = np.array(reps)
    bhat = np.polyfit(np.log(XS), np.log(np.nanmean(Y, axis=0)), 1)[0]
    alpha = 0.05
    if method == "expanded":
        n_eff = 4  # column 3 has 4 runs
        ap = ss.norm.cdf(math.sqrt(n_eff / (n_eff - 1)) * ss.t.ppf(alpha, n_eff - 1))
        ref = np.quantile(reps, (ap, 1 - ap))
    elif method == "percentile":
        ref = np.quantile(reps, (alpha, 1 - alpha))
    else:
        q = np.quantile(reps, (alpha, 1 - alpha))
        ref = (2 * bhat - q[1], 2 * bhat - q[0])
    fit = S.slope_ci(XS, Y, seed=np.random.default_rng(77), n_boot=B, method=method)
    assert fit.slope == pytest.approx(bhat, rel=1e-12)
    assert (fit.low, fit.high) == pytest.approx(tuple(ref), rel=1e-10)
    assert fit.n_boot == B


def test_slope_missing_column_in_a_resample_is_dropped():
    """A column with one run is empty in many resamples; those replicates fit the other columns."""
    Y = np.tile(2.0 * XS ** 0.5, (4, 1))
    Y[1:, 2] = np.nan
    fit = S.slope_ci(XS, Y, seed=np.random.default_rng(0), method="percentile")
    assert fit.slope == pytest.approx(0.5, abs=1e-12)
    assert fit.low == pytest.approx(0.5, abs=1e-12) and fit.high == pytest.approx(0.5, abs=1e-12)
    with pytest.raises(ValidationError, match="at least 2 runs"):
        S.slope_ci(XS, Y, seed=np.random.default_rng(0), method="expanded")


def test_slope_seeded_reproducibility():
    Y = power_law_sample(XS, 8, exponent=0.5, seed=np.random.default_rng(3))
    a = S.slope_ci(XS, Y, seed=np.random.default_rng(10))
    b = S.slope_ci(XS, Y, seed=np.random.default_rng(10))
    c = S.slope_ci(XS, Y, seed=np.random.default_rng(11))
    assert (a.low, a.high, a.slope) == (b.low, b.high, b.slope)
    assert (a.low, a.high) != (c.low, c.high)
    assert a.slope == c.slope


def test_slope_fit_min():
    Y = power_law_sample(XS, 8, exponent=0.5, seed=np.random.default_rng(3))
    Y[:, :2] *= 5.0  # a pre-asymptotic regime below x = 30
    full = S.slope_ci(XS, Y, seed=np.random.default_rng(0))
    tail = S.slope_ci(XS, Y, seed=np.random.default_rng(0), fit_min=30.0)
    sub = S.slope_ci(XS[2:], Y[:, 2:], seed=np.random.default_rng(0))
    assert tail.slope == pytest.approx(sub.slope, rel=1e-12)
    assert (tail.low, tail.high) == pytest.approx((sub.low, sub.high), rel=1e-12)
    assert np.array_equal(tail.x, XS[2:])
    assert full.residual > tail.residual


def test_slope_decision_rules():
    fit = S.slope_ci(XS, power_law_sample(XS, 8, exponent=0.5, seed=np.random.default_rng(0), sigma=0.3),
                     seed=np.random.default_rng(1))
    lo, hi = fit.low, fit.high
    assert fit.decision(lo - 0.01, "upper") == "violated"
    assert fit.decision(hi + 0.01, "upper") == "consistent"
    assert fit.decision((lo + hi) / 2, "upper") == "inconclusive"
    assert fit.decision(hi + 0.01, "lower") == "violated"
    assert fit.decision(lo - 0.01, "lower") == "consistent"
    assert fit.decision((lo + hi) / 2, "lower") == "inconclusive"
    # a tolerance moves the threshold towards "consistent"
    assert fit.decision(lo - 0.01, "upper", tolerance=hi - lo + 0.02) == "consistent"
    with pytest.raises(ValidationError, match="bound"):
        fit.decision(0.5, "both")


@pytest.mark.parametrize("x, Y, match", [
    (np.ones((2, 2)), np.ones((3, 2)), "1-D"),
    (XS, np.ones((3, 4)), "shape"),
    ([0.0, 1.0], np.ones((3, 2)), r"x\[0\]"),
    ([1.0, 2.0], [[1.0, 2.0], [1.0, -1.0]], r"Y\[1, 1\]"),
    ([1.0, 2.0], [[1.0, 0.0], [1.0, 0.0]], "positive estimate"),
    ([1.0, 2.0], [[1.0, np.inf], [1.0, 2.0]], r"Y\[0, 1\]"),
    ([1.0, 2.0], [[1.0, 2.0]], "at least 2 rows"),
    ([2.0, 2.0], np.ones((3, 2)), "distinct"),
    ([1.0, 2.0], [[1.0, np.nan], [1.0, np.nan]], r"Y\[:, 1\]"),
])
def test_slope_validation(x, Y, match):
    with pytest.raises(ValidationError, match=match):
        S.slope_ci(x, Y, seed=np.random.default_rng(0))


def test_slope_validation_options():
    Y = np.ones((3, len(XS)))
    with pytest.raises(ValidationError, match="estimator"):
        S.slope_ci(XS, Y, seed=np.random.default_rng(0), estimator="trimmed")
    with pytest.raises(ValidationError, match="method"):
        S.slope_ci(XS, Y, seed=np.random.default_rng(0), method="studentized")
    with pytest.raises(ValidationError, match="distinct"):
        S.slope_ci(XS, Y, seed=np.random.default_rng(0), fit_min=999.0)
    with pytest.raises(ValidationError, match="level"):
        S.slope_ci(XS, Y, seed=np.random.default_rng(0), level=0.0)


def test_local_log_slope_tolerance():
    assert S.local_log_slope_tolerance(math.e ** 2, 2.0) == pytest.approx(1.0, rel=1e-15)
    assert S.local_log_slope_tolerance(100.0, 1.0) == pytest.approx(1 / math.log(100.0), rel=1e-15)
    # it is the local slope at x_min (finite difference) and bounds the OLS slope of (log x)^p on a range
    p, xm = 3.0, 50.0
    h = 1e-6
    fd = (math.log(math.log(xm * math.exp(h)) ** p) - math.log(math.log(xm) ** p)) / h
    tol = S.local_log_slope_tolerance(xm, p)
    assert fd == pytest.approx(tol, rel=1e-5)
    xs = np.geomspace(xm, 1e6, 30)
    fit = S.slope_ci(xs, np.tile(np.log(xs) ** p, (2, 1)), seed=np.random.default_rng(0), n_boot=10)
    assert 0 < fit.slope <= tol
    with pytest.raises(ValidationError, match=r"x_min = 1.0 \(rule: x_min > 1"):
        S.local_log_slope_tolerance(1.0, 1.0)


# --------------------------------------------------------------------------- sequential


def test_bonferroni():
    assert S.bonferroni(0.05, 5) == pytest.approx(0.01)
    assert S.bonferroni(0.1, 1) == 0.1
    with pytest.raises(ValidationError, match=r"m = 0 \(rule"):
        S.bonferroni(0.05, 0)
    with pytest.raises(ValidationError, match=r"alpha = 1.5 \(rule"):
        S.bonferroni(1.5, 2)


def test_confidence_sequence_hand_values():
    cs = S.hoeffding_confidence_sequence([1.0, 0.0, 1.0, 1.0], alpha=0.05, intersect=False)
    # k = 1: alpha_1 = alpha / 2, r_1 = sqrt(log(2 / alpha_1) / 2) = sqrt(log(80) / 2)
    assert cs.radius[0] == pytest.approx(math.sqrt(math.log(80.0) / 2.0), rel=1e-14)
    # k = 4: alpha_4 = alpha / 20, r_4 = sqrt(log(800) / 8)
    assert cs.radius[3] == pytest.approx(math.sqrt(math.log(800.0) / 8.0), rel=1e-14)
    np.testing.assert_allclose(cs.mean, [1.0, 0.5, 2 / 3, 0.75])
    assert np.all(cs.low >= 0) and np.all(cs.high <= 1)
    one = S.hoeffding_confidence_sequence([1.0, 0.0, 1.0, 1.0], alpha=0.05, side="upper", intersect=False)
    assert one.radius[3] == pytest.approx(math.sqrt(math.log(400.0) / 8.0), rel=1e-14)
    assert np.all(one.low == 0.0)
    # scaling with the range [lower, upper]
    sc = S.hoeffding_confidence_sequence([3.0, -1.0], alpha=0.05, lower=-1, upper=3, intersect=False)
    assert sc.radius[1] == pytest.approx(4 * math.sqrt(math.log(2 / (0.05 / 6)) / 4), rel=1e-14)


def test_confidence_sequence_intersection_is_monotone_and_contains_raw():
    v = np.random.default_rng(0).uniform(size=500)
    raw = S.hoeffding_confidence_sequence(v, alpha=0.1, intersect=False)
    cs = S.hoeffding_confidence_sequence(v, alpha=0.1)
    assert np.all(np.diff(cs.low) >= 0) and np.all(np.diff(cs.high) <= 0)
    assert np.all(cs.low >= raw.low) and np.all(cs.high <= raw.high)
    with pytest.raises(ValidationError, match=r"values\[1\]"):
        S.hoeffding_confidence_sequence([0.5, 1.5], alpha=0.1)


def _binom_tail(v, n, d):
    return sum(math.comb(n, i) * d ** i * (1 - d) ** (n - i) for i in range(v, n + 1))


def test_binomial_exceedance_against_brute_force():
    for n, v, d in [(20, 3, 0.05), (10, 0, 0.1), (10, 10, 0.5), (50, 7, 0.05), (1, 1, 0.3)]:
        t = S.binomial_exceedance_test(v, n, d, 0.05)
        assert t.p_value == pytest.approx(_binom_tail(v, n, d), rel=1e-10)
        assert t.reject == (t.p_value < 0.05)
        crit = next((k for k in range(n + 1) if _binom_tail(k, n, d) < 0.05), None)
        assert t.critical_violations == crit


def test_binomial_exceedance_min_runs_and_edges():
    # delta^n < alpha: 0.05^2 = 0.0025; 0.5^5 = 0.031 < 0.05 <= 0.5^4
    assert S.binomial_exceedance_test(0, 1, 0.05, 0.05).min_runs == 2
    assert S.binomial_exceedance_test(0, 1, 0.5, 0.05).min_runs == 5
    assert S.binomial_exceedance_test(0, 1, 0.1, 0.01).min_runs == 3  # 0.1^2 = 0.01 is not < 0.01
    with_one = S.binomial_exceedance_test(1, 1, 0.05, 0.05)
    assert not with_one.reject  # one run can never reject at delta = alpha
    assert S.binomial_exceedance_test(2, 2, 0.05, 0.05).reject
    zero = S.binomial_exceedance_test(1, 30, 0.0, 0.05)
    assert zero.reject and zero.p_value == 0.0 and zero.min_runs == 1
    one = S.binomial_exceedance_test(30, 30, 1.0, 0.05)
    assert not one.reject and one.min_runs is None
    assert S.binomial_exceedance_test(0, 0, 0.1, 0.05).p_value == 1.0
    with pytest.raises(ValidationError, match="n_violations = 3 > n_runs = 2"):
        S.binomial_exceedance_test(3, 2, 0.1, 0.05)
    with pytest.raises(ValidationError, match=r"delta = 1.1 \(rule"):
        S.binomial_exceedance_test(1, 2, 1.1, 0.05)
    with pytest.raises(ValidationError, match="alpha"):
        S.binomial_exceedance_test(1, 2, 0.1, 0.0)


# --------------------------------------------------------------------------- probability of improvement


def test_probability_of_improvement_against_pairs_and_mannwhitney():
    rng = np.random.default_rng(0)
    X = rng.integers(0, 4, size=(6, 3)).astype(float)  # many ties
    Y = rng.integers(0, 4, size=(5, 3)).astype(float)
    pairs = np.mean([np.mean((X[:, m, None] > Y[None, :, m]) + 0.5 * (X[:, m, None] == Y[None, :, m]))
                     for m in range(3)])
    mw = np.mean([ss.mannwhitneyu(X[:, m], Y[:, m], alternative="greater").statistic / 30 for m in range(3)])
    p = S.probability_of_improvement(X, Y)
    assert p == pytest.approx(pairs, rel=1e-14) and p == pytest.approx(mw, rel=1e-14)
    assert S.probability_of_improvement(X, X) == 0.5
    assert S.probability_of_improvement(X + 10, Y) == 1.0
    assert S.probability_of_improvement([1.0, 2.0], [0.0]) == 1.0
    with pytest.raises(ValidationError, match="same tasks"):
        S.probability_of_improvement(X, Y[:, :2])


def test_probability_of_improvement_ci():
    rng = np.random.default_rng(1)
    X, Y = rng.normal(1.0, 1.0, size=(10, 3)), rng.normal(0.0, 1.0, size=(10, 3))
    a = S.probability_of_improvement_ci(X, Y, seed=np.random.default_rng(2))
    b = S.probability_of_improvement_ci(X, Y, seed=np.random.default_rng(2))
    assert a == b
    assert a.low < a.estimate < a.high and 0.5 < a.estimate
    assert a.estimate == S.probability_of_improvement(X, Y)


def test_slope_accepts_single_zero_runs_when_the_estimate_is_positive():
    """Exact learners can be exactly right in a run: zeros in Y are data, not errors."""
    x = np.array([10.0, 100.0, 1000.0])
    Y = np.array([[1.0, 0.1, 0.0], [1.0, 0.0, 0.02], [1.0, 0.2, 0.01], [1.0, 0.1, 0.01]])
    fit = S.slope_ci(x, Y, seed=np.random.default_rng(0))
    assert np.isfinite(fit.slope) and fit.low <= fit.slope <= fit.high
    assert fit.slope == pytest.approx(np.polyfit(np.log(x), np.log(Y.mean(axis=0)), 1)[0])
