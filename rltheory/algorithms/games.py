r"""Independent no-regret dynamics in Markov games: per-state, per-step Hedge run by every player.

Every player :math:`i` keeps, at every step :math:`h` and state :math:`s`,
cumulative scores :math:`G_{i,h}(s, \cdot) \in \mathbb R^{A_i}` and plays in
episode :math:`t`

.. math::
    \sigma^{(t)}_{i,h}(a \mid s) \propto \exp\big(\eta_i\, [G^{(t)}_{i,h}(s, a) + g^{(t-1)}_{i,h}(s, a)\,\mathbb 1_{\text{optimistic}}]\big),

Hedge (Freund & Schapire 1997) or optimistic Hedge (Rakhlin & Sridharan 2013;
Syrgkanis et al. 2015), with :math:`g^{(t)}` the feedback of episode
:math:`t` and :math:`G^{(t+1)} = G^{(t)} + g^{(t)}`.  No player sees the
others' policies.  The feedback, in units where a stage payoff lies in
:math:`[0, 1]` (so the repeated-game tuning :math:`\eta = \sqrt{8 \ln A / T}`
of Section 5.1 of our specification of arXiv 2303.12287 applies):

``"full"`` (full information)
    :math:`g^{(t)}_{i,h}(s, a_i) = H\, Q^{\sigma^{(t)}}_{i,h}(s, a_i)`, the exact
    action value of the current joint product policy,
    :math:`Q_{i,h}(s, a_i) = \mathbb E_{a_{-i} \sim \sigma_{-i,h}(s)}[R_{i,h}(s, a) + P_h V_{i,h+1}(s, a)]`.
    In a repeated game this is per-step Hedge on the expected stage payoffs
    :math:`u_i(a_i, \sigma^{(t)}_{-i,h})` (plus a constant that Hedge ignores).
``"bandit"``
    One episode is sampled; player :math:`i` observes only its own actions
    and rewards (mean rewards :math:`R_{i,h}(s_h, a_h)`, the model's rewards
    being deterministic) and, at the visited :math:`(h, s_h)`, subtracts the
    importance-weighted loss
    :math:`\hat\ell(a) = \mathbb 1[a = a_{i,h}]\,\big((H - h) - H \sum_{h' \ge h} r_{i,h'}\big) / \sigma_{i,h}(a_{i,h} \mid s_h)`
    (loss-based EXP3 on the return-to-go, Auer et al. 2002) [R: a toolkit design choice].

The harness records every episode's product policy and its exact value; the
regret of each player against **Markov** and against **general**
(history-dependent) deviations is then computed exactly by
:func:`regret_curve` (via :mod:`rltheory.solvers.deviations`):

.. math::
    \mathrm{Reg}_i(T) = \max_{\sigma_i'} \sum_{t \le T} \big[V_i^{\sigma_i' \times \sigma^{(t)}_{-i}} - V_i^{\sigma^{(t)}}\big]
    = T \cdot \Delta_i\big(\mathrm{Unif}\{\sigma^{(1)}, \dots, \sigma^{(T)}\}\big),

the CCE gap of the uniform mixture of the iterates (Section 1 of our
specification): if every :math:`\mathrm{Reg}_i(T) \le \varepsilon T`, the
iterates are a :math:`(T, \varepsilon)`-SparseCCE.
What a reader runs instead, on the same games (the alternatives of the
claims on arXiv 2303.12287): :func:`stationary_run` (a fixed policy, the
null learner), :func:`annealed_run` (a centralised learner converging to an
equilibrium from :func:`bimatrix_nash`), :func:`trigger_policies`
(history-dependent product policies with punishments, beyond the Markov
class) and, for query counting on :class:`rltheory.envs.games.HashedBinaryGame`,
:func:`exhaustive_pure_nash_search` against :func:`sampled_uniform_nash_search`.
"""

from __future__ import annotations

from collections import namedtuple
from dataclasses import dataclass

import numpy as np
from numba import njit

from .._errors import ValidationError
from .._validation import as_float_array, check_int
from .._random import as_generator
from ..models.games import MarkovGame, check_player
from ..envs.games import HashedBinaryGame, hashed_payoff
from ..kernels.games import product_backward
from ..kernels.linalg import dot, matvec, solve, vecmat
from ..kernels.sampling import draw_from_pmf
from ..solvers import (general_deviation_value, markov_deviation_value, normal_form_cce,
                       product_policy_values, zero_sum_nash)

