"""Claims: a paper's bound + an experiment + a check, and their verdicts.

See :mod:`rltheory.claims.claim` for the objects a claim file declares,
:mod:`rltheory.claims.checks` for the verdict logic and
:mod:`rltheory.claims.engine` for running them.
"""

from ..bounds import Bound, Source
from .checks import CheckResult, ExplicitCheck, IdentityCheck, RateCheck, Run
from .claim import Alternative, Claim, Experiment, Scale
from .registry import discover, select
from .verdict import VERDICTS, AlternativeResult, Verdict, combine, family_wise, holm

__all__ = ["Bound", "Source", "Claim", "Experiment", "Alternative", "Scale", "RateCheck",
           "ExplicitCheck", "IdentityCheck", "CheckResult", "Run", "Verdict", "AlternativeResult",
           "VERDICTS", "combine", "holm", "family_wise", "discover", "select"]
