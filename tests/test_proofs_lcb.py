"""Every proof step of proofs_check/lcb.py holds (arXiv 2103.12021)."""

import importlib.util
from pathlib import Path

import pytest

from rltheory.proofs import ProofStep

_PATH = Path(__file__).resolve().parents[1] / "proofs_check" / "lcb.py"
_spec = importlib.util.spec_from_file_location("proofs_check_lcb", _PATH)
_mod = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_mod)
_CHECKS = sorted(n for n in dir(_mod) if n.startswith("check_"))


def test_all_steps_present():
    assert {"check_thm2_kl_pair", "check_prop2_exponent", "check_cb_missing_mass",
            "check_thm2_kl_small_cstar"} <= set(_CHECKS)


@pytest.mark.parametrize("name", _CHECKS)
def test_step_holds(name):
    step = getattr(_mod, name)()
    assert isinstance(step, ProofStep)
    assert step.holds, f"{step.name}: {step.detail}"