__all__ = ["hedge_learning_rate", "independent_hedge", "IndependentRun", "regret_curve",
           "independent_hedge_kernel", "GameArrays", "HedgeState", "HedgeRecord", "hedge_state",
           "FEEDBACKS", "random_start_policies", "stationary_run",
           "annealed_run", "bimatrix_nash", "TriggerPolicies", "trigger_policies", "trigger_nash_gaps",
           "trigger_deviation_bound", "exhaustive_pure_nash_search", "sampled_uniform_nash_search"]

FEEDBACKS = ("full", "bandit")
#: Largest number of stored policy entries ``T * m * H * S * max A_i``.
MAX_STORED = 40_000_000


def hedge_learning_rate(A: int, T: int) -> float:
    r"""The tuned Hedge rate :math:`\eta = \sqrt{8 \ln A / T}` for payoffs in :math:`[0, 1]`.

    With it Hedge's regret is at most :math:`\sqrt{T \ln A / 2}` against any
    payoff sequence (Cesa-Bianchi & Lugosi, *Prediction, Learning, and Games*,
    2006, Theorem 2.2).
    """
    A = check_int(A, "A", minimum=2)
    T = check_int(T, "T", minimum=1)
    return float(np.sqrt(8.0 * np.log(A) / T))


#: The arrays of a :class:`~rltheory.models.games.MarkovGame` the Hedge kernels read.
GameArrays = namedtuple("GameArrays", ["P4", "R4", "ja", "strides", "acts", "mu0"])
GameArrays.__doc__ = r"""The arrays of a Markov game read by :func:`independent_hedge_kernel` (no checks).

Fields
------
P4 : float64 (HP, S, nJ, S)
R4 : float64 (m, HR, S, nJ)
ja : int64 (nJ, m)
    Player actions of every flat joint action.
strides : int64 (m,)
    Flat joint index :math:`\sum_i a_i\, \text{strides}_i` (C order).
acts : int64 (m,)
    :math:`A_i`.
mu0 : float64 (S,)
"""

HedgeState = namedtuple("HedgeState", ["G", "last", "eta", "pol", "V", "Q", "traj_s", "traj_a", "traj_r"])
HedgeState.__doc__ = r"""The state of ``m`` independent (optimistic) Hedge learners, updated in place by the kernels.

Fields
------
G : float64 (m, H, S, Amax)
    Cumulative scores :math:`G_{i,h}(s, a)` (entries beyond ``A_i`` unused).
last : float64 (m, H, S, Amax)
    The last feedback :math:`g^{(t-1)}` (optimistic Hedge adds it to ``G``).
eta : float64 (m,)
    Learning rates.
pol : float64 (m, H, S, Amax)
    The current product policy (zero beyond ``A_i``).
V : float64 (m, H+1, S)
    Exact values of ``pol``.
Q : float64 (m, H, S, Amax)
    Exact action values of ``pol`` (full-information feedback).
traj_s : int64 (H,)
traj_a : int64 (m, H)
traj_r : float64 (m, H)
    The sampled episode (bandit feedback).
"""

HedgeRecord = namedtuple("HedgeRecord", ["pols", "values", "returns"])
HedgeRecord.__doc__ = r"""What :func:`independent_hedge_kernel` records, one row per episode.

Fields
------
pols : float64 (T, m, H, S, Amax)
    The product policy of every episode.
values : float64 (T, m)
    Its exact values :math:`V_i^{\sigma^{(t)}}`.
returns : float64 (T, m)
    Realised returns of the sampled episodes (bandit feedback; untouched otherwise).
"""


def hedge_state(G: np.ndarray, eta: np.ndarray, H: int) -> HedgeState:
    """A fresh :class:`HedgeState` with scores ``G (m, H, S, Amax)`` (owned by the state) and rates ``eta (m,)``."""
    m, _, S, Amax = G.shape
    return HedgeState(G, np.zeros_like(G), eta, np.zeros_like(G), np.zeros((m, H + 1, S)),
                      np.zeros((m, H, S, Amax)), np.zeros(H, np.int64), np.zeros((m, H), np.int64),
                      np.zeros((m, H)))


