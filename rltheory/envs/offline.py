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
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .._errors import ValidationError
from .._validation import (as_float_array, check_distribution, check_int, check_range,
                           check_shape)

__all__ = [
    "OfflineBandit", "OfflineContextualBandit", "OfflineDiscountedMDP", "OfflineLayeredMDP",
    "BanditStats", "TabularStats", "concentrability", "expert_mixture",
    "sample_bandit", "sample_contextual_bandit", "sample_discounted", "sample_layered",
    "discounted_occupancy", "discounted_policy_values", "discounted_optimal",
    "layered_occupancy", "layered_optimal", "layered_policy_values",
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


def concentrability(d: np.ndarray, mu: np.ndarray) -> float:
    r"""Concentrability :math:`\max_{x: d(x) > 0} d(x) / \mu(x)` of ``d`` w.r.t. ``mu``.

    Parameters
    ----------
    d, mu : array, same shape
        A (normalised) occupancy and the data distribution.

    Returns
    -------
    float
        ``inf`` when ``mu`` vanishes somewhere ``d`` does not (Definition 1 of
        arXiv 2103.12021 then has no finite constant).
    """
    d = np.asarray(d, dtype=np.float64)
    mu = np.asarray(mu, dtype=np.float64)
    if d.shape != mu.shape:
        raise ValidationError(f"d has shape {d.shape} but mu has shape {mu.shape} (rule: same shape)")
    pos = d > 0
    if np.any(pos & (mu <= 0)):
        return float("inf")
    if not pos.any():
        return 0.0
    return float(np.max(d[pos] / mu[pos]))


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
        pi = self.optimal_policy
        d = np.zeros_like(self.mu)
        d[np.arange(self.S), pi] = self.rho
        return concentrability(d, self.mu)

    def value(self, pi: np.ndarray) -> np.ndarray:
        """:math:`J(\\pi)` for deterministic policies ``pi (..., S)``."""
        return (self.rho * np.take_along_axis(
            np.broadcast_to(self.means, pi.shape + (self.A,)), pi[..., None], axis=-1)[..., 0]).sum(-1)

    def suboptimality(self, pi: np.ndarray) -> np.ndarray:
        r""":math:`J(\pi^\star) - J(\pi) = \sum_s \rho(s)\,\mathrm{gap}(s, \pi(s))` for ``pi (..., S)``."""
        g = np.take_along_axis(np.broadcast_to(self.gaps, pi.shape + (self.A,)),
                               pi[..., None], axis=-1)[..., 0]
        return (self.rho * g).sum(-1)


def _policy_matrix(P, pi):
    S = P.shape[0]
    return P[np.arange(S), pi]


def discounted_policy_values(P: np.ndarray, r: np.ndarray, gamma: float, pi: np.ndarray) -> np.ndarray:
    r"""Exact :math:`V^\pi = (I - \gamma P^\pi)^{-1} r^\pi` for deterministic policies.

    Parameters
    ----------
    P : array (S, A, S)
    r : array (S, A)
    gamma : float in [0, 1)
    pi : int array (S,) or (n, S)

    Returns
    -------
    V : array (S,) or (n, S)
    """
    pi = np.asarray(pi, dtype=np.int64)
    S = P.shape[0]
    single = pi.ndim == 1
    pis = pi[None] if single else pi
    Ppi = P[np.arange(S)[None, :], pis]                       # (n, S, S)
    rpi = r[np.arange(S)[None, :], pis]                       # (n, S)
    M = np.eye(S)[None] - gamma * Ppi
    V = np.linalg.solve(M, rpi[..., None])[..., 0]
    return V[0] if single else V


def discounted_optimal(P: np.ndarray, r: np.ndarray, gamma: float) -> tuple[np.ndarray, np.ndarray]:
    r"""Optimal deterministic policy and value of a discounted MDP by exact policy iteration.

    Howard's policy iteration with exact evaluation by a linear solve; it
    terminates at an optimal policy in finitely many steps.  Among optimal
    actions the lowest index is kept (a policy is only changed on a strict
    improvement larger than ``1e-12``).

    Returns
    -------
    pi : int array (S,)
    V : array (S,)
    """
    S, A = r.shape
    pi = np.zeros(S, dtype=np.int64)
    for _ in range(10 * S * A + 10):
        V = discounted_policy_values(P, r, gamma, pi)
        Q = r + gamma * P @ V
        best = Q.max(axis=1)
        improve = best > Q[np.arange(S), pi] + 1e-12
        if not improve.any():
            # canonical choice: lowest-index optimal action
            pi = np.argmax(Q >= best[:, None] - 1e-12, axis=1).astype(np.int64)
            return pi, discounted_policy_values(P, r, gamma, pi)
        pi = np.where(improve, np.argmax(Q, axis=1), pi).astype(np.int64)
    raise RuntimeError("policy iteration did not terminate")  # pragma: no cover


def discounted_occupancy(P: np.ndarray, rho: np.ndarray, gamma: float, pi: np.ndarray) -> np.ndarray:
    r"""Normalised discounted occupancy :math:`d^\pi(s,a) = (1-\gamma)\sum_t \gamma^t \Pr(s_t=s, a_t=a)`.

    Eq. (5b) of arXiv 2103.12021; :math:`d^\pi_S = (1-\gamma)\rho^\top (I - \gamma P^\pi)^{-1}`.
    Returns ``(S, A)`` summing to 1.
    """
    S, A = P.shape[0], P.shape[1]
    Ppi = _policy_matrix(P, pi)
    dS = (1.0 - gamma) * np.linalg.solve((np.eye(S) - gamma * Ppi).T, rho)
    d = np.zeros((S, A))
    d[np.arange(S), pi] = dS
    return d


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
    r : array (S, A) — mean reward; ``pi_star``, ``V_star``, ``d_star``,
    ``C_star`` — computed exactly at construction.
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
        pi, V = discounted_optimal(P, r, float(self.gamma))
        d = discounted_occupancy(P, rho, float(self.gamma), pi)
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
        return float(self.rho @ self.V_star)

    @property
    def C_star(self) -> float:
        return concentrability(self.d_star, self.mu)

    def suboptimality(self, pi: np.ndarray) -> np.ndarray:
        r""":math:`J(\pi^\star) - J(\pi)` for ``pi (S,)`` or ``(n, S)`` (exact linear solves)."""
        V = discounted_policy_values(self.P, self.r, self.gamma, pi)
        return self.J_star - V @ self.rho


def _layered_forward(P, rho, pi, H):
    S, A = P.shape[0], P.shape[1]
    occ = np.zeros((S, A))
    dist = rho.copy()
    for _ in range(H):
        occ[np.arange(S), pi] += dist
        dist = dist @ _policy_matrix(P, pi)
    return occ


def layered_occupancy(P: np.ndarray, rho: np.ndarray, H: int, pi: np.ndarray) -> np.ndarray:
    r"""Layer-normalised occupancy :math:`d^\pi(s,a) = \frac1H \sum_{h=1}^H \Pr(s_h = s, a_h = a)`.

    Eq. (78) of arXiv 2103.12021 (App. D.1); sums to 1.  The per-step
    occupancies sum to ``H`` — dividing by ``H`` is what makes
    :math:`C^\pi` comparable with the discounted definition.
    """
    return _layered_forward(P, rho, pi, H) / H


def layered_policy_values(P: np.ndarray, r: np.ndarray, rho: np.ndarray, H: int,
                          pi: np.ndarray) -> np.ndarray:
    """:math:`J(\\pi) = \\mathbb E \\sum_{h=1}^H r(s_h, \\pi(s_h))` for ``pi (S,)`` or ``(n, S)``."""
    pi = np.asarray(pi, dtype=np.int64)
    single = pi.ndim == 1
    pis = pi[None] if single else pi
    S = P.shape[0]
    rows = np.arange(S)[None, :]
    Ppi = P[rows, pis]                 # (n, S, S)
    rpi = r[rows, pis]                 # (n, S)
    V = np.zeros(rpi.shape)
    for _ in range(H):
        V = rpi + np.einsum("nst,nt->ns", Ppi, V)
    J = V @ rho
    return J[0] if single else J


def layered_optimal(P: np.ndarray, r: np.ndarray, H: int, layer: np.ndarray):
    """Optimal policy ``(S,)`` of a layered MDP by backward induction over layers."""
    S, A = r.shape
    V = np.zeros(S)
    pi = np.zeros(S, dtype=np.int64)
    for h in range(H - 1, -1, -1):
        Q = r + P @ V
        best = Q.max(axis=1)
        a = np.argmax(Q >= best[:, None] - 1e-12, axis=1)
        sel = layer == h
        V = np.where(sel, best, 0.0)
        pi[sel] = a[sel]
    return pi


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
        pi = layered_optimal(Pe, r, H, layer)
        d = layered_occupancy(Pe, rho, H, pi)
        J = float(layered_policy_values(Pe, r, rho, H, pi))
        _freeze(Pe, r, rho, layer, mu, pi, d)
        for k, a in (("P", Pe), ("r", r), ("rho", rho), ("layer", layer), ("mu", mu), ("H", H),
                     ("pi_star", pi), ("d_star", d), ("J_star", J)):
            object.__setattr__(self, k, a)

    @property
    def S(self) -> int:
        return self.P.shape[0]

    @property
    def A(self) -> int:
        return self.P.shape[1]

    @property
    def C_star(self) -> float:
        return concentrability(self.d_star, self.mu)

    def concentrability_of(self, pi: np.ndarray) -> float:
        r""":math:`C^\pi` with the layer-normalised occupancy (eq. 80)."""
        return concentrability(layered_occupancy(self.P, self.rho, self.H, np.asarray(pi)), self.mu)

    def to_tabular(self):
        """The same problem as a :class:`rltheory.models.TabularMDP` on the union of layers."""
        from ..models.tabular import TabularMDP
        return TabularMDP(self.P, self.r, self.rho, H=self.H)

    def suboptimality(self, pi: np.ndarray) -> np.ndarray:
        return self.J_star - layered_policy_values(self.P, self.r, self.rho, self.H, pi)


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
