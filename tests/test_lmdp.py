"""Latent MDPs: model validation, exact solvers against independent references, generators, Var*."""

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from rltheory import ValidationError
from rltheory.envs import (last_step_lmdp, probe_state_lmdp, random_lmdp, revealing_lmdp, variance_lmdp,
                           variance_lmdp_var_star)
from rltheory.envs.hard_instances.lmdp import lmdp_hard_pair, uniform_trajectory_laws
from rltheory.kernels import belief as kb
from rltheory.models import LatentMDP, to_tabular
from rltheory.solvers import (BeliefPolicy, backward_induction, belief_update, kl, lmdp_gamma,
                              lmdp_optimal_value, lmdp_policy_value, lmdp_policy_variance, var_star)
from rltheory.solvers import latent_reference as ref


def _tiny(M=2, S=2, A=2, H=2):
    P = np.zeros((M, S, A, S))
    P[..., 0] = 0.5
    P[..., 1] = 0.5
    R = np.zeros((M, S, A))
    R[0, 0, 1] = 0.5
    return dict(P=P, R=R, nu=np.full((M, S), 1.0 / S), w=np.full(M, 1.0 / M), H=H)


# ------------------------------------------------------------------ model validation

def test_model_attributes_and_to_tabular():
    L = LatentMDP(**_tiny())
    assert (L.M, L.S, L.A, L.H, L.Gamma) == (2, 2, 2, 2, 2)
    assert not L.P.flags.writeable
    T = to_tabular(L, 0)
    assert T.reward_range == "total" and np.array_equal(T.P, L.P[0]) and np.array_equal(T.mu0, L.nu[0])
    with pytest.raises(ValidationError, match=r"m = 2 \(rule: 0 <= m < M = 2\)"):
        to_tabular(L, 2)


@pytest.mark.parametrize("field, value, match", [
    ("P", np.full((2, 2, 2, 2), 0.4), r"P\[0, 0, 0, :\] sums to 0.8.*stochastic"),
    ("P", -np.ones((2, 2, 2, 2)), r"P\[0, 0, 0, 0\] = -1 is negative"),
    ("R", np.full((2, 2, 2), 1.5), r"R\[0, 0, 0\] = 1.5 \(rule: deterministic rewards must lie in \[0, 1\]\)"),
    ("R", np.full((2, 2, 2), 0.75), r"R\[0\]: a trajectory from state 0 collects total reward 1.5"),
    ("nu", np.full((2, 2), 0.7), r"nu\[0, :\] sums to 1.4"),
    ("w", np.array([1.0, 0.0]), r"w\[1\] = 0 \(rule: mixing weights must be > 0\)"),
    ("w", np.array([0.7, 0.7]), r"w sums to 1.4"),
    ("R", np.zeros((2, 3, 2)), r"R has shape \(2, 3, 2\) \(rule: expected shape \(2, 2, 2\)\)"),
    ("P", np.full((2, 2, 2, 2), np.nan), r"P\[0, 0, 0, 0\] = nan \(rule: entries must be finite"),
    ("H", 0, r"H = 0 \(rule: H must be >= 1\)"),
])
def test_model_rejects_bad_input(field, value, match):
    kw = _tiny()
    kw[field] = value
    with pytest.raises(ValidationError, match=match):
        LatentMDP(**kw)


def test_total_reward_checked_from_the_support_of_nu_only():
    kw = _tiny(S=2, H=3)
    kw["P"] = np.zeros((2, 2, 2, 2))
    kw["P"][..., 1] = 1.0                       # everything goes to state 1
    kw["R"] = np.zeros((2, 2, 2))
    kw["R"][:, 0, :] = 1.0                      # state 0 pays 1 but is only a start state
    kw["nu"] = np.array([[1.0, 0.0], [1.0, 0.0]])
    assert LatentMDP(**kw).H == 3
    kw["R"][:, 1, 0] = 0.1
    with pytest.raises(ValidationError, match=r"total reward 1.2"):
        LatentMDP(**kw)


