"""Proof-step checks: discovery, the steps each paper's file must hold, and every step of every file holds."""

from pathlib import Path

import pytest

from rltheory.proofs import ProofStep, discover_checks, run_checks

ROOT = Path(__file__).resolve().parents[1] / "proofs_check"


@pytest.mark.parametrize("name,fn", [(fn.__name__, fn) for _, fn in discover_checks([ROOT / "ucbvi.py"])])
def test_ucbvi_proof_step_holds(name, fn):
    step = fn()
    assert isinstance(step, ProofStep)
    assert step.holds, step.detail
    assert step.method in ("symbolic", "numeric") and "1703.05449" in step.source


def test_every_proof_file_is_discovered_and_returns_steps():
    results = run_checks([ROOT])
    papers = {p for p, _ in results}
    assert "ucbvi" in papers
    assert all(isinstance(s, ProofStep) for _, s in results)


def test_a_raising_check_is_reported_as_failing(tmp_path):
    (tmp_path / "bad.py").write_text("def check_boom():\n    raise ZeroDivisionError('x')\n")
    ((paper, step),) = run_checks([tmp_path])
    assert paper == "bad" and not step.holds and "ZeroDivisionError" in step.detail


#: The steps each paper's proof file must contain (a file that loses one fails here).
EXPECTED = {
    "hf_rfe": {"check_hypercube_gap", "check_hypercube_feature_normalisation", "check_hypercube_theta_norm",
               "check_horizon_enters_through_logs", "check_home_error_bar"},
    "markov_games": {"check_pinsker_bernoulli", "check_bayes_mixture_log_loss", "check_kl_chain_rule_numeric",
                     "check_cauchy_schwarz_average", "check_aggregation_inequality_exact"},
    "lmdp": {"check_total_variance_alpha_symbolic", "check_total_variance_alpha_numeric",
             "check_variance_bounded_by_one", "check_belief_update_symbolic", "check_belief_update_numeric",
             "check_variance_family_closed_form", "check_hard_pair_kl", "check_revealing_adaptivity_identity",
             "check_revealing_bracket_and_set_dp", "check_probe_bracket"},
    "pomdp": {"check_ingster_pair_term", "check_ingster_closed_form_numeric", "check_cosh_bound",
              "check_l1_scaling", "check_lock_kl_per_episode"},
    "adversarial": {"check_logbarrier_stationarity", "check_newton_bracket",
                    "check_estimator_unbiased_exact_covariance", "check_mgr_expectation_and_bias",
                    "check_dilated_bonus_recursion"},
    "glow": {"check_coverability_definitions_agree", "check_potential_lemma_E3",
             "check_clipping_scalar_inequality", "check_clipping_bias_bound", "check_elliptic_potential_D5"},
}
ALL_CHECKS = [(paper, fn) for paper, fn in discover_checks([ROOT]) if paper in EXPECTED]


@pytest.mark.parametrize("paper", sorted(EXPECTED))
def test_each_paper_file_has_its_steps(paper):
    names = {fn.__name__ for p, fn in ALL_CHECKS if p == paper}
    assert EXPECTED[paper] <= names, sorted(EXPECTED[paper] - names)


@pytest.mark.parametrize("paper,fn", ALL_CHECKS, ids=[f"{p}.{fn.__name__}" for p, fn in ALL_CHECKS])
def test_step_holds(paper, fn):
    step = fn()
    assert isinstance(step, ProofStep) and step.source
    assert step.method in ("symbolic", "numeric")
    assert step.holds, f"{step.name}: {step.statement} -- {step.detail}"