@njit(cache=True)
def _softmax_policy(state, acts, optimistic):
    r"""Plan: ``state.pol`` :math:`\propto \exp(\eta_i [G + \text{last}\, \mathbb 1_{\text{optimistic}}])`."""
    G, last, eta, pol = state.G, state.last, state.eta, state.pol
    m, H, S, Amax = G.shape
    for i in range(m):
        Ai = acts[i]
        for h in range(H):
            for s in range(S):
                mx = -np.inf
                for a in range(Ai):
                    z = G[i, h, s, a] + (last[i, h, s, a] if optimistic else 0.0)
                    if z > mx:
                        mx = z
                tot = 0.0
                for a in range(Ai):
                    z = G[i, h, s, a] + (last[i, h, s, a] if optimistic else 0.0)
                    e = np.exp(eta[i] * (z - mx))
                    pol[i, h, s, a] = e
                    tot += e
                for a in range(Ai):
                    pol[i, h, s, a] /= tot
                for a in range(Ai, Amax):
                    pol[i, h, s, a] = 0.0


@njit(cache=True)
def _evaluate(game, state, with_q, values):
    r"""Evaluate exactly: ``state.V`` (and ``state.Q`` if ``with_q``) of ``state.pol``; ``values (m,)`` at :math:`\mu_0`."""
    product_backward(game.P4, game.R4, state.pol, game.ja, state.V, state.Q, with_q)
    m, _, S = state.V.shape
    for i in range(m):
        v = 0.0
        for s in range(S):
            v += game.mu0[s] * state.V[i, 0, s]
        values[i] = v


@njit(cache=True)
def _full_feedback(state, acts):
    r"""Observe (full information): :math:`g = H\, Q`, added to ``G`` and kept in ``last``."""
    G, last, Q = state.G, state.last, state.Q
    m, H, S, _ = G.shape
    for i in range(m):
        for h in range(H):
            for s in range(S):
                for a in range(acts[i]):
                    g = H * Q[i, h, s, a]
                    G[i, h, s, a] += g
                    last[i, h, s, a] = g


@njit(cache=True)
def _sample_episode(game, state, rng):
    """Act: one episode of ``state.pol`` into ``state.traj_s``, ``traj_a``, ``traj_r`` (mean rewards)."""
    P4, R4, acts, strides = game.P4, game.R4, game.acts, game.strides
    m, H = state.traj_a.shape
    S = game.mu0.shape[0]
    s = draw_from_pmf(game.mu0, S, rng.random())
    for h in range(H):
        hp = h if P4.shape[0] > 1 else 0
        hr = h if R4.shape[1] > 1 else 0
        state.traj_s[h] = s
        k = 0
        for i in range(m):
            a = draw_from_pmf(state.pol[i, h, s], acts[i], rng.random())
            state.traj_a[i, h] = a
            k += a * strides[i]
        for i in range(m):
            state.traj_r[i, h] = R4[i, hr, s, k]
        s = draw_from_pmf(P4[hp, s, k], S, rng.random())


@njit(cache=True)
def _bandit_feedback(state, acts, returns):
    r"""Observe (bandit): returns ``(m,)`` of the episode and the importance-weighted return-to-go losses."""
    G, last, pol = state.G, state.last, state.pol
    m, H = state.traj_a.shape
    for i in range(m):
        ret = 0.0
        for h in range(H):
            ret += state.traj_r[i, h]
        returns[i] = ret
        togo = 0.0
        for h in range(H - 1, -1, -1):
            togo += state.traj_r[i, h]
            sh = state.traj_s[h]
            a = state.traj_a[i, h]
            loss = (H - h) - H * togo
            est = loss / pol[i, h, sh, a]
            G[i, h, sh, a] -= est
            for b in range(acts[i]):
                last[i, h, sh, b] = 0.0
            last[i, h, sh, a] = -est


@njit(cache=True)
def independent_hedge_kernel(game, state, T, optimistic, bandit, rng, record):
    """Episode loop of independent (optimistic) Hedge: plan, evaluate exactly, act, observe.

    Parameters
    ----------
    game : GameArrays
    state : HedgeState
        Updated in place (scores ``G`` and ``last`` carry over between episodes).
    T : int
        Number of episodes.
    optimistic, bandit : bool
    rng : numpy.random.Generator
        Draws the bandit episodes (one uniform per draw, see :mod:`rltheory.kernels.sampling`).
    record : HedgeRecord
        Filled row by row.
    """
    for t in range(T):
        _softmax_policy(state, game.acts, optimistic)
        record.pols[t] = state.pol
        _evaluate(game, state, not bandit, record.values[t])
        if not bandit:
            _full_feedback(state, game.acts)
            continue
        _sample_episode(game, state, rng)
        _bandit_feedback(state, game.acts, record.returns[t])


