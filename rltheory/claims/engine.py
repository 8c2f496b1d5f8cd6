"""Running claims: tasks -> results store -> checks -> verdicts -> report.

``verify`` is what ``rltheory verify`` calls: it builds the tasks of every
selected claim and its alternatives at one scale, runs the missing ones on
a backend (:func:`rltheory.runner.run_sweep`), reads the tidy results back and
applies each claim's check (:mod:`rltheory.claims.checks`) to the claim and
to each alternative, and the verdict rule (:mod:`rltheory.claims.verdict`).  ``evaluate_in_memory``
does the same for one claim without a store (for tests and notebooks).
"""

from __future__ import annotations

import contextlib
import json
import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

import numpy as np
import pyarrow as pa

from .._errors import ValidationError
from ..runner.store import table_to_metrics
from ..runner.tasks import Task
from .checks import Run, check_rng
from .claim import SCALES, Claim
from .verdict import AlternativeResult, Verdict, combine


def run_from_table(task: Task, table: pa.Table) -> Run:
    """The :class:`Run` of a task from its tidy table."""
    return Run(task.key, task.arm, task.config, task.seed, table_to_metrics(table))


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


class TaskFailuresError(ValidationError):
    """Tasks of a sweep raised: each is listed once with its claim, arm, seed, config and the
    exception's last line; the finished tasks are kept and a rerun computes only the failed ones."""


class OutFolderBusyError(ValidationError):
    """Another ``rltheory verify`` holds the ``--out`` folder."""


def read_runs(store, tasks: Sequence[Task]) -> list[Run]:
    """Runs of ``tasks`` from the store; a missing task is an error naming it (and saying when the
    store holds results of that claim from other code, which are never reused)."""
    runs = []
    for t in tasks:
        if not store.is_done(t):
            stale = [m for m in store.tasks_in_store(t.claim_id)
                     if m.get("algorithm_version") != t.version and m.get("status") != "error"]
            why = (f"; the store holds {len(stale)} results of this claim produced by other code "
                   f"(version {stale[0].get('algorithm_version')!r}, this code is {t.version!r}: the claim file "
                   "or rltheory changed since), which are not reused") if stale else ""
            raise ValidationError(f"results for task {t.key} of claim {t.claim_id} ({t.arm}, seed {t.seed}, "
                                  f"config {t.config_json}) are missing{why} (rule: run `rltheory verify` first)")
        runs.append(run_from_table(t, store.read(t)))
    return runs


def _check_out_folder(out: Path) -> Path:
    """``out`` as a writable folder, created if needed; a clear error otherwise."""
    if out.exists() and not out.is_dir():
        raise ValidationError(f"--out {str(out)!r} is a file (rule: --out names a folder, existing or new)")
    try:
        out.mkdir(parents=True, exist_ok=True)
        probe = out / f".rltheory-write-test-{os.getpid()}"
        probe.write_bytes(b"")
        probe.unlink()
    except OSError as exc:
        raise ValidationError(f"--out {str(out)!r} cannot be written ({exc.strerror or exc}) "
                              "(rule: --out names a folder this user can write)") from None
    return out


@contextlib.contextmanager
def out_folder_lock(out: Path):
    """Hold ``out/.rltheory.lock`` exclusively for one run; a second run on the same folder is refused.

    The lock is an advisory ``flock`` on an open file: the operating system
    releases it when the holding process ends, even when it is killed, so a
    stale lock never blocks a later run.
    """
    import fcntl
    path = Path(out) / ".rltheory.lock"
    fh = open(path, "a+")
    try:
        try:
            fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            fh.seek(0)
            holder = fh.read().strip() or "another process"
            raise OutFolderBusyError(f"--out {str(out)!r} is in use by another rltheory run ({holder}) "
                                     "(rule: one run per --out folder at a time; wait for it to finish, "
                                     "or give another --out)") from None
        fh.seek(0)
        fh.truncate()
        fh.write(f"pid {os.getpid()}")
        fh.flush()
        yield path
    finally:
        fh.close()


