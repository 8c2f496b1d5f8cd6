"""Hard instances of arXiv 2103.12021: exact C* against the values the paper states."""

import math

import numpy as np
import pytest

from rltheory import ValidationError
from rltheory import solvers
from rltheory.envs.hard_instances import lcb as hi


def test_prop1_cstar_and_means():
    inst = hi.prop1_bandit(500, 0.04)
    assert inst.C_star == pytest.approx(500 / 499, rel=1e-14)
    np.testing.assert_allclose(inst.means, [0.08, 0.042])
    with pytest.raises(ValidationError):
        hi.prop1_bandit(500, 0.06)


@pytest.mark.parametrize("C", [2.0, 4.0, 8.0, 16.0])
def test_thm2_pair_large_cstar(C):
    N = 1000
    f1, f2 = hi.thm2_bandit_pair(C, N)
    d = min(0.25, math.sqrt(C / N))
    assert f2.C_star == pytest.approx(C, rel=1e-12)
    assert f1.C_star == pytest.approx(C / (C - 1), rel=1e-12) and f1.C_star <= C
    np.testing.assert_allclose(f2.gaps, [d, 0.0], atol=1e-15)
    np.testing.assert_allclose(f1.gaps, [0.0, d], atol=1e-15)


@pytest.mark.parametrize("C", [1.2, 1.5, 1.8])
def test_thm2_pair_small_cstar(C):
    f1, f2 = hi.thm2_bandit_pair(C, 100)
    assert f1.C_star == pytest.approx(C) and f2.C_star == pytest.approx(C)
    assert f1.gaps.max() == pytest.approx((2 - C) / 2)


def test_thm3_instances():
    N, L = 400, math.log(4 * 400) / 2
    a = hi.thm3_bandit(1.5, N, L)
    assert a.C_star == pytest.approx(1.5)
    assert a.gaps[1] == pytest.approx(min(1 / 3, math.sqrt(L / (2 * N / 3))))
    b = hi.thm3_bandit(6.0, N, L)
    assert b.C_star == pytest.approx(6.0)
    assert b.gaps[1] == pytest.approx(min(0.5, math.sqrt(L / (4 * N))))


@pytest.mark.parametrize("C", [2.0, 4.0])
def test_thm5_large(C):
    rng = np.random.default_rng(0)
    inst = hi.thm5_contextual(10, C, 1000, v=np.r_[np.ones(5), -np.ones(5)], seed=rng)
    assert inst.C_star == pytest.approx(C)
    np.testing.assert_allclose(inst.mu.sum(), 1.0)
    assert inst.gaps.max() == pytest.approx(min(1 / 3, math.sqrt(10 * C / (200 * 1000))))


def test_thm5_small_cstar_and_expert():
    inst = hi.thm5_contextual(10, 1.5, 1000, seed=np.random.default_rng(1))
    assert inst.C_star == pytest.approx(1.5)
    assert inst.rho[0] == pytest.approx(0.5)
    e = hi.expert_contextual(10, 99, seed=np.random.default_rng(2))
    assert e.C_star == pytest.approx(1.0)
    assert e.rho[0] == pytest.approx(1 / 100)


@pytest.mark.parametrize("C", [1.001, 1.3])
def test_interpolation_contextual(C):
    S, SE, N = 4, 3, 50
    inst = hi.interpolation_contextual(S, C, N, S_expert=SE, v=[1, -1, 1, -1], pi_star=[0, 1, 1])
    eta, zeta = C - 1, 1 / (N + 1)
    assert inst.C_star == pytest.approx(C, rel=1e-12)
    np.testing.assert_allclose(inst.rho[:SE], (1 - eta) * np.array([zeta, zeta, 1 - 2 * zeta]))
    np.testing.assert_allclose(inst.rho[SE:], eta / S)
    # expert contexts: data only on pi*, which pays 1; gap contexts: both actions with data eta/(S C*)
    np.testing.assert_allclose(inst.mu[[0, 1, 2], [1, 0, 0]], 0.0)
    np.testing.assert_allclose(inst.mu[SE:], eta / (S * C))
    d = min(1 / 3, math.sqrt(S * C / (200 * eta * N)))
    np.testing.assert_allclose(inst.gaps[SE:].max(axis=1), d, atol=1e-15)
    np.testing.assert_array_equal(inst.optimal_policy, [0, 1, 1, 1, 0, 1, 0])
    # a policy wrong on expert context 2 and on gap context 0 loses rho(e_2) * 1 + rho(g_0) * delta
    pi = inst.optimal_policy.copy()
    pi[2], pi[SE] = 0, 0
    assert inst.suboptimality(pi) == pytest.approx((1 - eta) * (1 - 2 * zeta) + eta / S * d)
    with pytest.raises(ValidationError):
        hi.interpolation_contextual(S, 2.5, N, seed=np.random.default_rng(0))


