"""Speed of the finite-horizon solvers against a plain-numpy vectorised reference.

For each stationary random instance (S, A, H) this times, in one process,

* ``rltheory.solvers.backward_induction`` against numpy backward induction
  (per step: ``P`` viewed as an ``(S*A, S)`` matrix times ``V[h+1]``, plus ``R``,
  then ``max`` and ``argmax`` over actions);
* ``rltheory.solvers.policy_evaluation`` (deterministic and stochastic
  policies) against the same numpy recursion with the policy's action
  (or action average) in place of the max.

Compilation is excluded (every function is called once first); each time is
the best of N runs with ``time.perf_counter``.  Instance construction and
validation are not timed.  The table reports ``package / numpy`` ratios.

Run: ``python benchmarks/bench_solvers.py [--quick] [--repeats N]``.
"""

from __future__ import annotations

import argparse
import os
import sys
import time

import numpy as np

from rltheory.models import TabularMDP
from rltheory.solvers import backward_induction, policy_evaluation
from rltheory.timing import best_of

SIZES = [(10, 3, 20), (50, 5, 50), (200, 10, 100), (1000, 10, 50)]
QUICK_SIZES = SIZES[:3]
#: Targets for the backward-induction ratio package/numpy, by S.
TARGETS = {10: 0.3, 50: 0.3, 1000: 1.1}


def random_stationary(S: int, A: int, H: int, seed: int) -> TabularMDP:
    rng = np.random.default_rng(seed)
    P = rng.random((S, A, S))
    P /= P.sum(axis=-1, keepdims=True)
    return TabularMDP(P, rng.random((S, A)), np.full(S, 1.0 / S), H=H)


def numpy_backward_induction(P2, R, H):
    """Vectorised numpy reference: P2 is P reshaped to (S*A, S)."""
    S, A = R.shape
    V = np.zeros((H + 1, S))
    Q = np.empty((H, S, A))
    pi = np.empty((H, S), dtype=np.int64)
    for h in range(H - 1, -1, -1):
        Q[h] = R + (P2 @ V[h + 1]).reshape(S, A)
        V[h] = Q[h].max(axis=1)
        pi[h] = Q[h].argmax(axis=1)
    return Q, V, pi


def numpy_policy_evaluation(P2, R, H, policy):
    S, A = R.shape
    V = np.zeros((H + 1, S))
    Q = np.empty((H, S, A))
    states = np.arange(S)
    for h in range(H - 1, -1, -1):
        Q[h] = R + (P2 @ V[h + 1]).reshape(S, A)
        if policy.ndim == 2:
            V[h] = Q[h, states, policy[h]]
        else:
            V[h] = (policy[h] * Q[h]).sum(axis=1)
    return Q, V


def best_time(fn, repeats: int) -> float:
    return best_of(fn, repeats, warmup=True)[0]      # warm-up: compilation


def auto_repeats(fn, budget_s: float, minimum: int, maximum: int = 200) -> int:
    t0 = time.perf_counter()
    fn()
    one = max(time.perf_counter() - t0, 1e-7)
    return int(np.clip(budget_s / one, minimum, maximum))


def bench_one(S: int, A: int, H: int, repeats: int | None, budget_s: float) -> list[dict]:
    mdp = random_stationary(S, A, H, seed=S * 1000 + A * 10 + H)
    P2 = np.ascontiguousarray(mdp.P).reshape(S * A, S)
    R = np.ascontiguousarray(mdp.R)
    rng = np.random.default_rng(0)
    det = rng.integers(0, A, size=(H, S))
    sto = rng.dirichlet(np.ones(A), size=(H, S))
    cases = [
        ("backward_induction",
         lambda: backward_induction(mdp),
         lambda: numpy_backward_induction(P2, R, H)),
        ("policy_evaluation (det)",
         lambda: policy_evaluation(mdp, det),
         lambda: numpy_policy_evaluation(P2, R, H, det)),
        ("policy_evaluation (stoch)",
         lambda: policy_evaluation(mdp, sto),
         lambda: numpy_policy_evaluation(P2, R, H, sto)),
    ]
    rows = []
    for name, pkg, ref in cases:
        err = float(np.max(np.abs(pkg().V - ref()[1])))
        n = repeats or auto_repeats(ref, budget_s, minimum=5)
        t_ref = best_time(ref, n)
        t_pkg = best_time(pkg, n)
        rows.append(dict(solver=name, S=S, A=A, H=H, numpy_s=t_ref, package_s=t_pkg,
                         ratio=t_pkg / t_ref, max_abs_diff=err, repeats=n))
    return rows


def main(argv=None) -> list[dict]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true",
                        help="the three smaller sizes and a short time budget")
    parser.add_argument("--repeats", type=int, default=None,
                        help="best-of-N repeats (default: about 0.3 s of numpy time, N >= 5)")
    args = parser.parse_args(argv)
    sizes = QUICK_SIZES if args.quick else SIZES
    budget = 0.05 if args.quick else 0.3
    blas = os.environ.get("OPENBLAS_NUM_THREADS", "unset")
    print(f"numpy {np.__version__}, OPENBLAS_NUM_THREADS={blas}, "
          f"cpus={os.cpu_count()} (the package uses no BLAS; numpy's reference does)")
    header = (f"{'solver':<26} {'S':>5} {'A':>3} {'H':>4} {'numpy ms':>10} {'package ms':>11} "
              f"{'ratio':>7} {'target':>7} {'max|dV|':>9} {'N':>4}")
    print(header)
    print("-" * len(header))
    rows = []
    for S, A, H in sizes:
        for row in bench_one(S, A, H, args.repeats, budget):
            target = TARGETS.get(S) if row["solver"] == "backward_induction" else None
            row["target"] = target
            rows.append(row)
            print(f"{row['solver']:<26} {S:>5} {A:>3} {H:>4} {row['numpy_s'] * 1e3:>10.3f} "
                  f"{row['package_s'] * 1e3:>11.3f} {row['ratio']:>7.3f} "
                  f"{'' if target is None else f'<={target}':>7} {row['max_abs_diff']:>9.1e} "
                  f"{row['repeats']:>4}")
            sys.stdout.flush()
    return rows


if __name__ == "__main__":
    main()
