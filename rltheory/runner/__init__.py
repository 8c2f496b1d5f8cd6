"""Sweeps over configs x seeds on a backend, with a resumable results store.

A sweep is a list of :class:`Task` ``(claim, arm, config, seed)``; each task
function ``fn(config, seed_sequence) -> {metric: scalar | (steps, values)}``
draws all its randomness from the task's own :class:`numpy.random.SeedSequence`
and runs with one BLAS/OpenMP and one Numba thread, so its result is
bit-identical on every backend and for every number of workers.

>>> from rltheory.runner import Task, ResultStore, run_sweep
>>> tasks = [Task.make("my.claim", "claim", {"K": K}, seed, fn=my_fn)   # doctest: +SKIP
...          for K in (100, 1000) for seed in range(8)]
>>> summary = run_sweep(tasks, ResultStore("results"), workers=2)      # doctest: +SKIP
>>> table = ResultStore("results").read_many(tasks)                    # doctest: +SKIP

Only tasks missing from the store run: re-running a killed sweep recomputes
the tasks that were in flight and nothing else.  Results are tidy long
Parquet tables (``claim, arm, config_hash, seed, step, metric, value``), one
file per task plus a JSON manifest (config, seeds, versions, git commit, wall
time, host); see :mod:`rltheory.runner.store`.

Backends
--------
``local``
    joblib with the loky process pool (``workers`` processes, one thread
    each); ``workers=1`` runs in the calling process.
``dask``
    dask.distributed.  Without ``address``, a ``LocalCluster`` of ``workers``
    single-threaded processes; with ``address``, the scheduler there (an
    unreachable address raises :class:`SchedulerConnectionError` after
    ``connect_timeout`` seconds, 10 by default).  Workers must see the
    results directory (a shared filesystem on a cluster) and be able to import
    rltheory; start them single-threaded (``dask worker --nthreads 1``, with
    the variables of :data:`THREAD_ENV` set to 1).  Task functions are sent
    with cloudpickle; experiment modules
    loaded from file paths must be registered with
    :func:`register_module_by_value` so that their code travels with them.

SLURM through dask-jobqueue
---------------------------
Start a ``SLURMCluster`` (``pip install dask-jobqueue``), scale it, and hand its
scheduler address to the dask backend; the results directory must be on a
filesystem shared by the login node and the compute nodes::

    from dask_jobqueue import SLURMCluster
    cluster = SLURMCluster(
        queue="normal", cores=1, processes=1, memory="4GB", walltime="02:00:00",
        job_script_prologue=["export OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 "
                             "MKL_NUM_THREADS=1 NUMBA_NUM_THREADS=1"],
    )
    cluster.scale(jobs=32)            # 32 single-core workers
    print(cluster.scheduler_address)  # e.g. tcp://10.1.2.3:45678

then, while that Python session stays alive (e.g. in ``tmux`` on the login node)::

    rltheory verify --scale paper --backend dask --address tcp://10.1.2.3:45678 --out /shared/results

or from Python ``run_sweep(tasks, store, backend="dask", address=cluster.scheduler_address)``.
``cores=1, processes=1`` gives one single-threaded worker per job; with
``cores=n, processes=n`` a job holds ``n`` single-threaded workers.  If
jobs are pre-empted, run the same command again: finished tasks are kept.
"""

from .backends import (BACKENDS, SchedulerConnectionError, SweepSummary, TaskFailure,
                       register_module_by_value, run_sweep)
from .execute import THREAD_ENV, execute_task, git_commit, single_threaded
from .store import (SCALAR_STEP, SCHEMA, STORE_FORMAT, ResultStore, metrics_to_table,
                    task_from_manifest)
from .tasks import ARMS, Task, TaskFn, canonical_json

__all__ = [
    "ARMS", "BACKENDS", "SCALAR_STEP", "SCHEMA", "STORE_FORMAT", "THREAD_ENV",
    "ResultStore", "SchedulerConnectionError", "SweepSummary", "Task", "TaskFailure", "TaskFn",
    "canonical_json", "execute_task", "git_commit", "metrics_to_table", "register_module_by_value",
    "run_sweep", "single_threaded", "task_from_manifest",
]
