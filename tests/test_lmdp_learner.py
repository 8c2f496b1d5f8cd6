"""The LMDP learners: exact per-episode regret, determinism, validation."""

import numpy as np
import pytest

from rltheory import ValidationError
from rltheory.algorithms import LearnerRun, lmdp_hf, lmdp_null
from rltheory.envs import random_lmdp, revealing_lmdp, variance_lmdp
from rltheory.solvers import lmdp_optimal_value, lmdp_policy_value
from rltheory.solvers import latent_reference as ref


def test_same_seed_same_bits_and_fields():
    L = random_lmdp(2, 3, 2, 3, seed=0)
    a = lmdp_hf(L, 200, seed=4, bonus_scale=0.1)
    b = lmdp_hf(L, 200, seed=np.random.SeedSequence(4), bonus_scale=0.1)
    assert isinstance(a, LearnerRun) and a.fidelity == "reconstructed"
    assert np.array_equal(a.expected_regret, b.expected_regret) and np.array_equal(a.returns, b.returns)
    assert a.params["planner"] == "exact" and a.params["bonus"] == "bernstein"
    assert abs(a.v_star - lmdp_optimal_value(L)) <= 1e-12


def test_null_learner_regret_is_exact():
    """The null learner plays action 0 everywhere: its regret is V* minus that policy's exact value."""
    L = random_lmdp(2, 3, 2, 3, seed=2)
    run = lmdp_null(L, 50, seed=0)
    v0 = ref.policy_value_histories(L, lambda hist: 0)
    assert np.allclose(run.expected_regret, lmdp_optimal_value(L) - v0, atol=1e-12, rtol=0)


def test_regret_is_nonnegative_and_the_learner_learns():
    L = revealing_lmdp(2, 2, 4, gap=0.2, p=0.25)
    run = lmdp_hf(L, 600, seed=1, bonus_scale=0.05)
    assert run.expected_regret.min() >= -1e-12
    assert run.average_regret(400) < 0.5 * run.average_regret(0, 50)
    null = lmdp_null(L, 600, seed=1)
    assert run.cumulative_regret[-1] < null.cumulative_regret[-1]


def test_regret_on_deterministic_instance_stops():
    L = variance_lmdp(2, 2, 2, p=0.0, gap=0.2)
    run = lmdp_hf(L, 400, seed=0, bonus_scale=0.05)
    assert np.all(np.abs(run.expected_regret[-100:]) <= 1e-12)


@pytest.mark.parametrize("bonus", ["hoeffding_H", "none"])
def test_baselines_run_and_are_exact(bonus):
    L = random_lmdp(2, 2, 2, 3, seed=1)
    run = lmdp_hf(L, 100, seed=0, bonus=bonus, bonus_scale=0.1, doubling=False)
    assert run.algorithm in ("lmdp-hoeffding-H", "lmdp-greedy")
    assert np.all(run.expected_regret <= run.v_star + 1e-12) and run.expected_regret.min() >= -1e-12


def test_first_episode_regret_matches_policy_value():
    """Episode 0 plays the plan of the empty model (every pair unknown): the first action everywhere."""
    L = random_lmdp(2, 3, 2, 3, seed=9)
    run = lmdp_hf(L, 1, seed=0)
    assert abs(run.expected_regret[0] - (lmdp_optimal_value(L) - ref.policy_value_histories(L, lambda h: 0))) \
        <= 1e-12


def test_inputs_are_validated():
    L = random_lmdp(2, 2, 2, 2, seed=0)
    with pytest.raises(ValidationError, match=r"bonus = 'ucb' \(rule: one of"):
        lmdp_hf(L, 10, seed=0, bonus="ucb")
    with pytest.raises(ValidationError, match=r"K = 0 \(rule: K must be >= 1\)"):
        lmdp_hf(L, 0, seed=0)
    with pytest.raises(ValidationError, match=r"delta = 1.5 \(rule: 0 < delta < 1\)"):
        lmdp_hf(L, 10, seed=0, delta=1.5)
    with pytest.raises(ValidationError, match=r"bonus_scale = -1.0 \(rule: finite and >= 0\)"):
        lmdp_hf(L, 10, seed=0, bonus_scale=-1)
    with pytest.raises(ValidationError, match=r"lmdp is a int \(rule: a LatentMDP\)"):
        lmdp_hf(3, 10, seed=0)


