r"""The three kinds of checks and their verdict logic.

``RateCheck``
    Fits the exponent of the metric in one parameter on log–log axes,
    :math:`\log \bar m(x) = c + b \log x` with :math:`\bar m` the mean over
    seeds, with a bootstrap confidence interval over seeds
    (:func:`rltheory.stats.slope_ci`).  The decision is one-sided at level
    :math:`\alpha = (1 - \text{level})/2`: for an upper bound with exponent
    :math:`b_0` and tolerance :math:`\tau` (stated slack plus the largest local
    slope the allowed polylog factors can add, :meth:`rltheory.bounds.Bound.log_tolerance`), the
    threshold is :math:`t = b_0 + \tau`;

    * ``violated``  if the whole interval lies above :math:`t`,
    * ``consistent`` if the whole interval lies at or below :math:`t`,
    * ``inconclusive`` otherwise, with the number of seeds that would decide.

    Lower bounds mirror this.  When the sweep has several groups (other swept
    parameters), each group is fitted and the level is Bonferroni-corrected
    across groups; any violated group makes the claim violated.

``ExplicitCheck``
    Compares every run (every logged step of a curve, when the bound is
    stated "for all K") with the theorem's explicit bound.  A bound that holds
    with probability :math:`1 - \delta` may fail in a fraction :math:`\delta`
    of runs: the check is ``violated`` when a one-sided binomial test rejects
    :math:`\Pr[\text{fail}] \le \delta` at level :math:`\alpha`, and with
    :math:`\delta = 0` at the first failing run.

``IdentityCheck``
    An exact equality to a stated tolerance in every run.
"""

from __future__ import annotations

import json
import math
import zlib
from dataclasses import dataclass, field
from typing import Any, Callable, Literal, Mapping, Sequence

import numpy as np

from .. import stats
from .._errors import ValidationError

STATUSES = ("consistent", "violated", "inconclusive")
#: Absolute slack on exponent comparisons: rounding in log–log fits of exact data.
_EXACT_ATOL = 1e-9


@dataclass(frozen=True)
class Run:
    """One finished task: its identity and its metrics as ``(steps, values)`` arrays.

    Scalar metrics have ``steps == [-1]``.
    """

    key: str
    arm: str
    config: Mapping[str, Any]
    seed: int
    metrics: Mapping[str, tuple[np.ndarray, np.ndarray]]

    def final(self, metric: str) -> float:
        """The metric's value at the last logged step (or the scalar)."""
        steps, values = self.metric(metric)
        return float(values[np.argmax(steps)])

    def metric(self, metric: str) -> tuple[np.ndarray, np.ndarray]:
        if metric not in self.metrics:
            raise ValidationError(f"run {self.key} has no metric {metric!r} "
                                  f"(rule: the task function must return it; it returned {sorted(self.metrics)})")
        return self.metrics[metric]


@dataclass(frozen=True)
class Series:
    """What a figure draws for one group of runs: per-x estimates, bands and the fit."""

    label: str
    x: np.ndarray
    estimate: np.ndarray
    low: np.ndarray
    high: np.ndarray
    slope: float = float("nan")
    intercept: float = float("nan")


@dataclass(frozen=True)
class CheckResult:
    """The outcome of one check on one arm.

    Attributes
    ----------
    status : {"consistent", "violated", "inconclusive"}
    figure_name : str
        What ``estimate`` is (``"exponent in K"``, ``"max metric / bound"``, ``"max |error|"``).
    estimate, low, high : float
        The fitted figure and its confidence interval (``nan`` where not applicable).
    threshold : float
        What the figure is compared with.
    detail : str
        The decision in words; for ``inconclusive``, what scale would decide.
    offending : tuple of str
        Keys of the runs that break the statement.
    series : tuple of Series
        Data for figures.
    n_runs : int
    p_value : float
        One-sided p-value of the decision taken (``consistent`` or
        ``violated``): the smallest level at which the data support it; 0 for
        an exact decision (identity, deterministic bound), ``nan`` when the
        status is ``inconclusive`` or the decision is not a test.  Used for
        Holm's correction across a paper's claims.
    x_label : str
        What the fitted figure's x axis is (rate checks: the parameter, with
        "(episodes)" when it is read along the runs' curves).
    """

    status: str
    figure_name: str
    estimate: float
    low: float
    high: float
    threshold: float
    detail: str
    offending: tuple[str, ...] = ()
    series: tuple[Series, ...] = ()
    n_runs: int = 0
    p_value: float = float("nan")
    x_label: str = ""

    def __post_init__(self):
        if self.status not in STATUSES:
            raise ValidationError(f"CheckResult.status = {self.status!r} (rule: one of {STATUSES})")


