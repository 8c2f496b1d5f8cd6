"""LCB, VI-LCB and baselines of arXiv 2103.12021 on hand-computable datasets."""

import math

import numpy as np
import pytest

from rltheory import ValidationError
from rltheory.algorithms import lcb as alg
from rltheory.envs import offline_models, offline_sampling
from rltheory.envs.hard_instances import lcb as hi


def test_pessimistic_and_greedy_choices_differ():
    # arm 0: 100 pulls, mean 0.6; arm 1: 2 pulls, mean 1.0
    counts = np.array([[100, 2]])
    sums = np.array([[60.0, 2.0]])
    rng = np.random.default_rng(0)
    delta = 0.1
    # Algorithm 1 by hand: b = sqrt(log(2*2/0.1) / (2 n))
    b0, b1 = math.sqrt(math.log(40) / 200), math.sqrt(math.log(40) / 4)
    assert 0.6 - b0 > 1.0 - b1
    assert alg.lcb_bandit(counts, sums, seed=rng, delta=delta)[0] == 0
    assert alg.empirical_best(counts, sums, seed=rng)[0] == 1
    assert alg.most_played(counts, seed=rng)[0] == 0
    # Theorem-3 form: L -> 0 is greedy, L large is most-played
    assert alg.lcb_bandit(counts, sums, seed=rng, L=0.0)[0] == 1
    assert alg.lcb_bandit(counts, sums, seed=rng, L=100.0)[0] == 0


def test_unseen_conventions():
    counts = np.array([[0, 3]])
    sums = np.array([[0.0, 0.0]])
    rng = np.random.default_rng(0)
    # below_seen: the seen arm wins even with a huge penalty
    assert alg.lcb_bandit(counts, sums, seed=rng, delta=1e-6, c=100.0)[0] == 1
    # paper convention: unseen index -1 beats 0 - sqrt(log(4e6)/6) = -1.59
    assert alg.lcb_bandit(counts, sums, seed=rng, delta=1e-6, unseen="paper")[0] == 0


def test_literal_cb_penalty_is_degenerate():
    # one context, three actions: a0 seen 50 times (mean 0.9), a1 seen 200 times (mean 0.1), a2 unseen
    counts = np.array([[[50, 200, 0]]])
    sums = np.array([[[45.0, 20.0, 0.0]]])
    rng = np.random.default_rng(1)
    N = 250
    # paper convention + literal sqrt(2000): a once-seen action scores far below -1, so unseen wins
    assert alg.lcb_contextual(counts, sums, seed=rng, delta=1 / N, c="literal", unseen="paper")[0, 0] == 2
    # seen-before-unseen + literal: count-driven (the most-played action, though worse)
    assert alg.lcb_contextual(counts, sums, seed=rng, delta=1 / N, c="literal")[0, 0] == 1
    # scaled penalty: the better action
    assert alg.lcb_contextual(counts, sums, seed=rng, delta=1 / N, c=0.3)[0, 0] == 0


def test_ties_are_seeded_and_uniform():
    counts = np.tile([5, 5], (4000, 1))
    sums = np.tile([2.0, 2.0], (4000, 1))
    a = alg.lcb_bandit(counts, sums, seed=np.random.default_rng(7), delta=0.1)
    b = alg.lcb_bandit(counts, sums, seed=np.random.default_rng(7), delta=0.1)
    np.testing.assert_array_equal(a, b)
    # binomial(4000, 1/2): mean 2000, sd 31.6; 5 sd band
    assert abs(a.sum() - 2000) < 160


def test_sampler_moments():
    inst = offline_models.OfflineBandit([0.2, 0.8], [1.0, 0.5], [0.3, 1.0])
    st = offline_sampling.sample_bandit(inst, 50, 20000, seed=np.random.default_rng(2))
    assert np.all(st.counts.sum(axis=1) == 50)
    np.testing.assert_allclose(st.counts.mean(axis=0), [10, 40], rtol=0.01)
    # reward sums: arm 0 ~ Bin(N0, 0.3), arm 1 = 0.5 N1 exactly
    np.testing.assert_allclose(st.reward_sum[:, 1], 0.5 * st.counts[:, 1])
    np.testing.assert_allclose(st.reward_sum[:, 0].mean(), 3.0, rtol=0.02)


