r"""Exact solvers for infinite-horizon discounted tabular MDPs.

Setting: states :math:`s \in \{0..S-1\}`, actions :math:`a \in \{0..A-1\}`,
transitions ``P[s, a, s'] = P(s' | s, a)`` (shape ``(S, A, S)``), mean rewards
``R[s, a]`` (shape ``(S, A)``, any finite reals) and discount
:math:`\gamma \in [0, 1)`.  The Bellman operators on :math:`v \in \mathbb R^S`
are

.. math::

    (T v)(s) = \max_a \Big\{ R(s,a) + \gamma \sum_{s'} P(s' \mid s,a)\, v(s') \Big\}, \qquad
    (T_\pi v)(s) = \sum_a \pi(a \mid s) \Big\{ R(s,a) + \gamma \sum_{s'} P(s' \mid s,a)\, v(s') \Big\},

both :math:`\gamma`-contractions in the sup-norm, with fixed points
:math:`V^*` and :math:`V^\pi = (I - \gamma P_\pi)^{-1} R_\pi`.

Methods (Puterman 1994, *Markov Decision Processes*, Chapter 6):

* :func:`value_iteration` -- :math:`v_{n+1} = T v_n` from :math:`v_0 = 0`, stopped by
  the sup-norm rule of Theorem 6.3.1 (never a span rule): stop at the first
  :math:`n` with :math:`\|v_{n+1} - v_n\|_\infty < \varepsilon (1-\gamma) / (2\gamma)`;
  then :math:`\|v_{n+1} - V^*\|_\infty < \varepsilon/2` and the greedy policy
  of :math:`v_{n+1}` is :math:`\varepsilon`-optimal.
* :func:`policy_iteration` -- Howard's algorithm (Section 6.4) with exact linear solves.
* :func:`lp_solve` -- the primal linear programme of Section 6.9.1, solved by HiGHS.

Also :func:`discounted_policy_evaluation` and the normalised discounted
occupancy measure :func:`discounted_occupancy`.
"""

from __future__ import annotations

import math

import numpy as np
import scipy.sparse as sp
from scipy.optimize import linprog

from .._errors import ValidationError
from .._validation import (as_float_array, check_distribution, check_int, check_policy,
                           check_shape)
from ..kernels.linalg import solve as _solve_kernel
from ..kernels.mdp import discounted_bellman_kernel, expected_next, value_iteration_kernel
from .results import DiscountedPolicyValue, DiscountedSolution, _readonly


def _solve(M, b) -> np.ndarray:
    """``x`` with ``M x = b`` by fixed-order Gaussian elimination (same bits on every CPU; no LAPACK)."""
    x = np.empty(M.shape[0])
    if not _solve_kernel(np.ascontiguousarray(M, dtype=np.float64), np.ascontiguousarray(b, dtype=np.float64), x):
        raise RuntimeError("singular linear system in exact policy evaluation")
    return x


def _expected(P, V) -> np.ndarray:
    """``(P V)[s, a] = sum_t P[s, a, t] V[t]`` in a fixed order (no BLAS)."""
    out = np.empty(P.shape[:2])
    expected_next(np.ascontiguousarray(P, dtype=np.float64), np.ascontiguousarray(V, dtype=np.float64), out)
    return out


def _check_gamma(gamma) -> float:
    try:
        g = float(gamma)
    except (TypeError, ValueError):
        raise ValidationError(f"gamma = {gamma!r} (rule: gamma must be a real number)") from None
    if not (0.0 <= g < 1.0):        # also rejects NaN
        raise ValidationError(f"gamma = {gamma!r} (rule: gamma must lie in [0, 1))")
    return g


def _check_P(P) -> np.ndarray:
    P = as_float_array(P, "P", ndim=3)
    S, A = P.shape[0], P.shape[1]
    if S < 1 or A < 1:
        raise ValidationError(f"P has shape {P.shape} (rule: S >= 1 and A >= 1)")
    check_shape(P, "P", (S, A, S))
    check_distribution(P, "P")
    return P


def _check_model(P, R, gamma):
    """Validated ``P (S,A,S)``, ``R (S,A)`` and ``gamma`` of a discounted MDP."""
    P = _check_P(P)
    R = as_float_array(R, "R", ndim=2)
    check_shape(R, "R", P.shape[:2])
    return P, R, _check_gamma(gamma)


