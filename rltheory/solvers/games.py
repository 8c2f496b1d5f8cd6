r"""Exact equilibria, best responses and equilibrium gaps of normal-form and Markov games.

Normal-form games (payoff tensors ``payoffs[i, a_1, ..., a_m]``):

* :func:`zero_sum_nash` -- value and optimal strategies of a two-player
  zero-sum matrix game by one maxmin LP (HiGHS dual simplex), both strategies
  read off one solve (primal and dual);
* :func:`normal_form_cce`, :func:`normal_form_ce` -- coarse correlated and
  correlated equilibria by LP (feasibility or maximum welfare);
* :func:`cce_gaps`, :func:`ce_gaps`, :func:`nash_gaps` -- the exact
  incentive gaps of a given joint distribution or product strategy.

Markov games (:class:`rltheory.models.games.MarkovGame`):

* :func:`zero_sum_markov_nash` -- Shapley's backward induction for
  two-player constant-sum games (Shapley 1953);
* :func:`markov_cce` -- a non-stationary Markov CCE of a known game by
  backward induction over stage-game CCE LPs;
* :func:`correlated_best_response`, :func:`correlated_cce_gaps` -- the best
  deviation of one player against a correlated Markov policy (an MDP; it is
  also the best *history-dependent* deviation, because fresh correlation at
  every step makes the history uninformative);
* :func:`general_deviation_value`, :func:`markov_deviation_value`,
  :func:`mixture_cce_gaps` -- the best deviation against a uniform (or
  weighted) mixture of ``T`` Markov product policies, over **general**
  (history-dependent) deviations, exactly by enumerating histories, and over
  **Markov** deviations;
* :func:`bayesian_deviator` -- the Monte Carlo Bayesian deviator of our
  specification (Section 3) for long repeated games, where enumeration is
  out of reach; in a repeated game it is an optimal general deviation;
* :func:`stage_nash_gaps` -- :math:`\mathrm{NashGap}_i(\sigma^{(t)}_h)` of every
  component and step of a repeated game.

Definitions follow Foster, Golowich & Kakade, *Hardness of Independent
Learning and Sparse Equilibrium Computation in Markov Games* (ICML 2023,
arXiv 2303.12287), Section 1 of our specification: for a distribution
:math:`P` over product policies, the :math:`\varepsilon`-CCE condition is

.. math::
    \max_{\sigma_i' \text{ general}} \mathbb E_{\sigma \sim P}\big[V_i^{\sigma_i' \times \sigma_{-i}}\big]
    - \mathbb E_{\sigma \sim P}\big[V_i^{\sigma}\big] \le \varepsilon \quad \forall i,

where the deviator commits before the draw and does not see which
:math:`\sigma` was drawn, but sees the history.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.optimize import linprog

from .._errors import ValidationError
from .._validation import as_float_array, check_distribution, check_int
from ..models.games import MarkovGame, check_joint_policy, check_product_policy
from ..kernels import linalg as _la
from . import _games_kernels as K

#: Feasibility tolerances handed to HiGHS (its smallest allowed values are 1e-10).
LP_TOL = 1e-10


def _f64(a) -> np.ndarray:
    return np.ascontiguousarray(a, dtype=np.float64)


def _mv(A, x) -> np.ndarray:
    """``A @ x`` contracting the last axis of ``A (..., n)`` with ``x (n,)``, in a fixed order (no BLAS)."""
    A = _f64(A)
    out = np.empty(A.shape[:-1])
    _la.matvec(A.reshape(-1, A.shape[-1]), _f64(x), out.reshape(-1))
    return out


def _vm(x, A) -> np.ndarray:
    """``x @ A`` for ``x (n,)``, ``A (n, m)``, rows added left to right (no BLAS)."""
    A = _f64(A)
    return _la.vecmat(_f64(x), A, np.empty(A.shape[1]))


def _mm(A, B) -> np.ndarray:
    """``A @ B`` for 2-d ``A (n, k)``, ``B (k, m)`` in a fixed order (no BLAS)."""
    A, B = _f64(A), _f64(B)
    return _la.matmul(A, B, np.empty((A.shape[0], B.shape[1])))


def _dot(x, y) -> float:
    """``x @ y`` for 1-d arrays in a fixed order (no BLAS)."""
    return float(_la.dot(_f64(x), _f64(y)))


def _readonly(*arrays):
    for a in arrays:
        a.setflags(write=False)


def _linprog(c, A_ub, b_ub, A_eq=None, b_eq=None, bounds=(0, None), what="LP"):
    res = linprog(c, A_ub=A_ub, b_ub=b_ub, A_eq=A_eq, b_eq=b_eq, bounds=bounds, method="highs-ds",
                  options={"presolve": False, "primal_feasibility_tolerance": LP_TOL,
                           "dual_feasibility_tolerance": LP_TOL})
    if res.status != 0:
        raise RuntimeError(f"{what}: HiGHS returned status {res.status} ({res.message})")
    return res


def _to_distribution(x: np.ndarray) -> np.ndarray:
    """Clip LP round-off below zero and renormalise."""
    x = np.maximum(np.asarray(x, dtype=np.float64), 0.0)
    return x / x.sum()


# =========================================================================== zero-sum matrix games

@dataclass(frozen=True, eq=False)
class ZeroSumNash:
    r"""Solution of a two-player zero-sum matrix game :math:`\max_x \min_y x^\top A y`.

    Attributes
    ----------
    value : float
        The game's value :math:`v^* = \max_x \min_y x^\top A y` (from the LP optimum).
    x : ndarray (n,)
        Maxmin strategy of the row player (who maximises :math:`x^\top A y`).
    y : ndarray (k,)
        Minmax strategy of the column player.
    lower, upper : float
        Certified bounds :math:`\min_j (x^\top A)_j \le v^* \le \max_i (A y)_i`
        computed from the returned strategies.
    """

    value: float
    x: np.ndarray
    y: np.ndarray
    lower: float
    upper: float

    @property
    def exploitability(self) -> float:
        r""":math:`\max_i (Ay)_i - \min_j (x^\top A)_j \ge 0`: the sum of both players' best-response gains."""
        return self.upper - self.lower


