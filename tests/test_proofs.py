"""Proof-step checks: discovery, and every step of proofs_check/ucbvi.py holds."""

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
