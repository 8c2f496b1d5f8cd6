"""Sweeps on a backend: ``local`` (joblib/loky processes) or ``dask`` (dask.distributed).

:func:`run_sweep` runs the tasks of a sweep that are not yet in the results
store, each in a worker that writes its own result file (see
:func:`rltheory.runner.execute.execute_task`), and returns a
:class:`SweepSummary`.  Results never travel back through the backend, so a
killed sweep loses at most the tasks in flight and the next call resumes.
"""

from __future__ import annotations

import sys
import time
import uuid
from dataclasses import dataclass
from typing import Iterable, Sequence

from .._errors import ValidationError
from .._validation import check_int
from .execute import THREAD_ENV, execute_pickled_task, execute_task, git_commit as _git_commit
from .store import ResultStore
from .tasks import Task

BACKENDS = ("local", "dask")

_AUTO = object()


class SchedulerConnectionError(ValidationError, ConnectionError):
    """The dask scheduler at the given address could not be reached."""


@dataclass(frozen=True)
class TaskFailure:
    """A task that raised (or whose worker died); the full traceback is in its manifest."""

    key: str
    claim_id: str
    arm: str
    seed: int
    config_json: str
    message: str


@dataclass(frozen=True)
class SweepSummary:
    """What a call of :func:`run_sweep` did.

    Attributes
    ----------
    n_total : int
        Tasks in the sweep.
    n_skipped : int
        Tasks already done in the store before the call (not run).
    n_run : int
        Tasks run by this call (finished or failed): ``n_total - n_skipped``.
    n_failed : int
        Tasks of this call that failed; they are run again by the next call.
    failures : tuple of TaskFailure
    wall_time_s : float
        Wall time of the call.
    backend : str
    workers : int
    """

    n_total: int
    n_skipped: int
    n_run: int
    n_failed: int
    failures: tuple
    wall_time_s: float
    backend: str = "local"
    workers: int = 1

    @property
    def ok(self) -> bool:
        """Whether every task of the sweep is now done."""
        return self.n_failed == 0


def register_module_by_value(module) -> None:
    """Pickle the functions of ``module`` by value when shipping them to workers.

    Experiment files loaded from a path (``importlib.util.spec_from_file_location``)
    are not importable by name in worker processes; registering their module
    makes cloudpickle (used by loky and dask) and Numba's own pickler (used for
    ``@njit`` functions) send the code itself.  The module must be in
    :data:`sys.modules` under its ``__name__``.
    """
    name = getattr(module, "__name__", None)
    if name is None or sys.modules.get(name) is not module:
        raise ValidationError(
            f"module {module!r} is not in sys.modules under its name {name!r} "
            "(rule: insert it into sys.modules before registering it for pickling by value)")
    import cloudpickle
    cloudpickle.register_pickle_by_value(module)
    try:
        from numba import cloudpickle as numba_cloudpickle
    except ImportError:  # pragma: no cover - older numba without a vendored cloudpickle
        return
    # Numba serialises @njit functions with its own copy of cloudpickle and its registry
    if numba_cloudpickle is not cloudpickle and hasattr(numba_cloudpickle,
                                                        "register_pickle_by_value"):
        numba_cloudpickle.register_pickle_by_value(module)


def _failure_from_store(store: ResultStore, task: Task, fallback: str) -> TaskFailure:
    try:
        error = store.manifest(task).get("error") or fallback
    except ValidationError:
        error = fallback
    lines = [ln for ln in str(error).strip().splitlines() if ln.strip()]
    message = lines[-1] if lines else fallback
    return TaskFailure(task.key, task.claim_id, task.arm, task.seed, task.config_json, message)


def _progress_bar(total: int, enabled: bool):
    from tqdm.auto import tqdm
    return tqdm(total=total, disable=not enabled, unit="task", desc="rltheory sweep",
                dynamic_ncols=True)


def _run_local(todo: Sequence[Task], store: ResultStore, workers: int, commit, on_done):
    kwargs = {"git_commit": commit, "allow_mixed_versions": store.allow_mixed_versions}
    if workers == 1:
        for t in todo:
            on_done(t.key, execute_task(t, str(store.root), **kwargs)[1])
        return
    from joblib import Parallel, delayed, parallel_config
    with parallel_config(backend="loky", n_jobs=workers, inner_max_num_threads=1):
        results = Parallel(return_as="generator_unordered")(
            delayed(execute_task)(t, str(store.root), **kwargs) for t in todo)
        for key, status in results:
            on_done(key, status)


def _connect_dask(address, workers: int, connect_timeout: float):
    try:
        from distributed import Client, LocalCluster
    except ImportError as exc:
        raise ValidationError("backend='dask' needs dask.distributed "
                              "(pip install 'rltheory[dask]')") from exc
    if address is not None:
        try:
            client = Client(address, timeout=connect_timeout, set_as_default=False)
        except (OSError, TimeoutError, ValueError) as exc:
            raise SchedulerConnectionError(
                f"could not reach the dask scheduler at {address!r} within {connect_timeout:g} s "
                f"({type(exc).__name__}: {exc}); check that the scheduler is running and that "
                "the address (e.g. tcp://host:8786) is right") from None
        return client, None
    cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                           dashboard_address=":0", env=dict(THREAD_ENV))
    try:
        client = Client(cluster, set_as_default=False)
    except BaseException:
        cluster.close()
        raise
    return client, cluster


