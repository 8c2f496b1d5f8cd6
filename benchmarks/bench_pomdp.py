"""Speed of the exact POMDP optimal value and of the revealing-constant LP against references.

* ``rltheory.solvers.pomdp_optimal_value`` (Numba depth-first belief DP) against a plain-numpy
  level-by-level belief DP (all (observation, action) histories of a level as one array, then a
  backward max), on random POMDPs with (n_obs A)^H up to about 1e6 (specification Section 5,
  quick sizes);
* ``rltheory.solvers.revealing_constant`` (primal LP, sparse, HiGHS) against the dual LP
  ``revealing_constant_dual`` (scipy, an independent formulation), on random emission matrices
  up to S = 30, rows = 120 (the LP has 2 S rows + 1 variables and S^2 dense equalities;
  at S = 35, rows = 140 HiGHS needs about 18 s, so the specification's S <= 50, O <= 200 is out of a
  benchmark's reach).

Compilation is excluded (every function is called once first); each time is the best of N runs.
The table reports ``package / reference`` ratios and the largest difference of the results.

Run: ``python benchmarks/bench_pomdp.py [--quick] [--repeats N]``.
"""

from __future__ import annotations

import argparse
import sys

import numpy as np

from rltheory.models import POMDP
from rltheory.solvers import pomdp_optimal_value, revealing_constant, revealing_constant_dual
from rltheory.timing import best_of

DP_SIZES = [(4, 2, 4, 4), (6, 2, 8, 4), (8, 2, 8, 5)]          # (S, A, n_obs, H)
LP_SIZES = [(5, 20), (20, 80), (30, 120)]                       # (S, rows); S = 35, rows = 140 takes ~18 s
QUICK_DP, QUICK_LP = DP_SIZES[:2], LP_SIZES[:2]


def random_pomdp(S, A, n_obs, H, seed):
    rng = np.random.default_rng(seed)
    T = rng.dirichlet(np.ones(S), size=(S, A))
    O = rng.dirichlet(np.ones(n_obs) * 0.5, size=S)
    r = rng.random((H, n_obs, A)) / H
    return POMDP(T, O, r, rng.dirichlet(np.ones(S)), H=H)


def numpy_optimal_value(T4, O3, r, mu0) -> float:
    """Level-by-level belief DP in numpy: beliefs of every history of a level in one array."""
    H, S, A, _ = T4.shape
    n_obs = O3.shape[2]
    B = mu0[None, :]
    levels = []
    for h in range(H):
        joint = B[:, None, :] * O3[h].T[None, :, :]             # (nodes, o, s)
        p = joint.sum(axis=2)
        post = joint / np.where(p > 0, p, 1.0)[..., None]
        levels.append(p)
        if h + 1 < H:
            B = np.einsum("nos,sat->noat", post, T4[h]).reshape(-1, S)
    V = None
    for h in range(H - 1, -1, -1):
        p = levels[h]
        Q = np.broadcast_to(r[h][None], (p.shape[0], n_obs, A)).copy()
        if V is not None:
            Q += V.reshape(p.shape[0], n_obs, A)
        V = (p * Q.max(axis=2)).sum(axis=1)
    return float(V[0])


def best_time(fn, repeats: int) -> float:
    return best_of(fn, repeats, warmup=True)[0]      # warm-up: compilation


def main(argv=None) -> list[dict]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="the smaller sizes")
    parser.add_argument("--repeats", type=int, default=3, help="best-of-N repeats (default 3)")
    args = parser.parse_args(argv)
    rows = []
    header = f"{'solver':<30} {'size':<22} {'ref ms':>10} {'package ms':>11} {'ratio':>7} {'max|diff|':>10}"
    print(header)
    print("-" * len(header))
    for S, A, n_obs, H in (QUICK_DP if args.quick else DP_SIZES):
        m = random_pomdp(S, A, n_obs, H, seed=S * 100 + H)
        arrs = (np.ascontiguousarray(m.T4), np.ascontiguousarray(m.O3), np.ascontiguousarray(m.r), m.mu0)
        diff = abs(pomdp_optimal_value(m) - numpy_optimal_value(*arrs))
        t_ref = best_time(lambda: numpy_optimal_value(*arrs), args.repeats)
        t_pkg = best_time(lambda: pomdp_optimal_value(m), args.repeats)
        rows.append(dict(solver="pomdp_optimal_value", size=f"S={S} A={A} O={n_obs} H={H}", ref_s=t_ref,
                         package_s=t_pkg, ratio=t_pkg / t_ref, max_abs_diff=diff))
    for S, n_rows in (QUICK_LP if args.quick else LP_SIZES):
        rng = np.random.default_rng(S)
        M = rng.dirichlet(np.ones(n_rows) * 0.3, size=S).T
        diff = abs(revealing_constant(M) - revealing_constant_dual(M))
        t_ref = best_time(lambda: revealing_constant_dual(M), args.repeats)
        t_pkg = best_time(lambda: revealing_constant(M), args.repeats)
        rows.append(dict(solver="revealing_constant (LP)", size=f"S={S} rows={n_rows}", ref_s=t_ref,
                         package_s=t_pkg, ratio=t_pkg / t_ref, max_abs_diff=diff))
    for row in rows:
        print(f"{row['solver']:<30} {row['size']:<22} {row['ref_s'] * 1e3:>10.2f} {row['package_s'] * 1e3:>11.2f} "
              f"{row['ratio']:>7.3f} {row['max_abs_diff']:>10.1e}")
        sys.stdout.flush()
    return rows


if __name__ == "__main__":
    main()
