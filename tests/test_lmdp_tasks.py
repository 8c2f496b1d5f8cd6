"""The task functions of experiments/lmdp: instances, streams and metrics (not the verdicts)."""

import numpy as np
import pytest

from _experiments import load_claim_module


@pytest.fixture(scope="module")
def tasks():
    return load_claim_module("lmdp", "tasks")


def test_p_of_var_star_inverts_p_one_minus_p(tasks):
    for p in (0.0, 0.01, 0.2, 0.5):
        assert abs(tasks.p_of_var_star(p * (1 - p)) - p) <= 1e-12


def test_alternatives_meet_the_same_instance_and_draws(tasks):
    cfg = {"family": "random", "M": 2, "S": 3, "A": 2, "H": 3, "K": 50, "bonus_scale": 0.1}
    ss = np.random.SeedSequence(3)
    a, run_a = tasks.learner_run({**cfg, "learner": "hf"}, ss)
    b, run_b = tasks.learner_run({**cfg, "learner": "null"}, ss)
    assert np.array_equal(a.P, b.P) and run_a.v_star == run_b.v_star
    c, run_c = tasks.learner_run({**cfg, "learner": "hf_model_opt"}, ss)
    assert np.array_equal(a.P, c.P) and run_c.params["solver"] == "model_opt"
    steps, reg = tasks.run_regret({**cfg, "learner": "hf"}, ss)["regret"]
    assert steps[-1] == 50 and np.all(np.diff(steps) > 0) and reg[-1] == pytest.approx(run_a.cumulative_regret[-1])


@pytest.mark.parametrize("perturbation", ["bernoulli", "deterministic"])
def test_hard_pair_metrics_are_finite(tasks, perturbation):
    out = tasks.run_hard_pair({"M": 2, "depth": 1, "A": 2, "inv_eps": 8, "perturbation": perturbation},
                              np.random.SeedSequence(0))
    assert all(np.isfinite(v) and v > 0 for v in out.values())


@pytest.mark.parametrize("solver", ["belief_dp", "markov", "context_told"])
def test_exact_optimum_task(tasks, solver):
    out = tasks.run_exact_optimum({"M": 2, "S": 2, "A": 2, "H": 2, "solver": solver}, np.random.SeedSequence(1))
    assert out["abs_error"] >= 0.0
    if solver == "belief_dp":
        assert out["abs_error"] <= 1e-10