def zero_sum_nash(payoff) -> ZeroSumNash:
    r"""Value and optimal strategies of a zero-sum matrix game; the row player maximises :math:`x^\top A y`.

    Parameters
    ----------
    payoff : array_like(float), shape (n, k)
        :math:`A`, the row player's payoff (the column player receives :math:`-A`).
        Any finite real entries.

    Returns
    -------
    ZeroSumNash
        ``value``, ``x`` (n,), ``y`` (k,), and certified ``lower``/``upper`` bounds.

    Notes
    -----
    The payoff is first mapped to :math:`A' = 1 + (A - \min A)/(\max A - \min A)`
    (entries in :math:`[1, 2]`, value :math:`v' \ge 1`; the equilibria are
    unchanged by a positive affine map).  The maxmin LP of the row player
    (von Neumann 1928; e.g. Shoham & Leyton-Brown, *Multiagent Systems*, 2009,
    Section 4.2.2), with :math:`u = x / v'`, is

    .. code-block:: text

        (P)  minimise  sum_i u_i   subject to  sum_i u_i A'[i, j] >= 1  for every column j,   u >= 0,

    and its LP dual, with :math:`w = y / v'`, is the column player's problem

    .. code-block:: text

        (D)  maximise  sum_j w_j   subject to  sum_j A'[i, j] w_j <= 1  for every row i,      w >= 0.

    Both optima equal :math:`1/v'`.  We solve (D) with HiGHS's dual simplex
    (``scipy.optimize.linprog(method="highs-ds")``, presolve off, feasibility
    tolerances 1e-10) and read :math:`u` from the multipliers of its row
    constraints, so one solve gives :math:`y = w/\sum w`, :math:`x = u / \sum u`
    and :math:`v = \min A + (v' - 1)(\max A - \min A)`, clipped to the certified
    interval.  The simplex returns a basic (vertex) solution; the returned
    ``lower`` :math:`= \min_j (x^\top A)_j` and ``upper`` :math:`= \max_i (Ay)_i`
    certify it: :math:`\text{lower} \le v \le \text{upper}` always holds.

    Examples
    --------
    Rock–paper–scissors has value 0 and the uniform strategies:

    >>> r = zero_sum_nash([[0, -1, 1], [1, 0, -1], [-1, 1, 0]])
    >>> abs(r.value) < 1e-12, r.x.round(6).tolist()
    (True, [0.333333, 0.333333, 0.333333])
    """
    A = as_float_array(payoff, "payoff", ndim=2)
    n, k = A.shape
    if n < 1 or k < 1:
        raise ValidationError(f"payoff has shape {A.shape} (rule: at least one row and one column)")
    lo, hi = float(A.min()), float(A.max())
    if hi - lo == 0.0:
        x = np.full(n, 1.0 / n)
        y = np.full(k, 1.0 / k)
        _readonly(x, y)
        return ZeroSumNash(lo, x, y, lo, lo)
    Ap = 1.0 + (A - lo) / (hi - lo)
    res = _linprog(-np.ones(k), Ap, np.ones(n), what="zero_sum_nash (D)")
    total = -float(res.fun)                      # sum_j w_j = 1 / v'
    y = _to_distribution(res.x)
    x = _to_distribution(-res.ineqlin.marginals)
    value = lo + (1.0 / total - 1.0) * (hi - lo)
    lower = float(_vm(x, A).min())
    upper = float(_mv(A, y).max())
    # The strategies sum to 1 only up to one rounding step, which can leave the computed ends of
    # the certified interval one step apart in the wrong order: the interval is then taken between
    # them.  The LP value carries a relative error of the solver's tolerance times (max A - min A)
    # and is kept inside the interval (for payoffs of size 1e8 the LP value alone can leave it).
    lower, upper = min(lower, upper), max(lower, upper)
    value = min(max(value, lower), upper)
    _readonly(x, y)
    return ZeroSumNash(value, x, y, lower, upper)


# =========================================================================== normal-form CE / CCE

def _payoff_tensor(payoffs, name="payoffs") -> np.ndarray:
    U = as_float_array(payoffs, name)
    if U.ndim < 2 or U.ndim != U.shape[0] + 1 or min(U.shape) < 1:
        raise ValidationError(f"{name} has shape {U.shape} (rule: shape (m, A_1, ..., A_m), "
                              "payoffs[i, a_1, ..., a_m] is player i's payoff)")
    return U


def _joint_distribution(distribution, shape, name="distribution") -> np.ndarray:
    x = as_float_array(distribution, name)
    if x.shape != tuple(shape):
        if x.ndim == 1 and x.size == int(np.prod(shape)):
            x = x.reshape(shape)
        else:
            raise ValidationError(f"{name} has shape {x.shape} (rule: expected {tuple(shape)} "
                                  "or the flat joint distribution)")
    check_distribution(x.reshape(-1), name)
    return x