def check_rng(claim_id: str, arm: str, root_seed: int = 0) -> np.random.Generator:
    """The bootstrap generator of a claim's check: a function of claim id, arm and root seed only."""
    ss = np.random.SeedSequence(root_seed, spawn_key=(zlib.crc32(claim_id.encode()),
                                                      zlib.crc32(arm.encode()), 0xC4EC))
    return np.random.default_rng(ss)


def _group_key(config: Mapping, drop: str | None) -> str:
    return json.dumps({k: v for k, v in config.items() if k != drop}, sort_keys=True)


def _matrix(points: dict[int, dict[float, float]]) -> tuple[np.ndarray, np.ndarray]:
    """``{seed: {x: value}}`` -> sorted xs and ``Y (n_seeds, n_x)`` with NaN for missing."""
    xs = np.array(sorted({x for row in points.values() for x in row}), dtype=float)
    seeds = sorted(points)
    Y = np.full((len(seeds), len(xs)), np.nan)
    col = {x: j for j, x in enumerate(xs)}
    for i, sd in enumerate(seeds):
        for x, v in points[sd].items():
            Y[i, col[x]] = v
    return xs, Y


@dataclass(frozen=True)
class RateCheck:
    """Exponent of the metric in ``param`` against the bound's stated exponent.

    Parameters
    ----------
    param : str
        The parameter whose exponent is checked (a config key, or the episode
        count when ``x_from="step"``).
    x_from : {"config", "step"}
        ``"config"``: one point per config (the metric's final value);
        ``"step"``: points along each run's logged curve.
    exponent : float or "local", optional
        Stated exponent (default: the bound's exponent for ``param``).
        ``"local"``: the least-squares slope of ``log Bound.formula`` against
        ``log x`` over the swept range, i.e. the theorem's own dependence on
        ``param`` there, lower-order terms included (for statements like
        "no worse than the theorem's dependence on S").
    tolerance : float
        Extra slack added to the threshold, on top of the polylog allowance.
    level : float
        Two-sided confidence level of the slope interval; each one-sided
        decision has error rate ``(1 - level) / 2``.
    fit_min : float, optional
        Fit only points with ``x >= fit_min`` (the asymptotic range).
    estimator : {"mean", "median", "iqm"}
        How runs at one x are aggregated before taking logs.
    """

    param: str
    x_from: Literal["config", "step"] = "config"
    exponent: float | str | None = None
    tolerance: float = 0.0
    level: float = 0.90
    fit_min: float | None = None
    estimator: str = "mean"
    kind: str = field(default="rate", init=False)

    def validate(self, claim) -> None:
        if claim.bound is None:
            raise ValidationError(f"claim {claim.id}: a rate check needs a Bound (rule: Claim.bound)")
        if self.exponent is None:
            claim.bound.exponent(self.param)
        elif self.exponent == "local" and claim.bound.formula is None:
            raise ValidationError(f"claim {claim.id}: exponent='local' needs Bound.formula "
                                  "(rule: the local exponent is read off the theorem's formula)")
        elif isinstance(self.exponent, str) and self.exponent != "local":
            raise ValidationError(f"claim {claim.id}: exponent = {self.exponent!r} (rule: a number or 'local')")
        if not 0.5 < self.level < 1:
            raise ValidationError(f"claim {claim.id}: level = {self.level} (rule: in (0.5, 1))")

    @property
    def x_label(self) -> str:
        """The x axis of the fit: the parameter, "(episodes)" added when read along curves."""
        return f"{self.param} (episodes)" if self.x_from == "step" else self.param

    def stated_exponent(self, bound, xs=None, config=None) -> float:
        """The exponent the bound asserts (over ``xs`` at ``config`` when it is ``"local"``)."""
        if self.exponent == "local":
            if xs is None:
                return float("nan")
            u = np.log(np.asarray(xs, dtype=float))
            w = np.log(np.array([bound(**{**config, self.param: x}) for x in xs]))
            du, dw = u - math.fsum(u.tolist()) / u.size, w - math.fsum(w.tolist()) / w.size
            # least-squares slope, each sum correctly rounded (no LAPACK: the same bits on every CPU)
            return math.fsum((du * dw).tolist()) / math.fsum((du * du).tolist())
        return float(self.exponent if self.exponent is not None else bound.exponent(self.param))

    def groups(self, runs: Sequence[Run], metric: str
               ) -> dict[str, tuple[np.ndarray, np.ndarray, list[str], dict]]:
        """``{group: (xs, Y, keys, config)}``: the points of each group of runs and a config of it."""
        pts: dict[str, dict[int, dict[float, float]]] = {}
        keys: dict[str, list[str]] = {}
        cfgs: dict[str, dict] = {}
        for r in runs:
            drop = self.param if self.x_from == "config" else None
            g = _group_key(r.config, drop)
            row = pts.setdefault(g, {}).setdefault(r.seed, {})
            keys.setdefault(g, []).append(r.key)
            cfgs.setdefault(g, dict(r.config))
            if self.x_from == "config":
                if self.param not in r.config:
                    raise ValidationError(f"run {r.key}: config has no {self.param!r} "
                                          "(rule: a rate check's parameter must be swept)")
                row[float(r.config[self.param])] = r.final(metric)
            else:
                steps, values = r.metric(metric)
                for s, v in zip(steps, values):
                    if s >= 1:
                        row[float(s)] = float(v)
        out = {}
        for g, p in pts.items():
            xs, Y = _matrix(p)
            keep = xs >= (self.fit_min if self.fit_min is not None else -np.inf)
            out[g] = (xs[keep], Y[:, keep], keys[g], cfgs[g])
        return out

    def evaluate(self, runs: Sequence[Run], claim, rng: np.random.Generator) -> CheckResult:
        bound = claim.bound
        groups = self.groups(runs, claim.metric)
        m = max(len(groups), 1)
        level = 1.0 - (1.0 - self.level) / m          # Bonferroni across groups
        statuses, series, lines, offending = [], [], [], []
        pvals_violated, pvals_consistent = [], []
        worst = None
        b0 = self.stated_exponent(bound)
        varying = _varying_keys(groups)
        for g, (xs, Y, keys, cfg) in groups.items():
            label = _label(g, varying)
            b0 = self.stated_exponent(bound, xs, cfg)
            if len(xs) < 2:
                statuses.append("inconclusive")
                lines.append(f"{label}: fewer than 2 values of {self.param} to fit")
                continue
            est = _aggregate(Y, self.estimator)
            if np.any(~(est > 0)):
                statuses.append("inconclusive")
                bad = xs[~(est > 0)]
                lines.append(f"{label}: metric is <= 0 at {self.param} = {bad.tolist()}; "
                             "no exponent can be fitted (on a fixed instance the error may vanish "
                             "faster than any power; use an instance whose gap shrinks with the parameter)")
                continue
            alpha_side = (1.0 - level) / 2
            fit = stats.slope_ci(xs, Y, seed=rng, level=level, estimator=self.estimator,
                                 n_boot=max(4000, int(np.ceil(20 / alpha_side))))
            tol = self.tolerance
            if self.exponent != "local":   # a local exponent already includes the log factors
                tol += bound.log_tolerance(self.param, {**cfg, self.param: float(xs.min())})
            thr = b0 + tol if bound.direction == "upper" else b0 - tol
            eps = _EXACT_ATOL   # exact (noise-free) data give a point interval up to rounding
            if bound.direction == "upper":
                st = ("violated" if fit.low > thr + eps else
                      "consistent" if fit.high <= thr + eps else "inconclusive")
            else:
                st = ("violated" if fit.high < thr - eps else
                      "consistent" if fit.low >= thr - eps else "inconclusive")
            statuses.append(st)
            if st == "violated":
                offending.extend(keys)
                side = "above" if bound.direction == "upper" else "below"
                pvals_violated.append(fit.p_value(thr + (eps if side == "above" else -eps), side))
            elif st == "consistent":
                side = "below" if bound.direction == "upper" else "above"
                pvals_consistent.append(fit.p_value(thr + (eps if side == "below" else -eps), side))
            msg = (f"{label}: {st}, exponent {fit.slope:.3f} [{fit.low:.3f}, {fit.high:.3f}] "
                   f"vs {'<=' if bound.direction == 'upper' else '>='} {thr:.3f}")
            if st == "inconclusive":
                msg += "; " + _what_would_decide(fit, thr, Y.shape[0])
            lines.append(msg)
            bands = _per_x_bands(Y, rng)
            series.append(Series(label, xs, est, bands[0], bands[1], fit.slope, fit.intercept))
            score = (fit.low - thr) if bound.direction == "upper" else (thr - fit.high)
            if worst is None or score > worst[0]:
                worst = (score, fit, thr)
        status = _combine(statuses)
        if worst is None:
            return CheckResult(status, f"exponent in {self.param}", np.nan, np.nan, np.nan, b0,
                               "; ".join(lines), tuple(offending), tuple(series), len(runs),
                               x_label=self.x_label)
        _, fit, thr = worst
        if status == "violated":        # some group violated: Bonferroni over the groups
            p = min(1.0, min(pvals_violated) * m)
        elif status == "consistent":    # every group consistent: intersection-union test
            p = max(pvals_consistent)
        else:
            p = float("nan")
        return CheckResult(status, f"exponent in {self.param}", fit.slope, fit.low, fit.high, thr,
                           "; ".join(lines), tuple(offending), tuple(series), len(runs), p, self.x_label)


