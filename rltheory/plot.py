"""Paper-style figures for claims.

Functions build and return matplotlib figures; :func:`save_figure` writes a
vector PDF (TrueType fonts embedded, ``pdf.fonttype = 42``) and a PNG, with the
claim and its source in the files' metadata.

* :func:`rate_figure`: the metric against the checked parameter on log–log
  axes, mean over seeds with a 95% bootstrap band, the fitted slope, the
  theorem's reference slope and the alternatives run on the same instances.
* :func:`curves_figure`: learning curves (e.g. cumulative regret against
  episodes) with bands, for several algorithms.
"""

from __future__ import annotations

import textwrap
from pathlib import Path
from typing import Mapping, Sequence

import matplotlib
import matplotlib.ticker

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

plt.rcParams.update({"pdf.fonttype": 42, "ps.fonttype": 42, "font.size": 9,
                     "axes.titlesize": 9, "legend.fontsize": 7, "figure.dpi": 100})

_CLAIM_COLOR = "#1f5fa8"
#: Colours of the alternatives, in the claim's order.
_ALT_COLORS = ("#c0392b", "#7f8c8d", "#8e44ad", "#d68910", "#16a085")
_ALT_MARKERS = ("s", "^", "v", "D", "P")


def draw_series(ax, s, color, label, marker="o", ls="-", band=True, fit=False, legend=True):
    """Draw one :class:`~rltheory.claims.checks.Series`: the estimate over seeds, its 95% band, its fit.

    Parameters
    ----------
    ax : matplotlib Axes
    s : Series
    color, label : str
    marker, ls : str
    band : bool
        Shade the bootstrap band ``[s.low, s.high]``.
    fit : bool
        Also draw the fitted power law ``exp(intercept) x^slope`` (dashed).
    legend : bool
        Give the lines legend entries (``False``: the caller adds one entry for several series).
    """
    if not legend:
        label = "_nolegend_"
    ax.plot(s.x, s.estimate, marker=marker, ms=3.5, lw=1.2, ls=ls, color=color, label=label)
    if band and np.any(s.low != s.high):
        ax.fill_between(s.x, np.maximum(s.low, 1e-300), s.high, color=color, alpha=0.15, lw=0)
    if fit and np.isfinite(s.slope):
        xx = np.geomspace(s.x.min(), s.x.max(), 20)
        ax.plot(xx, np.exp(s.intercept) * xx ** s.slope, ls="--", lw=0.9, color=color,
                label=f"{label} fit: slope {s.slope:.2f}" if legend else "_nolegend_")


def reference_slope(ax, x, x0, y0, slope, label, color="0.35", ls=":"):
    """The reference line :math:`y_0 (x / x_0)^{\\text{slope}}` over the range of ``x``."""
    xx = np.geomspace(np.min(x), np.max(x), 20)
    ax.plot(xx, y0 * (xx / x0) ** slope, color=color, lw=1.0, ls=ls, label=label)


def finish_loglog(ax, xlabel, ylabel, title, legend_below=False, xticks=None):
    """Log–log axes, labels, a left-aligned title, a light grid and the legend.

    ``xticks``: label exactly these x values (plain numbers) instead of powers
    of ten; useful when the data span less than a few decades.
    """
    ax.set_xscale("log")
    ax.set_yscale("log")
    if xticks is not None:
        ax.xaxis.set_minor_formatter(matplotlib.ticker.NullFormatter())
        ax.set_xticks(list(xticks), labels=[f"{x:g}" for x in xticks])
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.set_title(title, loc="left")
    ax.grid(True, which="both", lw=0.3, alpha=0.5)
    if legend_below:
        ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.17), ncol=2, frameon=False, fontsize=6)
    else:
        ax.legend(loc="best", frameon=False)


def _prefixed(prefix, s):
    return f"{prefix}: {s.label}" if s.label != "all runs" else prefix