def cce_constraint_matrix(payoffs) -> np.ndarray:
    r"""Rows :math:`(i, a_i')` of the CCE inequalities :math:`\sum_a x(a)[u_i(a_i', a_{-i}) - u_i(a)] \le 0`.

    Returns an array ``(sum_i A_i, n_joint)`` acting on the flat (C-order) joint distribution.
    """
    U = _payoff_tensor(payoffs)
    m, acts = U.shape[0], U.shape[1:]
    rows = []
    for i in range(m):
        for ai in range(acts[i]):
            dev = np.take(U[i], [ai], axis=i)          # u_i(a_i', a_{-i}), broadcast over a_i
            rows.append((np.broadcast_to(dev, acts) - U[i]).reshape(-1))
    return np.array(rows)


def ce_constraint_matrix(payoffs) -> np.ndarray:
    r"""Rows :math:`(i, a_i, a_i')`, :math:`a_i' \ne a_i`, of the CE inequalities.

    :math:`\sum_{a_{-i}} x(a_i, a_{-i})\,[u_i(a_i', a_{-i}) - u_i(a_i, a_{-i})] \le 0`.
    Returns an array ``(sum_i A_i (A_i - 1), n_joint)``.
    """
    U = _payoff_tensor(payoffs)
    m, acts = U.shape[0], U.shape[1:]
    rows = []
    for i in range(m):
        for ai in range(acts[i]):
            for bi in range(acts[i]):
                if bi == ai:
                    continue
                row = np.zeros(acts)
                idx = [slice(None)] * m
                idx[i] = ai
                idx = tuple(idx)
                row[idx] = np.take(U[i], bi, axis=i) - np.take(U[i], ai, axis=i)
                rows.append(row.reshape(-1))
    if not rows:
        return np.zeros((0, int(np.prod(acts))))
    return np.array(rows)


def cce_gaps(payoffs, distribution) -> np.ndarray:
    r"""CCE gap of every player: :math:`\max_{a_i'} \mathbb E_{a \sim x}[u_i(a_i', a_{-i})] - \mathbb E_{a \sim x}[u_i(a)]`.

    Parameters
    ----------
    payoffs : array (m, A_1, ..., A_m)
    distribution : array (A_1, ..., A_m) or flat (n_joint,)
        A joint distribution :math:`x`.

    Returns
    -------
    ndarray (m,)
        May be negative (no deviation tempts the player); :math:`x` is an
        :math:`\varepsilon`-CCE iff every entry is :math:`\le \varepsilon`.
    """
    U = _payoff_tensor(payoffs)
    x = _joint_distribution(distribution, U.shape[1:])
    out = np.empty(U.shape[0])
    for i in range(U.shape[0]):
        xm = x.sum(axis=i, keepdims=True)               # marginal of a_{-i}
        dev = (U[i] * xm).sum(axis=tuple(j for j in range(U.shape[0]) if j != i))
        out[i] = dev.max() - float((U[i] * x).sum())
    return out


def ce_gaps(payoffs, distribution) -> np.ndarray:
    r"""CE gap of every player: :math:`\sum_{a_i} \max_{a_i'} \sum_{a_{-i}} x(a)[u_i(a_i', a_{-i}) - u_i(a)] \ge 0`.

    :math:`x` is a CE iff every entry is 0 (each max is attained at
    :math:`a_i' = a_i` with value 0 or above).
    """
    U = _payoff_tensor(payoffs)
    x = _joint_distribution(distribution, U.shape[1:])
    m, acts = U.shape[0], U.shape[1:]
    out = np.zeros(m)
    for i in range(m):
        Ui = np.moveaxis(U[i], i, 0).reshape(acts[i], -1)      # (A_i, B)
        xi = np.moveaxis(x, i, 0).reshape(acts[i], -1)
        # gain[a_i, a_i'] = sum_b x(a_i, b) (u(a_i', b) - u(a_i, b))
        gain = _mm(xi, Ui.T) - (xi * Ui).sum(axis=1)[:, None]
        out[i] = gain.max(axis=1).sum()
    return out


def nash_gaps(payoffs, strategies) -> np.ndarray:
    r""":math:`\mathrm{NashGap}_i(x) = \max_{a_i} u_i(a_i, x_{-i}) - u_i(x)` of a product strategy.

    Parameters
    ----------
    payoffs : array (m, A_1, ..., A_m)
    strategies : sequence of m arrays (A_i,)
    """
    U = _payoff_tensor(payoffs)
    m = U.shape[0]
    if len(strategies) != m:
        raise ValidationError(f"strategies has {len(strategies)} entries (rule: one per player, m = {m})")
    xs = []
    for i, s in enumerate(strategies):
        v = as_float_array(s, f"strategies[{i}]", ndim=1)
        if v.shape != (U.shape[1 + i],):
            raise ValidationError(f"strategies[{i}] has shape {v.shape} (rule: ({U.shape[1 + i]},))")
        check_distribution(v, f"strategies[{i}]")
        xs.append(v)
    joint = xs[0]
    for v in xs[1:]:
        joint = np.multiply.outer(joint, v)
    return cce_gaps(U, joint)


@dataclass(frozen=True, eq=False)
class CorrelatedEquilibrium:
    r"""A (coarse) correlated equilibrium of a normal-form game.

    Attributes
    ----------
    kind : {"CCE", "CE"}
    distribution : ndarray (A_1, ..., A_m)
        The joint distribution :math:`x` over action profiles.
    values : ndarray (m,)
        :math:`\mathbb E_{a \sim x}[u_i(a)]`.
    welfare : float
        :math:`\sum_i` ``values[i]``.
    gaps : ndarray (m,)
        :func:`cce_gaps` (kind ``"CCE"``) or :func:`ce_gaps` (kind ``"CE"``) of ``distribution``.
    max_violation : float
        Largest left-hand side of the defining inequalities (``<= 0`` up to round-off).
    """

    kind: str
    distribution: np.ndarray
    values: np.ndarray
    welfare: float
    gaps: np.ndarray
    max_violation: float

    @property
    def support_size(self) -> int:
        """Number of profiles with probability above 1e-12."""
        return int((self.distribution > 1e-12).sum())


