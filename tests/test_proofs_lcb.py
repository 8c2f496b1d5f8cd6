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


_FIG4 = ("check_fig4_cstar", "check_fig4_decision_threshold", "check_fig4_penalty_scaling",
         "check_fig4_instance")


def test_fig4_steps_present_and_cited():
    assert set(_FIG4) <= set(_CHECKS)
    for name in _FIG4:
        step = getattr(_mod, name)()
        assert "2103.12021" in step.source and "D.6" in step.source and "Figure 4" in step.source
        assert "derived" in step.source, step.source


def test_fig4_default_weights_outside_conjecture2_range():
    # documented finding: the 9:1 split alone does not bound C*; uniform state weights give 20/9 > 2
    from rltheory.envs.hard_instances.lcb import fig4_episodic
    assert abs(fig4_episodic(0.1).C_star - 20 / 9) < 1e-12
    assert abs(fig4_episodic(0.1, w=[1, 1, 2, 0, 2, 0]).C_star - 10 / 9) < 1e-12
