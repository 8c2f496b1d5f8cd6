"""Finite-horizon solvers: Numba kernels against plain-numpy references, Bellman
properties, occupancy measures, the variance of the return (exact enumeration,
Monte Carlo and the law of total variance) and a textbook instance."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
from hypothesis import given, settings

import _reference as ref
from conftest import make_tabular, mdp_and_policy, random_policy, seeds, tabular_mdps
from rltheory import ValidationError
from rltheory.models import TabularMDP
from rltheory.solvers import (backward_induction, expected_return, occupancy, occupancy_lp,
                              policy_evaluation, return_variance, total_variance_identity)
from rltheory.kernels import mdp as K

PROPS = settings(max_examples=30, derandomize=True, deadline=None)
TOL = 1e-10


# --- kernels against numpy references ---------------------------------------------------------

@PROPS
@given(tabular_mdps())
def test_backward_induction_matches_numpy(mdp):
    Q, V, pi = ref.backward_induction(mdp)
    sol = backward_induction(mdp)
    np.testing.assert_allclose(sol.Q, Q, rtol=0, atol=TOL)
    np.testing.assert_allclose(sol.V, V, rtol=0, atol=TOL)
    assert sol.V[mdp.H].tolist() == [0.0] * mdp.S
    # same greedy policy wherever the maximiser is unambiguous (ties: lowest index in both)
    gap = np.sort(Q, axis=2)
    clear = gap[..., -1] - (gap[..., -2] if mdp.A > 1 else -np.inf) > 1e-9
    assert np.array_equal(sol.policy[clear], pi[clear])
    assert sol.policy.dtype == np.int64 and sol.policy.shape == (mdp.H, mdp.S)


@PROPS
@given(mdp_and_policy())
def test_policy_evaluation_matches_numpy(case):
    mdp, policy = case
    pi = ref.as_stochastic(policy, mdp.H, mdp.S, mdp.A)
    Q, V = ref.policy_evaluation(mdp, pi)
    val = policy_evaluation(mdp, policy)
    np.testing.assert_allclose(val.Q, Q, rtol=0, atol=TOL)
    np.testing.assert_allclose(val.V, V, rtol=0, atol=TOL)
    assert expected_return(mdp, policy) == pytest.approx(mdp.mu0 @ V[0], abs=TOL)


@PROPS
@given(mdp_and_policy(kind="deterministic"))
def test_policy_value_deterministic_kernel(case):
    mdp, policy = case
    pi = ref.as_stochastic(policy, mdp.H, mdp.S, mdp.A)
    _, V = ref.policy_evaluation(mdp, pi)
    J = K.policy_value_deterministic(mdp.P4, mdp.R3, mdp.H, policy, mdp.mu0,
                                     np.empty((2, mdp.S)))
    assert J == pytest.approx(mdp.mu0 @ V[0], abs=TOL)


@PROPS
@given(mdp_and_policy())
def test_occupancy_matches_numpy(case):
    mdp, policy = case
    pi = ref.as_stochastic(policy, mdp.H, mdp.S, mdp.A)
    np.testing.assert_allclose(occupancy(mdp, policy), ref.occupancy(mdp, pi), rtol=0, atol=TOL)


@PROPS
@given(mdp_and_policy())
def test_return_moments_kernel_matches_numpy(case):
    mdp, policy = case
    pi = ref.as_stochastic(policy, mdp.H, mdp.S, mdp.A)
    V, M, sigma2, nu = ref.return_moments(mdp, pi)
    rv = return_variance(mdp, policy)
    for got, want in ((rv.V, V), (rv.second_moment, M), (rv.sigma2, sigma2),
                      (rv.action_var, nu), (rv.var, np.maximum(M - V ** 2, 0))):
        np.testing.assert_allclose(got, want, rtol=0, atol=TOL)
    Q, _ = ref.policy_evaluation(mdp, pi)
    np.testing.assert_allclose(rv.Q, Q, rtol=0, atol=TOL)


@pytest.mark.parametrize("S", [7, 300])
@pytest.mark.parametrize("layout", ["C", "F"])  # C: four rows side by side; F: one row at a time
def test_expected_next_fixed_order(S, layout, rng):
    A = 3
    P = rng.random((S, A, S))
    v = rng.random(S)
    Pl = np.asfortranarray(P) if layout == "F" else P
    out = np.empty((S, A))
    K.expected_next(Pl, v, out)
    np.testing.assert_allclose(out, np.einsum("sat,t->sa", P, v), rtol=1e-13, atol=0)
    # every entry is the left-to-right sum over s', bit for bit, whatever the layout
    want = np.empty((S, A))
    for s in range(S):
        for a in range(A):
            acc = 0.0
            for t in range(S):
                acc += P[s, a, t] * v[t]
            want[s, a] = acc
    np.testing.assert_array_equal(out, want)


def test_backward_induction_large_S(rng):
    # stationary and step-dependent, S large enough for several row blocks
    S, A, H = 277, 2, 3
    for stationary in (True, False):
        mdp = make_tabular(int(rng.integers(2**31)), S, A, H, stationary)
        Q, V, _ = ref.backward_induction(mdp)
        sol = backward_induction(mdp)
        np.testing.assert_allclose(sol.V, V, rtol=0, atol=TOL)
        np.testing.assert_allclose(sol.Q, Q, rtol=0, atol=TOL)


def test_one_hot_policy_kernel(rng):
    pi = rng.integers(0, 4, size=(3, 5))
    out = np.empty((3, 5, 4))
    K.one_hot_policy(pi, 4, out)
    np.testing.assert_array_equal(out, np.eye(4)[pi])


def test_kernels_accept_writable_and_readonly_arrays(rng):
    mdp = make_tabular(3, 4, 2, 3, stationary=False)
    P4, R3 = np.array(mdp.P4), np.array(mdp.R3)       # writable copies
    Q, V, pi = np.empty((3, 4, 2)), np.empty((4, 4)), np.empty((3, 4), np.int64)
    K.backward_induction_kernel(P4, R3, 3, Q, V, pi)
    sol = backward_induction(mdp)
    np.testing.assert_array_equal(V, sol.V)


# --- Bellman properties -------------------------------------------------------------------------

@PROPS
@given(tabular_mdps())
def test_bellman_optimality_residual_is_zero(mdp):
    sol = backward_induction(mdp)
    P, R = ref.steps(mdp)
    for h in range(mdp.H):
        TV = (R[h] + P[h] @ sol.V[h + 1]).max(axis=1)
        assert np.max(np.abs(TV - sol.V[h])) <= 1e-12
        # the returned policy is greedy
        np.testing.assert_allclose(sol.Q[h, np.arange(mdp.S), sol.policy[h]], sol.V[h],
                                   rtol=0, atol=0)


@PROPS
@given(mdp_and_policy())
def test_policy_values_never_exceed_optimum(case):
    mdp, policy = case
    Vstar = backward_induction(mdp).V
    Vpi = policy_evaluation(mdp, policy).V
    assert np.all(Vpi <= Vstar + 1e-12)


@PROPS
@given(tabular_mdps())
def test_evaluating_the_optimal_policy_gives_V_star(mdp):
    sol = backward_induction(mdp)
    val = policy_evaluation(mdp, sol.policy)
    np.testing.assert_allclose(val.V, sol.V, rtol=0, atol=1e-12)
    np.testing.assert_allclose(val.Q, sol.Q, rtol=0, atol=1e-12)
    onehot = np.eye(mdp.A)[sol.policy]          # same policy, stochastic form
    np.testing.assert_allclose(policy_evaluation(mdp, onehot).V, sol.V, rtol=0, atol=1e-12)


@PROPS
@given(mdp_and_policy())
def test_occupancy_is_a_distribution_and_gives_the_value(case):
    mdp, policy = case
    d = occupancy(mdp, policy)
    assert d.shape == (mdp.H, mdp.S, mdp.A) and np.all(d >= 0)
    np.testing.assert_allclose(d.sum(axis=(1, 2)), 1.0, rtol=0, atol=1e-12)
    J = mdp.mu0 @ policy_evaluation(mdp, policy).V[0]
    assert np.sum(d * ref.steps(mdp)[1]) == pytest.approx(J, abs=1e-12)


@settings(max_examples=15, derandomize=True, deadline=None)
@given(tabular_mdps(max_S=4, max_A=3, max_H=4))
def test_occupancy_lp_matches_backward_induction(mdp):
    sol = backward_induction(mdp)
    lp = occupancy_lp(mdp)
    assert lp.value == pytest.approx(mdp.mu0 @ sol.V[0], abs=1e-8)
    np.testing.assert_allclose(lp.occupancy.sum(axis=(1, 2)), 1.0, atol=1e-8)
    # the LP optimum is the occupancy of an optimal policy: no step loses value
    assert np.sum(lp.occupancy * ref.steps(mdp)[1]) == pytest.approx(lp.value, abs=1e-8)


def test_stationary_model_equals_its_step_dependent_copy(rng):
    mdp = make_tabular(11, 4, 3, 5, stationary=True)
    full = TabularMDP(np.repeat(mdp.P[None], 5, axis=0), np.repeat(mdp.R[None], 5, axis=0),
                      mdp.mu0)
    a, b = backward_induction(mdp), backward_induction(full)
    np.testing.assert_array_equal(a.V, b.V)
    np.testing.assert_array_equal(a.policy, b.policy)


# --- variance of the return ---------------------------------------------------------------------

@settings(max_examples=25, derandomize=True, deadline=None)
@given(mdp_and_policy(max_S=3, max_A=2, max_H=4))
def test_return_variance_equals_exact_enumeration(case):
    mdp, policy = case
    pi = ref.as_stochastic(policy, mdp.H, mdp.S, mdp.A)
    rv = return_variance(mdp, policy)
    for s in range(mdp.S):
        p, g = ref.return_distribution(mdp, pi, start=s)
        assert p.sum() == pytest.approx(1.0, abs=1e-12)
        mean = p @ g
        assert rv.V[0, s] == pytest.approx(mean, abs=1e-12)
        assert rv.second_moment[0, s] == pytest.approx(p @ g ** 2, abs=1e-12)
        assert rv.var[0, s] == pytest.approx(p @ (g - mean) ** 2, abs=1e-11)
    assert np.all(rv.var[mdp.H] == 0) and np.all(rv.var >= 0)


@settings(max_examples=30, derandomize=True, deadline=None)
@given(mdp_and_policy())
def test_total_variance_identity(case):
    mdp, policy = case
    tv = total_variance_identity(mdp, policy)
    assert tv.lhs == pytest.approx(tv.rhs, abs=1e-10)
    assert tv.rhs == tv.transition_term + tv.action_term + tv.initial_term
    assert min(tv.transition_term, tv.action_term, tv.initial_term) >= 0
    if np.asarray(policy).dtype.kind in "iu":
        assert tv.action_term == 0.0
    if mdp.reward_range == "total":
        # returns lie in [0, 1], so Var(G_0) <= 1/4 (Popoviciu): the horizon-free budget
        assert tv.lhs <= 0.25 + 1e-12


def test_total_variance_identity_needs_the_action_term(rng):
    # a stochastic policy on a one-state bandit: all variance comes from the action draw
    mdp = TabularMDP(np.ones((1, 2, 1)), np.array([[0.0, 1.0]]), np.array([1.0]), H=1)
    tv = total_variance_identity(mdp, np.array([[[0.5, 0.5]]]))
    assert tv.lhs == pytest.approx(0.25, abs=1e-15)
    assert tv.transition_term == 0.0 and tv.initial_term == 0.0
    assert tv.action_term == pytest.approx(0.25, abs=1e-15)


@pytest.mark.parametrize("kind", ["deterministic", "stochastic"])
@pytest.mark.parametrize("stationary", [True, False])
def test_return_variance_against_monte_carlo(kind, stationary):
    # z-band: |sample - exact| <= 5 standard errors.  The standard error of the
    # sample variance is sqrt((m4 - var^2) / n) with m4 the exact fourth central
    # moment (from enumerating all trajectories), of the mean sqrt(var / n).
    mdp = make_tabular(123, 3, 2, 4, stationary, sparse=True)
    policy = random_policy(np.random.default_rng(5), mdp.H, mdp.S, mdp.A, kind)
    pi = ref.as_stochastic(policy, mdp.H, mdp.S, mdp.A)
    tv = total_variance_identity(mdp, policy)
    J = expected_return(mdp, policy)
    n = 200_000
    G = ref.sample_returns(mdp, pi, n, np.random.default_rng(99))
    p, g = ref.return_distribution(mdp, pi)
    m4 = p @ (g - J) ** 4
    assert abs(G.mean() - J) <= 5 * np.sqrt(tv.lhs / n)
    assert abs(G.var(ddof=1) - tv.lhs) <= 5 * np.sqrt((m4 - tv.lhs ** 2) / n)


# --- textbook instance ----------------------------------------------------------------------------

def test_puterman_two_state_example_finite_horizon():
    r"""Puterman (1994), *Markov Decision Processes*, Section 3.1: the two-state example.

    State s1 (index 0): action a11 pays 5 and moves to s1 or s2 with probability
    1/2 each; action a12 pays 10 and moves to s2.  State s2 (index 1): one action
    a21 paying -1 and staying in s2 (duplicated here as action 1 so that A = 2).
    Rewards are mapped affinely to [0, 1] by r' = (r + 1)/11, which adds
    (H - h)/11 to every value at step h and leaves the optimal policy unchanged.

    Hand computation with the original rewards, H = 3 (V_3 = 0):
      h = 2: V(s2) = -1;  V(s1) = max(5, 10) = 10           (a12)
      h = 1: V(s2) = -2;  Q(s1,a11) = 5 + (10 - 1)/2 = 9.5,  Q(s1,a12) = 10 - 1 = 9 -> 9.5 (a11)
      h = 0: V(s2) = -3;  Q(s1,a11) = 5 + (9.5 - 2)/2 = 8.75, Q(s1,a12) = 10 - 2 = 8 -> 8.75 (a11)
    """
    P = np.zeros((2, 2, 2))
    P[0, 0] = [0.5, 0.5]
    P[0, 1] = [0.0, 1.0]
    P[1, :] = [0.0, 1.0]
    r = np.array([[5.0, 10.0], [-1.0, -1.0]])
    H = 3
    mdp = TabularMDP(P, (r + 1) / 11, [1.0, 0.0], H=H)
    sol = backward_induction(mdp)
    V_orig = np.array([[8.75, -3.0], [9.5, -2.0], [10.0, -1.0], [0.0, 0.0]])
    Q_orig_s1 = np.array([[8.75, 8.0], [9.5, 9.0], [5.0, 10.0]])
    shift = (H - np.arange(H + 1))[:, None] / 11
    np.testing.assert_allclose(sol.V, V_orig / 11 + shift, rtol=0, atol=1e-14)
    np.testing.assert_allclose(sol.Q[:, 0, :], Q_orig_s1 / 11 + shift[:H], rtol=0, atol=1e-14)
    np.testing.assert_array_equal(sol.policy[:, 0], [0, 0, 1])
    np.testing.assert_array_equal(sol.policy[:, 1], [0, 0, 0])   # tie -> lowest index


# --- validation, immutability, determinism --------------------------------------------------------

@pytest.fixture
def small_mdp():
    return make_tabular(1, 3, 2, 4, stationary=False)


@pytest.mark.parametrize("fn", [policy_evaluation, occupancy, return_variance,
                                total_variance_identity, expected_return])
def test_policy_validation(fn, small_mdp):
    with pytest.raises(ValidationError, match=r"policy\[1, 2\] = 2 .*0\.\.1"):
        fn(small_mdp, np.array([[0, 1, 0], [0, 1, 2], [0, 0, 0], [1, 1, 1]]))
    with pytest.raises(ValidationError, match=r"policy has shape \(3, 3\).*\(4, 3\)"):
        fn(small_mdp, np.zeros((3, 3), dtype=int))
    bad = np.full((4, 3, 2), 0.5)
    bad[2, 1] = [0.7, 0.7]
    with pytest.raises(ValidationError, match=r"policy\[2, 1, :\] sums to 1\.4"):
        fn(small_mdp, bad)


@pytest.mark.parametrize("fn", [backward_induction, occupancy_lp])
def test_mdp_type_is_checked(fn):
    with pytest.raises(ValidationError, match="must be an rltheory.models.TabularMDP"):
        fn({"P": np.ones((1, 1, 1))})


def test_stationary_policy_is_broadcast(small_mdp):
    a = policy_evaluation(small_mdp, np.array([1, 0, 1]))
    b = policy_evaluation(small_mdp, np.tile([1, 0, 1], (4, 1)))
    np.testing.assert_array_equal(a.V, b.V)


def test_results_are_frozen_and_read_only(small_mdp):
    sol = backward_induction(small_mdp)
    rv = return_variance(small_mdp, sol.policy)
    for obj in (sol, policy_evaluation(small_mdp, sol.policy), rv):
        for f in dataclasses.fields(obj):
            arr = getattr(obj, f.name)
            if isinstance(arr, np.ndarray):          # scalars (the value at mu0) are immutable anyway
                assert not arr.flags.writeable, f.name
        with pytest.raises(dataclasses.FrozenInstanceError):
            obj.V = None


@given(seeds)
@settings(max_examples=5, derandomize=True, deadline=None)
def test_bit_identical_repeats(seed):
    mdp = make_tabular(seed, 5, 3, 5, stationary=False)
    a, b = backward_induction(mdp), backward_induction(mdp)
    assert a.V.tobytes() == b.V.tobytes() and a.policy.tobytes() == b.policy.tobytes()


def test_ambiguous_and_boolean_policies_are_refused_not_misread():
    """A deterministic (H, S) policy coded as floats must not be read as a stationary (S, A) one."""
    P = np.zeros((2, 2, 2))
    P[:, 0, 0] = P[:, 1, 1] = 1.0                       # action a keeps you in state a
    R = np.array([[1.0, 0.0], [0.0, 1.0]])
    mdp = TabularMDP(P, R, np.array([1.0, 0.0]), H=2)
    pi = np.array([[0, 1], [0, 1]])
    want = policy_evaluation(mdp, pi).V[0]
    with pytest.raises(ValidationError, match=r"whole-number float entries.*kind='stochastic'"):
        policy_evaluation(mdp, pi.astype(float))
    np.testing.assert_array_equal(policy_evaluation(mdp, pi.astype(float), kind="deterministic").V[0], want)
    stoch = policy_evaluation(mdp, np.eye(2), kind="stochastic").V[0]     # (S, A): state s plays s
    assert stoch.shape == (2,)
    with pytest.raises(ValidationError, match="dtype bool"):
        policy_evaluation(mdp, pi.astype(bool))
    with pytest.raises(ValidationError, match=r"kind='deterministic' takes actions"):
        policy_evaluation(mdp, np.full((2, 2), 0.5), kind="deterministic")


def test_policy_errors_index_the_array_the_user_passed():
    from rltheory.envs import random_tabular
    mdp = random_tabular(3, 2, 4, 0)
    bad = np.full((3, 2), 0.5)
    bad[1] = [0.7, 0.5]
    with pytest.raises(ValidationError, match=r"policy\[1, :\] sums to 1\.2"):
        policy_evaluation(mdp, bad)
    with pytest.raises(ValidationError, match=r"policy\[2\] = 5 \(rule: actions"):
        policy_evaluation(mdp, np.array([0, 1, 5]))


def test_transposed_kernel_path_gives_the_same_bits(rng):
    # a stationary model over H >= TRANSPOSE_MIN_H steps goes through the transposed kernel;
    # the same kernel repeated per step goes row by row: both sum left to right
    S, A, H = 37, 3, max(K.TRANSPOSE_MIN_H, 9)
    P = rng.random((S, A, S))
    P /= P.sum(axis=-1, keepdims=True)
    R3 = rng.random((1, S, A))
    out = []
    for P4 in (P[None].copy(), np.broadcast_to(P, (H, S, A, S)).copy()):
        Q, V, pi = np.empty((H, S, A)), np.empty((H + 1, S)), np.empty((H, S), dtype=np.int64)
        K.backward_induction_kernel(P4, R3, H, Q, V, pi)
        out.append((Q, V, pi))
    for a, b in zip(*out):
        np.testing.assert_array_equal(a, b)


def test_model_holds_the_transposed_kernel_once(rng):
    """``TabularMDP.PT`` is computed on first use, kept read-only, dropped from pickles,
    and the solvers that read it give the bits of the kernels that transpose per call."""
    import pickle
    S, A, H = 40, 3, 6
    P = rng.random((S, A, S))
    P /= P.sum(axis=-1, keepdims=True)
    mdp = TabularMDP(P, rng.random((S, A)), np.full(S, 1.0 / S), H=H)
    assert "PT" not in vars(mdp)
    sol = backward_induction(mdp)
    PT = mdp.PT
    assert PT is mdp.PT and not PT.flags.writeable
    np.testing.assert_array_equal(PT, P.reshape(S * A, S).T)
    Q, V, pi = np.empty((H, S, A)), np.empty((H + 1, S)), np.empty((H, S), dtype=np.int64)
    K.backward_induction_kernel(np.ascontiguousarray(mdp.P4), np.ascontiguousarray(mdp.R3), H, Q, V, pi)
    for a, b in ((sol.Q, Q), (sol.V, V), (sol.policy, pi)):
        np.testing.assert_array_equal(a, b)
    det = rng.integers(0, A, size=(H, S))
    sto = rng.dirichlet(np.ones(A), size=(H, S))
    for pol, kern in ((det, K.evaluate_deterministic_kernel), (sto, K.evaluate_stochastic_kernel)):
        kern(np.ascontiguousarray(mdp.P4), np.ascontiguousarray(mdp.R3), H, pol, Q, V)
        np.testing.assert_array_equal(policy_evaluation(mdp, pol).V, V)
    assert "PT" not in vars(pickle.loads(pickle.dumps(mdp)))
    assert make_tabular(3, 4, 2, 3, stationary=False).PT is None
