"""Validation helpers shared by models, solvers and generators.

Each helper either returns a clean float64 / int64 array or raises
:class:`rltheory.ValidationError` whose message names the array, the first
offending index and the rule broken.  Checks are vectorised numpy, run once in
the Python layer; Numba kernels never check.
"""

from __future__ import annotations

import numpy as np

from ._errors import ValidationError

#: Absolute tolerance on the sum of a probability vector.
PROB_ATOL = 1e-8
#: Absolute tolerance on reward ranges (rewards may exceed a bound by this much).
REWARD_ATOL = 1e-12


def _idx(index) -> str:
    return "[" + ", ".join(str(int(i)) for i in index) + "]"


def as_float_array(x, name: str, ndim: int | tuple[int, ...] | None = None) -> np.ndarray:
    """Copy ``x`` into a C-contiguous float64 array, checking dimension and finiteness.

    Always copies, so a model never shares memory with (and is never changed
    through) the caller's array.
    """
    try:
        arr = np.array(x, dtype=np.float64, copy=True, order="C")
    except (TypeError, ValueError) as exc:
        raise ValidationError(f"{name} could not be converted to a float64 array ({exc}) "
                              "(rule: numeric array)") from None
    if ndim is not None:
        allowed = (ndim,) if isinstance(ndim, int) else tuple(ndim)
        if arr.ndim not in allowed:
            raise ValidationError(
                f"{name} has shape {arr.shape} with {arr.ndim} dimensions "
                f"(rule: {name} must have {' or '.join(map(str, allowed))} dimensions)")
    bad = ~np.isfinite(arr)
    if bad.any():
        where = np.argwhere(bad)[0]
        raise ValidationError(
            f"{name}{_idx(where)} = {arr[tuple(where)]} (rule: entries must be finite, no NaN or inf)")
    return arr


def check_shape(arr: np.ndarray, name: str, shape: tuple) -> None:
    """Require ``arr.shape == shape``; ``None`` entries in ``shape`` match anything."""
    if arr.ndim != len(shape) or any(s is not None and a != s for a, s in zip(arr.shape, shape)):
        want = "(" + ", ".join("*" if s is None else str(s) for s in shape) + ")"
        raise ValidationError(f"{name} has shape {arr.shape} (rule: expected shape {want})")


def check_distribution(arr: np.ndarray, name: str, atol: float = PROB_ATOL) -> None:
    """Require every vector along the last axis to be a probability distribution.

    Entries must be >= 0 and each vector must sum to 1 within ``atol``.
    """
    neg = arr < 0
    if neg.any():
        where = np.argwhere(neg)[0]
        raise ValidationError(
            f"{name}{_idx(where)} = {arr[tuple(where)]:.6g} is negative "
            "(rule: probabilities must be non-negative)")
    sums = arr.sum(axis=-1)
    off = np.abs(sums - 1.0) > atol
    if np.ndim(off) == 0:
        if off:
            raise ValidationError(
                f"{name} sums to {float(sums):.12g} (rule: {name} must sum to 1 within {atol:g})")
        return
    if off.any():
        where = np.argwhere(off)[0]
        raise ValidationError(
            f"{name}{_idx(where)[:-1]}, :] sums to {sums[tuple(where)]:.12g} "
            f"(rule: rows of {name} must sum to 1 within {atol:g}; the matrix must be stochastic)")


def check_range(arr: np.ndarray, name: str, lo: float, hi: float, what: str = "entries") -> None:
    """Require ``lo <= arr <= hi`` (with tolerance :data:`REWARD_ATOL`)."""
    bad = (arr < lo - REWARD_ATOL) | (arr > hi + REWARD_ATOL)
    if bad.any():
        where = np.argwhere(bad)[0]
        raise ValidationError(
            f"{name}{_idx(where)} = {arr[tuple(where)]:.6g} "
            f"(rule: {what} must lie in [{lo:g}, {hi:g}])")


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


def check_layers(layer, S: int, name: str = "layer") -> np.ndarray:
    """``layer[s]`` of a layered state space: an int array ``(S,)`` whose values are ``0..H-1``, every
    layer non-empty.  Returns it as int64."""
    arr = np.asarray(layer)
    if arr.dtype.kind not in "iu" or arr.shape != (S,):
        raise ValidationError(f"{name} has dtype {arr.dtype} and shape {arr.shape} "
                              f"(rule: int array of shape ({S},))")
    arr = arr.astype(np.int64)
    H = int(arr.max()) + 1
    if arr.min() != 0 or set(np.unique(arr).tolist()) != set(range(H)):
        raise ValidationError(f"{name} = {arr.tolist()} (rule: layers 0..H-1, each non-empty)")
    return arr


