r"""The Numba episode loop shared by the model-based tabular learners.

One kernel, :func:`model_based_loop`, runs :math:`K` episodes of

1. *plan*: backward induction on the empirical model plus a bonus
   (UCBVI-CH, UCBVI-BF) or without one (certainty equivalence), giving the
   greedy policy :math:`\pi_k` (``int64 (H, S)``);
2. *evaluate*: the exact value :math:`V^{\pi_k}(\mu_0)` on the true MDP
   (:func:`rltheory.solvers._kernels.policy_value_deterministic`; skipped when
   :math:`\pi_k = \pi_{k-1}`, whose value is already known), giving the expected regret
   :math:`V^*(\mu_0) - V^{\pi_k}(\mu_0)`;
3. *act*: sample the episode with the :class:`numpy.random.Generator`
   (inverse CDF, :mod:`rltheory.envs._kernels`), record its return;
4. *update* the counts.

Greedy action and ties.  :math:`\pi_k(h, x) \in \arg\max_a Q_{k,h}(x,a)`.
With ``least_tried`` (UCBVI) the tied action with the fewest visits
:math:`N_k(x,a)` is taken, then the lowest index: exact ties are common in
optimistic learners (every pair whose value is capped at :math:`H-h` ties with
the others) and a lowest-index rule would then never leave action 0.  Without
it (the no-bonus baselines) ties go to the lowest index, so that those
learners do no exploration beyond their stated schedule.

Empirical model.  Counts :math:`N(s,a,s')` and :math:`N(s,a)` are pooled over
the steps when the true kernel is stationary (``P4.shape[0] == 1``), and kept
per step, :math:`N_h(s,a,s')`, when it is step-dependent.  The empirical
kernel is never formed: :math:`(\hat P V)(s,a) = \bigl(\sum_{s'} N(s,a,s')
V(s')\bigr) / N(s,a)`, with the sum taken in increasing :math:`s'` by one of
two bit-identical routes (adding :math:`0 \cdot V(s') = +0` changes no partial
sum):

* *sparse*: over the observed successors only, kept in a sorted list per
  :math:`(s,a)` -- cost :math:`\sum_{s,a} |\{s' : N(s,a,s') > 0\}|` per step;
* *dense*: all :math:`(s,a)` at once from counts stored as ``NT[s', s*A + a]``,
  an ``axpy`` per :math:`s'` that the compiler vectorises without
  reassociating any sum -- cost :math:`S^2 A` per step, at SIMD speed.

The route is chosen per episode from the fill of the count matrix
(:data:`DENSE_FILL`); it changes the speed, never a bit of the result.

``mode``: 0 = no bonus (certainty equivalence; an untried pair is valued by
its reward and zero continuation), 1 = Hoeffding bonus (UCBVI-CH),
2 = Bernstein–Freedman bonus (UCBVI-BF); the formulas are in
:mod:`rltheory.algorithms.ucbvi`.  ``n_explore`` first episodes are played by
the uniformly random policy (explore-then-commit).
"""

from __future__ import annotations

import numpy as np
from numba import njit

from ..envs._kernels import draw_index
from ..solvers._kernels import (backward_induction_kernel, evaluate_stochastic_kernel,
                                policy_value_deterministic)

MODE_GREEDY = 0
MODE_HOEFFDING = 1
MODE_BERNSTEIN = 2

# indices into the ``consts`` array
C_HOEFFDING, C_VAR, C_LIN, C_CORR, C_CORR_INNER, C_SCALE = 0, 1, 2, 3, 4, 5

#: Use the dense route when at least this fraction of the count entries N(s,a,s') is non-zero.
DENSE_FILL = 0.125