def test_policy_value_agrees_with_learner_record():
    """lmdp_policy_value of the BeliefPolicy of the empty-model planner equals the first recorded value."""
    from rltheory.solvers import BeliefPolicy
    L = random_lmdp(2, 2, 2, 3, seed=4)
    M, S, A = L.M, L.S, L.A
    empty = BeliefPolicy(np.full((M, S, A, S), 1.0 / S), np.zeros((M, S, A)), np.zeros((M, S, A)),
                         np.full(M, 1.0 / M), np.full((M, S), 1.0 / S), bonus="bernstein", cap=1.0)
    run = lmdp_hf(L, 1, seed=0)
    assert abs(run.v_star - run.expected_regret[0] - lmdp_policy_value(L, empty)) <= 1e-12


@pytest.mark.parametrize("bonus, doubling", [("bernstein", True), ("hoeffding_H", True), ("none", False)])
def test_numba_learner_equals_plain_reference(bonus, doubling):
    """Bit-identical regrets and returns against the plain-Python learner (same draws, same arithmetic order)."""
    from rltheory.algorithms.lmdp_reference import lmdp_hf_reference
    L = random_lmdp(2, 3, 2, 3, seed=6)
    run = lmdp_hf(L, 120, seed=2, bonus=bonus, bonus_scale=0.1, doubling=doubling)
    reg, ret = lmdp_hf_reference(L, 120, seed=2, bonus=bonus, bonus_scale=0.1, doubling=doubling)
    assert np.array_equal(run.expected_regret, reg) and np.array_equal(run.returns, ret)


def test_greedy_belief_planner_is_recorded_and_validated():
    L = random_lmdp(2, 3, 2, 3, seed=3)
    run = lmdp_hf(L, 150, seed=1, bonus_scale=0.1, planner="greedy_belief")
    assert run.params["planner"] == "greedy_belief" and run.expected_regret.min() >= -1e-12
    assert lmdp_hf(L, 5, seed=1).params["planner"] == "exact"
    with pytest.raises(ValidationError, match=r"planner = 'pareto' \(rule: one of"):
        lmdp_hf(L, 5, seed=1, planner="pareto")


def test_full_memo_restarts_with_the_same_draws():
    L = random_lmdp(2, 3, 2, 3, seed=8)
    small = lmdp_hf(L, 200, seed=3, bonus_scale=0.1, memo_capacity=16)
    large = lmdp_hf(L, 200, seed=3, bonus_scale=0.1)
    assert small.params["memo_capacity"] > 16
    assert np.array_equal(small.expected_regret, large.expected_regret)
    assert np.array_equal(small.returns, large.returns)


# --- the model-optimistic solver (Bernstein box; reconstructed) --------------------------------------------

from hypothesis import given, settings, strategies as st  # noqa: E402

from rltheory.kernels import belief as kb  # noqa: E402


def _box_and_max(p, n, iota, scale, v):
    S = p.shape[0]
    lo, hi, out = np.empty(S), np.empty(S), np.empty(S)
    kb.bernstein_box(p, n, iota, scale, 2.0, 7.0 / 3.0, lo, hi)
    return lo, hi, kb.box_max(lo, hi, v, out, np.zeros(len(p), dtype=np.int64)), out


@settings(max_examples=60, deadline=None)
@given(S=st.integers(1, 6), data=st.data())
def test_box_max_equals_linprog(S, data):
    """The greedy fill is the LP optimum over box ∩ simplex (scipy HiGHS), value and feasibility to 1e-12."""
    from scipy.optimize import linprog
    counts = np.array(data.draw(st.lists(st.integers(0, 6), min_size=S, max_size=S)), dtype=float)
    if counts.sum() == 0:
        counts[0] = 1.0
    p = counts / counts.sum()
    n = float(data.draw(st.integers(1, 200)))
    scale = data.draw(st.sampled_from([0.0, 0.01, 0.1, 1.0]))
    iota = data.draw(st.floats(0.1, 10.0))
    v = np.array(data.draw(st.lists(st.sampled_from([0.0, 0.25, 0.5, 1.0]) | st.floats(0.0, 1.0),
                                    min_size=S, max_size=S)))
    lo, hi, val, out = _box_and_max(p, n, iota, scale, v)
    assert np.all(lo[p == 0] == 0.0) and np.all(lo <= p) and np.all(p <= hi)        # p^ inside
    assert scale == 0.0 or np.all(hi[p == 0] > 0.0)                                   # unseen s' boxed too
    lp = linprog(-v, A_eq=np.ones((1, S)), b_eq=[1.0], bounds=list(zip(lo, hi)), method="highs")
    assert lp.status == 0
    assert abs(val - (-lp.fun)) <= 1e-12
    assert abs(out.sum() - 1.0) <= 1e-12 and np.all(out >= lo - 1e-15) and np.all(out <= hi + 1e-15)
    assert val >= float(np.sum(p * v)) - 1e-12                                        # optimism of the row


