"""Reports of a ``verify`` run: the terminal table, ``report.json``, ``report.md`` and figures."""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Sequence

from ..runner.store import atomic_write_bytes
from .verdict import VERDICTS, Verdict, family_wise


def _fmt(x) -> str:
    return "—" if x is None or (isinstance(x, float) and not math.isfinite(x)) else f"{x:.3g}"


def figure_text(v: Verdict) -> str:
    """``exponent in K = 0.41 [0.37, 0.45] (<= 0.61)``."""
    r = v.main
    return f"{r.figure_name} = {_estimate_text(r)} ({_op(v)} {_fmt(r.threshold)})"


def _op(v: Verdict) -> str:
    if v.claim.check.kind == "identity":
        return "<="
    return "<=" if (v.claim.bound is None or v.claim.bound.direction == "upper") else ">="


def _estimate_text(r) -> str:
    ci = f" [{_fmt(r.low)}, {_fmt(r.high)}]" if math.isfinite(r.low) else ""
    return f"{_fmt(r.estimate)}{ci}"


def alternatives_text(v: Verdict, sep: str = "; ") -> str:
    """``greedy 1.00 violated; uniform 0.98 violated``: each alternative's estimate and status."""
    return sep.join(f"{a.name} {_fmt(a.result.estimate)} {a.status}" for a in v.alternatives)


def counts(verdicts: Sequence[Verdict]) -> dict[str, int]:
    """Number of claims per verdict, in the order of :data:`VERDICTS`."""
    return {s: sum(v.status == s for v in verdicts) for s in VERDICTS}


def counts_line(verdicts: Sequence[Verdict]) -> str:
    """``20 consistent, 0 violated, 3 inconclusive, 6 vacuous``."""
    return ", ".join(f"{n} {s}" for s, n in counts(verdicts).items())


def by_paper(verdicts: Sequence[Verdict]) -> dict[str, list[Verdict]]:
    """Verdicts grouped by the paper of their claim, in first-seen order."""
    out: dict[str, list[Verdict]] = {}
    for v in verdicts:
        out.setdefault(v.claim.source.paper, []).append(v)
    return out


#: Width of the printed verdict table: it fits a 120-column terminal.
TABLE_WIDTH = 120


def short_label(v: Verdict) -> str:
    """The verdict in at most 23 characters (the full reason is in ``report.md``)."""
    if v.status == "inconclusive" and v.reason:
        return "inconclusive (no power)"
    return v.status


def table(verdicts: Sequence[Verdict], width: int = TABLE_WIDTH) -> str:
    """The verdict table printed by ``rltheory verify``, at most ``width`` columns wide.

    Per claim: id, fidelity, the check's figure with its interval and
    threshold, and the verdict; below it, indented, the alternatives'
    estimates and statuses on the same instances.  Then each paper's
    family-wise error statement (Holm), the counts per verdict, and a pointer
    to ``report.md`` for statements, sources and details.
    """
    import textwrap
    head = ("claim", "fidelity", "claim's estimate [CI] (threshold)", "verdict")
    rows = [(v.claim.id, v.claim.fidelity, f"{_estimate_text(v.main)} ({_op(v)} {_fmt(v.main.threshold)})",
             short_label(v)) for v in verdicts]
    widths = [max(len(r[i]) for r in [head] + rows) for i in range(4)]
    fixed = widths[0] + widths[1] + widths[3] + 6
    widths[2] = max(10, min(widths[2], width - fixed))

    def line(r):
        cells = [c if len(c) <= w else c[:w - 1] + "…" for c, w in zip(r, widths)]
        return "  ".join(c.ljust(w) for c, w in zip(cells, widths)).rstrip()

    lines = [line(head), line(tuple("-" * w for w in widths))]
    for v, r in zip(verdicts, rows):
        lines.append(line(r))
        lines += textwrap.wrap("alternatives: " + alternatives_text(v), width=width, initial_indent="    ",
                               subsequent_indent="      ")
    lines.append("")
    for paper, vs in by_paper(verdicts).items():
        lines += textwrap.wrap(f"{paper}: {family_wise(vs)['statement']}", width=width, subsequent_indent="  ")
    lines.append("")
    lines.append(counts_line(verdicts) + ". Statements, sources and details: report.md.")
    return "\n".join(lines)


def latex_table(verdicts: Sequence[Verdict]) -> str:
    r"""A LaTeX ``tabular`` of the verdicts for a paper's appendix (``booktabs`` rules).

    Columns: claim, source, fidelity, estimate with interval and threshold,
    alternatives, verdict; text is escaped for LaTeX.
    """
    rows = [r"\begin{tabular}{@{}llllp{5cm}l@{}}", r"\toprule",
            r"claim & source & fidelity & estimate (threshold) & alternatives & verdict \\", r"\midrule"]
    for v in verdicts:
        cells = [v.claim.id, v.claim.source.short(), v.claim.fidelity,
                 f"{_estimate_text(v.main)} ({_op(v)} {_fmt(v.main.threshold)})", alternatives_text(v), v.label]
        rows.append(" & ".join(_latex_escape(c) for c in cells) + r" \\")
    rows += [r"\bottomrule", r"\end{tabular}"]
    return "\n".join(rows) + "\n"


