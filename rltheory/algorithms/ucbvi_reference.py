r"""A plain-numpy reference of UCBVI (:mod:`rltheory.algorithms.ucbvi`), for tests and benchmarks.

Written apart from the Numba learner and vectorised over states and actions: the same
empirical model, bonus, cap, monotone minimum, tie rule and random draws (one uniform per
draw, inverse CDF by ``searchsorted``), so that with the same seed it picks the same
policies.  The benchmark ``rltheory bench ucbvi`` reports the learner's speed against it,
and the tests require the two to agree.

Azar, Osband & Munos, "Minimax Regret Bounds for Reinforcement Learning", ICML 2017
(arXiv 1703.05449), Algorithms 1-4.
"""

from __future__ import annotations

import numpy as np

from .._random import as_generator
from ..kernels.sampling import cumulative
from .ucbvi import BonusConstants

__all__ = ["ucbvi_numpy"]


def _policy_value(P4, R3, mu0, pi):
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
    v_star = _policy_value(P4, R3, mu0, pistar)

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
        regret[k] = v_star - _policy_value(P4, R3, mu0, pi)
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
