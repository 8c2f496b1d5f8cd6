r"""Numba kernels of HF-UCRL-RFE++ (no checks; :mod:`rltheory.algorithms.hf_rfe` validates).

Zhang, Zhang & Gu, *Optimal Horizon-Free Reward-Free Exploration for Linear
Mixture MDPs*, ICML 2023 (arXiv 2303.10165); equation and algorithm numbers of
Chapter 2 of W. Zhang's dissertation (UCLA 2024), as in
:mod:`rltheory.algorithms.hf_rfe`.

The learner loop is a small driver, :func:`run_kernel`, over episodes
:math:`k = 1..K`: *plan* (candidate models :math:`C_k` inside :math:`U_k`, then
the oracle's :math:`(\pi_k, \theta_k, r_k)`, :func:`plan_episode`), *explore*
(play :math:`\pi_k`), *observe* (features and targets of every moment level)
and *update* (HOME weights, Sherman--Morrison, batched refresh; the last three
in :func:`exploration_episode`), then the constraint of :math:`U_{k+1}`.  Its
state travels in named tuples of arrays (Numba passes them by reference: the
arrays are updated in place):

* :class:`Instance` -- ``phi (S, A, S, d)`` the learner's basis, ``P (S, A, S)``
  the true kernel (transitions are sampled from it only), ``mu0 (S,)``, ``H``;
* :class:`HomeParams` -- ``M``, :math:`\alpha`, :math:`\gamma` and ``unit``
  (:math:`\bar\sigma \equiv 1`, the Hoeffding baseline);
* :class:`Regression` -- family ``f`` (0 = "hat", the trajectory uncertainty
  :math:`\hat V`; 1 = "tilde", the value :math:`\tilde V` of the chosen
  pseudo-reward) by moment level ``m`` (:math:`0..M-1`): ``Sig, Sinv (2, M, d, d)``
  running :math:`\Sigma_{k,h,m}` and inverses, ``Sd, Sdinv (2, M, d, d)`` the
  episode-start snapshots :math:`\dot\Sigma_{k,m}`, ``b (2, M, d)``,
  ``th (2, M, d)`` (batched :math:`\theta_{k,m}`, refreshed at episode ends);
* :class:`Oracle` -- the dictionary ``R0 (nR, H, S, A)``, representative
  actions ``rep (S, A)``/``nrep (S,)``, reachability ``reach (H, S)``, the
  :math:`\beta` of eqs. 2.6.1--2.6.2 and the number of random candidates;
* :class:`Constraints` -- the stored constraints of :math:`U_k`;
* :class:`Plan` -- ``V, Vh (H+1, S)`` (:math:`\tilde V`, :math:`\hat V`) and
  the policy ``pi (H, S)``;
* :class:`OracleWork` (scratch of the plan step), :class:`Trace` (the states
  and weights of the last episode), :class:`RunLog` (per-episode outputs).

Steps are 0-based: the paper's step :math:`h` is ``h - 1`` here, and the
paper's :math:`V_{h+1}` (next-step value) is ``V[h + 1]``.  Every sum is added
left to right (:func:`rltheory.algorithms.linear_regression.dot_ltr`; no BLAS,
no ``fastmath``), so the results are the same bits on every CPU.
"""

from __future__ import annotations

from collections import namedtuple

import numpy as np
from numba import njit

from ..kernels.linalg import solve, sqrt_psd
from ..kernels.mdp import argmax_row
from ..kernels.sampling import draw_from_pmf
from .linear_regression import dot_ltr, matvec_ltr, phi_V_sa, sm_update, solve_theta, weighted_norm

__all__ = ["Instance", "HomeParams", "Regression", "Oracle", "Constraints", "Plan", "OracleWork", "Trace",
           "RunLog", "run_kernel", "plan_episode", "exploration_episode", "vhat_dp", "plan_dp", "true_value",
           "uniform_ls_kernel", "suboptimality_kernel"]