@njit(cache=True)
def _sums_dense(NT_h, Vn, V2, f, want2, want3, acc1, acc2, acc3):
    """acc1[i] = sum_t NT[t, i] V[t] (and V^2, f) for all i = s*A + a, in increasing t."""
    S, SA = NT_h.shape[0], NT_h.shape[1]
    for i in range(SA):
        acc1[i] = 0.0
        acc2[i] = 0.0
        acc3[i] = 0.0
    for t in range(S):
        row = NT_h[t]
        v = Vn[t]
        if want3:
            v2 = V2[t]
            ft = f[t]
            for i in range(SA):
                w = row[i]
                acc1[i] += w * v
                acc2[i] += w * v2
                acc3[i] += w * ft
        elif want2:
            v2 = V2[t]
            for i in range(SA):
                w = row[i]
                acc1[i] += w * v
                acc2[i] += w * v2
        else:
            for i in range(SA):
                acc1[i] += row[i] * v


@njit(cache=True)
def _sums_sparse(N_h, succ_h, nsucc_h, Vn, V2, f, want2, want3, acc1, acc2, acc3):
    """The same sums over the sorted observed successors of each pair i = s*A + a."""
    SA = N_h.shape[0]
    for i in range(SA):
        m = nsucc_h[i]
        x1 = 0.0
        x2 = 0.0
        x3 = 0.0
        for j in range(m):
            t = succ_h[i, j]
            w = N_h[i, t]
            x1 += w * Vn[t]
            if want2:
                x2 += w * V2[t]
            if want3:
                x3 += w * f[t]
        acc1[i] = x1
        acc2[i] = x2
        acc3[i] = x3


@njit(cache=True)
def _plan(R3f, H, A, mode, consts, L, vcap, monotone, least_tried, dense, N, NT, Nsa, Ninv,
          Bh, Bc, succ, nsucc, Nstep, Q, V, pi, V2, f, acc1, acc2, acc3, qv):
    r"""Backward induction on the empirical model (+ bonus); fills Q (H, S*A), V (H+1, S), pi.

    Pairs are flat, ``i = s*A + a``.  Per step: (1) the sums of N(i, s') V(s')
    (and V^2, f for UCBVI-BF); (2) a branch-free, vectorisable pass computing
    the uncapped :math:`R + \hat P V + b` of every pair (an untried pair has
    ``Ninv = 0`` and gets R); (3) untried pairs, the cap, the min with the
    previous Q and the greedy action (ties to the least-tried action when
    ``least_tried``, then to the lowest index).
    """
    HC, SA = Nsa.shape[0], Nsa.shape[1]
    S = SA // A
    HR = R3f.shape[0]
    scale = consts[C_SCALE]
    c_var = consts[C_VAR] * L
    c_lin = scale * consts[C_LIN] * H * L
    c_corr = consts[C_CORR]
    c_inner = consts[C_CORR_INNER] * H * H * H * S * S * A * L * L
    H2 = float(H) * float(H)
    bern = mode == 2
    for s in range(S):
        V[H, s] = 0.0
    for h in range(H - 1, -1, -1):
        hc = h if HC > 1 else 0
        Rh = R3f[h if HR > 1 else 0]
        cap = float(H - h)
        if vcap < cap:
            cap = vcap
        Vn = V[h + 1]
        corr_on = bern and h < H - 1
        # f(y) = min(c_inner / N'(y), H^2) equals H^2 for every y iff max_y N'(y) <= c_inner / H^2
        f_const = True
        if corr_on:
            nmax = 0.0
            for y in range(S):
                if Nstep[h + 1, y] > nmax:
                    nmax = Nstep[h + 1, y]
            if nmax > 0.0 and c_inner / nmax < H2:  # c_inner / n is monotone in n
                f_const = False
                for y in range(S):
                    n = Nstep[h + 1, y]
                    if n > 0.0 and c_inner / n < H2:
                        f[y] = c_inner / n
                    else:
                        f[y] = H2
        if bern:
            for t in range(S):
                V2[t] = Vn[t] * Vn[t]
        want3 = corr_on and not f_const
        if dense:
            _sums_dense(NT[hc], Vn, V2, f, bern, want3, acc1, acc2, acc3)
        else:
            _sums_sparse(N[hc], succ[hc], nsucc[hc], Vn, V2, f, bern, want3, acc1, acc2, acc3)
        inv_h = Ninv[hc]
        if mode == 0:
            for i in range(SA):
                qv[i] = Rh[i] + acc1[i] * inv_h[i]
        elif mode == 1:
            B_h = Bh[hc]
            for i in range(SA):
                qv[i] = Rh[i] + acc1[i] * inv_h[i] + B_h[i]
        else:
            # b = c [sqrt(8 L Var / n) + 14 H L / (3 n) + sqrt(8 sum_y Phat(y) f(y) / n)]
            Bc_h = Bc[hc]
            if not corr_on:
                for i in range(SA):
                    inv = inv_h[i]
                    mean = acc1[i] * inv
                    var = max(acc2[i] * inv - mean * mean, 0.0)
                    qv[i] = Rh[i] + mean + (np.sqrt(c_var * var * inv) * scale + c_lin * inv)
            elif want3:
                for i in range(SA):
                    inv = inv_h[i]
                    mean = acc1[i] * inv
                    var = max(acc2[i] * inv - mean * mean, 0.0)
                    qv[i] = Rh[i] + mean + (np.sqrt(c_var * var * inv) * scale + c_lin * inv
                                            + scale * np.sqrt(c_corr * acc3[i] * inv * inv))
            else:
                for i in range(SA):
                    inv = inv_h[i]
                    mean = acc1[i] * inv
                    var = max(acc2[i] * inv - mean * mean, 0.0)
                    qv[i] = Rh[i] + mean + (np.sqrt(c_var * var * inv) * scale + c_lin * inv
                                            + Bc_h[i])
        Nsa_h = Nsa[hc]
        Qh = Q[h]
        for s in range(S):
            best = -np.inf
            best_n = 0.0
            arg = 0
            for a in range(A):
                i = s * A + a
                n = Nsa_h[i]
                q = qv[i]
                if mode != 0:
                    if n == 0.0 or q > cap:
                        q = cap
                if monotone and q > Qh[i]:
                    q = Qh[i]
                Qh[i] = q
                if q > best or (least_tried and q == best and n < best_n):
                    best = q
                    best_n = n
                    arg = a
            V[h, s] = best
            pi[h, s] = arg