def _correlated_lp(U, kind, objective):
    m, acts = U.shape[0], U.shape[1:]
    n = int(np.prod(acts))
    G = cce_constraint_matrix(U) if kind == "CCE" else ce_constraint_matrix(U)
    if objective == "welfare":
        c = -U.reshape(m, n).sum(axis=0)
    elif objective == "feasible":
        c = np.zeros(n)
    else:
        raise ValidationError(f"objective = {objective!r} (rule: 'feasible' or 'welfare')")
    # Scale each incentive row to unit max-norm (same feasible set, better conditioning).
    scale = np.abs(G).max(axis=1) if G.size else np.zeros(0)
    keep = scale > 0
    Gs = G[keep] / scale[keep, None]
    res = _linprog(c, Gs if Gs.size else None, np.zeros(Gs.shape[0]) if Gs.size else None,
                   A_eq=np.ones((1, n)), b_eq=[1.0], what=f"{kind} LP")
    x = _to_distribution(res.x).reshape(acts)
    viol = float(_mv(G, x.reshape(-1)).max()) if G.size else 0.0
    values = np.array([(U[i] * x).sum() for i in range(m)])
    gaps = cce_gaps(U, x) if kind == "CCE" else ce_gaps(U, x)
    _readonly(x, values, gaps)
    return CorrelatedEquilibrium(kind, x, values, float(values.sum()), gaps, viol)


def normal_form_cce(payoffs, objective: str = "feasible") -> CorrelatedEquilibrium:
    r"""A coarse correlated equilibrium of a normal-form game by LP.

    .. code-block:: text

        find / maximise   sum_a x(a) sum_i u_i(a)          (objective = "feasible" / "welfare")
        subject to        sum_a x(a) [u_i(a_i', a_-i) - u_i(a)] <= 0   for every player i and a_i'
                          sum_a x(a) = 1,  x >= 0

    (Hannan 1957; Moulin & Vial 1978; the LP of Section 4 of our specification
    of arXiv 2303.12287.)  HiGHS's dual simplex returns a vertex, typically
    supported on at most (#constraints + 1) profiles.

    Parameters
    ----------
    payoffs : array_like (m, A_1, ..., A_m)
    objective : {"feasible", "welfare"}
    """
    return _correlated_lp(_payoff_tensor(payoffs), "CCE", objective)


def normal_form_ce(payoffs, objective: str = "feasible") -> CorrelatedEquilibrium:
    r"""A correlated equilibrium (Aumann 1974) of a normal-form game by LP.

    .. code-block:: text

        find / maximise   sum_a x(a) sum_i u_i(a)
        subject to        sum_{a_-i} x(a_i, a_-i) [u_i(a_i', a_-i) - u_i(a_i, a_-i)] <= 0
                              for every player i and every pair a_i != a_i'
                          sum_a x(a) = 1,  x >= 0
    """
    return _correlated_lp(_payoff_tensor(payoffs), "CE", objective)


# =========================================================================== Markov games: helpers

def _check_game(game) -> MarkovGame:
    if not isinstance(game, MarkovGame):
        raise ValidationError(f"game is {type(game).__name__} (rule: a rltheory.models.games.MarkovGame)")
    return game


def _check_player(game: MarkovGame, player) -> int:
    p = check_int(player, "player", minimum=0)
    if p >= game.m:
        raise ValidationError(f"player = {p} (rule: 0 <= player < m = {game.m})")
    return p


def _weights(weights, T: int) -> np.ndarray:
    if weights is None:
        return np.full(T, 1.0 / T)
    w = as_float_array(weights, "weights", ndim=1)
    if w.shape != (T,):
        raise ValidationError(f"weights has shape {w.shape} (rule: one weight per component, ({T},))")
    check_distribution(w, "weights")
    return w


def _join_table(actions: tuple, player: int) -> np.ndarray:
    """``join[a_i, b]``: flat joint index of ``a_i`` with the opponents' flat profile ``b``."""
    if len(actions) == 1:
        return np.arange(actions[0], dtype=np.int64)[:, None]
    others = [a for j, a in enumerate(actions) if j != player]
    B = int(np.prod(others)) if others else 1
    bs = np.array(np.unravel_index(np.arange(B), others), dtype=np.int64).reshape(len(others), B)
    out = np.empty((actions[player], B), dtype=np.int64)
    for ai in range(actions[player]):
        idx = list(bs)
        idx.insert(player, np.full(B, ai, dtype=np.int64))
        out[ai] = np.ravel_multi_index(tuple(idx), actions)
    return out


def _deviation_arrays(game: MarkovGame, player: int):
    """``rew (H, S, A_i, B)`` and ``Pn (H, S, A_i, B, S)`` of player ``player`` (see the kernels)."""
    join = _join_table(game.actions, player)
    Rf = game.R_full()[player]                        # (H, S, nJ)
    rew = np.ascontiguousarray(Rf[:, :, join])        # (H, S, A_i, B)
    Pf = game.P_full()                                # (H, S, nJ, S)
    Pn = np.ascontiguousarray(Pf[:, :, join, :])      # (H, S, A_i, B, S)
    return rew, Pn, join


def _opponents(policies, player: int) -> np.ndarray:
    r"""``Opp (T, H, S, B)``: :math:`\prod_{j \ne i} \sigma^{(t)}_{j,h}(b_j \mid s)`, C order over ``j``."""
    T, H, S = policies[0].shape[:3]
    out = np.ones((T, H, S, 1))
    for j, p in enumerate(policies):
        if j == player:
            continue
        out = (out[..., :, None] * p[..., None, :]).reshape(T, H, S, -1)
    return np.ascontiguousarray(out)