@dataclass(frozen=True, eq=False)
class IndependentRun:
    r"""The iterates of independent learners over ``T`` episodes.

    Attributes
    ----------
    policies : tuple of m ndarray (T, H, S, A_i)
        :math:`\sigma^{(t)}_{i,h}(\cdot \mid s)`, the policy each player played in episode ``t``.
    values : ndarray (T, m)
        :math:`V_i^{\sigma^{(t)}}`, exact values of the joint product policies.
    returns : ndarray (T, m) or None
        Realised returns of the sampled episodes (bandit feedback only).
    eta : ndarray (m,)
    feedback : str
    optimistic : bool
    """

    policies: tuple
    values: np.ndarray
    returns: np.ndarray | None
    eta: np.ndarray
    feedback: str
    optimistic: bool

    @property
    def T(self) -> int:
        return int(self.values.shape[0])

    def prefix(self, n: int) -> tuple:
        """The policies of the first ``n`` episodes."""
        return tuple(p[:n] for p in self.policies)


def independent_hedge(game: MarkovGame, T: int, eta, *, optimistic: bool = False,
                      feedback: str = "full", init_scale: float = 0.0, seed=0) -> IndependentRun:
    r"""Run per-state, per-step (optimistic) Hedge independently for every player for ``T`` episodes.

    Parameters
    ----------
    game : MarkovGame
    T : int
        Number of episodes.
    eta : float or array (m,)
        Learning rate(s); :func:`hedge_learning_rate` gives the tuned value.
    optimistic : bool
        Optimistic Hedge (adds the last feedback to the scores).
    feedback : {"full", "bandit"}
        See the module docstring.
    init_scale : float
        Initial scores :math:`G^{(1)} = \text{init\_scale} \cdot N(0, 1)` i.i.d.
        (0: the uniform start).  In symmetric games such as the Shapley game
        the uniform start is the equilibrium and Hedge never moves (Section
        5.1 of our specification); a random start is then needed.
    seed : int, SeedSequence or Generator
        Draws the initial scores (first) and the bandit episodes.

    Returns
    -------
    IndependentRun
    """
    if not isinstance(game, MarkovGame):
        raise ValidationError(f"game is {type(game).__name__} (rule: a MarkovGame)")
    T = check_int(T, "T", minimum=1)
    if feedback not in FEEDBACKS:
        raise ValidationError(f"feedback = {feedback!r} (rule: one of {FEEDBACKS})")
    m, H, S = game.m, game.H, game.S
    eta_arr = as_float_array(np.broadcast_to(np.asarray(eta, dtype=float), (m,)), "eta", ndim=1)
    if np.any(eta_arr <= 0):
        raise ValidationError(f"eta = {eta_arr.tolist()} (rule: learning rates must be > 0)")
    init_scale = float(init_scale)
    if not init_scale >= 0 or not np.isfinite(init_scale):
        raise ValidationError(f"init_scale = {init_scale} (rule: a finite number >= 0)")
    Amax = max(game.actions)
    if T * m * H * S * Amax > MAX_STORED:
        raise ValidationError(f"T * m * H * S * max A_i = {T * m * H * S * Amax} "
                              f"(rule: at most {MAX_STORED} stored policy entries)")
    rng = as_generator(seed)
    G = np.zeros((m, H, S, Amax))
    if init_scale > 0:
        for i, Ai in enumerate(game.actions):
            G[i, :, :, :Ai] = init_scale * rng.standard_normal((H, S, Ai))
    acts = np.array(game.actions, dtype=np.int64)
    strides = np.array([int(np.prod(game.actions[i + 1:])) for i in range(m)], dtype=np.int64)
    pols = np.zeros((T, m, H, S, Amax))
    values = np.zeros((T, m))
    returns = np.zeros((T, m))
    arrays = GameArrays(game.P4, game.R4, game.joint_actions, strides, acts, game.mu0)
    independent_hedge_kernel(arrays, hedge_state(G, eta_arr, H), T, bool(optimistic), feedback == "bandit",
                             rng, HedgeRecord(pols, values, returns))
    policies = tuple(np.ascontiguousarray(pols[:, i, :, :, :Ai]) for i, Ai in enumerate(game.actions))
    for p in policies:
        p.setflags(write=False)
    values.setflags(write=False)
    if feedback == "bandit":
        returns.setflags(write=False)
    return IndependentRun(policies, values, returns if feedback == "bandit" else None, eta_arr,
                          feedback, bool(optimistic))


