"""Running claims: tasks -> results store -> checks -> verdicts -> report.

``verify`` is what ``rltheory verify`` calls: it builds the tasks of every
selected claim and its alternatives at one scale, runs the missing ones on
a backend (:func:`rltheory.runner.run_sweep`), reads the tidy results back and
applies each claim's check (:mod:`rltheory.claims.checks`) to the claim and
to each alternative, and the verdict rule (:mod:`rltheory.claims.verdict`).  ``evaluate_in_memory``
does the same for one claim without a store (for tests and notebooks).
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

import numpy as np
import pyarrow as pa

from .._errors import ValidationError
from ..runner.tasks import Task
from .checks import Run, check_rng
from .claim import SCALES, Claim
from .verdict import AlternativeResult, Verdict, combine


def _table_to_metrics(table: pa.Table) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    metric = np.asarray(table.column("metric").to_pylist(), dtype=object)
    step = table.column("step").to_numpy()
    value = table.column("value").to_numpy()
    out = {}
    for m in dict.fromkeys(metric.tolist()):
        sel = metric == m
        order = np.argsort(step[sel], kind="stable")
        out[m] = (step[sel][order], value[sel][order])
    return out


def run_from_table(task: Task, table: pa.Table) -> Run:
    """The :class:`Run` of a task from its tidy table."""
    return Run(task.key, task.arm, task.config, task.seed, _table_to_metrics(table))


def evaluate(claim: Claim, runs: Sequence[Run], scale: str, root_seed: int = 0) -> Verdict:
    """Apply the claim's check to every arm (the claim and each alternative) and combine them."""
    by_arm: dict[str, list[Run]] = {arm: [] for arm in claim.arms}
    for r in runs:
        if r.arm not in by_arm:
            raise ValidationError(f"run {r.key} of claim {claim.id} has arm {r.arm!r} "
                                  f"(rule: one of {claim.arms})")
        by_arm[r.arm].append(r)
    res_main = claim.check.evaluate(by_arm["claim"], claim, check_rng(claim.id, "claim", root_seed))
    alts = [AlternativeResult(a, claim.check.evaluate(by_arm[a.arm], claim, check_rng(claim.id, a.arm, root_seed)))
            for a in claim.alternatives]
    info = [{"key": r.key, "arm": r.arm, "seed": r.seed, "config": dict(r.config)} for r in runs]
    return combine(claim, res_main, alts, scale, info)


def evaluate_in_memory(claim: Claim, scale: str = "quick", root_seed: int = 0) -> Verdict:
    """Run every task of ``claim`` in this process (no store) and return its verdict."""
    from ..runner.store import metrics_to_table
    runs = []
    for t in claim.tasks(scale, root_seed):
        metrics = t.fn(t.config, t.seed_sequence())
        runs.append(run_from_table(t, metrics_to_table(t, metrics)))
    return evaluate(claim, runs, scale, root_seed)


@dataclass(frozen=True)
class VerifyResult:
    """Verdicts of one ``verify`` call and where its outputs are."""

    verdicts: tuple[Verdict, ...]
    out: Path
    report_json: Path
    report_md: Path
    figures: tuple[Path, ...]
    sweep: object


def collect_tasks(claims: Sequence[Claim], scale: str, root_seed: int = 0) -> list[Task]:
    if scale not in SCALES:
        raise ValidationError(f"--scale {scale!r} (rule: one of {SCALES})")
    return [t for c in claims for t in c.tasks(scale, root_seed)]


def read_runs(store, tasks: Sequence[Task]) -> list[Run]:
    """Runs of ``tasks`` from the store; a missing task is an error naming it."""
    runs = []
    for t in tasks:
        if not store.is_done(t):
            raise ValidationError(f"results for task {t.key} of claim {t.claim_id} ({t.arm}, seed {t.seed}, "
                                  f"config {t.config_json}) are missing (rule: run `rltheory verify` first)")
        runs.append(run_from_table(t, store.read(t)))
    return runs


def verify(claims: Sequence[Claim], scale: str = "quick", out: str | os.PathLike = "rltheory-out",
           backend: str = "local", workers: int = 1, address: str | None = None, root_seed: int = 0,
           allow_mixed_versions: bool = False, progress: bool = True, figures: bool = True,
           recompute: bool = True) -> VerifyResult:
    """Run (or, with ``recompute=False``, only re-read) the sweeps and write the report.

    Outputs in ``out``: ``results/`` (the Parquet store), ``report.json``,
    ``report.md`` and ``figures/<claim>.{pdf,png}``.
    """
    from ..runner import ResultStore, run_sweep
    from ..runner.store import atomic_write_bytes
    from . import report

    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    store = ResultStore(out / "results", allow_mixed_versions=allow_mixed_versions)
    tasks = collect_tasks(claims, scale, root_seed)
    summary = None
    if recompute:
        summary = run_sweep(tasks, store, backend=backend, workers=workers, address=address,
                            progress=progress)
        if summary.n_failed:
            first = summary.failures[0]
            raise RuntimeError(f"{summary.n_failed} of {summary.n_total} tasks failed; first: {first}")
    verdicts = []
    by_claim: dict[str, list[Task]] = {}
    for t in tasks:
        by_claim.setdefault(t.claim_id, []).append(t)
    for c in claims:
        verdicts.append(evaluate(c, read_runs(store, by_claim[c.id]), scale, root_seed))
    atomic_write_bytes(out / "run.json", json.dumps({"scale": scale, "root_seed": root_seed,
                                                      "claims": [c.id for c in claims]}, indent=1).encode())
    figs = report.write_figures(verdicts, out / "figures") if figures else []
    rj, rm = report.write_reports(verdicts, out, figs)
    return VerifyResult(tuple(verdicts), out, rj, rm, tuple(figs), summary)
