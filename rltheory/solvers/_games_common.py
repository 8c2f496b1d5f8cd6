r"""Private helpers of the game solvers: fixed-order products, checks and per-player array views.

Shared by :mod:`.normal_form`, :mod:`.markov_games` and :mod:`.deviations`;
no public names.  The products call :mod:`rltheory.kernels.linalg` (fixed
summation order, no BLAS), so the solvers' results are the same bits on every
CPU.  The deviation views follow the array conventions of
:mod:`rltheory.kernels.games`: for player ``i`` facing the opponents' flat
joint action ``b = a_{-i}`` (C order over the other players),
``rew (H, S, A_i, B)``, ``Pn (H, S, A_i, B, S)`` and ``Opp (T, H, S, B)``.
"""

from __future__ import annotations

import numpy as np

from .._errors import ValidationError
from .._validation import as_float_array, check_distribution
from ..kernels import linalg as _la
from ..models.games import MarkovGame

__all__: list[str] = []


def _f64(a) -> np.ndarray:
    return np.ascontiguousarray(a, dtype=np.float64)


def _mv(A, x) -> np.ndarray:
    """``A @ x`` contracting the last axis of ``A (..., n)`` with ``x (n,)``, in a fixed order (no BLAS)."""
    A = _f64(A)
    out = np.empty(A.shape[:-1])
    _la.matvec(A.reshape(-1, A.shape[-1]), _f64(x), out.reshape(-1))
    return out


def _vm(x, A) -> np.ndarray:
    """``x @ A`` for ``x (n,)``, ``A (n, m)``, rows added left to right (no BLAS)."""
    A = _f64(A)
    return _la.vecmat(_f64(x), A, np.empty(A.shape[1]))


def _mm(A, B) -> np.ndarray:
    """``A @ B`` for 2-d ``A (n, k)``, ``B (k, m)`` in a fixed order (no BLAS)."""
    A, B = _f64(A), _f64(B)
    return _la.matmul(A, B, np.empty((A.shape[0], B.shape[1])))


def _dot(x, y) -> float:
    """``x @ y`` for 1-d arrays in a fixed order (no BLAS)."""
    return float(_la.dot(_f64(x), _f64(y)))


def _check_game(game) -> MarkovGame:
    if not isinstance(game, MarkovGame):
        raise ValidationError(f"game is {type(game).__name__} (rule: a rltheory.models.games.MarkovGame)")
    return game


def _weights(weights, T: int) -> np.ndarray:
    if weights is None:
        return np.full(T, 1.0 / T)
    w = as_float_array(weights, "weights", ndim=1)
    if w.shape != (T,):
        raise ValidationError(f"weights has shape {w.shape} (rule: one weight per component, ({T},))")
    check_distribution(w, "weights")
    return w


def _join_table(actions: tuple, player: int) -> np.ndarray:
    """``join[a_i, b]``: flat joint index of ``a_i`` with the opponents' flat profile ``b``."""
    if len(actions) == 1:
        return np.arange(actions[0], dtype=np.int64)[:, None]
    others = [a for j, a in enumerate(actions) if j != player]
    B = int(np.prod(others)) if others else 1
    bs = np.array(np.unravel_index(np.arange(B), others), dtype=np.int64).reshape(len(others), B)
    out = np.empty((actions[player], B), dtype=np.int64)
    for ai in range(actions[player]):
        idx = list(bs)
        idx.insert(player, np.full(B, ai, dtype=np.int64))
        out[ai] = np.ravel_multi_index(tuple(idx), actions)
    return out


def _deviation_arrays(game: MarkovGame, player: int):
    """``rew (H, S, A_i, B)`` and ``Pn (H, S, A_i, B, S)`` of player ``player`` (see the kernels)."""
    join = _join_table(game.actions, player)
    Rf = game.R_full()[player]                        # (H, S, nJ)
    rew = np.ascontiguousarray(Rf[:, :, join])        # (H, S, A_i, B)
    Pf = game.P_full()                                # (H, S, nJ, S)
    Pn = np.ascontiguousarray(Pf[:, :, join, :])      # (H, S, A_i, B, S)
    return rew, Pn, join


def _opponents(policies, player: int) -> np.ndarray:
    r"""``Opp (T, H, S, B)``: :math:`\prod_{j \ne i} \sigma^{(t)}_{j,h}(b_j \mid s)`, C order over ``j``."""
    T, H, S = policies[0].shape[:3]
    out = np.ones((T, H, S, 1))
    for j, p in enumerate(policies):
        if j == player:
            continue
        out = (out[..., :, None] * p[..., None, :]).reshape(T, H, S, -1)
    return np.ascontiguousarray(out)


def _pad(policies) -> np.ndarray:
    """``(T, m, H, S, Amax)`` zero-padded product policies."""
    T, H, S = policies[0].shape[:3]
    Amax = max(p.shape[3] for p in policies)
    out = np.zeros((T, len(policies), H, S, Amax))
    for j, p in enumerate(policies):
        out[:, j, :, :, :p.shape[3]] = p
    return out
