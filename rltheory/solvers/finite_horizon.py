r"""Exact dynamic programming for finite-horizon tabular MDPs.

Setting: a :class:`rltheory.models.TabularMDP` with horizon :math:`H` (steps
:math:`h = 0, \dots, H-1`), transitions :math:`P_h(s' \mid s, a)`, mean rewards
:math:`R_h(s, a)` and initial distribution :math:`\mu_0`.  The return from
step :math:`h` is :math:`G_h = \sum_{t=h}^{H-1} R_t(s_t, a_t)`; rewards are the
mean-reward model, i.e. a deterministic function of :math:`(s, a)`.

Bellman equations (Puterman 1994, *Markov Decision Processes*, Section 4.5):

.. math::

    Q^\pi_h(s,a) = R_h(s,a) + \sum_{s'} P_h(s' \mid s,a)\, V^\pi_{h+1}(s'), \qquad
    V^\pi_h(s) = \sum_a \pi_h(a \mid s)\, Q^\pi_h(s,a), \qquad V^\pi_H = 0,

and with :math:`\max_a` in place of the average for the optimal values
:math:`Q^*, V^*` (backward induction).  Occupancy measures
:math:`d^\pi_h(s,a) = \Pr^\pi(s_h = s, a_h = a)` follow the forward recursion
:math:`d^\pi_0(s,a) = \mu_0(s)\pi_0(a|s)`,
:math:`d^\pi_{h+1}(s',a') = \pi_{h+1}(a'|s') \sum_{s,a} d^\pi_h(s,a) P_h(s'|s,a)`,
so that :math:`\sum_{h,s,a} d^\pi_h(s,a) R_h(s,a) = \sum_s \mu_0(s) V^\pi_0(s)`.

Variance of the return (law of total variance).  Let
:math:`\sigma^2_h(s,a) = \mathrm{Var}_{s' \sim P_h(\cdot|s,a)} V^\pi_{h+1}(s')` and
:math:`\nu_h(s) = \mathrm{Var}_{a \sim \pi_h(\cdot|s)} Q^\pi_h(s,a)`.  Conditioning
on :math:`(s_h, a_h)` and then on :math:`s_{h+1}` gives
:math:`\mathrm{Var}^\pi_h(s) = \sum_a \pi_h(a|s)[\sigma^2_h(s,a) + (P_h \mathrm{Var}^\pi_{h+1})(s,a)] + \nu_h(s)`,
and unrolling from :math:`s_0 \sim \mu_0`,

.. math::

    \mathrm{Var}^\pi(G_0) = E^\pi\Big[\sum_{h=0}^{H-1} \sigma^2_h(s_h,a_h)\Big]
      + E^\pi\Big[\sum_{h=0}^{H-1} \nu_h(s_h)\Big] + \mathrm{Var}_{s_0 \sim \mu_0} V^\pi_0(s_0).

The middle term vanishes for deterministic policies.  This is the identity
behind horizon-free analyses: Jin, Allen-Zhu, Bubeck & Jordan (2018,
arXiv 1807.03765), Lemma C.5; Azar, Osband & Munos (2017, arXiv 1703.05449);
Zhang, Ji & Du (2021, arXiv 2009.13503), where rewards are normalised so
that every return lies in [0, 1], hence the expected sum of the per-step
variances is at most :math:`\mathrm{Var}^\pi(G_0) \le 1/4` whatever :math:`H`.
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp
from scipy.optimize import linprog

from .._errors import ValidationError
from .._validation import check_policy
from ..models.tabular import TabularMDP
from ..kernels.mdp import (RULE_DETERMINISTIC, RULE_OPTIMAL, RULE_STOCHASTIC, TRANSPOSE_MIN_H,
                           TRANSPOSE_MIN_S, backward_pass, occupancy_kernel, one_hot_policy,
                           policy_value_deterministic, return_moments_kernel, row_dot)
from .results import (FiniteHorizonSolution, value_at, OccupancyLPSolution, PolicyValue, ReturnVariance,
                      TotalVarianceIdentity, _readonly)

__all__ = ["backward_induction", "policy_evaluation", "expected_return", "occupancy",
           "return_variance", "total_variance_identity", "occupancy_lp"]


def _check_mdp(mdp) -> None:
    if not isinstance(mdp, TabularMDP):
        raise ValidationError(f"mdp is a {type(mdp).__name__} "
                              "(rule: mdp must be an rltheory.models.TabularMDP)")


def _transposed(mdp: TabularMDP) -> np.ndarray:
    """The model's cached transposed kernel ``mdp.PT`` where it pays (stationary, ``S`` and ``H``
    large enough), else an empty ``(0, 0)`` array: the kernels then sum row by row, the same bits."""
    if mdp.P4.shape[0] != 1 or mdp.H < TRANSPOSE_MIN_H or mdp.S < TRANSPOSE_MIN_S:
        return np.empty((0, 0))
    return mdp.PT


def _backward(mdp: TabularMDP, rule: int, pi_det, pi_sto):
    """:func:`rltheory.kernels.mdp.backward_pass` on ``mdp``: returns ``Q (H, S, A)``, ``V (H+1, S)``."""
    Q = np.empty((mdp.H, mdp.S, mdp.A))
    V = np.empty((mdp.H + 1, mdp.S))
    backward_pass(mdp.P4, _transposed(mdp), mdp.R3, mdp.H, rule, pi_det, pi_sto, Q, V)
    return Q, V


def _stochastic(mdp: TabularMDP, policy, kind: str | None = None) -> np.ndarray:
    """Validated policy as a float64 ``(H, S, A)`` array (deterministic ones one-hot)."""
    pol = check_policy(policy, mdp.H, mdp.S, mdp.A, kind=kind)
    if pol.dtype == np.int64:
        pi = np.empty((mdp.H, mdp.S, mdp.A))
        one_hot_policy(pol, mdp.A, pi)
        return pi
    return pol


def backward_induction(mdp: TabularMDP) -> FiniteHorizonSolution:
    r"""Optimal values and an optimal deterministic policy by backward induction.

    .. math::

        V^*_H = 0, \quad
        Q^*_h(s,a) = R_h(s,a) + \sum_{s'} P_h(s' \mid s,a)\, V^*_{h+1}(s'), \quad
        V^*_h(s) = \max_a Q^*_h(s,a), \quad \pi^*_h(s) \in \arg\max_a Q^*_h(s,a)

    for :math:`h = H-1, \dots, 0` (Puterman 1994, Section 4.5, Theorem 4.5.1).
    Ties are broken towards the lowest action index.  Cost
    :math:`O(H S^2 A)`; the model was validated when it was built, so this
    wrapper only allocates the outputs and runs the Numba kernel.

    Parameters
    ----------
    mdp : TabularMDP

    Returns
    -------
    FiniteHorizonSolution
        ``Q`` (H, S, A), ``V`` (H+1, S), ``policy`` (H, S) int64, ``value`` = V*_0(mu0).

    Examples
    --------
    Two states; action 1 moves from state 0 to state 1, which pays 1 per step.
    With ``H = 3`` the best plan moves at once and collects 2:

    >>> import numpy as np
    >>> from rltheory.models import TabularMDP
    >>> from rltheory.solvers import backward_induction
    >>> P = np.zeros((2, 2, 2))
    >>> P[0, 0, 0] = P[0, 1, 1] = P[1, :, 1] = 1.0
    >>> sol = backward_induction(TabularMDP(P, [[0.0, 0.0], [1.0, 1.0]], [1.0, 0.0], H=3))
    >>> sol.value, sol.policy[0].tolist(), sol.V[:, 1].tolist()
    (2.0, [1, 0], [3.0, 2.0, 1.0, 0.0])
    """
    _check_mdp(mdp)
    pi = np.empty((mdp.H, mdp.S), dtype=np.int64)
    Q, V = _backward(mdp, RULE_OPTIMAL, pi, np.empty((0, 0, 0)))
    _readonly(Q, V, pi)
    return FiniteHorizonSolution(Q=Q, V=V, policy=pi, value=value_at(mdp.mu0, V[0]))


def policy_evaluation(mdp: TabularMDP, policy, kind: str | None = None) -> PolicyValue:
    r"""Exact values of a (possibly non-stationary) Markov policy.

    .. math::

        Q^\pi_h(s,a) = R_h(s,a) + \sum_{s'} P_h(s' \mid s,a)\, V^\pi_{h+1}(s'), \qquad
        V^\pi_h(s) = \sum_a \pi_h(a \mid s)\, Q^\pi_h(s,a), \qquad V^\pi_H = 0.

    Parameters
    ----------
    mdp : TabularMDP
    policy : array_like
        Deterministic: integer array (H, S) of actions (or (S,), used at every
        step).  Stochastic: float array (H, S, A) of action probabilities (or
        (S, A)).
    kind : {None, "deterministic", "stochastic"}
        Read off the dtype by default; a float array of whole numbers whose
        shape is both (H, S) and (S, A) is ambiguous and needs ``kind``.

    Returns
    -------
    PolicyValue
        ``Q`` (H, S, A) and ``V`` (H+1, S).

    Raises
    ------
    rltheory.ValidationError
        If ``policy`` has the wrong shape, an action outside ``0..A-1`` or rows
        that are not probability vectors.
    """
    _check_mdp(mdp)
    pol = check_policy(policy, mdp.H, mdp.S, mdp.A, kind=kind)
    if pol.dtype == np.int64:
        Q, V = _backward(mdp, RULE_DETERMINISTIC, np.array(pol), np.empty((0, 0, 0)))
    else:
        Q, V = _backward(mdp, RULE_STOCHASTIC, np.empty((0, 0), dtype=np.int64), pol)
    _readonly(Q, V)
    return PolicyValue(Q=Q, V=V, value=value_at(mdp.mu0, V[0]))


def expected_return(mdp: TabularMDP, policy, kind: str | None = None) -> float:
    r"""The value of a policy from the initial distribution, :math:`J(\pi) = \sum_s \mu_0(s) V^\pi_0(s)`.

    Parameters
    ----------
    mdp, policy, kind
        As in :func:`policy_evaluation`.

    Returns
    -------
    float
    """
    _check_mdp(mdp)
    pol = check_policy(policy, mdp.H, mdp.S, mdp.A, kind=kind)
    if pol.dtype == np.int64:
        return float(policy_value_deterministic(mdp.P4, mdp.R3, mdp.H, pol, mdp.mu0,
                                                np.empty((2, mdp.S))))
    _, V = _backward(mdp, RULE_STOCHASTIC, np.empty((0, 0), dtype=np.int64), pol)
    return float(row_dot(mdp.mu0, V[0]))


def occupancy(mdp: TabularMDP, policy, kind: str | None = None) -> np.ndarray:
    r"""State-action occupancy measure :math:`d^\pi_h(s,a) = \Pr^\pi(s_h = s, a_h = a)`.

    Forward recursion from :math:`s_0 \sim \mu_0`:

    .. math::

        d^\pi_0(s,a) = \mu_0(s)\, \pi_0(a \mid s), \qquad
        d^\pi_{h+1}(s',a') = \pi_{h+1}(a' \mid s') \sum_{s,a} d^\pi_h(s,a)\, P_h(s' \mid s,a).

    Parameters
    ----------
    mdp, policy, kind
        As in :func:`policy_evaluation`.

    Returns
    -------
    ndarray (H, S, A)
        Each ``d[h]`` sums to 1 (up to rounding), and
        ``(d * R).sum() == mu0 @ V^pi_0``.
    """
    _check_mdp(mdp)
    pi = _stochastic(mdp, policy, kind)
    d = np.empty((mdp.H, mdp.S, mdp.A))
    occupancy_kernel(mdp.P4, mdp.H, pi, mdp.mu0, d)
    return d


def return_variance(mdp: TabularMDP, policy, kind: str | None = None) -> ReturnVariance:
    r"""Variance of the return of a policy, from every step and state.

    The second moment :math:`M_h(s) = E^\pi[G_h^2 \mid s_h = s]` is computed by
    the backward recursion (rewards are deterministic given :math:`(s,a)`)

    .. math::

        M_H = 0, \qquad
        M_h(s) = \sum_a \pi_h(a|s) \Big[ R_h(s,a)^2 + 2 R_h(s,a) (P_h V^\pi_{h+1})(s,a)
                 + (P_h M_{h+1})(s,a) \Big],

    and :math:`\mathrm{Var}^\pi_h(s) = M_h(s) - V^\pi_h(s)^2`.  Alongside, the
    per-step conditional variances

    .. math::

        \sigma^2_h(s,a) = \mathrm{Var}_{s' \sim P_h(\cdot|s,a)} V^\pi_{h+1}(s')
            = \sum_{s'} P_h(s'|s,a) \big(V^\pi_{h+1}(s') - (P_h V^\pi_{h+1})(s,a)\big)^2

    and the action variances
    :math:`\nu_h(s) = \sum_a \pi_h(a|s) (Q^\pi_h(s,a) - V^\pi_h(s))^2`, the terms
    of the law of total variance (see :func:`total_variance_identity`, and
    Jin et al. 2018, arXiv 1807.03765, Lemma C.5; Zhang, Ji & Du 2021,
    arXiv 2009.13503).

    Parameters
    ----------
    mdp, policy, kind
        As in :func:`policy_evaluation`.

    Returns
    -------
    ReturnVariance
        ``Q`` (H, S, A), ``V`` (H+1, S), ``second_moment`` (H+1, S), ``var``
        (H+1, S), ``sigma2`` (H, S, A), ``action_var`` (H, S).

    Notes
    -----
    ``M - V**2`` cancels: its absolute rounding error is about
    ``1e-16 * max_return**2``; negative residues are clipped to 0.
    """
    _check_mdp(mdp)
    H, S, A = mdp.H, mdp.S, mdp.A
    pi = _stochastic(mdp, policy, kind)
    Q = np.empty((H, S, A))
    V = np.empty((H + 1, S))
    M = np.empty((H + 1, S))
    sigma2 = np.empty((H, S, A))
    action_var = np.empty((H, S))
    return_moments_kernel(mdp.P4, mdp.R3, H, pi, Q, V, M, sigma2, action_var)
    var = np.maximum(M - V * V, 0.0)
    _readonly(Q, V, M, var, sigma2, action_var)
    return ReturnVariance(Q=Q, V=V, second_moment=M, var=var, sigma2=sigma2,
                          action_var=action_var)


def total_variance_identity(mdp: TabularMDP, policy, kind: str | None = None) -> TotalVarianceIdentity:
    r"""Both sides of the law of total variance for the return from :math:`s_0 \sim \mu_0`.

    .. math::

        \mathrm{Var}^\pi(G_0)
        = \sum_{h,s,a} d^\pi_h(s,a)\, \sigma^2_h(s,a)
        + \sum_{h,s} d^\pi_h(s)\, \mathrm{Var}_{a \sim \pi_h(\cdot|s)} Q^\pi_h(s,a)
        + \mathrm{Var}_{s_0 \sim \mu_0} V^\pi_0(s_0),

    with :math:`G_0 = \sum_{h=0}^{H-1} R_h(s_h,a_h)`, :math:`d^\pi` the occupancy
    measure and :math:`\sigma^2_h(s,a) = \mathrm{Var}_{s'\sim P_h(\cdot|s,a)} V^\pi_{h+1}(s')`.
    The left side comes from the second-moment recursion of
    :func:`return_variance` (:math:`\sum_s \mu_0(s) M_0(s) - J(\pi)^2`), the right
    side from the forward occupancy measure, so the two are computed along
    independent routes.  The action term is zero for deterministic policies,
    where the identity reads
    :math:`\mathrm{Var}^\pi(G_0) = E^\pi[\sum_h \sigma^2_h(s_h,a_h)] + \mathrm{Var}_{\mu_0} V^\pi_0`
    (the references of :func:`return_variance`).  Arguments as in :func:`return_variance`.

    Returns
    -------
    TotalVarianceIdentity
        ``lhs``, ``rhs`` and the three terms of the right side.
    """
    rv = return_variance(mdp, policy, kind)
    d = occupancy(mdp, policy, kind)
    mu0 = mdp.mu0
    J = float(row_dot(mu0, rv.V[0]))
    lhs = float(row_dot(mu0, rv.second_moment[0])) - J * J
    transition = float(np.sum(d * rv.sigma2))
    action = float(np.sum(d.sum(axis=2) * rv.action_var))
    initial = float(row_dot(mu0, (rv.V[0] - J) ** 2))
    return TotalVarianceIdentity(lhs=lhs, rhs=transition + action + initial,
                                 transition_term=transition, action_term=action,
                                 initial_term=initial)


def occupancy_lp(mdp: TabularMDP) -> OccupancyLPSolution:
    r"""Optimal value by the occupancy-measure linear programme (an independent check).

    .. math::

        \max_{d \ge 0} \sum_{h,s,a} d_h(s,a) R_h(s,a) \quad \text{s.t.} \quad
        \sum_a d_0(s,a) = \mu_0(s), \qquad
        \sum_a d_{h+1}(s',a) = \sum_{s,a} P_h(s' \mid s,a)\, d_h(s,a)
        \quad (h = 0..H-2,\ s' \in \mathcal S).

    The feasible set is exactly the set of occupancy measures of Markov
    policies (Puterman 1994, Section 6.9, for the discounted analogue), so the
    optimum equals :math:`\sum_s \mu_0(s) V^*_0(s)`.  Solved with HiGHS via
    :func:`scipy.optimize.linprog`; meant for small instances.

    Parameters
    ----------
    mdp : TabularMDP

    Returns
    -------
    OccupancyLPSolution
        ``value`` and an optimal ``occupancy`` (H, S, A).
    """
    _check_mdp(mdp)
    H, S, A = mdp.H, mdp.S, mdp.A
    n = H * S * A
    # Variables x[(h*S + s)*A + a] = d_h(s, a).
    # LP:  minimise  -sum_{h,s,a} R_h(s,a) d_h(s,a)
    #      s.t.      sum_a d_0(s,a)                                   = mu0(s)   (rows 0..S-1)
    #                sum_a d_{h+1}(s',a) - sum_{s,a} P_h(s'|s,a) d_h(s,a) = 0    (rows (h+1)*S + s')
    #                d >= 0
    c = -np.broadcast_to(mdp.R3, (H, S, A)).reshape(n)
    marginal = sp.kron(sp.identity(S), np.ones((1, A)))       # (S, S*A): sum over a
    grid = [[None] * H for _ in range(H)]
    for h in range(H):
        grid[h][h] = marginal
        if h + 1 < H:
            grid[h + 1][h] = sp.csr_matrix(-mdp.P_at(h).reshape(S * A, S).T)  # -P_h^T
    A_eq = sp.bmat(grid, format="csr")
    b_eq = np.zeros(H * S)
    b_eq[:S] = mdp.mu0
    res = linprog(c, A_eq=A_eq, b_eq=b_eq, bounds=(0, None), method="highs",
                  options={"primal_feasibility_tolerance": 1e-10,
                           "dual_feasibility_tolerance": 1e-10})
    if res.status != 0:
        raise RuntimeError(f"occupancy LP failed: {res.message}")
    d = res.x.reshape(H, S, A)
    _readonly(d)
    return OccupancyLPSolution(value=-float(res.fun), occupancy=d)