def _pad(policies) -> np.ndarray:
    """``(T, m, H, S, Amax)`` zero-padded product policies."""
    T, H, S = policies[0].shape[:3]
    Amax = max(p.shape[3] for p in policies)
    out = np.zeros((T, len(policies), H, S, Amax))
    for j, p in enumerate(policies):
        out[:, j, :, :, :p.shape[3]] = p
    return out


# =========================================================================== zero-sum Markov games

@dataclass(frozen=True, eq=False)
class ZeroSumMarkovNash:
    r"""Minimax solution of a two-player constant-sum Markov game (player 0 maximises its return).

    Attributes
    ----------
    V : ndarray (H+1, S)
        :math:`V^*_h(s)`, player 0's minimax value-to-go; ``V[H] = 0``.
    x : ndarray (H, S, A_1)
        Player 0's Markov minimax policy.
    y : ndarray (H, S, A_2)
        Player 1's Markov minimax policy.
    value : float
        :math:`\sum_s \mu_0(s) V^*_0(s)`.
    """

    V: np.ndarray
    x: np.ndarray
    y: np.ndarray
    value: float


def zero_sum_markov_nash(game: MarkovGame) -> ZeroSumMarkovNash:
    r"""Shapley's backward induction for a two-player constant-sum Markov game.

    .. math::
        V_H = 0, \qquad
        V_h(s) = \operatorname{val}\Big[R_{1,h}(s, a_1, a_2) + \sum_{s'} P_h(s' \mid s, a_1, a_2) V_{h+1}(s')\Big]_{a_1, a_2},

    where :math:`\operatorname{val}` is the value of the matrix game
    (:func:`zero_sum_nash`) and the stage strategies are the maxmin/minmax
    strategies (Shapley, *Stochastic games*, PNAS 1953; finite-horizon form).

    Raises
    ------
    rltheory.ValidationError
        Unless ``m = 2`` and :math:`R_{1,h}(s, a) + R_{2,h}(s, a) = c_h` is the same
        constant for every state and joint action at each step (then the sum of
        the returns is the constant :math:`\sum_h c_h` and the game is zero-sum up to a shift).
    """
    g = _check_game(game)
    if g.m != 2:
        raise ValidationError(f"game has m = {g.m} players (rule: zero_sum_markov_nash needs m = 2)")
    Rf = g.R_full()
    tot = Rf[0] + Rf[1]                                # (H, S, nJ)
    c = tot.reshape(g.H, -1)
    spread = c.max(axis=1) - c.min(axis=1)
    if np.any(spread > 1e-12):
        h = int(np.argmax(spread))
        raise ValidationError(f"R[0] + R[1] varies by {spread[h]:.3g} at step {h} "
                              "(rule: constant-sum stage rewards, R_1 + R_2 = c_h for all s, a)")
    A1, A2 = g.actions
    V = np.zeros((g.H + 1, g.S))
    x = np.zeros((g.H, g.S, A1))
    y = np.zeros((g.H, g.S, A2))
    Pf = g.P_full()
    for h in range(g.H - 1, -1, -1):
        Q = Rf[0, h] + _mv(Pf[h], V[h + 1])           # (S, nJ)
        for s in range(g.S):
            r = zero_sum_nash(Q[s].reshape(A1, A2))
            V[h, s] = r.value
            x[h, s] = r.x
            y[h, s] = r.y
    _readonly(V, x, y)
    return ZeroSumMarkovNash(V, x, y, _dot(g.mu0, V[0]))


# =========================================================================== correlated Markov policies

@dataclass(frozen=True, eq=False)
class MarkovCCE:
    r"""A non-stationary Markov CCE of a known Markov game.

    Attributes
    ----------
    policy : ndarray (H, S, n_joint)
        Correlated Markov policy :math:`x_h(\cdot \mid s)` over flat joint actions.
    V : ndarray (m, H+1, S)
        :math:`V_{i,h}(s) = \mathbb E_{a \sim x_h(s)}[Q_{i,h}(s, a)]`.
    values : ndarray (m,)
        :math:`\sum_s \mu_0(s) V_{i,0}(s)`.
    """

    policy: np.ndarray
    V: np.ndarray
    values: np.ndarray


def markov_cce(game: MarkovGame, objective: str = "feasible") -> MarkovCCE:
    r"""A Markov CCE by backward induction over stage-game CCE LPs.

    At each :math:`(h, s)`, from :math:`h = H-1` down to 0:

    .. math::
        Q_{i,h}(s, a) = R_{i,h}(s, a) + \sum_{s'} P_h(s' \mid s, a) V_{i,h+1}(s'), \quad
        x_h(s) = \mathrm{CCE}\big(\{Q_{i,h}(s, \cdot)\}_i\big), \quad
        V_{i,h}(s) = \mathbb E_{a \sim x_h(s)} Q_{i,h}(s, a).

    The result is a correlated Markov policy; with fresh correlation at every
    step it is a CCE even against history-dependent deviations (Section 4 of
    our specification of arXiv 2303.12287), but it is not a sparse mixture of
    product policies.  ``objective="welfare"`` maximises the stage welfare at
    every :math:`(h, s)`.
    """
    g = _check_game(game)
    V = np.zeros((g.m, g.H + 1, g.S))
    X = np.zeros((g.H, g.S, g.n_joint))
    Rf, Pf = g.R_full(), g.P_full()
    for h in range(g.H - 1, -1, -1):
        for s in range(g.S):
            Q = Rf[:, h, s] + np.einsum("as,is->ia", Pf[h, s], V[:, h + 1])   # (m, nJ)
            eq = normal_form_cce(Q.reshape((g.m,) + g.actions), objective=objective)
            x = eq.distribution.reshape(-1)
            X[h, s] = x
            V[:, h, s] = _mv(Q, x)
    values = _mv(V[:, 0], g.mu0)
    _readonly(X, V, values)
    return MarkovCCE(X, V, values)


