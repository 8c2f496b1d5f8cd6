"""The results store: one Parquet table and one JSON manifest per finished task.

Layout of a results directory ``root``::

    root/store.json                      format number and rltheory version
    root/<claim_id>/<task.key>.parquet   the task's tidy long table
    root/<claim_id>/<task.key>.json      its manifest (the commit marker)

Tidy long table (:data:`SCHEMA`), one row per ``(metric, step)``:

=============  =======  =====================================================
column         type     meaning
=============  =======  =====================================================
``claim``      string   claim id
``arm``        string   ``"claim"``, or ``"alt:<name>"`` for an alternative
``config_hash`` string  :attr:`Task.config_hash`
``seed``       int64    seed index of the task
``step``       int64    logging step of a curve; ``-1`` for a scalar metric
``metric``     string   metric name
``value``      float64  finite value (NaN and inf are refused)
=============  =======  =====================================================

The table depends only on the task's output, never on the time, host or
worker, so the Parquet bytes of a task are identical across runs, worker
counts and backends.  Wall time, timestamps, host and versions live only in
the manifest.

Writes are atomic: each file is written to a hidden temporary file in the same
directory, flushed, ``fsync``-ed and moved into place with :func:`os.replace`.
The Parquet file is written first and the manifest last, so a manifest with
``status == "ok"`` always describes a complete Parquet file (its size, row
count and SHA-256 are recorded and checked).  A killed writer leaves at most a
stray temporary file, which is ignored and removed when a later sweep opens
the store.
"""

from __future__ import annotations

import datetime as _dt
import functools
import hashlib
import json
import numbers
import os
import platform
import re
import socket
import sys
import tempfile
import time
from importlib import metadata as _metadata
from pathlib import Path
from typing import Any, Iterable, Mapping

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from .. import __version__ as _RLTHEORY_VERSION
from .._errors import ValidationError
from .tasks import Task

#: Version of the on-disk layout; a store of another format is never opened.
STORE_FORMAT = 1

#: Schema of every result table.
SCHEMA = pa.schema([
    pa.field("claim", pa.string(), nullable=False),
    pa.field("arm", pa.string(), nullable=False),
    pa.field("config_hash", pa.string(), nullable=False),
    pa.field("seed", pa.int64(), nullable=False),
    pa.field("step", pa.int64(), nullable=False),
    pa.field("metric", pa.string(), nullable=False),
    pa.field("value", pa.float64(), nullable=False),
])

#: Step recorded for scalar metrics.
SCALAR_STEP = -1

#: Prefix and suffix of temporary files; such files are never results.
TMP_PREFIX = ".rlt-tmp-"
TMP_SUFFIX = ".part"

_CLAIM_ID_RE = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_.+=@:,-]*$")


# --------------------------------------------------------------------------- tables

def _check_metric_name(name) -> str:
    if not isinstance(name, str) or not name:
        raise ValidationError(f"metric name {name!r} (rule: metric names are non-empty strings)")
    return name


def _finite_values(values: np.ndarray, name: str, steps: np.ndarray | None) -> None:
    bad = ~np.isfinite(values)
    if bad.any():
        i = int(np.argmax(bad))
        where = "scalar" if steps is None else f"step {int(steps[i])}"
        raise ValidationError(
            f"metric {name!r} at {where} = {values[i]} "
            "(rule: metric values must be finite; NaN and inf are refused because they "
            "silently break fits and statistics)")


def _as_scalar(value, name: str) -> float:
    if isinstance(value, np.ndarray) and value.ndim == 0:
        value = value[()]
    if isinstance(value, (numbers.Real, np.bool_)) and not isinstance(value, (str, bytes)):
        return float(value)
    raise ValidationError(
        f"metric {name!r} = {value!r} of type {type(value).__name__} "
        "(rule: a metric is a real scalar or a pair (steps, values) of 1-D arrays)")


