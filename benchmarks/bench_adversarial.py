r"""Log-barrier FTRL (Algorithm 1, reconstructed) episodes per second: the Numba learner against a plain-numpy
reference.

On ``layered_one_hot(S=3, A=4, H=3, K, seed=0)`` (one-hot features, d = 12, switching losses), measures the
throughput of :func:`rltheory.algorithms.ftrl_logbarrier.run_learner` (per episode: the log-barrier step at
every step and state, the exact pseudo-regret by policy evaluation, the episode, the exact covariance inverse
per step, the linear-Q estimate and the exact dilated bonus; compilation excluded by a warm-up call) and of
:func:`rltheory.algorithms.ftrl_logbarrier_reference.ftrl_reference`, a vectorised numpy implementation of the
same algorithm and random stream, in the same process, for the exact covariance and for MGR (M = 64).  The
two are also checked to give the same regrets and returns on a short run.

Run ``python benchmarks/bench_adversarial.py [--quick]`` or ``rltheory bench adversarial``.
"""

from __future__ import annotations

import argparse

import numpy as np

from rltheory.algorithms.ftrl_logbarrier import default_parameters, run_learner
from rltheory.algorithms.ftrl_logbarrier_reference import ftrl_reference
from rltheory.envs.adversarial import layered_one_hot
from rltheory.timing import best_of


def _rate(fn, K, repeats):
    return K / best_of(lambda: fn(K), repeats)[0]


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="fewer episodes (a smoke run)")
    ap.add_argument("--repeats", type=int, default=3, help="best of this many timings")
    args = ap.parse_args(argv)
    K_fast, K_ref = (2000, 40) if args.quick else (20000, 300)
    print(f"log-barrier FTRL episodes/s at S_h=3, A=4, H=3, d=12 (exact regret per episode), best of {args.repeats}")
    print(f"{'cov':>6} {'numba eps/s':>12} {'numpy eps/s':>12} {'ratio':>7}  agree")
    rows = []
    for cov, M in (("exact", 1), ("mgr", 64)):
        def kw(K):
            p = default_parameters(K, 4, 12, 3)
            return dict(rule="logbarrier", cov=cov, eta=10 * p["eta"], gamma=p["gamma"], beta=p["beta"], M=M, c=0.5)
        models = {K: layered_one_hot(3, 4, 3, K, seed=0) for K in (K_fast, K_ref, 2)}
        run_learner(models[2], 0, **kw(2))            # compile (or load the cache)
        fast = _rate(lambda K: run_learner(models[K], 0, **kw(K)), K_fast, args.repeats)
        ref = _rate(lambda K: ftrl_reference(models[K], 0, **kw(K)), K_ref, 1)
        run = run_learner(models[K_ref], 0, **kw(K_ref))
        reg, ret = ftrl_reference(models[K_ref], 0, **kw(K_ref))
        agree = bool(np.allclose(run.expected_regret, reg, rtol=0, atol=1e-9) and np.array_equal(run.returns, ret))
        rows.append((cov, fast, ref, agree))
        print(f"{cov:>6} {fast:12.0f} {ref:12.1f} {fast / ref:7.0f}  {agree}")
    return rows


if __name__ == "__main__":
    main()