Instance = namedtuple("Instance", ["phi", "P", "mu0", "H"])
HomeParams = namedtuple("HomeParams", ["M", "alpha", "gamma", "unit"])
Regression = namedtuple("Regression", ["Sig", "Sinv", "Sd", "Sdinv", "b", "th"])
Oracle = namedtuple("Oracle", ["R0", "rep", "nrep", "reach", "beta", "n_random"])
#: ``centres (nc, 2, M, d)``, ``mats (nc, 2, M, d, d)``, ``radii (nc,)``, ``count (1,)`` int64 (all stored
#: when ``keep_all``, ``nc = K``); ``latest (1,)`` the radius of the latest snapshot's constraint (-1: none yet).
Constraints = namedtuple("Constraints", ["centres", "mats", "radii", "count", "latest", "keep_all"])
Plan = namedtuple("Plan", ["V", "Vh", "pi"])
#: ``cur``, ``best`` :class:`Plan`; ``x1, x2, diff, trial (d,)`` scratch.
OracleWork = namedtuple("OracleWork", ["cur", "best", "x1", "x2", "diff", "trial"])
#: ``traj (H+1,)`` int64 states, ``sig2 (H, 2, M)`` HOME weights of the last episode.
Trace = namedtuple("Trace", ["traj", "sig2"])
#: ``mask (K,)`` bool (episodes whose model is logged), ``vhat1 (K,)``, ``thetas (T, d)``,
#: ``picks (K, 2)`` (candidate, reward), ``n_feasible (K,)``, ``fallback (K,)``.
RunLog = namedtuple("RunLog", ["mask", "vhat1", "thetas", "picks", "n_feasible", "fallback"])


@njit(cache=True)
def _clip01(x):
    if x < 0.0:
        return 0.0
    if x > 1.0:
        return 1.0
    return x


@njit(cache=True)
def _new_plan(H, S):
    return Plan(np.zeros((H + 1, S)), np.zeros((H + 1, S)), np.zeros((H, S), dtype=np.int64))


# --------------------------------------------------------------------------- plan: dynamic programmes

@njit(cache=True)
def vhat_dp(phi, oracle, theta, r, Sd_tilde, Sd_hat, plan, x1, x2, rng):
    r"""Trajectory-uncertainty DP for one (theta, r), greedy in the policy; fills ``plan``.

    With :math:`V_H = \hat V_H = 0` and, for :math:`h = H-1, \dots, 0`, for each
    representative action,

    .. math::

        V_h(s) &= [\, r_h(s,a) + \langle\phi_{V_{h+1}}(s,a),\theta\rangle ]_{[0,1]} \\
        u_h(s,a) &= \min\{1, \beta\|\phi_{V_{h+1}}(s,a)\|_{\dot\Sigma^{\sim\,-1}_{k,0}}\} \\
        \hat V_h(s) &= [\, u_h + 2\beta\|\phi_{\hat V_{h+1}}(s,a)\|_{\dot\Sigma^{\wedge\,-1}_{k,0}}
                      + \langle\phi_{\hat V_{h+1}}(s,a),\theta\rangle ]_{[0,1]}

    (eqs. 2.6.1--2.6.2 of the dissertation, with :math:`V_{h+1}` in :math:`u`
    as in the proof of Lemma 2.8.26; the clip of :math:`V` to [0,1] and the
    lower clip of :math:`\hat V` at 0 are the design choice [R] for models
    outside the simplex image).  The action maximising :math:`\hat V_h(s)` is
    chosen; exact ties (frequent when :math:`\hat V` saturates at 1) are broken
    uniformly at random with ``rng`` [R] (the paper leaves ties open; a fixed
    rule would make a saturated learner replay one action forever).  Unreachable ``(h, s)`` are skipped
    (their values cannot influence :math:`\hat V_0` on the start support).

    ``phi (S, A, S, d)``, ``theta (d,)``, ``r (H, S, A)``; :math:`\beta` = ``oracle.beta``;
    the norms use the snapshot inverses ``Sd_tilde`` = :math:`\dot\Sigma^{\sim\,-1}_{k,0}`
    and ``Sd_hat`` = :math:`\dot\Sigma^{\wedge\,-1}_{k,0}` ``(d, d)``; ``plan``
    (:class:`Plan`) receives :math:`V`, :math:`\hat V` and the policy; ``x1, x2 (d,)``
    scratch.  The two matrices come as arrays of their own, not as views taken
    here of the ``(2, M, d, d)`` stack: so the compiler knows they are read only,
    and the DP runs about 1.5 times faster.
    """
    rep, nrep, reach, beta = oracle.rep, oracle.nrep, oracle.reach, oracle.beta
    V, Vh, pi = plan
    H, S = r.shape[0], phi.shape[0]
    for s in range(S):
        V[H, s] = 0.0
        Vh[H, s] = 0.0
    for h in range(H - 1, -1, -1):
        for s in range(S):
            if not reach[h, s]:
                V[h, s] = 0.0
                Vh[h, s] = 0.0
                pi[h, s] = rep[s, 0]
                continue
            best = -1.0
            bv = 0.0
            ba = rep[s, 0]
            nties = 0
            for j in range(nrep[s]):
                a = rep[s, j]
                phi_V_sa(phi, s, a, V[h + 1], x1)
                phi_V_sa(phi, s, a, Vh[h + 1], x2)
                v = _clip01(r[h, s, a] + dot_ltr(x1, theta))
                u = beta * weighted_norm(x1, Sd_tilde)
                if u > 1.0:
                    u = 1.0
                vh = _clip01(u + 2.0 * beta * weighted_norm(x2, Sd_hat) + dot_ltr(x2, theta))
                if vh > best:
                    best, bv, ba, nties = vh, v, a, 1
                elif vh == best:          # uniform tie-breaking (reservoir sampling) [R]
                    nties += 1
                    if rng.random() * nties < 1.0:
                        bv, ba = v, a
            V[h, s] = bv
            Vh[h, s] = best
            pi[h, s] = ba


