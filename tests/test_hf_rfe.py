"""HF-UCRL-RFE++: one exploration episode by hand, the hard instance's gaps, parameters, planning."""

import math

import numpy as np
import pytest

from rltheory import ValidationError
from rltheory.algorithms.hf_rfe import (HomeParams, Instance, Plan, Regression, Trace, exploration_dictionary,
                                        exploration_episode, hf_ucrl_rfe, hoeffding_parameters, null_planner,
                                        planning_suboptimality, evaluation_rewards, regression_state,
                                        theory_parameters, ucrl_rfe_hoeffding, uniform_least_squares)
from rltheory.bounds.hf_rfe import failure_probability, moment_levels, theorem_bound
from rltheory.envs.hard_instances.hf_rfe import (bernoulli_kl, delta_for_K, hypercube_gaps, hypercube_instance,
                                                 hypercube_pair_kl)
from rltheory.envs.linear import random_linear_mixture
from rltheory.models import TabularMDP
from rltheory.solvers import backward_induction, policy_evaluation


# ----------------------------------------------------------------------------- hard instance

@pytest.mark.parametrize("d,H,seed", [(2, 2, 0), (3, 5, 1), (4, 7, 2), (5, 3, 3)])
def test_hypercube_gaps_match_closed_form(d, H, seed):
    inst = hypercube_instance(d, H, Delta=0.02, seed=seed)
    t = inst.mdp.to_tabular()
    vstar = backward_induction(t).V[0, 0]
    for a in range(2 ** (d - 1)):
        pi = np.zeros((H, 3), dtype=np.int64)
        pi[0, 0] = a
        gap = vstar - policy_evaluation(t, pi).V[0, 0]
        assert gap == pytest.approx(inst.gaps()[a], abs=1e-14)
    assert inst.gaps()[inst.optimal_action] == 0.0
    # direct formula, independent of the instance object
    acts = inst.actions
    want = (H - 1) / H * 2 * 0.02 * (acts != inst.signs).sum(axis=1)
    np.testing.assert_allclose(hypercube_gaps(d, H, 0.02, inst.signs), want)


def test_hypercube_parameters_and_validation():
    K = 1024
    inst = hypercube_instance(4, 8, K=K, signs=[1, -1, 1])
    D = math.sqrt((1 / 6) / K) / (4 * math.sqrt(2))
    assert inst.Delta == pytest.approx(D) == pytest.approx(delta_for_K(K))
    assert inst.alpha ** 2 + 3 * inst.beta ** 2 == pytest.approx(1.0)
    assert np.linalg.norm(inst.mdp.theta) ** 2 == pytest.approx((1 + D) * (1 + 9 * D))
    assert inst.mdp.P[0, inst.optimal_action, 2] == pytest.approx(1 / 6 + 3 * D)
    with pytest.raises(ValidationError, match="Delta"):
        hypercube_instance(4, 8, Delta=0.1, seed=0)
    with pytest.raises(ValidationError, match="exactly one"):
        hypercube_instance(4, 8, seed=0)


# ----------------------------------------------------------------------------- parameters

def test_theory_parameters_by_hand():
    d, H, K, B, delta = 4, 16, 100, 2.0, 0.01
    p = theory_parameters(d, H, K, B, delta)
    assert p.M == 14                                  # ceil(log2(7 * 100 * 16)) = ceil(13.45)
    assert p.alpha == 0.25 and p.gamma == pytest.approx(4 ** -0.25) and p.lam == pytest.approx(1.0)
    eta = math.log(1 + K * H / ((1 / 16) * d * 1.0))
    tau = math.log(32 * (math.log(0.5 / 0.25) + 1) * K ** 2 * H ** 2 / delta)
    beta = 12 * math.sqrt(d * eta * tau) + 30 * tau * 2.0 + 2.0
    assert p.beta == pytest.approx(beta, rel=1e-12)
    assert p.betas[K] == p.beta and np.all(np.diff(p.betas[1:]) > 0)
    q = theory_parameters(d, H, K, B, delta, beta_scale=0.01)
    assert q.beta == pytest.approx(0.01 * (beta - 2.0) + 2.0)
    h = hoeffding_parameters(d, H, K, B, delta)
    assert h.beta == pytest.approx(H * math.sqrt(d * math.log(3 * (1 + K * H ** 3 * B ** 2) / delta)) + 1)
    assert h.M == 1 and h.lam == pytest.approx(0.25) and h.weights == "unit"


