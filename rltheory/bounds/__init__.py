r"""Theorems as functions of instance parameters.

A :class:`Bound` records what a theorem asserts about a measured quantity
(regret, suboptimality, sample complexity, ...):

* its **direction**: an upper bound (the quantity grows no faster than stated)
  or a lower bound (no algorithm does better);
* the **exponent** it asserts for each parameter, e.g. UCBVI's
  :math:`\tilde O(H\sqrt{SAK})` asserts exponent 1/2 in ``K``, ``S`` and ``A``;
* whether **log factors** are allowed and their power: a factor
  :math:`\log^p L(x)` whose argument grows at most linearly in the parameter
  (e.g. UCBVI's :math:`L = \ln(5SAT/\delta)`) lets the local log–log slope
  exceed the exponent by at most :math:`p / \ln L(x_{\min})` on a range starting
  at :math:`x_{\min}`; without a stated argument, :math:`L(x) = x`;
* optionally an **explicit formula** with the theorem's constants and its
  failure probability :math:`\delta`, for explicit checks;
* its **source**: paper, arXiv id, theorem number.
"""

from __future__ import annotations


from dataclasses import dataclass, field
from typing import Callable, Literal, Mapping

from .._errors import ValidationError
from ..fidelity import FIDELITY  # noqa: F401  (re-exported for claim files)
from ..stats import local_log_slope_tolerance



@dataclass(frozen=True)
class Source:
    """Where a statement comes from: paper title, authors, venue, arXiv id, theorem."""

    paper: str
    arxiv: str = ""
    theorem: str = ""
    authors: str = ""
    venue: str = ""

    def cite(self) -> str:
        """One-line citation, e.g. ``Azar et al., Minimax Regret Bounds ... (arXiv 1703.05449), Thm 1``."""
        who = f"{self.authors}, " if self.authors else ""
        arx = f" (arXiv {self.arxiv})" if self.arxiv else ""
        thm = f", {self.theorem}" if self.theorem else ""
        return f"{who}{self.paper}{arx}{thm}"

    def short(self) -> str:
        """Compact label: ``arXiv 1703.05449 Thm 1``."""
        parts = [f"arXiv {self.arxiv}" if self.arxiv else self.paper[:40], self.theorem]
        return " ".join(p for p in parts if p)


@dataclass(frozen=True)
class Bound:
    """A theorem's bound on a measured quantity.

    Parameters
    ----------
    name : str
        What is bounded, e.g. ``"cumulative regret"``.
    direction : {"upper", "lower"}
    exponents : mapping str -> float
        The exponent the theorem asserts for each parameter (``{"K": 0.5}``).
    source : Source
    log_power : float
        Power ``p`` of the polylog factors the statement hides (0 = none).
    log_argument : callable, optional
        ``log_argument(**params) -> float``: the argument of the hidden
        logarithm (default: the checked parameter itself).  Must grow at most
        linearly in each parameter.
    formula : callable, optional
        ``formula(**params) -> float``: the bound's value with the theorem's
        constants, used by explicit checks.
    failure_probability : float, optional
        ``delta`` when the bound holds with probability at least ``1 - delta``.
    """

    name: str
    direction: Literal["upper", "lower"]
    exponents: Mapping[str, float]
    source: Source
    log_power: float = 0.0
    log_argument: Callable[..., float] | None = field(default=None, compare=False)
    formula: Callable[..., float] | None = field(default=None, compare=False)
    failure_probability: float | None = None

    def __post_init__(self):
        if self.direction not in ("upper", "lower"):
            raise ValidationError(f"Bound.direction = {self.direction!r} (rule: 'upper' or 'lower')")
        if self.log_power < 0:
            raise ValidationError(f"Bound.log_power = {self.log_power} (rule: must be >= 0)")
        if self.failure_probability is not None and not 0 <= self.failure_probability < 1:
            raise ValidationError(f"Bound.failure_probability = {self.failure_probability} "
                                  "(rule: must lie in [0, 1))")
        object.__setattr__(self, "exponents", dict(self.exponents))

    def exponent(self, param: str) -> float:
        """The exponent asserted for ``param``."""
        if param not in self.exponents:
            raise ValidationError(f"bound {self.name!r} asserts no exponent for {param!r} "
                                  f"(rule: one of {sorted(self.exponents)})")
        return float(self.exponents[param])

    def log_tolerance(self, param: str, params: Mapping[str, float]) -> float:
        r"""Largest local log–log slope the polylog factor can add at ``params`` (the range's start).

        :math:`\frac{d \ln \ln^p L}{d \ln x} = \frac{p}{\ln L}\frac{d\ln L}{d\ln x} \le \frac{p}{\ln L}`
        when :math:`L` grows at most linearly in :math:`x`; decreasing in :math:`L`,
        so its value at the start of the range bounds it on the whole range.
        """
        if not self.log_power:
            return 0.0
        arg = float(self.log_argument(**params)) if self.log_argument else float(params[param])
        if not arg > 1.0:
            raise ValidationError(f"bound {self.name!r}: log argument {arg:g} at {dict(params)} "
                                  "(rule: must exceed 1 for a polylog allowance)")
        return local_log_slope_tolerance(arg, self.log_power)

    def __call__(self, **params) -> float:
        """Value of the explicit formula at ``params``."""
        if self.formula is None:
            raise ValidationError(f"bound {self.name!r} has no explicit formula "
                                  "(rule: explicit checks need Bound.formula)")
        return float(self.formula(**params))

    def describe(self) -> str:
        """E.g. ``upper bound on cumulative regret ~ K^0.5 S^0.5 (polylog^1)``."""
        terms = " ".join(f"{k}^{v:g}" for k, v in self.exponents.items())
        logs = f" (polylog^{self.log_power:g})" if self.log_power else ""
        return f"{self.direction} bound on {self.name} ~ {terms}{logs}"
