r"""Instance-dependent hardness quantities of tabular MDPs.

The quantities that appear in instance-dependent regret and sample-complexity
bounds, computed exactly from the model:

* suboptimality gaps :math:`\Delta_h(s,a) = V^*_h(s) - Q^*_h(s,a)` and their
  smallest positive value (Simchowitz & Jamieson 2019, *Non-asymptotic
  gap-dependent regret bounds for tabular MDPs*, arXiv 1905.03814);
* the maximum transition degree
  :math:`\Gamma = \max_{h,s,a} |\mathrm{supp}\, P_h(\cdot \mid s,a)|`
  (Zhou, Wang & Du 2023, arXiv 2210.11604, where :math:`\Gamma` multiplies the
  regret of horizon-free LMDP learning);
* the smallest positive state visitation probability of an (optimal) policy;
* single-policy concentrability :math:`C^\pi` of a data distribution
  (Rashidinejad, Zhu, Ma, Jiao & Russell 2021, arXiv 2103.12021, Definition 1
  and, for episodic MDPs, eqs. 78 and 80), finite-horizon and discounted.
"""

from __future__ import annotations

import numpy as np

from .._errors import ValidationError
from .._validation import as_float_array, check_distribution, check_shape, check_tolerance
from ..models.tabular import TabularMDP
from .discounted import discounted_occupancy
from .finite_horizon import _check_mdp, backward_induction, occupancy

#: Relative tie tolerance: gaps at or below ``GAP_ATOL * mdp.max_return`` count as zero.
GAP_ATOL = 1e-12


def optimality_gaps(mdp: TabularMDP) -> np.ndarray:
    r"""Suboptimality gaps :math:`\Delta_h(s,a) = V^*_h(s) - Q^*_h(s,a) \ge 0`.

    Parameters
    ----------
    mdp : TabularMDP

    Returns
    -------
    ndarray (H, S, A)
        Zero at every optimal action (exactly, since :math:`V^*_h(s)` is one of
        the :math:`Q^*_h(s,\cdot)`).
    """
    sol = backward_induction(mdp)
    return sol.V[:-1, :, None] - sol.Q


def min_positive_gap(mdp: TabularMDP, atol: float | None = None) -> float:
    r"""Smallest positive gap :math:`\mathrm{gap}_{\min} = \min\{\Delta_h(s,a) : \Delta_h(s,a) > 0\}`.

    Over all steps, states and actions, reachable or not (as in Simchowitz &
    Jamieson 2019, arXiv 1905.03814).  Gaps are differences of floating-point
    values, so gaps :math:`\le` ``atol`` count as ties (zero).

    Parameters
    ----------
    mdp : TabularMDP
    atol : float, optional
        Tie tolerance; default :data:`GAP_ATOL` times ``mdp.max_return``.

    Returns
    -------
    float
        ``inf`` when every action is optimal everywhere.
    """
    gaps = optimality_gaps(mdp)
    tol = GAP_ATOL * mdp.max_return if atol is None else check_tolerance(atol, "atol")
    pos = gaps[gaps > tol]
    return float(pos.min()) if pos.size else float("inf")


def max_transition_degree(mdp: TabularMDP) -> int:
    r"""Maximum transition degree :math:`\Gamma = \max_{h,s,a} \#\{s' : P_h(s' \mid s,a) > 0\}`.

    (Zhou, Wang & Du 2023, arXiv 2210.11604; :math:`1 \le \Gamma \le S`.)

    Parameters
    ----------
    mdp : TabularMDP

    Returns
    -------
    int
    """
    _check_mdp(mdp)
    return int((mdp.P4 > 0).sum(axis=-1).max())


def min_positive_visitation(mdp: TabularMDP, policy=None) -> float:
    r"""Smallest positive state visitation probability of a policy.

    .. math::

        \min \{ d^\pi_h(s) : h < H,\ s \in \mathcal S,\ d^\pi_h(s) > 0 \},
        \qquad d^\pi_h(s) = \Pr^\pi(s_h = s),

    where :math:`\pi` is by default the optimal policy returned by
    :func:`rltheory.solvers.backward_induction` (lowest-index ties).

    Parameters
    ----------
    mdp : TabularMDP
    policy : array_like, optional
        Any policy accepted by :func:`rltheory.solvers.policy_evaluation`.

    Returns
    -------
    float
    """
    if policy is None:
        policy = backward_induction(mdp).policy
    ds = occupancy(mdp, policy).sum(axis=2)
    return float(ds[ds > 0].min())


def _ratio_max(d: np.ndarray, mu: np.ndarray) -> float:
    """max of d/mu over entries with d > 0; inf if some d > 0 has mu = 0."""
    pos = d > 0
    if np.any(pos & (mu <= 0)):
        return float("inf")
    if not pos.any():
        return 0.0
    return float(np.max(d[pos] / mu[pos]))