def _stationary_policy(policy, S: int, A: int) -> np.ndarray:
    """A deterministic ``(S,)`` or stochastic ``(S, A)`` policy as a float ``(S, A)`` array."""
    pol = check_policy(policy, 1, S, A, stationary_only=True)[0]
    if pol.dtype == np.int64:
        onehot = np.zeros((S, A))
        onehot[np.arange(S), pol] = 1.0
        return onehot
    return pol


def _greedy(P, R, gamma, v):
    """``Q = R + gamma P v``, ``Tv`` and the lowest-index greedy policy."""
    S, A = R.shape
    Q = np.empty((S, A))
    Tv = np.empty(S)
    pi = np.empty(S, dtype=np.int64)
    discounted_bellman_kernel(P, R, gamma, v, Q, Tv, pi)
    return Q, Tv, pi


def _solution(P, R, gamma, V, method, iterations, policy=None) -> DiscountedSolution:
    Q, TV, greedy = _greedy(P, R, gamma, V)
    pi = greedy if policy is None else policy
    residual = float(np.max(np.abs(TV - V)))
    _readonly(V, Q, pi)
    return DiscountedSolution(V=V, Q=Q, policy=pi, iterations=int(iterations), method=method,
                              residual=residual)


def value_iteration(P, R, gamma: float, tol: float = 1e-10,
                    max_iter: int | None = None) -> DiscountedSolution:
    r"""Value iteration with the sup-norm stopping rule of Puterman (1994), Theorem 6.3.1.

    Iterates :math:`v_{n+1} = T v_n` from :math:`v_0 = 0` and stops at the first
    :math:`n` with

    .. math::

        \|v_{n+1} - v_n\|_\infty < \frac{\varepsilon (1 - \gamma)}{2 \gamma},
        \qquad \varepsilon = \texttt{tol}.

    Guarantee (Theorem 6.3.1): :math:`\|v_{n+1} - V^*\|_\infty < \varepsilon/2`,
    and the policy greedy with respect to :math:`v_{n+1}` is
    :math:`\varepsilon`-optimal, :math:`V^{\pi} \ge V^* - \varepsilon`.  The rule
    is sup-norm based on purpose: a span-based rule bounds
    :math:`V^* - v_n` only up to a constant shift.  For :math:`\gamma = 0` one
    update gives :math:`V^* = \max_a R(\cdot, a)` exactly.

    Parameters
    ----------
    P : array_like(float), shape (S, A, S)
        ``P[s, a, s']``; every row a probability vector.
    R : array_like(float), shape (S, A)
        Mean rewards.
    gamma : float in [0, 1)
    tol : float > 0
        :math:`\varepsilon` above; ``tol/2`` must be at least the floating-point
        resolution :math:`\epsilon_{\rm mach} \max|R| / (1-\gamma)` of
        :math:`V^*`.  The guarantee holds up to rounding: each floating-point
        update errs by a few ulps of :math:`\|V^*\|_\infty`, which can add up to
        about :math:`\epsilon_{\rm mach} \max|R| / (1-\gamma)^2`.
    max_iter : int, optional
        Cap on the number of updates; by default 100 more than the contraction
        bound :math:`\lceil \log(\text{threshold}/\max|R|) / \log\gamma \rceil + 1`.

    Returns
    -------
    DiscountedSolution
        ``V`` = :math:`v_{n+1}` (S,), ``Q`` = :math:`R + \gamma P v_{n+1}` (S, A),
        ``policy`` (S,) its greedy policy, ``iterations`` = :math:`n + 1`
        Bellman updates, ``residual`` :math:`\|T v_{n+1} - v_{n+1}\|_\infty`.
    """
    P, R, gamma = _check_model(P, R, gamma)
    tol = float(tol)
    if not (tol > 0 and math.isfinite(tol)):
        raise ValidationError(f"tol = {tol!r} (rule: tol must be a positive finite number)")
    S, A = R.shape
    rmax = float(np.max(np.abs(R)))
    resolution = np.finfo(np.float64).eps * rmax / (1.0 - gamma)
    if tol / 2 < resolution:
        raise ValidationError(
            f"tol = {tol:g} (rule: tol/2 must be at least the floating-point resolution "
            f"eps * max|R| / (1 - gamma) = {resolution:.3g} of V*)")
    threshold = math.inf if gamma == 0.0 else tol * (1.0 - gamma) / (2.0 * gamma)
    if max_iter is None:
        if gamma == 0.0 or rmax <= threshold:
            max_iter = 2
        else:
            max_iter = int(math.ceil(math.log(threshold / rmax) / math.log(gamma))) + 101
    else:
        max_iter = check_int(max_iter, "max_iter", minimum=1)
    v = np.zeros(S)
    Q = np.empty((S, A))
    pi = np.empty(S, dtype=np.int64)
    n = value_iteration_kernel(P, R, gamma, threshold, max_iter, v, Q, pi)
    if n < 0:
        raise RuntimeError(
            f"value iteration did not reach ||v_(n+1) - v_n|| < {threshold:.3g} in {max_iter} "
            "updates: increase max_iter, or tol if the iterates have stalled at the "
            "floating-point resolution of V*")
    return _solution(P, R, gamma, v, "value_iteration", n)


