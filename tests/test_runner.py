"""Tests of rltheory.runner: determinism across workers, resume after SIGKILL, failures."""

from __future__ import annotations

import importlib.util
import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import numpy as np
import pytest

from rltheory import ValidationError
from rltheory.runner import (ResultStore, SweepSummary, Task, metrics_to_table,
                             register_module_by_value, run_sweep)

TASKS_FILE = Path(__file__).with_name("_tasks.py")
MODULE_NAME = "rltheory_test_sweep_tasks"


def load_tasks_module():
    """Load tests/_tasks.py from its path, as the claims registry loads experiment files."""
    if MODULE_NAME in sys.modules:
        return sys.modules[MODULE_NAME]
    spec = importlib.util.spec_from_file_location(MODULE_NAME, TASKS_FILE)
    mod = importlib.util.module_from_spec(spec)
    sys.modules[MODULE_NAME] = mod
    spec.loader.exec_module(mod)
    register_module_by_value(mod)
    return mod


tm = load_tasks_module()


def determinism_sweep():
    """12 tasks: 6 numpy curves and 6 Numba random walks driven by a Generator."""
    tasks = [Task.make("demo.gauss", arm, {"n": n, "scale": 2.0}, s, root_seed=11, fn=tm.gaussian_curve)
             for arm, n in (("claim", 64), ("control", 500)) for s in range(3)]
    tasks += [Task.make("demo.walk", "claim", {"level": lv, "reps": 20}, s, root_seed=11,
                        fn=tm.numba_walk)
              for lv in (3, 6) for s in range(3)]
    return tasks


def reference_tables(tasks):
    """Each task's table computed directly, without the runner."""
    return {t.key: metrics_to_table(t, t.fn(t.config, t.seed_sequence())) for t in tasks}


def assert_same_results(store_a, store_b, tasks):
    for t in tasks:
        ta, tb = store_a.read(t), store_b.read(t)
        assert ta.equals(tb), t
        assert store_a.parquet_path(t).read_bytes() == store_b.parquet_path(t).read_bytes()
    keyed = sorted(tasks, key=lambda t: t.key)
    assert store_a.read_many(keyed).equals(store_b.read_many(keyed))


def test_local_one_and_two_workers_identical(tmp_path):
    tasks = determinism_sweep()
    ref = reference_tables(tasks)
    s1 = ResultStore(tmp_path / "w1")
    s2 = ResultStore(tmp_path / "w2")
    r1 = run_sweep(tasks, s1, workers=1, progress=False)
    r2 = run_sweep(tasks, s2, workers=2, progress=False)
    for r in (r1, r2):
        assert isinstance(r, SweepSummary)
        assert (r.n_total, r.n_skipped, r.n_run, r.n_failed) == (12, 0, 12, 0) and r.ok
    assert_same_results(s1, s2, tasks)
    for t in tasks:
        assert s1.read(t).equals(ref[t.key])
    # different seeds really give different numbers (the comparison above can fail)
    v = [s1.read(t).column("value").to_pylist() for t in tasks[:3]]
    assert v[0] != v[1] != v[2]
    # the two-worker run used other processes
    pids = {s2.manifest(t)["pid"] for t in tasks}
    assert os.getpid() not in pids
    assert all(s1.manifest(t)["pid"] == os.getpid() for t in tasks)
    # a second call finds everything done and runs nothing
    again = run_sweep(tasks, s2, workers=2, progress=False)
    assert (again.n_skipped, again.n_run) == (12, 0)


def test_workers_run_single_threaded(tmp_path):
    import numba
    tasks = [Task.make("demo.threads", "claim", {"i": i}, 0, fn=tm.thread_env) for i in range(2)]
    numba_before = numba.get_num_threads()
    env_before = {k: os.environ.get(k) for k in ("OMP_NUM_THREADS", "NUMBA_NUM_THREADS")}
    for workers in (1, 2):
        store = ResultStore(tmp_path / f"w{workers}")
        run_sweep(tasks, store, workers=workers, progress=False)
        for t in tasks:
            d = dict(zip(store.read(t).column("metric").to_pylist(),
                         store.read(t).column("value").to_pylist()))
            assert d["numba_threads"] == 1.0
            if workers > 1:  # worker processes start with the thread variables set
                assert d["omp_env"] == 1.0 and d["numba_env"] == 1.0
    # the in-process run restored the caller's Numba threads and left its environment alone
    assert numba.get_num_threads() == numba_before
    assert {k: os.environ.get(k) for k in env_before} == env_before


def test_failures_are_recorded_and_retried(tmp_path, capsys):
    store = ResultStore(tmp_path)
    tasks = [Task.make("demo.fail", "claim", {"i": i}, 0, fn=tm.failing) for i in range(6)]
    tasks.append(Task.make("demo.fail", "control", {"i": 0}, 0, fn=tm.nan_metric))
    r = run_sweep(tasks, store, workers=2, progress=False, git_commit="feedbeef")
    assert (r.n_run, r.n_failed) == (7, 4) and not r.ok
    msgs = sorted(f.message for f in r.failures)
    assert msgs[:3] == [f"RuntimeError: deliberate failure for i={i}" for i in (1, 3, 5)]
    assert "metric 'curve' at step 1" in msgs[3] and "ValidationError" in msgs[3]
    for t in tasks:
        m = store.manifest(t)
        assert m["git_commit"] == "feedbeef" and m["wall_time_s"] >= 0
        if t.arm == "claim" and t.config["i"] % 2:
            assert m["status"] == "error" and "Traceback" in m["error"]
            assert "deliberate failure" in m["error"] and not store.is_done(t)
    assert [t for t in tasks if store.is_done(t)] == [tasks[i] for i in (0, 2, 4)]
    # the next run retries exactly the failed tasks; the bar counts them, the caller lists them once
    r2 = run_sweep(tasks, store, workers=1, progress=True)
    assert (r2.n_skipped, r2.n_run, r2.n_failed) == (3, 4, 4)
    err = capsys.readouterr().err
    assert "failed=4" in err and "deliberate failure" not in err
    assert "4/4" in err


