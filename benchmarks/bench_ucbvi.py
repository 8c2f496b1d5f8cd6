r"""UCBVI episodes per second: the Numba learner against a plain-numpy reference.

For random instances ``random_tabular(S, A, H, seed=0)`` with
``(S, A, H) = (20, 4, 20)`` and ``(50, 5, 50)`` (dense rows), and ``(50, 5, 50)``
with sparse rows (``gamma_max=3``, where the learner sums over observed
successors only), and both bonuses, measures the
throughput of :func:`rltheory.algorithms.ucbvi` (full backward induction
every episode plus the exact expected regret of the episode's policy;
compilation excluded by a warm-up call) and of :func:`ucbvi_numpy`, a
vectorised numpy implementation of the same algorithm (same empirical model,
bonus, cap, monotone min, tie rule and random draws), run in the same process.
The two are also checked to produce the same policies on a short run.

Run ``python benchmarks/bench_ucbvi.py [--quick]``.
"""

from __future__ import annotations

import argparse
import time

import numpy as np

from rltheory.algorithms import BonusConstants, ucbvi
from rltheory.envs import random_tabular
from rltheory.kernels.sampling import cumulative
from rltheory._random import as_generator


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


def _rate(fn, K, repeats):
    best = np.inf
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn(K)
        best = min(best, time.perf_counter() - t0)
    return K / best


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="fewer episodes (a smoke run)")
    ap.add_argument("--bonus-scale", type=float, default=1.0)
    ap.add_argument("--repeats", type=int, default=3, help="best of this many timings")
    args = ap.parse_args(argv)
    # (S, A, H), sparsity Gamma (None = dense rows), episodes timed for numba / numpy
    sizes = [((20, 4, 20), None, 20_000, 200), ((50, 5, 50), None, 2_000, 20),
             ((50, 5, 50), 3, 5_000, 20)]
    if args.quick:
        sizes = [((20, 4, 20), None, 2_000, 20), ((50, 5, 50), None, 200, 4),
                 ((50, 5, 50), 3, 500, 4)]
    rows = []
    print(f"UCBVI episodes/s (full backward induction + exact regret per episode), "
          f"bonus_scale={args.bonus_scale}, best of {args.repeats}")
    print(f"{'S,A,H':>10} {'Gamma':>5} {'bonus':>10} {'numba eps/s':>12} {'numpy eps/s':>12} "
          f"{'ratio':>7}  agree")
    for (S, A, H), gamma, K_fast, K_ref in sizes:
        mdp = random_tabular(S, A, H, seed=0, gamma_max=gamma)
        for bonus in ("hoeffding", "bernstein"):
            kw = dict(bonus=bonus, bonus_scale=args.bonus_scale)
            ucbvi(mdp, 2, 0, **kw)  # compile (or load the cache)
            fast = _rate(lambda K: ucbvi(mdp, K, 0, **kw), K_fast, args.repeats)
            ref = _rate(lambda K: ucbvi_numpy(mdp, K, 0, **kw), K_ref, 1)
            # same algorithm: same policies and regrets on a short run (same K => same L)
            run = ucbvi(mdp, K_ref, 0, record_policies=True, **kw)
            reg, _, pols, _ = ucbvi_numpy(mdp, K_ref, 0, **kw)
            agree = bool((run.policies == pols).all()
                         and np.allclose(run.expected_regret, reg, rtol=0, atol=1e-9))
            rows.append(((S, A, H), gamma, bonus, fast, ref, agree))
            print(f"{f'{S},{A},{H}':>10} {str(gamma or S):>5} {bonus:>10} {fast:12.0f} "
                  f"{ref:12.1f} {fast / ref:7.0f}  {agree}")
    return rows


if __name__ == "__main__":
    main()
