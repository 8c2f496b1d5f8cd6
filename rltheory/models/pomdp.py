r"""Episodic POMDPs with known observation-based rewards.

The setting of Chen, Wang, Xiong, Mei & Bai, "Lower Bounds for Learning in
Revealing POMDPs" (ICML 2023, arXiv 2302.01333), Section 2, which is the setup of
Chen, Bai & Mei (ICLR 2023, arXiv 2209.14990, Section 2):
:math:`M = (H, \mathcal S, \mathcal O, \mathcal A, \{T_h\}, \{O_h\}, \{r_h\}, \mu_1)`.

* Latent states :math:`s \in \{0..S-1\}`, observations :math:`o \in \{0..n_{obs}-1\}`,
  actions :math:`a \in \{0..A-1\}`; steps :math:`h = 0..H-1` (the paper writes 1..H).
* Dynamics at step h: the latent :math:`s_h` emits :math:`o_h \sim O_h(\cdot|s_h)`, the
  learner plays :math:`a_h` (a function of the history :math:`\tau_{h-1}, o_h`), receives
  :math:`r_h(o_h, a_h)` and :math:`s_{h+1} \sim T_h(\cdot|s_h, a_h)`.
* Rewards are a **known deterministic function of (observation, action)**; the total
  reward of every trajectory is at most 1 (``Σ_h r_h ≤ 1`` almost surely).

Array conventions (rows are conditioning variables):

``T``
    ``(S, A, S)`` (stationary) or ``(H, S, A, S)``; ``T[h, s, a, s'] = T_h(s'|s, a)``.
``O``
    ``(S, n_obs)`` (stationary) or ``(H, S, n_obs)``; **row** ``s`` is the observation law
    of latent state ``s``: ``O[h, s, o] = O_h(o|s)``.  The paper writes the emission matrix
    as :math:`\mathbb O_h \in \mathbb R^{O\times S}` with *columns* indexed by states, i.e.
    :math:`\mathbb O_h = O[h].T`.
``r``
    ``(H, n_obs, A)``, ``r[h, o, a] = r_h(o, a)`` in [0, 1].
``mu0``
    ``(S,)`` initial latent distribution :math:`\mu_1`.

Validation: shapes, finiteness, stochastic rows, rewards in [0, 1], and the total-reward
bound checked exactly by a worst-case dynamic programme over the supports,
:math:`W_h(s)=\max_{o: O_h(o|s)>0,\,a}\{r_h(o,a)+\max_{s': T_h(s'|s,a)>0}W_{h+1}(s')\}`,
:math:`\max_{s:\mu_0(s)>0}W_0(s)\le 1`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from .._errors import ValidationError
from .._validation import (REWARD_ATOL, as_float_array, check_distribution, check_int, check_range,
                           check_shape)

__all__ = ["POMDP", "max_pomdp_return"]


def _freeze(a: np.ndarray) -> np.ndarray:
    a.setflags(write=False)
    return a


def max_pomdp_return(T4: np.ndarray, O3: np.ndarray, r: np.ndarray, H: int) -> np.ndarray:
    """Largest total reward over all positive-probability trajectories, from each start state.

    ``T4 (HT, S, A, S)``, ``O3 (HO, S, n_obs)`` with ``HT, HO in {1, H}``; ``r (H, n_obs, A)``.
    Returns ``W_0 (S,)``.
    """
    S = T4.shape[1]
    W = np.zeros(S)
    for h in range(H - 1, -1, -1):
        Th = T4[h if T4.shape[0] > 1 else 0]
        Oh = O3[h if O3.shape[0] > 1 else 0]
        cont = np.where(Th > 0, W[None, None, :], -np.inf).max(axis=2)        # (S, A)
        val = np.where(Oh[:, :, None] > 0, r[h][None, :, :] + cont[:, None, :], -np.inf)
        W = val.max(axis=(1, 2))
    return W


@dataclass(frozen=True, eq=False)
class POMDP:
    r"""An episodic POMDP with observation-based rewards (arXiv 2302.01333, Section 2).

    Parameters
    ----------
    T : array_like (S, A, S) or (H, S, A, S)
        Latent transitions ``T[h, s, a, s'] = T_h(s'|s, a)``.
    O : array_like (S, n_obs) or (H, S, n_obs)
        Emissions, **one row per latent state**: ``O[h, s, o] = O_h(o|s)`` (the paper's
        :math:`\mathbb O_h` is ``O[h].T``, columns indexed by states).
    r : array_like (H, n_obs, A)
        Known rewards ``r[h, o, a]`` in [0, 1] with total reward at most 1 on every
        trajectory.
    mu0 : array_like (S,)
        Initial latent distribution.
    H : int
        Horizon.
    name : str

    Attributes
    ----------
    H, S, A, n_obs : int
    T, O : arrays as given (read-only copies)
    r : (H, n_obs, A); mu0 : (S,)
    T4 : (H, S, A, S) and O3 : (H, S, n_obs), step-indexed read-only views (broadcast when stationary)
    stationary : bool (both ``T`` and ``O`` step-independent)
    max_return : float, the largest total reward of a positive-probability trajectory (<= 1)

    Examples
    --------
    >>> import numpy as np
    >>> T = np.array([[[1.0, 0.0]], [[0.0, 1.0]]])          # (S=2, A=1, S=2): states persist
    >>> O = np.array([[0.75, 0.25], [0.25, 0.75]])           # row s = law of o given s
    >>> r = np.zeros((2, 2, 1)); r[1, 0, 0] = 1.0
    >>> m = POMDP(T, O, r, [0.5, 0.5], H=2)
    >>> (m.H, m.S, m.A, m.n_obs)
    (2, 2, 1, 2)
    """

    T: np.ndarray
    O: np.ndarray
    r: np.ndarray
    mu0: np.ndarray
    H: int
    name: str = "pomdp"
    S: int = field(init=False)
    A: int = field(init=False)
    n_obs: int = field(init=False)
    T4: np.ndarray = field(init=False, repr=False)
    O3: np.ndarray = field(init=False, repr=False)
    stationary: bool = field(init=False)
    max_return: float = field(init=False)

    def __post_init__(self):
        set_ = object.__setattr__
        H = check_int(self.H, "H", minimum=1)
        T = as_float_array(self.T, "T", ndim=(3, 4))
        O = as_float_array(self.O, "O", ndim=(2, 3))
        r = as_float_array(self.r, "r", ndim=3)
        mu0 = as_float_array(self.mu0, "mu0", ndim=1)
        S = T.shape[-1]
        if S < 1 or T.shape[-3] != S:
            raise ValidationError(f"T has shape {T.shape} (rule: (S, A, S) or (H, S, A, S), the same S twice)")
        if T.ndim == 4 and T.shape[0] != H:
            raise ValidationError(f"T has shape {T.shape} with H={H} (rule: a step-indexed T has shape (H, S, A, S))")
        A = T.shape[-2]
        if A < 1:
            raise ValidationError(f"T has shape {T.shape} (rule: at least one action)")
        if O.shape[-2] != S:
            raise ValidationError(f"O has shape {O.shape} with S={S} (rule: one row per latent state, "
                                  "(S, n_obs) or (H, S, n_obs); the paper's O_h is its transpose)")
        if O.ndim == 3 and O.shape[0] != H:
            raise ValidationError(f"O has shape {O.shape} with H={H} (rule: a step-indexed O has shape (H, S, n_obs))")
        n_obs = O.shape[-1]
        check_shape(r, "r", (H, n_obs, A))
        check_shape(mu0, "mu0", (S,))
        check_distribution(T, "T")
        check_distribution(O, "O")
        check_distribution(mu0, "mu0")
        check_range(r, "r", 0.0, 1.0, "rewards r[h, o, a]")
        T4 = T[None] if T.ndim == 3 else T
        O3 = O[None] if O.ndim == 2 else O
        W = max_pomdp_return(T4, O3, r, H)
        worst = float(W[mu0 > 0].max())
        if worst > 1.0 + REWARD_ATOL:
            s = int(np.argmax(np.where(mu0 > 0, W, -np.inf)))
            raise ValidationError(f"r allows a total reward of {worst:.6g} from start state {s} "
                                  "(rule: the total reward of every trajectory must be at most 1)")
        for nm, arr in (("T", T), ("O", O), ("r", r), ("mu0", mu0)):
            set_(self, nm, _freeze(arr))
        set_(self, "H", H)
        set_(self, "S", int(S))
        set_(self, "A", int(A))
        set_(self, "n_obs", int(n_obs))
        set_(self, "T4", _freeze(np.broadcast_to(T4, (H, S, A, S))))
        set_(self, "O3", _freeze(np.broadcast_to(O3, (H, S, n_obs))))
        set_(self, "stationary", bool(T.ndim == 3 and O.ndim == 2))
        set_(self, "max_return", worst)

    def __repr__(self) -> str:
        return f"POMDP({self.name!r}, H={self.H}, S={self.S}, A={self.A}, n_obs={self.n_obs})"