@dataclass(frozen=True)
class ExplicitCheck:
    """Every run against the theorem's explicit bound.

    Parameters
    ----------
    bound_value : callable, optional
        ``bound_value(config, step) -> float``; default: ``claim.bound(**config)``
        with ``param=step`` added when ``x_from="step"``.
    param : str, optional
        Name under which the step is passed to the bound when ``x_from="step"``.
    x_from : {"config", "step"}
        ``"step"`` checks every logged step (a "for all K" statement).
    delta : float, optional
        Failure probability per run (default: the bound's).
    alpha : float
        Level of the binomial test on the number of failing runs.
    """

    bound_value: Callable[[Mapping, int], float] | None = None
    param: str | None = None
    x_from: Literal["config", "step"] = "config"
    delta: float | None = None
    alpha: float = 0.05
    rtol: float = 1e-9
    kind: str = field(default="explicit", init=False)

    def validate(self, claim) -> None:
        if self.bound_value is None and (claim.bound is None or claim.bound.formula is None):
            raise ValidationError(f"claim {claim.id}: an explicit check needs bound_value or "
                                  "Bound.formula (rule: explicit constants)")
        if self.x_from == "step" and self.bound_value is None and not self.param:
            raise ValidationError(f"claim {claim.id}: x_from='step' needs param (rule: name of the step)")

    def _bound(self, claim, config: Mapping, step: int) -> float:
        if self.bound_value is not None:
            return float(self.bound_value(config, step))
        params = dict(config)
        if self.x_from == "step":
            params[self.param] = step
        return claim.bound(**params)

    def evaluate(self, runs: Sequence[Run], claim, rng: np.random.Generator) -> CheckResult:
        upper = claim.bound is None or claim.bound.direction == "upper"
        delta = self.delta if self.delta is not None else (
            claim.bound.failure_probability if claim.bound is not None else None) or 0.0
        offending, ratios = [], []
        for r in runs:
            steps, values = r.metric(claim.metric)
            if self.x_from == "config":
                steps, values = steps[-1:], values[-1:]
            fails = False
            for s, v in zip(steps, values):
                b = self._bound(claim, r.config, int(s))
                ratios.append(v / b if b != 0 else (np.inf if v > 0 else 0.0))
                tol = self.rtol * max(abs(b), 1.0)
                fails |= (v > b + tol) if upper else (v < b - tol)
            if fails:
                offending.append(r.key)
        n, k = len(runs), len(offending)
        fig = float(np.max(ratios)) if upper else float(np.min(ratios))
        name = "max metric / bound" if upper else "min metric / bound"
        if n == 0:
            return CheckResult("inconclusive", name, np.nan, np.nan, np.nan, 1.0, "no runs")
        p = float("nan")
        if delta == 0:
            status = "violated" if k else "consistent"
            p = 0.0
            detail = f"{k} of {n} runs break the bound (it holds deterministically)"
        else:
            t = stats.binomial_exceedance_test(k, n, delta, self.alpha)
            if t.reject:
                status = "violated"
                p = float(t.p_value)
            elif k == 0 or k <= delta * n:
                status = "consistent"
            else:
                status = "inconclusive"
            detail = (f"{k} of {n} runs break the bound; allowed failure probability {delta:g}, "
                      f"binomial p = {t.p_value:.3g} at level {self.alpha:g}")
            if status == "inconclusive":
                detail += f"; at least {t.min_runs} runs could decide"
        return CheckResult(status, name, fig, np.nan, np.nan, 1.0, detail, tuple(offending), (), n, p)