def _as_curve(pair, name: str) -> tuple[np.ndarray, np.ndarray]:
    steps_in, values_in = pair
    steps = np.asarray(steps_in)
    if steps.ndim != 1 or steps.size == 0:
        raise ValidationError(f"metric {name!r}: steps have shape {steps.shape} "
                              "(rule: steps form a non-empty 1-D array)")
    if steps.dtype.kind not in "iu":
        raise ValidationError(f"metric {name!r}: steps have dtype {steps.dtype} "
                              "(rule: steps are integers)")
    if steps.dtype.kind == "u" and steps.max() > np.iinfo(np.int64).max:
        raise ValidationError(f"metric {name!r}: step {steps.max()} (rule: steps fit in int64)")
    steps = steps.astype(np.int64)
    if steps[0] < 0:
        raise ValidationError(f"metric {name!r}: step {int(steps[0])} "
                              "(rule: curve steps are >= 0; -1 marks scalar metrics)")
    dec = np.diff(steps) <= 0
    if dec.any():
        i = int(np.argmax(dec))
        raise ValidationError(
            f"metric {name!r}: steps[{i + 1}] = {int(steps[i + 1])} follows steps[{i}] = "
            f"{int(steps[i])} (rule: steps are strictly increasing)")
    raw = np.asarray(values_in)
    if raw.dtype.kind not in "biuf":
        raise ValidationError(f"metric {name!r}: values have dtype {raw.dtype} "
                              "(rule: real numeric values)")
    values = raw.astype(np.float64)
    if values.shape != steps.shape:
        raise ValidationError(
            f"metric {name!r}: values have shape {values.shape}, steps {steps.shape} "
            "(rule: one value per step)")
    _finite_values(values, name, steps)
    return steps, values


def metrics_to_table(task: Task, metrics: Mapping[str, Any]) -> pa.Table:
    """Convert a task function's output into the tidy long table of :data:`SCHEMA`.

    Parameters
    ----------
    task : Task
        The task that produced ``metrics``; fills ``claim``, ``arm``,
        ``config_hash`` and ``seed``.
    metrics : mapping
        ``{name: scalar}`` (one row, ``step = -1``) or ``{name: (steps, values)}``
        with ``steps`` a 1-D integer array, ``>= 0`` and strictly increasing,
        and ``values`` a real array of the same length (one row per step).

    Returns
    -------
    pyarrow.Table
        Rows ordered by metric name, then step; the order of ``metrics`` does
        not matter.

    Raises
    ------
    rltheory.ValidationError
        For a non-finite value (naming metric and step), malformed steps,
        mismatched lengths, non-numeric values or an empty mapping.
    """
    if not isinstance(metrics, Mapping):
        raise ValidationError(
            f"task {task.claim_id}/{task.arm} seed {task.seed} returned {type(metrics).__name__} "
            "(rule: a task function returns a dict {metric: scalar | (steps, values)})")
    if not metrics:
        raise ValidationError(f"task {task.claim_id}/{task.arm} seed {task.seed} returned no "
                              "metrics (rule: at least one metric)")
    step_parts, value_parts, name_parts = [], [], []
    for name in sorted(metrics, key=lambda k: _check_metric_name(k)):
        value = metrics[name]
        if isinstance(value, (tuple, list)) and len(value) == 2:
            steps, values = _as_curve(value, name)
        else:
            v = _as_scalar(value, name)
            steps = np.array([SCALAR_STEP], dtype=np.int64)
            values = np.array([v], dtype=np.float64)
            _finite_values(values, name, None)
        step_parts.append(steps)
        value_parts.append(values)
        name_parts.append(np.full(steps.size, name, dtype=object))
    steps = np.concatenate(step_parts)
    values = np.concatenate(value_parts)
    n = steps.size
    return pa.Table.from_arrays([
        pa.array([task.claim_id] * n, pa.string()),
        pa.array([task.arm] * n, pa.string()),
        pa.array([task.config_hash] * n, pa.string()),
        pa.array(np.full(n, task.seed, dtype=np.int64), pa.int64()),
        pa.array(steps, pa.int64()),
        pa.array(np.concatenate(name_parts), pa.string()),
        pa.array(values, pa.float64()),
    ], schema=SCHEMA)


def table_to_metrics(table: pa.Table) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """The inverse of :func:`metrics_to_table`: ``{metric: (steps, values)}``, steps ascending.

    Scalar metrics come back as ``(array([-1]), array([value]))``.
    """
    metric = np.asarray(table.column("metric").to_pylist(), dtype=object)
    step = table.column("step").to_numpy()
    value = table.column("value").to_numpy()
    out = {}
    for m in dict.fromkeys(metric.tolist()):
        sel = metric == m
        order = np.argsort(step[sel], kind="stable")
        out[m] = (step[sel][order], value[sel][order])
    return out


