r"""Episodic layered MDPs from offline data: Algorithm 4 (value iteration with LCB) and its optimistic twin.

Rashidinejad, Zhu, Ma, Jiao & Russell, *Bridging Offline Reinforcement
Learning and Imitation Learning: A Tale of Pessimism*, NeurIPS 2021, arXiv
2103.12021, App. D.2: backward induction on a layered MDP with
:math:`b(s,a) = H\sqrt{2000 \log(2S|\mathcal A|/\delta)/N(s,a)}` (no data
splitting, no clipping of ``Q``).  The data are the one-fold statistics of
:func:`rltheory.envs.offline_sampling.sample_layered` over the union of layers.

An action never seen in a state has the paper's value: :math:`\hat r = 0`,
:math:`\hat P` uniform over the next layer and the penalty at :math:`n = 1`.
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit

from ..._random import as_generator
from ._common import argmax_random, argmax_ties, check_delta, check_unseen, layered_stats
from .penalty import penalty_c

__all__ = ["vi_lcb_episodic", "optimistic_vi_episodic"]


@njit(cache=True)
def _episodic_kernel(data, layer, H, pen, paper_unseen, rng, pi_out):
    """Algorithm 4 on every dataset of ``data`` (:class:`OfflineCounts`, axes ``(n, S, A[, S])``).

    ``layer (S,)`` maps states to ``0..H-1``; writes the greedy policy into ``pi_out (n, S)``.
    """
    counts, sums, nxt = data.counts, data.reward_sum, data.next_counts
    n, S, A = counts.shape
    V = np.zeros(S)
    Q = np.empty(A)
    key = np.empty(A)
    size = np.zeros(H + 1)
    for s in range(S):
        size[layer[s]] += 1.0
    for i in range(n):
        for s in range(S):
            V[s] = 0.0
        for h in range(H - 1, -1, -1):
            vbar = 0.0                      # mean of V over layer h+1 (uniform P-hat)
            if h + 1 < H:
                for s in range(S):
                    if layer[s] == h + 1:
                        vbar += V[s]
                vbar /= size[h + 1]
            for s in range(S):
                if layer[s] != h:
                    continue
                any_seen = False
                for a in range(A):
                    m = counts[i, s, a]
                    if m >= 1:
                        any_seen = True
                        pv = 0.0
                        for s2 in range(S):
                            pv += nxt[i, s, a, s2] * V[s2]
                        Q[a] = sums[i, s, a] / m - pen / math.sqrt(m) + pv / m
                    else:
                        Q[a] = -pen + vbar
                for a in range(A):
                    key[a] = Q[a] if (paper_unseen or not any_seen or counts[i, s, a] >= 1) else -np.inf
                a_best = argmax_ties(key, 0, A, rng)
                pi_out[i, s] = a_best
                V[s] = Q[a_best]


def vi_lcb_episodic(counts, reward_sum, next_counts, layer, *, seed, delta: float, c="literal",
                    unseen: str = "below_seen") -> np.ndarray:
    r"""Algorithm 4 (episodic value iteration with LCB, App. D.2 of arXiv 2103.12021).

    For :math:`h = H, \dots, 1` and :math:`s \in \mathcal S_h`:

    .. math::
        Q_h(s,a) = \hat r(s,a) - b(s,a) + \hat P(\cdot|s,a)^\top V_{h+1},\quad
        b(s,a) = c\,H\sqrt{\log(2S|\mathcal A|/\delta)/N(s,a)},\quad
        V_h(s) = \max_a Q_h(s,a),

    ``c="literal"`` :math:`=\sqrt{2000}`; an instance of PEVI (Jin et al.
    2021) without clipping.  The paper's listing starts at ``h = H-1`` (a
    typo; the loop starts at ``H``).

    Parameters
    ----------
    counts, reward_sum : arrays (n, S, A) or (n, 1, S, A)
        Over the union of layers (``S`` = total number of states).
    next_counts : int array (n, S, A, S) or (n, 1, S, A, S)
    layer : int array (S,)
        Layer of every state, ``0..H-1``.
    seed : int, numpy.random.SeedSequence or numpy.random.Generator
        Breaks ties.
    delta : float in (0, 1)
    c : float >= 0 or "literal"
        The literal :math:`\sqrt{2000}` makes the penalty exceed the return range :math:`H` unless
        :math:`N(s,a) \gtrsim 3\cdot 10^4`: the learner is then count-driven.
    unseen : {"below_seen", "paper"}

    Returns
    -------
    int array (n, S)
    """
    data, layer, H = layered_stats(counts, reward_sum, next_counts, layer)
    check_unseen(unseen)
    S, A = data.counts.shape[1:]
    pen = penalty_c(c, "episodic") * H * math.sqrt(math.log(2 * S * A / check_delta(delta)))
    rng = as_generator(seed)
    pi = np.zeros((data.counts.shape[0], S), dtype=np.int64)
    _episodic_kernel(data, layer, H, pen, unseen == "paper", rng, pi)
    return pi


def optimistic_vi_episodic(counts, reward_sum, next_counts, layer, *, seed, delta: float, c) -> np.ndarray:
    r"""The optimistic counterpart of Algorithm 4: a negative control for pessimism.

    Backward induction on the layered data with the penalty's sign flipped and
    unseen actions ranked above every seen one (optimism in the face of
    uncertainty, as online learners do, R-max style):

    .. math::
        Q_h(s,a) = \min\big(H - h,\; \hat r(s,a) + b(s,a) + \hat P(\cdot|s,a)^\top V_{h+1}\big)
        \ \text{if } N(s,a) \ge 1, \qquad Q_h(s,a) = H - h \ \text{otherwise},

    :math:`b(s,a) = c\,H\sqrt{\log(2S|\mathcal A|/\delta)/N(s,a)}` (Algorithm 4's penalty of
    arXiv 2103.12021, App. D.2, with a plus sign); :math:`\hat\pi(s)` is an unseen action whenever
    :math:`s` has one (ties uniformly at random), else :math:`\arg\max_a Q_h(s,a)`; layers are
    numbered ``0..H-1`` so :math:`H - h` is the largest return from layer ``h``.  On expert data only
    the expert's action is seen, so this learner leaves the expert's path wherever it can.

    Parameters
    ----------
    counts, reward_sum, next_counts, layer
        As :func:`vi_lcb_episodic` (one fold).
    seed : int, numpy.random.SeedSequence or numpy.random.Generator
        Breaks ties (one uniform per state-action pair and dataset, layer by layer).
    delta : float in (0, 1)
    c : float >= 0 or "literal"

    Returns
    -------
    int array (n, S)
    """
    data, layer, H = layered_stats(counts, reward_sum, next_counts, layer)
    delta = check_delta(delta)
    rng = as_generator(seed)
    counts, sums, nxt = data.counts, data.reward_sum, data.next_counts.astype(np.float64)
    n, S, A = counts.shape
    bonus = penalty_c(c, "episodic") * H * math.sqrt(math.log(2 * S * A / delta))
    V = np.zeros((n, S))
    pi = np.zeros((n, S), dtype=np.int64)
    for h in range(H - 1, -1, -1):
        idx = np.flatnonzero(layer == h)
        m = counts[:, idx]
        seen = m > 0
        mm = np.maximum(m, 1)
        Q = sums[:, idx] / mm + bonus / np.sqrt(mm) + np.einsum("nkat,nt->nka", nxt[:, idx], V) / mm
        Q = np.where(seen, np.minimum(Q, H - h), float(H - h))
        a = argmax_random(np.where(seen, Q, np.inf), rng)
        pi[:, idx] = a
        V[:, idx] = np.take_along_axis(Q, a[..., None], axis=-1)[..., 0]
    return pi
