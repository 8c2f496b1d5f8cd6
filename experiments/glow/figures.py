"""Figures of the GLOW / HyGLOW claims (arXiv 2401.09681) that combine several runs (``rltheory figures``)."""

from __future__ import annotations

import numpy as np

from rltheory.bounds.glow import PAPER
from rltheory.curves import geometric_steps, seed_band

from .claims import GLOW_LEARNER, INSTANCE
from .tasks import run_glow_regret, run_hybrid

SUBJECT = f"{PAPER} (arXiv 2401.09681)"


def figure_glow(verdicts: dict, seeds: int = 5) -> list:
    """The three figures of the issue (skipped when no ``glow.`` claim ran).

    1. ``glow_regret_vs_T``: GLOW's cumulative regret against T for kappa in {0, 0.25, 0.5, 1}, with
       the reference sqrt(C_cov T) / sqrt(C_cov T_0) scaled to each curve at T_0 = 100 (log-log).
    2. ``glow_hyglow_risk_vs_T``: mean risk of the uniform mixture against T for H2O with MABO.CR
       (HyGLOW), FQI and MLE, with and without offline data, and a T^{-1/2} reference (log-log; FQI
       and MLE pick the same policies on these instances, so their curves coincide).
    3. ``glow_regret_vs_clipping``: GLOW's regret after T = 1000 rounds against the clipping-scale
       factor (1 to 1000 times Theorem 3.1's gamma), kappa in {0.5, 1} (log-log).
    """
    if not any(k.startswith("glow.") for k in verdicts):
        return []
    from rltheory.plot import curves_figure
    out = []
    T = 2000
    steps = geometric_steps(T)
    curves = {}
    for kappa in (0.0, 0.25, 0.5, 1.0):
        cfg = {**INSTANCE, **GLOW_LEARNER, "kappa": kappa, "T": T}
        runs = [run_glow_regret(cfg, np.random.SeedSequence(s)) for s in range(seeds)]
        Y = np.array([r["regret"][1] for r in runs])
        C = runs[0]["C_cov"]
        curves[f"kappa={kappa:g} (C_cov={C:.3g})"] = (steps,) + seed_band(Y, axis=0)
        i0 = int(np.searchsorted(steps, 100))
        ref = Y.mean(axis=0)[i0] * np.sqrt(steps / steps[i0])
        curves[f"sqrt(T) through kappa={kappa:g} at T=100"] = (steps, ref, ref, ref)
    out.append(("glow_regret_vs_T", curves_figure(curves, "GLOW, kappa-layered MDP (S=6, A=3, H=4)", "rounds T",
                                                  "cumulative regret (return units)", loglog=True),
                "GLOW regret against T for several kappa", SUBJECT + ", Theorem 3.1"))
    T = 1000
    steps = geometric_steps(T)
    curves = {}
    for base in ("mabo_cr", "fqi", "mle"):
        for offline in (True, False):
            cfg = {**INSTANCE, "kappa": 1.0, "eta": 0.5, "select": "optimistic", "gamma_scale": 100.0,
                   "T": T, "base": base, "offline": offline}
            Y = np.array([run_hybrid(cfg, np.random.SeedSequence(s))["risk"][1] for s in range(seeds)])
            name = {"mabo_cr": "HyGLOW (MABO.CR)", "fqi": "H2O + FQI", "mle": "H2O + MLE"}[base]
            m = Y.mean(axis=0)                                             # positive while any seed errs
            curves[f"{name}{'' if offline else ', no offline data'}"] = (steps, m, m, m)
    ref = 0.5 * np.sqrt(steps[0] / steps)
    curves["T^(-1/2) reference"] = (steps, ref, ref, ref)
    out.append(("glow_hyglow_risk_vs_T", curves_figure(curves, "H2O / HyGLOW, kappa = 1, eta = 0.5", "rounds T",
                                                       "mean risk of the uniform mixture",
                                                       loglog=True),
                "Hybrid risk against T per base algorithm", SUBJECT + ", Theorem 4.1, Corollary 4.1"))
    scales = np.array([1.0, 3.0, 10.0, 30.0, 100.0, 300.0, 1000.0])
    curves = {}
    for kappa in (0.5, 1.0):
        Y = np.array([[run_glow_regret({**INSTANCE, **GLOW_LEARNER, "kappa": kappa, "T": T, "gamma_scale": g},
                                       np.random.SeedSequence(s))["final_regret"] for g in scales]
                      for s in range(seeds)])
        curves[f"kappa={kappa:g}"] = (scales,) + seed_band(Y, axis=0)
    out.append(("glow_regret_vs_clipping", curves_figure(curves, "GLOW after T = 1000 rounds",
                                                         "gamma / gamma(Theorem 3.1)", "regret (return units)",
                                                         loglog=True),
                "GLOW regret against the clipping scale", SUBJECT + ", Lemma E.4, eq. (10)"))
    return out
