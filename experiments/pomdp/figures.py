"""Figures of the revealing-POMDP claims that combine several runs (for ``rltheory figures``)."""

from __future__ import annotations

import numpy as np

from rltheory.bounds.pomdp import PAPER
from rltheory.curves import seed_band

from .tasks import run_reveal_regret, run_testing_samples


def _reference(x: np.ndarray, y0: float, slope: float) -> tuple:
    ref = y0 * (x / x[0]) ** slope
    return x, ref, ref, ref


def figure_pomdp(verdicts: dict, seeds: int = 5) -> list:
    """The two figures of the issue (skipped when no ``pomdp.*`` claim ran).

    1. ``pomdp_testing_samples_vs_n``: N_1/3 (testing, Monte Carlo TV) and the samples to learn z
       against n on the Paninski gadget (eps = 0.6, a = 0.8), log-log, with n^0.5 and n^1 references.
    2. ``pomdp_regret_vs_T``: cumulative regret against T of explore-then-commit on the two-step
       variant and of plug-in exploitation on the single-step variant (and the learners that fail
       on each), with T^{2/3} and T^{1/2} references.
    """
    if not any(k.startswith("pomdp.") for k in verdicts):
        return []
    from rltheory.plot import curves_figure
    ns = np.array([8, 16, 32, 64, 128, 256, 512])
    curves = {}
    for proc, label in (("test", "test: N_1/3 (Monte Carlo TV)"), ("learn", "learn z (exact)")):
        vals = np.array([[run_testing_samples({"n": int(n), "eps": 0.6, "a": 0.8, "n_mc": 4000, "procedure": proc},
                                              np.random.SeedSequence(s))["samples"] for s in range(seeds)]
                         for n in ns])
        curves[label] = (ns,) + seed_band(vals)
    y_test, y_learn = curves["test: N_1/3 (Monte Carlo TV)"][1][0], curves["learn z (exact)"][1][0]
    curves["reference n^0.5"] = _reference(ns, y_test / 2, 0.5)       # offset below the runs, to stay visible
    curves["reference n^1"] = _reference(ns, y_learn / 2, 1.0)
    out = [("pomdp_testing_samples_vs_n",
            curves_figure(curves, "Paninski gadget in a POMDP (eps = 0.6, a = 0.8)", "cells n",
                          "samples (episodes)", loglog=True),
            "Samples to test vs to learn on the uniformity-testing gadget",
            f"{PAPER} (arXiv 2302.01333); specification Section 5A")]
    Ts = np.array([300, 1000, 3000, 10000])
    curves = {}
    base = {"k": 8, "eps": 0.8, "a": 0.8, "c_explore": 1.0}
    for variant, learner, label in (("two_step", "etc", "2-step: explore-then-commit"),
                                    ("two_step", "ucb_exploit", "2-step: UCB on exploit trajectories"),
                                    ("single_step", "plug_in", "1-step: plug-in exploitation"),
                                    ("single_step", "etc", "1-step: explore-then-commit")):
        vals = np.array([[run_reveal_regret({**base, "variant": variant, "learner": learner, "T": int(T)},
                                            np.random.SeedSequence(s))["regret"] for s in range(seeds)]
                         for T in Ts])
        curves[label] = (Ts,) + seed_band(np.maximum(vals, 1e-3))
    y0 = curves["2-step: explore-then-commit"][1][0]
    curves["reference T^(2/3)"] = _reference(Ts, y0 / 2, 2 / 3)     # offset below the runs, to stay visible
    curves["reference T^(1/2)"] = _reference(Ts, y0 / 2, 1 / 2)
    out.append(("pomdp_regret_vs_T",
                curves_figure(curves, "Costly reveal (k = 8): 2-step vs 1-step revealing", "episodes T",
                              "cumulative regret (return units)", loglog=True),
                "Regret against T with a costly 2-step reveal and in the single-step variant",
                f"{PAPER} (arXiv 2302.01333); specification Section 5C"))
    return out