def test_zero_width_box_gives_p_hat_back():
    p = np.array([0.5, 0.25, 0.25, 0.0])
    v = np.array([0.1, 0.9, 0.3, 1.0])
    for n, scale in ((np.inf, 1.0), (10.0, 0.0)):
        lo, hi, val, out = _box_and_max(p, n, 3.0, scale, v)
        assert np.array_equal(lo, p) and np.array_equal(hi, p) and np.array_equal(out, p)
        assert val == 0.5 * 0.1 + 0.25 * 0.9 + 0.25 * 0.3 + 0.0 * 1.0


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_model_optimistic_plan_is_optimistic(seed):
    """Per-context alpha vectors of the model-optimistic plan bound its own value in the empirical model."""
    from rltheory.models import LatentMDP
    from rltheory.solvers import BeliefPolicy, lmdp_policy_value
    L = random_lmdp(2, 3, 2, 3, seed=seed)
    rng = np.random.default_rng(seed)
    n = rng.integers(1, 30, size=L.R.shape).astype(float)
    P_hat = np.stack([[[rng.multinomial(int(n[m, s, a]), L.P[m, s, a]) / n[m, s, a] for a in range(L.A)]
                       for s in range(L.S)] for m in range(L.M)])
    emp = LatentMDP(P_hat, L.R, L.nu, L.w, L.H)
    pol = BeliefPolicy(P_hat, L.R, n, L.w, L.nu, bonus="model_opt", scale=0.3, c1=2.0, c2=7.0 / 3.0, iota=2.0,
                       cap=1.0, planner="greedy_belief")
    plan = kb.root_value(pol.model(L.H), kb.new_memo(1 << 12, 2 + L.M, 2 + L.M))
    assert plan >= lmdp_policy_value(emp, pol) - 1e-12
    zero = BeliefPolicy(P_hat, L.R, n, L.w, L.nu, bonus="model_opt", scale=0.0, cap=np.inf,
                        planner="greedy_belief")
    same = kb.root_value(zero.model(L.H), kb.new_memo(1 << 12, 2 + L.M, 2 + L.M))
    assert abs(same - lmdp_policy_value(emp, zero)) <= 1e-12     # zero-width box: the plan's value is exact


@pytest.mark.parametrize("seed", [0, 1])
def test_model_optimistic_plan_values_unseen_successors_by_its_own_dp(seed):
    """One context: the model-optimistic plan is the optimistic DP V_h(s) = min{1, max_a R + max_{p in box}
    p^T V_{h+1}} with V_{h+1} on *every* successor (unseen ones too; V_H = 0), the box maximum by an LP."""
    from scipy.optimize import linprog
    from rltheory.solvers import BeliefPolicy
    L = random_lmdp(1, 3, 2, 3, seed=seed)
    rng = np.random.default_rng(seed)
    n = rng.integers(1, 4, size=L.R.shape).astype(float)           # few visits: many unseen successors
    P_hat = np.stack([[[rng.multinomial(int(n[0, s, a]), L.P[0, s, a]) / n[0, s, a] for a in range(L.A)]
                       for s in range(L.S)]])
    assert np.any(P_hat == 0.0)
    scale, c1, c2, iota = 0.3, 2.0, 7.0 / 3.0, 2.0
    V = np.zeros(L.S)
    for h in range(L.H - 1, -1, -1):
        Q = np.zeros((L.S, L.A))
        for s in range(L.S):
            for a in range(L.A):
                p, k = P_hat[0, s, a], n[0, s, a]
                w = scale * (np.sqrt(c1 * p * iota / k) + c2 * iota / k)
                bounds = [(max(0.0, x - d), min(1.0, x + d)) for x, d in zip(p, w)]
                lp = linprog(-V, A_eq=np.ones((1, L.S)), b_eq=[1.0], bounds=bounds, method="highs")
                Q[s, a] = L.R[0, s, a] - lp.fun
        V = np.minimum(1.0, Q.max(axis=1))
    expected = float(L.nu[0] @ V)
    pol = BeliefPolicy(P_hat, L.R, n, L.w, L.nu, bonus="model_opt", scale=scale, c1=c1, c2=c2, iota=iota,
                       cap=1.0, planner="greedy_belief")
    plan = kb.root_value(pol.model(L.H), kb.new_memo(1 << 10, 2 + L.M, 2 + L.M))
    assert abs(plan - expected) <= 1e-9


