r"""Input checks, the LCB index and random tie-breaking shared by the learners of :mod:`rltheory.algorithms.lcb`.

Ties in every argmax are broken uniformly at random by the caller's generator:
:func:`argmax_random` for the vectorised learners, :func:`argmax_ties` inside
Numba kernels.
"""

from __future__ import annotations

from collections import namedtuple

import numpy as np
from numba import njit

from ..._errors import ValidationError

__all__ = ["UNSEEN", "OfflineCounts", "check_delta", "check_unseen", "check_stats", "layered_stats",
           "argmax_random", "lcb_index", "argmax_ties"]

#: Conventions for actions never seen in the data (see :mod:`rltheory.algorithms.lcb`).
UNSEEN = ("below_seen", "paper")

#: Sufficient statistics of ``n`` datasets as one structure for the Numba kernels:
#: ``counts`` int64 ``(n, [F,] S, A)``, ``reward_sum`` float64 of the same shape and
#: ``next_counts`` int64 ``(n, [F,] S, A, S)``.
OfflineCounts = namedtuple("OfflineCounts", ["counts", "reward_sum", "next_counts"])


def check_delta(delta) -> float:
    """``delta`` as a float in (0, 1)."""
    delta = float(delta)
    if not 0 < delta < 1:
        raise ValidationError(f"delta = {delta} (rule: 0 < delta < 1)")
    return delta


def check_unseen(unseen: str) -> str:
    """``unseen`` if it is one of :data:`UNSEEN`."""
    if unseen not in UNSEEN:
        raise ValidationError(f"unseen = {unseen!r} (rule: one of {UNSEEN})")
    return unseen


def check_stats(counts, reward_sum, ndim_min: int = 2):
    """Validate counts (integers >= 0, at least ``ndim_min`` axes) and reward sums in ``[0, counts]``.

    Returns ``(counts as int64, reward_sum as float64 or None)``.
    """
    counts = np.asarray(counts)
    if counts.dtype.kind not in "iu":
        raise ValidationError(f"counts has dtype {counts.dtype} (rule: integer counts)")
    if counts.ndim < ndim_min:
        raise ValidationError(f"counts has shape {counts.shape} (rule: at least {ndim_min} dimensions)")
    if np.any(counts < 0):
        raise ValidationError("counts has a negative entry (rule: counts are >= 0)")
    if reward_sum is not None:
        reward_sum = np.asarray(reward_sum, dtype=np.float64)
        if reward_sum.shape != counts.shape:
            raise ValidationError(f"reward_sum has shape {reward_sum.shape}, counts {counts.shape} "
                                  "(rule: same shape)")
        if np.any(reward_sum < -1e-12) or np.any(reward_sum > counts + 1e-9):
            raise ValidationError("reward_sum outside [0, counts] (rule: rewards lie in [0, 1])")
    return counts.astype(np.int64), reward_sum


def layered_stats(counts, reward_sum, next_counts, layer):
    """Validate the one-fold statistics of layered data and the layer map.

    Parameters
    ----------
    counts, reward_sum : arrays (n, S, A) or (n, 1, S, A)
    next_counts : int array (n, S, A, S) or (n, 1, S, A, S)
    layer : int array (S,)

    Returns
    -------
    tuple
        ``(OfflineCounts with axes (n, S, A) and (n, S, A, S), layer as int64, H)``.
    """
    counts = np.asarray(counts)
    reward_sum = np.asarray(reward_sum, dtype=np.float64)
    nxt = np.asarray(next_counts)
    if counts.ndim == 4:
        counts, reward_sum, nxt = counts[:, 0], reward_sum[:, 0], nxt[:, 0]
    counts, reward_sum = check_stats(counts, reward_sum, 3)
    n, S, A = counts.shape
    if nxt.shape != (n, S, A, S) or nxt.dtype.kind not in "iu":
        raise ValidationError(f"next_counts has dtype {nxt.dtype} and shape {nxt.shape} "
                              f"(rule: integer ({n}, {S}, {A}, {S}))")
    layer = np.asarray(layer, dtype=np.int64)
    if layer.shape != (S,) or layer.min() < 0:
        raise ValidationError(f"layer has shape {layer.shape} (rule: ({S},) with entries >= 0)")
    return OfflineCounts(counts, reward_sum, nxt.astype(np.int64, copy=False)), layer, int(layer.max()) + 1


def argmax_random(index: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Argmax over the last axis of ``index (..., A)`` with ties broken uniformly at random -> ``(...)``.

    Draws ``index.size`` uniforms from ``rng`` whatever the ties.
    """
    mx = index.max(axis=-1, keepdims=True)
    keys = rng.random(index.shape)
    keys[index != mx] = -1.0
    return np.argmax(keys, axis=-1)


def lcb_index(counts, reward_sum, pen: float, unseen: str) -> np.ndarray:
    r"""The LCB index :math:`\hat r - \mathrm{pen}/\sqrt{N}` of every pair, shape of ``counts``.

    Unseen pairs get :math:`-1` (``unseen="paper"``: :math:`\hat r = 0`, penalty 1 for the
    bandit algorithms) or :math:`-\infty` (``"below_seen"``).
    """
    seen = counts > 0
    n = np.maximum(counts, 1)
    idx = reward_sum / n - pen / np.sqrt(n)
    if unseen == "paper":
        return np.where(seen, idx, -1.0)
    return np.where(seen, idx, -np.inf)


@njit(cache=True)
def argmax_ties(q, lo, hi, rng):
    """Index in ``[lo, hi)`` of the maximum of ``q (A,)``, ties uniformly at random (reservoir sampling)."""
    best = -np.inf
    arg = lo
    cnt = 0
    for a in range(lo, hi):
        v = q[a]
        if v > best:
            best = v
            arg = a
            cnt = 1
        elif v == best:
            cnt += 1
            if rng.random() * cnt < 1.0:
                arg = a
    return arg