def correlated_policy_values(game: MarkovGame, policy) -> np.ndarray:
    r"""Values ``(m, H+1, S)`` of a correlated Markov policy ``policy (H, S, n_joint)``."""
    g = _check_game(game)
    X = check_joint_policy(policy, g)
    V = np.zeros((g.m, g.H + 1, g.S))
    Rf, Pf = g.R_full(), g.P_full()
    for h in range(g.H - 1, -1, -1):
        Q = Rf[:, h] + np.einsum("sat,it->isa", Pf[h], V[:, h + 1])           # (m, S, nJ)
        V[:, h] = (Q * X[h][None]).sum(axis=2)
    return V


@dataclass(frozen=True, eq=False)
class BestResponse:
    r"""A best deviation of one player.

    Attributes
    ----------
    value : float
        The deviator's expected return.
    policy : ndarray (H, S) int64 or None
        A deterministic Markov best response where one exists (``None`` for
        history-dependent deviations, which are not returned).
    """

    value: float
    policy: np.ndarray | None = None


def correlated_best_response(game: MarkovGame, policy, player: int) -> BestResponse:
    r"""Best deviation of ``player`` against a correlated Markov policy (the CCE deviation).

    The deviator ignores its recommendations; the others play the marginal
    :math:`x_{-i,h}(b \mid s) = \sum_{a_i} x_h((a_i, b) \mid s)`, drawn afresh
    at every step and independent of the past, so the best history-dependent
    deviation is the optimal policy of the MDP

    .. math::
        Q_h(s, a_i) = \sum_b x_{-i,h}(b \mid s)\Big[R_{i,h}(s, a_i, b)
        + \sum_{s'} P_h(s' \mid s, a_i, b) V_{h+1}(s')\Big], \quad V_h(s) = \max_{a_i} Q_h(s, a_i).
    """
    g = _check_game(game)
    i = _check_player(g, player)
    X = check_joint_policy(policy, g)
    rew, Pn, join = _deviation_arrays(g, i)
    xm = X[:, :, join].sum(axis=2)                    # (H, S, B)
    V = np.zeros(g.S)
    pol = np.zeros((g.H, g.S), dtype=np.int64)
    for h in range(g.H - 1, -1, -1):
        Q = np.einsum("sb,sab->sa", xm[h], rew[h] + _mv(Pn[h], V))
        pol[h] = Q.argmax(axis=1)
        V = Q.max(axis=1)
    _readonly(pol)
    return BestResponse(_dot(g.mu0, V), pol)


def correlated_cce_gaps(game: MarkovGame, policy) -> np.ndarray:
    r"""CCE gap ``(m,)`` of a correlated Markov policy: best deviation value minus its value."""
    g = _check_game(game)
    X = check_joint_policy(policy, g)
    V = correlated_policy_values(g, X)
    return np.array([correlated_best_response(g, X, i).value - _dot(g.mu0, V[i, 0])
                     for i in range(g.m)])


# =========================================================================== mixtures of product policies

def product_policy_values(game: MarkovGame, policies) -> np.ndarray:
    r"""Values :math:`V_i^{\sigma^{(t)}}` ``(T, m)`` of ``T`` Markov product policies.

    ``policies[i]`` has shape ``(T, H, S, A_i)`` (see
    :func:`rltheory.models.games.check_product_policy`).
    """
    g = _check_game(game)
    pols = check_product_policy(policies, g)
    return K.product_values(g.P4, g.R4, _pad(pols), g.joint_actions, g.mu0)


def mixture_values(game: MarkovGame, policies, weights=None) -> np.ndarray:
    r""":math:`\mathbb E_{t \sim w}[V_i^{\sigma^{(t)}}]` ``(m,)`` of a (uniform by default) mixture."""
    g = _check_game(game)
    pols = check_product_policy(policies, g)
    w = _weights(weights, pols[0].shape[0])
    return _vm(w, K.product_values(g.P4, g.R4, _pad(pols), g.joint_actions, g.mu0))


#: Default cap on the number of histories :func:`general_deviation_value` may visit.
MAX_HISTORY_NODES = 5_000_000


def general_deviation_value(game: MarkovGame, policies, player: int, weights=None,
                            max_nodes: int = MAX_HISTORY_NODES) -> float:
    r"""Exact value of the best **history-dependent** deviation against a mixture of Markov product policies.

    .. math::
        \max_{\sigma_i \text{ general}} \sum_t w_t\, V_i^{\sigma_i \times \sigma^{(t)}_{-i}}.

    The deviator sees states and the opponents' actions but not the
    component :math:`t`; it keeps the Bayesian posterior
    :math:`w_{t,h} \propto w_t \prod_{h' < h} \sigma^{(t)}_{-i,h'}(a_{-i,h'} \mid s_{h'})`
    (transition probabilities do not depend on :math:`t` and cancel).
    The optimum is computed by backward induction over the tree of
    observable histories (``rltheory.solvers._games_kernels.general_br_value``),
    which has :math:`\sum_{h<H} S^{h+1} B^h` nodes with :math:`B = \prod_{j \ne i} A_j`.
    Markov opponents do not react to the deviator's past actions, so its own
    actions matter only through the states.

    Raises
    ------
    rltheory.ValidationError
        When the history tree exceeds ``max_nodes`` (use :func:`bayesian_deviator`
        for long repeated games).
    """
    g = _check_game(game)
    i = _check_player(g, player)
    pols = check_product_policy(policies, g)
    w = _weights(weights, pols[0].shape[0])
    rew, Pn, _ = _deviation_arrays(g, i)
    val, nodes = K.general_br_value(_opponents(pols, i), rew, Pn, g.mu0, w, int(max_nodes))
    if nodes < 0:
        raise ValidationError(f"the history tree of player {i} has more than max_nodes = {max_nodes} "
                              "nodes (rule: exact enumeration only for small S, B and H; use "
                              "bayesian_deviator for long repeated games)")
    return float(val)


