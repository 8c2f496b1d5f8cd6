"""Mechanics of the MDP claims of arXiv 2103.12021: fixed instance grids, alternatives, exact evaluation.

Tests of the building blocks (rare-action members, the null learner, batched exact evaluation, the
task functions' common random numbers), not of any claim's verdict.
"""

import math

import numpy as np
import pytest

from rltheory._errors import ValidationError
from rltheory.algorithms.lcb import uniform_policy
from rltheory.bounds import lcb_mdp
from rltheory.envs import offline_models, offline_sampling
from rltheory.envs.hard_instances import lcb as hard

from _experiments import load_claim_module


@pytest.fixture(scope="module")
def tasks():
    return load_claim_module("lcb", "mdp_tasks")


# --------------------------------------------------------------------------- instances

@pytest.mark.parametrize("C", [2.0, 4.0])
def test_rare_action_mdp_has_exact_cstar_and_the_stated_gap(C):
    gamma, q = 0.5, 0.3
    inst = hard.rare_action_mdp(C, gamma, 1e-3, q=q)
    assert inst.C_star == pytest.approx(C)
    assert inst.pi_star[0] == 0
    Q_rare = gamma * q / (1 - gamma)
    assert inst.V_star[0] - Q_rare == pytest.approx(gamma * (0.5 - q) / (1 - gamma))
    assert inst.mu[0, 1] == pytest.approx(1e-3)


@pytest.mark.parametrize("H", [2, 3, 5])
def test_layered_rare_action_mdp_has_exact_cstar_and_the_stated_gap(H):
    inst = hard.layered_rare_action_mdp(H, 2.0, 1e-3, q=0.3)
    assert inst.C_star == pytest.approx(2.0)
    assert inst.J_star == pytest.approx((H - 1) / 2)
    rare = inst.pi_star.copy()
    rare[0] = 1
    assert inst.suboptimality(rare) == pytest.approx((H - 1) * (0.5 - 0.3))


def test_rare_action_members_reject_bad_arguments():
    with pytest.raises(ValidationError):
        hard.rare_action_mdp(2.0, 0.5, 0.6)          # eps > 1 - 1/C*
    with pytest.raises(ValidationError):
        hard.layered_rare_action_mdp(3, 2.0, 1e-3, q=0.6)


def test_cached_instance_builds_once_and_checks_the_name():
    a = hard.cached_instance("layered_gap_mdp", 3, 2, 2.0, 0.1, v=(1.0,) * 6)
    b = hard.cached_instance("layered_gap_mdp", 3, 2, 2.0, 0.1, v=(1.0,) * 6)
    assert a is b
    ref = hard.layered_gap_mdp(3, 2, 2.0, 0.1, v=np.ones(6))
    assert np.array_equal(a.P, ref.P) and np.array_equal(a.mu, ref.mu)
    with pytest.raises(ValidationError):
        hard.cached_instance("not_a_generator")


# --------------------------------------------------------------------------- learners and evaluation

def test_uniform_policy_ignores_data_and_covers_actions():
    pi = uniform_policy(2000, 5, 3, seed=np.random.default_rng(0))
    assert pi.shape == (2000, 5) and pi.dtype == np.int64
    assert set(np.unique(pi)) == {0, 1, 2}
    assert abs(np.mean(pi == 0) - 1 / 3) < 0.02
    with pytest.raises(ValidationError):
        uniform_policy(0, 5, 3, seed=np.random.default_rng(0))


@pytest.mark.parametrize("make", [
    lambda: hard.thm7_mdp(2, 2.0, 0.5, 0.1, v=np.ones(2)),
    lambda: hard.rare_action_mdp(2.0, 0.5, 1e-2),
    lambda: hard.layered_near_expert_mdp(3, 4, 1.1, 0.1, v=np.ones(4)),
    lambda: hard.layered_gap_mdp(3, 2, 4.0, 0.2, v=np.ones(6)),
])
def test_batch_suboptimality_matches_exact_evaluation(make):
    inst = make()
    pi = np.random.default_rng(1).integers(0, inst.A, size=(200, inst.S))
    assert np.allclose(offline_models.batch_suboptimality(inst, pi), inst.suboptimality(pi), atol=1e-12)
    assert offline_models.batch_suboptimality(inst, pi[3]) == pytest.approx(inst.suboptimality(pi[3]))
    assert offline_models.batch_suboptimality(inst, inst.pi_star) == pytest.approx(0.0, abs=1e-12)


