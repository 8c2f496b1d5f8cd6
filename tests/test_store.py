"""Tests of rltheory.runner.store: tidy tables, manifests, atomic writes, versions."""

from __future__ import annotations

import json
import os
import time

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

import rltheory
from rltheory import ValidationError
from rltheory.runner import SCHEMA, ResultStore, Task, metrics_to_table, task_from_manifest
from rltheory.runner import store as store_mod


def _task(seed=0, claim="demo.claim", arm="claim", **config):
    return Task.make(claim, arm, config or {"n": 10}, seed, root_seed=7, version="2")


def _metrics(seed=0):
    rng = np.random.default_rng(seed)
    return {"regret": (np.array([1, 2, 4, 8]), rng.random(4)), "final": float(rng.random())}


# ----------------------------------------------------------------------------- tables

def test_metrics_to_table_rows_and_schema():
    t = _task(seed=3)
    steps = np.array([1, 10, 100])
    vals = np.array([0.5, 0.25, 0.125])
    table = metrics_to_table(t, {"zeta": 2, "curve": (steps, vals), "alpha": np.float32(1.5)})
    assert table.schema.equals(SCHEMA)
    assert table.num_rows == 1 + 3 + 1
    d = table.to_pydict()
    # metrics sorted by name, then step; scalars at step -1
    assert d["metric"] == ["alpha", "curve", "curve", "curve", "zeta"]
    assert d["step"] == [-1, 1, 10, 100, -1]
    assert d["value"] == [1.5, 0.5, 0.25, 0.125, 2.0]
    assert set(d["claim"]) == {"demo.claim"} and set(d["arm"]) == {"claim"}
    assert set(d["config_hash"]) == {t.config_hash} and set(d["seed"]) == {3}
    # the order of the dict does not matter
    table2 = metrics_to_table(t, {"curve": (steps, vals), "alpha": 1.5, "zeta": 2.0})
    assert table2.equals(table)


@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf])
def test_non_finite_scalar_rejected(bad):
    with pytest.raises(ValidationError, match=r"metric 'gap' at scalar"):
        metrics_to_table(_task(), {"ok": 1.0, "gap": bad})


@pytest.mark.parametrize("bad", [np.nan, np.inf])
def test_non_finite_curve_rejected_naming_step(bad):
    vals = np.array([0.1, 0.2, bad, 0.4])
    with pytest.raises(ValidationError, match=r"metric 'regret' at step 30 "):
        metrics_to_table(_task(), {"regret": (np.array([10, 20, 30, 40]), vals)})


@pytest.mark.parametrize("metrics, pattern", [
    ({"c": (np.array([1, 3, 2]), np.zeros(3))}, r"strictly increasing"),
    ({"c": (np.array([1, 1]), np.zeros(2))}, r"strictly increasing"),
    ({"c": (np.array([1.0, 2.0]), np.zeros(2))}, r"steps are integers"),
    ({"c": (np.array([-1, 2]), np.zeros(2))}, r"-1 marks scalar"),
    ({"c": (np.array([1, 2, 3]), np.zeros(2))}, r"one value per step"),
    ({"c": (np.array([], dtype=int), np.zeros(0))}, r"non-empty 1-D"),
    ({"c": (np.array([1, 2]), np.array(["a", "b"]))}, r"real numeric"),
    ({"c": (np.array([1, 2]), np.array([1j, 2j]))}, r"real numeric"),
    ({"c": "text"}, r"real scalar or a pair"),
    ({"c": None}, r"real scalar or a pair"),
    ({"c": np.zeros(3)}, r"real scalar or a pair"),
    ({}, r"no metrics"),
    ({"": 1.0}, r"non-empty strings"),
])
def test_malformed_metrics_rejected(metrics, pattern):
    with pytest.raises(ValidationError, match=pattern):
        metrics_to_table(_task(), metrics)


def test_non_mapping_output_rejected():
    with pytest.raises(ValidationError, match=r"returns a dict"):
        metrics_to_table(_task(), [1.0, 2.0])


# ----------------------------------------------------------------------------- store basics

