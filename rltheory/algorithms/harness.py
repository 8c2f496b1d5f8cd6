r"""The result of running a learner for :math:`K` episodes on a known instance.

Learners expose, before each episode :math:`k`, the policy :math:`\pi_k` they
will play; the harness evaluates it exactly on the true MDP, so the
*expected* regret of the episode,

.. math:: \Delta_k = \sum_s \mu_0(s)\,\bigl(V^*_0(s) - V^{\pi_k}_0(s)\bigr),

is recorded without Monte Carlo error, beside the realised return
:math:`\sum_h r_{k,h}` of the sampled episode.  The cumulative regret is
:math:`\mathrm{Regret}(K) = \sum_{k \le K} \Delta_k`.  The evaluation is done by
:func:`rltheory.kernels.mdp.policy_value_deterministic` inside the
learners' Numba episode loops.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Mapping

import numpy as np

from .._errors import ValidationError
from ..fidelity import FIDELITY
from ..curves import geometric_steps

__all__ = ["LearnerRun"]



def _readonly(a: np.ndarray) -> np.ndarray:
    a.setflags(write=False)
    return a


@dataclass(frozen=True, eq=False)
class LearnerRun:
    """Per-episode record of one learner run (read-only arrays).

    Attributes
    ----------
    algorithm : str
        e.g. ``"ucbvi-ch"``, ``"ucbvi-bf"``, ``"greedy"``, ``"explore_then_commit"``.
    expected_regret : float64 array (K,)
        :math:`\\Delta_k = V^*(\\mu_0) - V^{\\pi_k}(\\mu_0)`, exact up to rounding
        (an optimal :math:`\\pi_k` may give :math:`\\pm 10^{-15}`-sized values).
    returns : float64 array (K,)
        Realised return of episode ``k``.
    v_star : float
        :math:`V^*(\\mu_0) = \\sum_s \\mu_0(s) V^*_0(s)`.
    params : Mapping
        The algorithm's parameters and derived constants (read-only).
    fidelity : {"verified", "partly", "reconstructed"}
        How closely the implementation is checked against the paper's text.
    policies : int64 array (K, H, S) or None
        The policy of each episode, when the learner was asked to record them
        (``-1`` marks episodes played by the uniformly random policy).
    final_policy : int64 array (H, S) or None
        The greedy policy the learner would play after its ``K``-th episode
        (planned on all ``K`` episodes' data; ``-1`` rows where it would play
        uniformly at random).  Every tabular learner fills it; ``None`` for
        learners without one.
    cumulative_regret : float64 array (K,)
        ``np.cumsum(expected_regret)`` (computed on construction).
    """

    algorithm: str
    expected_regret: np.ndarray
    returns: np.ndarray
    v_star: float
    params: Mapping = field(default_factory=dict)
    fidelity: str = "reconstructed"
    policies: np.ndarray | None = None
    final_policy: np.ndarray | None = None
    cumulative_regret: np.ndarray = field(init=False, repr=False)

    def __post_init__(self):
        set_ = object.__setattr__
        er = np.ascontiguousarray(self.expected_regret, dtype=np.float64)
        ret = np.ascontiguousarray(self.returns, dtype=np.float64)
        if er.ndim != 1 or ret.shape != er.shape:
            raise ValidationError(f"expected_regret {er.shape} and returns {ret.shape} "
                             "must be 1-D of the same length K")
        if self.fidelity not in FIDELITY:
            raise ValidationError(f"fidelity = {self.fidelity!r} (rule: one of {FIDELITY})")
        set_(self, "expected_regret", _readonly(er))
        set_(self, "returns", _readonly(ret))
        set_(self, "cumulative_regret", _readonly(np.cumsum(er)))
        set_(self, "v_star", float(self.v_star))
        set_(self, "params", MappingProxyType(dict(self.params)))
        for nm, ndim in (("policies", 3), ("final_policy", 2)):
            pol = getattr(self, nm)
            if pol is None:
                continue
            pol = np.ascontiguousarray(pol, dtype=np.int64)
            if pol.ndim != ndim:
                raise ValidationError(f"{nm} has shape {pol.shape} (rule: {ndim}-D int64)")
            set_(self, nm, _readonly(pol))

    @property
    def K(self) -> int:
        """Number of episodes."""
        return int(self.expected_regret.shape[0])

    def curve(self, per_decade: int = 10) -> tuple[np.ndarray, np.ndarray]:
        """Cumulative regret at :func:`rltheory.curves.geometric_steps` ``(K, per_decade)``.

        Returns
        -------
        steps : int64 array (n,)
            Episode counts ``1 <= k <= K`` (always including 1 and ``K``).
        regret : float64 array (n,)
            ``cumulative_regret[steps - 1]``, the regret after ``k`` episodes.
        """
        steps = geometric_steps(self.K, per_decade)
        return steps, self.cumulative_regret[steps - 1].copy()

    def average_regret(self, start: int = 0, stop: int | None = None) -> float:
        """Mean expected regret per episode over episodes ``start..stop-1`` (0-based)."""
        return float(np.mean(self.expected_regret[start:stop]))

    def __repr__(self) -> str:
        return (f"LearnerRun({self.algorithm!r}, K={self.K}, v_star={self.v_star:.6g}, "
                f"regret={self.cumulative_regret[-1]:.6g})")