def test_prop3_instance():
    inst = hi.prop3_contextual(1.5, 0.1)
    assert inst.C_star == pytest.approx(1.5)
    # the most-played action at s0 is a1, wrong: loss rho(s0) = C* - 1 - eps
    assert inst.suboptimality(np.array([1, 0])) == pytest.approx(0.4)


@pytest.mark.parametrize("gamma", [0.5, 0.9])
@pytest.mark.parametrize("C", [2.0, 4.0])
def test_thm7_gadget(gamma, C):
    inst = hi.thm7_mdp(2, C, gamma, 0.1, v=[1, -1])
    S_paper = 8
    d = inst.d_star.sum(axis=1)
    # the paper's d*(s0) = 8 / ((2 + gamma) S) is reproduced by the reconstruction
    assert d[0] == pytest.approx(8 / ((2 + gamma) * S_paper))
    assert d[1] == pytest.approx(4 * gamma * (1 - gamma) / ((2 + gamma) * S_paper))
    assert inst.C_star == pytest.approx(C)
    assert inst.pi_star[1] == 1 and inst.pi_star[5] == 0


def test_thm7_small_cstar_and_lemma6():
    inst = hi.thm7_mdp(2, 1.5, 0.8, 0.2, v=[1, 1])
    assert inst.C_star == pytest.approx(1.5)
    m = hi.lemma6_mdp(6, 50, 0.7, seed=np.random.default_rng(3))
    assert m.C_star == pytest.approx(1.0)
    assert m.J_star == pytest.approx(1 / (1 - 0.7))


def test_layered_instances_and_normalisation_pitfall():
    inst = hi.layered_gap_mdp(3, 2, 4.0, 0.1, seed=np.random.default_rng(4))
    assert inst.C_star == pytest.approx(4.0)
    assert inst.d_star.sum() == pytest.approx(1.0)
    # per-step (unnormalised) occupancies inflate C* by H
    per_step = solvers.occupancy(inst.to_tabular(), inst.pi_star).sum(axis=0)
    np.testing.assert_allclose(per_step, inst.H * inst.d_star, atol=1e-14)
    pos = per_step > 0
    assert np.max(per_step[pos] / inst.mu[pos]) == pytest.approx(inst.H * 4.0)
    # independent check of d* by a plain-numpy forward pass over the layers
    dist, ref = inst.rho.copy(), np.zeros(inst.S)
    for _ in range(inst.H):
        ref += dist
        dist = dist @ inst.P[np.arange(inst.S), inst.pi_star]
    np.testing.assert_allclose(inst.d_star.sum(axis=1), ref / inst.H, atol=1e-14)
    e = hi.layered_expert_mdp(3, 4, 99, seed=np.random.default_rng(5))
    assert e.C_star == pytest.approx(1.0)
    assert e.J_star == pytest.approx(3.0)


