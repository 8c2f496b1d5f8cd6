"""Revealing-POMDP hard instances and learners: exact quantities against brute force, learners' bookkeeping."""

import itertools

import numpy as np
import pytest

from rltheory import ValidationError
from rltheory.algorithms import (fixed_guess, lock_blind_search, lock_fixed_budget, lock_search, plug_in_exploit,
                                 reveal_explore_then_commit, ucb_exploit)
from rltheory.bounds.pomdp import revealing_closed_form
from rltheory.envs.hard_instances.pomdp import (binary_channel, costly_reveal_pomdp, noisy_lock, paninski_chi2,
                                                paninski_law, paninski_observation_law, paninski_pomdp,
                                                paninski_tv_curve, paninski_tv_exact)
from rltheory.solvers import (chi2, kl, m_step_matrix, open_loop_value, pomdp_optimal_value, reachable_states,
                              revealing_constant, trajectory_law, tv)


def _mixture(n, eps, N):
    laws = []
    for z in itertools.product((-1, 1), repeat=n // 2):
        p = paninski_law(n, eps, np.array(z))
        out = np.array(1.0)
        for _ in range(N):
            out = np.multiply.outer(out, p)
        laws.append(out)
    null = np.array(1.0)
    for _ in range(N):
        null = np.multiply.outer(null, np.full(n, 1.0 / n))
    return np.mean(laws, axis=0), null


@pytest.mark.parametrize("n, eps, N", [(2, 0.5, 3), (4, 0.3, 4), (4, 0.9, 5), (6, 0.6, 3)])
def test_paninski_exact_chi2_and_tv_against_enumeration(n, eps, N):
    mix, null = _mixture(n, eps, N)
    assert paninski_chi2(n, eps, N) == pytest.approx(chi2(mix, null), rel=1e-10, abs=1e-13)
    assert paninski_tv_exact(n, eps, N) == pytest.approx(tv(mix, null), abs=1e-12)


def test_monte_carlo_tv_agrees_with_exact_and_is_seeded():
    exact = paninski_tv_exact(8, 0.5, 11)
    c = paninski_tv_curve(8, 0.5, 11, 40_000, 7)
    assert abs(c.tv[-1] - exact) < 4 * c.se[-1]
    c2 = paninski_tv_curve(8, 0.5, 11, 40_000, 7)
    assert np.array_equal(c.tv, c2.tv)
    assert c.first_crossing(1 / 3) <= 12


def test_paninski_pomdp_observation_law_and_l1_scaling():
    n, eps, a = 6, 0.5, 0.7
    z = np.array([1, -1, 1])
    m = paninski_pomdp(n, eps, a, z)
    law = trajectory_law(m, np.zeros(2, dtype=np.int64)).sum(axis=(0, 1, 3))[1:]
    q = paninski_observation_law(n, eps, a, z)
    assert np.allclose(law, q, atol=1e-15)
    assert np.abs(q - 1 / n).sum() == pytest.approx(a * eps, abs=1e-14)      # ||O v||_1 = a ||v||_1
    assert revealing_constant(m.O3[1][1:, 1:].T) == pytest.approx(revealing_closed_form(n, a), abs=1e-9)


def test_noisy_lock_values_and_revealing_constant():
    code = np.array([1, 0])
    lock = noisy_lock(3, 2, 0.6, code)
    assert pomdp_optimal_value(lock) == pytest.approx(1.0, abs=1e-12)
    assert open_loop_value(lock, np.array([1, 0, 0])) == pytest.approx(1.0, abs=1e-15)
    assert open_loop_value(lock, np.array([0, 0, 0])) == 0.0
    assert revealing_constant(lock.O3[0].T) == pytest.approx(0.6, abs=1e-9)
    assert np.allclose(lock.O3[0], binary_channel(0.6))
    with pytest.raises(ValidationError, match=r"code = .*H-1 = 2 integer actions"):
        noisy_lock(3, 2, 0.6, np.array([0, 2]))


def test_costly_reveal_values_leakage_and_revealing():
    z = np.array([1, -1])
    inst = costly_reveal_pomdp(2, 0.5, 0.8, z, "two_step")
    m = inst.pomdp
    g_true = inst.guess_action(z)
    assert open_loop_value(m, inst.optimal_actions) == pytest.approx(1.0, abs=1e-15)
    assert open_loop_value(m, np.array([0, 0, 0])) == 0.0
    others = [a for a in range(1, m.A) if a != g_true]
    assert all(open_loop_value(m, np.array([0, a, 0])) == pytest.approx(0.5, abs=1e-15) for a in others)
    small = costly_reveal_pomdp(1, 0.5, 0.8, np.array([1]), "two_step").pomdp
    assert pomdp_optimal_value(small) == pytest.approx(1.0, abs=1e-12)
    # exploit trajectories of a guess g != z, z' have the same law under theta_z and theta_z'
    z2 = np.array([-1, -1])
    m2 = costly_reveal_pomdp(2, 0.5, 0.8, z2, "two_step").pomdp
    g = inst.guess_action(np.array([1, 1]))
    assert kl(trajectory_law(m, np.array([0, g, 0])), trajectory_law(m2, np.array([0, g, 0]))) == 0.0
    assert kl(trajectory_law(m, np.array([0, g_true, 0])), trajectory_law(m2, np.array([0, g_true, 0]))) > 0
    # revealing: the step-1 sample is hidden from o_1 (rank 1) but revealed by (reveal, o_2): 2-step revealing
    states = reachable_states(m)[1]
    with pytest.raises(ValidationError, match=r"rank 1 < S"):
        revealing_constant(m_step_matrix(m, 1, 1, states))
    alpha2 = revealing_constant(m_step_matrix(m, 1, 2, states))
    assert alpha2 >= revealing_closed_form(4, 0.8) - 1e-9
    single = costly_reveal_pomdp(2, 0.5, 0.8, z, "single_step").pomdp
    assert revealing_constant(m_step_matrix(single, 1, 1, states)) == pytest.approx(revealing_closed_form(4, 0.8),
                                                                                  abs=1e-9)
    with pytest.raises(ValidationError, match=r"variant"):
        costly_reveal_pomdp(2, 0.5, 0.8, z, "three_step")
    with pytest.raises(ValidationError, match=r"n = 3.*even"):
        paninski_law(3, 0.5, np.array([1]))


def test_reveal_learners_bookkeeping_and_determinism():
    z = np.array([1, -1, 1, 1])
    inst = costly_reveal_pomdp(4, 0.8, 0.8, z, "two_step")
    run = reveal_explore_then_commit(inst, 2000, 3)
    N = run.params["N_exp"]
    assert np.all(run.expected_regret[:N] == 1.0) and np.all(run.returns[:N] == 0.0)
    assert run.params["commit_action"] == inst.guess_action(z)
    assert np.all(run.expected_regret[N:] == 0.0) and run.fidelity == "reconstructed"
    again = reveal_explore_then_commit(inst, 2000, 3)
    assert np.array_equal(run.expected_regret, again.expected_regret)
    for f in (ucb_exploit, plug_in_exploit, fixed_guess):
        r1, r2 = f(inst, 500, 1), f(inst, 500, 1)
        assert np.array_equal(r1.returns, r2.returns)
        assert set(np.unique(r1.expected_regret)) <= {0.0, 0.5}
    # plug-in: blank step-1 observations in the two-step variant, free information in the single-step one
    single = costly_reveal_pomdp(4, 0.8, 0.8, z, "single_step")
    assert plug_in_exploit(single, 2000, 0).expected_regret[-200:].sum() == 0.0
    assert plug_in_exploit(inst, 2000, 0).expected_regret[-200:].sum() > 50


def test_lock_learners():
    code = np.array([2, 0, 1])
    lock = noisy_lock(4, 3, 0.8, code)
    res = lock_search(lock, 0)
    assert np.array_equal(res.code, code) and res.episodes > 0
    fb = lock_fixed_budget(lock, 0.8, 0)
    assert np.array_equal(fb.code, code) and fb.episodes == 3 * 3 * fb.params["m"]
    bl = lock_blind_search(lock, 0)
    assert np.array_equal(bl.code, code) and 1 <= bl.episodes <= 27
    assert lock_search(lock, 5).episodes == lock_search(lock, 5).episodes


def test_omle_finite_class_identifies_the_model():
    from rltheory.algorithms.pomdp_learners import omle_finite_class
    zs = [np.array(z) for z in itertools.product((-1, 1), repeat=2)]
    insts = [costly_reveal_pomdp(2, 0.8, 0.8, z, "two_step") for z in zs]
    run = omle_finite_class(insts, 1, 300, 0)
    assert run.params["final_model"] == 1 and run.params["final_set"] == 1
    assert run.fidelity == "reconstructed" and np.all(run.expected_regret >= -1e-15)
    assert np.array_equal(run.returns, omle_finite_class(insts, 1, 300, 0).returns)
    with pytest.raises(ValidationError, match=r"truth = 9"):
        omle_finite_class(insts, 9, 10, 0)
