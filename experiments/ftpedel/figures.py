"""Figures of the FTPedel claims that combine several runs (for ``rltheory figures``)."""

from __future__ import annotations

import numpy as np

from rltheory.bounds.ftpedel import PAPER
from rltheory.curves import seed_band

from .tasks import run

_BEHAVIOURS = ("expert", "eps_greedy", "uniform", "hard_branch")


def _pair_styles(fig) -> None:
    """Curves come in (learner, prediction) pairs: one colour per pair, the prediction dashed."""
    import matplotlib.pyplot as plt
    ax = fig.axes[0]
    for i, (line, band) in enumerate(zip(ax.lines, ax.collections)):
        c = plt.cm.tab10(i // 2)
        line.set_color(c)
        band.set_facecolor(c)
        if i % 2:
            line.set_linestyle("--")
    ax.legend(frameon=False, fontsize="small")


def figure_ftpedel(verdicts: dict, seeds: int = 3) -> list:
    """The two figures of the specification (skipped when no FTPedel claim ran).

    1. ``ftpedel_online_vs_Noff``: FTPedel's online episodes against N_off for the four behaviour
       policies (a)-(d) on two_branch(p = 0.1, gaps 0.5/0.5/0.2), eps = 1/16, with the oracle prediction
       H T_o2o(N_off) of each behaviour (N_off = 0 drawn at N_off = 10).
    2. ``ftpedel_separation_vs_p``: online episodes to termination against the reach probability p on
       two_branch(p, gaps 0.5/0.8/0.6), eps = 1/128, for the hybrid learner (10^5 hard-branch episodes),
       the online-only learner and uniform exploration with the same elimination rule, with the oracle
       prediction H T_o2o for the hybrid data and for no offline data; offline-only LCB spends none, and
       the fraction of its runs that are eps-optimal is given in the title.
    """
    if not any(k.startswith("ftpedel.") for k in verdicts):
        return []
    from rltheory.plot import curves_figure
    Ns = np.array([0, 1000, 10000, 100000, 1000000])
    xs = np.where(Ns == 0, 10, Ns)
    curves = {}
    base = {"algorithm": "ftpedel", "p": 0.1, "gap_hard": 0.5, "gap_easy": 0.2, "eps": 1 / 16, "predict": True}
    for beh in _BEHAVIOURS:
        rows = [[run({**base, "behaviour": beh, "N_off": int(N)}, np.random.SeedSequence(s)) for s in range(seeds)]
                for N in Ns]
        on = np.array([[r["online_episodes"] for r in row] for row in rows])
        pred = np.array([[3 * r["T_o2o"] for r in row] for row in rows])
        curves[f"({'abcd'[_BEHAVIOURS.index(beh)]}) {beh}: FTPedel"] = (xs,) + seed_band(np.maximum(on, 1.0))
        curves[f"({'abcd'[_BEHAVIOURS.index(beh)]}) {beh}: H T_o2o"] = (xs,) + seed_band(np.maximum(pred, 1.0))
    fig = curves_figure(curves, "Online episodes vs offline data (p = 0.1, eps = 1/16)", "N_off (episodes)",
                        "online episodes (floored at 1)", loglog=True)
    _pair_styles(fig)
    out = [("ftpedel_online_vs_Noff", fig,
            "FTPedel's online episodes against N_off with the oracle prediction",
            f"{PAPER} (arXiv 2211.04974); specification Section 6, item 1 (reconstructed)")]
    ps = np.array([0.2, 0.1, 0.05, 0.025])
    sep = {"p": None, "gap_hard": 0.8, "gap_easy": 0.6, "behaviour": "hard_branch", "N_off": 100000,
           "eps": 1 / 128}
    curves = {}
    lcb_ok = []
    for name, over in (("hybrid FTPedel", {"algorithm": "ftpedel"}),
                       ("online-only FTPedel", {"algorithm": "ftpedel", "use_offline": False}),
                       ("uniform exploration, same elimination", {"algorithm": "elimination-uniform"})):
        vals = np.array([[run({**sep, **over, "p": float(p)}, np.random.SeedSequence(s))["online_episodes"]
                          for s in range(seeds)] for p in ps])
        curves[name] = (ps,) + seed_band(vals)
    from .tasks import t_o2o
    for name, N in (("H T_o2o, hybrid data", 100000), ("H T_o2o, no offline data", 0)):
        T = np.array([3 * t_o2o(float(p), 0.8, 0.6, 0.5, "hard_branch", N, 1 / 128, 0.1, 0.05) for p in ps])
        curves[name] = (ps, T, T, T)
    for p in ps:
        lcb_ok += [1 - run({**sep, "algorithm": "offline-lcb", "p": float(p)}, np.random.SeedSequence(s))[
            "not_eps_optimal"] for s in range(seeds)]
    title = f"Separation instance (offline-only LCB eps-optimal in {np.mean(lcb_ok):.0%} of runs)"
    out.append(("ftpedel_separation_vs_p",
                curves_figure(curves, title, "reach probability p of the hard branch",
                              "online episodes to termination", loglog=True),
                "Online episodes against p for the hybrid, online-only and offline-only regimes",
                f"{PAPER} (arXiv 2211.04974); specification Sections 5 and 6, item 5 (reconstructed)"))
    return out