def test_monte_carlo_matches_exact_enumeration():
    N, L = 60, math.log(4 * 60) / 2
    inst = hi.thm3_bandit(1.5, N, L)
    pen = math.sqrt(L)
    exact = alg.two_arm_exact_risk(inst.mu, inst.reward_value, inst.reward_prob, N,
                                   lambda n, s: (s / n - pen / math.sqrt(n)) if n else np.full(s.shape, -np.inf))
    rng = np.random.default_rng(3)
    st = offline_sampling.sample_bandit(inst, N, 200000, seed=rng)
    a = alg.lcb_bandit(st.counts, st.reward_sum, seed=rng, L=L)
    g = inst.gaps[a]
    se = g.std() / math.sqrt(len(g))
    assert abs(g.mean() - exact) < 5 * se + 1e-12
    # exact most-played risk: gap * P[Bin(N, 2/3) < N/2] + gap/2 * P[= N/2]
    from scipy.stats import binom
    mp = alg.two_arm_exact_risk(inst.mu, inst.reward_value, inst.reward_prob, N,
                                lambda n, s: np.full(s.shape, float(n)))
    ref = inst.gaps[1] * (binom.cdf(29, N, 2 / 3) + 0.5 * binom.pmf(30, N, 2 / 3))
    assert mp == pytest.approx(ref, rel=1e-10)


def _simple_mdp():
    # 2 states, 2 actions; action 1 in state 0 pays 1 and stays; action 0 moves to state 1 (reward 0)
    P = np.zeros((2, 2, 2))
    P[0, 0, 1] = 1
    P[0, 1, 0] = 1
    P[1, :, 1] = 1
    r = np.array([[0.0, 1.0], [0.0, 0.0]])
    mu = np.array([[0.7, 0.3], [0.0, 0.0]])
    return offline_models.OfflineDiscountedMDP(P, np.ones((2, 2)), r, [1.0, 0.0], 0.5, mu)


def test_vi_lcb_literal_returns_bc_initialisation():
    inst = _simple_mdp()
    N = 400
    T = alg.vi_lcb_iterations(N, inst.gamma)
    st = offline_sampling.sample_discounted(inst, N, 50, seed=np.random.default_rng(4), folds=T + 1)
    m0 = st.counts[:, 0, 0]
    keep = m0[:, 0] != m0[:, 1]
    pi = alg.vi_lcb(st.counts, st.reward_sum, st.next_counts, inst.gamma, seed=np.random.default_rng(5),
                    delta=1 / N, c="literal")
    # literal penalty: every Q_t < 0 = V_0, so the monotone step never fires: pi_T = argmax m_0
    np.testing.assert_array_equal(pi[keep, 0], np.argmax(m0[keep], axis=1))
    assert np.mean(pi[:, 0] == 0) > 0.9          # mostly the behaviour's (wrong) action
    # scaled penalty recovers the optimal action, with and without splitting
    pi = alg.vi_lcb(st.counts, st.reward_sum, st.next_counts, inst.gamma, seed=np.random.default_rng(5),
                    delta=1 / N, c=0.1)
    assert np.all(pi[:, 0] == 1)
    st1 = offline_sampling.sample_discounted(inst, N, 50, seed=np.random.default_rng(6), folds=1)
    pi1 = alg.vi_lcb(st1.counts, st1.reward_sum, st1.next_counts, inst.gamma, seed=np.random.default_rng(5),
                     delta=1 / N, c=0.1, split=False)
    assert np.all(pi1[:, 0] == 1)
    assert np.allclose(inst.suboptimality(pi1), 0.0)


def test_discounted_values_against_linear_algebra():
    inst = hi.thm7_mdp(1, 4.0, 0.9, 0.2, v=[1])
    pi = np.zeros(inst.S, dtype=int)
    Ppi = inst.P[np.arange(inst.S), pi]
    ref = np.linalg.inv(np.eye(inst.S) - 0.9 * Ppi) @ inst.r[np.arange(inst.S), pi]
    assert inst.value(pi) == pytest.approx(float(inst.rho @ ref), abs=1e-12)
    # batches: one value per row, repeated rows included
    batch = np.array([pi, inst.pi_star, pi])
    np.testing.assert_allclose(inst.value(batch), [inst.rho @ ref, inst.J_star, inst.rho @ ref],
                               atol=1e-12)
    # pi* is the lowest-index optimal action: ties at s0, s+, s-, sink go to action 0
    np.testing.assert_array_equal(inst.pi_star, [0, 1, 0, 0, 0])
    # s1 optimal action a2 gains delta * gamma/(1-gamma) * reward at s+
    assert inst.suboptimality(pi) == pytest.approx(
        float(inst.d_star.sum(1)[1] / (1 - 0.9) * 0.2 * 0.9 / (1 - 0.9)), rel=1e-9)


