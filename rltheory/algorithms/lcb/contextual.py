r"""Contextual bandits from offline data: LCB per context (Algorithm 2).

Rashidinejad, Zhu, Ma, Jiao & Russell, *Bridging Offline Reinforcement
Learning and Imitation Learning: A Tale of Pessimism*, NeurIPS 2021, arXiv
2103.12021, §4.1.  Works on the sufficient statistics of many datasets at once
(:func:`rltheory.envs.offline_sampling.sample_contextual_bandit`); the baselines
:func:`~rltheory.algorithms.lcb.empirical_best` and
:func:`~rltheory.algorithms.lcb.most_played` accept the same ``(n, S, A)`` arrays.
"""

from __future__ import annotations

import math

import numpy as np

from ..._random import as_generator
from ._common import argmax_random, check_delta, check_stats, check_unseen, lcb_index
from .penalty import penalty_c

__all__ = ["lcb_contextual"]


def lcb_contextual(counts, reward_sum, *, seed, delta: float, c="literal",
                   unseen: str = "below_seen") -> np.ndarray:
    r"""Algorithm 2 (LCB for contextual bandits) on many datasets.

    .. math::
        \hat\pi(s) = \arg\max_a \hat r(s,a) - b(s,a), \qquad
        b(s,a) = c\sqrt{\log(2 S |\mathcal A| / \delta) / N(s,a)},

    ``c = "literal"`` :math:`= \sqrt{2000}` (Algorithm 2, §4.1 of arXiv
    2103.12021; Theorem 4 takes :math:`\delta = 1/N`).  With the literal
    constant the penalty exceeds the reward range unless
    :math:`N(s,a) \gtrsim 3\cdot 10^4` (see :mod:`rltheory.algorithms.lcb.penalty`).

    Parameters
    ----------
    counts : int array (n, S, A)
    reward_sum : float array (n, S, A)
    seed : int, numpy.random.SeedSequence or numpy.random.Generator
        Breaks ties.
    delta : float in (0, 1)
    c : float >= 0 or "literal"
    unseen : {"below_seen", "paper"}
        ``"paper"``: an unseen action has :math:`\hat r = 0`, :math:`b = 1` and competes in the argmax.

    Returns
    -------
    int array (n, S)
    """
    counts, reward_sum = check_stats(counts, reward_sum, 3)
    check_unseen(unseen)
    S, A = counts.shape[-2:]
    pen = penalty_c(c, "cb") * math.sqrt(math.log(2 * S * A / check_delta(delta)))
    return argmax_random(lcb_index(counts, reward_sum, pen, unseen), as_generator(seed))