#: Default cap on the number of deterministic Markov policies :func:`markov_deviation_value` enumerates.
MAX_MARKOV_POLICIES = 200_000


def markov_deviation_value(game: MarkovGame, policies, player: int, weights=None,
                           max_policies: int = MAX_MARKOV_POLICIES) -> BestResponse:
    r"""Exact value of the best **Markov** deviation against a mixture of Markov product policies.

    .. math::
        \max_{\pi_i \text{ Markov}} \sum_t w_t\, V_i^{\pi_i \times \sigma^{(t)}_{-i}}.

    * ``T = 1``: an MDP, solved by backward induction.
    * ``S = 1`` (the state never changes): the objective separates over steps,
      :math:`\sum_h \max_{a_i} \sum_t w_t \sum_b \sigma^{(t)}_{-i,h}(b) R_{i,h}(a_i, b)`.
    * Otherwise the problem is a multi-model MDP (NP-hard in general); the
      objective is multilinear in the per-(h, s) choices, so it is maximised
      by enumerating the :math:`A_i^{HS}` deterministic Markov policies, when
      there are at most ``max_policies`` of them.
    """
    g = _check_game(game)
    i = _check_player(g, player)
    pols = check_product_policy(policies, g)
    T = pols[0].shape[0]
    w = _weights(weights, T)
    rew, Pn, _ = _deviation_arrays(g, i)
    Opp = _opponents(pols, i)
    if T == 1 or g.S == 1:
        # S == 1: the state never changes, so V_{h+1} is a constant and steps separate
        # (sum over t is linear); T == 1: a plain MDP.  Both: backward induction on the
        # mixture's expected stage rewards, valid since S == 1 or a single model.
        V = np.zeros(g.S)
        pol = np.zeros((g.H, g.S), dtype=np.int64)
        if T == 1:
            for h in range(g.H - 1, -1, -1):
                Q = np.einsum("sb,sab->sa", Opp[0, h], rew[h] + _mv(Pn[h], V))
                pol[h] = Q.argmax(axis=1)
                V = Q.max(axis=1)
            return BestResponse(_dot(g.mu0, V), pol)
        total = 0.0
        for h in range(g.H):
            q = np.einsum("t,tb->b", w, Opp[:, h, 0])
            stage = _mv(rew[h, 0], q)
            pol[h, 0] = int(stage.argmax())
            total += float(stage.max())
        return BestResponse(total, pol)
    count = float(g.actions[i]) ** (g.H * g.S)
    if count > max_policies:
        raise ValidationError(f"the best Markov deviation against a mixture of T = {T} policies with "
                              f"S = {g.S} > 1 needs {count:.3g} > max_policies = {max_policies} "
                              "deterministic policies (rule: a multi-model MDP, exact only by enumeration)")
    val, pol = K.markov_br_enumerate(Opp, rew, Pn, g.mu0, w)
    return BestResponse(float(val), pol)


def mixture_cce_gaps(game: MarkovGame, policies, deviations: str = "general", weights=None) -> np.ndarray:
    r"""CCE gap ``(m,)`` of a mixture of Markov product policies against ``"general"`` or ``"markov"`` deviations.

    .. math::
        \Delta_i = \max_{\sigma_i'} \sum_t w_t V_i^{\sigma_i' \times \sigma^{(t)}_{-i}} - \sum_t w_t V_i^{\sigma^{(t)}}.

    For the iterates of ``T`` episodes of independent learners this is
    :math:`\mathrm{Reg}_i(T)/T` (Section 1 of our specification of arXiv 2303.12287).
    With ``T = 1`` it is the Nash gap (exploitability) of one product policy,
    and both deviation classes give the same value (a single Markov opponent
    profile leaves an MDP).
    """
    g = _check_game(game)
    pols = check_product_policy(policies, g)
    w = _weights(weights, pols[0].shape[0])
    base = _vm(w, K.product_values(g.P4, g.R4, _pad(pols), g.joint_actions, g.mu0))
    out = np.empty(g.m)
    for i in range(g.m):
        if deviations == "general":
            best = general_deviation_value(g, pols, i, w)
        elif deviations == "markov":
            best = markov_deviation_value(g, pols, i, w).value
        else:
            raise ValidationError(f"deviations = {deviations!r} (rule: 'general' or 'markov')")
        out[i] = best - base[i]
    return out


@dataclass(frozen=True)
class MonteCarloEstimate:
    """A Monte Carlo mean with its standard error and sample size."""

    mean: float
    se: float
    n: int


