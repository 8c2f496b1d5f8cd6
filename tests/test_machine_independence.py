"""Same config + seed give the same bits on another machine (docs/design.md, Conventions).

A claim of each paper is run twice through ``rltheory verify``: once in the
default environment, once in a subprocess that stands in for another CPU --
``OPENBLAS_CORETYPE=Prescott`` (OpenBLAS's oldest x86-64 kernels, so any BLAS
or LAPACK call on a result path sums in another order), ``NUMBA_CPU_NAME=generic``
(Numba compiles for a baseline CPU: other vector widths, no FMA) and a fresh
``NUMBA_CACHE_DIR`` (nothing compiled for this machine is reused).  Every
result file (``<out>/results/**/*.parquet``) must be byte-identical.

The UCBVI claim runs in the default suite, so CI always checks one paper; the
other papers' claims are marked slow.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
EXPERIMENTS = ROOT / "experiments"

#: Stands in for another CPU (see the module docstring).
OTHER_MACHINE = {"OPENBLAS_CORETYPE": "Prescott", "NUMBA_CPU_NAME": "generic"}

#: (claim id, claim file or folder) -- one small claim per paper.
UCBVI = ("ucbvi.regret_rate_K.c0.01", "ucbvi.py")
OTHERS = [
    ("hf_rfe.horizon_free.c1e-2", "hf_rfe"),
    ("markov_games.hedge_markov_regret_rate", "markov_games"),
    ("lcb.mab_explicit_Cstar", "lcb"),
]


def _verify(claim: str, path: str, out: Path, extra_env: dict, cache_dir: Path | None) -> None:
    env = {k: v for k, v in os.environ.items()
           if k not in ("OPENBLAS_CORETYPE", "NUMBA_CPU_NAME", "NUMBA_CACHE_DIR")}
    env.update(extra_env)
    if cache_dir is not None:
        env["NUMBA_CACHE_DIR"] = str(cache_dir)
    cmd = [sys.executable, "-m", "rltheory", "verify", "--scale", "quick", "--claims", claim,
           "--out", str(out), "--workers", "1", "--no-progress", str(EXPERIMENTS / path)]
    r = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, timeout=900)
    assert r.returncode == 0, f"{' '.join(cmd)} exited {r.returncode}:\n{r.stdout[-2000:]}\n{r.stderr[-3000:]}"


def _result_files(out: Path) -> dict[str, bytes]:
    root = out / "results"
    return {str(f.relative_to(root)): f.read_bytes() for f in sorted(root.rglob("*.parquet"))}


def _same_bits_on_another_machine(claim: str, path: str, tmp_path: Path) -> None:
    here, there = tmp_path / "default", tmp_path / "other_machine"
    _verify(claim, path, here, {}, None)
    _verify(claim, path, there, OTHER_MACHINE, tmp_path / "numba_cache")
    a, b = _result_files(here), _result_files(there)
    assert a, f"{claim}: no result files in {here / 'results'}"
    assert sorted(a) == sorted(b), (
        f"{claim}: the two runs wrote different result files (keys carry the code fingerprint: "
        f"was the code edited between the runs?): {sorted(set(a) ^ set(b))[:5]}")
    differ = [name for name in a if a[name] != b[name]]
    assert not differ, (f"{claim}: {len(differ)} of {len(a)} result files differ under "
                        f"{OTHER_MACHINE} with a fresh Numba cache, e.g. {differ[:3]}")


def test_same_bits_on_another_machine_ucbvi(tmp_path):
    _same_bits_on_another_machine(*UCBVI, tmp_path)


@pytest.mark.slow
@pytest.mark.parametrize("claim, path", OTHERS, ids=[c for c, _ in OTHERS])
def test_same_bits_on_another_machine(claim, path, tmp_path):
    _same_bits_on_another_machine(claim, path, tmp_path)
