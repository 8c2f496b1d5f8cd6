r"""Numba kernels of FTPedel (:mod:`rltheory.algorithms.ftpedel`): feature propagation, occupancies, design.

No checks here; shapes are documented and the Python layer validates.  All sums run in a fixed
order (no BLAS), so the same inputs give the same bits on every CPU.
"""

from __future__ import annotations

import numpy as np
from numba import njit


@njit(cache=True)
def propagate_features(pols, counts, nxt, lam, phi_h, out):
    r"""Least-squares feature propagation for one-hot features, every policy at once.

    .. math::
        \hat\phi_{\pi,h+1}(s',a') = 1\{a' = \pi(s')\} \sum_{s,a} \hat\phi_{\pi,h}(s,a)\,
        \frac{n_h(s,a,s')}{n_h(s,a) + \lambda}

    (:math:`(\sum_\tau \phi(s'_\tau,\pi(s'_\tau))\phi_\tau^\top)\Lambda_h^{-1}\hat\phi_{\pi,h}` with
    :math:`\Lambda_h = \mathrm{diag}(n_h) + \lambda I`).  ``pols (P, S)`` int, ``counts (S, A)``,
    ``nxt (S, A, S)`` float, ``phi_h`` and ``out`` ``(P, S, A)``.
    """
    P, S, A = phi_h.shape
    rho = np.empty(S)
    for p in range(P):
        for t in range(S):
            rho[t] = 0.0
        for s in range(S):
            for a in range(A):
                w = phi_h[p, s, a]
                if w != 0.0:
                    c = w / (counts[s, a] + lam)
                    for t in range(S):
                        rho[t] += c * nxt[s, a, t]
        for t in range(S):
            for a in range(A):
                out[p, t, a] = 0.0
            out[p, t, pols[p, t]] = rho[t]


@njit(cache=True)
def reward_estimate(phi_h, sums, counts, lam, out):
    r"""``out[p] += sum_{s,a} phi_h[p,s,a] * sums[s,a] / (counts[s,a] + lam)`` (ridge :math:`\hat\theta_h`)."""
    P, S, A = phi_h.shape
    for p in range(P):
        acc = 0.0
        for s in range(S):
            for a in range(A):
                w = phi_h[p, s, a]
                if w != 0.0:
                    acc += w * sums[s, a] / (counts[s, a] + lam)
        out[p] += acc


@njit(cache=True)
def step_occupancies(pols, P, mu0, h, out):
    r"""Step-``h`` occupancies :math:`d^\pi_h(s,a)` in the kernel ``P (S, A, S)`` of ``pols (J, S)`` -> ``out (J, S, A)``."""
    J, S, A = out.shape
    rho = np.empty(S)
    nx = np.empty(S)
    for j in range(J):
        for s in range(S):
            rho[s] = mu0[s]
        for _ in range(h):
            for t in range(S):
                nx[t] = 0.0
            for s in range(S):
                if rho[s] != 0.0:
                    a = pols[j, s]
                    for t in range(S):
                        nx[t] += rho[s] * P[s, a, t]
            for t in range(S):
                rho[t] = nx[t]
        for s in range(S):
            for a in range(A):
                out[j, s, a] = 0.0
            out[j, s, pols[j, s]] = rho[s]


@njit(cache=True)
def criterion(w, T2, base, N):
    r""":math:`\max_p \sum_k T2_{p,k} / (N w_k + \mathrm{base}_k)` (``T2 (P, k)``, ``w, base (k,)``, base > 0)."""
    P, k = T2.shape
    best = 0.0
    for p in range(P):
        acc = 0.0
        for i in range(k):
            if T2[p, i] != 0.0:
                acc += T2[p, i] / (N * w[i] + base[i])
        if acc > best:
            best = acc
    return best


@njit(cache=True)
def frank_wolfe_design(V, T2, base, N, iters, eta, lam_out):
    r"""Frank-Wolfe on OPTCOV's smoothed objective over mixtures of the vertices ``V (J, k)``.

    Minimises :math:`f(\lambda) = \eta^{-1}\log\sum_p \exp(\eta\, q_p(\lambda)/q_{\max})\,q_{\max}` with
    :math:`q_p = \sum_k T2_{p,k}/(N(\lambda^\top V)_k + \mathrm{base}_k)`; linear oracle = the vertex
    minimising :math:`\langle\nabla_w f, V_j\rangle`, step :math:`2/(t+2)`.  Starts from the uniform
    mixture; writes the best iterate (smallest exact max) to ``lam_out (J,)`` and returns its value.
    """
    J, k = V.shape
    P = T2.shape[0]
    lam = np.full(J, 1.0 / J)
    w = np.zeros(k)
    q = np.empty(P)
    g = np.empty(k)
    best = np.inf
    for t in range(iters + 1):
        for i in range(k):
            acc = 0.0
            for j in range(J):
                acc += lam[j] * V[j, i]
            w[i] = acc
        qmax = 0.0
        for p in range(P):
            acc = 0.0
            for i in range(k):
                if T2[p, i] != 0.0:
                    acc += T2[p, i] / (N * w[i] + base[i])
            q[p] = acc
            if acc > qmax:
                qmax = acc
        if qmax < best:
            best = qmax
            for j in range(J):
                lam_out[j] = lam[j]
        if t == iters or qmax == 0.0:
            break
        z = 0.0
        for p in range(P):
            q[p] = np.exp(eta * (q[p] - qmax) / qmax)
            z += q[p]
        for i in range(k):
            den = N * w[i] + base[i]
            acc = 0.0
            for p in range(P):
                acc += q[p] * T2[p, i]
            g[i] = -N * acc / (z * den * den)
        jbest = 0
        vbest = np.inf
        for j in range(J):
            acc = 0.0
            for i in range(k):
                acc += V[j, i] * g[i]
            if acc < vbest:
                vbest = acc
                jbest = j
        gamma = 2.0 / (t + 2.0)
        for j in range(J):
            lam[j] *= 1.0 - gamma
        lam[jbest] += gamma
    return best
