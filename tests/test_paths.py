"""The command finds the project's claim files, proof checks and benchmarks from any directory."""

import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from rltheory import ValidationError
from rltheory import _paths

ROOT = Path(__file__).resolve().parents[1]


def test_list_and_proofs_work_outside_the_repository(tmp_path):
    for cmd, want in ((["list"], "claims"), (["proofs", "--latex"], "proof steps hold")):
        r = subprocess.run([sys.executable, "-m", "rltheory.cli", *cmd], cwd=tmp_path, capture_output=True,
                           text=True, timeout=600)
        assert r.returncode == 0, r.stderr
        assert want in r.stdout


def test_the_installed_copy_is_found_when_nothing_else_is(tmp_path, monkeypatch):
    shipped = tmp_path / "prefix" / "share" / "rltheory" / "experiments"
    shipped.mkdir(parents=True)
    (shipped / "mine.py").write_text("")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(_paths, "candidates", lambda name: [tmp_path / name, tmp_path / "nowhere" / name,
                                                            tmp_path / "prefix" / "share" / "rltheory" / name])
    assert _paths.default_folder("experiments") == shipped
    (tmp_path / "experiments").mkdir()
    (tmp_path / "experiments" / "own.py").write_text("")
    assert _paths.default_folder("experiments") == tmp_path / "experiments"     # the user's own first
    with pytest.raises(ValidationError, match=r"no benchmarks/ folder found \(looked in"):
        _paths.default_folder("benchmarks")


def test_the_distribution_ships_every_claim_proof_and_benchmark_folder():
    """Each folder of .py files under experiments/, proofs_check/, benchmarks/ is listed in data-files."""
    data = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["data-files"]
    shipped = {pattern.rsplit("/", 1)[0] for patterns in data.values() for pattern in patterns}
    for top in _paths.FOLDERS:
        folders = {p.parent.relative_to(ROOT).as_posix() for p in (ROOT / top).rglob("*.py")
                   if "__pycache__" not in p.parts}
        assert folders <= shipped, sorted(folders - shipped)
        for dest, patterns in data.items():
            for pattern in patterns:
                assert dest == f"share/rltheory/{pattern.rsplit('/', 1)[0]}"
