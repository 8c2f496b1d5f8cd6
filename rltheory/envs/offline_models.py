r"""Offline problem instances: four settings, each with a data distribution and its single-policy concentrability.

Data model of Rashidinejad, Zhu, Ma, Jiao & Russell, *Bridging Offline
Reinforcement Learning and Imitation Learning: A Tale of Pessimism* (NeurIPS
2021, arXiv 2103.12021), §2 and App. D.1: a dataset is
:math:`\mathcal D = \{(s_i, a_i, r_i, s'_i)\}_{i=1}^N` with
:math:`(s_i, a_i) \overset{iid}{\sim} \mu`, :math:`r_i \sim R(s_i, a_i)` and
:math:`s'_i \sim P(\cdot \mid s_i, a_i)` — *not* trajectories.  The instances
here are immutable, validated problem descriptions (frozen dataclasses over
read-only arrays); the datasets are drawn by :mod:`rltheory.envs.offline_sampling`.

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
with ``normalisation="layered"``; :func:`batch_suboptimality` evaluates many
policies at once.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .._errors import ValidationError
from .._validation import as_float_array, check_distribution, check_layers, check_range, check_shape
from ..kernels.linalg import dot, solve
from ..models.tabular import TabularMDP
from ..solvers import (backward_induction, concentrability, discounted_concentrability,
                       discounted_occupancy, discounted_policy_evaluation, expected_return,
                       occupancy, policy_iteration)

__all__ = ["OfflineBandit", "OfflineContextualBandit", "OfflineDiscountedMDP", "OfflineLayeredMDP",
           "expert_mixture", "batch_suboptimality"]

_OPT_TOL = 1e-12


def _store(obj, **fields):
    """Set ``fields`` on the frozen dataclass ``obj``, every array among them made read-only."""
    for k, a in fields.items():
        if isinstance(a, np.ndarray):
            a.setflags(write=False)
        object.__setattr__(obj, k, a)


def _data_distribution(mu, shape: tuple) -> np.ndarray:
    """``mu`` as a float array of ``shape`` (``None`` = any length) whose entries form one distribution."""
    mu = as_float_array(mu, "mu", ndim=len(shape))
    check_shape(mu, "mu", shape)
    check_distribution(mu.reshape(-1), "mu")
    return mu


def _reward_arrays(value, prob, shape, name):
    v = as_float_array(value, f"{name}.reward_value")
    q = as_float_array(prob, f"{name}.reward_prob")
    check_shape(v, f"{name}.reward_value", shape)
    check_shape(q, f"{name}.reward_prob", shape)
    check_range(v, f"{name}.reward_value", 0.0, 1.0, "reward values")
    check_range(q, f"{name}.reward_prob", 0.0, 1.0, "probabilities")
    return v, q


def _kernel_and_start(P, rho) -> tuple[np.ndarray, np.ndarray]:
    """Transitions ``P (S, A, S)`` and the start distribution ``rho (S,)``, validated as float arrays."""
    P = as_float_array(P, "P", ndim=3)
    S, A = P.shape[0], P.shape[1]
    check_shape(P, "P", (S, A, S))
    check_distribution(P, "P")
    rho = as_float_array(rho, "rho", ndim=1)
    check_shape(rho, "rho", (S,))
    check_distribution(rho, "rho")
    return P, rho


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

class _Actions:
    """Instances whose data distribution ``mu`` has the actions on its last axis."""

    @property
    def A(self) -> int:
        """Number of actions (arms)."""
        return self.mu.shape[-1]


class _StatesActions(_Actions):
    """Instances with ``mu (S, A)``."""

    @property
    def S(self) -> int:
        """Number of states (contexts); for layered MDPs, of the union of layers."""
        return self.mu.shape[0]

    def _at_policy(self, table: np.ndarray, pi: np.ndarray) -> np.ndarray:
        """``table[s, pi[..., s]]`` for deterministic policies ``pi (..., S)`` -> ``(..., S)``."""
        return np.take_along_axis(np.broadcast_to(table, pi.shape + (self.A,)), pi[..., None], axis=-1)[..., 0]


class _ScaledBernoulli:
    """Rewards :math:`v \\cdot \\mathrm{Bern}(q)` per arm or pair."""

    @property
    def means(self) -> np.ndarray:
        """Mean rewards :math:`v q`, the shape of ``mu``."""
        return self.reward_value * self.reward_prob


class _ExactMDP(_StatesActions):
    """MDP instances with an optimal value ``J_star`` and an exact ``value(pi)``."""

    def suboptimality(self, pi: np.ndarray) -> np.ndarray:
        r""":math:`J(\pi^\star) - J(\pi)` for ``pi (S,)`` or ``(n, S)``, exactly."""
        return self.J_star - self.value(pi)


@dataclass(frozen=True, eq=False)
class OfflineBandit(_Actions, _ScaledBernoulli):
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
        mu = _data_distribution(self.mu, (None,))
        v, q = _reward_arrays(self.reward_value, self.reward_prob, mu.shape, "bandit")
        _store(self, mu=mu, reward_value=v, reward_prob=q)

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
class OfflineContextualBandit(_StatesActions, _ScaledBernoulli):
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
        mu = _data_distribution(self.mu, (rho.shape[0], None))
        v, q = _reward_arrays(self.reward_value, self.reward_prob, mu.shape, "contextual bandit")
        _store(self, rho=rho, mu=mu, reward_value=v, reward_prob=q)

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
        return (self.rho * self._at_policy(self.means, pi)).sum(-1)

    def suboptimality(self, pi: np.ndarray) -> np.ndarray:
        r""":math:`J(\pi^\star) - J(\pi) = \sum_s \rho(s)\,\mathrm{gap}(s, \pi(s))` for ``pi (..., S)``."""
        return (self.rho * self._at_policy(self.gaps, pi)).sum(-1)


@dataclass(frozen=True, eq=False)
class OfflineDiscountedMDP(_ExactMDP):
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
        P, rho = _kernel_and_start(self.P, self.rho)
        S, A = P.shape[0], P.shape[1]
        v, q = _reward_arrays(self.reward_value, self.reward_prob, (S, A), "mdp")
        mu = _data_distribution(self.mu, (S, A))
        if not 0.0 <= float(self.gamma) < 1.0:
            raise ValidationError(f"gamma = {self.gamma} (rule: 0 <= gamma < 1)")
        r = v * q
        gamma = float(self.gamma)
        sol = policy_iteration(P, r, gamma)
        pi = _lowest_index_optimal(sol.Q, sol.V)
        V = discounted_policy_evaluation(P, r, gamma, pi).V.copy()
        d = discounted_occupancy(P, rho, pi, gamma)
        _store(self, P=P, reward_value=v, reward_prob=q, rho=rho, mu=mu, gamma=gamma, r=r, pi_star=pi,
               V_star=V, d_star=d)

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


@dataclass(frozen=True, eq=False)
class OfflineLayeredMDP(_ExactMDP):
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
        P, rho = _kernel_and_start(self.P, self.rho)
        S, A = P.shape[0], P.shape[1]
        r = as_float_array(self.r, "r", ndim=2)
        check_shape(r, "r", (S, A))
        check_range(r, "r", 0.0, 1.0, "rewards")
        layer = check_layers(self.layer, S)
        H = int(layer.max()) + 1
        if np.any((rho > 0) & (layer != 0)):
            s = int(np.flatnonzero((rho > 0) & (layer != 0))[0])
            raise ValidationError(f"rho[{s}] = {rho[s]} on layer {layer[s]} (rule: rho lives on layer 0)")
        for s in np.flatnonzero(layer < H - 1):
            bad = (P[s] > 0) & (layer[None, :] != layer[s] + 1)
            if bad.any():
                a, t = np.argwhere(bad)[0]
                raise ValidationError(f"P[{s}, {a}, {t}] = {P[s, a, t]} goes from layer {layer[s]} "
                                      f"to layer {layer[t]} (rule: layer h -> layer h+1)")
        mu = _data_distribution(self.mu, (S, A))
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
        _store(self, P=Pe, r=r, rho=rho, layer=layer, mu=mu, H=H, pi_star=pi, d_star=d, J_star=J, tabular=tab,
               _mu_h=mu_h)

    @staticmethod
    def _mu_by_layer(mu, layer, H):
        r"""``mu`` as the ``(H, S, A)`` array :math:`\mu(h, s, a) = \mu(s, a) 1\{s \in \mathcal S_h\}`."""
        S = mu.shape[0]
        out = np.zeros((H,) + mu.shape)
        out[layer, np.arange(S)] = mu
        return out

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



# --------------------------------------------------------------------------- exact evaluation of many policies

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
