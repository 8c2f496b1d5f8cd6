r"""A plain-numpy reference of the log-barrier FTRL learner (Algorithm 1, reconstructed), for tests and benchmarks.

The same algorithm as :mod:`rltheory.algorithms.ftrl_logbarrier` (same estimator, covariance, dilated
bonus, exact regret and random stream), written the obvious way: vectorised numpy, ``np.linalg.inv``
for :math:`(\gamma I + \Sigma_h)^{-1}`, and the log-barrier step by bisection on the multiplier
(:func:`logbarrier_bisection`) instead of Newton.  Uniforms are consumed in the Numba learner's order:
per episode one for :math:`s_0`, then per step one for the action and one for the next state; MGR
draws its trajectories in the same order after the episode.  Simulator episodes only (no epoch variant).
"""

from __future__ import annotations

import numpy as np

from .._random import as_generator
from ..kernels.sampling import cumulative
from ..solvers.adversarial import best_fixed_policy

__all__ = ["logbarrier_bisection", "ftrl_reference"]


def logbarrier_bisection(L, eta, iters: int = 2000) -> np.ndarray:
    r"""The log-barrier FTRL distribution by bisection on :math:`\lambda \in [1/\eta, A/\eta]` (shifted losses).

    :math:`f(\lambda) = \sum_a 1/(\eta(x_a + \lambda)) - 1` is decreasing with :math:`f(1/\eta) \ge 0 \ge f(A/\eta)`;
    the bracket is halved until it stops shrinking in floating point.
    """
    L = np.asarray(L, dtype=np.float64)
    x = L - L.min()
    lo, hi = 1.0 / eta, L.size / eta
    for _ in range(iters):
        mid = 0.5 * (lo + hi)
        if not lo < mid < hi:
            break
        if np.sum(1.0 / (eta * (x + mid))) > 1.0:
            lo = mid
        else:
            hi = mid
    p = 1.0 / (eta * (x + 0.5 * (lo + hi)))
    return p / p.sum()


def _draw(p, u):
    c = np.cumsum(p)
    i = int(np.searchsorted(c, u, side="right"))
    return min(i, int(np.flatnonzero(p > 0)[-1]))


def _step(F, u):
    return int(np.searchsorted(F, u, side="right"))


def _policy(phi, W, CB, rule, eta):
    H, (S, A) = W.shape[0], phi.shape[:2]
    Lc = np.einsum("sad,hd->hsa", phi, W) - CB
    if rule == "uniform":
        return np.full((H, S, A), 1.0 / A)
    if rule == "exp":
        e = np.exp(-eta * (Lc - Lc.min(axis=2, keepdims=True)))
        return e / e.sum(axis=2, keepdims=True)
    return np.array([[logbarrier_bisection(Lc[h, s], eta) for s in range(S)] for h in range(H)])


def _value(P4, L, pi, mu0):
    H = L.shape[0]
    V = np.zeros(P4.shape[1])
    for h in range(H - 1, -1, -1):
        V = np.einsum("sa,sa->s", pi[h], L[h] + P4[h if P4.shape[0] > 1 else 0] @ V)
    return float(mu0 @ V)


def _occupancy(P4, pi, mu0):
    H = pi.shape[0]
    d = np.empty(pi.shape)
    rho = mu0.copy()
    for h in range(H):
        d[h] = rho[:, None] * pi[h]
        rho = np.einsum("sa,sat->t", d[h], P4[h if P4.shape[0] > 1 else 0])
    return d


def _mgr(model, pi, F4, F0, gamma, M, c, rng):
    H, d = model.H, model.d
    Z = np.broadcast_to(np.eye(d), (H, d, d)).copy()
    Ssum = np.zeros((H, d, d))
    for _ in range(M):
        s = _step(F0, rng.random())
        for h in range(H):
            a = _draw(pi[h, s], rng.random())
            x = model.phi[s, a]
            Z[h] = Z[h] @ (np.eye(d) - c * (gamma * np.eye(d) + np.outer(x, x)))
            Ssum[h] += Z[h]
            s = _step(F4[h if F4.shape[0] > 1 else 0, s, a], rng.random())
    return c * np.eye(d)[None] + c * Ssum


def ftrl_reference(model, seed, *, rule: str = "logbarrier", cov: str = "exact", eta: float, gamma: float,
                   beta: float, M: int = 1, c: float = 0.5):
    """``(regret (K,), returns (K,))`` of the learner, plain numpy (module docstring)."""
    rng = as_generator(seed)
    H, S, A, d, K = model.H, model.S, model.A, model.d, model.K
    P4, phi, mu0 = model.P4, model.phi, model.mu0
    F4, F0 = cumulative(P4), cumulative(mu0)
    comp = best_fixed_policy(model).per_episode
    W, CB = np.zeros((H, d)), np.zeros((H, S, A))
    regret, returns = np.empty(K), np.empty(K)
    for k in range(K):
        pi = _policy(phi, W, CB, rule, eta)
        regret[k] = _value(P4, model.losses[k], pi, mu0) - comp[k]
        s = _step(F0, rng.random())
        path, ls = [], []
        for h in range(H):
            a = _draw(pi[h, s], rng.random())
            path.append((s, a))
            ls.append(model.losses[k, h, s, a])
            s = _step(F4[h if F4.shape[0] > 1 else 0, s, a], rng.random())
        Lsuf = np.cumsum(ls[::-1])[::-1]
        returns[k] = Lsuf[0]
        if rule == "uniform":
            continue
        if cov == "exact":
            occ = _occupancy(P4, pi, mu0)
            Sig = np.array([np.linalg.inv(gamma * np.eye(d) + np.einsum("sa,sai,saj->ij", occ[h], phi, phi))
                            for h in range(H)])
        else:
            Sig = _mgr(model, pi, F4, F0, gamma, M, c, rng)
        for h in range(H):
            W[h] += Sig[h] @ phi[path[h]] * Lsuf[h]
        if beta > 0:
            B = np.zeros((H, S, A))
            for h in range(H - 1, -1, -1):
                nrm = np.einsum("sai,ij,saj->sa", phi, Sig[h], phi)
                B[h] = beta * (nrm + (pi[h] * nrm).sum(axis=1, keepdims=True))
                if h + 1 < H:
                    nxt = (pi[h + 1] * B[h + 1]).sum(axis=1)
                    B[h] += (1.0 + 1.0 / H) * (P4[h if P4.shape[0] > 1 else 0] @ nxt)
            CB += B
    return regret, returns
