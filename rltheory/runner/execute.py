"""Running one task in a worker: one thread, the task function, an atomic write.

:func:`execute_task` is what every backend ships to its workers.  It

1. runs single-threaded: the backends start their workers with
   ``OMP_NUM_THREADS``, ``OPENBLAS_NUM_THREADS``, ``MKL_NUM_THREADS`` and
   ``NUMBA_NUM_THREADS`` = 1 in the environment (:data:`THREAD_ENV`; they only
   act when set before numpy and numba load), and :func:`single_threaded`
   sets Numba's thread mask to 1 (and BLAS to 1 thread with threadpoolctl,
   when installed) for workers started by others, e.g. ``dask worker``;
2. calls ``task.fn(task.config, task.seed_sequence())``;
3. converts the output to the tidy table and writes it atomically to the store,
   with the wall time and git commit in the manifest.

An exception raised by the task function (or bad output, e.g. a NaN metric) is
caught and recorded in the task's manifest with status ``"error"`` and the
traceback; a failed task is not done and runs again in the next sweep.
"""

from __future__ import annotations

import contextlib
import subprocess
import time
import traceback

from .store import ResultStore
from .tasks import Task

#: Environment variables that pin BLAS / OpenMP / Numba to one thread.
THREAD_ENV = {
    "OMP_NUM_THREADS": "1",
    "OPENBLAS_NUM_THREADS": "1",
    "MKL_NUM_THREADS": "1",
    "NUMBA_NUM_THREADS": "1",
}


def git_commit(path=None) -> str | None:
    """``git rev-parse HEAD`` of the working tree at ``path`` (default: cwd), or ``None``.

    Called once per sweep in the parent process; workers receive the result.
    """
    try:
        out = subprocess.run(["git", "rev-parse", "HEAD"], cwd=path, capture_output=True,
                             text=True, timeout=10, check=False)
    except (OSError, subprocess.SubprocessError):
        return None
    commit = out.stdout.strip()
    return commit if out.returncode == 0 and commit else None


@contextlib.contextmanager
def single_threaded():
    """Run the body with one Numba thread and (with threadpoolctl) one BLAS/OpenMP thread.

    The environment is left alone: BLAS and OpenMP read their variables when
    they load, and Numba refuses a change of ``NUMBA_NUM_THREADS`` once its
    threads run, so those variables belong in the worker's environment at
    start-up (the backends put :data:`THREAD_ENV` there).  Here Numba's
    thread mask (thread-local) is set to 1 and restored afterwards.
    """
    import numba

    numba_prev = None
    if numba.config.NUMBA_NUM_THREADS > 1:
        numba_prev = numba.get_num_threads()
        numba.set_num_threads(1)
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:
        limits = contextlib.nullcontext()
    else:
        limits = threadpool_limits(limits=1)
    try:
        with limits:
            yield
    finally:
        if numba_prev is not None:
            numba.set_num_threads(numba_prev)


def execute_task(task: Task, store_root, git_commit: str | None = None, *,
                 allow_mixed_versions: bool = False) -> tuple[str, str]:
    """Run one task and write its result (or its failure) to the store at ``store_root``.

    Parameters
    ----------
    task : Task
        With ``task.fn`` set.
    store_root : str or Path
        The results directory, on a filesystem the worker shares with the
        parent process.
    git_commit : str, optional
        Commit of the parent's working tree (computed once per sweep).
    allow_mixed_versions : bool
        Passed to :class:`ResultStore`.

    Returns
    -------
    (key, status)
        ``status`` is ``"ok"`` or ``"error"``.
    """
    store = ResultStore(store_root, allow_mixed_versions=allow_mixed_versions, clean_temp=False)
    extra = {"git_commit": git_commit}
    t0 = time.perf_counter()
    try:
        if task.fn is None:
            raise TypeError(f"task {task.claim_id}/{task.arm} seed {task.seed} has no function")
        with single_threaded():
            metrics = task.fn(task.config, task.seed_sequence())
        extra["wall_time_s"] = time.perf_counter() - t0
        store.write(task, metrics, extra)
    except Exception:
        extra["wall_time_s"] = time.perf_counter() - t0
        store.write_error(task, traceback.format_exc(), extra)
        return task.key, "error"
    return task.key, "ok"


def execute_pickled_task(payload: bytes, store_root, git_commit: str | None = None, *,
                         allow_mixed_versions: bool = False) -> tuple[str, str]:
    """:func:`execute_task` on a task serialised with :func:`cloudpickle.dumps`.

    dask.distributed pickles a task graph with the standard pickler whenever
    it can, which sends ``task.fn`` by reference even when its module was
    registered with :func:`rltheory.runner.register_module_by_value`.  The dask
    backend therefore ships each task as cloudpickle bytes.
    """
    import cloudpickle

    task = cloudpickle.loads(payload)
    return execute_task(task, store_root, git_commit, allow_mixed_versions=allow_mixed_versions)
