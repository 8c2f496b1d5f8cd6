"""Verdicts: a claim's check and its negative control, combined.

The rule (DESIGN.md, "Claims"):

* the claim's own check ``violated``               -> ``violated`` (with the runs that break it);
* otherwise, if the negative control is not ``violated`` -> ``inconclusive``
  with the reason ``check lacks power`` (never ``consistent``);
* otherwise the claim's own status (``consistent`` or ``inconclusive``).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from .checks import CheckResult


def _num(x: float):
    return None if x is None or (isinstance(x, float) and not math.isfinite(x)) else float(x)


@dataclass(frozen=True)
class Verdict:
    """The verdict on one claim.

    Attributes
    ----------
    claim : Claim
    status : {"consistent", "violated", "inconclusive"}
    reason : str
        ``""``, or ``"check lacks power"`` when the negative control failed to fail.
    main, control : CheckResult
    scale : str
    runs : tuple of dict
        ``{key, arm, seed, config}`` of every run behind the verdict.
    """

    claim: object
    status: str
    reason: str
    main: CheckResult
    control: CheckResult
    scale: str
    runs: tuple = ()

    @property
    def label(self) -> str:
        """``consistent`` / ``violated`` / ``inconclusive (check lacks power)``."""
        return f"{self.status} ({self.reason})" if self.reason else self.status

    def to_json(self) -> dict:
        c = self.claim
        return {
            "id": c.id,
            "paper": c.source.paper,
            "source": {"paper": c.source.paper, "authors": c.source.authors, "venue": c.source.venue,
                       "arxiv": c.source.arxiv, "theorem": c.source.theorem},
            "statement": c.statement,
            "fidelity": c.fidelity,
            "fidelity_note": c.fidelity_note,
            "check": c.check.kind,
            "metric": c.metric,
            "scale": self.scale,
            "verdict": self.status,
            "reason": self.reason,
            "figure": _check_json(self.main),
            "control": {"description": c.control.description, "verdict": self.control.status,
                        **_check_json(self.control)},
            "runs": list(self.runs),
        }


def _check_json(r: CheckResult) -> dict:
    return {"name": r.figure_name, "estimate": _num(r.estimate), "ci": [_num(r.low), _num(r.high)],
            "threshold": _num(r.threshold), "status": r.status, "detail": r.detail,
            "offending_runs": list(r.offending), "n_runs": r.n_runs}


def combine(claim, main: CheckResult, control: CheckResult, scale: str, runs=()) -> Verdict:
    """Apply the negative-control rule of the module docstring."""
    if main.status == "violated":
        return Verdict(claim, "violated", "", main, control, scale, tuple(runs))
    if control.status != "violated":
        return Verdict(claim, "inconclusive", "check lacks power", main, control, scale, tuple(runs))
    return Verdict(claim, main.status, "", main, control, scale, tuple(runs))
