"""Plain-numpy reference implementations the Numba solvers are tested against.

Written independently of the kernels: vectorised numpy (einsum / matmul),
brute-force enumeration of trajectories, and a vectorised Monte Carlo sampler.
Policies here are always stochastic ``(H, S, A)`` arrays, except in
:func:`ucbvi_numpy` (the UCBVI learner, Azar, Osband & Munos 2017), whose
greedy policies are ``int64 (H, S)``.
"""

from __future__ import annotations

import itertools

import numpy as np



def steps(mdp):
    """Step-dependent ``(H,S,A,S)`` and ``(H,S,A)`` copies of the model."""
    P = np.broadcast_to(mdp.P4, (mdp.H, mdp.S, mdp.A, mdp.S))
    R = np.broadcast_to(mdp.R3, (mdp.H, mdp.S, mdp.A))
    return P, R


def as_stochastic(policy, H, S, A):
    pol = np.asarray(policy)
    if pol.dtype.kind in "iu":
        pol = np.broadcast_to(pol, (H, S))
        return np.eye(A)[pol]
    return np.broadcast_to(pol, (H, S, A)).astype(float)


def backward_induction(mdp):
    P, R = steps(mdp)
    H, S, A = mdp.H, mdp.S, mdp.A
    V = np.zeros((H + 1, S))
    Q = np.zeros((H, S, A))
    pi = np.zeros((H, S), dtype=np.int64)
    for h in reversed(range(H)):
        Q[h] = R[h] + np.einsum("sat,t->sa", P[h], V[h + 1])
        V[h] = Q[h].max(axis=1)
        pi[h] = Q[h].argmax(axis=1)
    return Q, V, pi


def policy_evaluation(mdp, pi):
    P, R = steps(mdp)
    H, S, A = mdp.H, mdp.S, mdp.A
    V = np.zeros((H + 1, S))
    Q = np.zeros((H, S, A))
    for h in reversed(range(H)):
        Q[h] = R[h] + P[h] @ V[h + 1]
        V[h] = (pi[h] * Q[h]).sum(axis=1)
    return Q, V


def occupancy(mdp, pi):
    P, _ = steps(mdp)
    d = np.zeros((mdp.H, mdp.S, mdp.A))
    rho = mdp.mu0.copy()
    for h in range(mdp.H):
        d[h] = rho[:, None] * pi[h]
        rho = np.einsum("sa,sat->t", d[h], P[h])
    return d


def return_moments(mdp, pi):
    """V, second moment M, sigma2 = P V^2 - (P V)^2, action variance (one-pass formulas)."""
    P, R = steps(mdp)
    H, S, A = mdp.H, mdp.S, mdp.A
    V = np.zeros((H + 1, S))
    M = np.zeros((H + 1, S))
    sigma2 = np.zeros((H, S, A))
    nu = np.zeros((H, S))
    for h in reversed(range(H)):
        PV = P[h] @ V[h + 1]
        sigma2[h] = P[h] @ V[h + 1] ** 2 - PV ** 2
        Q = R[h] + PV
        V[h] = (pi[h] * Q).sum(axis=1)
        M[h] = (pi[h] * (R[h] ** 2 + 2 * R[h] * PV + P[h] @ M[h + 1])).sum(axis=1)
        nu[h] = (pi[h] * Q ** 2).sum(axis=1) - V[h] ** 2
    return V, M, sigma2, nu


def return_distribution(mdp, pi, start=None):
    """Exact law of the return by enumerating every trajectory (tiny instances only).

    Returns ``(probabilities, returns)`` over all state-action sequences of
    positive probability, starting from ``mu0`` or from state ``start``.
    """
    P, R = steps(mdp)
    H, S, A = mdp.H, mdp.S, mdp.A
    mu0 = mdp.mu0 if start is None else np.eye(S)[start]
    probs, rets = [], []
    for seq in itertools.product(range(S), range(A), repeat=H):
        states, actions = seq[0::2], seq[1::2]
        p = mu0[states[0]]
        g = 0.0
        for h in range(H):
            s, a = states[h], actions[h]
            p *= pi[h, s, a]
            if h + 1 < H:
                p *= P[h, s, a, states[h + 1]]
            g += R[h, s, a]
            if p == 0.0:
                break
        if p > 0.0:
            probs.append(p)
            rets.append(g)
    return np.array(probs), np.array(rets)


def sample_returns(mdp, pi, n, rng):
    """``n`` i.i.d. returns of ``pi`` from ``s_0 ~ mu0`` (vectorised inverse-CDF sampling)."""
    P, R = steps(mdp)
    cumP = np.cumsum(P, axis=-1)
    cumP[..., -1] = 1.0
    cumpi = np.cumsum(pi, axis=-1)
    cumpi[..., -1] = 1.0
    cmu = np.cumsum(mdp.mu0)
    cmu[-1] = 1.0
    s = np.searchsorted(cmu, rng.random(n), side="right")
    G = np.zeros(n)
    for h in range(mdp.H):
        a = (rng.random(n)[:, None] >= cumpi[h, s]).sum(axis=1)
        G += R[h, s, a]
        if h + 1 < mdp.H:
            s = (rng.random(n)[:, None] >= cumP[h, s, a]).sum(axis=1)
    return G


def discounted_value_iteration(P, R, gamma, threshold, max_iter=10**6):
    """Plain value iteration with Puterman's sup-norm rule; returns (v_{n+1}, n+1)."""
    v = np.zeros(R.shape[0])
    for n in range(1, max_iter + 1):
        vn = (R + gamma * P @ v).max(axis=1)
        diff = np.max(np.abs(vn - v))
        v = vn
        if diff < threshold:
            return v, n
    raise RuntimeError("no convergence")


def discounted_policy_value(P, R, gamma, pi_sa):
    S = R.shape[0]
    P_pi = np.einsum("sa,sat->st", pi_sa, P)
    return np.linalg.solve(np.eye(S) - gamma * P_pi, (pi_sa * R).sum(axis=1))


def discounted_occupancy_series(P, mu0, pi_sa, gamma, T):
    """(1-gamma) sum_{t<T} gamma^t Pr(s_t=s, a_t=a), by forward propagation."""
    d = np.zeros_like(pi_sa)
    rho = mu0.copy()
    for t in range(T):
        dt = rho[:, None] * pi_sa
        d += (1 - gamma) * gamma ** t * dt
        rho = np.einsum("sa,sat->t", dt, P)
    return d


# The plain-numpy UCBVI reference lives in the package (shared with the benchmark).
from rltheory.algorithms.ucbvi_reference import ucbvi_numpy  # noqa: E402,F401