@njit(cache=True)
def plan_dp(phi, theta, r, V, pi, x1, qrow):
    r"""Planning in the model :math:`\theta` without bonus: :math:`V_h(s) = \max_a [r_h(s,a) + \langle\phi_{V_{h+1}}(s,a),\theta\rangle]_{[0,1]}`.

    ``phi (S, A, S, d)``, ``theta (d,)``, ``r (H, S, A)``; fills ``V (H+1, S)``
    and ``pi (H, S)`` (ties to the lowest action, :func:`rltheory.kernels.mdp.argmax_row`);
    ``x1 (d,)``, ``qrow (A,)`` scratch.
    """
    H, S, A = r.shape[0], phi.shape[0], phi.shape[1]
    for s in range(S):
        V[H, s] = 0.0
    for h in range(H - 1, -1, -1):
        for s in range(S):
            for a in range(A):
                phi_V_sa(phi, s, a, V[h + 1], x1)
                qrow[a] = _clip01(r[h, s, a] + dot_ltr(x1, theta))
            V[h, s], pi[h, s] = argmax_row(qrow)


@njit(cache=True)
def _backup(P, r, vn, s, a):
    r""":math:`r + \sum_{s'} P(s'|s,a) v(s')`, added left to right *starting from* ``r``."""
    q = r
    for sp in range(P.shape[2]):
        q += P[s, a, sp] * vn[sp]
    return q


@njit(cache=True)
def true_value(P, mu0, r, pi, V, qrow):
    r""":math:`\sum_s \mu_0(s) V_0(s)` in the true kernel ``P (S, A, S)`` for the reward ``r (H, S, A)``.

    The optimal value when ``pi`` is empty (shape ``(0, S)``; argmax by
    :func:`rltheory.kernels.mdp.argmax_row`), else the value of the
    deterministic policy ``pi (H, S)``.  ``V (H+1, S)`` receives the values,
    ``qrow (A,)`` scratch.  Each backup starts from the reward and adds the
    next-state terms left to right (the order the claims' numbers were
    computed in; :func:`rltheory.kernels.mdp.backward_pass` adds the reward
    last and would change the last bits).
    """
    H, S, A = r.shape[0], P.shape[0], P.shape[1]
    for s in range(S):
        V[H, s] = 0.0
    for h in range(H - 1, -1, -1):
        for s in range(S):
            if pi.shape[0] == 0:
                for a in range(A):
                    qrow[a] = _backup(P, r[h, s, a], V[h + 1], s, a)
                V[h, s] = argmax_row(qrow)[0]
            else:
                V[h, s] = _backup(P, r[h, s, pi[h, s]], V[h + 1], s, pi[h, s])
    return dot_ltr(mu0, V[0])


