r"""FTPedel run to termination: the Numba kernels against plain-numpy versions of the same steps.

Instance: a random layered MDP with S = 3 states per layer, A = 2, H = 3 (uniform start over layer 0;
|Pi| = 2^9 = 512 deterministic policies), in the tabular-as-linear form of
:mod:`rltheory.envs.offline_linear`; no offline data, eps = 1/8, delta = 0.1.  One call of
:func:`rltheory.algorithms.ftpedel.ftpedel` (every epoch: per step, the Frank-Wolfe OPTCOV design with
doubling and bisection on N, sampling, verification, least-squares propagation of the 512 policies'
features) is timed with the package's Numba kernels (compilation excluded by a warm-up call) and with
vectorised numpy versions of the same five kernels (feature propagation, reward estimate, step
occupancies, criterion, Frank-Wolfe), swapped in for the second timing in the same process.  The two
runs are compared (online episodes, output policy): the numpy sums run in another order, so a decision
taken at a tie of the bisection may differ.

Run ``python benchmarks/bench_ftpedel.py [--quick]``.
"""

from __future__ import annotations

import argparse

import numpy as np

import rltheory.algorithms.ftpedel as ft
from rltheory.envs.offline_linear import empty_offline, tabular_as_linear
from rltheory.solvers.experiment_design import policy_table
from rltheory.timing import best_of


def _instance(seed=0):
    rng = np.random.default_rng(seed)
    S, A, H = 9, 2, 3
    layer = np.repeat(np.arange(H), 3)
    P = np.zeros((S, A, S))
    for s in range(6):
        nxt = np.flatnonzero(layer == layer[s] + 1)
        P[s, :, nxt] = rng.dirichlet(np.ones(3), size=A).T
    r = rng.uniform(0, 1, size=(S, A))
    mu0 = np.where(layer == 0, 1 / 3, 0.0)
    return tabular_as_linear(P, r, mu0, layer, name="random layered, 3 per layer")


# ----------------------------------------------------------------- plain-numpy versions of the kernels

def _np_propagate(pols, counts, nxt, lam, phi_h, out):
    rho = np.einsum("psa,sat->pt", phi_h, nxt / (counts + lam)[..., None])
    out[:] = 0.0
    P, S = pols.shape
    out[np.arange(P)[:, None], np.arange(S)[None, :], pols] = rho


def _np_reward(phi_h, sums, counts, lam, out):
    out += np.einsum("psa,sa->p", phi_h, sums / (counts + lam))


def _np_step_occ(pols, P, mu0, h, out):
    J, S = pols.shape
    rho = np.broadcast_to(mu0, (J, S)).copy()
    for _ in range(h):
        rho = np.einsum("js,jst->jt", rho, P[np.arange(S)[None, :], pols])
    out[:] = 0.0
    out[np.arange(J)[:, None], np.arange(S)[None, :], pols] = rho


def _np_criterion(w, T2, base, N):
    return float(np.max((T2 / (N * w + base)).sum(axis=1)))


def _np_fw(V, T2, base, N, iters, eta, lam_out):
    J = V.shape[0]
    lam = np.full(J, 1.0 / J)
    best = np.inf
    for t in range(iters + 1):
        w = lam @ V
        den = N * w + base
        q = (T2 / den).sum(axis=1)
        qmax = q.max()
        if qmax < best:
            best = qmax
            lam_out[:] = lam
        if t == iters or qmax == 0.0:
            break
        e = np.exp(eta * (q - qmax) / qmax)
        g = -N * (e @ T2) / (e.sum() * den * den)
        j = int(np.argmin(V @ g))
        gamma = 2.0 / (t + 2.0)
        lam *= 1.0 - gamma
        lam[j] += gamma
    return best


_NUMPY = {"propagate_features": _np_propagate, "reward_estimate": _np_reward, "step_occupancies": _np_step_occ,
          "criterion": _np_criterion, "frank_wolfe_design": _np_fw}


def _timed(fn, repeats):
    return best_of(fn, repeats)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="one timing each (a smoke run)")
    args = ap.parse_args(argv)
    repeats = 1 if args.quick else 3
    inst = _instance()
    tab = policy_table(inst)
    off = empty_offline(inst)
    eps = 1 / 8
    go = lambda: ft.ftpedel(inst, off, eps, 0.1, seed=0, table=tab)
    go()                                                   # compile (or load the cache)
    t_fast, fast = _timed(go, repeats)
    saved = {k: getattr(ft, k) for k in _NUMPY}
    try:
        for k, f in _NUMPY.items():
            setattr(ft, k, f)
        t_ref, ref = _timed(go, repeats)
    finally:
        for k, f in saved.items():
            setattr(ft, k, f)
    agree = fast.online_episodes == ref.online_episodes and np.array_equal(fast.output_policy, ref.output_policy)
    print(f"FTPedel to termination on {inst!r}, |Pi| = {tab.n}, eps = {eps}, best of {repeats}")
    print(f"{'numba s':>10} {'numpy s':>10} {'ratio':>7}  online episodes  epochs  agree")
    print(f"{t_fast:10.3f} {t_ref:10.3f} {t_ref / t_fast:7.1f}  {fast.online_episodes:15d}  "
          f"{fast.episodes.shape[0]:6d}  {agree}")
    return t_fast, t_ref, agree


if __name__ == "__main__":
    main()