def test_store_json_and_roundtrip(tmp_path):
    store = ResultStore(tmp_path / "res")
    meta = json.loads((tmp_path / "res" / "store.json").read_text())
    assert meta["rltheory_version"] == rltheory.__version__
    assert meta["format"] == store_mod.STORE_FORMAT

    t = _task(seed=4)
    m = _metrics(4)
    assert not store.is_done(t)
    manifest = store.write(t, m, {"wall_time_s": 0.5, "git_commit": "abc"})
    assert store.is_done(t)
    table = store.read(t)
    assert table.equals(metrics_to_table(t, m))
    assert (store.root / t.claim_id / f"{t.key}.parquet").exists()

    on_disk = store.manifest(t)
    assert on_disk == json.loads(json.dumps(manifest))
    ss = t.seed_sequence()
    assert on_disk["status"] == "ok" and on_disk["error"] is None
    assert on_disk["key"] == t.key and on_disk["claim_id"] == t.claim_id
    assert on_disk["arm"] == "claim" and on_disk["config"] == {"n": 10}
    assert on_disk["config_hash"] == t.config_hash and on_disk["seed"] == 4
    assert on_disk["root_seed"] == 7 and on_disk["algorithm_version"] == "2"
    assert on_disk["seed_entropy"] == ss.entropy
    assert tuple(on_disk["seed_spawn_key"]) == ss.spawn_key
    assert on_disk["rltheory_version"] == rltheory.__version__
    assert on_disk["wall_time_s"] == 0.5 and on_disk["git_commit"] == "abc"
    assert set(on_disk["versions"]) >= {"python", "numpy", "numba", "scipy", "pyarrow"}
    assert on_disk["versions"]["numpy"] == np.__version__
    assert on_disk["parquet"]["n_rows"] == table.num_rows
    assert task_from_manifest(on_disk) == t

    # no time or host information inside the Parquet file: a second write is byte-identical
    b1 = store.parquet_path(t).read_bytes()
    time.sleep(0.01)
    other = ResultStore(tmp_path / "other")
    other.write(t, m, {"wall_time_s": 9.0})
    assert other.parquet_path(t).read_bytes() == b1
    assert pq.read_table(store.parquet_path(t)).column_names == SCHEMA.names


def test_write_accepts_table_of_the_task_only(tmp_path):
    store = ResultStore(tmp_path)
    t, u = _task(seed=0), _task(seed=1)
    store.write(t, metrics_to_table(t, _metrics()))
    assert store.read(t).equals(metrics_to_table(t, _metrics()))
    with pytest.raises(ValidationError, match=r"column 'seed'"):
        store.write(u, metrics_to_table(t, _metrics()))
    assert not store.is_done(u)


def test_missing_read_many_and_tasks_in_store(tmp_path):
    store = ResultStore(tmp_path)
    tasks = [_task(seed=s, n=n) for n in (5, 6) for s in range(3)]
    for t in tasks[::2]:
        store.write(t, _metrics(t.seed))
    assert store.missing(tasks) == tasks[1::2]
    with pytest.raises(ValidationError, match=r"3 task\(s\) have no result"):
        store.read_many(tasks)
    got = store.read_many(tasks, allow_missing=True)
    assert got.equals(pa.concat_tables([store.read(t) for t in tasks[::2]]))
    assert store.read_many([]).schema.equals(SCHEMA) and store.read_many([]).num_rows == 0
    manifests = store.tasks_in_store("demo.claim")
    assert sorted(m["key"] for m in manifests) == sorted(t.key for t in tasks[::2])
    assert store.tasks_in_store("no.such.claim") == []
    assert store.claims() == ["demo.claim"]
    # the report path: rebuild tasks from manifests and read without the task functions
    rebuilt = [task_from_manifest(m) for m in manifests]
    assert sorted(rebuilt, key=lambda t: t.key) == sorted(tasks[::2], key=lambda t: t.key)


def test_error_manifest_is_not_done(tmp_path):
    store = ResultStore(tmp_path)
    t = _task()
    store.write_error(t, "Traceback ...\nRuntimeError: boom", {"wall_time_s": 0.1})
    assert not store.is_done(t)
    assert store.missing([t]) == [t]
    m = store.manifest(t)
    assert m["status"] == "error" and "RuntimeError: boom" in m["error"]
    with pytest.raises(ValidationError, match=r"status 'error'"):
        store.read(t)
    assert [x["status"] for x in store.tasks_in_store(t.claim_id)] == ["error"]
    # a later success replaces it
    store.write(t, _metrics())
    assert store.is_done(t)


@pytest.mark.parametrize("claim", ["", "../evil", "a/b", ".hidden", "-x", "sp ace"])
def test_claim_id_must_name_one_directory(tmp_path, claim):
    store = ResultStore(tmp_path)
    with pytest.raises(ValidationError, match=r"claim id"):
        store.write(Task.make(claim, "claim", {}, 0), {"x": 1.0})


def test_store_root_that_is_a_file(tmp_path):
    f = tmp_path / "file"
    f.write_text("x")
    with pytest.raises(ValidationError, match=r"is a file"):
        ResultStore(f)


# ----------------------------------------------------------------------------- versions

