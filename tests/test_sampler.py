"""Trajectory sampler: Monte Carlo returns and visit frequencies against exact values,
support of every sampled transition, reward models, determinism, validation."""

from __future__ import annotations

import numpy as np
import pytest

from rltheory import ValidationError
from rltheory.envs import random_tabular, riverswim, sample_trajectories
from rltheory.solvers import occupancy, policy_evaluation

K = 20_000


def mdp_and_policies(stationary):
    M = random_tabular(4, 3, 5, 21, stationary=stationary, gamma_max=3, mu0="uniform")
    rng = np.random.default_rng(0)
    det = rng.integers(0, 3, (5, 4))
    sto = rng.dirichlet(np.ones(3), size=(5, 4))
    sto[:, 0] = [0.0, 1.0, 0.0]  # a deterministic row inside a stochastic policy
    return M, det, sto


def exact_value(M, pi):
    return float(M.mu0 @ policy_evaluation(M, pi).V[0])


@pytest.mark.parametrize("stationary", [True, False])
@pytest.mark.parametrize("kind", ["det", "sto"])
@pytest.mark.parametrize("noise", [None, "bernoulli"])
def test_mean_return_matches_exact_value(stationary, kind, noise):
    """|mean return - V^pi(mu0)| <= 5 standard errors of the Monte Carlo mean."""
    M, det, sto = mdp_and_policies(stationary)
    pi = det if kind == "det" else sto
    T = sample_trajectories(M, pi, K, 3, reward_noise=noise)
    se = T.returns.std(ddof=1) / np.sqrt(K)
    assert se > 0
    assert abs(T.returns.mean() - exact_value(M, pi)) <= 5 * se
    np.testing.assert_allclose(T.returns, T.rewards.sum(axis=1), rtol=0, atol=1e-12)


@pytest.mark.parametrize("kind", ["det", "sto"])
def test_visit_frequencies_match_occupancy(kind):
    """Each cell's visit frequency is within 5 binomial standard errors of d_h(s, a)."""
    M, det, sto = mdp_and_policies(False)
    pi = det if kind == "det" else sto
    T = sample_trajectories(M, pi, K, 4)
    freq = T.visit_counts(M.S, M.A) / K
    d = occupancy(M, pi)
    se = np.sqrt(d * (1 - d) / K)
    assert np.all(np.abs(freq - d) <= 5 * se + 1e-12)
    # cells of zero occupancy are never visited
    assert not freq[d == 0].any()
    # final states follow d_H = sum_{s,a} d_{H-1}(s, a) P_{H-1}(. | s, a)
    dH = np.einsum("sa,sat->t", d[-1], M.P_at(M.H - 1))
    fH = np.bincount(T.states[:, -1], minlength=M.S) / K
    assert np.all(np.abs(fH - dH) <= 5 * np.sqrt(dH * (1 - dH) / K) + 1e-12)


def test_sampled_transitions_have_positive_probability():
    M = random_tabular(8, 2, 6, 2, gamma_max=2, stationary=False, mu0=[0.5, 0.5] + [0.0] * 6)
    pi = np.full((6, 8, 2), 0.5)
    T = sample_trajectories(M, pi, 5_000, 0)
    h = np.arange(6)[None, :]
    assert (M.P[h, T.states[:, :-1], T.actions, T.states[:, 1:]] > 0).all()
    assert set(np.unique(T.states[:, 0])) == {0, 1}


def test_reward_models():
    M, det, _ = mdp_and_policies(False)
    T = sample_trajectories(M, det, 200, 0)
    h = np.arange(M.H)[None, :]
    np.testing.assert_array_equal(T.rewards, M.R[h, T.states[:, :-1], T.actions])
    B = sample_trajectories(M, det, 200, 0, reward_noise="bernoulli")
    assert set(np.unique(B.rewards)) <= {0.0, 1.0}


def test_riverswim_left_policy_is_deterministic():
    # always-left from state 0: stays at 0 collecting 5/1000 per step
    M = riverswim(5, 7)
    T = sample_trajectories(M, np.zeros((7, 5), dtype=np.int64), 10, 0)
    assert (T.states == 0).all()
    np.testing.assert_allclose(T.returns, 7 * 0.005, rtol=0, atol=1e-15)


def test_determinism_and_seed_kinds():
    M, det, sto = mdp_and_policies(True)
    for pi in (det, sto):
        a = sample_trajectories(M, pi, 300, 9)
        b = sample_trajectories(M, pi, 300, np.random.SeedSequence(9))
        c = sample_trajectories(M, pi, 300, 10)
        for x, y in ((a.states, b.states), (a.actions, b.actions), (a.rewards, b.rewards),
                     (a.returns, b.returns)):
            assert np.array_equal(x, y)
        assert not np.array_equal(a.states, c.states)
    # a Generator is used as is (same stream as the int seed) and advanced by the call
    g = np.random.default_rng(9)
    first = sample_trajectories(M, det, 300, g)
    second = sample_trajectories(M, det, 300, g)
    assert np.array_equal(first.states, sample_trajectories(M, det, 300, 9).states)
    assert not np.array_equal(first.states, second.states)


def test_result_is_read_only_and_shaped():
    M, det, _ = mdp_and_policies(True)
    T = sample_trajectories(M, det, 7, 0)
    assert T.states.shape == (7, 6) and T.actions.shape == (7, 5)
    assert T.rewards.shape == (7, 5) and T.returns.shape == (7,)
    assert T.states.dtype == np.int64 and T.K == 7 and T.H == 5
    with pytest.raises(ValueError):
        T.states[0, 0] = 1


def test_stationary_policy_broadcasts():
    M, _, _ = mdp_and_policies(True)
    a = sample_trajectories(M, np.array([0, 1, 2, 0]), 50, 1)
    b = sample_trajectories(M, np.tile([0, 1, 2, 0], (5, 1)), 50, 1)
    assert np.array_equal(a.states, b.states)


@pytest.mark.parametrize("policy, match", [
    (np.zeros((5, 3), dtype=np.int64), "policy"),
    (np.full((5, 4), 3), "policy"),
    (np.full((5, 4, 3), 0.5), "policy"),
])
def test_rejects_bad_policies(policy, match):
    M, _, _ = mdp_and_policies(True)
    with pytest.raises(ValidationError, match=match):
        sample_trajectories(M, policy, 10, 0)


def test_rejects_bad_arguments():
    M, det, _ = mdp_and_policies(True)
    with pytest.raises(ValidationError, match="K"):
        sample_trajectories(M, det, 0, 0)
    with pytest.raises(ValidationError, match="reward_noise"):
        sample_trajectories(M, det, 10, 0, reward_noise="gaussian")
    with pytest.raises(ValidationError, match="mdp"):
        sample_trajectories(M.P, det, 10, 0)
    with pytest.raises(ValidationError, match="seed"):
        sample_trajectories(M, det, 10, -3)
