r"""Exact equilibria and values of Markov games (:class:`rltheory.models.games.MarkovGame`).

* :func:`zero_sum_markov_nash` -- Shapley's backward induction for
  two-player constant-sum games (Shapley 1953);
* :func:`markov_cce` -- a non-stationary Markov CCE of a known game by
  backward induction over stage-game CCE LPs;
* :func:`correlated_policy_values` -- values of a correlated Markov policy;
  :func:`correlated_best_response`, :func:`correlated_cce_gaps` -- the best
  deviation of one player against a correlated Markov policy (an MDP; it is
  also the best *history-dependent* deviation, because fresh correlation at
  every step makes the history uninformative);
* :func:`product_policy_values`, :func:`mixture_values` -- exact values of
  Markov product policies and of their (weighted) mixtures.

Deviations against mixtures of product policies are in
:mod:`rltheory.solvers.deviations`; the stage games are solved by
:mod:`rltheory.solvers.normal_form`.  Definitions follow Foster, Golowich &
Kakade, *Hardness of Independent Learning and Sparse Equilibrium Computation
in Markov Games* (ICML 2023, arXiv 2303.12287), Section 1 of our specification.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .._errors import ValidationError
from ..kernels import games as K
from ..models.games import MarkovGame, check_joint_policy, check_player, check_product_policy
from ._games_common import _check_game, _deviation_arrays, _dot, _mv, _pad, _vm, _weights
from .normal_form import normal_form_cce, zero_sum_nash
from .results import _readonly

__all__ = [
    "ZeroSumMarkovNash", "zero_sum_markov_nash", "MarkovCCE", "markov_cce",
    "correlated_policy_values", "BestResponse", "correlated_best_response", "correlated_cce_gaps",
    "product_policy_values", "mixture_values",
]

# =========================================================================== zero-sum Markov games

@dataclass(frozen=True, eq=False)
class ZeroSumMarkovNash:
    r"""Minimax solution of a two-player constant-sum Markov game (player 0 maximises its return).

    Attributes
    ----------
    V : ndarray (H+1, S)
        :math:`V^*_h(s)`, player 0's minimax value-to-go; ``V[H] = 0``.
    x : ndarray (H, S, A_1)
        Player 0's Markov minimax policy.
    y : ndarray (H, S, A_2)
        Player 1's Markov minimax policy.
    value : float
        :math:`\sum_s \mu_0(s) V^*_0(s)`.
    """

    V: np.ndarray
    x: np.ndarray
    y: np.ndarray
    value: float


def zero_sum_markov_nash(game: MarkovGame) -> ZeroSumMarkovNash:
    r"""Shapley's backward induction for a two-player constant-sum Markov game.

    .. math::
        V_H = 0, \qquad
        V_h(s) = \operatorname{val}\Big[R_{1,h}(s, a_1, a_2) + \sum_{s'} P_h(s' \mid s, a_1, a_2) V_{h+1}(s')\Big]_{a_1, a_2},

    where :math:`\operatorname{val}` is the value of the matrix game
    (:func:`zero_sum_nash`) and the stage strategies are the maxmin/minmax
    strategies (Shapley, *Stochastic games*, PNAS 1953; finite-horizon form).

    Raises
    ------
    rltheory.ValidationError
        Unless ``m = 2`` and :math:`R_{1,h}(s, a) + R_{2,h}(s, a) = c_h` is the same
        constant for every state and joint action at each step (then the sum of
        the returns is the constant :math:`\sum_h c_h` and the game is zero-sum up to a shift).
    """
    g = _check_game(game)
    if g.m != 2:
        raise ValidationError(f"game has m = {g.m} players (rule: zero_sum_markov_nash needs m = 2)")
    Rf = g.R_full()
    tot = Rf[0] + Rf[1]                                # (H, S, nJ)
    c = tot.reshape(g.H, -1)
    spread = c.max(axis=1) - c.min(axis=1)
    if np.any(spread > 1e-12):
        h = int(np.argmax(spread))
        raise ValidationError(f"R[0] + R[1] varies by {spread[h]:.3g} at step {h} "
                              "(rule: constant-sum stage rewards, R_1 + R_2 = c_h for all s, a)")
    A1, A2 = g.actions
    V = np.zeros((g.H + 1, g.S))
    x = np.zeros((g.H, g.S, A1))
    y = np.zeros((g.H, g.S, A2))
    Pf = g.P_full()
    for h in range(g.H - 1, -1, -1):
        Q = Rf[0, h] + _mv(Pf[h], V[h + 1])           # (S, nJ)
        for s in range(g.S):
            r = zero_sum_nash(Q[s].reshape(A1, A2))
            V[h, s] = r.value
            x[h, s] = r.x
            y[h, s] = r.y
    _readonly(V, x, y)
    return ZeroSumMarkovNash(V, x, y, _dot(g.mu0, V[0]))


# =========================================================================== correlated Markov policies

@dataclass(frozen=True, eq=False)
class MarkovCCE:
    r"""A non-stationary Markov CCE of a known Markov game.

    Attributes
    ----------
    policy : ndarray (H, S, n_joint)
        Correlated Markov policy :math:`x_h(\cdot \mid s)` over flat joint actions.
    V : ndarray (m, H+1, S)
        :math:`V_{i,h}(s) = \mathbb E_{a \sim x_h(s)}[Q_{i,h}(s, a)]`.
    values : ndarray (m,)
        :math:`\sum_s \mu_0(s) V_{i,0}(s)`.
    """

    policy: np.ndarray
    V: np.ndarray
    values: np.ndarray


def markov_cce(game: MarkovGame, objective: str = "feasible") -> MarkovCCE:
    r"""A Markov CCE by backward induction over stage-game CCE LPs.

    At each :math:`(h, s)`, from :math:`h = H-1` down to 0:

    .. math::
        Q_{i,h}(s, a) = R_{i,h}(s, a) + \sum_{s'} P_h(s' \mid s, a) V_{i,h+1}(s'), \quad
        x_h(s) = \mathrm{CCE}\big(\{Q_{i,h}(s, \cdot)\}_i\big), \quad
        V_{i,h}(s) = \mathbb E_{a \sim x_h(s)} Q_{i,h}(s, a).

    The result is a correlated Markov policy; with fresh correlation at every
    step it is a CCE even against history-dependent deviations (Section 4 of
    our specification of arXiv 2303.12287), but it is not a sparse mixture of
    product policies.  ``objective="welfare"`` maximises the stage welfare at
    every :math:`(h, s)`.
    """
    g = _check_game(game)
    V = np.zeros((g.m, g.H + 1, g.S))
    X = np.zeros((g.H, g.S, g.n_joint))
    Rf, Pf = g.R_full(), g.P_full()
    for h in range(g.H - 1, -1, -1):
        for s in range(g.S):
            Q = Rf[:, h, s] + np.einsum("as,is->ia", Pf[h, s], V[:, h + 1])   # (m, nJ)
            eq = normal_form_cce(Q.reshape((g.m,) + g.actions), objective=objective)
            x = eq.distribution.reshape(-1)
            X[h, s] = x
            V[:, h, s] = _mv(Q, x)
    values = _mv(V[:, 0], g.mu0)
    _readonly(X, V, values)
    return MarkovCCE(X, V, values)


def correlated_policy_values(game: MarkovGame, policy) -> np.ndarray:
    r"""Values ``(m, H+1, S)`` of a correlated Markov policy ``policy (H, S, n_joint)``."""
    g = _check_game(game)
    X = check_joint_policy(policy, g)
    V = np.zeros((g.m, g.H + 1, g.S))
    Rf, Pf = g.R_full(), g.P_full()
    for h in range(g.H - 1, -1, -1):
        Q = Rf[:, h] + np.einsum("sat,it->isa", Pf[h], V[:, h + 1])           # (m, S, nJ)
        V[:, h] = (Q * X[h][None]).sum(axis=2)
    return V


@dataclass(frozen=True, eq=False)
class BestResponse:
    r"""A best deviation of one player.

    Attributes
    ----------
    value : float
        The deviator's expected return.
    policy : ndarray (H, S) int64 or None
        A deterministic Markov best response where one exists (``None`` for
        history-dependent deviations, which are not returned).
    """

    value: float
    policy: np.ndarray | None = None


def correlated_best_response(game: MarkovGame, policy, player: int) -> BestResponse:
    r"""Best deviation of ``player`` against a correlated Markov policy (the CCE deviation).

    The deviator ignores its recommendations; the others play the marginal
    :math:`x_{-i,h}(b \mid s) = \sum_{a_i} x_h((a_i, b) \mid s)`, drawn afresh
    at every step and independent of the past, so the best history-dependent
    deviation is the optimal policy of the MDP

    .. math::
        Q_h(s, a_i) = \sum_b x_{-i,h}(b \mid s)\Big[R_{i,h}(s, a_i, b)
        + \sum_{s'} P_h(s' \mid s, a_i, b) V_{h+1}(s')\Big], \quad V_h(s) = \max_{a_i} Q_h(s, a_i).
    """
    g = _check_game(game)
    i = check_player(g, player)
    X = check_joint_policy(policy, g)
    rew, Pn, join = _deviation_arrays(g, i)
    xm = X[:, :, join].sum(axis=2)                    # (H, S, B)
    V = np.zeros(g.S)
    pol = np.zeros((g.H, g.S), dtype=np.int64)
    for h in range(g.H - 1, -1, -1):
        Q = np.einsum("sb,sab->sa", xm[h], rew[h] + _mv(Pn[h], V))
        pol[h] = Q.argmax(axis=1)
        V = Q.max(axis=1)
    _readonly(pol)
    return BestResponse(_dot(g.mu0, V), pol)


def correlated_cce_gaps(game: MarkovGame, policy) -> np.ndarray:
    r"""CCE gap ``(m,)`` of a correlated Markov policy: best deviation value minus its value."""
    g = _check_game(game)
    X = check_joint_policy(policy, g)
    V = correlated_policy_values(g, X)
    return np.array([correlated_best_response(g, X, i).value - _dot(g.mu0, V[i, 0])
                     for i in range(g.m)])


# =========================================================================== mixtures of product policies

def product_policy_values(game: MarkovGame, policies) -> np.ndarray:
    r"""Values :math:`V_i^{\sigma^{(t)}}` ``(T, m)`` of ``T`` Markov product policies.

    ``policies[i]`` has shape ``(T, H, S, A_i)`` (see
    :func:`rltheory.models.games.check_product_policy`).
    """
    g = _check_game(game)
    pols = check_product_policy(policies, g)
    return K.product_values(g.P4, g.R4, _pad(pols), g.joint_actions, g.mu0)


def mixture_values(game: MarkovGame, policies, weights=None) -> np.ndarray:
    r""":math:`\mathbb E_{t \sim w}[V_i^{\sigma^{(t)}}]` ``(m,)`` of a (uniform by default) mixture."""
    g = _check_game(game)
    pols = check_product_policy(policies, g)
    w = _weights(weights, pols[0].shape[0])
    return _vm(w, K.product_values(g.P4, g.R4, _pad(pols), g.joint_actions, g.mu0))
