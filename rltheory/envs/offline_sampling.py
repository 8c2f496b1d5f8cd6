r"""Offline datasets drawn through their sufficient statistics, and divergences between their laws.

Data model of Rashidinejad, Zhu, Ma, Jiao & Russell, *Bridging Offline
Reinforcement Learning and Imitation Learning: A Tale of Pessimism* (NeurIPS
2021, arXiv 2103.12021), §2 and App. D.1: a dataset of size :math:`N` is
:math:`N` i.i.d. samples :math:`(s_i, a_i) \sim \mu`, :math:`r_i \sim R(s_i, a_i)`,
:math:`s'_i \sim P(\cdot \mid s_i, a_i)` of an instance of
:mod:`rltheory.envs.offline_models`.

**Sufficient statistics.**  Every algorithm of the paper uses the data only
through the counts :math:`N(s,a)`, the reward sums :math:`\sum_{i: (s_i,a_i)
= (s,a)} r_i` and the next-state counts :math:`N(s,a,s')`.  The samplers draw
these directly: counts from a multinomial, reward sums from
:math:`v \cdot \mathrm{Binomial}(N(s,a), q)` and next-state counts from
:math:`\mathrm{Multinomial}(N(s,a), P(\cdot\mid s,a))` — the same joint law as
drawing the :math:`N` samples one by one, at :math:`O(SA)` cost per dataset.
VI-LCB's data splitting (Algorithm 3) divides :math:`\mathcal D` uniformly at
random into folds of size :math:`m`; a uniformly random split of i.i.d.
samples gives i.i.d. folds, so each fold is drawn as an independent dataset of
size :math:`m`.

Every sampler takes its randomness as a keyword ``seed``: an int, a
:class:`numpy.random.SeedSequence` or a :class:`numpy.random.Generator` (used
as is and advanced, see :mod:`rltheory._random`).

**Divergences.**  :func:`dataset_kl` is the exact KL divergence between the
laws of two datasets of size :math:`N` (the Le Cam and Fano arguments of the
lower bounds).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .._errors import ValidationError
from .._random import as_generator
from .._validation import check_int
from .offline_models import OfflineBandit, OfflineContextualBandit, OfflineDiscountedMDP, OfflineLayeredMDP

__all__ = ["BanditStats", "TabularStats", "sample_bandit", "sample_contextual_bandit", "sample_discounted",
           "sample_layered", "dataset_kl"]


@dataclass(frozen=True)
class BanditStats:
    """Sufficient statistics of ``n`` bandit (or contextual-bandit) datasets.

    Attributes
    ----------
    counts : int array (n, A) or (n, S, A)
        :math:`N(a)` / :math:`N(s,a)`.
    reward_sum : float array, same shape
        Sum of the observed rewards of each arm / pair.
    N : int
        Dataset size.
    """

    counts: np.ndarray
    reward_sum: np.ndarray
    N: int


@dataclass(frozen=True)
class TabularStats:
    """Sufficient statistics of ``n`` MDP datasets, split into ``F`` folds.

    Attributes
    ----------
    counts : int array (n, F, S, A)
    reward_sum : float array (n, F, S, A)
    next_counts : int array (n, F, S, A, S)
    N : int
        Total dataset size (``F * m`` samples are used, ``m = N // F``).
    m : int
        Fold size.
    """

    counts: np.ndarray
    reward_sum: np.ndarray
    next_counts: np.ndarray
    N: int
    m: int


def _bandit_stats(inst, N, n_datasets, seed) -> BanditStats:
    r"""Counts :math:`\sim \mathrm{Multinomial}(N, \mu)` over the cells of ``inst.mu``, reward sums
    :math:`v \cdot \mathrm{Binomial}(N(\cdot), q)`; arrays of shape ``(n,) + inst.mu.shape``."""
    N = check_int(N, "N", 1)
    n = check_int(n_datasets, "n_datasets", 1)
    rng = as_generator(seed)
    counts = rng.multinomial(N, inst.mu.reshape(-1), size=n).reshape((n,) + inst.mu.shape)
    sums = inst.reward_value * rng.binomial(counts, inst.reward_prob)
    return BanditStats(counts.astype(np.int64), sums.astype(np.float64), N)


def sample_bandit(inst: OfflineBandit, N: int, n_datasets: int, *, seed) -> BanditStats:
    r"""Draw ``n_datasets`` bandit datasets of size ``N``: counts and reward sums only.

    :math:`(N(a))_a \sim \mathrm{Multinomial}(N, \mu)`, reward sum of arm
    ``a`` :math:`= v_a \cdot \mathrm{Binomial}(N(a), q_a)`.

    Parameters
    ----------
    inst : OfflineBandit
    N : int >= 1
        Dataset size.
    n_datasets : int >= 1
    seed : int, numpy.random.SeedSequence or numpy.random.Generator

    Returns
    -------
    BanditStats
        ``counts`` and ``reward_sum`` of shape ``(n_datasets, A)``.

    Examples
    --------
    >>> from rltheory.envs.offline_models import OfflineBandit
    >>> inst = OfflineBandit(mu=[0.7, 0.3], reward_value=[1.0, 1.0], reward_prob=[0.5, 0.6])
    >>> data = sample_bandit(inst, N=100, n_datasets=4, seed=0)
    >>> data.counts.shape, data.counts.sum(axis=1).tolist()
    ((4, 2), [100, 100, 100, 100])
    """
    return _bandit_stats(inst, N, n_datasets, seed)


def sample_contextual_bandit(inst: OfflineContextualBandit, N: int, n_datasets: int, *, seed) -> BanditStats:
    r"""Draw ``n_datasets`` contextual-bandit datasets of size ``N``: counts and reward sums ``(n, S, A)``.

    :math:`(N(s,a))_{s,a} \sim \mathrm{Multinomial}(N, \mu)`, reward sums
    :math:`v(s,a) \cdot \mathrm{Binomial}(N(s,a), q(s,a))`.

    Parameters
    ----------
    inst : OfflineContextualBandit
    N, n_datasets : int >= 1
    seed : int, numpy.random.SeedSequence or numpy.random.Generator

    Returns
    -------
    BanditStats
        ``counts`` and ``reward_sum`` of shape ``(n_datasets, S, A)``.
    """
    return _bandit_stats(inst, N, n_datasets, seed)


def _sample_tabular(mu, P, value, prob, m, n, F, rng):
    """Counts ``(n, F, S, A)``, reward sums and next-state counts ``(n, F, S, A, S)`` of ``n * F`` folds
    of ``m`` samples each."""
    S, A = mu.shape
    counts = rng.multinomial(m, mu.reshape(-1), size=(n, F)).reshape(n, F, S, A)
    sums = value * rng.binomial(counts, prob)
    nxt = rng.multinomial(counts, np.broadcast_to(P, (n, F, S, A, S)))
    return counts.astype(np.int64), sums.astype(np.float64), nxt.astype(np.int64)


def sample_discounted(inst: OfflineDiscountedMDP, N: int, n_datasets: int, *, seed,
                      folds: int = 1) -> TabularStats:
    r"""Draw ``n_datasets`` MDP datasets of ``N`` i.i.d. transitions, split into ``folds`` folds.

    Each fold holds :math:`m = \lfloor N / F \rfloor` samples (the remainder
    :math:`N - Fm` is discarded, as a split into equal folds requires) and is
    an independent i.i.d. dataset: counts :math:`\sim \mathrm{Multinomial}(m,
    \mu)`, next states :math:`\sim \mathrm{Multinomial}(N(s,a), P(\cdot|s,a))`.

    Parameters
    ----------
    inst : OfflineDiscountedMDP
    N, n_datasets : int >= 1
    seed : int, numpy.random.SeedSequence or numpy.random.Generator
    folds : int >= 1
        ``F``; VI-LCB (Algorithm 3) needs
        ``folds = rltheory.algorithms.lcb.vi_lcb_iterations(N, gamma) + 1``.

    Returns
    -------
    TabularStats
        Arrays with axes ``(n_datasets, F, S, A[, S])``.
    """
    N = check_int(N, "N", 1)
    F = check_int(folds, "folds", 1)
    n = check_int(n_datasets, "n_datasets", 1)
    m = N // F
    if m < 1:
        raise ValidationError(f"N = {N} < folds = {F} (rule: every fold needs a sample)")
    rng = as_generator(seed)
    c, s, x = _sample_tabular(inst.mu, inst.P, inst.reward_value, inst.reward_prob, m, n, F, rng)
    return TabularStats(c, s, x, N, m)


def sample_layered(inst: OfflineLayeredMDP, N: int, n_datasets: int, *, seed) -> TabularStats:
    """Draw ``n_datasets`` datasets of ``N`` i.i.d. samples over the union of layers (one fold).

    Parameters
    ----------
    inst : OfflineLayeredMDP
        Rewards are deterministic, so the reward sums are ``r(s, a) * N(s, a)``.
    N, n_datasets : int >= 1
    seed : int, numpy.random.SeedSequence or numpy.random.Generator

    Returns
    -------
    TabularStats
        Arrays with axes ``(n_datasets, 1, S, A[, S])``.
    """
    N = check_int(N, "N", 1)
    n = check_int(n_datasets, "n_datasets", 1)
    rng = as_generator(seed)
    c, s, x = _sample_tabular(inst.mu, inst.P, inst.r, np.ones_like(inst.r), N, n, 1, rng)
    return TabularStats(c, s, x, N, N)


# --------------------------------------------------------------------------- divergences between data laws

def _bernoulli_kl(p: np.ndarray, q: np.ndarray) -> np.ndarray:
    """Elementwise :math:`\\mathrm{KL}(\\mathrm{Bern}(p)\\,\\|\\,\\mathrm{Bern}(q))` (inf where undefined)."""
    p, q = np.broadcast_arrays(np.asarray(p, float), np.asarray(q, float))
    out = np.zeros(p.shape)
    with np.errstate(divide="ignore", invalid="ignore"):
        for a, b in ((p, q), (1.0 - p, 1.0 - q)):
            term = np.where(a > 0, a * np.log(a / b), 0.0)
            out = out + np.where((a > 0) & (b <= 0), np.inf, term)
    return out


def dataset_kl(first, second, N: int) -> float:
    r"""Exact :math:`\mathrm{KL}(P_1^{\otimes N} \| P_2^{\otimes N})` between the laws of two datasets of size ``N``.

    ``first`` and ``second`` are two :class:`OfflineBandit` or two
    :class:`OfflineContextualBandit` with the same reward values; one sample is
    :math:`(s, a) \sim \mu` then :math:`r = v\cdot\mathrm{Bern}(q(s,a))`, so by the chain rule

    .. math::
        \mathrm{KL} = N\Bigl(\mathrm{KL}(\mu_1\|\mu_2) + \sum_{s,a}\mu_1(s,a)\,
        \mathrm{KL}(\mathrm{Bern}(q_1(s,a))\,\|\,\mathrm{Bern}(q_2(s,a)))\Bigr).
    """
    N = check_int(N, "N", 1)
    if type(first) is not type(second) or first.mu.shape != second.mu.shape:
        raise ValidationError("dataset_kl needs two instances of the same type and shape "
                              "(rule: compare like with like)")
    if not np.allclose(first.reward_value, second.reward_value):
        raise ValidationError("dataset_kl: the reward values differ (rule: same values, only the "
                              "probabilities may differ)")
    m1, m2 = first.mu.reshape(-1), second.mu.reshape(-1)
    with np.errstate(divide="ignore", invalid="ignore"):
        kl_mu = float(np.sum(np.where(m1 > 0, m1 * np.log(m1 / m2), 0.0)))
    per_pair = _bernoulli_kl(first.reward_prob.reshape(-1), second.reward_prob.reshape(-1))
    kl_r = float(np.sum(np.where(m1 > 0, m1 * per_pair, 0.0)))
    return N * (kl_mu + kl_r)
