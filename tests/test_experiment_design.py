"""Exact quantities of offline-to-online learning (rltheory.solvers.experiment_design) and the
tabular-as-linear family (rltheory.envs.offline_linear), against brute force and independent methods."""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rltheory import ValidationError
from rltheory.algorithms.ftpedel import optcov_design
from rltheory.envs.offline_linear import (BEHAVIOURS, behaviour_occupancy, behaviour_policy, empty_offline,
                                          expected_offline_counts, offline_covariance, random_layered_linear,
                                          sample_offline_linear, tabular_as_linear, two_branch_instance)
from rltheory.solvers import backward_induction, expected_return
from rltheory.solvers.experiment_design import (coverage_summary, deterministic_policies, design_value,
                                                oracle_design, policy_features, policy_table, restrict)


def _bandit(means):
    A = len(means)
    return tabular_as_linear(np.ones((1, A, 1)), [means], [1.0], [0])


def _numpy_occupancy(inst, pi):
    """Plain forward recursion on the union of layers, (H, S, A)."""
    d = np.zeros((inst.H, inst.S, inst.A))
    rho = inst.mu0.copy()
    for h in range(inst.H):
        d[h, np.arange(inst.S), pi] = rho
        rho = np.array([sum(d[h, s, a] * inst.P[s, a, t] for s in range(inst.S) for a in range(inst.A))
                        for t in range(inst.S)])
    return d


