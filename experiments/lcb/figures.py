r"""Figures that combine several bandit claims of arXiv 2103.12021 (``rltheory figures``).

* :func:`figure_lcb_bandit_rates`: LCB's worst case over the fixed grid of
  :math:`\mathrm{MAB}(C^\star)` against N (claim ``lcb.mab_rate_N``) beside the
  alternatives on the same instances, and Le Cam's lower bound of Theorem 2
  computed exactly on the hard pair (claim ``lcb.mab_lower_bound``): the
  measured counterpart of the schematic Figure 2 (bandit part).
* :func:`figure_lcb_contextual_switch`: the contextual-bandit rates of
  Theorems 4-5 (expert data, :math:`C^\star \ge 2` at every penalty scale, the
  switch from slope -1 to -1/2 near :math:`N = S/(C^\star - 1)`).
"""

from __future__ import annotations

import numpy as np

from rltheory.bounds.lcb_bandits import thm2_separation

from .bandit_tasks import run_cb, run_le_cam_pair

_SOURCE = "Rashidinejad, Zhu, Ma, Jiao & Russell, NeurIPS 2021 (arXiv 2103.12021)"
_ALT_STYLE = {"empirical best": ("#c0392b", "^", "-."), "most played": ("#7f5539", "s", "--"),
              "uniform": ("0.5", "x", ":")}


def _series(result, label=None):
    """The series of a check result with ``label`` (the first one when ``label`` is None)."""
    for s in result.series:
        if label is None or s.label == label:
            return s
    return None


def _alternative(verdict, name):
    for a in verdict.alternatives:
        if a.name == name:
            return a.result
    return None


def _draw_alternatives(ax, verdict, label, draw_series):
    """Every alternative of ``verdict`` whose check has a series ``label``, in its house style."""
    for a in verdict.alternatives:
        s = _series(a.result, label)
        if s is not None:
            color, marker, ls = _ALT_STYLE.get(a.name, ("0.3", "d", "--"))
            draw_series(ax, s, color, f"{a.name} ({a.status})", marker=marker, ls=ls, band=False)


def figure_lcb_bandit_rates(verdicts: dict) -> list:
    """Bandits: LCB's worst case over MAB(C*) against N, the alternatives, and Le Cam's lower bound.

    Left: claim ``lcb.mab_rate_N`` (one curve per :math:`C^\\star`) and its
    alternatives at the smallest :math:`C^\\star`, slope -1/2 for reference.
    Right: Le Cam's bound :math:`\\frac\\delta2(1 - \\mathrm{TV})` of the Theorem-2 pair at the
    theorem's separation (exact TV, the instance of ``lcb.mab_lower_bound``)
    beside LCB's worst case at the same :math:`C^\\star`.
    """
    need = ("lcb.mab_rate_N", "lcb.mab_lower_bound")
    if any(k not in verdicts for k in need):
        return []
    import matplotlib.pyplot as plt

    from rltheory.plot import draw_series, finish_loglog, reference_slope
    up = verdicts["lcb.mab_rate_N"]
    labels = [s.label for s in up.main.series]
    cmap = plt.cm.viridis
    fig, (a1, a2) = plt.subplots(1, 2, figsize=(9.2, 4.6), layout="constrained")
    for i, s in enumerate(up.main.series):
        draw_series(a1, s, cmap(0.85 * i / max(len(labels) - 1, 1)), f"LCB (Alg. 1, delta = 1/N), {s.label}")
    if labels:
        s0 = up.main.series[0]
        reference_slope(a1, s0.x, s0.x[0], s0.estimate[0], -0.5, "slope -1/2")
        _draw_alternatives(a1, up, labels[0], draw_series)
    finish_loglog(a1, "dataset size N (samples)", "max over the grid of E[r(a*) - r(a_hat)] (reward units)",
                  f"worst case over a fixed grid of MAB(C*); alternatives at {labels[0] if labels else ''}",
                  legend_below=True)
    Ns = np.unique(np.round(np.geomspace(1000, 1e6, 13)).astype(int))
    for i, s in enumerate(up.main.series):
        C = float(s.label.split("=")[-1])
        color = cmap(0.85 * i / max(len(labels) - 1, 1))
        lb = [run_le_cam_pair({"C_star": C, "N": int(N), "separation": "theorem"}, None)["le_cam_risk"]
              for N in Ns]
        a2.plot(Ns, lb, color=color, ls="--", marker="v", ms=3, label=f"Le Cam bound (Thm 2 pair), C* = {C:g}")
        draw_series(a2, s, color, f"LCB worst case, C* = {C:g}", band=False)
    a2.plot(Ns, [thm2_separation(C_star=2.0, N=N) for N in Ns], color="0.6", lw=0.8,
            label="separation sqrt(C*/N), C* = 2")
    finish_loglog(a2, "dataset size N (samples)", "expected suboptimality (reward units)",
                  "lower bound: every learner, delta (1 - TV)/2 (exact TV)", legend_below=True)
    fig.suptitle(f"Offline bandits, suboptimality vs N (lcb.mab_rate_N, lcb.mab_lower_bound; {up.scale} "
                 f"scale)\n{_SOURCE}, Thms 1-2, Props 1-2; measured counterpart of the schematic Fig. 2",
                 fontsize=8, x=0.01, ha="left")
    return [("lcb_bandit_rates", fig, "LCB for bandits: worst-case suboptimality against N",
             f"{_SOURCE}, Theorems 1-2, Propositions 1-2; claims {', '.join(need)}")]


