"""Argument checks shared by the statistics modules (raise :class:`ValidationError`)."""

from __future__ import annotations

import numpy as np

from .._errors import ValidationError

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


def check_probability(p, name: str, *, open_low: bool = False, open_high: bool = False) -> float:
    """Require a probability in [0, 1] (optionally excluding an end point)."""
    try:
        v = float(p)
    except (TypeError, ValueError):
        raise ValidationError(f"{name} = {p!r} (rule: a number in [0, 1])") from None
    lo_ok = v > 0.0 if open_low else v >= 0.0
    hi_ok = v < 1.0 if open_high else v <= 1.0
    if not (lo_ok and hi_ok):
        lo = "(" if open_low else "["
        hi = ")" if open_high else "]"
        raise ValidationError(f"{name} = {p!r} (rule: {name} must lie in {lo}0, 1{hi})")
    return v


def check_method(method, allowed=BOOTSTRAP_METHODS, name: str = "method") -> str:
    if method not in allowed:
        raise ValidationError(f"{name} = {method!r} (rule: one of {', '.join(map(repr, allowed))})")
    return method
