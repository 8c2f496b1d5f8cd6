"""Instance generators: determinism, validity, sparsity, the Dirichlet law, and the
optimal values of the classic instances against hand-computed and closed-form values."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rltheory import ValidationError
from rltheory.envs import chain, combination_lock, random_tabular, riverswim
from rltheory.solvers import backward_induction, policy_evaluation


def numpy_optimum(mdp):
    """Independent plain-numpy backward induction: V* (H+1, S)."""
    H, S = mdp.H, mdp.S
    V = np.zeros((H + 1, S))
    for h in range(H - 1, -1, -1):
        V[h] = (mdp.R_at(h) + mdp.P_at(h) @ V[h + 1]).max(axis=1)
    return V


# ----------------------------------------------------------------------------- random_tabular

@pytest.mark.parametrize("stationary", [True, False])
def test_random_tabular_shapes_and_determinism(stationary):
    a = random_tabular(4, 3, 5, 7, stationary=stationary)
    b = random_tabular(4, 3, 5, 7, stationary=stationary)
    c = random_tabular(4, 3, 5, 8, stationary=stationary)
    lead = () if stationary else (5,)
    assert a.P.shape == lead + (4, 3, 4) and a.R.shape == lead + (4, 3)
    assert a.stationary == stationary and a.H == 5
    assert np.array_equal(a.P, b.P) and np.array_equal(a.R, b.R)
    assert not np.array_equal(a.P, c.P)
    np.testing.assert_allclose(a.P.sum(-1), 1.0, atol=1e-12)
    assert a.R.min() >= 0.0 and a.R.max() <= 1.0
    # default start distribution: point mass on state 0
    assert a.mu0.tolist() == [1.0, 0.0, 0.0, 0.0]


@settings(max_examples=40, deadline=None)
@given(S=st.integers(1, 6), A=st.integers(1, 3), H=st.integers(1, 4), seed=st.integers(0, 2**32),
       stationary=st.booleans(), data=st.data(),
       alpha=st.sampled_from([0.05, 0.3, 1.0, 5.0]),
       reward=st.sampled_from(["uniform", "binary", "zero"]),
       reward_range=st.sampled_from(["per_step", "total"]))
def test_random_tabular_is_valid_for_any_parameters(S, A, H, seed, stationary, data, alpha,
                                                    reward, reward_range):
    gamma = data.draw(st.one_of(st.none(), st.integers(1, S)))
    kw = dict(stationary=stationary, gamma_max=gamma, dirichlet_alpha=alpha, reward=reward,
              reward_range=reward_range)
    M = random_tabular(S, A, H, seed, **kw)   # the TabularMDP constructor validates it
    assert M.S == S and M.A == A and M.H == H and M.stationary == stationary
    np.testing.assert_allclose(M.P.sum(-1), 1.0, rtol=0, atol=1e-12)
    if gamma is not None:
        assert ((M.P > 0).sum(-1) <= gamma).all()
    top = 1.0 / H if reward_range == "total" else 1.0
    assert M.R.min() >= 0.0 and M.R.max() <= top
    N = random_tabular(S, A, H, seed, **kw)
    assert np.array_equal(M.P, N.P) and np.array_equal(M.R, N.R)


def test_random_tabular_seed_kinds():
    ss = np.random.SeedSequence(11)
    a = random_tabular(3, 2, 2, 11)
    b = random_tabular(3, 2, 2, np.random.SeedSequence(11))
    assert np.array_equal(a.P, b.P)
    # a Generator is used as is and advanced by the call
    g = np.random.default_rng(ss)
    c = random_tabular(3, 2, 2, g)
    d = random_tabular(3, 2, 2, g)
    assert np.array_equal(a.P, c.P) and not np.array_equal(c.P, d.P)


@pytest.mark.parametrize("gamma", [1, 2, 4])
def test_sparsity_is_respected_and_supports_are_uniform(gamma):
    S, A, H = 6, 4, 5
    M = random_tabular(S, A, H, 3, stationary=False, gamma_max=gamma)
    support = M.P > 0
    # with alpha = 1 no Dirichlet weight underflows: exactly gamma next states per row
    assert (support.sum(-1) == gamma).all()
    # each state is in a row's support with probability gamma / S (binomial, 5 SE band)
    n_rows = H * S * A
    freq = support.reshape(n_rows, S).mean(axis=0)
    p = gamma / S
    se = np.sqrt(p * (1 - p) / n_rows)
    assert np.all(np.abs(freq - p) <= 5 * se + 1e-12)


def test_dirichlet_marginals():
    """Entries of a Dirichlet(alpha 1_S) row are Beta(alpha, (S-1) alpha): mean 1/S and
    variance (S-1) / (S^2 (S alpha + 1))."""
    S, A, H, alpha = 5, 10, 200, 0.5
    M = random_tabular(S, A, H, 5, stationary=False, dirichlet_alpha=alpha)
    x = M.P.reshape(-1, S)
    n = x.shape[0]
    var = (S - 1) / (S ** 2 * (S * alpha + 1))
    assert np.all(np.abs(x.mean(axis=0) - 1 / S) <= 5 * np.sqrt(var / n))
    # pooled sample variance (10^4 entries, relative standard error about 2%)
    assert abs(x.var() - var) <= 0.1 * var
    # the variance (S-1) / (S^2 (S alpha + 1)) vanishes as alpha grows: rows concentrate at 1/S
    flat = random_tabular(S, A, H, 5, stationary=False, dirichlet_alpha=100.0).P
    assert np.abs(flat - 1 / S).max() < 0.2


def test_reward_families_and_total_normalisation():
    M = random_tabular(4, 2, 6, 0, reward="binary")
    assert set(np.unique(M.R)) <= {0.0, 1.0}
    assert 0 < M.R.sum() < M.R.size
    Z = random_tabular(4, 2, 6, 0, reward="zero")
    assert not Z.R.any()
    T = random_tabular(4, 2, 6, 0, reward_range="total")
    U = random_tabular(4, 2, 6, 0)
    np.testing.assert_array_equal(T.R, U.R / 6)
    assert T.reward_range == "total" and T.max_return == 1.0
    assert backward_induction(T).V[0].max() <= 1.0


def test_mu0_options():
    M = random_tabular(4, 2, 3, 0, mu0="uniform")
    np.testing.assert_array_equal(M.mu0, np.full(4, 0.25))
    M = random_tabular(3, 2, 3, 0, mu0=[0.5, 0.0, 0.5])
    assert M.mu0.tolist() == [0.5, 0.0, 0.5]
    with pytest.raises(ValidationError, match="mu0"):
        random_tabular(3, 2, 3, 0, mu0=[0.5, 0.6, 0.0])
    with pytest.raises(ValidationError, match="mu0"):
        random_tabular(3, 2, 3, 0, mu0="first")


@pytest.mark.parametrize("kwargs, match", [
    (dict(gamma_max=5), "gamma_max"),
    (dict(gamma_max=0), "gamma_max"),
    (dict(dirichlet_alpha=0.0), "dirichlet_alpha"),
    (dict(dirichlet_alpha=float("nan")), "dirichlet_alpha"),
    (dict(reward="gaussian"), "reward"),
    (dict(reward_range="sum"), "reward_range"),
])
def test_random_tabular_rejects_bad_parameters(kwargs, match):
    with pytest.raises(ValidationError, match=match):
        random_tabular(4, 2, 3, 0, **kwargs)


@pytest.mark.parametrize("seed", [-1, 1.5, "a", True])
def test_random_tabular_rejects_bad_seed(seed):
    with pytest.raises(ValidationError, match="seed"):
        random_tabular(3, 2, 2, seed)


def test_random_tabular_rejects_bad_sizes():
    with pytest.raises(ValidationError, match="S"):
        random_tabular(0, 2, 2, 0)
    with pytest.raises(ValidationError, match="H"):
        random_tabular(2, 2, 0, 0)


# ----------------------------------------------------------------------------- RiverSwim

def test_riverswim_hand_computed_values():
    # S = H = 2: V_1 = (0.005, 1); V_0(0) = max(0.005 + 0.005, 0.4*0.005 + 0.6*1) = 0.602,
    # V_0(1) = max(0 + 0.005, 1 + 0.6*1 + 0.4*0.005) = 1.602.
    sol = backward_induction(riverswim(2, 2))
    np.testing.assert_allclose(sol.V[1], [0.005, 1.0], rtol=0, atol=1e-15)
    np.testing.assert_allclose(sol.V[0], [0.602, 1.602], rtol=0, atol=1e-15)
    assert sol.policy[0].tolist() == [1, 1] and sol.policy[1].tolist() == [0, 1]
    # S = 3, H = 2: V_1 = (0.005, 0, 1); V_0(0) = max(0.01, 0.4*0.005 + 0.6*0) = 0.01,
    # V_0(1) = max(0.005, 0.05*0.005 + 0.6*0 + 0.35*1) = 0.35025, V_0(2) = 1 + 0.6 + 0 = 1.6.
    sol = backward_induction(riverswim(3, 2))
    np.testing.assert_allclose(sol.V[0], [0.01, 0.35025, 1.6], rtol=0, atol=1e-15)
    assert sol.policy[0].tolist() == [0, 1, 1]


def test_riverswim_structure_and_optimum():
    M = riverswim(6, 20)
    P = M.P
    assert (P[:, 0].argmax(-1) == np.maximum(np.arange(6) - 1, 0)).all()
    assert P[0, 1].tolist() == [0.4, 0.6, 0, 0, 0, 0]
    assert P[3, 1, 2:5].tolist() == [0.05, 0.6, 0.35]
    assert P[5, 1, 4:].tolist() == [0.4, 0.6]
    assert M.R[0, 0] == 0.005 and M.R[5, 1] == 1.0 and M.R.sum() == 1.005
    sol = backward_induction(M)
    np.testing.assert_allclose(sol.V, numpy_optimum(M), rtol=0, atol=1e-12)
    # with H = 20 swimming right pays off from the start; with H = 4 it does not
    assert sol.policy[0, 0] == 1
    assert backward_induction(riverswim(6, 4)).policy[0, 0] == 0


# ----------------------------------------------------------------------------- chain

@pytest.mark.parametrize("S, H, d", [(6, 20, 0.05), (6, 5, 0.05), (4, 10, 0.5), (2, 1, 0.3),
                                     (5, 8, 0.0)])
def test_chain_closed_form(S, H, d):
    M = chain(S, H, distractor=d)
    v = backward_induction(M).V[0, 0]
    assert v == pytest.approx(max(H * d, H - S + 1), abs=1e-12)


def test_chain_with_slip_matches_numpy_dp():
    M = chain(5, 12, distractor=0.1, slip=0.3)
    np.testing.assert_allclose(backward_induction(M).V, numpy_optimum(M), rtol=0, atol=1e-12)
    np.testing.assert_allclose(M.P[2, 1, 2:4], [0.3, 0.7])
    with pytest.raises(ValidationError, match="slip"):
        chain(5, 12, slip=1.0)


# ----------------------------------------------------------------------------- combination lock

@pytest.mark.parametrize("failure", ["reset", "dead"])
def test_combination_lock_optimum_is_the_secret(failure):
    S, A, H = 6, 3, 9
    M = combination_lock(S, A, H, 4, failure=failure)
    g = S - 1 if failure == "reset" else S - 2
    secret = M.P[:g, :, 1:g + 1].diagonal(axis1=0, axis2=2).argmax(axis=0)
    # every lock state has exactly one advancing action
    for s in range(g):
        assert (M.P[s, :, s + 1] == 1.0).sum() == 1 and M.P[s, secret[s], s + 1] == 1.0
    assert M.R.sum() == 1.0 and M.R[g - 1, secret[g - 1]] == 1.0
    assert backward_induction(M).V[0, 0] == 1.0
    # with H = g there is no slack: the optimal policy must play the combination
    sol = backward_induction(combination_lock(S, A, g, 4, failure=failure))
    assert sol.V[0, 0] == 1.0
    assert [sol.policy[h, h] for h in range(g)] == secret.tolist()
    # same seed same combination, another seed another one (3^5 = 243 combinations)
    assert np.array_equal(M.P, combination_lock(S, A, H, 4, failure=failure).P)
    assert not np.array_equal(M.P, combination_lock(S, A, H, 5, failure=failure).P)


def test_combination_lock_random_walk_needs_exponential_time():
    """Expected hitting time of the goal by the uniform random walk (reset lock), by an exact
    linear solve, equals A (A^g - 1) / (A - 1); with the dead state, a uniformly random
    episode of length g opens the lock with probability A^-g (exact policy evaluation)."""
    for S, A in [(4, 2), (5, 3), (7, 2)]:
        M = combination_lock(S, A, S - 1, 1)
        g = S - 1
        Pu = M.P.mean(axis=1)[:g, :g]      # uniform policy, restricted to the lock states
        T = np.linalg.solve(np.eye(g) - Pu, np.ones(g))
        assert T[0] == pytest.approx(A * (A ** g - 1) / (A - 1), rel=1e-10)
        D = combination_lock(S + 1, A, g, 1, failure="dead")
        uniform = np.full((g, S + 1, A), 1.0 / A)
        v = policy_evaluation(D, uniform).V[0, 0]
        assert v == pytest.approx(float(A) ** -g, rel=1e-12)


def test_combination_lock_rejects_short_horizon_and_bad_failure():
    with pytest.raises(ValidationError, match="H"):
        combination_lock(6, 2, 4, 0)
    with pytest.raises(ValidationError, match="failure"):
        combination_lock(6, 2, 6, 0, failure="stay")
    with pytest.raises(ValidationError, match="S"):
        combination_lock(2, 2, 6, 0, failure="dead")