def _middle_sweep(verdict, seeds: int, datasets: int):
    """LCB's worst case on the interpolation family over the whole range of N (thin line of the figure)."""
    cfg = dict(verdict.claim.experiment.scale("quick").fixed, datasets=datasets, c=0.3)
    Ns = np.unique(np.round(np.geomspace(32, 1.024e7, 19)).astype(int))
    vals = [[run_cb(dict(cfg, N=int(N)), np.random.SeedSequence(k))["subopt"] for k in range(seeds)]
            for N in Ns]
    return Ns, np.mean(vals, axis=1), cfg


def figure_lcb_contextual_switch(verdicts: dict, seeds: int = 2, datasets: int = 200) -> list:
    """Contextual bandits: Theorems 4-5, expert data, C* >= 2 at every penalty scale, and the slope switch.

    Left: LCB on expert data (``lcb.cb_rate_expert``, slope -1) and on the
    Theorem-5 family with :math:`C^\\star = 4` at every penalty scale
    (``lcb.cb_rate_coverage.*``), with behaviour cloning on the same instances.
    Right: :math:`C^\\star = 1 + 10^{-3}`: the small-N claim
    (``lcb.cb_middle_small_N``), the large-N claim at :math:`c = 0.3`
    (``lcb.cb_middle_large_N.c0.3``) with its behaviour-cloning alternative, and,
    as a thin line, the same task over the whole range of N (``seeds`` seeds,
    ``datasets`` datasets per instance) with the switch point :math:`N = S/(C^\\star-1)`.
    """
    need = ("lcb.cb_rate_expert", "lcb.cb_middle_small_N", "lcb.cb_middle_large_N.c0.3")
    if any(k not in verdicts for k in need):
        return []
    import matplotlib.pyplot as plt

    from rltheory.plot import draw_series, finish_loglog, reference_slope
    ex, small, large = (verdicts[k] for k in need)
    fig, (a1, a2) = plt.subplots(1, 2, figsize=(9.2, 4.6), layout="constrained")
    s = _series(ex.main)
    if s is not None:
        draw_series(a1, s, "#1f5fa8", "LCB, C* = 1 (expert data)")
        reference_slope(a1, s.x, s.x[0], s.estimate[0], -1.0, "slope -1")
    colors = ("#2a9d8f", "#e9a23b", "#9b5de5", "#c0392b")
    cov = [v for k, v in sorted(verdicts.items()) if k.startswith("lcb.cb_rate_coverage.")]
    for v, color in zip(cov, colors):
        s = _series(v.main)
        if s is not None:
            scale = v.claim.id.removeprefix("lcb.cb_rate_coverage.")
            draw_series(a1, s, color, f"LCB, C* = 4, {scale} ({v.status})", band=False)
    if cov:
        _draw_alternatives(a1, cov[0], None, draw_series)
        s = _series(cov[0].main)
        if s is not None:
            reference_slope(a1, s.x, s.x[0], s.estimate[0], -0.5, "slope -1/2")
    finish_loglog(a1, "dataset size N (samples)", "max over the grid of E[J(pi*) - J(pi_hat)] (reward units)",
                  "C* = 1 vs C* = 4 (S = 10), every penalty scale", legend_below=True)
    Ns, mean, cfg = _middle_sweep(small, seeds, datasets)
    a2.plot(Ns, mean, color="0.55", lw=0.9, label=f"LCB c = 0.3, full sweep ({seeds} seeds x {datasets} datasets)")
    for v, name, color, slope in ((small, "N << S/eta", "#1f5fa8", -1.0),
                                  (large, "N >> S/eta, c = 0.3", "#2a9d8f", -0.5)):
        s = _series(v.main)
        if s is not None:
            draw_series(a2, s, color, f"{name}: fit {s.slope:.2f}")
            reference_slope(a2, s.x, s.x[0], s.estimate[0], slope, f"slope {slope:g}", color=color)
    bc = _alternative(large, "most played")
    if bc is not None and bc.series:
        draw_series(a2, bc.series[0], "#7f5539", "most played, N >> S/eta", marker="s", ls="--", band=False)
    eta = cfg["C_star"] - 1
    a2.axvline(cfg["S"] / eta, color="0.3", lw=0.8, ls="--", label="N = S/(C* - 1)")
    finish_loglog(a2, "dataset size N (samples)", "max over the grid of E[J(pi*) - J(pi_hat)] (reward units)",
                  f"C* = 1 + {eta:g}: interpolation family (S = {cfg['S']} + {cfg['S_expert']} contexts)",
                  legend_below=True)
    fig.suptitle("Offline contextual bandits, S/N -> sqrt(S(C*-1)/N) (lcb.cb_rate_expert, lcb.cb_rate_coverage.*, "
                 f"lcb.cb_middle_small_N, lcb.cb_middle_large_N.c0.3; {ex.scale} scale)\n{_SOURCE}, Thms 4-5, "
                 "Prop. 3; worst cases over fixed instance grids", fontsize=8, x=0.01, ha="left")
    return [("lcb_contextual_switch", fig, "LCB for contextual bandits: the slope switch",
             f"{_SOURCE}, Theorems 4-5, Proposition 3; claims {', '.join(need)}, lcb.cb_rate_coverage.*")]