# ----------------------------------------------------------------------------- one episode by hand

def _reference_episode(phi, traj, H, M, alpha, gamma, beta, Vh, Vt, Sig, b, th, Sd):
    """Plain numpy: Algorithm 4 lines 7-19 + batched refresh, inverses by np.linalg.inv."""
    clip = lambda z: min(max(z, 0.0), 1.0)
    nrm = lambda x, A: math.sqrt(max(x @ np.linalg.inv(A) @ x, 0.0))
    Sig, b = Sig.copy(), b.copy()
    sig_log = np.zeros((H, 2, M))
    for h in range(H):
        s, sn = traj[h], traj[h + 1]
        for f, Vsrc in enumerate((Vh, Vt)):
            X = np.array([phi[s, 0].T @ Vsrc[h + 1] ** (2 ** m) for m in range(M)])
            y = np.array([Vsrc[h + 1][sn] ** (2 ** m) for m in range(M)])
            sig2 = np.zeros(M)
            for m in range(M - 1):
                var = clip(X[m + 1] @ th[f, m + 1]) - clip(X[m] @ th[f, m]) ** 2
                E = clip(2 * beta * nrm(X[m], Sd[f, m])) + clip(beta * nrm(X[m + 1], Sd[f, m + 1]))
                sig2[m] = max(gamma ** 2 * nrm(X[m], Sig[f, m]), var + E, alpha ** 2)
            sig2[M - 1] = max(gamma ** 2 * nrm(X[M - 1], Sig[f, M - 1]), 1.0, alpha ** 2)
            sig_log[h, f] = sig2
            for m in range(M):
                Sig[f, m] += np.outer(X[m], X[m]) / sig2[m]
                b[f, m] += X[m] * y[m] / sig2[m]
    th_new = np.array([[np.linalg.solve(Sig[f, m], b[f, m]) for m in range(M)] for f in range(2)])
    return Sig, b, th_new, sig_log


def test_one_exploration_episode_updates_exactly_the_defined_quantities():
    # two states, one action, d = 2: phi(s'|s) = e_{s'}/sqrt 2, theta* = sqrt 2 (1, 0): always to state 0
    phi = np.zeros((2, 1, 2, 2))
    phi[:, 0, 0, 0] = phi[:, 0, 1, 1] = 1 / math.sqrt(2)
    P = np.zeros((2, 1, 2))
    P[:, 0, 0] = 1.0
    H, M, lam, alpha, gamma, beta = 2, 2, 1.0, 0.5, 1.0, 0.1
    Vh = np.array([[0.9, 0.4], [0.6, 0.2], [0.0, 0.0]])
    Vt = np.array([[0.5, 0.3], [0.25, 0.75], [0.0, 0.0]])
    Sig = np.tile(np.eye(2) * lam, (2, M, 1, 1))
    Sinv = np.tile(np.eye(2) / lam, (2, M, 1, 1))
    Sd, Sdinv = Sig.copy(), Sinv.copy()
    b = np.zeros((2, M, 2))
    th = np.zeros((2, M, 2))
    traj = np.zeros(H + 1, dtype=np.int64)
    sig_log = np.zeros((H, 2, M))
    Sig0, b0, th0, Sd0 = Sig.copy(), b.copy(), th.copy(), Sd.copy()
    env = Instance(phi, P, np.array([1.0, 0.0]), H)
    exploration_episode(env, HomeParams(M, alpha, gamma, False), Regression(Sig, Sinv, Sd, Sdinv, b, th), beta,
                        Plan(Vt, Vh, np.zeros((H, 2), dtype=np.int64)), np.random.default_rng(0),
                        Trace(traj, sig_log))
    assert traj.tolist() == [0, 0, 0]
    # by hand, step 1, hat family: x_0 = (0.6, 0.2)/sqrt2, theta = 0, Sigma = I:
    # varhat = 0, E = 2*0.1*sqrt(0.2) + 0.1*sqrt(0.0656), gamma^2 ||x_0|| = sqrt(0.2) > alpha^2 = 0.25
    assert sig_log[0, 0, 0] == pytest.approx(math.sqrt(0.2), rel=1e-14)
    assert sig_log[0, 0, 1] == 1.0                      # top level: max{., 1, alpha^2}
    # step 1, tilde family: x_0 = (0.25, 0.75)/sqrt2, ||x_0|| = sqrt(0.3125)
    assert sig_log[0, 1, 0] == pytest.approx(math.sqrt(0.3125), rel=1e-14)
    # b of the hat family, level 0, after step 1 alone would be x_0 * 0.6 / sqrt(0.2); full check below
    Sig_r, b_r, th_r, sig_r = _reference_episode(phi, traj, H, M, alpha, gamma, beta, Vh, Vt, Sig0, b0, th0, Sd0)
    np.testing.assert_allclose(sig_log, sig_r, rtol=1e-13)
    np.testing.assert_allclose(Sig, Sig_r, rtol=1e-13)
    np.testing.assert_allclose(b, b_r, rtol=1e-13, atol=1e-15)
    np.testing.assert_allclose(th, th_r, rtol=1e-10, atol=1e-14)
    # the snapshot is the end-of-episode running matrix; inverses agree with numpy
    np.testing.assert_array_equal(Sd, Sig)
    np.testing.assert_allclose(Sdinv, np.linalg.inv(Sig_r), rtol=1e-10)
    # unit weights (the Hoeffding baseline): every sigma^2 = 1
    Sig1 = np.tile(np.eye(2), (2, M, 1, 1))
    exploration_episode(env, HomeParams(M, alpha, gamma, True),
                        Regression(Sig1, Sig1.copy(), Sig1.copy(), Sig1.copy(), np.zeros((2, M, 2)), np.zeros((2, M, 2))),
                        beta, Plan(Vt, Vh, np.zeros((H, 2), dtype=np.int64)), np.random.default_rng(0),
                        Trace(traj, sig_log))
    assert np.all(sig_log == 1.0)


