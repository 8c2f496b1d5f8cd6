"""Discounted solvers: value iteration (with Puterman's eps/2 guarantee), policy
iteration and the LP agree; kernels against numpy; a textbook instance;
occupancy measures; input validation."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import _reference as ref
from conftest import discounted_models, random_kernel, seeds
from rltheory import ValidationError
from rltheory.solvers import (discounted_occupancy, discounted_policy_evaluation, lp_solve,
                              policy_iteration, value_iteration)
from rltheory.kernels import mdp as K

PROPS = settings(max_examples=30, derandomize=True, deadline=None)


def puterman_two_state():
    """Puterman (1994), Section 3.1, two-state example (see the test below)."""
    P = np.zeros((2, 2, 2))
    P[0, 0] = [0.5, 0.5]
    P[0, 1] = [0.0, 1.0]
    P[1, :] = [0.0, 1.0]
    R = np.array([[5.0, 10.0], [-1.0, -1.0]])
    return P, R


@pytest.mark.parametrize("solver", [value_iteration, policy_iteration, lp_solve])
def test_puterman_two_state_example(solver):
    r"""Puterman (1994), *Markov Decision Processes*, Section 3.1, with lambda = 0.95.

    s1 (index 0): a11 pays 5, moves to s1/s2 w.p. 1/2 each; a12 pays 10, moves to s2.
    s2 (index 1): a21 pays -1 and stays (duplicated as action 1).
    By hand: V*(s2) = -1/(1 - 0.95) = -20.  In s1, a12 gives 10 + 0.95(-20) = -9;
    a11 gives v = 5 + 0.475 v + 0.475(-20), i.e. 0.525 v = -4.5, v = -60/7 = -8.5714...
    > -9, so V* = (-60/7, -20) and pi*(s1) = a11.
    """
    P, R = puterman_two_state()
    sol = solver(P, R, 0.95)
    np.testing.assert_allclose(sol.V, [-60 / 7, -20.0], rtol=0, atol=1e-9)
    np.testing.assert_array_equal(sol.policy, [0, 0])
    np.testing.assert_allclose(sol.Q[0], [-60 / 7, -9.0], rtol=0, atol=1e-9)


@PROPS
@given(discounted_models())
def test_vi_pi_lp_agree(model):
    P, R, gamma = model
    vi = value_iteration(P, R, gamma, tol=1e-11)
    pi = policy_iteration(P, R, gamma)
    lp = lp_solve(P, R, gamma)
    np.testing.assert_allclose(vi.V, pi.V, rtol=0, atol=1e-8)
    np.testing.assert_allclose(lp.V, pi.V, rtol=0, atol=1e-8)
    # every returned policy is optimal: its exact value is V*
    for sol in (vi, pi, lp):
        Vp = ref.discounted_policy_value(P, R, gamma, np.eye(R.shape[1])[sol.policy])
        np.testing.assert_allclose(Vp, pi.V, rtol=0, atol=1e-8)
    assert pi.residual <= 1e-10 * max(1.0, np.abs(pi.V).max())


@PROPS
@given(discounted_models(gammas=[0.5, 0.9, 0.95, 0.99]), st.sampled_from([1e-1, 1e-3, 1e-6]))
def test_value_iteration_eps_over_two_guarantee(model, tol):
    # Puterman (1994), Theorem 6.3.1: ||v_{n+1} - V*|| < eps/2 and the greedy
    # policy of v_{n+1} is eps-optimal.  V* from policy iteration (exact solves).
    P, R, gamma = model
    vi = value_iteration(P, R, gamma, tol=tol)
    Vstar = policy_iteration(P, R, gamma).V
    assert np.max(np.abs(vi.V - Vstar)) <= tol / 2
    Vgreedy = discounted_policy_evaluation(P, R, gamma, vi.policy).V
    assert np.all(Vgreedy >= Vstar - tol)
    # the iteration stops exactly where the sup-norm rule first holds
    threshold = tol * (1 - gamma) / (2 * gamma)
    v, n = ref.discounted_value_iteration(P, R, gamma, threshold)
    assert vi.iterations == n
    np.testing.assert_allclose(vi.V, v, rtol=0, atol=1e-12)


def test_value_iteration_guarantee_is_sup_norm_not_span():
    # A chain whose iterates approach V* by a nearly constant shift: the span of
    # v_{n+1} - v_n is tiny long before the values are close.  The sup-norm rule
    # must keep iterating until |V - V*| <= tol/2.
    P = np.zeros((2, 1, 2))
    P[0, 0] = [1.0, 0.0]
    P[1, 0] = [0.0, 1.0]
    R = np.array([[1.0], [1.0 - 1e-9]])
    gamma, tol = 0.99, 1e-4
    vi = value_iteration(P, R, gamma, tol=tol)
    Vstar = R[:, 0] / (1 - gamma)
    assert np.max(np.abs(vi.V - Vstar)) <= tol / 2
    assert vi.iterations > 1000


def test_gamma_zero_is_one_step():
    P, R = puterman_two_state()
    vi = value_iteration(P, R, 0.0)
    assert vi.iterations == 1
    np.testing.assert_array_equal(vi.V, R.max(axis=1))
    np.testing.assert_array_equal(lp_solve(P, R, 0.0).V, R.max(axis=1))


def test_value_iteration_tolerance_below_float_resolution_is_rejected():
    P, R = puterman_two_state()
    with pytest.raises(ValidationError, match="floating-point resolution"):
        value_iteration(P, R, 0.95, tol=1e-300)


def test_value_iteration_max_iter_reached_raises():
    P, R = puterman_two_state()
    with pytest.raises(RuntimeError, match="in 3 updates"):
        value_iteration(P, R, 0.95, tol=1e-6, max_iter=3)


@PROPS
@given(discounted_models(), seeds, st.booleans())
def test_policy_evaluation_and_occupancy(model, seed, stochastic):
    P, R, gamma = model
    S, A = R.shape
    rng = np.random.default_rng(seed)
    policy = random_kernel(rng, (S, A), True) if stochastic else rng.integers(0, A, S)
    pi_sa = policy if stochastic else np.eye(A)[policy]
    val = discounted_policy_evaluation(P, R, gamma, policy)
    # fixed point of T_pi
    TV = (pi_sa * (R + gamma * P @ val.V)).sum(axis=1)
    np.testing.assert_allclose(TV, val.V, rtol=0, atol=1e-10)
    np.testing.assert_allclose(val.Q, R + gamma * P @ val.V, rtol=0, atol=1e-12)
    mu0 = random_kernel(rng, (S,), True)
    d = discounted_occupancy(P, mu0, policy, gamma)
    assert d.sum() == pytest.approx(1.0, abs=1e-12) and np.all(d >= 0)
    # sum_{s,a} d R / (1 - gamma) = mu0 . V^pi
    assert np.sum(d * R) / (1 - gamma) == pytest.approx(mu0 @ val.V, abs=1e-9)
    T = 4000 if gamma > 0 else 1
    np.testing.assert_allclose(d, ref.discounted_occupancy_series(P, mu0, pi_sa, gamma, T),
                               rtol=0, atol=1e-10)


# --- kernels against numpy ------------------------------------------------------------------

@PROPS
@given(discounted_models(), seeds)
def test_discounted_bellman_kernel(model, seed):
    P, R, gamma = model
    S, A = R.shape
    v = np.random.default_rng(seed).normal(size=S)
    Q, Tv, pi = np.empty((S, A)), np.empty(S), np.empty(S, np.int64)
    K.discounted_bellman_kernel(P, R, gamma, v, Q, Tv, pi)
    Qref = R + gamma * np.einsum("sat,t->sa", P, v)
    np.testing.assert_allclose(Q, Qref, rtol=0, atol=1e-12)
    np.testing.assert_array_equal(Tv, Q.max(axis=1))
    np.testing.assert_array_equal(pi, Q.argmax(axis=1))


def test_value_iteration_kernel_reports_failure():
    P, R = puterman_two_state()
    v = np.zeros(2)
    n = K.value_iteration_kernel(P, R, 0.95, 1e-12, 5, v, np.empty((2, 2)),
                                 np.empty(2, np.int64))
    assert n == -1
    vref = np.zeros(2)
    for _ in range(5):
        vref = (R + 0.95 * P @ vref).max(axis=1)
    np.testing.assert_allclose(v, vref, rtol=0, atol=1e-13)


# --- validation -----------------------------------------------------------------------------

@pytest.mark.parametrize("solver", [value_iteration, policy_iteration, lp_solve])
def test_discounted_validation(solver):
    P, R = puterman_two_state()
    for gamma in (1.0, -0.1, float("nan")):
        with pytest.raises(ValidationError, match=r"gamma = .*\[0, 1\)"):
            solver(P, R, gamma)
    Pbad = P.copy()
    Pbad[1, 0] = [0.2, 0.7]
    with pytest.raises(ValidationError, match=r"P\[1, 0, :\] sums to 0\.9"):
        solver(Pbad, R, 0.9)
    with pytest.raises(ValidationError, match=r"R has shape \(2, 3\)"):
        solver(P, np.zeros((2, 3)), 0.9)
    with pytest.raises(ValidationError, match=r"P has shape \(2, 2, 3\)"):
        solver(np.full((2, 2, 3), 1 / 3), R, 0.9)
    Rbad = R.copy()
    Rbad[0, 1] = np.nan
    with pytest.raises(ValidationError, match=r"R\[0, 1\] = nan"):
        solver(P, Rbad, 0.9)


def test_value_iteration_tol_validation():
    P, R = puterman_two_state()
    for tol in (0.0, -1.0, float("inf")):
        with pytest.raises(ValidationError, match="tol"):
            value_iteration(P, R, 0.9, tol=tol)


def test_discounted_policy_and_mu0_validation():
    P, R = puterman_two_state()
    with pytest.raises(ValidationError, match=r"policy\[1\] = 2 \(rule"):
        discounted_policy_evaluation(P, R, 0.9, [0, 2])
    with pytest.raises(ValidationError, match=r"sums to 1\.1"):
        discounted_policy_evaluation(P, R, 0.9, [[0.5, 0.5], [0.6, 0.5]])
    with pytest.raises(ValidationError, match=r"mu0 sums to 0\.5"):
        discounted_occupancy(P, [0.25, 0.25], [0, 0], 0.9)
