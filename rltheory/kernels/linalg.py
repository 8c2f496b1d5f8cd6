r"""Fixed-order dense linear algebra in Numba: the same bits on every CPU.

Results must not depend on the machine (docs/design.md, Conventions): the same
config and seed give bit-identical outputs on a laptop and on every node of a
mixed cluster.  BLAS and LAPACK (what ``np.dot``, ``@`` and ``np.linalg.*``
call, from Python and from ``@njit`` code alike) pick their kernels by CPU
(``OPENBLAS_CORETYPE``), and each kernel sums in its own order; ``fastmath``
reassociation lets LLVM choose the order by the vector width the CPU offers.
Neither is used here.  Every kernel below is plain ``@njit(cache=True)``
(no ``fastmath``: no reassociation, no fused multiply-add) and states the
order in which it adds, so its result is a function of its inputs alone.

Summation order of :func:`dot`.  For :math:`n` terms
:math:`p_t = x_t y_t`, four partial sums run over the residues of
:math:`t \bmod 4` in increasing :math:`t` over the first
:math:`4\lfloor n/4\rfloor` terms,

.. math::

    a_j = (\dots((p_j + p_{j+4}) + p_{j+8}) + \dots), \quad j = 0, 1, 2, 3,

and the result is :math:`((a_0 + a_1) + (a_2 + a_3))` followed by the
remaining :math:`n \bmod 4` terms left to right.  The four chains are
independent, so the compiler may run them in SIMD lanes without changing a
bit; the order is written in the code, not chosen by the compiler.  All other
products reduce with :func:`dot` (rows of ``A``) or left to right (columns).

Kernels (no checks; shapes are documented and callers guarantee them; float64):

* :func:`dot` -- :math:`x^\top y` for ``x, y (n,)``.
* :func:`matvec` -- ``out (n,) = A (n, m) x (m,)``.
* :func:`vecmat` -- ``out (m,) = x (n,)^T A (n, m)``.
* :func:`matmul` -- ``out (n, p) = A (n, m) B (m, p)``.
* :func:`transpose` -- ``out (m, n) = A (n, m)^T`` (a copy; no arithmetic).
* :func:`solve` -- ``out (n,)`` with ``A (n, n) out = b (n,)`` by Gaussian
  elimination with partial pivoting (returns ``False`` for a singular ``A``).
* :func:`eigh_jacobi` -- eigenvalues ``w (n,)`` (ascending) and orthonormal
  eigenvectors ``V (n, n)`` (columns) of a symmetric ``A (n, n)`` by the cyclic
  Jacobi method.
* :func:`sqrt_psd` -- the symmetric square root of a positive semi-definite matrix.

References
----------
G. H. Golub and C. F. Van Loan, *Matrix Computations*, 4th ed., Johns Hopkins
University Press, 2013: Section 3.4 (Gaussian elimination with partial
pivoting), Section 8.5 (the cyclic Jacobi method).
"""

from __future__ import annotations

import numpy as np
from numba import njit

#: Relative size below which an off-diagonal entry is treated as zero by
#: :func:`eigh_jacobi`: :math:`|a_{pq}| \le` ``JACOBI_TOL`` :math:`\sqrt{|a_{pp} a_{qq}|}`.
JACOBI_TOL = float(np.finfo(np.float64).eps)

#: Cap on the number of Jacobi sweeps (quadratic convergence needs ~10 for n <= 100).
JACOBI_MAX_SWEEPS = 100


@njit(cache=True)
def dot(x, y):
    r""":math:`\sum_t x_t y_t` in the fixed order of the module docstring.

    Parameters
    ----------
    x, y : ndarray(float64), shape (n,)
        Any layout.

    Returns
    -------
    float
    """
    n = x.shape[0]
    m = n - n % 4
    a0 = 0.0
    a1 = 0.0
    a2 = 0.0
    a3 = 0.0
    for t in range(0, m, 4):
        a0 += x[t] * y[t]
        a1 += x[t + 1] * y[t + 1]
        a2 += x[t + 2] * y[t + 2]
        a3 += x[t + 3] * y[t + 3]
    acc = (a0 + a1) + (a2 + a3)
    for t in range(m, n):
        acc += x[t] * y[t]
    return acc


@njit(cache=True)
def matvec(A, x, out):
    r"""``out[i] = dot(A[i], x)``: :math:`A x` for ``A (n, m)``, ``x (m,)``, ``out (n,)``.

    Each entry is one :func:`dot` (rows of a C-contiguous ``A`` are read
    contiguously).  Returns ``out``.
    """
    for i in range(A.shape[0]):
        out[i] = dot(A[i], x)
    return out