def _failures_message(summary) -> str:
    lines = [f"{summary.n_failed} of {summary.n_total} tasks failed (the {summary.n_total - summary.n_failed} "
             "others are kept; a rerun computes only the failed ones):"]
    for f in summary.failures:
        lines.append(f"  {f.claim_id} [{f.arm}] seed {f.seed} config {f.config_json}: {f.message}")
    return "\n".join(lines)


def _say(progress: bool, text: str) -> None:
    if progress:
        print(text, file=sys.stderr, flush=True)


def verify(claims: Sequence[Claim], scale: str = "quick", out: str | os.PathLike = "rltheory-out",
           backend: str = "local", workers: int = 1, address: str | None = None, root_seed: int = 0,
           allow_mixed_versions: bool = False, progress: bool = True, figures: bool = True,
           recompute: bool = True) -> VerifyResult:
    """Run (or, with ``recompute=False``, only re-read) the sweeps and write the report.

    Outputs in ``out``: ``results/`` (the Parquet store), ``report.json``,
    ``report.md`` and ``figures/<claim>.{pdf,png}``.  One run at a time may
    use ``out`` (:func:`out_folder_lock`); the report covers the claims of this
    call and names the other claims whose results the store also holds.

    Raises
    ------
    rltheory.ValidationError
        Bad arguments, an ``out`` that is a file or cannot be written, a busy
        ``out`` (:class:`OutFolderBusyError`), or failing tasks
        (:class:`TaskFailuresError`, after every other task has run).
    """
    from ..runner import ResultStore, run_sweep
    from ..runner.store import atomic_write_bytes
    from . import report

    if isinstance(root_seed, bool) or not isinstance(root_seed, (int, np.integer)) or root_seed < 0:
        raise ValidationError(f"--seed {root_seed!r} (rule: a whole number >= 0)")
    out = _check_out_folder(Path(out))
    with out_folder_lock(out):
        store = ResultStore(out / "results", allow_mixed_versions=allow_mixed_versions)
        tasks = collect_tasks(claims, scale, root_seed)
        summary = None
        if recompute:
            todo = len(store.missing(tasks))
            if todo < len(tasks):
                _say(progress, f"rltheory: reusing {len(tasks) - todo} of {len(tasks)} tasks already in "
                               f"{out / 'results'}; running {todo}")
            if todo and not kernels_compiled():
                _say(progress, "rltheory: first run after install: Numba compiles the kernels once (about a "
                               "minute on 2 cores; the progress bar starts moving after that)")
            summary = run_sweep(tasks, store, backend=backend, workers=workers, address=address,
                                progress=progress)
            if summary.n_failed:
                raise TaskFailuresError(_failures_message(summary))
        verdicts = []
        by_claim: dict[str, list[Task]] = {}
        for t in tasks:
            by_claim.setdefault(t.claim_id, []).append(t)
        for c in _progress(claims, progress and not recompute, "reading results"):
            verdicts.append(evaluate(c, read_runs(store, by_claim[c.id]), scale, root_seed))
        ids = [c.id for c in claims]
        others = [c for c in store.claims() if c not in ids]
        atomic_write_bytes(out / "run.json", json.dumps({"scale": scale, "root_seed": root_seed, "claims": ids},
                                                         indent=1).encode())
        figs = report.write_figures(verdicts, out / "figures") if figures else []
        rj, rm = report.write_reports(verdicts, out, figs, other_claims=others)
    return VerifyResult(tuple(verdicts), out, rj, rm, tuple(figs), summary)


def _progress(items, enabled: bool, desc: str):
    from tqdm.auto import tqdm
    return tqdm(items, disable=not enabled, desc=desc, unit="claim", dynamic_ncols=True)


def kernels_compiled() -> bool:
    """Whether Numba's on-disk cache holds compiled kernels of the installed package."""
    import rltheory
    root = Path(rltheory.__file__).resolve().parent
    if any(root.rglob("*.nbi")):
        return True
    cache_dir = os.environ.get("NUMBA_CACHE_DIR")
    return bool(cache_dir) and any(Path(cache_dir).rglob("*.nbi"))
