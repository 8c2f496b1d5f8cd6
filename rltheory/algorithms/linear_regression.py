r"""Weighted (value-targeted) ridge regression with Sherman–Morrison updates.

Value-targeted regression for linear mixture MDPs (Ayoub et al. 2020; weighted
version of Zhou, Gu & Szepesvári 2021; Zhou & Gu 2022a) regresses a target
:math:`y_t = V_t(s'_t)` on the feature :math:`x_t = \phi_{V_t}(s_t,a_t)`, where
:math:`\phi_V(s,a) = \sum_{s'}\phi(s'|s,a)V(s')`, with weights
:math:`w_t = 1/\bar\sigma_t^2`:

.. math::

    \Sigma_t = \lambda I + \sum_{\tau\le t} w_\tau x_\tau x_\tau^\top, \qquad
    b_t = \sum_{\tau \le t} w_\tau x_\tau y_\tau, \qquad
    \hat\theta_t = \Sigma_t^{-1} b_t .

The inverse is kept up to date by the Sherman–Morrison formula

.. math::

    (\Sigma + w x x^\top)^{-1} = \Sigma^{-1}
        - \frac{w\,\Sigma^{-1}x\,x^\top\Sigma^{-1}}{1 + w\,x^\top\Sigma^{-1}x},

:math:`O(d^2)` per sample.  HF-UCRL-RFE++ (Algorithm 4 of the specification)
keeps, for every moment level, a *running* matrix updated after every step and
a *snapshot* (``Sdot``) frozen at the start of each episode; both matrices and
both inverses are stored, and :math:`\hat\theta` is refreshed at episode ends
(batched).  The kernels below work on stacks ``(n, d, d)`` so that all
families and moment levels are updated in one call.

Kernels (``@njit``, no checks; the wrappers validate):

* :func:`dot_ltr`, :func:`matvec_ltr` -- inner and matrix-vector products added
  strictly left to right: the one order every regression quantity here is
  summed in (the four-chain order of :func:`rltheory.kernels.linalg.dot` gives
  other bits, and every HF-RFE result was computed in this one).
* :func:`sm_update` -- rank-one update of ``Sigma`` and ``Sigma^{-1}`` in place.
* :func:`solve_theta` -- :math:`\hat\theta = \Sigma^{-1} b` from the kept inverse.
* :func:`weighted_norm` -- :math:`\|x\|_{A} = \sqrt{\max(x^\top A x, 0)}` (guarded against
  tiny negative round-off and 0/0 when :math:`x = 0`).
* :func:`phi_V_sa`, :func:`phi_V_all` -- :math:`\phi_V(s,a)` for one or all pairs.

:class:`WeightedRidge` is a small validated Python front end (used by tests and
by users) over the same kernels.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from .._errors import ValidationError
from .._validation import as_float_array, check_int, check_shape

__all__ = ["WeightedRidge", "dot_ltr", "matvec_ltr", "sm_update", "solve_theta", "weighted_norm", "phi_V_sa",
           "phi_V_all"]


@njit(cache=True, inline="always")
def dot_ltr(x, y):
    r""":math:`x^\top y = (\dots((x_0 y_0 + x_1 y_1) + x_2 y_2) + \dots)`, added left to right; ``x, y (d,)``."""
    acc = 0.0
    for i in range(x.shape[0]):
        acc += x[i] * y[i]
    return acc


@njit(cache=True, inline="always")
def matvec_ltr(A, x, out):
    r""":math:`Ax` for ``A (n, d)``, ``x (d,)`` into ``out (n,)``: ``out[i] = dot_ltr(A[i], x)``.

    Returns nothing (returning the array would cost a reference-count update per call in a hot loop).
    """
    for i in range(A.shape[0]):           # no row views: a view per row costs more than the row's sum
        acc = 0.0
        for j in range(x.shape[0]):
            acc += A[i, j] * x[j]
        out[i] = acc


@njit(cache=True)
def sm_update(Sig, Sinv, x, w, buf):
    r"""In place: :math:`\Sigma \leftarrow \Sigma + w x x^\top`, :math:`\Sigma^{-1}` by Sherman–Morrison.

    ``Sig, Sinv`` are ``(d, d)``; ``x (d,)``; ``w > 0``; ``buf (d,)`` scratch.
    """
    d = x.shape[0]
    matvec_ltr(Sinv, x, buf)                  # buf = Sigma^{-1} x
    c = w / (1.0 + w * dot_ltr(x, buf))
    for i in range(d):
        wi = w * x[i]
        ci = c * buf[i]
        for j in range(d):
            Sig[i, j] += wi * x[j]
            Sinv[i, j] -= ci * buf[j]


@njit(cache=True)
def weighted_norm(x, A):
    r""":math:`\|x\|_A = \sqrt{\max(x^\top A x, 0)}` for ``x (d,)``, ``A (d, d)``."""
    d = x.shape[0]
    q = 0.0
    for i in range(d):
        xi = x[i]
        if xi == 0.0:
            continue
        acc = 0.0
        for j in range(d):
            acc += A[i, j] * x[j]
        q += xi * acc
    return np.sqrt(q) if q > 0.0 else 0.0


@njit(cache=True)
def phi_V_sa(phi, s, a, V, out):
    r"""``out[:] =`` :math:`\phi_V(s,a) = \sum_{s'}\phi(s'|s,a)V(s')` for ``phi (S, A, S, d)``, ``V (S,)``."""
    S, d = phi.shape[2], phi.shape[3]
    for i in range(d):
        out[i] = 0.0
    for sp in range(S):
        v = V[sp]
        if v == 0.0:
            continue
        for i in range(d):
            out[i] += phi[s, a, sp, i] * v


@njit(cache=True)
def phi_V_all(phi, V, out):
    r"""``out (S, A, d)`` = :math:`\phi_V(s,a)` for every pair."""
    for s in range(phi.shape[0]):
        for a in range(phi.shape[1]):
            phi_V_sa(phi, s, a, V, out[s, a])


@njit(cache=True)
def solve_theta(Sinv, b, out):
    r"""``out = Sinv b``: the ridge estimate :math:`\hat\theta = \Sigma^{-1} b` (``(d, d)``, ``(d,)``, ``(d,)``).

    Each entry is a :func:`dot_ltr` of a row of the kept inverse.
    """
    matvec_ltr(Sinv, b, out)


@njit(cache=True)
def _update_many(Sig, Sinv, b, X, y, w, buf):
    for t in range(X.shape[0]):
        sm_update(Sig, Sinv, X[t], w[t], buf)
        for i in range(X.shape[1]):
            b[i] += w[t] * X[t, i] * y[t]


class WeightedRidge:
    r"""Weighted ridge regression :math:`\hat\theta = (\lambda I + \sum w x x^\top)^{-1}\sum w x y`.

    Holds :math:`\Sigma`, :math:`\Sigma^{-1}` (Sherman–Morrison) and :math:`b`;
    :meth:`snapshot` freezes copies of the matrix and its inverse (the
    episode-start ``Sdot`` of HF-UCRL-RFE++).

    Parameters
    ----------
    d : int
    lam : float > 0
    """

    def __init__(self, d: int, lam: float):
        self.d = check_int(d, "d", minimum=1)
        if not lam > 0:
            raise ValidationError(f"lam = {lam} (rule: ridge parameter must be > 0)")
        self.lam = float(lam)
        self.Sigma = np.eye(self.d) * self.lam
        self.Sigma_inv = np.eye(self.d) / self.lam
        self.b = np.zeros(self.d)
        self.Sdot = self.Sigma.copy()
        self.Sdot_inv = self.Sigma_inv.copy()
        self._buf = np.zeros(self.d)

    def update(self, X, y, w=None) -> None:
        """Add samples ``X (n, d)`` (or one ``(d,)``), targets ``y (n,)``, weights ``w (n,) > 0`` (default 1)."""
        X = as_float_array(X, "X", ndim=(1, 2))
        if X.ndim == 1:
            X = X[None]
        check_shape(X, "X", (None, self.d))
        y = as_float_array(np.atleast_1d(y), "y", ndim=1)
        check_shape(y, "y", (X.shape[0],))
        w = np.ones(X.shape[0]) if w is None else as_float_array(np.atleast_1d(w), "w", ndim=1)
        check_shape(w, "w", (X.shape[0],))
        if np.any(w <= 0):
            raise ValidationError(f"w[{int(np.argmin(w))}] = {w.min():.6g} (rule: weights must be > 0)")
        _update_many(self.Sigma, self.Sigma_inv, self.b, X, y, w, self._buf)

    def snapshot(self) -> None:
        """Freeze ``Sdot = Sigma``, ``Sdot_inv = Sigma_inv`` (episode start)."""
        self.Sdot[:] = self.Sigma
        self.Sdot_inv[:] = self.Sigma_inv

    @property
    def theta(self) -> np.ndarray:
        out = np.zeros(self.d)
        solve_theta(self.Sigma_inv, self.b, out)
        return out

    def norm(self, x, which: str = "running") -> float:
        r""":math:`\|x\|_{\Sigma^{-1}}` under the running (``"running"``) or snapshot (``"snapshot"``) matrix."""
        x = as_float_array(x, "x", ndim=1)
        check_shape(x, "x", (self.d,))
        A = {"running": self.Sigma_inv, "snapshot": self.Sdot_inv}.get(which)
        if A is None:
            raise ValidationError(f"which = {which!r} (rule: 'running' or 'snapshot')")
        return float(weighted_norm(x, A))

