"""POMDP model, exact solvers and revealing constant: against brute force and independent methods."""

import itertools
import math

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rltheory import ValidationError
from rltheory.models import POMDP
from rltheory.solvers import (belief_filter, l2_revealing_constant, m_step_matrix, open_loop_value,
                              pinv_revealing_lower_bound, pomdp_optimal_value, pomdp_policy_value, reachable_states,
                              revealing_constant, revealing_constant_dual, trajectory_law)

FEW = settings(max_examples=12, derandomize=True, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def random_pomdp(seed, S=2, A=2, n_obs=2, H=2, sparse=False):
    rng = np.random.default_rng(seed)
    T = rng.dirichlet(np.ones(S), size=(H, S, A))
    O = rng.dirichlet(np.ones(n_obs), size=(H, S))
    if sparse:
        T = np.where(rng.random(T.shape) < 0.3, 0.0, T) + 1e-3 * (np.arange(S) == 0)
        T /= T.sum(-1, keepdims=True)
    r = rng.random((H, n_obs, A)) / H
    return POMDP(T, O, r, rng.dirichlet(np.ones(S)), H=H)


def latent_path_value(m, pol):
    """Reference value: sum over latent paths, observations and actions (no beliefs)."""
    tot = []
    H, S, A, X = m.H, m.S, m.A, m.n_obs
    for path in itertools.product(range(S), range(X), range(A), repeat=H):
        p = m.mu0[path[0]]
        obs, acts, ret = (), (), 0.0
        for h in range(H):
            s, o, a = path[3 * h:3 * h + 3]
            if h > 0:
                p *= m.T4[h - 1, path[3 * (h - 1)], path[3 * (h - 1) + 2], s]
            obs = obs + (o,)
            p *= m.O3[h, s, o] * (1.0 if pol[(h, obs, acts)] == a else 0.0)
            acts = acts + (a,)
            ret += m.r[h, o, a]
        tot.append(p * ret)
    return math.fsum(tot)


def all_histories(m):
    out = []
    for h in range(m.H):
        for obs in itertools.product(range(m.n_obs), repeat=h + 1):
            for acts in itertools.product(range(m.A), repeat=h):
                out.append((h, obs, acts))
    return out


# ----------------------------------------------------------------------------- model

def test_model_shapes_and_docstring_convention():
    m = random_pomdp(0, S=3, A=2, n_obs=4, H=3)
    assert (m.H, m.S, m.A, m.n_obs) == (3, 3, 2, 4)
    assert m.T4.shape == (3, 3, 2, 3) and m.O3.shape == (3, 3, 4) and not m.stationary
    assert "one row per latent state" in POMDP.__doc__ and "O[h].T" in POMDP.__doc__
    with pytest.raises(ValueError):
        m.T4[0, 0, 0, 0] = 1.0


@pytest.mark.parametrize("kw, match", [
    (dict(T=np.full((2, 1, 2), 0.6)), r"T\[0, 0, :\] sums to 1\.2"),
    (dict(O=np.array([[1.0, 0.0], [-0.5, 1.5]])), r"O\[1, 0\] = -0\.5 is negative"),
    (dict(O=np.eye(3)), r"O has shape \(3, 3\) with S=2.*one row per latent state"),
    (dict(r=np.ones((2, 2, 1))), r"total reward of 2.*at most 1"),
    (dict(r=np.full((2, 2, 1), 1.5)), r"r\[0, 0, 0\] = 1\.5.*\[0, 1\]"),
    (dict(r=np.zeros((3, 2, 1))), r"r has shape \(3, 2, 1\).*\(2, 2, 1\)"),
    (dict(mu0=[0.5, 0.6]), r"mu0 sums to"),
    (dict(H=0), r"H = 0"),
])
def test_model_validation(kw, match):
    base = dict(T=np.tile(np.eye(2)[:, None, :], (1, 1, 1)), O=np.eye(2), r=np.zeros((2, 2, 1)),
                mu0=[0.5, 0.5], H=2)
    base.update(kw)
    with pytest.raises(ValidationError, match=match):
        POMDP(**base)


# ----------------------------------------------------------------------------- filter and laws

@FEW
@given(st.integers(0, 10_000))
def test_belief_filter_matches_bayes_by_enumeration(seed):
    m = random_pomdp(seed, S=3, A=2, n_obs=2, H=3)
    rng = np.random.default_rng(seed)
    obs = rng.integers(0, 2, size=3)
    acts = rng.integers(0, 2, size=2)
    bt = belief_filter(m, obs, acts)
    # brute force joint over latent paths
    joint = np.zeros((3, 3, 3))
    for s in itertools.product(range(3), repeat=3):
        p = m.mu0[s[0]] * m.O3[0, s[0], obs[0]]
        for h in (1, 2):
            p *= m.T4[h - 1, s[h - 1], acts[h - 1], s[h]] * m.O3[h, s[h], obs[h]]
        joint[s] = p
    assert bt.likelihood == pytest.approx(joint.sum(), rel=1e-12)
    assert np.allclose(bt.posterior[-1], joint.sum(axis=(0, 1)) / joint.sum(), atol=1e-12)


@FEW
@given(st.integers(0, 10_000))
def test_trajectory_law_and_value_against_latent_paths(seed):
    m = random_pomdp(seed, S=2, A=2, n_obs=2, H=2, sparse=True)
    rng = np.random.default_rng(seed + 1)
    table = {k: int(rng.integers(0, 2)) for k in all_histories(m)}
    pol = lambda h, obs, acts: table[(h, obs, acts)]  # noqa: E731
    law = trajectory_law(m, pol)
    assert law.shape == (2, 2, 2, 2) and law.sum() == pytest.approx(1.0, abs=1e-12)
    assert pomdp_policy_value(m, pol) == pytest.approx(latent_path_value(m, table), abs=1e-12)


def test_stochastic_policy_law_is_mixture_of_open_loop_laws():
    m = random_pomdp(3, S=2, A=2, n_obs=3, H=2)
    w = np.array([0.3, 0.7])
    mix = trajectory_law(m, lambda h, obs, acts: w)
    ref = sum(w[a0] * w[a1] * trajectory_law(m, np.array([a0, a1])) for a0 in range(2) for a1 in range(2))
    # open-loop laws put the action coordinates on one action; weighting by pi and summing recovers the mixture
    assert np.allclose(mix, ref, atol=1e-14)
    for acts in itertools.product(range(2), repeat=2):
        assert open_loop_value(m, np.array(acts)) == pytest.approx(pomdp_policy_value(m, np.array(acts)), abs=1e-14)


# ----------------------------------------------------------------------------- optimal value

@FEW
@given(st.integers(0, 10_000))
def test_optimal_value_equals_best_deterministic_history_policy(seed):
    m = random_pomdp(seed, S=2, A=2, n_obs=2, H=2, sparse=seed % 2 == 0)
    hist = all_histories(m)
    best = max(latent_path_value(m, dict(zip(hist, choice)))
               for choice in itertools.product(range(m.A), repeat=len(hist)))
    assert pomdp_optimal_value(m) == pytest.approx(best, abs=1e-12)


def test_optimal_value_at_least_open_loop_and_fully_observed_check():
    m = random_pomdp(11, S=3, A=2, n_obs=3, H=3)
    v = pomdp_optimal_value(m)
    assert all(v >= open_loop_value(m, np.array(a)) - 1e-12 for a in itertools.product(range(2), repeat=3))
    # identity emissions: the POMDP is an MDP and the value is backward induction's
    from rltheory.models import TabularMDP
    from rltheory.solvers import backward_induction
    S, A, H = 3, 2, 3
    rng = np.random.default_rng(5)
    T = rng.dirichlet(np.ones(S), size=(H, S, A))
    r = rng.random((H, S, A)) / H
    pom = POMDP(T, np.eye(S), r, np.full(S, 1 / 3), H=H)
    mdp = TabularMDP(T, r, np.full(S, 1 / 3), H=H)
    assert pomdp_optimal_value(pom) == pytest.approx(backward_induction(mdp).value, abs=1e-12)


def test_solver_validation():
    m = random_pomdp(0, S=2, A=2, n_obs=2, H=2)
    with pytest.raises(ValidationError, match=r"observations\[1\] = 5"):
        belief_filter(m, np.array([0, 5]), np.array([0]))
    with pytest.raises(ValidationError, match=r"actions\[0\] = 3"):
        open_loop_value(m, np.array([3, 0]))
    with pytest.raises(ValidationError, match=r"policy\(0, \(0,\), \(\)\) = 7"):
        trajectory_law(m, lambda h, o, a: 7)
    big = random_pomdp(0, S=2, A=4, n_obs=10, H=5)
    with pytest.raises(ValidationError, match=r"at most .* trajectories"):
        pomdp_optimal_value(big)


# ----------------------------------------------------------------------------- revealing constant

def _channel(n, a):
    return a * np.eye(n) + (1 - a) / n


@pytest.mark.parametrize("n, a", [(2, 0.3), (3, 0.5), (4, 0.5), (6, 0.8), (8, 0.1)])
def test_revealing_constant_closed_form_and_square_inverse(n, a):
    O = _channel(n, a)
    closed = a / (1 + (n - 2) * (1 - a) / n)
    assert revealing_constant(O) == pytest.approx(closed, abs=1e-9)
    assert 1.0 / np.abs(np.linalg.inv(O)).sum(axis=0).max() == pytest.approx(closed, abs=1e-12)
    assert pinv_revealing_lower_bound(O) == pytest.approx(closed, abs=1e-12)   # square: unique inverse


def test_symmetric_binary_channel_and_spec_numbers():
    for a in (0.1, 0.5, 0.9):
        assert revealing_constant([[(1 + a) / 2, (1 - a) / 2], [(1 - a) / 2, (1 + a) / 2]]) == pytest.approx(a, abs=1e-9)
    assert revealing_constant(_channel(4, 0.5)) == pytest.approx(0.4, abs=1e-9)


@FEW
@given(st.integers(0, 10_000), st.integers(2, 4), st.integers(0, 3))
def test_lp_equals_dual_lp_and_dominates_pinv(seed, S, extra):
    rng = np.random.default_rng(seed)
    M = rng.dirichlet(np.ones(S + extra), size=S).T          # (rows, S), columns are laws
    a = revealing_constant(M)
    assert a == pytest.approx(revealing_constant_dual(M), rel=1e-7)
    assert pinv_revealing_lower_bound(M) <= a * (1 + 1e-9)
    assert a <= 1 + 1e-9                                    # columns sum to 1 -> alpha <= 1


def test_observation_splitting_keeps_alpha_but_not_pinv():
    O = _channel(4, 0.5)
    split = np.vstack([0.8 * O, 0.2 * O])
    assert revealing_constant(split) == pytest.approx(0.4, abs=1e-9)
    assert pinv_revealing_lower_bound(split) < 0.4 - 1e-3
    assert l2_revealing_constant(split) != pytest.approx(0.4, abs=1e-3)


def test_revealing_validation():
    with pytest.raises(ValidationError, match=r"rank 1 < S = 2"):
        revealing_constant([[0.5, 0.5], [0.5, 0.5]])
    with pytest.raises(ValidationError, match=r"rows >= S"):
        revealing_constant([[1.0, 0.0, 0.0]])
    with pytest.raises(ValidationError, match=r"M\[0, 1\] = nan"):
        revealing_constant([[1.0, np.nan], [0.0, 1.0]])


def test_m_step_matrix_against_trajectory_laws():
    m = random_pomdp(4, S=3, A=2, n_obs=2, H=3)
    M = m_step_matrix(m, 0, 2)
    assert M.shape == (2 * 2 * 2, 3)
    assert np.allclose(M.sum(axis=0), 2.0)                  # columns sum to A^(m-1)
    for s in range(3):
        mu = np.eye(3)[s]
        ms = POMDP(m.T4, m.O3, m.r, mu, H=3)
        for a0 in range(2):
            law = trajectory_law(ms, np.array([a0, 0, 0])).sum(axis=(3, 4, 5))   # (o0, a0, o1)
            assert np.allclose(M.reshape(2, 2, 2, 3)[:, a0, :, s], law[:, a0, :], atol=1e-14)
    assert [list(x) for x in reachable_states(m)] == [[0, 1, 2]] * 3
    with pytest.raises(ValidationError, match=r"h \+ m <= H"):
        m_step_matrix(m, 2, 2)
