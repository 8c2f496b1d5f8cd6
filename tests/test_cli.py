"""The ``rltheory`` command end to end on a small claim file written in a temporary folder."""

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from rltheory.cli import main

CLAIM_FILE = textwrap.dedent('''
    import numpy as np
    from rltheory.claims import (Alternative, Bound, Claim, Experiment, RateCheck, Scale, Source)

    SRC = Source("Power laws for testing", arxiv="0000.00001", theorem="Thm 2")

    def power(config, seed):
        rng = np.random.default_rng(seed)
        K = config["K"]
        return {"err": 3.0 * K ** config["slope"] * float(np.exp(0.05 * rng.standard_normal())),
                "curve": (np.array([1, 2, 4]), np.array([1.0, 2.0, 3.0]))}

    rate = Claim(id="toy.rate", statement="err decays like K^-1/2.", source=SRC, fidelity="verified",
                 experiment=Experiment(power, {"quick": Scale({"K": [10, 100, 1000]}, {"slope": -0.6}, seeds=5),
                                               "paper": Scale({"K": [10, 100, 1000, 10000]}, {"slope": -0.6}, seeds=8)},
                                       instance="synthetic power law", learner=("slope",)),
                 metric="err", check=RateCheck("K"),
                 bound=Bound("err", "upper", {"K": -0.5}, SRC),
                 alternatives=[Alternative("slow", {"slope": -0.2}, "slope -0.2 (too slow)")])
''')


@pytest.fixture
def claim_dir(tmp_path):
    d = tmp_path / "exps"
    d.mkdir()
    (d / "toy.py").write_text(CLAIM_FILE)
    return d


def test_verify_writes_report_and_resumes(claim_dir, tmp_path, capsys):
    out = tmp_path / "out"
    rc = main(["verify", "--scale", "quick", "--out", str(out), "--no-progress", str(claim_dir)])
    assert rc == 0
    text = capsys.readouterr().out
    assert "toy.rate" in text and "consistent" in text
    rep = json.loads((out / "report.json").read_text())
    (c,) = rep["claims"]
    assert c["id"] == "toy.rate" and c["verdict"] == "consistent"
    assert c["paper"] == "Power laws for testing" and c["statement"]
    (alt,) = c["alternatives"]
    assert alt["name"] == "slow" and alt["verdict"] == "violated" and alt["ci"][0] <= alt["estimate"]
    assert rep["counts"]["consistent"] == 1 and rep["papers"][0]["n_decided"] == 1
    lo, hi = c["figure"]["ci"]
    assert lo <= c["figure"]["estimate"] <= hi <= -0.5
    assert len(c["runs"]) == 2 * 3 * 5
    assert (out / "report.md").exists()
    assert (out / "figures" / "toy.rate.pdf").exists() and (out / "figures" / "toy.rate.png").exists()
    # report re-reads without recomputation and gives the same verdict
    rc = main(["report", "--out", str(out), str(claim_dir)])
    assert rc == 0
    assert json.loads((out / "report.json").read_text())["claims"][0]["figure"] == c["figure"]


def test_unknown_claim_glob_is_a_clear_error(claim_dir, tmp_path, capsys):
    rc = main(["verify", "--claims", "nothing*", "--out", str(tmp_path / "o"), str(claim_dir)])
    assert rc == 2
    assert "matches no claim" in capsys.readouterr().err


def test_missing_path_is_a_clear_error(tmp_path, capsys):
    assert main(["list", str(tmp_path / "missing.py")]) == 2
    assert "does not exist" in capsys.readouterr().err


def test_list_shows_source_and_fidelity(claim_dir, capsys):
    assert main(["list", str(claim_dir)]) == 0
    out = capsys.readouterr().out
    assert "toy.rate" in out and "verified" in out and "0000.00001" in out


def test_proofs_command_reports_failures(tmp_path, capsys):
    (tmp_path / "p.py").write_text(textwrap.dedent('''
        from rltheory.proofs import ProofStep
        def check_true():
            return ProofStep("true", "1 = 1", "none", "symbolic", True)
        def check_false():
            return ProofStep("false", "1 = 2", "none", "numeric", False, "counterexample: 1")
    '''))
    assert main(["proofs", str(tmp_path / "p.py")]) == 1
    out = capsys.readouterr().out
    assert "[holds] p.true" in out and "[FAILS] p.false" in out and "1 of 2" in out


def test_console_script_version():
    r = subprocess.run([sys.executable, "-m", "rltheory.cli", "--version"], capture_output=True, text=True)
    assert r.returncode == 0 and "rltheory" in r.stdout


def test_figures_writes_pdf_png_and_an_index_from_the_figures_metadata(claim_dir, tmp_path, capsys):
    figdir = tmp_path / "figs"
    args = ["figures", "--out", str(tmp_path / "out"), "--figdir", str(figdir), "--no-progress", str(claim_dir)]
    assert main(args) == 0
    pdf, png = figdir / "toy.rate.pdf", figdir / "toy.rate.png"
    assert pdf.exists() and png.exists()
    assert pdf.read_bytes().startswith(b"%PDF") and b"Power laws for testing" in pdf.read_bytes()
    index = (figdir / "README.md").read_text()
    assert "`toy.rate.pdf`" in index and "toy.rate: consistent" in index and "Power laws for testing" in index
    first = pdf.read_bytes()
    assert main(args) == 0                      # same data, same bytes: no timestamp in the PDF
    assert pdf.read_bytes() == first