@dataclass(frozen=True)
class IdentityCheck:
    """An exact identity: ``|metric - target(config)| <= tol`` in every run and logged step.

    Parameters
    ----------
    target : float or callable
        The exact value, or ``target(config) -> float``.
    tol : float
        Absolute tolerance.
    """

    target: float | Callable[[Mapping], float] = 0.0
    tol: float = 1e-8
    kind: str = field(default="identity", init=False)

    def validate(self, claim) -> None:
        if not self.tol >= 0:
            raise ValidationError(f"claim {claim.id}: tol = {self.tol} (rule: >= 0)")

    def evaluate(self, runs: Sequence[Run], claim, rng: np.random.Generator) -> CheckResult:
        offending, errs = [], []
        for r in runs:
            _, values = r.metric(claim.metric)
            tgt = self.target(r.config) if callable(self.target) else self.target
            e = float(np.max(np.abs(values - tgt)))
            errs.append(e)
            if not e <= self.tol:
                offending.append(r.key)
        if not runs:
            return CheckResult("inconclusive", "max |error|", np.nan, np.nan, np.nan, self.tol, "no runs")
        status = "violated" if offending else "consistent"
        worst = float(np.max(errs))
        detail = f"max |error| {worst:.3g} over {len(runs)} runs, tolerance {self.tol:g}"
        return CheckResult(status, "max |error|", worst, np.nan, np.nan, self.tol, detail,
                           tuple(offending), (), len(runs), 0.0)