def test_regression_state_is_the_ridge_prior():
    reg = regression_state(3, 2, 0.5)
    for f in range(2):
        for m in range(2):
            np.testing.assert_array_equal(reg.Sig[f, m], 0.5 * np.eye(3))
            np.testing.assert_array_equal(reg.Sdinv[f, m], np.eye(3) / 0.5)
    assert not reg.b.any() and not reg.th.any() and reg.Sd is not reg.Sig


# ----------------------------------------------------------------------------- planning and runs

def test_planning_suboptimality_against_solvers():
    m = random_linear_mixture(4, 3, 3, 5, seed=2)
    T, names = evaluation_rewards(m, 0, n_random=3)
    assert names[0] == "instance" and T.shape == (1 + 3 + m.S, 5, 4, 3)
    assert np.all(planning_suboptimality(m, m.theta, T) <= 1e-12)
    rng = np.random.default_rng(1)
    theta = m.theta + rng.normal(scale=0.5, size=m.d)
    sub = planning_suboptimality(m, theta, T)
    Pm = np.einsum("xaSd,d->xaS", m.phi, theta)
    for j in range(T.shape[0]):
        V = np.zeros(m.S)
        pi = np.zeros((5, m.S), dtype=np.int64)
        for h in range(4, -1, -1):               # DP in the model theta, values clipped to [0, 1]
            Q = np.clip(T[j, h] + Pm @ V, 0, 1)
            pi[h] = np.argmax(Q, axis=1)
            V = Q.max(axis=1)
        t = TabularMDP(m.P, T[j], m.mu0, H=5, reward_range="total")
        want = backward_induction(t).V[0, 0] - policy_evaluation(t, pi).V[0, 0]
        assert sub[j] == pytest.approx(want, abs=1e-13)


def test_dictionary_and_battery():
    m = random_linear_mixture(4, 2, 2, 6, seed=0)
    R0 = exploration_dictionary(m, 1, n_random=2, state_action=True)
    T, _ = evaluation_rewards(m, 2)
    for r in list(R0) + list(T):
        TabularMDP(m.P, r, m.mu0, H=6, reward_range="total")     # total reward <= 1 on every trajectory
    for t in T:
        assert not any(np.array_equal(t, r) for r in R0)