def _evaluate(P, R, gamma, pi_sa):
    """Exact ``V^pi = (I - gamma P_pi)^{-1} R_pi`` for a stochastic ``pi_sa (S, A)``."""
    S = R.shape[0]
    P_pi = np.einsum("sa,sat->st", pi_sa, P)
    R_pi = np.einsum("sa,sa->s", pi_sa, R)
    return _solve(np.eye(S) - gamma * P_pi, R_pi)


def discounted_policy_evaluation(P, R, gamma: float, policy) -> DiscountedPolicyValue:
    r"""Exact values of a stationary policy, :math:`V^\pi = (I - \gamma P_\pi)^{-1} R_\pi`.

    With :math:`P_\pi(s, s') = \sum_a \pi(a|s) P(s'|s,a)` and
    :math:`R_\pi(s) = \sum_a \pi(a|s) R(s,a)` (Puterman 1994, Theorem 6.1.1);
    one Gaussian elimination with partial pivoting in a fixed order (no LAPACK).

    Parameters
    ----------
    P : array_like(float), shape (S, A, S)
    R : array_like(float), shape (S, A)
    gamma : float in [0, 1)
    policy : array_like
        Deterministic int (S,) or stochastic float (S, A).

    Returns
    -------
    DiscountedPolicyValue
        ``V`` (S,) and ``Q = R + gamma P V`` (S, A).
    """
    P, R, gamma = _check_model(P, R, gamma)
    pi = _stationary_policy(policy, *R.shape)
    V = _evaluate(P, R, gamma, pi)
    Q = R + gamma * _expected(P, V)
    _readonly(V, Q)
    return DiscountedPolicyValue(V=V, Q=Q)


def policy_iteration(P, R, gamma: float, max_iter: int = 10_000) -> DiscountedSolution:
    r"""Howard's policy iteration with exact policy evaluation (Puterman 1994, Section 6.4).

    From the myopic policy :math:`\pi_0(s) \in \arg\max_a R(s,a)`, repeat

    1. evaluation: :math:`v_n = (I - \gamma P_{\pi_n})^{-1} R_{\pi_n}` (LU solve);
    2. improvement: :math:`\pi_{n+1}(s) \in \arg\max_a \{R(s,a) + \gamma (P v_n)(s,a)\}`,
       keeping :math:`\pi_{n+1}(s) = \pi_n(s)` when :math:`\pi_n(s)` attains the
       maximum (up to a relative rounding tolerance of ``1e-12``), which rules out
       cycling between tied actions;

    until :math:`\pi_{n+1} = \pi_n`; then :math:`v_n = V^*` and :math:`\pi_n` is
    optimal (Theorem 6.4.2).  Terminates in finitely many steps.

    Parameters
    ----------
    P : array_like(float), shape (S, A, S)
    R : array_like(float), shape (S, A)
    gamma : float in [0, 1)
    max_iter : int
        Cap on improvement steps (never reached in exact arithmetic).

    Returns
    -------
    DiscountedSolution
        ``V`` = :math:`V^{\pi_n}`, ``Q`` its look-ahead, ``policy`` = :math:`\pi_n`
        (the last policy, greedy for ``Q``), ``iterations`` = evaluations.
    """
    P, R, gamma = _check_model(P, R, gamma)
    max_iter = check_int(max_iter, "max_iter", minimum=1)
    S, A = R.shape
    states = np.arange(S)
    _, _, pi = _greedy(P, R, gamma, np.zeros(S))
    for n in range(1, max_iter + 1):
        onehot = np.zeros((S, A))
        onehot[states, pi] = 1.0
        v = _evaluate(P, R, gamma, onehot)
        Q, Tv, greedy = _greedy(P, R, gamma, v)
        tie_tol = 1e-12 * max(1.0, float(np.max(np.abs(Q))))
        keep = Q[states, pi] >= Tv - tie_tol
        new = np.where(keep, pi, greedy)
        if np.array_equal(new, pi):
            return _solution(P, R, gamma, v, "policy_iteration", n, policy=pi)
        pi = new
    raise RuntimeError(f"policy iteration did not terminate in {max_iter} improvement steps")


