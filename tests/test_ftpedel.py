"""FTPedel (rltheory.algorithms.ftpedel): the elimination rule by hand, the least-squares propagation against
general linear algebra, reproducibility, the alternatives and the input checks."""

import math

import numpy as np
import pytest

from rltheory import ValidationError
from rltheory.algorithms.ftpedel import (BETA_SCALE, elimination_step, epoch_beta, fixed_budget_greedy, ftpedel,
                                         null_learner, offline_lcb, propagate)
from rltheory.envs.offline_linear import (OfflineLinearData, behaviour_policy, empty_offline, random_layered_linear,
                                          sample_offline_linear, tabular_as_linear, two_branch_instance)
from rltheory.solvers.experiment_design import policy_table


def _two_arms():
    return tabular_as_linear(np.ones((1, 2, 1)), [[0.6, 0.3]], [1.0], [0])


def _offline_two_arms(n0, n1, s0, s1):
    counts = np.array([[[n0, n1]]], dtype=np.int64)
    nxt = counts[..., None].copy()
    return OfflineLinearData(counts, np.array([[[s0, s1]]], float), nxt, n0 + n1, "hand")


def test_elimination_rule_hand_computed_two_policy_case():
    """Two policies (arms) with offline data only: V_hat = R_sum / (n + lam) = 600/1001 and 300/1001, a
    difference of 0.2997.  The rule keeps pi iff V_hat >= max V_hat - 2 eps_l: both survive epochs 1 and 2
    (2 eps_l = 1, 0.5), arm 1 is eliminated after epoch 3 (2 eps_l = 0.25 < 0.2997)."""
    inst = _two_arms()
    off = _offline_two_arms(1000, 1000, 600.0, 300.0)
    # a tiny beta_scale makes the offline data satisfy every epoch's criterion: no online episodes
    run = ftpedel(inst, off, eps=0.01, delta=0.1, seed=0, beta_scale=1e-9)
    assert run.online_episodes == 0
    assert run.survivors.tolist() == [2, 2, 2]
    assert run.output_policy.tolist() == [0]
    assert run.certified and run.eps_optimal and run.suboptimality == 0.0
    assert elimination_step([600 / 1001, 300 / 1001], 0.25).tolist() == [0, 1]
    assert elimination_step([600 / 1001, 300 / 1001], 0.125).tolist() == [0]
    # reversed data: arm 1 looks better and arm 0 is eliminated -- the output is then the wrong arm
    bad = ftpedel(inst, _offline_two_arms(1000, 1000, 300.0, 600.0), eps=0.01, delta=0.1, seed=0, beta_scale=1e-9)
    assert bad.output_policy.tolist() == [1] and not bad.eps_optimal and abs(bad.suboptimality - 0.3) < 1e-12


def test_epoch_beta_formula():
    assert abs(epoch_beta(3, 2, 8, 0.1, 0.5) - 0.5 * 16 * math.log(4 * 4 * 8 * 9 / 0.1)) < 1e-12


def test_propagation_equals_general_least_squares():
    """phi_hat_{h+1} = (sum_tau phi(s', pi(s')) phi_tau^T) Lambda^{-1} phi_hat_h, Lambda = sum phi phi^T + lam I,
    computed with dense one-hot features and numpy.linalg."""
    rng = np.random.default_rng(0)
    inst = random_layered_linear([1, 2, 3], 2, rng)
    S, A, d = inst.S, inst.A, inst.d
    pols = rng.integers(0, A, size=(4, S))
    counts = rng.integers(0, 20, size=(S, A)).astype(float)
    nxt = np.zeros((S, A, S))
    for s in range(S):
        for a in range(A):
            nxt[s, a] = rng.multinomial(int(counts[s, a]), inst.P[s, a])
    phi_h = rng.uniform(0, 1, size=(4, S, A))
    lam = 0.7
    got = propagate(pols, counts, nxt, lam, phi_h)
    feat = inst.linear.phi.reshape(S * A, d)
    Lam = feat.T @ np.diag(counts.reshape(-1)) @ feat + lam * np.eye(d)
    for p in range(4):
        M = np.zeros((d, d))
        for s in range(S):
            for a in range(A):
                for t in range(S):
                    M += nxt[s, a, t] * np.outer(feat[t * A + pols[p, t]], feat[s * A + a])
        want = M @ np.linalg.solve(Lam, phi_h[p].reshape(-1))
        np.testing.assert_allclose(got[p].reshape(-1), want, atol=1e-13)


