"""The dask backend on a real scheduler with two worker processes on 127.0.0.1."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time

import pytest

pytest.importorskip("distributed")

from rltheory import ValidationError  # noqa: E402
from rltheory.runner import ResultStore, SchedulerConnectionError, run_sweep  # noqa: E402

from test_runner import assert_same_results, determinism_sweep, reference_tables, tm  # noqa: E402

def _spawn(args, log, env):
    return subprocess.Popen(args, stdout=log, stderr=subprocess.STDOUT, env=env,
                            start_new_session=True)


@pytest.fixture(scope="module")
def scheduler_address(tmp_path_factory):
    """A ``dask scheduler`` and two single-threaded ``dask worker`` processes."""
    from distributed import Client

    d = tmp_path_factory.mktemp("dask")
    sched_file = d / "scheduler.json"
    env = dict(os.environ, OMP_NUM_THREADS="1", OPENBLAS_NUM_THREADS="1", MKL_NUM_THREADS="1",
               NUMBA_NUM_THREADS="1")
    procs = []
    logs = []

    def start(args, name):
        log = open(d / f"{name}.log", "wb")
        logs.append(log)
        procs.append(_spawn(args, log, env))

    try:
        start([sys.executable, "-m", "distributed.cli.dask_scheduler", "--host", "127.0.0.1",
               "--port", "0", "--no-dashboard", "--scheduler-file", str(sched_file)], "scheduler")
        deadline = time.monotonic() + 60
        while not sched_file.exists() and time.monotonic() < deadline:
            time.sleep(0.05)
        assert sched_file.exists(), (d / "scheduler.log").read_text()
        for i in range(2):
            start([sys.executable, "-m", "distributed.cli.dask_worker", "--nthreads", "1",
                   "--nworkers", "1", "--no-dashboard", "--local-directory", str(d / f"w{i}"),
                   "--scheduler-file", str(sched_file)], f"worker{i}")
        with Client(scheduler_file=str(sched_file), timeout=30) as client:
            client.wait_for_workers(2, timeout=60)
            address = client.scheduler.address
        yield address
    finally:
        for p in procs:  # each in its own session: the group holds the nanny and its worker
            try:
                os.killpg(p.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        for p in procs:
            p.wait()
        for log in logs:
            log.close()


def test_real_scheduler_matches_local(tmp_path, scheduler_address):
    tasks = determinism_sweep()
    local = ResultStore(tmp_path / "local")
    dask_store = ResultStore(tmp_path / "dask")
    run_sweep(tasks, local, workers=1, progress=False)
    r = run_sweep(tasks, dask_store, backend="dask", address=scheduler_address, progress=False)
    assert (r.n_total, r.n_run, r.n_failed) == (12, 12, 0) and r.backend == "dask", r.failures[:2]
    assert_same_results(local, dask_store, tasks)
    ref = reference_tables(tasks)
    for t in tasks:
        assert dask_store.read(t).equals(ref[t.key])
    # the tasks ran in both worker processes, none in this one
    pids = {dask_store.manifest(t)["pid"] for t in tasks}
    assert os.getpid() not in pids and len(pids) == 2
    again = run_sweep(tasks, dask_store, backend="dask", address=scheduler_address,
                      progress=False)
    assert (again.n_skipped, again.n_run) == (12, 0)


def test_real_scheduler_records_failures(tmp_path, scheduler_address):
    from rltheory.runner import Task
    store = ResultStore(tmp_path)
    tasks = [Task.make("demo.fail", "claim", {"i": i}, 0, fn=tm.failing) for i in range(4)]
    r = run_sweep(tasks, store, backend="dask", address=scheduler_address, progress=False)
    assert r.n_failed == 2
    assert sorted(f.message for f in r.failures) == [
        f"RuntimeError: deliberate failure for i={i}" for i in (1, 3)]
    assert [store.is_done(t) for t in tasks] == [True, False, True, False]


def test_local_cluster_matches_local(tmp_path):
    tasks = determinism_sweep()[:6]  # numpy tasks only: no Numba compilation in new workers
    local = ResultStore(tmp_path / "local")
    cl = ResultStore(tmp_path / "cluster")
    run_sweep(tasks, local, workers=1, progress=False)
    r = run_sweep(tasks, cl, backend="dask", workers=2, progress=False)
    assert r.n_run == len(tasks) and r.ok
    assert_same_results(local, cl, tasks)


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_unreachable_scheduler_fails_fast_and_clearly(tmp_path):
    address = f"tcp://127.0.0.1:{_free_port()}"
    tasks = determinism_sweep()[:1]
    t0 = time.monotonic()
    with pytest.raises(SchedulerConnectionError) as info:
        run_sweep(tasks, tmp_path, backend="dask", address=address, connect_timeout=2,
                  progress=False)
    elapsed = time.monotonic() - t0
    assert elapsed < 8
    assert address in str(info.value) and "2 s" in str(info.value)
    assert isinstance(info.value, ValidationError) and isinstance(info.value, ConnectionError)
    assert ResultStore(tmp_path).missing(tasks) == tasks