# --------------------------------------------------------------------------- helpers

def _aggregate(Y: np.ndarray, estimator: str) -> np.ndarray:
    if estimator == "mean":
        return np.nanmean(Y, axis=0)
    if estimator == "median":
        return np.nanmedian(Y, axis=0)
    if estimator == "iqm":
        return np.array([stats.iqm(c[~np.isnan(c)]) for c in Y.T])
    raise ValidationError(f"estimator = {estimator!r} (rule: 'mean', 'median' or 'iqm')")


def _per_x_bands(Y: np.ndarray, rng: np.random.Generator, level: float = 0.95, n_boot: int = 1000):
    """Percentile bootstrap band of the mean over seeds at every x (for figures)."""
    lo = np.empty(Y.shape[1])
    hi = np.empty(Y.shape[1])
    for j in range(Y.shape[1]):
        c = Y[:, j][~np.isnan(Y[:, j])]
        if len(c) < 2:
            lo[j] = hi[j] = c.mean() if len(c) else np.nan
            continue
        iv = stats.bootstrap_ci(c, np.mean, seed=rng, level=level, method="percentile", n_resamples=n_boot)
        lo[j], hi[j] = iv.low, iv.high
    return lo, hi


def _what_would_decide(fit, thr: float, n_seeds: int) -> str:
    half = (fit.high - fit.low) / 2
    dist = abs(fit.slope - thr)
    if dist < 1e-12:
        return ("the fitted exponent sits on the threshold; more seeds narrow the interval "
                "but only a wider parameter range (paper scale) can separate them")
    need = int(np.ceil(n_seeds * (half / dist) ** 2))
    return (f"interval half-width {half:.3f} vs distance {dist:.3f} to the threshold: "
            f"about {need} seeds (or a wider parameter range, e.g. --scale paper) would decide")


def _combine(statuses: Sequence[str]) -> str:
    if "violated" in statuses:
        return "violated"
    if statuses and all(s == "consistent" for s in statuses):
        return "consistent"
    return "inconclusive"


def _varying_keys(groups: Mapping[str, tuple]) -> set[str]:
    """Config keys whose values differ between groups (what tells groups apart)."""
    dicts = [json.loads(g) for g in groups]
    keys = set().union(*dicts) if dicts else set()
    return {k for k in keys if len({json.dumps(d.get(k), sort_keys=True) for d in dicts}) > 1}


def _label(group_key: str, varying: set[str]) -> str:
    d = json.loads(group_key)
    return ", ".join(f"{k}={d.get(k)}" for k in sorted(varying)) or "all runs"
