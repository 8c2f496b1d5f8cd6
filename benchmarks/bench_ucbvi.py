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

import numpy as np

from rltheory.algorithms import ucbvi
from rltheory.algorithms.ucbvi_reference import ucbvi_numpy
from rltheory.envs import random_tabular
from rltheory.timing import best_of


def _rate(fn, K, repeats):
    return K / best_of(lambda: fn(K), repeats)[0]


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