def test_same_seed_same_run_and_recorded_constants():
    inst = two_branch_instance(0.3, gap_hard=0.8, gap_easy=0.6)
    tab = policy_table(inst)
    off = sample_offline_linear(inst, behaviour_policy(inst, "eps_greedy"), 500, seed=1)
    a = ftpedel(inst, off, 0.125, 0.1, seed=7, table=tab)
    b = ftpedel(inst, off, 0.125, 0.1, seed=7, table=tab)
    assert a.online_episodes == b.online_episodes and np.array_equal(a.episodes, b.episodes)
    assert a.params["beta_scale"] == BETA_SCALE and a.params["N_off"] == 500 and a.fidelity == "reconstructed"
    assert a.episodes.shape[1] == inst.H and a.online_episodes == a.episodes.sum()
    with pytest.raises(TypeError):
        a.params["beta_scale"] = 1.0


def test_offline_data_cover_everything_then_no_online_episodes():
    inst = two_branch_instance(0.3, gap_hard=0.8, gap_easy=0.6)
    off = sample_offline_linear(inst, behaviour_policy(inst, "uniform"), 10 ** 7, seed=0)
    run = ftpedel(inst, off, 0.125, 0.1, seed=0)
    assert run.online_episodes == 0 and run.eps_optimal


def test_learner_and_alternatives_on_the_separation_instance():
    inst = two_branch_instance(0.2, gap_hard=1.0, gap_easy=0.6)
    tab = policy_table(inst)
    off = sample_offline_linear(inst, behaviour_policy(inst, "hard_branch"), 10 ** 5, seed=3)
    hyb = ftpedel(inst, off, 1 / 32, 0.1, seed=0, table=tab)
    onl = ftpedel(inst, empty_offline(inst), 1 / 32, 0.1, seed=0, table=tab)
    uni = ftpedel(inst, off, 1 / 32, 0.1, seed=0, table=tab, explore="uniform")
    assert hyb.certified and onl.certified and uni.certified
    assert hyb.online_episodes > 0 and onl.online_episodes > 0 and uni.algorithm == "elimination-uniform"
    lcb = offline_lcb(inst, off, 1 / 32, 0.1, seed=0, table=tab)
    assert lcb.online_episodes == 0 and not lcb.certified
    # the easy branch and the start state are unseen: LCB cannot be eps-optimal there unless it guesses
    assert lcb.output_policy[inst.hard].tolist() == [0, 0]
    fb = fixed_budget_greedy(inst, off, 1 / 32, 0.1, seed=0, budget=300, table=tab)
    assert fb.online_episodes == 300 and not fb.certified
    nl = null_learner(inst, 1 / 32, 0.1, seed=0, table=tab)
    assert nl.online_episodes == 0 and abs(nl.suboptimality - tab.gaps[int(np.ravel_multi_index(
        tuple(nl.output_policy), (2,) * 5))]) < 1e-15


def test_budget_stops_uncertified():
    inst = two_branch_instance(0.3)
    run = ftpedel(inst, empty_offline(inst), 1 / 64, 0.1, seed=0, budget=100)
    assert not run.certified and run.online_episodes <= 100 + 25


def test_validation_errors():
    inst = two_branch_instance(0.3)
    off = empty_offline(inst)
    with pytest.raises(ValidationError, match=r"eps = 0.0 \(rule: 0 < eps < 1\)"):
        ftpedel(inst, off, 0.0, 0.1, seed=0)
    with pytest.raises(ValidationError, match=r"delta = 1.0 \(rule: 0 < delta < 1\)"):
        ftpedel(inst, off, 0.1, 1.0, seed=0)
    with pytest.raises(ValidationError, match=r"explore = 'greedy'"):
        ftpedel(inst, off, 0.1, 0.1, seed=0, explore="greedy")
    with pytest.raises(ValidationError, match=r"beta_scale = -1"):
        ftpedel(inst, off, 0.1, 0.1, seed=0, beta_scale=-1)
    with pytest.raises(ValidationError, match=r"offline.counts has shape \(1, 1, 2\)"):
        ftpedel(inst, _offline_two_arms(1, 1, 0.0, 0.0), 0.1, 0.1, seed=0)
    with pytest.raises(ValidationError, match=r"offline is dict"):
        ftpedel(inst, {}, 0.1, 0.1, seed=0)
    with pytest.raises(ValidationError, match=r"inst is str"):
        offline_lcb("mdp", off, 0.1, 0.1, seed=0)
    with pytest.raises(ValidationError, match=r"next_counts\[0, 0, 0\] sums to 0 != counts = 3"):
        OfflineLinearData(np.array([[[3, 0]]]), np.zeros((1, 1, 2)), np.zeros((1, 1, 2, 1), np.int64), 3, "x")
    with pytest.raises(ValidationError, match=r"reward_sum"):
        OfflineLinearData(np.array([[[1, 0]]]), np.array([[[2.0, 0]]]), np.array([[[[1], [0]]]]), 1, "x")
    with pytest.raises(ValidationError, match=r"v_hat has shape \(0,\)"):
        elimination_step([], 0.1)
    with pytest.raises(ValidationError, match=r"lam = 0"):
        propagate(np.zeros((1, 1), int), np.ones((1, 2)), np.ones((1, 2, 1)), 0, np.ones((1, 1, 2)))