def _check_table(task: Task, table: pa.Table) -> pa.Table:
    if not table.schema.equals(SCHEMA):
        try:
            table = table.cast(SCHEMA)
        except (pa.ArrowInvalid, pa.ArrowNotImplementedError, ValueError) as exc:
            raise ValidationError(f"result table has schema {table.schema} "
                                  f"(rule: schema {SCHEMA}; {exc})") from None
    if table.num_rows == 0:
        raise ValidationError("result table has no rows (rule: at least one metric)")
    for col, want in (("claim", task.claim_id), ("arm", task.arm),
                      ("config_hash", task.config_hash), ("seed", task.seed)):
        got = set(table.column(col).to_pylist())
        if got != {want}:
            raise ValidationError(f"result table column {col!r} holds {sorted(got)} "
                                  f"(rule: every row belongs to the task, {col} = {want!r})")
    _finite_values(table.column("value").to_numpy(), "value", table.column("step").to_numpy())
    return table


def table_to_parquet_bytes(table: pa.Table) -> bytes:
    """Serialise a result table to Parquet bytes (deterministic for a given pyarrow)."""
    sink = pa.BufferOutputStream()
    pq.write_table(table, sink, compression="zstd", write_statistics=True)
    return sink.getvalue().to_pybytes()


# --------------------------------------------------------------------------- files

