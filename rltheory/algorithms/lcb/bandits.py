r"""Multi-armed bandits from offline data: LCB (Algorithm 1), the empirical best arm and the most played arm.

Rashidinejad, Zhu, Ma, Jiao & Russell, *Bridging Offline Reinforcement
Learning and Imitation Learning: A Tale of Pessimism*, NeurIPS 2021, arXiv
2103.12021, §3.  Every learner works on the sufficient statistics of many
datasets at once (:func:`rltheory.envs.offline_sampling.sample_bandit`): counts
:math:`N(a)` and reward sums, shape ``(n, A)`` (or ``(n, S, A)``, one decision per
context, for the baselines).  Ties are broken uniformly at random by the
generator of ``seed``.
"""

from __future__ import annotations

import math

import numpy as np

from ..._errors import ValidationError
from ..._random import as_generator
from ._common import argmax_random, check_delta, check_stats, check_unseen, lcb_index
from .penalty import penalty_c

__all__ = ["lcb_bandit", "empirical_best", "most_played"]


def lcb_bandit(counts, reward_sum, *, seed, delta: float | None = None, c="literal", L: float | None = None,
               unseen: str = "below_seen") -> np.ndarray:
    r"""Algorithm 1 (LCB for multi-armed bandits) on many datasets.

    .. math::
        \hat a = \arg\max_a \hat r(a) - b(a), \qquad
        b(a) = c \sqrt{\log(2|\mathcal A|/\delta) / N(a)}

    with ``c = "literal"`` :math:`= 1/\sqrt 2` (Algorithm 1 of arXiv
    2103.12021; Theorem 1 takes :math:`\delta = 1/N`), or, when ``L`` is
    given, the Theorem-3 form :math:`b(a) = \sqrt{L / N(a)}`
    (:math:`L = \log(2|\mathcal A|/\delta)/2` recovers Algorithm 1;
    :math:`L\to\infty` is the most-played arm, :math:`L \to 0` the empirical
    best arm).

    Parameters
    ----------
    counts : int array (n, A)
    reward_sum : float array (n, A)
    seed : int, numpy.random.SeedSequence or numpy.random.Generator
        Breaks ties (a Generator is used as is and advanced).
    delta : float in (0, 1)
        Needed unless ``L`` is given.
    c : float >= 0 or "literal"
    L : float >= 0, optional
    unseen : {"below_seen", "paper"}
        ``"below_seen"``: an unseen arm ranks below every seen one;
        ``"paper"``: :math:`\hat r = 0`, :math:`b = 1` (Algorithm 1's convention).

    Returns
    -------
    int array (n,)
        The chosen arm of every dataset.

    Examples
    --------
    >>> lcb_bandit([[90, 10]], [[45.0, 6.0]], seed=0, delta=0.1).tolist()
    [0]
    >>> lcb_bandit([[90, 10]], [[45.0, 6.0]], seed=0, L=0.0).tolist()     # the empirical best arm
    [1]
    """
    counts, reward_sum = check_stats(counts, reward_sum)
    check_unseen(unseen)
    A = counts.shape[-1]
    if L is not None:
        if not float(L) >= 0:
            raise ValidationError(f"L = {L} (rule: L >= 0)")
        pen = math.sqrt(float(L))
    else:
        if delta is None:
            raise ValidationError("lcb_bandit needs delta or L (rule: give one)")
        pen = penalty_c(c, "mab") * math.sqrt(math.log(2 * A / check_delta(delta)))
    return argmax_random(lcb_index(counts, reward_sum, pen, unseen), as_generator(seed))


def empirical_best(counts, reward_sum, *, seed) -> np.ndarray:
    r"""Greedy baseline :math:`\arg\max_a \hat r(a)` per dataset (and per context).

    Unseen actions rank below seen ones; Proposition 1 of arXiv 2103.12021
    shows it fails (constant error) on an instance with a rarely sampled,
    high-variance arm.

    Parameters
    ----------
    counts : int array (..., A)
    reward_sum : float array (..., A)
    seed : int, numpy.random.SeedSequence or numpy.random.Generator
        Breaks ties.

    Returns
    -------
    int array (...)
    """
    counts, reward_sum = check_stats(counts, reward_sum, 1)
    return argmax_random(lcb_index(counts, reward_sum, 0.0, "below_seen"), as_generator(seed))


def most_played(counts, *, seed) -> np.ndarray:
    r"""Behaviour cloning: :math:`\arg\max_a N(a)` (per context), ties at random.

    Imitation-learning baseline of Propositions 2 and 3 of arXiv 2103.12021: ``counts (..., A)``
    -> the most played action ``(...)``, ties broken by the generator of ``seed`` (an int, a
    :class:`numpy.random.SeedSequence` or a :class:`numpy.random.Generator`).
    """
    counts, _ = check_stats(counts, None, 1)
    return argmax_random(counts.astype(np.float64), as_generator(seed))