def test_episodic_alg4_hand_computed():
    inst = hi.fig4_episodic(0.1)
    # a dataset by hand: every pair seen, counts 90 (action 0) and 10 (action 1), exact rewards
    counts = np.tile(np.array([[90, 10]]), (6, 1))[None]
    sums = counts * inst.r[None]
    nxt = (counts[..., None] * inst.P[None]).astype(np.int64)
    N = int(counts.sum())
    pi = alg.vi_lcb_episodic(counts, sums, nxt, inst.layer, seed=np.random.default_rng(0), delta=1 / N, c=0.3)
    np.testing.assert_array_equal(pi[0], np.zeros(6, dtype=int))
    # reversed counts: action 1 (worse by 0.1) well covered, action 0 rare; literal penalty = count-driven
    counts2 = counts[..., ::-1].copy()
    sums2 = counts2 * inst.r[None]
    nxt2 = (counts2[..., None] * inst.P[None]).astype(np.int64)
    pi2 = alg.vi_lcb_episodic(counts2, sums2, nxt2, inst.layer, seed=np.random.default_rng(0), delta=1 / N,
                              c="literal")
    assert np.all(pi2[0] == 1)
    assert inst.suboptimality(pi2[0]) > 0


def test_validation_errors():
    rng = np.random.default_rng(0)
    c, s = np.array([[1, 1]]), np.array([[0.5, 0.5]])
    with pytest.raises(ValidationError):
        alg.lcb_bandit(c, s, seed=rng, delta=1.5)
    with pytest.raises(ValidationError):
        alg.lcb_bandit(c, s, seed=rng, delta=0.1, c="paper")
    with pytest.raises(ValidationError):
        alg.lcb_bandit(c, s, seed=rng, delta=0.1, unseen="never")
    with pytest.raises(ValidationError):
        alg.lcb_bandit(c, np.array([[2.0, 0.5]]), seed=rng, delta=0.1)
    with pytest.raises(ValidationError):
        offline_models.OfflineBandit([0.5, 0.6], [1, 1], [0.5, 0.5])


def _one_dataset(inst, counts, next_to):
    """A hand-made dataset: exact rewards, next-state counts given per (s, a) as {s2: n}."""
    counts = np.asarray(counts, dtype=np.int64)
    sums = (counts * inst.r)[None].astype(float)
    nxt = np.zeros(counts.shape + (inst.S,), dtype=np.int64)
    for (s, a), row in next_to.items():
        for s2, k in row.items():
            nxt[s, a, s2] = k
    for s in range(inst.S):          # last layer: next states are ignored; keep counts consistent
        for a in range(inst.A):
            if inst.layer[s] == inst.H - 1:
                nxt[s, a, s] = counts[s, a]
    return counts[None, None], sums[None], nxt[None, None]


def test_optimistic_control_hand_computed():
    """Conjecture-2 control: the optimistic learner leaves the expert's path; LCB does not."""
    H, eta, delta = 2, 0.1, 0.2
    inst = hi.layered_near_expert_mdp(H, 1, 1 + eta, delta, v=[1.0])
    # states: x0 = 0, g1 = 1 (layer 0); x1 = 2, u1 = 3, w1 = 4 (layer 1)
    counts = [[10, 0], [4, 4], [10, 0], [3, 3], [5, 5]]
    next_to = {(0, 0): {2: 10}, (1, 0): {3: 1, 4: 3}, (1, 1): {3: 3, 4: 1}}
    c, s, x = _one_dataset(inst, counts, next_to)
    N = int(c.sum())
    b = 0.1 * H * math.sqrt(math.log(2 * inst.S * inst.A * N))     # c = 0.1, delta = 1/N
    rng = np.random.default_rng(0)
    pi = alg.optimistic_vi_episodic(c, s, x, inst.layer, seed=rng, delta=1 / N, c=0.1)[0]
    # unseen action 1 at x0 and x1 is ranked above the expert's (seen) action 0
    assert pi[0] == 1 and pi[2] == 1
    # at g1: Q(a) = b/sqrt(4) + P_hat(a) . V_1 with V(u1) = min(1, 1 + b/sqrt 3) = 1, V(w1) = b/sqrt 5
    Vw = b / math.sqrt(5)
    q0 = b / 2 + (1 * 1.0 + 3 * Vw) / 4
    q1 = b / 2 + (3 * 1.0 + 1 * Vw) / 4
    assert q1 > q0 and pi[1] == 1
    # loss = the expert chain's reward H on mass rho(x0) = 1 - H eta; g1 is right
    assert inst.suboptimality(pi) == pytest.approx((1 - H * eta) * H, rel=1e-12)
    # Algorithm 4 (pessimistic) on the same data keeps the expert's action and is right at g1
    pl = alg.vi_lcb_episodic(c, s, x, inst.layer, seed=np.random.default_rng(0), delta=1 / N, c=0.3)[0]
    np.testing.assert_array_equal(pl[[0, 1, 2]], [0, 1, 0])
    assert inst.suboptimality(pl) == pytest.approx(0.0, abs=1e-12)