@settings(max_examples=8, deadline=None)
@given(st.integers(0, 10_000), st.lists(st.integers(1, 2), min_size=1, max_size=2), st.integers(1, 3))
def test_policy_table_against_brute_force(seed, sizes, A):
    inst = random_layered_linear([1] + sizes, A, seed)
    tab = policy_table(inst)
    assert tab.n == A ** inst.S
    for i in range(0, tab.n, max(1, tab.n // 5)):
        pi = tab.policies[i]
        d = _numpy_occupancy(inst, pi)
        np.testing.assert_allclose(tab.features[i], d.reshape(inst.H, -1), atol=1e-13)
        assert abs(tab.values[i] - expected_return(inst.tabular, inst.as_markov(pi))) < 1e-12
    assert abs(tab.values.max() - backward_induction(inst.tabular).value) < 1e-12
    assert tab.gaps.min() < 1e-12 and np.all(tab.gaps >= 0)
    # V^pi = sum_h <phi_pi,h, theta_h>
    theta = inst.linear.theta_r
    np.testing.assert_allclose(np.einsum("nhd,hd->n", tab.features, theta), tab.values, atol=1e-12)


def test_step_pairs_are_the_reachable_pairs_of_each_layer():
    inst = two_branch_instance(0.3)
    assert [list(p) for p in inst.step_pairs] == [[0, 1], [2, 3, 4, 5], [6, 7, 8, 9]]
    tab = policy_table(inst)
    for h in range(inst.H):
        full = tab.features[:, h]
        assert np.allclose(np.delete(full, inst.step_pairs[h], axis=1), 0.0)
        assert restrict(inst, full, h).shape == (tab.n, len(inst.step_pairs[h]))


def test_two_branch_gaps_follow_the_stated_formula():
    p = 0.2
    inst = two_branch_instance(p, gap_hard=0.4, gap_easy=0.3, gap_start=0.5)
    tab = policy_table(inst)
    for pi, gap in zip(tab.policies, tab.gaps):
        want = 0.5 * pi[0] + p * 0.4 * (pi[1] + pi[3]) + (1 - p) * 0.3 * (pi[2] + pi[4])
        assert abs(gap - want) < 1e-12


def test_oracle_design_closed_form_on_a_one_state_instance():
    """One state, three arms, offline counts n_a: T = sum_a max(0, 1/tau_a - n_a)."""
    inst = _bandit([0.9, 0.6, 0.2])
    eps, delta, c = 0.1, 0.2, 0.5
    beta = math.log(3 / delta)
    tau = np.maximum([0.0, 0.3, 0.7], eps) ** 2 / (c * beta)
    for n in ([0, 0, 0], [50, 5, 0], [1000, 1000, 1000]):
        pred = oracle_design(inst, np.array(n, float).reshape(1, 1, 3), eps, delta, scale=c)
        want = np.maximum(1 / tau - np.array(n), 0).sum()
        assert abs(pred.T - want) <= 1e-4 * max(want, 1.0), (n, pred.T, want)
        assert pred.slack <= 1 + 1e-5


def test_oracle_design_agrees_with_bisection_on_the_normalised_design():
    """T_o2o (one cone programme) equals the smallest N with min_lambda max_pi criterion <= tolerance, found by
    bisection on design_value (another convex formulation), on a one-step-per-layer instance."""
    inst = two_branch_instance(0.3, gap_hard=0.5, gap_easy=0.4)
    tab = policy_table(inst)
    n_off = expected_offline_counts(inst, behaviour_policy(inst, "hard_branch"), 50)
    eps, delta, c = 0.2, 0.2, 1.0
    pred = oracle_design(inst, n_off, eps, delta, scale=c, table=tab)
    beta = math.log(tab.n / delta)
    tol = np.maximum(tab.gaps, eps) ** 2 / (c * inst.H ** 4 * beta)
    from rltheory.solvers.experiment_design import policy_occupancies
    occ = policy_occupancies(inst, tab.policies).reshape(tab.n, inst.H, -1)

    def feasible(N):
        for h in range(inst.H):
            k = inst.step_pairs[h]
            t = restrict(inst, tab.features[:, h], h) / np.sqrt(tol)[:, None]
            val, _ = design_value(occ[:, h][:, k], t, n_off[h].reshape(-1)[k], N)
            if val > 1.0:
                return False
        return True

    lo, hi = 0.9 * pred.T, 1.2 * pred.T
    assert feasible(hi) and not feasible(lo)
    for _ in range(12):
        mid = 0.5 * (lo + hi)
        lo, hi = (lo, mid) if feasible(mid) else (mid, hi)
    # each step's own optimal design needs no more than the coupled one (one mixture for every step) ...
    assert hi <= pred.T * (1 + 1e-3)
    # ... and here the binding step's design serves the other steps too, so the two coincide
    assert hi >= pred.T * (1 - 1e-3)


def test_oracle_design_is_zero_when_offline_covers_and_decreases_in_N_off():
    inst = two_branch_instance(0.3, gap_hard=0.5, gap_easy=0.4)
    tab = policy_table(inst)
    beh = behaviour_policy(inst, "uniform")
    Ts = [oracle_design(inst, expected_offline_counts(inst, beh, N), 0.2, 0.2, table=tab).T
          for N in (0, 100, 1000, 10 ** 7)]
    assert all(a >= b - 1e-6 * a for a, b in zip(Ts, Ts[1:]))
    assert Ts[-1] == 0.0 and Ts[0] > 0


def test_expert_data_leave_a_plateau():
    inst = two_branch_instance(0.3, gap_hard=0.5, gap_easy=0.4)
    tab = policy_table(inst)
    beh = behaviour_policy(inst, "expert")
    T_big = oracle_design(inst, expected_offline_counts(inst, beh, 10 ** 9), 0.2, 0.2, table=tab).T
    assert T_big > 0
    assert coverage_summary(inst, expected_offline_counts(inst, beh, 10 ** 9), 0.2, tab) == np.inf


def test_coverage_summary_by_hand():
    inst = _bandit([0.9, 0.6])
    n = np.array([[[100.0, 25.0]]])
    # pi = arm 0: 1/100 / max(0, 0.1)^2 = 1; pi = arm 1: 1/25 / 0.3^2 = 0.444
    assert abs(coverage_summary(inst, n, 0.1) - 1.0) < 1e-12


@pytest.mark.parametrize("N", [0.0, 30.0, 1000.0])
def test_optcov_design_matches_the_direct_convex_solve(N):
    """The learner's Frank-Wolfe design reaches the value of the exact convex programme."""
    rng = np.random.default_rng(3)
    for _ in range(3):
        inst = random_layered_linear([1, 2, 2], 2, rng)
        tab = policy_table(inst)
        from rltheory.solvers.experiment_design import policy_occupancies
        occ = policy_occupancies(inst, tab.policies).reshape(tab.n, inst.H, -1)
        h = 2
        k = inst.step_pairs[h]
        V = occ[:, h][:, k]
        T = restrict(inst, tab.features[:, h], h)[::3]
        base = rng.uniform(0.5, 20.0, size=k.size)
        exact, _ = design_value(V, T, base, N)
        fw, mix = optcov_design(V, T ** 2, base, N, iters=3000, eta=200.0)
        assert exact <= fw * (1 + 1e-6)
        assert fw <= exact * 1.01, (fw, exact)
        assert abs(mix.sum() - 1) < 1e-12 and mix.min() >= 0


def test_offline_sampling_law_and_covariance():
    inst = two_branch_instance(0.25)
    for kind in BEHAVIOURS:
        beh = behaviour_policy(inst, kind)
        occ = behaviour_occupancy(inst, beh)
        data = [sample_offline_linear(inst, beh, 400, seed=s) for s in range(200)]
        mean = np.mean([d.counts for d in data], axis=0)
        # 200 datasets: the mean count is within 5 standard errors of N_off * occupancy
        se = np.sqrt(400 * occ * (1 - occ) / 200) + 1e-9
        assert np.all(np.abs(mean - 400 * occ) <= 5 * se + 1e-9), kind
        d = data[0]
        assert np.all(d.next_counts.sum(axis=-1) == d.counts)
        cov = offline_covariance(inst, d)
        for h in range(inst.H):
            np.testing.assert_array_equal(np.diag(cov[h]), d.counts[h].reshape(-1))
            assert np.count_nonzero(cov[h] - np.diag(np.diag(cov[h]))) == 0
    hard = sample_offline_linear(inst, behaviour_policy(inst, "hard_branch"), 1000, seed=0)
    assert hard.counts[:, ~inst.hard].sum() == 0 and hard.counts[0].sum() == 0
    assert empty_offline(inst).counts.sum() == 0


def test_sampling_is_reproducible():
    inst = two_branch_instance(0.25)
    beh = behaviour_policy(inst, "uniform")
    a, b = sample_offline_linear(inst, beh, 77, seed=5), sample_offline_linear(inst, beh, 77, seed=5)
    np.testing.assert_array_equal(a.next_counts, b.next_counts)
    np.testing.assert_array_equal(a.reward_sum, b.reward_sum)


def test_validation_errors():
    P = np.zeros((3, 2, 3))
    P[0, :, 1] = 1.0
    P[1, :, 2] = 1.0
    r = np.full((3, 2), 0.5)
    with pytest.raises(ValidationError, match=r"P\[0, 0, 2\].*layer h -> layer h\+1"):
        Q = P.copy()
        Q[0, 0, 1], Q[0, 0, 2] = 0.5, 0.5
        tabular_as_linear(Q, r, [1, 0, 0], [0, 1, 2])
    with pytest.raises(ValidationError, match=r"r\[0, 1\].*rewards must lie in \[0, 1\]"):
        tabular_as_linear(P, [[0.5, 1.5], [0.5, 0.5], [0.5, 0.5]], [1, 0, 0], [0, 1, 2])
    with pytest.raises(ValidationError, match=r"mu0\[1\].*mu0 lives on layer 0"):
        tabular_as_linear(P, r, [0.5, 0.5, 0], [0, 1, 2])
    with pytest.raises(ValidationError, match=r"layer.*each non-empty"):
        tabular_as_linear(P, r, [1, 0, 0], [0, 2, 3])
    with pytest.raises(ValidationError, match=r"leaves the hard branch"):
        tabular_as_linear(P, r, [1, 0, 0], [0, 1, 2], hard=np.array([True, False, False]))
    with pytest.raises(ValidationError, match=r"p = 1.5 \(rule: 0 < p < 1\)"):
        two_branch_instance(1.5)
    inst = two_branch_instance(0.3)
    with pytest.raises(ValidationError, match=r"kind = 'expert2'"):
        behaviour_policy(inst, "expert2")
    with pytest.raises(ValidationError, match=r"has no hard branch"):
        behaviour_policy(random_layered_linear([1, 2], 2, 0), "hard_branch")
    from rltheory.envs.offline_linear import Behaviour
    with pytest.raises(ValidationError, match=r"policy\[0, :\] sums to 0.5"):
        Behaviour("b", 0, [1.0, 0, 0, 0, 0], np.full((5, 2), 0.25))
    with pytest.raises(ValidationError, match=r"start\[1\] > 0 on layer 1"):
        sample_offline_linear(inst, Behaviour("b", 0, [0.0, 1, 0, 0, 0], np.full((5, 2), 0.5)), 3, seed=0)
    with pytest.raises(ValidationError, match=r"N_off = -1"):
        sample_offline_linear(inst, behaviour_policy(inst, "uniform"), -1, seed=0)
    with pytest.raises(ValidationError, match=r"n_off has a negative entry"):
        oracle_design(inst, -np.ones((3, 5, 2)), 0.1, 0.1)
    with pytest.raises(ValidationError, match=r"n_off has shape"):
        oracle_design(inst, np.ones((3, 5)), 0.1, 0.1)
    with pytest.raises(ValidationError, match=r"policies\[0, 1\] = 2"):
        policy_features(inst, np.array([[0, 2, 0, 0, 0]]))
    with pytest.raises(ValidationError, match=r"A\^S = 2\^13"):
        deterministic_policies(random_layered_linear([1, 4, 4, 4], 2, 0))
    with pytest.raises(ValidationError, match=r"rule: a TabularLinearMDP"):
        policy_table(backward_induction)
    with pytest.raises(ValidationError, match=r"must be >= 0"):
        design_value(np.ones((2, 2)), np.ones((1, 2)), -np.ones(2), 1.0)


@settings(max_examples=4, deadline=None)
@given(st.integers(0, 10_000), st.sampled_from(["uniform", "eps_greedy", "expert"]))
def test_oracle_prediction_properties_on_random_instances(seed, kind):
    """T_o2o is non-increasing in N_off, feasible (slack <= 1) and 0 once uniform data cover everything."""
    inst = random_layered_linear([1, 2, 2], 2, seed)
    tab = policy_table(inst)
    beh = behaviour_policy(inst, kind)
    prev = np.inf
    for N in (0, 300, 3000):
        pred = oracle_design(inst, expected_offline_counts(inst, beh, N), 0.2, 0.2, table=tab)
        assert pred.T <= prev * (1 + 1e-4) + 1e-6 and pred.slack <= 1 + 1e-4
        assert abs(pred.mixture.sum() - pred.T) <= 1e-9 * max(pred.T, 1.0)
        prev = pred.T
    big = expected_offline_counts(inst, behaviour_policy(inst, "uniform"), 10 ** 9)
    assert oracle_design(inst, big, 0.2, 0.2, table=tab).T == 0.0
