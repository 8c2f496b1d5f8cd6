"""Figures of the adversarial-MDP claims that combine several runs (for ``rltheory figures``)."""

from __future__ import annotations

import numpy as np

from rltheory.bounds.adversarial import PAPER


def _series(verdict, name: str):
    """The first fitted series of the claim (``name == "claim"``) or of its alternative ``name``."""
    if name == "claim":
        return verdict.main.series[0] if verdict.main.series else None
    for a in verdict.alternatives:
        if a.name == name and a.result.series:
            return a.result.series[0]
    return None


def _fixed(verdict, key: str):
    """The value of config ``key`` shared by the claim's runs (``None`` if absent or not shared)."""
    vals = {r["config"].get(key) for r in verdict.runs if r.get("arm") == "claim"}
    return vals.pop() if len(vals) == 1 else None


def _with_slope(label: str, s) -> str:
    return f"{label} (slope {s.slope:.2f})" if np.isfinite(s.slope) else label


def figure_adversarial(verdicts: dict) -> list:
    """Two figures from the verdicts already computed (skipped when their claims did not run).

    1. ``adversarial_regret_vs_K``: pseudo-regret against K (log-log, 95% bootstrap bands over seeds) of
       Algorithm 1 at the literal and at the 10x learning rate and of exponential weights with the
       K^{2/3} tuning, with sqrt(K) and K^{2/3} reference slopes.
    2. ``adversarial_regret_vs_A``: pseudo-regret against |A| at fixed K and d of Algorithm 1, of
       exponential weights with eta = 1 and of the uniform policy (fitted slopes in the legend), with a
       sqrt(A) reference slope; the instance changes with A, so the uniform policy's regret shows how
       much of the growth is the instance's own.
    """
    from matplotlib import pyplot as plt

    from rltheory.plot import draw_series, finish_loglog, reference_slope
    out = []
    rows = [("adversarial.rate_K.s1", "claim", "Algorithm 1, literal eta"),
            ("adversarial.rate_K.s10", "claim", "Algorithm 1, 10 x eta"),
            ("adversarial.rate_K.s10", "exp-weights K^2/3", "exp-weights, K^2/3 tuning")]
    got = [(v, _series(verdicts[c], n)) for c, n, v in rows if c in verdicts]
    got = [(lab, s) for lab, s in got if s is not None]
    if got:
        fig, ax = plt.subplots(figsize=(4.6, 3.4), layout="constrained")
        for i, (lab, s) in enumerate(got):
            draw_series(ax, s, plt.cm.tab10(i), _with_slope(lab, s), "os^"[i % 3])
        s0 = got[0][1]
        reference_slope(ax, s0.x, s0.x[0], s0.estimate[0], 0.5, "sqrt(K)", ls=":")
        reference_slope(ax, s0.x, s0.x[0], s0.estimate[0], 2 / 3, "K^2/3", ls="-.")
        finish_loglog(ax, "episodes K", "pseudo-regret (loss units)",
                      "Switching losses, S_h = 3, A = 4, H = 3 (one-hot)", legend_below=True,
                      xticks=s0.x if len(s0.x) <= 8 else None)
        out.append(("adversarial_regret_vs_K", fig, "Regret of log-barrier FTRL against K",
                    f"{PAPER} (arXiv 2301.12942); specification Section 7"))
    if "adversarial.actions" in verdicts:
        v = verdicts["adversarial.actions"]
        got = [(lab, _series(v, n)) for n, lab in (("claim", "Algorithm 1, 10 x eta"),
                                                    ("exp-weights uncapped", "exp-weights, eta = 1"),
                                                    ("uniform", "uniform"))]
        got = [(lab, s) for lab, s in got if s is not None]
        if got:
            fig, ax = plt.subplots(figsize=(4.6, 3.6), layout="constrained")
            for i, (lab, s) in enumerate(got):
                draw_series(ax, s, plt.cm.tab10(i), _with_slope(lab, s), "os^"[i % 3])
            s0 = got[0][1]
            reference_slope(ax, s0.x, s0.x[0], s0.estimate[0], 0.5, "sqrt(A) from Algorithm 1's first point")
            K, d, S = _fixed(v, "K"), _fixed(v, "d"), _fixed(v, "S")
            title = f"Random linear MDP, K = {K}, d = {d}, S = {S}, H = 3"
            finish_loglog(ax, "actions |A|", "pseudo-regret (loss units)", title,
                          legend_below=True, xticks=np.asarray(s0.x))
            out.append(("adversarial_regret_vs_A", fig, "Regret of log-barrier FTRL against |A|",
                        f"{PAPER} (arXiv 2301.12942); specification Section 7"))
    return out
