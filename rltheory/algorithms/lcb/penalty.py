r"""The penalty scale shared by the LCB learners of arXiv 2103.12021.

Rashidinejad, Zhu, Ma, Jiao & Russell, *Bridging Offline Reinforcement
Learning and Imitation Learning: A Tale of Pessimism*, NeurIPS 2021.

Every penalty of :mod:`rltheory.algorithms.lcb` is written
:math:`b = c \cdot \kappa \cdot \sqrt{\ell / n}` with :math:`\ell` the paper's
log term, :math:`\kappa` the range (1 for bandits, :math:`V_{\max}` for VI-LCB,
:math:`H` for Algorithm 4) and ``c`` the scale: ``c="literal"`` is the paper's
constant (:data:`LITERAL_C`: :math:`1/\sqrt2` for Algorithm 1, :math:`\sqrt{2000}`
for Algorithms 2-4).  With the literal constants of Algorithms 2-4 the penalty
exceeds the reward range unless :math:`N(s,a) \gtrsim 3\cdot 10^4`, so at
laptop scale the algorithms degenerate: Algorithm 2 with the paper's unseen
convention prefers never-seen actions, VI-LCB returns its behaviour-cloning
initialisation, Algorithm 4 becomes count-driven.  Scaled values ``c`` (e.g.
0.1, 0.3, 1) keep the form and the log term; every experiment states the ``c``
it uses.
"""

from __future__ import annotations

import math

from ..._errors import ValidationError

__all__ = ["LITERAL_C", "penalty_c"]

#: The paper's penalty constants in the form :math:`b = c\,\kappa\sqrt{\ell/n}`, per algorithm
#: (``"mab"``: Algorithm 1, ``"cb"``: Algorithm 2, ``"vi_lcb"``: Algorithm 3, ``"episodic"``: Algorithm 4).
LITERAL_C = {"mab": 1.0 / math.sqrt(2.0), "cb": math.sqrt(2000.0), "vi_lcb": math.sqrt(2000.0),
             "episodic": math.sqrt(2000.0)}


def penalty_c(c, algorithm: str) -> float:
    """The numeric scale ``c`` of a penalty.

    Parameters
    ----------
    c : float >= 0 or "literal"
        ``"literal"`` is the paper's constant of ``algorithm`` (:data:`LITERAL_C`).
    algorithm : {"mab", "cb", "vi_lcb", "episodic"}

    Returns
    -------
    float

    Examples
    --------
    >>> round(penalty_c("literal", "cb") ** 2, 9)
    2000.0
    >>> penalty_c(0.3, "cb")
    0.3
    """
    if isinstance(c, str):
        if c != "literal":
            raise ValidationError(f"c = {c!r} (rule: a number >= 0 or 'literal')")
        return LITERAL_C[algorithm]
    c = float(c)
    if not (c >= 0 and math.isfinite(c)):
        raise ValidationError(f"c = {c} (rule: a finite number >= 0 or 'literal')")
    return c
