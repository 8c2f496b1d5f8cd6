"""Adversarial MDPs with linear Q: model validation, the exact linear-Q check against enumeration, the best
fixed policy against brute force, exact in-loop pseudo-regret, agreement of the Numba learners with the
plain-numpy reference, determinism, and the instance generators."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rltheory import ValidationError
from rltheory.algorithms.adversarial_baselines import (exp_weights_linear_q, exp_weights_uncapped,
                                                       ftrl_logbarrier_no_bonus, uniform_play)
from rltheory.algorithms.ftrl_logbarrier import default_parameters, ftrl_linear_mdp, ftrl_logbarrier, run_learner
from rltheory.algorithms.ftrl_logbarrier_reference import ftrl_reference
from rltheory.envs.adversarial import (delayed_reward_trap, layered_one_hot, one_hot_features,
                                       random_linear_adversarial, switching_theta)
from rltheory.models.adversarial import AdversarialMDP, linear_q_brute_force, linear_q_check
from rltheory.solvers import policy_evaluation
from rltheory.models import TabularMDP
from rltheory.solvers.adversarial import best_fixed_policy, policy_losses, pseudo_regret

seeds = st.integers(min_value=0, max_value=2**32 - 1)


def _random_model(seed, S=2, A=2, H=2, K=3, d=None):
    rng = np.random.default_rng(seed)
    P = rng.dirichlet(np.ones(S), size=(H, S, A))
    L = rng.random((K, H, S, A))
    phi = one_hot_features(S, A) if d is None else rng.dirichlet(np.ones(d), size=(S, A))
    return AdversarialMDP(P, L, phi, rng.dirichlet(np.ones(S)))


# ----------------------------------------------------------------------------- validation

def _args():
    P = np.full((2, 2, 2, 2), 0.5)
    return dict(P=P, losses=np.zeros((3, 2, 2, 2)), phi=one_hot_features(2, 2), mu0=np.array([1.0, 0.0]))


@pytest.mark.parametrize("change, match", [
    ({"losses": np.full((3, 2, 2, 2), -0.5)}, r"losses\[0, 0, 0, 0\] = -0.5 \(rule: losses must lie in \[0, 1\]\)"),
    ({"losses": np.zeros((3, 2, 2))}, "losses has shape"),
    ({"losses": np.zeros((0, 2, 2, 2))}, "K = 0"),
    ({"losses": np.zeros((3, 2, 3, 2))}, r"losses has shape \(3, 2, 3, 2\)"),
    ({"P": np.full((2, 2, 2, 2), 0.6)}, "must sum to 1"),
    ({"P": np.full((3, 2, 2, 2), 0.5)}, r"P has shape \(3, 2, 2, 2\)"),
    ({"phi": np.ones((2, 2, 2))}, r"phi\[0, 0, :\] has norm 1.41421 \(rule: \|\|phi\(s,a\)\|\|_2 <= 1\)"),
    ({"phi": np.ones((3, 2, 1))}, "phi has shape"),
    ({"phi": np.ones((2, 2, 0))}, "d = 0"),
    ({"mu0": np.array([0.5, 0.6])}, "mu0 sums to"),
    ({"mu0": np.array([1.0, np.nan])}, r"mu0\[1\] = nan"),
])
def test_model_validation(change, match):
    with pytest.raises(ValidationError, match=match):
        AdversarialMDP(**{**_args(), **change})


def test_model_horizon_mismatch_and_readonly():
    a = _args()
    with pytest.raises(ValidationError, match="H = 3 but losses has 2 steps"):
        AdversarialMDP(**a, H=3)
    m = AdversarialMDP(a["P"][0], a["losses"], a["phi"], a["mu0"], H=2)
    assert m.stationary and m.P4.shape == (1, 2, 2, 2)
    with pytest.raises(ValueError):
        m.losses[0, 0, 0, 0] = 1.0


# ----------------------------------------------------------------------------- linear Q

@settings(max_examples=25, deadline=None)
@given(seeds, st.sampled_from(["one_hot", "dirichlet2", "dirichlet3", "linear"]))
def test_linear_q_check_agrees_with_enumeration(seed, kind):
    if kind == "one_hot":
        m = _random_model(seed)
    elif kind == "linear":
        m = random_linear_adversarial(S=3, A=2, H=2, d=2, K=2, seed=seed)
    else:
        m = _random_model(seed, d=int(kind[-1]))
    fast, brute = linear_q_check(m), linear_q_brute_force(m)
    assert fast.holds == brute.holds
    if kind in ("one_hot", "linear"):
        assert fast.holds
    if kind == "dirichlet2":       # random losses on 4 pairs with 2 random features: never linear
        assert not fast.holds and fast.where[0] == brute.where[0] == 0


def test_linear_q_needs_the_cross_term():
    """Losses linear in phi but a kernel that is not: Q fails only through P V, found at step 0."""
    rng = np.random.default_rng(3)
    S, A, H, d = 3, 2, 2, 2
    phi = rng.dirichlet(np.ones(d), size=(S, A))
    P = rng.dirichlet(np.ones(S), size=(H, S, A))
    L = np.einsum("sad,khd->khsa", phi, rng.random((2, H, d)))
    m = AdversarialMDP(P, L, phi, np.array([1.0, 0.0, 0.0]))
    res, ref = linear_q_check(m), linear_q_brute_force(m)
    assert not res.holds and res.where == ref.where == (0, 0)


# ----------------------------------------------------------------------------- exact solvers

@settings(max_examples=25, deadline=None)
@given(seeds)
def test_best_fixed_policy_is_the_brute_force_minimum(seed):
    m = _random_model(seed, S=2, A=2, H=2, K=4)
    best = best_fixed_policy(m)
    totals = []
    for acts in itertools.product(range(m.A), repeat=m.H * m.S):
        pi = np.array(acts, dtype=np.int64).reshape(m.H, m.S)
        tot = sum(float(m.mu0 @ policy_evaluation(TabularMDP(m.P, m.losses[k], m.mu0), pi).V[0])
                  for k in range(m.K))
        totals.append(tot)
    assert best.value == pytest.approx(min(totals), abs=1e-12)
    assert best.per_episode.sum() == pytest.approx(best.value, abs=1e-12)


def test_pseudo_regret_of_the_comparator_is_zero_and_of_others_sums_nonnegative():
    m = _random_model(5, S=3, A=2, H=3, K=6)
    best = best_fixed_policy(m)
    one_hot = np.zeros((m.K, m.H, m.S, m.A))
    for h in range(m.H):
        for s in range(m.S):
            one_hot[:, h, s, best.policy[h, s]] = 1.0
    np.testing.assert_allclose(pseudo_regret(m, one_hot), 0.0, atol=1e-14)
    rng = np.random.default_rng(0)
    pols = rng.dirichlet(np.ones(m.A), size=(m.K, m.H, m.S))
    assert pseudo_regret(m, pols).sum() >= -1e-12
    with pytest.raises(ValidationError, match=r"policies has shape"):
        pseudo_regret(m, pols[:2])


# ----------------------------------------------------------------------------- learners

LEARNERS = [lambda m, s, **k: ftrl_logbarrier(m, s, eta_scale=5.0, **k),
            lambda m, s, **k: ftrl_logbarrier(m, s, cov="mgr", M=30, **k),
            lambda m, s, **k: ftrl_logbarrier_no_bonus(m, s, **k),
            lambda m, s, **k: exp_weights_linear_q(m, s, **k),
            lambda m, s, **k: exp_weights_uncapped(m, s, **k),
            lambda m, s, **k: uniform_play(m, s, **k),
            lambda m, s, **k: ftrl_linear_mdp(m, s, **k)]


@pytest.mark.parametrize("i", range(len(LEARNERS)))
def test_in_loop_regret_is_exact_policy_evaluation(i):
    m = random_linear_adversarial(S=4, A=3, H=3, d=3, K=40, seed=2)
    pols = np.empty((m.K, m.H, m.S, m.A))
    run = LEARNERS[i](m, 7, policies_out=pols)
    np.testing.assert_allclose(run.expected_regret, pseudo_regret(m, pols), rtol=0, atol=1e-12)
    np.testing.assert_allclose(pols.sum(axis=3), 1.0, atol=1e-12)
    assert run.fidelity == "reconstructed"
    again = LEARNERS[i](m, 7)
    assert np.array_equal(run.expected_regret, again.expected_regret)
    assert np.array_equal(run.returns, again.returns)


@pytest.mark.parametrize("rule", ["logbarrier", "exp"])
@pytest.mark.parametrize("cov", ["exact", "mgr"])
@pytest.mark.parametrize("which", ["one_hot", "linear", "trap"])
def test_agrees_with_numpy_reference(rule, cov, which):
    m = {"one_hot": lambda: layered_one_hot(2, 3, 3, 50, seed=1),
         "linear": lambda: random_linear_adversarial(5, 3, 3, 4, 50, seed=2),
         "trap": lambda: delayed_reward_trap(3, 3, 50, seed=0, noise=0.1)}[which]()
    kw = dict(rule=rule, cov=cov, eta=0.7, gamma=0.1, beta=0.05, M=15, c=0.5)
    run = run_learner(m, 3, **kw)
    reg, ret = ftrl_reference(m, 3, **kw)
    np.testing.assert_allclose(run.expected_regret, reg, rtol=0, atol=1e-10)
    np.testing.assert_array_equal(run.returns, ret)


def test_uniform_regret_is_closed_form():
    m = layered_one_hot(3, 2, 3, 30, seed=4)
    run = uniform_play(m, 0)
    unif = np.full((m.K, m.H, m.S, m.A), 1.0 / m.A)
    np.testing.assert_allclose(run.expected_regret, policy_losses(m, unif) - best_fixed_policy(m).per_episode,
                               atol=1e-14)


def test_log_barrier_learns_on_stochastic_losses():
    """Regret per episode of the last quarter falls well below the uniform policy's (learning happens)."""
    m = layered_one_hot(2, 2, 2, 4000, seed=0, losses="stochastic")
    run = ftrl_logbarrier(m, 1, eta_scale=10.0, bonus=False)
    unif = uniform_play(m, 1)
    assert run.average_regret(3000) < 0.3 * unif.average_regret(3000)


