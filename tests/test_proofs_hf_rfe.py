"""Every proof step of proofs_check/hf_rfe.py holds."""

import pytest

from rltheory.proofs import discover_checks

CHECKS = discover_checks(["proofs_check/hf_rfe.py"])


def test_all_steps_discovered():
    names = {fn.__name__ for _, fn in CHECKS}
    assert {"check_hypercube_gap", "check_hypercube_feature_normalisation", "check_hypercube_theta_norm",
            "check_horizon_enters_through_logs", "check_home_error_bar"} <= names


@pytest.mark.parametrize("fn", [fn for _, fn in CHECKS], ids=[fn.__name__ for _, fn in CHECKS])
def test_step_holds(fn):
    step = fn()
    assert step.holds, f"{step.name}: {step.detail}"
    assert step.source
