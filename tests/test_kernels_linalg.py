"""Fixed-order linear-algebra kernels (rltheory.kernels.linalg) against plain numpy.

Each kernel must agree with numpy to 1e-12 relative and follow the order its
docstring states, so that its bits do not depend on the CPU."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rltheory.kernels import linalg as L

REL = 1e-12


def close(got, want, scale=None):
    got, want = np.asarray(got), np.asarray(want)
    ref = np.max(np.abs(want)) if scale is None else scale
    assert np.max(np.abs(got - want), initial=0.0) <= REL * max(ref, 1e-300), (got, want)


def left_to_right_dot4(x, y):
    """The order stated in the module docstring, in plain Python."""
    n = len(x)
    m = n - n % 4
    a = [0.0, 0.0, 0.0, 0.0]
    for t in range(0, m, 4):
        for j in range(4):
            a[j] += float(x[t + j]) * float(y[t + j])
    acc = (a[0] + a[1]) + (a[2] + a[3])
    for t in range(m, n):
        acc += float(x[t]) * float(y[t])
    return acc


sizes = st.integers(min_value=1, max_value=12)
seeds = st.integers(min_value=0, max_value=2**31 - 1)


@pytest.mark.parametrize("n", [0, 1, 3, 4, 5, 17, 256])
def test_dot_order_and_value(n):
    rng = np.random.default_rng(n)
    x, y = rng.normal(size=n), rng.normal(size=n)
    got = L.dot(x, y)
    assert got == left_to_right_dot4(x, y)           # the stated order, bit for bit
    assert abs(got - float(np.sum(x * y))) <= REL * max(np.abs(x * y).sum(), 1e-300)
    # layout does not change a bit
    xs = np.repeat(x, 2)[::2]
    assert L.dot(xs, y) == got


@settings(max_examples=60, deadline=None)
@given(n=sizes, m=sizes, p=sizes, seed=seeds)
def test_products_match_numpy(n, m, p, seed):
    rng = np.random.default_rng(seed)
    A, B = rng.normal(size=(n, m)), rng.normal(size=(m, p))
    x, z = rng.normal(size=m), rng.normal(size=n)
    scale_mv = np.abs(A) @ np.abs(x)
    got = L.matvec(A, x, np.empty(n))
    assert np.all(np.abs(got - A @ x) <= REL * scale_mv + 1e-300)
    got = L.vecmat(z, A, np.empty(m))
    assert np.all(np.abs(got - z @ A) <= REL * (np.abs(z) @ np.abs(A)) + 1e-300)
    got = L.matmul(A, B, np.empty((n, p)))
    assert np.all(np.abs(got - A @ B) <= REL * (np.abs(A) @ np.abs(B)) + 1e-300)
    # vecmat adds rows left to right
    want = np.zeros(m)
    for i in range(n):
        want = want + z[i] * A[i]
    np.testing.assert_array_equal(L.vecmat(z, A, np.empty(m)), want)


@settings(max_examples=60, deadline=None)
@given(n=sizes, seed=seeds)
def test_solve_matches_numpy(n, seed):
    rng = np.random.default_rng(seed)
    A = rng.normal(size=(n, n)) + n * np.eye(n)          # well conditioned
    b = rng.normal(size=n)
    A0, b0 = A.copy(), b.copy()
    x = np.empty(n)
    assert L.solve(A, b, x)
    np.testing.assert_array_equal(A, A0)                  # inputs untouched
    np.testing.assert_array_equal(b, b0)
    close(x, np.linalg.solve(A, b))
    close(A @ x, b, scale=np.abs(A).sum(axis=1).max() * np.abs(x).max())


def test_solve_pivots_and_reports_singular():
    # a zero leading entry needs the row swap of partial pivoting
    A = np.array([[0.0, 1.0], [2.0, 3.0]])
    x = np.empty(2)
    assert L.solve(A, np.array([1.0, 8.0]), x)
    np.testing.assert_allclose(x, [2.5, 1.0], rtol=REL)
    assert not L.solve(np.array([[1.0, 2.0], [2.0, 4.0]]), np.array([1.0, 2.0]), x)


@settings(max_examples=60, deadline=None)
@given(n=sizes, seed=seeds)
def test_eigh_jacobi_matches_numpy(n, seed):
    rng = np.random.default_rng(seed)
    G = rng.normal(size=(n, n))
    A = 0.5 * (G + G.T)
    w, V = np.empty(n), np.empty((n, n))
    assert L.eigh_jacobi(A, w, V) >= 1
    scale = np.abs(np.linalg.eigvalsh(A)).max()
    close(w, np.linalg.eigvalsh(A), scale=scale)
    assert np.all(np.diff(w) >= 0)
    np.testing.assert_allclose(V.T @ V, np.eye(n), rtol=0, atol=1e-12)
    np.testing.assert_allclose(A @ V, V * w, rtol=0, atol=REL * 10 * max(scale, 1e-300))


@settings(max_examples=60, deadline=None)
@given(n=sizes, seed=seeds, cond=st.floats(min_value=0.0, max_value=6.0))
def test_sqrt_psd_matches_numpy(n, seed, cond):
    rng = np.random.default_rng(seed)
    Qm, _ = np.linalg.qr(rng.normal(size=(n, n)))
    lam = 10.0 ** rng.uniform(-cond, 0.0, size=n)
    A = (Qm * lam) @ Qm.T
    A = 0.5 * (A + A.T)
    R = L.sqrt_psd(A, np.empty((n, n)))
    wn, Vn = np.linalg.eigh(A)
    Rn = (Vn * np.sqrt(np.maximum(wn, 0.0))) @ Vn.T
    close(R, Rn, scale=1.0)
    close(R @ R, A, scale=1.0)
    np.testing.assert_array_equal(R, R.T) if n == 1 else None


def test_eigh_jacobi_diagonal_and_ties():
    A = np.diag([3.0, 1.0, 1.0, 2.0])
    w, V = np.empty(4), np.empty((4, 4))
    L.eigh_jacobi(A, w, V)
    np.testing.assert_array_equal(w, [1.0, 1.0, 2.0, 3.0])
    np.testing.assert_array_equal(np.abs(V), np.eye(4)[:, [1, 2, 3, 0]])   # ties keep diagonal order


def _blas_or_fastmath(module) -> list[str]:
    """Calls that reach BLAS/LAPACK (``@``, ``np.dot``, ``np.linalg``) or ``fastmath`` flags, from the AST."""
    import ast
    import inspect
    found = []
    for node in ast.walk(ast.parse(inspect.getsource(module))):
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.MatMult):
            found.append(f"@ at line {node.lineno}")
        elif isinstance(node, ast.Attribute) and node.attr in ("dot", "linalg", "matmul", "vdot", "inner"):
            if isinstance(node.value, ast.Name) and node.value.id in ("np", "numpy"):
                found.append(f"np.{node.attr} at line {node.lineno}")
        elif isinstance(node, ast.keyword) and node.arg == "fastmath":
            found.append(f"fastmath at line {node.value.lineno}")
    return found


def _modules_with_kernels():
    """Every module of the package that compiles a Numba kernel."""
    import importlib
    import inspect
    import pkgutil

    import rltheory
    found = []
    for info in pkgutil.walk_packages(rltheory.__path__, "rltheory."):
        if info.name.endswith("__main__"):
            continue
        module = importlib.import_module(info.name)
        if "njit" in inspect.getsource(module):
            found.append(module)
    return found


def test_no_blas_no_fastmath():
    """No module that compiles a Numba kernel uses fastmath or calls BLAS/LAPACK (``np.dot``, ``@``,
    ``np.linalg``): sums run in the fixed orders of :mod:`rltheory.kernels.linalg`."""
    modules = _modules_with_kernels()
    names = {m.__name__ for m in modules}
    assert {"rltheory.kernels.linalg", "rltheory.kernels.belief", "rltheory.algorithms._ftrl_kernels"} <= names
    for module in modules:
        assert _blas_or_fastmath(module) == [], module.__name__
