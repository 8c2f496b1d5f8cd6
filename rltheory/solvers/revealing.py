r"""The revealing constant of an emission (or m-step emission-action) matrix.

Chen, Wang, Xiong, Mei & Bai, "Lower Bounds for Learning in Revealing POMDPs"
(ICML 2023, arXiv 2302.01333): a POMDP is m-step :math:`\alpha`-revealing if every
m-step emission-action matrix :math:`\mathbb M_h` has a generalised left inverse
:math:`\mathbb M_h^+` (:math:`\mathbb M_h^+\mathbb M_h = I_S`) with
:math:`\|\mathbb M_h^+\|_{1\to1}\le\alpha^{-1}` (the :math:`\ell_1` version; specification
Section 1, [R, high confidence]).  Here :math:`\|X\|_{1\to1}` is the largest column
absolute sum, so

.. math:: \alpha(M) = 1 \big/ \min\{\|X\|_{1\to1} : XM = I_S\}.

**LP** (specification Section 2, [D]): write :math:`X = P - N` with :math:`P, N \ge 0` and

.. math::

    \min t \quad\text{s.t.}\quad \sum_j (P_{ij}-N_{ij}) M_{jk} = \delta_{ik}\ (i,k\in[S]),\qquad
    \sum_i (P_{ij}+N_{ij}) \le t\ (j \in \text{rows of } M),\qquad P, N \ge 0,

solved by HiGHS (:func:`scipy.optimize.linprog`); :func:`revealing_constant` returns
:math:`1/t^*`.  The dual LP, :math:`\max\ \mathrm{tr}\,\Lambda` s.t.
:math:`\sum_j\max_i|(\Lambda M^\top)_{ij}|\le 1`, is :func:`revealing_constant_dual`
(an independent check: by LP duality both give the same number).

**m-step matrix** (:func:`m_step_matrix`, specification Section 1, eq. (7) of arXiv 2209.14990):
:math:`[\mathbb M_h]_{(o,a),s} = P(o_{h:h+m-1}=o \mid s_h=s, a_{h:h+m-2}=a)`, rows indexed by
:math:`(o_h, a_h, o_{h+1}, \dots, o_{h+m-1})` in row-major order; every column sums to
:math:`A^{m-1}` (the raw matrix, not normalised: :math:`\alpha` may exceed 1 for m >= 2).

**Pseudo-inverse bound** (:func:`pinv_revealing_lower_bound`): :math:`1/\|M^\dagger\|_{1\to1}`
is only a **lower bound** on :math:`\alpha` (the Moore–Penrose inverse is one left inverse,
usually not the :math:`\ell_1`-optimal one); equal to :math:`\alpha` when M is square and
invertible.  :func:`l2_revealing_constant` is the :math:`\ell_2` ("weakly revealing",
Liu et al. 2022) constant :math:`\sigma_S(M)`, a different quantity.
"""

from __future__ import annotations

import numpy as np
from scipy.optimize import linprog
from scipy.sparse import coo_matrix

from .._errors import ValidationError
from .._validation import as_float_array, check_int
from ..models.pomdp import POMDP

__all__ = ["revealing_constant", "revealing_constant_dual", "min_left_inverse_norm", "m_step_matrix",
           "pinv_revealing_lower_bound", "l2_revealing_constant", "reachable_states", "norm_1to1"]


def norm_1to1(X) -> float:
    r""":math:`\|X\|_{1\to1}=\max_j\sum_i|X_{ij}|` (largest column absolute sum)."""
    X = np.asarray(X, dtype=np.float64)
    return float(np.abs(X).sum(axis=0).max())


def _check_matrix(M) -> np.ndarray:
    M = as_float_array(M, "M", ndim=2)
    rows, S = M.shape
    if S < 1 or rows < S:
        raise ValidationError(f"M has shape {M.shape} (rule: (rows, S) with rows >= S >= 1; a left inverse "
                              "X with X M = I needs rank S)")
    rank = np.linalg.matrix_rank(M)
    if rank < S:
        raise ValidationError(f"M has shape {M.shape} and rank {rank} < S = {S} (rule: M must have a left "
                              "inverse, i.e. full column rank; two latent states are not distinguishable)")
    return M


