r"""Coverability, occupancies of policy mixtures and clipped density ratios.

Amortila, Foster, Jiang, Sekhari & Xie, "Harnessing Density Ratios for Online
Reinforcement Learning", ICLR 2024, arXiv 2401.09681.

**Definition 2.1 (coverability).** For a policy class :math:`\Pi`,

.. math::

    C_{\mathrm{cov}} = \inf_{\mu_0, \dots, \mu_{H-1} \in \Delta(\mathcal S \times \mathcal A)}
        \; \sup_{\pi \in \Pi,\, h} \Bigl\| \frac{d^\pi_h}{\mu_h} \Bigr\|_\infty .

For each step the infimum over :math:`\mu_h` is attained at
:math:`\mu_h \propto \sup_{\pi} d^\pi_h` (a ratio :math:`\sup_\pi d^\pi_h(x,a)/\mu_h(x,a)`
that is not constant could be lowered by moving mass), so

.. math::

    C_{\mathrm{cov}} = \max_h C_h, \qquad C_h = \sum_{x,a} \sup_{\pi \in \Pi} d^\pi_h(x,a)

(the standard consequence noted in the specification, Section 1; the equality
of the two definitions is checked against a linear programme in
``proofs_check/glow.py`` and in the tests).

*All policies* (``policies=None``): a policy may choose :math:`a_h` freely once
:math:`x_h = x` is reached, so :math:`\sup_\pi d^\pi_h(x,a) = \rho_h(x) :=
\sup_\pi \Pr^\pi(x_h = x)`, computed per target :math:`(h, x)` by the
dynamic programme :math:`U_h = e_x`,
:math:`U_k(s) = \max_a \sum_{s'} P_k(s' \mid s, a) U_{k+1}(s')` for
:math:`k = h-1, \dots, 0`, :math:`\rho_h(x) = \sum_s \mu_0(s) U_0(s)`
(Markov deterministic policies attain the supremum over history-dependent
ones).  Hence :math:`C_h = A \sum_x \rho_h(x)`, between :math:`A` (action-free
dynamics) and :math:`SA` (every state reachable for sure).

*A finite class* (``policies=[pi_1, ..., pi_n]``): :math:`\sup` becomes the
maximum over the listed policies' exact occupancies.

**Density ratios.** :func:`density_ratio` returns :math:`d/\bar d` with the
conventions of the paper's clipped ratios (Definition 3.1, Remark B.1):
:math:`d > 0 = \bar d` gives :math:`+\infty` (then :math:`\min\{\infty, \gamma\} = \gamma`
when clipped), :math:`0/0 = 0` (the ratio is only ever integrated against
:math:`d`, which puts no mass there), never NaN.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numba import njit

from .._errors import ValidationError
from .._validation import as_float_array, check_policy
from ..kernels.mdp import occupancy_kernel, one_hot_policy
from ..models.tabular import TabularMDP

__all__ = ["Coverability", "coverability", "coverability_lp", "coverability_potential", "max_reach_probability",
           "mixture_occupancy",
           "density_ratio", "clipped_density_ratio"]


def _readonly(a: np.ndarray) -> np.ndarray:
    a.setflags(write=False)
    return a


@dataclass(frozen=True, eq=False)
class Coverability:
    """Coverability coefficient of a tabular MDP and a policy class (arXiv 2401.09681, Def. 2.1).

    Attributes
    ----------
    value : float
        :math:`C_{\\mathrm{cov}} = \\max_h C_h`.
    per_step : float64 array (H,)
        :math:`C_h = \\sum_{x,a} \\sup_{\\pi} d^\\pi_h(x,a)`.
    sup_occupancy : float64 array (H, S, A)
        :math:`\\sup_{\\pi \\in \\Pi} d^\\pi_h(x,a)`.
    mu : float64 array (H, S, A)
        A minimiser of the infimum in Definition 2.1: ``sup_occupancy[h] / per_step[h]``.
    step : int
        A step attaining the maximum (the first).
    policy_class : str
        ``"all"`` or ``"finite"``.
    """

    value: float
    per_step: np.ndarray
    sup_occupancy: np.ndarray
    mu: np.ndarray
    step: int
    policy_class: str


@njit(cache=True)
def max_reach_kernel(P4, H, mu0, out):
    r"""``out[h, x] = sup_pi Pr^pi(x_h = x)`` by one backward max-DP per target step (all targets at once).

    ``P4 (HP, S, A, S)``, ``mu0 (S,)``, ``out (H, S)``.  Sums over next states left to right.
    """
    S, A = P4.shape[1], P4.shape[2]
    HP = P4.shape[0]
    U = np.empty((S, S))
    Un = np.empty((S, S))
    for h in range(H):
        for s in range(S):
            for x in range(S):
                U[s, x] = 1.0 if s == x else 0.0
        for k in range(h - 1, -1, -1):
            Pk = P4[k if HP > 1 else 0]
            for s in range(S):
                for x in range(S):
                    best = 0.0
                    for a in range(A):
                        c = 0.0
                        for t in range(S):
                            c += Pk[s, a, t] * U[t, x]
                        if c > best:
                            best = c
                    Un[s, x] = best
            for s in range(S):
                for x in range(S):
                    U[s, x] = Un[s, x]
        for x in range(S):
            c = 0.0
            for s in range(S):
                c += mu0[s] * U[s, x]
            out[h, x] = c


def _check_mdp(mdp) -> None:
    if not isinstance(mdp, TabularMDP):
        raise ValidationError(f"mdp is a {type(mdp).__name__} "
                              "(rule: mdp must be an rltheory.models.TabularMDP)")


def max_reach_probability(mdp: TabularMDP) -> np.ndarray:
    r""":math:`\rho_h(x) = \sup_\pi \Pr^\pi(x_h = x)` over all policies, shape ``(H, S)``.

    Examples
    --------
    >>> import numpy as np
    >>> from rltheory.models import TabularMDP
    >>> P = np.zeros((2, 2, 2)); P[:, 0, 0] = 1.0; P[:, 1, 1] = 1.0   # action a moves to state a
    >>> M = TabularMDP(P, np.zeros((2, 2)), [1.0, 0.0], H=2)
    >>> max_reach_probability(M).tolist()
    [[1.0, 0.0], [1.0, 1.0]]
    """
    _check_mdp(mdp)
    out = np.empty((mdp.H, mdp.S))
    max_reach_kernel(mdp.P4, mdp.H, mdp.mu0, out)
    return out


def _policy_array(policy, mdp: TabularMDP, name: str) -> np.ndarray:
    pol = check_policy(policy, mdp.H, mdp.S, mdp.A, name=name)
    if pol.dtype == np.int64:
        pi = np.empty((mdp.H, mdp.S, mdp.A))
        one_hot_policy(pol, mdp.A, pi)
        return pi
    return np.ascontiguousarray(pol)


def _occupancies(mdp: TabularMDP, policies) -> np.ndarray:
    """Exact occupancies ``(n, H, S, A)`` of a validated sequence of policies."""
    if isinstance(policies, np.ndarray) and policies.ndim in (3, 4):
        seq = list(policies)
    else:
        try:
            seq = list(policies)
        except TypeError:
            raise ValidationError(f"policies is a {type(policies).__name__} (rule: a sequence of policies, "
                                  "each int (H, S) or float (H, S, A))") from None
    if not seq:
        raise ValidationError("policies is empty (rule: at least one policy)")
    out = np.empty((len(seq), mdp.H, mdp.S, mdp.A))
    for i, p in enumerate(seq):
        occupancy_kernel(mdp.P4, mdp.H, _policy_array(p, mdp, f"policies[{i}]"), mdp.mu0, out[i])
    return out


def coverability(mdp: TabularMDP, policies=None) -> Coverability:
    r"""Coverability :math:`C_{\mathrm{cov}} = \max_h \sum_{x,a} \sup_{\pi\in\Pi} d^\pi_h(x,a)` (Def. 2.1).

    Parameters
    ----------
    mdp : TabularMDP
    policies : sequence of policies, optional
        A finite class :math:`\Pi` (each ``int (H, S)`` or ``float (H, S, A)``).
        Default: all policies (per-target reachability DP, module docstring).

    Returns
    -------
    Coverability
        ``value`` first, then the per-step terms :math:`C_h`.

    Examples
    --------
    Two states, action ``a`` moves to state ``a``: at step 1 both states are
    reachable for sure, so :math:`C_1 = S A = 4`; at step 0 only the start, :math:`C_0 = A = 2`.

    >>> import numpy as np
    >>> from rltheory.models import TabularMDP
    >>> P = np.zeros((2, 2, 2)); P[:, 0, 0] = 1.0; P[:, 1, 1] = 1.0
    >>> M = TabularMDP(P, np.zeros((2, 2)), [1.0, 0.0], H=2)
    >>> cov = coverability(M)
    >>> (cov.value, cov.per_step.tolist())
    (4.0, [2.0, 4.0])
    >>> coverability(M, policies=[np.zeros((2, 2), dtype=int)]).value
    1.0
    """
    _check_mdp(mdp)
    if policies is None:
        rho = max_reach_probability(mdp)
        sup = np.repeat(rho[:, :, None], mdp.A, axis=2)
        kind = "all"
    else:
        sup = _occupancies(mdp, policies).max(axis=0)
        kind = "finite"
    per_step = sup.sum(axis=(1, 2))
    h = int(np.argmax(per_step))
    with np.errstate(invalid="ignore", divide="ignore"):
        mu = np.where(per_step[:, None, None] > 0, sup / np.where(per_step > 0, per_step, 1.0)[:, None, None],
                      0.0)
    return Coverability(float(per_step[h]), _readonly(per_step), _readonly(sup), _readonly(mu), h, kind)


def mixture_occupancy(mdp: TabularMDP, policies, weights=None) -> np.ndarray:
    r"""Occupancy of a mixture of policies: :math:`\bar d_h = \sum_i w_i d^{\pi_i}_h`, shape ``(H, S, A)``.

    A mixture draws :math:`\pi_i` with probability :math:`w_i` once per
    episode (default :math:`w_i = 1/n`, the paper's :math:`d^{\pi^{(1:t)}}`).
    """
    _check_mdp(mdp)
    D = _occupancies(mdp, policies)
    n = D.shape[0]
    if weights is None:
        w = np.full(n, 1.0 / n)
    else:
        w = as_float_array(weights, "weights", ndim=1)
        if w.shape != (n,):
            raise ValidationError(f"weights has shape {w.shape} (rule: one weight per policy, ({n},))")
        if (w < 0).any():
            i = int(np.argmax(w < 0))
            raise ValidationError(f"weights[{i}] = {w[i]:.6g} (rule: weights must be non-negative)")
        if abs(w.sum() - 1.0) > 1e-8:
            raise ValidationError(f"weights sums to {w.sum():.12g} (rule: weights must sum to 1)")
    out = np.zeros(D.shape[1:])
    for i in range(n):              # fixed order of summation
        out += w[i] * D[i]
    return out


def _nonneg(x, name: str) -> np.ndarray:
    arr = np.array(x, dtype=np.float64, copy=True)
    if np.isnan(arr).any():
        where = np.argwhere(np.isnan(arr))[0]
        raise ValidationError(f"{name}[{', '.join(map(str, where))}] = nan (rule: no NaN)")
    neg = arr < 0
    if neg.any():
        where = np.argwhere(neg)[0]
        raise ValidationError(f"{name}[{', '.join(map(str, where))}] = {arr[tuple(where)]:.6g} "
                              "(rule: occupancies must be non-negative)")
    if np.isinf(arr).any():
        where = np.argwhere(np.isinf(arr))[0]
        raise ValidationError(f"{name}[{', '.join(map(str, where))}] = inf (rule: occupancies are finite)")
    return arr


def density_ratio(d, dbar, clip: float | None = None) -> np.ndarray:
    r"""Density ratio :math:`d / \bar d`, optionally clipped at ``clip`` (:math:`\mathrm{clip}_\gamma`, Def. 3.1).

    ``d`` and ``dbar`` are non-negative arrays of one shape (occupancies).
    Zero denominators: :math:`+\infty` where :math:`d > 0`, 0 where :math:`d = 0`
    (never NaN); with ``clip = gamma`` the result is :math:`\min\{d/\bar d, \gamma\}`.

    Examples
    --------
    >>> density_ratio([0.5, 0.2, 0.0], [0.25, 0.0, 0.0]).tolist()
    [2.0, inf, 0.0]
    >>> density_ratio([0.5, 0.2, 0.0], [0.25, 0.0, 0.0], clip=1.5).tolist()
    [1.5, 1.5, 0.0]
    """
    num = _nonneg(d, "d")
    den = _nonneg(dbar, "dbar")
    if num.shape != den.shape:
        raise ValidationError(f"d has shape {num.shape} and dbar {den.shape} (rule: the same shape)")
    out = np.zeros_like(num)
    pos = den > 0
    out[pos] = num[pos] / den[pos]
    out[~pos & (num > 0)] = np.inf
    if clip is not None:
        c = float(clip)
        if not c > 0 or np.isnan(c):
            raise ValidationError(f"clip = {clip!r} (rule: a clipping level gamma > 0)")
        out = np.minimum(out, c)
    return out


def clipped_density_ratio(mdp: TabularMDP, policy, policies, gamma: float, weights=None) -> np.ndarray:
    r""":math:`\mathrm{clip}_\gamma[d^\pi_h / d^{\pi^{(1:t)}}_h]`, shape ``(H, S, A)``, for a mixture of
    ``policies`` (:func:`mixture_occupancy` weights) and the single ``policy``."""
    d = mixture_occupancy(mdp, [policy])
    dbar = mixture_occupancy(mdp, policies, weights)
    return density_ratio(d, dbar, clip=gamma)


def coverability_potential(occupancies, include_current: bool = True) -> np.ndarray:
    r"""Running coverability potential of a sequence of occupancies (Lemma E.3 of arXiv 2401.09681).

    .. math::

        \Psi_h(T) = \sum_{t=1}^{T} \mathbb E_{d^{(t)}_h}\Bigl[\frac{d^{(t)}_h}{\tilde d^{(t+1)}_h}\Bigr],
        \qquad \tilde d^{(t+1)}_h = \sum_{s \le t} d^{(s)}_h,

    which Lemma E.3 bounds by :math:`5 C \log T` whenever every
    :math:`\|d^{(t)}_h/\mu_h\|_\infty \le C`.  With ``include_current=False`` the
    denominator is :math:`\sum_{s < t} d^{(s)}_h` instead (the round's own occupancy left
    out; :func:`density_ratio` conventions, so a first visit gives :math:`+\infty`) --
    the quantity the lemma does *not* bound.

    Parameters
    ----------
    occupancies : array (T, H, S, A)
        :math:`d^{(t)}_h(x,a)`, non-negative.

    Returns
    -------
    float64 array (T, H)
        ``out[T-1, h]`` :math:`= \Psi_h(T)`.

    Examples
    --------
    The same point mass every round: :math:`\Psi(T) = \sum_{t \le T} 1/t`.

    >>> d = np.zeros((3, 1, 1, 1)); d[:] = 1.0
    >>> coverability_potential(d)[:, 0].tolist()
    [1.0, 1.5, 1.8333333333333333]
    """
    D = as_float_array(occupancies, "occupancies", ndim=4)
    if (D < 0).any():
        where = np.argwhere(D < 0)[0]
        raise ValidationError(f"occupancies[{', '.join(map(str, where))}] = {D[tuple(where)]:.6g} "
                              "(rule: occupancies must be non-negative)")
    T = D.shape[0]
    out = np.empty((T, D.shape[1]))
    cum = np.zeros(D.shape[1:])
    run = np.zeros(D.shape[1])
    for t in range(T):
        if include_current:
            cum += D[t]
            ratio = density_ratio(D[t], cum)
        else:
            ratio = density_ratio(D[t], cum)
            cum += D[t]
        with np.errstate(invalid="ignore"):
            term = np.where(D[t] > 0, D[t] * ratio, 0.0)
        run = run + term.sum(axis=(1, 2))
        out[t] = run
    return out


def coverability_lp(mdp: TabularMDP) -> np.ndarray:
    r"""Per-step terms of Definition 2.1 from the infimum over :math:`\mu`, by linear programming (HiGHS).

    An independent route to :math:`C_h` (used to check :func:`coverability`).  With
    :math:`\nu_h = C\mu_h`, :math:`\inf_{\mu_h} \sup_\pi \|d^\pi_h/\mu_h\|_\infty = \min\{\sum_{x,a}\nu(x,a) :
    \nu(x,a) \ge d^\pi_h(x,a)\ \forall \pi\}`.  The constraint over all policies is the
    robust counterpart of the occupancy-polytope LP :math:`\max_{d} d_h(x,a)`; by LP duality
    it holds iff some :math:`U^{x,a}` with

    .. math::

        U^{x,a}_h(s) \ge \mathbb 1[s = x],\quad
        U^{x,a}_k(s) \ge \sum_{s'} P_k(s'|s,b)\, U^{x,a}_{k+1}(s')\ \ (k < h,\ \text{all } b),\quad
        \sum_s \mu_0(s) U^{x,a}_0(s) \le \nu(x,a)

    exists.  One LP per step over :math:`(\nu, U)`, minimising :math:`\sum \nu`.

    Returns
    -------
    float64 array (H,)
        :math:`C_h`; :math:`C_{\mathrm{cov}}` is the maximum.
    """
    import scipy.sparse as sp
    from scipy.optimize import linprog
    _check_mdp(mdp)
    H, S, A = mdp.H, mdp.S, mdp.A
    out = np.empty(H)
    for h in range(H):
        nU = (h + 1) * S
        n = S * A + S * A * nU
        rows, cols, vals, nrow = [], [], [], 0
        lb = np.zeros(n)
        lb[S * A:] = -np.inf
        for p in range(S * A):
            base = S * A + p * nU
            x = p // A
            lb[base + h * S:base + (h + 1) * S] = 0.0      # U_h >= indicator of x
            lb[base + h * S + x] = 1.0
            for s in range(S):                         # sum_s mu0(s) U_0(s) - nu_p <= 0
                if mdp.mu0[s] != 0.0:
                    rows.append(nrow), cols.append(base + s), vals.append(mdp.mu0[s])
            rows.append(nrow), cols.append(p), vals.append(-1.0)
            nrow += 1
            for k in range(h):
                Pk = mdp.P_at(k)
                for s in range(S):
                    for b in range(A):
                        for s2 in np.flatnonzero(Pk[s, b]):
                            rows.append(nrow), cols.append(base + (k + 1) * S + s2), vals.append(Pk[s, b, s2])
                        rows.append(nrow), cols.append(base + k * S + s), vals.append(-1.0)
                        nrow += 1
        c = np.zeros(n)
        c[:S * A] = 1.0
        A_ub = sp.csr_matrix((vals, (rows, cols)), shape=(nrow, n))
        res = linprog(c, A_ub=A_ub, b_ub=np.zeros(nrow), bounds=list(zip(lb, [None] * n)), method="highs")
        if res.status != 0:
            raise ValidationError(f"coverability_lp: HiGHS returned status {res.status} at step {h} "
                                  f"({res.message}) (rule: the LP is feasible and bounded)")
        out[h] = res.fun
    return out
