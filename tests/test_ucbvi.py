"""UCBVI and the no-bonus baselines: exact regret bookkeeping against the public solvers,
agreement with a plain-numpy reference implementation, sublinear regret, the linear regret of
greedy on the chain, the null learner, Theorem 1's formulas (rltheory.bounds.ucbvi),
determinism and validation."""

from __future__ import annotations

import importlib.util
import pathlib

import numpy as np
import pytest

from rltheory import ValidationError
from rltheory.algorithms import (BonusConstants, LearnerRun, explore_then_commit, greedy,
                                 ucbvi, uniform_random)
from rltheory.bounds import ucbvi as thm
from rltheory.curves import geometric_steps
from rltheory.envs import chain, combination_lock, random_tabular, riverswim
from rltheory.solvers import backward_induction, expected_return, policy_evaluation

import _reference as ref

_CLAIMS = pathlib.Path(__file__).resolve().parents[1] / "experiments" / "ucbvi.py"


def v_star(M):
    return float(M.mu0 @ backward_induction(M).V[0])


# ----------------------------------------------------------------------------- exact regret

@pytest.mark.parametrize("bonus", ["hoeffding", "bernstein"])
@pytest.mark.parametrize("stationary", [True, False])
def test_expected_regret_is_exact_policy_evaluation(bonus, stationary):
    M = random_tabular(4, 3, 4, 5, stationary=stationary, mu0="uniform")
    run = ucbvi(M, 300, 1, bonus=bonus, bonus_scale=0.05, record_policies=True)
    assert run.v_star == pytest.approx(v_star(M), abs=1e-12)
    values = np.array([M.mu0 @ policy_evaluation(M, p).V[0] for p in run.policies])
    np.testing.assert_allclose(run.expected_regret, run.v_star - values, rtol=0, atol=1e-12)
    assert run.expected_regret.min() > -1e-12
    np.testing.assert_allclose(run.cumulative_regret, np.cumsum(run.expected_regret))
    assert len(np.unique(run.expected_regret)) > 5  # many different policies were played


@pytest.mark.parametrize("bonus, scale", [("hoeffding", 0.05), ("bernstein", 0.3),
                                          ("hoeffding", 1.0), ("bernstein", 1.0)])
@pytest.mark.parametrize("stationary", [True, False])
def test_agrees_with_numpy_reference(bonus, scale, stationary):
    """Same policies, regrets and returns as the plain-numpy implementation of the same
    algorithm (tests/_reference.py) driven by the same random stream."""
    M = random_tabular(4, 2, 4, 2, stationary=stationary)
    run = ucbvi(M, 150, 7, bonus=bonus, bonus_scale=scale, record_policies=True)
    reg, ret, pols, vs = ref.ucbvi_numpy(M, 150, 7, bonus=bonus, bonus_scale=scale)
    assert np.array_equal(run.policies, pols)
    np.testing.assert_allclose(run.expected_regret, reg, rtol=0, atol=1e-12)
    np.testing.assert_allclose(run.returns, ret, rtol=0, atol=1e-12)
    assert len(np.unique(pols.reshape(150, -1), axis=0)) > 2  # the run is not trivial


def test_reference_agreement_without_the_monotone_min():
    M = random_tabular(5, 3, 4, 8)
    run = ucbvi(M, 200, 1, bonus="bernstein", bonus_scale=0.1, monotone=False,
                record_policies=True)
    reg, _, pols, _ = ref.ucbvi_numpy(M, 200, 1, bonus="bernstein", bonus_scale=0.1,
                                        monotone=False)
    assert np.array_equal(run.policies, pols)
    np.testing.assert_allclose(run.expected_regret, reg, rtol=0, atol=1e-12)
    assert run.params["monotone"] is False


def test_reference_agreement_with_sparse_rows_and_bernoulli_rewards():
    # sparse rows keep the learner on the sparse-successor route for many episodes
    M = random_tabular(6, 2, 5, 3, gamma_max=2)
    run = ucbvi(M, 200, 3, bonus="bernstein", bonus_scale=0.2, reward_noise="bernoulli",
                record_policies=True)
    reg, ret, pols, _ = ref.ucbvi_numpy(M, 200, 3, bonus="bernstein", bonus_scale=0.2,
                                          reward_noise="bernoulli")
    assert np.array_equal(run.policies, pols)
    np.testing.assert_array_equal(run.returns, ret)
    assert set(np.unique(run.returns)) <= set(range(M.H + 1))


