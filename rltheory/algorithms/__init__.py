"""Learners; one module per algorithm family.

* :func:`ucbvi` -- UCBVI-CH / UCBVI-BF (Azar, Osband & Munos 2017).
* :func:`greedy`, :func:`explore_then_commit` -- negative controls without bonus.
* :class:`LearnerRun` -- the per-episode record every learner returns.
"""

from .baselines import explore_then_commit, greedy
from .harness import LearnerRun
from .ucbvi import BonusConstants, ucbvi

__all__ = ["ucbvi", "BonusConstants", "greedy", "explore_then_commit", "LearnerRun"]