def test_git_commit(tmp_path):
    from rltheory.runner import git_commit
    assert git_commit(tmp_path) is None  # not a repository
    env = dict(os.environ, GIT_AUTHOR_NAME="a", GIT_AUTHOR_EMAIL="a@b", GIT_COMMITTER_NAME="a",
               GIT_COMMITTER_EMAIL="a@b")
    for cmd in (["init", "-q"], ["commit", "-q", "--allow-empty", "-m", "x"]):
        subprocess.run(["git", *cmd], cwd=tmp_path, check=True, env=env)
    head = subprocess.run(["git", "rev-parse", "HEAD"], cwd=tmp_path, capture_output=True,
                          text=True, check=True).stdout.strip()
    assert git_commit(tmp_path) == head and len(head) == 40


def test_argument_validation(tmp_path):
    t = Task.make("demo.args", "claim", {}, 0, fn=tm.sleepy)
    with pytest.raises(ValidationError, match=r"backend"):
        run_sweep([t], tmp_path, backend="mpi")
    with pytest.raises(ValidationError, match=r"workers"):
        run_sweep([t], tmp_path, workers=0)
    with pytest.raises(ValidationError, match=r"needs backend='dask'"):
        run_sweep([t], tmp_path, address="tcp://127.0.0.1:1")
    with pytest.raises(ValidationError, match=r"appears twice"):
        run_sweep([t, t], tmp_path)
    with pytest.raises(ValidationError, match=r"has no function"):
        run_sweep([Task.make("demo.args", "claim", {}, 1)], tmp_path)
    with pytest.raises(ValidationError, match=r"rltheory.runner.Task"):
        run_sweep([("demo", {}, 0)], tmp_path)


def test_register_module_by_value_needs_sys_modules():
    import types
    with pytest.raises(ValidationError, match=r"sys.modules"):
        register_module_by_value(types.ModuleType("not_registered_anywhere"))


# ----------------------------------------------------------------------------- resume

N_RESUME = 30
SWEEP_SCRIPT = textwrap.dedent("""
    import sys
    sys.path.insert(0, {tests_dir!r})
    import test_runner as tr
    from rltheory.runner import ResultStore, run_sweep
    run_sweep(tr.resume_sweep(), ResultStore(sys.argv[1]), workers=2, progress=False)
""")


def resume_sweep():
    return [Task.make("demo.resume", "claim", {"sleep": 0.1, "i": i}, i % 3, fn=tm.sleepy)
            for i in range(N_RESUME)]


def _manifests(root):
    return {p.stem: json.loads(p.read_text()) for p in (root / "demo.resume").glob("*.json")}


def test_resume_after_sigkill(tmp_path):
    root = tmp_path / "killed"
    script = SWEEP_SCRIPT.format(tests_dir=str(Path(__file__).parent))
    proc = subprocess.Popen([sys.executable, "-c", script, str(root)], start_new_session=True,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 60
    try:
        while time.monotonic() < deadline:
            if (root / "demo.resume").is_dir() and len(_manifests(root)) >= 6:
                break
            if proc.poll() is not None:
                pytest.fail(f"sweep exited early: {proc.stdout.read().decode()}")
            time.sleep(0.02)
        else:
            pytest.fail("no manifests appeared within 60 s")
    finally:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
    # wait until every process of the group (the loky workers too) is gone
    for _ in range(500):
        try:
            os.killpg(proc.pid, 0)
        except ProcessLookupError:
            break
        time.sleep(0.01)
    else:
        pytest.fail("processes of the killed sweep survive")
    killed_at = time.time()

    tasks = resume_sweep()
    store = ResultStore(root)
    before = _manifests(root)
    done_before = {k for k, m in before.items() if m["status"] == "ok"}
    print(f"done before the kill: {len(done_before)} of {N_RESUME}")
    assert 0 < len(done_before) < N_RESUME
    for t in tasks:  # every committed result is complete and readable
        if t.key in done_before:
            assert store.is_done(t) and store.read(t).num_rows == 1

    summary = run_sweep(tasks, store, workers=2, progress=False)
    assert summary.n_skipped == len(done_before)
    assert summary.n_run == N_RESUME - len(done_before) and summary.n_failed == 0
    after = _manifests(root)
    assert set(after) == {t.key for t in tasks}
    for k, m in after.items():
        if k in done_before:  # not recomputed: the manifest is untouched
            assert m == before[k]
        else:
            assert m["time_unix"] > killed_at
    # temporary files, if any, were left by the killed writers, never by the resumed sweep
    assert all(p.stat().st_mtime < killed_at for p in root.rglob(".rlt-tmp-*"))

    fresh = ResultStore(tmp_path / "uninterrupted")
    run_sweep(tasks, fresh, workers=2, progress=False)
    assert_same_results(store, fresh, tasks)
    u = np.array(fresh.read_many(tasks).column("value"))
    assert len(np.unique(u)) == N_RESUME
