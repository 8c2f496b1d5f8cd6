r"""Exact quantities of offline-to-online learning: policy features, gaps, the oracle design and coverage.

Wagenmaker & Pacchiano, *Leveraging Offline Data in Online Reinforcement
Learning*, ICML 2023, arXiv 2211.04974, Section 2 of the specification
(**reconstructed** [R]: only the abstract is verified; the complexity measure's
exact definition and normalisation are the specification's reconstruction).

Policy feature vectors
    :math:`\phi_{\pi,h} = \mathbb E^\pi[\phi(s_h, a_h)] = \sum_{s,a} d^\pi_h(s,a)\phi(s,a)`;
    with one-hot features :math:`\phi_{\pi,h} = d^\pi_h`, the occupancy.  The policy class
    :math:`\Pi` is every deterministic Markov policy of a layered instance (:math:`A^S` of them).
    :math:`V^\pi_0 = \sum_h \langle\phi_{\pi,h},\theta_h\rangle` and
    :math:`\Delta(\pi) = V^\star_0 - V^\pi_0`, exactly.

Offline-to-online complexity
    As the specification writes it, the criterion bears on :math:`\phi_{\pi,h}` itself (not on
    differences to :math:`\phi_{\pi^\star,h}`), so the optimal policy's own term
    :math:`\|\phi_{\pi^\star,h}\|^2/\epsilon^2` is part of it.  For expected offline counts :math:`n_{{\rm off},h}` (one-hot:
    :math:`\Lambda_{{\rm off},h} = \mathrm{diag}(n_{{\rm off},h})`), the oracle prediction is

    .. math::
        T_{\rm o2o}(\mathcal D_{\rm off}, \epsilon) = \min\Bigl\{T \ge 0 : \exists \lambda \in \Omega,\
        \max_h\max_{\pi\in\Pi}
        \frac{\|\phi_{\pi,h}\|^2_{(T\Lambda_h(\lambda) + \Lambda_{{\rm off},h})^{-1}}}{\max(\Delta(\pi),\epsilon)^2}
        \le \frac{1}{c H^4\beta}\Bigr\},\qquad \beta = \log(|\Pi|/\delta),

    :math:`\Omega` the covariances of mixtures :math:`\lambda` of deterministic policies.  With
    one-hot features :math:`\|\phi_{\pi,h}\|^2_{(\cdot)^{-1}} = \sum_{s,a} d^\pi_h(s,a)^2 / (T
    \lambda_h(s,a) + n_{{\rm off},h}(s,a))` and, substituting :math:`u = T\lambda \ge 0` (unnormalised
    mixture weights), :math:`T_{\rm o2o}` is the value of **one convex programme**

    .. math::
        \min_{u \ge 0} \sum_j u_j \quad\text{s.t.}\quad
        \sum_{s,a} \frac{d^\pi_h(s,a)^2}{\sum_j u_j d^{\pi_j}_h(s,a) + n_{{\rm off},h}(s,a)}
        \le \frac{\max(\Delta(\pi),\epsilon)^2}{c H^4 \beta}\quad \forall h, \pi,

    solved by cvxpy (CLARABEL) in :func:`oracle_design`.  :func:`design_value` is the inner
    problem at fixed :math:`N`, :math:`\min_{\lambda \in \Delta} \max_\pi \sum_{s,a}
    t_\pi(s,a)^2/(N w_\lambda(s,a) + n(s,a))` (the direct convex solve the learner's Frank-Wolfe
    design is tested against).

Coverage summary (specification Section 6, item 2)
    :math:`\max_h\max_\pi \|\phi_{\pi,h}\|^2_{\Lambda_{{\rm off},h}^{-1}}/\max(\Delta(\pi),\epsilon)^2`
    (:math:`+\infty` when a direction is uncovered).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from .._errors import ValidationError
from .._validation import as_float_array, check_shape
from ..kernels.linalg import matmul, vecmat
from ..kernels.mdp import occupancy_kernel, policy_value_deterministic

__all__ = ["PolicyTable", "O2OPrediction", "MAX_POLICIES", "deterministic_policies", "policy_occupancies",
           "policy_features", "policy_table", "restrict", "o2o_beta", "o2o_tolerances", "design_value",
           "optimal_index", "oracle_design", "coverage_summary"]

#: Largest policy class enumerated (A^S).
MAX_POLICIES = 4096


def _check_inst(inst):
    for nm in ("H", "S", "A", "step_pairs", "tabular", "linear", "layer"):
        if not hasattr(inst, nm):
            raise ValidationError(f"inst is {type(inst).__name__} (rule: a TabularLinearMDP, "
                                  "rltheory.envs.offline_linear)")


def deterministic_policies(inst) -> np.ndarray:
    r"""Every deterministic policy of a layered instance, int64 ``(A^S, S)`` (row-major, state 0 slowest)."""
    _check_inst(inst)
    S, A = inst.S, inst.A
    if A ** S > MAX_POLICIES:
        raise ValidationError(f"A^S = {A}^{S} = {A ** S} policies (rule: at most {MAX_POLICIES} enumerated)")
    grids = np.indices((A,) * S).reshape(S, -1).T
    return np.ascontiguousarray(grids, dtype=np.int64)


def _check_policies(inst, policies) -> np.ndarray:
    pols = np.asarray(policies)
    if pols.dtype.kind not in "iu" or pols.ndim != 2 or pols.shape[1] != inst.S:
        raise ValidationError(f"policies has dtype {pols.dtype} and shape {pols.shape} "
                              f"(rule: int array (n, {inst.S}) of stationary layered policies)")
    if pols.size and (pols.min() < 0 or pols.max() >= inst.A):
        i, s = np.argwhere((pols < 0) | (pols >= inst.A))[0]
        raise ValidationError(f"policies[{i}, {s}] = {pols[i, s]} (rule: actions in 0..{inst.A - 1})")
    return pols.astype(np.int64)


def policy_occupancies(inst, policies) -> np.ndarray:
    r""":math:`d^\pi_h(s,a)` of deterministic layered policies ``(n, S)`` -> ``(n, H, S, A)``."""
    _check_inst(inst)
    pols = _check_policies(inst, policies)
    H, S, A = inst.H, inst.S, inst.A
    out = np.zeros((pols.shape[0], H, S, A))
    onehot = np.zeros((H, S, A))
    for i, pi in enumerate(pols):
        onehot[:] = 0.0
        onehot[:, np.arange(S), pi] = 1.0
        occupancy_kernel(inst.tabular.P4, H, onehot, inst.mu0, out[i])
    return out


def policy_features(inst, policies) -> np.ndarray:
    r""":math:`\phi_{\pi,h} = \sum_{s,a} d^\pi_h(s,a)\phi(s,a)` -> ``(n, H, d)`` (general feature map, fixed-order products)."""
    occ = policy_occupancies(inst, policies)
    n, H = occ.shape[:2]
    SA = inst.S * inst.A
    flat = np.ascontiguousarray(occ.reshape(n * H, SA))
    phi = np.ascontiguousarray(inst.linear.phi.reshape(SA, inst.d))
    out = np.empty((n * H, inst.d))
    matmul(flat, phi, out)
    return out.reshape(n, H, inst.d)


@dataclass(frozen=True, eq=False)
class PolicyTable:
    r"""Every deterministic policy of an instance with its exact features, values and gaps.

    Attributes
    ----------
    policies : int64 array (n, S)
    features : float64 array (n, H, d)
        :math:`\phi_{\pi,h}`.
    values : float64 array (n,)
        :math:`V^\pi_0(\mu_0)`.
    gaps : float64 array (n,)
        :math:`\Delta(\pi) = V^\star_0 - V^\pi_0 \ge 0` (clipped at 0 against rounding).
    v_star : float
    """

    policies: np.ndarray
    features: np.ndarray
    values: np.ndarray
    gaps: np.ndarray
    v_star: float

    @property
    def n(self) -> int:
        """Number of policies :math:`|\\Pi|`."""
        return int(self.policies.shape[0])


def policy_table(inst, policies=None) -> PolicyTable:
    """:class:`PolicyTable` of ``policies`` (default: :func:`deterministic_policies`)."""
    _check_inst(inst)
    pols = deterministic_policies(inst) if policies is None else _check_policies(inst, policies)
    feats = policy_features(inst, pols)
    Vbuf = np.empty((2, inst.S))
    tab = inst.tabular
    vals = np.array([policy_value_deterministic(tab.P4, tab.R3, inst.H, inst.as_markov(p), inst.mu0, Vbuf)
                     for p in pols])
    gaps = np.maximum(inst.v_star - vals, 0.0)
    for a in (pols, feats, vals, gaps):
        a.setflags(write=False)
    return PolicyTable(pols, feats, vals, gaps, float(inst.v_star))


def restrict(inst, x, h: int) -> np.ndarray:
    """The coordinates of ``x (..., d)`` on the reachable pairs of step ``h`` (``inst.step_pairs[h]``)."""
    return np.asarray(x)[..., inst.step_pairs[h]]


def o2o_beta(n_policies: int, delta: float) -> float:
    r""":math:`\beta = \log(|\Pi|/\delta)` of the oracle prediction (specification Section 2, [R])."""
    if not 0 < delta < 1:
        raise ValidationError(f"delta = {delta} (rule: 0 < delta < 1)")
    return math.log(max(int(n_policies), 1) / delta)


def o2o_tolerances(gaps, eps: float, H: int, beta: float, scale: float) -> np.ndarray:
    r"""Per-policy tolerance :math:`\max(\Delta(\pi),\epsilon)^2 / (c H^4 \beta)`."""
    if not eps > 0 or not scale > 0:
        raise ValidationError(f"eps = {eps}, scale = {scale} (rule: both > 0)")
    return np.maximum(np.asarray(gaps, float), eps) ** 2 / (scale * H ** 4 * beta)


def _solve(problem):
    import warnings

    import cvxpy as cp
    for solver in ("CLARABEL", "SCS"):
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", UserWarning)
                problem.solve(solver=solver)
        except cp.error.SolverError:
            continue
        if problem.status in ("optimal", "optimal_inaccurate"):
            return
    raise ValidationError(f"the convex design programme ended with status {problem.status!r} "
                          "(rule: an optimal solution)")


def design_value(vertices, targets, n_off, N: float, reg: float = 0.0) -> tuple[float, np.ndarray]:
    r"""Direct convex solve of :math:`\min_{\lambda\in\Delta_J}\max_p \sum_k t_{p,k}^2/(N (\lambda^\top V)_k + n_k + \mathrm{reg})`.

    Parameters
    ----------
    vertices : array (J, k)
        Achievable occupancies (one per deterministic exploration policy) on the step's pairs.
    targets : array (P, k)
        Target directions :math:`t_p` (one-hot: :math:`\phi_{\pi,h}`).
    n_off : array (k,)
        Offline counts (diagonal of :math:`\Lambda_{{\rm off},h}`).
    N : float >= 0
        Number of online episodes.
    reg : float >= 0
        Ridge :math:`\lambda` added to every count.

    Returns
    -------
    value : float
    mixture : array (J,)
    """
    import cvxpy as cp
    V = as_float_array(vertices, "vertices", ndim=2)
    T = as_float_array(targets, "targets", ndim=2)
    n = as_float_array(n_off, "n_off", ndim=1)
    k = V.shape[1]
    check_shape(T, "targets", (None, k))
    check_shape(n, "n_off", (k,))
    if np.any(V < 0) or np.any(n < 0) or N < 0 or reg < 0:
        raise ValidationError("vertices, n_off, N and reg must be >= 0 (rule: occupancies and counts)")
    def value(mix):
        wv = vecmat(np.ascontiguousarray(mix), V, np.empty(V.shape[1]))
        with np.errstate(divide="ignore"):
            return max(float(np.sum(np.where(row != 0, row ** 2 / (N * wv + n + reg), 0.0))) for row in T)

    uniform = np.full(V.shape[0], 1.0 / V.shape[0])
    if N == 0 or not np.isfinite(value(uniform)) or not np.any(T):
        return value(uniform), uniform                # the design cannot matter (or nothing is finite)
    m = float(np.max(T ** 2))                          # rescale the coefficients to O(1)
    lam = cp.Variable(V.shape[0], nonneg=True)
    t = cp.Variable()
    w = V.T @ lam
    cons = [cp.sum(lam) == 1]
    for row in T:
        nz = np.flatnonzero(row != 0)
        if nz.size:
            # sum c/(N w + b) = (1/N) sum c/(w + b/N): solved in O(1) units, value recomputed below
            cons.append(cp.sum(cp.multiply(row[nz] ** 2 / m, cp.inv_pos(w[nz] + (n[nz] + reg) / N))) <= t)
    prob = cp.Problem(cp.Minimize(t), cons)
    _solve(prob)
    mix = np.maximum(np.asarray(lam.value, float), 0.0)
    mix /= mix.sum()
    return value(mix), mix


@dataclass(frozen=True, eq=False)
class O2OPrediction:
    r"""The oracle-design prediction :math:`T_{\rm o2o}` and the design that attains it.

    Attributes
    ----------
    T : float
        :math:`T_{\rm o2o}` (online episodes; 0 when the offline data alone satisfy the criterion).
    mixture : float64 array (n,)
        Unnormalised weights :math:`u_j` over the deterministic policies (sum ``T``).
    beta : float
        :math:`\log(|\Pi|/\delta)`.
    scale : float
        The global constant :math:`c`.
    slack : float
        :math:`\max_{h,\pi}` (criterion / tolerance) at the returned design (<= 1 up to solver accuracy).
    """

    T: float
    mixture: np.ndarray
    beta: float
    scale: float
    slack: float


def _criterion(table, occ_r, n_r, u, tol) -> float:
    """max over h, pi of sum_k t^2 / (u occ + n) / tol."""
    worst = 0.0
    for h, (O, n) in enumerate(zip(occ_r, n_r)):
        w = vecmat(np.ascontiguousarray(u), np.ascontiguousarray(O), np.empty(O.shape[1])) + n
        t2 = table[h] ** 2
        with np.errstate(divide="ignore", invalid="ignore"):
            q = np.where(t2 > 0, t2 / w, 0.0).sum(axis=1)
        worst = max(worst, float(np.max(q / tol)))
    return worst


def optimal_index(table: PolicyTable) -> int:
    """Index of the lowest-index optimal policy of ``table`` (gap 0 up to 1e-12)."""
    return int(np.flatnonzero(table.gaps <= 1e-12)[0])


def _differences(inst, tab):
    """Per step, the restricted features phi_{pi,h}, ``(n, d_h)`` each."""
    return [restrict(inst, tab.features[:, h], h) for h in range(inst.H)]


def oracle_design(inst, n_off, eps: float, delta: float, scale: float = 1.0, table: PolicyTable | None = None,
                  beta: float | None = None) -> O2OPrediction:
    r""":math:`T_{\rm o2o}(\mathcal D_{\rm off},\epsilon)` by the convex programme of the module docstring.

    Parameters
    ----------
    inst : TabularLinearMDP
    n_off : array (H, S, A)
        Offline counts (expected counts for the prediction, or a realised dataset's).
    eps, delta : float
    scale : float > 0
        The global constant :math:`c` (the learner's ``beta_scale``).
    table : PolicyTable, optional
        Precomputed :func:`policy_table`.
    beta : float, optional
        The logarithmic factor :math:`\beta` (default :func:`o2o_beta`, :math:`\log(|\Pi|/\delta)`; the
        specification allows :math:`d + \log(1/\delta)`-type variants, and a learner's own final
        :math:`\beta_L` makes the prediction comparable with its runs).

    Examples
    --------
    One state, two arms, no offline data: arm :math:`a` needs :math:`1/u_a \le \tau_a`, so
    :math:`T = 1/\tau_0 + 1/\tau_1`.

    >>> import numpy as np
    >>> from rltheory.envs.offline_linear import tabular_as_linear
    >>> inst = tabular_as_linear(np.ones((1, 2, 1)), [[0.9, 0.1]], [1.0], [0])
    >>> pred = oracle_design(inst, np.zeros((1, 1, 2)), eps=0.5, delta=0.5, scale=1.0)
    >>> tau = np.array([0.5, 0.8]) ** 2 / np.log(4.0)    # max(gap, eps)^2 / (c H^4 beta)
    >>> bool(abs(pred.T - (1 / tau).sum()) < 1e-4 * pred.T)
    True
    """
    import cvxpy as cp
    _check_inst(inst)
    tab = policy_table(inst) if table is None else table
    n_off = as_float_array(n_off, "n_off", ndim=3)
    check_shape(n_off, "n_off", (inst.H, inst.S, inst.A))
    if np.any(n_off < 0):
        raise ValidationError("n_off has a negative entry (rule: counts are >= 0)")
    beta = o2o_beta(tab.n, delta) if beta is None else float(beta)
    if not beta > 0:
        raise ValidationError(f"beta = {beta} (rule: > 0)")
    tol = o2o_tolerances(tab.gaps, eps, inst.H, beta, scale)
    occ = policy_occupancies(inst, tab.policies).reshape(tab.n, inst.H, -1)
    occ_r = [occ[:, h, inst.step_pairs[h]] for h in range(inst.H)]
    n_r = [n_off[h].reshape(-1)[inst.step_pairs[h]] for h in range(inst.H)]
    targ = _differences(inst, tab)
    zero = np.zeros(tab.n)
    if _criterion(targ, occ_r, n_r, zero, tol) <= 1.0:
        return O2OPrediction(0.0, zero, beta, float(scale), _criterion(targ, occ_r, n_r, zero, tol))
    # scale of the unknowns: the episodes one pure policy would need for the hardest constraint
    sigma = max(float(np.max((t ** 2).sum(axis=1) / tol)) for t in targ)
    m = cp.Variable(tab.n, nonneg=True)
    cons = []
    for h in range(inst.H):
        seen = {}
        for i, row in enumerate(targ[h]):         # identical rows: keep the smallest tolerance
            key = row.tobytes()
            seen[key] = min(seen.get(key, (np.inf, i))[0], tol[i]), i
        w = occ_r[h].T @ m
        for tl, i in seen.values():
            row = targ[h][i]
            nz = np.flatnonzero(row != 0)
            if nz.size:
                coef = row[nz] ** 2 / (tl * sigma)
                cons.append(cp.sum(cp.multiply(coef, cp.inv_pos(w[nz] + n_r[h][nz] / sigma))) <= 1.0)
    prob = cp.Problem(cp.Minimize(cp.sum(m)), cons)
    _solve(prob)
    u = np.maximum(np.asarray(m.value, float), 0.0) * sigma
    return O2OPrediction(float(u.sum()), u, beta, float(scale), _criterion(targ, occ_r, n_r, u, tol))


def coverage_summary(inst, n_off, eps: float, table: PolicyTable | None = None) -> float:
    r""":math:`\max_h\max_\pi \|\phi_{\pi,h}\|^2_{\Lambda_{{\rm off},h}^{-1}}/\max(\Delta(\pi),\epsilon)^2` (one-hot features).

    :math:`+\infty` when some policy puts mass on a pair without offline data.
    """
    _check_inst(inst)
    tab = policy_table(inst) if table is None else table
    n_off = as_float_array(n_off, "n_off", ndim=3)
    check_shape(n_off, "n_off", (inst.H, inst.S, inst.A))
    if not eps > 0:
        raise ValidationError(f"eps = {eps} (rule: > 0)")
    den = np.maximum(tab.gaps, eps) ** 2
    worst = 0.0
    targ = _differences(inst, tab)
    for h in range(inst.H):
        t2 = targ[h] ** 2
        n = n_off[h].reshape(-1)[inst.step_pairs[h]]
        with np.errstate(divide="ignore", invalid="ignore"):
            q = np.where(t2 > 0, t2 / n, 0.0).sum(axis=1)
        worst = max(worst, float(np.max(q / den)))
    return worst