def regret_curve(game: MarkovGame, run: IndependentRun, player: int, steps=None,
                 deviations: str = "markov") -> tuple[np.ndarray, np.ndarray]:
    r"""Exact regret :math:`\mathrm{Reg}_i(n)` of ``player`` after ``n`` episodes, for each ``n`` in ``steps``.

    .. math::
        \mathrm{Reg}_i(n) = \max_{\sigma_i'} \sum_{t \le n} V_i^{\sigma_i' \times \sigma^{(t)}_{-i}}
        - \sum_{t \le n} V_i^{\sigma^{(t)}}

    over Markov deviations (``deviations="markov"``,
    :func:`rltheory.solvers.markov_deviation_value`) or general
    history-dependent ones (``"general"``,
    :func:`rltheory.solvers.general_deviation_value`, exact by
    enumerating histories).

    Parameters
    ----------
    steps : sequence of int, optional
        Episode counts ``1 <= n <= T`` (default: ``[T]``).

    Returns
    -------
    steps : ndarray int64, regrets : ndarray float64
    """
    if not isinstance(run, IndependentRun):
        raise ValidationError(f"run is {type(run).__name__} (rule: an IndependentRun)")
    i = check_player(game, player)
    steps = np.array([run.T] if steps is None else steps, dtype=np.int64)
    if steps.ndim != 1 or np.any(steps < 1) or np.any(steps > run.T):
        raise ValidationError(f"steps = {steps.tolist()} (rule: integers in 1..T = {run.T})")
    out = np.empty(len(steps))
    for k, n in enumerate(steps):
        pre = run.prefix(int(n))
        if deviations == "markov":
            best = markov_deviation_value(game, pre, i).value
        elif deviations == "general":
            best = general_deviation_value(game, pre, i)
        else:
            raise ValidationError(f"deviations = {deviations!r} (rule: 'markov' or 'general')")
        out[k] = n * best - float(run.values[:n, i].sum())
    return steps, out


# =========================================================================== what a reader runs instead of Hedge

def random_start_policies(game: MarkovGame, seed) -> tuple:
    r"""The random product policy :math:`\sigma_{i,h}(\cdot \mid s) \propto \exp(Z_{i,h}(s, \cdot))`, :math:`Z` i.i.d. N(0, 1).

    ``Z`` is drawn in the order :func:`independent_hedge` draws its initial
    scores (player by player, shape ``(H, S, A_i)``), so from the same seed it
    is the N(0, 1) draw behind Hedge's start, without Hedge's learning rate:
    a fixed random policy whose law does not depend on ``T``.

    Returns
    -------
    tuple of m ndarray (H, S, A_i)
    """
    if not isinstance(game, MarkovGame):
        raise ValidationError(f"game is {type(game).__name__} (rule: a MarkovGame)")
    rng = as_generator(seed)
    out = []
    for Ai in game.actions:
        z = rng.standard_normal((game.H, game.S, Ai))
        e = np.exp(z - z.max(axis=2, keepdims=True))
        out.append(e / e.sum(axis=2, keepdims=True))
    return tuple(out)


def _run_from_policies(game: MarkovGame, policies) -> IndependentRun:
    """An :class:`IndependentRun` holding the given per-episode policies ``(T, H, S, A_i)`` and their exact values."""
    pols = tuple(np.ascontiguousarray(p, dtype=float) for p in policies)
    values = product_policy_values(game, pols)
    for p in pols:
        p.setflags(write=False)
    values.setflags(write=False)
    return IndependentRun(pols, values, None, np.zeros(game.m), "full", False)


def stationary_run(game: MarkovGame, T: int, policies) -> IndependentRun:
    r"""The null learner: every player plays the same Markov policy in all ``T`` episodes, never updating.

    Its regret against Markov (and general) deviations is
    :math:`T \cdot \mathrm{NashGap}_i(\sigma)`: linear in ``T`` unless
    :math:`\sigma` is a Nash equilibrium.

    Parameters
    ----------
    policies : tuple of m ndarray (H, S, A_i)
    """
    T = check_int(T, "T", minimum=1)
    return _run_from_policies(game, [np.broadcast_to(p, (T,) + np.shape(p)) for p in policies])


