"""Vectorised pieces of the log–log slope fit: NaN-aware column estimators and masked OLS.

No validation here; :mod:`rltheory.stats.slopes` validates once.
"""

from __future__ import annotations

import numpy as np

ESTIMATORS = ("mean", "iqm", "median")


def column_estimates(Y: np.ndarray, estimator: str) -> np.ndarray:
    """Estimator over the seed axis ``-2`` of ``Y`` (shape ``(..., n, n_x)``), ignoring NaN.

    Returns shape ``(..., n_x)``; NaN where a column has no value.  ``"iqm"``
    uses scipy's ``trim_mean`` cut ``g = floor(c/4)`` on the ``c`` present
    values; ``"median"`` averages the two middle order statistics for even ``c``.
    """
    valid = ~np.isnan(Y)
    cnt = valid.sum(axis=-2)
    with np.errstate(invalid="ignore", divide="ignore"):
        if estimator == "mean":
            return np.where(valid, Y, 0.0).sum(axis=-2) / np.where(cnt > 0, cnt, np.nan)
        s = np.sort(Y, axis=-2)  # NaN sorted last
        if estimator == "median":
            lo = np.maximum((cnt - 1) // 2, 0)
            hi = np.maximum(cnt // 2, 0)
            a = np.take_along_axis(s, lo[..., None, :], axis=-2)[..., 0, :]
            b = np.take_along_axis(s, hi[..., None, :], axis=-2)[..., 0, :]
            return np.where(cnt > 0, 0.5 * (a + b), np.nan)
        if estimator == "iqm":
            g = cnt // 4
            cs = np.concatenate([np.zeros(s.shape[:-2] + (1,) + s.shape[-1:]),
                                 np.cumsum(np.where(np.isnan(s), 0.0, s), axis=-2)], axis=-2)
            top = np.take_along_axis(cs, (cnt - g)[..., None, :], axis=-2)[..., 0, :]
            bot = np.take_along_axis(cs, g[..., None, :], axis=-2)[..., 0, :]
            return np.where(cnt > 0, (top - bot) / np.where(cnt > 0, cnt - 2 * g, 1), np.nan)
    raise ValueError(estimator)


def ols_slopes(u: np.ndarray, V: np.ndarray):
    """Least-squares slope and intercept of each row of ``V`` (shape ``(..., n_x)``) on ``u``.

    Non-finite entries of ``V`` are left out of that row's fit; rows with
    fewer than two points (or no spread in ``u``) give NaN.
    """
    M = np.isfinite(V)
    if M.all():
        ub = u.mean()
        du = u - ub
        sxx = (du * du).sum()                      # elementwise + numpy's pairwise sum: no BLAS
        vb = V.mean(axis=-1)
        slope = (V * du).sum(axis=-1) / sxx if sxx > 0 else np.full(V.shape[:-1], np.nan)
        return slope, vb - slope * ub
    Mf = M.astype(np.float64)
    Vz = np.where(M, V, 0.0)
    with np.errstate(invalid="ignore", divide="ignore"):
        cnt = Mf.sum(axis=-1)
        ub = (Mf * u).sum(axis=-1) / cnt
        vb = Vz.sum(axis=-1) / cnt
        du = Mf * (u - ub[..., None])
        sxx = (du * du).sum(axis=-1)
        sxy = (du * (Vz - vb[..., None])).sum(axis=-1)
        ok = (cnt >= 2) & (sxx > 0)
        slope = np.where(ok, sxy / np.where(ok, sxx, 1.0), np.nan)
        return slope, np.where(ok, vb - slope * ub, np.nan)


def replicate_slopes(u: np.ndarray, Y: np.ndarray, idx: np.ndarray, estimator: str,
                     chunk_values: int = 1 << 21) -> np.ndarray:
    """Slopes of log(estimator) on ``u`` for the row resamples ``Y[idx[b]]``; shape ``(B,)``."""
    B, m = idx.shape
    nx = Y.shape[1]
    out = np.empty(B)
    step = max(1, chunk_values // (m * nx))
    with np.errstate(divide="ignore", invalid="ignore"):
        for s in range(0, B, step):
            E = column_estimates(Y[idx[s:s + step]], estimator)
            out[s:s + step] = ols_slopes(u, np.log(E))[0]
    return out