@njit(cache=True)
def suboptimality_kernel(env, thetas, rewards, out):
    r"""``out[t, j]`` = :math:`V^*_1(\mu_0; r_j) - V_1^{\hat\pi}(\mu_0; r_j)`, :math:`\hat\pi` planned in ``thetas[t]``.

    ``thetas (T, d)``, ``rewards (J, H, S, A)``; :math:`\hat\pi` by :func:`plan_dp`
    in ``env.phi``, both values by :func:`true_value` in the true ``env.P``.
    """
    S, A, d, H = env.phi.shape[0], env.phi.shape[1], env.phi.shape[3], env.H
    Vm = np.zeros((H + 1, S))
    pi = np.zeros((H, S), dtype=np.int64)
    x1 = np.zeros(d)
    qrow = np.zeros(A)
    optimal = np.zeros((0, S), dtype=np.int64)
    for j in range(rewards.shape[0]):
        vstar = true_value(env.P, env.mu0, rewards[j], optimal, Vm, qrow)
        for t in range(thetas.shape[0]):
            plan_dp(env.phi, thetas[t], rewards[j], Vm, pi, x1, qrow)
            out[t, j] = vstar - true_value(env.P, env.mu0, rewards[j], pi, Vm, qrow)


# --------------------------------------------------------------------------- plan: the oracle (line 5)

@njit(cache=True)
def _in_ellipsoids(theta, centres, mats, beta, diff):
    r""":math:`\|\theta - c_{f,m}\|_{A_{f,m}} \le \beta` (up to a relative :math:`10^{-9}`) for every family and level."""
    for f in range(centres.shape[0]):
        for m in range(centres.shape[1]):
            for i in range(theta.shape[0]):
                diff[i] = theta[i] - centres[f, m, i]
            if weighted_norm(diff, mats[f, m]) > beta * (1.0 + 1e-9) + 1e-12:
                return False
    return True


@njit(cache=True)
def _feasible(theta, cons, th, Sd, diff):
    """``theta`` in every stored ellipsoid (all episodes, or only the latest snapshot ``th (2, M, d)``, ``Sd (2, M, d, d)``)."""
    if not cons.keep_all:
        return cons.latest[0] < 0.0 or _in_ellipsoids(theta, th, Sd, cons.latest[0], diff)
    for j in range(cons.count[0]):
        if not _in_ellipsoids(theta, cons.centres[j], cons.mats[j], cons.radii[j], diff):
            return False
    return True


@njit(cache=True)
def _add_constraint(cons, reg, beta):
    r"""Constraint of :math:`U_{k+1}`: :math:`\|\theta - \theta_{k+1,m}\|_{\dot\Sigma_{k+1,m}} \le \beta_{k+1}`, both families."""
    cons.latest[0] = beta
    if cons.keep_all:
        j = cons.count[0]
        cons.centres[j] = reg.th
        cons.mats[j] = reg.Sd
        cons.radii[j] = beta
        cons.count[0] = j + 1


