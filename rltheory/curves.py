"""Learning curves logged at geometrically spaced episodes plus the last one."""

from __future__ import annotations

import numpy as np

from ._validation import check_int


def geometric_steps(n: int, per_decade: int = 10) -> np.ndarray:
    """Episode counts ``1 <= k <= n`` at which a learning curve is logged.

    About ``per_decade`` points per factor of 10, always including 1 and ``n``;
    strictly increasing ``int64``.  Long curves stay small and plot evenly on
    log axes.

    >>> geometric_steps(100, per_decade=2).tolist()
    [1, 3, 10, 32, 100]
    """
    n = check_int(n, "n", minimum=1)
    per_decade = check_int(per_decade, "per_decade", minimum=1)
    num = int(np.ceil(np.log10(n) * per_decade)) + 1 if n > 1 else 1
    ks = np.unique(np.round(np.logspace(0.0, np.log10(n), num)).astype(np.int64))
    ks = ks[(ks >= 1) & (ks <= n)]
    if ks[-1] != n:
        ks = np.append(ks, n)
    return ks


def seed_band(values, axis: int = 1) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Mean, minimum and maximum over the seeds axis of ``values``: the ``(mean, low, high)`` of a curve
    drawn with its band (:func:`rltheory.plot.curves_figure`).  ``axis=1`` for ``values (x, seeds)``,
    ``axis=0`` for ``values (seeds, x)``."""
    v = np.asarray(values, dtype=float)
    return v.mean(axis=axis), v.min(axis=axis), v.max(axis=axis)
