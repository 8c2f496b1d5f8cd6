"""Figures of the Markov-games claims that combine several runs (for ``rltheory figures``)."""

from __future__ import annotations

import numpy as np

from rltheory.bounds.markov_games import PAPER
from rltheory.curves import seed_band

from .tasks import run_aggregation, run_hedge_regret


def figure_markov_games(verdicts: dict, seeds: int = 5) -> list:
    """The two figures of the specification (skipped when no Markov-games claim ran).

    1. ``markov_games_regret_vs_T``: regret / T of player 1 on the repeated
       Shapley game (H = 6) against Markov and against general deviations,
       for independent Hedge and for the centralised learner annealing to the
       Nash equilibrium, T = 100 .. 3000 (log-log, mean and min-max over seeds).
    2. ``markov_games_aggregation_vs_H``: on the repeated Shapley game, the
       smallest summed Nash gap over the T x H candidates (h, t), the mean
       Nash gap and the aggregation bound Delta_1 + sqrt(2 ln T / H) against H,
       for T in {20, 50} (eta = 0.5; Delta from the Monte Carlo Bayesian deviator).
    """
    if not any(k.startswith("markov_games.") for k in verdicts):
        return []
    from rltheory.plot import curves_figure
    Ts = np.array([100, 300, 1000, 3000])
    curves = {}
    for learner in ("hedge", "annealed_nash"):
        runs = [[run_hedge_regret({"T": int(T), "H": 6, "init_scale": 1.0, "learner": learner},
                                  np.random.SeedSequence(s)) for s in range(seeds)] for T in Ts]
        for metric, label in (("markov_regret_per_T", "Markov deviations"),
                              ("general_regret_per_T", "general deviations")):
            vals = np.array([[r[metric] for r in row] for row in runs])
            curves[f"{learner}: {label}"] = (Ts,) + seed_band(vals)
    out = [("markov_games_regret_vs_T",
            curves_figure(curves, "Repeated Shapley game (H = 6)", "episodes T",
                          "regret / T of player 1 (return units)", loglog=True),
            "Markov vs general-deviation regret of independent Hedge",
            f"{PAPER} (arXiv 2303.12287); specification Section 5.1")]
    Hs = np.array([25, 50, 100, 200, 400])
    curves = {}
    for T in (20, 50):
        rows = []
        for H in Hs:
            cfg = {"instance": "shapley", "T": T, "H": int(H), "eta": 0.5, "n_mc": 500, "deviator": "bayes",
                   "policies": "hedge"}
            rs = [run_aggregation(cfg, np.random.SeedSequence(s)) for s in range(seeds)]
            rows.append([(r["min_summed_nash_gap"], r["mean_nash_gap"], r["deviation_gain"] + r["bound"])
                         for r in rs])
        rows = np.array(rows)                                            # (H, seeds, 3)
        for k, name in enumerate(("min over (h,t) of summed Nash gap", "mean Nash gap (player max)",
                                  "bound Delta + sqrt(2 ln T / H)")):
            curves[f"T={T}: {name}"] = (Hs,) + seed_band(rows[:, :, k])
    out.append(("markov_games_aggregation_vs_H",
                curves_figure(curves, "Aggregation (derived), repeated Shapley game",
                              "horizon H", "Nash gap (return units)", loglog=True),
                "Nash gap found by aggregation against H",
                f"{PAPER} (arXiv 2303.12287); specification Section 3 (derived)"))
    return out