def lp_solve(P, R, gamma: float) -> DiscountedSolution:
    r"""Optimal values by the primal linear programme (Puterman 1994, Section 6.9.1).

    .. math::

        \min_{V \in \mathbb R^S} \sum_s V(s) \quad \text{s.t.} \quad
        V(s) \ge R(s,a) + \gamma \sum_{s'} P(s' \mid s,a)\, V(s') \quad \forall (s,a).

    Its unique solution is :math:`V^*` (any strictly positive weights in the
    objective give the same solution).  Solved with HiGHS
    (:func:`scipy.optimize.linprog`, ``method="highs"``, feasibility tolerances
    1e-10); the policy is the lowest-index greedy action of
    :math:`R + \gamma P V`.

    Parameters
    ----------
    P : array_like(float), shape (S, A, S)
    R : array_like(float), shape (S, A)
    gamma : float in [0, 1)

    Returns
    -------
    DiscountedSolution
        ``iterations`` is 0.
    """
    P, R, gamma = _check_model(P, R, gamma)
    S, A = R.shape
    # LP in linprog's form  min c^T V  s.t.  A_ub V <= b_ub,  V free:
    #   c = (1, ..., 1)
    #   row (s, a):  gamma * P[s, a, :] . V - V(s)  <=  -R(s, a)
    A_ub = sp.csr_matrix(gamma * P.reshape(S * A, S)) - sp.kron(
        sp.identity(S), np.ones((A, 1)), format="csr")
    res = linprog(np.ones(S), A_ub=A_ub, b_ub=-R.reshape(S * A), bounds=(None, None),
                  method="highs", options={"primal_feasibility_tolerance": 1e-10,
                                           "dual_feasibility_tolerance": 1e-10})
    if res.status != 0:
        raise RuntimeError(f"discounted LP failed: {res.message}")
    return _solution(P, R, gamma, np.array(res.x, dtype=np.float64), "lp", 0)


def discounted_occupancy(P, mu0, policy, gamma: float) -> np.ndarray:
    r"""Normalised discounted state-action occupancy measure.

    .. math::

        d^\pi(s,a) = (1-\gamma) \sum_{t \ge 0} \gamma^t \Pr^\pi(s_t = s, a_t = a \mid s_0 \sim \mu_0)
        = \rho(s)\, \pi(a \mid s), \qquad
        \rho^\top = (1-\gamma)\, \mu_0^\top (I - \gamma P_\pi)^{-1},

    a probability distribution on :math:`\mathcal S \times \mathcal A`
    (Rashidinejad et al. 2021, arXiv 2103.12021, eq. 5b).

    Parameters
    ----------
    P : array_like(float), shape (S, A, S)
    mu0 : array_like(float), shape (S,)
        Initial-state distribution.
    policy : array_like
        Deterministic int (S,) or stochastic float (S, A).
    gamma : float in [0, 1)

    Returns
    -------
    ndarray (S, A)
        Sums to 1.
    """
    P = _check_P(P)
    gamma = _check_gamma(gamma)
    S, A = P.shape[:2]
    mu0 = as_float_array(mu0, "mu0", ndim=1)
    check_shape(mu0, "mu0", (S,))
    check_distribution(mu0, "mu0")
    pi = _stationary_policy(policy, S, A)
    P_pi = np.einsum("sa,sat->st", pi, P)
    rho = _solve((np.eye(S) - gamma * P_pi).T, (1.0 - gamma) * mu0)
    return rho[:, None] * pi


__all__ = ["value_iteration", "policy_iteration", "lp_solve", "discounted_policy_evaluation",
           "discounted_occupancy"]