def concentrability(mdp: TabularMDP, policy, mu, normalisation: str = "per_step") -> float:
    r"""Single-policy concentrability of a data distribution :math:`\mu` for a policy :math:`\pi`.

    ``normalisation="per_step"`` (default): ``mu`` is a distribution over
    :math:`\mathcal S \times \mathcal A` at every step, :math:`\sum_{s,a} \mu_h(s,a) = 1`, and

    .. math::

        C^\pi = \max_{h,s,a} \frac{d^\pi_h(s,a)}{\mu_h(s,a)}, \qquad
        d^\pi_h(s,a) = \Pr^\pi(s_h = s, a_h = a).

    ``normalisation="layered"``: ``mu`` is one distribution over the layered
    state-action space, :math:`\sum_{h,s,a} \mu(h,s,a) = 1`, and the occupancy
    is normalised over layers as in Rashidinejad et al. (2021, arXiv
    2103.12021, eqs. 78 and 80):

    .. math::

        C^\pi = \max_{h,s,a} \frac{\tfrac1H d^\pi_h(s,a)}{\mu(h,s,a)}.

    The two agree when :math:`\mu` gives every layer mass :math:`1/H`
    (:math:`\mu(h,\cdot) = \mu_h / H`).  Mixing them up, e.g. dividing
    per-step occupancies by a layer-normalised :math:`\mu`, is off by the
    factor :math:`H`.  In both cases :math:`C^\pi \ge 1`, :math:`C^\pi = 1` iff
    :math:`\mu` is :math:`\pi`'s own (normalised) occupancy, and
    :math:`C^\pi = \infty` when :math:`d^\pi > 0` somewhere :math:`\mu = 0`.
    Entries with :math:`d^\pi_h(s,a) = 0` do not count.

    Parameters
    ----------
    mdp : TabularMDP
    policy : array_like
        Any policy accepted by :func:`rltheory.solvers.policy_evaluation`; the
        comparator, typically :math:`\pi^*` (then :math:`C^\pi = C^*`).
    mu : array_like(float), shape (H, S, A)
        Data distribution, normalised as ``normalisation`` says.
    normalisation : {"per_step", "layered"}

    Returns
    -------
    float
    """
    _check_mdp(mdp)
    H, S, A = mdp.H, mdp.S, mdp.A
    mu = as_float_array(mu, "mu", ndim=3)
    check_shape(mu, "mu", (H, S, A))
    if normalisation == "per_step":
        check_distribution(mu.reshape(H, S * A), "mu.reshape(H, S*A)")
        scale = 1.0
    elif normalisation == "layered":
        check_distribution(mu.reshape(H * S * A), "mu.reshape(H*S*A)")
        scale = 1.0 / H
    else:
        raise ValidationError(f"normalisation = {normalisation!r} "
                              "(rule: one of 'per_step', 'layered')")
    d = occupancy(mdp, policy) * scale
    return _ratio_max(d, mu)


def discounted_concentrability(P, mu0, policy, gamma: float, mu) -> float:
    r"""Single-policy concentrability for a discounted MDP (Rashidinejad et al. 2021, Definition 1).

    .. math::

        C^\pi = \max_{s,a} \frac{d^\pi(s,a)}{\mu(s,a)}, \qquad
        d^\pi(s,a) = (1-\gamma) \sum_{t \ge 0} \gamma^t \Pr^\pi(s_t = s, a_t = a),

    with :math:`d^\pi` the normalised discounted occupancy
    (:func:`rltheory.solvers.discounted_occupancy`, arXiv 2103.12021 eq. 5b) and
    :math:`\mu` a distribution on :math:`\mathcal S \times \mathcal A`;
    :math:`\infty` when :math:`d^\pi > 0` where :math:`\mu = 0`.

    Parameters
    ----------
    P : array_like(float), shape (S, A, S)
    mu0 : array_like(float), shape (S,)
    policy : array_like
        Deterministic int (S,) or stochastic float (S, A).
    gamma : float in [0, 1)
    mu : array_like(float), shape (S, A)
        Data distribution, summing to 1.

    Returns
    -------
    float
    """
    d = discounted_occupancy(P, mu0, policy, gamma)
    mu = as_float_array(mu, "mu", ndim=2)
    check_shape(mu, "mu", d.shape)
    check_distribution(mu.reshape(-1), "mu.reshape(S*A)")
    return _ratio_max(d, mu)


__all__ = ["optimality_gaps", "min_positive_gap", "max_transition_degree",
           "min_positive_visitation", "concentrability", "discounted_concentrability",
           "GAP_ATOL"]
