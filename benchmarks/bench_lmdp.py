r"""Latent MDPs: exact optimal values and learner episodes per second, Numba against plain Python/numpy.

Instances: ``random_lmdp(M=2, S=4, A=2, H=4, seed=0)`` (no belief collapse: the
belief DP visits the history tree) and the belief-collapsing
``revealing_lmdp(M=2, A=2, H=32)`` (family (a)).  For each:

* *exact optimum*: :func:`rltheory.solvers.lmdp_optimal_value` (Numba belief DP)
  against :func:`rltheory.solvers.latent_reference.plan_value_reference` (the same
  DP in plain Python/numpy with a ``dict`` memo), solves per second, and their
  difference;
* *learner*: :func:`rltheory.algorithms.lmdp_hf` (Numba episode loop: replan on
  snapshot change, exact evaluation of every episode's belief policy, play,
  hindsight update) against :func:`rltheory.algorithms.lmdp_reference.lmdp_hf_reference`
  (the same learner in plain Python), episodes per second, and whether the
  per-episode regrets agree bit for bit on the reference's run; row ``episodes``
  with the value-optimistic solver, row ``ep. model`` with the model-optimistic
  solver (``solver="model_opt"``, greedy-belief planner).

Compilation is excluded by a warm-up call.  Target: the Numba path at least 20x
the reference; both learners run the same ``K`` episodes.  Run ``python benchmarks/bench_lmdp.py [--quick]`` or ``rltheory bench lmdp``.
"""

from __future__ import annotations

import argparse

import numpy as np

from rltheory.algorithms import lmdp_hf
from rltheory.algorithms.lmdp_reference import lmdp_hf_reference
from rltheory.envs import random_lmdp, revealing_lmdp
from rltheory.solvers import lmdp_optimal_value
from rltheory.solvers.latent_reference import plan_value_reference
from rltheory.timing import best_of


def _best(fn, repeats):
    return best_of(fn, repeats)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="fewer episodes (a smoke run)")
    ap.add_argument("--repeats", type=int, default=3, help="best of this many timings")
    args = ap.parse_args(argv)
    K = 100 if args.quick else 500            # the same K for both (the doubling schedule makes replans per
                                              # episode depend on K)
    cases = [("random M=2 S=4 A=2 H=4", random_lmdp(2, 4, 2, 4, seed=0)),
             ("revealing M=2 A=2 H=32", revealing_lmdp(2, 2, 32))]
    lmdp_optimal_value(cases[0][1])
    lmdp_hf(cases[0][1], 2, 0, bonus_scale=0.05)          # compile
    lmdp_hf(cases[0][1], 2, 0, bonus_scale=0.05, solver="model_opt")
    rows = []
    print(f"{'instance':>24} {'what':>10} {'numba /s':>12} {'reference /s':>13} {'ratio':>7}  agree")
    for name, L in cases:
        consts = (0.0, 0.0, 0.0, 0.0, 0.0, np.inf, 0.0)
        tf, v = _best(lambda: lmdp_optimal_value(L), args.repeats)
        tr, vr = _best(lambda: plan_value_reference(L.P, L.R, np.full(L.R.shape, np.inf), L.w, L.nu, L.H, "none",
                                                    consts), 1)
        rows.append((name, "V*", 1 / tf, 1 / tr, abs(v - vr) <= 1e-10))
        tf, run = _best(lambda: lmdp_hf(L, K, 0, bonus_scale=0.05), args.repeats)
        tr, (reg, _) = _best(lambda: lmdp_hf_reference(L, K, 0, bonus_scale=0.05), 1)
        rows.append((name, "episodes", K / tf, K / tr, bool(np.array_equal(run.expected_regret, reg))))
        tf, run = _best(lambda: lmdp_hf(L, K, 0, bonus_scale=0.05, solver="model_opt"), args.repeats)
        tr, (reg, _) = _best(lambda: lmdp_hf_reference(L, K, 0, bonus_scale=0.05, solver="model_opt"), 1)
        rows.append((name, "ep. model", K / tf, K / tr, bool(np.array_equal(run.expected_regret, reg))))
    for name, what, fast, ref, agree in rows:
        print(f"{name:>24} {what:>10} {fast:12.1f} {ref:13.2f} {fast / ref:7.0f}  {agree}")
    return rows


if __name__ == "__main__":
    main()