def test_optimistic_control_equals_alg4_without_penalty_when_all_seen():
    """With c = 0 and every pair seen, both learners are plain empirical value iteration."""
    inst = hi.fig4_episodic(np.array([0.05, 0.1, 0.15, 0.2, 0.25, 0.3]), ratio=1.0)
    st = offline_sampling.sample_layered(inst, 600, 50, seed=np.random.default_rng(7))
    assert np.all(st.counts > 0)
    po = alg.optimistic_vi_episodic(st.counts, st.reward_sum, st.next_counts, inst.layer, seed=np.random.default_rng(1),
                               delta=1 / 600, c=0.0)
    pl = alg.vi_lcb_episodic(st.counts, st.reward_sum, st.next_counts, inst.layer, seed=np.random.default_rng(2),
                             delta=1 / 600, c=0.0)
    np.testing.assert_array_equal(po, pl)


# --------------------------------------------------------------------------- bandit lower-bound instances

def test_dataset_kl_closed_form_and_chain_rule():
    from rltheory.bounds.lcb_bandits import kl_bernoulli
    f1, f2 = hi.thm2_bandit_pair(4.0, 100, 0.1)
    # only arm 1 differs: N mu(1) KL(Bern(0.4) || Bern(0.6))
    assert offline_sampling.dataset_kl(f1, f2, 100) == pytest.approx(100 * 0.25 * kl_bernoulli(0.4, 0.6), rel=1e-12)
    assert offline_sampling.dataset_kl(f1, f1, 100) == 0.0
    # different data distributions add KL(mu1 || mu2) per sample
    g1, g2 = hi.thm2_bandit_pair(1.5, 10)
    expect = 10 * (kl_bernoulli(2 / 3, 1 / 3) + (2 / 3) * kl_bernoulli(g1.reward_prob[0], g2.reward_prob[0])
                   + (1 / 3) * kl_bernoulli(g1.reward_prob[1], g2.reward_prob[1]))
    assert offline_sampling.dataset_kl(g1, g2, 10) == pytest.approx(expect, rel=1e-12)
    with pytest.raises(ValidationError):
        offline_sampling.dataset_kl(f1, hi.expert_contextual(3, 10, seed=np.random.default_rng(0)), 10)


def test_thm2_pair_tv_matches_brute_force():
    from itertools import product
    C, N, d = 2.0, 6, 0.2
    f1, f2 = hi.thm2_bandit_pair(C, N, d)
    tv = 0.0
    # one sample: (arm, reward) with four outcomes; the N-sample law is the product
    outcomes = [(a, r) for a in (0, 1) for r in (0, 1)]

    def p(f, a, r):
        q = f.reward_prob[a]
        return f.mu[a] * (q if r else 1 - q)
    for seq in product(outcomes, repeat=N):
        p1 = np.prod([p(f1, a, r) for a, r in seq])
        p2 = np.prod([p(f2, a, r) for a, r in seq])
        tv += 0.5 * abs(p1 - p2)
    assert hi.thm2_pair_tv(C, N, d) == pytest.approx(tv, rel=1e-10)