def test_version_mismatch_refused_unless_allowed(tmp_path):
    ResultStore(tmp_path)
    meta_path = tmp_path / "store.json"
    meta = json.loads(meta_path.read_text())
    meta["rltheory_version"] = "0.0.1-old"
    meta_path.write_text(json.dumps(meta))
    with pytest.raises(ValidationError, match=r"rltheory 0\.0\.1-old.*allow_mixed_versions"):
        ResultStore(tmp_path)
    store = ResultStore(tmp_path, allow_mixed_versions=True)
    store.write(_task(), {"x": 1.0})
    assert store.is_done(_task())
    # the store keeps its original version stamp
    assert json.loads(meta_path.read_text())["rltheory_version"] == "0.0.1-old"


def test_other_format_always_refused(tmp_path):
    (tmp_path / "store.json").write_text(json.dumps({"format": 99, "rltheory_version": "x"}))
    with pytest.raises(ValidationError, match=r"format 99"):
        ResultStore(tmp_path, allow_mixed_versions=True)


def test_unreadable_store_json(tmp_path):
    (tmp_path / "store.json").write_text("{not json")
    with pytest.raises(ValidationError, match=r"unreadable"):
        ResultStore(tmp_path)


# ----------------------------------------------------------------------------- atomicity

def _no_temp_files(root):
    return not list(root.rglob(f"{store_mod.TMP_PREFIX}*"))


def test_failed_parquet_write_leaves_nothing(tmp_path, monkeypatch):
    store = ResultStore(tmp_path)
    t = _task()

    def fsync_fails(fd):
        raise OSError("disk unplugged")

    monkeypatch.setattr(store_mod.os, "fsync", fsync_fails)
    with pytest.raises(OSError, match="disk unplugged"):
        store.write(t, _metrics())
    monkeypatch.undo()
    assert not store.parquet_path(t).exists()
    assert not store.manifest_path(t).exists()
    assert _no_temp_files(tmp_path)
    assert not store.is_done(t)


def test_killed_between_parquet_and_manifest(tmp_path, monkeypatch):
    """The manifest is the commit marker: Parquet alone is not a result."""
    store = ResultStore(tmp_path)
    t = _task()
    real_replace = os.replace
    calls = []

    def replace_once(src, dst):
        calls.append(dst)
        if str(dst).endswith(".json"):
            raise KeyboardInterrupt  # the process is interrupted right before the commit
        return real_replace(src, dst)

    monkeypatch.setattr(store_mod.os, "replace", replace_once)
    with pytest.raises(KeyboardInterrupt):
        store.write(t, _metrics())
    monkeypatch.undo()
    assert len(calls) == 2 and str(calls[0]).endswith(".parquet") and str(calls[1]).endswith(".json")
    assert store.parquet_path(t).exists() and not store.manifest_path(t).exists()
    assert _no_temp_files(tmp_path)
    assert not store.is_done(t) and store.missing([t]) == [t]
    store.write(t, _metrics())
    assert store.is_done(t)


def test_corrupt_or_changed_parquet_is_not_accepted(tmp_path):
    store = ResultStore(tmp_path)
    t = _task()
    store.write(t, _metrics())
    path = store.parquet_path(t)
    data = path.read_bytes()
    # truncated file (as if the disk lost its tail): not done
    path.write_bytes(data[: len(data) // 2])
    assert not store.is_done(t)
    # same size but garbage footer: not done
    path.write_bytes(data[:-12] + b"\0" * 12)
    assert not store.is_done(t)
    # same size, valid footer, changed data page: read refuses via the checksum
    i = len(data) // 3
    path.write_bytes(data[:i] + bytes([data[i] ^ 0xFF]) + data[i + 1:])
    with pytest.raises(ValidationError, match=r"SHA-256"):
        store.read(t)
    # missing file with an ok manifest: not done
    path.unlink()
    assert not store.is_done(t)


def test_stray_temp_files_ignored_then_cleaned(tmp_path):
    store = ResultStore(tmp_path)
    t = _task()
    store.write(t, _metrics())
    d = tmp_path / t.claim_id
    fresh = d / f"{store_mod.TMP_PREFIX}fresh{store_mod.TMP_SUFFIX}"
    old = d / f"{store_mod.TMP_PREFIX}old{store_mod.TMP_SUFFIX}"
    for p in (fresh, old):
        p.write_bytes(b"PAR1 half a file")
    past = time.time() - 3600
    os.utime(old, (past, past))
    assert [m["key"] for m in store.tasks_in_store(t.claim_id)] == [t.key]
    assert store.is_done(t)
    # a worker's view of the store never removes anything
    ResultStore(tmp_path, clean_temp=False)
    assert fresh.exists() and old.exists()
    # the next sweep's open removes old temp files but keeps ones a live writer may own
    ResultStore(tmp_path)
    assert fresh.exists() and not old.exists()
    ResultStore(tmp_path, temp_grace_s=0)
    assert not fresh.exists()
    assert store.is_done(t)
