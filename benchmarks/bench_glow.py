r"""GLOW rounds per second: the Numba learner against a plain-numpy reference.

Instance: the :math:`\kappa`-layered MDP (S = 6, A = 3, H = 4, :math:`\kappa \in \{0.5, 1\}`) with a
model family of :math:`|F| = 256` candidates (:func:`rltheory.envs.model_family`: 17 optimistic,
200 pessimistic, 38 redirected) and :math:`|W| = 256` weights :math:`w_{M,g}` (16 models x 16 policies).
Each round of :func:`rltheory.algorithms.glow` builds the confidence set of eq. (4) for every
:math:`f \in F` against every :math:`w \in W` at every layer (sufficient statistics, exact
evaluation of the played policy) and plays one episode; :func:`rltheory.algorithms.glow.glow_numpy`
is the same algorithm in vectorised numpy (``einsum``), run in the same process on the same
instance and seed.  Both are checked to choose the same candidates on a short run.  Compilation is
excluded by a warm-up call, and the shared set-up by timing T and T/10 rounds and taking the difference.

Run ``python benchmarks/bench_glow.py [--quick]`` or ``rltheory bench glow``.
"""

from __future__ import annotations

import argparse

import numpy as np

from rltheory.algorithms.glow import glow, glow_numpy
from rltheory.envs import model_family
from rltheory.timing import best_of

FAMILY = dict(n_optimistic=17, n_pessimistic=200, n_transition=38)
SETTINGS = dict(gamma_scale=30.0, beta_scale=1e-4)


def _best_time(fn, T, repeats):
    return best_of(lambda: fn(T), repeats)[0]


def _rate(fn, T, repeats):
    """Rounds per second of the learning loop: ``(T - T/10) / (time(T) - time(T/10))``.

    The difference removes the set-up both implementations share (the optimal Q functions of the 256
    candidates, the 4096 occupancies behind W, the exact values of the 256 policies).
    """
    T0 = max(T // 10, 1)
    return (T - T0) / max(_best_time(fn, T, repeats) - _best_time(fn, T0, repeats), 1e-9)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="fewer rounds (a smoke run)")
    ap.add_argument("--repeats", type=int, default=3, help="best of this many timings")
    args = ap.parse_args(argv)
    T_fast, T_ref = (200, 20) if args.quick else (2000, 100)
    rows = []
    print(f"GLOW rounds/s, |F| = |W| = 256, S = 6, A = 3, H = 4, beta_scale = {SETTINGS['beta_scale']}, "
          f"gamma_scale = {SETTINGS['gamma_scale']}, best of {args.repeats}")
    print(f"{'kappa':>6} {'numba rounds/s':>15} {'numpy rounds/s':>15} {'ratio':>7}  agree")
    for kappa in (0.5, 1.0):
        fam = model_family(6, 3, 4, kappa, seed=0, **FAMILY)
        assert len(fam) == 256
        others = [i for i in range(256) if i != fam.true_index]
        w_idx = np.array(sorted([fam.true_index] + others[:15]))
        kw = dict(w_models=w_idx, w_policies=w_idx, **SETTINGS)
        glow(fam, 2, 0, **kw)                                  # compile (or load the cache)
        fast = _rate(lambda T: glow(fam, T, 0, **kw), T_fast, args.repeats)
        ref = _rate(lambda T: glow_numpy(fam, T, 0, **kw), T_ref, 1)
        run = glow(fam, T_ref, 0, **kw)
        reg, chosen = glow_numpy(fam, T_ref, 0, **kw)
        agree = bool((run.chosen == chosen).all() and np.allclose(run.run.expected_regret, reg, rtol=0, atol=1e-12))
        rows.append((kappa, fast, ref, agree))
        print(f"{kappa:>6} {fast:15.1f} {ref:15.1f} {fast / ref:7.1f}  {agree}")
    return rows


if __name__ == "__main__":
    main()
