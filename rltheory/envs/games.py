r"""Generators of normal-form and Markov games.

Random families (every draw from one :class:`numpy.random.Generator`, so a
seed fixes the instance bit for bit):

* :func:`random_normal_form` -- payoffs :math:`u_i(a)` i.i.d. uniform on
  :math:`[0, 1]`; with ``zero_sum=True`` (two players) the constant-sum game
  :math:`u_2 = 1 - u_1`, strategically equivalent to the zero-sum game with
  matrix :math:`u_1 - 1/2`;
* :func:`random_markov_game` -- transition rows
  :math:`P_h(\cdot \mid s, a) \sim \mathrm{Dirichlet}(\alpha \mathbf 1_S)`,
  rewards :math:`R_{i,h}(s, a) = U/H` with :math:`U` uniform on :math:`[0,1]`
  (constant-sum :math:`R_2 = 1/H - R_1` when ``zero_sum=True``);
* :func:`repeated_game` -- the ``H``-fold repetition of a normal-form game,
  per-step reward :math:`u_i/H` (the setting of the aggregation argument of
  arXiv 2303.12287, Section 3 of our specification).

Games with a known equilibrium, for tests (matrices of the row player in a
zero-sum game; :func:`constant_sum_game` turns one into a two-player game
with payoffs in :math:`[0, 1]`):

* :func:`rock_paper_scissors_matrix` -- value 0, unique equilibrium uniform
  (von Neumann & Morgenstern 1944);
* :func:`biased_rock_paper_scissors_matrix` -- an antisymmetric cyclic game
  with closed-form equilibrium; the default weights are the biased
  rock–paper–scissors of OpenSpiel's LP-solver test (Lanctot et al., 2019,
  arXiv 1908.09453), equilibrium (1/16, 10/16, 5/16);
* :func:`matching_pennies_matrix` -- value 0, uniform equilibrium;
* :func:`chicken` -- the game of Aumann (1974) with payoffs (6,6), (2,7),
  (7,2), (0,0) (scaled by 1/7) and its correlated equilibrium putting 1/3 on
  each of (C,C), (C,D), (D,C).

Query-counting instances: :func:`hashed_binary_action_game` -- an
``m``-player binary-action game with i.i.d. uniform payoffs computed on
demand from a hash, for searches that read a few of its :math:`2^m` profiles.

The Shapley game lives in :mod:`rltheory.envs.hard_instances.markov_games`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numba import njit

from .._errors import ValidationError
from .._validation import as_float_array, check_int
from ..models.games import MarkovGame
from .._random import as_generator

__all__ = ["random_normal_form", "random_markov_game", "repeated_game", "constant_sum_game",
           "rock_paper_scissors_matrix", "biased_rock_paper_scissors_matrix",
           "biased_rock_paper_scissors_equilibrium", "matching_pennies_matrix", "chicken",
           "HashedBinaryGame", "hashed_binary_action_game", "hashed_payoff"]


def _actions(actions) -> tuple[int, ...]:
    if isinstance(actions, (int, np.integer)):
        raise ValidationError(f"actions = {actions!r} (rule: a sequence (A_1, ..., A_m) of action counts)")
    acts = tuple(check_int(a, f"actions[{k}]", minimum=1) for k, a in enumerate(actions))
    if not acts:
        raise ValidationError("actions is empty (rule: at least one player)")
    return acts


def random_normal_form(actions, seed, *, zero_sum: bool = False, name: str = "") -> MarkovGame:
    r"""A random normal-form game with i.i.d. uniform payoffs in :math:`[0, 1]`.

    Parameters
    ----------
    actions : sequence of int
        :math:`(A_1, \dots, A_m)`.
    seed : int, SeedSequence or Generator
    zero_sum : bool
        Two players only: :math:`u_2 = 1 - u_1` (constant-sum).

    Returns
    -------
    MarkovGame
        ``H = 1``, ``S = 1``; ``game.payoffs()`` is the tensor ``(m, A_1, ..., A_m)``.
    """
    acts = _actions(actions)
    rng = as_generator(seed)
    if zero_sum:
        if len(acts) != 2:
            raise ValidationError(f"zero_sum=True with {len(acts)} players (rule: two players)")
        u1 = rng.random(acts)
        U = np.stack([u1, 1.0 - u1])
    else:
        U = rng.random((len(acts),) + acts)
    return MarkovGame.normal_form(U, name=name or "random normal-form game")


def random_markov_game(S: int, actions, H: int, seed, *, zero_sum: bool = False,
                       stationary: bool = False, dirichlet_alpha: float = 1.0,
                       mu0="start", name: str = "") -> MarkovGame:
    r"""A random finite-horizon Markov game.

    Draws, in this order: transition rows :math:`P_h(\cdot \mid s, a) \sim
    \mathrm{Dirichlet}(\alpha \mathbf 1_S)` for every step (one kernel when
    ``stationary``), state and joint action; then rewards
    :math:`R_{i,h}(s, a) = U_{i,h}(s, a)/H` with :math:`U` i.i.d. uniform on
    :math:`[0, 1]` (for ``zero_sum``: :math:`R_{2} = 1/H - R_{1}`).

    Parameters
    ----------
    S, H : int
    actions : sequence of int
    seed : int, SeedSequence or Generator
    zero_sum : bool
        Two players, constant-sum stage rewards (what :func:`rltheory.solvers.zero_sum_markov_nash` needs).
    stationary : bool
    dirichlet_alpha : float
    mu0 : {"start", "uniform"} or array (S,)
    """
    S = check_int(S, "S", minimum=1)
    H = check_int(H, "H", minimum=1)
    acts = _actions(actions)
    if not dirichlet_alpha > 0:
        raise ValidationError(f"dirichlet_alpha = {dirichlet_alpha} (rule: > 0)")
    rng = as_generator(seed)
    lead = () if stationary else (H,)
    P = rng.dirichlet(np.full(S, float(dirichlet_alpha)), size=lead + (S,) + acts)
    if zero_sum:
        if len(acts) != 2:
            raise ValidationError(f"zero_sum=True with {len(acts)} players (rule: two players)")
        r1 = rng.random(lead + (S,) + acts) / H
        R = np.stack([r1, 1.0 / H - r1])
    else:
        R = rng.random((len(acts),) + lead + (S,) + acts) / H
    if isinstance(mu0, str):
        if mu0 == "start":
            mu = np.zeros(S)
            mu[0] = 1.0
        elif mu0 == "uniform":
            mu = np.full(S, 1.0 / S)
        else:
            raise ValidationError(f"mu0 = {mu0!r} (rule: 'start', 'uniform' or a distribution)")
    else:
        mu = mu0
    return MarkovGame(P, R, mu, H=H, name=name or "random Markov game")


def repeated_game(payoffs, H: int, name: str = "") -> MarkovGame:
    r"""The ``H``-step repetition of the normal-form game ``payoffs (m, A_1, ..., A_m)`` in :math:`[0, 1]`.

    One state; every step pays :math:`u_i(a_h)/H`, so the return is the
    average stage payoff (see :meth:`rltheory.models.games.MarkovGame.repeated`).
    """
    return MarkovGame.repeated(payoffs, H, name=name or "repeated game")


def constant_sum_game(matrix) -> np.ndarray:
    r"""Payoffs ``(2, n, k)`` in :math:`[0, 1]` of the zero-sum game with row-player matrix ``matrix``.

    :math:`u_1 = (A - \min A)/(\max A - \min A)`, :math:`u_2 = 1 - u_1` (a
    positive affine map of :math:`A`, so the equilibria are those of :math:`A`).
    """
    A = as_float_array(matrix, "matrix", ndim=2)
    lo, hi = A.min(), A.max()
    u1 = np.full_like(A, 0.5) if hi == lo else (A - lo) / (hi - lo)
    return np.stack([u1, 1.0 - u1])


def rock_paper_scissors_matrix() -> np.ndarray:
    r"""Row player's payoff of rock–paper–scissors (win 1, tie 0, loss −1); value 0, uniform equilibrium."""
    return np.array([[0.0, -1.0, 1.0], [1.0, 0.0, -1.0], [-1.0, 1.0, 0.0]])