@njit(cache=True)
def _candidates(reg, beta, prev, has_prev, n_random, rng):
    r"""Candidate set :math:`C_k` (specification Sec. 8, item 2) [R].

    In this order: :math:`\tilde\theta_{k,0}`, :math:`\hat\theta_{k,0}`,
    :math:`\hat\theta_{k,0} \pm \beta_k\dot\Sigma^{\wedge\,-1/2}_{k,0} e_i` (symmetric
    root), ``n_random`` uniform points of the hat ellipsoid, and the previous
    episode's choice ``prev (d,)``.  Returns ``C (n, d)``.
    """
    th = reg.th
    d = th.shape[2]
    C = np.zeros((2 + 2 * d + n_random + (1 if has_prev else 0), d))
    C[0] = th[1, 0]
    C[1] = th[0, 0]
    k = 2
    R = sqrt_psd(reg.Sdinv[0, 0], np.empty((d, d)))       # (A^{-1})^{1/2} = A^{-1/2}
    for i in range(d):
        for sgn in (1.0, -1.0):
            for j in range(d):
                C[k, j] = th[0, 0, j] + sgn * beta * R[j, i]
            k += 1
    z = np.zeros(d)
    Rz = np.zeros(d)
    for t in range(n_random):
        nz = 0.0
        for j in range(d):
            z[j] = rng.standard_normal()
            nz += z[j] * z[j]
        rad = beta * rng.random() ** (1.0 / d) / np.sqrt(nz)
        matvec_ltr(R, z, Rz)
        for j in range(d):
            C[k, j] = th[0, 0, j] + rad * Rz[j]
        k += 1
    if has_prev:
        C[k] = prev
    return C


@njit(cache=True)
def _pull_back(C, n_pull, cons, reg, work):
    r"""Pull the candidates ``C[2:n_pull]`` (axis and random points) outside the stored :math:`U_k` back to its boundary [R].

    Along the segment from the first feasible centre (``C[0]`` or ``C[1]``; none:
    nothing moves) by 20 bisection steps, so that the candidates span
    :math:`U_k` itself.
    """
    th, Sd = reg.th, reg.Sd
    anchor = -1
    for c in range(2):
        if _feasible(C[c], cons, th, Sd, work.diff):
            anchor = c
            break
    if anchor < 0:
        return
    trial = work.trial
    for c in range(2, n_pull):
        if _feasible(C[c], cons, th, Sd, work.diff):
            continue
        lo = 0.0
        hi = 1.0
        for _ in range(20):
            mid = 0.5 * (lo + hi)
            for i in range(trial.shape[0]):
                trial[i] = C[anchor, i] + mid * (C[c, i] - C[anchor, i])
            if _feasible(trial, cons, th, Sd, work.diff):
                lo = mid
            else:
                hi = mid
        for i in range(trial.shape[0]):
            C[c, i] = C[anchor, i] + lo * (C[c, i] - C[anchor, i])


@njit(cache=True)
def _best_reward(env, oracle, Sdinv, C, c, work, rng, pick):
    r"""Run :func:`vhat_dp` for candidate ``C[c]`` and every dictionary reward; keep the best in ``work.best``.

    ``pick = (value, candidate, reward, ties)`` so far; exact ties of
    :math:`\hat V_{k,1}` are broken uniformly among maximisers [R].  Returns the new ``pick``.
    """
    top, bc, br, nties = pick
    Sd_tilde, Sd_hat = Sdinv[1, 0], Sdinv[0, 0]
    for ri in range(oracle.R0.shape[0]):
        vhat_dp(env.phi, oracle, C[c], oracle.R0[ri], Sd_tilde, Sd_hat, work.cur, work.x1, work.x2, rng)
        val = dot_ltr(env.mu0, work.cur.Vh[0])
        take = False
        if val > top:
            take = True
            nties = 1
        elif val == top:
            nties += 1
            take = rng.random() * nties < 1.0
        if take:
            top, bc, br = val, c, ri
            work.best.V[:, :] = work.cur.V
            work.best.Vh[:, :] = work.cur.Vh
            work.best.pi[:, :] = work.cur.pi
    return top, bc, br, nties


