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

from rltheory.algorithms import BonusConstants
from rltheory.kernels.sampling import cumulative
from rltheory._random import as_generator


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


def _det_policy_value(P4, R3, mu0, pi):
    """Plain-numpy value sum_s mu0(s) V^pi_0(s) of a deterministic policy (H, S)."""
    H, S = pi.shape
    V = np.zeros(S)
    idx = np.arange(S)
    for h in range(H - 1, -1, -1):
        Ph = P4[h if P4.shape[0] > 1 else 0]
        Rh = R3[h if R3.shape[0] > 1 else 0]
        V = Rh[idx, pi[h]] + Ph[idx, pi[h]] @ V
    return float(mu0 @ V)


def ucbvi_numpy(mdp, K, seed, *, bonus="hoeffding", delta=0.1, bonus_scale=1.0,
                constants=BonusConstants(), reward_noise=None, monotone=True):
    """Reference UCBVI episode loop in plain numpy (see :mod:`rltheory.algorithms.ucbvi`).

    Vectorised over states and actions, written apart from the Numba learner: the
    same empirical model, bonus, cap, monotone min, tie rule and random draws
    (one uniform per draw, inverse CDF by ``searchsorted``).

    Returns ``(regret (K,), returns (K,), policies (K, H, S), v_star)``.
    """
    rng = as_generator(seed)
    H, S, A = mdp.H, mdp.S, mdp.A
    P4, R3, mu0 = mdp.P4, mdp.R3, mdp.mu0
    HC = P4.shape[0]
    F4, F0 = cumulative(P4), cumulative(mu0)
    L = np.log(5.0 * S * A * K * H / delta)
    c = constants
    caps = np.minimum(H - np.arange(H), mdp.max_return).astype(float)
    # optimum of the true MDP
    V = np.zeros(S)
    pistar = np.zeros((H, S), dtype=np.int64)
    for h in range(H - 1, -1, -1):
        Qh = R3[h if R3.shape[0] > 1 else 0] + P4[h if HC > 1 else 0] @ V
        pistar[h] = Qh.argmax(axis=1)
        V = Qh.max(axis=1)
    v_star = _det_policy_value(P4, R3, mu0, pistar)

    N = np.zeros((HC, S, A, S))
    Nstep = np.zeros((H + 1, S))
    Q = np.broadcast_to(caps[:, None, None], (H, S, A)).copy()
    regret, returns = np.empty(K), np.empty(K)
    policies = np.empty((K, H, S), dtype=np.int64)
    pi = np.empty((H, S), dtype=np.int64)
    H2 = float(H) ** 2
    c_inner = c.corr_inner * H ** 3 * S ** 2 * A * L ** 2
    for k in range(K):
        Nsa = N.sum(axis=-1)
        V = np.zeros(S)
        for h in range(H - 1, -1, -1):
            hc = h if HC > 1 else 0
            n = Nsa[hc]
            seen = n > 0
            inv = np.where(seen, 1.0 / np.where(seen, n, 1.0), 0.0)
            mean = (N[hc] @ V) * inv
            if bonus == "hoeffding":
                b = bonus_scale * c.hoeffding * H * L * np.sqrt(inv)
            else:
                var = np.maximum((N[hc] @ (V * V)) * inv - mean * mean, 0.0)
                b = np.sqrt(c.var * L * var * inv) + c.lin * H * L * inv
                if h < H - 1:
                    nn = Nstep[h + 1]
                    f = np.where(nn > 0, np.minimum(c_inner / np.where(nn > 0, nn, 1.0), H2), H2)
                    b = b + np.sqrt(c.corr * (N[hc] @ f) * inv * inv)
                b = bonus_scale * b
            q = np.where(seen, np.minimum(R3[h if R3.shape[0] > 1 else 0] + mean + b, caps[h]),
                         caps[h])
            if monotone:
                q = np.minimum(q, Q[h])
            Q[h] = q
            best = q.max(axis=1)
            # ties: fewest visits, then lowest index
            tied_n = np.where(q == best[:, None], n, np.inf)
            pi[h] = tied_n.argmin(axis=1)
            V = best
        policies[k] = pi
        regret[k] = v_star - _det_policy_value(P4, R3, mu0, pi)
        s = int(np.searchsorted(F0, rng.random(), side="right"))
        ret = 0.0
        for h in range(H):
            a = int(pi[h, s])
            s2 = int(np.searchsorted(F4[h if HC > 1 else 0, s, a], rng.random(), side="right"))
            r = R3[h if R3.shape[0] > 1 else 0, s, a]
            if reward_noise == "bernoulli":
                r = 1.0 if rng.random() < r else 0.0
            ret += r
            N[h if HC > 1 else 0, s, a, s2] += 1.0
            Nstep[h, s] += 1.0
            s = s2
        Nstep[H, s] += 1.0
        returns[k] = ret
    return regret, returns, policies, v_star