@njit(cache=True)
def vecmat(x, A, out):
    r""":math:`x^\top A` for ``x (n,)``, ``A (n, m)``, ``out (m,)``.

    ``out[j] = (...((x[0] A[0, j] + x[1] A[1, j]) + x[2] A[2, j]) + ...)``, rows
    added left to right.  The inner loop runs along rows of ``A`` (contiguous
    for a C-contiguous ``A``) and carries no sum from one ``j`` to the next, so
    it runs in SIMD lanes without any change of order; eight rows are added per
    pass over ``out`` (the same order, fewer loads and stores).  Returns ``out``.
    """
    n, m = A.shape[0], A.shape[1]
    for j in range(m):
        out[j] = 0.0
    n8 = n - n % 8
    for i in range(0, n8, 8):
        x0, x1, x2, x3 = x[i], x[i + 1], x[i + 2], x[i + 3]
        x4, x5, x6, x7 = x[i + 4], x[i + 5], x[i + 6], x[i + 7]
        r0, r1, r2, r3 = A[i], A[i + 1], A[i + 2], A[i + 3]
        r4, r5, r6, r7 = A[i + 4], A[i + 5], A[i + 6], A[i + 7]
        for j in range(m):
            o = out[j]
            o += x0 * r0[j]
            o += x1 * r1[j]
            o += x2 * r2[j]
            o += x3 * r3[j]
            o += x4 * r4[j]
            o += x5 * r5[j]
            o += x6 * r6[j]
            o += x7 * r7[j]
            out[j] = o
    for i in range(n8, n):
        xi = x[i]
        ri = A[i]
        for j in range(m):
            out[j] += xi * ri[j]
    return out


@njit(cache=True)
def transpose(A, out):
    """``out (m, n) = A.T`` for ``A (n, m)``, copied in 32 x 32 tiles.  Returns ``out``."""
    n, m = A.shape[0], A.shape[1]
    for i0 in range(0, n, 32):
        i1 = min(i0 + 32, n)
        for j0 in range(0, m, 32):
            j1 = min(j0 + 32, m)
            for i in range(i0, i1):
                for j in range(j0, j1):
                    out[j, i] = A[i, j]
    return out


@njit(cache=True)
def matmul(A, B, out):
    r""":math:`AB` for ``A (n, m)``, ``B (m, p)``, ``out (n, p)``.

    ``out[i, j] = (...(A[i, 0] B[0, j] + A[i, 1] B[1, j]) + ...)``, the
    :math:`m` terms added left to right (the inner loop runs along a row of
    ``B``).  Returns ``out``.
    """
    n, m, p = A.shape[0], A.shape[1], B.shape[1]
    for i in range(n):
        for j in range(p):
            out[i, j] = 0.0
        for k in range(m):
            aik = A[i, k]
            for j in range(p):
                out[i, j] += aik * B[k, j]
    return out


@njit(cache=True)
def solve(A, b, out):
    r"""Solve :math:`A\,\mathrm{out} = b` by Gaussian elimination with partial pivoting.

    Golub & Van Loan (2013), Algorithm 3.4.1: at column :math:`k` the pivot is
    the first row :math:`i \ge k` of largest :math:`|u_{ik}|`; rows are swapped,
    eliminated left to right, and the triangular system is solved by back
    substitution (each row's sum left to right).  ``A`` and ``b`` are not
    modified (``O(n^2)`` scratch).

    Parameters
    ----------
    A : ndarray(float64), shape (n, n)
    b : ndarray(float64), shape (n,)
    out : ndarray(float64), shape (n,)
        Receives the solution.

    Returns
    -------
    bool
        ``False`` when a pivot is exactly zero (``A`` singular); ``out`` is then undefined.
    """
    n = A.shape[0]
    U = np.empty((n, n))
    for i in range(n):
        for j in range(n):
            U[i, j] = A[i, j]
    c = np.empty(n)
    for i in range(n):
        c[i] = b[i]
    for k in range(n):
        piv = k
        big = abs(U[k, k])
        for i in range(k + 1, n):
            a = abs(U[i, k])
            if a > big:
                big = a
                piv = i
        if big == 0.0:
            return False
        if piv != k:
            for j in range(k, n):
                tmp = U[k, j]
                U[k, j] = U[piv, j]
                U[piv, j] = tmp
            tmp = c[k]
            c[k] = c[piv]
            c[piv] = tmp
        ukk = U[k, k]
        for i in range(k + 1, n):
            f = U[i, k] / ukk
            if f == 0.0:
                continue
            U[i, k] = 0.0
            for j in range(k + 1, n):
                U[i, j] -= f * U[k, j]
            c[i] -= f * c[k]
    for i in range(n - 1, -1, -1):
        acc = c[i]
        for j in range(i + 1, n):
            acc -= U[i, j] * out[j]
        out[i] = acc / U[i, i]
    return True