@njit(cache=True)
def plan_episode(env, oracle, reg, cons, C, work, rng):
    r"""Line 5 of Algorithm 4: :math:`\max \hat V_{k,1}` over the feasible candidates, rewards and greedy policies.

    The feasible rows of ``C (n, d)`` come first; when none is feasible, the hat
    centre ``C[1]`` [R].  The chosen plan is left in ``work.best``.  Returns
    ``(value, candidate, reward, n_feasible, fell_back)``.
    """
    pick = (-1.0, -1, 0, 0)
    nf = 0
    for c in range(C.shape[0]):
        if _feasible(C[c], cons, reg.th, reg.Sd, work.diff):
            nf += 1
            pick = _best_reward(env, oracle, reg.Sdinv, C, c, work, rng, pick)
    fell_back = pick[1] < 0
    if fell_back:
        pick = _best_reward(env, oracle, reg.Sdinv, C, 1, work, rng, pick)
    return pick[0], pick[1], pick[2], nf, fell_back


# --------------------------------------------------------------------------- explore, observe, update

@njit(cache=True)
def _moment_features(phi, v, s, a, sn, X, y, pw):
    r"""Observe one transition for one family: ``X[m]`` = :math:`\phi_{v^{2^m}}(s,a)`, ``y[m]`` = :math:`v(s')^{2^m}`.

    ``v (S,)`` the target :math:`V_{h+1}`; ``X (M, d)``, ``y (M,)`` out; ``pw (S,)`` scratch.
    """
    for i in range(pw.shape[0]):
        pw[i] = v[i]
    for m in range(X.shape[0]):
        phi_V_sa(phi, s, a, pw, X[m])
        y[m] = pw[sn]
        for i in range(pw.shape[0]):
            pw[i] = pw[i] * pw[i]


@njit(cache=True)
def _home(home, X, th, Sinv, Sdinv, beta_k, sig2):
    r"""HOME (Algorithm 5; Zhou & Gu 2022a): the weights :math:`\bar\sigma^2_{k,h,m}` of one family into ``sig2 (M,)``.

    For :math:`m = 0..M-2`:

    .. math::

        \widehat{\mathrm{Var}}_m = [\langle x_{m+1},\theta_{m+1}\rangle]_{[0,1]} - [\langle x_m,\theta_m\rangle]_{[0,1]}^2, \quad
        E_m = [2\beta_k\|x_m\|_{\dot\Sigma_m^{-1}}]_{[0,1]} + [\beta_k\|x_{m+1}\|_{\dot\Sigma_{m+1}^{-1}}]_{[0,1]}, \\
        \bar\sigma^2_m = \max\{\gamma^2\|x_m\|_{\Sigma_m^{-1}},\ \widehat{\mathrm{Var}}_m + E_m,\ \alpha^2\},

    and :math:`\bar\sigma^2_{M-1} = \max\{\gamma^2\|x_{M-1}\|_{\Sigma_{M-1}^{-1}}, 1, \alpha^2\}`
    (norm, not squared, under the running matrix).  ``home.unit`` gives
    :math:`\bar\sigma \equiv 1` (the Hoeffding baseline).  ``X (M, d)``; ``th (M, d)``,
    ``Sinv, Sdinv (M, d, d)`` of the family.
    """
    M = home.M
    if home.unit:
        for m in range(M):
            sig2[m] = 1.0
        return
    g2 = home.gamma * home.gamma
    a2 = home.alpha * home.alpha
    for m in range(M - 1):
        var = _clip01(dot_ltr(X[m + 1], th[m + 1])) - _clip01(dot_ltr(X[m], th[m])) ** 2
        E = _clip01(2.0 * beta_k * weighted_norm(X[m], Sdinv[m])) + \
            _clip01(beta_k * weighted_norm(X[m + 1], Sdinv[m + 1]))
        s = g2 * weighted_norm(X[m], Sinv[m])
        if var + E > s:
            s = var + E
        if a2 > s:
            s = a2
        sig2[m] = s
    s = g2 * weighted_norm(X[M - 1], Sinv[M - 1])
    if 1.0 > s:
        s = 1.0
    if a2 > s:
        s = a2
    sig2[M - 1] = s