def _latex_escape(text: str) -> str:
    repl = {"\\": r"\textbackslash{}", "&": r"\&", "%": r"\%", "$": r"\$", "#": r"\#", "_": r"\_",
            "{": r"\{", "}": r"\}", "~": r"\textasciitilde{}", "^": r"\textasciicircum{}",
            "<=": r"$\le$", ">=": r"$\ge$", "—": "--", "…": r"\dots{}"}
    out, i = [], 0
    text = str(text)
    while i < len(text):
        for k in ("<=", ">="):
            if text.startswith(k, i):
                out.append(repl[k])
                i += 2
                break
        else:
            out.append(repl.get(text[i], text[i]))
            i += 1
    return "".join(out)


def _atomic_write(path: Path, text: str) -> None:
    atomic_write_bytes(Path(path), text.encode())


def _cell(text: str) -> str:
    """A Markdown table cell: ``|`` escaped, newlines folded."""
    return str(text).replace("|", "\\|").replace("\n", " ")


def write_reports(verdicts: Sequence[Verdict], out: Path, figures: Sequence[Path] = (),
                  other_claims: Sequence[str] = ()) -> tuple[Path, Path]:
    """Write ``report.json`` (the contract of docs/design.md) and ``report.md``.

    ``report.json``: ``{"rltheory_version", "counts", "papers": [family-wise
    statement per paper], "claims": [Verdict.to_json() ...]}``; each claim has
    ``verdict`` in ``consistent | violated | inconclusive | vacuous`` and
    ``alternatives``, each ``{"name", "verdict", "estimate", "ci", ...}``, and
    its Holm-adjusted p-value within its paper (``holm_p``).  ``covers`` lists
    the claims of this report and ``store_also_holds`` the other claims whose
    results are in the folder's store (from another run on the same folder).
    """
    import rltheory
    out = Path(out)
    rj, rm = out / "report.json", out / "report.md"
    papers = [family_wise(vs) for vs in by_paper(verdicts).values()]
    holm_p = {i: q for fw in papers for i, q in fw["claims"].items()}
    claims = []
    for v in verdicts:
        d = v.to_json()
        d["holm_p"] = holm_p.get(v.claim.id)
        claims.append(d)
    covers = [v.claim.id for v in verdicts]
    payload = {"rltheory_version": rltheory.__version__, "covers": covers,
               "store_also_holds": list(other_claims), "counts": counts(verdicts), "papers": papers,
               "claims": claims}
    _atomic_write(rj, json.dumps(payload, indent=1))
    figs = {Path(f).stem: Path(f) for f in figures if str(f).endswith(".png")}
    md = ["# rltheory verification report", "",
          f"Scale: `{verdicts[0].scale if verdicts else '-'}`. Verdicts: `consistent` (the claim's learner "
          "passes the check and an alternative on the same instances fails it), `violated` (runs break the "
          "bound), `inconclusive` (the interval is too wide, or no alternative came out violated: the check "
          "lacks power), `vacuous` (every alternative passes too: the instance fixes the quantity tested, so "
          "the run is no evidence for the statement).", "",
          f"**{counts_line(verdicts)}.**", "",
          f"This report covers the {len(covers)} claims of the last run on this folder."
          + (f" The results store also holds {len(other_claims)} claims not in it ({', '.join(other_claims)}): "
             "run `rltheory report --out <this folder>` with their claim files to report them."
             if other_claims else ""), ""]
    for fw in papers:
        md.append(f"- *{fw['paper']}*: {fw['statement']}.")
    md += ["", "| claim | fidelity | claim's estimate (threshold) | alternatives on the same instances | verdict |",
           "| --- | --- | --- | --- | --- |"]
    for v in verdicts:
        md.append(f"| `{v.claim.id}` | {v.claim.fidelity} | {_cell(figure_text(v))} "
                  f"| {_cell(alternatives_text(v, '<br>'))} | **{v.label}** |")
    for v in verdicts:
        c = v.claim
        md += ["", f"## `{c.id}`", "", f"*{c.source.cite()}*", "", _cell(c.statement), "",
               f"- fidelity: **{c.fidelity}**" + (f" — {c.fidelity_note}" if c.fidelity_note else ""),
               f"- instance: {c.experiment.instance}" if c.experiment.instance else "- instance: —",
               f"- check ({c.kind} claim): {c.check.kind} on `{c.metric}`; {v.main.detail}",
               f"- p-value of the decision: {_fmt(v.p_value)}; Holm within the paper: "
               f"{_fmt(holm_p.get(c.id))}"]
        for a in v.alternatives:
            md.append(f"- alternative **{a.name}** ({a.alternative.role}; {a.alternative.description}): "
                      f"**{a.status}**; {a.result.detail}")
        md.append(f"- verdict: **{v.label}** ({len(v.runs)} runs)")
        if c.id in figs:
            md += ["", f"![{c.id}]({figs[c.id].relative_to(out).as_posix()})"]
    _atomic_write(rm, "\n".join(md) + "\n")
    return rj, rm


def write_figures(verdicts: Sequence[Verdict], folder: Path) -> list[Path]:
    """One figure per claim with fitted series (rate checks); returns the written paths."""
    from .. import plot
    paths: list[Path] = []
    for v in verdicts:
        if not v.main.series and not any(a.result.series for a in v.alternatives):
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