# ------------------------------------------------------------------ exact solvers

lmdps = st.builds(lambda M, S, A, H, seed, G: random_lmdp(M, S, A, H, seed=seed, Gamma=min(G, S)),
                  st.integers(1, 3), st.integers(1, 3), st.integers(1, 2), st.integers(1, 3),
                  st.integers(0, 10 ** 6), st.integers(1, 3))


@settings(max_examples=40, deadline=None)
@given(lmdps)
def test_optimal_value_matches_history_backward_induction(L):
    assert abs(lmdp_optimal_value(L) - ref.optimal_value_histories(L)) <= 1e-10


@settings(max_examples=25, deadline=None)
@given(lmdps)
def test_bayes_optimal_belief_policy_attains_the_optimum(L):
    v = lmdp_optimal_value(L)
    pol = BeliefPolicy.optimal(L)
    assert abs(lmdp_policy_value(L, pol) - v) <= 1e-10
    assert abs(lmdp_policy_value(L, pol.actor(L.H)) - v) <= 1e-10      # enumeration path


def test_optimum_equals_brute_force_over_all_deterministic_history_policies():
    for seed in range(4):
        L = random_lmdp(2, 2, 2, 2, seed=seed)
        vals = [ref.policy_value_histories(L, p.__getitem__) for p in ref.enumerate_policies(L)]
        assert len(vals) >= 2 ** 3       # at least the root and one second-step choice per start
        assert abs(max(vals) - lmdp_optimal_value(L)) <= 1e-10


def test_revealing_start_gives_the_per_context_optimum():
    for H in (2, 5, 32):
        L = revealing_lmdp(3, 2, H, gap=0.3, p=0.2)
        told = sum(L.w[m] * float(np.sum(L.nu[m] * backward_induction(to_tabular(L, m)).V[0]))
                   for m in range(L.M))
        assert abs(lmdp_optimal_value(L) - told) <= 1e-10
        assert abs(lmdp_optimal_value(L) - 0.8) <= 1e-10


@pytest.mark.parametrize("M", [1, 2, 4, 8])
def test_reward_revealing_family_keeps_S_and_gives_the_per_context_optimum(M):
    """The first reward reveals the context: the belief DP equals the context-told optimum and the closed
    form (1-p)(H-1)/H + (M-1)/(2MH), with S = 4 for every M."""
    from rltheory.envs import reward_revealing_lmdp
    for H, p in ((2, 0.2), (5, 0.0), (32, 0.3)):
        L = reward_revealing_lmdp(M, 3, H, gap=0.3, p=p)
        assert L.S == 4 and L.Gamma == (2 if p > 0 else 1)
        told = sum(L.w[m] * float(np.sum(L.nu[m] * backward_induction(to_tabular(L, m)).V[0]))
                   for m in range(L.M))
        closed = (1 - p) * (H - 1) / H + (M - 1) / (2 * M * H)
        assert abs(lmdp_optimal_value(L) - told) <= 1e-10 and abs(told - closed) <= 1e-12
    if M > 1:   # the first reward separates every pair of contexts
        b = belief_update(L, np.full(M, 1.0 / M), 0, 0, float(L.R[1, 0, 0]), 1)
        assert np.array_equal(b, np.eye(M)[1])
    with pytest.raises(ValidationError, match=r"gap = 0.8 \(rule: 0 <= gap <= 0.7\)"):
        reward_revealing_lmdp(M, 2, 4, gap=0.8, p=0.3)


def test_collapsing_families_plan_at_H_32():
    P = probe_state_lmdp(2, 32, [[0.2, 0.7], [0.8, 0.3]])
    assert 0 < lmdp_optimal_value(P) <= 1
    L = last_step_lmdp(3, 2, 32, seed=1)
    assert abs(lmdp_optimal_value(L) - float(np.max(L.w @ L.R[:, -1, :]))) <= 1e-12