def biased_rock_paper_scissors_matrix(a: float = 0.25, b: float = 0.5, c: float = 0.05) -> np.ndarray:
    r"""The antisymmetric cyclic game :math:`A = \begin{pmatrix} 0 & -a & b \\ a & 0 & -c \\ -b & c & 0 \end{pmatrix}`.

    For :math:`a, b, c > 0` its value is 0 and its unique equilibrium (both
    players, by antisymmetry) is :math:`x^* = (c, b, a)/(a + b + c)`: the
    conditions :math:`(x^\top A)_j = 0` read :math:`a x_2 = b x_3`,
    :math:`a x_1 = c x_3`, :math:`b x_1 = c x_2`.  The defaults give OpenSpiel's
    biased rock–paper–scissors (Lanctot et al., *OpenSpiel*, arXiv 1908.09453,
    ``lp_solver_test``) with :math:`x^* = (1/16, 10/16, 5/16)`.
    """
    for nm, v in (("a", a), ("b", b), ("c", c)):
        if not v > 0:
            raise ValidationError(f"{nm} = {v} (rule: the weights of a biased RPS are > 0)")
    return np.array([[0.0, -a, b], [a, 0.0, -c], [-b, c, 0.0]])


def biased_rock_paper_scissors_equilibrium(a: float = 0.25, b: float = 0.5, c: float = 0.05) -> np.ndarray:
    r"""The closed-form equilibrium :math:`(c, b, a)/(a + b + c)` of :func:`biased_rock_paper_scissors_matrix`."""
    biased_rock_paper_scissors_matrix(a, b, c)
    return np.array([c, b, a]) / (a + b + c)