def _fsync_dir(directory: Path) -> None:
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:  # not possible on every platform (e.g. Windows)
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def atomic_write_bytes(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` atomically (temp file, flush, fsync, :func:`os.replace`).

    On any exception the temporary file is removed and ``path`` is untouched.
    """
    path = Path(path)
    tmp = tempfile.NamedTemporaryFile(dir=path.parent, prefix=TMP_PREFIX, suffix=TMP_SUFFIX,
                                      delete=False)
    try:
        with tmp:
            tmp.write(data)
            tmp.flush()
            os.fsync(tmp.fileno())
        os.replace(tmp.name, path)
    except BaseException:
        try:
            os.unlink(tmp.name)
        except FileNotFoundError:
            pass
        raise
    _fsync_dir(path.parent)


def _json_bytes(obj) -> bytes:
    return (json.dumps(obj, indent=1, sort_keys=True) + "\n").encode()


# --------------------------------------------------------------------------- manifests

def _dist_version(name: str) -> str | None:
    try:
        return _metadata.version(name)
    except _metadata.PackageNotFoundError:
        return None


@functools.lru_cache(maxsize=1)
def environment_versions() -> dict:
    """Versions of Python and the numerical dependencies in this process."""
    return {
        "python": platform.python_version(),
        "implementation": sys.implementation.name,
        "numpy": np.__version__,
        "numba": _dist_version("numba"),
        "scipy": _dist_version("scipy"),
        "pyarrow": pa.__version__,
        "platform": platform.platform(),
    }


def task_from_manifest(manifest: Mapping) -> Task:
    """The :class:`Task` (without function) a manifest describes; its key is checked."""
    task = Task.make(manifest["claim_id"], manifest["arm"], manifest["config"], manifest["seed"],
                     root_seed=manifest["root_seed"], version=manifest["algorithm_version"],
                     learner_keys=manifest.get("learner_keys", ()), stream_id=manifest.get("stream_id", ""))
    if task.key != manifest["key"]:
        raise ValidationError(f"manifest key {manifest['key']} does not match its contents "
                              f"(recomputed {task.key}) (rule: manifests are written by rltheory)")
    return task


def _base_manifest(task: Task) -> dict:
    ss = task.seed_sequence()
    now = time.time()
    return {
        "format": STORE_FORMAT,
        "key": task.key,
        "claim_id": task.claim_id,
        "arm": task.arm,
        "config": task.config,
        "config_hash": task.config_hash,
        "seed": task.seed,
        "root_seed": task.root_seed,
        "seed_entropy": int(ss.entropy),
        "seed_spawn_key": [int(k) for k in ss.spawn_key],
        "algorithm_version": task.version,
        "learner_keys": list(task.learner_keys),
        "stream_id": task.stream_id,
        "rltheory_version": _RLTHEORY_VERSION,
        "versions": environment_versions(),
        "hostname": socket.gethostname(),
        "pid": os.getpid(),
        "timestamp": _dt.datetime.fromtimestamp(now, _dt.timezone.utc).isoformat(),
        "time_unix": now,
    }


# --------------------------------------------------------------------------- store

class ResultStore:
    """A results directory: Parquet tables and JSON manifests keyed by :attr:`Task.key`.

    Parameters
    ----------
    root : str or Path
        The directory (created if absent).  On first use ``root/store.json`` is
        written with the store format and ``rltheory.__version__``.
    allow_mixed_versions : bool, default False
        Open a store written by another rltheory version.  Without it such a
        store is refused, since results of different library versions must
        not be mixed silently.
    clean_temp : bool, default True
        Remove stray temporary files left by killed writers that are older
        than ``temp_grace_s`` seconds.  Workers open the store with
        ``clean_temp=False`` so they never touch each other's files in flight.
    temp_grace_s : float, default 60.0
        Age below which a temporary file may belong to a live writer (one
        sweep and another on the same directory) and is kept.

    Raises
    ------
    rltheory.ValidationError
        If ``root`` is a file, ``store.json`` is unreadable, of another
        format, or (without ``allow_mixed_versions``) of another rltheory
        version.
    """

    META_FILE = "store.json"

    def __init__(self, root, *, allow_mixed_versions: bool = False, clean_temp: bool = True,
                 temp_grace_s: float = 60.0):
        self.root = Path(root).expanduser().resolve()
        self.allow_mixed_versions = bool(allow_mixed_versions)
        if self.root.exists() and not self.root.is_dir():
            raise ValidationError(f"results store {self.root} is a file (rule: a directory)")
        self.root.mkdir(parents=True, exist_ok=True)
        meta_path = self.root / self.META_FILE
        if meta_path.exists():
            self.meta = self._read_json(meta_path, "store metadata")
            fmt = self.meta.get("format")
            if fmt != STORE_FORMAT:
                raise ValidationError(
                    f"results store {self.root} has format {fmt!r} (rule: this rltheory reads "
                    f"format {STORE_FORMAT}; use a new results directory)")
            version = self.meta.get("rltheory_version")
            if version != _RLTHEORY_VERSION and not self.allow_mixed_versions:
                raise ValidationError(
                    f"results store {self.root} was written by rltheory {version}, this is "
                    f"rltheory {_RLTHEORY_VERSION} (rule: results of different versions are not "
                    "mixed; use a new results directory, or pass allow_mixed_versions=True / "
                    "--allow-mixed-versions to reuse it)")
        else:
            self.meta = {"format": STORE_FORMAT, "rltheory_version": _RLTHEORY_VERSION,
                         "created": _dt.datetime.now(_dt.timezone.utc).isoformat()}
            atomic_write_bytes(meta_path, _json_bytes(self.meta))
        if clean_temp:
            self.clean_temp_files(min_age_s=temp_grace_s)

    def __repr__(self) -> str:
        return f"ResultStore({str(self.root)!r})"

    def __reduce__(self):
        return (_reopen_store, (str(self.root), self.allow_mixed_versions))

    # ------------------------------------------------------------------ paths

    def claim_dir(self, claim_id: str) -> Path:
        """Directory of one claim's results (claim ids are single path components)."""
        if not isinstance(claim_id, str) or not _CLAIM_ID_RE.match(claim_id):
            raise ValidationError(
                f"claim id {claim_id!r} (rule: letters, digits and _ . + = @ : , -, "
                "not starting with '.' or '-', so that it names one directory)")
        return self.root / claim_id

    def parquet_path(self, task: Task) -> Path:
        return self.claim_dir(task.claim_id) / f"{task.key}.parquet"

    def manifest_path(self, task: Task) -> Path:
        return self.claim_dir(task.claim_id) / f"{task.key}.json"

    @staticmethod
    def _read_json(path: Path, what: str) -> dict:
        try:
            return json.loads(path.read_text())
        except (OSError, json.JSONDecodeError) as exc:
            raise ValidationError(f"{what} {path} is unreadable ({exc}) "
                                  "(rule: files in a results store are written by rltheory)") from None

    # ------------------------------------------------------------------ queries

    def manifest(self, task: Task) -> dict:
        """The task's manifest.

        Raises
        ------
        rltheory.ValidationError
            If the task has no manifest.
        """
        path = self.manifest_path(task)
        if not path.exists():
            raise ValidationError(f"task {task.claim_id}/{task.arm} seed {task.seed} "
                                  f"(key {task.key}) has no manifest in {self.root}")
        return self._read_json(path, "manifest")

    def is_done(self, task: Task) -> bool:
        """Whether the task finished: manifest status ``"ok"`` and a valid Parquet file.

        The Parquet file must exist with the size and row count the manifest
        records and a readable footer (checked with
        :func:`pyarrow.parquet.read_metadata`, without reading the data).
        """
        mpath = self.manifest_path(task)
        ppath = self.parquet_path(task)
        try:
            m = json.loads(mpath.read_text())
        except (OSError, json.JSONDecodeError):
            return False
        if m.get("status") != "ok" or m.get("key") != task.key:
            return False
        pinfo = m.get("parquet") or {}
        try:
            if ppath.stat().st_size != pinfo.get("bytes"):
                return False
            return pq.read_metadata(ppath).num_rows == pinfo.get("n_rows")
        except (OSError, pa.ArrowException):
            return False

    def missing(self, tasks: Iterable[Task]) -> list[Task]:
        """The tasks that are not done, in the given order."""
        return [t for t in tasks if not self.is_done(t)]

    def read(self, task: Task) -> pa.Table:
        """The task's result table (checked against the SHA-256 in its manifest).

        Raises
        ------
        rltheory.ValidationError
            If the task is not done or its file changed since it was written.
        """
        m = self.manifest(task)
        if m.get("status") != "ok":
            raise ValidationError(f"task {task.claim_id}/{task.arm} seed {task.seed} "
                                  f"(key {task.key}) has status {m.get('status')!r} "
                                  "(rule: only finished tasks can be read)")
        path = self.parquet_path(task)
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise ValidationError(f"result file {path} is unreadable ({exc})") from None
        if hashlib.sha256(data).hexdigest() != m["parquet"]["sha256"]:
            raise ValidationError(f"result file {path} does not match the SHA-256 in its manifest "
                                  "(rule: result files are never modified after they are written)")
        table = pq.read_table(pa.BufferReader(data))
        if not table.schema.equals(SCHEMA):
            raise ValidationError(f"result file {path} has schema {table.schema} "
                                  f"(rule: {SCHEMA})")
        return table

    def read_many(self, tasks: Iterable[Task], *, allow_missing: bool = False) -> pa.Table:
        """Concatenated result tables of ``tasks`` (in order).

        Parameters
        ----------
        allow_missing : bool, default False
            Skip tasks that are not done instead of raising.
        """
        tables = []
        missing = []
        for t in tasks:
            if self.is_done(t):
                tables.append(self.read(t))
            elif not allow_missing:
                missing.append(t)
        if missing:
            t = missing[0]
            raise ValidationError(
                f"{len(missing)} task(s) have no result in {self.root}, e.g. {t.claim_id}/{t.arm} "
                f"seed {t.seed} config {t.config_json} (rule: run the sweep first, or pass "
                "allow_missing=True)")
        if not tables:
            return SCHEMA.empty_table()
        return pa.concat_tables(tables)

    def claims(self) -> list[str]:
        """Claim ids with a directory in the store."""
        return sorted(p.name for p in self.root.iterdir()
                      if p.is_dir() and _CLAIM_ID_RE.match(p.name))

    def tasks_in_store(self, claim_id: str) -> list[dict]:
        """All manifests of a claim (finished and failed), sorted by key.

        Use :func:`task_from_manifest` to get the task of a manifest and
        :meth:`read` to read its table, without recomputing anything.
        """
        d = self.claim_dir(claim_id)
        if not d.is_dir():
            return []
        out = []
        for p in sorted(d.glob("*.json")):
            if p.name.startswith(TMP_PREFIX):
                continue
            out.append(self._read_json(p, "manifest"))
        return out

    def content_digest(self, claim_id: str) -> str | None:
        """SHA-256 of the *values* of a claim's finished results, independent of keys and code versions.

        Over the finished tasks sorted by ``(arm, config, seed)``, it hashes each
        task's identity and its table's ``metric``, ``step`` and ``value``
        columns (the float64 bytes).  Two stores computed by different code,
        machines or worker counts hold the same numbers exactly when their
        digests agree (``rltheory fingerprint`` prints them).  ``None`` when the
        claim has no finished task.
        """
        rows = []
        for m in self.tasks_in_store(claim_id):
            if m.get("status") != "ok":
                continue
            task = task_from_manifest(m)
            rows.append((task.arm, task.config_json, task.seed, task))
        if not rows:
            return None
        h = hashlib.sha256()
        seen = set()
        for arm, cfg, seed, task in sorted(rows, key=lambda r: r[:3]):
            if (arm, cfg, seed) in seen:     # the same task computed by two code versions
                raise ValidationError(f"claim {claim_id}: task {arm} seed {seed} config {cfg} has results of "
                                      "two code versions in this store (rule: fingerprint a store written by "
                                      "one version; use a fresh --out)")
            seen.add((arm, cfg, seed))
            t = self.read(task)
            h.update(json.dumps([arm, cfg, seed]).encode())
            h.update("\0".join(t.column("metric").to_pylist()).encode())
            h.update(t.column("step").to_numpy().astype("<i8").tobytes())
            h.update(t.column("value").to_numpy().astype("<f8").tobytes())
        return h.hexdigest()

    # ------------------------------------------------------------------ writes

    def write(self, task: Task, table_or_metrics, manifest_extra: Mapping | None = None) -> dict:
        """Write a finished task: Parquet first, then the manifest (the commit marker).

        Parameters
        ----------
        task : Task
        table_or_metrics : pyarrow.Table or mapping
            A table of :data:`SCHEMA` belonging to ``task``, or the task
            function's output (converted with :func:`metrics_to_table`).
        manifest_extra : mapping, optional
            Further manifest entries (e.g. ``wall_time_s``, ``git_commit``).

        Returns
        -------
        dict
            The manifest written.
        """
        if isinstance(table_or_metrics, pa.Table):
            table = _check_table(task, table_or_metrics)
        else:
            table = metrics_to_table(task, table_or_metrics)
        data = table_to_parquet_bytes(table)
        d = self.claim_dir(task.claim_id)
        d.mkdir(exist_ok=True)
        manifest = _base_manifest(task)
        manifest.update(dict(manifest_extra or {}))
        manifest.update({
            "status": "ok",
            "error": None,
            "parquet": {"file": self.parquet_path(task).name, "n_rows": table.num_rows,
                        "bytes": len(data), "sha256": hashlib.sha256(data).hexdigest()},
        })
        atomic_write_bytes(self.parquet_path(task), data)
        atomic_write_bytes(self.manifest_path(task), _json_bytes(manifest))
        return manifest

    def write_error(self, task: Task, error: str, manifest_extra: Mapping | None = None) -> dict:
        """Record a failed task: a manifest with ``status = "error"`` and the traceback.

        A failed task is not done; the next sweep runs it again.
        """
        d = self.claim_dir(task.claim_id)
        d.mkdir(exist_ok=True)
        manifest = _base_manifest(task)
        manifest.update(dict(manifest_extra or {}))
        manifest.update({"status": "error", "error": str(error), "parquet": None})
        atomic_write_bytes(self.manifest_path(task), _json_bytes(manifest))
        return manifest

    def clean_temp_files(self, min_age_s: float = 0.0) -> int:
        """Remove temporary files older than ``min_age_s`` seconds; return how many."""
        now = time.time()
        removed = 0
        dirs = [self.root] + [p for p in self.root.iterdir() if p.is_dir()]
        for d in dirs:
            for p in d.glob(f"{TMP_PREFIX}*{TMP_SUFFIX}"):
                try:
                    if now - p.stat().st_mtime >= min_age_s:
                        p.unlink()
                        removed += 1
                except FileNotFoundError:
                    pass
        return removed


def _reopen_store(root: str, allow_mixed_versions: bool) -> ResultStore:
    return ResultStore(root, allow_mixed_versions=allow_mixed_versions, clean_temp=False)