def test_default_parameters_follow_the_specification():
    p = default_parameters(K=4096, A=4, d=12, H=3)
    assert p["eta"] == pytest.approx(np.sqrt(4 * np.log(4096) / (12 * 27 * 4096)))
    assert p["gamma"] == pytest.approx(1 / 64) and p["beta"] == pytest.approx(3 * p["eta"])
    assert p["M"] == int(np.ceil(np.log(4096) / (0.5 / 64)))


@pytest.mark.parametrize("kw, match", [({"cov": "sampled"}, r"cov = 'sampled'"),
                                       ({"loss_estimator": "magnitude-reduced"}, "not reconstructed"),
                                       ({"eta": -1.0}, "eta = -1.0"), ({"cov": "mgr", "c": 0.9}, "c = 0.9"),
                                       ({"cov": "mgr", "M": 0}, "M = 0")])
def test_learner_validation(kw, match):
    m = layered_one_hot(2, 2, 2, 5, seed=0)
    with pytest.raises(ValidationError, match=match):
        ftrl_logbarrier(m, 0, **kw)


def test_policies_out_validation_and_model_type():
    m = layered_one_hot(2, 2, 2, 5, seed=0)
    with pytest.raises(ValidationError, match="policies_out"):
        run_learner(m, 0, rule="exp", cov="exact", eta=1.0, gamma=0.1, beta=0.0, policies_out=np.empty((5, 2, 2)))
    with pytest.raises(ValidationError, match="rule: an AdversarialMDP"):
        run_learner("m", 0, rule="exp", cov="exact", eta=1.0, gamma=0.1, beta=0.0)


