"""Figures of the LMDP claims (for ``rltheory figures``): regret against K, H and sqrt(Var*)."""

from __future__ import annotations

import numpy as np

from rltheory.bounds.lmdp import PAPER
from rltheory.curves import seed_band

from .claims import SCALE
from .tasks import run_regret


def _final(cfg: dict, seeds: int) -> np.ndarray:
    return np.array([run_regret(cfg, np.random.SeedSequence(s))["regret"][1][-1] for s in range(seeds)])


def figure_lmdp(verdicts: dict, seeds: int = 5) -> list:
    """Three figures (skipped when no LMDP claim ran), all on the claims' quick instances, c = ``SCALE``.

    1. ``lmdp_regret_vs_K``: cumulative regret of the learner and of the H-scaled
       Hoeffding bonus on random LMDPs (M = 2, S = 3, A = 2, H = 3), mean and
       min-max over seeds, with a sqrt(K) reference through the learner's last point.
    2. ``lmdp_regret_vs_H``: regret after K = 2048 episodes on the revealing
       family against H: the learner with either solver, and H-scaled Hoeffding.
    3. ``lmdp_regret_vs_sqrt_var``: regret after K = 2048 episodes on the variance
       family against sqrt(Var*), learner and greedy (no bonus).
    """
    if not any(k.startswith("lmdp.") for k in verdicts):
        return []
    from rltheory.plot import curves_figure
    out = []
    base = {"family": "random", "M": 2, "S": 3, "A": 2, "H": 3, "K": 4096, "bonus_scale": SCALE}
    curves = {}
    for learner, label in (("hf", "horizon-free learner"), ("hoeffding_H", "H-scaled Hoeffding")):
        runs = [run_regret({**base, "learner": learner}, np.random.SeedSequence(s))["regret"] for s in range(seeds)]
        steps = runs[0][0]
        vals = np.array([r[1] for r in runs]).T
        keep = steps >= 8
        curves[label] = (steps[keep],) + tuple(b[keep] for b in seed_band(vals))
        if learner == "hf":
            ref = curves[label][1][-1] * np.sqrt(steps[keep] / steps[keep][-1])
            curves["sqrt(K) reference"] = (steps[keep], ref, ref, ref)
    out.append(("lmdp_regret_vs_K",
                curves_figure(curves, "Random LMDPs (M=2, S=3, A=2, H=3)", "episodes K",
                              "cumulative regret (value units)", loglog=True),
                "Regret of the LMDP learner against K with the sqrt(K) reference",
                f"{PAPER} (arXiv 2210.11604); specification Section 8"))
    Hs = np.array([2, 4, 8, 16, 32])
    curves = {}
    for learner, label in (("hf", "horizon-free learner"), ("hf_model_opt", "model-optimistic solver"),
                           ("hoeffding_H", "H-scaled Hoeffding")):
        vals = np.array([_final({"family": "revealing", "M": 2, "A": 2, "gap": 0.2, "p": 0.25, "K": 2048,
                                 "H": int(H), "learner": learner, "bonus_scale": SCALE}, seeds) for H in Hs])
        curves[label] = (Hs,) + seed_band(vals)
    out.append(("lmdp_regret_vs_H",
                curves_figure(curves, "Revealing LMDPs, K = 2048, total reward 1", "horizon H",
                              "cumulative regret (value units)", loglog=True),
                "Regret against H: horizon-free learner (value- and model-optimistic) and the H-scaled Hoeffding bonus",
                f"{PAPER} (arXiv 2210.11604); specification Section 8"))
    vs = np.array([0.01, 0.03, 0.1, 0.2])
    curves = {}
    for learner, label in (("hf", "horizon-free learner"), ("greedy", "greedy (no bonus)")):
        vals = np.array([_final({"family": "variance", "M": 2, "A": 2, "H": 2, "gap": 0.1, "K": 2048,
                                 "var_star": float(v), "learner": learner, "bonus_scale": SCALE}, seeds)
                         for v in vs])
        curves[label] = (np.sqrt(vs),) + seed_band(vals)
    out.append(("lmdp_regret_vs_sqrt_var",
                curves_figure(curves, "Variance family, K = 2048", "sqrt(Var*)",
                              "cumulative regret (value units)", loglog=True),
                "Regret against sqrt(Var*)",
                f"{PAPER} (arXiv 2210.11604); specification Section 8"))
    return out