def test_probe_state_family_small_H_against_reference():
    P = probe_state_lmdp(2, 5, [[0.2, 0.7], [0.8, 0.3]])
    assert abs(lmdp_optimal_value(P) - ref.optimal_value_histories(P)) <= 1e-10


def test_optimum_needs_history_dependence():
    """Probe family: the best Markov policy is strictly worse than the optimum over histories."""
    import itertools
    L = probe_state_lmdp(2, 4, [[0.9, 0.5], [0.1, 0.6]])
    best_markov = max(ref.policy_value_histories(L, lambda h, t=np.reshape(a, (4, 3)): t[len(h) // 3, h[-1]])
                      for a in itertools.product(range(2), repeat=12))
    assert lmdp_optimal_value(L) > best_markov + 1e-6


def _random_planner(L, rng, bonus):
    n = rng.integers(0, 4, size=L.R.shape).astype(float)
    P = rng.dirichlet(np.ones(L.S), size=L.R.shape)
    return BeliefPolicy(P, L.R, n, L.w, L.nu, bonus=bonus, scale=0.3, c1=2.0, c2=1.0, iota=3.0,
                        Gamma=2.0, H_scale=L.H, cap=1.0)


@pytest.mark.parametrize("bonus", ["none", "bernstein", "hoeffding_H"])
def test_optimistic_planner_kernel_matches_plain_reference(bonus):
    rng = np.random.default_rng(7)
    for seed in range(6):
        L = random_lmdp(2, 3, 2, 3, seed=seed)
        pol = _random_planner(L, rng, bonus)
        bm = pol.model(L.H)
        v = kb.root_value(bm, kb.new_memo(1 << 12, 2 + L.M))
        r = ref.plan_value_reference(pol.P, pol.R, pol.counts, pol.w, pol.nu, L.H, bonus, pol.consts[:7])
        assert abs(v - r) <= 1e-10


@pytest.mark.parametrize("bonus", ["none", "bernstein", "hoeffding_H"])
def test_policy_value_of_learner_policies_matches_enumeration(bonus):
    rng = np.random.default_rng(3)
    for seed in range(6):
        L = random_lmdp(2, 2, 2, 3, seed=seed)
        pol = _random_planner(L, rng, bonus)
        assert abs(lmdp_policy_value(L, pol) - lmdp_policy_value(L, pol.actor(L.H))) <= 1e-10
        assert lmdp_policy_value(L, pol) <= lmdp_optimal_value(L) + 1e-12


def test_small_memo_gives_the_same_values():
    L = random_lmdp(2, 3, 2, 4, seed=5)
    assert abs(lmdp_optimal_value(L, memo_capacity=2) - lmdp_optimal_value(L)) <= 1e-12
    pol = BeliefPolicy.optimal(L)
    assert abs(lmdp_policy_value(L, pol, memo_capacity=2) - lmdp_optimal_value(L)) <= 1e-10
    m = kb.new_memo(4, 2 + L.M)
    v = kb.root_value(pol.model(L.H), m)
    assert m.count[1] == 1 and np.isnan(v)          # a full table stops the DP


def test_belief_update_is_bayes_rule():
    L = random_lmdp(3, 3, 2, 2, seed=11)
    b = np.array([0.2, 0.3, 0.5])
    s, a, s2 = 0, 1, 2
    r = float(L.R[0, s, a])
    lik = L.P[:, s, a, s2] * (L.R[:, s, a] == r)
    if lik.sum() == 0:
        pytest.skip("observation impossible for this draw")
    assert np.allclose(belief_update(L, b, s, a, r, s2), b * lik / np.sum(b * lik), atol=1e-15)
    with pytest.raises(ValidationError, match=r"probability 0 under b"):
        belief_update(L, b, s, a, 7.0, s2)
    with pytest.raises(ValidationError, match=r"b = .* \(rule: a probability vector"):
        belief_update(L, [0.5, 0.6, 0.1], s, a, r, s2)


def test_policy_argument_is_validated():
    L = random_lmdp(2, 2, 2, 2, seed=0)
    with pytest.raises(ValidationError, match=r"policy is a int \(rule: a BeliefPolicy or a callable"):
        lmdp_policy_value(L, 3)
    with pytest.raises(ValidationError, match=r"bonus = 'ucb' \(rule: one of"):
        BeliefPolicy(L.P, L.R, np.ones(L.R.shape), L.w, L.nu, bonus="ucb")
    with pytest.raises(ValidationError, match=r"lmdp is a str \(rule: a LatentMDP\)"):
        lmdp_optimal_value("x")


# ------------------------------------------------------------------ Var* and Gamma

@pytest.mark.parametrize("p", [0.0, 0.1, 0.3])
def test_var_star_closed_form_on_the_variance_family(p):
    L = variance_lmdp(2, 2, 2, p=p, gap=0.05)
    assert abs(var_star(L) - variance_lmdp_var_star(p)) <= 1e-12
    assert abs(lmdp_optimal_value(L) - (1 - p)) <= 1e-12


def test_policy_variance_law_of_total_variance():
    """Var^pi = sum_m w_m (Var_m[return] - Var_{s0~nu_m}[alpha_1(m, s0)]) for deterministic rewards."""
    for seed in range(4):
        L = random_lmdp(2, 2, 2, 3, seed=seed)
        act = BeliefPolicy.optimal(L).actor(L.H)
        total = 0.0
        for m in range(L.M):
            start_means, second, first = [], 0.0, 0.0

            def rec(hist, s, prob, ret):
                if len(hist) // 3 == L.H:
                    return [(prob, ret)]
                a = act(hist)
                out = []
                for t in np.flatnonzero(L.P[m, s, a] > 0):
                    out += rec(hist + (a, float(L.R[m, s, a]), int(t)), int(t), prob * L.P[m, s, a, t],
                               ret + L.R[m, s, a])
                return out
            for s in np.flatnonzero(L.nu[m] > 0):
                leaves = rec((int(s),), int(s), 1.0, 0.0)
                mean_s = sum(p * g for p, g in leaves)
                start_means.append((L.nu[m, s], mean_s))
                second += L.nu[m, s] * sum(p * g * g for p, g in leaves)
                first += L.nu[m, s] * mean_s
            var_g = second - first ** 2
            var_start = sum(q * x * x for q, x in start_means) - first ** 2
            total += L.w[m] * (var_g - var_start)
        assert abs(lmdp_policy_variance(L, BeliefPolicy.optimal(L)) - total) <= 1e-10


def test_var_star_zero_on_deterministic_and_bounded_by_one():
    assert var_star(variance_lmdp(2, 2, 3, p=0.0)) == 0.0
    L = random_lmdp(2, 2, 2, 2, seed=3)
    assert 0.0 <= var_star(L) <= 1.0
    assert lmdp_gamma(L) == L.Gamma == 2
    assert lmdp_gamma(random_lmdp(2, 3, 2, 2, seed=0, Gamma=1)) == 1


# ------------------------------------------------------------------ generators

def test_generators_are_valid_and_deterministic():
    a, b = random_lmdp(2, 4, 2, 4, seed=1), random_lmdp(2, 4, 2, 4, seed=1)
    assert np.array_equal(a.P, b.P) and np.array_equal(a.R, b.R)
    for L in (revealing_lmdp(4, 3, 8), variance_lmdp(3, 2, 5, p=0.2), probe_state_lmdp(3, 6, np.full((2, 3), .5)),
              last_step_lmdp(2, 2, 4, seed=0)):
        assert isinstance(L, LatentMDP)
    with pytest.raises(ValidationError, match=r"gap = 0.9 \(rule: 0 <= gap <= 0.8\)"):
        revealing_lmdp(2, 2, 4, gap=0.9, p=0.2)
    with pytest.raises(ValidationError, match=r"Gamma = 5 \(rule: Gamma <= S = 3\)"):
        random_lmdp(2, 3, 2, 2, seed=0, Gamma=5)
    with pytest.raises(ValidationError, match=r"theta\[0, 1\] = nan \(rule: \(M, A\) probabilities"):
        probe_state_lmdp(2, 4, [[0.2, np.nan]])
    with pytest.raises(ValidationError, match=r"theta has shape \(1, 2\) \(rule: .*A = 3\)"):
        probe_state_lmdp(3, 4, [[0.2, 0.3]])


@pytest.mark.parametrize("M, depth, A, eps", [(2, 1, 2, 0.1), (3, 2, 2, 0.05), (2, 0, 3, 0.2)])
def test_hard_pair_kl_closed_form(M, depth, A, eps):
    base, pert = lmdp_hard_pair(M, depth, A, eps)
    assert base.Gamma == 2 and pert.Gamma == 2
    p, q = uniform_trajectory_laws(base, pert)
    # the target (context 0, leaf 0, action 0) is reached with probability A^-depth (always action 0) / A
    reach = (1.0 / A) ** depth / A
    bern = 0.5 * np.log(0.5 / (0.5 + eps)) + 0.5 * np.log(0.5 / (0.5 - eps))
    assert abs(kl(p, q) - reach * bern / M) <= 1e-12
    assert abs(lmdp_optimal_value(pert) - (0.5 + eps / M)) <= 1e-12
    with pytest.raises(ValidationError, match=r"target = \(0, 9, 0\)"):
        lmdp_hard_pair(M, depth, A, eps, target=(0, 9, 0))


# ------------------------------------------------------------------ greedy-belief planner

@settings(max_examples=25, deadline=None)
@given(lmdps)
def test_greedy_belief_planner_value_is_its_own_policy_value(L):
    """Without bonus and cap, the greedy-belief planner's root value is the exact value of the policy it
    plays (evaluated by the joint DP), hence at most V*."""
    g = BeliefPolicy(L.P, L.R, np.full(L.R.shape, np.inf), L.w, L.nu, planner="greedy_belief")
    v_plan = kb.root_value(g.model(L.H), kb.new_memo(1 << 12, 2 + L.M, 2 + L.M))
    v_pol = lmdp_policy_value(L, g)
    assert abs(v_plan - v_pol) <= 1e-10
    assert v_pol <= lmdp_optimal_value(L) + 1e-12
    assert abs(lmdp_policy_value(L, g.actor(L.H)) - v_pol) <= 1e-10


def test_greedy_belief_is_optimal_when_the_start_reveals_the_context():
    L = revealing_lmdp(3, 2, 12, gap=0.2, p=0.3)
    g = BeliefPolicy(L.P, L.R, np.full(L.R.shape, np.inf), L.w, L.nu, planner="greedy_belief")
    assert abs(lmdp_policy_value(L, g) - lmdp_optimal_value(L)) <= 1e-12
    with pytest.raises(ValidationError, match=r"planner = 'pareto' \(rule: one of"):
        BeliefPolicy(L.P, L.R, np.ones(L.R.shape), L.w, L.nu, planner="pareto")


def test_greedy_belief_truncates_each_context():
    """With a cap, every stored alpha value of the greedy-belief planner is at most the cap."""
    rng = np.random.default_rng(1)
    L = random_lmdp(2, 3, 2, 3, seed=2)
    pol = BeliefPolicy(L.P, L.R, rng.integers(1, 3, size=L.R.shape).astype(float), L.w, L.nu,
                       bonus="bernstein", scale=1.0, c1=2.0, c2=1.0, iota=3.0, Gamma=2.0, cap=0.6,
                       planner="greedy_belief")
    memo = kb.new_memo(1 << 12, 2 + L.M, 2 + L.M)
    kb.root_value(pol.model(L.H), memo)
    used = memo.used == 1
    assert used.sum() > 0 and memo.vals[used, 2:].max() <= 0.6 + 1e-15 and memo.vals[used, 0].max() <= 0.6 + 1e-12