# ----------------------------------------------------------------------------- instances

def test_switching_sequence_flips_every_block():
    th = switching_theta(3, 2, 64, np.random.default_rng(0), n_blocks=8, amplitude=0.1)
    d = th[8] - th[0]                      # block 1 minus block 0: -2 amplitude z
    np.testing.assert_allclose(np.abs(d), 0.2, atol=1e-12)
    np.testing.assert_array_equal(th[0], th[7])
    np.testing.assert_allclose(th[16], th[0])


def test_generators_are_seeded_and_linear():
    a = random_linear_adversarial(6, 3, 3, 4, 10, seed=9, losses="stochastic")
    b = random_linear_adversarial(6, 3, 3, 4, 10, seed=9, losses="stochastic")
    assert np.array_equal(a.losses, b.losses) and np.array_equal(a.P, b.P)
    assert a.linear_q_check().holds
    assert layered_one_hot(2, 3, 2, 4, seed=1).linear_q_check().holds
    with pytest.raises(ValidationError, match="losses = 'cyclic'"):
        layered_one_hot(2, 2, 2, 4, seed=1, losses="cyclic")


def test_trap_values():
    m = delayed_reward_trap(A=4, H=3, K=5)
    best = best_fixed_policy(m)
    assert best.per_episode[0] == pytest.approx(0.5)
    assert best.policy[0, 0] == 0 and best.policy[1, 1] == 3 and best.policy[2, 1] == 3
    unif = np.full((m.K, m.H, m.S, m.A), 0.25)
    assert policy_losses(m, unif)[0] > 1.0