@njit(cache=True)
def model_based_loop(P4, R3, F4, mu0, F0, H, K, mode, consts, L, vcap, monotone, least_tried,
                     n_explore, bernoulli, record, rng, regret, returns, policies):
    """Run ``K`` episodes; fill ``regret (K,)``, ``returns (K,)`` and, if ``record``,
    ``policies (K, H, S)`` (``-1`` rows for uniformly random episodes).  Returns V*(mu0)."""
    S, A = P4.shape[1], P4.shape[2]
    SA = S * A
    HP, HR = P4.shape[0], R3.shape[0]
    HC = HP
    R3f = R3.reshape((HR, SA))
    Vbuf = np.empty((2, S))
    # exact optimum of the true MDP; V*(mu0) by the same evaluation as the learner's
    # policies, so a policy identical to pi* has regret exactly 0
    Qs = np.empty((H, S, A))
    Vs = np.empty((H + 1, S))
    pis = np.empty((H, S), dtype=np.int64)
    backward_induction_kernel(P4, R3, H, Qs, Vs, pis)
    v_star = policy_value_deterministic(P4, R3, H, pis, mu0, Vbuf)
    # value of the uniformly random policy (explore phase)
    v_unif = 0.0
    if n_explore > 0:
        pu = np.full((H, S, A), 1.0 / A)
        evaluate_stochastic_kernel(P4, R3, H, pu, Qs, Vs)
        for s in range(S):
            v_unif += mu0[s] * Vs[0, s]
    # learner state, pairs flattened to i = s*A + a
    N = np.zeros((HC, SA, S))
    NT = np.zeros((HC, S, SA))
    Nsa = np.zeros((HC, SA))
    Ninv = np.zeros((HC, SA))
    Bh = np.zeros((HC, SA))
    Bc = np.zeros((HC, SA))
    succ = np.zeros((HC, SA, S), dtype=np.int64)
    nsucc = np.zeros((HC, SA), dtype=np.int64)
    n_entries = 0
    dense_at = DENSE_FILL * HC * SA * S
    Nstep = np.zeros((H + 1, S))
    scale = consts[C_SCALE]
    c_h = consts[C_HOEFFDING] * H * L * scale
    c_corr = consts[C_CORR]
    H2 = float(H) * float(H)
    Q = np.empty((H, SA))
    for h in range(H):
        cap = float(H - h)
        if vcap < cap:
            cap = vcap
        for i in range(SA):
            Q[h, i] = cap if mode != 0 else np.inf
    V = np.empty((H + 1, S))
    pi = np.zeros((H, S), dtype=np.int64)
    pi_prev = np.full((H, S), -1, dtype=np.int64)
    v_prev = 0.0
    V2 = np.zeros(S)
    f = np.zeros(S)
    acc1 = np.zeros(SA)
    acc2 = np.zeros(SA)
    acc3 = np.zeros(SA)
    qv = np.zeros(SA)
    for k in range(K):
        explore = k < n_explore
        if explore:
            value = v_unif
        else:
            _plan(R3f, H, A, mode, consts, L, vcap, monotone, least_tried, n_entries >= dense_at,
                  N, NT, Nsa, Ninv, Bh, Bc, succ, nsucc, Nstep, Q, V, pi, V2, f, acc1, acc2, acc3,
                  qv)
            same = True
            for h in range(H):
                for s in range(S):
                    if pi[h, s] != pi_prev[h, s]:
                        same = False
                        break
                if not same:
                    break
            if same:
                value = v_prev
            else:
                value = policy_value_deterministic(P4, R3, H, pi, mu0, Vbuf)
                for h in range(H):
                    for s in range(S):
                        pi_prev[h, s] = pi[h, s]
                v_prev = value
        regret[k] = v_star - value
        if record:
            for h in range(H):
                for s in range(S):
                    policies[k, h, s] = -1 if explore else pi[h, s]
        # act
        s = draw_index(F0, rng.random())
        ret = 0.0
        for h in range(H):
            if explore:
                a = int(rng.random() * A)
                if a >= A:
                    a = A - 1
            else:
                a = pi[h, s]
            s2 = draw_index(F4[h if HP > 1 else 0, s, a], rng.random())
            r = R3[h if HR > 1 else 0, s, a]
            if bernoulli:
                r = 1.0 if rng.random() < r else 0.0
            ret += r
            # update the counts and the per-pair quantities that depend on them only
            hc = h if HC > 1 else 0
            i = s * A + a
            if N[hc, i, s2] == 0.0:
                m = nsucc[hc, i]
                j = m
                while j > 0 and succ[hc, i, j - 1] > s2:
                    succ[hc, i, j] = succ[hc, i, j - 1]
                    j -= 1
                succ[hc, i, j] = s2
                nsucc[hc, i] = m + 1
                n_entries += 1
            N[hc, i, s2] += 1.0
            NT[hc, s2, i] += 1.0
            n = Nsa[hc, i] + 1.0
            inv = 1.0 / n
            Nsa[hc, i] = n
            Ninv[hc, i] = inv
            if mode == 1:
                Bh[hc, i] = c_h * np.sqrt(inv)
            elif mode == 2:
                # correction term when every f(y) = H^2: sum_y N(i, y) H^2 = n H^2 exactly
                Bc[hc, i] = scale * np.sqrt(c_corr * (n * H2) * inv * inv)
            Nstep[h, s] += 1.0
            s = s2
        Nstep[H, s] += 1.0
        returns[k] = ret
    return v_star