def matching_pennies_matrix() -> np.ndarray:
    """Row player's payoff of matching pennies; value 0, uniform equilibrium."""
    return np.array([[1.0, -1.0], [-1.0, 1.0]])


def chicken() -> np.ndarray:
    r"""Aumann's (1974) game of chicken, payoffs ``(2, 2, 2)`` scaled into :math:`[0, 1]` by 1/7.

    Actions (C, D); payoffs (C,C) = (6,6), (C,D) = (2,7), (D,C) = (7,2),
    (D,D) = (0,0).  The distribution with 1/3 on each of (C,C), (C,D), (D,C)
    is a correlated equilibrium (Aumann, *Subjectivity and correlation in
    randomized strategies*, J. Math. Econ. 1974).
    """
    u1 = np.array([[6.0, 2.0], [7.0, 0.0]]) / 7.0
    return np.stack([u1, u1.T])


# =========================================================================== lazily drawn binary-action games

_GOLDEN = np.uint64(0x9E3779B97F4A7C15)
_MIX1 = np.uint64(0xBF58476D1CE4E5B9)
_MIX2 = np.uint64(0x94D049BB133111EB)
_TWO53 = 1.0 / 9007199254740992.0


@njit(cache=True)
def _splitmix64(x):
    z = x + _GOLDEN
    z = (z ^ (z >> np.uint64(30))) * _MIX1
    z = (z ^ (z >> np.uint64(27))) * _MIX2
    return z ^ (z >> np.uint64(31))


@njit(cache=True)
def hashed_payoff(key, player, profile):
    r"""Payoff :math:`u_i(a) \in [0, 1)` of a :class:`HashedBinaryGame`, computed on demand.

    :math:`u_i(a) = \lfloor \mathrm{sm}(\mathrm{sm}(\mathrm{sm}(k) + i) + a) / 2^{11} \rfloor / 2^{53}`
    with ``sm`` the SplitMix64 finaliser (Steele, Lea & Flood, OOPSLA 2014) and
    ``a`` the profile's index (bit ``i`` is player ``i``'s action): i.i.d.
    uniform payoffs for every practical purpose, without storing :math:`m 2^m` numbers.
    """
    z = _splitmix64(_splitmix64(_splitmix64(np.uint64(key)) + np.uint64(player)) + np.uint64(profile))
    return float(z >> np.uint64(11)) * _TWO53


@dataclass(frozen=True)
class HashedBinaryGame:
    r"""An ``m``-player binary-action game with i.i.d. uniform payoffs drawn lazily from a key.

    A query reads :math:`u(a) = (u_1(a), \dots, u_m(a))` of one joint profile
    ``a`` (an integer in :math:`[0, 2^m)`, bit ``i`` = player ``i``'s action);
    the payoff tensor (:math:`m 2^m` numbers) is never stored, so query-counting
    searches (:mod:`rltheory.algorithms.games`) can run up to ``m = 24``.

    Attributes
    ----------
    m : int
    key : int
        64-bit key of the payoff hash (:func:`hashed_payoff`).
    """

    m: int
    key: int

    @property
    def n_profiles(self) -> int:
        return 1 << self.m

    def payoffs(self) -> np.ndarray:
        """The full tensor ``(m, 2, ..., 2)`` (small ``m`` only; axis ``1 + i`` is player ``i``'s action)."""
        if self.m > 16:
            raise ValidationError(f"m = {self.m} (rule: the full tensor only for m <= 16)")
        flat = np.array([[hashed_payoff(self.key, i, a) for a in range(self.n_profiles)]
                         for i in range(self.m)])
        # profile index bit i = player i's action; C order puts player 0 on the first axis
        idx = np.array([sum(b << i for i, b in enumerate(prof))
                        for prof in np.ndindex(*(2,) * self.m)], dtype=np.int64)
        return flat[:, idx].reshape((self.m,) + (2,) * self.m)


def hashed_binary_action_game(m: int, seed) -> HashedBinaryGame:
    """A :class:`HashedBinaryGame` with ``m`` players (``1 <= m <= 24``) and a key drawn from ``seed``."""
    m = check_int(m, "m", minimum=1)
    if m > 24:
        raise ValidationError(f"m = {m} (rule: m <= 24, profiles are indexed by 2^m-sized arrays)")
    key = int(as_generator(seed).integers(0, 2 ** 63 - 1))
    return HashedBinaryGame(m, key)
