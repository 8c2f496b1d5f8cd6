r"""Result types of the exact solvers: frozen dataclasses holding read-only arrays.

Shapes follow the rltheory conventions: ``H`` steps ``h = 0..H-1``, ``S``
states, ``A`` actions; finite-horizon values ``V (H+1, S)`` with ``V[H] = 0``
and ``Q (H, S, A)``; discounted values ``V (S,)`` and ``Q (S, A)``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np


def value_at(mu0: np.ndarray, V0: np.ndarray) -> float:
    r""":math:`\sum_s \mu_0(s) V_0(s)`, correctly rounded (:func:`math.fsum`), so independent of order."""
    return math.fsum((np.asarray(mu0) * np.asarray(V0)).tolist())


def _readonly(*arrays: np.ndarray) -> None:
    for a in arrays:
        a.setflags(write=False)


@dataclass(frozen=True, eq=False)
class FiniteHorizonSolution:
    r"""Optimal values and a greedy optimal policy of a finite-horizon MDP.

    Attributes
    ----------
    Q : ndarray (H, S, A)
        :math:`Q^*_h(s,a)`.
    V : ndarray (H+1, S)
        :math:`V^*_h(s) = \max_a Q^*_h(s,a)`, ``V[H] = 0``.
    policy : ndarray (H, S), int64
        :math:`\pi^*_h(s)`, the lowest-index maximiser of ``Q[h, s]``.
    value : float
        :math:`V^*_0(\mu_0) = \sum_s \mu_0(s) V^*_0(s)`, the optimal value from the initial
        distribution (summed with :func:`math.fsum`: correctly rounded, independent of order).
    """

    Q: np.ndarray
    V: np.ndarray
    policy: np.ndarray
    value: float = float("nan")


@dataclass(frozen=True, eq=False)
class PolicyValue:
    r"""Values of a fixed policy of a finite-horizon MDP.

    Attributes
    ----------
    Q : ndarray (H, S, A)
        :math:`Q^\pi_h(s,a)`.
    V : ndarray (H+1, S)
        :math:`V^\pi_h(s)`, ``V[H] = 0``.
    value : float
        :math:`V^\pi_0(\mu_0) = \sum_s \mu_0(s) V^\pi_0(s)` (:func:`math.fsum`).
    """

    Q: np.ndarray
    V: np.ndarray
    value: float = float("nan")


@dataclass(frozen=True, eq=False)
class ReturnVariance:
    r"""Moments of the return :math:`G_h = \sum_{t=h}^{H-1} R_t(s_t, a_t)` under a policy.

    Attributes
    ----------
    Q : ndarray (H, S, A)
        :math:`Q^\pi_h(s,a)`.
    V : ndarray (H+1, S)
        :math:`V^\pi_h(s) = E^\pi[G_h \mid s_h = s]`.
    second_moment : ndarray (H+1, S)
        :math:`M_h(s) = E^\pi[G_h^2 \mid s_h = s]`, zero at ``h = H``.
    var : ndarray (H+1, S)
        :math:`\mathrm{Var}^\pi_h(s) = M_h(s) - V^\pi_h(s)^2` (negative rounding
        residues clipped to 0), zero at ``h = H``.
    sigma2 : ndarray (H, S, A)
        :math:`\sigma^2_h(s,a) = \mathrm{Var}_{s' \sim P_h(\cdot|s,a)} V^\pi_{h+1}(s')`.
    action_var : ndarray (H, S)
        :math:`\mathrm{Var}_{a \sim \pi_h(\cdot|s)} Q^\pi_h(s,a)`; zero for a
        deterministic policy.
    """

    Q: np.ndarray
    V: np.ndarray
    second_moment: np.ndarray
    var: np.ndarray
    sigma2: np.ndarray
    action_var: np.ndarray


@dataclass(frozen=True, eq=False)
class TotalVarianceIdentity:
    r"""Both sides of the law of total variance for the return from :math:`s_0 \sim \mu_0`.

    .. math::

        \underbrace{\mathrm{Var}^\pi(G_0)}_{\texttt{lhs}}
        = \underbrace{E^\pi\Big[\sum_{h} \sigma^2_h(s_h, a_h)\Big]}_{\texttt{transition\_term}}
        + \underbrace{E^\pi\Big[\sum_{h} \mathrm{Var}_{a\sim\pi_h(\cdot|s_h)} Q^\pi_h(s_h, a)\Big]}_{\texttt{action\_term}}
        + \underbrace{\mathrm{Var}_{s_0\sim\mu_0} V^\pi_0(s_0)}_{\texttt{initial\_term}}

    Attributes
    ----------
    lhs : float
        :math:`\sum_s \mu_0(s) M_0(s) - (\sum_s \mu_0(s) V^\pi_0(s))^2`, from the
        second-moment recursion.
    rhs : float
        ``transition_term + action_term + initial_term``, from the forward
        occupancy measure.
    transition_term, action_term, initial_term : float
        The three parts of ``rhs`` (``action_term`` is 0 for deterministic policies).
    """

    lhs: float
    rhs: float
    transition_term: float
    action_term: float
    initial_term: float


@dataclass(frozen=True, eq=False)
class OccupancyLPSolution:
    r"""Solution of the occupancy-measure linear programme of a finite-horizon MDP.

    Attributes
    ----------
    value : float
        :math:`\max_d \sum_{h,s,a} d_h(s,a) R_h(s,a) = \sum_s \mu_0(s) V^*_0(s)`.
    occupancy : ndarray (H, S, A)
        An optimal occupancy measure (each step sums to 1).
    """

    value: float
    occupancy: np.ndarray


@dataclass(frozen=True, eq=False)
class DiscountedSolution:
    r"""Solution of a discounted MDP by one of the exact methods.

    Attributes
    ----------
    V : ndarray (S,)
        The value returned by the method (for value iteration the last iterate
        :math:`v_{n+1}`, within ``tol/2`` of :math:`V^*` in sup-norm).
    Q : ndarray (S, A)
        :math:`R + \gamma P V`, the one-step look-ahead of ``V``.
    policy : ndarray (S,), int64
        A greedy action of ``Q``: the lowest-index one for value iteration and
        the LP; policy iteration returns its final policy (greedy for ``Q``,
        keeping the previous action on ties).
    iterations : int
        Bellman updates (value iteration) or improvement steps (policy
        iteration); 0 for the linear programme.
    method : str
        ``"value_iteration"``, ``"policy_iteration"`` or ``"lp"``.
    residual : float
        :math:`\|TV - V\|_\infty` with :math:`T` the Bellman optimality operator;
        a posteriori :math:`\|V - V^*\|_\infty \le \text{residual}/(1-\gamma)`.
    """

    V: np.ndarray
    Q: np.ndarray
    policy: np.ndarray
    iterations: int
    method: str
    residual: float


@dataclass(frozen=True, eq=False)
class DiscountedPolicyValue:
    r"""Exact values of a stationary policy in a discounted MDP.

    Attributes
    ----------
    V : ndarray (S,)
        :math:`V^\pi = (I - \gamma P_\pi)^{-1} R_\pi`.
    Q : ndarray (S, A)
        :math:`Q^\pi = R + \gamma P V^\pi`.
    """

    V: np.ndarray
    Q: np.ndarray


__all__ = ["FiniteHorizonSolution", "PolicyValue", "ReturnVariance", "TotalVarianceIdentity",
           "OccupancyLPSolution", "DiscountedSolution", "DiscountedPolicyValue"]
