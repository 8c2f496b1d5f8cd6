r"""The exact expected suboptimality of an index rule on a two-armed offline bandit.

An independent reference for the Monte Carlo estimates of the bandit claims of
Rashidinejad, Zhu, Ma, Jiao & Russell, *Bridging Offline Reinforcement Learning
and Imitation Learning: A Tale of Pessimism* (NeurIPS 2021, arXiv 2103.12021,
§3), and a way to measure probabilities far below :math:`10^{-4}`.  The data
law is the one of :class:`rltheory.envs.offline_models.OfflineBandit`.
"""

from __future__ import annotations

from typing import Callable

import numpy as np

__all__ = ["two_arm_exact_risk"]


def two_arm_exact_risk(mu, reward_value, reward_prob, N: int, index: Callable) -> float:
    r"""Exact expected suboptimality of an index rule on a two-armed bandit, by enumeration.

    The rule picks :math:`\arg\max_a I(N(a), \Sigma(a))` (ties uniformly at
    random), where :math:`\Sigma(a) = v_a \cdot j_a` with
    :math:`j_a \sim \mathrm{Binomial}(N(a), q_a)` and
    :math:`N(1) \sim \mathrm{Binomial}(N, \mu(1))`.  Enumerates :math:`N(1)`
    and, for each, the reward counts of both arms (sorting one side), in
    :math:`O(N^2 \log N)`.

    Parameters
    ----------
    mu, reward_value, reward_prob : array (2,)
        Data distribution over the arms, reward values and probabilities (arm ``a`` pays
        :math:`v_a` with probability :math:`q_a`, else 0).
    N : int
        Dataset size.
    index : callable ``index(n: int, sums: ndarray (n + 1,)) -> ndarray (n + 1,)``
        Index of an arm with ``n`` samples and reward sums ``sums``;
        ``n = 0`` must be handled (e.g. ``-inf`` for "unseen below seen").

    Returns
    -------
    float
        :math:`\mathbb E[r(a^\star) - r(\hat a)]`.

    Examples
    --------
    The empirical best arm on two Bernoulli arms of means 0.5 and 0.4:

    >>> import numpy as np
    >>> greedy = lambda n, s: np.full(s.shape, -np.inf) if n == 0 else s / n
    >>> risk = two_arm_exact_risk([0.5, 0.5], [1.0, 1.0], [0.5, 0.4], 100, greedy)
    >>> 0.0 < risk < 0.1
    True
    """
    from scipy.stats import binom
    mu = np.asarray(mu, float)
    v = np.asarray(reward_value, float)
    q = np.asarray(reward_prob, float)
    means = v * q
    gap = means.max() - means
    pk = binom.pmf(np.arange(N + 1), N, mu[1])          # k = N(arm 1)
    risk = 0.0
    for k in range(N + 1):
        if pk[k] < 1e-300:
            continue
        n0, n1 = N - k, k
        j0 = np.arange(n0 + 1)
        j1 = np.arange(n1 + 1)
        p0 = binom.pmf(j0, n0, q[0]) if q[0] < 1 else (j0 == n0).astype(float)
        p1 = binom.pmf(j1, n1, q[1]) if q[1] < 1 else (j1 == n1).astype(float)
        i0 = np.asarray(index(n0, v[0] * j0), float) * np.ones(n0 + 1)
        i1 = np.asarray(index(n1, v[1] * j1), float) * np.ones(n1 + 1)
        order = np.argsort(i0, kind="stable")
        s0, c0 = i0[order], np.concatenate([[0.0], np.cumsum(p0[order])])
        lo = np.searchsorted(s0, i1, side="left")     # P(I0 < I1)
        hi = np.searchsorted(s0, i1, side="right")    # P(I0 <= I1)
        p_pick1 = np.sum(p1 * (c0[lo] + 0.5 * (c0[hi] - c0[lo])))
        risk += pk[k] * (p_pick1 * gap[1] + (1.0 - p_pick1) * gap[0])
    return float(risk)
