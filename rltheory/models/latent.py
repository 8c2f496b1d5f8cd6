r"""Latent MDPs (LMDPs) with deterministic rewards and total reward at most 1.

Zhou, Wang & Du, "Horizon-Free and Variance-Dependent Reinforcement Learning
for Latent Markov Decision Processes", ICML 2023, arXiv 2210.11604, Section 3
("Problem Setup").

An LMDP is a finite collection :math:`\{\mathcal M_1, \dots, \mathcal M_M\}`
of MDPs sharing the state space (:math:`S` states), the action space
(:math:`A` actions) and the horizon :math:`H`.  Context :math:`m` has its own
initial distribution :math:`\nu_m`, stationary transition kernel
:math:`P_m(\cdot \mid s, a)` and **deterministic** reward
:math:`R_m(s, a) \in [0, 1]`; the contexts are mixed with weights
:math:`w_m > 0`, :math:`\sum_m w_m = 1`.  In an episode the context
:math:`m \sim w` is drawn and not shown, :math:`s_0 \sim \nu_m`, and for
:math:`h = 0, \dots, H-1` the agent sees :math:`s_h`, plays :math:`a_h`,
receives :math:`r_h = R_m(s_h, a_h)` and moves to
:math:`s_{h+1} \sim P_m(\cdot \mid s_h, a_h)` (steps are 0-based here).
Rewards are observed, so they may reveal the context.

Reward scale (the horizon-free setting, [V] from the ICLR 2023 footnote, [R] in
this exact form): for every context and every trajectory of positive
probability, :math:`\sum_h R_m(s_h, a_h) \le 1`.  It is checked exactly, per
context, by the worst-case dynamic programme of
:func:`rltheory.models.tabular.max_trajectory_return` over the support of
:math:`P_m` from the support of :math:`\nu_m`.

Arrays
------
``P[m, s, a, s']`` (M, S, A, S), ``R[m, s, a]`` (M, S, A), ``nu[m, s]`` (M, S),
``w[m]`` (M,).  The transition degree
:math:`\Gamma = \max_{m,s,a} |\operatorname{supp} P_m(\cdot \mid s, a)|`
(the paper's :math:`\Gamma`, with :math:`\Gamma \le S`) is the attribute
``Gamma``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from .._errors import ValidationError
from .._validation import as_float_array, check_distribution, check_int, check_range, check_shape
from .tabular import TabularMDP, check_total_reward

__all__ = ["LatentMDP", "to_tabular"]


def _freeze(a: np.ndarray) -> np.ndarray:
    a.setflags(write=False)
    return a


@dataclass(frozen=True, eq=False)
class LatentMDP:
    r"""An immutable, validated latent MDP (total reward at most 1, deterministic rewards).

    Parameters
    ----------
    P : array_like(float), shape (M, S, A, S)
        ``P[m, s, a]`` is the law of the next state in context ``m``; every
        row must be a probability vector (sum 1 within 1e-8, entries >= 0).
    R : array_like(float), shape (M, S, A)
        Deterministic rewards in :math:`[0, 1]`.
    nu : array_like(float), shape (M, S)
        Initial distributions, one per context.
    w : array_like(float), shape (M,)
        Mixing weights, each :math:`> 0`, summing to 1.
    H : int, >= 1
        Horizon.
    name : str
        A label (shown in ``repr``).

    Attributes
    ----------
    M, S, A, H : int
    P, R, nu, w : read-only float64 arrays as above.
    Gamma : int
        Maximum transition degree :math:`\max_{m,s,a} |\mathrm{supp}\,P_m(\cdot|s,a)|`.

    Raises
    ------
    rltheory.ValidationError
        Wrong shapes, NaN/inf, negative or non-normalised probabilities,
        a weight :math:`\le 0`, rewards outside :math:`[0, 1]`, or a
        trajectory of some context collecting total reward :math:`> 1`; the
        message names the array, the index and the rule.

    Examples
    --------
    Two contexts told apart by the start state; action 1 pays 1 in context 0,
    action 0 pays 1 in context 1, once (then an absorbing state pays nothing).

    >>> import numpy as np
    >>> from rltheory.models import LatentMDP
    >>> P = np.zeros((2, 3, 2, 3)); P[:, :, :, 2] = 1.0
    >>> R = np.zeros((2, 3, 2)); R[0, 0, 1] = 1.0; R[1, 1, 0] = 1.0
    >>> L = LatentMDP(P, R, nu=[[1, 0, 0], [0, 1, 0]], w=[0.5, 0.5], H=3)
    >>> (L.M, L.S, L.A, L.H, L.Gamma)
    (2, 3, 2, 3, 1)
    >>> R[0, 2, 0] = 1.0
    >>> LatentMDP(P, R, nu=[[1, 0, 0], [0, 1, 0]], w=[0.5, 0.5], H=3)
    Traceback (most recent call last):
    ...
    rltheory._errors.ValidationError: R[0]: a trajectory from state 0 collects total reward 3 (rule: total reward <= 1 on every trajectory of every context)
    """

    P: np.ndarray
    R: np.ndarray
    nu: np.ndarray
    w: np.ndarray
    H: int
    name: str = ""
    M: int = field(init=False)
    S: int = field(init=False)
    A: int = field(init=False)
    Gamma: int = field(init=False)

    def __post_init__(self):
        set_ = object.__setattr__
        P = as_float_array(self.P, "P", ndim=4)
        R = as_float_array(self.R, "R", ndim=3)
        nu = as_float_array(self.nu, "nu", ndim=2)
        w = as_float_array(self.w, "w", ndim=1)
        H = check_int(self.H, "H", minimum=1)
        M, S, A = P.shape[0], P.shape[1], P.shape[2]
        if M < 1 or S < 1 or A < 1:
            raise ValidationError(f"P has shape {P.shape} (rule: M >= 1, S >= 1 and A >= 1)")
        check_shape(P, "P", (M, S, A, S))
        check_shape(R, "R", (M, S, A))
        check_shape(nu, "nu", (M, S))
        check_shape(w, "w", (M,))
        check_distribution(P, "P")
        check_distribution(nu, "nu")
        check_distribution(w, "w")
        if np.any(w <= 0):
            m = int(np.flatnonzero(w <= 0)[0])
            raise ValidationError(f"w[{m}] = {w[m]:.6g} (rule: mixing weights must be > 0)")
        check_range(R, "R", 0.0, 1.0, what="deterministic rewards")
        for m in range(M):
            check_total_reward(P[m][None], R[m][None], H, nu[m], f"R[{m}]",
                               "total reward <= 1 on every trajectory of every context")
        for nm, val in (("P", P), ("R", R), ("nu", nu), ("w", w)):
            set_(self, nm, _freeze(val))
        set_(self, "H", H)
        set_(self, "M", M)
        set_(self, "S", S)
        set_(self, "A", A)
        set_(self, "Gamma", int((P > 0).sum(axis=3).max()))

    def first_random_row(self) -> str | None:
        """``None`` when every row ``nu[m, :]`` and ``P[m, s, a, :]`` is a point mass (the LMDP is
        deterministic given its context), else a description of the first row that is not."""
        for nm, arr in (("nu", self.nu), ("P", self.P)):
            support = (arr > 0).sum(axis=-1)
            if np.any(support > 1):
                idx = tuple(int(i) for i in np.argwhere(support > 1)[0])
                return f"{nm}[{', '.join(map(str, idx))}, :] has {int(support[idx])} positive entries"
        return None

    def __repr__(self) -> str:
        nm = f"{self.name!r}, " if self.name else ""
        return (f"LatentMDP({nm}M={self.M}, S={self.S}, A={self.A}, H={self.H}, "
                f"Gamma={self.Gamma})")


def to_tabular(lmdp: LatentMDP, m: int) -> TabularMDP:
    r"""Context ``m`` of ``lmdp`` as a :class:`~rltheory.models.TabularMDP` (``reward_range="total"``).

    Its optimal value :math:`V^*_m(\nu_m)` is what an agent told the context
    would get; :math:`\sum_m w_m V^*_m(\nu_m)` bounds the LMDP optimum from
    above, with equality when the first observation reveals the context.
    """
    if not isinstance(lmdp, LatentMDP):
        raise ValidationError(f"lmdp is a {type(lmdp).__name__} (rule: a LatentMDP)")
    m = check_int(m, "m", minimum=0)
    if m >= lmdp.M:
        raise ValidationError(f"m = {m} (rule: 0 <= m < M = {lmdp.M})")
    return TabularMDP(lmdp.P[m], lmdp.R[m], lmdp.nu[m], H=lmdp.H, reward_range="total",
                      name=f"{lmdp.name or 'lmdp'}[context {m}]")