def annealed_run(game: MarkovGame, T: int, start, target, power: float = 0.5) -> IndependentRun:
    r"""A centralised learner that moves from ``start`` to ``target`` (an equilibrium it computed).

    .. math::
        \sigma^{(t)}_i = (1 - t^{-p})\, \pi^\star_i + t^{-p}\, \sigma^{(1)}_i, \qquad t = 1, \dots, T.

    When :math:`\pi^\star` is a Nash equilibrium with full support, each
    iterate's Nash gap is :math:`O(t^{-p})`, and since every iterate is a
    Markov product policy close to :math:`\pi^\star`, so is its regret per
    episode against general deviations: :math:`O(T^{-p})` on average.  This
    is what a centralised algorithm that can compute a Nash equilibrium (easy
    on a 3x3 game, PPAD-hard in general) achieves.

    Parameters
    ----------
    start, target : tuple of m ndarray (H, S, A_i)
    power : float
        :math:`p > 0`.
    """
    T = check_int(T, "T", minimum=1)
    if not power > 0:
        raise ValidationError(f"power = {power} (rule: > 0)")
    lam = np.arange(1, T + 1, dtype=float) ** (-float(power))
    return _run_from_policies(game, [lam[:, None, None, None] * np.asarray(a)[None]
                                     + (1.0 - lam)[:, None, None, None] * np.asarray(b)[None]
                                     for a, b in zip(start, target)])


def bimatrix_nash(payoffs) -> tuple[np.ndarray, np.ndarray]:
    r"""A Nash equilibrium of a two-player game by support enumeration (equal supports, smallest first).

    For supports :math:`I, J` with :math:`|I| = |J| = k`, solve the
    indifference conditions :math:`u_1(i, y) = v` (:math:`i \in I`),
    :math:`u_2(x, j) = w` (:math:`j \in J`), :math:`\sum x = \sum y = 1` and
    accept when :math:`x, y \ge 0` and no action outside the supports does
    better (Shoham & Leyton-Brown, *Multiagent Systems*, 2009, Section 4.2.3).
    Complete for nondegenerate games; exponential in the number of actions,
    meant for small games.

    Returns
    -------
    x, y : ndarray
    """
    from itertools import combinations
    U = as_float_array(payoffs, "payoffs")
    if U.ndim != 3 or U.shape[0] != 2:
        raise ValidationError(f"payoffs has shape {U.shape} (rule: (2, n, k), two players)")
    A, B = U[0], U[1]
    n, k = A.shape
    tol = 1e-10
    for size in range(1, min(n, k) + 1):
        for I in combinations(range(n), size):
            for J in combinations(range(k), size):
                y = _indifferent(A[np.ix_(I, J)])
                x = _indifferent(B[np.ix_(I, J)].T)
                if x is None or y is None:
                    continue
                xf, yf = np.zeros(n), np.zeros(k)
                xf[list(I)], yf[list(J)] = x, y
                Ay = matvec(A, yf, np.empty(n))              # fixed order, no BLAS
                xB = vecmat(xf, B, np.empty(k))
                if Ay.max() <= dot(xf, Ay) + tol and xB.max() <= dot(xB, yf) + tol:
                    return xf, yf
    raise ValidationError("no equilibrium found by support enumeration (rule: a nondegenerate game)")


def _indifferent(M: np.ndarray):
    """The distribution ``y`` with ``M y`` constant, or ``None`` if singular or not a distribution."""
    k = M.shape[1]
    lhs = np.block([[M, -np.ones((M.shape[0], 1))], [np.ones((1, k)), np.zeros((1, 1))]])
    rhs = np.zeros(M.shape[0] + 1)
    rhs[-1] = 1.0
    sol = np.empty(rhs.shape[0])
    if not solve(lhs, rhs, sol):                      # Gaussian elimination, fixed order, no LAPACK
        return None
    y = sol[:k]
    return y if np.all(y >= -1e-12) else None


# =========================================================================== history-dependent product policies

@dataclass(frozen=True, eq=False)
class TriggerPolicies:
    r"""``T`` history-dependent (trigger) product policies of an ``H``-step repeated two-player game.

    On the path, component ``t`` plays the pure profile ``schedule[t, h]``;
    after player ``i`` leaves the path, the other player plays
    ``punish[i]``, a minmax strategy against ``i``, for the rest of the
    episode, holding ``i`` to its minmax value ``minmax[i]`` per step (the
    folk-theorem construction).  Such policies are not Markov: they are what
    the specification (Section 3) says the simple aggregation argument does
    not cover.

    Attributes
    ----------
    schedule : ndarray (T, H, 2) int64
    punish : tuple of 2 ndarray
        ``punish[i]``: the mixed strategy of player ``1 - i`` that minmaxes ``i``.
    minmax : ndarray (2,)
    """

    schedule: np.ndarray
    punish: tuple
    minmax: np.ndarray