# --------------------------------------------------------------------------- task functions

def test_grids_do_not_depend_on_N(tasks):
    for family in ("coverage", "expert", "near_expert"):
        assert tasks.family_grid(family) == tasks.family_grid(family)
    assert all(0 < g <= 0.5 for _, g in tasks.family_grid("coverage"))
    assert max(g for _, g in tasks.family_grid("coverage", discounted=True)) <= 0.25   # Theorem-7 cap


def test_learners_see_the_same_datasets(tasks):
    """Greedy is Algorithm 4 with c = 0: run under both names it gives identical metrics, so the data
    stream does not depend on the learner setting."""
    base = {"family": "coverage", "H": 3, "width": 2, "C_star": 2.0, "datasets": 20, "N": 2000}
    seed = np.random.SeedSequence(7)
    a = tasks.run_episodic(dict(base, algorithm="greedy", c=0.3), seed)
    b = tasks.run_episodic(dict(base, algorithm="vi_lcb", c=0.0), np.random.SeedSequence(7))
    assert a == b
    assert a["subopt"] == max(a["subopt_gap"], a["subopt_rare"])


def test_discounted_task_returns_the_worst_case(tasks):
    cfg = {"family": "expert", "gamma": 0.5, "S": 6, "datasets": 10, "N": 500, "algorithm": "bc", "c": 0.3}
    out = tasks.run_discounted(cfg, np.random.SeedSequence(0))
    assert set(out) == {"subopt", "subopt_zeta"} and out["subopt"] == out["subopt_zeta"] >= 0


def test_greedy_falls_for_the_rare_action_and_lcb_does_not(tasks):
    """Proposition 1's mechanism on the layered rare-action member at N * eps = 1."""
    inst = hard.layered_rare_action_mdp(3, 2.0, 1e-3)
    stats = offline_sampling.sample_layered(inst, 1000, 4000, seed=np.random.default_rng(3))
    ties = np.random.default_rng(4)
    greedy = tasks.layered_policies({"algorithm": "greedy", "N": 1000}, stats, inst.layer, ties)
    lcb = tasks.layered_policies({"algorithm": "vi_lcb", "N": 1000, "c": 0.3}, stats, inst.layer, ties)
    assert np.mean(greedy[:, 0] == 1) > 0.1
    assert np.mean(lcb[:, 0] == 1) == 0.0


def test_unknown_learner_is_refused(tasks):
    with pytest.raises(ValueError):
        tasks.run_episodic({"family": "expert", "H": 3, "width": 2, "datasets": 2, "N": 100,
                            "algorithm": "nope", "c": 0.3}, np.random.SeedSequence(0))


# --------------------------------------------------------------------------- claims and bounds

def test_claims_sweep_c_and_declare_alternatives():
    claims = load_claim_module("lcb", "mdp_claims")
    ids = {c.id for c in claims.CLAIMS}
    for c in claims.C_SWEEP:
        assert f"lcb.episodic_rate_coverage.{claims.c_label(c)}" in ids
    for claim in claims.CLAIMS:
        names = {a.name for a in claim.alternatives}
        assert {"uniform", "behaviour cloning", "greedy"} <= names
        assert claim.experiment.scale("quick").seeds >= 5
        scaled = claim.experiment.scale("quick").fixed.get("c") != "literal"
        assert (claim.fidelity == "reconstructed") == scaled


def test_log_allowances_are_the_theorems():
    N0 = 1000.0
    assert lcb_mdp.theorem9_coverage_bound().log_tolerance("N", {"N": N0}) == pytest.approx(0.5 / math.log(N0))
    assert lcb_mdp.theorem6_coverage_bound().log_tolerance("N", {"N": N0}) == pytest.approx(1.0 / math.log(N0))
    assert lcb_mdp.theorem6_expert_bound().log_tolerance("N", {"N": N0}) == pytest.approx(2.0 / math.log(N0))
    b = lcb_mdp.conjecture2_interpolated_bound(lambda **p: 11)
    assert b(N=1e6, inv_eta=8, H=3) == pytest.approx(9 * (math.sqrt(11 / 8 / 1e6) + 11 / 1e6))
