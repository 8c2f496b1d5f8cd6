r"""Pairwise comparison of two algorithms: probability of improvement (rliable's definition).

.. math::
    P(X > Y) = \frac{1}{M}\sum_{m=1}^{M} \frac{1}{N_x N_y}
    \sum_{i=1}^{N_x}\sum_{j=1}^{N_y}\Big(\mathbb 1[x_{im} > y_{jm}]
    + \tfrac12\,\mathbb 1[x_{im} = y_{jm}]\Big),

the average over tasks of the Mann–Whitney :math:`U` statistic of task
:math:`m` divided by :math:`N_x N_y` (Agarwal et al. 2021, arXiv:2108.13264,
Sect. 4; Mann & Whitney 1947, *Ann. Math. Statist.* 18).  Ties count one half,
so identical samples give exactly 0.5.
"""

from __future__ import annotations

import numpy as np
from scipy import stats as _sps

from .._errors import ValidationError
from .._random import as_generator
from .._validation import as_float_array, check_int
from ._common import check_level, check_method
from .bootstrap import _CHUNK_VALUES, Interval, _interval_from_replicates


def _as_scores(a, name: str) -> np.ndarray:
    arr = as_float_array(a, name, ndim=(1, 2))
    if arr.ndim == 1:
        arr = arr[:, None]
    if arr.shape[0] < 1 or arr.shape[1] < 1:
        raise ValidationError(f"{name} has shape {arr.shape} (rule: at least one run and one task)")
    return arr


def _poi(X: np.ndarray, Y: np.ndarray) -> np.ndarray:
    """P(X > Y) over the last two axes ``(runs, tasks)``; leading axes are batch axes."""
    nx, ny = X.shape[-2], Y.shape[-2]
    pooled = np.concatenate([X, Y], axis=-2)
    ranks = _sps.rankdata(pooled, axis=-2)  # mid-ranks: ties share the average rank
    u = ranks[..., :nx, :].sum(axis=-2) - nx * (nx + 1) / 2.0
    return (u / (nx * ny)).mean(axis=-1)


def probability_of_improvement(X, Y) -> float:
    r"""Probability that a run of algorithm X scores higher than a run of Y, averaged over tasks.

    Parameters
    ----------
    X : array_like, shape (N_x, M) or (N_x,)
        Scores of algorithm X: runs × tasks (1-D: one task).
    Y : array_like, shape (N_y, M) or (N_y,)
        Scores of algorithm Y on the same tasks.

    Returns
    -------
    float
        In [0, 1]; 0.5 when the two samples are identical.
    """
    Xa, Ya = _as_scores(X, "X"), _as_scores(Y, "Y")
    if Xa.shape[1] != Ya.shape[1]:
        raise ValidationError(f"X has {Xa.shape[1]} tasks and Y has {Ya.shape[1]} "
                              "(rule: X and Y must be scored on the same tasks)")
    return float(_poi(Xa, Ya))


def probability_of_improvement_ci(X, Y, *, seed, level: float = 0.95,
                                  method: str = "percentile", n_resamples: int = 4000) -> Interval:
    r"""Probability of improvement with a stratified independent bootstrap interval.

    Each replicate resamples the runs of X and, independently, the runs of Y,
    within every task (rliable's ``StratifiedIndependentBootstrap``), all drawn
    from ``rng``.  ``method`` as in :func:`rltheory.stats.bootstrap_ci`
    (``"bca"`` and ``"expanded_bca"`` are not offered here: their jackknife
    is not defined for two independent samples in rliable's convention).
    """
    rng = as_generator(seed)
    level = check_level(level)
    method = check_method(method, ("percentile", "basic", "expanded"))
    B = check_int(n_resamples, "n_resamples", minimum=2)
    Xa, Ya = _as_scores(X, "X"), _as_scores(Y, "Y")
    if Xa.shape[1] != Ya.shape[1]:
        raise ValidationError(f"X has {Xa.shape[1]} tasks and Y has {Ya.shape[1]} "
                              "(rule: X and Y must be scored on the same tasks)")
    (nx, M), ny = Xa.shape, Ya.shape[0]
    if nx < 2 or ny < 2:
        raise ValidationError(f"X has {nx} runs and Y has {ny} (rule: at least 2 runs each)")
    est = float(_poi(Xa, Ya))
    ix = rng.integers(0, nx, size=(B, nx, M))
    iy = rng.integers(0, ny, size=(B, ny, M))
    cols = np.arange(M)
    reps = np.empty(B)
    step = max(1, _CHUNK_VALUES // ((nx + ny) * M))
    for s in range(0, B, step):
        reps[s:s + step] = _poi(Xa[ix[s:s + step], cols], Ya[iy[s:s + step], cols])
    lo, hi = _interval_from_replicates(np.array([est]), reps[:, None], level, method, min(nx, ny))
    return Interval(est, float(lo[0]), float(hi[0]), level, method)


__all__ = ["probability_of_improvement", "probability_of_improvement_ci"]