def test_sparse_and_dense_routes_give_identical_bits():
    """The two summation routes of the planner (observed-successor lists, transposed dense
    counts) add the same non-zero terms in the same order, so they agree bit for bit."""
    from rltheory.algorithms._tabular_loop import _sums_dense, _sums_sparse
    rng = np.random.default_rng(0)
    S, SA = 9, 12
    N = rng.integers(0, 40, (SA, S)).astype(float) * (rng.random((SA, S)) < 0.4)
    succ = np.zeros((SA, S), dtype=np.int64)
    nsucc = np.zeros(SA, dtype=np.int64)
    for i in range(SA):
        idx = np.flatnonzero(N[i])
        succ[i, :len(idx)] = idx
        nsucc[i] = len(idx)
    V = rng.random(S) * 7
    V2, f = V * V, rng.random(S) * 49
    dense = np.empty((3, SA))
    sparse = np.empty((3, SA))
    _sums_dense(np.ascontiguousarray(N.T), V, V2, f, True, True, dense)
    _sums_sparse(N, succ, nsucc, V, V2, f, True, True, sparse)
    for d, s_, w in zip(dense, sparse, (V, V2, f)):
        assert np.array_equal(d, s_)
        np.testing.assert_allclose(d, N @ w, rtol=1e-14)


# ----------------------------------------------------------------------------- learning

@pytest.mark.parametrize("bonus, scale", [("bernstein", 1.0), ("hoeffding", 0.05)])
def test_regret_is_sublinear(bonus, scale):
    """Average regret per episode over the last half of 20k episodes is well below the
    average over the first tenth."""
    M = random_tabular(4, 2, 4, 1)
    run = ucbvi(M, 20_000, 0, bonus=bonus, bonus_scale=scale)
    early = run.average_regret(0, 2_000)
    late = run.average_regret(10_000)
    assert early > 0.05
    assert late < 0.25 * early


def test_greedy_has_linear_regret_on_chain_and_ucbvi_does_not():
    S, H, d = 6, 20, 0.05
    M = chain(S, H, distractor=d)
    gap = (H - S + 1) - H * d
    g = greedy(M, 2_000, 0, record_policies=True)
    # never tries "forward" at the start: the same regret in every episode
    np.testing.assert_allclose(g.expected_regret, gap, rtol=0, atol=1e-12)
    assert (g.policies[:, :, 0] == 0).all()
    assert g.cumulative_regret[-1] == pytest.approx(2_000 * gap)
    # UCBVI-BF (paper's constants) finds the far end within a few thousand episodes and
    # then plays the optimal policy
    u = ucbvi(M, 10_000, 0, bonus="bernstein")
    assert u.average_regret(5_000) == 0.0
    assert u.cumulative_regret[-1] < 0.5 * 10_000 * gap


def test_explore_then_commit():
    M = riverswim(4, 10)
    n = 30
    run = explore_then_commit(M, 200, 2, n, record_policies=True)
    uniform = np.full((M.H, M.S, M.A), 1.0 / M.A)
    v_unif = float(M.mu0 @ policy_evaluation(M, uniform).V[0])
    np.testing.assert_allclose(run.expected_regret[:n], v_star(M) - v_unif, rtol=0, atol=1e-12)
    assert (run.policies[:n] == -1).all() and (run.policies[n:] >= 0).all()
    values = np.array([M.mu0 @ policy_evaluation(M, p).V[0] for p in run.policies[n:]])
    np.testing.assert_allclose(run.expected_regret[n:], run.v_star - values, rtol=0, atol=1e-12)
    # n_explore = 0 is greedy
    a = explore_then_commit(M, 100, 2, 0)
    b = greedy(M, 100, 2)
    assert np.array_equal(a.expected_regret, b.expected_regret)


def test_explore_then_commit_with_a_wrong_schedule_has_linear_regret():
    """Combination lock with a dead state, g = 6 lock states, A = 3: a random exploration
    episode reaches the last lock state with probability 3^-5; after 50 such episodes the
    committed greedy learner sees only zero values and loses 1 in every episode.  With
    g = 2 and 200 exploration episodes it finds the combination and has no regret after."""
    M = combination_lock(8, 3, 6, 0, failure="dead")
    run = explore_then_commit(M, 1_000, 0, 50)
    np.testing.assert_array_equal(run.expected_regret[50:], 1.0)
    M = combination_lock(4, 2, 2, 0, failure="dead")
    run = explore_then_commit(M, 1_000, 0, 200)
    np.testing.assert_allclose(run.expected_regret[:200], 0.75)
    np.testing.assert_array_equal(run.expected_regret[200:], 0.0)


