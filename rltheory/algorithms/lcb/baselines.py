r"""Learners the pessimistic algorithms of arXiv 2103.12021 are compared with on MDP data.

Rashidinejad, Zhu, Ma, Jiao & Russell, *Bridging Offline Reinforcement
Learning and Imitation Learning: A Tale of Pessimism*, NeurIPS 2021.

* :func:`bc_policy` -- behaviour cloning (imitation learning), the most played
  action of every state over all folds;
* :func:`uniform_policy` -- the null learner, a uniformly random deterministic
  policy that ignores the data.

The bandit baselines (empirical best arm, most played arm) are in
:mod:`rltheory.algorithms.lcb.bandits`.
"""

from __future__ import annotations

import numpy as np

from ..._errors import ValidationError
from ..._random import as_generator
from ._common import check_stats
from .bandits import most_played

__all__ = ["bc_policy", "uniform_policy"]


def bc_policy(counts, *, seed) -> np.ndarray:
    r"""Behaviour cloning on MDP data: :math:`\hat\pi(s) = \arg\max_a \sum_t m_t(s,a)`, ties at random.

    Parameters
    ----------
    counts : int array (n, F, S, A)
        Fold counts; all folds are pooled.
    seed : int, numpy.random.SeedSequence or numpy.random.Generator
        Breaks ties.

    Returns
    -------
    int array (n, S)
    """
    counts, _ = check_stats(counts, None, 4)
    return most_played(counts.sum(axis=1), seed=seed)


def uniform_policy(n: int, S: int, A: int, *, seed) -> np.ndarray:
    r"""The null learner: a deterministic policy drawn uniformly at random per dataset, ignoring the data.

    :math:`\hat\pi(s) \sim \mathrm{Unif}(\mathcal A)` independently for every state and dataset, so its
    expected suboptimality is the average over all deterministic policies; it does not decay with
    ``N``.  A reference for the checks on arXiv 2103.12021's rates (a check that this learner passes
    has no power).

    Parameters
    ----------
    n, S, A : int >= 1
        Datasets, states, actions.
    seed : int, numpy.random.SeedSequence or numpy.random.Generator

    Returns
    -------
    int array (n, S)

    Examples
    --------
    >>> uniform_policy(2, 3, 4, seed=0).shape
    (2, 3)
    """
    if min(int(n), int(S), int(A)) < 1:
        raise ValidationError(f"n = {n}, S = {S}, A = {A} (rule: all >= 1)")
    return as_generator(seed).integers(0, int(A), size=(int(n), int(S))).astype(np.int64)