def _run_dask(todo: Sequence[Task], store: ResultStore, workers: int, commit, on_done,
              address, connect_timeout: float, on_lost):
    import cloudpickle

    # cloudpickle bytes, so that functions of modules registered by value travel by value
    # (dask would pickle a Task with the standard pickler, i.e. its function by reference)
    payloads = [cloudpickle.dumps(t) for t in todo]
    client, cluster = _connect_dask(address, workers, connect_timeout)
    try:
        from distributed import as_completed
        token = uuid.uuid4().hex[:8]
        futures = client.map(execute_pickled_task, payloads, store_root=str(store.root),
                             git_commit=commit,
                             allow_mixed_versions=store.allow_mixed_versions,
                             key=[f"rltheory-{t.key}-{token}" for t in todo], pure=False)
        by_key = {fut.key: t for fut, t in zip(futures, todo)}
        for fut in as_completed(futures, loop=client.loop):
            task = by_key[fut.key]
            try:
                key, status = fut.result()
            except Exception as exc:  # a worker died running it, or it could not be unpickled
                on_lost(task, f"{type(exc).__name__}: {exc}")
            else:
                on_done(key, status)
            fut.release()
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


def run_sweep(tasks: Iterable[Task], store, *, backend: str = "local", workers: int = 1,
              address: str | None = None, progress: bool = True,
              connect_timeout: float = 10.0, git_commit=_AUTO) -> SweepSummary:
    """Run the tasks of a sweep that are not yet done in ``store``.

    Parameters
    ----------
    tasks : iterable of Task
        Each with a task function ``fn(config, seed_sequence) -> {metric: value}``.
        Keys must be distinct.
    store : ResultStore or path
        The results store (a path is opened with :class:`ResultStore`).  With
        ``backend="dask"`` on several machines it must be on a shared filesystem.
    backend : {"local", "dask"}
        ``"local"``: joblib with the loky process pool (``workers == 1`` runs
        in this process).  ``"dask"``: dask.distributed, on the scheduler at
        ``address`` or on a ``LocalCluster`` of ``workers`` single-threaded
        processes.
    workers : int
        Worker processes for ``"local"`` and for a ``LocalCluster`` (ignored
        with ``address``: the scheduler's workers are used).
    address : str, optional
        Scheduler address (``tcp://host:port``) for ``backend="dask"``.
    progress : bool
        Show a tqdm progress bar over completed tasks.
    connect_timeout : float
        Seconds to wait for the scheduler at ``address``.
    git_commit : str or None, optional
        Commit recorded in the manifests; by default ``git rev-parse HEAD`` of
        the current directory, computed once here.

    Returns
    -------
    SweepSummary

    Raises
    ------
    rltheory.ValidationError
        For bad arguments, duplicate tasks or tasks without a function.
    SchedulerConnectionError
        If the scheduler at ``address`` cannot be reached within
        ``connect_timeout`` seconds (a :class:`rltheory.ValidationError` and a
        :class:`ConnectionError`).
    joblib.externals.loky.process_executor.TerminatedWorkerError
        If a local worker process dies (e.g. a segfault or the OOM killer);
        the results written so far are kept and the next call resumes.  On
        dask such a task is retried by the scheduler and then listed as a
        failure.

    Notes
    -----
    Every task gets its random stream from :meth:`Task.seed_sequence` and runs
    single-threaded, so results are bit-identical whatever the backend and
    the number of workers.  Task failures do not stop the sweep; they are
    listed in the summary and recorded in their manifests.
    """
    t0 = time.perf_counter()
    if backend not in BACKENDS:
        raise ValidationError(f"backend = {backend!r} (rule: one of {BACKENDS})")
    workers = check_int(workers, "workers", minimum=1)
    if address is not None and backend != "dask":
        raise ValidationError(f"address = {address!r} with backend = {backend!r} "
                              "(rule: a scheduler address needs backend='dask')")
    if not isinstance(store, ResultStore):
        store = ResultStore(store)
    tasks = list(tasks)
    seen = {}
    for t in tasks:
        if not isinstance(t, Task):
            raise ValidationError(f"sweep entry {t!r} (rule: tasks are rltheory.runner.Task)")
        if t.key in seen:
            raise ValidationError(f"task {t.claim_id}/{t.arm} seed {t.seed} config {t.config_json} "
                                  "appears twice in the sweep (rule: tasks are distinct)")
        seen[t.key] = t
    todo = store.missing(tasks)
    for t in todo:
        if t.fn is None:
            raise ValidationError(f"task {t.claim_id}/{t.arm} seed {t.seed} has no function "
                                  "(rule: tasks to run carry fn)")
    commit = _git_commit() if git_commit is _AUTO else git_commit

    failures = []
    bar = _progress_bar(len(todo), progress and bool(todo))

    def on_done(key, status):
        if status != "ok":
            f = _failure_from_store(store, seen[key], "failed")
            failures.append(f)          # reported once, by the caller, from the summary
        bar.update(1)
        if failures:
            bar.set_postfix(failed=len(failures))

    def on_lost(task, message):
        failures.append(TaskFailure(task.key, task.claim_id, task.arm, task.seed,
                                    task.config_json, f"lost: {message}"))
        bar.update(1)
        bar.set_postfix(failed=len(failures))

    try:
        if todo:
            if backend == "local":
                _run_local(todo, store, workers, commit, on_done)
            else:
                _run_dask(todo, store, workers, commit, on_done, address, connect_timeout,
                          on_lost)
    finally:
        bar.close()
    failures.sort(key=lambda f: (f.claim_id, f.arm, f.config_json, f.seed))
    return SweepSummary(n_total=len(tasks), n_skipped=len(tasks) - len(todo), n_run=len(todo),
                        n_failed=len(failures), failures=tuple(failures),
                        wall_time_s=time.perf_counter() - t0, backend=backend, workers=workers)