def min_left_inverse_norm(M) -> tuple[float, np.ndarray]:
    r"""Solve :math:`\min\{\|X\|_{1\to1} : XM = I\}` by the LP above; returns ``(t*, X*)`` with ``X* (S, rows)``."""
    M = _check_matrix(M)
    rows, S = M.shape
    nX = S * rows                     # X[i, j] at index i*rows + j; P block, then N block, then t
    n = 2 * nX + 1
    # Equalities: for (i, k): sum_j (P_ij - N_ij) M_jk = delta_ik.
    I, K, J = np.meshgrid(np.arange(S), np.arange(S), np.arange(rows), indexing="ij")
    vals = M[J, K]
    keep = vals != 0.0
    I, K, J, vals = I[keep], K[keep], J[keep], vals[keep]
    r_ = I * S + K
    A_eq = coo_matrix((np.concatenate([vals, -vals]),
                       (np.concatenate([r_, r_]), np.concatenate([I * rows + J, nX + I * rows + J]))),
                      shape=(S * S, n)).tocsr()
    b_eq = np.eye(S).ravel()
    # Column norms: for each row j of M (column j of X): sum_i (P_ij + N_ij) - t <= 0.
    I2, J2 = np.meshgrid(np.arange(S), np.arange(rows), indexing="ij")
    I2, J2 = I2.ravel(), J2.ravel()
    A_ub = coo_matrix((np.concatenate([np.ones(2 * I2.size), -np.ones(rows)]),
                       (np.concatenate([J2, J2, np.arange(rows)]),
                        np.concatenate([I2 * rows + J2, nX + I2 * rows + J2, np.full(rows, 2 * nX)]))),
                      shape=(rows, n)).tocsr()
    c = np.zeros(n)
    c[-1] = 1.0
    res = linprog(c, A_ub=A_ub, b_ub=np.zeros(rows), A_eq=A_eq, b_eq=b_eq, bounds=(0, None), method="highs")
    if res.status != 0:
        raise ValidationError(f"revealing-constant LP ended with status {res.status} ({res.message}) "
                              "(rule: M must have a left inverse)")
    x = res.x
    X = (x[:nX] - x[nX:2 * nX]).reshape(S, rows)
    return float(res.fun), X


def revealing_constant(M) -> float:
    r"""The :math:`\ell_1` revealing constant :math:`\alpha(M)=1/\min\{\|X\|_{1\to1}: XM=I\}` (LP, HiGHS).

    ``M``: ``(rows, S)``, e.g. the paper's emission matrix :math:`\mathbb O_h` (= ``pomdp.O3[h].T``)
    or an m-step matrix from :func:`m_step_matrix`.  Raises :class:`ValidationError` when M has no
    left inverse.

    Examples
    --------
    >>> import numpy as np
    >>> a = 0.5
    >>> round(revealing_constant([[(1 + a) / 2, (1 - a) / 2], [(1 - a) / 2, (1 + a) / 2]]), 9)
    0.5
    >>> n = 4; O = a * np.eye(n) + (1 - a) / n                # closed form a / (1 + (n-2)(1-a)/n)
    >>> round(revealing_constant(O), 9)
    0.4
    """
    t, _ = min_left_inverse_norm(M)
    return 1.0 / t


def revealing_constant_dual(M) -> float:
    r"""The same constant from the dual LP: :math:`1/\max\{\mathrm{tr}\Lambda : \sum_j\max_i|(\Lambda M^\top)_{ij}|\le1\}`.

    Variables :math:`\Lambda\in\mathbb R^{S\times S}` (free) and :math:`u_j \ge 0` with
    :math:`-u_j\le(\Lambda M^\top)_{ij}\le u_j`, :math:`\sum_j u_j\le 1`.  An independent
    formulation used to cross-check :func:`revealing_constant`.
    """
    M = _check_matrix(M)
    rows, S = M.shape
    nL = S * S
    n = nL + rows
    # rows 2*(i*rows + j) + {0: +, 1: -}: sign * sum_k Lambda_ik M_jk - u_j <= 0
    I, J, K = np.meshgrid(np.arange(S), np.arange(rows), np.arange(S), indexing="ij")
    vals = M[J, K]
    keep = vals != 0.0
    I, J, K, vals = I[keep], J[keep], K[keep], vals[keep]
    base = 2 * (I * rows + J)
    I2, J2 = np.meshgrid(np.arange(S), np.arange(rows), indexing="ij")
    base2 = 2 * (I2.ravel() * rows + J2.ravel())
    r_ = 2 * S * rows
    ii = np.concatenate([base, base + 1, base2, base2 + 1, np.full(rows, r_)])
    jj = np.concatenate([I * S + K, I * S + K, nL + J2.ravel(), nL + J2.ravel(), nL + np.arange(rows)])
    vv = np.concatenate([vals, -vals, -np.ones(base2.size), -np.ones(base2.size), np.ones(rows)])
    A_ub = coo_matrix((vv, (ii, jj)), shape=(r_ + 1, n)).tocsr()
    b_ub = np.zeros(r_ + 1)
    b_ub[-1] = 1.0
    c = np.zeros(n)
    for i in range(S):
        c[i * S + i] = -1.0
    bounds = [(None, None)] * nL + [(0, None)] * rows
    res = linprog(c, A_ub=A_ub, b_ub=b_ub, bounds=bounds, method="highs")
    if res.status != 0:
        raise ValidationError(f"dual revealing-constant LP ended with status {res.status} ({res.message})")
    return 1.0 / float(-res.fun)


