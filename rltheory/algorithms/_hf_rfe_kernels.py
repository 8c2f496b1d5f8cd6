r"""Numba kernels of HF-UCRL-RFE++ (no checks; :mod:`rltheory.algorithms.hf_rfe` validates).

Array conventions (``f`` = family: 0 = "hat" (trajectory uncertainty
:math:`\hat V`), 1 = "tilde" (value :math:`\tilde V` of the chosen
pseudo-reward); ``m`` = moment level :math:`0..M-1`):

* ``Sig, Sinv (2, M, d, d)`` running :math:`\Sigma_{k,h,m}` and inverses;
* ``Sd, Sdinv (2, M, d, d)`` episode-start snapshots :math:`\dot\Sigma_{k,m}`;
* ``b (2, M, d)``, ``th (2, M, d)`` (batched :math:`\theta_{k,m}`, refreshed at
  episode ends).

Steps are 0-based: the paper's step :math:`h` is ``h - 1`` here, and the
paper's :math:`V_{h+1}` (next-step value) is ``V[h + 1]``.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from ..envs._kernels import draw_from_pmf
from ..kernels.linalg import solve, sqrt_psd
from .linear_regression import phi_V_sa, sm_update, solve_theta, weighted_norm


@njit(cache=True)
def _clip01(x):
    if x < 0.0:
        return 0.0
    if x > 1.0:
        return 1.0
    return x


@njit(cache=True)
def _dot(x, y):
    acc = 0.0
    for i in range(x.shape[0]):
        acc += x[i] * y[i]
    return acc


@njit(cache=True)
def vhat_dp(phi, theta, r, H, beta, Sdinv_tilde, Sdinv_hat, rep, nrep, reach, V, Vh, pi, x1, x2, rng):
    r"""Trajectory-uncertainty DP for one (theta, r), greedy in the policy.

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

    ``r (H, S, A)``; ``V, Vh (H+1, S)``; ``pi (H, S)`` int; ``x1, x2 (d,)`` scratch.
    """
    S = phi.shape[0]
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
                v = _clip01(r[h, s, a] + _dot(x1, theta))
                u = beta * weighted_norm(x1, Sdinv_tilde)
                if u > 1.0:
                    u = 1.0
                vh = _clip01(u + 2.0 * beta * weighted_norm(x2, Sdinv_hat) + _dot(x2, theta))
                if vh > best:
                    best = vh
                    bv = v
                    ba = a
                    nties = 1
                elif vh == best:          # uniform tie-breaking (reservoir sampling) [R]
                    nties += 1
                    if rng.random() * nties < 1.0:
                        bv = v
                        ba = a
            V[h, s] = bv
            Vh[h, s] = best
            pi[h, s] = ba


@njit(cache=True)
def plan_dp(phi, theta, r, H, V, pi, x1):
    r"""Planning in the model :math:`\theta` without bonus: :math:`V_h(s) = \max_a [r_h(s,a) + \langle\phi_{V_{h+1}}(s,a),\theta\rangle]_{[0,1]}`.

    Ties go to the lowest action.  Fills ``V (H+1, S)`` and ``pi (H, S)``.
    """
    S, A = phi.shape[0], phi.shape[1]
    for s in range(S):
        V[H, s] = 0.0
    for h in range(H - 1, -1, -1):
        for s in range(S):
            best = -np.inf
            ba = 0
            for a in range(A):
                phi_V_sa(phi, s, a, V[h + 1], x1)
                q = _clip01(r[h, s, a] + _dot(x1, theta))
                if q > best:
                    best = q
                    ba = a
            V[h, s] = best
            pi[h, s] = ba


@njit(cache=True)
def _feasible(theta, cons_c, cons_S, cons_beta, n_cons, Sd, th, beta_now, use_latest, diff):
    """``theta`` in every stored ellipsoid (all episodes, or only the latest snapshot)."""
    M = Sd.shape[1]
    d = theta.shape[0]
    if use_latest:
        if beta_now < 0.0:
            return True
        for f in range(2):
            for m in range(M):
                for i in range(d):
                    diff[i] = theta[i] - th[f, m, i]
                q = weighted_norm(diff, Sd[f, m])
                if q > beta_now * (1.0 + 1e-9) + 1e-12:
                    return False
        return True
    for j in range(n_cons):
        bj = cons_beta[j]
        for f in range(2):
            for m in range(M):
                for i in range(d):
                    diff[i] = theta[i] - cons_c[j, f, m, i]
                q = weighted_norm(diff, cons_S[j, f, m])
                if q > bj * (1.0 + 1e-9) + 1e-12:
                    return False
    return True


@njit(cache=True)
def _inv_sqrt_psd(Ainv):
    """Symmetric square root of a PD inverse: ``(A^{-1})^{1/2} = A^{-1/2}`` (cyclic Jacobi, fixed order)."""
    d = Ainv.shape[0]
    return sqrt_psd(Ainv, np.empty((d, d)))


@njit(cache=True)
def _candidates(th, Sdinv, beta, prev, has_prev, n_random, rng):
    r"""Candidate set :math:`C_k` (specification Sec. 8, item 2) [R].

    In this order: :math:`\tilde\theta_{k,0}`, :math:`\hat\theta_{k,0}`,
    :math:`\hat\theta_{k,0} \pm \beta_k\dot\Sigma^{\wedge\,-1/2}_{k,0} e_i` (symmetric
    root), ``n_random`` uniform points of the hat ellipsoid, and the previous
    episode's choice.  :func:`run_kernel` pulls axis and random points that lie
    outside the stored :math:`U_k` back to its boundary along the segment from a
    feasible centre (bisection), so that the candidates span :math:`U_k` itself.
    """
    d = th.shape[2]
    n = 2 + 2 * d + n_random + (1 if has_prev else 0)
    C = np.zeros((n, d))
    C[0] = th[1, 0]
    C[1] = th[0, 0]
    k = 2
    R = _inv_sqrt_psd(Sdinv[0, 0])
    for i in range(d):
        for sgn in (1.0, -1.0):
            for j in range(d):
                C[k, j] = th[0, 0, j] + sgn * beta * R[j, i]
            k += 1
    z = np.zeros(d)
    for t in range(n_random):
        nz = 0.0
        for j in range(d):
            z[j] = rng.standard_normal()
            nz += z[j] * z[j]
        rad = beta * rng.random() ** (1.0 / d) / np.sqrt(nz)
        for j in range(d):
            acc = 0.0
            for l in range(d):
                acc += R[j, l] * z[l]
            C[k, j] = th[0, 0, j] + rad * acc
        k += 1
    if has_prev:
        C[k] = prev
    return C


@njit(cache=True)
def _home(X, th, Sinv, Sdinv, beta_k, alpha, gamma, M, sig2, unit):
    r"""HOME (Algorithm 5; Zhou & Gu 2022a): the weights :math:`\bar\sigma^2_{k,h,m}` of one family.

    For :math:`m = 0..M-2`:

    .. math::

        \widehat{\mathrm{Var}}_m = [\langle x_{m+1},\theta_{m+1}\rangle]_{[0,1]} - [\langle x_m,\theta_m\rangle]_{[0,1]}^2, \quad
        E_m = [2\beta_k\|x_m\|_{\dot\Sigma_m^{-1}}]_{[0,1]} + [\beta_k\|x_{m+1}\|_{\dot\Sigma_{m+1}^{-1}}]_{[0,1]}, \\
        \bar\sigma^2_m = \max\{\gamma^2\|x_m\|_{\Sigma_m^{-1}},\ \widehat{\mathrm{Var}}_m + E_m,\ \alpha^2\},

    and :math:`\bar\sigma^2_{M-1} = \max\{\gamma^2\|x_{M-1}\|_{\Sigma_{M-1}^{-1}}, 1, \alpha^2\}`
    (norm, not squared, under the running matrix).  ``unit=True`` gives
    :math:`\bar\sigma \equiv 1` (the Hoeffding baseline).
    """
    if unit:
        for m in range(M):
            sig2[m] = 1.0
        return
    g2 = gamma * gamma
    a2 = alpha * alpha
    for m in range(M - 1):
        var = _clip01(_dot(X[m + 1], th[m + 1])) - _clip01(_dot(X[m], th[m])) ** 2
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
def exploration_episode(phi, P, mu0, H, M, alpha, gamma, beta_k, unit, pi, Vh, Vt,
                        Sig, Sinv, Sd, Sdinv, b, th, rng, traj, sig2_log):
    r"""One exploration episode of Algorithm 4 (lines 7--19) followed by the batched refresh.

    Plays ``pi (H, S)`` in the true kernel ``P (S, A, S)`` from :math:`s_1 \sim \mu_0`;
    after every step, for both families :math:`f` (targets ``Vh`` and ``Vt``,
    ``(H+1, S)``) and every level :math:`m`:
    :math:`x = \phi_{V_{h+1}^{2^m}}(s_h,a_h)`, :math:`y = V_{h+1}(s_{h+1})^{2^m}`,
    HOME weights, :math:`\Sigma_m \mathrel{+}= x x^\top/\bar\sigma^2_m`,
    :math:`b_m \mathrel{+}= x y/\bar\sigma^2_m`.  At the end:
    :math:`\dot\Sigma_{k+1,m} = \Sigma_{k,H+1,m}` (and inverses) and
    :math:`\theta_{k+1,m} = \Sigma^{-1}_{k+1,1,m} b_{k+1,1,m}`.

    ``traj (H+1,)`` receives the states, ``sig2_log (H, 2, M)`` the weights.
    """
    S, A = phi.shape[0], phi.shape[1]
    d = phi.shape[3]
    X = np.zeros((M, d))
    y = np.zeros(M)
    pw = np.zeros(S)
    sig2 = np.zeros(M)
    buf = np.zeros(d)
    s = draw_from_pmf(mu0, mu0.shape[0], rng.random())
    traj[0] = s
    for h in range(H):
        a = pi[h, s]
        sn = draw_from_pmf(P[s, a], P.shape[2], rng.random())
        traj[h + 1] = sn
        for f in range(2):
            Vsrc = Vh if f == 0 else Vt
            for i in range(S):
                pw[i] = Vsrc[h + 1, i]
            for m in range(M):
                phi_V_sa(phi, s, a, pw, X[m])
                y[m] = pw[sn]
                for i in range(S):
                    pw[i] = pw[i] * pw[i]
            _home(X, th[f], Sinv[f], Sdinv[f], beta_k, alpha, gamma, M, sig2, unit)
            for m in range(M):
                sig2_log[h, f, m] = sig2[m]
                w = 1.0 / sig2[m]
                sm_update(Sig[f, m], Sinv[f, m], X[m], w, buf)
                for i in range(d):
                    b[f, m, i] += w * X[m, i] * y[m]
        s = sn
    for f in range(2):
        for m in range(M):
            Sd[f, m, :, :] = Sig[f, m]
            Sdinv[f, m, :, :] = Sinv[f, m]
            solve_theta(Sinv[f, m], b[f, m], th[f, m])


@njit(cache=True)
def run_kernel(phi, P, mu0, H, K, M, lam, alpha, gamma, betas, beta_plan, unit, R0, rep, nrep, reach,
               n_random, keep_all, log_mask, rng, Sig, Sinv, Sd, Sdinv, b, th, vhat1, theta_log,
               pick_log, n_feasible, fallback):
    r"""K episodes of HF-UCRL-RFE++ (or the unit-weight baseline when ``unit``).

    ``betas[k]`` is :math:`\beta_k` (index 1..K+1 used); ``beta_plan`` is the
    :math:`\beta` of eqs. 2.6.1--2.6.2.  Episode ``k`` (1-based):

    1. oracle: maximise :math:`\hat V_{k,1}` over the candidates in :math:`U_k`,
       every dictionary reward ``R0 (nR, H, S, A)`` and the greedy policy; when
       no candidate is feasible (``fallback``), over the rewards and policies
       at the hat centre :math:`\hat\theta_{k,0}` [R];
    2. the exploration episode and batched refresh;
    3. store the constraint of :math:`U_{k+1}` (all of them if ``keep_all``).

    Outputs: ``vhat1 (K,)`` = :math:`\hat V_{k,1}(s_1;\theta_k,\pi_k,r_k)`;
    ``theta_log`` rows for the episodes with ``log_mask``; ``pick_log (K, 2)``
    (candidate, reward) indices; ``n_feasible (K,)``; ``fallback (K,)``.
    """
    S, A = phi.shape[0], phi.shape[1]
    d = phi.shape[3]
    nR = R0.shape[0]
    V = np.zeros((H + 1, S))
    Vh = np.zeros((H + 1, S))
    pol = np.zeros((H, S), dtype=np.int64)
    bestV = np.zeros((H + 1, S))
    bestVh = np.zeros((H + 1, S))
    bestpi = np.zeros((H, S), dtype=np.int64)
    x1 = np.zeros(d)
    x2 = np.zeros(d)
    diff = np.zeros(d)
    trial = np.zeros(d)
    traj = np.zeros(H + 1, dtype=np.int64)
    sig2_log = np.zeros((H, 2, M))
    nc_max = K if keep_all else 1
    cons_c = np.zeros((nc_max, 2, M, d))
    cons_S = np.zeros((nc_max, 2, M, d, d))
    cons_beta = np.zeros(nc_max)
    n_cons = 0
    prev = np.zeros(d)
    has_prev = False
    beta_latest = -1.0        # U_1 = R^d
    li = 0
    for k in range(1, K + 1):
        C = _candidates(th, Sdinv, betas[k], prev, has_prev, n_random, rng)
        # a feasible centre as anchor; infeasible axis/random points are pulled back along the
        # segment from the anchor to the boundary of the (stored) U_k by bisection [R]
        anchor = -1
        for c in range(2):
            if _feasible(C[c], cons_c, cons_S, cons_beta, n_cons, Sd, th, beta_latest, not keep_all, diff):
                anchor = c
                break
        if anchor >= 0:
            for c in range(2, 2 + 2 * d + n_random):
                if _feasible(C[c], cons_c, cons_S, cons_beta, n_cons, Sd, th, beta_latest,
                             not keep_all, diff):
                    continue
                lo = 0.0
                hi = 1.0
                for _ in range(20):
                    mid = 0.5 * (lo + hi)
                    for i in range(d):
                        trial[i] = C[anchor, i] + mid * (C[c, i] - C[anchor, i])
                    if _feasible(trial, cons_c, cons_S, cons_beta, n_cons, Sd, th, beta_latest,
                                 not keep_all, diff):
                        lo = mid
                    else:
                        hi = mid
                for i in range(d):
                    C[c, i] = C[anchor, i] + lo * (C[c, i] - C[anchor, i])
        best = -1.0
        bc = -1
        br = 0
        nf = 0
        nties = 0
        # pass 0: the feasible candidates; pass 1 (only if none is feasible): the hat centre C[1]
        for fb in range(2):
            if fb == 1:
                if bc >= 0:
                    break
                fallback[k - 1] = 1
            for c in range(C.shape[0]):
                if fb == 1 and c != 1:
                    continue
                if fb == 0:
                    if not _feasible(C[c], cons_c, cons_S, cons_beta, n_cons, Sd, th, beta_latest,
                                     not keep_all, diff):
                        continue
                    nf += 1
                for ri in range(nR):
                    vhat_dp(phi, C[c], R0[ri], H, beta_plan, Sdinv[1, 0], Sdinv[0, 0], rep, nrep, reach,
                            V, Vh, pol, x1, x2, rng)
                    val = 0.0
                    for s in range(S):
                        val += mu0[s] * Vh[0, s]
                    take = False
                    if val > best:
                        take = True
                        nties = 1
                    elif val == best:            # exact ties: uniform among maximisers [R]
                        nties += 1
                        take = rng.random() * nties < 1.0
                    if take:
                        best = val
                        bc = c
                        br = ri
                        bestV[:, :] = V
                        bestVh[:, :] = Vh
                        bestpi[:, :] = pol
        n_feasible[k - 1] = nf
        vhat1[k - 1] = best
        pick_log[k - 1, 0] = bc
        pick_log[k - 1, 1] = br
        prev[:] = C[bc]
        has_prev = True
        if log_mask[k - 1]:
            theta_log[li, :] = C[bc]
            li += 1
        exploration_episode(phi, P, mu0, H, M, alpha, gamma, betas[k], unit, bestpi, bestVh, bestV,
                            Sig, Sinv, Sd, Sdinv, b, th, rng, traj, sig2_log)
        # constraint of U_{k+1}: ||theta - theta_{k+1,m}||_{Sdot_{k+1,m}} <= beta_{k+1}, both families
        beta_latest = betas[k + 1]
        if keep_all:
            cons_c[n_cons] = th
            cons_S[n_cons] = Sd
            cons_beta[n_cons] = betas[k + 1]
            n_cons += 1


@njit(cache=True)
def uniform_ls_kernel(phi, P, mu0, H, K, lam, log_mask, rng, theta_log):
    r"""Uniform exploration + least squares on the transition (multi-target regression).

    Every step plays a uniformly random action and adds the regression of the
    indicator targets :math:`\mathbb 1[s_{h+1} = j]` on :math:`\phi(j|s_h,a_h)`
    for all :math:`j`:
    :math:`\Sigma \mathrel{+}= \sum_j \phi(j|s,a)\phi(j|s,a)^\top`,
    :math:`b \mathrel{+}= \phi(s_{h+1}|s,a)`, :math:`\hat\theta = \Sigma^{-1}b`
    (with :math:`\Sigma_0 = \lambda I`).
    """
    S, A = phi.shape[0], phi.shape[1]
    d = phi.shape[3]
    Sig = np.eye(d) * lam
    bb = np.zeros(d)
    li = 0
    for k in range(1, K + 1):
        s = draw_from_pmf(mu0, mu0.shape[0], rng.random())
        for h in range(H):
            a = int(rng.random() * A)
            if a >= A:
                a = A - 1
            sn = draw_from_pmf(P[s, a], P.shape[2], rng.random())
            for j in range(S):
                for i in range(d):
                    pij = phi[s, a, j, i]
                    if pij == 0.0:
                        continue
                    for l in range(d):
                        Sig[i, l] += pij * phi[s, a, j, l]
            for i in range(d):
                bb[i] += phi[s, a, sn, i]
            s = sn
        if log_mask[k - 1]:
            solve(Sig, bb, theta_log[li])
            li += 1


@njit(cache=True)
def suboptimality_kernel(phi, P4, mu0, H, thetas, rewards, out):
    r"""``out[t, j]`` = :math:`V^*_1(\mu_0; r_j) - V_1^{\hat\pi}(\mu_0; r_j)`, :math:`\hat\pi` planned in ``thetas[t]``.

    ``thetas (T, d)``, ``rewards (J, H, S, A)``; evaluation in the true ``P4 (1, S, A, S)``.
    """
    S, A = phi.shape[0], phi.shape[1]
    d = phi.shape[3]
    Vm = np.zeros((H + 1, S))
    pi = np.zeros((H, S), dtype=np.int64)
    x1 = np.zeros(d)
    Vbuf = np.zeros((2, S))
    Vs = np.zeros((H + 1, S))
    for j in range(rewards.shape[0]):
        r = rewards[j]
        # optimal value in the true model
        for s in range(S):
            Vs[H, s] = 0.0
        for h in range(H - 1, -1, -1):
            for s in range(S):
                best = -np.inf
                for a in range(A):
                    q = r[h, s, a]
                    for sp in range(S):
                        q += P4[0, s, a, sp] * Vs[h + 1, sp]
                    if q > best:
                        best = q
                Vs[h, s] = best
        vstar = 0.0
        for s in range(S):
            vstar += mu0[s] * Vs[0, s]
        for t in range(thetas.shape[0]):
            plan_dp(phi, thetas[t], r, H, Vm, pi, x1)
            # exact value of pi in the true model
            for s in range(S):
                Vbuf[0, s] = 0.0
            cur = 0
            for h in range(H - 1, -1, -1):
                nxt = 1 - cur
                for s in range(S):
                    a = pi[h, s]
                    q = r[h, s, a]
                    for sp in range(S):
                        q += P4[0, s, a, sp] * Vbuf[cur, sp]
                    Vbuf[nxt, s] = q
                cur = nxt
            v = 0.0
            for s in range(S):
                v += mu0[s] * Vbuf[cur, s]
            out[t, j] = vstar - v