def trigger_policies(payoffs, H: int, T: int) -> TriggerPolicies:
    r"""Trigger policies whose on-path play follows the maximum-welfare CCE of the stage game.

    The stage CCE :math:`x` (:func:`rltheory.solvers.normal_form_cce`,
    ``"welfare"``) gives each player at least its minmax value, so a path
    whose empirical profile frequencies track :math:`x` is individually
    rational and deviations pay at most about one step.  The path is the
    largest-deficit rounding of :math:`x` over ``H + T`` steps
    (at step :math:`k` play :math:`\arg\max_a [(k+1) x(a) - N_k(a)]`);
    component ``t`` is its window starting at ``t``.
    """
    U = as_float_array(payoffs, "payoffs")
    if U.ndim != 3 or U.shape[0] != 2:
        raise ValidationError(f"payoffs has shape {U.shape} (rule: (2, n, k), two players)")
    H = check_int(H, "H", minimum=1)
    T = check_int(T, "T", minimum=1)
    x = normal_form_cce(U, "welfare").distribution.reshape(-1)
    counts = np.zeros_like(x)
    path = np.empty(H + T, dtype=np.int64)
    for k in range(H + T):
        a = int(np.argmax((k + 1) * x - counts))
        path[k] = a
        counts[a] += 1
    idx = np.arange(T)[:, None] + np.arange(H)[None, :]
    flat = path[idx]
    schedule = np.stack(np.unravel_index(flat, U.shape[1:]), axis=-1).astype(np.int64)
    z0, z1 = zero_sum_nash(U[0]), zero_sum_nash(U[1].T)
    return TriggerPolicies(schedule, (z0.y, z1.y), np.array([z0.value, z1.value]))


