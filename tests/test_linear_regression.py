"""Weighted ridge regression with Sherman-Morrison updates against direct numpy solves."""

import numpy as np
import pytest

from rltheory import ValidationError
from rltheory.algorithms.linear_regression import (WeightedRidge, phi_V_all, phi_V_sa, sm_update,
                                                   weighted_norm)


@pytest.mark.parametrize("seed", range(5))
def test_weighted_ridge_matches_numpy_solve(seed):
    rng = np.random.default_rng(seed)
    d, n, lam = int(rng.integers(1, 9)), 200, float(rng.uniform(0.1, 5))
    X = rng.normal(size=(n, d))
    y = rng.normal(size=n)
    w = rng.uniform(0.01, 64.0, size=n)          # HOME weights 1/sigma^2 lie in (0, H]
    reg = WeightedRidge(d, lam)
    reg.update(X[:120], y[:120], w[:120])
    reg.snapshot()
    reg.update(X[120:], y[120:], w[120:])
    Sig = lam * np.eye(d) + (X * w[:, None]).T @ X
    b = (X * (w * y)[:, None]).sum(axis=0)
    np.testing.assert_allclose(reg.Sigma, Sig, rtol=1e-12, atol=1e-10)
    np.testing.assert_allclose(reg.Sigma_inv, np.linalg.inv(Sig), rtol=1e-8, atol=1e-12)
    np.testing.assert_allclose(reg.theta, np.linalg.solve(Sig, b), rtol=1e-8, atol=1e-10)
    # snapshot is frozen at sample 120
    Sig120 = lam * np.eye(d) + (X[:120] * w[:120, None]).T @ X[:120]
    np.testing.assert_allclose(reg.Sdot, Sig120, rtol=1e-12, atol=1e-10)
    np.testing.assert_allclose(reg.Sdot_inv, np.linalg.inv(Sig120), rtol=1e-8, atol=1e-12)
    x = rng.normal(size=d)
    assert reg.norm(x) == pytest.approx(np.sqrt(x @ np.linalg.solve(Sig, x)), rel=1e-9)
    assert reg.norm(x, "snapshot") == pytest.approx(np.sqrt(x @ np.linalg.solve(Sig120, x)), rel=1e-9)


def test_sm_update_single_step():
    A = np.array([[2.0, 0.5], [0.5, 1.0]])
    Ainv = np.linalg.inv(A)
    x = np.array([1.0, -2.0])
    Sig, Sinv = A.copy(), Ainv.copy()
    sm_update(Sig, Sinv, x, 0.25, np.zeros(2))
    np.testing.assert_allclose(Sig, A + 0.25 * np.outer(x, x))
    np.testing.assert_allclose(Sinv, np.linalg.inv(A + 0.25 * np.outer(x, x)), rtol=1e-12)


def test_weighted_norm_guards_zero_and_roundoff():
    assert weighted_norm(np.zeros(3), np.eye(3)) == 0.0
    # tiny negative quadratic form from round-off -> 0, never NaN
    A = np.array([[1.0, -1.0], [-1.0, 1.0 - 1e-17]])
    assert weighted_norm(np.array([1.0, 1.0]), A) == 0.0


def test_phi_V_matches_einsum():
    rng = np.random.default_rng(3)
    phi = rng.normal(size=(4, 3, 4, 5))
    V = rng.uniform(size=4)
    out = np.zeros((4, 3, 5))
    phi_V_all(phi, V, out)
    np.testing.assert_allclose(out, np.einsum("sapd,p->sad", phi, V), rtol=1e-12)
    one = np.zeros(5)
    phi_V_sa(phi, 2, 1, V, one)
    np.testing.assert_allclose(one, phi[2, 1].T @ V, rtol=1e-12)


def test_validation():
    with pytest.raises(ValidationError, match=r"lam = 0.0 \(rule"):
        WeightedRidge(3, 0.0)
    reg = WeightedRidge(2, 1.0)
    with pytest.raises(ValidationError, match="weights"):
        reg.update(np.ones((1, 2)), [1.0], [-1.0])
    with pytest.raises(ValidationError, match="shape"):
        reg.update(np.ones((1, 3)), [1.0])
    with pytest.raises(ValidationError, match="which = 'other'"):
        reg.norm(np.ones(2), "other")


def test_left_to_right_products_are_sequential_sums():
    from rltheory.algorithms.linear_regression import dot_ltr, matvec_ltr, solve_theta
    rng = np.random.default_rng(3)
    A = rng.normal(size=(5, 7))
    x = rng.normal(size=7) * np.logspace(-8, 8, 7)          # cancellation makes the order visible
    out = np.empty(5)
    matvec_ltr(A, x, out)
    for i in range(5):
        acc = 0.0
        for j in range(7):
            acc += A[i, j] * x[j]
        assert out[i] == acc and dot_ltr(A[i], x) == acc