def test_fig4_instance():
    inst = hi.fig4_episodic(0.1)
    assert inst.H == 3
    np.testing.assert_array_equal(inst.pi_star, np.zeros(6, dtype=int))
    np.testing.assert_allclose(inst.mu[:, 0], 9 * inst.mu[:, 1])
    # occupancy of pi* = always action 0: states 0,1 (1/2 each), then 2, then 4; normalised by H = 3
    d = inst.d_star.sum(axis=1)
    np.testing.assert_allclose(d, np.array([0.5, 0.5, 1, 0, 1, 0]) / 3)
    assert inst.C_star == pytest.approx(max(d / (inst.mu[:, 0] + 1e-300)))


@pytest.mark.parametrize("H, K, eta", [(2, 1, 0.1), (3, 4, 1e-3), (5, 3, 0.05)])
def test_layered_near_expert_cstar_and_masses(H, K, eta):
    """Conjecture-2 instance [R]: C* = 1 + eta exactly, occupancy and data masses by hand."""
    delta = 0.2
    v = np.where(np.arange(K) % 2 == 0, 1.0, -1.0)
    inst = hi.layered_near_expert_mdp(H, K, 1 + eta, delta, v=v)
    S = 1 + K + 3 * (H - 1)
    assert inst.S == S and inst.H == H
    assert inst.C_star == pytest.approx(1 + eta, rel=1e-13)
    gaps = np.arange(1, 1 + K)
    np.testing.assert_array_equal(inst.pi_star[gaps], (v > 0).astype(int))
    # hand-computed layer-normalised occupancy of pi* (eq. 78)
    d = np.zeros(S)
    d[0] = (1 - H * eta) / H
    d[gaps] = eta / K
    for h in range(1, H):
        x = 1 + K + 3 * (h - 1)
        d[x], d[x + 1], d[x + 2] = (1 - H * eta) / H, eta * (0.5 + delta), eta * (0.5 - delta)
    np.testing.assert_allclose(inst.d_star.sum(axis=1), d, atol=1e-15)
    # independent plain-numpy forward pass
    dist, ref = inst.rho.copy(), np.zeros(S)
    for _ in range(H):
        ref += dist
        dist = dist @ inst.P[np.arange(S), inst.pi_star]
    np.testing.assert_allclose(ref / H, d, atol=1e-15)
    # data: d*/C* on pi*'s actions; eta/(K C*) on the other action of each decision state, nothing else
    C = 1 + eta
    np.testing.assert_allclose(inst.mu[np.arange(S), inst.pi_star], d / C, atol=1e-15)
    off = inst.mu.copy()
    off[np.arange(S), inst.pi_star] = 0.0
    np.testing.assert_allclose(off[gaps, 1 - inst.pi_star[gaps]], eta / (K * C), atol=1e-15)
    assert off.sum() == pytest.approx(eta / (1 + eta), rel=1e-12)
    assert inst.mu.sum() == pytest.approx(1.0, abs=1e-14)
    # brute-force C* over the support of pi*
    assert np.max(d / inst.mu[np.arange(S), inst.pi_star]) == pytest.approx(1 + eta, rel=1e-13)
    # value: expert chain pays 1 per layer, decision states reach the up chain w.p. 1/2 + delta
    assert inst.J_star == pytest.approx((1 - H * eta) * H + H * eta * (0.5 + delta) * (H - 1), rel=1e-13)
    # value gap (H - 1) delta at every decision state: the policy that errs at all of them
    worse = inst.pi_star.copy()
    worse[gaps] = 1 - worse[gaps]
    assert inst.suboptimality(worse) == pytest.approx(H * eta * delta * (H - 1), rel=1e-12)


def test_layered_near_expert_validation():
    with pytest.raises(ValidationError):
        hi.layered_near_expert_mdp(3, 2, 1 + 0.4, 0.1, v=[1, 1])     # H eta >= 1
    with pytest.raises(ValidationError):
        hi.layered_near_expert_mdp(1, 2, 1.1, 0.1, v=[1, 1])         # H < 2
    with pytest.raises(ValidationError):
        hi.layered_near_expert_mdp(3, 2, 1.1, 0.6, v=[1, 1])         # delta > 1/2
    with pytest.raises(ValidationError):
        hi.layered_near_expert_mdp(3, 2, 1.1, 0.1)                   # neither v nor seed