def _own_payoffs(U: np.ndarray, i: int, schedule: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """On-path payoffs ``(T, H)`` of player ``i`` and its best one-shot deviation payoffs ``(T, H)``."""
    a0, a1 = schedule[..., 0], schedule[..., 1]
    if i == 0:
        return U[0][a0, a1], U[0][:, a1].max(axis=0)
    return U[1][a0, a1], U[1][a0, :].max(axis=-1)


def trigger_nash_gaps(payoffs, policies: TriggerPolicies) -> np.ndarray:
    r"""On-path stage Nash gaps ``(2, T, H)``: :math:`\max_b u_i(b, a^{(t)}_{-i,h}) - u_i(a^{(t)}_h)`."""
    U = as_float_array(payoffs, "payoffs")
    return np.stack([np.subtract(*_own_payoffs(U, i, policies.schedule)[::-1]) for i in range(2)])


def trigger_deviation_bound(payoffs, policies: TriggerPolicies) -> np.ndarray:
    r"""Upper bound ``(2,)`` on the CCE gap :math:`\Delta_i` of the uniform mixture of trigger policies.

    A deviator told the component ``t`` does at least as well as one that is
    not; against component ``t`` its best history-dependent response solves

    .. math::
        W_h = \max\Big(\tfrac{u_i(a_h)}{H} + W_{h+1},\;
        \max_{b \ne a_{i,h}} \tfrac{u_i(b, a_{-i,h})}{H} + \tfrac{(H-h-1)\, v_i}{H}\Big), \quad W_H = 0,

    with :math:`v_i` the minmax value (leaving the path is always detected,
    the path being pure, and the punisher then holds ``i`` to :math:`v_i` per
    step).  Returns :math:`\frac1T \sum_t [W^{(t)}_0 - \frac1H \sum_h u_i(a^{(t)}_h)] \ge \Delta_i`.
    """
    U = as_float_array(payoffs, "payoffs")
    T, H = policies.schedule.shape[:2]
    out = np.empty(2)
    for i in range(2):
        own, best = _own_payoffs(U, i, policies.schedule)
        W = np.zeros(T)
        for h in range(H - 1, -1, -1):
            W = np.maximum(own[:, h] / H + W, best[:, h] / H + (H - h - 1) * policies.minmax[i] / H)
        out[i] = float((W - own.sum(axis=1) / H).mean())
    return out


# =========================================================================== query-counting searches

@njit(cache=True)
def _mark(queried, a):
    if queried[a]:
        return 0
    queried[a] = True
    return 1


@njit(cache=True)
def _exhaustive_kernel(key, m, order, queried):
    n = 0
    for c in order:
        n += _mark(queried, c)
        ok = True
        for i in range(m):
            d = c ^ (1 << i)
            n += _mark(queried, d)
            if hashed_payoff(key, i, d) > hashed_payoff(key, i, c):
                ok = False
                break
        if ok:
            return n, c
    return n, -1


def exhaustive_pure_nash_search(game: HashedBinaryGame, seed) -> tuple[int, bool]:
    r"""Exact search for a pure Nash equilibrium in uniformly random order, counting the profiles read.

    A candidate ``a`` is accepted when no player gains by flipping its
    action (flips are read one at a time, stopping at the first improving
    one).  When the game has no pure equilibrium every one of the
    :math:`2^m` profiles is read, as any exact method must to certify that
    (an unread profile could be an equilibrium).

    Returns
    -------
    queries : int
        Distinct profiles read.
    found : bool
    """
    if not isinstance(game, HashedBinaryGame):
        raise ValidationError(f"game is {type(game).__name__} (rule: a HashedBinaryGame)")
    order = as_generator(seed).permutation(game.n_profiles).astype(np.int64)
    n, c = _exhaustive_kernel(np.uint64(game.key), game.m, order, np.zeros(game.n_profiles, np.bool_))
    return int(n), c >= 0


@njit(cache=True)
def _flip_differences(key, m, profiles, queried, sums):
    """Add :math:`u_i(a^{i \\to 1}) - u_i(a^{i \\to 0})` of every sampled profile to ``sums``; count new reads."""
    n = 0
    for a in profiles:
        n += _mark(queried, a)
        for i in range(m):
            d = a ^ (1 << i)
            n += _mark(queried, d)
            diff = hashed_payoff(key, i, a) - hashed_payoff(key, i, d)
            sums[i] += diff if (a >> i) & 1 else -diff
    return n


def sampled_uniform_nash_search(game: HashedBinaryGame, eps: float, delta: float, seed,
                                n0: int = 16) -> tuple[int, bool]:
    r"""Verify by sampling that the uniform profile is an ``eps``-Nash equilibrium, counting the profiles read.

    The Nash gap of the uniform profile for player ``i`` is :math:`|d_i|/2` with
    :math:`d_i = \mathbb E_{a \sim \mathrm{Unif}}[u_i(a^{i \to 1}) - u_i(a^{i \to 0})]`.
    Round ``k`` (``n = n_0 2^k`` uniform profiles in total, each read with
    its ``m`` flips) estimates every :math:`d_i` and accepts when
    :math:`\max_i (|\hat d_i| + r_k)/2 \le \varepsilon`, with Hoeffding's radius
    :math:`r_k = \sqrt{2 \ln(2 m 2^{k+1}/\delta)/n}` (union over players and
    rounds: a false acceptance has probability at most :math:`\delta`).
    When the samples would cover the :math:`2^m` profiles the search reads
    them all, computes :math:`d_i` exactly, and falls back to
    :func:`exhaustive_pure_nash_search` if the uniform profile is not an
    ``eps``-Nash equilibrium.  In a random game :math:`|d_i| \approx 2^{-(m-1)/2}`,
    so the reads grow like :math:`m \ln(m/\delta)/\varepsilon^2`, not :math:`2^m`.

    Returns
    -------
    queries : int
    found : bool
        Whether an (approximate) equilibrium was certified.
    """
    if not isinstance(game, HashedBinaryGame):
        raise ValidationError(f"game is {type(game).__name__} (rule: a HashedBinaryGame)")
    if not (0 < eps and 0 < delta < 1):
        raise ValidationError(f"eps = {eps}, delta = {delta} (rule: eps > 0, 0 < delta < 1)")
    rng = as_generator(seed)
    m, N, key = game.m, game.n_profiles, np.uint64(game.key)
    queried = np.zeros(N, np.bool_)
    sums = np.zeros(m)
    reads, drawn, k = 0, 0, 0
    while (n0 << k) * (m + 1) < N:
        target = n0 << k
        reads += _flip_differences(key, m, rng.integers(0, N, target - drawn), queried, sums)
        drawn = target
        r = np.sqrt(2.0 * np.log(2.0 * m * 2.0 ** (k + 1) / delta) / drawn)
        if np.max(np.abs(sums / drawn) + r) / 2.0 <= eps:
            return reads, True
        k += 1
    sums[:] = 0.0
    _flip_differences(key, m, np.arange(N, dtype=np.int64), queried, sums)
    if np.max(np.abs(sums / N)) / 2.0 <= eps:
        return N, True
    _, found = exhaustive_pure_nash_search(game, rng)
    return N, found