def test_uniform_random_is_the_null_learner():
    """Regret K (V* - V^unif) exactly, the exploration phase of explore-then-commit with n = K."""
    M = random_tabular(5, 3, 4, 2)
    run = uniform_random(M, 300, 4)
    uniform = np.full((M.H, M.S, M.A), 1.0 / M.A)
    gap = v_star(M) - float(M.mu0 @ policy_evaluation(M, uniform).V[0])
    np.testing.assert_allclose(run.expected_regret, gap, rtol=0, atol=1e-12)
    assert run.algorithm == "uniform_random"
    etc = explore_then_commit(M, 300, 4, 300)
    assert np.array_equal(run.returns, etc.returns)


# ----------------------------------------------------------------------------- Theorem 1

def test_theorem1_is_leading_plus_burn_in_term():
    p = dict(S=5, A=3, H=5, K=1000, delta=0.1)
    L = np.log(5 * 5 * 3 * 5000 / 0.1)
    assert thm.leading_term(**p) == pytest.approx(20 * 5 * L * np.sqrt(5 * 3 * 5000))
    assert thm.burn_in_term(**p) == pytest.approx(250 * 25 * 25 * 3 * L ** 2)
    assert thm.theorem1(**p) == pytest.approx(thm.leading_term(**p) + thm.burn_in_term(**p))
    assert thm.REGRET_K(**p) == pytest.approx(thm.theorem1(**p))
    # the figures quoted for S = 5, A = 3, H = 5, K = 1000: burn-in 1.1e8 against 4.1e5
    assert thm.burn_in_term(**p) == pytest.approx(1.07e8, rel=0.01)
    assert thm.leading_term(**p) == pytest.approx(4.15e5, rel=0.01)


def test_path_configs_give_K_and_the_log_allowance():
    p = dict(S=4, A=2, H=5, K_coef=80, K_power=2.0)
    assert thm.episodes(**p) == 1280
    assert thm.log_argument(**p) == pytest.approx(5 * 4 * 2 * 1280 * 5 / thm.DELTA)
    bound = thm.regret_along_path(2.0)
    assert bound.exponent("S") == 1.5
    # L^1 with an argument growing like S^3: local slope 3 / ln(5 S A K H / delta)
    assert bound.log_tolerance("S", p) == pytest.approx(3 / np.log(thm.log_argument(**p)))


def test_theorem1_exceeds_the_trivial_bound_on_every_config_of_the_claims():
    """The claims' statements say Theorem 1's bound exceeds KH on their whole sweeps."""
    spec = importlib.util.spec_from_file_location("ucbvi_claims", _CLAIMS)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    for claim in mod.CLAIMS:
        for scale in ("quick", "paper"):
            for cfg in claim.experiment.scale(scale).configs():
                for K in ([1000, cfg["K"]] if "K" in cfg else [None]):
                    p = {**cfg, "K": K} if K else cfg
                    assert thm.theorem1(**p) > thm.trivial_bound(**p), (claim.id, scale, cfg, K)
                    if K is None:   # the S claim says so of the leading term alone
                        assert thm.leading_term(**p) > thm.trivial_bound(**p), (claim.id, scale, cfg)


# ----------------------------------------------------------------------------- determinism

@pytest.mark.parametrize("learner", ["ucbvi-ch", "ucbvi-bf", "greedy", "etc"])
def test_same_seed_same_bits(learner):
    M = random_tabular(5, 3, 4, 0)

    def run(seed):
        if learner == "greedy":
            return greedy(M, 400, seed, record_policies=True)
        if learner == "etc":
            return explore_then_commit(M, 400, seed, 20, record_policies=True)
        bonus = "hoeffding" if learner == "ucbvi-ch" else "bernstein"
        return ucbvi(M, 400, seed, bonus=bonus, bonus_scale=0.1, record_policies=True)

    a, b, c = run(3), run(np.random.SeedSequence(3)), run(4)
    for x, y in ((a.expected_regret, b.expected_regret), (a.returns, b.returns),
                 (a.policies, b.policies)):
        assert np.array_equal(x, y)
    assert not np.array_equal(a.returns, c.returns)


# ----------------------------------------------------------------------------- result type

def test_learner_run_record():
    M = random_tabular(3, 2, 3, 0)
    run = ucbvi(M, 1_000, 0, bonus="bernstein")
    assert isinstance(run, LearnerRun) and run.K == 1_000 and run.algorithm == "ucbvi-bf"
    steps, reg = run.curve()
    assert np.array_equal(steps, geometric_steps(1_000))
    assert np.array_equal(reg, run.cumulative_regret[steps - 1])
    p = run.params
    assert p["T"] == 3_000 and p["L"] == pytest.approx(np.log(5 * 3 * 2 * 3_000 / 0.1))
    assert p["constants"]["corr_inner"] == 1e4 and p["counts"] == "pooled"
    assert run.policies is None
    with pytest.raises(ValueError):
        run.expected_regret[0] = 1.0
    with pytest.raises(TypeError):
        run.params["delta"] = 0.5


