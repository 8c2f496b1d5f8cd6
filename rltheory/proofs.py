r"""Checks of individual proof steps (``proofs_check/<paper>.py``).

Each function named ``check_*`` in a file of ``proofs_check/`` checks one step
of a proof (an identity, an inequality, a closed form, a constant) and returns
a :class:`ProofStep`:

* ``method="symbolic"``: sympy proves the statement for all parameters in the
  stated domain;
* ``method="numeric"``: it is checked on a stated grid (or by hypothesis), and
  ``detail`` says which.

A failing step is reported, never skipped: a wrong statement in a paper is a
finding.  ``rltheory proofs`` runs them all and the tests assert each one.
"""

from __future__ import annotations

import traceback
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

from ._errors import ValidationError
from ._loading import functions_named, load_file, python_files
from ._paths import default_folder

METHODS = ("symbolic", "numeric")
DEFAULT_PATH = "proofs_check"


@dataclass(frozen=True)
class ProofStep:
    """The outcome of checking one proof step.

    Attributes
    ----------
    name : str
    statement : str
        The statement in mathematical notation (plain text or LaTeX).
    source : str
        Paper, arXiv id and lemma/equation.
    method : {"symbolic", "numeric"}
    holds : bool
    detail : str
        For numeric checks the grid; for failures the counterexample.
    """

    name: str
    statement: str
    source: str
    method: str
    holds: bool
    detail: str = ""

    def __post_init__(self):
        if self.method not in METHODS:
            raise ValidationError(f"ProofStep.method = {self.method!r} (rule: one of {METHODS})")
        object.__setattr__(self, "holds", bool(self.holds))


def discover_checks(paths: Sequence[str | Path] | None = None) -> list[tuple[str, object]]:
    """``(file stem, function)`` for every ``check_*`` function in the proof files."""
    out = []
    for f in python_files(list(paths) if paths else [default_folder(DEFAULT_PATH)], "proof"):
        mod = load_file(f, "rltheory_proofs")
        out.extend((f.stem, fn) for fn in functions_named(mod, "check_"))
    return out


def run_checks(paths: Sequence[str | Path] | None = None) -> list[tuple[str, ProofStep]]:
    """Run every proof check; an exception becomes a failed step with its traceback."""
    results = []
    for paper, fn in discover_checks(paths):
        try:
            step = fn()
            if not isinstance(step, ProofStep):
                raise TypeError(f"{fn.__name__} returned {type(step).__name__}, not ProofStep")
        except Exception:  # a crashing check is a failing check, reported
            step = ProofStep(fn.__name__, "(check raised)", paper, "numeric", False,
                             traceback.format_exc(limit=3))
        results.append((paper, step))
    return results