def pinv_revealing_lower_bound(M) -> float:
    r"""Lower bound :math:`1/\|M^\dagger\|_{1\to1}\le\alpha(M)` from the Moore–Penrose inverse.

    Only a bound: :math:`M^\dagger` is one left inverse, in general not the :math:`\ell_1`-optimal
    one (specification Section 2: 0.362 against the LP's 0.400 on a 3 x 2 channel).  Equal to
    :math:`\alpha` when M is square and invertible.
    """
    M = _check_matrix(M)
    return 1.0 / norm_1to1(np.linalg.pinv(M))


def l2_revealing_constant(M) -> float:
    r"""The :math:`\ell_2` ("weakly revealing") constant :math:`\sigma_S(M)=1/\|M^\dagger\|_{2\to2}`.

    Not the :math:`\ell_1` constant of the lower-bound paper; the two differ by polynomial
    factors (:math:`\sigma_S \ge \alpha_1/\sqrt{rows}`, :math:`\alpha_1\ge\sigma_S/\sqrt S`).
    """
    M = _check_matrix(M)
    return float(np.linalg.svd(M, compute_uv=False)[-1])


def reachable_states(pomdp: POMDP) -> list[np.ndarray]:
    """For each step h, the latent states with positive probability at step h under some action sequence."""
    if not isinstance(pomdp, POMDP):
        raise ValidationError(f"pomdp is {type(pomdp).__name__} (rule: a rltheory.models.POMDP)")
    cur = pomdp.mu0 > 0
    out = [np.flatnonzero(cur)]
    for h in range(pomdp.H - 1):
        cur = (pomdp.T4[h][cur] > 0).any(axis=(0, 1))
        out.append(np.flatnonzero(cur))
    return out


def m_step_matrix(pomdp: POMDP, h: int, m: int, states=None) -> np.ndarray:
    r"""The m-step emission-action matrix :math:`\mathbb M_h` of shape ``(n_obs^m A^(m-1), len(states))``.

    :math:`[\mathbb M_h]_{(o_h,a_h,\dots,o_{h+m-1}),s}=P(o_{h:h+m-1}\mid s_h=s,a_{h:h+m-2})`,
    computed by the recursion
    :math:`\mathbb M_h[(o,a,\bar o), s] = O_h(o|s)\sum_{s'}T_h(s'|s,a)\,\mathbb M_{h+1}[\bar o, s']`.
    ``states``: the columns to keep (default: every latent state; pass
    ``reachable_states(pomdp)[h]`` to drop states the model can never be in at step h,
    whose columns are irrelevant to the law of the process).  Requires ``h + m <= H``.

    Examples
    --------
    >>> import numpy as np
    >>> from rltheory.models import POMDP
    >>> T = np.tile(np.eye(2)[:, None, :], (1, 2, 1))
    >>> m = POMDP(T, [[0.5, 0.5], [0.5, 0.5]], np.zeros((2, 2, 2)), [0.5, 0.5], H=2)
    >>> m_step_matrix(m, 0, 2).shape
    (8, 2)
    """
    if not isinstance(pomdp, POMDP):
        raise ValidationError(f"pomdp is {type(pomdp).__name__} (rule: a rltheory.models.POMDP)")
    m_ = check_int(m, "m", minimum=1)
    h_ = check_int(h, "h", minimum=0)
    if h_ + m_ > pomdp.H:
        raise ValidationError(f"h = {h_}, m = {m_} with H = {pomdp.H} (rule: h + m <= H)")
    cols = np.arange(pomdp.S) if states is None else np.asarray(states, dtype=np.int64)
    if cols.ndim != 1 or cols.size == 0 or np.any((cols < 0) | (cols >= pomdp.S)):
        raise ValidationError(f"states = {states!r} (rule: a non-empty list of latent states in 0..{pomdp.S - 1})")
    # B[(obs seq), s] for steps g..h+m-1, built backwards.
    last = h_ + m_ - 1
    B = pomdp.O3[last].T.copy()                                    # (n_obs, S)
    for g in range(last - 1, h_ - 1, -1):
        Og, Tg = pomdp.O3[g], pomdp.T4[g]                          # (S, n_obs), (S, A, S)
        nxt = np.einsum("sat,rt->ars", Tg, B, optimize=False)       # sum_t T(t|s,a) B[r,t]
        B = (Og.T[:, None, None, :] * nxt[None]).reshape(-1, pomdp.S)   # rows (o, a, r)
    return np.ascontiguousarray(B[:, cols])