# ----------------------------------------------------------------------------- claim package machinery

def test_claim_tasks_meet_one_instance_per_seed_across_the_sweep():
    """experiments/adversarial: seed i meets the same instance at every K and in every arm; seeds differ."""
    import pathlib
    import sys

    from rltheory.claims.registry import claims_in_module, load_file

    pkg = load_file(pathlib.Path(__file__).resolve().parents[1] / "experiments" / "adversarial")
    tasks = sys.modules[pkg.__name__ + ".tasks"]
    claim = next(c for c in claims_in_module(pkg) if c.id == "adversarial.rate_K.s10")
    models = {}
    for t in claim.tasks("quick"):
        m = tasks.make_instance(t.config, tasks.instance_seed(t.seed_sequence()))
        models.setdefault(t.seed, []).append(m)
    for seed, ms in models.items():
        assert all(np.array_equal(m.P, ms[0].P) for m in ms)
        short = min(ms, key=lambda m: m.K)
        assert all(np.array_equal(m.losses[0], short.losses[0]) for m in ms)   # same m_h, z_h
    assert not np.array_equal(models[0][0].P, models[1][0].P)


def test_mgr_mean_matches_its_closed_form():
    r"""The mean of 4000 MGR estimates is c sum_{i<=M} (I - cY)^i = Y^{-1}(I - (I - cY)^{M+1}) within 5 standard
    errors per entry (Y = gamma I + Sigma_h from the exact occupancy), and the closed form is within
    (1 - c gamma)^{M+1}/gamma of Y^{-1}."""
    from rltheory.algorithms.ftrl_logbarrier import mgr_inverse
    from rltheory.solvers import occupancy
    m = AdversarialMDP(*(lambda b: (b.P, b.losses, b.phi, np.array([0.5, 0.5])))(layered_one_hot(2, 2, 2, 1, seed=1)))
    pi = np.random.default_rng(0).dirichlet(np.ones(2), size=(2, 2))
    gamma, M, c = 0.2, 15, 0.5
    draws = mgr_inverse(m, pi, gamma, M, seed=3, c=c, n=4000)
    occ = occupancy(TabularMDP(m.P, m.losses[0], m.mu0), pi)
    for h in range(m.H):
        Y = gamma * np.eye(m.d) + np.einsum("sa,sai,saj->ij", occ[h], m.phi, m.phi)
        R = np.eye(m.d) - c * Y
        closed = np.linalg.inv(Y) @ (np.eye(m.d) - np.linalg.matrix_power(R, M + 1))
        mean, se = draws[:, h].mean(axis=0), draws[:, h].std(axis=0) / np.sqrt(len(draws)) + 1e-12
        assert np.max(np.abs(mean - closed) / se) < 5.0
        assert np.linalg.norm(closed - np.linalg.inv(Y), 2) <= (1 - c * gamma) ** (M + 1) / gamma