def bayesian_deviator(game: MarkovGame, policies, player: int, n_episodes: int, seed,
                      weights=None) -> MonteCarloEstimate:
    r"""Monte Carlo value of the Bayesian deviator against a mixture of Markov product policies (repeated games).

    At step ``h`` the deviator plays a best response to the posterior
    predictive :math:`\hat q_h = \sum_t w_{t,h} \sigma^{(t)}_{-i,h}`, with
    :math:`w_{t,h} \propto w_t \prod_{h'<h} \sigma^{(t)}_{-i,h'}(a_{-i,h'})`
    (Section 3 of our specification of arXiv 2303.12287, derived).  In a
    repeated game (one state) Markov opponents do not react to the deviator,
    so this myopic rule is an optimal general deviation and the estimate is
    unbiased for :func:`general_deviation_value`.

    Parameters
    ----------
    n_episodes : int
    seed : int, SeedSequence or Generator

    Raises
    ------
    rltheory.ValidationError
        If ``S > 1`` (the myopic rule is then not optimal).
    """
    from .._random import as_generator
    g = _check_game(game)
    if g.S != 1:
        raise ValidationError(f"game has S = {g.S} states (rule: the Bayesian deviator is defined for "
                              "repeated games, S = 1)")
    i = _check_player(g, player)
    n = check_int(n_episodes, "n_episodes", minimum=2)
    pols = check_product_policy(policies, g)
    w = _weights(weights, pols[0].shape[0])
    rew, _, _ = _deviation_arrays(g, i)
    rng = as_generator(seed)
    mean, se = K.bayes_deviator_mc(_opponents(pols, i), rew, w, n, rng)
    return MonteCarloEstimate(float(mean), float(se), n)


def stage_nash_gaps(game: MarkovGame, policies) -> np.ndarray:
    r""":math:`\mathrm{NashGap}_i(\sigma^{(t)}_h)` for every player, component and step of a repeated game.

    .. math::
        \mathrm{NashGap}_i(x) = \max_{a_i} u_i(a_i, x_{-i}) - u_i(x), \qquad u_i = H R_i \in [0, 1].

    Returns
    -------
    ndarray (m, T, H)
    """
    g = _check_game(game)
    U = g.payoffs()
    pols = check_product_policy(policies, g)
    T = pols[0].shape[0]
    out = np.empty((g.m, T, g.H))
    for i in range(g.m):
        join = _join_table(g.actions, i)
        Ui = U[i].reshape(-1)[join]                    # (A_i, B)
        Opp = _opponents(pols, i)[:, :, 0]             # (T, H, B)
        dev = np.einsum("ab,thb->tha", Ui, Opp)         # u_i(a_i, sigma_-i)
        own = np.einsum("tha,tha->th", dev, pols[i][:, :, 0])
        out[i] = dev.max(axis=2) - own
    return out


__all__ = [
    "ZeroSumNash", "zero_sum_nash", "CorrelatedEquilibrium", "normal_form_cce", "normal_form_ce",
    "cce_gaps", "ce_gaps", "nash_gaps", "cce_constraint_matrix", "ce_constraint_matrix",
    "ZeroSumMarkovNash", "zero_sum_markov_nash", "MarkovCCE", "markov_cce",
    "correlated_policy_values", "BestResponse", "correlated_best_response", "correlated_cce_gaps",
    "product_policy_values", "mixture_values", "general_deviation_value", "markov_deviation_value",
    "mixture_cce_gaps", "MonteCarloEstimate", "bayesian_deviator", "stage_nash_gaps",
]


# =========================================================================== query counting (illustration)

@dataclass(frozen=True)
class PureNashSearch:
    """Outcome of a query-counting search for a pure Nash equilibrium.

    Attributes
    ----------
    profile : tuple of int or None
        A pure Nash equilibrium, or ``None`` when the game has none.
    queries : int
        Number of distinct joint profiles whose payoffs were read.
    n_profiles : int
        ``prod(A_i)``.
    """

    profile: tuple | None
    queries: int
    n_profiles: int


def pure_nash_search(payoffs, seed) -> PureNashSearch:
    r"""Exact search for a pure Nash equilibrium in random order, counting the profiles it queries.

    Candidates are visited in a uniformly random order; a candidate ``a`` is
    accepted when no unilateral deviation :math:`(a_i', a_{-i})` improves
    :math:`u_i` (deviations are queried one at a time, stopping at the first
    improving one).  A query reads the payoff vector of one joint profile;
    the count is of distinct profiles.  When the game has no pure equilibrium
    every profile is queried, as an exact mixed-equilibrium (or CCE) LP would.

    In a random game with i.i.d. continuous payoffs each profile is a pure
    equilibrium with probability :math:`\prod_i A_i^{-1}`, so the expected
    number of equilibria is 1 and the search reads a constant fraction of the
    :math:`\prod_i A_i` profiles: :math:`2^m` for binary actions.  This
    illustrates the exponential-in-``m`` query cost behind the statistical
    lower bound of arXiv 2303.12287 (whose formal statement, via Babichenko
    2016 and Rubinstein 2016, is reconstructed [R] in our specification).
    """
    from .._random import as_generator
    U = _payoff_tensor(payoffs)
    m, acts = U.shape[0], U.shape[1:]
    n = int(np.prod(acts))
    flat = U.reshape(m, n)
    strides = [int(np.prod(acts[i + 1:])) for i in range(m)]
    rng = as_generator(seed)
    queried = np.zeros(n, dtype=bool)
    for c in rng.permutation(n):
        queried[c] = True
        prof = np.unravel_index(int(c), acts)
        ok = True
        for i in range(m):
            for alt in range(acts[i]):
                if alt == prof[i]:
                    continue
                d = int(c) + (alt - int(prof[i])) * strides[i]
                queried[d] = True
                if flat[i, d] > flat[i, c]:
                    ok = False
                    break
            if not ok:
                break
        if ok:
            return PureNashSearch(tuple(int(p) for p in prof), int(queried.sum()), n)
    return PureNashSearch(None, int(queried.sum()), n)


__all__ += ["PureNashSearch", "pure_nash_search"]