@njit(cache=True)
def _weighted_update(Sig, Sinv, b, X, y, sig2, buf, sig2_log):
    r"""Update one family: :math:`\Sigma_m \mathrel{+}= x_m x_m^\top/\bar\sigma^2_m`, :math:`b_m \mathrel{+}= x_m y_m/\bar\sigma^2_m`.

    ``Sig, Sinv (M, d, d)`` (inverses by Sherman--Morrison), ``b (M, d)``; the
    weights ``sig2 (M,)`` are copied to ``sig2_log (M,)``; ``buf (d,)`` scratch.
    """
    for m in range(X.shape[0]):
        sig2_log[m] = sig2[m]
        w = 1.0 / sig2[m]
        sm_update(Sig[m], Sinv[m], X[m], w, buf)
        for i in range(X.shape[1]):
            b[m, i] += w * X[m, i] * y[m]


@njit(cache=True)
def _refresh(reg):
    r"""Episode end: :math:`\dot\Sigma_{k+1,m} = \Sigma_{k,H+1,m}` (and inverses), :math:`\theta_{k+1,m} = \Sigma^{-1}_{k+1,1,m} b_{k+1,1,m}`."""
    for f in range(reg.Sig.shape[0]):
        for m in range(reg.Sig.shape[1]):
            reg.Sd[f, m, :, :] = reg.Sig[f, m]
            reg.Sdinv[f, m, :, :] = reg.Sinv[f, m]
            solve_theta(reg.Sinv[f, m], reg.b[f, m], reg.th[f, m])


@njit(cache=True)
def exploration_episode(env, home, reg, beta_k, plan, rng, trace):
    r"""One exploration episode of Algorithm 4 (lines 7--19) followed by the batched refresh.

    Plays ``plan.pi (H, S)`` in the true kernel ``env.P (S, A, S)`` from
    :math:`s_1 \sim \mu_0` (*explore*); after every step, for both families
    :math:`f` (targets ``plan.Vh`` and ``plan.V``, ``(H+1, S)``) and every level
    :math:`m`: :math:`x = \phi_{V_{h+1}^{2^m}}(s_h,a_h)`, :math:`y = V_{h+1}(s_{h+1})^{2^m}`
    (*observe*), HOME weights with radius ``beta_k``, :math:`\Sigma_m \mathrel{+}= x x^\top/\bar\sigma^2_m`,
    :math:`b_m \mathrel{+}= x y/\bar\sigma^2_m` (*update*).  At the end:
    :math:`\dot\Sigma_{k+1,m} = \Sigma_{k,H+1,m}` (and inverses) and
    :math:`\theta_{k+1,m} = \Sigma^{-1}_{k+1,1,m} b_{k+1,1,m}`.

    ``env`` :class:`Instance`, ``home`` :class:`HomeParams`, ``reg``
    :class:`Regression` (updated in place); ``trace.traj (H+1,)`` receives the
    states, ``trace.sig2 (H, 2, M)`` the weights.  The arrays are taken out of
    the tuples once, here: the helpers take arrays (a view per access in the
    inner loops would cost more than the arithmetic).
    """
    phi, P, mu0 = env.phi, env.P, env.mu0
    Sig, Sinv, Sd, Sdinv, b, th = reg
    S, d, M = phi.shape[0], phi.shape[3], home.M
    X = np.zeros((M, d))
    y = np.zeros(M)
    pw = np.zeros(S)
    sig2 = np.zeros(M)
    buf = np.zeros(d)
    s = draw_from_pmf(mu0, mu0.shape[0], rng.random())
    trace.traj[0] = s
    for h in range(env.H):
        a = plan.pi[h, s]
        sn = draw_from_pmf(P[s, a], P.shape[2], rng.random())
        trace.traj[h + 1] = sn
        for f in range(2):
            _moment_features(phi, plan.Vh[h + 1] if f == 0 else plan.V[h + 1], s, a, sn, X, y, pw)
            _home(home, X, th[f], Sinv[f], Sdinv[f], beta_k, sig2)
            _weighted_update(Sig[f], Sinv[f], b[f], X, y, sig2, buf, trace.sig2[h, f])
        s = sn
    _refresh(reg)


# --------------------------------------------------------------------------- the drivers

