r"""Finite-horizon tabular MDPs.

An episodic MDP :math:`M = (\mathcal S, \mathcal A, H, P, R, \mu_0)` with
:math:`S` states, :math:`A` actions and horizon :math:`H`; steps are indexed
:math:`h = 0, \dots, H-1`.  Following the rltheory conventions (see
``docs``/DESIGN):

* ``P[h, s, a, s']`` is the probability of moving to ``s'`` after action ``a``
  in state ``s`` at step ``h``.  A *stationary* model stores ``P[s, a, s']``
  (shape ``(S, A, S)``) and the same kernel is used at every step.
* ``R[h, s, a]`` is the mean reward; a stationary model may store ``R[s, a]``.
* ``mu0[s]`` is the initial-state distribution.

Reward normalisation is explicit (``reward_range``):

``"per_step"``
    every mean reward lies in :math:`[0, 1]`, so returns lie in :math:`[0, H]`
    (the setting of UCBVI, Azar, Osband & Munos 2017);
``"total"``
    rewards are non-negative and the total reward of **every** trajectory that
    starts in the support of :math:`\mu_0` is at most 1 (the horizon-free
    setting, e.g. Zhang, Ji & Du 2021; Zhang, Zhang & Gu 2023, arXiv 2303.10165).
    Checked exactly by a worst-case dynamic programme over the support of
    ``P``: :math:`W_h(s) = \max_a \{R_h(s,a) + \max_{s': P_h(s'|s,a)>0} W_{h+1}(s')\}`,
    and :math:`\max_{s: \mu_0(s)>0} W_0(s) \le 1` is required.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

import numpy as np

from .._errors import ValidationError
from .._validation import (PROB_ATOL, REWARD_ATOL, as_float_array, check_distribution,
                           check_int, check_range, check_shape)
from ..kernels.mdp import transpose_next

__all__ = ["TabularMDP", "max_trajectory_return", "REWARD_RANGES", "PROB_ATOL", "REWARD_ATOL"]

REWARD_RANGES = ("per_step", "total")


def _freeze(a: np.ndarray) -> np.ndarray:
    a.setflags(write=False)
    return a


def max_trajectory_return(P4: np.ndarray, R3: np.ndarray, H: int) -> np.ndarray:
    """Largest total reward over all trajectories, from each start state.

    Parameters
    ----------
    P4 : array (HP, S, A, S) with HP in {1, H}
    R3 : array (HR, S, A) with HR in {1, H}
    H : int

    Returns
    -------
    W0 : array (S,)
        :math:`W_0(s) = \\max` over all action sequences and all next states of
        positive probability of :math:`\\sum_h R_h(s_h, a_h)`.
    """
    S = P4.shape[1]
    W = np.zeros(S)
    for h in range(H - 1, -1, -1):
        Ph = P4[h if P4.shape[0] > 1 else 0]
        Rh = R3[h if R3.shape[0] > 1 else 0]
        # max over reachable successors of W (positive-probability support)
        nxt = np.where(Ph > 0, W[None, None, :], -np.inf).max(axis=2)
        W = (Rh + nxt).max(axis=1)
    return W


def check_total_reward(P4: np.ndarray, R3: np.ndarray, H: int, mu0: np.ndarray, name: str, rule: str) -> None:
    """Require total reward at most 1 on every trajectory from a start state of ``mu0`` (exact, by
    :func:`max_trajectory_return`); the error names the array ``name`` and the worst start state."""
    W = max_trajectory_return(P4, R3, H)
    start = np.flatnonzero(mu0 > 0)
    worst = int(start[np.argmax(W[start])])
    if W[worst] > 1.0 + 1e-9:
        raise ValidationError(f"{name}: a trajectory from state {worst} collects total reward {W[worst]:.6g} "
                              f"(rule: {rule})")


@dataclass(frozen=True, eq=False)
class TabularMDP:
    """An immutable, validated finite-horizon tabular MDP.

    Parameters
    ----------
    P : array_like(float), shape (S, A, S) or (H, S, A, S)
        Transition kernel, stationary or step-dependent.  Every row
        ``P[..., s, a, :]`` must be a probability vector (non-negative, summing
        to 1 within :data:`rltheory._validation.PROB_ATOL` = 1e-8).
    R : array_like(float), shape (S, A) or (H, S, A)
        Mean rewards.
    mu0 : array_like(float), shape (S,)
        Initial-state distribution.
    H : int, optional
        Horizon.  Required when both ``P`` and ``R`` are stationary; otherwise
        inferred and, if given, checked against the arrays.
    reward_range : {"per_step", "total"}
        Reward normalisation, see the module docstring.

    Attributes
    ----------
    H, S, A : int
    P, R, mu0 : read-only float64 arrays as given (stationary arrays keep their shape).
    P4 : read-only view of shape (HP, S, A, S), HP in {1, H} (what kernels take).
    R3 : read-only view of shape (HR, S, A), HR in {1, H}.
    PT : read-only float64 array (S, S*A) or None
        The transposed stationary kernel, ``PT[s', s*A + a] = P[s, a, s']``,
        computed on first use and kept (``None`` for a step-dependent ``P``).
        Solvers pass it to their kernels, so repeated solves on one model do
        not transpose ``P`` again; the sums are the same bits either way.

    Raises
    ------
    rltheory.ValidationError
        For wrong shapes, NaN/inf, negative probabilities, rows not summing to
        1, rewards outside the declared range, ``H < 1`` or ``mu0`` not a
        distribution.  The message names the array, the index and the rule.

    Examples
    --------
    A two-state chain: action 1 moves right, state 1 pays 1 per step; over
    ``H = 3`` steps from state 0 the best return is 2.

    >>> import numpy as np
    >>> from rltheory.models import TabularMDP
    >>> P = np.zeros((2, 2, 2))
    >>> P[0, 0, 0] = P[0, 1, 1] = P[1, :, 1] = 1.0
    >>> M = TabularMDP(P, R=[[0.0, 0.0], [1.0, 1.0]], mu0=[1.0, 0.0], H=3)
    >>> (M.H, M.S, M.A, M.P4.shape)
    (3, 2, 2, (1, 2, 2, 2))
    >>> TabularMDP(P, R=[[0.0, 0.0], [1.0, 2.0]], mu0=[1.0, 0.0], H=3)
    Traceback (most recent call last):
    ...
    rltheory._errors.ValidationError: R[1, 1] = 2 (rule: per-step rewards must lie in [0, 1])
    """

    P: np.ndarray
    R: np.ndarray
    mu0: np.ndarray
    H: int | None = None
    reward_range: str = "per_step"
    name: str = ""
    S: int = field(init=False)
    A: int = field(init=False)
    P4: np.ndarray = field(init=False, repr=False)
    R3: np.ndarray = field(init=False, repr=False)

    def __post_init__(self):
        set_ = object.__setattr__
        P = as_float_array(self.P, "P", ndim=(3, 4))
        R = as_float_array(self.R, "R", ndim=(2, 3))
        mu0 = as_float_array(self.mu0, "mu0", ndim=1)
        H = self.H
        if H is not None:
            H = check_int(H, "H", minimum=1)
        step_H = [x.shape[0] for x, nd in ((P, 4), (R, 3)) if x.ndim == nd]
        if H is None:
            if not step_H:
                raise ValidationError("H is None but P and R are both stationary "
                                      "(rule: give H for a stationary model)")
            H = step_H[0]
            if H < 1:
                raise ValidationError(f"H = {H} (rule: H must be >= 1)")
        for x, nm, nd in ((P, "P", 4), (R, "R", 3)):
            if x.ndim == nd and x.shape[0] != H:
                raise ValidationError(f"{nm} has shape {x.shape} but H = {H} "
                                      f"(rule: the leading axis of a step-dependent {nm} is H)")
        P4 = P if P.ndim == 4 else P[None]
        S, A = P4.shape[1], P4.shape[2]
        if S < 1 or A < 1:
            raise ValidationError(f"P has shape {P.shape} (rule: S >= 1 and A >= 1)")
        check_shape(P, "P", (H, S, A, S) if P.ndim == 4 else (S, A, S))
        R3 = R if R.ndim == 3 else R[None]
        check_shape(R, "R", (H, S, A) if R.ndim == 3 else (S, A))
        check_shape(mu0, "mu0", (S,))
        check_distribution(P, "P")
        check_distribution(mu0, "mu0")
        if self.reward_range not in REWARD_RANGES:
            raise ValidationError(f"reward_range = {self.reward_range!r} "
                                  f"(rule: one of {REWARD_RANGES})")
        if self.reward_range == "per_step":
            check_range(R, "R", 0.0, 1.0, what="per-step rewards")
        else:
            check_range(R, "R", 0.0, 1.0, what="rewards of a total-reward model")
            check_total_reward(P4, R3, H, mu0, "R", "total reward <= 1 on every trajectory, reward_range='total'")
        for nm, val in (("P", P), ("R", R), ("mu0", mu0)):
            set_(self, nm, _freeze(val))
        set_(self, "H", H)
        set_(self, "S", S)
        set_(self, "A", A)
        set_(self, "P4", _freeze(P4.view()))
        set_(self, "R3", _freeze(R3.view()))

    @cached_property
    def PT(self) -> np.ndarray | None:
        """Transposed stationary kernel ``(S, S*A)``, ``PT[s', s*A + a] = P[s, a, s']`` (lazy, read-only).

        ``None`` when ``P`` is step-dependent.  Memory: as much as ``P``.
        """
        if self.P4.shape[0] != 1:
            return None
        return _freeze(transpose_next(self.P4[0]))

    def __getstate__(self):
        state = dict(self.__dict__)
        state.pop("PT", None)          # a cache: recomputed on first use after unpickling
        return state

    @property
    def stationary(self) -> bool:
        """True when ``P`` and ``R`` do not depend on the step."""
        return self.P.ndim == 3 and self.R.ndim == 2

    @property
    def max_return(self) -> float:
        """Upper bound on the return: ``H`` for per-step rewards, 1 for total-reward models."""
        return float(self.H) if self.reward_range == "per_step" else 1.0

    def P_at(self, h: int) -> np.ndarray:
        """Transition kernel ``(S, A, S)`` used at step ``h``."""
        return self.P4[h if self.P4.shape[0] > 1 else 0]

    def R_at(self, h: int) -> np.ndarray:
        """Mean rewards ``(S, A)`` at step ``h``."""
        return self.R3[h if self.R3.shape[0] > 1 else 0]

    def with_rewards(self, R, reward_range: str | None = None) -> "TabularMDP":
        """The same dynamics with another reward function (reward-free exploration)."""
        return TabularMDP(self.P, R, self.mu0, H=self.H,
                          reward_range=reward_range or self.reward_range, name=self.name)

    def __repr__(self) -> str:
        kind = "stationary" if self.stationary else "step-dependent"
        nm = f"{self.name!r}, " if self.name else ""
        return (f"TabularMDP({nm}H={self.H}, S={self.S}, A={self.A}, {kind}, "
                f"reward_range={self.reward_range!r})")
