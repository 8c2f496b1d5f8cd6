"""Verdicts: a claim's check and its alternatives' checks, combined.

Every arm (the claim's learner, and each :class:`~rltheory.claims.Alternative`
run on the claim's own instances, sweep and seeds) goes through the same
check.  The rule:

* the claim's own check ``violated``     -> ``violated`` (with the runs that break it);
* the claim's own check ``inconclusive`` -> ``inconclusive`` (what scale would decide);
* the claim's check ``consistent`` and

  - some alternative ``violated``       -> ``consistent``: the check could fail, and did fail for
    a learner a reader would try instead;
  - every alternative ``consistent``    -> ``vacuous``: the instance fixes the quantity being
    tested, so this run cannot tell the paper's learner from the alternatives;
  - otherwise (no alternative violated, some undecided) -> ``inconclusive`` with the reason
    ``check lacks power``.

``vacuous`` is a finding, not a defect: it says the experiment as built is no
evidence for the statement.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Sequence

from .checks import CheckResult

VERDICTS = ("consistent", "violated", "inconclusive", "vacuous")


def _num(x: float):
    return None if x is None or (isinstance(x, float) and not math.isfinite(x)) else float(x)


@dataclass(frozen=True)
class AlternativeResult:
    """One alternative's outcome under the claim's check.

    Attributes
    ----------
    alternative : Alternative
    result : CheckResult
    """

    alternative: object
    result: CheckResult

    @property
    def name(self) -> str:
        return self.alternative.name

    @property
    def status(self) -> str:
        return self.result.status

    def to_json(self) -> dict:
        a, r = self.alternative, self.result
        check = _check_json(r)
        check["figure"] = check.pop("name")
        return {**check, "name": a.name, "role": a.role, "description": a.description,
                "overrides": dict(a.overrides), "verdict": r.status,
                "estimate": _num(r.estimate), "ci": [_num(r.low), _num(r.high)]}


@dataclass(frozen=True)
class Verdict:
    """The verdict on one claim.

    Attributes
    ----------
    claim : Claim
    status : {"consistent", "violated", "inconclusive", "vacuous"}
    reason : str
        ``""``, or why the status is what it is when that is not the claim's own
        check (``"check lacks power"``, ``"every alternative passes too"``).
    main : CheckResult
        The claim's own check.
    alternatives : tuple of AlternativeResult
        The same check on each alternative, in the claim's order.
    scale : str
    runs : tuple of dict
        ``{key, arm, seed, config}`` of every run behind the verdict.
    """

    claim: object
    status: str
    reason: str
    main: CheckResult
    alternatives: tuple
    scale: str
    runs: tuple = ()

    @property
    def label(self) -> str:
        """``consistent`` / ``violated`` / ``vacuous`` / ``inconclusive (check lacks power)``."""
        return f"{self.status} ({self.reason})" if self.reason else self.status

    @property
    def p_value(self) -> float:
        """p-value of the claim's own decision (``nan`` when undecided)."""
        return self.main.p_value

    def to_json(self) -> dict:
        c = self.claim
        return {
            "id": c.id,
            "paper": c.source.paper,
            "source": {"paper": c.source.paper, "authors": c.source.authors, "venue": c.source.venue,
                       "arxiv": c.source.arxiv, "theorem": c.source.theorem},
            "statement": c.statement,
            "kind": c.kind,
            "fidelity": c.fidelity,
            "fidelity_note": c.fidelity_note,
            "instance": c.experiment.instance,
            "check": c.check.kind,
            "metric": c.metric,
            "scale": self.scale,
            "verdict": self.status,
            "reason": self.reason,
            "figure": _check_json(self.main),
            "estimate": _num(self.main.estimate),
            "ci": [_num(self.main.low), _num(self.main.high)],
            "alternatives": [a.to_json() for a in self.alternatives],
            "runs": list(self.runs),
        }


def _check_json(r: CheckResult) -> dict:
    return {"name": r.figure_name, "estimate": _num(r.estimate), "ci": [_num(r.low), _num(r.high)],
            "threshold": _num(r.threshold), "status": r.status, "detail": r.detail,
            "p_value": _num(r.p_value), "offending_runs": list(r.offending), "n_runs": r.n_runs}


def combine(claim, main: CheckResult, alternatives: Sequence[AlternativeResult], scale: str,
            runs=()) -> Verdict:
    """Apply the rule of the module docstring."""
    alts = tuple(alternatives)
    if main.status != "consistent":
        return Verdict(claim, main.status, "", main, alts, scale, tuple(runs))
    if any(a.status == "violated" for a in alts):
        return Verdict(claim, "consistent", "", main, alts, scale, tuple(runs))
    if alts and all(a.status == "consistent" for a in alts):
        return Verdict(claim, "vacuous", "every alternative passes too", main, alts, scale, tuple(runs))
    return Verdict(claim, "inconclusive", "check lacks power", main, alts, scale, tuple(runs))


def holm(p_values: Sequence[float]) -> list[float]:
    r"""Holm's step-down adjusted p-values (Holm 1979, *Scand. J. Statist.* 6(2), 65–70).

    With :math:`p_{(1)} \le \dots \le p_{(m)}`,
    :math:`\tilde p_{(i)} = \max_{j \le i} \min\{1, (m - j + 1)\, p_{(j)}\}`;
    rejecting every hypothesis with :math:`\tilde p \le \alpha` controls the
    family-wise error at :math:`\alpha`.  ``nan`` entries (undecided or not a
    test) are left out of :math:`m` and returned as ``nan``.
    """
    idx = [i for i, p in enumerate(p_values) if p is not None and math.isfinite(p)]
    order = sorted(idx, key=lambda i: p_values[i])
    m = len(order)
    out = [float("nan")] * len(p_values)
    running = 0.0
    for rank, i in enumerate(order):
        running = max(running, min(1.0, (m - rank) * float(p_values[i])))
        out[i] = running
    return out


def family_wise(verdicts: Sequence[Verdict], alpha: float = 0.05) -> dict:
    """Holm's correction over the decided claims of one paper.

    Returns ``{"paper", "alpha", "claims": {id: holm_p}, "n_decided", "n_hold",
    "statement"}``: how many decided verdicts (``consistent``, ``vacuous`` or
    ``violated``, i.e. the claim's own check decided) still stand when the
    family-wise error over the paper's claims is held at ``alpha``.
    """
    ids = [v.claim.id for v in verdicts]
    ps = [v.p_value for v in verdicts]
    adj = holm(ps)
    decided = [(i, q) for i, q in zip(ids, adj) if math.isfinite(q)]
    hold = [i for i, q in decided if q <= alpha]
    paper = verdicts[0].claim.source.paper if verdicts else ""
    weak = [i for i, q in decided if q > alpha]
    text = (f"Holm over {len(decided)} decided claims of this paper: {len(hold)} stand at family-wise "
            f"error {alpha:g}" + (f"; not at that level: {', '.join(weak)}" if weak else ""))
    return {"paper": paper, "alpha": alpha, "claims": {i: _num(q) for i, q in zip(ids, adj)},
            "n_decided": len(decided), "n_hold": len(hold), "statement": text}