def test_exact_covariance_matches_numpy():
    """exact_covariance (the learner's kernel) against the occupancy and numpy's inverse, on non-orthogonal features."""
    from rltheory.algorithms.ftrl_logbarrier import exact_covariance
    from rltheory.solvers import occupancy
    m = random_linear_adversarial(S=4, A=3, H=2, d=3, K=2, seed=7)
    pi = np.random.default_rng(1).dirichlet(np.ones(3), size=(2, 4))
    Sigma, Yinv = exact_covariance(m, pi, 0.05)
    occ = occupancy(TabularMDP(m.P, m.losses[0], m.mu0), pi)
    for h in range(m.H):
        want = np.einsum("sa,sai,saj->ij", occ[h], m.phi, m.phi)
        assert np.allclose(Sigma[h], want, atol=1e-14)
        assert np.allclose(Yinv[h], np.linalg.inv(0.05 * np.eye(3) + want), rtol=1e-12, atol=1e-12)
    with pytest.raises(ValidationError, match="pi has shape"):
        exact_covariance(m, pi[:1], 0.05)
    with pytest.raises(ValidationError, match="gamma"):
        exact_covariance(m, pi, 0.0)


def test_bonus_lowers_the_loss_of_the_less_visited_branch():
    """Sign of the dilated bonus: with zero losses the estimates vanish, so after one uniform episode the policy is
    the FTRL step on -B alone.  On the trap, action 0 at step 0 leads to state 1, visited with probability 1/A at
    step 1 (bonus beta/(gamma + 1/A^2) per action there), the others to state 0 (beta/(gamma + (A-1)/A^2)); the
    bonus must raise the probability of action 0 above 1/A (Qhat + B instead of Qhat - B would lower it), and
    without the bonus the policy stays uniform."""
    t = delayed_reward_trap(4, 3, 2)
    m = AdversarialMDP(t.P, np.zeros_like(t.losses), t.phi, t.mu0)
    pols = np.empty((2, 3, 2, 4))
    ftrl_logbarrier(m, 0, beta=0.5, gamma=0.1, eta=1.0, policies_out=pols)
    assert np.allclose(pols[0], 0.25)
    assert pols[1, 0, 0, 0] > 0.25 + 1e-3 and np.allclose(pols[1, 0, 0, 1:], pols[1, 0, 0, 1])
    ftrl_logbarrier(m, 0, bonus=False, gamma=0.1, eta=1.0, policies_out=pols)
    assert np.allclose(pols[1], 0.25)


def test_agreement_task_against_known_truths():
    """The MGR agreement task: on one-hot features Sigma is diagonal, so the diagonal estimator is exact (bias 0, to
    rounding); the isotropic estimator is deterministic (standard error 0, so the lower confidence bound is the bias
    itself) and biased on correlated features; the stated error and z follow their formulas; MGR uses M = ln K/(c gamma)."""
    import pathlib
    import sys
    from statistics import NormalDist

    from rltheory.bounds.adversarial import mgr_bias
    from rltheory.claims.registry import load_file
    pkg = load_file(pathlib.Path(__file__).resolve().parents[1] / "experiments" / "adversarial")
    tasks = sys.modules[pkg.__name__ + ".tasks"]
    cfg = {"instance": "one_hot", "S": 2, "A": 2, "H": 2, "K": 16, "losses": "switching", "eta_scale": 1.0,
           "delta": 0.01, "cov": "diagonal", "M_scale": 1.0, "n_draws": 50}
    ss = np.random.SeedSequence(5)
    assert tasks.run_mgr_agreement(cfg, ss)["bias_max"] <= 1e-12
    lin = {**cfg, "instance": "linear", "S": 3, "d": 3, "cov": "isotropic"}
    out = tasks.run_mgr_agreement(lin, np.random.SeedSequence(5))
    assert out["se_max"] == 0.0 and out["bias_lcb"] == out["bias_max"] > 0
    g, M = 16 ** -0.5, int(np.ceil(np.log(16) / (0.5 * 16 ** -0.5)))
    assert mgr_bias(16) == pytest.approx((1 - 0.5 * g) ** (M + 1) / g, rel=1e-15)
    assert tasks.agreement_z(2, 3, 0.01) == pytest.approx(NormalDist().inv_cdf(1 - 0.01 / 36), rel=1e-12)
    mgr = tasks.run_mgr_agreement({**lin, "cov": "mgr"}, np.random.SeedSequence(5))
    assert mgr["M"] == M and mgr["se_max"] > 0
