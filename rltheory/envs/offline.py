r"""Offline datasets of i.i.d. state-action samples and single-policy concentrability.

Data model of Rashidinejad, Zhu, Ma, Jiao & Russell, *Bridging Offline
Reinforcement Learning and Imitation Learning: A Tale of Pessimism* (NeurIPS
2021, arXiv 2103.12021), §2 and App. D.1: a dataset is
:math:`\mathcal D = \{(s_i, a_i, r_i, s'_i)\}_{i=1}^N` with
:math:`(s_i, a_i) \overset{iid}{\sim} \mu`, :math:`r_i \sim R(s_i, a_i)` and
:math:`s'_i \sim P(\cdot \mid s_i, a_i)` — *not* trajectories.

Four settings, one problem type each:

* :class:`OfflineBandit` — multi-armed bandit (``S = 1``, ``gamma = 0``);
* :class:`OfflineContextualBandit` — contextual bandit (``gamma = 0``), context
  distribution :math:`\rho`;
* :class:`OfflineDiscountedMDP` — infinite-horizon discounted tabular MDP;
* :class:`OfflineLayeredMDP` — episodic layered MDP (disjoint layers
  :math:`\mathcal S = \cup_h \mathcal S_h`, App. D.1).

Rewards are *scaled Bernoulli*: :math:`r = v \cdot \mathrm{Bern}(q)` with value
``v`` and probability ``q`` per pair, so the mean is :math:`v q`.  This covers
Bernoulli rewards (``v = 1``), deterministic rewards (``q = 1``) and the
two-point reward of Proposition 1 (``v = 2.1\varepsilon``, ``q = 1/2``).

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

**Concentrability** (Definition 1): :math:`C^\pi = \max_{s,a} d^\pi(s,a) /
\mu(s,a)` with :math:`d^\pi` the *normalised* occupancy, discounted
:math:`d^\pi = (1-\gamma)\sum_t \gamma^t \Pr(s_t = s, a_t = a)` (eq. 5b) or
layer-averaged :math:`d^\pi = \frac1H \sum_h \Pr(s_h = s, a_h = a)` (eq. 78).
Using unnormalised per-step occupancies inflates :math:`C^\star` by a factor
:math:`H` (spec pitfall).  When several optimal policies exist, :math:`C^\star`
is computed for the one with the smallest concentrability among the
deterministic optimal actions per state (bandit and contextual bandit) or for
the lowest-index optimal action (MDPs).

**Exact computation** is delegated to :mod:`rltheory.solvers`: optimal
policies by :func:`~rltheory.solvers.policy_iteration` (discounted) and
:func:`~rltheory.solvers.backward_induction` (layered, on the union of layers
as a :class:`~rltheory.models.TabularMDP`), values by
:func:`~rltheory.solvers.discounted_policy_evaluation` and
:func:`~rltheory.solvers.expected_return`, occupancies and :math:`C^\pi` by
:func:`~rltheory.solvers.discounted_concentrability` (contextual bandits are
the case :math:`\gamma = 0`) and :func:`~rltheory.solvers.concentrability`
with ``normalisation="layered"``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .._errors import ValidationError
from .._validation import (as_float_array, check_distribution, check_int, check_range,
                           check_shape)
from ..kernels.linalg import dot, solve
from ..models.tabular import TabularMDP
from ..solvers import (backward_induction, concentrability, discounted_concentrability,
                       discounted_occupancy, discounted_policy_evaluation, expected_return,
                       occupancy, policy_iteration)

__all__ = [
    "OfflineBandit", "OfflineContextualBandit", "OfflineDiscountedMDP", "OfflineLayeredMDP",
    "BanditStats", "TabularStats", "expert_mixture",
    "sample_bandit", "sample_contextual_bandit", "sample_discounted", "sample_layered", "dataset_kl",
    "batch_suboptimality",
]

_OPT_TOL = 1e-12


def _freeze(*arrs):
    for a in arrs:
        a.setflags(write=False)


def _reward_arrays(value, prob, shape, name):
    v = as_float_array(value, f"{name}.reward_value")
    q = as_float_array(prob, f"{name}.reward_prob")
    check_shape(v, f"{name}.reward_value", shape)
    check_shape(q, f"{name}.reward_prob", shape)
    check_range(v, f"{name}.reward_value", 0.0, 1.0, "reward values")
    check_range(q, f"{name}.reward_prob", 0.0, 1.0, "probabilities")
    return v, q


def _lowest_index_optimal(Q: np.ndarray, V: np.ndarray) -> np.ndarray:
    r"""Lowest-index action with :math:`Q(s,a) \ge V(s) - 10^{-12}` in every state (canonical :math:`\pi^\star`)."""
    return np.argmax(Q >= V[..., None] - _OPT_TOL, axis=-1).astype(np.int64)


def _per_unique_policy(pi: np.ndarray, S: int, value) -> np.ndarray:
    """``value(policy)`` for ``pi (S,)`` or every row of ``pi (n, S)``, one call per distinct row."""
    pi = np.asarray(pi)
    if pi.dtype.kind not in "iu" or pi.ndim not in (1, 2) or pi.shape[-1] != S:
        raise ValidationError(f"pi has dtype {pi.dtype} and shape {pi.shape} "
                              f"(rule: int array of shape ({S},) or (n, {S}))")
    rows, inverse = np.unique(pi.reshape(-1, S).astype(np.int64), axis=0, return_inverse=True)
    vals = np.array([value(row) for row in rows])[inverse.reshape(-1)]
    return vals[0] if pi.ndim == 1 else vals


def expert_mixture(d_star: np.ndarray, eta: float, support: np.ndarray | None = None) -> np.ndarray:
    r"""Data composition :math:`\mu = (1-\eta)\, d^{\pi^\star} + \eta \cdot \mathrm{Unif}`.

    The spectrum of Figure 1 of arXiv 2103.12021: :math:`\eta = 0` is expert
    data (:math:`C^\star = 1`), :math:`\eta = 1` uniform coverage.  Then
    :math:`C^\star \le 1/(1-\eta)`.

    Parameters
    ----------
    d_star : array (..., A)
        Normalised occupancy of the optimal policy (sums to 1).
    eta : float in [0, 1]
    support : bool array like ``d_star``, optional
        Where the uniform part lives (default: everywhere).
    """
    d = as_float_array(d_star, "d_star")
    if not 0.0 <= eta <= 1.0:
        raise ValidationError(f"eta = {eta} (rule: 0 <= eta <= 1)")
    check_distribution(d.reshape(-1), "d_star")
    sup = np.ones(d.shape, dtype=bool) if support is None else np.asarray(support, dtype=bool)
    if sup.shape != d.shape or not sup.any():
        raise ValidationError(f"support has shape {sup.shape}, needs {d.shape} with a True entry")
    unif = sup / sup.sum()
    return (1.0 - eta) * d + eta * unif


# --------------------------------------------------------------------------- problem types

@dataclass(frozen=True, eq=False)
class OfflineBandit:
    r"""A multi-armed bandit with an offline data distribution.

    Parameters
    ----------
    mu : array (A,)
        Data distribution over arms.
    reward_value, reward_prob : array (A,)
        Arm ``a`` pays ``reward_value[a]`` with probability ``reward_prob[a]``,
        else 0; mean :math:`r(a) = v_a q_a`.
    name : str
        Where the instance comes from.

    Notes
    -----
    :math:`C^\star = 1/\mu(a^\star)` (eq. 7 of arXiv 2103.12021), minimised
    over optimal arms when there are several.
    """

    mu: np.ndarray
    reward_value: np.ndarray
    reward_prob: np.ndarray
    name: str = ""

    def __post_init__(self):
        mu = as_float_array(self.mu, "mu", ndim=1)
        check_distribution(mu, "mu")
        v, q = _reward_arrays(self.reward_value, self.reward_prob, mu.shape, "bandit")
        _freeze(mu, v, q)
        object.__setattr__(self, "mu", mu)
        object.__setattr__(self, "reward_value", v)
        object.__setattr__(self, "reward_prob", q)

    @property
    def A(self) -> int:
        return self.mu.shape[0]

    @property
    def means(self) -> np.ndarray:
        return self.reward_value * self.reward_prob

    @property
    def optimal_arms(self) -> np.ndarray:
        m = self.means
        return np.flatnonzero(m >= m.max() - _OPT_TOL)

    @property
    def gaps(self) -> np.ndarray:
        """Suboptimality :math:`r(a^\\star) - r(a)` of every arm."""
        return self.means.max() - self.means

    @property
    def C_star(self) -> float:
        r""":math:`C^\star = \min_{a^\star \text{ optimal}} 1/\mu(a^\star)`."""
        m = self.mu[self.optimal_arms].max()
        return float("inf") if m <= 0 else float(1.0 / m)


@dataclass(frozen=True, eq=False)
class OfflineContextualBandit:
    r"""A contextual bandit with context distribution ``rho`` and data distribution ``mu``.

    Parameters
    ----------
    rho : array (S,)
        Context distribution of the evaluation objective
        :math:`J(\pi) = \sum_s \rho(s) r(s, \pi(s))`.
    mu : array (S, A)
        Data distribution over context-action pairs (sums to 1).
    reward_value, reward_prob : array (S, A)
        Scaled-Bernoulli rewards, mean :math:`r(s,a) = v q`.

    Notes
    -----
    :math:`C^\star = \max_s \rho(s)/\mu(s, \pi^\star(s))` (§4 of arXiv
    2103.12021), with :math:`\pi^\star(s)` the optimal action of largest
    :math:`\mu(s, \cdot)` when several are optimal.
    """

    rho: np.ndarray
    mu: np.ndarray
    reward_value: np.ndarray
    reward_prob: np.ndarray
    name: str = ""

    def __post_init__(self):
        rho = as_float_array(self.rho, "rho", ndim=1)
        check_distribution(rho, "rho")
        mu = as_float_array(self.mu, "mu", ndim=2)
        check_shape(mu, "mu", (rho.shape[0], None))
        check_distribution(mu.reshape(-1), "mu")
        v, q = _reward_arrays(self.reward_value, self.reward_prob, mu.shape, "contextual bandit")
        _freeze(rho, mu, v, q)
        for k, a in (("rho", rho), ("mu", mu), ("reward_value", v), ("reward_prob", q)):
            object.__setattr__(self, k, a)

    @property
    def S(self) -> int:
        return self.mu.shape[0]

    @property
    def A(self) -> int:
        return self.mu.shape[1]

    @property
    def means(self) -> np.ndarray:
        return self.reward_value * self.reward_prob

    @property
    def gaps(self) -> np.ndarray:
        """``(S, A)``: :math:`\\max_b r(s,b) - r(s,a)`."""
        m = self.means
        return m.max(axis=1, keepdims=True) - m

    @property
    def optimal_policy(self) -> np.ndarray:
        """``(S,)``: the optimal action with the most data in each context."""
        opt = self.gaps <= _OPT_TOL
        return np.argmax(np.where(opt, self.mu, -1.0), axis=1)

    @property
    def C_star(self) -> float:
        r""":math:`C^\star` by Definition 1 with :math:`\gamma = 0` (then :math:`d^{\pi^\star}(s,a) =
        \rho(s)\,1\{a = \pi^\star(s)\}` whatever the transitions, here :math:`P(\cdot|s,a) = \rho`)."""
        P = np.broadcast_to(self.rho, (self.S, self.A, self.S))
        return discounted_concentrability(P, self.rho, self.optimal_policy, 0.0, self.mu)

    def value(self, pi: np.ndarray) -> np.ndarray:
        """:math:`J(\\pi)` for deterministic policies ``pi (..., S)``."""
        return (self.rho * np.take_along_axis(
            np.broadcast_to(self.means, pi.shape + (self.A,)), pi[..., None], axis=-1)[..., 0]).sum(-1)

    def suboptimality(self, pi: np.ndarray) -> np.ndarray:
        r""":math:`J(\pi^\star) - J(\pi) = \sum_s \rho(s)\,\mathrm{gap}(s, \pi(s))` for ``pi (..., S)``."""
        g = np.take_along_axis(np.broadcast_to(self.gaps, pi.shape + (self.A,)),
                               pi[..., None], axis=-1)[..., 0]
        return (self.rho * g).sum(-1)


@dataclass(frozen=True, eq=False)
class OfflineDiscountedMDP:
    r"""A discounted tabular MDP :math:`(S, A, P, R, \rho, \gamma)` with data distribution ``mu``.

    Parameters
    ----------
    P : array (S, A, S)
    reward_value, reward_prob : array (S, A)
        Scaled-Bernoulli rewards in [0, 1].
    rho : array (S,)
        Initial distribution of :math:`J(\pi) = \mathbb E_{s\sim\rho} V^\pi(s)`.
    gamma : float in [0, 1)
    mu : array (S, A)
        Data distribution.

    Attributes
    ----------
    r : array (S, A) — mean reward; ``pi_star`` (the lowest-index optimal
    action, from :func:`rltheory.solvers.policy_iteration`), ``V_star``,
    ``d_star`` (normalised discounted occupancy, eq. 5b), ``C_star`` —
    computed exactly at construction.
    """

    P: np.ndarray
    reward_value: np.ndarray
    reward_prob: np.ndarray
    rho: np.ndarray
    gamma: float
    mu: np.ndarray
    name: str = ""

    def __post_init__(self):
        P = as_float_array(self.P, "P", ndim=3)
        S, A = P.shape[0], P.shape[1]
        check_shape(P, "P", (S, A, S))
        check_distribution(P, "P")
        v, q = _reward_arrays(self.reward_value, self.reward_prob, (S, A), "mdp")
        rho = as_float_array(self.rho, "rho", ndim=1)
        check_shape(rho, "rho", (S,))
        check_distribution(rho, "rho")
        mu = as_float_array(self.mu, "mu", ndim=2)
        check_shape(mu, "mu", (S, A))
        check_distribution(mu.reshape(-1), "mu")
        if not 0.0 <= float(self.gamma) < 1.0:
            raise ValidationError(f"gamma = {self.gamma} (rule: 0 <= gamma < 1)")
        r = v * q
        gamma = float(self.gamma)
        sol = policy_iteration(P, r, gamma)
        pi = _lowest_index_optimal(sol.Q, sol.V)
        V = discounted_policy_evaluation(P, r, gamma, pi).V.copy()
        d = discounted_occupancy(P, rho, pi, gamma)
        _freeze(P, v, q, rho, mu, r, pi, V, d)
        for k, a in (("P", P), ("reward_value", v), ("reward_prob", q), ("rho", rho), ("mu", mu),
                     ("gamma", float(self.gamma)), ("r", r), ("pi_star", pi), ("V_star", V),
                     ("d_star", d)):
            object.__setattr__(self, k, a)

    @property
    def S(self) -> int:
        return self.P.shape[0]

    @property
    def A(self) -> int:
        return self.P.shape[1]

    @property
    def V_max(self) -> float:
        return 1.0 / (1.0 - self.gamma)

    @property
    def J_star(self) -> float:
        return float(dot(self.rho, self.V_star))

    @property
    def C_star(self) -> float:
        return discounted_concentrability(self.P, self.rho, self.pi_star, self.gamma, self.mu)

    def value(self, pi: np.ndarray) -> np.ndarray:
        r""":math:`J(\pi) = \rho^\top (I - \gamma P^\pi)^{-1} r^\pi` for ``pi (S,)`` or ``(n, S)``.

        One exact linear solve (:func:`rltheory.solvers.discounted_policy_evaluation`)
        per distinct policy.
        """
        return _per_unique_policy(
            pi, self.S, lambda p: float(dot(self.rho, discounted_policy_evaluation(self.P, self.r, self.gamma, p).V)))

    def suboptimality(self, pi: np.ndarray) -> np.ndarray:
        r""":math:`J(\pi^\star) - J(\pi)` for ``pi (S,)`` or ``(n, S)`` (exact linear solves)."""
        return self.J_star - self.value(pi)


@dataclass(frozen=True, eq=False)
class OfflineLayeredMDP:
    r"""An episodic layered MDP (App. D.1 of arXiv 2103.12021) with data distribution ``mu``.

    The state space is the disjoint union of layers
    :math:`\mathcal S_0, \dots, \mathcal S_{H-1}`; ``layer[s]`` is the layer
    of ``s``; ``rho`` lives on layer 0 and transitions go from layer ``h`` to
    layer ``h+1`` (rows of the last layer are ignored: the episode ends).
    Rewards are deterministic, ``r (S, A)`` in [0, 1].  ``mu (S, A)`` is a
    distribution over the union of layers; :math:`C^\pi` uses the
    layer-normalised occupancy (eq. 80).
    """

    P: np.ndarray
    r: np.ndarray
    rho: np.ndarray
    layer: np.ndarray
    mu: np.ndarray
    name: str = ""

    def __post_init__(self):
        P = as_float_array(self.P, "P", ndim=3)
        S, A = P.shape[0], P.shape[1]
        check_shape(P, "P", (S, A, S))
        check_distribution(P, "P")
        r = as_float_array(self.r, "r", ndim=2)
        check_shape(r, "r", (S, A))
        check_range(r, "r", 0.0, 1.0, "rewards")
        rho = as_float_array(self.rho, "rho", ndim=1)
        check_shape(rho, "rho", (S,))
        check_distribution(rho, "rho")
        layer = np.asarray(self.layer)
        if layer.dtype.kind not in "iu" or layer.shape != (S,):
            raise ValidationError(f"layer has dtype {layer.dtype} and shape {layer.shape} "
                                  f"(rule: int array of shape ({S},))")
        layer = layer.astype(np.int64)
        H = int(layer.max()) + 1
        if layer.min() != 0 or set(np.unique(layer)) != set(range(H)):
            raise ValidationError("layer (rule: layers must be 0..H-1, each non-empty)")
        if np.any((rho > 0) & (layer != 0)):
            s = int(np.flatnonzero((rho > 0) & (layer != 0))[0])
            raise ValidationError(f"rho[{s}] = {rho[s]} on layer {layer[s]} (rule: rho lives on layer 0)")
        for s in np.flatnonzero(layer < H - 1):
            bad = (P[s] > 0) & (layer[None, :] != layer[s] + 1)
            if bad.any():
                a, t = np.argwhere(bad)[0]
                raise ValidationError(f"P[{s}, {a}, {t}] = {P[s, a, t]} goes from layer {layer[s]} "
                                      f"to layer {layer[t]} (rule: layer h -> layer h+1)")
        mu = as_float_array(self.mu, "mu", ndim=2)
        check_shape(mu, "mu", (S, A))
        check_distribution(mu.reshape(-1), "mu")
        # last-layer rows are irrelevant: make them absorbing-free by pointing at themselves
        Pe = P.copy()
        last = layer == H - 1
        Pe[last] = 0.0
        Pe[np.flatnonzero(last), :, np.flatnonzero(last)] = 1.0
        # the union of layers as a finite-horizon TabularMDP: layer h is only occupied at step h
        tab = TabularMDP(Pe, r, rho, H=H, name=self.name)
        sol = backward_induction(tab)
        # pi*(s) = lowest-index optimal action at the step of s's layer
        pi = _lowest_index_optimal(sol.Q, sol.V[:-1])[layer, np.arange(S)]
        mu_h = self._mu_by_layer(mu, layer, H)
        d = occupancy(tab, pi).sum(axis=0) / H
        J = expected_return(tab, pi)
        _freeze(Pe, r, rho, layer, mu, pi, d, mu_h)
        for k, a in (("P", Pe), ("r", r), ("rho", rho), ("layer", layer), ("mu", mu), ("H", H),
                     ("pi_star", pi), ("d_star", d), ("J_star", J), ("tabular", tab),
                     ("_mu_h", mu_h)):
            object.__setattr__(self, k, a)

    @staticmethod
    def _mu_by_layer(mu, layer, H):
        r"""``mu`` as the ``(H, S, A)`` array :math:`\mu(h, s, a) = \mu(s, a) 1\{s \in \mathcal S_h\}`."""
        S = mu.shape[0]
        out = np.zeros((H,) + mu.shape)
        out[layer, np.arange(S)] = mu
        return out

    @property
    def S(self) -> int:
        return self.P.shape[0]

    @property
    def A(self) -> int:
        return self.P.shape[1]

    @property
    def C_star(self) -> float:
        return self.concentrability_of(self.pi_star)

    def concentrability_of(self, pi: np.ndarray) -> float:
        r""":math:`C^\pi` with the layer-normalised occupancy (eq. 80), via
        :func:`rltheory.solvers.concentrability` with ``normalisation="layered"``."""
        return concentrability(self.tabular, np.asarray(pi), self._mu_h, normalisation="layered")

    def to_tabular(self) -> TabularMDP:
        """The same problem as a :class:`rltheory.models.TabularMDP` on the union of layers."""
        return self.tabular

    def value(self, pi: np.ndarray) -> np.ndarray:
        r""":math:`J(\pi) = \mathbb E \sum_{h} r(s_h, \pi(s_h))` for stationary ``pi (S,)`` or ``(n, S)``
        (:func:`rltheory.solvers.expected_return`, one call per distinct policy)."""
        return _per_unique_policy(pi, self.S, lambda p: expected_return(self.tabular, p))

    def suboptimality(self, pi: np.ndarray) -> np.ndarray:
        return self.J_star - self.value(pi)


# --------------------------------------------------------------------------- samplers

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


def _rng(rng) -> np.random.Generator:
    if not isinstance(rng, np.random.Generator):
        raise ValidationError(f"rng is {type(rng).__name__} (rule: a numpy.random.Generator)")
    return rng


def sample_bandit(inst: OfflineBandit, N: int, n_datasets: int, rng: np.random.Generator) -> BanditStats:
    r"""Draw ``n_datasets`` bandit datasets of size ``N``: counts and reward sums only.

    :math:`(N(a))_a \sim \mathrm{Multinomial}(N, \mu)`, reward sum of arm
    ``a`` :math:`= v_a \cdot \mathrm{Binomial}(N(a), q_a)`.
    """
    N = check_int(N, "N", 1)
    n = check_int(n_datasets, "n_datasets", 1)
    rng = _rng(rng)
    counts = rng.multinomial(N, inst.mu, size=n)
    sums = inst.reward_value * rng.binomial(counts, inst.reward_prob)
    return BanditStats(counts.astype(np.int64), sums.astype(np.float64), N)


def sample_contextual_bandit(inst: OfflineContextualBandit, N: int, n_datasets: int,
                             rng: np.random.Generator) -> BanditStats:
    """Draw ``n_datasets`` contextual-bandit datasets: counts and reward sums ``(n, S, A)``."""
    N = check_int(N, "N", 1)
    n = check_int(n_datasets, "n_datasets", 1)
    rng = _rng(rng)
    counts = rng.multinomial(N, inst.mu.reshape(-1), size=n).reshape(n, inst.S, inst.A)
    sums = inst.reward_value * rng.binomial(counts, inst.reward_prob)
    return BanditStats(counts.astype(np.int64), sums.astype(np.float64), N)


def _sample_tabular(mu, P, value, prob, m, n, F, rng):
    S, A = mu.shape
    counts = rng.multinomial(m, mu.reshape(-1), size=(n, F)).reshape(n, F, S, A)
    sums = value * rng.binomial(counts, prob)
    nxt = rng.multinomial(counts, np.broadcast_to(P, (n, F, S, A, S)))
    return counts.astype(np.int64), sums.astype(np.float64), nxt.astype(np.int64)


def sample_discounted(inst: OfflineDiscountedMDP, N: int, n_datasets: int, rng: np.random.Generator,
                      folds: int = 1) -> TabularStats:
    r"""Draw ``n_datasets`` MDP datasets of ``N`` i.i.d. transitions, split into ``folds`` folds.

    Each fold holds :math:`m = \lfloor N / F \rfloor` samples (the remainder
    :math:`N - Fm` is discarded, as a split into equal folds requires) and is
    an independent i.i.d. dataset: counts :math:`\sim \mathrm{Multinomial}(m,
    \mu)`, next states :math:`\sim \mathrm{Multinomial}(N(s,a), P(\cdot|s,a))`.
    """
    N = check_int(N, "N", 1)
    F = check_int(folds, "folds", 1)
    n = check_int(n_datasets, "n_datasets", 1)
    m = N // F
    if m < 1:
        raise ValidationError(f"N = {N} < folds = {F} (rule: every fold needs a sample)")
    c, s, x = _sample_tabular(inst.mu, inst.P, inst.reward_value, inst.reward_prob, m, n, F, _rng(rng))
    return TabularStats(c, s, x, N, m)


def sample_layered(inst: OfflineLayeredMDP, N: int, n_datasets: int, rng: np.random.Generator) -> TabularStats:
    """Draw ``n_datasets`` datasets of ``N`` i.i.d. samples over the union of layers (one fold)."""
    N = check_int(N, "N", 1)
    n = check_int(n_datasets, "n_datasets", 1)
    c, s, x = _sample_tabular(inst.mu, inst.P, inst.r, np.ones_like(inst.r), N, n, 1, _rng(rng))
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


def batch_suboptimality(inst: OfflineDiscountedMDP | OfflineLayeredMDP, pi: np.ndarray) -> np.ndarray:
    r""":math:`J(\pi^\star) - J(\pi)` for many deterministic policies at once, exactly.

    The same values as ``inst.suboptimality(pi)``, with one batched linear solve (discounted:
    :math:`J(\pi) = \rho^\top (I - \gamma P^\pi)^{-1} r^\pi`) or one batched backward recursion
    (layered: :math:`J(\pi) = \rho^\top \sum_{h<H} (P^\pi)^h r^\pi` on the union of layers) over the
    distinct rows of ``pi``, for sweeps that evaluate thousands of distinct policies.

    Parameters
    ----------
    inst : OfflineDiscountedMDP or OfflineLayeredMDP
    pi : int array (S,) or (n, S)

    Returns
    -------
    float or float array (n,)
    """
    pi = np.asarray(pi)
    S = inst.S
    if pi.dtype.kind not in "iu" or pi.ndim not in (1, 2) or pi.shape[-1] != S:
        raise ValidationError(f"pi has dtype {pi.dtype} and shape {pi.shape} "
                              f"(rule: int array of shape ({S},) or (n, {S}))")
    flat = pi.reshape(-1, S).astype(np.int64)
    if S * np.log2(max(inst.A, 2)) < 62:               # one integer per policy: a fast 1-d unique
        codes = flat @ (inst.A ** np.arange(S, dtype=np.int64))
        _, first, inverse = np.unique(codes, return_index=True, return_inverse=True)
        rows = flat[first]
    else:
        rows, inverse = np.unique(flat, axis=0, return_inverse=True)
    states = np.arange(S)
    P_pi = inst.P[states, rows]                       # (k, S, S)
    r_pi = inst.r[states, rows]                       # (k, S)
    if isinstance(inst, OfflineDiscountedMDP):
        V = np.empty_like(r_pi)
        M = np.eye(S) - inst.gamma * P_pi
        for k in range(V.shape[0]):                    # fixed-order elimination: same bits on every CPU
            solve(M[k], r_pi[k], V[k])
    elif isinstance(inst, OfflineLayeredMDP):
        V = np.zeros_like(r_pi)
        for _ in range(inst.H):
            V = r_pi + np.einsum("kst,kt->ks", P_pi, V)
    else:
        raise ValidationError(f"inst is {type(inst).__name__} (rule: OfflineDiscountedMDP or OfflineLayeredMDP)")
    gaps = inst.J_star - np.array([dot(v, inst.rho) for v in V])
    out = gaps[inverse.reshape(-1)]
    return out[0] if pi.ndim == 1 else out
