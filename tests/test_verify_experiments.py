"""`rltheory verify --scale quick` end to end on the project's own claim files, in a temporary folder."""

import json
from pathlib import Path

import pytest

from rltheory.claims import discover
from rltheory.cli import main

EXPERIMENTS = Path(__file__).resolve().parents[1] / "experiments"


def test_every_claim_file_loads_and_every_claim_has_a_control_and_two_scales():
    claims = discover([EXPERIMENTS])
    assert len(claims) >= 2
    for c in claims:
        assert c.control.description
        assert set(c.experiment.scales) >= {"quick", "paper"}
        assert c.tasks("quick"), c.id


def test_verify_ucbvi_quick_end_to_end(tmp_path, capsys):
    out = tmp_path / "out"
    rc = main(["verify", "--scale", "quick", "--claims", "ucbvi*", "--out", str(out), "--workers", "2",
               "--no-progress", str(EXPERIMENTS)])
    assert rc == 0
    printed = capsys.readouterr().out
    assert "ucbvi.regret_rate_K" in printed
    rep = json.loads((out / "report.json").read_text())
    for c in rep["claims"]:
        assert c["verdict"] == "consistent", (c["id"], c["figure"])
        assert c["control"]["verdict"] == "violated", (c["id"], c["control"])
        assert c["runs"] and c["fidelity"] in ("verified", "partly", "reconstructed")


@pytest.mark.slow
def test_verify_everything_quick(tmp_path):
    """The README's main job: every claim at quick scale (minutes on 2 cores)."""
    out = tmp_path / "all"
    assert main(["verify", "--scale", "quick", "--out", str(out), "--workers", "2", "--no-progress",
                 str(EXPERIMENTS)]) == 0
    rep = json.loads((out / "report.json").read_text())
    assert all(c["control"]["verdict"] == "violated" for c in rep["claims"])