def test_model_optimistic_learner_is_reproducible_recorded_and_validated():
    L = random_lmdp(2, 3, 2, 3, seed=5)
    a = lmdp_hf(L, 150, seed=3, bonus_scale=0.1, solver="model_opt")
    b = lmdp_hf(L, 150, seed=np.random.SeedSequence(3), bonus_scale=0.1, solver="model_opt")
    assert np.array_equal(a.expected_regret, b.expected_regret) and np.array_equal(a.returns, b.returns)
    assert a.params["solver"] == "model_opt" and a.params["planner"] == "greedy_belief"
    assert a.algorithm == "lmdp-hf-model-opt" and a.fidelity == "reconstructed"
    assert a.expected_regret.min() >= -1e-12
    assert lmdp_hf(L, 5, seed=3).params["solver"] == "value_opt"
    with pytest.raises(ValidationError, match=r"solver = 'joint' \(rule: one of"):
        lmdp_hf(L, 5, seed=3, solver="joint")
    with pytest.raises(ValidationError, match=r"solver = 'model_opt' with bonus = 'none' \(rule:"):
        lmdp_hf(L, 5, seed=3, solver="model_opt", bonus="none")


@pytest.mark.parametrize("planner, doubling", [(None, True), ("exact", False)])
def test_model_optimistic_learner_equals_plain_reference(planner, doubling):
    from rltheory.algorithms.lmdp_reference import lmdp_hf_reference
    L = random_lmdp(2, 3, 2, 3, seed=6)
    run = lmdp_hf(L, 120, seed=2, bonus_scale=0.1, solver="model_opt", planner=planner, doubling=doubling)
    reg, ret = lmdp_hf_reference(L, 120, seed=2, bonus_scale=0.1, solver="model_opt", planner=planner,
                                 doubling=doubling)
    assert np.array_equal(run.expected_regret, reg) and np.array_equal(run.returns, ret)


def test_greedy_belief_value_optimistic_equals_plain_reference():
    from rltheory.algorithms.lmdp_reference import lmdp_hf_reference
    L = random_lmdp(2, 3, 2, 3, seed=7)
    run = lmdp_hf(L, 100, seed=1, bonus_scale=0.1, planner="greedy_belief")
    reg, ret = lmdp_hf_reference(L, 100, seed=1, bonus_scale=0.1, planner="greedy_belief")
    assert np.array_equal(run.expected_regret, reg) and np.array_equal(run.returns, ret)


def test_context_blind_learner_equals_plain_reference_and_pools_the_contexts():
    """``hindsight=False``: bit-identical to the plain twin; on the reward-revealing family (good action m mod A)
    it cannot serve two contexts with different good actions, while the learner with hindsight can."""
    from rltheory.algorithms.lmdp_reference import lmdp_hf_reference
    from rltheory.envs import reward_revealing_lmdp
    L = random_lmdp(2, 3, 2, 3, seed=6)
    run = lmdp_hf(L, 120, seed=2, bonus_scale=0.1, hindsight=False)
    reg, ret = lmdp_hf_reference(L, 120, seed=2, bonus_scale=0.1, hindsight=False)
    assert np.array_equal(run.expected_regret, reg) and np.array_equal(run.returns, ret)
    assert run.params["hindsight"] is False and run.algorithm == "lmdp-hf-context-blind"
    R = reward_revealing_lmdp(2, 2, 3, gap=0.3, p=0.0)
    blind = lmdp_hf(R, 400, seed=0, bonus_scale=0.02, hindsight=False)
    seeing = lmdp_hf(R, 400, seed=0, bonus_scale=0.02)
    # half the contexts lose gap/H on each of the H - 2 steps that matter: per-episode regret 0.3/3 * 1/2
    assert blind.average_regret(300) > 0.04 and seeing.average_regret(300) < 1e-3
