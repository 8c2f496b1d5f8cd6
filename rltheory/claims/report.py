"""Reports of a ``verify`` run: the terminal table, ``report.json``, ``report.md`` and figures."""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Sequence

from ..runner.store import atomic_write_bytes
from .verdict import Verdict


def _fmt(x) -> str:
    return "—" if x is None or (isinstance(x, float) and not math.isfinite(x)) else f"{x:.3g}"


def figure_text(v: Verdict) -> str:
    """``exponent in K = 0.41 [0.37, 0.45] (<= 0.61)``."""
    r = v.main
    ci = f" [{_fmt(r.low)}, {_fmt(r.high)}]" if math.isfinite(r.low) else ""
    op = "<=" if (v.claim.bound is None or v.claim.bound.direction == "upper") else ">="
    if v.claim.check.kind == "identity":
        op = "<="
    return f"{r.figure_name} = {_fmt(r.estimate)}{ci} ({op} {_fmt(r.threshold)})"


def table(verdicts: Sequence[Verdict]) -> str:
    """The verdict table printed by ``rltheory verify``: one row per claim."""
    rows = [("claim", "source", "fidelity", "figure", "control", "verdict")]
    for v in verdicts:
        rows.append((v.claim.id, v.claim.source.short(), v.claim.fidelity, figure_text(v),
                     v.control.status, v.label))
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    lines = []
    for j, r in enumerate(rows):
        lines.append("  ".join(c.ljust(w) for c, w in zip(r, widths)).rstrip())
        if j == 0:
            lines.append("  ".join("-" * w for w in widths))
    lines.append("")
    for v in verdicts:
        st = v.claim.statement
        lines.append(f"{v.claim.id}: {st if len(st) <= 200 else st[:197] + '...'}")
    counts = {s: sum(v.status == s for v in verdicts) for s in ("consistent", "violated", "inconclusive")}
    lines.append("")
    lines.append(", ".join(f"{n} {s}" for s, n in counts.items()))
    return "\n".join(lines)


def _atomic_write(path: Path, text: str) -> None:
    atomic_write_bytes(Path(path), text.encode())


def write_reports(verdicts: Sequence[Verdict], out: Path, figures: Sequence[Path] = ()) -> tuple[Path, Path]:
    """Write ``report.json`` (the contract of DESIGN.md) and ``report.md``."""
    import rltheory
    out = Path(out)
    rj, rm = out / "report.json", out / "report.md"
    payload = {"rltheory_version": rltheory.__version__,
               "claims": [v.to_json() for v in verdicts]}
    _atomic_write(rj, json.dumps(payload, indent=1))
    figs = {Path(f).stem: Path(f) for f in figures if str(f).endswith(".png")}
    md = ["# rltheory verification report", "",
          f"Scale: `{verdicts[0].scale if verdicts else '-'}`. Verdicts: `consistent` (the data agree with the "
          "bound), `violated` (runs break it), `inconclusive` (the interval is too wide, or the negative "
          "control failed to fail: the check lacks power).", ""]
    md.append("| claim | source | fidelity | figure | negative control | verdict |")
    md.append("| --- | --- | --- | --- | --- | --- |")
    for v in verdicts:
        md.append(f"| `{v.claim.id}` | {v.claim.source.short()} | {v.claim.fidelity} | {figure_text(v)} "
                  f"| {v.control.status} | **{v.label}** |")
    for v in verdicts:
        c = v.claim
        md += ["", f"## `{c.id}`", "", f"*{c.source.cite()}*", "", c.statement, "",
               f"- fidelity: **{c.fidelity}**" + (f" — {c.fidelity_note}" if c.fidelity_note else ""),
               f"- instance: {c.experiment.instance}" if c.experiment.instance else "- instance: —",
               f"- check: {c.check.kind} on `{c.metric}`; {v.main.detail}",
               f"- negative control ({c.control.description}): **{v.control.status}**; {v.control.detail}",
               f"- verdict: **{v.label}** ({len(v.runs)} runs)"]
        if c.id in figs:
            md += ["", f"![{c.id}]({figs[c.id].relative_to(out).as_posix()})"]
    _atomic_write(rm, "\n".join(md) + "\n")
    return rj, rm


def write_figures(verdicts: Sequence[Verdict], folder: Path) -> list[Path]:
    """One figure per claim with fitted series (rate checks); returns the written paths."""
    from .. import plot
    paths: list[Path] = []
    for v in verdicts:
        if not v.main.series and not v.control.series:
            continue
        fig = plot.rate_figure(v)
        paths += plot.save_figure(fig, Path(folder) / v.claim.id, title=f"{v.claim.id}: {v.label}",
                                  subject=f"{v.claim.statement} Source: {v.claim.source.cite()}",
                                  keywords=[v.claim.id, v.claim.source.arxiv, v.claim.fidelity])
    return paths


def write_combined_figures(verdicts: Sequence[Verdict], folder: Path, functions) -> list[Path]:
    """Figures that combine several claims (``figure_*`` functions of claim files)."""
    from .. import plot
    by_id = {v.claim.id: v for v in verdicts}
    paths: list[Path] = []
    for fn in functions:
        for name, fig, title, subject in fn(by_id):
            paths += plot.save_figure(fig, Path(folder) / name, title=title, subject=subject,
                                      keywords=[name])
    return paths


def write_figure_index(folder: Path) -> Path:
    """``<folder>/README.md``: one line per figure in the folder, from the figures' own metadata.

    Every PNG written by :func:`rltheory.plot.save_figure` carries its title
    (claim and verdict, or what a combined figure shows) and its subject
    (statement and source), so the index lists all figures present, whichever
    claims the last ``rltheory figures`` call ran.
    """
    folder = Path(folder)
    lines = ["# Figures", "", "Regenerate with `rltheory figures` (quick scale) or "
             "`rltheory figures --scale paper`. Each figure is a vector PDF and a PNG; one line per figure: "
             "file, title, and what it shows with its source.", ""]
    for png in sorted(folder.glob("*.png")):
        title, subject = _png_metadata(png)
        lines.append(f"- `{png.stem}.pdf` / `.png` — **{title}**. {subject}")
    path = folder / "README.md"
    _atomic_write(path, "\n".join(lines) + "\n")
    return path


def _png_metadata(png: Path) -> tuple[str, str]:
    """(Title, Description) stored in a PNG's text chunks."""
    from PIL import Image
    with Image.open(png) as im:
        return str(im.info.get("Title", png.stem)), str(im.info.get("Description", ""))
