"""Argument checks shared by the statistics modules (raise :class:`ValidationError`)."""

from __future__ import annotations

import numpy as np

from .._errors import ValidationError
from .._validation import check_probability  # noqa: F401  (re-exported for the statistics modules)

#: Interval methods computed from a bootstrap distribution (see ``_interval_from_replicates``).
BOOTSTRAP_METHODS = ("percentile", "basic", "bca", "expanded", "expanded_bca")


def check_level(level, name: str = "level") -> float:
    """Require a two-sided confidence level strictly between 0 and 1."""
    try:
        lv = float(level)
    except (TypeError, ValueError):
        raise ValidationError(f"{name} = {level!r} (rule: a number in (0, 1))") from None
    if not 0.0 < lv < 1.0:
        raise ValidationError(f"{name} = {level!r} (rule: {name} must lie strictly between 0 and 1)")
    return lv


def check_method(method, allowed=BOOTSTRAP_METHODS, name: str = "method") -> str:
    if method not in allowed:
        raise ValidationError(f"{name} = {method!r} (rule: one of {', '.join(map(repr, allowed))})")
    return method