def test_oracle_labels_and_determinism():
    inst = hypercube_instance(3, 4, K=256, seed=0)
    r1 = hf_ucrl_rfe(inst.mdp, 40, 7, beta_scale=1e-4, oracle="exact", constraints="all")
    r2 = hf_ucrl_rfe(inst.mdp, 40, 7, beta_scale=1e-4, oracle="exact", constraints="all")
    assert r1.oracle == "exact"
    np.testing.assert_array_equal(r1.vhat1, r2.vhat1)
    np.testing.assert_array_equal(r1.thetas, r2.thetas)
    m = random_linear_mixture(4, 2, 2, 4, seed=0)
    assert hf_ucrl_rfe(m, 5, 0).oracle == "heuristic"
    with pytest.raises(ValidationError, match="exact"):
        hf_ucrl_rfe(m, 5, 0, oracle="exact")
    assert ucrl_rfe_hoeffding(m, 5, 0).params["weights"] == "unit"


def test_certificate_at_theory_radius_is_saturated_and_monotone():
    inst = hypercube_instance(2, 4, K=64, seed=3)
    run = hf_ucrl_rfe(inst.mdp, 64, 0, oracle="exact", constraints="all")
    assert np.all(run.vhat1 == 1.0)                     # literal beta_K ~ 10^3: Vhat saturates
    T, _ = evaluation_rewards(inst.mdp, 0)
    assert np.all(run.suboptimality(inst.mdp, T) <= 4 * 1.0)


def test_uniform_least_squares_is_consistent():
    m = random_linear_mixture(4, 2, 3, 4, seed=5)
    run = uniform_least_squares(m, 3000, 0)
    assert np.linalg.norm(run.thetas[-1] - m.theta) < 0.1
    assert np.linalg.norm(run.thetas[-1] - m.theta) < np.linalg.norm(run.thetas[0] - m.theta)


def test_null_planner_does_not_learn():
    m = random_linear_mixture(4, 2, 3, 4, seed=5)
    run = null_planner(m, 200)
    assert run.algorithm == "null" and np.all(run.thetas == 0.0)
    T, _ = evaluation_rewards(m, 0)
    sub = run.suboptimality(m, T)
    np.testing.assert_array_equal(sub, np.broadcast_to(sub[0], sub.shape))   # the same error at every k


def test_fallback_maximises_over_rewards():
    inst = hypercube_instance(2, 4, Delta=0.05, seed=0)
    run = hf_ucrl_rfe(inst.mdp, 64, 0, beta_scale=1e-4, oracle="exact", constraints="all")
    fb = np.flatnonzero(run.fallback)
    assert np.all(run.vhat1[fb] >= 0.0)
    # a fallback episode is not forced onto the first dictionary reward (an unreachable indicator, Vhat = 0)
    if fb.size:
        assert np.any(run.vhat1[fb] > 0.0)


# ----------------------------------------------------------------------------- hard pair and bounds

def test_hypercube_pair_kl_by_hand():
    d, K, D = 3, 100, 0.02
    signs = np.array([1.0, -1.0])
    acts = np.array([[-1, -1], [1, -1], [-1, 1], [1, 1]], dtype=float)
    p = 1 / 6 + acts @ (D * signs)
    q = 1 / 6 + acts @ (D * np.array([-1.0, -1.0]))            # coordinate 0 flipped
    kl = p * np.log(p / q) + (1 - p) * np.log((1 - p) / (1 - q))
    assert hypercube_pair_kl(d, D, K, signs, 0) == pytest.approx(K * kl.max(), rel=1e-14)
    assert hypercube_pair_kl(d, D, K, signs, 0, policy="uniform") == pytest.approx(K * kl.mean(), rel=1e-14)
    assert bernoulli_kl(0.3, 0.3) == 0.0
    # the paper's Delta keeps the pair indistinguishable; a frozen Delta does not
    assert hypercube_pair_kl(4, delta_for_K(4096), 4096, [1, 1, 1], 1) < math.log(2)
    assert hypercube_pair_kl(4, delta_for_K(64), 4096, [1, 1, 1], 1) > math.log(2)
    with pytest.raises(ValidationError, match="coordinate"):
        hypercube_pair_kl(3, D, K, signs, 2)


def test_bounds_module():
    assert moment_levels(100, 16) == theory_parameters(4, 16, 100, 2.0).M == 14
    assert failure_probability(100, 16, 1e-3) == pytest.approx(4 * 14 * 1e-3)
    b1, b2 = theorem_bound(1024, 4, 16, 2.0), theorem_bound(4096, 4, 16, 2.0)
    assert b1 > 1.0 and b2 < b1                        # vacuous at reachable K, decreasing in K