@njit(cache=True)
def run_kernel(env, home, oracle, reg, cons, log, betas, rng):
    r"""``K = log.vhat1.shape[0]`` episodes of HF-UCRL-RFE++ (or the unit-weight baseline when ``home.unit``).

    ``betas[k]`` is :math:`\beta_k` (index 1..K+1 used).  Episode ``k`` (1-based):

    1. plan: the candidates :math:`C_k` pulled into the stored :math:`U_k`,
       then the oracle (:func:`plan_episode`) over them, every dictionary reward
       and the greedy policy;
    2. explore, observe, update: :func:`exploration_episode`;
    3. store the constraint of :math:`U_{k+1}`.

    Fills ``log`` (:class:`RunLog`): :math:`\hat V_{k,1}(s_1;\theta_k,\pi_k,r_k)`,
    :math:`\theta_k` of the episodes in ``log.mask``, the picks, the feasible
    counts and the fallbacks; ``reg`` and ``cons`` hold the final state.
    """
    S, d = env.phi.shape[0], env.phi.shape[3]
    work = OracleWork(_new_plan(env.H, S), _new_plan(env.H, S), np.zeros(d), np.zeros(d), np.zeros(d),
                      np.zeros(d))
    trace = Trace(np.zeros(env.H + 1, dtype=np.int64), np.zeros((env.H, 2, home.M)))
    prev = np.zeros(d)
    li = 0
    for k in range(1, log.vhat1.shape[0] + 1):
        C = _candidates(reg, betas[k], prev, k > 1, oracle.n_random, rng)
        _pull_back(C, 2 + 2 * d + oracle.n_random, cons, reg, work)
        val, bc, br, nf, fell_back = plan_episode(env, oracle, reg, cons, C, work, rng)
        log.vhat1[k - 1] = val
        log.picks[k - 1, 0] = bc
        log.picks[k - 1, 1] = br
        log.n_feasible[k - 1] = nf
        log.fallback[k - 1] = 1 if fell_back else 0
        prev[:] = C[bc]
        if log.mask[k - 1]:
            log.thetas[li, :] = C[bc]
            li += 1
        exploration_episode(env, home, reg, betas[k], work.best, rng, trace)
        _add_constraint(cons, reg, betas[k + 1])


@njit(cache=True)
def _ls_observe(phi, s, a, sn, Sig, bb):
    r""":math:`\Sigma \mathrel{+}= \sum_j \phi(j|s,a)\phi(j|s,a)^\top`, :math:`b \mathrel{+}= \phi(s'|s,a)`."""
    d = phi.shape[3]
    for j in range(phi.shape[2]):
        for i in range(d):
            pij = phi[s, a, j, i]
            if pij == 0.0:
                continue
            for l in range(d):
                Sig[i, l] += pij * phi[s, a, j, l]
    for i in range(d):
        bb[i] += phi[s, a, sn, i]


@njit(cache=True)
def uniform_ls_kernel(env, lam, mask, rng, thetas):
    r"""Uniform exploration + least squares on the transition (multi-target regression), ``K = mask.shape[0]`` episodes.

    Every step plays a uniformly random action (*explore*) and adds the
    regression of the indicator targets :math:`\mathbb 1[s_{h+1} = j]` on
    :math:`\phi(j|s_h,a_h)` for all :math:`j` (*observe*, *update*,
    :func:`_ls_observe`), with :math:`\Sigma_0 = \lambda I`; after the episodes
    in ``mask`` the estimate :math:`\hat\theta = \Sigma^{-1}b` (Gaussian
    elimination) is written to the next row of ``thetas (T, d)``.
    """
    A, d = env.phi.shape[1], env.phi.shape[3]
    Sig = np.eye(d) * lam
    bb = np.zeros(d)
    li = 0
    for k in range(mask.shape[0]):
        s = draw_from_pmf(env.mu0, env.mu0.shape[0], rng.random())
        for h in range(env.H):
            a = min(int(rng.random() * A), A - 1)
            sn = draw_from_pmf(env.P[s, a], env.P.shape[2], rng.random())
            _ls_observe(env.phi, s, a, sn, Sig, bb)
            s = sn
        if mask[k]:
            solve(Sig, bb, thetas[li])
            li += 1
