r"""HF-UCRL-RFE++ exploration episodes per second without the oracle (d = 8, H = 64).

Times :func:`rltheory.algorithms.hf_rfe.exploration_episode` -- one
episode of Algorithm 4 lines 7--19 with HOME weights for both regression
families and all :math:`M = \lceil\log_2(7KH)\rceil` moment levels (K = 4096, so
M = 21), Sherman--Morrison updates of the running matrices and inverses, and
the batched snapshot/refresh -- on ``random_linear_mixture(S=10, A=4, d=8,
H=64)`` with fixed value tables.  Per-episode cost :math:`O(HMd^2)`.  The
oracle (line 5) is excluded, as in the specification's cost statement.
A plain-numpy version of the same episode (``np.linalg.inv`` per update) is
timed for reference.

Run ``python benchmarks/bench_hf_rfe.py [--quick]``.
"""

from __future__ import annotations

import argparse
import math
import time

import numpy as np

from rltheory.algorithms.hf_rfe import (Plan, Trace, exploration_episode, kernel_instance, regression_state,
                                        theory_parameters)
from rltheory.envs.linear import random_linear_mixture


def _numpy_episode(phi, P, H, M, alpha, gamma, beta, pi, Vh, Vt, Sig, Sd, b, th, rng):
    clip = lambda z: min(max(z, 0.0), 1.0)
    Sinv = np.linalg.inv(Sig)
    Sdinv = np.linalg.inv(Sd)
    nrm = lambda x, A: math.sqrt(max(x @ A @ x, 0.0))
    s = 0
    for h in range(H):
        a = pi[h, s]
        sn = rng.choice(P.shape[2], p=P[s, a])
        for f, V in enumerate((Vh, Vt)):
            X = np.stack([phi[s, a].T @ V[h + 1] ** (2 ** m) for m in range(M)])
            for m in range(M):
                if m < M - 1:
                    var = clip(X[m + 1] @ th[f, m + 1]) - clip(X[m] @ th[f, m]) ** 2
                    E = clip(2 * beta * nrm(X[m], Sdinv[f, m])) + clip(beta * nrm(X[m + 1], Sdinv[f, m + 1]))
                    s2 = max(gamma ** 2 * nrm(X[m], Sinv[f, m]), var + E, alpha ** 2)
                else:
                    s2 = max(gamma ** 2 * nrm(X[m], Sinv[f, m]), 1.0, alpha ** 2)
                Sig[f, m] += np.outer(X[m], X[m]) / s2
                Sinv[f, m] = np.linalg.inv(Sig[f, m])
                b[f, m] += X[m] * V[h + 1][sn] ** (2 ** m) / s2
        s = sn


def main(quick: bool = False) -> dict:
    d, H, K = 8, 64, 4096
    mdp = random_linear_mixture(10, 4, d, H, seed=0)
    p = theory_parameters(d, H, K, mdp.B, beta_scale=1e-4)
    M = p.M
    rng = np.random.default_rng(0)
    Vh = rng.uniform(size=(H + 1, mdp.S))
    Vt = rng.uniform(size=(H + 1, mdp.S))
    Vh[H] = Vt[H] = 0.0
    pi = rng.integers(0, mdp.A, size=(H, mdp.S))
    args = (kernel_instance(mdp), p.home_params(), regression_state(d, M, p.lam), p.betas[1], Plan(Vt, Vh, pi),
            rng, Trace(np.zeros(H + 1, dtype=np.int64), np.zeros((H, 2, M))))
    exploration_episode(*args)                         # compile / warm up
    n = 200 if quick else 2000
    t = time.perf_counter()
    for _ in range(n):
        exploration_episode(*args)
    numba_eps = n / (time.perf_counter() - t)
    n_np = 2 if quick else 10
    Sig2 = np.tile(np.eye(d) * p.lam, (2, M, 1, 1))
    t = time.perf_counter()
    for _ in range(n_np):
        _numpy_episode(mdp.phi, mdp.P, H, M, p.alpha, p.gamma, p.betas[1], pi, Vh, Vt, Sig2, Sig2.copy(),
                       np.zeros((2, M, d)), np.zeros((2, M, d)), rng)
    numpy_eps = n_np / (time.perf_counter() - t)
    out = {"d": d, "H": H, "M": M, "numba_episodes_per_s": numba_eps, "numpy_episodes_per_s": numpy_eps}
    print(f"HF-UCRL-RFE++ exploration episode without oracle, d={d}, H={H}, M={M}: "
          f"numba {numba_eps:,.0f} episodes/s, numpy reference {numpy_eps:,.1f} episodes/s "
          f"(x{numba_eps / numpy_eps:,.0f})")
    return out


if __name__ == "__main__":
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true")
    main(ap.parse_args().quick)