def check_int(value, name: str, minimum: int = 1) -> int:
    """Require an integer scalar ``>= minimum``."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, np.integer)):
        raise ValidationError(f"{name} = {value!r} (rule: {name} must be an integer)")
    if value < minimum:
        raise ValidationError(f"{name} = {value} (rule: {name} must be >= {minimum})")
    return int(value)


def check_tolerance(value, name: str) -> float:
    """A tolerance: a finite number ``>= 0`` (booleans and NaN are refused)."""
    if isinstance(value, bool):
        raise ValidationError(f"{name} = {value!r} (rule: a finite number >= 0)")
    try:
        v = float(value)
    except (TypeError, ValueError):
        raise ValidationError(f"{name} = {value!r} (rule: a finite number >= 0)") from None
    if not (np.isfinite(v) and v >= 0):
        raise ValidationError(f"{name} = {value!r} (rule: a finite number >= 0)")
    return v


POLICY_KINDS = (None, "deterministic", "stochastic")


def check_policy(policy, H: int, S: int, A: int, name: str = "policy", kind: str | None = None,
                 stationary_only: bool = False) -> np.ndarray:
    """Validate a deterministic ``int (H, S)`` or stochastic ``float (H, S, A)`` policy.

    Returns an int64 array for deterministic policies and a float64 array for
    stochastic ones.  A stationary policy of shape ``(S,)`` or ``(S, A)`` is
    broadcast over the ``H`` steps (``stationary_only``: only those shapes are
    accepted, and the result has ``H = 1``).

    The kind is read off the dtype: integers are actions, floats are
    probabilities.  A float array whose entries are all whole numbers and whose
    shape fits both a deterministic ``(H, S)`` policy and a stationary
    stochastic ``(S, A)`` one is ambiguous and refused unless ``kind`` says
    which it is; ``kind="deterministic"`` also accepts whole-number floats as
    actions.  Boolean arrays are refused.  Error messages index the array the
    caller passed, before any broadcasting.
    """
    if kind not in POLICY_KINDS:
        raise ValidationError(f"kind = {kind!r} (rule: one of {POLICY_KINDS})")
    arr = np.asarray(policy)
    if arr.dtype == np.bool_:
        raise ValidationError(f"{name} has dtype bool (rule: a policy is integer actions (H, S) or "
                              "action probabilities (H, S, A); booleans are neither)")
    det_shapes = [(S,)] if stationary_only else [(S,), (H, S)]
    if arr.dtype.kind == "f" and kind == "deterministic":
        if arr.ndim in (1, 2) and np.all(np.isfinite(arr)) and np.all(arr == np.round(arr)):
            arr = arr.astype(np.int64)
        else:
            raise ValidationError(f"{name} is not whole numbers (rule: kind='deterministic' takes actions)")
    elif arr.dtype.kind == "f" and kind is None and arr.ndim == 2 and arr.shape in det_shapes \
            and arr.shape == (S, A) and np.all(np.isfinite(arr)) and np.all(arr == np.round(arr)):
        raise ValidationError(
            f"{name} has shape {arr.shape} and whole-number float entries: it reads as a deterministic "
            f"(H, S) policy coded as floats or as a stationary stochastic (S, A) policy (rule: pass integer "
            "actions for a deterministic policy, or say kind='stochastic' / kind='deterministic')")
    if arr.dtype.kind in "iu":
        if kind == "stochastic":
            raise ValidationError(f"{name} has integer dtype with kind='stochastic' "
                                  "(rule: a stochastic policy is float action probabilities)")
        if arr.shape not in det_shapes:
            want = " or ".join(str(t) for t in det_shapes)
            raise ValidationError(f"{name} has shape {arr.shape} (rule: a deterministic policy has shape {want} "
                                  f"with H={H}, S={S})")
        bad = (arr < 0) | (arr >= A)
        if bad.any():
            where = np.argwhere(bad)[0]
            raise ValidationError(
                f"{name}{_idx(where)} = {arr[tuple(where)]} "
                f"(rule: actions of a deterministic policy must lie in 0..{A - 1})")
        out = np.broadcast_to(arr, (1 if stationary_only else H, S))
        return np.ascontiguousarray(out, dtype=np.int64)
    arr = as_float_array(arr, name, ndim=(2,) if stationary_only else (2, 3))
    check_shape(arr, name, (S, A) if arr.ndim == 2 else (H, S, A))
    check_distribution(arr, name)
    if arr.ndim == 2:
        arr = np.ascontiguousarray(np.broadcast_to(arr, (1 if stationary_only else H,) + arr.shape))
    return arr