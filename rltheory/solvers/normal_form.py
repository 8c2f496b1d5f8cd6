r"""Exact equilibria and incentive gaps of normal-form games.

Payoff tensors ``payoffs[i, a_1, ..., a_m]`` (player ``i``'s payoff at the
profile ``a``; ``m`` players, ``A_i`` actions each):

* :func:`zero_sum_nash` -- value and optimal strategies of a two-player
  zero-sum matrix game by one maxmin LP (HiGHS dual simplex), both strategies
  read off one solve (primal and dual);
* :func:`normal_form_cce`, :func:`normal_form_ce` -- coarse correlated and
  correlated equilibria by LP (feasibility or maximum welfare), with their
  constraint matrices :func:`cce_constraint_matrix`, :func:`ce_constraint_matrix`;
* :func:`cce_gaps`, :func:`ce_gaps`, :func:`nash_gaps` -- the exact
  incentive gaps of a given joint distribution or product strategy;
* :func:`pure_nash_search` -- a query-counting exact search for a pure Nash
  equilibrium (an illustration of the lower bound of arXiv 2303.12287).

Definitions follow Foster, Golowich & Kakade, *Hardness of Independent
Learning and Sparse Equilibrium Computation in Markov Games* (ICML 2023,
arXiv 2303.12287), Section 1 of our specification.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.optimize import linprog

from .._errors import ValidationError
from .._validation import as_float_array, check_distribution
from ._games_common import _mm, _mv, _vm
from .results import _readonly

__all__ = [
    "ZeroSumNash", "zero_sum_nash", "CorrelatedEquilibrium", "normal_form_cce", "normal_form_ce",
    "cce_gaps", "ce_gaps", "nash_gaps", "cce_constraint_matrix", "ce_constraint_matrix",
    "PureNashSearch", "pure_nash_search",
]

#: Feasibility tolerances handed to HiGHS (its smallest allowed values are 1e-10).
LP_TOL = 1e-10


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
