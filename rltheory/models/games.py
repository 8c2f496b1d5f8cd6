r"""Finite-horizon general-sum Markov games (and normal-form games as their H = 1, S = 1 case).

A Markov game :math:`G = (\mathcal S, H, \{\mathcal A_i\}_{i \in [m]}, P, \{R_i\}, \mu_0)`
(Shapley 1953; finite-horizon general-sum form as in Foster, Golowich & Kakade,
*Hardness of Independent Learning and Sparse Equilibrium Computation in Markov
Games*, ICML 2023, arXiv 2303.12287, Section 1 of our specification):

* ``m`` players; player ``i`` has ``A_i`` actions; a joint action is
  :math:`a = (a_1, \dots, a_m)`;
* steps :math:`h = 0, \dots, H-1`; ``P[h, s, a_1, ..., a_m, s']`` is the
  probability of moving to ``s'`` after joint action ``a`` in state ``s`` at
  step ``h`` (a stationary game stores ``P[s, a_1, ..., a_m, s']``);
* ``R[i, h, s, a_1, ..., a_m]`` is player ``i``'s mean reward, in
  :math:`[0, 1/H]`, so every return lies in :math:`[0, 1]` (a stationary game
  stores ``R[i, s, a_1, ..., a_m]``);
* ``mu0[s]`` is the initial-state distribution.

The number of players is ``R.shape[0]``; whether ``P`` and ``R`` are
step-dependent is read off their number of dimensions (``m + 3`` for
step-dependent, ``m + 2`` for stationary), so no shape is ambiguous.

Joint actions are also addressed by a *flat index* in C order,
:math:`\iota(a) = \sum_i a_i \prod_{j > i} A_j` (``numpy.ravel_multi_index``);
the kernels work on the flat views ``P4 (HP, S, nJ, S)`` and
``R4 (m, HR, S, nJ)`` with ``nJ = prod(A_i)`` and ``HP, HR`` in ``{1, H}``.

A normal-form game with payoffs :math:`u_i(a) \in [0, 1]` is the game with
``H = 1`` and ``S = 1`` (:meth:`MarkovGame.normal_form`); its ``H``-fold
repetition with per-step reward :math:`u_i / H` is :meth:`MarkovGame.repeated`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from .._errors import ValidationError
from .._validation import as_float_array, check_distribution, check_int, check_range

__all__ = ["MarkovGame", "check_product_policy", "check_joint_policy", "check_player"]


def _freeze(a: np.ndarray) -> np.ndarray:
    a.setflags(write=False)
    return a


@dataclass(frozen=True, eq=False)
class MarkovGame:
    r"""An immutable, validated finite-horizon general-sum Markov game.

    Parameters
    ----------
    P : array_like(float), shape (H, S, A_1, ..., A_m, S) or (S, A_1, ..., A_m, S)
        Transition kernel over joint actions, step-dependent or stationary.
        Every row ``P[..., s, a_1, ..., a_m, :]`` must be a probability vector.
    R : array_like(float), shape (m, H, S, A_1, ..., A_m) or (m, S, A_1, ..., A_m)
        Mean rewards of every player, each in :math:`[0, 1/H]` (returns in
        :math:`[0, 1]`).
    mu0 : array_like(float), shape (S,)
        Initial-state distribution.
    H : int, optional
        Horizon; required when both ``P`` and ``R`` are stationary, otherwise
        inferred (and checked when given).
    name : str

    Attributes
    ----------
    m, H, S : int
    actions : tuple of int
        ``(A_1, ..., A_m)``.
    n_joint : int
        ``prod(actions)``.
    P, R, mu0 : read-only float64 arrays as given.
    P4 : read-only array (HP, S, n_joint, S), HP in {1, H} (flat joint actions).
    R4 : read-only array (m, HR, S, n_joint), HR in {1, H}.
    joint_actions : read-only int64 array (n_joint, m)
        ``joint_actions[k]`` is the joint action with flat index ``k``.

    Raises
    ------
    rltheory.ValidationError
        For inconsistent shapes, NaN/inf, transition rows that are not
        distributions, rewards outside :math:`[0, 1/H]`, ``H < 1`` or ``mu0``
        not a distribution.
    """

    P: np.ndarray
    R: np.ndarray
    mu0: np.ndarray
    H: int | None = None
    name: str = ""
    m: int = field(init=False)
    S: int = field(init=False)
    actions: tuple = field(init=False)
    n_joint: int = field(init=False)
    P4: np.ndarray = field(init=False, repr=False)
    R4: np.ndarray = field(init=False, repr=False)
    joint_actions: np.ndarray = field(init=False, repr=False)

    def __post_init__(self):
        set_ = object.__setattr__
        R = as_float_array(self.R, "R")
        P = as_float_array(self.P, "P")
        mu0 = as_float_array(self.mu0, "mu0", ndim=1)
        if R.ndim < 3:
            raise ValidationError(f"R has shape {R.shape} (rule: R has shape (m, [H,] S, A_1, ..., A_m) "
                                  "with at least one player)")
        m = R.shape[0]
        if m < 1:
            raise ValidationError(f"R has shape {R.shape} (rule: at least one player, R.shape[0] >= 1)")
        if R.ndim not in (m + 2, m + 3):
            raise ValidationError(
                f"R has shape {R.shape} with {R.ndim} dimensions for m = R.shape[0] = {m} players "
                f"(rule: R has m + 2 = {m + 2} (stationary) or m + 3 = {m + 3} (step-dependent) dimensions)")
        if P.ndim not in (m + 2, m + 3):
            raise ValidationError(
                f"P has shape {P.shape} with {P.ndim} dimensions for m = {m} players "
                f"(rule: P has m + 2 = {m + 2} (stationary) or m + 3 = {m + 3} (step-dependent) dimensions)")
        R_step = R.ndim == m + 3
        P_step = P.ndim == m + 3
        H = self.H
        if H is not None:
            H = check_int(H, "H", minimum=1)
        inferred = [x.shape[ax] for x, st, ax in ((P, P_step, 0), (R, R_step, 1)) if st]
        if H is None:
            if not inferred:
                raise ValidationError("H is None but P and R are both stationary "
                                      "(rule: give H for a stationary game)")
            H = int(inferred[0])
            if H < 1:
                raise ValidationError(f"H = {H} (rule: H must be >= 1)")
        if P_step and P.shape[0] != H:
            raise ValidationError(f"P has shape {P.shape} but H = {H} "
                                  "(rule: the leading axis of a step-dependent P is H)")
        if R_step and R.shape[1] != H:
            raise ValidationError(f"R has shape {R.shape} but H = {H} "
                                  "(rule: axis 1 of a step-dependent R is H)")
        Rcore = R if R_step else R[:, None]            # (m, HR, S, A_1..A_m)
        Pcore = P if P_step else P[None]                # (HP, S, A_1..A_m, S)
        S = Rcore.shape[2]
        actions = tuple(int(a) for a in Rcore.shape[3:])
        if S < 1 or any(a < 1 for a in actions):
            raise ValidationError(f"R has shape {R.shape} (rule: S >= 1 and every A_i >= 1)")
        want = (S,) + actions + (S,)
        if Pcore.shape[1:] != want:
            raise ValidationError(
                f"P has shape {P.shape} (rule: expected {'(H, ' if P_step else '('}"
                f"{', '.join(map(str, want))}) to match R's S = {S} and actions {actions})")
        if mu0.shape != (S,):
            raise ValidationError(f"mu0 has shape {mu0.shape} (rule: expected shape ({S},))")
        check_distribution(P, "P")
        check_distribution(mu0, "mu0")
        check_range(R, "R", 0.0, 1.0 / H, what=f"per-step rewards (returns in [0, 1]) with H = {H}")
        n_joint = int(np.prod(actions))
        P4 = np.ascontiguousarray(Pcore.reshape(Pcore.shape[0], S, n_joint, S))
        R4 = np.ascontiguousarray(Rcore.reshape(m, Rcore.shape[1], S, n_joint))
        ja = np.ascontiguousarray(np.array(np.unravel_index(np.arange(n_joint), actions),
                                           dtype=np.int64).T.reshape(n_joint, m))
        for nm, val in (("P", P), ("R", R), ("mu0", mu0)):
            set_(self, nm, _freeze(val))
        set_(self, "H", H)
        set_(self, "m", m)
        set_(self, "S", S)
        set_(self, "actions", actions)
        set_(self, "n_joint", n_joint)
        set_(self, "P4", _freeze(P4))
        set_(self, "R4", _freeze(R4))
        set_(self, "joint_actions", _freeze(ja))

    # ----------------------------------------------------------------- constructors
    @classmethod
    def normal_form(cls, payoffs, name: str = "") -> "MarkovGame":
        r"""The normal-form game with payoffs ``payoffs[i, a_1, ..., a_m]`` in :math:`[0, 1]`.

        Stored as a Markov game with ``H = 1`` and ``S = 1``.
        """
        U = as_float_array(payoffs, "payoffs")
        if U.ndim < 2 or U.ndim != U.shape[0] + 1:
            raise ValidationError(f"payoffs has shape {U.shape} (rule: shape (m, A_1, ..., A_m))")
        check_range(U, "payoffs", 0.0, 1.0, what="normal-form payoffs")
        P = np.ones((1,) + U.shape[1:] + (1,))
        return cls(P, U[:, None], np.ones(1), H=1, name=name)

    @classmethod
    def repeated(cls, payoffs, H: int, name: str = "") -> "MarkovGame":
        r"""The ``H``-step repetition of a normal-form game: one state, reward :math:`u_i(a)/H` per step.

        This is the setting of the aggregation argument (Section 3 of our
        specification of arXiv 2303.12287): returns are the average stage
        payoff, in :math:`[0, 1]`.
        """
        H = check_int(H, "H", minimum=1)
        U = as_float_array(payoffs, "payoffs")
        if U.ndim < 2 or U.ndim != U.shape[0] + 1:
            raise ValidationError(f"payoffs has shape {U.shape} (rule: shape (m, A_1, ..., A_m))")
        check_range(U, "payoffs", 0.0, 1.0, what="normal-form payoffs")
        P = np.ones((1,) + U.shape[1:] + (1,))
        return cls(P, U[:, None] / H, np.ones(1), H=H, name=name)

    # ----------------------------------------------------------------- accessors
    @property
    def is_normal_form(self) -> bool:
        """True when ``H == 1`` and ``S == 1``."""
        return self.H == 1 and self.S == 1

    @property
    def stationary(self) -> bool:
        """True when neither ``P`` nor ``R`` depends on the step."""
        return self.P4.shape[0] == 1 and self.R4.shape[1] == 1

    @property
    def is_repeated(self) -> bool:
        """True for one state and the same stage rewards at every step (a repeated normal-form game)."""
        return self.S == 1 and self.R4.shape[1] == 1

    def payoffs(self) -> np.ndarray:
        r"""Stage payoffs :math:`u_i(a) = H \cdot R_i(a)` of a repeated game, shape (m, A_1, ..., A_m)."""
        if not self.is_repeated:
            raise ValidationError(f"{self!r} is not a repeated normal-form game "
                                  "(rule: S == 1 and step-independent rewards)")
        return (self.H * self.R4[:, 0, 0]).reshape((self.m,) + self.actions)

    def P_at(self, h: int) -> np.ndarray:
        """Flat transition kernel ``(S, n_joint, S)`` used at step ``h``."""
        return self.P4[h if self.P4.shape[0] > 1 else 0]

    def R_at(self, h: int) -> np.ndarray:
        """Flat mean rewards ``(m, S, n_joint)`` at step ``h``."""
        return self.R4[:, h if self.R4.shape[1] > 1 else 0]

    def P_full(self) -> np.ndarray:
        """Step-dependent flat kernel ``(H, S, n_joint, S)`` (a broadcast view for stationary games)."""
        return np.broadcast_to(self.P4, (self.H,) + self.P4.shape[1:])

    def R_full(self) -> np.ndarray:
        """Step-dependent flat rewards ``(m, H, S, n_joint)`` (a broadcast view for stationary games)."""
        return np.broadcast_to(self.R4, (self.m, self.H) + self.R4.shape[2:])

    def joint_index(self, joint_action) -> int:
        """Flat index of the joint action ``(a_1, ..., a_m)`` (C order)."""
        a = tuple(int(x) for x in joint_action)
        if len(a) != self.m or any(not 0 <= x < A for x, A in zip(a, self.actions)):
            raise ValidationError(f"joint action {a} (rule: m = {self.m} actions with a_i in 0..A_i-1, "
                                  f"A = {self.actions})")
        return int(np.ravel_multi_index(a, self.actions))

    def __repr__(self) -> str:
        kind = "stationary" if self.stationary else "step-dependent"
        nm = f"{self.name!r}, " if self.name else ""
        return f"MarkovGame({nm}m={self.m}, H={self.H}, S={self.S}, actions={self.actions}, {kind})"


def check_product_policy(policies, game: MarkovGame, name: str = "policies") -> tuple[np.ndarray, ...]:
    r"""Validate ``T`` Markov product policies, one array per player.

    Parameters
    ----------
    policies : sequence of m array_like(float)
        ``policies[i]`` has shape ``(T, H, S, A_i)`` (``T`` components) or
        ``(H, S, A_i)`` (a single product policy, ``T = 1``);
        ``policies[i][t, h, s]`` is :math:`\sigma^{(t)}_{i,h}(\cdot \mid s)`.

    Returns
    -------
    tuple of m float64 arrays (T, H, S, A_i)
    """
    if isinstance(policies, np.ndarray) or len(policies) != game.m:
        raise ValidationError(f"{name} must be a sequence of m = {game.m} arrays, one per player "
                              "(rule: policies[i] has shape (T, H, S, A_i))")
    out, T = [], None
    for i, (p, Ai) in enumerate(zip(policies, game.actions)):
        arr = as_float_array(p, f"{name}[{i}]", ndim=(3, 4))
        if arr.ndim == 3:
            arr = arr[None]
        if arr.shape[1:] != (game.H, game.S, Ai):
            raise ValidationError(f"{name}[{i}] has shape {arr.shape} "
                                  f"(rule: expected (T, {game.H}, {game.S}, {Ai}))")
        if T is None:
            T = arr.shape[0]
        elif arr.shape[0] != T:
            raise ValidationError(f"{name}[{i}] has {arr.shape[0]} components but {name}[0] has {T} "
                                  "(rule: every player has the same number T of components)")
        if T < 1:
            raise ValidationError(f"{name}[{i}] has no components (rule: T >= 1)")
        check_distribution(arr, f"{name}[{i}]")
        out.append(np.ascontiguousarray(arr))
    return tuple(out)


def check_joint_policy(policy, game: MarkovGame, name: str = "policy") -> np.ndarray:
    r"""Validate a correlated Markov policy :math:`x_h(\cdot \mid s) \in \Delta(\mathcal A_1 \times \dots \times \mathcal A_m)`.

    Accepts shape ``(H, S, n_joint)`` or ``(H, S, A_1, ..., A_m)``; returns
    a float64 array ``(H, S, n_joint)`` (flat joint actions, C order).
    """
    arr = as_float_array(policy, name)
    if arr.shape == (game.H, game.S) + game.actions:
        arr = arr.reshape(game.H, game.S, game.n_joint)
    if arr.shape != (game.H, game.S, game.n_joint):
        raise ValidationError(f"{name} has shape {arr.shape} (rule: expected (H, S, n_joint) = "
                              f"{(game.H, game.S, game.n_joint)} or (H, S, A_1, ..., A_m))")
    check_distribution(arr, name)
    return np.ascontiguousarray(arr)


def check_player(game: MarkovGame, player) -> int:
    """Validate a player index ``0 <= player < game.m``; returns it as an ``int``."""
    p = check_int(player, "player", minimum=0)
    if p >= game.m:
        raise ValidationError(f"player = {p} (rule: 0 <= player < m = {game.m})")
    return p
