"""Every proof step of proofs_check/markov_games.py holds."""

from pathlib import Path

import pytest

from rltheory.proofs import discover_checks

FILE = Path(__file__).resolve().parents[1] / "proofs_check" / "markov_games.py"
CHECKS = discover_checks([FILE])


def test_all_steps_discovered():
    names = {fn.__name__ for _, fn in CHECKS}
    assert {"check_pinsker_bernoulli", "check_bayes_mixture_log_loss", "check_kl_chain_rule_numeric",
            "check_cauchy_schwarz_average", "check_aggregation_inequality_exact"} <= names


@pytest.mark.parametrize("fn", [fn for _, fn in CHECKS], ids=[fn.__name__ for _, fn in CHECKS])
def test_step_holds(fn):
    step = fn()
    assert step.method in ("symbolic", "numeric")
    assert step.holds, f"{step.name}: {step.statement} -- {step.detail}"
