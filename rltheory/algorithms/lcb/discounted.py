r"""Discounted MDPs from offline data: VI-LCB (Algorithm 3).

Rashidinejad, Zhu, Ma, Jiao & Russell, *Bridging Offline Reinforcement
Learning and Imitation Learning: A Tale of Pessimism*, NeurIPS 2021, arXiv
2103.12021, §5.1, eq. 19: data split into :math:`T+1` folds,
:math:`T = \lceil \log N / (1-\gamma) \rceil`, behaviour-cloning
initialisation :math:`\pi_0(s) = \arg\max_a m_0(s,a)`, pessimistic update
:math:`Q_t = \hat r_t - b_t + \gamma \hat P_t V_{t-1}`,
:math:`b_t = V_{\max}\sqrt{2000 \log(2(T+1)S|\mathcal A|/\delta)/(m_t \vee 1)}`,
and the monotone step (keep :math:`V_{t-1}, \pi_{t-1}` unless the new value is
larger).  ``split=False`` is the no-splitting ablation (every iteration and the
initialisation use the whole dataset).

An action never seen in a state has the paper's value: :math:`\hat r = 0`,
:math:`\hat P` uniform (the paper's "random" vector; a fixed convention here)
and the penalty at :math:`m \vee 1 = 1`.
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit

from ..._errors import ValidationError
from ..._random import as_generator
from ._common import OfflineCounts, argmax_ties, check_delta, check_stats, check_unseen
from .penalty import penalty_c

__all__ = ["vi_lcb", "vi_lcb_iterations"]


@njit(cache=True)
def _vi_lcb_kernel(data, gamma, pen, paper_unseen, split, T, rng, pi_out):
    """VI-LCB on every dataset of ``data`` (:class:`OfflineCounts`, axes ``(n, F, S, A[, S])``).

    Writes :math:`\\pi_T` into ``pi_out (n, S)``; fold ``t`` (``0`` when not ``split``) drives
    iteration ``t``.
    """
    counts, sums, nxt = data.counts, data.reward_sum, data.next_counts
    n, F, S, A = counts.shape
    V = np.zeros(S)
    Q = np.empty((S, A))
    key = np.empty(A)
    Vmid = np.empty(S)
    amid = np.zeros(S, dtype=np.int64)
    for i in range(n):
        # behaviour-cloning initialisation pi_0(s) = argmax_a m_0(s, a)
        for s in range(S):
            for a in range(A):
                key[a] = counts[i, 0, s, a]
            pi_out[i, s] = argmax_ties(key, 0, A, rng)
            V[s] = 0.0
        for t in range(1, T + 1):
            f = t if split else 0
            vbar = 0.0
            for s in range(S):
                vbar += V[s]
            vbar /= S
            for s in range(S):
                any_seen = False
                for a in range(A):
                    m = counts[i, f, s, a]
                    if m >= 1:
                        any_seen = True
                        pv = 0.0
                        for s2 in range(S):
                            pv += nxt[i, f, s, a, s2] * V[s2]
                        Q[s, a] = sums[i, f, s, a] / m - pen / math.sqrt(m) + gamma * pv / m
                    else:
                        # r = 0, P uniform, penalty at m v 1 = 1
                        Q[s, a] = -pen + gamma * vbar
                if paper_unseen or not any_seen:
                    for a in range(A):
                        key[a] = Q[s, a]
                else:
                    for a in range(A):
                        key[a] = Q[s, a] if counts[i, f, s, a] >= 1 else -np.inf
                a_best = argmax_ties(key, 0, A, rng)
                amid[s] = a_best
                Vmid[s] = Q[s, a_best]
            for s in range(S):          # monotone update
                if Vmid[s] > V[s]:
                    V[s] = Vmid[s]
                    pi_out[i, s] = amid[s]


def vi_lcb_iterations(N: int, gamma: float) -> int:
    r""":math:`T = \lceil \log N / (1-\gamma) \rceil` (at least 1), the iteration count of Algorithm 3.

    Examples
    --------
    >>> vi_lcb_iterations(1000, 0.5)
    14
    """
    return max(1, int(math.ceil(math.log(N) / (1.0 - gamma))))


def vi_lcb(counts, reward_sum, next_counts, gamma: float, *, seed, delta: float, c="literal",
           unseen: str = "below_seen", split: bool = True) -> np.ndarray:
    r"""Algorithm 3 (VI-LCB, discounted) on many datasets.

    Parameters
    ----------
    counts : int array (n, F, S, A)
        Fold counts :math:`m_t(s,a)`.  With ``split=True`` there must be
        :math:`F = T + 1` folds, fold 0 initialising :math:`\pi_0`; draw them
        with :func:`rltheory.envs.offline_sampling.sample_discounted` and
        ``folds = vi_lcb_iterations(N, gamma) + 1``.  With ``split=False``
        (ablation) ``F = 1`` and every step uses the whole dataset for
        :math:`T = \lceil \log N/(1-\gamma)\rceil` iterations, ``N`` the total count.
    reward_sum : float array (n, F, S, A)
    next_counts : int array (n, F, S, A, S)
    gamma : float in [0, 1)
    seed : int, numpy.random.SeedSequence or numpy.random.Generator
        Breaks ties (in the behaviour-cloning initialisation and every greedy step).
    delta : float in (0, 1)
        Theorem 6 uses :math:`\delta = 1/N`.
    c : float or "literal"
        Penalty :math:`b_t = c\, V_{\max}\sqrt{\log(2(T+1)S|\mathcal A|/\delta)/(m_t\vee 1)}`;
        ``"literal"`` is :math:`\sqrt{2000}` (eq. 19 of arXiv 2103.12021), vacuous (larger than
        :math:`V_{\max}`) unless :math:`m_t(s,a) \gtrsim 3\cdot 10^4`: VI-LCB then returns its
        behaviour-cloning initialisation.
    unseen : {"below_seen", "paper"}
        ``"below_seen"``: an unseen action is chosen only when no action of the state was seen;
        ``"paper"``: unseen actions compete in the argmax with the paper's value.
    split : bool

    Returns
    -------
    int array (n, S)
        :math:`\pi_T` of every dataset.
    """
    counts, reward_sum = check_stats(counts, reward_sum, 4)
    nxt = np.asarray(next_counts)
    n, F, S, A = counts.shape
    if nxt.shape != (n, F, S, A, S) or nxt.dtype.kind not in "iu":
        raise ValidationError(f"next_counts has shape {nxt.shape} (rule: integer ({n}, {F}, {S}, {A}, {S}))")
    if np.any(nxt.sum(axis=-1) != counts):
        raise ValidationError("next_counts do not sum to counts (rule: one next state per sample)")
    gamma = float(gamma)
    if not 0 <= gamma < 1:
        raise ValidationError(f"gamma = {gamma} (rule: 0 <= gamma < 1)")
    check_unseen(unseen)
    if split:
        T = F - 1
        if T < 1:
            raise ValidationError("split=True needs F = T + 1 >= 2 folds")
    else:
        if F != 1:
            raise ValidationError(f"split=False needs F = 1 fold, got {F}")
        N_total = int(counts[0].sum())
        T = vi_lcb_iterations(max(N_total, 2), gamma)
    V_max = 1.0 / (1.0 - gamma)
    pen = penalty_c(c, "vi_lcb") * V_max * math.sqrt(math.log(2 * (T + 1) * S * A / check_delta(delta)))
    rng = as_generator(seed)
    pi = np.zeros((n, S), dtype=np.int64)
    _vi_lcb_kernel(OfflineCounts(counts, reward_sum, nxt.astype(np.int64)), gamma, pen, unseen == "paper",
                   bool(split), T, rng, pi)
    return pi