@njit(cache=True)
def eigh_jacobi(A, w, V):
    r"""Eigen-decomposition :math:`A = V\,\mathrm{diag}(w)\,V^\top` of a symmetric matrix, cyclic Jacobi.

    Golub & Van Loan (2013), Algorithm 8.5.3: sweeps over the pairs
    :math:`p < q` in row order; each applies the rotation
    :math:`J(p, q, \theta)` that zeroes :math:`a_{pq}`, with
    :math:`\tau = (a_{qq} - a_{pp}) / (2a_{pq})`,
    :math:`t = \mathrm{sign}(\tau)/(|\tau| + \sqrt{1 + \tau^2})` (the smaller
    angle), :math:`c = 1/\sqrt{1 + t^2}`, :math:`s = tc`, and accumulates it
    in :math:`V`.  An entry with :math:`|a_{pq}| \le` ``JACOBI_TOL``
    :math:`\sqrt{|a_{pp}a_{qq}|}` is set to zero without rotating (a relative
    criterion, which also keeps small eigenvalues of positive definite
    matrices accurate); the sweeps stop when one rotates nothing, or after
    ``JACOBI_MAX_SWEEPS``.  The matrix decomposed is the symmetric part
    :math:`(A + A^\top)/2` (equal to ``A`` bit for bit when ``A`` is
    symmetric; matrices kept by rank-one updates are symmetric only up to
    round-off); ``A`` is not modified.

    Parameters
    ----------
    A : ndarray(float64), shape (n, n)
        Symmetric (its symmetric part is used).
    w : ndarray(float64), shape (n,)
        Receives the eigenvalues in ascending order (ties keep the diagonal order).
    V : ndarray(float64), shape (n, n)
        Receives the orthonormal eigenvectors, ``V[:, k]`` for ``w[k]``.

    Returns
    -------
    int
        The number of sweeps, or ``-1`` when ``JACOBI_MAX_SWEEPS`` were not enough.
    """
    n = A.shape[0]
    B = np.empty((n, n))
    W = np.zeros((n, n))
    for i in range(n):
        W[i, i] = 1.0
        for j in range(i, n):
            bij = 0.5 * (A[i, j] + A[j, i])
            B[i, j] = bij
            B[j, i] = bij
    sweeps = -1
    for sweep in range(1, JACOBI_MAX_SWEEPS + 1):
        rotated = False
        for p in range(n - 1):
            for q in range(p + 1, n):
                apq = B[p, q]
                if apq == 0.0:
                    continue
                app = B[p, p]
                aqq = B[q, q]
                if abs(apq) <= JACOBI_TOL * np.sqrt(abs(app * aqq)):
                    B[p, q] = 0.0
                    B[q, p] = 0.0
                    continue
                rotated = True
                tau = (aqq - app) / (2.0 * apq)
                t = 1.0 / (abs(tau) + np.sqrt(1.0 + tau * tau))
                if tau < 0.0:
                    t = -t
                c = 1.0 / np.sqrt(1.0 + t * t)
                s = t * c
                for k in range(n):
                    if k != p and k != q:
                        akp = B[k, p]
                        akq = B[k, q]
                        nkp = c * akp - s * akq
                        nkq = s * akp + c * akq
                        B[k, p] = nkp
                        B[p, k] = nkp
                        B[k, q] = nkq
                        B[q, k] = nkq
                B[p, p] = app - t * apq
                B[q, q] = aqq + t * apq
                B[p, q] = 0.0
                B[q, p] = 0.0
                for k in range(n):
                    vkp = W[k, p]
                    vkq = W[k, q]
                    W[k, p] = c * vkp - s * vkq
                    W[k, q] = s * vkp + c * vkq
        if not rotated:
            sweeps = sweep
            break
    # ascending order; a stable selection keeps equal eigenvalues in diagonal order
    order = np.arange(n)
    for i in range(n):
        best = i
        for j in range(i + 1, n):
            if B[order[j], order[j]] < B[order[best], order[best]]:
                best = j
        if best != i:
            o = order[best]
            for j in range(best, i, -1):
                order[j] = order[j - 1]
            order[i] = o
    for k in range(n):
        w[k] = B[order[k], order[k]]
        for i in range(n):
            V[i, k] = W[i, order[k]]
    return sweeps


@njit(cache=True)
def sqrt_psd(A, out):
    r"""Symmetric square root :math:`A^{1/2} = V\,\mathrm{diag}(\sqrt{\max(w, 0)})\,V^\top`.

    ``A (n, n)`` symmetric positive semi-definite (its symmetric part
    :math:`(A + A^\top)/2` is used; tiny negative eigenvalues from round-off count as 0); ``out (n, n)``
    receives the root, each entry summed over the eigenvalues in ascending
    order (:func:`eigh_jacobi`).  Returns ``out``.
    """
    n = A.shape[0]
    w = np.empty(n)
    V = np.empty((n, n))
    eigh_jacobi(A, w, V)
    r = np.empty(n)
    for k in range(n):
        r[k] = np.sqrt(w[k]) if w[k] > 0.0 else 0.0
    for i in range(n):
        for j in range(n):
            acc = 0.0
            for k in range(n):
                acc += V[i, k] * r[k] * V[j, k]
            out[i, j] = acc
    return out


__all__ = ["dot", "matvec", "vecmat", "matmul", "transpose", "solve", "eigh_jacobi", "sqrt_psd",
           "JACOBI_TOL", "JACOBI_MAX_SWEEPS"]
