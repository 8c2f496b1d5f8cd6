"""Speed of :func:`rltheory.solvers.zero_sum_nash` against reference LP solvers.

Targets (issue 6): the value of a 500 x 500 zero-sum game within 1.2x of the
best of (a) scipy's HiGHS interior-point method on the textbook maxmin LP and
(b) cvxpy with Clarabel, measured in the same run; at most 15 ms at 100 x 100.

Every solver gets the same Gaussian payoff matrices; each timing is the median
over ``repeats`` matrices (one solve each, after one warm-up solve).  The
values are cross-checked to 1e-6.

Run: ``python benchmarks/bench_games.py [--sizes 100 500] [--repeats 5]``.
"""

from __future__ import annotations

import argparse
import time

import numpy as np
from scipy.optimize import linprog

from rltheory.solvers import zero_sum_nash


def highs_ipm_maxmin(A: np.ndarray) -> float:
    """Reference (a): max v s.t. A^T x >= v 1, sum x = 1, x >= 0, by HiGHS interior point."""
    n, k = A.shape
    c = np.zeros(n + 1)
    c[-1] = -1.0
    A_ub = np.hstack([-A.T, np.ones((k, 1))])
    A_eq = np.ones((1, n + 1))
    A_eq[0, -1] = 0.0
    bounds = [(0, None)] * n + [(None, None)]
    res = linprog(c, A_ub=A_ub, b_ub=np.zeros(k), A_eq=A_eq, b_eq=[1.0], bounds=bounds,
                  method="highs-ipm")
    return -float(res.fun)


def cvxpy_clarabel(A: np.ndarray) -> float:
    """Reference (b): the same maxmin LP written in cvxpy, solved by Clarabel."""
    import cvxpy as cp
    n = A.shape[0]
    x, v = cp.Variable(n), cp.Variable()
    prob = cp.Problem(cp.Maximize(v), [A.T @ x >= v, cp.sum(x) == 1, x >= 0])
    prob.solve(solver="CLARABEL")
    return float(prob.value)


def ours(A: np.ndarray) -> float:
    return zero_sum_nash(A).value


SOLVERS = {"rltheory.zero_sum_nash": ours, "scipy HiGHS ipm": highs_ipm_maxmin,
           "cvxpy/Clarabel": cvxpy_clarabel}


def bench(n: int, repeats: int, seed: int = 0) -> dict[str, float]:
    """Median seconds per solve of every solver on ``repeats`` random n x n games."""
    rng = np.random.default_rng(seed)
    mats = [rng.standard_normal((n, n)) for _ in range(repeats)]
    times = {k: [] for k in SOLVERS}
    for name, fn in SOLVERS.items():
        fn(mats[0])                                   # warm-up (imports, JIT, caches)
    for A in mats:
        vals = {}
        for name, fn in SOLVERS.items():
            t0 = time.perf_counter()
            vals[name] = fn(A)
            times[name].append(time.perf_counter() - t0)
        ref = vals["rltheory.zero_sum_nash"]
        for name, v in vals.items():
            if abs(v - ref) > 1e-6 * max(1.0, abs(ref)):
                raise AssertionError(f"{name} value {v} differs from zero_sum_nash {ref}")
    return {k: float(np.median(v)) for k, v in times.items()}


def main(argv=None) -> dict:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[100, 500])
    ap.add_argument("--repeats", type=int, default=5)
    ap.add_argument("--quick", action="store_true", help="100x100 only, 3 repeats")
    args = ap.parse_args(argv)
    if args.quick:
        args.sizes, args.repeats = [100], 3
    out = {}
    for n in args.sizes:
        t = bench(n, args.repeats)
        best_ref = min(t["scipy HiGHS ipm"], t["cvxpy/Clarabel"])
        ratio = t["rltheory.zero_sum_nash"] / best_ref
        out[n] = dict(t, ratio=ratio)
        row = ", ".join(f"{k} {1e3 * v:.1f} ms" for k, v in t.items())
        print(f"n = {n}: {row}; ratio to best reference = {ratio:.2f}")
        if n == 100:
            print(f"  target at 100x100: <= 15 ms -> {'met' if t['rltheory.zero_sum_nash'] <= 0.015 else 'MISSED'}")
        if n == 500:
            print(f"  target at 500x500: ratio <= 1.2 -> {'met' if ratio <= 1.2 else 'MISSED'}")
    return out


if __name__ == "__main__":
    main()