@pytest.mark.parametrize("learner", ["ucbvi-ch", "ucbvi-bf", "greedy", "etc", "etc-exploring"])
@pytest.mark.parametrize("stationary", [True, False])
def test_final_policy_is_the_policy_of_the_next_episode(learner, stationary):
    """``final_policy`` after K episodes is what the learner plays in episode K + 1: the
    same seed over K + 1 episodes records it as its last policy (same data, same plan)."""
    M = random_tabular(5, 3, 4, 2, stationary=stationary)

    def run(K):
        if learner == "greedy":
            return greedy(M, K, 5, record_policies=True)
        if learner.startswith("etc"):
            return explore_then_commit(M, K, 5, 60 if learner == "etc-exploring" else 20,
                                       record_policies=True)
        bonus = "hoeffding" if learner == "ucbvi-ch" else "bernstein"
        return ucbvi(M, K, 5, bonus=bonus, bonus_scale=0.1, record_policies=True)

    short, longer = run(50), run(51)
    fp = short.final_policy
    assert fp.shape == (M.H, M.S) and fp.dtype == np.int64 and not fp.flags.writeable
    np.testing.assert_array_equal(fp, longer.policies[-1])
    np.testing.assert_array_equal(short.expected_regret, longer.expected_regret[:50])
    if learner == "etc-exploring":
        assert (fp == -1).all()
    else:
        assert ((fp >= 0) & (fp < M.A)).all()


def test_final_policy_without_recording_and_of_the_null_learner():
    M = random_tabular(4, 2, 3, 1)
    a = ucbvi(M, 200, 0, bonus_scale=0.05)
    b = ucbvi(M, 200, 0, bonus_scale=0.05, record_policies=True)
    assert a.policies is None
    np.testing.assert_array_equal(a.final_policy, b.final_policy)
    u = uniform_random(M, 30, 0)
    assert u.final_policy.shape == (M.H, M.S) and (u.final_policy == -1).all()
    # a learner that has learned the chain plays the optimal policy from then on
    C = chain(4, 8, distractor=0.05)
    run = ucbvi(C, 300, 0, bonus="hoeffding", bonus_scale=0.0)
    assert expected_return(C, run.final_policy) == pytest.approx(run.v_star, abs=1e-12)


def test_learner_run_checks_final_policy():
    with pytest.raises(ValidationError, match="final_policy"):
        LearnerRun("x", np.zeros(2), np.zeros(2), 0.0, final_policy=np.zeros(3, dtype=np.int64))


def test_bonus_scale_zero_is_greedy_with_optimistic_untried_pairs():
    """With bonus_scale = 0 UCBVI still values untried pairs at the cap H - h, so it
    explores the chain, unlike greedy (zero continuation)."""
    M = chain(4, 8, distractor=0.05)
    run = ucbvi(M, 300, 0, bonus="hoeffding", bonus_scale=0.0)
    assert run.average_regret(200) == 0.0


# ----------------------------------------------------------------------------- validation

@pytest.mark.parametrize("kwargs, match", [
    (dict(bonus="ucb"), "bonus"),
    (dict(delta=0.0), "delta"),
    (dict(delta=1.5), "delta"),
    (dict(bonus_scale=-1.0), "bonus_scale"),
    (dict(bonus_scale=float("inf")), "bonus_scale"),
    (dict(reward_noise="gaussian"), "reward_noise"),
    (dict(constants=BonusConstants(hoeffding=-7.0)), "constants.hoeffding"),
    (dict(constants={"hoeffding": 7.0}), "constants"),
])
def test_ucbvi_rejects_bad_arguments(kwargs, match):
    M = random_tabular(3, 2, 3, 0)
    with pytest.raises(ValidationError, match=match):
        ucbvi(M, 10, 0, **kwargs)


def test_learners_reject_bad_inputs():
    M = random_tabular(3, 2, 3, 0)
    with pytest.raises(ValidationError, match="K"):
        ucbvi(M, 0, 0)
    with pytest.raises(ValidationError, match="mdp"):
        greedy(M.P, 10, 0)
    with pytest.raises(ValidationError, match="n_explore"):
        explore_then_commit(M, 10, 0, -1)
    with pytest.raises(ValidationError, match="seed"):
        greedy(M, 10, "x")
