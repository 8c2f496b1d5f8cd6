"""Wall-clock timing for the speed benchmarks (``benchmarks/bench_*.py``, ``rltheory bench``)."""

from __future__ import annotations

import time
from typing import Callable

__all__ = ["best_of"]


def best_of(fn: Callable[[], object], repeats: int, *, warmup: bool = False) -> tuple[float, object]:
    """Best wall time in seconds of ``repeats`` calls of ``fn()``, and the last call's output.

    The minimum over repeats is the least disturbed by other work on the machine; ``warmup`` makes one
    untimed call first (Numba compilation, caches).  Speeds are reported as ratios of two such times
    measured in the same run.
    """
    if repeats < 1:
        raise ValueError(f"repeats = {repeats}: rule: at least one timed call")
    if warmup:
        fn()
    best, out = float("inf"), None
    for _ in range(repeats):
        t0 = time.perf_counter()
        out = fn()
        best = min(best, time.perf_counter() - t0)
    return best, out