def rate_figure(verdict, xlabel: str | None = None, ylabel: str | None = None):
    """Log–log figure of a rate-checked claim and of its alternatives on the same instances.

    Parameters
    ----------
    verdict : rltheory.claims.Verdict
    xlabel, ylabel : str, optional
        Axis labels (default: the checked parameter and the metric name).
    """
    claim = verdict.claim
    arms = [("claim", verdict.main.series, _CLAIM_COLOR, "o")] + [
        (f"{a.name} ({a.status})", a.result.series, _ALT_COLORS[i % len(_ALT_COLORS)],
         _ALT_MARKERS[i % len(_ALT_MARKERS)]) for i, a in enumerate(verdict.alternatives)]
    groups = [s.label for s in verdict.main.series]
    # several groups (e.g. one fit per kappa) and several arms: one legend entry per arm, listing its
    # slopes group by group, below the axes, instead of two entries per series over the data
    compact = len(groups) > 1 and len(arms) * len(groups) > 6
    fig, ax = plt.subplots(figsize=(4.6, 3.4 + (0.22 * (len(arms) + 2) if compact else 0.0)),
                           layout="constrained")
    alt_series = []
    for k, (name, series, color, marker) in enumerate(arms):
        for s in series:
            draw_series(ax, s, color, _prefixed(name, s), marker, fit=True, legend=not compact)
            if k:
                alt_series.append(s)
        if compact:
            slopes = ", ".join(f"{s.slope:.2f}" for s in series)
            ax.plot([], [], marker=marker, ms=3.5, lw=1.2, color=color, label=f"{name}: slopes {slopes}")
    check = claim.check
    if verdict.main.series and claim.bound is not None and check.kind == "rate":
        b0 = verdict.main.threshold if check.exponent == "local" else check.stated_exponent(claim.bound)
        s0 = verdict.main.series[0]
        reference_slope(ax, s0.x, s0.x[0], s0.estimate[0], b0, f"theorem: slope {b0:.3g}")
    units = f" ({claim.units})" if claim.units else ""
    xs = np.unique(np.concatenate([s.x for s in list(verdict.main.series) + alt_series] or [[]]))
    source = textwrap.fill(textwrap.shorten(claim.source.short(), width=110, placeholder=" ..."), 58)
    finish_loglog(ax, xlabel or verdict.main.x_label or "x",
                  textwrap.fill(ylabel or claim.metric.replace("_", " ") + units, 45),
                  f"{claim.id}: {verdict.label}\n{source}",
                  xticks=xs if 1 < len(xs) <= 8 else None)
    if compact:
        ax.get_legend().remove()
        fig.legend(loc="outside lower center", frameon=False, fontsize=6, ncol=1,
                   title=f"fitted slopes by group: {', '.join(groups)}", title_fontsize=6)
    return fig


def curves_figure(curves: Mapping[str, tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]],
                  title: str, xlabel: str, ylabel: str, loglog: bool = False):
    """Learning curves with confidence bands.

    Parameters
    ----------
    curves : mapping label -> (x, mean, low, high), arrays of equal length
    title, xlabel, ylabel : str
    loglog : bool
    """
    fig, ax = plt.subplots(figsize=(4.6, 3.4), layout="constrained")
    for i, (label, (x, m, lo, hi)) in enumerate(curves.items()):
        c = plt.cm.tab10(i)
        ax.plot(x, m, color=c, lw=1.2, label=label)
        ax.fill_between(x, lo, hi, color=c, alpha=0.2, lw=0)
    if loglog:
        ax.set_xscale("log")
        ax.set_yscale("log")
        xs = np.unique(np.concatenate([np.asarray(v[0], dtype=float) for v in curves.values()]))
        if 1 < len(xs) <= 8:          # a few values: label exactly those (as rate_figure does)
            ax.xaxis.set_minor_formatter(matplotlib.ticker.NullFormatter())
            ax.set_xticks(list(xs), labels=[f"{x:g}" for x in xs])
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.set_title(title, loc="left")
    ax.grid(True, lw=0.3, alpha=0.5)
    ax.legend(frameon=False)
    return fig


def save_figure(fig, stem: str | Path, title: str, subject: str, keywords: Sequence[str] = ()) -> list[Path]:
    """Write ``stem.pdf`` (vector, fonts embedded) and ``stem.png`` with metadata; close the figure."""
    stem = Path(stem)
    stem.parent.mkdir(parents=True, exist_ok=True)
    pdf, png = stem.parent / (stem.name + ".pdf"), stem.parent / (stem.name + ".png")
    meta_pdf = {"Title": title, "Subject": subject, "Keywords": ", ".join(keywords),
                "Creator": "rltheory", "CreationDate": None}   # no timestamp: same data, same file
    fig.savefig(pdf, metadata=meta_pdf)
    fig.savefig(png, dpi=200, metadata={"Title": title, "Description": subject,
                                        "Software": "rltheory"})
    plt.close(fig)
    return [pdf, png]