def test_fixed_grid_bandit_instances():
    inst = hi.rare_arm_bandit(0.01)
    assert inst.C_star == pytest.approx(1 / 0.99) and inst.gaps[1] == pytest.approx(0.25)
    six = hi.thm3_bandit_fixed_gap(6.0, 0.1)
    assert six.C_star == pytest.approx(6.0) and six.gaps[1] == pytest.approx(0.1)
    one5 = hi.thm3_bandit_fixed_gap(1.5, 0.1)
    assert one5.C_star == pytest.approx(1.5) and one5.means[0] == 0.5
    with pytest.raises(ValidationError):
        hi.rare_arm_bandit(0.01, r_star=0.2)


def test_le_cam_and_fano_allowances():
    from rltheory.bounds import lcb_bandits as B
    # at the theorem's separation the KL allowance is the constant 200 once N >= 16 C*
    assert B.le_cam_kl_allowance(C_star=2.0, N=1000) == pytest.approx(200.0)
    assert B.le_cam_kl_allowance(C_star=2.0, N=8) == pytest.approx(200 * 8 / 16 / 2)
    assert B.le_cam_risk(0.1, 0.5) == pytest.approx(0.025)
    assert B.fano_kl_allowance(S=64) == pytest.approx(4 - math.log(2))
    assert B.thm1_expected_bound(C_star=2, N=1000) == pytest.approx(2 * math.sqrt(2 * math.log(4000) / 1000) + 0.002)
    assert B.prop2_bound(C_star=1.5, N=10) == pytest.approx(math.exp(-10 * B.kl_bernoulli(0.5, 2 / 3)))


# --------------------------------------------------------------------------- layout and randomness convention

LCB_MODULES = ["rltheory.algorithms.lcb", "rltheory.algorithms.lcb.penalty", "rltheory.algorithms.lcb.bandits",
               "rltheory.algorithms.lcb.discounted", "rltheory.algorithms.lcb.baselines",
               "rltheory.algorithms.lcb.exact_risk", "rltheory.envs.offline_sampling"]


@pytest.mark.parametrize("name", LCB_MODULES)
def test_lcb_docstring_examples(name):
    import doctest
    import importlib
    result = doctest.testmod(importlib.import_module(name), optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert result.failed == 0 and result.attempted > 0


def test_package_reexports_every_public_name():
    import importlib
    for module in ("bandits", "contextual", "discounted", "episodic", "baselines", "exact_risk", "penalty"):
        sub = importlib.import_module(f"rltheory.algorithms.lcb.{module}")
        for name in sub.__all__:
            assert getattr(alg, name) is getattr(sub, name), name
            assert name in alg.__all__, name
    import rltheory.algorithms as algorithms
    import rltheory.envs as envs
    for name in ("lcb_bandit", "vi_lcb", "vi_lcb_episodic", "two_arm_exact_risk"):
        assert getattr(algorithms, name) is getattr(alg, name)
    for module in (offline_models, offline_sampling):
        for name in module.__all__:
            assert getattr(envs, name) is getattr(module, name), name


def test_seed_accepts_int_seed_sequence_and_generator():
    inst = hi.thm3_bandit_fixed_gap(6.0, 0.1)
    by_int = offline_sampling.sample_bandit(inst, 40, 500, seed=3)
    by_seq = offline_sampling.sample_bandit(inst, 40, 500, seed=np.random.SeedSequence(3))
    by_gen = offline_sampling.sample_bandit(inst, 40, 500, seed=np.random.default_rng(3))
    for other in (by_seq, by_gen):
        np.testing.assert_array_equal(other.counts, by_int.counts)
        np.testing.assert_array_equal(other.reward_sum, by_int.reward_sum)
    # a Generator is used as is: the call advances it, so a sampler and a learner can share one stream
    g = np.random.default_rng(9)
    offline_sampling.sample_bandit(inst, 40, 500, seed=g)
    assert g.random() != np.random.default_rng(9).random()
    np.testing.assert_array_equal(alg.uniform_policy(3, 4, 5, seed=7),
                                  alg.uniform_policy(3, 4, 5, seed=np.random.default_rng(7)))
    np.testing.assert_array_equal(hi.expert_contextual(6, 50, seed=1).mu,
                                  hi.expert_contextual(6, 50, seed=np.random.default_rng(1)).mu)
    with pytest.raises(ValidationError, match="seed"):
        alg.most_played(by_int.counts, seed=-1)
    with pytest.raises(ValidationError, match="seed"):
        hi.layered_expert_mdp(2, 3, 10)                    # neither pi_star nor seed
    with pytest.raises(TypeError):
        alg.most_played(by_int.counts, np.random.default_rng(0))   # the seed is a keyword
