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
:func:`regret_curve` (via :mod:`rltheory.solvers.games`):

.. math::
    \mathrm{Reg}_i(T) = \max_{\sigma_i'} \sum_{t \le T} \big[V_i^{\sigma_i' \times \sigma^{(t)}_{-i}} - V_i^{\sigma^{(t)}}\big]
    = T \cdot \Delta_i\big(\mathrm{Unif}\{\sigma^{(1)}, \dots, \sigma^{(T)}\}\big),

the CCE gap of the uniform mixture of the iterates (Section 1 of our
specification): if every :math:`\mathrm{Reg}_i(T) \le \varepsilon T`, the
iterates are a :math:`(T, \varepsilon)`-SparseCCE.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numba import njit

from .._errors import ValidationError
from .._validation import as_float_array, check_int
from .._random import as_generator
from ..models.games import MarkovGame
from ..envs._kernels import draw_from_pmf
from ..solvers import _games_kernels as K
from ..solvers import games as gs

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


@njit(cache=True)
def _softmax_policy(G, last, eta, acts, optimistic, pol):
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
def independent_hedge_kernel(P4, R4, ja, strides, acts, mu0, T, eta, optimistic, bandit, G, rng,
                             pols_out, values_out, returns_out):
    """Episode loop of independent (optimistic) Hedge; fills ``pols_out (T, m, H, S, Amax)``,
    ``values_out (T, m)`` (exact values) and ``returns_out (T, m)`` (realised returns, bandit)."""
    m, H, S, Amax = G.shape
    last = np.zeros_like(G)
    pol = np.zeros_like(G)
    V = np.zeros((m, H + 1, S))
    Q = np.zeros((m, H, S, Amax))
    traj_s = np.zeros(H, np.int64)
    traj_a = np.zeros((m, H), np.int64)
    traj_r = np.zeros((m, H))
    for t in range(T):
        _softmax_policy(G, last, eta, acts, optimistic, pol)
        pols_out[t] = pol
        K.product_q(P4, R4, pol, ja, V, Q)
        for i in range(m):
            v = 0.0
            for s in range(S):
                v += mu0[s] * V[i, 0, s]
            values_out[t, i] = v
        if not bandit:
            for i in range(m):
                for h in range(H):
                    for s in range(S):
                        for a in range(acts[i]):
                            g = H * Q[i, h, s, a]
                            G[i, h, s, a] += g
                            last[i, h, s, a] = g
            continue
        # bandit feedback: sample one episode of the joint product policy
        s = draw_from_pmf(mu0, S, rng.random())
        for h in range(H):
            hp = h if P4.shape[0] > 1 else 0
            hr = h if R4.shape[1] > 1 else 0
            traj_s[h] = s
            k = 0
            for i in range(m):
                a = draw_from_pmf(pol[i, h, s], acts[i], rng.random())
                traj_a[i, h] = a
                k += a * strides[i]
            for i in range(m):
                traj_r[i, h] = R4[i, hr, s, k]
            s = draw_from_pmf(P4[hp, s, k], S, rng.random())
        for i in range(m):
            ret = 0.0
            for h in range(H):
                ret += traj_r[i, h]
            returns_out[t, i] = ret
            togo = 0.0
            for h in range(H - 1, -1, -1):
                togo += traj_r[i, h]
                sh = traj_s[h]
                a = traj_a[i, h]
                loss = (H - h) - H * togo
                est = loss / pol[i, h, sh, a]
                G[i, h, sh, a] -= est
                for b in range(acts[i]):
                    last[i, h, sh, b] = 0.0
                last[i, h, sh, a] = -est


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
    independent_hedge_kernel(game.P4, game.R4, game.joint_actions, strides, acts, game.mu0, T,
                             eta_arr, bool(optimistic), feedback == "bandit", G, rng,
                             pols, values, returns)
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
    :func:`rltheory.solvers.games.markov_deviation_value`) or general
    history-dependent ones (``"general"``,
    :func:`rltheory.solvers.games.general_deviation_value`, exact by
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
    i = gs._check_player(game, player)
    steps = np.array([run.T] if steps is None else steps, dtype=np.int64)
    if steps.ndim != 1 or np.any(steps < 1) or np.any(steps > run.T):
        raise ValidationError(f"steps = {steps.tolist()} (rule: integers in 1..T = {run.T})")
    out = np.empty(len(steps))
    for k, n in enumerate(steps):
        pre = run.prefix(int(n))
        if deviations == "markov":
            best = gs.markov_deviation_value(game, pre, i).value
        elif deviations == "general":
            best = gs.general_deviation_value(game, pre, i)
        else:
            raise ValidationError(f"deviations = {deviations!r} (rule: 'markov' or 'general')")
        out[k] = n * best - float(run.values[:n, i].sum())
    return steps, out


__all__ = ["hedge_learning_rate", "independent_hedge", "IndependentRun", "regret_curve",
           "independent_hedge_kernel", "FEEDBACKS"]
